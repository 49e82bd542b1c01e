//! A simulated GitHub Actions environment for `action/entrypoint.sh`: the files the runner provides, and the run.
//!
//! Included by the action test files with `#[path = "support/github.rs"] mod github;`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The Action's own fixtures: two directories of templates and their config.
pub const PATHS: &str = "fixtures/report/cfn\nfixtures/report/tf";
pub const CONFIG: &str = "fixtures/report/ptlint.yaml";

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary GitHub environment: the files the runner would provide, and where the SARIF goes.
pub struct Github {
    pub dir: tempfile::TempDir,
}

impl Github {
    pub fn new() -> Github {
        let dir = tempfile::tempdir().unwrap();
        for file in ["summary.md", "output.txt"] {
            std::fs::write(dir.path().join(file), "").unwrap();
        }
        Github { dir }
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    pub fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path(file)).unwrap_or_default()
    }

    /// Run the entrypoint from the crate root with `inputs` as `INPUT_*` variables.
    pub fn run(&self, inputs: &[(&str, &str)]) -> Output {
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
            .env("RUNNER_TEMP", self.dir.path())
            .env_remove("PTLINT_JSON_TOOL")
            .env_remove("NO_COLOR");
        for (name, value) in inputs {
            command.env(name, value);
        }
        command.output().unwrap()
    }
}
