//! The Action's pull request comment (`comment: true`, action/comment.sh) with a stub `gh` that records its calls,
//! and the one ptlint run per job that every report of the Action comes from.

#[path = "support/github.rs"]
mod github;

use github::{Github, CONFIG, PATHS};
use std::path::{Path, PathBuf};
use std::process::Command;

/// PATH with `first` ahead of the ptlint binary and the test's own PATH.
fn path_with(first: PathBuf) -> std::ffi::OsString {
    std::env::join_paths(
        [first, Path::new(env!("CARGO_BIN_EXE_ptlint")).parent().unwrap().to_path_buf()]
            .into_iter()
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap()
}

/// A stub `gh` on PATH: `gh api` over comments kept as files in `<dir>/comments/<id>`, every call logged to
/// `<dir>/gh.log` (one line of arguments each). Listing prints the ids of comments that start with the marker,
/// as the real `--jq` filter would; POST creates a comment, PATCH replaces one.
fn stub_gh(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(dir.join("comments")).unwrap();
    std::fs::create_dir_all(&bin).unwrap();
    let script = format!(
        r#"#!/usr/bin/env bash
state={state}
echo "$* [token=$GH_TOKEN]" >>"$state/gh.log"
method=GET; path=""; body=""
while [ $# -gt 0 ]; do
  case "$1" in
    --method) method=$2; shift ;;
    -F) body=${{2#body=@}}; shift ;;
    --jq|--paginate|api) [ "$1" = --jq ] && shift ;;
    *) path=$1 ;;
  esac
  shift
done
if [ -f "$state/deny" ] && [ "$method" != GET ]; then
  echo "gh: Resource not accessible by integration (HTTP 403)" >&2
  exit 1
fi
case "$method" in
  GET)
    for file in "$state"/comments/*; do
      [ -f "$file" ] && [ "$(head -n 1 "$file")" = "<!-- ptlint -->" ] && basename "$file"
    done
    ;;
  POST) id=$(( $(ls "$state/comments" | wc -l) + 101 )); cp "$body" "$state/comments/$id"; echo '{{}}' ;;
  PATCH) cp "$body" "$state/comments/${{path##*/}}"; echo '{{}}' ;;
esac
exit 0
"#,
        state = dir.display()
    );
    let gh = bin.join("gh");
    std::fs::write(&gh, script).unwrap();
    Command::new("chmod").arg("+x").arg(&gh).status().unwrap();
    bin
}

/// A pull_request event: the head's repository is `head_repo`, the base's `octo/infra`.
fn pull_request_event(dir: &Path, head_repo: &str) -> PathBuf {
    let event = dir.join("event.json");
    let text = serde_json::json!({"pull_request": {"number": 42,
        "head": {"repo": {"full_name": head_repo}}, "base": {"repo": {"full_name": "octo/infra"}}}});
    std::fs::write(&event, text.to_string()).unwrap();
    event
}

#[test]
fn entrypoint_comments_once_and_then_edits_the_same_comment() {
    let state = tempfile::tempdir().unwrap();
    let stub = stub_gh(state.path());
    let event = pull_request_event(state.path(), "octo/infra");
    let path = path_with(stub);
    let comment_inputs = |paths: &'static str| {
        vec![
            ("INPUT_PATHS", paths),
            ("INPUT_CONFIG", CONFIG),
            ("INPUT_COMMENT", "true"),
            ("GITHUB_REPOSITORY", "octo/infra"),
            ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
            ("INPUT_GITHUB_TOKEN", "ghs_test_token"),
        ]
    };
    let run = |paths: &'static str| {
        let github = Github::new();
        let mut inputs = comment_inputs(paths);
        inputs.push(("PATH", path.to_str().unwrap()));
        let output = github.run(&inputs);
        (github, output)
    };
    let comments = || -> Vec<(String, String)> {
        let mut list: Vec<(String, String)> = std::fs::read_dir(state.path().join("comments"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        list.sort();
        list
    };

    // First push: one comment, the marker then the summary's Markdown.
    let (github, output) = run(PATHS);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let first = comments();
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0].0, "101");
    assert_eq!(first[0].1, format!("<!-- ptlint -->\n{}", github.read("summary.md")));
    assert!(first[0].1.contains("| error | [PT001]"));

    // Second push, with fewer files: the same comment is edited, no second one appears.
    let (github, _) = run("fixtures/report/tf");
    let second = comments();
    assert_eq!(second.len(), 1, "{second:?}");
    assert_eq!(second[0].0, "101");
    assert_ne!(second[0].1, first[0].1);
    assert_eq!(second[0].1, format!("<!-- ptlint -->\n{}", github.read("summary.md")));

    let log = std::fs::read_to_string(state.path().join("gh.log")).unwrap();
    let calls: Vec<&str> = log.lines().collect();
    assert_eq!(calls.len(), 4, "{log}");
    assert!(calls[0].starts_with("api --paginate repos/octo/infra/issues/42/comments --jq"), "{log}");
    assert!(calls[1].starts_with("api --method POST repos/octo/infra/issues/42/comments -F body=@"), "{log}");
    assert!(calls[2].starts_with("api --paginate repos/octo/infra/issues/42/comments --jq"), "{log}");
    assert!(calls[3].starts_with("api --method PATCH repos/octo/infra/issues/comments/101 -F body=@"), "{log}");
    // `gh` gets the token as GH_TOKEN.
    assert!(calls.iter().all(|c| c.ends_with(" [token=ghs_test_token]")), "{log}");
}

