//! CloudFormation intrinsic functions: resolve what is literal (parameter defaults, mappings, joins), keep the rest symbolic.

use std::cell::{Cell, RefCell};

use super::sub_template::{sub_tokens, SubPiece, SubToken};
use crate::model::{Reference, Resolved};
use crate::source::node::{Node, Span, Value};

/// Pseudo parameters whose value depends on the deployment, never on the template.
const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// What a template declares that intrinsics may refer to, and what evaluating them has cost so far.
pub struct Scope<'a> {
    pub parameters: Option<&'a Node>,
    pub mappings: Option<&'a Node>,
    /// Region to substitute for `AWS::Region`, if the user supplied one.
    pub region: Option<&'a str>,
    /// The template's text, for pointing inside string values (the JSON in a CDK `Create`).
    pub source: Option<&'a str>,
    /// Bytes of text built by intrinsic functions so far (copies of parameter defaults and mapping values,
    /// `Fn::Sub`, `Fn::Join` and `Fn::Select` results), against [`MAX_INTRINSIC_BYTES`].
    built: Cell<usize>,
    /// Where the value being resolved was written and the intrinsic function it calls, for the error when the
    /// budget runs out.
    resolving: Cell<(Span, &'static str)>,
    /// The first place the budget ran out, and what was being built there.
    exhausted: RefCell<Option<(Span, String)>>,
}

/// How deep intrinsics may nest before we stop resolving (templates are shallow; hostile input is not).
const MAX_RESOLVE_DEPTH: usize = 32;

/// Most bytes of text intrinsic functions may build for one template: 16 MiB, sixteen times the largest template
/// CloudFormation accepts (1 MB in S3, 4,096 bytes per parameter value: "CloudFormation quotas",
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). A template may
/// still make `Fn::Sub` or `Fn::Join` repeat a large parameter default thousands of times; past the budget the
/// value is unknown and the template gets an input error, instead of the run building gigabytes.
pub const MAX_INTRINSIC_BYTES: usize = 16 * 1024 * 1024;

/// Why a value is unknown once the budget has run out.
fn over_budget() -> String {
    format!("intrinsic functions of this template built more than {} MiB of text", MAX_INTRINSIC_BYTES >> 20)
}

impl<'a> Scope<'a> {
    pub fn new(
        parameters: Option<&'a Node>,
        mappings: Option<&'a Node>,
        region: Option<&'a str>,
        source: Option<&'a str>,
    ) -> Scope<'a> {
        Scope {
            parameters,
            mappings,
            region,
            source,
            built: Cell::new(0),
            resolving: Cell::new((Span::default(), "")),
            exhausted: RefCell::new(None),
        }
    }

    /// Where, and building what, the template first went past [`MAX_INTRINSIC_BYTES`]; `None` if it never did.
    pub fn budget_exhausted(&self) -> Option<(Span, String)> {
        self.exhausted.borrow().clone()
    }

    /// Count `bytes` about to be built; past the budget, why the value is unknown instead.
    fn charge(&self, bytes: usize) -> Result<(), Resolved<String>> {
        let built = self.built.get().saturating_add(bytes);
        if built > MAX_INTRINSIC_BYTES {
            self.exhausted.borrow_mut().get_or_insert_with(|| {
                let (span, function) = self.resolving.get();
                let message = format!(
                    "{function} would build more than the {} MiB of text intrinsic functions may build for one \
                     template",
                    MAX_INTRINSIC_BYTES >> 20
                );
                (span, message)
            });
            return Err(Resolved::Unresolved(over_budget()));
        }
        self.built.set(built);
        Ok(())
    }

    /// Resolve a node to a string where the template alone determines it.
    pub fn string(&self, node: &Node) -> Resolved<String> {
        const BUILDERS: &[&str] = &["Ref", "Fn::Sub", "Fn::Join", "Fn::FindInMap", "Fn::Select", "Fn::ImportValue"];
        let function = match &node.value {
            Value::Object(entries) if entries.len() == 1 => {
                BUILDERS.iter().find(|name| **name == entries[0].0.name).copied().unwrap_or("an intrinsic function")
            }
            _ => "a value",
        };
        self.resolving.set((node.span, function));
        self.string_at(node, 0)
    }
}

