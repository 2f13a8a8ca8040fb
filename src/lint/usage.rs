//! Declared and never used: facts and definitions no rule reaches, sources
//! nothing cites.

use std::collections::BTreeSet;

use super::{Check, Findings, version_exprs};
use crate::model::{DefId, ExprKind, FactId, Ruleset, SourceId};

pub(super) fn check(ruleset: &Ruleset, found: &mut Findings) {
    let used = Reached::from_rules(ruleset);
    let read_by_unused = Reached::by_unused_definitions(ruleset, &used);
    for (id, fact) in unreached(&ruleset.facts, |i| used.facts.contains(&FactId(i))) {
        let label = if read_by_unused.facts.contains(&FactId(id)) {
            "read only by definitions that no rule uses"
        } else {
            "no rule reads it"
        };
        found.add(
            Check::UnusedFact,
            fact.span,
            format!("fact `{}` is never used", fact.name),
            label,
            "use it in a rule's `applies when`, `deadline` or `met when`, or remove it: \
             its answer changes no result",
        );
    }
    for (_, def) in unreached(&ruleset.definitions, |i| used.defs.contains(&DefId(i))) {
        found.add(
            Check::UnusedDefinition,
            def.span,
            format!("definition `{}` is never used", def.name),
            "no rule uses it",
            "use it in a rule, or remove it",
        );
    }
    let cited = cited_sources(ruleset);
    for (_, source) in unreached(&ruleset.sources, |i| cited.contains(&SourceId(i))) {
        found.add(
            Check::UncitedSource,
            source.span,
            format!("source `{}` is never cited", source.name),
            "nothing cites it",
            "cite it from the version, exception, ending or position that rests on it, or \
             remove it",
        );
    }
}

/// The declarations whose index `reached` does not hold, with their index.
fn unreached<T>(all: &[T], reached: impl Fn(u32) -> bool) -> impl Iterator<Item = (u32, &T)> {
    all.iter()
        .enumerate()
        .map(|(i, x)| (index(i), x))
        .filter(move |(i, _)| !reached(*i))
}

/// The facts and definitions some expressions reach, through definitions.
#[derive(Debug, Default)]
struct Reached {
    facts: BTreeSet<FactId>,
    defs: BTreeSet<DefId>,
}

impl Reached {
    /// What the rules reach: every expression of every version.
    fn from_rules(ruleset: &Ruleset) -> Self {
        let mut reached = Self::default();
        let exprs = ruleset
            .rules
            .iter()
            .flat_map(|r| &r.versions)
            .flat_map(version_exprs);
        let mut todo: Vec<DefId> = Vec::new();
        for e in exprs {
            reached.visit(ruleset, e, &mut todo);
        }
        // A rule judged for each item reads its kind's list, and its `where`.
        for rule in &ruleset.rules {
            if let Some(crate::model::Each::Item { kind, filter }) = &rule.each {
                if let Some(k) = ruleset.kinds.get(kind.index()) {
                    reached.facts.insert(k.list);
                }
                if let Some(filter) = filter {
                    reached.visit(ruleset, filter, &mut todo);
                }
            }
        }
        reached.follow(ruleset, todo);
        reached
    }

    /// What the definitions outside `used` reach, besides `used` itself.
    fn by_unused_definitions(ruleset: &Ruleset, used: &Reached) -> Self {
        let mut reached = Self {
            facts: BTreeSet::new(),
            defs: used.defs.clone(),
        };
        let todo: Vec<DefId> = (0..ruleset.definitions.len())
            .map(|i| DefId(index(i)))
            .filter(|d| !used.defs.contains(d))
            .collect();
        reached.defs.extend(todo.iter().copied());
        reached.follow(ruleset, todo);
        reached
    }

    /// Reads the definitions in `todo`, and those they use, once each.
    fn follow(&mut self, ruleset: &Ruleset, mut todo: Vec<DefId>) {
        while let Some(d) = todo.pop() {
            self.visit(ruleset, &ruleset.definition(d).value, &mut todo);
        }
    }

    /// Notes the facts and new definitions one expression uses.
    fn visit(&mut self, ruleset: &Ruleset, e: &crate::model::Expr, todo: &mut Vec<DefId>) {
        e.walk(&mut |x| match &x.kind {
            ExprKind::Fact(f) | ExprKind::Field(f) => {
                self.facts.insert(*f);
            }
            // An aggregate reads its kind's list, and the field it sums or compares.
            ExprKind::Aggregate(a) => {
                if let Some(k) = ruleset.kinds.get(a.kind.index()) {
                    self.facts.insert(k.list);
                }
                if let Some(f) = a.field {
                    self.facts.insert(f);
                }
            }
            ExprKind::Def(d) if self.defs.insert(*d) => todo.push(*d),
            _ => {}
        });
    }
}

/// Every source a version, exception, ending or position cites.
fn cited_sources(ruleset: &Ruleset) -> BTreeSet<SourceId> {
    let mut cited = BTreeSet::new();
    for rule in &ruleset.rules {
        let versions = rule.versions.iter().flat_map(|v| {
            v.citations
                .iter()
                .chain(v.exceptions.iter().flat_map(|e| &e.citations))
        });
        let ending = rule.ending.iter().flat_map(|e| &e.citations);
        let positions = rule.positions.iter().flat_map(|p| &p.citations);
        cited.extend(versions.chain(ending).chain(positions).map(|c| c.source));
    }
    cited
}

/// An index as the model's ids hold it.
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}
