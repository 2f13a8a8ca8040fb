//! Items in the commands besides `check` and `explain`: `missing` asks
//! questions that name the item, `missing --template` shows an example
//! item, `timeline` and `--ics` give each item's deadline, `diff` says
//! which items changed. The fixture is `tests/items/commands/`.

use crate::common::{obligo, without_hashes};
use crate::snap;

const RULES: &str = "tests/items/commands";

fn facts(name: &str) -> String {
    format!("{RULES}/{name}.yaml")
}

/// `obligo COMMAND --rules FIXTURE ARGS…`, known on a fixed date.
fn run(command: &str, args: &[&str]) -> (i32, String, String) {
    let mut all = vec![command, "--rules", RULES, "--known-on", "2024-06-30"];
    all.extend_from_slice(args);
    obligo(&all)
}

#[test]
fn missing_asks_each_items_field_by_the_items_name() {
    let (code, out, err) = run("missing", &["--as-of", "2024-04-05", &facts("facts")]);
    assert_eq!(code, 0, "{err}");
    // S-3 gives no `extended`: its deadline is unknown, though S-2 already
    // makes the rule overdue.
    assert!(
        out.contains("[ ] 1. subject access request S-3: Was the time extended?\n"),
        "{out}"
    );
    assert!(
        out.contains("in items: sar, the item at line 19 (S-3):\n       extended: true for yes, false for no\n"),
        "{out}"
    );
    // An item without an id is named by its place in the list.
    assert!(
        out.contains("subject access request #4: Was it disclosed or refused?"),
        "{out}"
    );
    assert!(!out.contains("S-1"), "S-1 is decided: {out}");
    snap!("items_commands__missing", out);
}

#[test]
fn missing_asks_for_a_list_not_given_by_its_kinds_question() {
    let (_, out, _) = run("missing", &["--as-of", "2024-04-05", &facts("no-lists")]);
    let first = out.lines().find(|l| l.starts_with("[ ] 1.")).unwrap();
    assert_eq!(
        first,
        "[ ] 1. List every subject access request received, with its dates"
    );
    assert!(
        out.contains("needed by 3 undecided rules: answer-sar, few-open, record-outcome"),
        "{out}"
    );
    assert!(
        out.contains("[ ] 2. List every monthly report sent, with its month"),
        "{out}"
    );
    // The organisation's facts are given: nothing else is asked.
    assert!(!out.contains("[ ] 3."), "{out}");
    snap!("items_commands__missing-no-lists", out);
}

#[test]
fn missing_ranks_an_items_field_by_every_rule_it_decides() {
    // S-1 gives no `answered`: three rules need it (the request's deadline,
    // the `where` of `record-outcome`, the count of open requests), S-2's
    // `extended` only one.
    let (_, out, _) = run("missing", &["--as-of", "2024-04-05", &facts("open-dates")]);
    let asked: Vec<&str> = out.lines().filter(|l| l.starts_with("[ ] ")).collect();
    assert_eq!(
        asked,
        [
            "[ ] 1. subject access request S-1: When was it answered? Write null if not yet.",
            "[ ] 2. subject access request S-2: Was the time extended?",
        ],
        "{out}"
    );
    assert!(
        out.contains("needed for this item by 3 rules: answer-sar, few-open, record-outcome"),
        "{out}"
    );
}

