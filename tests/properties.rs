//! Properties of judging, over generated facts files for the bundled
//! ruleset, judged on generated dates (as-of and known-on) from 2019-01-01
//! to 2026-12-31, most of them within days or weeks of a date the ruleset
//! names (a deadline, a version's start, a publication, a date compared in a
//! clause). Each facts file is written as YAML text and read by the real
//! reader; each fact is absent, `null` (when optional) or a value valid for
//! its type, in one of the ways the reader accepts.
//!
//! 1. Removing a fact never changes a decided status, only turns it
//!    unknown: for a facts file F, a fact f given in F, and every rule, if
//!    the rule's status with F minus f differs from its status with F, the
//!    status with F minus f is `unknown`, and its missing facts name f.
//!    Checked for single facts; for random sets S of F's facts, which the
//!    property implies by taking S out one fact at a time (F minus S
//!    differs from F only where it is `unknown`, and names a fact of S
//!    among its missing facts); and for all of F's facts at once.
//! 2. No rule is met on facts it does not have: with no facts (every fact
//!    unknown), on any dates, an outcome that is `met` or `met_late` was
//!    decided by clauses that read no fact, directly or through
//!    definitions: the `unless … -> met` condition that decided it, or else
//!    the version's `met when` and its `applies when`. Besides, a decided
//!    outcome lists no missing facts, and an unknown one lists at least one,
//!    each read by a clause of the version judged. (Every rule of the
//!    bundled ruleset has an `applies when` that reads facts, so there no
//!    rule is met with no facts; `pause-automatic-access` is `met when
//!    true`, and is unknown.)
//! 3. The order of keys in a facts file (the facts, the `organisation`
//!    header's keys, and the two sections) never changes the outcomes, the
//!    JSON report (the `check --format json` view) once each `"line"` is
//!    removed, or the text report once each `[facts line N]` is: and each
//!    line a JSON report names is the line its fact is on in its own file.
//! 4. Two runs give byte-identical output: the same facts and dates, read
//!    and judged twice (by two separately loaded copies of the ruleset, with
//!    another organisation judged in between), render the same text and
//!    JSON bytes; through the binary, `obligo check` twice gives the same
//!    bytes, the same exit code, and the bytes the library renders.

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use chrono::{NaiveDate, TimeDelta};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngSeed};

use obligo::eval::{Dates, Decider, Outcome, Plan, Status};
use obligo::facts::Facts;
use obligo::model::{DefId, Expr, ExprKind, Fact, FactId, Ruleset, Version};
use obligo::report::{self, layout};
use obligo::value::{Type, Value};

use crate::common;

/// What the facts files are called in reports.
const NAME: &str = "generated.yaml";

/// `cases` cases (few enough for a quick `cargo test`), from a fixed seed so
/// that CI is repeatable, never written to a regressions file;
/// `PROPTEST_CASES` and `PROPTEST_RNG_SEED` explore further.
fn config(cases: u32) -> Config {
    let base = Config::default();
    Config {
        cases: std::env::var("PROPTEST_CASES").map_or(cases, |_| base.cases),
        rng_seed: match base.rng_seed {
            RngSeed::Random => RngSeed::Fixed(0x0b11_60f0),
            fixed @ RngSeed::Fixed(_) => fixed,
        },
        failure_persistence: None,
        ..base
    }
}

/// The bundled ruleset, loaded once.
fn bundled() -> &'static Ruleset {
    static RULES: OnceLock<Ruleset> = OnceLock::new();
    RULES.get_or_init(|| obligo::load::load_bundled().unwrap())
}

/// A second copy, loaded on its own: a second run.
fn bundled_again() -> &'static Ruleset {
    static RULES: OnceLock<Ruleset> = OnceLock::new();
    RULES.get_or_init(|| obligo::load::load_bundled().unwrap())
}

// ------------------------------------------------------------------ properties

