//! The words reports and the template use: the ruleset's own where its
//! header gives them (`organisation`, `id`, `heading`), neutral ones
//! otherwise, none belonging to the GP ruleset in another ruleset's
//! reports; and the template's questions, its header and the facts reader
//! agreeing on how answers are written (`true`/`false`, `null`, YYYY-MM-DD,
//! no blanks), with a one-line fix for the common slips.

use crate::common::{Scratch, facts, facts_errors, obligo, ruleset, ruleset_text};

const SAAS: &str = "tests/good/saas";
const SAAS_FACTS: &str = "tests/good/saas/facts/late-breach-notice.yaml";

/// Words of the GP ruleset that no other ruleset's report may hold.
const GP_WORDS: [&str; 7] = [
    "practice",
    "Practice",
    " GP ",
    "NHS",
    "ommissioner",
    "ODS",
    "monitored",
];

fn assert_no_gp_words(what: &str, out: &str) {
    for w in GP_WORDS {
        assert!(!out.contains(w), "{what} says `{w}`:\n{out}");
    }
}

#[test]
fn a_saas_ruleset_reads_in_its_own_words_in_every_report() {
    let args = |format: &'static str| {
        vec![
            "check",
            "--rules",
            SAAS,
            "--as-of",
            "2024-06-30",
            "--known-on",
            "2024-06-30",
            "--format",
            format,
            SAAS_FACTS,
        ]
    };
    let (code, text, err) = obligo(&args("text"));
    assert_eq!(code, 1, "a binding duty is overdue: {err}");
    assert!(
        text.contains("\n-- Contract and data protection law --\n"),
        "{text}"
    );
    assert!(
        text.contains("\n-- Security good practice (not contract terms) --\n"),
        "{text}"
    );
    assert!(text.contains("[OVERDUE] tell-customer-of-breach"), "{text}");
    let (_, markdown, _) = obligo(&args("markdown"));
    assert!(
        markdown.contains("\n### Contract and data protection law\n"),
        "{markdown}"
    );
    let (_, html, _) = obligo(&args("html"));
    assert!(
        html.contains("<h3>Contract and data protection law</h3>"),
        "{html}"
    );
    assert!(
        html.contains("<h3>Security good practice (not contract terms)</h3>"),
        "{html}"
    );
    let (code, rules, err) = obligo(&["rules", "--rules", SAAS, "--as-of", "2024-06-30"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        rules.contains("\n-- Contract and data protection law --\n"),
        "{rules}"
    );
    let (code, template, err) = obligo(&["missing", "--template", "--rules", SAAS]);
    assert_eq!(code, 0, "{err}");
    assert!(
        template.starts_with("# Facts about one customer, for \"Duties to customers"),
        "{template}"
    );
    assert!(
        template.contains("\n  name:       # the customer's name\n"),
        "{template}"
    );
    assert!(
        template.contains("\n  id:         # its account number\n"),
        "{template}"
    );
    let (_, timeline, _) = obligo(&[
        "timeline",
        "--rules",
        SAAS,
        "--from",
        "2019-01-01",
        "--to",
        "2019-02-01",
        "--as-of",
        "2019-01-15",
        SAAS_FACTS,
    ]);
    assert!(
        timeline.contains("\nno events concern this customer in the period\n"),
        "{timeline}"
    );
    // The security guidance's own heading says "good practice": every
    // other word is judged.
    for (what, out) in [
        ("text", &text),
        ("markdown", &markdown),
        ("html", &html),
        ("rules", &rules),
        ("timeline", &timeline),
        ("template", &template),
    ] {
        assert_no_gp_words(
            what,
            &out.replace("Security good practice", "Security good advice"),
        );
    }
}

#[test]
fn the_bundled_ruleset_keeps_its_own_words() {
    let (_, text, _) = obligo(&[
        "check",
        "--as-of",
        "2024-06-30",
        "--known-on",
        "2024-06-30",
        "examples/paused-emis.yaml",
    ]);
    for heading in [
        "\n-- Binding: law and contract --\n",
        "\n-- Commissioner expectations (monitored, not contract terms) --\n",
        "\n-- Professional advice --\n",
    ] {
        assert!(text.contains(heading), "{heading}\n{text}");
    }
    let (_, template, _) = obligo(&["missing", "--template"]);
    assert!(
        template.contains("\n  name:       # the practice's name\n  id:         # its ODS code\n"),
        "{template}"
    );
    let rs = obligo::api::load_bundled().unwrap();
    assert_eq!(
        rs.wording.organisation.as_ref().map(|o| o.many.as_str()),
        Some("practices")
    );
}

