//! Every status of the status table, reached through the features ruleset.

use obligo::eval::Moment;
use obligo::eval::{Deadline, Status};

use crate::common::{d, facts, features, result_on, status, status_on};

const EMIS_LIVE_EARLY: &str =
    "facts:\n  supplier: EMIS\n  in_england: true\n  switched_on: 2022-10-20\n  paused_at: null\n";
const EMIS_NOT_LIVE: &str = "facts:\n  supplier: EMIS\n  in_england: true\n  switched_on: null\n  paused_at: null\n  notes: null\n";

/// The names of a result's missing facts.
fn missing(rs: &obligo::model::Ruleset, r: &obligo::eval::Outcome) -> Vec<String> {
    r.missing
        .iter()
        .map(|id| rs.get_fact(*id).unwrap().name.clone())
        .collect()
}

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
    let r = result_on(&rs, EMIS_NOT_LIVE, "target", "2022-12-01");
    assert_eq!(r.status, Status::Ended);
    let notes: Vec<String> = r
        .notes
        .iter()
        .map(|n| obligo::report::words::note(&rs, rs.get_rule(r.rule).unwrap(), n))
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("withdrawn from 2022-11-29")),
        "{notes:?}"
    );
}

#[test]
fn ended_by_supersession_names_the_successor() {
    let rs = features();
    let yaml = "facts:\n  notice_received: 2023-06-01\n  plan_sent: null\n";
    let r = result_on(&rs, yaml, "send-plan", "2024-02-01");
    assert_eq!(r.status, Status::Ended);
    let notes: Vec<String> = r
        .notes
        .iter()
        .map(|n| obligo::report::words::note(&rs, rs.get_rule(r.rule).unwrap(), n))
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("superseded by `contract-access`")),
        "{notes:?}"
    );
}

#[test]
fn an_exception_sets_its_own_status_and_the_later_one_wins() {
    let rs = features();
    let tpp = |notes: &str| {
        format!(
            "facts:\n  supplier: TPP\n  in_england: true\n  excluded: 95\n  switched_on: null\n  paused_at: null\n  notes: {notes}\n"
        )
    };
    assert_eq!(
        status_on(&rs, &tpp("null"), "target", "2022-11-10"),
        Status::NotApplicable
    );
    // Both exceptions hold; the one written last decides.
    assert_eq!(
        status_on(&rs, &tpp("exempted"), "target", "2022-11-10"),
        Status::Met
    );
}

#[test]
fn not_applicable_when_applies_when_is_false() {
    let rs = features();
    let yaml = "facts:\n  supplier: Other\n  in_england: true\n";
    assert_eq!(
        status_on(&rs, yaml, "target", "2022-10-15"),
        Status::NotApplicable
    );
}

#[test]
fn met_on_time() {
    let rs = features();
    let r = result_on(&rs, EMIS_LIVE_EARLY, "target", "2022-10-25");
    assert_eq!(r.status, Status::Met);
    assert_eq!(r.met_on, Some(Moment::Day(d("2022-10-20"))));
}

#[test]
fn met_late_when_satisfied_after_the_deadline() {
    let rs = features();
    let yaml = "facts:\n  supplier: EMIS\n  in_england: true\n  switched_on: 2022-11-10\n  paused_at: null\n  notes: null\n";
    assert_eq!(
        status_on(&rs, yaml, "target", "2022-11-15"),
        Status::MetLate
    );
}

#[test]
fn pending_before_the_deadline_with_days_left() {
    let rs = features();
    let r = result_on(&rs, EMIS_NOT_LIVE, "target", "2022-10-15");
    assert_eq!(r.status, Status::Pending);
    assert_eq!(r.days_to_deadline, Some(17));
    assert_eq!(r.deadline, Deadline::On(Moment::Day(d("2022-11-01"))));
}

#[test]
fn the_deadline_day_itself_is_still_pending() {
    let rs = features();
    let r = result_on(&rs, EMIS_NOT_LIVE, "target", "2022-11-01");
    assert_eq!(r.status, Status::Pending);
    assert_eq!(r.days_to_deadline, Some(0));
}

#[test]
fn overdue_the_day_after_the_deadline() {
    let rs = features();
    let r = result_on(&rs, EMIS_NOT_LIVE, "target", "2022-11-02");
    assert_eq!(r.status, Status::Overdue);
    assert_eq!(r.days_to_deadline, Some(-1));
}

#[test]
fn an_undecided_exception_leaves_the_rule_unknown() {
    let rs = features();
    // `notes` could make the "exempted" exception hold: without it, nothing is decided.
    let yaml =
        "facts:\n  supplier: EMIS\n  in_england: true\n  switched_on: null\n  paused_at: null\n";
    let r = result_on(&rs, yaml, "target", "2022-11-02");
    assert_eq!(r.status, Status::Unknown);
    assert_eq!(missing(&rs, &r), ["notes"]);
}

#[test]
fn overdue_without_a_deadline_is_worded_for_a_prohibition() {
    let rs = features();
    let yaml = "facts:\n  coded: 600\n  registered: 1000\n  excluded: 60\n";
    let r = result_on(&rs, yaml, "no-bulk-exclusion", "2023-01-01");
    assert_eq!(r.status, Status::Overdue);
    assert_eq!(
        obligo::report::words::status(r.status, obligo::model::RuleKind::Prohibition),
        "breached"
    );
}

#[test]
fn unknown_lists_exactly_the_deciding_facts() {
    let rs = features();
    let r = result_on(
        &rs,
        "facts:\n  supplier: EMIS\n  switched_on: null\n",
        "target",
        "2022-10-15",
    );
    assert_eq!(r.status, Status::Unknown);
    assert_eq!(missing(&rs, &r), ["in_england"]);
}

#[test]
fn supplying_the_missing_fact_decides_the_rule() {
    let rs = features();
    let without = "facts:\n  supplier: EMIS\n  switched_on: null\n";
    let with = "facts:\n  supplier: EMIS\n  switched_on: null\n  in_england: true\n";
    assert_eq!(
        status_on(&rs, without, "target", "2022-10-15"),
        Status::Unknown
    );
    assert_eq!(
        status_on(&rs, with, "target", "2022-10-15"),
        Status::Pending
    );
}

#[test]
fn a_pause_asked_for_by_17_00_on_4_november_moves_the_deadline() {
    let rs = features();
    let at = |when: &str| {
        let yaml = format!(
            "facts:\n  supplier: EMIS\n  in_england: true\n  switched_on: null\n  paused_at: {when}\n  notes: null\n"
        );
        result_on(&rs, &yaml, "target", "2022-11-20").deadline
    };
    assert_eq!(
        at("2022-11-04T17:00"),
        Deadline::On(Moment::Day(d("2022-11-30")))
    );
    assert_eq!(
        at("2022-11-04T17:01"),
        Deadline::On(Moment::Day(d("2022-11-01")))
    );
}
