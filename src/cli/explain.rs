//! `obligo explain`: one rule for one organisation, in full.

use super::{Format, Inputs, unknown_rule};
use obligo::eval::Plan;
use obligo::report::{self, explain};

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
            let view = explain::build(&plan, facts, id, outcome.as_ref());
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