proptest! {
    #![proptest_config(config(128))]

    /// Property 1. Reading a file takes a millisecond or more in a debug
    /// build, so each case takes out up to four sets of facts (one fact, or
    /// those a random mask picks), then every fact; more cases, rather than
    /// every fact of fewer files, for more files and dates.
    #[test]
    fn removing_a_fact_only_ever_turns_a_status_unknown(
        (file, dates) in case(),
        removals in proptest::collection::vec(removal(), 1..=4),
    ) {
        let rs = bundled();
        let plan = Plan::new(rs, dates);
        let yaml = file.yaml();
        let all = plan.evaluate(&read(rs, NAME, &yaml)?);
        let every: Vec<usize> = (0..file.facts.len()).collect();
        for removed in removals.iter().map(|r| r.of(file.facts.len())).chain([every]) {
            if removed.is_empty() {
                continue;
            }
            let fewer = plan.evaluate(&read(rs, NAME, &file.without(&removed).yaml())?);
            let names: Vec<&str> = removed.iter().map(|&i| file.facts[i].fact.as_str()).collect();
            only_unknown(rs, dates, &yaml, &all, &fewer, &names)?;
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Property 3.
    #[test]
    fn key_order_never_changes_the_report(
        ((file, reordered), dates) in dates().prop_flat_map(|d| (reordered_pair(d.as_of), Just(d))),
    ) {
        let rs = bundled();
        let plan = Plan::new(rs, dates);
        let (a, b) = (file.yaml(), reordered.yaml());
        let (fa, fb) = (read(rs, NAME, &a)?, read(rs, NAME, &b)?);
        let (oa, ob) = (plan.evaluate(&fa), plan.evaluate(&fb));
        prop_assert_eq!(&oa, &ob, "the same outcomes for\n{}\nand\n{}", a, b);
        let va = report::build(&plan, &[(fa, oa)], true);
        let vb = report::build(&plan, &[(fb, ob)], true);
        let (ja, jb) = (json_without_lines(&report::json(&va), &a)?, json_without_lines(&report::json(&vb), &b)?);
        prop_assert!(ja == jb, "the same JSON report, lines aside, for\n{}\nand\n{}", a, b);
        let text = |v| without_line_numbers(&layout::apply(&report::text::render(v), layout::Layout::default()));
        prop_assert_eq!(text(&va), text(&vb), "the same text report, lines aside, for\n{}\nand\n{}", a, b);
    }

}

proptest! {
    // Each case reads five files and builds two reports of two organisations.
    #![proptest_config(config(32))]

    /// Property 4, in the library.
    #[test]
    fn two_runs_give_the_same_bytes(
        (file, other, dates) in dates().prop_flat_map(|d| (facts_file(d.as_of), facts_file(d.as_of), Just(d))),
    ) {
        let (yaml, other) = (file.yaml(), other.yaml());
        let first = rendered(bundled(), &[&yaml, &other], dates)?;
        // Something else judged in between, in the same thread.
        let plan = Plan::new(bundled_again(), dates);
        let _ = plan.evaluate(&read(bundled_again(), "between.yaml", &other)?);
        let second = rendered(bundled_again(), &[&yaml, &other], dates)?;
        prop_assert!(first == second, "the same bytes twice for\n{}", yaml);
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Property 2.
    #[test]
    fn no_rule_is_met_on_facts_it_does_not_have(dates in dates()) {
        let rs = bundled();
        let plan = Plan::new(rs, dates);
        let outcomes = plan.evaluate(&read(rs, NAME, "facts: {}\n")?);
        // Every way of giving no facts is the same.
        for empty in ["", "facts:\n", "organisation:\n  name: Empty\n"] {
            prop_assert_eq!(&plan.evaluate(&read(rs, NAME, empty)?), &outcomes, "{:?}", empty);
        }
        prop_assert_eq!(&plan.evaluate(&Facts::none()), &outcomes);
        for o in &outcomes {
            let rule = rule_name(rs, o);
            let version = o.version.and_then(|v| rs.get_rule(o.rule)?.versions.get(v));
            match (o.status, version) {
                (Status::Met | Status::MetLate, None) => {
                    return Err(TestCaseError::fail(format!("{rule} is {} with no version", o.status.code())));
                }
                (Status::Met | Status::MetLate, Some(v)) => {
                    let deciding: Vec<&Expr> = match o.decider {
                        Decider::Exception(i) => v.exceptions.get(i).map(|e| &e.condition).into_iter().collect(),
                        Decider::Rule => v.applies_when.iter().chain([&v.met_when]).collect(),
                    };
                    prop_assert!(
                        deciding.iter().all(|e| reads(rs, e).is_empty()),
                        "{} is {} with no facts on {:?}, by clauses that read facts", rule, o.status.code(), dates
                    );
                }
                (Status::Unknown, Some(v)) => {
                    let mut read_by_version: BTreeSet<FactId> = clauses(v).into_iter().flat_map(|e| reads(rs, e)).collect();
                    // A rule judged for each item also reads its kind's list.
                    if let Some(obligo::model::Each::Item { kind, .. }) = rs.get_rule(o.rule).and_then(|r| r.each.as_ref()) {
                        read_by_version.extend(rs.kinds.get(kind.index()).map(|k| k.list));
                    }
                    prop_assert!(!o.missing.is_empty(), "{} is unknown for want of nothing, on {:?}", rule, dates);
                    prop_assert!(
                        o.missing.iter().all(|f| read_by_version.contains(f)),
                        "{} misses facts its version does not read, on {:?}: {:?}", rule, dates, o.missing
                    );
                }
                (Status::Unknown, None) => {
                    return Err(TestCaseError::fail(format!("{rule} is unknown with no version")));
                }
                _ => prop_assert!(o.missing.is_empty(), "{} is {} yet misses {:?}", rule, o.status.code(), o.missing),
            }
        }
    }
}

proptest! {
    // Each case runs the binary four times.
    #![proptest_config(config(3))]

    /// Property 4, through the binary.
    #[test]
    fn the_binary_gives_the_same_bytes_twice_and_those_of_the_library(
        (file, dates) in case(),
    ) {
        let rs = bundled();
        let yaml = file.yaml();
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let path = dir.path().join("facts.yaml");
        std::fs::write(&path, &yaml).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let shown = path.display().to_string();
        let plan = Plan::new(rs, dates);
        let facts = read(rs, &shown, &yaml)?;
        let outcomes = plan.evaluate(&facts);
        let code = i32::from(plan.verdict(&outcomes).exit_code());
        let view = report::build(&plan, &[(facts, outcomes)], true);
        let library = [
            ("text", layout::apply(&report::text::render(&view), layout::Layout::default())),
            ("json", report::json(&view)),
        ];
        let (as_of, known_on) = (dates.as_of.to_string(), dates.known_on.to_string());
        for (format, bytes) in library {
            let args = ["check", &shown, "--as-of", &as_of, "--known-on", &known_on, "--format", format];
            let first = common::obligo(&args);
            prop_assert_eq!(&first, &common::obligo(&args), "obligo {}: the same twice", args.join(" "));
            prop_assert_eq!(first.0, code, "obligo {}: the verdict's exit code\n{}", args.join(" "), first.2);
            prop_assert!(first.1 == bytes, "obligo {}: the library's bytes", args.join(" "));
        }
    }
}

/// The generators reach every status (over 200 cases from a fixed seed,
/// whatever `PROPTEST_RNG_SEED` says), so that property 1 is checked from
/// each: met late is the rarest, for a practice that went live after a
/// deadline judged on a day after both.
#[test]
fn the_generated_cases_reach_every_status() {
    use proptest::strategy::ValueTree;
    let rs = bundled();
    let mut runner = proptest::test_runner::TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(0x0b11_60f0),
        ..config(1)
    });
    let mut seen = BTreeSet::new();
    for _ in 0..200 {
        let (file, dates) = case().new_tree(&mut runner).unwrap().current();
        let facts = read(rs, NAME, &file.yaml()).unwrap();
        seen.extend(
            Plan::new(rs, dates)
                .evaluate(&facts)
                .iter()
                .map(|o| o.status),
        );
    }
    assert_eq!(seen, Status::ALL.into_iter().collect());
}

/// The walk of property 2 finds facts through definitions, and finds none
/// in a constant: otherwise property 2 would hold for the wrong reason.
#[test]
fn reads_follows_definitions() {
    let rs = bundled();
    let met_when = |rule: &str| {
        let id = rs.rule_named(rule).unwrap();
        &rs.get_rule(id).unwrap().versions[0].met_when
    };
    // `met when true`.
    assert!(reads(rs, met_when("pause-automatic-access")).is_empty());
    // `met when access_compliant_with_contract`, a definition of definitions.
    let facts: Vec<&str> = reads(rs, met_when("prospective-record-access"))
        .into_iter()
        .map(|f| rs.get_fact(f).unwrap().name.as_str())
        .collect();
    assert_eq!(
        facts,
        [
            "prospective_access_switch_on_date",
            "access_model",
            "exclusions_individually_assessed"
        ]
    );
}

// ------------------------------------------------------------------ checks

/// Property 1 for one pair: `fewer` is `all` judged with the facts
/// `removed` taken out of `yaml`.
fn only_unknown(
    rs: &Ruleset,
    dates: Dates,
    yaml: &str,
    all: &[Outcome],
    fewer: &[Outcome],
    removed: &[&str],
) -> Result<(), TestCaseError> {
    prop_assert_eq!(all.len(), fewer.len());
    let ids: Vec<FactId> = removed.iter().filter_map(|f| rs.fact_named(f)).collect();
    prop_assert_eq!(ids.len(), removed.len());
    for (a, b) in all.iter().zip(fewer) {
        prop_assert_eq!(a.rule, b.rule);
        if a.status == b.status {
            continue;
        }
        prop_assert_eq!(
            b.status,
            Status::Unknown,
            "{}: {} with the facts below, {} without {:?}, as of {} known on {}\n{}",
            rule_name(rs, a),
            a.status.code(),
            b.status.code(),
            removed,
            dates.as_of,
            dates.known_on,
            yaml
        );
        prop_assert!(
            b.missing.iter().any(|m| ids.contains(m)),
            "{}: unknown without {:?}, none of which it names among its missing facts {:?}, as of {} known on {}\n{}",
            rule_name(rs, a),
            removed,
            b.missing,
            dates.as_of,
            dates.known_on,
            yaml
        );
    }
    Ok(())
}

/// The JSON report with every `"line"` removed, after checking that each
/// is the line its fact is on in `yaml`.
fn json_without_lines(json: &str, yaml: &str) -> Result<serde_json::Value, TestCaseError> {
    fn walk(v: &mut serde_json::Value, yaml: &str) -> Result<(), TestCaseError> {
        match v {
            serde_json::Value::Object(map) => {
                // The file's hash is of its text, which the order changes.
                map.remove("facts_sha256");
                if let Some(line) = map.remove("line") {
                    let fact = map.get("fact").and_then(|f| f.as_str()).unwrap_or("?");
                    let on = line_of(yaml, fact);
                    prop_assert_eq!(line.as_u64(), on, "the line of `{}` in\n{}", fact, yaml);
                }
                for v in map.values_mut() {
                    walk(v, yaml)?;
                }
            }
            serde_json::Value::Array(items) => {
                for v in items {
                    walk(v, yaml)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
    let mut v = serde_json::from_str(json).map_err(|e| TestCaseError::fail(e.to_string()))?;
    walk(&mut v, yaml)?;
    Ok(v)
}

/// The line (from 1) a fact is written on in a generated facts file.
fn line_of(yaml: &str, fact: &str) -> Option<u64> {
    let key = format!("  {fact}:");
    let i = yaml.lines().position(|l| l.starts_with(&key))?;
    u64::try_from(i + 1).ok()
}

/// The text with each `[facts line N]` as `[facts line _]`.
fn without_line_numbers(text: &str) -> String {
    const MARK: &str = "[facts line ";
    let mut out = String::with_capacity(text.len());
    // The file's hash is of its text, which a reordering changes.
    let unhashed: String = text
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("facts sha256 "))
        .collect();
    let mut rest = unhashed.as_str();
    while let Some(i) = rest.find(MARK) {
        let (before, after) = rest.split_at(i + MARK.len());
        out.push_str(before);
        out.push('_');
        rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

/// The text and JSON reports of `check` over facts files, as the binary
/// writes them to a file.
fn rendered(rs: &Ruleset, yamls: &[&str], dates: Dates) -> Result<(String, String), TestCaseError> {
    let plan = Plan::new(rs, dates);
    let mut orgs = Vec::new();
    for (i, yaml) in yamls.iter().enumerate() {
        let facts = read(rs, &format!("org-{i}.yaml"), yaml)?;
        let outcomes = plan.evaluate(&facts);
        orgs.push((facts, outcomes));
    }
    let view = report::build(&plan, &orgs, true);
    Ok((
        layout::apply(&report::text::render(&view), layout::Layout::default()),
        report::json(&view),
    ))
}

/// Reads a generated facts file, which must be valid.
fn read(rs: &Ruleset, name: &str, yaml: &str) -> Result<Facts, TestCaseError> {
    obligo::api::facts_from_yaml(rs, name, yaml).map_err(|e| {
        let why = match e {
            obligo::api::Error::Facts(p) => p.render(),
            other => other.to_string(),
        };
        TestCaseError::fail(format!("the generator writes valid facts:\n{why}\n{yaml}"))
    })
}

fn rule_name<'r>(rs: &'r Ruleset, o: &Outcome) -> &'r str {
    rs.get_rule(o.rule).map_or("?", |r| r.name.as_str())
}

// ------------------------------------------------------------------ the model

/// Every clause of a version.
fn clauses(v: &Version) -> Vec<&Expr> {
    let mut out: Vec<&Expr> = v.exceptions.iter().map(|e| &e.condition).collect();
    out.extend(v.applies_when.iter());
    out.extend(v.deadline.iter());
    out.extend(v.every.iter().map(|e| &e.from));
    out.push(&v.met_when);
    out.extend(v.met_on.iter());
    out
}

/// The facts an expression reads, directly or through definitions.
fn reads(rs: &Ruleset, e: &Expr) -> BTreeSet<FactId> {
    let mut facts = BTreeSet::new();
    let mut seen: HashSet<DefId> = HashSet::new();
    let mut todo: Vec<DefId> = Vec::new();
    let mut visit = |e: &Expr, todo: &mut Vec<DefId>| {
        e.for_each_fact(&mut |f| {
            facts.insert(f);
        });
        e.for_each_def(&mut |d| todo.push(d));
    };
    visit(e, &mut todo);
    while let Some(d) = todo.pop() {
        if seen.insert(d)
            && let Some(def) = rs.get_definition(d)
        {
            visit(&def.value, &mut todo);
        }
    }
    facts
}

/// Every date the ruleset names, within the years generated: where
/// statuses change.
fn key_dates() -> &'static [NaiveDate] {
    static DAYS: OnceLock<Vec<NaiveDate>> = OnceLock::new();
    DAYS.get_or_init(|| {
        let rs = bundled();
        let mut days = vec![rs.published];
        let mut exprs: Vec<&Expr> = rs.definitions.iter().map(|d| &d.value).collect();
        for rule in &rs.rules {
            for v in &rule.versions {
                days.extend([v.from, v.published]);
                days.extend(v.until);
                exprs.extend(clauses(v));
            }
            if let Some(end) = &rule.ending {
                days.extend([end.on, end.published]);
            }
            days.extend(rule.positions.iter().map(|p| p.known_from));
        }
        days.extend(rs.sources.iter().map(|s| s.published));
        for e in exprs {
            e.walk(&mut |x| match &x.kind {
                ExprKind::Const(Value::Date(d)) => days.push(*d),
                ExprKind::Const(Value::DateTime(t)) => days.push(t.date()),
                _ => {}
            });
        }
        days.retain(|d| (first_day()..=last_day()).contains(d));
        days.sort_unstable();
        days.dedup();
        days
    })
}

// ------------------------------------------------------------------ generators

fn first_day() -> NaiveDate {
    common::d("2019-01-01")
}

fn last_day() -> NaiveDate {
    common::d("2026-12-31")
}

/// A day from 2019 to 2026, most often near a date the ruleset names.
fn day() -> BoxedStrategy<NaiveDate> {
    day_near(None)
}

/// A day from 2019 to 2026, most often near a date the ruleset names, or
/// (for the dates in a facts file) near the as-of date `near`, or in the
/// year before it.
fn day_near(near: Option<NaiveDate>) -> BoxedStrategy<NaiveDate> {
    let keys = key_dates().to_vec();
    let span = (last_day() - first_day()).num_days();
    let around_keys = prop_oneof![
        3 => (select(keys.clone()), -3i64..=3),
        3 => (select(keys), -45i64..=45),
        1 => (Just(first_day()), 0..=span),
    ];
    match near {
        None => around_keys.boxed(),
        Some(near) => prop_oneof![
            5 => around_keys,
            2 => (Just(near), -60i64..=60),
            2 => (Just(near), -400i64..=0),
        ]
        .boxed(),
    }
    .prop_map(|(d, n)| (d + TimeDelta::days(n)).clamp(first_day(), last_day()))
    .boxed()
}

/// Which facts of a file to take out: one, or those a mask picks.
#[derive(Debug, Clone)]
enum Removal {
    One(proptest::sample::Index),
    Mask(u64),
}

impl Removal {
    /// The positions taken out of `n` facts.
    fn of(&self, n: usize) -> Vec<usize> {
        match self {
            Removal::One(_) if n == 0 => Vec::new(),
            Removal::One(i) => vec![i.index(n)],
            Removal::Mask(m) => (0..n.min(64)).filter(|i| m >> i & 1 == 1).collect(),
        }
    }
}

fn removal() -> impl Strategy<Value = Removal> {
    prop_oneof![
        any::<proptest::sample::Index>().prop_map(Removal::One),
        any::<u64>().prop_map(Removal::Mask),
    ]
}

/// A facts file, and the dates it is judged on.
fn case() -> impl Strategy<Value = (FactsFile, Dates)> {
    dates().prop_flat_map(|d| (facts_file(d.as_of), Just(d)))
}

/// As-of and known-on: the same day, or knowledge from a later day, or
/// any two days.
fn dates() -> impl Strategy<Value = Dates> {
    (day(), day(), 0..=400i64, 0..4u8).prop_map(|(as_of, other, later, how)| Dates {
        as_of,
        known_on: match how {
            0 | 1 => as_of,
            2 => (as_of + TimeDelta::days(later)).min(last_day()),
            _ => other,
        },
    })
}

/// One `key: value` line of a facts file.
#[derive(Debug, Clone)]
struct Line {
    fact: String,
    /// As written (`null` or `~` for an optional fact known not to have happened).
    value: String,
}

/// A facts file, in the order it is written.
#[derive(Clone)]
struct FactsFile {
    /// The `organisation:` keys; no section when empty.
    header: Vec<(&'static str, String)>,
    facts: Vec<Line>,
    /// Whether `facts:` comes before `organisation:`.
    facts_first: bool,
}

/// Shown as its text, for failing cases.
impl std::fmt::Debug for FactsFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "\n{}", self.yaml())
    }
}

impl FactsFile {
    fn yaml(&self) -> String {
        let mut org = String::new();
        if !self.header.is_empty() {
            org.push_str("organisation:\n");
            for (k, v) in &self.header {
                org.push_str(&format!("  {k}: {v}\n"));
            }
        }
        let mut facts = String::from("facts:");
        if self.facts.is_empty() {
            facts.push_str(" {}\n");
        } else {
            facts.push('\n');
            for Line { fact, value } in &self.facts {
                let gap = if value.is_empty() { "" } else { " " };
                facts.push_str(&format!("  {fact}:{gap}{value}\n"));
            }
        }
        if self.facts_first {
            facts + &org
        } else {
            org + &facts
        }
    }

    /// The file without the facts at these positions.
    fn without(&self, removed: &[usize]) -> Self {
        let mut less = self.clone();
        let mut i = 0;
        less.facts.retain(|_| {
            i += 1;
            !removed.contains(&(i - 1))
        });
        less
    }
}

/// How a generated file leans: how often a fact is left out, how often an
/// optional one is empty, how often a yes/no is yes (most rules apply only
/// to a practice in England with computerised records, and so on), and
/// which day its dates are often near (the as-of date).
#[derive(Debug, Clone, Copy)]
struct Lean {
    near: NaiveDate,
    absent: f64,
    null: f64,
    yes: f64,
}

/// A facts file: each fact of the bundled ruleset absent, null or given, in
/// schema order; its dates often near `near`. Half of them start from one
/// of the bundled examples (practices as they are, several of them late or
/// paused), each fact kept as the example has it (given or left out) or
/// drawn anew.
fn facts_file(near: NaiveDate) -> impl Strategy<Value = FactsFile> {
    let lean = (
        select(vec![0.0, 0.1, 0.4]),
        select(vec![0.1, 0.3]),
        select(vec![0.5, 0.85]),
    )
        .prop_map(move |(absent, null, yes)| Lean {
            near,
            absent,
            null,
            yes,
        });
    let example = proptest::option::of(select((0..examples().len()).collect::<Vec<_>>()));
    (lean, example)
        .prop_flat_map(|(lean, example)| {
            let lines: Vec<BoxedStrategy<Option<Line>>> = bundled()
                .organisation_facts()
                .map(|(_, f)| {
                    let drawn = line(f, lean);
                    match example.and_then(|i| examples().get(i)) {
                        None => drawn,
                        Some(facts) => {
                            let kept = facts.iter().find(|l| l.fact == f.name).cloned();
                            prop_oneof![7 => Just(kept), 3 => drawn].boxed()
                        }
                    }
                })
                .collect();
            (lines, header(lean.near), any::<bool>())
        })
        .prop_map(|(lines, header, facts_first)| FactsFile {
            header,
            facts: lines.into_iter().flatten().collect(),
            facts_first,
        })
}

/// The facts of the bundled examples (`examples/*.yaml`), as written.
fn examples() -> &'static [Vec<Line>] {
    static EXAMPLES: OnceLock<Vec<Vec<Line>>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        common::files("examples", "yaml")
            .iter()
            .map(|path| {
                let text = std::fs::read_to_string(path).unwrap();
                let (_, facts) = text.split_once("\nfacts:\n").unwrap();
                // The facts only: the lists of items that follow are not facts.
                let facts = facts.split("\nitems:\n").next().unwrap_or_default();
                facts
                    .lines()
                    .filter(|l| l.starts_with("  ") && !l.trim_start().starts_with('#'))
                    .map(|l| {
                        let (fact, value) = l.split_once(':').unwrap();
                        let value = value.split(" #").next().unwrap_or_default();
                        Line {
                            fact: fact.trim().to_string(),
                            value: value.trim().to_string(),
                        }
                    })
                    .collect()
            })
            .collect()
    })
}

