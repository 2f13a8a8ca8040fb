//! `obligo check`: judge facts files against the rules.

use std::io::IsTerminal as _;

use clap::ValueEnum;

use super::{Inputs, judge_all};
use obligo::eval::Plan;
use obligo::report::{self, html, layout, markdown};

/// Arguments of `obligo check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Show only some results: `unmet` hides met, met-late and not-applicable
    /// ones (the verdict and counts still cover every rule).
    #[arg(long, value_enum, value_name = "WHICH")]
    pub only: Option<Only>,
    /// How much of each rule the text and Markdown reports show (JSON and
    /// HTML always carry everything).
    #[arg(long, value_enum, default_value_t = DetailArg::Short)]
    pub detail: DetailArg,
}

/// How much of each rule to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetailArg {
    /// Status, deadline, one line of why, sources.
    Short,
    /// Every explanation, each shared definition explained once at the end.
    Full,
}

impl From<DetailArg> for report::text::Detail {
    fn from(d: DetailArg) -> Self {
        match d {
            DetailArg::Short => Self::Short,
            DetailArg::Full => Self::Full,
        }
    }
}

/// The formats of the check report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Plain text; on a terminal, wrapped to its width and in colour (never with NO_COLOR).
    Text,
    /// JSON for programs (docs/report-json.md).
    Json,
    /// Markdown, for a wiki page, a pull request or an email.
    Markdown,
    /// One self-contained, print-friendly HTML page (no scripts, no external files).
    Html,
}

/// Which results to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Only {
    /// Pending, overdue, unknown, not yet in force and ended: what needs a look.
    Unmet,
}

/// Runs `obligo check`; returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let run = || -> Result<u8, u8> {
        let (ruleset, all, dates) = args.inputs.load()?;
        let plan = Plan::new(&ruleset, dates);
        let orgs = judge_all(&plan, all);
        let code = orgs
            .iter()
            .map(|(_, outcomes)| plan.verdict(outcomes))
            .max()
            .map_or(0, |v| v.exit_code());
        let mut view = report::build(&plan, &orgs, true);
        if let Some(rules) = &args.inputs.at.rules {
            // `obligo missing`, as the to-do list suggests it, asks of
            // the same rules.
            let rules = report::todo::shell_word(&rules.display().to_string());
            for org in &mut view.organisations {
                org.missing_flags
                    .insert_str(0, &format!(" --rules {rules}"));
            }
        }
        if args.only == Some(Only::Unmet) {
            report::view::keep_only(
                &mut view,
                layout::is_unmet,
                "met, met late or not applicable",
            );
        }
        let detail = args.detail.into();
        let text = match args.format {
            ReportFormat::Text => {
                layout::apply(&report::text::render_with(&view, detail), terminal_layout())
            }
            ReportFormat::Json => report::json(&view),
            ReportFormat::Markdown => markdown::render_with(&view, detail),
            ReportFormat::Html => html::render(&view),
        };
        super::emit(&text)?;
        Ok(code)
    };
    run().unwrap_or_else(|code| code)
}

/// Wrapping and colour for a terminal; nothing for files and pipes.
pub(super) fn terminal_layout() -> layout::Layout {
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return layout::Layout::default();
    }
    layout::Layout {
        width: terminal_size::terminal_size().map(|(w, _)| usize::from(w.0).max(40)),
        colour: obligo::diagnostic::colour_wanted(true, std::env::var_os("NO_COLOR").as_deref()),
    }
}
