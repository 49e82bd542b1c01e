//! One entry of the price catalog as `catalog.yaml` writes it, and which kinds of PT it prices.

use super::{HourlyRates, TokenRates};
use crate::model::ModelKind;
use serde::{Deserialize, Serialize};

/// Which kinds of provisioned throughput a catalog entry prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AppliesTo {
    /// PTs of the foundation model itself.
    Foundation,
    /// PTs of custom models (fine-tuned, distilled, …, and imported weights) derived from it.
    Custom,
}

impl AppliesTo {
    pub(super) fn covers(self, kind: ModelKind) -> bool {
        matches!(
            (self, kind),
            (AppliesTo::Foundation, ModelKind::Foundation)
                | (AppliesTo::Custom, ModelKind::Custom | ModelKind::Imported)
        )
    }
}

/// One entry of `catalog.yaml`: the published prices of a model family in some regions.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogEntry {
    /// Unique kebab-case identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Model-ID prefixes; `P` matches the ID `P` and any ID `P:<suffix>`.
    pub models: Vec<String>,
    /// The PT kinds it prices.
    pub applies_to: Vec<AppliesTo>,
    /// Exact region names or `prefix-*` patterns; empty when the source states no region (matches any).
    #[serde(default)]
    pub regions: Vec<String>,
    /// PT rates, USD per model unit per hour.
    #[serde(default)]
    pub provisioned_hourly: Option<HourlyRates>,
    /// On-demand token prices, USD per 1M tokens.
    #[serde(default)]
    pub on_demand_per_million: Option<TokenRates>,
    /// ISO 8601 date (`YYYY-MM-DD`, or `YYYY-MM` when the source is dated to the month) of the source snapshot.
    pub as_of: String,
    /// Where the figures come from, as users see it (`AWS Bedrock pricing page`); shown with `as_of`.
    pub source: String,
    /// For maintainers: the dated copy of the source the figures were read from (a crawl, a quote).
    #[serde(default)]
    pub copy: Option<String>,
    /// Figures or caveats the structured fields cannot hold.
    #[serde(default)]
    pub note: Option<String>,
    /// Whether the source calls its figures estimates (a third-party price cache that warns of a margin of
    /// error): reports say so beside the rate.
    #[serde(default)]
    pub estimate: bool,
}
