//! Projects: which `.ptlint.yaml` applies to each path (the nearest one at or above it, as ruff does) and
//! which tree a named file belongs to, so that its budgets, alarms and custom models are seen.

use crate::config::{self, LoadedConfig, CONFIG_FILE_NAMES};
use crate::discover::{absolute, display_path, Excludes};
use crate::error::FatalError;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rayon::prelude::*;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// The configs of a run, loaded once each, and the nearest one per directory.
pub struct Configs {
    /// `--config FILE`: applies to every path.
    explicit: Option<usize>,
    loaded: Vec<(LoadedConfig, Excludes)>,
    /// Absolute directory -> index of its nearest config, or `None` when it has none. Keyed by the path's bytes
    /// (the paths are normalised, so equal bytes are equal paths): hashing a `Path` parses its components, and a
    /// large tree asks about every directory several times.
    by_dir: HashMap<OsString, Option<usize>>,
}

/// Absolute directory -> the config file in it, if any: what [`Configs::prefetch`] found, borrowing the file paths
/// it was given.
type Probed<'a> = HashMap<&'a OsStr, Option<PathBuf>>;

/// The parent of a normalised absolute path (see [`absolute`]): on Unix everything before the last `/`, found without
/// parsing every component as `Path::parent` does (the look-ups of a large tree climb millions of directories).
#[cfg(unix)]
fn parent(path: &Path) -> Option<&Path> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    match memchr::memrchr(b'/', bytes)? {
        0 if bytes.len() == 1 => None,
        0 => Some(Path::new("/")),
        end => Some(Path::new(OsStr::from_bytes(&bytes[..end]))),
    }
}

#[cfg(not(unix))]
fn parent(path: &Path) -> Option<&Path> {
    path.parent()
}

/// `path` and every directory above it, nearest first (`Path::ancestors` by [`parent`]).
fn ancestors(path: &Path) -> impl Iterator<Item = &Path> {
    std::iter::successors(Some(path), |p| parent(p))
}

/// A file's nearest config as far as [`Configs`] knows without the file system.
enum Nearest {
    /// The index (or none) cached for a directory on the way up.
    Known(Option<usize>),
    /// A config file found in a checked directory, perhaps not loaded yet.
    File(PathBuf),
    /// A directory on the way up that was never checked.
    Unknown,
}

/// The config file directly in `dir`, if there is one.
fn config_file_in(dir: &Path) -> Option<PathBuf> {
    CONFIG_FILE_NAMES.iter().map(|n| dir.join(n)).find(|f| f.is_file())
}

/// A config error as the run reports it: file, line and column.
fn fatal(e: config::ConfigError) -> FatalError {
    FatalError { file: e.file, line: e.line, column: e.column, message: e.message }
}

/// Load one config, read from the path reports show (relative to the working directory when under it).
fn load_one(path: &Path) -> Result<(LoadedConfig, Excludes), FatalError> {
    let shown = PathBuf::from(display_path(path));
    let loaded = config::load(&shown).map_err(fatal)?;
    let excludes = Excludes::new(&loaded.dir, &loaded.config.exclude).map_err(|message| FatalError {
        file: shown.to_string_lossy().into_owned(),
        line: loaded.exclude_position.0,
        column: loaded.exclude_position.1,
        message,
    })?;
    Ok((loaded, excludes))
}

impl Configs {
    /// Configs found by proximity, or the one `--config` names for everything.
    pub fn new(explicit: Option<&Path>) -> Result<Configs, FatalError> {
        let mut configs = Configs { explicit: None, loaded: Vec::new(), by_dir: HashMap::new() };
        if let Some(path) = explicit {
            configs.loaded.push(load_one(path)?);
            configs.explicit = Some(0);
        }
        Ok(configs)
    }

    /// The config in effect for `path` (a file or a directory): `--config`, else the nearest `.ptlint.yaml`
    /// in the path's own directory or a parent.
    pub fn for_path(&mut self, path: &Path) -> Result<Option<usize>, FatalError> {
        if self.explicit.is_some() {
            return Ok(self.explicit);
        }
        let path = absolute(path);
        let dir = if path.is_dir() { path } else { path.parent().map_or_else(|| path.clone(), Path::to_path_buf) };
        self.for_dir(dir, &Probed::new())
    }

