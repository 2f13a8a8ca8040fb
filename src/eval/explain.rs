//! Explanations, on demand: the status machine is run again for a rule
//! with recording on, so an explanation follows the very decision that gave
//! the status. Each clause becomes a tree of [`Node`]s (each part of an
//! `and`/`or`, the facts read, the definitions used); definitions are
//! explained once per organisation, in a table the nodes refer to by id, so
//! an explanation grows with the ruleset, not with the ways definitions
//! nest. Typed values only: reports word them.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::decide::{self, Focus, Role, Trace};
use super::known::Standing;
use super::tri::{Evaluator, Tri};
use super::{Outcome, Plan};
use crate::facts::Facts;
use crate::model::{DefId, Each, Expr, ExprKind, FactId};

/// One clause of the version used, as the status machine evaluated it.
#[derive(Debug, Clone)]
pub struct ClauseNode<'r> {
    /// Which clause.
    pub role: Role,
    /// Its evaluation.
    pub node: Node<'r>,
}

/// An expression, what it came to, and why.
#[derive(Debug, Clone)]
pub struct Node<'r> {
    /// The expression (its span points at the rule text).
    pub expr: &'r Expr,
    /// What it came to.
    pub value: Tri,
    /// The facts read directly here, in order of first use.
    pub facts: Vec<FactSeen>,
    /// The parts of an `and`/`or` (flattened) or of a `not` over one.
    pub parts: Vec<Node<'r>>,
    /// The definitions used directly here, in order of first use; each is
    /// explained once in the organisation's [`Explainer::definition`] table.
    pub uses: Vec<DefId>,
}

/// One fact as the explanation saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct FactSeen {
    /// The fact.
    pub fact: FactId,
    /// Its value as the date judged sees it (a later event has not happened).
    pub seen: Tri,
}

/// Explains outcomes of one organisation under one plan, keeping each
/// definition's explanation once.
pub struct Explainer<'p, 'r> {
    plan: &'p Plan<'r>,
    ev: Evaluator<'r>,
    definitions: Vec<Option<Node<'r>>>,
    /// Definitions in the order they were first explained.
    order: Vec<DefId>,
}

/// Records each clause the status machine evaluates.
struct Recorder<'r> {
    clauses: Vec<(Role, &'r Expr, Option<NaiveDate>)>,
}

impl<'r> Trace<'r> for Recorder<'r> {
    fn clause(&mut self, role: Role, expr: &'r Expr, period: Option<NaiveDate>) {
        self.clauses.push((role, expr, period));
    }
}

impl<'p, 'r> Explainer<'p, 'r> {
    /// An explainer for `facts`, judged as the plan says.
    pub fn new(plan: &'p Plan<'r>, facts: &'r Facts) -> Self {
        let ruleset = plan.ruleset();
        Self {
            plan,
            ev: Evaluator::new(ruleset, facts, plan.dates().as_of),
            definitions: vec![None; ruleset.definitions.len()],
            order: Vec::new(),
        }
    }

    /// The clauses that decided `outcome`, each explained. Empty for a rule
    /// decided by time alone (not yet in force, ended), and for an outcome
    /// this explainer's plan and facts did not give.
    pub fn explain(&mut self, outcome: &Outcome) -> Vec<ClauseNode<'r>> {
        let Some(standing) = self.plan.standing(outcome.rule) else {
            return Vec::new();
        };
        if matches!(standing, Standing::Fixed(_)) {
            return Vec::new();
        }
        let mut recorder = Recorder {
            clauses: Vec::new(),
        };
        let ruleset = self.plan.ruleset();
        let each = ruleset.get_rule(outcome.rule).and_then(|r| r.each.as_ref());
        // The item whose fields the clauses read, if any.
        let mut bound = None;
        let again = match (each, outcome.item) {
            // A rule judged item by item is explained item by item; what
            // its items share (its exceptions and `applies when` over the
            // organisation's facts) is explained once, from the item that
            // decides it.
            (Some(_), None) => {
                let Some(deciding) = super::rollup::deciding(&outcome.items) else {
                    return Vec::new();
                };
                let mut clauses = self.explain(&deciding.clone());
                clauses.retain(|c| !per_item(c.node.expr, c.role));
                return clauses;
            }
            (None, _) => decide::judge(
                &self.ev,
                outcome.rule,
                standing,
                Focus::Standing,
                &mut recorder,
            ),
            (Some(Each::Period), Some(i)) => {
                let Some(day) = outcome.period else {
                    return Vec::new();
                };
                let mut o = decide::judge(
                    &self.ev,
                    outcome.rule,
                    standing,
                    Focus::Period(day),
                    &mut recorder,
                );
                o.item = Some(i);
                o
            }
            (Some(Each::Item { kind, filter }), Some(i)) => {
                let Standing::InForce { version, notes } = standing else {
                    return Vec::new();
                };
                let Some(v) = ruleset
                    .get_rule(outcome.rule)
                    .and_then(|r| r.versions.get(*version))
                else {
                    return Vec::new();
                };
                let mut o = Outcome::new(outcome.rule, Some(*version), super::Status::Unknown);
                o.notes = *notes;
                decide::judge_items(
                    &self.ev,
                    *kind,
                    filter.as_ref(),
                    v,
                    &mut recorder,
                    &mut o,
                    Some(i),
                );
                bound = Some((*kind, i));
                o.items.pop().unwrap_or(o)
            }
        };
        // An outcome of another plan (another date, another ruleset) is not
        // a decision made here: there is nothing of it to explain.
        if again != *outcome {
            return Vec::new();
        }
        if let Some((kind, i)) = bound {
            self.ev.bind(kind, Some(i));
        }
        let clauses: Vec<ClauseNode<'r>> = recorder
            .clauses
            .into_iter()
            .map(|(role, expr, period)| {
                self.ev.set_period(period);
                let node = node(&self.ev, expr);
                self.ev.set_period(None);
                ClauseNode { role, node }
            })
            .collect();
        if let Some((kind, _)) = bound {
            self.ev.bind(kind, None);
        }
        for c in &clauses {
            self.define_all(&c.node);
        }
        clauses
    }

    /// The explanation of a definition, once some explained node uses it.
    pub fn definition(&self, id: DefId) -> Option<&Node<'r>> {
        self.definitions.get(id.0 as usize)?.as_ref()
    }

    /// Every definition explained so far, in the order first used.
    pub fn definitions(&self) -> impl Iterator<Item = (DefId, &Node<'r>)> {
        self.order
            .iter()
            .filter_map(|d| Some((*d, self.definition(*d)?)))
    }

    /// The fact's value as the date judged sees it.
    pub fn seen(&self, fact: FactId) -> Tri {
        self.ev.fact(fact)
    }

    /// Explains every definition `n` uses, directly or not, that is not yet
    /// explained: a worklist, so a long chain needs no deep recursion.
    fn define_all(&mut self, n: &Node<'r>) {
        let mut work: Vec<DefId> = Vec::new();
        uses_below(n, &mut work);
        work.reverse();
        while let Some(d) = work.pop() {
            let Some(slot) = self.definitions.get(d.0 as usize) else {
                continue;
            };
            if slot.is_some() {
                continue;
            }
            let Some(def) = self.plan.ruleset().definitions.get(d.0 as usize) else {
                continue;
            };
            let explained = node(&self.ev, &def.value);
            let mut next = Vec::new();
            uses_below(&explained, &mut next);
            next.reverse();
            work.extend(next);
            if let Some(slot) = self.definitions.get_mut(d.0 as usize) {
                *slot = Some(explained);
            }
            self.order.push(d);
        }
    }
}

