//! The embedded price catalog (`catalog.yaml`): loading and checking it, layering `.ptlint.yaml` overrides, lookups.

use super::matching::Row;
use super::{base_model_id, PriceOverride};
use crate::model::ModelKind;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::OnceLock;

pub use super::entry::{AppliesTo, CatalogEntry};
pub use super::price_match::{PriceMatch, Priced, Provenance};

#[cfg(test)]
mod lookup_tests;
#[cfg(test)]
mod tests;

/// The catalog data, compiled into the binary.
const EMBEDDED_YAML: &str = include_str!("catalog.yaml");

/// `catalog.yaml` as written: source descriptions (YAML anchors) and the entries.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    /// Only there to define the anchors entries refer to.
    #[serde(default, rename = "sources")]
    _sources: BTreeMap<String, String>,
    entries: Vec<CatalogEntry>,
}

/// Why a catalog could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    /// The entry at fault, if the problem is in one entry.
    pub entry: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.entry {
            Some(entry) => write!(f, "price catalog entry `{entry}`: {}", self.message),
            None => write!(f, "price catalog: {}", self.message),
        }
    }
}

impl std::error::Error for CatalogError {}

/// Whether `text` is `YYYY-MM-DD` or `YYYY-MM` with a plausible month and day.
fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize| -> Option<u32> {
        (s.len() == len && s.chars().all(|c| c.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    match parts.as_slice() {
        [y, m] => number(y, 4).is_some() && number(m, 2).is_some_and(|m| (1..=12).contains(&m)),
        [y, m, d] => {
            number(y, 4).is_some()
                && number(m, 2).is_some_and(|m| (1..=12).contains(&m))
                && number(d, 2).is_some_and(|d| (1..=31).contains(&d))
        }
        _ => false,
    }
}

fn is_kebab(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn check_entry(entry: &CatalogEntry) -> Result<(), String> {
    if !is_kebab(&entry.id) {
        return Err("id must be kebab-case".to_string());
    }
    if entry.name.trim().is_empty() {
        return Err("name is empty".to_string());
    }
    if entry.models.is_empty() || entry.models.iter().any(|m| m.is_empty() || m.contains(char::is_whitespace)) {
        return Err("models must be non-empty model IDs without spaces".to_string());
    }
    if entry.applies_to.is_empty() {
        return Err("applies_to is empty".to_string());
    }
    for region in &entry.regions {
        let valid_chars =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let valid = match region.strip_suffix('*') {
            Some(prefix) => prefix.ends_with('-') && valid_chars(prefix),
            None => valid_chars(region),
        };
        if !valid {
            return Err(format!("region {region:?} is neither a region name nor a `prefix-*` pattern"));
        }
    }
    if !is_iso_date(&entry.as_of) {
        return Err(format!("as_of {:?} is not an ISO date (YYYY-MM-DD or YYYY-MM)", entry.as_of));
    }
    if entry.source.trim().is_empty() {
        return Err("source is empty".to_string());
    }
    match (&entry.provisioned_hourly, &entry.on_demand_per_million) {
        (None, None) => Err("has neither provisioned_hourly nor on_demand_per_million".to_string()),
        (Some(hourly), _) if hourly.is_empty() => Err("provisioned_hourly has no rate".to_string()),
        // A PT rate is regional: one whose source names no region would price every region (domain.md §9.6).
        (Some(_), _) if entry.regions.is_empty() => {
            Err("provisioned_hourly needs the regions its source states".to_string())
        }
        _ => Ok(()),
    }
}

/// The price catalog: embedded entries, optionally with `.ptlint.yaml` overrides on top.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<CatalogEntry>,
    rows: Vec<Row>,
}

impl Catalog {
    /// The catalog compiled into ptlint (`src/pricing/catalog.yaml`), parsed once.
    pub fn embedded() -> &'static Catalog {
        static EMBEDDED: OnceLock<Catalog> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Catalog::from_yaml(EMBEDDED_YAML)
                .expect("the embedded src/pricing/catalog.yaml is invalid; the pricing unit tests check it")
        })
    }

    /// Parses and checks a catalog in the `catalog.yaml` format.
    pub fn from_yaml(text: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile =
            serde_yaml::from_str(text).map_err(|e| CatalogError { entry: None, message: e.to_string() })?;
        let mut ids = BTreeSet::new();
        for entry in &file.entries {
            check_entry(entry).map_err(|message| CatalogError { entry: Some(entry.id.clone()), message })?;
            if !ids.insert(entry.id.as_str()) {
                return Err(CatalogError { entry: Some(entry.id.clone()), message: "duplicate id".to_string() });
            }
        }
        let rows = file.entries.iter().map(Row::from_entry).collect();
        Ok(Catalog { entries: file.entries, rows })
    }

    /// The catalog's own entries (overrides not included).
    pub fn entries(&self) -> &[CatalogEntry] {
        &self.entries
    }

    /// This catalog with `overrides` (`.ptlint.yaml` `pricing:`) on top. An override beats every catalog
    /// entry for the rates it gives (its `provisioned_hourly` block replaces the catalog's PT rates, its
    /// `on_demand_per_million` block the on-demand prices; a block it leaves out keeps the catalog's).
    /// Among overrides the longest model prefix wins, then an exact region over a pattern over none, then
    /// the one listed last. Overrides apply to every PT kind, since they name the model explicitly.
    pub fn with_overrides(&self, overrides: &[PriceOverride]) -> Catalog {
        let mut rows = self.rows.clone();
        let already = rows.iter().filter(|r| r.from_config).count();
        rows.extend(overrides.iter().enumerate().map(|(i, o)| Row::from_override(o, already + i + 1)));
        Catalog { entries: self.entries.clone(), rows }
    }

    /// The prices of `model_id` for a PT of `kind` in `region`.
    ///
    /// `model_id` is a model ID (a custom PT is looked up by its base model ID); an ARN is accepted and
    /// reduced with [`base_model_id`]. An entry matches when one of its prefixes is the ID or a `:`-prefix
    /// of it, its `applies_to` covers `kind` (imported models count as custom; `Unknown` matches only
    /// overrides), and its regions cover `region` (`None` matches only entries without regions). PT rates
    /// and on-demand prices are each taken from the best matching entry that has them: overrides first,
    /// then the longest prefix, then an entry for exactly this kind (a custom-only row beats the base
    /// model's row), then an exact region over a pattern over an entry without regions.
    ///
    /// `None` when neither PT rates nor on-demand prices are found.
    pub fn lookup(&self, model_id: &str, kind: ModelKind, region: Option<&str>) -> Option<PriceMatch> {
        let id = base_model_id(model_id)?;
        let region = region.map(str::trim).filter(|r| !r.is_empty());
        let provisioned =
            self.best(&id, kind, region, |row| row.provisioned_hourly.is_some()).and_then(|(row, prefix)| {
                Some(Priced { rates: row.provisioned_hourly?, provenance: row.provenance(prefix) })
            });
        let on_demand =
            self.best(&id, kind, region, |row| row.on_demand_per_million.is_some()).and_then(|(row, prefix)| {
                Some(Priced { rates: row.on_demand_per_million?, provenance: row.provenance(prefix) })
            });
        if provisioned.is_none() && on_demand.is_none() {
            return None;
        }
        Some(PriceMatch { model_id: id, kind, region: region.map(str::to_string), provisioned, on_demand })
    }

    /// Prices a model as written in a template (ARN or ID): the kind comes from [`super::model_kind_of`],
    /// the region from the ARN, else `default_region`.
    pub fn lookup_model(&self, model: &str, default_region: Option<&str>) -> Option<PriceMatch> {
        let region = super::arn_region(model);
        let region = region.as_deref().or(default_region);
        self.lookup(model, super::model_kind_of(model), region)
    }

    fn best<'a>(
        &'a self,
        id: &str,
        kind: ModelKind,
        region: Option<&str>,
        has: impl Fn(&Row) -> bool,
    ) -> Option<(&'a Row, &'a str)> {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, row)| has(row))
            .filter_map(|(position, row)| {
                let prefix = row.matched_prefix(id)?;
                let kind_rank = row.kind_rank(kind)?;
                let region_rank = row.region_rank(region)?;
                // Later overrides beat earlier ones; among catalog rows (which should never tie) the first wins.
                let order = if row.from_config { position as i64 } else { -(position as i64) };
                Some(((row.from_config, prefix.len(), kind_rank, region_rank, order), row, prefix))
            })
            .max_by_key(|(rank, _, _)| *rank)
            .map(|(_, row, prefix)| (row, prefix))
    }
}
