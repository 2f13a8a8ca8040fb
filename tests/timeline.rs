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

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("obligo-tl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The timeline of a bundled example judged on CI's dates.
fn on_ci_dates(facts: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "timeline",
        facts,
        "--as-of",
        "2024-06-30",
        "--known-on",
        "2024-06-30",
    ];
    args.extend_from_slice(extra);
    obligo(&args)
}

/// The calendar written to standard output (`--ics -`), parsed.
fn parsed(ics: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let calendar = parser.next().expect("one calendar").expect("parses");
    assert!(parser.next().is_none());
    calendar
}

fn value(props: &[ical::property::Property], name: &str) -> Option<String> {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
}

#[test]
fn ics_refuses_a_facts_files_name_and_says_how_to_write_it() {
    // `--ics FACTS.yaml` without another facts file: the facts path is not
    // taken for the calendar.
    let before = std::fs::read("examples/paused-emis.yaml").unwrap();
    for args in [
        &["timeline", "--ics", "examples/paused-emis.yaml"][..],
        &[
            "timeline",
            "--ics",
            "examples/paused-emis.yaml",
            "examples/awaiting-ico.yaml",
        ][..],
        &["timeline", "examples/awaiting-ico.yaml", "--ics=facts.YML"][..],
    ] {
        let (code, out, err) = obligo(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("--ics"), "{err}");
        assert!(err.contains("looks like a facts file"), "{err}");
        assert!(err.contains("did you mean `--ics calendar.ics "), "{err}");
    }
    assert_eq!(
        std::fs::read("examples/paused-emis.yaml").unwrap(),
        before,
        "the facts file is untouched"
    );
    // A facts file without the usual ending is not overwritten either.
    let dir = scratch("overwrite");
    let facts = dir.join("practice");
    std::fs::copy("examples/paused-emis.yaml", &facts).unwrap();
    let f = facts.to_string_lossy().into_owned();
    let (code, _, err) = on_ci_dates(&f, &["--ics", &f]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("is a facts file this run reads: writing the calendar would overwrite it"),
        "{err}"
    );
    assert!(
        err.contains("help: give --ics the calendar's own file name"),
        "{err}"
    );
    assert_eq!(std::fs::read(&facts).unwrap(), before);
    // A value is required.
    let (code, _, err) = obligo(&["timeline", "examples/paused-emis.yaml", "--ics"]);
    assert_eq!(code, 2);
    assert!(err.contains("a value is required for '--ics"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ics_dash_writes_the_calendar_alone_to_standard_output() {
    let (code, out, err) = on_ci_dates("examples/bulk-coded-60pct.yaml", &["--ics", "-"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("BEGIN:VCALENDAR\r\n"), "{out}");
    assert!(out.ends_with("END:VCALENDAR\r\n"), "{out}");
    assert!(!out.contains("== "), "no timeline text on standard output");
    assert!(!crate::common::root().join("-").exists(), "no file named -");
    assert!(!parsed(&out).events.is_empty());
    // The same with --format json: still only the calendar.
    let (_, json_too, _) = on_ci_dates(
        "examples/bulk-coded-60pct.yaml",
        &["--ics", "-", "--format", "json"],
    );
    assert_eq!(json_too, out);
}

#[test]
fn overdue_duties_are_events_on_the_as_of_date_saying_since_when() {
    let (code, out, err) = on_ci_dates("examples/bulk-coded-60pct.yaml", &["--ics", "-"]);
    assert_eq!(code, 0, "{err}");
    let calendar = parsed(&out);
    let overdue: Vec<_> = calendar
        .events
        .iter()
        .filter(|e| value(&e.properties, "SUMMARY").is_some_and(|s| s.starts_with("Overdue")))
        .collect();
    assert!(!overdue.is_empty(), "{out}");
    let prospective = overdue
        .iter()
        .find(|e| {
            value(&e.properties, "UID").as_deref()
                == Some("prospective-record-access-20231031-zz0107@obligo")
        })
        .unwrap_or_else(|| panic!("{out}"));
    let p = &prospective.properties;
    assert_eq!(value(p, "DTSTART").as_deref(), Some("20240630"));
    assert_eq!(value(p, "DTEND").as_deref(), Some("20240701"));
    let summary = value(p, "SUMMARY").unwrap();
    assert!(
        summary
            .starts_with("Overdue since 2023-10-31: Give every registered patient online access"),
        "{summary}"
    );
    let description = value(p, "DESCRIPTION").unwrap();
    assert!(description.contains("Due 2023-10-31"), "{description}");
    assert!(
        description.contains("overdue 243 days on 2024-06-30"),
        "{description}"
    );
    // Judged a fortnight later, the event moves to that day, same UID.
    let (_, later, _) = obligo(&[
        "timeline",
        "examples/bulk-coded-60pct.yaml",
        "--as-of",
        "2024-07-14",
        "--known-on",
        "2024-06-30",
        "--ics",
        "-",
    ]);
    let unfolded = later.replace("\r\n ", "");
    let at = unfolded
        .find("UID:prospective-record-access-20231031-zz0107@obligo")
        .unwrap_or_else(|| panic!("{later}"));
    assert!(
        unfolded[at..].contains("DTSTART;VALUE=DATE:20240714\r\n"),
        "{later}"
    );
    // The text and the JSON list them at the as-of date too.
    let (_, text, _) = on_ci_dates("examples/bulk-coded-60pct.yaml", &[]);
    let mark = text.find("-- 2024-06-30 (as of): overdue --").unwrap();
    assert!(
        text[mark..]
            .contains("\nprospective-record-access: due 2023-10-31 (243 days ago) [OVERDUE]\n"),
        "{text}"
    );
    let (_, json, _) = on_ci_dates("examples/bulk-coded-60pct.yaml", &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = &v["organisations"][0]["overdue"][0];
    assert_eq!(first["since"], "2023-10-31", "{first}");
    assert_eq!(first["days"], 243);
    assert_eq!(first["status"], "overdue");
}

#[test]
fn a_rule_with_no_deadline_is_overdue_since_its_first_day_in_force() {
    let (_, out, _) = on_ci_dates("examples/awaiting-ico.yaml", &["--ics", "-"]);
    let unfolded = out.replace("\r\n ", "");
    assert!(
        unfolded.contains("UID:icb-contractual-follow-up-overdue-zz0112@obligo\r\n"),
        "{out}"
    );
    assert!(
        unfolded.contains("SUMMARY:Overdue since 2024-06-17: Give access as the contract requires"),
        "{out}"
    );
    assert!(
        unfolded.contains("No deadline date: due since it came into force on 2024-06-17"),
        "{out}"
    );
}

#[test]
fn remind_adds_an_alarm_to_each_event() {
    let (code, out, err) = on_ci_dates(
        "examples/bulk-coded-60pct.yaml",
        &["--ics", "-", "--remind", "1d,2w", "--remind", "7d"],
    );
    assert_eq!(code, 0, "{err}");
    let calendar = parsed(&out);
    for e in &calendar.events {
        let summary = value(&e.properties, "SUMMARY").unwrap();
        let triggers: Vec<String> = e
            .alarms
            .iter()
            .map(|a| value(&a.properties, "TRIGGER").unwrap())
            .collect();
        for a in &e.alarms {
            assert_eq!(value(&a.properties, "ACTION").as_deref(), Some("DISPLAY"));
            assert!(
                value(&a.properties, "DESCRIPTION")
                    .unwrap()
                    .contains(&summary)
            );
        }
        if summary.starts_with("Overdue") {
            // Already due: one alarm, on its day.
            assert_eq!(triggers, ["PT0S"], "{summary}");
        } else {
            assert_eq!(triggers, ["-P2W", "-P7D", "-P1D"], "{summary}");
        }
    }
    assert!(out.contains("DESCRIPTION:In 7 days: Due: "), "{out}");
    // Without --remind, no alarm.
    let (_, plain, _) = on_ci_dates("examples/bulk-coded-60pct.yaml", &["--ics", "-"]);
    assert!(!plain.contains("VALARM"));
}

#[test]
fn a_reminder_that_cannot_be_read_is_an_input_error() {
    for (bad, says) in [
        ("7", "`7` has no unit"),
        ("7x", "`7x` is not a reminder"),
        ("-1d", "is not a reminder"),
        ("1.5d", "`1.5d` is not a reminder"),
        ("", "a reminder is empty"),
        ("999w", "is too far ahead"),
    ] {
        let (code, out, err) = on_ci_dates(
            "examples/paused-emis.yaml",
            &["--ics", "-", &format!("--remind={bad}")],
        );
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("for '--remind <BEFORE>'"), "{err}");
        assert!(err.contains(says), "{bad}: {err}");
        assert!(err.contains("like 7d, 2w or 12h"), "{err}");
    }
    // A reminder needs a calendar.
    let (code, _, err) = on_ci_dates("examples/paused-emis.yaml", &["--remind", "7d"]);
    assert_eq!(code, 2);
    assert!(err.contains("--ics <FILE.ics>"), "{err}");
}

#[test]
fn an_empty_calendar_is_written_with_a_warning_saying_why() {
    let dir = scratch("empty");
    let path = dir.join("nothing.ics");
    let p = path.to_string_lossy().into_owned();
    // Nothing overdue on 2023-06-01, and the only coming deadline is in October.
    let (code, out, err) = obligo(&[
        "timeline",
        "examples/paused-emis.yaml",
        "--as-of",
        "2023-06-01",
        "--known-on",
        "2024-06-30",
        "--to",
        "2023-07-01",
        "--ics",
        &p,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("== Millbrook Green Practice"), "{out}");
    assert!(
        err.contains(&format!(
            "warning: the calendar `{p}` has no events: no deadline falls from 2023-06-01 \
             to 2023-07-01, and no duty is overdue on 2023-06-01"
        )),
        "{err}"
    );
    assert!(err.contains("help: a later --to"), "{err}");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(parsed(&written).events.is_empty());
    // Deadlines that an exception lifts are no events either, and the
    // warning says so.
    let (_, _, err) = obligo(&[
        "timeline",
        "examples/systmone-opted-out.yaml",
        "--as-of",
        "2023-01-20",
        "--known-on",
        "2024-06-30",
        "--to",
        "2023-03-01",
        "--ics",
        "-",
    ]);
    assert!(
        err.contains(
            "warning: the calendar has no events: the 1 deadline from 2023-01-20 to \
             2023-03-01 is lifted by an exception or already met, and no duty is overdue \
             on 2023-01-20"
        ),
        "{err}"
    );
    // A calendar with events: no warning.
    let (_, _, err) = on_ci_dates("examples/bulk-coded-60pct.yaml", &["--ics", &p]);
    assert!(err.is_empty(), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

const AT_FIVE: &str = r#"ruleset t "Timed" version "1" published 2023-01-01
authority a "A" binding
source s "S" by a published 2023-01-01
fact asked: datetime, optional "Asked" ask "When?"
obligation by-five "Ask by 17:00" by a
  version from 2023-01-01 published 2023-01-01
    cites s
    deadline 2023-06-01T17:00
    met when asked is set
    met on asked
"#;

#[test]
fn a_deadline_with_a_time_of_day_keeps_it() {
    let dir = scratch("timed");
    std::fs::write(dir.join("rules.obl"), AT_FIVE).unwrap();
    let facts = dir.join("f.yaml");
    std::fs::write(&facts, "organisation:\n  id: T9\nfacts:\n  asked: null\n").unwrap();
    let (rules, f) = (
        dir.to_string_lossy().into_owned(),
        facts.to_string_lossy().into_owned(),
    );
    let run = |as_of: &str, extra: &[&str]| {
        let mut args = vec![
            "timeline",
            &f,
            "--rules",
            &rules,
            "--as-of",
            as_of,
            "--known-on",
            "2023-05-01",
        ];
        args.extend_from_slice(extra);
        obligo(&args)
    };
    let (code, ics, err) = run("2023-05-01", &["--ics", "-"]);
    assert_eq!(code, 0, "{err}");
    // Floating local time: the rules give no time zone.
    assert!(ics.contains("\r\nDTSTART:20230601T170000\r\n"), "{ics}");
    assert!(!ics.contains("DTEND"), "{ics}");
    assert!(
        ics.contains("SUMMARY:Due at 17:00: Ask by 17:00 (T9)"),
        "{ics}"
    );
    let calendar = parsed(&ics);
    assert_eq!(calendar.events.len(), 1);
    let (_, text, _) = run("2023-05-01", &[]);
    assert!(
        text.contains("2023-06-01  by-five: deadline at 17:00 [PENDING]"),
        "{text}"
    );
    let (_, json, _) = run("2023-05-01", &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let deadline = v["organisations"][0]["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "deadline")
        .unwrap();
    assert_eq!(deadline["time"], "17:00");
    // Past it, unmet: overdue, the time kept in what was due.
    let (_, text, _) = run("2023-07-01", &[]);
    assert!(
        text.contains("by-five: due 2023-06-01 17:00 (30 days ago) [OVERDUE]"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_obligation_is_overdue_on_its_first_day_in_force_nor_a_past_deadline_pending() {
    for f in crate::common::files("examples", "yaml") {
        let f = crate::common::rel(&f);
        let (code, out, err) = on_ci_dates(&f, &[]);
        assert_eq!(code, 0, "{f}: {err}");
        let past = &out[..out.find(" (as of): ").unwrap()];
        for line in past.lines() {
            assert!(
                !(line.contains(": comes into force") && line.ends_with("[OVERDUE]")),
                "{f}: {line}"
            );
            assert!(
                !(line.contains(": deadline [PENDING") || line.contains(" due [PENDING")),
                "{f}: {line}"
            );
        }
    }
    // The duty with no deadline that came into force on 2024-06-17 reads
    // pending that day; overdue on the as-of date.
    let (_, out, _) = on_ci_dates("examples/awaiting-ico.yaml", &[]);
    assert!(
        out.contains("2024-06-17  icb-contractual-follow-up: comes into force (published 2024-06-17) [PENDING]"),
        "{out}"
    );
    assert!(
        out.contains("icb-contractual-follow-up: due since 2024-06-17, its first day in force, no deadline date (13 days) [OVERDUE]"),
        "{out}"
    );
    // A deadline the pause moved says so.
    assert!(
        out.contains("2022-11-01  nhse-automatic-access-nov-2022: deadline [MOVED TO 2022-11-30]"),
        "{out}"
    );
}

/// Each past line's tag is the rule's status as `check` gives it on the
/// line's date (a deadline's: the day after), but for an obligation's first
/// day in force, which is pending where `check` would say overdue.
#[test]
fn each_past_lines_status_is_checks_on_its_date() {
    let facts = "examples/awaiting-ico.yaml";
    let (_, json, _) = on_ci_dates(facts, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut by_day: std::collections::BTreeMap<String, Vec<&serde_json::Value>> =
        Default::default();
    for e in v["organisations"][0]["events"].as_array().unwrap() {
        if e["coming"] == true || e.get("item").is_some() || !e["period"].is_null() {
            continue;
        }
        let date =
            chrono::NaiveDate::parse_from_str(e["date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let day = if e["kind"] == "deadline" {
            date.succ_opt().unwrap()
        } else {
            date
        };
        by_day.entry(day.to_string()).or_default().push(e);
    }
    assert!(by_day.len() > 10, "{by_day:?}");
    for (day, events) in by_day {
        let (_, out, _) = obligo(&[
            "check",
            facts,
            "--as-of",
            &day,
            "--known-on",
            "2024-06-30",
            "--format",
            "json",
        ]);
        let c: serde_json::Value = serde_json::from_str(&out).unwrap();
        let results = c["organisations"][0]["results"].as_array().unwrap();
        for e in events {
            let r = results.iter().find(|r| r["rule"] == e["rule"]).unwrap();
            let first_day = e["kind"] == "in_force" && e["rule_kind"] == "obligation";
            if first_day && r["status"] == "overdue" {
                assert_eq!(e["status"], "pending", "{day}: {e}");
            } else {
                assert_eq!(e["status"], r["status"], "{day}: {e}");
            }
        }
    }
}

#[test]
fn the_calendar_names_obligo_and_its_version_and_is_stamped_with_the_as_of_date() {
    let (_, out, _) = on_ci_dates("examples/bulk-coded-60pct.yaml", &["--ics", "-"]);
    assert!(
        out.contains(&format!(
            "\r\nPRODID:-//obligo//obligo {}//EN\r\n",
            env!("CARGO_PKG_VERSION")
        )),
        "{out}"
    );
    let stamps: BTreeSet<&str> = out
        .split("\r\n")
        .filter(|l| l.starts_with("DTSTAMP:"))
        .collect();
    assert_eq!(stamps, BTreeSet::from(["DTSTAMP:20240630T000000Z"]));
    for line in out.split("\r\n") {
        assert!(line.len() <= 75, "{line}");
    }
}
