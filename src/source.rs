//! Source texts (rule files, facts files) and spans into them.

use std::sync::Arc;

/// Which loaded text a span points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one loaded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// The text.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from byte offsets.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Self {
            file,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// Byte range, for slicing.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One loaded text and the name it is shown under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user gave it (or `<bundled>/…`).
    pub name: String,
    /// The whole text.
    pub text: Arc<str>,
    /// Where its lines start, worked out once so that positions are found
    /// by binary search rather than by reading the text again.
    lines: LineStarts,
    /// How many lines of the file come before this text: 0 for a whole
    /// file, more for one row of a batch input read on its own.
    lines_before: usize,
}

/// The byte offsets where lines start in one text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LineStarts {
    /// 0, then the offset after each `\n`.
    starts: Vec<usize>,
    /// Each `\r` not followed by `\n`: miette counts these as line breaks too.
    lone_cr: Vec<usize>,
}

impl LineStarts {
    fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut lone_cr = Vec::new();
        for (i, b) in bytes.iter().enumerate() {
            match b {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => lone_cr.push(i),
                _ => {}
            }
        }
        Self { starts, lone_cr }
    }

    /// The 0-based line holding byte `offset` (at most the last line).
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Where the 0-based `line` starts; the text's end past the last line.
    fn start(&self, line: usize, len: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(len)
    }
}

impl SourceFile {
    /// A text under a name, with its lines indexed.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text = text.into();
        Self {
            name: name.into(),
            lines: LineStarts::new(&text),
            text,
            lines_before: 0,
        }
    }

    /// A part of a file that starts on its 1-based line `first_line` (one
    /// row of a batch input): positions in it are given as in the file.
    /// Control characters other than tabs and line breaks are shown as `?`
    /// (one byte for one, so places do not move): a row written by another
    /// program must not move the cursor or retitle the terminal it is
    /// shown on.
    pub fn part(name: impl Into<String>, text: &str, first_line: usize) -> Self {
        let safe = |c: char| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r');
        let shown: String = if text.contains(safe) {
            text.chars()
                .map(|c| if safe(c) { '?' } else { c })
                .collect()
        } else {
            text.to_string()
        };
        Self {
            lines_before: first_line.saturating_sub(1),
            ..Self::new(name, shown)
        }
    }

    /// 1-based line and column (in characters) of byte `offset`; past the
    /// end of the text (or inside a character), of the text's end.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = if self.text.is_char_boundary(offset) {
            offset
        } else {
            self.text.len()
        };
        let line = self.lines.line_of(offset);
        let start = self.lines.start(line, self.text.len());
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        (self.lines_before + line + 1, col)
    }

    /// The text of the 1-based `line`, without its line break, as
    /// [`str::lines`] gives it ("" past the last line).
    pub fn line_text(&self, line: usize) -> &str {
        let Some(index) = line.checked_sub(1 + self.lines_before) else {
            return "";
        };
        let len = self.text.len();
        let (start, end) = (
            self.lines.start(index, len),
            self.lines.start(index + 1, len),
        );
        let text = self.text.get(start..end).unwrap_or("");
        match text.strip_suffix('\n') {
            Some(line) => line.strip_suffix('\r').unwrap_or(line),
            None => text,
        }
    }
}

/// miette reads only the lines around a span, found through the line index:
/// the text is neither copied nor read from its start for each problem.
///
/// The lines are handed to miette's own reader for `str`, and its answer
/// moved back to the place of those lines in the whole text, so a report is
/// the same as if the whole text had been read.
impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let len = self.text.len();
        let (offset, end) = (span.offset(), span.offset().saturating_add(span.len()));
        // miette's reader can panic on a span past the end.
        if end > len {
            return Err(miette::MietteError::OutOfBounds);
        }
        // A line more than asked on each side: miette's reader decides where
        // the context ends by the line breaks around the span, which must
        // all be inside the window it is given.
        let first = self
            .lines
            .line_of(offset.min(end.saturating_sub(1)))
            .saturating_sub(context_lines_before + 1);
        let last = self.lines.line_of(end) + context_lines_after + 2;
        let (from, to) = (self.lines.start(first, len), self.lines.start(last, len));
        let window = self.text.get(from..to).unwrap_or("");
        let local = miette::SourceSpan::new(offset.saturating_sub(from).into(), span.len());
        let inner = <str as miette::SourceCode>::read_span(
            window,
            &local,
            context_lines_before,
            context_lines_after,
        )?;
        // Line numbers count miette's line breaks before the window too.
        let lines_before =
            self.lines_before + first + self.lines.lone_cr.partition_point(|&i| i < from);
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            miette::SourceSpan::new((inner.span().offset() + from).into(), inner.span().len()),
            inner.line() + lines_before,
            inner.column(),
            inner.line_count() + lines_before,
        )))
    }
}

/// Every text loaded in one run, so that any span can be shown.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// Shared, so that a diagnostic can hold the file it points into.
    files: Vec<Arc<SourceFile>>,
}

