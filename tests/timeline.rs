//! `obligo timeline`: an organisation's rule changes and deadlines in date
//! order, each with its status, and the iCalendar file of coming deadlines.

use std::collections::BTreeSet;

use crate::common::{obligo, without_hashes};
use crate::snap;

/// The dates of the event lines of a text timeline.
fn event_dates(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.len() > 12 && l.as_bytes()[4] == b'-' && l.as_bytes()[10] == b' ')
        .map(|l| l[..10].to_string())
        .collect()
}

fn timeline(facts: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "timeline",
        facts,
        "--as-of",
        "2023-06-01",
        "--known-on",
        "2024-06-30",
        "--to",
        "2024-06-30",
    ];
    args.extend_from_slice(extra);
    obligo(&args)
}

#[test]
fn past_and_coming_events_in_date_order() {
    let (code, out, err) = timeline("examples/paused-emis.yaml", &[]);
    assert_eq!(code, 0, "{err}");
    let dates = event_dates(&out);
    assert!(dates.len() > 20, "{out}");
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let cut = out.find("-- 2023-06-01 (as of): coming --").unwrap();
    let (past, coming) = out.split_at(cut);
    // The deadline moved to 30 Nov by the pause, then withdrawn with the rule.
    assert!(
        past.contains("2022-11-30  nhse-automatic-access-nov-2022: deadline [ENDED]"),
        "{past}"
    );
    assert!(
        past.contains("2022-11-29  nhse-automatic-access-nov-2022: withdrawn"),
        "{past}"
    );
    // The contract deadline is coming, and pending on the as-of date.
    assert!(
        coming.contains("2023-10-31  prospective-record-access: deadline [PENDING]"),
        "{coming}"
    );
    snap!("timeline__paused-emis", without_hashes(&out));
}

#[test]
fn a_recurring_deadline_lists_every_period() {
    let (_, out, _) = obligo(&[
        "timeline",
        "examples/bulk-coded-60pct.yaml",
        "--as-of",
        "2024-06-15",
        "--known-on",
        "2024-06-30",
        "--from",
        "2024-01-01",
        "--to",
        "2024-09-30",
    ]);
    for (due, period) in [
        ("2024-01-31", "2023-12"),
        ("2024-05-31", "2024-04"),
        ("2024-06-30", "2024-05"),
        ("2024-09-30", "2024-08"),
    ] {
        assert!(
            out.contains(&format!(
                "{due}  nhse-monthly-104-report: period {period} due"
            )),
            "{due} {period}:\n{out}"
        );
    }
    // May 2024 is reported (the facts' latest month): met before the as-of date, on time.
    assert!(out.contains("period 2024-04 due [MET]"), "{out}");
    snap!("timeline__bulk-coded-60pct_2024", without_hashes(&out));
}

#[test]
fn the_ics_file_is_valid_icalendar_with_one_stable_event_per_coming_deadline() {
    let dir = std::env::temp_dir().join(format!("obligo-ics-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("deadlines.ics");
    let path_s = path.to_string_lossy().into_owned();
    let (code, out, err) = timeline(
        "examples/paused-emis.yaml",
        &["--ics", &path_s, "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();

    // Parsed by an independent iCalendar parser.
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(bytes.as_slice()));
    let calendar = parser.next().expect("one calendar").expect("parses");
    assert!(parser.next().is_none());
    let prop = |props: &[ical::property::Property], name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert_eq!(prop(&calendar.properties, "VERSION"), "2.0");

    // One event per coming deadline of the JSON timeline.
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let coming: Vec<&serde_json::Value> = json["organisations"][0]["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["coming"] == true && e["kind"] == "deadline" && e["exception"].is_null())
        .collect();
    assert!(!coming.is_empty());
    assert_eq!(calendar.events.len(), coming.len());
    let mut uids = BTreeSet::new();
    for (event, deadline) in calendar.events.iter().zip(&coming) {
        let p = &event.properties;
        assert!(uids.insert(prop(p, "UID")), "UIDs are unique");
        assert!(prop(p, "UID").ends_with("-zz0102@obligo"));
        prop(p, "DTSTAMP");
        assert_eq!(
            prop(p, "DTSTART"),
            deadline["date"].as_str().unwrap().replace('-', "")
        );
        assert!(prop(p, "SUMMARY").contains(deadline["title"].as_str().unwrap()));
        assert!(prop(p, "DESCRIPTION").contains("Source: "));
    }
    // RFC 5545: CRLF line ends, lines folded at 75 octets.
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(
        text.split("\r\n")
            .all(|l| l.len() <= 75 && !l.contains('\n'))
    );

    // Stable: the same inputs write the same file.
    timeline("examples/paused-emis.yaml", &["--ics", &path_s]);
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_range_that_ends_before_it_starts_is_an_input_error() {
    let (code, _, err) = obligo(&[
        "timeline",
        "examples/paused-emis.yaml",
        "--from",
        "2024-01-01",
        "--to",
        "2023-01-01",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--from 2024-01-01 is after --to 2023-01-01"),
        "{err}"
    );
    assert!(err.contains("help:"), "{err}");
}
