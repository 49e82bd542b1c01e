//! CloudFormation (JSON or YAML, incl. SAM and `cdk synth` output) -> model; PTs are custom resources here.

mod cdk;
pub mod intrinsics;
#[cfg(test)]
mod intrinsics_tests;
pub mod manifest;
pub mod stepfunctions;
mod sub_template;

use crate::finding::InputError;
use crate::model::{
    Alarm, AlarmMetric, Budget, BudgetFilter, Commitment, Document, Field, Format, InlineSuppression, PtShape,
    Resolved, Spanned, Throughput,
};
use crate::source::node::{Node, Span, Value};
use intrinsics::{Partial, Scope};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The type CloudFormation does not have, yet generated templates keep using.
pub const NONEXISTENT_PT_TYPE: &str = "AWS::Bedrock::ProvisionedModelThroughput";

/// Text naming the resource types this reader takes something from even in a template without the prefilter's
/// words (an alarm on another metric, a CDK SDK call, a state machine whose definition is inline): a file that
/// holds none of them and none of those words reads as an empty template. The YAML skim relies on it, so a type
/// read below without such a word belongs here.
pub const READ_IN_ANY_TEMPLATE: &[&str] = &["AWS::CloudWatch::Alarm", "Custom::AWS", "StateMachine"];

/// Read every PT, alarm and budget of a parsed CloudFormation template; `path` is where it was read from (a SAM
/// state machine's `DefinitionUri` is relative to it).
pub fn read(root: &Node, format: Format, region: Option<&str>, source: &str, path: &str) -> Document {
    let mut doc = Document::empty(format);
    let scope = Scope::new(root.get("Parameters"), root.get("Mappings"), region, Some(source));
    let Some(resources) = root.get("Resources").and_then(Node::as_object) else {
        return doc;
    };
    for (key, resource) in resources {
        let Some(kind) = resource.get("Type").and_then(Node::as_str) else { continue };
        let empty = Node::new(Value::Object(Vec::new()), resource.span);
        let props = resource.get("Properties").unwrap_or(&empty);
        let id = &key.name;
        match kind {
            "AWS::CloudWatch::Alarm" => doc.alarms.push(read_alarm(id, key.span, props, &scope)),
            "AWS::Budgets::Budget" => doc.budgets.push(read_budget(id, key.span, props, &scope)),
            "Custom::AWS" => {
                if let Some(pt) = cdk::read_aws_custom_resource(id, key.span, props, &scope) {
                    doc.throughputs.push(with_suppressions(pt, resource));
                }
            }
            NONEXISTENT_PT_TYPE => {
                let pt = read_pt_properties(id, key.span, kind, PtShape::NonexistentNativeType, props, &scope);
                doc.throughputs.push(with_suppressions(pt, resource));
            }
            _ if stepfunctions::is_state_machine(kind) => {
                stepfunctions::read(id, resource, props, &scope, path, &mut doc)
            }
            _ if (kind.starts_with("Custom::") || kind == "AWS::CloudFormation::CustomResource")
                && looks_like_pt(props) =>
            {
                let pt = read_pt_properties(id, key.span, kind, PtShape::CustomResource, props, &scope);
                doc.throughputs.push(with_suppressions(pt, resource));
            }
            _ => {}
        }
    }
    if let Some((span, why)) = scope.budget_exhausted() {
        let message = format!("{why}; its value is unknown");
        doc.errors.push(InputError { file: path.to_string(), line: span.line, column: span.column, message });
    }
    doc
}

const MODEL_KEYS: &[&str] = &["ModelId", "ModelArn", "modelId", "modelArn", "ModelIdentifier", "modelIdentifier"];
const UNITS_KEYS: &[&str] = &["ModelUnits", "modelUnits"];
const COMMITMENT_KEYS: &[&str] = &["CommitmentDuration", "commitmentDuration"];
const NAME_KEYS: &[&str] = &["ProvisionedModelName", "provisionedModelName"];

/// A hand-written custom resource is a PT when it carries a model and a number of model units.
fn looks_like_pt(props: &Node) -> bool {
    props.get_any(MODEL_KEYS).is_some() && props.get_any(UNITS_KEYS).is_some()
}

fn field_string(node: &Node, scope: &Scope) -> Field<String> {
    Spanned::new(scope.string(node), node.span)
}

