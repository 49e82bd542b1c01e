//! Module directories as terraform loads them: the `.tf` and `.tf.json` files of one directory, their declarations
//! indexed by name with override files merged in, and the local modules they call (loaded once each, however often
//! they are called).

use super::declarations::{index_file, LocalSource, ModuleSource};
use super::parse::SourceFile;
use crate::finding::InputError;
use crate::source::read::Repository;
use crate::source::{decode_vec, MAX_FILE_BYTES};
use hcl_edit::Span as _;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Every module a run's roots load, each directory once.
#[derive(Default)]
pub struct Project {
    pub modules: Vec<ModuleSource>,
    by_dir: HashMap<PathBuf, usize>,
    pub errors: Vec<InputError>,
    /// How many `.tf` files were parsed.
    pub files_read: usize,
    /// How many `.tf.json` files were parsed.
    pub json_files_read: usize,
    /// The directories (canonical) being loaded, outermost first: a call back to one of them is a cycle.
    loading: Vec<PathBuf>,
}

/// Module calls nest a few levels in real code; this bounds a directory that calls itself.
const MAX_MODULE_DEPTH: usize = 32;

impl Project {
    /// Load a module directory and, recursively, the local modules it calls. Returns its index.
    pub fn load(&mut self, dir: &Path, display_dir: &str) -> usize {
        self.load_read(dir, display_dir, DirFiles::read(dir))
    }

    /// [`Project::load`] with the directory's files already read.
    pub fn load_read(&mut self, dir: &Path, display_dir: &str, files: DirFiles) -> usize {
        let repository = Repository::holding(dir);
        self.load_at(dir, display_dir, 0, Given::Files(files), &repository)
    }

    /// Whether a directory was loaded (as a root, or as a module something here calls).
    pub fn holds(&self, dir: &Path) -> bool {
        self.by_dir.contains_key(&canonical(dir))
    }

    /// Load one file's text as a module of its own (standard input, a `.json` file in Terraform's JSON syntax),
    /// with the local modules it calls from `dir`. Returns its index.
    pub fn load_text(&mut self, dir: &Path, display_dir: &str, display: String, text: Arc<str>) -> usize {
        let repository = Repository::holding(dir);
        self.load_at(dir, display_dir, 0, Given::Text(display, text), &repository)
    }

