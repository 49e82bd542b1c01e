//! Module instances: variables, locals, `count`/`for_each` expansion, module calls and outputs, and the references
//! between them, resolved the way `terraform plan` resolves them; what only apply knows stays an unknown reference.

use super::budget;
use super::declarations::{CallDecl, ModuleSource};
use super::eval::{self, Resolver};
use super::instance_key::{unexpanded, with_binding, InstanceKey};
use super::literal::Literal;
use super::module::Project;
use super::providers::{provider_alias, provider_map};
use super::scope::Scope;
use super::types::{convert, parse_type};
use super::value::Value;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;
use hcl_edit::Span as _;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Instances of one resource (or module call) beyond this are not expanded: no real configuration comes near.
const MAX_INSTANCES: usize = 10_000;
/// References that evaluate other references nest a few levels in real code; this bounds cycles.
const MAX_EVAL_DEPTH: usize = 64;

/// What the evaluation of one root module reports besides its entities.
#[derive(Default)]
pub struct Diagnostics {
    /// (file, span, message): terraform would refuse the configuration.
    pub errors: Vec<(String, crate::source::node::Span, String)>,
    /// (file, span, message): something ptlint did not evaluate (a registry module it does not fetch).
    pub notes: Vec<(String, crate::source::node::Span, String)>,
}

/// Shared by every instance of one root module's evaluation.
pub struct Evaluation<'p> {
    pub project: &'p Project,
    /// The root module's directory, which `file()` paths are relative to.
    pub root_dir: std::path::PathBuf,
    /// What the file functions may read: files inside the repository, relative to `root_dir`.
    pub files: super::confine::ModuleFiles,
    pub diagnostics: RefCell<Diagnostics>,
    depth: Cell<usize>,
}

