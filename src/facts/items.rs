//! The `items:` of a facts file: each kind's list, checked against the
//! kind's fields as facts are checked against the schema.
//!
//! ```yaml
//! items:
//!   access_request:
//!     - id: R-17
//!       received: 2024-03-04
//!       decided: null
//! ```
//!
//! A kind not listed is unknown (its rules cannot be judged); `[]` says
//! there are none.

use std::collections::HashMap;

use serde_saphyr::{Location, Spanned};

use super::raw::{RawItem, RawItems, RawList, RawScalar};
use super::{Item, Slot, convert, show};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::model::{ItemKind, Ruleset};
use crate::source::Span;

/// The most items one list may hold: far beyond any organisation's year,
/// well within memory.
pub const MAX_ITEMS: usize = 1_000_000;

/// Checks every list in `raw`; the lists by kind (`None`: not given).
pub(crate) fn validate(
    ruleset: &Ruleset,
    span_of: &dyn Fn(&Location) -> Span,
    raw: RawItems,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Option<Vec<Item>>> {
    let mut out: Vec<Option<Vec<Item>>> = vec![None; ruleset.kinds.len()];
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (key, list) in raw.0 {
        let key_span = span_of(&key.referenced);
        let Some(kind) = ruleset.kind_named(&key.value) else {
            errors.push(unknown_kind(ruleset, &key.value, key_span));
            continue;
        };
        if let Some(first) = seen.get(&key.value) {
            errors.push(
                Diagnostic::error(
                    key_span,
                    format!("the list of `{}` is given twice", key.value),
                    "given again",
                )
                .with_help(format!(
                    "the first list starts on line {first}; put every item in one list"
                )),
            );
            continue;
        }
        seen.insert(key.value.clone(), key.referenced.line() as usize);
        let k = ruleset.kind(kind);
        let list_span = span_of(&list.referenced);
        let items = match list.value {
            RawList::List(items) => items,
            RawList::Null => {
                errors.push(
                    Diagnostic::error(
                        key_span,
                        format!("the list of {} is blank", k.many),
                        "no list",
                    )
                    .with_help(format!(
                        "write `{}: []` if there are none; remove the line if you do not know",
                        k.name
                    )),
                );
                continue;
            }
            RawList::NotAList => {
                errors.push(
                    Diagnostic::error(list_span, format!("`{}` should be a list of {}", k.name, k.many), "not a list")
                        .with_help("write each item on its own line starting with `- `, its fields indented below it"),
                );
                continue;
            }
        };
        if items.len() > MAX_ITEMS {
            errors.push(
                Diagnostic::error(
                    key_span,
                    format!("the list of {} holds {} items", k.many, items.len()),
                    "too many",
                )
                .with_help(format!("one list holds at most {MAX_ITEMS} items")),
            );
            continue;
        }
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut list = Vec::with_capacity(items.len());
        for item in items {
            if let Some(i) = one(ruleset, k, span_of, item, &mut ids, errors) {
                list.push(i);
            }
        }
        if let Some(slot) = out.get_mut(kind.index()) {
            *slot = Some(list);
        }
    }
    out
}

/// One item: `id`, `label` and its fields.
fn one(
    ruleset: &Ruleset,
    kind: &ItemKind,
    span_of: &dyn Fn(&Location) -> Span,
    raw: Spanned<RawItem>,
    ids: &mut HashMap<String, u32>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Item> {
    let at = span_of(&raw.referenced);
    let line = u32::try_from(raw.referenced.line()).ok();
    let RawItem::Map(entries) = raw.value else {
        errors.push(
            Diagnostic::error(
                at,
                format!("this {} is not a mapping of its fields", kind.one),
                "not an item",
            )
            .with_help(format!(
                "write the item's fields below its `- `, one per line, like `{}`",
                example(ruleset, kind)
            )),
        );
        return None;
    };
    let entries = entries.into_iter().map(|(key, value)| Entry {
        key_span: span_of(&key.referenced),
        span: span_of(&value.referenced),
        line: u32::try_from(key.referenced.line()).ok(),
        key: key.value,
        value: RawScalar::as_written(value),
    });
    item(ruleset, kind, at, line, entries, ids, errors)
}

/// One `name: value` of an item, with where each is written.
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) key_span: Span,
    pub(crate) value: RawScalar,
    pub(crate) span: Span,
    /// The line the key is on.
    pub(crate) line: Option<u32>,
}

