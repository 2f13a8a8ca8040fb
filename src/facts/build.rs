//! Facts built in code, for programs that embed obligo: the same schema,
//! the same checks and the same words as a facts file, with typed errors.

use chrono::{NaiveDate, NaiveDateTime};

use super::raw::RawScalar;
use super::{Facts, Item, Slot, convert, unknown_fact};
use crate::model::Ruleset;
use crate::source::Span;

/// A value given for a fact, as a facts file could write it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FactValue {
    /// `true` or `false`.
    Bool(bool),
    /// A whole number (a count, or a number).
    Integer(i64),
    /// A number (or a percentage, in points: 60.0 is 60%).
    Number(f64),
    /// A date (or, for a month fact, any day of the month).
    Date(NaiveDate),
    /// A local (UK) date and time.
    DateTime(NaiveDateTime),
    /// Text, a choice of a `one of` list, or a date written as text.
    Text(String),
    /// Known to be empty: the event has not happened (optional facts only).
    Empty,
}

impl From<bool> for FactValue {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}
impl From<i64> for FactValue {
    fn from(n: i64) -> Self {
        Self::Integer(n)
    }
}
impl From<u32> for FactValue {
    fn from(n: u32) -> Self {
        Self::Integer(i64::from(n))
    }
}
impl From<f64> for FactValue {
    fn from(n: f64) -> Self {
        Self::Number(n)
    }
}
impl From<NaiveDate> for FactValue {
    fn from(d: NaiveDate) -> Self {
        Self::Date(d)
    }
}
impl From<NaiveDateTime> for FactValue {
    fn from(t: NaiveDateTime) -> Self {
        Self::DateTime(t)
    }
}
impl From<&str> for FactValue {
    fn from(s: &str) -> Self {
        Self::Text(s.to_string())
    }
}
impl From<String> for FactValue {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

/// A fact given in code that the schema rejects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum FactError {
    /// The ruleset declares no fact of that name.
    #[error("unknown fact `{name}`")]
    #[diagnostic(code(obligo::facts::unknown))]
    UnknownFact {
        /// The name given.
        name: String,
        /// The likely fact meant, or where to find the names.
        #[help]
        help: Option<String>,
    },
    /// The ruleset declares no kind of item of that name.
    #[error("unknown item kind `{name}`")]
    #[diagnostic(code(obligo::facts::unknown_kind))]
    UnknownKind {
        /// The name given.
        name: String,
        /// The likely kind meant.
        #[help]
        help: Option<String>,
    },
    /// The kind of item has no field of that name.
    #[error("`{kind}` has no field `{field}`")]
    #[diagnostic(code(obligo::facts::unknown_field))]
    UnknownField {
        /// The kind.
        kind: String,
        /// The name given.
        field: String,
        /// The likely field meant.
        #[help]
        help: Option<String>,
    },
    /// Another item of the same kind has this id.
    #[error("two `{kind}` items have the id `{id}`")]
    #[diagnostic(code(obligo::facts::duplicate_id))]
    DuplicateId {
        /// The kind.
        kind: String,
        /// The id given twice.
        id: String,
    },
    /// The value does not fit the fact's type.
    #[error("{message}")]
    #[diagnostic(code(obligo::facts::invalid))]
    InvalidValue {
        /// The fact.
        fact: String,
        /// What is wrong, as a facts file would be told.
        message: String,
        /// How to fix it.
        #[help]
        help: Option<String>,
    },
}

/// Builds one organisation's facts in code, checked against the ruleset's
/// schema exactly as a facts file is.
#[derive(Debug, Clone)]
pub struct FactsBuilder<'r> {
    ruleset: &'r Ruleset,
    facts: Facts,
    /// The ids given so far, by kind and id: so that checking each new
    /// item's id costs the same however long the list.
    ids: std::collections::HashSet<(usize, String)>,
}

impl<'r> FactsBuilder<'r> {
    /// No facts yet: every fact unknown.
    pub fn new(ruleset: &'r Ruleset) -> Self {
        Self {
            ruleset,
            facts: Facts {
                file: "(built in code)".into(),
                name: None,
                id: None,
                recorded: None,
                sha256: None,
                slots: vec![Slot::Absent; ruleset.facts.len()],
                items: Vec::new(),
                schema: ruleset.schema,
            },
            ids: std::collections::HashSet::new(),
        }
    }

    /// What reports call the facts' source (the facts file, for a file).
    #[must_use]
    pub fn source(mut self, name: impl Into<String>) -> Self {
        self.facts.file = name.into();
        self
    }

