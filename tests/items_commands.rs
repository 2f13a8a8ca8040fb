//! Items in the commands besides `check` and `explain`: `missing` asks
//! questions that name the item, `missing --template` shows an example
//! item, `timeline` and `--ics` give each item's deadline, `diff` says
//! which items changed. The fixture is `tests/items/commands/`.

use crate::common::obligo;
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
        out.contains("in items: sar, the item at line 19 (S-3):\n       extended: true or false\n"),
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
            "[ ] 1. subject access request S-1: When was it answered? Leave empty if not yet.",
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
                h if h.starts_with("# (true or false") => "false",
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
