//! `obligo check`: judge facts files against the rules.

use std::io::Write as _;

use super::{Format, Inputs, judge_all};
use crate::report;

/// Arguments of `obligo check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs `obligo check`; returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let run = || -> Result<u8, u8> {
        let (ruleset, all, dates) = args.inputs.load()?;
        let orgs = judge_all(&ruleset, all, dates);
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
