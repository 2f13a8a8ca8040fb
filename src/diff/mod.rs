//! The impact of a change: two runs over the same facts files (two dates, two
//! dates of knowledge or two rulesets), compared rule by rule.

pub mod text;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::eval::{Deadline, Explainer, Outcome, Plan, Status};
use crate::facts::Facts;
use crate::report::view::{ResultView, explained};
use crate::report::why::Definitions;
use crate::report::words::{self, ItemName, item_name};

/// The version of the diff JSON's shape (see `docs/diff-json.md`).
pub const SCHEMA_VERSION: u32 = 2;

/// One side of a comparison: the plan it judged by, and each organisation's
/// facts and outcomes.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a, 'r> {
    /// The ruleset and dates of the side.
    pub plan: &'a Plan<'r>,
    /// Each organisation, in the order of the facts files.
    pub orgs: &'a [(Facts, Vec<Outcome>)],
}

/// A whole `diff` run.
#[derive(Debug, Clone, Serialize)]
pub struct DiffView {
    pub schema_version: u32,
    pub before: SideView,
    pub after: SideView,
    /// Per rule that changed anywhere, sorted by rule name.
    pub summary: Vec<RuleSummary>,
    /// Every organisation compared, sorted by facts file.
    pub organisations: Vec<OrganisationDiff>,
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
    /// The definitions the "before" explanations use, each explained once.
    #[serde(skip_serializing_if = "Definitions::is_empty")]
    pub definitions_before: Arc<Definitions>,
    /// The definitions the "after" explanations use.
    #[serde(skip_serializing_if = "Definitions::is_empty")]
    pub definitions_after: Arc<Definitions>,
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
    /// For a rule judged for each item or period: the items whose status
    /// or deadline differs, in the order of the list (after, then those
    /// only before); present only when some did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemChange>,
    /// False for a rule that only became known and asks nothing yet (see
    /// [`material`]); the text report folds such changes to a count.
    pub material: bool,
}

/// One item (or period) of a rule judged for each, whose status or
/// deadline differs between the sides.
#[derive(Debug, Clone, Serialize)]
pub struct ItemChange {
    /// Its id, `#N` (its place in the list from 1), or the period.
    pub key: String,
    /// How reports name it: `subject access request S-2`, `period 2024-05`.
    pub name: String,
    pub label: Option<String>,
    /// `status`, `deadline`, `added` (judged only after: a period newly
    /// ended, an item the `where` now takes) or `removed`.
    pub change: ChangeKind,
    pub before: Option<Status>,
    pub after: Option<Status>,
    /// Its dated deadline on each side, if it has one.
    pub deadline_before: Option<String>,
    pub deadline_after: Option<String>,
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
    /// Same status and deadline, but some of its items changed.
    Items,
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
    /// Whether any of its transitions is material (see [`material`]).
    pub material: bool,
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

/// Compares two sides judged over the same facts files, in the same order:
/// organisations are matched by position, rules by name. Statuses and
/// deadlines are compared as typed outcomes; only the rules that changed
/// are explained.
pub fn compare(before: Side<'_, '_>, after: Side<'_, '_>) -> DiffView {
    let mut organisations: Vec<OrganisationDiff> = before
        .orgs
        .iter()
        .zip(after.orgs)
        .map(|(b, a)| organisation((before.plan, b), (after.plan, a)))
        .collect();
    organisations
        .sort_by(|x, y| (&x.facts_file, &x.name, &x.id).cmp(&(&y.facts_file, &y.name, &y.id)));
    let summary = summarise(&organisations);
    DiffView {
        schema_version: SCHEMA_VERSION,
        before: side(before.plan),
        after: side(after.plan),
        summary,
        organisations,
    }
}

fn side(plan: &Plan<'_>) -> SideView {
    let rs = plan.ruleset();
    SideView {
        ruleset: rs.name.clone(),
        version: rs.version.clone(),
        sha256: rs.sha256.clone(),
        as_of: plan.dates().as_of.to_string(),
        known_on: plan.dates().known_on.to_string(),
    }
}

type OrgSide<'a, 'r> = (&'a Plan<'r>, &'a (Facts, Vec<Outcome>));

fn organisation(before: OrgSide<'_, '_>, after: OrgSide<'_, '_>) -> OrganisationDiff {
    // Rules are matched by name: the union of both sides, sorted.
    let mut pairs: BTreeMap<&str, (Option<&Outcome>, Option<&Outcome>)> = BTreeMap::new();
    for o in &before.1.1 {
        pairs
            .entry(&before.0.ruleset().rule(o.rule).name)
            .or_default()
            .0 = Some(o);
    }
    for o in &after.1.1 {
        pairs
            .entry(&after.0.ruleset().rule(o.rule).name)
            .or_default()
            .1 = Some(o);
    }
    let mut explain_before = Explainer::new(before.0, &before.1.0);
    let mut explain_after = Explainer::new(after.0, &after.1.0);
    let show = |(plan, (facts, _)): OrgSide<'_, '_>, ex: &mut Explainer<'_, '_>, o: &Outcome| {
        explained(plan.ruleset(), plan.dates(), facts, ex, o)
    };
    let mut changes: Vec<Change> = Vec::new();
    for (rule, (b, a)) in pairs {
        let items = match (b, a) {
            (Some(b), Some(a)) => item_changes((before, b), (after, a)),
            _ => Vec::new(),
        };
        let Some(kind) = change_kind(b, a).or((!items.is_empty()).then_some(ChangeKind::Items))
        else {
            continue;
        };
        let b = b.map(|o| show(before, &mut explain_before, o));
        let a = a.map(|o| show(after, &mut explain_after, o));
        let Some(shown) = a.as_ref().or(b.as_ref()) else {
            continue;
        };
        let material = material(kind, a.as_ref().map(|r| r.status));
        changes.push(Change {
            rule: rule.to_string(),
            title: shown.title.clone(),
            kind: shown.kind,
            change: kind,
            before: b,
            after: a,
            items,
            material,
        });
    }
    let definitions_before = Arc::new(Definitions::of(
        before.0.ruleset(),
        &before.1.0,
        &explain_before,
    ));
    let definitions_after = Arc::new(Definitions::of(
        after.0.ruleset(),
        &after.1.0,
        &explain_after,
    ));
    for c in &mut changes {
        if let Some(r) = &mut c.before {
            r.definitions = Arc::clone(&definitions_before);
        }
        if let Some(r) = &mut c.after {
            r.definitions = Arc::clone(&definitions_after);
        }
    }
    let facts = &after.1.0;
    OrganisationDiff {
        facts_file: facts.file.clone(),
        name: facts.name.clone(),
        id: facts.id.clone(),
        changes,
        definitions_before,
        definitions_after,
    }
}

/// The items of a rule judged for each whose status or deadline differs,
/// matched by key (id, place or period); linear in items.
fn item_changes(
    (before, b): (OrgSide<'_, '_>, &Outcome),
    (after, a): (OrgSide<'_, '_>, &Outcome),
) -> Vec<ItemChange> {
    if b.items.is_empty() && a.items.is_empty() {
        return Vec::new();
    }
    let (brs, ars) = (before.0.ruleset(), after.0.ruleset());
    let (Some(brule), Some(arule)) = (brs.get_rule(b.rule), ars.get_rule(a.rule)) else {
        return Vec::new();
    };
    let name = |rs, facts, rule, o: &Outcome| item_name(rs, facts, rule, o);
    let mut only_before: HashMap<String, (usize, &Outcome, ItemName)> = b
        .items
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let n = name(brs, &before.1.0, brule, o);
            (n.key.clone(), (i, o, n))
        })
        .collect();
    let mut out = Vec::new();
    let mut push = |n: ItemName, b: Option<&Outcome>, a: Option<&Outcome>| {
        if let Some(change) = change_kind(b, a) {
            out.push(ItemChange {
                key: n.key,
                name: n.name,
                label: n.label,
                change,
                before: b.map(|o| o.status),
                after: a.map(|o| o.status),
                deadline_before: b.and_then(|o| dated(o.relevant_deadline())),
                deadline_after: a.and_then(|o| dated(o.relevant_deadline())),
            });
        }
    };
    for o in &a.items {
        let n = name(ars, &after.1.0, arule, o);
        let was = only_before.remove(&n.key).map(|(_, o, _)| o);
        push(n, was, Some(o));
    }
    let mut rest: Vec<(usize, &Outcome, ItemName)> = only_before.into_values().collect();
    rest.sort_by_key(|(i, _, _)| *i);
    for (_, o, n) in rest {
        push(n, Some(o), None);
    }
    out
}

