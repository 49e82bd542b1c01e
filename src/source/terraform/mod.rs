//! Terraform (plan JSON, `.tf` and `.tf.json`) -> model: the entity extraction the Terraform readers share.

pub mod anchor;
pub mod plan;
pub mod tfjson;

use crate::model::{
    Alarm, AlarmMetric, Budget, BudgetFilter, Commitment, CustomModel, Field, PlanAction, PtShape, Reference, Resolved,
    Spanned, Throughput,
};
use crate::source::cfn::{combine_all, filter_from_pair, normalise_dimension};
use crate::source::node::Span;
use rust_decimal::Decimal;
use std::str::FromStr;

pub const PT_TYPE: &str = "aws_bedrock_provisioned_model_throughput";
pub const CUSTOM_MODEL_TYPE: &str = "aws_bedrock_custom_model";
/// A Step Functions state machine, whose `definition` may create PTs.
pub const STATE_MACHINE_TYPE: &str = "aws_sfn_state_machine";
pub const ALARM_TYPE: &str = "aws_cloudwatch_metric_alarm";
pub const BUDGET_TYPE: &str = "aws_budgets_budget";

/// A resource body (or nested block) whose attributes can be resolved, whatever the Terraform format.
pub(crate) trait Attrs {
    /// An attribute's value as a string, with the span of where it is written.
    fn string(&self, name: &str) -> Option<Field<String>>;
    /// One entry of a map attribute (e.g. `dimensions.ModelId`).
    fn map_entry(&self, name: &str, key: &str) -> Option<Field<String>>;
    /// A map attribute with literal values (e.g. `tags`).
    fn string_map(&self, name: &str) -> Vec<(String, String)>;
    /// A model identifier attribute: as [`Attrs::string`], except that an ARN built around a value not known
    /// yet (an account ID) may keep its known text with the missing part written `${...}` (see `Throughput::model`).
    fn model(&self, name: &str) -> Option<Field<String>> {
        self.string(name)
    }
    /// A list-of-strings attribute.
    fn string_list(&self, name: &str) -> Vec<String>;
    /// Nested blocks of a name (`metric_query`, `metric`, `cost_filter`).
    fn blocks(&self, name: &str) -> Vec<Box<dyn Attrs + '_>>;
    /// The attribute's text when it is written as a plain literal (no reference or interpolation), so a
    /// check of what the user wrote never judges a value ptlint derived (say, a data source's model ID).
    fn literal(&self, _name: &str) -> Option<String> {
        None
    }
    /// Whether the configuration writes the argument at all; `None` when the source cannot tell (a plan's
    /// values come from a configuration terraform already accepted).
    fn writes(&self, _name: &str) -> Option<bool> {
        None
    }
}

/// The arguments the provider's schema requires of `aws_bedrock_provisioned_model_throughput`
/// (hashicorp/aws 5.100.0, `terraform providers schema -json`: `required: true`).
const PT_REQUIRED_ARGUMENTS: [&str; 3] = ["model_arn", "model_units", "provisioned_model_name"];

/// A parsed Terraform reference such as `aws_bedrock_custom_model.x.custom_model_arn`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TfRef {
    Var(String),
    Local(String),
    /// A resource, data source or module output reference.
    Object(Reference),
}

/// Split a traversal at dots that are not inside `[...]` index brackets.
fn split_traversal(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut in_quote, mut last) = (0usize, false, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '"' => in_quote = !in_quote,
            '[' if !in_quote => depth += 1,
            ']' if !in_quote => depth = depth.saturating_sub(1),
            '.' if !in_quote && depth == 0 => {
                parts.push(&text[last..i]);
                last = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[last..]);
    parts
}

/// Parse a reference; `module_prefix` (e.g. `module.chat.`) makes module-relative addresses absolute.
pub(crate) fn parse_reference(text: &str, module_prefix: &str) -> Option<TfRef> {
    let text = text.trim();
    let parts = split_traversal(text);
    let first = *parts.first()?;
    let attribute = |from: usize| (parts.len() > from).then(|| parts[from..].join("."));
    match first {
        "var" => Some(TfRef::Var(parts.get(1)?.split('[').next()?.to_string())),
        "local" => Some(TfRef::Local(parts.get(1)?.split('[').next()?.to_string())),
        "each" | "count" | "path" | "terraform" | "self" => None,
        "data" => {
            let address = format!("{module_prefix}data.{}.{}", parts.get(1)?, parts.get(2)?);
            Some(TfRef::Object(Reference::Terraform { address, attribute: attribute(3) }))
        }
        "module" => {
            let address = format!("{module_prefix}module.{}", parts.get(1)?);
            Some(TfRef::Object(Reference::Terraform { address, attribute: attribute(2) }))
        }
        _ if parts.len() >= 2 && first.contains('_') => {
            let address = format!("{module_prefix}{first}.{}", parts[1]);
            Some(TfRef::Object(Reference::Terraform { address, attribute: attribute(2) }))
        }
        _ => None,
    }
}

