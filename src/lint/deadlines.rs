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
//!
//! Linear in the versions: the windows of a rule's versions are found in one
//! pass, and the dates of each definition once.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::{Check, Findings};
use crate::model::{DefId, Expr, ExprKind, Rule, Ruleset};
use crate::value::Value;

pub(super) fn check(ruleset: &Ruleset, found: &mut Findings) {
    let mut constant = ConstantDates {
        ruleset,
        defs: HashMap::new(),
    };
    for rule in &ruleset.rules {
        let ends = window_ends(rule);
        for (version, end) in rule.versions.iter().zip(ends) {
            let Some(deadline) = &version.deadline else {
                continue;
            };
            let Some(dates) = constant.dates(deadline) else {
                continue;
            };
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

/// The last day each version is in force, as known when it was published:
/// what [`Known`](crate::eval::Known) gives it on that day,
/// cut short by an ending known by then.
///
/// The next version known when a version was published is the first later
/// one published on or before it. Going from the last version back, a stack
/// keeps the candidates: a version published after the one at hand can be
/// nobody's answer once that one, earlier and published sooner, is there.
fn window_ends(rule: &Rule) -> Vec<Option<NaiveDate>> {
    let mut ends = Vec::with_capacity(rule.versions.len());
    let mut candidates: Vec<&crate::model::Version> = Vec::new();
    for version in rule.versions.iter().rev() {
        while candidates
            .last()
            .is_some_and(|c| c.published > version.published)
        {
            candidates.pop();
        }
        let next_start = candidates.last().and_then(|n| n.from.pred_opt());
        let end = match (version.until, next_start) {
            (Some(u), Some(n)) => Some(u.min(n)),
            (u, n) => u.or(n),
        };
        let ended = rule
            .ending
            .as_ref()
            .filter(|e| e.published <= version.published && e.on > version.from)
            .and_then(|e| e.on.pred_opt());
        ends.push(match (end, ended) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        });
        candidates.push(version);
    }
    ends.reverse();
    ends
}

/// The dates constant deadlines can take, remembered for each definition
/// (a definition used by many versions, or twice within an `if`, is read once).
struct ConstantDates<'a> {
    ruleset: &'a Ruleset,
    defs: HashMap<DefId, Option<Vec<NaiveDate>>>,
}

impl ConstantDates<'_> {
    /// The dates a constant deadline can take, each once, in the order
    /// written; `None` if it is not constant.
    fn dates(&mut self, e: &Expr) -> Option<Vec<NaiveDate>> {
        match &e.kind {
            ExprKind::Const(Value::Date(d)) => Some(vec![*d]),
            ExprKind::Const(Value::DateTime(t)) => Some(vec![t.date()]),
            ExprKind::Def(d) => self.def_dates(*d),
            ExprKind::If(_, then, other) => {
                let mut dates = self.dates(then)?;
                let mut seen: HashSet<NaiveDate> = dates.iter().copied().collect();
                for d in self.dates(other)? {
                    if seen.insert(d) {
                        dates.push(d);
                    }
                }
                Some(dates)
            }
            _ => None,
        }
    }

    fn def_dates(&mut self, d: DefId) -> Option<Vec<NaiveDate>> {
        if let Some(known) = self.defs.get(&d) {
            return known.clone();
        }
        let ruleset = self.ruleset;
        let dates = self.dates(&ruleset.definition(d).value);
        self.defs.insert(d, dates.clone());
        dates
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::load::{RuleFile, load};

    /// A rule of versions a day apart from 2023-01-01, each with a
    /// publication day (days after 2022-06-01) and maybe an `until` on its
    /// first day, and maybe a withdrawal published on a given day.
    fn rule_text(versions: &[(u8, bool)], withdrawn: Option<(u8, u8)>) -> String {
        let day = |base: (i32, u32, u32), n: i64| {
            NaiveDate::from_ymd_opt(base.0, base.1, base.2)
                .and_then(|d| d.checked_add_signed(chrono::Duration::days(n)))
                .unwrap_or_default()
        };
        let mut t = String::from(
            "ruleset w \"W\" version \"1\" published 2030-01-01\n\
             authority a \"A\" binding\n\
             source s \"S\" by a published 2022-01-01\n\
             fact f: bool \"F\" ask \"F?\"\n\
             obligation r \"R\" by a\n",
        );
        for (i, (published, until)) in versions.iter().enumerate() {
            let from = day((2023, 1, 1), 2 * i as i64);
            let until = if *until {
                format!(" until {from}")
            } else {
                String::new()
            };
            let published = day((2022, 6, 1), i64::from(*published));
            t.push_str(&format!(
                "  version from {from}{until} published {published} cites s\n    met when f\n"
            ));
        }
        if let Some((on, published)) = withdrawn {
            let on = day((2023, 1, 1), i64::from(on));
            let published = day((2022, 6, 1), i64::from(published));
            t.push_str(&format!(
                "  withdrawn {on} published {published} \"gone\" cites s\n"
            ));
        }
        t
    }

    /// The window end as worked out before: from `known_windows` on the
    /// version's publication day.
    fn window_end_by_known_windows(rule: &Rule, i: usize) -> Option<NaiveDate> {
        let version = rule.versions.get(i)?;
        let known = crate::eval::known_windows(rule, version.published);
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

    proptest! {
        #[test]
        fn window_ends_are_those_known_windows_gives(
            versions in proptest::collection::vec((0u8..6, proptest::bool::weighted(0.2)), 1..9),
            withdrawn in proptest::option::of((0u8..20, 0u8..6)),
        ) {
            let text = rule_text(&versions, withdrawn);
            let file = RuleFile { relative: "w.obl".into(), shown: "w.obl".into(), text };
            let ruleset = match load(&[file]) {
                Ok(r) => r,
                Err(e) => return Err(TestCaseError::fail(e.render())),
            };
            for rule in &ruleset.rules {
                let expected: Vec<_> =
                    (0..rule.versions.len()).map(|i| window_end_by_known_windows(rule, i)).collect();
                prop_assert_eq!(window_ends(rule), expected);
            }
        }
    }
}
