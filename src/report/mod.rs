//! Reports: the results of a run, resolved into a view, then rendered.

pub mod text;
pub mod timeline;
pub mod view;

pub use view::{ReportView, Verdict, build};

/// Renders the view as pretty JSON (shape: `docs/report-json.md`).
pub fn json(report: &ReportView) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
        + "\n"
}