impl SourceMap {
    /// Adds a text and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        self.add_file(SourceFile::new(name, text))
    }

    /// Adds a loaded text (a whole file, or a [`SourceFile::part`]).
    pub fn add_file(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(Arc::new(file));
        id
    }

    /// The text behind an id.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize).map(|f| &**f)
    }

    /// The text behind an id, shared.
    pub fn get_shared(&self, id: FileId) -> Option<Arc<SourceFile>> {
        self.files.get(id.0 as usize).cloned()
    }

    /// The written text of a span ("" if out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file)
            .and_then(|f| f.text.get(span.range()))
            .unwrap_or("")
    }

    /// The file name of a span.
    pub fn name(&self, span: Span) -> &str {
        self.get(span.file).map_or("", |f| f.name.as_str())
    }

    /// 1-based line and column (in characters) of a span's start.
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        self.get(span.file)
            .map_or((0, 0), |f| f.line_col(span.start as usize))
    }
}

/// The length of `text` without the white space and comments after it: the
/// parser's spans can end with what it skipped (`if … else DATE` followed by
/// a line break and a comment), and only what was written is underlined.
pub fn written_len(text: &str) -> usize {
    let mut kept = text.trim_end();
    loop {
        let line_start = kept.rfind('\n').map_or(0, |i| i + 1);
        let comment = kept
            .get(line_start..)
            .and_then(comment_start)
            .and_then(|i| kept.get(..line_start + i));
        match comment {
            Some(before) if before.len() < kept.len() => kept = before.trim_end(),
            _ => break,
        }
    }
    kept.len()
}

/// Rule text with its comments taken out (line breaks kept).
pub fn without_comments(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| match comment_start(line) {
            Some(i) => {
                let end = if line.ends_with('\n') { "\n" } else { "" };
                format!("{}{end}", line.get(..i).unwrap_or(line))
            }
            None => line.to_string(),
        })
        .collect()
}

/// Where a comment starts in a line of rule text, outside quoted text.
fn comment_start(line: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '#' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use miette::{NamedSource, SourceCode, SourceSpan};
    use proptest::prelude::*;

    use super::*;

    /// How positions were found before the line index: by reading the text.
    fn line_col_by_scanning(text: &str, start: usize) -> (usize, usize) {
        let upto = text.get(..start).unwrap_or(text);
        let line = upto.matches('\n').count() + 1;
        let line_start = upto.rfind('\n').map_or(0, |i| i + 1);
        let col = upto.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        (line, col)
    }

    /// Texts with every kind of line break, and a character of two bytes.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(prop_oneof!["a", "b", " ", "\n", "\r", "\r\n", "é"], 0..40)
            .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn line_col_is_what_reading_the_text_gives(text in text(), at in 0usize..50) {
            let file = SourceFile::new("t", text.as_str());
            prop_assert_eq!(file.line_col(at), line_col_by_scanning(&text, at));
        }

        #[test]
        fn line_text_is_what_lines_gives(text in text(), line in 0usize..45) {
            let file = SourceFile::new("t", text.as_str());
            let expected = line
                .checked_sub(1)
                .and_then(|i| text.lines().nth(i))
                .unwrap_or("");
            prop_assert_eq!(file.line_text(line), expected);
        }

        #[test]
        fn miette_reads_the_same_as_from_the_whole_text(
            text in text(),
            offset in 0usize..50,
            len in 0usize..12,
            before in 0usize..3,
            after in 0usize..3,
        ) {
            let offset = offset % (text.len() + 1);
            let len = len.min(text.len() - offset);
            let file = SourceFile::new("t.obl", text.as_str());
            let whole = NamedSource::new("t.obl", text.clone());
            let span = SourceSpan::new(offset.into(), len);
            let ours = file.read_span(&span, before, after);
            let theirs = whole.read_span(&span, before, after);
            match (ours, theirs) {
                (Ok(a), Ok(b)) => {
                    prop_assert_eq!(a.data(), b.data());
                    prop_assert_eq!(a.span(), b.span());
                    prop_assert_eq!(a.line(), b.line());
                    prop_assert_eq!(a.column(), b.column());
                    prop_assert_eq!(a.line_count(), b.line_count());
                    prop_assert_eq!(a.name(), b.name());
                }
                (Err(_), Err(_)) => {}
                (a, b) => prop_assert!(false, "ours {:?}, miette's {:?}", a.is_ok(), b.is_ok()),
            }
        }
    }

    #[test]
    fn a_span_past_the_end_is_out_of_bounds_not_a_panic() {
        let file = SourceFile::new("t.obl", "ab\ncd");
        for (offset, len) in [(6, 1), (7, 0), (2, 9)] {
            let span = SourceSpan::new(offset.into(), len);
            assert!(file.read_span(&span, 0, 0).is_err());
            assert!(file.read_span(&span, 1, 1).is_err());
        }
    }
}
