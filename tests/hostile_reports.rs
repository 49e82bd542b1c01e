//! What ptlint prints from a stranger's input: no workflow command, no terminal control, no live Markdown, and a
//! human report whose time grows with the findings, not with findings times file size.
//!
//! Every input format that can carry a name (CloudFormation YAML and JSON, `.tf`, a plan's JSON, the file names
//! themselves) carries the same hostile text, and every report that people or the Actions runner read is checked.

#[path = "support/hostile.rs"]
mod hostile;

use std::path::Path;

/// Breaks the line and starts workflow commands (the runner reads `\r` as a line break too, and the older
/// `##[command]` form anywhere in a line).
const COMMANDS: &str = "\n::error::injected\r\n::add-mask::secret\r::warning::lone-cr ##[error]legacy";
/// A workflow command with no control character, for where a name starts a line (the first column of a
/// table, an input error's path).
const FIRST_COLUMN: &str = "::error::first-column";
/// Clears the screen and rings the bell.
const TERMINAL: &str = "\u{1b}[2J\u{1b}]0;title\u{7}";
/// Closes a code span and brings a link, an image, a mention, a heading and an HTML comment.
const MARKDOWN: &str = "` [x](http://evil) ![i](http://evil/i.png) @octocat <!-- \n# No findings `` ```";

fn payload() -> String {
    format!("{COMMANDS}{TERMINAL} {MARKDOWN}")
}

/// A JSON string literal, which is also a YAML double-quoted scalar and (without `${`/`%{`) an HCL string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// One project with the payload in a logical ID and a model ID (CloudFormation YAML and JSON), a `for_each` key
/// and a model ID (`.tf`), a resource address and a model ID (a plan), and in file names, one of which cannot
/// be parsed and one whose error quotes the input.
fn hostile_project(dir: &Path) {
    let p = payload();
    let model = format!("amazon.titan-text-express-v1:0:8k{p}");
    let yaml = format!(
        "Resources:\n  {}:\n    Type: Custom::ProvisionedThroughput\n    Properties:\n      ServiceToken: arn:aws:lambda:us-east-1:1:function:p\n      ModelId: {}\n      ModelUnits: 1\n",
        quoted(&format!("Yaml{p}")),
        quoted(&model)
    );
    let yaml = format!("{yaml}  {}:\n    Type: Custom::ProvisionedThroughput\n    Properties:\n      ServiceToken: x\n      ModelId: amazon.nova-pro-v1:0:24k\n      ModelUnits: 1\n", quoted(FIRST_COLUMN));
    std::fs::write(dir.join("stack.yaml"), yaml).unwrap();
    // Units from a parameter without a default: the name comes back in what to supply.
    let parameter = quoted(&format!("Units{p}"));
    let units = format!(
        "Parameters:\n  {parameter}:\n    Type: Number\nResources:\n  Units:\n    Type: Custom::ProvisionedThroughput\n    Properties:\n      ServiceToken: x\n      ModelId: amazon.titan-text-express-v1:0:8k\n      ModelUnits: {{Ref: {parameter}}}\n"
    );
    std::fs::write(dir.join("units.yaml"), units).unwrap();
    let json = serde_json::json!({"Resources": {format!("Json{p}"): {
        "Type": "Custom::ProvisionedThroughput",
        "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:1:function:p", "ModelId": model, "ModelUnits": 2}
    }}});
    std::fs::write(dir.join("stack.json"), serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let tf = format!(
        "provider \"aws\" {{\n  region = \"us-east-1\"\n}}\n\nresource \"aws_bedrock_provisioned_model_throughput\" \"tf\" {{\n  for_each               = toset([{}])\n  provisioned_model_name = \"n\"\n  model_arn              = {}\n  model_units            = 1\n}}\n",
        quoted(&format!("key{p}")),
        quoted(&model)
    );
    std::fs::create_dir(dir.join("tf")).unwrap();
    std::fs::write(dir.join("tf/main.tf"), tf).unwrap();
    let key = format!("plan{p}");
    let address = format!("aws_bedrock_provisioned_model_throughput.p[{}]", quoted(&key));
    let values = serde_json::json!({"model_arn": model, "model_units": 1, "provisioned_model_name": "p",
        "commitment_duration": null});
    let plan = serde_json::json!({
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "planned_values": {"root_module": {"resources": [{
            "address": address, "mode": "managed", "type": "aws_bedrock_provisioned_model_throughput",
            "name": "p", "index": key, "provider_name": "registry.terraform.io/hashicorp/aws",
            "schema_version": 0, "values": values}]}},
        "resource_changes": [{
            "address": address, "mode": "managed", "type": "aws_bedrock_provisioned_model_throughput",
            "name": "p", "index": key, "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": null, "after": values, "after_unknown": {}}}],
        "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}}},
            "root_module": {}}
    });
    std::fs::write(dir.join("hostile.plan.json"), serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    // File names: one with a PT, one that does not parse, one whose error quotes a value.
    std::fs::write(dir.join(format!("named{COMMANDS}{TERMINAL}.yaml")), "Resources:\n  Named:\n    Type: Custom::ProvisionedThroughput\n    Properties:\n      ServiceToken: arn:aws:lambda:us-east-1:1:function:p\n      ModelId: amazon.titan-text-express-v1:0:8k\n      ModelUnits: 1\n").unwrap();
    let broken = "Resources:\n  Broken:\n    Type: Custom::BedrockThroughput\n    Properties:\n      ModelId: [a\n      ModelUnits: 1\n";
    std::fs::write(dir.join(format!("broken{COMMANDS}.yaml")), broken).unwrap();
    std::fs::write(dir.join(format!("{FIRST_COLUMN}.yaml")), broken).unwrap();
    let version = serde_json::json!({"format_version": format!("2.0{p}"), "planned_values": {"root_module": {"resources": [
        {"address": "aws_bedrock_provisioned_model_throughput.x", "type": "aws_bedrock_provisioned_model_throughput"}]}}});
    std::fs::write(dir.join("version.plan.json"), version.to_string()).unwrap();
}

