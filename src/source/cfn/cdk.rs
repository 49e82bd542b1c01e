//! CDK `AwsCustomResource` (`Custom::AWS`): find `createProvisionedModelThroughput` in the `Create` JSON, even when built by `Fn::Join`.

use super::intrinsics::Scope;
use super::read_tags;
use crate::model::{Commitment, Field, PtShape, Resolved, Spanned, Throughput};
use crate::source::json::parse_json;
use crate::source::node::{Node, Span, Value};

const PT_ACTIONS: &[&str] = &["createprovisionedmodelthroughput", "createprovisionedmodelthroughputcommand"];

/// One piece of the assembled SDK-call JSON: literal text, or an intrinsic we could not make literal.
struct Piece {
    /// Byte range of this piece in the assembled text.
    start: usize,
    end: usize,
    span: Span,
    /// For a placeholder, what the template says instead of a literal.
    unresolved: Option<Resolved<String>>,
}

/// Read a `Custom::AWS` resource whose `Create` (or `Update`) calls Bedrock's createProvisionedModelThroughput.
pub fn read_aws_custom_resource(id: &str, span: Span, props: &Node, scope: &Scope) -> Option<Throughput> {
    ["Create", "Update"].iter().find_map(|key| {
        let call = props.get(key)?;
        read_call(id, span, call, scope)
    })
}

fn read_call(id: &str, span: Span, call: &Node, scope: &Scope) -> Option<Throughput> {
    let (text, pieces) = assemble(call, scope)?;
    let sdk_call = parse_json(&text).ok()?;
    let action = sdk_call.get("action")?.as_str()?.to_ascii_lowercase();
    let service = sdk_call.get("service").and_then(Node::as_str).unwrap_or("").to_ascii_lowercase();
    if !PT_ACTIONS.contains(&action.as_str()) || !service.contains("bedrock") {
        return None;
    }
    let params = sdk_call.get("parameters");
    let param = |names: &[&str]| params.and_then(|p| p.get_any(names));
    let to_source = |node: &Node| source_span(&pieces, node.span, call.span);
    let string_field = |node: &Node| -> Field<String> { Spanned::new(resolve_inner(node, &pieces), to_source(node)) };
    let (commitment, commitment_explicit) = match param(&["commitmentDuration", "CommitmentDuration"]) {
        Some(node) => {
            let value = match resolve_inner(node, &pieces) {
                Resolved::Known(text) => match Commitment::parse(&text) {
                    Some(c) => Resolved::Known(c),
                    None => Resolved::Unresolved(format!("`{text}` is not a commitment term")),
                },
                Resolved::Ref(r) => Resolved::Ref(r),
                Resolved::Unresolved(why) => Resolved::Unresolved(why),
            };
            (Spanned::new(value, to_source(node)), true)
        }
        None => (Spanned::new(Resolved::Known(Commitment::NoCommitment), span), false),
    };
    let model_units = param(&["modelUnits", "ModelUnits"]).map(|node| {
        let value = match resolve_inner(node, &pieces) {
            Resolved::Known(text) => match text.trim().parse::<u32>() {
                Ok(n) => Resolved::Known(n),
                Err(_) => Resolved::Unresolved(format!("`{text}` is not a whole number")),
            },
            Resolved::Ref(r) => Resolved::Ref(r),
            Resolved::Unresolved(why) => Resolved::Unresolved(why),
        };
        Spanned::new(value, to_source(node))
    });
    let tags = param(&["tags", "Tags"]).map(|t| read_tags(t, scope)).unwrap_or_default();
    Some(Throughput {
        resource: id.to_string(),
        span,
        resource_type: "Custom::AWS".to_string(),
        shape: PtShape::CdkAwsCustomResource,
        name: param(&["provisionedModelName", "ProvisionedModelName"]).map(string_field),
        model: param(&["modelId", "ModelId"]).map(string_field),
        model_units,
        commitment,
        commitment_explicit,
        tags,
        region: None,
        plan_action: None,
        arn: None,
        suppressions: Vec::new(),
    })
}

fn placeholder(index: usize) -> String {
    format!("@@ptlint{index}@@")
}

