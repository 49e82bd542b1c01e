//! Terraform HCL (`.tf`, `.tfvars`): module directories evaluated the way `terraform plan` sees them, into the model.
//!
//! A run hands over the directories that hold `.tf` files. Each directory no other one calls as a local module
//! is a root: its variables are set from defaults, `TF_VAR_*`, `terraform.tfvars`, `*.auto.tfvars` and the
//! command line, and it is evaluated with its local modules, instance by instance. Entities land in one
//! [`Document`] per `.tf` file that declares them, addressed as terraform addresses them.

pub mod body;
pub mod budget;
pub mod confine;
mod deps;
pub mod eval;
#[cfg(test)]
mod eval_tests;
pub mod functions;
pub mod instance;
pub mod module;
pub mod parse;
pub mod refs;
pub mod suppress;
pub mod types;
pub mod value;
mod vars;

use crate::finding::InputError;
use crate::model::{Document, Format};
use crate::source::node::Span;
use crate::source::terraform::{self as tf, ALARM_TYPE, BUDGET_TYPE, CUSTOM_MODEL_TYPE, PT_TYPE};
use body::HclAttrs;
use instance::{CallInstances, Evaluation, Instance};
use module::Project;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

pub use vars::Inputs;

/// A directory holding `.tf` files that the run found.
#[derive(Debug, Clone)]
pub struct DirCandidate {
    pub dir: PathBuf,
    /// The directory as reports show it (relative, `/`-separated; `.` for the working directory).
    pub display: String,
}

/// Something ptlint did not evaluate and says so (a module source it does not fetch).
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub file: String,
    pub span: Span,
    /// The module call's address.
    pub resource: String,
    pub message: String,
}

/// What reading the HCL of a run produced.
#[derive(Default)]
pub struct Output {
    /// (display path, text, entities) per `.tf` file that declares a PT, custom model, alarm or budget.
    pub files: Vec<(String, Arc<str>, Document)>,
    pub errors: Vec<InputError>,
    pub notes: Vec<Note>,
    /// How many `.tf` files were parsed.
    pub files_read: usize,
}

/// The stack the HCL reader runs on. Evaluation nests up to [`budget::MAX_DEPTH`] levels, and a level (an
/// expression inside an expression, a reference evaluating another) takes a few frames: far more than the 8 MiB of
/// a main thread or the 2 MiB of a worker, whichever thread calls [`read`].
const STACK_BYTES: usize = 256 * 1024 * 1024;

/// Read the given module directories: find the roots, evaluate each with its local modules.
pub fn read(dirs: &[DirCandidate], inputs: &Inputs) -> Output {
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("hcl-reader".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || read_here(dirs, inputs));
        match reader {
            Ok(reader) => reader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had (a process limit): read on this one; the depth budget still applies.
            Err(_) => read_here(dirs, inputs),
        }
    })
}

/// [`read`] on the calling thread.
fn read_here(dirs: &[DirCandidate], inputs: &Inputs) -> Output {
    let mut project = Project::default();
    let loaded: Vec<usize> = dirs.iter().map(|d| project.load(&d.dir, &d.display)).collect();
    let called: HashSet<usize> = project.modules.iter().flat_map(|m| m.calls.iter().filter_map(|c| c.target)).collect();
    let mut roots: Vec<usize> = loaded.into_iter().filter(|i| !called.contains(i)).collect();
    roots.sort_unstable();
    roots.dedup();
    let mut output = Output { errors: std::mem::take(&mut project.errors), ..Output::default() };
    for root in roots {
        // Each root gets its own evaluation budget.
        budget::run(|| read_root(&project, root, inputs, &mut output));
    }
    output.files_read = project.files_read;
    output
}

