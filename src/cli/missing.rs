//! `obligo missing`: the questions a facts file leaves open, most useful
//! first (an item's field named by its item); or, with `--template`, a
//! blank facts file with every question and an example item of each kind.

use std::path::PathBuf;

use super::{Format, RulesAt, fail, judge_all, ruleset};
use obligo::diagnostic::Diagnostic;
use obligo::report::{self, missing};
use obligo::source::SourceMap;

/// Arguments of `obligo missing`.
#[derive(Debug, clap::Args)]
pub struct MissingArgs {
    /// Facts files (YAML), one organisation each; not needed with `--template`.
    #[arg(value_name = "FACTS.yaml")]
    pub facts: Vec<PathBuf>,
    /// Write a blank facts file instead: every fact under its question, and
    /// for each kind of item an example item showing every field.
    #[arg(long, conflicts_with = "facts")]
    pub template: bool,
    #[command(flatten)]
    pub at: RulesAt,
    /// Output format (not for `--template`, which is YAML).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs `obligo missing`; returns the exit code.
pub fn run(args: &MissingArgs) -> u8 {
    let run = || -> Result<String, u8> {
        if args.template {
            let ruleset = ruleset(args.at.rules.as_ref())?;
            return Ok(missing::template(&ruleset));
        }
        if args.facts.is_empty() {
            return Err(fail(
                &[Diagnostic::bare("no facts file given").with_help(
                    "give one or more facts files, or `--template` for a blank one to fill in",
                )],
                &SourceMap::default(),
            ));
        }
        let (ruleset, all) = args.at.load(&args.facts)?;
        let dates = args.at.dates();
        let plan = obligo::eval::Plan::new(&ruleset, dates);
        let orgs = judge_all(&plan, all);
        let view = missing::build(&ruleset, dates, &orgs);
        Ok(match args.format {
            // Wrapped to a terminal's width; the checkboxes are not status tags to colour.
            Format::Text => report::layout::apply(
                &missing::text(&view),
                report::layout::Layout {
                    colour: false,
                    ..super::check::terminal_layout()
                },
            ),
            Format::Json => report::json(&view),
        })
    };
    match run() {
        Ok(text) => super::emit(&text).err().unwrap_or(0),
        Err(code) => code,
    }
}
