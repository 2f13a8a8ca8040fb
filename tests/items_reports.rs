//! Items in the reports: a rule judged `for each` shows its roll-up and
//! every item (text, JSON, Markdown, HTML), `explain --item` explains one
//! item in full, and each item's status is pinned on both sides of its
//! deadline (tests/items/sar).

use serde_json::Value;

use crate::common::{obligo, without_hashes};
use crate::snap;

const RULES: &str = "tests/items/sar";
const FACTS: &str = "tests/items/sar/facts.yaml";

/// `obligo check` of the fixture as of `date` (known on 2024-06-01).
fn check(date: &str, format: &str) -> (i32, String) {
    let (code, out, err) = obligo(&[
        "check",
        FACTS,
        "--rules",
        RULES,
        "--as-of",
        date,
        "--known-on",
        "2024-06-01",
        "--format",
        format,
    ]);
    assert!(err.is_empty(), "{err}");
    (code, out)
}

/// The JSON report's result for `rule`.
fn json_result(date: &str, rule: &str) -> Value {
    let (_, out) = check(date, "json");
    let report: Value = serde_json::from_str(&out).unwrap();
    report["organisations"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == rule)
        .unwrap()
        .clone()
}

/// Each item's key and status code, in list order, and the rule's status.
fn statuses(date: &str, rule: &str) -> (String, Vec<(String, String)>) {
    let r = json_result(date, rule);
    let items = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["key"].as_str().unwrap().to_string(),
                i["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (r["status"].as_str().unwrap().to_string(), items)
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(k, s)| (k.to_string(), s.to_string()))
        .collect()
}

#[test]
fn each_request_has_its_status_on_both_sides_of_its_deadline() {
    // S-1: due 2024-02-10, answered 2024-02-01. S-2: due 2024-04-01, not
    // answered. S-3: whether its time was extended is not given. S-4: due
    // 2024-03-15, answered 2024-03-20.
    let cases = [
        (
            "2024-01-31",
            "unknown",
            [
                ("S-1", "pending"),
                ("S-2", "pending"),
                ("S-3", "unknown"),
                ("S-4", "pending"),
            ],
        ),
        (
            "2024-02-11",
            "unknown",
            [
                ("S-1", "met"),
                ("S-2", "pending"),
                ("S-3", "unknown"),
                ("S-4", "pending"),
            ],
        ),
        (
            "2024-03-15",
            "unknown",
            [
                ("S-1", "met"),
                ("S-2", "pending"),
                ("S-3", "unknown"),
                ("S-4", "pending"),
            ],
        ),
        (
            "2024-03-16",
            "overdue",
            [
                ("S-1", "met"),
                ("S-2", "pending"),
                ("S-3", "unknown"),
                ("S-4", "overdue"),
            ],
        ),
        (
            "2024-04-01",
            "unknown",
            [
                ("S-1", "met"),
                ("S-2", "pending"),
                ("S-3", "unknown"),
                ("S-4", "met_late"),
            ],
        ),
        (
            "2024-04-02",
            "overdue",
            [
                ("S-1", "met"),
                ("S-2", "overdue"),
                ("S-3", "unknown"),
                ("S-4", "met_late"),
            ],
        ),
    ];
    for (date, rule, items) in cases {
        assert_eq!(
            statuses(date, "answer-sar"),
            (rule.to_string(), pairs(&items)),
            "as of {date}"
        );
    }
}

#[test]
fn each_period_has_its_status_on_both_sides_of_its_due_date() {
    // February has no report: due 2024-03-10. March is due 2024-04-10.
    assert_eq!(
        statuses("2024-03-10", "monthly-report"),
        (
            "pending".into(),
            pairs(&[("2024-01", "met"), ("2024-02", "pending")])
        )
    );
    assert_eq!(
        statuses("2024-03-11", "monthly-report"),
        (
            "overdue".into(),
            pairs(&[("2024-01", "met"), ("2024-02", "overdue")])
        )
    );
    // A later month sent does not hide the missed one.
    assert_eq!(
        statuses("2024-04-02", "monthly-report"),
        (
            "overdue".into(),
            pairs(&[
                ("2024-01", "met"),
                ("2024-02", "overdue"),
                ("2024-03", "met")
            ])
        )
    );
}

