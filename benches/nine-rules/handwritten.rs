//! The nine rules of `rules.obl`, written directly in Rust: the floor that
//! obligo's evaluation is measured against. Three-valued logic is
//! `Option<bool>` (`None`: unknown); nothing allocates.
//!
//! Include it beside `generate.rs`, whose [`Org`] it reads:
//! `#[path = "nine-rules/handwritten.rs"] mod handwritten;`. Keep it in step
//! with `rules.obl`: the test `nine_rules` compares the two.

// An includer may use only some of this.
#![allow(dead_code)]

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime};

use super::generate::{Org, Tier, TransferBasis};

/// Where a rule stands, as obligo's statuses (`obligo::eval::Status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    NotInForce,
    Ended,
    NotApplicable,
    Met,
    MetLate,
    Pending,
    Overdue,
    Unknown,
}

impl Status {
    /// Every status, in obligo's decision order.
    pub const ALL: [Status; 8] = [
        Self::NotInForce,
        Self::Ended,
        Self::NotApplicable,
        Self::Met,
        Self::MetLate,
        Self::Pending,
        Self::Overdue,
        Self::Unknown,
    ];

    /// The machine name, as obligo's JSON writes it.
    pub const fn code(self) -> &'static str {
        match self {
            Self::NotInForce => "not_in_force",
            Self::Ended => "ended",
            Self::NotApplicable => "not_applicable",
            Self::Met => "met",
            Self::MetLate => "met_late",
            Self::Pending => "pending",
            Self::Overdue => "overdue",
            Self::Unknown => "unknown",
        }
    }
}

/// The rules, in the order [`judge`] returns them.
pub const RULES: [&str; 9] = [
    "appoint-dpo",
    "publish-register",
    "report-breaches",
    "answer-access-requests",
    "monthly-report",
    "offshore-without-basis",
    "simplified-self-assessment",
    "train-staff",
    "first-audit",
];

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => NaiveDate::MIN,
    }
}

/// Most rules' first version is in force from this day.
const IN_FORCE: NaiveDate = ymd(2023, 1, 1);

/// Judges the nine rules for `org` on `as_of`, by the rules known on that
/// day (obligo's `known_on` equal to `as_of`). For `as_of` on or after
/// 2022-12-01: before it some rules are not known, and obligo gives them no
/// result at all.
pub fn judge(org: &Org, as_of: NaiveDate) -> [Status; 9] {
    // A start dated after `as_of` has not happened, and `null <= today` is false.
    let in_scope = and(org.under_contract, org.contract_start.map(|s| s <= as_of));
    let s = Scope {
        org,
        as_of,
        in_scope,
    };
    [
        appoint_dpo(&s),
        publish_register(&s),
        report_breaches(&s),
        answer_access_requests(&s),
        monthly_report(&s),
        offshore_without_basis(&s),
        simplified_self_assessment(&s),
        train_staff(&s),
        first_audit(&s),
    ]
}

/// What every rule reads: the supplier, the day and `in_scope`.
struct Scope<'a> {
    org: &'a Org,
    as_of: NaiveDate,
    in_scope: Option<bool>,
}

impl Scope<'_> {
    /// An event as seen on the day judged: one dated later has not happened.
    fn seen(&self, event: Option<Option<NaiveDate>>) -> Option<Option<NaiveDate>> {
        event.map(|d| d.filter(|d| *d <= self.as_of))
    }

    fn seen_at(&self, event: Option<Option<NaiveDateTime>>) -> Option<Option<NaiveDateTime>> {
        event.map(|t| t.filter(|t| t.date() <= self.as_of))
    }

    fn standard(&self) -> Option<bool> {
        self.org.tier.map(|t| t == Tier::Standard)
    }
}

fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// `met when EVENT is set`, `met on EVENT`, against a deadline day.
fn met_by(event: Option<Option<NaiveDate>>, deadline: NaiveDate, as_of: NaiveDate) -> Status {
    match event {
        None => Status::Unknown,
        Some(Some(on)) if on > deadline => Status::MetLate,
        Some(Some(_)) => Status::Met,
        Some(None) if as_of <= deadline => Status::Pending,
        Some(None) => Status::Overdue,
    }
}

/// A condition with no deadline: not met is overdue.
fn met_or_overdue(met: Option<bool>) -> Status {
    match met {
        None => Status::Unknown,
        Some(true) => Status::Met,
        Some(false) => Status::Overdue,
    }
}

/// `applies when`: `Some(status)` if it settles the rule.
fn applies(condition: Option<bool>) -> Option<Status> {
    match condition {
        None => Some(Status::Unknown),
        Some(false) => Some(Status::NotApplicable),
        Some(true) => None,
    }
}

fn appoint_dpo(s: &Scope<'_>) -> Status {
    if s.as_of < IN_FORCE {
        return Status::NotInForce;
    }
    let large = s.org.staff.map(|n| n >= 250);
    // The second version, published 2023-10-01, is known once it is in force.
    let varied = s.as_of >= ymd(2024, 1, 1);
    let scope = if varied {
        let sensitive = s.standard().map(|standard| !standard);
        and(s.in_scope, or(large, sensitive))
    } else {
        and(s.in_scope, large)
    };
    if let Some(status) = applies(scope) {
        return status;
    }
    let deadline = match (varied, large) {
        (false, _) | (true, Some(true)) => ymd(2023, 6, 30),
        (true, Some(false)) => ymd(2024, 3, 31),
        // The deadline is unknown, so met or not, the rule is.
        (true, None) => return Status::Unknown,
    };
    met_by(s.seen(s.org.dpo_appointed), deadline, s.as_of)
}

