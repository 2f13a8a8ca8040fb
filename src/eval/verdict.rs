//! The verdict for one organisation, from its outcomes: computed here,
//! once, for every renderer and for the exit code.

use serde::Serialize;

use super::{Outcome, Status};
use crate::model::{BindingForce, Rule, RuleKind, Ruleset};

/// The overall verdict, from binding duties only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No binding duty overdue and none unknown.
    Compliant,
    /// No binding duty overdue, but some binding duty is unknown.
    Undetermined,
    /// Some binding duty is overdue (an obligation unmet, a prohibition breached).
    Breach,
}

impl Verdict {
    /// The verdict of one organisation's outcomes.
    pub fn of(ruleset: &Ruleset, outcomes: &[Outcome]) -> Self {
        let mut verdict = Self::Compliant;
        for o in outcomes {
            // An outcome of another ruleset's rule counts for nothing here.
            let Some(rule) = ruleset.get_rule(o.rule) else {
                continue;
            };
            if !is_binding_duty(ruleset, rule) {
                continue;
            }
            match o.status {
                Status::Overdue => return Self::Breach,
                Status::Unknown => verdict = Self::Undetermined,
                _ => {}
            }
        }
        verdict
    }

    /// The process exit code for this verdict: 0 compliant, 1 breach, 3 undetermined.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Compliant => 0,
            Self::Breach => 1,
            Self::Undetermined => 3,
        }
    }

    /// The machine name, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Compliant => "compliant",
            Self::Undetermined => "undetermined",
            Self::Breach => "breach",
        }
    }
}

/// Whether a rule's outcome counts toward the verdict: an obligation or a
/// prohibition from an authority whose force is binding. A permission that
/// is not available, or a recommendation not followed, is never a breach,
/// whoever issued it; rules of other authorities are shown, not counted.
pub fn is_binding_duty(ruleset: &Ruleset, rule: &Rule) -> bool {
    matches!(rule.kind, RuleKind::Obligation | RuleKind::Prohibition)
        && ruleset
            .authorities
            .get(rule.authority.index())
            .is_some_and(|a| a.force == BindingForce::Binding)
}
