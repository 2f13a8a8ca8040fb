//! A batch's records: one JSON line (or CSV row) per organisation, or per
//! invalid row, written straight into a reused buffer. The shapes are in
//! docs/batch.md, under [`SCHEMA_VERSION`].

use std::io::Write as _;

use crate::eval::{Deadline, Outcome, Plan, Status, Verdict, rollup};
use crate::facts::Facts;
use crate::facts::row::RowProblem;
use crate::model::{Each, Ruleset};
use crate::source::SourceMap;

use super::why::{self, ClauseView, Definitions};
use super::words;
use crate::eval::Explainer;

/// The version of the record shapes (JSON Lines and CSV).
pub const SCHEMA_VERSION: u32 = 1;

/// The format of a batch's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// One JSON object a line.
    Jsonl,
    /// One CSV row per organisation, a column per rule.
    Csv,
}

/// Where a row came from.
#[derive(Debug, Clone, Copy)]
pub struct RowPlace<'a> {
    /// Its number in the batch, from 1.
    pub row: u64,
    /// Which input, by its place in [`Records::new`]'s list.
    pub input: usize,
    /// The input, as the user named it.
    pub file: &'a str,
    /// Its first line in the input (0 when it has none).
    pub line: u32,
}

/// The writer of one run's records, with what every record repeats (each
/// rule's key, each input's name) written out once.
#[derive(Debug, Clone)]
pub struct Records {
    format: Output,
    /// Per rule (by index): `"name":{"status":"` in JSON.
    rule_keys: Vec<Vec<u8>>,
    /// Per input: its name as a JSON string, and as a CSV field.
    files: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Records {
    /// The writer for `plan`'s rules and these inputs' names.
    pub fn new<'a>(
        format: Output,
        plan: &Plan<'_>,
        inputs: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let rule_keys = plan
            .ruleset()
            .rules
            .iter()
            .map(|rule| {
                let mut key = Vec::new();
                string(&mut key, &rule.name);
                key.extend_from_slice(b":{\"status\":\"");
                key
            })
            .collect();
        let files = inputs
            .into_iter()
            .map(|name| {
                let (mut json, mut csv) = (Vec::new(), Vec::new());
                string(&mut json, name);
                csv_field(&mut csv, name);
                (json, csv)
            })
            .collect();
        Self {
            format,
            rule_keys,
            files,
        }
    }

    /// One organisation's record.
    pub fn organisation(
        &self,
        out: &mut Vec<u8>,
        plan: &Plan<'_>,
        place: &RowPlace<'_>,
        judged: &Judged<'_>,
    ) {
        match self.format {
            Output::Jsonl => self.jsonl_organisation(out, plan, place, judged),
            Output::Csv => self.csv_organisation(out, place, judged),
        }
    }

    /// An invalid row's record.
    pub fn invalid(
        &self,
        out: &mut Vec<u8>,
        plan: &Plan<'_>,
        place: &RowPlace<'_>,
        errors: &[RowError<'_>],
    ) {
        match self.format {
            Output::Jsonl => self.jsonl_invalid(out, place, errors),
            Output::Csv => self.csv_invalid(out, plan, place, errors),
        }
    }

    fn file_json(&self, out: &mut Vec<u8>, place: &RowPlace<'_>) {
        match self.files.get(place.input) {
            Some((json, _)) => out.extend_from_slice(json),
            None => string(out, place.file),
        }
    }

    fn file_csv(&self, out: &mut Vec<u8>, place: &RowPlace<'_>) {
        match self.files.get(place.input) {
            Some((_, csv)) => out.extend_from_slice(csv),
            None => csv_field(out, place.file),
        }
    }
}

/// One organisation as judged: what its record says.
#[derive(Debug, Clone, Copy)]
pub struct Judged<'a> {
    /// Its facts (for its id and name).
    pub facts: &'a Facts,
    /// Each known rule's outcome, in ruleset order.
    pub outcomes: &'a [Outcome],
    /// Its verdict.
    pub verdict: Verdict,
    /// Its explanations, with `--explain`.
    pub explained: Option<&'a Explained>,
}

