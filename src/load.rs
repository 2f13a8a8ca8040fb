//! Loading a ruleset: a folder of `.obl` files, or the bundled one.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
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
#[derive(Debug)]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
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
    let fail = |message: String, help: &str| LoadError {
        diagnostics: vec![Diagnostic::bare(message).with_help(help)],
        sources: SourceMap::default(),
    };
    // One rule file on its own is a ruleset too: handy for trying a file out.
    if dir.is_file() && dir.extension().is_some_and(|x| x == "obl") {
        return read_files(vec![dir.to_path_buf()], &fail);
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
    read_files(paths, &fail)
}

/// Reads rule files, in the order given.
fn read_files(
    paths: Vec<std::path::PathBuf>,
    fail: &dyn Fn(String, &str) -> LoadError,
) -> Result<Vec<RuleFile>, LoadError> {
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).map_err(|e| {
                if e.kind() == std::io::ErrorKind::InvalidData {
                    return fail(
                        format!("the rule file `{}` is not UTF-8 text", p.display()),
                        "save it as UTF-8 (most editors offer this under \"Save as\" or \"Encoding\")",
                    );
                }
                fail(
                    format!("cannot read `{}`: {e}", p.display()),
                    "check the file is readable UTF-8 text",
                )
            })?;
            // Some editors start a UTF-8 file with an invisible byte-order mark.
            let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
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
        return Err(LoadError {
            diagnostics,
            sources,
        });
    }
    model::check(&asts, &sources, hash(files)).map_err(|diagnostics| LoadError {
        diagnostics,
        sources,
    })
}

/// Loads the bundled ruleset.
pub fn load_bundled() -> Result<Ruleset, LoadError> {
    load(&bundled_files())
}
