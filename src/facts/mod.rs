//! Facts files: one organisation's inputs, read from YAML with serde-saphyr
//! and validated against the ruleset's fact schema.

mod build;
pub mod csv;
mod date_fix;
pub(crate) mod items;
pub mod jsonl;
pub(crate) mod raw;
pub mod row;
mod yaml_error;
mod yes_no;

pub use build::{FactError, FactValue, FactsBuilder};

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use serde_saphyr::Location;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::model::{Fact, FactId, Ruleset};
use crate::source::{FileId, SourceMap, Span};
use crate::value::{Type, Value};
use raw::{RawFacts, RawFile, RawOrganisation, RawScalar};
use yaml_error::yaml_error;
pub(crate) use yaml_error::{YamlProblem, yaml_diagnostic};

/// What a facts file says of one fact.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// Not in the file: unknown.
    Absent,
    /// Given, with a value (possibly `Null`: known not to have happened),
    /// and the facts-file line it is on (`None` when given in code).
    Given { value: Value, line: Option<u32> },
}

/// One item of a list (a request, a report, an invoice), checked against
/// its kind's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Its identifier, unique in its list, if given.
    pub id: Option<String>,
    /// What to call it, if given.
    pub label: Option<String>,
    /// The facts-file line it starts on (`None` when given in code).
    pub line: Option<u32>,
    /// One slot per field of its kind, in the kind's order.
    pub(crate) fields: Vec<Slot>,
}

impl Item {
    /// An item with every field unknown.
    pub(crate) fn blank(fields: usize) -> Self {
        Self {
            id: None,
            label: None,
            line: None,
            fields: vec![Slot::Absent; fields],
        }
    }

    /// The slot of its field at `index` among its kind's fields.
    pub fn field(&self, index: u32) -> &Slot {
        self.fields.get(index as usize).unwrap_or(&Slot::Absent)
    }
}

/// One organisation's facts, checked against the schema.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The file the facts came from, as the user named it.
    pub file: String,
    pub name: Option<String>,
    pub id: Option<String>,
    /// When the facts were recorded.
    pub recorded: Option<NaiveDate>,
    /// sha256 of the facts file's text, in hex (`None` for facts built in
    /// code or read from a row of a larger file).
    pub sha256: Option<String>,
    /// One slot per declared fact, indexed by [`FactId`].
    pub(crate) slots: Vec<Slot>,
    /// The items of each kind, by [`crate::model::KindId`]: `None` (or no
    /// entry) when the list was not given, so is unknown.
    pub(crate) items: Vec<Option<Vec<Item>>>,
    /// The fingerprint of the fact schema they were checked against
    /// ([`Ruleset::schema`]).
    pub(crate) schema: u64,
}

impl Facts {
    /// No facts at all, for any ruleset: every fact unknown.
    pub fn none() -> Self {
        Self {
            file: String::new(),
            name: None,
            id: None,
            recorded: None,
            sha256: None,
            slots: Vec::new(),
            items: Vec::new(),
            schema: 0,
        }
    }

    /// The items of a kind as `ruleset` may read them; `None` when the list
    /// was not given (or the facts were checked against another schema).
    pub fn items_in(&self, ruleset: &Ruleset, kind: crate::model::KindId) -> Option<&[Item]> {
        if self.schema != ruleset.schema {
            return None;
        }
        self.items.get(kind.index())?.as_deref()
    }

    /// The slot of a fact.
    pub fn slot(&self, id: FactId) -> &Slot {
        self.slots.get(id.0 as usize).unwrap_or(&Slot::Absent)
    }

    /// The slots as `ruleset` may read them: none at all when the facts
    /// were checked against another fact schema, so that facts of another
    /// ruleset are unknown, never misread.
    pub(crate) fn slots_for(&self, ruleset: &Ruleset) -> &[Slot] {
        if self.schema == ruleset.schema {
            &self.slots
        } else {
            &[]
        }
    }

    /// The slot of a fact, as `ruleset` may read it: facts checked against
    /// another fact schema are all absent to it.
    pub fn slot_in(&self, ruleset: &Ruleset, id: FactId) -> &Slot {
        self.slots_for(ruleset)
            .get(id.0 as usize)
            .unwrap_or(&Slot::Absent)
    }
}

