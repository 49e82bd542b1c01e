//! Hostile CloudFormation, SAM, CDK and CloudWatch inputs: amplification and unbounded reads end quickly, under
//! the memory cap, as input errors (exit 2) naming the file and line at fault.

#[path = "support/hostile.rs"]
mod hostile;

use std::path::Path;

/// A PT custom resource whose model ID is `model` (JSON text) in a pretty-printed JSON template with a parameter
/// `P` whose default is `default_bytes` long.
fn json_template(default_bytes: usize, model: &str) -> String {
    format!(
        r#"{{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {{
    "P": {{"Type": "String", "Default": "{}"}}
  }},
  "Resources": {{
    "Pt": {{
      "Type": "AWS::Bedrock::ProvisionedModelThroughput",
      "Properties": {{
        "ModelUnits": 1,
        "CommitmentDuration": "SixMonths",
        "ModelId":
          {model}
      }}
    }}
  }}
}}
"#,
        "x".repeat(default_bytes)
    )
}

/// The report's input errors as (file, line, message).
fn errors(outcome: &hostile::Outcome) -> Vec<(String, u64, String)> {
    let report: serde_json::Value = serde_json::from_str(&outcome.stdout)
        .unwrap_or_else(|e| panic!("not a JSON report ({e}):\n{}\n{}", outcome.stdout, outcome.stderr));
    report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap_or_default().to_string(),
                e["line"].as_u64().unwrap_or_default(),
                e["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> u64 {
    text.lines().position(|line| line.contains(needle)).expect("needle in text") as u64 + 1
}

fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs `ptlint check ARGS --format json` in `dir` under the caps; asserts exit 2 within the time limit.
fn check_refused(dir: &Path, args: &[&str]) -> hostile::Outcome {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let outcome = hostile::run_limited(&all, dir);
    outcome.assert_code(2);
    outcome
}

#[test]
fn a_yaml_alias_bomb_of_large_scalars_is_refused_at_the_alias() {
    // 100 KB of text in one scalar, aliased 10 x 10 x 10 x 10 x 10 = 100,000 times: about 111,000 nodes (under
    // the node limit) but 10 GB of text.
    let dir = tempfile::tempdir().unwrap();
    let list = |alias: &str| format!("[{}]", [alias; 10].join(", "));
    let text = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Pt:\n    Type: AWS::Bedrock::ProvisionedModelThroughput\n    \
         Properties:\n      ModelId: amazon.titan-text-express-v1:0:8k\n      ModelUnits: 1\n      Tags:\n        \
         a: &a {}\n        b: &b {}\n        c: &c {}\n        d: &d {}\n        e: &e {}\n        f: {}\n",
        "x".repeat(100_000),
        list("*a"),
        list("*b"),
        list("*c"),
        list("*d"),
        list("*e"),
    );
    write(dir.path(), "bomb.yaml", &text);
    let outcome = check_refused(dir.path(), &["bomb.yaml"]);
    let errors = errors(&outcome);
    // `b` copies 1 MB and `c` 10 MB; the fourth `*c` in `d` passes 32 MiB.
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (file, line, message) = &errors[0];
    assert_eq!((file.as_str(), *line), ("bomb.yaml", line_of(&text, "d: &d")), "{message}");
    assert_eq!(message, "YAML alias expansion exceeds the limit of 32 MiB of copied text");
    assert!(outcome.elapsed < hostile::TIME_LIMIT);
}