/// Strip a trailing instance index: `x.y["a"]` -> `x.y`.
pub(crate) fn strip_index(address: &str) -> &str {
    if !address.ends_with(']') {
        return address;
    }
    let (mut in_quote, mut open) = (false, None);
    for (i, c) in address.char_indices() {
        match c {
            '"' => in_quote = !in_quote,
            '[' if !in_quote => open = Some(i),
            _ => {}
        }
    }
    open.map_or(address, |i| &address[..i])
}

/// `aws_bedrock_provisioned_model_throughput` from its attributes.
pub(crate) fn throughput(address: &str, span: Span, attrs: &dyn Attrs, action: Option<PlanAction>) -> Throughput {
    let mut rejections = Vec::new();
    let (commitment, explicit) = match attrs.string("commitment_duration") {
        Some(field) => {
            let value = match field.value {
                // A null `commitment_duration` (plan values) is the no-commitment default.
                Resolved::Unresolved(why) if why == "null" => Resolved::Known(Commitment::NoCommitment),
                // The provider's enum validation refuses an empty string: only null means no commitment.
                Resolved::Known(text) if text.trim().is_empty() => Resolved::Invalid(text),
                other => other.into_commitment(),
            };
            let explicit = !matches!(value, Resolved::Known(Commitment::NoCommitment));
            (Spanned::new(value, field.span), explicit)
        }
        None => (Spanned::new(Resolved::Known(Commitment::NoCommitment), span), false),
    };
    // The provider validates `model_arn` as an ARN at plan time (domain.md §8.2).
    rejections.extend(attrs.literal("model_arn").filter(|text| !text.trim_start().starts_with("arn:")).map(|text| {
        format!("`model_arn` must be an ARN, and `{text}` is not one (the Terraform provider refuses it at plan time)")
    }));
    // A required argument left out (or written under another name, `model_id`) fails terraform's own
    // validation ("Missing required argument"), so the PT is never created as written.
    let missing: Vec<String> = PT_REQUIRED_ARGUMENTS
        .iter()
        .filter(|name| attrs.writes(name) == Some(false))
        .map(|n| format!("`{n}`"))
        .collect();
    if !missing.is_empty() {
        rejections.push(format!(
            "the provider requires {}, and {} not written (terraform refuses it: Missing required argument)",
            english_list(&missing),
            if missing.len() == 1 { "it is" } else { "they are" }
        ));
    }
    Throughput {
        resource: address.to_string(),
        span,
        resource_type: PT_TYPE.to_string(),
        shape: PtShape::Terraform,
        name: attrs.string("provisioned_model_name"),
        model: attrs.model("model_arn"),
        model_units: attrs.string("model_units").map(|f| Spanned::new(f.value.into_units(), f.span)),
        commitment,
        commitment_explicit: explicit,
        commitment_options: Vec::new(),
        tags: attrs.string_map("tags"),
        region: attrs.string("region").and_then(|f| f.value.known().cloned().map(|r| Spanned::new(r, f.span))),
        plan_action: action,
        prior_commitment: None,
        rejections,
        arn: attrs.string("provisioned_model_arn").and_then(|f| f.value.known().cloned()),
        suppressions: Vec::new(),
        prior: None,
        instances_unknown: None,
        deleted_with_stack: None,
    }
}

/// `a`, `a and b`, `a, b and c`.
fn english_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub(crate) fn custom_model(address: &str, span: Span, attrs: &dyn Attrs) -> CustomModel {
    CustomModel {
        resource: address.to_string(),
        span,
        base_model: attrs.string("base_model_identifier"),
        customization_type: attrs.string("customization_type").and_then(|f| f.value.known().cloned()),
        name: attrs.string("custom_model_name").and_then(|f| f.value.known().cloned()),
    }
}

fn alarm_metric(attrs: &dyn Attrs) -> AlarmMetric {
    AlarmMetric {
        namespace: attrs.string("namespace").map(|f| f.value),
        metric_name: attrs.string("metric_name").map(|f| f.value),
        model_id: attrs.map_entry("dimensions", "ModelId"),
    }
}

