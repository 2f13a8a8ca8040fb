//! Running scenarios: each one evaluated, each expectation compared.

use serde::Serialize;

use super::{Check, Expected, ItemCheck, Scenario};
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
    /// Each item expected (`expect_items:`), in file order.
    pub items: Vec<ItemCheckOutcome>,
}

/// One item of a rule judged `for each`: what was expected and what came out.
#[derive(Debug, Clone)]
pub struct ItemCheckOutcome {
    pub check: ItemCheck,
    /// How reports name the item (`access request R-4`, `period 2024-05`).
    pub name: String,
    /// The item's status, or `Absent` if the rule judged no such item.
    pub actual: Expected,
    /// The item's own result, if the rule judged it.
    pub result: Option<eval::Outcome>,
}

impl ItemCheckOutcome {
    /// The item came out as expected.
    pub fn passed(&self) -> bool {
        self.check.status == self.actual
    }
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

    /// What is expected of the rule itself (its status and missing facts) holds.
    pub fn rule_passed(&self) -> bool {
        self.status_passed() && self.missing_passed()
    }

    /// Everything expected of the rule and of its items holds.
    pub fn passed(&self) -> bool {
        self.rule_passed() && self.items.iter().all(ItemCheckOutcome::passed)
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
            let items = check
                .items
                .iter()
                .map(|i| item(ruleset, scenario, check, i, result.as_ref()))
                .collect();
            CheckOutcome {
                check: check.clone(),
                actual,
                missing,
                result,
                items,
            }
        })
        .collect();
    Outcome { scenario, checks }
}

/// Runs every scenario, in order.
pub fn run_all<'a>(ruleset: &Ruleset, scenarios: &'a [Scenario]) -> Vec<Outcome<'a>> {
    scenarios.iter().map(|s| run(ruleset, s)).collect()
}

/// One item expected of a rule, found among the rule's items by its key.
fn item(
    ruleset: &Ruleset,
    scenario: &Scenario,
    check: &Check,
    expected: &ItemCheck,
    result: Option<&eval::Outcome>,
) -> ItemCheckOutcome {
    let rule = ruleset.rule(check.rule);
    let found = result.into_iter().flat_map(|r| &r.items).find_map(|o| {
        let name = crate::report::words::item_name(ruleset, &scenario.facts, rule, o);
        (name.key == expected.key).then_some((name.name, o))
    });
    match found {
        Some((name, o)) => ItemCheckOutcome {
            check: expected.clone(),
            name,
            actual: Expected::Status(o.status),
            result: Some(o.clone()),
        },
        None => {
            let name = match &rule.each {
                Some(crate::model::Each::Item { kind, .. }) => {
                    let one = ruleset
                        .kinds
                        .get(kind.index())
                        .map_or("item", |k| k.one.as_str());
                    format!("{one} {}", expected.key)
                }
                _ => format!("period {}", expected.key),
            };
            ItemCheckOutcome {
                check: expected.clone(),
                name,
                actual: Expected::Absent,
                result: None,
            }
        }
    }
}
