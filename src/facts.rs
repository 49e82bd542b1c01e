//! The facts document: one plain record per PT (cost, budgets, usage, alarms) that Guard rules and `ptlint facts` read.

use crate::config::Config;
use crate::evidence::{Evidence, EvidenceSource};
use crate::link::{is_bedrock_alarm, is_low_utilization_alarm, InputFile, LinkedThroughput, RunBudget};
use crate::model::{Commitment, ModelKind, Resolved, Throughput};
use crate::pricing::{self, Catalog};
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

mod budgets;
mod credits;
mod lifecycle;
mod near_miss;
#[cfg(test)]
mod tests;
mod unknown;

use budgets::budget_facts;
#[cfg(test)]
use budgets::monthly_limit;
pub use credits::{add as add_credits, ConfigCredits, CreditsFacts, PoolFacts, RunwayInputs, ThroughputCredits};
pub use lifecycle::LifecycleFacts;
pub use unknown::{Unknown, Unknowns};

/// Money as a 2-place decimal string ("36500.00"); `null` when unknown.
fn money<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => serializer.serialize_str(&format_money(*d)),
        None => serializer.serialize_none(),
    }
}

/// Round half away from zero to cents and always show two places.
pub fn format_money(value: Decimal) -> String {
    let mut rounded = pricing::round_money(value);
    rounded.rescale(2);
    rounded.to_string()
}

/// Cost facts of one PT.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CostFacts {
    pub priced: bool,
    #[serde(serialize_with = "money")]
    pub hourly_rate: Option<Decimal>,
    #[serde(serialize_with = "money")]
    pub hourly_cost: Option<Decimal>,
    #[serde(serialize_with = "money")]
    pub monthly_cost: Option<Decimal>,
    #[serde(serialize_with = "money")]
    pub commitment_total: Option<Decimal>,
    pub rate_source: Option<String>,
    pub rate_as_of: Option<String>,
    /// Whether the rate's source calls its figures estimates (a third-party price cache); `rate_source` says so too.
    pub rate_estimate: bool,
    /// Why the PT could not be priced, when it could not.
    pub unpriced_reason: Option<String>,
    /// The `.ptlint.yaml` snippet that would price it.
    pub config_snippet: Option<String>,
    #[serde(serialize_with = "money")]
    pub on_demand_input_per_million: Option<Decimal>,
    #[serde(serialize_with = "money")]
    pub on_demand_output_per_million: Option<Decimal>,
    /// Why each null figure above is unknown and how to supply it, keyed by field (absent when all are known).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown: Unknowns,
}

impl CostFacts {
    /// How to supply what leaves the PT unpriced, where the user can (`null` when priced or nothing can).
    pub fn unpriced_supply(&self) -> Option<&str> {
        self.unknown.get("monthly_cost").and_then(|u| u.supply.as_deref())
    }
}

/// Budget coverage facts of one PT.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BudgetFacts {
    /// How many cost budgets cover the PT.
    pub count: usize,
    /// The names of the first [`COVERING_NAMES_MAX`] of them, in the order they were found.
    pub covering: Vec<String>,
    /// The covering budget with the smallest headroom: its monthly limit and the standing cost of all PTs it covers.
    pub tightest: Option<String>,
    #[serde(serialize_with = "money")]
    pub monthly_limit: Option<Decimal>,
    /// The standing cost of every PT the tightest budget covers, over `hours` (the longest month).
    #[serde(serialize_with = "money")]
    pub covered_monthly_cost: Option<Decimal>,
    pub limit_below_cost: bool,
    /// When no budget covers the PT: a budget that almost does, and why not (a sentence starting with a space),
    /// else empty.
    pub near_miss: String,
    /// The hours of the month budgets are judged against: the longest month, so a budget holds in every month.
    pub hours: Decimal,
}

