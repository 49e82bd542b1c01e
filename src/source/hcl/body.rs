//! A resource instance's block read through the Terraform attribute interface the model extraction shares:
//! each attribute evaluated in the instance (with `count`/`each` and `dynamic` iterators bound) and spanned
//! at its expression in the `.tf` file.

use super::access::iterate;
use super::eval::Resolver;
use super::instance::Instance;
use super::instance_key::with_bindings;
use super::parse::SourceFile;
use super::value::{Piece, Unknown, Value};
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
    /// The header of the block the entity is reported at; a value written in another file (an override
    /// file's, or the base file's when the entity is reported at its override) is shown there.
    pub home: Option<std::ops::Range<usize>>,
}

impl HclAttrs<'_, '_> {
    /// The span of a range, when it lies in the file the entity is reported in; else the entity's header.
    pub fn span_of(&self, range: Option<std::ops::Range<usize>>) -> crate::source::node::Span {
        if self.file.path_of(&range) == self.file.path_of(&self.home) {
            self.file.span(range)
        } else {
            self.file.span(self.home.clone())
        }
    }

    fn eval(&self, expr: &Expression) -> Value {
        with_bindings(&self.bindings, Default::default(), |scope| self.instance.eval(expr, scope)).unwrap_or_else(
            |why| {
                self.instance.ev.report_budget(self.instance.module, self.file_index(), expr.span());
                Value::unknown(why)
            },
        )
    }

    /// A state machine's `definition`: its text, or, where `jsonencode(...)` wraps values not known here (a
    /// variable without a value, an attribute only apply gives), its JSON with each of them written as a `${...}`
    /// placeholder string. Whole-unknown, the tasks that create PTs would not be found at all.
    pub fn definition(&self, name: &str) -> Option<Field<String>> {
        let attribute = self.body.get_attribute(name)?;
        let span = self.span_of(attribute.value.span());
        let value = self.eval(&attribute.value);
        // A template (`templatefile()`) around unknowns keeps its known text, each unknown written `${...}`.
        if let Value::Unknown(partial @ Unknown::Partial(_)) = &value {
            return Some(Spanned::new(Resolved::Known(partial.partial_text().unwrap_or_default()), span));
        }
        if let (Value::Unknown(_), Expression::FuncCall(call)) = (&value, &attribute.value) {
            let args: Vec<&Expression> = call.args.iter().collect();
            if call.name.name.as_str() == "jsonencode" && call.name.namespace.is_empty() && args.len() == 1 {
                let text = super::functions::encode_with_placeholders(&self.eval(args[0]));
                return Some(Spanned::new(Resolved::Known(text), span));
            }
        }
        Some(Spanned::new(resolved(value), span))
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
        Value::Unknown(partial @ Unknown::Partial(_)) => resolved(Value::Unknown(partial.plain())),
        Value::Null => Resolved::Unresolved("null".into()),
        other => match other.to_template_string() {
            Some(text) => Resolved::Known(text),
            None => Resolved::Unresolved(format!("a {}, not a single value", other.type_name())),
        },
    }
}

/// A model ARN built around values not known before apply (the account of `aws_caller_identity`) keeps
/// its known text, with each missing piece written `${...}`, when what is known still names the model (a
/// custom model's job suffix may be unknown, its base model not): the model and its kind are then read from it.
/// Anything else is as unknown as before.
pub fn resolved_model(value: Value) -> Resolved<String> {
    match &value {
        Value::Unknown(partial @ Unknown::Partial(pieces)) if resource_known(pieces) => {
            Resolved::Known(partial.partial_text().unwrap_or_default())
        }
        _ => resolved(value),
    }
}

/// Whether a partial string is an ARN that names its model (see [`crate::arn::names_its_model`]).
fn resource_known(pieces: &[Piece]) -> bool {
    let pieces: Vec<crate::arn::Piece> = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => crate::arn::Piece::Text(text),
            Piece::Hole { .. } => crate::arn::Piece::Hole,
        })
        .collect();
    crate::arn::names_its_model(&pieces)
}

