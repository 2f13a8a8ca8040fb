//! One organisation's facts from one row of a batch input (a JSON line, a
//! CSV row): the checks and the words of a facts file, with the row's own
//! positions. The readers of each format say where each value is; this
//! fills the slots.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::Item;
use super::raw::RawScalar;
use super::{
    DATE_HELP, Facts, Slot, bad_value, convert, parse_date, parse_datetime, parse_month, show,
    unknown_fact,
};
use crate::diagnostic::Diagnostic;
use crate::model::{FactId, KindId, Ruleset};
use crate::source::Span;
use crate::value::{Type, Value};

/// What a key of a row names: a header field or a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The organisation's name.
    Name,
    /// Its identifier (such as an ODS code).
    Id,
    /// When the facts were recorded.
    Recorded,
    /// A declared fact.
    Fact(FactId),
}

/// The keys a row may use, looked up once per run rather than per row.
/// Hashed with FNV-1a: a few short keys, of a ruleset the user chose, so
/// a fast hash (not SipHash, whose strength against chosen keys is not
/// needed here) is the right trade.
#[derive(Debug, Clone)]
pub struct Fields {
    by_name: HashMap<Box<str>, Field, BuildHasherDefault<Fnv>>,
}

/// The FNV-1a hash.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl Fields {
    /// The header fields and every fact of the organisation (not an item
    /// kind's list nor its fields: a row gives those under `items`). A
    /// fact named like a header field (`name`, `id`, `recorded`) is
    /// reached under `facts`.
    pub fn new(ruleset: &Ruleset) -> Self {
        let mut by_name: HashMap<Box<str>, Field, BuildHasherDefault<Fnv>> = HashMap::default();
        for (id, f) in ruleset.organisation_facts() {
            by_name.insert(f.name.as_str().into(), Field::Fact(id));
        }
        for (key, field) in HEADER {
            by_name.insert((*key).into(), *field);
        }
        Self { by_name }
    }

    /// What `key` names at the top of a row.
    pub fn get(&self, key: &str) -> Option<Field> {
        self.by_name.get(key).copied()
    }

    /// What `key` names among the facts only (under `facts`).
    pub fn fact(&self, ruleset: &Ruleset, key: &str) -> Option<FactId> {
        match self.get(key) {
            Some(Field::Fact(id)) => Some(id),
            Some(_) => ruleset.fact_named(key),
            None => None,
        }
    }
}

const HEADER: &[(&str, Field)] = &[
    ("name", Field::Name),
    ("id", Field::Id),
    ("recorded", Field::Recorded),
];

/// The facts of one row, filled value by value, with every problem kept
/// so that a row reports all its mistakes at once.
#[derive(Debug)]
pub struct RowFacts<'r> {
    ruleset: &'r Ruleset,
    facts: Facts,
    /// The row's first line in its file: the line its facts cite.
    line: u32,
    header_given: [bool; 3],
    errors: Vec<RowProblem>,
    /// Problems past [`MAX_PROBLEMS`], counted, not kept.
    more: usize,
}

/// The most problems kept for one row: a row with thousands of unknown
/// keys is told of the first, and how many more there are.
pub const MAX_PROBLEMS: usize = 20;

/// A problem of one row, with the field it is about when it is about one.
#[derive(Debug, Clone)]
pub struct RowProblem {
    /// The fact or header field (as written in the row), if any.
    pub field: Option<Box<str>>,
    /// What is wrong, where, and how to fix it.
    pub diagnostic: Diagnostic,
}

impl<'r> RowFacts<'r> {
    /// No values yet; `file` is what reports call the input, `line` is the
    /// row's first line in it.
    pub fn new(ruleset: &'r Ruleset, file: &str, line: u32) -> Self {
        Self {
            ruleset,
            facts: Facts {
                file: file.to_string(),
                name: None,
                id: None,
                recorded: None,
                sha256: None,
                slots: vec![Slot::Absent; ruleset.facts.len()],
                items: Vec::new(),
                schema: ruleset.schema,
            },
            line,
            header_given: [false; 3],
            errors: Vec::new(),
            more: 0,
        }
    }

    /// Sets `field` from the value at `span` (`key` spans the key, for a
    /// value given twice). `Null` for a header field leaves it unset.
    pub fn set(&mut self, field: Field, raw: RawScalar, key: Span, span: Span) {
        if self.given_before(field) {
            let name = self.name_of(field);
            self.push(
                Some(name),
                Diagnostic::error(key, format!("`{name}` is given twice"), "given again here")
                    .with_help("give each fact once in a row: remove one of the two"),
            );
            return;
        }
        let problem = match field {
            Field::Fact(id) => match convert(self.ruleset.fact(id), &raw) {
                Ok(value) => {
                    if let Some(slot) = self.facts.slots.get_mut(id.index()) {
                        *slot = Slot::Given {
                            value,
                            line: Some(self.line),
                        };
                    }
                    None
                }
                Err(problem) => Some(problem.relocate(span)),
            },
            Field::Name => match raw {
                RawScalar::Null => None,
                RawScalar::Str(s) => {
                    self.facts.name = Some(s);
                    None
                }
                RawScalar::Nested => Some(bad_value(
                    span,
                    "`name`",
                    "a list or mapping",
                    "a text",
                    "write the organisation's name as text, like \"Larkspur Lane Surgery\"",
                )),
                other => {
                    self.facts.name = Some(show(&other));
                    None
                }
            },
            Field::Id => match raw {
                RawScalar::Null => None,
                RawScalar::Str(s) => {
                    self.facts.id = Some(s);
                    None
                }
                RawScalar::Int(n) => {
                    self.facts.id = Some(n.to_string());
                    None
                }
                other => Some(bad_value(
                    span,
                    "`id`",
                    &show(&other),
                    "an identifier",
                    "write the organisation's identifier as text, like \"ZZ0101\"",
                )),
            },
            Field::Recorded => match &raw {
                RawScalar::Null => None,
                RawScalar::Str(s) if parse_date(s).is_some() => {
                    self.facts.recorded = parse_date(s);
                    None
                }
                other => Some(bad_value(
                    span,
                    "`recorded`",
                    &show(other),
                    "a date",
                    DATE_HELP,
                )),
            },
        };
        if let Some(d) = problem {
            let name = self.name_of(field);
            self.push(Some(name), d);
        }
    }

