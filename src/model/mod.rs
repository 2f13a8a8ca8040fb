//! The checked ruleset: every name resolved, every expression typed, every
//! rule's versions in order. This is what the evaluator runs.

mod check;
mod expr;
mod wording;

use chrono::NaiveDate;

pub use check::check;
pub use expr::{Aggregate, ArithOp, CmpOp, Expr, ExprKind};
pub use wording::{Noun, Wording};

use crate::source::{SourceMap, Span};
pub use crate::syntax::ast::{
    AggregateOp, BindingForce, ExceptionStatus, Length, PeriodUnit, RuleKind,
};
use crate::value::Type;

/// Index of a fact in [`Ruleset::facts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FactId(pub(crate) u32);
/// Index of a definition in [`Ruleset::definitions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DefId(pub(crate) u32);
/// Index of a rule in [`Ruleset::rules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(pub(crate) u32);
/// Index of a source in [`Ruleset::sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(pub(crate) u32);
/// Index of an item kind in [`Ruleset::kinds`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KindId(pub(crate) u32);
/// Index of an authority in [`Ruleset::authorities`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AuthorityId(pub(crate) u32);

/// A loaded, checked ruleset.
#[derive(Debug, Clone)]
pub struct Ruleset {
    /// Its name, as in `ruleset NAME`.
    pub name: String,
    /// Its title.
    pub title: String,
    /// The version label, such as `2024.06`.
    pub version: String,
    /// When this version of the ruleset was published.
    pub published: NaiveDate,
    /// The default "due soon" window for pending results.
    pub due_soon: Option<Length>,
    /// Its own words for the organisation, its identifier and the
    /// binding forces' headings (report::wording supplies the rest).
    pub wording: Wording,
    /// sha256 over the normalised rule files, in hex.
    pub sha256: String,
    /// A fingerprint of the fact schema (names, types, choices, flags):
    /// facts checked against another schema are not read.
    pub schema: u64,
    /// Who issues its rules.
    pub authorities: Vec<Authority>,
    /// The documents its rules cite.
    pub sources: Vec<Source>,
    /// The fact schema: every input, by [`FactId`]: the organisation's
    /// facts, and for each kind of item its list and its fields (see
    /// [`Fact::owner`]).
    pub facts: Vec<Fact>,
    /// The kinds of item, by [`KindId`].
    pub kinds: Vec<ItemKind>,
    /// How many aggregates are computed once per organisation (those that
    /// read no item from outside and no `period`).
    pub memoised_aggregates: u32,
    /// Named derived values, by [`DefId`].
    pub definitions: Vec<Definition>,
    /// The rules, by [`RuleId`], in the order written.
    pub rules: Vec<Rule>,
    /// The rule files' texts, for showing what a rule says.
    pub texts: SourceMap,
}

