//! Reading an input file as text, the one way every command does: special
//! files (pipes, devices, sockets) are refused before anything is read, so
//! nothing waits for a writer that never comes or reads without end; a file
//! larger than the limit is refused; text that is not UTF-8 is pointed at,
//! line and column; a UTF-8 byte-order mark is dropped.

use std::io::Read as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostic::Diagnostic;
use crate::source::{SourceMap, Span};

/// The largest input file read, unless `--max-file-size` says otherwise.
pub const DEFAULT_LIMIT: u64 = 16 << 20;

static LIMIT: AtomicU64 = AtomicU64::new(DEFAULT_LIMIT);

/// Sets the largest input file read, in bytes, for this process.
pub fn set_limit(bytes: u64) {
    LIMIT.store(bytes, Ordering::Relaxed);
}

/// The largest input file read, in bytes.
pub fn limit() -> u64 {
    LIMIT.load(Ordering::Relaxed)
}

/// `16 MiB`, `512 KiB`, `300 bytes`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// Checks that `path` is a regular file that can be read, within the
/// limit; `what` names it in messages ("facts file", "rule file").
pub fn check(path: &Path, what: &str) -> Result<u64, Diagnostic> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        let (message, help) = match e.kind() {
            std::io::ErrorKind::NotFound => (
                format!("the {what} `{shown}` does not exist"),
                "check the path: it is read from the current folder".to_string(),
            ),
            std::io::ErrorKind::PermissionDenied => (
                format!("the {what} `{shown}` cannot be read: permission denied"),
                "check the file's permissions".to_string(),
            ),
            // ELOOP: a symbolic link that leads back to itself.
            _ if e.raw_os_error() == Some(40) => (
                format!("the {what} `{shown}` is a symbolic link that leads round in a loop"),
                "point the link at a real file".to_string(),
            ),
            _ => (
                format!("the {what} `{shown}` cannot be read: {}", os_words(&e)),
                "check the path and the file".to_string(),
            ),
        };
        Diagnostic::bare(message).with_help(help)
    })?;
    if meta.is_dir() {
        return Err(
            Diagnostic::bare(format!("`{shown}` is a folder, not a {what}"))
                .with_help(format!("give the path of a {what}")),
        );
    }
    if !meta.is_file() {
        return Err(Diagnostic::bare(format!(
            "`{shown}` is not a regular file (a pipe, device or socket): it is not read"
        ))
        .with_help(format!(
            "give a {what} saved on disk; where a command reads standard input, give `-` and pipe into it"
        )));
    }
    if meta.len() > limit() {
        return Err(too_large(path, what));
    }
    Ok(meta.len())
}

fn too_large(path: &Path, what: &str) -> Diagnostic {
    Diagnostic::bare(format!(
        "the {what} `{}` is larger than {}, the most read",
        path.display(),
        size(limit())
    ))
    .with_help("check it is the right file, or raise the limit with --max-file-size")
}

/// Reads a file as text, after [`check`]. Text that is not UTF-8 is added to
/// `sources` (its bad bytes replaced) so that the message can show where.
pub fn text(path: &Path, what: &str, sources: &mut SourceMap) -> Result<String, Diagnostic> {
    check(path, what)?;
    let file = std::fs::File::open(path).map_err(|e| {
        Diagnostic::bare(format!(
            "the {what} `{}` cannot be read: {}",
            path.display(),
            os_words(&e)
        ))
        .with_help("check the file's permissions")
    })?;
    let mut bytes = Vec::new();
    file.take(limit() + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            Diagnostic::bare(format!(
                "the {what} `{}` cannot be read: {}",
                path.display(),
                os_words(&e)
            ))
            .with_help("check the file can be read to its end")
        })?;
    if bytes.len() as u64 > limit() {
        return Err(too_large(path, what));
    }
    utf8(bytes, &path.display().to_string(), what, sources)
}

/// Bytes as text: a byte-order mark dropped; if not UTF-8, a message
/// pointing at the first bad byte (the text is added to `sources`).
pub fn utf8(
    mut bytes: Vec<u8>,
    name: &str,
    what: &str,
    sources: &mut SourceMap,
) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // Shown with the bad bytes replaced; the place is the same up
            // to the first of them.
            let shown = String::from_utf8_lossy(&bytes).into_owned();
            let id = sources.add(name, shown);
            let len = char_len(sources, id, at);
            Err(Diagnostic::error(
                Span::new(id, at, at + len),
                format!("the {what} `{name}` is not UTF-8 text"),
                "this byte is not UTF-8",
            )
            .with_help(
                "save it as UTF-8 (most editors offer this under \"Save as\" or \"Encoding\")",
            ))
        }
    }
}

fn char_len(sources: &SourceMap, id: crate::source::FileId, at: usize) -> usize {
    sources
        .get(id)
        .and_then(|f| f.text.get(at..))
        .and_then(|rest| rest.chars().next())
        .map_or(1, char::len_utf8)
}

/// An I/O error in words, without the OS error number.
pub fn os_words(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text.get(..i).unwrap_or(&text).to_string(),
        None => text,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_said_in_round_units() {
        assert_eq!(size(16 << 20), "16 MiB");
        assert_eq!(size(512 << 10), "512 KiB");
        assert_eq!(size(300), "300 bytes");
    }

    #[test]
    fn a_bad_byte_is_pointed_at() {
        let mut sources = SourceMap::default();
        let d = utf8(
            b"ab\ncd\xFFe".to_vec(),
            "x.yaml",
            "facts file",
            &mut sources,
        )
        .unwrap_err();
        let span = d.span.unwrap();
        assert_eq!(sources.line_col(span), (2, 3));
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let mut sources = SourceMap::default();
        let t = utf8(
            b"\xEF\xBB\xBFa: 1".to_vec(),
            "x.yaml",
            "facts file",
            &mut sources,
        )
        .unwrap();
        assert_eq!(t, "a: 1");
    }
}
