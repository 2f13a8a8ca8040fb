//! Properties of items, over generated lists:
//!
//! 1. An unknown field never gives a wrong answer: for every rule (a rule
//!    `for each` item, and rules over aggregates: count, any, all, sum,
//!    earliest, latest), if the status with some fields left out is
//!    decided, then every way of filling them in gives that same status.
//! 2. Leaving fields out only ever turns a status unknown, and an unknown
//!    outcome names a missing field (or the list) among its missing facts.
//! 3. An item's status does not depend on the other items: judging a list
//!    gives each item the status it has when judged alone.

use proptest::prelude::*;

use obligo::eval::{Dates, Plan, Status};
use obligo::model::Ruleset;

use crate::common::{d, facts, ruleset_text};

const RULES: &str = r#"
ruleset t "T" version "1" published 2020-01-01
authority a "A" binding
source s "S" by a published 2020-01-01

item sar "request", "requests" ask "List every request"
  field received: date "Received" ask "When was it received?"
  field answered: date, optional "Answered" ask "When was it answered?"
  field urgent: bool "Urgent" ask "Was it urgent?"
  field fee: number, optional "Fee" ask "What fee was charged?"

obligation answer "Answer each request" by a
  for each sar where not sar.urgent
  version from 2020-01-01 published 2020-01-01 cites s
    deadline 1 month after sar.received
    met when sar.answered is set
    met on sar.answered
obligation few-open "Fewer than two open" by a
  version from 2020-01-01 published 2020-01-01 cites s
    met when (count of sar where sar.answered is missing) < 2
obligation all-answered "All answered" by a
  version from 2020-01-01 published 2020-01-01 cites s
    met when all sar where sar.answered is set or sar.urgent
obligation some-urgent "Some urgent" by a
  version from 2020-01-01 published 2020-01-01 cites s
    met when any sar where sar.urgent and sar.fee > 0
obligation first-early "First before March" by a
  version from 2020-01-01 published 2020-01-01 cites s
    met when (earliest sar.received where not sar.urgent) < 2024-03-01
obligation last-late "Last answer after March" by a
  version from 2020-01-01 published 2020-01-01 cites s
    met when latest sar.answered > 2024-03-15
obligation fees "Fees under 20" by a
  version from 2020-01-01 published 2020-01-01 cites s
    met when (sum of sar.fee where sar.urgent) < 20
"#;

fn rules() -> &'static Ruleset {
    static RS: std::sync::OnceLock<Ruleset> = std::sync::OnceLock::new();
    RS.get_or_init(|| ruleset_text(RULES))
}

/// One field of one item: its YAML line, or `None` to leave it out.
type Field = Option<String>;

/// An item: received, answered, urgent, fee.
#[derive(Debug, Clone)]
struct Item([Field; 4]);

fn day() -> impl Strategy<Value = String> {
    (0u32..120).prop_map(|n| (d("2024-01-01") + chrono::Days::new(u64::from(n))).to_string())
}

fn field(i: usize) -> BoxedStrategy<String> {
    match i {
        0 => day().prop_map(|x| format!("received: {x}")).boxed(),
        1 => prop_oneof![
            Just("answered: null".to_string()),
            day().prop_map(|x| format!("answered: {x}"))
        ]
        .boxed(),
        2 => any::<bool>().prop_map(|b| format!("urgent: {b}")).boxed(),
        _ => prop_oneof![
            Just("fee: null".to_string()),
            (0u32..15).prop_map(|n| format!("fee: {n}"))
        ]
        .boxed(),
    }
}

/// A complete item, and which of its fields to leave out (each about one
/// time in two).
fn item() -> impl Strategy<Value = (Item, [bool; 4])> {
    (field(0), field(1), field(2), field(3), any::<[bool; 4]>())
        .prop_map(|(a, b, c, e, out)| (Item([Some(a), Some(b), Some(c), Some(e)]), out))
}

fn yaml(items: &[Item]) -> String {
    let mut y = String::from("items:\n  sar:\n");
    if items.is_empty() {
        return "items:\n  sar: []\n".into();
    }
    for (k, it) in items.iter().enumerate() {
        y.push_str(&format!("    - id: R{k}\n"));
        for f in it.0.iter().flatten() {
            y.push_str(&format!("      {f}\n"));
        }
    }
    y
}

/// Every rule's status, and for `answer` each item's, on `as_of`.
fn judge(items: &[Item], as_of: &str) -> Vec<(Status, Vec<Status>, Vec<usize>)> {
    let rs = rules();
    let f = facts(rs, "f", &yaml(items));
    let plan = Plan::new(
        rs,
        Dates {
            as_of: d(as_of),
            known_on: d(as_of),
        },
    );
    plan.evaluate(&f)
        .into_iter()
        .map(|o| {
            (
                o.status,
                o.items.iter().map(|i| i.status).collect(),
                o.missing.iter().map(|m| m.index()).collect(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn unknown_fields_never_give_a_wrong_answer(
        list in prop::collection::vec(item(), 0..5),
        as_of in day(),
        // A second complete value for each field left out.
        fill in prop::collection::vec((field(0), field(1), field(2), field(3)), 5),
    ) {
        let full: Vec<Item> = list.iter().map(|(i, _)| i.clone()).collect();
        let partial: Vec<Item> = list
            .iter()
            .map(|(i, out)| {
                let mut p = i.clone();
                for (f, o) in p.0.iter_mut().zip(out) {
                    if *o {
                        *f = None;
                    }
                }
                p
            })
            .collect();
        let other: Vec<Item> = list
            .iter()
            .zip(&fill)
            .map(|((i, out), (a, b, c, e))| {
                let alt = [a, b, c, e];
                let mut p = i.clone();
                for ((f, o), x) in p.0.iter_mut().zip(out).zip(alt) {
                    if *o {
                        *f = Some(x.clone());
                    }
                }
                p
            })
            .collect();
        let known = judge(&partial, &as_of);
        for completed in [judge(&full, &as_of), judge(&other, &as_of)] {
            for (k, ((ps, _, missing), (cs, _, _))) in known.iter().zip(&completed).enumerate() {
                if *ps != Status::Unknown {
                    prop_assert_eq!(ps, cs, "rule {} decided without the fields, differently", k);
                } else {
                    prop_assert!(!missing.is_empty(), "rule {} unknown without naming a missing fact", k);
                }
            }
        }
    }

    #[test]
    fn an_items_status_does_not_depend_on_the_others(
        list in prop::collection::vec(item(), 1..5),
        as_of in day(),
    ) {
        let full: Vec<Item> = list.iter().map(|(i, _)| i.clone()).collect();
        let together = &judge(&full, &as_of)[0].1;
        // The items `answer` judges, alone, in order (urgent ones are left out).
        let alone: Vec<Status> = full
            .iter()
            .flat_map(|i| judge(std::slice::from_ref(i), &as_of)[0].1.clone())
            .collect();
        prop_assert_eq!(together, &alone);
    }
}
