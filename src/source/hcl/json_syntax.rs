//! Terraform's JSON syntax (`.tf.json`) written out as the native HCL it stands for, with a map from every
//! position of that text back to the JSON, so `.tf` and `.tf.json` files of one directory are one module.
//!
//! The mapping follows hashicorp/hcl's `json` package and its spec (json/spec.md): blocks are nested objects
//! (one object per label, then a body or an array of bodies); in a body, a name the block's schema calls a
//! nested block is one, every other property is an argument; a string argument is a template (`${...}`),
//! except where terraform evaluates without a context (a variable's `default`, a module's `source`), where it
//! is the literal text, or where terraform reads an expression's text (`provider`, a variable's `type`,
//! `providers`), where the string is that expression.

use super::quote::{is_identifier, quote};
use super::span_map::{Segment, SpanMap};
use crate::model::InlineSuppression;
use crate::source::node::{Key, Node, Value};
use std::ops::Range;

/// A `.tf.json` file as HCL text, its map back to the JSON, and the `"//"` suppressions of each resource.
pub struct Translation {
    pub hcl: String,
    pub map: SpanMap,
    /// (offset of the block's first byte in `hcl`, the suppressions its `"//"` comments give).
    pub suppressions: Vec<(usize, Vec<InlineSuppression>)>,
}

/// An input error inside the JSON structure (not a JSON syntax error): message and the JSON node's span.
pub type StructureError = (String, crate::source::node::Span);

/// Write a parsed `.tf.json` document out as HCL. `base` offsets every position of the written text (override
/// files live after the primary files, see `module.rs`).
pub fn translate(root: &Node, json: &str, base: usize) -> Result<Translation, StructureError> {
    let Some(entries) = root.as_object() else {
        return Err(("a `.tf.json` file must hold one JSON object".into(), root.span));
    };
    let mut writer = Writer { json, out: " ".repeat(base), segments: Vec::new(), suppressions: Vec::new() };
    for (key, value) in entries {
        match key.name.as_str() {
            "resource" | "data" => {
                for (kind, by_name) in labelled(value) {
                    for (name, bodies) in labelled(by_name) {
                        let schema = Kind::Resource(kind.name.clone());
                        for body in bodies_of(bodies) {
                            writer.block(&key.name, &[kind, name], name, body, &schema, true)?;
                        }
                    }
                }
            }
            "module" | "variable" | "output" | "provider" => {
                let schema = match key.name.as_str() {
                    "module" => Kind::Module,
                    "variable" => Kind::Variable,
                    "output" => Kind::Output,
                    _ => Kind::Provider,
                };
                for (name, bodies) in labelled(value) {
                    for body in bodies_of(bodies) {
                        writer.block(&key.name, &[name], name, body, &schema, false)?;
                    }
                }
            }
            "locals" => {
                for body in bodies_of(value) {
                    writer.block("locals", &[], key, body, &Kind::Locals, false)?;
                }
            }
            // `terraform`, `moved`, `import`, `removed`, `check` and comments say nothing about what a plan
            // creates that ptlint reads.
            _ => {}
        }
    }
    Ok(Translation { hcl: writer.out, map: SpanMap { segments: writer.segments }, suppressions: writer.suppressions })
}

/// What a block is, which decides how its properties are read.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A `resource` or `data` block of this type.
    Resource(String),
    /// A nested block of a resource type: the type and the path of block names down to it.
    Nested(String, Vec<String>),
    Module,
    Variable,
    Output,
    Provider,
    Locals,
    /// `dynamic "name"` (the path ends with its name): its `content` block is a `Nested` one.
    Dynamic(String, Vec<String>),
}

/// Nested block names of the resource types ptlint reads (AWS provider 5.100 schema, plus the budget's
/// `filter_expression` of provider 6), by the path of block names above them.
fn is_nested_block(resource_type: &str, path: &[String], name: &str) -> bool {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    match (resource_type, path.as_slice()) {
        ("aws_cloudwatch_metric_alarm", []) => name == "metric_query",
        ("aws_cloudwatch_metric_alarm", ["metric_query"]) => name == "metric",
        ("aws_budgets_budget", []) => matches!(
            name,
            "cost_filter" | "cost_types" | "notification" | "auto_adjust_data" | "planned_limit" | "filter_expression"
        ),
        ("aws_budgets_budget", ["auto_adjust_data"]) => name == "historical_options",
        ("aws_budgets_budget", [.., "filter_expression" | "and" | "or" | "not"]) => {
            matches!(name, "and" | "or" | "not" | "dimensions" | "tags" | "cost_categories")
        }
        ("aws_bedrock_custom_model", []) => {
            matches!(name, "output_data_config" | "training_data_config" | "validation_data_config" | "vpc_config")
        }
        ("aws_bedrock_custom_model", ["validation_data_config"]) => name == "validator",
        _ => false,
    }
}

