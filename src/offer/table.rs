//! The models table behind `ptlint models`: for each model PT is or was sold for, its state (offered, legacy,
//! retired, unknown), the regions AWS's list gives, and the published rates with their source and date.

use super::{family, LIST_AS_OF, SUPPORTED};
use crate::pricing::lifecycle::{judge_entry, Lifecycle, LifecycleState};
use crate::pricing::{AppliesTo, Catalog, CatalogEntry, HourlyRates};
use serde::Serialize;
use std::collections::BTreeMap;

/// Whether AWS sells PT for a model, on the run's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In AWS's published PT list and not Legacy or past end of life by the lifecycle table.
    Offered,
    /// Legacy on the run's date: no new PT.
    Legacy,
    /// Past end of life on the run's date.
    Retired,
    /// Not in AWS's current list and no lifecycle dates: a rate may exist from an older page, but whether AWS
    /// still sells it is not known.
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Offered => "offered",
            Status::Legacy => "legacy",
            Status::Retired => "retired",
            Status::Unknown => "unknown",
        }
    }
}

/// One published PT rate of a model: where, for which kind of PT, and from which source.
#[derive(Debug, Clone, Serialize)]
pub struct RateRow {
    /// The catalog entry.
    pub entry: String,
    /// Regions the source states; empty: the source names none.
    pub regions: Vec<String>,
    /// `foundation` and/or `custom`.
    pub applies_to: Vec<AppliesTo>,
    /// USD per model unit per hour, by term; a term with no published rate is absent.
    pub provisioned_hourly: HourlyRates,
    /// The source as users see it, with its date.
    pub source: String,
    pub as_of: String,
    /// Whether the source says its figures are estimates (a third-party price cache).
    pub estimate: bool,
}

/// One row of the table: a model family (its ID without version and context, `amazon.nova-pro-v1`).
#[derive(Debug, Clone, Serialize)]
pub struct ModelRow {
    pub model: String,
    pub name: String,
    pub status: Status,
    /// Why the status is what it is, in a sentence.
    pub why: String,
    /// The model IDs (context-length variants) AWS's PT list gives.
    pub variants: Vec<String>,
    /// The regions AWS's PT list gives (empty: not in the list).
    pub pt_regions: Vec<String>,
    /// Published PT rates (empty: no source publishes one; supply it in `.ptlint.yaml` `pricing:`).
    pub rates: Vec<RateRow>,
}

/// The table and what it was judged on.
#[derive(Debug, Clone, Serialize)]
pub struct ModelsTable {
    /// The run's date.
    pub as_of: String,
    /// When AWS's list of models supported for PT was read.
    pub list_as_of: &'static str,
    /// The region asked for (`--region`), if any.
    pub region: Option<String>,
    pub models: Vec<ModelRow>,
}

/// Whether `region` is one of `regions`, exactly or by a `prefix-*` pattern (never GovCloud, China or ISO).
fn covers(regions: &[String], region: &str) -> bool {
    regions.iter().any(|r| match r.strip_suffix('*') {
        Some(prefix) => {
            region.starts_with(prefix) && !["us-gov-", "cn-", "us-iso"].iter().any(|p| region.starts_with(p))
        }
        None => r == region,
    })
}

fn rate_row(entry: &CatalogEntry, rates: HourlyRates) -> RateRow {
    RateRow {
        entry: entry.id.clone(),
        regions: entry.regions.clone(),
        applies_to: entry.applies_to.clone(),
        provisioned_hourly: rates,
        source: format!("{}, as of {}", entry.source, entry.as_of),
        as_of: entry.as_of.clone(),
        estimate: entry.estimate,
    }
}

fn empty_row(model: &str) -> ModelRow {
    ModelRow {
        model: model.to_string(),
        name: String::new(),
        status: Status::Unknown,
        why: String::new(),
        variants: Vec::new(),
        pt_regions: Vec::new(),
        rates: Vec::new(),
    }
}

/// The status of a row and why, from the lifecycle table (judged on `day`) and AWS's list.
fn status_of(row: &ModelRow, lifecycle: &Lifecycle, day: i64) -> (Status, String) {
    let judged = lifecycle.entry(&row.model).map(|e| judge_entry(e, day));
    let listed = !row.pt_regions.is_empty();
    match judged {
        Some(j) if j.state == LifecycleState::EndOfLife => (
            Status::Retired,
            format!("end of life {} ({})", j.entry.end_of_life.as_deref().unwrap_or("?"), j.entry.source),
        ),
        Some(j) if j.state == LifecycleState::Legacy => (
            Status::Legacy,
            format!(
                "Legacy since {}{}, end of life {} ({}): no new PT",
                j.legacy_date.as_deref().unwrap_or("?"),
                if j.legacy_derived { " at the latest" } else { "" },
                j.entry.end_of_life.as_deref().unwrap_or("?"),
                j.entry.source
            ),
        ),
        // The lifecycle source casts doubt on a listed model: say both, decide nothing.
        Some(j) if j.entry.note.is_some() => {
            let list = if listed { "in" } else { "not in" };
            let note = j.entry.note.as_deref().unwrap_or_default();
            (Status::Unknown, format!("{list} AWS's list of models supported for PT (as of {LIST_AS_OF}), but {note}"))
        }
        _ if listed => (Status::Offered, format!("in AWS's list of models supported for PT (as of {LIST_AS_OF})")),
        _ => (
            Status::Unknown,
            format!("not in AWS's list of models supported for PT (as of {LIST_AS_OF}); older pages listed more"),
        ),
    }
}

