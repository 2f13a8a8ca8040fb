//! What to do now, for any renderer: the verdict, the binding duties
//! overdue, the next deadlines, the questions that would decide the most
//! rules, and the counts of each binding force in each kind's own words.
//!
//! Built from an [`OrganisationView`]; the text, Markdown and HTML reports
//! each show it at the top, in their own way.

use super::missing::Question;
use super::view::{CitationView, ItemView, OrganisationView, ResultView};
use super::words;
use crate::eval::{Status, Verdict};
use crate::model::BindingForce;

/// How many next deadlines a to-do list names.
pub const NEXT_SHOWN: usize = 3;

/// How many questions a to-do list names.
pub const QUESTIONS_SHOWN: usize = 3;

/// One organisation's to-do list.
#[derive(Debug, Clone)]
pub struct Todo<'a> {
    /// Counting binding duties only.
    pub verdict: Verdict,
    /// The verdict in words ("some binding duties are overdue").
    pub verdict_words: &'static str,
    /// Every binding duty overdue, most days overdue first.
    pub overdue: Vec<Overdue<'a>>,
    /// Duties of other forces overdue (expectations, a regulator's view,
    /// advice): shown, never counted in the verdict.
    pub other_overdue: Vec<&'a ResultView>,
    /// The pending deadlines that come first (up to [`NEXT_SHOWN`]),
    /// binding duties before other rules on the same day.
    pub next: Vec<Next<'a>>,
    /// Pending rules whose deadline has no date yet ("not yet set", or
    /// unknown), in the ruleset's order.
    pub undated: Vec<&'a ResultView>,
    /// The questions that would decide the most undecided rules (up to
    /// [`QUESTIONS_SHOWN`]).
    pub questions: &'a [Question],
    /// How many questions there are in all (`obligo missing` lists them).
    pub questions_total: usize,
    /// How many rules are undecided (unknown), of any force or kind.
    pub undecided: usize,
    /// Counts per binding force, most binding first; empty forces left
    /// out (over every rule, also those `--only unmet` hides).
    pub counts: Vec<ForceCounts>,
}

/// A binding duty overdue.
#[derive(Debug, Clone)]
pub struct Overdue<'a> {
    /// The rule's result.
    pub result: &'a ResultView,
    /// Since when: its deadline, or the day it came into force.
    pub since: String,
    /// Whether `since` is the day it came into force (it has no deadline).
    pub since_in_force: bool,
    /// Days since `since`.
    pub days: i64,
    /// Its first source, if it cites one.
    pub source: Option<&'a CitationView>,
}

impl Overdue<'_> {
    /// "since 2023-10-31 (245 days)", or "in force since 2020-03-01, no
    /// deadline (1,582 days)".
    pub fn since_words(&self) -> String {
        let days = days(self.days);
        if self.since_in_force {
            format!("in force since {}, no deadline ({days})", self.since)
        } else {
            format!("due {} ({days} overdue)", self.since)
        }
    }
}

/// A pending deadline.
#[derive(Debug, Clone)]
pub struct Next<'a> {
    /// The rule's result.
    pub result: &'a ResultView,
    /// The item whose deadline it is, for a rule judged item by item.
    pub item: Option<&'a ItemView>,
    /// The deadline, as the report writes it.
    pub deadline: &'a str,
    /// Days left (0: today).
    pub days: i64,
}

impl Next<'_> {
    /// What is due: the rule, and the item for a rule judged item by item
    /// (`access-on-request, access request R-3 (Mrs C)`).
    pub fn what(&self) -> String {
        match self.item {
            Some(i) => format!("{}, {}", self.result.rule, i.title()),
            None => self.result.rule.clone(),
        }
    }

    /// "in 12 days", "today", with ", due soon" inside the window.
    pub fn when_words(&self) -> String {
        let when = match self.days {
            0 => "today".to_string(),
            n => format!("in {}", days(n)),
        };
        let soon = self.item.map_or(self.result.due_soon, |i| i.due_soon);
        if soon {
            format!("{when}, due soon")
        } else {
            when
        }
    }
}

