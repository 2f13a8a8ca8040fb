//! The Markdown report: for a pull request, a wiki page or an email.

use std::fmt::Write as _;

use super::text::{
    Detail, ITEMS_SHOWN, deciding, defined_as, group_title, item_dates, item_why, window,
};
use super::todo::{Next, Todo, days as days_words, fold_note, force_groups, missing_command};
use super::view::{
    CitationView, EachView, ItemView, OrganisationView, ReportView, ResultView, tally,
};
use super::why::{Definitions, NodeView};
use crate::model::Wording;

/// Renders the report as Markdown, short (as `obligo check` writes it).
pub fn render(report: &ReportView) -> String {
    render_with(report, Detail::Short)
}

/// Renders the report as Markdown, with as much of each rule as `detail`
/// says: the same shape as the text report.
pub fn render_with(report: &ReportView, detail: Detail) -> String {
    let mut out = String::new();
    let rs = &report.ruleset;
    let _ = writeln!(out, "# {}\n", md(&rs.title));
    let _ = writeln!(
        out,
        "Judged as of **{}**, by the rules known on **{}**, by obligo {}. Ruleset `{}` version {}, published {}; sha256 `{}`.",
        report.as_of,
        report.known_on,
        md(report.obligo_version),
        rs.name,
        md(&rs.version),
        rs.published,
        rs.sha256
    );
    for org in &report.organisations {
        organisation(&mut out, org, &rs.wording, detail);
    }
    out
}

fn organisation(out: &mut String, org: &OrganisationView, wording: &Wording, detail: Detail) {
    let _ = writeln!(out, "\n## {}\n", md(&org.who()));
    let sha = org
        .facts_sha256
        .as_ref()
        .map(|h| format!(", sha256 `{h}`"))
        .unwrap_or_default();
    let _ = writeln!(out, "Facts: `{}`{sha}\n", org.facts_file);
    let _ = writeln!(
        out,
        "**Verdict: {}** (counting binding duties only)",
        md(super::words::verdict(org.verdict))
    );
    for n in &org.notes {
        let _ = writeln!(out, "\n> Note: {}", md(n));
    }
    let todo = Todo::of(org);
    what_to_do(out, &todo, org);
    let _ = writeln!(out, "\n| binding force | rules |\n|---|---|");
    for f in &todo.counts {
        let _ = writeln!(
            out,
            "| {} | {} |",
            group_title(wording, f.force),
            cell(&f.words())
        );
    }
    for g in force_groups(&org.results) {
        let _ = writeln!(out, "\n### {}", group_title(wording, g.force));
        let shut = g.shut;
        for r in g.open {
            result(out, r, detail);
        }
        if !shut.is_empty() {
            out.push('\n');
        }
        for r in shut {
            let _ = writeln!(
                out,
                "- {}: `{}` — {}",
                r.status_words.to_uppercase(),
                r.rule,
                md(&fold_note(r))
            );
        }
    }
    if detail == Detail::Full && !org.definitions.is_empty() {
        let _ = writeln!(
            out,
            "\n### Definitions\n\nEach explained once; the rules above name them.\n"
        );
        for d in org.definitions.iter() {
            let _ = write!(out, "- ");
            node(out, &d.heading(), &d.node, 2, &org.definitions);
        }
    }
}

