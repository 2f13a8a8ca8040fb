//! Expressions: names resolved, types checked, operators given meaning.

use std::collections::HashMap;

use super::super::expr::{Aggregate, ArithOp, CmpOp, Expr, ExprKind};
use super::super::{AggregateOp, FactId, KindId};
use super::{Checker, DefState, Named, Scope, id};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::Span;
use crate::syntax::ast::{self, BinaryOp};
use crate::value::{Type, Value};

impl Checker<'_> {
    pub(super) fn expect(&mut self, e: Expr, types: &[Type], what: &str) -> Option<Expr> {
        if types.contains(&e.ty) {
            return Some(e);
        }
        let wanted: Vec<&str> = types.iter().map(|t| t.describe()).collect();
        let text = self.sources.slice(e.span).to_string();
        self.err(
            Diagnostic::error(
                e.span,
                format!(
                    "{what} needs {}, but `{text}` is {}",
                    wanted.join(" or "),
                    e.ty.describe()
                ),
                "wrong type",
            )
            .with_help(type_help(types, e.ty)),
        );
        None
    }

    pub(super) fn type_error(
        &mut self,
        span: Span,
        message: String,
        help: impl Into<String>,
    ) -> Option<Expr> {
        self.err(Diagnostic::error(span, message, "wrong type").with_help(help));
        None
    }

    pub(super) fn expr(&mut self, e: &ast::Expr) -> Option<Expr> {
        use ast::ExprKind as A;
        let (kind, ty) = match &e.node {
            A::Bool(b) => (ExprKind::Const(Value::Bool(*b)), Type::Bool),
            #[expect(
                clippy::cast_precision_loss,
                reason = "literals in rule files are far below 2^53"
            )]
            A::Integer(n) => (ExprKind::Const(Value::Number(*n as f64)), Type::Count),
            A::Decimal(n) => (ExprKind::Const(Value::Number(*n)), Type::Number),
            A::Percent(p) => (ExprKind::Const(Value::Number(p / 100.0)), Type::Percent),
            A::Date(d) => (ExprKind::Const(Value::Date(*d)), Type::Date),
            A::DateTime(d) => (ExprKind::Const(Value::DateTime(*d)), Type::DateTime),
            A::Month(d) => (ExprKind::Const(Value::Date(*d)), Type::Month),
            A::Duration(n, u) => (ExprKind::Const(Value::Duration(*n, *u)), Type::Duration),
            A::Text(t) => (
                ExprKind::Const(Value::Text(std::sync::Arc::new(t.clone()))),
                Type::Text,
            ),
            A::Today => (ExprKind::Today, Type::Date),
            A::Unstated => (ExprKind::Const(Value::Null), Type::Date),
            A::Period => match self.period {
                Some(ty) => {
                    // An aggregate that reads `period` differs period by period.
                    for sc in &mut self.scope {
                        sc.open = true;
                    }
                    (ExprKind::Period, ty)
                }
                None => {
                    self.err(
                        Diagnostic::error(e.span, "`period` is only known under a recurring deadline", "no period here")
                            .with_help("use `period` in the `met when` of a version with `deadline every …`, where it is the first day of the period judged"),
                    );
                    return None;
                }
            },
            A::Name(n) => return self.name(n, e.span),
            A::Field(kind, field) => return self.field(kind, field, e.span),
            A::Aggregate {
                op,
                kind,
                field,
                filter,
            } => return self.aggregate(*op, kind, field.as_ref(), filter.as_deref(), e.span),
            A::Not(x) => {
                let x = self.expr(x)?;
                let x = self.expect(x, &[Type::Bool], "`not`")?;
                (ExprKind::Not(Box::new(x)), Type::Bool)
            }
            A::Neg(x) => {
                let x = self.expr(x)?;
                if !x.ty.is_numeric() {
                    return self.type_error(
                        e.span,
                        format!("`-` needs a number, not {}", x.ty.describe()),
                        "only numbers can be negated",
                    );
                }
                let ty = x.ty;
                (
                    ExprKind::Neg(Box::new(x)),
                    if ty == Type::Count { Type::Number } else { ty },
                )
            }
            A::IsSet(x) | A::IsMissing(x) => {
                let inner = self.expr(x)?;
                if !matches!(
                    inner.kind,
                    ExprKind::Fact(_)
                        | ExprKind::Def(_)
                        | ExprKind::Field(_)
                        | ExprKind::Aggregate(_)
                ) {
                    let text = self.sources.slice(x.span).to_string();
                    return self.type_error(
                        x.span,
                        format!("`is set` and `is missing` apply to a fact, a field or a definition, not `{text}`"),
                        "write the fact's name, like `switched_on is set`",
                    );
                }
                let b = Box::new(inner);
                let kind = if matches!(e.node, A::IsSet(_)) {
                    ExprKind::IsSet(b)
                } else {
                    ExprKind::IsMissing(b)
                };
                (kind, Type::Bool)
            }
            A::OneOf(x, variants) => {
                let x = self.expr(x)?;
                let Type::Enum(f) = x.ty else {
                    return self.type_error(
                        e.span,
                        format!(
                            "`is one of` needs a choice from a list, but this is {}",
                            x.ty.describe()
                        ),
                        "use it on a fact declared as `one of A, B, C`",
                    );
                };
                let mut idx = Vec::new();
                for v in variants {
                    idx.push(self.variant(f, &v.node, v.span)?);
                }
                (ExprKind::OneOf(Box::new(x), idx), Type::Bool)
            }
            A::If(c, t, f) => {
                let c = self
                    .expr(c)
                    .and_then(|c| self.expect(c, &[Type::Bool], "`if`"));
                let t = self.expr(t);
                let f = self.expr(f);
                let (c, t, f) = (c?, t?, f?);
                let ty = match unify(t.ty, f.ty) {
                    Some(ty) => ty,
                    None => {
                        return self.type_error(
                            e.span,
                            format!(
                                "the branches of `if` differ: {} and {}",
                                t.ty.describe(),
                                f.ty.describe()
                            ),
                            "both branches must give the same kind of value",
                        );
                    }
                };
                (ExprKind::If(Box::new(c), Box::new(t), Box::new(f)), ty)
            }
            A::Binary(op, a, b) => return self.binary(*op, a, b, e.span),
        };
        Some(Expr {
            kind,
            ty,
            span: e.span,
        })
    }

    pub(super) fn name(&mut self, name: &str, span: Span) -> Option<Expr> {
        match self.names.get(name).map(|(n, _)| *n) {
            Some(Named::Fact(f)) => {
                let ty = self.facts.get(f.0 as usize)?.ty;
                Some(Expr {
                    kind: ExprKind::Fact(f),
                    ty,
                    span,
                })
            }
            Some(Named::Def(d)) => {
                if self.def_state.get(d.0 as usize) == Some(&DefState::InProgress) {
                    self.err(
                        Diagnostic::error(span, format!("definition `{name}` depends on itself"), "cycle")
                            .with_help("a definition cannot use itself, directly or through others; break the cycle"),
                    );
                    return None;
                }
                let ty = self.definition(d.0 as usize)?;
                Some(Expr {
                    kind: ExprKind::Def(d),
                    ty,
                    span,
                })
            }
            None => {
                let mut candidates: Vec<&str> = self.names.keys().map(String::as_str).collect();
                candidates.sort_unstable();
                let help = did_you_mean(name, candidates)
                    .unwrap_or_else(|| format!("declare it with `fact {name}: TYPE \"label\" ask \"question\"` or `define {name} = …`"));
                self.err(
                    Diagnostic::error(
                        span,
                        format!("unknown name `{name}`"),
                        "not a fact or definition",
                    )
                    .with_help(help),
                );
                None
            }
        }
    }

    /// The kind of item named `name`, or an error pointing at it.
    pub(super) fn kind_named(&mut self, name: &ast::Node<String>) -> Option<KindId> {
        if let Some(i) = self.kinds.iter().position(|k| k.name == name.node) {
            return Some(KindId(id(i)));
        }
        let help = did_you_mean(&name.node, self.kinds.iter().map(|k| k.name.as_str()))
            .unwrap_or_else(|| {
                format!(
                    "declare it with `item {} \"one\", \"many\" ask \"…\" field NAME: TYPE \"label\" ask \"…\"`",
                    name.node
                )
            });
        self.err(
            Diagnostic::error(
                name.span,
                format!("unknown item kind `{}`", name.node),
                "not declared",
            )
            .with_help(help),
        );
        None
    }

    /// The field `field` of kind `kind`, or an error pointing at it.
    fn field_of(&mut self, kind: KindId, field: &ast::Node<String>) -> Option<FactId> {
        let k = self.kinds.get(kind.0 as usize)?;
        let short = |f: &FactId| {
            self.facts
                .get(f.0 as usize)
                .and_then(|x| x.name.split_once('.'))
                .map_or("", |(_, n)| n)
        };
        if let Some(f) = k.fields.iter().find(|f| short(f) == field.node) {
            return Some(*f);
        }
        let names: Vec<&str> = k.fields.iter().map(short).collect();
        let kind_name = k.name.clone();
        let help = did_you_mean(&field.node, names.iter().copied())
            .unwrap_or_else(|| format!("the fields of `{kind_name}` are: {}", names.join(", ")));
        self.err(
            Diagnostic::error(
                field.span,
                format!("`{kind_name}` has no field `{}`", field.node),
                "no such field",
            )
            .with_help(help),
        );
        None
    }

    /// `KIND.FIELD`: the item of that kind must be in scope.
    pub(super) fn field(
        &mut self,
        kind: &ast::Node<String>,
        field: &ast::Node<String>,
        span: Span,
    ) -> Option<Expr> {
        let k = self.kind_named(kind)?;
        let f = self.field_of(k, field)?;
        let Some(at) = self.scope.iter().rposition(|s| s.kind == k) else {
            let name = &kind.node;
            self.err(
                Diagnostic::error(
                    span,
                    format!("`{name}.{}` is read where no {name} is in view", field.node),
                    format!("no {name} here"),
                )
                .with_help(format!(
                    "a field is read in a rule `for each {name}`, or inside an aggregate over it such as `any {name} where …`; definitions see no item"
                )),
            );
            return None;
        };
        // Aggregates inside the one whose item this is read from outside themselves.
        for s in self.scope.iter_mut().skip(at + 1) {
            s.open = true;
        }
        let ty = self.facts.get(f.0 as usize)?.ty;
        Some(Expr {
            kind: ExprKind::Field(f),
            ty,
            span,
        })
    }

    /// `count of KIND where …` and the other aggregates.
    fn aggregate(
        &mut self,
        op: AggregateOp,
        kind: &ast::Node<String>,
        field: Option<&ast::Node<String>>,
        filter: Option<&ast::Expr>,
        span: Span,
    ) -> Option<Expr> {
        let k = self.kind_named(kind)?;
        let field = match field {
            Some(f) => Some(self.field_of(k, f)?),
            None => None,
        };
        if let Some(f) = filter
            && let Some(tail) = swallowed(f)
        {
            let written = self.sources.slice(tail);
            let pad = written.len() - written.trim_start().len();
            let tail = Span::new(tail.file, tail.start as usize + pad, tail.end as usize);
            let text = self.sources.slice(span).to_string();
            let head = text
                .split(" where ")
                .next()
                .unwrap_or(op.keyword())
                .to_string();
            return self.type_error(
                tail,
                format!("the `where` of `{head} …` takes in `{}`, so it is not a condition", self.sources.slice(tail)),
                format!("a `where` runs to the end of the expression: put the aggregate in parentheses, like `({head} where …) < 2`"),
            );
        }
        self.scope.push(Scope {
            kind: k,
            open: false,
        });
        let checked = filter.map(|f| {
            self.expr(f)
                .and_then(|c| self.expect(c, &[Type::Bool], "`where`"))
        });
        let open = self.scope.pop().is_some_and(|s| s.open);
        // An outer aggregate is open if this one reads from beyond it.
        let filter = match checked {
            Some(f) => Some(f?),
            None => None,
        };
        let field_ty = field
            .and_then(|f| self.facts.get(f.0 as usize))
            .map(|f| f.ty);
        let what = format!("`{}`", op.keyword());
        let ty = match (op, field_ty) {
            (AggregateOp::Count, _) => Type::Count,
            (AggregateOp::Any | AggregateOp::All, _) => Type::Bool,
            (AggregateOp::Sum, Some(t)) if t.is_numeric() => t,
            (AggregateOp::Earliest | AggregateOp::Latest, Some(t)) if t.is_temporal() => t,
            (_, t) => {
                let wanted = if op == AggregateOp::Sum {
                    "a field holding a number"
                } else {
                    "a field holding a date, a date and time or a month"
                };
                return self.type_error(
                    span,
                    format!(
                        "{what} needs {wanted}, but this field is {}",
                        t.map_or("nothing", |t| t.describe())
                    ),
                    if op == AggregateOp::Sum {
                        "sum a count, number or percent field; to count items write `count of KIND where …`"
                    } else {
                        "compare dates with `earliest` and `latest`; other fields with `any` or `all`"
                    },
                );
            }
        };
        let memo = (!open).then(|| {
            self.memoised += 1;
            self.memoised - 1
        });
        Some(Expr {
            kind: ExprKind::Aggregate(Box::new(Aggregate {
                op,
                kind: k,
                field,
                filter,
                memo,
            })),
            ty,
            span,
        })
    }

    pub(super) fn variant(&mut self, fact: u32, name: &str, span: Span) -> Option<u32> {
        let f = self.facts.get(fact as usize)?;
        if let Some(i) = f.variants.iter().position(|v| v == name) {
            return Some(id(i));
        }
        let help = did_you_mean(name, f.variants.iter().map(String::as_str))
            .unwrap_or_else(|| format!("`{}` is one of: {}", f.name, f.variants.join(", ")));
        let fact_name = f.name.clone();
        self.err(
            Diagnostic::error(
                span,
                format!("`{name}` is not a choice of `{fact_name}`"),
                "not in the list",
            )
            .with_help(help),
        );
        None
    }

    /// An operand of `=` or `!=` beside a choice: a bare name is a choice of that list.
    pub(super) fn operand(&mut self, e: &ast::Expr, other: Option<Type>) -> Option<Expr> {
        if let (ast::ExprKind::Name(n), Some(Type::Enum(f))) = (&e.node, other)
            && !self.names.contains_key(n)
        {
            let v = self.variant(f, n, e.span)?;
            return Some(Expr {
                kind: ExprKind::Const(Value::Variant(v)),
                ty: Type::Enum(f),
                span: e.span,
            });
        }
        self.expr(e)
    }

    pub(super) fn binary(
        &mut self,
        op: BinaryOp,
        a: &ast::Expr,
        b: &ast::Expr,
        span: Span,
    ) -> Option<Expr> {
        let is_name = |e: &ast::Expr, names: &HashMap<String, (Named, Span)>| matches!(&e.node, ast::ExprKind::Name(n) if !names.contains_key(n));
        let (x, y) = if matches!(op, BinaryOp::Eq | BinaryOp::Ne) && is_name(a, &self.names) {
            let y = self.expr(b)?;
            (self.operand(a, Some(y.ty))?, y)
        } else {
            let x = self.expr(a);
            let y = match (&x, matches!(op, BinaryOp::Eq | BinaryOp::Ne)) {
                (Some(x), true) => self.operand(b, Some(x.ty)),
                _ => self.expr(b),
            };
            (x?, y?)
        };
        let sym = op.symbol();
        let (tx, ty_) = (x.ty, y.ty);
        let mismatch = |c: &mut Self| {
            c.type_error(
                span,
                format!(
                    "`{sym}` cannot combine {} and {}",
                    tx.describe(),
                    ty_.describe()
                ),
                binary_help(op, tx, ty_),
            )
        };
        let (kind, ty) = match op {
            BinaryOp::And | BinaryOp::Or => {
                let x = self.expect(x, &[Type::Bool], &format!("`{sym}`"));
                let y = self.expect(y, &[Type::Bool], &format!("`{sym}`"));
                let (x, y) = (Box::new(x?), Box::new(y?));
                (
                    if op == BinaryOp::And {
                        ExprKind::And(x, y)
                    } else {
                        ExprKind::Or(x, y)
                    },
                    Type::Bool,
                )
            }
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => {
                let ordered = !matches!(op, BinaryOp::Eq | BinaryOp::Ne);
                let ok = if matches!(
                    (tx, ty_),
                    (Type::Percent, Type::Count) | (Type::Count, Type::Percent)
                ) {
                    return self.type_error(
                        span,
                        format!("`{sym}` compares a percentage with a plain number"),
                        "write the number as a percentage, like `50%`",
                    );
                } else if (tx.is_numeric() && ty_.is_numeric())
                    || matches!(
                        (tx, ty_),
                        (Type::Date, Type::DateTime)
                            | (Type::DateTime, Type::Date)
                            // A month compares as its first day.
                            | (Type::Month, Type::Date)
                            | (Type::Date, Type::Month)
                    )
                {
                    true
                } else if tx == ty_ {
                    !ordered
                        || matches!(
                            tx,
                            Type::Date | Type::DateTime | Type::Month | Type::Duration
                        )
                } else {
                    false
                };
                if !ok {
                    return mismatch(self);
                }
                let cmp = match op {
                    BinaryOp::Eq => CmpOp::Eq,
                    BinaryOp::Ne => CmpOp::Ne,
                    BinaryOp::Lt => CmpOp::Lt,
                    BinaryOp::Le => CmpOp::Le,
                    BinaryOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                (ExprKind::Cmp(cmp, Box::new(x), Box::new(y)), Type::Bool)
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let arith = match op {
                    BinaryOp::Add => ArithOp::Add,
                    BinaryOp::Sub => ArithOp::Sub,
                    BinaryOp::Mul => ArithOp::Mul,
                    _ => ArithOp::Div,
                };
                let Some(result) = arith_type(arith, tx, ty_) else {
                    return mismatch(self);
                };
                (ExprKind::Arith(arith, Box::new(x), Box::new(y)), result)
            }
        };
        Some(Expr { kind, ty, span })
    }
}