impl Attrs for HclAttrs<'_, '_> {
    fn string(&self, name: &str) -> Option<Field<String>> {
        let attribute = self.body.get_attribute(name)?;
        Some(Spanned::new(resolved(self.eval(&attribute.value)), self.span_of(attribute.value.span())))
    }

    fn model(&self, name: &str) -> Option<Field<String>> {
        let attribute = self.body.get_attribute(name)?;
        Some(Spanned::new(resolved_model(self.eval(&attribute.value)), self.file.attribute_span(attribute)))
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
                matches.then(|| self.span_of(v.expr().span()))
            }),
            _ => None,
        };
        let span = entry_span.unwrap_or_else(|| self.span_of(attribute.value.span()));
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
                    Value::Unknown(Unknown::Ref { .. } | Unknown::Partial(_)) => Some(item.to_string()),
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

    fn writes(&self, name: &str) -> Option<bool> {
        Some(self.body.get_attribute(name).is_some())
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
                    home: self.home.clone(),
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
                    home: self.home.clone(),
                }));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hole(written: &str) -> Piece {
        let (address, attribute) = written.rsplit_once('.').unwrap_or((written, ""));
        let why = Unknown::Ref { address: address.into(), attribute: Some(attribute.into()) };
        Piece::Hole { written: written.into(), why }
    }

    fn text(text: &str) -> Piece {
        Piece::Text(text.into())
    }

    #[test]
    fn a_model_arn_with_an_unknown_account_keeps_its_model() {
        let account = hole("data.aws_caller_identity.current.account_id");
        let arn = Unknown::Partial(vec![
            text("arn:aws:bedrock:us-east-1:"),
            account.clone(),
            text(":custom-model/amazon.titan-text-express-v1:0:8k/abc123def456"),
        ]);
        assert_eq!(
            resolved_model(Value::Unknown(arn.clone())),
            Resolved::Known(
                "arn:aws:bedrock:us-east-1:${data.aws_caller_identity.current.account_id}:custom-model/amazon.titan-text-express-v1:0:8k/abc123def456"
                    .into()
            )
        );
        // Any other attribute sees the unknown account, as before.
        let reference = Reference::Terraform {
            address: "data.aws_caller_identity.current".into(),
            attribute: Some("account_id".into()),
        };
        assert_eq!(resolved(Value::Unknown(arn)), Resolved::Ref(reference.clone()));
        // An unknown in the resource (the model itself), or text that is not an ARN, gives no model.
        let model_unknown =
            Unknown::Partial(vec![text("arn:aws:bedrock:us-east-1::foundation-model/"), account.clone()]);
        assert_eq!(resolved_model(Value::Unknown(model_unknown)), Resolved::Ref(reference.clone()));
        let not_arn = Unknown::Partial(vec![account.clone(), text(":custom-model/a.b-v1:0/x")]);
        assert_eq!(resolved_model(Value::Unknown(not_arn)), Resolved::Ref(reference.clone()));
        let short = Unknown::Partial(vec![text("arn:aws:bedrock:"), account.clone(), text(":x")]);
        assert_eq!(resolved_model(Value::Unknown(short)), Resolved::Ref(reference));
        // A custom model's job suffix may be unknown: the base model is known.
        let job = hole("aws_bedrock_custom_model.tuned.job_arn");
        let suffix_unknown = Unknown::Partial(vec![
            text("arn:aws:bedrock:us-east-1:"),
            account,
            text(":custom-model/amazon.titan-text-express-v1:0:8k/"),
            job,
        ]);
        assert_eq!(
            resolved_model(Value::Unknown(suffix_unknown)),
            Resolved::Known(
                "arn:aws:bedrock:us-east-1:${data.aws_caller_identity.current.account_id}:custom-model/\
                 amazon.titan-text-express-v1:0:8k/${aws_bedrock_custom_model.tuned.job_arn}"
                    .into()
            )
        );
    }
}
