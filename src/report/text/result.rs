//! One rule's result in text: whole (as `explain`, `test` and `diff` show
//! it, and `check --detail full`), or short (`check`'s default: status,
//! deadline, one line of why, sources).

use std::fmt::Write as _;

use super::items::{ITEMS_SHOWN, items};
use super::{about, citation, window};
use crate::eval::Status;
use crate::report::todo;
use crate::report::view::ResultView;
use crate::report::why::{Child, ClauseView, Definitions, Expander, NodeView};

/// How much of each rule a check report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Status, deadline, one line of why, sources.
    #[default]
    Short,
    /// Every explanation; each definition explained once, at the end.
    Full,
}

/// How an explanation shows the definitions it uses.
enum Defs<'a> {
    /// Expanded under their first use in a clause (one rule on its own).
    Inline(Expander<'a>),
    /// Named only: the report explains each once, on its own.
    Named(&'a Definitions),
}

/// One rule's result: status, version, deadline, explanation, sources, positions, notes.
pub fn result(out: &mut String, r: &ResultView) {
    result_shown(out, r, ITEMS_SHOWN);
}

/// One rule's result as [`result`] shows it, listing `shown` of its items
/// (if it is judged `for each`) before folding the rest.
pub fn result_shown(out: &mut String, r: &ResultView, shown: usize) {
    whole(out, r, shown, false);
}

/// One rule's result in a check report: short, or whole with its
/// definitions named (the report explains them once, at the end).
pub fn checked(out: &mut String, r: &ResultView, detail: Detail) {
    match detail {
        Detail::Short => short(out, r),
        Detail::Full => whole(out, r, usize::MAX, true),
    }
}

/// Every line of a result; definitions expanded inline, or only `named`.
fn whole(out: &mut String, r: &ResultView, shown: usize, named: bool) {
    status_and_dates(out, r, true);
    if let Some(each) = &r.each {
        items(out, each, shown);
    }
    missing(out, r);
    if !r.explanation.is_empty() {
        let _ = writeln!(out, "    why:");
        for c in &r.explanation {
            let _ = writeln!(out, "      {}: {} -> {}", c.role, c.node.text, c.node.value);
            let mut defs = if named {
                Defs::Named(&r.definitions)
            } else {
                Defs::Inline(Expander::new(&r.definitions))
            };
            detail(out, &c.node, 8, 0, &mut defs);
        }
    }
    sources(out, r);
    if !r.positions.is_empty() {
        let _ = writeln!(out, "    other positions:");
        for p in &r.positions {
            let _ = writeln!(
                out,
                "      - {} ({}): {}",
                p.authority.name, p.authority.binding_force, p.stance
            );
            for c in &p.citations {
                let _ = writeln!(out, "        source: {}", citation(c));
            }
        }
    }
    notes(out, r);
}

/// Status, deadline, one line of why, sources: what a reader acts on.
fn short(out: &mut String, r: &ResultView) {
    status_and_dates(out, r, false);
    if let Some(each) = &r.each {
        items(out, each, ITEMS_SHOWN);
    }
    missing(out, r);
    if let Some(why) = one_line_why(r) {
        let _ = writeln!(out, "    {why}");
    }
    sources(out, r);
    match r.positions.len() {
        0 => {}
        1 => {
            let _ = writeln!(out, "    1 other position (--detail full shows it)");
        }
        n => {
            let _ = writeln!(out, "    {n} other positions (--detail full shows them)");
        }
    }
    notes(out, r);
}

/// The status line, what the rule asks and who asks it, its version (when
/// `version`), exception, period, deadline and when it was met.
fn status_and_dates(out: &mut String, r: &ResultView, version: bool) {
    let _ = writeln!(out, "\n[{}] {}", r.status_words.to_uppercase(), r.rule);
    about(out, &r.title, r.kind, &r.authority);
    if let Some(v) = r.version.as_ref().filter(|_| version) {
        let _ = writeln!(
            out,
            "    version {}",
            window(&v.from, v.until.as_deref(), &v.published)
        );
    }
    if let Some(reason) = &r.exception {
        let _ = writeln!(out, "    exception: {reason}");
    }
    if let Some(p) = &r.period {
        let _ = writeln!(out, "    period: {p}");
    }
    if let Some(d) = &r.deadline {
        let mut when = r.when();
        if r.due_soon && when.ends_with(')') {
            when.insert_str(when.len() - 1, ", due soon");
        }
        let _ = writeln!(out, "    deadline: {d}{when}");
    } else if let (Some(since), Some(days)) = (&r.overdue_since, r.days_overdue) {
        let _ = writeln!(
            out,
            "    {} since {since}, when it came into force (no deadline): {}",
            todo::since_words(r),
            todo::days(days)
        );
    }
    if let Some(m) = &r.met_on {
        let _ = writeln!(out, "    met on: {m}");
    }
}

/// The facts that would decide the rule (a rule with items asks them
/// item by item, under each item).
fn missing(out: &mut String, r: &ResultView) {
    let items_ask = r.each.as_ref().is_some_and(|e| !e.items.is_empty());
    if !items_ask && !r.missing_facts.is_empty() {
        let _ = writeln!(out, "    missing facts (answer these to decide the rule):");
        for m in &r.missing_facts {
            let _ = writeln!(out, "      - {} ({}): {}", m.label, m.fact, m.question);
        }
    }
}

fn sources(out: &mut String, r: &ResultView) {
    if !r.citations.is_empty() {
        let _ = writeln!(out, "    sources:");
        for c in &r.citations {
            let _ = writeln!(out, "      - {}", citation(c));
        }
    }
}

fn notes(out: &mut String, r: &ResultView) {
    for n in &r.notes {
        let _ = writeln!(out, "    note: {n}");
    }
}

/// The widest one-line why that still lists the facts it read (100
/// columns, less the indentation).
const WHY_WIDTH: usize = 96;

/// A rule's why in one line: the clause that decided its status, with the
/// facts it read when they fit (`None` when the status says it already:
/// unknown lists its questions, an exception its reason).
pub fn one_line_why(r: &ResultView) -> Option<String> {
    let c = deciding(r)?;
    let named = defined_as(r, c)
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    let why = format!(
        "why: {}: {}{named} -> {}",
        c.role, c.node.text, c.node.value
    );
    Some(super::items::with_facts(why, &c.node, WHY_WIDTH))
}

/// The label of the definition a clause is, when it is one definition's name.
pub fn defined_as<'a>(r: &'a ResultView, c: &ClauseView) -> Option<&'a str> {
    r.definitions.get(&c.node.text)?.label.as_deref()
}

