//! Fuzz target: bytes -> a Terraform root module (`main.tf`) and a local module it may call (`m/main.tf`, the bytes
//! after the first NUL), read and evaluated by `source::hcl::read` under its evaluation budget; must never panic,
//! overflow the stack, hang or run out of memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptlint::source::hcl::{read, DirCandidate, Inputs};
use std::path::PathBuf;
use std::sync::OnceLock;

/// One directory per process, rewritten for every input (the reader reads module directories from disk).
fn workdir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ptlint-fuzz-hcl-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("m")).expect("fuzz work directory");
        // A repository root, so `file()` is confined to the work directory.
        std::fs::create_dir_all(dir.join(".git")).expect("fuzz work directory");
        std::fs::write(dir.join("data.txt"), "anthropic.claude-v2").expect("fuzz work directory");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = workdir();
    let (root, module) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    if std::fs::write(dir.join("main.tf"), root).is_err() || std::fs::write(dir.join("m/main.tf"), module).is_err() {
        return;
    }
    let candidate = DirCandidate { dir: dir.clone(), display: ".".into() };
    let _ = read(&[candidate], &Inputs::default());
});
