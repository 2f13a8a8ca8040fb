//! `obligo fmt`: rewrite rule files in the canonical layout, or with
//! `--check` list those that are not in it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use similar::{ChangeTag, TextDiff};

use super::fail;
use super::target::{Target, default_targets, default_words};
use obligo::diagnostic::Diagnostic;
use obligo::format::{self, Error};
use obligo::source::SourceMap;

/// Arguments of `obligo fmt`.
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    #[arg(
        value_name = "PATH",
        help = concat!("Rule files, or folders searched for `.obl` files, subfolders included ", default_words!())
    )]
    pub paths: Vec<PathBuf>,
    /// Change nothing: show where each file is not formatted, and exit 1 if any is not.
    #[arg(long)]
    pub check: bool,
}

/// How many places that differ are shown for one file, at most.
const SHOWN_PLACES: usize = 3;

/// Runs `obligo fmt`; returns the exit code.
pub fn run(args: &FmtArgs) -> u8 {
    let mut sources = SourceMap::default();
    let mut problems = Vec::new();
    let (bundled, files) = files(&args.paths, &mut problems);
    let mut out = String::new();
    let mut changed = 0usize;
    for (path, given) in &files {
        let shown = path.display().to_string();
        let read = match given {
            Some(t) => Ok(t.clone()),
            None => obligo::read::text(path, "rule file", &mut sources),
        };
        let text = match read {
            Ok(t) => t,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let id = sources.add(shown.clone(), text.clone());
        let formatted = match format::format(id, &text) {
            Ok(f) => f,
            Err(Error::Parse(mut d)) => {
                problems.append(&mut d);
                continue;
            }
            Err(Error::Changed) => {
                problems.push(
                    Diagnostic::bare(format!(
                        "`{shown}` was left as it was: formatting it would have changed its meaning or lost a comment"
                    ))
                    .with_help("this is a fault in `obligo fmt`; please report it with the file"),
                );
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        if bundled && !args.check {
            // Not expected: CI keeps the bundled ruleset formatted.
            problems.push(
                Diagnostic::bare(format!(
                    "`{shown}` is not formatted, and cannot be rewritten: it is built into obligo"
                ))
                .with_help("format the ruleset in obligo's source with `obligo fmt rules/`"),
            );
        } else if args.check {
            out.push_str(&difference(&shown, &text, &formatted));
        } else if let Err(e) = std::fs::write(path, &formatted) {
            problems.push(
                Diagnostic::bare(format!("cannot write `{shown}`: {e}"))
                    .with_help("check the file is writable"),
            );
        } else {
            let _ = writeln!(out, "formatted {shown}");
        }
    }
    if args.check || bundled {
        let total = files.len();
        let files = match (total, bundled) {
            (1, false) => "rule file",
            (_, false) => "rule files",
            (_, true) => "rule files of the bundled ruleset",
        };
        let _ = match changed {
            // Problems are reported after the output; say nothing cheerful before them.
            0 if !problems.is_empty() => Ok(()),
            0 => writeln!(out, "{total} {files} checked: all formatted"),
            n => writeln!(
                out,
                "{total} {files} checked: {n} not formatted; run `obligo fmt` to format them"
            ),
        };
    }
    if let Err(code) = super::emit(&out) {
        return code;
    }
    if !problems.is_empty() {
        return fail(&problems, &sources);
    }
    u8::from(args.check && changed > 0)
}

/// The rule files to format: those under `paths`, or by default under
/// `rules/`; else the bundled ruleset's, with their text (true: they are
/// the bundled ruleset's, which cannot be rewritten).
fn files(
    paths: &[PathBuf],
    problems: &mut Vec<Diagnostic>,
) -> (bool, Vec<(PathBuf, Option<String>)>) {
    let paths = if paths.is_empty() {
        let mut folders = Vec::new();
        for target in default_targets() {
            match target {
                Target::Folder(dir) => folders.push(dir),
                Target::Bundled => {
                    let files = obligo::load::bundled_files()
                        .into_iter()
                        .map(|f| (PathBuf::from(f.shown), Some(f.text)))
                        .collect();
                    return (true, files);
                }
            }
        }
        folders
    } else {
        paths.to_vec()
    };
    let files = rule_files(&paths, problems)
        .into_iter()
        .map(|p| (p, None))
        .collect();
    (false, files)
}

/// The `.obl` files named or found under the paths, each folder's in name order.
fn rule_files(paths: &[PathBuf], problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = files.len();
            walk(path, &mut files, problems);
            if files.len() == before {
                problems.push(
                    Diagnostic::bare(format!("no `.obl` rule files in `{}`", path.display()))
                        .with_help("give a ruleset folder, such as rules/, or rule files"),
                );
            }
        } else {
            // The file is checked when it is read: a missing file, a link
            // in a loop or a pipe each get their own message.
            files.push(path.clone());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|f| seen.insert(f.clone()));
    files
}

/// Adds the `.obl` files under `dir`, sorted, skipping hidden folders and links.
fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<Diagnostic>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(
                Diagnostic::bare(format!("cannot read the folder `{}`: {e}", dir.display()))
                    .with_help("check the folder exists and is readable"),
            );
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        match entry.file_type() {
            Ok(t) if t.is_dir() && !hidden => walk(&path, files, problems),
            Ok(t) if t.is_file() && path.extension().is_some_and(|x| x == "obl") => {
                files.push(path);
            }
            _ => {}
        }
    }
}

/// Where a file differs from its formatted text: for each place, `file:line`,
/// then the old lines (`-`) and the new (`+`) with a line of context.
fn difference(shown: &str, old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new);
    let places = diff.grouped_ops(1);
    let mut out = String::new();
    for place in places.iter().take(SHOWN_PLACES) {
        let line = place
            .iter()
            .find(|op| op.tag() != similar::DiffTag::Equal)
            .map_or(0, |op| op.old_range().start);
        let _ = writeln!(out, "{shown}:{}: not formatted", line + 1);
        for change in place.iter().flat_map(|op| diff.iter_changes(op)) {
            let sign = match change.tag() {
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
                ChangeTag::Equal => ' ',
            };
            let text = change.value().trim_end_matches('\n').replace('\r', "\\r");
            let end = if change.missing_newline() {
                " (no line break at the end)"
            } else {
                ""
            };
            let line = format!("  {sign} {text}{end}");
            let _ = writeln!(out, "{}", line.trim_end_matches(' '));
        }
    }
    if let Some(more) = places.len().checked_sub(SHOWN_PLACES).filter(|n| *n > 0) {
        let places = if more == 1 { "place" } else { "places" };
        let _ = writeln!(out, "{shown}: {more} more {places} not formatted");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_shows_the_changed_lines_with_context() {
        assert_eq!(
            difference("f.obl", "a\nb  c\nd\ne\n", "a\nb c\nd\ne\n"),
            "f.obl:2: not formatted\n    a\n  - b  c\n  + b c\n    d\n"
        );
        assert_eq!(
            difference("f.obl", "a\r\n", "a\n"),
            "f.obl:1: not formatted\n  - a\\r\n  + a\n"
        );
        assert_eq!(
            difference("f.obl", "a", "a\n"),
            "f.obl:1: not formatted\n  - a (no line break at the end)\n  + a\n"
        );
    }
}
