//! Organisations from a CSV file: a header naming a column for each fact
//! (and for `name`, `id`, `recorded`), then one row per organisation.
//! A CSV row holds one value per fact of the organisation, so it cannot
//! carry items: a column named for a kind of item or for one of its fields
//! is refused with a pointer to JSON Lines, and the lists of a row read
//! from CSV are unknown.
//!
//! [`Records`] cuts a stream into records, each with its first line in the
//! file; [`Header::read`] maps the first record's columns to facts once;
//! [`read`] turns each later record into one organisation's facts, with the
//! checks and words of a facts file and the positions of the row's cells.
//! A record with quotes is split by csv-core; one without is cut at its
//! commas, which is all csv-core would do with it.
//!
//! What a cell means:
//! - empty (or spaces only): the fact is not given, so unknown, as a fact
//!   left out of a facts file;
//! - `null`: known to be empty, as `null` in a facts file;
//! - anything else: the value a facts file would have given for the fact's
//!   type (`true`, `TRUE`, `True` are true; `12` a whole number; `60%` a
//!   percentage), checked as there.
//!
//! Quotes carry no meaning but grouping: `"12"` is 12, as spreadsheets quote
//! cells at will. Spaces around a cell's content are dropped, inside quotes
//! too. A row must have exactly as many cells as the header has columns: a
//! cell left out or one too many would put the values after it under the
//! wrong facts, so even an empty cell past the last column is refused.

use std::cell::RefCell;
use std::io::{self, BufRead};
use std::iter::FusedIterator;
use std::ops::Range;

use csv_core::{ReadFieldResult, ReaderBuilder, Terminator};

use super::Facts;
use super::raw::RawScalar;
use super::row::{Field, Fields, RowFacts, RowProblem};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::model::Ruleset;
use crate::source::{FileId, Span};
use crate::value::Type;

/// The longest record kept, in bytes: a longer one is reported, not read,
/// so that a quote never closed cannot fill the memory.
pub const RECORD_LIMIT: usize = 1 << 20;

/// One record of a CSV file (the header or a row), as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Its first line in the file, from 1.
    pub line: u32,
    /// Its text, without the line break that ends it (a quoted cell may
    /// hold line breaks).
    pub text: String,
}

/// A record that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The input could not be read; nothing more is read after it.
    #[error("cannot read the input: {0}")]
    Io(#[from] io::Error),
    /// The record starting on `line` is longer than `limit` bytes; it is
    /// skipped and reading goes on after it.
    #[error("the record on line {line} is longer than {limit} bytes")]
    TooLong {
        /// Its first line.
        line: u32,
        /// The limit it passed.
        limit: usize,
    },
    /// The record holding `line` is not UTF-8 text; it is skipped.
    #[error("line {line} is not UTF-8 text")]
    NotUtf8 {
        /// The line of the first byte that is not UTF-8.
        line: u32,
    },
}

impl RecordError {
    /// The problem as a diagnostic about the input `file` (by its name).
    pub fn diagnostic(&self, file: &str) -> Diagnostic {
        match self {
            Self::Io(e) => Diagnostic::bare(format!("cannot read `{file}`: {e}")),
            Self::TooLong { line, limit } => Diagnostic::bare(format!(
                "the record on line {line} of `{file}` is longer than {limit} bytes"
            ))
            .with_help(
                "a record this long is most often a quoted cell that is never closed: \
                 look for a `\"` on that line without its pair",
            ),
            Self::NotUtf8 { line } => {
                Diagnostic::bare(format!("line {line} of `{file}` is not UTF-8 text"))
                    .with_help("save the file as UTF-8 (in a spreadsheet: CSV UTF-8)")
            }
        }
    }
}

/// The records of a CSV stream, in order. Blank lines, and lines of
/// nothing but commas and spaces (a spreadsheet's empty rows), are
/// skipped; a UTF-8 byte order mark at the start is dropped; lines end with
/// `\n` or `\r\n`.
///
/// A record goes on over the next line while it holds an odd number of
/// quotes (a quoted cell with a line break in it).
#[derive(Debug)]
pub struct Records<R: BufRead> {
    input: R,
    /// The record being read, reused from one to the next.
    buf: Vec<u8>,
    limit: usize,
    /// Lines read so far.
    line: u32,
    /// Stopped by a read error, or at the end.
    done: bool,
}

impl<R: BufRead> Records<R> {
    /// Records of at most [`RECORD_LIMIT`] bytes.
    pub fn new(input: R) -> Self {
        Self::with_limit(input, RECORD_LIMIT)
    }

    /// Records of at most `limit` bytes.
    pub fn with_limit(input: R, limit: usize) -> Self {
        Self {
            input,
            buf: Vec::new(),
            limit,
            line: 0,
            done: false,
        }
    }

