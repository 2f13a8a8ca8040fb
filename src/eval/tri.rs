//! Three-valued (Kleene) evaluation of checked expressions.

use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::collections::BTreeSet;

use chrono::{Days, Months, NaiveDate};

use crate::facts::{Facts, Slot};
use crate::model::{ArithOp, CmpOp, DefId, Expr, ExprKind, FactId, Ruleset};
use crate::value::{TimeUnit, Value};

/// A value, or unknown because of the facts listed.
#[derive(Debug, Clone, PartialEq)]
pub enum Tri {
    Known(Value),
    Unknown(BTreeSet<FactId>),
}

impl Tri {
    fn bool(b: bool) -> Self {
        Tri::Known(Value::Bool(b))
    }

    /// `Some(b)` for a known condition; a known empty value counts as false.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Tri::Known(Value::Bool(b)) => Some(*b),
            Tri::Known(_) => Some(false),
            Tri::Unknown(_) => None,
        }
    }

    /// The facts that left this unknown (empty when known).
    pub fn missing(&self) -> BTreeSet<FactId> {
        match self {
            Tri::Unknown(m) => m.clone(),
            Tri::Known(_) => BTreeSet::new(),
        }
    }
}

/// Evaluates expressions for one organisation on one date.
pub struct Evaluator<'a> {
    pub ruleset: &'a Ruleset,
    pub facts: &'a Facts,
    pub as_of: NaiveDate,
    defs: RefCell<Vec<Option<Tri>>>,
    /// The first day of the period a recurring deadline is judging.
    period: Cell<Option<NaiveDate>>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator; definitions are computed once each, on first use.
    pub fn new(ruleset: &'a Ruleset, facts: &'a Facts, as_of: NaiveDate) -> Self {
        Self {
            ruleset,
            facts,
            as_of,
            defs: RefCell::new(vec![None; ruleset.definitions.len()]),
            period: Cell::new(None),
        }
    }

    /// Names the period `period` stands for, while judging a recurring deadline.
    pub fn set_period(&self, first_day: Option<NaiveDate>) {
        self.period.set(first_day);
    }

    /// The fact as seen on the as-of date: an event dated later has not
    /// happened yet (unless the fact is a summary `as recorded`).
    pub fn fact(&self, id: FactId) -> Tri {
        let as_recorded = self.ruleset.fact(id).as_recorded;
        match self.facts.slot(id) {
            Slot::Absent => Tri::Unknown(BTreeSet::from([id])),
            Slot::Given { value, .. } if as_recorded => Tri::Known(value.clone()),
            Slot::Given { value, .. } => Tri::Known(match value {
                Value::Date(d) if *d > self.as_of => Value::Null,
                Value::DateTime(dt) if dt.date() > self.as_of => Value::Null,
                v => v.clone(),
            }),
        }
    }

    /// A definition's value (memoised).
    pub fn def(&self, id: DefId) -> Tri {
        if let Some(Some(v)) = self.defs.borrow().get(id.0 as usize) {
            return v.clone();
        }
        let v = self.eval(&self.ruleset.definition(id).value);
        if let Some(slot) = self.defs.borrow_mut().get_mut(id.0 as usize) {
            *slot = Some(v.clone());
        }
        v
    }

    /// Evaluates an expression.
    pub fn eval(&self, e: &Expr) -> Tri {
        match &e.kind {
            ExprKind::Const(v) => Tri::Known(v.clone()),
            ExprKind::Fact(id) => self.fact(*id),
            ExprKind::Def(id) => self.def(*id),
            ExprKind::Today => Tri::Known(Value::Date(self.as_of)),
            ExprKind::Period => Tri::Known(self.period.get().map_or(Value::Null, Value::Date)),
            ExprKind::Not(x) => match self.eval(x) {
                Tri::Unknown(m) => Tri::Unknown(m),
                k => Tri::bool(!k.as_bool().unwrap_or(false)),
            },
            ExprKind::And(a, b) => self.kleene(a, b, false),
            ExprKind::Or(a, b) => self.kleene(a, b, true),
            ExprKind::Neg(x) => match self.eval(x) {
                Tri::Known(Value::Number(n)) => Tri::Known(Value::Number(-n)),
                other => other,
            },
            ExprKind::IsSet(x) | ExprKind::IsMissing(x) => {
                let set = matches!(e.kind, ExprKind::IsSet(_));
                match self.eval(x) {
                    Tri::Unknown(m) => Tri::Unknown(m),
                    Tri::Known(Value::Null) => Tri::bool(!set),
                    Tri::Known(_) => Tri::bool(set),
                }
            }
            ExprKind::OneOf(x, set) => match self.eval(x) {
                Tri::Unknown(m) => Tri::Unknown(m),
                Tri::Known(Value::Variant(v)) => Tri::bool(set.contains(&v)),
                Tri::Known(_) => Tri::bool(false),
            },
            ExprKind::If(c, t, f) => match self.eval(c) {
                Tri::Unknown(m) => Tri::Unknown(m),
                k => {
                    if k.as_bool().unwrap_or(false) {
                        self.eval(t)
                    } else {
                        self.eval(f)
                    }
                }
            },
            ExprKind::Cmp(op, a, b) => match self.both(a, b) {
                Err(m) => Tri::Unknown(m),
                Ok((x, y)) => Tri::bool(compare(*op, &x, &y)),
            },
            ExprKind::Arith(op, a, b) => match self.both(a, b) {
                Err(m) => Tri::Unknown(m),
                // An empty operand gives an empty result (a deadline counted
                // from an event that has not happened is not set yet); a result
                // that cannot be computed (division by zero, a date beyond the
                // calendar) is unknown, never a value that could decide a rule.
                Ok((Value::Null, _) | (_, Value::Null)) => Tri::Known(Value::Null),
                Ok((x, y)) => arith(*op, &x, &y).map_or(Tri::Unknown(BTreeSet::new()), Tri::Known),
            },
        }
    }

    fn both(&self, a: &Expr, b: &Expr) -> Result<(Value, Value), BTreeSet<FactId>> {
        match (self.eval(a), self.eval(b)) {
            (Tri::Known(x), Tri::Known(y)) => Ok((x, y)),
            (x, y) => {
                let mut m = x.missing();
                m.extend(y.missing());
                Err(m)
            }
        }
    }

    /// `and` (dominant = false) or `or` (dominant = true), in Kleene's logic.
    fn kleene(&self, a: &Expr, b: &Expr, dominant: bool) -> Tri {
        let x = self.eval(a);
        if x.as_bool() == Some(dominant) {
            return x.as_bool().map_or(x, Tri::bool);
        }
        let y = self.eval(b);
        match (x.as_bool(), y.as_bool()) {
            (_, Some(v)) if v == dominant => Tri::bool(dominant),
            (Some(_), Some(_)) => Tri::bool(!dominant),
            _ => {
                let mut m = x.missing();
                m.extend(y.missing());
                Tri::Unknown(m)
            }
        }
    }
}

