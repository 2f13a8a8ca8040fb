//! From rule text to the AST, with pest.

use chrono::{NaiveDate, NaiveDateTime};
use pest::Parser as _;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::ast::*;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

mod header;
mod messages;
use messages::syntax_error;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/obligo.pest"]
struct Grammar;

/// Parses one rule file. A syntax error stops the file; a bad literal
/// (an impossible date, say) is collected and parsing goes on.
pub fn parse_file(file: FileId, text: &str) -> Result<File, Vec<Diagnostic>> {
    if let Some(at) = too_deep(text) {
        let word = ["if", "where"]
            .into_iter()
            .find(|w| text.get(at..).is_some_and(|t| t.starts_with(w)));
        let span = Span::new(file, at, at + word.map_or(1, str::len));
        let message = if word.is_some() {
            format!("one condition holds more than {MAX_DEPTH} `if`s and `where`s")
        } else {
            format!("brackets are nested more than {MAX_DEPTH} deep")
        };
        let d = Diagnostic::error(span, message, "too deep")
            .with_help("split the expression into named definitions with `define`");
        return Err(vec![d]);
    }
    let pairs = Grammar::parse(Rule::file, text).map_err(|e| vec![syntax_error(file, text, &e)])?;
    let builder = Builder {
        file,
        errors: std::cell::RefCell::new(Vec::new()),
        pratt: pratt(),
    };
    let mut out = File::default();
    for pair in pairs.flatten().filter(|p| p.as_rule() == Rule::file) {
        for decl in pair.into_inner() {
            if let Some(d) = builder.declaration(decl) {
                out.declarations.push(d);
            }
        }
    }
    let errors = builder.errors.into_inner();
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// How many operators one expression may hold: far beyond any real rule, well within the stack.
const MAX_OPERATORS: usize = 256;

/// How deeply brackets may nest: far beyond any real rule, well within the stack.
const MAX_DEPTH: usize = 64;

/// How deeply the operations of one expression may nest, brackets and all
/// (a chain of `and`s nests one deeper per `and`): far beyond any real rule,
/// and within what checking, judging and explaining recurse through on a
/// 2 MiB thread's stack, even unoptimised.
const MAX_NESTING: usize = 128;

/// How deeply an expression nests, worked out on a stack of its own.
fn depth(e: &Expr) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(e, 1usize)];
    while let Some((n, d)) = stack.pop() {
        deepest = deepest.max(d);
        stack.extend(n.node.children().map(|c| (c, d + 1)));
    }
    deepest
}

/// The offset of the first bracket nested deeper than [`MAX_DEPTH`], or of
/// an `if` past the [`MAX_DEPTH`]th in one clause, outside texts and comments.
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut in_text, mut in_comment, mut escaped) = (0usize, false, false, false);
    // `if`s since the last clause keyword, and the word being read.
    let (mut ifs, mut word_start) = (0usize, None::<usize>);
    for (i, c) in text.char_indices() {
        let in_word =
            !in_comment && !in_text && (c.is_ascii_alphanumeric() || c == '_' || c == '-');
        match (word_start, in_word) {
            (None, true) => word_start = Some(i),
            (Some(s), false) => {
                word_start = None;
                match text.get(s..i) {
                    // An aggregate's `where` nests like an `if`.
                    Some("if" | "where") => {
                        ifs += 1;
                        if ifs > MAX_DEPTH {
                            return Some(s);
                        }
                    }
                    Some(
                        "when" | "deadline" | "unless" | "define" | "on" | "version" | "position",
                    ) => ifs = 0,
                    _ => {}
                }
            }
            _ => {}
        }
        match c {
            _ if in_comment => in_comment = c != '\n',
            _ if in_text => {
                in_text = escaped || c != '"';
                escaped = !escaped && c == '\\';
            }
            '"' => in_text = true,
            '#' => in_comment = true,
            '(' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn pratt() -> PrattParser<Rule> {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left))
        .op(Op::postfix(Rule::op_is_set)
            | Op::postfix(Rule::op_is_missing)
            | Op::postfix(Rule::op_one_of))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
}

struct Builder {
    file: FileId,
    errors: std::cell::RefCell<Vec<Diagnostic>>,
    pratt: PrattParser<Rule>,
}

/// Walks a pair's children in order.
struct Parts<'i> {
    inner: Pairs<'i, Rule>,
}

impl<'i> Parts<'i> {
    fn new(pair: Pair<'i, Rule>) -> Self {
        Self {
            inner: pair.into_inner(),
        }
    }