    /// Reads one line, with its line break, onto the record (as long as it
    /// stays within the limit) and adds its quotes to `quotes`. False at
    /// the end of the input.
    fn read_line(&mut self, quotes: &mut Quotes, over: &mut bool) -> io::Result<bool> {
        let mut read = false;
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                return Ok(read);
            }
            read = true;
            let end = chunk.iter().position(|&b| b == b'\n');
            let part = end.and_then(|i| chunk.get(..=i)).unwrap_or(chunk);
            quotes.read(part);
            if self.buf.len() + part.len() > self.limit {
                *over = true;
            }
            if !*over {
                self.buf.extend_from_slice(part);
            }
            let used = part.len();
            self.input.consume(used);
            if end.is_some() {
                return Ok(true);
            }
        }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Result<Record, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.buf.clear();
            let first = self.line.saturating_add(1);
            let (mut quotes, mut over, mut any) = (Quotes::default(), false, false);
            loop {
                match self.read_line(&mut quotes, &mut over) {
                    Err(e) => {
                        self.done = true;
                        return Some(Err(e.into()));
                    }
                    Ok(false) => break,
                    Ok(true) => {
                        if self.line == 0 && self.buf.starts_with(BOM) {
                            self.buf.drain(..BOM.len());
                        }
                        any = true;
                        self.line = self.line.saturating_add(1);
                        if !quotes.open {
                            break;
                        }
                    }
                }
            }
            if !any {
                self.done = true;
                return None;
            }
            if over {
                return Some(Err(RecordError::TooLong {
                    line: first,
                    limit: self.limit,
                }));
            }
            let text = self.buf.strip_suffix(b"\n").unwrap_or(&self.buf);
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            if text.iter().all(|b| matches!(b, b' ' | b'\t' | b',')) {
                continue;
            }
            return Some(match std::str::from_utf8(text) {
                Ok(text) => Ok(Record {
                    line: first,
                    text: text.to_owned(),
                }),
                Err(e) => {
                    let breaks = text.get(..e.valid_up_to()).unwrap_or_default();
                    let breaks = breaks.iter().filter(|&&b| b == b'\n').count();
                    Err(RecordError::NotUtf8 {
                        line: first.saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX)),
                    })
                }
            });
        }
        None
    }
}

impl<R: BufRead> FusedIterator for Records<R> {}

/// Whether a record's text so far ends inside a quoted cell, so that its
/// line break belongs to the cell. A quote opens a quoted cell only as the
/// cell's first character (as csv-core reads it): a stray quote inside a
/// cell (`5" screen`) does not join the next lines to the record; the cell
/// itself is then refused with its place.
#[derive(Debug, Clone, Copy)]
struct Quotes {
    /// Inside a quoted cell.
    open: bool,
    /// At the start of a cell (after a comma, or at the record's start).
    cell_start: bool,
    /// Just after a quote that closed a quoted cell: a quote here is a
    /// doubled quote, and the cell goes on.
    closed: bool,
}

impl Default for Quotes {
    fn default() -> Self {
        Self {
            open: false,
            cell_start: true,
            closed: false,
        }
    }
}

impl Quotes {
    fn read(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.open {
                if b == b'"' {
                    self.open = false;
                    self.closed = true;
                }
                continue;
            }
            match b {
                b'"' if self.cell_start || self.closed => self.open = true,
                b',' => self.cell_start = true,
                _ => self.cell_start = false,
            }
            if b != b',' {
                self.cell_start = false;
            }
            self.closed = false;
        }
    }
}

const BOM: &[u8] = "\u{feff}".as_bytes();

/// The columns of a CSV file, each mapped to a header field or a fact.
#[derive(Debug, Clone)]
pub struct Header {
    columns: Vec<Column>,
}

/// One column: what it gives, and how its cells are read.
#[derive(Debug, Clone, Copy)]
struct Column {
    field: Field,
    kind: Kind,
}

/// How a cell's text becomes the value a facts file would have given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Number,
    Text,
}

impl Header {
    /// Reads the header record `text` (its spans point into it under the id
    /// `at`): each column is named for a fact of `ruleset` or for `name`,
    /// `id` or `recorded`, once.
    pub fn read(
        ruleset: &Ruleset,
        fields: &Fields,
        text: &str,
        at: FileId,
    ) -> Result<Header, Vec<Diagnostic>> {
        let mut columns = Vec::new();
        let mut errors = Vec::new();
        let split = cells(text, at, |cell| {
            let name = cell.content;
            let span = Span::new(at, cell.value.start, cell.value.end);
            let field = if name.is_empty() {
                errors.push(empty_column(text, at, &cell));
                None
            } else if let Some(field) = fields.get(name) {
                Some(field)
            } else {
                errors.push(unknown_column(ruleset, name, span));
                None
            };
            if let Some(field) = field {
                if columns.iter().any(|c: &Column| c.field == field) {
                    errors.push(
                        Diagnostic::error(
                            span,
                            format!("the column `{name}` is given twice"),
                            "given again here",
                        )
                        .with_help("name each column once: remove one of the two"),
                    );
                }
                let kind = match field {
                    Field::Fact(id) => match ruleset.fact(id).ty {
                        Type::Bool => Kind::Bool,
                        ty if ty.is_numeric() => Kind::Number,
                        _ => Kind::Text,
                    },
                    Field::Name | Field::Id | Field::Recorded => Kind::Text,
                };
                columns.push(Column { field, kind });
            }
        });
        match split {
            Err(problem) => return Err(vec![problem]),
            Ok(0) => errors.push(
                Diagnostic::error(Span::new(at, 0, 0), "the header names no columns", "empty")
                    .with_help("the first line names the columns, like id,name,staff"),
            ),
            Ok(_) => {}
        }
        if errors.is_empty() {
            Ok(Header { columns })
        } else {
            Err(errors)
        }
    }

    /// What each column gives, in order.
    pub fn fields(&self) -> impl ExactSizeIterator<Item = Field> + '_ {
        self.columns.iter().map(|c| c.field)
    }
}

