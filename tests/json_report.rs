//! The JSON report parses, carries its schema version, and every result has
//! every field design.md lists.

use serde_json::Value;

use crate::common::obligo;

#[test]
fn every_result_has_every_documented_field() {
    let (code, out, err) = obligo(&[
        "check",
        "examples/early-adopter.yaml",
        "examples/missing-facts.yaml",
        "--as-of",
        "2023-11-15",
        "--known-on",
        "2023-11-15",
        "--format",
        "json",
    ]);
    assert!(err.is_empty(), "{err}");
    assert_eq!(code, 3);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["schema_version"], 3);
    assert_eq!(report["obligo_version"], env!("CARGO_PKG_VERSION"));
    for key in ["name", "title", "version", "published", "sha256"] {
        assert!(report["ruleset"][key].is_string(), "ruleset.{key}");
    }
    assert_eq!(report["ruleset"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(report["as_of"], "2023-11-15");
    assert_eq!(report["known_on"], "2023-11-15");
    let orgs = report["organisations"].as_array().unwrap();
    assert_eq!(orgs.len(), 2);
    for org in orgs {
        for key in ["facts_file", "verdict", "counts", "notes", "results"] {
            assert!(!org[key].is_null(), "organisation.{key}");
        }
        let sha = org["facts_sha256"].as_str().unwrap();
        assert_eq!(sha.len(), 64, "organisation.facts_sha256");
        let results = org["results"].as_array().unwrap();
        assert!(!results.is_empty());
        // Every definition an explanation names is explained, once, in the
        // organisation's table.
        let table: Vec<&str> = org["definitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        let mut distinct = table.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            table.len(),
            "each definition once: {table:?}"
        );
        let mut named = Vec::new();
        fn names<'a>(node: &'a Value, out: &mut Vec<&'a str>) {
            for d in node["definitions"].as_array().into_iter().flatten() {
                out.push(d.as_str().unwrap());
            }
            for c in node["children"].as_array().into_iter().flatten() {
                names(c, out);
            }
        }
        for r in results {
            for c in r["explanation"].as_array().unwrap() {
                names(&c["node"], &mut named);
            }
        }
        for d in org["definitions"].as_array().unwrap() {
            names(d, &mut named);
        }
        assert!(!named.is_empty());
        for n in named {
            assert!(
                table.contains(&n),
                "`{n}` is named but not in the table {table:?}"
            );
        }
        for r in results {
            for key in [
                "rule",
                "title",
                "kind",
                "authority",
                "version",
                "status",
                "status_words",
                "exception",
                "deadline",
                "days_to_deadline",
                "days_overdue",
                "overdue_since",
                "binding_duty",
                "met_on",
                "explanation",
                "citations",
                "positions",
                "missing_facts",
                "notes",
            ] {
                assert!(r.get(key).is_some(), "result.{key} missing in {r}");
            }
            for key in ["id", "name", "binding_force"] {
                assert!(r["authority"][key].is_string(), "authority.{key}");
            }
            assert!(
                !r["citations"].as_array().unwrap().is_empty(),
                "every result cites a source: {r}"
            );
        }
    }
    let unknown: Vec<&Value> = orgs[1]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "unknown")
        .collect();
    assert!(!unknown.is_empty());
    for r in unknown {
        let missing = r["missing_facts"].as_array().unwrap();
        assert!(
            !missing.is_empty(),
            "an unknown result names its missing facts: {r}"
        );
        assert!(missing[0]["question"].is_string());
    }
}

#[test]
fn json_output_is_byte_identical_across_runs() {
    let args = [
        "check",
        "examples/paused-emis.yaml",
        "--as-of",
        "2022-11-15",
        "--known-on",
        "2022-11-15",
        "--format",
        "json",
    ];
    assert_eq!(obligo(&args), obligo(&args));
}
