//! Conditions that are always the same: an `applies when`, `met when` or
//! `unless` that depends on no fact, no item field, no list of items, no
//! `today` and no `period`, directly or through definitions.
//!
//! One exception: a permission whose `met when` is the literal `true` is
//! unconditional, available whenever it applies (the bundled
//! `pause-automatic-access` says so), and is not flagged. Through a
//! definition, or on another kind of rule, a constant `true` is.

use std::collections::BTreeMap;

use super::{Check, Findings};
use crate::model::{DefId, Expr, ExprKind, RuleKind, Ruleset};
use crate::value::Value;

pub(super) fn check(ruleset: &Ruleset, found: &mut Findings) {
    let mut constant = Constancy {
        ruleset,
        defs: BTreeMap::new(),
    };
    for rule in &ruleset.rules {
        for version in &rule.versions {
            let unconditional_permission = rule.kind == RuleKind::Permission
                && matches!(version.met_when.kind, ExprKind::Const(Value::Bool(true)));
            let mut clauses: Vec<(&str, &Expr, &str)> = Vec::new();
            if let Some(e) = &version.applies_when {
                clauses.push((
                    "applies when",
                    e,
                    "make it depend on a fact the organisation answers; if the rule applies to \
                     every organisation, remove `applies when`",
                ));
            }
            if !unconditional_permission {
                clauses.push((
                    "met when",
                    &version.met_when,
                    "make it depend on a fact the organisation answers, such as `FACT is set`; \
                     only a permission may be `met when true` (available whenever it applies)",
                ));
            }
            for exception in &version.exceptions {
                clauses.push((
                    "unless",
                    &exception.condition,
                    "make it depend on a fact the organisation answers, or remove the exception",
                ));
            }
            for (clause, expr, help) in clauses {
                if constant.varies(expr) {
                    continue;
                }
                found.add(
                    Check::ConstantCondition,
                    expr.span,
                    format!("`{clause}` of `{}` depends on no fact", rule.name),
                    label(expr),
                    help,
                );
            }
        }
    }
}

/// What a constant condition says.
fn label(e: &Expr) -> &'static str {
    match e.kind {
        ExprKind::Const(Value::Bool(true)) => "always true",
        ExprKind::Const(Value::Bool(false)) => "always false",
        _ => "the same for every organisation and every date",
    }
}

/// Whether expressions depend on facts, `today` or `period`, remembering
/// the answer for each definition.
struct Constancy<'a> {
    ruleset: &'a Ruleset,
    defs: BTreeMap<DefId, bool>,
}

impl Constancy<'_> {
    fn varies(&mut self, e: &Expr) -> bool {
        let mut direct = false;
        let mut defs = Vec::new();
        e.walk(&mut |x| match x.kind {
            // An aggregate reads its list, which the organisation answers.
            ExprKind::Fact(_)
            | ExprKind::Field(_)
            | ExprKind::Aggregate(_)
            | ExprKind::Today
            | ExprKind::Period => direct = true,
            ExprKind::Def(d) => defs.push(d),
            _ => {}
        });
        direct || defs.into_iter().any(|d| self.def_varies(d))
    }

    fn def_varies(&mut self, d: DefId) -> bool {
        if let Some(known) = self.defs.get(&d) {
            return *known;
        }
        let ruleset = self.ruleset;
        let varies = self.varies(&ruleset.definition(d).value);
        self.defs.insert(d, varies);
        varies
    }
}
