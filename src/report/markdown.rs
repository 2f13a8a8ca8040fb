//! The Markdown report: for a pull request, a wiki page or an email.

use std::fmt::Write as _;

use super::text::{group_title, item_dates, item_why, window};
use super::view::{CitationView, EachView, ItemView, OrganisationView, ReportView, ResultView};
use super::why::{Child, Expander, NodeView};
use crate::model::{BindingForce, Wording};

/// Renders the report as Markdown.
pub fn render(report: &ReportView) -> String {
    let mut out = String::new();
    let rs = &report.ruleset;
    let _ = writeln!(out, "# {}\n", md(&rs.title));
    let _ = writeln!(
        out,
        "Judged as of **{}**, by the rules known on **{}**. Ruleset `{}` version {}, published {}; sha256 `{}`.",
        report.as_of,
        report.known_on,
        rs.name,
        md(&rs.version),
        rs.published,
        rs.sha256
    );
    for org in &report.organisations {
        organisation(&mut out, org, &rs.wording);
    }
    out
}

fn organisation(out: &mut String, org: &OrganisationView, wording: &Wording) {
    let _ = writeln!(out, "\n## {}\n", md(&org.who()));
    let _ = writeln!(
        out,
        "**Verdict: {}** (binding rules only)\n",
        md(super::words::verdict(org.verdict))
    );
    let _ = writeln!(out, "| status | rules |\n|---|---:|");
    for c in &org.counts {
        let _ = writeln!(
            out,
            "| {} | {} |",
            c.status.code().replace('_', " "),
            c.count
        );
    }
    match org.next_deadline() {
        Some(r) => {
            let _ = writeln!(
                out,
                "\nNext deadline: **{}**{}: {} (`{}`)",
                md(r.deadline.as_deref().unwrap_or("")),
                r.when(),
                md(&r.title),
                r.rule
            );
        }
        None => {
            let _ = writeln!(out, "\nNo pending deadline.");
        }
    }
    let _ = writeln!(out, "\nFacts: `{}`", org.facts_file);
    for n in &org.notes {
        let _ = writeln!(out, "\n> Note: {}", md(n));
    }
    for force in BindingForce::ALL {
        let group: Vec<&ResultView> = org
            .results
            .iter()
            .filter(|r| r.authority.binding_force == force.keyword())
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {}", group_title(wording, force));
        for r in group {
            result(out, r);
        }
    }
}

fn result(out: &mut String, r: &ResultView) {
    let _ = writeln!(
        out,
        "\n#### {}: `{}`\n\n{}\n",
        r.status_words.to_uppercase(),
        r.rule,
        md(&r.title)
    );
    let version = r
        .version
        .as_ref()
        .map(|v| {
            format!(
                "; version {}",
                window(&v.from, v.until.as_deref(), &v.published)
            )
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "- {} by {} ({}){version}",
        r.kind,
        md(&r.authority.name),
        r.authority.binding_force
    );
    if let Some(reason) = &r.exception {
        let _ = writeln!(out, "- Exception: {}", md(reason));
    }
    if let Some(p) = &r.period {
        let _ = writeln!(out, "- Period: {p}");
    }
    if let Some(d) = &r.deadline {
        let soon = if r.due_soon { ", **due soon**" } else { "" };
        let _ = writeln!(out, "- Deadline: {}{}{soon}", md(d), r.when());
    }
    if let Some(m) = &r.met_on {
        let _ = writeln!(out, "- Met on: {m}");
    }
    if let Some(each) = &r.each {
        let _ = writeln!(out, "- Items: {}", md(&each.summary));
        if !each.items.is_empty() {
            items(out, each);
        }
    }
    let items_ask = r.each.as_ref().is_some_and(|e| !e.items.is_empty());
    if !items_ask && !r.missing_facts.is_empty() {
        let _ = writeln!(out, "- Answer these to decide the rule:");
        for m in &r.missing_facts {
            let _ = writeln!(out, "  - [ ] {} (`{}`)", md(&m.question), m.fact);
        }
    }
    if !r.explanation.is_empty() {
        let _ = writeln!(out, "- Why:");
        for c in &r.explanation {
            let _ = write!(out, "  - {}: ", md(&c.role));
            node(
                out,
                &c.node.text,
                &c.node,
                4,
                0,
                &mut Expander::new(&r.definitions),
            );
        }
    }
    if !r.citations.is_empty() {
        let _ = writeln!(out, "- Sources:");
        for c in &r.citations {
            let _ = writeln!(out, "  - {}", citation(c));
        }
    }
    if !r.positions.is_empty() {
        let _ = writeln!(out, "\n| authority | position | sources |\n|---|---|---|");
        let _ = writeln!(
            out,
            "| {} ({}) | this rule, as above | |",
            cell(&r.authority.name),
            r.authority.binding_force
        );
        for p in &r.positions {
            let sources: Vec<String> = p.citations.iter().map(citation).collect();
            let _ = writeln!(
                out,
                "| {} ({}) | {} | {} |",
                cell(&p.authority.name),
                p.authority.binding_force,
                cell(&p.stance),
                sources.join("; ")
            );
        }
    }
    for n in &r.notes {
        let _ = writeln!(out, "\n> Note: {}", md(n));
    }
}

/// A rule's items as a table, overdue first, each with a short why.
fn items(out: &mut String, each: &EachView) {
    let _ = writeln!(
        out,
        "\n| status | item | deadline | why |\n|---|---|---|---|"
    );
    let why = |i: &ItemView| {
        let w = item_why(i).unwrap_or_default();
        w.strip_prefix("why: ").unwrap_or(&w).replace(" -> ", " → ")
    };
    for i in each.in_report_order() {
        let who = match &i.label {
            Some(l) => format!("{} ({})", i.key, l),
            None => i.key.clone(),
        };
        let dates = item_dates(i);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            i.status_words.to_uppercase(),
            cell(&who),
            cell(dates.strip_prefix(": ").unwrap_or(&dates)),
            cell(&why(i))
        );
    }
    out.push('\n');
}

/// An explained node shown as `text`, `depth` definitions deep: its value,
/// then its facts, parts and the definitions first used here.
fn node<'a>(
    out: &mut String,
    text: &str,
    n: &'a NodeView,
    indent: usize,
    depth: usize,
    defs: &mut Expander<'a>,
) {
    let _ = writeln!(out, "`{}` → **{}**", text.replace('`', "'"), md(&n.value));
    let pad = " ".repeat(indent);
    for f in &n.facts {
        let line = f
            .line
            .map(|l| format!(" (facts line {l})"))
            .unwrap_or_default();
        let _ = writeln!(out, "{pad}- {}: **{}**{line}", md(&f.label), md(&f.value));
    }
    for c in defs.children(n, depth) {
        let _ = write!(out, "{pad}- ");
        match c {
            Child::Part(p) => node(out, &p.text, p, indent + 2, depth, defs),
            Child::Definition(d) => node(out, &d.heading(), &d.node, indent + 2, depth + 1, defs),
        }
    }
}

fn citation(c: &CitationView) -> String {
    let title = match &c.url {
        Some(u) => format!("[{}]({u})", md(&c.title)),
        None => md(&c.title),
    };
    let pin = c
        .pinpoint
        .as_ref()
        .map(|p| format!(", {}", md(p)))
        .unwrap_or_default();
    format!(
        "{title} ({}, {}){pin} `{}`",
        md(&c.issuer),
        c.published,
        c.source
    )
}

/// Escapes the characters Markdown would read as formatting.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '`' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for a table cell: escaped, on one line.
fn cell(s: &str) -> String {
    md(s).replace('\n', " ")
}