/// The command that lists every question of an organisation's report:
/// `obligo missing 'my practice.yaml' --as-of … --known-on …`, with the
/// report's own flags and each path quoted for a shell when it needs it.
pub fn missing_command(org: &OrganisationView) -> String {
    format!(
        "obligo missing {}{}",
        shell_word(&org.facts_file),
        org.missing_flags
    )
}

/// `word` as a shell reads it back: as it is when plain, else in single quotes.
pub fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The rules of one binding force, as reports list them: the open ones by
/// urgency, then the ones folded to a line (ended, not yet in force).
pub struct ForceGroup<'a> {
    /// The binding force.
    pub force: BindingForce,
    /// Rules shown in full, most urgent first.
    pub open: Vec<&'a ResultView>,
    /// Rules folded to one line each.
    pub shut: Vec<&'a ResultView>,
}

/// The groups of `results` by binding force, most binding first, leaving
/// out forces with no rule.
pub fn force_groups(results: &[ResultView]) -> Vec<ForceGroup<'_>> {
    BindingForce::ALL
        .into_iter()
        .filter_map(|force| {
            let group: Vec<&ResultView> = results
                .iter()
                .filter(|r| r.authority.binding_force == force.keyword())
                .collect();
            if group.is_empty() {
                return None;
            }
            let (shut, open) = by_urgency(&group).into_iter().partition(|r| folded(r));
            Some(ForceGroup { force, open, shut })
        })
        .collect()
}

/// What a rule with no deadline has been since it came into force, in its
/// kind's words: a duty is "overdue", a permission "not available", a
/// recommendation "not followed" (neither of those is a breach).
pub fn since_words(r: &ResultView) -> &'static str {
    if Counted::of(r.kind) == Counted::Duties {
        "overdue"
    } else {
        r.status_words
    }
}

/// "1 day", "12 days".
pub fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// The counts of one binding force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForceCounts {
    /// The binding force.
    pub force: BindingForce,
    /// Its kinds of rule, duties first; empty ones left out.
    pub kinds: Vec<KindCounts>,
}

impl ForceCounts {
    /// "duties: 2 overdue, 1 breached, 6 met; permissions: 1 not available".
    pub fn words(&self) -> String {
        let parts: Vec<String> = self.kinds.iter().map(KindCounts::words).collect();
        parts.join("; ")
    }
}

/// What a count groups: duties (obligations and prohibitions),
/// permissions or recommendations, each counted apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Counted {
    /// Obligations and prohibitions.
    Duties,
    /// Permissions: "not available" is no breach.
    Permissions,
    /// Recommendations: "not followed" is no breach.
    Recommendations,
}

impl Counted {
    /// What a rule of kind `kind` (its keyword) is counted among.
    pub fn of(kind: &str) -> Self {
        match kind {
            "permission" => Self::Permissions,
            "recommendation" => Self::Recommendations,
            _ => Self::Duties,
        }
    }

    /// Its name in the plural: "duties".
    pub fn plural(self) -> &'static str {
        match self {
            Self::Duties => "duties",
            Self::Permissions => "permissions",
            Self::Recommendations => "recommendations",
        }
    }
}

/// The counts of one kind of rule under one binding force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindCounts {
    /// Duties, permissions or recommendations.
    pub counted: Counted,
    /// How many rules have each status, in the kind's words, most urgent
    /// first: `("overdue", 2)`, `("breached", 1)`, `("met", 6)`.
    pub counts: Vec<(&'static str, usize)>,
}

impl KindCounts {
    /// "duties: 2 overdue, 1 breached, 6 met".
    pub fn words(&self) -> String {
        let counts: Vec<String> = self
            .counts
            .iter()
            .map(|(w, n)| format!("{n} {w}"))
            .collect();
        format!("{}: {}", self.counted.plural(), counts.join(", "))
    }
}

