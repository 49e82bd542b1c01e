//! CDK `AwsCustomResource` (`Custom::AWS`): find `createProvisionedModelThroughput` in the `Create` JSON, even when built by `Fn::Join`.

use super::intrinsics::{written_hole, Scope};
use super::read_tags;
use super::sub_template::{sub_tokens, SubPiece, SubToken};
use crate::model::{Commitment, Field, PtShape, Resolved, Spanned, Throughput};
use crate::source::json::parse_json;
use crate::source::node::{LineIndex, Node, Span, Value};

const PT_ACTIONS: &[&str] = &["createprovisionedmodelthroughput", "createprovisionedmodelthroughputcommand"];

/// One piece of the assembled SDK-call JSON: literal text, or an intrinsic we could not make literal.
struct Piece {
    /// Byte range of this piece in the assembled text.
    start: usize,
    end: usize,
    span: Span,
    /// For a placeholder, what the template says instead of a literal.
    unresolved: Option<Resolved<String>>,
    /// For a placeholder, how `Fn::Sub` would write it (`${AWS::AccountId}`).
    written: String,
    /// For a literal copied from a string in the source: the source byte offset of each of its bytes (and one
    /// past the end), so a value inside the JSON can be pointed at exactly.
    offsets: Option<Vec<usize>>,
}

/// Read a `Custom::AWS` resource whose `Create` (or `Update`) calls Bedrock's createProvisionedModelThroughput.
pub fn read_aws_custom_resource(id: &str, span: Span, props: &Node, scope: &Scope) -> Option<Throughput> {
    let mut pt = ["Create", "Update"].iter().find_map(|key| {
        let call = props.get(key)?;
        read_call(id, span, call, scope)
    })?;
    // Without a `Delete` calling deleteProvisionedModelThroughput, deleting the stack (or replacing the
    // resource) calls nothing and the PT keeps billing (docs/facts.md).
    pt.deleted_with_stack = Some(props.get("Delete").is_some_and(|call| deletes_throughput(call, scope)));
    Some(pt)
}

const DELETE_ACTIONS: &[&str] = &["deleteprovisionedmodelthroughput", "deleteprovisionedmodelthroughputcommand"];

