//! Made-up suppliers for the nine-rule workload (`rules.obl`): seed `i`
//! always gives the same supplier, as a typed [`Org`], as a YAML facts file,
//! or as one JSON Lines line of the same shape.
//!
//! Include it with `#[path = "nine-rules/generate.rs"] mod generate;` from a
//! bench, or `#[path = "../benches/nine-rules/generate.rs"]` from a test. It
//! needs only chrono: the random numbers come from a built-in splitmix64.

// An includer may use only some of this.
#![allow(dead_code)]

use std::fmt::Write as _;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// A percentage in tenths of a point: 573 is 57.3%.
pub type Tenths = u16;

/// The contract's service tier (`tier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Standard,
    Enhanced,
    Critical,
}

/// The legal basis for transfers outside the UK (`transfer_basis`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferBasis {
    None,
    StandardClauses,
    Adequacy,
}

/// One supplier's facts, a field per fact of `rules.obl`. `None`: left out
/// of the facts file, so unknown. For an optional fact, `Some(None)`: given
/// as `null`, known not to have happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub name: String,
    pub id: String,
    pub under_contract: Option<bool>,
    pub contract_start: Option<NaiveDate>,
    pub tier: Option<Tier>,
    pub staff: Option<u32>,
    pub staff_trained: Option<Tenths>,
    pub offshore_share: Option<Tenths>,
    pub transfer_basis: Option<TransferBasis>,
    pub encrypted_at_rest: Option<bool>,
    pub dpo_appointed: Option<Option<NaiveDate>>,
    pub register_published: Option<Option<NaiveDate>>,
    pub breach_detected: Option<Option<NaiveDateTime>>,
    pub breach_reported: Option<Option<NaiveDateTime>>,
    pub oldest_request: Option<Option<NaiveDate>>,
    /// A month, as its first day.
    pub last_report: Option<Option<NaiveDate>>,
    pub audit_done: Option<Option<NaiveDate>>,
}

/// The chance, in percent, that any one fact is left out.
const ABSENT: u64 = 6;

/// splitmix64 (Steele, Lea and Flood): tiny, fast, and good enough here.
pub struct Rng(u64);

impl Rng {
    /// A generator whose sequence depends only on `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (the bias is below 2^-32 for the `n` used here).
    pub fn below(&mut self, n: u64) -> u64 {
        let wide = u128::from(self.next_u64()) * u128::from(n);
        u64::try_from(wide >> 64).unwrap_or(0)
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A day in `from..=to`.
    fn day(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = u64::try_from((to - from).num_days()).unwrap_or(0);
        from.checked_add_days(Days::new(self.below(span + 1)))
            .unwrap_or(from)
    }

    /// A time of day, to the minute.
    fn time(&mut self) -> NaiveTime {
        let minute = u32::try_from(self.below(24 * 60)).unwrap_or(0);
        NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap_or(NaiveTime::MIN)
    }

    /// One of `items` (`fallback` if there are none).
    fn pick<T: Copy>(&mut self, items: &[T], fallback: T) -> T {
        let n = u64::try_from(items.len()).unwrap_or(0);
        usize::try_from(self.below(n))
            .ok()
            .and_then(|i| items.get(i).copied())
            .unwrap_or(fallback)
    }

    /// `value`, or left out `ABSENT` times in a hundred.
    fn given<T>(&mut self, value: T) -> Option<T> {
        (!self.chance(ABSENT)).then_some(value)
    }

    /// `Some(value)`, or `None` (null) `percent` times in a hundred.
    fn or_null<T>(&mut self, percent: u64, value: T) -> Option<T> {
        (!self.chance(percent)).then_some(value)
    }
}

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => NaiveDate::MIN,
    }
}

const FIRST: [&str; 16] = [
    "Harbour",
    "Northgate",
    "Kestrel",
    "Bramble",
    "Quayside",
    "Larch",
    "Meridian",
    "Foxglove",
    "Granite",
    "Heron",
    "Juniper",
    "Marlow",
    "Oakridge",
    "Pennant",
    "Saltmarsh",
    "Thistle",
];
const SECOND: [&str; 8] = [
    "Data",
    "Ledger",
    "Cloud",
    "Systems",
    "Analytics",
    "Records",
    "Hosting",
    "Payroll",
];