#[test]
fn a_ruleset_without_wording_reads_neutrally() {
    let (_, text, _) = obligo(&[
        "check",
        "--rules",
        "tests/good/ruleset",
        "--as-of",
        "2024-06-30",
        "tests/good/facts/in-england.yaml",
    ]);
    for heading in [
        "\n-- Binding --\n",
        "\n-- Regulator's view --\n",
        "\n-- Expectations (not binding) --\n",
        "\n-- Advice --\n",
    ] {
        assert!(text.contains(heading), "{heading}\n{text}");
    }
    let (_, template, _) = obligo(&["missing", "--template", "--rules", "tests/good/items"]);
    assert!(
        template.contains(
            "\n  name:       # the organisation's name\n  id:         # its identifier\n"
        ),
        "{template}"
    );
    assert!(!template.contains("ODS"), "{template}");
}

#[test]
fn organisation_heading_and_id_are_keywords_only_in_the_header() {
    let rs = ruleset_text(
        r#"ruleset heading "Header words as names" version "1" published 2024-01-01
  heading advice "Tips"
  organisation "club", "clubs" id "club number"
authority organisation "The organisation" binding
source heading "Heading" by organisation published 2024-01-01
fact organisation: bool "An organisation" ask "Is it an organisation?"
fact id: count "An id" ask "What is its id?"
obligation heading-rule "A rule" by organisation
  version from 2024-01-01 published 2024-01-01 cites heading
    applies when organisation and id > 0
    met when true
"#,
    );
    assert_eq!(rs.name, "heading");
    assert_eq!(
        rs.wording.heading(obligo::model::BindingForce::Advice),
        Some("Tips")
    );
    assert_eq!(rs.wording.id.as_deref(), Some("club number"));
    assert!(rs.fact_named("organisation").is_some());
}

#[test]
fn fmt_puts_each_header_clause_on_its_line() {
    let messy = "ruleset r \"R\" version \"1\" published 2024-01-01 heading advice   \"Tips\" \
                 organisation \"club\" , \"clubs\"   id \"club number\" due soon within 7 days\n\
                 authority a \"A\" advice\n";
    let mut sources = obligo::source::SourceMap::default();
    let id = sources.add("r.obl", messy);
    let out = obligo::format::format(id, messy).unwrap();
    assert_eq!(
        out,
        "ruleset r \"R\"\n  version \"1\" published 2024-01-01\n  heading advice \"Tips\"\n  \
         organisation \"club\", \"clubs\" id \"club number\"\n  due soon within 7 days\n\n\
         authority a \"A\" advice\n"
    );
    let again = obligo::format::format(id, &out).unwrap();
    assert_eq!(again, out, "formatting twice gives the same text");
}

/// The bundled ruleset's template, every fact answered as a practice
/// manager would answer a yes/no question: `yes` or `no`.
fn template_answered_yes_and_no() -> (String, usize) {
    let (_, template, _) = obligo(&["missing", "--template"]);
    let mut out = String::new();
    let mut bools = 0;
    let mut hint = String::new();
    for line in template.lines() {
        let t = line.trim();
        if t.starts_with("# (") {
            hint = t.to_string();
        }
        let blank = line.starts_with("  ") && t.ends_with(':') && !t.starts_with('#');
        if blank && hint == "# (true for yes, false for no)" && !line.starts_with("    ") {
            bools += 1;
            let word = if bools % 2 == 0 { "no" } else { "yes" };
            out.push_str(&format!("{line} {word}\n"));
        } else if !blank {
            out.push_str(line);
            out.push('\n');
        }
    }
    (out, bools)
}

#[test]
fn a_yes_no_answer_written_yes_gets_a_one_line_fix_at_its_place() {
    let (yaml, bools) = template_answered_yes_and_no();
    assert!(bools >= 15, "{bools} yes/no facts");
    let dir = Scratch::new("wording-yes-no");
    let path = dir.write("answers.yaml", &yaml);
    let (code, out, err) = obligo(&["check", "--error-format", "plain", &path]);
    assert_eq!(code, 2, "{out}");
    let errors: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors.len(),
        bools,
        "one error for each yes/no fact:\n{err}"
    );
    for (i, e) in errors.iter().enumerate() {
        let (word, fix) = if i % 2 == 0 {
            ("yes", "true")
        } else {
            ("no", "false")
        };
        // file:line:col, then the fix in the message itself.
        let (at, message) = e.split_once(": error: ").unwrap();
        let mut parts = at.rsplitn(3, ':');
        let col: usize = parts.next().unwrap().parse().unwrap();
        let line: usize = parts.next().unwrap().parse().unwrap();
        assert_eq!(parts.next().unwrap(), path);
        assert_eq!(&yaml.lines().nth(line - 1).unwrap()[col - 1..], word, "{e}");
        assert!(
            message.ends_with(&format!(": write `{fix}` for `{word}`")),
            "{e}"
        );
    }
    assert!(
        err.contains("help: answer a yes/no question with true for yes, false for no"),
        "{err}"
    );
}

