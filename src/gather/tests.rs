//! Tests of which parsed texts a run keeps for the human report's excerpts, and of the bytes held until parsing.

use super::read::SetAside;
use crate::engine::analyze;
use crate::options::Options;
use std::path::Path;

const WITH_FINDINGS: &str = include_str!("../../fixtures/missing-utilization-alarm/fail/no_alarm.yaml");
const WITHOUT_FINDINGS: &str = "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n";
// A budget and no PT: read (the HCL reader keeps a module's files with something to link), nothing to report.
const HCL_WITHOUT_FINDINGS: &str = "resource \"aws_budgets_budget\" \"bedrock\" {\n  budget_type  = \"COST\"\n  \
                                    limit_amount = \"100\"\n  limit_unit   = \"USD\"\n  time_unit    = \"MONTHLY\"\n}\n";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn run(paths: Vec<std::path::PathBuf>, without_excerpts: bool) -> crate::engine::Analysis {
    let options = Options { paths, without_excerpts, ..Options::default() };
    analyze(&options).unwrap()
}

#[test]
fn the_human_report_keeps_the_texts_of_files_with_findings_only() {
    let dir = tempfile::tempdir().unwrap();
    let (pt, plain, tf) =
        (dir.path().join("pt.yaml"), dir.path().join("plain.yaml"), dir.path().join("infra").join("main.tf"));
    write(&pt, WITH_FINDINGS);
    write(&plain, WITHOUT_FINDINGS);
    write(&tf, HCL_WITHOUT_FINDINGS);
    let analysis = run(vec![pt.clone(), plain.clone(), tf.clone()], false);
    let name = |path: &Path| crate::discover::display_path(path);
    let parsed: Vec<&str> = analysis.files.iter().map(|f| f.path.as_str()).collect();
    for path in [&pt, &plain, &tf] {
        assert!(parsed.contains(&name(path).as_str()), "{} not parsed: {parsed:?}", name(path));
    }
    let with_findings: std::collections::BTreeSet<&str> = analysis.findings.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(with_findings.into_iter().collect::<Vec<_>>(), vec![name(&pt).as_str()]);
    let kept: Vec<(&str, &str)> =
        analysis.files.iter().filter(|f| !f.text.is_empty()).map(|f| (f.path.as_str(), &*f.text)).collect();
    // Only the file with findings has its text, read again from disk: the very text that was parsed.
    assert_eq!(kept, vec![(name(&pt).as_str(), WITH_FINDINGS)]);
}

#[test]
fn reports_without_excerpts_keep_no_text() {
    let dir = tempfile::tempdir().unwrap();
    let pt = dir.path().join("pt.yaml");
    write(&pt, WITH_FINDINGS);
    let analysis = run(vec![pt], true);
    assert!(!analysis.findings.is_empty());
    assert!(analysis.files.iter().all(|f| f.text.is_empty()));
}

#[test]
fn a_text_set_aside_is_read_again_only_if_the_file_still_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    // A lone `\r` is read as a line end, as for parsing.
    write(&path, "a: 1\rb: 2\r\n");
    let set_aside = SetAside::new(path.clone(), "a: 1\nb: 2\r\n");
    assert_eq!(set_aside.read_again().as_deref(), Some("a: 1\nb: 2\r\n"));
    // Same length, other bytes: no excerpt rather than one from a text the spans do not point into.
    write(&path, "a: 3\rb: 2\r\n");
    assert_eq!(set_aside.read_again(), None);
    write(&path, "a: 1\rb: 2\r\nc: 3\n");
    assert_eq!(set_aside.read_again(), None);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(set_aside.read_again(), None);
}

/// The bytes handed on for parsing are never held in a buffer larger than the file: a thread's reused buffer, left
/// large by a file the prefilter turned away, is copied from; an exactly filled one is handed over.
#[test]
fn read_bytes_are_held_at_their_size() {
    use crate::discover::Candidate;
    let dir = tempfile::tempdir().unwrap();
    let (large, small) = (dir.path().join("large.yaml"), dir.path().join("small.yaml"));
    write(&large, &"a: b\n".repeat(20_000));
    write(&small, WITH_FINDINGS);
    // Read on this test's thread, in turn, so every read shares its buffer.
    for _ in 0..3 {
        let turned_away = super::read::read_prefiltered(&Candidate::new(large.clone(), false, None)).unwrap();
        assert!(turned_away.is_none());
        let bytes = super::read::read_prefiltered(&Candidate::new(small.clone(), true, None)).unwrap().unwrap();
        assert_eq!(bytes, WITH_FINDINGS.as_bytes());
        assert_eq!(bytes.capacity(), bytes.len());
        // A file read right after one that was handed over fills a fresh buffer exactly.
        let again = super::read::read_prefiltered(&Candidate::new(small.clone(), true, None)).unwrap().unwrap();
        assert_eq!((again.len(), again.capacity()), (bytes.len(), bytes.len()));
    }
}
