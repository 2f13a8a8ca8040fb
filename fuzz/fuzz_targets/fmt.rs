//! The formatter on any text. For a text that parses, `obligo fmt` must
//! give a text that:
//! - it does not refuse as changing the meaning (`format::Error::Changed`
//!   is the formatter's own fault, never the input's);
//! - formats to itself (formatting is idempotent);
//! - loads exactly when the original loads, and then gives the same
//!   outcomes, rule by rule, with no facts on a few fixed dates.
//!
//! Any of these failing panics, so that libFuzzer reports it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use obligo::api;
use obligo::format::{self, Error};
use obligo::source::FileId;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let once = match format::format(FileId(0), text) {
        Ok(once) => once,
        Err(Error::Parse(_)) => return,
        Err(Error::Changed) => {
            panic!(
                "the formatter refused a file that parses (its layout changed the meaning or lost a comment)"
            )
        }
    };
    match format::format(FileId(0), &once) {
        Ok(twice) => assert!(
            twice == once,
            "formatting is not idempotent:\n--- fmt(x)\n{once}\n--- fmt(fmt(x))\n{twice}"
        ),
        Err(e) => panic!("the formatted text does not format again ({e:?}):\n{once}"),
    }
    let days = [
        common::day(2019, 1, 1),
        common::day(2022, 11, 1),
        common::day(2024, 6, 30),
        common::day(2031, 12, 31),
    ];
    match (
        api::load_text("x.obl", text),
        api::load_text("x.obl", &once),
    ) {
        (Ok(before), Ok(after)) => {
            let (a, b) = (
                common::statuses(&before, &days),
                common::statuses(&after, &days),
            );
            assert!(a == b, "formatting changed the outcomes:\n{a:?}\n{b:?}");
        }
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => panic!("the formatted text no longer loads: {e}\n{once}"),
        (Err(e), Ok(_)) => {
            panic!("the text does not load ({e}) but its formatted text does:\n{once}")
        }
    }
});
