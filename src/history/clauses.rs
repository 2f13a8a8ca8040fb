//! A version's clauses in the words of its rule file, and what changed
//! between two versions, clause by clause.

use serde::Serialize;

use crate::model::{DefId, ExceptionStatus, Ruleset, Version};
use crate::report::view::{CitationView, citations};
use crate::source::Span;
use crate::value::format_duration;

/// A version's clauses as written (comments dropped, white space collapsed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clauses {
    pub applies_when: Option<String>,
    /// Any deadline form, one-off or recurring, printed from its text.
    pub deadline: Option<String>,
    /// The version's own "due soon" window (`14 days`); `null`: the ruleset's default.
    pub due_soon: Option<String>,
    pub met_when: String,
    pub met_on: Option<String>,
    pub exceptions: Vec<ExceptionText>,
}

/// `unless CONDITION -> STATUS "reason" cites …`, as written.
#[derive(Debug, Clone, Serialize)]
pub struct ExceptionText {
    pub condition: String,
    /// `met`, `not_applicable` or `overdue`.
    pub status: &'static str,
    pub reason: String,
    pub citations: Vec<CitationView>,
}

impl PartialEq for ExceptionText {
    fn eq(&self, other: &Self) -> bool {
        self.written() == other.written()
    }
}

impl Eq for ExceptionText {}

impl ExceptionText {
    /// The exception on one line, as in the rule file (without its sources).
    pub fn written(&self) -> String {
        format!(
            "unless {} -> {} \"{}\"",
            self.condition, self.status, self.reason
        )
    }
}

/// A definition a version's clauses use, with its label and what it says.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub name: String,
    pub label: Option<String>,
    pub definition: String,
}

/// One clause added, removed or changed from the version before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseChange {
    /// `applies when`, `deadline`, `due soon`, `met when`, `met on` or `unless`.
    pub clause: &'static str,
    pub change: Change,
    /// The text before (`null` when added).
    pub old: Option<String>,
    /// The text after (`null` when removed).
    pub new: Option<String>,
}

/// What happened to a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

/// What changed from one version to the next.
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    pub clauses: Vec<ClauseChange>,
    pub citations_added: Vec<CitationView>,
    pub citations_removed: Vec<CitationView>,
}

/// The text of a span as a reader should see it: comments dropped, white
/// space collapsed to single spaces.
pub fn written(rs: &Ruleset, span: Span) -> String {
    rs.texts
        .slice(span)
        .lines()
        .map(without_comment)
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A line up to its `#` comment, if any (a `#` inside a quoted text is kept).
fn without_comment(line: &str) -> &str {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if quoted && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => quoted = !quoted,
            '#' if !quoted => return line.get(..i).unwrap_or(line),
            _ => {}
        }
        escaped = false;
    }
    line
}

/// A version's clauses, as written.
pub fn clauses(rs: &Ruleset, v: &Version) -> Clauses {
    let text = |span: Span| written(rs, span);
    Clauses {
        applies_when: v.applies_when.as_ref().map(|e| text(e.span)),
        deadline: deadline_span(v).map(text),
        due_soon: v.due_soon.map(|l| format_duration(l.n, l.unit)),
        met_when: text(v.met_when.span),
        met_on: v.met_on.as_ref().map(|e| text(e.span)),
        exceptions: v
            .exceptions
            .iter()
            .map(|x| ExceptionText {
                condition: text(x.condition.span),
                status: match x.status {
                    ExceptionStatus::Met => "met",
                    ExceptionStatus::NotApplicable => "not_applicable",
                    ExceptionStatus::Overdue => "overdue",
                },
                reason: x.reason.clone(),
                citations: citations(rs, &x.citations),
            })
            .collect(),
    }
}

/// Where the deadline clause is written, whatever its form (after `deadline`).
fn deadline_span(v: &Version) -> Option<Span> {
    v.deadline
        .as_ref()
        .map(|e| e.span)
        .or(v.every.as_ref().map(|r| r.span))
}

/// The definitions a version's clauses name, in the order first named.
pub fn terms(rs: &Ruleset, v: &Version) -> Vec<Term> {
    let mut used: Vec<DefId> = Vec::new();
    let exprs = (v.applies_when.iter())
        .chain(&v.deadline)
        .chain(v.every.as_ref().map(|r| &r.from))
        .chain([&v.met_when])
        .chain(&v.met_on)
        .chain(v.exceptions.iter().map(|x| &x.condition));
    for e in exprs {
        e.for_each_def(&mut |d| {
            if !used.contains(&d) {
                used.push(d);
            }
        });
    }
    used.into_iter()
        .map(|d| {
            let def = rs.definition(d);
            Term {
                name: def.name.clone(),
                label: def.label.clone(),
                definition: written(rs, def.value.span),
            }
        })
        .collect()
}

