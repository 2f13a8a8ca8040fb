//! The fix for a date written another way: what `01/02/2023`, `2023-2-1`
//! or `1 Feb 2023` most likely means, as the YYYY-MM-DD to write instead,
//! with the day in words so that a guess at the order can be checked.
//!
//! Only the help is guessed: a date not written YYYY-MM-DD is still
//! refused, never read as the guess.

use chrono::{Datelike, NaiveDate};

/// The help for a value given where a date is wanted.
pub(crate) fn date_help(written: &str) -> String {
    match fix(written) {
        Some(fix) => fix.say(
            |d| d.format("%Y-%m-%d").to_string(),
            "dates are written YYYY-MM-DD",
        ),
        None => DATE.into(),
    }
}

/// The help for a value given where a month (YYYY-MM) is wanted.
pub(crate) fn month_help(written: &str) -> String {
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    if let Some(Fix::Day(d)) = fix(written) {
        return format!("write {}: a month is written YYYY-MM", month(d));
    }
    match month_of(written) {
        Some(d) => format!(
            "write {} ({}): a month is written YYYY-MM",
            month(d),
            d.format("%B %Y")
        ),
        None => MONTH.into(),
    }
}

/// The help for a value given where a date and time is wanted.
pub(crate) fn datetime_help(written: &str) -> String {
    let written = written.trim();
    // The date alone: the time of day is wanted too.
    if let Some(d) = super::parse_date(written) {
        return format!("give the time of day too, like {d}T09:30 (24-hour clock)");
    }
    let cut = written
        .rfind(['T', ' '])
        .filter(|&i| written.get(i + 1..).is_some_and(|t| time_of(t).is_some()));
    let (date, time) = match cut {
        Some(i) => (
            written.get(..i).unwrap_or(""),
            written.get(i + 1..).and_then(time_of),
        ),
        None => (written, None),
    };
    let Some(time) = time else {
        return DATETIME.into();
    };
    let date = match super::parse_date(date.trim()) {
        Some(d) => Some(Fix::Day(d)),
        None => fix(date),
    };
    match date {
        Some(fix) => fix.say(
            |d| format!("{}T{time}", d.format("%Y-%m-%d")),
            "a date and time is written YYYY-MM-DDTHH:MM",
        ),
        None => DATETIME.into(),
    }
}

/// What may stand between a date's parts: `01/02/2023`, `1 Feb, 2023`.
const SEPARATORS: [char; 5] = ['/', '-', '.', ' ', ','];

const DATE: &str = "write dates as YYYY-MM-DD, like 2023-10-31";
const MONTH: &str = "write a month as YYYY-MM, like 2023-02";
const DATETIME: &str =
    "write a local (UK) date and time as YYYY-MM-DDTHH:MM, like 2022-11-04T16:30";

/// What a date written another way means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fix {
    /// One day.
    Day(NaiveDate),
    /// Day first or month first, both real days: `01/02/2023`.
    Either {
        day_first: NaiveDate,
        month_first: NaiveDate,
    },
    /// The parts of a date, but no such day: `31/02/2023`.
    NoSuchDay { year: i32, month: u32, day: u32 },
}

impl Fix {
    /// The help, with each day written by `write`, and `rule` after it.
    fn say(self, write: impl Fn(NaiveDate) -> String, rule: &str) -> String {
        match self {
            Fix::Day(d) => format!("write {} ({}): {rule}", write(d), words(d)),
            Fix::Either {
                day_first,
                month_first,
            } => format!(
                "write {} for {}, or {} for {}: {rule}",
                write(day_first),
                words(day_first),
                write(month_first),
                words(month_first)
            ),
            Fix::NoSuchDay { year, month, day } => {
                let days = NaiveDate::from_ymd_opt(year, month, 1)
                    .and_then(|first| {
                        let next = first.checked_add_months(chrono::Months::new(1))?;
                        Some((next - first).num_days())
                    })
                    .unwrap_or(31);
                let name = NaiveDate::from_ymd_opt(year, month, 1)
                    .map_or_else(String::new, |d| d.format("%B %Y").to_string());
                format!("there is no day {day} in {name}, which has {days} days; {rule}")
            }
        }
    }
}

/// A day in words: "1 February 2023".
fn words(d: NaiveDate) -> String {
    format!("{} {}", d.day(), d.format("%B %Y"))
}

