//! obligo: a rules-as-code checker for contractual and regulatory obligations.
//!
//! Policy leads write contract clauses, deadlines and guidance as versioned,
//! cited rules; obligo judges an organisation's facts against them as of a
//! date, by the rules known on a date, and says rule by rule what is met,
//! pending, overdue or unknown, why, and on which source it rests.
//!
//! The public API is [`api`]: load a ruleset, give facts, evaluate (a
//! [`api::Plan`] yields a typed [`api::Outcome`] per rule and the
//! [`api::Verdict`]), explain on demand, render. Everything else is the
//! `obligo` command line's machinery, public for its tests and not a stable
//! API.
//!
//! The pipeline is text → `syntax` (spanned AST) → `model` (names
//! resolved, types checked, versions ordered) → `eval` against `facts` as
//! of a date → `report`.

#![warn(missing_docs)]

pub mod api;

#[doc(hidden)]
pub mod batch;
#[doc(hidden)]
pub mod diagnostic;
#[doc(hidden)]
pub mod diff;
#[doc(hidden)]
pub mod eval;
#[doc(hidden)]
pub mod facts;
#[doc(hidden)]
pub mod format;
#[doc(hidden)]
pub mod history;
#[doc(hidden)]
pub mod ics;
#[doc(hidden)]
pub mod lint;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod model;
#[doc(hidden)]
pub mod read;
#[doc(hidden)]
pub mod report;
#[doc(hidden)]
pub mod scenario;
#[doc(hidden)]
pub mod source;
#[doc(hidden)]
pub mod syntax;
#[doc(hidden)]
pub mod timeline;
#[doc(hidden)]
pub mod value;