#[test]
fn an_aggregate_in_a_condition_counts_the_items_open_on_the_date() {
    // Open on 2024-03-19: S-2, S-3 and S-4 (answered on the 20th).
    let r = json_result("2024-03-19", "few-open");
    assert_eq!(r["status"], "overdue");
    let node = &r["explanation"][0]["node"];
    assert_eq!(node["value"], "false");
    assert_eq!(node["facts"][0]["fact"], "sar");
    assert_eq!(node["facts"][0]["value"], "4 listed");
    assert_eq!(node["facts"][0]["missing"], false);
    assert_eq!(json_result("2024-03-20", "few-open")["status"], "met");
    assert!(json_result("2024-03-20", "few-open").get("items").is_none());
}

#[test]
fn the_json_report_carries_the_roll_up_and_every_item() {
    let r = json_result("2024-04-02", "answer-sar");
    assert_eq!(r["for_each"], "sar");
    assert_eq!(
        r["summary"],
        "1 of 4 subject access requests overdue, 1 unknown, 1 met late, 1 met"
    );
    assert_eq!(r["deadline"], "2024-04-01");
    assert_eq!(r["days_overdue"], 1);
    // The rule's own explanation is its items'.
    assert_eq!(r["explanation"], Value::Array(vec![]));
    let s2 = &r["items"][1];
    assert_eq!(s2["key"], "S-2");
    assert_eq!(s2["label"], "Mrs B");
    assert_eq!(s2["name"], "subject access request S-2");
    assert_eq!(s2["line"], 11);
    assert_eq!(s2["status_words"], "overdue");
    assert_eq!(s2["deadline"], "2024-04-01");
    assert_eq!(s2["days_overdue"], 1);
    // Each field the explanation read, from the item's own lines.
    let deadline = &s2["explanation"][0]["node"];
    assert_eq!(deadline["facts"][0]["fact"], "sar.received");
    assert_eq!(deadline["facts"][0]["value"], "2024-03-01");
    assert_eq!(deadline["facts"][0]["line"], 13);
    assert_eq!(deadline["facts"][1]["line"], 15);
    // The unknown item's question names it, and so does the rule's.
    let asked = "subject access request S-3: Was the time extended?";
    assert_eq!(r["items"][2]["missing_facts"][0]["question"], asked);
    assert_eq!(r["missing_facts"][0]["question"], asked);
    assert_eq!(r["items"][2]["missing_facts"][0]["fact"], "sar.extended");
    let period = &json_result("2024-04-02", "monthly-report")["items"][1];
    assert_eq!(period["key"], "2024-02");
    assert_eq!(period["period"], "2024-02");
    assert_eq!(period["name"], "period 2024-02");
    assert_eq!(period["id"], Value::Null);
}

/// Each result's status, roll-up and items (without explanations): the
/// JSON a reviewer reads to check the items, pinned on its own.
fn items_only(json: &str) -> String {
    let report: Value = serde_json::from_str(json).unwrap();
    let keep = |v: &Value, keys: &[&str]| {
        Value::Object(
            keys.iter()
                .filter_map(|k| Some((k.to_string(), v.get(*k)?.clone())))
                .collect(),
        )
    };
    let results: Vec<Value> = report["organisations"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut out = keep(
                r,
                &[
                    "rule",
                    "status",
                    "deadline",
                    "for_each",
                    "summary",
                    "item_counts",
                ],
            );
            if let Some(items) = r["items"].as_array() {
                let items = items
                    .iter()
                    .map(|i| {
                        keep(
                            i,
                            &[
                                "key",
                                "label",
                                "status",
                                "deadline",
                                "days_to_deadline",
                                "days_overdue",
                                "due_soon",
                                "period",
                                "met_on",
                                "missing_facts",
                            ],
                        )
                    })
                    .collect();
                out["items"] = Value::Array(items);
            }
            out
        })
        .collect();
    serde_json::to_string_pretty(&results).unwrap()
}

