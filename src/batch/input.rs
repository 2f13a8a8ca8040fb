//! Where a batch's rows come from: JSON Lines and CSV files (or standard
//! input), and YAML facts files given one by one, as a folder or as a glob.
//! Rows are read in chunks of bounded size: one chunk's text is held at a
//! time, however long the input.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use super::digest::Digests;
use crate::diagnostic::Diagnostic;
use crate::facts::csv::{Header, RecordError, Records};
use crate::facts::row::{Fields, MAX_PROBLEMS, RowProblem};
use crate::model::Ruleset;
use crate::read::os_words;
use crate::source::FileId;

/// The format of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object a line.
    Jsonl,
    /// A header row of names, then one organisation a row.
    Csv,
    /// One facts file (YAML), one organisation.
    Yaml,
}

impl Format {
    /// The format an extension names.
    pub fn of_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" | "json" => Some(Self::Jsonl),
            "csv" => Some(Self::Csv),
            "yaml" | "yml" => Some(Self::Yaml),
            _ => None,
        }
    }
}

/// One input of a batch, as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The name rows from it are reported under.
    pub name: String,
    /// How it is read.
    pub format: Format,
    /// `None` for standard input.
    pub path: Option<PathBuf>,
}

/// Largest line (JSON Lines) or record (CSV) read: longer ones are an
/// error for that row, not a reason to hold unbounded text.
pub const MAX_ROW: usize = 1 << 20;
/// A chunk closes at this many rows or bytes, whichever comes first.
const CHUNK_ROWS: usize = 1024;
const CHUNK_BYTES: usize = 2 << 20;

/// Turns the paths given into inputs: a file by its extension (or
/// `forced`), a folder as its `.yaml`/`.yml` files in name order, a glob
/// pattern as the files it matches in name order, `-` as standard input.
pub fn inputs(paths: &[PathBuf], forced: Option<Format>) -> Result<Vec<Input>, Diagnostic> {
    let mut out = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        if shown == "-" {
            out.push(Input {
                name: "<stdin>".into(),
                format: forced.unwrap_or(Format::Jsonl),
                path: None,
            });
        } else if path.is_dir() {
            let mut files = folder(path)?;
            if files.is_empty() {
                return Err(
                    Diagnostic::bare(format!("the folder `{shown}` holds no facts files"))
                        .with_help("a folder given to batch is read as its .yaml and .yml files"),
                );
            }
            files.sort();
            out.extend(files.into_iter().map(|p| yaml(p, forced)));
        } else if !path.exists() && shown.contains(['*', '?', '[']) {
            let mut files = matching(&shown)?;
            files.sort();
            out.extend(files.into_iter().map(|p| {
                let format = forced
                    .or_else(|| Format::of_path(&p))
                    .unwrap_or(Format::Yaml);
                Input {
                    name: p.display().to_string(),
                    format,
                    path: Some(p),
                }
            }));
        } else {
            // A pipe or a device would be read without end, or wait for
            // ever: refused before anything is read (like every input).
            if let Ok(meta) = std::fs::metadata(path)
                && !meta.is_file()
            {
                crate::read::check(path, "batch input")?;
            }
            let Some(format) = forced.or_else(|| Format::of_path(path)) else {
                return Err(Diagnostic::bare(format!(
                    "cannot tell the format of `{shown}` from its name"
                ))
                .with_help(
                    "name it .jsonl, .csv or .yaml, or say which with --input-format jsonl|csv|yaml",
                ));
            };
            out.push(Input {
                name: shown,
                format,
                path: Some(path.clone()),
            });
        }
    }
    Ok(out)
}

fn yaml(path: PathBuf, forced: Option<Format>) -> Input {
    Input {
        name: path.display().to_string(),
        format: forced.unwrap_or(Format::Yaml),
        path: Some(path),
    }
}

/// The `.yaml` and `.yml` files of a folder (not of its subfolders), in
/// no set order.
pub fn folder(path: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = std::fs::read_dir(path).map_err(|e| cannot_read(path, &e))?;
    Ok(entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && Format::of_path(p) == Some(Format::Yaml))
        .collect())
}