/// The model: as resolved, or, when an ARN is built around a value not known here (`AWS::Region` with no
/// region given), the foundation-model ID written literally after `foundation-model/`, which is all pricing needs.
fn model_field(node: &Node, scope: &Scope) -> Field<String> {
    let field = field_string(node, scope);
    if field.value.known().is_some() {
        return field;
    }
    let literal_tail = match node.get("Fn::Join").and_then(Node::as_array) {
        Some([_, parts]) => parts.as_array().and_then(|p| p.last()).and_then(Node::as_str),
        _ => match node.get("Fn::Sub") {
            Some(sub) => sub.as_str().or_else(|| sub.as_array().and_then(|a| a.first()).and_then(Node::as_str)),
            None => None,
        },
    };
    let id = literal_tail.and_then(|tail| {
        let after = &tail[tail.rfind("foundation-model/")? + "foundation-model/".len()..];
        (!after.is_empty() && !after.contains("${")).then(|| after.to_string())
    });
    if let Some(id) = id {
        return Spanned::new(Resolved::Known(id), field.span);
    }
    // An ARN around values only a deployment gives (the account, a tuning job's suffix) that still names its
    // model: kept as written, each unknown piece `${...}`, so its kind and base model are read from it.
    let Some(pieces) = scope.partial(node) else { return field };
    let parts: Vec<(bool, &str)> = pieces
        .iter()
        .map(|piece| match piece {
            Partial::Text(text) => (false, text.as_str()),
            Partial::Hole(written) => (true, written.as_str()),
        })
        .collect();
    match crate::arn::model_text(&parts) {
        Some(text) => Spanned::new(Resolved::Known(text), field.span),
        None => field,
    }
}

/// Read PT properties named after the API (PascalCase or camelCase).
pub(super) fn read_pt_properties(
    id: &str,
    span: Span,
    kind: &str,
    shape: PtShape,
    props: &Node,
    scope: &Scope,
) -> Throughput {
    let (commitment, commitment_explicit) = match props.get_any(COMMITMENT_KEYS) {
        Some(node) => (commitment_field(node, scope), true),
        None => (Spanned::new(Resolved::Known(Commitment::NoCommitment), span), false),
    };
    let commitment_options = props.get_any(COMMITMENT_KEYS).map(|n| condition_options(n, scope)).unwrap_or_default();
    Throughput {
        resource: id.to_string(),
        span,
        resource_type: kind.to_string(),
        shape,
        name: props.get_any(NAME_KEYS).map(|n| field_string(n, scope)),
        model: props.get_any(MODEL_KEYS).map(|n| model_field(n, scope)),
        model_units: props.get_any(UNITS_KEYS).map(|n| Spanned::new(scope.integer(n), n.span)),
        commitment,
        commitment_explicit,
        commitment_options,
        tags: props.get_any(&["Tags", "tags"]).map(|t| read_tags(t, scope)).unwrap_or_default(),
        region: None,
        plan_action: None,
        prior_commitment: None,
        rejections: Vec::new(),
        arn: None,
        suppressions: Vec::new(),
        prior: None,
        instances_unknown: None,
        deleted_with_stack: None,
    }
}

/// A commitment value; unknown spellings stay unresolved rather than being guessed.
pub(crate) fn commitment_field(node: &Node, scope: &Scope) -> Field<Commitment> {
    Spanned::new(scope.string(node).into_commitment(), node.span)
}

/// The terms an `Fn::If` commitment can take, one per branch; empty unless every branch resolves
/// (`AWS::NoValue` in a branch means no commitment, as the property is then absent).
fn condition_options(node: &Node, scope: &Scope) -> Vec<Commitment> {
    let Some(branches) = node.get("Fn::If").and_then(Node::as_array).filter(|b| b.len() == 3) else {
        return Vec::new();
    };
    let mut options = Vec::new();
    for branch in &branches[1..] {
        if branch.get("Ref").and_then(Node::as_str) == Some("AWS::NoValue") {
            options.push(Commitment::NoCommitment);
            continue;
        }
        match commitment_field(branch, scope).value {
            Resolved::Known(term) => options.push(term),
            _ => return Vec::new(),
        }
    }
    options
}

