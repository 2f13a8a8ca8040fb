//! `obligo batch`: many organisations at once, a record per row.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal as _, Write as _};
use std::path::PathBuf;

use clap::ValueEnum;

use super::{EXIT_INPUT, RulesAt, fail};
use obligo::batch::{self, Format, Settings, Sink};
use obligo::diagnostic::{self, Diagnostic};
use obligo::eval::Plan;
use obligo::report::batch::Output;
use obligo::report::batch_summary;
use obligo::source::SourceMap;

/// Arguments of `obligo batch`.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// JSON Lines (.jsonl) or CSV (.csv) files of organisations, one a row;
    /// YAML facts files, a folder of them, or a quoted glob such as
    /// 'facts/*.yaml'; `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub at: RulesAt,
    /// The output: jsonl (one JSON object per organisation) or csv (a row
    /// per organisation, a column per rule).
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    pub format: OutputFormat,
    /// Write the records here rather than to standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write the summary here, as JSON if FILE ends in .json, else as
    /// Markdown (default: as text on standard error).
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// How to read the inputs (default: by extension; `-` is read as jsonl).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// Add each rule's explanation (its clauses, the facts they read, the
    /// definitions they use) to the JSON lines. Slower.
    #[arg(long)]
    pub explain: bool,
    /// Stop at the first invalid row (it still gets its error record).
    #[arg(long)]
    pub fail_fast: bool,
    /// Threads to judge with (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON object a line (docs/batch.md).
    Jsonl,
    /// A row per organisation: status per rule, and the verdict.
    Csv,
}

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// One JSON object a line.
    Jsonl,
    /// A header row of names, then a row per organisation.
    Csv,
    /// One YAML facts file.
    Yaml,
}

/// How many invalid rows are shown in full on standard error.
const ERRORS_SHOWN: u64 = 20;

