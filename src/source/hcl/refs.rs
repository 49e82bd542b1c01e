//! What names in expressions refer to: variables, locals, resources and data sources (their instances and the
//! attributes written in their blocks), module outputs, `path` and `terraform`; literals-only evaluation.

use super::declarations::ResourceDecl;
use super::eval::Resolver;
use super::instance::{CallInstances, Instance};
use super::instance_key::{with_binding, InstanceKey};
use super::scope::Scope;
use super::value::{Unknown, Value};
use crate::source::read::Refused;
use hcl_edit::expr::TraversalOperator;
use hcl_edit::{Decorated, Span as _};

impl<'p> Instance<'p> {
    /// `file(path)`: a UTF-8 text file inside the repository, with the run's size limit; a missing file is
    /// terraform's error. Every function that reads a file reads it here (see [`super::confine`]).
    fn read_file(&self, path: &str) -> Result<String, Refused> {
        self.ev.files.read_text(path)
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
                        Value::Unknown(u) => return Ok((Value::Unknown(u.plain()), used)),
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
            // `aws_x.y[*].attr` over counted instances: each instance's attribute as `aws_x.y[i].attr` reads it,
            // so what is known per instance (an argument, a data source answered offline) stays known.
            let op = |i: usize| operators.get(i).map(Decorated::value);
            let splat = matches!(op(used), Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)));
            // `.*.a.b` applies `.b` to each element too: left to the plain splat below.
            let chained = matches!(op(used), Some(TraversalOperator::AttrSplat(_)))
                && matches!(op(used + 2), Some(TraversalOperator::GetAttr(_)));
            if let (Value::List(_), true, false, Some(TraversalOperator::GetAttr(attribute))) =
                (&collection, splat, chained, op(used + 1))
            {
                let values = keys
                    .iter()
                    .map(|key| self.instance_attribute(resource, &address, key, attribute.as_str()))
                    .collect::<Result<Vec<_>, _>>()?;
                return Ok((Value::List(values), used + 2));
            }
            return Ok((collection, used));
        };
        let Some(TraversalOperator::GetAttr(attribute)) = operators.get(used).map(Decorated::value) else {
            let instance_address = format!("{address}{}", key.suffix());
            return Ok((Value::Unknown(Unknown::Ref { address: instance_address, attribute: None }), used));
        };
        Ok((self.instance_attribute(resource, &address, &key, attribute.as_str())?, used + 1))
    }

    /// `attribute` of one instance of a resource or data source: an argument written in its block (evaluated
    /// in that instance), a data source's answer known offline, else unknown until apply.
    fn instance_attribute(
        &self,
        resource: &ResourceDecl,
        address: &str,
        key: &InstanceKey,
        attribute: &str,
    ) -> Result<Value, String> {
        let instance_address = format!("{address}{}", key.suffix());
        let body = &resource.decl.block.body;
        // An argument written in the configuration is known at plan time; computed attributes are not.
        let configured = body.get_attribute(attribute).or_else(|| {
            // The foundation-model data source's ARN names the model its `model_id` gives.
            (resource.data && resource.kind == "aws_bedrock_foundation_model" && attribute == "model_arn")
                .then(|| body.get_attribute("model_id"))
                .flatten()
        });
        // An argument of the block, evaluated in the instance (`each` and `count` bound); only when one is read.
        let argument = |expr: &hcl_edit::expr::Expression| -> Option<Result<Value, String>> {
            let binding = match key {
                InstanceKey::Key(k, _) => InstanceKey::Key(k.clone(), self.for_each_value(resource, k)?),
                other => other.clone(),
            };
            Some(
                self.guarded(|| with_binding(binding.binding(), Scope::default(), |s| self.eval(expr, s))).inspect_err(
                    |_| {
                        self.ev.report_budget(self.module, resource.decl.file, expr.span());
                    },
                ),
            )
        };
        if let Some(configured) = configured {
            if let Some(value) = argument(&configured.value) {
                return value;
            }
        }
        if resource.data && resource.kind == "aws_bedrock_custom_model" {
            if let Some(value) = self.custom_model_lookup(resource, attribute, &argument) {
                return value;
            }
        }
        // A data source whose answer needs no AWS call (the region, the partition).
        if resource.data {
            let written = |name: &str| body.get_attribute(name).and_then(|a| argument(&a.value));
            let region = self.region_for(&resource.decl.block);
            if let Some(value) = super::data_sources::answer(&resource.kind, attribute, &written, region.as_deref()) {
                return value;
            }
        }
        Ok(Value::Unknown(Unknown::Ref { address: instance_address, attribute: Some(attribute.to_string()) }))
    }

    /// `data.aws_bedrock_custom_model.x.model_arn` (or `base_model_arn`) when its `model_id` names a custom model
    /// this module trains: by a reference to that `aws_bedrock_custom_model`, or by a literal equal to its
    /// `custom_model_name`, the data source reads the model the resource creates, so its ARN is the resource's
    /// `custom_model_arn` and its base model the resource's `base_model_identifier`. A literal custom-model ARN is
    /// its own `model_arn`. `None` when the lookup reads a model defined elsewhere (only AWS knows it).
    fn custom_model_lookup(
        &self,
        data: &ResourceDecl,
        attribute: &str,
        argument: &dyn Fn(&hcl_edit::expr::Expression) -> Option<Result<Value, String>>,
    ) -> Option<Result<Value, String>> {
        if !matches!(attribute, "model_arn" | "base_model_arn") {
            return None;
        }
        let model_id = match argument(&data.decl.block.body.get_attribute("model_id")?.value)? {
            Ok(value) => value,
            Err(e) => return Some(Err(e)),
        };
        let trained = match &model_id {
            Value::String(arn) if arn.starts_with("arn:") => {
                return (attribute == "model_arn" && arn.contains(":custom-model/")).then(|| Ok(model_id.clone()));
            }
            Value::String(name) => self.custom_model_named(name)?,
            Value::Unknown(Unknown::Ref { address, attribute: Some(_) }) => {
                let local = address.strip_prefix(self.prefix.as_str())?;
                let (kind, name) = local.split_once('.')?;
                if kind != "aws_bedrock_custom_model" {
                    return None;
                }
                Self::unexpanded(self.module.resource(false, kind, name)?)?
            }
            _ => return None,
        };
        if attribute == "base_model_arn" {
            let base = trained.decl.block.body.get_attribute("base_model_identifier")?;
            return Some(self.guarded(|| self.eval(&base.value, Scope::default())));
        }
        let address = format!("{}{}", self.prefix, trained.address());
        Some(Ok(Value::Unknown(Unknown::Ref { address, attribute: Some("custom_model_arn".to_string()) })))
    }

    /// The one unexpanded `aws_bedrock_custom_model` of this module whose `custom_model_name` is `name`.
    fn custom_model_named(&self, name: &str) -> Option<&'p ResourceDecl> {
        let mut named = self.module.resources.iter().filter(|r| !r.data && r.kind == "aws_bedrock_custom_model").filter(
            |r| {
                Self::unexpanded(r).and_then(|r| r.decl.block.body.get_attribute("custom_model_name")).is_some_and(
                    |a| matches!(self.guarded(|| self.eval(&a.value, Scope::default())), Ok(Value::String(n)) if n == name),
                )
            },
        );
        let found = named.next()?;
        // Two models of one name: terraform could not create both; which one AWS has is not ours to guess.
        named.next().is_none().then_some(found)
    }

    /// The resource, when it has a single instance (no `count` or `for_each`).
    fn unexpanded(resource: &ResourceDecl) -> Option<&ResourceDecl> {
        let body = &resource.decl.block.body;
        (!body.has_attribute("count") && !body.has_attribute("for_each")).then_some(resource)
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
            return Ok((Value::Unknown(u.plain()), used));
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

fn index_suffix(key: &Value) -> String {
    match key {
        Value::String(k) => format!("[{}]", serde_json::Value::String(k.clone())),
        other => format!("[{other}]"),
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
                let value = self.vars.get(name).ok_or_else(|| format!("no variable `{name}` is declared"))?;
                // Each use copies the value, which costs as much as building it.
                super::budget::charge_value(value, None)?;
                Ok((value.clone(), 1))
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

    fn call_with_context(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match (name, args) {
            // Paths are relative to the root module's directory, where terraform runs (`path.module` gives
            // the rest), as `file("${path.module}/capacity.json")` expects.
            ("file", [Value::String(path)]) => Some(match self.read_file(path) {
                Ok(text) => Ok(Value::String(text)),
                // Never the text of a file outside the repository: unknown, saying why.
                Err(Refused::Outside(why)) => Ok(Value::unknown(format!("file() is not evaluated: {why}"))),
                Err(Refused::Unreadable(why)) => Err(format!("file(\"{path}\"): {why}")),
            }),
            ("fileexists", [Value::String(path)]) => Some(Ok(match self.ev.files.exists(path) {
                Ok(exists) => Value::Bool(exists),
                Err(why) => Value::unknown(format!("fileexists() is not evaluated: {why}")),
            })),
            ("file" | "fileexists", [Value::Unknown(u)]) => Some(Ok(Value::Unknown(u.clone()))),
            ("file" | "fileexists", _) => Some(Err(format!("{name}() takes one path"))),
            // Through `file()`'s reader and `fileexists()`'s check (files.rs), so both are confined as those are.
            ("templatefile", [Value::String(path), vars]) => {
                Some(super::files::templatefile(self, path, vars, |path| self.read_file(path).map_err(String::from)))
            }
            ("fileset", [Value::String(dir), Value::String(pattern)]) => {
                let exists = |path: &str| {
                    let answer = self.call_with_context("fileexists", &[Value::String(path.to_string())]);
                    matches!(answer, Some(Ok(Value::Bool(true))))
                };
                Some(super::files::fileset(&self.ev.root_dir, dir, pattern, exists))
            }
            ("templatefile" | "fileset", args) if args.iter().any(Value::is_unknown) => {
                Some(Ok(args.iter().find(|a| a.is_unknown()).cloned().unwrap_or_else(|| Value::unknown(name))))
            }
            ("templatefile" | "fileset", _) => Some(Err(format!("{name}() takes a path and a second argument"))),
            ("filebase64" | "filemd5" | "filesha256" | "filesha1" | "filebase64sha256", _) => {
                Some(Ok(Value::unknown(format!("{name}() is not evaluated by ptlint"))))
            }
            ("timestamp" | "uuid" | "plantimestamp", _) => {
                Some(Ok(Value::unknown(format!("{name}() changes every run"))))
            }
            _ => None,
        }
    }
}
