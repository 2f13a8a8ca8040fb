//! A batch's summary, what an analyst reads first: organisations by
//! verdict, each rule's statuses, the facts most often missing, and the
//! organisations with overdue binding duties. As text (for the error
//! stream, at 80 columns), Markdown, or JSON (docs/batch.md).

use std::fmt::Write as _;

use serde::Serialize;

use crate::batch::Tally;
use crate::eval::{Plan, Status, Verdict};
use crate::model::Each;

use super::batch::SCHEMA_VERSION;
use super::view::RulesetView;
use super::words;

/// How many missing facts the summary lists.
const MISSING_SHOWN: usize = 10;
/// How many organisations the text and Markdown name.
const OVERDUE_SHOWN: usize = 20;

/// Statuses in the order an analyst looks for them.
const BY_URGENCY: [Status; 8] = [
    Status::Overdue,
    Status::Unknown,
    Status::Pending,
    Status::MetLate,
    Status::Met,
    Status::NotApplicable,
    Status::NotInForce,
    Status::Ended,
];

/// How many inputs the text summary names with their sha256 (the JSON
/// names them all).
const INPUTS_SHOWN: usize = 5;
/// How many the Markdown names.
const INPUTS_SHOWN_MARKDOWN: usize = 100;

/// The summary as data, for JSON.
#[derive(Debug, Serialize)]
pub struct SummaryView {
    pub schema_version: u32,
    /// The version of obligo that judged.
    pub obligo_version: &'static str,
    pub ruleset: RulesetView,
    pub as_of: String,
    pub known_on: String,
    /// Every input, in the order read, with the sha256 of its bytes.
    pub inputs: Vec<InputView>,
    pub rows: u64,
    pub organisations: u64,
    pub invalid_rows: u64,
    /// Whether `--fail-fast` stopped the run at an invalid row.
    pub stopped_at_invalid_row: bool,
    pub verdicts: Verdicts,
    pub rules: Vec<RuleCounts>,
    pub most_missing: Vec<MissingCount>,
    pub overdue_organisations: u64,
    /// The first of them (at most `batch::tally::NAMED_OVERDUE`), in input order.
    pub overdue: Vec<OverdueView>,
}

