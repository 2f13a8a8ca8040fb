//! Problems found in input, and how they are shown.
//!
//! Every stage reports [`Diagnostic`]s that point at the text; the CLI turns
//! them into miette reports. Messages are lowercase, without a final period,
//! user text in backticks, the fix in `help`.
//!
//! Three renderings ([`ErrorFormat`]): `human` (miette's graphical report,
//! in colour only on a terminal and never under `NO_COLOR`), `plain`
//! (`file:line:col: error: message`, the line and a caret underline, for logs
//! and editors that read compiler output), and `json` (one document, for
//! editors and CI). The command line sets the style once for the process.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};

use crate::source::{SourceFile, SourceMap, Span};

/// How problems are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ErrorFormat {
    /// A report with the text and the underlined span (the default).
    #[default]
    Human,
    /// One `file:line:col: error: message` line, the text and a caret line.
    Plain,
    /// A JSON document: `{"diagnostics": [...], "errors": N, "warnings": N}`.
    Json,
}

/// The rendering style of this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub format: ErrorFormat,
    /// Colour in the human format.
    pub colour: bool,
}

static STYLE: OnceLock<Style> = OnceLock::new();

/// Sets how [`render_all`] shows problems, once per process (later calls are ignored).
pub fn set_style(style: Style) {
    let _ = STYLE.set(style);
}

/// The style set by [`set_style`], or human without colour.
pub fn style() -> Style {
    STYLE.get().copied().unwrap_or_default()
}

/// Whether the human format may use colour: on a terminal, and not when the
/// `NO_COLOR` variable is set to anything but the empty string.
pub fn colour_wanted(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// Whether a problem stops the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The input is rejected.
    Error,
    /// Worth fixing; the run goes on.
    Warning,
}

/// One problem in an input, located in its text.
///
/// It is an error type: its `Display` is the message, and as a
/// [`miette::Diagnostic`] it gives the code, severity, help and the labelled
/// span, with the text under it once [`Diagnostic::with_source`] has
/// attached it (a [`LoadError`](crate::load::LoadError) does so).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The short name of the check that found it (lint findings, such as
    /// `unused-fact`); the renderings show it in brackets before the message.
    pub code: Option<&'static str>,
    /// What is wrong, in one line.
    pub message: String,
    /// Where; `None` for problems with no text to point at (a missing file).
    pub span: Option<Span>,
    /// The short note under the underlined text.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The text `span` points into, for miette (see [`Diagnostic::with_source`]).
    pub(crate) text: Option<Arc<SourceFile>>,
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
            code: None,
            text: None,
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
            code: None,
            text: None,
        }
    }

    /// Adds the fix.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds the code of the check that found it.
    #[must_use]
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// Attaches the text the span points into (shared, not copied), so that
    /// miette can show it when this diagnostic is reported on its own.
    #[must_use]
    pub fn with_source(mut self, sources: &SourceMap) -> Self {
        self.text = self.span.and_then(|s| sources.get_shared(s.file));
        self
    }

    /// The message as the renderings show it: the code in brackets first.
    fn shown_message(&self) -> String {
        match self.code {
            Some(code) => format!("[{code}] {}", self.message),
            None => self.message.clone(),
        }
    }

    /// Renders the problem as a user sees it: the message, `file:line:col`,
    /// the text with the span underlined, and the help line. No colour.
    pub fn render(&self, sources: &SourceMap) -> String {
        self.render_human(sources, false)
    }

    fn render_human(&self, sources: &SourceMap, colour: bool) -> String {
        let mut out = String::new();
        let Some((span, file)) = self.span.and_then(|s| Some((s, sources.get(s.file)?))) else {
            let _ = writeln!(out, "{}: {}", self.severity_word(), self.shown_message());
            if let Some(help) = &self.help {
                let _ = writeln!(out, "  help: {help}");
            }
            return out;
        };
        let (line, col) = file.line_col(span.start as usize);
        // miette lays out the whole line (and cannot past column 65,535):
        // a very long line is shown as a window around the problem.
        if file.line_text(line).len() > LONG_LINE {
            return self.render_plain(sources);
        }
        let report = Report {
            message: format!("{}: {}", self.severity_word(), self.shown_message()),
            location: format!("{}:{line}:{col}", file.name),
            source: file,
            span: SourceSpan::new((span.start as usize).into(), span.range().len()),
            label: &self.label,
            help: self.help.as_deref(),
            severity: self.severity.into(),
        };
        let theme = if colour {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        // Rule and source names are hyphenated: never break a line inside one.
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
            .with_width(100)
            .with_context_lines(1);
        if handler.render_report(&mut out, &report).is_err() {
            let _ = writeln!(
                out,
                "{}: {} at {}",
                self.severity_word(),
                self.shown_message(),
                report.location
            );
        }
        out
    }

    /// `file:line:col: error: message`, then the line of text with a caret
    /// underline and the label, then the help.
    fn render_plain(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        let Some(at) = self.located(sources) else {
            let _ = writeln!(out, "{}: {}", self.severity_word(), self.shown_message());
            if let Some(help) = &self.help {
                let _ = writeln!(out, "  help: {help}");
            }
            return out;
        };
        let _ = writeln!(
            out,
            "{}:{}:{}: {}: {}",
            at.file,
            at.line,
            at.column,
            self.severity_word(),
            self.shown_message()
        );
        let (shown, before, width) = window(&at.text, at.column, at.end_column);
        let _ = writeln!(out, "  | {shown}");
        let _ = writeln!(
            out,
            "  | {}{} {}",
            " ".repeat(before),
            "^".repeat(width),
            self.label
        );
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  help: {help}");
        }
        out
    }

    /// Where the problem is, if it points at a known text.
    fn located(&self, sources: &SourceMap) -> Option<Located> {
        let span = self.span?;
        let file = sources.get(span.file)?;
        let (line, column) = file.line_col(span.start as usize);
        let text = file.line_text(line);
        // The underline stops at the end of the first line of the span.
        let on_line = sources.slice(span).lines().next().unwrap_or("");
        Some(Located {
            file: file.name.clone(),
            line,
            column,
            end_column: column + on_line.chars().count(),
            text: text.to_string(),
            start_byte: span.start as usize,
            end_byte: span.end as usize,
        })
    }

    fn json(&self, sources: &SourceMap) -> JsonDiagnostic {
        JsonDiagnostic {
            severity: self.severity_word(),
            code: self.code,
            message: self.shown_message(),
            location: self.located(sources),
            label: (!self.label.is_empty()).then(|| self.label.clone()),
            help: self.help.clone(),
        }
    }

    fn severity_word(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The miette view of one diagnostic, as the human format shows it: the
/// severity and code in the message, the text borrowed from the source map.
#[derive(Debug)]
struct Report<'a> {
    message: String,
    location: String,
    source: &'a SourceFile,
    span: SourceSpan,
    label: &'a str,
    help: Option<&'a str>,
    severity: miette::Severity,
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = (!self.label.is_empty()).then(|| self.label.to_string());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            label, self.span,
        ))))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.help
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display + 'b>)
    }
}

