//! The rules in force on a date, by the rules known on a date, and those
//! that were not: not yet in force, or ended.

use serde::Serialize;

use super::clauses::clauses;
use super::{EndingView, Known, SCHEMA_VERSION, WindowView};
use crate::eval::{Dates, Plan, Status};
use crate::facts::Facts;
use crate::model::Ruleset;
use crate::report::view::{AuthorityView, CitationView, RulesetView, authority, citations};

/// `obligo rules`: every rule known on `known_on`, by where it stands on `as_of`.
#[derive(Debug, Clone, Serialize)]
pub struct RulesView {
    pub schema_version: u32,
    pub ruleset: RulesetView,
    pub as_of: String,
    pub known_on: String,
    pub in_force: Vec<RuleSummary>,
    /// Known, but their first version starts after the as-of date.
    pub not_yet_in_force: Vec<RuleSummary>,
    /// Withdrawn, superseded or run out by the as-of date.
    pub ended: Vec<RuleSummary>,
    /// Rules of the ruleset with no version published by the known-on date.
    pub not_yet_published: usize,
}

/// One rule and the version that matters on the as-of date.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSummary {
    pub rule: String,
    pub title: String,
    pub kind: &'static str,
    pub authority: AuthorityView,
    /// How many versions were known.
    pub versions_known: usize,
    /// In force: the version in force; not yet in force: the first to come;
    /// ended: the last one in force.
    pub version: WindowView,
    /// That version's deadline clause as written; `null`: no deadline.
    pub deadline: Option<String>,
    /// That version's sources.
    pub citations: Vec<CitationView>,
    /// The known version after it, if any.
    pub next_version: Option<WindowView>,
    /// The known ending, or the day the last known version runs out.
    pub ending: Option<EndingView>,
}

/// Sorts the rules known on `dates.known_on` by where they stand on `dates.as_of`.
pub fn rules(rs: &Ruleset, dates: Dates) -> RulesView {
    let mut view = RulesView {
        schema_version: SCHEMA_VERSION,
        ruleset: RulesetView::of(rs),
        as_of: dates.as_of.to_string(),
        known_on: dates.known_on.to_string(),
        in_force: Vec::new(),
        not_yet_in_force: Vec::new(),
        ended: Vec::new(),
        not_yet_published: 0,
    };
    // Whether a rule is in force does not depend on facts, so judging an
    // organisation with none gives each rule's standing exactly as `check` does.
    let nobody = Facts::none();
    let results = Plan::new(rs, dates).evaluate(&nobody);
    view.not_yet_published = rs.rules.len().saturating_sub(results.len());
    for r in results {
        let rule = rs.rule(r.rule);
        let known = Known::new(rule, dates.known_on);
        let Some(summary) = r
            .version
            .and_then(|i| known.position(i))
            .and_then(|pos| summary(rs, &known, pos))
        else {
            continue;
        };
        match r.status {
            Status::NotInForce => view.not_yet_in_force.push(summary),
            Status::Ended => view.ended.push(summary),
            _ => view.in_force.push(summary),
        }
    }
    view
}

fn summary(rs: &Ruleset, known: &Known<'_>, pos: usize) -> Option<RuleSummary> {
    let &(_, v, _) = known.windows.get(pos)?;
    let rule = known.rule;
    Some(RuleSummary {
        rule: rule.name.clone(),
        title: rule.title.clone(),
        kind: rule.kind.keyword(),
        authority: authority(rs, rule.authority),
        versions_known: known.windows.len(),
        version: known.window(pos)?,
        deadline: clauses(rs, v).deadline,
        citations: citations(rs, &v.citations),
        next_version: known.window(pos + 1),
        ending: known.ending(rs),
    })
}
