//! Any text as a scenario file for the bundled ruleset: it is read, or its
//! problems are shown in every error format; scenarios that are read are
//! run, their coverage measured, and the results rendered as text and JSON
//! (as `obligo test --coverage` does).
#![no_main]

use libfuzzer_sys::fuzz_target;
use obligo::report;
use obligo::scenario::{self, coverage, run, text, view};
use obligo::source::SourceMap;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let rs = common::bundled();
    let mut sources = SourceMap::default();
    let id = sources.add("scenarios/fuzz.yaml", input);
    match scenario::read(rs, &sources, id) {
        Err(problems) => common::render_problems(&problems, &sources),
        Ok(scenarios) => {
            let outcomes = run::run_all(rs, &scenarios);
            let measured = coverage::measure(rs, &outcomes, Some(100.0));
            let shown = view::build(rs, &outcomes, Some(measured));
            std::hint::black_box(shown.exit_code());
            std::hint::black_box(text::render(&shown));
            std::hint::black_box(report::json(&shown));
        }
    }
});
