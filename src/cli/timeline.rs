//! `obligo timeline`: past and coming deadlines and rule changes that
//! concern an organisation, in date order, with an optional iCalendar file.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{Format, Inputs, fail, parse_date_arg};
use obligo::diagnostic::{Diagnostic, Severity, render_all};
use obligo::ics::{self, Reminder};
use obligo::report::timeline::{self, TimelineView};
use obligo::source::SourceMap;
use obligo::timeline as events;

/// An `--ics` value: a calendar file's name, or `-`. A name ending in
/// `.yaml`, `.yml` or `.json` is a facts file given after `--ics` by
/// mistake (`--ics facts.yaml`), which writing would overwrite: refused.
fn parse_ics_path(s: &str) -> Result<PathBuf, String> {
    if s.trim().is_empty() {
        return Err(
            "the calendar's file name is empty: write --ics calendar.ics, \
                    or --ics - for standard output"
                .to_string(),
        );
    }
    let ext = std::path::Path::new(s)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if let Some(ext @ ("yaml" | "yml" | "json")) = ext.as_deref() {
        return Err(format!(
            "`{s}` looks like a facts file (.{ext}), not a calendar: --ics takes the \
             calendar file to write; did you mean `--ics calendar.ics {s}`?"
        ));
    }
    Ok(PathBuf::from(s))
}

/// Whether `ics` names one of the facts files read (writing it would
/// overwrite them).
fn is_a_facts_file(ics: &std::path::Path, facts: &[PathBuf]) -> bool {
    let Ok(target) = ics.canonicalize() else {
        return false;
    };
    facts
        .iter()
        .filter_map(|f| f.canonicalize().ok())
        .any(|f| f == target)
}

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
    /// Also write the coming deadlines, and the duties overdue on the as-of
    /// date (as events that day), as an iCalendar file (RFC 5545); `-`
    /// writes it to standard output, instead of the timeline.
    #[arg(long, value_name = "FILE.ics", value_parser = parse_ics_path)]
    pub ics: Option<PathBuf>,
    /// With --ics: a reminder before each deadline, like 7d, 2w or 12h
    /// (several: --remind 7d,1d); an overdue duty's is on its day.
    #[arg(
        long,
        value_name = "BEFORE",
        value_delimiter = ',',
        value_parser = Reminder::parse,
        requires = "ics"
    )]
    pub remind: Vec<Reminder>,
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
        if let Some(path) = &args.ics {
            let calendar = ics::calendar(&view, &args.remind);
            let stdout = path.as_os_str() == "-";
            if stdout {
                // The calendar alone: nothing else goes to standard output.
                super::emit(&calendar.text)?;
            } else {
                write_calendar(path, &args.inputs.facts, &calendar.text)?;
            }
            if calendar.events == 0 {
                warn_empty(&view, (!stdout).then_some(path.as_path()));
            }
            if stdout {
                return Ok(0);
            }
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

/// Writes the calendar file, never over a facts file read.
fn write_calendar(path: &std::path::Path, facts: &[PathBuf], text: &str) -> Result<(), u8> {
    let problem = if is_a_facts_file(path, facts) {
        Diagnostic::bare(format!(
            "--ics `{}` is a facts file this run reads: writing the calendar would overwrite it",
            path.display()
        ))
        .with_help(format!(
            "give --ics the calendar's own file name, like `--ics calendar.ics {}`",
            path.display()
        ))
    } else if let Err(e) = std::fs::write(path, text) {
        Diagnostic::bare(format!(
            "cannot write `{}`: {}",
            path.display(),
            obligo::read::os_words(&e)
        ))
        .with_help("give --ics a path in a folder you can write to, or - for standard output")
    } else {
        return Ok(());
    };
    Err(fail(&[problem], &SourceMap::default()))
}

/// Warns (on standard error; the exit code stays) that the calendar has no
/// events, saying why.
fn warn_empty(view: &TimelineView, path: Option<&std::path::Path>) {
    let name = path.map_or_else(
        || "the calendar".to_string(),
        |p| format!("the calendar `{}`", p.display()),
    );
    let coming = view
        .organisations
        .iter()
        .flat_map(|o| &o.events)
        .filter(|e| e.coming && e.kind == "deadline")
        .count();
    let why = if coming == 0 {
        format!("no deadline falls from {} to {}", view.as_of, view.to)
    } else {
        format!(
            "the {coming} deadline{} from {} to {} {} lifted by an exception or already met",
            if coming == 1 { "" } else { "s" },
            view.as_of,
            view.to,
            if coming == 1 { "is" } else { "are" },
        )
    };
    let mut d = Diagnostic::bare(format!(
        "{name} has no events: {why}, and no duty is overdue on {}",
        view.as_of
    ))
    .with_help(
        "a later --to shows deadlines further ahead; `obligo check` shows where each rule stands",
    );
    d.severity = Severity::Warning;
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        render_all(&[d], &SourceMap::default()).as_bytes(),
    );
}