macro_rules! index {
    ($($id:ident),*) => {$(
        impl $id {
            /// Its position in the ruleset's list.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
index!(FactId, DefId, RuleId, SourceId, AuthorityId, KindId);

impl Ruleset {
    /// The rule with this id, or `None` for an id of another ruleset.
    pub fn get_rule(&self, id: RuleId) -> Option<&Rule> {
        self.rules.get(id.index())
    }
    /// The fact with this id, or `None` for an id of another ruleset.
    pub fn get_fact(&self, id: FactId) -> Option<&Fact> {
        self.facts.get(id.index())
    }
    /// The definition with this id, or `None` for an id of another ruleset.
    pub fn get_definition(&self, id: DefId) -> Option<&Definition> {
        self.definitions.get(id.index())
    }
    /// The rules, each with its id.
    pub fn rule_ids(&self) -> impl Iterator<Item = (RuleId, &Rule)> {
        self.rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((RuleId(u32::try_from(i).ok()?), r)))
    }
}

/// Ids are made only by the checker, for this ruleset, and cannot be made
/// outside the crate, so inside it they are always in range.
#[expect(
    clippy::indexing_slicing,
    reason = "ids are made only by the checker, for this ruleset, so they are always in range"
)]
impl Ruleset {
    /// The fact with this id.
    pub(crate) fn fact(&self, id: FactId) -> &Fact {
        &self.facts[id.0 as usize]
    }
    /// The definition with this id.
    pub(crate) fn definition(&self, id: DefId) -> &Definition {
        &self.definitions[id.0 as usize]
    }
    /// The rule with this id.
    pub(crate) fn rule(&self, id: RuleId) -> &Rule {
        &self.rules[id.0 as usize]
    }
    /// The source with this id.
    pub(crate) fn source(&self, id: SourceId) -> &Source {
        &self.sources[id.0 as usize]
    }
    /// The authority with this id.
    pub(crate) fn authority(&self, id: AuthorityId) -> &Authority {
        &self.authorities[id.0 as usize]
    }
    /// The kind of item with this id.
    pub(crate) fn kind(&self, id: KindId) -> &ItemKind {
        &self.kinds[id.0 as usize]
    }
    /// Finds an organisation's fact by name (for loading facts files, never
    /// for evaluation): item fields and lists are not facts of the organisation.
    pub fn fact_named(&self, name: &str) -> Option<FactId> {
        self.facts
            .iter()
            .position(|f| f.name == name && f.owner == Owner::Organisation)
            .and_then(|i| u32::try_from(i).ok())
            .map(FactId)
    }
    /// Finds a kind of item by name.
    pub fn kind_named(&self, name: &str) -> Option<KindId> {
        self.kinds
            .iter()
            .position(|k| k.name == name)
            .and_then(|i| u32::try_from(i).ok())
            .map(KindId)
    }
    /// The kinds of item, each with its id.
    pub fn kind_ids(&self) -> impl Iterator<Item = (KindId, &ItemKind)> {
        self.kinds
            .iter()
            .enumerate()
            .filter_map(|(i, k)| Some((KindId(u32::try_from(i).ok()?), k)))
    }
    /// The organisation's own facts (not item fields or lists), each with its id.
    pub fn organisation_facts(&self) -> impl Iterator<Item = (FactId, &Fact)> {
        self.facts
            .iter()
            .enumerate()
            .filter(|(_, f)| f.owner == Owner::Organisation)
            .filter_map(|(i, f)| Some((FactId(u32::try_from(i).ok()?), f)))
    }
    /// Finds a rule by name.
    pub fn rule_named(&self, name: &str) -> Option<RuleId> {
        self.rules
            .iter()
            .position(|r| r.name == name)
            .and_then(|i| u32::try_from(i).ok())
            .map(RuleId)
    }
}

/// Who issues rules, and how binding they are.
#[derive(Debug, Clone)]
pub struct Authority {
    /// Its name in rule files.
    pub name: String,
    /// Its name as shown.
    pub title: String,
    /// How binding its rules are.
    pub force: BindingForce,
}

/// A citable document.
#[derive(Debug, Clone)]
pub struct Source {
    /// Its name in rule files.
    pub name: String,
    /// Its title.
    pub title: String,
    /// Who issued it, as shown.
    pub issuer: String,
    /// When it was published.
    pub published: NaiveDate,
    /// Where to read it, if known.
    pub url: Option<String>,
    /// The source's name where it is declared.
    pub span: Span,
    /// Its `published` date as written.
    pub published_span: Span,
}

/// A source cited, with an optional pinpoint.
#[derive(Debug, Clone)]
pub struct Citation {
    /// The source.
    pub source: SourceId,
    /// The section or paragraph, if given.
    pub pinpoint: Option<String>,
    /// The source's name as cited.
    pub span: Span,
}

/// Whose input a fact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    /// The organisation's: one value per facts file.
    Organisation,
    /// The list of items of a kind itself (its value is how many there are).
    List(KindId),
    /// A field of each item of a kind, with its place among the kind's fields.
    Field(KindId, u32),
}

/// A kind of item an organisation has many of: requests, reports, invoices.
#[derive(Debug, Clone)]
pub struct ItemKind {
    /// Its name in rule and facts files.
    pub name: String,
    /// What one item is called.
    pub one: String,
    /// What many are called.
    pub many: String,
    /// The fact that stands for the list itself ([`Owner::List`]).
    pub list: FactId,
    /// Its fields, in the order declared ([`Owner::Field`]).
    pub fields: Vec<FactId>,
    /// Where it is declared.
    pub span: Span,
}

/// A declared input.
#[derive(Debug, Clone)]
pub struct Fact {
    /// Its name in rule and facts files (for an item field, `kind.field`).
    pub name: String,
    /// The organisation's, or a kind of item's list or field.
    pub owner: Owner,
    /// Its type.
    pub ty: Type,
    /// The `one of` list, empty for other types.
    pub variants: Vec<String>,
    /// May be `null` in a facts file.
    pub optional: bool,
    /// A date that sums up the organisation as recorded, not an event.
    pub as_recorded: bool,
    /// What it is, in plain words.
    pub label: String,
    /// The question to ask when it is missing.
    pub question: String,
    /// Where it is declared.
    pub span: Span,
    /// The `ask` text as written.
    pub question_span: Span,
}

