//! Evaluation: every rule of a ruleset against one organisation's facts, as
//! of a date, by the rules known on a date.

mod explain;
pub mod period;
mod status;
mod tri;

use std::collections::BTreeSet;

use chrono::NaiveDate;

pub use explain::{Clause, ExplainNode, FactUse, show_value};
pub use status::Status;
pub use tri::{Evaluator, Tri, shift};

use crate::facts::Facts;
use crate::model::{Ending, ExceptionStatus, FactId, Recurrence, Rule, RuleId, Ruleset, Version};
use crate::value::Value;

/// The two dates of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    /// The date judged.
    pub as_of: NaiveDate,
    /// Only versions published on or before this date exist.
    pub known_on: NaiveDate,
}

/// A deadline as computed for one organisation.
#[derive(Debug, Clone, PartialEq)]
pub enum Deadline {
    /// The rule has no deadline.
    None,
    /// A day (a date and time deadline keeps its time).
    On(Value),
    /// The deadline depends on an event that has not happened.
    NotYetSet,
    /// It depends on missing facts.
    Unknown,
}

impl Deadline {
    /// The calendar day of a dated deadline.
    pub fn day(&self) -> Option<NaiveDate> {
        match self {
            Deadline::On(v) => on_day(v),
            _ => None,
        }
    }
}

/// What decided the status.
#[derive(Debug, Clone, PartialEq)]
pub enum Decider {
    /// The rule's own clauses.
    Rule,
    /// The exception with this index in the version.
    Exception(usize),
}

/// One rule's result for one organisation.
#[derive(Debug, Clone)]
pub struct RuleResult {
    pub rule: RuleId,
    /// Index of the version used, in the rule's versions.
    pub version: Option<usize>,
    pub status: Status,
    pub decider: Decider,
    pub deadline: Deadline,
    /// Days from the as-of date to the deadline (negative: past it).
    pub days_to_deadline: Option<i64>,
    /// Pending and within the "due soon" window.
    pub due_soon: bool,
    /// Under a recurring deadline: the first day of the period the status is about.
    pub period: Option<NaiveDate>,
    /// When the rule was satisfied, if known.
    pub met_on: Option<Value>,
    /// The facts whose absence left the result unknown.
    pub missing: Vec<FactId>,
    /// Each clause evaluated, with its value and the facts behind it.
    pub explanation: Vec<Clause>,
    /// Things a reader should know: endings, later versions.
    pub notes: Vec<String>,
}

/// Evaluates every rule that exists by `known_on`, in ruleset order.
pub fn evaluate(ruleset: &Ruleset, facts: &Facts, dates: Dates) -> Vec<RuleResult> {
    let ev = Evaluator::new(ruleset, facts, dates.as_of);
    ruleset
        .rules
        .iter()
        .enumerate()
        .filter_map(|(i, rule)| {
            let id = RuleId(u32::try_from(i).ok()?);
            evaluate_rule(&ev, id, rule, dates)
        })
        .collect()
}

/// Evaluates one rule; `None` if no version of it is known by `known_on`.
pub fn evaluate_one(
    ruleset: &Ruleset,
    facts: &Facts,
    dates: Dates,
    id: RuleId,
) -> Option<RuleResult> {
    let ev = Evaluator::new(ruleset, facts, dates.as_of);
    evaluate_rule(&ev, id, ruleset.rule(id), dates)
}

/// The versions known on `known_on`, each with its last day in force.
pub fn known_windows(
    rule: &Rule,
    known_on: NaiveDate,
) -> Vec<(usize, &Version, Option<NaiveDate>)> {
    let known: Vec<(usize, &Version)> = rule
        .versions
        .iter()
        .enumerate()
        .filter(|(_, v)| v.published <= known_on)
        .collect();
    known
        .iter()
        .enumerate()
        .map(|(k, (i, v))| {
            let next_start = known.get(k + 1).and_then(|(_, n)| n.from.pred_opt());
            let end = match (v.until, next_start) {
                (Some(u), Some(n)) => Some(u.min(n)),
                (u, n) => u.or(n),
            };
            (*i, *v, end)
        })
        .collect()
}

