//! `obligo timeline`: past and coming deadlines and rule changes that
//! concern an organisation, in date order, with an optional iCalendar file.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{Format, Inputs, fail, parse_date_arg};
use obligo::diagnostic::Diagnostic;
use obligo::report::timeline;
use obligo::source::SourceMap;
use obligo::{ics, timeline as events};

/// Arguments of `obligo timeline`.
#[derive(Debug, clap::Args)]
pub struct TimelineArgs {
    /// The facts, the rules, and the dates: `--as-of` divides past from coming events.
    #[command(flatten)]
    pub inputs: Inputs,
    /// First day shown (default: the day the ruleset's earliest rule came into force).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub from: Option<NaiveDate>,
    /// Last day shown (default: a year after the as-of date).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub to: Option<NaiveDate>,
    /// Also write the coming deadlines as an iCalendar file (RFC 5545).
    #[arg(long, value_name = "FILE")]
    pub ics: Option<PathBuf>,
    /// Output format (the JSON is described in docs/timeline-json.md).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs `obligo timeline`; returns the exit code.
pub fn run(args: &TimelineArgs) -> u8 {
    let run = || -> Result<u8, u8> {
        let (ruleset, all, dates) = args.inputs.load()?;
        let earliest = ruleset
            .rules
            .iter()
            .filter_map(|r| r.versions.first().map(|v| v.from))
            .min()
            .unwrap_or(dates.as_of);
        let from = args.from.unwrap_or(earliest);
        let to = args
            .to
            .or_else(|| dates.as_of.checked_add_months(chrono::Months::new(12)))
            .unwrap_or(dates.as_of);
        if from > to {
            return Err(fail(
                &[
                    Diagnostic::bare(format!("--from {from} is after --to {to}"))
                        .with_help("give a --from date on or before the --to date"),
                ],
                &SourceMap::default(),
            ));
        }
        let orgs: Vec<_> = all
            .into_iter()
            .map(|f| {
                let e = events::events(&ruleset, &f, dates, from, to);
                (f, e)
            })
            .collect();
        let view = timeline::build(&ruleset, dates, (from, to), &orgs);
        if let Some(path) = &args.ics
            && let Err(e) = std::fs::write(path, ics::calendar(&view))
        {
            return Err(fail(
                &[
                    Diagnostic::bare(format!("cannot write `{}`: {e}", path.display()))
                        .with_help("give --ics a path in a folder you can write to"),
                ],
                &SourceMap::default(),
            ));
        }
        let text = match args.format {
            Format::Text => timeline::text(&view),
            Format::Json => timeline::json(&view),
        };
        super::emit(&text)?;
        Ok(0)
    };
    run().unwrap_or_else(|code| code)
}
