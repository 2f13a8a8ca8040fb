//! The content of a test run, resolved to plain values: what text and JSON show.

use serde::Serialize;

use super::coverage::Coverage;
use super::run::{CheckOutcome, Outcome, Verdict};
use crate::eval::{Explainer, Plan};
use crate::model::{FactId, Ruleset};
use crate::report::view::{ResultView, RulesetView, explained};
use crate::report::why::Definitions;

/// The version of the JSON shape. Raise it when a field changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 2;

/// A whole `obligo test` run.
#[derive(Debug, Clone, Serialize)]
pub struct TestView {
    pub schema_version: u32,
    pub ruleset: RulesetView,
    pub summary: Summary,
    pub scenarios: Vec<ScenarioView>,
    /// With `--coverage` or `--min-coverage`.
    pub coverage: Option<Coverage>,
}

/// How many scenarios passed, failed, and failed but are disputed.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Summary {
    pub scenarios: usize,
    pub passed: usize,
    pub failed: usize,
    pub disputed: usize,
}

/// One scenario's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioView {
    pub file: String,
    pub line: usize,
    pub name: String,
    pub as_of: String,
    pub known_on: String,
    pub outcome: Verdict,
    /// Why its expectations are disputed, if they are.
    pub disputed: Option<String>,
    pub checks: Vec<CheckView>,
    /// The definitions the failed checks' explanations use, each explained once.
    #[serde(skip_serializing_if = "Definitions::is_empty")]
    pub definitions: std::sync::Arc<Definitions>,
}

/// One rule checked.
#[derive(Debug, Clone, Serialize)]
pub struct CheckView {
    pub rule: String,
    /// Where the expectation is written.
    pub line: usize,
    pub passed: bool,
    /// The status expected, if one was.
    pub expected: Option<&'static str>,
    /// The status found, or `absent`.
    pub actual: &'static str,
    /// The facts expected missing, if they were given.
    pub expected_missing: Option<Vec<String>>,
    pub actual_missing: Vec<String>,
    /// The rule's full result, when what was expected of the rule itself
    /// (status, missing facts) failed and the rule had one.
    pub result: Option<ResultView>,
    /// The items expected (`expect_items:`), in file order.
    pub items: Vec<ItemCheckView>,
}

/// One item checked.
#[derive(Debug, Clone, Serialize)]
pub struct ItemCheckView {
    /// Its key, as written: id, `#N` or period.
    pub key: String,
    /// How reports name it.
    pub name: String,
    /// Where the expectation is written.
    pub line: usize,
    pub passed: bool,
    pub expected: &'static str,
    /// The item's status, or `absent` when the rule judged no such item.
    pub actual: &'static str,
    /// The item's full result, when the check failed and the rule judged it.
    pub result: Option<ResultView>,
}

/// Builds the view of a run.
pub fn build(ruleset: &Ruleset, outcomes: &[Outcome<'_>], coverage: Option<Coverage>) -> TestView {
    let scenarios: Vec<ScenarioView> = outcomes.iter().map(|o| scenario(ruleset, o)).collect();
    let count = |v: Verdict| scenarios.iter().filter(|s| s.outcome == v).count();
    TestView {
        schema_version: SCHEMA_VERSION,
        ruleset: RulesetView::of(ruleset),
        summary: Summary {
            scenarios: scenarios.len(),
            passed: count(Verdict::Passed),
            failed: count(Verdict::Failed),
            disputed: count(Verdict::Disputed),
        },
        scenarios,
        coverage,
    }
}

impl TestView {
    /// 0 when no scenario failed (disputed ones aside) and coverage is not
    /// below its minimum, else 1.
    pub fn exit_code(&self) -> u8 {
        let below = self.coverage.as_ref().is_some_and(|c| c.below_minimum);
        u8::from(self.summary.failed > 0 || below)
    }
}

fn scenario(ruleset: &Ruleset, o: &Outcome<'_>) -> ScenarioView {
    let s = o.scenario;
    // A failed check shows the rule's whole result, explained.
    let plan = Plan::new(ruleset, s.dates);
    let mut ex = Explainer::new(&plan, &s.facts);
    let mut checks: Vec<CheckView> = o
        .checks
        .iter()
        .map(|c| {
            check(ruleset, c, &mut |r| {
                explained(ruleset, s.dates, &s.facts, &mut ex, r)
            })
        })
        .collect();
    let definitions = std::sync::Arc::new(Definitions::of(ruleset, &s.facts, &ex));
    for r in checks.iter_mut().filter_map(|c| c.result.as_mut()) {
        r.definitions = std::sync::Arc::clone(&definitions);
    }
    ScenarioView {
        file: s.file.clone(),
        line: s.line,
        name: s.name.clone(),
        as_of: s.dates.as_of.to_string(),
        known_on: s.dates.known_on.to_string(),
        outcome: o.verdict(),
        disputed: s.disputed.clone(),
        checks,
        definitions,
    }
}

fn check(
    ruleset: &Ruleset,
    c: &CheckOutcome,
    show: &mut dyn FnMut(&crate::eval::Outcome) -> ResultView,
) -> CheckView {
    let names = |ids: &[FactId]| -> Vec<String> {
        ids.iter().map(|f| ruleset.fact(*f).name.clone()).collect()
    };
    let passed = c.passed();
    let items = c
        .items
        .iter()
        .map(|i| ItemCheckView {
            key: i.check.key.clone(),
            name: i.name.clone(),
            line: i.check.line,
            passed: i.passed(),
            expected: i.check.status.code(),
            actual: i.actual.code(),
            result: i.result.as_ref().filter(|_| !i.passed()).map(&mut *show),
        })
        .collect();
    CheckView {
        rule: ruleset.rule(c.check.rule).name.clone(),
        line: c.check.line,
        passed,
        expected: c.check.status.map(super::Expected::code),
        actual: c.actual.code(),
        expected_missing: c.check.missing.as_deref().map(names),
        actual_missing: names(&c.missing),
        result: c
            .result
            .as_ref()
            .filter(|_| !c.rule_passed())
            .map(&mut *show),
        items,
    }
}
