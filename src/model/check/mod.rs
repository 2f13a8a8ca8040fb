//! From AST to checked model: names resolved once, types checked, versions
//! ordered. Every problem is collected; none stops the others being found.
//!
//! This module declares the names and checks facts, sources and
//! definitions; `rules` checks rules and their versions; `types` checks
//! expressions.

mod rules;
mod types;

use std::collections::HashMap;

use super::*;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::{SourceMap, Span};
use crate::syntax::ast;
use crate::value::Type;

/// Checks parsed rule files into a ruleset. `sha256` identifies the files.
pub fn check(
    files: &[ast::File],
    sources: &SourceMap,
    sha256: String,
) -> Result<Ruleset, Vec<Diagnostic>> {
    let mut c = Checker {
        sources,
        errors: Vec::new(),
        names: HashMap::new(),
        authorities: Vec::new(),
        srcs: Vec::new(),
        facts: Vec::new(),
        defs_ast: Vec::new(),
        defs: Vec::new(),
        def_state: Vec::new(),
        rule_names: HashMap::new(),
        period: None,
        kinds: Vec::new(),
        scope: Vec::new(),
        memoised: 0,
    };
    let decls: Vec<&ast::Declaration> = files.iter().flat_map(|f| &f.declarations).collect();
    let header = c.header(&decls);
    c.declare(&decls);
    c.definitions();
    let rules: Vec<Rule> = decls
        .iter()
        .filter_map(|d| match d {
            ast::Declaration::Rule(r) => c.rule(r),
            _ => None,
        })
        .collect();
    if !c.errors.is_empty() {
        c.errors.sort_by_key(|d| d.span);
        return Err(c.errors);
    }
    let Some(h) = header else {
        let help = "start one rule file with the header, like: ruleset my-rules \"My rules\" version \"1.0\" published 2024-06-01";
        // Point at the first file's start: an empty or comment-only file
        // has no other place.
        let d = match sources.get(crate::source::FileId(0)) {
            Some(_) => Diagnostic::error(
                crate::source::Span::new(crate::source::FileId(0), 0, 0),
                "the ruleset has no `ruleset` header",
                "the header would go here",
            ),
            None => Diagnostic::bare("the ruleset has no `ruleset` header"),
        };
        return Err(vec![d.with_help(help)]);
    };
    Ok(Ruleset {
        name: h.name.node.clone(),
        title: h.title.node.clone(),
        version: h.version.node.clone(),
        published: h.published.node,
        due_soon: h.due_soon.as_ref().map(|d| d.node),
        wording: Wording::of(h),
        sha256,
        schema: schema_fingerprint(&c.facts),
        authorities: c.authorities.into_iter().map(|(a, _)| a).collect(),
        sources: c.srcs.into_iter().map(|(s, _)| s).collect(),
        facts: c.facts,
        kinds: c.kinds,
        memoised_aggregates: c.memoised,
        definitions: c.defs.into_iter().flatten().collect(),
        rules,
        texts: sources.clone(),
    })
}

/// A fingerprint of the fact schema, never 0 (the facts of no ruleset).
fn schema_fingerprint(facts: &[Fact]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in facts {
        (
            &f.name,
            f.owner,
            f.ty,
            &f.variants,
            f.optional,
            f.as_recorded,
        )
            .hash(&mut h);
    }
    h.finish().max(1)
}

/// What a name in the shared namespace of facts and definitions means.
#[derive(Debug, Clone, Copy)]
enum Named {
    Fact(FactId),
    Def(DefId),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum DefState {
    Todo,
    InProgress,
    Done,
    Failed,
}

struct Checker<'a> {
    sources: &'a SourceMap,
    errors: Vec<Diagnostic>,
    /// Facts and definitions, by name, with where each was declared.
    names: HashMap<String, (Named, Span)>,
    authorities: Vec<(Authority, Span)>,
    srcs: Vec<(Source, Span)>,
    facts: Vec<Fact>,
    defs_ast: Vec<&'a ast::Define>,
    defs: Vec<Option<Definition>>,
    def_state: Vec<DefState>,
    rule_names: HashMap<String, (RuleId, Span)>,
    /// While checking `met when` under a recurring deadline: the type of `period`.
    period: Option<Type>,
    /// The kinds of item declared.
    kinds: Vec<ItemKind>,
    /// The items in scope, innermost last: the rule's `for each` and the
    /// aggregates around the expression being checked.
    scope: Vec<Scope>,
    /// Aggregates given a memo slot so far.
    memoised: u32,
}

