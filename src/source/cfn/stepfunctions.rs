//! Step Functions state machines that create PTs: each task calling
//! `arn:aws:states:::aws-sdk:bedrock:createProvisionedModelThroughput` is one PT. A `ModelId.$` taken from an earlier
//! `createModelCustomizationJob` task's output (SDK integration, or the optimized `bedrock:...Job.sync` one) is a
//! custom model of that job's base model.

use super::intrinsics::Scope;
use super::{read_pt_properties, with_suppressions};
use crate::finding::InputError;
use crate::model::{CustomModel, Document, Field, PtShape, Reference, Resolved, Spanned};
use crate::source::json::parse_json;
use crate::source::node::{Node, Span};
use crate::source::read::{ReadError, Repository};

const CREATE_PT: &str = "bedrock:createprovisionedmodelthroughput";
const CREATE_JOB: &str = "bedrock:createmodelcustomizationjob";

/// The state machine types whose definitions are read.
pub fn is_state_machine(kind: &str) -> bool {
    kind == "AWS::StepFunctions::StateMachine" || kind == "AWS::Serverless::StateMachine"
}

/// Read the PT-creating tasks of a state machine resource into `doc`.
pub fn read(id: &str, resource: &Node, props: &Node, scope: &Scope, template: &str, doc: &mut Document) {
    // The definition as an object keeps exact positions; a definition string (literal, or built with
    // Fn::Join/Fn::Sub that resolves here) or a SAM `DefinitionUri` file is parsed on its own, and its findings
    // point at the string or the URI in the template.
    let parsed;
    let (definition, at_string) = match props.get("Definition") {
        Some(node) if node.as_object().is_some() => (node, None),
        _ => {
            let (root, span) = if let Some(node) = props.get("DefinitionString") {
                let Some(text) = definition_text(node, scope) else { return };
                let Ok(root) = parse_json(&text) else { return };
                (root, node.span)
            } else {
                let Some(uri) = props.get("DefinitionUri") else { return };
                let Some(file) = uri.as_str() else { return };
                let root = match read_definition_file(template, file) {
                    Ok(Some(root)) => root,
                    Ok(None) => return,
                    Err(e) => {
                        let message = format!("DefinitionUri `{file}`: {e}");
                        let (line, column) = (uri.span.line, uri.span.column);
                        doc.errors.push(InputError { file: template.to_string(), line, column, message });
                        return;
                    }
                };
                (root, uri.span)
            };
            parsed = root;
            (&parsed, Some(span))
        }
    };
    let mut substitutions: Vec<(String, String)> = props
        .get("DefinitionSubstitutions")
        .and_then(Node::as_object)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, v)| scope.string(v).known().map(|v| (k.name.clone(), v.clone())))
        .collect();
    if let Some(region) = scope.region {
        substitutions.push(("AWS::Region".into(), region.to_string()));
    }
    read_tasks(id, definition, at_string, &substitutions, scope, Some(resource), doc);
}

/// The PT-creating tasks of a state machine whose definition is JSON text, as Terraform's
/// `aws_sfn_state_machine` gives it (`jsonencode(...)`, `file(...)`, `templatefile(...)`, or a plan's value):
/// each is a PT named `<address>.<state>`, pointed at `at` (the `definition` argument). Text that is not JSON is
/// not a definition ptlint reads (terraform would refuse it at apply).
pub fn read_definition_json(address: &str, text: &str, at: Span, doc: &mut Document) {
    let Ok(definition) = parse_json(text) else { return };
    // Terraform has already evaluated the definition: its values are literal, with no template around them.
    let scope = Scope::new(None, None, None, None);
    read_tasks(address, &definition, Some(at), &[], &scope, None, doc);
}

