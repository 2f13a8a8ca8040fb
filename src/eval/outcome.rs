//! What evaluation yields per rule: a compact, typed outcome. No words:
//! reports turn it into text.

use chrono::{NaiveDate, NaiveDateTime};

use super::Status;
use crate::model::{FactId, RuleId};
use crate::value::Value;

/// A point in time a deadline or a satisfaction falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Moment {
    /// A calendar day (a date deadline lasts all day).
    Day(NaiveDate),
    /// A local date and time, to the minute.
    At(NaiveDateTime),
}

impl Moment {
    /// The moment a date or date-time value stands for.
    pub fn of(v: &Value) -> Option<Self> {
        match v {
            Value::Date(d) => Some(Self::Day(*d)),
            Value::DateTime(t) => Some(Self::At(*t)),
            _ => None,
        }
    }

    /// Its calendar day.
    pub fn day(self) -> NaiveDate {
        match self {
            Self::Day(d) => d,
            Self::At(t) => t.date(),
        }
    }

    /// Whether this (a satisfaction) came after `limit` (a deadline): by the
    /// minute when both carry a time, otherwise by the calendar day.
    pub fn after(self, limit: Moment) -> bool {
        match (self, limit) {
            (Self::At(m), Self::At(l)) => m > l,
            (m, l) => m.day() > l.day(),
        }
    }
}

/// A deadline as computed for one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// The rule has no deadline.
    None,
    /// A day, or a day and time.
    On(Moment),
    /// The deadline depends on an event that has not happened.
    NotYetSet,
    /// It depends on missing facts.
    Unknown,
}

impl Deadline {
    /// The calendar day of a dated deadline.
    pub fn day(&self) -> Option<NaiveDate> {
        match self {
            Deadline::On(m) => Some(m.day()),
            _ => None,
        }
    }
}

/// What decided the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    /// The rule's own clauses (or its standing in time).
    Rule,
    /// The exception with this index in the version's exceptions.
    Exception(usize),
}

/// Something a reader should know about a result, beyond its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Note {
    /// The rule's version with this index (in the rule's versions) comes into force later.
    ComesIntoForce {
        /// Index in the rule's versions.
        version: usize,
    },
    /// The last known version ran until this day, and none follows.
    RanUntil(NaiveDate),
    /// A later version, with this index in the rule's versions, is known.
    NewVersion {
        /// Index in the rule's versions.
        version: usize,
    },
    /// The rule's withdrawal or supersession (`Rule::ending`) is known:
    /// already in effect, or still to come.
    Ending {
        /// The ending has taken effect by the date judged.
        in_effect: bool,
    },
}

/// The notes of one result: at most two, in the order a reader wants them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Notes([Option<Note>; 2]);

impl Notes {
    /// Adds a note (a third is dropped: no result has more than two).
    pub(crate) fn push(&mut self, note: Note) {
        if let Some(slot) = self.0.iter_mut().find(|n| n.is_none()) {
            *slot = Some(note);
        }
    }

    /// The notes, in order.
    pub fn iter(&self) -> impl Iterator<Item = Note> + '_ {
        self.0.iter().flatten().copied()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }
}

/// One rule's outcome for one organisation on one date.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Outcome {
    /// The rule.
    pub rule: RuleId,
    /// Index of the version used, in the rule's versions.
    pub version: Option<usize>,
    /// Where the rule stands.
    pub status: Status,
    /// The rule's clauses, or one of its exceptions.
    pub decider: Decider,
    /// The deadline, as computed for this organisation.
    pub deadline: Deadline,
    /// Days from the date judged to the deadline (negative: past it).
    pub days_to_deadline: Option<i64>,
    /// Pending and within the "due soon" window.
    pub due_soon: bool,
    /// Under a recurring deadline: the first day of the period the status is about.
    pub period: Option<NaiveDate>,
    /// When the rule was satisfied, if known.
    pub met_on: Option<Moment>,
    /// The facts whose absence left the outcome unknown, sorted (empty otherwise).
    pub missing: Vec<FactId>,
    /// Endings and later versions a reader should know of.
    pub notes: Notes,
    /// For one item of a rule `for each` kind: its index in the facts' list;
    /// for one period of a rule `for each period`: its index among the
    /// periods judged (`period` says which it is).
    pub item: Option<u32>,
    /// For a rule judged `for each` item or period: each one's outcome, in
    /// the order of the list (or of the periods), those the rule's `where`
    /// leaves out omitted. The rule's own status is rolled up from them
    /// ([`super::rollup`]).
    pub items: Vec<Outcome>,
}

impl Outcome {
    /// An outcome with only a status, before anything is decided.
    pub(crate) fn new(rule: RuleId, version: Option<usize>, status: Status) -> Self {
        Self {
            rule,
            version,
            status,
            decider: Decider::Rule,
            deadline: Deadline::None,
            days_to_deadline: None,
            due_soon: false,
            period: None,
            met_on: None,
            missing: Vec::new(),
            notes: Notes::default(),
            item: None,
            items: Vec::new(),
        }
    }

    /// Makes this the blank outcome of `rule`, keeping the missing list's buffer.
    pub(crate) fn reset(&mut self, rule: RuleId, version: Option<usize>) {
        self.rule = rule;
        self.version = version;
        self.status = Status::Unknown;
        self.decider = Decider::Rule;
        self.deadline = Deadline::None;
        self.days_to_deadline = None;
        self.due_soon = false;
        self.period = None;
        self.met_on = None;
        self.missing.clear();
        self.notes = Notes::default();
        self.item = None;
        self.items.clear();
    }

    /// The deadline as it bears on the status: a deadline not yet set says
    /// nothing for a rule already met or not applicable.
    pub fn relevant_deadline(&self) -> Deadline {
        match (self.deadline, self.status) {
            (Deadline::NotYetSet, Status::Met | Status::MetLate | Status::NotApplicable) => {
                Deadline::None
            }
            (d, _) => d,
        }
    }

    /// Days left to the deadline, for a pending outcome.
    pub fn days_left(&self) -> Option<i64> {
        self.days_to_deadline
            .filter(|d| *d >= 0 && self.status == Status::Pending)
    }

    /// Days past the deadline, for an overdue outcome.
    pub fn days_overdue(&self) -> Option<i64> {
        self.days_to_deadline
            .filter(|d| *d < 0 && self.status == Status::Overdue)
            .map(|d| -d)
    }
}