/// A named derived value.
#[derive(Debug, Clone)]
pub struct Definition {
    /// Its name.
    pub name: String,
    /// What it means, in plain words, if given.
    pub label: Option<String>,
    /// Its expression.
    pub value: Expr,
    /// The definitions its value uses directly, each once, by id.
    pub uses: Vec<DefId>,
    /// Where it is declared.
    pub span: Span,
}

/// `for each …`: what a rule is judged for, one by one.
#[derive(Debug, Clone)]
pub enum Each {
    /// Every item of a kind that passes the filter.
    Item {
        /// The kind.
        kind: KindId,
        /// `where …`: items for which it is false are not judged.
        filter: Option<Expr>,
    },
    /// Every period of its recurring deadline.
    Period,
}

/// A rule and its history.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Its name, such as `access-on-request`.
    pub name: String,
    /// `for each …`, if the rule is judged item by item.
    pub each: Option<Each>,
    /// What it asks, in plain words.
    pub title: String,
    /// Obligation, prohibition, recommendation or permission.
    pub kind: RuleKind,
    /// Who issues it.
    pub authority: AuthorityId,
    /// Ordered by `from`; windows do not overlap.
    pub versions: Vec<Version>,
    /// Withdrawal or supersession, if any.
    pub ending: Option<Ending>,
    /// Other authorities' views of it.
    pub positions: Vec<Position>,
    /// Where it is declared.
    pub span: Span,
}

/// One dated version of a rule.
#[derive(Debug, Clone)]
pub struct Version {
    /// First day in force.
    pub from: NaiveDate,
    /// Last day in force, if stated.
    pub until: Option<NaiveDate>,
    /// When it was published: it exists only for runs known on or after this day.
    pub published: NaiveDate,
    /// Its `published` date as written.
    pub published_span: Span,
    /// Its sources.
    pub citations: Vec<Citation>,
    /// `applies when`: false makes the rule not applicable.
    pub applies_when: Option<Expr>,
    /// `deadline`, if any.
    pub deadline: Option<Expr>,
    /// A recurring deadline, instead of `deadline`.
    pub every: Option<Recurrence>,
    /// This version's "due soon" window, overriding the ruleset's.
    pub due_soon: Option<Length>,
    /// `met when`.
    pub met_when: Expr,
    /// `met on`: when it was satisfied, to tell met from met late.
    pub met_on: Option<Expr>,
    /// `unless …` clauses, in the order written (the last that holds wins).
    pub exceptions: Vec<Exception>,
    /// Where it is written.
    pub span: Span,
}

/// `deadline every month from START, due 1 month after it ends`.
#[derive(Debug, Clone)]
pub struct Recurrence {
    /// Week, month, quarter or year.
    pub unit: PeriodUnit,
    /// A date or month inside the first period.
    pub from: Expr,
    /// How long after a period ends it is due.
    pub due_after: Length,
    /// The clause as written.
    pub span: Span,
}

/// `unless …`: a condition that sets the status outright.
#[derive(Debug, Clone)]
pub struct Exception {
    /// When it holds.
    pub condition: Expr,
    /// The status it sets.
    pub status: ExceptionStatus,
    /// Why, in plain words.
    pub reason: String,
    /// Its sources.
    pub citations: Vec<Citation>,
}

/// How a rule stopped.
#[derive(Debug, Clone)]
pub enum EndKind {
    /// Withdrawn, with the reason.
    Withdrawn(String),
    /// Replaced by another rule.
    Superseded(RuleId),
}

/// The end of a rule: from which day, known since when.
#[derive(Debug, Clone)]
pub struct Ending {
    /// Withdrawn or superseded.
    pub kind: EndKind,
    /// First day the rule no longer applies.
    pub on: NaiveDate,
    pub published: NaiveDate,
    /// Its `published` date as written.
    pub published_span: Span,
    /// Its sources.
    pub citations: Vec<Citation>,
}

/// Another authority's view of a rule.
#[derive(Debug, Clone)]
pub struct Position {
    /// Whose view it is.
    pub authority: AuthorityId,
    /// The view, in plain words.
    pub stance: String,
    /// Its sources.
    pub citations: Vec<Citation>,
    /// Known from the earliest publication date of its sources.
    pub known_from: NaiveDate,
    /// The authority's name as written in the position.
    pub span: Span,
}
