//! Shared helpers: load rulesets and facts, run the binary, pin snapshots.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use obligo::eval::{Dates, Outcome, Plan, Status};
use obligo::facts::Facts;
use obligo::model::Ruleset;
use obligo::source::SourceMap;

/// Pins a snapshot in the top-level `snapshots/` folder.
#[macro_export]
macro_rules! snap {
    ($name:expr, $value:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!($name, $value));
    }};
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A date from `YYYY-MM-DD`.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Loads a ruleset folder, panicking with the rendered errors if it fails.
pub fn ruleset(dir: &str) -> Ruleset {
    load_files(&obligo::load::read_dir(&root().join(dir)).unwrap())
}

/// Loads a one-file ruleset written inline in a test.
pub fn ruleset_text(text: &str) -> Ruleset {
    load_files(&[obligo::load::RuleFile {
        relative: "inline.obl".into(),
        shown: "inline.obl".into(),
        text: text.into(),
    }])
}

fn load_files(files: &[obligo::load::RuleFile]) -> Ruleset {
    match obligo::load::load(files) {
        Ok(r) => r,
        Err(e) => panic!(
            "{}",
            obligo::diagnostic::render_all(&e.diagnostics, &e.sources)
        ),
    }
}

/// The test ruleset that exercises every construct.
pub fn features() -> Ruleset {
    ruleset("tests/good/ruleset")
}

/// Facts from YAML text, named `name`.
pub fn facts(rs: &Ruleset, name: &str, yaml: &str) -> Facts {
    let mut sources = SourceMap::default();
    let id = sources.add(name, yaml);
    match obligo::facts::load(rs, &sources, id) {
        Ok(f) => f,
        Err(e) => panic!("{}", obligo::diagnostic::render_all(&e, &sources)),
    }
}

/// The problems a facts text gives, rendered.
pub fn facts_errors(rs: &Ruleset, name: &str, yaml: &str) -> String {
    let mut sources = SourceMap::default();
    let id = sources.add(name, yaml);
    match obligo::facts::load(rs, &sources, id) {
        Ok(_) => panic!("{name}: expected errors"),
        Err(e) => obligo::diagnostic::render_all(&e, &sources),
    }
}

/// Evaluates, with as-of and known-on.
pub fn run(rs: &Ruleset, f: &Facts, as_of: &str, known_on: &str) -> Vec<Outcome> {
    Plan::new(
        rs,
        Dates {
            as_of: d(as_of),
            known_on: d(known_on),
        },
    )
    .evaluate(f)
}

/// The result of one rule by name.
pub fn result<'a>(rs: &Ruleset, results: &'a [Outcome], rule: &str) -> &'a Outcome {
    let id = rs
        .rule_named(rule)
        .unwrap_or_else(|| panic!("no rule {rule}"));
    results
        .iter()
        .find(|r| r.rule == id)
        .unwrap_or_else(|| panic!("rule {rule} has no result"))
}

/// The status of one rule.
pub fn status(rs: &Ruleset, f: &Facts, rule: &str, as_of: &str, known_on: &str) -> Status {
    result(rs, &run(rs, f, as_of, known_on), rule).status
}

/// Runs the obligo binary; returns (exit code, stdout, stderr).
pub fn obligo(args: &[&str]) -> (i32, String, String) {
    obligo_in(&root(), args)
}

/// Runs the binary in the folder `dir`: exit code, stdout, stderr.
pub fn obligo_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_obligo"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The files of a folder with an extension, sorted.
pub fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

/// A path relative to the root, with forward slashes.
pub fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

/// The result of one rule for facts given as YAML, judged and known on `date`.
pub fn result_on(rs: &Ruleset, yaml: &str, rule: &str, date: &str) -> Outcome {
    let results = run(rs, &facts(rs, "f", yaml), date, date);
    result(rs, &results, rule).clone()
}

/// The status of one rule for facts given as YAML, judged and known on `date`.
pub fn status_on(rs: &Ruleset, yaml: &str, rule: &str, date: &str) -> Status {
    result_on(rs, yaml, rule, date).status
}

/// Hashes change with every edit of a rule file (they are pinned by the
/// bundled tests), so the snapshots show `[sha256]` instead.
pub fn without_hashes(out: &str) -> String {
    let mut shown = String::new();
    let mut run = String::new();
    let flush = |shown: &mut String, run: &mut String| {
        shown.push_str(if run.len() == 64 { "[sha256]" } else { run });
        run.clear();
    };
    for c in out.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            flush(&mut shown, &mut run);
            shown.push(c);
        }
    }
    flush(&mut shown, &mut run);
    shown
}

/// A fresh temporary folder for a test's files, removed on drop.
pub struct Scratch(PathBuf);

impl Scratch {
    /// A new empty folder, named for the test.
    pub fn new(name: &str) -> Self {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!("obligo-{name}-{stamp}"));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    /// Copies a file from the repository to `to` inside the folder.
    pub fn copy(&self, from: &str, to: &str) -> PathBuf {
        let path = self.0.join(to);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::copy(root().join(from), &path).unwrap();
        path
    }

    /// Writes `text` to `name` inside the folder; returns its path.
    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }

    /// The folder's path.
    pub fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
