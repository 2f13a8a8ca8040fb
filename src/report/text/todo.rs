//! The to-do list at the top of an organisation's text report: binding
//! duties overdue, the next deadlines, the questions that decide the most
//! rules; then the counts of each binding force in each kind's words.

use std::fmt::Write as _;

use super::group_title;
use crate::model::Wording;
use crate::report::todo::{Next, Overdue, Todo, missing_command};
use crate::report::view::OrganisationView;

/// How many overdue items of one rule the to-do list names.
const ITEMS_NAMED: usize = 3;

/// "What to do now": overdue duties, next deadlines, top questions.
pub fn what_to_do(out: &mut String, todo: &Todo<'_>, org: &OrganisationView) {
    let _ = writeln!(out, "\nWhat to do now");
    if todo.overdue.is_empty() {
        let _ = writeln!(out, "  overdue binding duties: none");
    } else {
        let _ = writeln!(out, "  overdue binding duties ({}):", todo.overdue.len());
        for o in &todo.overdue {
            overdue(out, o);
        }
    }
    if !todo.other_overdue.is_empty() {
        let rules: Vec<String> = todo
            .other_overdue
            .iter()
            .map(|r| format!("{} [{}]", r.rule, r.authority.binding_force))
            .collect();
        let _ = writeln!(
            out,
            "  also overdue, not binding (see below): {}",
            rules.join(", ")
        );
    }
    match todo.next.as_slice() {
        [] => {
            let _ = writeln!(out, "  next deadline: none ahead");
        }
        [one] => {
            let _ = writeln!(out, "  next deadline:");
            next(out, one);
        }
        many => {
            let _ = writeln!(out, "  next deadlines:");
            for n in many {
                next(out, n);
            }
        }
    }
    if !todo.undated.is_empty() {
        let rules: Vec<&str> = todo.undated.iter().map(|r| r.rule.as_str()).collect();
        let _ = writeln!(out, "  pending, no date set yet: {}", rules.join(", "));
    }
    questions(out, todo, org);
}

/// One overdue duty: since when and how long, what it asks, which items, its source.
fn overdue(out: &mut String, o: &Overdue<'_>) {
    let r = o.result;
    let _ = writeln!(out, "    - {}: {}", r.rule, o.since_words());
    let _ = writeln!(out, "      {}", r.title);
    if let Some(each) = r.each.as_ref().filter(|e| !e.items.is_empty()) {
        let late: Vec<String> = each
            .in_report_order()
            .into_iter()
            .filter(|i| i.status == r.status)
            .map(|i| i.title())
            .collect();
        let more = late.len().saturating_sub(ITEMS_NAMED);
        let mut named = late
            .iter()
            .take(ITEMS_NAMED)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if more > 0 {
            let _ = write!(named, " and {more} more");
        }
        let _ = writeln!(out, "      {}: {named}", r.status_words);
    }
    if let Some(c) = o.source {
        let pin = c
            .pinpoint
            .as_ref()
            .map(|p| format!(", {p}"))
            .unwrap_or_default();
        let _ = writeln!(out, "      source: {}{pin}", c.title);
    }
}

/// One pending deadline: date, how far, rule and what it asks.
fn next(out: &mut String, n: &Next<'_>) {
    let r = n.result;
    let force = if r.authority.binding_force == "binding" {
        String::new()
    } else {
        format!(" [{}]", r.authority.binding_force)
    };
    let _ = writeln!(
        out,
        "    - {} ({}): {}{force}",
        n.deadline,
        n.when_words(),
        n.what()
    );
    let _ = writeln!(out, "      {}", r.title);
}

/// The questions that would decide the most undecided rules.
fn questions(out: &mut String, todo: &Todo<'_>, org: &OrganisationView) {
    if todo.questions.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "  questions that would decide the most ({} of {}; `{}` lists all):",
        todo.questions.len(),
        todo.questions_total,
        missing_command(org)
    );
    for (i, q) in todo.questions.iter().enumerate() {
        let n = q.rules.len();
        let rules = if n == 1 { "rule" } else { "rules" };
        let _ = writeln!(
            out,
            "    {}. {} ({}; needed by {n} {rules})",
            i + 1,
            q.question,
            q.fact
        );
    }
}

/// The counts of each binding force, in each kind's words.
pub fn counts(out: &mut String, todo: &Todo<'_>, wording: &Wording) {
    let _ = writeln!(out, "\nrules by binding force:");
    for f in &todo.counts {
        let _ = writeln!(out, "  {} — {}", group_title(wording, f.force), f.words());
    }
}
