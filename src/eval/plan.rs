//! A run's plan: the work that does not depend on facts (each rule's known
//! versions and windows, its ending, where it stands on the date judged),
//! done once per run; then each organisation costs only its rules' clauses.

use super::decide::{self, Focus, NoTrace};
use super::known::{Known, Standing};
use super::tri::Evaluator;
use super::{Dates, Outcome, Verdict};
use crate::facts::Facts;
use crate::model::{RuleId, Ruleset};

/// A ruleset made ready to judge organisations on the dates of one run.
#[derive(Debug, Clone)]
pub struct Plan<'r> {
    ruleset: &'r Ruleset,
    dates: Dates,
    /// Each rule's standing on the date judged; `None` when no version of it is known.
    standings: Vec<Option<Standing>>,
}

impl<'r> Plan<'r> {
    /// Prepares `ruleset` for judging on `dates`.
    pub fn new(ruleset: &'r Ruleset, dates: Dates) -> Self {
        let standings = ruleset
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let id = RuleId(u32::try_from(i).ok()?);
                Known::new(rule, dates.known_on).standing(id, dates.as_of)
            })
            .collect();
        Self {
            ruleset,
            dates,
            standings,
        }
    }

    /// The ruleset judged by.
    pub fn ruleset(&self) -> &'r Ruleset {
        self.ruleset
    }

    /// The dates of the run.
    pub fn dates(&self) -> Dates {
        self.dates
    }

    /// The rules with a version known by the date of knowledge, in ruleset order.
    pub fn rules(&self) -> impl Iterator<Item = RuleId> + '_ {
        self.standings
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_some())
            .filter_map(|(i, _)| Some(RuleId(u32::try_from(i).ok()?)))
    }

    pub(crate) fn standing(&self, id: RuleId) -> Option<&Standing> {
        self.standings.get(id.0 as usize)?.as_ref()
    }

    /// Every known rule's outcome for one organisation, in ruleset order.
    pub fn evaluate(&self, facts: &Facts) -> Vec<Outcome> {
        let mut out = Vec::with_capacity(self.standings.len());
        self.evaluate_into(facts, &mut out);
        out
    }

    /// Like [`Plan::evaluate`], into a buffer that is cleared first (for
    /// judging many organisations without allocating a list for each).
    pub fn evaluate_into(&self, facts: &Facts, out: &mut Vec<Outcome>) {
        thread_local! {
            /// The memo of definitions, kept from one organisation to the next.
            static MEMO: std::cell::Cell<super::tri::Scratch> =
                const { std::cell::Cell::new(super::tri::Scratch::new()) };
        }
        let buffer = MEMO.with(std::cell::Cell::take);
        let ev = Evaluator::reusing(self.ruleset, facts, self.dates.as_of, buffer);
        let mut n = 0;
        for (i, s) in self.standings.iter().enumerate() {
            let (Some(s), Ok(i)) = (s, u32::try_from(i)) else {
                continue;
            };
            let id = RuleId(i);
            // Reuse the outcomes already in the buffer: written in place.
            if let Some(o) = out.get_mut(n) {
                decide::judge_into(&ev, id, s, Focus::Standing, &mut NoTrace, o);
            } else {
                out.push(decide::judge(&ev, id, s, Focus::Standing, &mut NoTrace));
            }
            n += 1;
        }
        out.truncate(n);
        MEMO.with(|m| m.set(ev.into_scratch()));
    }

    /// One rule's outcome; `None` when no version of it is known (or no such rule).
    pub fn outcome(&self, facts: &Facts, id: RuleId) -> Option<Outcome> {
        let s = self.standing(id)?;
        let ev = Evaluator::new(self.ruleset, facts, self.dates.as_of);
        Some(decide::judge(&ev, id, s, Focus::Standing, &mut NoTrace))
    }

    /// The verdict of one organisation's outcomes.
    pub fn verdict(&self, outcomes: &[Outcome]) -> Verdict {
        Verdict::of(self.ruleset, outcomes)
    }
}

/// Rule `id` judged on `as_of`, as `check` judges it, or for one period:
/// the one holding the day given, under the version (by index) whose
/// recurring deadline it belongs to, even when another version is in force
/// on `as_of`. For the timeline, which judges a rule on many dates with the
/// same [`Known`].
pub(crate) fn judge_on(
    ruleset: &Ruleset,
    facts: &Facts,
    known: &Known<'_>,
    id: RuleId,
    as_of: chrono::NaiveDate,
    period: Option<(chrono::NaiveDate, usize)>,
) -> Option<Outcome> {
    let mut standing = known.standing(id, as_of)?;
    let ev = Evaluator::new(ruleset, facts, as_of);
    let focus = match period {
        None => Focus::Standing,
        Some((day, of_version)) => {
            if let Standing::InForce { version, .. } = &mut standing {
                *version = of_version;
            }
            Focus::Period(day)
        }
    };
    Some(decide::judge(&ev, id, &standing, focus, &mut NoTrace))
}
