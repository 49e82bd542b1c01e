//! A plan's values for one resource: its planned values with its configuration expressions, references resolved
//! across modules, variables and data sources as the plan records them.

use super::{config_module, PlanCtx};
use crate::model::{Field, Reference, Resolved, Spanned};
use crate::source::node::{Node, Value};
use crate::source::terraform::{parse_reference, Attrs, TfRef};

/// A resource's (or nested block's) planned values paired with its configuration expressions.
pub(super) struct PlanAttrs<'a> {
    pub(super) values: Option<&'a Node>,
    pub(super) exprs: Option<&'a Node>,
    /// The matching part of `after_unknown`: which values are computed at apply time.
    pub(super) unknown: Option<&'a Node>,
    /// The instance `each.value` stands for, when `for_each` iterates another resource's instances.
    pub(super) each: Option<String>,
    pub(super) ctx: &'a PlanCtx<'a>,
    /// Address prefix of the module instance the resource lives in (`module.chat.`), for module-relative references.
    pub(super) prefix: String,
    pub(super) module_names: Vec<String>,
    /// How many module boundaries resolution has crossed to get here (bounded, so cycles end).
    pub(super) hops: usize,
}

impl<'a> PlanAttrs<'a> {
    /// Values (or nothing) read outside any module, instance or configuration: prior state, provider config.
    pub(super) fn unscoped(values: Option<&'a Node>, ctx: &'a PlanCtx<'a>) -> PlanAttrs<'a> {
        PlanAttrs {
            values,
            exprs: None,
            unknown: None,
            each: None,
            ctx,
            prefix: String::new(),
            module_names: Vec::new(),
            hops: 0,
        }
    }

    /// Resolve a configuration expression: `constant_value`, or the most specific usable `references` entry.
    pub(super) fn expression(&self, expr: &Node) -> Option<Field<String>> {
        if let Some(constant) = expr.get("constant_value") {
            return Some(Spanned::new(scalar(constant), constant.span));
        }
        let references = expr.get("references")?;
        let value = references
            .as_array()?
            .iter()
            .filter_map(|r| r.as_str())
            .find_map(|r| self.resolve_reference(r))
            .unwrap_or_else(|| Resolved::Unresolved("computed at apply time".into()));
        Some(Spanned::new(value, references.span))
    }

    fn resolve_reference(&self, text: &str) -> Option<Resolved<String>> {
        if let (Some(instance), Some(attribute)) = (&self.each, text.strip_prefix("each.value.")) {
            let reference = Reference::Terraform { address: instance.clone(), attribute: Some(attribute.to_string()) };
            return Some(Resolved::Ref(reference));
        }
        match parse_reference(text, &self.prefix)? {
            TfRef::Var(name) => Some(self.variable(&name)),
            TfRef::Local(name) => Some(Resolved::Unresolved(format!("local.{name}"))),
            TfRef::Object(Reference::Terraform { address, attribute }) if address.contains("data.") => {
                let values = self
                    .ctx
                    .data
                    .get(&address)
                    .or_else(|| self.ctx.data.get(crate::source::terraform::strip_index(&address)));
                let attr = attribute.as_deref().unwrap_or("id");
                let literal = values.and_then(|v| {
                    v.get(attr)
                        .filter(|n| !n.is_null())
                        // The foundation-model data source's ARN is often unknown while its ID is literal.
                        .or_else(|| (attr == "model_arn").then(|| v.get("model_id")).flatten())
                        .and_then(Node::scalar_text)
                });
                Some(match literal {
                    Some(value) => Resolved::Known(value),
                    None => Resolved::Ref(Reference::Terraform { address, attribute }),
                })
            }
            TfRef::Object(Reference::Terraform { address, attribute: Some(output) })
                if address
                    .rsplit_once(".module.")
                    .map_or(address.starts_with("module."), |(_, tail)| !tail.contains('.')) =>
            {
                Some(
                    self.module_output(&address, &output)
                        .unwrap_or(Resolved::Ref(Reference::Terraform { address, attribute: Some(output) })),
                )
            }
            TfRef::Object(reference) => Some(Resolved::Ref(reference)),
        }
    }

    /// A view of the same plan from another module: resolving there is how values cross module boundaries.
    fn in_module(&self, prefix: String, module_names: Vec<String>) -> Option<PlanAttrs<'_>> {
        // Module trees are shallow; a longer chain of hops is a cycle or hostile input.
        (self.hops < 16).then(|| PlanAttrs {
            values: None,
            exprs: None,
            unknown: None,
            each: None,
            ctx: self.ctx,
            prefix,
            module_names,
            hops: self.hops + 1,
        })
    }