impl<'p> Evaluation<'p> {
    pub fn new(project: &'p Project, root_dir: std::path::PathBuf) -> Evaluation<'p> {
        let files = super::confine::ModuleFiles::new(&root_dir);
        Evaluation { project, root_dir, files, diagnostics: RefCell::default(), depth: Cell::new(0) }
    }

    fn error(&self, module: &ModuleSource, file: usize, range: Option<std::ops::Range<usize>>, message: String) {
        if let Some(f) = module.file(file) {
            // A part an override file merged in is reported in that file.
            let path = f.path_of(&range).to_string();
            let span = f.span(range);
            let mut diagnostics = self.diagnostics.borrow_mut();
            // The same configuration error is met once per instance; report it once.
            if !diagnostics.errors.iter().any(|(p, s, m)| *p == path && *s == span && *m == message) {
                diagnostics.errors.push((path, span, message));
            }
        }
    }

    /// If the evaluation budget ran out and no error says so yet, say so: at the expression that reached the
    /// limit when it lies within `range` (the attribute being evaluated in `file`), else at `range`. Returns
    /// whether it reported.
    pub(super) fn report_budget(
        &self,
        module: &ModuleSource,
        file: usize,
        range: Option<std::ops::Range<usize>>,
    ) -> bool {
        let Some(exceeded) = budget::take_unreported() else { return false };
        let within =
            |at: &std::ops::Range<usize>| range.as_ref().is_some_and(|r| r.start <= at.start && at.end <= r.end);
        let at = exceeded.at.filter(within).or(range);
        self.error(module, file, at, exceeded.limit.message());
        true
    }
}

/// A module call whose number of instances is not known, for what it declares.
pub struct UnknownInstances {
    /// Why, and what to give (`--var`, tfvars).
    pub why: String,
    /// The file of the module call, and the span of its `count` or `for_each`.
    pub file: String,
    pub span: crate::source::node::Span,
    /// The module call's address (`module.a["k"].module.b`).
    pub address: String,
}

/// The instances of a module call.
pub enum CallInstances<'p> {
    Local(Vec<(InstanceKey, Rc<Instance<'p>>)>),
    /// A registry, git or missing module: its outputs are unknown.
    NotRead,
}

/// One instance of a module: its variables' values and lazily evaluated locals and module calls.
pub struct Instance<'p> {
    pub ev: &'p Evaluation<'p>,
    pub module: &'p ModuleSource,
    /// `module.a["k"].` (empty for the root).
    pub prefix: String,
    /// The module's directory relative to the root module, for `path.module`.
    pub path_module: String,
    pub(super) vars: HashMap<String, Value>,
    /// The region of each AWS provider configuration this instance can use, by alias (`""`: the default).
    pub regions: HashMap<String, Option<String>>,
    /// The region of the root module's default AWS provider.
    pub root_region: Option<String>,
    /// Set when this instance stands for a number of module instances that is not known (the call's `count`
    /// or `for_each`, or a caller's): why, and where that `count` or `for_each` is written.
    pub instances_unknown: Option<Rc<UnknownInstances>>,
    locals: RefCell<HashMap<String, Option<Value>>>,
    calls: RefCell<HashMap<String, Rc<CallInstances<'p>>>>,
    pub(super) depth: usize,
}

impl<'p> Instance<'p> {
    /// The root module instance, with its variables' values set from the inputs (tfvars, `--var`, `TF_VAR_`).
    pub fn root(ev: &'p Evaluation<'p>, module: &'p ModuleSource, inputs: &HashMap<String, Value>) -> Instance<'p> {
        let mut instance = Instance::empty(ev, module, String::new(), ".".into(), 0);
        instance.vars = instance.variable_values(inputs, &|_| None);
        instance.regions = instance.own_provider_regions();
        instance.root_region = instance.regions.get("").cloned().flatten();
        instance
    }

    fn empty(ev: &'p Evaluation<'p>, module: &'p ModuleSource, prefix: String, path: String, depth: usize) -> Self {
        Instance {
            ev,
            module,
            prefix,
            path_module: path,
            vars: HashMap::new(),
            regions: HashMap::new(),
            root_region: None,
            instances_unknown: None,
            locals: RefCell::default(),
            calls: RefCell::default(),
            depth,
        }
    }

    /// Each declared variable's value: the input if given, else its default, converted to its type.
    fn variable_values(
        &self,
        inputs: &HashMap<String, Value>,
        input_range: &dyn Fn(&str) -> Option<std::ops::Range<usize>>,
    ) -> HashMap<String, Value> {
        let mut values = HashMap::new();
        for (name, decl) in &self.module.variables {
            let body = &decl.block.body;
            let literal = |e: &Expression| eval::eval(&Literal, e, Scope::default()).unwrap_or(Value::Null);
            let given = inputs.get(name).cloned();
            let default = body.get_attribute("default").map(|a| literal(&a.value));
            // `nullable = false` makes a null input take the default, as terraform does.
            let non_nullable = body.get_attribute("nullable").is_some_and(|n| literal(&n.value) == Value::Bool(false));
            let given = given.filter(|v| !(non_nullable && *v == Value::Null && default.is_some()));
            let value = match (given, default) {
                (Some(v), _) => v,
                (None, Some(d)) => d,
                (None, None) => Value::unknown(format!(
                    "var.{name} has no value here: give it in terraform.tfvars, with --var {name}=VALUE or TF_VAR_{name}"
                )),
            };
            let value = match body.get_attribute("type").map(|t| parse_type(&t.value, &literal)) {
                Some(Ok(ty)) => match convert(value, &ty) {
                    Ok(v) => v,
                    Err(why) => {
                        let range = input_range(name).or(decl.block.ident.span());
                        self.ev.error(self.module, decl.file, range, format!("invalid value for var.{name}: {why}"));
                        Value::unknown(format!("var.{name} is invalid: {why}"))
                    }
                },
                _ => value,
            };
            values.insert(name.clone(), value);
        }
        values
    }

    pub(super) fn local(&self, name: &str) -> Result<Value, String> {
        if !self.locals.borrow().contains_key(name) {
            self.evaluate_dependencies(name);
        }
        self.evaluate_local(name)
    }

    /// Evaluate the locals `name` refers to (and theirs) before it, deepest first, from an explicit stack: a chain
    /// of thousands of locals (`c1 = local.c0 + 1` ...) then never nests evaluation calls one per link.
    fn evaluate_dependencies(&self, name: &str) {
        let mut stack: Vec<(&str, bool)> = vec![(name, false)];
        let mut expanded: HashSet<&str> = HashSet::new();
        while let Some((next, ready)) = stack.pop() {
            if ready {
                if next != name {
                    // Its own dependencies are done; an error is met again, and reported, where it is used.
                    let _ = self.evaluate_local(next);
                }
                continue;
            }
            // Done already (or being evaluated further out, a cycle that evaluation reports).
            if self.locals.borrow().contains_key(next) {
                continue;
            }
            // Met again before it is done: it is its own ancestor, a cycle. Evaluating from `name` meets the cycle
            // in terraform's order and reports it; nothing in it has been evaluated yet.
            if !expanded.insert(next) {
                return;
            }
            stack.push((next, true));
            let Some((_, attribute)) = self.module.locals.get(next) else { continue };
            for dependency in super::deps::locals_named(&attribute.value) {
                if let Some((declared, _)) = self.module.locals.get_key_value(dependency.as_str()) {
                    stack.push((declared.as_str(), false));
                }
            }
        }
    }

    /// A local's value: from the cache, or evaluated now.
    fn evaluate_local(&self, name: &str) -> Result<Value, String> {
        if let Some(state) = self.locals.borrow().get(name) {
            return match state {
                Some(value) => {
                    // Each use copies the value: a large one used often costs as much as building it again.
                    budget::charge_value(value, None)?;
                    Ok(value.clone())
                }
                None => Err(format!("local.{name} refers to itself")),
            };
        }
        let Some((file, attribute)) = self.module.locals.get(name) else {
            return Err(format!("no local value `{name}` is declared"));
        };
        self.locals.borrow_mut().insert(name.to_string(), None);
        let value = match self.eval(&attribute.value, Scope::default()) {
            Ok(value) => value,
            Err(why) if why.starts_with("local.") && why.contains(" refers to ") => {
                // A cycle: name both ends, as terraform does, once.
                let other = why.split_whitespace().next().unwrap_or_default().to_string();
                let message = format!("local.{name} and {other} depend on each other (a cycle)");
                self.ev.error(self.module, *file, attribute.key.span(), message.clone());
                Value::unknown(message)
            }
            Err(why) => {
                self.ev.report_budget(self.module, *file, attribute.value.span());
                Value::unknown(format!("local.{name}: {why}"))
            }
        };
        self.locals.borrow_mut().insert(name.to_string(), Some(value.clone()));
        Ok(value)
    }

    /// Evaluate `count` or `for_each` of a block in this instance.
    pub fn expand(&self, block: &Block, file: usize) -> Vec<InstanceKey> {
        let keys = self.expand_unbudgeted(block, file);
        // Instances multiply (a module of `count = 10000` calling another): each expansion is charged.
        let at = ["count", "for_each"].iter().find_map(|a| block.body.get_attribute(a)).map(|a| a.value.span());
        let at = at.unwrap_or_else(|| block.ident.span());
        if budget::charge_instances(keys.len() as u64, at.clone()).is_err() {
            self.ev.report_budget(self.module, file, at);
            return Vec::new();
        }
        keys
    }

    fn expand_unbudgeted(&self, block: &Block, file: usize) -> Vec<InstanceKey> {
        let report = |attr: &hcl_edit::structure::Attribute, why: String| {
            // Once the budget is spent every evaluation fails for that one reason, reported once.
            if !self.ev.report_budget(self.module, file, attr.value.span()) && !budget::spent() {
                self.ev.error(self.module, file, attr.value.span(), why);
            }
        };
        if let Some(count) = block.body.get_attribute("count") {
            return match self.eval(&count.value, Scope::default()) {
                Ok(Value::Unknown(u)) => vec![unexpanded(true, &u)],
                Ok(value) => match value.to_number().and_then(|n| usize::try_from(n.trunc().mantissa()).ok()) {
                    Some(n) if n <= MAX_INSTANCES && value.to_number().is_some_and(|v| v.fract().is_zero()) => {
                        (0..n).map(InstanceKey::Index).collect()
                    }
                    _ => {
                        report(count, format!("`count` must be a whole number up to {MAX_INSTANCES}, not `{value}`"));
                        vec![InstanceKey::Single]
                    }
                },
                Err(why) => {
                    let why = format!("`count` cannot be evaluated: {why}");
                    report(count, why.clone());
                    // Not one instance: how many is not known.
                    vec![InstanceKey::Unexpanded { count: true, why }]
                }
            };
        }
        if let Some(for_each) = block.body.get_attribute("for_each") {
            return match self.eval(&for_each.value, Scope::default()) {
                Ok(Value::Map(entries)) => {
                    entries.into_iter().take(MAX_INSTANCES).map(|(k, v)| InstanceKey::Key(k, v)).collect()
                }
                Ok(Value::Set(items)) => items
                    .into_iter()
                    .take(MAX_INSTANCES)
                    .filter_map(|v| v.to_template_string().map(|k| InstanceKey::Key(k, v)))
                    .collect(),
                Ok(Value::Unknown(u)) => vec![unexpanded(false, &u)],
                Ok(Value::List(_)) => {
                    report(for_each, "`for_each` needs a map or a set of strings; wrap a list in toset()".into());
                    vec![InstanceKey::Single]
                }
                Ok(Value::Null) => {
                    report(for_each, "`for_each` cannot be null".into());
                    Vec::new()
                }
                Ok(other) => {
                    report(
                        for_each,
                        format!("`for_each` needs a map or a set of strings, not a {}", other.type_name()),
                    );
                    vec![InstanceKey::Single]
                }
                Err(why) => {
                    report(for_each, format!("`for_each` cannot be evaluated: {why}"));
                    vec![InstanceKey::Single]
                }
            };
        }
        vec![InstanceKey::Single]
    }

    /// The instances of a module call, created on first use.
    pub fn call_instances(&self, name: &str) -> Rc<CallInstances<'p>> {
        if let Some(existing) = self.calls.borrow().get(name) {
            return existing.clone();
        }
        // Mark the call as in progress so a call whose inputs read its own outputs ends, as unknown.
        self.calls.borrow_mut().insert(name.to_string(), Rc::new(CallInstances::NotRead));
        let built = Rc::new(match self.module.call(name) {
            Some(call) => self.build_call(call),
            None => CallInstances::NotRead,
        });
        self.calls.borrow_mut().insert(name.to_string(), built.clone());
        built
    }

