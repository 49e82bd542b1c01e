//! What a run reads and within what scope budgets link (`docs/scope.md`), through the binary: a PT gets one verdict
//! whether its file, its directory or the repository root is named; a plan named on its own is checked and its
//! findings land on its `.tf` lines; a budget in a sibling project does not cover a PT, one in the same template or
//! root module does, and a `.ptlint.yaml` can join paths into one scope. The fixtures are in `fixtures/scope/`.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `fixtures/scope` copied into a fresh directory, a git work tree when `git` is true (as a user's repository is).
fn project(git: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(ROOT).join("fixtures/scope"), dir.path());
    if git {
        let status = Command::new("git").args(["init", "-q"]).current_dir(dir.path()).status().expect("git runs");
        assert!(status.success());
        assert!(dir.path().join(".git").is_dir());
    }
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `ptlint check ARGS --format json --fail-on never` run in `cwd`: the JSON report of a run without input errors.
fn check(cwd: &Path, args: &[&str]) -> Value {
    let (code, report) = check_code(cwd, args);
    assert_eq!(code, Some(0), "{report}");
    report
}

/// [`check`] with the exit code, which is 2 when an input could not be read.
fn check_code(cwd: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_ptlint"))
        .arg("check")
        .args(args)
        .args(["--format", "json", "--fail-on", "never"])
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let report = serde_json::from_slice(&output.stdout).expect("a JSON report");
    (output.status.code(), report)
}

/// The findings of a report on one file: (rule, line, column, resource, message), in report order.
fn findings_on(report: &Value, file: &str) -> Vec<(String, u64, u64, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == file)
        .map(|f| {
            let text = |key: &str| f[key].as_str().unwrap_or_default().to_string();
            (
                text("rule"),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                text("resource"),
                text("message"),
            )
        })
        .collect()
}

fn rules(findings: &[(String, u64, u64, String, String)]) -> Vec<&str> {
    findings.iter().map(|f| f.0.as_str()).collect()
}

/// The file named, its directory named, and the repository root (`.`): the same findings on the PT's file, and the
/// same facts for its PT. Returns those findings.
fn one_verdict(dir: &Path, file: &str) -> Vec<(String, u64, u64, String, String)> {
    let parent = Path::new(file).parent().unwrap().to_str().unwrap();
    let reports = [check(dir, &[file]), check(dir, &[parent]), check(dir, &["."])];
    let findings: Vec<_> = reports.iter().map(|r| findings_on(r, file)).collect();
    assert!(!findings[0].is_empty(), "{file}: the fixture has findings");
    assert_eq!(findings[0], findings[1], "{file}: named file against its directory");
    assert_eq!(findings[0], findings[2], "{file}: named file against the repository root");
    let pt = |r: &Value| -> Vec<Value> {
        r["throughputs"].as_array().unwrap().iter().filter(|t| t["file"] == file).cloned().collect::<Vec<_>>()
    };
    assert_eq!(pt(&reports[0]), pt(&reports[1]));
    assert_eq!(pt(&reports[0]), pt(&reports[2]));
    findings.into_iter().next().unwrap()
}

#[test]
fn a_cloudformation_pt_gets_one_verdict_however_it_is_named() {
    let dir = project(true);
    // No budget in its template: the account-wide budget of budgets.yaml, a sibling template, does not cover it.
    let alone = one_verdict(dir.path(), "cloudformation/chat.yaml");
    assert_eq!(rules(&alone), ["PT005", "PT001", "PT010", "PT003"]);
    // Its budget is in the same template.
    let covered = one_verdict(dir.path(), "cloudformation/budgeted.yaml");
    assert_eq!(rules(&covered), ["PT005", "PT010", "PT003"]);
}

#[test]
fn a_terraform_pt_gets_one_verdict_however_it_is_named() {
    let dir = project(true);
    // The budget of ../finops is another root module.
    let alone = one_verdict(dir.path(), "terraform/chat/main.tf");
    assert_eq!(rules(&alone), ["PT005", "PT001", "PT010", "PT003"]);
    // budget.tf is in the same root module as main.tf.
    let covered = one_verdict(dir.path(), "terraform/budgeted/main.tf");
    assert_eq!(rules(&covered), ["PT005", "PT010", "PT003"]);
}

#[test]
fn a_config_can_join_paths_into_one_scope() {
    let dir = project(true);
    let covered = one_verdict(dir.path(), "widened/stacks/chat.yaml");
    assert_eq!(rules(&covered), ["PT005", "PT010", "PT003"]);
    // Without the setting the budget under finops/ is another template's.
    std::fs::write(dir.path().join("widened/.ptlint.yaml"), "region: us-east-1\n").unwrap();
    let alone = one_verdict(dir.path(), "widened/stacks/chat.yaml");
    assert_eq!(rules(&alone), ["PT005", "PT001", "PT010", "PT003"]);
}

/// A plan named on its own, as `terraform show -json tfplan > plan.json` leaves it beside `main.tf`: its PTs are
/// checked, and the findings are on `main.tf`'s lines, inside a git work tree and outside one.
#[test]
fn a_plan_named_beside_its_configuration_is_checked_on_its_lines() {
    for git in [true, false] {
        let dir = project(git);
        let module = dir.path().join("terraform/chat");
        let from_dir = check(&module, &["."]);
        let expected = findings_on(&from_dir, "main.tf");
        assert_eq!(rules(&expected), ["PT005", "PT001", "PT010", "PT003"], "git: {git}");
        for (cwd, plan, tf) in [
            (module.clone(), "plan.json", "main.tf"),
            (dir.path().to_path_buf(), "terraform/chat/plan.json", "terraform/chat/main.tf"),
        ] {
            let named = check(&cwd, &[plan]);
            assert_eq!(named["summary"]["throughputs"], 1, "git: {git}, {plan}");
            assert_eq!(findings_on(&named, tf), expected, "git: {git}, {plan}");
            assert!(findings_on(&named, plan).is_empty(), "git: {git}: the findings are on the .tf lines");
            assert_eq!(named["summary"]["files_scanned"], 1);
        }
    }
}

/// The plan is terraform's own: the PT it plans is the one in main.tf.
#[test]
fn the_plan_fixture_is_terraforms_plan_of_its_directory() {
    let plan: Value = serde_json::from_str(
        &std::fs::read_to_string(PathBuf::from(ROOT).join("fixtures/scope/terraform/chat/plan.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(plan["terraform_version"], "1.11.4");
    let resources = plan["planned_values"]["root_module"]["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1);
    assert_eq!(resources[0]["address"], "aws_bedrock_provisioned_model_throughput.support");
    assert_eq!(resources[0]["values"]["commitment_duration"], "OneMonth");
}

/// In this repository, the quick start's template has no hosting budget whatever is named (the budgets under
/// `fixtures/` are other templates' and other root modules').
#[test]
fn the_quick_start_pt_gets_pt001_however_it_is_named() {
    let config = "examples/quickstart/.ptlint.yaml";
    let file = "examples/quickstart/chat-throughput.yaml";
    let root = Path::new(ROOT);
    let reports = [
        check(root, &["examples/quickstart", "--config", config]),
        check(root, &[file, "--config", config]),
        // The repository holds deliberately broken fixtures: exit 2, and everything else still checked.
        check_code(root, &[".", "--config", config]).1,
    ];
    let findings: Vec<_> = reports.iter().map(|r| findings_on(r, file)).collect();
    assert_eq!(rules(&findings[0]), ["PT005", "PT001", "PT010", "PT003"]);
    assert_eq!(findings[0], findings[1]);
    assert_eq!(findings[0], findings[2]);
}
