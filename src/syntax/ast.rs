//! The abstract syntax tree: what a rule file says, with where it says it.

use chrono::{NaiveDate, NaiveDateTime};

use crate::source::Span;

/// A value together with the text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<T> {
    /// The value.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Node<T> {
    /// Pairs a value with its span.
    pub fn new(node: T, span: Span) -> Self {
        Self { node, span }
    }
}

/// Everything one rule file declares, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct File {
    /// The declarations, in the order written.
    pub declarations: Vec<Declaration>,
}

/// One top-level declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum Declaration {
    /// `ruleset NAME "title" version "label" published DATE`
    Ruleset(RulesetHeader),
    /// `authority NAME "title" FORCE`
    Authority(Authority),
    /// `source NAME "title" by ISSUER published DATE [url "…"]`
    Source(Source),
    /// `fact NAME: TYPE [, optional] "label" ask "question"`
    Fact(Fact),
    /// `item NAME "one", "many" ask "question" field …`
    Item(ItemKind),
    /// `define NAME ["label"] = EXPR`
    Define(Define),
    /// `obligation|prohibition|recommendation|permission NAME "title" by AUTHORITY …`
    Rule(Rule),
}

/// The ruleset's header.
#[derive(Debug, Clone, PartialEq)]
pub struct RulesetHeader {
    pub name: Node<String>,
    pub title: Node<String>,
    pub version: Node<String>,
    pub published: Node<NaiveDate>,
    /// `due soon within …`: the ruleset's default warning window.
    pub due_soon: Option<Node<Length>>,
    /// `organisation "one", "many" [id "…"]`: what the ruleset calls the
    /// organisation a facts file describes, and its identifier.
    pub organisation: Option<OrganisationWords>,
    /// `heading FORCE "title"`, in the order written: the ruleset's titles
    /// for the rules of each binding force.
    pub headings: Vec<Heading>,
}

/// `organisation "practice", "practices" id "ODS code"`
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationWords {
    /// One organisation: "practice".
    pub one: Node<String>,
    /// Many: "practices".
    pub many: Node<String>,
    /// Its identifier's name: "ODS code".
    pub id: Option<Node<String>>,
}

/// `heading expectation "Commissioner expectations"`
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub force: Node<BindingForce>,
    pub title: Node<String>,
}

/// A length of time: `28 days`, `1 month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Length {
    pub n: i64,
    pub unit: TimeUnit,
}

/// How binding an authority's rules are. Ordered from most to least binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BindingForce {
    /// Law or contract.
    Binding,
    /// A regulator's published view.
    RegulatorView,
    /// A commissioner's expectation: monitored, not itself a term.
    Expectation,
    /// Professional advice.
    Advice,
}

impl BindingForce {
    /// The keyword used in rule files and reports.
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Binding => "binding",
            Self::RegulatorView => "regulator-view",
            Self::Expectation => "expectation",
            Self::Advice => "advice",
        }
    }

    /// All forces, most binding first.
    pub const ALL: [BindingForce; 4] = [
        Self::Binding,
        Self::RegulatorView,
        Self::Expectation,
        Self::Advice,
    ];
}

/// `authority NAME "title" FORCE`
#[derive(Debug, Clone, PartialEq)]
pub struct Authority {
    pub name: Node<String>,
    pub title: Node<String>,
    pub force: Node<BindingForce>,
}

/// Who issued a source: a declared authority or free text (a newspaper, say).
#[derive(Debug, Clone, PartialEq)]
pub enum Issuer {
    /// A declared authority, by name.
    Authority(Node<String>),
    /// Free text.
    Text(Node<String>),
}

/// `source NAME "title" by ISSUER published DATE [url "…"]`
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub name: Node<String>,
    pub title: Node<String>,
    pub issuer: Issuer,
    pub published: Node<NaiveDate>,
    pub url: Option<Node<String>>,
}

/// The declared type of a fact.
#[derive(Debug, Clone, PartialEq)]
pub enum FactType {
    Bool,
    Count,
    Number,
    Percent,
    Date,
    DateTime,
    Month,
    Text,
    /// `one of A, B, C`
    OneOf(Vec<Node<String>>),
}