    /// [`RowFacts::set`] for a value written as text, read without copying
    /// it when it is what the fact wants (a date, a choice); any problem is
    /// worded by `set`, as for a facts file.
    pub fn set_text(&mut self, field: Field, text: &str, key: Span, span: Span) {
        if let Field::Fact(id) = field {
            let fact = self.ruleset.fact(id);
            let value = match fact.ty {
                Type::Date => parse_date(text).map(Value::Date),
                Type::Month => parse_month(text).map(Value::Date),
                Type::DateTime => parse_datetime(text).map(Value::DateTime),
                Type::Enum(_) => fact
                    .variants
                    .iter()
                    .position(|v| v == text)
                    .and_then(|i| u32::try_from(i).ok())
                    .map(Value::Variant),
                _ => None,
            };
            if let Some(value) = value {
                let given = matches!(self.facts.slots.get(id.index()), Some(Slot::Given { .. }));
                if !given {
                    if let Some(slot) = self.facts.slots.get_mut(id.index()) {
                        *slot = Slot::Given {
                            value,
                            line: Some(self.line),
                        };
                    }
                    return;
                }
            }
        }
        self.set(field, RawScalar::Str(text.to_string()), key, span);
    }

    /// The row's first line in its file.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// Whether the list of `kind` is given already in this row.
    pub(crate) fn has_items(&self, kind: KindId) -> bool {
        self.facts
            .items
            .get(kind.index())
            .is_some_and(Option::is_some)
    }

    /// Gives the list of `kind`: the row's items of that kind, known.
    pub(crate) fn set_items(&mut self, kind: KindId, list: Vec<Item>) {
        let kinds = self.ruleset.kinds.len();
        if self.facts.items.len() < kinds {
            self.facts.items.resize(kinds, None);
        }
        if let Some(slot) = self.facts.items.get_mut(kind.index()) {
            *slot = Some(list);
        }
    }

    fn name_of(&self, field: Field) -> &'r str {
        match field {
            Field::Fact(id) => self.ruleset.fact(id).name.as_str(),
            Field::Name => "name",
            Field::Id => "id",
            Field::Recorded => "recorded",
        }
    }

    fn push(&mut self, field: Option<&str>, diagnostic: Diagnostic) {
        if self.errors.len() >= MAX_PROBLEMS {
            self.more += 1;
            return;
        }
        self.errors.push(RowProblem {
            field: field.map(Into::into),
            diagnostic,
        });
    }

    /// Whether `field` already has a value in this row (and marks it given).
    fn given_before(&mut self, field: Field) -> bool {
        let header = match field {
            Field::Fact(id) => {
                return matches!(self.facts.slots.get(id.index()), Some(Slot::Given { .. }));
            }
            Field::Name => 0,
            Field::Id => 1,
            Field::Recorded => 2,
        };
        self.header_given
            .get_mut(header)
            .is_some_and(|given| std::mem::replace(given, true))
    }

    /// A key that is neither a header field nor a fact.
    pub fn unknown(&mut self, key: &str, span: Span) {
        let d = unknown_fact(self.ruleset, key, span);
        self.push(Some(key), d);
    }

    /// Any other problem of the row (`field` when it is about one).
    pub fn problem_at(&mut self, field: Option<&str>, diagnostic: Diagnostic) {
        self.push(field, diagnostic);
    }

    /// Any other problem of the row.
    pub fn problem(&mut self, diagnostic: Diagnostic) {
        self.push(None, diagnostic);
    }

    /// The facts, or every problem found, each with its field.
    pub fn finish_fields(mut self) -> Result<Facts, Vec<RowProblem>> {
        if self.errors.is_empty() {
            return Ok(self.facts);
        }
        if self.more > 0 {
            let more = self.more;
            self.errors.push(RowProblem {
                field: None,
                diagnostic: Diagnostic::bare(format!(
                    "and {more} more {} in this row",
                    if more == 1 { "problem" } else { "problems" }
                ))
                .with_help("fix the ones shown, then run again to see the rest"),
            });
        }
        Err(self.errors)
    }

    /// The facts, or every problem found.
    pub fn finish(self) -> Result<Facts, Vec<Diagnostic>> {
        self.finish_fields()
            .map_err(|e| e.into_iter().map(|p| p.diagnostic).collect())
    }
}
