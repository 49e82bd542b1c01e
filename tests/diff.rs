//! `--compare-to` and plan arithmetic as a user meets them: exact money in JSON, and JSON and Markdown snapshots
//! for every kind of change in CloudFormation, `.tf.json` and plan JSON (fixtures/diff/README.md has the sums).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn ptlint_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ptlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn ptlint(args: &[&str]) -> Output {
    ptlint_in(Path::new(ROOT), args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(output), String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(&stdout(output)).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, text);
    });
}

/// (resource, change, monthly change) of every entry of a `diff`.
fn entries(diff: &Value) -> Vec<(String, String, Value)> {
    diff["throughputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["resource"].as_str().unwrap().to_string(),
                e["change"].as_str().unwrap().to_string(),
                e["monthly_cost_change"].clone(),
            )
        })
        .collect()
}

fn row(resource: &str, change: &str, money: Option<&str>) -> (String, String, Value) {
    (resource.to_string(), change.to_string(), money.map_or(Value::Null, |m| Value::String(m.to_string())))
}

/// The totals of a `diff` that a reviewer reads: monthly and committed, before, after and change.
fn totals(diff: &Value) -> [&str; 6] {
    [
        "monthly_cost_before",
        "monthly_cost_after",
        "monthly_cost_change",
        "commitment_total_before",
        "commitment_total_after",
        "commitment_total_change",
    ]
    .map(|key| diff[key].as_str().unwrap_or_else(|| panic!("{key} in {diff}")))
}

const CFN: [&str; 5] = ["cost", "fixtures/diff/cfn/after", "--compare-to", "fixtures/diff/cfn/before", "--format"];

#[test]
fn cloudformation_every_kind_of_change() {
    let report = json(&ptlint(&[&CFN[..], &["json"]].concat()));
    let diff = &report["diff"];
    assert_eq!(totals(diff), ["43946.00", "51173.00", "7227.00", "13432.00", "69496.00", "56064.00"]);
    assert_eq!((diff["unpriced_before"].as_u64(), diff["unpriced_after"].as_u64()), (Some(1), Some(1)));
    assert_eq!(diff["unknown_change"], 1);
    assert_eq!(
        entries(diff),
        vec![
            row("ChatThroughput", "changed", Some("10366.00")),
            row("LegacyThroughput", "removed", Some("-5183.00")),
            row("MysteryThroughput", "changed", None),
            row("NewThroughput", "added", Some("4672.00")),
            row("StableThroughput", "unchanged", Some("0.00")),
            row("SummaryThroughput", "changed", Some("-2628.00")),
        ]
    );
    let summary = &diff["throughputs"][5];
    assert_eq!(summary["changed"], serde_json::json!(["commitment"]));
    assert_eq!(summary["commitment_total_change"], "51392.00");
    assert_eq!(summary["file"], "fixtures/diff/cfn/after/stack.yaml");
    snapshot("diff_cfn_json", &serde_json::to_string_pretty(diff).unwrap());
    snapshot("diff_cfn_markdown", &stdout(&ptlint(&[&CFN[..], &["markdown"]].concat())));
    snapshot("diff_cfn_table", &stdout(&ptlint(&[&CFN[..], &["table"]].concat())));
}

#[test]
fn tf_json_model_change_and_rename() {
    let args = ["cost", "fixtures/diff/tf-json/after", "--compare-to", "fixtures/diff/tf-json/before", "--format"];
    let report = json(&ptlint(&[&args[..], &["json"]].concat()));
    let diff = &report["diff"];
    assert_eq!(totals(diff), ["37230.00", "47012.00", "9782.00", "26864.00", "26864.00", "0.00"]);
    let prefix = "aws_bedrock_provisioned_model_throughput.";
    assert_eq!(
        entries(diff),
        vec![
            row(&format!("{prefix}batch"), "unchanged", Some("0.00")),
            row(&format!("{prefix}chat"), "changed", Some("9782.00")),
            row(&format!("{prefix}new_name"), "added", Some("5183.00")),
            row(&format!("{prefix}old_name"), "removed", Some("-5183.00")),
        ]
    );
    assert_eq!(diff["throughputs"][1]["changed"], serde_json::json!(["model"]));
    snapshot("diff_tf_json_json", &serde_json::to_string_pretty(diff).unwrap());
    snapshot("diff_tf_json_markdown", &stdout(&ptlint(&[&args[..], &["markdown"]].concat())));
}

