//! Calendar periods of a recurring deadline: which period a day falls in,
//! when a period ends, and when it is due.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::tri::shift;
use crate::model::{Length, PeriodUnit};

/// Recurring periods are counted at most this many times, so a start date
/// centuries back cannot stall a run.
const MAX_PERIODS: usize = 100_000;

/// One period of a recurring deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    /// Last day of the period.
    pub end: NaiveDate,
    /// Last day to meet it.
    pub due: NaiveDate,
}

/// The first day of the period holding `day`.
fn period_start(day: NaiveDate, unit: PeriodUnit) -> Option<NaiveDate> {
    match unit {
        PeriodUnit::Week => {
            day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))
        }
        PeriodUnit::Month => day.with_day(1),
        PeriodUnit::Quarter => NaiveDate::from_ymd_opt(day.year(), (day.month0() / 3) * 3 + 1, 1),
        PeriodUnit::Year => NaiveDate::from_ymd_opt(day.year(), 1, 1),
    }
}

/// The first day of the period after the one starting on `start`.
fn next_start(start: NaiveDate, unit: PeriodUnit) -> Option<NaiveDate> {
    match unit {
        PeriodUnit::Week => start.checked_add_days(Days::new(7)),
        PeriodUnit::Month => start.checked_add_months(Months::new(1)),
        PeriodUnit::Quarter => start.checked_add_months(Months::new(3)),
        PeriodUnit::Year => start.checked_add_months(Months::new(12)),
    }
}

fn period(start: NaiveDate, unit: PeriodUnit, due_after: Length) -> Option<Period> {
    let next = next_start(start, unit)?;
    Some(Period {
        start,
        end: next.pred_opt()?,
        // Due `due_after` after the period ends: 10 days after April is
        // 10 May, 1 month after April is 31 May.
        due: shift(next, due_after.n, due_after.unit)?.pred_opt()?,
    })
}

/// The period holding `day`.
pub fn holding(day: NaiveDate, unit: PeriodUnit, due_after: Length) -> Option<Period> {
    period(period_start(day, unit)?, unit, due_after)
}

/// The first period start worth counting from, for periods due from
/// `first_due` on: the period holding `from`, or, when that is long before,
/// the period two periods before `first_due` less `due_after`. So a start
/// date centuries back costs nothing.
fn counting_start(
    from: NaiveDate,
    unit: PeriodUnit,
    due_after: Length,
    first_due: NaiveDate,
) -> Option<NaiveDate> {
    let first = period_start(from, unit)?;
    let back = |d: NaiveDate| -> Option<NaiveDate> {
        let d = shift(d, -due_after.n, due_after.unit)?;
        let d = match unit {
            PeriodUnit::Week => d.checked_sub_days(Days::new(14))?,
            PeriodUnit::Month => d.checked_sub_months(Months::new(2))?,
            PeriodUnit::Quarter => d.checked_sub_months(Months::new(6))?,
            PeriodUnit::Year => d.checked_sub_months(Months::new(24))?,
        };
        period_start(d, unit)
    };
    Some(match back(first_due) {
        Some(near) if near > first => near,
        _ => first,
    })
}

/// Every period from the one holding `from` whose due date falls between
/// `first_due` and `last_due`.
pub fn periods(
    from: NaiveDate,
    unit: PeriodUnit,
    due_after: Length,
    first_due: NaiveDate,
    last_due: NaiveDate,
) -> Vec<Period> {
    let mut out = Vec::new();
    let Some(mut start) = counting_start(from, unit, due_after, first_due) else {
        return out;
    };
    for _ in 0..MAX_PERIODS {
        let Some(p) = period(start, unit, due_after) else {
            break;
        };
        if p.due > last_due {
            break;
        }
        if p.due >= first_due {
            out.push(p);
        }
        let Some(next) = next_start(start, unit) else {
            break;
        };
        start = next;
    }
    out
}

