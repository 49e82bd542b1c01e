//! A module directory's declarations (variables, locals, outputs, resources, module calls, `aws` providers),
//! indexed by name from its files as terraform indexes them.

use super::parse::{labels, SourceFile};
use crate::finding::InputError;
use hcl_edit::structure::{Attribute, Block};
use hcl_edit::Span as _;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// A block and the file (index into [`ModuleSource::files`]) it was written in.
pub struct Decl {
    pub file: usize,
    pub block: Block,
    /// The header of the last override block merged into this one, in that override file's offsets (which
    /// `SourceFile::span` of `file` resolves): where a merged entity is reported.
    pub overridden_at: Option<std::ops::Range<usize>>,
}

impl Decl {
    fn new(file: usize, block: Block) -> Decl {
        Decl { file, block, overridden_at: None }
    }
}

/// A `resource` or `data` block.
pub struct ResourceDecl {
    pub data: bool,
    pub kind: String,
    pub name: String,
    pub decl: Decl,
}

impl ResourceDecl {
    /// `aws_x.y` or `data.aws_x.y`, without module path or instance key.
    pub fn address(&self) -> String {
        if self.data {
            format!("data.{}.{}", self.kind, self.name)
        } else {
            format!("{}.{}", self.kind, self.name)
        }
    }
}

/// A `module` block and, for a local source that was found, the index of the module it loads.
pub struct CallDecl {
    pub name: String,
    pub decl: Decl,
    pub source: Option<String>,
    pub target: Option<usize>,
    /// Whether the local directory it loads declares anything.
    pub local: LocalSource,
    /// The source is this module or one that calls it: a cycle terraform refuses, reported as an input error.
    pub cycle: bool,
    /// The source lies outside the repository: not read (its text is never parsed nor shown), and said so.
    pub outside: bool,
}

/// One module directory, parsed and indexed.
pub struct ModuleSource {
    pub dir: PathBuf,
    pub files: Vec<SourceFile>,
    pub variables: BTreeMap<String, Decl>,
    /// Each local's defining attribute and its file.
    pub locals: HashMap<String, (usize, Attribute)>,
    pub outputs: HashMap<String, Decl>,
    pub resources: Vec<ResourceDecl>,
    pub(super) resource_index: HashMap<(bool, String, String), usize>,
    pub calls: Vec<CallDecl>,
    /// `provider "aws"` blocks by alias (`""` for the default one).
    pub aws_providers: HashMap<String, Decl>,
}

/// What a module call's local source holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LocalSource {
    /// Not a local source, or one that was loaded with its files.
    Loaded,
    /// The directory exists but holds no `.tf` or `.tf.json` file (an uninitialised git submodule, say).
    Empty,
}

impl ModuleSource {
    pub(super) fn empty(dir: &Path) -> ModuleSource {
        ModuleSource {
            dir: dir.to_path_buf(),
            files: Vec::new(),
            variables: BTreeMap::new(),
            locals: HashMap::new(),
            outputs: HashMap::new(),
            resources: Vec::new(),
            resource_index: HashMap::new(),
            calls: Vec::new(),
            aws_providers: HashMap::new(),
        }
    }

    pub fn resource(&self, data: bool, kind: &str, name: &str) -> Option<&ResourceDecl> {
        self.resource_index.get(&(data, kind.to_string(), name.to_string())).and_then(|&i| self.resources.get(i))
    }

    pub fn call(&self, name: &str) -> Option<&CallDecl> {
        self.calls.iter().find(|c| c.name == name)
    }

    pub fn file(&self, index: usize) -> Option<&SourceFile> {
        self.files.get(index)
    }
}

