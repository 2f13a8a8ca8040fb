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
use crate::facts::Facts;
use crate::model::{EndKind, RuleId, Ruleset};
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
    for i in 0..rs.rules.len() {
        let Ok(i) = u32::try_from(i) else { continue };
        let id = RuleId(i);
        let mut changes = rule_changes(rs, id, dates.known_on);
        changes.retain(|(d, _)| (from..=to).contains(d));
        // Judge the rule on each change date, and on the range's ends, to
        // collect its deadlines.
        let mut samples: BTreeSet<NaiveDate> = changes.iter().map(|(d, _)| *d).collect();
        samples.extend([from, to, dates.as_of.clamp(from, to)]);
        for (date, kind) in changes {
            // An ending concerns the organisation if the rule applied the day before.
            let judged = match kind {
                EventKind::InForce | EventKind::NewVersion(_) => date,
                _ => date.pred_opt().unwrap_or(date),
            };
            let Some(result) = judge(rs, facts, id, judged, dates.known_on) else {
                continue;
            };
            if result.status != Status::NotApplicable {
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
            if let Some(d) = deadline_day(&r.deadline)
                && r.period.is_none()
            {
                due.insert((d, None));
            }
        }
        due.extend(recurring_due(rs, facts, id, dates, to));
        for (day, period) in due.into_iter().filter(|(d, _)| (from..=to).contains(d)) {
            let coming = day >= dates.as_of;
            let judged = if coming {
                dates.as_of
            } else {
                day.succ_opt().unwrap_or(day)
            };
            if let Some(result) = judge(rs, facts, id, judged, dates.known_on)
                && result.status != Status::NotApplicable
            {
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

fn judge(
    rs: &Ruleset,
    facts: &Facts,
    id: RuleId,
    as_of: NaiveDate,
    known_on: NaiveDate,
) -> Option<RuleResult> {
    eval::evaluate_one(rs, facts, Dates { as_of, known_on }, id)
}

fn deadline_day(d: &Deadline) -> Option<NaiveDate> {
    match d {
        Deadline::On(Value::Date(d)) => Some(*d),
        Deadline::On(Value::DateTime(t)) => Some(t.date()),
        _ => None,
    }
}

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
    to: NaiveDate,
) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    let rule = rs.rule(id);
    let ev = Evaluator::new(rs, facts, dates.as_of);
    let mut out = Vec::new();
    for (_, v, end) in eval::known_windows(rule, dates.known_on) {
        let Some(every) = &v.every else { continue };
        let Tri::Known(start) = ev.eval(&every.from) else {
            continue;
        };
        let Some(start) = deadline_day(&Deadline::On(start)) else {
            continue;
        };
        let last = end.map_or(to, |e| e.min(to));
        for p in eval::period::periods(start, every.unit, every.due_after, to) {
            if p.start <= last && p.end >= v.from {
                out.push((p.due, Some(p.start)));
            }
        }
    }
    out
}
