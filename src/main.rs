//! The `obligo` binary: see `obligo --help`. The command line is a private
//! module of the binary; the library's API is in `obligo::api`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