/// What `written` most likely means as a date.
fn fix(written: &str) -> Option<Fix> {
    let w = written.trim();
    // Far longer than any way of writing a date: not worth reading; and
    // a signed year is no slip of the pen.
    if w.is_empty() || w.len() > 40 || w.starts_with(['-', '+']) {
        return None;
    }
    // `20230201`: the parts without their dashes.
    if w.len() == 8 && w.bytes().all(|b| b.is_ascii_digit()) {
        let part = |r: std::ops::Range<usize>| w.get(r).and_then(number);
        return numeric(part(0..4)?, part(4..6)?, part(6..8)?);
    }
    let parts: Vec<&str> = w.split(SEPARATORS).filter(|p| !p.is_empty()).collect();
    if let [a, b, c] = parts.as_slice()
        && let (Some(a), Some(b), Some(c)) = (number(a), number(b), number(c))
    {
        return numeric(a, b, c);
    }
    worded(&parts)
}

/// Three numbers: year first (`2023-2-1`), or day and month first.
fn numeric(a: (u32, usize), b: (u32, usize), c: (u32, usize)) -> Option<Fix> {
    let day = |year: u32, month: u32, day: u32| {
        let year = i32::try_from(year).ok()?;
        Some(match NaiveDate::from_ymd_opt(year, month, day) {
            Some(d) => Fix::Day(d),
            None if (1..=12).contains(&month) && (1..=31).contains(&day) => {
                Fix::NoSuchDay { year, month, day }
            }
            None => return None,
        })
    };
    let short = |n: (u32, usize)| n.1 <= 2;
    if a.1 == 4 {
        return (short(b) && short(c)).then(|| day(a.0, b.0, c.0))?;
    }
    if !short(a) || !short(b) {
        return None;
    }
    let year = match c.1 {
        4 => c.0,
        2 => 2000 + c.0,
        _ => return None,
    };
    let (x, y) = (a.0, b.0);
    match (x > 12, y > 12) {
        (true, false) => day(year, y, x),
        (false, true) => day(year, x, y),
        (false, false) if x != y => match (day(year, y, x)?, day(year, x, y)?) {
            (Fix::Day(day_first), Fix::Day(month_first)) => Some(Fix::Either {
                day_first,
                month_first,
            }),
            (first, _) => Some(first),
        },
        (false, false) => day(year, x, x),
        (true, true) => None,
    }
}

/// A day, a month's name and a year, in any order: `1 Feb 2023`,
/// `February 1st, 2023`.
fn worded(parts: &[&str]) -> Option<Fix> {
    let (mut day, mut month, mut year) = (None, None, None);
    for p in parts {
        if let Some(m) = month_named(p) {
            month = month.or(Some(m));
        } else if let Some((n, width)) = number(ordinal(p)) {
            match width {
                4 => year = year.or(Some(n)),
                1 | 2 => day = day.or(Some(n)),
                _ => return None,
            }
        } else {
            return None;
        }
    }
    let (day, month, year) = (day?, month?, year?);
    let year = i32::try_from(year).ok()?;
    Some(match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => Fix::Day(d),
        None if (1..=31).contains(&day) => Fix::NoSuchDay { year, month, day },
        None => return None,
    })
}

/// A month written another way: `05/2024`, `2024-5`, `May 2024`.
fn month_of(written: &str) -> Option<NaiveDate> {
    let w = written.trim();
    if w.len() > 40 {
        return None;
    }
    let parts: Vec<&str> = w.split(SEPARATORS).filter(|p| !p.is_empty()).collect();
    let [a, b] = parts.as_slice() else {
        return None;
    };
    let month_year = |m: u32, y: (u32, usize)| {
        let year = i32::try_from(y.0).ok()?;
        NaiveDate::from_ymd_opt(year, m, 1).filter(|_| y.1 == 4)
    };
    match (number(a), number(b)) {
        (Some(y), Some(m)) if y.1 == 4 => month_year(m.0, y),
        (Some(m), Some(y)) => month_year(m.0, y),
        (None, Some(y)) => month_year(month_named(a)?, y),
        (Some(y), None) => month_year(month_named(b)?, y),
        (None, None) => None,
    }
}

