//! `fmt`, `lint` and `test` share one default: `rules/` in the current
//! folder if it holds a ruleset, else the bundled ruleset built into the
//! binary, whose scenarios are built in too (so `obligo test` works from
//! any folder, as an installed binary would run).

use std::path::Path;

use crate::common::{obligo_in, root};

/// Copies the files of `from` (under the repository) into `to`, one level.
fn copy_folder(from: &str, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(root().join(from)).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn outside_any_ruleset_folder_the_bundled_ruleset_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let bundled_files = obligo::load::bundled_files().len();

    let (code, out, err) = obligo_in(dir.path(), &["lint"]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "no findings\n", ""));

    for args in [&["fmt", "--check"][..], &["fmt"]] {
        let (code, out, err) = obligo_in(dir.path(), args);
        assert_eq!(
            (code, out, err),
            (
                0,
                format!(
                    "{bundled_files} rule files of the bundled ruleset checked: all formatted\n"
                ),
                String::new()
            ),
            "{args:?}"
        );
    }
    // Nothing was written: the bundled ruleset lives in the binary.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let (code, out, err) = obligo_in(dir.path(), &["test", "--coverage", "--min-coverage", "100"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(
        out.starts_with("Online access to GP records (England)\n"),
        "{out}"
    );
    assert!(
        out.contains("\nrules/england-gp-record-access/scenarios/paused-emis.yaml\n"),
        "the built-in scenarios are named as in obligo's source: {out}"
    );
    assert!(out.contains(" passed, 0 failed, "), "{out}");
    assert!(out.contains("coverage meets the minimum of 100%"), "{out}");
    // The same run as from obligo's own folder, where rules/ holds the files.
    let (_, from_source, _) = obligo_in(&root(), &["test", "--coverage"]);
    let (_, from_anywhere, _) = obligo_in(dir.path(), &["test", "--coverage"]);
    assert_eq!(from_anywhere, from_source);
}

#[test]
fn an_empty_rules_folder_is_not_a_ruleset() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(dir.path().join("rules/notes.txt"), "not rules").unwrap();
    let (code, out, _) = obligo_in(dir.path(), &["lint"]);
    assert_eq!((code, out.as_str()), (0, "no findings\n"));
    let (code, out, _) = obligo_in(dir.path(), &["fmt", "--check"]);
    assert_eq!(code, 0);
    assert!(
        out.ends_with("of the bundled ruleset checked: all formatted\n"),
        "{out}"
    );
}

#[test]
fn a_rules_folder_in_the_current_folder_is_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("rules/good");
    copy_folder("tests/good/ruleset", &good);
    copy_folder("tests/good/ruleset/scenarios", &good.join("scenarios"));

    let (code, out, err) = obligo_in(dir.path(), &["test"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("\nrules/good/scenarios/target.yaml\n"),
        "{out}"
    );
    assert_eq!(
        obligo_in(dir.path(), &["test"]),
        obligo_in(dir.path(), &["test", "rules/good"])
    );
    assert_eq!(
        obligo_in(dir.path(), &["lint"]),
        obligo_in(dir.path(), &["lint", "rules/"])
    );
    assert_eq!(
        obligo_in(dir.path(), &["fmt", "--check"]),
        obligo_in(dir.path(), &["fmt", "--check", "rules/"])
    );
}

#[test]
fn fmt_with_no_path_formats_the_rules_folder() {
    let dir = tempfile::tempdir().unwrap();
    let messy = dir.path().join("rules/mine/messy.obl");
    std::fs::create_dir_all(messy.parent().unwrap()).unwrap();
    std::fs::copy(root().join("tests/fmt/messy.obl"), &messy).unwrap();
    // Not the current folder: a rule file outside rules/ is left alone.
    std::fs::copy(
        root().join("tests/fmt/messy.obl"),
        dir.path().join("elsewhere.obl"),
    )
    .unwrap();
    let (code, out, _) = obligo_in(dir.path(), &["fmt", "--check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("rules/mine/messy.obl:"), "{out}");
    assert!(
        out.ends_with("1 rule file checked: 1 not formatted; run `obligo fmt` to format them\n"),
        "{out}"
    );
    let (code, out, _) = obligo_in(dir.path(), &["fmt"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "formatted rules/mine/messy.obl\n")
    );
    let (code, _, _) = obligo_in(dir.path(), &["fmt", "--check"]);
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("elsewhere.obl")).unwrap(),
        std::fs::read_to_string(root().join("tests/fmt/messy.obl")).unwrap()
    );
}

#[test]
fn test_names_one_ruleset_when_rules_holds_several() {
    let dir = tempfile::tempdir().unwrap();
    copy_folder("tests/good/ruleset", &dir.path().join("rules/a"));
    copy_folder("tests/good/ruleset", &dir.path().join("rules/b"));
    let (code, out, err) = obligo_in(dir.path(), &["test"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains(
            "2 rulesets found: `rules/a`, `rules/b`; `obligo test` runs one ruleset's scenarios"
        ),
        "{err}"
    );
    assert!(err.contains("obligo test PATH"), "{err}");
    // lint takes them all.
    let (code, out, _) = obligo_in(dir.path(), &["lint"]);
    assert!(
        out.contains("rules/a/rules.obl") && out.contains("rules/b/rules.obl"),
        "{out}"
    );
    assert_eq!((code, out), {
        let (code, out, _) = obligo_in(dir.path(), &["lint", "rules/a", "rules/b"]);
        (code, out)
    });
}

#[test]
fn each_help_says_the_default() {
    for command in ["fmt", "lint", "test"] {
        let (code, out, _) = obligo_in(&root(), &[command, "--help"]);
        assert_eq!(code, 0);
        let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(
                "(default: `rules/` in the current folder if it holds a ruleset, else the bundled ruleset built into obligo)"
            ),
            "{command}: {out}"
        );
    }
}
