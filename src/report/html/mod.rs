//! The HTML report: one self-contained, print-friendly page. No scripts, no
//! external assets; the styles are inline so the file can be mailed or
//! archived as it is.
//!
//! Each organisation opens with its verdict and what to do now, then its
//! rules by urgency within each binding force (ended and not-yet-in-force
//! rules one line each at the end), then the definitions its explanations
//! use, each explained once. Explanations, long item lists and other
//! positions are folded on screen and always printed.

mod rule;
mod todo;

use std::fmt::Write as _;

use super::text::group_title;
use super::todo::{Todo, force_groups};
use super::view::{OrganisationView, ReportView};
use crate::model::{BindingForce, Wording};

pub use rule::ITEMS_SHOWN;

const STYLE: &str = include_str!("style.css");

/// Renders the report as one HTML page.
pub fn render(report: &ReportView) -> String {
    let mut out = String::new();
    let rs = &report.ruleset;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"obligo {}\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        esc(report.obligo_version),
        esc(&format!(
            "{}: compliance report as of {}",
            rs.title, report.as_of
        ))
    );
    let _ = writeln!(out, "<h1>{}</h1>", esc(&rs.title));
    let _ = writeln!(
        out,
        "<p class=\"meta\">Judged as of <strong>{}</strong>, by the rules known on <strong>{}</strong>, by obligo {}.</p>",
        esc(&report.as_of),
        esc(&report.known_on),
        esc(report.obligo_version)
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">Ruleset <code>{}</code> version {}, published {}; sha256 <code>{}</code>.</p>",
        esc(&rs.name),
        esc(&rs.version),
        esc(&rs.published),
        esc(&rs.sha256)
    );
    for (n, org) in report.organisations.iter().enumerate() {
        organisation(&mut out, &Scope::of(n, &rs.wording), org);
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// What one organisation's part of the page is written with: the
/// ruleset's wording, and the prefix that keeps its anchors and folds
/// unique in the page (the first organisation's rules are `#rule-name`,
/// the next ones' `#o2-rule-name` and so on).
pub(super) struct Scope<'a> {
    prefix: String,
    wording: &'a Wording,
}

impl<'a> Scope<'a> {
    fn of(n: usize, wording: &'a Wording) -> Self {
        let prefix = if n == 0 {
            String::new()
        } else {
            format!("o{}-", n + 1)
        };
        Self { prefix, wording }
    }

    /// The heading of a binding force's group, in the ruleset's words.
    fn heading(&self, force: BindingForce) -> &'a str {
        group_title(self.wording, force)
    }

    /// A rule's anchor.
    fn rule(&self, rule: &str) -> String {
        format!("{}{rule}", self.prefix)
    }

    /// A definition's anchor.
    fn definition(&self, name: &str) -> String {
        format!("{}def-{name}", self.prefix)
    }
}

fn organisation(out: &mut String, ids: &Scope<'_>, org: &OrganisationView) {
    let _ = writeln!(
        out,
        "<section class=\"organisation\">\n<h2>{}</h2>",
        esc(&org.who())
    );
    let todo = Todo::of(org);
    todo::summary(out, ids, org, &todo);
    for g in force_groups(&org.results) {
        let _ = writeln!(out, "<h3>{}</h3>", esc(ids.heading(g.force)));
        for r in g.open {
            rule::card(out, ids, r);
        }
        rule::shut(out, ids, &g.shut);
    }
    rule::definitions(out, ids, &org.definitions);
    let _ = writeln!(out, "</section>");
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