impl<'a> Todo<'a> {
    /// The to-do list of one organisation.
    pub fn of(org: &'a OrganisationView) -> Self {
        let shown = org.questions.len().min(QUESTIONS_SHOWN);
        Self {
            verdict: org.verdict,
            verdict_words: words::verdict(org.verdict),
            overdue: overdue(&org.results),
            other_overdue: org
                .results
                .iter()
                .filter(|r| {
                    r.status == Status::Overdue
                        && !r.binding_duty
                        && Counted::of(r.kind) == Counted::Duties
                })
                .collect(),
            next: next(&org.results),
            undated: org
                .results
                .iter()
                .filter(|r| {
                    r.status == Status::Pending
                        && r.days_to_deadline.is_none()
                        && r.each.as_ref().is_none_or(|e| e.items.is_empty())
                })
                .collect(),
            questions: org.questions.get(..shown).unwrap_or_default(),
            questions_total: org.questions.len(),
            undecided: org
                .results
                .iter()
                .filter(|r| r.status == Status::Unknown)
                .count(),
            counts: org.force_counts.clone(),
        }
    }

    /// Whether there is nothing to do now: no duty overdue, no deadline
    /// ahead, no question open.
    pub fn is_empty(&self) -> bool {
        self.overdue.is_empty()
            && self.other_overdue.is_empty()
            && self.next.is_empty()
            && self.undated.is_empty()
            && self.questions.is_empty()
    }
}

/// Every binding duty overdue, most days overdue first, then by rule.
fn overdue(results: &[ResultView]) -> Vec<Overdue<'_>> {
    let mut out: Vec<Overdue<'_>> = results
        .iter()
        .filter(|r| r.binding_duty && r.status == Status::Overdue)
        .map(|r| {
            let since = r.overdue_since.clone().unwrap_or_default();
            let dated = r
                .deadline
                .as_deref()
                .is_some_and(|d| d.starts_with(|c: char| c.is_ascii_digit()));
            Overdue {
                result: r,
                since,
                since_in_force: !dated,
                days: r.days_overdue.unwrap_or(0),
                source: r.citations.first(),
            }
        })
        .collect();
    out.sort_by(|a, b| b.days.cmp(&a.days).then(a.result.rule.cmp(&b.result.rule)));
    out
}

/// The first pending deadlines, soonest first; on the same day binding
/// duties first, then by rule. A rule judged item by item (or period by
/// period) gives each of its pending items' deadlines instead of its own.
fn next(results: &[ResultView]) -> Vec<Next<'_>> {
    let mut out: Vec<Next<'_>> = Vec::new();
    for r in results {
        match r.each.as_ref().filter(|e| !e.items.is_empty()) {
            Some(each) => out.extend(
                each.items
                    .iter()
                    .filter(|i| i.status == Status::Pending)
                    .filter_map(|i| {
                        Some(Next {
                            result: r,
                            item: Some(i),
                            deadline: i.deadline.as_deref()?,
                            days: i.days_to_deadline?,
                        })
                    }),
            ),
            None if r.status == Status::Pending => out.extend(
                r.deadline
                    .as_deref()
                    .zip(r.days_to_deadline)
                    .map(|(deadline, days)| Next {
                        result: r,
                        item: None,
                        deadline,
                        days,
                    }),
            ),
            None => {}
        }
    }
    // A stable sort keeps the items of one rule in the order of their list.
    out.sort_by(|a, b| {
        (a.days, !a.result.binding_duty, &a.result.rule).cmp(&(
            b.days,
            !b.result.binding_duty,
            &b.result.rule,
        ))
    });
    out.truncate(NEXT_SHOWN);
    out
}

/// The counts per binding force and kind, in each kind's status words.
pub fn counts(results: &[ResultView]) -> Vec<ForceCounts> {
    BindingForce::ALL
        .iter()
        .filter_map(|force| {
            let of_force: Vec<&ResultView> = results
                .iter()
                .filter(|r| r.authority.binding_force == force.keyword())
                .collect();
            let kinds: Vec<KindCounts> = [
                Counted::Duties,
                Counted::Permissions,
                Counted::Recommendations,
            ]
            .into_iter()
            .filter_map(|counted| kind_counts(&of_force, counted))
            .collect();
            (!kinds.is_empty()).then_some(ForceCounts {
                force: *force,
                kinds,
            })
        })
        .collect()
}

