//! docs/language.md: its examples, read together, are one ruleset that
//! loads, and its facts file is valid against it.

use obligo::eval::Status;

use crate::common::{facts, root, ruleset_text, status_on};

/// The fenced blocks of the guide in a language, in order.
fn blocks(lang: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("docs/language.md")).unwrap();
    let fence = format!("```{lang}\n");
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("```").unwrap();
        out.push(body[..end].to_string());
        rest = &body[end + 3..];
    }
    out
}

#[test]
fn every_rule_example_parses_on_its_own() {
    let examples = blocks("obligo");
    assert!(examples.len() >= 10, "{} examples", examples.len());
    for (i, text) in examples.iter().enumerate() {
        let mut sources = obligo::source::SourceMap::default();
        let id = sources.add(format!("example {}", i + 1), text.clone());
        if let Err(errors) = obligo::syntax::parse_file(id, text) {
            panic!("{}", obligo::diagnostic::render_all(&errors, &sources));
        }
    }
}

#[test]
fn the_examples_together_are_a_ruleset_that_loads() {
    let rs = ruleset_text(&blocks("obligo").concat());
    assert_eq!(rs.name, "guide");
    assert!(rs.rules.len() >= 6);
}

#[test]
fn the_facts_example_is_valid_and_decides_what_it_should() {
    let rs = ruleset_text(&blocks("obligo").concat());
    let yaml = blocks("yaml").concat();
    facts(&rs, "guide.yaml", &yaml);
    // Live on 20 Oct 2022, ahead of the 1 Nov target.
    assert_eq!(
        status_on(&rs, &yaml, "switch-on-2022", "2022-11-15"),
        Status::Met
    );
    // The oldest open request was left out: unknown, never "no".
    assert_eq!(
        status_on(&rs, &yaml, "answer-requests", "2023-06-01"),
        Status::Unknown
    );
}

#[test]
fn the_examples_pass_lint() {
    let dir = std::env::temp_dir().join(format!("obligo-guide-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("guide.obl"), blocks("obligo").concat()).unwrap();
    let (code, out, err) = crate::common::obligo(&["lint", &dir.to_string_lossy()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!((code, out.as_str(), err.as_str()), (0, "no findings\n", ""));
}

#[test]
fn the_items_example_judges_each_item_and_rolls_them_up_at_two_dates() {
    let rs = ruleset_text(&blocks("obligo").concat());
    let yaml = blocks("yaml").concat();
    let items = |rule: &str, date: &str| {
        let outcome = crate::common::result_on(&rs, &yaml, rule, date);
        let each: Vec<(Option<u32>, Status)> =
            outcome.items.iter().map(|i| (i.item, i.status)).collect();
        (outcome.status, each)
    };
    use Status::{Met, Overdue, Pending};
    // R-1 decided in time; R-2 due 25 December; R-3, received on 20
    // December, has not happened yet on the 15th: the `where` leaves it out.
    assert_eq!(
        items("decide-access-requests", "2023-12-15"),
        (Pending, vec![(Some(0), Met), (Some(1), Pending)])
    );
    assert_eq!(
        items("decide-access-requests", "2024-01-15"),
        (
            Overdue,
            vec![(Some(0), Met), (Some(1), Overdue), (Some(2), Pending)]
        )
    );
    // November reported; December ended, due 10 January, not reported.
    assert_eq!(
        items("send-access-reports", "2023-12-15"),
        (Met, vec![(Some(0), Met)])
    );
    assert_eq!(
        items("send-access-reports", "2024-01-15"),
        (Overdue, vec![(Some(0), Met), (Some(1), Overdue)])
    );
    // One request refused? None: the DPIA review applies only when requests pile up.
    assert_eq!(
        status_on(&rs, &yaml, "review-refusals", "2024-01-15"),
        Status::NotApplicable
    );
}
