//! `obligo fmt`: one canonical layout for rule files.
//!
//! The grammar drops comments, so the AST cannot be printed back without
//! losing them. The formatter works on the text instead: it cuts it into
//! tokens exactly where the grammar does (`lex`), keeps every comment
//! beside the token it was written next to, and decides only the white space
//! between tokens (`layout`), from the keywords that open declarations and
//! clauses. Tokens themselves are never changed, added or dropped.
//!
//! As a guard, the result is parsed again: if it does not mean the same as
//! the input (spans aside, [`without_spans`]) or has lost a comment, the
//! file is left as it was and [`Error::Changed`] says so.

mod layout;
mod lex;
mod spanless;

pub use spanless::without_spans;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax::parse_file;

/// The widest a line of an expression or a list of citations may be before
/// it is broken (texts in quotes are never broken, so lines holding them can be wider).
pub const WIDTH: usize = 100;

/// Why a file was not formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// It does not parse: the located problems.
    Parse(Vec<Diagnostic>),
    /// The formatted text would not mean the same, or would lose a comment:
    /// a fault in the formatter, so the file is left alone.
    Changed,
}

/// The canonical layout of one rule file's text. `file` is the id its
/// diagnostics point into.
pub fn format(file: FileId, text: &str) -> Result<String, Error> {
    let before = parse_file(file, text).map_err(Error::Parse)?;
    let tokens = lex::lex(text);
    let out = layout::layout(&tokens);
    let after = parse_file(file, &out).map_err(|_| Error::Changed)?;
    let same = without_spans(after) == without_spans(before)
        && lex::comments(&lex::lex(&out)) == lex::comments(&tokens);
    if same { Ok(out) } else { Err(Error::Changed) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format(FileId(0), text).unwrap_or_else(|e| unreachable!("{text}\n{e:?}"))
    }

    #[test]
    fn a_rule_gets_the_house_layout() {
        let messy = "obligation   r \"Do it\" by a # who\n\
            version from 2023-01-01 published 2023-01-01 cites s, t at \"para 2\"\n\
            applies when x   and(y or z)  met when -x<2 unless q->met \"why\" cites s\n\
            # INFERRED: a guess\n  position b \"No\" cites s\n";
        assert_eq!(
            fmt(messy),
            "obligation r\n  \"Do it\"\n  by a # who\n  \
            version from 2023-01-01 published 2023-01-01\n    cites s, t at \"para 2\"\n    \
            applies when x and (y or z)\n    met when -x < 2\n    unless q -> met\n      \
            \"why\"\n      cites s\n  # INFERRED: a guess\n  position b\n    \"No\"\n    cites s\n"
        );
    }

    #[test]
    fn formatting_twice_changes_nothing() {
        let text = "authority a \"A\" binding\nauthority bb \"Bee\" advice # b\n\
            source s \"S\" by a published 2023-01-01 url \"u\"\n\n\n\n\
            fact x: one of A,B , optional \"X\" ask \"X?\"\n  # closes x\n# opens y\ndefine y=x";
        let once = fmt(text);
        assert_eq!(
            once,
            "authority a  \"A\"   binding\nauthority bb \"Bee\" advice # b\n\n\
            source s \"S\"\n  by a published 2023-01-01\n  url \"u\"\n\n\n\
            fact x: one of A, B, optional\n  \"X\"\n  ask \"X?\"\n  # closes x\n\n# opens y\ndefine y = x\n"
        );
        assert_eq!(fmt(&once), once);
    }

    #[test]
    fn long_expressions_break_before_their_weakest_operator() {
        let long = "a_long_fact_name_here";
        let text = format!(
            "define d = {long} and {long} or {long} and {long} and {long}\n\
            define e = if {long} then {long} else if {long} then {long} else {long}"
        );
        assert_eq!(
            fmt(&text),
            format!(
                "define d =\n  {long} and {long}\n  or {long} and {long} and {long}\n\n\
                define e =\n  if {long}\n  then {long}\n  else if {long} then {long} else {long}\n"
            )
        );
    }

    #[test]
    fn a_file_that_does_not_parse_is_an_error() {
        assert!(matches!(format(FileId(0), "fact x bool"), Err(Error::Parse(d)) if !d.is_empty()));
    }
}