/// A facts file, and the same with its keys in another order.
fn reordered_pair(near: NaiveDate) -> impl Strategy<Value = (FactsFile, FactsFile)> {
    facts_file(near).prop_flat_map(|file| {
        let other = (
            Just(file.facts.clone()).prop_shuffle(),
            Just(file.header.clone()).prop_shuffle(),
            any::<bool>(),
        )
            .prop_map(|(facts, header, facts_first)| FactsFile {
                header,
                facts,
                facts_first,
            });
        (Just(file), other)
    })
}

/// The `organisation:` header: a name and an id, or not; a recorded date, or not.
fn header(near: NaiveDate) -> impl Strategy<Value = Vec<(&'static str, String)>> {
    (any::<bool>(), proptest::option::of(day_near(Some(near)))).prop_map(|(named, recorded)| {
        let mut keys = Vec::new();
        if named {
            keys.push(("name", "Generated Practice".to_string()));
            keys.push(("id", "ZZ0999".to_string()));
        }
        if let Some(d) = recorded {
            keys.push(("recorded", d.to_string()));
        }
        keys
    })
}

/// A fact's line: absent, empty (when optional) or a value of its type.
/// (A failing case shrinks towards fewer facts: `false` is simpler.)
fn line(fact: &Fact, lean: Lean) -> BoxedStrategy<Option<Line>> {
    let name = fact.name.clone();
    let optional = fact.optional;
    (
        proptest::bool::weighted(1.0 - lean.absent),
        proptest::bool::weighted(lean.null),
        // Not a blank (`key:` alone): the reader refuses it, as an answer
        // perhaps left out by accident (tests/wording.rs).
        select(vec!["null", "~"]),
        value(fact, lean),
    )
        .prop_map(move |(given, null, empty, value)| {
            given.then(|| Line {
                fact: name.clone(),
                value: if optional && null {
                    empty.to_string()
                } else {
                    value
                },
            })
        })
        .boxed()
}

