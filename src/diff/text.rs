//! The diff as plain text: each change with both results in full, then a
//! summary per rule.

use std::fmt::Write as _;

use super::{Change, ChangeKind, DiffView, OrganisationDiff, SideView, changed};
use crate::eval::Status;
use crate::report::text::result_indented;
use crate::report::view::ResultView;
use crate::report::words::item_called;

/// Renders the diff as text.
pub fn render(view: &DiffView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "obligo diff: the statuses and deadlines that change");
    side(&mut out, "before", &view.before);
    side(&mut out, "after", &view.after);
    let changed_orgs: Vec<&OrganisationDiff> = view
        .organisations
        .iter()
        .filter(|o| !o.changes.is_empty())
        .collect();
    let _ = writeln!(
        out,
        "{} compared, {} with changes",
        count(view.organisations.len(), "organisation"),
        changed_orgs.len()
    );
    if !changed(view) {
        let _ = writeln!(out, "\nno status or deadline changed");
        return out;
    }
    for org in changed_orgs {
        out.push('\n');
        organisation(&mut out, org);
    }
    let _ = writeln!(out, "\n== Summary: changes per rule");
    for s in &view.summary {
        let _ = writeln!(
            out,
            "\n{}: {}",
            s.rule,
            count(s.organisations, "organisation")
        );
        let _ = writeln!(out, "  {}", s.title);
        for t in &s.transitions {
            let _ = writeln!(
                out,
                "  {}: {}",
                transition(t.change, t.before, t.after),
                t.count
            );
        }
    }
    out
}

fn side(out: &mut String, label: &str, s: &SideView) {
    let _ = writeln!(
        out,
        "{label}: ruleset {} version {}, as of {}, known on {}",
        s.ruleset, s.version, s.as_of, s.known_on
    );
    let _ = writeln!(out, "  sha256 {}", s.sha256);
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn organisation(out: &mut String, org: &OrganisationDiff) {
    let name = org.name.as_deref().unwrap_or("unnamed organisation");
    let id = org
        .id
        .as_ref()
        .map(|i| format!(" ({i})"))
        .unwrap_or_default();
    let _ = writeln!(out, "== {name}{id}");
    let _ = writeln!(out, "facts: {}", org.facts_file);
    for c in &org.changes {
        change(out, c);
    }
}

fn change(out: &mut String, c: &Change) {
    let status = |r: &Option<ResultView>| r.as_ref().map(|r| r.status);
    let _ = writeln!(
        out,
        "\n* {}: {}",
        c.rule,
        transition(c.change, status(&c.before), status(&c.after))
    );
    let _ = writeln!(out, "  {}", c.title);
    let deadline = |r: &Option<ResultView>| {
        r.as_ref()
            .and_then(|r| r.deadline.clone())
            .unwrap_or_else(|| "none".into())
    };
    let (before, after) = (deadline(&c.before), deadline(&c.after));
    if before != after {
        let _ = writeln!(out, "  deadline: {before} -> {after}");
    }
    items(out, c);
    shown(out, "before", c.before.as_ref());
    shown(out, "after", c.after.as_ref());
}

/// At most this many changed items of one rule are listed; JSON has them all.
const ITEMS_SHOWN: usize = 20;

/// The items of a rule judged for each that changed: `answer-sar S-2:
/// pending -> overdue`, with the deadlines when they moved.
fn items(out: &mut String, c: &Change) {
    if c.items.is_empty() {
        return;
    }
    let n = c.items.len();
    let _ = writeln!(
        out,
        "  {} changed:",
        if n == 1 {
            "1 item".to_string()
        } else {
            format!("{n} items")
        }
    );
    for i in c.items.iter().take(ITEMS_SHOWN) {
        let moved = match (&i.deadline_before, &i.deadline_after) {
            (b, a) if b != a => format!(
                ", deadline {} -> {}",
                b.as_deref().unwrap_or("not set"),
                a.as_deref().unwrap_or("not set")
            ),
            _ => String::new(),
        };
        let code = |s: Option<Status>| s.map_or("absent", Status::code);
        let _ = writeln!(
            out,
            "    {} {}: {} -> {}{moved}",
            c.rule,
            item_called(&i.key, i.label.as_deref()),
            code(i.before),
            code(i.after)
        );
    }
    if n > ITEMS_SHOWN {
        let _ = writeln!(
            out,
            "    and {} more (all of them in `--format json`)",
            n - ITEMS_SHOWN
        );
    }
}

/// One side's result in full, as the text report shows it, indented.
fn shown(out: &mut String, label: &str, r: Option<&ResultView>) {
    let Some(r) = r else {
        let _ = writeln!(out, "  {label}: the rule does not exist");
        return;
    };
    let _ = write!(out, "  {label}:");
    result_indented(out, r, "    ");
}

/// `pending -> ended`; `absent` stands for a rule that does not exist.
fn transition(change: ChangeKind, before: Option<Status>, after: Option<Status>) -> String {
    let code = |s: Option<Status>| s.map_or("absent", Status::code);
    let moved = match change {
        ChangeKind::Deadline => ", deadline changed",
        ChangeKind::Items => ", items changed",
        _ => "",
    };
    format!("{} -> {}{moved}", code(before), code(after))
}
