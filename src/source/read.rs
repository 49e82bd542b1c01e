//! Reading a file from disk when its name came from an input: regular files only, never more than a size cap,
//! and, for a name an input wrote, only inside the input's repository.
//!
//! Every file ptlint reads goes through [`read_regular_file`]. A name written in a template, a config or a CDK
//! manifest may point at `/dev/zero`, a FIFO that never ends, or a file that grows while it is read; each of
//! those is refused or cut off here instead of exhausting memory or hanging the run.
//!
//! A name an input wrote (a SAM `DefinitionUri`, a CDK `manifest.json`, HCL `file()`, a config's rule files and
//! CloudWatch exports) is read through a [`Repository`]: the git work tree holding the input (the nearest
//! directory at or above it with a `.git` entry, links resolved). Outside any git tree it is the scanned
//! directory: the working directory when the input lies inside it (as when ptlint runs at the top of a
//! checkout without `.git`, an unpacked source archive say), else the input's own directory. The working
//! directory is the tree the user chose to scan, so a name may reach across it (`../definitions/flow.asl.json`
//! from `templates/`), but never out of it: not `/proc/self/environ`, not `../../secret`, not a link to either.
//!
//! This module imports nothing from the rest of the crate but the text decoding of [`super`], so any layer may
//! use it.

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

/// The largest read buffer a thread keeps between files.
const KEPT_BUFFER_BYTES: usize = 1 << 20;

/// Run `read` with this thread's reusable buffer, emptied: a tree's many files, most of them turned away by a
/// prefilter, are read without an allocation each. A buffer a rare large file grew is not kept for the rest of the
/// run. `read` must not call this again (the buffer is borrowed while it runs).
pub fn with_thread_buffer<T>(read: impl FnOnce(&mut Vec<u8>) -> T) -> T {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        let result = read(buffer);
        if buffer.capacity() > KEPT_BUFFER_BYTES {
            *buffer = Vec::new();
        }
        result
    })
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

/// The directory tree the names an input writes are confined to: the git work tree that holds the input, or,
/// where there is none, the scanned directory (see the module documentation).
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
    /// The repository holding the directory `dir`: the nearest directory at or above it (links resolved) with a
    /// `.git` entry (a directory, or the file a linked worktree or submodule has); outside any, the working
    /// directory when `dir` lies inside it, else `dir` itself. The empty path (the parent of a bare file name) is
    /// the working directory.
    pub fn holding(dir: &Path) -> Repository {
        let cwd = std::env::current_dir().ok();
        Repository::holding_from(dir, cwd.as_deref())
    }

    /// [`Repository::holding`] against the working directory `cwd` (`None`: unknown, so never the fallback).
    pub fn holding_from(dir: &Path, cwd: Option<&Path>) -> Repository {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        let canonical = |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| absolute(path));
        let start = canonical(dir);
        let work_tree = start.ancestors().find(|dir| dir.join(".git").exists()).map(Path::to_path_buf);
        let root = work_tree.unwrap_or_else(|| match cwd.map(canonical) {
            Some(cwd) if start.starts_with(&cwd) => cwd,
            _ => start,
        });
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
        match self.locate(path) {
            Located::Inside(resolved) => Ok(resolved),
            Located::Outside => Err(outside(shown)),
            Located::Missing(e) => Err(Refused::Unreadable(format!("`{shown}` cannot be read: {e}"))),
        }
    }

    /// Where `path` resolves once every link is resolved. A path that does not exist is judged by its nearest
    /// existing ancestor, so a name outside the repository gets the same answer whether or not it exists there.
    fn locate(&self, path: &Path) -> Located {
        match std::fs::canonicalize(path) {
            Ok(resolved) if resolved.starts_with(&self.root) => Located::Inside(resolved),
            Ok(_) => Located::Outside,
            Err(e) => {
                let existing = absolute(path).ancestors().find_map(|a| std::fs::canonicalize(a).ok());
                match existing {
                    Some(dir) if dir.starts_with(&self.root) => Located::Missing(e),
                    _ => Located::Outside,
                }
            }
        }
    }

    /// [`read_regular_file`] of `path` if it resolves inside the repository, with a [`ReadError`] for callers that
    /// word the message themselves ([`ReadError::Outside`] names the repository's root).
    pub fn read_regular_file(&self, path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
        match self.locate(path) {
            Located::Inside(resolved) => read_regular_file(&resolved, max_bytes),
            Located::Outside => Err(ReadError::Outside(self.root.clone())),
            Located::Missing(e) => Err(ReadError::Io(e)),
        }
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

/// Where a path resolves, against a repository.
enum Located {
    Inside(PathBuf),
    Outside,
    /// Inside, but not there (or not resolvable): the error says why.
    Missing(std::io::Error),
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
mod tests;