/// Tags as `[{Key, Value}]` (either case) or a plain map.
pub(crate) fn read_tags(node: &Node, scope: &Scope) -> Vec<(String, String)> {
    let mut tags = Vec::new();
    if let Some(items) = node.as_array() {
        for item in items {
            let key = item.get_any(&["Key", "key"]).map(|k| scope.string(k));
            let value = item.get_any(&["Value", "value"]).map(|v| scope.string(v));
            if let (Some(Resolved::Known(k)), Some(Resolved::Known(v))) = (key, value) {
                tags.push((k, v));
            }
        }
    } else if let Some(entries) = node.as_object() {
        for (k, v) in entries {
            if let Resolved::Known(v) = scope.string(v) {
                tags.push((k.name.clone(), v));
            }
        }
    }
    tags
}

/// Per-resource suppressions: `Metadata: {ptlint: {ignore: [{rule, reason}]}}`.
pub(super) fn with_suppressions(mut pt: Throughput, resource: &Node) -> Throughput {
    if let Some(items) = resource.path(&["Metadata", "ptlint", "ignore"]).and_then(Node::as_array) {
        for item in items {
            let rule = item.get("rule").and_then(Node::scalar_text).or_else(|| item.scalar_text());
            if let Some(rule) = rule {
                let reason = item.get("reason").and_then(Node::scalar_text).filter(|r| !r.trim().is_empty());
                let expires = item.get("expires").and_then(Node::scalar_text);
                pt.suppressions.push(InlineSuppression { rule, reason, expires, span: item.span });
            }
        }
    }
    pt
}

fn dimension_model_id(dimensions: Option<&Node>, scope: &Scope) -> Option<Field<String>> {
    dimensions?.as_array()?.iter().find_map(|d| {
        let name = d.get("Name").map(|n| scope.string(n))?;
        (name.known().map(String::as_str) == Some("ModelId")).then(|| d.get("Value").map(|v| field_string(v, scope)))?
    })
}

fn read_alarm(id: &str, span: Span, props: &Node, scope: &Scope) -> Alarm {
    let mut metrics = Vec::new();
    let mut expressions = Vec::new();
    let queries = props.get("Metrics").and_then(Node::as_array);
    if let Some(queries) = queries {
        for query in queries {
            if let Some(expression) = query.get("Expression").and_then(|e| scope.string(e).known().cloned()) {
                expressions.push(expression);
            }
            if let Some(metric) = query.path(&["MetricStat", "Metric"]) {
                metrics.push(AlarmMetric {
                    namespace: metric.get("Namespace").map(|n| scope.string(n)),
                    metric_name: metric.get("MetricName").map(|n| scope.string(n)),
                    model_id: dimension_model_id(metric.get("Dimensions"), scope),
                });
            }
        }
    } else {
        metrics.push(AlarmMetric {
            namespace: props.get("Namespace").map(|n| scope.string(n)),
            metric_name: props.get("MetricName").map(|n| scope.string(n)),
            model_id: dimension_model_id(props.get("Dimensions"), scope),
        });
    }
    let has_actions = ["AlarmActions", "OKActions", "InsufficientDataActions"]
        .iter()
        .any(|k| props.get(k).and_then(Node::as_array).is_some_and(|a| !a.is_empty()));
    Alarm {
        resource: id.to_string(),
        span,
        metrics,
        metric_math: queries.is_some(),
        comparison_operator: props.get("ComparisonOperator").and_then(|n| scope.string(n).known().cloned()),
        has_actions,
        treat_missing_data: props.get("TreatMissingData").map(|n| scope.string(n)),
        expressions,
    }
}

fn read_budget(id: &str, span: Span, props: &Node, scope: &Scope) -> Budget {
    let empty = Node::new(Value::Object(Vec::new()), span);
    let budget = props.get("Budget").unwrap_or(&empty);
    let text = |key: &str| budget.get(key).and_then(|n| scope.string(n).known().cloned());
    let limit = budget.path(&["BudgetLimit", "Amount"]).and_then(|n| scope.string(n).known().cloned());
    let mut filters = Vec::new();
    if let Some(cost_filters) = budget.get("CostFilters").and_then(Node::as_object) {
        for (key, values) in cost_filters {
            filters.push(filter_from_pair(&key.name, string_list(values, scope)));
        }
    }
    if let Some(expression) = budget.get("FilterExpression") {
        filters.push(filter_expression(expression, scope, 0));
    }
    Budget {
        resource: id.to_string(),
        span,
        name: text("BudgetName"),
        budget_type: text("BudgetType"),
        limit: limit.and_then(|l| Decimal::from_str(l.trim()).ok()),
        limit_unit: budget.path(&["BudgetLimit", "Unit"]).and_then(|n| scope.string(n).known().cloned()),
        time_unit: text("TimeUnit"),
        filter: combine_all(filters),
    }
}

