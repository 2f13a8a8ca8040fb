//! Items in the core: each item's own status, the roll-up order, `for each
//! period`, aggregates three-valued, versions over items, and items built
//! in code.

use obligo::eval::{Status, rollup};
use obligo::facts::{FactValue, FactsBuilder};

use crate::common::{d, facts, result_on, ruleset_text};

const RULES: &str = r#"
ruleset t "T" version "1" published 2020-01-01
authority a "A" binding
source s "S" by a published 2020-01-01

fact registered: count "Patients" ask "How many patients?"
fact plan_sent: date, optional "Plan sent" ask "When was the plan sent?"

item sar "request", "requests" ask "List every request"
  field received: date "Received" ask "When was it received?"
  field answered: date, optional "Answered" ask "When was it answered?"
  field urgent: bool "Urgent" ask "Was it urgent?"
  field fee: number, optional "Fee" ask "What fee was charged?"

item report "report", "reports" ask "List every report sent"
  field month: month "Month covered" ask "Which month does it cover?"
  field sent: date, optional "Date sent" ask "When was it sent?"

obligation answer "Answer each request within a month" by a
  for each sar where not sar.urgent
  version from 2020-01-01 published 2020-01-01 cites s
    deadline 1 month after sar.received
    met when sar.answered is set
    met on sar.answered
  version from 2024-06-01 published 2020-01-01 cites s
    deadline 10 days after sar.received
    met when sar.answered is set
    met on sar.answered

obligation monthly "Report every month" by a
  for each period
  version from 2020-01-01 published 2020-01-01 cites s
    deadline every month from plan_sent, due 10 days after it ends
    met when any report where report.month = period

obligation monthly-on-time "Report every month, on time" by a
  for each period
  version from 2020-01-01 published 2020-01-01 cites s
    deadline every month from plan_sent, due 10 days after it ends
    met when any report where report.month = period and report.sent is set
    met on earliest report.sent where report.month = period

obligation few-open "Fewer than two open requests" by a
  version from 2020-01-01 published 2020-01-01 cites s
    met when (count of sar where sar.answered is missing) < 2

obligation all-answered "Every request answered" by a
  version from 2020-01-01 published 2020-01-01 cites s
    met when all sar where sar.answered is set

obligation some-urgent "An urgent request" by a
  version from 2020-01-01 published 2020-01-01 cites s
    met when any sar where sar.urgent

obligation first-early "The first request came before March" by a
  version from 2020-01-01 published 2020-01-01 cites s
    met when earliest sar.received < 2024-03-01

obligation fees "Fees under 20" by a
  version from 2020-01-01 published 2020-01-01 cites s
    met when sum of sar.fee < 20
"#;

fn rules() -> obligo::model::Ruleset {
    ruleset_text(RULES)
}

const FACTS: &str = "
facts:
  registered: 10
  plan_sent: 2024-01-15
items:
  sar:
    - id: A
      received: 2024-02-01
      answered: 2024-02-20
      urgent: false
    - id: B
      received: 2024-03-01
      answered: null
      urgent: false
    - id: C
      received: 2024-03-20
      answered: null
      urgent: true
  report:
    - month: 2024-01
    - month: 2024-03
";

/// Each item's status (by id) and the rule's.
fn items(yaml: &str, rule: &str, date: &str) -> (Status, Vec<(String, Status)>) {
    let rs = rules();
    let f = facts(&rs, "f", yaml);
    let o = result_on(&rs, yaml, rule, date);
    let named = o
        .items
        .iter()
        .map(|i| {
            let key = match i.item {
                Some(k) if i.period.is_none() => f
                    .items_in(&rs, rs.kind_named("sar").unwrap())
                    .and_then(|l| l.get(k as usize))
                    .and_then(|x| x.id.clone())
                    .unwrap_or_default(),
                _ => i
                    .period
                    .map(|p| p.format("%Y-%m").to_string())
                    .unwrap_or_default(),
            };
            (key, i.status)
        })
        .collect();
    (o.status, named)
}

fn s(v: &[(&str, Status)]) -> Vec<(String, Status)> {
    v.iter().map(|(k, st)| (k.to_string(), *st)).collect()
}

