//! The `ptlint` binary: parse arguments, run, exit with the code the run chose.

use clap::Parser;

use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = ptlint::cli::Args::parse();
    let code = ptlint::run(
        args,
        std::io::stdout().is_terminal(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}