fn matching(pattern: &str) -> Result<Vec<PathBuf>, Diagnostic> {
    let paths = glob::glob(pattern).map_err(|e| {
        Diagnostic::bare(format!(
            "`{pattern}` is not a pattern of file names: {}",
            e.msg
        ))
        .with_help("use * for any part of a name and ? for one character, like facts/*.yaml")
    })?;
    let files: Vec<PathBuf> = paths
        .filter_map(Result::ok)
        .filter(|p| p.is_file())
        .collect();
    if files.is_empty() {
        return Err(Diagnostic::bare(format!("no file matches `{pattern}`"))
            .with_help("check the pattern, or give the files or their folder"));
    }
    Ok(files)
}

fn cannot_read(path: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::bare(format!("cannot read `{}`: {}", path.display(), os_words(e))).with_help(
        "give the path of a JSON Lines, CSV or YAML facts file, or of a folder of facts files",
    )
}

/// One row of a chunk.
#[derive(Debug, Clone)]
pub struct Row {
    /// Its number in the batch, from 1, in input order.
    pub seq: u64,
    /// Which input it is from.
    pub input: usize,
    /// Its first line in that input (0 when it has no text).
    pub line: u32,
    /// What the row holds.
    pub kind: RowKind,
}

/// What a row holds: its text (a range of the chunk's bytes) to read in
/// the input's format, or the problems found while reading it.
#[derive(Debug, Clone)]
pub enum RowKind {
    /// A JSON line.
    Jsonl(Range<usize>),
    /// A CSV record, read by its input's header.
    Csv(Range<usize>, Arc<Header>),
    /// A whole YAML facts file.
    Yaml(Range<usize>),
    /// It could not be read; `text` is what the problems point into.
    Invalid {
        text: Option<Range<usize>>,
        problems: Vec<RowProblem>,
    },
}

/// Rows read together, with the text they are ranges of.
#[derive(Debug, Default)]
pub struct Chunk {
    /// The rows' text.
    pub bytes: Vec<u8>,
    /// The rows, in input order.
    pub rows: Vec<Row>,
    /// Input bytes consumed for this chunk (for progress).
    pub consumed: u64,
}

/// Reads the inputs of a batch one chunk at a time.
pub struct Rows<'a> {
    inputs: &'a [Input],
    ruleset: &'a Ruleset,
    fields: &'a Fields,
    next_input: usize,
    open: Option<Open>,
    seq: u64,
    /// Each input's sha256, taken as it is read.
    digests: Digests,
}

/// The JSON Lines or CSV input being read.
struct Open {
    input: usize,
    reader: Reader,
    /// A CSV input's header, once read.
    header: Option<Arc<Header>>,
}

/// How an open input is read: by lines, or by CSV records (which may go
/// on over line breaks inside quotes).
enum Reader {
    Lines {
        input: Box<dyn BufRead + Send>,
        /// The last line read.
        line: u32,
        /// Whether the first row is still to come (for a byte-order mark).
        first: bool,
    },
    Csv(Records<Box<dyn BufRead + Send>>),
}

impl<'a> Rows<'a> {
    /// Rows from `inputs`, in order, for `ruleset` (to read CSV headers).
    pub fn new(inputs: &'a [Input], ruleset: &'a Ruleset, fields: &'a Fields) -> Self {
        Self {
            inputs,
            ruleset,
            fields,
            next_input: 0,
            open: None,
            seq: 0,
            digests: Digests::new(inputs.len()),
        }
    }

    /// Each input's sha256, once it has been read to its end.
    pub fn digests(&self) -> Vec<Option<String>> {
        self.digests.taken()
    }

