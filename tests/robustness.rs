//! Robustness: real-world corpus and every fixture read without panics, hostile inputs become errors, output is deterministic, no network or process spawning.

use ptlint::engine::{analyze, exit_code, Analysis, Options};
use ptlint::source::{decode, read_document, MAX_FILE_BYTES};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The vendored corpus of public templates and plans (tests/data/corpus/SOURCES.txt says where each came from).
/// A missing directory fails the test that needs it instead of letting it pass on nothing.
fn corpus(sub: &str) -> PathBuf {
    let dir = root().join("tests/data/corpus").join(sub);
    assert!(dir.is_dir(), "test data missing: {} (vendored in the repository)", dir.display());
    dir
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(t) if t.is_file() => out.push(path),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

/// Decode and read one file, turning a panic into an `Err` naming it.
fn read_without_panic(path: &Path) -> Result<Option<ptlint::model::Document>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.to_string_lossy().into_owned();
    std::panic::catch_unwind(|| {
        let text = decode(&bytes).ok()?;
        read_document(&name, &text, None).ok().flatten()
    })
    .map_err(|_| format!("{} panicked", path.display()))
}

#[test]
fn every_fixture_and_corpus_file_reads_without_panic() {
    let mut files = files_under(&root().join("fixtures"));
    assert!(files.len() > 10, "fixtures not found");
    let corpus = files_under(&corpus(""));
    assert!(corpus.len() >= 30, "only {} corpus files", corpus.len());
    files.extend(corpus);
    let panics: Vec<String> = files.iter().filter_map(|f| read_without_panic(f).err()).collect();
    assert!(panics.is_empty(), "{panics:#?}");
}

#[test]
fn real_corpus_templates_hold_no_provisioned_throughput() {
    let mut templates = 0;
    for file in files_under(&corpus("")) {
        if let Ok(Some(doc)) = read_without_panic(&file) {
            templates += 1;
            assert!(doc.throughputs.is_empty(), "{}: {:?}", file.display(), doc.throughputs);
        }
    }
    // The Terraform plans, `.tf.json` files and the cfn-lint template are all read as documents.
    assert!(templates >= 25, "only {templates} corpus files were read as templates");
}

#[test]
fn utf16_checkov_plans_decode_and_parse() {
    let dir = corpus("tf-plan/checkov");
    for name in ["utf16_encoding.tfplan.json", "win_utf16.tfplan.json"] {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(&[0xFF, 0xFE]), "{name} is UTF-16LE with a BOM");
        let text = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(text.trim_start().starts_with('{'));
        let doc = read_document(name, &text, None).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(doc.is_some(), "{name} is read as a plan");
    }
}

// ---------- hostile inputs: each one an error naming the file, the good file beside it still checked ----------

const GOOD_PT: &str = r#"{"resource": {"aws_bedrock_provisioned_model_throughput": {"chat": {
  "provisioned_model_name": "chat",
  "model_arn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k",
  "model_units": 1,
  "commitment_duration": "OneMonth"
}}}}"#;

/// A scan directory holding `good.tf.json`, and an empty config outside it (so no `.ptlint.yaml` of the
/// working directory leaks in).
struct Scene {
    scan: tempfile::TempDir,
    config: tempfile::TempDir,
}

impl Scene {
    fn new() -> Scene {
        let scene = Scene { scan: tempfile::tempdir().unwrap(), config: tempfile::tempdir().unwrap() };
        std::fs::write(scene.scan.path().join("good.tf.json"), GOOD_PT).unwrap();
        std::fs::write(scene.config.path().join(".ptlint.yaml"), "").unwrap();
        scene
    }

    fn path(&self, name: &str) -> PathBuf {
        self.scan.path().join(name)
    }

    fn run(&self) -> Analysis {
        analyze(&Options {
            paths: vec![self.scan.path().to_path_buf()],
            config: Some(self.config.path().join(".ptlint.yaml")),
            today: Some(20_000),
            ..Options::default()
        })
        .unwrap_or_else(|e| panic!("the run stopped: {e}"))
    }
}

/// The good file's PT is reported, and the one error names `bad`.
fn assert_bad_file_reported(analysis: &Analysis, bad: &str) -> ptlint::finding::InputError {
    let good: Vec<&str> = analysis.facts.throughputs.iter().map(|t| t.resource.as_str()).collect();
    assert!(good.contains(&"aws_bedrock_provisioned_model_throughput.chat"), "good PT missing: {good:?}");
    assert_eq!(analysis.errors.len(), 1, "{:#?}", analysis.errors);
    let error = analysis.errors[0].clone();
    assert!(error.file.ends_with(bad), "error names {} not {bad}", error.file);
    assert!(!error.message.is_empty());
    assert_eq!(exit_code(analysis, None), 2);
    error
}

