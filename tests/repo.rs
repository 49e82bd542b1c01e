//! The binary in a real repository: git, ignore files, exclude globs, nested configs, named-file (staged-only)
//! runs with project context, and the command-line habits of linters. Each test builds its repository in a
//! temporary directory and runs ptlint from inside it, so paths in the output are stable.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A Claude Instant PT in us-east-1 with no commitment (foundation model: PT005 is its only finding without an alarm).
fn pt(name: &str) -> String {
    format!(
        r#"{{"provider": {{"aws": {{"region": "us-east-1"}}}},
 "resource": {{"aws_bedrock_provisioned_model_throughput": {{"{name}": {{
   "provisioned_model_name": "{name}", "model_units": 1,
   "model_arn": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-instant-v1:2:100k"}}}}}}}}
"#
    )
}

/// An idle-capacity alarm on the PT `name`, in a file of its own.
fn alarm(name: &str) -> String {
    format!(
        r#"{{"resource": {{"aws_cloudwatch_metric_alarm": {{"{name}_idle": {{
   "alarm_name": "{name}-idle", "namespace": "AWS/Bedrock", "metric_name": "Invocations",
   "dimensions": {{"ModelId": "${{aws_bedrock_provisioned_model_throughput.{name}.provisioned_model_arn}}"}},
   "statistic": "Sum", "period": 86400, "evaluation_periods": 1, "threshold": 1,
   "comparison_operator": "LessThanThreshold", "treat_missing_data": "breaching"}}}}}}}}
"#
    )
}

/// Broken YAML that names a PT type, so it fails the run if it is ever read.
const BROKEN_TEMPLATE: &str =
    "Resources:\n  Chat:\n    Type: AWS::Bedrock::ProvisionedModelThroughput\n    Properties: [\n";

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    /// An empty git work tree.
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("git").args(["init", "-q"]).current_dir(dir.path()).status().expect("git runs");
        assert!(status.success());
        Repo { dir }
    }

    /// The layout most tests share:
    /// - `pt.tf.json` (PT `chat`) and `alarm.tf.json` (its alarm), at the top;
    /// - `.ptlint.yaml` excluding `legacy`, where a broken template sits, and making PT005 a warning;
    /// - `.gitignore` leaving out `build/`, where a 40 MB data file sits; `.ignore` leaving out `scratch.yaml`;
    /// - `infra/team-a/` with its own `.ptlint.yaml` (PT005 is an error there) and a PT without an alarm.
    fn layout() -> Repo {
        let repo = Repo::new();
        repo.write("pt.tf.json", &pt("chat"));
        repo.write("alarm.tf.json", &alarm("chat"));
        repo.write(".ptlint.yaml", "region: us-east-1\nexclude:\n  - legacy\npolicy:\n  levels:\n    PT005: warning\n");
        repo.write("legacy/old.yaml", BROKEN_TEMPLATE);
        repo.write(".gitignore", "build/\n");
        repo.write("build/data.json", "{");
        // 40 MB, over the 32 MiB read limit: an error if it is ever read.
        std::fs::File::options().write(true).open(repo.path("build/data.json")).unwrap().set_len(40 << 20).unwrap();
        repo.write(".ignore", "scratch.yaml\n");
        repo.write("scratch.yaml", BROKEN_TEMPLATE);
        repo.write("infra/team-a/.ptlint.yaml", "policy:\n  levels:\n    PT005: error\n");
        repo.write("infra/team-a/team.tf.json", &pt("team_a"));
        repo
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn command(&self, dir: &str, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ptlint"));
        command
            .args(args)
            .current_dir(self.path(dir))
            // No user git config or colour settings leak in.
            .env("HOME", self.path(".home"))
            .env("XDG_CONFIG_HOME", self.path(".home/.config"))
            .env("NO_COLOR", "1")
            .env_remove("FORCE_COLOR")
            .env_remove("CLICOLOR_FORCE");
        command
    }

    /// Run ptlint from `dir` (relative to the repository root).
    fn run_in(&self, dir: &str, args: &[&str]) -> Output {
        self.command(dir, args).output().expect("the binary runs")
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_in("", args)
    }
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

/// `(rule, file, level)` of each finding of a JSON report.
fn findings(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |key: &str| f[key].as_str().unwrap_or_default().to_string();
            (text("rule"), text("file"), text("level"))
        })
        .collect()
}

