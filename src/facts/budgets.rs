//! Budget facts of every PT: each covering budget's monthly limit against the standing cost of all the PTs it covers.

use super::{ThroughputFacts, COVERING_NAMES_MAX};
use crate::link::{LinkedThroughput, RunBudget};
use crate::model::{Budget, PlanAction};
use rust_decimal::Decimal;

pub(super) fn monthly_limit(budget: &Budget, hours_per_month: Decimal) -> Option<Decimal> {
    let limit = budget.limit?;
    match budget.time_unit.as_deref().map(str::to_ascii_uppercase).as_deref() {
        None | Some("MONTHLY") => Some(limit),
        Some("DAILY") => Some(limit * hours_per_month / Decimal::from(24)),
        Some("QUARTERLY") => Some(limit / Decimal::from(3)),
        Some("ANNUALLY") => Some(limit / Decimal::from(12)),
        _ => None,
    }
}

/// The covering budget with the least headroom: (headroom, budget index, monthly limit, covered monthly cost).
type Tightest = (Decimal, usize, Decimal, Decimal);

/// Fill in each PT's budget facts from its covering budgets.
///
/// Budget headroom needs every PT's cost first: a budget is shared by all the PTs it covers (except those a plan
/// deletes). PTs of one coverage group (link unit, tags, region) share their covering budgets, so each budget's
/// covered cost and each group's tightest budget are computed once, never per (budget, PT) pair.
pub(super) fn budget_facts(
    throughputs: &mut [ThroughputFacts],
    budgets: &[RunBudget],
    linked: &[LinkedThroughput],
    hours: Decimal,
) {
    let groups = linked.iter().map(|l| l.budgets.group + 1).max().unwrap_or(0);
    let mut group_cost = vec![Decimal::ZERO; groups];
    let mut group_budgets: Vec<&[usize]> = vec![&[]; groups];
    for (l, facts) in linked.iter().zip(throughputs.iter()) {
        group_budgets[l.budgets.group] = &l.budgets.selected;
        if facts.plan_action == Some(PlanAction::Delete) {
            continue;
        }
        // Standing cost over the longest month: hourly cost x budget hours.
        let cost = facts.cost.hourly_cost.map(|h| h * hours).unwrap_or_default();
        group_cost[l.budgets.group] += cost;
    }
    let mut covered_by_budget = vec![Decimal::ZERO; budgets.len()];
    for (cost, selected) in group_cost.iter().zip(&group_budgets) {
        for &b in selected.iter() {
            covered_by_budget[b] += *cost;
        }
    }
    let tightest_of = |list: &[usize]| -> Option<Tightest> {
        list.iter()
            .filter_map(|&b| {
                let limit = monthly_limit(&budgets[b].budget, hours)?;
                let covered = covered_by_budget[b];
                Some((limit - covered, b, limit, covered))
            })
            // Least headroom; of equals, the budget found first.
            .min_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)))
    };
    let group_tightest: Vec<Option<Tightest>> = group_budgets.iter().map(|list| tightest_of(list)).collect();
    for (l, facts) in linked.iter().zip(throughputs.iter_mut()) {
        let facts = &mut facts.budgets;
        facts.hours = hours;
        facts.covering = l.budgets.iter().take(COVERING_NAMES_MAX).map(|b| budget_label(&budgets[b].budget)).collect();
        if let Some((headroom, b, limit, covered)) = group_tightest[l.budgets.group] {
            facts.tightest = Some(budget_label(&budgets[b].budget));
            facts.monthly_limit = Some(limit);
            facts.covered_monthly_cost = Some(covered);
            facts.limit_below_cost = headroom < Decimal::ZERO;
        }
    }
}

fn budget_label(budget: &Budget) -> String {
    match &budget.name {
        Some(name) if budget.resource.starts_with("budgets[") => name.clone(),
        _ => budget.resource.clone(),
    }
}
