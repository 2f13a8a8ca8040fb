//! The canonical layout: which token starts a line, at what indent, and
//! where comments and blank lines go. docs/language.md ("Files and layout")
//! describes it for readers.

use super::WIDTH;
use super::lex::{Comment, Kind, Lexed, Token};

/// The keywords that open a declaration other than a rule.
const DECLARATIONS: [&str; 6] = ["ruleset", "authority", "source", "fact", "item", "define"];
/// The keywords that open a rule.
const RULE_KINDS: [&str; 4] = ["obligation", "prohibition", "recommendation", "permission"];

/// Blank lines kept in a row between declarations.
const BLANK_BETWEEN: usize = 2;
/// Blank lines kept in a row inside a declaration.
const BLANK_INSIDE: usize = 1;
/// The indent of a declaration's second and later lines.
const STEP: usize = 2;
/// How far a continued list of citations is indented past `cites`.
const CITES: usize = "cites ".len();

/// Words after which `-` is a minus sign (`-x`) rather than a subtraction.
const BEFORE_UNARY: [&str; 13] = [
    "and", "or", "not", "if", "then", "else", "when", "on", "from", "after", "deadline", "unless",
    "where",
];

/// Lays out a whole file.
pub fn layout(lexed: &Lexed<'_>) -> String {
    let declarations = split(&lexed.tokens);
    let widths = alignment(&declarations);
    let mut out = Out::default();
    // The previous declaration's keyword, and whether it was one line.
    let mut previous: Option<(&str, bool)> = None;
    for (decl, widths) in declarations.iter().zip(widths) {
        let Some(first) = decl.first() else {
            continue;
        };
        let body = body(decl, widths);
        let one_line = !body.contains('\n');
        let closing = match previous {
            Some(_) => closing(&first.comments),
            None => 0,
        };
        let (closing, leading) = first.comments.split_at(closing);
        out.comments(closing, STEP, BLANK_INSIDE);
        // One-line declarations of a kind may stand together; others get a blank line.
        let together = previous
            .is_some_and(|(kw, one)| one && one_line && closing.is_empty() && kw == first.text);
        let mut least = usize::from(previous.is_some() && !together);
        for c in leading {
            out.line(c.blank_before.clamp(least, BLANK_BETWEEN), 0);
            out.push(c.text);
            least = 0;
        }
        out.line(first.blank_before.clamp(least, BLANK_BETWEEN), 0);
        out.push(&body);
        previous = Some((first.text, one_line));
    }
    let closing = if previous.is_some() {
        closing(&lexed.end_comments)
    } else {
        0
    };
    let (closing, rest) = lexed.end_comments.split_at(closing);
    out.comments(closing, STEP, BLANK_INSIDE);
    out.comments(rest, 0, BLANK_BETWEEN);
    let mut text = out.0;
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

/// The output being built, line by line.
#[derive(Default)]
struct Out(String);

impl Out {
    /// Starts a line at `indent` after `blank` blank lines (none at the very start).
    fn line(&mut self, blank: usize, indent: usize) {
        if !self.0.is_empty() {
            self.0.extend(std::iter::repeat_n('\n', blank + 1));
        }
        self.0.extend(std::iter::repeat_n(' ', indent));
    }

    fn push(&mut self, s: &str) {
        self.0.push_str(s);
    }

    /// Comment lines at `indent`, keeping up to `max_blank` blank lines before each.
    fn comments(&mut self, comments: &[Comment<'_>], indent: usize, max_blank: usize) {
        for c in comments {
            self.line(c.blank_before.min(max_blank), indent);
            self.push(c.text);
        }
    }
}

/// How many of the comments before a declaration close the one before it:
/// those written indented, up to the first in the first column.
fn closing(comments: &[Comment<'_>]) -> usize {
    comments.iter().take_while(|c| c.indented).count()
}

/// Cuts the tokens into declarations, each opened by its keyword.
fn split<'t, 'a>(tokens: &'t [Token<'a>]) -> Vec<&'t [Token<'a>]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        let opens = DECLARATIONS.contains(&t.text) || RULE_KINDS.contains(&t.text);
        if i > start && t.kind == Kind::Word && opens {
            out.extend(tokens.get(start..i));
            start = i;
        }
    }
    out.extend(tokens.get(start..).filter(|rest| !rest.is_empty()));
    out
}

