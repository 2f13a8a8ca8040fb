//! `obligo lint`: each check has a bad example (a ruleset folder under
//! tests/bad/lint/, named for its code) whose findings are pinned; a clean
//! ruleset and the bundled one have none; exit codes are those of `check`.

use obligo::diagnostic::Severity;
use obligo::lint::{Check, lint};

use crate::common::{obligo, root, ruleset};
use crate::snap;

#[test]
fn every_check_has_a_bad_example_whose_findings_are_pinned() {
    for check in Check::ALL {
        let dir = format!("tests/bad/lint/{}", check.code());
        let (code, out, err) = obligo(&["lint", &dir]);
        assert_eq!(code, 1, "{dir}: exit 1 for findings\n{out}{err}");
        assert!(err.is_empty(), "{dir}: {err}");
        assert!(
            out.contains(&format!("[{}] ", check.code())),
            "{dir}:\n{out}"
        );
        assert!(
            out.contains(&format!("{dir}/rules.obl:")),
            "{dir}: located:\n{out}"
        );
        assert!(out.contains("help: "), "{dir}: says how to fix it:\n{out}");
        snap!(format!("lint__{}", check.code()), out);
    }
}

#[test]
fn every_bad_example_is_named_for_a_check() {
    let codes: Vec<&str> = Check::ALL.iter().map(|c| c.code()).collect();
    for entry in std::fs::read_dir(root().join("tests/bad/lint")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            codes.contains(&name.as_str()),
            "no check is called `{name}`"
        );
    }
}

#[test]
fn a_clean_ruleset_has_no_findings() {
    let (code, out, err) = obligo(&["lint", "tests/good/lint"]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "no findings\n", ""));
}

#[test]
fn the_bundled_ruleset_passes() {
    let (code, out, err) = obligo(&["lint", "rules/"]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "no findings\n", ""));
}

#[test]
fn without_a_path_lint_checks_the_bundled_ruleset() {
    let bundled = obligo(&["lint"]);
    assert_eq!(bundled, obligo(&["lint", "rules/"]));
    assert_eq!(bundled, obligo(&["lint", "rules/england-gp-record-access"]));
}

#[test]
fn a_folder_of_rulesets_and_several_paths_are_checked_together() {
    let (code, out, _) = obligo(&["lint", "tests/bad/lint"]);
    assert_eq!(code, 1);
    let findings = out.matches("warning: [").count();
    assert_eq!(
        out.lines().last(),
        Some(format!("{findings} findings in {} files", Check::ALL.len()).as_str())
    );

    let (code, out, _) = obligo(&["lint", "tests/good/lint", "tests/bad/lint/no-question"]);
    assert_eq!(code, 1);
    assert!(out.ends_with("\n1 finding in 1 file\n"), "{out}");
}

#[test]
fn bad_paths_and_rulesets_that_do_not_load_exit_2() {
    let (code, out, err) = obligo(&["lint", "tests/good/lint", "no/such/folder"]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "nothing is checked after a bad path: {out}");
    assert!(
        err.contains("cannot read the folder `no/such/folder`"),
        "{err}"
    );
    assert!(err.contains("help: "), "{err}");

    let (code, _, err) = obligo(&["lint", "examples"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("the folder `examples` holds no `.obl` rule files and no ruleset folders"),
        "{err}"
    );

    let broken = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("lint-broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(
        broken.join("rules.obl"),
        "ruleset broken \"Broken\" version \"1\" published 2024-01-31\n\
         fact x: bool \"X\" ask \"X?\"\n\
         fact x: bool \"X\" ask \"X?\"\n",
    )
    .unwrap();
    let (code, out, err) = obligo(&["lint", broken.to_str().unwrap(), "tests/good/lint"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("rules.obl:3:6") && err.contains("name `x` is declared twice"),
        "the load error is shown: {err}"
    );
    assert_eq!(out, "no findings; 1 ruleset did not load\n");
}

#[test]
fn findings_are_warnings_in_order_of_place() {
    let rs = ruleset("tests/bad/lint/unused-fact");
    let found = lint(&rs);
    assert_eq!(found.len(), 3);
    assert!(found.iter().all(|d| d.severity == Severity::Warning));
    let places: Vec<_> = found.iter().map(|d| d.span.unwrap()).collect();
    let mut sorted = places.clone();
    sorted.sort();
    assert_eq!(places, sorted);
}
