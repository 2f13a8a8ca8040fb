//! Scenarios: a ruleset's own tests. Each names an organisation's facts, the
//! dates judged and known, and the status expected of some rules; `obligo
//! test` runs them and says which rules, and which of their statuses, they
//! reach. The file layout is in `docs/scenarios.md`.

pub mod coverage;
mod deciding;
mod raw;
mod read;
pub mod run;
pub mod text;
pub mod view;

use std::path::Path;

pub use read::read;

use crate::diagnostic::Diagnostic;
use crate::eval::{Dates, Status};
use crate::facts::Facts;
use crate::model::{FactId, RuleId, Ruleset};
use crate::source::SourceMap;

/// The folder, inside a ruleset folder, that holds its scenario files.
pub const FOLDER: &str = "scenarios";

/// One scenario, checked against the ruleset.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it came from, as shown.
    pub file: String,
    /// The line it starts on.
    pub line: usize,
    pub name: String,
    pub dates: Dates,
    pub facts: Facts,
    /// What is expected, rule by rule, in file order.
    pub checks: Vec<Check>,
    /// Why the expectations are disputed (they follow the research, and the
    /// rules as written give something else): such a scenario may fail
    /// without failing the run, until someone decides which is right.
    pub disputed: Option<String>,
}

/// What a scenario expects of one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub rule: RuleId,
    /// The line of its first expectation.
    pub line: usize,
    /// The status expected, if one is.
    pub status: Option<Expected>,
    /// The facts expected missing (sorted), if they are given.
    pub missing: Option<Vec<FactId>>,
    /// For a rule judged `for each` item or period: the status expected of
    /// some of its items, in file order (`expect_items:`).
    pub items: Vec<ItemCheck>,
}

/// What a scenario expects of one item of a rule judged `for each`.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemCheck {
    /// The item's key, as reports name it: its id, `#N` (its place in the
    /// list, from 1, when it has no id) or its period (`2024-05`).
    pub key: String,
    /// The line of the expectation.
    pub line: usize,
    /// The status expected; `Absent` when the rule judges no such item.
    pub status: Expected,
}

/// An expected (or actual) outcome for one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Expected {
    /// The rule has this status.
    Status(Status),
    /// No version of the rule is known on the date of knowledge.
    Absent,
}

impl Expected {
    /// Every outcome a scenario can expect, in decision order.
    pub fn all() -> impl Iterator<Item = Expected> {
        std::iter::once(Self::Absent).chain(Status::ALL.into_iter().map(Self::Status))
    }

    /// The name written in scenario files and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Status(s) => s.code(),
            Self::Absent => "absent",
        }
    }

    /// The outcome named `code`.
    pub fn parse(code: &str) -> Option<Self> {
        Self::all().find(|e| e.code() == code)
    }
}

/// Scenario files that could not be read: the problems and the texts they point into.
#[derive(Debug)]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

/// Reads every scenario file (`*.yaml`, `*.yml`) of `<dir>/scenarios`, sorted
/// by name, checking them against `ruleset`; every problem is reported.
pub fn load_dir(ruleset: &Ruleset, dir: &Path) -> Result<Vec<Scenario>, LoadError> {
    let folder = dir.join(FOLDER);
    let fail = |message: String, help: String| LoadError {
        diagnostics: vec![Diagnostic::bare(message).with_help(help)],
        sources: SourceMap::default(),
    };
    let entries = std::fs::read_dir(&folder).map_err(|e| {
        fail(
            format!(
                "cannot read the scenario folder `{}`: {e}",
                folder.display()
            ),
            format!(
                "write the ruleset's scenarios as YAML files in `{}` (docs/scenarios.md shows how)",
                folder.display()
            ),
        )
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(fail(
            format!("the folder `{}` holds no scenario files", folder.display()),
            "a scenario file ends in `.yaml`; docs/scenarios.md shows what goes in one".into(),
        ));
    }
    let mut sources = SourceMap::default();
    let texts = paths
        .into_iter()
        .map(|p| {
            let text = crate::read::text(&p, "scenario file", &mut sources);
            (p.display().to_string(), text)
        })
        .collect();
    load_texts(ruleset, sources, texts)
}

/// The bundled ruleset's scenario files, built into the binary.
mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled_scenarios.rs"));
}

/// Reads the bundled ruleset's scenarios, built into the binary (so `obligo
/// test` needs no files); they are named as in obligo's source.
pub fn load_bundled(ruleset: &Ruleset) -> Result<Vec<Scenario>, LoadError> {
    let texts = bundled::BUNDLED_SCENARIOS.iter().map(|(name, text)| {
        (
            format!("rules/{}/{FOLDER}/{name}", crate::load::BUNDLED_NAME),
            Ok((*text).to_string()),
        )
    });
    load_texts(ruleset, SourceMap::default(), texts.collect())
}

/// Reads scenario files' texts (or the problem reading each), in order.
fn load_texts(
    ruleset: &Ruleset,
    mut sources: SourceMap,
    texts: Vec<(String, Result<String, Diagnostic>)>,
) -> Result<Vec<Scenario>, LoadError> {
    let mut diagnostics = Vec::new();
    let mut scenarios = Vec::new();
    for (name, text) in texts {
        let text = match text {
            Ok(t) => t,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let id = sources.add(name, text);
        match read(ruleset, &sources, id) {
            Ok(mut s) => scenarios.append(&mut s),
            Err(mut e) => diagnostics.append(&mut e),
        }
    }
    if diagnostics.is_empty() {
        Ok(scenarios)
    } else {
        Err(LoadError {
            diagnostics,
            sources,
        })
    }
}
