//! Reading one scenario file: the YAML, then every name, date, status and
//! fact checked against the ruleset, each problem located.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde_saphyr::{Location, Spanned};

use super::raw::{Entries, RawScenario, RawScenarioFile};
use super::{Check, Expected, Scenario};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::eval::{Dates, Status};
use crate::facts::raw::RawScalar;
use crate::facts::{self, Facts, Slot, YamlProblem};
use crate::model::{FactId, RuleKind, Ruleset};
use crate::source::{FileId, SourceMap, Span};

const LAYOUT_HELP: &str = "a scenario file has `scenarios:`, a list whose items each have `name`, `as_of` and `expect` (docs/scenarios.md shows the layout)";

/// Reads a scenario file already added to `sources`, reporting every problem.
pub fn read(
    ruleset: &Ruleset,
    sources: &SourceMap,
    file: FileId,
) -> Result<Vec<Scenario>, Vec<Diagnostic>> {
    let Some(src) = sources.get(file) else {
        return Err(vec![Diagnostic::bare("internal: scenario file not loaded")]);
    };
    let text = src.text.clone();
    let raw: RawScenarioFile = if text.trim().is_empty() {
        RawScenarioFile::default()
    } else {
        serde_saphyr::from_str_with_options(&text, facts::yaml_options())
            .map_err(|e| vec![facts::yaml_diagnostic(file, &text, &e, yaml_help)])?
    };
    let reader = Reader {
        ruleset,
        file,
        text: &text,
        shown: &src.name,
    };
    let mut errors = Vec::new();
    let shared_names: BTreeSet<String> = raw
        .facts
        .iter()
        .flat_map(|f| f.value.0.iter().map(|(k, _)| k.value.clone()))
        .collect();
    let shared = match facts::validate(
        ruleset,
        file,
        &text,
        src.name.clone(),
        raw.organisation,
        raw.facts.map(|f| f.value),
        raw.items.map(|i| i.value),
    ) {
        Ok(f) => Some(f),
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    };
    let list = match raw.scenarios {
        Some(list) if !list.value.is_empty() => list.value,
        Some(list) => {
            errors.push(
                Diagnostic::error(reader.span(&list.referenced), "no scenarios", "empty list")
                    .with_help(LAYOUT_HELP),
            );
            return Err(errors);
        }
        None => {
            errors.push(
                Diagnostic::bare(format!("`{}` holds no scenarios", src.name))
                    .with_help(LAYOUT_HELP),
            );
            return Err(errors);
        }
    };
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for item in list {
        let at = reader.span(&item.referenced);
        match reader.scenario(item, shared.as_ref(), &shared_names) {
            Ok(s) => {
                if let Some(first) = names.insert(s.name.clone(), s.line) {
                    errors.push(
                        Diagnostic::error(
                            at,
                            format!("a second scenario is named `{}`", s.name),
                            "same name",
                        )
                        .with_help(format!(
                            "the first is on line {first}; give each scenario its own name"
                        )),
                    );
                }
                out.push(s);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The help for a YAML-level problem in a scenario file.
fn yaml_help(problem: &YamlProblem<'_>) -> String {
    match problem {
        YamlProblem::DuplicateKey(_) => {
            "each name is given once in a mapping; remove one of the two lines".into()
        }
        YamlProblem::UnknownField { field, expected } => {
            // Compared lowercased, as when this help read the message.
            match did_you_mean(&field.to_lowercase(), expected.iter().copied()) {
                Some(d) => format!("{d} (docs/scenarios.md shows the layout of a scenario file)"),
                None => {
                    "remove it: docs/scenarios.md shows what a scenario file and a scenario may hold"
                        .into()
                }
            }
        }
        YamlProblem::Other => "check the YAML layout: `scenarios:` then a list of scenarios, each starting with `- name:` (docs/scenarios.md)".into(),
    }
}

/// What reading one file needs at hand.
struct Reader<'a> {
    ruleset: &'a Ruleset,
    file: FileId,
    text: &'a str,
    shown: &'a str,
}

impl Reader<'_> {
    fn span(&self, loc: &Location) -> Span {
        facts::location_span(self.file, self.text, loc)
    }

    fn scenario(
        &self,
        item: Spanned<RawScenario>,
        shared: Option<&Facts>,
        shared_names: &BTreeSet<String>,
    ) -> Result<Scenario, Vec<Diagnostic>> {
        let at = self.span(&item.referenced);
        let line = item.referenced.line() as usize;
        let raw = item.value;
        let mut errors = Vec::new();
        let name = match raw.name {
            None => {
                errors.push(missing_key(
                    at,
                    "name",
                    "add `name:`, a sentence saying what the scenario shows",
                ));
                None
            }
            Some(n) => match n.value {
                RawScalar::Str(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                other => {
                    errors.push(
                        Diagnostic::error(
                            self.span(&n.referenced),
                            format!(
                                "a scenario's name should be a sentence, not `{}`",
                                facts::show(&other)
                            ),
                            "not a name",
                        )
                        .with_help("write what the scenario shows, such as `name: A practice live before the deadline meets it`"),
                    );
                    None
                }
            },
        };
        let as_of = match raw.as_of {
            None => {
                errors.push(missing_key(
                    at,
                    "as_of",
                    "add `as_of: YYYY-MM-DD`, the date judged",
                ));
                None
            }
            Some(d) => self.date(&d, "as_of", &mut errors),
        };
        let known_on = match &raw.known_on {
            None => as_of,
            Some(d) => self.date(d, "known_on", &mut errors),
        };
        let own = facts::validate(
            self.ruleset,
            self.file,
            self.text,
            self.shown.to_string(),
            raw.organisation,
            raw.facts.as_ref().map(|f| f.value.clone()),
            raw.items.as_ref().map(|i| i.value.clone()),
        )
        .map_err(|mut e| errors.append(&mut e))
        .ok();
        let own_names: BTreeSet<&str> = raw
            .facts
            .iter()
            .flat_map(|f| f.value.0.iter().map(|(k, _)| k.value.as_str()))
            .collect();
        let mut forget = Vec::new();
        for u in raw.unknown.iter().flatten() {
            let span = self.span(&u.referenced);
            match self.ruleset.fact_named(&u.value) {
                None => errors.push(facts::unknown_fact(self.ruleset, &u.value, span)),
                Some(_) if own_names.contains(u.value.as_str()) => errors.push(
                    Diagnostic::error(
                        span,
                        format!("`{}` is given in this scenario's facts and said to be unknown", u.value),
                        "both given and unknown",
                    )
                    .with_help("remove it from `unknown:`, or remove its line from the scenario's `facts:`"),
                ),
                Some(_) if !shared_names.contains(&u.value) => errors.push(
                    Diagnostic::error(
                        span,
                        format!("`{}` is not among the file's shared facts, so it is unknown already", u.value),
                        "not shared",
                    )
                    .with_help("`unknown:` lists shared facts (the file's `facts:`) that this scenario leaves out; remove this line"),
                ),
                Some(id) => forget.push(id),
            }
        }
        let mut checks = Vec::new();
        if let Some(expect) = &raw.expect {
            self.expectations(&expect.value, &mut checks, &mut errors);
        }
        if let Some(missing) = &raw.missing {
            self.missing(&missing.value, &mut checks, &mut errors);
        }
        let disputed = match raw.disputed {
            None => None,
            Some(d) => match d.value {
                RawScalar::Str(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                other => {
                    errors.push(
                        Diagnostic::error(
                            self.span(&d.referenced),
                            format!("`disputed` should say why, not `{}`", facts::show(&other)),
                            "no reason",
                        )
                        .with_help("write who reads it differently and why, such as `disputed: the research reads this as not applicable`"),
                    );
                    None
                }
            },
        };
        let written = raw.expect.as_ref().map_or(0, |e| e.value.0.len())
            + raw.missing.as_ref().map_or(0, |m| m.value.0.len());
        if written == 0 {
            let span = raw
                .expect
                .as_ref()
                .filter(|e| e.referenced.line() > 0)
                .map_or(at, |e| self.span(&e.referenced));
            errors.push(
                Diagnostic::error(span, "this scenario expects nothing", "nothing to check")
                    .with_help(
                        "add `expect:`, then one `rule-name: status` line for each rule to check",
                    ),
            );
        }
        match (name, as_of, known_on, own) {
            (Some(name), Some(as_of), Some(known_on), Some(own)) if errors.is_empty() => {
                Ok(Scenario {
                    file: self.shown.to_string(),
                    line,
                    name,
                    dates: Dates { as_of, known_on },
                    facts: merge(own, shared, &forget),
                    checks,
                    disputed,
                })
            }
            _ => Err(errors),
        }
    }

    /// A date-valued key of a scenario.
    fn date(
        &self,
        value: &Spanned<RawScalar>,
        key: &str,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<NaiveDate> {
        let parsed = match &value.value {
            RawScalar::Str(s) => facts::parse_date(s),
            _ => None,
        };
        if parsed.is_none() {
            errors.push(
                Diagnostic::error(
                    self.span(&value.referenced),
                    format!(
                        "`{key}` should be a date, not `{}`",
                        facts::show(&value.value)
                    ),
                    "not a date",
                )
                .with_help("write dates as YYYY-MM-DD, like 2023-10-31"),
            );
        }
        parsed
    }

    /// `expect:`: rule → status.
    fn expectations(
        &self,
        entries: &Entries<RawScalar>,
        checks: &mut Vec<Check>,
        errors: &mut Vec<Diagnostic>,
    ) {
        for (rule, status) in &entries.0 {
            let rule_id = self.rule(rule, errors);
            let expected = match &status.value {
                RawScalar::Str(s) => Expected::parse(s.trim()),
                _ => None,
            };
            if expected.is_none() {
                errors.push(unknown_status(self.span(&status.referenced), &status.value));
            }
            if let (Some(rule_id), Some(expected)) = (rule_id, expected) {
                checks.push(Check {
                    rule: rule_id,
                    line: rule.referenced.line() as usize,
                    status: Some(expected),
                    missing: None,
                });
            }
        }
    }

    /// `missing:`: rule → the facts expected missing.
    fn missing(
        &self,
        entries: &Entries<Vec<Spanned<String>>>,
        checks: &mut Vec<Check>,
        errors: &mut Vec<Diagnostic>,
    ) {
        for (rule, list) in &entries.0 {
            let rule_id = self.rule(rule, errors);
            let mut ids: Vec<FactId> = Vec::new();
            for f in &list.value {
                match self.ruleset.fact_named(&f.value) {
                    Some(id) => ids.push(id),
                    None => errors.push(facts::unknown_fact(
                        self.ruleset,
                        &f.value,
                        self.span(&f.referenced),
                    )),
                }
            }
            ids.sort();
            ids.dedup();
            let Some(rule_id) = rule_id else { continue };
            match checks.iter_mut().find(|c| c.rule == rule_id) {
                Some(c) => c.missing = Some(ids),
                None => checks.push(Check {
                    rule: rule_id,
                    line: rule.referenced.line() as usize,
                    status: None,
                    missing: Some(ids),
                }),
            }
        }
    }

    /// A rule named in `expect:` or `missing:`.
    fn rule(
        &self,
        name: &Spanned<String>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<crate::model::RuleId> {
        let id = self.ruleset.rule_named(&name.value);
        if id.is_none() {
            let help = did_you_mean(
                &name.value,
                self.ruleset.rules.iter().map(|r| r.name.as_str()),
            )
            .unwrap_or_else(|| "run `obligo rules` to list the rules and their names".into());
            errors.push(
                Diagnostic::error(
                    self.span(&name.referenced),
                    format!("unknown rule `{}`", name.value),
                    "not in the ruleset",
                )
                .with_help(help),
            );
        }
        id
    }
}

fn missing_key(at: Span, key: &str, help: &str) -> Diagnostic {
    Diagnostic::error(
        at,
        format!("this scenario has no `{key}`"),
        format!("`{key}` needed"),
    )
    .with_help(help)
}

fn unknown_status(span: Span, found: &RawScalar) -> Diagnostic {
    let codes: Vec<&str> = Expected::all().map(Expected::code).collect();
    let choices = codes.join(", ");
    let shown = facts::show(found);
    let hint = match found {
        RawScalar::Str(s) => report_word(s.trim())
            .map(|(status, kind)| {
                let status = status.code();
                match kind {
                    None => format!("`{shown}` is how reports word `{status}`; write `{status}`"),
                    Some(RuleKind::Obligation) => format!(
                        "`{shown}` is how reports word `{status}` for an obligation; write `{status}`"
                    ),
                    Some(k) => format!(
                        "`{shown}` is how reports word `{status}` for a {}; write `{status}`",
                        k.keyword()
                    ),
                }
            })
            .or_else(|| did_you_mean(&s.trim().replace(' ', "_"), codes.iter().copied())),
        _ => None,
    };
    let help = match hint {
        Some(h) => format!("{h} (the statuses are: {choices})"),
        None => format!("the statuses are: {choices}"),
    };
    let message = match found {
        RawScalar::Str(_) => format!("unknown status `{shown}`"),
        _ => format!("a status is a word such as `met`, not `{shown}`"),
    };
    Diagnostic::error(span, message, "not a status").with_help(help)
}

/// The status a report words as `word` ("breached" is how a prohibition
/// words `overdue`), and the kind of rule that words it so, if only one does.
fn report_word(word: &str) -> Option<(Status, Option<RuleKind>)> {
    const KINDS: [RuleKind; 4] = [
        RuleKind::Obligation,
        RuleKind::Prohibition,
        RuleKind::Recommendation,
        RuleKind::Permission,
    ];
    Status::ALL
        .into_iter()
        .filter(|s| s.code() != word)
        .find_map(|s| {
            let kinds: Vec<RuleKind> = KINDS
                .into_iter()
                .filter(|k| crate::report::words::status(s, *k) == word)
                .collect();
            match kinds.as_slice() {
                [] => None,
                [kind] => Some((s, Some(*kind))),
                _ => Some((s, None)),
            }
        })
}

/// The scenario's facts over the shared ones, less those it takes as unknown.
fn merge(own: Facts, shared: Option<&Facts>, forget: &[FactId]) -> Facts {
    let mut facts = own;
    if let Some(base) = shared {
        for (slot, base) in facts.slots.iter_mut().zip(&base.slots) {
            if *slot == Slot::Absent {
                *slot = base.clone();
            }
        }
        // A scenario's list of a kind replaces the shared one whole.
        facts
            .items
            .resize(base.items.len().max(facts.items.len()), None);
        for (list, base) in facts.items.iter_mut().zip(&base.items) {
            if list.is_none() {
                list.clone_from(base);
            }
        }
        facts.name = facts.name.or_else(|| base.name.clone());
        facts.id = facts.id.or_else(|| base.id.clone());
        facts.recorded = facts.recorded.or(base.recorded);
    }
    for id in forget {
        if let Some(slot) = facts.slots.get_mut(id.0 as usize) {
            *slot = Slot::Absent;
        }
    }
    facts
}