impl Scope<'_> {
    fn string_at(&self, node: &Node, depth: usize) -> Resolved<String> {
        if depth > MAX_RESOLVE_DEPTH {
            return Resolved::Unresolved("intrinsic functions nested too deeply".into());
        }
        match &node.value {
            // A value written where it is used costs nothing; one copied from a parameter default or a mapping
            // (depth > 0) is text the evaluation builds.
            Value::String(s) | Value::Number(s) => match depth {
                0 => Resolved::Known(s.clone()),
                _ => self.charge(s.len()).map_or_else(|why| why, |()| Resolved::Known(s.clone())),
            },
            Value::Bool(b) => Resolved::Known(b.to_string()),
            Value::Null => Resolved::Unresolved("null".into()),
            Value::Array(_) => Resolved::Unresolved("a list".into()),
            Value::Object(entries) if entries.len() == 1 => {
                let (key, arg) = (&entries[0].0.name, &entries[0].1);
                self.function(key, arg, depth)
            }
            Value::Object(_) => Resolved::Unresolved("an object".into()),
        }
    }

    fn function(&self, name: &str, arg: &Node, depth: usize) -> Resolved<String> {
        match name {
            "Ref" => match arg.as_str() {
                Some(target) => self.reference(target, depth),
                None => Resolved::Unresolved("Ref to a non-string".into()),
            },
            "Fn::GetAtt" => match get_att_parts(arg) {
                Some((id, attr)) => Resolved::Ref(Reference::CfnGetAtt(id, attr)),
                None => Resolved::Unresolved("malformed Fn::GetAtt".into()),
            },
            "Fn::ImportValue" => match self.string_at(arg, depth + 1) {
                Resolved::Known(export) => Resolved::Ref(Reference::CfnImport(export)),
                _ => Resolved::Unresolved("Fn::ImportValue of a computed name".into()),
            },
            "Fn::Sub" => self.sub(arg, depth),
            "Fn::Join" => self.join(arg, depth),
            "Fn::FindInMap" => self.find_in_map(arg, depth),
            "Fn::Select" => self.select(arg, depth),
            "Fn::If" => {
                let condition = arg.as_array().and_then(|a| a.first()).and_then(Node::as_str).unwrap_or("?");
                Resolved::Unresolved(format!("depends on condition `{condition}`"))
            }
            other => Resolved::Unresolved(format!("computed by {other}")),
        }
    }

    fn reference(&self, target: &str, depth: usize) -> Resolved<String> {
        if target == "AWS::Region" {
            if let Some(region) = self.region {
                return Resolved::Known(region.to_string());
            }
        }
        if PSEUDO_PARAMETERS.contains(&target) {
            return Resolved::Unresolved(format!("pseudo parameter {target}"));
        }
        if let Some(param) = self.parameters.and_then(|p| p.get(target)) {
            return match param.get("Default") {
                Some(default) => match self.string_at(default, depth + 1) {
                    Resolved::Known(v) => Resolved::Known(v),
                    // Past the budget the value is unknown, not the parameter a deployment would fill in.
                    why @ Resolved::Unresolved(_) if self.exhausted.borrow().is_some() => why,
                    _ => Resolved::Ref(Reference::CfnRef(target.to_string())),
                },
                None => Resolved::Ref(Reference::CfnRef(target.to_string())),
            };
        }
        Resolved::Ref(Reference::CfnRef(target.to_string()))
    }

    /// `Fn::Sub`: substitute parameters (with defaults) and explicit variables; any `${Res.Attr}` stays unresolved.
    fn sub(&self, arg: &Node, depth: usize) -> Resolved<String> {
        let (template, vars) = match &arg.value {
            Value::String(s) => (s.as_str(), None),
            Value::Array(items) if !items.is_empty() => match items[0].as_str() {
                Some(s) => (s, items.get(1)),
                None => return Resolved::Unresolved("malformed Fn::Sub".into()),
            },
            _ => return Resolved::Unresolved("malformed Fn::Sub".into()),
        };
        let mut out = String::new();
        let mut only_reference = None;
        // The literal text just before a variable is charged with the variable's value; text before an escape
        // or an unterminated `${` is not charged.
        let mut text_len = 0;
        for SubToken { piece, .. } in sub_tokens(template) {
            match piece {
                SubPiece::Text(text) => {
                    out.push_str(text);
                    text_len = text.len();
                    continue;
                }
                // `${!Literal}` is an escaped, literal `${Literal}`.
                SubPiece::Escaped(literal) => out.push_str(&format!("${{{literal}}}")),
                // An unterminated escape still reads as the literal it would be; any other `${` stays as written.
                SubPiece::Unterminated(rest) => match rest.strip_prefix("${!") {
                    Some(literal) => out.push_str(&format!("${{{literal}}}")),
                    None => out.push_str(rest),
                },
                SubPiece::Var(name) => match self.sub_variable(name.trim(), vars, depth + 1) {
                    Resolved::Known(v) => {
                        if let Err(why) = self.charge(text_len + v.len()) {
                            return why;
                        }
                        out.push_str(&v)
                    }
                    other => {
                        if self.exhausted.borrow().is_some() {
                            return other;
                        }
                        if template.trim() == format!("${{{name}}}") {
                            only_reference = Some(other);
                        } else {
                            return Resolved::Unresolved(format!("Fn::Sub of `{template}`"));
                        }
                    }
                },
            }
            text_len = 0;
        }
        if let Some(reference) = only_reference {
            return reference;
        }
        if let Err(why) = self.charge(text_len) {
            return why;
        }
        Resolved::Known(out)
    }

    /// The value of one `${Name}` of an `Fn::Sub`: an explicit variable, `${Res.Attr}`, or a `Ref`.
    pub fn sub_variable(&self, name: &str, vars: Option<&Node>, depth: usize) -> Resolved<String> {
        match vars.and_then(|v| v.get(name)) {
            Some(node) => self.string_at(node, depth + 1),
            None => match name.split_once('.') {
                Some((id, attr)) => Resolved::Ref(Reference::CfnGetAtt(id.to_string(), attr.to_string())),
                None => self.reference(name, depth + 1),
            },
        }
    }

    fn join(&self, arg: &Node, depth: usize) -> Resolved<String> {
        let parts = arg.as_array();
        let (Some(delimiter), Some(items)) = (
            parts.and_then(|p| p.first()).and_then(Node::as_str),
            parts.and_then(|p| p.get(1)).and_then(|n| self.list(n, depth)),
        ) else {
            return Resolved::Unresolved("Fn::Join of a computed list".into());
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match self.string_at(item, depth + 1) {
                Resolved::Known(v) => out.push(v),
                _ if self.exhausted.borrow().is_some() => return Resolved::Unresolved(over_budget()),
                _ => return Resolved::Unresolved("Fn::Join with computed parts".into()),
            }
        }
        let length = out.iter().map(String::len).sum::<usize>() + delimiter.len() * out.len().saturating_sub(1);
        if let Err(why) = self.charge(length) {
            return why;
        }
        Resolved::Known(out.join(delimiter))
    }

    /// A literal list, or a list parameter's default (comma-separated), as nodes.
    fn list<'n>(&self, node: &'n Node, _depth: usize) -> Option<Vec<&'n Node>> {
        node.as_array().map(|items| items.iter().collect())
    }

    fn find_in_map(&self, arg: &Node, depth: usize) -> Resolved<String> {
        let Some([map, first, second]) = arg.as_array().and_then(|a| <&[Node; 3]>::try_from(a.get(..3)?).ok()) else {
            return Resolved::Unresolved("malformed Fn::FindInMap".into());
        };
        let keys =
            [self.string_at(map, depth + 1), self.string_at(first, depth + 1), self.string_at(second, depth + 1)];
        let [Resolved::Known(m), Resolved::Known(k1), Resolved::Known(k2)] = keys else {
            return Resolved::Unresolved("Fn::FindInMap with computed keys".into());
        };
        match self.mappings.and_then(|maps| maps.path(&[&m, &k1, &k2])) {
            Some(value) => self.string_at(value, depth + 1),
            None => Resolved::Unresolved(format!("Fn::FindInMap key {m}/{k1}/{k2} not in Mappings")),
        }
    }

    fn select(&self, arg: &Node, depth: usize) -> Resolved<String> {
        let Some([index, list]) = arg.as_array().and_then(|a| <&[Node; 2]>::try_from(a.get(..2)?).ok()) else {
            return Resolved::Unresolved("malformed Fn::Select".into());
        };
        let Resolved::Known(i) = self.string_at(index, depth + 1) else {
            return Resolved::Unresolved("Fn::Select with a computed index".into());
        };
        let Ok(i) = i.parse::<usize>() else {
            return Resolved::Unresolved("Fn::Select with a non-numeric index".into());
        };
        if let Some(items) = list.as_array() {
            return match items.get(i) {
                Some(item) => self.string_at(item, depth + 1),
                None => Resolved::Unresolved("Fn::Select index out of range".into()),
            };
        }
        if let Some(split) = list.get("Fn::Split").and_then(Node::as_array) {
            if let (Some(delim), Some(source)) = (split.first().and_then(Node::as_str), split.get(1)) {
                if let Resolved::Known(text) = self.string_at(source, depth + 1) {
                    return match text.split(delim).nth(i) {
                        Some(part) => match self.charge(part.len()) {
                            Ok(()) => Resolved::Known(part.to_string()),
                            Err(why) => why,
                        },
                        None => Resolved::Unresolved("Fn::Select index out of range".into()),
                    };
                }
            }
        }
        Resolved::Unresolved("Fn::Select from a computed list".into())
    }

    /// An `Fn::Sub` or `Fn::Join` that builds a string around values the template does not give (a pseudo
    /// parameter, a parameter without a default, another resource's attribute): its pieces, each unknown one
    /// written as `Fn::Sub` would write it (`${AWS::AccountId}`, `${Job.Arn}`). `None` for anything else, or
    /// when the text is known (use [`Scope::string`]) or past the intrinsic budget.
    pub fn partial(&self, node: &Node) -> Option<Vec<Partial>> {
        let mut pieces = Vec::new();
        if let Some(arg) = node.get("Fn::Sub") {
            let (template, vars) = match &arg.value {
                Value::String(s) => (s.as_str(), None),
                Value::Array(items) => (items.first()?.as_str()?, items.get(1)),
                _ => return None,
            };
            // Each placeholder follows the text before it as a piece of its own, even when that text is empty.
            let mut text = "";
            for SubToken { piece, .. } in sub_tokens(template) {
                let placeholder = match piece {
                    SubPiece::Text(literal) => {
                        text = literal;
                        continue;
                    }
                    SubPiece::Unterminated(_) => return None,
                    SubPiece::Escaped(literal) => Partial::Text(format!("${{{literal}}}")),
                    SubPiece::Var(name) => match self.sub_variable(name.trim(), vars, 1) {
                        Resolved::Known(v) => Partial::Text(v),
                        _ => Partial::Hole(format!("${{{name}}}")),
                    },
                };
                pieces.push(Partial::Text(std::mem::take(&mut text).to_string()));
                pieces.push(placeholder);
            }
            pieces.push(Partial::Text(text.to_string()));
        } else if let Some([delimiter, items]) = node.get("Fn::Join").and_then(Node::as_array) {
            let delimiter = delimiter.as_str()?;
            for (i, item) in items.as_array()?.iter().enumerate() {
                if i > 0 {
                    pieces.push(Partial::Text(delimiter.to_string()));
                }
                pieces.push(match self.string_at(item, 1) {
                    Resolved::Known(v) => Partial::Text(v),
                    _ => Partial::Hole(written_hole(item)),
                });
            }
        } else {
            return None;
        }
        let unknown = pieces.iter().any(|p| matches!(p, Partial::Hole(_)));
        (unknown && self.exhausted.borrow().is_none()).then_some(pieces)
    }

    /// Resolve to a whole number (model units), accepting numbers and numeric strings.
    pub fn integer(&self, node: &Node) -> Resolved<u32> {
        self.string(node).into_units()
    }
}