    /// [`Configs::for_path`] for a path whose kind the caller has looked up, made absolute against the working
    /// directory the caller knows: no system call but the config look-ups (a named file is otherwise asked about
    /// three times, and `getcwd` once, before it is read).
    pub fn for_path_of_kind(&mut self, path: &Path, is_dir: bool, cwd: &Path) -> Result<Option<usize>, FatalError> {
        if self.explicit.is_some() {
            return Ok(self.explicit);
        }
        let path = crate::discover::absolute_from(path, cwd);
        let dir = if is_dir { path } else { path.parent().map_or_else(|| path.clone(), Path::to_path_buf) };
        self.for_dir(dir, &Probed::new())
    }

    /// [`Configs::for_path`] for a path known to be a file (no file system check of its kind).
    pub fn for_file(&mut self, file: &Path) -> Result<Option<usize>, FatalError> {
        self.for_absolute_file(&absolute(file))
    }

    /// [`Configs::for_file`] for a path already made [`absolute`].
    fn for_absolute_file(&mut self, file: &Path) -> Result<Option<usize>, FatalError> {
        self.for_absolute_file_probed(file, &Probed::new())
    }

    /// [`Configs::for_absolute_file`], taking what `probed` says of a directory instead of looking.
    fn for_absolute_file_probed(&mut self, file: &Path, probed: &Probed) -> Result<Option<usize>, FatalError> {
        if self.explicit.is_some() {
            return Ok(self.explicit);
        }
        let dir = parent(file).unwrap_or(file);
        match self.by_dir.get(dir.as_os_str()) {
            Some(known) => Ok(*known),
            None => self.for_dir(dir.to_path_buf(), probed),
        }
    }

    /// [`Configs::for_absolute_file`] for many files: their directories are checked in parallel
    /// ([`Configs::prefetch`]) and each file's nearest config found in parallel; configs are then loaded in the
    /// order the files first need them, so indices and the first error are those of asking file by file.
    pub fn for_absolute_files(&mut self, files: &[PathBuf]) -> Result<Vec<Option<usize>>, FatalError> {
        if self.explicit.is_some() {
            return Ok(vec![self.explicit; files.len()]);
        }
        let probed = self.prefetch(files);
        let nearest: Vec<Nearest> = files.par_iter().map(|file| self.nearest_known(file, &probed)).collect();
        let mut scopes = Vec::with_capacity(files.len());
        for (file, nearest) in files.iter().zip(nearest) {
            scopes.push(match nearest {
                Nearest::Known(known) => known,
                Nearest::File(config) => match parent(&config).and_then(|dir| self.by_dir.get(dir.as_os_str())) {
                    Some(known) => *known,
                    None => self.for_absolute_file_probed(&config, &probed)?,
                },
                Nearest::Unknown => self.for_absolute_file_probed(file, &probed)?,
            });
        }
        Ok(scopes)
    }

    /// The nearest config of each absolute file path without touching the file system for directories not checked
    /// yet: what earlier look-ups found, else the config files a walk met (`seen`, absolute). Exact but for a config
    /// that an ignore file hid from the walk in a directory never checked, so it is for files that cannot matter to
    /// a finding (those the prefilter turned away), whose config only decides whether an `exclude` leaves them
    /// out. Nothing is cached, so the exact look-ups are not misled.
    pub fn nearest_seen(&mut self, files: &[PathBuf], seen: &[PathBuf]) -> Result<Vec<Option<usize>>, FatalError> {
        if self.explicit.is_some() {
            return Ok(vec![self.explicit; files.len()]);
        }
        let mut in_dir: HashMap<&OsStr, &Path> = HashMap::new();
        // The first name of [`CONFIG_FILE_NAMES`] wins in a directory that holds both, as on disk.
        for name in CONFIG_FILE_NAMES.iter().rev() {
            for config in seen.iter().filter(|c| c.file_name().is_some_and(|n| n == *name)) {
                if let Some(dir) = parent(config) {
                    in_dir.insert(dir.as_os_str(), config);
                }
            }
        }
        // Each directory is answered once: files of one directory, and directories of one parent, share the climb.
        let mut memo: HashMap<&OsStr, Option<usize>> = HashMap::new();
        let mut scopes = Vec::with_capacity(files.len());
        for file in files {
            let mut climbed = Vec::new();
            let mut answer = None;
            for dir in ancestors(file).skip(1) {
                let key = dir.as_os_str();
                if let Some(known) = memo.get(key) {
                    answer = *known;
                    break;
                }
                climbed.push(key);
                if let Some(config) = in_dir.get(key) {
                    answer = Some(self.load_at(config)?);
                    break;
                }
                if let Some(known) = self.by_dir.get(key) {
                    answer = *known;
                    break;
                }
            }
            memo.extend(climbed.into_iter().map(|dir| (dir, answer)));
            scopes.push(answer);
        }
        Ok(scopes)
    }

