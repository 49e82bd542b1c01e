//! The `ptlint` binary: parse arguments, run, exit with the code the run chose.

use clap::Parser;

use std::io::IsTerminal;
use std::process::ExitCode;

// Parsing builds and drops a tree of small values per file on every thread; glibc's allocator spent a fifth of
// the CPU on a 10,000-file run (bench/RESULTS.md). mimalloc v2, built with `no_thp`: with transparent huge pages
// on, each arena page touched costs 2 MiB of resident memory, and v3 kept about 13 MiB more than v2 at its peak.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