fn finding(rule: &str, file: &str, level: &str) -> (String, String, String) {
    (rule.to_string(), file.to_string(), level.to_string())
}

#[test]
fn a_repository_scan_honours_ignore_files_excludes_and_the_nearest_config() {
    let repo = Repo::layout();
    let output = repo.run(&["check"]);
    // The nested config makes PT005 an error in infra/team-a only; the ignored, excluded and oversized files
    // are never read, so there is no input error.
    assert_eq!(code(&output), 1, "{}{}", stdout(&output), stderr(&output));
    insta::assert_snapshot!("repo_scan_human", stdout(&output));

    let report = json(&repo.run(&["check", "--format", "json"]));
    assert_eq!(findings(&report), [finding("PT005", "infra/team-a/team.tf.json", "error")]);
    assert_eq!(report["errors"].as_array().unwrap().len(), 0);
    // Config files are not templates: three files were scanned.
    assert_eq!(report["summary"]["files_scanned"], 3, "{:#}", report["summary"]);
}

#[test]
fn a_config_the_ignore_files_leave_out_still_applies() {
    // Configs are found by where they are, as ruff finds its own: an ignore file that hides one (a local config
    // kept out of git) does not turn it off. Here the top `.gitignore` hides every `.ptlint.yaml`, and team-c's own
    // `.gitignore` hides everything but its templates, its `.ptlint.yml` included.
    let repo = Repo::layout();
    repo.write(".gitignore", "build/\n.ptlint.yaml\n");
    repo.write("infra/team-c/.gitignore", "*\n!*.tf.json\n");
    repo.write("infra/team-c/.ptlint.yml", "policy:\n  levels:\n    PT005: note\n");
    repo.write("infra/team-c/c.tf.json", &pt("team_c"));
    let report = json(&repo.run(&["check", "--format", "json"]));
    assert_eq!(
        findings(&report),
        [finding("PT005", "infra/team-a/team.tf.json", "error"), finding("PT005", "infra/team-c/c.tf.json", "note")]
    );
    // The top config still excludes `legacy/` and turns PT005 into a warning for `pt.tf.json`, whose alarm is there.
    assert_eq!(report["errors"].as_array().unwrap().len(), 0, "{report:#}");
}

#[test]
fn no_ignore_reads_what_the_ignore_files_leave_out_and_exclude_still_applies() {
    let repo = Repo::layout();
    let output = repo.run(&["check", "--no-ignore", "--format", "json"]);
    assert_eq!(code(&output), 2);
    let report = json(&output);
    let errors: Vec<&str> = report["errors"].as_array().unwrap().iter().map(|e| e["file"].as_str().unwrap()).collect();
    // `legacy/` stays out: `exclude` is config, not an ignore file.
    assert_eq!(errors, ["build/data.json", "scratch.yaml"]);
    assert!(report["errors"][0]["message"].as_str().unwrap().contains("over the 32 MiB limit"), "{report:#}");
    assert_eq!(report["errors"][1]["line"], 5, "{report:#}");
}

