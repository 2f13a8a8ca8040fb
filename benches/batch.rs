//! The whole `obligo batch` process against a hand-written Rust program of
//! the same nine rules, over the same JSON Lines file, in the same run.
//!
//! It generates N organisations (`benches/nine-rules/generate.rs`) into a
//! JSONL file in a temporary folder, then times three programs, each as its
//! own process reading that file and writing its output there:
//!
//! - the hand-written program (`batch/program.rs`: serde_json into a typed
//!   struct, `handwritten::judge`, rayon over every core, output in order),
//!   which is this bench binary run again with `--handwritten`;
//! - `obligo batch FILE --rules benches/nine-rules/rules.obl --as-of
//!   2024-06-30 --known-on 2024-06-30 --output OUT --summary SUMMARY`;
//! - the same with `--explain`.
//!
//! Each program runs 3 times, in turn; the table shows the best wall time,
//! the CPU time of that run, and the highest peak RSS. The peak RSS is
//! exact: each run is started by a fresh "meter" process (this binary with
//! `--meter`) whose only child is the program, and the meter reads
//! `getrusage(RUSAGE_CHILDREN)` after waiting for it. (Linux counts in a
//! child's peak the pages it had before `exec`, its parent's, so no figure
//! is below the meter's own couple of MiB, which the table states.) Then it
//! checks that obligo wrote one line per organisation and that line k's
//! id, name, verdict and nine statuses are those of the hand-written
//! program's line k, and exits non-zero if not. Without
//! `obligo batch` (a build before the subcommand), it says so and times
//! the hand-written program alone. `OBLIGO_BATCH_EXE=PATH` times another
//! build of obligo instead of this one's; `OBLIGO_BATCH_BASELINE=PATH`
//! times another build as well, in turn with this one's in the same run
//! (and checks it too), such as an earlier commit's.
//!
//! Run it: `cargo bench --bench batch` (1,000,000 organisations, a few
//! minutes on 2 cores), or quickly:
//! `OBLIGO_BATCH_ROWS=20000 cargo bench --bench batch`. Run outside
//! `cargo bench` (`cargo test --benches`), it checks 1,000 rows once. The
//! temporary folder (`TMPDIR`, else /tmp) holds the input, 420 MB at
//! 1,000,000 rows, and each program's output.

#[path = "nine-rules/generate.rs"]
mod generate;
#[path = "nine-rules/handwritten.rs"]
mod handwritten;
#[path = "batch/program.rs"]
mod program;

use std::error::Error;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use nix::sys::resource::{Usage, UsageWho, getrusage};
use nix::sys::time::TimeValLike;
use rayon::prelude::*;
use serde_json::Value;

use generate::Org;
use handwritten::RULES;

type Fallible<T> = Result<T, Box<dyn Error>>;

/// The day judged, and the day the rules are known on.
const AS_OF: &str = "2024-06-30";
const RULES_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/nine-rules/rules.obl");
/// The obligo this build made; `OBLIGO_BATCH_EXE` names another to time.
const OBLIGO: &str = env!("CARGO_BIN_EXE_obligo");

fn obligo() -> PathBuf {
    std::env::var_os("OBLIGO_BATCH_EXE").map_or_else(|| OBLIGO.into(), PathBuf::from)
}

/// The targets.
const MAX_RATIO: f64 = 2.0;
const MAX_US_PER_ORG: f64 = 5.0;
const MAX_RSS_MIB: f64 = 64.0;
const MAX_EXPLAIN_US_PER_ORG: f64 = 40.0;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        Some((role, rest)) if role == "--meter" => meter(rest),
        Some((role, rest)) if role == "--handwritten" => handwritten_program(rest),
        _ => drive(args.iter().any(|a| a == "--bench")),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("batch bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--handwritten INPUT OUTPUT AS_OF`: the hand-written program.
fn handwritten_program(args: &[String]) -> Fallible<ExitCode> {
    let [input, output, as_of] = args else {
        return Err("usage: --handwritten INPUT OUTPUT AS_OF".into());
    };
    let as_of = NaiveDate::parse_from_str(as_of, "%Y-%m-%d")?;
    program::run(Path::new(input), Path::new(output), as_of)?;
    Ok(ExitCode::SUCCESS)
}

/// `--meter PROGRAM ARGS…`: runs the program as this process's only child
/// and prints `wall_ns child_maxrss_kib own_vmhwm_kib child_cpu_us code`.
/// The program's standard output goes to standard error, keeping this
/// one's for the measurement.
fn meter(command: &[String]) -> Fallible<ExitCode> {
    let (program, args) = command.split_first().ok_or("--meter needs a program")?;
    let to_stderr = Stdio::from(io::stderr().as_fd().try_clone_to_owned()?);
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(to_stderr)
        .status()?;
    let wall = start.elapsed();
    let child = getrusage(UsageWho::RUSAGE_CHILDREN)?;
    // Not `getrusage(RUSAGE_SELF)`: that counts the pages this process
    // started with, its parent's. The child starts from these.
    let own = own_peak_kib()?;
    println!(
        "{} {} {} {} {}",
        wall.as_nanos(),
        child.max_rss(),
        own,
        cpu_us(&child),
        status.code().unwrap_or(-1)
    );
    Ok(ExitCode::SUCCESS)
}

/// This process's own peak RSS (VmHWM), KiB.
fn own_peak_kib() -> Fallible<i64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().strip_suffix("kB"))
        .ok_or("no VmHWM in /proc/self/status")?;
    Ok(kib.trim().parse()?)
}

