//! Module instances: variables, locals, `count`/`for_each` expansion, module calls and outputs, and the references
//! between them, resolved the way `terraform plan` resolves them; what only apply knows stays an unknown reference.

use super::eval::{self, Frame, Resolver, Scope};
use super::module::{CallDecl, ModuleSource, Project, ResourceDecl};
use super::types::{convert, parse_type};
use super::value::{Unknown, Value};
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::Block;
use hcl_edit::{Decorated, Span as _};
use rust_decimal::Decimal;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
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
    pub diagnostics: RefCell<Diagnostics>,
    depth: Cell<usize>,
}

impl<'p> Evaluation<'p> {
    pub fn new(project: &'p Project) -> Evaluation<'p> {
        Evaluation { project, diagnostics: RefCell::default(), depth: Cell::new(0) }
    }

    fn error(&self, module: &ModuleSource, file: usize, range: Option<std::ops::Range<usize>>, message: String) {
        if let Some(f) = module.file(file) {
            let span = f.span(range);
            let mut diagnostics = self.diagnostics.borrow_mut();
            // The same configuration error is met once per instance; report it once.
            if !diagnostics.errors.iter().any(|(p, s, m)| p == &f.path && *s == span && *m == message) {
                diagnostics.errors.push((f.path.clone(), span, message));
            }
        }
    }
}

/// The key of one instance of a resource or module call.
#[derive(Debug, Clone, PartialEq)]
pub enum InstanceKey {
    /// No `count` or `for_each`.
    Single,
    Index(usize),
    Key(String, Value),
    /// `count` or `for_each` is not known before apply: one instance stands for all, its `count.index`,
    /// `each.key` and `each.value` unknown.
    Unexpanded {
        count: bool,
        why: String,
    },
}

impl InstanceKey {
    /// `[0]`, `["k"]`, or nothing, spelled as terraform spells instance addresses.
    pub fn suffix(&self) -> String {
        match self {
            InstanceKey::Single | InstanceKey::Unexpanded { .. } => String::new(),
            InstanceKey::Index(i) => format!("[{i}]"),
            InstanceKey::Key(k, _) => format!("[{}]", serde_json::Value::String(k.clone())),
        }
    }

