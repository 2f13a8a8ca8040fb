//! `obligo batch`: generated organisations of the nine-rule workload as
//! JSON Lines and CSV, with a few invalid rows among them. Every valid row
//! gets its record in input order with the statuses `check` gives, every
//! invalid row an error record with its row, line, column and field; the
//! summary counts what the records say; the output is the same on every
//! run and with any number of threads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use obligo::eval::{Dates, Plan};
use serde_json::Value;

use crate::common::{self, d};
use crate::nine_rules::generate::Org;

const RULES: &str = "benches/nine-rules";
const AS_OF: &str = "2024-03-31";
const ORGS: u64 = 120;

/// A fresh folder for one test's files.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("obligo-batch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The bad rows put among the generated ones, by the input row (1-based)
/// they are put at: the row's text, and the field and column of its error.
struct Bad {
    row: usize,
    text: &'static str,
    field: Option<&'static str>,
    column: usize,
}

const BAD_JSONL: [Bad; 4] = [
    Bad {
        row: 3,
        text: r#"{"id": "BAD1", "facts": {"staff": "many"}}"#,
        field: Some("staff"),
        column: 35,
    },
    Bad {
        row: 40,
        text: r#"{"id": "BAD2", "facts": {"staf": 3}}"#,
        field: Some("staf"),
        column: 26,
    },
    Bad {
        row: 41,
        text: r#"{"id": "BAD3", "facts": {"tier": "gold""#,
        field: None,
        column: 40,
    },
    Bad {
        row: 100,
        text: r#"{"id": "BAD4", "facts": {"under_contract": "yes"}}"#,
        field: Some("under_contract"),
        column: 44,
    },
];

/// The generated organisations, each by its input row, with the bad rows
/// in between; and the text of the whole input.
fn jsonl_input() -> (String, BTreeMap<usize, Org>) {
    let mut text = String::new();
    let mut orgs = BTreeMap::new();
    let mut seed = 0;
    for row in 1..=(ORGS as usize + BAD_JSONL.len()) {
        if let Some(bad) = BAD_JSONL.iter().find(|b| b.row == row) {
            text.push_str(bad.text);
        } else {
            let org = Org::generate(seed);
            seed += 1;
            text.push_str(&org.to_json_line());
            orgs.insert(row, org);
        }
        text.push('\n');
    }
    (text, orgs)
}

