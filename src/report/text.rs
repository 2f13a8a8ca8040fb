//! The plain-text report, for a terminal or a printout.

use std::fmt::Write as _;

use super::view::{
    AuthorityView, CitationView, EachView, ItemView, OrganisationView, ReportView, ResultView,
    RulesetView, tally,
};
use super::why::{Child, Expander, NodeView};
use super::words;
use crate::eval::Status;
use crate::model::{BindingForce, Wording};

/// Renders the report as text.
pub fn render(report: &ReportView) -> String {
    let mut out = ruleset_lines(&report.ruleset);
    let _ = writeln!(
        out,
        "judged as of {}, by the rules known on {}",
        report.as_of, report.known_on
    );
    for org in &report.organisations {
        out.push('\n');
        organisation(&mut out, org, &report.ruleset.wording);
    }
    out
}

/// The ruleset's title, name, version and hash, as every text report opens.
pub fn ruleset_lines(rs: &RulesetView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", rs.title);
    let _ = writeln!(
        out,
        "ruleset {} version {}, published {}",
        rs.name, rs.version, rs.published
    );
    let _ = writeln!(out, "sha256 {}", rs.sha256);
    out
}

fn organisation(out: &mut String, org: &OrganisationView, wording: &Wording) {
    let _ = writeln!(out, "== {}", org.who());
    let recorded = org
        .recorded
        .as_ref()
        .map(|r| format!(", recorded {r}"))
        .unwrap_or_default();
    let _ = writeln!(out, "facts: {}{recorded}", org.facts_file);
    let _ = writeln!(
        out,
        "verdict: {} (binding rules only)",
        words::verdict(org.verdict)
    );
    let counts: Vec<String> = org
        .counts
        .iter()
        .map(|c| format!("{} {}", c.count, c.status.code()))
        .collect();
    let _ = writeln!(out, "results: {}", counts.join(", "));
    for n in &org.notes {
        let _ = writeln!(out, "note: {n}");
    }
    by_force(
        out,
        wording,
        &org.results,
        |r| r.authority.binding_force,
        result,
    );
}

/// Writes `items` under a heading per binding force, most binding first,
/// leaving out empty groups.
pub fn by_force<T>(
    out: &mut String,
    wording: &Wording,
    items: &[T],
    force_of: impl Fn(&T) -> &str,
    mut write: impl FnMut(&mut String, &T),
) {
    for force in BindingForce::ALL {
        let group: Vec<&T> = items
            .iter()
            .filter(|r| force_of(r) == force.keyword())
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n-- {} --", group_title(wording, force));
        for r in group {
            write(out, r);
        }
    }
}

/// The heading of a binding-force group, in the ruleset's words.
pub fn group_title(wording: &Wording, force: BindingForce) -> &str {
    super::wording::heading(wording, force)
}

/// A rule's title, then its kind, authority and binding force, indented under its name.
pub fn about(out: &mut String, title: &str, kind: &str, authority: &AuthorityView) {
    let _ = writeln!(out, "    {title}");
    let _ = writeln!(
        out,
        "    {kind} by {} ({})",
        authority.name, authority.binding_force
    );
}

/// A version's window: `from 2022-11-02 until 2022-11-28, published 2022-11-01`.
pub fn window(from: &str, until: Option<&str>, published: &str) -> String {
    match until {
        Some(u) => format!("from {from} until {u}, published {published}"),
        None => format!("from {from}, published {published}"),
    }
}

/// One rule's result: status, version, deadline, explanation, sources, positions, notes.
pub fn result(out: &mut String, r: &ResultView) {
    result_shown(out, r, ITEMS_SHOWN);
}

/// One rule's result as [`result`] shows it, listing `shown` of its items
/// (if it is judged `for each`) before folding the rest.
pub fn result_shown(out: &mut String, r: &ResultView, shown: usize) {
    let _ = writeln!(out, "\n[{}] {}", r.status_words.to_uppercase(), r.rule);
    about(out, &r.title, r.kind, &r.authority);
    if let Some(v) = &r.version {
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
    }
    if let Some(m) = &r.met_on {
        let _ = writeln!(out, "    met on: {m}");
    }
    if let Some(each) = &r.each {
        items(out, each, shown);
    }
    // A rule with items asks its questions item by item, under each item.
    let items_ask = r.each.as_ref().is_some_and(|e| !e.items.is_empty());
    if !items_ask && !r.missing_facts.is_empty() {
        let _ = writeln!(out, "    missing facts (answer these to decide the rule):");
        for m in &r.missing_facts {
            let _ = writeln!(out, "      - {} ({}): {}", m.label, m.fact, m.question);
        }
    }
    if !r.explanation.is_empty() {
        let _ = writeln!(out, "    why:");
        for c in &r.explanation {
            let _ = writeln!(out, "      {}: {} -> {}", c.role, c.node.text, c.node.value);
            detail(out, &c.node, 8, 0, &mut Expander::new(&r.definitions));
        }
    }
    if !r.citations.is_empty() {
        let _ = writeln!(out, "    sources:");
        for c in &r.citations {
            let _ = writeln!(out, "      - {}", citation(c));
        }
    }
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
    for n in &r.notes {
        let _ = writeln!(out, "    note: {n}");
    }
}

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
    let facts: Vec<String> = c
        .node
        .facts
        .iter()
        .map(|f| format!("{}: {}", f.label, f.value))
        .collect();
    let with_facts = format!("{why} ({})", facts.join(", "));
    // The facts read, when they fit an 80-column line.
    if facts.is_empty() || with_facts.chars().count() > ITEM_WHY_WIDTH {
        Some(why)
    } else {
        Some(with_facts)
    }
}

/// The widest short why that still lists the facts it read (80 columns,
/// less the indentation of an item's why).
const ITEM_WHY_WIDTH: usize = 72;

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

/// The facts, parts and definitions under one explained node, `depth`
/// definitions deep.
fn detail<'a>(
    out: &mut String,
    node: &'a NodeView,
    indent: usize,
    depth: usize,
    defs: &mut Expander<'a>,
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
    for child in defs.children(node, depth) {
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

pub fn citation(c: &CitationView) -> String {
    let mut s = format!("{}: {} ({}, {})", c.source, c.title, c.issuer, c.published);
    if let Some(p) = &c.pinpoint {
        let _ = write!(s, ", {p}");
    }
    if let Some(u) = &c.url {
        let _ = write!(s, " <{u}>");
    }
    s
}