pub(crate) fn string_list(node: &Node, scope: &Scope) -> Vec<String> {
    match node.as_array() {
        Some(items) => items.iter().filter_map(|i| scope.string(i).known().cloned()).collect(),
        None => scope.string(node).known().cloned().into_iter().collect(),
    }
}

/// One CostFilters / cost_filter pair, with `TagKeyValue` values (`user:Key$Value`) turned into tag filters.
pub(crate) fn filter_from_pair(key: &str, values: Vec<String>) -> BudgetFilter {
    if normalise_dimension(key) == "tag_key_value" {
        let tags: Vec<BudgetFilter> = values
            .iter()
            .map(|v| {
                let v = v.strip_prefix("user:").unwrap_or(v);
                let (k, val) = v.split_once('$').unwrap_or((v, ""));
                BudgetFilter::Tag {
                    key: k.to_string(),
                    values: if val.is_empty() { Vec::new() } else { vec![val.to_string()] },
                }
            })
            .collect();
        return BudgetFilter::Any(tags);
    }
    BudgetFilter::Dimension { key: normalise_dimension(key), values }
}

/// `Service`, `SERVICE` and `service` are one dimension; so are `UsageType` and `USAGE_TYPE`.
pub(crate) fn normalise_dimension(key: &str) -> String {
    let key = key.split(':').next().unwrap_or(key);
    let mut out = String::new();
    for (i, c) in key.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && !key.contains('_') && !key.chars().all(|c| !c.is_ascii_lowercase()) {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn filter_expression(node: &Node, scope: &Scope, depth: usize) -> BudgetFilter {
    if depth > 32 {
        return BudgetFilter::Any(Vec::new());
    }
    let children = |n: &Node| {
        n.as_array().map(|a| a.iter().map(|c| filter_expression(c, scope, depth + 1)).collect()).unwrap_or_default()
    };
    if let Some(and) = node.get("And") {
        return BudgetFilter::All(children(and));
    }
    if let Some(or) = node.get("Or") {
        return BudgetFilter::Any(children(or));
    }
    if let Some(not) = node.get("Not") {
        return BudgetFilter::Not(Box::new(filter_expression(not, scope, depth + 1)));
    }
    if let Some(dim) = node.get("Dimensions") {
        let key = dim.get("Key").and_then(|k| scope.string(k).known().cloned()).unwrap_or_default();
        let values = dim.get("Values").map(|v| string_list(v, scope)).unwrap_or_default();
        return BudgetFilter::Dimension { key: normalise_dimension(&key), values };
    }
    if let Some(tags) = node.get("Tags") {
        let key = tags.get("Key").and_then(|k| scope.string(k).known().cloned()).unwrap_or_default();
        let values = tags.get("Values").map(|v| string_list(v, scope)).unwrap_or_default();
        return BudgetFilter::Tag { key, values };
    }
    // An expression we cannot interpret matches nothing, so it never claims coverage it may not give.
    BudgetFilter::Any(Vec::new())
}

pub(crate) fn combine_all(mut filters: Vec<BudgetFilter>) -> Option<BudgetFilter> {
    match filters.len() {
        0 => None,
        1 => filters.pop(),
        _ => Some(BudgetFilter::All(filters)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimension_names_normalise() {
        assert_eq!(normalise_dimension("Service"), "service");
        assert_eq!(normalise_dimension("SERVICE"), "service");
        assert_eq!(normalise_dimension("UsageType"), "usage_type");
        assert_eq!(normalise_dimension("USAGE_TYPE"), "usage_type");
        assert_eq!(normalise_dimension("TagKeyValue"), "tag_key_value");
        assert_eq!(normalise_dimension("UsageType:Amazon Bedrock"), "usage_type");
        assert_eq!(normalise_dimension("Region"), "region");
    }

    #[test]
    fn tag_key_value_becomes_a_tag_filter() {
        let filter = filter_from_pair("TagKeyValue", vec!["user:team$search".into()]);
        assert_eq!(
            filter,
            BudgetFilter::Any(vec![BudgetFilter::Tag { key: "team".into(), values: vec!["search".into()] }])
        );
    }
}
