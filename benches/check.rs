//! Benchmarks: loading the bundled ruleset, evaluating one practice, and
//! building one practice's timeline (which judges every rule on many dates).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use obligo::eval::{Dates, Plan};
use obligo::source::SourceMap;

fn load_bundled(c: &mut Criterion) {
    c.bench_function("load bundled ruleset", |b| {
        b.iter(|| {
            obligo::load::load_bundled()
                .map_err(|e| e.diagnostics)
                .unwrap()
        });
    });
}

fn evaluate_one_practice(c: &mut Criterion) {
    let rs = obligo::load::load_bundled()
        .map_err(|e| e.diagnostics)
        .unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/paused-emis.yaml"
    ))
    .unwrap();
    let mut sources = SourceMap::default();
    let id = sources.add("paused-emis.yaml", text);
    let facts = obligo::facts::load(&rs, &sources, id).unwrap();
    let date = NaiveDate::from_ymd_opt(2023, 11, 1).unwrap();
    let dates = Dates {
        as_of: date,
        known_on: date,
    };
    let plan = Plan::new(&rs, dates);
    c.bench_function("evaluate one practice", |b| {
        b.iter(|| plan.evaluate(&facts))
    });
    c.bench_function("load facts and evaluate one practice", |b| {
        b.iter(|| {
            let f = obligo::facts::load(&rs, &sources, id).unwrap();
            plan.evaluate(&f)
        });
    });
    let from = NaiveDate::from_ymd_opt(2019, 4, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
    c.bench_function("timeline of one practice, 2019 to 2024", |b| {
        b.iter(|| obligo::timeline::events(&rs, &facts, dates, from, to))
    });
}

criterion_group!(benches, load_bundled, evaluate_one_practice);
criterion_main!(benches);
