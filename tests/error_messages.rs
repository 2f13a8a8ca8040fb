//! Every malformed rule file and facts file gives a located message, pinned
//! exactly: file:line:col, the text underlined, the help. None panics.

use crate::common::{facts_errors, features, files, obligo, rel};
use crate::snap;

/// Loads one bad rule file as a ruleset of its own and renders its errors.
fn rule_errors(path: &std::path::Path) -> String {
    let file = obligo::load::RuleFile {
        relative: path.file_name().unwrap().to_string_lossy().into_owned(),
        shown: rel(path),
        text: std::fs::read_to_string(path).unwrap(),
    };
    match obligo::load::load(&[file]) {
        Ok(_) => panic!("{}: expected errors", path.display()),
        Err(e) => obligo::diagnostic::render_all(&e.diagnostics, &e.sources),
    }
}

/// Checks that a rendered message names its file and says how to fix it, then pins it.
fn pin(kind: &str, path: &std::path::Path, rendered: &str) {
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    assert!(
        rendered.contains(&format!("{}:", rel(path))),
        "{name}: names the file:\n{rendered}"
    );
    assert!(
        rendered.contains("help:"),
        "{name}: says how to fix it:\n{rendered}"
    );
    snap!(format!("{kind}__{name}"), rendered);
}

#[test]
fn malformed_rule_files() {
    let bad = files("tests/bad/rules", "obl");
    assert!(bad.len() >= 15, "at least 15 malformed rule files");
    for path in bad {
        pin("bad_rules", &path, &rule_errors(&path));
    }
}

/// Pins every facts file of `dir` as `kind__NAME`, read against `rs`.
fn pin_facts_files(rs: &obligo::model::Ruleset, dir: &str, kind: &str, at_least: usize) {
    let bad = files(dir, "yaml");
    assert!(bad.len() >= at_least, "at least {at_least} files in {dir}");
    for path in bad {
        let text = std::fs::read_to_string(&path).unwrap();
        pin(kind, &path, &facts_errors(rs, &rel(&path), &text));
    }
}

#[test]
fn malformed_facts_files() {
    pin_facts_files(&features(), "tests/bad/facts", "bad_facts", 10);
}

/// Facts files whose items are malformed, against tests/good/items.
#[test]
fn malformed_items_in_facts_files() {
    let rs = crate::common::ruleset("tests/good/items");
    pin_facts_files(&rs, "tests/bad/items", "bad_items", 9);
}

#[test]
fn malformed_item_declarations_and_reads_in_rule_files() {
    let bad: Vec<_> = files("tests/bad/rules", "obl")
        .into_iter()
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("items-")
        })
        .collect();
    assert!(bad.len() >= 11, "at least 11 malformed item rule files");
    let rendered = |name: &str| {
        rule_errors(&crate::common::root().join(format!("tests/bad/rules/items-{name}.obl")))
    };
    assert!(rendered("unknown-field").contains("did you mean `received`?"));
    assert!(rendered("unknown-kind-in-for-each").contains("did you mean `sar`?"));
    assert!(rendered("field-outside-item").contains("no sar here"));
}

#[test]
fn all_errors_of_a_file_are_reported_together() {
    let rendered = rule_errors(&crate::common::root().join("tests/bad/rules/several-errors.obl"));
    assert!(rendered.contains("unknown authority `contrat`"));
    assert!(rendered.contains("cites no source"));
    assert!(rendered.contains("`TTP` is not a choice"));
    assert!(rendered.contains("unknown name `live_onn`"));
    assert!(rendered.contains("did you mean `live_on`?"));
}

#[test]
fn bad_input_exits_2_with_the_message_on_stderr() {
    let (code, out, err) = obligo(&[
        "check",
        "tests/bad/facts/unknown-fact.yaml",
        "--rules",
        "tests/good/ruleset",
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("tests/bad/facts/unknown-fact.yaml:6:3"),
        "{err}"
    );
    assert!(err.contains("did you mean `supplier`?"), "{err}");

    let (code, _, err) = obligo(&["check", "examples/does-not-exist.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("the facts file `examples/does-not-exist.yaml` does not exist"),
        "{err}"
    );

    let (code, _, err) = obligo(&["check", "x.yaml", "--as-of", "2023-02-30"]);
    assert_eq!(code, 2);
    assert!(err.contains("`2023-02-30` is not a date"), "{err}");

    let (code, _, err) = obligo(&["check", "x.yaml", "--format", "pdf"]);
    assert_eq!(code, 2);
    assert!(err.contains("pdf"), "{err}");

    let (code, _, err) = obligo(&["check", "x.yaml", "--rules", "tests/bad"]);
    assert_eq!(code, 2);
    assert!(err.contains("holds no `.obl` rule files"), "{err}");
}

#[test]
fn hostile_rule_texts_give_errors_not_panics() {
    let deep = format!(
        "ruleset x \"x\" version \"1\" published 2024-01-01\ndefine a = {}true{}\n",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let long_chain = format!(
        "ruleset x \"x\" version \"1\" published 2024-01-01\ndefine a = true{}\n",
        " and true".repeat(5000)
    );
    let nested_ifs = format!(
        "ruleset x \"x\" version \"1\" published 2024-01-01\ndefine a = {}true{}\n",
        "if true then ".repeat(5000),
        " else false".repeat(5000)
    );
    let cases = [
        String::new(),
        "\u{0}\u{1}\u{fffd}".to_string(),
        "ruleset".to_string(),
        "obligation r \"t\" by".to_string(),
        "fact x: one of".to_string(),
        "define a = 99999999999999999999999".to_string(),
        "define a = 2023-02-29T25:61".to_string(),
        deep,
        long_chain,
        nested_ifs,
    ];
    for (i, text) in cases.iter().enumerate() {
        let file = obligo::load::RuleFile {
            relative: format!("case{i}.obl"),
            shown: format!("case{i}.obl"),
            text: text.clone(),
        };
        // Either outcome is fine; what matters is that it returns.
        if let Err(e) = obligo::load::load(&[file]) {
            let rendered = obligo::diagnostic::render_all(&e.diagnostics, &e.sources);
            assert!(rendered.contains("error"), "case {i}: {rendered}");
        }
    }
}

#[test]
fn hostile_facts_texts_give_errors_not_panics() {
    let rs = features();
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n";
    let deep = format!("facts: {}{}", "[".repeat(2000), "]".repeat(2000));
    for (i, text) in [
        "- 1\n- 2\n",
        "facts: 3\n",
        "facts:\n  supplier: [\n",
        bomb,
        &deep,
        "\u{0}",
    ]
    .iter()
    .enumerate()
    {
        let rendered = facts_errors(&rs, &format!("case{i}.yaml"), text);
        assert!(rendered.contains("error"), "case {i}: {rendered}");
    }
}