#[test]
fn reports_pin_every_item_before_and_after_its_deadline() {
    for date in ["2024-03-10", "2024-04-02"] {
        let (code, text) = check(date, "text");
        assert_eq!(code, 1);
        snap!(
            format!("items_reports__sar_{date}__text"),
            without_hashes(&text)
        );
        let (_, json) = check(date, "json");
        snap!(
            format!("items_reports__sar_{date}__items"),
            items_only(&json)
        );
    }
    // The whole JSON report, explanations and all, on one date.
    let (_, json) = check("2024-04-02", "json");
    snap!("items_reports__sar_2024-04-02__json", without_hashes(&json));
}

/// `obligo check` as of 2024-04-06 of `n` requests, R-1 received on 1
/// March (due 1 April), R-2 on the 2nd and so on, every `answered`th one
/// answered on 2024-03-25 (none with 0).
fn many(n: u32, answered: u32, format: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from("facts:\n  plan_sent: 2024-01-01\nitems:\n  report: []\n  sar:\n");
    for k in 1..=n {
        let on = if answered > 0 && k % answered == 0 {
            "2024-03-25"
        } else {
            "null"
        };
        yaml.push_str(&format!(
            "    - id: R-{k}\n      received: 2024-03-{k:02}\n      answered: {on}\n      extended: false\n"
        ));
    }
    let path = dir.path().join("many.yaml");
    std::fs::write(&path, yaml).unwrap();
    obligo(&[
        "check",
        path.to_str().unwrap(),
        "--rules",
        RULES,
        "--as-of",
        "2024-04-06",
        "--known-on",
        "2024-06-01",
        "--format",
        format,
    ])
}

#[test]
fn items_come_overdue_first_and_fold_after_five() {
    // Every third one answered on 2024-03-25.
    let (_, out, err) = many(12, 3, "text");
    assert!(err.is_empty(), "{err}");
    let rule = out.find("] answer-sar\n").unwrap();
    let start = rule + out[rule..].find("    items:").unwrap();
    let block: Vec<&str> = out[start..].lines().take(12).collect();
    assert_eq!(
        block,
        [
            "    items: 4 of 12 subject access requests overdue, 4 pending, 4 met",
            "      [OVERDUE] R-1: due 2024-04-01 (5 days ago)",
            "        why: sar.answered is set -> false (Date answered: not happened)",
            "      [OVERDUE] R-2: due 2024-04-02 (4 days ago)",
            "        why: sar.answered is set -> false (Date answered: not happened)",
            "      [OVERDUE] R-4: due 2024-04-04 (2 days ago)",
            "        why: sar.answered is set -> false (Date answered: not happened)",
            "      [OVERDUE] R-5: due 2024-04-05 (1 day ago)",
            "        why: sar.answered is set -> false (Date answered: not happened)",
            "      [PENDING] R-7: due 2024-04-07 (in 1 day)",
            "        why: sar.answered is set -> false (Date answered: not happened)",
            "      … and 7 more: 3 pending, 4 met",
        ]
    );
    for line in &block {
        assert!(line.chars().count() <= 80, "{line}");
    }
}

