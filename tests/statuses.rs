//! Every status of the status table, reached through the features ruleset.

use obligo::eval::{Deadline, Status};
use obligo::value::Value;

use crate::common::{d, facts, features, result, run, status};

const EMIS_LIVE_EARLY: &str =
    "facts:\n  supplier: EMIS\n  in_england: true\n  switched_on: 2022-10-20\n  paused_at: null\n";
const EMIS_NOT_LIVE: &str = "facts:\n  supplier: EMIS\n  in_england: true\n  switched_on: null\n  paused_at: null\n  notes: null\n";

#[test]
fn not_in_force_before_the_first_version_starts() {
    let rs = features();
    let f = facts(&rs, "f", EMIS_NOT_LIVE);
    assert_eq!(
        status(&rs, &f, "contract-access", "2023-01-01", "2023-04-01"),
        Status::NotInForce
    );
}

#[test]
fn ended_after_a_withdrawal_known_on_the_knowledge_date() {
    let rs = features();
    let f = facts(&rs, "f", EMIS_NOT_LIVE);
    let results = run(&rs, &f, "2022-12-01", "2022-12-01");
    let r = result(&rs, &results, "target");
    assert_eq!(r.status, Status::Ended);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("withdrawn from 2022-11-29")),
        "{:?}",
        r.notes
    );
}

#[test]
fn ended_by_supersession_names_the_successor() {
    let rs = features();
    let f = facts(
        &rs,
        "f",
        "facts:\n  notice_received: 2023-06-01\n  plan_sent: null\n",
    );
    let results = run(&rs, &f, "2024-02-01", "2024-02-01");
    let r = result(&rs, &results, "send-plan");
    assert_eq!(r.status, Status::Ended);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("superseded by `contract-access`")),
        "{:?}",
        r.notes
    );
}

#[test]
fn an_exception_sets_its_own_status_and_the_later_one_wins() {
    let rs = features();
    let tpp = facts(
        &rs,
        "f",
        "facts:\n  supplier: TPP\n  in_england: true\n  excluded: 95\n  switched_on: null\n  paused_at: null\n  notes: null\n",
    );
    assert_eq!(
        status(&rs, &tpp, "target", "2022-11-10", "2022-11-10"),
        Status::NotApplicable
    );
    let both = facts(
        &rs,
        "f",
        "facts:\n  supplier: TPP\n  in_england: true\n  excluded: 95\n  switched_on: null\n  paused_at: null\n  notes: exempted\n",
    );
    // Both exceptions hold; the one written last decides.
    assert_eq!(
        status(&rs, &both, "target", "2022-11-10", "2022-11-10"),
        Status::Met
    );
}

#[test]
fn not_applicable_when_applies_when_is_false() {
    let rs = features();
    let f = facts(&rs, "f", "facts:\n  supplier: Other\n  in_england: true\n");
    assert_eq!(
        status(&rs, &f, "target", "2022-10-15", "2022-10-15"),
        Status::NotApplicable
    );
}

#[test]
fn met_on_time() {
    let rs = features();
    let f = facts(&rs, "f", EMIS_LIVE_EARLY);
    let results = run(&rs, &f, "2022-10-25", "2022-10-25");
    let r = result(&rs, &results, "target");
    assert_eq!(r.status, Status::Met);
    assert_eq!(r.met_on, Some(Value::Date(d("2022-10-20"))));
}

#[test]
fn met_late_when_satisfied_after_the_deadline() {
    let rs = features();
    let f = facts(
        &rs,
        "f",
        "facts:\n  supplier: EMIS\n  in_england: true\n  switched_on: 2022-11-10\n  paused_at: null\n  notes: null\n",
    );
    assert_eq!(
        status(&rs, &f, "target", "2022-11-15", "2022-11-15"),
        Status::MetLate
    );
}

#[test]
fn pending_before_the_deadline_with_days_left() {
    let rs = features();
    let f = facts(&rs, "f", EMIS_NOT_LIVE);
    let results = run(&rs, &f, "2022-10-15", "2022-10-15");
    let r = result(&rs, &results, "target");
    assert_eq!(r.status, Status::Pending);
    assert_eq!(r.days_to_deadline, Some(17));
    assert_eq!(r.deadline, Deadline::On(Value::Date(d("2022-11-01"))));
}