/// The part after a condition in a `where` that compares or computes with
/// it (`x is missing < 2`): the mistake of leaving an aggregate compared
/// outside its parentheses, since `where` runs to the end.
fn swallowed(filter: &ast::Expr) -> Option<Span> {
    use ast::ExprKind as A;
    let A::Binary(op, a, b) = &filter.node else {
        return None;
    };
    let is_condition = |e: &ast::Expr| {
        matches!(
            &e.node,
            A::Not(_) | A::IsSet(_) | A::IsMissing(_) | A::OneOf(..) | A::Bool(_)
        ) || matches!(
            &e.node,
            A::Binary(
                BinaryOp::And
                    | BinaryOp::Or
                    | BinaryOp::Eq
                    | BinaryOp::Ne
                    | BinaryOp::Lt
                    | BinaryOp::Le
                    | BinaryOp::Gt
                    | BinaryOp::Ge,
                ..
            )
        )
    };
    let compares = !matches!(op, BinaryOp::And | BinaryOp::Or);
    (compares && is_condition(a) && !is_condition(b))
        .then(|| Span::new(b.span.file, a.span.end as usize, b.span.end as usize))
}

/// The type of `a OP b`, if it has one.
fn arith_type(op: ArithOp, a: Type, b: Type) -> Option<Type> {
    use Type::*;
    Some(match (op, a, b) {
        (ArithOp::Add | ArithOp::Sub, Count, Count) => Count,
        (ArithOp::Add | ArithOp::Sub, Percent, Percent) => Percent,
        (ArithOp::Add | ArithOp::Sub, x, y) if x.is_numeric() && y.is_numeric() => Number,
        (ArithOp::Mul, x, y) if x.is_numeric() && y.is_numeric() => {
            if x == Count && y == Count {
                Count
            } else {
                Number
            }
        }
        (ArithOp::Div, x, y) if x.is_numeric() && y.is_numeric() => Number,
        (ArithOp::Add | ArithOp::Sub, t @ (Date | DateTime | Month), Duration) => t,
        (ArithOp::Add, Duration, t @ (Date | DateTime | Month)) => t,
        (ArithOp::Sub, Date, Date) => Count,
        _ => return None,
    })
}

