//! One rule in the HTML report: its card (status, what it asks, dates, the
//! deciding clause, items, the whole explanation, sources, other
//! positions, notes), the one-line entries of rules ended or not yet in
//! force, and the definitions the explanations name.

use std::fmt::Write as _;

use super::{Scope, esc};
use crate::report::text::{deciding, defined_as, item_dates, item_why, window};
use crate::report::todo::{self, Counted, fold_note};
use crate::report::view::{CitationView, EachView, ItemView, ResultView, tally};
use crate::report::why::{DefinitionView, Definitions, NodeView};

/// How many items the HTML report lists in a rule's table before it
/// folds the rest under "and N more" (printed, the fold is open).
pub const ITEMS_SHOWN: usize = 10;

/// One rule's card.
pub(super) fn card(out: &mut String, ids: &Scope<'_>, r: &ResultView) {
    let id = ids.rule(&r.rule);
    // A permission not available or a recommendation not followed is no
    // breach: it is marked apart from an overdue duty.
    let not_duty = if Counted::of(r.kind) == Counted::Duties {
        ""
    } else {
        " not-duty"
    };
    let _ = writeln!(
        out,
        "<article class=\"rule {}{not_duty}\" id=\"{}\">",
        r.status.code(),
        esc(&id)
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
    dates(out, r);
    if let Some(each) = &r.each {
        items(out, &id, each);
    }
    missing(out, r);
    explanation(out, ids, &id, r);
    if !r.citations.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"lead\">Sources:</p>\n<ol class=\"sources\">"
        );
        for c in &r.citations {
            let _ = writeln!(out, "<li>{}</li>", citation(c));
        }
        let _ = writeln!(out, "</ol>");
    }
    positions(out, &id, r);
    for n in &r.notes {
        let _ = writeln!(out, "<p class=\"meta\">Note: {}</p>", esc(n));
    }
    let _ = writeln!(out, "</article>");
}

/// The exception, period, deadline (or since when it is overdue) and when it was met.
fn dates(out: &mut String, r: &ResultView) {
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
    } else if let (Some(since), Some(days)) = (&r.overdue_since, r.days_overdue) {
        let words = todo::since_words(r);
        let _ = writeln!(
            out,
            "<p class=\"late\">{} since {}, when it came into force (no deadline): {}</p>",
            esc(&crate::report::words::capitalised(words)),
            esc(since),
            todo::days(days)
        );
    }
    if let Some(m) = &r.met_on {
        let _ = writeln!(out, "<p>Met on: {}</p>", esc(m));
    }
}