/// Whether a clause of a rule judged for each item or period is the item's
/// own (it reads the item's fields, or `period`, or an aggregate that does)
/// rather than one every item shares.
pub fn per_item(expr: &Expr, role: super::Role) -> bool {
    use super::Role;
    if matches!(role, Role::MetWhenFor(_) | Role::Where) {
        return true;
    }
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Field(_) | ExprKind::Period => return true,
            // An aggregate computed once reads only its own items.
            ExprKind::Aggregate(a) => {
                if a.memo.is_none() {
                    return true;
                }
            }
            _ => stack.extend(children(e)),
        }
    }
    false
}

/// The expressions directly inside `e` (not inside its aggregates).
fn children(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Not(x)
        | ExprKind::Neg(x)
        | ExprKind::IsSet(x)
        | ExprKind::IsMissing(x)
        | ExprKind::OneOf(x, _) => vec![x],
        ExprKind::And(a, b)
        | ExprKind::Or(a, b)
        | ExprKind::Cmp(_, a, b)
        | ExprKind::Arith(_, a, b) => {
            vec![a, b]
        }
        ExprKind::If(c, t, f) => vec![c, t, f],
        _ => Vec::new(),
    }
}

/// The definitions a node and its parts use, in order.
fn uses_below(n: &Node<'_>, out: &mut Vec<DefId>) {
    out.extend(&n.uses);
    for p in &n.parts {
        uses_below(p, out);
    }
}

/// Explains one expression (definitions it uses are referred to, not nested).
fn node<'r>(ev: &Evaluator<'r>, e: &'r Expr) -> Node<'r> {
    let value = ev.eval(e);
    let mut parts = Vec::new();
    let mut facts = Vec::new();
    let mut uses = Vec::new();
    match &e.kind {
        ExprKind::And(a, b) | ExprKind::Or(a, b) => {
            flatten(ev, e, a, &mut parts);
            flatten(ev, e, b, &mut parts);
        }
        ExprKind::Not(x) if matches!(x.kind, ExprKind::And(..) | ExprKind::Or(..)) => {
            parts.push(node(ev, x))
        }
        _ => {
            let mut seen = BTreeSet::new();
            let list = |k: crate::model::KindId| ev.ruleset.kinds.get(k.index()).map(|k| k.list);
            e.for_each_input(&list, &mut |f| {
                if seen.insert(f) {
                    facts.push(FactSeen {
                        fact: f,
                        seen: ev.fact(f),
                    });
                }
            });
            let mut seen = BTreeSet::new();
            e.for_each_def(&mut |d| {
                if seen.insert(d) {
                    uses.push(d);
                }
            });
        }
    }
    Node {
        expr: e,
        value,
        facts,
        parts,
        uses,
    }
}

/// Lists `a and b and c` as three parts, not a nested pair.
fn flatten<'r>(ev: &Evaluator<'r>, parent: &'r Expr, e: &'r Expr, out: &mut Vec<Node<'r>>) {
    let same = matches!(
        (&parent.kind, &e.kind),
        (ExprKind::And(..), ExprKind::And(..)) | (ExprKind::Or(..), ExprKind::Or(..))
    );
    match &e.kind {
        ExprKind::And(a, b) | ExprKind::Or(a, b) if same => {
            flatten(ev, e, a, out);
            flatten(ev, e, b, out);
        }
        _ => out.push(node(ev, e)),
    }
}
