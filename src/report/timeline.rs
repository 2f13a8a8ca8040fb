//! The timeline report: each organisation's dated events, as a view, as text
//! and as JSON (shape: `docs/timeline-json.md`).

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::text::{citation, ruleset_lines};
use super::view::{AuthorityView, CitationView, RulesetView, authority, citations, result};
use super::words::{item_called, item_name};
use crate::eval::{Dates, Status};
use crate::facts::Facts;
use crate::model::{Each, Ruleset, Version};
use crate::timeline::{Event, EventKind};

/// The version of the timeline JSON shape (`docs/timeline-json.md`).
pub const SCHEMA_VERSION: u32 = 1;

/// A whole `timeline` run.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineView {
    pub schema_version: u32,
    pub ruleset: RulesetView,
    pub as_of: String,
    pub known_on: String,
    pub from: String,
    pub to: String,
    pub organisations: Vec<OrganisationTimeline>,
}

/// One facts file's events.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationTimeline {
    pub facts_file: String,
    pub name: Option<String>,
    pub id: Option<String>,
    pub events: Vec<EventView>,
    /// Items of rules judged for each item whose deadline is unknown (a
    /// field missing), so no date lists them; present only when some are.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undated: Vec<UndatedView>,
}

/// An item whose deadline cannot be dated yet.
#[derive(Debug, Clone, Serialize)]
pub struct UndatedView {
    pub rule: String,
    pub title: String,
    pub item: ItemRef,
    pub status: Status,
    pub status_words: &'static str,
}

/// One event, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub date: String,
    /// On or after the as-of date.
    pub coming: bool,
    /// `in_force`, `new_version`, `withdrawn`, `superseded`, `expired` or `deadline`.
    pub kind: &'static str,
    /// What happens, in words.
    pub what: String,
    pub rule: String,
    pub title: String,
    /// obligation, prohibition, recommendation or permission.
    pub rule_kind: &'static str,
    pub authority: AuthorityView,
    /// A past deadline: its status the day after; a coming one: on the as-of
    /// date; a change: on its day.
    pub status: Status,
    pub status_words: &'static str,
    /// When one of the rule's exceptions decided the status: its reason.
    pub exception: Option<String>,
    pub due_soon: bool,
    /// Under a recurring deadline: the period due.
    pub period: Option<String>,
    /// For a rule judged for each item or period: the one due (only then present).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemRef>,
    pub citations: Vec<CitationView>,
}

/// The item or period an event is about.
#[derive(Debug, Clone, Serialize)]
pub struct ItemRef {
    /// Its id, `#N` (its place in the list from 1) or the period, like `2024-05`.
    pub key: String,
    /// How reports name it: `subject access request S-2`, `period 2024-05`.
    pub name: String,
    pub label: Option<String>,
}