/// Every report people or the runner read: `check` in human, Markdown and GitHub formats, `cost` as a table
/// and as Markdown (both with the plan's cost change), and the JSON documents that end up in logs too.
const REPORTS: [&[&str]; 9] = [
    &["check", ".", "--color", "never"],
    &["check", ".", "--format", "markdown"],
    &["check", ".", "--format", "github"],
    &["cost", ".", "--format", "table"],
    &["cost", ".", "--format", "markdown"],
    // JSON and SARIF escape control characters themselves; they are checked for the `##[` form.
    &["check", ".", "--format", "json"],
    &["check", ".", "--format", "sarif"],
    &["cost", ".", "--format", "json"],
    &["facts", "."],
];

/// Runs every report on the hostile project; each must end as a run with an input error does (exit 2).
fn hostile_reports() -> Vec<(String, hostile::Outcome)> {
    let dir = tempfile::tempdir().unwrap();
    hostile_project(dir.path());
    REPORTS
        .iter()
        .map(|args| {
            let outcome = hostile::run_limited(args, dir.path());
            outcome.assert_code(2);
            (args.join(" "), outcome)
        })
        .collect()
}

/// Lines as the Actions runner reads them: broken at `\n`, `\r\n` and a lone `\r`.
fn runner_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r'])
}

/// A workflow command ptlint writes itself: an annotation with properties, or the cost-change notice.
fn own_command(line: &str) -> bool {
    ["::error file=", "::warning file=", "::notice file=", "::notice title=", "::error title="]
        .iter()
        .any(|prefix| line.starts_with(prefix))
}

#[test]
fn no_name_from_the_input_starts_a_workflow_command() {
    for (report, outcome) in hostile_reports() {
        // The payload must reach the report (escaped), or the test would prove nothing.
        assert!(outcome.all_output().contains("::error::injected"), "{report}: payload missing\n{}", outcome.stdout);
        assert!(outcome.all_output().contains("first-column"), "{report}: payload missing\n{}", outcome.stdout);
        assert!(!outcome.all_output().contains("##["), "{report}: a legacy command\n{}", outcome.all_output());
        for line in runner_lines(&outcome.all_output()) {
            let command = line.trim_start();
            assert!(
                !command.starts_with("::") || own_command(command),
                "{report}: a line runs a workflow command from the input: {line:?}\n{}",
                outcome.all_output()
            );
        }
    }
}

#[test]
fn no_control_byte_from_the_input_reaches_the_terminal_or_the_log() {
    for (report, outcome) in hostile_reports() {
        let output = outcome.all_output();
        assert!(output.contains("[2J"), "{report}: payload missing\n{output}");
        for byte in ['\u{1b}', '\u{7}', '\r'] {
            assert!(!output.contains(byte), "{report}: raw {byte:?} in the output\n{output:?}");
        }
        let escaped = output.contains("\\u{1b}[2J") || output.contains("\\u001b[2J");
        assert!(escaped, "{report}: ESC not shown as an escape\n{output}");
    }
}

