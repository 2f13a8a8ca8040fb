//! Checked expressions: names resolved to indices, every node typed.

use super::{DefId, FactId};
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
}

impl Expr {
    /// Calls `f` on every fact read directly by this expression (not through definitions).
    pub fn for_each_fact(&self, f: &mut impl FnMut(FactId)) {
        self.walk(&mut |e| {
            if let ExprKind::Fact(id) = e.kind {
                f(id);
            }
        });
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
            | ExprKind::Period => {}
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
