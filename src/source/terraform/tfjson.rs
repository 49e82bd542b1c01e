//! Terraform `.tf.json` native syntax: blocks as nested objects, `${...}` interpolations resolved where literal.

use super::{parse_reference, Attrs, TfRef, ALARM_TYPE, BUDGET_TYPE, CUSTOM_MODEL_TYPE, PT_TYPE};
use crate::model::{Document, Field, Format, InlineSuppression, Reference, Resolved, Spanned};
use crate::source::node::{Key, Node, Value};

/// Does this JSON document use Terraform's JSON syntax?
pub fn is_tf_json(root: &Node) -> bool {
    root.as_object().is_some_and(|entries| {
        entries.iter().any(|(k, _)| {
            matches!(k.name.as_str(), "resource" | "data" | "variable" | "provider" | "terraform" | "module" | "locals")
        })
    })
}

/// Blocks under a label may be one object or an array of objects (JSON syntax allows both).
fn bodies(node: &Node) -> Vec<&Node> {
    match &node.value {
        Value::Array(items) => items.iter().filter(|i| i.as_object().is_some()).collect(),
        Value::Object(_) => vec![node],
        _ => Vec::new(),
    }
}

/// `{"resource": {TYPE: {NAME: body}}}` -> (type, name key, body).
fn labelled<'a>(root: &'a Node, block: &str) -> Vec<(&'a str, &'a Key, &'a Node)> {
    let mut out = Vec::new();
    for section in root.get(block).map(bodies).unwrap_or_default() {
        for (kind, by_name) in section.as_object().unwrap_or_default() {
            for names in bodies(by_name) {
                for (name, body) in names.as_object().unwrap_or_default() {
                    for body in bodies(body) {
                        out.push((kind.name.as_str(), name, body));
                    }
                }
            }
        }
    }
    out
}

struct Ctx<'a> {
    root: &'a Node,
}

/// Read a `.tf.json` file; `path` is its display path (the files of one directory are one configuration).
pub fn read(root: &Node, path: &str) -> Document {
    let ctx = Ctx { root };
    let mut doc = Document::empty(Format::TerraformJson);
    let dir = std::path::Path::new(path).parent().map(|d| d.to_string_lossy().replace('\\', "/"));
    doc.scope = Some(format!("tf-json:{}", dir.unwrap_or_default()));
    doc.region = ctx.provider_region();
    for (kind, name, body) in labelled(root, "resource") {
        if name.name == "//" {
            continue;
        }
        let address = format!("{kind}.{}", name.name);
        let attrs = JsonAttrs { body, ctx: &ctx };
        match kind {
            PT_TYPE => {
                let mut pt = super::throughput(&address, name.span, &attrs, None);
                pt.suppressions = comment_suppressions(body);
                doc.throughputs.push(pt);
            }
            CUSTOM_MODEL_TYPE => doc.custom_models.push(super::custom_model(&address, name.span, &attrs)),
            ALARM_TYPE => doc.alarms.push(super::alarm(&address, name.span, &attrs)),
            BUDGET_TYPE => doc.budgets.push(super::budget(&address, name.span, &attrs)),
            _ => {}
        }
    }
    doc
}

/// Suppressions in a resource's `"//"` comment key (Terraform's JSON syntax for comments): each string that
/// says `ptlint:ignore PT005 reason [expires=YYYY-MM-DD]`.
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

/// Interpolation nests only through locals and variables; this bounds hostile cycles.
const MAX_RESOLVE_DEPTH: usize = 16;

