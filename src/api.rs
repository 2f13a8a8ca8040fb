//! The library's public API, for programs that embed obligo (a dashboard,
//! a test harness, a web service): load a ruleset, give facts (from YAML
//! or in code, checked against the same schema), evaluate, explain, render.
//!
//! ```
//! use obligo::api::{self, Dates, FactsBuilder, Plan, Status};
//! use chrono::NaiveDate;
//!
//! let rules = api::load_bundled()?;
//! let day = NaiveDate::from_ymd_opt(2023, 11, 1).unwrap_or_default();
//! let plan = Plan::new(&rules, Dates { as_of: day, known_on: day });
//! let practice = FactsBuilder::new(&rules)
//!     .name("Example Practice")
//!     .with("practice_in_england", true)?
//!     .with("contract_type", "GMS")?
//!     .build();
//! for outcome in plan.evaluate(&practice) {
//!     let rule = rules.get_rule(outcome.rule).map_or("?", |r| r.name.as_str());
//!     println!("{rule}: {}", outcome.status.code());
//! }
//! let verdict = plan.verdict(&plan.evaluate(&practice));
//! assert_ne!(verdict.exit_code(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Statuses come from [`Plan::evaluate`] as compact [`Outcome`]s; the
//! verdict from [`Plan::verdict`]; explanations, only when wanted, from an
//! [`Explainer`], which re-walks the decision that gave the status; words
//! for people from [`render`] and [`explain`].

use std::path::Path;

pub use crate::diagnostic::Diagnostic;
pub use crate::eval::{
    ClauseNode, Dates, Deadline, Decider, Explainer, FactSeen, Moment, Node, Note, Notes, Outcome,
    Plan, Role, Status, Tri, Verdict, is_binding_duty,
};
pub use crate::facts::{FactError, FactValue, Facts, FactsBuilder};
pub use crate::load::{LoadError, RuleFile};
pub use crate::model::{
    BindingForce, DefId, Definition, Fact, FactId, Rule, RuleId, RuleKind, Ruleset, Version,
};
pub use crate::value::{Type, Value};

use crate::diagnostic::{ErrorFormat, Style, render_all_as};
use crate::report::{self, html, layout, markdown};
use crate::source::SourceMap;

/// Problems in input, each located in its text.
#[derive(Debug, Clone)]
pub struct Problems {
    /// Each problem, in order.
    pub diagnostics: Vec<Diagnostic>,
    /// The texts they point into.
    pub sources: SourceMap,
}

impl Problems {
    /// The problems as `obligo` prints them: `file:line:col: error: …`, the
    /// line, a caret under the text and the fix.
    pub fn render(&self) -> String {
        render_all_as(
            &self.diagnostics,
            &self.sources,
            Style {
                format: ErrorFormat::Plain,
                colour: false,
            },
        )
    }

    fn summary(&self) -> String {
        let first = self
            .diagnostics
            .first()
            .map_or_else(String::new, |d| d.message.clone());
        match self.diagnostics.len() {
            0 | 1 => first,
            n => format!("{first} (and {} more)", n - 1),
        }
    }
}

/// Everything that can go wrong through the API.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum Error {
    /// The rule files do not load: each problem, located.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rules(#[from] LoadError),
    /// A facts file does not fit the ruleset's schema.
    #[error("the facts do not fit the rules: {}", .0.summary())]
    #[diagnostic(
        code(obligo::facts),
        help("see Problems::render for each problem, located")
    )]
    Facts(Problems),
    /// A fact given in code does not fit the schema.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Fact(#[from] FactError),
    /// No rule of that name.
    #[error("unknown rule `{name}`")]
    #[diagnostic(code(obligo::unknown_rule))]
    UnknownRule {
        /// The name asked for.
        name: String,
        /// The likely rule meant.
        #[help]
        help: Option<String>,
    },
}

fn rules_error(e: LoadError) -> Error {
    Error::Rules(e)
}

/// Loads a ruleset folder of `.obl` files (or one `.obl` file).
pub fn load_dir(path: &Path) -> Result<Ruleset, Error> {
    crate::load::read_dir(path)
        .and_then(|files| crate::load::load(&files))
        .map_err(rules_error)
}

/// Loads a ruleset from rule files held in memory.
pub fn load_files(files: &[RuleFile]) -> Result<Ruleset, Error> {
    crate::load::load(files).map_err(rules_error)
}

/// Loads a ruleset written in one text; `name` is what messages call it.
pub fn load_text(name: &str, text: &str) -> Result<Ruleset, Error> {
    load_files(&[RuleFile {
        relative: name.to_string(),
        shown: name.to_string(),
        text: text.to_string(),
    }])
}

/// Loads the ruleset bundled in the library (England's GP online record access rules).
pub fn load_bundled() -> Result<Ruleset, Error> {
    crate::load::load_bundled().map_err(rules_error)
}

/// Reads one organisation's facts from the text of a YAML facts file;
/// `name` is what reports and messages call it.
pub fn facts_from_yaml(ruleset: &Ruleset, name: &str, yaml: &str) -> Result<Facts, Error> {
    let mut sources = SourceMap::default();
    let id = sources.add(name, yaml);
    crate::facts::load(ruleset, &sources, id).map_err(|diagnostics| {
        Error::Facts(Problems {
            diagnostics,
            sources,
        })
    })
}

/// The formats a report can be rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Plain text, as `obligo check` prints it to a file.
    Text,
    /// JSON (shape: docs/report-json.md).
    Json,
    /// Markdown.
    Markdown,
    /// One self-contained HTML page.
    Html,
}

/// How much of each rule the text and Markdown reports show.
pub use crate::report::text::Detail;

/// The report of `obligo check` over these organisations, as it prints by
/// default (text and Markdown short; JSON and HTML whole).
pub fn render(plan: &Plan<'_>, organisations: &[Facts], format: Format) -> String {
    render_with(plan, organisations, format, Detail::Short)
}

/// The report of `obligo check --detail …` over these organisations.
pub fn render_with(
    plan: &Plan<'_>,
    organisations: &[Facts],
    format: Format,
    detail: Detail,
) -> String {
    let judged: Vec<(Facts, Vec<Outcome>)> = organisations
        .iter()
        .map(|f| (f.clone(), plan.evaluate(f)))
        .collect();
    let view = report::build(plan, &judged, true);
    match format {
        Format::Text => layout::apply(
            &report::text::render_with(&view, detail),
            layout::Layout::default(),
        ),
        Format::Json => report::json(&view),
        Format::Markdown => markdown::render_with(&view, detail),
        Format::Html => html::render(&view),
    }
}

/// One rule's full explanation for one organisation, as `obligo explain`
/// prints it (text, or JSON with `json`).
pub fn explain(plan: &Plan<'_>, facts: &Facts, rule: &str, json: bool) -> Result<String, Error> {
    let rs = plan.ruleset();
    let Some(id) = rs.rule_named(rule) else {
        return Err(Error::UnknownRule {
            name: rule.to_string(),
            help: crate::diagnostic::did_you_mean(rule, rs.rules.iter().map(|r| r.name.as_str())),
        });
    };
    let outcome = plan.outcome(facts, id);
    let view = report::explain::build(plan, facts, id, outcome.as_ref());
    Ok(if json {
        report::json(&view)
    } else {
        report::explain::text(&view)
    })
}