/// Runs `obligo batch`; returns the exit code.
pub fn run(args: &BatchArgs) -> u8 {
    let run = || -> Result<u8, u8> {
        if args.explain && args.format == OutputFormat::Csv {
            return Err(usage(
                "--explain adds reports to JSON lines, and CSV has no room for them",
                "use --format jsonl with --explain, or leave --explain out",
            ));
        }
        let forced = args.input_format.map(|f| match f {
            InputFormat::Jsonl => Format::Jsonl,
            InputFormat::Csv => Format::Csv,
            InputFormat::Yaml => Format::Yaml,
        });
        let inputs = batch::inputs(&args.inputs, forced).map_err(usage_d)?;
        let ruleset = super::ruleset(args.at.rules.as_ref())?;
        let plan = Plan::new(&ruleset, args.at.dates());
        let threads = args.threads.map_or_else(
            || std::thread::available_parallelism().map_or(1, usize::from),
            usize::from,
        );
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| {
                usage(
                    &format!("cannot start {threads} threads: {e}"),
                    "try fewer with --threads",
                )
            })?;
        // `-o -` is standard output, as if no --output were given.
        let output = args.output.as_ref().filter(|p| p.as_os_str() != "-");
        for (what, path) in [("--output", output), ("--summary", args.summary.as_ref())] {
            let Some(path) = path else { continue };
            let stdin_too = inputs.iter().any(|i| i.path.is_none()) && is_stdin(path);
            if stdin_too
                || inputs
                    .iter()
                    .any(|i| i.path.as_ref().is_some_and(|p| same_file(p, path)))
            {
                return Err(usage(
                    &format!(
                        "{what} `{}` is also an input: it would be overwritten",
                        path.display()
                    ),
                    "write the output to another file",
                ));
            }
        }
        if let (Some(o), Some(s)) = (output, args.summary.as_ref())
            && (o == s || same_file(o, s))
        {
            return Err(usage(
                &format!("--output and --summary are the same file `{}`", o.display()),
                "write the summary to another file",
            ));
        }
        let create = |path: &PathBuf| {
            File::create(path).map_err(|e| {
                usage(
                    &format!(
                        "cannot write `{}`: {}",
                        path.display(),
                        obligo::read::os_words(&e)
                    ),
                    "check the folder exists and can be written to",
                )
            })
        };
        // Both are opened before either is written: a bad --summary must
        // not have emptied --output first.
        let summary_file = match &args.summary {
            Some(path) => Some((path, create(path)?)),
            None => None,
        };
        let mut out: Box<dyn io::Write + Send> = match output {
            Some(path) => Box::new(BufWriter::with_capacity(1 << 16, create(path)?)),
            None => Box::new(BufWriter::with_capacity(1 << 16, io::stdout())),
        };
        let total: u64 = inputs
            .iter()
            .filter_map(|i| i.path.as_ref())
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        let bar = progress_bar(total);
        let mut progress = |read: u64| {
            if let Some(bar) = &bar {
                bar.set_position(read);
            }
        };
        let mut err = AroundBar {
            bar: bar.clone(),
            inner: io::stderr(),
        };
        let settings = Settings {
            output: match args.format {
                OutputFormat::Jsonl => Output::Jsonl,
                OutputFormat::Csv => Output::Csv,
            },
            explain: args.explain,
            fail_fast: args.fail_fast,
            errors: diagnostic::style(),
            errors_shown: ERRORS_SHOWN,
        };
        let sink = Sink {
            out: &mut *out,
            err: &mut err,
            progress: &mut progress,
        };
        let finished = match batch::run(&plan, &inputs, settings, &pool, sink) {
            Ok(f) => f,
            // The reader went away (`| head`): the rest is not judged, so
            // no verdict is claimed; 141 is what a shell shows for it.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(EXIT_PIPE),
            Err(e) => {
                return Err(usage(
                    &format!("cannot write the output: {}", obligo::read::os_words(&e)),
                    "check there is room on the disk, or send the output elsewhere",
                ));
            }
        };
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        let named = inputs
            .iter()
            .zip(
                finished
                    .sha256
                    .iter()
                    .cloned()
                    .chain(std::iter::repeat(None)),
            )
            .map(|(i, sha)| (i.name.clone(), sha))
            .collect();
        let view = batch_summary::view(&plan, &finished.tally, finished.stopped, named);
        match summary_file {
            Some((path, mut file)) => {
                let json = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"));
                let text = if json {
                    batch_summary::json(&view)
                } else {
                    batch_summary::markdown(&view)
                };
                file.write_all(text.as_bytes()).map_err(|e| {
                    usage(
                        &format!(
                            "cannot write `{}`: {}",
                            path.display(),
                            obligo::read::os_words(&e)
                        ),
                        "check there is room on the disk",
                    )
                })?;
            }
            None => {
                let _ = err.write_all(batch_summary::text(&view).as_bytes());
            }
        }
        Ok(finished.tally.exit_code())
    };
    run().unwrap_or_else(|code| code)
}

/// Standard error, written with the progress bar out of the way.
struct AroundBar {
    bar: Option<indicatif::ProgressBar>,
    inner: io::Stderr,
}

impl io::Write for AroundBar {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &self.bar {
            Some(bar) => bar.suspend(|| self.inner.write(buf)),
            None => self.inner.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A progress bar on a terminal only: never in a pipe, a file or CI.
fn progress_bar(total: u64) -> Option<indicatif::ProgressBar> {
    let wanted = io::stderr().is_terminal() && std::env::var_os("CI").is_none() && total > 0;
    wanted.then(|| {
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} read, {eta} left",
        ) {
            bar.set_style(style);
        }
        bar
    })
}

/// The exit code when the output's reader closes it early.
const EXIT_PIPE: u8 = 141;

/// Whether two paths name the same existing file (by device and inode, so
/// that a hard link or a symbolic link is the same file too).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => same(&a, &b),
        _ => false,
    }
}

#[cfg(unix)]
fn same(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// Whether standard input is the file at `path` (`batch - -o x < x`).
fn is_stdin(path: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        let stdin = std::path::Path::new("/dev/stdin");
        same_file(stdin, path)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

fn usage(message: &str, help: &str) -> u8 {
    usage_d(Diagnostic::bare(message).with_help(help))
}

fn usage_d(d: Diagnostic) -> u8 {
    let _ = fail(&[d], &SourceMap::default());
    EXIT_INPUT
}
