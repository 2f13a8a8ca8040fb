//! The formatter's view of a rule file: tokens, and the comments and blank
//! lines between them. Only white space between tokens is ever changed, so
//! tokens are cut exactly where the grammar cuts them.

/// What a token is, as far as layout cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A keyword, a name or a field of an item: `met`, `switched_on`,
    /// `regulator-view`, `sar.received`.
    Word,
    /// A number, date, date and time, month or percentage: `28`, `2023-10-31`, `50%`.
    Number,
    /// A quoted text, quotes included.
    Text,
    /// Punctuation and operators: `(`, `,`, `:`, `<=`, `->`.
    Punct,
    /// A character the language does not use (only in files that do not parse).
    Other,
}

/// A comment on a line of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment<'a> {
    /// From `#` to the end of the line, trailing white space removed.
    pub text: &'a str,
    /// Blank lines written just before it.
    pub blank_before: usize,
    /// Whether it was written indented rather than in the first column.
    pub indented: bool,
}

/// One token, with the comments and blank lines around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    /// Comment lines written before it, since the token before.
    pub comments: Vec<Comment<'a>>,
    /// Blank lines written just before it (after its comments, if any).
    pub blank_before: usize,
    /// A comment at the end of its line, after it.
    pub trailing: Option<&'a str>,
}

impl Token<'_> {
    /// Whether this is the word `w`.
    pub fn is(&self, w: &str) -> bool {
        self.kind == Kind::Word && self.text == w
    }

    /// Whether this is the punctuation `p`.
    pub fn is_punct(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }
}

/// A file cut into tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lexed<'a> {
    pub tokens: Vec<Token<'a>>,
    /// Comment lines after the last token.
    pub end_comments: Vec<Comment<'a>>,
}

/// Operators of two characters; every other punctuation mark is one character.
const PAIRS: [&str; 4] = ["->", "<=", ">=", "!="];

/// Cuts a text into tokens. Total: any text gives some tokens.
pub fn lex(text: &str) -> Lexed<'_> {
    let mut out = Lexed::default();
    let mut pending: Vec<Comment<'_>> = Vec::new();
    // Line breaks since the last token or comment, and whether the current
    // line has only had white space so far in its first column.
    let mut newlines = 0usize;
    let mut first_column = true;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = match c {
            ' ' | '\t' => {
                first_column = false;
                1
            }
            '\n' | '\r' => {
                newlines += 1;
                first_column = true;
                if rest.starts_with("\r\n") { 2 } else { 1 }
            }
            '#' => {
                let len = rest.find(['\n', '\r']).unwrap_or(rest.len());
                let body = rest.get(..len).unwrap_or(rest).trim_end();
                match out.tokens.last_mut() {
                    Some(last) if newlines == 0 => last.trailing = Some(body),
                    _ => pending.push(Comment {
                        text: body,
                        blank_before: newlines.saturating_sub(1),
                        indented: !first_column,
                    }),
                }
                newlines = 0;
                len
            }
            _ => {
                let (kind, len) = token(rest, c);
                out.tokens.push(Token {
                    kind,
                    text: rest.get(..len).unwrap_or(rest),
                    comments: std::mem::take(&mut pending),
                    blank_before: newlines.saturating_sub(1),
                    trailing: None,
                });
                newlines = 0;
                first_column = false;
                len
            }
        };
        rest = rest.get(len..).unwrap_or("");
    }
    out.end_comments = pending;
    out
}

/// The kind and byte length of the token at the start of `rest`, which starts with `c`.
fn token(rest: &str, c: char) -> (Kind, usize) {
    if c == '"' {
        return (Kind::Text, text_len(rest));
    }
    if c.is_ascii_alphabetic() {
        return (Kind::Word, word_len(rest, false));
    }
    if c.is_ascii_digit() {
        let len = word_len(rest, true);
        let percent = rest.get(len..).is_some_and(|r| r.starts_with('%'));
        return (Kind::Number, len + usize::from(percent));
    }
    if let Some(pair) = PAIRS.iter().find(|p| rest.starts_with(**p)) {
        return (Kind::Punct, pair.len());
    }
    if "(),:=<>+-*/%".contains(c) {
        return (Kind::Punct, 1);
    }
    (Kind::Other, c.len_utf8())
}

