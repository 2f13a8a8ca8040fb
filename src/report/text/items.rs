//! The items of a rule judged `for each`, under their rule: overdue first,
//! one line each with a short why, long lists folded with a count.

use std::fmt::Write as _;

use crate::eval::Status;
use crate::report::view::{EachView, ItemView, tally};
use crate::report::why::NodeView;

/// How many items the text report lists under a rule before it folds the rest.
pub const ITEMS_SHOWN: usize = 5;

/// The roll-up of a rule judged `for each`, then its items, overdue first,
/// one line each with a short why, the rest folded after `shown`.
pub fn items(out: &mut String, each: &EachView, shown: usize) {
    let _ = writeln!(out, "    items: {}", each.summary);
    let ordered = each.in_report_order();
    for i in ordered.iter().take(shown) {
        item_line(out, i, "      ");
    }
    let rest = ordered.get(shown..).unwrap_or_default();
    if !rest.is_empty() {
        let _ = writeln!(out, "      … and {} more: {}", rest.len(), tally(rest));
    }
}

/// One item on one line (status, key and label, deadline and days), and
/// under it a short why: the clause that decided it, or what to answer.
pub fn item_line(out: &mut String, i: &ItemView, pad: &str) {
    let who = match &i.label {
        Some(l) => format!("{} ({l})", i.key),
        None => i.key.clone(),
    };
    let _ = writeln!(
        out,
        "{pad}[{}] {who}{}",
        i.status_words.to_uppercase(),
        item_dates(i)
    );
    if let Some(why) = item_why(i) {
        let _ = writeln!(out, "{pad}  {why}");
    }
}

/// An item's deadline and days, in words: `: due 2024-04-01 (4 days ago)`.
pub fn item_dates(i: &ItemView) -> String {
    let mut when = i.when();
    if i.due_soon && when.ends_with(')') {
        when.insert_str(when.len() - 1, ", due soon");
    }
    match (i.status, &i.met_on, &i.deadline) {
        (Status::Met | Status::MetLate, Some(m), Some(d)) => format!(": met on {m}, due {d}"),
        (Status::Met | Status::MetLate, Some(m), None) => format!(": met on {m}"),
        (_, _, Some(d)) if d == "unknown" || d == "not yet set" => format!(": deadline {d}"),
        (_, _, Some(d)) => format!(": due {d}{when}"),
        _ => String::new(),
    }
}

/// An item's short why: `answer: …` when unknown, the exception that
/// applied, or the deciding clause with the facts it read (`None` for a
/// met item: its line says when).
pub fn item_why(i: &ItemView) -> Option<String> {
    if !i.missing_facts.is_empty() {
        let own = format!("{}: ", i.name);
        let asked: Vec<&str> = i
            .missing_facts
            .iter()
            .map(|m| m.question.strip_prefix(&own).unwrap_or(&m.question))
            .collect();
        return Some(format!("answer: {}", asked.join("; ")));
    }
    if let Some(reason) = &i.exception {
        return Some(format!("exception: {reason}"));
    }
    // A met item's line says when it was met; its why would only repeat it.
    if matches!(i.status, Status::Met | Status::MetLate) {
        return None;
    }
    let c = i.explanation.get(i.deciding?)?;
    // `met when` goes without saying; other clauses are named.
    let role = if c.role.starts_with("met when") {
        String::new()
    } else {
        format!("{}: ", c.role)
    };
    let why = format!("why: {role}{} -> {}", c.node.text, c.node.value);
    // The facts read, when they fit an 80-column line.
    Some(with_facts(why, &c.node, ITEM_WHY_WIDTH))
}

/// `why` followed by the facts its clause read, in brackets, when the line
/// stays within `width` characters; `why` alone when not.
pub fn with_facts(why: String, node: &NodeView, width: usize) -> String {
    let facts: Vec<String> = node
        .facts
        .iter()
        .map(|f| format!("{}: {}", f.label, f.value))
        .collect();
    let with = format!("{why} ({})", facts.join(", "));
    if facts.is_empty() || with.chars().count() > width {
        why
    } else {
        with
    }
}

/// The widest short why that still lists the facts it read (80 columns,
/// less the indentation of an item's why).
const ITEM_WHY_WIDTH: usize = 72;