#[test]
fn hcl_for_each_instances_and_a_term_change() {
    let args = ["cost", "fixtures/diff/tf-hcl/after", "--compare-to", "fixtures/diff/tf-hcl/before", "--format"];
    let report = json(&ptlint(&[&args[..], &["json"]].concat()));
    let diff = &report["diff"];
    assert_eq!(totals(diff), ["34164.00", "41902.00", "7738.00", "13432.00", "64824.00", "51392.00"]);
    let t = "aws_bedrock_provisioned_model_throughput.";
    assert_eq!(
        entries(diff),
        vec![
            row(&format!("{t}summary"), "changed", Some("-2628.00")),
            row(&format!("{t}team[\"batch\"]"), "unchanged", Some("0.00")),
            row(&format!("{t}team[\"chat\"]"), "changed", Some("10366.00")),
            row(&format!("{t}team[\"legacy\"]"), "removed", Some("-5183.00")),
            row(&format!("{t}team[\"search\"]"), "added", Some("5183.00")),
        ]
    );
    snapshot("diff_tf_hcl_json", &serde_json::to_string_pretty(diff).unwrap());
    snapshot("diff_tf_hcl_markdown", &stdout(&ptlint(&[&args[..], &["markdown"]].concat())));
}

#[test]
fn plan_prior_state_is_the_before() {
    let report = json(&ptlint(&["cost", "fixtures/diff/plan", "--format", "json"]));
    let diff = &report["diff"];
    assert_eq!(diff["base"], "the plan's prior state");
    assert_eq!(totals(diff), ["25404.00", "54312.00", "28908.00", "4672.00", "13432.00", "8760.00"]);
    let t = "aws_bedrock_provisioned_model_throughput.";
    assert_eq!(
        entries(diff),
        vec![
            // Replace: the old 2-unit PT is removed and the new 4-unit one added.
            row(&format!("{t}chat"), "removed", Some("-10366.00")),
            row(&format!("{t}chat"), "added", Some("20732.00")),
            row(&format!("{t}fresh"), "added", Some("14965.00")),
            row(&format!("{t}gone"), "removed", Some("-5183.00")),
            row(&format!("{t}mystery"), "added", None),
            row(&format!("{t}steady"), "unchanged", Some("0.00")),
            // Update: the difference counts.
            row(&format!("{t}tuned"), "changed", Some("8760.00")),
        ]
    );
    assert_eq!(diff["added_monthly_cost"], "44457.00");
    assert_eq!(diff["removed_monthly_cost"], "15549.00");
    // The cost totals agree: a replacement's old PT is a removal.
    assert_eq!(report["totals"]["added_monthly_cost"], "44457.00");
    assert_eq!(report["totals"]["removed_monthly_cost"], "15549.00");
    snapshot("diff_plan_json", &serde_json::to_string_pretty(diff).unwrap());
    snapshot("diff_plan_markdown", &stdout(&ptlint(&["cost", "fixtures/diff/plan", "--format", "markdown"])));
}

#[test]
fn a_plan_compares_with_a_plan_of_the_base_revision() {
    let args = ["cost", "fixtures/diff/plan/plan.json", "--compare-to", "fixtures/diff/plan-base.json", "--format"];
    let diff = json(&ptlint(&[&args[..], &["json"]].concat()))["diff"].clone();
    // The same totals as the plan's own prior state gives; between two plans a replacement is one changed PT.
    assert_eq!(totals(&diff), ["25404.00", "54312.00", "28908.00", "4672.00", "13432.00", "8760.00"]);
    let t = "aws_bedrock_provisioned_model_throughput.";
    assert_eq!(
        entries(&diff),
        vec![
            row(&format!("{t}chat"), "changed", Some("10366.00")),
            row(&format!("{t}fresh"), "added", Some("14965.00")),
            row(&format!("{t}gone"), "removed", Some("-5183.00")),
            row(&format!("{t}mystery"), "added", None),
            row(&format!("{t}steady"), "unchanged", Some("0.00")),
            row(&format!("{t}tuned"), "changed", Some("8760.00")),
        ]
    );
    snapshot("diff_plan_vs_plan_markdown", &stdout(&ptlint(&[&args[..], &["markdown"]].concat())));
}