/// One organisation's explanations, for its record: each rule's clauses,
/// and the definitions they name, each explained once.
#[derive(Debug, Clone)]
pub struct Explained {
    /// Per outcome, in the order of the outcomes.
    clauses: Vec<Vec<ClauseView>>,
    /// Per outcome, each of its items' clauses (none for a rule not
    /// judged for each item or period).
    items: Vec<Vec<Vec<ClauseView>>>,
    definitions: Definitions,
}

impl Explained {
    /// Re-walks each outcome's decision with recording on.
    pub fn of(plan: &Plan<'_>, facts: &Facts, outcomes: &[Outcome]) -> Self {
        let rs = plan.ruleset();
        let mut ex = Explainer::new(plan, facts);
        let mut clauses_of = |o: &Outcome| {
            let explained = ex.explain(o);
            let version = rs
                .get_rule(o.rule)
                .and_then(|r| o.version.and_then(|i| r.versions.get(i)));
            why::clauses(rs, facts, version, &explained)
        };
        let clauses = outcomes.iter().map(&mut clauses_of).collect();
        let items = outcomes
            .iter()
            .map(|o| {
                let bound = match rs.get_rule(o.rule).and_then(|r| r.each.as_ref()) {
                    Some(crate::model::Each::Item { kind, .. }) => Some(*kind),
                    _ => None,
                };
                o.items
                    .iter()
                    .map(|i| {
                        let mut explained = ex.explain(i);
                        explained.retain(|c| crate::eval::per_item(c.node.expr, c.role));
                        let version = rs
                            .get_rule(i.rule)
                            .and_then(|r| i.version.and_then(|v| r.versions.get(v)));
                        let at = bound.zip(i.item);
                        why::item_clauses(rs, facts, version, &explained, at)
                    })
                    .collect()
            })
            .collect();
        let definitions = Definitions::of(rs, facts, &ex);
        Self {
            clauses,
            items,
            definitions,
        }
    }
}

/// One problem of an invalid row, located.
#[derive(Debug, Clone)]
pub struct RowError<'a> {
    /// 1-based line and column in the input, when the problem has a place.
    pub at: Option<(usize, usize)>,
    /// The fact or header field it is about, when it is about one.
    pub field: Option<&'a str>,
    /// What is wrong.
    pub message: &'a str,
    /// How to fix it.
    pub help: Option<&'a str>,
}

impl<'a> RowError<'a> {
    /// Locates a problem in the text it points into.
    pub fn of(p: &'a RowProblem, sources: &SourceMap) -> Self {
        let d = &p.diagnostic;
        Self {
            at: d
                .span
                .filter(|s| sources.get(s.file).is_some())
                .map(|s| sources.line_col(s)),
            field: p.field.as_deref(),
            message: &d.message,
            help: d.help.as_deref(),
        }
    }
}

/// The CSV header: where the row came from, who, the verdict, a column per
/// rule (in ruleset order), and the problem of an invalid row.
pub fn csv_header(out: &mut Vec<u8>, plan: &Plan<'_>) {
    out.extend_from_slice(b"row,file,line,id,name,verdict");
    for id in plan.rules() {
        if let Some(rule) = plan.ruleset().get_rule(id) {
            out.push(b',');
            csv_field(out, &rule.name);
        }
    }
    out.extend_from_slice(b",error\n");
}

