//! Runs the ptlint binary on hostile input under a memory cap and a time limit, as CI on a stranger's pull request would.
//!
//! Included by the `hostile_*` test files with `#[path = "support/hostile.rs"] mod hostile;`.

#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The address-space cap each run gets (`ulimit -v`, in KiB): 4 GiB, the limit the hostile cases were found under.
pub const MEMORY_LIMIT_KIB: u64 = 4 * 1024 * 1024;

/// How long a run may take before the test fails: the promise is "well under 5 s"; debug builds get this much.
pub const TIME_LIMIT: Duration = Duration::from_secs(20);

/// What one capped run did.
#[derive(Debug)]
pub struct Outcome {
    /// The exit code; `None` if a signal ended the process (an abort, or the kill at the time limit).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    /// True when the run was killed at [`TIME_LIMIT`].
    pub timed_out: bool,
}

impl Outcome {
    /// Both streams, for asserting what must not appear anywhere.
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// Asserts the run ended by itself with `code` (no abort, no kill), showing the output if not.
    pub fn assert_code(&self, code: i32) {
        assert!(!self.timed_out, "killed after {:?}\nstdout:\n{}\nstderr:\n{}", self.elapsed, self.stdout, self.stderr);
        assert_eq!(
            self.code,
            Some(code),
            "exit code after {:?}\nstdout:\n{}\nstderr:\n{}",
            self.elapsed,
            self.stdout,
            self.stderr
        );
    }
}

/// Runs `ptlint ARGS...` in `cwd` under the memory cap and the time limit. `sh` applies the cap (`ulimit -v`)
/// and then `exec`s the binary, so the cap is the binary's own.
pub fn run_limited(args: &[&str], cwd: &Path) -> Outcome {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_ptlint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sh");
    let mut stdout_pipe = child.stdout.take().expect("stdout");
    let mut stderr_pipe = child.stderr.take().expect("stderr");
    // Read both pipes on their own threads so a chatty run cannot block on a full pipe.
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout_pipe.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr_pipe.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait after kill");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out_reader.join().expect("stdout thread")).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr thread")).into_owned();
    Outcome { code: status.code(), stdout, stderr, elapsed, timed_out }
}
