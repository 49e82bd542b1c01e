//! Reading Bedrock model ARNs and IDs: the base model ID that prices a model, its region and its kind.

use crate::model::ModelKind;

/// The parts of a Bedrock ARN `arn:<partition>:bedrock:<region>:<account>:<resource>`.
struct BedrockArn<'a> {
    region: &'a str,
    resource: &'a str,
}

fn parse_bedrock_arn(text: &str) -> Option<BedrockArn<'_>> {
    let [arn, partition, service, region, _account, resource] = crate::arn::fields(text)?;
    let partition_ok = partition == "aws"
        || partition.strip_prefix("aws-").is_some_and(|rest| !rest.is_empty())
        || is_placeholder(partition);
    (arn == "arn" && partition_ok && service == "bedrock").then_some(BedrockArn { region, resource })
}

/// A field not known where the ARN was read, written `${...}` (see `Throughput::model`).
fn is_placeholder(field: &str) -> bool {
    field.starts_with("${") && field.ends_with('}')
}

/// The base model ID that prices `model`:
/// - a foundation-model ARN (`arn:aws[-*]:bedrock:<r>::foundation-model/<id>`) gives `<id>`;
/// - a custom-model ARN (`…:custom-model/<base-id incl. :ver:ctx>/<12 chars>`) gives the embedded base ID;
/// - a `custom-model/imported/<id>` ARN (weights brought in with CreateCustomModel) gives `None`: it has no base;
/// - any other ARN (provisioned model, imported model, inference profile, …) gives `None`;
/// - a bare model ID (or custom model name) is returned as is.
pub fn base_model_id(model: &str) -> Option<String> {
    let model = model.trim();
    if model.is_empty() {
        return None;
    }
    if !model.starts_with("arn:") {
        return Some(model.to_string());
    }
    let arn = parse_bedrock_arn(model)?;
    if let Some(id) = arn.resource.strip_prefix("foundation-model/") {
        return (!id.is_empty()).then(|| id.to_string());
    }
    let rest = arn.resource.strip_prefix("custom-model/")?;
    if rest.starts_with("imported/") {
        return None;
    }
    let (base, suffix) = rest.rsplit_once('/')?;
    // A base written `${...}` is one a deployment gives: not known here.
    (!base.is_empty() && !suffix.is_empty() && !base.contains("${")).then(|| base.to_string())
}

/// The region named in a Bedrock ARN (`None` for a bare ID, a non-Bedrock ARN or an empty region field).
pub fn arn_region(model: &str) -> Option<String> {
    let arn = parse_bedrock_arn(model.trim())?;
    (!arn.region.is_empty() && !is_placeholder(arn.region)).then(|| arn.region.to_string())
}

/// Whether a bare model ID is a foundation-model ID (`<provider>.<model>[:…]`) rather than the name of a
/// custom model: custom model names match `([0-9a-zA-Z][_-]?)+` (the API pattern), so they have no dot.
pub fn is_foundation_model_id(id: &str) -> bool {
    let head = id.split(':').next().unwrap_or(id);
    head.split_once('.').is_some_and(|(provider, model)| {
        !provider.is_empty() && !model.is_empty() && provider.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

/// What kind of model `model` names: a foundation-model ARN or ID is `Foundation`; a custom-model ARN
/// (`custom-model/imported/…`, weights brought with CreateCustomModel, included: those are served on PT)
/// or a bare custom model name is `Custom`; an `imported-model/…` ARN (Custom Model Import, served on
/// demand) is `Imported`; a provisioned-model, inference-profile or any other ARN is `Unknown`.
pub fn model_kind_of(model: &str) -> ModelKind {
    let model = model.trim();
    if model.is_empty() {
        return ModelKind::Unknown;
    }
    if !model.starts_with("arn:") {
        return if is_foundation_model_id(model) { ModelKind::Foundation } else { ModelKind::Custom };
    }
    let Some(arn) = parse_bedrock_arn(model) else {
        return ModelKind::Unknown;
    };
    let resource = arn.resource;
    if resource.starts_with("foundation-model/") {
        ModelKind::Foundation
    } else if resource.starts_with("imported-model/") {
        ModelKind::Imported
    } else if resource.starts_with("custom-model/") {
        ModelKind::Custom
    } else {
        ModelKind::Unknown
    }
}

/// Geography prefixes of cross-region inference profile IDs (`us.anthropic.claude-3-haiku-20240307-v1:0`).
const PROFILE_PREFIXES: &[&str] = &["us", "us-gov", "eu", "apac", "global"];

/// What `model` names when it is something a PT cannot serve: the PT API's model identifier takes
/// foundation-model and custom-model IDs and ARNs only (domain.md §7), not an inference profile, another
/// provisioned model or an on-demand custom model deployment. Imported models are [`ModelKind::Imported`].
pub fn not_servable_by_pt(model: &str) -> Option<&'static str> {
    let model = model.trim();
    if !model.starts_with("arn:") {
        let (head, rest) = model.split_once('.')?;
        return (PROFILE_PREFIXES.contains(&head) && is_foundation_model_id(rest))
            .then_some("a cross-region inference profile");
    }
    let resource = parse_bedrock_arn(model)?.resource;
    if resource.starts_with("inference-profile/") || resource.starts_with("application-inference-profile/") {
        Some("an inference profile")
    } else if resource.starts_with("provisioned-model/") {
        Some("a provisioned model (a PT cannot serve another PT)")
    } else if resource.starts_with("custom-model-deployment/") {
        Some("an on-demand custom model deployment")
    } else {
        None
    }
}