#[test]
fn each_item_has_its_own_status_on_both_sides_of_its_deadline() {
    // B was received on 1 March: due 1 April. C is urgent, so not judged.
    let (rule, each) = items(FACTS, "answer", "2024-04-01");
    assert_eq!(each, s(&[("A", Status::Met), ("B", Status::Pending)]));
    assert_eq!(rule, Status::Pending);
    let (rule, each) = items(FACTS, "answer", "2024-04-02");
    assert_eq!(each, s(&[("A", Status::Met), ("B", Status::Overdue)]));
    assert_eq!(rule, Status::Overdue);
}

#[test]
fn the_rule_takes_the_deciding_items_deadline() {
    let rs = rules();
    let o = result_on(&rs, FACTS, "answer", "2024-04-05");
    assert_eq!(o.deadline.day(), Some(d("2024-04-01")));
    assert_eq!(o.days_overdue(), Some(4));
    assert_eq!(rollup::deciding(&o.items).and_then(|i| i.item), Some(1));
    let counts = rollup::counts(&o.items);
    let at = |s: Status| counts[Status::ALL.iter().position(|x| *x == s).unwrap()];
    assert_eq!((at(Status::Met), at(Status::Overdue)), (1, 1));
}

#[test]
fn an_item_with_a_field_missing_is_unknown_and_names_it() {
    let yaml = FACTS.replace(
        "      answered: null\n      urgent: false\n",
        "      urgent: false\n",
    );
    let rs = rules();
    let o = result_on(&rs, &yaml, "answer", "2024-03-10");
    assert_eq!(o.status, Status::Unknown);
    let answered = rs
        .facts
        .iter()
        .position(|f| f.name == "sar.answered")
        .unwrap();
    assert_eq!(
        o.items[1]
            .missing
            .iter()
            .map(|f| f.index())
            .collect::<Vec<_>>(),
        vec![answered]
    );
    assert_eq!(o.missing, o.items[1].missing);
    // Once overdue elsewhere, overdue wins over unknown.
    let late = yaml.replace(
        "received: 2024-02-01\n      answered: 2024-02-20",
        "received: 2024-01-01\n      answered: null",
    );
    assert_eq!(
        result_on(&rs, &late, "answer", "2024-03-10").status,
        Status::Overdue
    );
}

#[test]
fn no_list_is_unknown_and_an_empty_list_is_not_applicable() {
    let rs = rules();
    let none = "facts:\n  registered: 1\n";
    let o = result_on(&rs, none, "answer", "2024-04-01");
    assert_eq!(o.status, Status::Unknown);
    assert_eq!(o.missing, vec![rs.kinds[0].list]);
    assert_eq!(
        result_on(&rs, none, "few-open", "2024-04-01").status,
        Status::Unknown
    );
    let empty = "facts:\n  registered: 1\nitems:\n  sar: []\n";
    assert_eq!(
        result_on(&rs, empty, "answer", "2024-04-01").status,
        Status::NotApplicable
    );
    assert_eq!(
        result_on(&rs, empty, "few-open", "2024-04-01").status,
        Status::Met
    );
    assert_eq!(
        result_on(&rs, empty, "all-answered", "2024-04-01").status,
        Status::Met
    );
    assert_eq!(
        result_on(&rs, empty, "some-urgent", "2024-04-01").status,
        Status::Overdue
    );
    // No earliest date of nothing: the comparison is false, not unknown.
    assert_eq!(
        result_on(&rs, empty, "first-early", "2024-04-01").status,
        Status::Overdue
    );
}

#[test]
fn the_version_in_force_on_the_date_judged_judges_every_item() {
    // From 1 June 2024 a request is due 10 days after receipt, including
    // one received in May under the month-long version.
    let yaml = "items:\n  sar:\n    - id: M\n      received: 2024-05-25\n      answered: null\n      urgent: false\n";
    assert_eq!(
        items(yaml, "answer", "2024-05-31"),
        (Status::Pending, s(&[("M", Status::Pending)]))
    );
    // Judged on 5 June: due 4 June under the new version, so overdue.
    assert_eq!(
        items(yaml, "answer", "2024-06-05"),
        (Status::Overdue, s(&[("M", Status::Overdue)]))
    );
}

