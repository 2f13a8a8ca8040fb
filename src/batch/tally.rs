//! What a batch counts as it goes, for its summary: organisations by
//! verdict, each rule's statuses, the facts most often missing, and the
//! organisations with overdue binding duties. Counts only, no words: the
//! summary's words are in `report::batch`. Its size depends on the ruleset,
//! not on the number of rows (the list of organisations is capped).

use crate::eval::{Outcome, Plan, Status, Verdict, is_binding_duty};
use crate::facts::Facts;
use crate::model::{FactId, RuleId};

/// How many organisations with overdue binding duties the summary names;
/// the output lists them all.
pub const NAMED_OVERDUE: usize = 1000;

/// The counts of a batch (or of a part of one, merged in input order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Rows judged (valid organisations).
    pub organisations: u64,
    /// Rows that could not be read or failed validation.
    pub invalid: u64,
    /// Organisations by verdict: compliant, undetermined, breach.
    pub by_verdict: [u64; 3],
    /// Per rule (by rule index), the count of each status (in
    /// [`Status::ALL`] order).
    pub by_rule: Vec<[u64; 8]>,
    /// Per fact (by fact index), the organisations for which some rule
    /// needed it and it was not given.
    pub missing: Vec<u64>,
    /// The first [`NAMED_OVERDUE`] organisations with an overdue binding duty.
    pub overdue: Vec<Overdue>,
    /// How many organisations have an overdue binding duty in all.
    pub overdue_total: u64,
}

/// An organisation with overdue binding duties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    /// Its row in the batch (1-based).
    pub row: u64,
    /// Its identifier and name, as given.
    pub id: Option<String>,
    pub name: Option<String>,
    /// The binding duties overdue.
    pub rules: Vec<RuleId>,
}

/// A worker's scratch for counting missing facts once per organisation.
#[derive(Debug, Default)]
pub struct Seen {
    /// For each fact, the last row that counted it.
    stamp: Vec<u64>,
}

impl Tally {
    /// Empty counts for `plan`'s ruleset.
    pub fn new(plan: &Plan<'_>) -> Self {
        let rs = plan.ruleset();
        Self {
            by_rule: vec![[0; 8]; rs.rules.len()],
            missing: vec![0; rs.facts.len()],
            ..Self::default()
        }
    }

    /// Counts one organisation, row `row` of the batch.
    pub fn add(
        &mut self,
        plan: &Plan<'_>,
        row: u64,
        facts: &Facts,
        outcomes: &[Outcome],
        verdict: Verdict,
        seen: &mut Seen,
    ) {
        let rs = plan.ruleset();
        self.organisations += 1;
        if let Some(n) = self.by_verdict.get_mut(verdict_index(verdict)) {
            *n += 1;
        }
        if seen.stamp.len() < rs.facts.len() {
            seen.stamp.resize(rs.facts.len(), 0);
        }
        let mut overdue = Vec::new();
        for o in outcomes {
            if let Some(n) = self
                .by_rule
                .get_mut(o.rule.index())
                .and_then(|c| c.get_mut(o.status as usize))
            {
                *n += 1;
            }
            for f in &o.missing {
                if let Some(stamp) = seen.stamp.get_mut(f.index()).filter(|s| **s != row) {
                    *stamp = row;
                    if let Some(n) = self.missing.get_mut(f.index()) {
                        *n += 1;
                    }
                }
            }
            if o.status == Status::Overdue
                && rs.get_rule(o.rule).is_some_and(|r| is_binding_duty(rs, r))
            {
                overdue.push(o.rule);
            }
        }
        if !overdue.is_empty() {
            self.overdue_total += 1;
            if self.overdue.len() < NAMED_OVERDUE {
                self.overdue.push(Overdue {
                    row,
                    id: facts.id.clone(),
                    name: facts.name.clone(),
                    rules: overdue,
                });
            }
        }
    }

    /// Adds the counts of the rows after these (in input order).
    pub fn merge(&mut self, later: Tally) {
        self.organisations += later.organisations;
        self.invalid += later.invalid;
        for (a, b) in self.by_verdict.iter_mut().zip(later.by_verdict) {
            *a += b;
        }
        if self.by_rule.len() < later.by_rule.len() {
            self.by_rule.resize(later.by_rule.len(), [0; 8]);
        }
        for (a, b) in self.by_rule.iter_mut().zip(later.by_rule) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        if self.missing.len() < later.missing.len() {
            self.missing.resize(later.missing.len(), 0);
        }
        for (a, b) in self.missing.iter_mut().zip(later.missing) {
            *a += b;
        }
        let room = NAMED_OVERDUE.saturating_sub(self.overdue.len());
        self.overdue.extend(later.overdue.into_iter().take(room));
        self.overdue_total += later.overdue_total;
    }

    /// The worst verdict of any organisation counted, if any was.
    pub fn worst(&self) -> Option<Verdict> {
        [Verdict::Breach, Verdict::Undetermined, Verdict::Compliant]
            .into_iter()
            .find(|v| {
                self.by_verdict
                    .get(verdict_index(*v))
                    .is_some_and(|n| *n > 0)
            })
    }

    /// The count of organisations with `verdict`.
    pub fn with_verdict(&self, verdict: Verdict) -> u64 {
        self.by_verdict
            .get(verdict_index(verdict))
            .copied()
            .unwrap_or(0)
    }

    /// The count of `status` for rule `rule`.
    pub fn status_count(&self, rule: RuleId, status: Status) -> u64 {
        self.by_rule
            .get(rule.index())
            .and_then(|c| c.get(status as usize))
            .copied()
            .unwrap_or(0)
    }

    /// The facts missing for some organisation, most often first (then in
    /// schema order), at most `n`.
    pub fn most_missing(&self, n: usize) -> Vec<(FactId, u64)> {
        let mut facts: Vec<(FactId, u64)> = self
            .missing
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .filter_map(|(i, c)| Some((FactId(u32::try_from(i).ok()?), *c)))
            .collect();
        facts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.index().cmp(&b.0.index())));
        facts.truncate(n);
        facts
    }

    /// The process exit code: 2 if any row was invalid, else the worst
    /// verdict's (0 compliant, 1 breach, 3 undetermined; 0 for no rows).
    pub fn exit_code(&self) -> u8 {
        if self.invalid > 0 {
            2
        } else {
            self.worst().map_or(0, Verdict::exit_code)
        }
    }
}

fn verdict_index(v: Verdict) -> usize {
    match v {
        Verdict::Compliant => 0,
        Verdict::Undetermined => 1,
        Verdict::Breach => 2,
    }
}