/// A dated deadline as shown.
fn dated(d: Deadline) -> Option<String> {
    match d {
        Deadline::On(m) => Some(words::moment(m)),
        _ => None,
    }
}

/// What differs between a rule's two outcomes, if anything that matters.
fn change_kind(before: Option<&Outcome>, after: Option<&Outcome>) -> Option<ChangeKind> {
    Some(match (before, after) {
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
        (Some(b), Some(a)) if b.relevant_deadline() != a.relevant_deadline() => {
            ChangeKind::Deadline
        }
        (Some(_), Some(_)) => return None,
    })
}

fn summarise(organisations: &[OrganisationDiff]) -> Vec<RuleSummary> {
    type Key = (Option<Status>, Option<Status>, ChangeKind);
    let mut rules: BTreeMap<&str, (&str, usize, BTreeMap<Key, usize>)> = BTreeMap::new();
    for c in organisations.iter().flat_map(|o| &o.changes) {
        let entry = rules
            .entry(&c.rule)
            .or_insert((&c.title, 0, BTreeMap::new()));
        // A rule has one result per organisation, so one change at most
        // (its items' changes are counted with it).
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
        .map(|(rule, (title, organisations, transitions))| {
            let transitions: Vec<Transition> = transitions
                .into_iter()
                .map(|((before, after, change), count)| Transition {
                    change,
                    before,
                    after,
                    count,
                })
                .collect();
            RuleSummary {
                rule: rule.to_string(),
                title: title.to_string(),
                organisations,
                material: transitions.iter().any(|t| material(t.change, t.after)),
                transitions,
            }
        })
        .collect()
}

/// Whether a change asks something new of the organisation. A rule that
/// only became known (it did not exist before: a version newly published
/// by the later date of knowledge, or a rule added to the ruleset) and is
/// not in force, does not apply or has ended asks nothing yet; every
/// other change is material.
pub fn material(change: ChangeKind, after: Option<Status>) -> bool {
    !(change == ChangeKind::Added
        && matches!(
            after,
            Some(Status::NotInForce | Status::NotApplicable | Status::Ended)
        ))
}

/// Whether any status or deadline changed.
pub fn changed(view: &DiffView) -> bool {
    !view.summary.is_empty()
}

/// Renders the diff as pretty JSON (shape: `docs/diff-json.md`).
pub fn json(view: &DiffView) -> String {
    serde_json::to_string_pretty(view).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}