/// Reads and validates a facts file already added to `sources`.
pub fn load(
    ruleset: &Ruleset,
    sources: &SourceMap,
    file: FileId,
) -> Result<Facts, Vec<Diagnostic>> {
    let Some(src) = sources.get(file) else {
        return Err(vec![Diagnostic::bare("internal: facts file not loaded")]);
    };
    let text = src.text.clone();
    let raw: RawFile = if text.trim().is_empty() {
        RawFile {
            organisation: None,
            facts: None,
            items: None,
        }
    } else {
        serde_saphyr::from_str_with_options(&text, yaml_options())
            .map_err(|e| vec![yaml_error(file, &text, &e)])?
    };
    let mut facts = validate(
        ruleset,
        file,
        &text,
        src.name.clone(),
        raw.organisation,
        raw.facts.map(|f| f.value),
        raw.items.map(|i| i.value),
    )?;
    facts.sha256 = Some(sha256_hex(&text));
    Ok(facts)
}

/// sha256 of a text, in hex: what `sha256sum` prints for the file.
fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The YAML reading options shared by every file obligo reads facts from:
/// strict booleans, so that `no` is not silently `false`.
pub(crate) fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
    }
}

/// Applies the schema to an organisation header and a facts mapping already
/// read from YAML in `file` (a facts file, or a part of a larger document
/// such as a scenario). `name` is what reports call the facts.
pub(crate) fn validate(
    ruleset: &Ruleset,
    file: FileId,
    text: &str,
    name: String,
    organisation: Option<RawOrganisation>,
    map: Option<RawFacts>,
    items: Option<raw::RawItems>,
) -> Result<Facts, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let span_of = |loc: &Location| location_span(file, text, loc);
    let mut facts = Facts {
        file: name,
        name: None,
        id: None,
        recorded: None,
        sha256: None,
        slots: vec![Slot::Absent; ruleset.facts.len()],
        items: Vec::new(),
        schema: ruleset.schema,
    };
    if let Some(org) = organisation {
        if let Some(name) = org.name {
            match one_line(&name.value) {
                Ok(()) => facts.name = Some(name.value),
                Err(fix) => errors.push(bad_value(
                    span_of(&name.referenced),
                    "`name`",
                    &name.value.escape_debug().to_string(),
                    "a name on one line",
                    fix,
                )),
            }
        }
        if let Some(id) = org.id {
            match id.value {
                RawScalar::Str(s) if one_line(&s).is_err() => errors.push(bad_value(
                    span_of(&id.referenced),
                    "`id`",
                    &s.escape_debug().to_string(),
                    "an identifier on one line",
                    "write the identifier as plain text, like \"ZZ0101\", with no line break or control character",
                )),
                RawScalar::Str(s) => facts.id = Some(s),
                RawScalar::Int(n) => facts.id = Some(n.to_string()),
                RawScalar::Null => {}
                // 1.5 or true is no identifier: it was dropped unsaid.
                other => errors.push(bad_value(
                    span_of(&id.referenced),
                    "`id`",
                    &show(&other),
                    "an identifier",
                    "write the organisation's identifier as text, like \"ZZ0101\"",
                )),
            }
        }
        if let Some(rec) = org.recorded {
            match &rec.value {
                RawScalar::Str(s) => match parse_date(s) {
                    Some(d) => facts.recorded = Some(d),
                    None => errors.push(bad_value(
                        span_of(&rec.referenced),
                        "`recorded`",
                        s,
                        "a date",
                        &date_fix::date_help(s),
                    )),
                },
                other => errors.push(bad_value(
                    span_of(&rec.referenced),
                    "`recorded`",
                    &show(other),
                    "a date",
                    DATE_HELP,
                )),
            }
        }
    }
    if let Some(items) = items {
        facts.items = items::validate(ruleset, &span_of, items, &mut errors);
    }
    for (key, value) in map.map(|m| m.0).unwrap_or_default() {
        let key_span = span_of(&key.referenced);
        let Some(id) = ruleset.fact_named(&key.value) else {
            errors.push(unknown_fact(ruleset, &key.value, key_span));
            continue;
        };
        let fact = ruleset.fact(id);
        let vspan = span_of(&value.referenced);
        match convert(fact, &RawScalar::as_written(value)) {
            Ok(v) => {
                if let Some(slot) = facts.slots.get_mut(id.0 as usize) {
                    *slot = Slot::Given {
                        value: v,
                        line: u32::try_from(key.referenced.line()).ok(),
                    };
                }
            }
            Err(d) => errors.push(d.relocate(vspan)),
        }
    }
    if errors.is_empty() {
        Ok(facts)
    } else {
        // In the order of the file: items are checked before facts.
        errors.sort_by_key(|d| d.span);
        Err(errors)
    }
}

