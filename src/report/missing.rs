//! `obligo missing`: the questions to answer (an item's field named by its
//! item: "subject access request S-3: …"), most useful first, and a
//! facts-file template with every question, for a new organisation.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use serde::Serialize;

use super::view::RulesetView;

/// The version of the `missing` JSON shape. Raise it when a field changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 1;
use crate::eval::{Dates, Outcome, Status};
use crate::facts::{Facts, Slot};
use crate::model::{Each, Fact, FactId, ItemKind, Owner, RuleId, Ruleset};
use crate::value::Type;

/// A whole `missing` run.
#[derive(Debug, Clone, Serialize)]
pub struct MissingView {
    pub schema_version: u32,
    pub ruleset: RulesetView,
    pub as_of: String,
    pub known_on: String,
    pub organisations: Vec<OrganisationQuestions>,
}

/// One facts file's open questions.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationQuestions {
    pub facts_file: String,
    pub name: Option<String>,
    /// Rules left unknown.
    pub undecided: usize,
    /// Items of rules judged for each item or period left unknown (the
    /// rule itself may be decided by another item).
    pub undecided_items: usize,
    /// Most useful first: by how many undecided rules need the fact.
    pub questions: Vec<Question>,
}

/// One fact to give: an organisation's fact, a kind's list, or one field
/// of one item.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// The fact's name: `registered`, a kind's list `sar`, or an item's field `sar.extended`.
    pub fact: String,
    pub label: String,
    /// The question, naming the item for an item's field.
    pub question: String,
    /// How to write the answer in the facts file.
    pub answer: String,
    /// For an item's field: the item it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemAsked>,
    /// The rules that need it (for an item's field: to decide that item).
    pub rules: Vec<String>,
}

/// The item a question is about.
#[derive(Debug, Clone, Serialize)]
pub struct ItemAsked {
    /// The kind of item, as in the facts file's `items:`.
    pub kind: String,
    /// Its id, or `#N`: its place in the list from 1.
    pub key: String,
    /// How reports name it: `subject access request S-3`.
    pub name: String,
    pub label: Option<String>,
    /// The facts-file line the item starts on.
    pub line: Option<u32>,
}

/// Builds the questions of each organisation.
pub fn build(rs: &Ruleset, dates: Dates, orgs: &[(Facts, Vec<Outcome>)]) -> MissingView {
    MissingView {
        schema_version: SCHEMA_VERSION,
        ruleset: RulesetView::of(rs),
        as_of: dates.as_of.to_string(),
        known_on: dates.known_on.to_string(),
        organisations: orgs
            .iter()
            .map(|(facts, results)| questions(rs, facts, results))
            .collect(),
    }
}

/// A fact to ask, for the organisation (`None`) or one item (its index in
/// the facts' list of the field's kind).
type Asked = (FactId, Option<u32>);

/// One organisation's questions, most useful first.
pub fn questions(rs: &Ruleset, facts: &Facts, results: &[Outcome]) -> OrganisationQuestions {
    let mut undecided = 0;
    let mut undecided_items = 0;
    // Each fact asked, with the rules that need it, in first-seen order; a
    // map from the fact to its place keeps this linear in items.
    let mut needed: Vec<(Asked, Vec<RuleId>)> = Vec::new();
    let mut place: HashMap<Asked, usize> = HashMap::new();
    let mut need = |asked: Asked, rule: RuleId| match place.get(&asked) {
        Some(&i) => {
            if let Some((_, rules)) = needed.get_mut(i)
                && rules.last() != Some(&rule)
            {
                rules.push(rule);
            }
        }
        None => {
            place.insert(asked, needed.len());
            needed.push((asked, vec![rule]));
        }
    };
    // A field an aggregate reads is asked of each item that leaves it out,
    // once per rule (a rule judged per period reads it for every period).
    let mut expanded: HashSet<(FactId, RuleId)> = HashSet::new();
    let mut need_all = |need: &mut dyn FnMut(Asked, RuleId), f: FactId, rule: RuleId| {
        let Owner::Field(kind, index) = rs.fact(f).owner else {
            return need((f, None), rule);
        };
        if !expanded.insert((f, rule)) {
            return;
        }
        let absent: Vec<u32> = facts
            .items_in(rs, kind)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter(|(_, it)| *it.field(index) == Slot::Absent)
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect();
        if absent.is_empty() {
            return need((f, None), rule);
        }
        for i in absent {
            need((f, Some(i)), rule);
        }
    };
    for r in results {
        if r.status == Status::Unknown {
            undecided += 1;
        }
        // A rule judged item by item asks, for each undecided item, what
        // that item leaves open, even when another item decides the rule
        // (an overdue request does not make the next one's dates moot).
        if !r.items.is_empty() {
            let each = match &rs.rule(r.rule).each {
                Some(Each::Item { kind, .. }) => Some(*kind),
                _ => None,
            };
            for o in r.items.iter().filter(|o| o.status == Status::Unknown) {
                undecided_items += 1;
                for f in &o.missing {
                    // A field of the item judged is that item's; a field
                    // read by an aggregate is about every item of its kind.
                    match rs.fact(*f).owner {
                        Owner::Field(kind, _) if Some(kind) == each => need((*f, o.item), r.rule),
                        _ => need_all(&mut need, *f, r.rule),
                    }
                }
            }
        } else if r.status == Status::Unknown {
            for f in &r.missing {
                need_all(&mut need, *f, r.rule);
            }
        }
    }
    // Most rules first; then in the order the ruleset declares the facts,
    // then the items in the order of their list.
    needed.sort_by(|(a, ra), (b, rb)| rb.len().cmp(&ra.len()).then(a.cmp(b)));
    OrganisationQuestions {
        facts_file: facts.file.clone(),
        name: facts.name.clone(),
        undecided,
        undecided_items,
        questions: needed
            .into_iter()
            .map(|((id, item), rules)| {
                let mut rules: Vec<String> =
                    rules.iter().map(|r| rs.rule(*r).name.clone()).collect();
                rules.sort();
                rules.dedup();
                question(rs, facts, id, item, rules)
            })
            .collect(),
    }
}

