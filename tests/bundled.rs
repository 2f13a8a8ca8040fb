//! The bundled ruleset (`rules/england-gp-record-access`): every example
//! practice at the dates the story turns on, pinned in text and JSON, and the
//! boundaries where a status flips.

use obligo::eval::Moment;
use obligo::eval::{Deadline, Outcome, Status};

use crate::common::{d, facts, files, obligo, rel, result, root, ruleset, run, without_hashes};
use crate::snap;

const RULES: &str = "rules/england-gp-record-access";

/// The dates every example is judged on, each with the rules known that day.
const DATES: [&str; 8] = [
    "2022-10-15", // before the 1 Nov 2022 target
    "2022-11-01", // the target day itself
    "2022-11-30", // the day after the 30 Nov switch-on was called off
    "2023-02-01", // SystmOne go-live
    "2023-10-31", // the contract deadline day
    "2023-11-01", // the day after it
    "2024-02-08", // the ICO's reply reported
    "2024-06-30", // ICBs following up; the facts' recorded date
];

fn matrix(format: &str) {
    let examples = files("examples", "yaml");
    assert!(examples.len() >= 10, "at least 10 example practices");
    for example in examples {
        let path = rel(&example);
        let mut all = String::new();
        for date in DATES {
            let (code, out, err) = obligo(&[
                "check",
                &path,
                "--as-of",
                date,
                "--known-on",
                date,
                "--format",
                format,
            ]);
            assert!(err.is_empty(), "{path} {date}: {err}");
            all.push_str(&format!(
                "=== {path} as of {date}, known on {date}: exit {code}\n{}\n",
                without_hashes(&out)
            ));
        }
        let stem = example.file_stem().unwrap().to_string_lossy();
        snap!(format!("bundled__{stem}__{format}"), all);
    }
}

#[test]
fn every_example_at_every_key_date_in_text() {
    matrix("text");
}

#[test]
fn every_example_at_every_key_date_in_json() {
    matrix("json");
}

