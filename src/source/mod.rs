//! Reading inputs: decode bytes, skip what cannot matter, detect the format, parse with spans, hand off to a reader.

pub mod cfn;
pub mod hcl;
pub mod json;
pub mod node;
pub mod read;
pub mod terraform;
pub mod yaml;

use crate::finding::InputError;
use crate::model::{Document, Format};
use aho_corasick::{AhoCorasick, MatchKind};
use node::{LineIndex, Node, SyntaxError};
use std::sync::OnceLock;

pub use read::MAX_FILE_BYTES;

/// Words (lowercase) whose presence means a file could declare a PT, a custom model, a budget, or an alarm that
/// watches a PT. Alarms are linked to PTs only through their `ModelId` dimension, so an alarm on anything else
/// (a Lambda's errors, a queue's depth) cannot matter and is not worth parsing: `modelid` stands for them.
/// Bedrock appears as a resource type (`AWS::Bedrock::`, `aws_bedrock_`, `awscc_bedrock_`: `bedrock_`) or a Step Functions
/// task (`arn:aws:states:::bedrock:createProvisionedModelThroughput`, `...:bedrock:createModelCustomizationJob`);
/// the bare word is not one, since IAM policies granting `bedrock:InvokeModel` are common and never matter. Every
/// SDK-call shape of a PT says `modelUnits`. (A word with a common start such as `provisioned` would make the
/// SIMD search stop at every `Properties` and run 7x slower.)
/// A SAM state machine whose definition lives in another file (`DefinitionUri`) says none of these, so its key
/// is one too.
const PREFILTER_WORDS: &[&str] = &[
    "bedrock::",
    "bedrock_",
    "bedrock:create",
    "modelunits",
    "model_units",
    "modelid",
    "budgets::budget",
    "budgets_budget",
    "definitionuri",
    // A Terraform state machine whose definition is in another file (`file()`, `templatefile()`), as SAM's
    // `DefinitionUri`: the `.tf` itself names no Bedrock action.
    "aws_sfn_state_machine",
];

fn prefilter() -> Option<&'static AhoCorasick> {
    static FINDER: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    // Leftmost-first lets the automaton use its SIMD multi-pattern search (Teddy); with the default (standard)
    // semantics it falls back to looking for the words' first letters, and `d`, `m` and `b` are everywhere.
    // Only whether there is a match is asked, which the match kind does not change.
    FINDER
        .get_or_init(|| AhoCorasick::builder().match_kind(MatchKind::LeftmostFirst).build(PREFILTER_WORDS).ok())
        .as_ref()
}

/// Bytes lowercased and searched at a time by [`could_matter`].
const PREFILTER_CHUNK: usize = 16 * 1024;
/// How far consecutive chunks overlap, so a word split across two chunks is still found.
const PREFILTER_OVERLAP: usize = 31;

/// Whether a file that failed to parse was meant as a template, plan or `.tf.json` ptlint reads. A named file
/// that was not (a Helm chart, a `package.json` passed by a pre-commit hook) is not an input error.
pub fn looks_like_template(path: &str, text: &str) -> bool {
    const MARKERS: &[&str] = &["AWSTemplateFormatVersion", "Resources", "format_version", "\"resource\""];
    path.ends_with(".tf.json")
        || path.ends_with(".template")
        || could_matter(text.as_bytes())
        || MARKERS.iter().any(|marker| text.contains(marker))
}

/// A cheap byte scan: can this file matter to ptlint at all? (If the scanner could not be built, read everything.)
///
/// ASCII-case-insensitive. Rather than asking the automaton to fold case (which disables its SIMD prefilter and
/// runs about 4x slower), each chunk is lowercased into a small buffer and searched case-sensitively.
pub fn could_matter(bytes: &[u8]) -> bool {
    let Some(finder) = prefilter() else { return true };
    any_lowercased_chunk(bytes, PREFILTER_OVERLAP, |lower| finder.is_match(lower))
}

