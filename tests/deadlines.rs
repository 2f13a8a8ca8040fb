//! Deadline forms: relative to a date, recurring by calendar period, and the
//! "due soon" window; judged at the boundaries where a status flips.

use obligo::eval::Moment;
use obligo::eval::{Deadline, Status};

use crate::common::{d, result_on, ruleset, ruleset_text, status_on};

const HEADER: &str = r#"ruleset t "T" version "1" published 2023-01-01
  due soon within 7 days
authority nhse "NHS England" expectation
source doc "Document" by nhse published 2023-01-01
fact notice: date, optional "Notice received" ask "When was the notice received?"
fact fixed: date, optional "Fixed" ask "When was it fixed?"
fact plan_sent: date, optional "Plan sent" ask "When was the plan sent?"
fact last_report: month, optional "Latest month reported" ask "Which month was last reported?"
fact last_return: date, optional "Latest quarter reported" ask "First day of the last quarter reported?"

obligation remedy "Remedy within 28 days of a notice" by nhse
  version from 2023-01-01 published 2023-01-01
    cites doc
    applies when notice is set
    deadline 28 days after notice
    due soon within 3 days
    met when fixed is set
    met on fixed

obligation report "Report each month, by the end of the next" by nhse
  version from 2023-01-01 published 2023-01-01
    cites doc
    applies when plan_sent is set
    deadline every month from plan_sent + 1 month, due 1 month after it ends
    met when last_report >= period

obligation quarterly "A return each quarter, within 10 days" by nhse
  version from 2023-01-01 published 2023-01-01
    cites doc
    deadline every quarter from 2023-01-01, due 10 days after it ends
    met when last_return >= period
"#;

fn on(day: &str) -> Deadline {
    Deadline::On(Moment::Day(d(day)))
}

#[test]
fn a_relative_deadline_counts_from_its_date() {
    let rs = ruleset_text(HEADER);
    let yaml = "facts:\n  notice: 2023-03-01\n  fixed: null\n";
    let r = result_on(&rs, yaml, "remedy", "2023-03-29");
    assert_eq!((r.status, r.deadline), (Status::Pending, on("2023-03-29")));
    assert_eq!(
        status_on(&rs, yaml, "remedy", "2023-03-30"),
        Status::Overdue
    );
    let late = "facts:\n  notice: 2023-03-01\n  fixed: 2023-03-30\n";
    assert_eq!(
        status_on(&rs, late, "remedy", "2023-04-15"),
        Status::MetLate
    );
}

#[test]
fn due_soon_uses_the_version_window_before_the_rulesets() {
    let rs = ruleset_text(HEADER);
    let yaml = "facts:\n  notice: 2023-03-01\n  fixed: null\n";
    // Deadline 29 Mar; the rule's own window is 3 days, not the ruleset's 7.
    assert!(!result_on(&rs, yaml, "remedy", "2023-03-25").due_soon);
    assert!(result_on(&rs, yaml, "remedy", "2023-03-26").due_soon);
    assert!(result_on(&rs, yaml, "remedy", "2023-03-29").due_soon);
    // Overdue is not "due soon".
    assert!(!result_on(&rs, yaml, "remedy", "2023-03-30").due_soon);
    // The ruleset's 7 days apply where the version says nothing: Q1 2023 is
    // due 10 Apr.
    let none = "facts:\n  last_return: null\n";
    assert!(!result_on(&rs, none, "quarterly", "2023-04-02").due_soon);
    assert!(result_on(&rs, none, "quarterly", "2023-04-03").due_soon);
}

#[test]
fn a_monthly_report_is_pending_until_the_end_of_the_next_month() {
    let rs = ruleset_text(HEADER);
    // Plan sent 10 Mar: April is the first month, due 31 May.
    let none = "facts:\n  plan_sent: 2023-03-10\n  last_report: null\n";
    let april = result_on(&rs, none, "report", "2023-04-30");
    assert_eq!(
        (april.status, april.deadline),
        (Status::Pending, on("2023-05-31"))
    );
    assert_eq!(april.period, Some(d("2023-04-01")));
    assert_eq!(
        status_on(&rs, none, "report", "2023-05-31"),
        Status::Pending
    );
    let missed = result_on(&rs, none, "report", "2023-06-01");
    assert_eq!(
        (missed.status, missed.deadline),
        (Status::Overdue, on("2023-05-31"))
    );
    assert_eq!(missed.days_to_deadline, Some(-1));
}

