//! Fitting the text report to a terminal: wrapping long lines under their
//! own indentation, and colouring the status tags. Used only when output
//! goes to a terminal, so files and pipes get plain, unwrapped lines.

use crate::eval::Status;

/// How the text report is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    /// Wrap lines longer than this many characters (`None`: do not wrap).
    pub width: Option<usize>,
    /// Colour the status tags.
    pub colour: bool,
}

/// Applies the layout to a rendered text report.
pub fn apply(text: &str, layout: Layout) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let wrapped = match layout.width {
            Some(w) => wrap(body, w),
            None => vec![body.to_string()],
        };
        let last = wrapped.len().saturating_sub(1);
        for (i, part) in wrapped.iter().enumerate() {
            out.push_str(&if layout.colour {
                colour(part)
            } else {
                part.clone()
            });
            out.push_str(if i == last { end } else { "\n" });
        }
    }
    out
}

/// Breaks a line at spaces so no part is wider than `width`; continuation
/// lines keep the line's indentation plus two spaces. A word longer than
/// the width stays whole.
fn wrap(line: &str, width: usize) -> Vec<String> {
    if line.chars().count() <= width {
        return vec![line.to_string()];
    }
    let indent = line.len() - line.trim_start().len();
    let pad = " ".repeat((indent + 2).min(width / 2));
    let mut parts = Vec::new();
    let mut current = line.get(..indent).unwrap_or("").to_string();
    let mut empty = true;
    for word in line.split_whitespace() {
        let len = current.chars().count();
        if !empty && len + 1 + word.chars().count() > width {
            parts.push(std::mem::replace(&mut current, pad.clone()));
            empty = true;
        }
        if !empty {
            current.push(' ');
        }
        current.push_str(word);
        empty = false;
    }
    parts.push(current);
    parts
}

/// Colours a status tag at the start of a line: `[OVERDUE] rule`, or of
/// an indented item line: `      [OVERDUE] S-2: due …`.
fn colour(line: &str) -> String {
    let body = line.trim_start();
    let indent = line.get(..line.len() - body.len()).unwrap_or("");
    let Some(rest) = body.strip_prefix('[') else {
        return line.to_string();
    };
    let Some(end) = rest.find(']') else {
        return line.to_string();
    };
    let (tag, tail) = rest.split_at(end);
    let code = match tag.to_lowercase().as_str() {
        "met" | "respected" | "followed" | "available" => "32",
        "met late" | "respected late" | "followed late" | "available late" => "33",
        "pending" => "34",
        "overdue" | "breached" | "not followed" | "not available" => "1;31",
        "unknown" => "35",
        // An indented line is coloured only for a status it names.
        _ if !indent.is_empty() => return line.to_string(),
        _ => "2",
    };
    format!(
        "{indent}\u{1b}[{code}m[{tag}]\u{1b}[0m{}",
        tail.strip_prefix(']').unwrap_or(tail)
    )
}

/// Hides the results `--only unmet` leaves out: met, met late and not applicable.
pub fn is_unmet(status: Status) -> bool {
    !matches!(
        status,
        Status::Met | Status::MetLate | Status::NotApplicable
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_under_their_indentation() {
        let text = "    why: this is a long line of words that goes on\n";
        let out = apply(
            text,
            Layout {
                width: Some(20),
                colour: false,
            },
        );
        assert_eq!(
            out,
            "    why: this is a\n      long line of\n      words that\n      goes on\n"
        );
    }

    #[test]
    fn short_lines_and_long_words_are_left_alone() {
        let text = "ok\n  https://example.org/a/very/long/address/indeed\n";
        assert_eq!(
            apply(
                text,
                Layout {
                    width: Some(20),
                    colour: false
                }
            ),
            text
        );
    }

    #[test]
    fn status_tags_are_coloured_only_when_asked() {
        let text = "[OVERDUE] rule\n";
        assert_eq!(apply(text, Layout::default()), text);
        assert_eq!(
            apply(
                text,
                Layout {
                    width: None,
                    colour: true
                }
            ),
            "\u{1b}[1;31m[OVERDUE]\u{1b}[0m rule\n"
        );
    }

    #[test]
    fn an_item_line_is_coloured_by_its_status_under_its_indentation() {
        let colour = Layout {
            width: None,
            colour: true,
        };
        assert_eq!(
            apply("      [OVERDUE] S-2: due 2024-04-01\n", colour),
            "      \u{1b}[1;31m[OVERDUE]\u{1b}[0m S-2: due 2024-04-01\n"
        );
        // Indented text in brackets that names no status is left alone.
        let other = "        [facts line 4]\n";
        assert_eq!(apply(other, colour), other);
    }
}
