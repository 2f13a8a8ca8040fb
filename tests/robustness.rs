//! Robustness of the core and the library API (first written as an
//! independent review's probes): foreign or odd inputs never panic, and the
//! deepest expression the parser accepts is checked, judged and rendered on
//! a 2 MiB thread; a deeper one is refused with a located error.

use obligo::api::{self, Dates, Explainer, FactValue, FactsBuilder, Format, Plan, Verdict};

use crate::common::d;

const A: &str = r#"ruleset a "A" version "t.1" published 2020-01-01
authority contract "The contract" binding
source s "Source" by contract published 2020-01-01
fact x: bool "X" ask "X?"
fact happened: date, optional "When" ask "When?"
fact kind: one of P, Q "Kind" ask "Kind?"
define live = x and happened is set
obligation r "R" by contract
  version from 2020-01-01 published 2020-01-01 cites s
    applies when kind is one of (P)
    deadline 2021-01-01
    met when live
    met on happened
"#;

// Same shape of ids, other types at each index, and more rules than A.
const B: &str = r#"ruleset b "B" version "t.1" published 2020-01-01
authority contract "The contract" binding
source s "Source" by contract published 2020-01-01
fact n: number "N" ask "N?"
fact kind: one of U, V, W "Kind" ask "Kind?"
fact happened: datetime, optional "When" ask "When?"
fact extra: count "Extra" ask "Extra?"
define big = n > 3
obligation r "R" by contract
  version from 2020-01-01 published 2020-01-01 cites s
    met when big and kind = W
obligation s2 "S" by contract
  version from 2020-01-01 published 2020-01-01 cites s
    deadline 2021-01-01
    met when extra > 1
"#;

fn dates(as_of: &str) -> Dates {
    Dates {
        as_of: d(as_of),
        known_on: d("2025-01-01"),
    }
}

#[test]
fn facts_of_another_ruleset_are_unknown_never_misread() {
    let a = api::load_text("a.obl", A).unwrap();
    let b = api::load_text("b.obl", B).unwrap();
    let fa = FactsBuilder::new(&a)
        .with("x", true)
        .unwrap()
        .with("happened", d("2020-06-01"))
        .unwrap()
        .with("kind", "Q")
        .unwrap()
        .build();
    let fb = FactsBuilder::new(&b)
        .with("n", 5.0)
        .unwrap()
        .with("kind", "W")
        .unwrap()
        .with("extra", 7u32)
        .unwrap()
        .build();
    let pa = Plan::new(&a, dates("2022-01-01"));
    let pb = Plan::new(&b, dates("2022-01-01"));
    for (p, f) in [(&pa, &fb), (&pb, &fa)] {
        let out = p.evaluate(f);
        // Read by another schema, every fact is unknown.
        let none = p.evaluate(&FactsBuilder::new(p.ruleset()).build());
        assert_eq!(out, none);
        let _ = Verdict::of(p.ruleset(), &out);
        for fmt in [Format::Text, Format::Json, Format::Markdown, Format::Html] {
            let _ = api::render(p, std::slice::from_ref(f), fmt);
        }
        for r in ["r", "s2"] {
            let _ = api::explain(p, f, r, false);
            let _ = api::explain(p, f, r, true);
        }
        let mut ex = Explainer::new(p, f);
        for o in &out {
            let _ = ex.explain(o);
        }
    }
}

#[test]
fn explaining_an_outcome_of_another_ruleset_does_not_panic() {
    let a = api::load_text("a.obl", A).unwrap();
    let b = api::load_text("b.obl", B).unwrap();
    let fa = FactsBuilder::new(&a).with("kind", "Q").unwrap().build();
    let fb = FactsBuilder::new(&b)
        .with("n", 5.0)
        .unwrap()
        .with("kind", "W")
        .unwrap()
        .build();
    let pa = Plan::new(&a, dates("2022-01-01"));
    let pb = Plan::new(&b, dates("2022-01-01"));
    // Outcomes of B judged against A's ruleset and explainer.
    let ob = pb.evaluate(&fb);
    let _ = Verdict::of(&a, &ob);
    let mut ex = Explainer::new(&pa, &fa);
    for o in &ob {
        let _ = ex.explain(o);
    }
}

#[test]
fn explaining_an_outcome_of_another_plan_does_not_panic() {
    let a = api::load_text("a.obl", A).unwrap();
    let f = FactsBuilder::new(&a)
        .with("kind", "P")
        .unwrap()
        .with("x", false)
        .unwrap()
        .with("happened", FactValue::Empty)
        .unwrap()
        .build();
    let early = Plan::new(&a, dates("2020-06-01"));
    let late = Plan::new(&a, dates("2022-06-01"));
    // Pending in 2020, overdue in 2022.
    let o = late.outcome(&f, a.rule_named("r").unwrap()).unwrap();
    let mut ex = Explainer::new(&early, &f);
    // Not a decision this explainer's plan made: nothing to explain.
    assert!(ex.explain(&o).is_empty());
    let mine = early.outcome(&f, o.rule).unwrap();
    assert!(!ex.explain(&mine).is_empty());
}

