//! Positions given by the rule's own authority. A position records another
//! authority's view beside the rule; the issuing authority's view is the
//! rule itself.

use super::{Check, Findings};
use crate::model::Ruleset;

pub(super) fn check(ruleset: &Ruleset, found: &mut Findings) {
    for rule in &ruleset.rules {
        for position in rule
            .positions
            .iter()
            .filter(|p| p.authority == rule.authority)
        {
            let authority = &ruleset.authority(rule.authority).name;
            found.add(
                Check::OwnPosition,
                position.span,
                format!(
                    "`{}` gives a position of its own authority `{authority}`",
                    rule.name
                ),
                "the rule's own authority",
                format!(
                    "a position is another authority's view: if `{authority}` changed its view, \
                     add a version of the rule; otherwise name the authority whose view this is"
                ),
            );
        }
    }
}
