//! The status machine: one rule's version in force, against one
//! organisation's facts, in design.md's order (exceptions, applicability,
//! deadline, satisfaction).
//!
//! The same code serves statuses alone and explanations: it reports each
//! clause it evaluates to a [`Trace`], which does nothing when only
//! statuses are wanted (and compiles away) and records the clause when an
//! explanation is asked for. So an explanation cannot disagree with the
//! status it explains.

use chrono::NaiveDate;

use super::known::Standing;
use super::outcome::{Deadline, Decider, Moment, Outcome};
use super::period::{self, Period};
use super::rollup::roll_up;
use super::tri::{Evaluator, Tri};
use super::{Status, due_soon};
use crate::model::{Each, ExceptionStatus, Expr, KindId, Recurrence, RuleId, Version};
use crate::value::Value;

/// Which clause of a version a traced value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Role {
    /// The exception with this index in the version's exceptions.
    Unless(usize),
    /// `applies when`.
    AppliesWhen,
    /// `deadline`.
    Deadline,
    /// `met when`.
    MetWhen,
    /// `met on`.
    MetOn,
    /// The start of a recurring deadline's periods.
    PeriodsFrom,
    /// `met when`, judged for one period of a recurring deadline.
    MetWhenFor(Period),
    /// The `where` of a rule `for each` item.
    Where,
}

/// Receives each clause as the status machine evaluates it.
pub(crate) trait Trace<'r> {
    /// `expr` (clause `role`) was evaluated, judging `period` if any.
    fn clause(&mut self, role: Role, expr: &'r Expr, period: Option<NaiveDate>);
}

/// Statuses only: nothing is kept.
pub(crate) struct NoTrace;

impl<'r> Trace<'r> for NoTrace {
    #[inline(always)]
    fn clause(&mut self, _: Role, _: &'r Expr, _: Option<NaiveDate>) {}
}

/// Which period a recurring deadline is judged for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Focus {
    /// The one that matters on the date judged: the latest past due, else
    /// the next falling due.
    Standing,
    /// The period holding this day.
    Period(NaiveDate),
    /// Every period that has ended, each its own item (`for each period`).
    Periods,
}

/// Judges rule `id` from its standing on the evaluator's date.
pub(crate) fn judge<'r>(
    ev: &Evaluator<'r>,
    id: RuleId,
    standing: &Standing,
    focus: Focus,
    trace: &mut impl Trace<'r>,
) -> Outcome {
    let mut out = Outcome::new(id, None, Status::Unknown);
    judge_into(ev, id, standing, focus, trace, &mut out);
    out
}

/// [`judge`], into an outcome already in place (so a long list of
/// outcomes is written, not moved).
#[inline]
pub(crate) fn judge_into<'r>(
    ev: &Evaluator<'r>,
    id: RuleId,
    standing: &Standing,
    focus: Focus,
    trace: &mut impl Trace<'r>,
    out: &mut Outcome,
) {
    let (index, notes) = match standing {
        Standing::Fixed(o) => return out.clone_from(o),
        Standing::InForce { version, notes } => (*version, *notes),
    };
    out.reset(id, Some(index));
    out.notes = notes;
    let rule = ev.ruleset.rule(id);
    let Some(version) = rule.versions.get(index) else {
        return;
    };
    let focus = match &rule.each {
        // The rule's deadline and days are its deciding item's.
        Some(Each::Item { kind, filter }) => {
            return judge_items(ev, *kind, filter.as_ref(), version, trace, out, None);
        }
        Some(Each::Period) if focus == Focus::Standing => Focus::Periods,
        _ => focus,
    };
    Machine {
        ev,
        version,
        trace,
        out,
    }
    .decide(focus);
    mark_due_soon(ev, version, out);
}

/// Flags a pending outcome within its "due soon" window.
fn mark_due_soon(ev: &Evaluator<'_>, version: &Version, out: &mut Outcome) {
    if out.status == Status::Pending
        && let Some(day) = out.deadline.day()
    {
        out.due_soon = due_soon(ev.ruleset, version, day, ev.as_of);
    }
}