    /// The next child that is not a keyword.
    fn next(&mut self) -> Option<Pair<'i, Rule>> {
        self.inner.by_ref().find(|p| !is_keyword(p.as_rule()))
    }

    fn rest(self) -> impl Iterator<Item = Pair<'i, Rule>> {
        self.inner.filter(|p| !is_keyword(p.as_rule()))
    }
}

fn is_keyword(rule: Rule) -> bool {
    format!("{rule:?}").starts_with("kw_")
}

impl Builder {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        let written = crate::source::written_len(pair.as_str());
        let end = if written == 0 {
            s.end()
        } else {
            s.start() + written
        };
        Span::new(self.file, s.start(), end)
    }

    fn declaration(&self, pair: Pair<'_, Rule>) -> Option<Declaration> {
        Some(match pair.as_rule() {
            Rule::ruleset_decl => Declaration::Ruleset(self.ruleset_header(pair)?),
            Rule::authority_decl => {
                let mut p = Parts::new(pair);
                let name = self.text(p.next()?);
                let title = self.string(p.next()?);
                let force = self.binding_force(p.next()?);
                Declaration::Authority(Authority { name, title, force })
            }
            Rule::source_decl => {
                let mut p = Parts::new(pair);
                let name = self.text(p.next()?);
                let title = self.string(p.next()?);
                let issuer_pair = p.next()?.into_inner().next()?;
                let issuer = if issuer_pair.as_rule() == Rule::string {
                    Issuer::Text(self.string(issuer_pair))
                } else {
                    Issuer::Authority(self.text(issuer_pair))
                };
                let published = self.date(p.next()?)?;
                let url = p.next().map(|u| self.string(u));
                Declaration::Source(Source {
                    name,
                    title,
                    issuer,
                    published,
                    url,
                })
            }
            Rule::fact_decl => Declaration::Fact(self.fact(pair)?),
            Rule::define_decl => {
                let mut p = Parts::new(pair);
                let name = self.text(p.next()?);
                let mut next = p.next()?;
                let label = if next.as_rule() == Rule::string {
                    let l = self.string(next);
                    next = p.next()?;
                    Some(l)
                } else {
                    None
                };
                Declaration::Define(Define {
                    name,
                    label,
                    value: self.expr(next)?,
                })
            }
            Rule::item_decl => {
                let mut p = Parts::new(pair);
                Declaration::Item(ItemKind {
                    name: self.text(p.next()?),
                    one: self.string(p.next()?),
                    many: self.string(p.next()?),
                    question: self.string(p.next()?),
                    fields: p.rest().filter_map(|f| self.fact(f)).collect(),
                })
            }
            Rule::rule_decl => Declaration::Rule(self.rule(pair)?),
            _ => return None,
        })
    }

    /// `fact NAME: TYPE [, optional] [, as recorded] "label" ask "question"`,
    /// or an item's `field`, written the same way (never `as recorded`).
    fn fact(&self, pair: Pair<'_, Rule>) -> Option<Fact> {
        let mut p = Parts::new(pair);
        let name = self.text(p.next()?);
        let ty = self.fact_type(p.next()?)?;
        let mut next = p.next()?;
        let optional = next.as_rule() == Rule::optional_flag;
        if optional {
            next = p.next()?;
        }
        let as_recorded = next.as_rule() == Rule::recorded_flag;
        if as_recorded {
            next = p.next()?;
        }
        Some(Fact {
            name,
            ty,
            optional,
            as_recorded,
            label: self.string(next),
            question: self.string(p.next()?),
        })
    }

    /// `for each KIND [where …]` or `for each period`.
    fn for_each(&self, pair: Pair<'_, Rule>) -> Option<ForEach> {
        let mut p = Parts::new(pair);
        let first = p.next()?;
        if first.as_rule() == Rule::each_period {
            return Some(ForEach::Period(self.span(&first)));
        }
        let kind = self.text(first);
        let filter = match p.next() {
            Some(e) => Some(self.expr(e)?),
            None => None,
        };
        Some(ForEach::Item { kind, filter })
    }

    /// `access_request.received`
    fn field_ref(&self, pair: Pair<'_, Rule>) -> Option<(Node<String>, Node<String>)> {
        let mut p = Parts::new(pair);
        Some((self.text(p.next()?), self.text(p.next()?)))
    }

    /// `count of KIND where …` and the other aggregates.
    fn aggregate(&self, pair: Pair<'_, Rule>) -> Option<ExprKind> {
        let op = match pair.as_rule() {
            Rule::count_of => AggregateOp::Count,
            Rule::any_of => AggregateOp::Any,
            Rule::all_of => AggregateOp::All,
            Rule::sum_of => AggregateOp::Sum,
            Rule::earliest_of => AggregateOp::Earliest,
            _ => AggregateOp::Latest,
        };
        let mut p = Parts::new(pair);
        let target = p.next()?;
        let (kind, field) = if target.as_rule() == Rule::field_ref {
            let (k, f) = self.field_ref(target)?;
            (k, Some(f))
        } else {
            (self.text(target), None)
        };
        let filter = match p.next() {
            Some(f) => Some(Box::new(self.expr(Parts::new(f).next()?)?)),
            None => None,
        };
        Some(ExprKind::Aggregate {
            op,
            kind,
            field,
            filter,
        })
    }

    fn fact_type(&self, pair: Pair<'_, Rule>) -> Option<Node<FactType>> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        let ty = match inner.as_rule() {
            Rule::kw_bool => FactType::Bool,
            Rule::kw_count => FactType::Count,
            Rule::kw_number => FactType::Number,
            Rule::kw_percent => FactType::Percent,
            Rule::kw_date => FactType::Date,
            Rule::kw_datetime => FactType::DateTime,
            Rule::kw_month => FactType::Month,
            Rule::kw_text => FactType::Text,
            _ => FactType::OneOf(Parts::new(inner).rest().map(|v| self.text(v)).collect()),
        };
        Some(Node::new(ty, span))
    }

    fn rule(&self, pair: Pair<'_, Rule>) -> Option<Rule_> {
        let mut p = Parts::new(pair);
        let kind_pair = p.next()?;
        let kind = match kind_pair.as_str() {
            "obligation" => RuleKind::Obligation,
            "prohibition" => RuleKind::Prohibition,
            "recommendation" => RuleKind::Recommendation,
            _ => RuleKind::Permission,
        };
        let mut rule = Rule_ {
            kind: Node::new(kind, self.span(&kind_pair)),
            name: self.text(p.next()?),
            title: self.string(p.next()?),
            authority: self.text(p.next()?),
            each: None,
            versions: Vec::new(),
            withdrawals: Vec::new(),
            supersessions: Vec::new(),
            positions: Vec::new(),
        };
        for part in p.rest() {
            match part.as_rule() {
                Rule::for_each => rule.each = self.for_each(part),
                Rule::version => {
                    if let Some(v) = self.version(part) {
                        rule.versions.push(v);
                    }
                }
                Rule::withdrawal => {
                    let span = self.span(&part);
                    let mut q = Parts::new(part);
                    rule.withdrawals.push(Withdrawal {
                        span,
                        on: self.date(q.next()?)?,
                        published: self.date(q.next()?)?,
                        reason: self.string(q.next()?),
                        citations: self.cites(q.next()?),
                    });
                }
                Rule::supersession => {
                    let span = self.span(&part);
                    let mut q = Parts::new(part);
                    rule.supersessions.push(Supersession {
                        span,
                        successor: self.text(q.next()?),
                        on: self.date(q.next()?)?,
                        published: self.date(q.next()?)?,
                        citations: self.cites(q.next()?),
                    });
                }
                Rule::position => {
                    let mut q = Parts::new(part);
                    rule.positions.push(Position {
                        authority: self.text(q.next()?),
                        stance: self.string(q.next()?),
                        citations: self.cites(q.next()?),
                    });
                }
                _ => {}
            }
        }
        Some(rule)
    }

    fn version(&self, pair: Pair<'_, Rule>) -> Option<Version> {
        let span = pair
            .clone()
            .into_inner()
            .next()
            .map_or_else(|| self.span(&pair), |kw| self.span(&kw));
        let mut p = Parts::new(pair);
        let from = self.date(p.next()?)?;
        let mut next = p.next()?;
        let until = if next.as_rule() == Rule::until_clause {
            let u = self.date(Parts::new(next).next()?)?;
            next = p.next()?;
            Some(u)
        } else {
            None
        };
        let published = self.date(next)?;
        let mut v = Version {
            span,
            from,
            until,
            published,
            citations: Vec::new(),
            applies_when: Vec::new(),
            deadline: Vec::new(),
            every: Vec::new(),
            due_soon: Vec::new(),
            met_when: Vec::new(),
            met_on: Vec::new(),
            exceptions: Vec::new(),
        };
        for part in p.rest() {
            let rule = part.as_rule();
            if rule == Rule::cites {
                let mut c = self.cites(part);
                v.citations.append(&mut c);
                continue;
            }
            if rule == Rule::exception {
                let mut q = Parts::new(part);
                let condition = self.expr(q.next()?)?;
                let status_pair = q.next()?;
                let status = match status_pair.as_str() {
                    "met" => ExceptionStatus::Met,
                    "overdue" => ExceptionStatus::Overdue,
                    _ => ExceptionStatus::NotApplicable,
                };
                v.exceptions.push(Exception {
                    condition,
                    status: Node::new(status, self.span(&status_pair)),
                    reason: self.string(q.next()?),
                    citations: self.cites(q.next()?),
                });
                continue;
            }
            if rule == Rule::due_soon {
                if let Some(d) = self.due_soon(part) {
                    v.due_soon.push(d);
                }
                continue;
            }
            if rule == Rule::deadline {
                if let Some(form) = Parts::new(part).next() {
                    self.deadline(form, &mut v);
                }
                continue;
            }
            let Some(e) = Parts::new(part).next().and_then(|e| self.expr(e)) else {
                continue;
            };
            match rule {
                Rule::applies_when => v.applies_when.push(e),
                Rule::met_when => v.met_when.push(e),
                Rule::met_on => v.met_on.push(e),
                _ => {}
            }
        }
        Some(v)
    }

    /// The clause after `deadline`: unstated, recurring, relative or a date.
    fn deadline(&self, form: Pair<'_, Rule>, v: &mut Version) -> Option<()> {
        let span = self.span(&form);
        match form.as_rule() {
            Rule::unstated => v.deadline.push(Node::new(ExprKind::Unstated, span)),
            Rule::relative => {
                // `28 days after x` is `x + 28 days`.
                let mut p = Parts::new(form);
                let length = self.primary(p.next()?)?;
                let start = self.expr(p.next()?)?;
                v.deadline.push(Node::new(
                    ExprKind::Binary(BinaryOp::Add, Box::new(start), Box::new(length)),
                    span,
                ));
            }
            Rule::recurring => {
                let mut p = Parts::new(form);
                let unit = match p.next()?.as_str() {
                    "week" => PeriodUnit::Week,
                    "month" => PeriodUnit::Month,
                    "quarter" => PeriodUnit::Quarter,
                    _ => PeriodUnit::Year,
                };
                let from = self.expr(p.next()?)?;
                let due_after = self.length(p.next()?)?;
                v.every.push(Recurrence {
                    unit,
                    from,
                    due_after,
                    span,
                });
            }
            _ => v.deadline.push(self.expr(form)?),
        }
        Some(())
    }

    /// `due soon within 28 days`
    fn due_soon(&self, pair: Pair<'_, Rule>) -> Option<Node<Length>> {
        self.length(Parts::new(pair).next()?)
    }

    /// A duration literal as a length of time.
    fn length(&self, pair: Pair<'_, Rule>) -> Option<Node<Length>> {
        let node = self.primary(pair)?;
        match node.node {
            ExprKind::Duration(n, unit) => Some(Node::new(Length { n, unit }, node.span)),
            _ => None,
        }
    }

    fn cites(&self, pair: Pair<'_, Rule>) -> Vec<Citation> {
        Parts::new(pair)
            .rest()
            .filter_map(|c| {
                let mut q = Parts::new(c);
                let source = self.text(q.next()?);
                let pinpoint = q.next().map(|s| self.string(s));
                Some(Citation { source, pinpoint })
            })
            .collect()
    }

    fn text(&self, pair: Pair<'_, Rule>) -> Node<String> {
        let span = self.span(&pair);
        if matches!(pair.as_rule(), Rule::name | Rule::ident_chars) {
            self.check_name_length(pair.as_str(), span);
        }
        Node::new(pair.as_str().to_string(), span)
    }

    /// A name of more than [`MAX_NAME`] characters is refused: nobody
    /// writes one, and every message would quote it.
    fn check_name_length(&self, name: &str, span: Span) {
        if name.len() > MAX_NAME {
            self.errors.borrow_mut().push(
                Diagnostic::error(
                    span,
                    format!(
                        "this name is {} characters long: at most {MAX_NAME} are allowed",
                        name.len()
                    ),
                    "too long",
                )
                .with_help("choose a shorter name; the label in quotes can say the rest"),
            );
        }
    }

    fn string(&self, pair: Pair<'_, Rule>) -> Node<String> {
        let span = self.span(&pair);
        let body = pair.into_inner().next().map_or("", |b| b.as_str());
        let mut out = String::with_capacity(body.len());
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        Node::new(out, span)
    }

    fn date(&self, pair: Pair<'_, Rule>) -> Option<Node<NaiveDate>> {
        let span = self.span(&pair);
        match NaiveDate::parse_from_str(pair.as_str(), "%Y-%m-%d") {
            Ok(d) => Some(Node::new(d, span)),
            Err(_) => {
                self.errors.borrow_mut().push(
                    Diagnostic::error(
                        span,
                        format!("`{}` is not a calendar date", pair.as_str()),
                        "no such day",
                    )
                    .with_help("check the month (01–12) and the day of the month"),
                );
                None
            }
        }
    }

    fn expr(&self, pair: Pair<'_, Rule>) -> Option<Expr> {
        let operators = pair.clone().into_inner().count() / 2;
        if operators > MAX_OPERATORS {
            let span = self.span(&pair);
            let d = Diagnostic::error(
                Span::new(self.file, span.range().start, span.range().start + 1),
                format!("this expression has more than {MAX_OPERATORS} operators"),
                "too long",
            );
            self.errors
                .borrow_mut()
                .push(d.with_help("split it into named definitions with `define`"));
            return None;
        }
        let built = self
            .pratt
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, rhs| {
                let rhs = rhs?;
                let span = Span::new(self.file, op.as_span().start(), rhs.span.range().end);
                let kind = if op.as_rule() == Rule::op_not {
                    ExprKind::Not(Box::new(rhs))
                } else {
                    if let ExprKind::Percent(p) = rhs.node
                        && p != 0.0
                    {
                        // `-5%`: a share is never below nothing.
                        self.errors.borrow_mut().push(
                            Diagnostic::error(
                                span,
                                format!("`-{p}%` is not a percentage: it is from 0% to 100%"),
                                "out of range",
                            )
                            .with_help("a facts file's percentages are from 0 to 100 too; write a share, like 60%"),
                        );
                        return None;
                    }
                    ExprKind::Neg(Box::new(rhs))
                };
                Some(Node::new(kind, span))
            })
            .map_postfix(|lhs, op| {
                let lhs = lhs?;
                let span = Span::new(self.file, lhs.span.range().start, op.as_span().end());
                let kind = match op.as_rule() {
                    Rule::op_is_set => ExprKind::IsSet(Box::new(lhs)),
                    Rule::op_is_missing => ExprKind::IsMissing(Box::new(lhs)),
                    _ => {
                        let variants = Parts::new(op).rest().map(|v| self.text(v)).collect();
                        ExprKind::OneOf(Box::new(lhs), variants)
                    }
                };
                Some(Node::new(kind, span))
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let span = Span::new(self.file, lhs.span.range().start, rhs.span.range().end);
                let op = match op.as_rule() {
                    Rule::op_and => BinaryOp::And,
                    Rule::op_or => BinaryOp::Or,
                    Rule::op_eq => BinaryOp::Eq,
                    Rule::op_ne => BinaryOp::Ne,
                    Rule::op_lt => BinaryOp::Lt,
                    Rule::op_le => BinaryOp::Le,
                    Rule::op_gt => BinaryOp::Gt,
                    Rule::op_ge => BinaryOp::Ge,
                    Rule::op_add => BinaryOp::Add,
                    Rule::op_sub => BinaryOp::Sub,
                    Rule::op_mul => BinaryOp::Mul,
                    _ => BinaryOp::Div,
                };
                Some(Node::new(
                    ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                    span,
                ))
            })
            .parse(pair.into_inner())?;
        // Brackets (64 deep) of long expressions (256 operators) could nest
        // thousands deep, more than checking and evaluating can recurse
        // through on an ordinary thread's stack.
        if depth(&built) > MAX_NESTING {
            let at = built.span.range().start;
            let d = Diagnostic::error(
                Span::new(self.file, at, at + 1),
                format!(
                    "this expression is more than {MAX_NESTING} operations deep (each `and`, `or`, `not`, comparison and bracket in a chain counts)"
                ),
                "too deep",
            );
            self.errors
                .borrow_mut()
                .push(d.with_help("split it into named definitions with `define`"));
            return None;
        }
        Some(built)
    }

    fn primary(&self, pair: Pair<'_, Rule>) -> Option<Expr> {
        let span = self.span(&pair);
        let s = pair.as_str();
        let kind = match pair.as_rule() {
            // A bracketed expression: its span takes in the brackets, so that
            // `a and (b or c)` is shown whole.
            Rule::expr => {
                let input = pair.get_input();
                let (start, end) = (pair.as_span().start(), pair.as_span().end());
                let mut e = self.expr(pair)?;
                let open = input
                    .get(..start)
                    .map(str::trim_end)
                    .and_then(|b| b.strip_suffix('('));
                let close = input.get(e.span.end as usize..).map(str::trim_start);
                if let (Some(before), Some(after)) = (open, close)
                    && after.starts_with(')')
                {
                    let close_at = input.len() - after.len() + 1;
                    e.span = Span::new(self.file, before.len(), close_at.max(end));
                }
                return Some(e);
            }
            Rule::if_expr => {
                let mut p = Parts::new(pair);
                let c = self.expr(p.next()?)?;
                let t = self.expr(p.next()?)?;
                let e = self.expr(p.next()?)?;
                ExprKind::If(Box::new(c), Box::new(t), Box::new(e))
            }
            Rule::today => ExprKind::Today,
            Rule::period => ExprKind::Period,
            Rule::field_ref => {
                let (kind, field) = self.field_ref(pair)?;
                ExprKind::Field(kind, field)
            }
            Rule::count_of
            | Rule::any_of
            | Rule::all_of
            | Rule::sum_of
            | Rule::earliest_of
            | Rule::latest_of => self.aggregate(pair)?,
            Rule::boolean => ExprKind::Bool(s == "true"),
            Rule::date => ExprKind::Date(self.date(pair)?.node),
            Rule::datetime => match NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M") {
                Ok(dt) => ExprKind::DateTime(dt),
                Err(_) => {
                    self.errors.borrow_mut().push(
                        Diagnostic::error(
                            span,
                            format!("`{s}` is not a date and time"),
                            "no such moment",
                        )
                        .with_help(
                            "write a date and time as YYYY-MM-DDTHH:MM, like 2022-11-04T17:00",
                        ),
                    );
                    return None;
                }
            },
            Rule::month => match NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d") {
                Ok(d) => ExprKind::Month(d),
                Err(_) => {
                    self.errors.borrow_mut().push(
                        Diagnostic::error(span, format!("`{s}` is not a month"), "no such month")
                            .with_help("write a month as YYYY-MM, like 2023-02"),
                    );
                    return None;
                }
            },
            Rule::duration => {
                let mut p = pair.into_inner();
                let n = p.next()?.as_str();
                let unit = p.next()?.as_str();
                let Ok(n) = n.parse::<i64>() else {
                    self.errors.borrow_mut().push(Diagnostic::error(
                        span,
                        format!("`{n}` is too large"),
                        "too large",
                    ));
                    return None;
                };
                let unit = match unit.trim_end_matches('s') {
                    "day" => TimeUnit::Days,
                    "week" => TimeUnit::Weeks,
                    "month" => TimeUnit::Months,
                    _ => TimeUnit::Years,
                };
                ExprKind::Duration(n, unit)
            }
            Rule::percent => {
                let points = self.decimal(span, s.trim_end_matches('%'))?;
                if !(0.0..=100.0).contains(&points) {
                    self.errors.borrow_mut().push(
                        Diagnostic::error(
                            span,
                            format!("`{s}` is not a percentage: it is from 0% to 100%"),
                            "out of range",
                        )
                        .with_help("a facts file's percentages are from 0 to 100 too; write a share, like 60%"),
                    );
                    return None;
                }
                ExprKind::Percent(points)
            }
            Rule::number => {
                if s.contains('.') {
                    ExprKind::Decimal(self.decimal(span, s)?)
                } else {
                    match s.parse::<i64>() {
                        Ok(n) => ExprKind::Integer(n),
                        Err(_) => {
                            self.errors.borrow_mut().push(Diagnostic::error(
                                span,
                                format!("`{s}` is too large"),
                                "too large",
                            ));
                            return None;
                        }
                    }
                }
            }
            Rule::string => ExprKind::Text(self.string(pair).node),
            _ => {
                self.check_name_length(s, span);
                ExprKind::Name(s.to_string())
            }
        };
        Some(Node::new(kind, span))
    }

    fn decimal(&self, span: Span, s: &str) -> Option<f64> {
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                self.errors.borrow_mut().push(Diagnostic::error(
                    span,
                    format!("`{s}` is not a number"),
                    "not a number",
                ));
                None
            }
        }
    }
}

type Rule_ = super::ast::Rule;

/// The longest name (of a fact, rule, definition, source, authority).
pub const MAX_NAME: usize = 100;
