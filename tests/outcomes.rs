//! The verdict-first core: shared definitions explained once, deep chains of
//! definitions on an ordinary stack, every command agreeing with `check`
//! period by period, and how each rule kind counts toward the verdict.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use obligo::eval::{Dates, Explainer, Plan, Status, Verdict};
use serde_json::Value;

use crate::common::{d, facts, obligo, ruleset_text};

/// A scratch folder for one test, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("obligo-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A ruleset whose one rule is met when `e{levels}` holds, with `e{i}`
/// defined from `e{i-1}` by `body` (`{p}` stands for `e{i-1}`).
fn chain(levels: usize, body: &str) -> String {
    let mut text = String::from(
        "ruleset deep \"Deep definitions\"\n  version \"1\" published 2024-01-01\n\n\
         authority contract \"A contract\" binding\n\n\
         source terms \"The terms\" by contract published 2024-01-01\n\n\
         fact e0: bool\n  \"The base condition holds\"\n  ask \"Does the base condition hold?\"\n\n",
    );
    for i in 1..=levels {
        let p = format!("e{}", i - 1);
        text.push_str(&format!("define e{i} = {}\n", body.replace("{p}", &p)));
    }
    text.push_str(&format!(
        "\nobligation deep-rule\n  \"Meet the deepest condition\"\n  by contract\n\n  \
         version from 2024-01-01 published 2024-01-01\n    cites terms\n    met when e{levels}\n"
    ));
    text
}

/// Runs the binary with a guard against a hang (not a speed test: speed is
/// measured by `cargo bench`).
fn obligo_bounded(args: &[&str]) -> (i32, String, String) {
    let start = Instant::now();
    let out = obligo(args);
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "obligo {args:?} ran away"
    );
    out
}

#[test]
fn thirty_levels_of_shared_definitions_are_explained_once_each_in_every_format() {
    let dir = scratch("thirty");
    std::fs::write(dir.join("rules.obl"), chain(30, "{p} and {p}")).unwrap();
    let facts_path = dir.join("facts.yaml");
    std::fs::write(&facts_path, "facts:\n  e0: true\n").unwrap();
    let rules = dir.to_string_lossy().into_owned();
    let facts = facts_path.to_string_lossy().into_owned();
    let on = ["--as-of", "2024-06-01", "--known-on", "2024-06-01"];
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["text", "json", "markdown", "html"] {
        runs.push(vec!["check", &facts, "--rules", &rules, "--format", format]);
    }
    // In full, the text explains each definition once, at the end.
    runs.push(vec![
        "check", &facts, "--rules", &rules, "--format", "text", "--detail", "full",
    ]);
    for format in ["text", "json"] {
        runs.push(vec![
            "explain",
            "deep-rule",
            &facts,
            "--rules",
            &rules,
            "--format",
            format,
        ]);
    }
    for mut args in runs {
        args.extend(on);
        let (code, out, err) = obligo_bounded(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.len() < 100_000, "{args:?}: {} bytes", out.len());
        assert!(out.contains("e30"), "{args:?}");
        // Each definition is shown, once per clause: 31 names in all, each
        // expanded once (2^30 copies before).
        if args[0] == "check" && args.contains(&"text") && args.contains(&"full") {
            for i in 1..=30 {
                let heading = format!("e{i} = e{} and e{} -> true", i - 1, i - 1);
                assert_eq!(out.matches(&heading).count(), 1, "e{i}:\n{out}");
            }
        }
    }
    // The JSON report explains each definition once, in the organisation's table.
    let (_, out, _) = obligo_bounded(&[
        "check",
        &facts,
        "--rules",
        &rules,
        "--format",
        "json",
        "--as-of",
        "2024-06-01",
    ]);
    let json: Value = serde_json::from_str(&out).unwrap();
    let table = json["organisations"][0]["definitions"].as_array().unwrap();
    let names: Vec<&str> = table.iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 30);
    assert_eq!(names[0], "e30");
    assert_eq!(
        table[0]["children"][0]["definitions"],
        serde_json::json!(["e29"])
    );
}