/// Usage evidence facts of one PT.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UsageFacts {
    pub present: bool,
    pub required_days: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_sufficient: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_input_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_output_tokens: Option<u64>,
    #[serde(serialize_with = "money", skip_serializing_if = "Option::is_none")]
    pub on_demand_monthly_cost: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub break_even_input_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub break_even_output_tokens: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub below_break_even: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utilization: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utilization_low: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Problems reading the evidence (e.g. an unreadable CloudWatch export).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// With evidence: why each null figure above is unknown and how to supply it, keyed by field.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown: Unknowns,
}

/// Alarm facts of one PT: the alarms whose `ModelId` dimension refers to it, by kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AlarmFacts {
    /// `AWS/Bedrock` usage metrics with a `LessThan*` comparison: they catch idle capacity.
    pub low_utilization: usize,
    /// Other `AWS/Bedrock` alarms (throttles, latency, high usage).
    pub other_bedrock: usize,
    /// Alarms on another namespace (or an unresolved one) that name the PT.
    pub other: usize,
    pub names: Vec<String>,
    /// Low-utilization alarms that cannot fire on an idle PT (missing data not treated as breaching, no
    /// metric math filling gaps): they do not count in `low_utilization`.
    pub silent_when_idle: usize,
    /// The names of those alarms.
    pub silent_names: Vec<String>,
    /// An alarm that almost watches the PT, and why it does not count (a sentence starting with a space), or
    /// empty: its `ModelId` dimension names the PT's model or name, while a PT's metrics are keyed by its ARN.
    pub near_miss: String,
}

/// Everything the policy knows about one PT.
#[derive(Debug, Clone, Serialize)]
pub struct ThroughputFacts {
    pub resource: String,
    pub file: String,
    pub line: u32,
    pub resource_type: String,
    pub shape: crate::model::PtShape,
    pub model: Option<String>,
    pub model_kind: ModelKind,
    pub base_model: Option<String>,
    pub model_units: Option<u32>,
    pub commitment: Option<Commitment>,
    /// The terms a conditional commitment can take, one per branch (empty when not conditional).
    pub commitment_options: Vec<Commitment>,
    /// Whether a conditional commitment commits to a term in every branch.
    pub every_branch_commits: bool,
    pub region: Option<String>,
    pub region_source: Option<&'static str>,
    pub tags: BTreeMap<String, String>,
    pub plan_action: Option<crate::model::PlanAction>,
    /// The term of the existing PT a change deletes or replaces (`null` when none is deleted).
    pub prior_commitment: Option<Commitment>,
    pub cost: CostFacts,
    pub budgets: BudgetFacts,
    pub usage: UsageFacts,
    pub alarms: AlarmFacts,
    /// What AWS accepts and sells for this PT (terms, units, model list).
    pub offer: crate::offer::OfferFacts,
    /// How the configured credits meet its commitment term (absent without `credits:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credits: Option<ThroughputCredits>,
    /// The model's lifecycle state on the run's date.
    pub lifecycle: LifecycleFacts,
    /// For a CDK `AwsCustomResource`: whether its `Delete` deletes the PT (`false`: it outlives the stack);
    /// `null` for other shapes.
    pub deleted_with_stack: Option<bool>,
}

/// Policy thresholds that travel in the facts so rules compare against them.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyFacts {
    pub min_observed_days: BTreeMap<&'static str, u32>,
    pub hours_per_month: Decimal,
    /// The hours of the month budgets are judged against: 744 (a 31-day month, as AWS bills), or
    /// `hours_per_month` when that is longer.
    pub budget_hours: Decimal,
    /// The run's date (`--as-of`, default today) as `YYYY-MM-DD`: what date-dependent facts are judged on.
    pub as_of: String,
}

/// The whole document Guard evaluates.
#[derive(Debug, Clone, Serialize)]
pub struct FactsDocument {
    pub version: u32,
    pub policy: PolicyFacts,
    pub throughputs: Vec<ThroughputFacts>,
    /// The runway of the configured credits (absent without `credits:`); see [`add_credits`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credits: Option<CreditsFacts>,
}