/// For library users: a diagnostic can be `?`-ed into `miette::Result`.
/// The code, severity, help and the labelled span; the text only when
/// attached with [`Diagnostic::with_source`]. (The CLI renders through
/// [`render_all`], which finds the text in a [`SourceMap`].)
impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.code
            .map(|c| Box::new(c) as Box<dyn std::fmt::Display + 'a>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity.into())
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_deref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.text.as_deref().map(|t| t as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        let label = (!self.label.is_empty()).then(|| self.label.clone());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            label,
            SourceSpan::new((span.start as usize).into(), span.range().len()),
        ))))
    }
}

impl From<Severity> for miette::Severity {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        }
    }
}

/// A diagnostic's place, for the plain and JSON formats. Lines and
/// columns are 1-based and count characters; the end column is exclusive.
#[derive(Debug, Clone, Serialize)]
struct Located {
    file: String,
    line: usize,
    column: usize,
    end_column: usize,
    /// The whole line the problem starts on.
    text: String,
    start_byte: usize,
    end_byte: usize,
}

/// One diagnostic in the JSON format.
#[derive(Debug, Serialize)]
struct JsonDiagnostic {
    severity: &'static str,
    /// The check's code, for lint findings only (the message opens with it too).
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    message: String,
    /// `null` for problems with no text to point at (an unreadable file).
    location: Option<Located>,
    label: Option<String>,
    help: Option<String>,
}

/// The JSON format's document.
#[derive(Debug, Serialize)]
struct JsonReport {
    diagnostics: Vec<JsonDiagnostic>,
    errors: usize,
    warnings: usize,
}

/// A line longer than this (in bytes) is shown as a window around the
/// problem, not whole.
const LONG_LINE: usize = 1000;
/// How many characters of a long line are shown on each side of a problem.
const WINDOW: usize = 60;

/// The part of a line shown under a message: the whole line when it is
/// short, else a window around columns `from..to` (1-based, characters)
/// with `…` for what is left out. Gives the text, the characters before
/// the underline, and the underline's width.
fn window(text: &str, from: usize, to: usize) -> (String, usize, usize) {
    let width = to.saturating_sub(from).max(1);
    let start = from.saturating_sub(1);
    if text.len() <= LONG_LINE {
        return (text.to_string(), start, width);
    }
    let width = width.min(WINDOW);
    let first = start.saturating_sub(WINDOW);
    let shown: String = text
        .chars()
        .skip(first)
        .take(start - first + width + WINDOW)
        .collect();
    let total = text.chars().count();
    let lead = if first > 0 { "…" } else { "" };
    let tail = if first + shown.chars().count() < total {
        "…"
    } else {
        ""
    };
    (
        format!("{lead}{shown}{tail}"),
        start - first + lead.chars().count(),
        width,
    )
}

/// Renders many diagnostics in the process's style (see [`set_style`]).
pub fn render_all(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    render_all_as(diagnostics, sources, style())
}

/// Renders many diagnostics, one after another, errors and warnings alike.
pub fn render_all_as(diagnostics: &[Diagnostic], sources: &SourceMap, style: Style) -> String {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    if style.format == ErrorFormat::Json {
        let report = JsonReport {
            diagnostics: diagnostics.iter().map(|d| d.json(sources)).collect(),
            errors,
            warnings,
        };
        return serde_json::to_string_pretty(&report)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
            + "\n";
    }
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&match style.format {
            ErrorFormat::Plain => d.render_plain(sources),
            _ => d.render_human(sources, style.colour),
        });
    }
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
    // No name is longer, and comparing a huge word with each candidate
    // costs its length times theirs.
    if name.len() > crate::syntax::MAX_NAME {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(name, c);
        if score > 0.8 && best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| format!("did you mean `{c}`?"))
}
