//! Discovery: which files a run reads. The `ignore` crate walks the given paths in parallel, honouring
//! `.gitignore`, `.ignore` and git's excludes; vendored trees and `exclude` globs are skipped. No parsing here.

use crate::finding::InputError;
// Every layer shows paths this way; they live at the bottom, and the layers above discovery name them here.
pub use crate::display_path::{display_path, display_path_from};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Directory names never worth descending into, ignore files or not.
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

/// File endings that can hold a template, a plan, `.tf.json`, or Terraform HCL (`.tf`, `.tfvars`).
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
    pub fn new(path: PathBuf, explicit: bool, cwd: Option<&Path>) -> Candidate {
        let display = display_path_from(&path, cwd);
        Candidate { path, explicit, display }
    }
}

/// Exclude globs and the directory they are relative to (a config file's directory, or the working directory
/// for `--exclude`). A pattern without `/` matches a file or directory name anywhere below the base (`*.bak`,
/// `vendor`); a pattern with `/` matches the path from the base (`legacy/**`, `infra/old`, `/top.json`). A
/// matching directory excludes everything in it.
#[derive(Debug, Clone)]
pub struct Excludes {
    base: PathBuf,
    names: GlobSet,
    paths: GlobSet,
}

impl Excludes {
    /// Compile `patterns` relative to `base`; the error names the bad pattern.
    pub fn new(base: &Path, patterns: &[String]) -> Result<Excludes, String> {
        let mut names = GlobSetBuilder::new();
        let mut paths = GlobSetBuilder::new();
        for pattern in patterns {
            // `dir/**` excludes the directory itself too, so the walk never enters it.
            let trimmed = pattern.trim().trim_start_matches("./").trim_end_matches('/');
            let anchored = trimmed.contains('/');
            let trimmed = trimmed.strip_suffix("/**").unwrap_or(trimmed);
            let glob = GlobBuilder::new(trimmed.trim_start_matches('/'))
                .literal_separator(true)
                .build()
                .map_err(|e| format!("bad exclude pattern `{pattern}`: {}", e.kind()))?;
            if anchored {
                paths.add(glob);
            } else {
                names.add(glob);
            }
        }
        let build = |b: GlobSetBuilder| b.build().map_err(|e| format!("bad exclude pattern: {e}"));
        Ok(Excludes { base: absolute(base), names: build(names)?, paths: build(paths)? })
    }

    /// Whether `path` (file or directory) or one of its directories below the base is excluded.
    pub fn matches(&self, path: &Path) -> bool {
        // No patterns (no `--exclude`, no `exclude:`): nothing to resolve the path against.
        if self.names.is_empty() && self.paths.is_empty() {
            return false;
        }
        let path = absolute(path);
        let Ok(relative) = path.strip_prefix(&self.base) else { return false };
        let mut prefix = PathBuf::new();
        for component in relative.components() {
            let Component::Normal(name) = component else { continue };
            prefix.push(name);
            if self.names.is_match(Path::new(name)) || self.paths.is_match(&prefix) {
                return true;
            }
        }
        false
    }
}

/// How to walk: which excludes apply and whether ignore files count.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    pub excludes: Vec<Excludes>,
    /// `--no-ignore`: read `.gitignore`d and `.ignore`d files too.
    pub no_ignore: bool,
}

impl Walk {
    fn excluded(&self, path: &Path) -> bool {
        self.excludes.iter().any(|e| e.matches(path))
    }
}