#[test]
fn the_deadline_day_itself_is_still_pending() {
    let rs = features();
    let f = facts(&rs, "f", EMIS_NOT_LIVE);
    let results = run(&rs, &f, "2022-11-01", "2022-11-01");
    let r = result(&rs, &results, "target");
    assert_eq!(r.status, Status::Pending);
    assert_eq!(r.days_to_deadline, Some(0));
}

#[test]
fn overdue_the_day_after_the_deadline() {
    let rs = features();
    let f = facts(&rs, "f", EMIS_NOT_LIVE);
    let results = run(&rs, &f, "2022-11-02", "2022-11-02");
    let r = result(&rs, &results, "target");
    assert_eq!(r.status, Status::Overdue);
    assert_eq!(r.days_to_deadline, Some(-1));
}

#[test]
fn an_undecided_exception_leaves_the_rule_unknown() {
    let rs = features();
    // `notes` could make the "exempted" exception hold: without it, nothing is decided.
    let f = facts(
        &rs,
        "f",
        "facts:\n  supplier: EMIS\n  in_england: true\n  switched_on: null\n  paused_at: null\n",
    );
    let results = run(&rs, &f, "2022-11-02", "2022-11-02");
    let r = result(&rs, &results, "target");
    assert_eq!(r.status, Status::Unknown);
    let names: Vec<&str> = r
        .missing
        .iter()
        .map(|id| rs.fact(*id).name.as_str())
        .collect();
    assert_eq!(names, ["notes"]);
}

#[test]
fn overdue_without_a_deadline_is_worded_for_a_prohibition() {
    let rs = features();
    let f = facts(
        &rs,
        "f",
        "facts:\n  coded: 600\n  registered: 1000\n  excluded: 60\n",
    );
    let results = run(&rs, &f, "2023-01-01", "2023-01-01");
    let r = result(&rs, &results, "no-bulk-exclusion");
    assert_eq!(r.status, Status::Overdue);
    assert_eq!(
        r.status.words(obligo::model::RuleKind::Prohibition),
        "breached"
    );
}

#[test]
fn unknown_lists_exactly_the_deciding_facts() {
    let rs = features();
    let f = facts(&rs, "f", "facts:\n  supplier: EMIS\n  switched_on: null\n");
    let results = run(&rs, &f, "2022-10-15", "2022-10-15");
    let r = result(&rs, &results, "target");
    assert_eq!(r.status, Status::Unknown);
    let names: Vec<&str> = r
        .missing
        .iter()
        .map(|id| rs.fact(*id).name.as_str())
        .collect();
    assert_eq!(names, ["in_england"]);
}

#[test]
fn supplying_the_missing_fact_decides_the_rule() {
    let rs = features();
    let without = facts(&rs, "f", "facts:\n  supplier: EMIS\n  switched_on: null\n");
    let with = facts(
        &rs,
        "f",
        "facts:\n  supplier: EMIS\n  switched_on: null\n  in_england: true\n",
    );
    assert_eq!(
        status(&rs, &without, "target", "2022-10-15", "2022-10-15"),
        Status::Unknown
    );
    assert_eq!(
        status(&rs, &with, "target", "2022-10-15", "2022-10-15"),
        Status::Pending
    );
}

#[test]
fn a_pause_asked_for_by_17_00_on_4_november_moves_the_deadline() {
    let rs = features();
    let at = |when: &str| {
        let f = facts(
            &rs,
            "f",
            &format!(
                "facts:\n  supplier: EMIS\n  in_england: true\n  switched_on: null\n  paused_at: {when}\n  notes: null\n"
            ),
        );
        let results = run(&rs, &f, "2022-11-20", "2022-11-20");
        result(&rs, &results, "target").deadline.clone()
    };
    assert_eq!(
        at("2022-11-04T17:00"),
        Deadline::On(Value::Date(d("2022-11-30")))
    );
    assert_eq!(
        at("2022-11-04T17:01"),
        Deadline::On(Value::Date(d("2022-11-01")))
    );
}
