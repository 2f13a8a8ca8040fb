//! Words for people: how statuses, verdicts, notes, clauses and values are
//! said. The core yields typed values; this is the one place they become
//! English.

use chrono::{Datelike, NaiveDate};

use crate::eval::{Moment, Note, Role, Status, Tri, Verdict};
use crate::model::{EndKind, PeriodUnit, Rule, RuleKind, Ruleset, Version};
use crate::value::{Type, Value, format_duration, format_number};

/// How a status is worded for a rule of this kind.
pub fn status(s: Status, kind: RuleKind) -> &'static str {
    use RuleKind::*;
    match (s, kind) {
        (Status::NotInForce, _) => "not yet in force",
        (Status::Ended, _) => "ended",
        (Status::NotApplicable, _) => "not applicable",
        (Status::Pending, _) => "pending",
        (Status::Unknown, _) => "unknown",
        (Status::Met, Obligation) => "met",
        (Status::Met, Prohibition) => "respected",
        (Status::Met, Recommendation) => "followed",
        (Status::Met, Permission) => "available",
        (Status::MetLate, Obligation) => "met late",
        (Status::MetLate, Prohibition) => "respected late",
        (Status::MetLate, Recommendation) => "followed late",
        (Status::MetLate, Permission) => "available late",
        (Status::Overdue, Obligation) => "overdue",
        (Status::Overdue, Prohibition) => "breached",
        (Status::Overdue, Recommendation) => "not followed",
        (Status::Overdue, Permission) => "not available",
    }
}

/// How a verdict is worded.
pub fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Compliant => "no binding duty is overdue",
        Verdict::Undetermined => {
            "no binding duty is overdue, but some binding duties could not be decided"
        }
        Verdict::Breach => "some binding duties are overdue",
    }
}

/// A note on a rule's result, in words.
pub fn note(rs: &Ruleset, rule: &Rule, n: Note) -> String {
    match n {
        Note::ComesIntoForce { version } => match rule.versions.get(version) {
            Some(v) => format!("comes into force on {} (published {})", v.from, v.published),
            None => "comes into force later".into(),
        },
        Note::RanUntil(end) => format!("its last version ran until {end}"),
        Note::NewVersion { version } => match rule.versions.get(version) {
            Some(v) => format!(
                "a new version applies from {} (published {})",
                v.from, v.published
            ),
            None => "a new version applies later".into(),
        },
        Note::Ending { in_effect } => {
            let Some(e) = &rule.ending else {
                return "the rule ends".into();
            };
            let what = match &e.kind {
                EndKind::Withdrawn(reason) => format!("withdrawn from {}: {reason}", e.on),
                EndKind::Superseded(by) => {
                    format!("superseded by `{}` from {}", rs.rule(*by).name, e.on)
                }
            };
            let tense = if in_effect { "" } else { "later " };
            format!("{tense}{what} (published {})", e.published)
        }
    }
}

/// Which clause an explained line is, as the report heads it.
pub fn role(version: Option<&Version>, r: Role) -> String {
    match r {
        Role::Unless(i) => {
            let reason = version
                .and_then(|v| v.exceptions.get(i))
                .map_or("", |e| e.reason.as_str());
            format!("unless ({reason})")
        }
        Role::AppliesWhen => "applies when".into(),
        Role::Deadline => "deadline".into(),
        Role::MetWhen => "met when".into(),
        Role::MetOn => "met on".into(),
        Role::PeriodsFrom => "periods from".into(),
        Role::MetWhenFor(p) => format!("met when, for the period from {} (due {})", p.start, p.due),
        Role::Where => "for each, where".into(),
    }
}

/// A period as people name it: `2024-05`, `2024 Q2`, `2024`, `week of 2024-06-24`.
pub fn period(start: NaiveDate, unit: PeriodUnit) -> String {
    match unit {
        PeriodUnit::Week => format!("week of {start}"),
        PeriodUnit::Month => start.format("%Y-%m").to_string(),
        PeriodUnit::Quarter => format!("{} Q{}", start.year(), start.month0() / 3 + 1),
        PeriodUnit::Year => start.year().to_string(),
    }
}

