//! The impact of a change: two runs over the same facts files (two dates, two
//! dates of knowledge or two rulesets), compared rule by rule.

pub mod text;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::eval::Status;
use crate::report::ReportView;
use crate::report::view::{OrganisationView, ResultView, RulesetView};

/// The version of the diff JSON's shape (see `docs/diff-json.md`).
pub const SCHEMA_VERSION: u32 = 1;

/// A whole `diff` run.
#[derive(Debug, Clone, Serialize)]
pub struct DiffView {
    pub schema_version: u32,
    pub before: SideView,
    pub after: SideView,
    /// Every organisation compared, sorted by facts file.
    pub organisations: Vec<OrganisationDiff>,
    /// Per rule that changed anywhere, sorted by rule name.
    pub summary: Vec<RuleSummary>,
}

/// What one side of the comparison judged with.
#[derive(Debug, Clone, Serialize)]
pub struct SideView {
    pub ruleset: String,
    pub version: String,
    pub sha256: String,
    pub as_of: String,
    pub known_on: String,
}

/// One organisation's changes.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationDiff {
    pub facts_file: String,
    pub name: Option<String>,
    pub id: Option<String>,
    /// Sorted by rule name; empty when nothing changed.
    pub changes: Vec<Change>,
}

/// One rule whose status or deadline differs between the sides.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub rule: String,
    pub title: String,
    pub kind: &'static str,
    pub change: ChangeKind,
    /// The result before; `None` when the rule did not exist then.
    pub before: Option<ResultView>,
    /// The result after; `None` when the rule no longer exists.
    pub after: Option<ResultView>,
}

/// What differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// The status changed (the deadline may have too).
    Status,
    /// Same status, another deadline.
    Deadline,
    /// The rule exists only after: a new rule, or a version newly known.
    Added,
    /// The rule exists only before.
    Removed,
}

/// How one rule changed across all organisations.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSummary {
    pub rule: String,
    pub title: String,
    /// How many organisations this rule changed for.
    pub organisations: usize,
    /// Each distinct transition with its count, sorted by status.
    pub transitions: Vec<Transition>,
}

/// One kind of change of one rule, counted over organisations.
#[derive(Debug, Clone, Serialize)]
pub struct Transition {
    pub change: ChangeKind,
    /// `None` when the rule did not exist before.
    pub before: Option<Status>,
    /// `None` when the rule does not exist after.
    pub after: Option<Status>,
    pub count: usize,
}

/// Compares two reports built over the same facts files, in the same order:
/// organisations are matched by position, rules by name.
pub fn compare(before: ReportView, after: ReportView) -> DiffView {
    let mut organisations: Vec<OrganisationDiff> = before
        .organisations
        .into_iter()
        .zip(after.organisations)
        .map(|(b, a)| organisation(b, a))
        .collect();
    organisations
        .sort_by(|x, y| (&x.facts_file, &x.name, &x.id).cmp(&(&y.facts_file, &y.name, &y.id)));
    let summary = summarise(&organisations);
    DiffView {
        schema_version: SCHEMA_VERSION,
        before: side(&before.ruleset, before.as_of, before.known_on),
        after: side(&after.ruleset, after.as_of, after.known_on),
        organisations,
        summary,
    }
}

fn side(rs: &RulesetView, as_of: String, known_on: String) -> SideView {
    SideView {
        ruleset: rs.name.clone(),
        version: rs.version.clone(),
        sha256: rs.sha256.clone(),
        as_of,
        known_on,
    }
}

fn organisation(before: OrganisationView, after: OrganisationView) -> OrganisationDiff {
    // Rules are matched by name: the union of both sides, sorted.
    let mut pairs: BTreeMap<String, (Option<ResultView>, Option<ResultView>)> = BTreeMap::new();
    for r in before.results {
        let rule = r.rule.clone();
        pairs.entry(rule).or_default().0 = Some(r);
    }
    for r in after.results {
        let rule = r.rule.clone();
        pairs.entry(rule).or_default().1 = Some(r);
    }
    let changes = pairs
        .into_iter()
        .filter_map(|(rule, (b, a))| change(rule, b, a))
        .collect();
    OrganisationDiff {
        facts_file: after.facts_file,
        name: after.name,
        id: after.id,
        changes,
    }
}

fn change(rule: String, before: Option<ResultView>, after: Option<ResultView>) -> Option<Change> {
    let kind = match (&before, &after) {
        (None, None) => return None,
        (None, Some(_)) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Removed,
        // A rule that never applied to the organisation does not change for
        // it by ending: withdrawing a rule is news only where it applied.
        (Some(b), Some(a))
            if matches!(
                (b.status, a.status),
                (Status::NotApplicable, Status::Ended) | (Status::Ended, Status::NotApplicable)
            ) =>
        {
            return None;
        }
        (Some(b), Some(a)) if b.status != a.status => ChangeKind::Status,
        (Some(b), Some(a)) if b.deadline != a.deadline => ChangeKind::Deadline,
        (Some(_), Some(_)) => return None,
    };
    let shown = after.as_ref().or(before.as_ref())?;
    Some(Change {
        rule,
        title: shown.title.clone(),
        kind: shown.kind,
        change: kind,
        before,
        after,
    })
}

fn summarise(organisations: &[OrganisationDiff]) -> Vec<RuleSummary> {
    type Key = (Option<Status>, Option<Status>, ChangeKind);
    let mut rules: BTreeMap<&str, (&str, usize, BTreeMap<Key, usize>)> = BTreeMap::new();
    for c in organisations.iter().flat_map(|o| &o.changes) {
        let entry = rules
            .entry(&c.rule)
            .or_insert((&c.title, 0, BTreeMap::new()));
        // A rule has one result per organisation, so one change at most.
        entry.1 += 1;
        let key = (
            c.before.as_ref().map(|r| r.status),
            c.after.as_ref().map(|r| r.status),
            c.change,
        );
        *entry.2.entry(key).or_default() += 1;
    }
    rules
        .into_iter()
        .map(|(rule, (title, organisations, transitions))| RuleSummary {
            rule: rule.to_string(),
            title: title.to_string(),
            organisations,
            transitions: transitions
                .into_iter()
                .map(|((before, after, change), count)| Transition {
                    change,
                    before,
                    after,
                    count,
                })
                .collect(),
        })
        .collect()
}

/// Whether any status or deadline changed.
pub fn changed(view: &DiffView) -> bool {
    !view.summary.is_empty()
}

/// Renders the diff as pretty JSON (shape: `docs/diff-json.md`).
pub fn json(view: &DiffView) -> String {
    serde_json::to_string_pretty(view).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}
