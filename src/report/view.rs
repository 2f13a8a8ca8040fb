//! The report's content, resolved to plain values: what every renderer shows.

use std::sync::Arc;

use serde::Serialize;

use super::missing::Question;
use super::why::{self, ClauseView, Definitions};
use super::words;
use crate::eval::{
    ClauseNode, Dates, Deadline, Decider, Explainer, Outcome, Plan, Role, Status, Tri, Verdict,
};
use crate::facts::Facts;
use crate::model::{Citation, Each, Owner, Ruleset};
use crate::value::Value;

/// The version of the JSON report's shape. Raise it when a field changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 3;

/// A whole `check` run.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub schema_version: u32,
    /// The version of obligo that judged.
    pub obligo_version: &'static str,
    pub ruleset: RulesetView,
    pub as_of: String,
    pub known_on: String,
    pub organisations: Vec<OrganisationView>,
}

/// Which rules were used.
#[derive(Debug, Clone, Serialize)]
pub struct RulesetView {
    pub name: String,
    pub title: String,
    pub version: String,
    pub published: String,
    pub sha256: String,
    /// The ruleset's words for headings and the organisation (not in the
    /// JSON: reports' words, not results).
    #[serde(skip)]
    pub wording: crate::model::Wording,
}

impl RulesetView {
    /// The ruleset as reports name it.
    pub fn of(ruleset: &Ruleset) -> Self {
        Self {
            name: ruleset.name.clone(),
            title: ruleset.title.clone(),
            version: ruleset.version.clone(),
            published: ruleset.published.to_string(),
            sha256: ruleset.sha256.clone(),
            wording: ruleset.wording.clone(),
        }
    }
}

/// One facts file's results.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationView {
    pub facts_file: String,
    /// sha256 of the facts file's text, in hex (`None` for facts built in code).
    pub facts_sha256: Option<String>,
    pub name: Option<String>,
    pub id: Option<String>,
    pub recorded: Option<String>,
    /// `compliant`, `breach` or `undetermined`, counting binding duties only.
    pub verdict: Verdict,
    /// Results per status, over all rules.
    pub counts: Vec<StatusCount>,
    /// Results per binding force and kind, in each kind's words, over all rules.
    #[serde(skip)]
    pub force_counts: Vec<super::todo::ForceCounts>,
    pub notes: Vec<String>,
    pub results: Vec<ResultView>,
    /// Each definition the explanations use, explained once.
    #[serde(skip_serializing_if = "Definitions::is_empty")]
    pub definitions: Arc<Definitions>,
    /// The questions that would decide undecided rules, most rules first
    /// (as `obligo missing` asks them).
    #[serde(skip)]
    pub questions: Vec<Question>,
    /// The flags `obligo missing` needs after the facts path to ask what
    /// this report asks: the dates judged, and the caller's `--rules`
    /// when it gave one (the command line adds it).
    #[serde(skip)]
    pub missing_flags: String,
}

impl OrganisationView {
    /// How reports name the organisation: "Name (ID)".
    pub fn who(&self) -> String {
        match (&self.name, &self.id) {
            (Some(n), Some(i)) => format!("{n} ({i})"),
            (Some(n), None) => n.clone(),
            (None, Some(i)) => i.clone(),
            (None, None) => "unnamed organisation".into(),
        }
    }

    /// The pending result whose deadline comes first.
    pub fn next_deadline(&self) -> Option<&ResultView> {
        self.results
            .iter()
            .filter(|r| r.status == Status::Pending && r.days_to_deadline.is_some())
            .min_by_key(|r| (r.days_to_deadline, r.rule.clone()))
    }
}

/// Keeps only the results `keep` accepts, and says in each organisation's
/// notes how many were hidden and which.
pub fn keep_only(view: &mut ReportView, keep: impl Fn(Status) -> bool, hidden_kinds: &str) {
    for org in &mut view.organisations {
        let before = org.results.len();
        org.results.retain(|r| keep(r.status));
        // Under a rule shown, its items as the results are: the roll-up
        // still counts them all.
        for r in &mut org.results {
            if let Some(each) = &mut r.each {
                each.items.retain(|i| keep(i.status));
            }
        }
        let hidden = before - org.results.len();
        if hidden > 0 {
            org.notes.push(format!(
                "not shown: {hidden} {} {hidden_kinds} (--only unmet)",
                if hidden == 1 {
                    "result that is"
                } else {
                    "results that are"
                }
            ));
        }
    }
}

