//! `obligo missing`: the questions to answer, most useful first, and a
//! facts-file template with every question, for a new organisation.

use std::fmt::Write as _;

use serde::Serialize;

use super::view::RulesetView;

/// The version of the `missing` JSON shape. Raise it when a field changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 1;
use crate::eval::{Dates, Outcome, Status};
use crate::facts::Facts;
use crate::model::{Fact, FactId, Ruleset};
use crate::value::Type;

/// A whole `missing` run.
#[derive(Debug, Clone, Serialize)]
pub struct MissingView {
    pub schema_version: u32,
    pub ruleset: RulesetView,
    pub as_of: String,
    pub known_on: String,
    pub organisations: Vec<OrganisationQuestions>,
}

/// One facts file's open questions.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationQuestions {
    pub facts_file: String,
    pub name: Option<String>,
    /// Rules left unknown.
    pub undecided: usize,
    /// Most useful first: by how many undecided rules need the fact.
    pub questions: Vec<Question>,
}

/// One fact to give.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub fact: String,
    pub label: String,
    pub question: String,
    /// How to write the answer in the facts file.
    pub answer: String,
    /// The undecided rules that need it.
    pub rules: Vec<String>,
}

/// Builds the questions of each organisation.
pub fn build(rs: &Ruleset, dates: Dates, orgs: &[(Facts, Vec<Outcome>)]) -> MissingView {
    MissingView {
        schema_version: SCHEMA_VERSION,
        ruleset: RulesetView::of(rs),
        as_of: dates.as_of.to_string(),
        known_on: dates.known_on.to_string(),
        organisations: orgs
            .iter()
            .map(|(facts, results)| questions(rs, facts, results))
            .collect(),
    }
}

fn questions(rs: &Ruleset, facts: &Facts, results: &[Outcome]) -> OrganisationQuestions {
    let undecided: Vec<&Outcome> = results
        .iter()
        .filter(|r| r.status == Status::Unknown)
        .collect();
    let mut needed: Vec<(FactId, Vec<String>)> = Vec::new();
    for r in &undecided {
        for f in &r.missing {
            let rule = rs.rule(r.rule).name.clone();
            match needed.iter_mut().find(|(id, _)| id == f) {
                Some((_, rules)) => rules.push(rule),
                None => needed.push((*f, vec![rule])),
            }
        }
    }
    // Most rules first; then in the order the ruleset declares the facts.
    needed.sort_by(|(a, ra), (b, rb)| rb.len().cmp(&ra.len()).then(a.cmp(b)));
    OrganisationQuestions {
        facts_file: facts.file.clone(),
        name: facts.name.clone(),
        undecided: undecided.len(),
        questions: needed
            .into_iter()
            .map(|(id, mut rules)| {
                rules.sort();
                let fact = rs.fact(id);
                Question {
                    fact: fact.name.clone(),
                    label: fact.label.clone(),
                    question: fact.question.clone(),
                    answer: answer_format(fact),
                    rules,
                }
            })
            .collect(),
    }
}

/// How to write a fact's answer, in words.
pub fn answer_format(fact: &Fact) -> String {
    let base = match fact.ty {
        Type::Bool => "true or false".to_string(),
        Type::Count => "a whole number".to_string(),
        Type::Number => "a number".to_string(),
        Type::Percent => "a percentage, without the % sign, like 12.5".to_string(),
        Type::Date => "a date, YYYY-MM-DD".to_string(),
        Type::DateTime => "a date and UK time, YYYY-MM-DDTHH:MM".to_string(),
        Type::Month => "a month, YYYY-MM".to_string(),
        Type::Text => "text".to_string(),
        Type::Enum(_) => format!("one of: {}", fact.variants.join(", ")),
        Type::Duration => "a length of time".to_string(),
    };
    if fact.optional {
        format!("{base}; or null if it has not happened")
    } else {
        base
    }
}

/// Renders the checklist for people.
pub fn text(view: &MissingView) -> String {
    let mut out = String::new();
    for org in &view.organisations {
        let who = org.name.as_deref().unwrap_or(&org.facts_file);
        let _ = writeln!(out, "{who} ({})", org.facts_file);
        if org.questions.is_empty() {
            let _ = writeln!(
                out,
                "every rule could be decided as of {}, by the rules known on {}: nothing to answer\n",
                view.as_of, view.known_on
            );
            continue;
        }
        let rules = if org.undecided == 1 { "rule" } else { "rules" };
        let _ = writeln!(
            out,
            "{} {rules} could not be decided as of {}, by the rules known on {}.",
            org.undecided, view.as_of, view.known_on
        );
        let _ = writeln!(
            out,
            "Add these answers to the facts file, most useful first:\n"
        );
        for (i, q) in org.questions.iter().enumerate() {
            let _ = writeln!(out, "[ ] {}. {}", i + 1, q.question);
            let _ = writeln!(out, "       {}: {}", q.fact, q.answer);
            let n = q.rules.len();
            let _ = writeln!(
                out,
                "       needed by {n} undecided {}: {}",
                if n == 1 { "rule" } else { "rules" },
                q.rules.join(", ")
            );
        }
        out.push('\n');
    }
    out
}

/// A facts file with every fact left blank under its question.
pub fn template(rs: &Ruleset) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Facts for \"{}\"", rs.title);
    let _ = writeln!(
        out,
        "# (ruleset {} version {}, published {}).",
        rs.name, rs.version, rs.published
    );
    out.push_str(
        "#\n# Write each answer after the colon on the line under its question.\n\
         # If you do not know an answer, delete that line: a fact left out is\n\
         # unknown, never \"no\", and the rules that need it say so. A blank\n\
         # answer is refused, so that nothing is left out by accident. Write\n\
         # null only where the question allows it, for something that has not\n\
         # happened.\n\norganisation:\n  name:       # the organisation's name\n  \
         id:         # its code (for a GP practice, the ODS code)\n  \
         recorded:   # the date these answers were given, YYYY-MM-DD\n\nfacts:\n",
    );
    for (i, f) in rs.facts.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for line in wrap(&f.question, 74) {
            let _ = writeln!(out, "  # {line}");
        }
        let _ = writeln!(out, "  # ({})", answer_format(f));
        let _ = writeln!(out, "  {}:", f.name);
    }
    out
}

/// Splits text into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