fn cpu_us(u: &Usage) -> i64 {
    u.user_time().num_microseconds() + u.system_time().num_microseconds()
}

/// One run of one program, as its meter saw it.
#[derive(Clone, Copy)]
struct Run {
    wall: Duration,
    cpu: Duration,
    /// Peak RSS, KiB (Linux's unit for `ru_maxrss`).
    rss_kib: u64,
    meter_rss_kib: u64,
    code: i32,
}

/// Runs `program args` under a fresh meter.
fn measure(program: &Path, args: &[String]) -> Fallible<Run> {
    let out = Command::new(std::env::current_exe()?)
        .arg("--meter")
        .arg(program)
        .args(args)
        .stderr(Stdio::inherit())
        .output()?;
    let text = String::from_utf8(out.stdout)?;
    let fields: Vec<i64> = text
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let &[wall_ns, rss, meter_rss, cpu_us, code] = fields.as_slice() else {
        return Err(format!("the meter said {text:?}").into());
    };
    let unsigned = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(Run {
        wall: Duration::from_nanos(unsigned(wall_ns)),
        cpu: Duration::from_micros(unsigned(cpu_us)),
        rss_kib: unsigned(rss),
        meter_rss_kib: unsigned(meter_rss),
        code: i32::try_from(code).unwrap_or(-1),
    })
}

/// Writes organisations `0..rows` as JSON Lines; the bytes written.
fn generate(path: &Path, rows: u64) -> Fallible<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut bytes = 0;
    let mut start = 0;
    while start < rows {
        let end = rows.min(start + 16_384);
        let lines: Vec<String> = (start..end)
            .into_par_iter()
            .map(|seed| Org::generate(seed).to_json_line())
            .collect();
        for line in lines {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
            bytes += line.len() as u64 + 1;
        }
        start = end;
    }
    out.flush()?;
    Ok(bytes)
}

/// One program to time: its name in the table, command line and output.
struct Program {
    label: &'static str,
    exe: PathBuf,
    args: Vec<String>,
    output: PathBuf,
    /// Exit codes that mean it ran: obligo's are its verdicts (0, 1, 3).
    ok_codes: &'static [i32],
    best: Option<Run>,
    max_rss_kib: u64,
}

impl Program {
    fn record(&mut self, run: Run) {
        if self.best.is_none_or(|b| run.wall < b.wall) {
            self.best = Some(run);
        }
        self.max_rss_kib = self.max_rss_kib.max(run.rss_kib);
    }

    fn per_org_us(&self, rows: u64) -> Option<f64> {
        self.best
            .map(|b| b.wall.as_secs_f64() * 1e6 / rows.max(1) as f64)
    }

    fn rss_mib(&self) -> f64 {
        self.max_rss_kib as f64 / 1024.0
    }
}

