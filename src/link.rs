//! Linking across all files of a run: PT -> custom model (kind, base model), region, covering budgets, watching alarms.
//!
//! Every link goes through an index built once per run, so linking costs time in proportion to the PTs, alarms,
//! budgets and custom models plus the links found, never PTs times alarms or budgets.
//!
//! Links stay within a scope (`docs/scope.md`): a budget covers the PTs of its own link unit (one template, one
//! cdk.out assembly, one Terraform root module with the modules it calls, or a unit a config's `link_scopes`
//! joins), a config's `budgets:` the PTs that config governs, and anything anywhere that names the PT's ARN.
//! References by logical ID or address resolve within one template or Terraform configuration.

mod coverage;
mod refs;
#[cfg(test)]
mod tests;

pub use coverage::CoveringBudgets;
// A run's files live in the model, where the readers below link can take them too; the layers above name them here.
pub use crate::model::InputFile;

use crate::model::{Alarm, Budget, BudgetFilter, Document, ModelKind, Reference, Resolved, Throughput};
use crate::pricing;
use crate::source::terraform::strip_index;
use coverage::CoverageIndex;
use refs::{AlarmIndex, CustomModelIndex};

/// Where a PT's region came from, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionSource {
    ModelArn,
    Resource,
    Provider,
    Flag,
    Config,
}

impl RegionSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RegionSource::ModelArn => "model ARN",
            RegionSource::Resource => "resource",
            RegionSource::Provider => "provider",
            RegionSource::Flag => "--region",
            RegionSource::Config => "config",
        }
    }
}

/// A budget from the scanned code or from config, with where it came from.
#[derive(Debug, Clone)]
pub struct RunBudget {
    pub budget: Budget,
    pub file: String,
    /// Which PTs it may cover, its filter permitting.
    pub reach: Reach,
}

/// The PTs a budget may cover before its filter is asked (besides PTs whose ARN the filter names, anywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reach {
    /// A budget in the scanned code: the PTs of this link unit (see [`LinkScopes::unit`]).
    Unit(usize),
    /// A budget of the config (`budgets:`): the PTs of the files that config governs.
    Governed,
}

/// Per file of the run: the link unit it belongs to, and whether the config whose budgets are linked governs it.
pub struct LinkScopes<'a> {
    pub unit: &'a [usize],
    pub governed: &'a [bool],
}

/// Everything known about one PT after linking.
#[derive(Debug, Clone)]
pub struct LinkedThroughput {
    /// Index into the run's files.
    pub file: usize,
    /// Index into that file's `document.throughputs`.
    pub index: usize,
    /// The model as written or resolved (an ID/ARN, or the reference text).
    pub model: Option<String>,
    pub model_kind: ModelKind,
    /// The foundation model the PT is priced from (itself for a foundation model).
    pub base_model: Option<String>,
    pub region: Option<(String, RegionSource)>,
    /// The run's cost budgets that cover this PT.
    pub budgets: CoveringBudgets,
    /// (file index, alarm index) of alarms whose ModelId dimension refers to this PT.
    pub alarms: Vec<(usize, usize)>,
}

/// Region settings that apply when a template does not say.
pub struct RegionDefaults<'a> {
    pub flag: Option<&'a str>,
    pub config: Option<&'a str>,
}

/// Link every PT of the run.
pub fn link(
    files: &[InputFile],
    scopes: &LinkScopes,
    budgets: &[RunBudget],
    defaults: &RegionDefaults,
) -> Vec<LinkedThroughput> {
    let models = CustomModelIndex::new(files);
    let alarm_index = AlarmIndex::new(files);
    let mut coverage = CoverageIndex::new(budgets);
    let mut out = Vec::new();
    for (file_index, file) in files.iter().enumerate() {
        for (index, pt) in file.document.throughputs.iter().enumerate() {
            let (model, model_kind, base_model) = resolve_model(files, &models, file_index, pt);
            let region = resolve_region(pt, &file.document, model.as_deref(), defaults);
            let region_name = region.as_ref().map(|(r, _)| r.as_str());
            let reach = (scopes.unit[file_index], scopes.governed[file_index]);
            let covering = coverage.covering(&pt.tags, region_name, pt.arn.as_deref(), reach);
            let alarms = alarm_index
                .candidates(files, file_index, &pt.resource, pt.arn.as_deref())
                .into_iter()
                .filter(|&(fi, ai)| watches(&files[fi].document.alarms[ai], pt, same_scope(files, file_index, fi)))
                .collect();
            out.push(LinkedThroughput {
                file: file_index,
                index,
                model,
                model_kind,
                base_model,
                region,
                budgets: covering,
                alarms,
            });
        }
    }
    out
}

/// References by logical ID or Terraform address only make sense inside one template or one Terraform configuration.
fn same_scope(files: &[InputFile], a: usize, b: usize) -> bool {
    refs::scope_of(files, a) == refs::scope_of(files, b)
}

/// A reference names a PT when the addresses are equal, or equal but for an instance index on one side
/// (a `.tf.json` declares `x` with `count`; a plan has `x[0]`, and references may name either).
fn address_matches(reference: &str, pt_address: &str) -> bool {
    reference == pt_address || reference == strip_index(pt_address) || strip_index(reference) == pt_address
}

