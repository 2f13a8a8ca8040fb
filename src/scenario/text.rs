//! The plain-text rendering of a test run.

use std::fmt::Write as _;

use super::coverage::Coverage;
use super::deciding;
use super::run::Verdict;
use super::view::{CheckView, ScenarioView, TestView};
use crate::report::text::{result_indented, ruleset_lines};
use crate::report::view::ResultView;

/// Renders a run as text: each file's scenarios, passed or failed (with
/// expected against actual and the clause that decided), the summary, and
/// the coverage when asked for.
pub fn render(view: &TestView) -> String {
    render_with(view, false)
}

/// Renders a run as [`render`] does; with `verbose`, each failed rule's
/// whole explanation instead of the clause that decided.
pub fn render_with(view: &TestView, verbose: bool) -> String {
    let mut out = ruleset_lines(&view.ruleset);
    let mut file: Option<&str> = None;
    for s in &view.scenarios {
        if file != Some(s.file.as_str()) {
            let _ = writeln!(out, "\n{}", s.file);
            file = Some(s.file.as_str());
        }
        scenario(&mut out, s, verbose);
    }
    // A failure's block ends with a blank line; one is enough.
    while out.ends_with("\n\n") {
        out.pop();
    }
    let sm = view.summary;
    let disputed = if sm.disputed > 0 {
        format!(", {} disputed", sm.disputed)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "\n{} {}, {} passed, {} failed{disputed}",
        sm.scenarios,
        if sm.scenarios == 1 {
            "scenario"
        } else {
            "scenarios"
        },
        sm.passed,
        sm.failed
    );
    if sm.failed > 0 && !verbose {
        let _ = writeln!(
            out,
            "(`obligo test --verbose` shows each failed rule's whole explanation)"
        );
    }
    if let Some(c) = &view.coverage {
        coverage(&mut out, c);
    }
    out
}

fn scenario(out: &mut String, s: &ScenarioView, verbose: bool) {
    let dates = if s.known_on == s.as_of {
        format!("as of {}", s.as_of)
    } else {
        format!("as of {}, known on {}", s.as_of, s.known_on)
    };
    match (s.outcome, &s.disputed) {
        (Verdict::Passed, None) => {
            let _ = writeln!(out, "  ok    {} ({dates})", s.name);
        }
        (Verdict::Passed, Some(_)) => {
            let _ = writeln!(
                out,
                "  ok    {} ({dates}; line {}): marked disputed, but it passes: remove `disputed:`",
                s.name, s.line
            );
        }
        (Verdict::Disputed, reason) => {
            let _ = writeln!(out, "  DISPUTED  {} ({dates}; line {})", s.name, s.line);
            if let Some(reason) = reason {
                let _ = writeln!(out, "        disputed: {reason}");
            }
            for c in s.checks.iter().filter(|c| !c.passed) {
                failure(out, s, c, Shown::Nothing);
            }
        }
        (Verdict::Failed, _) => {
            let _ = writeln!(out, "  FAIL  {} ({dates}; line {})", s.name, s.line);
            let shown = if verbose {
                Shown::Whole
            } else {
                Shown::Deciding
            };
            for c in s.checks.iter().filter(|c| !c.passed) {
                failure(out, s, c, shown);
            }
        }
    }
}

/// How much of a failed rule's result is shown under its expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// Only expected against actual (a disputed scenario).
    Nothing,
    /// The clause that decided, with the facts it read.
    Deciding,
    /// The whole result, explanation and all (`--verbose`).
    Whole,
}

/// What a check expected against what came out, and as much of the rule's result as `shown` says.
fn failure(out: &mut String, s: &ScenarioView, c: &CheckView, shown: Shown) {
    if let Some(expected) = c.expected.filter(|e| *e != c.actual) {
        let why = if c.actual == "absent" {
            format!(" (no version of the rule was published by {})", s.known_on)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "        {} (line {}): expected {expected}, got {}{why}",
            c.rule, c.line, c.actual
        );
    }
    if let Some(expected) = c
        .expected_missing
        .as_ref()
        .filter(|e| **e != c.actual_missing)
    {
        let _ = writeln!(
            out,
            "        {} (line {}): expected missing facts {}, got {}",
            c.rule,
            c.line,
            list(expected),
            list(&c.actual_missing)
        );
    }
    if let Some(r) = &c.result {
        result(out, r, shown);
    }
    for i in c.items.iter().filter(|i| !i.passed) {
        let why = if i.actual == "absent" {
            " (the rule judged no such item on that day)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "        {} (line {}): {}: expected {}, got {}{why}",
            c.rule, i.line, i.name, i.expected, i.actual
        );
        if let Some(r) = &i.result {
            result(out, r, shown);
        }
    }
}

/// A failed rule's (or item's) result, as much as `shown` says.
fn result(out: &mut String, r: &ResultView, shown: Shown) {
    match shown {
        Shown::Nothing => {}
        Shown::Deciding => deciding::render(out, r, "          "),
        Shown::Whole => {
            result_indented(out, r, "        ");
            out.push('\n');
        }
    }
}

fn list(facts: &[String]) -> String {
    if facts.is_empty() {
        "none".into()
    } else {
        facts.join(", ")
    }
}

/// A percentage as people write it: `100%`, `95.8%`.
fn percent(p: f64) -> String {
    let s = format!("{p:.1}");
    format!("{}%", s.strip_suffix(".0").unwrap_or(&s))
}

fn coverage(out: &mut String, c: &Coverage) {
    let _ = writeln!(
        out,
        "\ncoverage: {} of {} rules reached ({}), {} statuses in all",
        c.rules_reached,
        c.rules,
        percent(c.percent),
        c.statuses_reached
    );
    let width = c.by_rule.iter().map(|r| r.rule.len()).max().unwrap_or(0);
    for r in &c.by_rule {
        let statuses = if r.statuses.is_empty() {
            "not reached".to_string()
        } else {
            r.statuses
                .iter()
                .map(|s| s.status.code())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(out, "  {:width$}  {statuses}", r.rule);
    }
    if let Some(min) = c.minimum {
        if c.below_minimum {
            let _ = writeln!(
                out,
                "coverage {} is below the minimum of {}",
                percent(c.percent),
                percent(min)
            );
        } else {
            let _ = writeln!(out, "coverage meets the minimum of {}", percent(min));
        }
    }
}
