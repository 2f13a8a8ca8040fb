//! What the fuzz targets share: the bundled ruleset (loaded once), fixed
//! dates, and the "use everything" helpers that push a loaded ruleset or a
//! set of facts through every renderer the command line has.
//!
//! Each target includes this with `mod common;` and may use only part of it.
#![allow(dead_code)]

use std::sync::OnceLock;

use chrono::NaiveDate;
use obligo::api::{self, Dates, Facts, Format, Plan, Ruleset};
use obligo::diagnostic::{Diagnostic, ErrorFormat, Style, render_all_as};
use obligo::report::{self, missing, rules_text, timeline as timeline_view};
use obligo::source::SourceMap;
use obligo::{history, ics, lint, timeline};

/// The bundled ruleset, loaded on first use. It is part of the library, so
/// it failing to load is a bug worth a crash report.
pub fn bundled() -> &'static Ruleset {
    static RULES: OnceLock<Ruleset> = OnceLock::new();
    RULES.get_or_init(|| match api::load_bundled() {
        Ok(rs) => rs,
        Err(e) => panic!("the bundled ruleset does not load: {e}"),
    })
}

/// A calendar day that exists.
pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The date every target judges on by default (the README's example date).
pub fn as_of() -> NaiveDate {
    day(2024, 6, 30)
}

/// Judged and known on the same day.
pub fn dates(on: NaiveDate) -> Dates {
    Dates {
        as_of: on,
        known_on: on,
    }
}

/// Renders problems in each of the three error formats, as the command line
/// would (`--error-format human|plain|json`).
pub fn render_problems(diagnostics: &[Diagnostic], sources: &SourceMap) {
    for format in [ErrorFormat::Human, ErrorFormat::Plain, ErrorFormat::Json] {
        let out = render_all_as(
            diagnostics,
            sources,
            Style {
                format,
                colour: false,
            },
        );
        std::hint::black_box(out);
    }
}

/// Shows an API error the ways a program embedding obligo could: its
/// message, and its located problems when it has them.
pub fn render_error(e: &api::Error) {
    std::hint::black_box(e.to_string());
    match e {
        api::Error::Rules(load) => {
            std::hint::black_box(load.render());
            render_problems(&load.diagnostics, &load.sources);
        }
        api::Error::Facts(problems) => {
            std::hint::black_box(problems.render());
            render_problems(&problems.diagnostics, &problems.sources);
        }
        _ => {}
    }
}

/// Everything the command line does with a ruleset alone: lint it (and
/// show the findings), list the rules in force and each rule's history.
pub fn use_ruleset(rs: &Ruleset, on: NaiveDate) {
    let found = lint::lint(rs);
    render_problems(&found, &rs.texts);
    let view = history::rules(rs, dates(on));
    std::hint::black_box(rules_text::render_rules(&view));
    std::hint::black_box(report::json(&view));
    for (id, _) in rs.rule_ids() {
        let view = history::history(rs, id, on);
        std::hint::black_box(rules_text::render_history(&view));
        std::hint::black_box(report::json(&view));
    }
    std::hint::black_box(missing::template(rs));
}

/// Everything the command line does with one organisation's facts on one
/// date: evaluate, verdict, the report in every format, each rule's
/// explanation (text and JSON), the missing-facts view, and the timeline
/// of a year around the date with its calendar.
pub fn use_facts(rs: &Ruleset, facts: &Facts, on: NaiveDate, formats: &[Format]) {
    let plan = Plan::new(rs, dates(on));
    let outcomes = plan.evaluate(facts);
    std::hint::black_box(plan.verdict(&outcomes).exit_code());
    let orgs = [facts.clone()];
    for &format in formats {
        std::hint::black_box(api::render(&plan, &orgs, format));
    }
    for rule in &rs.rules {
        for json in [false, true] {
            match api::explain(&plan, facts, &rule.name, json) {
                Ok(text) => {
                    std::hint::black_box(text);
                }
                Err(e) => panic!(
                    "rule `{}` of the ruleset is unknown to explain: {e}",
                    rule.name
                ),
            }
        }
    }
    let judged = vec![(facts.clone(), outcomes)];
    std::hint::black_box(missing::text(&missing::build(rs, dates(on), &judged)));
    let (from, to) = (
        on.checked_sub_days(chrono::Days::new(183)).unwrap_or(on),
        on.checked_add_days(chrono::Days::new(182)).unwrap_or(on),
    );
    let events = timeline::events(rs, facts, dates(on), from, to);
    let view = timeline_view::build(rs, dates(on), (from, to), &[(facts.clone(), events)]);
    std::hint::black_box(timeline_view::text(&view));
    std::hint::black_box(timeline_view::json(&view));
    // With a reminder, so the alarms are written too.
    let remind: Vec<ics::Reminder> = ics::Reminder::parse("7d").into_iter().collect();
    std::hint::black_box(ics::calendar(&view, &remind));
}

/// Every report format.
pub const ALL_FORMATS: [Format; 4] = [Format::Text, Format::Json, Format::Markdown, Format::Html];

/// The evaluations of `rs` with no facts on each of `days`, for comparing
/// two rulesets that should mean the same.
pub fn statuses(rs: &Ruleset, days: &[NaiveDate]) -> Vec<Vec<api::Outcome>> {
    days.iter()
        .map(|&on| Plan::new(rs, dates(on)).evaluate(&Facts::none()))
        .collect()
}