/// Inputs to fact computation besides the linked model.
pub struct FactsContext<'a> {
    pub config: &'a Config,
    pub catalog: &'a Catalog,
    /// Resolved usage evidence by usage key as written (or the error reading it).
    pub evidence: &'a BTreeMap<String, Result<Evidence, String>>,
    /// The usage key that applies to each PT, by (file index, throughput index); see usage_keys.rs.
    pub usage_keys: &'a BTreeMap<(usize, usize), String>,
    /// The run's date, days since 1970-01-01 (`--as-of`, default today).
    pub today: i64,
}

/// The hours of the longest month: AWS bills PT by the hour and its worked example is a 31-day month
/// (2 MU x $18.40 x 24 x 31 = $27,379.20; docs/facts.md). A monthly budget must hold in every month.
pub const LONGEST_MONTH_HOURS: u32 = 744;

/// The hours budgets are judged against: the longest month, or `hours_per_month` if a config sets it longer.
pub fn budget_hours(hours_per_month: Decimal) -> Decimal {
    hours_per_month.max(Decimal::from(LONGEST_MONTH_HOURS))
}

pub(crate) fn cost_facts(pt: &Throughput, linked: &LinkedThroughput, ctx: &FactsContext) -> CostFacts {
    let hours = ctx.config.hours_per_month();
    let region = linked.region.as_ref().map(|(r, _)| r.as_str());
    let lookup_model = linked.base_model.clone().or_else(|| linked.model.clone());
    let price = lookup_model.as_deref().and_then(|m| ctx.catalog.lookup(m, linked.model_kind, region));
    let mut facts = CostFacts::default();
    if let Some(price) = &price {
        facts.on_demand_input_per_million = price.on_demand_per_million().map(|r| r.input);
        facts.on_demand_output_per_million = price.on_demand_per_million().and_then(|r| r.output);
    }
    let term = pt.commitment.value.known().copied();
    let units = pt.model_units.as_ref().and_then(|u| u.value.known().copied());
    let rate = match (&price, term) {
        (Some(price), Some(term)) => price.hourly_rate(term),
        _ => None,
    };
    match (rate, units, term) {
        (Some(rate), Some(units), Some(term)) => {
            let estimate = pricing::estimate(units, rate, term, hours);
            facts.priced = true;
            facts.hourly_rate = Some(estimate.hourly_rate);
            facts.hourly_cost = Some(estimate.hourly_cost);
            facts.monthly_cost = Some(estimate.monthly_cost);
            facts.commitment_total = estimate.commitment_total;
            facts.rate_source = price.as_ref().map(|p| p.source().to_string());
            facts.rate_as_of = price.as_ref().and_then(|p| p.as_of().map(str::to_string));
            // A declaration for an unknown number of instances has a rate and a cost per instance, and no
            // standing cost of its own: nothing may add it to a total as if it were one PT.
            if let Some(why) = &pt.instances_unknown {
                facts.hourly_cost = None;
                facts.monthly_cost = None;
                facts.commitment_total = None;
                facts.unpriced_reason =
                    Some(format!("{why}; each instance costs {} USD/month", format_money(estimate.monthly_cost)));
                facts.unknown = unknown::cost(&facts, &unknown::Cause::Instances, Some(term));
            }
            facts.rate_estimate = price.as_ref().is_some_and(|p| p.estimate());
        }
        _ => {
            let (reason, cause) =
                unknown::unpriced_reason(pt, linked, lookup_model.as_deref(), region, price.is_some(), units, term);
            facts.unpriced_reason = Some(reason);
            // The entry to fill in only where a `pricing:` entry would price the PT: a missing rate, a model the
            // catalog cannot place (a custom model whose base is not known), a region not known (an entry
            // without `region:` matches any).
            if matches!(
                cause,
                unknown::Cause::Rate | unknown::Cause::Region | unknown::Cause::Model { priceable: true, .. }
            ) {
                facts.config_snippet = Some(
                    pricing::config_snippet(lookup_model.as_deref().unwrap_or("<model id>"), region)
                        .trim_end()
                        .to_string(),
                );
            }
            facts.unknown = unknown::cost(&facts, &cause, term);
        }
    }
    facts
}

