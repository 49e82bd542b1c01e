//! Terraform HCL (`.tf`, `.tfvars`): module directories evaluated the way `terraform plan` sees them, into the model.
//!
//! A run hands over the directories that hold `.tf` files. Each directory no other one calls as a local module
//! is a root: its variables are set from defaults, `TF_VAR_*`, `terraform.tfvars`, `*.auto.tfvars` and the
//! command line, and it is evaluated with its local modules, instance by instance. Entities land in one
//! [`Document`] per `.tf` file that declares them, addressed as terraform addresses them.

pub mod access;
pub mod body;
pub mod budget;
pub mod confine;
pub mod data_sources;
pub mod declarations;
mod deps;
mod duplicate_keys;
pub mod eval;
#[cfg(test)]
mod eval_tests;
mod files;
mod for_newlines;
pub mod functions;
pub mod instance;
pub mod instance_key;
pub mod json_syntax;
mod lexical;
pub(crate) mod literal;
pub mod module;
mod overrides;
pub mod parse;
mod providers;
mod quote;
pub mod refs;
mod relevance;
pub mod scope;
mod span_map;
pub mod suppress;
mod template;
pub mod types;
pub mod value;
mod vars;

use crate::finding::InputError;
use crate::model::{Document, Format};
use crate::source::node::Span;
use crate::source::terraform::{self as tf, ALARM_TYPE, BUDGET_TYPE, CUSTOM_MODEL_TYPE, PT_TYPE, STATE_MACHINE_TYPE};
use body::HclAttrs;
use hcl_edit::Span as _;
use instance::{CallInstances, Evaluation, Instance};
use module::Project;
pub use relevance::select_dirs;
use relevance::unread_module_matters;
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

/// Something ptlint did not evaluate and says so (a module source it does not fetch, an empty module directory,
/// a `count` or `for_each` whose value is not known).
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub kind: NoteKind,
    pub file: String,
    pub span: Span,
    /// The module call's or resource's address.
    pub resource: String,
    pub message: String,
    /// A warning rather than a note: the module is local, and empty.
    pub warning: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// A module source ptlint does not fetch.
    ModuleNotRead,
    /// A `count` or `for_each` whose value is not known, over provisioned throughput.
    InstancesUnknown,
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
    /// How many `.tf.json` files were parsed.
    pub json_files_read: usize,
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
///
/// A directory that calls no module and that no other one calls is a root module on its own: it is loaded,
/// evaluated and dropped by itself, on as many threads as there are cores, so a tree of many such directories is
/// neither held in memory at once nor read on one thread. The directories that may call modules are loaded into
/// one project, each module once, and their roots evaluated on the same threads.
fn read_here(dirs: &[DirCandidate], inputs: &Inputs) -> Output {
    let read: Vec<module::DirFiles> = on_threads(dirs.iter().collect(), |dir| module::DirFiles::read(&dir.dir));
    let mut project = Project::default();
    let mut alone: Vec<(usize, module::DirFiles)> = Vec::new();
    let mut loaded: Vec<(usize, usize)> = Vec::new();
    for (position, files) in read.into_iter().enumerate() {
        if files.may_call_module() {
            let dir = &dirs[position];
            loaded.push((position, project.load_read(&dir.dir, &dir.display, files)));
        } else {
            alone.push((position, files));
        }
    }
    let called: HashSet<usize> = project.modules.iter().flat_map(|m| m.calls.iter().filter_map(|c| c.target)).collect();
    let mut work: Vec<(usize, Root)> = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    for (position, index) in loaded {
        if !called.contains(&index) && seen.insert(index) {
            work.push((position, Root::Loaded(index)));
        }
    }
    // A directory named twice (two spellings of it) is one module, read at its first place.
    let mut alone_seen: HashSet<PathBuf> = HashSet::new();
    for (position, files) in alone {
        let dir = &dirs[position].dir;
        if !project.holds(dir) && alone_seen.insert(module::canonical(dir)) {
            work.push((position, Root::Alone(files)));
        }
    }
    work.sort_by_key(|(position, _)| *position);
    let outputs = on_threads(work, |(position, root)| {
        let mut output = Output::default();
        match root {
            Root::Loaded(index) => budget::run(|| read_root(&project, index, inputs, &mut output)),
            Root::Alone(files) => {
                let dir = &dirs[position];
                let mut own = Project::default();
                let index = own.load_read(&dir.dir, &dir.display, files);
                output.errors = std::mem::take(&mut own.errors);
                budget::run(|| read_root(&own, index, inputs, &mut output));
                output.files_read = own.files_read;
                output.json_files_read = own.json_files_read;
            }
        }
        output
    });
    let mut output = Output {
        errors: std::mem::take(&mut project.errors),
        files_read: project.files_read,
        json_files_read: project.json_files_read,
        ..Output::default()
    };
    for mut part in outputs {
        output.files.append(&mut part.files);
        output.errors.append(&mut part.errors);
        output.notes.append(&mut part.notes);
        output.files_read += part.files_read;
        output.json_files_read += part.json_files_read;
    }
    output
}

