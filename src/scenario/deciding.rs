//! What decided a failed rule's status, in a few lines: the clause that
//! decided it and the facts it read, and the deadline; `obligo test
//! --verbose` shows the whole explanation instead.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::eval::Status;
use crate::report::view::ResultView;
use crate::report::why::{ClauseView, NodeView};

/// At most this many facts (and definitions) are listed under the clause.
const FACTS_SHOWN: usize = 8;

/// Writes the deciding clause of `r`, with its facts, each line indented by `pad`.
pub fn render(out: &mut String, r: &ResultView, pad: &str) {
    if let Some(v) = r.version.as_ref().filter(|_| out_of_time(r.status)) {
        let until = v
            .until
            .as_ref()
            .map(|u| format!(" until {u}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{pad}decided by the version in force: from {}{until}, published {}",
            v.from, v.published
        );
    }
    let decided = clause(r);
    if let Some(reason) = r.exception.as_ref().filter(|_| decided.is_none()) {
        let _ = writeln!(out, "{pad}exception: {reason}");
    }
    if let Some(c) = decided {
        let _ = writeln!(
            out,
            "{pad}decided by {}: {} -> {}",
            c.role, c.node.text, c.node.value
        );
        facts(out, r, &c.node, &format!("{pad}  "));
    }
    let mut when = Vec::new();
    if let Some(d) = &r.deadline {
        when.push(format!("deadline {d}{}", r.when()));
    }
    if let Some(m) = &r.met_on {
        when.push(format!("met on {m}"));
    }
    if !when.is_empty() {
        let _ = writeln!(out, "{pad}{}", when.join(", "));
    }
}

/// Statuses decided by the rule's dates, not by its clauses.
fn out_of_time(status: Status) -> bool {
    matches!(status, Status::NotInForce | Status::Ended)
}

/// The clause that decided the status: the exception that applied, the
/// `applies when` (or `where`) that was false, the first clause left
/// unknown, or the `met when`.
fn clause(r: &ResultView) -> Option<&ClauseView> {
    let value = |c: &&ClauseView, v: &str| c.node.value == v;
    let mut clauses = r.explanation.iter();
    match r.status {
        _ if r.exception.is_some() => {
            clauses.find(|c| c.role.starts_with("unless") && value(c, "true"))
        }
        s if out_of_time(s) => None,
        Status::NotApplicable => clauses
            .find(|c| (c.role == "applies when" || c.role.contains("where")) && value(c, "false")),
        Status::Unknown => clauses.find(|c| value(c, "unknown")),
        _ => clauses.rev().find(|c| c.role.starts_with("met when")),
    }
}

/// The facts and definitions the node read, at any depth, each once:
/// `label: value [facts line N]`.
fn facts(out: &mut String, r: &ResultView, node: &NodeView, pad: &str) {
    let mut lines = Vec::new();
    let mut seen = BTreeSet::new();
    collect(node, &mut |n| {
        for f in &n.facts {
            if seen.insert(format!("fact {}", f.fact)) {
                let line = f
                    .line
                    .map(|l| format!(" [facts line {l}]"))
                    .unwrap_or_default();
                lines.push(format!("{}: {}{line}", f.label, f.value));
            }
        }
        for d in &n.definitions {
            if seen.insert(format!("definition {d}")) {
                let value = r
                    .definitions
                    .get(d)
                    .map_or_else(|| "?".to_string(), |def| def.node.value.clone());
                lines.push(format!("{d} (a definition): {value}"));
            }
        }
    });
    for line in lines.iter().take(FACTS_SHOWN) {
        let _ = writeln!(out, "{pad}{line}");
    }
    if lines.len() > FACTS_SHOWN {
        let _ = writeln!(
            out,
            "{pad}and {} more (`--verbose` shows them)",
            lines.len() - FACTS_SHOWN
        );
    }
}

/// Visits the node and its parts, depth first.
fn collect(node: &NodeView, visit: &mut dyn FnMut(&NodeView)) {
    visit(node);
    for c in &node.children {
        collect(c, visit);
    }
}
