//! The command line: arguments, exit codes, and nothing else. Each
//! subcommand has its own module; this one holds what they share.

mod batch;
mod check;
mod diff;
mod explain;
mod fmt;
mod lint;
mod manual;
mod missing;
mod rules;
mod target;
mod test;
mod timeline;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use obligo::diagnostic::{self, Diagnostic, ErrorFormat, Style, render_all};
use obligo::eval::{self, Dates};
use obligo::facts;
use obligo::load;
use obligo::model::Ruleset;
use obligo::source::SourceMap;

/// Exit code for bad usage or invalid input.
pub const EXIT_INPUT: u8 = 2;

/// What `--version` says, made by build.rs.
mod version {
    include!(concat!(env!("OUT_DIR"), "/version.rs"));
}

/// What `obligo --help` and the manual page open with.
const LONG_ABOUT: &str = "obligo checks an organisation's facts against rules written as versioned, \
cited clauses, and says rule by rule what is met, pending, overdue or unknown on a date, why, and \
on which source it rests. `--as-of` is the date judged, `--known-on` the date whose knowledge of \
the rules is used. The bundled ruleset (online access to GP records in England) is built in, \
with its scenarios; `--rules DIR` takes another.";

/// obligo checks an organisation's facts against versioned, cited rules.
#[derive(Debug, Parser)]
#[command(
    name = "obligo",
    version = version::VERSION,
    propagate_version = true,
    about,
    long_about = LONG_ABOUT
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// How to show problems in rule files, facts files and flags: human (a
    /// report with the text underlined; colour only on a terminal, never with
    /// NO_COLOR), plain (`file:line:col: error: …` lines) or json.
    #[arg(long, global = true, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
    /// The largest input file read (rule files, facts files, scenario
    /// files), in bytes or with a unit: 16MiB (the default), 500KiB, 1GiB.
    #[arg(long, global = true, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check facts files against the rules: met, pending, overdue or unknown, rule by rule.
    ///
    /// Exit codes: 0 no binding rule overdue; 1 some binding rule overdue;
    /// 3 none overdue but some binding rule unknown; 2 bad usage or input.
    Check(check::CheckArgs),
    /// Check many organisations at once: JSON Lines, CSV or YAML facts files in, a record per organisation out.
    ///
    /// Rows are judged in parallel and written in input order, one JSON line
    /// (or CSV row) each; an invalid row gets an error record and the run
    /// goes on. A summary (verdicts, each rule's statuses, the facts most
    /// often missing, the organisations with overdue binding duties) goes to
    /// standard error, or to `--summary FILE`. Formats: docs/batch.md.
    ///
    /// Exit codes: 0 no organisation has a binding rule overdue; 1 some
    /// has; 3 none overdue but some binding rule unknown; 2 bad usage, or
    /// some row invalid.
    Batch(batch::BatchArgs),
    /// Compare two runs over the same facts files: which statuses and deadlines change.
    ///
    /// The sides ("before", "after") differ by `--as-of-before`/`--as-of-after`,
    /// `--known-on-before`/`--known-on-after` or `--rules-before`/`--rules-after`;
    /// each defaults to `--as-of`, `--known-on` and `--rules`. The summary
    /// per rule comes first, then each organisation's changes with both
    /// results; `--summary` prints the summary alone. Rules that only became
    /// known and ask nothing yet (not in force, not applying or ended) are
    /// folded to one count line.
    ///
    /// Exit codes: 0 nothing changed; 1 some status or deadline changed;
    /// 2 bad usage or input.
    Diff(diff::DiffArgs),
    /// Find likely mistakes in rule files: unused facts, uncited sources, gaps between versions and more.
    ///
    /// PATH defaults to `rules/` in the current folder if it holds a
    /// ruleset, else the bundled ruleset. Each finding is a warning with its
    /// place in the rule files, a short code and how to fix it (docs/lint.md
    /// lists the checks). Exit codes:
    /// 0 no findings; 1 some findings; 2 bad usage, or a ruleset that does not load.
    Lint(lint::LintArgs),
    /// Lay out rule files the canonical way (docs/language.md, "Files and layout").
    ///
    /// Rewrites each `.obl` file under PATH that is not formatted and names it.
    /// PATH defaults to `rules/` in the current folder if it holds a
    /// ruleset, else the bundled ruleset (which is only checked: it is
    /// built into obligo).
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
    /// Each event has its status on its own date: a past deadline as judged
    /// the day after it, a coming one as of the as-of date; the duties
    /// overdue on the as-of date follow, with since when. `--ics FILE.ics`
    /// (or `-` for standard output) also writes the coming deadlines and the
    /// overdue duties as an iCalendar file, with `--remind 7d` reminders.
    /// Exit codes: 0 done (a calendar with no events is written with a
    /// warning); 2 bad usage or input.
    Timeline(timeline::TimelineArgs),
    /// Explain one rule for each organisation in full: the version used and why,
    /// every condition and fact (with its facts-file line), the deadline,
    /// sources and other authorities' positions.
    ///
    /// Exit codes: 0 done; 2 bad usage or input (an unknown rule name, say).
    Explain(explain::ExplainArgs),
    /// List the questions the facts leave open, most useful first (by how many
    /// undecided rules need each answer), or write a blank facts file with
    /// `--template`.
    ///
    /// Exit codes: 0 done; 2 bad usage or input.
    Missing(missing::MissingArgs),
    /// Run the ruleset's scenarios (PATH/scenarios/*.yaml): each passes or fails, with coverage on request.
    ///
    /// PATH defaults to `rules/` in the current folder if it holds a
    /// ruleset, else the bundled ruleset, whose scenarios are built into
    /// obligo. A failure shows, for each wrong rule, the status expected
    /// against the one found and the clause that decided it, with the facts
    /// it read (`--verbose`: the rule's whole explanation); a scenario marked `disputed:`
    /// is shown but does not fail the run. `--coverage` lists, rule by rule,
    /// the statuses the scenarios reach. The file format: docs/scenarios.md.
    ///
    /// Exit codes: 0 every scenario passed (and coverage is not below
    /// `--min-coverage`); 1 some scenario failed, or coverage is below the
    /// minimum; 2 bad usage or input (a scenario file or rule file with
    /// errors, each located).
    Test(test::TestArgs),
    /// Write shell completions to standard output: bash, zsh, fish, elvish or powershell.
    ///
    /// For example `obligo completions bash > ~/.local/share/bash-completion/completions/obligo`;
    /// the README says where each shell looks. Exit codes: 0 done; 2 bad usage.
    Completions(manual::CompletionsArgs),
    /// Write the manual page (roff) to standard output, or a page per command with `--dir`.
    ///
    /// For example `obligo manual > ~/.local/share/man/man1/obligo.1`, then
    /// `man obligo`. Exit codes: 0 done; 2 bad usage, or a folder that cannot be written.
    Manual(manual::ManualArgs),
}

