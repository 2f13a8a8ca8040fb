//! Reading one scenario file: the YAML, then every name, date, status and
//! fact checked against the ruleset, each problem located.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde_saphyr::{Location, Spanned};

use super::raw::{Entries, RawScenario, RawScenarioFile};
use super::{Check, Expected, ItemCheck, Scenario};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::eval::{Dates, Status};
use crate::facts::raw::RawScalar;
use crate::facts::{self, Facts, Slot, YamlProblem};
use crate::model::{Each, FactId, KindId, PeriodUnit, RuleKind, Ruleset};

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
        .chain(
            raw.items
                .iter()
                .flat_map(|i| i.value.0.iter().map(|(k, _)| k.value.clone())),
        )
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
                        .with_help("write what the scenario shows, such as `name: Switched on before the deadline, the rule is met`"),
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
            .chain(
                raw.items
                    .iter()
                    .flat_map(|i| i.value.0.iter().map(|(k, _)| k.value.as_str())),
            )
            .collect();
        let mut forget = Vec::new();
        let mut forget_kinds = Vec::new();
        for u in raw.unknown.iter().flatten() {
            let span = self.span(&u.referenced);
            // A kind of item named here: the shared list of that kind is left out.
            let named = self
                .ruleset
                .fact_named(&u.value)
                .map(Left::Fact)
                .or_else(|| self.ruleset.kind_named(&u.value).map(Left::List));
            match named {
                None => errors.push(facts::unknown_fact(self.ruleset, &u.value, span)),
                Some(_) if own_names.contains(u.value.as_str()) => errors.push(
                    Diagnostic::error(
                        span,
                        format!("`{}` is given in this scenario's facts and said to be unknown", u.value),
                        "both given and unknown",
                    )
                    .with_help("remove it from `unknown:`, or remove it from the scenario's `facts:` or `items:`"),
                ),
                Some(_) if !shared_names.contains(&u.value) => errors.push(
                    Diagnostic::error(
                        span,
                        format!("`{}` is not among the file's shared facts, so it is unknown already", u.value),
                        "not shared",
                    )
                    .with_help("`unknown:` lists shared facts (the file's `facts:`) and lists (its `items:`) that this scenario leaves out; remove this line"),
                ),
                Some(Left::Fact(id)) => forget.push(id),
                Some(Left::List(kind)) => forget_kinds.push(kind),
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
        // Items are named by their keys in the facts this scenario judges.
        let merged = own.map(|own| {
            let mut facts = merge(own, shared, &forget);
            for k in &forget_kinds {
                if let Some(list) = facts.items.get_mut(k.index()) {
                    *list = None;
                }
            }
            facts
        });
        if let (Some(items), Some(facts)) = (&raw.expect_items, &merged) {
            self.item_expectations(&items.value, facts, &mut checks, &mut errors);
        }
        let written = raw.expect.as_ref().map_or(0, |e| e.value.0.len())
            + raw.missing.as_ref().map_or(0, |m| m.value.0.len())
            + raw.expect_items.as_ref().map_or(0, |m| m.value.0.len());
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
        match (name, as_of, known_on, merged) {
            (Some(name), Some(as_of), Some(known_on), Some(facts)) if errors.is_empty() => {
                Ok(Scenario {
                    file: self.shown.to_string(),
                    line,
                    name,
                    dates: Dates { as_of, known_on },
                    facts,
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
                    items: Vec::new(),
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
                match self.missing_fact(&f.value) {
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
                    items: Vec::new(),
                }),
            }
        }
    }

    /// A fact a result can give as missing: an organisation's fact, a kind's
    /// list (named by the kind) or an item's field (`kind.field`).
    fn missing_fact(&self, name: &str) -> Option<FactId> {
        self.ruleset
            .fact_named(name)
            .or_else(|| {
                self.ruleset
                    .kind_named(name)
                    .and_then(|k| self.ruleset.kinds.get(k.index()))
                    .map(|k| k.list)
            })
            .or_else(|| {
                let (kind, _) = name.split_once('.')?;
                let k = self
                    .ruleset
                    .kinds
                    .get(self.ruleset.kind_named(kind)?.index())?;
                k.fields
                    .iter()
                    .copied()
                    .find(|f| self.ruleset.fact(*f).name == name)
            })
    }

    /// `expect_items:`: rule → item key → status, the keys checked against
    /// the items the scenario gives (or the shape of a period).
    fn item_expectations(
        &self,
        entries: &Entries<Entries<RawScalar>>,
        facts: &Facts,
        checks: &mut Vec<Check>,
        errors: &mut Vec<Diagnostic>,
    ) {
        for (rule, items) in &entries.0 {
            let Some(rule_id) = self.rule(rule, errors) else {
                continue;
            };
            let r = self.ruleset.rule(rule_id);
            let keys = match &r.each {
                None => {
                    errors.push(
                        Diagnostic::error(
                            self.span(&rule.referenced),
                            format!("`{}` is not judged for each item or period", rule.value),
                            "no items",
                        )
                        .with_help(format!(
                            "`expect_items:` is for rules written `for each`; expect this rule's status under `expect:`, as `{}: met`",
                            rule.value
                        )),
                    );
                    continue;
                }
                Some(Each::Item { kind, .. }) => {
                    let k = self.ruleset.kinds.get(kind.index());
                    let many = k.map_or("items", |k| k.many.as_str());
                    let name = k.map_or("", |k| k.name.as_str());
                    match facts.items_in(self.ruleset, *kind) {
                        None => {
                            errors.push(
                                Diagnostic::error(
                                    self.span(&rule.referenced),
                                    format!("`{}` is judged for each of the {many}, and this scenario gives no list of them", rule.value),
                                    "no list",
                                )
                                .with_help(format!(
                                    "list them under `items:` (the file's, or this scenario's), as `{name}:` then `- id: …` for each"
                                )),
                            );
                            continue;
                        }
                        Some(list) => ItemKeys::List {
                            keys: list
                                .iter()
                                .enumerate()
                                .map(|(i, it)| {
                                    it.id.clone().unwrap_or_else(|| format!("#{}", i + 1))
                                })
                                .collect(),
                            many: many.to_string(),
                        },
                    }
                }
                Some(Each::Period) => ItemKeys::Period(
                    r.versions
                        .iter()
                        .find_map(|v| v.every.as_ref().map(|e| e.unit))
                        .unwrap_or(PeriodUnit::Month),
                ),
            };
            let mut seen: Vec<String> = Vec::new();
            let mut list = Vec::new();
            for (key, status) in &items.value.0 {
                let span = self.span(&key.referenced);
                let k = key.value.trim().to_string();
                if let Some(problem) = keys.problem(&k) {
                    errors.push(problem.at(span));
                }
                if seen.contains(&k) {
                    errors.push(
                        Diagnostic::error(span, format!("`{k}` is expected twice"), "second time")
                            .with_help("give each item's status once; remove one of the two lines"),
                    );
                }
                seen.push(k.clone());
                let expected = match &status.value {
                    RawScalar::Str(s) => Expected::parse(s.trim()),
                    _ => None,
                };
                match expected {
                    None => {
                        errors.push(unknown_status(self.span(&status.referenced), &status.value))
                    }
                    Some(status) => list.push(ItemCheck {
                        key: k,
                        line: key.referenced.line() as usize,
                        status,
                    }),
                }
            }
            match checks.iter_mut().find(|c| c.rule == rule_id) {
                Some(c) => c.items = list,
                None => checks.push(Check {
                    rule: rule_id,
                    line: rule.referenced.line() as usize,
                    status: None,
                    missing: None,
                    items: list,
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

/// What a scenario's `unknown:` leaves out: a shared fact, or a shared list of items.
enum Left {
    Fact(FactId),
    List(KindId),
}

/// The keys the items of one rule go by, to check an `expect_items:` key.
enum ItemKeys {
    /// The items of a list: their ids, or `#N`.
    List { keys: Vec<String>, many: String },
    /// The periods of a recurring deadline, of this length.
    Period(PeriodUnit),
}

/// What is wrong with an item key, before its place is known.
struct KeyProblem {
    message: String,
    label: &'static str,
    help: String,
}

impl KeyProblem {
    fn at(self, span: Span) -> Diagnostic {
        Diagnostic::error(span, self.message, self.label).with_help(self.help)
    }
}

impl ItemKeys {
    /// Why `key` names no item, if it does not.
    fn problem(&self, key: &str) -> Option<KeyProblem> {
        match self {
            Self::List { keys, many } => {
                if keys.iter().any(|k| k == key) {
                    return None;
                }
                let shown: Vec<String> = keys.iter().take(8).map(|k| format!("`{k}`")).collect();
                let more = if keys.len() > 8 { ", …" } else { "" };
                let listed = if keys.is_empty() {
                    format!("this scenario lists no {many}")
                } else {
                    format!("its {many} are {}{more}", shown.join(", "))
                };
                let help = match did_you_mean(key, keys.iter().map(String::as_str)) {
                    Some(d) => format!("{d} ({listed})"),
                    None => format!(
                        "name an item by its `id`, or by `\"#N\"` (quoted), its place in the list from 1, when it has none; {listed}"
                    ),
                };
                Some(KeyProblem {
                    message: format!("no item `{key}` among this scenario's {many}"),
                    label: "no such item",
                    help,
                })
            }
            Self::Period(unit) => {
                let ok = match unit {
                    PeriodUnit::Month => {
                        key.len() == 7
                            && NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d").is_ok()
                    }
                    PeriodUnit::Year => key.len() == 4 && key.parse::<u16>().is_ok(),
                    PeriodUnit::Quarter => key.split_once(" Q").is_some_and(|(y, q)| {
                        y.len() == 4
                            && y.parse::<u16>().is_ok()
                            && matches!(q, "1" | "2" | "3" | "4")
                    }),
                    PeriodUnit::Week => key
                        .strip_prefix("week of ")
                        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                        .is_some_and(|d| chrono::Datelike::weekday(&d) == chrono::Weekday::Mon),
                };
                let form = match unit {
                    PeriodUnit::Month => "a month, as `2024-05`",
                    PeriodUnit::Year => "a year, as `2024`",
                    PeriodUnit::Quarter => "a quarter, as `2024 Q2`",
                    PeriodUnit::Week => "a week, by its Monday, as `week of 2024-05-06`",
                };
                (!ok).then(|| KeyProblem {
                    message: format!("`{key}` is not a period of this rule"),
                    label: "not a period",
                    help: format!("the rule is judged for each period of its recurring deadline: name one as {form}"),
                })
            }
        }
    }
}