#[test]
fn an_empty_ruleset_does_not_panic() {
    let e = api::load_text(
        "e.obl",
        "ruleset e \"E\" version \"t.1\" published 2020-01-01\n",
    )
    .unwrap();
    let f = FactsBuilder::new(&e).build();
    let p = Plan::new(&e, dates("2022-01-01"));
    let out = p.evaluate(&f);
    assert!(out.is_empty());
    assert_eq!(Verdict::of(&e, &out), Verdict::Compliant);
    for fmt in [Format::Text, Format::Json, Format::Markdown, Format::Html] {
        let _ = api::render(&p, std::slice::from_ref(&f), fmt);
        let _ = api::render(&p, &[], fmt);
    }
    assert!(api::explain(&p, &f, "r", false).is_err());
    let y = api::facts_from_yaml(&e, "e.yaml", "facts: {}\n");
    let _ = y;
}

#[test]
fn odd_values_in_code_do_not_panic() {
    let b = api::load_text("b.obl", B).unwrap();
    let p = Plan::new(&b, dates("2022-01-01"));
    let tries: Vec<(&str, FactValue)> = vec![
        ("n", FactValue::Number(f64::NAN)),
        ("n", FactValue::Number(f64::INFINITY)),
        ("n", FactValue::Number(-0.0)),
        ("n", FactValue::Integer(i64::MAX)),
        ("n", FactValue::Integer(i64::MIN)),
        ("extra", FactValue::Integer(i64::MIN)),
        ("extra", FactValue::Integer(i64::MAX)),
        ("extra", FactValue::Number(1e300)),
        ("extra", FactValue::Number(f64::NAN)),
        ("extra", FactValue::Number(2.5)),
        ("happened", FactValue::Date(chrono::NaiveDate::MAX)),
        ("happened", FactValue::Date(chrono::NaiveDate::MIN)),
        ("happened", FactValue::DateTime(chrono::NaiveDateTime::MAX)),
        ("happened", FactValue::Text("2023-13-45T25:61".into())),
        (
            "happened",
            FactValue::Text("2023-01-01T10:00:00+05:00".into()),
        ),
        ("happened", FactValue::Text("".into())),
        ("kind", FactValue::Text("w".into())),
        ("kind", FactValue::Text("ééééééééééé".into())),
        ("kind", FactValue::Bool(true)),
    ];
    for (name, v) in tries {
        let shown = format!("{name} = {v:?}");
        let Ok(f) = FactsBuilder::new(&b).with(name, v) else {
            continue;
        };
        let f = f.build();
        let out = p.evaluate(&f);
        let _ = Verdict::of(&b, &out);
        for fmt in [Format::Text, Format::Json, Format::Markdown, Format::Html] {
            let _ = api::render(&p, std::slice::from_ref(&f), fmt);
        }
        let _ = api::explain(&p, &f, "r", false);
        eprintln!("accepted {shown}");
    }
}

/// A rule whose `met when` is `levels` brackets deep, each holding 255
/// `and`s: within the parser's limits (64 brackets, 256 operators per
/// expression), so it should load or be refused with a located error.
fn deep_rules(levels: usize) -> String {
    deep_rules_of(levels, 255)
}

/// [`deep_rules`] with `ands` per bracket.
fn deep_rules_of(levels: usize, ands: usize) -> String {
    let mut x = "a".to_string();
    for _ in 0..levels {
        x = format!("({x}{})", " and b".repeat(ands));
    }
    format!(
        "ruleset rb \"Robust\" version \"t.1\" published 2020-01-01\n\
         authority contract \"The contract\" binding\n\
         source s \"Source\" by contract published 2020-01-01\n\
         fact a: bool \"A\" ask \"A?\"\nfact b: bool \"B\" ask \"B?\"\n\
         obligation r \"R\" by contract\n  version from 2020-01-01 published 2020-01-01 cites s\n    met when {x}\n"
    )
}

#[test]
fn the_deepest_accepted_expression_fits_a_2_mib_thread() {
    // 127 operations deep, the most the parser takes (128): a rule of 120
    // `and`s, in brackets.
    let text = deep_rules_of(1, 126);
    let h = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let rs = api::load_text("deep.obl", &text).unwrap();
            let f = FactsBuilder::new(&rs).with("a", true).unwrap().build();
            let p = Plan::new(&rs, dates("2022-01-01"));
            let out = p.evaluate(&f);
            assert_eq!(out[0].status, obligo::api::Status::Unknown);
            assert_eq!(out[0].missing.len(), 1, "b is missing");
            for format in [Format::Text, Format::Json, Format::Markdown, Format::Html] {
                let _ = api::render(&p, std::slice::from_ref(&f), format);
            }
            out.len()
        })
        .unwrap();
    assert_eq!(h.join().unwrap(), 1);
}

#[test]
fn a_deeper_expression_is_refused_with_a_located_error() {
    let dir = std::env::temp_dir().join(format!("obligo-deep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("r.obl"), deep_rules(64)).unwrap();
    std::fs::write(dir.join("f.yaml"), "facts:\n  a: true\n").unwrap();
    let rules = dir.to_string_lossy().into_owned();
    let facts = dir.join("f.yaml").to_string_lossy().into_owned();
    let (code, _, err) = crate::common::obligo(&[
        "check",
        "--rules",
        &rules,
        &facts,
        "--as-of",
        "2022-01-01",
        "--error-format",
        "plain",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 2, "{}", err.chars().take(300).collect::<String>());
    assert!(
        err.contains("r.obl:8:"),
        "{}",
        err.chars().take(300).collect::<String>()
    );
    assert!(err.contains("is more than 128 operations deep"));
    assert!(err.contains("split it into named definitions"));
}