/// "What to do now": overdue binding duties, next deadlines, top questions.
fn what_to_do(out: &mut String, todo: &Todo<'_>, org: &OrganisationView) {
    let _ = writeln!(out, "\n### What to do now\n");
    if todo.overdue.is_empty() {
        let _ = writeln!(out, "Overdue binding duties: none.\n");
    } else {
        let _ = writeln!(out, "Overdue binding duties:\n");
        for o in &todo.overdue {
            let r = o.result;
            let source = o
                .source
                .map(|c| format!(" Source: {}.", citation(c)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- [ ] **`{}`**: {}. {}.{source}",
                r.rule,
                md(&o.since_words()),
                md(&r.title)
            );
        }
        out.push('\n');
    }
    if !todo.other_overdue.is_empty() {
        let rules: Vec<String> = todo
            .other_overdue
            .iter()
            .map(|r| format!("`{}` ({})", r.rule, r.authority.binding_force))
            .collect();
        let _ = writeln!(
            out,
            "Also overdue, not binding (see below): {}.\n",
            rules.join(", ")
        );
    }
    match todo.next.as_slice() {
        [] => {
            let _ = writeln!(out, "Next deadline: none ahead.");
        }
        [one] => {
            let _ = writeln!(out, "Next deadline: {}", next(one));
        }
        many => {
            let _ = writeln!(out, "Next deadlines:\n");
            for n in many {
                let _ = writeln!(out, "- {}", next(n));
            }
        }
    }
    if !todo.undated.is_empty() {
        let rules: Vec<String> = todo
            .undated
            .iter()
            .map(|r| format!("`{}`", r.rule))
            .collect();
        let _ = writeln!(out, "\nPending, no date set yet: {}.", rules.join(", "));
    }
    if !todo.questions.is_empty() {
        let _ = writeln!(
            out,
            "\nQuestions that would decide the most ({} of {}; `{}` lists all):\n",
            todo.questions.len(),
            todo.questions_total,
            missing_command(org)
        );
        for q in todo.questions {
            let _ = writeln!(
                out,
                "1. {} (`{}`; needed by {} rules)",
                md(&q.question),
                q.fact,
                q.rules.len()
            );
        }
    }
}

/// A pending deadline: `**2023-10-31** (in 11 days): Title (`rule`)`.
fn next(n: &Next<'_>) -> String {
    format!(
        "**{}** ({}): {} (`{}`{})",
        md(n.deadline),
        n.when_words(),
        md(&n.result.title),
        n.result.rule,
        n.item
            .map(|i| format!(", {}", md(&i.title())))
            .unwrap_or_default()
    )
}

fn result(out: &mut String, r: &ResultView, detail: Detail) {
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
        .filter(|_| detail == Detail::Full)
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
    } else if let (Some(since), Some(days)) = (&r.overdue_since, r.days_overdue) {
        let _ = writeln!(
            out,
            "- {} since {since}, when it came into force (no deadline): {}",
            super::words::capitalised(super::todo::since_words(r)),
            days_words(days)
        );
    }
    if let Some(m) = &r.met_on {
        let _ = writeln!(out, "- Met on: {m}");
    }
    if let Some(each) = &r.each {
        let _ = writeln!(out, "- Items: {}", md(&each.summary));
        if !each.items.is_empty() {
            let shown = match detail {
                Detail::Short => ITEMS_SHOWN,
                Detail::Full => usize::MAX,
            };
            items(out, each, shown);
        }
    }
    let items_ask = r.each.as_ref().is_some_and(|e| !e.items.is_empty());
    if !items_ask && !r.missing_facts.is_empty() {
        let _ = writeln!(out, "- Answer these to decide the rule:");
        for m in &r.missing_facts {
            let _ = writeln!(out, "  - [ ] {} (`{}`)", md(&m.question), m.fact);
        }
    }
    match detail {
        Detail::Short => {
            if let Some(c) = deciding(r) {
                let label = defined_as(r, c)
                    .map(|l| format!(" ({})", md(l)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "- Why: {}: `{}`{label} → **{}**",
                    md(&c.role),
                    c.node.text.replace('`', "'"),
                    md(&c.node.value)
                );
            }
        }
        Detail::Full if !r.explanation.is_empty() => {
            let _ = writeln!(out, "- Why:");
            for c in &r.explanation {
                let _ = write!(out, "  - {}: ", md(&c.role));
                node(out, &c.node.text, &c.node, 4, &r.definitions);
            }
        }
        Detail::Full => {}
    }
    if !r.citations.is_empty() {
        let _ = writeln!(out, "- Sources:");
        for c in &r.citations {
            let _ = writeln!(out, "  - {}", citation(c));
        }
    }
    if detail == Detail::Short && !r.positions.is_empty() {
        let n = r.positions.len();
        let them = if n == 1 {
            "position (`--detail full` shows it)"
        } else {
            "positions (`--detail full` shows them)"
        };
        let _ = writeln!(out, "- {n} other {them}");
    }
    if detail == Detail::Full && !r.positions.is_empty() {
        positions(out, r);
    }
    for n in &r.notes {
        let _ = writeln!(out, "\n> Note: {}", md(n));
    }
}

/// Other authorities' positions on a rule, as a table.
fn positions(out: &mut String, r: &ResultView) {
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

/// A rule's items as a table, overdue first, each with a short why; the
/// rest folded after `shown`.
fn items(out: &mut String, each: &EachView, shown: usize) {
    let _ = writeln!(
        out,
        "\n| status | item | deadline | why |\n|---|---|---|---|"
    );
    let why = |i: &ItemView| {
        let w = item_why(i).unwrap_or_default();
        w.strip_prefix("why: ").unwrap_or(&w).replace(" -> ", " → ")
    };
    let ordered = each.in_report_order();
    for i in ordered.iter().take(shown) {
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
    let rest = ordered.get(shown..).unwrap_or_default();
    if !rest.is_empty() {
        let _ = writeln!(out, "\n… and {} more: {}", rest.len(), tally(rest));
    }
    out.push('\n');
}

/// An explained node shown as `text`: its value, then its facts, parts
/// and the definitions it uses, named (each is explained once, under
/// Definitions).
fn node(out: &mut String, text: &str, n: &NodeView, indent: usize, defs: &Definitions) {
    let _ = writeln!(out, "`{}` → **{}**", text.replace('`', "'"), md(&n.value));
    let pad = " ".repeat(indent);
    for f in &n.facts {
        let line = f
            .line
            .map(|l| format!(" (facts line {l})"))
            .unwrap_or_default();
        let _ = writeln!(out, "{pad}- {}: **{}**{line}", md(&f.label), md(&f.value));
    }
    for p in &n.children {
        let _ = write!(out, "{pad}- ");
        node(out, &p.text, p, indent + 2, defs);
    }
    for name in &n.definitions {
        if let Some(d) = defs.get(name) {
            let label = d
                .label
                .as_ref()
                .map(|l| format!(" ({})", md(l)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{pad}- `{name}`{label} → **{}** (a definition: see Definitions)",
                md(&d.node.value)
            );
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