#[test]
fn every_period_is_its_own_item_so_a_missed_month_is_overdue() {
    // Reports for January and March, none for February.
    let (rule, each) = items(FACTS, "monthly", "2024-04-05");
    assert_eq!(
        each,
        s(&[
            ("2024-01", Status::Met),
            ("2024-02", Status::Overdue),
            ("2024-03", Status::Met)
        ])
    );
    assert_eq!(rule, Status::Overdue);
    // Before February's report was due (10 March), it was pending.
    let (rule, each) = items(FACTS, "monthly", "2024-03-10");
    assert_eq!(
        each,
        s(&[("2024-01", Status::Met), ("2024-02", Status::Pending)])
    );
    assert_eq!(rule, Status::Pending);
    // With February sent too, all met; the deadline shown is April's.
    let all = FACTS.replace(
        "    - month: 2024-03\n",
        "    - month: 2024-02\n    - month: 2024-03\n",
    );
    let rs = rules();
    let o = result_on(&rs, &all, "monthly", "2024-04-05");
    assert_eq!(o.status, Status::Met);
    assert_eq!(o.deadline.day(), Some(d("2024-05-10")));
    // Before the first month ends: pending, nothing judged yet.
    let o = result_on(&rs, FACTS, "monthly", "2024-01-20");
    assert_eq!((o.status, o.items.len()), (Status::Pending, 0));
    assert_eq!(o.deadline.day(), Some(d("2024-02-10")));
}

#[test]
fn aggregates_are_unknown_only_when_an_unknown_could_change_them() {
    let rs = rules();
    let at = "2024-04-05";
    let base = |rest: &str| format!("items:\n  sar:\n{rest}");
    let item =
        |id: &str, extra: &str| format!("    - id: {id}\n      received: 2024-02-01\n{extra}");
    // `any`: one urgent item settles it, whatever the others are.
    let y = base(&(item("A", "      urgent: true\n") + &item("B", "")));
    assert_eq!(result_on(&rs, &y, "some-urgent", at).status, Status::Met);
    let y = base(&(item("A", "      urgent: false\n") + &item("B", "")));
    assert_eq!(
        result_on(&rs, &y, "some-urgent", at).status,
        Status::Unknown
    );
    // `all`: one unanswered item settles it.
    let y = base(&(item("A", "      answered: null\n") + &item("B", "")));
    assert_eq!(
        result_on(&rs, &y, "all-answered", at).status,
        Status::Overdue
    );
    // `count`: an undecided item could change the count.
    let y = base(&(item("A", "      answered: 2024-02-02\n") + &item("B", "")));
    assert_eq!(result_on(&rs, &y, "few-open", at).status, Status::Unknown);
    // `earliest`: an item whose date is unknown could be earlier.
    let y = base(&(item("A", "") + "    - id: B\n"));
    assert_eq!(
        result_on(&rs, &y, "first-early", at).status,
        Status::Unknown
    );
    // `sum`: an empty fee adds nothing; an unknown one could add anything.
    let y = base(&(item("A", "      fee: 5\n") + &item("B", "      fee: null\n")));
    assert_eq!(result_on(&rs, &y, "fees", at).status, Status::Met);
    let y = base(&(item("A", "      fee: 5\n") + &item("B", "")));
    assert_eq!(result_on(&rs, &y, "fees", at).status, Status::Unknown);
}

#[test]
fn a_date_after_the_date_judged_has_not_happened_in_an_item_either() {
    // A was answered on 20 February: judged on 10 February it is still open.
    let rs = rules();
    let o = result_on(&rs, FACTS, "answer", "2024-02-10");
    assert_eq!(o.items[0].status, Status::Pending);
    assert_eq!(o.items[0].deadline.day(), Some(d("2024-03-01")));
    // B is received later: its deadline is not set yet (a rule can leave
    // such items out with `where sar.received is set`).
    assert_eq!(o.items[1].status, Status::Pending);
    assert_eq!(o.items[1].deadline, obligo::eval::Deadline::NotYetSet);
}

