//! Discovery: which files a run reads (walkdir over the given paths, skipping vendored and generated trees); no parsing here.

use crate::finding::InputError;
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

/// File endings that can hold a template, plan or `.tf.json`.
const EXTENSIONS: &[&str] = &[".json", ".yaml", ".yml", ".template"];

/// A file to read, and whether the user named it (named files skip the prefilter).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    pub explicit: bool,
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
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_ascii_lowercase();
    EXTENSIONS.iter().any(|ext| name.ends_with(ext))
}

/// Expand the command-line paths into candidate files, sorted, with errors for paths that cannot be walked.
pub fn discover(paths: &[PathBuf]) -> (Vec<Candidate>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        if root.is_file() {
            files.push(Candidate { path: root.clone(), explicit: true });
            continue;
        }
        if !root.exists() {
            errors.push(InputError {
                file: display_path(root),
                line: 0,
                column: 0,
                message: "no such file or directory".into(),
            });
            continue;
        }
        // Symlinks are not followed, so a link loop cannot trap the walk.
        let walker = WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter();
        for entry in walker.filter_entry(|e| e.depth() == 0 || !(e.file_type().is_dir() && skip_dir(e.path()))) {
            match entry {
                Ok(entry) if entry.file_type().is_file() && has_template_extension(entry.path()) => {
                    files.push(Candidate { path: entry.into_path(), explicit: false });
                }
                Ok(_) => {}
                Err(err) => {
                    let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
                    errors.push(InputError {
                        file: display_path(&path),
                        line: 0,
                        column: 0,
                        message: format!("cannot read: {err}"),
                    });
                }
            }
        }
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
    (files, errors)
}

/// A path as reports show it: relative to the working directory when under it, `/`-separated.
pub fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
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

    #[test]
    fn missing_path_is_an_error_and_named_files_are_explicit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.txt");
        std::fs::write(&file, "{}").unwrap();
        let (files, errors) = discover(&[file.clone(), dir.path().join("nope")]);
        assert_eq!(files, vec![Candidate { path: file, explicit: true }]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("no such file"));
    }
}