/// Every period from the one holding `from` that has ended before `as_of`
/// (at most 100,000, the latest kept), and the one in progress.
pub fn ended_by(
    from: NaiveDate,
    unit: PeriodUnit,
    due_after: Length,
    as_of: NaiveDate,
) -> (Vec<Period>, Option<Period>) {
    let mut out = Vec::new();
    let Some(mut start) = period_start(from, unit) else {
        return (out, None);
    };
    // Count from no earlier than MAX_PERIODS periods back, so a start date
    // centuries ago costs no more than that.
    let back = |d: NaiveDate| -> Option<NaiveDate> {
        let n = u32::try_from(MAX_PERIODS).ok()?;
        match unit {
            PeriodUnit::Week => d.checked_sub_days(Days::new(7 * u64::from(n))),
            PeriodUnit::Month => d.checked_sub_months(Months::new(n)),
            PeriodUnit::Quarter => d.checked_sub_months(Months::new(3 * n)),
            PeriodUnit::Year => d.checked_sub_months(Months::new(12 * n)),
        }
        .and_then(|d| period_start(d, unit))
    };
    if let Some(near) = back(as_of).filter(|n| *n > start) {
        start = near;
    }
    for _ in 0..=MAX_PERIODS {
        let Some(p) = period(start, unit, due_after) else {
            break;
        };
        if p.end >= as_of {
            return (out, Some(p));
        }
        out.push(p);
        let Some(next) = next_start(start, unit) else {
            break;
        };
        start = next;
    }
    (out, None)
}

/// Where a recurring deadline stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    /// The latest period whose due date has passed.
    pub overdue_if_unmet: Option<Period>,
    /// The earliest period that has ended and is due today or later.
    pub falling_due: Option<Period>,
    /// The period in progress.
    pub in_progress: Option<Period>,
}

/// The periods that matter on `as_of`, counting from the period holding `from`.
pub fn standing(
    from: NaiveDate,
    unit: PeriodUnit,
    due_after: Length,
    as_of: NaiveDate,
) -> Standing {
    let mut out = Standing::default();
    let Some(mut start) = counting_start(from, unit, due_after, as_of) else {
        return out;
    };
    for _ in 0..MAX_PERIODS {
        let Some(p) = period(start, unit, due_after) else {
            break;
        };
        if p.end >= as_of {
            out.in_progress = Some(p);
            break;
        }
        if p.due < as_of {
            out.overdue_if_unmet = Some(p);
        } else if out.falling_due.is_none() {
            out.falling_due = Some(p);
        }
        let Some(next) = next_start(start, unit) else {
            break;
        };
        start = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::TimeUnit;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }
    const MONTH: Length = Length {
        n: 1,
        unit: TimeUnit::Months,
    };

    #[test]
    fn a_month_is_due_a_month_after_it_ends() {
        let s = standing(d("2023-04-10"), PeriodUnit::Month, MONTH, d("2023-05-31"));
        assert_eq!(s.overdue_if_unmet, None);
        let april = s.falling_due.unwrap_or_else(|| unreachable!());
        assert_eq!(
            (april.start, april.end, april.due),
            (d("2023-04-01"), d("2023-04-30"), d("2023-05-31"))
        );
        let s = standing(d("2023-04-10"), PeriodUnit::Month, MONTH, d("2023-06-01"));
        assert_eq!(s.overdue_if_unmet.map(|p| p.start), Some(d("2023-04-01")));
        assert_eq!(s.falling_due.map(|p| p.start), Some(d("2023-05-01")));
    }

    #[test]
    fn weeks_start_on_monday_and_quarters_in_january_april_july_october() {
        let days = Length {
            n: 3,
            unit: TimeUnit::Days,
        };
        // 2024-06-30 is a Sunday: the week of Monday 24 June is in progress.
        let s = standing(d("2024-06-26"), PeriodUnit::Week, days, d("2024-06-30"));
        assert_eq!(
            s.in_progress.map(|p| (p.start, p.due)),
            Some((d("2024-06-24"), d("2024-07-03")))
        );
        let s = standing(d("2024-05-15"), PeriodUnit::Quarter, days, d("2024-07-02"));
        assert_eq!(
            s.falling_due.map(|p| (p.start, p.end, p.due)),
            Some((d("2024-04-01"), d("2024-06-30"), d("2024-07-03")))
        );
    }
}
