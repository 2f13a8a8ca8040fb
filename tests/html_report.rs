//! The HTML report as a practice manager reads and prints it: the verdict
//! box names what is overdue and counts in each kind's words, explanations
//! are folded on screen only (never a closed `<details>`, which prints
//! closed), the positions grid has no empty box, long addresses wrap, and
//! ended rules are folded to one line at the end.

use crate::common::{obligo, without_hashes};
use crate::snap;

/// `obligo check examples/NAME.yaml --format html` as judged in CI.
fn page(name: &str) -> String {
    page_of(&[&format!("examples/{name}.yaml")])
}

/// The HTML report of these facts files, as judged in CI.
fn page_of(facts: &[&str]) -> String {
    let mut args = vec!["check"];
    args.extend_from_slice(facts);
    args.extend_from_slice(&[
        "--as-of",
        "2024-06-30",
        "--known-on",
        "2024-06-30",
        "--format",
        "html",
    ]);
    let (code, out, err) = obligo(&args);
    // 0 compliant, 1 breach, 3 undetermined; 2 would be an error.
    assert!(matches!(code, 0 | 1 | 3), "exit {code}: {err}");
    out
}

/// The summary box: from the verdict to the facts line.
fn summary(html: &str) -> &str {
    let start = html.find("<div class=\"summary\">").unwrap();
    let end = start + html[start..].find("<p class=\"meta\">Facts: ").unwrap();
    &html[start..end]
}

/// The CSS of the page, and its print part.
fn styles(html: &str) -> (&str, &str) {
    let css = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
    let print = &css[css.find("@media print {").unwrap()..];
    (css, print)
}

#[test]
fn explanations_are_folded_on_screen_and_printed_whole() {
    let html = page("opt-in-dpia-no-icb");
    // No <details>: a closed one prints closed in most browsers.
    assert!(!html.contains("<details"), "a <details> in the page");
    // Each explanation follows its fold's checkbox and label; only the
    // screen hides what is folded, and print hides the checkbox instead.
    let fold = "<input type=\"checkbox\" class=\"fold\" id=\"prospective-record-access-why\"><label for=\"prospective-record-access-why\">Why, in full</label>\n<ul class=\"why folded\">\n<li>applies when: <code>in_gp_contract</code> → <span class=\"value\">true</span>";
    assert!(html.contains(fold), "{html}");
    let (css, print) = styles(&html);
    assert!(
        css.contains("@media screen { .fold:not(:checked) + label + .folded { display: none; } }")
    );
    assert_eq!(css.matches(".folded").count(), 1, "{css}");
    assert!(print.contains(".fold { display: none; }"));
    // Every rule that has an explanation has it in the page, folded.
    let explained = html.matches("<ul class=\"why folded\">").count();
    assert_eq!(
        explained,
        html.matches("-why\">Why, in full</label>").count()
    );
    assert!(explained >= 15, "{explained} explanations");
}

#[test]
fn pages_break_inside_rules_not_after_headings() {
    let html = page("paused-emis");
    let (css, print) = styles(&html);
    // A rule's card may run over a page: no card is kept whole.
    assert!(!css.contains("page-break-inside"), "{css}");
    let rule = css.find(".rule {").unwrap();
    let rule_css = &css[rule..rule + css[rule..].find('}').unwrap()];
    assert!(!rule_css.contains("break-inside"), "{rule_css}");
    // Only small blocks are kept whole, and headings keep with what follows.
    assert!(css.contains(
        "h2, h3, .rule header, .rule .title, .fold + label, p.lead { break-after: avoid; }"
    ));
    // Positions print one under another.
    assert!(print.contains(".positions { display: block; }"));
}