/// Which rules, judged on which date, by the rules known on which date.
#[derive(Debug, clap::Args)]
pub struct RulesAt {
    /// A ruleset folder of `.obl` files, or one file (default: the bundled England GP record access ruleset).
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// The date judged, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub as_of: Option<NaiveDate>,
    /// Use only the rule versions published on or before this date, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub known_on: Option<NaiveDate>,
}

impl RulesAt {
    /// The dates, defaulting to today.
    pub fn dates(&self) -> Dates {
        dates(self.as_of, self.known_on)
    }

    /// Loads the ruleset and the facts files; errors are printed, giving the exit code.
    pub fn load(&self, facts: &[PathBuf]) -> Result<(Ruleset, Vec<facts::Facts>), u8> {
        let ruleset = ruleset(self.rules.as_ref())?;
        let all = load_facts(&ruleset, facts)?;
        Ok((ruleset, all))
    }
}

/// The inputs of a run over facts files: the facts, the rules and the dates.
#[derive(Debug, clap::Args)]
pub struct Inputs {
    /// One or more facts files (YAML), one organisation each; a folder of
    /// them; `-` for one on standard input. (Many organisations in JSON
    /// Lines or CSV: `obligo batch`.)
    #[arg(required = true, value_name = "FACTS.yaml")]
    pub facts: Vec<PathBuf>,
    #[command(flatten)]
    pub at: RulesAt,
}

impl Inputs {
    /// Loads the rules and every facts file; errors are printed, giving the exit code.
    pub fn load(&self) -> Result<(Ruleset, Vec<facts::Facts>, Dates), u8> {
        let (ruleset, all) = self.at.load(&self.facts)?;
        Ok((ruleset, all, self.at.dates()))
    }
}

/// Judges every organisation by every rule.
pub fn judge_all(
    plan: &eval::Plan<'_>,
    all: Vec<facts::Facts>,
) -> Vec<(facts::Facts, Vec<eval::Outcome>)> {
    all.into_iter()
        .map(|f| {
            let outcomes = plan.evaluate(&f);
            (f, outcomes)
        })
        .collect()
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text for people.
    Text,
    /// JSON for programs (each command's shape is in docs/: report-json.md, rules-json.md, diff-json.md, timeline-json.md).
    Json,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => 0,
    };
    digits
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0 && scale > 0)
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(|| {
            format!("`{s}` is not a size: write bytes or a size with a unit, like 16MiB or 500KiB")
        })
}

fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    facts::parse_date(s)
        .ok_or_else(|| format!("`{s}` is not a date: write it as YYYY-MM-DD, like 2023-10-31"))
}

/// Runs the command line and returns the exit code.
pub fn main() -> ExitCode {
    run()
}

fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return ExitCode::from(usage_error(&e)),
    };
    use std::io::IsTerminal as _;
    let terminal = std::io::stderr().is_terminal() && std::io::stdout().is_terminal();
    if let Some(bytes) = cli.max_file_size {
        obligo::read::set_limit(bytes);
    }
    diagnostic::set_style(Style {
        format: cli.error_format,
        colour: diagnostic::colour_wanted(terminal, std::env::var_os("NO_COLOR").as_deref()),
    });
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Batch(args) => batch::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Timeline(args) => timeline::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Missing(args) => missing::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Completions(args) => manual::completions(&args),
        Command::Manual(args) => manual::manual(&args),
    };
    ExitCode::from(code)
}

/// Prints a usage error from clap (or the help or version it asked for) and
/// gives the exit code. Under `--error-format json` the error is JSON too.
fn usage_error(e: &clap::Error) -> u8 {
    if !e.use_stderr() {
        let _ = e.print();
        return 0;
    }
    let args: Vec<String> = std::env::args().collect();
    let json = args.windows(2).any(|w| {
        w.first().is_some_and(|a| a == "--error-format") && w.get(1).is_some_and(|f| f == "json")
    }) || args.iter().any(|a| a == "--error-format=json");
    if !json {
        let _ = e.print();
        return EXIT_INPUT;
    }
    let text = e.render().to_string();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let message = lines
        .next()
        .map(|l| l.trim_start_matches("error: ").to_string())
        .unwrap_or_default();
    let help: Vec<&str> = lines.map(str::trim).collect();
    let d = Diagnostic::bare(message).with_help(help.join("; "));
    let style = Style {
        format: ErrorFormat::Json,
        colour: false,
    };
    let _ = std::io::stderr()
        .write_all(diagnostic::render_all_as(&[d], &SourceMap::default(), style).as_bytes());
    EXIT_INPUT
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
///
/// A folder stands for its `.yaml` and `.yml` files, in name order; `-`
/// for a facts file on standard input.
pub fn load_facts(ruleset: &Ruleset, paths: &[PathBuf]) -> Result<Vec<facts::Facts>, u8> {
    let mut sources = SourceMap::default();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            match obligo::batch::input::folder(p) {
                Ok(mut found) if !found.is_empty() => {
                    found.sort();
                    files.append(&mut found);
                }
                Ok(_) => problems.push(
                    Diagnostic::bare(format!("the folder `{}` holds no facts files", p.display()))
                        .with_help("a folder is read as its .yaml and .yml files"),
                ),
                Err(d) => problems.push(d),
            }
        } else {
            files.push(p.clone());
        }
    }
    if files.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        problems.push(
            Diagnostic::bare("`-` (standard input) is given more than once").with_help(
                "standard input holds one facts file: give `-` once, and the other files by name",
            ),
        );
        files.retain(|p| p.as_os_str() != "-");
    }
    for p in &files {
        let (name, read) = if p.as_os_str() == "-" {
            ("<stdin>".to_string(), stdin_text(&mut sources))
        } else {
            (
                p.display().to_string(),
                obligo::read::text(p, "facts file", &mut sources),
            )
        };
        let text = match read {
            Ok(t) => t,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let id = sources.add(name, text);
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

/// A facts file on standard input, within the size limit.
fn stdin_text(sources: &mut SourceMap) -> Result<String, Diagnostic> {
    let mut bytes = Vec::new();
    let limit = obligo::read::limit();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::io::stdin(), limit + 1),
        &mut bytes,
    )
    .map_err(|e| {
        Diagnostic::bare(format!(
            "cannot read standard input: {}",
            obligo::read::os_words(&e)
        ))
    })?;
    if bytes.len() as u64 > limit {
        return Err(Diagnostic::bare(format!(
            "standard input holds more than {}, the most read",
            obligo::read::size(limit)
        ))
        .with_help("check it is a facts file, or raise the limit with --max-file-size"));
    }
    obligo::read::utf8(bytes, "<stdin>", "facts file", sources)
}

/// The dates of a run: as-of defaults to today, known-on to today.
pub fn dates(as_of: Option<NaiveDate>, known_on: Option<NaiveDate>) -> Dates {
    let today = chrono::Local::now().date_naive();
    Dates {
        as_of: as_of.unwrap_or(today),
        known_on: known_on.unwrap_or(today),
    }
}

/// Reports a rule name the ruleset does not have, with a did-you-mean.
pub fn unknown_rule(ruleset: &Ruleset, name: &str) -> u8 {
    let help = diagnostic::did_you_mean(name, ruleset.rules.iter().map(|r| r.name.as_str()))
        .unwrap_or_else(|| "run `obligo rules` to list the rules and their names".into());
    fail(
        &[Diagnostic::bare(format!("unknown rule `{name}`")).with_help(help)],
        &SourceMap::default(),
    )
}

/// Writes a command's output. A closed pipe (`obligo check … | head`) is not
/// an error; any other failure to write (a full disk) is, with exit code 2.
pub fn emit(text: &str) -> Result<(), u8> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(fail(
            &[Diagnostic::bare(format!("cannot write the output: {e}"))
                .with_help("check there is room on the disk, or send the output elsewhere")],
            &SourceMap::default(),
        )),
    }
}
