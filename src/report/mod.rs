//! Reports: the results of a run, resolved into a view, then rendered.

pub mod batch;
pub mod batch_summary;
pub mod explain;
pub mod html;
pub mod layout;
pub mod markdown;
pub mod missing;
pub mod rules_text;
pub mod text;
pub mod timeline;
pub mod todo;
pub mod view;
pub mod why;
pub mod wording;
pub mod words;

pub use view::{ReportView, build};

/// Renders a view as pretty JSON (shapes: `docs/report-json.md`, `docs/rules-json.md`).
pub fn json(report: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
        + "\n"
}
