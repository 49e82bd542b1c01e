//! `git:REF`: copy the scanned paths as they are at a revision of the local repository into a temporary directory.
//!
//! Only local git plumbing is used (`rev-parse`, `ls-tree`, `cat-file`): no network, no checkout, no index change.

use crate::engine::FatalError;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A revision's files under a temporary directory, removed when dropped.
#[derive(Debug)]
pub struct Snapshot {
    root: PathBuf,
    /// The directory that stands for the working directory (the repository root plus the working directory's prefix).
    pub cwd: PathBuf,
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn fatal(reference: &str, message: String) -> FatalError {
    FatalError { file: String::new(), line: 0, column: 0, message: format!("--compare-to git:{reference}: {message}") }
}

fn git(reference: &str, args: &[&str]) -> Result<Vec<u8>, FatalError> {
    let output = Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| fatal(reference, format!("cannot run git: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(fatal(reference, format!("`git {}` failed: {}", args.join(" "), stderr.trim())));
    }
    Ok(output.stdout)
}

/// A fresh, empty temporary directory.
fn temp_dir() -> std::io::Result<PathBuf> {
    let base = std::env::temp_dir();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    for attempt in 0..100u32 {
        let dir = base.join(format!("ptlint-base-{}-{nanos}-{attempt}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free temporary directory name"))
}

/// One blob of the tree: object name and path from the repository root.
struct Blob {
    object: String,
    path: String,
}

/// Parse `git ls-tree -r -z --full-name` output, keeping regular files (not symlinks or submodules).
fn blobs(listing: &[u8]) -> Vec<Blob> {
    listing
        .split(|b| *b == 0)
        .filter_map(|record| {
            let text = std::str::from_utf8(record).ok()?;
            let (meta, path) = text.split_once('\t')?;
            let mut parts = meta.split(' ');
            let (mode, kind, object) = (parts.next()?, parts.next()?, parts.next()?);
            (kind == "blob" && mode != "120000").then(|| Blob { object: object.to_string(), path: path.to_string() })
        })
        .collect()
}

/// A Terraform source file (HCL or JSON syntax, or variable values).
fn is_terraform(path: &str) -> bool {
    [".tf", ".tf.json", ".tfvars", ".tfvars.json"].iter().any(|ext| path.ends_with(ext))
}

/// Write the files of `paths` (relative to the working directory, as the user gave them) at `reference`.
pub fn snapshot(reference: &str, paths: &[PathBuf]) -> Result<Snapshot, FatalError> {
    // First, so that outside a repository the error says so rather than that the revision is missing.
    let prefix = String::from_utf8_lossy(&git(reference, &["rev-parse", "--show-prefix"])?).trim().to_string();
    let commit = git(reference, &["rev-parse", "--verify", "--quiet", &format!("{reference}^{{commit}}")])
        .map_err(|_| fatal(reference, "no such revision in the local repository".into()))?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    let mut args: Vec<String> =
        ["ls-tree", "-r", "-z", "--full-name", &commit, "--"].iter().map(|s| s.to_string()).collect();
    args.extend(paths.iter().map(|p| p.to_string_lossy().into_owned()));
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut listing = blobs(&git(reference, &arg_refs)?);
    // Terraform modules may live outside the scanned paths (`source = "../../modules/pt"`): take every
    // Terraform file of the revision too, so module calls resolve as they do in the working tree.
    let whole = blobs(&git(reference, &["ls-tree", "-r", "-z", "--full-tree", &commit])?);
    let have: std::collections::HashSet<String> = listing.iter().map(|b| b.path.clone()).collect();
    listing.extend(whole.into_iter().filter(|b| is_terraform(&b.path) && !have.contains(&b.path)));

    let root = temp_dir().map_err(|e| fatal(reference, format!("cannot create a temporary directory: {e}")))?;
    let snapshot = Snapshot { cwd: root.join(&prefix), root };
    std::fs::create_dir_all(&snapshot.cwd).map_err(|e| fatal(reference, e.to_string()))?;
    // The copy stands for the repository's work tree: an (empty) `.git` marks its root, as in the working tree,
    // so local modules and `file()` paths are confined to the copy as they are to the repository (source::read).
    std::fs::create_dir_all(snapshot.root.join(".git")).map_err(|e| fatal(reference, e.to_string()))?;
    write_blobs(reference, &listing, &snapshot.root)?;
    Ok(snapshot)
}

/// Stream the blobs through one `git cat-file --batch` and write each under `root`.
fn write_blobs(reference: &str, listing: &[Blob], root: &Path) -> Result<(), FatalError> {
    if listing.is_empty() {
        return Ok(());
    }
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| fatal(reference, format!("cannot run git: {e}")))?;
    let mut stdin = child.stdin.take().ok_or_else(|| fatal(reference, "no stdin for git cat-file".into()))?;
    let requests: String = listing.iter().map(|b| format!("{}\n", b.object)).collect();
    // Written from another thread: git's output would otherwise fill the pipe while we are still writing.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let stdout = child.stdout.take().ok_or_else(|| fatal(reference, "no stdout for git cat-file".into()))?;
    let mut reader = BufReader::new(stdout);
    let io = |e: std::io::Error| fatal(reference, format!("reading git cat-file output: {e}"));
    for blob in listing {
        let mut header = String::new();
        reader.read_line(&mut header).map_err(io)?;
        let size: usize =
            header.split(' ').nth(2).and_then(|s| s.trim().parse().ok()).ok_or_else(|| {
                fatal(reference, format!("unexpected git cat-file output for {}: {header}", blob.path))
            })?;
        let mut content = vec![0u8; size];
        reader.read_exact(&mut content).map_err(io)?;
        let mut newline = [0u8; 1];
        reader.read_exact(&mut newline).map_err(io)?;
        // Paths come from git's own tree; anything that would leave the directory is skipped.
        let relative = Path::new(&blob.path);
        if relative.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
            continue;
        }
        let target = root.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fatal(reference, e.to_string()))?;
        }
        std::fs::write(&target, content).map_err(|e| fatal(reference, format!("{}: {e}", target.display())))?;
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terraform_files_are_known_by_their_extension() {
        for path in ["modules/pt/main.tf", "a.tf.json", "prod.tfvars", "x.auto.tfvars.json"] {
            assert!(is_terraform(path), "{path}");
        }
        for path in ["main.tf.bak", "stack.yaml", "plan.json", "tf"] {
            assert!(!is_terraform(path), "{path}");
        }
    }

    #[test]
    fn ls_tree_records_keep_regular_files_only() {
        let listing = b"100644 blob aaa\tinfra/a.yaml\x00120000 blob bbb\tinfra/link.yaml\x00160000 commit ccc\tvendor\x00100755 blob ddd\tx y.json\x00";
        let found: Vec<(String, String)> = blobs(listing).into_iter().map(|b| (b.object, b.path)).collect();
        assert_eq!(
            found,
            vec![("aaa".to_string(), "infra/a.yaml".to_string()), ("ddd".to_string(), "x y.json".to_string())]
        );
    }
}