/// How a property's value is read.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// A template string, arrays and objects of expressions (terraform's full expression mode).
    Expression,
    /// Literal values: `${` is text (terraform evaluates these without a context).
    Literal,
    /// The string is the text of an expression (a provider reference, a type constraint).
    Raw,
}

/// One level of labels: an object's properties, or those of each object in an array.
fn labelled(node: &Node) -> Vec<(&Key, &Node)> {
    let mut out = Vec::new();
    for object in bodies_of(node) {
        out.extend(object.as_object().unwrap_or_default().iter().filter(|(k, _)| k.name != "//").map(|(k, v)| (k, v)));
    }
    out
}

/// A block body, or an array of block bodies.
fn bodies_of(node: &Node) -> Vec<&Node> {
    match &node.value {
        Value::Array(items) => items.iter().filter(|i| i.as_object().is_some()).collect(),
        Value::Object(_) => vec![node],
        _ => Vec::new(),
    }
}

struct Writer<'a> {
    json: &'a str,
    out: String,
    segments: Vec<Segment>,
    suppressions: Vec<(usize, Vec<InlineSuppression>)>,
}

impl Writer<'_> {
    /// Write `text` standing for the JSON range `to`.
    fn mapped(&mut self, text: &str, to: Range<usize>) {
        let start = self.out.len();
        self.out.push_str(text);
        if let Some(last) = self.segments.last() {
            if last.from.end > start {
                return;
            }
        }
        self.segments.push(Segment { from: start..self.out.len(), to });
    }

    /// Copy a range of the JSON text as it is.
    fn copy(&mut self, range: Range<usize>) {
        let text = self.json.get(range.clone()).unwrap_or_default().to_string();
        self.mapped(&text, range);
    }

    fn glue(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// `ident "label" ... {` body `}`, the header mapped onto the JSON key that names the block (`at`).
    fn block(
        &mut self,
        ident: &str,
        labels: &[&Key],
        at: &Key,
        body: &Node,
        kind: &Kind,
        suppressions: bool,
    ) -> Result<(), StructureError> {
        let Some(entries) = body.as_object() else {
            return Err((format!("a `{ident}` block body must be a JSON object"), body.span));
        };
        self.glue("\n");
        let block_start = self.out.len();
        self.mapped(ident, at.span.start..at.span.start);
        for (i, label) in labels.iter().enumerate() {
            self.glue(" ");
            let target = if i + 1 == labels.len() { at.span.start..at.span.end } else { at.span.start..at.span.start };
            self.mapped(&quote(&label.name, false), target);
        }
        self.glue(" {\n");
        if suppressions {
            let found = comment_suppressions(body);
            if !found.is_empty() {
                self.suppressions.push((block_start, found));
            }
        }
        for (key, value) in entries {
            self.property(kind, key, value)?;
        }
        self.mapped("}", body.span.end.saturating_sub(1)..body.span.end);
        self.glue("\n");
        Ok(())
    }

    fn property(&mut self, kind: &Kind, key: &Key, value: &Node) -> Result<(), StructureError> {
        let name = key.name.as_str();
        if name == "//" || !is_identifier(name) {
            return Ok(());
        }
        let mode = match (kind, name) {
            (Kind::Resource(_), "depends_on" | "lifecycle" | "provisioner" | "connection") => return Ok(()),
            (Kind::Resource(_), "provider") => Mode::Raw,
            (Kind::Resource(kind_name), "dynamic") | (Kind::Nested(kind_name, _), "dynamic") => {
                let path = match kind {
                    Kind::Nested(_, path) => path.clone(),
                    _ => Vec::new(),
                };
                for (label, bodies) in labelled(value) {
                    let mut inner = path.clone();
                    inner.push(label.name.clone());
                    let dynamic = Kind::Dynamic(kind_name.clone(), inner);
                    for body in bodies_of(bodies) {
                        self.block("dynamic", &[label], label, body, &dynamic, false)?;
                    }
                }
                return Ok(());
            }
            (Kind::Resource(kind_name), _) if is_nested_block(kind_name, &[], name) => {
                return self.nested(kind_name, Vec::new(), key, value);
            }
            (Kind::Nested(kind_name, path), _) if is_nested_block(kind_name, path, name) => {
                return self.nested(kind_name, path.clone(), key, value);
            }
            (Kind::Dynamic(kind_name, path), "content") => {
                for body in bodies_of(value) {
                    self.block("content", &[], key, body, &Kind::Nested(kind_name.clone(), path.clone()), false)?;
                }
                return Ok(());
            }
            (Kind::Dynamic(..), "iterator") => Mode::Raw,
            (Kind::Module, "depends_on") | (Kind::Output, "depends_on" | "precondition") => return Ok(()),
            (Kind::Module, "source" | "version") => Mode::Literal,
            (Kind::Module, "providers") => Mode::Raw,
            (Kind::Variable, "type") => Mode::Raw,
            (Kind::Variable, "validation") => return Ok(()),
            (Kind::Variable, _) => Mode::Literal,
            (Kind::Provider, "alias") => Mode::Literal,
            _ => Mode::Expression,
        };
        self.mapped(name, key.span.clone_range());
        self.glue(" = ");
        self.value(value, mode);
        self.glue("\n");
        Ok(())
    }

    /// A nested block property: one body, or an array of bodies.
    fn nested(&mut self, kind_name: &str, path: Vec<String>, key: &Key, value: &Node) -> Result<(), StructureError> {
        let mut inner = path;
        inner.push(key.name.clone());
        for body in bodies_of(value) {
            self.block(&key.name, &[], key, body, &Kind::Nested(kind_name.to_string(), inner.clone()), false)?;
        }
        Ok(())
    }

    fn value(&mut self, node: &Node, mode: Mode) {
        let range = node.span.clone_range();
        match &node.value {
            Value::Null | Value::Bool(_) | Value::Number(_) => self.copy(range),
            Value::String(text) => match mode {
                // A string with no escapes is the same template in both syntaxes, byte for byte.
                Mode::Expression if !self.json[range.clone()].contains('\\') => self.copy(range),
                Mode::Expression => self.mapped(&quote(text, true), range),
                Mode::Literal => self.mapped(&quote(text, false), range),
                Mode::Raw => {
                    let inner = range.start + 1..range.end.saturating_sub(1);
                    let raw = self.json.get(inner.clone()).unwrap_or_default();
                    let text = if raw == text.as_str() { text.clone() } else { text.replace(['\n', '\r'], " ") };
                    if raw == text {
                        self.mapped(&text, inner);
                    } else {
                        self.mapped(&text, range);
                    }
                }
            },
            Value::Array(items) => {
                self.mapped("[", range.start..range.start + 1);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.glue(", ");
                    }
                    self.value(item, mode);
                }
                self.mapped("]", range.end.saturating_sub(1)..range.end);
            }
            Value::Object(entries) => {
                self.mapped("{", range.start..range.start + 1);
                for (key, value) in entries {
                    self.glue("\n");
                    match mode {
                        Mode::Raw => self.mapped(&key.name, key.span.clone_range()),
                        Mode::Literal => self.mapped(&quote(&key.name, false), key.span.clone_range()),
                        // A quoted key is an expression in HCL too (a template), never a bare name.
                        Mode::Expression if !self.json[key.span.clone_range()].contains('\\') => {
                            self.copy(key.span.clone_range());
                        }
                        Mode::Expression => self.mapped(&quote(&key.name, true), key.span.clone_range()),
                    }
                    self.glue(" = ");
                    self.value(value, mode);
                }
                self.glue("\n");
                self.mapped("}", range.end.saturating_sub(1)..range.end);
            }
        }
    }
}

