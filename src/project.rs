//! Projects: which `.ptlint.yaml` applies to each path (the nearest one at or above it, as ruff does) and
//! which tree a named file belongs to, so that its budgets, alarms and custom models are seen.

use crate::config::{self, LoadedConfig, CONFIG_FILE_NAMES};
use crate::discover::{absolute, display_path, Excludes};
use crate::engine::FatalError;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The configs of a run, loaded once each, and the nearest one per directory.
pub struct Configs {
    /// `--config FILE`: applies to every path.
    explicit: Option<usize>,
    loaded: Vec<(LoadedConfig, Excludes)>,
    /// Absolute directory -> index of its nearest config, or `None` when it has none.
    by_dir: HashMap<PathBuf, Option<usize>>,
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
        self.for_dir(dir)
    }

    /// [`Configs::for_path`] for a path known to be a file (no file system check of its kind).
    pub fn for_file(&mut self, file: &Path) -> Result<Option<usize>, FatalError> {
        if self.explicit.is_some() {
            return Ok(self.explicit);
        }
        let file = absolute(file);
        let dir = file.parent().map_or_else(|| file.clone(), Path::to_path_buf);
        self.for_dir(dir)
    }

    /// The nearest config of an absolute directory, cached for it and every directory passed on the way up.
    fn for_dir(&mut self, dir: PathBuf) -> Result<Option<usize>, FatalError> {
        // Walk up until a directory already answered or one holding a config, then fill the cache downwards.
        let mut pending = Vec::new();
        let mut answer = None;
        for ancestor in dir.ancestors() {
            if let Some(known) = self.by_dir.get(ancestor) {
                answer = *known;
                break;
            }
            pending.push(ancestor.to_path_buf());
            if let Some(file) = CONFIG_FILE_NAMES.iter().map(|n| ancestor.join(n)).find(|f| f.is_file()) {
                self.loaded.push(load_one(&file)?);
                answer = Some(self.loaded.len() - 1);
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

/// The project a named file belongs to: the git work tree holding it, else the directory of its nearest
/// config. `None` when it has neither (a file on its own is its own context).
pub fn project_root(file: &Path, configs: &Configs, config: Option<usize>) -> Option<PathBuf> {
    let file = absolute(file);
    let git = file.ancestors().skip(1).find(|dir| dir.join(".git").exists()).map(Path::to_path_buf);
    git.or_else(|| config.map(|i| absolute(&configs.get(i).dir)))
}

#[cfg(test)]
mod tests {
    use super::*;

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
