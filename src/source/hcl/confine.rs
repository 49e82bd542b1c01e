//! The files `file()`, `fileexists()` and the other file functions may see: those inside the repository that holds
//! the root module (its git work tree, or the scanned directory where there is none), links resolved first.
//!
//! Every file function reads through [`ModuleFiles`], so a path from a pull request (`/proc/self/environ`,
//! `../../secret`, a link to either) never brings text from outside the repository into the output: its value
//! is unknown, and says why.

use crate::source::read::{Refused, Repository};
use crate::source::MAX_FILE_BYTES;
use std::path::{Path, PathBuf};

/// The root module's directory, which paths are relative to (as terraform runs there), and its repository,
/// found once per evaluation.
#[derive(Debug, Clone)]
pub struct ModuleFiles {
    base: PathBuf,
    repository: Repository,
}

impl ModuleFiles {
    pub fn new(root_dir: &Path) -> ModuleFiles {
        ModuleFiles { base: root_dir.to_path_buf(), repository: Repository::holding(root_dir) }
    }

    /// `path` (as the configuration wrote it) resolved inside the repository, for functions that list or test
    /// files rather than read them (`fileset`).
    pub fn resolve(&self, path: &str) -> Result<PathBuf, Refused> {
        self.repository.resolve_as(&self.base.join(path), path)
    }

    /// The text of a regular file inside the repository, at most the run's file size limit.
    pub fn read_text(&self, path: &str) -> Result<String, Refused> {
        self.repository.read_text_as(&self.base.join(path), path, MAX_FILE_BYTES)
    }

    /// Whether `path` is a regular file; a path outside the repository is refused rather than answered, since
    /// the answer would say something about the machine ptlint runs on.
    pub fn exists(&self, path: &str) -> Result<bool, Refused> {
        match self.resolve(path) {
            Ok(resolved) => Ok(resolved.is_file()),
            Err(Refused::Unreadable(_)) => Ok(false),
            Err(outside) => Err(outside),
        }
    }
}
