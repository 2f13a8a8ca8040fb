//! `obligo rules`: the rules in force on a date by what was known on a date,
//! and one rule's history, version by version, with what changed.

use obligo::history::{Change, history};
use obligo::report::rules_text::render_history;
use serde_json::Value;

use crate::common::{d, obligo, ruleset_text, without_hashes};
use crate::snap;

/// Runs `obligo rules …`, expecting success and nothing on stderr.
fn rules(args: &[&str]) -> String {
    let mut all = vec!["rules"];
    all.extend_from_slice(args);
    let (code, out, err) = obligo(&all);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    out
}

/// The text block of one rule in the list: from its name to the next blank line.
fn block<'a>(list: &'a str, rule: &str) -> &'a str {
    let start = list
        .find(&format!("\n{rule}\n"))
        .unwrap_or_else(|| panic!("{rule} not listed:\n{list}"))
        + 1;
    let rest = &list[start..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

/// The section of the list with this heading (`== In force on … ==`).
fn section<'a>(list: &'a str, heading: &str) -> &'a str {
    let start = list
        .find(&format!("== {heading}"))
        .unwrap_or_else(|| panic!("no section {heading}:\n{list}"));
    let rest = &list[start + 3..];
    &rest[..rest.find("\n== ").unwrap_or(rest.len())]
}

