//! `obligo diff`: what a change of knowledge or of rules does to every
//! example practice, both explanations shown, with a summary per rule.

use std::path::PathBuf;

use serde_json::Value;

use crate::common::{files, obligo, rel, root, without_hashes};
use crate::snap;

const RULES: &str = "rules/england-gp-record-access";

/// Runs `obligo diff` over every example practice, with `args` after them.
fn diff_examples(args: &[&str]) -> (i32, String, String) {
    let examples: Vec<String> = files("examples", "yaml").iter().map(|p| rel(p)).collect();
    let mut all = vec!["diff"];
    all.extend(examples.iter().map(String::as_str));
    all.extend(args);
    obligo(&all)
}

/// The diff as JSON.
fn diff_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (_, out, err) = diff_examples(&all);
    assert!(err.is_empty(), "{err}");
    serde_json::from_str(&out).unwrap()
}

/// Each organisation's change of one rule, as `facts_file: before -> after`.
fn transitions(json: &Value, rule: &str) -> Vec<String> {
    let status = |r: &Value| r["status"].as_str().unwrap_or("absent").to_string();
    json["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| {
            let file = o["facts_file"].as_str().unwrap().to_string();
            o["changes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["rule"] == rule)
                .map(move |c| {
                    format!(
                        "{file}: {} -> {}",
                        status(&c["before"]),
                        status(&c["after"])
                    )
                })
        })
        .collect()
}

