//! Fuzz target: bytes -> `source::decode` -> `source::read_document` as `template.yaml` and `stack.template`;
//! must never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Decoding is part of the attack surface (BOMs, UTF-16, invalid UTF-8), so raw bytes go through it.
    if let Ok(text) = ptlint::source::decode(data) {
        let _ = ptlint::source::read_document("template.yaml", &text, None);
        let _ = ptlint::source::read_document("template.yaml", &text, Some("us-east-1"));
        // A `.template` starting with `{` is tried as JSON, then as YAML.
        let _ = ptlint::source::read_document("stack.template", &text, None);
    }
});
