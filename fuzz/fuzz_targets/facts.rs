//! Any text as a YAML facts file for the bundled ruleset: it is read, or its
//! problems are shown in every error format; facts that are read are
//! evaluated on a fixed date and the report rendered as text and JSON, with
//! each rule's explanation, the missing-facts view and the timeline.
#![no_main]

use libfuzzer_sys::fuzz_target;
use obligo::api::{self, Format};

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rs = common::bundled();
    match api::facts_from_yaml(rs, "fuzz.yaml", text) {
        Err(e) => common::render_error(&e),
        Ok(facts) => {
            common::use_facts(rs, &facts, common::as_of(), &[Format::Text, Format::Json]);
        }
    }
});
