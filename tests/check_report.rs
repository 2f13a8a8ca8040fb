//! The check report a practice manager acts on: the verdict and what to do
//! now on the first screen (40 lines at 100 columns), short by default and
//! whole with `--detail full`, counts in each kind's own words, and the
//! provenance an auditor needs (obligo's version, both hashes, the dates).

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{obligo, without_hashes};
use crate::snap;

const ON: [&str; 4] = ["--as-of", "2024-06-30", "--known-on", "2024-06-30"];

/// Every bundled example, by path.
fn examples() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(crate::common::root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| format!("examples/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    out.sort();
    assert_eq!(out.len(), 12, "{out:?}");
    out
}

fn check(example: &str, extra: &[&str]) -> String {
    let mut args = vec!["check", example];
    args.extend(ON);
    args.extend(extra);
    let (code, out, err) = obligo(&args);
    assert!(
        err.is_empty() && [0, 1, 3].contains(&code),
        "{args:?}: {err}"
    );
    out
}

/// The first screen: 40 lines of the report wrapped at 100 columns.
fn first_screen(text: &str) -> String {
    let layout = obligo::report::layout::Layout {
        width: Some(100),
        colour: false,
    };
    let wrapped = obligo::report::layout::apply(text, layout);
    wrapped.lines().take(40).collect::<Vec<_>>().join("\n")
}

fn json(example: &str) -> Value {
    serde_json::from_str(&check(example, &["--format", "json"])).unwrap()
}

fn stem(example: &str) -> &str {
    example
        .trim_start_matches("examples/")
        .trim_end_matches(".yaml")
}

/// The version in snapshots, so that a release does not move them.
fn without_version(text: &str) -> String {
    text.replace(
        &format!("obligo {}", env!("CARGO_PKG_VERSION")),
        "obligo [version]",
    )
}

#[test]
fn the_first_screen_of_every_example_is_pinned() {
    for example in examples() {
        let screen = first_screen(&check(&example, &[]));
        snap!(
            format!("check_report__{}__first_screen", stem(&example)),
            without_version(&without_hashes(&screen))
        );
    }
}

#[test]
fn the_first_screen_holds_the_verdict_every_overdue_duty_and_the_next_deadline() {
    for example in examples() {
        first_screen_holds_what_to_do(&example, &ON);
    }
    // And on days with deadlines ahead, items pending among them.
    for (example, day) in [
        ("examples/paused-emis.yaml", "2023-10-20"),
        ("examples/systmone-opted-out.yaml", "2024-06-10"),
        ("examples/missing-facts.yaml", "2022-10-15"),
    ] {
        first_screen_holds_what_to_do(example, &["--as-of", day, "--known-on", day]);
    }
}

fn first_screen_holds_what_to_do(example: &str, on: &[&str]) {
    {
        let mut args = vec!["check", example];
        args.extend(on);
        let (_, text, _) = obligo(&args);
        let screen = first_screen(&text);
        args.extend(["--format", "json"]);
        let report: Value = serde_json::from_str(&obligo(&args).1).unwrap();
        let org = &report["organisations"][0];
        assert!(
            screen.lines().any(|l| l.starts_with("verdict: ")),
            "{example}:\n{screen}"
        );
        let results = org["results"].as_array().unwrap();
        for r in results
            .iter()
            .filter(|r| r["binding_duty"] == true && r["status"] == "overdue")
        {
            let rule = r["rule"].as_str().unwrap();
            let days = r["days_overdue"].as_i64().unwrap();
            let since = r["overdue_since"].as_str().unwrap();
            let line = format!("    - {rule}: ");
            let shown = screen.lines().find(|l| l.starts_with(&line));
            let shown = shown.unwrap_or_else(|| panic!("{example}: {rule} not in\n{screen}"));
            assert!(
                shown.contains(since) && shown.contains(&format!("{days} day")),
                "{example}: {rule} since {since}, {days} days: {shown}"
            );
        }
        // A rule judged item by item is due when its items are.
        let next = results
            .iter()
            .flat_map(|r| match r["items"].as_array().filter(|i| !i.is_empty()) {
                Some(items) => items.iter().map(|i| (r, i)).collect::<Vec<_>>(),
                None => vec![(r, r)],
            })
            .filter(|(_, d)| d["status"] == "pending" && d["days_to_deadline"].is_i64())
            .min_by_key(|(_, d)| d["days_to_deadline"].as_i64());
        match next {
            Some((r, due)) => {
                let deadline = due["deadline"].as_str().unwrap();
                let rule = r["rule"].as_str().unwrap();
                assert!(
                    screen.contains(&format!("    - {deadline} (")) && screen.contains(rule),
                    "{example}: next deadline {deadline} {rule} not in\n{screen}"
                );
            }
            None => assert!(
                screen.contains("  next deadline: none ahead"),
                "{example}:\n{screen}"
            ),
        }
    }
}

#[test]
fn an_overdue_rule_with_no_deadline_says_since_when_it_came_into_force() {
    let text = check("examples/systmone-opted-out.yaml", &[]);
    assert!(
        text.contains(
            "[NOT FOLLOWED] no-bulk-exclusion-coding\n    Do not apply code 104 to all or most patients in bulk\n    recommendation by NHS Digital (expectation)\n    not followed since 2023-10-31, when it came into force (no deadline): 243 days\n"
        ),
        "a recommendation is not followed, not overdue: {text}"
    );
    let text = check("examples/bulk-coded-60pct.yaml", &[]);
    assert!(
        text.contains(
            "[OVERDUE] icb-contractual-follow-up\n    Give access as the contract requires, or expect ICB follow-up and possibly the contractual route\n    obligation by NHS England (expectation)\n    overdue since 2024-06-17, when it came into force (no deadline): 13 days\n"
        ),
        "a duty with no deadline is overdue since it came into force: {text}"
    );
    assert!(
        text.contains(
            "    not available since 2022-11-18, when it came into force (no deadline): 590 days\n"
        ),
        "a permission is not available, not overdue: {text}"
    );
}

#[test]
fn a_next_deadline_ahead_is_named_with_its_date_and_days() {
    let (_, text, _) = obligo(&[
        "check",
        "examples/paused-emis.yaml",
        "--as-of",
        "2023-10-20",
        "--known-on",
        "2023-10-20",
    ]);
    let screen = first_screen(&text);
    assert!(
        screen.contains(
            "  next deadlines:\n    - 2023-10-31 (in 11 days, due soon): prospective-record-access\n"
        ),
        "{screen}"
    );
}

/// The counts line of each binding force, as the text report writes them.
fn counts_lines(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| !l.starts_with("rules by binding force:"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn counts_use_each_kinds_words_and_count_permissions_apart() {
    let text = check("examples/systmone-opted-out.yaml", &[]);
    assert_eq!(
        counts_lines(&text),
        [
            "  Binding: law and contract — duties: 2 overdue, 2 met, 2 ended",
            "  Commissioner expectations (monitored, not contract terms) — duties: 1 overdue, 1 pending, 2 not applicable, 3 ended; permissions: 1 ended; recommendations: 1 not followed, 2 followed",
            "  Professional advice — duties: 1 met; permissions: 2 not available, 1 available; recommendations: 1 not followed, 1 ended",
        ]
    );
    for example in examples() {
        let text = check(&example, &[]);
        let lines = counts_lines(&text);
        assert!(!lines.is_empty(), "{example}");
        for l in &lines {
            assert!(!l.contains('_'), "{example}: a status code in {l}");
        }
        // Each count matches the rules listed under its force.
        let org = &json(&example)["organisations"][0];
        let results = org["results"].as_array().unwrap();
        for r in results {
            let words = r["status_words"].as_str().unwrap();
            assert!(
                lines.iter().any(|l| l.contains(words)),
                "{example}: {words} counted nowhere: {lines:?}"
            );
        }
        let total: usize = lines
            .iter()
            .flat_map(|l| l.split(['—', ';', ',']).skip(1))
            .filter_map(|part| {
                let part = part.trim();
                let part = part.split_once(": ").map_or(part, |(_, n)| n);
                part.split(' ').next()?.parse::<usize>().ok()
            })
            .sum();
        assert_eq!(total, results.len(), "{example}: {lines:?}");
    }
}

#[test]
fn ended_rules_fold_to_one_line_at_the_end_of_their_group() {
    let text = check("examples/paused-emis.yaml", &[]);
    let binding = text.split("\n-- ").nth(1).unwrap();
    let folded: Vec<&str> = binding
        .lines()
        .filter(|l| l.starts_with("[ENDED]"))
        .collect();
    assert_eq!(
        folded,
        [
            "[ENDED] framework-2019-online-access — superseded by `prospective-record-access` from 2023-10-31 (published 2023-03-06)",
            "[ENDED] offer-and-enable-on-acceptance — superseded by `prospective-record-access` from 2023-10-31 (published 2023-03-06)",
        ]
    );
    // They come after every rule still open.
    let last_open = binding.rfind("\n[MET").unwrap();
    assert!(binding.find("[ENDED]").unwrap() > last_open, "{binding}");
}

#[test]
fn the_short_report_gives_one_line_of_why_and_full_gives_every_explanation() {
    let example = "examples/systmone-opted-out.yaml";
    let short = check(example, &[]);
    let full = check(example, &["--detail", "full"]);
    assert!(
        short.contains(
            "    why: met when: access_compliant_with_contract (Access is live and automatic, with only individually assessed exclusions) -> false\n"
        ),
        "{short}"
    );
    assert!(!short.contains("    why:\n"), "{short}");
    assert!(short.lines().count() * 2 < full.lines().count());
    let org = &json(example)["organisations"][0];
    for r in org["results"].as_array().unwrap() {
        if ["ended", "not_in_force"].contains(&r["status"].as_str().unwrap()) {
            continue;
        }
        let rule = r["rule"].as_str().unwrap();
        let block = full
            .split(&format!("] {rule}\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("{rule} not in\n{full}"));
        let block = block.split("\n[").next().unwrap();
        for c in r["explanation"].as_array().unwrap() {
            let line = format!(
                "      {}: {} -> {}\n",
                c["role"].as_str().unwrap(),
                c["node"]["text"].as_str().unwrap(),
                c["node"]["value"].as_str().unwrap()
            );
            assert!(block.contains(&line), "{rule}: {line} not in\n{block}");
        }
    }
}

#[test]
fn full_explains_each_definition_once_and_names_it_elsewhere() {
    let example = "examples/paused-emis.yaml";
    let full = check(example, &["--detail", "full"]);
    let org = &json(example)["organisations"][0];
    let definitions = org["definitions"].as_array().unwrap();
    assert!(!definitions.is_empty());
    for d in definitions {
        let name = d["name"].as_str().unwrap();
        let heading = format!("{name} (");
        let explained = full
            .lines()
            .filter(|l| l.starts_with(&heading) || l.starts_with(&format!("{name} = ")))
            .count();
        assert_eq!(explained, 1, "{name} explained {explained} times");
    }
    // `access-on-request` uses `in_gp_contract` in two clauses: named in
    // both, explained in neither.
    let block = full.split("] access-on-request\n").nth(1).unwrap();
    let block = block.split("\n[").next().unwrap();
    assert_eq!(
        block.matches("in_gp_contract (An English practice with a GP contract and computerised records) -> true (a definition: see Definitions)").count(),
        2,
        "{block}"
    );
    assert!(
        !block.contains("in_gp_contract_type and ehr_computerised"),
        "{block}"
    );
    let defs = full.split("-- Definitions").nth(1).unwrap();
    assert!(defs.contains("in_gp_contract (An English practice with a GP contract and computerised records) = in_gp_contract_type and ehr_computerised -> true"), "{defs}");
}

#[test]
fn markdown_has_the_same_shape() {
    let example = "examples/systmone-opted-out.yaml";
    let md = check(example, &["--format", "markdown"]);
    let todo = md.find("### What to do now").unwrap();
    let first_rule = md.find("#### ").unwrap();
    assert!(todo < first_rule, "{md}");
    assert!(
        md[todo..first_rule].contains("**`prospective-record-access`**"),
        "{md}"
    );
    assert!(
        md.contains("- ENDED: `framework-2019-online-access` — superseded"),
        "{md}"
    );
    assert!(!md.contains("- Why:\n"), "{md}");
    let full = check(example, &["--format", "markdown", "--detail", "full"]);
    assert!(
        full.contains("- Why:\n") && full.contains("### Definitions"),
        "{full}"
    );
}

fn sha256_of(path: &str) -> String {
    let bytes = std::fs::read(crate::common::root().join(path)).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn every_report_names_obligos_version_both_hashes_and_the_dates() {
    let example = "examples/paused-emis.yaml";
    let facts = sha256_of(example);
    let version = env!("CARGO_PKG_VERSION");
    let report = json(example);
    let ruleset = report["ruleset"]["sha256"].as_str().unwrap().to_string();
    assert_eq!(report["obligo_version"], version);
    assert_eq!(report["organisations"][0]["facts_sha256"], facts.as_str());
    assert_eq!(report["as_of"], "2024-06-30");
    assert_eq!(report["known_on"], "2024-06-30");
    let text = check(example, &[]);
    assert!(text.contains(&format!("\nsha256 {ruleset}\n")), "{text}");
    assert!(
        text.contains(&format!(
            "judged as of 2024-06-30, by the rules known on 2024-06-30, by obligo {version}\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("\nfacts sha256 {facts}\n")),
        "{text}"
    );
    let md = check(example, &["--format", "markdown"]);
    assert!(
        md.contains(&format!(
            "Judged as of **2024-06-30**, by the rules known on **2024-06-30**, by obligo {version}."
        )),
        "{md}"
    );
    assert!(md.contains(&format!("sha256 `{ruleset}`")), "{md}");
    assert!(md.contains(&format!(", sha256 `{facts}`")), "{md}");
}

#[test]
fn the_missing_command_the_to_do_list_names_asks_of_the_same_rules_and_dates() {
    let (_, text, _) = obligo(&[
        "check",
        "--rules",
        "tests/items/sar",
        "tests/items/sar/facts.yaml",
        "--as-of",
        "2024-03-10",
        "--known-on",
        "2024-06-01",
    ]);
    let command = "obligo missing tests/items/sar/facts.yaml --rules tests/items/sar --as-of 2024-03-10 --known-on 2024-06-01";
    assert!(text.contains(&format!("`{command}` lists all")), "{text}");
    let args: Vec<&str> = command.split(' ').skip(1).collect();
    let (code, out, err) = obligo(&args);
    assert_eq!(code, 0, "the suggested command runs: {err}");
    assert!(out.contains("subject access request S-3"), "{out}");
}