/// Each record of a JSON Lines output.
fn records(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Each rule's status code for a generated organisation, as the library
/// (the one status path) gives it.
fn expected(orgs: &BTreeMap<usize, Org>) -> BTreeMap<usize, (String, BTreeMap<String, String>)> {
    let rs = common::ruleset(RULES);
    let plan = Plan::new(
        &rs,
        Dates {
            as_of: d(AS_OF),
            known_on: d(AS_OF),
        },
    );
    orgs.iter()
        .map(|(row, org)| {
            let facts = common::facts(&rs, "org.yaml", &org.to_yaml());
            let outcomes = plan.evaluate(&facts);
            let statuses = outcomes
                .iter()
                .map(|o| {
                    let rule = rs.get_rule(o.rule).unwrap();
                    (rule.name.clone(), o.status.code().to_string())
                })
                .collect();
            (*row, (plan.verdict(&outcomes).code().to_string(), statuses))
        })
        .collect()
}

/// A record's verdict and statuses are those the library gives.
fn assert_judged_as(rec: &Value, want: &(String, BTreeMap<String, String>), row: usize) {
    let (verdict, statuses) = want;
    assert_eq!(rec["verdict"], verdict.as_str(), "row {row}");
    let got: BTreeMap<String, String> = rec["rules"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["status"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(&got, statuses, "row {row}: the statuses `check` gives");
}

/// Runs obligo with `input` on its standard input; gives standard output.
fn with_stdin(args: &[&str], input: &str) -> String {
    String::from_utf8(run_with_stdin(args, input).stdout).unwrap()
}

/// Runs obligo with `input` on its standard input.
fn run_with_stdin(args: &[&str], input: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_obligo"))
        .args(args)
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(input.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap()
}

/// `obligo batch` on the nine rules, judged on [`AS_OF`].
const BATCH: [&str; 7] = [
    "batch",
    "--rules",
    RULES,
    "--as-of",
    AS_OF,
    "--known-on",
    AS_OF,
];

fn batch(args: &[&str]) -> (i32, String, String) {
    let mut all = BATCH.to_vec();
    all.extend_from_slice(args);
    common::obligo(&all)
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn jsonl_rows_are_judged_in_order_and_bad_rows_get_error_records() {
    let dir = folder("jsonl");
    let (text, orgs) = jsonl_input();
    let input = dir.join("orgs.jsonl");
    std::fs::write(&input, &text).unwrap();
    let summary = dir.join("summary.json");
    let (code, out, err) = batch(&[path(&input), "--summary", path(&summary)]);
    assert_eq!(code, 2, "an invalid row makes the exit code 2\n{err}");

    let recs = records(&out);
    assert_eq!(
        recs.len(),
        ORGS as usize + BAD_JSONL.len(),
        "a record per row"
    );
    let want = expected(&orgs);
    for (i, rec) in recs.iter().enumerate() {
        let row = i + 1;
        assert_eq!(rec["schema_version"], 1);
        assert_eq!(rec["row"], row as u64, "records are in input order");
        assert_eq!(rec["line"], row as u64, "one line per row, none blank");
        if let Some(bad) = BAD_JSONL.iter().find(|b| b.row == row) {
            assert_eq!(rec["kind"], "invalid", "row {row}: {rec}");
            let e = &rec["errors"][0];
            assert_eq!(e["line"], row as u64, "row {row}: {rec}");
            assert_eq!(e["column"], bad.column as u64, "row {row}: {rec}");
            match bad.field {
                Some(f) => assert_eq!(e["field"], f, "row {row}: {rec}"),
                None => assert!(e["field"].is_null(), "row {row}: {rec}"),
            }
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
            assert!(e["help"].as_str().is_some_and(|m| !m.is_empty()), "{rec}");
            // And on standard error, located, with the text shown.
            let place = format!("{}:{row}:{}", path(&input), bad.column);
            assert!(err.contains(&place), "`{place}` not in:\n{err}");
            continue;
        }
        assert_eq!(rec["kind"], "organisation", "row {row}: {rec}");
        let org = &orgs[&row];
        assert_eq!(rec["id"], org.id.as_str());
        assert_judged_as(rec, &want[&row], row);
    }
    assert!(err.contains("staff"), "{err}");
    assert!(err.contains("did you mean `staff`?"), "{err}");

    // The summary counts what the records say.
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(s["schema_version"], 1);
    assert_eq!(s["organisations"], ORGS);
    assert_eq!(s["invalid_rows"], BAD_JSONL.len() as u64);
    assert_eq!(s["rows"], ORGS + BAD_JSONL.len() as u64);
    let mut verdicts: BTreeMap<String, u64> = BTreeMap::new();
    let mut per_rule: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut overdue_rows = Vec::new();
    for (verdict, statuses) in want.values() {
        *verdicts.entry(verdict.clone()).or_default() += 1;
        for (rule, status) in statuses {
            *per_rule.entry((rule.clone(), status.clone())).or_default() += 1;
        }
    }
    for (row, (verdict, _)) in &want {
        if verdict == "breach" {
            overdue_rows.push(*row as u64);
        }
    }
    for v in ["compliant", "undetermined", "breach"] {
        assert_eq!(
            s["verdicts"][v],
            verdicts.get(v).copied().unwrap_or(0),
            "{v}: {s}"
        );
    }
    let mut summed: BTreeMap<(String, String), u64> = BTreeMap::new();
    for r in s["rules"].as_array().unwrap() {
        for c in r["statuses"].as_array().unwrap() {
            summed.insert(
                (
                    r["rule"].as_str().unwrap().to_string(),
                    c["status"].as_str().unwrap().to_string(),
                ),
                c["organisations"].as_u64().unwrap(),
            );
        }
    }
    assert_eq!(summed, per_rule, "each rule's count per status");
    let named: Vec<u64> = s["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["row"].as_u64().unwrap())
        .collect();
    assert_eq!(
        named, overdue_rows,
        "the organisations with overdue binding duties"
    );
    assert_eq!(s["overdue_organisations"], overdue_rows.len() as u64);
    assert!(
        !s["most_missing"].as_array().unwrap().is_empty(),
        "the generator leaves facts out: {s}"
    );
}

#[test]
fn csv_rows_are_judged_in_order_and_bad_rows_get_error_records() {
    let dir = folder("csv");
    let mut text = Org::csv_header();
    text.push('\n');
    let mut orgs = BTreeMap::new();
    let header: Vec<String> = Org::csv_header().split(',').map(String::from).collect();
    let staff_col = header.iter().position(|h| h == "staff").unwrap();
    let tier_col = header.iter().position(|h| h == "tier").unwrap();
    // Row 5: a count that is not a number; row 9: a choice not listed.
    let bad_rows = [5usize, 9];
    for row in 1..=ORGS as usize {
        let org = Org::generate(100 + row as u64);
        let mut cells: Vec<String> = org.to_csv_row().split(',').map(String::from).collect();
        if row == 5 {
            cells[staff_col] = "twelve".into();
        } else if row == 9 {
            cells[tier_col] = "gold".into();
        } else {
            orgs.insert(row, org);
        }
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    let input = dir.join("orgs.csv");
    std::fs::write(&input, &text).unwrap();
    let output = dir.join("out.jsonl");
    let summary = dir.join("summary.json");
    let (code, out, err) = batch(&[
        path(&input),
        "--output",
        path(&output),
        "--summary",
        path(&summary),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "the records go to --output");
    let recs = records(&std::fs::read_to_string(&output).unwrap());
    assert_eq!(recs.len(), ORGS as usize);
    let want = expected(&orgs);
    for (i, rec) in recs.iter().enumerate() {
        let row = i + 1;
        assert_eq!(rec["row"], row as u64);
        // The header is line 1.
        assert_eq!(rec["line"], row as u64 + 1);
        if bad_rows.contains(&row) {
            assert_eq!(rec["kind"], "invalid", "{rec}");
            let e = &rec["errors"][0];
            let field = if row == 5 { "staff" } else { "tier" };
            assert_eq!(e["field"], field, "{rec}");
            assert_eq!(e["line"], row as u64 + 1, "{rec}");
            assert!(e["column"].as_u64().unwrap() > 1, "{rec}");
            continue;
        }
        assert_judged_as(rec, &want[&row], row);
    }
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(s["organisations"], ORGS - 2);
    assert_eq!(s["invalid_rows"], 2);

    // The CSV output: a header, then a row per input row.
    let (code, out, _) = batch(&[path(&input), "--format", "csv"]);
    assert_eq!(code, 2);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), ORGS as usize + 1);
    assert!(
        lines[0].starts_with("row,file,line,id,name,verdict,"),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(",error"));
    assert!(lines[5].starts_with("5,"), "{}", lines[5]);
    assert!(lines[5].contains(",invalid,"), "{}", lines[5]);
    let row1 = &want[&1];
    assert!(lines[1].contains(&format!(",{},", row1.0)), "{}", lines[1]);
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let dir = folder("same");
    let (text, _) = jsonl_input();
    let input = dir.join("orgs.jsonl");
    std::fs::write(&input, text.repeat(30)).unwrap();
    let run = |threads: &str| {
        let summary = dir.join(format!("summary-{threads}.md"));
        let (code, out, err) = batch(&[
            path(&input),
            "--threads",
            threads,
            "--summary",
            path(&summary),
        ]);
        assert_eq!(code, 2, "{err}");
        (out, err, std::fs::read_to_string(&summary).unwrap())
    };
    let one = run("1");
    assert_eq!(
        one.0.lines().count(),
        30 * (ORGS as usize + BAD_JSONL.len())
    );
    assert_eq!(run("1"), one, "two runs on one thread");
    assert_eq!(run("2"), one, "two threads");
    assert_eq!(run("7"), one, "seven threads");
}

#[test]
fn exit_code_is_the_worst_verdict_when_every_row_is_valid() {
    let dir = folder("valid");
    let lines: Vec<String> = (0..40).map(|s| Org::generate(s).to_json_line()).collect();
    let input = dir.join("orgs.jsonl");
    std::fs::write(&input, lines.join("\n")).unwrap();
    let (code, out, err) = batch(&[path(&input)]);
    let recs = records(&out);
    let worst = if recs.iter().any(|r| r["verdict"] == "breach") {
        1
    } else if recs.iter().any(|r| r["verdict"] == "undetermined") {
        3
    } else {
        0
    };
    assert_eq!(code, worst, "{err}");
    // The summary on standard error, for people.
    assert!(
        err.contains("40 organisations judged by nine-rules"),
        "{err}"
    );
    assert!(
        err.lines().all(|l| l.chars().count() <= 80),
        "80 columns:\n{err}"
    );
}

#[test]
fn fail_fast_stops_at_the_first_invalid_row() {
    let dir = folder("fail-fast");
    let (text, _) = jsonl_input();
    let input = dir.join("orgs.jsonl");
    std::fs::write(&input, &text).unwrap();
    let (code, out, err) = batch(&[path(&input), "--fail-fast"]);
    assert_eq!(code, 2);
    let recs = records(&out);
    assert_eq!(
        recs.len(),
        BAD_JSONL[0].row,
        "up to and with the first bad row"
    );
    assert_eq!(recs.last().unwrap()["kind"], "invalid");
    assert!(err.contains("--fail-fast"), "{err}");
}

#[test]
fn standard_input_folders_and_yaml_files() {
    let dir = folder("yaml");
    for s in 0..3 {
        std::fs::write(
            dir.join(format!("org-{s}.yaml")),
            Org::generate(s).to_yaml(),
        )
        .unwrap();
    }
    std::fs::write(dir.join("notes.txt"), "not a facts file").unwrap();
    let (code, out, err) = batch(&[path(&dir)]);
    assert!(code != 2, "{err}");
    let recs = records(&out);
    assert_eq!(
        recs.len(),
        3,
        "the folder's YAML files, not its other files"
    );
    assert!(recs[0]["file"].as_str().unwrap().ends_with("org-0.yaml"));

    // Standard input, read as JSON Lines.
    let line = Org::generate(7).to_json_line();
    let out = with_stdin(&[BATCH.as_slice(), &["-"]].concat(), &line);
    let recs = records(&out);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["file"], "<stdin>");
    assert_eq!(recs[0]["id"], Org::generate(7).id.as_str());
}

#[test]
fn check_reads_a_folder_and_standard_input() {
    // A folder is its YAML files in name order: the same report as naming them.
    let (code, by_folder, err) = common::obligo(&[
        "check",
        "examples",
        "--as-of",
        "2024-06-30",
        "--known-on",
        "2024-06-30",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let mut files: Vec<String> = common::files("examples", "yaml")
        .iter()
        .map(|p| common::rel(p))
        .collect();
    files.sort();
    let mut args = vec![
        "check",
        "--as-of",
        "2024-06-30",
        "--known-on",
        "2024-06-30",
        "--format",
        "json",
    ];
    args.extend(files.iter().map(String::as_str));
    let (_, by_name, _) = common::obligo(&args);
    assert_eq!(by_folder, by_name);

    // `-` is one facts file on standard input.
    let yaml = std::fs::read_to_string(common::root().join("examples/early-adopter.yaml")).unwrap();
    let text = with_stdin(
        &[
            "check",
            "-",
            "--as-of",
            "2024-06-30",
            "--known-on",
            "2024-06-30",
        ],
        &yaml,
    );
    assert!(text.contains("facts: <stdin>"), "{text}");
    assert!(text.contains("Larkspur Lane Surgery"), "{text}");
}

/// What an independent review found: each case ends in its error record
/// (or a refusal) and the run goes on, with nothing lost or overwritten.
#[test]
fn hostile_rows_do_not_lose_the_others() {
    let dir = folder("hostile-rows");
    let good = Org::generate(1).to_json_line();
    // A problem past column 65,535 (miette cannot lay it out), and a row
    // with 300 unknown keys (each re-rendering the whole line).
    let wide = format!("{{\"name\":\"{}\",\"staff\":\"many\"}}", "x".repeat(70_000));
    let keys: Vec<String> = (0..300).map(|i| format!("\"k{i}\":1")).collect();
    let many = format!("{{{}}}", keys.join(","));
    let input = dir.join("rows.jsonl");
    std::fs::write(&input, format!("{wide}\n{good}\n{many}\n{good}\n")).unwrap();
    let (code, out, err) = batch(&[path(&input)]);
    assert_eq!(code, 2, "{}", err.chars().take(2000).collect::<String>());
    let recs = records(&out);
    let kinds: Vec<&str> = recs.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["invalid", "organisation", "invalid", "organisation"]
    );
    assert!(
        err.len() < 200_000,
        "messages stay short: {} bytes",
        err.len()
    );
    let errors = recs[2]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 21, "20 problems and a count of the rest");
    assert!(
        errors[20]["message"]
            .as_str()
            .unwrap()
            .contains("280 more problems")
    );

    // A stray quote inside a CSV cell does not swallow the rows after it.
    let csv = dir.join("rows.csv");
    std::fs::write(&csv, "id,staff\nA,5\" screen\nB,2\nC,3\n").unwrap();
    let (_, out, _) = batch(&[path(&csv)]);
    let kinds: Vec<String> = records(&out)
        .iter()
        .map(|r| r["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["invalid", "organisation", "organisation"]);

    // The output is never an input, not by a hard link, nor the summary.
    let link = dir.join("link.jsonl");
    std::fs::hard_link(&input, &link).unwrap();
    let before = std::fs::read(&input).unwrap();
    let (code, _, err) = batch(&[path(&input), "--output", path(&link)]);
    assert_eq!(code, 2);
    assert!(err.contains("is also an input"), "{err}");
    let out = dir.join("out.jsonl");
    let (code, _, err) = batch(&[
        path(&input),
        "--output",
        path(&out),
        "--summary",
        path(&out),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("the same file"), "{err}");
    // A summary that cannot be written leaves the output as it was.
    std::fs::write(&out, "kept").unwrap();
    let (code, _, _) = batch(&[
        path(&input),
        "--output",
        path(&out),
        "--summary",
        "/nonexistent/s.md",
    ]);
    assert_eq!(code, 2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "kept");
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

/// A ruleset with a kind of item, a rule judged for each item and a rule
/// whose condition holds an aggregate, written into `dir`.
const ITEMS_RULES: &str = r#"ruleset sar "Subject access requests" version "1" published 2024-01-01
authority ico "ICO" binding
source ukgdpr "UK GDPR" by ico published 2018-05-25

fact registered: count "Patients" ask "How many patients?"

item sar "subject access request", "subject access requests"
  ask "List every subject access request received, with its dates"
  field received: date "Date received" ask "When was it received?"
  field answered: date, optional "Date answered" ask "When was it answered? Write null if not yet."
  field extended: bool "Extended" ask "Was the time extended?"

obligation answer-sar "Answer each subject access request within one month" by ico
  for each sar
  version from 2018-05-25 published 2018-05-25 cites ukgdpr
    deadline sar.received + (if sar.extended then 3 months else 1 month)
    met when sar.answered is set
    met on sar.answered

obligation few-open "Keep fewer than 3 requests open" by ico
  version from 2018-05-25 published 2018-05-25 cites ukgdpr
    met when (count of sar where sar.answered is missing) < 3 and registered > 0
"#;

const ITEMS_AS_OF: &str = "2024-04-05";

fn items_folder(name: &str) -> PathBuf {
    let dir = folder(name);
    std::fs::write(dir.join("rules.obl"), ITEMS_RULES).unwrap();
    dir
}

fn items_batch(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let rules = dir.join("rules.obl");
    let mut all = vec![
        "batch",
        "--rules",
        path(&rules),
        "--as-of",
        ITEMS_AS_OF,
        "--known-on",
        ITEMS_AS_OF,
    ];
    all.extend_from_slice(args);
    common::obligo(&all)
}

/// Rows with items, without, with none, and with items again: each row
/// judged on its own items only (the facts and outcomes reused from row to
/// row keep nothing of the row before), as `check` judges the same facts
/// written as a facts file.
const ITEM_ROWS: [(&str, &str); 5] = [
    (
        r#"{"id": "A", "registered": 10, "items": {"sar": [{"id": "S-1", "received": "2024-01-10", "answered": "2024-02-01", "extended": false}, {"id": "S-2", "received": "2024-03-01", "answered": null, "extended": false}, {"id": "S-3", "label": "Mrs C", "received": "2024-03-20", "answered": null, "extended": false}]}}"#,
        "organisation:\n  id: A\nfacts:\n  registered: 10\nitems:\n  sar:\n    - {id: S-1, received: 2024-01-10, answered: 2024-02-01, extended: false}\n    - {id: S-2, received: 2024-03-01, answered: null, extended: false}\n    - {id: S-3, label: Mrs C, received: 2024-03-20, answered: null, extended: false}\n",
    ),
    (
        r#"{"id": "B", "registered": 10}"#,
        "organisation:\n  id: B\nfacts:\n  registered: 10\n",
    ),
    (
        r#"{"organisation": {"id": "C"}, "facts": {"registered": 10}, "items": {"sar": []}}"#,
        "organisation:\n  id: C\nfacts:\n  registered: 10\nitems:\n  sar: []\n",
    ),
    (
        r#"{"id": "D", "registered": 10, "items": {"sar": [{"id": "S-9", "received": "2024-03-20", "answered": null, "extended": true}]}}"#,
        "organisation:\n  id: D\nfacts:\n  registered: 10\nitems:\n  sar:\n    - {id: S-9, received: 2024-03-20, answered: null, extended: true}\n",
    ),
    (
        r#"{"id": "E", "registered": 10}"#,
        "organisation:\n  id: E\nfacts:\n  registered: 10\n",
    ),
];

#[test]
fn items_in_jsonl_rows_are_judged_per_item_and_never_leak_between_rows() {
    let dir = items_folder("items");
    let input = dir.join("rows.jsonl");
    let text: String = ITEM_ROWS.iter().map(|(j, _)| format!("{j}\n")).collect();
    std::fs::write(&input, text).unwrap();
    // One thread: every row reuses the same worker's facts and outcomes.
    let (code, out, err) = items_batch(&dir, &[path(&input), "--threads", "1", "--explain"]);
    assert_eq!(code, 1, "{err}");
    let recs = records(&out);
    assert_eq!(recs.len(), ITEM_ROWS.len());
    // The summary counts each organisation's roll-up, and says so.
    assert!(
        err.contains("answer-sar (for each subject access request): 1 overdue"),
        "{err}"
    );

    let rs = common::ruleset_text(ITEMS_RULES);
    let plan = Plan::new(
        &rs,
        Dates {
            as_of: d(ITEMS_AS_OF),
            known_on: d(ITEMS_AS_OF),
        },
    );
    let answer = rs.rule_named("answer-sar").unwrap();
    for ((_, yaml), rec) in ITEM_ROWS.iter().zip(&recs) {
        let facts = common::facts(&rs, "org.yaml", yaml);
        let outcomes = plan.evaluate(&facts);
        let id = rec["id"].as_str().unwrap();
        assert_eq!(rec["verdict"], plan.verdict(&outcomes).code(), "{id}");
        let o = outcomes.iter().find(|o| o.rule == answer).unwrap();
        let got = &rec["rules"]["answer-sar"];
        assert_eq!(got["status"], o.status.code(), "{id}");
        // Each item's status, in list order, as the library gives it.
        let want: Vec<(Option<&str>, &str)> = o
            .items
            .iter()
            .map(|i| {
                let item = &facts.items_in(&rs, rs.kind_named("sar").unwrap()).unwrap()
                    [i.item.unwrap() as usize];
                (item.id.as_deref(), i.status.code())
            })
            .collect();
        let listed: Vec<(Option<&str>, &str)> = got["item_statuses"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|i| (i["id"].as_str(), i["status"].as_str().unwrap()))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(listed, want, "{id}");
    }

    // What each record says, pinned.
    let a = &recs[0]["rules"]["answer-sar"];
    assert_eq!(a["status"], "overdue");
    assert_eq!(a["deadline"], "2024-04-01");
    assert_eq!(a["days_overdue"], 4);
    assert_eq!(
        a["items"],
        serde_json::json!({"met": 1, "pending": 1, "overdue": 1})
    );
    let s3 = &a["item_statuses"][2];
    assert_eq!(s3["id"], "S-3");
    assert_eq!(s3["label"], "Mrs C");
    assert_eq!(s3["position"], 3);
    assert_eq!(s3["status"], "pending");
    assert_eq!(s3["deadline"], "2024-04-20");
    assert_eq!(s3["days_left"], 15);
    assert!(s3["explanation"].as_array().is_some_and(|e| !e.is_empty()));
    assert_eq!(recs[0]["rules"]["few-open"]["status"], "met");

    // No `items`: the list is unknown, and nothing of row A is left.
    for rec in [&recs[1], &recs[4]] {
        let b = &rec["rules"]["answer-sar"];
        assert_eq!(b["status"], "unknown", "{rec}");
        assert_eq!(b["missing"], serde_json::json!(["sar"]));
        assert!(
            b.get("items").is_none() && b.get("item_statuses").is_none(),
            "{rec}"
        );
        assert_eq!(rec["rules"]["few-open"]["status"], "unknown");
        assert_eq!(
            rec["rules"]["few-open"]["missing"],
            serde_json::json!(["sar"])
        );
    }
    // `[]`: known to be none.
    assert_eq!(recs[2]["rules"]["answer-sar"]["status"], "not_applicable");
    assert_eq!(recs[2]["rules"]["few-open"]["status"], "met");
    // Row D's one item, not row A's three.
    let dd = &recs[3]["rules"]["answer-sar"];
    assert_eq!(dd["status"], "pending");
    assert_eq!(dd["items"], serde_json::json!({"pending": 1}));
    assert_eq!(dd["deadline"], "2024-06-20");
    assert_eq!(dd["item_statuses"].as_array().unwrap().len(), 1);

    // Without --explain: the counts, not the list; the same with threads.
    let (_, plain, _) = items_batch(&dir, &[path(&input), "--threads", "2"]);
    let plain = records(&plain);
    assert_eq!(plain[0]["rules"]["answer-sar"]["items"], a["items"]);
    assert!(
        plain[0]["rules"]["answer-sar"]
            .get("item_statuses")
            .is_none()
    );
    assert!(plain[1]["rules"]["answer-sar"].get("items").is_none());
}

#[test]
fn item_errors_in_jsonl_rows_are_located_and_worded_as_in_a_facts_file() {
    let dir = items_folder("item-errors");
    let input = dir.join("rows.jsonl");
    let rows = [
        r#"{"id": "OK", "registered": 1, "items": {"sar": []}}"#,
        r#"{"id": "K", "items": {"sra": []}}"#,
        r#"{"id": "F", "items": {"sar": [{"id": "S-1", "recieved": "2024-01-10"}]}}"#,
        r#"{"id": "T", "items": {"sar": [{"received": "10/01/2024", "extended": 3}]}}"#,
        r#"{"id": "I", "items": {"sar": [{"id": "S-1"}, {"id": "S-1"}]}}"#,
        r#"{"id": "N", "items": {"sar": null}}"#,
        r#"{"id": "L", "items": {"sar": {"id": "S-1"}}}"#,
        r#"{"id": "M", "items": {"sar": [5]}}"#,
        r#"{"id": "O", "items": [1]}"#,
        r#"{"id": "W", "sar": []}"#,
        r#"{"id": "X", "sar.received": "2024-01-10"}"#,
        r#"{"id": "Y", "items": {"sar": []}, "items": {"sar": []}}"#,
    ];
    let text: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&input, text).unwrap();
    let (code, out, err) = items_batch(&dir, &[path(&input)]);
    assert_eq!(code, 2, "{err}");
    let recs = records(&out);
    assert_eq!(recs.len(), rows.len());
    assert_eq!(recs[0]["kind"], "organisation");
    // Each row's first problem: where it points (the first place of the
    // text given in its row), its field, message and help.
    let want: [(&str, &str, &str, &str); 11] = [
        (
            r#""sra""#,
            "sra",
            "unknown item kind `sra`",
            "the kinds of item are: sar",
        ),
        (
            r#""recieved""#,
            "sar",
            "`recieved` is not a field of subject access request",
            "did you mean `received`?",
        ),
        (
            r#""10/01"#,
            "sar",
            "`sar.received` should be a date, not `10/01/2024`",
            "write 2024-01-10 for 10 January 2024, or 2024-10-01 for 1 October 2024: dates are written YYYY-MM-DD",
        ),
        (
            r#"{"id": "S-1"}]"#,
            "sar",
            "two subject access requests have the id `S-1`",
            "",
        ),
        (
            r#""sar""#,
            "sar",
            "the list of subject access requests is blank",
            r#"write `"sar": []` if there are none; leave `sar` out if you do not know"#,
        ),
        (
            r#"{"id": "S-1"}}"#,
            "sar",
            "`sar` should be a list of subject access requests",
            "",
        ),
        (
            "5]",
            "sar",
            "this subject access request is not an object of its fields",
            "",
        ),
        (
            "[1]",
            "items",
            "`items` should be an object of kinds of item and their lists",
            "",
        ),
        (
            r#""sar""#,
            "sar",
            "`sar` is a kind of item, not a fact",
            r#"give its list under `items`, as "items": {"sar": [{…}, …]}"#,
        ),
        (
            r#""sar.received""#,
            "sar.received",
            "unknown fact `sar.received`",
            "",
        ),
        (
            r#""sar""#,
            "sar",
            "the list of `sar` is given twice",
            "put every item in one list",
        ),
    ];
    for (k, (rec, (needle, field, message, help))) in recs[1..].iter().zip(want).enumerate() {
        let line = k + 2;
        let text = rows[k + 1];
        let column = if needle == "\"sar\"" || needle.ends_with("}}") {
            text.rfind(needle)
        } else {
            text.find(needle)
        }
        .unwrap()
            + 1;
        assert_eq!(rec["kind"], "invalid", "{rec}");
        let e = &rec["errors"][0];
        assert_eq!(
            (&e["line"], &e["column"], &e["field"], &e["message"]),
            (&line.into(), &column.into(), &field.into(), &message.into()),
            "{rec}"
        );
        if !help.is_empty() {
            assert_eq!(e["help"], help, "{rec}");
        }
    }
    // Both problems of the item with a wrong date and a wrong yes/no.
    let t = &recs[3]["errors"];
    assert_eq!(t.as_array().unwrap().len(), 2);
    assert_eq!(
        t[1]["message"],
        "`sar.extended` should be true or false, not `3`"
    );
    assert_eq!(t[1]["column"], rows[3].find("3}").unwrap() + 1);
    // On standard error as `check` shows a facts file's: file, line, column.
    let shown = format!(
        "{}:3:{}",
        path(&input),
        rows[2].find("\"recieved").unwrap() + 1
    );
    assert!(err.contains(&shown), "{err}");
    assert!(err.contains("did you mean `received`?"), "{err}");
}

#[test]
fn csv_cannot_carry_items_and_says_so() {
    let dir = items_folder("items-csv");
    for (header, column, message) in [
        (
            "id,registered,sar",
            15,
            "a CSV file cannot carry items: the column `sar` is the list of subject access requests",
        ),
        (
            "id,registered,sar.received",
            15,
            "a CSV file cannot carry items: the column `sar.received` is a field of subject access requests",
        ),
        (
            "id,items,registered",
            4,
            "a CSV file cannot carry items: the column `items` is a list of items",
        ),
    ] {
        let input = dir.join("items.csv");
        std::fs::write(&input, format!("{header}\nA,1,2\n")).unwrap();
        let (code, out, err) = items_batch(&dir, &[path(&input)]);
        assert_eq!(code, 2, "{err}");
        let recs = records(&out);
        assert_eq!(recs.len(), 1, "the header's error record only: {out}");
        let e = &recs[0]["errors"][0];
        assert_eq!(e["message"], message);
        assert_eq!((&e["line"], &e["column"]), (&1.into(), &column.into()));
        assert!(e["help"].as_str().unwrap().contains("JSON Lines"), "{e}");
        assert!(
            err.contains("error: a CSV file cannot carry items"),
            "{err}"
        );
    }
    // Organisation facts only: judged, every `for each` rule unknown for
    // want of its list, and the summary's columns and counts are the
    // organisation's.
    let input = dir.join("facts.csv");
    std::fs::write(&input, "id,registered\nA,10\n").unwrap();
    let summary = dir.join("summary.json");
    let (code, out, err) = items_batch(
        &dir,
        &[path(&input), "--format", "csv", "--summary", path(&summary)],
    );
    assert_eq!(code, 3, "{err}");
    assert_eq!(
        out,
        format!(
            "row,file,line,id,name,verdict,answer-sar,few-open,error\n1,{},2,A,,undetermined,unknown,unknown,\n",
            path(&input)
        )
    );
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(summary["most_missing"][0]["fact"], "sar");
    assert_eq!(summary["rules"][0]["rule"], "answer-sar");
    assert_eq!(summary["rules"][0]["for_each"], "sar");
    assert!(summary["rules"][1].get("for_each").is_none());
}

/// The sha256 of some bytes, in hex.
fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_summary_names_what_judged_and_each_input_by_its_sha256() {
    let dir = folder("provenance");
    let (text, _) = jsonl_input();
    let first = dir.join("orgs.jsonl");
    std::fs::write(&first, &text).unwrap();
    let second = common::root().join("examples/early-adopter.yaml");
    // An input that cannot be opened is an invalid row, with no sha256.
    let missing = dir.join("gone.jsonl");
    let json = dir.join("summary.json");
    let md = dir.join("summary.md");
    let rules = common::ruleset(RULES);
    for summary in [&json, &md] {
        let (code, _, err) = batch(&[
            path(&first),
            path(&second),
            path(&missing),
            "--summary",
            path(summary),
        ]);
        assert_eq!(code, 2, "the missing input is an invalid row\n{err}");
    }
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(s["obligo_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(s["ruleset"]["sha256"], rules.sha256.as_str());
    assert_eq!(
        (s["as_of"].as_str(), s["known_on"].as_str()),
        (Some(AS_OF), Some(AS_OF))
    );
    let yaml = std::fs::read(&second).unwrap();
    assert_eq!(
        s["inputs"],
        serde_json::json!([
            {"file": path(&first), "sha256": sha256(text.as_bytes())},
            {"file": path(&second), "sha256": sha256(&yaml)},
            {"file": path(&missing), "sha256": null},
        ])
    );
    let md = std::fs::read_to_string(&md).unwrap();
    let judged_by = &md[md.find("\n## Judged by\n").unwrap()..];
    assert_eq!(
        judged_by,
        format!(
            "\n## Judged by\n\n- obligo {}\n- ruleset nine-rules version {}, published {}\n- ruleset sha256 {}\n- as of {AS_OF}, rules known on {AS_OF}\n- input {}: sha256 {}\n- input {}: sha256 {}\n- input {}: sha256 none (not read to its end)\n",
            env!("CARGO_PKG_VERSION"),
            rules.version,
            rules.published,
            rules.sha256,
            path(&first),
            sha256(text.as_bytes()),
            path(&second),
            sha256(&yaml),
            path(&missing),
        )
    );
}

#[test]
fn standard_input_is_hashed_as_read_and_the_text_summary_says_so() {
    let (text, _) = jsonl_input();
    let out = run_with_stdin(
        &[
            "batch",
            "-",
            "--rules",
            RULES,
            "--as-of",
            AS_OF,
            "--known-on",
            AS_OF,
        ],
        &text,
    );
    let err = String::from_utf8(out.stderr).unwrap();
    let judged_by = &err[err.find("\nJudged by:\n").unwrap()..];
    assert!(
        judged_by.ends_with(&format!(
            "  as of {AS_OF}, rules known on {AS_OF}\n  input <stdin>: sha256\n    {}\n",
            sha256(text.as_bytes())
        )),
        "{judged_by}"
    );
    assert!(judged_by.contains(&format!("\n  obligo {}\n", env!("CARGO_PKG_VERSION"))));
}
