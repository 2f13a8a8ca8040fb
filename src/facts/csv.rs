//! Organisations from a CSV file: a header naming a column for each fact,
//! then one row per organisation.
//!
//! [`Records`] cuts a stream into records, each with its first line in the
//! file.

use std::io::{self, BufRead};
use std::iter::FusedIterator;

use crate::diagnostic::Diagnostic;

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
    fn read_line(&mut self, quotes: &mut usize, over: &mut bool) -> io::Result<bool> {
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
            *quotes += part.iter().filter(|&&b| b == b'"').count();
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
            let (mut quotes, mut over, mut any) = (0, false, false);
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
                        if quotes % 2 == 0 {
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

const BOM: &[u8] = "\u{feff}".as_bytes();

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

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
}
