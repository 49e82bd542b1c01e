//! What AWS sells as Provisioned Throughput (docs/domain.md §8): the published model and region list, the
//! terms each kind of model can be bought on, and the alternatives to PT, as facts for PT008 and PT010.

pub mod table;

use crate::link::LinkedThroughput;
use crate::model::{Commitment, ModelKind, Resolved, Throughput};
use serde::Serialize;

/// When the published list below was read: AWS's "Supported Region and models for Provisioned
/// Throughput" page (prov-thru-supported), copy seen in 2026 and recorded in domain.md §8.2 (2026-11).
pub const LIST_AS_OF: &str = "2026-11";

/// Single-region PT support as published (domain.md §8.2): model IDs (context-length variants) and regions.
const SUPPORTED: &[(&[&str], &[&str])] = &[
    (
        &[
            "amazon.nova-2-lite-v1:0:256k",
            "amazon.nova-canvas-v1:0",
            "amazon.nova-lite-v1:0:24k",
            "amazon.nova-lite-v1:0:300k",
            "amazon.nova-micro-v1:0:24k",
            "amazon.nova-micro-v1:0:128k",
            "amazon.nova-pro-v1:0:24k",
            "amazon.nova-pro-v1:0:300k",
        ],
        &["us-east-1"],
    ),
    (&["amazon.titan-embed-text-v1:2:8k", "amazon.titan-image-generator-v2:0"], &["us-east-1", "us-west-2"]),
    (
        &["amazon.titan-embed-image-v1:0"],
        &[
            "ap-south-1",
            "ap-southeast-2",
            "ca-central-1",
            "eu-central-1",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "sa-east-1",
            "us-east-1",
            "us-west-2",
        ],
    ),
    (&["anthropic.claude-v2:0:100k", "anthropic.claude-v2:0:18k"], &["us-east-1", "us-west-2"]),
    (&["anthropic.claude-v2:1:18k", "anthropic.claude-v2:1:200k"], &["eu-central-1", "us-east-1", "us-west-2"]),
    (&["anthropic.claude-3-haiku-20240307-v1:0:200k"], &["ap-southeast-2", "eu-west-3", "us-east-1", "us-west-2"]),
    (
        &["anthropic.claude-3-haiku-20240307-v1:0:48k"],
        &["ap-south-1", "ap-southeast-2", "eu-west-1", "eu-west-3", "us-east-1", "us-west-2"],
    ),
    (
        &["anthropic.claude-3-sonnet-20240229-v1:0:200k"],
        &["ap-southeast-2", "eu-west-1", "eu-west-3", "us-east-1", "us-west-2"],
    ),
    (
        &["anthropic.claude-3-sonnet-20240229-v1:0:28k"],
        &["ap-south-1", "ap-southeast-2", "eu-west-1", "eu-west-3", "us-east-1", "us-west-2"],
    ),
    (
        &[
            "anthropic.claude-3-5-sonnet-20240620-v1:0:18k",
            "anthropic.claude-3-5-sonnet-20240620-v1:0:51k",
            "anthropic.claude-3-5-sonnet-20240620-v1:0:200k",
            "anthropic.claude-3-5-sonnet-20241022-v2:0:18k",
            "anthropic.claude-3-5-sonnet-20241022-v2:0:51k",
            "anthropic.claude-3-5-sonnet-20241022-v2:0:200k",
        ],
        &["us-west-2"],
    ),
    (&["anthropic.claude-instant-v1:2:100k"], &["us-east-1", "us-west-2"]),
    (
        &["cohere.embed-english-v3:0:512", "cohere.embed-multilingual-v3:0:512"],
        &["ca-central-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-west-2"],
    ),
    (
        &[
            "meta.llama3-1-8b-instruct-v1:0:128k",
            "meta.llama3-1-70b-instruct-v1:0:128k",
            "meta.llama3-2-1b-instruct-v1:0:128k",
            "meta.llama3-2-3b-instruct-v1:0:128k",
            "meta.llama3-2-11b-instruct-v1:0:128k",
            "meta.llama3-2-90b-instruct-v1:0:128k",
        ],
        &["us-west-2"],
    ),
];