#[test]
fn markdown_and_html_list_the_items_under_the_rule_overdue_first() {
    let (_, md) = check("2024-04-02", "markdown");
    let rule = md.find(": `answer-sar`\n").unwrap();
    let table = rule
        + md[rule..]
            .find("| status | item | deadline | why |")
            .unwrap();
    assert!(md[rule..table].contains("- Items: 1 of 4 subject access requests overdue"));
    let rows: Vec<&str> = md[table..].lines().skip(2).take(4).collect();
    assert_eq!(
        rows,
        [
            "| OVERDUE | S-2 (Mrs B) | due 2024-04-01 (1 day ago) | sar.answered is set → false (Date answered: not happened) |",
            "| UNKNOWN | S-3 | deadline unknown | answer: Was the time extended? |",
            "| MET LATE | S-4 | met on 2024-03-20, due 2024-03-15 |  |",
            "| MET | S-1 | met on 2024-02-01, due 2024-02-10 |  |",
        ]
    );
    let (_, html) = check("2024-04-02", "html");
    assert!(html.contains("<p class=\"rollup\">Items: 1 of 3 periods overdue, 2 met</p>"));
    let overdue = html.find("<tr class=\"overdue\"><td class=\"status\">overdue</td><td><span class=\"name\">S-2</span> Mrs B</td>").unwrap();
    assert!(overdue < html.find("<span class=\"name\">S-1</span>").unwrap());
    // Four requests: nothing folded.
    assert!(!html.contains("more-items"));
    // A printout opens what is folded.
    assert!(
        html.contains("details::details-content { content-visibility: visible; display: block; }")
    );
}

#[test]
fn html_folds_a_long_list_after_ten() {
    // None answered.
    let (_, html, err) = many(13, 0, "html");
    assert!(err.is_empty(), "{err}");
    let fold = html
        .find("<details class=\"more-items\"><summary>and 3 more: 3 pending</summary>")
        .unwrap();
    // overdue, then pending by deadline: fold.
    assert!(html.find("<span class=\"name\">R-10</span>").unwrap() < fold);
    assert!(html.find("<span class=\"name\">R-11</span>").unwrap() > fold);
}

/// `obligo explain` of the fixture as of 2024-04-02, with more arguments.
fn explain(args: &[&str]) -> (i32, String, String) {
    let mut all = vec![
        "explain",
        "--rules",
        RULES,
        "--as-of",
        "2024-04-02",
        "--known-on",
        "2024-06-01",
    ];
    all.extend_from_slice(args);
    obligo(&all)
}

