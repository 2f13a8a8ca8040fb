//! The hand-written program that `obligo batch` is measured against: what a
//! competent Rust programmer would write in an afternoon for these nine
//! rules. It reads the JSON Lines file, parses each line with serde_json
//! into a typed struct (absent facts are `None`), judges the rules with
//! `handwritten::judge`, and writes one JSON line per organisation (id,
//! name, verdict, each rule's status) through a `BufWriter`.
//!
//! Like `obligo batch`, it uses every core (rayon) and keeps the input's
//! order: it reads a chunk of lines, judges the chunk in parallel, and
//! writes the chunk's lines in order, so memory stays a few chunks' worth
//! whatever the file's size.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use rayon::prelude::*;
use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use crate::generate::{Org, Tenths, Tier, TransferBasis};
use crate::handwritten::{RULES, Status, judge};

/// Lines read, judged in parallel, and written at a time.
const CHUNK: usize = 8192;

/// Which of [`RULES`] count toward the verdict: the obligations and the
/// prohibition issued `by contract`, the one binding authority of
/// `rules.obl` (obligo's `is_binding_duty`).
const BINDING: [bool; 9] = [true, true, false, true, false, true, false, false, false];

/// One input line.
#[derive(Deserialize)]
struct Line {
    organisation: Organisation,
    facts: Facts,
}

#[derive(Deserialize)]
struct Organisation {
    name: String,
    id: String,
}

/// The facts of `rules.obl`. A fact left out is `None`; for an optional
/// fact, `Some(None)` is an explicit `null` (known not to have happened).
#[derive(Deserialize)]
struct Facts {
    under_contract: Option<bool>,
    contract_start: Option<Day>,
    tier: Option<TierIn>,
    staff: Option<u32>,
    staff_trained: Option<Percent>,
    offshore_share: Option<Percent>,
    transfer_basis: Option<BasisIn>,
    encrypted_at_rest: Option<bool>,
    #[serde(default, deserialize_with = "given")]
    dpo_appointed: Option<Option<Day>>,
    #[serde(default, deserialize_with = "given")]
    register_published: Option<Option<Day>>,
    #[serde(default, deserialize_with = "given")]
    breach_detected: Option<Option<Minute>>,
    #[serde(default, deserialize_with = "given")]
    breach_reported: Option<Option<Minute>>,
    #[serde(default, deserialize_with = "given")]
    oldest_request: Option<Option<Day>>,
    #[serde(default, deserialize_with = "given")]
    last_report: Option<Option<Month>>,
    #[serde(default, deserialize_with = "given")]
    audit_done: Option<Option<Day>>,
}

/// A field that is present, `null` or not: serde gives `None` for a
/// missing field (`#[serde(default)]`) and this gives `Some` otherwise.
fn given<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum TierIn {
    Standard,
    Enhanced,
    Critical,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum BasisIn {
    None,
    StandardClauses,
    Adequacy,
}

/// `2024-06-30`.
struct Day(NaiveDate);
/// `2024-06-30T14:05`.
struct Minute(NaiveDateTime);
/// `2024-06`, as the month's first day.
struct Month(NaiveDate);
/// `57.3` (percent), in tenths of a point.
struct Percent(Tenths);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Dates have nothing to escape, so the text is borrowed from the line.
        let s = <&str>::deserialize(d)?;
        s.parse().map(Day).map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Minute {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <&str>::deserialize(d)?;
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
            .map(Minute)
            .map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <&str>::deserialize(d)?;
        let (y, m) = s
            .split_once('-')
            .ok_or_else(|| de::Error::custom("a month is YYYY-MM"))?;
        let (y, m) = (
            y.parse().map_err(de::Error::custom)?,
            m.parse().map_err(de::Error::custom)?,
        );
        NaiveDate::from_ymd_opt(y, m, 1)
            .map(Month)
            .ok_or_else(|| de::Error::custom("no such month"))
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p = f64::deserialize(d)?;
        if !(0.0..=100.0).contains(&p) {
            return Err(de::Error::custom("a percentage is from 0 to 100"));
        }
        // In range, so the cast neither truncates nor wraps.
        Ok(Percent((p * 10.0).round() as Tenths))
    }
}

