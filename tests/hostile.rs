//! The hostile corpus: rule files and facts files written to break obligo
//! (`tests/hostile/` and `tests/bad/`), and inputs made at run time that
//! cannot be committed (a pipe, a link in a loop, 100,000-deep nesting, a
//! file over the size limit). Every one must end, quickly, in exit 2 and a
//! message that names the file, with its line and column where the input
//! has a place. Each corpus's messages are pinned in one snapshot, every
//! line cut at 160 characters so that a pin fits on a screen.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::root;
use crate::snap;

/// How long one hostile input may take, debug build and a busy machine
/// included; each takes milliseconds when all is well.
const BOUND: Duration = Duration::from_secs(10);

/// Runs obligo with a time bound; returns (exit code, standard error).
fn bounded(args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_obligo"))
        .args(args)
        .arg("--error-format")
        .arg("plain")
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read as it comes: a message longer than a pipe holds would block it.
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut err = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut err);
        String::from_utf8_lossy(&err).into_owned()
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code().unwrap_or(-1), reader.join().unwrap());
        }
        if start.elapsed() > BOUND {
            let _ = child.kill();
            panic!("obligo {args:?} ran past {BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The corpus files of a folder, sorted.
fn corpus(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

/// Checks one case: exit 2, the file named (with line:col when `placed`),
/// and adds its messages to the pin.
fn case(pin: &mut String, name: &str, shown: &str, placed: bool, args: &[&str]) {
    case_in(pin, name, shown, placed, args, None);
}

/// [`case`], with the scratch folder `tmp` shown as `<tmp>` in the pin
/// (before lines are cut, so that they are cut alike on every run).
fn case_in(
    pin: &mut String,
    name: &str,
    shown: &str,
    placed: bool,
    args: &[&str],
    tmp: Option<&str>,
) {
    let (code, err) = bounded(args);
    assert_eq!(code, 2, "{name}: exit {code}, not 2\n{err}");
    let first = err.lines().next().unwrap_or("");
    if placed {
        let at = format!("{shown}:");
        let located = first.strip_prefix(&at).is_some_and(|rest| {
            let mut parts = rest.splitn(3, ':');
            let line = parts.next().is_some_and(|l| l.parse::<u32>().is_ok());
            let col = parts.next().is_some_and(|c| c.parse::<u32>().is_ok());
            line && col
        });
        assert!(located, "{name}: no `{shown}:line:col` in\n{err}");
    } else {
        assert!(
            first.contains(shown),
            "{name}: `{shown}` not named in\n{err}"
        );
    }
    let err = match tmp {
        Some(tmp) => err.replace(tmp, "<tmp>"),
        None => err,
    };
    pin.push_str(&format!("== {name}\n"));
    for line in err.lines() {
        // Control characters (a NUL, a vertical tab) shown as escapes.
        let cut: String = line
            .chars()
            .take(160)
            .map(|c| {
                if c.is_control() && c != '\t' {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect();
        pin.push_str(cut.trim_end());
        pin.push('\n');
    }
}

#[test]
fn hostile_rule_files_end_in_located_errors() {
    let mut pin = String::new();
    let mut files = corpus("tests/bad/rules");
    files.extend(corpus("tests/hostile/rules"));
    assert!(files.len() >= 60, "{} rule files", files.len());
    // No facts at all: facts fit any ruleset, so only the rules can fail.
    let none = std::env::temp_dir().join(format!("obligo-no-facts-{}.yaml", std::process::id()));
    std::fs::write(&none, "facts: {}\n").unwrap();
    let none = none.display().to_string();
    for f in &files {
        let shown = rel(f);
        let args = ["check", "--rules", &shown, &none];
        case(&mut pin, &shown, &shown, true, &args);
    }
    snap!("hostile__rule_files", pin);
}

#[test]
fn hostile_facts_files_end_in_located_errors() {
    let mut pin = String::new();
    let bad = corpus("tests/bad/facts");
    let hostile = corpus("tests/hostile/facts");
    assert!(bad.len() + hostile.len() >= 40);
    for f in &bad {
        let shown = rel(f);
        let args = ["check", &shown, "--rules", "tests/good/ruleset"];
        case(&mut pin, &shown, &shown, true, &args);
    }
    for f in &hostile {
        let shown = rel(f);
        let args = [
            "check",
            &shown,
            "--as-of",
            "2024-06-30",
            "--known-on",
            "2024-06-30",
        ];
        case(&mut pin, &shown, &shown, true, &args);
    }
    snap!("hostile__facts_files", pin);
}

/// A fresh folder for the inputs made at run time.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("obligo-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn inputs_that_cannot_be_committed_end_in_errors_too() {
    let dir = scratch();
    let path = |name: &str| dir.join(name).display().to_string();
    let mut pin = String::new();
    let tmp = dir.display().to_string();
    let mut run = |name: &str, shown: &str, placed: bool, args: &[&str]| {
        case_in(&mut pin, name, shown, placed, args, Some(&tmp));
    };

    // 100,000-deep nesting, in a rule and in a facts file.
    let deep = format!(
        "ruleset deep \"Deep\" version \"1\" published 2024-01-01\nfact x: bool \"X\" ask \"X?\"\ndefine d = {}x{}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    std::fs::write(dir.join("deep.obl"), deep).unwrap();
    let facts = "tests/good/facts/in-england.yaml";
    run(
        "100,000 brackets",
        &path("deep.obl"),
        true,
        &["check", "--rules", &path("deep.obl"), facts],
    );
    let nested = format!(
        "facts:\n  practice_in_england: {}true{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(dir.join("deep.yaml"), nested).unwrap();
    run(
        "100,000 nested lists",
        &path("deep.yaml"),
        true,
        &["check", &path("deep.yaml")],
    );

    // 100,000 aggregates, each inside the one before's `where`.
    let deep_where = format!(
        "ruleset deep \"Deep\" version \"1\" published 2024-01-01\n\
         item sar \"request\", \"requests\" ask \"List them\"\n  field x: bool \"X\" ask \"X?\"\n\
         define d = {}sar.x\n",
        "any sar where ".repeat(100_000)
    );
    std::fs::write(dir.join("deep-where.obl"), deep_where).unwrap();
    run(
        "100,000 nested `where`s",
        &path("deep-where.obl"),
        true,
        &["check", "--rules", &path("deep-where.obl"), facts],
    );

    // One line of a megabyte.
    std::fs::write(dir.join("line.obl"), "x".repeat(1 << 20)).unwrap();
    run(
        "a 1 MiB line",
        &path("line.obl"),
        true,
        &["check", "--rules", &path("line.obl"), facts],
    );

    // Over the size limit.
    std::fs::write(
        dir.join("big.yaml"),
        format!("facts:\n{}", "  # padding\n".repeat(200)),
    )
    .unwrap();
    run(
        "over --max-file-size",
        &path("big.yaml"),
        false,
        &["check", &path("big.yaml"), "--max-file-size", "1KiB"],
    );

    // A folder, a missing file, a device.
    run(
        "a folder as a facts file",
        &path(""),
        false,
        &["check", &path("")],
    );
    run(
        "a missing facts file",
        &path("missing.yaml"),
        false,
        &["check", &path("missing.yaml")],
    );
    run(
        "a missing ruleset",
        &path("missing"),
        false,
        &["lint", &path("missing")],
    );
    run(
        "/dev/zero as a facts file",
        "/dev/zero",
        false,
        &["check", "/dev/zero"],
    );

    #[cfg(unix)]
    {
        // A link in a loop.
        std::os::unix::fs::symlink(dir.join("b.obl"), dir.join("a.obl")).unwrap();
        std::os::unix::fs::symlink(dir.join("a.obl"), dir.join("b.obl")).unwrap();
        run(
            "a link in a loop",
            &path("a.obl"),
            false,
            &["fmt", "--check", &path("a.obl")],
        );
        // Pipes with no writer: read, they would wait for ever.
        let fifo = |name: &str| {
            let status = Command::new("mkfifo").arg(dir.join(name)).status().unwrap();
            assert!(status.success());
        };
        fifo("pipe.yaml");
        run(
            "a pipe as a facts file",
            &path("pipe.yaml"),
            false,
            &["check", &path("pipe.yaml")],
        );
        std::fs::create_dir_all(dir.join("rules")).unwrap();
        fifo("rules/pipe.obl");
        run(
            "a pipe in a ruleset folder",
            &path("rules/pipe.obl"),
            false,
            &["check", "--rules", &path("rules"), facts],
        );
        fifo("pipe.jsonl");
        run(
            "a pipe as a batch input",
            &path("pipe.jsonl"),
            false,
            &["batch", &path("pipe.jsonl")],
        );
    }
    snap!("hostile__made_at_run_time", pin);
}

/// `9999-12-31 + 1 day` is no date a file can write: the deadline is
/// unknown, never shown as `+10000-01-01`.
#[test]
fn a_date_past_year_9999_is_no_date() {
    let rs = crate::common::ruleset_text(
        "ruleset far \"Far\" version \"1\" published 2024-01-01\n\
         authority contract \"The contract\" binding\n\
         source letter \"Letter\" by contract published 2024-01-01\n\
         fact x: bool \"X\" ask \"X?\"\n\
         obligation r \"R\" by contract\n\
         \x20 version from 2024-01-01 published 2024-01-01\n\
         \x20   cites letter\n\
         \x20   deadline 9999-12-31 + 1 day\n\
         \x20   met when x\n",
    );
    let facts = crate::common::facts(&rs, "x.yaml", "facts:\n  x: false\n");
    let out = crate::common::run(&rs, &facts, "2024-06-30", "2024-06-30");
    let r = crate::common::result(&rs, &out, "r");
    assert_eq!(r.deadline, obligo::eval::Deadline::Unknown);
}

/// A name or id that would print a line of its own, or that a terminal
/// would obey (an escape code, a carriage return), is refused where it is
/// written: a report never shows a forged verdict line or clears a screen.
#[test]
fn a_name_or_id_with_a_line_break_or_control_character_is_refused() {
    let dir = crate::common::Scratch::new("control-names");
    let file = dir.write(
        "forged.yaml",
        "organisation:\n  name: \"Oak\\nverdict: no binding duty is overdue\"\n  id: \"ZZ\\u001b[2J01\\r\"\nfacts: {}\n",
    );
    let (code, _, err) = crate::common::obligo(&["check", &file, "--error-format", "plain"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("forged.yaml:2:9: error: `name` should be a name on one line, not `Oak\\nverdict: no binding duty is overdue`"),
        "{err}"
    );
    assert!(
        err.contains("forged.yaml:3:7: error: `id` should be an identifier on one line, not `ZZ\\u{1b}[2J01\\r`"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}'),
        "the escape code is shown, not sent: {err:?}"
    );
}

/// A huge wrong answer is quoted by its start and its length, not whole.
#[test]
fn a_huge_wrong_answer_is_quoted_short() {
    let dir = crate::common::Scratch::new("huge-answer");
    let file = dir.write(
        "huge.yaml",
        &format!("facts:\n  contract_type: {}\n", "A".repeat(1 << 20)),
    );
    let (code, _, err) = crate::common::obligo(&["check", &file, "--error-format", "plain"]);
    assert_eq!(code, 2, "{err}");
    let first = err.lines().next().unwrap_or_default();
    assert!(
        first.ends_with(&format!(
            "huge.yaml:2:18: error: `contract_type` should be one of the listed choices, not `{}…` (1048576 characters in all)",
            "A".repeat(60)
        )),
        "{first}"
    );
    assert!(err.len() < 2_000, "{} bytes of error", err.len());
}