/// Context-length variants seen for PT beyond the list (domain.md §7), so a missing variant can be named.
const OTHER_VARIANTS: &[&str] = &[
    "amazon.nova-premier-v1:0:8k",
    "amazon.nova-premier-v1:0:20k",
    "amazon.nova-premier-v1:0:1000k",
    "amazon.nova-premier-v1:0:mm",
    "amazon.titan-text-express-v1:0:8k",
    "amazon.titan-text-lite-v1:0:4k",
    "amazon.titan-embed-text-v2:0:8k",
    "amazon.titan-image-generator-v1:0",
    "anthropic.claude-3-opus-20240229-v1:0:12k",
    "anthropic.claude-3-opus-20240229-v1:0:28k",
    "anthropic.claude-3-opus-20240229-v1:0:200k",
    "anthropic.claude-sonnet-4-20250514-v1:0:32k",
    "anthropic.claude-sonnet-4-20250514-v1:0:200k",
];

/// Base models AWS sells no no-commitment PT for (Titan Image Generator G1 v1 and v2, domain.md §8.2).
const NO_COMMITMENT_NOT_SOLD: &[&str] = &["amazon.titan-image-generator-v1", "amazon.titan-image-generator-v2"];

/// A base model whose fine-tuned custom models can be served on demand (Custom Model Deployment,
/// domain.md §8.3), with the custom-deployment token rate where one is sourced.
struct CustomDeployment {
    base: &'static str,
    name: &'static str,
    region: &'static str,
    /// USD per 1M input and output tokens, and the source.
    rate: Option<(&'static str, &'static str, &'static str)>,
}

const CUSTOM_DEPLOYMENT: &[CustomDeployment] = &[
    CustomDeployment { base: "amazon.nova-lite-v1", name: "Nova Lite", region: "us-east-1", rate: None },
    CustomDeployment {
        base: "amazon.nova-2-lite-v1",
        name: "Nova 2 Lite",
        region: "us-east-1",
        // `USE1-Nova2.0Lite-input/output-tokens-custom-model` 0.00030 / 0.00250 per 1K tokens.
        rate: Some(("0.30", "2.50", "a third-party quote of the AWS Price List")),
    },
    CustomDeployment { base: "amazon.nova-micro-v1", name: "Nova Micro", region: "us-east-1", rate: None },
    CustomDeployment { base: "amazon.nova-pro-v1", name: "Nova Pro", region: "us-east-1", rate: None },
    CustomDeployment {
        base: "meta.llama3-3-70b-instruct-v1",
        name: "Llama 3.3 70B Instruct",
        region: "us-west-2",
        rate: None,
    },
];

/// Custom Model Import pricing (domain.md §8.3, pricing page A).
#[derive(Debug, Clone, Serialize)]
pub struct ImportPricing {
    /// USD per Custom Model Unit per minute, billed in 5-minute windows.
    pub cmu_minute: &'static str,
    /// USD per Custom Model Unit per month of storage.
    pub cmu_month_storage: &'static str,
    pub source: &'static str,
}

const IMPORT_PRICING: ImportPricing = ImportPricing {
    cmu_minute: "0.0785",
    cmu_month_storage: "1.95",
    source: "AWS Bedrock pricing page, as of 2025-03",
};

/// What AWS accepts and sells for one PT.
#[derive(Debug, Clone, Serialize)]
pub struct OfferFacts {
    /// The commitment exactly as written, when AWS does not accept that spelling (`ONE_MONTH`).
    pub commitment_written: Option<String>,
    /// How to write it instead (`` `OneMonth` ``), for the message.
    pub commitment_fix: Option<String>,
    /// The model units exactly as written, when not a whole number.
    pub model_units_written: Option<String>,
    /// What the deploying tool's own validation refuses (e.g. a Terraform `model_arn` that is not an ARN).
    pub rejections: Vec<String>,
    /// What the model is when a PT cannot serve it (`an inference profile`); `null` otherwise.
    pub unservable_model: Option<&'static str>,
    /// Whether the PT is in an AWS GovCloud (US) region.
    pub govcloud: bool,
    /// `false` when the PT's model is a base model AWS sells no no-commitment PT for.
    pub no_commitment_sold: bool,
    /// Whether the model (and region) is in AWS's published PT list; `null` when the model or region is not known.
    pub listed: Option<bool>,
    /// The regions the list gives for the model (empty when the model is not in it).
    pub listed_regions: Vec<String>,
    /// The context-length variants of a foundation-model ID written without the one PT requires.
    pub context_variants: Vec<String>,
    /// When the list was read.
    pub list_as_of: &'static str,
    pub import: ImportPricing,
    /// For a custom model whose base can be deployed on demand: that alternative in a sentence
    /// (starting with a space), else empty.
    pub on_demand_alternative: String,
}

/// The base model ID without its context-length variant (`amazon.nova-pro-v1:0:300k` -> `amazon.nova-pro-v1`).
fn family(id: &str) -> &str {
    id.split(':').next().unwrap_or(id)
}

/// Listed entries for this ID: exact for a foundation model; the same family for a custom model, whose
/// ID (a base-model identifier) may not name the variant.
fn listed_regions(id: &str, kind: ModelKind) -> Option<Vec<&'static str>> {
    let mut regions: Vec<&'static str> = Vec::new();
    let mut found = false;
    for (models, model_regions) in SUPPORTED {
        let hit = models.iter().any(|m| match kind {
            ModelKind::Custom => family(m) == family(id),
            _ => *m == id,
        });
        if hit {
            found = true;
            for region in model_regions.iter() {
                if !regions.contains(region) {
                    regions.push(region);
                }
            }
        }
    }
    regions.sort_unstable();
    found.then_some(regions)
}