trait CloneRange {
    fn clone_range(&self) -> Range<usize>;
}

impl CloneRange for crate::source::node::Span {
    fn clone_range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Suppressions in a resource's `"//"` comment (Terraform's JSON syntax for comments): each string that says
/// `ptlint:ignore PT005 reason [expires=YYYY-MM-DD]`.
fn comment_suppressions(body: &Node) -> Vec<InlineSuppression> {
    let Some(comment) = body.get("//") else { return Vec::new() };
    let strings: Vec<&Node> = match &comment.value {
        Value::Array(items) => items.iter().collect(),
        _ => vec![comment],
    };
    strings
        .into_iter()
        .filter_map(|node| {
            let text = node.as_str()?;
            let at = text.find("ptlint:ignore")?;
            InlineSuppression::from_text(&text[at + "ptlint:ignore".len()..], node.span)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::json::parse_json;

    fn hcl(json: &str) -> String {
        let root = parse_json(json).expect("json");
        translate(&root, json, 0).expect("translates").hcl
    }

    #[test]
    fn blocks_and_arguments_are_written_as_hcl() {
        let text = hcl(r#"{"resource": {"aws_x": {"a": {"count": 2, "name": "n-${var.env}", "provider": "aws.west",
                "tags": {"k": "v"}, "depends_on": ["aws_y.b"]}}},
               "variable": {"env": {"default": "${not-a-template}", "type": "string"}}}"#);
        let body = hcl_edit::parser::parse_body(&text).expect("valid HCL");
        let resource = body.blocks().next().expect("resource");
        assert_eq!(resource.labels.iter().map(|l| l.as_str()).collect::<Vec<_>>(), ["aws_x", "a"]);
        assert!(resource.body.get_attribute("count").is_some());
        assert!(resource.body.get_attribute("depends_on").is_none());
        assert!(matches!(
            resource.body.get_attribute("provider").map(|a| &a.value),
            Some(hcl_edit::expr::Expression::Traversal(_))
        ));
        let variable = body.blocks().nth(1).expect("variable");
        let default = variable.body.get_attribute("default").expect("default");
        assert_eq!(default.value.as_str(), Some("${not-a-template}"), "{text}");
    }

    #[test]
    fn positions_map_back_to_the_json() {
        let json = "{\"resource\": {\"aws_x\": {\"a\": {\n  \"units\": \"${var.u}\"\n}}}}";
        let root = parse_json(json).expect("json");
        let translation = translate(&root, json, 0).expect("translates");
        let body = hcl_edit::parser::parse_body(&translation.hcl).expect("valid HCL");
        let resource = body.blocks().next().expect("resource");
        let value = &resource.body.get_attribute("units").expect("units").value;
        let range = hcl_edit::Span::span(value).expect("span");
        let (start, end) = (translation.map.start(range.start), translation.map.end(range.end));
        assert_eq!(&json[start..end], "\"${var.u}\"");
    }

    /// A broken expression inside a JSON string is an error at its place in the `.tf.json` file.
    #[test]
    fn expression_errors_point_into_the_json() {
        let json = "{\"resource\": {\"aws_x\": {\"a\": {\n  \"units\": \"${var.u +}\"\n}}}}";
        let err =
            crate::source::hcl::parse::SourceFile::parse("main.tf.json".into(), json.into()).err().expect("error");
        assert_eq!(err.line, 2, "{err:?}");
        assert!(err.message.starts_with("HCL syntax error"), "{err:?}");
        let err =
            crate::source::hcl::parse::SourceFile::parse("main.tf.json".into(), "[1]".into()).err().expect("error");
        assert!(err.message.contains("one JSON object"), "{err:?}");
    }

    /// Every prefix of a real `.tf.json`, and the whole with each byte changed, parses or fails without a panic.
    #[test]
    fn truncated_and_corrupted_json_never_panics() {
        let text = include_str!("../../../fixtures/hcl-agreement/json-syntax/main.tf.json");
        let parse = |t: &str| crate::source::hcl::parse::SourceFile::parse("main.tf.json".into(), t.into()).map(|_| ());
        assert!(parse(text).is_ok());
        for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let _ = parse(&text[..end]);
        }
        for (i, replacement) in
            text.char_indices().map(|(i, _)| i).zip(["\\", "\"", "}", "{", "$", "\u{e9}"].iter().cycle())
        {
            let mut changed = text.to_string();
            let end = i + text[i..].chars().next().map_or(0, char::len_utf8);
            changed.replace_range(i..end, replacement);
            let _ = parse(&changed);
        }
    }
}