    fn build_call(&self, call: &CallDecl) -> CallInstances<'p> {
        let Some(target) = call.target.and_then(|t| self.ev.project.modules.get(t)) else {
            return CallInstances::NotRead;
        };
        if self.depth >= 32 {
            return CallInstances::NotRead;
        }
        let mut instances = Vec::new();
        for key in self.expand(&call.decl.block, call.decl.file) {
            let mut inputs = HashMap::new();
            let binding = key.binding();
            for attribute in call.decl.block.body.attributes() {
                let name = attribute.key.as_str();
                if matches!(name, "source" | "version" | "count" | "for_each" | "providers" | "depends_on") {
                    continue;
                }
                let value = with_binding(binding.clone(), Scope::default(), |scope| self.eval(&attribute.value, scope))
                    .unwrap_or_else(|why| {
                        self.ev.report_budget(self.module, call.decl.file, attribute.value.span());
                        Value::unknown(format!("module.{}.{name}: {why}", call.name))
                    });
                inputs.insert(name.to_string(), value);
            }
            let prefix = format!("{}module.{}{}.", self.prefix, call.name, key.suffix());
            let path = super::module::join_display(&self.path_module, call.source.as_deref().unwrap_or("."));
            let mut child = Instance::empty(self.ev, target, prefix, path, self.depth + 1);
            child.vars = child.variable_values(&inputs, &|_| None);
            // A child uses its caller's default AWS provider unless `providers = { aws = aws.x }` passes another;
            // provider blocks of its own (legacy style) win.
            child.regions.insert(String::new(), self.regions.get("").cloned().flatten());
            if let Some(providers) = call.decl.block.body.get_attribute("providers") {
                for (inner, outer) in provider_map(&providers.value) {
                    child.regions.insert(inner, self.regions.get(&outer).cloned().flatten());
                }
            }
            child.regions.extend(child.own_provider_regions());
            child.root_region = self.root_region.clone();
            child.instances_unknown = match (&key, self.module.file(call.decl.file)) {
                (InstanceKey::Unexpanded { why, .. }, Some(file)) => {
                    let body = &call.decl.block.body;
                    let attribute = body.get_attribute("count").or_else(|| body.get_attribute("for_each"));
                    Some(Rc::new(UnknownInstances {
                        why: why.clone(),
                        file: file.path.clone(),
                        span: attribute.map_or_else(|| file.block_span(&call.decl.block), |a| file.attribute_span(a)),
                        address: format!("{}module.{}", self.prefix, call.name),
                    }))
                }
                _ => self.instances_unknown.clone(),
            };
            instances.push((key, Rc::new(child)));
        }
        CallInstances::Local(instances)
    }