#[test]
fn the_verdict_box_names_each_overdue_duty_with_its_days() {
    let html = page("opt-in-dpia-no-icb");
    let top = summary(&html);
    assert!(
        top.contains("<p class=\"verdict breach\">Verdict: some binding duties are overdue</p>")
    );
    assert!(top.contains("<h3>What to do now</h3>"));
    assert!(top.contains("<p class=\"lead\">Overdue binding duties (2):</p>"));
    // Longest overdue first, each linked to its card, with what it asks,
    // since when and how long, and its source.
    let first = top
        .find("<li class=\"overdue-duty\"><a href=\"#prospective-record-access\">Give every registered patient online access to new entries in their record by 31 October 2023</a> <span class=\"name\">prospective-record-access</span><br><span class=\"late\">due 2023-10-31 (243 days overdue)</span><br><span class=\"fact\">Source: <a href=\"https://legislation.gov.uk/uksi/2015/1862/regulation/71ZA\">")
        .unwrap_or_else(|| panic!("{top}"));
    let second = top
        .find("<a href=\"#access-on-request\">Give online record access to each patient who asks, without undue delay</a> <span class=\"name\">access-on-request</span><br><span class=\"late\">due 2024-06-26 (4 days overdue)</span>; 1 of 2 access requests overdue, 1 met")
        .unwrap_or_else(|| panic!("{top}"));
    assert!(first < second);
    // A duty that binds no one is named apart, not as a binding one.
    assert!(top.contains(
        "<p>Also overdue, not binding (see below): <a href=\"#icb-contractual-follow-up\">"
    ));
    assert!(top.contains("<p>Next deadline: none ahead.</p>"));
    // The anchors lead to the cards.
    assert!(html.contains("<article class=\"rule overdue\" id=\"prospective-record-access\">"));
    snap!(
        "html_report__summary_opt-in-dpia-no-icb",
        without_hashes(top)
    );
}

#[test]
fn a_green_verdict_never_sits_beside_an_overdue_count_of_its_own() {
    // Nothing binding is overdue; a commissioner's expectation is.
    let html = page("awaiting-ico");
    let top = summary(&html);
    assert!(top.contains("<p class=\"verdict compliant\">Verdict: no binding duty is overdue</p>"));
    assert!(top.contains("<p>Overdue binding duties: none.</p>"));
    // Counts per binding force, in each kind's words: the overdue one is
    // the expectation's, on its own row.
    let row = |force: &str| {
        let th = format!("<tr><th>{force}</th><td>");
        let start = top.find(&th).unwrap_or_else(|| panic!("{top}")) + th.len();
        top[start..start + top[start..].find("</td>").unwrap()].to_string()
    };
    let binding = row("Binding: law and contract");
    assert!(!binding.contains("overdue"), "{binding}");
    assert!(binding.starts_with("duties: "), "{binding}");
    let expected = row("Commissioner expectations (monitored, not contract terms)");
    assert!(expected.starts_with("duties: 1 overdue"), "{expected}");
    // No bare status chips: "1 overdue" always says whose.
    assert!(!top.contains("<li>1 overdue</li>"));
    assert!(!top.contains("not_applicable") && !top.contains("not applicable</li>"));
}

#[test]
fn permissions_and_recommendations_are_counted_in_their_own_words() {
    let html = page("opt-in-dpia-no-icb");
    let top = summary(&html);
    let advice = "<tr><th>Professional advice</th><td>duties: 1 met; permissions: 1 not available, 1 available, 1 not applicable; recommendations: 1 not followed, 1 ended</td></tr>";
    assert!(top.contains(advice), "{top}");
}

#[test]
fn positions_have_no_empty_box_of_the_rule_itself() {
    let html = page("paused-emis");
    assert!(!html.contains("This rule, as above."));
    assert!(!html.contains("position own"));
    // Every position says who and what they hold.
    for p in html.split("<div class=\"position\">").skip(1) {
        let stance = p
            .split_once("</span>")
            .and_then(|(_, rest)| rest.split_once("<br>"))
            .map(|(s, _)| s)
            .unwrap();
        assert!(!stance.trim().is_empty(), "{p}");
    }
    assert!(
        html.contains("-positions\">6 other positions</label>\n<div class=\"positions folded\">")
    );
}

#[test]
fn long_addresses_wrap_only_where_they_must() {
    let html = page("paused-emis");
    let (css, print) = styles(&html);
    assert!(css.contains(
        "a, ol.sources, .position, .fact, .todo, table.items td { overflow-wrap: anywhere; }"
    ));
    // break-all would cut every address mid-word; only hashes may.
    for line in css.lines().filter(|l| l.contains("break-all")) {
        assert!(line.starts_with(".meta code"), "{line}");
    }
    // Printed, an address follows its link; anchors inside the page do not.
    assert!(print.contains("a[href^=\"http\"]::after { content: \" <\" attr(href) \">\";"));
}