/// The clause that decided a rule's status: the `applies when` (or
/// `where`) that was false for a rule not applicable, the `met when` for
/// one met, pending or overdue (`None` when an exception decided it, or
/// the status is unknown: the reason, or the questions, say why).
pub fn deciding(r: &ResultView) -> Option<&ClauseView> {
    if r.exception.is_some() {
        return None;
    }
    let is_met_when = |c: &&ClauseView| c.role.starts_with("met when");
    match r.status {
        Status::NotApplicable => r.explanation.iter().find(|c| {
            (c.role == "applies when" || c.role == "for each, where") && c.node.value == "false"
        }),
        Status::Met | Status::MetLate | Status::Pending | Status::Overdue => {
            r.explanation.iter().rev().find(is_met_when)
        }
        _ => None,
    }
}

/// One rule's result as [`result`] shows it, every line indented by `pad`.
pub fn result_indented(out: &mut String, r: &ResultView, pad: &str) {
    let mut block = String::new();
    result(&mut block, r);
    for line in block.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}{line}");
        }
    }
}

/// Each definition an organisation's explanations use, explained once;
/// the definitions it uses in turn are named, each explained in its place.
pub fn definitions(out: &mut String, defs: &Definitions) {
    if defs.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n-- Definitions (each explained once; the rules above name them) --"
    );
    for d in defs.iter() {
        let _ = writeln!(out, "\n{} -> {}", d.heading(), d.node.value);
        detail(out, &d.node, 4, 0, &mut Defs::Named(defs));
    }
}

/// The facts, parts and definitions under one explained node, `depth`
/// definitions deep.
fn detail<'a>(
    out: &mut String,
    node: &'a NodeView,
    indent: usize,
    depth: usize,
    defs: &mut Defs<'a>,
) {
    let pad = " ".repeat(indent);
    for f in &node.facts {
        let line = f
            .line
            .map(|l| format!(" [facts line {l}]"))
            .unwrap_or_default();
        let later = f
            .later_value
            .as_ref()
            .map(|v| format!(" (given as {v}, after the date judged)"))
            .unwrap_or_default();
        let _ = writeln!(out, "{pad}{}: {}{later}{line}", f.label, f.value);
    }
    let children = match defs {
        Defs::Inline(ex) => ex.children(node, depth),
        Defs::Named(table) => {
            let table: &Definitions = table;
            for c in &node.children {
                let _ = writeln!(out, "{pad}{} -> {}", c.text, c.value);
                detail(out, c, indent + 2, depth, defs);
            }
            for name in &node.definitions {
                named(out, &pad, name, table);
            }
            return;
        }
    };
    for child in children {
        match child {
            Child::Part(c) => {
                let _ = writeln!(out, "{pad}{} -> {}", c.text, c.value);
                detail(out, c, indent + 2, depth, defs);
            }
            Child::Definition(d) => {
                let _ = writeln!(out, "{pad}{} -> {}", d.heading(), d.node.value);
                detail(out, &d.node, indent + 2, depth + 1, defs);
            }
        }
    }
}

/// A definition named, not explained: `in_gp_contract (label) -> true, see Definitions`.
fn named(out: &mut String, pad: &str, name: &str, table: &Definitions) {
    let Some(d) = table.get(name) else {
        return;
    };
    let label = d
        .label
        .as_ref()
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{pad}{name}{label} -> {} (a definition: see Definitions)",
        d.node.value
    );
}
