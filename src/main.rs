//! The `ptlint` binary: parse arguments, run, exit with the code the run chose.

use clap::Parser;

// cfn-guard clones its document tree for every rule; the system allocator makes that the slowest part of a run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = ptlint::cli::Args::parse();
    let color = ptlint::use_color(std::io::stdout().is_terminal());
    let code = ptlint::run(args, color, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    ExitCode::from(code)
}
