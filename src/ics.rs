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
use crate::report::timeline::{EventView, OrganisationTimeline, OverdueView, TimelineView};
use crate::report::words::item_called;

/// A reminder before each event: a number of weeks, days or hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reminder {
    /// How long before, in hours (for ordering and duplicates).
    hours: u32,
    /// As the user wrote it: `7d`, `2w`, `12h`.
    count: u32,
    unit: char,
}

/// The longest reminder taken: 520 weeks (ten years).
const MAX_REMINDER_HOURS: u32 = 24 * 7 * 520;

impl Reminder {
    /// Reads `7d`, `2w` or `12h` (a whole number and a unit: w weeks, d
    /// days, h hours); the error says what is wrong and how to write it.
    pub fn parse(s: &str) -> Result<Self, String> {
        let how = "write a whole number and a unit, w (weeks), d (days) or h (hours), \
                   like 7d, 2w or 12h; several as --remind 7d,1d";
        let t = s.trim();
        if t.is_empty() {
            return Err(format!("a reminder is empty: {how}"));
        }
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (digits, unit) = t.split_at(split);
        let unit = match unit.to_ascii_lowercase().as_str() {
            "w" => 'W',
            "d" => 'D',
            "h" => 'H',
            "" => return Err(format!("`{s}` has no unit: {how}")),
            _ => return Err(format!("`{s}` is not a reminder: {how}")),
        };
        let count: u32 = digits
            .parse()
            .map_err(|_| format!("`{s}` is not a reminder: {how}"))?;
        let per = match unit {
            'W' => 24 * 7,
            'D' => 24,
            _ => 1,
        };
        let hours = count
            .checked_mul(per)
            .filter(|h| *h <= MAX_REMINDER_HOURS)
            .ok_or_else(|| {
                format!("`{s}` is too far ahead: a reminder is at most 520w (ten years); {how}")
            })?;
        Ok(Self { hours, count, unit })
    }

    /// The alarm's trigger, before the event starts: `-P7D`, `-P2W`, `-PT12H`.
    fn trigger(self) -> String {
        match self.unit {
            'H' => format!("-PT{}H", self.count),
            u => format!("-P{}{u}", self.count),
        }
    }

    /// "In 7 days", "In 2 weeks", "In 12 hours", "Today".
    fn words(self) -> String {
        let noun = match self.unit {
            'W' => "week",
            'D' => "day",
            _ => "hour",
        };
        match self.count {
            0 => "Today".to_string(),
            1 => format!("In 1 {noun}"),
            n => format!("In {n} {noun}s"),
        }
    }
}

/// A calendar file, and how many events it holds.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// The iCalendar text, CRLF line ends, folded.
    pub text: String,
    /// Its events: coming deadlines and overdue duties.
    pub events: usize,
}

/// The calendar of every coming deadline in the view, and of every duty
/// overdue on the as-of date (an event on that day), each event with the
/// reminders asked for (sorted, each once).
pub fn calendar(view: &TimelineView, reminders: &[Reminder]) -> Calendar {
    // The earliest reminder first.
    let mut reminders = reminders.to_vec();
    reminders.sort_by_key(|r| std::cmp::Reverse(r.hours));
    reminders.dedup_by_key(|r| r.hours);
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:-//obligo//obligo {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!(
            "X-WR-CALNAME:{}",
            text(&format!("{} deadlines", view.ruleset.title))
        ),
    ];
    // The stamp is the as-of date, never the clock: the same inputs give
    // the same file, and judging a later day stamps the events as newer.
    let stamp = format!("{}T000000Z", compact(&view.as_of));
    let mut uids = std::collections::BTreeSet::new();
    let mut events = 0;
    for org in &view.organisations {
        let overdue = org.overdue.iter().map(|o| overdue_event(view, org, o));
        let coming = org
            .events
            .iter()
            .filter(|e| e.coming && e.kind == "deadline" && e.exception.is_none())
            // An item already met (a request answered) is no deadline to keep.
            .filter(|e| {
                e.item.is_none()
                    || e.period.is_some()
                    || !matches!(e.status, Status::Met | Status::MetLate)
            })
            .map(|e| deadline_event(view, org, e));
        for ev in overdue.chain(coming) {
            // One event per UID: a calendar may not hold two.
            if !uids.insert(ev.uid.clone()) {
                continue;
            }
            events += 1;
            lines.extend(ev.lines(&stamp, &reminders));
        }
    }
    lines.push("END:VCALENDAR".to_string());
    Calendar {
        text: lines.iter().map(|l| fold(l)).collect::<String>(),
        events,
    }
}

