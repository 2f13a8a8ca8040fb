//! Facts and item fields whose `ask` is not a question the organisation can
//! answer, or tells it to write an answer the facts reader refuses.
//!
//! A question may be followed by guidance on how to answer ("… switched on?
//! Write null if not yet."), so the test is that the text holds a question
//! mark, not that it ends with one. The guidance must agree with the
//! reader: a yes/no fact is written `true` or `false` (`yes` is refused),
//! and "has not happened" is `null` (a blank answer is refused).

use super::{Check, Findings};
use crate::model::{Fact, Owner, Ruleset};
use crate::source::Span;
use crate::value::Type;

/// Guidance that tells to answer a yes/no fact in words the reader refuses.
const YES_NO: [&str; 8] = [
    "answer yes",
    "answer no",
    "say yes",
    "say no",
    "write yes",
    "write no",
    "yes or no",
    "yes/no",
];

/// Guidance that tells to leave an answer blank.
const LEAVE_EMPTY: [&str; 6] = [
    "leave empty",
    "leave blank",
    "leave it empty",
    "leave it blank",
    "leave this empty",
    "leave this blank",
];

pub(super) fn check(ruleset: &Ruleset, found: &mut Findings) {
    for fact in &ruleset.facts {
        // A list's `ask` asks for the list ("List every request …"), not a value.
        let what = match fact.owner {
            Owner::Organisation => "fact",
            Owner::Field(..) => "field",
            Owner::List(_) => continue,
        };
        let ask = fact.question.trim();
        if ask.is_empty() || !ask.contains('?') {
            let (message, label) = if ask.is_empty() {
                ("has an empty question", "empty")
            } else {
                ("is asked without a question", "not a question: no `?`")
            };
            found.add(
                Check::NoQuestion,
                fact.question_span,
                format!("{what} `{}` {message}", fact.name),
                label,
                "write the question to ask when this fact is missing, as a question ending in \
                 `?`, such as \"On what date was access switched on?\"; guidance on how to \
                 answer may follow it",
            );
            continue;
        }
        if fact.ty == Type::Bool
            && let Some(at) = phrase(found, fact, &YES_NO)
        {
            found.add(
                Check::YesNoAnswer,
                at,
                format!(
                    "{what} `{}` is answered true or false, but its question says to answer in words",
                    fact.name
                ),
                "a facts file refuses `yes` and `no`",
                "say how the answer is written, such as \"Answer true if there are none.\": a \
                 yes/no question is answered true (yes) or false (no)",
            );
        }
        if let Some(at) = phrase(found, fact, &LEAVE_EMPTY) {
            let help = if fact.optional {
                "say \"Write null if …\": null says it has not happened, and a line left out \
                 says it is not known"
            } else {
                "say what to write instead, or make the fact `optional` and say \"Write null \
                 if …\"; a line left out says it is not known"
            };
            found.add(
                Check::LeaveEmpty,
                at,
                format!(
                    "{what} `{}` asks for a blank answer, which a facts file refuses",
                    fact.name
                ),
                "a blank answer is refused",
                help,
            );
        }
    }
}

/// Where the question's text says one of `phrases` (in any case), as
/// written in the rule file.
fn phrase(found: &Findings<'_>, fact: &Fact, phrases: &[&str]) -> Option<Span> {
    let written = found.texts.slice(fact.question_span).to_ascii_lowercase();
    let (at, len) = phrases
        .iter()
        .filter_map(|p| written.find(p).map(|i| (i, p.len())))
        .min()?;
    let start = fact.question_span.start as usize + at;
    Some(Span::new(fact.question_span.file, start, start + len))
}
