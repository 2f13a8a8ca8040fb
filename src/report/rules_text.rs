//! `obligo rules` as plain text: the rules in force on a date, and one
//! rule's history.

use std::fmt::Write as _;

use super::text::{about, by_force, citation, ruleset_lines};
use super::view::CitationView;
use crate::history::{
    Change, Changes, EndingKind, EndingView, HistoryView, RuleSummary, RulesView, Until,
    VersionHistory, WindowView,
};

/// Renders the rules in force, not yet in force and ended, grouped by binding force.
pub fn render_rules(view: &RulesView) -> String {
    let mut out = ruleset_lines(&view.ruleset);
    let _ = writeln!(
        out,
        "as of {}, by the rules known on {}",
        view.as_of, view.known_on
    );
    let _ = writeln!(
        out,
        "{} in force, {} not yet in force, {} ended",
        view.in_force.len(),
        view.not_yet_in_force.len(),
        view.ended.len()
    );
    if view.not_yet_published > 0 {
        let _ = writeln!(
            out,
            "note: {} more {} of this ruleset {} first published after {} and {} not shown",
            view.not_yet_published,
            plural(view.not_yet_published, "rule", "rules"),
            plural(view.not_yet_published, "was", "were"),
            view.known_on,
            plural(view.not_yet_published, "is", "are"),
        );
    }
    let parts = [
        (format!("In force on {}", view.as_of), &view.in_force),
        (
            format!("Not yet in force on {}", view.as_of),
            &view.not_yet_in_force,
        ),
        (format!("Ended by {}", view.as_of), &view.ended),
    ];
    for (title, rules) in parts {
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n== {title} ==");
        by_force(
            &mut out,
            &view.ruleset.wording,
            rules,
            |r| r.authority.binding_force,
            summary,
        );
    }
    out
}

fn summary(out: &mut String, r: &RuleSummary) {
    let _ = writeln!(out, "\n{}", r.rule);
    about(out, &r.title, r.kind, &r.authority);
    let _ = writeln!(out, "    {}", window(&r.version, r.versions_known));
    let _ = writeln!(
        out,
        "    deadline: {}",
        r.deadline.as_deref().unwrap_or("none")
    );
    sources(out, "    ", &r.citations);
    if let Some(next) = &r.next_version {
        let _ = writeln!(out, "    next: {}", window(next, r.versions_known));
    }
    if let Some(e) = &r.ending {
        ending(out, "    ending: ", e);
    }
}

/// Renders one rule's history: versions, what changed, ending, positions.
pub fn render_history(view: &HistoryView) -> String {
    let mut out = ruleset_lines(&view.ruleset);
    let _ = writeln!(
        out,
        "the history of {}, by the rules known on {}",
        view.rule, view.known_on
    );
    let _ = writeln!(out, "\n{}", view.rule);
    about(&mut out, &view.title, view.kind, &view.authority);
    if view.versions.is_empty() {
        let _ = writeln!(
            out,
            "\nno version of this rule had been published by {}",
            view.known_on
        );
    }
    deadlines(&mut out, view);
    for v in &view.versions {
        version(&mut out, v, view.versions.len());
    }
    if let Some(e) = &view.ending {
        let _ = writeln!(out, "\n-- ending");
        ending(&mut out, "    ", e);
    }
    if !view.positions.is_empty() {
        let _ = writeln!(out, "\n-- other authorities' positions");
        for p in &view.positions {
            let _ = writeln!(
                out,
                "    - {} ({}), known from {}: {}",
                p.authority.name, p.authority.binding_force, p.known_from, p.stance
            );
            for c in &p.citations {
                let _ = writeln!(out, "        source: {}", citation(c));
            }
        }
    }
    let later = view.not_yet_published;
    let mut left_out = Vec::new();
    if later.versions > 0 {
        left_out.push(format!(
            "{} {}",
            later.versions,
            plural(later.versions, "version", "versions")
        ));
    }
    if later.ending {
        left_out.push("its ending".into());
    }
    if later.positions > 0 {
        left_out.push(format!(
            "{} {}",
            later.positions,
            plural(later.positions, "position", "positions")
        ));
    }
    if !left_out.is_empty() {
        let _ = writeln!(
            out,
            "\nnote: not shown, as published after {}: {}",
            view.known_on,
            left_out.join(", ")
        );
    }
    out
}

