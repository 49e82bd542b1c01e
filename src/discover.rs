//! Discovery: which files a run reads (walkdir over the given paths, subtrees in parallel, skipping vendored and generated trees); no parsing here.

use crate::finding::InputError;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Directory names never worth descending into.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".terraform",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".idea",
    ".vscode",
    ".tox",
    ".mypy_cache",
];

/// File endings that can hold a template, plan, `.tf.json`, or Terraform HCL.
const EXTENSIONS: &[&str] = &[".json", ".yaml", ".yml", ".template", ".tf", ".tfvars"];

/// A file to read, and whether the user named it (named files skip the prefilter).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    pub explicit: bool,
    /// The path as reports show it (see [`display_path`]), computed once during discovery.
    pub display: String,
}

impl Candidate {
    fn new(path: PathBuf, explicit: bool, cwd: Option<&Path>) -> Candidate {
        let display = display_path_from(&path, cwd);
        Candidate { path, explicit, display }
    }
}

/// Whether a directory entry should be skipped (vendored code, build output, CDK asset bundles).
fn skip_dir(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    if SKIPPED_DIRS.contains(&name) {
        return true;
    }
    // `cdk.out/asset.<hash>` holds bundled Lambda code, not templates.
    name.starts_with("asset.") && path.parent().and_then(|p| p.file_name()).is_some_and(|p| p == "cdk.out")
}

pub fn has_template_extension(path: &Path) -> bool {
    let Some(name) = path.file_name() else { return false };
    let name = name.as_encoded_bytes();
    EXTENSIONS
        .iter()
        .any(|ext| name.len() >= ext.len() && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes()))
}

/// What reading one directory found: template files, subdirectories to descend into, errors.
#[derive(Default)]
struct Listing {
    files: Vec<PathBuf>,
    dirs: Vec<PathBuf>,
    errors: Vec<(PathBuf, String)>,
}

impl Listing {
    fn merge(mut self, other: Listing) -> Listing {
        self.files.extend(other.files);
        self.dirs.extend(other.dirs);
        self.errors.extend(other.errors);
        self
    }
}

/// Read one directory. Symbolic links are never followed (their type is the link's own), so a link loop
/// cannot trap the walk and a link out of the tree is not read.
fn list_dir(dir: &Path) -> Listing {
    let mut listing = Listing::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            listing.errors.push((dir.to_path_buf(), format!("cannot read directory: {err}")));
            return listing;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                listing.errors.push((dir.to_path_buf(), format!("cannot read directory: {err}")));
                continue;
            }
        };
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => {
                if !skip_dir(&path) {
                    listing.dirs.push(path);
                }
            }
            Ok(kind) if kind.is_file() => {
                if has_template_extension(&path) {
                    listing.files.push(path);
                }
            }
            Ok(_) => {}
            Err(err) => listing.errors.push((path, format!("cannot read: {err}"))),
        }
    }
    listing
}

/// Walk one subtree with walkdir, which iterates (no recursion, so no depth of nesting can overflow the
/// stack) and, with `follow_links(false)`, never enters a symbolic link.
fn walk_subtree(dir: &Path) -> Listing {
    let mut listing = Listing::default();
    let entries = WalkDir::new(dir).follow_links(false).into_iter();
    for entry in entries.filter_entry(|e| e.depth() == 0 || !(e.file_type().is_dir() && skip_dir(e.path()))) {
        match entry {
            Ok(entry) if entry.file_type().is_file() && has_template_extension(entry.path()) => {
                listing.files.push(entry.into_path());
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                listing.errors.push((path, format!("cannot read: {err}")));
            }
        }
    }
    listing
}

/// Walk a directory tree: its own entries first, then each subdirectory's subtree in parallel. The result
/// is sorted later, so thread scheduling cannot show.
fn walk(root: &Path) -> Listing {
    let top = list_dir(root);
    let below = top.dirs.par_iter().map(|dir| walk_subtree(dir)).reduce(Listing::default, Listing::merge);
    Listing { files: top.files, dirs: Vec::new(), errors: top.errors }.merge(below)
}