/// One input of the batch and the sha256 of the bytes read from it.
#[derive(Debug, Serialize)]
pub struct InputView {
    /// As given on the command line (`-` is `<stdin>`).
    pub file: String,
    /// `null` when it was not read to its end (it could not be opened, or
    /// the run stopped first).
    pub sha256: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Verdicts {
    pub compliant: u64,
    pub undetermined: u64,
    pub breach: u64,
}

#[derive(Debug, Serialize)]
pub struct RuleCounts {
    pub rule: String,
    pub title: String,
    /// Counts toward the verdict (a binding obligation or prohibition).
    pub binding: bool,
    /// For a rule judged for each item: the kind's name, or `period`;
    /// its statuses are the rolled-up ones, one per organisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub for_each: Option<String>,
    /// The same, in words: "each subject access request", "each period".
    #[serde(skip)]
    pub for_each_words: Option<String>,
    /// Each status with a count above zero, most urgent first.
    pub statuses: Vec<StatusCount>,
}

#[derive(Debug, Serialize)]
pub struct StatusCount {
    pub status: Status,
    /// The status as worded for this rule's kind ("breached" for a prohibition).
    pub status_words: &'static str,
    pub organisations: u64,
}

#[derive(Debug, Serialize)]
pub struct MissingCount {
    pub fact: String,
    pub label: String,
    pub organisations: u64,
}

#[derive(Debug, Serialize)]
pub struct OverdueView {
    pub row: u64,
    pub id: Option<String>,
    pub name: Option<String>,
    pub rules: Vec<String>,
}

/// The summary's data; `inputs` are each input's name and sha256, in order.
pub fn view(
    plan: &Plan<'_>,
    tally: &Tally,
    stopped: bool,
    inputs: Vec<(String, Option<String>)>,
) -> SummaryView {
    let rs = plan.ruleset();
    let dates = plan.dates();
    let rules = plan
        .rules()
        .filter_map(|id| {
            let rule = rs.get_rule(id)?;
            Some(RuleCounts {
                rule: rule.name.clone(),
                title: rule.title.clone(),
                binding: crate::eval::is_binding_duty(rs, rule),
                for_each: rule.each.as_ref().map(|e| match e {
                    Each::Item { kind, .. } => rs.kind(*kind).name.clone(),
                    Each::Period => "period".to_string(),
                }),
                for_each_words: rule.each.as_ref().map(|e| match e {
                    Each::Item { kind, .. } => format!("each {}", rs.kind(*kind).one),
                    Each::Period => "each period".to_string(),
                }),
                statuses: BY_URGENCY
                    .iter()
                    .map(|s| StatusCount {
                        status: *s,
                        status_words: words::status(*s, rule.kind),
                        organisations: tally.status_count(id, *s),
                    })
                    .filter(|c| c.organisations > 0)
                    .collect(),
            })
        })
        .collect::<Vec<RuleCounts>>();
    // Binding duties first, each group in ruleset order.
    let mut rules = rules;
    rules.sort_by_key(|r| !r.binding);
    let most_missing = tally
        .most_missing(MISSING_SHOWN)
        .into_iter()
        .filter_map(|(id, n)| {
            let fact = rs.get_fact(id)?;
            Some(MissingCount {
                fact: fact.name.clone(),
                label: fact.label.clone(),
                organisations: n,
            })
        })
        .collect();
    let overdue = tally
        .overdue
        .iter()
        .map(|o| OverdueView {
            row: o.row,
            id: o.id.clone(),
            name: o.name.clone(),
            rules: o
                .rules
                .iter()
                .filter_map(|r| rs.get_rule(*r).map(|r| r.name.clone()))
                .collect(),
        })
        .collect();
    SummaryView {
        schema_version: SCHEMA_VERSION,
        obligo_version: env!("CARGO_PKG_VERSION"),
        ruleset: RulesetView::of(rs),
        as_of: dates.as_of.to_string(),
        known_on: dates.known_on.to_string(),
        inputs: inputs
            .into_iter()
            .map(|(file, sha256)| InputView { file, sha256 })
            .collect(),
        rows: tally.organisations + tally.invalid,
        organisations: tally.organisations,
        invalid_rows: tally.invalid,
        stopped_at_invalid_row: stopped,
        verdicts: Verdicts {
            compliant: tally.with_verdict(Verdict::Compliant),
            undetermined: tally.with_verdict(Verdict::Undetermined),
            breach: tally.with_verdict(Verdict::Breach),
        },
        rules,
        most_missing,
        overdue_organisations: tally.overdue_total,
        overdue,
    }
}

/// The summary as JSON.
pub fn json(view: &SummaryView) -> String {
    super::json(view)
}

/// "1,234,567"
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` and the noun, singular or plural.
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// Text from the input, with control characters (which could move the
/// cursor or retitle a terminal) shown as `?`.
fn safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn who(o: &OverdueView) -> String {
    safe(&match (&o.id, &o.name) {
        (Some(id), Some(name)) => format!("{name} ({id})"),
        (Some(id), None) => id.clone(),
        (None, Some(name)) => name.clone(),
        (None, None) => format!("row {}", o.row),
    })
}

fn status_list(r: &RuleCounts) -> String {
    r.statuses
        .iter()
        .map(|c| format!("{} {}", thousands(c.organisations), c.status_words))
        .collect::<Vec<_>>()
        .join(", ")
}

fn headline(v: &SummaryView) -> Vec<String> {
    let mut lines = vec![format!(
        "{} judged by {} {} on {} (rules known on {})",
        count(v.organisations, "organisation", "organisations"),
        v.ruleset.name,
        v.ruleset.version,
        v.as_of,
        v.known_on
    )];
    lines.push(format!(
        "{} breach (a binding duty overdue), {} undetermined, {} compliant",
        thousands(v.verdicts.breach),
        thousands(v.verdicts.undetermined),
        thousands(v.verdicts.compliant)
    ));
    if v.invalid_rows > 0 {
        lines.push(format!(
            "{}, not judged: each has an error record in the output",
            count(v.invalid_rows, "invalid row", "invalid rows")
        ));
    }
    if v.stopped_at_invalid_row {
        lines.push(
            "stopped at the first invalid row (--fail-fast): later rows were not read".into(),
        );
    }
    lines
}

/// The summary as text, for the error stream: lines of at most 80
/// columns, most urgent first.
pub fn text(v: &SummaryView) -> String {
    let mut out = String::new();
    for line in headline(v) {
        wrapped(&mut out, &line, "");
    }
    if v.overdue_organisations > 0 {
        let _ = writeln!(
            out,
            "\nOrganisations with overdue binding duties ({}):",
            thousands(v.overdue_organisations)
        );
        for o in v.overdue.iter().take(OVERDUE_SHOWN) {
            wrapped(
                &mut out,
                &format!("  row {}: {}: {}", o.row, who(o), o.rules.join(", ")),
                "      ",
            );
        }
        let more = v
            .overdue_organisations
            .saturating_sub(OVERDUE_SHOWN.min(v.overdue.len()) as u64);
        if more > 0 {
            let _ = writeln!(out, "  and {} more (see the output)", thousands(more));
        }
    }
    let (live, gone): (Vec<&RuleCounts>, Vec<&RuleCounts>) = v
        .rules
        .iter()
        .filter(|r| !r.statuses.is_empty())
        .partition(|r| !r.out_of_time());
    for (binding, heading) in [
        (true, "Binding duties (they decide the verdict):"),
        (false, "Other rules (guidance, expectations, permissions):"),
    ] {
        let rules: Vec<&&RuleCounts> = live.iter().filter(|r| r.binding == binding).collect();
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{heading}");
        for r in rules {
            wrapped(
                &mut out,
                &format!("  {}{}: {}", r.rule, judged_for(r), status_list(r)),
                "      ",
            );
        }
    }
    if !gone.is_empty() {
        let names: Vec<&str> = gone.iter().map(|r| r.rule.as_str()).collect();
        let _ = writeln!(out, "\nEnded or not yet in force for every organisation:");
        wrapped(&mut out, &format!("  {}", names.join(", ")), "  ");
    }
    if !v.most_missing.is_empty() {
        let _ = writeln!(
            out,
            "\nFacts most often missing (organisations that need them):"
        );
        for m in &v.most_missing {
            wrapped(
                &mut out,
                &format!("  {}: {} ({})", m.fact, thousands(m.organisations), m.label),
                "      ",
            );
        }
    }
    let _ = writeln!(out, "\nJudged by:");
    for line in provenance(v, INPUTS_SHOWN) {
        wrapped(&mut out, &format!("  {line}"), "    ");
    }
    out
}

/// What judged, and what was judged: obligo's version, the ruleset and its
/// sha256, the dates, and each input's sha256 (the first `shown`).
fn provenance(v: &SummaryView, shown: usize) -> Vec<String> {
    let mut lines = vec![
        format!("obligo {}", v.obligo_version),
        format!(
            "ruleset {} version {}, published {}",
            v.ruleset.name, v.ruleset.version, v.ruleset.published
        ),
        format!("ruleset sha256 {}", v.ruleset.sha256),
        format!("as of {}, rules known on {}", v.as_of, v.known_on),
    ];
    for i in v.inputs.iter().take(shown) {
        let sha = i.sha256.as_deref().unwrap_or("none (not read to its end)");
        lines.push(format!("input {}: sha256 {sha}", safe(&i.file)));
    }
    if v.inputs.len() > shown {
        lines.push(format!(
            "and {} more inputs (the JSON summary, `--summary FILE.json`, names them all)",
            thousands((v.inputs.len() - shown) as u64)
        ));
    }
    lines
}

/// Appends `line` wrapped at 80 columns, later lines indented.
fn wrapped(out: &mut String, line: &str, indent: &str) {
    let options = textwrap::Options::new(80)
        .subsequent_indent(indent)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for part in textwrap::wrap(line, options) {
        out.push_str(&part);
        out.push('\n');
    }
}

impl RuleCounts {
    /// Ended or not yet in force for every organisation judged.
    fn out_of_time(&self) -> bool {
        !self.statuses.is_empty()
            && self
                .statuses
                .iter()
                .all(|c| matches!(c.status, Status::Ended | Status::NotInForce))
    }
}

/// The summary as Markdown, for a wiki page or an email.
pub fn markdown(v: &SummaryView) -> String {
    let mut out = String::from("# Batch summary\n\n");
    for line in headline(v) {
        let _ = writeln!(out, "- {line}");
    }
    if v.overdue_organisations > 0 {
        let _ = writeln!(
            out,
            "\n## Organisations with overdue binding duties ({})\n\n| row | organisation | overdue |\n|---|---|---|",
            thousands(v.overdue_organisations)
        );
        for o in v.overdue.iter().take(OVERDUE_SHOWN.max(100)) {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                o.row,
                cell(&who(o)),
                o.rules.join(", ")
            );
        }
        let listed = v.overdue.len().min(OVERDUE_SHOWN.max(100)) as u64;
        if v.overdue_organisations > listed {
            let _ = writeln!(
                out,
                "\nand {} more: the output lists them all.",
                thousands(v.overdue_organisations - listed)
            );
        }
    }
    out.push_str("\n## Rules\n\nBinding duties first (they decide the verdict); each rule's statuses in its own words, most urgent first.\n\n| rule | binding | organisations by status |\n|---|---|---|\n");
    for r in &v.rules {
        let statuses = if r.statuses.is_empty() {
            "none judged".to_string()
        } else {
            status_list(r)
        };
        let _ = writeln!(
            out,
            "| {}{} | {} | {} |",
            r.rule,
            cell(&judged_for(r)),
            if r.binding { "yes" } else { "no" },
            statuses
        );
    }
    if !v.most_missing.is_empty() {
        out.push_str("\n## Facts most often missing\n\n| fact | organisations | what it is |\n|---|---:|---|\n");
        for m in &v.most_missing {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                m.fact,
                thousands(m.organisations),
                cell(&m.label)
            );
        }
    }
    out.push_str("\n## Judged by\n\n");
    for line in provenance(v, INPUTS_SHOWN_MARKDOWN) {
        let _ = writeln!(out, "- {}", cell(&line));
    }
    out
}

/// ` (for each subject access request)` after a rule judged for each
/// item, whose counts are of its rolled-up statuses; else nothing.
fn judged_for(r: &RuleCounts) -> String {
    r.for_each_words
        .as_ref()
        .map_or_else(String::new, |w| format!(" (for {w})"))
}

/// Text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
