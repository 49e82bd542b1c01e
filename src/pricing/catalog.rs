//! The embedded price catalog (`catalog.yaml`): loading, `.ptlint.yaml` overrides, and model/region matching.

use super::{base_model_id, HourlyRates, PriceOverride, TokenRates};
use crate::model::{Commitment, ModelKind};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::OnceLock;

/// The catalog data, compiled into the binary.
const EMBEDDED_YAML: &str = include_str!("catalog.yaml");

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
    fn covers(self, kind: ModelKind) -> bool {
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
    /// Where the figures come from.
    pub source: String,
    /// Figures or caveats the structured fields cannot hold.
    #[serde(default)]
    pub note: Option<String>,
}

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

    /// The PT rates, if any.
    pub fn provisioned_hourly(&self) -> Option<&HourlyRates> {
        self.provisioned.as_ref().map(|p| &p.rates)
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

    /// Name of the entry behind [`PriceMatch::provenance`].
    pub fn name(&self) -> &str {
        &self.provenance().name
    }

    /// Source snapshot date of [`PriceMatch::provenance`] (`None` for config rates).
    pub fn as_of(&self) -> Option<&str> {
        self.provenance().as_of.as_deref()
    }

    /// Source of [`PriceMatch::provenance`].
    pub fn source(&self) -> &str {
        &self.provenance().source
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
        from_config: false,
    })
}

/// One priced row, from the catalog or from config.
#[derive(Debug, Clone)]
struct Row {
    id: String,
    name: String,
    models: Vec<String>,
    /// Empty for config rows: an override names its model explicitly and applies to every kind.
    applies_to: Vec<AppliesTo>,
    regions: Vec<String>,
    provisioned_hourly: Option<HourlyRates>,
    on_demand_per_million: Option<TokenRates>,
    as_of: Option<String>,
    source: String,
    note: Option<String>,
    from_config: bool,
}

impl Row {
    fn from_entry(entry: &CatalogEntry) -> Row {
        Row {
            id: entry.id.clone(),
            name: entry.name.clone(),
            models: entry.models.clone(),
            applies_to: entry.applies_to.clone(),
            regions: entry.regions.clone(),
            provisioned_hourly: entry.provisioned_hourly,
            on_demand_per_million: entry.on_demand_per_million,
            as_of: Some(entry.as_of.clone()),
            source: entry.source.clone(),
            note: entry.note.clone(),
            from_config: false,
        }
    }

    fn from_override(o: &PriceOverride, number: usize) -> Row {
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
            from_config: true,
        }
    }

    /// The longest of this row's prefixes that matches `id`.
    fn matched_prefix(&self, id: &str) -> Option<&str> {
        self.models.iter().map(String::as_str).filter(|prefix| prefix_matches(prefix, id)).max_by_key(|p| p.len())
    }

    /// 1 when the row prices exactly this kind, 0 when it also prices others, `None` when not this kind.
    fn kind_rank(&self, kind: ModelKind) -> Option<u8> {
        if self.applies_to.is_empty() {
            return Some(0);
        }
        let covered = self.applies_to.iter().any(|a| a.covers(kind));
        let exclusive = self.applies_to.iter().all(|a| a.covers(kind));
        covered.then_some(u8::from(exclusive))
    }

    /// 2 for an exact region, 1 for a pattern, 0 for a row without regions, `None` when it does not apply.
    fn region_rank(&self, region: Option<&str>) -> Option<u8> {
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

    fn provenance(&self, matched_model: &str) -> Provenance {
        Provenance {
            entry_id: self.id.clone(),
            name: self.name.clone(),
            matched_model: matched_model.to_string(),
            regions: self.regions.clone(),
            as_of: self.as_of.clone(),
            source: self.source.clone(),
            note: self.note.clone(),
            from_config: self.from_config,
        }
    }
}

