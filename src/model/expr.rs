//! Checked expressions: names resolved to indices, every node typed.

use super::{AggregateOp, DefId, FactId, KindId};
use crate::source::Span;
use crate::value::{Type, Value};

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// A typed expression with the span of its text.
#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Type,
    pub span: Span,
}

/// The checked shapes of an expression.
#[derive(Debug, Clone)]
pub enum ExprKind {
    Const(Value),
    Fact(FactId),
    Def(DefId),
    Today,
    /// The first day of the period a recurring deadline judges.
    Period,
    Not(Box<Expr>),
    Neg(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    IsSet(Box<Expr>),
    IsMissing(Box<Expr>),
    /// Membership in a set of variants (indices into the fact's list).
    OneOf(Box<Expr>, Vec<u32>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A field of the item in scope (an [`super::Owner::Field`] fact).
    Field(FactId),
    /// `count of KIND where …` and the other aggregates.
    Aggregate(Box<Aggregate>),
}

/// An aggregate over the items of a kind.
#[derive(Debug, Clone)]
pub struct Aggregate {
    /// What it computes.
    pub op: AggregateOp,
    /// Over which kind.
    pub kind: KindId,
    /// The field summed or compared (sum, earliest, latest).
    pub field: Option<FactId>,
    /// `where …`: the items it looks at (for `all`, the condition each must meet).
    pub filter: Option<Expr>,
    /// Its slot in the organisation's memo, when it reads nothing but its
    /// own items and the organisation's facts (so is the same wherever it is
    /// evaluated).
    pub memo: Option<u32>,
}

impl Expr {
    /// Calls `f` on every fact read directly by this expression (not through
    /// definitions): the organisation's facts, item fields, and the list of
    /// each kind an aggregate looks at.
    pub fn for_each_fact(&self, f: &mut impl FnMut(FactId)) {
        self.walk(&mut |e| match &e.kind {
            ExprKind::Fact(id) | ExprKind::Field(id) => f(*id),
            ExprKind::Aggregate(a) => {
                if let Some(field) = a.field {
                    f(field);
                }
            }
            _ => {}
        });
    }

    /// Calls `f` on every input this expression reads as a reader sees it:
    /// the organisation's facts and the fields of the item in view, and for
    /// each aggregate the list it looks at (`kind_list` gives the list's
    /// fact), not the fields inside it.
    pub fn for_each_input(
        &self,
        kind_list: &impl Fn(super::KindId) -> Option<FactId>,
        f: &mut impl FnMut(FactId),
    ) {
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Fact(id) | ExprKind::Field(id) => f(*id),
                ExprKind::Aggregate(a) => {
                    if let Some(list) = kind_list(a.kind) {
                        f(list);
                    }
                }
                ExprKind::Const(_) | ExprKind::Def(_) | ExprKind::Today | ExprKind::Period => {}
                ExprKind::Not(x)
                | ExprKind::Neg(x)
                | ExprKind::IsSet(x)
                | ExprKind::IsMissing(x)
                | ExprKind::OneOf(x, _) => stack.push(x),
                ExprKind::And(a, b)
                | ExprKind::Or(a, b)
                | ExprKind::Cmp(_, a, b)
                | ExprKind::Arith(_, a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                ExprKind::If(c, t, x) => {
                    stack.push(x);
                    stack.push(t);
                    stack.push(c);
                }
            }
        }
    }

    /// Calls `f` on every definition used directly by this expression.
    pub fn for_each_def(&self, f: &mut impl FnMut(DefId)) {
        self.walk(&mut |e| {
            if let ExprKind::Def(id) = e.kind {
                f(id);
            }
        });
    }

    /// Visits this node and all below it, parents first.
    pub fn walk(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Const(_)
            | ExprKind::Fact(_)
            | ExprKind::Def(_)
            | ExprKind::Today
            | ExprKind::Field(_)
            | ExprKind::Period => {}
            ExprKind::Aggregate(a) => {
                if let Some(filter) = &a.filter {
                    filter.walk(f);
                }
            }
            ExprKind::Not(e) | ExprKind::Neg(e) | ExprKind::IsSet(e) | ExprKind::IsMissing(e) => {
                e.walk(f)
            }
            ExprKind::OneOf(e, _) => e.walk(f),
            ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Cmp(_, a, b)
            | ExprKind::Arith(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            ExprKind::If(c, t, e) => {
                c.walk(f);
                t.walk(f);
                e.walk(f);
            }
        }
    }
}