/// An absolute, lexically normalised form of `path` (no file system access, so no symlink resolution).
pub fn absolute(path: &Path) -> PathBuf {
    normalized(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// [`absolute`] against a working directory the caller already knows: one `getcwd` per run, not per path.
pub fn absolute_from(path: &Path, cwd: &Path) -> PathBuf {
    if path.is_absolute() || path.as_os_str().is_empty() || !cwd.is_absolute() {
        return absolute(path);
    }
    normalized(&cwd.join(path))
}

/// `path` without `.` components, each `..` taking away the component before it.
fn normalized(absolute: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
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

/// Whether a file could hold a template, plan or Terraform code: by its ending, and not ptlint's own config.
pub fn has_template_extension(path: &Path) -> bool {
    let Some(name) = path.file_name() else { return false };
    if is_config_name(name) {
        return false;
    }
    let name = name.as_encoded_bytes();
    EXTENSIONS
        .iter()
        .any(|ext| name.len() >= ext.len() && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes()))
}

/// App files (CDK, CDK for Terraform) and the directory beside them where the app synthesizes its templates.
/// Projects usually `.gitignore` that directory, yet it holds the only CloudFormation or Terraform JSON there
/// is, so it is scanned whatever the ignore files say (`exclude` still applies).
const SYNTH_DIRS: &[(&str, &str)] = &[("cdk.json", "cdk.out"), ("cdktf.json", "cdktf.out")];

/// What walking found: template files, synthesized-template directories to look at, config files, and errors.
#[derive(Default)]
struct Listing {
    files: Vec<PathBuf>,
    synth_dirs: Vec<PathBuf>,
    errors: Vec<(PathBuf, String)>,
    /// The `.ptlint.yaml` (or `.yml`) files the walk met (see [`SeenConfigs`]).
    configs: Vec<PathBuf>,
}

/// The config files a walk met, as the walk names them. A config that an ignore file hides is not among them; the
/// config look-ups find it on disk wherever it can matter (see `Configs` in project.rs).
#[derive(Debug, Default)]
pub struct SeenConfigs(pub Vec<PathBuf>);

/// Whether `name` is the name of ptlint's own config file.
fn is_config_name(name: &std::ffi::OsStr) -> bool {
    crate::config::CONFIG_FILE_NAMES.iter().any(|config| name == *config)
}

/// Walk one directory tree with the `ignore` crate's parallel walker. Symbolic links are never followed,
/// so a link loop cannot trap the walk and a link out of the tree is not read; the walker keeps its own
/// work queue, so no depth of nesting can overflow the stack. The result is sorted later, so thread
/// scheduling cannot show.
fn walk(root: &Path, options: &Walk) -> Listing {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .follow_links(false)
        .standard_filters(!options.no_ignore)
        .hidden(false)
        // A `.gitignore` counts in a tree that is not (yet) a git repository too, as ruff does.
        .require_git(false);
    let filter = Arc::new(options.clone());
    builder.filter_entry(move |entry| {
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        entry.depth() == 0 || !((is_dir && skip_dir(entry.path())) || filter.excluded(entry.path()))
    });
    let listing = Mutex::new(Listing::default());
    builder.build_parallel().run(|| {
        let listing = &listing;
        let root = root.to_path_buf();
        Box::new(move |entry| {
            match entry {
                Ok(entry) => {
                    // A config counts when it is a file, or a link that leads to one (as `Path::is_file` says).
                    let config = is_config_name(entry.file_name())
                        && entry.file_type().is_some_and(|t| t.is_file() || (t.is_symlink() && entry.path().is_file()));
                    if config {
                        listing.lock().unwrap_or_else(|e| e.into_inner()).configs.push(entry.into_path());
                    } else if entry.file_type().is_some_and(|t| t.is_file()) && has_template_extension(entry.path()) {
                        let synth = SYNTH_DIRS.iter().find(|(app, _)| entry.file_name() == *app);
                        let mut listing = listing.lock().unwrap_or_else(|e| e.into_inner());
                        if let (Some((_, out)), Some(dir)) = (synth, entry.path().parent()) {
                            listing.synth_dirs.push(dir.join(out));
                        }
                        listing.files.push(entry.into_path());
                    }
                }
                Err(err) => {
                    let path = error_path(&err).unwrap_or_else(|| root.clone());
                    let message = format!("cannot read: {}", strip_path_prefix(&err.to_string()));
                    listing.lock().unwrap_or_else(|e| e.into_inner()).errors.push((path, message));
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut listing = listing.into_inner().unwrap_or_else(|e| e.into_inner());
    if !options.no_ignore {
        walk_ignored_synth_dirs(&mut listing, options);
    }
    listing
}

/// Walk the synthesized-template directories ([`SYNTH_DIRS`]) the ignore files kept the walk out of. One that
/// was walked already shows up as files under it; the rest are walked now.
fn walk_ignored_synth_dirs(listing: &mut Listing, options: &Walk) {
    if listing.synth_dirs.is_empty() {
        return;
    }
    // Paths order by component, so the files under a directory sort right after it: one binary search per
    // directory says whether any was walked (not a scan of every file for each of them).
    listing.files.par_sort();
    let walked = |dir: &PathBuf| {
        let first = listing.files.partition_point(|f| f < dir);
        listing.files.get(first).is_some_and(|f| f.starts_with(dir))
    };
    let skipped: Vec<PathBuf> = std::mem::take(&mut listing.synth_dirs)
        .into_iter()
        .filter(|dir| !walked(dir) && !options.excluded(dir))
        .filter(|dir| std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()))
        .collect();
    for dir in skipped {
        let found = walk(&dir, options);
        listing.files.extend(found.files);
        listing.errors.extend(found.errors);
        listing.configs.extend(found.configs);
    }
}

/// The path an `ignore` error is about, when it names one.
fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Partial(errors) => errors.iter().find_map(error_path),
        _ => None,
    }
}

/// `ignore` errors repeat the path in their text ("path: message"); the report names the file already.
fn strip_path_prefix(text: &str) -> &str {
    text.rsplit_once(": ").map_or(text, |(_, message)| message)
}

/// Expand the command-line paths into candidate files, sorted, with errors for paths that cannot be walked.
/// Named files are read whatever the ignore files say (the user asked for them), but `exclude` globs apply
/// to them too, so a hook that passes every staged file honours the config.
pub fn discover(paths: &[PathBuf], options: &Walk) -> (Vec<Candidate>, Vec<InputError>) {
    let (files, errors, _) = discover_with_configs(paths, options);
    (files, errors)
}

/// [`discover`], and the config files the walks met.
pub fn discover_with_configs(paths: &[PathBuf], options: &Walk) -> (Vec<Candidate>, Vec<InputError>, SeenConfigs) {
    discover_known(paths, &[], options)
}

/// [`discover_with_configs`], told which paths are regular files where the caller already looked (`known_files[i]`
/// for `paths[i]`; `None` or missing: look), so a hook naming ten thousand files does not look at each twice.
pub fn discover_known(
    paths: &[PathBuf],
    known_files: &[Option<bool>],
    options: &Walk,
) -> (Vec<Candidate>, Vec<InputError>, SeenConfigs) {
    let cwd = std::env::current_dir().ok();
    let cwd = cwd.as_deref();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut configs = SeenConfigs::default();
    let error =
        |path: &Path, message: String| InputError { file: display_path_from(path, cwd), line: 0, column: 0, message };
    for (i, root) in paths.iter().enumerate() {
        if known_files.get(i).copied().flatten().unwrap_or_else(|| root.is_file()) {
            // A hook passes a staged `.ptlint.yaml` too; it is config, not a template to check.
            let is_config = root.file_name().is_some_and(is_config_name);
            if !is_config && !options.excluded(root) {
                files.push(Candidate::new(root.clone(), true, cwd));
            }
            continue;
        }
        if !root.exists() {
            errors.push(error(root, "no such file or directory".into()));
            continue;
        }
        let found = walk(root, options);
        files.par_extend(found.files.into_par_iter().map(|path| Candidate::new(path, false, cwd)));
        errors.extend(found.errors.iter().map(|(path, message)| error(path, message.clone())));
        configs.0.extend(found.configs);
    }
    // The walk's threads found the files in any order; a large tree's paths sort faster on every core.
    files.par_sort();
    files.dedup_by(|b, a| {
        if a.path == b.path {
            a.explicit |= b.explicit;
            true
        } else {
            false
        }
    });
    errors.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    (files, errors, configs)
}

/// A reported path (see [`display_path`]) relative to `base`, `/`-separated; `None` when it is not under `base`.
/// Path-scoped config keys are written relative to their config file's directory.
pub fn relative_to(display: &str, base: &Path) -> Option<String> {
    let path = absolute(Path::new(display));
    let relative = path.strip_prefix(absolute(base)).ok()?;
    Some(relative.to_string_lossy().replace('\\', "/"))
}

#[cfg(test)]
mod tests;
