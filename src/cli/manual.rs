//! `obligo manual` and `obligo completions`: the man page and the shell
//! completions, generated from the command line's own definition, so they
//! never disagree with `--help`. Nothing is fetched: they are written from
//! the binary.

use std::path::PathBuf;

use clap::CommandFactory as _;

use super::{Cli, fail};
use obligo::diagnostic::Diagnostic;
use obligo::source::SourceMap;

/// Arguments of `obligo manual`.
#[derive(Debug, clap::Args)]
pub struct ManualArgs {
    /// Write a page per command into this folder (obligo.1, obligo-check.1, …) instead of obligo.1 to standard output.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Arguments of `obligo completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Runs `obligo manual`; returns the exit code.
pub fn manual(args: &ManualArgs) -> u8 {
    let cmd = Cli::command();
    let Some(dir) = &args.dir else {
        return match main_page(cmd) {
            Ok(page) => super::emit(&String::from_utf8_lossy(&page))
                .err()
                .unwrap_or(0),
            Err(e) => fail(
                &[Diagnostic::bare(format!(
                    "cannot write the manual page: {e}"
                ))],
                &SourceMap::default(),
            ),
        };
    };
    // A page per command, then obligo.1 again with the sections of its own.
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| clap_mangen::generate_to(cmd.clone(), dir))
        .and_then(|()| std::fs::write(dir.join("obligo.1"), main_page(cmd.clone())?));
    match written {
        Ok(()) => {
            let mut pages = vec!["obligo.1".to_string()];
            pages.extend(
                cmd.get_subcommands()
                    .filter(|s| !s.is_hide_set())
                    .map(|s| format!("obligo-{}.1", s.get_name())),
            );
            let listed = format!(
                "wrote {} pages in {}: {}\n",
                pages.len(),
                dir.display(),
                pages.join(", ")
            );
            super::emit(&listed).err().unwrap_or(0)
        }
        Err(e) => fail(
            &[Diagnostic::bare(format!(
                "cannot write the manual pages in `{}`: {}",
                dir.display(),
                obligo::read::os_words(&e)
            ))
            .with_help("check the folder can be written")],
            &SourceMap::default(),
        ),
    }
}

/// obligo(1): clap's sections, then exit status, environment, files,
/// examples and where to read more (`manual.roff`), then the version.
fn main_page(cmd: clap::Command) -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd);
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    man.render_subcommands_section(&mut page)?;
    page.extend_from_slice(include_str!("manual.roff").as_bytes());
    man.render_version_section(&mut page)?;
    Ok(page)
}

/// Runs `obligo completions`; returns the exit code.
pub fn completions(args: &CompletionsArgs) -> u8 {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "obligo", &mut script);
    super::emit(&String::from_utf8_lossy(&script))
        .err()
        .unwrap_or(0)
}
