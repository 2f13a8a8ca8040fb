//! Coverage: which rules, and which of their statuses, the scenarios reach.
//!
//! A status is reached when a scenario expects it of the rule and gets it.
//! Rules only evaluated on the way, or expected `absent`, are not reached:
//! what counts is what a scenario pins.

use serde::Serialize;

use super::Expected;
use super::run::Outcome;
use crate::eval::Status;
use crate::model::{RuleId, Ruleset};

/// The coverage of a ruleset by its scenarios.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// Rules in the ruleset.
    pub rules: usize,
    /// Rules with at least one status reached.
    pub rules_reached: usize,
    /// `rules_reached` as a percentage of `rules`, to one decimal.
    pub percent: f64,
    /// (rule, status) pairs reached.
    pub statuses_reached: usize,
    /// The least percentage asked for, if one was.
    pub minimum: Option<f64>,
    /// The percentage is below `minimum`.
    pub below_minimum: bool,
    /// Each rule, in ruleset order.
    pub by_rule: Vec<RuleCoverage>,
}

/// One rule's statuses reached.
#[derive(Debug, Clone, Serialize)]
pub struct RuleCoverage {
    pub rule: String,
    /// In decision order; empty if the rule is not reached.
    pub statuses: Vec<StatusReached>,
}

/// A status reached, and the scenarios that reach it.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReached {
    pub status: Status,
    pub scenarios: Vec<String>,
}

/// Measures coverage over the outcomes; `minimum` is a percentage.
pub fn measure(ruleset: &Ruleset, outcomes: &[Outcome<'_>], minimum: Option<f64>) -> Coverage {
    let by_rule: Vec<RuleCoverage> = ruleset
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let id = RuleId(u32::try_from(i).unwrap_or(u32::MAX));
            let statuses = Status::ALL
                .iter()
                .filter_map(|status| {
                    let scenarios: Vec<String> = outcomes
                        .iter()
                        .filter(|o| {
                            o.checks.iter().any(|c| {
                                c.check.rule == id
                                    && c.check.status == Some(Expected::Status(*status))
                                    && c.status_passed()
                            })
                        })
                        .map(|o| o.scenario.name.clone())
                        .collect();
                    (!scenarios.is_empty()).then_some(StatusReached {
                        status: *status,
                        scenarios,
                    })
                })
                .collect();
            RuleCoverage {
                rule: rule.name.clone(),
                statuses,
            }
        })
        .collect();
    let rules = by_rule.len();
    let rules_reached = by_rule.iter().filter(|r| !r.statuses.is_empty()).count();
    let statuses_reached = by_rule.iter().map(|r| r.statuses.len()).sum();
    let exact = if rules == 0 {
        100.0
    } else {
        rules_reached as f64 * 100.0 / rules as f64
    };
    Coverage {
        rules,
        rules_reached,
        percent: (exact * 10.0).floor() / 10.0,
        statuses_reached,
        minimum,
        below_minimum: minimum.is_some_and(|m| exact < m),
        by_rule,
    }
}