#[test]
fn entrypoint_on_a_fork_writes_only_the_summary_and_says_why() {
    let state = tempfile::tempdir().unwrap();
    let stub = stub_gh(state.path());
    let event = pull_request_event(state.path(), "someone/infra");
    let path = path_with(stub);
    let github = Github::new();
    let output = github.run(&[
        ("INPUT_PATHS", PATHS),
        ("INPUT_CONFIG", CONFIG),
        ("INPUT_COMMENT", "true"),
        ("GITHUB_REPOSITORY", "octo/infra"),
        ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
        ("PATH", path.to_str().unwrap()),
    ]);
    assert_eq!(output.status.code(), Some(1), "the findings still fail the job");
    assert!(!state.path().join("gh.log").exists(), "gh was called on a fork");
    let summary = github.read("summary.md");
    assert!(summary.starts_with("## ptlint"), "{summary}");
    assert!(summary.contains("| error | [PT001]"), "{summary}");
    assert!(
        summary.contains(
            "**ptlint did not comment on the pull request:** this pull request comes from the fork `someone/infra`"
        ),
        "{summary}"
    );
    assert!(summary.contains("workflow_run"), "{summary}");
}

/// The job runs ptlint once: the log, SARIF, JSON outputs, job summary and comment all come from one analysis.
#[test]
fn entrypoint_runs_ptlint_once_per_job() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("runs.log");
    // `PTLINT` names the binary the entrypoint runs (action.yml sets it to the installed one): a wrapper that
    // counts its runs and hands over to the real binary.
    let wrapper = dir.path().join("ptlint-counting");
    std::fs::write(
        &wrapper,
        format!(
            "#!/usr/bin/env bash\necho \"$*\" >>{log}\nprintenv GH_TOKEN INPUT_GITHUB_TOKEN | grep -c . >>{log}\nexec {} \"$@\"\n",
            env!("CARGO_BIN_EXE_ptlint"),
            log = log.display()
        ),
    )
    .unwrap();
    Command::new("chmod").arg("+x").arg(&wrapper).status().unwrap();
    let github = Github::new();
    let output = github.run(&[
        ("INPUT_PATHS", "examples/credits/head"),
        ("INPUT_CONFIG", "examples/credits/.ptlint.yaml"),
        ("INPUT_COMPARE_TO", "examples/credits/base"),
        ("PTLINT", wrapper.to_str().unwrap()),
        ("INPUT_GITHUB_TOKEN", "ghs_test_token"),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let runs = std::fs::read_to_string(&log).unwrap();
    // One run (its arguments, then how many of GH_TOKEN and INPUT_GITHUB_TOKEN it saw: none).
    assert_eq!(runs.lines().count(), 2, "{runs}");
    assert_eq!(runs.lines().nth(1), Some("0"), "ptlint saw the token");
    assert!(runs.contains("--json-file") && runs.contains("--markdown-file") && runs.contains("--sarif-file"));
    // And each report is there: the summary (with the cost change and the runway), the outputs, the SARIF.
    let summary = github.read("summary.md");
    assert!(summary.contains("### Cost change") && summary.contains("Credits now last until"), "{summary}");
    let outputs = github.read("output.txt");
    assert!(outputs.starts_with("findings=6\nmonthly-cost=32412.00\nmonthly-cost-change=21608.00\n"), "{outputs}");
    let sarif: serde_json::Value = serde_json::from_str(&github.read("ptlint.sarif")).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().map(Vec::len), Some(6));
}

/// A token that cannot write (no `pull-requests: write`) is a note in the summary; the job's result is the check's.
#[test]
fn entrypoint_without_write_permission_notes_it_and_keeps_the_check_result() {
    let state = tempfile::tempdir().unwrap();
    let stub = stub_gh(state.path());
    std::fs::write(state.path().join("deny"), "").unwrap();
    let event = pull_request_event(state.path(), "octo/infra");
    let path = path_with(stub);
    let github = Github::new();
    let output = github.run(&[
        ("INPUT_PATHS", PATHS),
        ("INPUT_CONFIG", CONFIG),
        ("INPUT_COMMENT", "true"),
        ("GITHUB_REPOSITORY", "octo/infra"),
        ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
        ("PATH", path.to_str().unwrap()),
    ]);
    assert_eq!(output.status.code(), Some(1), "the findings decide, not the comment");
    let summary = github.read("summary.md");
    assert!(summary.starts_with("## ptlint"), "{summary}");
    assert!(
        summary.contains("**ptlint did not comment on the pull request:** pull request #42 could not be commented on"),
        "{summary}"
    );
    assert!(summary.contains("`pull-requests: write`"), "{summary}");
    assert!(std::fs::read_dir(state.path().join("comments")).unwrap().next().is_none());
}
