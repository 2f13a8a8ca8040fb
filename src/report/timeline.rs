//! The timeline report: each organisation's dated events, as a view, as text
//! and as JSON (shape: `docs/timeline-json.md`).

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::text::{citation, ruleset_lines};
use super::view::{AuthorityView, CitationView, RulesetView, authority, citations, result};
use super::words::{item_called, item_name, moment};
use crate::eval::{Dates, Deadline, Outcome, Status};
use crate::facts::Facts;
use crate::model::{Each, RuleKind, Ruleset, Version};
use crate::timeline::{Event, EventKind, Overdue};

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
    /// The duties (obligations and prohibitions) overdue or breached on the
    /// as-of date, each item of a rule judged for each on its own, in rule order.
    pub overdue: Vec<OverdueView>,
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

/// A duty overdue on the as-of date.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueView {
    pub rule: String,
    pub title: String,
    /// obligation or prohibition.
    pub rule_kind: &'static str,
    pub authority: AuthorityView,
    pub status: Status,
    /// "overdue", or "breached" for a prohibition.
    pub status_words: &'static str,
    /// The deadline missed (with its time, if it has one); `None` for a
    /// rule with no deadline date, due since it came into force.
    pub deadline: Option<String>,
    /// The deadline's day, or for a rule with no deadline date, the first
    /// day of its current run in force.
    pub since: String,
    /// Days from `since` to the as-of date.
    pub days: i64,
    /// When one of the rule's exceptions decided the status: its reason.
    pub exception: Option<String>,
    /// Under a recurring deadline: the period missed.
    pub period: Option<String>,
    /// For a rule judged for each item or period: the one overdue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemRef>,
    pub citations: Vec<CitationView>,
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
    /// A deadline's time of day, `HH:MM` (local, as the rules and facts
    /// give it); only present for a deadline that has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// A past deadline still pending the day after it had moved: its new
    /// day, when it has one (only then present).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
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
                overdue: crate::timeline::overdue(rs, f, dates)
                    .iter()
                    .filter(|o| is_duty(rs.rule(o.result.rule).kind))
                    .map(|o| overdue(rs, dates, f, o))
                    .collect(),
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

/// An obligation or a prohibition: a rule that can be overdue or breached.
fn is_duty(kind: RuleKind) -> bool {
    matches!(kind, RuleKind::Obligation | RuleKind::Prohibition)
}

/// How an item or a period is named, for the outcome of one.
fn item_ref(rs: &Ruleset, facts: &Facts, o: &Outcome) -> ItemRef {
    let n = item_name(rs, facts, rs.rule(o.rule), o);
    ItemRef {
        key: n.key,
        name: n.name,
        label: n.label,
    }
}

fn overdue(rs: &Ruleset, dates: Dates, facts: &Facts, o: &Overdue) -> OverdueView {
    let rule = rs.rule(o.result.rule);
    let judged = result(rs, dates, &o.result);
    // An item of a rule judged for each item, or one period of a rule
    // judged for each period (its items are its periods).
    let item =
        (rule.each.is_some() && o.result.item.is_some()).then(|| item_ref(rs, facts, &o.result));
    OverdueView {
        rule: rule.name.clone(),
        title: rule.title.clone(),
        rule_kind: rule.kind.keyword(),
        authority: authority(rs, rule.authority),
        status: judged.status,
        status_words: judged.status_words,
        deadline: match o.result.deadline {
            Deadline::On(m) => Some(moment(m)),
            _ => None,
        },
        since: o.since.to_string(),
        days: (dates.as_of - o.since).num_days(),
        exception: judged.exception,
        period: judged.period,
        item,
        citations: judged.citations,
    }
}

