//! The words reports use for what a ruleset may name in its own way: the
//! ruleset's words where its header gives them (`organisation`, `id`,
//! `heading`), neutral ones where it does not.

use crate::model::{BindingForce, Wording};

/// The title of the rules of a binding force: "Binding", or the ruleset's
/// own (the GP ruleset's "Binding: law and contract").
pub fn heading(wording: &Wording, force: BindingForce) -> &str {
    wording.heading(force).unwrap_or(match force {
        BindingForce::Binding => "Binding",
        BindingForce::RegulatorView => "Regulator's view",
        BindingForce::Expectation => "Expectations (not binding)",
        BindingForce::Advice => "Advice",
    })
}

/// What one organisation a facts file describes is called: "organisation",
/// or the ruleset's own ("practice").
pub fn organisation(wording: &Wording) -> &str {
    wording
        .organisation
        .as_ref()
        .map_or("organisation", |n| n.one.as_str())
}

/// What many are called: "organisations", or the ruleset's own ("practices").
pub fn organisations(wording: &Wording) -> &str {
    wording
        .organisation
        .as_ref()
        .map_or("organisations", |n| n.many.as_str())
}

/// The name of the organisation's identifier (a facts file's `id`):
/// "identifier", or the ruleset's own ("ODS code").
pub fn id(wording: &Wording) -> &str {
    wording.id.as_deref().unwrap_or("identifier")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ruleset_without_wording_reads_neutrally() {
        let w = Wording::default();
        let all: Vec<&str> = BindingForce::ALL.iter().map(|f| heading(&w, *f)).collect();
        assert_eq!(
            all,
            [
                "Binding",
                "Regulator's view",
                "Expectations (not binding)",
                "Advice"
            ]
        );
        assert_eq!(
            (organisation(&w), organisations(&w), id(&w)),
            ("organisation", "organisations", "identifier")
        );
    }
}
