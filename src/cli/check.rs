//! `obligo check`: judge facts files against the rules.

use std::io::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::{Format, dates, load_facts, parse_date_arg, ruleset};
use crate::eval;
use crate::report;

/// Arguments of `obligo check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// One or more facts files (YAML), one organisation each.
    #[arg(required = true, value_name = "FACTS.yaml")]
    pub facts: Vec<PathBuf>,
    /// A ruleset folder of `.obl` files (default: the bundled England GP record access ruleset).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The date judged, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub as_of: Option<NaiveDate>,
    /// Use only the rule versions published on or before this date, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub known_on: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs `obligo check`; returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let run = || -> Result<u8, u8> {
        let ruleset = ruleset(args.rules.as_ref())?;
        let all = load_facts(&ruleset, &args.facts)?;
        let dates = dates(args.as_of, args.known_on);
        let orgs: Vec<_> = all
            .into_iter()
            .map(|f| {
                let results = eval::evaluate(&ruleset, &f, dates);
                (f, results)
            })
            .collect();
        let view = report::build(&ruleset, dates, &orgs);
        let text = match args.format {
            Format::Text => report::text::render(&view),
            Format::Json => report::json(&view),
        };
        let _ = std::io::stdout().write_all(text.as_bytes());
        Ok(view
            .organisations
            .iter()
            .map(|o| o.verdict)
            .max()
            .map_or(0, |v| v.exit_code()))
    };
    run().unwrap_or_else(|code| code)
}