/// A time of day, `16:30`, `9:05` or `16:30:00`, as `HH:MM` (or with seconds).
fn time_of(t: &str) -> Option<String> {
    let mut parts = t.split(':');
    let hour = number(parts.next()?)?;
    let minute = number(parts.next()?)?;
    let second = parts.next().map(number);
    if parts.next().is_some() || hour.1 > 2 || minute.1 != 2 || hour.0 > 23 || minute.0 > 59 {
        return None;
    }
    match second {
        None => Some(format!("{:02}:{:02}", hour.0, minute.0)),
        Some(Some((s, 2))) if s < 60 => Some(format!("{:02}:{:02}:{s:02}", hour.0, minute.0)),
        Some(_) => None,
    }
}

/// A number written in ASCII digits, with how many digits.
fn number(s: &str) -> Option<(u32, usize)> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((s.parse().ok()?, s.len()))
}

/// `1st`, `2nd`, `3rd`, `4th` without the ending.
fn ordinal(s: &str) -> &str {
    ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|end| s.strip_suffix(end))
        .filter(|n| !n.is_empty())
        .unwrap_or(s)
}

/// A month by its English name or its first three letters or more: `Feb`, `sept`.
fn month_named(s: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let s = s.to_ascii_lowercase();
    if s.len() < 3 {
        return None;
    }
    let i = NAMES.iter().position(|n| n.starts_with(&s))?;
    u32::try_from(i + 1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_ways_of_writing_a_date_get_the_date_to_write() {
        for (written, help) in [
            (
                "2023-2-1",
                "write 2023-02-01 (1 February 2023): dates are written YYYY-MM-DD",
            ),
            (
                "1 Feb 2023",
                "write 2023-02-01 (1 February 2023): dates are written YYYY-MM-DD",
            ),
            (
                "February 1st, 2023",
                "write 2023-02-01 (1 February 2023): dates are written YYYY-MM-DD",
            ),
            (
                "31/10/2023",
                "write 2023-10-31 (31 October 2023): dates are written YYYY-MM-DD",
            ),
            (
                "10/31/23",
                "write 2023-10-31 (31 October 2023): dates are written YYYY-MM-DD",
            ),
            (
                "2023/10/31",
                "write 2023-10-31 (31 October 2023): dates are written YYYY-MM-DD",
            ),
            (
                "01/02/2023",
                "write 2023-02-01 for 1 February 2023, or 2023-01-02 for 2 January 2023: dates are written YYYY-MM-DD",
            ),
            (
                "05.05.2023",
                "write 2023-05-05 (5 May 2023): dates are written YYYY-MM-DD",
            ),
            (
                "2023-02-30",
                "there is no day 30 in February 2023, which has 28 days; dates are written YYYY-MM-DD",
            ),
            (
                "31/02/2024",
                "there is no day 31 in February 2024, which has 29 days; dates are written YYYY-MM-DD",
            ),
            (
                "20230201",
                "write 2023-02-01 (1 February 2023): dates are written YYYY-MM-DD",
            ),
            ("last Tuesday", DATE),
            ("12345678", DATE),
            ("2023", DATE),
            ("99/99/2023", DATE),
            ("-001-01-01", DATE),
            ("001-01-01", DATE),
            ("2023-001-01", DATE),
        ] {
            assert_eq!(date_help(written), help, "{written}");
        }
    }

    #[test]
    fn months_and_times_get_theirs() {
        assert_eq!(
            month_help("May 2024"),
            "write 2024-05 (May 2024): a month is written YYYY-MM"
        );
        assert_eq!(
            month_help("2024-5"),
            "write 2024-05 (May 2024): a month is written YYYY-MM"
        );
        assert_eq!(
            month_help("05/2024"),
            "write 2024-05 (May 2024): a month is written YYYY-MM"
        );
        assert_eq!(
            month_help("2024-05-01"),
            "write 2024-05: a month is written YYYY-MM"
        );
        assert_eq!(month_help("soon"), MONTH);
        assert_eq!(
            datetime_help("14/11/2022 16:30"),
            "write 2022-11-14T16:30 (14 November 2022): a date and time is written YYYY-MM-DDTHH:MM"
        );
        assert_eq!(
            datetime_help("2022-11-04 9:05"),
            "write 2022-11-04T09:05 (4 November 2022): a date and time is written YYYY-MM-DDTHH:MM"
        );
        assert_eq!(
            datetime_help("2022-11-04"),
            "give the time of day too, like 2022-11-04T09:30 (24-hour clock)"
        );
        assert_eq!(datetime_help("4pm"), DATETIME);
    }
}
