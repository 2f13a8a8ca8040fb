//! One organisation's timeline: the rule changes and deadlines that concern
//! it between two dates, in date order, each with its status.
//!
//! Rule changes are the known versions coming into force, and withdrawals,
//! supersessions and expiries. Deadlines are found by judging the rules on
//! every date where something changes (so a deadline that moved appears at
//! each of its dates), and by listing each period of a recurring deadline.
//! Each line's status is the rule's as of the line's own date, with the
//! facts as they stand: a rule change, on its day (and on an obligation's
//! first day in force nothing is late yet: one not met that day is pending,
//! due from that day); a past deadline, on the day after it, so it reads how it
//! was kept (met, met late, overdue), or pending when by then it had moved;
//! a coming one, on the as-of date, which is as far as anyone can see.
//!
//! Apart from the dated lines, [`overdue`] gives the duties overdue on the
//! as-of date, each with the day since when.
//!
//! A rule judged `for each` item gives one deadline per item instead of its
//! rolled-up one: each item's deadline and status as judged once, on the
//! as-of date (or the nearest day a version is in force), so the cost stays
//! linear in items; a past item deadline so reads met, met late or overdue
//! as things stand. A rule judged `for each period` gives each period's due
//! date, as any recurring deadline does.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveTime};

use crate::eval::{self, Dates, Deadline, Evaluator, Known, Moment, Outcome, Status, Tri};
use crate::facts::{Facts, Slot};
use crate::model::{Each, EndKind, RuleId, RuleKind, Ruleset};

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
    /// A deadline falls on this day; for a recurring deadline, the period's
    /// first day; for a deadline with a time of day, the time (local, as the
    /// rules and facts give it: no time zone is known).
    Deadline {
        period: Option<NaiveDate>,
        at: Option<NaiveTime>,
    },
}

