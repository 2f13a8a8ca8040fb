//! The diff as plain text: the sides, then a summary per rule, then each
//! organisation's changes with both results in full. Rules that only
//! became known and ask nothing yet are folded to a count.

use std::fmt::Write as _;

use super::{Change, ChangeKind, DiffView, OrganisationDiff, RuleSummary, SideView, changed};
use crate::eval::Status;
use crate::report::text::result_indented;
use crate::report::view::ResultView;
use crate::report::words::item_called;

/// Renders the diff as text; with `summary_only`, the summary alone.
pub fn render(view: &DiffView, summary_only: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "obligo diff: the statuses and deadlines that change");
    side(&mut out, "before", &view.before);
    side(&mut out, "after", &view.after);
    let changed_orgs: Vec<&OrganisationDiff> = view
        .organisations
        .iter()
        .filter(|o| o.changes.iter().any(|c| c.material))
        .collect();
    let _ = writeln!(
        out,
        "{} compared, {} with changes that matter",
        count(view.organisations.len(), "organisation"),
        changed_orgs.len()
    );
    if !changed(view) {
        let _ = writeln!(out, "\nno status or deadline changed");
        return out;
    }
    let (material, folded): (Vec<&RuleSummary>, Vec<&RuleSummary>) =
        view.summary.iter().partition(|s| s.material);
    if material.is_empty() {
        let _ = writeln!(out, "\nno status or deadline that matters changed");
    } else {
        let _ = writeln!(out, "\n== Summary: changes per rule");
        for s in &material {
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
    }
    if !folded.is_empty() {
        let _ = writeln!(out, "\n{}", became_known(&folded));
    }
    if summary_only {
        if !changed_orgs.is_empty() {
            let _ = writeln!(
                out,
                "\n(without --summary: each organisation's changes, both results in full)"
            );
        }
        return out;
    }
    if !changed_orgs.is_empty() {
        let _ = writeln!(out, "\n== Changes by organisation");
    }
    for org in changed_orgs {
        out.push('\n');
        organisation(&mut out, org);
    }
    out
}

/// The one line for the rules that only became known and ask nothing
/// yet: how many, their statuses after, and for how many organisations.
fn became_known(folded: &[&RuleSummary]) -> String {
    let statuses: std::collections::BTreeSet<Option<Status>> = folded
        .iter()
        .flat_map(|s| &s.transitions)
        .map(|t| t.after)
        .collect();
    let after: Vec<&str> = statuses
        .into_iter()
        .map(|s| s.map_or("absent", Status::code))
        .collect();
    let organisations = folded.iter().map(|s| s.organisations).max().unwrap_or(0);
    let verb = if folded.len() == 1 { "asks" } else { "ask" };
    format!(
        "{} only became known and {verb} nothing yet:\n  absent -> {} for {} (`--format json` lists them)",
        count(folded.len(), "rule"),
        after.join(" or "),
        count(organisations, "organisation")
    )
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
    for c in org.changes.iter().filter(|c| c.material) {
        change(out, c);
    }
    let folded = org.changes.iter().filter(|c| !c.material).count();
    if folded > 0 {
        let _ = writeln!(
            out,
            "\n  and {} that only became known and {} nothing yet",
            count(folded, "rule"),
            if folded == 1 { "asks" } else { "ask" }
        );
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