/// "unknown fact `x`", pointing at the name, with the likely fact meant.
pub(crate) fn unknown_fact(ruleset: &Ruleset, name: &str, span: Span) -> Diagnostic {
    // No fact's name is longer than a rule file allows: a longer key is
    // not matched against them, nor quoted whole.
    if name.chars().count() > crate::syntax::MAX_NAME {
        let start: String = name.chars().take(40).collect();
        return Diagnostic::error(
            span,
            format!(
                "unknown fact `{start}…` ({} characters long)",
                name.chars().count()
            ),
            "not in the ruleset",
        )
        .with_help("no fact's name is that long: check the key");
    }
    if ruleset.kind_named(name).is_some() {
        return Diagnostic::error(
            span,
            format!("`{name}` is a kind of item, not a fact"),
            "not a fact",
        )
        .with_help(format!(
            "list the items under `items:`, as `items: {{ {name}: [...] }}`"
        ));
    }
    let help = did_you_mean(
        name,
        ruleset.organisation_facts().map(|(_, f)| f.name.as_str()),
    )
    .unwrap_or_else(|| {
        "remove it, or check the ruleset's fact names with `obligo missing --template`".into()
    });
    Diagnostic::error(span, format!("unknown fact `{name}`"), "not in the ruleset").with_help(help)
}

const DATE_HELP: &str = "write dates as YYYY-MM-DD, like 2023-10-31";
const BOOL_HELP: &str = "answer a yes/no question with true for yes, false for no";

/// How a facts file writes a fact's answer, in words: "true for yes,
/// false for no", "a date, YYYY-MM-DD".
pub fn answer_words(fact: &Fact) -> String {
    match fact.ty {
        Type::Bool => "true for yes, false for no".into(),
        Type::Count => "a whole number".into(),
        Type::Number => "a number".into(),
        Type::Percent => "a percentage, without the % sign, like 12.5".into(),
        Type::Date => "a date, YYYY-MM-DD".into(),
        Type::DateTime => "a date and UK time, YYYY-MM-DDTHH:MM".into(),
        Type::Month => "a month, YYYY-MM".into(),
        Type::Text => "text".into(),
        Type::Enum(_) => format!("one of: {}", fact.variants.join(", ")),
        Type::Duration => "a length of time".into(),
    }
}

/// "`fact` is blank": a key with nothing after it, refused so that no
/// answer is left out by accident.
fn blank(fact: &Fact) -> Diagnostic {
    let fix = match (fact.optional, fact.ty) {
        (true, Type::Date | Type::DateTime | Type::Month) => {
            "write null if it has not happened".to_string()
        }
        (true, _) => "write null if there is none".to_string(),
        (false, _) => format!("write the answer ({})", answer_words(fact)),
    };
    Diagnostic::error(
        Span::default(),
        format!("`{}` is blank", fact.name),
        "no answer",
    )
    .with_help(format!("{fix}, or delete the line if you do not know"))
}

/// A conversion problem, before it is placed in the file.
pub(crate) struct Problem(pub(crate) Diagnostic);

impl Problem {
    fn relocate(self, span: Span) -> Diagnostic {
        Diagnostic {
            span: Some(span),
            ..self.0
        }
    }
}

/// Whether `text` can be printed as one line of a report: no line break and
/// no control character (which a terminal would obey, such as a colour or
/// a cleared screen); the fix to say when it cannot.
fn one_line(text: &str) -> Result<(), &'static str> {
    if text.chars().any(char::is_control) {
        Err(
            "write the name as plain text on one line: take out the line break, tab or control character",
        )
    } else {
        Ok(())
    }
}