#[test]
fn a_monthly_report_names_the_period_it_judges() {
    let rs = ruleset_text(HEADER);
    let april = "facts:\n  plan_sent: 2023-03-10\n  last_report: 2023-04\n";
    // On 1 Jun April is done and May is falling due (by 30 Jun).
    let r = result_on(&rs, april, "report", "2023-06-01");
    assert_eq!((r.status, r.deadline), (Status::Pending, on("2023-06-30")));
    assert_eq!(r.period, Some(d("2023-05-01")));
    // On 1 Jul May's report is overdue.
    assert_eq!(
        status_on(&rs, april, "report", "2023-07-01"),
        Status::Overdue
    );
    // With May reported, on 15 Jun May (due 30 Jun) is already met.
    let may = "facts:\n  plan_sent: 2023-03-10\n  last_report: 2023-05\n";
    let r = result_on(&rs, may, "report", "2023-06-15");
    assert_eq!((r.status, r.deadline), (Status::Met, on("2023-06-30")));
    // On 1 Jul, with May met and June not yet due, the next date is June's.
    let r = result_on(&rs, may, "report", "2023-07-01");
    assert_eq!((r.status, r.deadline), (Status::Pending, on("2023-07-31")));
}

#[test]
fn quarters_begin_in_january_april_july_and_october() {
    let rs = ruleset_text(HEADER);
    let q1 = "facts:\n  last_return: 2023-01-01\n";
    assert_eq!(
        status_on(&rs, q1, "quarterly", "2023-07-10"),
        Status::Pending
    );
    assert_eq!(
        status_on(&rs, q1, "quarterly", "2023-07-11"),
        Status::Overdue
    );
    let r = result_on(&rs, q1, "quarterly", "2023-07-10");
    assert_eq!(
        (r.period, r.deadline),
        (Some(d("2023-04-01")), on("2023-07-10"))
    );
}

#[test]
fn before_the_event_that_starts_it_a_recurring_deadline_does_not_apply() {
    let rs = ruleset_text(HEADER);
    let r = result_on(
        &rs,
        "facts:\n  plan_sent: 2023-03-10\n  last_report: null\n",
        "report",
        "2023-03-09",
    );
    // The plan is dated after the day judged, so it has not happened.
    assert_eq!(r.status, Status::NotApplicable);
}

#[test]
fn the_bundled_monthly_104_report_at_its_period_boundaries() {
    let rs = ruleset("rules/england-gp-record-access");
    let base =
        std::fs::read_to_string(crate::common::root().join("examples/bulk-coded-60pct.yaml"))
            .unwrap();
    // The example's reports, up to the month `last` (`None`: no report).
    let reported_to = |last: Option<&str>| {
        base.lines()
            .filter_map(|l| match l.trim().strip_prefix("- { month: ") {
                Some(rest) => rest
                    .get(..7)
                    .is_some_and(|m| last.is_some_and(|last| m <= last))
                    .then_some(l.to_string()),
                None if l == "  nhse_104_report:" && last.is_none() => {
                    Some("  nhse_104_report: []".to_string())
                }
                None => Some(l.to_string()),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let rule = "nhse-monthly-104-report";
    // Plan sent 1 Mar 2023: April 2023 is the first month, due 31 May 2023.
    let none = reported_to(None);
    assert_eq!(status_on(&rs, &none, rule, "2023-05-31"), Status::Pending);
    assert_eq!(status_on(&rs, &none, rule, "2023-06-01"), Status::Overdue);
    // April 2024 reported: May 2024 is due by 30 Jun 2024.
    let april = reported_to(Some("2024-04"));
    assert_eq!(status_on(&rs, &april, rule, "2024-06-30"), Status::Pending);
    assert!(result_on(&rs, &april, rule, "2024-06-30").due_soon);
    assert_eq!(status_on(&rs, &april, rule, "2024-07-01"), Status::Overdue);
}

#[test]
fn a_recurring_deadline_that_began_centuries_ago_judges_the_recent_period() {
    let rs = ruleset_text(
        r#"ruleset t "T" version "1" published 0001-01-01
authority a "A" binding
source s "S" by a published 0001-01-01
fact last: date, optional "Last return" ask "When was the last return?"
obligation weekly "A return every week" by a
  version from 0001-01-01 published 0001-01-01
    cites s
    deadline every week from 0001-01-01, due 1 day after it ends
    met when last >= period
"#,
    );
    let r = result_on(&rs, "facts:\n  last: 2020-01-01\n", "weekly", "2024-01-01");
    // Monday 18 Dec 2023's week was due on Monday 25 Dec: overdue.
    assert_eq!(
        (r.status, r.period),
        (Status::Overdue, Some(d("2023-12-18")))
    );
}

#[test]
fn a_deadline_with_a_time_is_late_by_the_minute() {
    let rs = ruleset_text(
        r#"ruleset t "T" version "1" published 2023-01-01
authority a "A" binding
source s "S" by a published 2023-01-01
fact asked: datetime, optional "Asked" ask "When?"
obligation by-five "Ask by 17:00" by a
  version from 2023-01-01 published 2023-01-01
    cites s
    deadline 2023-06-01T17:00
    met when asked is set
    met on asked
"#,
    );
    let at = |t: &str| {
        status_on(
            &rs,
            &format!("facts:\n  asked: {t}\n"),
            "by-five",
            "2023-06-20",
        )
    };
    assert_eq!(at("2023-06-01T17:00"), Status::Met);
    assert_eq!(at("2023-06-01T17:30"), Status::MetLate);
}
