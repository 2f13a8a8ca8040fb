//! Explanations as reports show them: each clause with its value, the facts
//! read (with their facts-file lines) and the definitions used.
//!
//! An organisation's definitions are explained once, in its
//! [`Definitions`]; nodes name the definitions they use. The text, Markdown
//! and HTML renderers expand a definition under its first use in a clause
//! and not again in that clause ([`Expander`]), and no deeper than
//! [`MAX_NESTED_DEFINITIONS`]: output grows with the ruleset, never with
//! the number of ways definitions nest.

use std::collections::HashMap;

use serde::Serialize;

use super::words;
use crate::eval::{ClauseNode, Explainer, Node, Tri};
use crate::facts::{Facts, Slot};
use crate::model::{FactId, KindId, Owner, Ruleset, Version};

/// Definitions nested deeper than this under one clause are not expanded
/// in text, Markdown and HTML (JSON carries them all).
pub const MAX_NESTED_DEFINITIONS: usize = 32;

/// One clause of the version used ("applies when", "met when", …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseView {
    /// Which clause.
    pub role: String,
    /// Its evaluation.
    pub node: NodeView,
}

/// A condition or value, what it came to, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeView {
    /// The text as written in the rule file.
    pub text: String,
    /// What it came to, as shown to a reader ("true", "2023-10-31", "unknown").
    pub value: String,
    /// The facts read directly here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<FactUse>,
    /// The parts of an `and`/`or`/`not`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<NodeView>,
    /// The definitions used here, by name: each is explained once in the
    /// organisation's `definitions`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub definitions: Vec<String>,
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

/// A definition, explained once for an organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DefinitionView {
    /// Its name.
    pub name: String,
    /// Its label, if it has one.
    pub label: Option<String>,
    /// Its value's explanation (`text` is the definition's expression).
    #[serde(flatten)]
    pub node: NodeView,
}

impl DefinitionView {
    /// The line that opens its explanation: `name (label) = text`.
    pub fn heading(&self) -> String {
        match &self.label {
            Some(l) => format!("{} ({l}) = {}", self.name, self.node.text),
            None => format!("{} = {}", self.name, self.node.text),
        }
    }
}

/// An organisation's definitions, each explained once, in the order first used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Definitions {
    list: Vec<DefinitionView>,
    by_name: HashMap<String, usize>,
}

impl Definitions {
    /// The definitions an explainer has explained so far.
    pub fn of(rs: &Ruleset, facts: &Facts, ex: &Explainer<'_, '_>) -> Self {
        let mut out = Self::default();
        for (id, n) in ex.definitions() {
            let Some(def) = rs.definitions.get(id.0 as usize) else {
                continue;
            };
            out.by_name.insert(def.name.clone(), out.list.len());
            out.list.push(DefinitionView {
                name: def.name.clone(),
                label: def.label.clone(),
                node: Seen {
                    rs,
                    facts,
                    item: None,
                }
                .node(n),
            });
        }
        out
    }

    /// The definition named `name`.
    pub fn get(&self, name: &str) -> Option<&DefinitionView> {
        self.list.get(*self.by_name.get(name)?)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every definition, in the order first used.
    pub fn iter(&self) -> impl Iterator<Item = &DefinitionView> {
        self.list.iter()
    }
}

impl Serialize for Definitions {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.list.serialize(s)
    }
}

