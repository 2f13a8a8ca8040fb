//! Errors of the YAML reader (serde-saphyr) in our words, told apart by the
//! reader's error variants, not by the words of its messages.

use serde_saphyr::Error;

use super::location_span;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// The YAML problems whose help depends on the file being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum YamlProblem<'a> {
    /// A mapping gives the key `key` twice.
    DuplicateKey(&'a str),
    /// A mapping holds `field`, which is none of `expected`.
    UnknownField {
        /// The key found.
        field: &'a str,
        /// The keys that mapping may hold.
        expected: &'a [&'static str],
    },
    /// Anything else: bad syntax, a wrong type, a missing field.
    Other,
}

/// A YAML-level error of a facts file (syntax, duplicate key, unknown
/// section) as a diagnostic.
pub(super) fn yaml_error(file: FileId, text: &str, e: &Error) -> Diagnostic {
    yaml_diagnostic(file, text, e, |problem| {
        match problem {
            YamlProblem::DuplicateKey(_) => {
                "each key is given once (each fact, and each field of an item); remove one of the two lines"
            }
            YamlProblem::UnknownField { .. } => {
                "a facts file has three sections: `organisation:` (name, id, recorded), `facts:` and `items:`"
            }
            YamlProblem::Other => {
                "check the YAML layout: `facts:` then one `name: value` per line, indented by two spaces"
            }
        }
        .into()
    })
}

/// A YAML-level error as a diagnostic, located, with the help `help` gives
/// for its kind. A duplicate key reads "`key` is given twice"; a few other
/// problems are put in our words, with help of their own.
pub(crate) fn yaml_diagnostic(
    file: FileId,
    text: &str,
    e: &Error,
    help: impl Fn(&YamlProblem<'_>) -> String,
) -> Diagnostic {
    let located = |message: String| match e.location() {
        Some(loc) => Diagnostic::error(location_span(file, text, &loc), message, "here"),
        None => Diagnostic::bare(message),
    };
    let original = original(e);
    // The YAML reader's own words, put in ours.
    let plain: Option<(&str, &str)> = match original {
        Error::MultipleDocuments { .. } => Some((
            "the file holds more than one YAML document (a second `---`)",
            "a facts file holds one organisation: remove the `---` and what follows, or put each organisation in its own file",
        )),
        Error::Budget { .. } => Some((
            "the file is too large or too deeply nested to read safely",
            "a facts file holds one organisation's answers, one `name: value` per line",
        )),
        Error::NonFiniteFloat { .. } => Some((
            "`.inf` and `.nan` are not numbers obligo can use",
            "write a finite number, like 12.5",
        )),
        _ => None,
    };
    if let Some((message, h)) = plain {
        return located(message.to_string()).with_help(h);
    }
    let problem = match original {
        // Without the key (one that is not a plain scalar), the reader's
        // message is kept, as is the general help.
        Error::DuplicateMappingKey { key: Some(key), .. } => YamlProblem::DuplicateKey(key),
        // serde's `deny_unknown_fields` calls `de::Error::unknown_field`,
        // which serde-saphyr turns into this variant.
        Error::SerdeUnknownField {
            field, expected, ..
        } => YamlProblem::UnknownField { field, expected },
        _ => YamlProblem::Other,
    };
    let message = match problem {
        YamlProblem::DuplicateKey(key) => format!("`{}` is given twice", escaped(key)),
        _ => {
            let mut message = e.without_snippet().to_string();
            if let Some(cut) = message.find(" at line ") {
                message.truncate(cut);
            }
            message
        }
    };
    located(message).with_help(help(&problem))
}

/// User text with control characters escaped, as the reader's messages
/// show it (a key could otherwise move the terminal's cursor).
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// The error itself, without the snippet and alias wrappers around it (the
/// reader's message is that of the innermost error too).
fn original(mut e: &Error) -> &Error {
    loop {
        match e {
            Error::WithSnippet { error, .. } | Error::AliasError { error, .. } => e = error,
            _ => return e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    /// The diagnostic a facts text gives, rendered without colour.
    fn rendered(yaml: &str) -> String {
        let mut sources = SourceMap::default();
        let file = sources.add("f.yaml", yaml);
        let Err(e) = serde_saphyr::from_str_with_options::<super::super::raw::RawFile>(
            yaml,
            super::super::yaml_options(),
        ) else {
            return "no error".into();
        };
        yaml_error(file, yaml, &e).render(&sources)
    }

    #[test]
    fn a_breached_budget_is_said_in_our_words() {
        // Far more aliases than anchors: how an alias bomb starts.
        let aliases: String = (0..200).map(|i| format!("  b{i}: *x\n")).collect();
        let yaml = format!("facts:\n  a: &x 1\n{aliases}");
        let out = rendered(&yaml);
        assert!(
            out.contains("the file is too large or too deeply nested to read safely"),
            "{out}"
        );
        assert!(out.contains("one `name: value` per line"), "{out}");
    }

    #[test]
    fn a_key_given_twice_is_named_whole_and_escaped() {
        let out = rendered("facts:\n  a: 1\n  a: 2\n");
        assert!(out.contains("`a` is given twice"), "{out}");
        assert!(out.contains("each key is given once"), "{out}");
        let out = rendered("facts:\n  \"a, b\\e\": 1\n  \"a, b\\e\": 2\n");
        assert!(out.contains("`a, b\\u{1b}` is given twice"), "{out}");
    }
}