/// The PT variants of a foundation-model ID written without one (`amazon.nova-pro-v1:0` -> `…:24k`, `…:300k`).
fn missing_variants(id: &str) -> Vec<String> {
    let prefix = format!("{id}:");
    SUPPORTED
        .iter()
        .flat_map(|(models, _)| models.iter())
        .chain(OTHER_VARIANTS)
        .filter(|m| m.starts_with(&prefix))
        .map(|m| m.to_string())
        .collect()
}

fn is_govcloud(region: Option<&str>) -> bool {
    region.is_some_and(|r| r.starts_with("us-gov-"))
}

fn commitment_fix(written: &str) -> String {
    match Commitment::likely_meant(written) {
        Some(Commitment::NoCommitment) => {
            "no `commitment_duration` / `CommitmentDuration` at all (that is no commitment)".into()
        }
        Some(term) => format!("`{term}`"),
        None => "`OneMonth` or `SixMonths`, or leave it out for no commitment".into(),
    }
}

fn on_demand_alternative(base: Option<&str>, kind: ModelKind) -> String {
    let Some(base) = base.filter(|_| kind == ModelKind::Custom) else { return String::new() };
    let Some(deployment) = CUSTOM_DEPLOYMENT.iter().find(|d| family(base) == d.base) else { return String::new() };
    let price = match deployment.rate {
        Some((input, output, source)) => {
            format!("at USD {input} per 1M input and {output} per 1M output tokens ({source})")
        }
        None => "at a per-token rate ptlint has no source for".to_string(),
    };
    format!(
        " Or serve it without PT: a {} custom model customized on or after 2025-07-16 can be deployed for \
         on-demand inference (CreateCustomModelDeployment, {}), billed per token {price}.",
        deployment.name, deployment.region
    )
}

