//! `obligo diff`: what a change of date, of knowledge or of rules does to
//! the statuses of a set of organisations.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{Format, Inputs, dates, fail, load_facts, parse_date_arg, ruleset};
use obligo::diagnostic::Diagnostic;
use obligo::diff;
use obligo::eval::{Dates, Outcome, Plan};
use obligo::facts::Facts;
use obligo::source::SourceMap;

/// Arguments of `obligo diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The facts, and the rules and dates of both sides unless a side says otherwise.
    #[command(flatten)]
    pub inputs: Inputs,
    /// The ruleset folder before the change (default: `--rules`).
    #[arg(long, value_name = "DIR")]
    pub rules_before: Option<PathBuf>,
    /// The ruleset folder after the change (default: `--rules`).
    #[arg(long, value_name = "DIR")]
    pub rules_after: Option<PathBuf>,
    /// The date judged before the change (default: `--as-of`).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub as_of_before: Option<NaiveDate>,
    /// The date judged after the change (default: `--as-of`).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub as_of_after: Option<NaiveDate>,
    /// The date of knowledge before the change (default: `--known-on`).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub known_on_before: Option<NaiveDate>,
    /// The date of knowledge after the change (default: `--known-on`).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub known_on_after: Option<NaiveDate>,
    /// Show only the summary of changes per rule, not each organisation's changes.
    #[arg(long)]
    pub summary: bool,
    /// Output format (the JSON is described in docs/diff-json.md).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// One side of the comparison, as given on the command line.
#[derive(Debug, PartialEq, Eq)]
struct Side<'a> {
    rules: Option<&'a PathBuf>,
    dates: Dates,
}

/// Runs `obligo diff`; returns the exit code.
pub fn run(args: &DiffArgs) -> u8 {
    let run = || -> Result<u8, u8> {
        if args.summary && args.format == Format::Json {
            let problem = Diagnostic::bare(
                "--summary shortens the text report; it does not apply to JSON",
            )
            .with_help(
                "leave --summary out: the JSON's `summary` comes before the organisations' changes",
            );
            return Err(fail(&[problem], &SourceMap::default()));
        }
        let (before, after) = sides(args)?;
        let before_rs = ruleset(before.rules)?;
        let same_rules = after.rules == before.rules;
        let after_owned = if same_rules {
            None
        } else {
            Some(ruleset(after.rules)?)
        };
        let after_rs = after_owned.as_ref().unwrap_or(&before_rs);
        // When the rules differ, say which side's rules the facts failed.
        let side = |label| (!same_rules).then_some(label);
        let before_plan = Plan::new(&before_rs, before.dates);
        let after_plan = Plan::new(after_rs, after.dates);
        let before_orgs = judge(&before_plan, &args.inputs.facts, side("before"))?;
        let after_orgs = judge(&after_plan, &args.inputs.facts, side("after"))?;
        let view = diff::compare(
            diff::Side {
                plan: &before_plan,
                orgs: &before_orgs,
            },
            diff::Side {
                plan: &after_plan,
                orgs: &after_orgs,
            },
        );
        let text = match args.format {
            Format::Text => diff::text::render(&view, args.summary),
            Format::Json => diff::json(&view),
        };
        super::emit(&text)?;
        Ok(u8::from(diff::changed(&view)))
    };
    run().unwrap_or_else(|code| code)
}

/// Each side's rules and dates, falling back to the shared flags; the two
/// sides must differ somewhere.
fn sides<'a>(args: &'a DiffArgs) -> Result<(Side<'a>, Side<'a>), u8> {
    let side =
        |rules: Option<&'a PathBuf>, as_of: Option<NaiveDate>, known_on: Option<NaiveDate>| Side {
            rules: rules.or(args.inputs.at.rules.as_ref()),
            dates: dates(
                as_of.or(args.inputs.at.as_of),
                known_on.or(args.inputs.at.known_on),
            ),
        };
    let before = side(
        args.rules_before.as_ref(),
        args.as_of_before,
        args.known_on_before,
    );
    let after = side(
        args.rules_after.as_ref(),
        args.as_of_after,
        args.known_on_after,
    );
    if before == after {
        let problem =
            Diagnostic::bare("the two sides of the diff are the same: nothing to compare")
                .with_help(
                    "make the sides differ with `--as-of-before`/`--as-of-after`, \
                 `--known-on-before`/`--known-on-after` or `--rules-before`/`--rules-after`, \
                 for example `--known-on-before 2022-11-28 --known-on-after 2022-11-30`",
                );
        return Err(fail(&[problem], &SourceMap::default()));
    }
    Ok((before, after))
}

/// Loads the facts against one side's rules and judges them; `side` names
/// the side in the error when the two sides have different rules.
fn judge(
    plan: &Plan<'_>,
    paths: &[PathBuf],
    side: Option<&str>,
) -> Result<Vec<(Facts, Vec<Outcome>)>, u8> {
    let all = load_facts(plan.ruleset(), paths).inspect_err(|_| {
        if let Some(label) = side {
            let note = Diagnostic::bare(format!(
                "the facts files above do not fit the rules of the `{label}` side"
            ))
            .with_help(format!(
                "a diff needs facts valid under both sides' rules; check `--rules-{label}`"
            ));
            fail(&[note], &SourceMap::default());
        }
    })?;
    Ok(super::judge_all(plan, all))
}