/// Builds the view of a timeline run.
pub fn build(
    rs: &Ruleset,
    dates: Dates,
    range: (NaiveDate, NaiveDate),
    orgs: &[(Facts, Vec<Event>)],
) -> TimelineView {
    TimelineView {
        schema_version: SCHEMA_VERSION,
        ruleset: RulesetView::of(rs),
        as_of: dates.as_of.to_string(),
        known_on: dates.known_on.to_string(),
        from: range.0.to_string(),
        to: range.1.to_string(),
        organisations: orgs
            .iter()
            .map(|(f, events)| OrganisationTimeline {
                facts_file: f.file.clone(),
                name: f.name.clone(),
                id: f.id.clone(),
                events: events.iter().map(|e| event(rs, dates, f, e)).collect(),
                undated: crate::timeline::undated(rs, f, dates)
                    .iter()
                    .map(|o| {
                        let rule = rs.rule(o.rule);
                        let n = item_name(rs, f, rule, o);
                        UndatedView {
                            rule: rule.name.clone(),
                            title: rule.title.clone(),
                            item: ItemRef {
                                key: n.key,
                                name: n.name,
                                label: n.label,
                            },
                            status: o.status,
                            status_words: super::words::status(o.status, rule.kind),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn event(rs: &Ruleset, dates: Dates, facts: &Facts, e: &Event) -> EventView {
    let rule = rs.rule(e.rule);
    // An item's deadline, or a period's under a rule judged for each period.
    let item = match (&rule.each, &e.kind) {
        (Some(Each::Item { .. }), _) if e.item.is_some() => Some(e),
        (Some(Each::Period), EventKind::Deadline { period: Some(_) }) => Some(e),
        _ => None,
    }
    .map(|e| {
        let n = item_name(rs, facts, rule, &e.result);
        ItemRef {
            key: n.key,
            name: n.name,
            label: n.label,
        }
    });
    let version = |i: usize| rule.versions.get(i);
    let judged = result(rs, dates, &e.result);
    let of_version =
        |v: Option<&Version>| v.map(|v| citations(rs, &v.citations)).unwrap_or_default();
    let (kind, what, cites) = match &e.kind {
        EventKind::InForce => {
            let v = e.result.version.and_then(version);
            (
                "in_force",
                in_force_words("comes into force", v),
                of_version(v),
            )
        }
        EventKind::NewVersion(i) => (
            "new_version",
            in_force_words("a new version comes into force", version(*i)),
            of_version(version(*i)),
        ),
        EventKind::Withdrawn(reason) => (
            "withdrawn",
            format!("withdrawn: {reason}"),
            ending_citations(rs, e),
        ),
        EventKind::Superseded(by) => (
            "superseded",
            format!("superseded by `{}`", rs.rule(*by).name),
            ending_citations(rs, e),
        ),
        EventKind::Expired => (
            "expired",
            "its last version runs out".to_string(),
            Vec::new(),
        ),
        EventKind::Deadline { .. } => {
            let what = match (&item, &judged.period) {
                (Some(i), _) => format!("{} due", item_called(&i.name, i.label.as_deref())),
                (None, Some(p)) => format!("deadline for the period {p}"),
                (None, None) => "deadline".to_string(),
            };
            ("deadline", what, judged.citations.clone())
        }
    };
    EventView {
        date: e.date.to_string(),
        coming: e.coming,
        kind,
        what,
        rule: rule.name.clone(),
        title: rule.title.clone(),
        rule_kind: rule.kind.keyword(),
        authority: authority(rs, rule.authority),
        status: judged.status,
        status_words: judged.status_words,
        exception: judged.exception.clone(),
        due_soon: judged.due_soon,
        period: judged.period,
        item,
        citations: cites,
    }
}

fn in_force_words(what: &str, v: Option<&Version>) -> String {
    match v {
        Some(v) => format!("{what} (published {})", v.published),
        None => what.to_string(),
    }
}

fn ending_citations(rs: &Ruleset, e: &Event) -> Vec<CitationView> {
    rs.rule(e.rule)
        .ending
        .as_ref()
        .map(|end| citations(rs, &end.citations))
        .unwrap_or_default()
}

/// Renders the timeline for people.
pub fn text(view: &TimelineView) -> String {
    let mut out = ruleset_lines(&view.ruleset);
    let _ = writeln!(
        out,
        "events from {} to {}; statuses as of {}, by the rules known on {}",
        view.from, view.to, view.as_of, view.known_on
    );
    for org in &view.organisations {
        let name = match (&org.name, &org.id) {
            (Some(n), Some(i)) => format!("{n} ({i})"),
            (Some(n), None) => n.clone(),
            _ => org.facts_file.clone(),
        };
        let _ = writeln!(out, "\n== {name}\nfacts: {}", org.facts_file);
        if org.events.is_empty() {
            let _ = writeln!(out, "no events concern this organisation in the period");
        }
        let mut marked = false;
        for e in &org.events {
            if e.coming && !marked {
                let _ = writeln!(out, "\n-- {} (as of): coming --", view.as_of);
                marked = true;
            }
            let soon = if e.due_soon { ", due soon" } else { "" };
            let _ = writeln!(
                out,
                "\n{}  {}: {} [{}{soon}]",
                e.date,
                e.rule,
                e.what,
                e.status_words.to_uppercase()
            );
            let _ = writeln!(out, "    {}", e.title);
            // An item's deadline: the rule's authority and sources are
            // those of its other items, shown once with `check`.
            if e.item.is_some() && e.period.is_none() {
                continue;
            }
            let _ = writeln!(
                out,
                "    {} by {} ({})",
                e.rule_kind, e.authority.name, e.authority.binding_force
            );
            for c in &e.citations {
                let _ = writeln!(out, "    source: {}", citation(c));
            }
        }
        if !marked {
            let _ = writeln!(
                out,
                "\n-- {} (as of): nothing coming before {} --",
                view.as_of, view.to
            );
        }
        if !org.undated.is_empty() {
            let _ = writeln!(
                out,
                "\n-- deadlines not known yet (`obligo missing` asks what decides them) --"
            );
            for u in &org.undated {
                let _ = writeln!(
                    out,
                    "\n{}: {} [{}]\n    {}",
                    u.rule,
                    item_called(&u.item.name, u.item.label.as_deref()),
                    u.status_words.to_uppercase(),
                    u.title
                );
            }
        }
    }
    out
}

/// Renders the timeline as pretty JSON.
pub fn json(view: &TimelineView) -> String {
    serde_json::to_string_pretty(view).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}
