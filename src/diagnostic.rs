//! Problems found in input, and how they are shown.
//!
//! Every stage reports [`Diagnostic`]s that point at the text; the CLI turns
//! them into miette reports. Messages are lowercase, without a final period,
//! user text in backticks, the fix in `help`.

use std::fmt::Write as _;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use crate::source::{SourceMap, Span};

/// Whether a problem stops the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The input is rejected.
    Error,
    /// Worth fixing; the run goes on.
    Warning,
}

/// One problem in an input, located in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
    /// Where; `None` for problems with no text to point at (a missing file).
    pub span: Option<Span>,
    /// The short note under the underlined text.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error pointing at `span`.
    pub fn error(span: Span, message: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            span: Some(span),
            label: label.into(),
            help: None,
        }
    }

    /// An error with no text to point at.
    pub fn bare(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            label: String::new(),
            help: None,
        }
    }

    /// Adds the fix.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders the problem as a user sees it: the message, `file:line:col`,
    /// the text with the span underlined, and the help line. No colour.
    pub fn render(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        let Some(span) = self.span.filter(|s| sources.get(s.file).is_some()) else {
            let _ = writeln!(out, "{}: {}", self.severity_word(), self.message);
            if let Some(help) = &self.help {
                let _ = writeln!(out, "  help: {help}");
            }
            return out;
        };
        let (line, col) = sources.line_col(span);
        let name = sources.name(span).to_string();
        let text = sources
            .get(span.file)
            .map(|f| f.text.to_string())
            .unwrap_or_default();
        let report = Report {
            message: format!("{}: {}", self.severity_word(), self.message),
            location: format!("{name}:{line}:{col}"),
            source: NamedSource::new(name, text),
            span: SourceSpan::new((span.start as usize).into(), span.range().len()),
            label: self.label.clone(),
            help: self.help.clone(),
        };
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .with_context_lines(1);
        if handler.render_report(&mut out, &report).is_err() {
            let _ = writeln!(
                out,
                "{}: {} at {}",
                self.severity_word(),
                self.message,
                report.location
            );
        }
        out
    }

    fn severity_word(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The miette view of one diagnostic.
#[derive(Debug)]
struct Report {
    message: String,
    location: String,
    source: NamedSource<String>,
    span: SourceSpan,
    label: String,
    help: Option<String>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = (!self.label.is_empty()).then(|| self.label.clone());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            label, self.span,
        ))))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.clone()) as Box<dyn std::fmt::Display>)
    }
}

/// Renders many diagnostics, one after another, errors and warnings alike.
pub fn render_all(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.render(sources));
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 1 {
        let _ = writeln!(out, "{errors} errors");
    }
    out
}

/// "did you mean" by edit distance, among `candidates`.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(name, c);
        if score > 0.8 && best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}
