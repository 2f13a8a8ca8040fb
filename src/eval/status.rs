//! The statuses a rule can have, in the order they are decided.

use serde::Serialize;

/// Where a rule stands for one organisation on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No version is in force yet; one starts later.
    NotInForce,
    /// Withdrawn, superseded, or its last version has run out.
    Ended,
    /// Its `applies when` is false, or an exception says so.
    NotApplicable,
    /// Satisfied on time (or there is no deadline).
    Met,
    /// Satisfied, after the deadline.
    MetLate,
    /// Not yet satisfied, deadline still ahead (or on this very day).
    Pending,
    /// Not satisfied and the deadline has passed, or no deadline and not satisfied.
    Overdue,
    /// Some step could not be decided: the missing facts are listed.
    Unknown,
}

impl Status {
    /// Every status, in decision order.
    pub const ALL: [Status; 8] = [
        Self::NotInForce,
        Self::Ended,
        Self::NotApplicable,
        Self::Met,
        Self::MetLate,
        Self::Pending,
        Self::Overdue,
        Self::Unknown,
    ];

    /// The machine name, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotInForce => "not_in_force",
            Self::Ended => "ended",
            Self::NotApplicable => "not_applicable",
            Self::Met => "met",
            Self::MetLate => "met_late",
            Self::Pending => "pending",
            Self::Overdue => "overdue",
            Self::Unknown => "unknown",
        }
    }
}
