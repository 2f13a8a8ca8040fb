//! `--error-format human|plain|json`: the same problems, for people, for logs
//! and for editors; and colour only where it belongs.

use obligo::diagnostic::colour_wanted;

use crate::common::obligo;
use crate::snap;

fn several_errors(format: &str) -> (i32, String) {
    let (code, out, err) = obligo(&[
        "check",
        "examples/early-adopter.yaml",
        "--rules",
        "tests/bad/rules/several-errors.obl",
        "--error-format",
        format,
    ]);
    assert!(out.is_empty(), "{out}");
    (code, err)
}

#[test]
fn plain_gives_one_located_line_per_problem_with_the_text_and_a_caret() {
    let (code, err) = several_errors("plain");
    assert_eq!(code, 2);
    assert!(
        err.starts_with(
            "tests/bad/rules/several-errors.obl:6:21: error: unknown authority `contrat`\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("  |                     ^^^^^^^ not declared\n"),
        "{err}"
    );
    snap!("diagnostics__plain", err);
}

#[test]
fn json_gives_every_problem_with_its_place_and_fix() {
    let (code, err) = several_errors("json");
    assert_eq!(code, 2);
    let doc: serde_json::Value = serde_json::from_str(&err).unwrap();
    assert_eq!(doc["errors"], 4);
    assert_eq!(doc["warnings"], 0);
    let first = &doc["diagnostics"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["message"], "unknown authority `contrat`");
    assert_eq!(
        first["location"]["file"],
        "tests/bad/rules/several-errors.obl"
    );
    assert_eq!(first["location"]["line"], 6);
    assert_eq!(first["location"]["column"], 21);
    assert_eq!(first["location"]["end_column"], 28);
    assert_eq!(first["help"], "did you mean `contract`?");
}

#[test]
fn human_is_the_default_and_has_no_colour_off_a_terminal() {
    let (code, default) = several_errors("human");
    assert_eq!(code, 2);
    let (_, out, err) = obligo(&[
        "check",
        "examples/early-adopter.yaml",
        "--rules",
        "tests/bad/rules/several-errors.obl",
    ]);
    assert!(out.is_empty());
    assert_eq!(err, default);
    assert!(!err.contains('\u{1b}'), "no escape codes: {err}");
    assert!(
        err.contains("╭─[tests/bad/rules/several-errors.obl:6:21]"),
        "{err}"
    );
}

#[test]
fn facts_file_problems_follow_the_format_too() {
    let (code, _, err) = obligo(&[
        "check",
        "tests/bad/facts/unknown-fact.yaml",
        "--rules",
        "tests/good/ruleset",
        "--error-format",
        "json",
    ]);
    assert_eq!(code, 2);
    let doc: serde_json::Value = serde_json::from_str(&err).unwrap();
    assert_eq!(
        doc["diagnostics"][0]["location"]["file"],
        "tests/bad/facts/unknown-fact.yaml"
    );
}

#[test]
fn a_bad_flag_under_json_is_json() {
    let (code, _, err) = obligo(&[
        "check",
        "examples/early-adopter.yaml",
        "--as-of",
        "2023-13-01",
        "--error-format",
        "json",
    ]);
    assert_eq!(code, 2);
    let doc: serde_json::Value = serde_json::from_str(&err).unwrap();
    let message = doc["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("`2023-13-01` is not a date"), "{message}");
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    use std::ffi::OsStr;
    assert!(colour_wanted(true, None));
    assert!(
        colour_wanted(true, Some(OsStr::new(""))),
        "an empty NO_COLOR does not count"
    );
    assert!(!colour_wanted(true, Some(OsStr::new("1"))));
    assert!(!colour_wanted(false, None));
}

#[test]
fn output_that_cannot_be_written_is_an_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not a Linux machine
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_obligo"))
        .args(["check", "examples/paused-emis.yaml"])
        .current_dir(crate::common::root())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the output"));
}

#[test]
fn lint_findings_under_json_are_one_document() {
    let (code, out, _) = obligo(&["lint", "tests/bad/lint", "--error-format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = doc["diagnostics"].as_array().unwrap();
    assert!(findings.len() >= 10);
    assert_eq!(doc["warnings"], findings.len());
    assert!(findings.iter().all(|f| f["severity"] == "warning"));
}

#[test]
fn a_file_that_is_not_utf8_is_named_and_the_fix_given() {
    let dir = std::env::temp_dir().join(format!("obligo-latin1-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let facts = dir.join("latin1.yaml");
    std::fs::write(&facts, b"facts:\n  in_england: true # caf\xe9\n").unwrap();
    let (code, _, err) = obligo(&[
        "check",
        &facts.to_string_lossy(),
        "--rules",
        "tests/good/ruleset",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("is not UTF-8 text"), "{err}");
    assert!(err.contains("save it as UTF-8"), "{err}");
    // A rule file starting with a byte-order mark (as some editors write) loads.
    let rules = dir.join("bom.obl");
    let mut text = vec![0xef, 0xbb, 0xbf];
    for f in [
        "tests/good/ruleset/header.obl",
        "tests/good/ruleset/rules.obl",
    ] {
        text.extend(std::fs::read(crate::common::root().join(f)).unwrap());
    }
    std::fs::write(&rules, text).unwrap();
    let (code, _, err) = obligo(&[
        "check",
        "tests/good/facts/in-england.yaml",
        "--rules",
        &rules.to_string_lossy(),
        "--as-of",
        "2023-06-01",
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_ne!(code, 2, "{err}");
}
