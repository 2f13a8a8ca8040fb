//! `obligo explain`: one rule for one organisation, in full: which version
//! was used and why, every condition with its value, every fact with its
//! value and the line it came from, the deadline, sources and positions.

use std::fmt::Write as _;

use std::sync::Arc;

use serde::Serialize;

use super::text::{result as result_text, result_shown, ruleset_lines, window};
use super::view::{self, ItemView, ResultView, RulesetView, SCHEMA_VERSION, explained};
use super::why::{Definitions, NodeView};
use super::words;
use crate::eval::{Explainer, Known, Outcome, Plan};
use crate::facts::Facts;
use crate::model::{Each, RuleId, Ruleset};

/// A whole `explain` run.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainView {
    pub schema_version: u32,
    pub ruleset: RulesetView,
    pub as_of: String,
    pub known_on: String,
    pub facts_file: String,
    pub organisation: Option<String>,
    /// Every version of the rule, and whether and why it was used.
    pub versions: Vec<VersionChoice>,
    /// Versions published after `known_on`: counted, not shown, since an
    /// answer as known on a date must not show what came after it.
    pub unpublished_versions: usize,
    /// `None` when no version of the rule was known by `known_on`.
    pub result: Option<ResultView>,
    /// Every fact the explanation read, once, with where it came from.
    pub facts: Vec<FactLine>,
    /// The definitions the explanation uses, each explained once.
    #[serde(skip_serializing_if = "Definitions::is_empty")]
    pub definitions: Arc<Definitions>,
    /// With `--item`: the one item explained (its clauses read its fields;
    /// `facts` are the facts and fields that item's explanation read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemView>,
}

/// Why `--item KEY` names no item of the rule's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemMiss {
    /// The rule is not judged `for each`.
    NotForEach {
        /// The rule's name.
        rule: String,
    },
    /// The rule has no items for this organisation (why, in words).
    NoItems {
        /// The rule's name.
        rule: String,
        /// "the subject access requests are not given", …
        why: String,
    },
    /// The item is in the facts but the rule's `where` leaves it out.
    LeftOut {
        /// The rule's name.
        rule: String,
        /// How reports name the item.
        name: String,
    },
    /// No item has that key.
    Unknown {
        /// The rule's name.
        rule: String,
        /// The key asked for.
        key: String,
        /// Every item's key, in the order of the list.
        keys: Vec<String>,
    },
}

impl ItemMiss {
    /// The problem in words, and how to fix it.
    pub fn words(&self, file: &str) -> (String, String) {
        match self {
            Self::NotForEach { rule } => (
                format!("rule `{rule}` is not judged for each item, so it has no items"),
                "leave out --item to explain the rule".into(),
            ),
            Self::NoItems { rule, why } => (
                format!("rule `{rule}` has no items in {file}: {why}"),
                "leave out --item to explain the rule, or list the items under `items:` in the facts file".into(),
            ),
            Self::LeftOut { rule, name } => (
                format!("{name} is not judged by rule `{rule}`: the rule's `where` leaves it out"),
                format!("leave out --item to see the items `{rule}` judges"),
            ),
            Self::Unknown { rule, key, keys } => {
                let near = crate::diagnostic::did_you_mean(key, keys.iter().map(String::as_str));
                let shown: Vec<&str> = keys.iter().take(10).map(String::as_str).collect();
                let more = if keys.len() > shown.len() {
                    format!(", … ({} in all)", keys.len())
                } else {
                    String::new()
                };
                let list = format!(
                    "the items of `{rule}` are {}{more}; name one by its id, by `#N` (its place in the list, from 1) or by its period",
                    shown.join(", ")
                );
                (
                    format!("no item `{key}` of rule `{rule}` in {file}"),
                    match near {
                        Some(n) => format!("{n} {list}"),
                        None => list,
                    },
                )
            }
        }
    }
}