fn question(
    rs: &Ruleset,
    facts: &Facts,
    id: FactId,
    item: Option<u32>,
    rules: Vec<String>,
) -> Question {
    let fact = rs.fact(id);
    let mut q = Question {
        fact: fact.name.clone(),
        label: fact.label.clone(),
        question: fact.question.clone(),
        answer: answer_format(fact),
        item: None,
        rules,
    };
    match fact.owner {
        Owner::Organisation => {}
        Owner::List(kind) => {
            let k = rs.kind(kind);
            q.answer = format!("under items:, one entry per {}, or [] if none", k.one);
        }
        Owner::Field(kind, _) => {
            let k = rs.kind(kind);
            let Some(index) = item else {
                q.question = format!("each {} listed: {}", k.one, fact.question);
                return q;
            };
            let it = facts.items_in(rs, kind).and_then(|l| l.get(index as usize));
            let (key, _) = super::words::list_item_key(rs, facts, kind, index);
            let name = format!("{} {key}", k.one);
            q.question = format!("{name}: {}", fact.question);
            q.item = Some(ItemAsked {
                kind: k.name.clone(),
                key,
                name,
                label: it.and_then(|i| i.label.clone()),
                line: it.and_then(|i| i.line),
            });
        }
    }
    q
}

/// How to write a fact's answer, in words, as the facts reader takes it:
/// an optional fact's "has not happened" is `null`, never a blank.
pub fn answer_format(fact: &Fact) -> String {
    let base = crate::facts::answer_words(fact);
    match (fact.optional, fact.ty) {
        (false, _) => base,
        (true, Type::Date | Type::DateTime | Type::Month) => {
            format!("{base}; or null if it has not happened")
        }
        (true, _) => format!("{base}; or null if there is none"),
    }
}

/// Renders the checklist for people.
pub fn text(view: &MissingView) -> String {
    let mut out = String::new();
    for org in &view.organisations {
        let who = org.name.as_deref().unwrap_or(&org.facts_file);
        let _ = writeln!(out, "{who} ({})", org.facts_file);
        if org.questions.is_empty() {
            let _ = writeln!(
                out,
                "every rule could be decided as of {}, by the rules known on {}: nothing to answer\n",
                view.as_of, view.known_on
            );
            continue;
        }
        let rules = if org.undecided == 1 { "rule" } else { "rules" };
        let items = match org.undecided_items {
            0 => " ".to_string(),
            1 => ", and 1 item of a rule judged item by item,\n".to_string(),
            n => format!(", and {n} items of rules judged item by item,\n"),
        };
        let _ = writeln!(
            out,
            "{} {rules}{items}could not be decided as of {}, by the rules known on {}.",
            org.undecided, view.as_of, view.known_on
        );
        let _ = writeln!(
            out,
            "Add these answers to the facts file, most useful first:\n"
        );
        for (i, q) in org.questions.iter().enumerate() {
            let _ = writeln!(out, "[ ] {}. {}", i + 1, q.question);
            let n = q.rules.len();
            let rules = if n == 1 { "rule" } else { "rules" };
            match &q.item {
                None => {
                    let _ = writeln!(out, "       {}: {}", q.fact, q.answer);
                    let _ = writeln!(
                        out,
                        "       needed by {n} undecided {rules}: {}",
                        q.rules.join(", ")
                    );
                }
                Some(item) => {
                    let field = q.fact.split_once('.').map_or(q.fact.as_str(), |(_, f)| f);
                    let at = match item.line {
                        Some(l) => format!("the item at line {l} ({})", item.key),
                        None => format!("the item {}", item.key),
                    };
                    let _ = writeln!(out, "       in items: {}, {at}:", item.kind);
                    let _ = writeln!(out, "       {field}: {}", q.answer);
                    let _ = writeln!(
                        out,
                        "       needed for this item by {n} {rules}: {}",
                        q.rules.join(", ")
                    );
                }
            }
        }
        out.push('\n');
    }
    out
}