fn resolve_model(
    files: &[InputFile],
    models: &CustomModelIndex,
    file_index: usize,
    pt: &Throughput,
) -> (Option<String>, ModelKind, Option<String>) {
    let Some(field) = &pt.model else { return (None, ModelKind::Unknown, None) };
    match &field.value {
        Resolved::Known(model) => {
            let kind = pricing::model_kind_of(model);
            // A custom model named by its name (not its ARN) says nothing of its base model.
            let named = !model.trim_start().starts_with("arn:") && kind == ModelKind::Custom;
            let base = if named { None } else { pricing::base_model_id(model) };
            (Some(model.clone()), kind, base)
        }
        Resolved::Ref(Reference::Terraform { address, .. }) => {
            let candidates: Vec<&crate::model::CustomModel> = models
                .candidates(files, file_index, address)
                .into_iter()
                .map(|(fi, mi)| &files[fi].document.custom_models[mi])
                .collect();
            // The instance named (`m[1]`) before any other instance of the same resource (`m[0]`).
            let target = candidates
                .iter()
                .find(|m| address_matches(address, &m.resource))
                .or_else(|| candidates.iter().find(|m| strip_index(address) == strip_index(&m.resource)));
            let text = field.value.to_string();
            match target {
                Some(custom) => {
                    let base = custom
                        .base_model
                        .as_ref()
                        .and_then(|b| b.value.known())
                        .and_then(|b| pricing::base_model_id(b));
                    (Some(text), ModelKind::Custom, base)
                }
                // The custom-model data source reads an existing custom model.
                None if address.contains("data.aws_bedrock_custom_model.") => (Some(text), ModelKind::Custom, None),
                None => (Some(text), ModelKind::Unknown, None),
            }
        }
        other => (Some(other.to_string()), ModelKind::Unknown, None),
    }
}

fn resolve_region(
    pt: &Throughput,
    doc: &Document,
    model: Option<&str>,
    defaults: &RegionDefaults,
) -> Option<(String, RegionSource)> {
    model
        .and_then(pricing::arn_region)
        .map(|r| (r, RegionSource::ModelArn))
        .or_else(|| pt.region.as_ref().map(|r| (r.value.clone(), RegionSource::Resource)))
        .or_else(|| doc.region.clone().map(|r| (r, RegionSource::Provider)))
        .or_else(|| defaults.flag.map(|r| (r.to_string(), RegionSource::Flag)))
        .or_else(|| defaults.config.map(|r| (r.to_string(), RegionSource::Config)))
}

/// Only cost budgets cap money; usage and RI/Savings Plans budgets do not.
fn is_cost_budget(budget: &Budget) -> bool {
    budget.budget_type.as_deref().is_none_or(|t| t.eq_ignore_ascii_case("COST"))
}

/// [`covers`] for a PT whose ARN is not known.
#[cfg(test)]
fn covers_tags(filter: &BudgetFilter, tags: &[(String, String)], region: Option<&str>) -> bool {
    covers(filter, tags, region, None)
}

/// Does a budget filter include the charges of a PT with these tags in this region, and this ARN when known
/// (`RESOURCE_ID`)? Unknown dimensions never claim coverage. Only tags, region and ARN are looked at (the coverage
/// index relies on it).
fn covers(filter: &BudgetFilter, tags: &[(String, String)], region: Option<&str>, arn: Option<&str>) -> bool {
    match filter {
        BudgetFilter::All(parts) => parts.iter().all(|f| covers(f, tags, region, arn)),
        BudgetFilter::Any(parts) => parts.iter().any(|f| covers(f, tags, region, arn)),
        BudgetFilter::Not(inner) => !covers(inner, tags, region, arn),
        BudgetFilter::Tag { key, values } => {
            tags.iter().any(|(k, v)| k == key && (values.is_empty() || values.iter().any(|want| want == v)))
        }
        BudgetFilter::Dimension { key, values } => match key.as_str() {
            "service" | "service_code" => values.iter().any(|v| {
                let v = v.trim();
                v.eq_ignore_ascii_case("Amazon Bedrock") || v.eq_ignore_ascii_case("AmazonBedrock")
            }),
            "region" => region.is_some_and(|r| values.iter().any(|v| v == r)),
            "resource_id" => arn.is_some_and(|a| values.iter().any(|v| v == a)),
            "usage_type" | "usage_type_group" => {
                values.iter().any(|v| v.to_ascii_lowercase().contains("provisionedthroughput"))
            }
            _ => false,
        },
    }
}

/// Does this alarm's ModelId dimension refer to this PT?
fn watches(alarm: &Alarm, pt: &Throughput, same_scope: bool) -> bool {
    alarm.metrics.iter().filter_map(|m| m.model_id.as_ref()).any(|field| match &field.value {
        Resolved::Known(arn) => pt.arn.as_deref() == Some(arn.as_str()),
        Resolved::Ref(Reference::CfnRef(id) | Reference::CfnGetAtt(id, _)) => same_scope && *id == pt.resource,
        Resolved::Ref(Reference::Terraform { address, .. }) => same_scope && address_matches(address, &pt.resource),
        _ => false,
    })
}

/// Metrics that measure how much a PT is used.
/// `OutputImageCount` is an image model's usage (Bedrock monitoring doc, docs/facts.md).
pub const UTILIZATION_METRICS: &[&str] = &["Invocations", "InputTokenCount", "OutputTokenCount", "OutputImageCount"];

/// An alarm on a metric of the `AWS/Bedrock` namespace.
pub fn is_bedrock_alarm(alarm: &Alarm) -> bool {
    alarm.metrics.iter().any(|m| m.namespace.as_ref().and_then(Resolved::known).is_some_and(|n| n == "AWS/Bedrock"))
}

/// An alarm that catches idle capacity: AWS/Bedrock usage metric, firing when the value is low.
pub fn is_low_utilization_alarm(alarm: &Alarm) -> bool {
    alarm.fires_on_low()
        && alarm.metrics.iter().any(|m| {
            m.namespace.as_ref().and_then(Resolved::known).is_some_and(|n| n == "AWS/Bedrock")
                && m.metric_name
                    .as_ref()
                    .and_then(Resolved::known)
                    .is_some_and(|n| UTILIZATION_METRICS.contains(&n.as_str()))
        })
}