/// `fact NAME: TYPE [, optional] "label" ask "question"`
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub name: Node<String>,
    pub ty: Node<FactType>,
    pub optional: bool,
    /// `, as recorded`: a summary date, not an event (never "not yet" at an earlier date).
    pub as_recorded: bool,
    pub label: Node<String>,
    pub question: Node<String>,
}

/// `item NAME "one", "many" ask "question" field …`: a kind of item an
/// organisation has many of.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemKind {
    pub name: Node<String>,
    /// What one item is called ("request for online access").
    pub one: Node<String>,
    /// What many are called ("requests for online access").
    pub many: Node<String>,
    /// The question asking for the list.
    pub question: Node<String>,
    /// `field NAME: TYPE [, optional] "label" ask "question"`, in order
    /// (never `as recorded`).
    pub fields: Vec<Fact>,
}

/// `for each …` on a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum ForEach {
    /// `for each KIND [where CONDITION]`
    Item {
        kind: Node<String>,
        filter: Option<Expr>,
    },
    /// `for each period`: every period of a recurring deadline.
    Period(Span),
}

/// `define NAME ["label"] = EXPR`
#[derive(Debug, Clone, PartialEq)]
pub struct Define {
    pub name: Node<String>,
    pub label: Option<Node<String>>,
    pub value: Expr,
}

/// The deontic kind of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleKind {
    Obligation,
    Prohibition,
    Recommendation,
    Permission,
}

impl RuleKind {
    /// The keyword used in rule files and reports.
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Obligation => "obligation",
            Self::Prohibition => "prohibition",
            Self::Recommendation => "recommendation",
            Self::Permission => "permission",
        }
    }
}

/// A rule and its history.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub kind: Node<RuleKind>,
    pub name: Node<String>,
    pub title: Node<String>,
    pub authority: Node<String>,
    /// `for each …`: the rule is judged for every item (or period).
    pub each: Option<ForEach>,
    pub versions: Vec<Version>,
    pub withdrawals: Vec<Withdrawal>,
    pub supersessions: Vec<Supersession>,
    pub positions: Vec<Position>,
}

/// A citation of a source, with an optional pinpoint (`at "para 3"`).
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub source: Node<String>,
    pub pinpoint: Option<Node<String>>,
}

/// One dated version of a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// The `version` keyword: where to point when the version as a whole is wrong.
    pub span: Span,
    pub from: Node<NaiveDate>,
    pub until: Option<Node<NaiveDate>>,
    pub published: Node<NaiveDate>,
    pub citations: Vec<Citation>,
    pub applies_when: Vec<Expr>,
    pub deadline: Vec<Expr>,
    /// `deadline every …`: a recurring deadline (at most one deadline in all).
    pub every: Vec<Recurrence>,
    pub due_soon: Vec<Node<Length>>,
    pub met_when: Vec<Expr>,
    pub met_on: Vec<Expr>,
    pub exceptions: Vec<Exception>,
}

/// `every month from START, due 1 month after it ends`
#[derive(Debug, Clone, PartialEq)]
pub struct Recurrence {
    pub unit: PeriodUnit,
    pub from: Expr,
    pub due_after: Node<Length>,
    /// The whole clause after `deadline`.
    pub span: Span,
}

/// The calendar periods a recurring deadline counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodUnit {
    /// Monday to Sunday.
    Week,
    Month,
    /// January, April, July and October to the end of the third month.
    Quarter,
    Year,
}

/// The status an exception sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExceptionStatus {
    NotApplicable,
    Met,
    Overdue,
}

/// `unless EXPR -> STATUS "reason" cites …`
#[derive(Debug, Clone, PartialEq)]
pub struct Exception {
    pub condition: Expr,
    pub status: Node<ExceptionStatus>,
    pub reason: Node<String>,
    pub citations: Vec<Citation>,
}