/// The offer facts of one PT.
pub fn facts(pt: &Throughput, linked: &LinkedThroughput) -> OfferFacts {
    let region = linked.region.as_ref().map(|(r, _)| r.as_str());
    let commitment_written = match &pt.commitment.value {
        // An empty string is shown as written, quotes included, so the message names something.
        Resolved::Invalid(text) if text.trim().is_empty() => Some(format!("\"{text}\"")),
        Resolved::Invalid(text) => Some(text.clone()),
        _ => None,
    };
    let model_units_written = match pt.model_units.as_ref().map(|u| &u.value) {
        Some(Resolved::Invalid(text)) => Some(text.clone()),
        _ => None,
    };
    let unservable_model =
        pt.model.as_ref().and_then(|m| m.value.known()).and_then(|m| crate::pricing::not_servable_by_pt(m));
    let base = linked.base_model.as_deref();
    let is_foundation = linked.model_kind == ModelKind::Foundation;
    let no_commitment_sold = !(is_foundation && base.is_some_and(|b| NO_COMMITMENT_NOT_SOLD.contains(&family(b))));
    let mut context_variants = Vec::new();
    let mut listed_in = Vec::new();
    let mut listed = None;
    let judged = matches!(linked.model_kind, ModelKind::Foundation | ModelKind::Custom)
        // GovCloud sells PT only for custom models, whatever the list says (PT008 judges that).
        && !is_govcloud(region)
        && unservable_model.is_none();
    if let (Some(id), true) = (base, judged) {
        match listed_regions(id, linked.model_kind) {
            Some(regions) => {
                listed = region.map(|r| regions.contains(&r));
                listed_in = regions.iter().map(|r| r.to_string()).collect();
            }
            None => {
                if is_foundation {
                    context_variants = missing_variants(id);
                }
                listed = Some(false);
            }
        }
    }
    OfferFacts {
        commitment_fix: commitment_written.as_deref().map(commitment_fix),
        commitment_written,
        model_units_written,
        rejections: pt.rejections.clone(),
        unservable_model,
        govcloud: is_govcloud(region),
        no_commitment_sold,
        listed,
        listed_regions: listed_in,
        context_variants,
        list_as_of: LIST_AS_OF,
        import: IMPORT_PRICING,
        on_demand_alternative: on_demand_alternative(base, linked.model_kind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_models_match_the_family_and_foundation_models_the_variant() {
        assert_eq!(listed_regions("amazon.nova-pro-v1:0:300k", ModelKind::Foundation), Some(vec!["us-east-1"]));
        assert_eq!(listed_regions("amazon.nova-pro-v1:0", ModelKind::Foundation), None);
        assert_eq!(listed_regions("amazon.nova-pro-v1:0", ModelKind::Custom), Some(vec!["us-east-1"]));
        assert_eq!(
            listed_regions("anthropic.claude-v2:1:200k", ModelKind::Foundation),
            Some(vec!["eu-central-1", "us-east-1", "us-west-2"])
        );
    }

    #[test]
    fn a_missing_context_variant_names_the_ones_that_exist() {
        assert_eq!(
            missing_variants("amazon.nova-pro-v1:0"),
            vec!["amazon.nova-pro-v1:0:24k", "amazon.nova-pro-v1:0:300k"]
        );
        assert_eq!(missing_variants("amazon.titan-text-express-v1:0"), vec!["amazon.titan-text-express-v1:0:8k"]);
        assert!(missing_variants("mistral.mistral-large-2407-v1:0").is_empty());
    }

    #[test]
    fn misspelt_terms_say_what_to_write() {
        assert_eq!(commitment_fix("ONE_MONTH"), "`OneMonth`");
        assert_eq!(commitment_fix("6months"), "`SixMonths`");
        assert_eq!(commitment_fix("yearly"), "`OneMonth` or `SixMonths`, or leave it out for no commitment");
    }

    #[test]
    fn only_sourced_rates_price_the_on_demand_alternative() {
        let nova2 = on_demand_alternative(Some("amazon.nova-2-lite-v1:0:256k"), ModelKind::Custom);
        assert!(nova2.contains("USD 0.30 per 1M input and 2.50 per 1M output tokens"), "{nova2}");
        let llama = on_demand_alternative(Some("meta.llama3-3-70b-instruct-v1:0"), ModelKind::Custom);
        assert!(llama.contains("Llama 3.3 70B Instruct") && llama.contains("no source for"), "{llama}");
        assert_eq!(on_demand_alternative(Some("amazon.nova-2-lite-v1:0:256k"), ModelKind::Foundation), "");
        assert_eq!(on_demand_alternative(Some("amazon.titan-text-express-v1:0:8k"), ModelKind::Custom), "");
    }
}
