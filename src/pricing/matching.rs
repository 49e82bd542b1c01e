//! Matching catalog and override rows to a model: ID prefixes, PT kinds, regions and partitions.

use super::entry::{AppliesTo, CatalogEntry};
use super::{HourlyRates, PriceOverride, Provenance, TokenRates};
use crate::model::ModelKind;

/// One priced row, from the catalog or from config.
#[derive(Debug, Clone)]
pub(super) struct Row {
    id: String,
    name: String,
    models: Vec<String>,
    /// Empty for config rows: an override names its model explicitly and applies to every kind.
    applies_to: Vec<AppliesTo>,
    regions: Vec<String>,
    pub(super) provisioned_hourly: Option<HourlyRates>,
    pub(super) on_demand_per_million: Option<TokenRates>,
    as_of: Option<String>,
    source: String,
    note: Option<String>,
    estimate: bool,
    pub(super) from_config: bool,
}

impl Row {
    pub(super) fn from_entry(entry: &CatalogEntry) -> Row {
        Row {
            id: entry.id.clone(),
            name: entry.name.clone(),
            models: entry.models.clone(),
            applies_to: entry.applies_to.clone(),
            regions: entry.regions.clone(),
            provisioned_hourly: entry.provisioned_hourly,
            on_demand_per_million: entry.on_demand_per_million,
            as_of: Some(entry.as_of.clone()),
            // Users see the source with its date: "AWS Bedrock pricing page, as of 2025-03".
            source: format!("{}, as of {}", entry.source, entry.as_of),
            note: entry.note.clone(),
            estimate: entry.estimate,
            from_config: false,
        }
    }

    pub(super) fn from_override(o: &PriceOverride, number: usize) -> Row {
        let model = o.model.trim().to_string();
        Row {
            id: format!("config:{number}"),
            name: format!("{model} (.ptlint.yaml pricing #{number})"),
            models: vec![model],
            applies_to: Vec::new(),
            regions: o.region.iter().map(|r| r.trim().to_string()).collect(),
            provisioned_hourly: o.provisioned_hourly,
            on_demand_per_million: o.on_demand_per_million,
            as_of: None,
            source: o.source.clone().unwrap_or_else(|| "config".to_string()),
            note: None,
            estimate: false,
            from_config: true,
        }
    }

    /// The longest of this row's prefixes that matches `id`.
    pub(super) fn matched_prefix(&self, id: &str) -> Option<&str> {
        self.models.iter().map(String::as_str).filter(|prefix| prefix_matches(prefix, id)).max_by_key(|p| p.len())
    }

    /// 1 when the row prices exactly this kind, 0 when it also prices others, `None` when not this kind.
    pub(super) fn kind_rank(&self, kind: ModelKind) -> Option<u8> {
        if self.applies_to.is_empty() {
            return Some(0);
        }
        let covered = self.applies_to.iter().any(|a| a.covers(kind));
        let exclusive = self.applies_to.iter().all(|a| a.covers(kind));
        covered.then_some(u8::from(exclusive))
    }

    /// 2 for an exact region, 1 for a pattern, 0 for a row without regions, `None` when it does not apply.
    pub(super) fn region_rank(&self, region: Option<&str>) -> Option<u8> {
        if self.regions.is_empty() {
            return Some(0);
        }
        let region = region?.trim();
        self.regions
            .iter()
            .filter_map(|candidate| {
                if candidate == region {
                    Some(2)
                } else {
                    region_pattern_matches(candidate, region).then_some(1)
                }
            })
            .max()
    }

    pub(super) fn provenance(&self, matched_model: &str) -> Provenance {
        Provenance {
            entry_id: self.id.clone(),
            name: self.name.clone(),
            matched_model: matched_model.to_string(),
            regions: self.regions.clone(),
            as_of: self.as_of.clone(),
            source: self.source.clone(),
            note: self.note.clone(),
            estimate: self.estimate,
            from_config: self.from_config,
        }
    }
}

/// `prefix` matches `id` when `id` is `prefix` or continues it with `:` (a version or context suffix).
pub(super) fn prefix_matches(prefix: &str, id: &str) -> bool {
    !prefix.is_empty() && id.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with(':'))
}

/// The AWS partition a region (or region prefix) belongs to, so `us-*` never reaches GovCloud or ISO regions.
fn partition_of(region: &str) -> &'static str {
    if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-iso") {
        "aws-iso"
    } else if region.starts_with("eu-isoe-") {
        "aws-iso-e"
    } else if region.starts_with("cn-") {
        "aws-cn"
    } else {
        "aws"
    }
}

/// Whether `pattern` (`<prefix>*`, e.g. `us-*`) covers `region` within the same partition.
pub(super) fn region_pattern_matches(pattern: &str, region: &str) -> bool {
    pattern.strip_suffix('*').is_some_and(|prefix| {
        !prefix.is_empty() && region.starts_with(prefix) && partition_of(prefix) == partition_of(region)
    })
}
