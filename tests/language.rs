//! Constructs of the language, each shown working: three-valued logic,
//! null against absent, dates, durations, percentages, definitions.

use obligo::eval::Moment;
use obligo::eval::{Deadline, Status};

use crate::common::{
    d, facts, features, obligo, result, result_on, ruleset_text, run, status, status_on,
};

#[test]
fn a_ruleset_is_a_folder_of_files() {
    let rs = features();
    assert_eq!(rs.name, "features");
    assert_eq!(rs.version, "test.1");
    assert_eq!(rs.rules.len(), 5);
    assert_eq!(rs.sha256.len(), 64);
}

#[test]
fn false_and_unknown_is_false() {
    let rs = features();
    // live is false; the share part is unknown: `met when` is false, not unknown.
    let yaml = "facts:\n  in_england: true\n  switched_on: null\n  score: 2\n";
    assert_eq!(
        status_on(&rs, yaml, "contract-access", "2023-06-01"),
        Status::Pending
    );
}

#[test]
fn true_or_unknown_is_true() {
    let rs = features();
    // excluded < 10% is true, coded and registered are missing: the `or` holds.
    let yaml = "facts:\n  in_england: true\n  switched_on: 2023-06-01\n  excluded: 5\n  score: 2\n";
    assert_eq!(
        status_on(&rs, yaml, "contract-access", "2023-07-01"),
        Status::Met
    );
}

#[test]
fn null_is_known_not_happened_but_absent_is_unknown() {
    let rs = features();
    let null = "facts:\n  supplier: EMIS\n  in_england: true\n  switched_on: null\n";
    let absent = "facts:\n  supplier: EMIS\n  in_england: true\n";
    assert_eq!(
        status_on(&rs, null, "target", "2022-10-15"),
        Status::Pending
    );
    assert_eq!(
        status_on(&rs, absent, "target", "2022-10-15"),
        Status::Unknown
    );
}

#[test]
fn an_event_dated_after_the_as_of_date_has_not_happened_yet() {
    let rs = features();
    let yaml = "facts:\n  supplier: EMIS\n  in_england: true\n  switched_on: 2022-10-20\n";
    assert_eq!(
        status_on(&rs, yaml, "target", "2022-10-19"),
        Status::Pending
    );
    assert_eq!(status_on(&rs, yaml, "target", "2022-10-20"), Status::Met);
}

#[test]
fn a_deadline_relative_to_a_fact() {
    let rs = features();
    let f = facts(
        &rs,
        "f",
        "facts:\n  notice_received: 2023-03-01\n  plan_sent: null\n",
    );
    let results = run(&rs, &f, "2023-03-29", "2023-03-29");
    let r = result(&rs, &results, "send-plan");
    assert_eq!(r.deadline, Deadline::On(Moment::Day(d("2023-03-29"))));
    assert_eq!(r.status, Status::Pending);
    assert_eq!(
        status(&rs, &f, "send-plan", "2023-03-30", "2023-03-30"),
        Status::Overdue
    );
    let late = facts(
        &rs,
        "f",
        "facts:\n  notice_received: 2023-03-01\n  plan_sent: 2023-04-02\n",
    );
    assert_eq!(
        status(&rs, &late, "send-plan", "2023-05-01", "2023-05-01"),
        Status::MetLate
    );
}

#[test]
fn definitions_arithmetic_and_percentages() {
    let rs = features();
    let rule = "no-bulk-exclusion";
    // 500 of 1000 is exactly 50%: not more than half.
    let half = "facts:\n  coded: 500\n  registered: 1000\n  excluded: 50\n";
    assert_eq!(status_on(&rs, half, rule, "2023-01-01"), Status::Met);
    let over = "facts:\n  coded: 501\n  registered: 1000\n  excluded: 50\n";
    assert_eq!(status_on(&rs, over, rule, "2023-01-01"), Status::Overdue);
    let pct = "facts:\n  coded: 1\n  registered: 1000\n  excluded: 50.1%\n";
    assert_eq!(status_on(&rs, pct, rule, "2023-01-01"), Status::Overdue);
}

#[test]
fn division_by_zero_is_unknown_never_a_value_that_decides() {
    let rs = features();
    // share = coded / registered has no value: `share > 50%` is unknown, so
    // the rule cannot be respected on its strength...
    let yaml = "facts:\n  coded: 0\n  registered: 0\n  excluded: 10\n";
    assert_eq!(
        status_on(&rs, yaml, "no-bulk-exclusion", "2023-01-01"),
        Status::Unknown
    );
    // ...but `unknown or true` is still true, so a known part still decides.
    let yaml = "facts:\n  coded: 0\n  registered: 0\n  excluded: 60\n";
    assert_eq!(
        status_on(&rs, yaml, "no-bulk-exclusion", "2023-01-01"),
        Status::Overdue
    );
}