/// Build the SDK-call JSON text from a literal string, `Fn::Join` or `Fn::Sub`, putting placeholders where
/// intrinsics stay symbolic (quoted when they stand outside a JSON string, bare inside one).
fn assemble(call: &Node, scope: &Scope) -> Option<(String, Vec<Piece>)> {
    let mut text = String::new();
    let mut pieces = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut push_literal = |text: &mut String, pieces: &mut Vec<Piece>, literal: &str, span: Span| {
        let start = text.len();
        text.push_str(literal);
        for c in literal.chars() {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = !in_string,
                _ => {}
            }
        }
        pieces.push(Piece { start, end: text.len(), span, unresolved: None });
        in_string
    };
    let push_symbolic =
        |text: &mut String, pieces: &mut Vec<Piece>, value: Resolved<String>, span: Span, inside: bool| {
            let start = text.len();
            let token = placeholder(pieces.len());
            if inside {
                text.push_str(&token);
            } else {
                text.push('"');
                text.push_str(&token);
                text.push('"');
            }
            pieces.push(Piece { start, end: text.len(), span, unresolved: Some(value) });
        };
    match &call.value {
        Value::String(s) => {
            push_literal(&mut text, &mut pieces, s, call.span);
        }
        Value::Object(_) if call.get("Fn::Join").is_some() => {
            let args = call.get("Fn::Join")?.as_array()?;
            let delimiter = args.first()?.as_str()?;
            let parts = args.get(1)?.as_array()?;
            let mut inside = false;
            for (i, part) in parts.iter().enumerate() {
                if i > 0 && !delimiter.is_empty() {
                    inside = push_literal(&mut text, &mut pieces, delimiter, part.span);
                }
                match scope.string(part) {
                    Resolved::Known(literal) => inside = push_literal(&mut text, &mut pieces, &literal, part.span),
                    other => push_symbolic(&mut text, &mut pieces, other, part.span, inside),
                }
            }
        }
        Value::Object(_) if call.get("Fn::Sub").is_some() => {
            // Resolve what can be resolved; a Sub with symbolic parts keeps the whole template text.
            match scope.string(call) {
                Resolved::Known(literal) => {
                    push_literal(&mut text, &mut pieces, &literal, call.span);
                }
                _ => {
                    let template =
                        call.get("Fn::Sub").and_then(|s| s.as_str().or_else(|| s.as_array()?.first()?.as_str()))?;
                    push_literal(&mut text, &mut pieces, template, call.span);
                }
            }
        }
        _ => return None,
    }
    Some((text, pieces))
}

/// Resolve a value of the assembled JSON: literals are known, a lone placeholder is what the template put there.
fn resolve_inner(node: &Node, pieces: &[Piece]) -> Resolved<String> {
    match &node.value {
        Value::String(s) => {
            if let Some(index) =
                s.strip_prefix("@@ptlint").and_then(|r| r.strip_suffix("@@")).and_then(|i| i.parse::<usize>().ok())
            {
                if let Some(Piece { unresolved: Some(value), .. }) = pieces.get(index) {
                    return value.clone();
                }
            }
            if s.contains("@@ptlint") {
                Resolved::Unresolved("built from template parameters".into())
            } else {
                Resolved::Known(s.clone())
            }
        }
        Value::Number(n) => Resolved::Known(n.clone()),
        Value::Bool(b) => Resolved::Known(b.to_string()),
        _ => Resolved::Unresolved("not a scalar".into()),
    }
}

/// The source span of a node of the assembled JSON: the piece of the template it came from.
fn source_span(pieces: &[Piece], inner: Span, fallback: Span) -> Span {
    pieces.iter().find(|p| p.start <= inner.start && inner.start < p.end).map(|p| p.span).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_with_parameter_inside_the_json() {
        let root = parse_json(
            r#"{"Parameters": {"ChatUnits": {"Type": "Number"}},
 "Create": {"Fn::Join": ["", ["{\"service\":\"Bedrock\",\"action\":\"createProvisionedModelThroughput\",\"parameters\":{\"modelUnits\":", {"Ref": "ChatUnits"}, ",\"commitmentDuration\":\"SixMonths\",\"modelId\":\"amazon.titan-text-express-v1:0:8k\",\"provisionedModelName\":\"chat\"}}"]]}}"#,
        )
        .unwrap();
        let scope = Scope { parameters: root.get("Parameters"), mappings: None, region: None };
        let pt = read_aws_custom_resource("Chat", Span::default(), &root, &scope).unwrap();
        assert_eq!(
            pt.model_units.as_ref().unwrap().value,
            Resolved::Ref(crate::model::Reference::CfnRef("ChatUnits".into()))
        );
        // The units point at the `{"Ref": "ChatUnits"}` part of the join.
        assert_eq!(pt.model_units.unwrap().span.line, 2);
        assert_eq!(pt.commitment.value, Resolved::Known(Commitment::SixMonths));
        assert_eq!(pt.model.unwrap().value, Resolved::Known("amazon.titan-text-express-v1:0:8k".into()));
    }

    #[test]
    fn other_sdk_calls_are_not_throughputs() {
        let root =
            parse_json(r#"{"Create": "{\"service\":\"SSM\",\"action\":\"GetParameter\",\"parameters\":{}}"}"#).unwrap();
        let scope = Scope { parameters: None, mappings: None, region: None };
        assert!(read_aws_custom_resource("P", Span::default(), &root, &scope).is_none());
    }
}