fn publish_register(s: &Scope<'_>) -> Status {
    if s.as_of < IN_FORCE {
        return Status::NotInForce;
    }
    // The exception is weighed before `applies when`, in scope or not.
    match and(s.standard(), s.org.staff.map(|n| n < 50)) {
        Some(true) => return Status::NotApplicable,
        None => return Status::Unknown,
        Some(false) => {}
    }
    if let Some(status) = applies(s.in_scope) {
        return status;
    }
    met_by(s.seen(s.org.register_published), ymd(2023, 9, 30), s.as_of)
}

fn report_breaches(s: &Scope<'_>) -> Status {
    if s.as_of < ymd(2022, 11, 1) {
        return Status::NotInForce;
    }
    let detected = s.seen_at(s.org.breach_detected);
    if let Some(status) = applies(and(s.in_scope, detected.map(|t| t.is_some()))) {
        return status;
    }
    let Some(deadline) = detected
        .flatten()
        .and_then(|t| t.checked_add_days(Days::new(3)))
    else {
        return Status::Unknown;
    };
    // Both are dates and times: judged to the minute.
    match s.seen_at(s.org.breach_reported) {
        None => Status::Unknown,
        Some(Some(on)) if on > deadline => Status::MetLate,
        Some(Some(_)) => Status::Met,
        Some(None) if s.as_of <= deadline.date() => Status::Pending,
        Some(None) => Status::Overdue,
    }
}

fn answer_access_requests(s: &Scope<'_>) -> Status {
    if s.as_of < IN_FORCE {
        return Status::NotInForce;
    }
    if let Some(status) = applies(s.in_scope) {
        return status;
    }
    match s.seen(s.org.oldest_request) {
        None => Status::Unknown,
        // No request open: nothing to answer.
        Some(None) => Status::Met,
        Some(Some(arrived)) => match arrived.checked_add_days(Days::new(28)) {
            Some(due) if s.as_of <= due => Status::Pending,
            Some(_) => Status::Overdue,
            None => Status::Unknown,
        },
    }
}

fn monthly_report(s: &Scope<'_>) -> Status {
    if s.as_of < IN_FORCE {
        return Status::NotInForce;
    }
    let sensitive = s.standard().map(|standard| !standard);
    if let Some(status) = applies(and(s.in_scope, sensitive)) {
        return status;
    }
    // In scope, so the contract has started by `as_of`.
    let Some(start) = s.org.contract_start else {
        return Status::Unknown;
    };
    let first = month_of(start.max(IN_FORCE));
    let this = month_of(s.as_of);
    let Some(last) = this.checked_sub_months(Months::new(1)) else {
        return Status::Unknown;
    };
    // `last_report` sums the supplier up as recorded: not hidden by `as_of`.
    let reported = |month: NaiveDate| s.org.last_report.map(|r| r.is_some_and(|r| r >= month));
    let judged = |month: NaiveDate, unmet: Status| match reported(month) {
        None => Status::Unknown,
        Some(true) => Status::Met,
        Some(false) => unmet,
    };
    // The first month is still in progress.
    if last < first {
        return judged(this, Status::Pending);
    }
    // Each month is due by the 15th of the next.
    if s.as_of.day() > 15 {
        return judged(last, Status::Overdue);
    }
    // Last month is due by the 15th, still ahead; the month before is past due.
    if let Some(before) = last.checked_sub_months(Months::new(1))
        && before >= first
        && reported(before) != Some(true)
    {
        return judged(before, Status::Overdue);
    }
    judged(last, Status::Pending)
}

fn offshore_without_basis(s: &Scope<'_>) -> Status {
    if s.as_of < IN_FORCE {
        return Status::NotInForce;
    }
    if let Some(status) = applies(s.in_scope) {
        return status;
    }
    met_or_overdue(or(
        s.org.offshore_share.map(|p| p == 0),
        s.org.transfer_basis.map(|b| b != TransferBasis::None),
    ))
}

fn simplified_self_assessment(s: &Scope<'_>) -> Status {
    if s.as_of < IN_FORCE {
        return Status::NotInForce;
    }
    if s.as_of >= ymd(2024, 7, 1) {
        return Status::Ended;
    }
    if let Some(status) = applies(and(s.in_scope, s.standard())) {
        return status;
    }
    let well_trained = s.org.staff_trained.map(|p| p >= 900);
    met_or_overdue(and(s.org.encrypted_at_rest, well_trained))
}

fn train_staff(s: &Scope<'_>) -> Status {
    if s.as_of < IN_FORCE {
        return Status::NotInForce;
    }
    if let Some(status) = applies(and(s.in_scope, s.org.staff.map(|n| n >= 10))) {
        return status;
    }
    match s.org.staff_trained.map(|p| p >= 950) {
        None => Status::Unknown,
        Some(true) => Status::Met,
        Some(false) if s.as_of <= ymd(2023, 12, 31) => Status::Pending,
        Some(false) => Status::Overdue,
    }
}

fn first_audit(s: &Scope<'_>) -> Status {
    if s.as_of < IN_FORCE {
        return Status::NotInForce;
    }
    let self_certified = and(
        and(and(s.in_scope, s.standard()), s.org.encrypted_at_rest),
        s.org.offshore_share.map(|p| p == 0),
    );
    match self_certified {
        Some(true) => return Status::Met,
        None => return Status::Unknown,
        Some(false) => {}
    }
    if let Some(status) = applies(s.in_scope) {
        return status;
    }
    let Some(deadline) = s
        .org
        .contract_start
        .and_then(|start| start.checked_add_months(Months::new(12)))
    else {
        return Status::Unknown;
    };
    met_by(s.seen(s.org.audit_done), deadline, s.as_of)
}

/// The first day of the month holding `day`.
fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}
