//! obligo: a rules-as-code checker for contractual and regulatory obligations.
//!
//! The pipeline is text → [`syntax`] (spanned AST) → [`model`] (names
//! resolved, types checked, versions ordered) → [`eval`] against [`facts`]
//! as of a date → [`report`]. [`history`] tells how each rule's versions
//! moved; [`lint`] finds what loads but is likely wrong. The [`cli`] is a
//! thin layer on top.

pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod facts;
pub mod format;
pub mod history;
pub mod ics;
pub mod lint;
pub mod load;
pub mod model;
pub mod report;
pub mod scenario;
pub mod source;
pub mod syntax;
pub mod timeline;
pub mod value;
