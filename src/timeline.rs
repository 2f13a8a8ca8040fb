//! One organisation's timeline: the rule changes and deadlines that concern
//! it between two dates, in date order, each with its status.
//!
//! Rule changes are the known versions coming into force, and withdrawals,
//! supersessions and expiries. Deadlines are found by judging the rules on
//! every date where something changes (so a deadline that moved appears at
//! each of its dates), and by listing each period of a recurring deadline.
//! A past deadline carries its status on the day after it; a coming one, its
//! status on the as-of date.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::eval::{self, Dates, Deadline, Evaluator, RuleResult, Status, Tri};
use crate::facts::{Facts, Slot};
use crate::model::{EndKind, FactId, RuleId, Ruleset};
use crate::value::Value;

/// What happens on a timeline date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventKind {
    /// The rule's first known version comes into force.
    InForce,
    /// A later version (index into the rule's versions) takes over.
    NewVersion(usize),
    /// Withdrawn, with the reason.
    Withdrawn(String),
    /// Replaced by another rule.
    Superseded(RuleId),
    /// The last version's window runs out.
    Expired,
    /// A deadline falls on this day; for a recurring deadline, the period's first day.
    Deadline { period: Option<NaiveDate> },
}

/// One dated event for one organisation.
#[derive(Debug, Clone)]
pub struct Event {
    pub date: NaiveDate,
    pub rule: RuleId,
    pub kind: EventKind,
    /// The rule judged for the event (see the module comment for which day).
    pub result: RuleResult,
    /// The event is on or after the as-of date.
    pub coming: bool,
}

