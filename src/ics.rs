//! iCalendar (RFC 5545) output: one all-day event per coming deadline the
//! organisation has to keep (not those an exception lifts, such as an
//! exemption, nor an item's already met, such as a request answered).
//!
//! Each event carries the rule's title, its sources and a UID made of the
//! rule, the date (for an item of a rule judged for each item: its key) and
//! the organisation, so that re-importing an updated
//! calendar replaces events instead of duplicating them. The stamp is the
//! as-of date, so the same inputs give the same file.

use crate::eval::Status;
use crate::report::timeline::{EventView, OrganisationTimeline, TimelineView};
use crate::report::words::item_called;

/// The calendar of every coming deadline in the view.
pub fn calendar(view: &TimelineView) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//obligo//obligo timeline//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!(
            "X-WR-CALNAME:{}",
            text(&format!("{} deadlines", view.ruleset.title))
        ),
    ];
    let stamp = format!("{}T000000Z", compact(&view.as_of));
    for org in &view.organisations {
        for e in org
            .events
            .iter()
            .filter(|e| e.coming && e.kind == "deadline" && e.exception.is_none())
            // An item already met (a request answered) is no deadline to keep.
            .filter(|e| {
                e.item.is_none()
                    || e.period.is_some()
                    || !matches!(e.status, Status::Met | Status::MetLate)
            })
        {
            lines.extend(event(view, org, e, &stamp));
        }
    }
    lines.push("END:VCALENDAR".to_string());
    lines.iter().map(|l| fold(l)).collect::<String>()
}

fn event(
    view: &TimelineView,
    org: &OrganisationTimeline,
    e: &EventView,
    stamp: &str,
) -> Vec<String> {
    let who = org
        .id
        .clone()
        .or_else(|| org.name.clone())
        .unwrap_or_else(|| org.facts_file.clone());
    let day = compact(&e.date);
    let end = chrono::NaiveDate::parse_from_str(&e.date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.succ_opt())
        .map_or_else(|| day.clone(), |d| d.format("%Y%m%d").to_string());
    let period = e
        .period
        .as_ref()
        .map(|p| format!(" ({p})"))
        .unwrap_or_default();
    // An item's deadline is named by its item first: a calendar may hold
    // one event per request of the same rule.
    let summary = match (&e.item, &e.period) {
        (Some(i), None) => format!(
            "{} due: {} ({who})",
            item_called(&i.name, i.label.as_deref()),
            e.title
        ),
        _ => format!("Due: {}{period} ({who})", e.title),
    };
    let mut description = format!(
        "{}{period}\n{} by {} ({}). Status on {}: {}.\nRule: {}, ruleset {} version {}.",
        e.title,
        e.rule_kind,
        e.authority.name,
        e.authority.binding_force,
        view.as_of,
        e.status_words,
        e.rule,
        view.ruleset.name,
        view.ruleset.version,
    );
    for c in &e.citations {
        description.push_str(&format!("\nSource: {}", crate::report::text::citation(c)));
    }
    // The organisation's id when it has one; otherwise its facts file,
    // which (unlike a name) two organisations cannot share.
    let org_uid = slug(org.id.as_deref().unwrap_or(&org.facts_file));
    // An item's event is the item's, whatever its date: a deadline that
    // moves (a request's time extended) replaces the event on re-import.
    let uid = match &e.item {
        Some(i) => format!("{}-item-{}-{org_uid}@obligo", slug(&e.rule), key(&i.key)),
        None => format!("{}-{day}-{org_uid}@obligo", slug(&e.rule)),
    };
    let mut out = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{uid}"),
        format!("DTSTAMP:{stamp}"),
        format!("DTSTART;VALUE=DATE:{day}"),
        format!("DTEND;VALUE=DATE:{end}"),
        format!("SUMMARY:{}", text(&summary)),
        format!("DESCRIPTION:{}", text(&description)),
        "TRANSP:TRANSPARENT".to_string(),
    ];
    if let Some(url) = e.citations.iter().find_map(|c| c.url.as_ref()) {
        out.push(format!("URL:{url}"));
    }
    out.push("END:VEVENT".to_string());
    out
}

/// `2024-06-30` as `20240630`.
fn compact(date: &str) -> String {
    date.replace('-', "")
}

/// Letters, digits and hyphens only, for a UID.
fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// An item's key in a UID, one to one: letters, digits, `-` and `.` as
/// they are, any other byte as `_` and two hex digits (ids `S 2` and `S-2`
/// stay apart).
fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'.' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("_{b:02X}"));
        }
    }
    out
}

/// Escapes a TEXT value (RFC 5545, 3.3.11).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a character, and ends it
/// with CRLF. A physical line never ends in a space: some readers trim it,
/// which would glue two words together when they unfold.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            let carried = width > 2 && out.ends_with(' ');
            if carried {
                out.pop();
            }
            out.push_str("\r\n ");
            width = 1;
            if carried {
                out.push(' ');
                width += 1;
            }
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_and_never_split_a_character() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{part:?}");
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }

    #[test]
    fn no_folded_line_ends_in_a_space() {
        let line = format!("SUMMARY:{}end", "word ".repeat(40));
        let folded = fold(&line);
        assert!(folded.split("\r\n").all(|l| !l.ends_with(' ')));
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }

    #[test]
    fn item_keys_in_uids_are_one_to_one() {
        assert_eq!(key("S-2"), "S-2");
        assert_eq!(key("S 2"), "S_202");
        assert_eq!(key("#4"), "_234");
        assert_ne!(key("a_"), key("a_5F"));
    }

    #[test]
    fn text_values_escape_commas_semicolons_and_newlines() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
