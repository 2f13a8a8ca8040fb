//! The top of an organisation's HTML report: the verdict, what to do now
//! (the binding duties overdue, the next deadlines, the questions that
//! decide the most rules) and the counts of each binding force in each
//! kind's words. Built from the renderer-neutral [`Todo`].

use std::fmt::Write as _;

use super::rule::citation;
use super::{Scope, esc};
use crate::report::todo::{Next, Overdue, Todo};
use crate::report::view::{OrganisationView, ResultView};

/// The summary box: verdict, what to do now, counts, the facts read.
pub(super) fn summary(out: &mut String, ids: &Scope<'_>, org: &OrganisationView, todo: &Todo<'_>) {
    let _ = writeln!(out, "<div class=\"summary\">");
    let verdict = serde_json::to_value(todo.verdict)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<p class=\"verdict {}\">Verdict: {}</p>",
        esc(&verdict),
        esc(todo.verdict_words)
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">Counting binding duties (law and contract) only.</p>"
    );
    for n in &org.notes {
        let _ = writeln!(out, "<p class=\"meta\">Note: {}</p>", esc(n));
    }
    let _ = writeln!(out, "<div class=\"todo\">\n<h3>What to do now</h3>");
    overdue(out, ids, todo);
    next(out, ids, todo);
    questions(out, org, todo);
    let _ = writeln!(out, "</div>");
    counts(out, ids, todo);
    let recorded = org
        .recorded
        .as_ref()
        .map(|r| format!(", recorded {}", esc(r)))
        .unwrap_or_default();
    let sha = org
        .facts_sha256
        .as_ref()
        .map(|h| format!("; sha256 <code>{}</code>", esc(h)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<p class=\"meta\">Facts: <code>{}</code>{recorded}{sha}.</p>",
        esc(&org.facts_file)
    );
    let _ = writeln!(out, "</div>");
}

/// A link to a rule's card: its title, then its name.
fn link(ids: &Scope<'_>, r: &ResultView) -> String {
    format!(
        "<a href=\"#{}\">{}</a> <span class=\"name\">{}</span>",
        esc(&ids.rule(&r.rule)),
        esc(&r.title),
        esc(&r.rule)
    )
}

/// Every binding duty overdue, with since when, how long, its items and
/// its source; then the duties overdue that bind no one.
fn overdue(out: &mut String, ids: &Scope<'_>, todo: &Todo<'_>) {
    if todo.overdue.is_empty() {
        let _ = writeln!(out, "<p>Overdue binding duties: none.</p>");
    } else {
        let _ = writeln!(
            out,
            "<p class=\"lead\">Overdue binding duties ({}):</p>\n<ul>",
            todo.overdue.len()
        );
        for o in &todo.overdue {
            overdue_duty(out, ids, o);
        }
        let _ = writeln!(out, "</ul>");
    }
    if !todo.other_overdue.is_empty() {
        let rules: Vec<String> = todo
            .other_overdue
            .iter()
            .map(|r| format!("{} ({})", link(ids, r), esc(r.authority.binding_force)))
            .collect();
        let _ = writeln!(
            out,
            "<p>Also overdue, not binding (see below): {}.</p>",
            rules.join("; ")
        );
    }
}

fn overdue_duty(out: &mut String, ids: &Scope<'_>, o: &Overdue<'_>) {
    let r = o.result;
    let _ = write!(
        out,
        "<li class=\"overdue-duty\">{}<br><span class=\"late\">{}</span>",
        link(ids, r),
        esc(&o.since_words())
    );
    if let Some(each) = r.each.as_ref().filter(|e| !e.items.is_empty()) {
        let _ = write!(out, "; {}", esc(&each.summary));
    }
    if let Some(c) = o.source {
        let _ = write!(
            out,
            "<br><span class=\"fact\">Source: {}</span>",
            citation(c)
        );
    }
    let _ = writeln!(out, "</li>");
}

/// The next deadlines, then the pending rules with no date yet.
fn next(out: &mut String, ids: &Scope<'_>, todo: &Todo<'_>) {
    match todo.next.split_first() {
        None => {
            let _ = writeln!(out, "<p>Next deadline: none ahead.</p>");
        }
        Some((first, rest)) => {
            let _ = writeln!(out, "<p>Next deadline: {}</p>", deadline(ids, first));
            for n in rest {
                let _ = writeln!(out, "<p>Then: {}</p>", deadline(ids, n));
            }
        }
    }
    if !todo.undated.is_empty() {
        let rules: Vec<String> = todo.undated.iter().map(|r| link(ids, r)).collect();
        let _ = writeln!(
            out,
            "<p>Pending, no date set yet: {}.</p>",
            rules.join("; ")
        );
    }
}

/// `<strong>2023-10-31</strong> (in 11 days): Title rule`, naming a force
/// that does not bind.
fn deadline(ids: &Scope<'_>, n: &Next<'_>) -> String {
    let r = n.result;
    let force = if r.authority.binding_force == "binding" {
        String::new()
    } else {
        format!(" ({})", esc(r.authority.binding_force))
    };
    let soon = if r.due_soon {
        ", <span class=\"soon\">due soon</span>"
    } else {
        ""
    };
    let when = n.when_words();
    let when = when.strip_suffix(", due soon").unwrap_or(&when);
    format!(
        "<strong>{}</strong> ({}{soon}): {}{force}",
        esc(n.deadline),
        esc(when),
        link(ids, r)
    )
}

/// The questions that would decide the most undecided rules.
fn questions(out: &mut String, org: &OrganisationView, todo: &Todo<'_>) {
    if todo.questions.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"lead\">Questions that would decide the most ({} of {}; <code>{}</code> lists all):</p>\n<ol>",
        todo.questions.len(),
        todo.questions_total,
        esc(&crate::report::todo::missing_command(org))
    );
    for q in todo.questions {
        let n = q.rules.len();
        let rules = if n == 1 { "rule" } else { "rules" };
        let _ = writeln!(
            out,
            "<li>{} <span class=\"name\">({}; needed by {n} {rules})</span></li>",
            esc(&q.question),
            esc(&q.fact)
        );
    }
    let _ = writeln!(out, "</ol>");
}

/// The rules of each binding force, counted in each kind's words.
fn counts(out: &mut String, ids: &Scope<'_>, todo: &Todo<'_>) {
    let _ = writeln!(
        out,
        "<table class=\"counts\"><caption class=\"meta\">Rules by binding force</caption>"
    );
    for f in &todo.counts {
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td>{}</td></tr>",
            esc(ids.heading(f.force)),
            esc(&f.words())
        );
    }
    let _ = writeln!(out, "</table>");
}
