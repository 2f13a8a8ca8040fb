//! Evaluation speed, side by side in one run: obligo's statuses-only
//! evaluation, the same with explanations, and a hand-written Rust function
//! of the same nine rules over the same organisations (the floor). Also the
//! bundled ruleset over its example practices.
//!
//! Each benchmark judges a batch of organisations; criterion reports the
//! time per batch and, with `Throughput::Elements`, organisations per
//! second. Per organisation = time / batch size.
//!
//! And items (`cargo bench --bench evaluate -- items`): one organisation
//! with 1,000, 10,000 and 100,000 subject access requests
//! (`benches/items/rules.obl`: a rule judged for each request that reads a
//! definition holding an aggregate, and a rule whose condition holds two
//! aggregates); throughput is in items, so per item = time / items. The
//! cost per item stays the same from 1,000 to 100,000 when evaluation is
//! linear in the number of items.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "nine-rules/generate.rs"]
mod generate;
#[path = "nine-rules/handwritten.rs"]
mod handwritten;

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use obligo::api::{self, Dates, Explainer, Facts, Plan};

/// Organisations per batch.
const ORGS: u64 = 1_000;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn nine_rules(c: &mut Criterion) {
    let rules = api::load_dir(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/nine-rules"
    )))
    .unwrap();
    let as_of = day("2024-03-31");
    let plan = Plan::new(
        &rules,
        Dates {
            as_of,
            known_on: as_of,
        },
    );
    let orgs: Vec<generate::Org> = (0..ORGS).map(generate::Org::generate).collect();
    let facts: Vec<Facts> = orgs
        .iter()
        .map(|o| api::facts_from_yaml(&rules, &o.id, &o.to_yaml()).unwrap())
        .collect();
    let mut group = c.benchmark_group("nine rules, per 1,000 organisations");
    group.throughput(Throughput::Elements(ORGS));
    group.bench_function("hand-written Rust", |b| {
        b.iter(|| {
            for o in &orgs {
                black_box(handwritten::judge(black_box(o), as_of));
            }
        })
    });
    group.bench_function("obligo, statuses only", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            for f in &facts {
                plan.evaluate_into(black_box(f), &mut out);
                black_box(&out);
            }
        })
    });
    group.bench_function("obligo, statuses and verdict", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            for f in &facts {
                plan.evaluate_into(black_box(f), &mut out);
                black_box(plan.verdict(&out));
            }
        })
    });
    group.bench_function("obligo, with explanations", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            for f in &facts {
                plan.evaluate_into(black_box(f), &mut out);
                let mut ex = Explainer::new(&plan, f);
                for o in &out {
                    black_box(ex.explain(o));
                }
            }
        })
    });
    group.finish();
}

fn bundled(c: &mut Criterion) {
    let rules = api::load_bundled().unwrap();
    let as_of = day("2023-11-01");
    let plan = Plan::new(
        &rules,
        Dates {
            as_of,
            known_on: as_of,
        },
    );
    let examples: Vec<Facts> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            api::facts_from_yaml(&rules, &p.display().to_string(), &text).unwrap()
        })
        .collect();
    let mut group = c.benchmark_group("bundled ruleset, per example practice");
    group.throughput(Throughput::Elements(examples.len() as u64));
    group.bench_function("statuses only", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            for f in &examples {
                plan.evaluate_into(black_box(f), &mut out);
                black_box(&out);
            }
        })
    });
    group.bench_function("with explanations", |b| {
        let mut out = Vec::new();
        b.iter(|| {
            for f in &examples {
                plan.evaluate_into(black_box(f), &mut out);
                let mut ex = Explainer::new(&plan, f);
                for o in &out {
                    black_box(ex.explain(o));
                }
            }
        })
    });
    group.bench_function("the whole text report", |b| {
        b.iter(|| black_box(api::render(&plan, &examples, api::Format::Text)))
    });
    group.finish();
}

/// One organisation with `n` subject access requests, as a batch's JSON
/// line (a facts file of 100,000 items is past the YAML reader's budget):
/// most answered (some late), some not yet, some with the time extended.
fn requests(n: u64) -> String {
    use std::fmt::Write as _;
    let mut line =
        String::from(r#"{"name": "Many requests", "registered": 9000, "items": {"sar": ["#);
    let start = day("2023-01-01");
    for i in 0..n {
        let received = start + chrono::Days::new(i % 450);
        let answered = match i % 10 {
            0 => "null".to_string(),
            k => format!("\"{}\"", received + chrono::Days::new(k * 5)),
        };
        let _ = write!(
            line,
            r#"{}{{"id": "R-{i}", "received": "{received}", "answered": {answered}, "extended": {}}}"#,
            if i == 0 { "" } else { ", " },
            i % 7 == 0
        );
    }
    line.push_str("]}}");
    line
}

fn items(c: &mut Criterion) {
    let rules = api::load_dir(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/items"
    )))
    .unwrap();
    let as_of = day("2024-06-30");
    let plan = Plan::new(
        &rules,
        Dates {
            as_of,
            known_on: as_of,
        },
    );
    let mut group = c.benchmark_group("items in one organisation");
    group.sample_size(20);
    for n in [1_000u64, 10_000, 100_000] {
        let line = requests(n);
        let fields = obligo::facts::row::Fields::new(&rules);
        let facts = obligo::facts::jsonl::read(
            &rules,
            &fields,
            "many.jsonl",
            1,
            &line,
            obligo::source::FileId(0),
        )
        .unwrap();
        group.throughput(Throughput::Elements(n));
        group.bench_function(format!("statuses and verdict, {n} items"), |b| {
            let mut out = Vec::new();
            b.iter(|| {
                plan.evaluate_into(black_box(&facts), &mut out);
                black_box(plan.verdict(&out));
            })
        });
    }
    group.finish();
}

criterion_group!(benches, nine_rules, bundled, items);
criterion_main!(benches);
