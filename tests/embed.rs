//! The embedding example (`examples/embed.rs`) runs, and the library API
//! gives typed errors and the same statuses as the command line.

#[path = "../examples/embed.rs"]
mod example;

use obligo::api::{self, Dates, FactError, FactsBuilder, Format, Plan};

use crate::common::d;

#[test]
fn the_embedding_example_runs() {
    example::main().unwrap();
}

#[test]
fn facts_built_in_code_are_checked_like_a_facts_file() {
    let rules = api::load_bundled().unwrap();
    let err = FactsBuilder::new(&rules)
        .with("contract_typ", "GMS")
        .unwrap_err();
    assert!(
        matches!(&err, FactError::UnknownFact { name, help: Some(h) } if name == "contract_typ" && h.contains("contract_type")),
        "{err:?}"
    );
    let err = FactsBuilder::new(&rules)
        .with("contract_type", "GSM")
        .unwrap_err();
    let FactError::InvalidValue {
        fact,
        message,
        help,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(fact, "contract_type");
    assert!(message.contains("`GSM`"), "{message}");
    assert!(help.as_deref().unwrap_or("").contains("GMS"), "{help:?}");
    // The same words as a facts file gives.
    let yaml =
        api::facts_from_yaml(&rules, "f.yaml", "facts:\n  contract_type: GSM\n").unwrap_err();
    let api::Error::Facts(problems) = &yaml else {
        panic!("{yaml:?}");
    };
    assert_eq!(problems.diagnostics[0].message, *message);
    assert!(
        problems.render().contains("f.yaml:2:18"),
        "{}",
        problems.render()
    );
    // Yes/no, percentages and empty values follow the schema too.
    assert!(
        FactsBuilder::new(&rules)
            .with("practice_in_england", "yes")
            .is_err()
    );
    assert!(
        FactsBuilder::new(&rules)
            .with("pct_patients_excluded", 150.0)
            .is_err()
    );
    assert!(
        FactsBuilder::new(&rules)
            .with("practice_in_england", api::FactValue::Empty)
            .is_err()
    );
    assert!(
        FactsBuilder::new(&rules)
            .with("implementation_plan_date", api::FactValue::Empty)
            .is_ok()
    );
}

#[test]
fn facts_in_code_and_in_yaml_give_the_same_report() {
    let rules = api::load_bundled().unwrap();
    let whole =
        std::fs::read_to_string(crate::common::root().join("examples/paused-emis.yaml")).unwrap();
    // The facts only: lists of items are not built in code here.
    let text = whole.split("\nitems:\n").next().unwrap().to_string();
    let from_yaml = api::facts_from_yaml(&rules, "paused.yaml", &text).unwrap();
    let mut built = FactsBuilder::new(&rules).source("paused.yaml");
    if let Some(n) = &from_yaml.name {
        built = built.name(n.clone());
    }
    if let Some(i) = &from_yaml.id {
        built = built.id(i.clone());
    }
    if let Some(r) = from_yaml.recorded {
        built = built.recorded(r);
    }
    // Every fact of the YAML file, given again in code.
    let yaml: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    for (name, value) in yaml["facts"].as_object().unwrap() {
        let v: api::FactValue = match value {
            serde_json::Value::Bool(b) => (*b).into(),
            serde_json::Value::Number(n) if n.is_i64() => n.as_i64().unwrap().into(),
            serde_json::Value::Number(n) => n.as_f64().unwrap().into(),
            serde_json::Value::String(s) => s.as_str().into(),
            serde_json::Value::Null => api::FactValue::Empty,
            other => panic!("{other}"),
        };
        built.set(name, v).unwrap();
    }
    let built = built.build();
    let day = d("2023-11-01");
    let plan = Plan::new(
        &rules,
        Dates {
            as_of: day,
            known_on: day,
        },
    );
    let statuses = |f| {
        plan.evaluate(f)
            .into_iter()
            .map(|o| o.status)
            .collect::<Vec<_>>()
    };
    assert_eq!(statuses(&from_yaml), statuses(&built));
    // Reports differ only in the facts-file lines and the file's hash a
    // file's facts carry.
    let strip = |s: String| {
        s.lines()
            .filter(|l| !l.starts_with("facts sha256 "))
            .map(|l| l.split(" [facts line").next().unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip(api::render(&plan, &[from_yaml], Format::Text)),
        strip(api::render(&plan, &[built], Format::Text))
    );
}

#[test]
fn api_errors_are_typed_and_located() {
    let err = api::load_text(
        "bad.obl",
        "ruleset x \"X\"\n  version \"1\" published 2024-13-01\n",
    )
    .unwrap_err();
    let api::Error::Rules(p) = &err else {
        panic!("{err:?}")
    };
    assert!(p.render().contains("bad.obl:"), "{}", p.render());
    let rules = api::load_bundled().unwrap();
    let day = d("2023-11-01");
    let plan = Plan::new(
        &rules,
        Dates {
            as_of: day,
            known_on: day,
        },
    );
    let facts = FactsBuilder::new(&rules).build();
    let err = api::explain(&plan, &facts, "acess-on-request", false).unwrap_err();
    assert!(
        matches!(&err, api::Error::UnknownRule { help: Some(h), .. } if h.contains("access-on-request")),
        "{err:?}"
    );
    // Every error is a std error and a miette diagnostic.
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert!(boxed.to_string().contains("acess-on-request"));
}