/// A facts file with every fact left blank under its question. Its header
/// says what the facts reader takes: true or false for a yes/no question,
/// null only where the question allows it, and no blank answers.
pub fn template(rs: &Ruleset) -> String {
    let w = &rs.wording;
    let org = super::wording::organisation(w);
    let mut out = String::new();
    let _ = writeln!(out, "# Facts about one {org}, for \"{}\"", rs.title);
    let _ = writeln!(
        out,
        "# (ruleset {} version {}, published {}).",
        rs.name, rs.version, rs.published
    );
    // How answers are written, for the kinds of answer this ruleset asks for.
    let any = |f: fn(&Fact) -> bool| {
        rs.facts
            .iter()
            .any(|x| !matches!(x.owner, Owner::List(_)) && f(x))
    };
    out.push_str("#\n# Write each answer after the colon on the line under its question, in\n# the form shown in brackets");
    let forms = [
        (
            any(|f| f.ty == Type::Bool),
            "a yes/no question is answered true (for yes) or false (for no)",
        ),
        (
            any(|f| matches!(f.ty, Type::Date | Type::DateTime | Type::Month)),
            "a date is written YYYY-MM-DD, like 2023-10-31",
        ),
        (
            any(|f| f.optional),
            "null, only where the brackets offer it: it has not happened, or\n#   there is none",
        ),
    ];
    let forms: Vec<&str> = forms.iter().filter(|(a, _)| *a).map(|(_, w)| *w).collect();
    if forms.is_empty() {
        out.push_str(".\n");
    } else {
        out.push_str(":\n");
        for (i, form) in forms.iter().enumerate() {
            let end = if i + 1 == forms.len() { '.' } else { ';' };
            let _ = writeln!(out, "# - {form}{end}");
        }
    }
    out.push_str(
        "# If you do not know an answer, delete its line: a fact left out is\n\
         # unknown, never \"no\", and the rules that need it say so. A fact left\n\
         # blank is refused, so that nothing is left out by accident.\n\n",
    );
    let _ = writeln!(out, "organisation:");
    let _ = writeln!(out, "  name:       # the {org}'s name");
    let _ = writeln!(out, "  id:         # its {}", super::wording::id(w));
    let _ = writeln!(
        out,
        "  recorded:   # the date these answers were given, YYYY-MM-DD"
    );
    let mut first = true;
    for (_, f) in rs.organisation_facts() {
        if first {
            out.push_str("\nfacts:\n");
            first = false;
        } else {
            out.push('\n');
        }
        asked(&mut out, "  ", f);
        let _ = writeln!(out, "  {}:", f.name);
    }
    for (i, (_, kind)) in rs.kind_ids().enumerate() {
        if i == 0 {
            out.push_str("\nitems:\n");
        } else {
            out.push('\n');
        }
        item_template(&mut out, rs, kind);
    }
    out
}

/// A fact's question and how to answer it, as comments.
fn asked(out: &mut String, indent: &str, f: &Fact) {
    for line in wrap(&f.question, 76 - indent.len()) {
        let _ = writeln!(out, "{indent}# {line}");
    }
    let _ = writeln!(out, "{indent}# ({})", answer_format(f));
}

/// A kind's list with one example item showing every field, as the facts
/// reader takes it: `id` and `label` optional, `[]` for none.
fn item_template(out: &mut String, rs: &Ruleset, kind: &ItemKind) {
    let list = rs.fact(kind.list);
    for line in wrap(&list.question, 74) {
        let _ = writeln!(out, "  # {line}");
    }
    let help = format!(
        "One entry per {one}, each starting with `-` like the example below: \
         copy it for each {one}. Write `{name}: []` if there are none. If you \
         do not know them, delete the whole list: the rules that need it are \
         then unknown.",
        one = kind.one,
        name = kind.name,
    );
    for line in wrap(&help, 74) {
        let _ = writeln!(out, "  # {line}");
    }
    let _ = writeln!(out, "  {}:   # {}", kind.name, kind.many);
    let _ = writeln!(
        out,
        "    - id: {}-1   # optional: a short name for it, unique in the list",
        kind.name.to_uppercase()
    );
    let _ = writeln!(
        out,
        "      # label: \"...\"   # optional: what to call it, in quotes"
    );
    for id in &kind.fields {
        let f = rs.fact(*id);
        let field = f.name.split_once('.').map_or(f.name.as_str(), |(_, n)| n);
        out.push('\n');
        asked(out, "      ", f);
        let _ = writeln!(out, "      {field}:");
    }
}

/// Splits text into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
