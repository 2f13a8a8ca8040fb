//! Embeds the bundled ruleset in the binary, so `obligo check` works with
//! no `--rules` and `obligo test` with no files beside it: its rule files,
//! its scenario files, and its version (for `obligo --version`).

use std::fmt::Write as _;
use std::path::Path;

const DIR: &str = "rules/england-gp-record-access";

fn main() {
    let dir = Path::new(DIR);
    println!("cargo:rerun-if-changed={}", dir.display());
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let rules = embedded(dir, "BUNDLED", "The bundled ruleset's files", &["obl"]);
    write(&out_dir, "bundled.rs", &rules);
    let scenarios = dir.join("scenarios");
    println!("cargo:rerun-if-changed={}", scenarios.display());
    let text = embedded(
        &scenarios,
        "BUNDLED_SCENARIOS",
        "The bundled ruleset's scenario files",
        &["yaml", "yml"],
    );
    let version = std::fs::read_to_string(dir.join("ruleset.obl"))
        .ok()
        .and_then(|t| version(&t))
        .unwrap_or_default();
    write(&out_dir, "bundled_scenarios.rs", &text);
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let obligo = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let ruleset = if version.is_empty() {
        format!("ruleset {name}")
    } else {
        format!("ruleset {name} version {version}")
    };
    write(
        &out_dir,
        "version.rs",
        &format!(
            "/// What `--version` says: obligo's version and the bundled ruleset's.\npub const VERSION: &str = {:?};\n",
            format!("{obligo} ({ruleset})")
        ),
    );
}

/// A constant listing the files of `dir` with these extensions: (name, text), sorted by name.
fn embedded(dir: &Path, name: &str, doc: &str, extensions: &[&str]) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    Path::new(n)
                        .extension()
                        .is_some_and(|x| extensions.iter().any(|e| x == *e))
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = format!(
        "/// {doc}: (name, text), sorted by name.\npub const {name}: &[(&str, &str)] = &[\n"
    );
    for n in &names {
        let abs = std::fs::canonicalize(dir.join(n)).unwrap_or_else(|_| dir.join(n));
        println!("cargo:rerun-if-changed={}", abs.display());
        let _ = writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            abs.display().to_string()
        );
    }
    out.push_str("];\n");
    out
}

/// The label of `version "…"` in the ruleset's header.
fn version(text: &str) -> Option<String> {
    let line = text
        .lines()
        .map(str::trim_start)
        .find(|l| l.starts_with("version \""))?;
    let rest = line.strip_prefix("version \"")?;
    Some(rest.get(..rest.find('"')?)?.to_string())
}

fn write(out_dir: &str, name: &str, text: &str) {
    let target = Path::new(out_dir).join(name);
    if let Err(e) = std::fs::write(&target, text) {
        println!("cargo:warning=cannot write {}: {e}", target.display());
    }
}