impl Org {
    /// The supplier made from `seed`: the same seed, the same supplier.
    pub fn generate(seed: u64) -> Org {
        // Any constant will do: this one is "nine-rul" in ASCII.
        let mut r = Rng::new(seed ^ 0x6E69_6E65_2D72_756C);
        let name = format!(
            "{} {} Ltd",
            r.pick(&FIRST, "Harbour"),
            r.pick(&SECOND, "Data")
        );
        let under_contract = r.chance(93);
        let contract_start = r.day(ymd(2021, 7, 1), ymd(2024, 6, 30));
        let tier = match r.below(20) {
            0..9 => Tier::Standard,
            9..16 => Tier::Enhanced,
            _ => Tier::Critical,
        };
        let staff = match r.below(4) {
            0 => r.between(1, 9),
            1 => r.between(10, 49),
            2 => r.between(50, 249),
            _ => r.between(250, 3000),
        };
        // Most near the 90% and 95% thresholds the rules test.
        let staff_trained = match r.below(10) {
            0..3 => r.between(850, 949),
            3..6 => r.between(950, 1000),
            _ => r.between(400, 1000),
        };
        let offshore_share = if r.chance(50) { 0 } else { r.between(1, 600) };
        let transfer_basis = match (offshore_share, r.below(20)) {
            (0, 0..14) | (1.., 0..5) => TransferBasis::None,
            (0, 14..18) | (1.., 5..15) => TransferBasis::StandardClauses,
            _ => TransferBasis::Adequacy,
        };
        let encrypted_at_rest = r.chance(80);
        let dpo_appointed = r.day(ymd(2022, 6, 1), ymd(2024, 9, 30));
        let dpo_appointed = r.or_null(25, dpo_appointed);
        let register_published = r.day(ymd(2023, 1, 1), ymd(2024, 6, 30));
        let register_published = r.or_null(20, register_published);
        let detected = r.day(ymd(2022, 11, 1), ymd(2024, 9, 30)).and_time(r.time());
        let breach_detected = r.or_null(45, detected);
        // Reported within six days of detection, a good share at exactly 72 hours.
        let delay = if r.chance(15) {
            TimeDelta::days(3)
        } else {
            TimeDelta::minutes(i64::try_from(r.below(6 * 24 * 60)).unwrap_or(0))
        };
        let breach_reported = breach_detected
            .and_then(|t| t.checked_add_signed(delay))
            .filter(|_| !r.chance(12));
        let oldest_request = r.day(ymd(2022, 10, 1), ymd(2024, 9, 30));
        let oldest_request = r.or_null(45, oldest_request);
        let last_report = r.day(ymd(2022, 12, 1), ymd(2024, 9, 30)).with_day(1);
        let last_report = r.or_null(15, last_report).flatten();
        let audit_done = r.day(ymd(2022, 1, 1), ymd(2024, 12, 31));
        let audit_done = r.or_null(30, audit_done);
        Org {
            name,
            id: format!("NR{seed:06}"),
            under_contract: r.given(under_contract),
            contract_start: r.given(contract_start),
            tier: r.given(tier),
            staff: r.given(u32::try_from(staff).unwrap_or(0)),
            staff_trained: r.given(Tenths::try_from(staff_trained).unwrap_or(0)),
            offshore_share: r.given(Tenths::try_from(offshore_share).unwrap_or(0)),
            transfer_basis: r.given(transfer_basis),
            encrypted_at_rest: r.given(encrypted_at_rest),
            dpo_appointed: r.given(dpo_appointed),
            register_published: r.given(register_published),
            breach_detected: r.given(breach_detected),
            breach_reported: r.given(breach_reported),
            oldest_request: r.given(oldest_request),
            last_report: r.given(last_report),
            audit_done: r.given(audit_done),
        }
    }

