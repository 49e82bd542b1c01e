//! The binary: exit codes, formats, subcommands and error paths as a user meets them.

use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn ptlint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ptlint"))
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A `.tf.json` with one no-commitment Titan Text Lite PT in us-east-1 (published rate $7.10/MU-h).
fn titan_lite_pt(dir: &Path, name: &str, units: u32) -> std::path::PathBuf {
    let file = dir.join(format!("{name}.tf.json"));
    let model = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1:0:4k";
    let text = format!(
        r#"{{"provider": {{"aws": {{"region": "us-east-1"}}}},
            "resource": {{"aws_bedrock_provisioned_model_throughput": {{"{name}": {{
              "provisioned_model_name": "{name}", "model_units": {units}, "model_arn": "{model}"}}}}}}}}"#
    );
    std::fs::write(&file, text).unwrap();
    file
}

const EXAMPLE: [&str; 3] = ["examples/quickstart", "--config", "examples/quickstart/.ptlint.yaml"];

#[test]
fn findings_at_error_level_exit_1_and_fail_on_never_exits_0() {
    let failing = ptlint(&["check", EXAMPLE[0], EXAMPLE[1], EXAMPLE[2]]);
    assert_eq!(code(&failing), 1);
    assert!(stdout(&failing).contains("commitment-outruns-proven-volume"));
    let never = ptlint(&["check", EXAMPLE[0], EXAMPLE[1], EXAMPLE[2], "--fail-on", "never"]);
    assert_eq!(code(&never), 0);
    // `ptlint PATH` is `ptlint check PATH`.
    assert_eq!(code(&ptlint(&[EXAMPLE[0], EXAMPLE[1], EXAMPLE[2]])), 1);
}

#[test]
fn warnings_fail_only_with_fail_on_warning() {
    // The no-commitment base-model PT with a budget has only warnings: PT010 (Titan Text Lite is not in
    // AWS's PT list) and the missing-alarm error, lowered to a warning in config.
    let dir = tempfile::tempdir().unwrap();
    let file = titan_lite_pt(dir.path(), "lite", 1);
    let config = dir.path().join("c.yaml");
    std::fs::write(&config, "budgets:\n  - {name: all, limit: \"100000\"}\npolicy:\n  levels: {PT005: warning}\n")
        .unwrap();
    let args = |fail_on: &'static str| {
        vec![
            file.to_str().unwrap().to_string(),
            "--config".into(),
            config.to_str().unwrap().to_string(),
            "--fail-on".into(),
            fail_on.into(),
        ]
    };
    let run = |fail_on| {
        let a = args(fail_on);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        ptlint(&refs)
    };
    let warning_only = run("error");
    assert_eq!(code(&warning_only), 0, "{}", stdout(&warning_only));
    assert!(stdout(&warning_only).contains("PT005"));
    assert!(stdout(&warning_only).contains("PT010"));
    assert_eq!(code(&run("warning")), 1);
}

#[test]
fn unreadable_input_exits_2_and_other_files_are_still_reported() {
    let output =
        ptlint(&["check", "fixtures/source", "--format", "json", "--config", "fixtures/source/empty.ptlint.yaml"]);
    assert_eq!(code(&output), 2);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["errors"].as_array().unwrap().len(), 3);
    assert_eq!(report["errors"][1]["file"], "fixtures/source/broken/invalid.yaml");
    assert_eq!(report["errors"][1]["line"], 8);
    assert!(report["throughputs"].as_array().unwrap().len() >= 8);
}