/// A column with no name: the span of the comma beside it when it is empty.
fn empty_column(text: &str, at: FileId, cell: &Cell<'_>) -> Diagnostic {
    let raw = if cell.raw.is_empty() {
        match cell.raw.start.checked_sub(1) {
            Some(comma) => comma..cell.raw.start,
            None => 0..1.min(text.len()),
        }
    } else {
        cell.raw.clone()
    };
    let last = cell.raw.end == text.len();
    Diagnostic::error(
        Span::new(at, raw.start, raw.end),
        format!("column {} has no name", cell.index + 1),
        "no name",
    )
    .with_help(if last {
        "name each column for a fact, or for name, id or recorded; \
         a comma at the end of the header makes an empty column: remove it"
    } else {
        "name each column for a fact, or for name, id or recorded"
    })
}

/// A column that names neither a fact nor a header field. A column named
/// for a kind of item, or for one of its fields (`kind.field`), is told
/// that a CSV row cannot carry items.
fn unknown_column(ruleset: &Ruleset, name: &str, span: Span) -> Diagnostic {
    let (kind, field) = name
        .split_once('.')
        .map_or((name, None), |(k, f)| (k, Some(f)));
    let what = match (ruleset.kind_named(kind).map(|k| ruleset.kind(k)), field) {
        (Some(k), None) => Some((format!("the list of {}", k.many), k.name.as_str())),
        (Some(k), Some(_)) => Some((format!("a field of {}", k.many), k.name.as_str())),
        (None, _) if name == "items" => Some(("a list of items".to_string(), "KIND")),
        (None, _) => None,
    };
    if let Some((what, kind)) = what {
        return Diagnostic::error(
            span,
            format!("a CSV file cannot carry items: the column `{name}` is {what}"),
            "items in a CSV column",
        )
        .with_help(format!(
            "a CSV row holds one value per fact of the organisation: remove this column, and give \
             the items in JSON Lines (`\"items\": {{\"{kind}\": [{{…}}, …]}}` on each organisation's \
             line) or in YAML facts files"
        ));
    }
    let names = ruleset.organisation_facts().map(|(_, f)| f.name.as_str());
    let help = did_you_mean(name, names.chain(["name", "id", "recorded"])).unwrap_or_else(|| {
        "name each column for a fact of the ruleset, or for name, id or recorded \
         (`obligo missing --template` lists the facts)"
            .into()
    });
    Diagnostic::error(
        span,
        format!("unknown column `{name}`"),
        "not a fact of the ruleset",
    )
    .with_help(help)
}

/// Reads one row (`text`, starting on the `line`-th line of `file`) into
/// facts, by the columns of `header`. Spans in the problems point into
/// `text` under the id `at`.
pub fn read(
    ruleset: &Ruleset,
    header: &Header,
    file: &str,
    line: u32,
    text: &str,
    at: FileId,
) -> Result<Facts, Vec<RowProblem>> {
    let mut row = RowFacts::new(ruleset, file, line);
    let columns = header.columns.len();
    // Where the first cell past the last column starts, and the last cell.
    let (mut extra, mut last) = (None, 0..0);
    let split = cells(text, at, |cell| {
        match header.columns.get(cell.index) {
            Some(column) => {
                let span = Span::new(at, cell.value.start, cell.value.end);
                let text = cell.content;
                if column.kind == Kind::Text && !text.is_empty() && text != "null" {
                    // Read without a copy when it is what the fact wants.
                    row.set_text(column.field, text, span, span);
                } else if let Some(raw) = scalar(column.kind, text) {
                    row.set(column.field, raw, span, span);
                }
            }
            None => {
                extra.get_or_insert(cell.raw.start);
            }
        }
        last = cell.raw;
    });
    let whole = |diagnostic| {
        Err(vec![RowProblem {
            field: None,
            diagnostic,
        }])
    };
    match split {
        Err(problem) => whole(problem),
        Ok(count) if count != columns => whole(wrong_count(text, at, count, columns, extra, last)),
        Ok(_) => row.finish_fields(),
    }
}

/// The value a facts file would have given for a cell, or `None` for an
/// empty cell (the fact not given).
fn scalar(kind: Kind, text: &str) -> Option<RawScalar> {
    if text.is_empty() {
        return None;
    }
    if text == "null" {
        return Some(RawScalar::Null);
    }
    Some(match kind {
        Kind::Bool => match text {
            t if t.eq_ignore_ascii_case("true") => RawScalar::Bool(true),
            t if t.eq_ignore_ascii_case("false") => RawScalar::Bool(false),
            _ => RawScalar::Str(text.to_owned()),
        },
        Kind::Number => match text.parse::<i64>() {
            Ok(n) => RawScalar::Int(n),
            Err(_) => match text.parse::<f64>() {
                Ok(f) if f.is_finite() => RawScalar::Float(f),
                _ => RawScalar::Str(text.to_owned()),
            },
        },
        Kind::Text => RawScalar::Str(text.to_owned()),
    })
}

/// A row with more or fewer cells than the header has columns.
fn wrong_count(
    text: &str,
    at: FileId,
    count: usize,
    columns: usize,
    extra: Option<usize>,
    last: Range<usize>,
) -> Diagnostic {
    let message = format!(
        "this row has {count} {}, but the header has {columns} {}",
        plural(count, "cell", "cells"),
        plural(columns, "column", "columns"),
    );
    match extra {
        Some(start) => {
            let help = if count == columns + 1 && last.is_empty() {
                "remove the comma at the end of the row"
            } else {
                "give one cell for each column, in the header's order; \
                 a cell holding a comma goes in quotes, like \"Smith, Jones\""
            };
            let start = if last.is_empty() && count == columns + 1 {
                start.saturating_sub(1)
            } else {
                start
            };
            Diagnostic::error(
                Span::new(at, start, text.len()),
                message,
                "past the last column",
            )
            .with_help(help)
        }
        None => Diagnostic::error(
            Span::new(at, last.start, last.end),
            message,
            if count == 0 {
                "the row is empty".to_string()
            } else {
                format!("the row ends with this cell, under column {count}")
            },
        )
        .with_help(
            "give one cell for each column, in the header's order; \
             leave a cell empty (,,) for a fact that is not known",
        ),
    }
}