    /// The regions of the module's own `provider "aws"` blocks.
    fn own_provider_regions(&self) -> HashMap<String, Option<String>> {
        self.module
            .aws_providers
            .iter()
            .map(|(alias, decl)| {
                let region = decl
                    .block
                    .body
                    .get_attribute("region")
                    .and_then(|a| self.eval(&a.value, Scope::default()).ok().and_then(|v| v.to_template_string()));
                (alias.clone(), region)
            })
            .collect()
    }

    /// The region of the provider a resource block uses (`provider = aws.west`, else the default).
    pub fn region_for(&self, block: &Block) -> Option<String> {
        let alias = block.body.get_attribute("provider").and_then(|p| provider_alias(&p.value)).unwrap_or_default();
        self.regions.get(&alias).cloned().flatten()
    }

    /// The value of an output of this instance.
    pub(super) fn output(&self, name: &str) -> Result<Value, String> {
        let decl = self.module.outputs.get(name).ok_or_else(|| format!("module has no output `{name}`"))?;
        match decl.block.body.get_attribute("value") {
            Some(value) => self.eval(&value.value, Scope::default()).inspect_err(|_| {
                self.ev.report_budget(self.module, decl.file, value.value.span());
            }),
            None => Ok(Value::Null),
        }
    }

    /// Evaluate with a recursion bound: references evaluate other expressions, and cycles must end.
    pub(super) fn guarded<T>(&self, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
        let depth = self.ev.depth.get();
        if depth >= MAX_EVAL_DEPTH {
            return Err("references nest too deeply (a cycle?)".into());
        }
        self.ev.depth.set(depth + 1);
        let result = f();
        self.ev.depth.set(depth);
        result
    }
}
