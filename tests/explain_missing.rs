//! `obligo explain` and `obligo missing`: one rule in full, the open
//! questions, and the blank facts file for a new practice.

use crate::common::{files, obligo, rel, without_hashes};
use crate::snap;

const DATE: [&str; 4] = ["--as-of", "2024-06-30", "--known-on", "2024-06-30"];

fn run(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend_from_slice(&DATE);
    let (code, out, err) = obligo(&all);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    out
}

#[test]
fn explain_the_contract_rule_for_every_example() {
    for example in files("examples", "yaml") {
        let path = rel(&example);
        let out = run(&["explain", "prospective-record-access", &path]);
        assert!(
            out.contains("versions (as known on 2024-06-30):\n"),
            "{out}"
        );
        assert!(out.contains(": used\n"), "the version used is named: {out}");
        let stem = example.file_stem().unwrap().to_string_lossy().into_owned();
        snap!(format!("explain__{stem}"), without_hashes(&out));
    }
}

#[test]
fn explain_names_each_fact_with_its_file_and_line() {
    let out = run(&[
        "explain",
        "prospective-record-access",
        "examples/paused-emis.yaml",
    ]);
    assert!(
        out.contains("prospective_access_switch_on_date  2023-11-20  (Date automatic access to new record entries went live; examples/paused-emis.yaml:11)"),
        "{out}"
    );
    // Both versions, the one in force marked as used.
    assert!(
        out.contains(
            "1. from 2023-04-01 until 2023-05-14, published 2023-03-06: no longer in force"
        ),
        "{out}"
    );
    assert!(
        out.contains("2. from 2023-05-15, published 2023-04-17: used"),
        "{out}"
    );
}

#[test]
fn explain_before_a_rule_existed_says_so() {
    let (code, out, _) = obligo(&[
        "explain",
        "prospective-record-access",
        "examples/paused-emis.yaml",
        "--as-of",
        "2022-11-15",
        "--known-on",
        "2022-11-15",
    ]);
    assert_eq!(code, 0);
    // What came after the date of knowledge is counted, never shown.
    assert!(
        out.contains("(2 later versions were published after 2022-11-15: not shown)"),
        "{out}"
    );
    assert!(!out.contains("2023-04-01"), "{out}");
    assert!(
        out.contains("no version of this rule was published by 2022-11-15"),
        "{out}"
    );
}

#[test]
fn explain_an_unknown_rule_suggests_the_nearest() {
    let (code, _, err) = obligo(&[
        "explain",
        "prospective-records-access",
        "examples/paused-emis.yaml",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown rule `prospective-records-access`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `prospective-record-access`?"),
        "{err}"
    );
}

#[test]
fn missing_for_every_example_most_useful_first() {
    for example in files("examples", "yaml") {
        let path = rel(&example);
        let out = run(&["missing", &path]);
        let counts: Vec<usize> = out
            .lines()
            .filter_map(|l| l.trim().strip_prefix("needed by "))
            .map(|l| l.split(' ').next().unwrap().parse().unwrap())
            .collect();
        assert!(
            counts.windows(2).all(|w| w[0] >= w[1]),
            "{path}: {counts:?}"
        );
        let stem = example.file_stem().unwrap().to_string_lossy().into_owned();
        snap!(format!("missing__{stem}"), out);
    }
    let out = run(&["missing", "examples/missing-facts.yaml"]);
    assert!(
        out.starts_with("Quillon House Surgery (examples/missing-facts.yaml)\n"),
        "{out}"
    );
    assert!(out.contains("[ ] 1. "), "{out}");
}

#[test]
fn missing_for_a_complete_practice_has_nothing_to_ask() {
    let out = run(&["missing", "examples/early-adopter.yaml"]);
    assert!(out.contains("nothing to answer"), "{out}");
}

/// A value of the right kind for a fact, from its answer hint.
fn fill(hint: &str) -> String {
    let hint = hint.trim_start_matches("# (").trim_end_matches(')');
    if let Some(choices) = hint.strip_prefix("one of: ") {
        return choices.split(", ").next().unwrap().to_string();
    }
    match hint.split(';').next().unwrap() {
        "true for yes, false for no" => "true",
        "a whole number" => "3",
        "a number" => "1.5",
        h if h.starts_with("a percentage") => "12.5",
        "a date, YYYY-MM-DD" => "2023-10-31",
        "a date and UK time, YYYY-MM-DDTHH:MM" => "2022-11-04T16:30",
        "a month, YYYY-MM" => "2024-05",
        _ => "\"some text\"",
    }
    .to_string()
}

#[test]
fn the_template_loads_once_its_blanks_are_filled() {
    let (code, template, _) = obligo(&["missing", "--template"]);
    assert_eq!(code, 0);
    // As written, blanks are refused: nothing is left out by accident.
    let dir = std::env::temp_dir().join(format!("obligo-template-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let blank = dir.join("blank.yaml");
    std::fs::write(&blank, &template).unwrap();
    let (code, _, err) = obligo(&["check", &blank.to_string_lossy()]);
    assert_eq!(code, 2, "{err}");
    // Filled in: every fact answered, the organisation named.
    let mut filled = String::new();
    let mut hint = String::new();
    let mut facts = 0;
    for line in template.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("# (") {
            hint = trimmed.to_string();
        }
        let out = match trimmed {
            l if l.starts_with("name:") => "  name: Test Surgery".to_string(),
            l if l.starts_with("id:") => "  id: ZZ9999".to_string(),
            l if l.starts_with("recorded:") => "  recorded: 2024-06-30".to_string(),
            l if l.ends_with(':') && line.starts_with("  ") && !l.starts_with('#') => {
                facts += 1;
                format!("{line} {}", fill(&hint))
            }
            _ => line.to_string(),
        };
        filled.push_str(&out);
        filled.push('\n');
    }
    assert!(facts >= 30, "{facts} facts in the template");
    let path = dir.join("filled.yaml");
    std::fs::write(&path, &filled).unwrap();
    let (code, _, err) = obligo(&["check", &path.to_string_lossy(), "--as-of", "2024-06-30"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_ne!(code, 2, "{err}\n{filled}");
    assert!(err.is_empty(), "{err}");
}