/// Evaluate one root module and everything it calls.
fn read_root(project: &Project, root: usize, inputs: &Inputs, output: &mut Output) {
    let Some(module) = project.modules.get(root) else { return };
    let display_dir = module
        .files
        .first()
        .map_or(".".to_string(), |f| f.path.rsplit_once('/').map_or(".".to_string(), |(dir, _)| dir.to_string()));
    let (values, errors) = inputs.values_for(module, &display_dir);
    output.errors.extend(errors);
    let ev = Evaluation::new(project, module.dir.clone());
    let instance = Instance::root(&ev, module, &values);
    let region = instance.root_region.clone();
    let scope = format!("hcl:{display_dir}");
    let mut documents: BTreeMap<String, (Arc<str>, Document)> = BTreeMap::new();
    let mut unread = Vec::new();
    collect(&instance, &mut documents, &mut unread);
    // A root whose evaluation ran out of budget gives no entities: which instances were read before it stopped
    // is arbitrary, and the input error says the module was not evaluated.
    if budget::spent() {
        documents.clear();
    }
    for (path, (text, mut document)) in documents {
        document.region = region.clone();
        document.scope = Some(scope.clone());
        output.files.push((path, text, document));
    }
    output.notes.extend(unread);
    // A limit reached where no attribute was being evaluated (a provider's region): said at the module's first file.
    if let (Some(exceeded), Some(first)) = (budget::take_unreported(), module.files.first()) {
        let span = first.span(None);
        output.errors.push(InputError {
            file: first.path.clone(),
            line: span.line,
            column: span.column,
            message: exceeded.limit.message(),
        });
    }
    let diagnostics = ev.diagnostics.into_inner();
    output.errors.extend(diagnostics.errors.into_iter().map(|(file, span, message)| InputError {
        file,
        line: span.line,
        column: span.column,
        message,
    }));
}

/// The entities of an instance and of the local module instances it calls.
fn collect(instance: &Instance<'_>, documents: &mut BTreeMap<String, (Arc<str>, Document)>, unread: &mut Vec<Note>) {
    let module = instance.module;
    for resource in module.resources.iter().filter(|r| !r.data) {
        let kind = resource.kind.as_str();
        if ![PT_TYPE, CUSTOM_MODEL_TYPE, ALARM_TYPE, BUDGET_TYPE].contains(&kind) {
            continue;
        }
        let Some(file) = module.file(resource.decl.file) else { continue };
        let block = &resource.decl.block;
        let span = file.block_span(block);
        for key in instance.expand(block, resource.decl.file) {
            let address = format!("{}{}{}", instance.prefix, resource.address(), key.suffix());
            let bindings = key.binding().map(|(n, v)| vec![(n.to_string(), v)]).unwrap_or_default();
            let attrs = HclAttrs { instance, file, body: &block.body, bindings };
            let (_, document) = documents
                .entry(file.path.clone())
                .or_insert_with(|| (file.text.clone(), Document::empty(Format::TerraformHcl)));
            match kind {
                PT_TYPE => {
                    let mut pt = tf::throughput(&address, span, &attrs, None);
                    pt.suppressions = suppress::comment_suppressions(file, block);
                    // A provider other than the root's default (an alias, or one a module call passes) says
                    // where this PT lives, as the resource's own region would.
                    let provider_region = instance.region_for(block);
                    if pt.region.is_none() && provider_region.is_some() && provider_region != instance.root_region {
                        let at = block.body.get_attribute("provider").map_or(span, |p| file.attribute_span(p));
                        pt.region = provider_region.map(|r| crate::model::Spanned::new(r, at));
                    }
                    document.throughputs.push(pt);
                }
                CUSTOM_MODEL_TYPE => document.custom_models.push(tf::custom_model(&address, span, &attrs)),
                ALARM_TYPE => document.alarms.push(tf::alarm(&address, span, &attrs)),
                _ => document.budgets.push(tf::budget(&address, span, &attrs)),
            }
        }
    }
    for call in &module.calls {
        match instance.call_instances(&call.name).as_ref() {
            CallInstances::Local(children) => {
                for (_, child) in children {
                    collect(child, documents, unread);
                }
            }
            // Reported as an input error when the modules were loaded.
            CallInstances::NotRead if call.cycle => {}
            CallInstances::NotRead => {
                let Some(file) = module.file(call.decl.file) else { continue };
                let source = call.source.clone().unwrap_or_default();
                let span = call
                    .decl
                    .block
                    .body
                    .get_attribute("source")
                    .map_or_else(|| file.block_span(&call.decl.block), |a| file.attribute_span(a));
                let message = if call.outside {
                    format!(
                        "module `{}`: local source `{source}` is outside the repository, so it is not read \
                         (ptlint reads only files inside the repository it checks)",
                        call.name
                    )
                } else if module::is_local_source(&source) {
                    format!(
                        "module `{}`: local source `{source}` was not found, so its resources are not checked",
                        call.name
                    )
                } else {
                    format!(
                        "module `{}` (source `{source}`) is not read: ptlint evaluates local modules only; \
                         check a plan (`terraform show -json`) to include its resources",
                        call.name
                    )
                };
                let resource = format!("{}module.{}", instance.prefix, call.name);
                let note = Note { file: file.path.clone(), span, resource, message };
                if !unread.contains(&note) {
                    unread.push(note);
                }
            }
        }
    }
}

