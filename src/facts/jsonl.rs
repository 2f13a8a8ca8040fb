//! One organisation from one line of JSON Lines: a JSON object with the
//! facts file's header fields and facts as keys, either flat
//! (`{"id": "ZZ0101", "staff": 12}`) or nested as in a facts file
//! (`{"organisation": {"id": …}, "facts": {"staff": 12}}`).
//!
//! The line is read by serde_json straight into the typed slots: each value
//! is borrowed from the line as it is written ([`RawValue`]), so its place
//! is known for a message without building a JSON tree.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::Facts;
use super::raw::RawScalar;
use super::row::{Field, Fields, RowFacts, RowProblem};
use crate::diagnostic::Diagnostic;
use crate::model::Ruleset;
use crate::source::{FileId, Span};

/// Reads one line (`text`, the `line`-th of `file`) into facts. Spans in
/// the problems point into `text` under the id `at`.
pub fn read(
    ruleset: &Ruleset,
    fields: &Fields,
    file: &str,
    line: u32,
    text: &str,
    at: FileId,
) -> Result<Facts, Vec<RowProblem>> {
    let mut row = RowFacts::new(ruleset, file, line);
    let reader = Reader {
        ruleset,
        fields,
        text,
        at,
    };
    match object(text) {
        Ok(pairs) => reader.top(&mut row, pairs),
        Err(e) => row.problem(syntax_error(text, at, &e)),
    }
    row.finish_fields()
}

struct Reader<'a> {
    ruleset: &'a Ruleset,
    fields: &'a Fields,
    text: &'a str,
    at: FileId,
}

impl Reader<'_> {
    fn top(&self, row: &mut RowFacts<'_>, pairs: Pairs<'_>) {
        for (key, value) in pairs {
            match key.as_ref() {
                "organisation" => self.nested(row, value, |reader, row, key, value| {
                    match reader.fields.get(key) {
                        Some(field @ (Field::Name | Field::Id | Field::Recorded)) => {
                            reader.set(row, field, key, value);
                        }
                        _ => row.problem_at(
                            Some(key),
                            Diagnostic::error(
                                reader.key_span(value),
                                format!("unknown organisation field `{key}`"),
                                "not a header field",
                            )
                            .with_help("the organisation's fields are name, id and recorded"),
                        ),
                    }
                }),
                "facts" => self.nested(row, value, |reader, row, key, value| {
                    match reader.fields.fact(reader.ruleset, key) {
                        Some(id) => reader.set(row, Field::Fact(id), key, value),
                        None => row.unknown(key, reader.key_span(value)),
                    }
                }),
                other => match self.fields.get(other) {
                    Some(field) => self.set(row, field, other, value),
                    None => row.unknown(other, self.key_span(value)),
                },
            }
        }
    }

    /// Reads a nested object (`organisation`, `facts`) pair by pair.
    fn nested(
        &self,
        row: &mut RowFacts<'_>,
        value: &RawValue,
        each: impl Fn(&Self, &mut RowFacts<'_>, &str, &RawValue),
    ) {
        match object(value.get()) {
            Ok(pairs) => {
                for (key, value) in pairs {
                    each(self, row, &key, value);
                }
            }
            Err(_) => row.problem(
                Diagnostic::error(self.span(value), "expected an object", "not an object")
                    .with_help("write it as an object of names and values, like {\"staff\": 12}"),
            ),
        }
    }

    fn set(&self, row: &mut RowFacts<'_>, field: Field, field_name: &str, value: &RawValue) {
        let (key, span) = (self.key_span(value), self.span(value));
        match serde_json::from_str::<RawScalar>(value.get()) {
            Ok(raw) => row.set(field, raw, key, span),
            Err(e) => row.problem_at(
                Some(field_name),
                Diagnostic::error(
                    span,
                    format!("this value cannot be read: {}", bare(&e)),
                    "here",
                )
                .with_help("write a number, true, false, null or a text in double quotes"),
            ),
        }
    }

    /// Where a value borrowed from the line is in it.
    fn offset(&self, value: &RawValue) -> usize {
        (value.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    fn span(&self, value: &RawValue) -> Span {
        let start = self.offset(value);
        Span::new(self.at, start, start + value.get().len())
    }

    /// The key before a value: back over `:` and white space to the
    /// closing quote, then to the opening one.
    fn key_span(&self, value: &RawValue) -> Span {
        let bytes = self.text.as_bytes();
        let mut i = self.offset(value);
        let back = |i: &mut usize, skip: &dyn Fn(u8) -> bool| {
            while *i > 0 && bytes.get(*i - 1).copied().is_some_and(skip) {
                *i -= 1;
            }
        };
        back(&mut i, &|b| b.is_ascii_whitespace() || b == b':');
        let end = i;
        if end > 0 {
            i = end - 1;
            while i > 0 {
                i -= 1;
                if bytes.get(i) == Some(&b'"') && (i == 0 || bytes.get(i - 1) != Some(&b'\\')) {
                    break;
                }
            }
        }
        Span::new(self.at, i, end.max(i + 1))
    }
}

/// An object's pairs in the order written, values borrowed from the text.
type Pairs<'a> = Vec<(Cow<'a, str>, &'a RawValue)>;

fn object(text: &str) -> Result<Pairs<'_>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let pairs = de::Deserializer::deserialize_map(&mut de, ObjectVisitor)?;
    de.end()?;
    Ok(pairs)
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Pairs<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key_seed(Key)? {
            let value: &'de RawValue = map.next_value()?;
            out.push((key, value));
        }
        Ok(out)
    }
}

/// A key, borrowed unless it has escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a name")
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_string()))
    }
}

/// A line that is not one JSON object.
fn syntax_error(text: &str, at: FileId, e: &serde_json::Error) -> Diagnostic {
    // serde_json counts lines and columns (in bytes) within the line.
    let line_start: usize = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let eof = e.classify() == serde_json::error::Category::Eof;
    // At the end of the text, point just past it: that is where it stops.
    let start = if eof {
        text.len()
    } else {
        (line_start + e.column().saturating_sub(1)).min(text.len())
    };
    let start = (0..=start)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let end = text
        .get(start..)
        .and_then(|rest| rest.chars().next())
        .map_or(start, |c| start + c.len_utf8());
    let (message, help) = if eof {
        (
            "this line ends before its JSON object does".to_string(),
            "close every quote, `}` and `]`: each line is one whole JSON object",
        )
    } else {
        (
            format!("this line is not a JSON object: {}", bare(e)),
            "write each organisation as one JSON object on one line, like {\"id\": \"ZZ0101\", \"staff\": 12}",
        )
    };
    Diagnostic::error(Span::new(at, start, end.max(start)), message, "here").with_help(help)
}

/// serde_json's message without its " at line 1 column 5".
fn bare(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_string(),
        None => text,
    }
}