/// Build the table from AWS's PT list, the price catalog and the lifecycle table, judged on `day`.
pub fn build(catalog: &Catalog, lifecycle: &Lifecycle, day: i64, region: Option<&str>) -> ModelsTable {
    let mut rows: BTreeMap<String, ModelRow> = BTreeMap::new();
    for (models, regions) in SUPPORTED {
        for model in models.iter() {
            let row = rows.entry(family(model).to_string()).or_insert_with(|| empty_row(family(model)));
            row.variants.push(model.to_string());
            for region in regions.iter() {
                if !row.pt_regions.iter().any(|x| x == region) {
                    row.pt_regions.push(region.to_string());
                }
            }
        }
    }
    for entry in catalog.entries() {
        let Some(rates) = entry.provisioned_hourly else { continue };
        for model in &entry.models {
            let row = rows.entry(family(model).to_string()).or_insert_with(|| empty_row(family(model)));
            row.rates.push(rate_row(entry, rates));
        }
    }
    // Names: the lifecycle table's, else a base-model catalog entry's (on-demand entries name models too).
    let lifecycle_names = lifecycle.entries().iter().flat_map(|e| e.models.iter().map(move |m| (m, &e.name)));
    let catalog_names = catalog
        .entries()
        .iter()
        // An entry naming one model, or a PT entry (a family); not an on-demand entry shared by several models.
        .filter(|e| {
            e.applies_to.contains(&AppliesTo::Foundation) && (e.models.len() == 1 || e.provisioned_hourly.is_some())
        })
        .flat_map(|e| e.models.iter().map(move |m| (m, &e.name)));
    for (model, name) in lifecycle_names.chain(catalog_names) {
        let row = rows.entry(family(model).to_string()).or_insert_with(|| empty_row(family(model)));
        if row.name.is_empty() {
            row.name = name.clone();
        }
    }
    // Models with nothing but an on-demand price are not PT models: only rows with a list entry, a PT rate or
    // lifecycle dates stay.
    rows.retain(|model, row| !row.variants.is_empty() || !row.rates.is_empty() || lifecycle.entry(model).is_some());
    let mut models: Vec<ModelRow> = rows.into_values().collect();
    for row in &mut models {
        row.pt_regions.sort();
        (row.status, row.why) = status_of(row, lifecycle, day);
    }
    if let Some(region) = region {
        for row in &mut models {
            row.rates.retain(|rate| rate.regions.is_empty() || covers(&rate.regions, region));
        }
        models.retain(|row| row.pt_regions.iter().any(|x| x == region) || !row.rates.is_empty());
    }
    ModelsTable {
        as_of: crate::evidence::date_of_day(day),
        list_as_of: LIST_AS_OF,
        region: region.map(str::to_string),
        models,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::parse_date;

    fn table(date: &str, region: Option<&str>) -> ModelsTable {
        build(Catalog::embedded(), Lifecycle::embedded(), parse_date(date).unwrap(), region)
    }

    fn row<'a>(table: &'a ModelsTable, model: &str) -> &'a ModelRow {
        table.models.iter().find(|r| r.model == model).unwrap_or_else(|| panic!("no row {model}"))
    }

    #[test]
    fn every_model_of_the_list_the_catalog_and_the_lifecycle_table_has_one_row() {
        let t = table("2026-12-07", None);
        assert_eq!(row(&t, "amazon.nova-pro-v1").status, Status::Offered);
        assert!(row(&t, "amazon.nova-pro-v1").rates.is_empty(), "no source publishes a Nova Pro PT rate");
        assert_eq!(row(&t, "meta.llama3-2-11b-instruct-v1").status, Status::Retired);
        assert_eq!(row(&t, "amazon.titan-text-express-v1").status, Status::Unknown);
        assert!(!row(&t, "amazon.titan-text-express-v1").rates.is_empty());
        assert_eq!(row(&t, "anthropic.claude-3-haiku-20240307-v1").status, Status::Retired);
        assert_eq!(row(&t, "amazon.nova-pro-v1").name, "Nova Pro");
        assert_eq!(row(&t, "amazon.titan-image-generator-v2").name, "Titan Image Generator v2");
        // Listed for PT, but absent from the lifecycle table that leaves out retired models: not called offered.
        let claude2 = row(&t, "anthropic.claude-v2");
        assert_eq!(claude2.status, Status::Unknown);
        assert!(
            claude2.why.starts_with("in AWS's list") && claude2.why.contains("past end of life"),
            "{}",
            claude2.why
        );
        // Models with only on-demand prices are not in the table.
        assert!(t.models.iter().all(|r| r.model != "amazon.titan-text-premier-v1"));
        let before = table("2026-05-01", None);
        assert_eq!(row(&before, "anthropic.claude-3-haiku-20240307-v1").status, Status::Legacy);
        assert_eq!(row(&before, "amazon.nova-canvas-v1").status, Status::Legacy);
        let long_before = table("2025-01-01", None);
        assert_eq!(row(&long_before, "amazon.nova-canvas-v1").status, Status::Offered);
    }

    #[test]
    fn a_region_keeps_the_models_listed_or_priced_there_and_only_its_rates() {
        let t = table("2026-12-07", Some("eu-central-1"));
        let claude2 = row(&t, "anthropic.claude-v2");
        assert!(claude2.rates.iter().all(|r| r.regions == ["eu-central-1"]), "{:?}", claude2.rates);
        assert!(!claude2.rates.is_empty());
        assert!(t.models.iter().all(|r| r.model != "amazon.nova-pro-v1"));
        assert!(covers(&["us-*".to_string()], "us-east-2"));
        assert!(!covers(&["us-*".to_string()], "us-gov-west-1"));
    }
}
