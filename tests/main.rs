//! obligo's integration tests: one binary, a module per feature.

mod common;

mod bitemporal;
mod error_messages;
mod json_report;
mod language;
mod statuses;
