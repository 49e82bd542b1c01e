//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning, with line-independent fingerprints; deterministic.

use super::rules::{catalog, RuleInfo};
use crate::engine::Analysis;
use crate::finding::Finding;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The schema the output claims (and is tested against).
pub const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// Key of ptlint's entry in `partialFingerprints`; bump the version if the hashed fields change.
pub const FINGERPRINT_KEY: &str = "ptlint/v1";
const INFORMATION_URI: &str = "https://github.com/ptlint/ptlint";
const SRCROOT: &str = "%SRCROOT%";

/// FNV-1a, 64 bits: small, stable across runs, platforms and Rust versions (unlike `DefaultHasher`).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The fingerprint of a finding: rule, file and resource, so it survives edits that move lines.
/// `occurrence` tells apart findings that share all three (e.g. two unused suppressions of one resource).
pub fn fingerprint(finding: &Finding, occurrence: usize) -> String {
    let mut key = format!("{}\0{}\0{}", finding.rule, finding.file, finding.resource);
    if occurrence > 0 {
        key.push_str(&format!("\0{occurrence}"));
    }
    format!("{:016x}", fnv1a64(key.as_bytes()))
}

/// Percent-encode a path for a URI reference, keeping `/` and the unreserved characters.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Repository-relative paths are resolved against `%SRCROOT%`; absolute ones become `file://` URIs.
fn artifact_location(file: &str) -> Value {
    let bytes = file.as_bytes();
    let windows_drive = bytes.len() > 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic();
    if file.starts_with('/') {
        json!({ "uri": format!("file://{}", encode_path(file)) })
    } else if windows_drive {
        json!({ "uri": format!("file:///{}{}", &file[..2], encode_path(&file[2..])) })
    } else {
        json!({ "uri": encode_path(file), "uriBaseId": SRCROOT })
    }
}

/// A SARIF region; SARIF lines and columns start at 1, so unknown (0) positions become 1.
fn region(line: u32, column: u32, end_line: u32, end_column: u32) -> Value {
    let start_line = line.max(1);
    let start_column = column.max(1);
    let end_line = end_line.max(start_line);
    let end_column = if end_line == start_line { end_column.max(start_column) } else { end_column.max(1) };
    json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    })
}

/// The first paragraph of the docs' `## What it does` section, or the summary.
fn full_description(rule: &RuleInfo) -> String {
    let mut lines = rule.docs.lines().skip_while(|l| !l.trim_start().starts_with("## What it does")).skip(1);
    let paragraph: Vec<&str> = lines
        .by_ref()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::trim)
        .collect();
    if paragraph.is_empty() {
        rule.summary.to_string()
    } else {
        paragraph.join(" ")
    }
}

fn rule_descriptor(rule: &RuleInfo) -> Value {
    let docs = rule.docs.trim();
    let help = if docs.is_empty() { rule.summary } else { docs };
    let mut descriptor = json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": full_description(rule) },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": rule.level.as_str() },
        "properties": { "tags": ["cost", "bedrock", "finops"] },
    });
    // SARIF wants a URI or no `helpUri` at all; a user's rule has no published page.
    if let Some(url) = rule.url() {
        descriptor["helpUri"] = Value::String(url);
    }
    descriptor
}

fn result(finding: &Finding, rule_index: Option<usize>, occurrence: usize) -> Value {
    let span = &finding.span;
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(finding.rule));
    if let Some(index) = rule_index {
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("level".into(), json!(finding.level.as_str()));
    result.insert("message".into(), json!({ "text": finding.message }));
    result.insert(
        "locations".into(),
        json!([{
            "physicalLocation": {
                "artifactLocation": artifact_location(&finding.file),
                "region": region(span.line, span.column, span.end_line, span.end_column),
            },
            "logicalLocations": [{ "name": finding.resource, "kind": "resource" }],
        }]),
    );
    result.insert("partialFingerprints".into(), json!({ FINGERPRINT_KEY: fingerprint(finding, occurrence) }));
    let mut properties = Map::new();
    properties.insert("resource".into(), json!(finding.resource));
    if let Some(help) = &finding.help {
        properties.insert("help".into(), json!(help));
    }
    result.insert("properties".into(), Value::Object(properties));
    Value::Object(result)
}

fn notifications(analysis: &Analysis) -> Vec<Value> {
    analysis
        .errors
        .iter()
        .map(|error| {
            let mut location = json!({ "artifactLocation": artifact_location(&error.file) });
            if error.line > 0 {
                location["region"] = json!({ "startLine": error.line, "startColumn": error.column.max(1) });
            }
            json!({
                "level": "error",
                "message": { "text": error.message },
                "locations": [{ "physicalLocation": location }],
            })
        })
        .collect()
}

/// The SARIF log as a JSON value.
pub fn sarif(analysis: &Analysis) -> Value {
    let rules = catalog(&analysis.rules);
    let index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
    let mut seen: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    let results: Vec<Value> = analysis
        .findings
        .iter()
        .map(|f| {
            let count = seen.entry((&f.rule, &f.file, &f.resource)).or_insert(0);
            let occurrence = *count;
            *count += 1;
            result(f, index.get(f.rule.as_str()).copied(), occurrence)
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "ptlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules.iter().map(rule_descriptor).collect::<Vec<_>>(),
                }
            },
            "invocations": [{
                "executionSuccessful": analysis.errors.is_empty(),
                "toolExecutionNotifications": notifications(analysis),
            }],
            "originalUriBaseIds": {
                SRCROOT: { "description": { "text": "The directory ptlint ran in (the repository root in CI)." } }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// Render the SARIF log as pretty JSON.
pub fn render(analysis: &Analysis) -> String {
    let mut text = serde_json::to_string_pretty(&sarif(analysis)).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_reference_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn regions_are_one_based_and_ordered() {
        assert_eq!(region(0, 0, 0, 0), json!({"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}));
        assert_eq!(region(3, 5, 4, 1), json!({"startLine": 3, "startColumn": 5, "endLine": 4, "endColumn": 1}));
    }

    #[test]
    fn locations_are_relative_unless_absolute() {
        assert_eq!(artifact_location("a b/c.yaml"), json!({"uri": "a%20b/c.yaml", "uriBaseId": "%SRCROOT%"}));
        assert_eq!(artifact_location("/tmp/x.yaml"), json!({"uri": "file:///tmp/x.yaml"}));
        assert_eq!(artifact_location("C:/x.yaml"), json!({"uri": "file:///C:/x.yaml"}));
    }
}
