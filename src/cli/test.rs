//! `obligo test`: run a ruleset's scenarios, with coverage.

use std::path::PathBuf;

use super::{Format, fail, ruleset};
use obligo::diagnostic::Diagnostic;
use obligo::load::BUNDLED_NAME;
use obligo::report;
use obligo::scenario::{self, FOLDER, coverage, run, text, view};
use obligo::source::SourceMap;

/// Arguments of `obligo test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// A ruleset folder; its scenarios are the YAML files in PATH/scenarios
    /// (default: the bundled ruleset, with the scenarios in
    /// rules/england-gp-record-access/scenarios).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Also show which rules, and which of their statuses, the scenarios reach.
    #[arg(long)]
    pub coverage: bool,
    /// Fail (exit 1) when the scenarios reach less than PCT percent of the rules; shows the coverage.
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub min_coverage: Option<f64>,
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
        let ruleset = ruleset(args.path.as_ref())?;
        let dir = match &args.path {
            Some(p) => p.clone(),
            None => bundled_dir()?,
        };
        let scenarios =
            scenario::load_dir(&ruleset, &dir).map_err(|e| fail(&e.diagnostics, &e.sources))?;
        let outcomes = run::run_all(&ruleset, &scenarios);
        let coverage = (args.coverage || args.min_coverage.is_some())
            .then(|| coverage::measure(&ruleset, &outcomes, args.min_coverage));
        let view = view::build(&ruleset, &outcomes, coverage);
        let out = match args.format {
            Format::Text => text::render(&view),
            Format::Json => report::json(&view),
        };
        super::emit(&out)?;
        Ok(view.exit_code())
    };
    run().unwrap_or_else(|code| code)
}

/// The bundled ruleset's folder, whose scenarios are read from disk.
fn bundled_dir() -> Result<PathBuf, u8> {
    let dir = PathBuf::from("rules").join(BUNDLED_NAME);
    if dir.join(FOLDER).is_dir() {
        return Ok(dir);
    }
    let d = Diagnostic::bare(format!(
        "the bundled ruleset's scenarios are not here: no folder `{}`",
        dir.join(FOLDER).display()
    ))
    .with_help("run `obligo test` from obligo's source folder, or give a ruleset folder: `obligo test PATH`");
    Err(fail(&[d], &SourceMap::default()))
}