/// The events between `from` and `to` (inclusive), in date order.
pub fn events(
    rs: &Ruleset,
    facts: &Facts,
    dates: Dates,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Event> {
    let mut out = Vec::new();
    let fact_dates = event_dates(rs, facts);
    for i in 0..rs.rules.len() {
        let Ok(i) = u32::try_from(i) else { continue };
        let id = RuleId(i);
        let mut changes = rule_changes(rs, id, dates.known_on);
        changes.retain(|(d, _)| (from..=to).contains(d));
        // Judge the rule on each date where a version or a fact changes,
        // and on the range's ends, to collect its deadlines.
        let mut samples: BTreeSet<NaiveDate> = changes.iter().map(|(d, _)| *d).collect();
        samples.extend(fact_dates.range(from..=to).copied());
        samples.extend([from, to, dates.as_of.clamp(from, to)]);
        for (date, kind) in changes {
            // An ending concerns the organisation if the rule applied the day before.
            let concerned = match kind {
                EventKind::InForce | EventKind::NewVersion(_) => date,
                _ => date.pred_opt().unwrap_or(date),
            };
            if judge(rs, facts, id, concerned, dates.known_on)
                .is_none_or(|r| r.status == Status::NotApplicable)
            {
                continue;
            }
            if let Some(result) = judge(rs, facts, id, date, dates.known_on) {
                out.push(Event {
                    date,
                    rule: id,
                    kind,
                    result,
                    coming: date >= dates.as_of,
                });
            }
        }
        let mut due: BTreeSet<(NaiveDate, Option<NaiveDate>)> = BTreeSet::new();
        for day in samples {
            let Some(r) = judge(rs, facts, id, day, dates.known_on) else {
                continue;
            };
            if let Some(d) = r.deadline.day()
                && r.period.is_none()
            {
                due.insert((d, None));
            }
        }
        due.extend(recurring_due(rs, facts, id, dates, (from, to)));
        for (day, period) in due.into_iter().filter(|(d, _)| (from..=to).contains(d)) {
            let coming = day >= dates.as_of;
            let judged = if coming {
                // A rule not yet in force on the as-of date is judged on the day itself.
                judge(rs, facts, id, dates.as_of, dates.known_on)
                    .filter(|r| r.status != Status::NotInForce)
                    .or_else(|| judge(rs, facts, id, day, dates.known_on))
            } else {
                judge(rs, facts, id, day.succ_opt().unwrap_or(day), dates.known_on)
            };
            if let Some(mut result) = judged
                && result.status != Status::NotApplicable
            {
                if let Some(start) = period {
                    judge_period(rs, facts, &mut result, start, day, dates);
                }
                out.push(Event {
                    date: day,
                    rule: id,
                    kind: EventKind::Deadline { period },
                    result,
                    coming,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (a.date, &rs.rule(a.rule).name, &a.kind).cmp(&(b.date, &rs.rule(b.rule).name, &b.kind))
    });
    out
}

/// Narrows a result judged under a recurring deadline to one period: met,
/// or (if not) overdue once its due date has passed and pending before.
fn judge_period(
    rs: &Ruleset,
    facts: &Facts,
    r: &mut RuleResult,
    start: NaiveDate,
    due: NaiveDate,
    dates: Dates,
) {
    if !matches!(
        r.status,
        Status::Met | Status::Pending | Status::Overdue | Status::Unknown
    ) {
        return;
    }
    let Some(version) = r.version.and_then(|i| rs.rule(r.rule).versions.get(i)) else {
        return;
    };
    let coming = due >= dates.as_of;
    let on = if coming {
        dates.as_of
    } else {
        due.succ_opt().unwrap_or(due)
    };
    let ev = Evaluator::new(rs, facts, on);
    ev.set_period(Some(start));
    r.status = match ev.eval(&version.met_when) {
        Tri::Unknown(_) => Status::Unknown,
        Tri::Known(Value::Bool(true)) => Status::Met,
        Tri::Known(_) if coming => Status::Pending,
        Tri::Known(_) => Status::Overdue,
    };
    r.period = Some(start);
    r.deadline = Deadline::On(Value::Date(due));
    r.days_to_deadline = Some((due - dates.as_of).num_days());
    r.due_soon = r.status == Status::Pending && eval::due_soon(rs, version, due, dates.as_of);
}

/// The days the organisation's dated facts give: where its statuses can change.
fn event_dates(rs: &Ruleset, facts: &Facts) -> BTreeSet<NaiveDate> {
    (0..rs.facts.len())
        .filter_map(|i| u32::try_from(i).ok())
        .filter_map(|i| match facts.slot(FactId(i)) {
            Slot::Given { value, .. } => eval::on_day(value),
            Slot::Absent => None,
        })
        .collect()
}

fn judge(
    rs: &Ruleset,
    facts: &Facts,
    id: RuleId,
    as_of: NaiveDate,
    known_on: NaiveDate,
) -> Option<RuleResult> {
    eval::evaluate_one(rs, facts, Dates { as_of, known_on }, id)
}

/// At most this many periods of one recurring deadline are listed.
const MAX_LISTED_PERIODS: usize = 520;

/// The dated changes of a rule known on `known_on`.
fn rule_changes(rs: &Ruleset, id: RuleId, known_on: NaiveDate) -> Vec<(NaiveDate, EventKind)> {
    let rule = rs.rule(id);
    let windows = eval::known_windows(rule, known_on);
    let mut out = Vec::new();
    for (k, (index, v, _)) in windows.iter().enumerate() {
        let kind = if k == 0 {
            EventKind::InForce
        } else {
            EventKind::NewVersion(*index)
        };
        out.push((v.from, kind));
    }
    let ending = rule.ending.as_ref().filter(|e| e.published <= known_on);
    match (ending, windows.last()) {
        (Some(e), _) => out.push((
            e.on,
            match &e.kind {
                EndKind::Withdrawn(reason) => EventKind::Withdrawn(reason.clone()),
                EndKind::Superseded(by) => EventKind::Superseded(*by),
            },
        )),
        (None, Some((_, _, Some(end)))) => {
            if let Some(next) = end.succ_opt() {
                out.push((next, EventKind::Expired));
            }
        }
        _ => {}
    }
    out
}

/// Each period's due date of the recurring deadlines in force, up to `to`,
/// counted from the start the facts give on the as-of date.
fn recurring_due(
    rs: &Ruleset,
    facts: &Facts,
    id: RuleId,
    dates: Dates,
    (from, to): (NaiveDate, NaiveDate),
) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    let rule = rs.rule(id);
    let ev = Evaluator::new(rs, facts, dates.as_of);
    let mut out = Vec::new();
    for (_, v, end) in eval::known_windows(rule, dates.known_on) {
        let Some(every) = &v.every else { continue };
        let Tri::Known(start) = ev.eval(&every.from) else {
            continue;
        };
        let Some(start) = eval::on_day(&start) else {
            continue;
        };
        let last = end.map_or(to, |e| e.min(to));
        let mut due: Vec<(NaiveDate, Option<NaiveDate>)> =
            eval::period::periods(start, every.unit, every.due_after, from, to)
                .into_iter()
                .filter(|p| p.start <= last && p.end >= v.from)
                .map(|p| (p.due, Some(p.start)))
                .collect();
        // A range of centuries of weekly deadlines is not a timeline anyone
        // reads: keep the periods nearest the as-of date.
        if due.len() > MAX_LISTED_PERIODS {
            let now = due.partition_point(|(d, _)| *d < dates.as_of);
            let first = now
                .saturating_sub(MAX_LISTED_PERIODS / 2)
                .min(due.len() - MAX_LISTED_PERIODS);
            due = due.split_off(first);
            due.truncate(MAX_LISTED_PERIODS);
        }
        out.extend(due);
    }
    out
}
