//! Suppressions: a reason is required, expired and unused ones are reported, and unknown usage keys too.

use ptlint::engine::{analyze, Options};
use ptlint::evidence::days_from_civil;

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Accepted:
    Type: Custom::BedrockThroughput
    Metadata:
      ptlint:
        ignore:
          - rule: PT003
            reason: capacity for a launch; usage evidence follows
    Properties:
      ModelId: amazon.titan-text-express-v1:0:8k
      ModelUnits: 1
      CommitmentDuration: OneMonth
  Unexplained:
    Type: Custom::BedrockThroughput
    Metadata:
      ptlint:
        ignore:
          - rule: commitment-without-usage-evidence
    Properties:
      ModelId: amazon.titan-text-express-v1:0:8k
      ModelUnits: 1
      CommitmentDuration: OneMonth
  Unneeded:
    Type: Custom::BedrockThroughput
    Metadata:
      ptlint:
        ignore:
          - rule: PT006
            reason: not this type
    Properties:
      ModelId: amazon.titan-text-express-v1:0:8k
      ModelUnits: 1
"#;

const CONFIG: &str = r#"region: us-east-1
ignore:
  - rule: PT005
    resource: Accepted
    reason: watched by a dashboard
  - rule: missing-utilization-alarm
    resource: Unexplained
    reason: temporary
    expires: 2026-01-31
  - rule: PT005
    resource: Other*
    reason: nothing matches this
usage:
  NotAThroughput:
    observed_days: 40
    monthly_input_tokens: 1000
"#;

fn findings() -> Vec<(String, String, u32)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pt.yaml"), TEMPLATE).unwrap();
    std::fs::write(dir.path().join("ptlint.yaml"), CONFIG).unwrap();
    let options = Options {
        paths: vec![dir.path().join("pt.yaml")],
        config: Some(dir.path().join("ptlint.yaml")),
        today: Some(days_from_civil(2026, 11, 24)),
        ..Options::default()
    };
    let analysis = analyze(&options).unwrap();
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    analysis.findings.iter().map(|f| (f.rule.clone(), f.resource.clone(), f.span.line)).collect()
}

/// 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> u32 {
    text.lines().position(|l| l.contains(needle)).expect("needle") as u32 + 1
}

fn has(findings: &[(String, String, u32)], rule: &str, resource: &str) -> bool {
    findings.iter().any(|(r, res, _)| r == rule && res == resource)
}

#[test]
fn inline_suppression_with_a_reason_hides_the_finding() {
    let findings = findings();
    assert!(!has(&findings, "PT003", "Accepted"));
    assert!(has(&findings, "PT003", "Unexplained"), "a suppression without a reason is not applied");
}

#[test]
fn inline_suppression_without_reason_or_match_is_reported_where_it_is_written() {
    let findings = findings();
    let line = |rule: &str, resource: &str| {
        findings.iter().find(|(r, res, _)| r == rule && res == resource).map(|(_, _, l)| *l)
    };
    // Each points at its `- rule: ...` item.
    assert_eq!(line("PT901", "Unexplained"), Some(line_of(TEMPLATE, "- rule: commitment-without-usage-evidence")));
    assert_eq!(line("PT900", "Unneeded"), Some(line_of(TEMPLATE, "- rule: PT006")));
}

#[test]
fn config_suppressions_apply_expire_and_report_unused_entries() {
    let findings = findings();
    assert!(!has(&findings, "PT005", "Accepted"), "config ignore with a reason applies");
    assert!(has(&findings, "PT005", "Unexplained"), "an expired ignore is not applied");
    assert!(has(&findings, "PT902", "Unexplained"));
    assert!(has(&findings, "PT900", "Other*"));
    assert!(!has(&findings, "PT900", "Accepted"));
}

#[test]
fn usage_for_an_unknown_resource_is_reported_at_its_key() {
    let findings = findings();
    let usage = findings.iter().find(|(r, _, _)| r == "PT903").expect("PT903");
    assert_eq!((usage.1.as_str(), usage.2), ("NotAThroughput", line_of(CONFIG, "NotAThroughput:")));
}

const HCL: &str = r#"# ptlint:ignore PT003 launch capacity; usage evidence follows expires=2026-12-31
resource "aws_bedrock_provisioned_model_throughput" "accepted" {
  model_arn           = "amazon.titan-text-express-v1:0:8k"
  model_units         = 1
  commitment_duration = "OneMonth"
}
resource "aws_bedrock_provisioned_model_throughput" "lapsed" {
  model_arn   = "amazon.titan-text-express-v1:0:8k"
  model_units = 1
  # ptlint:ignore PT003 was fine last year expires=2025-06-30
  commitment_duration = "OneMonth"
}
resource "aws_bedrock_provisioned_model_throughput" "unexplained" {
  model_arn   = "amazon.titan-text-express-v1:0:8k"
  model_units = 1
  // ptlint:ignore PT003
  commitment_duration = "OneMonth"
}
"#;

const TF_JSON: &str = r#"{
  "resource": {
    "aws_bedrock_provisioned_model_throughput": {
      "json_accepted": {
        "//": "ptlint:ignore PT003 launch capacity; usage evidence follows",
        "model_arn": "amazon.titan-text-express-v1:0:8k",
        "model_units": 1,
        "commitment_duration": "OneMonth"
      },
      "json_unused": {
        "//": ["generated by cdktf", "ptlint:ignore PT006 not this type"],
        "model_arn": "amazon.titan-text-express-v1:0:8k",
        "model_units": 1
      }
    }
  }
}
"#;

fn terraform_findings() -> Vec<(String, String, String, u32)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), HCL).unwrap();
    std::fs::write(dir.path().join("cdk.tf.json"), TF_JSON).unwrap();
    let options = Options {
        paths: vec![dir.path().to_path_buf()],
        today: Some(days_from_civil(2026, 11, 24)),
        ..Options::default()
    };
    let analysis = analyze(&options).unwrap();
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let name = |f: &ptlint::finding::Finding| f.file.rsplit('/').next().unwrap_or_default().to_string();
    analysis.findings.iter().map(|f| (f.rule.clone(), f.resource.clone(), name(f), f.span.line)).collect()
}

#[test]
fn terraform_comment_suppressions_apply_expire_and_need_a_reason() {
    let findings = terraform_findings();
    let find = |rule: &str, resource: &str| {
        findings
            .iter()
            .find(|(r, res, _, _)| r == rule && res.ends_with(resource))
            .map(|(_, _, file, line)| (file.as_str(), *line))
    };
    assert_eq!(find("PT003", ".accepted"), None, "a comment above the block with a reason applies");
    assert_eq!(find("PT003", ".lapsed"), Some(("main.tf", line_of(HCL, "expires=2025-06-30") + 1)));
    assert_eq!(find("PT902", ".lapsed"), Some(("main.tf", line_of(HCL, "expires=2025-06-30"))));
    assert_eq!(find("PT901", ".unexplained"), Some(("main.tf", line_of(HCL, "// ptlint:ignore PT003"))));
    assert!(find("PT003", ".unexplained").is_some(), "a suppression without a reason is not applied");
    assert_eq!(find("PT003", ".json_accepted"), None, "a `//` key suppresses in .tf.json");
    assert_eq!(find("PT900", ".json_unused"), Some(("cdk.tf.json", line_of(TF_JSON, "ptlint:ignore PT006"))));
}