/// Judges every item of `kind` (or only the one at `only`) that passes
/// `filter`, each bound in turn, into `out.items`; then rolls the rule's
/// status up from them. A list not given leaves the rule unknown. Kept out
/// of line, so that rules judged once do not pay for it.
#[cold]
#[inline(never)]
pub(crate) fn judge_items<'r>(
    ev: &Evaluator<'r>,
    kind: KindId,
    filter: Option<&'r Expr>,
    version: &'r Version,
    trace: &mut impl Trace<'r>,
    out: &mut Outcome,
    only: Option<u32>,
) {
    let Some(items) = ev.items(kind) else {
        out.status = Status::Unknown;
        out.missing.push(ev.ruleset.kind(kind).list);
        return;
    };
    let (rule, index, notes) = (out.rule, out.version, out.notes);
    let mut items_out = std::mem::take(&mut out.items);
    let mut n = 0;
    // One item alone (to explain it) costs one item, not the list.
    let range = match only {
        Some(o) => o as usize..(o as usize + 1).min(items.len()),
        None => 0..items.len(),
    };
    for i in range {
        let Ok(i) = u32::try_from(i) else { break };
        ev.bind(kind, Some(i));
        if n == items_out.len() {
            items_out.push(Outcome::new(rule, index, Status::Unknown));
        }
        let Some(o) = items_out.get_mut(n) else { break };
        o.reset(rule, index);
        o.item = Some(i);
        o.notes = notes;
        if let Some(f) = filter {
            trace.clause(Role::Where, f, None);
            match ev.truth(f) {
                Some(false) => continue,
                Some(true) => {}
                None => {
                    ev.missing_into(&[f], &mut o.missing);
                    n += 1;
                    continue;
                }
            }
        }
        Machine {
            ev,
            version,
            trace,
            out: o,
        }
        .decide(Focus::Standing);
        mark_due_soon(ev, version, o);
        n += 1;
    }
    ev.bind(kind, None);
    items_out.truncate(n);
    out.items = items_out;
    roll_up(out);
}

/// One run of the status machine.
struct Machine<'e, 'r, 'o, T> {
    ev: &'e Evaluator<'r>,
    version: &'r Version,
    trace: &'o mut T,
    out: &'o mut Outcome,
}