/// The HTML a CommonMark renderer (with GitHub's tables) makes of `markdown`, with every code element
/// removed: what is left is what the reader sees as live Markdown.
fn live_html(markdown: &str) -> (String, String) {
    let options = pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(markdown, options));
    let mut live = String::new();
    let mut rest = html.as_str();
    while let Some(open) = rest.find("<code") {
        live.push_str(&rest[..open]);
        match rest[open..].find("</code>") {
            Some(close) => rest = &rest[open + close + "</code>".len()..],
            None => {
                rest = "";
            }
        }
    }
    live.push_str(rest);
    (html, live)
}

#[test]
fn markdown_shows_input_as_text_and_renders_no_live_element_from_it() {
    for (report, outcome) in hostile_reports().into_iter().filter(|(report, _)| report.contains("markdown")) {
        let (html, live) = live_html(&outcome.stdout);
        // The rules' own documentation links are the only links the report makes.
        let live = live.replace("<a href=\"https://github.com/ptlint/ptlint/blob/main/rules/", "");
        assert!(html.contains("@octocat"), "{report}: payload missing\n{html}");
        for element in ["<a ", "<img", "<!--", "<h1", "<h4", "http://evil", "@octocat", "No findings</h"] {
            let at = live.find(element).map(|i| &live[i.saturating_sub(40)..(i + 200).min(live.len())]);
            assert!(at.is_none(), "{report}: `{element}` is live in: {at:?}\n{}\n{html}", outcome.stdout);
        }
        // The report's own structure survives: its headings and its tables.
        assert!(html.contains("<h2>ptlint"), "{report}\n{html}");
        assert!(html.contains("<table>"), "{report}\n{html}");
    }
}

/// A plan of `count` PTs, pretty-printed (one per few lines), none priced: each brings findings.
fn plan_of(count: usize) -> String {
    let resources: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            serde_json::json!({
                "address": format!("aws_bedrock_provisioned_model_throughput.p{i}"), "mode": "managed",
                "type": "aws_bedrock_provisioned_model_throughput", "name": format!("p{i}"),
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": null, "after": {
                    "model_arn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k",
                    "model_units": 1, "provisioned_model_name": format!("p{i}"), "commitment_duration": null},
                    "after_unknown": {}}
            })
        })
        .collect();
    let plan = serde_json::json!({"format_version": "1.2", "terraform_version": "1.11.0",
        "resource_changes": resources,
        "configuration": {"provider_config": {"aws": {"name": "aws",
            "expressions": {"region": {"constant_value": "us-east-1"}}}}, "root_module": {}}});
    serde_json::to_string_pretty(&plan).unwrap()
}

#[test]
fn the_human_report_of_many_findings_in_one_file_ends_within_the_limit() {
    // 1,500 PTs in one file: the human report used to read the file from its start for every finding, and the
    // run was killed at the harness's time limit. Speed itself is measured by bench/gen_report.py, not here.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("big.plan.json"), plan_of(1500)).unwrap();
    let outcome = hostile::run_limited(&["check", ".", "--color", "never"], dir.path());
    outcome.assert_code(1);
    assert!(outcome.stdout.matches("PT005").count() >= 1500, "{}", &outcome.stdout[..2000.min(outcome.stdout.len())]);
}

#[test]
fn a_hostile_project_in_the_human_report() {
    let dir = tempfile::tempdir().unwrap();
    hostile_project(dir.path());
    for name in ["named", "broken", "::", "version.plan.json", "hostile.plan.json", "stack.json", "tf"] {
        remove_starting_with(dir.path(), name);
    }
    let outcome = hostile::run_limited(&["check", ".", "--color", "never"], dir.path());
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("hostile_human", outcome.stdout);
    });
}

#[test]
fn a_hostile_project_in_the_markdown_report() {
    let dir = tempfile::tempdir().unwrap();
    hostile_project(dir.path());
    for name in ["named", "broken", "::", "version.plan.json", "stack.json", "tf"] {
        remove_starting_with(dir.path(), name);
    }
    let outcome = hostile::run_limited(&["check", ".", "--format", "markdown"], dir.path());
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("hostile_markdown", outcome.stdout);
    });
}

fn remove_starting_with(dir: &Path, prefix: &str) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let path = entry.path();
            if path.is_dir() {
                std::fs::remove_dir_all(path).unwrap();
            } else {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
}
