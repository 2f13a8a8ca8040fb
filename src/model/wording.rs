//! The ruleset's own words for what reports name: the organisation a facts
//! file describes, its identifier, and the title of each binding force's
//! rules. Only what the ruleset says is kept; `report::wording` gives the
//! neutral words for what it leaves out.

use super::BindingForce;
use crate::syntax::ast;

/// What the ruleset's header says reports should call things.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wording {
    /// `organisation "practice", "practices"`.
    pub organisation: Option<Noun>,
    /// `id "ODS code"`: the name of the organisation's identifier.
    pub id: Option<String>,
    /// `heading FORCE "title"`, each force at most once.
    headings: Vec<(BindingForce, String)>,
}

/// A word for one thing and for many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Noun {
    /// "practice".
    pub one: String,
    /// "practices".
    pub many: String,
}

impl Wording {
    /// The ruleset's wording, as its header gives it.
    pub(crate) fn of(header: &ast::RulesetHeader) -> Self {
        let organisation = header.organisation.as_ref();
        Self {
            organisation: organisation.map(|o| Noun {
                one: o.one.node.clone(),
                many: o.many.node.clone(),
            }),
            id: organisation
                .and_then(|o| o.id.as_ref())
                .map(|i| i.node.clone()),
            headings: header
                .headings
                .iter()
                .map(|h| (h.force.node, h.title.node.clone()))
                .collect(),
        }
    }

    /// The ruleset's title for the rules of `force`, if it gives one.
    pub fn heading(&self, force: BindingForce) -> Option<&str> {
        self.headings
            .iter()
            .find(|(f, _)| *f == force)
            .map(|(_, t)| t.as_str())
    }
}
