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
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user gave it (or `<bundled>/…`).
    pub name: String,
    /// The whole text.
    pub text: Arc<str>,
}

/// Every text loaded in one run, so that any span can be shown.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// Adds a text and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            name: name.into(),
            text: text.into(),
        });
        id
    }

    /// The text behind an id.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
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
        let Some(file) = self.get(span.file) else {
            return (0, 0);
        };
        let upto = file.text.get(..span.start as usize).unwrap_or(&file.text);
        let line = upto.matches('\n').count() + 1;
        let line_start = upto.rfind('\n').map_or(0, |i| i + 1);
        let col = upto.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        (line, col)
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