/// Whether `found` says yes of any chunk of `bytes` lowercased (ASCII) into a small buffer: [`PREFILTER_CHUNK`]
/// bytes at a time, each chunk starting `overlap` bytes (at most [`PREFILTER_OVERLAP`]) before the last one's end,
/// so a word of up to `overlap + 1` bytes split across two chunks is still seen whole.
pub(crate) fn any_lowercased_chunk(bytes: &[u8], overlap: usize, found: impl Fn(&[u8]) -> bool) -> bool {
    let overlap = overlap.min(PREFILTER_OVERLAP);
    let mut buffer = [0u8; PREFILTER_CHUNK + PREFILTER_OVERLAP];
    let mut start = 0;
    while start < bytes.len() {
        let from = start.saturating_sub(overlap);
        let end = start.saturating_add(PREFILTER_CHUNK).min(bytes.len());
        let (Some(window), Some(lower)) = (bytes.get(from..end), buffer.get_mut(..end - from)) else { return true };
        for (to, from) in lower.iter_mut().zip(window) {
            *to = from.to_ascii_lowercase();
        }
        if found(lower) {
            return true;
        }
        start = end;
    }
    false
}

/// [`decode`] taking ownership: UTF-8 input becomes the `String` without a copy.
pub fn decode_vec(mut bytes: Vec<u8>) -> Result<String, SyntaxError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return decode(&bytes);
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).or_else(|err| decode(err.as_bytes()))
}

/// Decode UTF-8 (with or without BOM) or UTF-16 with a BOM (Windows PowerShell writes plans that way).
pub fn decode(bytes: &[u8]) -> Result<String, SyntaxError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // Safe: `valid_up_to` is a char boundary of valid UTF-8.
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let index = LineIndex::new(valid);
            let (line, column) = index.position(valid, valid.len());
            Err(SyntaxError {
                message: "invalid UTF-8 (ptlint reads UTF-8 and UTF-16 with a byte-order mark)".into(),
                line,
                column,
                offset: err.valid_up_to(),
            })
        }
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, SyntaxError> {
    if bytes.len() % 2 != 0 {
        return Err(SyntaxError {
            message: "truncated UTF-16 (odd number of bytes)".into(),
            line: 1,
            column: 1,
            offset: 0,
        });
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                let index = LineIndex::new(&text);
                let (line, column) = index.position(&text, text.len());
                return Err(SyntaxError {
                    message: "invalid UTF-16 (unpaired surrogate)".into(),
                    line,
                    column,
                    offset: i * 2 + 2,
                });
            }
        }
    }
    Ok(text)
}

/// Whether a file is read as JSON first: `.json` always; a `.yaml`/`.yml` never (JSON is YAML too, and a flow
/// mapping `{Resources: ...}` is not JSON); anything else (`.template`, a named file) when it starts with `{`.
fn json_first(path: &str, text: &str) -> bool {
    path.ends_with(".json") || !is_yaml_path(path) && starts_with_flow_mapping(text)
}

fn is_yaml_path(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml")
}

