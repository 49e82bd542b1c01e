//! The hostile-input harness itself: the memory cap and the time limit are real, so the cases that rely on them can fail.

#[path = "support/hostile.rs"]
mod hostile;

#[test]
fn a_well_behaved_run_reports_its_exit_code() {
    let dir = tempfile::tempdir().expect("temp dir");
    let outcome = hostile::run_limited(&["rules", "--format", "json"], dir.path());
    outcome.assert_code(0);
    assert!(outcome.stdout.contains("PT001"), "{}", outcome.stdout);
}

#[test]
fn the_memory_cap_applies_to_the_binary() {
    // `ulimit -v` in the same shell that runs the binary: the limit the binary sees is the cap.
    let dir = tempfile::tempdir().expect("temp dir");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {} && ulimit -v", hostile::MEMORY_LIMIT_KIB))
        .current_dir(dir.path())
        .output()
        .expect("sh");
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), hostile::MEMORY_LIMIT_KIB.to_string());
}
