//! Loading a ruleset: a folder of `.obl` files, or the bundled one.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{self, Ruleset};
use crate::source::SourceMap;
use crate::syntax;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// The name of the bundled ruleset.
pub const BUNDLED_NAME: &str = "england-gp-record-access";

/// One rule file: the name it is hashed under, the name shown, its text.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// Path relative to the ruleset folder (used in the hash).
    pub relative: String,
    /// What error messages call it.
    pub shown: String,
    pub text: String,
}

/// A ruleset that failed to load: the problems and the texts they point into.
///
/// As an error it reads "the ruleset has N errors" (or the one problem's
/// message); as a [`miette::Diagnostic`] it shows every problem with its text.
#[derive(Debug, thiserror::Error)]
#[error("{}", summary(&self.diagnostics))]
pub struct LoadError {
    /// Every problem found, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// The texts the problems point into.
    pub sources: SourceMap,
}

impl LoadError {
    /// The problems, each with the text it points into attached (shared).
    pub fn new(diagnostics: Vec<Diagnostic>, sources: SourceMap) -> Self {
        let diagnostics = diagnostics
            .into_iter()
            .map(|d| d.with_source(&sources))
            .collect();
        Self {
            diagnostics,
            sources,
        }
    }

    /// The problems as the process's `--error-format` shows them.
    pub fn render(&self) -> String {
        crate::diagnostic::render_all(&self.diagnostics, &self.sources)
    }

    /// The one problem, when there is only one.
    fn only(&self) -> Option<&Diagnostic> {
        match self.diagnostics.as_slice() {
            [d] => Some(d),
            _ => None,
        }
    }
}

/// "the ruleset has 3 errors", or the message of the only problem.
fn summary(diagnostics: &[Diagnostic]) -> String {
    match diagnostics {
        [] => "the ruleset did not load".to_string(),
        [d] => d.message.clone(),
        _ => {
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            format!(
                "the ruleset has {errors} error{}",
                if errors == 1 { "" } else { "s" }
            )
        }
    }
}

/// One problem is shown as itself; several as the summary with each problem
/// below it.
impl miette::Diagnostic for LoadError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        miette::Diagnostic::code(self.only()?)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Error)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        miette::Diagnostic::help(self.only()?)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        miette::Diagnostic::source_code(self.only()?)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        miette::Diagnostic::labels(self.only()?)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.only().is_some() {
            return None;
        }
        Some(Box::new(
            self.diagnostics
                .iter()
                .map(|d| d as &dyn miette::Diagnostic),
        ))
    }
}

/// The bundled ruleset's files.
pub fn bundled_files() -> Vec<RuleFile> {
    bundled::BUNDLED
        .iter()
        .map(|(name, text)| RuleFile {
            relative: (*name).to_string(),
            shown: format!("rules/{BUNDLED_NAME}/{name}"),
            text: (*text).to_string(),
        })
        .collect()
}

/// Reads every `.obl` file in a folder (not below it), sorted by name.
pub fn read_dir(dir: &Path) -> Result<Vec<RuleFile>, LoadError> {
    let fail = |message: String, help: &str| {
        LoadError::new(
            vec![Diagnostic::bare(message).with_help(help)],
            SourceMap::default(),
        )
    };
    // One rule file on its own is a ruleset too: handy for trying a file out.
    if dir.is_file() && dir.extension().is_some_and(|x| x == "obl") {
        return read_files(vec![dir.to_path_buf()]);
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        fail(
            format!("cannot read the ruleset folder `{}`: {e}", dir.display()),
            "give the path of a ruleset: a folder that holds `.obl` rule files, or one `.obl` file",
        )
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "obl"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(fail(
            format!("the folder `{}` holds no `.obl` rule files", dir.display()),
            "a ruleset is a folder of `.obl` files; check the path given",
        ));
    }
    read_files(paths)
}

/// Reads rule files, in the order given.
fn read_files(paths: Vec<std::path::PathBuf>) -> Result<Vec<RuleFile>, LoadError> {
    paths
        .into_iter()
        .map(|p| {
            let mut sources = SourceMap::default();
            // A byte-order mark is dropped: some editors start UTF-8 with one.
            let text = crate::read::text(&p, "rule file", &mut sources)
                .map_err(|d| LoadError::new(vec![d], sources))?;
            Ok(RuleFile {
                relative: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                shown: p.display().to_string(),
                text,
            })
        })
        .collect()
}

/// sha256 over the files: sorted by relative name, line endings normalised.
pub fn hash(files: &[RuleFile]) -> String {
    let mut sorted: Vec<&RuleFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.relative.cmp(&b.relative));
    let mut h = Sha256::new();
    for f in sorted {
        h.update(f.relative.as_bytes());
        h.update([0]);
        h.update(f.text.replace("\r\n", "\n").as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses and checks rule files into a ruleset, reporting every problem found.
pub fn load(files: &[RuleFile]) -> Result<Ruleset, LoadError> {
    let mut sources = SourceMap::default();
    let mut asts = Vec::new();
    let mut diagnostics = Vec::new();
    for f in files {
        let id = sources.add(f.shown.clone(), f.text.as_str());
        match syntax::parse_file(id, &f.text) {
            Ok(ast) => asts.push(ast),
            Err(mut e) => diagnostics.append(&mut e),
        }
    }
    if !diagnostics.is_empty() {
        return Err(LoadError::new(diagnostics, sources));
    }
    model::check(&asts, &sources, hash(files))
        .map_err(|diagnostics| LoadError::new(diagnostics, sources))
}

/// Loads the bundled ruleset.
pub fn load_bundled() -> Result<Ruleset, LoadError> {
    load(&bundled_files())
}