#[test]
fn explain_item_explains_one_item_in_full() {
    let (code, out, err) = explain(&["answer-sar", FACTS, "--item", "S-2"]);
    assert!(err.is_empty(), "{err}");
    assert_eq!(code, 0);
    snap!("items_reports__explain_item", without_hashes(&out));
    // The same item by its place in the list, and a period by its name.
    let (_, by_place, _) = explain(&["answer-sar", FACTS, "--item", "#2"]);
    assert_eq!(by_place, out);
    let (code, period, err) = explain(&["monthly-report", FACTS, "--item", "2024-02"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(
        period.contains("[OVERDUE] monthly-report: period 2024-02\n"),
        "{period}"
    );
    // A period by its place among the periods, and by its first day.
    for key in ["#2", "2024-02-01"] {
        let (_, again, _) = explain(&["monthly-report", FACTS, "--item", key]);
        assert_eq!(again, period, "{key}");
    }
    let (_, json, _) = explain(&["answer-sar", FACTS, "--item", "S-3", "--format", "json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["item"]["key"], "S-3");
    assert_eq!(v["item"]["status"], "unknown");
    assert_eq!(v["facts"][1]["fact"], "sar.extended");
    assert_eq!(v["facts"][1]["from"], "not given");
}

#[test]
fn explain_without_item_lists_every_item_and_says_how_to_pick_one() {
    let (code, out, err) = explain(&["answer-sar", FACTS]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(
        out.contains("    items: 1 of 4 subject access requests overdue"),
        "{out}"
    );
    assert!(
        out.contains("      [MET] S-1: met on 2024-02-01, due 2024-02-10\n"),
        "{out}"
    );
    assert!(
        out.ends_with("\n  obligo explain answer-sar tests/items/sar/facts.yaml --item S-2\n"),
        "{out}"
    );
}

#[test]
fn an_unknown_item_is_an_input_error_with_the_keys_near_it() {
    let (code, out, err) = explain(&["answer-sar", FACTS, "--item", "S-5"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    snap!("items_reports__unknown_item", err);
    let (code, _, err) = explain(&["few-open", FACTS, "--item", "S-1"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("rule `few-open` is not judged for each item"),
        "{err}"
    );
    let (code, _, err) = explain(&["answer-sar", FACTS, "--item", "#9"]);
    assert_eq!(code, 2);
    assert!(err.contains("no item `#9`"), "{err}");
}

#[test]
fn a_list_not_given_is_asked_for_and_an_empty_one_is_not_applicable() {
    let dir = tempfile::tempdir().unwrap();
    let none = dir.path().join("none.yaml");
    std::fs::write(&none, "facts:\n  plan_sent: 2024-03-15\n").unwrap();
    let empty = dir.path().join("empty.yaml");
    std::fs::write(
        &empty,
        "facts:\n  plan_sent: 2024-03-15\nitems:\n  sar: []\n  report: []\n",
    )
    .unwrap();
    let run = |path: &std::path::Path, format: &str| {
        let (_, out, err) = obligo(&[
            "check",
            path.to_str().unwrap(),
            "--rules",
            RULES,
            "--as-of",
            "2024-04-02",
            "--known-on",
            "2024-06-01",
            "--format",
            format,
        ]);
        assert!(err.is_empty(), "{err}");
        out
    };
    let report: Value = serde_json::from_str(&run(&none, "json")).unwrap();
    let r = &report["organisations"][0]["results"][0];
    assert_eq!(r["status"], "unknown");
    assert_eq!(r["summary"], "the subject access requests are not given");
    assert_eq!(r["items"], Value::Array(vec![]));
    assert_eq!(
        r["missing_facts"][0]["question"],
        "List every subject access request received, with its dates"
    );
    // The text asks for the list, since there is no item to ask about.
    let text = run(&none, "text");
    assert!(
        text.contains("    items: the subject access requests are not given\n    missing facts (answer these to decide the rule):\n      - Subject access requests (sar): List every subject access request received, with its dates\n"),
        "{text}"
    );
    let report: Value = serde_json::from_str(&run(&empty, "json")).unwrap();
    let r = &report["organisations"][0]["results"][0];
    assert_eq!(r["status"], "not_applicable");
    assert_eq!(r["summary"], "no subject access requests");
    let (code, _, err) = obligo(&[
        "explain",
        "answer-sar",
        none.to_str().unwrap(),
        "--rules",
        RULES,
        "--as-of",
        "2024-04-02",
        "--item",
        "S-1",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("has no items in")
            && err.contains("the subject access requests are not given"),
        "{err}"
    );
}

#[test]
fn only_unmet_leaves_out_the_met_items_but_counts_them() {
    let (_, out, err) = obligo(&[
        "check",
        FACTS,
        "--rules",
        RULES,
        "--as-of",
        "2024-04-02",
        "--known-on",
        "2024-06-01",
        "--only",
        "unmet",
    ]);
    assert!(err.is_empty(), "{err}");
    let rule = out.find("] answer-sar\n").unwrap();
    let start = rule + out[rule..].find("    items:").unwrap();
    let block: Vec<&str> = out[start..].lines().take(6).collect();
    assert_eq!(
        block,
        [
            "    items: 1 of 4 subject access requests overdue, 1 unknown, 1 met late, 1 met",
            "      [OVERDUE] S-2 (Mrs B): due 2024-04-01 (1 day ago)",
            "        why: sar.answered is set -> false (Date answered: not happened)",
            "      [UNKNOWN] S-3: deadline unknown",
            "        answer: Was the time extended?",
            "    sources:",
        ]
    );
}