/// A root module to evaluate: one of the project's, or a directory loaded on its own.
enum Root {
    Loaded(usize),
    Alone(module::DirFiles),
}

/// `job` on each item, on as many threads as there are cores, each with the reader's stack; the results in the
/// items' order. Without threads to be had, on this one.
fn on_threads<I: Send, T: Send>(items: Vec<I>, job: impl Fn(I) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(items.len());
    if threads <= 1 {
        return items.into_iter().map(job).collect();
    }
    let queue = std::sync::Mutex::new(items.into_iter().enumerate());
    let work = || {
        let mut done = Vec::new();
        // The lock is held only to take the next item, never while working on it.
        while let Some((i, item)) = queue.lock().ok().and_then(|mut queue| queue.next()) {
            done.push((i, job(item)));
        }
        done
    };
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().stack_size(STACK_BYTES).spawn_scoped(scope, work).ok())
            .collect();
        let mut results = work();
        for helper in helpers {
            results.extend(helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        results
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
}

/// Read one file's text as a root module of its own (standard input, or a `.json` file in Terraform's JSON
/// syntax that is not a `.tf.json`), with variable defaults only: the document of that file, or the first
/// input error.
pub fn read_single(path: &str, text: &str) -> Result<Document, InputError> {
    let display_dir = path.rsplit_once('/').map_or(".", |(dir, _)| dir);
    let dir = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty());
    let mut project = Project::default();
    let root = project.load_text(dir.unwrap_or(std::path::Path::new(".")), display_dir, path.to_string(), text.into());
    let mut output = Output { errors: std::mem::take(&mut project.errors), ..Output::default() };
    read_root(&project, root, &Inputs::default(), &mut output);
    if let Some(error) = output.errors.into_iter().next() {
        return Err(error);
    }
    let found = output.files.into_iter().find(|(file, _, _)| file == path).map(|(_, _, document)| document);
    Ok(found.unwrap_or_else(|| {
        let mut document = Document::empty(Format::TerraformHcl);
        document.scope = Some(format!("hcl:{display_dir}"));
        document
    }))
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
        output.errors.push(first.error_at(first.span(None), exceeded.limit.message()));
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
        if ![PT_TYPE, CUSTOM_MODEL_TYPE, ALARM_TYPE, BUDGET_TYPE, STATE_MACHINE_TYPE].contains(&kind) {
            continue;
        }
        let Some(file) = module.file(resource.decl.file) else { continue };
        let block = &resource.decl.block;
        // A block an override file changed is reported there, where its new values are written.
        let home = resource.decl.overridden_at.clone().or_else(|| block_header(block));
        let path = file.path_of(&home).to_string();
        let span = file.span(home.clone());
        for key in instance.expand(block, resource.decl.file) {
            let address = format!("{}{}{}", instance.prefix, resource.address(), key.suffix());
            let bindings = key.binding().map(|(n, v)| vec![(n.to_string(), v)]).unwrap_or_default();
            let attrs = HclAttrs { instance, file, body: &block.body, bindings, home: home.clone() };
            // An alarm or budget that may not exist (how many there are is not known) watches or covers nothing.
            let absent = match kind {
                ALARM_TYPE => Some("it is not counted as watching any provisioned throughput"),
                BUDGET_TYPE => Some("it is not counted as covering any provisioned throughput"),
                _ => None,
            };
            if let Some(consequence) = absent {
                if instances_unknown(instance, file, block, &key, &address, consequence, unread).is_some() {
                    continue;
                }
            }
            // A state machine's definition: the PTs its tasks create (and the custom models its tuning jobs
            // train), each instance's own, where the definition is known.
            let mut tasks = Document::empty(Format::TerraformHcl);
            if kind == STATE_MACHINE_TYPE {
                let Some(definition) = attrs.definition("definition") else { continue };
                let Some(text) = definition.value.known() else { continue };
                crate::source::cfn::stepfunctions::read_definition_json(&address, text, definition.span, &mut tasks);
                if tasks.throughputs.is_empty() {
                    continue;
                }
                let consequence = "the provisioned throughput its definition creates is priced per instance, and \
                                   no total counts it";
                let unknown = instances_unknown(instance, file, block, &key, &address, consequence, unread);
                let suppressions = match file.json_suppressions(block) {
                    Some(found) => found,
                    None => suppress::comment_suppressions(file, block),
                };
                for pt in &mut tasks.throughputs {
                    pt.instances_unknown = unknown.clone();
                    pt.suppressions = suppressions.clone();
                }
            }
            let (_, document) = documents.entry(path.clone()).or_insert_with(|| {
                let text = file.overlay_of(&home).map_or_else(|| file.text.clone(), |o| o.text.clone());
                (text, Document::empty(Format::TerraformHcl))
            });
            match kind {
                PT_TYPE => {
                    let mut pt = tf::throughput(&address, span, &attrs, None);
                    pt.suppressions = match file.json_suppressions(block) {
                        Some(found) => found,
                        None => suppress::comment_suppressions(file, block),
                    };
                    if path != file.path {
                        // Comments on the base block still apply; they are shown at the override.
                        pt.suppressions.iter_mut().for_each(|s| s.span = span);
                    }
                    let consequence =
                        "the provisioned throughput it declares is priced per instance, and no total counts it";
                    pt.instances_unknown =
                        instances_unknown(instance, file, block, &key, &address, consequence, unread);
                    // A provider other than the root's default (an alias, or one a module call passes) says
                    // where this PT lives, as the resource's own region would.
                    let provider_region = instance.region_for(block);
                    if pt.region.is_none() && provider_region.is_some() && provider_region != instance.root_region {
                        let at = block.body.get_attribute("provider").map_or(span, |p| attrs.span_of(p.value.span()));
                        pt.region = provider_region.map(|r| crate::model::Spanned::new(r, at));
                    }
                    document.throughputs.push(pt);
                }
                CUSTOM_MODEL_TYPE => document.custom_models.push(tf::custom_model(&address, span, &attrs)),
                STATE_MACHINE_TYPE => {
                    document.throughputs.append(&mut tasks.throughputs);
                    document.custom_models.append(&mut tasks.custom_models);
                }
                ALARM_TYPE => document.alarms.push(tf::alarm(&address, span, &attrs)),
                _ => document.budgets.push(tf::budget(&address, span, &attrs)),
            }
        }
    }
    for call in &module.calls {
        let instances = instance.call_instances(&call.name);
        let source = call.source.clone().unwrap_or_default();
        let note = |message: String, warning: bool| {
            let file = module.file(call.decl.file)?;
            let range = call.decl.block.body.get_attribute("source").and_then(|a| a.value.span());
            let range = range.or_else(|| block_header(&call.decl.block));
            let resource = format!("{}module.{}", instance.prefix, call.name);
            Some(Note {
                kind: NoteKind::ModuleNotRead,
                file: file.path_of(&range).to_string(),
                span: file.span(range),
                resource,
                message,
                warning,
            })
        };
        let found = match instances.as_ref() {
            CallInstances::Local(children) => {
                for (_, child) in children {
                    collect(child, documents, unread);
                }
                (call.local == declarations::LocalSource::Empty).then(|| {
                    let dir = module.files.first().map_or(".", |f| f.path.rsplit_once('/').map_or(".", |(d, _)| d));
                    let shown = module::join_display(dir, &source);
                    let message = format!(
                        "module `{}`: directory `{shown}` holds no `.tf` or `.tf.json` file (an uninitialised git \
                         submodule?), so the module declares nothing and nothing in it is checked",
                        call.name
                    );
                    note(message, true)
                })
            }
            // A cycle is reported as an input error when the modules were loaded.
            CallInstances::NotRead if call.cycle => None,
            CallInstances::NotRead if call.outside => {
                let message = format!(
                    "module `{}`: local source `{source}` is outside the repository, so it is not read \
                     (ptlint reads only files inside the repository it checks)",
                    call.name
                );
                Some(note(message, false))
            }
            // A missing local directory is an input error, reported when the module was loaded.
            CallInstances::NotRead if module::is_local_source(&source) => None,
            CallInstances::NotRead if unread_module_matters(instance, call, &source) => {
                let message = format!(
                    "module `{}` (source `{source}`) is not read: ptlint evaluates local modules only; \
                     check a plan (`terraform show -json`) to include its resources",
                    call.name
                );
                Some(note(message, false))
            }
            CallInstances::NotRead => None,
        };
        if let Some(Some(note)) = found {
            if !unread.contains(&note) {
                unread.push(note);
            }
        }
    }
}