fn starts_with_flow_mapping(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// Parse a decoded file and read its entities. `Ok(None)`: parsed fine, but it is not a template ptlint reads.
///
/// A non-`.json` file that starts with `{` is tried both ways, as cfn-lint does: the other reader is asked
/// only when the first fails, and if both fail the first one's error is reported.
pub fn read_document(path: &str, text: &str, region: Option<&str>) -> Result<Option<Document>, InputError> {
    let error =
        |e: SyntaxError| InputError { file: path.to_string(), line: e.line, column: e.column, message: e.message };
    let either_way = !path.ends_with(".json") && starts_with_flow_mapping(text);
    if json_first(path, text) {
        return match json::parse_json(text) {
            Ok(root) => read_json_document(path, text, &root, region),
            Err(e) => match yaml::parse_yaml(text) {
                Ok(root) if either_way => Ok(read_yaml_document(&root, region, text, path)),
                _ => Err(error(e)),
            },
        };
    }
    match yaml::parse_yaml(text) {
        Ok(root) => Ok(read_yaml_document(&root, region, text, path)),
        Err(e) => match json::parse_json(text) {
            Ok(root) if either_way => read_json_document(path, text, &root, region),
            _ => Err(error(e)),
        },
    }
}

/// [`read_document`] for a file named on the command line, which is read even when the prefilter finds none of its
/// words in it, so that a broken one is reported. Such a YAML file that the skim ([`yaml::skim::skim`]) accepts
/// is well formed and holds nothing ptlint reads, so its tree is not built: the result is the one reading it
/// gives (an empty template, or not a template at all).
pub fn read_named_document(path: &str, text: &str, region: Option<&str>) -> Result<Option<Document>, InputError> {
    if !json_first(path, text) && !could_matter(text.as_bytes()) {
        if let Some(skimmed) = yaml::skim::skim(text) {
            return Ok(skimmed.cloudformation.then(|| Document::empty(Format::CloudFormationYaml)));
        }
    }
    read_document(path, text, region)
}

fn read_json_document(
    path: &str,
    text: &str,
    root: &Node,
    region: Option<&str>,
) -> Result<Option<Document>, InputError> {
    if path.ends_with(".tf.json") || terraform::tfjson::is_tf_json(root) && !is_cloudformation(root) {
        return hcl::read_single(path, text).map(Some);
    }
    if terraform::plan::is_plan(root) {
        return terraform::plan::read(root).map(Some).map_err(|(message, span)| InputError {
            file: path.to_string(),
            line: span.line,
            column: span.column,
            message,
        });
    }
    if is_cloudformation(root) {
        // A `cdk synth` stack's own environment says where `AWS::Region` resolves, before --region or config.
        let (stack_region, manifest_error) = match path.ends_with(".template.json") {
            true => match cfn::manifest::stack_region(std::path::Path::new(path)) {
                Ok(region) => (region, None),
                Err((manifest, e)) => (
                    None,
                    Some(InputError {
                        file: manifest.to_string_lossy().replace('\\', "/"),
                        line: 0,
                        column: 0,
                        message: format!("{e} (the CDK manifest, read for the region of {path})"),
                    }),
                ),
            },
            false => (None, None),
        };
        let region = stack_region.as_deref().or(region);
        let mut document = cfn::read(root, Format::CloudFormationJson, region, text, path);
        document.errors.extend(manifest_error);
        return Ok(Some(document));
    }
    Ok(None)
}

fn read_yaml_document(root: &Node, region: Option<&str>, text: &str, path: &str) -> Option<Document> {
    is_cloudformation(root).then(|| cfn::read(root, Format::CloudFormationYaml, region, text, path))
}

fn is_cloudformation(root: &Node) -> bool {
    root.get("AWSTemplateFormatVersion").is_some() || root.get("Resources").and_then(Node::as_object).is_some()
}

#[cfg(test)]
mod prefilter_tests {
    use super::*;

    #[test]
    fn words_match_in_any_case_and_across_chunk_boundaries() {
        assert!(could_matter(b"Type: AWS::Bedrock::ProvisionedModelThroughput"));
        assert!(could_matter(b"{\"MODELUNITS\": 1}"));
        assert!(!could_matter(b"Type: AWS::S3::Bucket\nAlarm: AWS::CloudWatch::Alarm"));
        assert!(!could_matter(b""));
        // Bedrock as a resource type or a Step Functions task matters; as an IAM action it does not.
        assert!(could_matter(b"resource \"aws_bedrock_custom_model\" \"m\" {"));
        assert!(could_matter(b"\"Resource\": \"arn:aws:states:::bedrock:createModelCustomizationJob.sync\""));
        assert!(!could_matter(b"Action: [bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream]"));
        for shift in 0..40 {
            let mut text = vec![b'x'; PREFILTER_CHUNK - 20 + shift];
            text.extend_from_slice(b"AWS::BedRock::");
            text.extend_from_slice(&[b'y'; 100]);
            assert!(could_matter(&text), "word at {}", PREFILTER_CHUNK - 20 + shift);
        }
        assert!(!could_matter(&vec![b'z'; 3 * PREFILTER_CHUNK + 7]));
    }

    #[test]
    fn every_word_is_found_alone_embedded_and_in_capitals() {
        for word in PREFILTER_WORDS {
            for text in [word.to_string(), format!("Type: {word}X"), word.to_uppercase(), format!("- {word}")] {
                assert!(could_matter(text.as_bytes()), "{text}");
            }
            // One letter short is not the word.
            assert!(!could_matter(&word.as_bytes()[1..]), "{word}");
        }
    }

    #[test]
    fn owned_decode_matches_borrowed_decode() {
        for bytes in
            [&b"\xEF\xBB\xBFa: 1"[..], b"plain", b"bad \xFF byte", b"\xFF\xFEa\0", b"\xFE\xFF\0a", b"\xFF\xFEa"]
        {
            assert_eq!(decode_vec(bytes.to_vec()), decode(bytes), "{bytes:?}");
        }
    }
}
