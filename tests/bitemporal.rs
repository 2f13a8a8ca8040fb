//! Bitemporal evaluation on the bundled ruleset: the date judged and the date
//! of knowledge are separate, and the deadline history of automatic access
//! is told by `--known-on`.

use crate::common::obligo;
use crate::snap;

const TARGET: &str = "nhse-automatic-access-nov-2022";

/// The text block of one rule in a text report.
fn block<'a>(report: &'a str, rule: &str) -> &'a str {
    // A rule ended or not yet in force is folded to one line: `[ENDED] rule — note`.
    let name_at = report
        .find(&format!("] {rule}\n"))
        .or_else(|| report.find(&format!("] {rule} — ")))
        .unwrap_or_else(|| panic!("{rule} not in report:\n{report}"));
    let start = report[..name_at].rfind('[').unwrap();
    let rest = &report[start..];
    let end = rest[1..].find("\n[").map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

fn check(facts: &str, as_of: &str, known_on: &str) -> (i32, String) {
    // In full: each block pins its rule's whole explanation.
    let (code, out, err) = obligo(&[
        "check",
        facts,
        "--as-of",
        as_of,
        "--known-on",
        known_on,
        "--detail",
        "full",
    ]);
    assert!(err.is_empty(), "{err}");
    (code, out)
}

#[test]
fn the_2022_target_is_first_known_then_known_withdrawn() {
    let (_, early) = check("examples/paused-emis.yaml", "2022-10-15", "2022-10-15");
    let first = block(&early, TARGET);
    assert!(
        first.contains("deadline: 2022-11-01 (in 17 days, due soon)"),
        "{first}"
    );
    assert!(!first.contains("withdrawn"), "{first}");

    let (_, late) = check("examples/paused-emis.yaml", "2022-10-15", "2022-11-30");
    let then = block(&late, TARGET);
    assert!(
        then.contains("deadline: 2022-11-01 (in 17 days, due soon)"),
        "{then}"
    );
    assert!(then.contains("later withdrawn from 2022-11-29"), "{then}");
    snap!("bitemporal__target_known_2022_10_15", first);
    snap!("bitemporal__target_known_2022_11_30", then);
}

#[test]
fn after_the_withdrawal_the_target_has_ended_but_only_once_known() {
    let (_, before) = check("examples/paused-emis.yaml", "2022-12-01", "2022-11-28");
    assert!(
        block(&before, TARGET).starts_with("[OVERDUE]")
            || block(&before, TARGET).starts_with("[MET"),
        "{before}"
    );
    let (_, after) = check("examples/paused-emis.yaml", "2022-12-01", "2022-12-01");
    assert!(block(&after, TARGET).starts_with("[ENDED]"), "{after}");
}

#[test]
fn a_missing_fact_is_unknown_and_names_its_question() {
    let (code, out) = check("examples/missing-facts.yaml", "2023-11-15", "2023-11-15");
    assert!(out.contains("[UNKNOWN]"), "{out}");
    assert!(
        out.contains("missing facts (answer these to decide the rule):"),
        "{out}"
    );
    assert_eq!(code, 3, "binding rules unknown and none overdue exits 3");
}