/// Column widths of names and titles for runs of one-line authorities
/// written together, so that their titles and forces line up.
fn alignment(declarations: &[&[Token<'_>]]) -> Vec<Option<(usize, usize)>> {
    let mut widths = vec![None; declarations.len()];
    let mut run: Vec<(usize, usize, usize)> = Vec::new();
    let flush = |run: &mut Vec<(usize, usize, usize)>, widths: &mut Vec<_>| {
        let name = run.iter().map(|r| r.1).max().unwrap_or(0);
        let title = run.iter().map(|r| r.2).max().unwrap_or(0);
        for (i, _, _) in run.drain(..) {
            if let Some(w) = widths.get_mut(i) {
                *w = Some((name, title));
            }
        }
    };
    for (i, decl) in declarations.iter().enumerate() {
        let line = authority_line(decl);
        let joined = decl
            .first()
            .is_some_and(|t| t.comments.is_empty() && t.blank_before == 0);
        if line.is_none() || !joined {
            flush(&mut run, &mut widths);
        }
        if let Some((name, title, _)) = line {
            run.push((i, width(name.text), width(title.text)));
        }
    }
    flush(&mut run, &mut widths);
    widths
}

/// An authority declaration with no comment inside it: its name, title and force.
fn authority_line<'t, 'a>(
    decl: &'t [Token<'a>],
) -> Option<(&'t Token<'a>, &'t Token<'a>, &'t Token<'a>)> {
    let [kw, name, title, force] = decl else {
        return None;
    };
    let quiet = [name, title, force].iter().all(|t| t.comments.is_empty())
        && [kw, name, title].iter().all(|t| t.trailing.is_none());
    (kw.is("authority") && title.kind == Kind::Text && quiet).then_some((name, title, force))
}

/// A declaration's text, from its keyword to its end, without the comments before it.
fn body(decl: &[Token<'_>], widths: Option<(usize, usize)>) -> String {
    let mut out = Out::default();
    if let (Some((name_w, title_w)), Some((name, title, force))) = (widths, authority_line(decl)) {
        out.push(&format!(
            "authority {:name_w$} {:title_w$} {}",
            name.text, title.text, force.text
        ));
        if let Some(c) = force.trailing {
            out.push(" ");
            out.push(c);
        }
        return out.0;
    }
    for (k, clause) in clauses(decl).iter().enumerate() {
        clause.render(&mut out, k == 0);
    }
    out.0
}

/// How a clause's line may be broken when it is too long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Never.
    Plain,
    /// `cites a, b`: one citation a line.
    Cites,
    /// A clause whose first `head` words are keywords and the rest an expression.
    Expr { head: usize },
    /// `define NAME "label" = EXPR`: after `=`, then in the expression.
    Define,
    /// `field NAME: TYPE "label" ask "question"`: before the label and `ask`.
    Field,
}

/// One clause: the tokens that start on one line of the canonical layout.
struct Clause<'t, 'a> {
    indent: usize,
    tokens: &'t [Token<'a>],
    shape: Shape,
}

/// Cuts a declaration into its clauses.
fn clauses<'t, 'a>(decl: &'t [Token<'a>]) -> Vec<Clause<'t, 'a>> {
    let starts = starts(decl);
    let ends = starts.iter().skip(1).map(|s| s.0).chain([decl.len()]);
    starts
        .iter()
        .zip(ends)
        .filter_map(|(&(start, indent, shape), end)| {
            let tokens = decl.get(start..end)?;
            Some(Clause {
                indent,
                tokens,
                shape,
            })
        })
        .collect()
}