#[test]
fn months_is_missing_not_equal_durations_and_today() {
    let rs = features();
    let rule = "monthly-report";
    let with_month = |m: &str| {
        format!("facts:\n  supplier: EMIS\n  plan_sent: 2023-01-10\n  report_month: {m}\n")
    };
    assert_eq!(
        status_on(&rs, &with_month("null"), rule, "2023-03-01"),
        Status::Met
    );
    assert_eq!(
        status_on(&rs, &with_month("2023-02"), rule, "2023-03-01"),
        Status::Met
    );
    // More than 365 days after the plan: `today - plan_sent <= 365` fails.
    assert_eq!(
        status_on(&rs, &with_month("2023-02"), rule, "2024-03-01"),
        Status::Overdue
    );
    assert_eq!(
        status_on(&rs, &with_month("2023-01"), rule, "2023-03-01"),
        Status::Overdue
    );
    let other = "facts:\n  supplier: Other\n  plan_sent: 2023-01-10\n";
    assert_eq!(
        status_on(&rs, other, rule, "2023-03-01"),
        Status::NotApplicable
    );
}

#[test]
fn positions_show_only_once_their_source_is_published() {
    let (_, before, _) = obligo(&[
        "check",
        "--rules",
        "tests/good/ruleset",
        "--as-of",
        "2023-06-01",
        "--known-on",
        "2023-06-01",
        "--format",
        "json",
        "tests/good/facts/in-england.yaml",
    ]);
    let (_, after, _) = obligo(&[
        "check",
        "--rules",
        "tests/good/ruleset",
        "--as-of",
        "2023-06-01",
        "--known-on",
        "2024-03-01",
        "--format",
        "json",
        "tests/good/facts/in-england.yaml",
    ]);
    assert!(!before.contains("Risks can be mitigated"));
    assert!(after.contains("Risks can be mitigated"));
}

#[test]
fn the_same_inputs_give_byte_identical_output() {
    let args = [
        "check",
        "--rules",
        "tests/good/ruleset",
        "--as-of",
        "2022-11-20",
        "--known-on",
        "2022-11-20",
        "tests/good/facts/in-england.yaml",
    ];
    let first = obligo(&args);
    for _ in 0..3 {
        assert_eq!(obligo(&args), first);
    }
}

#[test]
fn the_explanation_shows_fact_values_labels_and_lines() {
    let (_, out, _) = obligo(&[
        "check",
        "--rules",
        "tests/good/ruleset",
        "--as-of",
        "2022-10-15",
        "--known-on",
        "2022-10-15",
        "tests/good/facts/in-england.yaml",
        "--detail",
        "full",
    ]);
    crate::snap!("language__explained_text_report", out);
}

#[test]
fn an_unstated_deadline_keeps_an_unmet_rule_pending() {
    let rs = ruleset_text(
        r#"ruleset t "T" version "1" published 2023-01-01
authority nhse "NHS England" expectation
source doc "Document" by nhse published 2023-02-03
fact plan_sent: date, optional "Plan sent" ask "When was the plan sent?"
obligation plan "Send a plan" by nhse
  version from 2023-02-03 published 2023-02-03
    cites doc
    deadline unstated
    met when plan_sent is set
    met on plan_sent
"#,
    );
    let unmet = result_on(&rs, "facts:\n  plan_sent: null\n", "plan", "2024-06-30");
    assert_eq!(unmet.status, Status::Pending);
    assert_eq!(unmet.deadline, Deadline::NotYetSet);
    let met = result_on(
        &rs,
        "facts:\n  plan_sent: 2023-03-01\n",
        "plan",
        "2024-06-30",
    );
    assert_eq!(met.status, Status::Met);
}

#[test]
fn a_date_as_recorded_keeps_its_value_at_earlier_dates() {
    let rs = ruleset_text(
        r#"ruleset t "T" version "1" published 2023-01-01
authority a "A" expectation
source s "S" by a published 2023-01-01
fact latest: month, optional, as recorded "Latest month reported" ask "Which month was last reported?"
fact started: date, optional "Started" ask "When did it start?"
obligation r "Report" by a
  version from 2023-01-01 published 2023-01-01
    cites s
    met when latest >= 2023-03 and started is missing
"#,
    );
    // Judged in June 2023, facts recorded later: the event dated 2024 has
    // not happened yet, while the summary month keeps its value.
    let yaml = "facts:\n  latest: 2024-05\n  started: 2024-01-10\n";
    assert_eq!(status_on(&rs, yaml, "r", "2023-06-01"), Status::Met);
}
