//! Module calls ptlint cannot follow: a missing local directory is an input error (as `terraform init` fails
//! on it), an empty one a warning that names it, and a registry module is mentioned only where a PT could be
//! hiding in it; `--quiet` hides those notes.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo { dir: tempfile::tempdir().expect("temp dir") };
        repo.write(".ptlint.yaml", "region: us-east-1\n");
        repo
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_ptlint"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env("HOME", self.path(".home"))
            .output()
            .expect("run ptlint")
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let output = self.run(&[args, &["--format", "json"]].concat());
        let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "no JSON ({e}): {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (output.status.code().unwrap_or(-1), report)
    }
}

/// A PT with an alarm and a budget, so it raises nothing that would decide the exit code by itself.
const QUIET_PT: &str = r#"resource "aws_bedrock_provisioned_model_throughput" "chat" {
  provisioned_model_name = "chat"
  model_arn              = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-instant-v1:2:100k"
  model_units            = 1
}
"#;

fn rules(report: &Value, rule: &str) -> Vec<Value> {
    report["findings"].as_array().expect("findings").iter().filter(|f| f["rule"] == rule).cloned().collect()
}

/// 1-based line and column of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> (u64, u64) {
    let offset = text.find(needle).expect("needle");
    let line = text[..offset].matches('\n').count() as u64 + 1;
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..offset].chars().count() as u64 + 1)
}

#[test]
fn a_missing_local_module_is_an_input_error_at_its_source() {
    let repo = Repo::new();
    let main = format!("{QUIET_PT}\nmodule \"llm\" {{\n  source = \"./modules/llm\"\n  units  = 2\n}}\n");
    repo.write("infra/main.tf", &main);
    let (code, report) = repo.json(&["check", "--fail-on", "never"]);
    assert_eq!(code, 2, "{report:#}");
    let errors = report["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let (line, column) = position(&main, "\"./modules/llm\"");
    assert_eq!(errors[0]["file"], "infra/main.tf");
    assert_eq!((errors[0]["line"].as_u64(), errors[0]["column"].as_u64()), (Some(line), Some(column)));
    let message = errors[0]["message"].as_str().expect("message");
    assert!(message.contains("`llm`") && message.contains("./modules/llm") && message.contains("terraform init"));
    // The rest of the module is still checked.
    assert_eq!(report["throughputs"].as_array().map(Vec::len), Some(1));
    assert!(rules(&report, "PT904").is_empty(), "an error, not a note as well: {report:#}");
    // The same call with the directory there is no error.
    repo.write("infra/modules/llm/main.tf", "variable \"units\" {}\n");
    let (code, report) = repo.json(&["check", "--fail-on", "never"]);
    assert_eq!((code, report["errors"].as_array().map(Vec::len)), (0, Some(0)), "{report:#}");
}

#[test]
fn an_empty_module_directory_is_a_warning_that_names_it() {
    let repo = Repo::new();
    let main = "module \"llm\" {\n  source = \"./vendor/llm-module\"\n}\n";
    repo.write("main.tf", main);
    std::fs::create_dir_all(repo.path("vendor/llm-module")).expect("mkdir");
    let (code, report) = repo.json(&["check"]);
    assert_eq!(code, 0, "a warning does not fail the default run: {report:#}");
    let warnings = rules(&report, "PT904");
    assert_eq!(warnings.len(), 1, "{report:#}");
    assert_eq!(warnings[0]["level"], "warning");
    assert!(warnings[0]["message"].as_str().is_some_and(|m| m.contains("`vendor/llm-module`")), "{warnings:#?}");
    assert_eq!(
        (warnings[0]["file"].as_str(), warnings[0]["line"].as_u64(), warnings[0]["column"].as_u64()),
        (Some("main.tf"), Some(2), Some(12))
    );
    let (code, _) = repo.json(&["check", "--fail-on", "warning"]);
    assert_eq!(code, 1);
    // Human output names the directory too.
    let human = String::from_utf8_lossy(&repo.run(&["check"]).stdout).into_owned();
    assert!(human.contains("vendor/llm-module") && human.contains("PT904"), "{human}");
}

