//! Any text as one rule file: it loads (parsed and checked) or its problems
//! are shown in every error format; a ruleset that loads is linted, listed,
//! and evaluated against no facts on a fixed date, with every report,
//! explanation, missing-facts view and timeline rendered. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use obligo::api::{self, Facts};

mod common;

fuzz_target!(|data: &[u8]| {
    // Rule files are read as UTF-8 text before the library sees them.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match api::load_text("fuzz.obl", text) {
        Err(e) => common::render_error(&e),
        Ok(rs) => {
            let on = common::as_of();
            common::use_ruleset(&rs, on);
            common::use_facts(&rs, &Facts::none(), on, &common::ALL_FORMATS);
        }
    }
});
