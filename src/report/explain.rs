//! `obligo explain`: one rule for one organisation, in full: which version
//! was used and why, every condition with its value, every fact with its
//! value and the line it came from, the deadline, sources and positions.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::text::{result as result_text, ruleset_lines, window};
use super::view::{ResultView, RulesetView, SCHEMA_VERSION, result};
use crate::eval::{self, Dates, ExplainNode, RuleResult};
use crate::facts::Facts;
use crate::model::{RuleId, Ruleset};

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

/// Builds the explanation of one rule for one organisation.
pub fn build(
    rs: &Ruleset,
    facts: &Facts,
    dates: Dates,
    id: RuleId,
    r: Option<&RuleResult>,
) -> ExplainView {
    let rule = rs.rule(id);
    let known = eval::known_windows(rule, dates.known_on);
    let versions = rule
        .versions
        .iter()
        .enumerate()
        .filter(|(i, _)| known.iter().any(|(k, _, _)| k == i))
        .map(|(i, v)| {
            let window = known.iter().find(|(k, _, _)| *k == i);
            let role = match r.and_then(|r| r.version) {
                Some(used) if used == i && is_in_force(window, dates.as_of) => "used",
                _ if v.from > dates.as_of => "not yet in force",
                _ => "no longer in force",
            };
            VersionChoice {
                number: i + 1,
                from: v.from.to_string(),
                until: window.and_then(|(_, _, end)| *end).map(|d| d.to_string()),
                published: v.published.to_string(),
                role,
            }
        })
        .collect();
    let view = r.map(|r| result(rs, dates, r));
    let mut facts_used: Vec<FactLine> = Vec::new();
    if let Some(v) = &view {
        for c in &v.explanation {
            collect(&c.node, &facts.file, &mut facts_used);
        }
    }
    ExplainView {
        schema_version: SCHEMA_VERSION,
        ruleset: RulesetView::of(rs),
        as_of: dates.as_of.to_string(),
        known_on: dates.known_on.to_string(),
        facts_file: facts.file.clone(),
        organisation: facts.name.clone(),
        unpublished_versions: rule.versions.len() - known.len(),
        versions,
        result: view,
        facts: facts_used,
    }
}

fn is_in_force(
    window: Option<&(usize, &crate::model::Version, Option<NaiveDate>)>,
    day: NaiveDate,
) -> bool {
    window.is_some_and(|(_, v, end)| v.from <= day && end.is_none_or(|e| day <= e))
}

/// The facts under a node, each once, in the order first met.
fn collect(node: &ExplainNode, file: &str, out: &mut Vec<FactLine>) {
    for f in &node.facts {
        if out.iter().any(|o| o.fact == f.fact) {
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
    for c in &node.children {
        collect(c, file, out);
    }
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