/// Compares two known values; anything involving an empty value is false.
fn compare(op: CmpOp, x: &Value, y: &Value) -> bool {
    let ord = match (x, y) {
        (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
        (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
        (Value::DateTime(a), Value::DateTime(b)) => Some(a.cmp(b)),
        (Value::Date(a), Value::DateTime(b)) => Some(a.cmp(&b.date())),
        (Value::DateTime(a), Value::Date(b)) => Some(a.date().cmp(b)),
        (Value::Duration(a, u), Value::Duration(b, w)) if u == w => Some(a.cmp(b)),
        (Value::Text(a), Value::Text(b)) => Some(a.cmp(b)),
        (Value::Variant(a), Value::Variant(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    };
    let Some(ord) = ord else { return false };
    match op {
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
    }
}

/// Arithmetic on known, non-empty values; `None` when it has no result.
fn arith(op: ArithOp, x: &Value, y: &Value) -> Option<Value> {
    let out = match (op, x, y) {
        (ArithOp::Add, Value::Number(a), Value::Number(b)) => Some(Value::Number(a + b)),
        (ArithOp::Sub, Value::Number(a), Value::Number(b)) => Some(Value::Number(a - b)),
        (ArithOp::Mul, Value::Number(a), Value::Number(b)) => Some(Value::Number(a * b)),
        (ArithOp::Div, Value::Number(a), Value::Number(b)) => {
            (*b != 0.0).then(|| Value::Number(a / b))
        }
        (ArithOp::Sub, Value::Date(a), Value::Date(b)) =>
        {
            #[expect(clippy::cast_precision_loss, reason = "day counts are small")]
            Some(Value::Number((*a - *b).num_days() as f64))
        }
        (ArithOp::Add, Value::Date(d), Value::Duration(n, u))
        | (ArithOp::Add, Value::Duration(n, u), Value::Date(d)) => {
            shift(*d, *n, *u).map(Value::Date)
        }
        (ArithOp::Sub, Value::Date(d), Value::Duration(n, u)) => {
            shift(*d, -*n, *u).map(Value::Date)
        }
        (ArithOp::Add, Value::DateTime(t), Value::Duration(n, u))
        | (ArithOp::Add, Value::Duration(n, u), Value::DateTime(t)) => {
            shift(t.date(), *n, *u).map(|d| Value::DateTime(d.and_time(t.time())))
        }
        (ArithOp::Sub, Value::DateTime(t), Value::Duration(n, u)) => {
            shift(t.date(), -*n, *u).map(|d| Value::DateTime(d.and_time(t.time())))
        }
        _ => None,
    };
    out.filter(|v| !matches!(v, Value::Number(n) if !n.is_finite()))
}

/// Moves a date by a duration; months clamp to the month's last day.
pub fn shift(d: NaiveDate, n: i64, unit: TimeUnit) -> Option<NaiveDate> {
    let days = |k: i64| -> Option<NaiveDate> {
        let k_abs = Days::new(k.unsigned_abs());
        if k >= 0 {
            d.checked_add_days(k_abs)
        } else {
            d.checked_sub_days(k_abs)
        }
    };
    let months = |k: i64| -> Option<NaiveDate> {
        let m = Months::new(u32::try_from(k.unsigned_abs()).ok()?);
        if k >= 0 {
            d.checked_add_months(m)
        } else {
            d.checked_sub_months(m)
        }
    };
    match unit {
        TimeUnit::Days => days(n),
        TimeUnit::Weeks => days(n.checked_mul(7)?),
        TimeUnit::Months => months(n),
        TimeUnit::Years => months(n.checked_mul(12)?),
    }
}
