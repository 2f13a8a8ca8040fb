//! Explanations: each clause evaluated, with the facts that decided it.

use serde::Serialize;

use super::tri::{Evaluator, Tri};
use crate::facts::Slot;
use crate::model::{Expr, ExprKind, FactId, Ruleset};
use crate::value::{Type, Value, format_duration, format_number};

/// One clause of the version used ("applies when", "met when", …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    /// Which clause.
    pub role: String,
    /// Its evaluation.
    pub node: ExplainNode,
}

/// A condition or value, what it came to, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExplainNode {
    /// The text as written in the rule file.
    pub text: String,
    /// What it came to, as shown to a reader ("true", "2023-10-31", "unknown").
    pub value: String,
    /// The facts read directly here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<FactUse>,
    /// The parts of an `and`/`or`/`not`, or the definitions used.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ExplainNode>,
}

/// One fact as the explanation saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactUse {
    /// The fact's name.
    pub fact: String,
    /// Its label.
    pub label: String,
    /// Its value on the as-of date ("not given" when absent).
    pub value: String,
    /// The facts file line it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Absent from the facts file.
    pub missing: bool,
    /// The value given, when the as-of date sees it as not happened yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub later_value: Option<String>,
}

impl Clause {
    /// Explains one clause whose value is already computed.
    pub fn new(ev: &Evaluator<'_>, role: &str, e: &Expr, value: &Tri) -> Self {
        let mut node = node(ev, e);
        node.value = show_tri(ev.ruleset, e.ty, value);
        Self {
            role: role.to_string(),
            node,
        }
    }
}

fn node(ev: &Evaluator<'_>, e: &Expr) -> ExplainNode {
    let text = crate::source::without_comments(ev.ruleset.texts.slice(e.span))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let value = show_tri(ev.ruleset, e.ty, &ev.eval(e));
    let mut children = Vec::new();
    let mut facts = Vec::new();
    match &e.kind {
        ExprKind::And(a, b) | ExprKind::Or(a, b) => {
            flatten(ev, e, a, &mut children);
            flatten(ev, e, b, &mut children);
        }
        ExprKind::Not(x) if matches!(x.kind, ExprKind::And(..) | ExprKind::Or(..)) => {
            children.push(node(ev, x))
        }
        _ => {
            let mut seen: Vec<FactId> = Vec::new();
            e.for_each_fact(&mut |f| {
                if !seen.contains(&f) {
                    seen.push(f);
                }
            });
            facts = seen.into_iter().map(|f| fact_use(ev, f)).collect();
            let mut defs = Vec::new();
            e.for_each_def(&mut |d| {
                if !defs.contains(&d) {
                    defs.push(d);
                }
            });
            for d in defs {
                let def = ev.ruleset.definition(d);
                let mut child = node(ev, &def.value);
                child.text = match &def.label {
                    Some(l) => format!("{} ({l}) = {}", def.name, child.text),
                    None => format!("{} = {}", def.name, child.text),
                };
                children.push(child);
            }
        }
    }
    ExplainNode {
        text,
        value,
        facts,
        children,
    }
}

/// Lists `a and b and c` as three children, not a nested pair.
fn flatten(ev: &Evaluator<'_>, parent: &Expr, e: &Expr, out: &mut Vec<ExplainNode>) {
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

fn fact_use(ev: &Evaluator<'_>, id: FactId) -> FactUse {
    let fact = ev.ruleset.fact(id);
    let (value, line, missing, later_value) = match ev.facts.slot(id) {
        Slot::Absent => ("not given".to_string(), None, true, None),
        Slot::Given { value, line } => {
            let seen = ev.fact(id);
            let shown = show_tri(ev.ruleset, fact.ty, &seen);
            let later =
                (seen != Tri::Known(value.clone())).then(|| show_value(ev.ruleset, fact.ty, value));
            (shown, Some(*line), false, later)
        }
    };
    FactUse {
        fact: fact.name.clone(),
        label: fact.label.clone(),
        value,
        line,
        missing,
        later_value,
    }
}

fn show_tri(rs: &Ruleset, ty: Type, t: &Tri) -> String {
    match t {
        Tri::Known(v) => show_value(rs, ty, v),
        Tri::Unknown(_) => "unknown".into(),
    }
}

/// A value as a reader sees it, in the terms of its type.
pub fn show_value(rs: &Ruleset, ty: Type, v: &Value) -> String {
    match v {
        Value::Null => match ty {
            Type::Date | Type::DateTime | Type::Month => "not happened".into(),
            _ => "none".into(),
        },
        Value::Bool(true) => "true".into(),
        Value::Bool(false) => "false".into(),
        Value::Number(n) if ty == Type::Percent => format!("{}%", format_number(n * 100.0)),
        Value::Number(n) => format_number(*n),
        Value::Date(d) if ty == Type::Month => d.format("%Y-%m").to_string(),
        Value::Date(d) => d.to_string(),
        Value::DateTime(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        Value::Text(s) => format!("\"{s}\""),
        Value::Variant(i) => match ty {
            Type::Enum(f) => rs
                .facts
                .get(f as usize)
                .and_then(|fact| fact.variants.get(*i as usize))
                .cloned()
                .unwrap_or_default(),
            _ => i.to_string(),
        },
        Value::Duration(n, u) => format_duration(*n, *u),
    }
}