/// A value of a fact's type, as a facts file may write it.
fn value(fact: &Fact, lean: Lean) -> BoxedStrategy<String> {
    let day = || day_near(Some(lean.near));
    let quoted = |s: BoxedStrategy<String>| {
        prop_oneof![4 => s.clone(), 1 => s.prop_map(|s| format!("\"{s}\""))].boxed()
    };
    match fact.ty {
        Type::Bool => proptest::bool::weighted(lean.yes)
            .prop_map(|b| b.to_string())
            .boxed(),
        Type::Count => prop_oneof![0u32..4, 0u32..400]
            .prop_map(|n| n.to_string())
            .boxed(),
        Type::Number => prop_oneof![
            (-50i32..500).prop_map(|n| n.to_string()),
            (-5000i32..5000).prop_map(|n| format!("{:.1}", f64::from(n) / 10.0)),
        ]
        .boxed(),
        // The rules compare with 0%, 50% and 90%.
        Type::Percent => prop_oneof![
            select(vec![0u32, 50, 90, 100]).prop_map(|p| p.to_string()),
            (0u32..=100).prop_map(|p| p.to_string()),
            (0u32..=1000).prop_map(|p| format!("{}.{}", p / 10, p % 10)),
            (0u32..=100).prop_map(|p| format!("{p}%")),
        ]
        .boxed(),
        Type::Date => quoted(day().prop_map(|d| d.to_string()).boxed()),
        Type::DateTime => {
            let time = prop_oneof![
                select(vec!["00:00", "09:30", "16:59", "17:00", "17:01", "23:59"])
                    .prop_map(String::from),
                (0u32..24, 0u32..60).prop_map(|(h, m)| format!("{h:02}:{m:02}")),
                (0u32..24, 0u32..60, 0u32..60)
                    .prop_map(|(h, m, s)| format!("{h:02}:{m:02}:{s:02}")),
            ];
            quoted((day(), time).prop_map(|(d, t)| format!("{d}T{t}")).boxed())
        }
        Type::Month => quoted(day().prop_map(|d| d.format("%Y-%m").to_string()).boxed()),
        Type::Text => select(vec!["yes", "a note", "Dr Smith", "42"])
            .prop_map(|s| format!("\"{s}\""))
            .boxed(),
        Type::Enum(_) => quoted(select(fact.variants.clone()).boxed()),
        Type::Duration => panic!("`{}`: durations are not facts", fact.name),
    }
}