fn path_arg(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Whether this obligo has the `batch` subcommand.
fn batch_available(obligo: &Path) -> bool {
    Command::new(obligo)
        .args(["batch", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn drive(bench: bool) -> Fallible<ExitCode> {
    let rows: u64 = match std::env::var("OBLIGO_BATCH_ROWS") {
        Ok(n) => n
            .replace(['_', ','], "")
            .parse()
            .map_err(|e| format!("OBLIGO_BATCH_ROWS={n}: {e}"))?,
        Err(_) if bench => 1_000_000,
        Err(_) => 1_000,
    };
    let repeats = if bench { 3 } else { 1 };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let dir = tempfile::Builder::new()
        .prefix("obligo-batch-bench-")
        .tempdir()?;
    let input = dir.path().join("organisations.jsonl");

    println!(
        "obligo batch against a hand-written Rust program: {} organisations, nine rules, \
         as of {AS_OF}; {cores} cores; best wall time of {repeats} run{}",
        thousands(rows),
        if repeats == 1 { "" } else { "s" }
    );
    let start = Instant::now();
    let bytes = generate(&input, rows)?;
    println!(
        "input: {} ({:.1} MB), generated in {:.1} s",
        input.display(),
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );

    let hand_out = dir.path().join("handwritten.jsonl");
    let mut programs = vec![Program {
        label: "hand-written Rust (serde_json, rayon)",
        exe: std::env::current_exe()?,
        args: vec![
            "--handwritten".into(),
            path_arg(&input),
            path_arg(&hand_out),
            AS_OF.into(),
        ],
        output: hand_out.clone(),
        ok_codes: &[0],
        best: None,
        max_rss_kib: 0,
    }];
    let obligo = obligo();
    let batch_args = |name: &str, explain: bool| {
        let output = dir.path().join(format!("{name}.jsonl"));
        let mut args = vec![
            "batch".into(),
            path_arg(&input),
            "--rules".into(),
            RULES_FILE.into(),
            "--as-of".into(),
            AS_OF.into(),
            "--known-on".into(),
            AS_OF.into(),
            "--output".into(),
            path_arg(&output),
            "--summary".into(),
            path_arg(&dir.path().join(format!("{name}-summary.json"))),
        ];
        if explain {
            args.push("--explain".into());
        }
        (args, output)
    };
    if batch_available(&obligo) {
        for (label, name, explain) in [
            ("obligo batch", "obligo", false),
            ("obligo batch --explain", "obligo-explain", true),
        ] {
            let (args, output) = batch_args(name, explain);
            programs.push(Program {
                label,
                exe: obligo.clone(),
                args,
                output,
                ok_codes: &[0, 1, 3],
                best: None,
                max_rss_kib: 0,
            });
        }
    } else {
        println!(
            "obligo batch not available ({} has no `batch`): timing the hand-written program alone",
            obligo.display()
        );
    }
    // Another build timed in the same run, in turn with this one, such as
    // an earlier commit's, to see what a change costs.
    if let Some(baseline) = std::env::var_os("OBLIGO_BATCH_BASELINE").map(PathBuf::from) {
        if !batch_available(&baseline) {
            return Err(format!("OBLIGO_BATCH_BASELINE={}: no `batch`", baseline.display()).into());
        }
        println!("baseline: {}", baseline.display());
        for (label, name, explain) in [
            ("baseline: obligo batch", "baseline", false),
            ("baseline: obligo batch --explain", "baseline-explain", true),
        ] {
            let (args, output) = batch_args(name, explain);
            programs.push(Program {
                label,
                exe: baseline.clone(),
                args,
                output,
                ok_codes: &[0, 1, 3],
                best: None,
                max_rss_kib: 0,
            });
        }
    }

    // In turn, so that the machine's ups and downs fall on every program alike.
    let mut meter_floor_kib = 0;
    for _ in 0..repeats {
        for p in &mut programs {
            let run = measure(&p.exe, &p.args)?;
            if !p.ok_codes.contains(&run.code) {
                return Err(format!("{} exited with code {}", p.label, run.code).into());
            }
            meter_floor_kib = meter_floor_kib.max(run.meter_rss_kib);
            p.record(run);
        }
    }

    let mut ok = true;
    let hand_lines = count_lines(&hand_out)?;
    if hand_lines != rows {
        println!("the hand-written program wrote {hand_lines} lines for {rows} organisations");
        ok = false;
    }
    let mut agreement = Vec::new();
    for p in programs.iter().skip(1) {
        let a = compare(&hand_out, &p.output)?;
        if a.lines != rows || a.mismatches > 0 {
            ok = false;
        }
        agreement.push((p.label, a));
    }

    print_table(&programs, rows, meter_floor_kib);
    for (label, a) in &agreement {
        if a.lines != rows {
            println!(
                "FAIL: {label} wrote {} lines for {} organisations",
                thousands(a.lines),
                thousands(rows)
            );
        }
        if a.mismatches == 0 && a.lines == rows {
            println!(
                "{label}: statuses and verdicts agree with the hand-written program on all {} rows",
                thousands(rows)
            );
        } else if a.mismatches > 0 {
            println!(
                "FAIL: {label} disagrees with the hand-written program on {} rows; the first:",
                thousands(a.mismatches)
            );
            for m in &a.first {
                println!("  {m}");
            }
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_table(programs: &[Program], rows: u64, meter_floor_kib: u64) {
    let hand = programs.first().and_then(|p| p.per_org_us(rows));
    println!();
    println!(
        "{:<40} {:>9} {:>11} {:>8} {:>8} {:>13}",
        "program", "wall", "per org", "ratio", "CPU", "peak RSS"
    );
    for p in programs {
        let Some(best) = p.best else { continue };
        let per_org = p.per_org_us(rows).unwrap_or(0.0);
        let ratio = hand.map_or(0.0, |h| per_org / h);
        println!(
            "{:<40} {:>7.2} s {:>8.3} µs {:>7.2}× {:>6.2} s {:>9.1} MiB",
            p.label,
            best.wall.as_secs_f64(),
            per_org,
            ratio,
            best.cpu.as_secs_f64(),
            p.rss_mib()
        );
    }
    println!(
        "(ratio: per organisation over the hand-written program's; peak RSS: the highest of the \
         runs, none below the meter's own {:.1} MiB)",
        meter_floor_kib as f64 / 1024.0
    );

    let (Some(hand), Some(plain), Some(explain)) = (hand, programs.get(1), programs.get(2)) else {
        return;
    };
    let (Some(us), Some(explain_us)) = (plain.per_org_us(rows), explain.per_org_us(rows)) else {
        return;
    };
    let holds = |b: bool| if b { "yes" } else { "NO" };
    println!();
    println!("{:<44} {:>12}  holds", "target", "measured");
    let targets = [
        (
            format!("obligo batch within {MAX_RATIO}× the hand-written"),
            format!("{:.2}×", us / hand),
            us / hand <= MAX_RATIO,
        ),
        (
            format!("obligo batch ≤ about {MAX_US_PER_ORG} µs per organisation"),
            format!("{us:.2} µs"),
            us <= MAX_US_PER_ORG,
        ),
        (
            format!("obligo batch peak RSS < {MAX_RSS_MIB} MiB"),
            format!("{:.1} MiB", plain.rss_mib()),
            plain.rss_mib() < MAX_RSS_MIB,
        ),
        (
            format!("--explain < {MAX_EXPLAIN_US_PER_ORG} µs per organisation"),
            format!("{explain_us:.2} µs"),
            explain_us < MAX_EXPLAIN_US_PER_ORG,
        ),
    ];
    for (what, measured, ok) in targets {
        println!("{what:<44} {measured:>12}  {}", holds(ok));
    }
    if rows != 1_000_000 {
        println!(
            "(the targets are for 1,000,000 organisations; this run had {})",
            thousands(rows)
        );
    }
}

fn count_lines(path: &Path) -> Fallible<u64> {
    let mut n = 0;
    for line in BufReader::new(File::open(path)?).split(b'\n') {
        line?;
        n += 1;
    }
    Ok(n)
}

/// How obligo's output compares with the hand-written program's.
struct Agreement {
    /// Lines obligo wrote.
    lines: u64,
    /// Rows whose id, name, verdict or some status differ.
    mismatches: u64,
    /// The first few, in words.
    first: Vec<String>,
}

/// Reads both outputs line by line: line k of each is organisation k.
fn compare(hand: &Path, obligo: &Path) -> Fallible<Agreement> {
    let mut hand = BufReader::new(File::open(hand)?).lines();
    let mut a = Agreement {
        lines: 0,
        mismatches: 0,
        first: Vec::new(),
    };
    for line in BufReader::new(File::open(obligo)?).lines() {
        let line = line?;
        a.lines += 1;
        let Some(h) = hand.next().transpose()? else {
            continue;
        };
        let h: Value = serde_json::from_str(&h)?;
        let o: Value = serde_json::from_str(&line)?;
        let differences = differences(&h, &o);
        if !differences.is_empty() {
            a.mismatches += 1;
            if a.first.len() < 5 {
                a.first.push(format!(
                    "line {}, {}: {}",
                    a.lines,
                    h.get("id").and_then(Value::as_str).unwrap_or("?"),
                    differences.join("; ")
                ));
            }
        }
    }
    Ok(a)
}

/// Where obligo's line `o` differs from the hand-written line `h`.
fn differences(h: &Value, o: &Value) -> Vec<String> {
    let text = |v: &Value, path: &[&str]| {
        let mut v = Some(v);
        for key in path {
            v = v.and_then(|v| v.get(key));
        }
        v.and_then(Value::as_str).unwrap_or("(none)").to_owned()
    };
    let mut out = Vec::new();
    let kind = text(o, &["kind"]);
    if kind != "organisation" {
        out.push(format!("obligo's line is of kind {kind}"));
    }
    for field in ["id", "name", "verdict"] {
        let (hv, ov) = (text(h, &[field]), text(o, &[field]));
        if hv != ov {
            out.push(format!("{field}: obligo {ov}, hand-written {hv}"));
        }
    }
    for rule in RULES {
        let (hv, ov) = (
            text(h, &["rules", rule]),
            text(o, &["rules", rule, "status"]),
        );
        if hv != ov {
            out.push(format!("{rule}: obligo {ov}, hand-written {hv}"));
        }
    }
    out
}

/// 1000000 as 1,000,000.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
