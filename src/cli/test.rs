//! `obligo test`: run a ruleset's scenarios, with coverage.

use std::path::PathBuf;

use super::target::{Target, default_words, targets};
use super::{Format, fail};
use obligo::diagnostic::Diagnostic;
use obligo::report;
use obligo::scenario::{self, coverage, run, text, view};
use obligo::source::SourceMap;

/// Arguments of `obligo test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    #[arg(
        value_name = "PATH",
        help = concat!(
            "A ruleset folder, or a folder holding one such as `rules/`; its scenarios are the YAML files in its `scenarios/` folder (the bundled ruleset's are built in) ",
            default_words!()
        )
    )]
    pub path: Option<PathBuf>,
    /// Also show which rules, and which of their statuses, the scenarios reach.
    #[arg(long)]
    pub coverage: bool,
    /// Fail (exit 1) when the scenarios reach less than PCT percent of the rules; shows the coverage.
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub min_coverage: Option<f64>,
    /// Show each failed rule's whole explanation, not only the clause that decided it.
    #[arg(long, short)]
    pub verbose: bool,
    /// Output format (the JSON is described in docs/scenarios.md).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

fn parse_percent(s: &str) -> Result<f64, String> {
    s.trim()
        .trim_end_matches('%')
        .parse::<f64>()
        .ok()
        .filter(|p| (0.0..=100.0).contains(p))
        .ok_or_else(|| format!("`{s}` is not a percentage: write a number from 0 to 100, like 90"))
}

/// Runs `obligo test`; returns the exit code.
pub fn run(args: &TestArgs) -> u8 {
    let run = || -> Result<u8, u8> {
        let target = target(args.path.as_ref())?;
        let ruleset = target
            .load()
            .map_err(|e| fail(&e.diagnostics, &e.sources))?;
        let scenarios = match &target {
            Target::Bundled => scenario::load_bundled(&ruleset),
            Target::Folder(dir) => scenario::load_dir(&ruleset, dir),
        }
        .map_err(|e| fail(&e.diagnostics, &e.sources))?;
        let outcomes = run::run_all(&ruleset, &scenarios);
        let coverage = (args.coverage || args.min_coverage.is_some())
            .then(|| coverage::measure(&ruleset, &outcomes, args.min_coverage));
        let view = view::build(&ruleset, &outcomes, coverage);
        let out = match args.format {
            Format::Text => text::render_with(&view, args.verbose),
            Format::Json => report::json(&view),
        };
        super::emit(&out)?;
        Ok(view.exit_code())
    };
    run().unwrap_or_else(|code| code)
}

/// The one ruleset tested: the one PATH names, or the default.
fn target(path: Option<&PathBuf>) -> Result<Target, u8> {
    let found = targets(path.map(std::slice::from_ref).unwrap_or_default())
        .map_err(|problems| fail(&problems, &SourceMap::default()))?;
    match found.as_slice() {
        [one] => Ok(one.clone()),
        many => {
            let names: Vec<String> = many
                .iter()
                .filter_map(|t| match t {
                    Target::Folder(dir) => Some(format!("`{}`", dir.display())),
                    Target::Bundled => None,
                })
                .collect();
            let d = Diagnostic::bare(format!(
                "{} rulesets found: {}; `obligo test` runs one ruleset's scenarios",
                many.len(),
                names.join(", ")
            ))
            .with_help("name the ruleset folder to test: `obligo test PATH`");
            Err(fail(&[d], &SourceMap::default()))
        }
    }
}