#[test]
fn check_reports_the_change_in_json_and_markdown() {
    let args = ["check", "fixtures/diff/cfn/after", "--compare-to", "fixtures/diff/cfn/before", "--fail-on", "never"];
    let report = json(&ptlint(&[&args[..], &["--format", "json"]].concat()));
    assert_eq!(report["diff"]["monthly_cost_change"], "7227.00");
    let markdown = stdout(&ptlint(&[&args[..], &["--format", "markdown"]].concat()));
    assert!(markdown.contains("**This change adds $7,227.00/month of standing Bedrock capacity"), "{markdown}");
    let human = stdout(&ptlint(&args));
    assert!(human.contains("This change adds $7,227.00/month"), "{human}");
    let github = stdout(&ptlint(&[&args[..], &["--format", "github"]].concat()));
    assert!(github.starts_with("::notice title=ptlint cost change::This change adds $7,227.00/month"), "{github}");
    // The unpriced PT's cost change is left out, and a notice per side says what is missing and how to supply it.
    assert!(github.contains("unknown (unpriced: the notices below say what is missing)."), "{github}");
    assert!(
        github.contains(
            "::notice title=ptlint unpriced::`MysteryThroughput` (after): the price catalog has no provisioned-throughput \
             rate for `cohere.command-r-plus-v1:0` in us-east-1 with no commitment (its on-demand prices are known); to \
             price it, add the rate (negotiated or published) to `.ptlint.yaml`\n"
        ),
        "{github}"
    );
    assert_eq!(
        report["diff"]["throughputs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["after"]["unpriced_supply"].is_string())
            .count(),
        1
    );
}

#[test]
fn an_earlier_json_report_is_a_base() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.json");
    let earlier = ptlint(&["cost", "fixtures/diff/cfn/before", "--format", "json"]);
    // Written as it would be from the head's own paths, so the files match.
    let text = stdout(&earlier).replace("fixtures/diff/cfn/before/", "fixtures/diff/cfn/after/");
    std::fs::write(&base, text).unwrap();
    let from_report =
        json(&ptlint(&["cost", "fixtures/diff/cfn/after", "--compare-to", base.to_str().unwrap(), "--format", "json"]));
    let from_tree = json(&ptlint(&[&CFN[..], &["json"]].concat()));
    assert_eq!(totals(&from_report["diff"]), totals(&from_tree["diff"]));
    assert_eq!(entries(&from_report["diff"]), entries(&from_tree["diff"]));
}

#[test]
fn a_file_compares_with_a_file() {
    let args = [
        "cost",
        "fixtures/diff/cfn/after/stack.yaml",
        "--compare-to",
        "fixtures/diff/cfn/before/stack.yaml",
        "--format",
        "json",
    ];
    let diff = &json(&ptlint(&args))["diff"];
    assert_eq!(diff["monthly_cost_change"], "7227.00");
    assert_eq!(diff["throughputs"][0]["file"], "fixtures/diff/cfn/after/stack.yaml");
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
}

