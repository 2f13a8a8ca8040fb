//! Three-valued (Kleene) evaluation of checked expressions.
//!
//! A value is known or unknown; unknown carries nothing, so evaluating a
//! condition allocates nothing. Which facts left a result unknown is worked
//! out afterwards, only for results that are unknown ([`Evaluator::missing`]).
//!
//! Definitions are memoised per organisation and computed bottom-up with an
//! explicit stack, so a chain of thousands of definitions needs no deep
//! recursion: evaluating a definition's body only ever meets definitions
//! already computed.

use std::cell::{Cell, OnceCell, RefCell};
use std::cmp::Ordering;

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::facts::{Facts, Item, Slot};
use crate::model::{
    Aggregate, AggregateOp, ArithOp, CmpOp, DefId, Expr, ExprKind, FactId, KindId, Owner, Ruleset,
};
use crate::value::{TimeUnit, Value};

/// A value, or unknown because some fact it needs is missing.
#[derive(Debug, Clone, PartialEq)]
pub enum Tri {
    /// Decided.
    Known(Value),
    /// Not decided: a fact it needs was not given (or a result could not be computed).
    Unknown,
}

impl Tri {
    fn bool(b: bool) -> Self {
        Tri::Known(Value::Bool(b))
    }

    /// `Some(b)` for a known condition; a known empty value counts as false.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Tri::Known(Value::Bool(b)) => Some(*b),
            Tri::Known(_) => Some(false),
            Tri::Unknown => None,
        }
    }

    /// Whether it is decided.
    pub fn is_known(&self) -> bool {
        matches!(self, Tri::Known(_))
    }
}

/// An operand: borrowed where it is a constant, a fact or a computed
/// definition (no copy), owned where it was computed here.
enum Operand<'a> {
    Ref(&'a Value),
    Own(Value),
    Unknown,
}

impl Operand<'_> {
    #[inline]
    fn get(&self) -> Option<&Value> {
        match self {
            Operand::Ref(v) => Some(v),
            Operand::Own(v) => Some(v),
            Operand::Unknown => None,
        }
    }
}

/// What a fact dated after the date judged is seen as: not happened yet.
static NOT_YET: Value = Value::Null;

/// A known value as a condition: a known empty value counts as false.
#[inline]
fn truth_of(v: &Value) -> bool {
    matches!(v, Value::Bool(true))
}

/// No item is bound.
const UNBOUND: u32 = u32::MAX;

/// How many items aggregates that cannot be memoised (they read an outer
/// item or `period`) may look at for one organisation, all told. Nested
/// over several kinds they cost the product of the lists' lengths; past
/// this, an aggregate is unknown (it could not be computed) rather than
/// keep a run going for hours.
pub const MAX_AGGREGATE_WORK: u64 = 10_000_000;

/// The memory an evaluator works in, kept from one organisation to the next
/// (see [`Evaluator::reusing`]).
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    defs: Vec<OnceCell<Tri>>,
    aggregates: Vec<OnceCell<Tri>>,
    bound: Vec<Cell<u32>>,
}

impl Scratch {
    /// No memory yet (a `const`, so a thread-local one needs no lazy start).
    pub(crate) const fn new() -> Self {
        Self {
            defs: Vec::new(),
            aggregates: Vec::new(),
            bound: Vec::new(),
        }
    }
}

