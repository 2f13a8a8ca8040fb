//! Declared and never used: facts and definitions no rule reaches, sources
//! nothing cites.

use std::collections::BTreeSet;

use super::{Check, Findings, version_exprs};
use crate::model::{DefId, Each, ExprKind, FactId, KindId, Ruleset, SourceId};

pub(super) fn check(ruleset: &Ruleset, found: &mut Findings) {
    let used = Reached::from_rules(ruleset);
    let read_by_unused = Reached::by_unused_definitions(ruleset, &used);
    // Item fields and lists are the `items` check's.
    let organisation = ruleset
        .organisation_facts()
        .filter(|(id, _)| !used.facts.contains(id));
    for (id, fact) in organisation {
        let label = if read_by_unused.facts.contains(&id) {
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

/// The facts (item fields among them), kinds aggregated over and
/// definitions some expressions reach, through definitions.
#[derive(Debug, Default)]
pub(super) struct Reached {
    pub(super) facts: BTreeSet<FactId>,
    pub(super) kinds: BTreeSet<KindId>,
    defs: BTreeSet<DefId>,
}

impl Reached {
    /// What the rules reach: every expression of every version, and each
    /// rule's `for each … where`.
    pub(super) fn from_rules(ruleset: &Ruleset) -> Self {
        let mut reached = Self::default();
        let filters = ruleset.rules.iter().filter_map(|r| match &r.each {
            Some(Each::Item { filter, .. }) => filter.as_ref(),
            _ => None,
        });
        let exprs = ruleset
            .rules
            .iter()
            .flat_map(|r| &r.versions)
            .flat_map(version_exprs)
            .chain(filters);
        let mut todo: Vec<DefId> = Vec::new();
        for e in exprs {
            reached.visit(e, &mut todo);
        }
        reached.follow(ruleset, todo);
        reached
    }

    /// What the definitions outside `used` reach, besides `used` itself.
    fn by_unused_definitions(ruleset: &Ruleset, used: &Reached) -> Self {
        let mut reached = Self {
            facts: BTreeSet::new(),
            kinds: BTreeSet::new(),
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
            self.visit(&ruleset.definition(d).value, &mut todo);
        }
    }

    /// Notes the facts, fields, kinds and new definitions one expression uses.
    fn visit(&mut self, e: &crate::model::Expr, todo: &mut Vec<DefId>) {
        e.for_each_fact(&mut |f| {
            self.facts.insert(f);
        });
        e.walk(&mut |x| match &x.kind {
            ExprKind::Aggregate(a) => {
                self.kinds.insert(a.kind);
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