/// One rule's summary transitions as `before -> after: count`.
fn summary(json: &Value, rule: &str) -> Vec<String> {
    let s = json["summary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["rule"] == rule)
        .unwrap_or_else(|| panic!("no summary for {rule}"));
    s["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| format!("{} -> {}: {}", t["before"], t["after"], t["count"]).replace('"', ""))
        .collect()
}

const WITHDRAWAL: [&str; 6] = [
    "--as-of",
    "2022-11-30",
    "--known-on-before",
    "2022-11-28",
    "--known-on-after",
    "2022-11-30",
];

#[test]
fn the_withdrawal_of_the_30_november_switch_on() {
    let (code, text, err) = diff_examples(&WITHDRAWAL);
    assert!(err.is_empty(), "{err}");
    assert_eq!(code, 1, "a change exits 1");
    snap!("diff__withdrawal_nov_2022__text", without_hashes(&text));
    // A withdrawn rule is news only where it applied.
    assert!(!text.contains("not_applicable -> ended"), "{text}");
    let mut args = WITHDRAWAL.to_vec();
    args.extend(["--format", "json"]);
    let (code, json_text, _) = diff_examples(&args);
    assert_eq!(code, 1);
    snap!(
        "diff__withdrawal_nov_2022__json",
        without_hashes(&json_text)
    );

    let json: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(json["before"]["known_on"], "2022-11-28");
    assert_eq!(json["after"]["known_on"], "2022-11-30");
    // On 28 Nov the target stood: each practice pending, overdue, met or
    // unknown; known on 30 Nov, it was withdrawn for everyone.
    let target = transitions(&json, "nhse-automatic-access-nov-2022");
    assert_eq!(target.len(), 12, "every example practice: {target:?}");
    assert!(target.iter().all(|t| t.ends_with(" -> ended")));
    let had = |t: &str| target.contains(&format!("examples/{t} -> ended"));
    assert!(
        had("paused-emis.yaml: pending"),
        "paused by 4 Nov: due 30 Nov"
    );
    assert!(
        had("pause-after-cutoff.yaml: overdue"),
        "paused too late: 1 Nov"
    );
    assert!(had("early-adopter.yaml: met"));
    assert!(had("missing-facts.yaml: unknown"));
    assert_eq!(
        summary(&json, "nhse-automatic-access-nov-2022"),
        [
            "met -> ended: 1",
            "pending -> ended: 4",
            "overdue -> ended: 6",
            "unknown -> ended: 1"
        ]
    );
    // The plans due by 29 Nov fell away with the switch-on.
    let plan = transitions(&json, "nhse-pause-plan-nov-2022");
    assert!(plan.contains(&"examples/paused-emis.yaml: met -> ended".to_string()));
    assert!(plan.contains(&"examples/opt-in-dpia-no-icb.yaml: overdue -> ended".to_string()));
    // Both explanations are given: the deadline before, the withdrawal after.
    let change = &json["organisations"][0]["changes"][0];
    assert_eq!(change["change"], "status");
    assert!(
        !change["before"]["explanation"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        change["after"]["notes"][0]
            .as_str()
            .unwrap()
            .contains("withdrawn")
    );
}

/// A copy of a ruleset folder in a fresh temporary folder, removed on drop.
struct TempRules(PathBuf);

impl TempRules {
    fn copy(from: &str, name: &str) -> Self {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("obligo-{name}-{}-{stamp}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for file in files(from, "obl") {
            std::fs::copy(&file, dir.join(file.file_name().unwrap())).unwrap();
        }
        Self(dir)
    }

    /// Replaces every `from` with `to` in one file, which must contain it.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.0.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no `{from}`");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempRules {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn an_edited_deadline_between_two_ruleset_folders() {
    let edited = TempRules::copy(RULES, "diff-deadline");
    edited.edit("contract.obl", "deadline 2023-10-31", "deadline 2023-12-31");
    let args = [
        "--rules-before",
        RULES,
        "--rules-after",
        edited.path(),
        "--as-of",
        "2023-11-15",
        "--known-on",
        "2023-11-15",
    ];
    let (code, text, err) = diff_examples(&args);
    assert!(err.is_empty(), "{err}");
    assert_eq!(code, 1);
    assert!(
        !text.contains(edited.path()),
        "no temporary path in the report"
    );
    snap!("diff__contract_deadline_moved__text", without_hashes(&text));

    let json = diff_json(&args);
    assert_ne!(json["before"]["sha256"], json["after"]["sha256"]);
    // Only the edited rule moves: practices not live by 15 Nov 2023 go from
    // overdue to pending; one live on 1 Nov is now on time.
    let rules: Vec<&Value> = json["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["rule"])
        .collect();
    assert_eq!(rules, ["prospective-record-access"]);
    assert_eq!(
        summary(&json, "prospective-record-access"),
        [
            "met -> met: 3",
            "met_late -> met: 1",
            "overdue -> pending: 7",
            "unknown -> unknown: 1"
        ]
    );
    let moved = transitions(&json, "prospective-record-access");
    assert!(moved.contains(&"examples/paused-emis.yaml: overdue -> pending".to_string()));
    assert!(moved.contains(&"examples/live-after-deadline.yaml: met_late -> met".to_string()));
    for org in json["organisations"].as_array().unwrap() {
        for c in org["changes"].as_array().unwrap() {
            assert_eq!(c["before"]["deadline"], "2023-10-31");
            assert_eq!(c["after"]["deadline"], "2023-12-31");
            let expected = if c["before"]["status"] == c["after"]["status"] {
                "deadline"
            } else {
                "status"
            };
            assert_eq!(c["change"], expected);
        }
    }
}

#[test]
fn rules_not_yet_known_before_are_added() {
    let json = diff_json(&[
        "--as-of",
        "2022-11-15",
        "--known-on-before",
        "2022-10-15",
        "--known-on-after",
        "2022-11-15",
    ]);
    // Access on request is known only from a source of 1 Nov 2022.
    let added = transitions(&json, "access-on-request");
    assert_eq!(added.len(), 12);
    assert!(
        added.iter().all(|t| t.contains(": absent -> ")),
        "{added:?}"
    );
    let change = &json["organisations"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "access-on-request")
        .unwrap()
        .clone();
    assert_eq!(change["change"], "added");
    assert!(change["before"].is_null());
}

#[test]
fn no_change_exits_0() {
    let (code, out, err) = obligo(&[
        "diff",
        "examples/early-adopter.yaml",
        "--as-of-before",
        "2025-01-01",
        "--as-of-after",
        "2025-01-02",
        "--known-on",
        "2025-01-01",
    ]);
    assert!(err.is_empty(), "{err}");
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("no status or deadline changed\n"), "{out}");
}

#[test]
fn sides_that_do_not_differ_are_a_usage_error() {
    let (code, out, err) = obligo(&["diff", "examples/early-adopter.yaml"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    snap!("diff__same_sides", &err);
    // Sides given the same values explicitly are the same too.
    let (code, _, same) = obligo(&[
        "diff",
        "examples/early-adopter.yaml",
        "--as-of-before",
        "2023-01-01",
        "--as-of-after",
        "2023-01-01",
        "--rules-before",
        RULES,
        "--rules",
        RULES,
    ]);
    assert_eq!(code, 2);
    assert_eq!(same, err);
}

#[test]
fn bad_dates_and_facts_exit_2() {
    let (code, _, err) = obligo(&[
        "diff",
        "examples/early-adopter.yaml",
        "--known-on-before",
        "2022-11-31",
        "--known-on-after",
        "2022-11-30",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("`2022-11-31` is not a date"), "{err}");

    let (code, out, err) = obligo(&[
        "diff",
        "examples/early-adopter.yaml",
        "tests/bad/facts/unknown-fact.yaml",
        "--known-on-before",
        "2022-11-28",
        "--known-on-after",
        "2022-11-30",
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("tests/bad/facts/unknown-fact.yaml:6:3"),
        "{err}"
    );
}

#[test]
fn facts_must_fit_the_rules_of_both_sides() {
    // The "before" rules ask one more fact, which a facts file gives; the
    // bundled rules "after" do not know it.
    let extended = TempRules::copy(RULES, "diff-extra-fact");
    let facts = extended.0.join("extra.yaml");
    let original = std::fs::read_to_string(root().join("examples/paused-emis.yaml")).unwrap();
    let with_extra = original.replacen("\nfacts:\n", "\nfacts:\n  extra_fact: true\n", 1);
    std::fs::write(&facts, with_extra).unwrap();
    let schema = extended.0.join("facts.obl");
    let text = std::fs::read_to_string(&schema).unwrap();
    std::fs::write(
        &schema,
        format!("{text}\nfact extra_fact: bool\n  \"An extra fact\"\n  ask \"Extra?\"\n"),
    )
    .unwrap();
    let (code, out, err) = obligo(&[
        "diff",
        facts.to_str().unwrap(),
        "--rules-before",
        extended.path(),
        "--rules-after",
        RULES,
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("extra_fact"), "{err}");
    assert!(
        err.contains("do not fit the rules of the `after` side"),
        "{err}"
    );
}

#[test]
fn the_summary_comes_first_and_alone_with_summary() {
    let (_, full, _) = diff_examples(&WITHDRAWAL);
    let summary_at = full.find("\n== Summary: changes per rule\n").unwrap();
    let changes_at = full.find("\n== Changes by organisation\n").unwrap();
    let first_org = full.find("\n== Ashcombe Vale Surgery").unwrap();
    assert!(summary_at < changes_at && changes_at < first_org, "{full}");
    // The summary fits on a screen, however many organisations follow.
    assert!(full[..changes_at].lines().count() <= 40, "{full}");

    let mut args = WITHDRAWAL.to_vec();
    args.push("--summary");
    let (code, alone, err) = diff_examples(&args);
    assert_eq!((code, err.as_str()), (1, ""), "the exit code is the same");
    assert_eq!(
        alone,
        format!(
            "{}\n(without --summary: each organisation's changes, both results in full)\n",
            &full[..changes_at]
        )
    );
    // JSON has its summary first already: --summary is text only.
    args.extend(["--format", "json"]);
    let (code, out, err) = diff_examples(&args);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("--summary shortens the text report; it does not apply to JSON"),
        "{err}"
    );
    let json = diff_json(&WITHDRAWAL);
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "schema_version",
            "before",
            "after",
            "summary",
            "organisations"
        ]
    );
}

/// A later date of knowledge that brings only versions not yet in force.
const ONLY_NEWLY_KNOWN: [&str; 6] = [
    "--as-of",
    "2024-06-30",
    "--known-on-before",
    "2024-06-30",
    "--known-on-after",
    "2025-06-30",
];

#[test]
fn rules_that_only_became_known_fold_to_one_count_line() {
    let (code, text, err) = diff_examples(&ONLY_NEWLY_KNOWN);
    assert!(err.is_empty(), "{err}");
    assert_eq!(code, 1, "a rule newly known is still a change");
    snap!("diff__only_newly_known__text", without_hashes(&text));
    assert!(
        !text.contains("\n* "),
        "no organisation's change is listed: {text}"
    );
    let json = diff_json(&ONLY_NEWLY_KNOWN);
    let changes: Vec<&Value> = json["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["changes"].as_array().unwrap())
        .collect();
    assert!(!changes.is_empty());
    assert!(
        changes.iter().all(|c| c["change"] == "added"
            && c["material"] == false
            && c["after"]["status"] == "not_in_force"),
        "{changes:?}"
    );
    assert!(
        json["summary"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["material"] == false)
    );
}

#[test]
fn a_rule_newly_known_that_asks_something_is_not_folded() {
    // Known from 1 Nov 2022, access on request is met by some practices,
    // not applicable to others: the first are listed, the second folded.
    let args = [
        "--as-of",
        "2022-06-01",
        "--known-on-before",
        "2022-06-01",
        "--known-on-after",
        "2024-06-30",
    ];
    let (_, text, _) = diff_examples(&args);
    let summary = &text[..text.find("\n== Changes by organisation\n").unwrap()];
    assert!(
        summary.contains("\naccess-on-request: 12 organisations\n"),
        "{summary}"
    );
    assert!(summary.contains("  absent -> met: 7\n"), "{summary}");
    assert!(
        summary.contains(" only became known and ask nothing yet:\n  absent -> not_in_force for 12 organisations (`--format json` lists them)\n"),
        "{summary}"
    );
    let json = diff_json(&args);
    let access: Vec<(String, bool)> = json["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["changes"].as_array().unwrap())
        .filter(|c| c["rule"] == "access-on-request")
        .map(|c| {
            (
                c["after"]["status"].as_str().unwrap().to_string(),
                c["material"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(access.len(), 12);
    assert!(
        access
            .iter()
            .all(|(status, material)| *material == (status != "not_applicable")),
        "{access:?}"
    );
}
