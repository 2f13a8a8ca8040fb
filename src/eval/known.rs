//! Which versions of a rule exist by the date of knowledge, the window each
//! runs in, and where the rule stands on a date before any fact is read.
//! Computed once per rule and date of knowledge; looking up a date is a
//! binary search, so a rule's many versions cost little per date judged.

use chrono::NaiveDate;

use super::Status;
use super::outcome::{Note, Notes, Outcome};
use crate::model::{Ending, Rule, RuleId, Version};

/// One version known on the date of knowledge, and its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Index in the rule's versions.
    pub version: usize,
    /// First day in force.
    pub from: NaiveDate,
    /// Last day in force: the version's `until`, or the day before the next
    /// known version starts; `None` when no end is known.
    pub end: Option<NaiveDate>,
}

impl Window {
    /// Whether `day` falls inside the window.
    pub fn holds(&self, day: NaiveDate) -> bool {
        self.from <= day && self.end.is_none_or(|end| day <= end)
    }
}

/// A rule as known on a date: its known versions with their windows, and
/// its ending if that was published by then.
#[derive(Debug, Clone)]
pub struct Known<'r> {
    /// The rule.
    pub rule: &'r Rule,
    /// Its known versions, in order of `from`; windows never overlap.
    pub windows: Vec<Window>,
    /// Its withdrawal or supersession, if published by the date of knowledge.
    pub ending: Option<&'r Ending>,
}

/// Where a rule stands on a date, as far as time alone decides.
#[derive(Debug, Clone)]
pub(crate) enum Standing {
    /// Not yet in force, or ended: the same outcome for every organisation.
    Fixed(Outcome),
    /// The version with this index is in force; its clauses decide.
    InForce { version: usize, notes: Notes },
}

impl<'r> Known<'r> {
    /// The versions of `rule` published on or before `known_on`.
    pub fn new(rule: &'r Rule, known_on: NaiveDate) -> Self {
        let known: Vec<(usize, &Version)> = rule
            .versions
            .iter()
            .enumerate()
            .filter(|(_, v)| v.published <= known_on)
            .collect();
        let windows = known
            .iter()
            .enumerate()
            .map(|(k, (i, v))| {
                let next_start = known.get(k + 1).and_then(|(_, n)| n.from.pred_opt());
                let end = match (v.until, next_start) {
                    (Some(u), Some(n)) => Some(u.min(n)),
                    (u, n) => u.or(n),
                };
                Window {
                    version: *i,
                    from: v.from,
                    end,
                }
            })
            .collect();
        Self {
            rule,
            windows,
            ending: rule.ending.as_ref().filter(|e| e.published <= known_on),
        }
    }

    /// The place among the known windows of the rule's version `index`.
    pub fn position(&self, index: usize) -> Option<usize> {
        // Windows follow the versions' order, so their indices are sorted.
        self.windows
            .binary_search_by_key(&index, |w| w.version)
            .ok()
    }

    /// The window in force on `day`, if any.
    pub fn window_on(&self, day: NaiveDate) -> Option<&Window> {
        let after = self.windows.partition_point(|w| w.from <= day);
        after
            .checked_sub(1)
            .and_then(|i| self.windows.get(i))
            .filter(|w| w.holds(day))
    }

    /// Where rule `id` stands on `as_of`, before any fact is read; `None`
    /// when no version of it is known.
    pub(crate) fn standing(&self, id: RuleId, as_of: NaiveDate) -> Option<Standing> {
        let last = self.windows.last()?;
        if let Some(e) = self.ending.filter(|e| e.on <= as_of) {
            // The version in force before the ending took effect.
            let before = self.windows.partition_point(|w| w.from < e.on);
            let version = before
                .checked_sub(1)
                .and_then(|i| self.windows.get(i))
                .map(|w| w.version);
            let mut o = Outcome::new(id, version, Status::Ended);
            o.notes.push(Note::Ending { in_effect: true });
            return Some(Standing::Fixed(o));
        }
        let next = self
            .windows
            .get(self.windows.partition_point(|w| w.from <= as_of));
        let Some(current) = self.window_on(as_of) else {
            let o = match next {
                Some(n) => {
                    let mut o = Outcome::new(id, Some(n.version), Status::NotInForce);
                    o.notes.push(Note::ComesIntoForce { version: n.version });
                    o
                }
                None => {
                    let mut o = Outcome::new(id, Some(last.version), Status::Ended);
                    if let Some(end) = last.end {
                        o.notes.push(Note::RanUntil(end));
                    }
                    o
                }
            };
            return Some(Standing::Fixed(o));
        };
        let mut notes = Notes::default();
        if let Some(n) = next {
            notes.push(Note::NewVersion { version: n.version });
        }
        if self.ending.is_some() {
            notes.push(Note::Ending { in_effect: false });
        }
        Some(Standing::InForce {
            version: current.version,
            notes,
        })
    }
}

/// The versions known on `known_on`, each with its last day in force, as
/// tuples: what lint's tests compare its own one-pass windows with.
#[cfg(test)]
pub(crate) fn known_windows(
    rule: &Rule,
    known_on: NaiveDate,
) -> Vec<(usize, &Version, Option<NaiveDate>)> {
    Known::new(rule, known_on)
        .windows
        .iter()
        .filter_map(|w| Some((w.version, rule.versions.get(w.version)?, w.end)))
        .collect()
}