    fn load_at(&mut self, dir: &Path, display_dir: &str, depth: usize, given: Given, repository: &Repository) -> usize {
        let key = canonical(dir);
        if !matches!(given, Given::Text(..)) {
            if let Some(&index) = self.by_dir.get(&key) {
                return index;
            }
        }
        let index = self.modules.len();
        let module = match given {
            Given::Text(display, text) => {
                let mut module = ModuleSource::empty(dir);
                match SourceFile::parse(display.clone(), text) {
                    Ok(file) => {
                        self.count(&file);
                        index_file(&mut module, file, &mut self.errors);
                    }
                    Err(e) => self.errors.push(InputError {
                        file: display,
                        line: e.line,
                        column: e.column,
                        message: e.message,
                    }),
                }
                module
            }
            Given::Files(files) => {
                self.by_dir.insert(key.clone(), index);
                self.parse_dir(dir, display_dir, files)
            }
            Given::Nothing => {
                self.by_dir.insert(key.clone(), index);
                self.parse_dir(dir, display_dir, DirFiles::read(dir))
            }
        };
        self.modules.push(module);
        let calls: Vec<(usize, String)> = self.modules[index]
            .calls
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.source.as_ref().filter(|s| is_local_source(s)).map(|s| (i, s.clone())))
            .collect();
        self.loading.push(key);
        for (call, source) in calls {
            let child_dir = dir.join(&source);
            if !child_dir.is_dir() {
                self.missing_source(index, call, &source, &join_display(display_dir, &source));
                continue;
            }
            if depth >= MAX_MODULE_DEPTH {
                continue;
            }
            let child_key = canonical(&child_dir);
            if self.loading.contains(&child_key) {
                self.report_cycle(index, call, &source);
                continue;
            }
            if !child_key.starts_with(repository.root()) {
                self.modules[index].calls[call].outside = true;
                continue;
            }
            let child_display = join_display(display_dir, &source);
            let child = self.load_at(&child_dir, &child_display, depth + 1, Given::Nothing, repository);
            self.modules[index].calls[call].target = Some(child);
            if self.modules[child].files.is_empty() && config_files(&child_dir).0.is_empty() {
                self.modules[index].calls[call].local = LocalSource::Empty;
            }
        }
        self.loading.pop();
        index
    }

    /// A local module source that is not a directory: `terraform init` fails on it, so it is an input error,
    /// at the `source` value.
    fn missing_source(&mut self, module: usize, call: usize, source: &str, shown: &str) {
        let Some(caller) = self.modules.get(module) else { return };
        let Some(decl) = caller.calls.get(call) else { return };
        let Some(file) = caller.file(decl.decl.file) else { return };
        let range = decl.decl.block.body.get_attribute("source").and_then(|a| a.value.span());
        let span = if range.is_some() { file.span(range.clone()) } else { file.block_span(&decl.decl.block) };
        self.errors.push(InputError {
            file: file.path_of(&range).to_string(),
            line: span.line,
            column: span.column,
            message: format!(
                "module `{}`: local source `{source}` ({shown}) is not a directory; `terraform init` fails on it",
                decl.name
            ),
        });
    }

    /// A module that calls itself, directly or through others, would expand without end; terraform refuses it.
    fn report_cycle(&mut self, module: usize, call: usize, source: &str) {
        let module = &mut self.modules[module];
        let Some(decl) = module.calls.get_mut(call) else { return };
        decl.cycle = true;
        let Some(file) = module.files.get(decl.decl.file) else { return };
        let span = decl
            .decl
            .block
            .body
            .get_attribute("source")
            .map_or_else(|| file.block_span(&decl.decl.block), |a| file.attribute_span(a));
        let message = format!(
            "module `{}` calls `{source}`, which is itself or a module that calls it: terraform refuses a module \
             cycle, so this call is not evaluated",
            decl.name
        );
        self.errors.push(file.error_at(span, message));
    }

    fn parse_dir(&mut self, dir: &Path, display_dir: &str, files: DirFiles) -> ModuleSource {
        let mut module = ModuleSource::empty(dir);
        let DirFiles { primary, overrides } = files;
        for (path, text) in primary {
            if let Some(file) = self.parse_file(&path, text, display_dir, 0) {
                index_file(&mut module, file, &mut self.errors);
            }
        }
        // Override files are parsed at offsets after every primary file's, so a part one merges into a
        // primary block still resolves to the override file's lines.
        let mut base = module.files.iter().map(SourceFile::end_offset).max().unwrap_or(0) + 1;
        for (path, text) in overrides {
            if let Some(file) = self.parse_file(&path, text, display_dir, base) {
                base = file.end_offset() + 1;
                super::overrides::merge_file(&mut module, file, &mut self.errors);
            }
        }
        module
    }

    fn count(&mut self, file: &SourceFile) {
        if file.path.ends_with(".json") {
            self.json_files_read += 1;
        } else {
            self.files_read += 1;
        }
    }

    fn parse_file(
        &mut self,
        path: &Path,
        text: Result<Arc<str>, String>,
        display_dir: &str,
        base: usize,
    ) -> Option<SourceFile> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let display = join_display(display_dir, &name);
        let error = |line, column, message| InputError { file: display.clone(), line, column, message };
        match text {
            Ok(text) => match SourceFile::parse_at(display.clone(), text, base) {
                Ok(file) => {
                    self.count(&file);
                    Some(file)
                }
                Err(e) => {
                    self.errors.push(error(e.line, e.column, e.message));
                    None
                }
            },
            Err(message) => {
                self.errors.push(error(0, 0, message));
                None
            }
        }
    }
}