/// Text that passes the prefilter, so the hostile part is really parsed.
const CFN_HEAD: &str =
    "{\"Resources\": {\"Pt\": {\"Type\": \"AWS::Bedrock::ProvisionedModelThroughput\", \"Properties\": ";

#[test]
fn json_nested_100k_deep_is_an_error() {
    let scene = Scene::new();
    let text = format!("{CFN_HEAD}{}{}}}}}}}", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(scene.path("deep.json"), text).unwrap();
    let error = assert_bad_file_reported(&scene.run(), "deep.json");
    assert!(error.message.contains("nesting"), "{}", error.message);
}

#[test]
fn yaml_flow_nested_100k_deep_is_an_error() {
    let scene = Scene::new();
    let text = format!(
        "Resources:\n  Pt:\n    Type: AWS::Bedrock::ProvisionedModelThroughput\n    Properties: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(scene.path("deep.yaml"), text).unwrap();
    assert_bad_file_reported(&scene.run(), "deep.yaml");
}

#[test]
fn yaml_billion_laughs_is_bounded() {
    let scene = Scene::new();
    let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"]) {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    text.push_str(
        "Resources:\n  Pt:\n    Type: AWS::Bedrock::ProvisionedModelThroughput\n    Properties:\n      Laughs: *i\n",
    );
    std::fs::write(scene.path("laughs.yaml"), text).unwrap();
    let error = assert_bad_file_reported(&scene.run(), "laughs.yaml");
    assert!(error.message.to_lowercase().contains("alias"), "{}", error.message);
}

#[test]
fn file_over_the_size_limit_is_skipped_with_an_error() {
    let scene = Scene::new();
    let file = std::fs::File::create(scene.path("huge.json")).unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap();
    let error = assert_bad_file_reported(&scene.run(), "huge.json");
    assert!(error.message.contains("limit"), "{}", error.message);
}

#[test]
fn invalid_utf8_is_located_at_the_bad_byte() {
    let scene = Scene::new();
    let text = b"Resources:\n  Pt:\n    Type: AWS::Bedrock::ProvisionedModelThroughput\n    Properties:\n      Name: ab\xFFc\n";
    std::fs::write(scene.path("latin1.yaml"), text).unwrap();
    let error = assert_bad_file_reported(&scene.run(), "latin1.yaml");
    assert_eq!((error.line, error.column), (5, 15), "{}", error.message);
    assert!(error.message.contains("UTF-8"), "{}", error.message);
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

#[test]
fn utf16le_plan_with_bom_reads_fine() {
    let scene = Scene::new();
    let plan = r#"{"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": {"root_module": {"resources": [
      {"address": "aws_bedrock_provisioned_model_throughput.wide", "mode": "managed",
       "type": "aws_bedrock_provisioned_model_throughput", "name": "wide",
       "values": {"model_arn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k",
                  "model_units": 2, "commitment_duration": "OneMonth", "provisioned_model_name": "wide"}}]}}}"#;
    // In a directory of its own: a plan beside `good.tf.json` would be that module's plan and replace its PTs.
    std::fs::create_dir(scene.path("plan")).unwrap();
    std::fs::write(scene.path("plan/windows.plan.json"), utf16le_with_bom(plan)).unwrap();
    let analysis = scene.run();
    assert!(analysis.errors.is_empty(), "{:#?}", analysis.errors);
    let found: Vec<&str> = analysis.facts.throughputs.iter().map(|t| t.resource.as_str()).collect();
    assert!(found.contains(&"aws_bedrock_provisioned_model_throughput.wide"), "{found:?}");
    assert!(found.contains(&"aws_bedrock_provisioned_model_throughput.chat"), "{found:?}");
}

