//! `obligo rules`: the rules in force on a date, or one rule's history.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{Format, dates, parse_date_arg, ruleset, unknown_rule};
use obligo::history;
use obligo::report::{self, rules_text};

/// Arguments of `obligo rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// A rule's name: show its full history instead of the list.
    #[arg(value_name = "RULE")]
    pub rule: Option<String>,
    /// A ruleset folder of `.obl` files (default: the bundled England GP record access ruleset).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The date whose rules in force are listed, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg, conflicts_with = "rule")]
    pub as_of: Option<NaiveDate>,
    /// Use only the rule versions published on or before this date, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub known_on: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs `obligo rules`; returns the exit code.
pub fn run(args: &RulesArgs) -> u8 {
    let run = || -> Result<String, u8> {
        let ruleset = ruleset(args.rules.as_ref())?;
        let dates = dates(args.as_of, args.known_on);
        let Some(name) = &args.rule else {
            let view = history::rules(&ruleset, dates);
            return Ok(match args.format {
                Format::Text => rules_text::render_rules(&view),
                Format::Json => report::json(&view),
            });
        };
        let id = ruleset
            .rule_named(name)
            .ok_or_else(|| unknown_rule(&ruleset, name))?;
        let view = history::history(&ruleset, id, dates.known_on);
        Ok(match args.format {
            Format::Text => rules_text::render_history(&view),
            Format::Json => report::json(&view),
        })
    };
    match run() {
        Ok(text) => super::emit(&text).err().unwrap_or(0),
        Err(code) => code,
    }
}