fn evaluate_rule(ev: &Evaluator<'_>, id: RuleId, rule: &Rule, dates: Dates) -> Option<RuleResult> {
    let windows = known_windows(rule, dates.known_on);
    if windows.is_empty() {
        return None;
    }
    let mut result = RuleResult {
        rule: id,
        version: None,
        status: Status::Unknown,
        decider: Decider::Rule,
        deadline: Deadline::None,
        days_to_deadline: None,
        due_soon: false,
        period: None,
        met_on: None,
        missing: Vec::new(),
        explanation: Vec::new(),
        notes: Vec::new(),
    };
    let ending = rule
        .ending
        .as_ref()
        .filter(|e| e.published <= dates.known_on);
    if let Some(e) = ending.filter(|e| e.on <= dates.as_of) {
        {
            result.status = Status::Ended;
            result.version = windows
                .iter()
                .rev()
                .find(|(_, v, _)| v.from < e.on)
                .map(|(i, _, _)| *i);
            result.notes.push(ending_note(ev.ruleset, e, true));
            return Some(result);
        }
    }
    let later_ending = ending.map(|e| ending_note(ev.ruleset, e, false));
    let current = windows
        .iter()
        .find(|(_, v, end)| v.from <= dates.as_of && end.is_none_or(|end| dates.as_of <= end));
    let Some(&(index, version, _)) = current else {
        if let Some((i, v, _)) = windows.iter().find(|(_, v, _)| v.from > dates.as_of) {
            result.status = Status::NotInForce;
            result.version = Some(*i);
            result.notes.push(format!(
                "comes into force on {} (published {})",
                v.from, v.published
            ));
        } else {
            result.status = Status::Ended;
            result.version = windows.last().map(|(i, _, _)| *i);
            if let Some((_, _, Some(end))) = windows.last() {
                result
                    .notes
                    .push(format!("its last version ran until {end}"));
            }
        }
        return Some(result);
    };
    result.version = Some(index);
    if let Some((_, next, _)) = windows.iter().find(|(_, v, _)| v.from > dates.as_of) {
        result.notes.push(format!(
            "a new version applies from {} (published {})",
            next.from, next.published
        ));
    }
    result.notes.extend(later_ending);
    decide(ev, version, &mut result);
    if let (Status::Pending, Deadline::On(day)) = (result.status, &result.deadline)
        && let Some(day) = on_day(day)
    {
        result.due_soon = due_soon(ev.ruleset, version, day, dates.as_of);
    }
    Some(result)
}

/// Whether a deadline on `day` is within the version's (or the ruleset's)
/// "due soon" window on `as_of`.
pub fn due_soon(ruleset: &Ruleset, version: &Version, day: NaiveDate, as_of: NaiveDate) -> bool {
    version
        .due_soon
        .or(ruleset.due_soon)
        .and_then(|w| shift(day, -w.n, w.unit))
        .is_some_and(|from| from <= as_of && as_of <= day)
}

fn ending_note(ruleset: &Ruleset, e: &Ending, past: bool) -> String {
    let what = match &e.kind {
        crate::model::EndKind::Withdrawn(reason) => format!("withdrawn from {}: {reason}", e.on),
        crate::model::EndKind::Superseded(by) => {
            format!("superseded by `{}` from {}", ruleset.rule(*by).name, e.on)
        }
    };
    let tense = if past { "" } else { "later " };
    format!("{tense}{what} (published {})", e.published)
}

/// Runs the status machine on the version in force.
fn decide(ev: &Evaluator<'_>, v: &Version, r: &mut RuleResult) {
    let mut missing: BTreeSet<FactId> = BTreeSet::new();
    // An exception left undecided (even with no fact missing, as when a
    // division has no result) leaves the result open.
    let mut open = false;
    // Exceptions: the last written wins; an undecided later one leaves the result open.
    for (i, ex) in v.exceptions.iter().enumerate().rev() {
        let value = ev.eval(&ex.condition);
        r.explanation.push(Clause::new(
            ev,
            &format!("unless ({})", ex.reason),
            &ex.condition,
            &value,
        ));
        match value.as_bool() {
            Some(true) if !open => {
                r.status = match ex.status {
                    ExceptionStatus::Met => Status::Met,
                    ExceptionStatus::NotApplicable => Status::NotApplicable,
                    ExceptionStatus::Overdue => Status::Overdue,
                };
                r.decider = Decider::Exception(i);
                return;
            }
            Some(true) => break,
            Some(false) => {}
            None => {
                open = true;
                missing.extend(value.missing());
            }
        }
    }
    if open {
        return unknown(r, missing);
    }
    if let Some(applies) = &v.applies_when {
        let value = ev.eval(applies);
        r.explanation
            .push(Clause::new(ev, "applies when", applies, &value));
        match value.as_bool() {
            Some(false) => {
                r.status = Status::NotApplicable;
                return;
            }
            Some(true) => {}
            None => return unknown(r, value.missing()),
        }
    }
    if let Some(every) = &v.every {
        return decide_recurring(ev, every, &v.met_when, r);
    }
    let deadline = v.deadline.as_ref().map(|d| {
        let value = ev.eval(d);
        r.explanation.push(Clause::new(ev, "deadline", d, &value));
        value
    });
    r.deadline = match &deadline {
        None => Deadline::None,
        Some(Tri::Unknown(_)) => Deadline::Unknown,
        Some(Tri::Known(Value::Null)) => Deadline::NotYetSet,
        Some(Tri::Known(v)) => Deadline::On(v.clone()),
    };
    r.days_to_deadline = r.deadline.day().map(|d| (d - ev.as_of).num_days());
    let met = ev.eval(&v.met_when);
    r.explanation
        .push(Clause::new(ev, "met when", &v.met_when, &met));
    match met.as_bool() {
        None => unknown(r, met.missing()),
        Some(true) => {
            let Some(met_on) = &v.met_on else {
                r.status = Status::Met;
                return;
            };
            let when = ev.eval(met_on);
            r.explanation.push(Clause::new(ev, "met on", met_on, &when));
            let deadline_missing = deadline.as_ref().map(Tri::missing).unwrap_or_default();
            match (when, &r.deadline) {
                (Tri::Known(day), Deadline::On(limit)) => {
                    let late = after(&day, limit);
                    r.met_on = Some(day);
                    r.status = if late { Status::MetLate } else { Status::Met };
                }
                (Tri::Known(_), Deadline::Unknown) => unknown(r, deadline_missing),
                (Tri::Known(day), Deadline::None | Deadline::NotYetSet) => {
                    r.met_on = Some(day);
                    r.status = Status::Met;
                }
                // Without a deadline to measure against, the date does not matter.
                (Tri::Unknown(_), Deadline::None | Deadline::NotYetSet) => r.status = Status::Met,
                (Tri::Unknown(mut m), _) => {
                    m.extend(deadline_missing);
                    unknown(r, m);
                }
            }
        }
        Some(false) => match (&r.deadline, r.days_to_deadline) {
            (Deadline::None, _) => r.status = Status::Overdue,
            (Deadline::NotYetSet, _) => r.status = Status::Pending,
            (Deadline::Unknown, _) => unknown(r, deadline.map(|d| d.missing()).unwrap_or_default()),
            (Deadline::On(_), Some(days)) if days >= 0 => r.status = Status::Pending,
            (Deadline::On(_), _) => r.status = Status::Overdue,
        },
    }
}

