//! Facts and item fields whose `ask` is not a question a practice can answer.
//!
//! A question may be followed by guidance on how to answer ("… switched on?
//! Leave empty (null) if not yet."), so the test is that the text holds a
//! question mark, not that it ends with one.

use super::{Check, Findings};
use crate::model::{Owner, Ruleset};

pub(super) fn check(ruleset: &Ruleset, found: &mut Findings) {
    for fact in &ruleset.facts {
        // A list's `ask` asks for the list ("List every request …"), not a value.
        let what = match fact.owner {
            Owner::Organisation => "fact",
            Owner::Field(..) => "field",
            Owner::List(_) => continue,
        };
        let ask = fact.question.trim();
        let (message, label) = if ask.is_empty() {
            ("has an empty question", "empty")
        } else if !ask.contains('?') {
            ("is asked without a question", "not a question: no `?`")
        } else {
            continue;
        };
        found.add(
            Check::NoQuestion,
            fact.question_span,
            format!("{what} `{}` {message}", fact.name),
            label,
            "write what a practice is asked when this fact is missing, as a question ending in \
             `?`, such as \"On what date was access switched on?\"; guidance on how to answer \
             may follow it",
        );
    }
}