#[test]
fn ended_rules_fold_to_one_line_at_the_end_of_their_group() {
    let html = page("paused-emis");
    let binding = html.find("<h3>Binding: law and contract</h3>").unwrap();
    let next_group = binding + 1 + html[binding + 1..].find("<h3>").unwrap();
    let group = &html[binding..next_group];
    let shut = group.find("<ul class=\"shut\">").unwrap();
    assert!(!group[shut..].contains("<article"), "{group}");
    assert!(group[shut..].contains("<li class=\"ended\" id=\"framework-2019-online-access\"><span class=\"status\">ended</span> <span class=\"name\">framework-2019-online-access</span> — Give patients online access to their record, as the 2019 contract framework committed: superseded by `prospective-record-access` from 2023-10-31 (published 2023-03-06)"), "{group}");
    // Open rules by urgency: met late before met.
    let late = group.find("id=\"prospective-record-access\"").unwrap();
    let met = group
        .find("id=\"promote-and-offer-online-access\"")
        .unwrap();
    assert!(late < met);
}

#[test]
fn a_shared_definition_is_explained_once_and_linked() {
    let html = page("paused-emis");
    assert_eq!(
        html.matches("<li class=\"definition\" id=\"def-in_gp_contract\">")
            .count(),
        1
    );
    assert_eq!(
        html.matches("<code>in_gp_contract (An English practice with a GP contract and computerised records) = ").count(),
        1
    );
    let links = html
        .matches("<a href=\"#def-in_gp_contract\"><code>in_gp_contract</code></a>")
        .count();
    assert!(links >= 5, "{links} links");
    // After every rule.
    let defs = html.find("<h3>Definitions</h3>").unwrap();
    assert!(html.rfind("<article").unwrap() < defs);
}

#[test]
fn the_questions_that_decide_the_most_come_first() {
    let html = page("missing-facts");
    let top = summary(&html);
    assert!(top.contains("<p class=\"verdict undetermined\">"));
    assert!(top.contains("<p class=\"lead\">Questions that would decide the most (3 of 11; <code>obligo missing examples/missing-facts.yaml --as-of 2024-06-30 --known-on 2024-06-30</code> lists all):</p>\n<ol>\n<li>What percentage of your registered patients"), "{top}");
    assert!(
        top.contains("<span class=\"name\">(pct_patients_excluded; needed by 4 rules)</span></li>")
    );
}

#[test]
fn two_practices_on_one_page_keep_their_anchors_apart() {
    let html = page_of(&[
        "examples/paused-emis.yaml",
        "examples/opt-in-dpia-no-icb.yaml",
    ]);
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "an id used twice");
    // The first practice's rules keep their plain anchors; the second's are prefixed.
    assert!(unique.contains("prospective-record-access"));
    assert!(unique.contains("o2-prospective-record-access"));
    assert!(unique.contains("o2-def-in_gp_contract"));
    // Every link inside the page leads somewhere.
    for link in html.split("href=\"#").skip(1) {
        let target = &link[..link.find('"').unwrap()];
        assert!(unique.contains(target), "no anchor {target}");
    }
}

#[test]
fn a_permission_not_available_is_not_called_overdue() {
    let html = page("blanket-opt-out-individual-offer");
    // A permission with no deadline, not available since it came into force.
    assert!(html.contains("<p class=\"late\">Not available since 2022-11-18, when it came into force (no deadline): 590 days</p>"), "{html}");
    // A recommendation likewise; a duty of any force is overdue.
    assert!(html.contains("<p class=\"late\">Not followed since 2023-10-31, when it came into force (no deadline): 243 days</p>"));
    assert!(html.contains("<p class=\"late\">Overdue since 2024-06-17, when it came into force (no deadline): 13 days</p>"));
    // Marked apart from an overdue duty, in the late colour, not the breach one.
    assert!(html.contains(
        "<article class=\"rule overdue not-duty\" id=\"individual-exclusion-for-risk\">"
    ));
    assert!(html.contains("<article class=\"rule overdue\" id=\"icb-contractual-follow-up\">"));
    assert!(html.contains(".rule.overdue.not-duty { border-left-color: var(--late); }"));
}

#[test]
fn the_next_deadline_says_when_and_whether_it_is_due_soon() {
    let html = page("blanket-opt-out-individual-offer");
    let top = summary(&html);
    assert!(top.contains("<p>Next deadline: <strong>2024-07-18</strong> (in 18 days, <span class=\"soon\">due soon</span>): <a href=\"#access-on-request\">Give online record access to each patient who asks, without undue delay</a> <span class=\"name\">access-on-request</span></p>"), "{top}");
    assert!(top.contains("<p>Pending, no date set yet: <a href=\"#nhse-exclusion-action-plan\">"));
}
