//! Hostile Terraform and config from a stranger's pull request, run under a 4 GiB memory cap and a time limit: deep
//! nesting, values and instances that multiply, files outside the repository. Each case must end by itself, with
//! the exit code and error it should have, and print nothing from outside the repository.

#[path = "support/hostile.rs"]
mod hostile;

use std::path::PathBuf;

/// What only the file outside the repository holds; no output may contain it.
const SECRET: &str = "SECRET-7f3a9c-do-not-print";

/// A temporary directory holding a secret file and, beside it, a git work tree (`repo/`) to run in.
struct Sandbox {
    _dir: tempfile::TempDir,
    outer: PathBuf,
    repo: PathBuf,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        let outer = dir.path().to_path_buf();
        let repo = outer.join("repo");
        std::fs::create_dir_all(repo.join(".git")).expect("repo");
        std::fs::write(outer.join("secret.txt"), format!("{SECRET}\n")).expect("secret");
        Sandbox { _dir: dir, outer, repo }
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.repo.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(path, text).expect("write");
    }

    /// A link inside the repository to the secret outside it.
    fn link_to_secret(&self, relative: &str) {
        let path = self.repo.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::os::unix::fs::symlink(self.outer.join("secret.txt"), path).expect("symlink");
    }

    fn run(&self, args: &[&str]) -> hostile::Outcome {
        let outcome = hostile::run_limited(args, &self.repo);
        assert!(outcome.elapsed < hostile::TIME_LIMIT, "took {:?}", outcome.elapsed);
        assert!(!outcome.all_output().contains(SECRET), "the secret was printed:\n{}", outcome.all_output());
        outcome
    }
}

/// A PT whose model units are `units` (an expression).
fn pt(units: &str) -> String {
    format!(
        "resource \"aws_bedrock_provisioned_model_throughput\" \"p\" {{\n  provisioned_model_name = \"p\"\n  \
         model_arn = \"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2\"\n  \
         model_units = {units}\n  commitment_duration = \"OneMonth\"\n}}\n"
    )
}

fn json(outcome: &hostile::Outcome) -> serde_json::Value {
    serde_json::from_str(&outcome.stdout).unwrap_or_else(|e| panic!("{e}: {}", outcome.stdout))
}