/// The item outcome of `outcome` (a rule judged `for each`) that `key`
/// names: its id, `#N` (its place in the facts' list, or among the
/// periods, from 1), or its period (`2024-05`, or the period's first day).
pub fn find_item<'o>(
    rs: &Ruleset,
    facts: &Facts,
    outcome: &'o Outcome,
    key: &str,
) -> Result<&'o Outcome, ItemMiss> {
    let rule = rs.rule(outcome.rule);
    let name = rule.name.clone();
    let Some(each) = &rule.each else {
        return Err(ItemMiss::NotForEach { rule: name });
    };
    let key = key.trim();
    let named: Vec<(String, &Outcome)> = outcome
        .items
        .iter()
        .map(|i| (words::item_name(rs, facts, rule, i).key, i))
        .collect();
    let place = key
        .strip_prefix('#')
        .and_then(|n| n.parse::<u32>().ok())
        .and_then(|n| n.checked_sub(1));
    let day = crate::facts::parse_date(key);
    let found = named.iter().find(|(k, _)| k == key).or_else(|| {
        named.iter().find(|(k, i)| {
            k.eq_ignore_ascii_case(key)
                || (place.is_some() && i.item == place)
                || (day.is_some() && i.period == day)
        })
    });
    if let Some((_, i)) = found {
        return Ok(i);
    }
    if let Each::Item { kind, .. } = each
        && let Some(list) = facts.items_in(rs, *kind)
    {
        let left_out = list
            .iter()
            .enumerate()
            .position(|(n, it)| it.id.as_deref() == Some(key) || place == u32::try_from(n).ok());
        if let Some(n) = left_out {
            let k = rs
                .kinds
                .get(kind.index())
                .map_or("item", |k| k.one.as_str());
            let (id, _) = words::list_item_key(rs, facts, *kind, u32::try_from(n).unwrap_or(0));
            return Err(ItemMiss::LeftOut {
                rule: name,
                name: format!("{k} {id}"),
            });
        }
    }
    if named.is_empty() {
        let why = view::each(rs, facts, None, outcome)
            .map(|e| e.summary)
            .unwrap_or_else(|| format!("it is {}", words::status(outcome.status, rule.kind)));
        return Err(ItemMiss::NoItems { rule: name, why });
    }
    Err(ItemMiss::Unknown {
        rule: name,
        key: key.to_string(),
        keys: named.into_iter().map(|(k, _)| k).collect(),
    })
}

/// Builds the explanation of one item (`item`, an item outcome of
/// `outcome`, from [`find_item`]) of rule `id` for one organisation.
pub fn build_item(
    plan: &Plan<'_>,
    facts: &Facts,
    id: RuleId,
    outcome: &Outcome,
    item: &Outcome,
) -> ExplainView {
    let mut view = build(plan, facts, id, Some(outcome));
    let rs = plan.ruleset();
    let mut ex = Explainer::new(plan, facts);
    // The rule's outcome with that one item, so only it is explained.
    let mut alone = outcome.clone();
    alone.items = vec![item.clone()];
    let one = view::each(rs, facts, Some(&mut ex), &alone).and_then(|e| e.items.into_iter().next());
    let definitions = Arc::new(Definitions::of(rs, facts, &ex));
    if let (Some(r), Some(i)) = (&view.result, &one) {
        let shown = as_result(r, i, &definitions);
        view.facts = facts_read(&shown, &definitions, &facts.file);
    }
    view.definitions = definitions;
    view.item = one;
    view
}

/// An item shown as a result of its own, for the text of `explain --item`.
fn as_result(r: &ResultView, i: &ItemView, definitions: &Arc<Definitions>) -> ResultView {
    let mut shown = r.clone();
    shown.rule = format!("{}: {}", r.rule, i.title());
    shown.status = i.status;
    shown.status_words = i.status_words;
    shown.exception = i.exception.clone();
    shown.deadline = i.deadline.clone();
    shown.days_to_deadline = i.days_to_deadline;
    shown.days_overdue = i.days_overdue;
    shown.overdue_since = i.days_overdue.and(i.deadline.clone());
    shown.due_soon = i.due_soon;
    shown.period = i.period.clone();
    shown.met_on = i.met_on.clone();
    shown.explanation = i.explanation.clone();
    shown.missing_facts = i.missing_facts.clone();
    shown.definitions = Arc::clone(definitions);
    shown.each = None;
    shown
}

/// One version of the rule and its part in this result.
#[derive(Debug, Clone, Serialize)]
pub struct VersionChoice {
    /// 1-based, in date order.
    pub number: usize,
    pub from: String,
    /// Its last day in force as known on `known_on` (stated, or the day
    /// before the next known version).
    pub until: Option<String>,
    pub published: String,
    /// `used`, `not yet in force`, `no longer in force` or `not yet published`.
    pub role: &'static str,
}

/// A fact read by the explanation.
#[derive(Debug, Clone, Serialize)]
pub struct FactLine {
    pub fact: String,
    pub label: String,
    pub value: String,
    /// `facts.yaml:12`, `facts.yaml` (a list of items), or `not given`.
    pub from: String,
}