/// A name (letters, digits, `_`, and `-` between them), with a `.` before
/// a letter (a field read as `sar.received` is one token, as in the
/// grammar), or with `number` also `.` and `:`, which dates, times and
/// decimals hold.
fn word_len(rest: &str, number: bool) -> usize {
    let bytes = rest.as_bytes();
    let mut len = 0;
    while let Some(&b) = bytes.get(len) {
        let next_alnum = bytes.get(len + 1).is_some_and(u8::is_ascii_alphanumeric);
        let next_alpha = bytes.get(len + 1).is_some_and(u8::is_ascii_alphabetic);
        let part = b.is_ascii_alphanumeric()
            || b == b'_'
            || (b == b'-' && next_alnum)
            || (b == b'.' && (number || (next_alpha && len > 0)))
            || (number && b == b':');
        if !part {
            break;
        }
        len += 1;
    }
    len
}

/// A quoted text up to its closing quote, or to the end of the line if it is not closed.
fn text_len(rest: &str) -> usize {
    let mut escaped = false;
    for (i, c) in rest.char_indices().skip(1) {
        match c {
            '\n' | '\r' => return i,
            '"' if !escaped => return i + 1,
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
    }
    rest.len()
}

/// Every comment's text, in order.
pub fn comments<'a>(lexed: &Lexed<'a>) -> Vec<&'a str> {
    let mut out = Vec::new();
    for t in &lexed.tokens {
        out.extend(t.comments.iter().map(|c| c.text));
        out.extend(t.trailing);
    }
    out.extend(lexed.end_comments.iter().map(|c| c.text));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        lex(s).tokens.iter().map(|t| t.text).collect()
    }

    #[test]
    fn tokens_are_cut_where_the_grammar_cuts_them() {
        assert_eq!(
            texts("met when a-b - c<=2023-10-31T17:00 and x >50% or \"a \\\" # b\"->met"),
            [
                "met",
                "when",
                "a-b",
                "-",
                "c",
                "<=",
                "2023-10-31T17:00",
                "and",
                "x",
                ">",
                "50%",
                "or",
                "\"a \\\" # b\"",
                "->",
                "met"
            ]
        );
        assert_eq!(
            texts("x- 1.5,(2023-02)"),
            ["x", "-", "1.5", ",", "(", "2023-02", ")"]
        );
        assert_eq!(
            texts("sum of sar.fee_2 where sar.kind-b=x. y"),
            [
                "sum",
                "of",
                "sar.fee_2",
                "where",
                "sar.kind-b",
                "=",
                "x",
                ".",
                "y"
            ]
        );
    }

    #[test]
    fn comments_are_kept_with_their_places() {
        let l = lex("# head\n\n  # indented\na # end of a\r\n\n\nb\n# last");
        let [a, b] = l.tokens.as_slice() else {
            unreachable!("two tokens: {l:?}")
        };
        assert_eq!(a.comments.len(), 2);
        assert_eq!(a.comments.first().map(|c| c.indented), Some(false));
        assert_eq!(
            a.comments.get(1).map(|c| (c.blank_before, c.indented)),
            Some((1, true))
        );
        assert_eq!(a.trailing, Some("# end of a"));
        assert_eq!(b.blank_before, 2);
        assert_eq!(l.end_comments.first().map(|c| c.text), Some("# last"));
        assert_eq!(
            comments(&l),
            ["# head", "# indented", "# end of a", "# last"]
        );
    }

    #[test]
    fn any_text_lexes() {
        for s in ["\"open", "é ¬ \u{0}", "#", "-", "1-", "\\"] {
            let _ = lex(s);
        }
    }
}