/// Read each task of `definition` that creates a PT into `doc` (see [`read`]).
fn read_tasks(
    id: &str,
    definition: &Node,
    at_string: Option<Span>,
    substitutions: &[(String, String)],
    scope: &Scope,
    resource: Option<&Node>,
    doc: &mut Document,
) {
    let mut tasks = Vec::new();
    collect_tasks(definition, &mut tasks, 0);
    let jobs: Vec<(&str, &Node)> = tasks.iter().filter(|(_, state)| calls(state, CREATE_JOB)).copied().collect();
    for (name, state) in &tasks {
        if !calls(state, CREATE_PT) {
            continue;
        }
        let Some(params) = state.get("Parameters").or_else(|| state.get("Arguments")) else { continue };
        let address = format!("{id}.{name}");
        let mut pt = read_pt_properties(
            &address,
            span_of(state, at_string),
            "AWS::StepFunctions::Task",
            PtShape::StepFunctionsTask,
            params,
            scope,
        );
        pt.model = pt.model.map(|m| substitute(m, substitutions));
        // Terraform (no template resource): a model that only apply gives, written `${aws_x.name.attribute}` by
        // `jsonencode`, is that resource's attribute, linked as `model_arn = aws_x.name.attribute` is.
        if resource.is_none() {
            if let Some((node, reference)) = terraform_reference(params, "ModelId") {
                pt.model = Some(Spanned::new(Resolved::Ref(reference), at_string.unwrap_or(node.span)));
            }
        }
        if let Some((node, path)) = from_state(params, "ModelId") {
            pt.model = Some(job_output(path, &jobs, id, at_string.unwrap_or(node.span), scope, doc));
        }
        if let Some((units, _)) = from_state(params, "ModelUnits") {
            pt.model_units = Some(Spanned::new(
                Resolved::Unresolved("model units come from the execution's input".into()),
                at_string.unwrap_or(units.span),
            ));
        }
        // A definition string built around a value known only at deployment (a parameter without a default in
        // `Fn::Join`/`Fn::Sub`, an unknown in Terraform's `jsonencode`) holds `${...}` where the value goes, and
        // a `DefinitionSubstitutions` name is written the same way: the value it stands for, or unknown, never a
        // misspelt term or unit count.
        for key in ["CommitmentDuration", "ModelUnits"] {
            let Some((node, text)) = placeholder(params, key) else { continue };
            let span = at_string.unwrap_or(node.span);
            let value = match substitutions.iter().find(|(name, _)| text == format!("${{{name}}}")) {
                Some((_, known)) => Resolved::Known(known.clone()),
                None if text == "${?}" => {
                    Resolved::Unresolved("the definition takes it from a value not known here".into())
                }
                None => Resolved::Unresolved(format!("`{text}` is not known here")),
            };
            if key == "ModelUnits" {
                pt.model_units = Some(Spanned::new(value.into_units(), span));
            } else {
                pt.commitment = Spanned::new(value.into_commitment(), span);
                pt.commitment_explicit = true;
                pt.commitment_options = Vec::new();
            }
        }
        // A term the execution supplies is unknown here, not absent: reading it as no commitment would let a
        // six-month reservation pass unchecked.
        if let Some((term, expression)) = from_state(params, "CommitmentDuration") {
            pt.commitment = Spanned::new(
                Resolved::Unresolved(format!("set by each execution: `{expression}`")),
                at_string.unwrap_or(term.span),
            );
            pt.commitment_explicit = true;
            pt.commitment_options = Vec::new();
        }
        if let Some(string_span) = at_string {
            move_spans(&mut pt, string_span);
        }
        doc.throughputs.push(match resource {
            Some(resource) => with_suppressions(pt, resource),
            None => pt,
        });
    }
}

/// The text of a `DefinitionString`: resolved, or, when parts are known only at deployment (`${AWS::Region}`,
/// a resource's ARN), with those parts left as `${...}` placeholders, which sit inside JSON strings.
fn definition_text(node: &Node, scope: &Scope) -> Option<String> {
    if let Resolved::Known(text) = scope.string(node) {
        return Some(text);
    }
    sub_or_join_text(node, |part| scope.string(part).known().cloned())
}

/// The text of an `Fn::Sub` (its template, `${...}` as written) or an `Fn::Join` (each part as `part` gives it,
/// `${?}` where it gives none).
fn sub_or_join_text(node: &Node, part: impl Fn(&Node) -> Option<String>) -> Option<String> {
    if let Some(sub) = node.get("Fn::Sub") {
        return sub
            .as_str()
            .or_else(|| sub.as_array().and_then(|a| a.first()).and_then(Node::as_str))
            .map(str::to_string);
    }
    let [separator, parts] = node.get("Fn::Join")?.as_array()? else { return None };
    let separator = separator.as_str()?;
    let parts: Vec<String> = parts.as_array()?.iter().map(|p| part(p).unwrap_or_else(|| "${?}".to_string())).collect();
    Some(parts.join(separator))
}

