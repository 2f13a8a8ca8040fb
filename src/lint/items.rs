//! Items: a kind of item no rule judges or aggregates over, a field no
//! expression reads, and an aggregate inside a `for each` rule that reads
//! the item judged, so is computed again for every item.

use super::usage::Reached;
use super::{Check, Findings, version_exprs};
use crate::model::{Each, ExprKind, Ruleset};

pub(super) fn check(ruleset: &Ruleset, found: &mut Findings) {
    let reached = Reached::from_rules(ruleset);
    let mut judged = std::collections::BTreeSet::new();
    for rule in &ruleset.rules {
        if let Some(Each::Item { kind, .. }) = &rule.each {
            judged.insert(*kind);
        }
    }
    for (id, kind) in ruleset.kind_ids() {
        if !judged.contains(&id) && !reached.kinds.contains(&id) {
            found.add(
                Check::UnusedKind,
                kind.span,
                format!("item kind `{}` is never used", kind.name),
                "no rule is judged `for each` of it and no aggregate counts it",
                format!(
                    "judge a rule `for each {0}`, or use `count of {0}`, `any {0}` … in a \
                     rule, or remove it: {1} would list items that change no result",
                    kind.name,
                    crate::report::wording::organisations(&ruleset.wording),
                ),
            );
            continue;
        }
        for &field in &kind.fields {
            if reached.facts.contains(&field) {
                continue;
            }
            let fact = ruleset.fact(field);
            found.add(
                Check::UnreadField,
                fact.span,
                format!("field `{}` is never read", fact.name),
                "no rule reads it",
                format!(
                    "read it as `{}` in a rule `for each {}` or in an aggregate's `where`, or \
                     remove it: its answer changes no result",
                    fact.name, kind.name
                ),
            );
        }
    }
    per_item_aggregates(ruleset, found);
}

/// Aggregates in a `for each KIND` rule that read the item judged: they
/// cannot be computed once per organisation, so cost items × items.
fn per_item_aggregates(ruleset: &Ruleset, found: &mut Findings) {
    for rule in &ruleset.rules {
        let Some(Each::Item { kind, filter }) = &rule.each else {
            continue;
        };
        let name = &ruleset
            .kinds
            .get(kind.0 as usize)
            .map_or("", |k| k.name.as_str());
        let exprs = rule.versions.iter().flat_map(version_exprs).chain(filter);
        for e in exprs {
            e.walk(&mut |x| {
                let ExprKind::Aggregate(a) = &x.kind else {
                    return;
                };
                if a.memo.is_some() {
                    return;
                }
                let over = ruleset.kinds.get(a.kind.0 as usize).map_or("", |k| &k.many);
                found.add(
                    Check::AggregatePerItem,
                    x.span,
                    format!(
                        "this aggregate in `{}` reads the `{name}` judged, so it is computed \
                         again for each one",
                        rule.name
                    ),
                    format!("looks at every one of the {over} for each `{name}`"),
                    "fine for tens or hundreds of items; for thousands, give each item a \
                     field with the answer, or compare with a definition computed once per \
                     organisation",
                );
            });
        }
    }
}