/// One event before it is written.
struct Event {
    uid: String,
    /// `DTSTART` and, for an all-day event, `DTEND`, as written.
    when: Vec<String>,
    summary: String,
    description: String,
    url: Option<String>,
    /// An overdue duty: its one alarm is on its day, not before.
    overdue: bool,
}

impl Event {
    fn lines(&self, stamp: &str, reminders: &[Reminder]) -> Vec<String> {
        let mut out = vec![
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", self.uid),
            format!("DTSTAMP:{stamp}"),
        ];
        out.extend(self.when.iter().cloned());
        out.push(format!("SUMMARY:{}", text(&self.summary)));
        out.push(format!("DESCRIPTION:{}", text(&self.description)));
        out.push("TRANSP:TRANSPARENT".to_string());
        if let Some(url) = &self.url {
            out.push(format!("URL:{url}"));
        }
        // An overdue duty's event is today's: one alarm, on its day.
        let alarms: Vec<(String, String)> = if self.overdue {
            reminders
                .first()
                .map(|_| ("PT0S".to_string(), self.summary.clone()))
                .into_iter()
                .collect()
        } else {
            reminders
                .iter()
                .map(|r| (r.trigger(), format!("{}: {}", r.words(), self.summary)))
                .collect()
        };
        for (trigger, words) in alarms {
            out.extend([
                "BEGIN:VALARM".to_string(),
                "ACTION:DISPLAY".to_string(),
                format!("TRIGGER:{trigger}"),
                format!("DESCRIPTION:{}", text(&words)),
                "END:VALARM".to_string(),
            ]);
        }
        out.push("END:VEVENT".to_string());
        out
    }
}

/// How an organisation is named in events, and in UIDs.
fn who(org: &OrganisationTimeline) -> (String, String) {
    let name = org
        .id
        .clone()
        .or_else(|| org.name.clone())
        .unwrap_or_else(|| org.facts_file.clone());
    // The organisation's id when it has one; otherwise its facts file,
    // which (unlike a name) two organisations cannot share.
    (name, slug(org.id.as_deref().unwrap_or(&org.facts_file)))
}

/// An all-day event on `date`: its `DTSTART` and `DTEND`.
fn all_day(date: &str) -> Vec<String> {
    let day = compact(date);
    let end = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.succ_opt())
        .map_or_else(|| day.clone(), |d| d.format("%Y%m%d").to_string());
    vec![
        format!("DTSTART;VALUE=DATE:{day}"),
        format!("DTEND;VALUE=DATE:{end}"),
    ]
}