/// One dated event for one organisation.
#[derive(Debug, Clone)]
pub struct Event {
    pub date: NaiveDate,
    pub rule: RuleId,
    pub kind: EventKind,
    /// The rule judged for the event (see the module comment for which day).
    pub result: Outcome,
    /// The event is on or after the as-of date.
    pub coming: bool,
    /// For a rule judged `for each` item: the item whose deadline it is,
    /// by its index in the facts' list (`result` is that item's outcome).
    pub item: Option<u32>,
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
        let known = Known::new(rs.rule(id), dates.known_on);
        let judge = |day: NaiveDate, period: Option<(NaiveDate, usize)>| {
            eval::judge_on(rs, facts, &known, id, day, period)
        };
        let mut changes = rule_changes(&known);
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
            if judge(concerned, None).is_none_or(|r| r.status == Status::NotApplicable) {
                continue;
            }
            if let Some(mut result) = judge(date, None) {
                if kind == EventKind::InForce && rs.rule(id).kind == RuleKind::Obligation {
                    first_day(&mut result);
                }
                out.push(Event {
                    date,
                    rule: id,
                    kind,
                    result,
                    coming: date >= dates.as_of,
                    item: None,
                });
            }
        }
        if let Some(Each::Item { .. }) = &rs.rule(id).each {
            out.extend(item_deadlines(&known, dates, (from, to), &judge));
            continue;
        }
        // Each deadline, with the period and the version of a recurring one.
        let mut due: BTreeSet<(Moment, Option<(NaiveDate, usize)>)> = BTreeSet::new();
        for day in samples {
            let Some(r) = judge(day, None) else {
                continue;
            };
            if let Deadline::On(m) = r.deadline
                && r.period.is_none()
            {
                due.insert((m, None));
            }
        }
        due.extend(
            recurring_due(rs, facts, &known, dates, (from, to))
                .into_iter()
                .map(|(d, p)| (Moment::Day(d), p)),
        );
        for (when, period) in due
            .into_iter()
            .filter(|(m, _)| (from..=to).contains(&m.day()))
        {
            let day = when.day();
            let coming = day >= dates.as_of;
            // A period is judged on its own: its status is that of its own
            // `met when`, after the rule's exceptions and applicability.
            let judged = if coming {
                // A rule not yet in force on the as-of date is judged on the day itself.
                judge(dates.as_of, period)
                    .filter(|r| r.status != Status::NotInForce)
                    .or_else(|| judge(day, period))
            } else {
                judge(day.succ_opt().unwrap_or(day), period)
            };
            if let Some(result) = judged
                && result.status != Status::NotApplicable
            {
                out.push(Event {
                    date: day,
                    rule: id,
                    kind: EventKind::Deadline {
                        period: period.map(|(start, _)| start),
                        at: time_of(when),
                    },
                    result,
                    coming,
                    item: None,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (a.date, &rs.rule(a.rule).name, &a.kind, a.item).cmp(&(
            b.date,
            &rs.rule(b.rule).name,
            &b.kind,
            b.item,
        ))
    });
    out
}

/// The time of day of a moment that has one.
fn time_of(m: Moment) -> Option<NaiveTime> {
    match m {
        Moment::Day(_) => None,
        Moment::At(t) => Some(t.time()),
    }
}

/// On an obligation's first day in force nothing is late yet: one judged
/// overdue that day (one with no deadline, or one whose deadline came
/// before the rule did) is due from that day, so pending. (A recommendation
/// not followed, a permission not available or a prohibition breached is
/// a state, not lateness: it stands as judged.)
fn first_day(result: &mut Outcome) {
    if result.status == Status::Overdue {
        result.status = Status::Pending;
    }
}

/// A rule (or one of its items or periods) overdue on the as-of date.
#[derive(Debug, Clone)]
pub struct Overdue {
    /// The rule judged on the as-of date; for an item, the item's outcome.
    pub result: Outcome,
    /// Since when: the deadline's day, or for a rule with no deadline date,
    /// the first day of its current run in force.
    pub since: NaiveDate,
}

/// Every rule overdue on the as-of date, in rule order; a rule judged for
/// each item or period gives each overdue item instead of its roll-up. Each
/// rule is judged once, as [`events`] judges the as-of date.
pub fn overdue(rs: &Ruleset, facts: &Facts, dates: Dates) -> Vec<Overdue> {
    let mut out = Vec::new();
    for (id, rule) in rs.rule_ids() {
        let known = Known::new(rule, dates.known_on);
        let Some(rolled) = eval::judge_on(rs, facts, &known, id, dates.as_of, None) else {
            continue;
        };
        if rolled.status != Status::Overdue {
            continue;
        }
        let in_force = in_force_since(&known, dates.as_of);
        let since = |o: &Outcome| o.deadline.day().unwrap_or(in_force);
        if rolled.items.is_empty() {
            out.push(Overdue {
                since: since(&rolled),
                result: rolled,
            });
        } else {
            out.extend(
                rolled
                    .items
                    .into_iter()
                    .filter(|o| o.status == Status::Overdue)
                    .map(|o| Overdue {
                        since: since(&o),
                        result: o,
                    }),
            );
        }
    }
    out
}

/// The first day of the run of known versions in force without a break
/// that holds `day` (`day` itself if none does).
fn in_force_since(known: &Known<'_>, day: NaiveDate) -> NaiveDate {
    let Some(k) = known.windows.iter().rposition(|w| w.holds(day)) else {
        return day;
    };
    let mut since = known.windows.get(k).map_or(day, |w| w.from);
    for w in known.windows.get(..k).unwrap_or_default().iter().rev() {
        if w.end.and_then(|e| e.succ_opt()) != Some(since) {
            break;
        }
        since = w.from;
    }
    since
}

/// The day a rule judged `for each` item is judged for the timeline: the
/// as-of date, or when no known version is in force then, the nearest day
/// one is.
fn item_day(known: &Known<'_>, as_of: NaiveDate) -> NaiveDate {
    known
        .windows
        .iter()
        .map(|w| as_of.clamp(w.from, w.end.unwrap_or(NaiveDate::MAX).max(w.from)))
        .min_by_key(|d| ((*d - as_of).num_days().abs(), *d))
        .unwrap_or(as_of)
}

/// The undecided items of the rules judged `for each` item whose deadline
/// is unknown, so that no date can list them (a field missing), in rule
/// then list order: the items' outcomes, judged as [`events`] judges them.
pub fn undated(rs: &Ruleset, facts: &Facts, dates: Dates) -> Vec<Outcome> {
    let mut out = Vec::new();
    for (id, rule) in rs.rule_ids() {
        if !matches!(rule.each, Some(Each::Item { .. })) {
            continue;
        }
        let known = Known::new(rule, dates.known_on);
        let day = item_day(&known, dates.as_of);
        let Some(rolled) = eval::judge_on(rs, facts, &known, id, day, None) else {
            continue;
        };
        out.extend(
            rolled
                .items
                .into_iter()
                .filter(|o| o.status == Status::Unknown && o.deadline == Deadline::Unknown),
        );
    }
    out
}

/// Each item's deadline of a rule judged `for each` item, with the item's
/// status: the rule judged once, on the day [`item_day`] gives.
fn item_deadlines(
    known: &Known<'_>,
    dates: Dates,
    (from, to): (NaiveDate, NaiveDate),
    judge: &dyn Fn(NaiveDate, Option<(NaiveDate, usize)>) -> Option<Outcome>,
) -> Vec<Event> {
    let as_of = dates.as_of;
    let Some(rolled) = judge(item_day(known, as_of), None) else {
        return Vec::new();
    };
    rolled
        .items
        .into_iter()
        .filter(|o| o.status != Status::NotApplicable)
        .filter_map(|o| {
            let Deadline::On(when) = o.deadline else {
                return None;
            };
            let date = Some(when.day()).filter(|d| (from..=to).contains(d))?;
            Some(Event {
                date,
                rule: o.rule,
                kind: EventKind::Deadline {
                    period: None,
                    at: time_of(when),
                },
                coming: date >= as_of,
                item: o.item,
                result: o,
            })
        })
        .collect()
}

/// The days the organisation's dated facts give: where its statuses can change.
fn event_dates(rs: &Ruleset, facts: &Facts) -> BTreeSet<NaiveDate> {
    rs.organisation_facts()
        .filter_map(|(id, _)| match facts.slot_in(rs, id) {
            Slot::Given { value, .. } => Moment::of(value).map(Moment::day),
            Slot::Absent => None,
        })
        .collect()
}

/// At most this many periods of one recurring deadline are listed.
const MAX_LISTED_PERIODS: usize = 520;

/// The dated changes of a rule as known.
fn rule_changes(known: &Known<'_>) -> Vec<(NaiveDate, EventKind)> {
    let mut out = Vec::new();
    for (k, w) in known.windows.iter().enumerate() {
        let kind = if k == 0 {
            EventKind::InForce
        } else {
            EventKind::NewVersion(w.version)
        };
        out.push((w.from, kind));
    }
    match (known.ending, known.windows.last()) {
        (Some(e), _) => out.push((
            e.on,
            match &e.kind {
                EndKind::Withdrawn(reason) => EventKind::Withdrawn(reason.clone()),
                EndKind::Superseded(by) => EventKind::Superseded(*by),
            },
        )),
        (None, Some(eval::Window { end: Some(end), .. })) => {
            if let Some(next) = end.succ_opt() {
                out.push((next, EventKind::Expired));
            }
        }
        _ => {}
    }
    out
}

/// Each period's due date of the recurring deadlines in force, up to `to`,
/// counted from the start the facts give on the as-of date, with the
/// period's first day and its version. Each known version lists only the
/// periods of its own window, so the cost is linear in versions and periods.
fn recurring_due(
    rs: &Ruleset,
    facts: &Facts,
    known: &Known<'_>,
    dates: Dates,
    (from, to): (NaiveDate, NaiveDate),
) -> Vec<(NaiveDate, Option<(NaiveDate, usize)>)> {
    let ev = Evaluator::new(rs, facts, dates.as_of);
    let mut out = Vec::new();
    for w in &known.windows {
        let Some(v) = known.rule.versions.get(w.version) else {
            continue;
        };
        let Some(every) = &v.every else { continue };
        let Tri::Known(start) = ev.eval(&every.from) else {
            continue;
        };
        let Some(start) = Moment::of(&start).map(Moment::day) else {
            continue;
        };
        let last = w.end.map_or(to, |e| e.min(to));
        // A period overlapping the window ends on or after its first day,
        // so is due then or later; none starting after `last` is listed.
        let first_due = from.max(w.from);
        let last_due =
            eval::period::holding(last, every.unit, every.due_after).map_or(to, |p| p.due.min(to));
        if first_due > last_due {
            continue;
        }
        let mut due: Vec<(NaiveDate, Option<(NaiveDate, usize)>)> =
            eval::period::periods(start, every.unit, every.due_after, first_due, last_due)
                .into_iter()
                .filter(|p| p.start <= last && p.end >= w.from)
                .map(|p| (p.due, Some((p.start, w.version))))
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