#[test]
fn utf16_odd_length_is_an_error() {
    let scene = Scene::new();
    let mut bytes = utf16le_with_bom("{\"bedrock\": 1}");
    bytes.push(b'x');
    std::fs::write(scene.path("odd.json"), bytes).unwrap();
    let error = assert_bad_file_reported(&scene.run(), "odd.json");
    assert!(error.message.contains("UTF-16"), "{}", error.message);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_not_followed() {
    let scene = Scene::new();
    std::fs::create_dir(scene.path("sub")).unwrap();
    std::os::unix::fs::symlink("..", scene.path("sub/loop")).unwrap();
    std::os::unix::fs::symlink(scene.scan.path(), scene.path("sub/self")).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let scan = scene.scan.path().to_path_buf();
    let config = scene.config.path().join(".ptlint.yaml");
    std::thread::spawn(move || {
        let result =
            analyze(&Options { paths: vec![scan], config: Some(config), today: Some(20_000), ..Options::default() });
        let _ = tx.send(result.map(|a| (a.facts.throughputs.len(), a.errors)));
    });
    let (pts, errors) = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the walk terminates")
        .unwrap_or_else(|e| panic!("the run stopped: {e}"));
    assert_eq!(pts, 1, "the good PT is found exactly once");
    // No error is fine; an error must name the link.
    assert!(errors.iter().all(|e| e.file.contains("sub/")), "{errors:#?}");
}

/// chmod 000 does not stop root from reading: such checks are skipped when the file is still readable.
#[cfg(unix)]
fn make_unreadable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if path.is_dir() {
        std::fs::read_dir(path).is_err()
    } else {
        std::fs::read(path).is_err()
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    let scene = Scene::new();
    let path = scene.path("secret.tf.json");
    std::fs::write(&path, GOOD_PT.replace("chat", "secret")).unwrap();
    if !make_unreadable(&path) {
        return; // running as root
    }
    let error = assert_bad_file_reported(&scene.run(), "secret.tf.json");
    assert!(error.message.contains("cannot read"), "{}", error.message);
}

#[cfg(unix)]
#[test]
fn unreadable_directory_is_reported() {
    let scene = Scene::new();
    let dir = scene.path("locked");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("inner.tf.json"), GOOD_PT.replace("chat", "inner")).unwrap();
    if !make_unreadable(&dir) {
        return; // running as root
    }
    let analysis = scene.run();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_bad_file_reported(&analysis, "locked");
}

// ---------- determinism ----------

fn fixture_reports(threads: usize) -> (String, String) {
    let config = tempfile::tempdir().unwrap();
    std::fs::write(config.path().join(".ptlint.yaml"), "").unwrap();
    let options = Options {
        paths: vec![root().join("fixtures")],
        config: Some(config.path().join(".ptlint.yaml")),
        today: Some(20_000),
        ..Options::default()
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| {
        let analysis = analyze(&options).unwrap_or_else(|e| panic!("the run stopped: {e}"));
        (ptlint::report::json::render(&analysis), ptlint::report::sarif::render(&analysis))
    })
}

#[test]
fn json_and_sarif_are_byte_identical_whatever_the_thread_count() {
    let (json1, sarif1) = fixture_reports(1);
    for _ in 0..3 {
        let (json4, sarif4) = fixture_reports(4);
        assert!(json1 == json4, "JSON differs between 1 and 4 threads");
        assert!(sarif1 == sarif4, "SARIF differs between 1 and 4 threads");
    }
    assert!(json1.contains("\"throughputs\""));
}

/// Runs made from inside a rayon pool, one on every worker at once (as a caller's own `par_iter` makes them),
/// finish: no part of a run blocks a worker on a thread of its own that waits for a free worker.
#[test]
fn runs_on_every_worker_of_a_pool_at_once_finish() {
    use rayon::prelude::*;
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let options = Options { paths: vec![root().join("fixtures/hcl")], today: Some(20_000), ..Options::default() };
        // The global pool: the one a run's own parallel steps use.
        let runs = rayon::current_num_threads() * 2;
        let counts: Vec<usize> =
            (0..runs).into_par_iter().map(|_| analyze(&options).map_or(0, |a| a.facts.throughputs.len())).collect();
        let _ = done.send(counts);
    });
    let counts = finished
        .recv_timeout(std::time::Duration::from_secs(300))
        .expect("the runs did not finish: every worker waits for a thread that waits for a worker");
    assert!(counts[0] > 0, "the Terraform fixtures gave no PT");
    assert!(counts.iter().all(|&n| n == counts[0]));
}

// ---------- no network, nothing executed ----------

#[test]
fn dependency_tree_has_no_http_client() {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let names: Vec<&str> =
        lock.lines().filter_map(|l| l.strip_prefix("name = \"")).filter_map(|l| l.strip_suffix('"')).collect();
    assert!(names.contains(&"cfn-guard"), "Cargo.lock was not parsed");
    for client in ["reqwest", "hyper", "ureq", "curl", "isahc", "attohttpc", "surf", "h2"] {
        assert!(!names.contains(&client), "`{client}` is in the dependency tree");
    }
}

/// ptlint never executes anything from a template: no process spawning in `src/`, except that `--compare-to
/// git:REF` runs the local `git` (plumbing only: rev-parse, ls-tree, cat-file) from the one module that does so.
#[test]
fn source_spawns_no_processes() {
    let git_module = root().join("src/diff/git.rs");
    for file in files_under(&root().join("src")) {
        if file.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        if file == git_module {
            let spawns = text.matches("Command::new(").count();
            assert_eq!(spawns, text.matches("Command::new(\"git\")").count(), "{} runs only git", file.display());
            for needle in ["libc::exec", "os::unix::process", "sh\"", "bash\""] {
                assert!(!text.contains(needle), "{} contains `{needle}`", file.display());
            }
            continue;
        }
        for needle in ["process::Command", "Command::new(", "libc::exec", "os::unix::process"] {
            assert!(!text.contains(needle), "{} contains `{needle}`", file.display());
        }
    }
}
