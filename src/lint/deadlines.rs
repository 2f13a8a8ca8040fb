//! Constant deadlines outside their version's window: a deadline that no
//! date on which the version is in force can reach is never judged.
//!
//! Only constant deadlines are judged: a date, or an `if` whose every branch
//! is one (through definitions too). Such a deadline is flagged only when
//! every date it can take is outside the window; one branch inside is
//! enough, since the other may be meant for organisations the version
//! treats differently.
//!
//! The window is the one the version had when it was published: from its
//! `from` to its `until`, the day before the next version known by then
//! starts, or the day before an ending known by then. A version or ending
//! published later does not make a deadline wrong that was right when
//! written.

use chrono::NaiveDate;

use super::{Check, Findings};
use crate::eval::known_windows;
use crate::model::{Expr, ExprKind, Rule, Ruleset};
use crate::value::Value;

pub(super) fn check(ruleset: &Ruleset, found: &mut Findings) {
    for rule in &ruleset.rules {
        for (i, version) in rule.versions.iter().enumerate() {
            let Some(deadline) = &version.deadline else {
                continue;
            };
            let Some(dates) = constant_dates(ruleset, deadline) else {
                continue;
            };
            let end = window_end(rule, i);
            let inside = |d: &NaiveDate| *d >= version.from && end.is_none_or(|e| *d <= e);
            if dates.is_empty() || dates.iter().any(inside) {
                continue;
            }
            let label = match (dates.as_slice(), end) {
                ([d], _) if *d < version.from => {
                    format!("{d} is before the version starts ({})", version.from)
                }
                ([d], Some(e)) => format!("{d} is after the version ends ({e})"),
                _ => {
                    let all: Vec<String> = dates.iter().map(NaiveDate::to_string).collect();
                    let window = match end {
                        Some(e) => format!("{} to {e}", version.from),
                        None => format!("{} onwards", version.from),
                    };
                    format!("none of {} is within {window}", all.join(", "))
                }
            };
            found.add(
                Check::DeadlineOutsideWindow,
                deadline.span,
                format!(
                    "a deadline of `{}` is outside its version's window",
                    rule.name
                ),
                label,
                "a deadline outside the days its version is in force is never judged: check the \
                 deadline against the source, and the version's `from` and `until`",
            );
        }
    }
}

/// The last day the `i`th version is in force, as known when it was published.
fn window_end(rule: &Rule, i: usize) -> Option<NaiveDate> {
    let version = rule.versions.get(i)?;
    let known = known_windows(rule, version.published);
    let end = known.iter().find(|(k, _, _)| *k == i).and_then(|w| w.2);
    let ended = rule
        .ending
        .as_ref()
        .filter(|e| e.published <= version.published && e.on > version.from)
        .and_then(|e| e.on.pred_opt());
    match (end, ended) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The dates a constant deadline can take; `None` if it is not constant.
fn constant_dates(ruleset: &Ruleset, e: &Expr) -> Option<Vec<NaiveDate>> {
    match &e.kind {
        ExprKind::Const(Value::Date(d)) => Some(vec![*d]),
        ExprKind::Const(Value::DateTime(t)) => Some(vec![t.date()]),
        ExprKind::Def(d) => constant_dates(ruleset, &ruleset.definition(*d).value),
        ExprKind::If(_, then, other) => {
            let mut dates = constant_dates(ruleset, then)?;
            dates.extend(constant_dates(ruleset, other)?);
            Some(dates)
        }
        _ => None,
    }
}