    /// The organisation's name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.facts.name = Some(name.into());
        self
    }

    /// The organisation's identifier (such as an ODS code).
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.facts.id = Some(id.into());
        self
    }

    /// When the facts were recorded.
    #[must_use]
    pub fn recorded(mut self, day: NaiveDate) -> Self {
        self.facts.recorded = Some(day);
        self
    }

    /// Gives fact `name` a value, checked against its declared type.
    pub fn set(&mut self, name: &str, value: impl Into<FactValue>) -> Result<(), FactError> {
        let Some(id) = self.ruleset.fact_named(name) else {
            let d = unknown_fact(self.ruleset, name, Span::default());
            return Err(FactError::UnknownFact {
                name: name.to_string(),
                help: d.help,
            });
        };
        let value = checked(self.ruleset.fact(id), value.into())?;
        if let Some(slot) = self.facts.slots.get_mut(id.index()) {
            *slot = Slot::Given { value, line: None };
        }
        Ok(())
    }

    /// Says there are no items of `kind` (without this, or
    /// [`FactsBuilder::item`], the list is unknown).
    pub fn no_items(&mut self, kind: &str) -> Result<(), FactError> {
        self.list(kind).map(|_| ())
    }

    /// Adds an item of `kind`, with an optional id and its fields (a field
    /// left out is unknown for this item), checked as a facts file's items are.
    pub fn item<'f>(
        &mut self,
        kind: &str,
        id: Option<&str>,
        fields: impl IntoIterator<Item = (&'f str, FactValue)>,
    ) -> Result<(), FactError> {
        let ruleset = self.ruleset;
        let def = ruleset.kind(kind_named(ruleset, kind)?);
        let mut item = Item::blank(def.fields.len());
        item.id = id.map(str::to_string);
        for (name, value) in fields {
            let short = |f: &crate::model::FactId| {
                ruleset
                    .get_fact(*f)
                    .and_then(|x| x.name.split_once('.'))
                    .map_or("", |(_, n)| n)
            };
            let Some(index) = def.fields.iter().position(|f| short(f) == name) else {
                return Err(FactError::UnknownField {
                    kind: kind.to_string(),
                    field: name.to_string(),
                    help: crate::diagnostic::did_you_mean(name, def.fields.iter().map(short)),
                });
            };
            let Some(fact) = def.fields.get(index).and_then(|f| ruleset.get_fact(*f)) else {
                continue;
            };
            let value = checked(fact, value)?;
            if let Some(slot) = item.fields.get_mut(index) {
                *slot = Slot::Given { value, line: None };
            }
        }
        if let Some(id) = &item.id
            && !self.ids.insert((def.list.index(), id.clone()))
        {
            return Err(FactError::DuplicateId {
                kind: kind.to_string(),
                id: id.clone(),
            });
        }
        self.list(kind)?.push(item);
        Ok(())
    }

    /// The list of `kind`, made known (empty) if it was not.
    fn list(&mut self, kind: &str) -> Result<&mut Vec<Item>, FactError> {
        let ruleset = self.ruleset;
        let k = kind_named(ruleset, kind)?;
        let items = &mut self.facts.items;
        if items.len() < ruleset.kinds.len() {
            items.resize(ruleset.kinds.len(), None);
        }
        match items.get_mut(k.index()) {
            Some(slot) => Ok(slot.get_or_insert_with(Vec::new)),
            None => Err(FactError::UnknownKind {
                name: kind.to_string(),
                help: None,
            }),
        }
    }

    /// [`FactsBuilder::set`], for chaining with `?`.
    pub fn with(mut self, name: &str, value: impl Into<FactValue>) -> Result<Self, FactError> {
        self.set(name, value)?;
        Ok(self)
    }

    /// The facts.
    pub fn build(self) -> Facts {
        self.facts
    }
}

/// The kind of item named `kind`.
fn kind_named(ruleset: &Ruleset, kind: &str) -> Result<crate::model::KindId, FactError> {
    ruleset
        .kind_named(kind)
        .ok_or_else(|| FactError::UnknownKind {
            name: kind.to_string(),
            help: crate::diagnostic::did_you_mean(
                kind,
                ruleset.kinds.iter().map(|k| k.name.as_str()),
            ),
        })
}

/// A value given in code, checked against a fact's (or field's) type.
fn checked(fact: &crate::model::Fact, value: FactValue) -> Result<crate::value::Value, FactError> {
    let raw = match value {
        FactValue::Bool(b) => RawScalar::Bool(b),
        FactValue::Integer(n) => RawScalar::Int(n),
        FactValue::Number(n) => RawScalar::Float(n),
        FactValue::Date(d) => RawScalar::Str(d.to_string()),
        FactValue::DateTime(t) => RawScalar::Str(t.format("%Y-%m-%dT%H:%M:%S").to_string()),
        FactValue::Text(s) => RawScalar::Str(s),
        FactValue::Empty => RawScalar::Null,
    };
    // A month is given as a date: take its month.
    let raw = match (&raw, fact.ty) {
        (RawScalar::Str(s), crate::value::Type::Month) if s.len() == 10 => {
            RawScalar::Str(s.get(..7).unwrap_or(s).to_string())
        }
        _ => raw,
    };
    convert(fact, &raw).map_err(|problem| FactError::InvalidValue {
        fact: fact.name.clone(),
        message: problem.0.message,
        help: problem.0.help,
    })
}
