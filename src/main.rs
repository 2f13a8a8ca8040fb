//! The `obligo` binary: see `obligo --help`.

fn main() -> std::process::ExitCode {
    obligo::cli::main()
}
