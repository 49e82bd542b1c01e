//! The GitHub Action and the pre-commit hooks: `action.yml` and `.pre-commit-hooks.yaml` are well formed, and
//! `action/entrypoint.sh` run in a simulated GitHub environment writes the annotations, summary, outputs and SARIF.

#[path = "support/github.rs"]
mod github;

use github::{root, Github, CONFIG, PATHS};
use serde_yaml::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

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
        ("comment", Some("false")),
        ("pr-number", None),
        ("github-token", Some("${{ github.token }}")),
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
            ["findings", "monthly-cost", "monthly-cost-change", "sarif-file", "markdown-file"].contains(&name),
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
        assert_eq!(text(&hook["files"]), r"(\.template|\.ya?ml|\.json|\.tf|\.tfvars)$");
    }
}

fn available(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success())
}

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
        let (head, markdown) = outputs.split_once("markdown-file=").expect("a markdown-file output");
        assert_eq!(
            head,
            // Six findings: the config's `ignore:` entry that matches nothing here (PT900) is not judged, since the
            // directories are read with the rest of their project (this repository), where PTs of that address are
            // read for context under the same `--config` (docs/scope.md).
            format!("findings=6\nmonthly-cost=20878.00\nmonthly-cost-change=\nsarif-file={}\n", sarif_path.display()),
            "{tool}"
        );
        // The Markdown report of the same run is the summary.
        assert_eq!(std::fs::read_to_string(markdown.trim_end()).unwrap(), summary, "{tool}");
        let sarif: serde_json::Value = serde_json::from_str(&github.read("ptlint.sarif")).unwrap();
        assert_eq!(sarif["runs"][0]["results"].as_array().map(Vec::len), Some(6));
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
    assert_eq!(report["summary"]["findings"], 6);
    assert_eq!(github.read("summary.md"), "", "no job summary when step-summary is false");
    assert!(github.read("output.txt").starts_with("findings=6\n"));
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
    assert!(github.read("output.txt").contains("findings=6\n"));
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