/// One item of `kind` from its entries (`at` spans the whole item, on
/// `line`), checked as a facts file's: also for a batch row's items.
/// `ids` holds the ids seen so far in its list, with their lines.
pub(crate) fn item(
    ruleset: &Ruleset,
    kind: &ItemKind,
    at: Span,
    line: Option<u32>,
    entries: impl IntoIterator<Item = Entry>,
    ids: &mut HashMap<String, u32>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Item> {
    let mut item = Item::blank(kind.fields.len());
    item.line = line;
    let before = errors.len();
    let mut keys: HashMap<String, u32> = HashMap::new();
    for Entry {
        key,
        key_span,
        value,
        span: vspan,
        line: key_line,
    } in entries
    {
        if let Some(first) = keys.get(&key) {
            errors.push(
                Diagnostic::error(
                    key_span,
                    format!("`{key}` is given twice in this {}", kind.one),
                    "given again",
                )
                .with_help(format!("it is first given on line {first}; keep one")),
            );
            continue;
        }
        keys.insert(key.clone(), key_line.unwrap_or(0));
        match key.as_str() {
            "id" => match value {
                RawScalar::Str(s) if !s.trim().is_empty() => item.id = Some(s),
                RawScalar::Int(n) => item.id = Some(n.to_string()),
                other => errors.push(
                    Diagnostic::error(vspan, format!("an item's `id` should be a short text, not `{}`", show(&other)), "not an identifier")
                        .with_help("give each item its own identifier, like `id: R-17`, or leave `id` out"),
                ),
            },
            "label" => match value {
                RawScalar::Str(s) => item.label = Some(s),
                other => errors.push(
                    Diagnostic::error(vspan, format!("an item's `label` should be text, not `{}`", show(&other)), "not text")
                        .with_help("write what to call the item in quotes, like `label: \"Request from Mrs A\"`"),
                ),
            },
            name => {
                let field = kind.fields.iter().enumerate().find(|(_, f)| {
                    ruleset
                        .get_fact(**f)
                        .and_then(|x| x.name.split_once('.'))
                        .is_some_and(|(_, n)| n == name)
                });
                let Some((index, fid)) = field else {
                    errors.push(unknown_field(ruleset, kind, name, key_span));
                    continue;
                };
                let Some(fact) = ruleset.get_fact(*fid) else { continue };
                match convert(fact, &value) {
                    Ok(v) => {
                        if let Some(slot) = item.fields.get_mut(index) {
                            *slot = Slot::Given {
                                value: v,
                                line: key_line,
                            };
                        }
                    }
                    Err(d) => errors.push(d.relocate(vspan)),
                }
            }
        }
    }
    if let Some(id) = &item.id {
        if let Some(first) = ids.get(id) {
            errors.push(
                Diagnostic::error(
                    at,
                    format!("two {} have the id `{id}`", kind.many),
                    "same id",
                )
                .with_help(format!(
                    "the first is on line {first}; give each item its own id"
                )),
            );
        } else {
            ids.insert(id.clone(), line.unwrap_or(0));
        }
    }
    (errors.len() == before).then_some(item)
}

/// A field line to show in help: the kind's first field.
fn example(ruleset: &Ruleset, kind: &ItemKind) -> String {
    kind.fields
        .first()
        .and_then(|f| ruleset.get_fact(*f))
        .and_then(|f| f.name.split_once('.'))
        .map_or_else(|| "id: R-1".to_string(), |(_, n)| format!("{n}: …"))
}

/// "`x` is not a field of …", with the likely field meant.
pub(crate) fn unknown_field(
    ruleset: &Ruleset,
    kind: &ItemKind,
    name: &str,
    span: Span,
) -> Diagnostic {
    let names: Vec<&str> = kind
        .fields
        .iter()
        .filter_map(|f| ruleset.get_fact(*f)?.name.split_once('.').map(|(_, n)| n))
        .chain(["id", "label"])
        .collect();
    let shown: String = name.chars().take(40).collect();
    let help = did_you_mean(name, names.iter().copied())
        .unwrap_or_else(|| format!("the fields of {} are: {}", kind.one, names.join(", ")));
    Diagnostic::error(
        span,
        format!("`{shown}` is not a field of {}", kind.one),
        "no such field",
    )
    .with_help(help)
}

/// "unknown item kind `x`", with the likely kind meant.
pub(crate) fn unknown_kind(ruleset: &Ruleset, name: &str, span: Span) -> Diagnostic {
    let shown: String = name.chars().take(40).collect();
    if ruleset.fact_named(name).is_some() {
        return Diagnostic::error(
            span,
            format!("`{shown}` is a fact, not a kind of item"),
            "not a list",
        )
        .with_help("move it under `facts:`");
    }
    let help =
        did_you_mean(name, ruleset.kinds.iter().map(|k| k.name.as_str())).unwrap_or_else(|| {
            if ruleset.kinds.is_empty() {
                "this ruleset has no kinds of item: remove `items:`".to_string()
            } else {
                let names: Vec<&str> = ruleset.kinds.iter().map(|k| k.name.as_str()).collect();
                format!("the kinds of item are: {}", names.join(", "))
            }
        });
    Diagnostic::error(
        span,
        format!("unknown item kind `{shown}`"),
        "not in the ruleset",
    )
    .with_help(help)
}
