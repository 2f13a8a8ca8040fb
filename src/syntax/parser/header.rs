//! The ruleset header: name, title, version and date, then, in any order,
//! the warning window and the ruleset's own words for what reports name.

use pest::iterators::Pair;

use super::{Builder, Parts, Rule};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::*;

impl Builder {
    /// `ruleset NAME "title" version "label" published DATE` and its parts.
    pub(super) fn ruleset_header(&self, pair: Pair<'_, Rule>) -> Option<RulesetHeader> {
        let mut p = Parts::new(pair);
        let mut header = RulesetHeader {
            name: self.text(p.next()?),
            title: self.string(p.next()?),
            version: self.string(p.next()?),
            published: self.date(p.next()?)?,
            due_soon: None,
            organisation: None,
            headings: Vec::new(),
        };
        // The line each clause was first given on, by its name, for
        // "given twice": `due soon`, `organisation`, `heading advice`.
        let mut given: Vec<(String, usize)> = Vec::new();
        for part in p.rest() {
            let at = self.span(&part);
            let line = part.as_span().start_pos().line_col().0;
            let clause = match part.as_rule() {
                Rule::due_soon => "`due soon`".to_string(),
                Rule::organisation_words => "`organisation`".to_string(),
                Rule::heading => {
                    let force = Parts::new(part.clone()).next().map_or("", |f| f.as_str());
                    format!("`heading {force}`")
                }
                _ => continue,
            };
            if let Some((_, first)) = given.iter().find(|(c, _)| *c == clause) {
                self.twice(at, &clause, *first);
                continue;
            }
            given.push((clause, line));
            match part.as_rule() {
                Rule::due_soon => header.due_soon = Some(self.due_soon(part)?),
                Rule::organisation_words => header.organisation = self.organisation_words(part),
                _ => {
                    let mut h = Parts::new(part);
                    let force = self.binding_force(h.next()?);
                    let title = self.wording(h.next()?, "the heading's title");
                    header.headings.push(Heading { force, title });
                }
            }
        }
        Some(header)
    }

    /// `organisation "one", "many" [id "…"]`; the plural is required, and
    /// said so in words when left out.
    fn organisation_words(&self, pair: Pair<'_, Rule>) -> Option<OrganisationWords> {
        let mut p = Parts::new(pair);
        let one = self.wording(p.next()?, "the organisation's name");
        let mut next = p.next();
        let many = match next.take_if(|n| n.as_rule() == Rule::plural) {
            Some(plural) => self.wording(Parts::new(plural).next()?, "the organisation's plural"),
            None => {
                self.errors.borrow_mut().push(
                    Diagnostic::error(
                        one.span,
                        "the organisation is named without its plural",
                        "the word for one, but not for many",
                    )
                    .with_help(format!(
                        "give the word for one and for many, as an item does: organisation \"{0}\", \"{0}s\"",
                        one.node
                    )),
                );
                return None;
            }
        };
        let id = next
            .or_else(|| p.next())
            .map(|i| self.wording(i, "the identifier's name"));
        Some(OrganisationWords { one, many, id })
    }

    /// A text of the ruleset's wording: on one line, and not empty.
    fn wording(&self, pair: Pair<'_, Rule>, what: &str) -> Node<String> {
        let text = self.string(pair);
        if text.node.trim().is_empty() {
            self.errors.borrow_mut().push(
                Diagnostic::error(text.span, format!("{what} is empty"), "empty").with_help(
                    "write the words reports should use, or leave the clause out for the neutral default",
                ),
            );
        }
        text
    }

    /// "`clause` is given twice", at the second, naming the line of the first.
    fn twice(&self, at: Span, what: &str, first: usize) {
        self.errors.borrow_mut().push(
            Diagnostic::error(
                at,
                format!("{what} is given twice in the ruleset header"),
                "given again",
            )
            .with_help(format!("it is first given on line {first}; keep one")),
        );
    }

    /// `binding`, `regulator-view`, `expectation` or `advice`.
    pub(super) fn binding_force(&self, pair: Pair<'_, Rule>) -> Node<BindingForce> {
        let force = match pair.as_str() {
            "binding" => BindingForce::Binding,
            "regulator-view" => BindingForce::RegulatorView,
            "expectation" => BindingForce::Expectation,
            _ => BindingForce::Advice,
        };
        Node::new(force, self.span(&pair))
    }
}