/// Evaluates expressions for one organisation on one date.
pub(crate) struct Evaluator<'a> {
    pub ruleset: &'a Ruleset,
    /// The facts' slots, as this ruleset may read them.
    slots: &'a [Slot],
    /// The items of each kind, as this ruleset may read them.
    items: &'a [Option<Vec<Item>>],
    pub as_of: NaiveDate,
    defs: Vec<OnceCell<Tri>>,
    /// The memo of aggregates computed once per organisation.
    aggregates: Vec<OnceCell<Tri>>,
    /// The item of each kind being judged or looked at, by index.
    bound: Vec<Cell<u32>>,
    /// Items looked at so far by aggregates computed each time they are met.
    work: Cell<u64>,
    /// The facts each unknown definition misses, once asked.
    def_missing: RefCell<Vec<Option<Vec<FactId>>>>,
    /// The first day of the period a recurring deadline is judging.
    period: Cell<Option<NaiveDate>>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator; definitions are computed once each, on first use.
    pub fn new(ruleset: &'a Ruleset, facts: &'a Facts, as_of: NaiveDate) -> Self {
        Self::reusing(ruleset, facts, as_of, Scratch::default())
    }

    /// An evaluator whose memos reuse `scratch`'s memory (see
    /// [`Evaluator::into_scratch`]), so judging many organisations in turn
    /// allocates nothing per organisation.
    pub fn reusing(
        ruleset: &'a Ruleset,
        facts: &'a Facts,
        as_of: NaiveDate,
        scratch: Scratch,
    ) -> Self {
        let Scratch {
            mut defs,
            mut aggregates,
            mut bound,
        } = scratch;
        defs.clear();
        defs.resize(ruleset.definitions.len(), OnceCell::new());
        aggregates.clear();
        aggregates.resize(ruleset.memoised_aggregates as usize, OnceCell::new());
        bound.clear();
        bound.resize(ruleset.kinds.len(), Cell::new(UNBOUND));
        let items = if facts.schema == ruleset.schema {
            &facts.items[..]
        } else {
            &[]
        };
        Self {
            ruleset,
            slots: facts.slots_for(ruleset),
            items,
            as_of,
            defs,
            aggregates,
            bound,
            work: Cell::new(0),
            def_missing: RefCell::new(Vec::new()),
            period: Cell::new(None),
        }
    }

    /// The memos' memory, for the next [`Evaluator::reusing`].
    pub fn into_scratch(self) -> Scratch {
        Scratch {
            defs: self.defs,
            aggregates: self.aggregates,
            bound: self.bound,
        }
    }

    /// The items of a kind; `None` when the list was not given.
    pub fn items(&self, kind: KindId) -> Option<&'a [Item]> {
        self.items.get(kind.index())?.as_deref()
    }

    /// Makes item `index` of `kind` the one its fields are read from
    /// (`None`: no item); returns the one bound before.
    pub fn bind(&self, kind: KindId, index: Option<u32>) -> Option<u32> {
        let cell = self.bound.get(kind.index())?;
        let before = cell.replace(index.unwrap_or(UNBOUND));
        (before != UNBOUND).then_some(before)
    }

    /// The slot of an item field, for the item bound.
    #[inline]
    fn field_slot(&self, id: FactId) -> &'a Slot {
        let Some(Owner::Field(kind, index)) = self.ruleset.facts.get(id.index()).map(|f| f.owner)
        else {
            return &Slot::Absent;
        };
        let Some(i) = self.bound.get(kind.index()).map(Cell::get) else {
            return &Slot::Absent;
        };
        self.items(kind)
            .and_then(|items| items.get(i as usize))
            .map_or(&Slot::Absent, |item| item.field(index))
    }

    /// An item field of the item bound, as the as-of date sees it.
    #[inline]
    fn field(&self, id: FactId) -> Tri {
        match self.field_slot(id) {
            Slot::Absent => Tri::Unknown,
            Slot::Given { value, .. } => Tri::Known(self.seen_ref(id, value).clone()),
        }
    }

    /// Names the period `period` stands for, while judging a recurring deadline.
    pub fn set_period(&self, first_day: Option<NaiveDate>) {
        self.period.set(first_day);
    }

    /// The period being judged, if any.
    pub fn period(&self) -> Option<NaiveDate> {
        self.period.get()
    }

    /// The fact as seen on the as-of date: an event dated later has not
    /// happened yet (unless the fact is a summary `as recorded`).
    #[inline]
    pub fn fact(&self, id: FactId) -> Tri {
        match self.ruleset.facts.get(id.index()).map(|f| f.owner) {
            Some(Owner::Field(..)) => return self.field(id),
            #[expect(
                clippy::cast_precision_loss,
                reason = "lists are far shorter than 2^53"
            )]
            Some(Owner::List(kind)) => {
                return self
                    .items(kind)
                    .map_or(Tri::Unknown, |l| Tri::Known(Value::Number(l.len() as f64)));
            }
            _ => {}
        }
        self.organisation_fact(id)
    }

    /// An organisation's fact as seen on the as-of date.
    #[inline]
    fn organisation_fact(&self, id: FactId) -> Tri {
        match self.slot(id) {
            Slot::Absent => Tri::Unknown,
            Slot::Given { value, .. } => Tri::Known(self.seen_ref(id, value).clone()),
        }
    }

    #[inline]
    fn slot(&self, id: FactId) -> &'a Slot {
        self.slots.get(id.0 as usize).unwrap_or(&Slot::Absent)
    }

    /// A given value as the as-of date sees it.
    #[inline]
    fn seen_ref<'v>(&self, id: FactId, value: &'v Value) -> &'v Value {
        let later = match value {
            Value::Date(d) => *d > self.as_of,
            Value::DateTime(dt) => dt.date() > self.as_of,
            _ => false,
        };
        if later
            && !self
                .ruleset
                .facts
                .get(id.0 as usize)
                .is_some_and(|f| f.as_recorded)
        {
            &NOT_YET
        } else {
            value
        }
    }

    /// An expression's value, borrowed when it is a constant, a fact or a definition.
    #[inline]
    fn operand<'e>(&'e self, e: &'e Expr) -> Operand<'e> {
        match &e.kind {
            ExprKind::Const(v) => Operand::Ref(v),
            ExprKind::Fact(id) => match self.slot(*id) {
                Slot::Absent => Operand::Unknown,
                Slot::Given { value, .. } => Operand::Ref(self.seen_ref(*id, value)),
            },
            ExprKind::Def(id) => {
                if self.cached_ref(*id).is_none() {
                    self.def(*id);
                }
                match self.cached_ref(*id) {
                    Some(Tri::Known(v)) => Operand::Ref(v),
                    _ => Operand::Unknown,
                }
            }
            ExprKind::Field(id) => match self.field_slot(*id) {
                Slot::Absent => Operand::Unknown,
                Slot::Given { value, .. } => Operand::Ref(self.seen_ref(*id, value)),
            },
            _ => match self.eval(e) {
                Tri::Known(v) => Operand::Own(v),
                Tri::Unknown => Operand::Unknown,
            },
        }
    }

    /// A condition's truth, as `eval(e).as_bool()` but without building
    /// values on the way: `None` when it is unknown.
    pub fn truth(&self, e: &Expr) -> Option<bool> {
        match &e.kind {
            ExprKind::And(a, b) => {
                let x = self.truth(a);
                if x == Some(false) {
                    return Some(false);
                }
                match (x, self.truth(b)) {
                    (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                }
            }
            ExprKind::Or(a, b) => {
                let x = self.truth(a);
                if x == Some(true) {
                    return Some(true);
                }
                match (x, self.truth(b)) {
                    (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                }
            }
            ExprKind::Not(x) => self.truth(x).map(|b| !b),
            ExprKind::Cmp(op, a, b) => {
                let (x, y) = (self.operand(a), self.operand(b));
                Some(compare(*op, x.get()?, y.get()?))
            }
            ExprKind::IsSet(x) => self.operand(x).get().map(|v| !matches!(v, Value::Null)),
            ExprKind::IsMissing(x) => self.operand(x).get().map(|v| matches!(v, Value::Null)),
            ExprKind::OneOf(x, set) => self
                .operand(x)
                .get()
                .map(|v| matches!(v, Value::Variant(i) if set.contains(i))),
            ExprKind::Const(_) | ExprKind::Fact(_) | ExprKind::Def(_) | ExprKind::Field(_) => {
                self.operand(e).get().map(truth_of)
            }
            ExprKind::Aggregate(a) => self.aggregate(a).as_bool(),
            ExprKind::If(c, t, f) => match self.truth(c)? {
                true => self.truth(t),
                false => self.truth(f),
            },
            ExprKind::Today | ExprKind::Period | ExprKind::Neg(_) | ExprKind::Arith(..) => {
                self.eval(e).as_bool()
            }
        }
    }

    /// A definition's value (memoised).
    pub fn def(&self, id: DefId) -> Tri {
        if let Some(v) = self.cached(id) {
            return v;
        }
        let ready = |d: DefId| {
            self.defs
                .get(d.0 as usize)
                .is_some_and(|c| c.get().is_some())
        };
        self.bottom_up(id, ready, |d| {
            let v = self.body(d);
            if let Some(cell) = self.defs.get(d.0 as usize) {
                let _ = cell.set(v);
            }
        });
        self.cached(id).unwrap_or(Tri::Unknown)
    }

    #[inline]
    fn cached(&self, id: DefId) -> Option<Tri> {
        self.cached_ref(id).cloned()
    }

    #[inline]
    fn cached_ref(&self, id: DefId) -> Option<&Tri> {
        self.defs.get(id.0 as usize)?.get()
    }

    /// Evaluates a definition's own expression (its uses must be computed).
    fn body(&self, id: DefId) -> Tri {
        match self.ruleset.definitions.get(id.0 as usize) {
            Some(def) => self.eval(&def.value),
            None => Tri::Unknown,
        }
    }

    /// Calls `compute` on `root` and on every definition it uses, directly
    /// or not, that is not `ready`, each after the ones it uses: a
    /// depth-first walk on its own stack, never the thread's. Definitions
    /// have no cycles (the checker rejects them), so each is computed once.
    fn bottom_up(
        &self,
        root: DefId,
        ready: impl Fn(DefId) -> bool,
        mut compute: impl FnMut(DefId),
    ) {
        let uses = |d: DefId| {
            self.ruleset
                .definitions
                .get(d.0 as usize)
                .map_or(&[][..], |x| &x.uses[..])
        };
        // The common case, a definition over facts or ready definitions,
        // needs no stack at all.
        if uses(root).iter().all(|u| ready(*u)) {
            return compute(root);
        }
        let mut stack: Vec<(DefId, usize)> = vec![(root, 0)];
        while let Some((d, next)) = stack.last_mut() {
            if let Some(&u) = uses(*d).get(*next) {
                *next += 1;
                if !ready(u) {
                    stack.push((u, 0));
                }
            } else {
                let d = *d;
                stack.pop();
                if !ready(d) {
                    compute(d);
                }
            }
        }
    }

    /// Evaluates an expression.
    pub fn eval(&self, e: &Expr) -> Tri {
        match &e.kind {
            ExprKind::Const(v) => Tri::Known(v.clone()),
            // The checker makes `Fact` of the organisation's facts only.
            ExprKind::Fact(id) => self.organisation_fact(*id),
            ExprKind::Def(id) => self.def(*id),
            ExprKind::Field(id) => self.field(*id),
            ExprKind::Aggregate(a) => self.aggregate(a),
            ExprKind::Today => Tri::Known(Value::Date(self.as_of)),
            ExprKind::Period => Tri::Known(self.period.get().map_or(Value::Null, Value::Date)),
            ExprKind::If(c, t, f) => match self.truth(c) {
                None => Tri::Unknown,
                Some(true) => self.eval(t),
                Some(false) => self.eval(f),
            },
            ExprKind::And(..)
            | ExprKind::Or(..)
            | ExprKind::Not(_)
            | ExprKind::Cmp(..)
            | ExprKind::IsSet(_)
            | ExprKind::IsMissing(_)
            | ExprKind::OneOf(..) => self.truth(e).map_or(Tri::Unknown, Tri::bool),
            ExprKind::Neg(x) => unary(&e.kind, self.eval(x)),
            ExprKind::Arith(op, a, b) => {
                let (x, y) = (self.operand(a), self.operand(b));
                match (x.get(), y.get()) {
                    // An empty operand gives an empty result (a deadline
                    // counted from an event that has not happened is not set
                    // yet); a result that cannot be computed (division by
                    // zero, a date beyond the calendar) is unknown, never a
                    // value that could decide a rule.
                    (Some(Value::Null), Some(_)) | (Some(_), Some(Value::Null)) => {
                        Tri::Known(Value::Null)
                    }
                    (Some(x), Some(y)) => arith(*op, x, y).map_or(Tri::Unknown, Tri::Known),
                    _ => Tri::Unknown,
                }
            }
        }
    }

    /// The facts whose absence leaves any of `exprs` unknown, sorted, each
    /// once: exactly those that could decide it. Nothing for known ones.
    /// Into `out`, cleared first.
    pub fn missing_into(&self, exprs: &[&Expr], out: &mut Vec<FactId>) {
        out.clear();
        for e in exprs {
            self.collect_missing(e, out);
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Evaluates `e` and, when it is unknown, appends the facts that left it
    /// so; parts that turn out not to matter (`false and x`) are dropped
    /// again, so the walk is linear in the expression.
    fn collect_missing(&self, e: &Expr, out: &mut Vec<FactId>) -> Tri {
        let mark = out.len();
        let value = match &e.kind {
            ExprKind::Fact(id) => {
                let v = self.organisation_fact(*id);
                if !v.is_known() {
                    out.push(*id);
                }
                v
            }
            ExprKind::Def(id) => {
                let v = self.def(*id);
                if !v.is_known() {
                    out.extend(self.def_missing(*id));
                }
                v
            }
            ExprKind::Field(id) => {
                let v = self.field(*id);
                if !v.is_known() {
                    out.push(*id);
                }
                v
            }
            ExprKind::Aggregate(a) => {
                let v = self.aggregate(a);
                if !v.is_known() {
                    self.aggregate_missing(a, out);
                }
                v
            }
            ExprKind::Not(x)
            | ExprKind::Neg(x)
            | ExprKind::IsSet(x)
            | ExprKind::IsMissing(x)
            | ExprKind::OneOf(x, _) => {
                let x = self.collect_missing(x, out);
                unary(&e.kind, x)
            }
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                let x = self.collect_missing(a, out);
                let y = self.collect_missing(b, out);
                kleene(x, y, matches!(e.kind, ExprKind::Or(..)))
            }
            ExprKind::Cmp(_, a, b) | ExprKind::Arith(_, a, b) => {
                let x = self.collect_missing(a, out);
                let y = self.collect_missing(b, out);
                binary(&e.kind, x, y)
            }
            ExprKind::If(c, t, f) => match self.collect_missing(c, out).as_bool() {
                None => Tri::Unknown,
                Some(true) => self.collect_missing(t, out),
                Some(false) => self.collect_missing(f, out),
            },
            ExprKind::Const(_) | ExprKind::Today | ExprKind::Period => self.eval(e),
        };
        if value.is_known() {
            out.truncate(mark);
        }
        value
    }

    /// An aggregate's value, from the memo when it has a slot there.
    fn aggregate(&self, a: &Aggregate) -> Tri {
        let Some(cell) = a.memo.and_then(|m| self.aggregates.get(m as usize)) else {
            return self.aggregate_now(a);
        };
        if let Some(v) = cell.get() {
            return v.clone();
        }
        let v = self.aggregate_now(a);
        let _ = cell.set(v.clone());
        v
    }

    /// Computes an aggregate: one pass over the kind's items, each bound in
    /// turn. Three-valued: an item that cannot be decided leaves the result
    /// unknown only when it could change it.
    fn aggregate_now(&self, a: &Aggregate) -> Tri {
        let Some(items) = self.items(a.kind) else {
            return Tri::Unknown;
        };
        if a.memo.is_none() {
            let work = self.work.get().saturating_add(items.len() as u64);
            self.work.set(work);
            if work > MAX_AGGREGATE_WORK {
                return Tri::Unknown;
            }
        }
        let before = self.bind(a.kind, None);
        let mut fold = Fold::new(a.op);
        for i in 0..items.len() {
            let Ok(i) = u32::try_from(i) else { break };
            self.bind(a.kind, Some(i));
            let pass = a.filter.as_ref().map_or(Some(true), |f| self.truth(f));
            let value = a.field.map(|f| self.field(f));
            if fold.add(pass, value) {
                break;
            }
        }
        self.bind(a.kind, before);
        fold.result()
    }

    /// The facts and fields whose absence leaves an aggregate unknown: the
    /// list itself, or the fields of the items that could not be decided.
    fn aggregate_missing(&self, a: &Aggregate, out: &mut Vec<FactId>) {
        let Some(items) = self.items(a.kind) else {
            out.push(self.ruleset.kind(a.kind).list);
            return;
        };
        if a.memo.is_none() {
            let work = self.work.get().saturating_add(items.len() as u64);
            self.work.set(work);
            if work > MAX_AGGREGATE_WORK {
                return;
            }
        }
        let before = self.bind(a.kind, None);
        for i in 0..items.len() {
            let Ok(i) = u32::try_from(i) else { break };
            self.bind(a.kind, Some(i));
            let pass = match &a.filter {
                Some(f) => self.collect_missing(f, out).as_bool(),
                None => Some(true),
            };
            if pass != Some(false)
                && let Some(f) = a.field
                && !self.field(f).is_known()
            {
                out.push(f);
            }
        }
        self.bind(a.kind, before);
    }

    /// The facts an unknown definition misses (memoised, computed bottom-up).
    fn def_missing(&self, id: DefId) -> Vec<FactId> {
        let known = |d: DefId| {
            self.def_missing
                .borrow()
                .get(d.0 as usize)
                .is_some_and(Option::is_some)
        };
        if !known(id) {
            if self.def_missing.borrow().is_empty() {
                *self.def_missing.borrow_mut() = vec![None; self.ruleset.definitions.len()];
            }
            self.bottom_up(id, known, |d| {
                let mut facts = Vec::new();
                if let Some(def) = self.ruleset.definitions.get(d.0 as usize) {
                    self.collect_missing(&def.value, &mut facts);
                }
                facts.sort_unstable();
                facts.dedup();
                if let Some(slot) = self.def_missing.borrow_mut().get_mut(d.0 as usize) {
                    *slot = Some(facts);
                }
            });
        }
        self.def_missing
            .borrow()
            .get(id.0 as usize)
            .cloned()
            .flatten()
            .unwrap_or_default()
    }
}

/// An aggregate being computed, item by item.
struct Fold {
    op: AggregateOp,
    count: u32,
    sum: f64,
    /// The earliest or latest value of the items that pass.
    best: Option<Value>,
    /// The best value among items that may or may not pass.
    maybe: Option<Value>,
    /// Some item could change the result, but cannot be decided.
    unknown: bool,
    /// `any` found an item, or `all` one that fails: the answer is final.
    settled: Option<bool>,
}

impl Fold {
    fn new(op: AggregateOp) -> Self {
        Self {
            op,
            count: 0,
            sum: 0.0,
            best: None,
            maybe: None,
            unknown: false,
            settled: None,
        }
    }

    /// Whether `v` is a better earliest or latest than `than`.
    fn beats(&self, v: &Value, than: Option<&Value>) -> bool {
        let op = if self.op == AggregateOp::Earliest {
            CmpOp::Lt
        } else {
            CmpOp::Gt
        };
        than.is_none_or(|t| compare(op, v, t))
    }

    /// Takes in one item: whether it passes the filter, and its field's
    /// value. True when the result can no longer change.
    fn add(&mut self, pass: Option<bool>, value: Option<Tri>) -> bool {
        match self.op {
            AggregateOp::Count => match pass {
                Some(true) => self.count += 1,
                Some(false) => {}
                None => self.unknown = true,
            },
            AggregateOp::Any => match pass {
                Some(true) => self.settled = Some(true),
                Some(false) => {}
                None => self.unknown = true,
            },
            AggregateOp::All => match pass {
                Some(false) => self.settled = Some(false),
                Some(true) => {}
                None => self.unknown = true,
            },
            AggregateOp::Sum => match (pass, value) {
                (Some(false), _) => {}
                // Nothing to add, whether or not the item passes.
                (_, Some(Tri::Known(Value::Null))) => {}
                (None, Some(Tri::Known(Value::Number(0.0)))) => {}
                (Some(true), Some(Tri::Known(Value::Number(n)))) => self.sum += n,
                _ => self.unknown = true,
            },
            AggregateOp::Earliest | AggregateOp::Latest => match (pass, value) {
                (Some(false), _) | (_, Some(Tri::Known(Value::Null))) => {}
                (Some(true), Some(Tri::Known(v))) => {
                    if self.beats(&v, self.best.as_ref()) {
                        self.best = Some(v);
                    }
                }
                (None, Some(Tri::Known(v))) => {
                    if self.beats(&v, self.maybe.as_ref()) {
                        self.maybe = Some(v);
                    }
                }
                _ => self.unknown = true,
            },
        }
        self.settled.is_some()
    }

    fn result(self) -> Tri {
        if let Some(b) = self.settled {
            return Tri::bool(b);
        }
        // An item that may pass, with a better value than the best of those
        // that do, could change the answer.
        let maybe_better = self
            .maybe
            .as_ref()
            .is_some_and(|m| self.beats(m, self.best.as_ref()));
        if self.unknown || maybe_better {
            return Tri::Unknown;
        }
        match self.op {
            AggregateOp::Count => Tri::Known(Value::Number(f64::from(self.count))),
            AggregateOp::Any => Tri::bool(false),
            AggregateOp::All => Tri::bool(true),
            AggregateOp::Sum => Tri::Known(Value::Number(self.sum)),
            AggregateOp::Earliest | AggregateOp::Latest => {
                Tri::Known(self.best.unwrap_or(Value::Null))
            }
        }
    }
}

/// Kleene's `and` (dominant = false) or `or` (dominant = true) of two values.
fn kleene(x: Tri, y: Tri, dominant: bool) -> Tri {
    match (x.as_bool(), y.as_bool()) {
        (Some(v), _) | (_, Some(v)) if v == dominant => Tri::bool(dominant),
        (Some(_), Some(_)) => Tri::bool(!dominant),
        _ => Tri::Unknown,
    }
}

/// A one-operand expression (`not`, `-`, `is set`, `is missing`, `is one of`) of its operand's value.
fn unary(kind: &ExprKind, x: Tri) -> Tri {
    let Tri::Known(x) = x else {
        return Tri::Unknown;
    };
    match (kind, x) {
        (ExprKind::Not(_), x) => Tri::bool(!Tri::Known(x).as_bool().unwrap_or(false)),
        (ExprKind::Neg(_), Value::Number(n)) => Tri::Known(Value::Number(-n)),
        (ExprKind::Neg(_), x) => Tri::Known(x),
        (ExprKind::IsSet(_), x) => Tri::bool(!matches!(x, Value::Null)),
        (ExprKind::IsMissing(_), x) => Tri::bool(matches!(x, Value::Null)),
        (ExprKind::OneOf(_, set), Value::Variant(v)) => Tri::bool(set.contains(&v)),
        _ => Tri::bool(false),
    }
}

/// A comparison or an arithmetic expression of its operands' values.
fn binary(kind: &ExprKind, x: Tri, y: Tri) -> Tri {
    let (Tri::Known(x), Tri::Known(y)) = (x, y) else {
        return Tri::Unknown;
    };
    match kind {
        ExprKind::Cmp(op, ..) => Tri::bool(compare(*op, &x, &y)),
        // An empty operand gives an empty result (a deadline counted from an
        // event that has not happened is not set yet); a result that cannot
        // be computed (division by zero, a date beyond the calendar) is
        // unknown, never a value that could decide a rule.
        ExprKind::Arith(..) if matches!(x, Value::Null) || matches!(y, Value::Null) => {
            Tri::Known(Value::Null)
        }
        ExprKind::Arith(op, ..) => arith(*op, &x, &y).map_or(Tri::Unknown, Tri::Known),
        _ => Tri::Unknown,
    }
}

/// Compares two known values; anything involving an empty value is false.
fn compare(op: CmpOp, x: &Value, y: &Value) -> bool {
    let ord = match (x, y) {
        (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
        (Value::Date(a), Value::Date(b)) => Some(a.cmp(b)),
        (Value::DateTime(a), Value::DateTime(b)) => Some(a.cmp(b)),
        (Value::Date(a), Value::DateTime(b)) => Some(a.cmp(&b.date())),
        (Value::DateTime(a), Value::Date(b)) => Some(a.date().cmp(b)),
        (Value::Duration(a, u), Value::Duration(b, w)) if u == w => Some(a.cmp(b)),
        (Value::Text(a), Value::Text(b)) => Some(a.cmp(b)),
        (Value::Variant(a), Value::Variant(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    };
    let Some(ord) = ord else { return false };
    match op {
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
    }
}

/// Arithmetic on known, non-empty values; `None` when it has no result.
fn arith(op: ArithOp, x: &Value, y: &Value) -> Option<Value> {
    let out = match (op, x, y) {
        (ArithOp::Add, Value::Number(a), Value::Number(b)) => Some(Value::Number(a + b)),
        (ArithOp::Sub, Value::Number(a), Value::Number(b)) => Some(Value::Number(a - b)),
        (ArithOp::Mul, Value::Number(a), Value::Number(b)) => Some(Value::Number(a * b)),
        (ArithOp::Div, Value::Number(a), Value::Number(b)) => {
            (*b != 0.0).then(|| Value::Number(a / b))
        }
        (ArithOp::Sub, Value::Date(a), Value::Date(b)) =>
        {
            #[expect(clippy::cast_precision_loss, reason = "day counts are small")]
            Some(Value::Number((*a - *b).num_days() as f64))
        }
        (ArithOp::Add, Value::Date(d), Value::Duration(n, u))
        | (ArithOp::Add, Value::Duration(n, u), Value::Date(d)) => {
            shift(*d, *n, *u).map(Value::Date)
        }
        (ArithOp::Sub, Value::Date(d), Value::Duration(n, u)) => {
            shift(*d, -*n, *u).map(Value::Date)
        }
        (ArithOp::Add, Value::DateTime(t), Value::Duration(n, u))
        | (ArithOp::Add, Value::Duration(n, u), Value::DateTime(t)) => {
            shift(t.date(), *n, *u).map(|d| Value::DateTime(d.and_time(t.time())))
        }
        (ArithOp::Sub, Value::DateTime(t), Value::Duration(n, u)) => {
            shift(t.date(), -*n, *u).map(|d| Value::DateTime(d.and_time(t.time())))
        }
        _ => None,
    };
    out.filter(|v| !matches!(v, Value::Number(n) if !n.is_finite()))
}

/// Moves a date by a duration; months clamp to the month's last day.
pub fn shift(d: NaiveDate, n: i64, unit: TimeUnit) -> Option<NaiveDate> {
    let days = |k: i64| -> Option<NaiveDate> {
        let k_abs = Days::new(k.unsigned_abs());
        if k >= 0 {
            d.checked_add_days(k_abs)
        } else {
            d.checked_sub_days(k_abs)
        }
    };
    let months = |k: i64| -> Option<NaiveDate> {
        let m = Months::new(u32::try_from(k.unsigned_abs()).ok()?);
        if k >= 0 {
            d.checked_add_months(m)
        } else {
            d.checked_sub_months(m)
        }
    };
    let moved = match unit {
        TimeUnit::Days => days(n),
        TimeUnit::Weeks => days(n.checked_mul(7)?),
        TimeUnit::Months => months(n),
        TimeUnit::Years => months(n.checked_mul(12)?),
    };
    // Only the dates a facts or rule file can write (years 1 to 9999):
    // `9999-12-31 + 1 day` is no date obligo could show or read back.
    moved.filter(|m| (1..=9999).contains(&m.year()))
}
