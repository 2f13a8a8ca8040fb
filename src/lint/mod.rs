//! `obligo lint`: checks on a ruleset that loads, for what is legal but
//! likely wrong. Each finding is a warning located in the rule files, with a
//! short code (shown in brackets before its message) and a help line saying
//! how to fix it.
//!
//! The checks, by group: `usage` (facts, definitions and sources declared
//! and never used), `items` (item kinds and fields never used, aggregates
//! computed again for each item), `questions` (facts whose `ask` is not a
//! question, or says to answer `yes` or to leave a blank),
//! `history` (gaps between versions, rules that just run out),
//! `deadlines` (constant deadlines outside their version's window),
//! `conditions` (conditions that depend on nothing), `positions` (a rule's
//! own authority given as another view) and `publication` (dates of
//! publication out of order). docs/lint.md describes each for policy leads.

mod conditions;
mod deadlines;
mod history;
mod items;
mod positions;
mod publication;
mod questions;
mod usage;

use std::fmt;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Expr, Ruleset, Version};
use crate::source::{SourceMap, Span};

/// A kind of finding, named by a short code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    /// A fact no rule reads, directly or through a definition a rule uses.
    UnusedFact,
    /// A definition no rule uses, directly or through another definition.
    UnusedDefinition,
    /// A source nothing cites.
    UncitedSource,
    /// A kind of item no rule is judged for each of and no aggregate counts.
    UnusedKind,
    /// A field of an item kind that no expression reads.
    UnreadField,
    /// An aggregate in a `for each` rule that reads the item judged (items × items).
    AggregatePerItem,
    /// A fact whose `ask` is empty or holds no question mark.
    NoQuestion,
    /// A yes/no fact whose question says to answer `yes` or `no`.
    YesNoAnswer,
    /// A fact whose question says to leave the answer blank.
    LeaveEmpty,
    /// A version that ends more than a day before the next one starts.
    VersionGap,
    /// A rule whose last version ends, with no withdrawal or supersession.
    RuleRunsOut,
    /// A constant deadline whose every value is outside its version's window.
    DeadlineOutsideWindow,
    /// An `applies when`, `met when` or `unless` that depends on no fact.
    ConstantCondition,
    /// A position by the rule's own authority.
    OwnPosition,
    /// A citation of a source published after what cites it.
    CitesLaterSource,
    /// A source, version or ending published after the ruleset itself.
    PublishedAfterRuleset,
}

impl Check {
    /// Every check, in the order docs/lint.md lists them.
    pub const ALL: [Check; 16] = [
        Check::UnusedFact,
        Check::UnusedDefinition,
        Check::UncitedSource,
        Check::UnusedKind,
        Check::UnreadField,
        Check::AggregatePerItem,
        Check::NoQuestion,
        Check::YesNoAnswer,
        Check::LeaveEmpty,
        Check::VersionGap,
        Check::RuleRunsOut,
        Check::DeadlineOutsideWindow,
        Check::ConstantCondition,
        Check::OwnPosition,
        Check::CitesLaterSource,
        Check::PublishedAfterRuleset,
    ];

    /// The short code of its findings ([`Diagnostic::code`]), shown in
    /// brackets before each finding's message.
    pub fn code(self) -> &'static str {
        match self {
            Check::UnusedFact => "unused-fact",
            Check::UnusedDefinition => "unused-definition",
            Check::UncitedSource => "uncited-source",
            Check::UnusedKind => "unused-kind",
            Check::UnreadField => "unread-field",
            Check::AggregatePerItem => "aggregate-per-item",
            Check::NoQuestion => "no-question",
            Check::YesNoAnswer => "yes-no-answer",
            Check::LeaveEmpty => "leave-empty",
            Check::VersionGap => "version-gap",
            Check::RuleRunsOut => "rule-runs-out",
            Check::DeadlineOutsideWindow => "deadline-outside-window",
            Check::ConstantCondition => "constant-condition",
            Check::OwnPosition => "own-position",
            Check::CitesLaterSource => "cites-later-source",
            Check::PublishedAfterRuleset => "published-after-ruleset",
        }
    }
}

/// Runs every check on a loaded ruleset. Findings are warnings, sorted by
/// file and place, so the same ruleset always gives the same output.
pub fn lint(ruleset: &Ruleset) -> Vec<Diagnostic> {
    let mut found = Findings {
        texts: &ruleset.texts,
        found: Vec::new(),
    };
    usage::check(ruleset, &mut found);
    items::check(ruleset, &mut found);
    questions::check(ruleset, &mut found);
    history::check(ruleset, &mut found);
    deadlines::check(ruleset, &mut found);
    conditions::check(ruleset, &mut found);
    positions::check(ruleset, &mut found);
    publication::check(ruleset, &mut found);
    let mut out = found.found;
    // The same order as sorting by the shown "[code] message": no code is
    // the start of another (a test below says so).
    out.sort_by(|a, b| (a.span, a.code, &a.message).cmp(&(b.span, b.code, &b.message)));
    out
}

/// The findings collected so far, and the texts they point into.
struct Findings<'a> {
    texts: &'a SourceMap,
    found: Vec<Diagnostic>,
}

impl Findings<'_> {
    /// Adds a warning at `span`, with the check's code.
    fn add(
        &mut self,
        check: Check,
        span: Span,
        message: impl fmt::Display,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let span = without_trailing(self.texts, span);
        let mut d = Diagnostic::error(span, message.to_string(), label)
            .with_code(check.code())
            .with_help(help);
        d.severity = Severity::Warning;
        self.found.push(d);
    }
}

/// A span without the white space and comments after its text.
fn without_trailing(texts: &SourceMap, span: Span) -> Span {
    let kept = crate::source::written_len(texts.slice(span));
    if kept == 0 {
        return span;
    }
    let start = span.start as usize;
    Span::new(span.file, start, start + kept)
}

/// Every expression a version holds: its conditions, deadline and dates.
fn version_exprs(v: &Version) -> impl Iterator<Item = &Expr> {
    v.applies_when
        .iter()
        .chain(&v.deadline)
        .chain(v.every.as_ref().map(|r| &r.from))
        .chain(std::iter::once(&v.met_when))
        .chain(&v.met_on)
        .chain(v.exceptions.iter().map(|e| &e.condition))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trimmed(text: &str) -> String {
        let mut texts = SourceMap::default();
        let file = texts.add("t.obl", text);
        let span = without_trailing(&texts, Span::new(file, 0, text.len()));
        texts.slice(span).to_string()
    }

    #[test]
    fn no_code_is_the_start_of_another() {
        for a in Check::ALL {
            for b in Check::ALL {
                assert!(a == b || !b.code().starts_with(a.code()), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn trailing_space_and_comments_are_not_underlined() {
        assert_eq!(
            trimmed("if a then 2023-01-01 else 2023-02-01\n    "),
            "if a then 2023-01-01 else 2023-02-01"
        );
        assert_eq!(trimmed("2023-10-31 # INFERRED\n  # more\n  "), "2023-10-31");
        assert_eq!(trimmed("x = \"a # b\"  # note"), "x = \"a # b\"");
        assert_eq!(trimmed("x = \"a \\\" # b\""), "x = \"a \\\" # b\"");
        assert_eq!(trimmed("# only a comment"), "# only a comment");
    }
}