/// Expand the command-line paths into candidate files, sorted, with errors for paths that cannot be walked.
pub fn discover(paths: &[PathBuf]) -> (Vec<Candidate>, Vec<InputError>) {
    let cwd = std::env::current_dir().ok();
    let cwd = cwd.as_deref();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let error =
        |path: &Path, message: String| InputError { file: display_path_from(path, cwd), line: 0, column: 0, message };
    for root in paths {
        if root.is_file() {
            files.push(Candidate::new(root.clone(), true, cwd));
            continue;
        }
        if !root.exists() {
            errors.push(error(root, "no such file or directory".into()));
            continue;
        }
        let found = walk(root);
        files.extend(found.files.into_iter().map(|path| Candidate::new(path, false, cwd)));
        errors.extend(found.errors.iter().map(|(path, message)| error(path, message.clone())));
    }
    files.sort();
    files.dedup_by(|b, a| {
        if a.path == b.path {
            a.explicit |= b.explicit;
            true
        } else {
            false
        }
    });
    errors.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    (files, errors)
}

/// A path as reports show it: relative to the working directory when under it, `/`-separated.
pub fn display_path(path: &Path) -> String {
    display_path_from(path, std::env::current_dir().ok().as_deref())
}

/// [`display_path`] against a working directory looked up once by the caller.
pub fn display_path_from(path: &Path, cwd: Option<&Path>) -> String {
    let relative = cwd.and_then(|cwd| path.strip_prefix(cwd).ok()).unwrap_or(path);
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_templates_and_skips_vendored_trees() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "a.yaml",
            "b.tf.json",
            "c.txt",
            "node_modules/x.json",
            "cdk.out/asset.123/y.json",
            "cdk.out/Stack.template.json",
            "sub/d.yml",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{}").unwrap();
        }
        let (files, errors) = discover(&[root.to_path_buf()]);
        assert!(errors.is_empty());
        let names: Vec<String> =
            files.iter().map(|c| c.path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/")).collect();
        assert_eq!(names, ["a.yaml", "b.tf.json", "cdk.out/Stack.template.json", "sub/d.yml"]);
        assert!(files.iter().all(|c| !c.explicit));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_not_followed_and_deep_trees_do_not_recurse() {
        let dir = tempfile::tempdir().unwrap();
        let mut deep = dir.path().to_path_buf();
        for _ in 0..300 {
            deep.push("d");
        }
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(deep.join("deep.yaml"), "{}").unwrap();
        std::fs::write(dir.path().join("real.json"), "{}").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("d/loop")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("real.json"), dir.path().join("link.json")).unwrap();
        let (files, errors) = discover(&[dir.path().to_path_buf()]);
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<_> = files.iter().map(|c| c.path.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["deep.yaml", "real.json"]);
    }

    #[test]
    fn display_paths_are_relative_to_the_working_directory() {
        let cwd = Path::new("/work/repo");
        assert_eq!(display_path_from(Path::new("/work/repo/infra/a.yaml"), Some(cwd)), "infra/a.yaml");
        assert_eq!(display_path_from(Path::new("./infra/a.yaml"), Some(cwd)), "infra/a.yaml");
        assert_eq!(display_path_from(Path::new("/elsewhere/a.yaml"), Some(cwd)), "/elsewhere/a.yaml");
        assert_eq!(display_path_from(Path::new("b.json"), None), "b.json");
    }

    #[test]
    fn missing_path_is_an_error_and_named_files_are_explicit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.txt");
        std::fs::write(&file, "{}").unwrap();
        let (files, errors) = discover(&[file.clone(), dir.path().join("nope")]);
        assert_eq!(files.len(), 1);
        assert_eq!((&files[0].path, files[0].explicit), (&file, true));
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("no such file"));
    }
}