/// `prefix` matches `id` when `id` is `prefix` or continues it with `:` (a version or context suffix).
fn prefix_matches(prefix: &str, id: &str) -> bool {
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
fn region_pattern_matches(pattern: &str, region: &str) -> bool {
    pattern.strip_suffix('*').is_some_and(|prefix| {
        !prefix.is_empty() && region.starts_with(prefix) && partition_of(prefix) == partition_of(region)
    })
}

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

#[cfg(test)]
mod tests {
    use super::super::{break_even, estimate, DEFAULT_MIX};
    use super::*;

    macro_rules! dec {
        ($lit:literal) => {
            <Decimal as std::str::FromStr>::from_str(stringify!($lit)).unwrap()
        };
    }

    fn catalog() -> &'static Catalog {
        Catalog::embedded()
    }

    #[test]
    fn embedded_catalog_parses_and_is_complete() {
        let catalog = catalog();
        assert_eq!(catalog.entries().len(), 61);
        let pt = catalog.entries().iter().filter(|e| e.provisioned_hourly.is_some()).count();
        let od = catalog.entries().iter().filter(|e| e.on_demand_per_million.is_some()).count();
        assert_eq!((pt, od), (24, 37));
    }

    /// Fails if an entry lacks `as_of` or `source`, or if a rate is not a quoted decimal string that
    /// parses exactly. Reads the raw YAML so a float or a missing key cannot hide behind serde defaults.
    #[test]
    fn every_entry_has_as_of_source_and_string_rates() {
        let raw: serde_yaml::Value = serde_yaml::from_str(EMBEDDED_YAML).unwrap();
        let entries = raw["entries"].as_sequence().unwrap();
        assert!(!entries.is_empty());
        let mut rates = 0;
        for entry in entries {
            let id = entry["id"].as_str().unwrap_or("<no id>");
            let as_of = entry["as_of"].as_str().unwrap_or_else(|| panic!("{id}: as_of missing or not a string"));
            assert!(is_iso_date(as_of), "{id}: as_of {as_of:?}");
            let source = entry["source"].as_str().unwrap_or_else(|| panic!("{id}: source missing"));
            assert!(source.len() > 10, "{id}: source {source:?}");
            for block in ["provisioned_hourly", "on_demand_per_million"] {
                let Some(map) = entry.get(block) else {
                    continue;
                };
                let map = map.as_mapping().unwrap_or_else(|| panic!("{id}: {block} is not a mapping"));
                for (term, value) in map {
                    let text =
                        value.as_str().unwrap_or_else(|| panic!("{id}: {block}.{term:?} is not a quoted string"));
                    let parsed = super::super::amount::parse_text(text).unwrap_or_else(|e| panic!("{id}: {e}"));
                    assert_eq!(parsed.to_string(), text, "{id}: {block}.{term:?} does not parse exactly");
                    assert!(parsed > Decimal::ZERO, "{id}: {block}.{term:?} is not positive");
                    rates += 1;
                }
            }
        }
        // 24 PT entries (63 terms published) and 37 on-demand entries (72 prices, 2 without output).
        assert_eq!(rates, 63 + 72);
    }

    #[test]
    fn catalog_entries_never_tie() {
        // Two entries tie when they could both be the best for one (model, kind, region) with the same
        // kind of rate: same prefix, a common kind with the same exclusivity, the same region spec.
        let entries = catalog().entries();
        for (i, a) in entries.iter().enumerate() {
            for b in &entries[i + 1..] {
                let same_rates = (a.provisioned_hourly.is_some() && b.provisioned_hourly.is_some())
                    || (a.on_demand_per_million.is_some() && b.on_demand_per_million.is_some());
                let shared_model = a.models.iter().any(|m| b.models.contains(m));
                let shared_kind = a.applies_to.iter().any(|k| b.applies_to.contains(k))
                    && (a.applies_to.len() == 1) == (b.applies_to.len() == 1);
                let shared_region =
                    (a.regions.is_empty() && b.regions.is_empty()) || a.regions.iter().any(|r| b.regions.contains(r));
                assert!(!(same_rates && shared_model && shared_kind && shared_region), "`{}` and `{}` tie", a.id, b.id);
            }
        }
    }

    #[test]
    fn from_yaml_rejects_incomplete_entries() {
        let base = "entries:\n  - id: x\n    name: X\n    models: [a.b-v1]\n    applies_to: [foundation]\n";
        let rates = "    on_demand_per_million: {input: \"1.00\"}\n";
        let cases = [
            (format!("{base}{rates}    source: s\n"), "missing field `as_of`"),
            (format!("{base}{rates}    as_of: \"2025-03\"\n"), "missing field `source`"),
            (format!("{base}{rates}    as_of: \"March 2025\"\n    source: s\n"), "ISO date"),
            (format!("{base}    as_of: \"2025-03\"\n    source: s\n"), "neither"),
            (format!("{base}    provisioned_hourly: {{}}\n    as_of: \"2025-03\"\n    source: s\n"), "no rate"),
            (format!("{base}{rates}    regions: [\"us*\"]\n    as_of: \"2025-03\"\n    source: s\n"), "pattern"),
            (
                format!("{base}    on_demand_per_million: {{input: \"x\"}}\n    as_of: \"2025-03\"\n    source: s\n"),
                "not a decimal",
            ),
            (format!("{base}{rates}    as_of: \"2025-03\"\n    source: s\n    price: 1\n"), "unknown field"),
        ];
        for (yaml, expected) in cases {
            let err = Catalog::from_yaml(&yaml).unwrap_err().to_string();
            assert!(err.contains(expected), "{expected}: {err}");
        }
        let ok = format!("{base}{rates}    as_of: \"2025-03\"\n    source: s\n");
        let dup = format!("{ok}{}", ok.trim_start_matches("entries:\n"));
        assert!(Catalog::from_yaml(&dup).unwrap_err().to_string().contains("duplicate id"));
        assert_eq!(Catalog::from_yaml(&ok).unwrap().entries().len(), 1);
    }

    /// One row per kind of catalog entry: (model, kind, region, term) → expected PT rate, entry, on-demand.
    #[test]
    fn lookup_table() {
        struct Case {
            model: &'static str,
            kind: ModelKind,
            region: Option<&'static str>,
            term: Commitment,
            rate: Option<Decimal>,
            entry: Option<&'static str>,
            on_demand: Option<(Decimal, Option<Decimal>)>,
        }
        let fm = ModelKind::Foundation;
        let cm = ModelKind::Custom;
        let cases = [
            // Each term of a foundation entry (exact regions us-east-1 / us-west-2).
            Case {
                model: "anthropic.claude-instant-v1:2:100k",
                kind: fm,
                region: Some("us-east-1"),
                term: Commitment::NoCommitment,
                rate: Some(dec!(44.00)),
                entry: Some("claude-instant-pt-us"),
                on_demand: Some((dec!(0.80), Some(dec!(2.40)))),
            },
            Case {
                model: "anthropic.claude-instant-v1:2:100k",
                kind: fm,
                region: Some("us-west-2"),
                term: Commitment::OneMonth,
                rate: Some(dec!(39.60)),
                entry: Some("claude-instant-pt-us"),
                on_demand: Some((dec!(0.80), Some(dec!(2.40)))),
            },
            Case {
                model: "anthropic.claude-instant-v1:2:100k",
                kind: fm,
                region: Some("us-east-1"),
                term: Commitment::SixMonths,
                rate: Some(dec!(22.00)),
                entry: Some("claude-instant-pt-us"),
                on_demand: Some((dec!(0.80), Some(dec!(2.40)))),
            },
            // Same family, another exact region, an unpublished term.
            Case {
                model: "anthropic.claude-v2:1:200k",
                kind: fm,
                region: Some("ap-northeast-1"),
                term: Commitment::SixMonths,
                rate: Some(dec!(48.00)),
                entry: Some("claude-2-pt-ap-northeast-1"),
                on_demand: Some((dec!(8.00), Some(dec!(24.00)))),
            },
            Case {
                model: "anthropic.claude-v2:1:200k",
                kind: fm,
                region: Some("ap-northeast-1"),
                term: Commitment::NoCommitment,
                rate: None,
                entry: Some("claude-2-pt-ap-northeast-1"),
                on_demand: Some((dec!(8.00), Some(dec!(24.00)))),
            },
            // An exact-region row does not reach another region: no PT rate in eu-west-1.
            Case {
                model: "anthropic.claude-v2:0:18k",
                kind: fm,
                region: Some("eu-west-1"),
                term: Commitment::OneMonth,
                rate: None,
                entry: None,
                on_demand: Some((dec!(8.00), Some(dec!(24.00)))),
            },
            Case {
                model: "amazon.titan-text-express-v1:0:8k",
                kind: fm,
                region: Some("us-west-2"),
                term: Commitment::OneMonth,
                rate: None,
                entry: None,
                on_demand: Some((dec!(0.20), Some(dec!(0.60)))),
            },
            // A `us-*` row covers every US commercial region, but not GovCloud.
            Case {
                model: "cohere.command-text-v14:7:4k",
                kind: fm,
                region: Some("us-east-2"),
                term: Commitment::SixMonths,
                rate: Some(dec!(23.77)),
                entry: Some("cohere-command-pt-us"),
                on_demand: Some((dec!(1.00), Some(dec!(2.00)))),
            },
            Case {
                model: "cohere.command-light-text-v14:7:4k",
                kind: cm,
                region: Some("us-west-2"),
                term: Commitment::OneMonth,
                rate: Some(dec!(6.85)),
                entry: Some("cohere-command-light-pt-us"),
                on_demand: None,
            },
            Case {
                model: "cohere.command-text-v14:7:4k",
                kind: fm,
                region: Some("us-gov-west-1"),
                term: Commitment::SixMonths,
                rate: None,
                entry: None,
                on_demand: Some((dec!(1.00), Some(dec!(2.00)))),
            },
            // Custom-only rows: they win for custom PTs, and do not price the foundation model.
            Case {
                model: "amazon.titan-image-generator-v2:0",
                kind: cm,
                region: Some("us-east-1"),
                term: Commitment::OneMonth,
                rate: Some(dec!(21.00)),
                entry: Some("titan-image-generator-custom-pt-us-east-1"),
                on_demand: None,
            },
            Case {
                model: "amazon.titan-image-generator-v2:0",
                kind: fm,
                region: Some("us-east-1"),
                term: Commitment::OneMonth,
                rate: Some(dec!(16.20)),
                entry: Some("titan-image-generator-v2-pt-us-east-1"),
                on_demand: None,
            },
            Case {
                model: "amazon.nova-canvas-v1:0",
                kind: cm,
                region: Some("us-east-1"),
                term: Commitment::SixMonths,
                rate: Some(dec!(30.25)),
                entry: Some("nova-canvas-custom-pt-us-east-1"),
                on_demand: None,
            },
            Case {
                model: "amazon.nova-canvas-v1:0",
                kind: fm,
                region: Some("us-east-1"),
                term: Commitment::SixMonths,
                rate: None,
                entry: None,
                on_demand: None,
            },
            // Llama 2: no-commit is custom-only; chat models keep their 1-/6-month rates.
            Case {
                model: "meta.llama2-13b-v1:0:4k",
                kind: cm,
                region: Some("us-east-1"),
                term: Commitment::NoCommitment,
                rate: Some(dec!(23.50)),
                entry: Some("llama-2-custom-pt-us"),
                on_demand: None,
            },
            Case {
                model: "meta.llama2-70b-chat-v1:0:4k",
                kind: fm,
                region: Some("us-east-1"),
                term: Commitment::NoCommitment,
                rate: None,
                entry: Some("llama-2-pt-us"),
                on_demand: Some((dec!(1.95), Some(dec!(2.56)))),
            },
            Case {
                model: "meta.llama2-70b-chat-v1:0:4k",
                kind: fm,
                region: Some("us-west-2"),
                term: Commitment::SixMonths,
                rate: Some(dec!(13.08)),
                entry: Some("llama-2-pt-us"),
                on_demand: Some((dec!(1.95), Some(dec!(2.56)))),
            },
            Case {
                model: "meta.llama2-70b-chat-v1:0:4k",
                kind: cm,
                region: Some("us-west-2"),
                term: Commitment::NoCommitment,
                rate: Some(dec!(23.50)),
                entry: Some("llama-2-custom-pt-us"),
                on_demand: None,
            },
            // Llama 3.1 / 3.2 (us-west-2), Nova 2 Lite (six months unpublished).
            Case {
                model: "meta.llama3-1-70b-instruct-v1:0:128k",
                kind: fm,
                region: Some("us-west-2"),
                term: Commitment::NoCommitment,
                rate: Some(dec!(24.00)),
                entry: Some("llama-3-1-pt-us-west-2"),
                on_demand: Some((dec!(0.72), Some(dec!(0.72)))),
            },
            Case {
                model: "meta.llama3-2-90b-instruct-v1:0",
                kind: fm,
                region: Some("us-west-2"),
                term: Commitment::OneMonth,
                rate: Some(dec!(26.48)),
                entry: Some("llama-3-2-90b-pt-us-west-2"),
                on_demand: Some((dec!(0.72), Some(dec!(0.72)))),
            },
            Case {
                model: "amazon.nova-2-lite-v1:0:256k",
                kind: fm,
                region: Some("us-east-1"),
                term: Commitment::SixMonths,
                rate: None,
                entry: Some("nova-2-lite-pt-us-east-1"),
                on_demand: Some((dec!(0.33), Some(dec!(2.75)))),
            },
            // Claude 3 and Nova Pro: on-demand prices, no PT rate.
            Case {
                model: "anthropic.claude-3-haiku-20240307-v1:0:200k",
                kind: fm,
                region: Some("us-east-1"),
                term: Commitment::OneMonth,
                rate: None,
                entry: None,
                on_demand: Some((dec!(0.25), Some(dec!(1.25)))),
            },
            Case {
                model: "anthropic.claude-3-5-sonnet-20240620-v1:0:18k",
                kind: fm,
                region: Some("us-west-2"),
                term: Commitment::SixMonths,
                rate: None,
                entry: None,
                on_demand: Some((dec!(3.00), Some(dec!(15.00)))),
            },
            Case {
                model: "amazon.nova-pro-v1:0:300k",
                kind: fm,
                region: Some("us-east-1"),
                term: Commitment::NoCommitment,
                rate: None,
                entry: None,
                on_demand: Some((dec!(0.80), Some(dec!(3.20)))),
            },
            // Regional on-demand rows: GovCloud beats the region-less row; embeddings have no output price.
            Case {
                model: "anthropic.claude-3-5-sonnet-20241022-v2:0",
                kind: fm,
                region: Some("us-gov-west-1"),
                term: Commitment::OneMonth,
                rate: None,
                entry: None,
                on_demand: Some((dec!(3.60), Some(dec!(18.00)))),
            },
            Case {
                model: "amazon.titan-embed-text-v2:0:8k",
                kind: fm,
                region: None,
                term: Commitment::OneMonth,
                rate: None,
                entry: None,
                on_demand: Some((dec!(0.02), None)),
            },
            // Without a region only region-less rows apply.
            Case {
                model: "anthropic.claude-instant-v1:2:100k",
                kind: fm,
                region: None,
                term: Commitment::OneMonth,
                rate: None,
                entry: None,
                on_demand: Some((dec!(0.80), Some(dec!(2.40)))),
            },
        ];
        for case in cases {
            let label = format!("{} {:?} {:?} {}", case.model, case.kind, case.region, case.term);
            let found = catalog().lookup(case.model, case.kind, case.region);
            let rate = found.as_ref().and_then(|p| p.hourly_rate(case.term));
            assert_eq!(rate, case.rate, "rate: {label}");
            let entry = found.as_ref().and_then(|p| p.provisioned.as_ref()).map(|p| p.provenance.entry_id.as_str());
            assert_eq!(entry, case.entry, "entry: {label}");
            let on_demand = found.as_ref().and_then(|p| p.on_demand_per_million()).map(|r| (r.input, r.output));
            assert_eq!(on_demand, case.on_demand, "on-demand: {label}");
            if let Some(found) = &found {
                assert!(found.as_of().is_some() && !found.source().is_empty() && !found.from_config(), "{label}");
            }
        }
        // Nothing at all for models the catalog does not know.
        assert_eq!(catalog().lookup("mistral.mistral-large-2407-v1:0", ModelKind::Foundation, Some("us-west-2")), None);
    }

    #[test]
    fn prefix_matching_needs_a_colon_boundary() {
        assert!(prefix_matches("anthropic.claude-v2", "anthropic.claude-v2"));
        assert!(prefix_matches("anthropic.claude-v2", "anthropic.claude-v2:1:200k"));
        assert!(!prefix_matches("anthropic.claude-v2", "anthropic.claude-v2x"));
        assert!(!prefix_matches("anthropic.claude-v2", "anthropic.claude-v"));
        assert!(!prefix_matches("", "anything"));
        // Opus 4 does not swallow Opus 4.5-4.8, nor the other way round.
        let opus4 = catalog().lookup("anthropic.claude-opus-4-20250514-v1:0", ModelKind::Foundation, None).unwrap();
        assert_eq!(opus4.on_demand_per_million().unwrap().input, dec!(15.00));
        let opus46 = catalog().lookup("anthropic.claude-opus-4-6-v1", ModelKind::Foundation, None).unwrap();
        assert_eq!(opus46.on_demand_per_million().unwrap().input, dec!(5.00));
        assert_eq!(opus46.provenance().matched_model, "anthropic.claude-opus-4-6-v1");
    }

    #[test]
    fn region_patterns_stay_in_their_partition() {
        assert!(region_pattern_matches("us-*", "us-east-1"));
        assert!(region_pattern_matches("us-*", "us-west-2"));
        assert!(!region_pattern_matches("us-*", "us-gov-west-1"));
        assert!(!region_pattern_matches("us-*", "us-iso-east-1"));
        assert!(!region_pattern_matches("us-*", "eu-west-1"));
        assert!(region_pattern_matches("us-gov-*", "us-gov-east-1"));
        assert!(!region_pattern_matches("us-east-1", "us-east-1"));
    }

    #[test]
    fn custom_model_arn_priced_from_its_base() {
        let arn = "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/a1b2c3d4e5f6";
        let price = catalog().lookup_model(arn, Some("eu-west-1")).unwrap();
        assert_eq!(price.kind, ModelKind::Custom);
        assert_eq!(price.model_id, "amazon.titan-text-express-v1:0:8k");
        // The ARN's region beats the default region.
        assert_eq!(price.region.as_deref(), Some("us-east-1"));
        assert_eq!(price.hourly_rate(Commitment::SixMonths), Some(dec!(14.80)));
        assert_eq!(price.entry_id(), "titan-text-express-pt-us-east-1");
        // A custom model has no on-demand token price in the catalog.
        assert_eq!(price.on_demand_per_million(), None);
        // GovCloud custom model: the base has no GovCloud rate, so it stays unpriced.
        let gov = "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/a1b2c3d4e5f6";
        assert_eq!(catalog().lookup_model(gov, None), None);
        // lookup() also accepts the ARN directly.
        let direct = catalog().lookup(arn, ModelKind::Custom, Some("us-east-1")).unwrap();
        assert_eq!(direct.hourly_rate(Commitment::OneMonth), Some(dec!(18.40)));
    }

    #[test]
    fn imported_weights_are_not_priced_from_any_base() {
        let imported = "arn:aws:bedrock:us-east-1:123456789012:custom-model/imported/abcdef123456";
        assert_eq!(catalog().lookup_model(imported, Some("us-east-1")), None);
        assert_eq!(catalog().lookup(imported, ModelKind::Imported, Some("us-east-1")), None);
        let imported_model = "arn:aws:bedrock:us-east-1:123456789012:imported-model/abcdef123456";
        assert_eq!(catalog().lookup_model(imported_model, None), None);
        // A PT ARN says nothing about the model behind it.
        let pt = "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456";
        assert_eq!(catalog().lookup_model(pt, None), None);
        // Unknown kind with a known model ID: the catalog does not guess.
        assert_eq!(catalog().lookup("amazon.titan-text-express-v1:0:8k", ModelKind::Unknown, Some("us-east-1")), None);
    }

    #[test]
    fn foundation_arn_in_govcloud() {
        let arn = "arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0";
        let price = catalog().lookup_model(arn, None).unwrap();
        assert_eq!(price.region.as_deref(), Some("us-gov-west-1"));
        assert_eq!(price.provisioned, None);
        let od = price.on_demand.as_ref().unwrap();
        assert_eq!(od.rates.input, dec!(3.60));
        assert_eq!(od.provenance.entry_id, "claude-3-5-sonnet-govcloud-on-demand");
        assert_eq!(od.provenance.regions, vec!["us-gov-*".to_string()]);
    }

    #[test]
    fn overrides_beat_the_catalog() {
        let overrides = [PriceOverride {
            model: "amazon.titan-text-express-v1".to_string(),
            region: None,
            provisioned_hourly: Some(HourlyRates {
                no_commitment: None,
                one_month: Some(dec!(15.00)),
                six_months: None,
            }),
            on_demand_per_million: None,
            source: Some("EDP agreement 2026".to_string()),
        }];
        let catalog = Catalog::embedded().with_overrides(&overrides);
        let price =
            catalog.lookup("amazon.titan-text-express-v1:0:8k", ModelKind::Foundation, Some("us-east-1")).unwrap();
        assert_eq!(price.hourly_rate(Commitment::OneMonth), Some(dec!(15.00)));
        // The override's block replaces the catalog's PT rates as a whole: its unpublished terms stay unknown.
        assert_eq!(price.hourly_rate(Commitment::SixMonths), None);
        assert!(price.from_config());
        assert_eq!(price.entry_id(), "config:1");
        assert_eq!(price.source(), "EDP agreement 2026");
        assert_eq!(price.as_of(), None);
        // On-demand prices were not overridden, so they still come from the catalog.
        let od = price.on_demand.as_ref().unwrap();
        assert_eq!(od.rates.input, dec!(0.20));
        assert!(!od.provenance.from_config);
        // With no region, the override applies everywhere (the catalog has no us-west-2 rate).
        let west = catalog.lookup("amazon.titan-text-express-v1:0:8k", ModelKind::Custom, Some("us-west-2")).unwrap();
        assert_eq!(west.hourly_rate(Commitment::OneMonth), Some(dec!(15.00)));
        // The base catalog is unchanged.
        let base =
            Catalog::embedded().lookup("amazon.titan-text-express-v1:0:8k", ModelKind::Foundation, Some("us-east-1"));
        assert_eq!(base.unwrap().hourly_rate(Commitment::OneMonth), Some(dec!(18.40)));
    }

    #[test]
    fn override_with_region_applies_only_there() {
        let overrides = [
            PriceOverride {
                model: "amazon.nova-pro-v1:0".to_string(),
                region: Some("us-east-1".to_string()),
                provisioned_hourly: Some(HourlyRates {
                    no_commitment: Some(dec!(30)),
                    one_month: None,
                    six_months: None,
                }),
                on_demand_per_million: None,
                source: None,
            },
            PriceOverride {
                model: "amazon.nova-pro-v1".to_string(),
                region: None,
                provisioned_hourly: Some(HourlyRates {
                    no_commitment: Some(dec!(31)),
                    one_month: None,
                    six_months: None,
                }),
                on_demand_per_million: None,
                source: None,
            },
            PriceOverride {
                model: "amazon.nova-pro-v1:0".to_string(),
                region: Some("us-west-2".to_string()),
                provisioned_hourly: Some(HourlyRates {
                    no_commitment: Some(dec!(32)),
                    one_month: None,
                    six_months: None,
                }),
                on_demand_per_million: Some(super::super::TokenRates { input: dec!(0.70), output: Some(dec!(3.00)) }),
                source: None,
            },
        ];
        let catalog = Catalog::embedded().with_overrides(&overrides);
        let rate = |region: Option<&str>| {
            catalog
                .lookup("amazon.nova-pro-v1:0:300k", ModelKind::Foundation, region)
                .and_then(|p| p.hourly_rate(Commitment::NoCommitment))
        };
        assert_eq!(rate(Some("us-east-1")), Some(dec!(30)));
        assert_eq!(rate(Some("us-west-2")), Some(dec!(32)));
        // Elsewhere the region-less override (shorter prefix) applies; without it nothing would.
        assert_eq!(rate(Some("eu-west-1")), Some(dec!(31)));
        assert_eq!(rate(None), Some(dec!(31)));
        let only_regional = Catalog::embedded().with_overrides(&overrides[..1]);
        let elsewhere =
            only_regional.lookup("amazon.nova-pro-v1:0:300k", ModelKind::Foundation, Some("eu-west-1")).unwrap();
        assert_eq!(elsewhere.provisioned, None);
        assert!(!elsewhere.from_config());
        // On-demand override only in us-west-2; elsewhere the catalog price stays.
        let west = catalog.lookup("amazon.nova-pro-v1:0:300k", ModelKind::Foundation, Some("us-west-2")).unwrap();
        assert_eq!(west.on_demand_per_million().unwrap().input, dec!(0.70));
        let east = catalog.lookup("amazon.nova-pro-v1:0:300k", ModelKind::Foundation, Some("us-east-1")).unwrap();
        assert_eq!(east.on_demand_per_million().unwrap().input, dec!(0.80));
        // A later layer of overrides beats an earlier one for the same model and region.
        let layered =
            catalog.with_overrides(&[
                PriceOverride { region: Some("us-east-1".to_string()), ..overrides[0].clone() }.with_rate(dec!(29))
            ]);
        let p = layered.lookup("amazon.nova-pro-v1:0:300k", ModelKind::Foundation, Some("us-east-1")).unwrap();
        assert_eq!(p.hourly_rate(Commitment::NoCommitment), Some(dec!(29)));
        assert_eq!(p.entry_id(), "config:4");
    }

    impl PriceOverride {
        fn with_rate(mut self, rate: Decimal) -> PriceOverride {
            self.provisioned_hourly =
                Some(HourlyRates { no_commitment: Some(rate), one_month: None, six_months: None });
            self
        }
    }

    /// Cross-check against domain.md §6.4 (730 h, 3:1 blend): total break-even tokens per MU-month.
    #[test]
    fn break_even_matches_domain_illustration() {
        let rows = [
            ("meta.llama3-1-70b-instruct-v1:0:128k", "us-west-2", Commitment::OneMonth, dec!(15461.40), 21.5),
            ("meta.llama3-1-70b-instruct-v1:0:128k", "us-west-2", Commitment::SixMonths, dec!(9548.40), 13.3),
            ("amazon.titan-text-express-v1:0:8k", "us-east-1", Commitment::OneMonth, dec!(13432.00), 44.8),
            ("anthropic.claude-instant-v1:2:100k", "us-east-1", Commitment::SixMonths, dec!(16060.00), 13.4),
        ];
        for (model, region, term, monthly, billions) in rows {
            let price = catalog().lookup(model, ModelKind::Foundation, Some(region)).unwrap();
            let est = estimate(1, price.hourly_rate(term).unwrap(), term, dec!(730));
            assert_eq!(est.monthly_cost, monthly, "{model}");
            let (i, o) =
                break_even(est.monthly_cost, DEFAULT_MIX.0, DEFAULT_MIX.1, price.on_demand_per_million().unwrap())
                    .unwrap();
            let total = (i + o) as f64 / 1e9;
            assert!((total - billions).abs() < 0.05, "{model}: {total} vs {billions}");
        }
    }

    #[test]
    fn iso_dates() {
        assert!(is_iso_date("2025-03"));
        assert!(is_iso_date("2026-08-24"));
        assert!(!is_iso_date("2025-13"));
        assert!(!is_iso_date("2025-3"));
        assert!(!is_iso_date("2025-03-32"));
        assert!(!is_iso_date("~Mar 2025"));
    }
}
