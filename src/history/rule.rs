//! One rule's full history, by the rules known on a date: each version with
//! its window, its clauses as written and what changed, then its ending and
//! the other authorities' positions.

use chrono::NaiveDate;
use serde::Serialize;

use super::clauses::{Changes, Clauses, Term, changes, clauses, terms};
use super::{EndingView, Known, SCHEMA_VERSION, WindowView};
use crate::model::{RuleId, Ruleset};
use crate::report::view::{AuthorityView, CitationView, RulesetView, authority, citations};

/// `obligo rules RULE`: one rule's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    pub schema_version: u32,
    pub ruleset: RulesetView,
    pub known_on: String,
    pub rule: String,
    pub title: String,
    pub kind: &'static str,
    pub authority: AuthorityView,
    /// The versions known, in order of `from`.
    pub versions: Vec<VersionHistory>,
    /// The known ending, or the day the last known version runs out.
    pub ending: Option<EndingView>,
    /// Other authorities' views known, earliest first.
    pub positions: Vec<PositionKnown>,
    /// What the ruleset holds about this rule that was published after the known-on date.
    pub not_yet_published: NotYetPublished,
}

/// One version: its window, what it says, what changed, its sources.
#[derive(Debug, Clone, Serialize)]
pub struct VersionHistory {
    pub window: WindowView,
    pub clauses: Clauses,
    /// The definitions its clauses name.
    pub terms: Vec<Term>,
    /// What changed from the version before; `null` for the first.
    pub changes: Option<Changes>,
    pub citations: Vec<CitationView>,
}

/// Another authority's view, and when it became known.
#[derive(Debug, Clone, Serialize)]
pub struct PositionKnown {
    pub authority: AuthorityView,
    pub stance: String,
    /// The earliest publication date of its sources.
    pub known_from: String,
    pub citations: Vec<CitationView>,
}

/// Counts of what is left out because it was published after the known-on date.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct NotYetPublished {
    pub versions: usize,
    pub ending: bool,
    pub positions: usize,
}

/// The history of rule `id` as known on `known_on`.
pub fn history(rs: &Ruleset, id: RuleId, known_on: NaiveDate) -> HistoryView {
    let rule = rs.rule(id);
    let known = Known::new(rule, known_on);
    let said: Vec<(Clauses, Vec<CitationView>)> = known
        .windows
        .iter()
        .map(|(_, v, _)| (clauses(rs, v), citations(rs, &v.citations)))
        .collect();
    let versions = known
        .windows
        .iter()
        .zip(&said)
        .enumerate()
        .filter_map(|(pos, ((_, v, _), (now, cites)))| {
            let before = pos.checked_sub(1).and_then(|p| said.get(p));
            Some(VersionHistory {
                window: known.window(pos)?,
                clauses: now.clone(),
                terms: terms(rs, v),
                changes: before.map(|(was, was_cites)| changes(was, was_cites, now, cites)),
                citations: cites.clone(),
            })
        })
        .collect();
    let mut positions: Vec<PositionKnown> = rule
        .positions
        .iter()
        .filter(|p| p.known_from <= known_on)
        .map(|p| PositionKnown {
            authority: authority(rs, p.authority),
            stance: p.stance.clone(),
            known_from: p.known_from.to_string(),
            citations: citations(rs, &p.citations),
        })
        .collect();
    positions.sort_by(|a, b| a.known_from.cmp(&b.known_from));
    HistoryView {
        schema_version: SCHEMA_VERSION,
        ruleset: RulesetView::of(rs),
        known_on: known_on.to_string(),
        rule: rule.name.clone(),
        title: rule.title.clone(),
        kind: rule.kind.keyword(),
        authority: authority(rs, rule.authority),
        ending: known.ending(rs),
        not_yet_published: NotYetPublished {
            versions: rule.versions.len().saturating_sub(known.windows.len()),
            ending: rule.ending.is_some() && known.ending.is_none(),
            positions: rule.positions.len().saturating_sub(positions.len()),
        },
        versions,
        positions,
    }
}
