//! Syntax errors in words a policy lead can act on: what was expected, by
//! name rather than by grammar rule, and a hint for the common slips.

use super::Rule;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

pub(super) fn syntax_error(file: FileId, text: &str, e: &pest::error::Error<Rule>) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    // Point at the whole word found there, so the underline shows the text.
    let rest = text.get(start..).unwrap_or("");
    let word = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '-'))
        .map_or(rest.len(), |(i, _)| i);
    let word = if word == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        word
    };
    let word_end = start + word;
    let span = Span::new(file, start, word_end.max(end));
    let found = text.get(start..word_end).unwrap_or("").trim();
    let (expected, help) = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&str> = positives.iter().filter_map(|r| describe(*r)).collect();
            names.sort_unstable();
            names.dedup();
            (names, hint(positives, found, word_before(text, start)))
        }
        ErrorVariant::CustomError { .. } => (Vec::new(), None),
    };
    if found == "\"" {
        let d = Diagnostic::error(
            span,
            "this quoted text is not closed on its line",
            "opened here",
        );
        return d.with_help("end the text with a double quote (\") on the same line");
    }
    let message = match (expected.as_slice(), found.is_empty()) {
        ([], true) => "unexpected end of file".to_string(),
        ([], false) => format!("unexpected `{found}`"),
        (names, true) => format!("expected {} but the file ends here", join_or(names)),
        (names, false) => format!("expected {}, found `{found}`", join_or(names)),
    };
    let d = Diagnostic::error(span, message, "here");
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

fn join_or(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// What a grammar rule is called in an error message (`None`: not worth naming).
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of file",
        Rule::name | Rule::variant => "a name",
        Rule::string => "a quoted text",
        Rule::date => "a date (YYYY-MM-DD)",
        Rule::binding_force => "a binding force (binding, regulator-view, expectation, advice)",
        Rule::issuer => "an issuer (an authority name or a quoted text)",
        Rule::fact_type => "a fact type",
        Rule::kw_ruleset
        | Rule::kw_authority
        | Rule::kw_source
        | Rule::kw_fact
        | Rule::kw_define => "a declaration",
        Rule::rule_kind
        | Rule::kw_obligation
        | Rule::kw_prohibition
        | Rule::kw_recommendation
        | Rule::kw_permission => "a declaration",
        Rule::kw_version => "`version`",
        Rule::kw_published => "`published`",
        Rule::kw_by => "`by`",
        Rule::kw_from => "`from`",
        Rule::kw_until => "`until`",
        Rule::kw_ask => "`ask`",
        Rule::kw_when => "`when`",
        Rule::kw_on => "`on`",
        Rule::kw_cites => "`cites`",
        Rule::kw_of => "`of`",
        Rule::kw_url => "`url`",
        Rule::kw_at => "`at`",
        Rule::kw_then => "`then`",
        Rule::kw_else => "`else`",
        Rule::kw_set | Rule::kw_missing | Rule::kw_one => "`set`, `missing` or `one of`",
        Rule::applies_when
        | Rule::deadline
        | Rule::met_when
        | Rule::met_on
        | Rule::exception
        | Rule::cites
        | Rule::kw_applies
        | Rule::kw_deadline
        | Rule::kw_met
        | Rule::kw_unless => "a version clause",
        Rule::withdrawal
        | Rule::supersession
        | Rule::position
        | Rule::kw_withdrawn
        | Rule::kw_superseded
        | Rule::kw_position => "a rule clause",
        Rule::expr | Rule::primary => "an expression",
        Rule::exception_status => "a status (met, not_applicable or overdue)",
        Rule::infix
        | Rule::op_and
        | Rule::op_or
        | Rule::op_eq
        | Rule::op_ne
        | Rule::op_lt
        | Rule::op_le
        | Rule::op_gt
        | Rule::op_ge
        | Rule::op_add
        | Rule::op_sub
        | Rule::op_mul
        | Rule::op_div => "an operator",
        Rule::time_unit => "a time unit (days, weeks, months, years)",
        Rule::period_unit => "a period (week, month, quarter or year)",
        Rule::kw_due => "`due`",
        Rule::kw_organisation => "`organisation`",
        Rule::kw_heading => "`heading`",
        Rule::kw_id => "`id`",
        Rule::kw_it | Rule::kw_ends => "`it ends`",
        _ => return None,
    })
}

/// The word just before `at`, skipping white space: what the text expected
/// here follows.
fn word_before(text: &str, at: usize) -> &str {
    let before = text.get(..at).unwrap_or("").trim_end();
    let start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |i| i + 1);
    before.get(start..).unwrap_or("")
}

fn hint(expected: &[Rule], found: &str, before: &str) -> Option<String> {
    let keywords = [
        "ruleset",
        "authority",
        "source",
        "fact",
        "define",
        "obligation",
        "prohibition",
        "recommendation",
        "permission",
        "version",
        "cites",
        "applies",
        "deadline",
        "met",
        "unless",
        "withdrawn",
        "superseded",
        "position",
        "published",
        "from",
        "until",
    ];
    if let Some(s) = crate::diagnostic::did_you_mean(found, keywords)
        && !keywords.contains(&found)
    {
        return Some(s);
    }
    if expected.contains(&Rule::string) {
        return Some("texts are written in double quotes, like \"Answer within a month\"".into());
    }
    if expected.contains(&Rule::date) {
        return Some("dates are written as YYYY-MM-DD, like 2023-10-31".into());
    }
    if expected.contains(&Rule::period_unit) {
        return Some("a recurring deadline counts in calendar periods: `deadline every week`, `month`, `quarter` or `year`, then `from DATE, due 10 days after it ends`".into());
    }
    if expected.contains(&Rule::kw_ends) || expected.contains(&Rule::kw_it) {
        return Some(
            "a recurring deadline ends with when each period is due: `due 10 days after it ends`"
                .into(),
        );
    }
    if expected.contains(&Rule::binding_force) && before == "heading" {
        return Some("a heading names the binding force it titles (binding, regulator-view, expectation or advice), then the title in quotes, like: heading advice \"Professional advice\"".into());
    }
    if expected.contains(&Rule::binding_force) {
        return Some("an authority ends with how binding it is: binding, regulator-view, expectation or advice".into());
    }
    if expected.contains(&Rule::name)
        && found.chars().next().is_some_and(|c| c.is_ascii_lowercase())
    {
        return Some(format!(
            "`{found}` is a reserved word; choose another name, such as `{found}-rule`"
        ));
    }
    None
}
