//! The rulesets `fmt`, `lint` and `test` work on when no path is given:
//! `rules/` in the current folder if it holds a ruleset, else the bundled
//! ruleset. One place decides, so the three commands agree, and one text
//! says so in their `--help`.

use std::path::{Path, PathBuf};

use obligo::diagnostic::Diagnostic;

/// What `--help` says of the default, word for word in each command.
macro_rules! default_words {
    () => {
        "(default: `rules/` in the current folder if it holds a ruleset, else the bundled ruleset built into obligo)"
    };
}
pub(crate) use default_words;

/// The folder looked in for rulesets when no path is given.
pub const DEFAULT_FOLDER: &str = "rules";

/// A ruleset to work on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The ruleset built into the binary, with its scenarios.
    Bundled,
    /// A folder holding `.obl` files.
    Folder(PathBuf),
}

/// The rulesets the paths name (each a ruleset folder, or a folder whose
/// subfolders are); no paths: the default.
pub fn targets(paths: &[PathBuf]) -> Result<Vec<Target>, Vec<Diagnostic>> {
    if paths.is_empty() {
        return Ok(default_targets());
    }
    let mut targets = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match rulesets_in(path) {
            Ok(found) => targets.extend(found.into_iter().map(Target::Folder)),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(targets)
    } else {
        Err(problems)
    }
}

/// `rules/`'s rulesets, if it holds any; else the bundled ruleset.
pub fn default_targets() -> Vec<Target> {
    let folder = Path::new(DEFAULT_FOLDER);
    match rulesets_in(folder) {
        Ok(found) if folder.is_dir() => found.into_iter().map(Target::Folder).collect(),
        _ => vec![Target::Bundled],
    }
}

/// `path` itself if it holds rule files, else its subfolders that do, sorted.
pub fn rulesets_in(path: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let help = "give a ruleset folder holding `.obl` files, or a folder of ruleset folders \
                such as `rules/`";
    let entries = |dir: &Path| -> Result<Vec<PathBuf>, Diagnostic> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| {
                Diagnostic::bare(format!("cannot read the folder `{}`: {e}", dir.display()))
                    .with_help(help)
            })?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        paths.sort();
        Ok(paths)
    };
    let holds_rules = |paths: &[PathBuf]| {
        paths
            .iter()
            .any(|p| p.is_file() && p.extension().is_some_and(|x| x == "obl"))
    };
    let inside = entries(path)?;
    if holds_rules(&inside) {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut rulesets = Vec::new();
    for dir in inside.into_iter().filter(|p| p.is_dir()) {
        if holds_rules(&entries(&dir)?) {
            rulesets.push(dir);
        }
    }
    if rulesets.is_empty() {
        return Err(Diagnostic::bare(format!(
            "the folder `{}` holds no `.obl` rule files and no ruleset folders",
            path.display()
        ))
        .with_help(help));
    }
    Ok(rulesets)
}

impl Target {
    /// Loads the ruleset.
    pub fn load(&self) -> Result<obligo::model::Ruleset, obligo::load::LoadError> {
        match self {
            Self::Bundled => obligo::load::load_bundled(),
            Self::Folder(dir) => obligo::load::read_dir(dir).and_then(|f| obligo::load::load(&f)),
        }
    }
}
