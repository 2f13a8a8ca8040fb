//! `obligo lint`: checks on rulesets that load, printed as located warnings.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{EXIT_INPUT, fail};
use obligo::diagnostic::{Diagnostic, render_all};
use obligo::lint::lint;
use obligo::load;
use obligo::source::SourceMap;

/// Arguments of `obligo lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Ruleset folders (holding `.obl` files), or folders of them such as `rules/` (default: the bundled ruleset).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// A ruleset to check.
enum Target {
    Bundled,
    Folder(PathBuf),
}

/// Runs `obligo lint`; returns the exit code.
pub fn run(args: &LintArgs) -> u8 {
    let targets = match targets(&args.paths) {
        Ok(t) => t,
        Err(problems) => return fail(&problems, &SourceMap::default()),
    };
    let mut findings = 0;
    let mut files = 0;
    let mut unloaded = 0;
    let json = obligo::diagnostic::style().format == obligo::diagnostic::ErrorFormat::Json;
    let mut out = String::new();
    let mut documents: Vec<serde_json::Value> = Vec::new();
    for target in &targets {
        let loaded = match target {
            Target::Bundled => load::load_bundled(),
            Target::Folder(dir) => load::read_dir(dir).and_then(|f| load::load(&f)),
        };
        let ruleset = match loaded {
            Ok(r) => r,
            Err(e) => {
                fail(&e.diagnostics, &e.sources);
                unloaded += 1;
                continue;
            }
        };
        let found = lint(&ruleset);
        findings += found.len();
        files += found
            .iter()
            .filter_map(|d| d.span.map(|s| s.file))
            .collect::<BTreeSet<_>>()
            .len();
        let rendered = render_all(&found, &ruleset.texts);
        if json {
            documents.extend(serde_json::from_str::<serde_json::Value>(&rendered).ok());
        } else {
            out.push_str(&rendered);
        }
    }
    if json {
        // One document for every ruleset linted, as --error-format json promises.
        let diagnostics: Vec<serde_json::Value> = documents
            .iter()
            .filter_map(|d| d.get("diagnostics").and_then(|v| v.as_array()).cloned())
            .flatten()
            .collect();
        let doc =
            serde_json::json!({ "diagnostics": diagnostics, "errors": 0, "warnings": findings });
        out = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    } else {
        out.push_str(&summary(findings, files, unloaded));
        out.push('\n');
    }
    if let Err(code) = super::emit(&out) {
        return code;
    }
    if unloaded > 0 {
        EXIT_INPUT
    } else if findings > 0 {
        1
    } else {
        0
    }
}

/// The last line: how many findings, in how many files.
fn summary(findings: usize, files: usize, unloaded: usize) -> String {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut line = if findings == 0 {
        "no findings".to_string()
    } else {
        format!(
            "{} in {}",
            plural(findings, "finding", "findings"),
            plural(files, "file", "files")
        )
    };
    if unloaded > 0 {
        line.push_str(&format!(
            "; {} did not load",
            plural(unloaded, "ruleset", "rulesets")
        ));
    }
    line
}

/// The rulesets the paths name: each is a ruleset folder, or a folder whose
/// subfolders are. No paths: the bundled ruleset.
fn targets(paths: &[PathBuf]) -> Result<Vec<Target>, Vec<Diagnostic>> {
    if paths.is_empty() {
        return Ok(vec![Target::Bundled]);
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

/// `path` itself if it holds rule files, else its subfolders that do, sorted.
fn rulesets_in(path: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
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