impl Records {
    fn jsonl_organisation(
        &self,
        out: &mut Vec<u8>,
        plan: &Plan<'_>,
        place: &RowPlace<'_>,
        judged: &Judged<'_>,
    ) {
        let Judged {
            facts,
            outcomes,
            verdict,
            explained,
        } = *judged;
        let rs = plan.ruleset();
        self.head(out, "organisation", place);
        out.extend_from_slice(b",\"id\":");
        opt_string(out, facts.id.as_deref());
        out.extend_from_slice(b",\"name\":");
        opt_string(out, facts.name.as_deref());
        let _ = write!(out, ",\"verdict\":\"{}\",\"rules\":{{", verdict.code());
        for (i, o) in outcomes.iter().enumerate() {
            let Some(rule) = rs.get_rule(o.rule) else {
                continue;
            };
            if i > 0 {
                out.push(b',');
            }
            match self.rule_keys.get(o.rule.index()) {
                Some(key) => out.extend_from_slice(key),
                None => {
                    string(out, &rule.name);
                    out.extend_from_slice(b":{\"status\":\"");
                }
            }
            out.extend_from_slice(o.status.code().as_bytes());
            out.push(b'"');
            details(out, rs, o);
            if rule.each.is_some() && !o.items.is_empty() {
                item_counts(out, o);
            }
            if let Some(clauses) = explained.and_then(|e| e.clauses.get(i)) {
                out.extend_from_slice(b",\"explanation\":");
                let _ = serde_json::to_writer(&mut *out, clauses);
            }
            if let Some(items) = explained.and_then(|e| e.items.get(i))
                && !o.items.is_empty()
            {
                item_statuses(out, rs, facts, o, items);
            }
            out.push(b'}');
        }
        out.push(b'}');
        if let Some(explained) = explained {
            out.extend_from_slice(b",\"definitions\":");
            let _ = serde_json::to_writer(&mut *out, &explained.definitions);
        }
        out.extend_from_slice(b"}\n");
    }

    fn jsonl_invalid(&self, out: &mut Vec<u8>, place: &RowPlace<'_>, errors: &[RowError<'_>]) {
        self.head(out, "invalid", place);
        out.extend_from_slice(b",\"errors\":[");
        for (i, e) in errors.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'{');
            match e.at {
                Some((line, column)) => {
                    let _ = write!(out, "\"line\":{line},\"column\":{column}");
                }
                None => out.extend_from_slice(b"\"line\":null,\"column\":null"),
            }
            out.extend_from_slice(b",\"field\":");
            opt_string(out, e.field);
            out.extend_from_slice(b",\"message\":");
            string(out, e.message);
            out.extend_from_slice(b",\"help\":");
            opt_string(out, e.help);
            out.push(b'}');
        }
        out.extend_from_slice(b"]}\n");
    }

    /// `{"schema_version":1,"kind":…,"row":…,"file":…,"line":…`
    fn head(&self, out: &mut Vec<u8>, kind: &str, place: &RowPlace<'_>) {
        let _ = write!(
            out,
            "{{\"schema_version\":{SCHEMA_VERSION},\"kind\":\"{kind}\",\"row\":{},\"file\":",
            place.row
        );
        self.file_json(out, place);
        out.extend_from_slice(b",\"line\":");
        if place.line > 0 {
            let _ = write!(out, "{}", place.line);
        } else {
            out.extend_from_slice(b"null");
        }
    }

    fn csv_organisation(&self, out: &mut Vec<u8>, place: &RowPlace<'_>, judged: &Judged<'_>) {
        let Judged {
            facts,
            outcomes,
            verdict,
            ..
        } = *judged;
        self.csv_place(out, place, facts.id.as_deref(), facts.name.as_deref());
        out.extend_from_slice(verdict.code().as_bytes());
        for o in outcomes {
            out.push(b',');
            out.extend_from_slice(o.status.code().as_bytes());
        }
        out.extend_from_slice(b",\n");
    }

    fn csv_invalid(
        &self,
        out: &mut Vec<u8>,
        plan: &Plan<'_>,
        place: &RowPlace<'_>,
        errors: &[RowError<'_>],
    ) {
        self.csv_place(out, place, None, None);
        out.extend_from_slice(b"invalid");
        for _ in plan.rules() {
            out.push(b',');
        }
        out.push(b',');
        let mut text = String::new();
        for (i, e) in errors.iter().enumerate() {
            if i > 0 {
                text.push_str("; ");
            }
            if let Some((line, column)) = e.at {
                text.push_str(&format!("{line}:{column}: "));
            }
            text.push_str(e.message);
        }
        csv_field(out, &text);
        out.push(b'\n');
    }

    /// `row,file,line,id,name,`
    fn csv_place(
        &self,
        out: &mut Vec<u8>,
        place: &RowPlace<'_>,
        id: Option<&str>,
        name: Option<&str>,
    ) {
        let _ = write!(out, "{},", place.row);
        self.file_csv(out, place);
        out.push(b',');
        if place.line > 0 {
            let _ = write!(out, "{}", place.line);
        }
        out.push(b',');
        csv_field(out, id.unwrap_or(""));
        out.push(b',');
        csv_field(out, name.unwrap_or(""));
        out.push(b',');
    }
}