#[test]
fn fn_sub_repeating_a_large_parameter_is_refused_where_it_is_used() {
    // A 1 MB default substituted 20,000 times would build 20 GB.
    let dir = tempfile::tempdir().unwrap();
    let model = format!(r#"{{"Fn::Sub": "{}"}}"#, "${P}".repeat(20_000));
    let text = json_template(1 << 20, &model);
    write(dir.path(), "sub.json", &text);
    let outcome = check_refused(dir.path(), &["sub.json"]);
    let errors = errors(&outcome);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (file, line, message) = &errors[0];
    assert_eq!((file.as_str(), *line), ("sub.json", line_of(&text, "Fn::Sub")), "{message}");
    assert!(message.starts_with("Fn::Sub would build more than the 16 MiB"), "{message}");
    // The PT is still read; its model is what is unknown.
    let report: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(report["throughputs"].as_array().map(Vec::len), Some(1), "{report:#}");
}

#[test]
fn fn_join_of_a_large_parameter_repeated_is_refused_where_it_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let model = format!(r#"{{"Fn::Join": ["", [{}]]}}"#, vec![r#"{"Ref": "P"}"#; 20_000].join(", "));
    let text = json_template(1 << 20, &model);
    write(dir.path(), "join.json", &text);
    let outcome = check_refused(dir.path(), &["join.json"]);
    let errors = errors(&outcome);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (file, line, message) = &errors[0];
    assert_eq!((file.as_str(), *line), ("join.json", line_of(&text, "Fn::Join")), "{message}");
    assert!(message.contains("would build more than the 16 MiB"), "{message}");
}

#[test]
fn an_ordinary_fn_sub_and_fn_join_still_resolve() {
    // The budget leaves real templates alone: a 4,096-byte default (CloudFormation's largest parameter value)
    // substituted a hundred times resolves, and the PT is priced as usual.
    let dir = tempfile::tempdir().unwrap();
    let text =
        json_template(4096, r#"{"Fn::Join": ["", [{"Fn::Sub": "${P}${P}"}, "-amazon.titan-text-express-v1:0:8k"]]}"#);
    write(dir.path(), "ok.json", &text);
    let outcome = hostile::run_limited(&["check", "ok.json", "--format", "json"], dir.path());
    let report: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(0), "{report:#}");
    let model = report["throughputs"][0]["model"].as_str().unwrap_or_default();
    assert_eq!(model.len(), 2 * 4096 + "-amazon.titan-text-express-v1:0:8k".len(), "{report:#}");
}

/// A SAM template whose state machine definition is the file `uri`.
fn sam_template(uri: &str) -> String {
    format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    \
         Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: {uri}\n"
    )
}

#[test]
fn a_sam_definition_uri_naming_dev_zero_is_refused_at_the_uri() {
    let dir = tempfile::tempdir().unwrap();
    let text = sam_template("/dev/zero");
    write(dir.path(), "template.yaml", &text);
    let outcome = check_refused(dir.path(), &["template.yaml"]);
    let errors = errors(&outcome);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (file, line, message) = &errors[0];
    assert_eq!((file.as_str(), *line), ("template.yaml", line_of(&text, "DefinitionUri")), "{message}");
    // Outside the repository, so not even looked at.
    assert!(message.starts_with("DefinitionUri `/dev/zero`: outside the repository ("), "{message}");
}

#[cfg(unix)]
#[test]
fn a_sam_definition_uri_linking_to_dev_zero_or_naming_a_fifo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.asl.json")).unwrap();
    let made = std::process::Command::new("mkfifo").arg(dir.path().join("fifo.asl.json")).status();
    assert!(made.is_ok_and(|status| status.success()), "mkfifo");
    for (uri, refusal) in
        [("zero.asl.json", "outside the repository ("), ("fifo.asl.json", "not a regular file (a FIFO)")]
    {
        let text = sam_template(uri);
        write(dir.path(), "template.yaml", &text);
        // Opening a FIFO for reading waits for a writer: without the fix this run is killed at the time limit.
        let outcome = check_refused(dir.path(), &["template.yaml"]);
        let errors = errors(&outcome);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let (file, line, message) = &errors[0];
        assert_eq!((file.as_str(), *line), ("template.yaml", line_of(&text, "DefinitionUri")), "{message}");
        assert!(message.starts_with(&format!("DefinitionUri `{uri}`: {refusal}")), "{message}");
    }
}

#[test]
fn a_cloudwatch_export_named_in_the_config_that_is_dev_zero_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = json_template(8, r#""amazon.titan-text-express-v1:0:8k""#);
    write(dir.path(), "pt.json", &text);
    write(dir.path(), ".ptlint.yaml", "usage:\n  Pt:\n    cloudwatch: /dev/zero\n");
    let outcome = check_refused(dir.path(), &["pt.json"]);
    let errors = errors(&outcome);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (file, line, message) = &errors[0];
    // At the config's line that names it.
    assert_eq!((file.as_str(), *line), (".ptlint.yaml", 3), "{message}");
    // Outside the repository: refused before its type is even asked, as every path a config names.
    assert!(message.contains("cannot read CloudWatch export: `/dev/zero` is outside the repository"), "{message}");
}