    /// The index of the config file at this absolute path, loading it the first time.
    fn load_at(&mut self, config: &Path) -> Result<usize, FatalError> {
        if let Some(Some(known)) = parent(config).and_then(|dir| self.by_dir.get(dir.as_os_str())) {
            if absolute(&self.loaded[*known].0.path) == config {
                return Ok(*known);
            }
        }
        if let Some(i) = self.loaded.iter().position(|(l, _)| absolute(&l.path) == config) {
            return Ok(i);
        }
        self.loaded.push(load_one(config)?);
        Ok(self.loaded.len() - 1)
    }

    /// What the cache and the checked directories say of a file's nearest config, without touching the disk.
    fn nearest_known(&self, file: &Path, probed: &Probed) -> Nearest {
        for dir in ancestors(file).skip(1) {
            if let Some(known) = self.by_dir.get(dir.as_os_str()) {
                return Nearest::Known(*known);
            }
            match probed.get(dir.as_os_str()) {
                Some(Some(config)) => return Nearest::File(config.clone()),
                Some(None) => {}
                None => return Nearest::Unknown,
            }
        }
        Nearest::Known(None)
    }

    /// The config file (or none) of the directories of these absolute file paths and of every directory above them,
    /// looked at in parallel, so that the look-ups that follow touch no file system. A large tree has a directory for
    /// every few files; checking each one after another took a quarter of a 100,000-file run.
    fn prefetch<'a>(&self, files: &'a [PathBuf]) -> Probed<'a> {
        let mut dirs: HashSet<&OsStr> = HashSet::new();
        for file in files {
            // Going up stops at a directory met before: everything above it is in the set already.
            for dir in ancestors(file).skip(1).map(Path::as_os_str) {
                if self.by_dir.contains_key(dir) || !dirs.insert(dir) {
                    break;
                }
            }
        }
        let dirs: Vec<&OsStr> = dirs.into_iter().collect();
        let found: Vec<Option<PathBuf>> = dirs.par_iter().map(|dir| config_file_in(Path::new(dir))).collect();
        dirs.into_iter().zip(found).collect()
    }

    /// The nearest config of an absolute directory, cached for it and every directory passed on the way up.
    fn for_dir(&mut self, dir: PathBuf, probed: &Probed) -> Result<Option<usize>, FatalError> {
        // Walk up until a directory already answered or one holding a config, then fill the cache downwards.
        let mut pending = Vec::new();
        let mut answer = None;
        for ancestor in ancestors(&dir) {
            if let Some(known) = self.by_dir.get(ancestor.as_os_str()) {
                answer = *known;
                break;
            }
            pending.push(ancestor.as_os_str().to_os_string());
            let file = match probed.get(ancestor.as_os_str()) {
                Some(found) => found.clone(),
                None => config_file_in(ancestor),
            };
            if let Some(file) = file {
                answer = Some(self.load_at(&file)?);
                break;
            }
        }
        for dir in pending {
            self.by_dir.insert(dir, answer);
        }
        Ok(answer)
    }

    pub fn get(&self, index: usize) -> &LoadedConfig {
        &self.loaded[index].0
    }

    pub fn excludes(&self, index: usize) -> &Excludes {
        &self.loaded[index].1
    }
}

