//! Rule histories: which versions of each rule were known on a date, the
//! windows they ran in, what they say as written, and what changed between
//! them. `obligo rules` shows them.
//!
//! What was known follows `check` exactly: versions and endings through
//! [`eval::Known`](crate::eval::Known), positions by their publication dates.

mod clauses;
mod in_force;
mod rule;

use chrono::NaiveDate;
use serde::Serialize;

pub use clauses::{Change, Changes, ClauseChange, Clauses, ExceptionText, Term, changes};
pub use in_force::{RuleSummary, RulesView, rules};
pub use rule::{HistoryView, NotYetPublished, PositionKnown, VersionHistory, history};

use crate::model::{EndKind, Ending, Rule, Ruleset, Version};
use crate::report::view::{CitationView, citations};

/// The version of the `obligo rules` JSON shapes. Raise it when a field changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 1;

/// When and how long a version is in force, and when it was published.
#[derive(Debug, Clone, Serialize)]
pub struct WindowView {
    /// Its place among the versions known, from 1.
    pub number: usize,
    pub from: String,
    /// Its last day in force, as far as was known; `null`: no end known.
    pub until: Option<String>,
    /// Why it ends on `until`.
    pub until_because: Option<Until>,
    pub published: String,
}

/// Why a version's window ends where it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Until {
    /// The version says so (`until`).
    Stated,
    /// The next version known starts the day after.
    NextVersion,
    /// The rule was withdrawn or superseded the day after.
    Ended,
}

/// How a rule stops, as far as was known.
#[derive(Debug, Clone, Serialize)]
pub struct EndingView {
    pub kind: EndingKind,
    /// The first day the rule is no longer in force.
    pub on: String,
    /// When the ending was published; `null` when the rule just runs out.
    pub published: Option<String>,
    /// Why it was withdrawn.
    pub reason: Option<String>,
    /// The rule that replaces it.
    pub successor: Option<String>,
    pub citations: Vec<CitationView>,
}

/// The ways a rule stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndingKind {
    Withdrawn,
    Superseded,
    /// Its last known version runs out and no later one is known.
    Expired,
}

/// One rule as known on a date: its known versions with their windows, and
/// its ending if that was published by then.
struct Known<'a> {
    rule: &'a Rule,
    /// Index in the rule's versions, the version, its last day before any ending.
    windows: Vec<(usize, &'a Version, Option<NaiveDate>)>,
    ending: Option<&'a Ending>,
}

impl<'a> Known<'a> {
    fn new(rule: &'a Rule, known_on: NaiveDate) -> Self {
        let known = crate::eval::Known::new(rule, known_on);
        Self {
            rule,
            windows: known
                .windows
                .iter()
                .filter_map(|w| Some((w.version, rule.versions.get(w.version)?, w.end)))
                .collect(),
            ending: known.ending,
        }
    }

    /// The place among the known versions of the rule's version `index`.
    fn position(&self, index: usize) -> Option<usize> {
        // Windows follow the versions' order, so their indices are sorted.
        self.windows
            .binary_search_by_key(&index, |(i, _, _)| *i)
            .ok()
    }

    /// The window of the known version at `pos`, cut short by a known ending.
    fn window(&self, pos: usize) -> Option<WindowView> {
        let &(_, v, end) = self.windows.get(pos)?;
        let last_before_ending = self
            .ending
            .and_then(|e| e.on.pred_opt())
            .filter(|last| *last >= v.from && end.is_none_or(|end| *last < end));
        let (until, because) = match (last_before_ending, end) {
            (Some(last), _) => (Some(last), Some(Until::Ended)),
            (None, Some(end)) if Some(end) == v.until => (Some(end), Some(Until::Stated)),
            (None, Some(end)) => (Some(end), Some(Until::NextVersion)),
            (None, None) => (None, None),
        };
        Some(WindowView {
            number: pos + 1,
            from: v.from.to_string(),
            until: until.map(|u| u.to_string()),
            until_because: because,
            published: v.published.to_string(),
        })
    }

    /// The known ending, or, without one, the day the last known version runs out.
    fn ending(&self, rs: &Ruleset) -> Option<EndingView> {
        if let Some(e) = self.ending {
            let (kind, reason, successor) = match &e.kind {
                EndKind::Withdrawn(why) => (EndingKind::Withdrawn, Some(why.clone()), None),
                EndKind::Superseded(by) => (
                    EndingKind::Superseded,
                    None,
                    Some(rs.rule(*by).name.clone()),
                ),
            };
            return Some(EndingView {
                kind,
                on: e.on.to_string(),
                published: Some(e.published.to_string()),
                reason,
                successor,
                citations: citations(rs, &e.citations),
            });
        }
        let (_, _, end) = self.windows.last()?;
        Some(EndingView {
            kind: EndingKind::Expired,
            on: end.as_ref()?.succ_opt()?.to_string(),
            published: None,
            reason: None,
            successor: None,
            citations: Vec::new(),
        })
    }
}