#[test]
fn items_built_in_code_are_checked_like_a_facts_file() {
    let rs = rules();
    let mut b = FactsBuilder::new(&rs);
    b.item(
        "sar",
        Some("X"),
        [
            ("received", FactValue::from(d("2024-03-01"))),
            ("answered", FactValue::Empty),
            ("urgent", FactValue::from(false)),
        ],
    )
    .unwrap();
    let err = b.item("sar", Some("X"), []).unwrap_err().to_string();
    assert_eq!(err, "two `sar` items have the id `X`");
    let err = b.item(
        "sar",
        None,
        [("recieved", FactValue::from(d("2024-03-01")))],
    );
    assert!(format!("{:?}", err.unwrap_err()).contains("received"));
    assert!(b.item("sars", None, []).is_err());
    b.no_items("report").unwrap();
    let f = b.build();
    let plan = obligo::eval::Plan::new(
        &rs,
        obligo::eval::Dates {
            as_of: d("2024-04-05"),
            known_on: d("2024-04-05"),
        },
    );
    let out = plan.evaluate(&f);
    let answer = out
        .iter()
        .find(|o| o.rule == rs.rule_named("answer").unwrap())
        .unwrap();
    assert_eq!(answer.status, Status::Overdue);
}

#[test]
fn aggregates_nested_over_two_long_lists_stop_at_a_budget() {
    // Each `a` item looks at every `b` item: 3,200 × 3,200 is past the
    // budget (10 million), so the answer is unknown, in a second rather
    // than hours later for longer lists.
    let rs = ruleset_text(
        r#"
ruleset t "T" version "1" published 2020-01-01
authority x "X" binding
source s "S" by x published 2020-01-01
item a "a", "as" ask "List them"
  field n: count "N" ask "N?"
item b "b", "bs" ask "List them"
  field n: count "N" ask "N?"
obligation pairs "Some pair matches" by x
  version from 2020-01-01 published 2020-01-01 cites s
    met when any a where any b where b.n = a.n + 1000000
"#,
    );
    let mut yaml = String::from("items:\n  a:\n");
    for i in 0..3200 {
        yaml.push_str(&format!("    - n: {i}\n"));
    }
    yaml.push_str("  b:\n");
    for i in 0..3200 {
        yaml.push_str(&format!("    - n: {i}\n"));
    }
    let o = result_on(&rs, &yaml, "pairs", "2024-01-01");
    assert_eq!(o.status, Status::Unknown);
    // Small lists are judged in full.
    let small = "items:\n  a:\n    - n: 1\n  b:\n    - n: 1000001\n";
    assert_eq!(
        result_on(&rs, small, "pairs", "2024-01-01").status,
        Status::Met
    );
}

#[test]
fn a_period_met_after_its_due_date_is_met_late() {
    // January's report was sent on 5 February (due 10 February), March's
    // on 20 April (due 10 April); February's is missing.
    let yaml = FACTS
        .replace(
            "    - month: 2024-01\n",
            "    - month: 2024-01\n      sent: 2024-02-05\n",
        )
        .replace(
            "    - month: 2024-03\n",
            "    - month: 2024-03\n      sent: 2024-04-20\n",
        );
    let (rule, each) = items(&yaml, "monthly-on-time", "2024-04-25");
    assert_eq!(
        each,
        s(&[
            ("2024-01", Status::Met),
            ("2024-02", Status::Overdue),
            ("2024-03", Status::MetLate)
        ])
    );
    assert_eq!(rule, Status::Overdue);
    // Judged before March's report was sent, March is overdue too.
    let (_, each) = items(&yaml, "monthly-on-time", "2024-04-15");
    assert_eq!(each[2], ("2024-03".to_string(), Status::Overdue));
    // A report whose sending date is not given: met, but when is unknown.
    let (_, each) = items(FACTS, "monthly-on-time", "2024-04-25");
    assert_eq!(each[0], ("2024-01".to_string(), Status::Unknown));
}