#[test]
fn a_cloudwatch_export_linked_outside_the_repository_is_not_read() {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(outer.path().join("secret.json"), r#"{"MetricDataResults": [], "TOKEN": "hunter2"}"#).unwrap();
    std::os::unix::fs::symlink(outer.path().join("secret.json"), repo.join("export.json")).unwrap();
    let text = json_template(8, r#""amazon.titan-text-express-v1:0:8k""#);
    write(&repo, "pt.json", &text);
    write(&repo, ".ptlint.yaml", "usage:\n  Pt:\n    cloudwatch: export.json\n");
    let outcome = check_refused(&repo, &["pt.json"]);
    assert!(outcome.all_output().contains("is outside the repository"), "{}", outcome.all_output());
    assert!(!outcome.all_output().contains("hunter2"));
}

/// Outside a git tree the repository is the working directory when the named file lies inside it, as for every
/// other name an input writes: a usage file in `usage/` may name an export in `metrics/`, but not one outside.
#[test]
fn outside_a_git_tree_a_cloudwatch_export_across_the_working_directory_is_read_and_one_beyond_it_is_not() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("checkout");
    let export = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/commitment-without-usage-evidence/pass/metrics/summarizer-tokens.json"),
    )
    .unwrap();
    write(&dir, "metrics/tokens.json", &export);
    write(outer.path(), "secret.json", r#"{"TOKEN": "hunter2"}"#);
    write(&dir, "pt.json", &json_template(8, r#""amazon.titan-text-express-v1:0:8k""#));
    write(&dir, "usage/across.yaml", "Pt:\n  cloudwatch: ../metrics/tokens.json\n");
    write(&dir, "usage/beyond.yaml", "Pt:\n  cloudwatch: ../../secret.json\n");
    let across = hostile::run_limited(&["check", "pt.json", "--usage", "usage/across.yaml", "-f", "json"], &dir);
    let report: serde_json::Value = serde_json::from_str(&across.stdout).unwrap();
    assert_eq!(report["errors"], serde_json::json!([]), "{}", across.all_output());
    let beyond = check_refused(&dir, &["pt.json", "--usage", "usage/beyond.yaml"]);
    let errors = errors(&beyond);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].2.contains("`usage/../../secret.json` is outside the repository"), "{errors:?}");
    assert!(!beyond.all_output().contains("hunter2"));
}

#[cfg(unix)]
#[test]
fn a_cdk_manifest_linking_to_dev_zero_is_refused_and_the_stack_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = json_template(8, r#""amazon.titan-text-express-v1:0:8k""#);
    write(dir.path(), "cdk.out/Chat.template.json", &text);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("cdk.out/manifest.json")).unwrap();
    let outcome = check_refused(dir.path(), &["cdk.out/Chat.template.json"]);
    let errors = errors(&outcome);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (file, _, message) = &errors[0];
    assert_eq!(file, "cdk.out/manifest.json", "{message}");
    assert!(message.starts_with("outside the repository ("), "{message}");
    assert!(message.ends_with("(the CDK manifest, read for the region of cdk.out/Chat.template.json)"), "{message}");
    let report: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(report["throughputs"].as_array().map(Vec::len), Some(1), "{report:#}");
}

#[cfg(unix)]
#[test]
fn a_cdk_manifest_that_is_a_fifo_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let text = json_template(8, r#""amazon.titan-text-express-v1:0:8k""#);
    write(dir.path(), "cdk.out/Chat.template.json", &text);
    let made = std::process::Command::new("mkfifo").arg(dir.path().join("cdk.out/manifest.json")).status();
    assert!(made.is_ok_and(|status| status.success()), "mkfifo");
    let outcome = check_refused(dir.path(), &["cdk.out/Chat.template.json"]);
    let errors = errors(&outcome);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "cdk.out/manifest.json");
    assert!(errors[0].2.starts_with("not a regular file (a FIFO); not read (the CDK manifest"), "{errors:?}");
}

#[test]
fn a_sam_definition_uri_outside_the_repository_is_refused_and_never_printed() {
    let outside = tempfile::tempdir().unwrap();
    let secret = "{\"States\": {\"SECRET-VALUE\": {}}}";
    write(outside.path(), "secret.json", secret);
    let dir = tempfile::tempdir().unwrap();
    let uri = outside.path().join("secret.json");
    let text = sam_template(uri.to_str().unwrap());
    write(dir.path(), "template.yaml", &text);
    let outcome = check_refused(dir.path(), &["template.yaml"]);
    assert!(!outcome.all_output().contains("SECRET-VALUE"), "{}", outcome.all_output());
    let errors = errors(&outcome);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].1, line_of(&text, "DefinitionUri"));
    assert!(errors[0].2.contains("outside the repository ("), "{errors:?}");
}