/// What a load starts from: a directory to read, its files already read, or one file's text as a module.
enum Given {
    Nothing,
    Files(DirFiles),
    Text(String, Arc<str>),
}

/// A directory as its key in a project: canonical, so two spellings of one directory are one module.
pub(super) fn canonical(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// A module directory's configuration files, read (each its text or why it could not be read), in terraform's
/// order: the primary files, then the override files.
pub struct DirFiles {
    primary: Vec<(PathBuf, Result<Arc<str>, String>)>,
    overrides: Vec<(PathBuf, Result<Arc<str>, String>)>,
}

impl DirFiles {
    pub fn read(dir: &Path) -> DirFiles {
        let (primary, overrides) = config_files(dir);
        let read = |paths: Vec<PathBuf>| {
            paths
                .into_iter()
                .map(|path| {
                    let text = read_text(&path);
                    (path, text)
                })
                .collect()
        };
        DirFiles { primary: read(primary), overrides: read(overrides) }
    }

    /// Whether a file here may call a module: every module call has the word `module` in its file (the block
    /// type in HCL, the key in JSON syntax, where an escape such as `\u006d` could also spell it). A directory
    /// without one calls nothing, so it is a module on its own.
    pub fn may_call_module(&self) -> bool {
        self.primary.iter().chain(&self.overrides).any(|(path, text)| {
            text.as_ref().is_ok_and(|text| {
                text.contains("module") || (path.to_string_lossy().ends_with(".json") && text.contains("\\u"))
            })
        })
    }
}

/// Whether a file name is one of terraform's configuration files: `.tf` or `.tf.json`.
pub fn is_config_file(name: &str) -> bool {
    name.ends_with(".tf") || name.ends_with(".tf.json")
}

/// Whether a configuration file is an override file (`override.tf`, `*_override.tf`, and their `.tf.json`).
pub fn is_override_file(name: &str) -> bool {
    let stem = name.strip_suffix(".tf.json").or_else(|| name.strip_suffix(".tf")).unwrap_or(name);
    stem == "override" || stem.ends_with("_override")
}

/// The configuration files of a directory in lexical order (terraform's order): the primary files, and the
/// override files that merge into their blocks.
pub fn config_files(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (e.path(), name)
                })
                .filter(|(_, name)| is_config_file(name))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let (overrides, primary): (Vec<_>, Vec<_>) = files.into_iter().partition(|(_, name)| is_override_file(name));
    (primary.into_iter().map(|(p, _)| p).collect(), overrides.into_iter().map(|(p, _)| p).collect())
}

/// Read a file as text with the run's size limit and decoding.
pub fn read_text(path: &Path) -> Result<Arc<str>, String> {
    let bytes = crate::source::read::read_regular_file(path, MAX_FILE_BYTES).map_err(|e| e.to_string())?;
    decode_vec(bytes).map(Arc::from).map_err(|e| e.to_string())
}

/// `./modules/x` and `../x` are local module sources; registry, git and URL sources are not fetched.
pub fn is_local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// A display path joined with a relative module source, `.` and `..` folded where possible.
pub fn join_display(base: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = if base.is_empty() || base == "." { Vec::new() } else { base.split('/').collect() };
    for part in relative.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_join_module_sources() {
        assert_eq!(join_display("infra", "./modules/pt"), "infra/modules/pt");
        assert_eq!(join_display("infra/envs/dev", "../../modules/pt"), "infra/modules/pt");
        assert_eq!(join_display(".", "./m"), "m");
        assert_eq!(join_display("a", ".."), ".");
        assert_eq!(join_display(".", "../common"), "../common");
    }

    #[test]
    fn local_sources() {
        assert!(is_local_source("./modules/pt"));
        assert!(is_local_source("../pt"));
        assert!(!is_local_source("terraform-aws-modules/bedrock/aws"));
        assert!(!is_local_source("git::https://example.com/m.git"));
    }
}