/// How many results have one status.
#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: Status,
    pub count: usize,
}

/// One rule's result, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct ResultView {
    pub rule: String,
    pub title: String,
    pub kind: &'static str,
    pub authority: AuthorityView,
    /// An obligation or prohibition of a binding authority: it counts
    /// toward the verdict.
    pub binding_duty: bool,
    pub version: Option<VersionView>,
    pub status: Status,
    /// The status in the words of the rule's kind ("breached", "followed").
    pub status_words: &'static str,
    /// When an exception decided the status: its reason.
    pub exception: Option<String>,
    pub deadline: Option<String>,
    pub days_to_deadline: Option<i64>,
    /// Overdue results only: days since `overdue_since`.
    pub days_overdue: Option<i64>,
    /// Overdue results only: since when, its deadline, or the day its
    /// version came into force when it has no deadline.
    pub overdue_since: Option<String>,
    /// Pending, and within the "due soon" window before its deadline.
    pub due_soon: bool,
    /// Under a recurring deadline: the period the status is about.
    pub period: Option<String>,
    pub met_on: Option<String>,
    /// Each clause that decided the status, explained (when asked for).
    pub explanation: Vec<ClauseView>,
    /// The organisation's explained definitions, which the explanation names.
    #[serde(skip)]
    pub definitions: Arc<Definitions>,
    pub citations: Vec<CitationView>,
    pub positions: Vec<PositionView>,
    pub missing_facts: Vec<MissingFact>,
    pub notes: Vec<String>,
    /// For a rule judged `for each` item or period: the roll-up and every
    /// item (flattened into the result: `for_each`, `summary`,
    /// `item_counts`, `items`).
    #[serde(flatten)]
    pub each: Option<EachView>,
}

impl ResultView {
    /// How far the deadline is, in words: ` (in 3 days)`, ` (today)`,
    /// ` (2 days ago)` when overdue; empty otherwise.
    pub fn when(&self) -> String {
        when(self.status, self.days_to_deadline, self.days_overdue)
    }
}

/// How far a deadline is, in words: ` (in 3 days)`, ` (today)`, ` (2 days
/// ago)` when overdue; empty otherwise.
pub fn when(status: Status, days_to_deadline: Option<i64>, days_overdue: Option<i64>) -> String {
    let days = |n: i64| if n == 1 { "day" } else { "days" };
    match (status, days_to_deadline, days_overdue) {
        (Status::Pending, Some(0), _) => " (today)".to_string(),
        (Status::Pending, Some(n), _) => format!(" (in {n} {})", days(n)),
        (Status::Overdue, _, Some(n)) => format!(" ({n} {} ago)", days(n)),
        _ => String::new(),
    }
}

/// A rule judged `for each` item or period: how its items stand, and each one.
#[derive(Debug, Clone, Serialize)]
pub struct EachView {
    /// The kind of item (`sar`), or `period`.
    pub for_each: String,
    /// The roll-up in words: "1 of 4 subject access requests overdue, 1 unknown, 2 met".
    pub summary: String,
    /// How many items have each status (statuses present only, in decision order).
    pub item_counts: Vec<StatusCount>,
    /// Every item judged, in the order of the facts' list (or of the periods).
    pub items: Vec<ItemView>,
}

/// One item of a rule judged `for each`, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    /// What `explain --item` names it by: its id, `#N` (its place in the
    /// list, from 1) without one, or its period.
    pub key: String,
    /// Its id, as given in the facts.
    pub id: Option<String>,
    /// Its label, as given in the facts.
    pub label: Option<String>,
    /// How reports name it: "subject access request S-2", "period 2024-05".
    pub name: String,
    /// The facts-file line its entry starts on.
    pub line: Option<u32>,
    pub status: Status,
    /// The status in the words of the rule's kind.
    pub status_words: &'static str,
    /// When an exception decided the status: its reason.
    pub exception: Option<String>,
    pub deadline: Option<String>,
    pub days_to_deadline: Option<i64>,
    pub days_overdue: Option<i64>,
    pub due_soon: bool,
    /// For a rule `for each period`: the period.
    pub period: Option<String>,
    pub met_on: Option<String>,
    /// Each clause that decided its status, explained (when asked for).
    pub explanation: Vec<ClauseView>,
    /// The clause of `explanation` that decided the status, if one did.
    #[serde(skip)]
    pub deciding: Option<usize>,
    /// The facts that would decide it; an item's own fields are asked
    /// about by name: "subject access request S-3: Was the time extended?".
    pub missing_facts: Vec<MissingFact>,
}