/// A repository shaped like aws-ia/terraform-aws-eks-blueprints-addons: a root module calling one registry
/// add-on module many times, and a test root calling it with `../..` and other registry modules.
fn eks_addons_shape(repo: &Repo) {
    let mut main = String::from("data \"aws_partition\" \"current\" {}\n\n");
    for addon in ["argo_rollouts", "argo_workflows", "cert_manager", "external_dns", "karpenter", "velero"] {
        main.push_str(&format!(
            "module \"{addon}\" {{\n  source  = \"aws-ia/eks-blueprints-addon/aws\"\n  version = \"1.1.1\"\n  \
             create  = var.enable_{addon}\n}}\n\nvariable \"enable_{addon}\" {{\n  default = false\n}}\n\n"
        ));
    }
    repo.write("main.tf", &main);
    repo.write(
        "tests/complete/main.tf",
        "module \"eks_blueprints_addons\" {\n  source = \"../..\"\n}\n\nmodule \"vpc\" {\n  \
         source = \"terraform-aws-modules/vpc/aws\"\n}\n\nmodule \"eks\" {\n  source = \"terraform-aws-modules/eks/aws\"\n}\n",
    );
}

#[test]
fn registry_modules_that_cannot_hold_a_pt_are_not_mentioned() {
    let repo = Repo::new();
    eks_addons_shape(&repo);
    let (code, report) = repo.json(&["check"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["notes"], 0, "{:#}", report["findings"]);
    assert!(report["summary"]["terraform_files_read"].as_u64().is_some_and(|n| n >= 2), "{report:#}");
    let human = String::from_utf8_lossy(&repo.run(&["check"]).stdout).into_owned();
    assert!(!human.contains("PT904"), "{human}");
}

#[test]
fn a_registry_module_that_says_bedrock_is_mentioned_and_quiet_hides_it() {
    let repo = Repo::new();
    eks_addons_shape(&repo);
    repo.write("llm.tf", "module \"llm\" {\n  source  = \"aws-ia/bedrock/aws\"\n  version = \"0.0.20\"\n}\n");
    let (code, report) = repo.json(&["check"]);
    assert_eq!(code, 0);
    let notes = rules(&report, "PT904");
    assert_eq!(notes.len(), 1, "{report:#}");
    // The root is called by `tests/complete` (`source = "../.."`), so that is the root terraform plans from.
    let address = "module.eks_blueprints_addons.module.llm";
    assert_eq!((notes[0]["file"].as_str(), notes[0]["resource"].as_str()), (Some("llm.tf"), Some(address)));
    assert_eq!(notes[0]["level"], "note");
    // `--quiet` hides notes in every format.
    let (_, quiet) = repo.json(&["check", "--quiet"]);
    assert!(rules(&quiet, "PT904").is_empty(), "{quiet:#}");
    let human = repo.run(&["check", "--quiet"]);
    assert_eq!(String::from_utf8_lossy(&human.stdout), "");
    assert!(String::from_utf8_lossy(&repo.run(&["check"]).stdout).contains("PT904"));
}

#[test]
fn a_downloaded_module_is_mentioned_only_when_its_files_could_hold_a_pt() {
    let repo = Repo::new();
    repo.write("main.tf", "module \"serving\" {\n  source = \"app.terraform.io/acme/serving/aws\"\n}\n\nmodule \"net\" {\n  source = \"app.terraform.io/acme/net/aws\"\n}\n");
    // What `terraform init` leaves: the manifest and each module's files.
    repo.write(
        ".terraform/modules/modules.json",
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
          {"Key":"serving","Source":"app.terraform.io/acme/serving/aws","Dir":".terraform/modules/serving"},
          {"Key":"net","Source":"app.terraform.io/acme/net/aws","Dir":".terraform/modules/net"}]}"#,
    );
    repo.write(
        ".terraform/modules/serving/pt.tf",
        "resource \"aws_bedrock_provisioned_model_throughput\" \"this\" {\n  model_units = var.units\n}\n",
    );
    repo.write(".terraform/modules/net/vpc.tf", "resource \"aws_vpc\" \"this\" {}\n");
    // The root holds no PT word itself: it is read because it calls modules `terraform init` downloaded, and
    // it says which of them could hold a PT.
    for args in [&["check"][..], &["check", "main.tf"][..]] {
        let (_, report) = repo.json(args);
        let notes: Vec<String> =
            rules(&report, "PT904").iter().map(|n| n["resource"].as_str().unwrap_or_default().to_string()).collect();
        assert_eq!(notes, ["module.serving"], "{args:?}: {report:#}");
    }
    assert!(Path::new(&repo.path(".terraform/modules/net/vpc.tf")).is_file());
}