fn plural<'a>(n: usize, one: &'a str, more: &'a str) -> &'a str {
    if n == 1 { one } else { more }
}

/// One cell of a record.
struct Cell<'a> {
    /// Its place in the record, from 0.
    index: usize,
    /// Its written text, quotes included.
    raw: Range<usize>,
    /// What it holds: its quotes taken off, trimmed.
    content: &'a str,
    /// Where that is written: inside the quotes, trimmed.
    value: Range<usize>,
}

/// Splits the record `text` into its cells, giving each to `each` in
/// order. The number of cells, or the first problem with the quotes (after
/// which the cells cannot be told apart).
fn cells(text: &str, at: FileId, each: impl FnMut(Cell<'_>)) -> Result<usize, Diagnostic> {
    let start = if text.starts_with('\u{feff}') {
        BOM.len()
    } else {
        0
    };
    if text.len() == start {
        Ok(0)
    } else if text.contains('"') || text.contains('\n') {
        SPLITTER.with(|splitter| match splitter.try_borrow_mut() {
            Ok(mut splitter) => {
                splitter.parser.reset();
                quoted(&mut splitter, text, start, at, each)
            }
            // Only if `each` itself splits a record.
            Err(_) => quoted(&mut Splitter::new(), text, start, at, each),
        })
    } else {
        Ok(plain(text, start, each))
    }
}

/// The cells of a record without quotes or line breaks: what lies between
/// its commas, as csv-core would find them, found faster.
fn plain(text: &str, start: usize, mut each: impl FnMut(Cell<'_>)) -> usize {
    let mut pos = start;
    let mut count = 0;
    for (index, written) in text.get(start..).unwrap_or_default().split(',').enumerate() {
        let raw = pos..pos + written.len();
        pos = raw.end + 1;
        count = index + 1;
        let (content, value) = trimmed(written, raw.start);
        each(Cell {
            index,
            raw,
            content,
            value,
        });
    }
    count
}

/// csv-core's parser and the content of a quoted cell, kept for each
/// thread: building a parser takes some 20 µs, and a copy of a built one
/// does not work (csv-core 0.1.13 copies only part of its tables).
struct Splitter {
    parser: csv_core::Reader,
    unescaped: Vec<u8>,
}

impl Splitter {
    fn new() -> Self {
        Self {
            // Only `\n` ends a record: [`Records`] cuts records there.
            parser: ReaderBuilder::new()
                .terminator(Terminator::Any(b'\n'))
                .build(),
            unescaped: Vec::new(),
        }
    }
}

thread_local! {
    static SPLITTER: RefCell<Splitter> = RefCell::new(Splitter::new());
}

/// The cells of a record with quotes, split by csv-core from `start`, each
/// with the place it is written at in `text`.
fn quoted(
    splitter: &mut Splitter,
    text: &str,
    start: usize,
    at: FileId,
    mut each: impl FnMut(Cell<'_>),
) -> Result<usize, Diagnostic> {
    let Splitter { parser, unescaped } = splitter;
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut index = 0;
    loop {
        let start = pos;
        let rest = bytes.get(start..).unwrap_or_default();
        let (result, used, written, at_end) = field(parser, rest, unescaped);
        let record_end = match result {
            ReadFieldResult::Field { record_end } => record_end,
            _ => return Ok(index),
        };
        pos += used;
        // The comma or line break that ends a cell is not part of it.
        let raw = start..if at_end { pos } else { pos.saturating_sub(1) };
        let written_text = bytes.get(raw.clone()).unwrap_or_default();
        let (content, inside) = if written_text.first() == Some(&b'"') {
            let close = closing_quote(text, at, raw.clone())?;
            let content = unescaped.get(..written).unwrap_or_default();
            (
                std::str::from_utf8(content).unwrap_or_default(),
                raw.start + 1..close,
            )
        } else {
            if let Some(quote) = written_text.iter().position(|&b| b == b'"') {
                return Err(stray_quote(at, written_text, raw.start + quote));
            }
            (text.get(raw.clone()).unwrap_or_default(), raw.clone())
        };
        let (_, value) = trimmed(text.get(inside.clone()).unwrap_or_default(), inside.start);
        each(Cell {
            index,
            raw,
            content: content.trim(),
            value,
        });
        index += 1;
        if record_end {
            if pos < bytes.len() {
                return Err(Diagnostic::error(
                    Span::new(at, pos.saturating_sub(1), pos),
                    "this row has a line break outside quotes",
                    "the row ends here",
                )
                .with_help(
                    "give each row on one line; a cell holding a line break goes in quotes",
                ));
            }
            return Ok(index);
        }
    }
}

/// Reads one field of `input` into `out` (grown as needed): the result,
/// bytes read, bytes written, and whether the field ended with the input
/// rather than at a comma or line break.
fn field(
    parser: &mut csv_core::Reader,
    input: &[u8],
    out: &mut Vec<u8>,
) -> (ReadFieldResult, usize, usize, bool) {
    let (mut used, mut written) = (0, 0);
    loop {
        if written == out.len() {
            out.resize((out.len() * 2).max(64), 0);
        }
        let rest = input.get(used..).unwrap_or_default();
        let space = out.get_mut(written..).unwrap_or_default();
        let (result, read, wrote) = parser.read_field(rest, space);
        used += read;
        written += wrote;
        match result {
            // Room is made above; an empty input, given next, ends the field.
            ReadFieldResult::OutputFull => {}
            ReadFieldResult::InputEmpty if !rest.is_empty() => {}
            other => return (other, used, written, rest.is_empty()),
        }
    }
}

/// The closing quote of the quoted cell written at `raw`: its last byte,
/// with every quote inside it doubled.
fn closing_quote(text: &str, at: FileId, raw: Range<usize>) -> Result<usize, Diagnostic> {
    let bytes = text.as_bytes().get(raw.clone()).unwrap_or_default();
    let mut i = 1;
    while let Some(offset) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'"'))
    {
        i += offset;
        if bytes.get(i + 1) == Some(&b'"') {
            i += 2;
            continue;
        }
        if i + 1 == bytes.len() {
            return Ok(raw.start + i);
        }
        let after = bytes.get(i + 1..).unwrap_or_default();
        let help = if after.iter().all(|&b| b == b' ' || b == b'\t') {
            "remove the spaces after the closing quote"
        } else {
            "a quote inside a quoted cell is written twice, like \"5\"\" screen\""
        };
        return Err(Diagnostic::error(
            Span::new(at, raw.start + i, raw.start + i + 1),
            "text follows the closing quote of this cell",
            "the cell's quotes end here",
        )
        .with_help(help));
    }
    Err(Diagnostic::error(
        Span::new(at, raw.start, raw.start + 1),
        "this quoted cell is never closed",
        "opened here",
    )
    .with_help(
        "end the cell with a `\"`; a quote inside it is written twice, like \"5\"\" screen\"",
    ))
}

/// A quote inside a cell that does not start with one.
fn stray_quote(at: FileId, written: &[u8], quote: usize) -> Diagnostic {
    let help = if written.trim_ascii_start().first() == Some(&b'"') {
        "remove the spaces before the opening quote: a quote opens a quoted cell \
         only as the cell's first character"
    } else {
        "put the whole cell in quotes and write the quote twice, like \"5\"\" screen\""
    };
    Diagnostic::error(
        Span::new(at, quote, quote + 1),
        "this cell holds a `\"` but is not in quotes",
        "a quote in a cell not in quotes",
    )
    .with_help(help)
}

/// `written`, found at `start`, without the white space at its ends, and
/// where that is.
fn trimmed(written: &str, start: usize) -> (&str, Range<usize>) {
    let rest = written.trim_start();
    let start = start + (written.len() - rest.len());
    let kept = rest.trim_end();
    (kept, start..start + kept.len())
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::facts::Slot;
    use crate::model::FactId;
    use crate::source::{SourceFile, SourceMap};
    use crate::value::Value;

    const RULES: &str = r#"ruleset t "T" version "t.1" published 2020-01-01
authority contract "The contract" binding
source s "Source" by contract published 2020-01-01
fact in_england: bool "In England" ask "In England?"
fact staff: count "Staff" ask "How many staff?"
fact score: number, optional "Score" ask "Score?"
fact excluded: percent "Excluded" ask "Excluded?"
fact opened: date, optional "Opened" ask "Opened?"
fact paused_at: datetime, optional "Paused" ask "Paused?"
fact last_month: month, optional "Month" ask "Month?"
fact notes: text, optional "Notes" ask "Notes?"
fact supplier: one of EMIS, TPP "Supplier" ask "Supplier?"
obligation r "R" by contract
  version from 2020-01-01 published 2020-01-01 cites s
    applies when in_england and supplier = EMIS
    deadline 2021-01-01
    met when staff > 1 and score > 1 and excluded < 50% and notes is set and paused_at is set and last_month is set
    met on opened
"#;

    fn ruleset() -> Ruleset {
        crate::api::load_text("t.obl", RULES).unwrap()
    }

    /// A whole CSV file read as a batch would read it: each record a part
    /// of the file in `sources`, the header first.
    struct Read {
        sources: SourceMap,
        /// The header's problems, or each row's facts or problems.
        rows: Result<Vec<Result<Facts, Vec<Diagnostic>>>, Vec<Diagnostic>>,
    }

    fn read_csv(ruleset: &Ruleset, csv: &str) -> Read {
        let fields = Fields::new(ruleset);
        let mut sources = SourceMap::default();
        let mut records = Records::new(csv.as_bytes());
        let first = records.next().unwrap().unwrap();
        let part = |sources: &mut SourceMap, r: &Record| {
            sources.add_file(SourceFile::part(
                "rows.csv",
                r.text.as_str(),
                r.line as usize,
            ))
        };
        let at = part(&mut sources, &first);
        let rows = match Header::read(ruleset, &fields, &first.text, at) {
            Err(e) => Err(e),
            Ok(header) => Ok(records
                .map(|r| {
                    let r = r.unwrap();
                    let at = part(&mut sources, &r);
                    read(ruleset, &header, "rows.csv", r.line, &r.text, at)
                        .map_err(|e| e.into_iter().map(|p| p.diagnostic).collect())
                })
                .collect()),
        };
        Read { sources, rows }
    }

    impl Read {
        fn row(&self, i: usize) -> &Facts {
            match &self.rows {
                Ok(rows) => match &rows[i] {
                    Ok(facts) => facts,
                    Err(e) => panic!("{}", self.render(e)),
                },
                Err(e) => panic!("{}", self.render(e)),
            }
        }

        /// The problems of row `i` (or of the header), rendered.
        fn problems(&self, i: usize) -> String {
            match &self.rows {
                Ok(rows) => match &rows[i] {
                    Ok(_) => panic!("row {i} has no problems"),
                    Err(e) => self.render(e),
                },
                Err(e) => self.render(e),
            }
        }

        fn render(&self, problems: &[Diagnostic]) -> String {
            problems.iter().map(|d| d.render(&self.sources)).collect()
        }
    }

    fn slot<'f>(ruleset: &Ruleset, facts: &'f Facts, name: &str) -> &'f Slot {
        facts.slot(ruleset.fact_named(name).unwrap())
    }

    fn value(ruleset: &Ruleset, facts: &Facts, name: &str) -> Value {
        match slot(ruleset, facts, name) {
            Slot::Given { value, .. } => value.clone(),
            Slot::Absent => panic!("`{name}` is absent"),
        }
    }

    #[test]
    fn a_good_row_fills_each_slot_with_its_type() {
        let rs = ruleset();
        let csv = "id,name,recorded,in_england,staff,score,excluded,opened,paused_at,last_month,notes,supplier\n\
                   007, Practice A ,2024-03-01,TRUE,12,2.5,60%,2023-10-31,2022-11-04T16:30,2023-02,\"Smith, Jones\",EMIS\n";
        let read = read_csv(&rs, csv);
        let facts = read.row(0);
        assert_eq!(facts.id.as_deref(), Some("007"));
        assert_eq!(facts.name.as_deref(), Some("Practice A"));
        assert_eq!(facts.recorded, NaiveDate::from_ymd_opt(2024, 3, 1));
        assert_eq!(facts.file, "rows.csv");
        assert_eq!(value(&rs, facts, "in_england"), Value::Bool(true));
        assert_eq!(value(&rs, facts, "staff"), Value::Number(12.0));
        assert_eq!(value(&rs, facts, "score"), Value::Number(2.5));
        assert_eq!(value(&rs, facts, "excluded"), Value::Number(0.6));
        assert_eq!(
            value(&rs, facts, "opened"),
            Value::Date(NaiveDate::from_ymd_opt(2023, 10, 31).unwrap())
        );
        assert!(matches!(value(&rs, facts, "paused_at"), Value::DateTime(_)));
        assert_eq!(
            value(&rs, facts, "last_month"),
            Value::Date(NaiveDate::from_ymd_opt(2023, 2, 1).unwrap())
        );
        assert_eq!(
            value(&rs, facts, "notes"),
            Value::Text(std::sync::Arc::new("Smith, Jones".into()))
        );
        assert_eq!(value(&rs, facts, "supplier"), Value::Variant(0));
        // The line a fact is cited on is the row's.
        assert_eq!(
            slot(&rs, facts, "staff"),
            &Slot::Given {
                value: Value::Number(12.0),
                line: Some(2)
            }
        );
    }

    #[test]
    fn spreadsheet_booleans_and_plain_numbers_are_read_as_a_facts_file_reads_them() {
        let rs = ruleset();
        let csv = "in_england,staff,score,excluded\nFalse,0,7,40\ntrue, 3 ,-1.25,12.5\n";
        let read = read_csv(&rs, csv);
        let (a, b) = (read.row(0), read.row(1));
        assert_eq!(value(&rs, a, "in_england"), Value::Bool(false));
        assert_eq!(value(&rs, a, "staff"), Value::Number(0.0));
        assert_eq!(value(&rs, a, "score"), Value::Number(7.0));
        assert_eq!(value(&rs, a, "excluded"), Value::Number(0.4));
        assert_eq!(value(&rs, b, "in_england"), Value::Bool(true));
        assert_eq!(value(&rs, b, "staff"), Value::Number(3.0));
        assert_eq!(value(&rs, b, "score"), Value::Number(-1.25));
        assert_eq!(value(&rs, b, "excluded"), Value::Number(0.125));
    }

    #[test]
    fn an_empty_cell_is_not_given_and_null_is_known_empty() {
        let rs = ruleset();
        let read = read_csv(&rs, "id,staff,opened,notes\nA1,,null,  \nA2, ,\"\",null\n");
        let a = read.row(0);
        assert_eq!(slot(&rs, a, "staff"), &Slot::Absent);
        assert_eq!(value(&rs, a, "opened"), Value::Null);
        assert_eq!(slot(&rs, a, "notes"), &Slot::Absent);
        let b = read.row(1);
        assert_eq!(slot(&rs, b, "staff"), &Slot::Absent);
        assert_eq!(slot(&rs, b, "opened"), &Slot::Absent);
        assert_eq!(value(&rs, b, "notes"), Value::Null);
        // An id left empty is not given either.
        let read = read_csv(&rs, "id,staff\n,3\nnull,4\n");
        assert_eq!(read.row(0).id, None);
        assert_eq!(read.row(1).id, None);
    }

    #[test]
    fn null_for_a_required_fact_is_refused_where_it_is_written() {
        let rs = ruleset();
        let read = read_csv(&rs, "id,staff\nA1, null\n");
        let out = read.problems(0);
        assert!(out.contains("`staff` cannot be empty"), "{out}");
        assert!(out.contains("rows.csv:2:5"), "{out}");
    }

    #[test]
    fn yes_for_a_bool_has_the_words_of_a_facts_file() {
        let rs = ruleset();
        let read = read_csv(&rs, "id,in_england,staff\nA1,yes,abc\n");
        let out = read.problems(0);
        assert!(
            out.contains("`in_england` should be true or false: write `true` for `yes`"),
            "{out}"
        );
        assert!(out.contains("with true for yes, false for no"), "{out}");
        assert!(out.contains("rows.csv:2:4"), "{out}");
        // Every problem of the row at once.
        assert!(
            out.contains("`staff` should be a whole number, not `abc`"),
            "{out}"
        );
        assert!(out.contains("rows.csv:2:8"), "{out}");
    }

    #[test]
    fn a_quoted_cell_may_hold_commas_quotes_and_line_breaks() {
        let rs = ruleset();
        let csv = "id,notes,staff\nA1,\"Smith, Jones\nsaid \"\"no\"\"\",3\nA2,plain,x\n";
        let read = read_csv(&rs, csv);
        let a = read.row(0);
        assert_eq!(
            value(&rs, a, "notes"),
            Value::Text(std::sync::Arc::new("Smith, Jones\nsaid \"no\"".into()))
        );
        assert_eq!(value(&rs, a, "staff"), Value::Number(3.0));
        // The next row starts on line 4, and says so.
        let out = read.problems(1);
        assert!(out.contains("rows.csv:4:10"), "{out}");
    }

    #[test]
    fn a_value_after_a_line_break_in_a_quoted_cell_is_placed_on_its_line() {
        let rs = ruleset();
        let read = read_csv(&rs, "notes,staff\n\"two\nlines\",many\n");
        let out = read.problems(0);
        assert!(out.contains("rows.csv:3:8"), "{out}");
    }

    #[test]
    fn a_row_with_too_many_or_too_few_cells_is_refused_with_the_counts() {
        let rs = ruleset();
        let read = read_csv(&rs, "id,staff,score\nA1,3\nA2,3,4,5,6\nA3,3,4,\n");
        let out = read.problems(0);
        assert!(
            out.contains("this row has 2 cells, but the header has 3 columns"),
            "{out}"
        );
        assert!(out.contains("rows.csv:2:4"), "{out}");
        assert!(out.contains("leave a cell empty (,,)"), "{out}");
        let out = read.problems(1);
        assert!(
            out.contains("this row has 5 cells, but the header has 3 columns"),
            "{out}"
        );
        assert!(out.contains("rows.csv:3:8"), "{out}");
        // A comma at the end makes one cell too many, and is named.
        let out = read.problems(2);
        assert!(
            out.contains("this row has 4 cells, but the header has 3 columns"),
            "{out}"
        );
        assert!(out.contains("rows.csv:4:7"), "{out}");
        assert!(
            out.contains("remove the comma at the end of the row"),
            "{out}"
        );
    }

    #[test]
    fn an_unknown_column_is_placed_with_the_name_meant() {
        let rs = ruleset();
        let read = read_csv(&rs, "id,stafff,nmae\nA1,3,x\n");
        let out = read.problems(0);
        assert!(out.contains("unknown column `stafff`"), "{out}");
        assert!(out.contains("did you mean `staff`?"), "{out}");
        assert!(out.contains("rows.csv:1:4"), "{out}");
        assert!(out.contains("unknown column `nmae`"), "{out}");
        assert!(out.contains("did you mean `name`?"), "{out}");
        assert!(out.contains("rows.csv:1:11"), "{out}");
    }

    #[test]
    fn a_column_given_twice_or_without_a_name_is_refused() {
        let rs = ruleset();
        let out = read_csv(&rs, "id,staff, staff\n").problems(0);
        assert!(out.contains("the column `staff` is given twice"), "{out}");
        assert!(out.contains("rows.csv:1:11"), "{out}");
        let out = read_csv(&rs, "id,,staff,\n").problems(0);
        assert!(out.contains("column 2 has no name"), "{out}");
        assert!(out.contains("rows.csv:1:3"), "{out}");
        assert!(out.contains("column 4 has no name"), "{out}");
        assert!(out.contains("rows.csv:1:10"), "{out}");
        assert!(out.contains("a comma at the end of the header"), "{out}");
    }

    #[test]
    fn quotes_that_do_not_pair_up_are_placed() {
        let rs = ruleset();
        // A quote inside a cell that is not in quotes.
        let out = read_csv(&rs, "id,notes\nA1,5\" screen\n").problems(0);
        assert!(out.contains("holds a `\"` but is not in quotes"), "{out}");
        assert!(out.contains("rows.csv:2:5"), "{out}");
        // A space before the opening quote.
        let out = read_csv(&rs, "id,notes\nA1, \"x\"\n").problems(0);
        assert!(
            out.contains("remove the spaces before the opening quote"),
            "{out}"
        );
        // Text after the closing quote.
        let out = read_csv(&rs, "id,notes\nA1,\"x\"y\n").problems(0);
        assert!(out.contains("text follows the closing quote"), "{out}");
        assert!(out.contains("rows.csv:2:6"), "{out}");
        // A quoted cell never closed runs to the end of the file.
        let out = read_csv(&rs, "id,notes\nA1,\"open\nA2,x\n").problems(0);
        assert!(out.contains("this quoted cell is never closed"), "{out}");
        assert!(out.contains("rows.csv:2:4"), "{out}");
    }

    #[test]
    fn a_line_break_outside_quotes_is_refused_by_read() {
        let rs = ruleset();
        let fields = Fields::new(&rs);
        let header = Header::read(&rs, &fields, "id,staff", FileId(0)).unwrap();
        let e = read(&rs, &header, "rows.csv", 2, "A1,3\nA2,4", FileId(0)).unwrap_err();
        assert_eq!(
            e[0].diagnostic.message,
            "this row has a line break outside quotes"
        );
        assert_eq!(e[0].diagnostic.span, Some(Span::new(FileId(0), 4, 5)));
    }

    #[test]
    fn a_byte_order_mark_and_crlf_line_breaks_are_read() {
        let rs = ruleset();
        let csv = "\u{feff}id,notes,staff\r\nA1,\"a\r\nb\",3\r\n\r\nA2,x,y\r\n";
        let read = read_csv(&rs, csv);
        let a = read.row(0);
        assert_eq!(a.id.as_deref(), Some("A1"));
        assert_eq!(
            value(&rs, a, "notes"),
            Value::Text(std::sync::Arc::new("a\r\nb".into()))
        );
        assert_eq!(value(&rs, a, "staff"), Value::Number(3.0));
        let out = read.problems(1);
        assert!(out.contains("rows.csv:5:6"), "{out}");
        assert!(!out.contains('\r'), "{out:?}");
    }

    #[test]
    fn records_skip_blank_and_empty_rows_and_count_lines() {
        let csv = "\u{feff}a,b\n\n  \n,,\n1,\"x\ny\"\n\r\n2,3";
        let records: Vec<Record> = Records::new(csv.as_bytes()).map(Result::unwrap).collect();
        let expected = [(1, "a,b"), (5, "1,\"x\ny\""), (8, "2,3")];
        let got: Vec<(u32, &str)> = records.iter().map(|r| (r.line, r.text.as_str())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn a_record_over_the_limit_is_reported_and_skipped() {
        let long = "x".repeat(100);
        let csv = format!("a,b\n\"{long}\n{long}\",1\n\"{long}\",2\n3,4\n");
        let items: Vec<_> = Records::with_limit(csv.as_bytes(), 150).collect();
        assert_eq!(items.len(), 4);
        assert_eq!(items[0].as_ref().unwrap().text, "a,b");
        assert!(matches!(
            items[1],
            Err(RecordError::TooLong {
                line: 2,
                limit: 150
            })
        ));
        assert_eq!(items[2].as_ref().unwrap().line, 4);
        assert_eq!(items[3].as_ref().unwrap().text, "3,4");
        let d = items[1].as_ref().unwrap_err().diagnostic("rows.csv");
        assert_eq!(
            d.message,
            "the record on line 2 of `rows.csv` is longer than 150 bytes"
        );
    }

    #[test]
    fn a_line_longer_than_the_limit_is_not_kept() {
        // One line of 4 MiB, read through a small buffer: reported, and the
        // record after it read.
        let csv = format!("{}\nnext\n", "y".repeat(4 << 20));
        let input = io::BufReader::with_capacity(4096, csv.as_bytes());
        let mut records = Records::new(input);
        assert!(matches!(
            records.next(),
            Some(Err(RecordError::TooLong { line: 1, .. }))
        ));
        assert!(records.buf.capacity() <= RECORD_LIMIT + 4096);
        assert_eq!(records.next().unwrap().unwrap().text, "next");
        assert!(records.next().is_none());
    }

    #[test]
    fn a_record_that_is_not_utf8_is_reported_with_its_line() {
        let csv: &[u8] = b"a,b\n\"x\ny\xe9\",1\n2,3\n";
        let items: Vec<_> = Records::new(csv).collect();
        assert!(matches!(items[1], Err(RecordError::NotUtf8 { line: 3 })));
        assert_eq!(items[2].as_ref().unwrap().text, "2,3");
    }

    #[test]
    fn a_read_error_ends_the_records() {
        struct Failing;
        impl io::Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk gone"))
            }
        }
        let mut records = Records::new(io::BufReader::new(Failing));
        assert!(matches!(records.next(), Some(Err(RecordError::Io(_)))));
        assert!(records.next().is_none());
    }

    #[test]
    fn the_header_lists_its_fields_in_order() {
        let rs = ruleset();
        let fields = Fields::new(&rs);
        let header = Header::read(&rs, &fields, "id,\"staff\",name", FileId(0)).unwrap();
        let none = Header::read(&rs, &fields, "", FileId(0)).unwrap_err();
        assert_eq!(none[0].message, "the header names no columns");
        let staff = FactId(1);
        assert_eq!(rs.fact_named("staff"), Some(staff));
        let got: Vec<Field> = header.fields().collect();
        assert_eq!(got, [Field::Id, Field::Fact(staff), Field::Name]);
    }

    proptest::proptest! {
        #[test]
        fn a_record_without_quotes_is_cut_as_csv_core_cuts_it(
            parts in proptest::collection::vec(
                proptest::prop_oneof!["a", "b", " ", ",", "\t", "\r", "é"],
                1..30,
            )
        ) {
            let text = parts.concat();
            let mut direct = Vec::new();
            plain(&text, 0, |c| direct.push((c.index, c.raw, c.content.to_owned(), c.value)));
            let mut by_csv_core = Vec::new();
            let count = quoted(&mut Splitter::new(), &text, 0, FileId(0), |c| {
                by_csv_core.push((c.index, c.raw, c.content.to_owned(), c.value));
            });
            proptest::prop_assert_eq!(count, Ok(direct.len()));
            proptest::prop_assert_eq!(direct, by_csv_core);
        }
    }
}