/// The input errors of a JSON report as (file, line, message).
fn errors(outcome: &hostile::Outcome) -> Vec<(String, u64, String)> {
    json(outcome)["errors"]
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

fn the_error(outcome: &hostile::Outcome) -> (String, u64, String) {
    let errors = errors(outcome);
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.into_iter().next().expect("one error")
}

fn units(outcome: &hostile::Outcome) -> Vec<serde_json::Value> {
    json(outcome)["throughputs"].as_array().expect("throughputs").iter().map(|t| t["model_units"].clone()).collect()
}

#[test]
fn a_chain_of_ten_thousand_locals_evaluates_to_the_right_value() {
    let sandbox = Sandbox::new();
    let mut text = String::from("locals {\n  c0 = 1\n");
    for i in 1..10_000 {
        text.push_str(&format!("  c{i} = local.c{} + 1\n", i - 1));
    }
    text.push_str("}\n");
    // c9999 = 10000, so 2 units.
    text.push_str(&pt("local.c9999 - 9998"));
    sandbox.write("main.tf", &text);
    let outcome = sandbox.run(&["--format", "json"]);
    outcome.assert_code(1);
    assert!(errors(&outcome).is_empty(), "{:?}", errors(&outcome));
    assert_eq!(units(&outcome), [serde_json::json!(2)]);
}

#[test]
fn thirty_thousand_nested_splats_stop_at_the_depth_limit_naming_the_line() {
    let sandbox = Sandbox::new();
    let splats = "[*]".repeat(30_000);
    sandbox.write("main.tf", &format!("locals {{\n  x = [1]\n  y = local.x{splats}\n}}\n{}", pt("length(local.y)")));
    let outcome = sandbox.run(&["--format", "json"]);
    outcome.assert_code(2);
    let (file, line, message) = the_error(&outcome);
    assert_eq!((file.as_str(), line), ("main.tf", 3), "{message}");
    assert!(message.contains("nest more than 2000 levels"), "{message}");
}

#[test]
fn brackets_nested_a_hundred_thousand_deep_are_a_syntax_error_naming_the_line() {
    for nested in ["(".repeat(100_000) + "1" + &")".repeat(100_000), "[".repeat(100_000) + &"]".repeat(100_000)] {
        let sandbox = Sandbox::new();
        sandbox.write("main.tf", &format!("locals {{\n  x = 1\n}}\n{}", pt(&nested)));
        let outcome = sandbox.run(&["--format", "json"]);
        outcome.assert_code(2);
        let (file, line, message) = the_error(&outcome);
        assert_eq!((file.as_str(), line), ("main.tf", 7), "{message}");
        assert!(message.contains("nested more than 256 levels"), "{message}");
    }
}

#[test]
fn strings_doubled_thirty_times_stop_at_the_byte_limit_naming_the_local() {
    let sandbox = Sandbox::new();
    let mut text = String::from("locals {\n  d0 = \"0123456789abcdef0123456789abcdef\"\n");
    for i in 1..=30 {
        text.push_str(&format!("  d{i} = \"${{local.d{}}}${{local.d{}}}\"\n", i - 1, i - 1));
    }
    text.push_str("}\n");
    text.push_str(&pt("length(local.d30) > 0 ? 1 : 2"));
    sandbox.write("main.tf", &text);
    let outcome = sandbox.run(&["--format", "json"]);
    outcome.assert_code(2);
    let (file, line, message) = the_error(&outcome);
    // Line n + 2 holds d<n>; the limit is reached well before d30, within the locals.
    assert_eq!(file, "main.tf");
    assert!((3..=32).contains(&line), "{line}: {message}");
    assert!(message.contains("more than 256 MiB of strings"), "{message}");
    // The root that ran out of budget gives no entities.
    assert!(units(&outcome).is_empty());
}

#[test]
fn three_nested_for_over_range_1000_stop_at_the_element_limit_naming_the_line() {
    let sandbox = Sandbox::new();
    let text = "locals {\n  big = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n}\n";
    sandbox.write("main.tf", &format!("{text}{}", pt("length(local.big)")));
    let outcome = sandbox.run(&["--format", "json"]);
    outcome.assert_code(2);
    let (file, line, message) = the_error(&outcome);
    assert_eq!((file.as_str(), line), ("main.tf", 2), "{message}");
    assert!(message.contains("list, map and `for` elements"), "{message}");
}

#[test]
fn a_module_calling_itself_is_an_input_error_naming_the_call() {
    let sandbox = Sandbox::new();
    sandbox.write("main.tf", &format!("module \"me\" {{\n  source = \"./\"\n  count  = 2\n}}\n{}", pt("1")));
    let outcome = sandbox.run(&["--format", "json"]);
    outcome.assert_code(2);
    let (file, line, message) = the_error(&outcome);
    assert_eq!((file.as_str(), line), ("main.tf", 2), "{message}");
    assert!(message.contains("module `me`") && message.contains("cycle"), "{message}");
    // The root's own PT is still read, once.
    assert_eq!(units(&outcome), [serde_json::json!(1)]);
}

#[test]
fn modules_of_ten_thousand_calling_modules_of_ten_thousand_stop_at_the_instance_limit() {
    let sandbox = Sandbox::new();
    sandbox.write("main.tf", "module \"a\" {\n  source = \"./a\"\n  count  = 10000\n}\n");
    sandbox.write("a/main.tf", &format!("module \"b\" {{\n  source = \"../b\"\n  count  = 10000\n}}\n{}", pt("1")));
    sandbox.write("b/main.tf", &pt("1"));
    let outcome = sandbox.run(&["--format", "json"]);
    outcome.assert_code(2);
    let (file, line, message) = the_error(&outcome);
    assert_eq!((file.as_str(), line), ("a/main.tf", 3), "{message}");
    assert!(message.contains("module and resource instances"), "{message}");
}

/// Every report format and the commands that print values.
const OUTPUTS: &[&[&str]] = &[
    &["--format", "human"],
    &["--format", "json"],
    &["--format", "markdown"],
    &["--format", "sarif"],
    &["--format", "github"],
    &["cost"],
    &["cost", "--format", "json"],
    &["facts"],
];

#[test]
fn file_functions_never_read_outside_the_repository() {
    let sandbox = Sandbox::new();
    sandbox.link_to_secret("link.txt");
    sandbox.write("models/claude.txt", "anthropic.claude-v2");
    sandbox.write(
        "main.tf",
        &format!(
            "locals {{\n  env    = file(\"/proc/self/environ\")\n  up     = file(\"../secret.txt\")\n  \
             linked = file(\"link.txt\")\n  b64    = base64encode(file(\"../secret.txt\"))\n  \
             exists = fileexists(\"/etc/passwd\")\n  inside = file(\"models/claude.txt\")\n}}\n\
             resource \"aws_bedrock_provisioned_model_throughput\" \"leak\" {{\n  \
             provisioned_model_name = \"${{local.env}}${{local.up}}\"\n  \
             model_arn = \"arn:aws:bedrock:us-east-1::foundation-model/${{local.linked}}${{local.b64}}\"\n  \
             model_units = local.exists ? 1 : 2\n  commitment_duration = \"OneMonth\"\n}}\n{}",
            pt("1").replace("anthropic.claude-v2", "${local.inside}")
        ),
    );
    let encoded = "U0VDUkVULTdmM2E5Yy1kby1ub3QtcHJpbnQK"; // base64 of the secret line
    for args in OUTPUTS {
        let outcome = sandbox.run(args);
        let all = outcome.all_output();
        assert!(!all.contains(encoded) && !all.contains("PATH="), "{args:?} printed it:\n{all}");
        assert!(outcome.code == Some(0) || outcome.code == Some(1), "{args:?}: {outcome:?}");
    }
    let outcome = sandbox.run(&["--format", "json"]);
    outcome.assert_code(1);
    assert!(errors(&outcome).is_empty(), "{:?}", errors(&outcome));
    // The values from outside are unknown and say why; the file inside is read.
    assert!(outcome.stdout.contains("outside the repository"), "{}", outcome.stdout);
    let report = json(&outcome);
    let models: Vec<&str> = report["throughputs"]
        .as_array()
        .expect("throughputs")
        .iter()
        .filter_map(|t| t["model_id"].as_str().or(t["model"].as_str()))
        .collect();
    assert!(models.iter().any(|m| m.contains("anthropic.claude-v2")), "{models:?}\n{}", outcome.stdout);
    let fileexists_units = units(&outcome);
    assert!(fileexists_units.contains(&serde_json::Value::Null), "{fileexists_units:?}");
}

#[test]
fn a_module_source_outside_the_repository_is_not_read() {
    let sandbox = Sandbox::new();
    // A module beside the repository whose text holds the secret and does not even parse.
    std::fs::create_dir_all(sandbox.outer.join("outside")).expect("outside");
    std::fs::write(sandbox.outer.join("outside/main.tf"), format!("{SECRET} = = =\n{}", pt("9"))).expect("outside");
    sandbox.write("main.tf", &format!("module \"o\" {{\n  source = \"../outside\"\n}}\n{}", pt("1")));
    let outcome = sandbox.run(&["--format", "json"]);
    outcome.assert_code(1);
    assert!(errors(&outcome).is_empty(), "{:?}", errors(&outcome));
    assert_eq!(units(&outcome), [serde_json::json!(1)]);
    assert!(outcome.stdout.contains("`../outside` is outside the repository, so it is not read"), "{}", outcome.stdout);
}

#[test]
fn a_rule_file_from_the_config_is_read_only_inside_the_repository() {
    let sandbox = Sandbox::new();
    sandbox.write(".ptlint.yaml", "rules: r\n");
    sandbox.write("main.tf", &pt("1"));
    sandbox.link_to_secret("r/x.guard");
    let outcome = sandbox.run(&["--format", "json"]);
    outcome.assert_code(2);
    assert!(outcome.stderr.contains("r/x.guard") && outcome.stderr.contains("outside the repository"), "{outcome:?}");

    // The environment through a link: refused the same way.
    let sandbox = Sandbox::new();
    sandbox.write(".ptlint.yaml", "rules: r\n");
    sandbox.write("main.tf", &pt("1"));
    std::fs::create_dir_all(sandbox.repo.join("r")).expect("r");
    std::os::unix::fs::symlink("/proc/self/environ", sandbox.repo.join("r/env.guard")).expect("link");
    let outcome = sandbox.run(&["--format", "json"]);
    outcome.assert_code(2);
    assert!(!outcome.all_output().contains("PATH="), "{outcome:?}");
    assert!(outcome.stderr.contains("r/env.guard") && outcome.stderr.contains("outside the repository"), "{outcome:?}");
}

#[test]
fn a_guard_parse_error_names_file_and_line_and_quotes_one_short_line() {
    let sandbox = Sandbox::new();
    sandbox.write(".ptlint.yaml", "rules: r\n");
    sandbox.write("main.tf", &pt("1"));
    let long_line = format!("  this is not guard {}", "syntax ".repeat(100));
    sandbox.write("r/x.guard", &format!("rule x {{\n{long_line}\n  {SECRET}\n}}\n"));
    let outcome = sandbox.run(&["--format", "json"]);
    outcome.assert_code(2);
    let stderr = &outcome.stderr;
    assert!(stderr.contains("r/x.guard:2:"), "{stderr}");
    assert!(stderr.contains("this is not guard syntax") && !stderr.contains(long_line.trim()), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}