/// Whether a `Delete` SDK call (a JSON string, or one built by `Fn::Join`) deletes a PT.
fn deletes_throughput(call: &Node, scope: &Scope) -> bool {
    let Some((text, _)) = assemble(call, scope) else { return false };
    let Ok(sdk_call) = parse_json(&text) else { return false };
    let action = sdk_call.get("action").and_then(Node::as_str).unwrap_or("").to_ascii_lowercase();
    DELETE_ACTIONS.contains(&action.as_str())
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
    let index = scope.source.map(LineIndex::new);
    let to_source = |node: &Node| match (scope.source, &index) {
        (Some(text), Some(index)) => source_span(&pieces, node.span, call.span, text, index),
        _ => containing_piece(&pieces, node.span).map_or(call.span, |p| p.span),
    };
    let string_field = |node: &Node| -> Field<String> { Spanned::new(resolve_inner(node, &pieces), to_source(node)) };
    let (commitment, commitment_explicit) = match param(&["commitmentDuration", "CommitmentDuration"]) {
        Some(node) => (Spanned::new(resolve_inner(node, &pieces).into_commitment(), to_source(node)), true),
        None => (Spanned::new(Resolved::Known(Commitment::NoCommitment), span), false),
    };
    let model_units = param(&["modelUnits", "ModelUnits"])
        .map(|node| Spanned::new(resolve_inner(node, &pieces).into_units(), to_source(node)));
    let tags = param(&["tags", "Tags"]).map(|t| read_tags(t, scope)).unwrap_or_default();
    Some(Throughput {
        resource: id.to_string(),
        span,
        resource_type: "Custom::AWS".to_string(),
        shape: PtShape::CdkAwsCustomResource,
        name: param(&["provisionedModelName", "ProvisionedModelName"]).map(string_field),
        model: param(&["modelId", "ModelId"]).map(|node| Spanned::new(resolve_model(node, &pieces), to_source(node))),
        model_units,
        commitment,
        commitment_explicit,
        commitment_options: Vec::new(),
        tags,
        region: None,
        plan_action: None,
        prior_commitment: None,
        rejections: Vec::new(),
        arn: None,
        suppressions: Vec::new(),
        prior: None,
        instances_unknown: None,
        deleted_with_stack: None,
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
    let source = scope.source;
    // `known` gives the source offsets of a literal when the caller knows them better than the node span does.
    let mut push_literal =
        |text: &mut String, pieces: &mut Vec<Piece>, literal: &str, span: Span, known: Option<Vec<usize>>| {
            let start = text.len();
            let offsets = known.or_else(|| source.and_then(|s| string_offsets(s, span, literal)));
            text.push_str(literal);
            for c in literal.chars() {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = !in_string,
                    _ => {}
                }
            }
            pieces.push(Piece { start, end: text.len(), span, unresolved: None, written: String::new(), offsets });
            in_string
        };
    let push_symbolic = |text: &mut String,
                         pieces: &mut Vec<Piece>,
                         value: Resolved<String>,
                         written: String,
                         span: Span,
                         inside: bool,
                         at: Option<(usize, usize)>| {
        let start = text.len();
        let token = placeholder(pieces.len());
        if inside {
            text.push_str(&token);
        } else {
            text.push('"');
            text.push_str(&token);
            text.push('"');
        }
        let offsets = at.map(|(from, to)| spread(from, to, text.len() - start));
        pieces.push(Piece { start, end: text.len(), span, unresolved: Some(value), written, offsets });
    };
    match &call.value {
        Value::String(s) => {
            push_literal(&mut text, &mut pieces, s, call.span, None);
        }
        Value::Object(_) if call.get("Fn::Join").is_some() => {
            let args = call.get("Fn::Join")?.as_array()?;
            let delimiter = args.first()?.as_str()?;
            let parts = args.get(1)?.as_array()?;
            let mut inside = false;
            for (i, part) in parts.iter().enumerate() {
                if i > 0 && !delimiter.is_empty() {
                    inside = push_literal(&mut text, &mut pieces, delimiter, part.span, None);
                }
                match scope.string(part) {
                    Resolved::Known(literal) => {
                        inside = push_literal(&mut text, &mut pieces, &literal, part.span, None)
                    }
                    other => push_symbolic(&mut text, &mut pieces, other, written_hole(part), part.span, inside, None),
                }
            }
        }
        Value::Object(_) if call.get("Fn::Sub").is_some() => {
            let arg = call.get("Fn::Sub")?;
            let template_node = match &arg.value {
                Value::String(_) => arg,
                _ => arg.as_array()?.first()?,
            };
            let template = template_node.as_str()?;
            let vars = arg.as_array().and_then(|a| a.get(1));
            // Where each byte of the template sits in the source, so values inside it can be pointed at.
            let offsets = source.and_then(|s| string_offsets(s, template_node.span, template));
            let slice = |from: usize, to: usize| offsets.as_ref().and_then(|o| o.get(from..=to)).map(<[usize]>::to_vec);
            let at = |from: usize, to: usize| offsets.as_ref().and_then(|o| Some((*o.get(from)?, *o.get(to)?)));
            // Literal runs stay literal; each `${Name}` is resolved, or becomes a placeholder, after a literal piece
            // for the text before it, even an empty one (placeholders are numbered by piece).
            let mut done = 0;
            for SubToken { piece, range } in sub_tokens(template) {
                let (open, end) = (range.start, range.end);
                match piece {
                    SubPiece::Text(_) => continue,
                    SubPiece::Unterminated(_) => return None,
                    SubPiece::Escaped(_) | SubPiece::Var(_) => {}
                }
                let inside =
                    push_literal(&mut text, &mut pieces, &template[done..open], template_node.span, slice(done, open));
                // The name between the braces is trimmed before the escape mark is looked for, so `${ !X}` is
                // read as an escape here.
                let name = template[open + 2..end - 1].trim();
                let value = match name.strip_prefix('!') {
                    Some(literal) => Resolved::Known(format!("${{{literal}}}")),
                    None => scope.sub_variable(name, vars, 0),
                };
                match value {
                    Resolved::Known(value) => {
                        let spread_offsets = at(open, end).map(|(f, t)| spread(f, t, value.len()));
                        push_literal(&mut text, &mut pieces, &value, template_node.span, spread_offsets);
                    }
                    other => {
                        let written = format!("${{{name}}}");
                        let at = at(open, end);
                        push_symbolic(&mut text, &mut pieces, other, written, template_node.span, inside, at)
                    }
                }
                done = end;
            }
            push_literal(&mut text, &mut pieces, &template[done..], template_node.span, slice(done, template.len()));
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

/// The model ID of the assembled JSON: as [`resolve_inner`] resolves it, or, when it is an ARN built around
/// values only a deployment gives (the account, a tuning job's suffix) that still names its model, the ARN as
/// written with each of those `${...}` (see [`crate::arn::model_text`]).
fn resolve_model(node: &Node, pieces: &[Piece]) -> Resolved<String> {
    let resolved = resolve_inner(node, pieces);
    let Value::String(s) = &node.value else { return resolved };
    if resolved.known().is_some() || !s.contains("@@ptlint") {
        return resolved;
    }
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut rest = s.as_str();
    while let Some(open) = rest.find("@@ptlint") {
        let after = &rest[open + "@@ptlint".len()..];
        let Some(close) = after.find("@@") else { return resolved };
        let Some(piece) = after[..close].parse::<usize>().ok().and_then(|i| pieces.get(i)) else { return resolved };
        parts.push((false, &rest[..open]));
        parts.push((true, piece.written.as_str()));
        rest = &after[close + 2..];
    }
    parts.push((false, rest));
    crate::arn::model_text(&parts).map_or(resolved, Resolved::Known)
}

/// Offsets for `len` generated bytes that all stand for the source range `from..to`.
fn spread(from: usize, to: usize, len: usize) -> Vec<usize> {
    let mut offsets = vec![from; len];
    offsets.push(to);
    offsets
}

fn containing_piece(pieces: &[Piece], inner: Span) -> Option<&Piece> {
    pieces.iter().find(|p| p.start <= inner.start && inner.start < p.end)
}

/// The source span of a node of the assembled JSON: exact when it lies inside one literal string of the
/// template, else the whole piece of the template it came from.
fn source_span(pieces: &[Piece], inner: Span, fallback: Span, text: &str, index: &LineIndex) -> Span {
    let Some(piece) = containing_piece(pieces, inner) else { return fallback };
    match &piece.offsets {
        Some(offsets) if inner.end <= piece.end => {
            let (from, to) = (inner.start - piece.start, inner.end - piece.start);
            match (offsets.get(from), offsets.get(to)) {
                (Some(&start), Some(&end)) => index.span(text, start, end),
                _ => piece.span,
            }
        }
        _ => piece.span,
    }
}

/// Map each byte of a string value to its position in the source, for JSON/YAML double-quoted, single-quoted
/// and single-line plain scalars. `None` when the source spelling cannot be followed (folded lines, ...).
fn string_offsets(text: &str, span: Span, value: &str) -> Option<Vec<usize>> {
    let raw = text.get(span.start..span.end)?;
    let mut offsets = Vec::with_capacity(value.len() + 1);
    let mut decoded = String::with_capacity(value.len());
    let mut push = |decoded: &mut String, c: char, at: usize| {
        for _ in 0..c.len_utf8() {
            offsets.push(at);
        }
        decoded.push(c);
    };
    let quote = raw.chars().next()?;
    if quote == '"' || quote == '\'' {
        let body = raw.get(1..raw.len().checked_sub(1)?)?;
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let at = span.start + 1 + i;
            match (quote, c) {
                ('"', '\\') => {
                    let (_, escaped) = chars.next()?;
                    let c = match escaped {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        'u' => {
                            let hex: String = (0..4).filter_map(|_| chars.next().map(|(_, h)| h)).collect();
                            char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                        }
                        other => other,
                    };
                    push(&mut decoded, c, at);
                }
                ('\'', '\'') => {
                    chars.next()?;
                    push(&mut decoded, '\'', at);
                }
                ('"', '"') | (_, '\n') => return None,
                _ => push(&mut decoded, c, at),
            }
        }
        offsets.push(span.end - 1);
    } else {
        if raw.contains('\n') {
            return None;
        }
        for (i, c) in raw.char_indices() {
            push(&mut decoded, c, span.start + i);
        }
        offsets.push(span.end);
    }
    (decoded == value).then_some(offsets)
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
        let scope = Scope::new(root.get("Parameters"), None, None, None);
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
        let scope = Scope::new(None, None, None, None);
        assert!(read_aws_custom_resource("P", Span::default(), &root, &scope).is_none());
    }

    #[test]
    fn a_delete_call_is_read_in_every_form() {
        let create = r#""Create": "{\"service\":\"Bedrock\",\"action\":\"createProvisionedModelThroughput\",\"parameters\":{\"modelId\":\"amazon.titan-text-express-v1:0:8k\",\"modelUnits\":1}}""#;
        let scope = Scope::new(None, None, None, None);
        let deleted = |delete: &str| {
            let text =
                if delete.is_empty() { format!("{{{create}}}") } else { format!("{{{create}, \"Delete\": {delete}}}") };
            let root = parse_json(&text).unwrap();
            read_aws_custom_resource("Chat", Span::default(), &root, &scope).unwrap().deleted_with_stack
        };
        assert_eq!(deleted(""), Some(false));
        let v2 = r#""{\"service\":\"Bedrock\",\"action\":\"deleteProvisionedModelThroughput\",\"parameters\":{\"provisionedModelId\":\"PHYSICAL:RESOURCEID:\"}}""#;
        assert_eq!(deleted(v2), Some(true));
        let v3 = r#""{\"service\":\"@aws-sdk/client-bedrock\",\"action\":\"DeleteProvisionedModelThroughputCommand\",\"parameters\":{}}""#;
        assert_eq!(deleted(v3), Some(true));
        let joined = r#"{"Fn::Join": ["", ["{\"service\":\"Bedrock\",\"action\":\"deleteProvisionedModelThroughput\",\"parameters\":{\"provisionedModelId\":\"", {"Ref": "PtArn"}, "\"}}"]]}"#;
        assert_eq!(deleted(joined), Some(true));
        let other = r#""{\"service\":\"Bedrock\",\"action\":\"getProvisionedModelThroughput\",\"parameters\":{}}""#;
        assert_eq!(deleted(other), Some(false));
    }

    #[test]
    fn sub_pieces_keep_their_order_escapes_and_placeholders() {
        let root = parse_json(
            r#"{"Parameters": {"Units": {"Type": "Number"}},
 "Call": {"Fn::Sub": "{\"m\":\"${ !Keep }-${AWS::Region}\",\"u\":${Units}}"},
 "Open": {"Fn::Sub": "{\"m\":\"${Keep\""}}"#,
        )
        .unwrap();
        let scope = Scope::new(root.get("Parameters"), None, None, None);
        let (text, pieces) = assemble(root.get("Call").unwrap(), &scope).unwrap();
        // The name is trimmed before the escape mark is looked for; a value outside a JSON string is quoted.
        assert_eq!(text, r#"{"m":"${Keep}-@@ptlint3@@","u":"@@ptlint5@@"}"#);
        let written: Vec<&str> = pieces.iter().map(|p| p.written.as_str()).collect();
        assert_eq!(written, ["", "", "", "${AWS::Region}", "", "${Units}", ""]);
        assert!(assemble(root.get("Open").unwrap(), &scope).is_none());
    }
}