/// The project a named file or directory belongs to: the git work tree holding it, else the directory of its
/// nearest config. `None` when it has neither (a file on its own is its own context). A config given with
/// `--config` from elsewhere (`--config ~/ptlint.yaml`) is not an ancestor, so its directory is no project: the
/// run must not read a home directory or `/tmp` as context.
pub fn project_root(path: &Path, is_dir: bool, configs: &Configs, config: Option<usize>) -> Option<PathBuf> {
    let path = absolute(path);
    let git = path.ancestors().skip(usize::from(!is_dir)).find(|dir| dir.join(".git").exists()).map(Path::to_path_buf);
    git.or_else(|| config.map(|i| absolute(&configs.get(i).dir)).filter(|dir| path.starts_with(dir)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_from_elsewhere_makes_no_project_of_its_directory() {
        let dir = tempfile::tempdir().unwrap();
        let root = absolute(dir.path());
        std::fs::create_dir_all(root.join("configs")).unwrap();
        std::fs::create_dir_all(root.join("work/infra")).unwrap();
        std::fs::write(root.join("configs/ptlint.yaml"), "region: us-east-1\n").unwrap();
        std::fs::write(root.join("work/.ptlint.yaml"), "region: us-east-1\n").unwrap();
        let file = root.join("work/infra/plan.json");
        let mut explicit = Configs::new(Some(&root.join("configs/ptlint.yaml"))).unwrap();
        let index = explicit.for_path(&file).unwrap();
        assert!(index.is_some());
        assert_eq!(project_root(&file, false, &explicit, index), None, "the explicit config's directory is elsewhere");
        let mut nearest = Configs::new(None).unwrap();
        let index = nearest.for_path(&file).unwrap();
        assert_eq!(project_root(&file, false, &nearest, index), Some(root.join("work")), "the nearest config above");
    }

    #[test]
    fn parents_by_bytes_are_the_parents_path_gives() {
        let root = absolute(Path::new("/"));
        let deep = absolute(Path::new("/a/bc/d.e/f g"));
        let here = absolute(Path::new("x/y"));
        for path in [root.as_path(), deep.as_path(), here.as_path(), Path::new("/a")] {
            assert_eq!(parent(path), path.parent(), "{path:?}");
            assert_eq!(ancestors(path).collect::<Vec<_>>(), path.ancestors().collect::<Vec<_>>(), "{path:?}");
        }
    }

    #[test]
    fn configs_a_walk_met_answer_without_the_file_system_and_load_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = absolute(dir.path());
        std::fs::create_dir_all(root.join("a/b/c")).unwrap();
        std::fs::write(root.join("a/.ptlint.yaml"), "region: us-east-1\n").unwrap();
        // A config the walk did not meet (an ignore file hid it) is not known without looking.
        std::fs::write(root.join("a/b/.ptlint.yml"), "region: eu-west-1\n").unwrap();
        let files = [root.join("a/b/c/x.json"), root.join("a/y.json"), root.join("z.json")];
        let mut configs = Configs::new(None).unwrap();
        // Seen as a walk names it; a config the disk does not hold is taken as seen.
        let seen = [root.join("a/.ptlint.yaml")];
        assert_eq!(configs.nearest_seen(&files, &seen).unwrap(), [Some(0), Some(0), None]);
        assert_eq!(configs.loaded.len(), 1);
        // Looking finds the hidden one, and the seen one keeps its index.
        assert_eq!(configs.for_absolute_files(&files).unwrap(), [Some(1), Some(0), None]);
        assert_eq!(configs.loaded.len(), 2);
        assert_eq!(configs.get(1).config.region.as_deref(), Some("eu-west-1"));
        // What looking found is known from then on.
        assert_eq!(configs.nearest_seen(&files[..1], &[]).unwrap(), [Some(1)]);
        // Of two names in one directory, the first wins, as on disk.
        std::fs::write(root.join("a/b/c/.ptlint.yaml"), "region: ap-south-1\n").unwrap();
        std::fs::write(root.join("a/b/c/.ptlint.yml"), "region: ap-south-2\n").unwrap();
        let both = [root.join("a/b/c/.ptlint.yml"), root.join("a/b/c/.ptlint.yaml")];
        let mut fresh = Configs::new(None).unwrap();
        let index = fresh.nearest_seen(&files[..1], &both).unwrap()[0].unwrap();
        assert_eq!(fresh.get(index).config.region.as_deref(), Some("ap-south-1"));
    }

    #[test]
    fn nearest_config_wins_and_is_loaded_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b/c")).unwrap();
        std::fs::write(root.join(".ptlint.yaml"), "region: us-east-1\n").unwrap();
        std::fs::write(root.join("a/b/.ptlint.yaml"), "region: eu-west-1\n").unwrap();
        let mut configs = Configs::new(None).unwrap();
        let top = configs.for_path(&root.join("a/x.json")).unwrap().unwrap();
        let nested = configs.for_path(&root.join("a/b/c/y.json")).unwrap().unwrap();
        assert_eq!(configs.get(top).config.region.as_deref(), Some("us-east-1"));
        assert_eq!(configs.get(nested).config.region.as_deref(), Some("eu-west-1"));
        assert_eq!(configs.for_path(&root.join("a/b")).unwrap(), Some(nested));
        assert_eq!(configs.for_path(&root.join("a/b/c/z.json")).unwrap(), Some(nested));
        assert_eq!(configs.loaded.len(), 2);
    }

    #[test]
    fn many_files_at_once_get_what_one_at_a_time_gives() {
        let dir = tempfile::tempdir().unwrap();
        let root = absolute(dir.path());
        std::fs::create_dir_all(root.join("a/b/c")).unwrap();
        std::fs::create_dir_all(root.join("d/e")).unwrap();
        std::fs::write(root.join("a/.ptlint.yml"), "region: us-east-1\n").unwrap();
        std::fs::write(root.join("a/b/.ptlint.yaml"), "region: eu-west-1\n").unwrap();
        let files: Vec<PathBuf> =
            ["a/b/c/y.json", "d/e/n.json", "a/x.json", "a/b/w.json", "a/b/c/z.json", "d/m.json", "a/b/c/y.json"]
                .iter()
                .map(|f| root.join(f))
                .collect();
        let mut together = Configs::new(None).unwrap();
        let scopes = together.for_absolute_files(&files).unwrap();
        let mut apart = Configs::new(None).unwrap();
        let one_by_one: Vec<Option<usize>> = files.iter().map(|f| apart.for_file(f).unwrap()).collect();
        assert_eq!(scopes, one_by_one);
        // The nested config is needed first, so it is loaded first.
        assert_eq!(scopes[..4], [Some(0), None, Some(1), Some(0)]);
        let paths = |c: &Configs| c.loaded.iter().map(|(l, _)| absolute(&l.path)).collect::<Vec<_>>();
        assert_eq!(paths(&together), [root.join("a/b/.ptlint.yaml"), root.join("a/.ptlint.yml")]);
        assert_eq!(paths(&together), paths(&apart));
        // Later look-ups reuse what was loaded.
        assert_eq!(together.for_file(&root.join("a/b/c/new.json")).unwrap(), Some(0));
        assert_eq!(together.loaded.len(), 2);
    }

    #[test]
    fn many_files_at_once_stop_at_the_first_broken_config_they_need() {
        let dir = tempfile::tempdir().unwrap();
        let root = absolute(dir.path());
        std::fs::create_dir_all(root.join("ok")).unwrap();
        std::fs::create_dir_all(root.join("bad")).unwrap();
        std::fs::write(root.join("ok/.ptlint.yaml"), "region: us-east-1\n").unwrap();
        std::fs::write(root.join("bad/.ptlint.yaml"), "exclude: [\"a[\"]\n").unwrap();
        let files = [root.join("ok/a.json"), root.join("bad/b.json")];
        let error = Configs::new(None).unwrap().for_absolute_files(&files).err().unwrap();
        assert!(error.file.ends_with("bad/.ptlint.yaml"), "{}", error.file);
        assert_eq!((error.line, error.column), (1, 1));
    }

    #[test]
    fn explicit_config_applies_everywhere_and_bad_excludes_name_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("c.yaml");
        std::fs::write(&config, "region: us-east-1\nexclude:\n  - \"a[\"\n").unwrap();
        let error = Configs::new(Some(&config)).err().unwrap();
        assert_eq!((error.line, error.column), (2, 1));
        assert!(error.message.contains("a["), "{}", error.message);
        std::fs::write(&config, "region: us-east-1\n").unwrap();
        let mut configs = Configs::new(Some(&config)).unwrap();
        assert_eq!(configs.for_path(Path::new("/anywhere/x.json")).unwrap(), Some(0));
    }
}