    /// `module.m.out`: resolve the output's expression inside module `m` (whose resources live under `module.m.`).
    fn module_output(&self, address: &str, output: &str) -> Option<Resolved<String>> {
        let name = address.rsplit('.').next()?.split('[').next()?.to_string();
        let mut names = self.module_names.clone();
        names.push(name);
        let expr = config_module(self.ctx, &names)?.path(&["outputs", output, "expression"])?;
        let inner = self.in_module(format!("{address}."), names)?;
        inner.expression(expr).map(|field| field.value)
    }
    /// A root variable's value from the plan, or a module input's constant from its module call.
    fn variable(&self, name: &str) -> Resolved<String> {
        if self.module_names.is_empty() {
            if let Some(value) = self.ctx.variables.and_then(|v| v.path(&[name, "value"])) {
                return scalar(value);
            }
        } else {
            let (parent, last) = self.module_names.split_at(self.module_names.len() - 1);
            let call =
                config_module(self.ctx, parent).and_then(|m| m.path(&["module_calls", &last[0], "expressions", name]));
            // A module input is an expression of the calling module: resolve it there.
            let parts = crate::source::terraform::split_traversal(self.prefix.trim_end_matches('.'));
            let parent_prefix = match parts.len() {
                0..=2 => String::new(),
                n => format!("{}.", parts[..n - 2].join(".")),
            };
            if let (Some(expr), Some(outer)) = (call, self.in_module(parent_prefix, parent.to_vec())) {
                if let Some(field) = outer.expression(expr) {
                    return field.value;
                }
            }
        }
        Resolved::Unresolved(format!("var.{name}"))
    }
}

fn scalar(node: &Node) -> Resolved<String> {
    match &node.value {
        Value::Null => Resolved::Unresolved("null".into()),
        Value::Array(_) | Value::Object(_) => Resolved::Unresolved("not a single value".into()),
        _ => node.scalar_text().map_or(Resolved::Unresolved("unknown".into()), Resolved::Known),
    }
}

impl Attrs for PlanAttrs<'_> {
    fn string(&self, name: &str) -> Option<Field<String>> {
        let value = self.values.and_then(|v| v.get(name));
        if let Some(v) = value.filter(|v| !v.is_null()) {
            return Some(Spanned::new(scalar(v), v.span));
        }
        // A planned null that is not flagged unknown is known to be null (an optional attribute, a map
        // entry or a module variable that is null): the expression behind it has nothing to add.
        let computed = self.unknown.and_then(|u| u.get(name)).is_some_and(|u| matches!(u.value, Value::Bool(true)));
        if let Some(v) = value.filter(|_| !computed) {
            return Some(Spanned::new(scalar(v), v.span));
        }
        if let Some(field) = self.exprs.and_then(|e| e.get(name)).and_then(|e| self.expression(e)) {
            return Some(field);
        }
        value.map(|v| Spanned::new(scalar(v), v.span))
    }

    fn literal(&self, name: &str) -> Option<String> {
        let constant = self.exprs.and_then(|e| e.path(&[name, "constant_value"]));
        constant.or_else(|| self.values.and_then(|v| v.get(name))).and_then(Node::as_str).map(str::to_string)
    }

    fn map_entry(&self, name: &str, key: &str) -> Option<Field<String>> {
        if let Some(v) = self.values.and_then(|v| v.path(&[name, key])).filter(|v| !v.is_null()) {
            return Some(Spanned::new(scalar(v), v.span));
        }
        let expr = self.exprs.and_then(|e| e.get(name))?;
        // A map written with references has one expression for the whole map; a literal map has per-key values.
        if let Some(entry) = expr.path(&["constant_value", key]) {
            return Some(Spanned::new(scalar(entry), entry.span));
        }
        if expr.get("references").is_some() {
            return self.expression(expr);
        }
        expr.get(key).and_then(|e| self.expression(e))
    }

    fn string_map(&self, name: &str) -> Vec<(String, String)> {
        let map = self
            .values
            .and_then(|v| v.get(name))
            .or_else(|| self.exprs.and_then(|e| e.path(&[name, "constant_value"])));
        map.and_then(Node::as_object)
            .unwrap_or_default()
            .iter()
            .filter_map(|(k, v)| Some((k.name.clone(), v.scalar_text()?)))
            .collect()
    }

    fn string_list(&self, name: &str) -> Vec<String> {
        self.values
            .and_then(|v| v.get(name))
            .and_then(Node::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::scalar_text)
            .collect()
    }

    fn blocks(&self, name: &str) -> Vec<Box<dyn Attrs + '_>> {
        let values = self.values.and_then(|v| v.get(name)).and_then(Node::as_array).unwrap_or_default();
        let exprs = self.exprs.and_then(|e| e.get(name)).and_then(Node::as_array).unwrap_or_default();
        let count = values.len().max(exprs.len());
        (0..count)
            .map(|i| {
                Box::new(PlanAttrs {
                    values: values.get(i),
                    exprs: exprs.get(i),
                    unknown: self
                        .unknown
                        .and_then(|u| u.get(name))
                        .and_then(Node::as_array)
                        .and_then(|blocks| blocks.get(i)),
                    each: self.each.clone(),
                    ctx: self.ctx,
                    prefix: self.prefix.clone(),
                    module_names: self.module_names.clone(),
                    hops: self.hops,
                }) as Box<dyn Attrs + '_>
            })
            .collect()
    }
}
