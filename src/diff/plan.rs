//! A Terraform plan's own cost change: its prior state is the "before", its planned values the "after".
//!
//! Create adds a PT; delete removes one; replace removes the old PT and adds the new one; update changes one
//! (the difference counts); no-op changes nothing.

use super::{aspects, committed, CostDiff, Entry, Figures};
use crate::engine::Analysis;
use crate::facts::{self, FactsContext};
use crate::link::{LinkedThroughput, RegionSource};
use crate::model::{PlanAction, PriorState, Resolved, Throughput};
use crate::pricing::{self, Catalog};
use std::collections::BTreeMap;

/// The cost change a run's plans make, or `None` when no PT of the run comes from a plan.
pub fn plan_diff(analysis: &Analysis) -> Option<CostDiff> {
    if analysis.facts.throughputs.iter().all(|t| t.plan_action.is_none()) {
        return None;
    }
    let catalog = Catalog::embedded().with_overrides(&analysis.config.pricing);
    let (evidence, usage_keys) = (BTreeMap::new(), BTreeMap::new());
    let today = crate::evidence::parse_date(&analysis.facts.policy.as_of).unwrap_or_else(crate::evidence::today);
    let ctx = FactsContext {
        config: &analysis.config,
        catalog: &catalog,
        evidence: &evidence,
        usage_keys: &usage_keys,
        today,
    };
    let mut entries = Vec::new();
    for (facts, linked) in analysis.facts.throughputs.iter().zip(&analysis.linked) {
        let pt = &analysis.files[linked.file].document.throughputs[linked.index];
        let now = Figures::from_facts(facts);
        let action = facts.plan_action;
        let prior = || match &pt.prior {
            Some(prior) => prior_figures(analysis, pt, prior, linked, &ctx),
            None => Figures::unknown(&now.file, now.line, &now.resource),
        };
        match action {
            // A deleted PT is read from its prior state: its own figures are the "before".
            Some(PlanAction::Delete) => entries.push(Entry::removed(now).with_plan_action(action)),
            Some(PlanAction::Create) => entries.push(Entry::added(now).with_plan_action(action)),
            Some(PlanAction::Update) => entries.push(Entry::matched(prior(), now).with_plan_action(action)),
            Some(PlanAction::Replace) => {
                let old = prior();
                let differs = aspects(&old, &now);
                let mut removed = Entry::removed(old).with_plan_action(action);
                let mut added = Entry::added(now).with_plan_action(action);
                removed.aspects.clone_from(&differs);
                added.aspects = differs;
                entries.push(removed);
                entries.push(added);
            }
            // No-op, read, or not from a plan at all: the same PT before and after.
            Some(PlanAction::NoOp | PlanAction::Read) | None => {
                entries.push(Entry::matched(now.clone(), now).with_plan_action(action));
            }
        }
    }
    Some(CostDiff::new("the plan's prior state".to_string(), entries).with_runway(analysis.facts.credits.as_ref()))
}

/// Price a PT's prior state the way the run priced its planned state.
fn prior_figures(
    analysis: &Analysis,
    pt: &Throughput,
    prior: &PriorState,
    linked: &LinkedThroughput,
    ctx: &FactsContext,
) -> Figures {
    let old = Throughput {
        model: prior.model.clone(),
        model_units: prior.model_units.clone(),
        commitment: prior.commitment.clone(),
        region: prior.region.clone(),
        plan_action: None,
        prior: None,
        instances_unknown: None,
        ..pt.clone()
    };
    let model = prior.model.as_ref().map(|m| m.value.to_string());
    let (model_kind, base_model) = match prior.model.as_ref().map(|m| &m.value) {
        _ if model == linked.model => (linked.model_kind, linked.base_model.clone()),
        Some(Resolved::Known(id)) => (pricing::model_kind_of(id), pricing::base_model_id(id)),
        _ => (crate::model::ModelKind::Unknown, None),
    };
    // The region as linking finds it: the model's ARN, the resource, else whatever the run fell back to.
    let fallback = match &linked.region {
        Some((_, RegionSource::ModelArn | RegionSource::Resource)) => analysis.files[linked.file]
            .document
            .region
            .clone()
            .map(|r| (r, RegionSource::Provider))
            .or_else(|| analysis.config.region.clone().map(|r| (r, RegionSource::Config))),
        other => other.clone(),
    };
    let region = model
        .as_deref()
        .and_then(pricing::arn_region)
        .map(|r| (r, RegionSource::ModelArn))
        .or_else(|| prior.region.as_ref().map(|r| (r.value.clone(), RegionSource::Resource)))
        .or(fallback);
    let before =
        LinkedThroughput { model: model.clone(), model_kind, base_model, region: region.clone(), ..linked.clone() };
    let cost = facts::cost_facts(&old, &before, ctx);
    Figures {
        file: analysis.files[linked.file].path.clone(),
        line: pt.span.line,
        resource: pt.resource.clone(),
        model,
        model_units: prior.model_units.as_ref().and_then(|u| u.value.known().copied()),
        commitment: prior.commitment.value.known().copied(),
        region: region.map(|(r, _)| r),
        hourly_rate: cost.hourly_rate,
        monthly_cost: cost.monthly_cost,
        commitment_total: committed(cost.monthly_cost, cost.commitment_total),
        unpriced_supply: cost.unpriced_supply().map(str::to_string),
        unpriced_reason: cost.unpriced_reason,
    }
}
