//! Reading a file from disk when its name came from an input: regular files only, never more than a size cap.
//!
//! Every file ptlint reads goes through [`read_regular_file`]. A name written in a template, a config or a CDK
//! manifest may point at `/dev/zero`, a FIFO that never ends, or a file that grows while it is read; each of
//! those is refused or cut off here instead of exhausting memory or hanging the run. This module imports
//! nothing from the rest of the crate, so any layer may use it.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Files larger than this are not read: no real template is this big, and hostile ones should not exhaust memory.
/// (CloudFormation's own limit is 1 MB for a template in S3; plans of large Terraform configurations run to
/// tens of MB.)
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Opening or reading failed (no such file, permission denied, ...).
    Io(std::io::Error),
    /// The name is a directory, a device, a FIFO or a socket, not a regular file.
    NotRegular(&'static str),
    /// The name, once symbolic links are resolved, is outside the directory reads are confined to.
    Outside(PathBuf),
    /// The file is larger than the cap: its size as the file system gave it, or `None` when it said less
    /// and then produced more.
    TooLarge { size: Option<u64>, max: u64 },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
            ReadError::Outside(root) => {
                write!(f, "outside the repository ({}); not read", root.display())
            }
            ReadError::NotRegular(kind) => write!(f, "not a regular file ({kind}); not read"),
            ReadError::TooLarge { size: Some(size), max } => {
                write!(f, "file is {size} bytes, over the {} limit; not read", human(*max))
            }
            ReadError::TooLarge { size: None, max } => write!(f, "file is over the {} limit; not read", human(*max)),
        }
    }
}

impl std::error::Error for ReadError {}

/// For callers whose errors carry an `io::Error`: a refusal becomes one of kind `InvalidInput` with the same text.
impl From<ReadError> for std::io::Error {
    fn from(error: ReadError) -> std::io::Error {
        match error {
            ReadError::Io(e) => e,
            other => std::io::Error::new(std::io::ErrorKind::InvalidInput, other.to_string()),
        }
    }
}

impl ReadError {
    /// Why, without the leading "cannot read: ", for messages that say what could not be read themselves.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io(e) => e.to_string(),
            other => other.to_string(),
        }
    }
}