#[test]
fn ten_thousand_chained_definitions_load_evaluate_and_explain_on_an_ordinary_thread() {
    let text = chain(10_000, "{p} and e0");
    // A spawned thread has the default stack (2 MiB), smaller than the main thread's.
    let run = std::thread::spawn(move || {
        let rs = ruleset_text(&text);
        let dates = Dates {
            as_of: d("2024-06-01"),
            known_on: d("2024-06-01"),
        };
        let plan = Plan::new(&rs, dates);
        let given = facts(&rs, "facts.yaml", "facts:\n  e0: true\n");
        let outcomes = plan.evaluate(&given);
        assert_eq!(outcomes[0].status, Status::Met);
        let mut ex = Explainer::new(&plan, &given);
        let clauses = ex.explain(&outcomes[0]);
        assert_eq!(clauses.len(), 1);
        assert_eq!(ex.definitions().count(), 10_000);
        // Unknown: the one missing fact is found through the whole chain.
        let none = facts(&rs, "none.yaml", "facts: {}\n");
        let unknown = plan.evaluate(&none);
        assert_eq!(unknown[0].status, Status::Unknown);
        assert_eq!(unknown[0].missing, vec![rs.fact_named("e0").unwrap()]);
        // And every renderer copes.
        let orgs = vec![(given, outcomes)];
        let view = obligo::report::build(&plan, &orgs, true);
        let text = obligo::report::text::render(&view);
        assert!(text.contains("[MET] deep-rule"));
        let json = obligo::report::json(&view);
        assert!(json.contains("\"e9999\""));
        obligo::report::html::render(&view).len() + obligo::report::markdown::render(&view).len()
    });
    assert!(run.join().unwrap() > 0);
}

#[test]
fn ten_thousand_chained_definitions_through_the_command_line() {
    let dir = scratch("chain");
    std::fs::write(dir.join("rules.obl"), chain(10_000, "{p} and e0")).unwrap();
    let facts_path = dir.join("facts.yaml");
    std::fs::write(&facts_path, "facts:\n  e0: true\n").unwrap();
    let rules = dir.to_string_lossy().into_owned();
    let facts = facts_path.to_string_lossy().into_owned();
    for args in [
        vec!["check", &facts, "--rules", &rules, "--format", "json"],
        vec!["check", &facts, "--rules", &rules],
        vec!["explain", "deep-rule", &facts, "--rules", &rules],
        vec!["lint", &rules],
    ] {
        let (code, out, err) = obligo_bounded(&args);
        assert!(
            code == 0 || (args[0] == "lint" && code == 1),
            "{args:?}: {code} {err}"
        );
        assert!(!err.contains("overflow"), "{err}");
        assert!(args[0] == "lint" || out.contains("deep-rule"), "{args:?}");
    }
}

/// A monthly report, with an exemption that makes it met.
const MONTHLY: &str = r#"ruleset monthly "Monthly reports"
  version "1" published 2024-01-01

authority contract "A contract" binding

source terms "The terms" by contract published 2024-01-01

fact exempt: bool
  "The organisation is exempt from monthly reports"
  ask "Is the organisation exempt from monthly reports?"

fact last_report: month, optional, as recorded
  "The latest month reported"
  ask "Which is the latest month reported? Write null if none."

obligation monthly-report
  "Report every month"
  by contract

  version from 2024-01-01 published 2024-01-01
    cites terms
    unless exempt -> met
      "exempt organisations send no reports"
      cites terms
    deadline every month from 2024-01, due 10 days after it ends
    met when last_report is set and last_report >= period
"#;

/// The first day after each month's due date, January to June 2024.
const JUDGED: [&str; 6] = [
    "2024-02-11",
    "2024-03-11",
    "2024-04-11",
    "2024-05-11",
    "2024-06-11",
    "2024-07-11",
];

