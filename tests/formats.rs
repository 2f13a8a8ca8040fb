//! The check report as Markdown and as HTML, and `--only unmet`.

use crate::common::{obligo, without_hashes};
use crate::snap;

fn check(args: &[&str]) -> String {
    let mut all = vec![
        "check",
        "examples/paused-emis.yaml",
        "--as-of",
        "2023-10-20",
        "--known-on",
        "2023-10-20",
    ];
    all.extend_from_slice(args);
    let (code, out, err) = obligo(&all);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn markdown_report() {
    let out = check(&["--format", "markdown"]);
    assert!(
        out.starts_with("# Online access to GP records (England)\n"),
        "{out}"
    );
    assert!(
        out.contains("**Verdict: no binding duty is overdue**"),
        "{out}"
    );
    assert!(
        out.contains("Next deadlines:\n\n- **2023-10-31** (in 11 days, due soon): Give every registered patient online access to new entries in their record by 31 October 2023 (`prospective-record-access`)"),
        "{out}"
    );
    snap!(
        "formats__paused-emis_2023-10-20_markdown",
        without_hashes(&out)
    );
}

#[test]
fn html_report_is_one_self_contained_page() {
    let out = check(&["--format", "html"]);
    assert!(
        out.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("</html>"));
    // No scripts and nothing fetched: links to sources are the only addresses.
    for forbidden in ["<script", "<link", " src=", "@import", "url("] {
        assert!(!out.contains(forbidden), "{forbidden} in the page");
    }
    assert!(out.contains("@media print"));
    // Summary first: verdict, counts, the next deadline; then the groups.
    let verdict = out.find("Verdict: no binding duty is overdue").unwrap();
    let next = out
        .find("Next deadline: <strong>2023-10-31</strong>")
        .unwrap();
    let binding = out.find("<h3>Binding: law and contract</h3>").unwrap();
    assert!(verdict < next && next < binding);
    // Citations are links; every rule has an anchor; positions sit side by
    // side, folded on screen (printed, they are open).
    assert!(out.contains("<a href=\"https://legislation.gov.uk/uksi/2015/1862/regulation/71ZA\">"));
    assert!(out.contains("<article class=\"rule pending\" id=\"prospective-record-access\">"));
    assert!(out.contains("<div class=\"positions folded\">"));
    // The ruleset, its version and hash, and both dates.
    assert!(out.contains("version 2025.01"));
    assert!(out.contains("sha256 <code>"));
    assert!(out.contains("Judged as of <strong>2023-10-20</strong>, by the rules known on <strong>2023-10-20</strong>"));
}

#[test]
fn html_escapes_what_it_shows() {
    let (_, out, _) = obligo(&[
        "check",
        "tests/good/facts/in-england.yaml",
        "--rules",
        "tests/good/ruleset",
        "--as-of",
        "2023-06-01",
        "--known-on",
        "2023-06-01",
        "--format",
        "html",
    ]);
    // Expressions with `<` and `>` are shown, not parsed as markup.
    assert!(out.contains("&lt;"), "{out}");
    assert!(!out.contains("<= 2022"), "{out}");
}

#[test]
fn only_unmet_hides_met_and_not_applicable_results_but_not_the_verdict() {
    let all = check(&[]);
    let unmet = check(&["--only", "unmet"]);
    let verdict = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("verdict:"))
            .unwrap()
            .to_string()
    };
    let counts = |s: &str| {
        s.lines()
            .skip_while(|l| !l.starts_with("rules by binding force:"))
            .take_while(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(!counts(&all).is_empty(), "{all}");
    assert_eq!(verdict(&all), verdict(&unmet));
    assert_eq!(counts(&all), counts(&unmet));
    assert!(all.contains("[MET] framework-2019-online-access"));
    assert!(!unmet.contains("[MET]"), "{unmet}");
    assert!(!unmet.contains("[NOT APPLICABLE]"), "{unmet}");
    assert!(
        unmet.contains("[PENDING] prospective-record-access"),
        "{unmet}"
    );
    assert!(
        unmet.contains(
            "note: not shown: 16 results that are met, met late or not applicable (--only unmet)"
        ),
        "{unmet}"
    );
}

#[test]
fn a_report_to_a_file_is_neither_wrapped_nor_coloured() {
    let out = check(&[]);
    assert!(!out.contains('\u{1b}'));
    assert!(
        out.lines().any(|l| l.chars().count() > 150),
        "long lines stay whole off a terminal"
    );
}