    /// The `count` or `each` binding inside the instance.
    pub fn binding(&self) -> Option<(&'static str, Value)> {
        match self {
            InstanceKey::Single => None,
            InstanceKey::Index(i) => {
                Some(("count", Value::Map([("index".to_string(), Value::Number(Decimal::from(*i)))].into())))
            }
            InstanceKey::Key(k, v) => Some((
                "each",
                Value::Map([("key".to_string(), Value::String(k.clone())), ("value".to_string(), v.clone())].into()),
            )),
            InstanceKey::Unexpanded { count: true, why } => {
                Some(("count", Value::Map([("index".to_string(), Value::unknown(why.clone()))].into())))
            }
            InstanceKey::Unexpanded { count: false, why } => Some((
                "each",
                Value::Map(
                    [
                        ("key".to_string(), Value::unknown(why.clone())),
                        ("value".to_string(), Value::unknown(why.clone())),
                    ]
                    .into(),
                ),
            )),
        }
    }
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
    vars: HashMap<String, Value>,
    locals: RefCell<HashMap<String, Option<Value>>>,
    calls: RefCell<HashMap<String, Rc<CallInstances<'p>>>>,
    depth: usize,
}

impl<'p> Instance<'p> {
    /// The root module instance, with its variables' values set from the inputs (tfvars, `--var`, `TF_VAR_`).
    pub fn root(ev: &'p Evaluation<'p>, module: &'p ModuleSource, inputs: &HashMap<String, Value>) -> Instance<'p> {
        let mut instance = Instance::empty(ev, module, String::new(), ".".into(), 0);
        instance.vars = instance.variable_values(inputs, &|_| None);
        instance
    }

    fn empty(ev: &'p Evaluation<'p>, module: &'p ModuleSource, prefix: String, path: String, depth: usize) -> Self {
        Instance {
            ev,
            module,
            prefix,
            path_module: path,
            vars: HashMap::new(),
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
            // `nullable = false`: a null input means "not given", so the default applies (terraform 1.1+).
            let nullable = body.get_attribute("nullable").map(|a| literal(&a.value)) != Some(Value::Bool(false));
            let given = inputs.get(name).cloned().filter(|v| nullable || !matches!(v, Value::Null));
            let default = body.get_attribute("default").map(|a| literal(&a.value));
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

    fn local(&self, name: &str) -> Result<Value, String> {
        if let Some(state) = self.locals.borrow().get(name) {
            return match state {
                Some(value) => Ok(value.clone()),
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
            Err(why) => Value::unknown(format!("local.{name}: {why}")),
        };
        self.locals.borrow_mut().insert(name.to_string(), Some(value.clone()));
        Ok(value)
    }

    /// Evaluate `count` or `for_each` of a block in this instance.
    pub fn expand(&self, block: &Block, file: usize) -> Vec<InstanceKey> {
        let report = |attr: &hcl_edit::structure::Attribute, why: String| {
            self.ev.error(self.module, file, attr.value.span(), why);
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
                    report(count, format!("`count` cannot be evaluated: {why}"));
                    vec![InstanceKey::Single]
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
                    .unwrap_or_else(|why| Value::unknown(format!("module.{}.{name}: {why}", call.name)));
                inputs.insert(name.to_string(), value);
            }
            let prefix = format!("{}module.{}{}.", self.prefix, call.name, key.suffix());
            let path = super::module::join_display(&self.path_module, call.source.as_deref().unwrap_or("."));
            let mut child = Instance::empty(self.ev, target, prefix, path, self.depth + 1);
            // An invalid input is reported where the caller passes it, in the caller's file.
            child.vars = child.variable_values(&inputs, &|_| None);
            instances.push((key, Rc::new(child)));
        }
        CallInstances::Local(instances)
    }

    /// The value of an output of this instance.
    fn output(&self, name: &str) -> Result<Value, String> {
        let decl = self.module.outputs.get(name).ok_or_else(|| format!("module has no output `{name}`"))?;
        match decl.block.body.get_attribute("value") {
            Some(value) => self.eval(&value.value, Scope::default()),
            None => Ok(Value::Null),
        }
    }

    /// Evaluate with a recursion bound: references evaluate other expressions, and cycles must end.
    fn guarded<T>(&self, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
        let depth = self.ev.depth.get();
        if depth >= MAX_EVAL_DEPTH {
            return Err("references nest too deeply (a cycle?)".into());
        }
        self.ev.depth.set(depth + 1);
        let result = f();
        self.ev.depth.set(depth);
        result
    }

    /// `aws_x.y` (after the type name): the resource, its instance, and the attribute read from it.
    fn resource_ref(
        &self,
        resource: &ResourceDecl,
        operators: &[Decorated<TraversalOperator>],
        scope: Scope<'_>,
        used: usize,
    ) -> Result<(Value, usize), String> {
        let address = format!("{}{}", self.prefix, resource.address());
        let expanded =
            resource.decl.block.body.has_attribute("count") || resource.decl.block.body.has_attribute("for_each");
        let mut used = used;
        let key = if expanded {
            match operators.get(used).map(Decorated::value) {
                Some(TraversalOperator::Index(index)) => {
                    used += 1;
                    match self.eval(index, scope)? {
                        Value::Unknown(u) => return Ok((Value::Unknown(u), used)),
                        Value::String(k) => Some(InstanceKey::Key(k, Value::Null)),
                        other => match other.to_number().and_then(|n| usize::try_from(n.trunc().mantissa()).ok()) {
                            Some(i) => Some(InstanceKey::Index(i)),
                            None => return Err(format!("invalid instance key `{other}` for {address}")),
                        },
                    }
                }
                Some(TraversalOperator::LegacyIndex(index)) => {
                    used += 1;
                    Some(InstanceKey::Index(usize::try_from(*index.value()).unwrap_or(usize::MAX)))
                }
                // The whole collection of instances (a splat, or `for_each = aws_x.y`): not known before apply.
                _ => None,
            }
        } else {
            Some(InstanceKey::Single)
        };
        let Some(key) = key else {
            // The whole collection (`for_each = aws_x.y`, `aws_x.y[*].arn`): its instance keys are known
            // at plan time, each instance's computed attributes are not.
            let keys = self.guarded(|| Ok(self.expand(&resource.decl.block, resource.decl.file)))?;
            let object = |key: &InstanceKey| {
                Value::Unknown(Unknown::Ref { address: format!("{address}{}", key.suffix()), attribute: None })
            };
            let collection = if resource.decl.block.body.has_attribute("for_each") {
                Value::Map(
                    keys.iter()
                        .filter_map(|k| match k {
                            InstanceKey::Key(name, _) => Some((name.clone(), object(k))),
                            _ => None,
                        })
                        .collect(),
                )
            } else {
                Value::List(keys.iter().filter(|k| matches!(k, InstanceKey::Index(_))).map(object).collect())
            };
            if keys.iter().any(|k| matches!(k, InstanceKey::Unexpanded { .. } | InstanceKey::Single)) {
                return Ok((Value::Unknown(Unknown::Ref { address, attribute: None }), used));
            }
            return Ok((collection, used));
        };
        let instance_address = format!("{address}{}", key.suffix());
        let Some(TraversalOperator::GetAttr(attribute)) = operators.get(used).map(Decorated::value) else {
            return Ok((Value::Unknown(Unknown::Ref { address: instance_address, attribute: None }), used));
        };
        used += 1;
        let attribute = attribute.as_str();
        let body = &resource.decl.block.body;
        // An argument written in the configuration is known at plan time; computed attributes are not.
        let configured = body.get_attribute(attribute).or_else(|| {
            // The foundation-model data source's ARN names the model its `model_id` gives.
            (resource.data && resource.kind == "aws_bedrock_foundation_model" && attribute == "model_arn")
                .then(|| body.get_attribute("model_id"))
                .flatten()
        });
        if let Some(configured) = configured {
            let binding = match &key {
                InstanceKey::Key(k, _) => self.for_each_value(resource, k).map(|v| InstanceKey::Key(k.clone(), v)),
                other => Some(other.clone()),
            };
            if let Some(binding) = binding {
                let value = self.guarded(|| {
                    with_binding(binding.binding(), Scope::default(), |s| self.eval(&configured.value, s))
                })?;
                return Ok((value, used));
            }
        }
        Ok((Value::Unknown(Unknown::Ref { address: instance_address, attribute: Some(attribute.to_string()) }), used))
    }

    /// `each.value` of a resource instance, by key.
    fn for_each_value(&self, resource: &ResourceDecl, key: &str) -> Option<Value> {
        let for_each = resource.decl.block.body.get_attribute("for_each")?;
        match self.guarded(|| self.eval(&for_each.value, Scope::default())).ok()? {
            Value::Map(mut entries) => entries.remove(key),
            Value::Set(_) => Some(Value::String(key.to_string())),
            _ => None,
        }
    }

    /// `module.m...`: an output of a module call's instance.
    fn module_ref(
        &self,
        operators: &[Decorated<TraversalOperator>],
        scope: Scope<'_>,
    ) -> Result<(Value, usize), String> {
        let Some(TraversalOperator::GetAttr(name)) = operators.first().map(Decorated::value) else {
            return Err("`module` must be followed by a module name".into());
        };
        let name = name.as_str();
        let call = self.module.call(name).ok_or_else(|| format!("no module call `{name}`"))?;
        let expanded = call.decl.block.body.has_attribute("count") || call.decl.block.body.has_attribute("for_each");
        let address = format!("{}module.{name}", self.prefix);
        let mut used = 1;
        let key = if expanded {
            match operators.get(used).map(Decorated::value) {
                Some(TraversalOperator::Index(index)) => {
                    used += 1;
                    Some(self.eval(index, scope)?)
                }
                _ => None,
            }
        } else {
            None
        };
        if let Some(Value::Unknown(u)) = key {
            return Ok((Value::Unknown(u), used));
        }
        let instances = self.call_instances(name);
        let CallInstances::Local(instances) = instances.as_ref() else {
            let address = format!("{address}{}", key.map(|k| index_suffix(&k)).unwrap_or_default());
            return Ok((Value::Unknown(Unknown::Ref { address, attribute: None }), used));
        };
        let pick = |instance: &Instance<'p>, used: usize| -> Result<(Value, usize), String> {
            match operators.get(used).map(Decorated::value) {
                Some(TraversalOperator::GetAttr(output)) => {
                    Ok((self.guarded(|| instance.output(output.as_str()))?, used + 1))
                }
                _ => {
                    let mut outputs = std::collections::BTreeMap::new();
                    for output in instance.module.outputs.keys() {
                        outputs.insert(output.clone(), self.guarded(|| instance.output(output))?);
                    }
                    Ok((Value::Map(outputs), used))
                }
            }
        };
        match key {
            None if !expanded => match instances.first() {
                Some((_, instance)) => pick(instance, used),
                None => Err(format!("module.{name} has no instance")),
            },
            Some(key) => {
                let wanted = match &key {
                    Value::String(k) => InstanceKey::Key(k.clone(), Value::Null),
                    other => InstanceKey::Index(
                        other
                            .to_number()
                            .and_then(|n| usize::try_from(n.trunc().mantissa()).ok())
                            .unwrap_or(usize::MAX),
                    ),
                };
                let found = instances.iter().find(|(k, _)| match (k, &wanted) {
                    (InstanceKey::Key(a, _), InstanceKey::Key(b, _)) => a == b,
                    (a, b) => a == b,
                });
                match found {
                    Some((_, instance)) => pick(instance, used),
                    None => Err(format!("module.{name}{} does not exist", index_suffix(&key))),
                }
            }
            // All instances of an expanded call: a list (count) or a map (for_each) of output objects.
            None => {
                let mut list = Vec::new();
                let mut map = std::collections::BTreeMap::new();
                for (key, instance) in instances {
                    let (value, _) = pick(instance, used)?;
                    match key {
                        InstanceKey::Key(k, _) => {
                            map.insert(k.clone(), value);
                        }
                        _ => list.push(value),
                    }
                }
                Ok((if map.is_empty() { Value::List(list) } else { Value::Map(map) }, used))
            }
        }
    }
}

/// The one instance that stands for a `count` or `for_each` known only after apply.
fn unexpanded(count: bool, unknown: &Unknown) -> InstanceKey {
    let what = if count { "count" } else { "for_each" };
    let why = match unknown {
        Unknown::Ref { address, attribute } => {
            let attribute = attribute.as_deref().map(|a| format!(".{a}")).unwrap_or_default();
            format!("{what} depends on {address}{attribute}, known only after apply")
        }
        Unknown::Reason(why) => format!("{what} is not known: {why}"),
    };
    InstanceKey::Unexpanded { count, why }
}

fn index_suffix(key: &Value) -> String {
    match key {
        Value::String(k) => format!("[{}]", serde_json::Value::String(k.clone())),
        other => format!("[{other}]"),
    }
}

/// Run `f` in a scope where `count` or `each` is bound, if the instance has one.
pub fn with_binding<T>(binding: Option<(&str, Value)>, parent: Scope<'_>, f: impl FnOnce(Scope<'_>) -> T) -> T {
    match binding {
        Some((name, value)) => {
            let frame = Frame::new(name, value, parent);
            f(frame.scope())
        }
        None => f(parent),
    }
}

/// Run `f` in a scope with several names bound (a `dynamic` block's iterator inside an instance).
pub fn with_bindings<T>(bindings: &[(String, Value)], parent: Scope<'_>, f: impl FnOnce(Scope<'_>) -> T) -> T {
    match bindings.split_first() {
        Some(((name, value), rest)) => {
            let frame = Frame::new(name.clone(), value.clone(), parent);
            with_bindings(rest, frame.scope(), f)
        }
        None => f(parent),
    }
}

impl Resolver for Instance<'_> {
    fn resolve(
        &self,
        root: &str,
        operators: &[Decorated<TraversalOperator>],
        scope: Scope<'_>,
    ) -> Result<(Value, usize), String> {
        let first = || match operators.first().map(Decorated::value) {
            Some(TraversalOperator::GetAttr(name)) => Ok(name.as_str()),
            _ => Err(format!("`{root}` must be followed by `.name`")),
        };
        match root {
            "var" => {
                let name = first()?;
                let value = self.vars.get(name).cloned().ok_or_else(|| format!("no variable `{name}` is declared"))?;
                Ok((value, 1))
            }
            "local" => Ok((self.local(first()?)?, 1)),
            "module" => self.module_ref(operators, scope),
            "path" => {
                let value = match first()? {
                    "module" => self.path_module.clone(),
                    "root" | "cwd" => ".".to_string(),
                    other => return Err(format!("unknown `path.{other}`")),
                };
                Ok((Value::String(value), 1))
            }
            "terraform" => match first()? {
                "workspace" => Ok((Value::string("default"), 1)),
                other => Err(format!("unknown `terraform.{other}`")),
            },
            "each" => Err("`each` is only valid in a block with `for_each`".into()),
            "count" => Err("`count.index` is only valid in a block with `count`".into()),
            "self" => Ok((Value::unknown("self"), operators.len())),
            "data" => {
                let kind = first()?;
                let Some(TraversalOperator::GetAttr(name)) = operators.get(1).map(Decorated::value) else {
                    return Err(format!("`data.{kind}` must be followed by a name"));
                };
                match self.module.resource(true, kind, name.as_str()) {
                    Some(resource) => self.resource_ref(resource, operators, scope, 2),
                    None => Err(format!("no data source `data.{kind}.{}` is declared", name.as_str())),
                }
            }
            kind => {
                let name = first()?;
                match self.module.resource(false, kind, name) {
                    Some(resource) => self.resource_ref(resource, operators, scope, 1),
                    None => Err(format!("no resource `{kind}.{name}` is declared in this module")),
                }
            }
        }
    }

    fn call_with_context(&self, name: &str, _: &[Value]) -> Option<Result<Value, String>> {
        match name {
            "file" | "fileexists" | "templatefile" | "filebase64" | "filemd5" | "filesha256" => {
                Some(Ok(Value::unknown(format!("{name}() of a file is not read by ptlint"))))
            }
            "timestamp" | "uuid" | "plantimestamp" => Some(Ok(Value::unknown(format!("{name}() changes every run")))),
            _ => None,
        }
    }
}

/// Evaluates literal expressions only (variable defaults, tfvars, type defaults): no references.
pub struct Literal;

impl Resolver for Literal {
    fn resolve(&self, root: &str, _: &[Decorated<TraversalOperator>], _: Scope<'_>) -> Result<(Value, usize), String> {
        Err(format!("`{root}`: references are not allowed here"))
    }

    fn call_with_context(&self, _: &str, _: &[Value]) -> Option<Result<Value, String>> {
        None
    }
}