/// What changed between two versions: each clause, each exception (matched
/// by its reason when its condition or status changed), and the sources.
pub fn changes(
    old: &Clauses,
    old_cites: &[CitationView],
    new: &Clauses,
    new_cites: &[CitationView],
) -> Changes {
    let single = [
        ("applies when", &old.applies_when, &new.applies_when),
        ("deadline", &old.deadline, &new.deadline),
        ("due soon", &old.due_soon, &new.due_soon),
        (
            "met when",
            &Some(old.met_when.clone()),
            &Some(new.met_when.clone()),
        ),
        ("met on", &old.met_on, &new.met_on),
    ];
    let mut clauses: Vec<ClauseChange> = single
        .into_iter()
        .filter_map(|(clause, a, b)| compare(clause, a.clone(), b.clone()))
        .collect();
    let mut added: Vec<&ExceptionText> = new
        .exceptions
        .iter()
        .filter(|x| !old.exceptions.contains(x))
        .collect();
    for gone in old
        .exceptions
        .iter()
        .filter(|x| !new.exceptions.contains(x))
    {
        let same_reason = added.iter().position(|x| x.reason == gone.reason);
        let now = same_reason.map(|i| added.remove(i).written());
        clauses.extend(compare("unless", Some(gone.written()), now));
    }
    clauses.extend(
        added
            .into_iter()
            .filter_map(|x| compare("unless", None, Some(x.written()))),
    );
    Changes {
        clauses,
        citations_added: missing_from(new_cites, old_cites),
        citations_removed: missing_from(old_cites, new_cites),
    }
}

fn compare(clause: &'static str, old: Option<String>, new: Option<String>) -> Option<ClauseChange> {
    let change = match (&old, &new) {
        (None, None) => return None,
        (Some(a), Some(b)) if a == b => return None,
        (None, Some(_)) => Change::Added,
        (Some(_), None) => Change::Removed,
        (Some(_), Some(_)) => Change::Changed,
    };
    Some(ClauseChange {
        clause,
        change,
        old,
        new,
    })
}

/// The citations of `these` not among `those` (same source, same pinpoint).
fn missing_from(these: &[CitationView], those: &[CitationView]) -> Vec<CitationView> {
    these
        .iter()
        .filter(|c| {
            !those
                .iter()
                .any(|o| o.source == c.source && o.pinpoint == c.pinpoint)
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(deadline: Option<&str>, exceptions: &[(&str, &str)]) -> Clauses {
        Clauses {
            applies_when: None,
            deadline: deadline.map(str::to_string),
            due_soon: None,
            met_when: "live".into(),
            met_on: None,
            exceptions: exceptions
                .iter()
                .map(|(condition, reason)| ExceptionText {
                    condition: (*condition).to_string(),
                    status: "met",
                    reason: (*reason).to_string(),
                    citations: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_comment_is_dropped_but_a_hash_in_a_text_is_kept() {
        assert_eq!(without_comment("a and b # why"), "a and b ");
        assert_eq!(without_comment("x = \"#1\" # note"), "x = \"#1\" ");
        assert_eq!(without_comment("x = \"a\\\"#\""), "x = \"a\\\"#\"");
    }

    #[test]
    fn a_changed_deadline_shows_both_texts() {
        let c = changes(
            &plain(Some("2022-11-01"), &[]),
            &[],
            &plain(Some("2022-11-30"), &[]),
            &[],
        );
        assert_eq!(
            c.clauses,
            vec![ClauseChange {
                clause: "deadline",
                change: Change::Changed,
                old: Some("2022-11-01".into()),
                new: Some("2022-11-30".into()),
            }]
        );
    }

    #[test]
    fn exceptions_are_matched_by_reason() {
        let c = changes(
            &plain(None, &[("a", "same"), ("b", "gone")]),
            &[],
            &plain(None, &[("a2", "same"), ("c", "new")]),
            &[],
        );
        let kinds: Vec<Change> = c.clauses.iter().map(|x| x.change).collect();
        assert_eq!(
            kinds,
            vec![Change::Changed, Change::Removed, Change::Added],
            "{c:?}"
        );
        assert_eq!(
            c.clauses.first().and_then(|x| x.new.as_deref()),
            Some("unless a2 -> met \"same\"")
        );
    }

    #[test]
    fn unchanged_versions_have_no_changes() {
        let same = plain(Some("2023-10-31"), &[("a", "r")]);
        assert!(changes(&same, &[], &same, &[]).clauses.is_empty());
    }
}
