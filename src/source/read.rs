//! Reading a file an input names (a config's rules and usage files, a module's `file()`): only a regular file,
//! only inside the repository once links are resolved, and only up to a size checked before reading.
//!
//! A pull request can put anything in a path: `/proc/self/environ`, `../../secret`, a symbolic link to either,
//! `/dev/zero`, a FIFO. What such a path reaches must never be read into the output, nor hang or exhaust the run.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The directory tree paths from inputs are confined to: the git work tree that holds the input, or, where
/// there is none, the directory given as the scanned root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// Canonical (links resolved, absolute).
    root: PathBuf,
}

/// Why a path from an input was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// It resolves outside the repository (directly, with `..`, or through a link).
    Outside(String),
    /// It is not there, not a regular file, too large, or unreadable.
    Unreadable(String),
}

impl Refused {
    pub fn message(&self) -> &str {
        match self {
            Refused::Outside(why) | Refused::Unreadable(why) => why,
        }
    }
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl Repository {
    /// The repository holding `path` (a file or directory): the nearest ancestor with a `.git` entry (a
    /// directory, or the file a linked worktree or submodule has), else `fallback`.
    pub fn holding(path: &Path, fallback: &Path) -> Repository {
        let start = std::fs::canonicalize(path).unwrap_or_else(|_| absolute(path));
        let root = start
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| std::fs::canonicalize(fallback).unwrap_or_else(|_| absolute(fallback)));
        Repository { root }
    }

    /// A repository rooted at `root` itself.
    pub fn at(root: &Path) -> Repository {
        Repository { root: std::fs::canonicalize(root).unwrap_or_else(|_| absolute(root)) }
    }

    /// The repository's root directory (canonical).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `path` with every link resolved, if that lies inside the repository. A path that does not exist is
    /// judged by its nearest existing ancestor, so `missing.txt` inside is "not found", `../../x` outside.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, Refused> {
        self.resolve_as(path, &path.display().to_string())
    }

    /// [`Repository::resolve`], naming the path as `shown` (as the input wrote it) in what it says.
    pub fn resolve_as(&self, path: &Path, shown: &str) -> Result<PathBuf, Refused> {
        let resolved = match std::fs::canonicalize(path) {
            Ok(resolved) => resolved,
            Err(e) => {
                let absolute = absolute(path);
                let existing = absolute.ancestors().find_map(|a| std::fs::canonicalize(a).ok());
                if existing.is_none_or(|dir| !dir.starts_with(&self.root)) {
                    return Err(outside(shown));
                }
                return Err(Refused::Unreadable(format!("`{shown}` cannot be read: {e}")));
            }
        };
        if !resolved.starts_with(&self.root) {
            return Err(outside(shown));
        }
        Ok(resolved)
    }

    /// Read `path` if it resolves to a regular file inside the repository of at most `max_bytes`.
    pub fn read(&self, path: &Path, max_bytes: u64) -> Result<Vec<u8>, Refused> {
        self.read_as(path, &path.display().to_string(), max_bytes)
    }

    /// [`Repository::read`], naming the path as `shown`.
    pub fn read_as(&self, path: &Path, shown: &str, max_bytes: u64) -> Result<Vec<u8>, Refused> {
        let resolved = self.resolve_as(path, shown)?;
        read_regular(&resolved, max_bytes).map_err(|why| Refused::Unreadable(format!("`{shown}` {why}")))
    }

    /// [`Repository::read_as`], decoded as text (UTF-8, or UTF-16 with a byte order mark).
    pub fn read_text_as(&self, path: &Path, shown: &str, max_bytes: u64) -> Result<String, Refused> {
        let bytes = self.read_as(path, shown, max_bytes)?;
        super::decode_vec(bytes).map_err(|e| Refused::Unreadable(format!("`{shown}` is not text: {e}")))
    }

    /// [`Repository::read_text_as`] naming the path as it is.
    pub fn read_text(&self, path: &Path, max_bytes: u64) -> Result<String, Refused> {
        self.read_text_as(path, &path.display().to_string(), max_bytes)
    }
}