/// The facts that would decide the rule (a rule with items asks them
/// item by item, in its table).
fn missing(out: &mut String, r: &ResultView) {
    let items_ask = r.each.as_ref().is_some_and(|e| !e.items.is_empty());
    if items_ask || r.missing_facts.is_empty() {
        return;
    }
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

/// The clause that decided the rule, in one line (on screen), then every
/// clause with its facts, parts and the definitions it names (folded on
/// screen, printed whole).
fn explanation(out: &mut String, ids: &Scope<'_>, id: &str, r: &ResultView) {
    if r.explanation.is_empty() {
        return;
    }
    if let Some(c) = deciding(r) {
        let named = defined_as(r, c)
            .map(|l| format!(" ({})", esc(l)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<p class=\"short-why\">Why: {}: <code>{}</code>{named} → <span class=\"value\">{}</span></p>",
            esc(&c.role),
            esc(&c.node.text),
            esc(&c.node.value)
        );
    }
    fold(out, &format!("{id}-why"), "Why, in full");
    let _ = writeln!(out, "<ul class=\"why folded\">");
    for c in &r.explanation {
        let _ = write!(out, "<li>{}: ", esc(&c.role));
        node(out, ids, &c.node.text, &c.node, &r.definitions);
        let _ = writeln!(out, "</li>");
    }
    let _ = writeln!(out, "</ul>");
}

/// The other authorities' positions side by side (the rule's own is the
/// card itself), folded on screen.
fn positions(out: &mut String, id: &str, r: &ResultView) {
    let label = match r.positions.len() {
        0 => return,
        1 => "1 other position".to_string(),
        n => format!("{n} other positions"),
    };
    fold(out, &format!("{id}-positions"), &label);
    let _ = writeln!(out, "<div class=\"positions folded\">");
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

/// The rules ended or not yet in force, one line each, at the end of their group.
pub(super) fn shut(out: &mut String, ids: &Scope<'_>, rules: &[&ResultView]) {
    if rules.is_empty() {
        return;
    }
    let _ = writeln!(out, "<ul class=\"shut\">");
    for r in rules {
        let id = ids.rule(&r.rule);
        let _ = write!(
            out,
            "<li class=\"{}\" id=\"{}\"><span class=\"status\">{}</span> <span class=\"name\">{}</span> — {}: {}",
            r.status.code(),
            esc(&id),
            esc(r.status_words),
            esc(&r.rule),
            esc(&r.title),
            esc(&fold_note(r))
        );
        // Not shown in one line: printed whole all the same.
        explanation(out, ids, &id, r);
        let _ = writeln!(out, "</li>");
    }
    let _ = writeln!(out, "</ul>");
}

/// Each definition the explanations name, explained once.
pub(super) fn definitions(out: &mut String, ids: &Scope<'_>, defs: &Definitions) {
    if defs.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h3>Definitions</h3>\n<p class=\"meta\">Each explained once; the explanations above name them.</p>\n<ul class=\"why\">"
    );
    for d in defs.iter() {
        let _ = write!(
            out,
            "<li class=\"definition\" id=\"{}\">",
            esc(&ids.definition(&d.name))
        );
        node(out, ids, &d.heading(), &d.node, defs);
        let _ = writeln!(out, "</li>");
    }
    let _ = writeln!(out, "</ul>");
}

/// A rule's roll-up, then its items in a compact table, overdue first;
/// `id` names the fold of the rest.
fn items(out: &mut String, id: &str, each: &EachView) {
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
    fold(
        out,
        &format!("{id}-more"),
        &format!("and {} more: {}", rest.len(), tally(rest)),
    );
    let _ = writeln!(out, "<div class=\"more-items folded\">");
    items_table(out, rest);
    let _ = writeln!(out, "</div>");
}

/// Opens a fold named `id`: a checkbox labelled `label`, which shows or
/// hides the `.folded` element written next. No script: on screen the
/// label opens it; printed, it is always open (a closed `<details>` would
/// print closed).
fn fold(out: &mut String, id: &str, label: &str) {
    let id = esc(id);
    let _ = writeln!(
        out,
        "<input type=\"checkbox\" class=\"fold\" id=\"{id}\"><label for=\"{id}\">{}</label>",
        esc(label)
    );
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

/// An explained node shown as `text`: its value, then its facts, its
/// parts and the definitions it names, each a link to its one explanation.
fn node(out: &mut String, ids: &Scope<'_>, text: &str, n: &NodeView, defs: &Definitions) {
    let _ = write!(
        out,
        "<code>{}</code> → <span class=\"value\">{}</span>",
        esc(text),
        esc(&n.value)
    );
    let named: Vec<_> = n.definitions.iter().filter_map(|d| defs.get(d)).collect();
    if n.facts.is_empty() && n.children.is_empty() && named.is_empty() {
        return;
    }
    out.push_str("<ul>");
    for f in &n.facts {
        let line = f
            .line
            .map(|l| format!(", facts line {l}"))
            .unwrap_or_default();
        let later = f
            .later_value
            .as_ref()
            .map(|v| format!(" (given as {}, after the date judged)", esc(v)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<li class=\"fact\">{}: <span class=\"value\">{}</span>{later}{line}</li>",
            esc(&f.label),
            esc(&f.value)
        );
    }
    for c in &n.children {
        out.push_str("<li>");
        match bare_definition(c, defs) {
            // A part that is one definition's name is that definition's link.
            Some(d) => definition_link(out, ids, d),
            None => node(out, ids, &c.text, c, defs),
        }
        out.push_str("</li>");
    }
    for d in named {
        out.push_str("<li>");
        definition_link(out, ids, d);
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

/// The definition a part is, when it is nothing but that definition's name.
fn bare_definition<'a>(n: &NodeView, defs: &'a Definitions) -> Option<&'a DefinitionView> {
    match n.definitions.as_slice() {
        [name] if *name == n.text && n.facts.is_empty() && n.children.is_empty() => defs.get(name),
        _ => None,
    }
}

/// A definition named, linked to its one explanation:
/// `in_gp_contract (label) → true (a definition: see Definitions)`.
fn definition_link(out: &mut String, ids: &Scope<'_>, d: &DefinitionView) {
    let label = d
        .label
        .as_ref()
        .map(|l| format!(" ({})", esc(l)))
        .unwrap_or_default();
    let _ = write!(
        out,
        "<a href=\"#{}\"><code>{}</code></a>{label} → <span class=\"value\">{}</span> <span class=\"fact\">(a definition: see Definitions)</span>",
        esc(&ids.definition(&d.name)),
        esc(&d.name),
        esc(&d.node.value)
    );
}

/// A source: its title (a link when it has an address), issuer, date,
/// pinpoint and name.
pub(super) fn citation(c: &CitationView) -> String {
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