#[test]
fn missing_json_names_the_item() {
    let (_, out, _) = run(
        "missing",
        &["--as-of", "2024-04-05", "--format", "json", &facts("facts")],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let org = &v["organisations"][0];
    assert_eq!(org["undecided"], 1);
    assert_eq!(org["undecided_items"], 2);
    let q = &org["questions"][0];
    assert_eq!(q["fact"], "sar.extended");
    assert_eq!(q["item"]["kind"], "sar");
    assert_eq!(q["item"]["key"], "S-3");
    assert_eq!(q["item"]["name"], "subject access request S-3");
    assert_eq!(q["item"]["line"], 19);
    assert_eq!(q["rules"], serde_json::json!(["answer-sar"]));
    // An organisation's fact has no item.
    let (_, out, _) = run(
        "missing",
        &[
            "--as-of",
            "2024-04-05",
            "--format",
            "json",
            &facts("no-lists"),
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let q = &v["organisations"][0]["questions"][0];
    assert_eq!(q["fact"], "sar");
    assert!(q.get("item").is_none(), "{q}");
}

/// The template with every blank filled by a value of its kind.
fn filled(template: &str) -> String {
    let mut out = String::new();
    let mut hint = "";
    for line in template.lines() {
        let t = line.trim();
        if t.starts_with("# (") {
            hint = t;
        }
        // A blank to fill: an indented `key:`, perhaps with a comment after it.
        let (t, comment) = match t.split_once(" #") {
            Some((t, c)) if !t.starts_with('#') => (t.trim_end(), Some(c)),
            _ => (t, None),
        };
        let value = match t {
            _ if !line.starts_with("  ") => None,
            "name:" => Some("Filled Surgery"),
            "id:" => Some("ZZ1"),
            "recorded:" => Some("2024-04-05"),
            // A list's line (`sar:   # subject access requests`) is no blank.
            _ if comment.is_some() => None,
            l if l.ends_with(':') && !l.starts_with('#') => Some(match hint {
                h if h.starts_with("# (one of: ") => "disclosed",
                h if h.starts_with("# (true for yes, false for no") => "false",
                h if h.starts_with("# (a whole number") => "3",
                h if h.starts_with("# (a date,") => "2024-03-01",
                h if h.starts_with("# (a month") => "2024-02",
                _ => "\"some text\"",
            }),
            _ => None,
        };
        match value {
            Some(v) => {
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_str(&format!("{indent}{t} {v}"));
                if let Some(c) = comment {
                    out.push_str(&format!("   #{c}"));
                }
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[test]
fn the_template_shows_an_example_item_of_each_kind_and_loads_once_filled() {
    let (code, template, err) = run("missing", &["--template"]);
    assert_eq!(code, 0, "{err}");
    snap!("items_commands__template", template.clone());
    // Item fields and lists are not facts of the organisation.
    let facts_part =
        &template[template.find("\nfacts:\n").unwrap()..template.find("\nitems:\n").unwrap()];
    assert!(!facts_part.contains("sar"), "{facts_part}");
    assert!(
        template.contains("\n  sar:   # subject access requests\n    - id: SAR-1"),
        "{template}"
    );
    for field in [
        "received:",
        "answered:",
        "extended:",
        "outcome:",
        "pages:",
        "month:",
        "note:",
    ] {
        assert!(
            template.contains(&format!("\n      {field}\n")),
            "{field}: {template}"
        );
    }
    assert!(template.contains("Write `sar: []` if"), "{template}");
    let dir = std::env::temp_dir().join(format!("obligo-items-template-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let check = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let (code, out, err) = run("check", &["--as-of", "2024-04-05", &path.to_string_lossy()]);
        (code, out, err)
    };
    // As written, the blanks are refused.
    let (code, _, _) = check("blank.yaml", &template);
    assert_eq!(code, 2);
    // Filled as shown, it loads, and the example items are judged.
    let full = filled(&template);
    let (code, out, err) = check("filled.yaml", &full);
    assert_ne!(code, 2, "{err}\n{full}");
    assert!(err.is_empty(), "{err}");
    assert!(out.contains("answer-sar"), "{out}");
    // The optional label, uncommented as it stands, loads too.
    let labelled = full.replace("      # label: ", "      label: ");
    assert_ne!(labelled, full);
    let (code, _, err) = check("labelled.yaml", &labelled);
    assert_ne!(code, 2, "{err}\n{labelled}");
    // So does a list of none, written as the template says.
    let sar = full.find("  sar:").unwrap();
    let report = full.find("  # List every monthly report").unwrap();
    let none = format!("{}  sar: []\n\n{}", &full[..sar], &full[report..]);
    let (code, _, err) = check("none.yaml", &none);
    assert_ne!(code, 2, "{err}\n{none}");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn timeline(facts_file: &str, as_of: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "--as-of",
        as_of,
        "--from",
        "2024-01-01",
        "--to",
        "2024-06-30",
        facts_file,
    ];
    args.extend_from_slice(extra);
    run("timeline", &args)
}

/// The event lines of a text timeline: `DATE  RULE: WHAT [STATUS]`.
fn event_lines(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.len() > 12 && l.as_bytes()[4] == b'-' && l.as_bytes()[10] == b' ')
        .collect()
}

#[test]
fn timeline_gives_each_items_deadline_named_by_the_item_in_date_order() {
    let (code, out, err) = timeline(&facts("facts"), "2024-04-05", &[]);
    assert_eq!(code, 0, "{err}");
    let lines = event_lines(&out);
    assert_eq!(
        lines,
        [
            "2024-02-08  record-outcome: subject access request S-1 (Mrs A) due [MET]",
            "2024-02-10  answer-sar: subject access request S-1 (Mrs A) due [MET]",
            "2024-02-29  monthly-report: period 2024-01 due [MET]",
            "2024-03-31  monthly-report: period 2024-02 due [OVERDUE]",
            "2024-04-01  answer-sar: subject access request S-2 due [OVERDUE]",
            "2024-04-04  record-outcome: subject access request #4 due [UNKNOWN]",
            "2024-04-25  answer-sar: subject access request #4 due [MET]",
            "2024-04-30  monthly-report: period 2024-03 due [MET]",
            "2024-05-31  monthly-report: period 2024-04 due [PENDING]",
            "2024-06-30  monthly-report: period 2024-05 due [PENDING]",
        ],
        "{out}"
    );
    // S-3's deadline is unknown (is its time extended?): it has no date,
    // and is listed after the events.
    assert!(!lines.iter().any(|l| l.contains("S-3")), "{out}");
    assert!(
        out.ends_with(
            "-- deadlines not known yet (`obligo missing` asks what decides them) --\n\n\
             answer-sar: subject access request S-3 [UNKNOWN]\n    \
             Answer each subject access request within one month\n"
        ),
        "{out}"
    );
    // The rolled-up deadline is not listed besides its items'.
    assert!(!out.contains("answer-sar: deadline"), "{out}");
    snap!("items_commands__timeline", without_hashes(&out));
}

#[test]
fn timeline_json_names_the_item_of_each_event() {
    let (_, out, _) = timeline(&facts("facts"), "2024-04-05", &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let events = v["organisations"][0]["events"].as_array().unwrap();
    let s2 = events
        .iter()
        .find(|e| e["rule"] == "answer-sar" && e["date"] == "2024-04-01")
        .unwrap();
    assert_eq!(s2["item"]["key"], "S-2");
    assert_eq!(s2["item"]["name"], "subject access request S-2");
    assert_eq!(s2["what"], "subject access request S-2 due");
    assert_eq!(s2["status"], "overdue");
    let period = events
        .iter()
        .find(|e| e["rule"] == "monthly-report" && e["date"] == "2024-03-31")
        .unwrap();
    assert_eq!(period["item"]["key"], "2024-02");
    assert_eq!(period["period"], "2024-02");
    assert_eq!(period["status"], "overdue");
    let undated = &v["organisations"][0]["undated"];
    assert_eq!(undated[0]["rule"], "answer-sar");
    assert_eq!(undated[0]["item"]["key"], "S-3");
    assert_eq!(undated[0]["status"], "unknown");
    assert_eq!(undated.as_array().unwrap().len(), 1, "{undated}");
}

fn calendar(facts_text: &str, as_of: &str) -> String {
    let dir = std::env::temp_dir().join(format!(
        "obligo-items-ics-{}-{}",
        std::process::id(),
        facts_text.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let (f, ics) = (dir.join("facts.yaml"), dir.join("out.ics"));
    std::fs::write(&f, facts_text).unwrap();
    let (code, _, err) = timeline(
        &f.to_string_lossy(),
        as_of,
        &["--ics", &ics.to_string_lossy()],
    );
    assert_eq!(code, 0, "{err}");
    let out = std::fs::read_to_string(&ics).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    out
}

#[test]
fn the_calendar_has_one_event_per_open_items_deadline_with_a_uid_of_the_item() {
    let text = std::fs::read_to_string(crate::common::root().join(facts("facts"))).unwrap();
    let ics = calendar(&text, "2024-03-05");
    let uids: Vec<&str> = ics.lines().filter(|l| l.starts_with("UID:")).collect();
    assert_eq!(
        uids,
        [
            // Overdue on the as-of date (no deadline date): an event that day.
            "UID:few-open-overdue-t1@obligo",
            "UID:monthly-report-item-2024-02-t1@obligo",
            "UID:answer-sar-item-S-2-t1@obligo",
            "UID:monthly-report-item-2024-03-t1@obligo",
            "UID:monthly-report-item-2024-04-t1@obligo",
            "UID:monthly-report-item-2024-05-t1@obligo",
        ],
        "{ics}"
    );
    let unfolded = ics.replace("\r\n ", "");
    assert!(
        unfolded.contains(
            "SUMMARY:subject access request S-2 due: Answer each subject access request within one month (T1)\r\n"
        ),
        "{unfolded}"
    );
    // Same inputs, same bytes.
    assert_eq!(calendar(&text, "2024-03-05"), ics);
    // An extension moves S-2's deadline, not its event: the UID stays.
    let extended = text.replacen(
        "      received: 2024-03-01\n      answered: null\n      extended: false",
        "      received: 2024-03-01\n      answered: null\n      extended: true",
        1,
    );
    assert_ne!(extended, text);
    let moved = calendar(&extended, "2024-03-05");
    let event = |ics: &str| {
        let at = ics.find("UID:answer-sar-item-S-2-t1@obligo").unwrap();
        ics[at..].lines().nth(2).unwrap().to_string()
    };
    assert_eq!(event(&ics), "DTSTART;VALUE=DATE:20240401");
    assert_eq!(event(&moved), "DTSTART;VALUE=DATE:20240601");
    // Answered, S-2 is no deadline to keep.
    let answered = text.replacen(
        "      received: 2024-03-01\n      answered: null",
        "      received: 2024-03-01\n      answered: 2024-03-02",
        1,
    );
    assert!(!calendar(&answered, "2024-03-05").contains("answer-sar-item-S-2"));
}

#[test]
fn the_timeline_stays_linear_in_items() {
    let mut text = String::from(
        "organisation:\n  name: Busy\nfacts:\n  registered: 10\n  plan_sent: 2023-12-15\nitems:\n  report: []\n  sar:\n",
    );
    let n = 4000;
    for i in 0..n {
        let day = 1 + i % 28;
        text.push_str(&format!(
            "    - id: S-{i}\n      received: 2024-02-{day:02}\n      answered: null\n      extended: false\n"
        ));
    }
    let dir = std::env::temp_dir().join(format!("obligo-items-many-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("facts.yaml");
    std::fs::write(&f, &text).unwrap();
    let start = std::time::Instant::now();
    let (code, out, err) = timeline(&f.to_string_lossy(), "2024-04-05", &[]);
    let took = start.elapsed();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 0, "{err}");
    let due = event_lines(&out)
        .iter()
        .filter(|l| l.contains("answer-sar: subject access request S-"))
        .count();
    assert_eq!(due, n as usize);
    // Judging every item once per item would be 16 million judgements.
    assert!(took.as_secs() < 30, "{took:?}");
}

#[test]
fn diff_lists_each_item_that_changed_under_its_rule() {
    let (code, out, err) = run(
        "diff",
        &[
            "--as-of-before",
            "2024-03-15",
            "--as-of-after",
            "2024-04-05",
            &facts("facts"),
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains(
            "* answer-sar: unknown -> overdue\n  Answer each subject access request within one month\n  \
             deadline: unknown -> 2024-04-01\n  2 items changed:\n    \
             answer-sar S-2: pending -> overdue\n    \
             answer-sar #4: pending -> met, deadline not set -> 2024-04-25\n"
        ),
        "{out}"
    );
    // A period that ended between the two dates is new after.
    assert!(
        out.contains("    monthly-report 2024-03: absent -> met, deadline not set -> 2024-04-30\n"),
        "{out}"
    );
    // S-1 and S-3 did not change (S-3 is unknown on both sides).
    assert!(!out.contains("answer-sar S-1"), "{out}");
    assert!(!out.contains("answer-sar S-3"), "{out}");
    snap!("items_commands__diff", without_hashes(&out));
}

#[test]
fn diff_shows_items_that_changed_when_the_rules_own_status_did_not() {
    // S-3, with its time not extended, falls overdue on 21 April; S-2
    // (overdue since 1 April) keeps the rule overdue on both dates.
    let text = std::fs::read_to_string(crate::common::root().join(facts("facts"))).unwrap();
    let text = text.replacen(
        "      received: 2024-03-20\n      answered: null\n",
        "      received: 2024-03-20\n      answered: null\n      extended: false\n",
        1,
    );
    let dir = std::env::temp_dir().join(format!("obligo-items-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("facts.yaml");
    std::fs::write(&f, &text).unwrap();
    let args = |format: &'static str| {
        run(
            "diff",
            &[
                "--as-of-before",
                "2024-04-05",
                "--as-of-after",
                "2024-04-21",
                "--format",
                format,
                &f.to_string_lossy(),
            ],
        )
    };
    let (code, out, err) = args("text");
    let (_, json, _) = args("json");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains(
            "* answer-sar: overdue -> overdue, items changed\n  \
             Answer each subject access request within one month\n  \
             1 item changed:\n    answer-sar S-3: pending -> overdue\n"
        ),
        "{out}"
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let changes = v["organisations"][0]["changes"].as_array().unwrap();
    let sar = changes.iter().find(|c| c["rule"] == "answer-sar").unwrap();
    assert_eq!(sar["change"], "items");
    assert_eq!(
        sar["items"],
        serde_json::json!([{
            "key": "S-3",
            "name": "subject access request S-3",
            "label": null,
            "change": "status",
            "before": "pending",
            "after": "overdue",
            "deadline_before": "2024-04-20",
            "deadline_after": "2024-04-20",
        }])
    );
    let summary = v["summary"].as_array().unwrap();
    let sar = summary.iter().find(|s| s["rule"] == "answer-sar").unwrap();
    assert_eq!(
        sar["transitions"],
        serde_json::json!([{"change": "items", "before": "overdue", "after": "overdue", "count": 1}])
    );
    // A rule not judged for each has no `items`.
    let few = changes.iter().find(|c| c["rule"] == "few-open");
    assert!(few.is_none_or(|c| c.get("items").is_none()), "{json}");
}