/// The explained clauses of one result, as views.
pub fn clauses(
    rs: &Ruleset,
    facts: &Facts,
    version: Option<&Version>,
    explained: &[ClauseNode<'_>],
) -> Vec<ClauseView> {
    item_clauses(rs, facts, version, explained, None)
}

/// The explained clauses of one item of a rule judged `for each` kind
/// (`item`: the kind and the item's index in the facts' list), as views:
/// its fields show the item's values and facts-file lines.
pub fn item_clauses(
    rs: &Ruleset,
    facts: &Facts,
    version: Option<&Version>,
    explained: &[ClauseNode<'_>],
    item: Option<(KindId, u32)>,
) -> Vec<ClauseView> {
    let seen = Seen { rs, facts, item };
    explained
        .iter()
        .map(|c| ClauseView {
            role: words::role(version, c.role),
            node: seen.node(&c.node),
        })
        .collect()
}

/// An expression's text as shown: on one line, without comments, spaces
/// run together. Most are written that way already, and are copied as
/// they are (a batch explains millions).
fn shown(written: &str) -> String {
    let plain = !written.contains(['#', '\n', '\r', '\t'])
        && !written.contains("  ")
        && written.trim().len() == written.len();
    if plain {
        return written.to_string();
    }
    crate::source::without_comments(written)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What an explanation reads facts from: the organisation's facts, and
/// the fields of the item in view, if any.
#[derive(Clone, Copy)]
struct Seen<'a> {
    rs: &'a Ruleset,
    facts: &'a Facts,
    item: Option<(KindId, u32)>,
}

impl Seen<'_> {
    fn node(&self, n: &Node<'_>) -> NodeView {
        let rs = self.rs;
        NodeView {
            text: shown(rs.texts.slice(n.expr.span)),
            value: words::tri(rs, n.expr.ty, &n.value),
            facts: n
                .facts
                .iter()
                .map(|f| self.fact_use(f.fact, &f.seen))
                .collect(),
            children: n.parts.iter().map(|p| self.node(p)).collect(),
            definitions: n
                .uses
                .iter()
                .filter_map(|d| rs.definitions.get(d.0 as usize))
                .map(|d| d.name.clone())
                .collect(),
        }
    }

    /// The slot a fact's value came from: an organisation fact's, or the
    /// field of the item in view.
    fn slot(&self, id: FactId) -> &Slot {
        let (rs, facts) = (self.rs, self.facts);
        match (rs.fact(id).owner, self.item) {
            (Owner::Field(kind, field), Some((bound, index))) if kind == bound => facts
                .items_in(rs, kind)
                .and_then(|l| l.get(index as usize))
                .map_or(&Slot::Absent, |i| i.field(field)),
            _ => facts.slot_in(rs, id),
        }
    }

    fn fact_use(&self, id: FactId, seen: &Tri) -> FactUse {
        let (rs, facts) = (self.rs, self.facts);
        let fact = rs.fact(id);
        let (value, line, missing, later_value) = match fact.owner {
            // A list is given or not; given, it reads as how many it holds.
            Owner::List(kind) => match facts.items_in(rs, kind) {
                None => ("not given".to_string(), None, true, None),
                Some([]) => ("none listed".to_string(), None, false, None),
                Some(l) => (format!("{} listed", l.len()), None, false, None),
            },
            _ => match self.slot(id) {
                Slot::Absent => ("not given".to_string(), None, true, None),
                Slot::Given { value, line } => {
                    let shown = words::tri(rs, fact.ty, seen);
                    let later = (*seen != Tri::Known(value.clone()))
                        .then(|| words::value(rs, fact.ty, value));
                    (shown, line.map(|l| l as usize), false, later)
                }
            },
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
}

/// What a renderer shows under a node.
#[derive(Debug, Clone, Copy)]
pub enum Child<'a> {
    /// A part of an `and`/`or`/`not`.
    Part(&'a NodeView),
    /// A definition used here, explained here for the first time in the result.
    Definition(&'a DefinitionView),
}

/// Walks one clause's explanation for a renderer: each definition is
/// expanded under its first use, and not again.
#[derive(Debug)]
pub struct Expander<'a> {
    definitions: &'a Definitions,
    shown: Vec<bool>,
}

impl<'a> Expander<'a> {
    /// A walk of one clause, over its organisation's definitions.
    pub fn new(definitions: &'a Definitions) -> Self {
        Self {
            definitions,
            shown: vec![false; definitions.list.len()],
        }
    }

    /// The children to show under `node`, which sits under `depth`
    /// expanded definitions: its parts, then each definition it uses that
    /// is not yet shown (none past [`MAX_NESTED_DEFINITIONS`]).
    pub fn children(&mut self, node: &'a NodeView, depth: usize) -> Vec<Child<'a>> {
        let mut out: Vec<Child<'a>> = node.children.iter().map(Child::Part).collect();
        if depth >= MAX_NESTED_DEFINITIONS {
            return out;
        }
        for name in &node.definitions {
            let Some(&i) = self.definitions.by_name.get(name) else {
                continue;
            };
            let (Some(seen), Some(def)) = (self.shown.get_mut(i), self.definitions.list.get(i))
            else {
                continue;
            };
            if !*seen {
                *seen = true;
                out.push(Child::Definition(def));
            }
        }
        out
    }
}
