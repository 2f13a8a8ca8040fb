//! Embeds the bundled ruleset's files in the binary, so `obligo check` works
//! with no `--rules` and no files beside it.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("rules/england-gp-record-access");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".obl"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from(
        "/// The bundled ruleset's files: (name, text), sorted by name.\npub const BUNDLED: &[(&str, &str)] = &[\n",
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
    let target =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("bundled.rs");
    if let Err(e) = std::fs::write(&target, out) {
        println!("cargo:warning=cannot write {}: {e}", target.display());
    }
}