fn json_of(args: &[&str]) -> Value {
    let (code, out, err) = obligo_bounded(args);
    assert!(code == 0 || code == 1, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn check_timeline_calendar_and_diff_agree_period_by_period_under_an_exception() {
    let dir = scratch("monthly");
    std::fs::write(dir.join("rules.obl"), MONTHLY).unwrap();
    let exempt = dir.join("exempt.yaml");
    std::fs::write(&exempt, "facts:\n  exempt: true\n  last_report: null\n").unwrap();
    let reporting = dir.join("reporting.yaml");
    std::fs::write(
        &reporting,
        "facts:\n  exempt: false\n  last_report: 2024-03\n",
    )
    .unwrap();
    let rules = dir.to_string_lossy().into_owned();
    for (who, path) in [("exempt", &exempt), ("reporting", &reporting)] {
        let facts = path.to_string_lossy().into_owned();
        // check, on the day after each month's due date: that month's status.
        let mut by_check = Vec::new();
        for day in JUDGED {
            let json = json_of(&[
                "check", &facts, "--rules", &rules, "--format", "json", "--as-of", day,
            ]);
            let r = &json["organisations"][0]["results"][0];
            by_check.push(r["status"].as_str().unwrap().to_string());
        }
        let expected: Vec<&str> = match who {
            "exempt" => vec!["met"; 6],
            _ => vec!["met", "met", "met", "overdue", "overdue", "overdue"],
        };
        assert_eq!(by_check, expected, "{who}: check");

        // timeline: each past period as judged the day after it is due.
        let ics = dir.join(format!("{who}.ics"));
        let ics_s = ics.to_string_lossy().into_owned();
        let json = json_of(&[
            "timeline",
            &facts,
            "--rules",
            &rules,
            "--format",
            "json",
            "--as-of",
            "2024-07-11",
            "--from",
            "2024-01-01",
            "--to",
            "2024-09-30",
            "--ics",
            &ics_s,
        ]);
        let events: Vec<&Value> = json["organisations"][0]["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "deadline")
            .collect();
        let past: Vec<&str> = events
            .iter()
            .filter(|e| e["coming"] == false)
            .map(|e| e["status"].as_str().unwrap())
            .collect();
        assert_eq!(past, by_check, "{who}: the timeline agrees with check");
        let coming: Vec<&&Value> = events.iter().filter(|e| e["coming"] == true).collect();
        assert!(!coming.is_empty(), "{who}: July and August fall due");
        let calendar = std::fs::read_to_string(&ics).unwrap();
        let in_calendar = calendar.matches("BEGIN:VEVENT").count();
        if who == "exempt" {
            // Exempt: every period is met by the exception, and none is a
            // deadline the organisation has to keep.
            assert!(coming.iter().all(|e| e["status"] == "met"), "{events:?}");
            assert!(
                coming.iter().all(|e| e["exception"].is_string()),
                "{events:?}"
            );
            assert_eq!(in_calendar, 0, "{calendar}");
        } else {
            assert!(
                coming.iter().all(|e| e["status"] == "pending"),
                "{events:?}"
            );
            // Each coming period, and the one overdue on the as-of date.
            let overdue = json["organisations"][0]["overdue"].as_array().unwrap();
            assert_eq!(overdue.len(), 1, "{overdue:?}");
            assert_eq!(in_calendar, coming.len() + overdue.len(), "{calendar}");
        }

        // diff between consecutive periods: the same statuses as check.
        for (k, pair) in JUDGED.windows(2).enumerate() {
            let json = json_of(&[
                "diff",
                &facts,
                "--rules",
                &rules,
                "--format",
                "json",
                "--as-of-before",
                pair[0],
                "--as-of-after",
                pair[1],
            ]);
            let changes = json["organisations"][0]["changes"].as_array().unwrap();
            if by_check[k] == by_check[k + 1] {
                // Same status; only the deadline moved to the next month.
                assert!(
                    changes.iter().all(|c| c["change"] == "deadline"),
                    "{changes:?}"
                );
            } else {
                assert_eq!(changes.len(), 1, "{changes:?}");
                assert_eq!(changes[0]["before"]["status"], by_check[k].as_str());
                assert_eq!(changes[0]["after"]["status"], by_check[k + 1].as_str());
            }
        }
    }
}

/// A binding authority's permission and recommendation alongside an obligation.
const KINDS: &str = r#"ruleset kinds "Rule kinds"
  version "1" published 2024-01-01

authority contract "A contract" binding

source terms "The terms" by contract published 2024-01-01

fact allowed: bool
  "The condition for the permission holds"
  ask "Does the condition for the permission hold?"

fact followed: bool
  "The recommendation was followed"
  ask "Was the recommendation followed?"

fact done: bool
  "The duty was done"
  ask "Was the duty done?"

permission may-pause
  "The organisation may pause"
  by contract
  version from 2024-01-01 published 2024-01-01
    cites terms
    met when allowed

recommendation should-train
  "The organisation should train its staff"
  by contract
  version from 2024-01-01 published 2024-01-01
    cites terms
    met when followed

obligation must-do
  "The organisation must do its duty"
  by contract
  version from 2024-01-01 published 2024-01-01
    cites terms
    met when done
"#;

#[test]
fn only_binding_duties_count_toward_the_verdict() {
    let rs = ruleset_text(KINDS);
    let plan = Plan::new(
        &rs,
        Dates {
            as_of: d("2024-06-01"),
            known_on: d("2024-06-01"),
        },
    );
    let verdict = |yaml: &str| plan.verdict(&plan.evaluate(&facts(&rs, "f.yaml", yaml)));
    // A permission not available and a recommendation not followed are no breach.
    let done = "facts:\n  allowed: false\n  followed: false\n  done: true\n";
    let outcomes = plan.evaluate(&facts(&rs, "f.yaml", done));
    assert!(outcomes.iter().take(2).all(|o| o.status == Status::Overdue));
    assert_eq!(verdict(done), Verdict::Compliant);
    // Not knowing them leaves nothing undecided either.
    assert_eq!(verdict("facts:\n  done: true\n"), Verdict::Compliant);
    // The obligation decides.
    assert_eq!(verdict("facts:\n  done: false\n"), Verdict::Breach);
    assert_eq!(verdict("facts:\n  allowed: true\n"), Verdict::Undetermined);
    assert_eq!(Verdict::Breach.exit_code(), 1);
    assert_eq!(Verdict::Undetermined.exit_code(), 3);
}

/// The core yields typed values; words for people are made in `report/`.
/// No `format!` and no text with a space in it under `src/eval/`, outside
/// comments, lint reasons and unit tests.
#[test]
fn no_words_for_people_are_made_under_src_eval() {
    for path in crate::common::files("src/eval", "rs") {
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (n, line) in code.lines().enumerate() {
            let line = line.trim_start();
            if line.starts_with("//") || line.contains("reason = ") {
                continue;
            }
            let spaced_text = line
                .split('"')
                .skip(1)
                .step_by(2)
                .any(|literal| literal.contains(' '));
            assert!(
                !line.contains("format!(") && !spaced_text,
                "{}:{}: {line}",
                path.display(),
                n + 1
            );
        }
    }
}

/// A later version turns a monthly report into a quarterly one.
const MONTHLY_THEN_QUARTERLY: &str = r#"ruleset tl "TL" version "t.1" published 2020-01-01
authority contract "The contract" binding
source s "Source" by contract published 2020-01-01
fact start: date, optional "Start" ask "Start?"
fact mo: month, optional "Last month reported" ask "M?"
fact q: bool "Q" ask "Q?"
obligation report "Report" by contract
  version from 2020-01-01 published 2020-01-01 cites s
    deadline every month from start, due 10 days after it ends
    met when mo is set and mo >= period
  version from 2022-07-01 published 2020-01-01 cites s
    deadline every quarter from start, due 1 month after it ends
    met when q
"#;

#[test]
fn a_coming_period_is_judged_by_the_version_it_belongs_to() {
    let dir = scratch("versions");
    std::fs::write(dir.join("rules.obl"), MONTHLY_THEN_QUARTERLY).unwrap();
    let f = dir.join("f.yaml");
    std::fs::write(
        &f,
        "facts:\n  start: 2022-01-01\n  mo: 2022-04\n  q: true\n",
    )
    .unwrap();
    let (rules, f) = (
        dir.to_string_lossy().into_owned(),
        f.to_string_lossy().into_owned(),
    );
    let json = json_of(&[
        "timeline",
        &f,
        "--rules",
        &rules,
        "--format",
        "json",
        "--as-of",
        "2022-05-20",
        "--known-on",
        "2022-05-20",
        "--from",
        "2022-04-01",
        "--to",
        "2023-02-28",
    ]);
    let deadlines: Vec<(String, String, String)> = json["organisations"][0]["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "deadline")
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or("").to_string();
            (s("date"), s("period"), s("status"))
        })
        .collect();
    let row = |d: &str, p: &str, s: &str| (d.to_string(), p.to_string(), s.to_string());
    // The monthly version's months (met while reported), then the quarterly
    // version's quarters, met by its own `met when` although the monthly
    // version is the one in force on the as-of date.
    assert_eq!(
        deadlines,
        vec![
            row("2022-04-10", "2022-03", "met"),
            row("2022-05-10", "2022-04", "met"),
            row("2022-06-10", "2022-05", "pending"),
            row("2022-07-10", "2022-06", "pending"),
            row("2022-10-31", "2022 Q3", "met"),
            row("2023-01-31", "2022 Q4", "met"),
        ]
    );
}
