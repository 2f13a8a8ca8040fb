//! A yes/no answer written `yes` or `no`. Facts files read YAML with strict
//! booleans, so that `no` is never silently `false` (nor `NO`, Norway's
//! code, in a text): a boolean fact is answered `true` or `false`, and an
//! answer written in words is refused with the word to write instead.

use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// What a yes/no word means: `yes` is `true`, `No` is `false`.
pub(crate) fn meant(written: &str) -> Option<bool> {
    const YES: [&str; 3] = ["yes", "y", "on"];
    const NO: [&str; 3] = ["no", "n", "off"];
    let w = written.trim();
    if YES.iter().any(|y| w.eq_ignore_ascii_case(y)) || w.eq_ignore_ascii_case("true") {
        Some(true)
    } else if NO.iter().any(|n| n.eq_ignore_ascii_case(w)) || w.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// "`fact` should be true or false: write `true` for `yes`", for a fact
/// answered with a yes/no word (or `True` in capitals).
pub(crate) fn refused(fact: &str, written: &str, meant: bool) -> Diagnostic {
    Diagnostic::error(
        Span::default(),
        format!("`{fact}` should be true or false: write `{meant}` for `{written}`"),
        format!("write {meant}"),
    )
    .with_help("answer a yes/no question with true for yes, false for no")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_and_no_in_any_case_mean_true_and_false() {
        for w in ["yes", "Yes", "YES", "y", "Y", "on", "True", "TRUE"] {
            assert_eq!(meant(w), Some(true), "{w}");
        }
        for w in ["no", "No", "NO", "n", "off", "False"] {
            assert_eq!(meant(w), Some(false), "{w}");
        }
        for w in ["maybe", "yes and no", "", "1"] {
            assert_eq!(meant(w), None, "{w}");
        }
    }
}