/// Builds the explanation of rule `id` for one organisation; `outcome` is
/// its outcome under `plan` (`None` when no version of it was known).
pub fn build(plan: &Plan<'_>, facts: &Facts, id: RuleId, outcome: Option<&Outcome>) -> ExplainView {
    let rs = plan.ruleset();
    let dates = plan.dates();
    let rule = rs.rule(id);
    let known = Known::new(rule, dates.known_on);
    let versions = known
        .windows
        .iter()
        .filter_map(|w| {
            let v = rule.versions.get(w.version)?;
            let role = match outcome.and_then(|o| o.version) {
                Some(used) if used == w.version && w.holds(dates.as_of) => "used",
                _ if v.from > dates.as_of => "not yet in force",
                _ => "no longer in force",
            };
            Some(VersionChoice {
                number: w.version + 1,
                from: v.from.to_string(),
                until: w.end.map(|d| d.to_string()),
                published: v.published.to_string(),
                role,
            })
        })
        .collect();
    let mut definitions = Arc::new(Definitions::default());
    let view = outcome.map(|o| {
        let mut ex = Explainer::new(plan, facts);
        let mut v = explained(rs, dates, facts, &mut ex, o);
        definitions = Arc::new(Definitions::of(rs, facts, &ex));
        v.definitions = Arc::clone(&definitions);
        v
    });
    let facts_used = view
        .as_ref()
        .map(|v| facts_read(v, &definitions, &facts.file))
        .unwrap_or_default();
    ExplainView {
        schema_version: SCHEMA_VERSION,
        ruleset: RulesetView::of(rs),
        as_of: dates.as_of.to_string(),
        known_on: dates.known_on.to_string(),
        facts_file: facts.file.clone(),
        organisation: facts.name.clone(),
        unpublished_versions: rule.versions.len() - known.windows.len(),
        versions,
        result: view,
        facts: facts_used,
        definitions,
        item: None,
    }
}

/// The facts under a result's explanation, each once, in the order a
/// reader meets them (definitions expanded at their first use). The walk
/// keeps its own stack, so deep chains of definitions cost no recursion.
fn facts_read(r: &ResultView, defs: &Definitions, file: &str) -> Vec<FactLine> {
    let mut out: Vec<FactLine> = Vec::new();
    let mut seen_facts = std::collections::HashSet::new();
    let mut seen_defs = std::collections::HashSet::new();
    let mut stack: Vec<&NodeView> = r.explanation.iter().rev().map(|c| &c.node).collect();
    while let Some(node) = stack.pop() {
        for f in &node.facts {
            if !seen_facts.insert(f.fact.clone()) {
                continue;
            }
            let value = match &f.later_value {
                Some(later) => format!("{} (given as {later}, after the date judged)", f.value),
                None => f.value.clone(),
            };
            out.push(FactLine {
                fact: f.fact.clone(),
                label: f.label.clone(),
                value,
                from: match (f.line, f.missing) {
                    (_, true) => "not given".to_string(),
                    (Some(line), false) => format!("{file}:{line}"),
                    // A list of items: given, with no one line.
                    (None, false) => file.to_string(),
                },
            });
        }
        let mut next: Vec<&NodeView> = node.children.iter().collect();
        for d in &node.definitions {
            if seen_defs.insert(d.clone())
                && let Some(def) = defs.get(d)
            {
                next.push(&def.node);
            }
        }
        stack.extend(next.into_iter().rev());
    }
    out
}

/// Renders the explanation for people.
pub fn text(view: &ExplainView) -> String {
    let mut out = ruleset_lines(&view.ruleset);
    let who = view.organisation.as_deref().unwrap_or(&view.facts_file);
    let _ = writeln!(
        out,
        "{who} ({}), judged as of {}, by the rules known on {}",
        view.facts_file, view.as_of, view.known_on
    );
    let _ = writeln!(out, "\nversions (as known on {}):", view.known_on);
    for v in &view.versions {
        let w = window(&v.from, v.until.as_deref(), &v.published);
        let _ = writeln!(out, "  {}. {w}: {}", v.number, v.role);
    }
    if view.versions.is_empty() {
        let _ = writeln!(out, "  none");
    }
    if view.unpublished_versions > 0 {
        let n = view.unpublished_versions;
        let _ = writeln!(
            out,
            "  ({n} later {} published after {}: not shown)",
            if n == 1 {
                "version was"
            } else {
                "versions were"
            },
            view.known_on
        );
    }
    match (&view.result, &view.item) {
        (Some(r), Some(i)) => {
            result_text(&mut out, &as_result(r, i, &view.definitions));
            if let Some(line) = i.line {
                let _ = writeln!(out, "    listed on line {line} of {}", view.facts_file);
            }
            if let Some(e) = &r.each {
                let _ = writeln!(out, "    the rule: {}", e.summary);
            }
        }
        (Some(r), None) => {
            result_shown(&mut out, r, usize::MAX);
            if let Some(e) = &r.each
                && let Some(first) = e.in_report_order().first()
            {
                let _ = writeln!(
                    out,
                    "\nto explain one item in full, name it with --item: its id, #N (its place\nin the list, from 1) or its period, like\n  obligo explain {} {} --item {}",
                    r.rule, view.facts_file, first.key
                );
            }
        }
        (None, _) => {
            let _ = writeln!(
                out,
                "\nno version of this rule was published by {}: it did not exist yet",
                view.known_on
            );
        }
    }
    if !view.facts.is_empty() {
        let _ = writeln!(out, "\nfacts read:");
        let width = view.facts.iter().map(|f| f.fact.len()).max().unwrap_or(0);
        for f in &view.facts {
            let _ = writeln!(
                out,
                "  {:width$}  {}  ({}; {})",
                f.fact, f.value, f.label, f.from
            );
        }
    }
    out
}
