//! Fuzz target: bytes -> `.ptlint.yaml` parser (`Config::parse_str`); must never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ptlint::config::Config::parse_str(text, ".ptlint.yaml");
    }
});
