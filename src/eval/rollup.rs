//! A rule judged item by item takes its status from its items, in a fixed
//! order: overdue if any item is overdue; else unknown if any is unknown;
//! else pending if any is pending; else met late if any was met late; else
//! met if any is met; else (no item applies, or there are none) not
//! applicable. The rule's deadline, days and missing facts are those of
//! the item that decides it: the most overdue, the soonest due (and its
//! day met, when it is the only item).

use super::{Deadline, Outcome, Status};

/// How strongly a status of an item decides the rule's (lowest first); 5
/// and above never decide it (not applicable, then not in force, ended).
/// Reports list items in this order too.
pub fn rank(s: Status) -> u8 {
    match s {
        Status::Overdue => 0,
        Status::Unknown => 1,
        Status::Pending => 2,
        Status::MetLate => 3,
        Status::Met => 4,
        Status::NotApplicable => 5,
        Status::NotInForce => 6,
        Status::Ended => 7,
    }
}

/// The item that decides the rule: the strongest status, and among equals
/// the earliest deadline (most days overdue, fewest days left), then the
/// first in the list.
pub fn deciding(items: &[Outcome]) -> Option<&Outcome> {
    items
        .iter()
        .filter(|o| rank(o.status) < 5)
        .min_by_key(|o| (rank(o.status), o.days_to_deadline.unwrap_or(i64::MAX)))
}

/// Sets `out`'s status, deadline and missing facts from `out.items`.
pub(crate) fn roll_up(out: &mut Outcome) {
    let Some(d) = deciding(&out.items) else {
        out.status = Status::NotApplicable;
        out.deadline = Deadline::None;
        out.days_to_deadline = None;
        return;
    };
    out.status = d.status;
    out.deadline = d.deadline;
    out.days_to_deadline = d.days_to_deadline;
    out.due_soon = d.due_soon;
    // The day one of many items was met says nothing of the rule.
    out.met_on = if out.items.len() == 1 { d.met_on } else { None };
    out.period = d.period;
    out.missing.clear();
    if out.status == Status::Unknown {
        for o in &out.items {
            if o.status == Status::Unknown {
                out.missing.extend_from_slice(&o.missing);
            }
        }
        out.missing.sort_unstable();
        out.missing.dedup();
    }
}

/// How many items have each status, in [`Status::ALL`]'s order.
pub fn counts(items: &[Outcome]) -> [usize; 8] {
    let mut out = [0; 8];
    for o in items {
        if let Some(i) = Status::ALL.iter().position(|s| *s == o.status)
            && let Some(c) = out.get_mut(i)
        {
            *c += 1;
        }
    }
    out
}
