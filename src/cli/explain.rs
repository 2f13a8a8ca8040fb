//! `obligo explain`: one rule for one organisation, in full.

use super::{Format, Inputs, fail, unknown_rule};
use obligo::diagnostic::Diagnostic;
use obligo::eval::Plan;
use obligo::report::{self, explain};
use obligo::source::SourceMap;

/// Arguments of `obligo explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule's name (`obligo rules` lists them).
    #[arg(value_name = "RULE")]
    pub rule: String,
    #[command(flatten)]
    pub inputs: Inputs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// For a rule judged `for each`: explain one item in full, named by its
    /// id, by `#N` (its place in the facts' list, from 1) or by its period (`2024-05`).
    #[arg(long, value_name = "KEY")]
    pub item: Option<String>,
}

/// Runs `obligo explain`; returns the exit code.
pub fn run(args: &ExplainArgs) -> u8 {
    let run = || -> Result<String, u8> {
        let (ruleset, all, dates) = args.inputs.load()?;
        let id = ruleset
            .rule_named(&args.rule)
            .ok_or_else(|| unknown_rule(&ruleset, &args.rule))?;
        let plan = Plan::new(&ruleset, dates);
        let mut out = String::new();
        for facts in &all {
            let outcome = plan.outcome(facts, id);
            let view = match (&args.item, outcome.as_ref()) {
                (Some(key), Some(o)) => {
                    let item = explain::find_item(&ruleset, facts, o, key)
                        .map_err(|miss| unknown_item(&miss, &facts.file))?;
                    explain::build_item(&plan, facts, id, o, item)
                }
                _ => explain::build(&plan, facts, id, outcome.as_ref()),
            };
            out.push_str(&match args.format {
                Format::Text => explain::text(&view),
                Format::Json => report::json(&view),
            });
        }
        Ok(out)
    };
    match run() {
        Ok(text) => super::emit(&text).err().unwrap_or(0),
        Err(code) => code,
    }
}

/// Reports an `--item` that names no item of the rule, with the keys near it.
fn unknown_item(miss: &explain::ItemMiss, file: &str) -> u8 {
    let (message, help) = miss.words(file);
    fail(
        &[Diagnostic::bare(message).with_help(help)],
        &SourceMap::default(),
    )
}