/// A SAM `DefinitionUri` that names a local file (an S3 location cannot be read offline), relative to the template.
/// `Ok(None)`: nothing to read here, or not a definition ptlint can parse; `Err`: the file could not be read.
fn read_definition_file(template: &str, file: &str) -> Result<Option<Node>, ReadError> {
    let Some(dir) = std::path::Path::new(template).parent().filter(|_| !file.starts_with("s3://")) else {
        return Ok(None);
    };
    let bytes = Repository::holding(dir).read_regular_file(&dir.join(file), crate::source::MAX_FILE_BYTES)?;
    let Ok(text) = crate::source::decode_vec(bytes) else { return Ok(None) };
    Ok(if file.ends_with(".json") { parse_json(&text).ok() } else { crate::source::yaml::parse_yaml(&text).ok() })
}

/// Every state of a definition, with nested Parallel branches and Map processors, bounded in depth.
fn collect_tasks<'a>(definition: &'a Node, out: &mut Vec<(&'a str, &'a Node)>, depth: usize) {
    if depth > 16 {
        return;
    }
    for (name, state) in definition.get("States").and_then(Node::as_object).unwrap_or_default() {
        out.push((name.name.as_str(), state));
        for branch in state.get("Branches").and_then(Node::as_array).unwrap_or_default() {
            collect_tasks(branch, out, depth + 1);
        }
        for key in ["ItemProcessor", "Iterator"] {
            if let Some(inner) = state.get(key) {
                collect_tasks(inner, out, depth + 1);
            }
        }
    }
}

/// Whether a task state calls an action, through the AWS SDK integration
/// (`arn:aws:states:::aws-sdk:bedrock:createProvisionedModelThroughput`) or an optimized one
/// (`arn:aws:states:::bedrock:createModelCustomizationJob.sync`, which waits for the job to finish).
fn calls(state: &Node, action: &str) -> bool {
    state.get("Type").and_then(Node::as_str) == Some("Task")
        && state.get("Resource").and_then(resource_text).is_some_and(|r| {
            let resource = r.to_ascii_lowercase();
            // The integration pattern suffix (`.sync`, `.sync:2`, `.waitForTaskToken`) is not part of the action.
            let action_part = [".sync:2", ".sync", ".waitfortasktoken"]
                .iter()
                .find_map(|suffix| resource.strip_suffix(suffix))
                .unwrap_or(&resource);
            action_part.ends_with(action)
        })
}

/// A task's `Resource` as text: a string, or in a template's object `Definition` an `Fn::Sub` / `Fn::Join` around
/// the partition (`arn:${AWS::Partition}:states:::aws-sdk:bedrock:...`), whose action is written out either way.
fn resource_text(node: &Node) -> Option<String> {
    if let Some(text) = node.as_str() {
        return Some(text.to_string());
    }
    sub_or_join_text(node, |part| part.as_str().map(str::to_string))
}

fn span_of(state: &Node, at_string: Option<Span>) -> Span {
    at_string.unwrap_or(state.span)
}

/// A parameter whose value the execution supplies: a JSONPath `Key.$` (`"ModelId.$": "$.job.ModelArn"`) or,
/// in a JSONata state, a `{% ... %}` expression (`"ModelId": "{% $job.ModelArn %}"`). Gives the value's node and
/// the path or expression.
fn from_state<'a>(params: &'a Node, key: &str) -> Option<(&'a Node, &'a str)> {
    if let Some(node) = params.get(&format!("{key}.$")) {
        return Some((node, node.as_str().unwrap_or_default()));
    }
    let node = params.get(key)?;
    let text = node.as_str()?.trim();
    (text.starts_with("{%") && text.ends_with("%}")).then_some((node, text))
}

