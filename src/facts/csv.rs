//! Placeholder until the CSV reader lands.

use super::Facts;
use super::row::Fields;
use crate::diagnostic::Diagnostic;
use crate::model::Ruleset;
use crate::source::FileId;

/// A CSV input's columns.
#[derive(Debug)]
pub struct Header;

impl Header {
    /// Reads a header row.
    pub fn read(
        _ruleset: &Ruleset,
        _fields: &Fields,
        _text: &str,
        _at: FileId,
    ) -> Result<Header, Vec<Diagnostic>> {
        Err(vec![Diagnostic::bare("CSV is not read yet")])
    }
}

/// Reads a row.
pub fn read(
    _ruleset: &Ruleset,
    _header: &Header,
    _file: &str,
    _line: u32,
    _text: &str,
    _at: FileId,
) -> Result<Facts, Vec<Diagnostic>> {
    Err(vec![Diagnostic::bare("CSV is not read yet")])
}