#[test]
fn the_report_names_the_ruleset_hash() {
    let (_, out, _) = obligo(&["check", "examples/early-adopter.yaml"]);
    let hash = out.lines().find_map(|l| l.strip_prefix("sha256 ")).unwrap();
    assert_eq!(hash.len(), 64);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn every_example_lists_at_least_20_cited_rules_and_the_matrix_reaches_every_status() {
    let mut statuses = std::collections::BTreeSet::new();
    for example in files("examples", "yaml") {
        let (_, out, _) = obligo(&["check", &rel(&example), "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let results = json["organisations"][0]["results"].as_array().unwrap();
        assert!(
            results.len() >= 20,
            "{}: {} rules",
            rel(&example),
            results.len()
        );
        for r in results {
            let sources = r["citations"].as_array().unwrap();
            assert!(!sources.is_empty(), "{} has no citation", r["rule"]);
        }
        for date in DATES {
            let (_, out, _) = obligo(&[
                "check",
                &rel(&example),
                "--as-of",
                date,
                "--known-on",
                date,
                "--format",
                "json",
            ]);
            let json: serde_json::Value = serde_json::from_str(&out).unwrap();
            for r in json["organisations"][0]["results"].as_array().unwrap() {
                statuses.insert(r["status"].as_str().unwrap().to_string());
            }
        }
    }
    assert_eq!(statuses.len(), 8, "{statuses:?}");
}

#[test]
fn every_research_rule_id_appears_in_a_rule_file() {
    let text: String = files(RULES, "obl")
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for n in 1..=25 {
        let id = format!("R{n:02}");
        assert!(text.contains(&format!("# {id} ")), "{id} is not in {RULES}");
    }
}

// ---------------------------------------------------------------- boundaries

/// An example's facts with one fact's value replaced.
fn example_with(example: &str, fact: &str, value: &str) -> String {
    let text = std::fs::read_to_string(root().join("examples").join(example)).unwrap();
    let prefix = format!("  {fact}: ");
    assert!(text.contains(&prefix), "{example} has no {fact}");
    text.lines()
        .map(|l| match l.strip_prefix(&prefix) {
            Some(_) => format!("{prefix}{value}"),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One bundled rule's result for a facts text.
fn judge(yaml: &str, rule: &str, as_of: &str, known_on: &str) -> Outcome {
    let rs = ruleset(RULES);
    let f = facts(&rs, "facts.yaml", yaml);
    result(&rs, &run(&rs, &f, as_of, known_on), rule).clone()
}

fn status(yaml: &str, rule: &str, as_of: &str, known_on: &str) -> Status {
    judge(yaml, rule, as_of, known_on).status
}

fn deadline(yaml: &str, rule: &str, as_of: &str, known_on: &str) -> Deadline {
    judge(yaml, rule, as_of, known_on).deadline
}

fn on(day: &str) -> Deadline {
    Deadline::On(Moment::Day(d(day)))
}

const CONTRACT: &str = "prospective-record-access";
const TARGET: &str = "nhse-automatic-access-nov-2022";
const SYSTMONE: &str = "systmone-automatic-access-feb-2023";
const ACTION_PLAN: &str = "nhse-exclusion-action-plan";

#[test]
fn on_the_deadline_day_an_unmet_rule_is_pending_and_the_next_day_overdue() {
    let not_live = example_with(
        "paused-emis.yaml",
        "prospective_access_switch_on_date",
        "null",
    );
    let both = |date| status(&not_live, CONTRACT, date, date);
    assert_eq!(both("2023-10-31"), Status::Pending);
    assert_eq!(both("2023-11-01"), Status::Overdue);

    let target = example_with(
        "pause-after-cutoff.yaml",
        "prospective_access_switch_on_date",
        "null",
    );
    assert_eq!(
        status(&target, TARGET, "2022-11-01", "2022-11-01"),
        Status::Pending
    );
    assert_eq!(
        status(&target, TARGET, "2022-11-02", "2022-11-02"),
        Status::Overdue
    );
}

#[test]
fn going_live_on_the_deadline_day_is_met_and_a_day_later_is_met_late() {
    let on_day = example_with(
        "live-after-deadline.yaml",
        "prospective_access_switch_on_date",
        "2023-10-31",
    );
    assert_eq!(
        status(&on_day, CONTRACT, "2024-06-30", "2024-06-30"),
        Status::Met
    );
    let day_after = example_with(
        "live-after-deadline.yaml",
        "prospective_access_switch_on_date",
        "2023-11-01",
    );
    assert_eq!(
        status(&day_after, CONTRACT, "2024-06-30", "2024-06-30"),
        Status::MetLate
    );
}

#[test]
fn exactly_half_the_list_excluded_needs_no_action_plan_just_over_half_does() {
    let half = example_with("systmone-opted-out.yaml", "pct_patients_excluded", "50");
    assert_eq!(
        status(&half, ACTION_PLAN, "2023-06-01", "2023-06-01"),
        Status::NotApplicable
    );
    let over = example_with("systmone-opted-out.yaml", "pct_patients_excluded", "50.1");
    // The plan's date was never stated, so an unsent plan is pending.
    assert_eq!(
        status(&over, ACTION_PLAN, "2023-06-01", "2023-06-01"),
        Status::Pending
    );
    assert_eq!(
        deadline(&over, ACTION_PLAN, "2023-06-01", "2023-06-01"),
        Deadline::NotYetSet
    );
    // Bulk coding follows the same threshold when exclusions were not assessed.
    let rule = "no-bulk-exclusion-coding";
    assert_eq!(status(&half, rule, "2023-06-01", "2023-06-01"), Status::Met);
    assert_eq!(
        status(&over, rule, "2023-06-01", "2023-06-01"),
        Status::Overdue
    );
}

#[test]
fn a_pause_request_at_17_00_on_4_november_moves_the_date_a_minute_later_does_not() {
    let at = |when: &str| {
        let yaml = example_with(
            "pause-after-cutoff.yaml",
            "supplier_pause_request_datetime",
            when,
        );
        let yaml = yaml.replace(
            "prospective_access_switch_on_date: 2023-03-14",
            "prospective_access_switch_on_date: null",
        );
        (
            deadline(&yaml, TARGET, "2022-11-15", "2022-11-15"),
            status(&yaml, TARGET, "2022-11-15", "2022-11-15"),
        )
    };
    assert_eq!(at("2022-11-04T17:00"), (on("2022-11-30"), Status::Pending));
    assert_eq!(at("2022-11-04T17:01"), (on("2022-11-01"), Status::Overdue));
    // The example's own request, at 17:25, missed the cut-off.
    assert_eq!(at("2022-11-04T17:25"), (on("2022-11-01"), Status::Overdue));
}

#[test]
fn a_systmone_opt_out_on_27_january_counts_on_the_28th_it_does_not() {
    let at = |when: &str| {
        let yaml = example_with(
            "live-after-deadline.yaml",
            "supplier_pause_request_datetime",
            when,
        );
        status(&yaml, SYSTMONE, "2023-03-01", "2023-03-01")
    };
    assert_eq!(at("2023-01-27T23:59"), Status::Met);
    // Not opted out in time, and not live by 1 Feb 2023.
    assert_eq!(at("2023-01-28T00:00"), Status::Overdue);
}

#[test]
fn the_known_on_date_tells_the_story_of_the_2022_target() {
    // A practice that paused in time and is not yet live, judged on 15 Nov 2022.
    let paused = example_with(
        "paused-emis.yaml",
        "prospective_access_switch_on_date",
        "null",
    );
    let known = |k| {
        (
            deadline(&paused, TARGET, "2022-11-15", k),
            status(&paused, TARGET, "2022-11-15", k),
        )
    };
    // Before the pause guidance: the 1 Nov target stands and has passed.
    assert_eq!(known("2022-10-31"), (on("2022-11-01"), Status::Overdue));
    // Once it is known, the practice has until 30 Nov.
    assert_eq!(known("2022-11-01"), (on("2022-11-30"), Status::Pending));
    // Judged on 1 Dec: before the halt was known the 30 Nov date has passed;
    // once it is known the rule has ended.
    assert_eq!(
        status(&paused, TARGET, "2022-12-01", "2022-11-28"),
        Status::Overdue
    );
    assert_eq!(
        status(&paused, TARGET, "2022-12-01", "2022-11-29"),
        Status::Ended
    );
}

#[test]
fn the_known_on_date_tells_the_story_of_the_2023_deadline() {
    let opted_out = example_with(
        "systmone-opted-out.yaml",
        "supplier_pause_request_datetime",
        "2023-01-19T11:45",
    );
    let rs = ruleset(RULES);
    let f = facts(&rs, "facts.yaml", &opted_out);
    let id = rs.rule_named(CONTRACT).unwrap();
    // Before the contract letter of 6 Mar 2023 the 31 Oct deadline is not known.
    let before = run(&rs, &f, "2023-11-15", "2023-03-05");
    assert!(before.iter().all(|r| r.rule != id));
    assert_eq!(result(&rs, &before, SYSTMONE).status, Status::Met);
    // From the letter on, the contract rule exists and the SystmOne rule
    // gives way to it on 31 Oct 2023.
    let after = run(&rs, &f, "2023-11-15", "2023-03-06");
    assert_eq!(result(&rs, &after, CONTRACT).status, Status::Overdue);
    assert_eq!(result(&rs, &after, CONTRACT).deadline, on("2023-10-31"));
    assert_eq!(result(&rs, &after, SYSTMONE).status, Status::Ended);
    // The Regulations (published 17 Apr 2023) become the version in force
    // from 15 May 2023; the deadline is unchanged.
    let letter = result(&rs, &run(&rs, &f, "2023-06-01", "2023-04-16"), CONTRACT).version;
    let regs = result(&rs, &run(&rs, &f, "2023-06-01", "2023-04-17"), CONTRACT).version;
    assert_ne!(letter, regs);
}

#[test]
fn the_systmone_date_is_unknown_before_it_was_announced() {
    let yaml =
        std::fs::read_to_string(root().join("examples/systmone-live-feb-2023.yaml")).unwrap();
    let rs = ruleset(RULES);
    let f = facts(&rs, "facts.yaml", &yaml);
    let id = rs.rule_named(SYSTMONE).unwrap();
    assert!(
        run(&rs, &f, "2023-02-01", "2023-01-26")
            .iter()
            .all(|r| r.rule != id)
    );
    assert_eq!(
        result(&rs, &run(&rs, &f, "2023-02-01", "2023-01-27"), SYSTMONE).status,
        Status::Met
    );
}
