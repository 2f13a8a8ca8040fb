//! The conventions of a Rust command-line tool: shell completions and a
//! man page generated from the same definition as `--help`, a `--version`
//! that names the bundled ruleset's version, and bad usage exiting 2.

use crate::common::obligo;

#[test]
fn version_names_obligo_and_the_bundled_ruleset() {
    let bundled = obligo::load::load_bundled().unwrap();
    let expected = format!(
        "obligo {} (ruleset {} version {})\n",
        env!("CARGO_PKG_VERSION"),
        bundled.name,
        bundled.version
    );
    for flag in ["--version", "-V"] {
        let (code, out, err) = obligo(&[flag]);
        assert_eq!(
            (code, out.as_str(), err.as_str()),
            (0, expected.as_str(), "")
        );
    }
}

#[test]
fn completions_are_written_for_each_shell() {
    // A mark of each shell's own syntax, and a subcommand and a flag.
    for (shell, mark) in [
        ("bash", "complete -F _obligo"),
        ("zsh", "#compdef obligo"),
        ("fish", "complete -c obligo"),
        ("elvish", "edit:completion:arg-completer[obligo]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, err) = obligo(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(mark), "{shell}: no `{mark}`");
        assert!(
            out.contains("timeline") && out.contains("known-on"),
            "{shell}"
        );
    }
    let (code, out, err) = obligo(&["completions", "tcsh"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    assert!(err.contains("bash, elvish, fish, powershell, zsh"), "{err}");
}

#[test]
fn the_man_page_lists_every_subcommand() {
    let (code, page, err) = obligo(&["manual"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq \\(aq"),
        "roff: {}",
        &page[..80]
    );
    assert!(page.contains(".TH obligo 1"), "{page}");
    assert!(page.contains(&format!("obligo {}", env!("CARGO_PKG_VERSION"))));
    for sub in [
        "check",
        "batch",
        "diff",
        "lint",
        "fmt",
        "rules",
        "timeline",
        "explain",
        "missing",
        "test",
        "completions",
        "manual",
    ] {
        assert!(
            page.contains(&format!("obligo\\-{sub}(1)")),
            "no {sub} in the page"
        );
    }
    for section in [
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        ".SH EXAMPLES",
        ".SH \"SEE ALSO\"",
    ] {
        assert!(page.contains(section), "no {section}");
    }
}

#[test]
fn the_manual_writes_a_page_per_command_into_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("man1");
    let (code, out, err) = obligo(&["manual", "--dir", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("wrote 13 pages in "), "{out}");
    let check = std::fs::read_to_string(path.join("obligo-check.1")).unwrap();
    assert!(check.contains(".TH obligo-check 1"), "{check}");
    assert!(
        check.contains(&format!("\"check {} (ruleset ", env!("CARGO_PKG_VERSION"))),
        "each page names the version: {check}"
    );
    assert!(check.contains("\\-\\-as\\-of"), "{check}");
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 13, "{names:?}");
    assert!(names.contains(&"obligo.1".to_string()));
    // The folder's obligo.1 is the page `obligo manual` prints.
    assert_eq!(
        std::fs::read_to_string(path.join("obligo.1")).unwrap(),
        obligo(&["manual"]).1
    );
}

#[test]
fn bad_flags_exit_2_with_a_clear_message() {
    let (code, out, err) = obligo(&["check", "--no-such-flag", "examples/x.yaml"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("unexpected argument '--no-such-flag'"),
        "{err}"
    );
    let (code, _, err) = obligo(&["manual", "--dir"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("a value is required for '--dir <DIR>'"),
        "{err}"
    );
    let (code, _, err) = obligo(&["nonsense"]);
    assert_eq!(code, 2);
    assert!(err.contains("unrecognized subcommand 'nonsense'"), "{err}");
}

/// Standard input holds one facts file: `check - -` would judge an empty
/// second organisation, so it is refused.
#[test]
fn standard_input_given_twice_is_refused() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_obligo"))
        .args(["check", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let facts = std::fs::read(crate::common::root().join("examples/paused-emis.yaml")).unwrap();
    child.stdin.take().unwrap().write_all(&facts).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("`-` (standard input) is given more than once"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}