fn bad_value(span: Span, what: &str, found: &str, wanted: &str, help: &str) -> Diagnostic {
    Diagnostic::error(
        span,
        format!("{what} should be {wanted}, not {}", quoted(found)),
        format!("not {wanted}"),
    )
    .with_help(help)
}

/// `found` as a message quotes it: whole when short, else its first 60
/// characters and its length (the underlined text shows where it is).
fn quoted(found: &str) -> String {
    const SHOWN: usize = 60;
    let n = found.chars().count();
    if n <= SHOWN + 20 {
        format!("`{found}`")
    } else {
        let head: String = found.chars().take(SHOWN).collect();
        format!("`{head}…` ({n} characters in all)")
    }
}

/// A YAML value as the user wrote it, for messages.
pub(crate) fn show(raw: &RawScalar) -> String {
    match raw {
        RawScalar::Null => "null".into(),
        RawScalar::Blank => String::new(),
        RawScalar::Bool(b) => b.to_string(),
        RawScalar::Int(n) => n.to_string(),
        RawScalar::Float(f) => f.to_string(),
        RawScalar::Str(s) => s.clone(),
        RawScalar::Nested => "a list or mapping".into(),
    }
}

/// Applies the schema to one value.
pub(crate) fn convert(fact: &Fact, raw: &RawScalar) -> Result<Value, Problem> {
    // Made only for a message: a batch converts millions of values.
    let name = || format!("`{}`", fact.name);
    let fail = |wanted: &str, help: String| {
        // A value in quotes is text to YAML: say so, rather than "not 50".
        // A number or true/false in quotes is text to YAML: say so, rather
        // than "should be a number, not 50".
        let quoted_value = |s: &str| match fact.ty {
            Type::Bool => matches!(s, "true" | "false"),
            // `60%` is how a percentage is written, not a quoted number.
            Type::Count | Type::Number | Type::Percent => s.trim().parse::<f64>().is_ok(),
            _ => false,
        };
        let (shown, help) = match raw {
            RawScalar::Str(s) if quoted_value(s) => (
                format!("\"{s}\""),
                format!("remove the quotes: write {s}, not \"{s}\" (in quotes it is text); {help}"),
            ),
            _ => (show(raw), help),
        };
        Err(Problem(bad_value(
            Span::default(),
            &name(),
            &shown,
            wanted,
            &help,
        )))
    };
    if *raw == RawScalar::Blank {
        return Err(Problem(blank(fact)));
    }
    if *raw == RawScalar::Null {
        if fact.optional {
            return Ok(Value::Null);
        }
        let d = Diagnostic::error(
            Span::default(),
            format!("{} cannot be empty", name()),
            "empty",
        )
        .with_help(format!(
            "give a value, or remove the line if it is not known ({} asks: {})",
            fact.name, fact.question
        ));
        return Err(Problem(d));
    }
    match fact.ty {
        Type::Bool => match raw {
            RawScalar::Bool(b) => Ok(Value::Bool(*b)),
            // `"true"` in quotes is told to lose its quotes, below.
            RawScalar::Str(s) if !matches!(s.as_str(), "true" | "false") => {
                match yes_no::meant(s) {
                    Some(b) => Err(Problem(yes_no::refused(&fact.name, s, b))),
                    None => fail("true or false", BOOL_HELP.into()),
                }
            }
            _ => fail("true or false", BOOL_HELP.into()),
        },
        Type::Count => match raw {
            RawScalar::Int(n) if *n >= 0 => Ok(Value::Number(*n as f64)),
            _ => fail(
                "a whole number",
                "write a whole number of 0 or more, like 42".into(),
            ),
        },
        Type::Number => match number(raw) {
            Some(n) => Ok(Value::Number(n)),
            None => fail("a number", "write a number, like 12.5".into()),
        },
        Type::Percent => {
            let points = match raw {
                RawScalar::Str(s) => s
                    .trim()
                    .strip_suffix('%')
                    .and_then(|p| p.trim().parse::<f64>().ok()),
                other => number(other),
            };
            match points {
                Some(p) if (0.0..=100.0).contains(&p) => Ok(Value::Number(p / 100.0)),
                _ => fail(
                    "a percentage from 0 to 100",
                    "write a percentage like 60 or 60%".into(),
                ),
            }
        }
        Type::Date => match raw {
            RawScalar::Str(s) => match parse_date(s) {
                Some(d) => Ok(Value::Date(d)),
                None => fail("a date", date_fix::date_help(s)),
            },
            // `20230201` is a number to YAML.
            RawScalar::Int(n) => fail("a date", date_fix::date_help(&n.to_string())),
            _ => fail("a date", DATE_HELP.into()),
        },
        Type::DateTime => match raw {
            RawScalar::Str(s) => match parse_datetime(s) {
                Some(dt) => Ok(Value::DateTime(dt)),
                None => fail("a date and time", date_fix::datetime_help(s)),
            },
            _ => fail(
                "a date and time",
                "write a local (UK) date and time as YYYY-MM-DDTHH:MM, like 2022-11-04T16:30"
                    .into(),
            ),
        },
        Type::Month => match raw {
            RawScalar::Str(s) => match parse_month(s) {
                Some(d) => Ok(Value::Date(d)),
                None => fail("a month", date_fix::month_help(s)),
            },
            _ => fail("a month", "write a month as YYYY-MM, like 2023-02".into()),
        },
        Type::Text => match raw {
            RawScalar::Str(s) => Ok(Value::Text(Arc::new(s.clone()))),
            RawScalar::Int(_) | RawScalar::Float(_) | RawScalar::Bool(_) => {
                Ok(Value::Text(Arc::new(show(raw))))
            }
            _ => fail("a text", "write the text on one line".into()),
        },
        Type::Enum(_) => {
            let s = show(raw);
            match fact.variants.iter().position(|v| *v == s) {
                Some(i) => Ok(Value::Variant(u32::try_from(i).unwrap_or(u32::MAX))),
                None => {
                    let help = did_you_mean(&s, fact.variants.iter().map(String::as_str))
                        .map(|d| format!("{d} (the choices are: {})", fact.variants.join(", ")))
                        .unwrap_or_else(|| {
                            format!("the choices are: {}", fact.variants.join(", "))
                        });
                    fail("one of the listed choices", help)
                }
            }
        }
        Type::Duration => fail("a duration", "durations are not facts".into()),
    }
}