pub(crate) fn alarm(address: &str, span: Span, attrs: &dyn Attrs) -> Alarm {
    let queries = attrs.blocks("metric_query");
    let metrics: Vec<AlarmMetric> = if queries.is_empty() {
        vec![alarm_metric(attrs)]
    } else {
        queries.iter().flat_map(|q| q.blocks("metric")).map(|m| alarm_metric(m.as_ref())).collect()
    };
    let has_actions =
        ["alarm_actions", "ok_actions", "insufficient_data_actions"].iter().any(|k| !attrs.string_list(k).is_empty());
    Alarm {
        resource: address.to_string(),
        span,
        metrics,
        metric_math: !queries.is_empty(),
        comparison_operator: attrs.string("comparison_operator").and_then(|f| f.value.known().cloned()),
        has_actions,
        treat_missing_data: attrs.string("treat_missing_data").map(|f| f.value),
        expressions: queries
            .iter()
            .filter_map(|q| q.string("expression").and_then(|f| f.value.known().cloned()))
            .collect(),
    }
}

pub(crate) fn budget(address: &str, span: Span, attrs: &dyn Attrs) -> Budget {
    let known = |name: &str| attrs.string(name).and_then(|f| f.value.known().cloned());
    let mut filters: Vec<BudgetFilter> = attrs
        .blocks("cost_filter")
        .iter()
        .filter_map(|block| {
            let name = block.string("name")?.value.known()?.clone();
            Some(filter_from_pair(&name, block.string_list("values")))
        })
        .collect();
    // The deprecated `cost_filters` map: values are comma-separated strings.
    for (key, value) in attrs.string_map("cost_filters") {
        let values = value.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
        filters.push(filter_from_pair(&key, values));
    }
    for expression in attrs.blocks("filter_expression") {
        filters.push(filter_expression_block(expression.as_ref(), 0));
    }
    Budget {
        resource: address.to_string(),
        span,
        name: known("name"),
        budget_type: known("budget_type"),
        limit: known("limit_amount").and_then(|l| Decimal::from_str(l.trim()).ok()),
        limit_unit: known("limit_unit"),
        time_unit: known("time_unit"),
        filter: combine_all(filters),
    }
}

/// The newer `filter_expression` block (and/or/not/dimensions/tags), mirroring the CloudFormation shape.
fn filter_expression_block(attrs: &dyn Attrs, depth: usize) -> BudgetFilter {
    if depth > 16 {
        return BudgetFilter::Any(Vec::new());
    }
    let nested = |name: &str| -> Vec<BudgetFilter> {
        attrs.blocks(name).iter().map(|b| filter_expression_block(b.as_ref(), depth + 1)).collect()
    };
    let (and, or, not) = (nested("and"), nested("or"), nested("not"));
    let mut parts = Vec::new();
    if !and.is_empty() {
        parts.push(BudgetFilter::All(and));
    }
    if !or.is_empty() {
        parts.push(BudgetFilter::Any(or));
    }
    parts.extend(not.into_iter().map(|n| BudgetFilter::Not(Box::new(n))));
    for dim in attrs.blocks("dimensions") {
        if let Some(key) = dim.string("key").and_then(|f| f.value.known().cloned()) {
            parts.push(BudgetFilter::Dimension { key: normalise_dimension(&key), values: dim.string_list("values") });
        }
    }
    for tag in attrs.blocks("tags") {
        if let Some(key) = tag.string("key").and_then(|f| f.value.known().cloned()) {
            parts.push(BudgetFilter::Tag { key, values: tag.string_list("values") });
        }
    }
    combine_all(parts).unwrap_or(BudgetFilter::Any(Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_with_modules_and_indexes() {
        assert_eq!(
            parse_reference("aws_bedrock_custom_model.x.custom_model_arn", "module.m."),
            Some(TfRef::Object(Reference::Terraform {
                address: "module.m.aws_bedrock_custom_model.x".into(),
                attribute: Some("custom_model_arn".into())
            }))
        );
        assert_eq!(
            parse_reference("aws_bedrock_provisioned_model_throughput.pt[\"a.b\"].provisioned_model_arn", ""),
            Some(TfRef::Object(Reference::Terraform {
                address: "aws_bedrock_provisioned_model_throughput.pt[\"a.b\"]".into(),
                attribute: Some("provisioned_model_arn".into())
            }))
        );
        assert_eq!(parse_reference("var.units", ""), Some(TfRef::Var("units".into())));
        assert_eq!(parse_reference("each.value", ""), None);
        assert_eq!(
            parse_reference("data.aws_bedrock_foundation_model.m.model_arn", ""),
            Some(TfRef::Object(Reference::Terraform {
                address: "data.aws_bedrock_foundation_model.m".into(),
                attribute: Some("model_arn".into())
            }))
        );
    }

    #[test]
    fn index_stripping() {
        assert_eq!(strip_index("a.b[0]"), "a.b");
        assert_eq!(strip_index("a.b[\"k\"]"), "a.b");
        assert_eq!(strip_index("a.b"), "a.b");
    }
}
