//! One organisation from one line of JSON Lines: a JSON object with the
//! facts file's header fields and facts as keys, either flat
//! (`{"id": "ZZ0101", "staff": 12}`) or nested as in a facts file
//! (`{"organisation": {"id": …}, "facts": {"staff": 12}}`).
//!
//! The line is read by serde_json straight into the typed slots: each value
//! is borrowed from the line as it is written ([`RawValue`]), so its place
//! is known for a message without building a JSON tree.
//!
//! Items come under `items`, each kind's list as in a facts file
//! (`"items": {"sar": [{"id": "S-1", "received": "2024-01-10"}]}`), and are
//! checked by the facts file's checks (`items::item`). A row
//! without `items` knows no list: every `for each` rule is unknown.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::Facts;
use super::items::{self, Entry, MAX_ITEMS};
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
            if part == Part::Top && key == "items" {
                let value: &'de RawValue = map.next_value()?;
                reader.items(row, value);
                continue;
            }
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
            (None, _) if self.ruleset.kind_named(key).is_some() => row.problem_at(
                Some(key),
                Diagnostic::error(
                    self.key_span(value),
                    format!("`{key}` is a kind of item, not a fact"),
                    "not a fact",
                )
                .with_help(format!(
                    "give its list under `items`, as \"items\": {{\"{key}\": [{{…}}, …]}}"
                )),
            ),
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
        match self.raw(value) {
            Ok(raw) => row.set(field, raw, key, span),
            Err(d) => row.problem_at(Some(field_name), d),
        }
    }

    /// A value as a facts file would have given it.
    fn raw(&self, value: &RawValue) -> Result<RawScalar, Diagnostic> {
        let text = value.get();
        scalar(text)
            .map_or_else(|| serde_json::from_str::<RawScalar>(text), Ok)
            .map_err(|e| {
                Diagnostic::error(
                    self.span(value),
                    format!("this value cannot be read: {}", bare(&e)),
                    "here",
                )
                .with_help("write a number, true, false, null or a text in double quotes")
            })
    }

    /// `"items": {"kind": [{…}, …], …}`: each kind's list, checked item by
    /// item as a facts file's. Problems are about the kind (`field`).
    fn items(&self, row: &mut RowFacts<'_>, value: &RawValue) {
        if value.get() == "null" {
            return;
        }
        let Ok(Pairs(lists)) = serde_json::from_str::<Pairs<'_>>(value.get()) else {
            row.problem_at(
                Some("items"),
                Diagnostic::error(
                    self.span(value),
                    "`items` should be an object of kinds of item and their lists",
                    "not an object",
                )
                .with_help(
                    "write each kind's list under its name, like \"items\": {\"sar\": [{\"id\": \"S-1\"}]}",
                ),
            );
            return;
        };
        for (name, list) in lists {
            self.list(row, &name, list);
        }
    }

    /// One kind's list under `items`.
    fn list(&self, row: &mut RowFacts<'_>, name: &str, list: &RawValue) {
        let key_span = self.key_span(list);
        let Some(kind) = self.ruleset.kind_named(name) else {
            row.problem_at(
                Some(name),
                items::unknown_kind(self.ruleset, name, key_span),
            );
            return;
        };
        let k = self.ruleset.kind(kind);
        if row.has_items(kind) {
            row.problem_at(
                Some(name),
                Diagnostic::error(
                    key_span,
                    format!("the list of `{name}` is given twice"),
                    "given again",
                )
                .with_help("put every item in one list"),
            );
            return;
        }
        let elements = match list.get() {
            "null" => Err(Diagnostic::error(
                key_span,
                format!("the list of {} is blank", k.many),
                "no list",
            )
            .with_help(format!(
                "write `\"{name}\": []` if there are none; leave `{name}` out if you do not know"
            ))),
            text => serde_json::from_str::<Vec<&RawValue>>(text).map_err(|_| {
                Diagnostic::error(
                    self.span(list),
                    format!("`{name}` should be a list of {}", k.many),
                    "not a list",
                )
                .with_help(format!(
                    "write the items in square brackets, each an object of its fields: \"{name}\": [{{\"id\": \"…\", …}}]"
                ))
            }),
        };
        let elements = match elements {
            Ok(e) if e.len() > MAX_ITEMS => Err(Diagnostic::error(
                key_span,
                format!("the list of {} holds {} items", k.many, e.len()),
                "too many",
            )
            .with_help(format!("one list holds at most {MAX_ITEMS} items"))),
            other => other,
        };
        let elements = match elements {
            Ok(e) => e,
            Err(d) => return row.problem_at(Some(name), d),
        };
        let line = Some(row.line());
        let (mut ids, mut errors) = (HashMap::new(), Vec::new());
        let mut out = Vec::with_capacity(elements.len());
        for element in elements {
            let at = self.span(element);
            let Ok(Pairs(fields)) = serde_json::from_str::<Pairs<'_>>(element.get()) else {
                errors.push(
                    Diagnostic::error(
                        at,
                        format!("this {} is not an object of its fields", k.one),
                        "not an item",
                    )
                    .with_help(
                        "write each item as an object of its fields, like {\"id\": \"S-1\", …}",
                    ),
                );
                continue;
            };
            let mut entries = Vec::with_capacity(fields.len());
            for (key, value) in fields {
                match self.raw(value) {
                    Ok(raw) => entries.push(Entry {
                        key: key.into_owned(),
                        key_span: self.key_span(value),
                        value: raw,
                        span: self.span(value),
                        line,
                    }),
                    Err(d) => errors.push(d),
                }
            }
            if let Some(item) =
                items::item(self.ruleset, k, at, line, entries, &mut ids, &mut errors)
            {
                out.push(item);
            }
        }
        for d in errors {
            row.problem_at(Some(name), d);
        }
        row.set_items(kind, out);
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

/// A JSON object's names and values in order (a name given twice is
/// kept twice), each value borrowed from the line.
struct Pairs<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> de::Deserialize<'de> for Pairs<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Pairs<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key_seed(Key)? {
                    out.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_map(V)
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
