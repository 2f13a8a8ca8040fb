//! Typed values: what facts hold and what expressions compute.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};

pub use crate::syntax::ast::TimeUnit;

/// The type of a fact, a definition or an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    /// A whole number of things (patients, days).
    Count,
    /// Any number.
    Number,
    /// A share; held as a ratio (50% is 0.5), shown in percent.
    Percent,
    Date,
    /// A local date and time (Europe/London), to the minute.
    DateTime,
    /// A calendar month, held as its first day.
    Month,
    Text,
    /// A value of the `one of` list of the fact with this index.
    Enum(u32),
    /// `28 days`, `1 month`.
    Duration,
}

impl Type {
    /// Count, number or percent.
    pub fn is_numeric(self) -> bool {
        matches!(self, Self::Count | Self::Number | Self::Percent)
    }

    /// Date, date and time, or month: things that happen.
    pub fn is_temporal(self) -> bool {
        matches!(self, Self::Date | Self::DateTime | Self::Month)
    }

    /// How the type is named to a reader.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Bool => "a yes/no condition",
            Self::Count => "a count",
            Self::Number => "a number",
            Self::Percent => "a percentage",
            Self::Date => "a date",
            Self::DateTime => "a date and time",
            Self::Month => "a month",
            Self::Text => "a text",
            Self::Enum(_) => "a choice from a list",
            Self::Duration => "a duration",
        }
    }
}

/// A known value. Unknown is not a value: see `eval`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    /// Counts, numbers and percentages (as ratios).
    Number(f64),
    /// Dates and months.
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// Text (a thin pointer, so that a value stays 16 bytes).
    Text(Arc<String>),
    /// Index into the fact's `one of` list.
    Variant(u32),
    Duration(i64, TimeUnit),
    /// Known not to have happened, or known to be empty (`null` in a facts file).
    Null,
}

/// Writes a number without a trailing `.0` and with at most two decimals.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Writes a duration as it is written in rule files.
pub fn format_duration(n: i64, unit: TimeUnit) -> String {
    let word = match unit {
        TimeUnit::Days => "day",
        TimeUnit::Weeks => "week",
        TimeUnit::Months => "month",
        TimeUnit::Years => "year",
    };
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    /// Facts are read in the evaluation loop: keep their slots small.
    #[test]
    fn a_value_is_16_bytes_and_a_slot_24() {
        assert_eq!(std::mem::size_of::<super::Value>(), 16);
        assert_eq!(std::mem::size_of::<crate::facts::Slot>(), 24);
        assert_eq!(std::mem::size_of::<crate::eval::Tri>(), 16);
    }
}
