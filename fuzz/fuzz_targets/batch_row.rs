//! Any bytes as rows of a batch input for the bundled ruleset. The first
//! byte chooses the format: even, JSON Lines (each line of the rest, as
//! `obligo batch` cuts them); odd, CSV (the rest cut into records, the
//! first the header). Each row is read (`jsonl::read`, or
//! `csv::Header::read` then `csv::read`); a row that reads is evaluated and
//! written as the batch's JSON line and CSV record, with explanations; one
//! that does not has its problems shown and written as an invalid record.
//!
//! Besides never panicking, what the batch writes by hand must hold: each
//! JSON line parses, with the organisation's id and name as read, and each
//! CSV record has the header's columns, with the id and name as read.
//! A seed (`jsonl-items.jsonl`) gives rows with items, good and bad.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use obligo::api::{Facts, Plan};
use obligo::facts::csv::{Header, Records};
use obligo::facts::row::{Fields, RowProblem};
use obligo::facts::{csv, jsonl};
use obligo::report::batch::{self, Explained, Judged, Output, RowError, RowPlace};
use obligo::source::{FileId, SourceFile, SourceMap};

mod common;

/// At most this many rows of one input are read (a longer input finds
/// nothing a short one would not, and only slows the run).
const ROWS: usize = 16;

fn fields() -> &'static Fields {
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    FIELDS.get_or_init(|| Fields::new(common::bundled()))
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let rs = common::bundled();
    let plan = Plan::new(rs, common::dates(common::as_of()));
    if choice & 1 == 0 {
        let file = "fuzz.jsonl";
        let lines = rest.split(|&b| b == b'\n').enumerate();
        for (i, line) in lines.take(ROWS) {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let line = if i == 0 {
                line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
            } else {
                line
            };
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let Ok(text) = std::str::from_utf8(line) else {
                continue;
            };
            let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let read = jsonl::read(rs, fields(), file, n, text, FileId(0));
            judge(&plan, file, n, text, read);
        }
    } else {
        let file = "fuzz.csv";
        let mut records = Records::new(rest);
        let header = match records.next() {
            None => return,
            Some(Err(e)) => {
                std::hint::black_box(e.diagnostic(file));
                return;
            }
            Some(Ok(header)) => header,
        };
        let header = match Header::read(rs, fields(), &header.text, FileId(0)) {
            Ok(h) => h,
            Err(problems) => {
                common::render_problems(&problems, &part(file, header.line, &header.text));
                return;
            }
        };
        std::hint::black_box(header.fields().len());
        for record in records.take(ROWS) {
            match record {
                Err(e) => {
                    std::hint::black_box(e.diagnostic(file));
                }
                Ok(row) => {
                    let read = csv::read(rs, &header, file, row.line, &row.text, FileId(0));
                    judge(&plan, file, row.line, &row.text, read);
                }
            }
        }
    }
});

/// The text of one row, as its problems point into it.
fn part(file: &str, line: u32, text: &str) -> SourceMap {
    let mut sources = SourceMap::default();
    sources.add_file(SourceFile::part(file, text, line as usize));
    sources
}