impl<'r, T: Trace<'r>> Machine<'_, 'r, '_, T> {
    /// A clause's value.
    fn eval(&mut self, role: Role, e: &'r Expr) -> Tri {
        self.trace.clause(role, e, self.ev.period());
        self.ev.eval(e)
    }

    /// A condition's truth (`None`: unknown).
    fn truth(&mut self, role: Role, e: &'r Expr) -> Option<bool> {
        self.trace.clause(role, e, self.ev.period());
        self.ev.truth(e)
    }

    /// The outcome is unknown for want of the facts `exprs` miss.
    fn unknown(&mut self, exprs: &[&Expr]) {
        self.out.status = Status::Unknown;
        self.ev.missing_into(exprs, &mut self.out.missing);
    }

    fn decide(&mut self, focus: Focus) {
        let v = self.version;
        // Exceptions: the last written wins; an undecided later one leaves
        // the result open, even with no fact missing (a division with no result).
        let mut open: Vec<&Expr> = Vec::new();
        for (i, ex) in v.exceptions.iter().enumerate().rev() {
            match self.truth(Role::Unless(i), &ex.condition) {
                Some(true) if open.is_empty() => {
                    self.out.status = match ex.status {
                        ExceptionStatus::Met => Status::Met,
                        ExceptionStatus::NotApplicable => Status::NotApplicable,
                        ExceptionStatus::Overdue => Status::Overdue,
                    };
                    self.out.decider = Decider::Exception(i);
                    return;
                }
                Some(true) => break,
                Some(false) => {}
                None => open.push(&ex.condition),
            }
        }
        if !open.is_empty() {
            return self.unknown(&open);
        }
        if let Some(applies) = &v.applies_when {
            match self.truth(Role::AppliesWhen, applies) {
                Some(false) => {
                    self.out.status = Status::NotApplicable;
                    return;
                }
                Some(true) => {}
                None => return self.unknown(&[applies]),
            }
        }
        if let Some(every) = &v.every {
            return self.recurring(every, focus);
        }
        let deadline = v
            .deadline
            .as_ref()
            .map(|d| (d, self.eval(Role::Deadline, d)));
        self.out.deadline = match &deadline {
            None => Deadline::None,
            Some((_, Tri::Unknown)) => Deadline::Unknown,
            Some((_, Tri::Known(Value::Null))) => Deadline::NotYetSet,
            Some((_, Tri::Known(v))) => Moment::of(v).map_or(Deadline::Unknown, Deadline::On),
        };
        self.out.days_to_deadline = self
            .out
            .deadline
            .day()
            .map(|d| (d - self.ev.as_of).num_days());
        let deadline_expr = deadline.map(|(e, _)| e);
        let deadline_missing = |m: &mut Self, more: Option<&'r Expr>| {
            let exprs: Vec<&Expr> = more.into_iter().chain(deadline_expr).collect();
            m.unknown(&exprs);
        };
        match self.truth(Role::MetWhen, &v.met_when) {
            None => self.unknown(&[&v.met_when]),
            Some(true) => {
                let Some(met_on) = &v.met_on else {
                    self.out.status = Status::Met;
                    return;
                };
                let when = self.eval(Role::MetOn, met_on);
                let when = match &when {
                    Tri::Known(v) => Some(Moment::of(v)),
                    Tri::Unknown => None,
                };
                match (when, self.out.deadline) {
                    (Some(day), Deadline::On(limit)) => {
                        self.out.met_on = day;
                        let late = day.is_some_and(|d| d.after(limit));
                        self.out.status = if late { Status::MetLate } else { Status::Met };
                    }
                    (Some(_), Deadline::Unknown) => deadline_missing(self, None),
                    (Some(day), Deadline::None | Deadline::NotYetSet) => {
                        self.out.met_on = day;
                        self.out.status = Status::Met;
                    }
                    // Without a deadline to measure against, the date does not matter.
                    (None, Deadline::None | Deadline::NotYetSet) => self.out.status = Status::Met,
                    (None, _) => deadline_missing(self, Some(met_on)),
                }
            }
            Some(false) => match (self.out.deadline, self.out.days_to_deadline) {
                (Deadline::None, _) => self.out.status = Status::Overdue,
                (Deadline::NotYetSet, _) => self.out.status = Status::Pending,
                (Deadline::Unknown, _) => deadline_missing(self, None),
                (Deadline::On(_), Some(days)) if days >= 0 => self.out.status = Status::Pending,
                (Deadline::On(_), _) => self.out.status = Status::Overdue,
            },
        }
    }

    /// A recurring deadline. Standing: the latest period past its due date
    /// must be met, then the period falling due next is pending until met.
    /// One period: met, or pending until its due date and overdue after.
    fn recurring(&mut self, every: &'r Recurrence, focus: Focus) {
        let start = match self.eval(Role::PeriodsFrom, &every.from) {
            Tri::Unknown => return self.unknown(&[&every.from]),
            Tri::Known(v) => Moment::of(&v).map(Moment::day),
        };
        let Some(start) = start else {
            // The first period has not begun: nothing is due yet.
            self.out.deadline = Deadline::NotYetSet;
            self.out.status = Status::Pending;
            return;
        };
        if let Focus::Period(day) = focus {
            let Some(p) = period::holding(day, every.unit, every.due_after) else {
                return self.unknown(&[]);
            };
            return self.period_status(p);
        }
        if focus == Focus::Periods {
            return self.every_period(start, every);
        }
        let standing = period::standing(start, every.unit, every.due_after, self.ev.as_of);
        if let Some(p) = standing.overdue_if_unmet {
            match self.period(p) {
                None => return,
                Some(true) => self.out.status = Status::Met,
                Some(false) => {
                    self.out.status = Status::Overdue;
                    return;
                }
            }
        }
        let next = match (standing.falling_due, self.out.status, standing.in_progress) {
            (Some(p), _, _) => p,
            // Every period due so far is met: show when the next one is due.
            (None, Status::Met, Some(p)) => {
                self.out.deadline = Deadline::On(Moment::Day(p.due));
                self.out.days_to_deadline = Some((p.due - self.ev.as_of).num_days());
                return;
            }
            (None, Status::Met, None) => return,
            (None, _, Some(p)) => p,
            (None, _, None) => {
                self.out.deadline = Deadline::NotYetSet;
                self.out.status = Status::Pending;
                return;
            }
        };
        self.out.status = match self.period(next) {
            None => return,
            Some(true) => Status::Met,
            Some(false) => Status::Pending,
        };
    }

    /// One period's status: met (late, if `met on` says it was met after the
    /// period's due date), or pending until its due date and overdue after.
    fn period_status(&mut self, p: Period) {
        self.out.status = match self.period(p) {
            None => return,
            Some(true) => Status::Met,
            Some(false) if p.due >= self.ev.as_of => Status::Pending,
            Some(false) => Status::Overdue,
        };
        let Some(met_on) = &self.version.met_on else {
            return;
        };
        if self.out.status != Status::Met {
            return;
        }
        self.ev.set_period(Some(p.start));
        let when = self.eval(Role::MetOn, met_on);
        self.ev.set_period(None);
        match when {
            Tri::Known(v) => {
                let day = Moment::of(&v);
                self.out.met_on = day;
                if day.is_some_and(|d| d.after(Moment::Day(p.due))) {
                    self.out.status = Status::MetLate;
                }
            }
            Tri::Unknown => {
                self.ev.set_period(Some(p.start));
                self.unknown(&[met_on]);
                self.ev.set_period(None);
            }
        }
    }

    /// `for each period`: every period that has ended by the date judged is
    /// an item with its own status; the rule's rolls up from them. Until the
    /// first period ends, the rule is pending on its due date; when all are
    /// met, the deadline shown is the next period's.
    fn every_period(&mut self, start: NaiveDate, every: &'r Recurrence) {
        let as_of = self.ev.as_of;
        let (ended, next) = period::ended_by(start, every.unit, every.due_after, as_of);
        let (rule, index, notes) = (self.out.rule, self.out.version, self.out.notes);
        let mut items = std::mem::take(&mut self.out.items);
        items.clear();
        for (k, p) in ended.into_iter().enumerate() {
            let mut o = Outcome::new(rule, index, Status::Unknown);
            o.notes = notes;
            o.item = u32::try_from(k).ok();
            Machine {
                ev: self.ev,
                version: self.version,
                trace: &mut *self.trace,
                out: &mut o,
            }
            .period_status(p);
            mark_due_soon(self.ev, self.version, &mut o);
            items.push(o);
        }
        self.out.items = items;
        roll_up(self.out);
        let Some(next) = next else { return };
        if self.out.items.is_empty() {
            self.out.status = Status::Pending;
        }
        if matches!(self.out.status, Status::Pending | Status::Met)
            && self.out.items.iter().all(|o| o.status == Status::Met)
        {
            self.out.period = Some(next.start);
            self.out.deadline = Deadline::On(Moment::Day(next.due));
            self.out.days_to_deadline = Some((next.due - as_of).num_days());
        }
    }

    /// Judges `met when` for one period, recording the period and its due
    /// date; `None` (and the outcome unknown) when it cannot be decided.
    fn period(&mut self, p: Period) -> Option<bool> {
        self.ev.set_period(Some(p.start));
        let met_when = &self.version.met_when;
        let value = self.truth(Role::MetWhenFor(p), met_when);
        if value.is_none() {
            self.unknown(&[met_when]);
        }
        self.ev.set_period(None);
        self.out.period = Some(p.start);
        self.out.deadline = Deadline::On(Moment::Day(p.due));
        self.out.days_to_deadline = Some((p.due - self.ev.as_of).num_days());
        value
    }
}
