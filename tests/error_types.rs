//! Problems as values, for programs that use obligo as a library: a
//! `Diagnostic` and a `LoadError` are errors (`?` into `miette::Result` or
//! `Box<dyn Error>`), miette shows them with their text, and a lint finding
//! keeps its code apart from its message.

use miette::{GraphicalReportHandler, GraphicalTheme};
use obligo::diagnostic::{Diagnostic, ErrorFormat, Style, render_all_as};
use obligo::load::{LoadError, RuleFile};

use crate::common::{obligo, ruleset};

/// Loads one rule file of the tests' bad examples, which must fail.
fn load_error(path: &str) -> LoadError {
    let file = RuleFile {
        relative: "rules.obl".into(),
        shown: path.into(),
        text: std::fs::read_to_string(crate::common::root().join(path)).unwrap(),
    };
    match obligo::load::load(&[file]) {
        Ok(_) => panic!("{path}: expected errors"),
        Err(e) => e,
    }
}

/// What miette's own report handler shows, without colour.
fn miette_shows(d: &dyn miette::Diagnostic) -> String {
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, d)
        .unwrap();
    out
}

#[test]
fn load_errors_go_into_miette_results_and_boxed_errors() {
    fn with_miette() -> miette::Result<()> {
        obligo::load::load(&[RuleFile {
            relative: "r.obl".into(),
            shown: "r.obl".into(),
            text: "ruleset".into(),
        }])?;
        Ok(())
    }
    fn boxed() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        obligo::load::read_dir(std::path::Path::new("no/such/folder"))?;
        Ok(())
    }
    fn one_diagnostic() -> miette::Result<()> {
        Err(Diagnostic::bare("something is wrong").with_help("put it right"))?
    }
    let e = with_miette().unwrap_err();
    assert!(e.to_string().starts_with("expected "), "{e}");
    let e = boxed().unwrap_err();
    assert!(
        e.to_string()
            .starts_with("cannot read the ruleset folder `no/such/folder`"),
        "{e}"
    );
    let e = one_diagnostic().unwrap_err();
    assert_eq!(e.to_string(), "something is wrong");
    assert_eq!(e.help().unwrap().to_string(), "put it right");
}

#[test]
fn a_load_error_sums_up_its_problems_and_miette_shows_each_with_its_text() {
    let e = load_error("tests/bad/rules/several-errors.obl");
    assert_eq!(e.to_string(), "the ruleset has 4 errors");
    assert_eq!(e.diagnostics.len(), 4);
    let shown = miette_shows(&e);
    assert!(shown.contains("the ruleset has 4 errors"), "{shown}");
    assert!(shown.contains("unknown authority `contrat`"), "{shown}");
    assert!(
        shown.contains("╭─[tests/bad/rules/several-errors.obl:6:21]"),
        "{shown}"
    );
    assert!(shown.contains("╰── not declared"), "{shown}");
    assert!(shown.contains("did you mean `live_on`?"), "{shown}");
}

#[test]
fn a_load_error_with_one_problem_is_that_problem() {
    let e = load_error("tests/bad/rules/unknown-fact.obl");
    assert_eq!(e.diagnostics.len(), 1);
    assert_eq!(e.to_string(), "unknown name `live_onn`");
    let shown = miette_shows(&e);
    assert!(
        shown.contains("╭─[tests/bad/rules/unknown-fact.obl:8:14]"),
        "{shown}"
    );
    assert!(shown.contains("help: did you mean `live_on`?"), "{shown}");
    // Each problem on its own carries its text too.
    let alone = miette_shows(&e.diagnostics[0]);
    assert!(
        alone.contains("8 │     met when live_onn is set"),
        "{alone}"
    );
}

#[test]
fn a_lint_finding_keeps_its_code_apart_from_its_message() {
    let rs = ruleset("tests/bad/lint/unused-fact");
    let found = obligo::lint::lint(&rs);
    let first = &found[0];
    assert_eq!(first.code, Some("unused-fact"));
    assert!(first.message.starts_with("fact `"), "{}", first.message);
    assert_eq!(
        miette::Diagnostic::code(first).unwrap().to_string(),
        "unused-fact"
    );
    // The renderings show it where they always have: opening the message.
    let plain = render_all_as(
        &found,
        &rs.texts,
        Style {
            format: ErrorFormat::Plain,
            colour: false,
        },
    );
    assert!(plain.contains(": warning: [unused-fact] fact `"), "{plain}");
}

#[test]
fn lint_findings_under_json_have_their_code_and_errors_none() {
    let (_, out, _) = obligo(&["lint", "tests/bad/lint", "--error-format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    for finding in doc["diagnostics"].as_array().unwrap() {
        let code = finding["code"].as_str().unwrap();
        let message = finding["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("[{code}] ")), "{finding}");
    }
    let (_, _, err) = obligo(&[
        "check",
        "examples/early-adopter.yaml",
        "--rules",
        "tests/bad/rules/several-errors.obl",
        "--error-format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&err).unwrap();
    let first = doc["diagnostics"][0].as_object().unwrap();
    assert!(!first.contains_key("code"), "{first:?}");
}
