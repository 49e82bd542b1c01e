//! The GitHub Action and the pre-commit hooks: `action.yml` and `.pre-commit-hooks.yaml` are well formed, and
//! `action/entrypoint.sh` run in a simulated GitHub environment writes the annotations, summary, outputs and SARIF.

use serde_yaml::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_else(|| panic!("not a string: {value:?}"))
}

/// Every `<prefix>NAME` in `text`, where NAME runs over `[A-Za-z0-9_-]`.
fn references<'a>(text: &'a str, prefix: &str) -> BTreeSet<&'a str> {
    text.match_indices(prefix)
        .map(|(i, _)| {
            let rest = &text[i + prefix.len()..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn action_yml_is_well_formed() {
    let action = load("action.yml");
    for key in ["name", "description"] {
        assert!(!text(&action[key]).is_empty(), "{key}");
    }
    assert_eq!(text(&action["runs"]["using"]), "composite");
    let inputs = action["inputs"].as_mapping().unwrap();
    let expected = [
        ("paths", Some(".")),
        ("config", None),
        ("usage-file", None),
        ("format", Some("github")),
        ("fail-on", Some("error")),
        ("sarif-file", Some("ptlint.sarif")),
        ("step-summary", Some("true")),
        ("compare-to", Some("${{ github.base_ref && format('git:{0}', github.base_ref) || '' }}")),
        ("version", None),
    ];
    for (name, default) in expected {
        let input = &inputs[name];
        assert!(!text(&input["description"]).is_empty(), "input {name} has a description");
        if let Some(default) = default {
            assert_eq!(text(&input["default"]), default, "default of {name}");
        }
    }
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let ids: BTreeSet<&str> = steps.iter().filter_map(|s| s["id"].as_str()).collect();
    for step in steps {
        if step.get("run").is_some() {
            assert_eq!(text(&step["shell"]), "bash", "composite run steps need a shell: {step:?}");
        } else {
            assert!(step.get("uses").is_some(), "a step runs or uses: {step:?}");
        }
    }
    // Re-serialised, so the usage example in the comments is not taken for the action itself.
    let source = serde_yaml::to_string(&action).unwrap();
    let names: BTreeSet<&str> = inputs.keys().map(text).collect();
    for used in references(&source, "inputs.") {
        assert!(names.contains(used), "`inputs.{used}` is referenced but not declared");
    }
    for used in references(&source, "steps.") {
        assert!(ids.contains(used), "`steps.{used}` is referenced but no step has that id");
    }
    for name in names {
        assert!(source.contains(&format!("inputs.{name} }}}}")), "input `{name}` is declared but never used");
    }
    let entrypoint = std::fs::read_to_string(root().join("action/entrypoint.sh")).unwrap();
    assert!(source.contains("action/entrypoint.sh"));
    for (name, output) in action["outputs"].as_mapping().unwrap() {
        let name = text(name);
        assert!(
            ["findings", "monthly-cost", "monthly-cost-change", "sarif-file"].contains(&name),
            "unexpected output {name}"
        );
        assert_eq!(text(&output["value"]), format!("${{{{ steps.run.outputs.{name} }}}}"));
        assert!(entrypoint.contains(&format!("echo \"{name}=")), "entrypoint.sh writes output {name}");
    }
}

#[test]
fn pre_commit_hooks_are_well_formed() {
    let hooks = load(".pre-commit-hooks.yaml");
    let hooks = hooks.as_sequence().unwrap();
    let by_id = |id: &str| hooks.iter().find(|h| h["id"].as_str() == Some(id)).unwrap_or_else(|| panic!("hook {id}"));
    let staged = by_id("ptlint");
    assert_eq!(text(&staged["entry"]), "ptlint check");
    assert_eq!(staged["require_serial"].as_bool(), Some(true));
    let repo = by_id("ptlint-repo");
    assert_eq!(text(&repo["entry"]), "ptlint check .");
    assert_eq!(repo["pass_filenames"].as_bool(), Some(false));
    assert_eq!(repo["always_run"].as_bool(), Some(false));
    for hook in [staged, repo] {
        assert_eq!(text(&hook["language"]), "rust");
        assert_eq!(text(&hook["files"]), r"(\.template|\.ya?ml|\.json)$");
    }
}

/// A temporary GitHub environment: the files the runner would provide, and where the SARIF goes.
struct Github {
    dir: tempfile::TempDir,
}

impl Github {
    fn new() -> Github {
        let dir = tempfile::tempdir().unwrap();
        for file in ["summary.md", "output.txt"] {
            std::fs::write(dir.path().join(file), "").unwrap();
        }
        Github { dir }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path(file)).unwrap_or_default()
    }

    /// Run the entrypoint from the crate root with `inputs` as `INPUT_*` variables.
    fn run(&self, inputs: &[(&str, &str)]) -> Output {
        let bin = Path::new(env!("CARGO_BIN_EXE_ptlint")).parent().unwrap().to_path_buf();
        let path = std::env::join_paths(
            std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
        )
        .unwrap();
        let mut command = Command::new("bash");
        command
            .arg(root().join("action/entrypoint.sh"))
            .current_dir(root())
            .env("PATH", path)
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_STEP_SUMMARY", self.path("summary.md"))
            .env("GITHUB_OUTPUT", self.path("output.txt"))
            .env("INPUT_SARIF_FILE", self.path("ptlint.sarif"))
            .env_remove("PTLINT_JSON_TOOL")
            .env_remove("NO_COLOR");
        for (name, value) in inputs {
            command.env(name, value);
        }
        command.output().unwrap()
    }
}

fn available(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success())
}

const PATHS: &str = "fixtures/report/cfn\nfixtures/report/tf";
const CONFIG: &str = "fixtures/report/ptlint.yaml";

#[test]
fn entrypoint_annotates_summarises_and_fails_on_errors() {
    let tools: Vec<&str> = ["jq", "python3"].into_iter().filter(|t| available(t)).collect();
    assert!(!tools.is_empty(), "the test needs jq or python3");
    for tool in tools {
        let github = Github::new();
        let output = github.run(&[("INPUT_PATHS", PATHS), ("INPUT_CONFIG", CONFIG), ("PTLINT_JSON_TOOL", tool)]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{tool}: errors fail the step\n{stdout}\n{stderr}");
        assert!(stdout.contains("::error file=fixtures/report/cfn/support.yaml,line=11,"), "{stdout}");
        assert!(stdout.contains("::warning file=fixtures/report/tf/chat.tf.json,"), "{stdout}");

        let summary = github.read("summary.md");
        assert!(summary.starts_with("## ptlint"), "{summary}");
        assert!(summary.contains("| error | [PT001]"), "{summary}");
        assert!(summary.contains("**Total standing cost:** $20,878.00/month"), "{summary}");

        let outputs = github.read("output.txt");
        let sarif_path = github.path("ptlint.sarif");
        assert_eq!(
            outputs,
            format!("findings=7\nmonthly-cost=20878.00\nmonthly-cost-change=\nsarif-file={}\n", sarif_path.display()),
            "{tool}"
        );
        let sarif: serde_json::Value = serde_json::from_str(&github.read("ptlint.sarif")).unwrap();
        assert_eq!(sarif["runs"][0]["results"].as_array().map(Vec::len), Some(7));
    }
}

#[test]
fn entrypoint_honours_fail_on_step_summary_and_format() {
    let github = Github::new();
    let output = github.run(&[
        ("INPUT_PATHS", PATHS),
        ("INPUT_CONFIG", CONFIG),
        ("INPUT_FAIL_ON", "never"),
        ("INPUT_STEP_SUMMARY", "false"),
        ("INPUT_FORMAT", "json"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["findings"], 7);
    assert_eq!(github.read("summary.md"), "", "no job summary when step-summary is false");
    assert!(github.read("output.txt").starts_with("findings=7\n"));
}

#[test]
fn entrypoint_exits_2_on_input_errors_and_still_reports() {
    let github = Github::new();
    let paths = format!("{PATHS} fixtures/report/broken");
    let output = github.run(&[("INPUT_PATHS", &paths), ("INPUT_CONFIG", CONFIG), ("INPUT_FAIL_ON", "never")]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("::error file=fixtures/report/broken/truncated.yaml,line=7,col=17,title=ptlint input error::")
    );
    assert!(github.read("summary.md").contains("### Input errors"));
    assert!(github.read("output.txt").contains("findings=7\n"));
}

#[test]
fn entrypoint_reports_the_cost_change_against_compare_to() {
    let tools: Vec<&str> = ["jq", "python3"].into_iter().filter(|t| available(t)).collect();
    assert!(!tools.is_empty(), "the test needs jq or python3");
    for tool in tools {
        let github = Github::new();
        let output = github.run(&[
            ("INPUT_PATHS", "fixtures/diff/cfn/after"),
            ("INPUT_COMPARE_TO", "fixtures/diff/cfn/before"),
            ("INPUT_FAIL_ON", "never"),
            ("PTLINT_JSON_TOOL", tool),
        ]);
        assert_eq!(output.status.code(), Some(0), "{tool}: {}", String::from_utf8_lossy(&output.stderr));
        let outputs = github.read("output.txt");
        assert!(outputs.contains("\nmonthly-cost-change=7227.00\n"), "{tool}: {outputs}");
        let summary = github.read("summary.md");
        assert!(
            summary.contains("**This change adds $7,227.00/month of standing Bedrock capacity"),
            "{tool}: {summary}"
        );
    }
    // A reduction is signed.
    let github = Github::new();
    github.run(&[
        ("INPUT_PATHS", "fixtures/diff/cfn/before"),
        ("INPUT_COMPARE_TO", "fixtures/diff/cfn/after"),
        ("INPUT_FAIL_ON", "never"),
    ]);
    assert!(github.read("output.txt").contains("\nmonthly-cost-change=-7227.00\n"), "{}", github.read("output.txt"));
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

/// A pull request's checkout holds only the head branch: the entrypoint fetches the base branch (here from a
/// local "origin", so without network) and reports the change against it.
#[test]
fn entrypoint_fetches_a_base_branch_the_checkout_does_not_have() {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    std::fs::create_dir_all(origin.join("infra")).unwrap();
    let fixture =
        |side: &str| std::fs::read_to_string(root().join("fixtures/diff/cfn").join(side).join("stack.yaml")).unwrap();
    std::fs::write(origin.join("infra/stack.yaml"), fixture("before")).unwrap();
    git(&origin, &["init", "-q", "-b", "main"]);
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-q", "-m", "base"]);
    git(&origin, &["checkout", "-q", "-b", "feature"]);
    std::fs::write(origin.join("infra/stack.yaml"), fixture("after")).unwrap();
    git(&origin, &["commit", "-q", "-am", "head"]);
    let checkout = dir.path().join("checkout");
    let url = format!("file://{}", origin.display());
    git(dir.path(), &["clone", "-q", "--depth=1", "--single-branch", "--branch", "feature", &url, "checkout"]);

    let github = Github::new();
    let bin = Path::new(env!("CARGO_BIN_EXE_ptlint")).parent().unwrap().to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let run = |compare_to: &str| {
        std::fs::write(github.path("output.txt"), "").unwrap();
        Command::new("bash")
            .arg(root().join("action/entrypoint.sh"))
            .current_dir(&checkout)
            .env("PATH", &path)
            .env("GITHUB_STEP_SUMMARY", github.path("summary.md"))
            .env("GITHUB_OUTPUT", github.path("output.txt"))
            .env("INPUT_PATHS", "infra")
            .env("INPUT_FAIL_ON", "never")
            .env("INPUT_SARIF_FILE", "")
            .env("INPUT_COMPARE_TO", compare_to)
            .output()
            .unwrap()
    };
    let output = run("git:main");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(github.read("output.txt").contains("\nmonthly-cost-change=7227.00\n"), "{}", github.read("output.txt"));
    assert!(github.read("summary.md").contains("Compared with git:origin/main."), "{}", github.read("summary.md"));

    // A base branch that cannot be found is a warning; the check still runs, without a cost change.
    let missing = run("git:no-such-branch");
    let stdout = String::from_utf8_lossy(&missing.stdout);
    assert_eq!(missing.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("::warning title=ptlint::compare-to: cannot find or fetch `no-such-branch`"), "{stdout}");
    assert!(github.read("output.txt").contains("\nmonthly-cost-change=\n"), "{}", github.read("output.txt"));
}

#[test]
fn entrypoint_without_ptlint_on_path_says_so() {
    let github = Github::new();
    let output = Command::new("bash")
        .arg(root().join("action/entrypoint.sh"))
        .current_dir(root())
        .env("PTLINT", "ptlint-that-does-not-exist")
        .env("GITHUB_OUTPUT", github.path("output.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stdout).contains("::error title=ptlint::ptlint is not on PATH"));
}
