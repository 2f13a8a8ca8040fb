//! Running a batch: rows are read a chunk at a time, judged in parallel
//! (statuses only, unless explanations are asked for), and written in
//! input order. While one chunk is judged the next is read; nothing is
//! kept of a row once it is written but its counts.

use std::io::{self, Write};

use rayon::prelude::*;

use super::input::{Chunk, Input, Row, RowKind, Rows, not_utf8};
use super::tally::{Seen, Tally};
use crate::diagnostic::{Diagnostic, Style, render_all_as};
use crate::eval::{Outcome, Plan};
use crate::facts::row::{Fields, RowProblem};
use crate::facts::{self, Facts};
use crate::report::batch::{Explained, Judged, Output, Records, RowError, RowPlace};
use crate::source::{FileId, SourceFile, SourceMap};

/// How a batch is run.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The output's format.
    pub output: Output,
    /// Add each organisation's full report, explanations and all.
    pub explain: bool,
    /// Stop at the first invalid row.
    pub fail_fast: bool,
    /// How problems are shown on the error stream.
    pub errors: Style,
    /// How many invalid rows are shown on the error stream in full (all of
    /// them are in the output).
    pub errors_shown: u64,
}

/// Where a batch writes.
pub struct Sink<'a> {
    /// The records, one per row.
    pub out: &'a mut (dyn Write + Send),
    /// Problems of invalid rows, for people.
    pub err: &'a mut (dyn Write + Send),
    /// Told the input bytes read so far, after each chunk.
    pub progress: &'a mut (dyn FnMut(u64) + Send),
}

/// How a batch ended.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The counts, for the summary and the exit code.
    pub tally: Tally,
    /// Whether `--fail-fast` stopped it at an invalid row.
    pub stopped: bool,
    /// Each input's sha256, by its place in the inputs, if it was read to
    /// its end.
    pub sha256: Vec<Option<String>>,
}

/// Rows judged per task: small enough to share work between threads,
/// large enough that a task is worth starting.
const PART_ROWS: usize = 64;

/// Judges every row of `inputs` by `plan`, writing records to `sink`.
/// Fails only when the output cannot be written.
pub fn run(
    plan: &Plan<'_>,
    inputs: &[Input],
    settings: Settings,
    pool: &rayon::ThreadPool,
    sink: Sink<'_>,
) -> io::Result<Finished> {
    let fields = Fields::new(plan.ruleset());
    let records = Records::new(
        settings.output,
        plan,
        inputs.iter().map(|i| i.name.as_str()),
    );
    let judge = Judge {
        plan,
        fields: &fields,
        inputs,
        settings,
        records: &records,
    };
    let mut rows = Rows::new(inputs, plan.ruleset(), &fields);
    let mut writer = Writer {
        sink,
        tally: Tally::new(plan),
        shown: 0,
        read: 0,
        errors_shown: settings.errors_shown,
        style: settings.errors,
    };
    if settings.output == Output::Csv {
        let mut head = Vec::new();
        crate::report::batch::csv_header(&mut head, plan);
        writer.sink.out.write_all(&head)?;
    }
    // Three things at once: this chunk is judged while the chunk before is
    // written and the chunk after is read.
    let mut next = pool.install(|| rows.next_chunk());
    let mut judged: Option<(Vec<Part>, u64)> = None;
    let mut stopped = false;
    while let Some(chunk) = next.take() {
        let (parts, (following, wrote)) = pool.install(|| {
            rayon::join(
                || {
                    chunk
                        .rows
                        .par_chunks(PART_ROWS)
                        .map(|rows| judge.part(&chunk, rows))
                        .collect::<Vec<Part>>()
                },
                || {
                    let wrote = judged.take().map(|(parts, read)| writer.write(parts, read));
                    (rows.next_chunk(), wrote)
                },
            )
        });
        if wrote.transpose()? == Some(true) {
            stopped = true;
            break;
        }
        judged = Some((parts, chunk.consumed));
        next = following;
    }
    if let Some((parts, read)) = judged.take().filter(|_| !stopped) {
        stopped = writer.write(parts, read)?;
    }
    let mut finished = writer.finish(stopped)?;
    finished.sha256 = rows.digests();
    Ok(finished)
}

/// Writes judged chunks in order, and counts them.
struct Writer<'s> {
    sink: Sink<'s>,
    tally: Tally,
    /// Invalid rows met so far (and shown, up to `errors_shown`).
    shown: u64,
    /// Input bytes read so far.
    read: u64,
    errors_shown: u64,
    style: Style,
}

impl Writer<'_> {
    /// Writes one chunk's parts; true when `--fail-fast` stopped at one.
    fn write(&mut self, parts: Vec<Part>, consumed: u64) -> io::Result<bool> {
        self.read += consumed;
        for part in parts {
            self.sink.out.write_all(&part.out)?;
            for (sources, diagnostics) in part.errors {
                if self.shown < self.errors_shown {
                    let text = render_all_as(&diagnostics, &sources, self.style);
                    self.sink.err.write_all(text.as_bytes())?;
                }
                self.shown += 1;
            }
            self.tally.merge(part.tally);
            if part.stopped {
                return Ok(true);
            }
        }
        (self.sink.progress)(self.read);
        Ok(false)
    }

    fn finish(self, stopped: bool) -> io::Result<Finished> {
        self.sink.out.flush()?;
        if self.shown > self.errors_shown {
            let more = self.shown - self.errors_shown;
            let rows = if more == 1 {
                "invalid row is"
            } else {
                "invalid rows are"
            };
            writeln!(
                self.sink.err,
                "{more} more {rows} not shown here: each has an error record in the output"
            )?;
        }
        Ok(Finished {
            tally: self.tally,
            stopped,
            sha256: Vec::new(),
        })
    }
}