/// A byte count as the limits are written: whole MiB or KiB where exact.
fn human(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes % (1 << 10) == 0 {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// The whole content of the regular file at `path` (symbolic links followed), at most `max_bytes` long.
pub fn read_regular_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    read_regular_file_into(path, max_bytes, &mut bytes)?;
    Ok(bytes)
}

/// [`read_regular_file`] into a buffer the caller reuses (appended to; the caller clears it).
///
/// The kind and size are checked on the open file itself, so the name cannot be swapped for a device between
/// the check and the read; the file is opened without blocking, so a FIFO is refused instead of waiting for a
/// writer; and at most `max_bytes + 1` bytes are read, so a file that grows while it is read stops at the cap.
pub fn read_regular_file_into(path: &Path, max_bytes: u64, bytes: &mut Vec<u8>) -> Result<(), ReadError> {
    let file = open_without_blocking(path).map_err(ReadError::Io)?;
    let metadata = file.metadata().map_err(ReadError::Io)?;
    let kind = metadata.file_type();
    if !kind.is_file() {
        return Err(ReadError::NotRegular(kind_name(&kind)));
    }
    let size = metadata.len();
    if size > max_bytes {
        return Err(ReadError::TooLarge { size: Some(size), max: max_bytes });
    }
    let start = bytes.len();
    // The size is a hint (a `/proc` file says 0); the `take` is the bound.
    bytes.reserve(usize::try_from(size).unwrap_or(0));
    file.take(max_bytes.saturating_add(1)).read_to_end(bytes).map_err(ReadError::Io)?;
    if (bytes.len() - start) as u64 > max_bytes {
        bytes.truncate(start);
        return Err(ReadError::TooLarge { size: None, max: max_bytes });
    }
    Ok(())
}

/// [`read_regular_file`] of a name an input wrote, refused unless it resolves (symbolic links followed) to a
/// file inside `root`: a template cannot have `../../secret` or `/proc/self/environ` read for it.
pub fn read_regular_file_within(path: &Path, root: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    let resolved = std::fs::canonicalize(path).map_err(ReadError::Io)?;
    let root = std::fs::canonicalize(root).map_err(ReadError::Io)?;
    if !resolved.starts_with(&root) {
        return Err(ReadError::Outside(root));
    }
    read_regular_file(&resolved, max_bytes)
}

/// The repository the directory `dir` belongs to: the nearest directory at or above it holding `.git` (a git
/// work tree); outside any, the current directory if `dir` is in it, else `dir` itself.
pub fn repository_root(dir: &Path) -> PathBuf {
    // The parent of a bare file name is the empty path: the current directory.
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    if let Some(work_tree) = absolute.ancestors().find(|dir| dir.join(".git").exists()) {
        return work_tree.to_path_buf();
    }
    match std::env::current_dir() {
        Ok(cwd) if absolute.starts_with(&cwd) => cwd,
        _ => absolute,
    }
}

/// [`read_regular_file`] as UTF-8 text (a byte-order mark kept); invalid UTF-8 is an [`ReadError::Io`] of kind
/// `InvalidData`.
pub fn read_regular_text(path: &Path, max_bytes: u64) -> Result<String, ReadError> {
    let bytes = read_regular_file(path, max_bytes)?;
    String::from_utf8(bytes).map_err(|e| ReadError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer that never comes. It changes
    // nothing for a regular file.
    std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

fn kind_name(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

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

/// Read a regular file of at most `max_bytes` ([`read_regular_file`]: its type and size checked on the open file,
/// a FIFO refused without waiting, the read stopped past the limit in case the file grew), with the reason as
/// text for messages that name the path themselves.
pub fn read_regular(path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    // A socket cannot even be opened: say what it is, as for a device or a FIFO.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err("is not a regular file".into());
    }
    read_regular_file(path, max_bytes).map_err(|e| match e {
        ReadError::NotRegular(_) => "is not a regular file".to_string(),
        ReadError::TooLarge { .. } => format!("is over the {} limit; not read", size_text(max_bytes)),
        other => format!("cannot be read: {}", other.reason()),
    })
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
    fn a_regular_file_is_read_whole_up_to_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.yaml");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_regular_file(&path, 10).unwrap(), b"0123456789");
        let error = read_regular_file(&path, 9).unwrap_err();
        assert!(matches!(error, ReadError::TooLarge { size: Some(10), max: 9 }), "{error:?}");
        assert_eq!(error.to_string(), "file is 10 bytes, over the 9 bytes limit; not read");
        assert_eq!(read_regular_text(&path, 10).unwrap(), "0123456789");
    }

    #[test]
    fn a_reused_buffer_is_appended_to_and_left_as_it_was_on_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t");
        std::fs::write(&path, b"abc").unwrap();
        let mut buffer = b"x".to_vec();
        read_regular_file_into(&path, 3, &mut buffer).unwrap();
        assert_eq!(buffer, b"xabc");
        assert!(read_regular_file_into(&path, 2, &mut buffer).is_err());
        assert_eq!(buffer, b"xabc");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_directories_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_regular_file(Path::new("/dev/zero"), MAX_FILE_BYTES).unwrap_err();
        assert_eq!(error.to_string(), "not a regular file (a character device); not read");
        let error = read_regular_file(dir.path(), MAX_FILE_BYTES).unwrap_err();
        assert_eq!(error.to_string(), "not a regular file (a directory); not read");
        // A link to a device is the device.
        let link = dir.path().join("zero.json");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(matches!(read_regular_file(&link, MAX_FILE_BYTES), Err(ReadError::NotRegular("a character device"))));
        // A FIFO with no writer is refused at once, not waited on: tests/hostile_templates.rs makes one.
        let error = read_regular_file(&dir.path().join("missing"), MAX_FILE_BYTES).unwrap_err();
        assert!(error.to_string().starts_with("cannot read: "), "{error}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_that_says_it_is_empty_is_still_cut_at_the_cap() {
        // `/proc` files report a size of 0 and then produce content: the cap applies to what is read.
        let error = read_regular_file(Path::new("/proc/self/maps"), 16).unwrap_err();
        assert!(matches!(error, ReadError::TooLarge { size: None, max: 16 }), "{error:?}");
        assert_eq!(error.to_string(), "file is over the 16 bytes limit; not read");
    }

    #[cfg(unix)]
    #[test]
    fn a_name_resolving_outside_the_root_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), b"s").unwrap();
        std::fs::write(root.path().join("in.json"), b"{}").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), root.path().join("link.json")).unwrap();
        assert_eq!(read_regular_file_within(&root.path().join("in.json"), root.path(), 10).unwrap(), b"{}");
        let sibling = format!("../{}/secret", outside.path().file_name().unwrap().to_str().unwrap());
        for name in ["link.json", sibling.as_str()] {
            let path = root.path().join(name);
            let error = read_regular_file_within(&path, root.path(), 10).unwrap_err();
            assert!(matches!(error, ReadError::Outside(_)), "{name}: {error:?}");
            assert!(error.to_string().starts_with("outside the repository ("), "{error}");
        }
        let error = read_regular_file_within(&root.path().join("missing"), root.path(), 10).unwrap_err();
        assert!(matches!(error, ReadError::Io(_)), "{error:?}");
        // A `.git` marks the repository; outside any, the current directory is the root.
        std::fs::create_dir_all(root.path().join(".git")).unwrap();
        std::fs::create_dir_all(root.path().join("a/b")).unwrap();
        let found = repository_root(&root.path().join("a/b"));
        assert_eq!(std::fs::canonicalize(found).unwrap(), std::fs::canonicalize(root.path()).unwrap());
        let here = std::fs::canonicalize(repository_root(Path::new(""))).unwrap();
        assert_eq!(here, std::fs::canonicalize(repository_root(Path::new("."))).unwrap());
    }

    #[test]
    fn limits_are_written_in_whole_units() {
        assert_eq!(human(MAX_FILE_BYTES), "32 MiB");
        assert_eq!(human(64 * 1024), "64 KiB");
        assert_eq!(human(1000), "1000 bytes");
    }
}

#[cfg(test)]
mod repository_tests {
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
