//! From AST to checked model: names resolved once, types checked, versions
//! ordered. Every problem is collected; none stops the others being found.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::expr::{ArithOp, CmpOp, Expr, ExprKind};
use super::*;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{self, BinaryOp};
use crate::value::{Type, Value};

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
    };
    let decls: Vec<&ast::Declaration> = files.iter().flat_map(|f| &f.declarations).collect();
    let header = c.header(&decls);
    c.declare(&decls);
    for i in 0..c.defs_ast.len() {
        c.definition(i);
    }
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
        return Err(vec![Diagnostic::bare(
            "the ruleset has no `ruleset` header",
        )]);
    };
    Ok(Ruleset {
        name: h.name.node.clone(),
        title: h.title.node.clone(),
        version: h.version.node.clone(),
        published: h.published.node,
        due_soon: h.due_soon.as_ref().map(|d| d.node),
        sha256,
        authorities: c.authorities.into_iter().map(|(a, _)| a).collect(),
        sources: c.srcs.into_iter().map(|(s, _)| s).collect(),
        facts: c.facts,
        definitions: c.defs.into_iter().flatten().collect(),
        rules,
        texts: sources.clone(),
    })
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
}

/// Turns an index into a typed id.
fn id(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl<'a> Checker<'a> {
    fn err(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    fn where_(&self, span: Span) -> String {
        let (l, c) = self.sources.line_col(span);
        format!("{}:{l}:{c}", self.sources.name(span))
    }

    fn duplicate(&mut self, what: &str, name: &ast::Node<String>, first: Span) {
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

    fn header<'d>(&mut self, decls: &[&'d ast::Declaration]) -> Option<&'d ast::RulesetHeader> {
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
    fn declare(&mut self, decls: &[&'a ast::Declaration]) {
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

    fn fact(&mut self, f: &ast::Fact) {
        if let Some((_, first)) = self.names.get(&f.name.node) {
            let first = *first;
            self.duplicate("name", &f.name, first);
            return;
        }
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
                .with_help("write the question a practice is asked when this fact is missing"),
            );
        }
        self.names
            .insert(f.name.node.clone(), (Named::Fact(fid), f.name.span));
        self.facts.push(Fact {
            name: f.name.node.clone(),
            ty,
            variants,
            optional: f.optional,
            label: f.label.node.clone(),
            question: f.question.node.clone(),
            span: f.name.span,
            question_span: f.question.span,
        });
    }

    fn authority(&mut self, name: &ast::Node<String>) -> Option<AuthorityId> {
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

    fn citations(&mut self, cites: &[ast::Citation]) -> Vec<Citation> {
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

    fn definition(&mut self, i: usize) -> Option<Type> {
        match self.def_state.get(i).copied()? {
            DefState::Done => return self.defs.get(i)?.as_ref().map(|d| d.value.ty),
            DefState::Failed => return None,
            DefState::InProgress => return None,
            DefState::Todo => {}
        }
        let def = *self.defs_ast.get(i)?;
        if let Some(s) = self.def_state.get_mut(i) {
            *s = DefState::InProgress;
        }
        let value = self.expr(&def.value);
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
            *slot = Some(Definition {
                name: def.name.node.clone(),
                label: def.label.as_ref().map(|l| l.node.clone()),
                value,
                span: def.name.span,
            });
        }
        Some(ty)
    }

    fn rule(&mut self, r: &ast::Rule) -> Option<Rule> {
        let authority = self.authority(&r.authority);
        let mut versions: Vec<Version> = Vec::new();
        if r.versions.is_empty() {
            self.err(
                Diagnostic::error(r.name.span, format!("rule `{}` has no version", r.name.node), "no version")
                    .with_help("add `version from YYYY-MM-DD published YYYY-MM-DD cites SOURCE` and its clauses"),
            );
        }
        for v in &r.versions {
            if let Some(v) = self.version(&r.name.node, v) {
                versions.push(v);
            }
        }
        versions.sort_by_key(|v| v.from);
        self.check_windows(&r.name.node, &r.versions, &versions);
        let ending = self.ending(r);
        let positions = r
            .positions
            .iter()
            .filter_map(|p| {
                let authority = self.authority(&p.authority);
                let citations = self.citations(&p.citations);
                let known_from = citations
                    .iter()
                    .filter_map(|c| self.srcs.get(c.source.0 as usize).map(|(s, _)| s.published))
                    .min()?;
                Some(Position {
                    authority: authority?,
                    stance: p.stance.node.clone(),
                    citations,
                    known_from,
                    span: p.authority.span,
                })
            })
            .collect();
        Some(Rule {
            name: r.name.node.clone(),
            title: r.title.node.clone(),
            kind: r.kind.node,
            authority: authority?,
            versions,
            ending,
            positions,
            span: r.name.span,
        })
    }

    fn check_windows(&mut self, rule: &str, written: &[ast::Version], versions: &[Version]) {
        for v in written {
            if let Some(u) = &v.until
                && u.node < v.from.node
            {
                self.err(
                    Diagnostic::error(
                        u.span,
                        format!("version of `{rule}` ends before it starts"),
                        "before `from`",
                    )
                    .with_help(format!(
                        "`until` is the last day in force; it must be on or after {}",
                        v.from.node
                    )),
                );
            }
        }
        for pair in versions.windows(2) {
            let [a, b] = pair else { continue };
            let a_end = a.until.unwrap_or(NaiveDate::MAX);
            if b.from <= a_end {
                let (why, help) = if a.from == b.from {
                    (
                        format!("two versions of `{rule}` start on {}", b.from),
                        "each version starts on its own day; to correct a version, add a new one from the day the change applies"
                            .to_string(),
                    )
                } else {
                    (
                        format!(
                            "versions of `{rule}` overlap: one runs until {a_end}, the next starts on {}",
                            b.from
                        ),
                        format!(
                            "end the earlier version with `until {}` or remove its `until`",
                            b.from.pred_opt().unwrap_or(b.from)
                        ),
                    )
                };
                if a.from == b.from || a.until.is_some() {
                    self.err(
                        Diagnostic::error(b.span, why, "overlaps the version before")
                            .with_help(help),
                    );
                }
            }
        }
    }

    fn ending(&mut self, r: &ast::Rule) -> Option<Ending> {
        let mut endings: Vec<(Span, Ending)> = Vec::new();
        for w in &r.withdrawals {
            let citations = self.cite_required(&w.citations, w.span, "the withdrawal");
            endings.push((
                w.span,
                Ending {
                    kind: EndKind::Withdrawn(w.reason.node.clone()),
                    on: w.on.node,
                    published: w.published.node,
                    published_span: w.published.span,
                    citations,
                },
            ));
        }
        for s in &r.supersessions {
            let successor = match self.rule_names.get(&s.successor.node) {
                Some((id, _)) => Some(*id),
                None => {
                    let names: Vec<String> = self.rule_names.keys().cloned().collect();
                    let mut sorted = names.clone();
                    sorted.sort();
                    let help = did_you_mean(&s.successor.node, sorted.iter().map(String::as_str))
                        .unwrap_or_else(|| "name a rule declared in this ruleset".into());
                    self.err(
                        Diagnostic::error(
                            s.successor.span,
                            format!("unknown rule `{}`", s.successor.node),
                            "not declared",
                        )
                        .with_help(help),
                    );
                    None
                }
            };
            if s.successor.node == r.name.node {
                self.err(
                    Diagnostic::error(s.successor.span, format!("rule `{}` cannot supersede itself", r.name.node), "itself")
                        .with_help("to change a rule, add a new version; `superseded by` names a different rule"),
                );
            }
            let citations = self.cite_required(&s.citations, s.span, "the supersession");
            if let Some(successor) = successor {
                endings.push((
                    s.span,
                    Ending {
                        kind: EndKind::Superseded(successor),
                        on: s.on.node,
                        published: s.published.node,
                        published_span: s.published.span,
                        citations,
                    },
                ));
            }
        }
        if let Some((span, _)) = endings.get(1) {
            self.err(
                Diagnostic::error(
                    *span,
                    format!("rule `{}` ends twice", r.name.node),
                    "second ending",
                )
                .with_help("a rule is withdrawn or superseded once; keep the one that happened"),
            );
        }
        endings.into_iter().next().map(|(_, e)| e)
    }

    fn cite_required(&mut self, cites: &[ast::Citation], span: Span, what: &str) -> Vec<Citation> {
        let out = self.citations(cites);
        if cites.is_empty() {
            self.err(
                Diagnostic::error(span, format!("{what} cites no source"), "uncited")
                    .with_help("add `cites SOURCE`, naming a declared source"),
            );
        }
        out
    }

    fn version(&mut self, rule: &str, v: &ast::Version) -> Option<Version> {
        let citations = self.citations(&v.citations);
        if v.citations.is_empty() {
            self.err(
                Diagnostic::error(v.span, format!("a version of `{rule}` cites no source"), "uncited version")
                    .with_help("every version rests on a source: add `cites SOURCE` (optionally `at \"section\"`)"),
            );
        }
        let applies_when = self.single(
            rule,
            "applies when",
            &v.applies_when,
            v.span,
            &[Type::Bool],
            false,
        );
        let deadline = self.single(
            rule,
            "deadline",
            &v.deadline,
            v.span,
            &[Type::Date, Type::DateTime],
            false,
        );
        let every = self.recurrence(rule, v);
        // Judge `period` even when the recurrence itself was wrong, so that
        // one mistake is not reported twice.
        self.period = v.every.first().map(|r| match r.unit {
            PeriodUnit::Month => Type::Month,
            _ => Type::Date,
        });
        let met_when = self.single(rule, "met when", &v.met_when, v.span, &[Type::Bool], true);
        self.period = None;
        if let (Some(Some(_)), Some(on)) = (&every, v.met_on.first()) {
            self.err(
                Diagnostic::error(on.span, "`met on` cannot go with a recurring deadline", "met on")
                    .with_help("a recurring deadline is judged period by period through `met when` and `period`; remove `met on`"),
            );
        }
        let due_soon = self.one(rule, "due soon", &v.due_soon);
        let met_on = self.single(
            rule,
            "met on",
            &v.met_on,
            v.span,
            &[Type::Date, Type::DateTime],
            false,
        );
        let mut exceptions = Vec::new();
        for e in &v.exceptions {
            let condition = self
                .expr(&e.condition)
                .and_then(|c| self.expect(c, &[Type::Bool], "an `unless` condition"));
            let citations = self.citations(&e.citations);
            if let Some(condition) = condition {
                exceptions.push(Exception {
                    condition,
                    status: e.status.node,
                    reason: e.reason.node.clone(),
                    citations,
                });
            }
        }
        Some(Version {
            from: v.from.node,
            until: v.until.as_ref().map(|u| u.node),
            published: v.published.node,
            published_span: v.published.span,
            citations,
            applies_when: applies_when?,
            deadline: deadline?,
            every: every?,
            due_soon: due_soon?,
            met_when: met_when??,
            met_on: met_on?,
            exceptions,
            span: v.span,
        })
    }

    /// `deadline every …`: at most one, and not beside a one-off deadline.
    /// `None`: an error was reported; `Some(None)`: absent.
    fn recurrence(&mut self, rule: &str, v: &ast::Version) -> Option<Option<Recurrence>> {
        let second = match (v.every.as_slice(), v.deadline.first()) {
            ([], _) => return Some(None),
            ([_, second, ..], _) => Some(second.span),
            ([_], Some(other)) => Some(other.span),
            ([_], None) => None,
        };
        if let Some(span) = second {
            self.err(
                Diagnostic::error(span, format!("a version of `{rule}` has two deadlines"), "another deadline")
                    .with_help("give one `deadline`: a date, or `every …` for a recurring one; a new deadline is a new version"),
            );
            return None;
        }
        let r = v.every.first()?;
        let from = self.expr(&r.from).and_then(|e| {
            self.expect(
                e,
                &[Type::Date, Type::DateTime, Type::Month],
                "the start of a recurring deadline",
            )
        })?;
        Some(Some(Recurrence {
            unit: r.unit,
            from,
            due_after: r.due_after.node,
            span: r.span,
        }))
    }

    /// A plain clause that may appear at most once.
    fn one<T: Copy>(
        &mut self,
        rule: &str,
        clause: &str,
        nodes: &[ast::Node<T>],
    ) -> Option<Option<T>> {
        if let Some(second) = nodes.get(1) {
            self.err(
                Diagnostic::error(
                    second.span,
                    format!("a version of `{rule}` has two `{clause}` clauses"),
                    "second clause",
                )
                .with_help(format!("keep one `{clause}`")),
            );
            return None;
        }
        Some(nodes.first().map(|n| n.node))
    }

    /// A clause that may appear at most once (exactly once if `required`).
    /// `None`: an error was reported; `Some(None)`: absent.
    fn single(
        &mut self,
        rule: &str,
        clause: &str,
        exprs: &[ast::Expr],
        span: Span,
        types: &[Type],
        required: bool,
    ) -> Option<Option<Expr>> {
        if let Some(second) = exprs.get(1) {
            self.err(
                Diagnostic::error(
                    second.span,
                    format!("a version of `{rule}` has two `{clause}` clauses"),
                    "second clause",
                )
                .with_help(format!(
                    "combine them into one `{clause}` with `and` or `or`"
                )),
            );
            return None;
        }
        let Some(e) = exprs.first() else {
            if required {
                self.err(
                    Diagnostic::error(
                        span,
                        format!("a version of `{rule}` has no `{clause}` clause"),
                        "incomplete version",
                    )
                    .with_help(format!(
                        "say when the rule is satisfied: `{clause} CONDITION`"
                    )),
                );
                return None;
            }
            return Some(None);
        };
        let checked = self.expr(e)?;
        let what = format!("`{clause}`");
        self.expect(checked, types, &what).map(Some)
    }

    fn expect(&mut self, e: Expr, types: &[Type], what: &str) -> Option<Expr> {
        if types.contains(&e.ty) {
            return Some(e);
        }
        let wanted: Vec<&str> = types.iter().map(|t| t.describe()).collect();
        let text = self.sources.slice(e.span).to_string();
        self.err(
            Diagnostic::error(
                e.span,
                format!(
                    "{what} needs {}, but `{text}` is {}",
                    wanted.join(" or "),
                    e.ty.describe()
                ),
                "wrong type",
            )
            .with_help(type_help(types, e.ty)),
        );
        None
    }

    fn type_error(&mut self, span: Span, message: String, help: impl Into<String>) -> Option<Expr> {
        self.err(Diagnostic::error(span, message, "wrong type").with_help(help));
        None
    }

    fn expr(&mut self, e: &ast::Expr) -> Option<Expr> {
        use ast::ExprKind as A;
        let (kind, ty) = match &e.node {
            A::Bool(b) => (ExprKind::Const(Value::Bool(*b)), Type::Bool),
            #[expect(
                clippy::cast_precision_loss,
                reason = "literals in rule files are far below 2^53"
            )]
            A::Integer(n) => (ExprKind::Const(Value::Number(*n as f64)), Type::Count),
            A::Decimal(n) => (ExprKind::Const(Value::Number(*n)), Type::Number),
            A::Percent(p) => (ExprKind::Const(Value::Number(p / 100.0)), Type::Percent),
            A::Date(d) => (ExprKind::Const(Value::Date(*d)), Type::Date),
            A::DateTime(d) => (ExprKind::Const(Value::DateTime(*d)), Type::DateTime),
            A::Month(d) => (ExprKind::Const(Value::Date(*d)), Type::Month),
            A::Duration(n, u) => (ExprKind::Const(Value::Duration(*n, *u)), Type::Duration),
            A::Text(t) => (ExprKind::Const(Value::Text(t.as_str().into())), Type::Text),
            A::Today => (ExprKind::Today, Type::Date),
            A::Unstated => (ExprKind::Const(Value::Null), Type::Date),
            A::Period => match self.period {
                Some(ty) => (ExprKind::Period, ty),
                None => {
                    self.err(
                        Diagnostic::error(e.span, "`period` is only known under a recurring deadline", "no period here")
                            .with_help("use `period` in the `met when` of a version with `deadline every …`, where it is the first day of the period judged"),
                    );
                    return None;
                }
            },
            A::Name(n) => return self.name(n, e.span),
            A::Not(x) => {
                let x = self.expr(x)?;
                let x = self.expect(x, &[Type::Bool], "`not`")?;
                (ExprKind::Not(Box::new(x)), Type::Bool)
            }
            A::Neg(x) => {
                let x = self.expr(x)?;
                if !x.ty.is_numeric() {
                    return self.type_error(
                        e.span,
                        format!("`-` needs a number, not {}", x.ty.describe()),
                        "only numbers can be negated",
                    );
                }
                let ty = x.ty;
                (
                    ExprKind::Neg(Box::new(x)),
                    if ty == Type::Count { Type::Number } else { ty },
                )
            }
            A::IsSet(x) | A::IsMissing(x) => {
                let inner = self.expr(x)?;
                if !matches!(inner.kind, ExprKind::Fact(_) | ExprKind::Def(_)) {
                    let text = self.sources.slice(x.span).to_string();
                    return self.type_error(
                        x.span,
                        format!("`is set` and `is missing` apply to a fact or a definition, not `{text}`"),
                        "write the fact's name, like `switched_on is set`",
                    );
                }
                let b = Box::new(inner);
                let kind = if matches!(e.node, A::IsSet(_)) {
                    ExprKind::IsSet(b)
                } else {
                    ExprKind::IsMissing(b)
                };
                (kind, Type::Bool)
            }
            A::OneOf(x, variants) => {
                let x = self.expr(x)?;
                let Type::Enum(f) = x.ty else {
                    return self.type_error(
                        e.span,
                        format!(
                            "`is one of` needs a choice from a list, but this is {}",
                            x.ty.describe()
                        ),
                        "use it on a fact declared as `one of A, B, C`",
                    );
                };
                let mut idx = Vec::new();
                for v in variants {
                    idx.push(self.variant(f, &v.node, v.span)?);
                }
                (ExprKind::OneOf(Box::new(x), idx), Type::Bool)
            }
            A::If(c, t, f) => {
                let c = self
                    .expr(c)
                    .and_then(|c| self.expect(c, &[Type::Bool], "`if`"));
                let t = self.expr(t);
                let f = self.expr(f);
                let (c, t, f) = (c?, t?, f?);
                let ty = match unify(t.ty, f.ty) {
                    Some(ty) => ty,
                    None => {
                        return self.type_error(
                            e.span,
                            format!(
                                "the branches of `if` differ: {} and {}",
                                t.ty.describe(),
                                f.ty.describe()
                            ),
                            "both branches must give the same kind of value",
                        );
                    }
                };
                (ExprKind::If(Box::new(c), Box::new(t), Box::new(f)), ty)
            }
            A::Binary(op, a, b) => return self.binary(*op, a, b, e.span),
        };
        Some(Expr {
            kind,
            ty,
            span: e.span,
        })
    }

    fn name(&mut self, name: &str, span: Span) -> Option<Expr> {
        match self.names.get(name).map(|(n, _)| *n) {
            Some(Named::Fact(f)) => {
                let ty = self.facts.get(f.0 as usize)?.ty;
                Some(Expr {
                    kind: ExprKind::Fact(f),
                    ty,
                    span,
                })
            }
            Some(Named::Def(d)) => {
                if self.def_state.get(d.0 as usize) == Some(&DefState::InProgress) {
                    self.err(
                        Diagnostic::error(span, format!("definition `{name}` depends on itself"), "cycle")
                            .with_help("a definition cannot use itself, directly or through others; break the cycle"),
                    );
                    return None;
                }
                let ty = self.definition(d.0 as usize)?;
                Some(Expr {
                    kind: ExprKind::Def(d),
                    ty,
                    span,
                })
            }
            None => {
                let mut candidates: Vec<&str> = self.names.keys().map(String::as_str).collect();
                candidates.sort_unstable();
                let help = did_you_mean(name, candidates)
                    .unwrap_or_else(|| format!("declare it with `fact {name}: TYPE \"label\" ask \"question\"` or `define {name} = …`"));
                self.err(
                    Diagnostic::error(
                        span,
                        format!("unknown name `{name}`"),
                        "not a fact or definition",
                    )
                    .with_help(help),
                );
                None
            }
        }
    }

    fn variant(&mut self, fact: u32, name: &str, span: Span) -> Option<u32> {
        let f = self.facts.get(fact as usize)?;
        if let Some(i) = f.variants.iter().position(|v| v == name) {
            return Some(id(i));
        }
        let help = did_you_mean(name, f.variants.iter().map(String::as_str))
            .unwrap_or_else(|| format!("`{}` is one of: {}", f.name, f.variants.join(", ")));
        let fact_name = f.name.clone();
        self.err(
            Diagnostic::error(
                span,
                format!("`{name}` is not a choice of `{fact_name}`"),
                "not in the list",
            )
            .with_help(help),
        );
        None
    }

    /// An operand of `=` or `!=` beside a choice: a bare name is a choice of that list.
    fn operand(&mut self, e: &ast::Expr, other: Option<Type>) -> Option<Expr> {
        if let (ast::ExprKind::Name(n), Some(Type::Enum(f))) = (&e.node, other)
            && !self.names.contains_key(n)
        {
            let v = self.variant(f, n, e.span)?;
            return Some(Expr {
                kind: ExprKind::Const(Value::Variant(v)),
                ty: Type::Enum(f),
                span: e.span,
            });
        }
        self.expr(e)
    }

    fn binary(&mut self, op: BinaryOp, a: &ast::Expr, b: &ast::Expr, span: Span) -> Option<Expr> {
        let is_name = |e: &ast::Expr, names: &HashMap<String, (Named, Span)>| matches!(&e.node, ast::ExprKind::Name(n) if !names.contains_key(n));
        let (x, y) = if matches!(op, BinaryOp::Eq | BinaryOp::Ne) && is_name(a, &self.names) {
            let y = self.expr(b)?;
            (self.operand(a, Some(y.ty))?, y)
        } else {
            let x = self.expr(a);
            let y = match (&x, matches!(op, BinaryOp::Eq | BinaryOp::Ne)) {
                (Some(x), true) => self.operand(b, Some(x.ty)),
                _ => self.expr(b),
            };
            (x?, y?)
        };
        let sym = op.symbol();
        let (tx, ty_) = (x.ty, y.ty);
        let mismatch = |c: &mut Self| {
            c.type_error(
                span,
                format!(
                    "`{sym}` cannot combine {} and {}",
                    tx.describe(),
                    ty_.describe()
                ),
                binary_help(op, tx, ty_),
            )
        };
        let (kind, ty) = match op {
            BinaryOp::And | BinaryOp::Or => {
                let x = self.expect(x, &[Type::Bool], &format!("`{sym}`"));
                let y = self.expect(y, &[Type::Bool], &format!("`{sym}`"));
                let (x, y) = (Box::new(x?), Box::new(y?));
                (
                    if op == BinaryOp::And {
                        ExprKind::And(x, y)
                    } else {
                        ExprKind::Or(x, y)
                    },
                    Type::Bool,
                )
            }
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => {
                let ordered = !matches!(op, BinaryOp::Eq | BinaryOp::Ne);
                let ok = if matches!(
                    (tx, ty_),
                    (Type::Percent, Type::Count) | (Type::Count, Type::Percent)
                ) {
                    return self.type_error(
                        span,
                        format!("`{sym}` compares a percentage with a plain number"),
                        "write the number as a percentage, like `50%`",
                    );
                } else if (tx.is_numeric() && ty_.is_numeric())
                    || matches!(
                        (tx, ty_),
                        (Type::Date, Type::DateTime)
                            | (Type::DateTime, Type::Date)
                            // A month compares as its first day.
                            | (Type::Month, Type::Date)
                            | (Type::Date, Type::Month)
                    )
                {
                    true
                } else if tx == ty_ {
                    !ordered
                        || matches!(
                            tx,
                            Type::Date | Type::DateTime | Type::Month | Type::Duration
                        )
                } else {
                    false
                };
                if !ok {
                    return mismatch(self);
                }
                let cmp = match op {
                    BinaryOp::Eq => CmpOp::Eq,
                    BinaryOp::Ne => CmpOp::Ne,
                    BinaryOp::Lt => CmpOp::Lt,
                    BinaryOp::Le => CmpOp::Le,
                    BinaryOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                (ExprKind::Cmp(cmp, Box::new(x), Box::new(y)), Type::Bool)
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let arith = match op {
                    BinaryOp::Add => ArithOp::Add,
                    BinaryOp::Sub => ArithOp::Sub,
                    BinaryOp::Mul => ArithOp::Mul,
                    _ => ArithOp::Div,
                };
                let Some(result) = arith_type(arith, tx, ty_) else {
                    return mismatch(self);
                };
                (ExprKind::Arith(arith, Box::new(x), Box::new(y)), result)
            }
        };
        Some(Expr { kind, ty, span })
    }
}

/// The type of `a OP b`, if it has one.
fn arith_type(op: ArithOp, a: Type, b: Type) -> Option<Type> {
    use Type::*;
    Some(match (op, a, b) {
        (ArithOp::Add | ArithOp::Sub, Count, Count) => Count,
        (ArithOp::Add | ArithOp::Sub, Percent, Percent) => Percent,
        (ArithOp::Add | ArithOp::Sub, x, y) if x.is_numeric() && y.is_numeric() => Number,
        (ArithOp::Mul, x, y) if x.is_numeric() && y.is_numeric() => {
            if x == Count && y == Count {
                Count
            } else {
                Number
            }
        }
        (ArithOp::Div, x, y) if x.is_numeric() && y.is_numeric() => Number,
        (ArithOp::Add | ArithOp::Sub, t @ (Date | DateTime | Month), Duration) => t,
        (ArithOp::Add, Duration, t @ (Date | DateTime | Month)) => t,
        (ArithOp::Sub, Date, Date) => Count,
        _ => return None,
    })
}

/// The common type of two branches.
fn unify(a: Type, b: Type) -> Option<Type> {
    if a == b {
        Some(a)
    } else if matches!(
        (a, b),
        (Type::Date, Type::DateTime) | (Type::DateTime, Type::Date)
    ) {
        Some(Type::DateTime)
    } else if a.is_numeric() && b.is_numeric() {
        Some(Type::Number)
    } else {
        None
    }
}

fn type_help(wanted: &[Type], got: Type) -> String {
    if wanted.contains(&Type::Bool) {
        return match got {
            Type::Date | Type::DateTime => "to ask whether an event has happened, write `FACT is set` or compare it: `FACT <= today`".into(),
            Type::Enum(_) => "compare the choice: `FACT = CHOICE` or `FACT is one of (A, B)`".into(),
            t if t.is_numeric() => "compare the number: `FACT > 50%`".into(),
            _ => "write a condition, such as a comparison or `FACT is set`".into(),
        };
    }
    if wanted.contains(&Type::Date) {
        return "give a date: a literal such as 2023-10-31, a date fact, or `FACT + 28 days`"
            .into();
    }
    "check the type of each part of the expression".into()
}

fn binary_help(op: BinaryOp, a: Type, b: Type) -> String {
    match (op, a, b) {
        (_, Type::Date, t) | (_, t, Type::Date) if t.is_numeric() => {
            "to move a date, add a duration: `FACT + 28 days`".into()
        }
        (_, Type::Enum(_), Type::Text) | (_, Type::Text, Type::Enum(_)) => {
            "write the choice without quotes: `supplier = TPP`".into()
        }
        (BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge, x, y) if x == y => {
            format!(
                "{} values can be compared with `=` and `!=` only",
                x.describe()
            )
        }
        _ => "both sides must be numbers, or dates, or the same kind of value".into(),
    }
}
