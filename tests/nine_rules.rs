//! The benchmark workload (`benches/nine-rules/`): the hand-written Rust
//! function of the nine rules gives obligo's status for every generated
//! supplier, rule and date, so timing one against the other is fair.

#[path = "../benches/nine-rules/generate.rs"]
pub(crate) mod generate;
#[path = "../benches/nine-rules/handwritten.rs"]
mod handwritten;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::{Days, NaiveDate};
use obligo::eval::{Dates, Plan};

use crate::common::{self, d};
use generate::Org;
use handwritten::{RULES, Status, judge};

const RULESET: &str = "benches/nine-rules";

/// Suppliers judged, each on the five dates of [`dates`]. obligo takes about
/// half a millisecond per judgement and two per facts file in a debug
/// build, so a few hundred keep the test within a second or two.
const ORGS: u64 = 300;

/// On the first `appoint-dpo` deadline; after the register's deadline and
/// within a monthly report's grace days; on the varied `appoint-dpo`
/// deadline; after the self-assessment ended.
const FIXED: [&str; 4] = ["2023-06-30", "2023-10-02", "2024-03-31", "2024-08-15"];

/// The fixed dates, and one around the supplier's own deadlines: from the
/// day its breach was detected to the day after it was due, or up to 40
/// days after its oldest request arrived, or else before most rules are in
/// force. Deadlines that close to an event are rarely near a fixed date.
fn dates(org: &Org, seed: u64) -> [NaiveDate; 5] {
    let own = match (org.breach_detected, org.oldest_request) {
        (Some(Some(t)), _) => t.date() + Days::new(seed % 5),
        (_, Some(Some(r))) => r + Days::new(seed % 41),
        _ => d("2022-12-15"),
    };
    // Before 2022-12-01 some rules are not known yet: obligo has no result.
    let own = own.max(d("2022-12-01"));
    let [a, b, c, e] = FIXED.map(d);
    [a, b, c, e, own]
}

/// The statuses each rule can reach on those dates.
const REACHABLE: [(&str, &[Status]); 9] = {
    use Status::*;
    [
        (
            "appoint-dpo",
            &[
                NotInForce,
                NotApplicable,
                Met,
                MetLate,
                Pending,
                Overdue,
                Unknown,
            ],
        ),
        (
            "publish-register",
            &[
                NotInForce,
                NotApplicable,
                Met,
                MetLate,
                Pending,
                Overdue,
                Unknown,
            ],
        ),
        (
            "report-breaches",
            &[NotApplicable, Met, MetLate, Pending, Overdue, Unknown],
        ),
        (
            "answer-access-requests",
            &[NotInForce, NotApplicable, Met, Pending, Overdue, Unknown],
        ),
        (
            "monthly-report",
            &[NotInForce, NotApplicable, Met, Pending, Overdue, Unknown],
        ),
        (
            "offshore-without-basis",
            &[NotInForce, NotApplicable, Met, Overdue, Unknown],
        ),
        (
            "simplified-self-assessment",
            &[NotInForce, Ended, NotApplicable, Met, Overdue, Unknown],
        ),
        (
            "train-staff",
            &[NotInForce, NotApplicable, Met, Pending, Overdue, Unknown],
        ),
        (
            "first-audit",
            &[
                NotInForce,
                NotApplicable,
                Met,
                MetLate,
                Pending,
                Overdue,
                Unknown,
            ],
        ),
    ]
};

#[test]
fn the_hand_written_rules_agree_with_obligo() {
    let rs = common::ruleset(RULESET);
    assert_eq!(rs.rules.len(), RULES.len(), "the ruleset has nine rules");
    let ids: Vec<_> = RULES
        .iter()
        .map(|name| {
            rs.rule_named(name)
                .unwrap_or_else(|| panic!("handwritten.rs names rule `{name}`, not in {RULESET}"))
        })
        .collect();
    let mut spread: BTreeMap<(usize, Status), usize> = BTreeMap::new();
    let mut mismatches = Vec::new();
    for seed in 0..ORGS {
        let org = Org::generate(seed);
        let yaml = org.to_yaml();
        let facts = common::facts(&rs, &org.id, &yaml);
        for as_of in dates(&org, seed) {
            let results = Plan::new(
                &rs,
                Dates {
                    as_of,
                    known_on: as_of,
                },
            )
            .evaluate(&facts);
            let hand = judge(&org, as_of);
            for (k, (id, hand)) in ids.iter().zip(hand).enumerate() {
                *spread.entry((k, hand)).or_default() += 1;
                let engine = results
                    .iter()
                    .find(|r| r.rule == *id)
                    .map_or("no result", |r| r.status.code());
                if engine != hand.code() {
                    mismatches.push(format!(
                        "{} (seed {seed}), rule `{}`, as of {as_of}: obligo says {engine}, \
                         handwritten.rs says {}\n{yaml}",
                        org.id,
                        RULES[k],
                        hand.code()
                    ));
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} statuses differ; the first:\n\n{}",
        mismatches.len(),
        ORGS as usize * 5 * RULES.len(),
        mismatches[..mismatches.len().min(5)].join("\n")
    );

    // The population reaches every status each rule can reach, often enough
    // that a benchmark over it exercises every path.
    let mut table = String::new();
    for (k, (rule, reachable)) in REACHABLE.iter().enumerate() {
        assert_eq!(*rule, RULES[k]);
        let seen: BTreeSet<Status> = Status::ALL
            .into_iter()
            .filter(|s| spread.contains_key(&(k, *s)))
            .collect();
        let wanted: BTreeSet<Status> = reachable.iter().copied().collect();
        assert_eq!(seen, wanted, "statuses of `{rule}`");
        for s in reachable.iter() {
            let n = spread[&(k, *s)];
            assert!(n >= 5, "`{rule}` is {} only {n} times", s.code());
        }
        let counts: Vec<String> = Status::ALL
            .iter()
            .filter_map(|s| spread.get(&(k, *s)).map(|n| format!("{} {n}", s.code())))
            .collect();
        let _ = writeln!(table, "{rule}: {}", counts.join(", "));
    }
    println!("{table}");
}

#[test]
fn the_yaml_and_json_lines_say_the_same() {
    for seed in 0..200 {
        let org = Org::generate(seed);
        let from_yaml: serde_json::Value = serde_saphyr::from_str(&org.to_yaml()).unwrap();
        let line = org.to_json_line();
        assert!(!line.contains('\n'));
        let from_json: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(from_yaml, from_json, "seed {seed}");
    }
}

#[test]
fn a_seed_always_gives_the_same_supplier() {
    assert_eq!(Org::generate(7), Org::generate(7));
    assert_ne!(Org::generate(7), Org::generate(8));
    let mut shown = String::new();
    for seed in 0..3 {
        let org = Org::generate(seed);
        let _ = writeln!(shown, "{}\n{}\n", org.to_yaml(), org.to_json_line());
    }
    crate::snap!("nine_rules__generated", shown);
}

#[test]
fn the_workload_lints_and_is_formatted() {
    let (code, out, err) = common::obligo(&["lint", RULESET]);
    assert_eq!((code, out.trim()), (0, "no findings"), "{err}");
    let (code, out, err) = common::obligo(&["fmt", "--check", RULESET]);
    assert_eq!(code, 0, "{out}{err}");
}