/// A deadline or a satisfaction: `2023-10-31`, or `2022-11-04 16:30`.
pub fn moment(m: Moment) -> String {
    match m {
        Moment::Day(d) => d.to_string(),
        Moment::At(t) => t.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// A value or unknown, in the terms of its type.
pub fn tri(rs: &Ruleset, ty: Type, t: &Tri) -> String {
    match t {
        Tri::Known(v) => value(rs, ty, v),
        Tri::Unknown => "unknown".into(),
    }
}

/// A value as a reader sees it, in the terms of its type.
pub fn value(rs: &Ruleset, ty: Type, v: &Value) -> String {
    match v {
        Value::Null => match ty {
            Type::Date | Type::DateTime | Type::Month => "not happened".into(),
            _ => "none".into(),
        },
        Value::Bool(true) => "true".into(),
        Value::Bool(false) => "false".into(),
        Value::Number(n) if ty == Type::Percent => format!("{}%", format_number(n * 100.0)),
        Value::Number(n) => format_number(*n),
        Value::Date(d) if ty == Type::Month => d.format("%Y-%m").to_string(),
        Value::Date(d) => d.to_string(),
        Value::DateTime(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        Value::Text(s) => format!("\"{s}\""),
        Value::Variant(i) => match ty {
            Type::Enum(f) => rs
                .facts
                .get(f as usize)
                .and_then(|fact| fact.variants.get(*i as usize))
                .cloned()
                .unwrap_or_default(),
            _ => i.to_string(),
        },
        Value::Duration(n, u) => format_duration(*n, *u),
    }
}

/// What one item of a rule judged `for each` is called, and its key: for an
/// item of a list, `subject access request S-2` (or `… #3`, its place in
/// the list from 1, when it has no id) with its label after a dash; for a
/// period, `period 2024-05`. The key (`S-2`, `#3`, `2024-05`) is what
/// `explain --item` and scenario files name it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemName {
    /// How reports name it.
    pub name: String,
    /// Its identifier: the id given, `#N` without one, or the period.
    pub key: String,
    /// Its label, if the facts give one.
    pub label: Option<String>,
}

/// The key of the item at `index` in the facts' list of `kind` (its id,
/// or `#N`, its place from 1), and its label.
pub fn list_item_key(
    rs: &Ruleset,
    facts: &crate::facts::Facts,
    kind: crate::model::KindId,
    index: u32,
) -> (String, Option<String>) {
    let it = facts.items_in(rs, kind).and_then(|l| l.get(index as usize));
    let key = it
        .and_then(|i| i.id.clone())
        .unwrap_or_else(|| format!("#{}", index + 1));
    (key, it.and_then(|i| i.label.clone()))
}

/// Names item outcome `item` of rule `rule` for `facts`.
pub fn item_name(
    rs: &Ruleset,
    facts: &crate::facts::Facts,
    rule: &Rule,
    item: &crate::eval::Outcome,
) -> ItemName {
    use crate::model::Each;
    match &rule.each {
        Some(Each::Item { kind, .. }) => {
            let k = rs.kinds.get(kind.index());
            let (key, label) = list_item_key(rs, facts, *kind, item.item.unwrap_or(0));
            let one = k.map_or("item", |k| k.one.as_str());
            ItemName {
                name: format!("{one} {key}"),
                key,
                label,
            }
        }
        _ => {
            let unit = item
                .version
                .and_then(|v| rule.versions.get(v))
                .and_then(|v| v.every.as_ref())
                .map_or(PeriodUnit::Month, |e| e.unit);
            let key = item.period.map(|p| period(p, unit)).unwrap_or_default();
            ItemName {
                name: format!("period {key}"),
                key,
                label: None,
            }
        }
    }
}

/// "3 of 40 subject access requests overdue": how many of a rule's items
/// have `status`, in the words of the rule's kind.
pub fn items_with(rs: &Ruleset, rule: &Rule, status_: Status, n: usize, of: usize) -> String {
    use crate::model::Each;
    let many = match &rule.each {
        Some(Each::Item { kind, .. }) => rs.kinds.get(kind.index()).map_or("items", |k| {
            if of == 1 {
                k.one.as_str()
            } else {
                k.many.as_str()
            }
        }),
        _ if of == 1 => "period",
        _ => "periods",
    };
    format!("{n} of {of} {many} {}", status(status_, rule.kind))
}

/// An item as a reader finds it: its name, and its label in brackets when
/// it has one (`subject access request S-1 (Mrs A)`).
pub fn item_called(name: &str, label: Option<&str>) -> String {
    match label {
        Some(l) => format!("{name} ({l})"),
        None => name.to_string(),
    }
}

/// `words` with a capital first letter: "Not available".
pub fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