fn usage_facts(pt: &Throughput, linked: &LinkedThroughput, cost: &CostFacts, ctx: &FactsContext) -> UsageFacts {
    let term = pt.commitment.value.known().copied().unwrap_or(Commitment::NoCommitment);
    let required_days = ctx.config.policy.min_observed_days.for_commitment(term);
    let mut facts = UsageFacts { required_days, ..UsageFacts::default() };
    let key = ctx.usage_keys.get(&(linked.file, linked.index));
    let Some(result) = key.and_then(|key| ctx.evidence.get(key)) else { return facts };
    let evidence = match result {
        Ok(evidence) => evidence,
        Err(message) => {
            facts.error = Some(message.clone());
            return facts;
        }
    };
    facts.present = true;
    facts.observed_days = Some(evidence.observed_days);
    facts.days_sufficient = Some(evidence.observed_days >= required_days);
    facts.monthly_input_tokens = Some(evidence.monthly_input_tokens);
    facts.monthly_output_tokens = Some(evidence.monthly_output_tokens);
    facts.source = Some(match evidence.source {
        EvidenceSource::Declared => "config".to_string(),
        EvidenceSource::CloudWatch { percentile, .. } => format!("cloudwatch (P{percentile} of daily totals)"),
    });
    // Base models: compare the proven volume's on-demand price with the PT's standing cost.
    if let (Some(input), Some(monthly)) = (cost.on_demand_input_per_million, cost.monthly_cost) {
        if linked.model_kind == ModelKind::Foundation {
            let rates = pricing::TokenRates { input, output: cost.on_demand_output_per_million };
            let on_demand =
                pricing::on_demand_cost(evidence.monthly_input_tokens, evidence.monthly_output_tokens, &rates);
            facts.on_demand_monthly_cost = Some(on_demand);
            facts.below_break_even = Some(on_demand < monthly);
            let mix = if evidence.monthly_input_tokens + evidence.monthly_output_tokens > 0 {
                (evidence.monthly_input_tokens, evidence.monthly_output_tokens)
            } else {
                pricing::DEFAULT_MIX
            };
            if let Some((i, o)) = pricing::break_even(monthly, mix.0, mix.1, &rates) {
                facts.break_even_input_tokens = Some(i);
                facts.break_even_output_tokens = Some(o);
            }
        }
    }
    // Any model: with a configured per-MU throughput, proven volume over capacity is the utilization.
    let model = linked.base_model.as_deref().or(linked.model.as_deref()).unwrap_or("");
    let units = pt.model_units.as_ref().and_then(|u| u.value.known().copied());
    if let (Some(tpm), Some(units)) = (ctx.config.policy.tokens_per_minute(model), units) {
        let minutes = ctx.config.hours_per_month() * Decimal::from(60) * Decimal::from(units);
        let used = |tokens: u64, per_minute: u64| {
            (per_minute > 0).then(|| Decimal::from(tokens) / (Decimal::from(per_minute) * minutes))
        };
        let input = used(evidence.monthly_input_tokens, tpm.input);
        let output = tpm.output.and_then(|o| used(evidence.monthly_output_tokens, o));
        // The busier direction decides whether the reserved capacity is used.
        let utilization = input.into_iter().chain(output).max();
        if let Some(u) = utilization {
            facts.utilization = Some(u.round_dp(4));
            facts.utilization_low = Some(u < ctx.config.policy.utilization_threshold());
        }
    }
    facts.unknown = unknown::usage(&facts, cost, pt, linked, ctx.config.policy.tokens_per_minute(model).is_some());
    facts
}