/// A piece of a string an intrinsic function builds: text the template gives, or a value it does not, written
/// `${...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Partial {
    Text(String),
    Hole(String),
}

/// How `Fn::Sub` would write the value of `node`: `${Name}` for a `Ref`, `${Id.Attr}` for an `Fn::GetAtt`,
/// else `${Fn::...}` naming the function.
pub(super) fn written_hole(node: &Node) -> String {
    let inner = match node.get("Ref").and_then(Node::as_str) {
        Some(name) => name.to_string(),
        None => match node.get("Fn::GetAtt").and_then(get_att_parts) {
            Some((id, attr)) => format!("{id}.{attr}"),
            None => match &node.value {
                Value::Object(entries) if entries.len() == 1 => entries[0].0.name.clone(),
                _ => "...".to_string(),
            },
        },
    };
    format!("${{{inner}}}")
}

/// `Fn::GetAtt` as `[Id, Attr]` or the string `Id.Attr`.
pub fn get_att_parts(arg: &Node) -> Option<(String, String)> {
    match &arg.value {
        Value::String(s) => s.split_once('.').map(|(a, b)| (a.to_string(), b.to_string())),
        Value::Array(items) if items.len() == 2 => {
            Some((items[0].as_str()?.to_string(), items[1].scalar_text().unwrap_or_default()))
        }
        _ => None,
    }
}