impl Ctx<'_> {
    fn provider_region(&self) -> Option<String> {
        let providers = self.root.get("provider").map(bodies).unwrap_or_default();
        let aws = providers.iter().filter_map(|p| p.get("aws")).flat_map(bodies).find(|b| b.get("alias").is_none())?;
        self.string(aws.get("region")?, 0).known().cloned()
    }

    /// Resolve a string template; a template that is one interpolation yields that expression's value.
    fn string(&self, node: &Node, depth: usize) -> Resolved<String> {
        if depth > MAX_RESOLVE_DEPTH {
            return Resolved::Unresolved("interpolation nested too deeply".into());
        }
        let text = match &node.value {
            Value::String(s) => s,
            Value::Null => return Resolved::Unresolved("null".into()),
            Value::Array(_) | Value::Object(_) => return Resolved::Unresolved("not a single value".into()),
            _ => return node.scalar_text().map_or(Resolved::Unresolved("unknown".into()), Resolved::Known),
        };
        if text.contains("%{") {
            return Resolved::Unresolved("template directive".into());
        }
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(open) = rest.find("${") {
            out.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            let Some(close) = after.find('}') else {
                return Resolved::Unresolved(format!("unterminated interpolation in `{text}`"));
            };
            let expression = after[..close].trim();
            match self.expression(expression, depth) {
                Resolved::Known(v) => out.push_str(&v),
                other if text.trim() == format!("${{{}}}", &after[..close]) => return other,
                _ => return Resolved::Unresolved(format!("template `{text}`")),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Resolved::Known(out)
    }

    fn expression(&self, expression: &str, depth: usize) -> Resolved<String> {
        match parse_reference(expression, "") {
            Some(TfRef::Var(name)) => match self
                .root
                .get("variable")
                .map(bodies)
                .unwrap_or_default()
                .iter()
                .find_map(|v| v.path(&[&name, "default"]))
            {
                // A null default is a value: null (for `commitment_duration`, no commitment).
                Some(default) if default.is_null() => Resolved::Unresolved("null".into()),
                // Variable defaults are literal values: no templating inside them.
                Some(default) if !matches!(default.value, Value::Array(_) | Value::Object(_)) => {
                    default.scalar_text().map_or(Resolved::Unresolved(format!("var.{name}")), Resolved::Known)
                }
                _ => Resolved::Unresolved(format!("var.{name} has no default")),
            },
            Some(TfRef::Local(name)) => {
                match self.root.get("locals").map(bodies).unwrap_or_default().iter().find_map(|l| l.get(&name)) {
                    Some(value) => self.string(value, depth + 1),
                    None => Resolved::Unresolved(format!("local.{name}")),
                }
            }
            Some(TfRef::Object(Reference::Terraform { address, attribute })) if address.starts_with("data.") => self
                .data_attribute(&address, attribute.as_deref(), depth)
                .unwrap_or(Resolved::Ref(Reference::Terraform { address, attribute })),
            Some(TfRef::Object(reference)) => Resolved::Ref(reference),
            None => Resolved::Unresolved(format!("expression `{expression}`")),
        }
    }

    /// A literal attribute of a data block; the foundation-model data source's ARN is known through its `model_id`.
    fn data_attribute(&self, address: &str, attribute: Option<&str>, depth: usize) -> Option<Resolved<String>> {
        let mut parts = address.splitn(3, '.').skip(1);
        let (kind, name) = (parts.next()?, super::strip_index(parts.next()?));
        let body = labelled(self.root, "data").into_iter().find(|(k, n, _)| *k == kind && n.name == name)?.2;
        let attribute = attribute.unwrap_or("id");
        let node = body.get(attribute).or_else(|| {
            (kind == "aws_bedrock_foundation_model" && attribute == "model_arn").then(|| body.get("model_id")).flatten()
        })?;
        Some(self.string(node, depth + 1))
    }
}

struct JsonAttrs<'a> {
    body: &'a Node,
    ctx: &'a Ctx<'a>,
}

impl Attrs for JsonAttrs<'_> {
    fn string(&self, name: &str) -> Option<Field<String>> {
        let node = self.body.get(name)?;
        Some(Spanned::new(self.ctx.string(node, 0), node.span))
    }

    fn map_entry(&self, name: &str, key: &str) -> Option<Field<String>> {
        let map = self.body.get(name)?;
        match map.get(key) {
            Some(node) => Some(Spanned::new(self.ctx.string(node, 0), node.span)),
            // A whole map given as one interpolation cannot be looked into.
            None => map.as_str().map(|_| Spanned::new(Resolved::Unresolved(format!("{name} computed")), map.span)),
        }
    }

    fn string_map(&self, name: &str) -> Vec<(String, String)> {
        self.body
            .get(name)
            .and_then(Node::as_object)
            .unwrap_or_default()
            .iter()
            .filter(|(k, _)| k.name != "//")
            .filter_map(|(k, v)| Some((k.name.clone(), self.ctx.string(v, 0).known()?.clone())))
            .collect()
    }

    fn string_list(&self, name: &str) -> Vec<String> {
        match self.body.get(name) {
            Some(node) => match node.as_array() {
                Some(items) => items.iter().filter_map(|i| self.ctx.string(i, 0).known().cloned()).collect(),
                None => self.ctx.string(node, 0).known().cloned().into_iter().collect(),
            },
            None => Vec::new(),
        }
    }

    fn literal(&self, name: &str) -> Option<String> {
        let text = self.body.get(name)?.as_str()?;
        (!text.contains("${") && !text.contains("%{")).then(|| text.to_string())
    }

    fn blocks(&self, name: &str) -> Vec<Box<dyn Attrs + '_>> {
        self.body
            .get(name)
            .map(bodies)
            .unwrap_or_default()
            .into_iter()
            .map(|body| Box::new(JsonAttrs { body, ctx: self.ctx }) as Box<dyn Attrs + '_>)
            .collect()
    }
}