impl ItemView {
    /// How far its deadline is, in words, as [`ResultView::when`].
    pub fn when(&self) -> String {
        when(self.status, self.days_to_deadline, self.days_overdue)
    }

    /// Its name and label: "subject access request S-2 (Mrs B)".
    pub fn title(&self) -> String {
        match &self.label {
            Some(l) => format!("{} ({l})", self.name),
            None => self.name.clone(),
        }
    }
}

/// Who issued a rule or a position.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorityView {
    pub id: String,
    pub name: String,
    pub binding_force: &'static str,
}

/// The version used.
#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    pub from: String,
    pub until: Option<String>,
    pub published: String,
}

/// A cited source.
#[derive(Debug, Clone, Serialize)]
pub struct CitationView {
    pub source: String,
    pub title: String,
    pub issuer: String,
    pub published: String,
    pub url: Option<String>,
    pub pinpoint: Option<String>,
}

/// Another authority's view.
#[derive(Debug, Clone, Serialize)]
pub struct PositionView {
    pub authority: AuthorityView,
    pub stance: String,
    pub citations: Vec<CitationView>,
}

/// A fact that would help decide the rule.
#[derive(Debug, Clone, Serialize)]
pub struct MissingFact {
    pub fact: String,
    pub label: String,
    pub question: String,
}

/// Builds the view of a run: each organisation's outcomes, with their
/// explanations when `explain` is set.
pub fn build(plan: &Plan<'_>, orgs: &[(Facts, Vec<Outcome>)], explain: bool) -> ReportView {
    let ruleset = plan.ruleset();
    let dates = plan.dates();
    ReportView {
        schema_version: SCHEMA_VERSION,
        obligo_version: env!("CARGO_PKG_VERSION"),
        ruleset: RulesetView::of(ruleset),
        as_of: dates.as_of.to_string(),
        known_on: dates.known_on.to_string(),
        organisations: orgs
            .iter()
            .map(|(f, r)| organisation(plan, f, r, explain))
            .collect(),
    }
}