/// Index one file's top-level blocks into the module; duplicates are input errors, as terraform reports them.
pub(super) fn index_file(module: &mut ModuleSource, mut file: SourceFile, errors: &mut Vec<InputError>) {
    let file_index = module.files.len();
    let body = std::mem::take(&mut file.body);
    let duplicate = |what: String| format!("duplicate {what}; terraform refuses a module that declares it twice");
    for block in body.into_blocks() {
        let kind = block.ident.as_str().to_string();
        let names: Vec<String> = labels(&block).into_iter().map(str::to_string).collect();
        match (kind.as_str(), names.as_slice()) {
            ("variable", [name]) => {
                if module.variables.contains_key(name) {
                    errors.push(file.error_at(file.block_span(&block), duplicate(format!("variable `{name}`"))));
                    continue;
                }
                module.variables.insert(name.clone(), Decl::new(file_index, block));
            }
            ("output", [name]) => {
                module.outputs.insert(name.clone(), Decl::new(file_index, block));
            }
            ("locals", []) => {
                for attribute in block.body.into_attributes() {
                    let name = attribute.key.as_str().to_string();
                    if module.locals.contains_key(&name) {
                        let span = file.span(attribute.key.span());
                        errors.push(file.error_at(span, duplicate(format!("local `{name}`"))));
                        continue;
                    }
                    module.locals.insert(name, (file_index, attribute));
                }
            }
            ("resource" | "data", [resource_type, name]) => {
                let data = kind == "data";
                let key = (data, resource_type.clone(), name.clone());
                if module.resource_index.contains_key(&key) {
                    let what = if data { "data" } else { "resource" };
                    let message = duplicate(format!("{what} `{resource_type}.{name}`"));
                    errors.push(file.error_at(file.block_span(&block), message));
                    continue;
                }
                module.resource_index.insert(key, module.resources.len());
                module.resources.push(ResourceDecl {
                    data,
                    kind: resource_type.clone(),
                    name: name.clone(),
                    decl: Decl::new(file_index, block),
                });
            }
            ("module", [name]) => {
                let source = block.body.get_attribute("source").and_then(|a| a.value.as_str().map(str::to_string));
                module.calls.push(CallDecl {
                    name: name.clone(),
                    decl: Decl::new(file_index, block),
                    source,
                    target: None,
                    local: LocalSource::Loaded,
                    cycle: false,
                    outside: false,
                });
            }
            ("provider", [name]) if name == "aws" => {
                let alias = block.body.get_attribute("alias").and_then(|a| a.value.as_str().map(str::to_string));
                module.aws_providers.entry(alias.unwrap_or_default()).or_insert(Decl::new(file_index, block));
            }
            _ => {}
        }
    }
    module.files.push(file);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What terraform refuses as declared twice is an input error at the second declaration, in its file.
    #[test]
    fn a_second_declaration_is_an_input_error_at_its_header() {
        let mut module = ModuleSource::empty(Path::new("."));
        let mut errors = Vec::new();
        let parse = |name: &str, text: &str| SourceFile::parse(name.to_string(), text.into()).expect("valid HCL");
        index_file(
            &mut module,
            parse("a.tf", "variable \"v\" {}\nlocals {\n  l = 1\n}\nresource \"aws_x\" \"r\" {}\n"),
            &mut errors,
        );
        let second =
            "locals {\n  l = 2\n}\n\nvariable \"v\" {}\n\ndata \"aws_x\" \"r\" {}\n  resource \"aws_x\" \"r\" {}\n";
        index_file(&mut module, parse("b.tf", second), &mut errors);
        let found: Vec<(&str, u32, u32, &str)> =
            errors.iter().map(|e| (e.file.as_str(), e.line, e.column, e.message.as_str())).collect();
        let twice = "; terraform refuses a module that declares it twice";
        assert_eq!(
            found,
            [
                ("b.tf", 2, 3, format!("duplicate local `l`{twice}").as_str()),
                ("b.tf", 5, 1, format!("duplicate variable `v`{twice}").as_str()),
                ("b.tf", 8, 3, format!("duplicate resource `aws_x.r`{twice}").as_str()),
            ]
        );
        // The first declarations stand; a data source of the same type and name is another entity.
        assert_eq!(module.resources.len(), 2);
        assert!(module.resource(true, "aws_x", "r").is_some());
        assert_eq!(module.locals["l"].0, 0);
    }
}