fn alarm_facts(
    files: &[InputFile],
    by_model_id: &near_miss::AlarmsByModelId,
    linked: &LinkedThroughput,
    pt: &Throughput,
) -> AlarmFacts {
    let near_miss = near_miss::alarm(files, by_model_id, linked, pt);
    let mut facts = AlarmFacts { near_miss, ..AlarmFacts::default() };
    for &(file, index) in &linked.alarms {
        let alarm = &files[file].document.alarms[index];
        facts.names.push(alarm.resource.clone());
        if is_low_utilization_alarm(alarm) && !alarm.fires_without_data() {
            facts.silent_when_idle += 1;
            facts.silent_names.push(alarm.resource.clone());
        } else if is_low_utilization_alarm(alarm) {
            facts.low_utilization += 1;
        } else if is_bedrock_alarm(alarm) {
            facts.other_bedrock += 1;
        } else {
            facts.other += 1;
        }
    }
    facts
}

/// Compute the facts of every linked PT.
pub fn build(
    files: &[InputFile],
    budgets: &[RunBudget],
    linked: &[LinkedThroughput],
    ctx: &FactsContext,
) -> FactsDocument {
    let hours = ctx.config.hours_per_month();
    let by_model_id = near_miss::AlarmsByModelId::new(files);
    // Each PT's own facts depend on nothing but its links, so they are computed in parallel (in order).
    let mut throughputs: Vec<ThroughputFacts> = linked
        .par_iter()
        .map(|l| {
            let file = &files[l.file];
            let pt = &file.document.throughputs[l.index];
            let cost = cost_facts(pt, l, ctx);
            let usage = usage_facts(pt, l, &cost, ctx);
            ThroughputFacts {
                resource: pt.resource.clone(),
                file: file.path.clone(),
                line: pt.span.line,
                resource_type: pt.resource_type.clone(),
                shape: pt.shape,
                model: l.model.clone(),
                model_kind: l.model_kind,
                base_model: l.base_model.clone(),
                model_units: pt.model_units.as_ref().and_then(|u| u.value.known().copied()),
                commitment: match &pt.commitment.value {
                    Resolved::Known(c) => Some(*c),
                    _ => None,
                },
                commitment_options: pt.commitment_options.clone(),
                every_branch_commits: !pt.commitment_options.is_empty()
                    && pt.commitment_options.iter().all(|c| *c != Commitment::NoCommitment),
                region: l.region.as_ref().map(|(r, _)| r.clone()),
                region_source: l.region.as_ref().map(|(_, s)| s.as_str()),
                tags: pt.tags.iter().cloned().collect(),
                plan_action: pt.plan_action,
                prior_commitment: pt.prior_commitment,
                offer: crate::offer::facts(pt, l),
                deleted_with_stack: pt.deleted_with_stack,
                lifecycle: lifecycle::facts(pt, l, crate::pricing::lifecycle::Lifecycle::embedded(), ctx.today),
                cost,
                budgets: BudgetFacts { count: l.budgets.len(), ..BudgetFacts::default() },
                usage,
                alarms: alarm_facts(files, &by_model_id, l, pt),
                credits: None,
            }
        })
        .collect();
    budget_facts(&mut throughputs, budgets, linked, budget_hours(hours));
    let budget_near_miss = near_miss::budget(budgets);
    for facts in throughputs.iter_mut().filter(|t| t.budgets.count == 0) {
        facts.budgets.near_miss = budget_near_miss.clone();
    }
    let days = &ctx.config.policy.min_observed_days;
    FactsDocument {
        version: 1,
        policy: PolicyFacts {
            min_observed_days: BTreeMap::from([("OneMonth", days.one_month), ("SixMonths", days.six_months)]),
            hours_per_month: hours,
            budget_hours: budget_hours(hours),
            as_of: crate::evidence::date_of_day(ctx.today),
        },
        throughputs,
        credits: None,
    }
}

/// How many covering budgets a PT's facts name; `count` has the total. Messages need a few names, and listing
/// every one would make the document grow with PTs times budgets.
pub const COVERING_NAMES_MAX: usize = 10;
