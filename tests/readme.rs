//! The README starts with the two commands that set everything up, and its output block is what the first prints
//! (its rule table is checked with the book's, in tests/docs.rs).

#[test]
fn readme_starts_with_the_two_commands() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let quick = &readme[readme.find("## Quick start").unwrap()..];
    let block = &quick[quick.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```").unwrap()];
    let commands: Vec<&str> = block.lines().collect();
    assert_eq!(
        commands[0],
        "cargo run --locked -- check examples/quickstart --config examples/quickstart/.ptlint.yaml"
    );
    assert_eq!(commands[1], "cargo test --locked");
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(ci.lines().any(|l| l.trim() == commands[1]), ".ci/run runs the README's test command");
    // ... in a fresh clone of the commit, where no file outside the repository can be read by accident.
    let clone = ci.find("git clone").expect(".ci/run clones the commit");
    assert!(clone < ci.rfind(commands[1]).unwrap(), ".ci/run tests the clone");
}

#[test]
fn readme_output_block_is_what_the_quick_start_prints() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let quick = &readme[readme.find("## Quick start").unwrap()..];
    let block = &quick[quick.find("```text\n").unwrap() + 8..];
    let block = &block[..block.find("```").unwrap()];
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ptlint"))
        .args(["check", "examples/quickstart", "--config", "examples/quickstart/.ptlint.yaml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let printed = String::from_utf8(output.stdout).unwrap();
    assert!(printed.ends_with(block), "README quick-start output is stale:\n{printed}");
}

/// The CI section opens with the pull request comment of `examples/credits/`, as the binary prints it.
#[test]
fn readme_ci_section_opens_with_the_comment_the_binary_writes() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let ci = &readme[readme.find("\n## CI\n").expect("a CI section")..];
    let first_block = ci.find("```").expect("a block in the CI section");
    assert_eq!(&ci[first_block..first_block + 12], "```markdown\n", "the CI section opens with the comment");
    let block = &ci[first_block + 12..];
    let block = &block[..block.find("\n```\n").unwrap() + 1];
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ptlint"))
        .args(["check", "examples/credits/head", "--compare-to", "examples/credits/base"])
        .args(["--config", "examples/credits/.ptlint.yaml", "--as-of", "2026-12-07", "--format", "markdown"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let printed = String::from_utf8(output.stdout).unwrap();
    assert_eq!(block, format!("<!-- ptlint -->\n{printed}"), "README CI comment is stale");
    // What the issue asks a reviewer to see: the cost change, the runway, and the commitment that outlives it.
    for needle in ["### Cost change", "Credits now last until 2027-03-10", "commitment-outlives-credits"] {
        assert!(block.contains(needle), "{needle}");
    }
}
