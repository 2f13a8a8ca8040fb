//! The plain-text report, for a terminal or a printout: each
//! organisation's verdict and what to do now first, then its rules by
//! urgency within each binding force, ended and not-yet-in-force rules
//! folded to one line each at the end of their group.

mod items;
mod result;
mod todo;

use std::fmt::Write as _;

pub use items::{ITEMS_SHOWN, item_dates, item_line, item_why, items};
pub use result::{
    Detail, deciding, defined_as, definitions, one_line_why, result, result_indented, result_shown,
};

use super::todo::{ForceGroup, Todo, fold_note, force_groups};
use super::view::{AuthorityView, CitationView, OrganisationView, ReportView, RulesetView};
use super::words;
use crate::model::{BindingForce, Wording};

/// Renders the report as text, short (as `obligo check` prints it).
pub fn render(report: &ReportView) -> String {
    render_with(report, Detail::Short)
}

/// Renders the report as text, with as much of each rule as `detail` says.
pub fn render_with(report: &ReportView, detail: Detail) -> String {
    let mut out = ruleset_lines(&report.ruleset);
    let _ = writeln!(out, "{}", judged_line(report));
    for org in &report.organisations {
        out.push('\n');
        organisation(&mut out, org, &report.ruleset.wording, detail);
    }
    out
}

/// The dates judged and the obligo that judged them.
pub fn judged_line(report: &ReportView) -> String {
    format!(
        "judged as of {}, by the rules known on {}, by obligo {}",
        report.as_of, report.known_on, report.obligo_version
    )
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

fn organisation(out: &mut String, org: &OrganisationView, wording: &Wording, detail: Detail) {
    let _ = writeln!(out, "== {}", org.who());
    let recorded = org
        .recorded
        .as_ref()
        .map(|r| format!(", recorded {r}"))
        .unwrap_or_default();
    let _ = writeln!(out, "facts: {}{recorded}", org.facts_file);
    if let Some(sha) = &org.facts_sha256 {
        let _ = writeln!(out, "facts sha256 {sha}");
    }
    let _ = writeln!(
        out,
        "verdict: {} (counting binding duties only)",
        words::verdict(org.verdict)
    );
    for n in &org.notes {
        let _ = writeln!(out, "note: {n}");
    }
    let todo = Todo::of(org);
    todo::what_to_do(out, &todo, org);
    todo::counts(out, &todo, wording);
    for g in force_groups(&org.results) {
        let _ = writeln!(out, "\n-- {} --", group_title(wording, g.force));
        rules_by_urgency(out, &g, detail);
    }
    if detail == Detail::Full {
        definitions(out, &org.definitions);
    }
}

/// A group's rules, most urgent first; ended and not-yet-in-force ones
/// folded to one line each at the end.
fn rules_by_urgency(out: &mut String, group: &ForceGroup<'_>, detail: Detail) {
    for r in &group.open {
        result::checked(out, r, detail);
    }
    if !group.shut.is_empty() {
        out.push('\n');
    }
    for r in &group.shut {
        let _ = writeln!(
            out,
            "[{}] {} — {}",
            r.status_words.to_uppercase(),
            r.rule,
            fold_note(r)
        );
    }
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
        let mut group = items
            .iter()
            .filter(|r| force_of(r) == force.keyword())
            .peekable();
        if group.peek().is_none() {
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

/// A source as the text report cites it: id, title, issuer, date, pinpoint and address.
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