/// What a task gives back: its rows' records, the problems of its invalid
/// rows as people read them, and its counts.
struct Part {
    out: Vec<u8>,
    /// Each invalid row's problems, with the text they point into.
    errors: Vec<(SourceMap, Vec<Diagnostic>)>,
    tally: Tally,
    /// It ended at an invalid row, under `--fail-fast`.
    stopped: bool,
}

/// What every task shares.
struct Judge<'a, 'r> {
    plan: &'a Plan<'r>,
    fields: &'a Fields,
    inputs: &'a [Input],
    settings: Settings,
    records: &'a Records,
}

thread_local! {
    /// Each thread's buffers, kept from one task to the next.
    static SCRATCH: std::cell::RefCell<(Vec<Outcome>, Seen)> =
        std::cell::RefCell::new((Vec::new(), Seen::default()));
}

impl Judge<'_, '_> {
    fn part(&self, chunk: &Chunk, rows: &[Row]) -> Part {
        let mut part = Part {
            out: Vec::with_capacity(rows.len() * 640),
            errors: Vec::new(),
            tally: Tally::new(self.plan),
            stopped: false,
        };
        SCRATCH.with_borrow_mut(|(outcomes, seen)| {
            for row in rows {
                let file = self.inputs.get(row.input).map_or("", |i| i.name.as_str());
                let place = RowPlace {
                    row: row.seq,
                    input: row.input,
                    file,
                    line: row.line,
                };
                match self.read(chunk, row, file) {
                    Ok(facts) => {
                        self.plan.evaluate_into(&facts, outcomes);
                        let verdict = self.plan.verdict(outcomes);
                        let explained = self
                            .settings
                            .explain
                            .then(|| Explained::of(self.plan, &facts, outcomes));
                        let judged = Judged {
                            facts: &facts,
                            outcomes,
                            verdict,
                            explained: explained.as_ref(),
                        };
                        self.records
                            .organisation(&mut part.out, self.plan, &place, &judged);
                        part.tally
                            .add(self.plan, row.seq, &facts, outcomes, verdict, seen);
                    }
                    Err((sources, problems)) => {
                        let errors: Vec<RowError<'_>> =
                            problems.iter().map(|p| RowError::of(p, &sources)).collect();
                        self.records
                            .invalid(&mut part.out, self.plan, &place, &errors);
                        let diagnostics: Vec<Diagnostic> =
                            problems.into_iter().map(|p| p.diagnostic).collect();
                        // Worded for people later, and only if shown.
                        part.errors.push((sources, diagnostics));
                        part.tally.invalid += 1;
                        if self.settings.fail_fast {
                            part.stopped = true;
                            break;
                        }
                    }
                }
            }
        });
        part
    }

    /// One row's facts, or its problems with the text they point into.
    fn read(
        &self,
        chunk: &Chunk,
        row: &Row,
        file: &str,
    ) -> Result<Facts, (SourceMap, Vec<RowProblem>)> {
        let rs = self.plan.ruleset();
        let at = FileId(0);
        let text = |range: &std::ops::Range<usize>| {
            std::str::from_utf8(chunk.bytes.get(range.clone()).unwrap_or_default())
        };
        let part = |range: &std::ops::Range<usize>| {
            let mut sources = SourceMap::default();
            let t = text(range).unwrap_or_default();
            sources.add_file(SourceFile::part(file, t, row.line as usize));
            sources
        };
        let no_text = |problems| (SourceMap::default(), problems);
        let bare = |d: Diagnostic| {
            vec![RowProblem {
                field: None,
                diagnostic: d,
            }]
        };
        match &row.kind {
            RowKind::Jsonl(range) => {
                let Ok(t) = text(range) else {
                    return Err(no_text(bare(located(not_utf8(), row.line))));
                };
                facts::jsonl::read(rs, self.fields, file, row.line, t, at)
                    .map_err(|p| (part(range), p))
            }
            RowKind::Csv(range, header) => {
                let Ok(t) = text(range) else {
                    return Err(no_text(bare(located(not_utf8(), row.line))));
                };
                facts::csv::read(rs, header, file, row.line, t, at).map_err(|p| (part(range), p))
            }
            RowKind::Yaml(range) => {
                let mut sources = SourceMap::default();
                let Ok(t) = text(range) else {
                    let d = Diagnostic::bare(format!("the facts file `{file}` is not UTF-8 text"))
                        .with_help("save it as UTF-8 (most editors offer this under \"Save as\" or \"Encoding\")");
                    return Err(no_text(bare(d)));
                };
                let id = sources.add(file, t);
                facts::load(rs, &sources, id).map_err(|d| {
                    let problems = d
                        .into_iter()
                        .map(|diagnostic| RowProblem {
                            field: None,
                            diagnostic,
                        })
                        .collect();
                    (sources, problems)
                })
            }
            RowKind::Invalid {
                text: range,
                problems,
            } => {
                let sources = range.as_ref().map_or_else(SourceMap::default, part);
                Err((sources, problems.clone()))
            }
        }
    }
}

/// A problem with no text to show, said of its line.
fn located(d: Diagnostic, line: u32) -> Diagnostic {
    Diagnostic {
        message: format!("line {line}: {}", d.message),
        ..d
    }
}