    /// The facts in schema order: name, then the value as written (`None`:
    /// left out). `quote` puts quotes around dates and choices, for JSON.
    fn written(&self, quote: bool) -> [(&'static str, Option<String>); 15] {
        let q = |s: String| if quote { format!("\"{s}\"") } else { s };
        let date = |d: NaiveDate| q(d.format("%Y-%m-%d").to_string());
        let time = |t: NaiveDateTime| q(t.format("%Y-%m-%dT%H:%M").to_string());
        let month = |d: NaiveDate| q(d.format("%Y-%m").to_string());
        let null = |v: Option<String>| v.unwrap_or_else(|| "null".into());
        let tier = |t: Tier| {
            q(match t {
                Tier::Standard => "standard",
                Tier::Enhanced => "enhanced",
                Tier::Critical => "critical",
            }
            .into())
        };
        let basis = |b: TransferBasis| {
            q(match b {
                TransferBasis::None => "none",
                TransferBasis::StandardClauses => "standard_clauses",
                TransferBasis::Adequacy => "adequacy",
            }
            .into())
        };
        [
            ("under_contract", self.under_contract.map(|b| b.to_string())),
            ("contract_start", self.contract_start.map(date)),
            ("tier", self.tier.map(tier)),
            ("staff", self.staff.map(|n| n.to_string())),
            ("staff_trained", self.staff_trained.map(percent)),
            ("offshore_share", self.offshore_share.map(percent)),
            ("transfer_basis", self.transfer_basis.map(basis)),
            (
                "encrypted_at_rest",
                self.encrypted_at_rest.map(|b| b.to_string()),
            ),
            (
                "dpo_appointed",
                self.dpo_appointed.map(|d| null(d.map(date))),
            ),
            (
                "register_published",
                self.register_published.map(|d| null(d.map(date))),
            ),
            (
                "breach_detected",
                self.breach_detected.map(|t| null(t.map(time))),
            ),
            (
                "breach_reported",
                self.breach_reported.map(|t| null(t.map(time))),
            ),
            (
                "oldest_request",
                self.oldest_request.map(|d| null(d.map(date))),
            ),
            ("last_report", self.last_report.map(|m| null(m.map(month)))),
            ("audit_done", self.audit_done.map(|d| null(d.map(date)))),
        ]
    }

    /// The supplier as a facts file, for `obligo check --rules benches/nine-rules`.
    pub fn to_yaml(&self) -> String {
        let mut out = String::with_capacity(640);
        let _ = writeln!(out, "organisation:");
        let _ = writeln!(out, "  name: {}", self.name);
        let _ = writeln!(out, "  id: {}", self.id);
        let _ = writeln!(out, "facts:");
        let mut absent = Vec::new();
        for (name, value) in self.written(false) {
            match value {
                Some(v) => {
                    let _ = writeln!(out, "  {name}: {v}");
                }
                None => absent.push(name),
            }
        }
        if !absent.is_empty() {
            let _ = writeln!(out, "  # not given (unknown): {}", absent.join(", "));
        }
        out
    }

    /// The supplier as one JSON Lines line (without the newline), shaped as
    /// the facts file: `{"organisation": {"name", "id"}, "facts": {…}}`.
    pub fn to_json_line(&self) -> String {
        let mut out = String::with_capacity(640);
        // Names and ids are made of letters, digits and spaces: no escaping.
        let _ = write!(
            out,
            "{{\"organisation\":{{\"name\":\"{}\",\"id\":\"{}\"}},\"facts\":{{",
            self.name, self.id
        );
        let mut first = true;
        for (name, value) in self.written(true) {
            if let Some(v) = value {
                let comma = if first { "" } else { "," };
                let _ = write!(out, "{comma}\"{name}\":{v}");
                first = false;
            }
        }
        out.push_str("}}");
        out
    }
}

impl Org {
    /// The header row of [`Org::to_csv_row`]: `name`, `id`, then every fact.
    pub fn csv_header() -> String {
        let blank = Org::generate(0);
        let mut out = String::from("name,id");
        for (name, _) in blank.written(false) {
            out.push(',');
            out.push_str(name);
        }
        out
    }

    /// The supplier as one CSV row under [`Org::csv_header`]: a fact left
    /// out is an empty cell, an optional fact known not to have happened
    /// is `null`.
    pub fn to_csv_row(&self) -> String {
        // Names and ids are made of letters, digits and spaces: no quoting.
        let mut out = format!("{},{}", self.name, self.id);
        for (_, value) in self.written(false) {
            out.push(',');
            out.push_str(value.as_deref().unwrap_or(""));
        }
        out
    }
}

/// A percentage as a facts file writes it: `57.3`, or `90` for 90.0.
fn percent(t: Tenths) -> String {
    if t.is_multiple_of(10) {
        (t / 10).to_string()
    } else {
        format!("{}.{}", t / 10, t % 10)
    }
}