#[test]
fn git_ref_reads_the_base_revision_from_the_local_repository() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let infra = repo.join("infra");
    std::fs::create_dir_all(&infra).unwrap();
    let fixture = |side: &str| {
        std::fs::read_to_string(Path::new(ROOT).join("fixtures/diff/cfn").join(side).join("stack.yaml")).unwrap()
    };
    std::fs::write(infra.join("stack.yaml"), fixture("before")).unwrap();
    git(repo, &["init", "-q"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    git(repo, &["tag", "base"]);
    std::fs::write(infra.join("stack.yaml"), fixture("after")).unwrap();

    let diff = &json(&ptlint_in(repo, &["cost", "infra", "--compare-to", "git:base", "--format", "json"]))["diff"];
    assert_eq!(diff["base"], "git:base");
    assert_eq!(totals(diff), ["43946.00", "51173.00", "7227.00", "13432.00", "69496.00", "56064.00"]);
    assert_eq!(diff["throughputs"][0]["file"], "infra/stack.yaml");
    // From a subdirectory the same paths are looked up under the same prefix.
    let sub = &json(&ptlint_in(&infra, &["cost", "--compare-to", "git:base", "--format", "json"]))["diff"];
    assert_eq!(sub["monthly_cost_change"], "7227.00");
    assert_eq!(sub["throughputs"][0]["file"], "stack.yaml");
    // A path that does not exist at the base revision: everything is added.
    std::fs::create_dir_all(repo.join("new")).unwrap();
    std::fs::write(repo.join("new/stack.yaml"), fixture("after")).unwrap();
    let added = &json(&ptlint_in(repo, &["cost", "new", "--compare-to", "git:base", "--format", "json"]))["diff"];
    assert_eq!(added["monthly_cost_before"], "0.00");
    assert_eq!(added["added"], 5);

    // A module outside the scanned path is read at the base revision too: here only the module changes.
    let module = |units: u32| {
        format!(
            "variable \"name\" {{ type = string }}\n\
             resource \"aws_bedrock_provisioned_model_throughput\" \"this\" {{\n\
               provisioned_model_name = var.name\n\
               model_arn = \"arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1:0:4k\"\n\
               model_units = {units}\n\
             }}\n"
        )
    };
    std::fs::create_dir_all(repo.join("modules/pt")).unwrap();
    std::fs::create_dir_all(repo.join("envs/prod")).unwrap();
    std::fs::write(repo.join("modules/pt/main.tf"), module(1)).unwrap();
    std::fs::write(
        repo.join("envs/prod/main.tf"),
        "module \"chat\" {\n  source = \"../../modules/pt\"\n  name = \"chat\"\n}\n",
    )
    .unwrap();
    git(repo, &["add", "modules", "envs"]);
    git(repo, &["commit", "-q", "-m", "module"]);
    git(repo, &["tag", "with-module"]);
    std::fs::write(repo.join("modules/pt/main.tf"), module(3)).unwrap();
    let moved =
        &json(&ptlint_in(repo, &["cost", "envs/prod", "--compare-to", "git:with-module", "--format", "json"]))["diff"];
    assert_eq!(totals(moved), ["5183.00", "15549.00", "10366.00", "0.00", "0.00", "0.00"]);
    assert_eq!(moved["throughputs"][0]["change"], "changed");

    let bad = ptlint_in(repo, &["cost", "infra", "--compare-to", "git:no-such-ref"]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("git:no-such-ref") && stderr.contains("no such revision"), "{stderr}");
}

#[test]
fn a_missing_base_exits_2_and_an_unreadable_base_file_is_an_input_error() {
    let missing = ptlint(&["cost", "fixtures/diff/cfn/after", "--compare-to", "fixtures/diff/no-such-dir"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("fixtures/diff/no-such-dir"));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("stack.yaml"),
        "Resources:\n  A:\n    Type: Custom::BedrockThroughput\n    Properties: {ModelUnits: [unclosed\n",
    )
    .unwrap();
    let broken =
        ptlint(&["cost", "fixtures/diff/cfn/after", "--compare-to", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(broken.status.code(), Some(2), "{}", stdout(&broken));
    let report: Value = serde_json::from_str(&stdout(&broken)).unwrap();
    let error = &report["diff"]["errors"][0];
    assert_eq!(error["file"], "fixtures/diff/cfn/after/stack.yaml");
    assert!(error["message"].as_str().unwrap().starts_with("in the base"), "{error}");
    assert!(error["line"].as_u64().unwrap() > 0, "{error}");
}

#[test]
fn a_malformed_json_report_base_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (r#"{"version": 1, "throughputs": [{"resource": "Chat"}]}"#, "/throughputs/0: no `file`"),
        (
            r#"{"version": 1, "throughputs": [{"resource": "Chat", "file": "a.yaml", "monthly_cost": "lots"}]}"#,
            "/throughputs/0: `monthly_cost` is not a decimal amount",
        ),
        (
            r#"{"version": 1, "throughputs": [{"resource": "Chat", "file": "a.yaml", "monthly_cost": 12.5}]}"#,
            "/throughputs/0: `monthly_cost` is not a decimal string",
        ),
        (r#"{"version": 1, "throughputs": [7]}"#, "/throughputs/0: no `file`"),
    ];
    for (i, (text, message)) in cases.iter().enumerate() {
        let base = dir.path().join(format!("base{i}.json"));
        std::fs::write(&base, text).unwrap();
        let output = ptlint(&["cost", "fixtures/diff/cfn/after", "--compare-to", base.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{text}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("base{i}.json")) && stderr.contains(message), "{text}: {stderr}");
    }
}

/// The plan of issue 12: a 2-unit six-month Titan Text Express PT replaced by a 4-unit one ($14.80/MU-hour).
fn replacement_plan(actions: &str) -> String {
    let model = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k";
    let values = |units: u32| {
        format!(
            r#"{{"provisioned_model_name": "chat", "model_arn": "{model}", "model_units": {units}, "commitment_duration": "SixMonths"}}"#
        )
    };
    let address = "aws_bedrock_provisioned_model_throughput.chat";
    let resource = format!(
        r#""address": "{address}", "mode": "managed", "type": "aws_bedrock_provisioned_model_throughput", "name": "chat""#
    );
    format!(
        r#"{{"format_version": "1.2",
            "planned_values": {{"root_module": {{"resources": [{{{resource}, "values": {after}}}]}}}},
            "resource_changes": [{{{resource}, "change": {{"actions": {actions}, "before": {before}, "after": {after}}}}}]}}"#,
        before = values(2),
        after = values(4),
    )
}

#[test]
fn a_replacement_removes_the_old_pt_and_adds_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    for actions in [r#"["delete", "create"]"#, r#"["create", "delete"]"#] {
        let plan = dir.path().join("plan.json");
        std::fs::write(&plan, replacement_plan(actions)).unwrap();
        let table = stdout(&ptlint(&["cost", plan.to_str().unwrap()]));
        assert!(
            table.contains("This plan:           adds $43,216.00/month, removes $21,608.00/month (net +$21,608.00/month); $43,216.00/month standing once applied"),
            "{actions}: {table}"
        );
        let report = json(&ptlint(&["cost", plan.to_str().unwrap(), "--format", "json"]));
        assert_eq!(report["totals"]["added_monthly_cost"], "43216.00");
        assert_eq!(report["totals"]["removed_monthly_cost"], "21608.00");
        let diff = &report["diff"];
        assert_eq!(totals(diff), ["21608.00", "43216.00", "21608.00", "129648.00", "259296.00", "129648.00"]);
        let changes: Vec<&str> =
            diff["throughputs"].as_array().unwrap().iter().map(|e| e["change"].as_str().unwrap()).collect();
        assert_eq!(changes, ["removed", "added"], "{actions}");
    }
}

#[test]
fn one_file_pairs_with_one_file_whatever_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |side: &str, name: &str| {
        let target = dir.path().join(side).join(name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(Path::new(ROOT).join("fixtures/diff/cfn").join(side).join("stack.yaml"), &target).unwrap();
        target
    };
    let base = copy("before", "old-name.yaml");
    let head = copy("after", "new-name.yaml");
    // A directory scanned against a file of the base revision, and the other way round.
    for (scanned, against) in [(head.parent().unwrap(), base.as_path()), (head.as_path(), base.parent().unwrap())] {
        let args = ["cost", scanned.to_str().unwrap(), "--compare-to", against.to_str().unwrap(), "--format", "json"];
        let diff = &json(&ptlint(&args))["diff"];
        assert_eq!(diff["monthly_cost_change"], "7227.00", "{args:?}");
        assert_eq!(diff["removed"], 1, "{args:?}");
    }
}