/// A duty overdue on the as-of date: an all-day event that day. Its UID is
/// the one its deadline's event had while coming (the item's, or the rule's
/// and the deadline's day; for a rule with no deadline date, the rule's),
/// so re-importing moves that event to today instead of adding one.
fn overdue_event(view: &TimelineView, org: &OrganisationTimeline, o: &OverdueView) -> Event {
    let (who, org_uid) = who(org);
    let what = match (&o.item, &o.period) {
        (Some(i), _) => format!("{}: ", item_called(&i.name, i.label.as_deref())),
        (None, Some(p)) => format!("period {p}: "),
        (None, None) => String::new(),
    };
    let mut status = o.status_words.to_string();
    if let Some(first) = status.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let summary = format!("{status} since {}: {what}{} ({who})", o.since, o.title);
    let days = if o.days == 1 { "day" } else { "days" };
    let due = match &o.deadline {
        Some(d) => format!("Due {d}"),
        None => format!(
            "No deadline date: due since it came into force on {}",
            o.since
        ),
    };
    let mut description = format!(
        "{what}{}\n{due}; {} {} {days} on {}.\n{} by {} ({}).\nRule: {}, ruleset {} version {}.",
        o.title,
        o.status_words,
        o.days,
        view.as_of,
        o.rule_kind,
        o.authority.name,
        o.authority.binding_force,
        o.rule,
        view.ruleset.name,
        view.ruleset.version,
    );
    if let Some(reason) = &o.exception {
        description.push_str(&format!("\nException: {reason}"));
    }
    sources(&mut description, &o.citations);
    let uid = match (&o.item, &o.deadline) {
        (Some(i), _) => format!("{}-item-{}-{org_uid}@obligo", slug(&o.rule), key(&i.key)),
        (None, Some(_)) => format!("{}-{}-{org_uid}@obligo", slug(&o.rule), compact(&o.since)),
        (None, None) => format!("{}-overdue-{org_uid}@obligo", slug(&o.rule)),
    };
    Event {
        uid,
        when: all_day(&view.as_of),
        summary,
        description,
        url: o.citations.iter().find_map(|c| c.url.clone()),
        overdue: true,
    }
}

/// A coming deadline: an all-day event on its day, or, for a deadline with
/// a time of day, an event at that time, in floating local time (no
/// `TZID`, no `Z`: the rules and facts give no time zone, so the time is
/// the one on the clock wherever the calendar is read).
fn deadline_event(view: &TimelineView, org: &OrganisationTimeline, e: &EventView) -> Event {
    let (who, org_uid) = who(org);
    let day = compact(&e.date);
    let period = e
        .period
        .as_ref()
        .map(|p| format!(" ({p})"))
        .unwrap_or_default();
    let at = e
        .time
        .as_ref()
        .map(|t| format!(" at {t}"))
        .unwrap_or_default();
    // An item's deadline is named by its item first: a calendar may hold
    // one event per request of the same rule.
    let summary = match (&e.item, &e.period) {
        (Some(i), None) => format!(
            "{} due{at}: {} ({who})",
            item_called(&i.name, i.label.as_deref()),
            e.title
        ),
        _ => format!("Due{at}: {}{period} ({who})", e.title),
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
    sources(&mut description, &e.citations);
    // An item's event is the item's, whatever its date: a deadline that
    // moves (a request's time extended) replaces the event on re-import.
    let uid = match &e.item {
        Some(i) => format!("{}-item-{}-{org_uid}@obligo", slug(&e.rule), key(&i.key)),
        None => format!("{}-{day}-{org_uid}@obligo", slug(&e.rule)),
    };
    let when = match &e.time {
        Some(t) => vec![format!("DTSTART:{day}T{}00", t.replace(':', ""))],
        None => all_day(&e.date),
    };
    Event {
        uid,
        when,
        summary,
        description,
        url: e.citations.iter().find_map(|c| c.url.clone()),
        overdue: false,
    }
}

/// Adds a `Source:` line for each citation.
fn sources(description: &mut String, citations: &[crate::report::view::CitationView]) {
    for c in citations {
        description.push_str(&format!("\nSource: {}", crate::report::text::citation(c)));
    }
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
    fn reminders_read_weeks_days_and_hours_as_rfc_5545_durations() {
        let t = |s: &str| Reminder::parse(s).map(Reminder::trigger);
        assert_eq!(t("7d").as_deref(), Ok("-P7D"));
        assert_eq!(t("2W").as_deref(), Ok("-P2W"));
        assert_eq!(t(" 12h ").as_deref(), Ok("-PT12H"));
        assert_eq!(t("0d").as_deref(), Ok("-P0D"));
        for bad in [
            "",
            "d",
            "7",
            "7 days",
            "-1d",
            "1.5d",
            "521w",
            "99999999999d",
        ] {
            assert!(t(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn text_values_escape_commas_semicolons_and_newlines() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
