//! `obligo explain`: one rule for one organisation, in full: which version
//! was used and why, every condition with its value, every fact with its
//! value and the line it came from, the deadline, sources and positions.

use std::fmt::Write as _;

use std::sync::Arc;

use serde::Serialize;

use super::text::{result as result_text, ruleset_lines, window};
use super::view::{ResultView, RulesetView, SCHEMA_VERSION, explained};
use super::why::{Definitions, NodeView};
use crate::eval::{Explainer, Known, Outcome, Plan};
use crate::facts::Facts;
use crate::model::RuleId;

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
    /// `facts.yaml:12`, or `not given`.
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
                from: match f.line {
                    Some(line) if !f.missing => format!("{file}:{line}"),
                    _ => "not given".to_string(),
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
    match &view.result {
        Some(r) => result_text(&mut out, r),
        None => {
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
