//! Fuzz target: bytes -> `source::decode` -> the YAML skim; whatever it accepts, the full reader must read without
//! error, and, when the prefilter finds nothing, as the empty template (or non-template) the skim says it is.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ptlint::model::{Document, Format};
use ptlint::source::yaml::skim::skim;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = ptlint::source::decode(data) else { return };
    let Some(skimmed) = skim(&text) else { return };
    if let Err(error) = ptlint::source::yaml::parse_yaml(&text) {
        panic!("the skim accepts it, the full reader says {error:?}");
    }
    if !ptlint::source::could_matter(text.as_bytes()) {
        let expected = Ok(skimmed.cloudformation.then(|| Document::empty(Format::CloudFormationYaml)));
        assert_eq!(ptlint::source::read_document("template.yaml", &text, None), expected);
    }
});
