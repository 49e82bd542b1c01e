//! What a catalog lookup returns: the rates found for a model, each with where it comes from.

use super::{HourlyRates, TokenRates};
use crate::model::{Commitment, ModelKind};
use rust_decimal::Decimal;
use serde::Serialize;
use std::sync::OnceLock;

/// Where a matched rate comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// Catalog entry id, or `config:<n>` for the n-th `.ptlint.yaml` `pricing:` entry.
    pub entry_id: String,
    /// Display name of the entry.
    pub name: String,
    /// The model-ID prefix that matched.
    pub matched_model: String,
    /// The entry's regions (empty: any region; the source states none).
    pub regions: Vec<String>,
    /// Date of the source snapshot; `None` for config rates.
    pub as_of: Option<String>,
    /// The source, as the catalog or config states it (`config` when the config gives none).
    pub source: String,
    /// The entry's note, if any.
    pub note: Option<String>,
    /// Whether the source calls its figures estimates.
    pub estimate: bool,
    /// Whether the rate comes from `.ptlint.yaml` rather than the embedded catalog.
    pub from_config: bool,
}

/// Rates together with where they come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Priced<T> {
    /// The rates.
    pub rates: T,
    /// Their origin.
    pub provenance: Provenance,
}

/// The prices found for one model: PT rates and on-demand token prices, each from the best-matching
/// entry that has them (so each carries its own source and date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceMatch {
    /// The model ID that was priced (the base model ID when an ARN was given).
    pub model_id: String,
    /// The PT kind it was priced for.
    pub kind: ModelKind,
    /// The region it was priced in, if known.
    pub region: Option<String>,
    /// PT rates; `None` when no rate is published for this model, kind and region.
    pub provisioned: Option<Priced<HourlyRates>>,
    /// On-demand token prices; `None` when none are published (always for custom models in the catalog).
    pub on_demand: Option<Priced<TokenRates>>,
}

impl PriceMatch {
    /// The PT rate (USD per MU-hour) for `term`; `None` if no PT rate or none published for that term.
    pub fn hourly_rate(&self, term: Commitment) -> Option<Decimal> {
        self.provisioned.as_ref().and_then(|p| p.rates.for_term(term))
    }

    /// The on-demand token prices, if any.
    pub fn on_demand_per_million(&self) -> Option<&TokenRates> {
        self.on_demand.as_ref().map(|p| &p.rates)
    }

    /// The provenance of the PT rates, or of the on-demand prices when there are no PT rates.
    pub fn provenance(&self) -> &Provenance {
        match (&self.provisioned, &self.on_demand) {
            (Some(p), _) => &p.provenance,
            (None, Some(o)) => &o.provenance,
            // A PriceMatch is only built with at least one of them; an empty one would be a bug upstream.
            (None, None) => empty_provenance(),
        }
    }

    /// Id of the entry behind [`PriceMatch::provenance`].
    pub fn entry_id(&self) -> &str {
        &self.provenance().entry_id
    }

    /// Source snapshot date of [`PriceMatch::provenance`] (`None` for config rates).
    pub fn as_of(&self) -> Option<&str> {
        self.provenance().as_of.as_deref()
    }

    /// Source of [`PriceMatch::provenance`].
    pub fn source(&self) -> &str {
        &self.provenance().source
    }

    /// Whether the source of [`PriceMatch::provenance`] calls its figures estimates.
    pub fn estimate(&self) -> bool {
        self.provenance().estimate
    }

    /// Whether [`PriceMatch::provenance`] is a `.ptlint.yaml` rate.
    pub fn from_config(&self) -> bool {
        self.provenance().from_config
    }
}

fn empty_provenance() -> &'static Provenance {
    static EMPTY: OnceLock<Provenance> = OnceLock::new();
    EMPTY.get_or_init(|| Provenance {
        entry_id: String::new(),
        name: String::new(),
        matched_model: String::new(),
        regions: Vec::new(),
        as_of: None,
        source: String::new(),
        note: None,
        estimate: false,
        from_config: false,
    })
}
