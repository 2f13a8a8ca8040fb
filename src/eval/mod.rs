//! Evaluation: every rule of a ruleset against one organisation's facts, as
//! of a date, by the rules known on a date.
//!
//! A [`Plan`] does the per-run work once; [`Plan::evaluate`] gives each
//! rule's compact, typed [`Outcome`]; [`Verdict::of`] sums them up; an
//! [`Explainer`] re-walks the same decision with recording on when a report
//! asks why. Nothing here produces words for people: see `report`.

mod decide;
mod explain;
mod known;
mod outcome;
pub mod period;
mod plan;
pub mod rollup;
mod status;
mod tri;
mod verdict;

use chrono::NaiveDate;

pub use decide::Role;
pub use explain::{ClauseNode, Explainer, FactSeen, Node, per_item};
#[cfg(test)]
pub(crate) use known::known_windows;
pub use known::{Known, Window};
pub use outcome::{Deadline, Decider, Moment, Note, Notes, Outcome};
pub use plan::Plan;
pub(crate) use plan::judge_on;
pub use status::Status;
pub(crate) use tri::Evaluator;
pub use tri::{MAX_AGGREGATE_WORK, Tri, shift};
pub use verdict::{Verdict, is_binding_duty};

use crate::model::{Ruleset, Version};

/// The two dates of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dates {
    /// The date judged.
    pub as_of: NaiveDate,
    /// Only versions published on or before this date exist.
    pub known_on: NaiveDate,
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