fn event(rs: &Ruleset, dates: Dates, facts: &Facts, e: &Event) -> EventView {
    let rule = rs.rule(e.rule);
    // An item's deadline, or a period's under a rule judged for each period.
    let item = match (&rule.each, &e.kind) {
        (Some(Each::Item { .. }), _) if e.item.is_some() => true,
        (
            Some(Each::Period),
            EventKind::Deadline {
                period: Some(_), ..
            },
        ) => true,
        _ => false,
    }
    .then(|| item_ref(rs, facts, &e.result));
    // A past deadline still pending the day after it: it had moved.
    let moved_to = match e.kind {
        EventKind::Deadline { .. } if !e.coming && e.result.status == Status::Pending => {
            e.result.deadline.day().map(|d| d.to_string())
        }
        _ => None,
    };
    let time = match e.kind {
        EventKind::Deadline { at: Some(t), .. } => Some(t.format("%H:%M").to_string()),
        _ => None,
    };
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
        time,
        moved_to,
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

/// Renders the timeline for people. Each line's tag is the rule's status
/// as of the line's date (see [`crate::timeline`]); the overdue duties and
/// the coming events follow the as-of mark.
pub fn text(view: &TimelineView) -> String {
    let mut out = ruleset_lines(&view.ruleset);
    let _ = writeln!(
        out,
        "events from {} to {}, by the rules known on {}\n\
         each [TAG]: the rule's status on the line's date, by the facts as they stand;\n\
         for a past deadline, the day after it; for a coming one, on {} (as of)",
        view.from, view.to, view.known_on, view.as_of
    );
    for org in &view.organisations {
        let name = match (&org.name, &org.id) {
            (Some(n), Some(i)) => format!("{n} ({i})"),
            (Some(n), None) => n.clone(),
            _ => org.facts_file.clone(),
        };
        let _ = writeln!(out, "\n== {name}\nfacts: {}", org.facts_file);
        if org.events.is_empty() {
            let _ = writeln!(
                out,
                "no events concern this {} in the period",
                super::wording::organisation(&view.ruleset.wording)
            );
        }
        let mut marked = false;
        for e in &org.events {
            if e.coming && !marked {
                as_of_mark(&mut out, view, org, true);
                marked = true;
            }
            event_lines(&mut out, e);
        }
        if !marked {
            as_of_mark(&mut out, view, org, false);
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

/// The as-of mark: the duties overdue on the as-of date, then whether
/// anything is coming.
fn as_of_mark(out: &mut String, view: &TimelineView, org: &OrganisationTimeline, coming: bool) {
    if !org.overdue.is_empty() {
        let _ = writeln!(out, "\n-- {} (as of): overdue --", view.as_of);
        for o in &org.overdue {
            let _ = writeln!(out, "\n{}", overdue_line(o));
            let _ = writeln!(out, "    {}", o.title);
        }
    }
    if coming {
        let _ = writeln!(out, "\n-- {} (as of): coming --", view.as_of);
    } else {
        let _ = writeln!(
            out,
            "\n-- {} (as of): nothing coming before {} --",
            view.as_of, view.to
        );
    }
}

/// `RULE: due DATE (N days ago) [OVERDUE]`, naming the item or period; a
/// rule with no deadline date, due since its first day in force; a
/// prohibition, breached since the day.
pub(crate) fn overdue_line(o: &OverdueView) -> String {
    let what = match (&o.item, &o.period) {
        (Some(i), _) => format!(" {}", item_called(&i.name, i.label.as_deref())),
        (None, Some(p)) => format!(" period {p}"),
        (None, None) => String::new(),
    };
    let days = if o.days == 1 { "day" } else { "days" };
    let when = match &o.deadline {
        _ if o.rule_kind != "obligation" => {
            format!("{} since {} ({} {days})", o.status_words, o.since, o.days)
        }
        Some(d) => format!("due {d} ({} {days} ago)", o.days),
        None => format!(
            "due since {}, its first day in force, no deadline date ({} {days})",
            o.since, o.days
        ),
    };
    format!(
        "{}:{what} {when} [{}]",
        o.rule,
        o.status_words.to_uppercase()
    )
}

/// One event: its line with its tag, its title, and (unless an item's)
/// its authority and sources.
fn event_lines(out: &mut String, e: &EventView) {
    let time = e
        .time
        .as_ref()
        .map(|t| format!(" at {t}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n{}  {}: {}{time} [{}]",
        e.date,
        e.rule,
        e.what,
        tag(e)
    );
    let _ = writeln!(out, "    {}", e.title);
    // An item's deadline: the rule's authority and sources are those of
    // its other items, shown once with `check`.
    if e.item.is_some() && e.period.is_none() {
        return;
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

/// A line's tag: its status on the line's date; a past deadline that had
/// moved by the day after says so instead of "pending".
fn tag(e: &EventView) -> String {
    if e.kind == "deadline" && !e.coming && e.status == Status::Pending {
        return match &e.moved_to {
            Some(d) => format!("MOVED TO {d}"),
            None => "MOVED, NOT YET SET".to_string(),
        };
    }
    let soon = if e.due_soon { ", due soon" } else { "" };
    format!("{}{soon}", e.status_words.to_uppercase())
}

/// Renders the timeline as pretty JSON.
pub fn json(view: &TimelineView) -> String {
    serde_json::to_string_pretty(view).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}")) + "\n"
}