fn number(raw: &RawScalar) -> Option<f64> {
    match raw {
        RawScalar::Int(n) => Some(*n as f64),
        RawScalar::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}

/// Parses `YYYY-MM-DD` exactly: four digits, two, two (no sign, no other
/// width, no spaces around), a real calendar day. Read by hand: a batch
/// reads millions.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let year = digits(b.get(0..4)?)?;
    let month = digits(b.get(5..7)?)?;
    let day = digits(b.get(8..10)?)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Parses `YYYY-MM`, a month, as its first day.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 7 || b.get(4) != Some(&b'-') {
        return None;
    }
    let year = digits(b.get(0..4)?)?;
    let month = digits(b.get(5..7)?)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, 1)
}

/// Parses `YYYY-MM-DDTHH:MM` (or with a space, or with seconds).
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if !(b.len() == 16 || b.len() == 19) || !matches!(b.get(10), Some(b'T' | b' ')) {
        return None;
    }
    let date = parse_date(s.get(..10)?)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let hour = digits(b.get(11..13)?)?;
    let minute = digits(b.get(14..16)?)?;
    let second = match b.get(16..) {
        Some([b':', rest @ ..]) if rest.len() == 2 => digits(rest)?,
        Some([]) => 0,
        _ => return None,
    };
    date.and_hms_opt(hour, minute, second)
}

/// The number written by ASCII digits only.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// The byte span of a YAML location: the scalar's text, or one character.
pub(crate) fn location_span(file: FileId, text: &str, loc: &Location) -> Span {
    let span = loc.span();
    let start = span
        .byte_offset()
        .map_or_else(|| line_col_offset(text, loc), |o| o as usize);
    let len = span.byte_len().map_or(1, |l| l as usize).max(1);
    let end = (start + len).min(text.len()).max(start);
    Span::new(file, start, end)
}

fn line_col_offset(text: &str, loc: &Location) -> usize {
    let line = loc.line().max(1) as usize;
    let col = loc.column().max(1) as usize;
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let in_line = text.get(line_start..).unwrap_or("");
    line_start
        + in_line
            .char_indices()
            .nth(col - 1)
            .map_or(in_line.len(), |(i, _)| i)
}
