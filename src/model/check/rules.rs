//! Rules, their versions, windows and endings.

use super::super::*;
use super::{Checker, Scope};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::Span;
use crate::syntax::ast;
use crate::value::Type;

impl Checker<'_> {
    pub(super) fn rule(&mut self, r: &ast::Rule) -> Option<Rule> {
        let authority = self.authority(&r.authority);
        let each = self.each(r);
        let mut versions: Vec<Version> = Vec::new();
        if r.versions.is_empty() {
            self.err(
                Diagnostic::error(r.name.span, format!("rule `{}` has no version", r.name.node), "no version")
                    .with_help("add `version from YYYY-MM-DD published YYYY-MM-DD cites SOURCE` and its clauses"),
            );
        }
        for v in &r.versions {
            let each_period = matches!(r.each, Some(ast::ForEach::Period(_)));
            if let Some(v) = self.version(&r.name.node, v, each_period) {
                versions.push(v);
            }
        }
        self.scope.clear();
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
            each: each?,
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

    /// `for each …`: the kind in scope for the rule's clauses (left in
    /// `self.scope` until the rule is checked). `None`: an error was
    /// reported; `Some(None)`: the rule is not judged item by item.
    fn each(&mut self, r: &ast::Rule) -> Option<Option<Each>> {
        self.scope.clear();
        match &r.each {
            None => Some(None),
            Some(ast::ForEach::Period(span)) => {
                if let Some(v) = r.versions.iter().find(|v| v.every.is_empty()) {
                    self.err(
                        Diagnostic::error(v.span, format!("a version of `{}` has no recurring deadline", r.name.node), "no `deadline every …`")
                            .with_help(format!("`for each period` (at {}) judges every period of a recurring deadline: give each version `deadline every …`, or remove `for each period`", self.where_(*span))),
                    );
                    return None;
                }
                Some(Some(Each::Period))
            }
            Some(ast::ForEach::Item { kind, filter }) => {
                let k = self.kind_named(kind)?;
                // In scope even when refused below, so that the clauses
                // reading its fields are not reported too.
                self.scope.push(Scope {
                    kind: k,
                    open: false,
                });
                if let Some(rec) = r.versions.iter().find_map(|v| v.every.first()) {
                    self.err(
                        Diagnostic::error(rec.span, format!("rule `{}` is judged for each {} and has a recurring deadline", r.name.node, kind.node), "recurring deadline")
                            .with_help("an item has one deadline: count it from the item's fields, like `deadline 1 month after KIND.FIELD`; for periods use a separate rule `for each period`"),
                    );
                    return None;
                }
                let filter = match filter {
                    Some(f) => Some(
                        self.expr(f)
                            .and_then(|c| self.expect(c, &[Type::Bool], "`where`"))?,
                    ),
                    None => None,
                };
                Some(Some(Each::Item { kind: k, filter }))
            }
        }
    }

    pub(super) fn check_windows(
        &mut self,
        rule: &str,
        written: &[ast::Version],
        versions: &[Version],
    ) {
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

    pub(super) fn ending(&mut self, r: &ast::Rule) -> Option<Ending> {
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

    pub(super) fn cite_required(
        &mut self,
        cites: &[ast::Citation],
        span: Span,
        what: &str,
    ) -> Vec<Citation> {
        let out = self.citations(cites);
        if cites.is_empty() {
            self.err(
                Diagnostic::error(span, format!("{what} cites no source"), "uncited")
                    .with_help("add `cites SOURCE`, naming a declared source"),
            );
        }
        out
    }

    pub(super) fn version(
        &mut self,
        rule: &str,
        v: &ast::Version,
        each_period: bool,
    ) -> Option<Version> {
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
        // Judged period by period, each period can be met on a day of its own.
        if !each_period {
            self.period = None;
        }
        if let (Some(Some(_)), Some(on), false) = (&every, v.met_on.first(), each_period) {
            self.err(
                Diagnostic::error(on.span, "`met on` cannot go with a recurring deadline", "met on")
                    .with_help("a recurring deadline is judged through `met when` and `period`; to tell each period met late from met, judge the rule `for each period`, where `met on` is the day a period was met"),
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
        self.period = None;
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
    pub(super) fn recurrence(
        &mut self,
        rule: &str,
        v: &ast::Version,
    ) -> Option<Option<Recurrence>> {
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
    pub(super) fn one<T: Copy>(
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
    pub(super) fn single(
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
}