#[test]
fn bad_config_is_exit_2_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.yaml");
    std::fs::write(&config, "region: us-east-1\nhours_per_mnth: 744\n").unwrap();
    let output = ptlint(&["check", "examples/quickstart", "--config", config.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.yaml:2:1"), "{stderr}");
    assert!(stderr.contains("hours_per_mnth"), "{stderr}");
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(code(&ptlint(&["check", "--format", "xml"])), 2);
    assert_eq!(code(&ptlint(&["explain", "PT999"])), 2);
    assert_eq!(code(&ptlint(&["check", "no/such/path"])), 2);
}

#[test]
fn json_report_has_the_contract_fields() {
    let output = ptlint(&["check", EXAMPLE[0], EXAMPLE[1], EXAMPLE[2], "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let finding = &report["findings"][0];
    for key in
        ["rule", "name", "level", "file", "line", "column", "end_line", "end_column", "resource", "message", "help"]
    {
        assert!(finding.get(key).is_some(), "finding lacks {key}");
    }
    let chat = report["throughputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["resource"] == "aws_bedrock_provisioned_model_throughput.chat")
        .unwrap();
    assert_eq!(chat["monthly_cost"], "36500.00");
    assert_eq!(chat["hourly_rate"], "25.00");
    assert_eq!(chat["commitment_total"], "219000.00");
    assert_eq!(chat["commitment"], "SixMonths");
    assert_eq!(chat["model_kind"], "foundation");
    assert_eq!(report["summary"]["monthly_cost"], "58108.00");
}

#[test]
fn output_file_and_a_second_sarif_report() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let sarif = dir.path().join("report.sarif");
    let output = ptlint(&[
        "check",
        EXAMPLE[0],
        EXAMPLE[1],
        EXAMPLE[2],
        "--format",
        "json",
        "--output",
        json.to_str().unwrap(),
        "--sarif-file",
        sarif.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 1);
    assert!(output.stdout.is_empty(), "the report went to the file");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(!report["findings"].as_array().unwrap().is_empty());
    let sarif: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn a_report_that_cannot_be_written_is_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir").join("report.out");
    for format in ["json", "human", "sarif"] {
        let output = ptlint(&[
            "check",
            EXAMPLE[0],
            EXAMPLE[1],
            EXAMPLE[2],
            "--format",
            format,
            "--output",
            missing.to_str().unwrap(),
        ]);
        assert_eq!(code(&output), 2, "{format}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("cannot write the report") && stderr.contains("report.out"), "{format}: {stderr}");
    }
}

#[test]
fn rules_explain_and_facts() {
    let rules = ptlint(&["rules"]);
    assert_eq!(code(&rules), 0);
    for code_name in ["PT001", "PT004", "commitment-outruns-proven-volume"] {
        assert!(stdout(&rules).contains(code_name));
    }
    let explain = ptlint(&["explain", "commitment-outruns-proven-volume"]);
    assert_eq!(code(&explain), 0);
    assert!(stdout(&explain).contains("## Why is this bad?"));
    let facts = ptlint(&["facts", EXAMPLE[0], EXAMPLE[1], EXAMPLE[2]]);
    assert_eq!(code(&facts), 0);
    let doc: serde_json::Value = serde_json::from_slice(&facts.stdout).unwrap();
    assert_eq!(doc["policy"]["min_observed_days"]["SixMonths"], 90);
    let chat = doc["throughputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["resource"].as_str().unwrap().ends_with(".chat"))
        .unwrap();
    assert_eq!(chat["usage"]["on_demand_monthly_cost"], "18000.00");
    assert_eq!(chat["usage"]["below_break_even"], true);
}

#[test]
fn usage_file_flag_supplies_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let usage = dir.path().join("usage.yaml");
    std::fs::write(
        &usage,
        "aws_bedrock_provisioned_model_throughput.chat:\n  observed_days: 120\n  monthly_input_tokens: 7000000000\n  monthly_output_tokens: 1400000000\n",
    )
    .unwrap();
    let output = ptlint(&[
        "check",
        "examples/quickstart/chat.plan.json",
        "--config",
        "examples/quickstart/.ptlint.yaml",
        "--usage",
        usage.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(!rules.contains(&"PT004"), "volume above break-even clears PT004: {rules:?}");
    assert!(Path::new(ROOT).join("examples/quickstart/chat.plan.json").exists());
}

#[test]
fn named_files_that_are_not_templates_are_not_errors() {
    // What a pre-commit hook passes: a Helm chart template and a package.json beside a real template.
    let dir = tempfile::tempdir().unwrap();
    let helm = dir.path().join("deployment.yaml");
    std::fs::write(&helm, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }\n").unwrap();
    let package = dir.path().join("package.json");
    std::fs::write(&package, "{\"name\": \"web\",").unwrap();
    let broken = dir.path().join("stack.yaml");
    std::fs::write(&broken, "AWSTemplateFormatVersion: \"2010-09-09\"\nResources: [\n").unwrap();
    let run = |files: &[&Path]| {
        let mut args = vec!["check", "--config", "fixtures/source/empty.ptlint.yaml", "--format", "json"];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        ptlint(&args)
    };
    let output = run(&[&helm, &package]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    // A file that is meant as a template and does not parse is still an input error.
    let output = run(&[&helm, &package, &broken]);
    assert_eq!(code(&output), 2);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"].as_array().unwrap().len(), 1);
    assert!(report["errors"][0]["file"].as_str().unwrap().ends_with("stack.yaml"));
}

#[test]
fn named_templates_without_bedrock_are_still_checked_for_errors() {
    // What a pre-commit hook names in a repository of ordinary stacks: templates the prefilter finds nothing in.
    // A well-formed one counts as parsed and adds nothing; a broken one is an input error at its place.
    let dir = tempfile::tempdir().unwrap();
    let fine = dir.path().join("queue.yaml");
    std::fs::write(
        &fine,
        "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n",
    )
    .unwrap();
    let not_a_template = dir.path().join("values.yaml");
    std::fs::write(&not_a_template, "replicas: 2\nimage: web\n").unwrap();
    let duplicate = dir.path().join("bucket.yaml");
    std::fs::write(
        &duplicate,
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Bucket:\n    Type: AWS::S3::Bucket\n",
    )
    .unwrap();
    let run = |files: &[&Path]| {
        let mut args = vec!["check", "--config", "fixtures/source/empty.ptlint.yaml", "--format", "json"];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        let output = ptlint(&args);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        (code(&output), report)
    };
    let (exit, report) = run(&[&fine, &not_a_template]);
    assert_eq!(exit, 0, "{report}");
    assert_eq!(report["summary"]["files_scanned"], 2);
    assert_eq!(report["summary"]["files_parsed"], 1, "the template, not the values file");
    let (exit, report) = run(&[&fine, &not_a_template, &duplicate]);
    assert_eq!(exit, 2);
    assert_eq!(report["errors"].as_array().unwrap().len(), 1, "{report}");
    let error = &report["errors"][0];
    assert!(error["file"].as_str().unwrap().ends_with("bucket.yaml"));
    assert_eq!((error["line"].as_u64(), error["column"].as_u64()), (Some(4), Some(3)));
    assert_eq!(error["message"], "duplicate mapping key \"Bucket\" (first at line 2, column 3)");
}

#[test]
fn user_rules_from_a_directory_run_over_the_same_facts() {
    let dir = tempfile::tempdir().unwrap();
    let file = titan_lite_pt(dir.path(), "big", 8);
    let args = [
        "check",
        file.to_str().unwrap(),
        "--rules",
        "examples/rules",
        "--config",
        "fixtures/source/empty.ptlint.yaml",
        "--format",
        "json",
        "--fail-on",
        "never",
    ];
    let report: serde_json::Value = serde_json::from_slice(&ptlint(&args).stdout).unwrap();
    let acme = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "ACME001").expect("user rule fired");
    assert_eq!(acme["level"], "warning");
    assert_eq!(
        acme["message"],
        "`aws_bedrock_provisioned_model_throughput.big` reserves 8 model units ($41,464.00/month)"
    );
    let explained = ptlint(&["explain", "too-many-model-units", "--rules", "examples/rules"]);
    assert!(stdout(&explained).contains("capacity review"));
}

#[test]
fn unreadable_usage_evidence_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("ptlint.yaml");
    std::fs::write(
        &config,
        "usage:\n  aws_bedrock_provisioned_model_throughput.chat:\n    cloudwatch: metrics/missing.json\n",
    )
    .unwrap();
    let output = ptlint(&[
        "check",
        "examples/quickstart/chat.plan.json",
        "--config",
        config.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&output), 2);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let error = &report["errors"][0];
    // At the config's line that names the export, and naming the export.
    assert_eq!(error["file"].as_str().unwrap(), config.to_str().unwrap(), "{error}");
    assert_eq!((error["line"].as_u64(), error["column"].as_u64()), (Some(3), Some(17)), "{error}");
    let message = error["message"].as_str().unwrap();
    assert!(message.starts_with("usage evidence for `aws_bedrock_provisioned_model_throughput.chat`"), "{message}");
    assert!(message.contains("cannot read CloudWatch export: `"), "{message}");
    assert!(message.contains("metrics/missing.json` cannot be read"), "{message}");
    // The PT is still checked.
    assert_eq!(report["throughputs"].as_array().unwrap().len(), 1);
}

/// In a `--usage` file too, an export that cannot be read is an error at the line that names it; an export that
/// was read but is not valid JSON is the export's own error, at its line and column.
#[test]
fn a_usage_files_unreadable_export_is_reported_where_it_is_named_and_a_broken_one_where_it_breaks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("usage")).unwrap();
    std::fs::write(dir.path().join("usage/broken.json"), "{\n  \"MetricDataResults\": [,]\n}\n").unwrap();
    let usage = "usage:\n  aws_bedrock_provisioned_model_throughput.chat:\n    cloudwatch:\n      - broken.json\n";
    let check = |usage_text: &str| {
        std::fs::write(dir.path().join("usage/usage.yaml"), usage_text).unwrap();
        let path = dir.path().join("usage/usage.yaml");
        let args = ["check", "examples/quickstart/chat.plan.json", "--usage", path.to_str().unwrap(), "-f", "json"];
        let output = ptlint(&args);
        assert_eq!(code(&output), 2);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["errors"].as_array().map(Vec::len), Some(1), "{report}");
        let error = &report["errors"][0];
        let file = error["file"].as_str().unwrap().to_string();
        (file, error["line"].as_u64().unwrap(), error["column"].as_u64().unwrap(), error["message"].to_string())
    };
    let (file, line, column, message) = check(&usage.replace("broken.json", "missing.json"));
    assert!(file.ends_with("usage/usage.yaml"), "{file}");
    assert_eq!((line, column), (4, 9), "{message}");
    assert!(message.contains("usage/missing.json` cannot be read"), "{message}");
    let (file, line, column, message) = check(usage);
    assert!(file.ends_with("usage/broken.json"), "{file}");
    assert_eq!((line, column), (2, 25), "{message}");
    assert!(message.contains("not valid JSON"), "{message}");
}

/// `--as-of DATE` is the day the run judges by: a config suppression that expires on 2026-01-31 still applies on
/// that day and lapses the day after, whatever the machine's clock says; a malformed date is a usage error.
#[test]
fn as_of_sets_the_day_suppressions_expire_against() {
    let dir = tempfile::tempdir().unwrap();
    let pt = titan_lite_pt(dir.path(), "lite", 1);
    let config = dir.path().join(".ptlint.yaml");
    std::fs::write(
        &config,
        "ignore:\n  - rule: PT005\n    resource: aws_bedrock_provisioned_model_throughput.lite\n    reason: watched elsewhere\n    expires: 2026-01-31\n",
    )
    .unwrap();
    let run = |date: &str| {
        let output = ptlint(&[
            "check",
            pt.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--format",
            "json",
            "--as-of",
            date,
        ]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json report");
        let rules: Vec<String> =
            report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect();
        rules
    };
    let on_the_day = run("2026-01-31");
    assert!(!on_the_day.contains(&"PT005".to_string()), "{on_the_day:?}");
    let day_after = run("2026-02-01");
    assert!(day_after.contains(&"PT005".to_string()), "{day_after:?}");
    let bad = ptlint(&["check", pt.to_str().unwrap(), "--as-of", "2026-02-30"]);
    assert_eq!(code(&bad), 2);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a date as YYYY-MM-DD"));
}

/// `--json-file` and `--markdown-file` write, from the same run, exactly what `--format json` and
/// `--format markdown` print (with the same cost change).
#[test]
fn json_and_markdown_files_match_their_formats() {
    let dir = tempfile::tempdir().unwrap();
    let (json_file, markdown_file) = (dir.path().join("r.json"), dir.path().join("r.md"));
    let base = ["check", "fixtures/diff/cfn/after", "--compare-to", "fixtures/diff/cfn/before", "--fail-on", "never"];
    let run = ptlint(
        &[
            &base[..],
            &["--format", "github", "--json-file", json_file.to_str().unwrap()],
            &["--markdown-file", markdown_file.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(code(&run), 0);
    assert!(stdout(&run).contains("::notice title=ptlint cost change::"));
    let json = ptlint(&[&base[..], &["--format", "json"]].concat());
    let markdown = ptlint(&[&base[..], &["--format", "markdown"]].concat());
    assert_eq!(std::fs::read_to_string(&json_file).unwrap(), stdout(&json));
    assert_eq!(std::fs::read_to_string(&markdown_file).unwrap(), stdout(&markdown));
    assert!(stdout(&markdown).contains("### Cost change"));
}

/// `--as-of DATE` judges model lifecycle too: Llama 3.2 (end of life 2026-07-07) is fine before it is Legacy,
/// refused for a new PT while Legacy, and past end of life after; the facts carry the date the run judged by.
#[test]
fn as_of_decides_whether_a_model_is_retired() {
    let pt = "fixtures/model-retired/fail/llama_3_2_past_end_of_life.yaml";
    let run = |date: &str| {
        let output = ptlint(&["check", pt, "--format", "json", "--as-of", date, "--select", "PT011"]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json report");
        let messages: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{} {}", f["level"].as_str().unwrap(), f["message"].as_str().unwrap()))
            .collect();
        (code(&output), messages)
    };
    assert_eq!(run("2025-12-01"), (0, vec![]));
    let (exit, legacy) = run("2026-03-01");
    assert_eq!(exit, 1);
    assert!(legacy[0].starts_with("error ") && legacy[0].contains("is Legacy on 2026-03-01"), "{legacy:?}");
    let (exit, gone) = run("2026-07-07");
    assert_eq!(exit, 1);
    assert!(gone[0].contains("reached end of life on 2026-07-07"), "{gone:?}");
    let facts = ptlint(&["facts", pt, "--as-of", "2026-07-07"]);
    let facts: serde_json::Value = serde_json::from_slice(&facts.stdout).expect("facts json");
    assert_eq!(facts["policy"]["as_of"], "2026-07-07");
    assert_eq!(facts["throughputs"][0]["lifecycle"]["state"], "end_of_life");
}

/// A PT on an imported model (Custom Model Import) cannot exist: AWS refuses it (PT008), and no rule asks for a
/// budget, usage evidence or an alarm for it.
#[test]
fn an_imported_model_pt_is_reported_only_as_refused() {
    for file in [
        "fixtures/invalid-throughput/fail/imported_model.json",
        "fixtures/invalid-throughput/fail/imported_model.plan.json",
    ] {
        let output = ptlint(&["check", file, "--no-project-context", "--format", "json", "--as-of", "2024-10-04"]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json report");
        let rules: Vec<&str> =
            report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
        assert_eq!(rules, ["PT008"], "{file}");
    }
}

/// An unpriced PT's cost report says what is missing and how to supply it: a parameter's default where the
/// units are unknown (no `pricing:` entry, which would not price it), the `pricing:` entry where the rate is.
#[test]
fn cost_report_says_how_to_supply_what_is_unknown() {
    let units = ptlint(&["cost", "fixtures/unpriced-throughput/fail/units_from_parameter.yaml"]);
    let text = stdout(&units);
    assert!(text.contains("    the number of model units is not known (it is `!Ref Units`)\n"), "{text}");
    assert!(
        text.contains(
            "    To price it, give template parameter `Units` a `Default` (ptlint reads parameter defaults)\n"
        ),
        "{text}"
    );
    assert!(!text.contains("pricing:"), "a rate would not price it: {text}");
    let json = ptlint(&["cost", "-f", "json", "fixtures/unpriced-throughput/fail/units_from_parameter.yaml"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let entry = &value["unpriced"][0];
    assert_eq!(entry["supply"], "give template parameter `Units` a `Default` (ptlint reads parameter defaults)");
    assert_eq!(entry["config_snippet"], serde_json::Value::Null);
    assert_eq!(value["throughputs"][0]["unpriced_supply"], entry["supply"]);
    let rate = ptlint(&["cost", "fixtures/unpriced-throughput/fail/claude_no_rate.yaml"]);
    let text = stdout(&rate);
    assert!(text.contains("    To price it, add to `.ptlint.yaml`:\n"), "{text}");
    assert!(text.contains("provisioned_hourly:"), "{text}");
    // A priced PT has no reason and no supply.
    let priced =
        ptlint(&["check", "-f", "json", "fixtures/missing-utilization-alarm/fail/units_from_parameter_default.yaml"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&priced)).unwrap();
    assert_eq!(value["throughputs"][0]["monthly_cost"], "14965.00");
    assert!(value["throughputs"][0].get("unpriced_supply").is_none(), "{value}");
    let pt005 = value["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "PT005").unwrap();
    assert_eq!(
        pt005["message"],
        "no CloudWatch alarm watches the utilization of `SummarizerThroughput`, so idle capacity at $14,965.00/month goes unnoticed"
    );
}
