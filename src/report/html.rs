//! The HTML report: one self-contained, print-friendly page. No scripts, no
//! external assets; the styles are inline so the file can be mailed or
//! archived as it is.

use std::fmt::Write as _;

use super::text::{group_title, item_dates, item_why, window};
use super::view::{
    CitationView, EachView, ItemView, OrganisationView, ReportView, ResultView, tally,
};
use super::why::{Child, Expander, NodeView};
use crate::model::{BindingForce, Wording};

const STYLE: &str = r#"
:root { --ink: #1b1b1b; --muted: #555; --line: #d0d0d0; --met: #1d6b35; --late: #7a5a00;
        --pending: #0b4f8a; --overdue: #a51d1d; --unknown: #6b3d8a; --quiet: #666; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.meta { color: var(--muted); font-size: .9rem; margin: 0; }
.meta code { font-size: .8rem; word-break: break-all; }
.summary { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
.summary p { margin: .25rem 0; }
.verdict { font-size: 1.15rem; font-weight: 600; }
.verdict.breach { color: var(--overdue); } .verdict.undetermined { color: var(--unknown); } .verdict.compliant { color: var(--met); }
.counts { display: flex; flex-wrap: wrap; gap: .4rem; padding: 0; margin: .5rem 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 999px; padding: .1rem .6rem; font-size: .85rem; }
.rule { border: 1px solid var(--line); border-left-width: 6px; border-radius: 4px; padding: .6rem .9rem; margin: .75rem 0;
        break-inside: avoid; page-break-inside: avoid; }
.rule.met { border-left-color: var(--met); } .rule.met_late { border-left-color: var(--late); }
.rule.pending { border-left-color: var(--pending); } .rule.overdue { border-left-color: var(--overdue); }
.rule.unknown { border-left-color: var(--unknown); }
.rule.not_applicable, .rule.not_in_force, .rule.ended { border-left-color: var(--quiet); }
.rule header { display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; }
.status { font-weight: 700; text-transform: uppercase; font-size: .8rem; letter-spacing: .04em; }
.met .status { color: var(--met); } .met_late .status { color: var(--late); } .pending .status { color: var(--pending); }
.overdue .status { color: var(--overdue); } .unknown .status { color: var(--unknown); }
.name { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; color: var(--muted); }
.title { font-weight: 600; margin: .2rem 0; }
.rule p { margin: .25rem 0; }
.soon { background: #fff3c4; padding: 0 .3rem; border-radius: 3px; }
details summary { cursor: pointer; color: var(--muted); }
ul.why, ul.why ul { list-style: none; padding-left: 1rem; margin: .25rem 0; }
ul.why code { font-size: .85rem; }
.value { font-weight: 600; }
.fact { color: var(--muted); font-size: .9rem; }
.positions { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: .5rem; margin: .5rem 0; }
.position { border: 1px solid var(--line); border-radius: 4px; padding: .4rem .6rem; font-size: .9rem; }
.position.own { background: #f4f4f4; }
.position .who { font-weight: 600; display: block; }
table.items { border-collapse: collapse; width: 100%; font-size: .88rem; margin: .4rem 0; }
table.items th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 1px solid var(--line); padding: .15rem .4rem; }
table.items td { border-bottom: 1px solid #eee; padding: .15rem .4rem; vertical-align: top; }
table.items td.status { font-weight: 700; text-transform: uppercase; font-size: .75rem; white-space: nowrap; }
table.items tr.overdue td.status { color: var(--overdue); } table.items tr.unknown td.status { color: var(--unknown); }
table.items tr.pending td.status { color: var(--pending); } table.items tr.met_late td.status { color: var(--late); }
table.items tr.met td.status { color: var(--met); }
.rollup { font-weight: 600; }
table.items .name { white-space: nowrap; }
.rule.each { break-inside: auto; page-break-inside: auto; }
table.items tr { break-inside: avoid; page-break-inside: avoid; }
.missing { background: #f7f0fb; border-radius: 4px; padding: .4rem .6rem; }
ol.sources { margin: .25rem 0; padding-left: 1.25rem; font-size: .9rem; }
a { color: #0b4f8a; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  /* A printout shows what a closed <details> holds: the explanations, the folded items. */
  details { display: block; } details > summary { display: none; }
  details::details-content { content-visibility: visible; display: block; }
  a { color: inherit; text-decoration: none; }
  a[href]::after { content: " <" attr(href) ">"; font-size: .8em; color: var(--muted); word-break: break-all; }
  h2 { break-before: page; } h2:first-of-type { break-before: auto; }
}
"#;

/// Renders the report as one HTML page.
pub fn render(report: &ReportView) -> String {
    let mut out = String::new();
    let rs = &report.ruleset;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"obligo\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&format!(
            "{}: compliance report as of {}",
            rs.title, report.as_of
        ))
    );
    let _ = writeln!(out, "<h1>{}</h1>", esc(&rs.title));
    let _ = writeln!(
        out,
        "<p class=\"meta\">Judged as of <strong>{}</strong>, by the rules known on <strong>{}</strong>.</p>",
        esc(&report.as_of),
        esc(&report.known_on)
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">Ruleset <code>{}</code> version {}, published {}; sha256 <code>{}</code>.</p>",
        esc(&rs.name),
        esc(&rs.version),
        esc(&rs.published),
        esc(&rs.sha256)
    );
    for org in &report.organisations {
        organisation(&mut out, org, &rs.wording);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn organisation(out: &mut String, org: &OrganisationView, wording: &Wording) {
    let _ = writeln!(
        out,
        "<section class=\"organisation\">\n<h2>{}</h2>",
        esc(&org.who())
    );
    let _ = writeln!(out, "<div class=\"summary\">");
    let verdict = serde_json::to_value(org.verdict)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<p class=\"verdict {}\">Verdict: {}</p>",
        esc(&verdict),
        esc(super::words::verdict(org.verdict))
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">Counting binding rules (law and contract) only.</p>"
    );
    let _ = writeln!(out, "<ul class=\"counts\">");
    for c in &org.counts {
        let _ = writeln!(
            out,
            "<li>{} {}</li>",
            c.count,
            esc(&c.status.code().replace('_', " "))
        );
    }
    let _ = writeln!(out, "</ul>");
    match org.next_deadline() {
        Some(r) => {
            let _ = writeln!(
                out,
                "<p>Next deadline: <strong>{}</strong>{}: {} (<span class=\"name\">{}</span>)</p>",
                esc(r.deadline.as_deref().unwrap_or("")),
                r.when(),
                esc(&r.title),
                esc(&r.rule)
            );
        }
        None => {
            let _ = writeln!(out, "<p>No pending deadline.</p>");
        }
    }
    let recorded = org
        .recorded
        .as_ref()
        .map(|r| format!(", recorded {}", esc(r)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<p class=\"meta\">Facts: <code>{}</code>{recorded}.</p>",
        esc(&org.facts_file)
    );
    for n in &org.notes {
        let _ = writeln!(out, "<p class=\"meta\">Note: {}</p>", esc(n));
    }
    let _ = writeln!(out, "</div>");
    for force in BindingForce::ALL {
        let group: Vec<&ResultView> = org
            .results
            .iter()
            .filter(|r| r.authority.binding_force == force.keyword())
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "<h3>{}</h3>", esc(group_title(wording, force)));
        for r in group {
            result(out, r);
        }
    }
    let _ = writeln!(out, "</section>");
}

fn result(out: &mut String, r: &ResultView) {
    let status = r.status.code();
    // A rule with items may run over a page: it breaks between rows instead.
    let each = if r.each.is_some() { " each" } else { "" };
    let _ = writeln!(
        out,
        "<article class=\"rule {status}{each}\" id=\"{}\">",
        esc(&r.rule)
    );
    let _ = writeln!(
        out,
        "<header><span class=\"status\">{}</span> <span class=\"name\">{}</span></header>",
        esc(r.status_words),
        esc(&r.rule)
    );
    let _ = writeln!(out, "<p class=\"title\">{}</p>", esc(&r.title));
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} by {} ({}){}</p>",
        esc(r.kind),
        esc(&r.authority.name),
        esc(r.authority.binding_force),
        r.version
            .as_ref()
            .map(|v| format!(
                "; version {}",
                esc(&window(&v.from, v.until.as_deref(), &v.published))
            ))
            .unwrap_or_default()
    );
    if let Some(reason) = &r.exception {
        let _ = writeln!(out, "<p>Exception: {}</p>", esc(reason));
    }
    if let Some(p) = &r.period {
        let _ = writeln!(out, "<p>Period: {}</p>", esc(p));
    }
    if let Some(d) = &r.deadline {
        let soon = if r.due_soon {
            " <span class=\"soon\">due soon</span>"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<p>Deadline: <strong>{}</strong>{}{soon}</p>",
            esc(d),
            r.when()
        );
    }
    if let Some(m) = &r.met_on {
        let _ = writeln!(out, "<p>Met on: {}</p>", esc(m));
    }
    if let Some(each) = &r.each {
        items(out, each);
    }
    let items_ask = r.each.as_ref().is_some_and(|e| !e.items.is_empty());
    if !items_ask && !r.missing_facts.is_empty() {
        let _ = writeln!(
            out,
            "<div class=\"missing\"><p>Answer these to decide the rule:</p><ul>"
        );
        for m in &r.missing_facts {
            let _ = writeln!(
                out,
                "<li>{} <span class=\"name\">({})</span></li>",
                esc(&m.question),
                esc(&m.fact)
            );
        }
        let _ = writeln!(out, "</ul></div>");
    }
    if !r.explanation.is_empty() {
        let _ = writeln!(out, "<details><summary>Why</summary>\n<ul class=\"why\">");
        for c in &r.explanation {
            let _ = write!(out, "<li>{}: ", esc(&c.role));
            node(
                out,
                &c.node.text,
                &c.node,
                0,
                &mut Expander::new(&r.definitions),
            );
            let _ = writeln!(out, "</li>");
        }
        let _ = writeln!(out, "</ul></details>");
    }
    if !r.citations.is_empty() {
        let _ = writeln!(out, "<p>Sources:</p>\n<ol class=\"sources\">");
        for c in &r.citations {
            let _ = writeln!(out, "<li>{}</li>", citation(c));
        }
        let _ = writeln!(out, "</ol>");
    }
    if !r.positions.is_empty() {
        // Conflicts side by side: the rule's own authority first, then the others.
        let _ = writeln!(out, "<p>Positions:</p>\n<div class=\"positions\">");
        let _ = writeln!(
            out,
            "<div class=\"position own\"><span class=\"who\">{} ({})</span>This rule, as above.</div>",
            esc(&r.authority.name),
            esc(r.authority.binding_force)
        );
        for p in &r.positions {
            let sources: Vec<String> = p.citations.iter().map(citation).collect();
            let _ = writeln!(
                out,
                "<div class=\"position\"><span class=\"who\">{} ({})</span>{}<br><span class=\"fact\">{}</span></div>",
                esc(&p.authority.name),
                esc(p.authority.binding_force),
                esc(&p.stance),
                sources.join("; ")
            );
        }
        let _ = writeln!(out, "</div>");
    }
    for n in &r.notes {
        let _ = writeln!(out, "<p class=\"meta\">Note: {}</p>", esc(n));
    }
    let _ = writeln!(out, "</article>");
}

/// How many items the HTML report lists in a rule's table before it
/// folds the rest under "and N more" (printed, the fold is open).
pub const ITEMS_SHOWN: usize = 10;

/// A rule's roll-up, then its items in a compact table, overdue first.
fn items(out: &mut String, each: &EachView) {
    let _ = writeln!(out, "<p class=\"rollup\">Items: {}</p>", esc(&each.summary));
    let ordered = each.in_report_order();
    if ordered.is_empty() {
        return;
    }
    let (first, rest) = ordered.split_at(ordered.len().min(ITEMS_SHOWN));
    items_table(out, first);
    if rest.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<details class=\"more-items\"><summary>and {} more: {}</summary>",
        rest.len(),
        esc(&tally(rest))
    );
    items_table(out, rest);
    let _ = writeln!(out, "</details>");
}

