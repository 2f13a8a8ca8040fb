//! Facts built in code, for programs that embed obligo: the same schema,
//! the same checks and the same words as a facts file, with typed errors.

use chrono::{NaiveDate, NaiveDateTime};

use super::raw::RawScalar;
use super::{Facts, Slot, convert, unknown_fact};
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
                slots: vec![Slot::Absent; ruleset.facts.len()],
                items: Vec::new(),
                schema: ruleset.schema,
            },
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
        let fact = self.ruleset.fact(id);
        let raw = match value.into() {
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
        match convert(fact, &raw) {
            Ok(value) => {
                if let Some(slot) = self.facts.slots.get_mut(id.index()) {
                    *slot = Slot::Given { value, line: None };
                }
                Ok(())
            }
            Err(problem) => Err(FactError::InvalidValue {
                fact: name.to_string(),
                message: problem.0.message,
                help: problem.0.help,
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