#[test]
fn exclude_flag_and_global_git_excludes_keep_files_out() {
    let repo = Repo::layout();
    repo.write("notes/local.yaml", BROKEN_TEMPLATE);
    // Not ignored yet: the broken file fails the run.
    assert_eq!(code(&repo.run(&["check", "--fail-on", "never"])), 2);
    // git's global excludes file (core.excludesFile defaults to $XDG_CONFIG_HOME/git/ignore).
    repo.write(".home/.config/git/ignore", "notes/\n");
    assert_eq!(code(&repo.run(&["check", "--fail-on", "never"])), 0);
    // `--exclude GLOB` drops the nested project: only warnings remain, nothing fails.
    let output = repo.run(&["check", "--exclude", "infra/**", "--format", "json"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(findings(&json(&output)).is_empty());
    // A bad glob is a usage error.
    let bad = repo.run(&["check", "--exclude", "a[b"]);
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("bad exclude pattern `a[b`"), "{}", stderr(&bad));
}

#[test]
fn named_files_are_checked_with_their_project_as_context() {
    let repo = Repo::layout();
    // The pre-commit hook names only the staged PT; its alarm lives in a committed file.
    let output = repo.run(&["check", "pt.tf.json", "--format", "json"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    let report = json(&output);
    assert!(findings(&report).is_empty(), "{report:#}");
    // Only the named file is reported: the nested project's PT is context, not a finding; broken ignored
    // and excluded files are not read either.
    assert_eq!(report["throughputs"].as_array().unwrap().len(), 1);
    assert_eq!(report["summary"]["files_scanned"], 1);
    assert!(report["errors"].as_array().unwrap().is_empty());

    // Without context the alarm is still seen: `.tf.json` files of one directory are one module, as for
    // terraform, so naming one reads its siblings.
    let alone = json(&repo.run(&["check", "pt.tf.json", "--no-project-context", "--format", "json"]));
    assert!(findings(&alone).is_empty(), "{alone:#}");
    assert_eq!(alone["throughputs"].as_array().unwrap().len(), 1);

    // From a subdirectory, a named file gets its nearest config (PT005 is an error there).
    let nested = repo.run_in("infra/team-a", &["check", "team.tf.json", "--format", "json"]);
    assert_eq!(code(&nested), 1);
    assert_eq!(findings(&json(&nested)), [finding("PT005", "team.tf.json", "error")]);
}

#[test]
fn a_staged_config_file_is_not_a_template() {
    let repo = Repo::layout();
    let report = json(&repo.run(&["check", ".ptlint.yaml", "infra/team-a/.ptlint.yaml", "--format", "json"]));
    assert_eq!(report["summary"]["files_scanned"], 0, "{report:#}");
}

#[test]
fn config_command_prints_the_nearest_config_and_its_file() {
    let repo = Repo::layout();
    let root = repo.run(&["config"]);
    assert_eq!(code(&root), 0);
    insta::assert_snapshot!("config_root", stdout(&root));
    let nested = repo.run(&["config", "infra/team-a/team.tf.json"]);
    assert_eq!(code(&nested), 0);
    insta::assert_snapshot!("config_nested", stdout(&nested));
    let as_json = json(&repo.run(&["config", "infra/team-a", "--format", "json"]));
    assert_eq!(as_json["file"], "infra/team-a/.ptlint.yaml");
    assert_eq!(as_json["config"]["policy"]["levels"]["PT005"], "error");
    // What applies, not the config's `null`: the 730-hour default, and where each value came from.
    assert_eq!(as_json["config"]["hours_per_month"], serde_json::Value::Null);
    assert_eq!(as_json["in_effect"]["hours_per_month"], serde_json::json!({"value": "730", "from": "default"}));
    repo.write(
        "infra/team-c/.ptlint.yaml",
        "hours_per_month: 744\npolicy:\n  min_observed_days:\n    six_months: 120\n",
    );
    let written = json(&repo.run(&["config", "infra/team-c", "--format", "json"]));
    assert_eq!(written["in_effect"]["hours_per_month"], serde_json::json!({"value": "744", "from": "config file"}));
    let days = &written["in_effect"]["policy.min_observed_days.six_months"];
    assert_eq!(days, &serde_json::json!({"value": "120", "from": "config file"}));
    let days = &written["in_effect"]["policy.min_observed_days.one_month"];
    assert_eq!(days, &serde_json::json!({"value": "30", "from": "default"}));

    let bare = Repo::new();
    let none = bare.run(&["config"]);
    assert_eq!(code(&none), 0);
    assert!(stdout(&none).starts_with("# config for .: no .ptlint.yaml at or above it; defaults apply\n"));
    assert_eq!(code(&repo.run(&["config", "no/such/dir"])), 2);
}

#[test]
fn a_bad_nested_config_names_its_file_line_and_column() {
    let repo = Repo::layout();
    repo.write("infra/team-b/.ptlint.yaml", "region: us-east-1\nhours_per_mnth: 744\n");
    repo.write("infra/team-b/b.tf.json", &pt("b"));
    let output = repo.run(&["check"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).starts_with("error: infra/team-b/.ptlint.yaml:2:1: "), "{}", stderr(&output));
    let glob = Repo::new();
    glob.write(".ptlint.yaml", "region: us-east-1\nexclude: [\"x[\"]\n");
    let output = glob.run(&["check"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains(".ptlint.yaml:2:1: bad exclude pattern `x[`"), "{}", stderr(&output));
}

#[test]
fn a_mistyped_command_is_an_error_with_a_suggestion() {
    let repo = Repo::layout();
    let output = repo.run(&["chekc"]);
    assert_eq!(code(&output), 2);
    insta::assert_snapshot!("mistyped_command", stderr(&output));
    let far = repo.run(&["frobnicate"]);
    assert_eq!(code(&far), 2);
    assert!(stderr(&far).contains("commands are check, cost, facts, rules, explain, config"), "{}", stderr(&far));
    // A directory with a command-like name is still a path.
    repo.write("cost/x.tf.json", &pt("x"));
    assert_eq!(code(&repo.run(&["cost", "--format", "json"])), 0);
    let scanned = json(&repo.run(&["check", "--format", "json", "cost"]));
    assert_eq!(scanned["summary"]["files_scanned"], 1);
}

#[test]
fn dash_reads_standard_input_under_the_stdin_filename() {
    let repo = Repo::layout();
    let run = |args: &[&str]| {
        let mut child =
            repo.command("", args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // A run that refuses `-` exits without reading, so the write may meet a closed pipe.
        let _ = child.stdin.take().unwrap().write_all(pt("team_a").as_bytes());
        child.wait_with_output().unwrap()
    };
    // The editor's unsaved buffer replaces the file on disk, with that file's nearest config.
    let output = run(&["check", "-", "--stdin-filename", "infra/team-a/team.tf.json", "--format", "json"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert_eq!(findings(&json(&output)), [finding("PT005", "infra/team-a/team.tf.json", "error")]);
    let hcl = run(&["check", "-", "--stdin-filename", "infra/main.tf"]);
    assert_eq!(code(&hcl), 2);
    assert!(stderr(&hcl).contains("read with its module directory"), "{}", stderr(&hcl));
    let unnamed = run(&["check", "-"]);
    assert_eq!(code(&unnamed), 2);
    assert!(stderr(&unnamed).contains("--stdin-filename"), "{}", stderr(&unnamed));
}

#[test]
fn select_and_ignore_pick_rules_by_code_or_name() {
    let repo = Repo::layout();
    let selected = json(&repo.run(&["check", "--select", "missing-utilization-alarm", "--format", "json"]));
    assert_eq!(findings(&selected).len(), 1);
    let selected_other = json(&repo.run(&["check", "--select", "PT001,PT002", "--format", "json"]));
    assert!(findings(&selected_other).is_empty());
    let ignored = repo.run(&["check", "--ignore", "pt005", "--format", "json"]);
    assert_eq!(code(&ignored), 0);
    assert!(findings(&json(&ignored)).is_empty());
    let unknown = repo.run(&["check", "--select", "PT999"]);
    assert_eq!(code(&unknown), 2);
    assert!(stderr(&unknown).contains("no rule `PT999`"), "{}", stderr(&unknown));
    assert!(!stderr(&unknown).contains("did you mean"), "PT999 is no slip of any code: {}", stderr(&unknown));
    // A slip gets the nearest code or name.
    let slip = repo.run(&["check", "--ignore", "PT05"]);
    assert_eq!(code(&slip), 2);
    assert!(stderr(&slip).contains("no rule `PT05` to select or ignore; did you mean `PT005`?"), "{}", stderr(&slip));
    let name = repo.run(&["check", "--select", "missing-utilisation-alarm"]);
    assert!(stderr(&name).contains("did you mean `missing-utilization-alarm`?"), "{}", stderr(&name));
}

#[test]
fn compare_to_a_missing_path_suggests_the_git_prefix() {
    let repo = Repo::layout();
    let output = repo.run(&["cost", "--compare-to", "HEAD~1"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("write `--compare-to git:HEAD~1`"), "{}", stderr(&output));
}

#[test]
fn off_in_policy_levels_turns_a_rule_off() {
    let repo = Repo::layout();
    repo.write("infra/team-a/.ptlint.yaml", "policy:\n  levels:\n    missing-utilization-alarm: off\n");
    let output = repo.run(&["check", "--format", "json"]);
    assert_eq!(code(&output), 0);
    assert!(findings(&json(&output)).is_empty());
    repo.write("infra/team-a/.ptlint.yaml", "policy:\n  levels:\n    PT005: loud\n");
    let bad = repo.run(&["check"]);
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("expected `error`, `warning`, `note` or `off`"), "{}", stderr(&bad));
}

#[test]
fn quiet_prints_only_the_findings() {
    let repo = Repo::layout();
    let output = repo.run(&["check", "--quiet"]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(text.contains("PT005"), "{text}");
    assert!(!text.contains("standing cost") && !text.contains("in 3 files"), "{text}");
    let clean = repo.run(&["check", "-q", "pt.tf.json"]);
    assert_eq!((code(&clean), stdout(&clean)), (0, String::new()));
}

#[test]
fn color_follows_the_flag_and_the_environment() {
    let repo = Repo::layout();
    let has_color = |mut command: Command| stdout(&command.output().unwrap()).contains('\u{1b}');
    assert!(!has_color(repo.command("", &["check"])), "not a terminal, NO_COLOR");
    assert!(has_color(repo.command("", &["check", "--color", "always"])));
    let mut forced = repo.command("", &["check"]);
    forced.env_remove("NO_COLOR").env("FORCE_COLOR", "1");
    assert!(has_color(forced));
    let mut clicolor = repo.command("", &["check"]);
    clicolor.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    assert!(has_color(clicolor));
    let mut never = repo.command("", &["check", "--color", "never"]);
    never.env_remove("NO_COLOR").env("FORCE_COLOR", "1");
    assert!(!has_color(never));
}

#[test]
fn format_names_are_the_same_in_every_command() {
    let repo = Repo::layout();
    for command in ["cost", "rules"] {
        for format in ["human", "table"] {
            let output = repo.run(&[command, "--format", format]);
            assert_eq!(code(&output), 0, "{command} {format}: {}", stderr(&output));
        }
    }
    // `table` and `human` are one format.
    let table = stdout(&repo.run(&["check", "--format", "table"]));
    assert_eq!(table, stdout(&repo.run(&["check"])));
}

#[test]
fn a_binary_terraform_plan_says_how_to_make_it_readable() {
    let repo = Repo::new();
    let path = repo.path("plan.tfplan");
    std::fs::write(&path, b"PK\x03\x04\x14\x00\x00\x00binary plan").unwrap();
    let output = repo.run(&["check", "plan.tfplan"]);
    assert_eq!(code(&output), 2);
    assert!(stdout(&output).contains("run `terraform show -json PLAN > plan.json`"), "{}", stdout(&output));
    // Found by walking (a plan saved as `plan.json`), it is skipped like any file without a PT.
    std::fs::rename(&path, repo.path("plan.json")).unwrap();
    assert_eq!(code(&repo.run(&["check"])), 0);
    assert!(Path::new(&repo.path("plan.json")).exists());
}

/// The same Terraform address in two directories (two workspaces of one module), with a one-month commitment.
fn same_address_twice() -> Repo {
    let repo = Repo::new();
    for env in ["dev", "prod"] {
        let text =
            pt("chat").replace(r#""model_units": 1,"#, r#""model_units": 1, "commitment_duration": "OneMonth","#);
        repo.write(&format!("{env}/pt.tf.json"), &text);
    }
    repo
}

const PROVEN: &str =
    "    observed_days: 120\n    monthly_input_tokens: 900000000000\n    monthly_output_tokens: 90000000000\n";

#[test]
fn usage_and_ignore_keys_can_name_a_path() {
    let repo = same_address_twice();
    let config = format!(
        "policy:\n  levels: {{PT005: off}}\nusage:\n  prod:aws_bedrock_provisioned_model_throughput.chat:\n{PROVEN}"
    );
    repo.write(".ptlint.yaml", &config);
    // Evidence proves prod only: dev's commitment still lacks evidence.
    let report = json(&repo.run(&["check", "--format", "json"]));
    assert_eq!(findings(&report), [finding("PT003", "dev/pt.tf.json", "error")]);

    // A `path:` on an `ignore` entry suppresses in that directory only.
    let ignore =
        "ignore:\n  - {rule: PT003, resource: aws_bedrock_provisioned_model_throughput.chat, path: prod, reason: r}\n";
    repo.write(".ptlint.yaml", &format!("policy:\n  levels: {{PT005: off}}\n{ignore}"));
    let report = json(&repo.run(&["check", "--format", "json"]));
    assert_eq!(findings(&report), [finding("PT003", "dev/pt.tf.json", "error")]);
    let scoped =
        "ignore:\n  - {rule: PT003, resource: \"dev:aws_bedrock_provisioned_model_throughput.chat\", reason: r}\n";
    repo.write(".ptlint.yaml", &format!("policy:\n  levels: {{PT005: off}}\n{scoped}"));
    let report = json(&repo.run(&["check", "--format", "json"]));
    assert_eq!(findings(&report), [finding("PT003", "prod/pt.tf.json", "error")]);
}

#[test]
fn an_unscoped_key_that_matches_several_files_is_reported() {
    let repo = same_address_twice();
    let config = format!(
        "policy:\n  levels: {{PT005: off}}\nusage:\n  aws_bedrock_provisioned_model_throughput.chat:\n{PROVEN}"
    );
    repo.write(".ptlint.yaml", &config);
    let output = repo.run(&["check", "--format", "json"]);
    let report = json(&output);
    let warnings: Vec<(String, u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (f["rule"].as_str().unwrap().into(), f["line"].as_u64().unwrap(), f["message"].as_str().unwrap().into())
        })
        .collect();
    assert_eq!(warnings.len(), 1, "{report:#}");
    assert_eq!((warnings[0].0.as_str(), warnings[0].1), ("PT905", 4));
    assert!(warnings[0].2.contains("dev/pt.tf.json, prod/pt.tf.json"), "{}", warnings[0].2);
    // The evidence still applies (a warning, not a silent change), so no PT003 is raised.
    assert_eq!(code(&output), 0);

    // An `ignore` entry colliding across files is reported too.
    repo.write(
        ".ptlint.yaml",
        "policy:\n  levels: {PT005: off}\nignore:\n  - {rule: PT003, resource: aws_bedrock_provisioned_model_throughput.chat, reason: r}\n",
    );
    let report = json(&repo.run(&["check", "--format", "json"]));
    assert_eq!(findings(&report), [finding("PT905", ".ptlint.yaml", "warning")]);
}

#[test]
fn a_finding_on_a_one_line_plan_shows_a_window_not_the_whole_line() {
    let repo = Repo::new();
    // A `terraform show -json` plan on one line, as terraform writes it.
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/commitment-without-usage-evidence/fail/module_for_each_no_usage.plan.json"
    );
    let plan: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let mut text = serde_json::to_string(&plan).unwrap();
    // Pad the line so that printing it whole could not pass the length check below.
    text.insert_str(1, &format!("\"padding\":\"{}\",", "x".repeat(50_000)));
    repo.write("plan.json", &text);
    let output = repo.run(&["check", "plan.json"]);
    assert_eq!(code(&output), 1);
    let printed = stdout(&output);
    // Two findings (PT003, PT010), each a window of the line: the value and about 50 columns either side.
    assert!(printed.len() < 4_000, "{} bytes printed for a {} byte plan", printed.len(), text.len());
    assert!(printed.lines().all(|line| line.chars().count() < 200), "{printed}");
    insta::assert_snapshot!("one_line_plan", printed);
}

#[test]
fn facts_and_cost_name_the_inputs_that_failed() {
    let repo = Repo::new();
    repo.write("pt.tf.json", &pt("chat"));
    repo.write("broken.yaml", BROKEN_TEMPLATE);
    for command in ["facts", "cost"] {
        let output = repo.run(&[command, "--format", "json"][..if command == "facts" { 1 } else { 3 }]);
        assert_eq!(code(&output), 2, "{command}");
        assert_eq!(
            stderr(&output),
            "error: broken.yaml:5:1: while parsing a node, did not find expected node content\n",
            "{command}"
        );
        let report = json(&output);
        assert_eq!(report["errors"][0]["file"], "broken.yaml", "{command}: {report:#}");
        assert_eq!(report["errors"][0]["line"], 5, "{command}");
    }
}

#[test]
fn the_summary_counts_unpriced_throughputs_instead_of_naming_them() {
    let repo = Repo::new();
    for name in ["a", "b"] {
        repo.write(
            &format!("{name}.tf.json"),
            &pt(name).replace("anthropic.claude-instant-v1:2:100k", "example.unknown-v1:0"),
        );
    }
    let output = repo.run(&["check", "--select", "PT007"]);
    let printed = stdout(&output);
    let last_lines: Vec<&str> = printed.lines().rev().take(2).collect();
    assert_eq!(last_lines[1], "2 provisioned throughputs: standing cost unknown; 2 unpriced (see `ptlint cost`)");
}

#[test]
fn a_baseline_hides_known_findings_and_says_how_many() {
    let repo = Repo::layout();
    // Adopt ptlint: record today's findings.
    let written = repo.run(&["check", "--write-baseline", "ptlint-baseline.json"]);
    // The findings just recorded are accepted, so `ptlint check --write-baseline F && git add F` works.
    assert_eq!(code(&written), 0, "{}", stdout(&written));
    assert!(stdout(&written).ends_with("1 finding hidden by the baseline\n"), "{}", stdout(&written));
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo.path("ptlint-baseline.json")).unwrap()).unwrap();
    assert_eq!(baseline["fingerprint"], "ptlint/v1");
    assert_eq!(baseline["findings"][0]["file"], "infra/team-a/team.tf.json");
    assert_eq!(baseline["findings"].as_array().unwrap().len(), 1);

    let output = repo.run(&["check", "--baseline", "ptlint-baseline.json"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(stdout(&output).ends_with("0 errors, 0 warnings, 0 notes in 3 files; 1 finding hidden by the baseline\n"));
    // From a subdirectory the same baseline matches (paths are relative to the baseline file).
    let nested = repo.run_in("infra", &["check", ".", "--baseline", "../ptlint-baseline.json", "--format", "json"]);
    assert_eq!(code(&nested), 0);
    assert_eq!(json(&nested)["summary"]["baselined"], 1);

    // A new finding is reported.
    repo.write("infra/team-a/second.tf.json", &pt("second"));
    let report = json(&repo.run(&["check", "--baseline", "ptlint-baseline.json", "--format", "json"]));
    assert_eq!(findings(&report), [finding("PT005", "infra/team-a/second.tf.json", "error")]);
    assert_eq!(report["summary"]["baselined"], 1);

    // A file that is not a baseline is an error with its position.
    repo.write("bad.json", "{\"version\": 1,\n \"nope\": 2}\n");
    let bad = repo.run(&["check", "--baseline", "bad.json"]);
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).starts_with("error: bad.json:2:"), "{}", stderr(&bad));
}

#[test]
fn synthesized_templates_are_scanned_although_git_ignores_them() {
    let repo = Repo::new();
    repo.write(".gitignore", "cdk.out\ncdktf.out/\n");
    let cfn = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/missing-utilization-alarm/fail/throttle_alarm_only.json");
    repo.write("app/cdk.out/AppStack.template.json", &std::fs::read_to_string(cfn).unwrap());
    repo.write("cdktf.out/stacks/app/cdk.tf.json", &pt("chat"));
    // The app files say where the synthesized templates are.
    repo.write("app/cdk.json", "{\"app\": \"npx ts-node bin/app.ts\"}\n");
    repo.write("cdktf.json", "{\"language\": \"typescript\", \"app\": \"npx ts-node main.ts\"}\n");
    let report = json(&repo.run(&["check", "--format", "json", "--fail-on", "never"]));
    let mut files: Vec<&str> =
        report["throughputs"].as_array().unwrap().iter().map(|t| t["file"].as_str().unwrap()).collect();
    files.sort_unstable();
    assert_eq!(files, ["app/cdk.out/AppStack.template.json", "cdktf.out/stacks/app/cdk.tf.json"]);
}

/// A Terraform module with one PT (no alarm) in `main.tf` and a variable in `variables.tf`.
fn hcl_module(repo: &Repo, dir: &str, name: &str) {
    let main = format!(
        "provider \"aws\" {{\n  region = \"us-east-1\"\n}}\n\nresource \"aws_bedrock_provisioned_model_throughput\" \"{name}\" {{\n  \
         provisioned_model_name = \"{name}\"\n  model_arn = \"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-instant-v1:2:100k\"\n  \
         model_units = 1\n}}\n"
    );
    repo.write(&format!("{dir}/main.tf"), &main);
    repo.write(&format!("{dir}/variables.tf"), "variable \"x\" {\n  default = 1\n}\n");
}

#[test]
fn a_named_tf_file_brings_its_module_and_other_modules_are_context() {
    let repo = Repo::new();
    hcl_module(&repo, "infra", "chat");
    hcl_module(&repo, "other", "batch");
    // The hook names only the changed variables.tf: its module is the unit that is checked.
    let report = json(&repo.run(&["check", "infra/variables.tf", "--format", "json"]));
    assert_eq!(findings(&report), [finding("PT005", "infra/main.tf", "error")]);
    assert_eq!(report["throughputs"].as_array().unwrap().len(), 1);
    // The whole repository: both modules.
    let all = json(&repo.run(&["check", "--format", "json"]));
    assert_eq!(
        findings(&all),
        [finding("PT005", "infra/main.tf", "error"), finding("PT005", "other/main.tf", "error")]
    );
}

#[test]
fn a_named_file_run_does_not_call_suppressions_of_other_files_unused() {
    let repo = Repo::layout();
    // A second top-level PT without an alarm, its finding suppressed in the top-level config.
    repo.write("other.tf.json", &pt("other"));
    let entry = "  - {rule: PT005, resource: aws_bedrock_provisioned_model_throughput.other, reason: known}\n";
    repo.write(".ptlint.yaml", &format!("region: us-east-1\nexclude:\n  - legacy\nignore:\n{entry}"));
    let whole = json(&repo.run(&["check", "--format", "json", "--select", "PT005,PT900"]));
    assert_eq!(findings(&whole), [finding("PT005", "infra/team-a/team.tf.json", "error")]);
    // The hook names only pt.tf.json: the entry matched nothing in this run, but it is not unused.
    let named = json(&repo.run(&["check", "pt.tf.json", "--format", "json"]));
    assert!(findings(&named).is_empty(), "{named:#}");
    // A stale entry is still reported by a whole-repository run.
    let stale = "  - {rule: PT003, resource: Nothing, reason: stale}\n";
    repo.write(".ptlint.yaml", &format!("region: us-east-1\nexclude:\n  - legacy\nignore:\n{entry}{stale}"));
    let report = json(&repo.run(&["check", "--format", "json", "--select", "PT900"]));
    assert_eq!(findings(&report), [finding("PT900", ".ptlint.yaml", "warning")]);
}
