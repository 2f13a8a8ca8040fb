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

/// A ruleset whose one rule has `n` versions, two days apart from
/// 1900-01-01, all published 1899-12-01 but the 10,000th (2050-01-01).
/// Some are written to be found: a deadline before its version starts
/// (the 4th), after it ends (every 1,000th from the 501st), a gap after
/// every 5,000th from the 2,001st, and a last version that runs out.
fn many_versions(n: usize) -> String {
    let mut text = String::from(
        "ruleset many \"Many versions\" version \"1\" published 2100-01-01\n\n\
         authority contract \"GP contract\" binding\n\n\
         source letter \"A letter\" by contract published 1899-01-01\n\n\
         fact in_england: bool\n  \"In England\"\n  ask \"Does the practice hold a contract in England?\"\n\n\
         fact switched_on: date, optional\n  \"Switched on\"\n  ask \"On what date was it switched on?\"\n\n\
         obligation switch-on \"Switch on\" by contract\n",
    );
    for i in 0..n {
        let from = version_day(i, 0);
        let until = if i % 5000 == 2000 || i + 1 == n {
            format!(" until {from}")
        } else {
            String::new()
        };
        let published = if i == 10_000 {
            "2050-01-01"
        } else {
            "1899-12-01"
        };
        let deadline = match i {
            3 => version_day(i, -1),
            // Outside the window known today, inside the one known when it
            // was published (before the 10,000th version was).
            9_999 => version_day(i, 3),
            _ if i % 1000 == 500 => version_day(i, 5),
            _ => from,
        };
        text.push_str(&format!(
            "  version from {from}{until} published {published}\n    cites letter\n    \
             applies when in_england\n    deadline {deadline}\n    met when switched_on is set\n    \
             met on switched_on\n\n"
        ));
    }
    text
}

/// The `i`th version's first day, moved by `plus` days.
fn version_day(i: usize, plus: i64) -> chrono::NaiveDate {
    let first = crate::common::d("1900-01-01");
    first + chrono::Duration::days(2 * i as i64 + plus)
}

#[test]
fn a_rule_with_twenty_thousand_versions_is_linted_whole() {
    let rs = crate::common::ruleset_text(&many_versions(20_000));
    let mut found: Vec<(&str, String)> = lint(&rs)
        .iter()
        .map(|d| (d.code.unwrap_or(""), d.label.clone()))
        .collect();
    found.sort();
    let mut expected = vec![
        (
            "rule-runs-out",
            format!("its last version ends on {}", version_day(19_999, 0)),
        ),
        (
            "deadline-outside-window",
            format!(
                "{} is before the version starts ({})",
                version_day(3, -1),
                version_day(3, 0)
            ),
        ),
    ];
    for i in (500..20_000).step_by(1000) {
        expected.push((
            "deadline-outside-window",
            format!(
                "{} is after the version ends ({})",
                version_day(i, 5),
                version_day(i, 1)
            ),
        ));
    }
    for i in (2000..20_000).step_by(5000) {
        expected.push((
            "version-gap",
            format!(
                "no version in force from {} to {} (1 day)",
                version_day(i, 1),
                version_day(i, 1)
            ),
        ));
    }
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn a_deadline_through_definitions_used_twice_each_is_read_once_per_definition() {
    // `d40` can only be 2023-08-01, reached along 2^40 paths: read once per
    // definition, and named once in the label.
    let mut text = String::from(
        "ruleset shared \"Shared definitions\" version \"1\" published 2024-01-31\n\
         authority contract \"GP contract\" binding\n\
         source letter \"A letter\" by contract published 2023-03-06\n\
         fact in_england: bool \"In England\" ask \"In England?\"\n\
         define d0 = 2023-08-01\n",
    );
    for i in 1..=40 {
        let before = i - 1;
        text.push_str(&format!(
            "define d{i} = if in_england then d{before} else d{before}\n"
        ));
    }
    text.push_str(
        "obligation r \"R\" by contract\n\
         \x20 version from 2023-04-01 until 2023-06-30 published 2023-03-06\n\
         \x20   cites letter\n\
         \x20   applies when in_england\n\
         \x20   deadline d40\n\
         \x20   met when in_england\n",
    );
    let rs = crate::common::ruleset_text(&text);
    let found: Vec<_> = lint(&rs)
        .into_iter()
        .filter(|d| d.code == Some("deadline-outside-window"))
        .map(|d| d.label)
        .collect();
    assert_eq!(found, ["2023-08-01 is after the version ends (2023-06-30)"]);
}
