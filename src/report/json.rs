//! `--format json`: the stable machine-readable contract (design.md), deterministic in order and bytes.

use crate::engine::Analysis;
use crate::facts::{format_money, ThroughputFacts};
use crate::finding::{Finding, InputError, Level};
use crate::model::Throughput;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// Schema version of the JSON report.
pub const VERSION: u32 = 1;

fn money<S: Serializer>(value: &Option<rust_decimal::Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => serializer.serialize_str(&format_money(*d)),
        None => serializer.serialize_none(),
    }
}

/// One entry of the `throughputs` array: a PT with its cost. The report is serialised from borrowed fields, field
/// order being the contract's key order, so no copy of the findings or facts is built as a JSON tree first.
#[derive(Serialize)]
pub struct ThroughputEntry<'a> {
    resource: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    resource_type: &'a str,
    model: &'a Option<String>,
    model_kind: &'a crate::model::ModelKind,
    base_model: &'a Option<String>,
    model_units: Option<u32>,
    commitment: &'a Option<crate::model::Commitment>,
    region: &'a Option<String>,
    region_source: Option<&'static str>,
    plan_action: &'a Option<crate::model::PlanAction>,
    #[serde(serialize_with = "money")]
    hourly_rate: Option<rust_decimal::Decimal>,
    #[serde(serialize_with = "money")]
    monthly_cost: Option<rust_decimal::Decimal>,
    #[serde(serialize_with = "money")]
    commitment_total: Option<rust_decimal::Decimal>,
    rate_source: &'a Option<String>,
    /// Whether the rate is an estimate (its source says so).
    rate_estimate: bool,
    unpriced_reason: &'a Option<String>,
    /// How to supply what `unpriced_reason` says is missing (absent when priced or nothing can).
    #[serde(skip_serializing_if = "Option::is_none")]
    unpriced_supply: Option<&'a str>,
}

impl<'a> ThroughputEntry<'a> {
    fn new(facts: &'a ThroughputFacts, pt: &'a Throughput) -> Self {
        ThroughputEntry {
            resource: &facts.resource,
            file: &facts.file,
            line: pt.span.line,
            column: pt.span.column,
            resource_type: &facts.resource_type,
            model: &facts.model,
            model_kind: &facts.model_kind,
            base_model: &facts.base_model,
            model_units: facts.model_units,
            commitment: &facts.commitment,
            region: &facts.region,
            region_source: facts.region_source,
            plan_action: &facts.plan_action,
            hourly_rate: facts.cost.hourly_rate,
            monthly_cost: facts.cost.monthly_cost,
            commitment_total: facts.cost.commitment_total,
            rate_source: &facts.cost.rate_source,
            rate_estimate: facts.cost.rate_estimate,
            unpriced_reason: &facts.cost.unpriced_reason,
            unpriced_supply: facts.cost.unpriced_supply(),
        }
    }
}

/// The `throughputs` array: one entry per PT with its cost.
pub fn throughputs(analysis: &Analysis) -> Vec<ThroughputEntry<'_>> {
    analysis
        .facts
        .throughputs
        .iter()
        .zip(&analysis.linked)
        .map(|(facts, linked)| {
            ThroughputEntry::new(facts, &analysis.files[linked.file].document.throughputs[linked.index])
        })
        .collect()
}

/// One entry of the `findings` array.
#[derive(Serialize)]
struct FindingEntry<'a> {
    rule: &'a str,
    name: &'a str,
    level: Level,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    resource: &'a str,
    message: &'a str,
    help: &'a Option<String>,
}

impl<'a> From<&'a Finding> for FindingEntry<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingEntry {
            rule: &f.rule,
            name: &f.name,
            level: f.level,
            file: &f.file,
            line: f.span.line,
            column: f.span.column,
            end_line: f.span.end_line,
            end_column: f.span.end_column,
            resource: &f.resource,
            message: &f.message,
            help: &f.help,
        }
    }
}

/// The `summary` object: counts and the total standing cost.
#[derive(Serialize)]
pub struct Summary {
    files_scanned: usize,
    files_parsed: usize,
    terraform_files_read: usize,
    throughputs: usize,
    unpriced_throughputs: usize,
    monthly_cost: String,
    findings: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    input_errors: usize,
    baselined: usize,
    /// The runway of the configured credits (absent without `credits:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    credits: Option<crate::facts::CreditsFacts>,
    /// Each config's runway, with its path, when several configs have credits (`credits` is the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    credits_by_config: Option<serde_json::Value>,
}

/// The `summary` object: counts and the total standing cost.
pub fn summary(analysis: &Analysis) -> Summary {
    let count = |level: Level| analysis.findings.iter().filter(|f| f.level == level).count();
    let priced: Vec<_> = analysis.facts.throughputs.iter().filter_map(|t| t.cost.monthly_cost).collect();
    Summary {
        files_scanned: analysis.files_seen,
        files_parsed: analysis.files_parsed,
        terraform_files_read: analysis.terraform_files_read,
        throughputs: analysis.facts.throughputs.len(),
        unpriced_throughputs: analysis.facts.throughputs.len() - priced.len(),
        monthly_cost: format_money(priced.iter().copied().sum()),
        findings: analysis.findings.len(),
        errors: count(Level::Error),
        warnings: count(Level::Warning),
        notes: count(Level::Note),
        input_errors: analysis.errors.len(),
        baselined: analysis.baselined,
        credits: analysis.facts.credits.clone(),
        credits_by_config: super::credits::by_config_json(analysis),
    }
}

/// The whole report, in the contract's key order.
#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    findings: Vec<FindingEntry<'a>>,
    throughputs: Vec<ThroughputEntry<'a>>,
    errors: &'a [InputError],
    summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<Value>,
}

/// Render the whole report.
pub fn render(analysis: &Analysis) -> String {
    render_with_diff(analysis, None)
}

/// Render the whole report, with the cost change under `"diff"` when there is one.
pub fn render_with_diff(analysis: &Analysis, diff: Option<&crate::diff::CostDiff>) -> String {
    let mut bytes = Vec::new();
    // Writing to memory fails only if serialising does, which these types never do.
    match write_with_diff(analysis, diff, &mut bytes) {
        Ok(()) => String::from_utf8(bytes).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// [`render_with_diff`] written as it is serialised: the report of a large tree is never held whole in memory.
pub fn write_with_diff(
    analysis: &Analysis,
    diff: Option<&crate::diff::CostDiff>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let report = Report {
        version: VERSION,
        findings: analysis.findings.iter().map(FindingEntry::from).collect(),
        throughputs: throughputs(analysis),
        errors: &analysis.errors,
        summary: summary(analysis),
        diff: diff.map(super::diff::json_value),
    };
    use std::io::Write as _;
    let mut out = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &report)?;
    out.write_all(b"\n")?;
    out.flush()
}