/// Why the number of instances a block stands for is not known (its own `count`/`for_each`, or a module
/// call's above it), with a note at that `count` or `for_each` saying so and what follows (`consequence`);
/// `None` when it is known.
#[allow(clippy::too_many_arguments)]
fn instances_unknown(
    instance: &Instance<'_>,
    file: &parse::SourceFile,
    block: &hcl_edit::structure::Block,
    key: &instance_key::InstanceKey,
    address: &str,
    consequence: &str,
    notes: &mut Vec<Note>,
) -> Option<String> {
    let (why, file, span, resource) = match (key, &instance.instances_unknown) {
        (instance_key::InstanceKey::Unexpanded { why, .. }, _) => {
            let attribute = block.body.get_attribute("count").or_else(|| block.body.get_attribute("for_each"));
            let span = attribute.map_or_else(|| file.block_span(block), |a| file.attribute_span(a));
            (why.clone(), file.path.clone(), span, address.to_string())
        }
        (_, Some(call)) => (call.why.clone(), call.file.clone(), call.span, call.address.clone()),
        _ => return None,
    };
    // One note per `count`/`for_each`, saying what follows for each kind of block under it.
    let same = |n: &&mut Note| n.kind == NoteKind::InstancesUnknown && n.file == file && n.span == span;
    match notes.iter_mut().find(|n| same(n)) {
        Some(note) if !note.message.contains(consequence) => note.message.push_str(&format!("; {consequence}")),
        Some(_) => {}
        None => {
            let message = format!("how many instances of `{resource}` there are is not known ({why}): {consequence}");
            notes.push(Note { kind: NoteKind::InstancesUnknown, file, span, resource, message, warning: true });
        }
    }
    Some(format!("how many instances of `{address}` there are is not known: {why}"))
}

/// The header range of a block (type name through last label), where block-level findings point.
fn block_header(block: &hcl_edit::structure::Block) -> Option<std::ops::Range<usize>> {
    parse::header_range(block)
}