#[test]
fn common_date_slips_get_the_date_to_write() {
    let rs = ruleset(SAAS);
    for (written, help) in [
        (
            "01/02/2024",
            "write 2024-02-01 for 1 February 2024, or 2024-01-02 for 2 January 2024",
        ),
        ("2024-2-1", "write 2024-02-01 (1 February 2024)"),
        ("1 Feb 2024", "write 2024-02-01 (1 February 2024)"),
        ("31/01/2024", "write 2024-01-31 (31 January 2024)"),
        (
            "2024-02-30",
            "there is no day 30 in February 2024, which has 29 days",
        ),
    ] {
        let yaml = format!("facts:\n  service_start: {written}\n");
        let out = facts_errors(&rs, "dates.yaml", &yaml);
        assert!(out.contains("dates.yaml:2:18"), "{written}: located\n{out}");
        assert!(
            out.contains(&format!(
                "`service_start` should be a date, not `{written}`"
            )),
            "{out}"
        );
        assert!(out.contains(&format!("help: {help}")), "{written}:\n{out}");
    }
}

#[test]
fn a_blank_answer_is_refused_and_null_says_it_has_not_happened() {
    let rs = ruleset(SAAS);
    // An optional date left blank: not read as "has not happened".
    let out = facts_errors(&rs, "blank.yaml", "facts:\n  dpa_signed_on:\n");
    assert!(out.contains("blank.yaml:2:16"), "{out}");
    assert!(out.contains("`dpa_signed_on` is blank"), "{out}");
    assert!(
        out.contains(
            "help: write null if it has not happened, or delete the line if you do not know"
        ),
        "{out}"
    );
    let out = facts_errors(
        &rs,
        "blank.yaml",
        "facts:\n  admin_mfa_enforced:   # to ask\n",
    );
    assert!(out.contains("`admin_mfa_enforced` is blank"), "{out}");
    assert!(
        out.contains("write the answer (true for yes, false for no), or delete the line"),
        "{out}"
    );
    // `null` and `~` are answers; a line left out is unknown.
    for null in ["null", "~", "Null"] {
        let f = facts(
            &rs,
            "null.yaml",
            &format!("facts:\n  dpa_signed_on: {null}\n"),
        );
        let id = rs.fact_named("dpa_signed_on").unwrap();
        assert!(
            matches!(
                f.slot(id),
                obligo::facts::Slot::Given {
                    value: obligo::value::Value::Null,
                    ..
                }
            ),
            "{null}"
        );
    }
    // An item's field is read the same way.
    let items = ruleset("tests/good/items");
    let out = facts_errors(
        &items,
        "items.yaml",
        "items:\n  sar:\n    - received: 2024-01-02\n      answered:\n      extended: yes\n",
    );
    assert!(out.contains("`sar.answered` is blank"), "{out}");
    assert!(
        out.contains("`sar.extended` should be true or false: write `true` for `yes`"),
        "{out}"
    );
    // In the order of the file.
    assert!(out.find("answered").unwrap() < out.find("extended").unwrap());
}

#[test]
fn the_template_says_what_the_reader_takes() {
    let (_, template, _) = obligo(&["missing", "--template"]);
    // The header promises what the reader does.
    assert!(
        template.contains("# - a yes/no question is answered true (for yes) or false (for no);"),
        "{template}"
    );
    assert!(
        template.contains("A fact left\n# blank is refused"),
        "{template}"
    );
    // No question tells to answer in words the reader refuses.
    for bad in [
        "Answer yes",
        "Answer no",
        "Leave empty",
        "leave empty",
        "(true or false)",
    ] {
        assert!(
            !template.contains(bad),
            "`{bad}` in the template:\n{template}"
        );
    }
    // Filled as its brackets say, every fact loads (the blank template
    // itself is refused, fact by fact).
    let dir = Scratch::new("wording-template");
    let blank = dir.write("blank.yaml", &template);
    let (code, _, err) = obligo(&["check", "--error-format", "plain", &blank]);
    assert_eq!(code, 2);
    assert!(err.contains("` is blank"), "{err}");
    assert!(!err.contains("should be"), "only blanks: {err}");
    // The bundled ruleset's questions pass the checks that guard this.
    let (code, out, _) = obligo(&["lint", "rules/"]);
    assert_eq!((code, out.as_str()), (0, "no findings\n"));
}