    /// The next chunk; `None` after the last row of the last input.
    pub fn next_chunk(&mut self) -> Option<Chunk> {
        let mut chunk = Chunk::default();
        while chunk.rows.len() < CHUNK_ROWS && chunk.bytes.len() < CHUNK_BYTES {
            let Some(open) = self.open.as_mut() else {
                if self.open_next(&mut chunk) {
                    continue;
                }
                break;
            };
            let input = open.input;
            let name = self.inputs.get(input).map_or("", |i| i.name.as_str());
            let (line, text, consumed) = match next_row(&mut open.reader, name, &mut chunk.bytes) {
                Ok(Some(row)) => row,
                Ok(None) => {
                    self.open = None;
                    continue;
                }
                Err((line, e)) => {
                    let d = Diagnostic::bare(format!(
                        "cannot read `{name}` at line {line}: {}",
                        os_words(&e)
                    ))
                    .with_help("check the file can be read to its end");
                    self.open = None;
                    self.push(&mut chunk, input, line, invalid(None, d));
                    continue;
                }
            };
            chunk.consumed += consumed;
            let csv = matches!(open.reader, Reader::Csv(_));
            let kind = match text {
                Err(d) => invalid(None, d),
                Ok(range) if !csv => RowKind::Jsonl(range),
                Ok(range) => match &open.header {
                    Some(header) => RowKind::Csv(range, Arc::clone(header)),
                    None => {
                        // The first record is the header, not a row.
                        let text = chunk.bytes.get(range.clone()).unwrap_or_default();
                        let header = std::str::from_utf8(text)
                            .map_err(|_| vec![not_utf8()])
                            .and_then(|t| Header::read(self.ruleset, self.fields, t, FileId(0)));
                        match header {
                            Ok(header) => {
                                open.header = Some(Arc::new(header));
                                chunk.bytes.truncate(range.start);
                                continue;
                            }
                            Err(problems) => {
                                // No row of this input can be read without
                                // its header: the input ends here.
                                self.open = None;
                                let more = problems.len().saturating_sub(MAX_PROBLEMS);
                                let mut problems: Vec<RowProblem> = problems
                                    .into_iter()
                                    .take(MAX_PROBLEMS)
                                    .map(|diagnostic| RowProblem {
                                        field: None,
                                        diagnostic,
                                    })
                                    .collect();
                                if more > 0 {
                                    problems.push(RowProblem {
                                        field: None,
                                        diagnostic: Diagnostic::bare(format!(
                                            "and {more} more problems in the header"
                                        )),
                                    });
                                }
                                RowKind::Invalid {
                                    text: Some(range),
                                    problems,
                                }
                            }
                        }
                    }
                },
            };
            self.push(&mut chunk, input, line, kind);
        }
        (!chunk.rows.is_empty()).then_some(chunk)
    }

    fn push(&mut self, chunk: &mut Chunk, input: usize, line: u32, kind: RowKind) {
        self.seq += 1;
        chunk.rows.push(Row {
            seq: self.seq,
            input,
            line,
            kind,
        });
    }

    /// Opens the next input; a YAML file is read whole, as one row. False
    /// when there are no more inputs.
    fn open_next(&mut self, chunk: &mut Chunk) -> bool {
        let Some(input) = self.inputs.get(self.next_input) else {
            return false;
        };
        let index = self.next_input;
        self.next_input += 1;
        let reader: Box<dyn Read + Send> = match &input.path {
            None => Box::new(io::stdin()),
            Some(p) => match File::open(p) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    self.push(chunk, index, 0, invalid(None, cannot_read(p, &e)));
                    return true;
                }
            },
        };
        let reader: Box<dyn Read + Send> = Box::new(self.digests.reader(index, reader));
        if input.format != Format::Yaml {
            let mut buffered: Box<dyn BufRead + Send> =
                Box::new(BufReader::with_capacity(1 << 16, reader));
            if cr_only(&mut buffered) {
                let d = Diagnostic::bare(format!(
                    "the lines of `{}` end with a carriage return only (an old Mac format)",
                    input.name
                ))
                .with_help(
                    "save it again with Windows or Unix line ends (in a spreadsheet: CSV UTF-8)",
                );
                self.push(chunk, index, 0, invalid(None, d));
                return true;
            }
            self.open = Some(Open {
                input: index,
                reader: if input.format == Format::Csv {
                    Reader::Csv(Records::new(buffered))
                } else {
                    Reader::Lines {
                        input: buffered,
                        line: 0,
                        first: true,
                    }
                },
                header: None,
            });
            return true;
        }
        let start = chunk.bytes.len();
        let kind = match reader
            .take(crate::read::limit() + 1)
            .read_to_end(&mut chunk.bytes)
        {
            Ok(n) if n as u64 > crate::read::limit() => {
                chunk.bytes.truncate(start);
                invalid(
                    None,
                    Diagnostic::bare(format!(
                        "the facts file `{}` is larger than {}, the most read",
                        input.name,
                        crate::read::size(crate::read::limit())
                    ))
                    .with_help(
                        "a facts file describes one organisation: check it is the right file",
                    ),
                )
            }
            Ok(n) => {
                chunk.consumed += n as u64;
                let bom = chunk.bytes.get(start..start + 3) == Some(BOM.as_slice());
                RowKind::Yaml(start + if bom { 3 } else { 0 }..chunk.bytes.len())
            }
            Err(e) => {
                chunk.bytes.truncate(start);
                let d = match &input.path {
                    Some(p) => cannot_read(p, &e),
                    None => {
                        Diagnostic::bare(format!("cannot read standard input: {}", os_words(&e)))
                    }
                };
                invalid(None, d)
            }
        };
        let line = if matches!(kind, RowKind::Yaml(_)) {
            1
        } else {
            0
        };
        self.push(chunk, index, line, kind);
        true
    }
}

