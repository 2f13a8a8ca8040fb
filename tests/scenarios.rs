//! `obligo test`: a ruleset's scenarios pass or fail, with expected against
//! actual and the explanation; coverage and its threshold; every error in a
//! scenario file located; exit codes 0, 1 and 2.

use serde_json::Value;

use crate::common::{features, files, obligo, rel, root, without_hashes};
use crate::snap;

/// Reads one scenario file against the features ruleset and renders its errors.
fn scenario_errors(path: &std::path::Path) -> String {
    let rs = features();
    let mut sources = obligo::source::SourceMap::default();
    let id = sources.add(rel(path), std::fs::read_to_string(path).unwrap());
    match obligo::scenario::read(&rs, &sources, id) {
        Ok(_) => panic!("{}: expected errors", path.display()),
        Err(e) => obligo::diagnostic::render_all(&e, &sources),
    }
}

/// Reads scenario text against the features ruleset.
fn read(yaml: &str) -> Vec<obligo::scenario::Scenario> {
    let rs = features();
    let mut sources = obligo::source::SourceMap::default();
    let id = sources.add("inline.yaml", yaml);
    match obligo::scenario::read(&rs, &sources, id) {
        Ok(s) => s,
        Err(e) => panic!("{}", obligo::diagnostic::render_all(&e, &sources)),
    }
}