fn items_table(out: &mut String, items: &[&ItemView]) {
    let _ = writeln!(
        out,
        "<table class=\"items\"><thead><tr><th>Status</th><th>Item</th><th>Deadline</th><th>Why</th></tr></thead><tbody>"
    );
    for i in items {
        let label = i
            .label
            .as_ref()
            .map(|l| format!(" {}", esc(l)))
            .unwrap_or_default();
        let dates = item_dates(i);
        let why = item_why(i).unwrap_or_default();
        let why = why
            .strip_prefix("why: ")
            .unwrap_or(&why)
            .replace(" -> ", " → ");
        let soon = if i.due_soon {
            " <span class=\"soon\">due soon</span>"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<tr class=\"{}\"><td class=\"status\">{}</td><td><span class=\"name\">{}</span>{label}</td><td>{}{soon}</td><td class=\"fact\">{}</td></tr>",
            i.status.code(),
            esc(i.status_words),
            esc(&i.key),
            esc(dates.strip_prefix(": ").unwrap_or(&dates)),
            esc(&why)
        );
    }
    let _ = writeln!(out, "</tbody></table>");
}

/// An explained node shown as `text`, `depth` definitions deep: its value,
/// then its facts, parts and the definitions first used here.
fn node<'a>(out: &mut String, text: &str, n: &'a NodeView, depth: usize, defs: &mut Expander<'a>) {
    let _ = write!(
        out,
        "<code>{}</code> → <span class=\"value\">{}</span>",
        esc(text),
        esc(&n.value)
    );
    let children = defs.children(n, depth);
    if n.facts.is_empty() && children.is_empty() {
        return;
    }
    out.push_str("<ul>");
    for f in &n.facts {
        let line = f
            .line
            .map(|l| format!(", facts line {l}"))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<li class=\"fact\">{}: <span class=\"value\">{}</span>{line}</li>",
            esc(&f.label),
            esc(&f.value)
        );
    }
    for c in children {
        out.push_str("<li>");
        match c {
            Child::Part(p) => node(out, &p.text, p, depth, defs),
            Child::Definition(d) => node(out, &d.heading(), &d.node, depth + 1, defs),
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

fn citation(c: &CitationView) -> String {
    let title = match &c.url {
        Some(u) => format!("<a href=\"{}\">{}</a>", esc(u), esc(&c.title)),
        None => esc(&c.title),
    };
    let pin = c
        .pinpoint
        .as_ref()
        .map(|p| format!(", {}", esc(p)))
        .unwrap_or_default();
    format!(
        "{title} ({}, {}){pin} <span class=\"name\">[{}]</span>",
        esc(&c.issuer),
        esc(&c.published),
        esc(&c.source)
    )
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
