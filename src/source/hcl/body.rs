//! A resource instance's block read through the Terraform attribute interface the model extraction shares:
//! each attribute evaluated in the instance (with `count`/`each` and `dynamic` iterators bound) and spanned
//! at its expression in the `.tf` file.

use super::eval::{iterate, Resolver};
use super::instance::{with_bindings, Instance};
use super::parse::SourceFile;
use super::value::{Unknown, Value};
use crate::model::{Field, Reference, Resolved, Spanned};
use crate::source::terraform::Attrs;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::Body;
use hcl_edit::Span as _;

/// One block body of one instance.
pub struct HclAttrs<'a, 'p> {
    pub instance: &'a Instance<'p>,
    pub file: &'a SourceFile,
    pub body: &'a Body,
    /// `count`, `each` and `dynamic` iterators in effect.
    pub bindings: Vec<(String, Value)>,
}

impl HclAttrs<'_, '_> {
    fn eval(&self, expr: &Expression) -> Value {
        with_bindings(&self.bindings, Default::default(), |scope| self.instance.eval(expr, scope)).unwrap_or_else(
            |why| {
                self.instance.ev.report_budget(self.instance.module, self.file_index(), expr.span());
                Value::unknown(why)
            },
        )
    }

    /// The index of this block's file in its module.
    fn file_index(&self) -> usize {
        self.instance.module.files.iter().position(|f| std::ptr::eq(f, self.file)).unwrap_or(usize::MAX)
    }
}

/// What the model keeps of a value: a literal, a reference to another resource, or why it is not known.
pub fn resolved(value: Value) -> Resolved<String> {
    match value {
        Value::Unknown(Unknown::Ref { address, attribute }) => {
            Resolved::Ref(Reference::Terraform { address, attribute })
        }
        Value::Unknown(Unknown::Reason(why)) => Resolved::Unresolved(why),
        Value::Null => Resolved::Unresolved("null".into()),
        other => match other.to_template_string() {
            Some(text) => Resolved::Known(text),
            None => Resolved::Unresolved(format!("a {}, not a single value", other.type_name())),
        },
    }
}

impl Attrs for HclAttrs<'_, '_> {
    fn string(&self, name: &str) -> Option<Field<String>> {
        let attribute = self.body.get_attribute(name)?;
        Some(Spanned::new(resolved(self.eval(&attribute.value)), self.file.attribute_span(attribute)))
    }

    fn map_entry(&self, name: &str, key: &str) -> Option<Field<String>> {
        let attribute = self.body.get_attribute(name)?;
        // Point at the entry's own value when the map is written out literally.
        let entry_span = match &attribute.value {
            Expression::Object(object) => object.iter().find_map(|(k, v)| {
                let matches = match k {
                    ObjectKey::Ident(ident) => ident.as_str() == key,
                    ObjectKey::Expression(Expression::String(s)) => s.as_str() == key,
                    _ => false,
                };
                matches.then(|| self.file.span(v.expr().span()))
            }),
            _ => None,
        };
        let span = entry_span.unwrap_or_else(|| self.file.attribute_span(attribute));
        match self.eval(&attribute.value) {
            Value::Map(mut entries) => entries.remove(key).map(|v| Spanned::new(resolved(v), span)),
            Value::Unknown(u) => Some(Spanned::new(resolved(Value::Unknown(u)), span)),
            _ => None,
        }
    }

    fn string_map(&self, name: &str) -> Vec<(String, String)> {
        let Some(attribute) = self.body.get_attribute(name) else { return Vec::new() };
        match self.eval(&attribute.value) {
            Value::Map(entries) => {
                entries.into_iter().filter_map(|(k, v)| v.to_template_string().map(|v| (k, v))).collect()
            }
            _ => Vec::new(),
        }
    }

    fn string_list(&self, name: &str) -> Vec<String> {
        let Some(attribute) = self.body.get_attribute(name) else { return Vec::new() };
        match self.eval(&attribute.value) {
            // An element known only after apply (an SNS topic's ARN) is kept as the reference that gives it.
            Value::List(items) | Value::Set(items) => items
                .iter()
                .filter_map(|item| match item {
                    Value::Unknown(Unknown::Ref { .. }) => Some(item.to_string()),
                    other => other.to_template_string(),
                })
                .collect(),
            other => other.to_template_string().into_iter().collect(),
        }
    }

    fn literal(&self, name: &str) -> Option<String> {
        // Only a string written as such: a value built from variables or data sources is judged by what it
        // evaluates to elsewhere, never by a stand-in ptlint derived (a data source's model ID).
        match &self.body.get_attribute(name)?.value {
            Expression::String(text) => Some(text.as_str().to_string()),
            _ => None,
        }
    }

    fn blocks(&self, name: &str) -> Vec<Box<dyn Attrs + '_>> {
        let mut out: Vec<Box<dyn Attrs + '_>> = Vec::new();
        for block in self.body.blocks() {
            let ident = block.ident.as_str();
            if ident == name {
                out.push(Box::new(HclAttrs {
                    instance: self.instance,
                    file: self.file,
                    body: &block.body,
                    bindings: self.bindings.clone(),
                }));
                continue;
            }
            // `dynamic "name" { for_each = ...; iterator = it; content { ... } }`: one block per element.
            let label = block.labels.first().map(|l| l.as_str());
            if ident != "dynamic" || label != Some(name) {
                continue;
            }
            let Some(content) = block.body.blocks().find(|b| b.ident.as_str() == "content") else { continue };
            let Some(for_each) = block.body.get_attribute("for_each") else { continue };
            let iterator = block
                .body
                .get_attribute("iterator")
                .and_then(|a| match &a.value {
                    Expression::Variable(v) => Some(v.as_str().to_string()),
                    _ => None,
                })
                .unwrap_or_else(|| name.to_string());
            let Ok(pairs) = iterate(&self.eval(&for_each.value)) else { continue };
            for (key, value) in pairs {
                let mut bindings = self.bindings.clone();
                let element = Value::Map([("key".to_string(), key), ("value".to_string(), value)].into());
                bindings.push((iterator.clone(), element));
                out.push(Box::new(HclAttrs {
                    instance: self.instance,
                    file: self.file,
                    body: &content.body,
                    bindings,
                }));
            }
        }
        out
    }
}