#[test]
fn the_bundled_scenarios_pass_and_reach_every_rule() {
    let (code, out, err) = obligo(&[
        "test",
        "rules/england-gp-record-access",
        "--coverage",
        "--min-coverage",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    let run: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(run["schema_version"], 2);
    assert_eq!(run["ruleset"]["name"], "england-gp-record-access");
    assert_eq!(run["summary"]["failed"], 0);
    assert!(run["summary"]["scenarios"].as_u64().unwrap() >= 100);
    let coverage = &run["coverage"];
    assert_eq!(coverage["rules"], 24);
    assert_eq!(coverage["rules_reached"], 24);
    assert_eq!(coverage["percent"], 100.0);
    assert_eq!(coverage["below_minimum"], false);
    for rule in coverage["by_rule"].as_array().unwrap() {
        let reached = rule["statuses"].as_array().unwrap().len();
        assert!(reached >= 3, "{} reaches {reached} statuses", rule["rule"]);
    }
    // Scenarios written from the research that the rules answer otherwise:
    // the lead decides which is right. A new one must be added here on purpose.
    let disputed: Vec<&str> = run["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["outcome"] == "disputed")
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        disputed,
        [
            "A practice giving access as the contract and the dashboard expect is not one the ICB follows up",
            "Before the Regulations came into force on 15 May 2023, the 31 October duty was not in force",
        ]
    );
}

#[test]
fn without_a_path_the_bundled_ruleset_is_tested() {
    let (code, out, err) = obligo(&["test"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Online access to GP records (England)\n"));
    assert!(out.contains("\nrules/england-gp-record-access/scenarios/paused-emis.yaml\n"));
    assert!(out.contains(" passed, 0 failed, "), "{out}");
    assert!(!out.contains("coverage:"), "coverage only when asked");
}

#[test]
fn passing_scenarios_and_their_coverage() {
    let (code, out, err) = obligo(&["test", "tests/good/ruleset", "--coverage"]);
    assert_eq!(code, 0, "{err}");
    snap!("scenarios__features_coverage", without_hashes(&out));
}

#[test]
fn a_failing_scenario_shows_expected_against_actual_and_the_explanation() {
    let (code, out, err) = obligo(&["test", "tests/bad/scenarios/failing", "--coverage"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.is_empty(), "{err}");
    snap!("scenarios__failing__text", without_hashes(&out));
    let (code, out, _) = obligo(&["test", "tests/bad/scenarios/failing", "--format", "json"]);
    assert_eq!(code, 1);
    let run: Value = serde_json::from_str(&out).unwrap();
    assert!(run["coverage"].is_null(), "coverage only when asked");
    snap!("scenarios__failing__json", without_hashes(&out));
}

#[test]
fn malformed_scenario_files() {
    let bad = files("tests/bad/scenarios", "yaml");
    assert!(bad.len() >= 15, "at least 15 malformed scenario files");
    for path in bad {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let rendered = scenario_errors(&path);
        let located = rendered.contains(&format!("{}:", rel(&path)))
            || rendered.contains(&format!("`{}`", rel(&path)));
        assert!(located, "{name}: names the file:\n{rendered}");
        assert!(
            rendered.contains("help:"),
            "{name}: says how to fix it:\n{rendered}"
        );
        snap!(format!("bad_scenarios__{name}"), rendered);
    }
}

#[test]
fn every_error_of_a_scenario_file_is_reported_and_exits_2() {
    let (code, out, err) = obligo(&["test", "tests/bad/scenarios/invalid"]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    let file = "tests/bad/scenarios/invalid/scenarios/invalid.yaml";
    assert!(err.contains(&format!("{file}:3:3")), "{err}");
    assert!(err.contains("did you mean `in_england`?"), "{err}");
    assert!(err.contains(&format!("{file}:8:7")), "{err}");
    assert!(err.contains("did you mean `go-live`?"), "{err}");
    assert!(err.contains(&format!("{file}:9:19")), "{err}");
    assert!(err.contains("write `met_late`"), "{err}");
    assert!(err.ends_with("3 errors\n"), "{err}");
}

#[test]
fn a_ruleset_folder_without_scenarios_exits_2() {
    let dir = std::env::temp_dir().join(format!("obligo-no-scenarios-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in files("tests/good/ruleset", "obl") {
        std::fs::copy(&f, dir.join(f.file_name().unwrap())).unwrap();
    }
    let (code, out, err) = obligo(&["test", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("cannot read the scenario folder"), "{err}");
    assert!(err.contains("docs/scenarios.md"), "{err}");

    let (code, _, err) = obligo(&["test", "tests/good/facts"]);
    assert_eq!(code, 2);
    assert!(err.contains("holds no `.obl` rule files"), "{err}");
}

#[test]
fn the_coverage_threshold_fails_below_it() {
    // The features scenarios reach 2 of its 5 rules: 40%.
    let (code, out, _) = obligo(&["test", "tests/good/ruleset", "--min-coverage", "40"]);
    assert_eq!(code, 0);
    assert!(out.contains("coverage meets the minimum of 40%"), "{out}");

    let (code, out, _) = obligo(&["test", "tests/good/ruleset", "--min-coverage", "90%"]);
    assert_eq!(code, 1);
    assert!(out.contains("7 scenarios, 7 passed, 0 failed"), "{out}");
    assert!(
        out.contains("coverage 40% is below the minimum of 90%"),
        "{out}"
    );

    let (code, out, _) = obligo(&[
        "test",
        "tests/good/ruleset",
        "--min-coverage",
        "90",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let run: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(run["coverage"]["minimum"], 90.0);
    assert_eq!(run["coverage"]["below_minimum"], true);
    assert_eq!(run["coverage"]["percent"], 40.0);

    let (code, _, err) = obligo(&["test", "tests/good/ruleset", "--min-coverage", "150"]);
    assert_eq!(code, 2);
    assert!(err.contains("`150` is not a percentage"), "{err}");
}

#[test]
fn a_scenario_takes_the_shared_facts_overrides_them_and_forgets_some() {
    use obligo::facts::Slot;
    use obligo::value::Value as V;
    let scenarios = read(
        "organisation:\n  name: Shared Surgery\nfacts:\n  supplier: EMIS\n  score: 2\n  in_england: true\n\
         scenarios:\n\
         \x20 - name: Shared\n    as_of: 2022-11-15\n    expect:\n      target: pending\n\
         \x20 - name: Own\n    as_of: 2022-11-15\n    known_on: 2022-10-01\n    organisation:\n      name: Own Surgery\n    \
         facts:\n      score: 3\n    unknown: [supplier]\n    expect:\n      target: unknown\n",
    );
    let rs = features();
    let slot = |s: &obligo::scenario::Scenario, fact: &str| {
        s.facts.slot(rs.fact_named(fact).unwrap()).clone()
    };
    let [shared, own] = &scenarios[..] else {
        panic!("two scenarios")
    };
    // known_on defaults to as_of.
    assert_eq!(shared.dates.known_on, shared.dates.as_of);
    assert_eq!(own.dates.known_on, crate::common::d("2022-10-01"));
    assert_eq!(shared.line, 8);
    assert_eq!(shared.facts.name.as_deref(), Some("Shared Surgery"));
    assert_eq!(own.facts.name.as_deref(), Some("Own Surgery"));
    assert!(matches!(slot(shared, "score"), Slot::Given { value: V::Number(n), .. } if n == 2.0));
    assert!(matches!(slot(own, "score"), Slot::Given { value: V::Number(n), .. } if n == 3.0));
    assert!(matches!(slot(shared, "supplier"), Slot::Given { .. }));
    assert_eq!(slot(own, "supplier"), Slot::Absent);
    assert!(matches!(
        slot(own, "in_england"),
        Slot::Given {
            value: V::Bool(true),
            ..
        }
    ));
    assert_eq!(slot(own, "excluded"), Slot::Absent);
}

#[test]
fn scenario_files_are_read_in_name_order_and_output_is_deterministic() {
    let (_, first, _) = obligo(&["test", "--coverage", "--format", "json"]);
    let (_, second, _) = obligo(&["test", "--coverage", "--format", "json"]);
    assert_eq!(first, second);
    let run: Value = serde_json::from_str(&first).unwrap();
    let files: Vec<&str> = run["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(root().join(files[0]).is_file());
}

/// The first YAML block of docs/scenarios.md that holds `marker`.
fn guide_yaml(marker: &str) -> String {
    let guide = std::fs::read_to_string(root().join("docs/scenarios.md")).unwrap();
    guide
        .split("```yaml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.contains(marker))
        .unwrap_or_else(|| panic!("no YAML block with `{marker}` in docs/scenarios.md"))
        .to_string()
}

#[test]
fn the_example_in_the_scenarios_guide_passes_on_the_bundled_ruleset() {
    let example = guide_yaml("\nscenarios:\n");
    let rs = obligo::load::load_bundled().unwrap();
    let mut sources = obligo::source::SourceMap::default();
    let id = sources.add("docs/scenarios.md", example);
    let scenarios = match obligo::scenario::read(&rs, &sources, id) {
        Ok(s) => s,
        Err(e) => panic!("{}", obligo::diagnostic::render_all(&e, &sources)),
    };
    assert_eq!(scenarios.len(), 5);
    for outcome in obligo::scenario::run::run_all(&rs, &scenarios) {
        assert!(outcome.passed(), "{}", outcome.scenario.name);
    }
}

// ---------------------------------------------------------------- items

/// The bundled ruleset's facts for a scenario file: those of an example,
/// without its lists of items.
fn bundled_facts(example: &str) -> String {
    let text = std::fs::read_to_string(root().join("examples").join(example)).unwrap();
    let facts = text.split("\nitems:\n").next().unwrap();
    format!("{facts}\n")
}

/// Reads scenario text against the bundled ruleset.
fn read_bundled(yaml: &str) -> Result<Vec<obligo::scenario::Scenario>, String> {
    let rs = obligo::load::load_bundled().unwrap();
    let mut sources = obligo::source::SourceMap::default();
    let id = sources.add("inline.yaml", yaml);
    obligo::scenario::read(&rs, &sources, id)
        .map_err(|e| obligo::diagnostic::render_all(&e, &sources))
}

/// Renders a run of scenario text against the bundled ruleset, as text and JSON.
fn run_bundled(yaml: &str) -> (String, Value) {
    let rs = obligo::load::load_bundled().unwrap();
    let scenarios = match read_bundled(yaml) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    let outcomes = obligo::scenario::run::run_all(&rs, &scenarios);
    let view = obligo::scenario::view::build(&rs, &outcomes, None);
    let text = obligo::scenario::text::render(&view);
    (text, serde_json::to_value(&view).unwrap())
}

const REQUESTS: &str = "items:
  access_request:
    - { id: R-2, received: 2022-10-03, decided: 2022-10-12, outcome: enabled }
    - { id: R-4, received: 2022-11-08, decided: null, outcome: null }
    - { received: 2022-11-14, decided: null, outcome: null }
";

#[test]
fn items_are_expected_by_id_place_and_period() {
    let yaml = format!(
        "{}{REQUESTS}scenarios:
  - name: Within its month
    as_of: 2022-11-15
    expect:
      offer-and-enable-on-acceptance: pending
    expect_items:
      offer-and-enable-on-acceptance:
        R-2: met
        R-4: pending
        \"#3\": pending
  - name: A month later
    as_of: 2022-12-09
    expect_items:
      access-on-request:
        R-4: overdue
        \"#3\": pending
  - name: Before the third request came, it is not judged
    as_of: 2022-11-10
    expect_items:
      access-on-request:
        R-4: pending
        \"#3\": absent
",
        bundled_facts("early-adopter.yaml")
    );
    let (text, json) = run_bundled(&yaml);
    assert!(text.contains("3 scenarios, 3 passed, 0 failed"), "{text}");
    let items = &json["scenarios"][0]["checks"][0]["items"];
    assert_eq!(items[0]["key"], "R-2");
    assert_eq!(items[0]["name"], "access request R-2");
    assert_eq!(items[2]["key"], "#3");
    assert_eq!(items[2]["actual"], "pending");

    // The bundled monthly reports: a missed month among reported ones.
    let base = std::fs::read_to_string(root().join("examples/bulk-coded-60pct.yaml")).unwrap();
    let yaml = format!(
        "{}scenarios:
  - name: December missed
    as_of: 2024-06-30
    expect:
      nhse-monthly-104-report: overdue
    expect_items:
      nhse-monthly-104-report:
        2023-11: met
        2023-12: overdue
        2024-05: met
        2024-06: absent
",
        base.replace("    - { month: 2023-12, sent: 2024-01-10 }\n", "")
    );
    let (text, _) = run_bundled(&yaml);
    assert!(text.contains("1 scenario, 1 passed, 0 failed"), "{text}");
}

#[test]
fn a_failing_item_shows_expected_against_actual_and_its_own_result() {
    let yaml = format!(
        "{}{REQUESTS}scenarios:
  - name: Expected wrongly
    as_of: 2022-12-09
    expect:
      access-on-request: overdue
    expect_items:
      offer-and-enable-on-acceptance:
        R-2: met
        R-4: pending
        \"#3\": met
",
        bundled_facts("early-adopter.yaml")
    );
    let (text, json) = run_bundled(&yaml);
    assert!(text.contains("1 scenario, 0 passed, 1 failed"), "{text}");
    snap!("scenarios__failing_items__text", without_hashes(&text));
    let check = &json["scenarios"][0]["checks"][1];
    assert_eq!(check["passed"], false);
    // The rule's own expectation (none) did not fail: no rule result.
    assert!(check["result"].is_null());
    let items = check["items"].as_array().unwrap();
    assert_eq!(items[0]["passed"], true);
    assert!(items[0]["result"].is_null());
    assert_eq!(
        (&items[1]["expected"], &items[1]["actual"]),
        (&Value::from("pending"), &Value::from("overdue"))
    );
    assert_eq!(items[1]["result"]["status"], "overdue");
    assert_eq!(
        items[1]["line"],
        json["scenarios"][0]["line"].as_u64().unwrap() + 7
    );
}

#[test]
fn malformed_item_expectations_are_located_with_the_fix() {
    let yaml = format!(
        "{}{REQUESTS}scenarios:
  - name: Every mistake
    as_of: 2022-11-15
    expect_items:
      acess-on-request:
        R-4: pending
      prospective-record-access:
        R-4: pending
      offer-and-enable-on-acceptance:
        R-5: pending
        \"#4\": met
        R-2: done
      nhse-monthly-104-report:
        2024-13: met
        May 2024: met
  - name: No list
    as_of: 2022-11-15
    unknown: [access_request]
    expect_items:
      access-on-request:
        R-4: pending
",
        bundled_facts("early-adopter.yaml")
    );
    let Err(rendered) = read_bundled(&yaml) else {
        panic!("expected errors")
    };
    for want in [
        "did you mean `access-on-request`?",
        "`prospective-record-access` is not judged for each item or period",
        "no item `R-5` among this scenario's access requests",
        "did you mean `R-2`?",
        "no item `#4`",
        "unknown status `done`",
        "`2024-13` is not a period of this rule",
        "`May 2024` is not a period of this rule",
        "no list of them",
        "8 errors",
    ] {
        assert!(rendered.contains(want), "{want}:\n{rendered}");
    }
    snap!("scenarios__item_expectation_errors", rendered);
}

#[test]
fn the_items_example_in_the_scenarios_guide_passes_on_the_bundled_ruleset() {
    let example = guide_yaml("expect_items:");
    let yaml = format!(
        "{}scenarios:\n{example}",
        bundled_facts("early-adopter.yaml")
    );
    let (text, _) = run_bundled(&yaml);
    assert!(text.contains("1 scenario, 1 passed, 0 failed"), "{text}");
}

#[test]
fn a_failure_shows_the_deciding_clause_and_verbose_the_whole_explanation() {
    let (code, out, err) = obligo(&["test", "tests/bad/scenarios/failing"]);
    assert_eq!(code, 1, "{err}");
    // Expected against actual, the clause that decided with the facts it
    // read, and the deadline: not the rule's whole explanation.
    assert!(
        out.contains(
            "        go-live (line 15): expected met, got met_late
          decided by met when: live_on is set -> true
            Date access went live: 2023-11-20 [facts line 4]
          deadline 2023-10-31, met on 2023-11-20
"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "          decided by met when: live_on is set -> unknown
            Date access went live: not given
"
        ),
        "{out}"
    );
    assert!(
        !out.contains("[MET LATE]") && !out.contains("sources:"),
        "{out}"
    );
    assert!(
        out.ends_with("(`obligo test --verbose` shows each failed rule's whole explanation)\n")
    );
    let (code, verbose, _) = obligo(&["test", "tests/bad/scenarios/failing", "--verbose"]);
    assert_eq!(code, 1);
    snap!("scenarios__failing__verbose", without_hashes(&verbose));
    assert!(
        verbose.contains("\n        [MET LATE] go-live\n"),
        "{verbose}"
    );
    assert!(!verbose.contains("decided by"), "{verbose}");
    // The JSON is the same either way: every failed rule's whole result.
    let json = |extra: &[&str]| {
        let mut args = vec!["test", "tests/bad/scenarios/failing", "--format", "json"];
        args.extend(extra);
        obligo(&args).1
    };
    assert_eq!(json(&[]), json(&["--verbose"]));
}

#[test]
fn the_deciding_clause_of_an_exception_and_of_a_rule_that_does_not_apply() {
    let yaml = format!(
        "{}scenarios:
  - name: Live before the BMA's advice, so no DPIA is asked; expected wrongly
    as_of: 2023-11-15
    expect:
      practice-dpia-before-enabling: overdue
      pause-automatic-access: pending
",
        bundled_facts("early-adopter.yaml")
    );
    let (text, _) = run_bundled(&yaml);
    assert!(text.contains("1 scenario, 0 passed, 1 failed"), "{text}");
    snap!("scenarios__deciding_clause__text", without_hashes(&text));
}