/// `withdrawn DATE published DATE "reason" cites …`
#[derive(Debug, Clone, PartialEq)]
pub struct Withdrawal {
    pub span: Span,
    pub on: Node<NaiveDate>,
    pub published: Node<NaiveDate>,
    pub reason: Node<String>,
    pub citations: Vec<Citation>,
}

/// `superseded by RULE on DATE published DATE cites …`
#[derive(Debug, Clone, PartialEq)]
pub struct Supersession {
    pub span: Span,
    pub successor: Node<String>,
    pub on: Node<NaiveDate>,
    pub published: Node<NaiveDate>,
    pub citations: Vec<Citation>,
}

/// `position AUTHORITY "stance" cites …`
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    pub authority: Node<String>,
    pub stance: Node<String>,
    pub citations: Vec<Citation>,
}

/// A unit of a duration literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    Days,
    Weeks,
    Months,
    Years,
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    /// How the operator is written.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::And => "and",
            Self::Or => "or",
            Self::Eq => "=",
            Self::Ne => "!=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Add => "+",
            Self::Sub => "-",
            Self::Mul => "*",
            Self::Div => "/",
        }
    }
}

/// What an aggregate computes over the items of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggregateOp {
    /// `count of KIND`
    Count,
    /// `any KIND`: some item passes the filter.
    Any,
    /// `all KIND where C`: every item passes it.
    All,
    /// `sum of KIND.FIELD`
    Sum,
    /// `earliest KIND.FIELD`
    Earliest,
    /// `latest KIND.FIELD`
    Latest,
}

impl AggregateOp {
    /// How it is written, before the kind.
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Count => "count of",
            Self::Any => "any",
            Self::All => "all",
            Self::Sum => "sum of",
            Self::Earliest => "earliest",
            Self::Latest => "latest",
        }
    }
}

/// An expression with its span.
pub type Expr = Node<ExprKind>;

/// The shapes an expression can take.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Bool(bool),
    /// A whole number, as written.
    Integer(i64),
    /// A number with a fractional part.
    Decimal(f64),
    /// `50%`, as a number of percentage points.
    Percent(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// `2023-02`: the first day of the month.
    Month(NaiveDate),
    Duration(i64, TimeUnit),
    Text(String),
    Today,
    /// `deadline unstated`: a deadline the source promised but never gave.
    Unstated,
    /// `period`: the first day of the period a recurring deadline judges.
    Period,
    /// A fact, a definition or an enumeration variant, resolved by the checker.
    Name(String),
    /// `KIND.FIELD`: a field of the item in scope.
    Field(Node<String>, Node<String>),
    /// `count of KIND where …` and the like: the kind, the field (for sum,
    /// earliest and latest) and the filter.
    Aggregate {
        op: AggregateOp,
        kind: Node<String>,
        field: Option<Node<String>>,
        filter: Option<Box<Expr>>,
    },
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    IsSet(Box<Expr>),
    IsMissing(Box<Expr>),
    OneOf(Box<Expr>, Vec<Node<String>>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
}

impl ExprKind {
    /// The expressions directly inside this one, in order (at most three).
    pub fn children(&self) -> impl Iterator<Item = &Expr> {
        let parts: [Option<&Expr>; 3] = match self {
            Self::Not(x)
            | Self::Neg(x)
            | Self::IsSet(x)
            | Self::IsMissing(x)
            | Self::OneOf(x, _) => [Some(x), None, None],
            Self::Binary(_, a, b) => [Some(a), Some(b), None],
            Self::If(c, t, f) => [Some(c), Some(t), Some(f)],
            Self::Aggregate { filter, .. } => [filter.as_deref(), None, None],
            Self::Field(..)
            | Self::Bool(_)
            | Self::Integer(_)
            | Self::Decimal(_)
            | Self::Percent(_)
            | Self::Date(_)
            | Self::DateTime(_)
            | Self::Month(_)
            | Self::Duration(..)
            | Self::Text(_)
            | Self::Today
            | Self::Unstated
            | Self::Period
            | Self::Name(_) => [None, None, None],
        };
        parts.into_iter().flatten()
    }
}