/// A rule's or an item's deadline, days, period and missing facts, each
/// left out when it has nothing to say.
fn details(out: &mut Vec<u8>, rs: &Ruleset, o: &Outcome) {
    match o.relevant_deadline() {
        Deadline::On(m) => {
            out.extend_from_slice(b",\"deadline\":");
            string(out, &words::moment(m));
        }
        Deadline::NotYetSet => out.extend_from_slice(b",\"deadline\":\"not_yet_set\""),
        Deadline::Unknown => out.extend_from_slice(b",\"deadline\":\"unknown\""),
        Deadline::None => {}
    }
    if let Some(d) = o.days_left() {
        let _ = write!(out, ",\"days_left\":{d}");
    }
    if let Some(d) = o.days_overdue() {
        let _ = write!(out, ",\"days_overdue\":{d}");
    }
    if let Some(start) = o.period {
        let _ = write!(out, ",\"period_start\":\"{start}\"");
    }
    if !o.missing.is_empty() {
        out.extend_from_slice(b",\"missing\":[");
        for (j, f) in o.missing.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            if let Some(fact) = rs.get_fact(*f) {
                string(out, &fact.name);
            }
        }
        out.push(b']');
    }
}

/// `,"items":{"overdue":3,"met":37}`: a rule judged for each item or
/// period, its items counted by status (in [`Status::ALL`] order, the
/// statuses no item has left out).
fn item_counts(out: &mut Vec<u8>, o: &Outcome) {
    out.extend_from_slice(b",\"items\":{");
    let mut first = true;
    for (status, n) in Status::ALL.iter().zip(rollup::counts(&o.items)) {
        if n > 0 {
            if !first {
                out.push(b',');
            }
            first = false;
            let _ = write!(out, "\"{}\":{n}", status.code());
        }
    }
    out.push(b'}');
}

/// `,"item_statuses":[…]` (with `--explain`): each item's id (a period's
/// `period_start`), position in its list, status, deadline, days, missing
/// facts and explanation.
fn item_statuses(
    out: &mut Vec<u8>,
    rs: &Ruleset,
    facts: &Facts,
    o: &Outcome,
    explained: &[Vec<ClauseView>],
) {
    let list = match rs.get_rule(o.rule).and_then(|r| r.each.as_ref()) {
        Some(Each::Item { kind, .. }) => facts.items_in(rs, *kind),
        _ => None,
    };
    out.extend_from_slice(b",\"item_statuses\":[");
    for (k, item) in o.items.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.push(b'{');
        if let Some(list) = list {
            let at = item.item.and_then(|i| usize::try_from(i).ok());
            let given = at.and_then(|i| list.get(i));
            out.extend_from_slice(b"\"id\":");
            opt_string(out, given.and_then(|g| g.id.as_deref()));
            out.extend_from_slice(b",\"label\":");
            opt_string(out, given.and_then(|g| g.label.as_deref()));
            match at {
                Some(i) => {
                    let _ = write!(out, ",\"position\":{},", i + 1);
                }
                None => out.push(b','),
            }
        }
        out.extend_from_slice(b"\"status\":\"");
        out.extend_from_slice(item.status.code().as_bytes());
        out.push(b'"');
        details(out, rs, item);
        if let Some(clauses) = explained.get(k) {
            out.extend_from_slice(b",\"explanation\":");
            let _ = serde_json::to_writer(&mut *out, clauses);
        }
        out.push(b'}');
    }
    out.push(b']');
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (or
/// starts with a character a spreadsheet would take for a formula).
fn csv_field(out: &mut Vec<u8>, text: &str) {
    let formula = text.starts_with(['=', '+', '-', '@']);
    if !formula && !text.contains([',', '"', '\n', '\r']) {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    out.push(b'"');
    if formula {
        // A leading apostrophe keeps a spreadsheet from running it.
        out.push(b'\'');
    }
    for b in text.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

fn string(out: &mut Vec<u8>, s: &str) {
    let _ = serde_json::to_writer(&mut *out, s);
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}