fn outside(shown: &str) -> Refused {
    Refused::Outside(format!(
        "`{shown}` is outside the repository once links are resolved; only files inside it are read"
    ))
}

impl From<Refused> for String {
    fn from(refused: Refused) -> String {
        refused.message().to_string()
    }
}

/// Read a regular file of at most `max_bytes`. Its type and size are checked before reading (a device, a FIFO or
/// a directory is refused without being opened), and the read stops past the limit in case the file grew.
pub fn read_regular(path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot be read: {e}"))?;
    if !metadata.is_file() {
        return Err("is not a regular file".into());
    }
    if metadata.len() > max_bytes {
        return Err(format!("is over the {} limit; not read", size_text(max_bytes)));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(max_bytes + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(format!("is over the {} limit; not read", size_text(max_bytes)));
    }
    Ok(bytes)
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / 1024 / 1024)
    } else {
        format!("{bytes}-byte")
    }
}

/// The most of an input an error message quotes: its first line, cut at [`EXCERPT_CHARS`] characters.
pub fn excerpt(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    let mut cut: String = line.chars().take(EXCERPT_CHARS).collect();
    if cut.len() < line.len() || text.lines().nth(1).is_some() {
        cut.push_str(" [...]");
    }
    cut
}

/// How many characters of an input an error quotes at most.
pub const EXCERPT_CHARS: usize = 120;

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_inside_is_read_and_one_outside_is_refused_even_through_a_link() {
        let outer = tempfile::tempdir().expect("temp dir");
        let repo = outer.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).expect("repo");
        std::fs::create_dir_all(repo.join("sub")).expect("sub");
        std::fs::write(outer.path().join("secret"), "TOKEN=hunter2").expect("secret");
        std::fs::write(repo.join("sub/ok.txt"), "fine").expect("ok");
        std::os::unix::fs::symlink(outer.path().join("secret"), repo.join("sub/link")).expect("link");
        let repository = Repository::holding(&repo.join("sub"), Path::new("/nonexistent"));
        assert_eq!(repository.root(), std::fs::canonicalize(&repo).expect("canonical"));
        assert_eq!(repository.read_text(&repo.join("sub/ok.txt"), 100).expect("inside"), "fine");
        for path in [repo.join("sub/link"), repo.join("sub/../../secret"), PathBuf::from("/proc/self/environ")] {
            let refused = repository.read_text(&path, 100).expect_err("outside");
            assert!(matches!(refused, Refused::Outside(_)), "{path:?}: {refused:?}");
            assert!(!refused.message().contains("hunter2"));
        }
        // Missing inside: not found, not "outside"; missing beyond the root: outside.
        assert!(matches!(repository.read(&repo.join("sub/missing"), 100), Err(Refused::Unreadable(_))));
        assert!(matches!(repository.read(&repo.join("../nothing/here"), 100), Err(Refused::Outside(_))));
    }

    #[test]
    fn only_regular_files_within_the_size_limit_are_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let repository = Repository::at(Path::new("/"));
        assert!(repository.read(Path::new("/dev/zero"), 100).unwrap_err().message().contains("not a regular file"));
        assert!(repository.read(dir.path(), 100).unwrap_err().message().contains("not a regular file"));
        // A socket, like a FIFO, is refused without being opened (opening a FIFO with no writer would block).
        let socket = dir.path().join("socket");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("socket");
        assert!(read_regular(&socket, 100).unwrap_err().contains("not a regular file"));
        std::fs::write(dir.path().join("big"), vec![b'x'; 101]).expect("big");
        assert!(read_regular(&dir.path().join("big"), 100).unwrap_err().contains("over the 100-byte limit"));
        assert_eq!(read_regular(&dir.path().join("big"), 101).expect("at the limit").len(), 101);
    }

    #[test]
    fn an_excerpt_is_one_line_cut_short() {
        assert_eq!(excerpt("one line"), "one line");
        assert_eq!(excerpt("first\nsecond"), "first [...]");
        let long = "x".repeat(500);
        assert_eq!(excerpt(&long), format!("{} [...]", "x".repeat(EXCERPT_CHARS)));
        assert_eq!(excerpt(""), "");
    }
}