/// `owner/repo@<40 hex digits>`, optionally with a path after the repository.
fn pinned_to_a_commit(uses: &str) -> bool {
    uses.split_once('@').is_some_and(|(_, rev)| rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[test]
fn action_yml_installs_pinned_and_cached_by_content() {
    let action = load("action.yml");
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let step = |id: &str| steps.iter().find(|s| s["id"].as_str() == Some(id)).unwrap_or_else(|| panic!("step {id}"));
    for uses in steps.iter().filter_map(|s| s["uses"].as_str()) {
        assert!(pinned_to_a_commit(uses), "`uses: {uses}` is not pinned to a commit");
    }
    // github.action_ref is empty inside composite actions: a key on it would miss on every commit.
    let cache = step("cache");
    let key = text(&cache["with"]["key"]);
    assert!(!key.contains("action_ref"), "{key}");
    assert!(key.contains("steps.plan.outputs.cache-key"), "{key}");
    assert_eq!(text(&cache["with"]["path"]), "~/.ptlint-action/build", "where install.sh builds by default");
    assert!(text(&step("plan")["run"]).ends_with("action/install.sh\" plan"));
    assert!(text(&step("install")["run"]).ends_with("action/install.sh\" install"));
    // The binary is handed to the entrypoint, not put on PATH through GITHUB_PATH.
    assert_eq!(text(&step("run")["env"]["PTLINT"]), "${{ steps.install.outputs.ptlint || 'ptlint' }}");
    for file in ["action.yml", "action/install.sh", "action/entrypoint.sh"] {
        let source = std::fs::read_to_string(root().join(file)).unwrap();
        assert!(!source.contains(">>\"$GITHUB_PATH\"") && !source.contains(">> \"$GITHUB_PATH\""), "{file}");
        assert!(!source.contains(">>$GITHUB_PATH"), "{file}");
    }
}

#[test]
fn workflows_pin_their_actions_and_grant_least_privilege() {
    for file in [".github/workflows/ci.yml", ".github/workflows/release.yml"] {
        let workflow = load(file);
        assert_eq!(
            workflow["permissions"].as_mapping().map(|m| m.len()),
            Some(0),
            "{file}: top-level permissions: {{}}"
        );
        for (name, job) in workflow["jobs"].as_mapping().unwrap() {
            let job_name = text(name);
            assert!(job["permissions"].is_mapping(), "{file}: job {job_name} declares its permissions");
            for step in job["steps"].as_sequence().unwrap() {
                if let Some(uses) = step["uses"].as_str() {
                    assert!(pinned_to_a_commit(uses), "{file}: `uses: {uses}` is not pinned to a commit");
                }
                if let Some(with) = step["with"].as_mapping() {
                    if step["uses"].as_str().is_some_and(|u| u.starts_with("actions/checkout@")) {
                        assert_eq!(with.get("persist-credentials").and_then(Value::as_bool), Some(false), "{file}");
                    }
                }
            }
        }
        // Each pin says which release it is, so an update is reviewable.
        let source = std::fs::read_to_string(root().join(file)).unwrap();
        for line in
            source.lines().filter(|l| l.trim_start().starts_with("- uses:") || l.trim_start().starts_with("uses:"))
        {
            assert!(line.contains(" # v"), "{file}: `{}` has no `# vX.Y.Z` comment", line.trim());
        }
    }
    let write: Vec<String> = ["ci.yml", "release.yml"]
        .iter()
        .flat_map(|file| {
            let workflow = load(&format!(".github/workflows/{file}"));
            workflow["jobs"]
                .as_mapping()
                .unwrap()
                .iter()
                .filter(|(_, job)| job["permissions"]["contents"].as_str() == Some("write"))
                .map(|(name, _)| format!("{file}:{}", text(name)))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(write, ["release.yml:github-release"], "only the job that creates the release may write");
}

/// Runs `action/install.sh` with `env`, GITHUB_OUTPUT and RUNNER_TEMP in `dir`; returns the output and GITHUB_OUTPUT.
fn install_sh(dir: &Path, args: &str, env: &[(&str, &str)]) -> (Output, String) {
    let outputs = dir.join("github-output.txt");
    std::fs::write(&outputs, "").unwrap();
    let runner_temp = dir.join("runner-temp");
    std::fs::create_dir_all(&runner_temp).unwrap();
    let mut command = Command::new("bash");
    command
        .arg(root().join("action/install.sh"))
        .arg(args)
        .env("GITHUB_OUTPUT", &outputs)
        .env("RUNNER_TEMP", &runner_temp)
        .env("GITHUB_ACTION_PATH", root())
        .env("PTLINT_BUILD_ROOT", dir.join("build-root"))
        .env_remove("INPUT_VERSION");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    (output, std::fs::read_to_string(outputs).unwrap())
}

fn output_value<'a>(outputs: &'a str, name: &str) -> Option<&'a str> {
    outputs.lines().find_map(|l| l.strip_prefix(&format!("{name}=")))
}

#[test]
fn install_sh_targets_are_the_release_targets() {
    let release = load(".github/workflows/release.yml");
    let built: BTreeSet<&str> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|entry| text(&entry["target"]))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut installed = BTreeSet::new();
    for (os, arch) in [("Linux", "X64"), ("Linux", "ARM64"), ("macOS", "X64"), ("macOS", "ARM64"), ("Windows", "X64")] {
        let (output, outputs) =
            install_sh(dir.path(), "plan", &[("RUNNER_OS", os), ("RUNNER_ARCH", arch), ("INPUT_VERSION", "0.1.0")]);
        assert!(output.status.success(), "{os}/{arch}: {}", String::from_utf8_lossy(&output.stdout));
        assert_eq!(output_value(&outputs, "method"), Some("release"), "{os}/{arch}");
        installed.insert(output_value(&outputs, "target").unwrap().to_string());
    }
    let installed: BTreeSet<&str> = installed.iter().map(String::as_str).collect();
    assert_eq!(installed, built);
    // The archive name release.yml packages, the one install.sh downloads, and the one cargo-binstall expects.
    let workflow = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    assert!(workflow.contains(r#"name="ptlint-v$VERSION-$TARGET""#));
    let script = std::fs::read_to_string(root().join("action/install.sh")).unwrap();
    assert!(script.contains(r#"asset="ptlint-v$version-$target.tar.gz""#));
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(manifest.contains(r#"/releases/download/v{ version }/{ name }-v{ version }-{ target }{ archive-suffix }""#));
}

#[test]
fn install_sh_plans_by_version_platform_and_source() {
    let dir = tempfile::tempdir().unwrap();
    // No binary for this runner: the exact version from crates.io, cached by version.
    let (output, outputs) =
        install_sh(dir.path(), "plan", &[("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "ARM"), ("INPUT_VERSION", "v0.1.0")]);
    assert!(output.status.success());
    assert_eq!(output_value(&outputs, "method"), Some("crate"));
    assert_eq!(output_value(&outputs, "cache-key"), Some("crate-0.1.0"));
    // A version that is not a version number never reaches a URL or cargo.
    let (output, outputs) = install_sh(dir.path(), "plan", &[("INPUT_VERSION", "0.1.0; curl evil")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("is not a version number"));
    assert_eq!(outputs, "");

    // No version: this source, cached by a hash of what a build compiles.
    let source = dir.path().join("action");
    for (file, content) in [
        ("Cargo.toml", "[package]\n"),
        ("Cargo.lock", "# lock\n"),
        ("src/main.rs", "fn main() {}\n"),
        ("rules/a.guard", "rule a {}\n"),
        ("README.md", "readme\n"),
    ] {
        std::fs::create_dir_all(source.join(file).parent().unwrap()).unwrap();
        std::fs::write(source.join(file), content).unwrap();
    }
    let key = || {
        let (output, outputs) = install_sh(dir.path(), "plan", &[("GITHUB_ACTION_PATH", source.to_str().unwrap())]);
        assert!(output.status.success());
        assert_eq!(output_value(&outputs, "method"), Some("source"));
        output_value(&outputs, "cache-key").unwrap().to_string()
    };
    let first = key();
    assert!(first.strip_prefix("source-").is_some_and(|h| h.len() == 64), "{first}");
    assert_eq!(key(), first, "the same source, the same key");
    std::fs::write(source.join("README.md"), "not compiled\n").unwrap();
    assert_eq!(key(), first, "a file the build does not read leaves the key alone");
    std::fs::write(source.join("rules/a.guard"), "rule a { changed }\n").unwrap();
    let second = key();
    assert_ne!(second, first, "an embedded rule changed");
    std::fs::write(source.join("src/main.rs"), "fn main() { }\n").unwrap();
    assert_ne!(key(), second, "the source changed");
}

/// A fake release of `version` for x86_64 Linux under `dir/release`, whose `.sha256` holds `checksum` (or the
/// archive's own SHA-256 when None). Returns the file:// URL of the release directory.
#[cfg(unix)]
fn fake_release(dir: &Path, version: &str, checksum: Option<&str>) -> String {
    let name = format!("ptlint-v{version}-x86_64-unknown-linux-musl");
    let stage = dir.join("stage").join(&name);
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::write(stage.join("ptlint"), format!("#!/bin/sh\necho \"fake ptlint {version} $*\"\n")).unwrap();
    let release = dir.join("release").join(format!("v{version}"));
    std::fs::create_dir_all(&release).unwrap();
    let archive = release.join(format!("{name}.tar.gz"));
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "chmod +x '{}' && tar -C '{}' -czf '{}' '{name}'",
            stage.join("ptlint").display(),
            dir.join("stage").display(),
            archive.display()
        ))
        .status()
        .unwrap();
    assert!(status.success());
    let sum = match checksum {
        Some(sum) => sum.to_string(),
        None => {
            let out = Command::new("sh")
                .arg("-c")
                .arg(format!(
                    "(sha256sum '{0}' || shasum -a 256 '{0}') 2>/dev/null | cut -d ' ' -f 1",
                    archive.display()
                ))
                .output()
                .unwrap();
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        }
    };
    assert_eq!(sum.len(), 64);
    std::fs::write(release.join(format!("{name}.tar.gz.sha256")), format!("{sum}  {name}.tar.gz\n")).unwrap();
    format!("file://{}", dir.join("release").display())
}

#[cfg(unix)]
#[test]
fn install_sh_installs_a_release_binary_whose_checksum_matches() {
    let dir = tempfile::tempdir().unwrap();
    let url = fake_release(dir.path(), "9.9.9", None);
    let env =
        [("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "X64"), ("INPUT_VERSION", "9.9.9"), ("PTLINT_RELEASE_URL", &url)];
    let (output, outputs) = install_sh(dir.path(), "install", &env);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("SHA-256 verified: "), "{stdout}");
    let binary = output_value(&outputs, "ptlint").expect("the ptlint output");
    assert!(binary.ends_with("/ptlint-v9.9.9-x86_64-unknown-linux-musl/ptlint"), "{binary}");
    let ran = Command::new(binary).arg("--version").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&ran.stdout), "fake ptlint 9.9.9 --version\n");
}

#[cfg(unix)]
#[test]
fn install_sh_refuses_a_release_binary_whose_checksum_differs() {
    let dir = tempfile::tempdir().unwrap();
    let url = fake_release(dir.path(), "9.9.9", Some(&"0".repeat(64)));
    let env =
        [("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "X64"), ("INPUT_VERSION", "9.9.9"), ("PTLINT_RELEASE_URL", &url)];
    let (output, outputs) = install_sh(dir.path(), "install", &env);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("::error title=ptlint install::checksum mismatch for ptlint-v9.9.9-"), "{stdout}");
    assert_eq!(output_value(&outputs, "ptlint"), None, "no binary is handed on");
    let unpacked = dir.path().join("runner-temp/ptlint-release/ptlint-v9.9.9-x86_64-unknown-linux-musl");
    assert!(!unpacked.exists(), "the archive is not unpacked");

    // A version with no release says so.
    let env =
        [("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "X64"), ("INPUT_VERSION", "9.9.8"), ("PTLINT_RELEASE_URL", &url)];
    let (output, outputs) = install_sh(dir.path(), "install", &env);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("is 9.9.8 a released version?"));
    assert_eq!(output_value(&outputs, "ptlint"), None);
}

#[test]
fn install_without_cargo_says_to_give_a_version_or_set_up_rust() {
    let dir = tempfile::tempdir().unwrap();
    // A PATH with the shell's tools but no cargo.
    let output = Command::new("bash")
        .arg(root().join("action/install.sh"))
        .arg("install")
        .env("PATH", "/usr/bin:/bin")
        .env("PTLINT_BUILD_ROOT", dir.path().join("build"))
        .env_remove("INPUT_VERSION")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("command not found"));
    assert!(stdout.contains("::error title=ptlint install::cargo is not on this runner"), "{stdout}");
    assert!(stdout.contains("`version`") && stdout.contains("set up Rust"), "{stdout}");
}
