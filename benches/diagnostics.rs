//! Benchmarks: showing many problems of one file, and linting a rule of
//! many versions. Each problem is placed in its text through a line index
//! built once per file, and every lint check is linear in the versions, so
//! 16,000 problems or 20,000 versions take about as long each as one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use obligo::diagnostic::{Diagnostic, ErrorFormat, Style, render_all_as};
use obligo::load::{LoadError, RuleFile};
use obligo::source::{SourceMap, Span};

/// How many problems one file holds.
const PROBLEMS: usize = 16_000;

const HUMAN: Style = Style {
    format: ErrorFormat::Human,
    colour: false,
};
const PLAIN: Style = Style {
    format: ErrorFormat::Plain,
    colour: false,
};

/// One file of `PROBLEMS` lines, and an error under a name on each.
fn one_error_per_line() -> (Vec<Diagnostic>, SourceMap) {
    let mut text = String::new();
    let mut spans = Vec::new();
    for i in 0..PROBLEMS {
        let name = format!("f{i}");
        let start = text.len() + "fact ".len();
        spans.push((start, start + name.len()));
        text.push_str(&format!("fact {name}: bool \"F\" ask \"F?\"\n"));
    }
    let mut sources = SourceMap::default();
    let file = sources.add("many.obl", text);
    let diagnostics = spans
        .into_iter()
        .map(|(start, end)| {
            Diagnostic::error(Span::new(file, start, end), "something is wrong", "here")
                .with_help("put it right")
        })
        .collect();
    (diagnostics, sources)
}

/// A rule file whose every source has an impossible date: `PROBLEMS`
/// errors from the parser, the way `obligo check` would meet them.
fn rule_file_with_many_errors() -> LoadError {
    let mut text = String::from(
        "ruleset many \"Many errors\" version \"1\" published 2024-01-31\n\n\
         authority contract \"GP contract\" binding\n\n",
    );
    for i in 0..PROBLEMS {
        text.push_str(&format!(
            "source s{i} \"Source {i}\" by contract published 2023-02-30\n"
        ));
    }
    let file = RuleFile {
        relative: "many.obl".into(),
        shown: "many.obl".into(),
        text,
    };
    let Err(e) = obligo::load::load(&[file]) else {
        panic!("the file has errors");
    };
    assert_eq!(e.diagnostics.len(), PROBLEMS);
    e
}

fn render_many(c: &mut Criterion) {
    let mut group = c.benchmark_group("16000 errors in one file");
    group.sample_size(10);
    let (diagnostics, sources) = one_error_per_line();
    group.bench_function("render human", |b| {
        b.iter(|| render_all_as(&diagnostics, &sources, HUMAN))
    });
    group.bench_function("render plain", |b| {
        b.iter(|| render_all_as(&diagnostics, &sources, PLAIN))
    });
    let e = rule_file_with_many_errors();
    group.bench_function("parse errors, render human", |b| {
        b.iter(|| render_all_as(&e.diagnostics, &e.sources, HUMAN))
    });
    group.bench_function("parse errors, render plain", |b| {
        b.iter(|| render_all_as(&e.diagnostics, &e.sources, PLAIN))
    });
    group.finish();
}

/// A ruleset whose one rule has `n` versions two days apart, with a
/// deadline outside its window in every 1,000th and a gap after every 5,000th.
fn many_versions(n: usize) -> String {
    let first = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let day = |i: usize, plus: i64| first + chrono::Duration::days(2 * i as i64 + plus);
    let mut text = String::from(
        "ruleset many \"Many versions\" version \"1\" published 2100-01-01\n\n\
         authority contract \"GP contract\" binding\n\n\
         source letter \"A letter\" by contract published 1899-01-01\n\n\
         fact in_england: bool \"In England\" ask \"In England?\"\n\
         fact switched_on: date, optional \"Switched on\" ask \"When?\"\n\n\
         obligation switch-on \"Switch on\" by contract\n",
    );
    for i in 0..n {
        let from = day(i, 0);
        let until = if i % 5000 == 2000 {
            format!(" until {from}")
        } else {
            String::new()
        };
        let deadline = if i % 1000 == 500 { day(i, 5) } else { from };
        text.push_str(&format!(
            "  version from {from}{until} published 1899-12-01\n    cites letter\n    \
             applies when in_england\n    deadline {deadline}\n    met when switched_on is set\n    \
             met on switched_on\n\n"
        ));
    }
    text
}

fn lint_many_versions(c: &mut Criterion) {
    let file = RuleFile {
        relative: "many.obl".into(),
        shown: "many.obl".into(),
        text: many_versions(20_000),
    };
    let rs = obligo::load::load(&[file]).map_err(|e| e.render()).unwrap();
    let mut group = c.benchmark_group("one rule of 20000 versions");
    group.sample_size(10);
    group.bench_function("lint", |b| b.iter(|| obligo::lint::lint(&rs)));
    group.finish();
}

criterion_group!(benches, render_many, lint_many_versions);
criterion_main!(benches);
