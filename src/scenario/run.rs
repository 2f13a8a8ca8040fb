//! Running scenarios: each one evaluated, each expectation compared.

use serde::Serialize;

use super::{Check, Expected, Scenario};
use crate::eval::{self, Plan};
use crate::model::{FactId, Ruleset};

/// One rule of one scenario: what was expected and what came out.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    pub check: Check,
    /// The rule's status, or `Absent` if no version of it was known.
    pub actual: Expected,
    /// The facts the result lists as missing, sorted.
    pub missing: Vec<FactId>,
    /// The rule's result, if it had one.
    pub result: Option<eval::Outcome>,
}

impl CheckOutcome {
    /// The expected status, if any, is the actual one.
    pub fn status_passed(&self) -> bool {
        self.check.status.is_none_or(|e| e == self.actual)
    }

    /// The expected missing facts, if given, are exactly those missing.
    pub fn missing_passed(&self) -> bool {
        self.check
            .missing
            .as_ref()
            .is_none_or(|m| *m == self.missing)
    }

    /// Everything expected of the rule holds.
    pub fn passed(&self) -> bool {
        self.status_passed() && self.missing_passed()
    }
}

/// One scenario's run.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    pub scenario: &'a Scenario,
    pub checks: Vec<CheckOutcome>,
}

impl Outcome<'_> {
    /// Every check passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(CheckOutcome::passed)
    }

    /// Passed, failed, or failed but disputed.
    pub fn verdict(&self) -> Verdict {
        match (self.passed(), &self.scenario.disputed) {
            (true, _) => Verdict::Passed,
            (false, None) => Verdict::Failed,
            (false, Some(_)) => Verdict::Disputed,
        }
    }
}

/// How a scenario came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every expectation holds.
    Passed,
    /// Some expectation does not hold.
    Failed,
    /// Some expectation does not hold, and the scenario says it is disputed.
    Disputed,
}

/// Runs one scenario.
pub fn run<'a>(ruleset: &Ruleset, scenario: &'a Scenario) -> Outcome<'a> {
    let results = Plan::new(ruleset, scenario.dates).evaluate(&scenario.facts);
    let checks = scenario
        .checks
        .iter()
        .map(|check| {
            let result = results.iter().find(|r| r.rule == check.rule).cloned();
            let actual = result
                .as_ref()
                .map_or(Expected::Absent, |r| Expected::Status(r.status));
            let mut missing = result
                .as_ref()
                .map(|r| r.missing.clone())
                .unwrap_or_default();
            missing.sort();
            missing.dedup();
            CheckOutcome {
                check: check.clone(),
                actual,
                missing,
                result,
            }
        })
        .collect();
    Outcome { scenario, checks }
}

/// Runs every scenario, in order.
pub fn run_all<'a>(ruleset: &Ruleset, scenarios: &'a [Scenario]) -> Vec<Outcome<'a>> {
    scenarios.iter().map(|s| run(ruleset, s)).collect()
}
