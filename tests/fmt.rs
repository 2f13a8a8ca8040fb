//! `obligo fmt`: the canonical layout of a messy file, comments kept,
//! `--check` and its exit codes, located parse errors, and the bundled
//! ruleset kept formatted.

mod property;

use std::path::Path;
use std::process::Command;

use crate::common::{Scratch, obligo, root};
use crate::snap;

const MESSY: &str = "tests/fmt/messy.obl";

/// Comment lines and line ends, in order (the fixtures have no `#` in quotes).
fn comments(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| l.find('#').map(|i| l[i..].trim_end()))
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn a_messy_file_is_rewritten_in_the_canonical_layout() {
    let dir = Scratch::new("fmt-messy");
    let file = dir.copy(MESSY, "messy.obl");
    let (code, out, err) = obligo(&["fmt", dir.path()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, format!("formatted {}\n", file.display()));
    let formatted = read(&file);
    snap!("fmt__messy", &formatted);
    assert_eq!(comments(&formatted), comments(&read(&root().join(MESSY))));

    let (code, out, _) = obligo(&["fmt", dir.path()]);
    assert_eq!(
        (code, out.as_str()),
        (0, ""),
        "a second run changes nothing"
    );
    assert_eq!(read(&file), formatted);
    let (code, out, _) = obligo(&["fmt", "--check", file.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(out, "1 rule file checked: all formatted\n");
}

#[test]
fn check_shows_where_a_file_differs_and_changes_nothing() {
    let before = read(&root().join(MESSY));
    let (code, out, err) = obligo(&["fmt", "--check", MESSY]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("tests/fmt/messy.obl:2: not formatted\n"),
        "{out}"
    );
    snap!("fmt__check_messy", &out);
    assert_eq!(read(&root().join(MESSY)), before);
}

#[test]
fn a_folder_is_searched_below_skipping_hidden_folders() {
    let dir = Scratch::new("fmt-default");
    let nested = dir.copy(MESSY, "a/b/messy.obl");
    let tidy = dir.copy("rules/england-gp-record-access/ico.obl", "ico.obl");
    dir.copy(MESSY, ".hidden/skipped.obl");
    // The current folder, named; with no path `fmt` takes `rules/` or the
    // bundled ruleset, as lint and test do (tests/defaults.rs).
    let output = Command::new(env!("CARGO_BIN_EXE_obligo"))
        .args(["fmt", "--check", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        out.starts_with("./a/b/messy.obl:2: not formatted\n"),
        "{out}"
    );
    assert!(
        out.ends_with("2 rule files checked: 1 not formatted; run `obligo fmt` to format them\n"),
        "{out}"
    );
    assert!(!out.contains("ico.obl") && !out.contains("hidden"), "{out}");
    assert_eq!(read(&nested), read(&root().join(MESSY)));
    assert_eq!(
        read(&tidy),
        read(&root().join("rules/england-gp-record-access/ico.obl"))
    );
}

#[test]
fn a_file_that_does_not_parse_exits_2_with_a_located_message() {
    let dir = Scratch::new("fmt-bad");
    let bad = dir.copy("tests/bad/rules/unterminated-string.obl", "bad.obl");
    let messy = dir.copy(MESSY, "messy.obl");
    let (text, untidy) = (read(&bad), read(&messy));
    for check in [true, false] {
        let mut args = vec!["fmt", dir.path()];
        if check {
            args.insert(1, "--check");
        }
        let (code, _, err) = obligo(&args);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(&format!("{}:6:14", bad.display())), "{err}");
        assert!(
            err.contains("help: end the text with a double quote"),
            "{err}"
        );
        assert_eq!(read(&bad), text, "left as it was");
    }
    assert_ne!(
        read(&messy),
        untidy,
        "the file that parses is still formatted"
    );
    assert_eq!(obligo(&["fmt", "--check", messy.to_str().unwrap()]).0, 0);
    let (code, _, err) = obligo(&["fmt", "--check", "tests/bad/rules/unterminated-string.obl"]);
    assert_eq!(code, 2);
    snap!("fmt__parse_error", err);
}

#[test]
fn paths_that_hold_no_rule_files_exit_2() {
    let (code, _, err) = obligo(&["fmt", "--check", "no/such/path.obl"]);
    assert_eq!(code, 2);
    assert!(err.contains("`no/such/path.obl` does not exist"), "{err}");
    let (code, _, err) = obligo(&["fmt", "--check", "examples"]);
    assert_eq!(code, 2);
    assert!(err.contains("no `.obl` rule files in `examples`"), "{err}");
}

#[test]
fn the_bundled_ruleset_is_formatted() {
    let (code, out, err) = obligo(&["fmt", "--check", "rules/"]);
    assert_eq!(code, 0, "run `obligo fmt rules/`:\n{out}{err}");
    assert!(
        out.ends_with("rule files checked: all formatted\n"),
        "{out}"
    );
}

#[test]
fn items_for_each_field_reads_and_aggregates_get_the_house_layout() {
    let dir = Scratch::new("fmt-items");
    let file = dir.copy("tests/fmt/items.obl", "items.obl");
    let (code, _, err) = obligo(&["fmt", dir.path()]);
    assert_eq!(code, 0, "{err}");
    let formatted = read(&file);
    snap!("fmt__items", &formatted);
    assert_eq!(
        comments(&formatted),
        comments(&read(&root().join("tests/fmt/items.obl")))
    );
    for line in [
        "item sar \"subject access request\", \"subject access requests\"\n  ask \"List every",
        "\n  field received: date \"Date received\" ask \"When was it received?\"\n",
        "\n  field answered: date, optional\n    \"Date answered\"\n    ask \"When was it",
        "\n  by ico\n  for each sar where sar.received >= 2018-05-25 and sar.fee = 0\n  version",
        "\n  for each period\n  version",
        "deadline sar.received + (if sar.extended",
        // Too wide for one line, the filter's first operand of `or` breaks
        // at its `and`s, one step further in than the `or`.
        "\n  all sar\n  where sar.answered is set\n      and sar.received >= 2023-01-01\n",
        "\n    or latest sar.answered where sar.fee > 0 is missing\n",
    ] {
        assert!(formatted.contains(line), "{line:?} in\n{formatted}");
    }
    let (code, out, _) = obligo(&["fmt", "--check", file.to_str().unwrap()]);
    assert_eq!(
        (code, out.as_str()),
        (0, "1 rule file checked: all formatted\n")
    );
}
