//! obligo's integration tests: one binary, a module per feature.

// Tests may stop at the first surprise: that is how they fail.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

mod batch;
mod bitemporal;
mod bundled;
mod check_report;
mod cli_conventions;
mod deadlines;
mod defaults;
mod diagnostics;
mod diff;
mod embed;
mod error_messages;
mod error_types;
mod explain_missing;
mod fmt;
mod formats;
mod hostile;
mod html_report;
mod items_commands;
mod items_core;
mod items_properties;
mod items_reports;
mod json_report;
mod language;
mod language_doc;
mod lint;
mod nine_rules;
mod outcomes;
mod properties;
mod robustness;
mod rules;
mod scenarios;
mod statuses;
mod timeline;
mod wording;
