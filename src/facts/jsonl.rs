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
    let mut de = serde_json::Deserializer::from_str(text);
    let read = de::Deserializer::deserialize_map(
        &mut de,
        Object {
            reader: &reader,
            row: &mut row,
            part: Part::Top,
        },
    )
    .and_then(|()| de.end());
    if let Err(e) = read {
        // A line that is not JSON says only that: what was read of it
        // before may not be what was meant.
        let mut row = RowFacts::new(ruleset, file, line);
        row.problem(syntax_error(text, at, &e));
        return row.finish_fields();
    }
    row.finish_fields()
}

struct Reader<'a> {
    ruleset: &'a Ruleset,
    fields: &'a Fields,
    text: &'a str,
    at: FileId,
}

/// Which object of a line is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The line itself: header fields and facts, or the two objects below.
    Top,
    /// `organisation`: the header fields.
    Organisation,
    /// `facts`: the facts.
    Facts,
}

/// Reads an object of a line in one pass, each value straight into the
/// row (borrowed from the line for its place, never copied into a tree).
struct Object<'a, 'r> {
    reader: &'a Reader<'a>,
    row: &'a mut RowFacts<'r>,
    part: Part,
}

impl<'de> DeserializeSeed<'de> for Object<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Object<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.part {
            Part::Top => f.write_str("a JSON object, like {\"id\": \"ZZ0101\", \"staff\": 12}"),
            Part::Organisation => f.write_str("an object of name, id and recorded"),
            Part::Facts => f.write_str("an object of fact names and values"),
        }
    }
    /// `"facts": null` is no facts.
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        if self.part == Part::Top {
            return Err(E::invalid_type(de::Unexpected::Unit, &self));
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Self { reader, row, part } = self;
        while let Some(key) = map.next_key_seed(Key)? {
            let nested = match (part, key.as_ref()) {
                (Part::Top, "organisation") => Some(Part::Organisation),
                (Part::Top, "facts") => Some(Part::Facts),
                _ => None,
            };
            if let Some(part) = nested {
                map.next_value_seed(Object {
                    reader,
                    row: &mut *row,
                    part,
                })?;
                continue;
            }
            let value: &'de RawValue = map.next_value()?;
            reader.pair(row, part, &key, value);
        }
        Ok(())
    }
}

impl Reader<'_> {
    /// One name and value of an object.
    fn pair(&self, row: &mut RowFacts<'_>, part: Part, key: &str, value: &RawValue) {
        let field = match part {
            Part::Facts => self.fields.fact(self.ruleset, key).map(Field::Fact),
            Part::Top => self.fields.get(key),
            Part::Organisation => self
                .fields
                .get(key)
                .filter(|f| !matches!(f, Field::Fact(_)))
                .or_else(|| {
                    row.problem_at(
                        Some(key),
                        Diagnostic::error(
                            self.key_span(value),
                            format!("unknown organisation field `{key}`"),
                            "not a header field",
                        )
                        .with_help("the organisation's fields are name, id and recorded"),
                    );
                    None
                }),
        };
        match (field, part) {
            (Some(field), _) => self.set(row, field, key, value),
            (None, Part::Organisation) => {}
            (None, _) => row.unknown(key, self.key_span(value)),
        }
    }

    fn set(&self, row: &mut RowFacts<'_>, field: Field, field_name: &str, value: &RawValue) {
        let (key, span) = (self.key_span(value), self.span(value));
        let text = value.get();
        if let Some(plain) = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .filter(|t| !t.contains('\\'))
        {
            row.set_text(field, plain, key, span);
            return;
        }
        match scalar(text).map_or_else(|| serde_json::from_str::<RawScalar>(text), Ok) {
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

/// The common values read without a second pass of serde_json: `null`,
/// `true`, `false`, a text with no escapes, a number. The text is valid
/// JSON already (serde_json has read past it), so the cases are plain.
fn scalar(text: &str) -> Option<RawScalar> {
    match text.as_bytes().first()? {
        b'n' => Some(RawScalar::Null),
        b't' => Some(RawScalar::Bool(true)),
        b'f' => Some(RawScalar::Bool(false)),
        b'"' if !text.contains('\\') => {
            Some(RawScalar::Str(text.get(1..text.len() - 1)?.to_string()))
        }
        b'-' | b'0'..=b'9' => match text.parse::<i64>() {
            Ok(n) => Some(RawScalar::Int(n)),
            // Too large for an i64, or with a fraction or an exponent:
            // serde_json says how (and whether it is out of range).
            Err(_) => text
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(RawScalar::Float),
        },
        _ => None,
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
    } else if e.classify() == serde_json::error::Category::Data {
        (
            format!("this line's shape is not a row's: {}", bare(e)),
            "write each organisation as one JSON object, with its facts as names and values or under \"facts\", like {\"id\": \"ZZ0101\", \"facts\": {\"staff\": 12}}",
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