/// Where each clause starts: token index, indent and shape.
fn starts(decl: &[Token<'_>]) -> Vec<(usize, usize, Shape)> {
    let keyword = decl.first().map_or("", |t| t.text);
    let shape = if keyword == "define" {
        Shape::Define
    } else {
        Shape::Plain
    };
    let mut out = vec![(0, 0, shape)];
    let mut labelled = false;
    // In an item, whether a field has begun (after it, `ask` is the field's).
    let mut fields = false;
    for (i, t) in decl.iter().enumerate().skip(1) {
        if keyword == "item" {
            if t.is("field") {
                fields = true;
                out.push((i, STEP, Shape::Field));
            } else if t.is("ask") && !fields {
                out.push((i, STEP, Shape::Plain));
            }
            continue;
        }
        let opens = match keyword {
            // After the name: `organisation` and `heading` are keywords
            // only in the header, so a ruleset may be named so.
            "ruleset" => {
                t.is("version")
                    || due_soon(decl, i)
                    || (i > 1 && (t.is("organisation") || t.is("heading")))
            }
            "source" => t.is("by") || t.is("url"),
            "fact" if t.kind == Kind::Text && !labelled => {
                labelled = true;
                true
            }
            "fact" => t.is("ask"),
            _ => false,
        };
        if opens {
            out.push((i, STEP, Shape::Plain));
        }
    }
    if RULE_KINDS.contains(&keyword) {
        rule_starts(decl, &mut out);
    }
    out
}

/// Where a rule is in its text, for [`rule_starts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Kind, name, title and authority.
    Header { titled: bool },
    /// `for each KIND [where CONDITION]` or `for each period`.
    Each,
    /// A version's clauses.
    Version,
    /// An exception, before or after its `->`.
    Unless { arrow: bool },
    /// A withdrawal, supersession or position, before its citations.
    Ending,
    /// Citations that end a part.
    Cited,
}