/// A recurring deadline: the latest period past its due date must be met,
/// then the period falling due next is pending until met.
fn decide_recurring(
    ev: &Evaluator<'_>,
    every: &Recurrence,
    met_when: &crate::model::Expr,
    r: &mut RuleResult,
) {
    let start = ev.eval(&every.from);
    r.explanation
        .push(Clause::new(ev, "periods from", &every.from, &start));
    let start = match start {
        Tri::Unknown(m) => return unknown(r, m),
        Tri::Known(v) => on_day(&v),
    };
    let Some(start) = start else {
        // The first period has not begun: nothing is due yet.
        r.deadline = Deadline::NotYetSet;
        r.status = Status::Pending;
        return;
    };
    let standing = period::standing(start, every.unit, every.due_after, ev.as_of);
    if let Some(p) = &standing.overdue_if_unmet {
        match judge_period(ev, met_when, p, r) {
            Tri::Unknown(m) => return unknown(r, m),
            Tri::Known(Value::Bool(true)) => r.status = Status::Met,
            Tri::Known(_) => {
                r.status = Status::Overdue;
                return;
            }
        }
    }
    let next = match (standing.falling_due, r.status, standing.in_progress) {
        (Some(p), _, _) => p,
        // Every period due so far is met: show when the next one is due.
        (None, Status::Met, Some(p)) => {
            r.deadline = Deadline::On(Value::Date(p.due));
            r.days_to_deadline = Some((p.due - ev.as_of).num_days());
            return;
        }
        (None, Status::Met, None) => return,
        (None, _, Some(p)) => p,
        (None, _, None) => {
            r.deadline = Deadline::NotYetSet;
            r.status = Status::Pending;
            return;
        }
    };
    r.status = match judge_period(ev, met_when, &next, r) {
        Tri::Unknown(m) => return unknown(r, m),
        Tri::Known(Value::Bool(true)) => Status::Met,
        Tri::Known(_) => Status::Pending,
    };
}

/// Judges `met when` for one period, recording the period and its due date.
fn judge_period(
    ev: &Evaluator<'_>,
    met_when: &crate::model::Expr,
    p: &period::Period,
    r: &mut RuleResult,
) -> Tri {
    ev.set_period(Some(p.start));
    let value = ev.eval(met_when);
    r.explanation.push(Clause::new(
        ev,
        &format!("met when, for the period from {} (due {})", p.start, p.due),
        met_when,
        &value,
    ));
    ev.set_period(None);
    r.period = Some(p.start);
    r.deadline = Deadline::On(Value::Date(p.due));
    r.days_to_deadline = Some((p.due - ev.as_of).num_days());
    value
}

/// Whether `met` came after the deadline `limit`: by the minute when both
/// carry a time, otherwise by the calendar day (a date deadline lasts all day).
fn after(met: &Value, limit: &Value) -> bool {
    match (met, limit) {
        (Value::DateTime(m), Value::DateTime(l)) => m > l,
        _ => on_day(met).zip(on_day(limit)).is_some_and(|(m, l)| m > l),
    }
}

/// The calendar day of a date or date-time value.
pub fn on_day(v: &Value) -> Option<NaiveDate> {
    match v {
        Value::Date(d) => Some(*d),
        Value::DateTime(t) => Some(t.date()),
        _ => None,
    }
}

fn unknown(r: &mut RuleResult, missing: BTreeSet<FactId>) {
    r.status = Status::Unknown;
    r.missing = missing.into_iter().collect();
}