/// An item in scope while an expression is checked.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scope {
    pub kind: KindId,
    /// The aggregate reads something from outside itself (an outer item,
    /// `period`), so it cannot be computed once per organisation.
    pub open: bool,
}

/// Turns an index into a typed id.
fn id(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl<'a> Checker<'a> {
    pub(super) fn err(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    pub(super) fn where_(&self, span: Span) -> String {
        let (l, c) = self.sources.line_col(span);
        format!("{}:{l}:{c}", self.sources.name(span))
    }

    pub(super) fn duplicate(&mut self, what: &str, name: &ast::Node<String>, first: Span) {
        let at = self.where_(first);
        self.err(
            Diagnostic::error(
                name.span,
                format!("{what} `{}` is declared twice", name.node),
                "declared again here",
            )
            .with_help(format!(
                "the first declaration is at {at}; rename one of them or remove this one"
            )),
        );
    }

    pub(super) fn header<'d>(
        &mut self,
        decls: &[&'d ast::Declaration],
    ) -> Option<&'d ast::RulesetHeader> {
        let mut first: Option<&ast::RulesetHeader> = None;
        for d in decls {
            if let ast::Declaration::Ruleset(h) = d {
                match first {
                    None => first = Some(h),
                    Some(f) => {
                        let at = self.where_(f.name.span);
                        self.err(
                            Diagnostic::error(
                                h.name.span,
                                "a ruleset has one `ruleset` header",
                                "second header",
                            )
                            .with_help(format!(
                                "the header is already given at {at}; remove this one"
                            )),
                        );
                    }
                }
            }
        }
        first
    }

    /// First pass: everything that can be named, so order in files does not matter.
    pub(super) fn declare(&mut self, decls: &[&'a ast::Declaration]) {
        let mut authority_names: HashMap<String, Span> = HashMap::new();
        for d in decls {
            if let ast::Declaration::Authority(a) = d {
                if let Some(first) = authority_names.get(&a.name.node) {
                    self.duplicate("authority", &a.name, *first);
                    continue;
                }
                authority_names.insert(a.name.node.clone(), a.name.span);
                self.authorities.push((
                    Authority {
                        name: a.name.node.clone(),
                        title: a.title.node.clone(),
                        force: a.force.node,
                    },
                    a.name.span,
                ));
            }
        }
        let mut source_names: HashMap<String, Span> = HashMap::new();
        for d in decls {
            match d {
                ast::Declaration::Source(s) => {
                    if let Some(first) = source_names.get(&s.name.node) {
                        self.duplicate("source", &s.name, *first);
                        continue;
                    }
                    source_names.insert(s.name.node.clone(), s.name.span);
                    let issuer = match &s.issuer {
                        ast::Issuer::Text(t) => t.node.clone(),
                        ast::Issuer::Authority(a) => match self.authority(a) {
                            Some(id) => self
                                .authorities
                                .get(id.0 as usize)
                                .map_or_else(|| a.node.clone(), |(x, _)| x.title.clone()),
                            None => a.node.clone(),
                        },
                    };
                    self.srcs.push((
                        Source {
                            name: s.name.node.clone(),
                            title: s.title.node.clone(),
                            issuer,
                            published: s.published.node,
                            url: s.url.as_ref().map(|u| u.node.clone()),
                            span: s.name.span,
                            published_span: s.published.span,
                        },
                        s.name.span,
                    ));
                }
                ast::Declaration::Fact(f) => self.fact(f),
                ast::Declaration::Item(k) => self.item_kind(k),
                ast::Declaration::Define(def) => {
                    if let Some((_, first)) = self.names.get(&def.name.node) {
                        let first = *first;
                        self.duplicate("name", &def.name, first);
                        continue;
                    }
                    let i = self.defs_ast.len();
                    self.names.insert(
                        def.name.node.clone(),
                        (Named::Def(DefId(id(i))), def.name.span),
                    );
                    self.defs_ast.push(def);
                    self.defs.push(None);
                    self.def_state.push(DefState::Todo);
                }
                ast::Declaration::Rule(r) => {
                    if let Some((_, first)) = self.rule_names.get(&r.name.node) {
                        let first = *first;
                        self.duplicate("rule", &r.name, first);
                        continue;
                    }
                    let i = self.rule_names.len();
                    self.rule_names
                        .insert(r.name.node.clone(), (RuleId(id(i)), r.name.span));
                }
                _ => {}
            }
        }
    }

    pub(super) fn fact(&mut self, f: &ast::Fact) {
        if let Some((_, first)) = self.names.get(&f.name.node) {
            let first = *first;
            self.duplicate("name", &f.name, first);
            return;
        }
        let fid = self.fact_entry(f, Owner::Organisation, f.name.node.clone());
        self.names
            .insert(f.name.node.clone(), (Named::Fact(fid), f.name.span));
    }

    /// `item NAME "one", "many" ask "…" field …`
    pub(super) fn item_kind(&mut self, k: &ast::ItemKind) {
        if let Some(first) = self.kinds.iter().find(|x| x.name == k.name.node) {
            let first = first.span;
            self.duplicate("item kind", &k.name, first);
            return;
        }
        let kind = KindId(id(self.kinds.len()));
        let list = FactId(id(self.facts.len()));
        self.facts.push(Fact {
            name: k.name.node.clone(),
            owner: Owner::List(kind),
            ty: Type::Count,
            variants: Vec::new(),
            optional: false,
            as_recorded: false,
            label: capitalised(&k.many.node),
            question: k.question.node.clone(),
            span: k.name.span,
            question_span: k.question.span,
        });
        let mut fields = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for f in &k.fields {
            if let Some(first) = seen.get(f.name.node.as_str()) {
                let first = *first;
                self.duplicate("field", &f.name, first);
                continue;
            }
            if matches!(f.name.node.as_str(), "id" | "label") {
                self.err(
                    Diagnostic::error(
                        f.name.span,
                        format!("a field cannot be called `{}`", f.name.node),
                        "reserved",
                    )
                    .with_help(
                        "every item already has an optional `id` and `label`; choose another name",
                    ),
                );
                continue;
            }
            seen.insert(&f.name.node, f.name.span);
            let owner = Owner::Field(kind, id(fields.len()));
            let name = format!("{}.{}", k.name.node, f.name.node);
            fields.push(self.fact_entry(f, owner, name));
        }
        self.kinds.push(ItemKind {
            name: k.name.node.clone(),
            one: k.one.node.clone(),
            many: k.many.node.clone(),
            list,
            fields,
            span: k.name.span,
        });
    }

    /// Adds a fact (an organisation's fact or an item field) to the schema.
    fn fact_entry(&mut self, f: &ast::Fact, owner: Owner, name: String) -> FactId {
        let fid = FactId(id(self.facts.len()));
        let (ty, variants) = match &f.ty.node {
            ast::FactType::Bool => (Type::Bool, Vec::new()),
            ast::FactType::Count => (Type::Count, Vec::new()),
            ast::FactType::Number => (Type::Number, Vec::new()),
            ast::FactType::Percent => (Type::Percent, Vec::new()),
            ast::FactType::Date => (Type::Date, Vec::new()),
            ast::FactType::DateTime => (Type::DateTime, Vec::new()),
            ast::FactType::Month => (Type::Month, Vec::new()),
            ast::FactType::Text => (Type::Text, Vec::new()),
            ast::FactType::OneOf(vs) => {
                let mut names: Vec<String> = Vec::new();
                for v in vs {
                    if names.contains(&v.node) {
                        self.err(
                            Diagnostic::error(
                                v.span,
                                format!("`{}` is listed twice", v.node),
                                "listed again",
                            )
                            .with_help("list each choice once"),
                        );
                    } else {
                        names.push(v.node.clone());
                    }
                }
                (Type::Enum(fid.0), names)
            }
        };
        if f.question.node.trim().is_empty() {
            self.err(
                Diagnostic::error(
                    f.question.span,
                    format!("fact `{}` has an empty question", f.name.node),
                    "empty",
                )
                .with_help("write the question to ask when this fact is missing"),
            );
        }
        self.facts.push(Fact {
            name,
            owner,
            ty,
            variants,
            optional: f.optional,
            as_recorded: f.as_recorded,
            label: f.label.node.clone(),
            question: f.question.node.clone(),
            span: f.name.span,
            question_span: f.question.span,
        });
        fid
    }

    pub(super) fn authority(&mut self, name: &ast::Node<String>) -> Option<AuthorityId> {
        if let Some(i) = self
            .authorities
            .iter()
            .position(|(a, _)| a.name == name.node)
        {
            return Some(AuthorityId(id(i)));
        }
        let names: Vec<String> = self
            .authorities
            .iter()
            .map(|(a, _)| a.name.clone())
            .collect();
        let help = did_you_mean(&name.node, names.iter().map(String::as_str))
            .unwrap_or_else(|| "declare it with `authority NAME \"title\" binding|regulator-view|expectation|advice`".into());
        self.err(
            Diagnostic::error(
                name.span,
                format!("unknown authority `{}`", name.node),
                "not declared",
            )
            .with_help(help),
        );
        None
    }

    pub(super) fn citations(&mut self, cites: &[ast::Citation]) -> Vec<Citation> {
        let mut out = Vec::new();
        for c in cites {
            match self.srcs.iter().position(|(s, _)| s.name == c.source.node) {
                Some(i) => out.push(Citation {
                    source: SourceId(id(i)),
                    pinpoint: c.pinpoint.as_ref().map(|p| p.node.clone()),
                    span: c.source.span,
                }),
                None => {
                    let names: Vec<String> =
                        self.srcs.iter().map(|(s, _)| s.name.clone()).collect();
                    let help = did_you_mean(&c.source.node, names.iter().map(String::as_str))
                        .unwrap_or_else(|| {
                            "declare it with `source NAME \"title\" by ISSUER published YYYY-MM-DD`"
                                .into()
                        });
                    self.err(
                        Diagnostic::error(
                            c.source.span,
                            format!("unknown source `{}`", c.source.node),
                            "not declared",
                        )
                        .with_help(help),
                    );
                }
            }
        }
        out
    }

    /// Checks every definition, each after the definitions it uses, with a
    /// depth-first walk on its own stack: a chain of thousands of
    /// definitions needs no deep recursion. A definition on the walk's path
    /// is `InProgress`, so a use of it from below is a cycle, reported
    /// where the use is written.
    fn definitions(&mut self) {
        let uses: Vec<Vec<usize>> = self
            .defs_ast
            .iter()
            .map(|d| {
                let mut names = Vec::new();
                ast_names(&d.value, &mut names);
                names
                    .into_iter()
                    .filter_map(|n| match self.names.get(n).map(|(n, _)| *n) {
                        Some(Named::Def(d)) => Some(d.0 as usize),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        for root in 0..self.defs_ast.len() {
            if self.def_state.get(root) != Some(&DefState::Todo) {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            if let Some(s) = self.def_state.get_mut(root) {
                *s = DefState::InProgress;
            }
            while let Some((d, next)) = stack.last_mut() {
                let d = *d;
                if let Some(&u) = uses.get(d).and_then(|u| u.get(*next)) {
                    *next += 1;
                    if let Some(s) = self.def_state.get_mut(u)
                        && *s == DefState::Todo
                    {
                        *s = DefState::InProgress;
                        stack.push((u, 0));
                    }
                } else {
                    stack.pop();
                    self.definition_body(d);
                }
            }
        }
    }

    /// The type of definition `i`, checking it first if need be.
    pub(super) fn definition(&mut self, i: usize) -> Option<Type> {
        match self.def_state.get(i).copied()? {
            DefState::Done => return self.defs.get(i)?.as_ref().map(|d| d.value.ty),
            DefState::Failed => return None,
            DefState::InProgress => return None,
            DefState::Todo => {}
        }
        if let Some(s) = self.def_state.get_mut(i) {
            *s = DefState::InProgress;
        }
        self.definition_body(i)
    }

    /// Checks definition `i`, already marked `InProgress`, and records it.
    fn definition_body(&mut self, i: usize) -> Option<Type> {
        let def = *self.defs_ast.get(i)?;
        // A definition is the organisation's: no item is in scope in it.
        let scope = std::mem::take(&mut self.scope);
        let period = self.period.take();
        let value = self.expr(&def.value);
        self.scope = scope;
        self.period = period;
        let state = if value.is_some() {
            DefState::Done
        } else {
            DefState::Failed
        };
        if let Some(s) = self.def_state.get_mut(i) {
            *s = state;
        }
        let value = value?;
        let ty = value.ty;
        if let Some(slot) = self.defs.get_mut(i) {
            let mut uses = Vec::new();
            value.for_each_def(&mut |d| uses.push(d));
            uses.sort_unstable();
            uses.dedup();
            *slot = Some(Definition {
                name: def.name.node.clone(),
                label: def.label.as_ref().map(|l| l.node.clone()),
                value,
                uses,
                span: def.name.span,
            });
        }
        Some(ty)
    }
}

/// "Requests for online access" from "requests for online access".
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The names an expression reads (facts, definitions and variants alike),
/// found with a stack of its own.
fn ast_names<'e>(e: &'e ast::Expr, out: &mut Vec<&'e str>) {
    let mut stack = vec![e];
    while let Some(n) = stack.pop() {
        if let ast::ExprKind::Name(name) = &n.node {
            out.push(name);
        }
        stack.extend(n.node.children());
    }
}