/// Where a rule's clauses start: title and `by` on lines of their own,
/// versions and endings at 2, version clauses at 4, an exception's reason
/// and citations at 6.
fn rule_starts(decl: &[Token<'_>], out: &mut Vec<(usize, usize, Shape)>) {
    let mut part = Part::Header { titled: false };
    for (i, t) in decl.iter().enumerate().skip(1) {
        let mut open = |indent, shape| out.push((i, indent, shape));
        if t.is("version") {
            part = Part::Version;
            open(STEP, Shape::Plain);
            continue;
        }
        if t.is("withdrawn") || t.is("superseded") || t.is("position") {
            part = Part::Ending;
            open(STEP, Shape::Plain);
            continue;
        }
        match part {
            Part::Header { titled } => {
                if t.kind == Kind::Text && !titled {
                    part = Part::Header { titled: true };
                    open(STEP, Shape::Plain);
                } else if t.is("by") {
                    open(STEP, Shape::Plain);
                } else if t.is("for") && decl.get(i + 1).is_some_and(|n| n.is("each")) {
                    part = Part::Each;
                    // `for each KIND where` before the condition.
                    open(STEP, Shape::Expr { head: 4 });
                }
            }
            Part::Each => {}
            Part::Version => {
                let next_is = |w: &str| decl.get(i + 1).is_some_and(|n| n.is(w));
                let version = 2 * STEP;
                if t.is("cites") {
                    open(version, Shape::Cites);
                } else if t.is("applies") || (t.is("met") && (next_is("when") || next_is("on"))) {
                    open(version, Shape::Expr { head: 2 });
                } else if t.is("deadline") {
                    open(version, Shape::Expr { head: 1 });
                } else if due_soon(decl, i) {
                    open(version, Shape::Plain);
                } else if t.is("unless") {
                    part = Part::Unless { arrow: false };
                    open(version, Shape::Expr { head: 1 });
                }
            }
            Part::Unless { arrow: false } => {
                if t.is_punct("->") {
                    part = Part::Unless { arrow: true };
                }
            }
            Part::Unless { arrow: true } => {
                if t.kind == Kind::Text {
                    open(3 * STEP, Shape::Plain);
                } else if t.is("cites") {
                    part = Part::Version;
                    open(3 * STEP, Shape::Cites);
                }
            }
            Part::Ending => {
                if t.kind == Kind::Text {
                    open(2 * STEP, Shape::Plain);
                } else if t.is("cites") {
                    part = Part::Cited;
                    open(2 * STEP, Shape::Cites);
                }
            }
            Part::Cited => {}
        }
    }
}

/// Whether token `i` starts `due soon within …` (and not a recurring deadline's `due`).
fn due_soon(decl: &[Token<'_>], i: usize) -> bool {
    decl.get(i).is_some_and(|t| t.is("due")) && decl.get(i + 1).is_some_and(|t| t.is("soon"))
}

impl Clause<'_, '_> {
    /// Writes the clause. The first clause of a declaration continues the
    /// line already started; later ones start their own, after their comments.
    fn render(&self, out: &mut Out, first: bool) {
        let (breaks, continued) = self.breaks();
        let (mut earlier, mut prev): (Option<&Token<'_>>, Option<&Token<'_>>) = (None, None);
        for (i, t) in self.tokens.iter().enumerate() {
            match prev {
                None if !first => {
                    out.comments(&t.comments, self.indent, BLANK_INSIDE);
                    out.line(t.blank_before.min(BLANK_INSIDE), self.indent);
                }
                None => {}
                Some(p) => {
                    let at = breaks.iter().find(|b| b.0 == i).map(|b| b.1);
                    if at.is_some() || p.trailing.is_some() || !t.comments.is_empty() {
                        let indent = at.unwrap_or(continued);
                        out.comments(&t.comments, indent, BLANK_INSIDE);
                        out.line(0, indent);
                    } else if spaced(earlier, p, t) {
                        out.push(" ");
                    }
                }
            }
            out.push(t.text);
            if let Some(c) = t.trailing {
                out.push(" ");
                out.push(c);
            }
            (earlier, prev) = (prev, Some(t));
        }
    }

    /// The line breaks a too-long clause gets (token index and indent), and
    /// the indent of a line a comment breaks.
    fn breaks(&self) -> (Vec<(usize, usize)>, usize) {
        let long = one_line_width(self.indent, self.tokens) > WIDTH;
        match self.shape {
            Shape::Plain => (Vec::new(), self.indent + STEP),
            Shape::Cites => {
                let at = self.indent + CITES;
                let commas = self
                    .tokens
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.is_punct(","));
                let breaks = commas.map(|(i, _)| (i + 1, at));
                (if long { breaks.collect() } else { Vec::new() }, at)
            }
            Shape::Expr { head } => {
                let at = self.indent + STEP;
                let end = self
                    .tokens
                    .iter()
                    .position(|t| t.is_punct("->"))
                    .unwrap_or(self.tokens.len());
                let expr = self.tokens.get(head..end).unwrap_or_default();
                let breaks = if long {
                    operators(expr, at).map(|(i, at)| (head + i, at)).collect()
                } else {
                    Vec::new()
                };
                (breaks, at)
            }
            Shape::Field => {
                let at = self.indent + STEP;
                let label = self.tokens.iter().position(|t| t.kind == Kind::Text);
                let ask = self.tokens.iter().position(|t| t.is("ask"));
                let breaks = if long {
                    [label, ask]
                        .into_iter()
                        .flatten()
                        .map(|i| (i, at))
                        .collect()
                } else {
                    Vec::new()
                };
                (breaks, at)
            }
            Shape::Define => {
                let start = self
                    .tokens
                    .iter()
                    .position(|t| t.is_punct("="))
                    .map_or(self.tokens.len(), |i| i + 1);
                let expr = self.tokens.get(start..).unwrap_or_default();
                let mut breaks = Vec::new();
                if long {
                    breaks.push((start, STEP));
                    if one_line_width(STEP, expr) > WIDTH {
                        breaks.extend(operators(expr, STEP).map(|(i, at)| (start + i, at)));
                    }
                }
                (breaks, STEP)
            }
        }
    }
}

/// Where a too-long expression written at `at` breaks, and the indent of
/// each break: before each `or` outside brackets; failing that, before each
/// `and`; failing that, for an `if`, before its `then` and `else`; failing
/// that, before an aggregate's `where`, its condition broken the same way
/// one step further in. A `where` runs to the end of the expression (or of
/// the `if` part it is in), so the operators after it are its condition's.
fn operators(expr: &[Token<'_>], at: usize) -> std::vec::IntoIter<(usize, usize)> {
    let mut depth = 0usize;
    let mut ors = Vec::new();
    let mut ands = Vec::new();
    let mut ifs = Vec::new();
    let mut filter = None;
    // How many `if`s are open; only the outermost one's `then` and `else` break.
    let mut open_ifs = 0usize;
    for (i, t) in expr.iter().enumerate() {
        if t.is_punct("(") {
            depth += 1;
            continue;
        }
        if t.is_punct(")") {
            depth = depth.saturating_sub(1);
            continue;
        }
        if depth > 0 {
            continue;
        }
        if t.is("if") {
            if i > 0 && open_ifs == 0 {
                // The rest of the expression is this `if`'s `else`.
                break;
            }
            open_ifs += 1;
        } else if open_ifs > 0 {
            if open_ifs == 1 && (t.is("then") || t.is("else")) {
                ifs.push(i);
            }
            if t.is("else") {
                open_ifs -= 1;
                if open_ifs == 0 {
                    break;
                }
            }
        } else if t.is("where") {
            filter = Some(i);
            break;
        } else if t.is("or") {
            ors.push(i);
        } else if t.is("and") {
            ands.push(i);
        }
    }
    let found = [ors, ands, ifs].into_iter().find(|v| !v.is_empty());
    let out: Vec<(usize, usize)> = match (found, filter) {
        (Some(v), _) => within(expr, v.into_iter().map(|i| (i, at)).collect()),
        (None, Some(w)) => {
            let cond = expr.get(w + 1..).unwrap_or_default();
            let inner = at + STEP;
            let mut out = vec![(w, at)];
            if one_line_width(inner, expr.get(w..).unwrap_or_default()) > WIDTH {
                out.extend(operators(cond, inner).map(|(i, a)| (w + 1 + i, a)));
            }
            out
        }
        (None, None) => Vec::new(),
    };
    out.into_iter()
}

/// Breaks inside the lines that `breaks` leaves too wide: a line holding
/// `and`s under an `or` breaks at them, one step further in, and a line
/// that is one bracketed expression (after its operator) breaks inside the
/// brackets; so a long condition nests as it reads.
fn within(expr: &[Token<'_>], breaks: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(breaks.len());
    let first_at = breaks.first().map_or(0, |b| b.1);
    let mut start = (0, first_at);
    for k in 0..=breaks.len() {
        let end = breaks.get(k).map_or(expr.len(), |b| b.0);
        let (s, at) = start;
        let line = expr.get(s..end).unwrap_or_default();
        if one_line_width(at, line) > WIDTH {
            // The line's own operator stays at its head.
            let skip = usize::from(s > 0);
            let body = line.get(skip..).unwrap_or_default();
            let (offset, inner) = match (body.first(), body.last()) {
                (Some(o), Some(c)) if o.is_punct("(") && c.is_punct(")") && closes_at_end(body) => {
                    (1, body.get(1..body.len() - 1).unwrap_or_default())
                }
                _ => (0, body),
            };
            out.extend(
                operators(inner, at + STEP)
                    .filter(|(i, _)| offset > 0 || *i > 0)
                    .map(|(i, a)| (s + skip + offset + i, a)),
            );
        }
        if let Some(b) = breaks.get(k) {
            out.push(*b);
            start = *b;
        }
    }
    out.sort_unstable();
    out
}

/// Whether the bracket opening `tokens` closes at its last token.
fn closes_at_end(tokens: &[Token<'_>]) -> bool {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        if t.is_punct("(") {
            depth += 1;
        } else if t.is_punct(")") {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return i + 1 == tokens.len();
            }
        }
    }
    false
}

/// Whether a space goes between `prev` and `t` on one line; `earlier` is the token before `prev`.
fn spaced(earlier: Option<&Token<'_>>, prev: &Token<'_>, t: &Token<'_>) -> bool {
    if t.is_punct(",") || t.is_punct(":") || t.is_punct(")") || prev.is_punct("(") {
        return false;
    }
    // A minus sign sticks to what it negates.
    let minus_sign = prev.is_punct("-")
        && earlier.is_none_or(|e| {
            (e.kind == Kind::Punct && e.text != ")")
                || (e.kind == Kind::Word && BEFORE_UNARY.contains(&e.text))
        });
    !minus_sign
}

/// The width of tokens written on one line at `indent`, comments aside.
fn one_line_width(indent: usize, tokens: &[Token<'_>]) -> usize {
    let mut total = indent;
    let (mut earlier, mut prev): (Option<&Token<'_>>, Option<&Token<'_>>) = (None, None);
    for t in tokens {
        if let Some(p) = prev {
            total += usize::from(spaced(earlier, p, t));
        }
        total += width(t.text);
        (earlier, prev) = (prev, Some(t));
    }
    total
}

/// Columns a text takes.
fn width(s: &str) -> usize {
    s.chars().count()
}
