//! `obligo lint`: checks on rulesets that load, printed as located warnings.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::target::{default_words, targets};
use super::{EXIT_INPUT, fail};
use obligo::diagnostic::render_all;
use obligo::lint::lint;
use obligo::source::SourceMap;

/// Arguments of `obligo lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    #[arg(
        value_name = "PATH",
        help = concat!("Ruleset folders (holding `.obl` files), or folders of them such as `rules/` ", default_words!())
    )]
    pub paths: Vec<PathBuf>,
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
        let ruleset = match target.load() {
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
