//! The command line: arguments, exit codes, and nothing else. Each
//! subcommand has its own module; this one holds what they share.

mod check;
mod diff;
mod fmt;
mod rules;
mod timeline;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::{Diagnostic, render_all};
use crate::eval::Dates;
use crate::facts;
use crate::load;
use crate::model::Ruleset;
use crate::source::SourceMap;

/// Exit code for bad usage or invalid input.
pub const EXIT_INPUT: u8 = 2;

/// obligo checks an organisation's facts against versioned, cited rules.
#[derive(Debug, Parser)]
#[command(name = "obligo", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check facts files against the rules: met, pending, overdue or unknown, rule by rule.
    ///
    /// Exit codes: 0 no binding rule overdue; 1 some binding rule overdue;
    /// 3 none overdue but some binding rule unknown; 2 bad usage or input.
    Check(check::CheckArgs),
    /// Compare two runs over the same facts files: which statuses and deadlines change.
    ///
    /// The sides ("before", "after") differ by `--as-of-before`/`--as-of-after`,
    /// `--known-on-before`/`--known-on-after` or `--rules-before`/`--rules-after`;
    /// each defaults to `--as-of`, `--known-on` and `--rules`.
    ///
    /// Exit codes: 0 nothing changed; 1 some status or deadline changed;
    /// 2 bad usage or input.
    Diff(diff::DiffArgs),
    /// Lay out rule files the canonical way (docs/language.md, "Files and layout").
    ///
    /// Rewrites each `.obl` file under PATH that is not formatted and names it.
    /// With `--check`, changes nothing and shows where each such file differs.
    ///
    /// Exit codes: 0 every file formatted (or now formatted); 1 with `--check`,
    /// some file is not formatted; 2 bad usage, or a file that cannot be read or parsed.
    Fmt(fmt::FmtArgs),
    /// List the rules in force on a date, or show one rule's full history.
    ///
    /// Without RULE: the rules in force on `--as-of`, those not yet in force
    /// and those ended, grouped by binding force. With RULE: each version,
    /// what changed from the one before, its sources, its ending and other
    /// authorities' positions. Both use only what was published by `--known-on`.
    Rules(rules::RulesArgs),
    /// Past and coming deadlines and rule changes that concern each organisation, in date order.
    ///
    /// Each event has its status: a past deadline as judged the day after it,
    /// a coming one as of the as-of date. `--ics FILE` also writes the coming
    /// deadlines as an iCalendar file. Exit codes: 0 done; 2 bad usage or input.
    Timeline(timeline::TimelineArgs),
}

/// The inputs of a run over facts files: the facts, the rules and the dates.
#[derive(Debug, clap::Args)]
pub struct Inputs {
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
}

impl Inputs {
    /// Loads the rules and every facts file; errors are printed, giving the exit code.
    pub fn load(&self) -> Result<(Ruleset, Vec<facts::Facts>, Dates), u8> {
        let ruleset = ruleset(self.rules.as_ref())?;
        let all = load_facts(&ruleset, &self.facts)?;
        Ok((ruleset, all, dates(self.as_of, self.known_on)))
    }
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text for people.
    Text,
    /// JSON for programs (each command's shape is in docs/: report-json.md, rules-json.md, diff-json.md, timeline-json.md).
    Json,
}

fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    facts::parse_date(s)
        .ok_or_else(|| format!("`{s}` is not a date: write it as YYYY-MM-DD, like 2023-10-31"))
}

/// Stack for the work thread: rule and facts texts are limited in nesting,
/// but long chains of definitions still recurse, so give them room.
const STACK_BYTES: usize = 256 * 1024 * 1024;

/// Runs the command line on a thread with a large stack and returns the exit code.
pub fn main() -> ExitCode {
    std::thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(run)
        .ok()
        .and_then(|h| h.join().ok())
        .unwrap_or(ExitCode::FAILURE)
}

fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_INPUT } else { 0 });
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Timeline(args) => timeline::run(&args),
    };
    ExitCode::from(code)
}

/// Loads the ruleset named by `--rules`, or the bundled one.
pub fn ruleset(rules: Option<&PathBuf>) -> Result<Ruleset, u8> {
    let loaded = match rules {
        Some(dir) => load::read_dir(dir).and_then(|files| load::load(&files)),
        None => load::load_bundled(),
    };
    loaded.map_err(|e| fail(&e.diagnostics, &e.sources))
}

/// Prints problems to stderr and gives the input-error exit code.
pub fn fail(diagnostics: &[Diagnostic], sources: &SourceMap) -> u8 {
    let _ = std::io::stderr().write_all(render_all(diagnostics, sources).as_bytes());
    EXIT_INPUT
}

/// Reads and validates every facts file, reporting all problems together.
pub fn load_facts(ruleset: &Ruleset, paths: &[PathBuf]) -> Result<Vec<facts::Facts>, u8> {
    let mut sources = SourceMap::default();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        let text = match std::fs::read_to_string(p) {
            Ok(t) => t,
            Err(e) => {
                problems.push(
                    Diagnostic::bare(format!("cannot read facts file `{}`: {e}", p.display()))
                        .with_help("give the path of a YAML facts file, such as examples/early-adopter.yaml"),
                );
                continue;
            }
        };
        let id = sources.add(p.display().to_string(), text);
        match facts::load(ruleset, &sources, id) {
            Ok(f) => out.push(f),
            Err(mut d) => problems.append(&mut d),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(fail(&problems, &sources))
    }
}

/// The dates of a run: as-of defaults to today, known-on to today.
pub fn dates(as_of: Option<NaiveDate>, known_on: Option<NaiveDate>) -> Dates {
    let today = chrono::Local::now().date_naive();
    Dates {
        as_of: as_of.unwrap_or(today),
        known_on: known_on.unwrap_or(today),
    }
}