/// The deadline of every version on one line each, then the ending: the history at a glance.
fn deadlines(out: &mut String, view: &HistoryView) {
    if view.versions.iter().all(|v| v.clauses.deadline.is_none()) {
        return;
    }
    let _ = writeln!(out, "    deadlines:");
    for v in &view.versions {
        let w = &v.window;
        let until = w
            .until
            .as_ref()
            .map_or(String::new(), |u| format!(" until {u}"));
        let _ = writeln!(
            out,
            "      version {}, from {}{until}: {}",
            w.number,
            w.from,
            v.clauses.deadline.as_deref().unwrap_or("none")
        );
    }
    if let Some(e) = &view.ending {
        let _ = writeln!(out, "      {}", ending_line(e));
    }
}

fn version(out: &mut String, v: &VersionHistory, of: usize) {
    let _ = writeln!(out, "\n-- {}", window(&v.window, of));
    if let Some(c) = &v.changes {
        let previous = v.window.number.saturating_sub(1);
        let _ = writeln!(out, "    what changed from version {previous}:");
        changes(out, c);
    }
    let c = &v.clauses;
    if let Some(a) = &c.applies_when {
        let _ = writeln!(out, "    applies when: {a}");
    }
    let _ = writeln!(
        out,
        "    deadline: {}",
        c.deadline.as_deref().unwrap_or("none")
    );
    if let Some(d) = &c.due_soon {
        let _ = writeln!(out, "    due soon within: {d}");
    }
    let _ = writeln!(out, "    met when: {}", c.met_when);
    if let Some(m) = &c.met_on {
        let _ = writeln!(out, "    met on: {m}");
    }
    for x in &c.exceptions {
        let _ = writeln!(out, "    exception: {}", x.written());
        for s in &x.citations {
            let _ = writeln!(out, "        source: {}", citation(s));
        }
    }
    if !v.terms.is_empty() {
        let _ = writeln!(out, "    where:");
        for t in &v.terms {
            let label = t
                .label
                .as_ref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            let _ = writeln!(out, "      {}{label} = {}", t.name, t.definition);
        }
    }
    sources(out, "    ", &v.citations);
}

fn changes(out: &mut String, c: &Changes) {
    if c.clauses.is_empty() {
        let _ = writeln!(out, "      no clause changed");
    }
    for ch in &c.clauses {
        let clause = if ch.clause == "unless" {
            "exception"
        } else {
            ch.clause
        };
        let old = ch.old.as_deref().unwrap_or_default();
        let new = ch.new.as_deref().unwrap_or_default();
        let _ = match ch.change {
            Change::Added => writeln!(out, "      {clause} added: {new}"),
            Change::Removed => writeln!(out, "      {clause} removed: {old}"),
            Change::Changed => writeln!(
                out,
                "      {clause} changed\n        was: {old}\n        now: {new}"
            ),
        };
    }
    for (what, cites) in [
        ("sources added", &c.citations_added),
        ("sources removed", &c.citations_removed),
    ] {
        if !cites.is_empty() {
            let _ = writeln!(out, "      {what}:");
            for s in cites {
                let _ = writeln!(out, "        - {}", citation(s));
            }
        }
    }
}

/// "version 2 of 3: from …, until …, published …"
fn window(w: &WindowView, of: usize) -> String {
    let until = match (&w.until, w.until_because) {
        (Some(u), Some(Until::NextVersion)) => {
            format!(" until {u} (the day before the next version)")
        }
        (Some(u), Some(Until::Ended)) => format!(" until {u} (the day before the rule ended)"),
        (Some(u), _) => format!(" until {u}"),
        (None, _) => " (no end known)".into(),
    };
    format!(
        "version {} of {of}: from {}{until}, published {}",
        w.number, w.from, w.published
    )
}

fn ending(out: &mut String, lead: &str, e: &EndingView) {
    let _ = writeln!(out, "{lead}{}", ending_line(e));
    let pad = " ".repeat(lead.len() - lead.trim_start().len());
    for c in &e.citations {
        let _ = writeln!(out, "{pad}    source: {}", citation(c));
    }
}

/// How the rule ends, in one line.
fn ending_line(e: &EndingView) -> String {
    let published = e
        .published
        .as_ref()
        .map(|p| format!(" (published {p})"))
        .unwrap_or_default();
    match e.kind {
        EndingKind::Withdrawn => format!(
            "withdrawn from {}{published}: {}",
            e.on,
            e.reason.as_deref().unwrap_or_default()
        ),
        EndingKind::Superseded => format!(
            "superseded by `{}` from {}{published}",
            e.successor.as_deref().unwrap_or_default(),
            e.on
        ),
        EndingKind::Expired => {
            format!("lapses from {}, when its last known version runs out", e.on)
        }
    }
}

fn sources(out: &mut String, pad: &str, cites: &[CitationView]) {
    if cites.is_empty() {
        return;
    }
    let _ = writeln!(out, "{pad}sources:");
    for c in cites {
        let _ = writeln!(out, "{pad}  - {}", citation(c));
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