/// The counts of the rules of one kind, most urgent status first (`None`
/// when there are none).
fn kind_counts(results: &[&ResultView], counted: Counted) -> Option<KindCounts> {
    let mut of_kind: Vec<&&ResultView> = results
        .iter()
        .filter(|r| Counted::of(r.kind) == counted)
        .collect();
    if of_kind.is_empty() {
        return None;
    }
    of_kind.sort_by_key(|r| urgency(r));
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for r in of_kind {
        match counts.iter_mut().find(|c| c.0 == r.status_words) {
            Some(c) => c.1 += 1,
            None => counts.push((r.status_words, 1)),
        }
    }
    Some(KindCounts { counted, counts })
}

/// How urgent a result is, for ordering a group's rules: overdue duties,
/// then unknown, pending, other rules not met (a permission not
/// available, a recommendation not followed), met late, met, not
/// applicable, not yet in force, ended.
pub fn urgency(r: &ResultView) -> u8 {
    let duty = Counted::of(r.kind) == Counted::Duties;
    match r.status {
        Status::Overdue if duty => 0,
        Status::Unknown => 1,
        Status::Pending => 2,
        Status::Overdue => 3,
        Status::MetLate => 4,
        Status::Met => 5,
        Status::NotApplicable => 6,
        Status::NotInForce => 7,
        Status::Ended => 8,
    }
}

/// Whether a result is folded to one line at the end of its group: a rule
/// not yet in force, or ended.
pub fn folded(r: &ResultView) -> bool {
    matches!(r.status, Status::NotInForce | Status::Ended)
}

/// A group's results in the order reports list them: by [`urgency`], then
/// pending and overdue by deadline (soonest, or longest overdue, first),
/// then in the ruleset's order.
pub fn by_urgency<'a>(results: &[&'a ResultView]) -> Vec<&'a ResultView> {
    let mut out: Vec<&ResultView> = results.to_vec();
    // A stable sort keeps the ruleset's order among equals.
    out.sort_by_key(|r| {
        let days = match r.status {
            Status::Pending => r.days_to_deadline.unwrap_or(i64::MAX),
            Status::Overdue => r.days_overdue.map_or(i64::MAX, |d| -d),
            _ => 0,
        };
        (urgency(r), days)
    });
    out
}

/// The one-line note of a folded result: when it comes into force, or
/// how it ended.
pub fn fold_note(r: &ResultView) -> String {
    if let Some(n) = r.notes.first() {
        return n.clone();
    }
    match (&r.status, &r.version) {
        (Status::Ended, Some(v)) => match &v.until {
            Some(u) => format!("ran until {u}"),
            None => "ended".into(),
        },
        (Status::Ended, None) => "ended".into(),
        _ => "not yet in force".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_worded_per_kind() {
        let k = KindCounts {
            counted: Counted::Permissions,
            counts: vec![("not available", 1), ("available", 2)],
        };
        assert_eq!(k.words(), "permissions: 1 not available, 2 available");
        assert_eq!(Counted::of("prohibition"), Counted::Duties);
        assert_eq!(Counted::of("recommendation"), Counted::Recommendations);
    }

    #[test]
    fn a_path_is_quoted_only_when_a_shell_needs_it() {
        assert_eq!(shell_word("examples/a.yaml"), "examples/a.yaml");
        assert_eq!(shell_word("my practice's.yaml"), "'my practice'\\''s.yaml'");
    }

    #[test]
    fn days_are_singular_for_one() {
        assert_eq!(days(1), "1 day");
        assert_eq!(days(0), "0 days");
        assert_eq!(days(245), "245 days");
    }
}