impl Line {
    fn into_org(self) -> Org {
        let f = self.facts;
        let day = |d: Option<Option<Day>>| d.map(|d| d.map(|Day(d)| d));
        Org {
            name: self.organisation.name,
            id: self.organisation.id,
            under_contract: f.under_contract,
            contract_start: f.contract_start.map(|Day(d)| d),
            tier: f.tier.map(|t| match t {
                TierIn::Standard => Tier::Standard,
                TierIn::Enhanced => Tier::Enhanced,
                TierIn::Critical => Tier::Critical,
            }),
            staff: f.staff,
            staff_trained: f.staff_trained.map(|Percent(p)| p),
            offshore_share: f.offshore_share.map(|Percent(p)| p),
            transfer_basis: f.transfer_basis.map(|b| match b {
                BasisIn::None => TransferBasis::None,
                BasisIn::StandardClauses => TransferBasis::StandardClauses,
                BasisIn::Adequacy => TransferBasis::Adequacy,
            }),
            encrypted_at_rest: f.encrypted_at_rest,
            dpo_appointed: day(f.dpo_appointed),
            register_published: day(f.register_published),
            breach_detected: f.breach_detected.map(|t| t.map(|Minute(t)| t)),
            breach_reported: f.breach_reported.map(|t| t.map(|Minute(t)| t)),
            oldest_request: day(f.oldest_request),
            last_report: f.last_report.map(|m| m.map(|Month(m)| m)),
            audit_done: day(f.audit_done),
        }
    }
}

/// One output line.
#[derive(Serialize)]
struct Judged<'a> {
    id: &'a str,
    name: &'a str,
    verdict: &'static str,
    rules: Statuses,
}

/// `{"appoint-dpo": "met", …}`, in [`RULES`] order.
struct Statuses([Status; 9]);

impl Serialize for Statuses {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(RULES.iter().zip(self.0.iter().map(|st| st.code())))
    }
}

/// obligo's verdict: breach if a binding duty is overdue, else undetermined
/// if one is unknown, else compliant.
fn verdict(statuses: &[Status; 9]) -> &'static str {
    let binding = || statuses.iter().zip(BINDING).filter(|(_, b)| *b);
    if binding().any(|(s, _)| *s == Status::Overdue) {
        "breach"
    } else if binding().any(|(s, _)| *s == Status::Unknown) {
        "undetermined"
    } else {
        "compliant"
    }
}

/// One input line to its output line (with the newline).
fn judge_line(line: &str, as_of: NaiveDate) -> serde_json::Result<Vec<u8>> {
    let org = serde_json::from_str::<Line>(line)?.into_org();
    let statuses = judge(&org, as_of);
    let mut out = Vec::with_capacity(512);
    serde_json::to_writer(
        &mut out,
        &Judged {
            id: &org.id,
            name: &org.name,
            verdict: verdict(&statuses),
            rules: Statuses(statuses),
        },
    )?;
    out.push(b'\n');
    Ok(out)
}

/// Judges every line of `input` on `as_of` (known on the same day) and
/// writes the results to `output`; the number of organisations judged.
pub fn run(input: &Path, output: &Path, as_of: NaiveDate) -> io::Result<u64> {
    let mut lines = BufReader::with_capacity(1 << 16, File::open(input)?).lines();
    let mut out = BufWriter::with_capacity(1 << 16, File::create(output)?);
    let mut chunk: Vec<String> = Vec::with_capacity(CHUNK);
    let mut rows: u64 = 0;
    loop {
        chunk.clear();
        for line in lines.by_ref() {
            let line = line?;
            if !line.trim().is_empty() {
                chunk.push(line);
            }
            if chunk.len() == CHUNK {
                break;
            }
        }
        if chunk.is_empty() {
            break;
        }
        let judged: Vec<_> = chunk
            .par_iter()
            .map(|line| judge_line(line, as_of))
            .collect();
        for result in judged {
            rows += 1;
            let bytes =
                result.map_err(|e| io::Error::other(format!("organisation {rows}: {e}")))?;
            out.write_all(&bytes)?;
        }
    }
    out.flush()?;
    Ok(rows)
}