/// The directories worth evaluating among a run's `.tf` files: those with a file the user named, a file the
/// prefilter lets through (it mentions a PT, custom model, alarm dimension or budget), or a file that calls a
/// local module (whose resources may matter). Files are read here only to be scanned; parsing comes later.
pub fn select_dirs(
    files: &[(PathBuf, bool)],
    display: impl Fn(&std::path::Path) -> String + Sync,
) -> Vec<DirCandidate> {
    use rayon::prelude::*;
    let wanted: Vec<PathBuf> = files
        .par_iter()
        .filter(|(path, explicit)| {
            // A file over the size limit is not read here; its directory is loaded, which reports it, as any
            // other input over the limit is reported.
            let oversized = std::fs::metadata(path).is_ok_and(|m| m.len() > crate::source::MAX_FILE_BYTES);
            *explicit
                || oversized
                || std::fs::read(path).is_ok_and(|bytes| crate::source::could_matter(&bytes) || calls_module(&bytes))
        })
        .map(|(path, _)| path.parent().map(std::path::Path::to_path_buf).unwrap_or_default())
        .collect();
    let mut dirs: Vec<PathBuf> = wanted;
    dirs.sort();
    dirs.dedup();
    dirs.into_iter()
        .map(|dir| {
            let shown = display(&dir);
            let shown = if shown.is_empty() { ".".to_string() } else { shown };
            let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
            DirCandidate { dir, display: shown }
        })
        .collect()
}

/// Whether a file may call a module that matters: a local one (`source = "./..."` or `"../..."`), which is read,
/// or any mention of Bedrock (a registry or git module such as `aws-ia/bedrock/aws` may hold PTs, and the run
/// says that it was not read).
fn calls_module(bytes: &[u8]) -> bool {
    let finder = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    finder(b"\"./") || finder(b"\"../") || bytes.windows(7).any(|w| w.eq_ignore_ascii_case(b"bedrock"))
}

#[cfg(test)]
mod prefilter_tests {
    use super::calls_module;

    #[test]
    fn a_directory_is_read_for_a_local_module_or_any_mention_of_bedrock() {
        assert!(calls_module(b"module \"a\" {\n  source = \"./modules/pt\"\n}"));
        assert!(calls_module(b"module \"a\" {\n  source = \"../common\"\n}"));
        // A registry module that may hold PTs: read, so the run can say it was not followed.
        assert!(calls_module(b"module \"pt\" {\n  source = \"aws-ia/Bedrock/aws\"\n}"));
        assert!(!calls_module(b"module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}"));
        assert!(!calls_module(b"resource \"aws_s3_bucket\" \"b\" {}"));
    }
}
