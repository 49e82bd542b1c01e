//! The rate types `catalog.yaml` and `.ptlint.yaml` `pricing:` share: PT hourly rates, token prices, overrides.

use super::amount;
use crate::model::Commitment;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A `.ptlint.yaml` `pricing:` entry: adds or overrides catalog rates (negotiated or unpublished prices).
///
/// Amounts may be written as YAML strings (`"50.00"`, exact) or numbers (`50`, `25.5`); numbers are read
/// from their shortest round-trip form, so a number with up to 15 significant digits is exact, and one
/// with more is rejected (write it as a string). Negative amounts are rejected.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceOverride {
    /// Model ID (or ID prefix) it prices; matches IDs that continue with any `:<version>`/`:<context>` suffix.
    pub model: String,
    /// Region it applies to (an exact name, or a pattern such as `us-*`); absent: every region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// PT rates in USD per model unit per hour; when present they replace the catalog's PT rates for this model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioned_hourly: Option<HourlyRates>,
    /// On-demand token prices in USD per 1M tokens; when present they replace the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_demand_per_million: Option<TokenRates>,
    /// Shown as the rate's source; absent: `config`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// PT rates in USD per model unit (MU) per hour, one per commitment term; an unpublished term is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HourlyRates {
    /// Rate without commitment (billed hourly, delete any time).
    #[serde(default, deserialize_with = "amount::optional", skip_serializing_if = "Option::is_none")]
    pub no_commitment: Option<Decimal>,
    /// Rate with a 1-month commitment.
    #[serde(default, deserialize_with = "amount::optional", skip_serializing_if = "Option::is_none")]
    pub one_month: Option<Decimal>,
    /// Rate with a 6-month commitment.
    #[serde(default, deserialize_with = "amount::optional", skip_serializing_if = "Option::is_none")]
    pub six_months: Option<Decimal>,
}

impl HourlyRates {
    /// The rate for `term`, if published.
    pub fn for_term(&self, term: Commitment) -> Option<Decimal> {
        match term {
            Commitment::NoCommitment => self.no_commitment,
            Commitment::OneMonth => self.one_month,
            Commitment::SixMonths => self.six_months,
        }
    }

    /// Whether no term has a rate.
    pub fn is_empty(&self) -> bool {
        self.no_commitment.is_none() && self.one_month.is_none() && self.six_months.is_none()
    }
}

/// On-demand token prices in USD per 1M tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRates {
    /// Price per 1M input tokens.
    #[serde(deserialize_with = "amount::required")]
    pub input: Decimal,
    /// Price per 1M output tokens; `None` means output tokens are not billed separately (embedding models).
    #[serde(default, deserialize_with = "amount::optional", skip_serializing_if = "Option::is_none")]
    pub output: Option<Decimal>,
}