/// The common type of two branches.
fn unify(a: Type, b: Type) -> Option<Type> {
    if a == b {
        Some(a)
    } else if matches!(
        (a, b),
        (Type::Date, Type::DateTime) | (Type::DateTime, Type::Date)
    ) {
        Some(Type::DateTime)
    } else if a.is_numeric() && b.is_numeric() {
        Some(Type::Number)
    } else {
        None
    }
}

fn type_help(wanted: &[Type], got: Type) -> String {
    if wanted.contains(&Type::Bool) {
        return match got {
            Type::Date | Type::DateTime => "to ask whether an event has happened, write `FACT is set` or compare it: `FACT <= today`".into(),
            Type::Enum(_) => "compare the choice: `FACT = CHOICE` or `FACT is one of (A, B)`".into(),
            Type::Percent => "compare the percentage, as in `FACT > 50%`".into(),
            t if t.is_numeric() => "compare the number, as in `FACT > 0`".into(),
            _ => "write a condition, such as a comparison or `FACT is set`".into(),
        };
    }
    if wanted.contains(&Type::Date) {
        return "give a date: a literal such as 2023-10-31, a date fact, or `FACT + 28 days`"
            .into();
    }
    "check the type of each part of the expression".into()
}

fn binary_help(op: BinaryOp, a: Type, b: Type) -> String {
    match (op, a, b) {
        (_, Type::Date, t) | (_, t, Type::Date) if t.is_numeric() => {
            "to move a date, add a duration: `FACT + 28 days`".into()
        }
        (_, Type::Enum(_), Type::Text) | (_, Type::Text, Type::Enum(_)) => {
            "write the choice without quotes: `supplier = TPP`".into()
        }
        (BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge, x, y) if x == y => {
            format!(
                "{} values can be compared with `=` and `!=` only",
                x.describe()
            )
        }
        _ => "both sides must be numbers, or dates, or the same kind of value".into(),
    }
}