const BOM: [u8; 3] = *b"\xEF\xBB\xBF";

/// Whether an input's first block has carriage returns and no line feed:
/// its lines would run together into one row.
fn cr_only(reader: &mut Box<dyn BufRead + Send>) -> bool {
    reader
        .fill_buf()
        .is_ok_and(|b| b.contains(&b'\r') && !b.contains(&b'\n'))
}

fn invalid(text: Option<Range<usize>>, diagnostic: Diagnostic) -> RowKind {
    RowKind::Invalid {
        text,
        problems: vec![RowProblem {
            field: None,
            diagnostic,
        }],
    }
}

/// A row whose bytes are not UTF-8.
pub fn not_utf8() -> Diagnostic {
    Diagnostic::bare("this row is not UTF-8 text")
        .with_help("save the file as UTF-8 (most programs offer this when saving or exporting)")
}

/// One row read: its first line, its text's range in the chunk (or why it
/// has none), and the input bytes it took.
type RowRead = (u32, Result<Range<usize>, Diagnostic>, u64);

/// Reads the next row of an open input into `bytes`; `Err` with the line
/// it stopped at when the input cannot be read on.
fn next_row(
    reader: &mut Reader,
    name: &str,
    bytes: &mut Vec<u8>,
) -> Result<Option<RowRead>, (u32, io::Error)> {
    match reader {
        Reader::Lines { input, line, first } => {
            read_line(input, line, first, bytes).map_err(|e| (*line + 1, e))
        }
        Reader::Csv(records) => match records.next() {
            None => Ok(None),
            Some(Ok(record)) => {
                let start = bytes.len();
                bytes.extend_from_slice(record.text.as_bytes());
                let consumed = record.text.len() as u64 + 1;
                Ok(Some((record.line, Ok(start..bytes.len()), consumed)))
            }
            Some(Err(RecordError::Io(e))) => Err((0, e)),
            Some(Err(e)) => {
                let line = match e {
                    RecordError::TooLong { line, .. } | RecordError::NotUtf8 { line } => line,
                    RecordError::Io(_) => 0,
                };
                Ok(Some((line, Err(e.diagnostic(name)), 0)))
            }
        },
    }
}

/// Reads the next non-blank line of a JSON Lines input into `bytes`.
fn read_line(
    input: &mut Box<dyn BufRead + Send>,
    line: &mut u32,
    first: &mut bool,
    bytes: &mut Vec<u8>,
) -> io::Result<Option<RowRead>> {
    let mut consumed = 0u64;
    loop {
        let start = bytes.len();
        *line += 1;
        let n = input
            .by_ref()
            .take((MAX_ROW + 1) as u64)
            .read_until(b'\n', bytes)?;
        consumed += n as u64;
        if n == 0 {
            *line -= 1;
            return Ok(None);
        }
        if bytes.len() - start > MAX_ROW {
            bytes.truncate(start);
            consumed += skip_line(input)?;
            let d = Diagnostic::bare(format!(
                "the line {line} is longer than {} MiB",
                MAX_ROW >> 20
            ))
            .with_help("each organisation is one line of JSON: check the file's line breaks");
            return Ok(Some((*line, Err(d), consumed)));
        }
        // The line break is not part of the row.
        while bytes.len() > start && matches!(bytes.last(), Some(b'\n' | b'\r')) {
            bytes.pop();
        }
        let mut begin = start;
        if std::mem::take(first) && bytes.get(start..start + 3) == Some(BOM.as_slice()) {
            begin += 3;
        }
        if bytes
            .get(begin..)
            .is_some_and(|b| b.iter().all(u8::is_ascii_whitespace))
        {
            bytes.truncate(start);
            continue;
        }
        return Ok(Some((*line, Ok(begin..bytes.len()), consumed)));
    }
}

/// Skips the rest of a line too long to keep.
fn skip_line(reader: &mut Box<dyn BufRead + Send>) -> io::Result<u64> {
    let mut skipped = 0u64;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(skipped);
        }
        if let Some(i) = buf.iter().position(|b| *b == b'\n') {
            reader.consume(i + 1);
            return Ok(skipped + i as u64 + 1);
        }
        let n = buf.len();
        reader.consume(n);
        skipped += n as u64;
    }
}