/// A parameter whose whole value is one `${...}` placeholder, with the placeholder.
fn placeholder<'a>(params: &'a Node, key: &str) -> Option<(&'a Node, &'a str)> {
    let node = params.get(key)?;
    let text = node.as_str()?.trim();
    let inner = text.strip_prefix("${")?.strip_suffix('}')?;
    (!inner.contains(['{', '}'])).then_some((node, text))
}

/// A parameter written as one placeholder for a Terraform resource's attribute (`${aws_x.name.attribute}`,
/// `${module.m.aws_x.name["k"].attribute}`), as that reference.
fn terraform_reference<'a>(params: &'a Node, key: &str) -> Option<(&'a Node, Reference)> {
    let (node, text) = placeholder(params, key)?;
    let (address, attribute) = text.strip_prefix("${")?.strip_suffix('}')?.rsplit_once('.')?;
    let resource_address = address.starts_with("aws_") || address.starts_with("module.");
    (resource_address && address.contains('.') && !attribute.is_empty())
        .then(|| (node, Reference::Terraform { address: address.to_string(), attribute: Some(attribute.to_string()) }))
}

/// `${Name}` in a literal model replaced by its DefinitionSubstitutions value.
fn substitute(field: Field<String>, substitutions: &[(String, String)]) -> Field<String> {
    match field.value {
        Resolved::Known(text) if text.contains("${") => {
            let mut out = text;
            for (name, value) in substitutions {
                out = out.replace(&format!("${{{name}}}"), value);
            }
            // A model ARN around a value known only at deployment still names its model after `foundation-model/`.
            let literal_id = out
                .rfind("foundation-model/")
                .map(|at| &out[at + "foundation-model/".len()..])
                .filter(|id| !id.is_empty() && !id.contains("${"));
            let value = match literal_id {
                _ if !out.contains("${") => Resolved::Known(out),
                Some(id) => Resolved::Known(id.to_string()),
                None => Resolved::Unresolved(format!("`{out}` is not known before deployment")),
            };
            Spanned::new(value, field.span)
        }
        other => Spanned::new(other, field.span),
    }
}

/// A model taken from state (`ModelId.$`): the custom model an earlier customization job creates, when the
/// machine has one such job (or the path names it); otherwise not known before the execution.
fn job_output(
    path: &str,
    jobs: &[(&str, &Node)],
    id: &str,
    span: Span,
    scope: &Scope,
    doc: &mut Document,
) -> Field<String> {
    let job = match jobs {
        [only] => Some(*only),
        many => many
            .iter()
            .find(|(name, state)| {
                path.contains(name)
                    || state.get("ResultPath").and_then(Node::as_str).is_some_and(|r| path.starts_with(r))
            })
            .copied(),
    };
    let Some((name, state)) = job else {
        return Spanned::new(Resolved::Unresolved(format!("model from the execution's state (`{path}`)")), span);
    };
    let address = format!("{id}.{name}");
    if !doc.custom_models.iter().any(|m| m.resource == address) {
        let params = state.get("Parameters").or_else(|| state.get("Arguments"));
        let base = params.and_then(|p| p.get("BaseModelIdentifier")).map(|b| Spanned::new(scope.string(b), b.span));
        doc.custom_models.push(CustomModel {
            resource: address.clone(),
            span: state.span,
            base_model: base,
            customization_type: params
                .and_then(|p| p.get("CustomizationType"))
                .and_then(|c| scope.string(c).known().cloned()),
            name: params.and_then(|p| p.get("CustomModelName")).and_then(|c| scope.string(c).known().cloned()),
        });
    }
    Spanned::new(Resolved::Ref(Reference::Terraform { address, attribute: Some("CustomModelArn".into()) }), span)
}

/// Positions inside a parsed definition string mean nothing in the template: point at the string.
fn move_spans(pt: &mut crate::model::Throughput, span: Span) {
    pt.span = span;
    pt.commitment.span = span;
    for field in [pt.model.as_mut().map(|f| &mut f.span), pt.name.as_mut().map(|f| &mut f.span)].into_iter().flatten() {
        *field = span;
    }
    if let Some(units) = pt.model_units.as_mut() {
        units.span = span;
    }
}