/// Asserts that `text` holds every one of `lines`.
fn contains_all(text: &str, lines: &[&str]) {
    for line in lines {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
}

#[test]
fn on_15_nov_2022_the_list_grows_with_what_was_known_by_30_nov() {
    let then = rules(&["--as-of", "2022-11-15", "--known-on", "2022-11-15"]);
    let later = rules(&["--as-of", "2022-11-15", "--known-on", "2022-11-30"]);
    snap!(
        "rules__as_of_2022_11_15_known_2022_11_15",
        without_hashes(&then)
    );
    snap!(
        "rules__as_of_2022_11_15_known_2022_11_30",
        without_hashes(&later)
    );

    // Known on 15 Nov: the 1 Nov target and the pause plan are in force, with no end in sight.
    for rule in ["nhse-automatic-access-nov-2022", "nhse-pause-plan-nov-2022"] {
        let known_then = block(section(&then, "In force"), rule);
        assert!(known_then.contains("(no end known)"), "{known_then}");
        assert!(!known_then.contains("withdrawn"), "{known_then}");
    }
    // Known on 30 Nov: both still in force on 15 Nov, but known to be withdrawn from 29 Nov.
    for rule in ["nhse-automatic-access-nov-2022", "nhse-pause-plan-nov-2022"] {
        let known_later = block(section(&later, "In force"), rule);
        assert!(
            known_later.contains("until 2022-11-28 (the day before the rule ended)"),
            "{known_later}"
        );
        assert!(
            known_later.contains("ending: withdrawn from 2022-11-29 (published 2022-11-29)"),
            "{known_later}"
        );
        assert!(known_later.contains("source: seed-003"), "{known_later}");
    }
    // The pause permission: one version known on 15 Nov, a second (from 29 Nov) by 30 Nov.
    let pause_then = block(&then, "pause-automatic-access");
    assert!(
        pause_then.contains("version 1 of 1: from 2022-10-01 (no end known), published 2022-10-31"),
        "{pause_then}"
    );
    assert!(!pause_then.contains("next:"), "{pause_then}");
    let pause_later = block(&later, "pause-automatic-access");
    assert!(
        pause_later.contains(
            "version 1 of 2: from 2022-10-01 until 2022-11-28 (the day before the next version)"
        ),
        "{pause_later}"
    );
    assert!(
        pause_later
            .contains("next: version 2 of 2: from 2022-11-29 (no end known), published 2022-11-29"),
        "{pause_later}"
    );
    // The RCGP permission of 18 Nov was published by 30 Nov: not yet in force on 15 Nov.
    assert!(!then.contains("individual-exclusion-for-risk"), "{then}");
    assert!(
        section(&later, "Not yet in force").contains("\nindividual-exclusion-for-risk\n"),
        "{later}"
    );
}

#[test]
fn the_list_as_json_carries_the_same_differences() {
    let json = |known_on: &str| -> Value {
        let out = rules(&[
            "--as-of",
            "2022-11-15",
            "--known-on",
            known_on,
            "--format",
            "json",
        ]);
        serde_json::from_str(&out).unwrap()
    };
    let rule = |view: &Value, name: &str| -> Value {
        view["in_force"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == name)
            .unwrap_or_else(|| panic!("{name} not in force"))
            .clone()
    };
    let (then, later) = (json("2022-11-15"), json("2022-11-30"));
    assert_eq!(then["schema_version"], 1);
    assert_eq!(later["known_on"], "2022-11-30");
    let target = "nhse-automatic-access-nov-2022";
    assert!(rule(&then, target)["ending"].is_null());
    let ending = &rule(&later, target)["ending"];
    assert_eq!(ending["kind"], "withdrawn");
    assert_eq!(ending["on"], "2022-11-29");
    assert_eq!(ending["published"], "2022-11-29");
    assert_eq!(
        rule(&then, target)["deadline"],
        "if paused_by_4_nov_2022 then 2022-11-30 else 2022-11-01"
    );
    let pause = rule(&later, "pause-automatic-access");
    assert_eq!(pause["versions_known"], 2);
    assert_eq!(pause["version"]["until_because"], "next_version");
    assert_eq!(pause["next_version"]["from"], "2022-11-29");
    assert!(rule(&then, "pause-automatic-access")["next_version"].is_null());
}

#[test]
fn by_november_2023_superseded_and_lapsed_rules_are_listed_as_ended() {
    let list = rules(&["--as-of", "2023-11-15", "--known-on", "2023-11-15"]);
    let ended = section(&list, "Ended by 2023-11-15");
    let framework = block(ended, "framework-2019-online-access");
    assert!(
        framework.contains(
            "ending: superseded by `prospective-record-access` from 2023-10-31 (published 2023-03-06)"
        ),
        "{framework}"
    );
    let opt_out = block(ended, "blanket-opt-out-with-individual-offer");
    assert!(
        opt_out.contains(
            "ending: superseded by `prospective-record-access` from 2023-10-31 (published 2023-10-30)"
        ),
        "{opt_out}"
    );
    let target = block(ended, "nhse-automatic-access-nov-2022");
    assert!(target.contains("withdrawn from 2022-11-29"), "{target}");
    let in_force = section(&list, "In force on 2023-11-15");
    assert!(
        block(in_force, "prospective-record-access")
            .contains("version 2 of 2: from 2023-05-15 (no end known), published 2023-04-17"),
        "{in_force}"
    );
}

#[test]
fn the_automatic_access_target_shows_its_whole_deadline_history() {
    let out = rules(&["nhse-automatic-access-nov-2022", "--known-on", "2025-01-15"]);
    snap!(
        "rules__history_nhse_automatic_access_nov_2022",
        without_hashes(&out)
    );
    contains_all(
        &out,
        &[
            "      version 1, from 2022-07-20 until 2022-11-01: 2022-11-01",
            "      version 2, from 2022-11-02 until 2022-11-28: if paused_by_4_nov_2022 then 2022-11-30 else 2022-11-01",
            "      withdrawn from 2022-11-29 (published 2022-11-29): NHS England called off the 30 November switch-on",
            "-- version 1 of 2: from 2022-07-20 until 2022-11-01 (the day before the next version), published 2022-07-27",
            "-- version 2 of 2: from 2022-11-02 until 2022-11-28 (the day before the rule ended), published 2022-11-01",
            "      deadline changed\n        was: 2022-11-01\n        now: if paused_by_4_nov_2022 then 2022-11-30 else 2022-11-01",
            "      paused_by_4_nov_2022 (Asked EMIS or TPP to pause by 17:00 on 4 November 2022) = supplier_pause_request_datetime is set and supplier_pause_request_datetime <= 2022-11-04T17:00",
            "      - mip-2022-07-27: Practices should plan now for patient automatic access to GP records from November (Management in Practice, 2022-07-27), NHS England letter to practices, July 2022 <https://",
            "        - nhse-pause-guidance-2022-11: NHS England guidance on pausing automatic access until 30 November 2022 (NHS England, 2022-11-01), pause requests by 17:00 on 4 Nov 2022",
            "-- ending\n    withdrawn from 2022-11-29 (published 2022-11-29)",
            "        source: seed-003: Automatic online access to GP records halted until further notice (Management in Practice, 2022-11-29)",
            "    - Local Medical Committee (advice), known from 2022-11-01: The 1 November date is a target, not a term of the contract",
        ],
    );
}

#[test]
fn the_31_october_2023_duty_moves_from_the_letter_to_the_regulations() {
    let out = rules(&["prospective-record-access", "--known-on", "2025-01-15"]);
    snap!(
        "rules__history_prospective_record_access",
        without_hashes(&out)
    );
    contains_all(
        &out,
        &[
            "      version 1, from 2023-04-01 until 2023-05-14: 2023-10-31",
            "      version 2, from 2023-05-15: 2023-10-31",
            "-- version 1 of 2: from 2023-04-01 until 2023-05-14 (the day before the next version), published 2023-03-06",
            "-- version 2 of 2: from 2023-05-15 (no end known), published 2023-04-17\n    what changed from version 1:\n      no clause changed\n      sources added:\n        - gms-regs-71za:",
            "        - si-2023-436: NHS (General Medical Services Contracts and Personal Medical Services Agreements) (Amendment) Regulations 2023 (SI 2023/436)",
            "      sources removed:\n        - nhse-contract-letter-2023-24:",
            "    - Information Commissioner's Office (regulator-view), known from 2024-02-08:",
        ],
    );
    assert_eq!(
        out.matches("    deadline: 2023-10-31\n").count(),
        2,
        "{out}"
    );
}

#[test]
fn recurring_and_relative_deadlines_are_shown_as_written() {
    let monthly = rules(&["nhse-monthly-104-report", "--known-on", "2025-01-15"]);
    contains_all(
        &monthly,
        &[
            "      version 1, from 2023-02-03: every month from action_plan_submitted_date + 1 month, due 1 month after it ends\n",
            "    deadline: every month from action_plan_submitted_date + 1 month, due 1 month after it ends\n",
            "    met when: any nhse_104_report where nhse_104_report.month = period and nhse_104_report.sent is set\n",
        ],
    );
    let list = rules(&["--as-of", "2024-01-15", "--known-on", "2024-01-15"]);
    assert!(
        block(&list, "access-on-request")
            .contains("    deadline: access_request.received + 1 month\n"),
        "{list}"
    );
}

#[test]
fn a_history_shows_only_what_was_published_by_the_known_on_date() {
    let out = rules(&["prospective-record-access", "--known-on", "2023-04-01"]);
    assert!(
        out.contains("-- version 1 of 1: from 2023-04-01 (no end known)"),
        "{out}"
    );
    assert!(!out.contains("gms-regs-71za"), "{out}");
    assert!(
        out.contains("note: not shown, as published after 2023-04-01: 1 version, 6 positions"),
        "{out}"
    );
    let before = rules(&["prospective-record-access", "--known-on", "2023-01-01"]);
    assert!(
        before.contains("no version of this rule had been published by 2023-01-01"),
        "{before}"
    );
}

#[test]
fn a_history_as_json_names_each_change() {
    let out = rules(&[
        "nhse-automatic-access-nov-2022",
        "--known-on",
        "2025-01-15",
        "--format",
        "json",
    ]);
    let view: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(view["schema_version"], 1);
    let versions = view["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert!(versions[0]["changes"].is_null());
    let change = &versions[1]["changes"]["clauses"][0];
    assert_eq!(change["clause"], "deadline");
    assert_eq!(change["change"], "changed");
    assert_eq!(change["old"], "2022-11-01");
    assert_eq!(versions[1]["window"]["until_because"], "ended");
    assert_eq!(view["ending"]["kind"], "withdrawn");
    assert_eq!(view["positions"][0]["known_from"], "2022-11-01");
}

#[test]
fn clauses_added_removed_and_changed_are_told_apart() {
    let rs = ruleset_text(
        r##"ruleset t "T" version "1" published 2024-01-01
authority nhse "NHS England" expectation
source a "First letter" by nhse published 2023-01-01
source b "Second letter" by nhse published 2023-06-01
fact in_england: bool "In England" ask "Is the practice in England?"
fact done_on: date, optional "Done on" ask "When was it done?"
fact note: text, optional "Note" ask "Any note?"
obligation duty "Do it" by nhse
  version from 2023-01-01 published 2023-01-01
    cites a at "para 1"
    deadline 2023-03-31
    met when done_on is set and note is missing
    met on done_on
    unless note = "#exempt" -> met "exempted in writing" cites a
  version from 2023-07-01 published 2023-06-01
    cites a at "para 1", b
    applies when in_england   # the second letter limits it to England
    deadline 2023-09-30
    due soon within 14 days
    met when done_on is set # a comment inside a clause is not part of it
      and note is missing
    unless note = "exempt"
      -> met "exempted in writing" cites b
"##,
    );
    let view = history(&rs, rs.rule_named("duty").unwrap(), d("2024-01-01"));
    let changes = view.versions[1].changes.as_ref().unwrap();
    let kinds: Vec<(&str, Change)> = changes
        .clauses
        .iter()
        .map(|c| (c.clause, c.change))
        .collect();
    assert_eq!(
        kinds,
        [
            ("applies when", Change::Added),
            ("deadline", Change::Changed),
            ("due soon", Change::Added),
            ("met on", Change::Removed),
            ("unless", Change::Changed),
        ]
    );
    assert_eq!(changes.citations_added.len(), 1);
    assert!(changes.citations_removed.is_empty());
    assert!(view.ending.is_none());
    let text = render_history(&view);
    contains_all(
        &text,
        &[
            "      applies when added: in_england\n",
            "      due soon added: 14 days\n",
            "    due soon within: 14 days\n",
            "      met on removed: done_on\n",
            "      exception changed\n        was: unless note = \"#exempt\" -> met \"exempted in writing\"\n        now: unless note = \"exempt\" -> met \"exempted in writing\"\n",
            "      sources added:\n        - b: Second letter (NHS England, 2023-06-01)\n",
        ],
    );
    assert!(
        text.contains("    met when: done_on is set and note is missing\n"),
        "{text}"
    );
    // A rule with no ending and no `until` runs on: nothing lapses.
    assert!(!text.contains("lapses"), "{text}");
}

#[test]
fn an_unknown_rule_is_a_usage_error_with_a_suggestion() {
    let (code, out, err) = obligo(&["rules", "nhse-automatic-acess"]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert_eq!(
        err,
        "error: unknown rule `nhse-automatic-acess`\n  help: did you mean `nhse-automatic-access-nov-2022`?\n"
    );
    let (code, _, err) = obligo(&["rules", "no-such-thing-at-all"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("help: run `obligo rules` to list the rules and their names"),
        "{err}"
    );
}

#[test]
fn a_bad_date_is_a_usage_error() {
    for args in [
        ["rules", "--as-of", "2022-13-01"],
        ["rules", "--known-on", "15/11/2022"],
    ] {
        let (code, out, err) = obligo(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains("is not a date: write it as YYYY-MM-DD"),
            "{err}"
        );
    }
    let (code, _, err) = obligo(&[
        "rules",
        "prospective-record-access",
        "--as-of",
        "2023-11-01",
    ]);
    assert_eq!(code, 2, "a history has no as-of date: {err}");
}

#[test]
fn a_rule_whose_last_version_runs_out_lapses() {
    let dir = std::env::temp_dir().join(format!("obligo-lapse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("rules.obl"),
        r#"ruleset t "T" version "1" published 2023-01-01
authority nhse "NHS England" expectation
source doc "Document" by nhse published 2022-01-01
fact done: bool "Done" ask "Is it done?"
recommendation interim "Interim advice" by nhse
  version from 2022-01-01 until 2023-10-30 published 2022-01-01
    cites doc
    met when done
"#,
    )
    .unwrap();
    let list = rules(&[
        "--rules",
        &dir.to_string_lossy(),
        "--as-of",
        "2023-11-15",
        "--known-on",
        "2023-11-15",
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    let interim = block(section(&list, "Ended by 2023-11-15"), "interim");
    assert!(
        interim.contains("ending: lapses from 2023-10-31, when its last known version runs out"),
        "{interim}"
    );
}
