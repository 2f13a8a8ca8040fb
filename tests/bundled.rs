//! The bundled ruleset (`rules/england-gp-record-access`): every example
//! practice at the dates the story turns on, pinned in text and as a table of
//! results (two of them also in full JSON), and the boundaries where a status
//! flips.

use std::path::Path;
use std::sync::OnceLock;

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

/// The two examples whose JSON reports are pinned in full: recurring
/// deadlines, exceptions and every status but `unknown` and `met_late` in
/// one; unknown results, missing facts and an undetermined verdict in the
/// other. The tables pin the results of all of them.
const IN_FULL: [&str; 2] = ["bulk-coded-60pct", "missing-facts"];

/// What the table snapshots hold, above the tables themselves.
const TABLE_HEADER: &str = "\
A line per date: the organisation's verdict and obligo's exit code.
Then a row per rule, in the order the JSON report lists them, and a column
per date: the result's status, its deadline, the days (+N to the deadline
while pending, -N overdue) and [the period] of a recurring rule; `absent`
when the rule is not in the report that day.
";

/// The table's column widths, fixed so that a changed cell moves no other
/// row: a longer name or cell pushes only its own row out of line.
const RULE_WIDTH: usize = 38;
const CELL_WIDTH: usize = 24;

/// One example practice, checked at every date of `DATES`.
struct Judged {
    /// The facts file, relative to the repository root.
    path: String,
    /// The file's name without `.yaml`, which names its snapshots.
    stem: String,
    /// The date, the exit code and the output, one per date.
    checks: Vec<(&'static str, i32, String)>,
}

/// Checks every example at every date in a format, an example a thread.
fn judge_every_example(format: &str) -> Vec<Judged> {
    let examples = files("examples", "yaml");
    assert!(examples.len() >= 10, "at least 10 example practices");
    std::thread::scope(|scope| {
        let running: Vec<_> = examples
            .iter()
            .map(|example| scope.spawn(move || check_at_every_date(example, format)))
            .collect();
        running.into_iter().map(|t| t.join().unwrap()).collect()
    })
}

/// Checks one example at every date, each judged on the rules known that day.
fn check_at_every_date(example: &Path, format: &str) -> Judged {
    let path = rel(example);
    let checks = DATES
        .iter()
        .map(|&date| {
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
            (date, code, out)
        })
        .collect();
    let stem = example.file_stem().unwrap().to_string_lossy().into_owned();
    Judged { path, stem, checks }
}

/// Every example at every date in JSON, run once for the tests that read it.
fn in_json() -> &'static [Judged] {
    static JUDGED: OnceLock<Vec<Judged>> = OnceLock::new();
    JUDGED.get_or_init(|| judge_every_example("json"))
}

/// An example's outputs one after the other, each under a line saying what
/// was run.
fn concatenated(judged: &Judged) -> String {
    let mut all = String::new();
    for (date, code, out) in &judged.checks {
        all.push_str(&format!(
            "=== {} as of {date}, known on {date}: exit {code}\n{}\n",
            judged.path,
            without_hashes(out)
        ));
    }
    all
}

/// The one organisation of a JSON report.
fn organisation(out: &str) -> serde_json::Value {
    let mut json: serde_json::Value = serde_json::from_str(out).unwrap();
    let organisations = json["organisations"].as_array_mut().unwrap();
    assert_eq!(organisations.len(), 1, "one organisation per example");
    organisations.remove(0)
}

/// A JSON field as table text: nothing for null.
fn field(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The rules of every date's report in one list, each report's rules in the
/// order it lists them.
fn rules_in_report_order(organisations: &[serde_json::Value]) -> Vec<String> {
    // Rules come and go between dates, so each report's new rules go in
    // after the rule it lists before them.
    let mut rules: Vec<String> = Vec::new();
    let listed = |org: &serde_json::Value| -> Vec<String> {
        org["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| field(&r["rule"]))
            .collect()
    };
    for org in organisations {
        let mut at = 0;
        for rule in listed(org) {
            match rules.iter().position(|r| *r == rule) {
                Some(i) => at = i + 1,
                None => {
                    rules.insert(at, rule);
                    at += 1;
                }
            }
        }
    }
    for org in organisations {
        let positions: Vec<usize> = listed(org)
            .iter()
            .map(|rule| rules.iter().position(|r| r == rule).unwrap())
            .collect();
        assert!(
            positions.is_sorted(),
            "the reports list the rules in different orders: {rules:?}"
        );
    }
    rules
}

/// One rule's result as a table cell: status, deadline, days, period.
fn cell(result: &serde_json::Value) -> String {
    let mut parts = vec![field(&result["status"]), field(&result["deadline"])];
    if let Some(n) = result["days_to_deadline"].as_i64() {
        parts.push(format!("+{n}"));
    }
    if let Some(n) = result["days_overdue"].as_i64() {
        parts.push(format!("-{n}"));
    }
    let period = field(&result["period"]);
    if !period.is_empty() {
        parts.push(format!("[{period}]"));
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

/// An example's verdicts, a line per date, and its results, a row per rule
/// and a column per date.
fn table(judged: &Judged) -> String {
    let organisations: Vec<serde_json::Value> = judged
        .checks
        .iter()
        .map(|(_, _, out)| organisation(out))
        .collect();
    let mut table = format!("{}\n{TABLE_HEADER}\n", judged.path);
    table.push_str(&format!("{:<10}  {:<12}  exit\n", "date", "verdict"));
    for ((date, code, _), org) in judged.checks.iter().zip(&organisations) {
        let verdict = field(&org["verdict"]);
        table.push_str(&format!("{date}  {verdict:<12}  {code}\n"));
    }
    let row = |name: &str, cells: Vec<String>| {
        let mut row = format!("{name:<RULE_WIDTH$}");
        for cell in cells {
            row.push_str(&format!("  {cell:<CELL_WIDTH$}"));
        }
        format!("{}\n", row.trim_end())
    };
    table.push('\n');
    table.push_str(&row("rule", DATES.map(String::from).to_vec()));
    for rule in rules_in_report_order(&organisations) {
        let cells = organisations
            .iter()
            .map(|org| {
                let results = org["results"].as_array().unwrap();
                match results.iter().find(|r| r["rule"] == rule.as_str()) {
                    Some(result) => cell(result),
                    None => "absent".to_string(),
                }
            })
            .collect();
        table.push_str(&row(&rule, cells));
    }
    table
}

#[test]
fn every_example_at_every_key_date_in_text() {
    for judged in judge_every_example("text") {
        let all = concatenated(&judged);
        snap!(format!("bundled__{}__text", judged.stem), all);
    }
}

#[test]
fn every_example_at_every_key_date_as_a_table() {
    for judged in in_json() {
        let table = table(judged);
        snap!(format!("bundled__{}__table", judged.stem), table);
    }
}

#[test]
fn two_examples_at_every_key_date_in_json() {
    for stem in IN_FULL {
        let judged = in_json().iter().find(|j| j.stem == stem).unwrap();
        let all = concatenated(judged);
        snap!(format!("bundled__{stem}__json"), all);
    }
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
    }
    for judged in in_json() {
        for (_, _, out) in &judged.checks {
            let json: serde_json::Value = serde_json::from_str(out).unwrap();
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