/// One organisation's report: statuses, and explanations when `explain`.
pub fn organisation(
    plan: &Plan<'_>,
    facts: &Facts,
    outcomes: &[Outcome],
    explain: bool,
) -> OrganisationView {
    let rs = plan.ruleset();
    let dates = plan.dates();
    let (mut views, definitions) = if explain {
        let mut ex = Explainer::new(plan, facts);
        let views: Vec<ResultView> = outcomes
            .iter()
            .map(|o| explained(rs, dates, facts, &mut ex, o))
            .collect();
        (views, Arc::new(Definitions::of(rs, facts, &ex)))
    } else {
        let views = outcomes
            .iter()
            .map(|o| {
                let mut v = result(rs, dates, o);
                with_items(rs, facts, None, o, &mut v);
                v
            })
            .collect();
        (views, Arc::new(Definitions::default()))
    };
    for v in &mut views {
        v.definitions = Arc::clone(&definitions);
    }
    let counts = Status::ALL
        .iter()
        .map(|s| StatusCount {
            status: *s,
            count: outcomes.iter().filter(|r| r.status == *s).count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    let mut notes = Vec::new();
    if let Some(rec) = facts.recorded.filter(|r| *r > dates.as_of) {
        notes.push(format!(
            "the facts were recorded on {rec}, after the date judged ({}): facts that carry no date are taken as true on that date",
            dates.as_of
        ));
    }
    OrganisationView {
        facts_file: facts.file.clone(),
        facts_sha256: facts.sha256.clone(),
        name: facts.name.clone(),
        id: facts.id.clone(),
        recorded: facts.recorded.map(|d| d.to_string()),
        verdict: Verdict::of(rs, outcomes),
        counts,
        force_counts: super::todo::counts(&views),
        notes,
        results: views,
        definitions,
        questions: super::missing::questions(rs, facts, outcomes).questions,
        missing_flags: format!(
            " --as-of {} --known-on {}",
            plan.dates().as_of,
            plan.dates().known_on
        ),
    }
}

pub(crate) fn authority(rs: &Ruleset, id: crate::model::AuthorityId) -> AuthorityView {
    let a = rs.authority(id);
    AuthorityView {
        id: a.name.clone(),
        name: a.title.clone(),
        binding_force: a.force.keyword(),
    }
}

pub(crate) fn citations(rs: &Ruleset, cites: &[Citation]) -> Vec<CitationView> {
    cites
        .iter()
        .map(|c| {
            let s = rs.source(c.source);
            CitationView {
                source: s.name.clone(),
                title: s.title.clone(),
                issuer: s.issuer.clone(),
                published: s.published.to_string(),
                url: s.url.clone(),
                pinpoint: c.pinpoint.clone(),
            }
        })
        .collect()
}

/// One outcome as reports show it, with its explanation (its definitions
/// are in `ex`'s table; the caller shares them with the view).
pub(crate) fn explained(
    rs: &Ruleset,
    dates: Dates,
    facts: &Facts,
    ex: &mut Explainer<'_, '_>,
    o: &Outcome,
) -> ResultView {
    let clauses = ex.explain(o);
    let version = o.version.and_then(|i| rs.rule(o.rule).versions.get(i));
    let mut v = result(rs, dates, o);
    v.explanation = why::clauses(rs, facts, version, &clauses);
    with_items(rs, facts, Some(ex), o, &mut v);
    v
}

/// Gives the view of a rule judged `for each` its roll-up and items, and
/// its questions those of its items, each naming its item.
fn with_items(
    rs: &Ruleset,
    facts: &Facts,
    ex: Option<&mut Explainer<'_, '_>>,
    o: &Outcome,
    v: &mut ResultView,
) {
    v.each = each(rs, facts, ex, o);
    if let Some(e) = &v.each
        && !e.items.is_empty()
    {
        let mut seen = std::collections::HashSet::new();
        v.missing_facts = e
            .items
            .iter()
            .flat_map(|i| &i.missing_facts)
            .filter(|m| seen.insert(m.question.clone()))
            .cloned()
            .collect();
    }
}

/// The roll-up and the items of a rule judged `for each` (`None` for
/// other rules, and for one not in force), each item explained when `ex`
/// is given.
pub(crate) fn each(
    rs: &Ruleset,
    facts: &Facts,
    mut ex: Option<&mut Explainer<'_, '_>>,
    o: &Outcome,
) -> Option<EachView> {
    let rule = rs.rule(o.rule);
    let each = rule.each.as_ref()?;
    if matches!(o.status, Status::NotInForce | Status::Ended) {
        return None;
    }
    let version = o.version.and_then(|i| rule.versions.get(i));
    let items: Vec<ItemView> = o
        .items
        .iter()
        .map(|i| item(rs, facts, rule, version, ex.as_deref_mut(), i))
        .collect();
    let counts = crate::eval::rollup::counts(&o.items);
    let item_counts: Vec<StatusCount> = Status::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(s, count)| StatusCount { status: *s, count })
        .collect();
    let (for_each, summary) = match each {
        Each::Item { kind, .. } => {
            let k = rs.kinds.get(kind.index());
            let name = k.map_or_else(String::new, |k| k.name.clone());
            let many = k.map_or("items", |k| k.many.as_str());
            let one = k.map_or("item", |k| k.one.as_str());
            let summary = match facts.items_in(rs, *kind) {
                _ if !items.is_empty() => summary(rs, rule, &item_counts, items.len()),
                None => format!("the {many} are not given"),
                Some([]) => format!("no {many}"),
                Some(l) if l.len() == 1 => {
                    format!("no {one} to judge: the rule's `where` leaves out the only one")
                }
                Some(l) => format!(
                    "no {one} to judge: the rule's `where` leaves out all {}",
                    l.len()
                ),
            };
            (name, summary)
        }
        Each::Period => {
            let summary = if items.is_empty() {
                "no period has ended yet".to_string()
            } else {
                summary(rs, rule, &item_counts, items.len())
            };
            ("period".to_string(), summary)
        }
    };
    Some(EachView {
        for_each,
        summary,
        item_counts,
        items,
    })
}

impl EachView {
    /// The items in the order reports list them: overdue first, then
    /// unknown, pending, met late, met, not applicable; within a status
    /// the earliest deadline first, then the order of the list.
    pub fn in_report_order(&self) -> Vec<&ItemView> {
        let mut out: Vec<&ItemView> = self.items.iter().collect();
        out.sort_by_key(|i| {
            let dated = i
                .deadline
                .as_deref()
                .filter(|d| d.starts_with(|c: char| c.is_ascii_digit()));
            (rollup_rank(i.status), dated.is_none(), dated)
        });
        out
    }
}

/// How many of `items` have each status, in words, in the order met:
/// "3 pending, 4 met" (what a fold says it holds).
pub fn tally(items: &[&ItemView]) -> String {
    let mut counts: Vec<(Status, &str, usize)> = Vec::new();
    for i in items {
        match counts.iter_mut().find(|c| c.0 == i.status) {
            Some(c) => c.2 += 1,
            None => counts.push((i.status, i.status_words, 1)),
        }
    }
    let words: Vec<String> = counts.iter().map(|(_, w, n)| format!("{n} {w}")).collect();
    words.join(", ")
}

/// The order in which a roll-up names its statuses: the order that decides it.
pub fn rollup_rank(s: Status) -> u8 {
    crate::eval::rollup::rank(s)
}

/// "1 of 4 subject access requests overdue, 1 unknown, 2 met": every status
/// present, strongest first.
fn summary(rs: &Ruleset, rule: &crate::model::Rule, counts: &[StatusCount], of: usize) -> String {
    let mut sorted: Vec<&StatusCount> = counts.iter().collect();
    sorted.sort_by_key(|c| rollup_rank(c.status));
    sorted
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                words::items_with(rs, rule, c.status, c.count, of)
            } else {
                format!("{} {}", c.count, words::status(c.status, rule.kind))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One item's outcome as reports show it.
fn item(
    rs: &Ruleset,
    facts: &Facts,
    rule: &crate::model::Rule,
    version: Option<&crate::model::Version>,
    ex: Option<&mut Explainer<'_, '_>>,
    o: &Outcome,
) -> ItemView {
    let named = words::item_name(rs, facts, rule, o);
    let bound = match &rule.each {
        Some(Each::Item { kind, .. }) => o.item.map(|i| (*kind, i)),
        _ => None,
    };
    let entry = bound.and_then(|(kind, i)| facts.items_in(rs, kind)?.get(i as usize));
    let (explanation, deciding) = match ex {
        Some(ex) => {
            let mut clauses = ex.explain(o);
            // What every item shares is explained once, on the rule.
            clauses.retain(|c| crate::eval::per_item(c.node.expr, c.role));
            let deciding = deciding_clause(o, &clauses);
            (
                why::item_clauses(rs, facts, version, &clauses, bound),
                deciding,
            )
        }
        None => (Vec::new(), None),
    };
    let exception = match (o.decider, version) {
        (Decider::Exception(i), Some(v)) => v.exceptions.get(i).map(|e| e.reason.clone()),
        _ => None,
    };
    let period = o
        .period
        .zip(version.and_then(|v| v.every.as_ref()))
        .map(|(start, every)| words::period(start, every.unit));
    ItemView {
        key: named.key,
        id: entry.and_then(|e| e.id.clone()),
        label: named.label,
        line: entry.and_then(|e| e.line),
        status: o.status,
        status_words: words::status(o.status, rule.kind),
        exception,
        deadline: deadline(o),
        days_to_deadline: o.days_left(),
        days_overdue: o.days_overdue(),
        due_soon: o.due_soon,
        period,
        met_on: o.met_on.map(words::moment),
        explanation,
        deciding,
        missing_facts: o
            .missing
            .iter()
            .map(|f| {
                let fact = rs.fact(*f);
                let question = match fact.owner {
                    Owner::Field(..) => format!("{}: {}", named.name, fact.question),
                    _ => fact.question.clone(),
                };
                MissingFact {
                    fact: fact.name.clone(),
                    label: fact.label.clone(),
                    question,
                }
            })
            .collect(),
        name: named.name,
    }
}

/// The clause that decided an item's status: the exception that applied,
/// the `applies when` or `where` that was false, or the `met when`.
fn deciding_clause(o: &Outcome, clauses: &[ClauseNode<'_>]) -> Option<usize> {
    let is_false = |c: &ClauseNode<'_>| c.node.value == Tri::Known(Value::Bool(false));
    match (o.decider, o.status) {
        (_, Status::Unknown) => None,
        (Decider::Exception(i), _) => clauses.iter().position(|c| c.role == Role::Unless(i)),
        (_, Status::NotApplicable) => clauses
            .iter()
            .position(|c| matches!(c.role, Role::AppliesWhen | Role::Where) && is_false(c)),
        _ => clauses
            .iter()
            .rposition(|c| matches!(c.role, Role::MetWhen | Role::MetWhenFor(_))),
    }
}

/// A deadline in words: a date, "not yet set" or "unknown" (`None`: there is none).
fn deadline(r: &Outcome) -> Option<String> {
    match r.relevant_deadline() {
        Deadline::None => None,
        Deadline::On(m) => Some(words::moment(m)),
        Deadline::NotYetSet => Some("not yet set".into()),
        Deadline::Unknown => Some("unknown".into()),
    }
}

/// Since when an overdue outcome is overdue, and for how many days: its
/// deadline, or, with no deadline, the day its version came into force.
fn overdue_since(
    dates: Dates,
    r: &Outcome,
    version: Option<&crate::model::Version>,
) -> Option<(chrono::NaiveDate, i64)> {
    if r.status != Status::Overdue {
        return None;
    }
    let day = match r.relevant_deadline() {
        Deadline::On(m) => moment_day(m),
        _ => version?.from,
    };
    Some((
        day,
        r.days_overdue()
            .unwrap_or_else(|| (dates.as_of - day).num_days()),
    ))
}

/// The day of a deadline.
fn moment_day(m: crate::eval::Moment) -> chrono::NaiveDate {
    match m {
        crate::eval::Moment::Day(d) => d,
        crate::eval::Moment::At(t) => t.date(),
    }
}

/// One outcome as reports show it (without its explanation).
pub(crate) fn result(rs: &Ruleset, dates: Dates, r: &Outcome) -> ResultView {
    let rule = rs.rule(r.rule);
    let version = r.version.and_then(|i| rule.versions.get(i));
    let mut cites = version
        .map(|v| citations(rs, &v.citations))
        .unwrap_or_default();
    let exception = match (r.decider, version) {
        (Decider::Exception(i), Some(v)) => v.exceptions.get(i).map(|e| {
            cites.extend(citations(rs, &e.citations));
            e.reason.clone()
        }),
        _ => None,
    };
    if r.status == Status::Ended
        && let Some(e) = &rule.ending
    {
        cites.extend(citations(rs, &e.citations));
    }
    let mut seen = std::collections::HashSet::new();
    cites.retain(|c| seen.insert((c.source.clone(), c.pinpoint.clone())));
    let deadline = deadline(r);
    let since = overdue_since(dates, r, version);
    let positions = rule
        .positions
        .iter()
        .filter(|p| p.known_from <= dates.known_on)
        .map(|p| PositionView {
            authority: authority(rs, p.authority),
            stance: p.stance.clone(),
            citations: citations(rs, &p.citations),
        })
        .collect();
    ResultView {
        rule: rule.name.clone(),
        title: rule.title.clone(),
        kind: rule.kind.keyword(),
        authority: authority(rs, rule.authority),
        binding_duty: crate::eval::is_binding_duty(rs, rule),
        version: version.map(|v| VersionView {
            from: v.from.to_string(),
            until: v.until.map(|u| u.to_string()),
            published: v.published.to_string(),
        }),
        status: r.status,
        status_words: words::status(r.status, rule.kind),
        exception,
        deadline,
        // Counts of days belong to open rules: how long is left, or how
        // long past. A met rule's deadline is shown, not counted.
        days_to_deadline: r.days_left(),
        days_overdue: since.map(|(_, days)| days),
        overdue_since: since.map(|(day, _)| day.to_string()),
        due_soon: r.due_soon,
        period: r
            .period
            .zip(version.and_then(|v| v.every.as_ref()))
            .map(|(start, every)| words::period(start, every.unit)),
        met_on: r.met_on.map(words::moment),
        explanation: Vec::new(),
        definitions: Arc::default(),
        citations: cites,
        positions,
        missing_facts: r
            .missing
            .iter()
            .map(|f| {
                let fact = rs.fact(*f);
                MissingFact {
                    fact: fact.name.clone(),
                    label: fact.label.clone(),
                    question: fact.question.clone(),
                }
            })
            .collect(),
        notes: r.notes.iter().map(|n| words::note(rs, rule, n)).collect(),
        each: None,
    }
}