/// Evaluates and writes a row that reads; shows and writes one that does not.
fn judge(plan: &Plan<'_>, file: &str, line: u32, text: &str, read: Result<Facts, Vec<RowProblem>>) {
    let place = RowPlace {
        row: 1,
        input: 0,
        file,
        line,
    };
    let jsonl = batch::Records::new(Output::Jsonl, plan, [file]);
    let csvw = batch::Records::new(Output::Csv, plan, [file]);
    let mut header = Vec::new();
    batch::csv_header(&mut header, plan);
    let columns = fields_of(&header).len();
    match read {
        Ok(facts) => {
            let outcomes = plan.evaluate(&facts);
            let verdict = plan.verdict(&outcomes);
            let explained = Explained::of(plan, &facts, &outcomes);
            for explained in [None, Some(&explained)] {
                let judged = Judged {
                    facts: &facts,
                    outcomes: &outcomes,
                    verdict,
                    explained,
                };
                let mut out = Vec::new();
                jsonl.organisation(&mut out, plan, &place, &judged);
                check_json(&out, Some(&facts));
            }
            let judged = Judged {
                facts: &facts,
                outcomes: &outcomes,
                verdict,
                explained: None,
            };
            let mut out = Vec::new();
            csvw.organisation(&mut out, plan, &place, &judged);
            let cells = fields_of(&out);
            assert_eq!(
                cells.len(),
                columns,
                "a CSV record of {} columns under a header of {columns}: {:?}",
                cells.len(),
                String::from_utf8_lossy(&out)
            );
            for (cell, given) in [(3, facts.id.as_deref()), (4, facts.name.as_deref())] {
                let want = csv_shown(given.unwrap_or(""));
                assert_eq!(
                    cells.get(cell).map(String::as_str),
                    Some(want.as_str()),
                    "column {cell} of the CSV record {:?}",
                    String::from_utf8_lossy(&out)
                );
            }
        }
        Err(problems) => {
            let sources = part(file, line, text);
            let diagnostics: Vec<_> = problems.iter().map(|p| p.diagnostic.clone()).collect();
            common::render_problems(&diagnostics, &sources);
            let errors: Vec<RowError<'_>> =
                problems.iter().map(|p| RowError::of(p, &sources)).collect();
            let mut out = Vec::new();
            jsonl.invalid(&mut out, plan, &place, &errors);
            check_json(&out, None);
            let mut out = Vec::new();
            csvw.invalid(&mut out, plan, &place, &errors);
            let cells = fields_of(&out);
            assert_eq!(
                cells.len(),
                columns,
                "an invalid CSV record of {} columns under a header of {columns}: {:?}",
                cells.len(),
                String::from_utf8_lossy(&out)
            );
        }
    }
}

/// One JSON line, ending in its line break, with the organisation's id and
/// name as read (when it is an organisation's).
fn check_json(out: &[u8], facts: Option<&Facts>) {
    let (Some(body), true) = (
        out.strip_suffix(b"\n"),
        out.iter().filter(|&&b| b == b'\n').count() == 1,
    ) else {
        panic!("not one line: {:?}", String::from_utf8_lossy(out));
    };
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => panic!(
            "the batch wrote a line that is not JSON ({e}): {:?}",
            String::from_utf8_lossy(out)
        ),
    };
    if let Some(facts) = facts {
        for (key, given) in [("id", &facts.id), ("name", &facts.name)] {
            let written = value.get(key).and_then(|v| v.as_str());
            assert_eq!(written, given.as_deref(), "`{key}` in {value}");
        }
    }
}

/// How a cell's text reads back from the batch's CSV: as written, but for a
/// text a spreadsheet would take for a formula, which gets an apostrophe.
fn csv_shown(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The fields of the one CSV record in `out` (which must end in its line
/// break and hold no other record).
fn fields_of(out: &[u8]) -> Vec<String> {
    let mut reader = csv_core::Reader::new();
    let mut input = out;
    let mut fields = Vec::new();
    let mut field = Vec::new();
    let mut buf = [0u8; 1024];
    let mut records = 0;
    loop {
        // An empty input tells the reader the text has ended.
        let (result, read, written) = reader.read_field(input, &mut buf);
        input = input.get(read..).unwrap_or_default();
        field.extend_from_slice(buf.get(..written).unwrap_or_default());
        match result {
            csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::OutputFull => {}
            csv_core::ReadFieldResult::Field { record_end } => {
                fields.push(String::from_utf8_lossy(&field).into_owned());
                field.clear();
                if record_end {
                    records += 1;
                }
            }
            csv_core::ReadFieldResult::End => break,
        }
    }
    assert_eq!(
        records,
        1,
        "not one CSV record: {:?}",
        String::from_utf8_lossy(out)
    );
    fields
}
