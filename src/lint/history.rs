//! A rule's history as a whole: gaps between its versions, and a last
//! version that ends with nothing said about what follows.

use super::{Check, Findings};
use crate::model::{Rule, Ruleset};

pub(super) fn check(ruleset: &Ruleset, found: &mut Findings) {
    for rule in &ruleset.rules {
        gaps(rule, found);
        runs_out(rule, found);
    }
}

/// A version with `until` followed by one starting more than a day later.
fn gaps(rule: &Rule, found: &mut Findings) {
    for pair in rule.versions.windows(2) {
        let [before, after] = pair else { continue };
        let Some(until) = before.until else { continue };
        let (Some(first_gap_day), Some(last_gap_day)) = (until.succ_opt(), after.from.pred_opt())
        else {
            continue;
        };
        if first_gap_day > last_gap_day {
            continue;
        }
        let days = (last_gap_day - first_gap_day).num_days() + 1;
        found.add(
            Check::VersionGap,
            after.span,
            format!("the versions of `{}` leave a gap", rule.name),
            format!(
                "no version in force from {first_gap_day} to {last_gap_day} ({days} day{})",
                if days == 1 { "" } else { "s" }
            ),
            format!(
                "check both dates against the sources: if the rule held throughout, end the \
                 version before with `until {last_gap_day}` or start this one `from {first_gap_day}`"
            ),
        );
    }
}

/// The last version ends, and no withdrawal or supersession says why.
fn runs_out(rule: &Rule, found: &mut Findings) {
    if rule.ending.is_some() {
        return;
    }
    let Some(last) = rule.versions.last() else {
        return;
    };
    let Some(until) = last.until else { return };
    // `until 9999-12-31` is a way of writing "no end": nothing follows it.
    let Some(next) = until
        .succ_opt()
        .filter(|d| chrono::Datelike::year(d) <= 9999)
    else {
        return;
    };
    found.add(
        Check::RuleRunsOut,
        rule.span,
        format!("`{}` runs out, and nothing says what follows", rule.name),
        format!("its last version ends on {until}"),
        format!(
            "say how it ended: `withdrawn {next} published DATE \"reason\" cites SOURCE`, or \
             `superseded by RULE on {next} published DATE cites SOURCE`; if it still holds, \
             remove `until`"
        ),
    );
}
