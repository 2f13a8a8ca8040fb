//! Publication dates out of order. What `--known-on` sees depends on them:
//! a version citing a source published after it was known before its
//! source existed, and a ruleset cannot hold what was published after it.
//!
//! Positions have no publication date of their own (they are known from
//! their earliest source), so only versions, their exceptions and endings
//! are compared with what they cite.

use chrono::NaiveDate;

use super::{Check, Findings};
use crate::model::{Citation, EndKind, Ruleset};
use crate::source::Span;

pub(super) fn check(ruleset: &Ruleset, found: &mut Findings) {
    let header = ruleset.published;
    let mut after_header = |what: String, date: NaiveDate, span: Span| {
        if date > header {
            found.add(
                Check::PublishedAfterRuleset,
                span,
                format!("{what} is published after the ruleset itself"),
                format!("{date}, after the ruleset's {header}"),
                format!(
                    "check this date; if it is right, publish the ruleset again with a header \
                     dated {date} or later"
                ),
            );
        }
    };
    for source in &ruleset.sources {
        after_header(
            format!("source `{}`", source.name),
            source.published,
            source.published_span,
        );
    }
    for rule in &ruleset.rules {
        for version in &rule.versions {
            after_header(
                format!("a version of `{}`", rule.name),
                version.published,
                version.published_span,
            );
        }
        if let Some(ending) = &rule.ending {
            after_header(
                ending_name(ruleset, &rule.name, &ending.kind),
                ending.published,
                ending.published_span,
            );
        }
    }
    for rule in &ruleset.rules {
        for version in &rule.versions {
            let name = format!("a version of `{}`", rule.name);
            let citations = version
                .citations
                .iter()
                .chain(version.exceptions.iter().flat_map(|e| &e.citations));
            cites_later(
                ruleset,
                (&name, "the version"),
                version.published,
                citations,
                found,
            );
        }
        if let Some(ending) = &rule.ending {
            let name = ending_name(ruleset, &rule.name, &ending.kind);
            cites_later(
                ruleset,
                (&name, "the ending"),
                ending.published,
                &ending.citations,
                found,
            );
        }
    }
}

/// Citations of sources published after `published`, the citer's own date.
fn cites_later<'a>(
    ruleset: &Ruleset,
    (citer, what): (&str, &str),
    published: NaiveDate,
    citations: impl IntoIterator<Item = &'a Citation>,
    found: &mut Findings,
) {
    for citation in citations {
        let source = ruleset.source(citation.source);
        if source.published <= published {
            continue;
        }
        found.add(
            Check::CitesLaterSource,
            citation.span,
            format!("{citer} cites a source published after it"),
            format!("published {}, after {what} ({published})", source.published),
            format!(
                "what is cited must already be published: check both dates, or cite a source \
                 published by {published}"
            ),
        );
    }
}

/// How a finding names a rule's ending.
fn ending_name(ruleset: &Ruleset, rule: &str, kind: &EndKind) -> String {
    match kind {
        EndKind::Withdrawn(_) => format!("the withdrawal of `{rule}`"),
        EndKind::Superseded(by) => format!(
            "the supersession of `{rule}` by `{}`",
            ruleset.rule(*by).name
        ),
    }
}
