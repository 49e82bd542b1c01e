//! Cost change between two states of the same code: PTs matched by file and resource, classified, summed in `Decimal`.
//!
//! A PT is the same PT in both states when its file path and its Terraform address or CloudFormation logical ID
//! are the same; a rename is therefore a removal plus an addition. Unknown prices stay unknown: an entry whose
//! change cannot be computed is counted, never taken as zero.

mod base;
mod git;
mod plan;
#[cfg(test)]
mod tests;

pub use base::{compare_to, BaseSpec};
pub use plan::plan_diff;

use crate::facts::{CreditsFacts, ThroughputFacts};
use crate::finding::InputError;
use crate::model::{Commitment, PlanAction};
use rust_decimal::Decimal;

/// One PT's priced figures on one side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Display path (relative, `/`-separated), in the head's terms.
    pub file: String,
    /// 1-based line in the head's file; 0 when the figures come from the base (its lines mean nothing in the head).
    pub line: u32,
    /// Terraform address or CloudFormation logical ID.
    pub resource: String,
    pub model: Option<String>,
    pub model_units: Option<u32>,
    pub commitment: Option<Commitment>,
    pub region: Option<String>,
    pub hourly_rate: Option<Decimal>,
    /// `None` when the PT could not be priced.
    pub monthly_cost: Option<Decimal>,
    /// The committed amount; zero for a priced PT without commitment, `None` when unpriced.
    pub commitment_total: Option<Decimal>,
    /// Why the PT could not be priced, and how to supply what is missing (where the user can).
    pub unpriced_reason: Option<String>,
    pub unpriced_supply: Option<String>,
}

impl Figures {
    /// A PT's figures from its facts.
    pub fn from_facts(facts: &ThroughputFacts) -> Figures {
        Figures {
            file: facts.file.clone(),
            line: facts.line,
            resource: facts.resource.clone(),
            model: facts.model.clone(),
            model_units: facts.model_units,
            commitment: facts.commitment,
            region: facts.region.clone(),
            hourly_rate: facts.cost.hourly_rate,
            monthly_cost: facts.cost.monthly_cost,
            commitment_total: committed(facts.cost.monthly_cost, facts.cost.commitment_total),
            unpriced_reason: facts.cost.unpriced_reason.clone(),
            unpriced_supply: facts.cost.unpriced_supply().map(str::to_string),
        }
    }

    /// A PT whose figures are not known at all (a plan that records no prior state for it).
    pub fn unknown(file: &str, line: u32, resource: &str) -> Figures {
        Figures {
            file: file.to_string(),
            line,
            resource: resource.to_string(),
            model: None,
            model_units: None,
            commitment: None,
            region: None,
            hourly_rate: None,
            monthly_cost: None,
            commitment_total: None,
            unpriced_reason: Some("the plan records no prior state for it".to_string()),
            unpriced_supply: None,
        }
    }
}

/// The committed amount of a PT: a priced PT without commitment commits zero; an unpriced one, an unknown amount.
pub(crate) fn committed(monthly_cost: Option<Decimal>, commitment_total: Option<Decimal>) -> Option<Decimal> {
    monthly_cost.map(|_| commitment_total.unwrap_or(Decimal::ZERO))
}

/// What happened to a PT between the two states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Removed,
    Added,
    Changed,
    Unchanged,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Unchanged => "unchanged",
        }
    }
}

/// Which priced property of a PT differs between the two states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    Model,
    ModelUnits,
    Commitment,
    Region,
    /// Same model, units, term and region, but a different rate (a catalog or override change).
    Price,
}

impl Aspect {
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Model => "model",
            Aspect::ModelUnits => "model_units",
            Aspect::Commitment => "commitment",
            Aspect::Region => "region",
            Aspect::Price => "price",
        }
    }
}

/// What differs between two states of one PT.
pub fn aspects(before: &Figures, after: &Figures) -> Vec<Aspect> {
    let mut out = Vec::new();
    if before.model != after.model {
        out.push(Aspect::Model);
    }
    if before.model_units != after.model_units {
        out.push(Aspect::ModelUnits);
    }
    if before.commitment != after.commitment {
        out.push(Aspect::Commitment);
    }
    if before.region != after.region {
        out.push(Aspect::Region);
    }
    if out.is_empty() && (before.monthly_cost != after.monthly_cost || before.hourly_rate != after.hourly_rate) {
        out.push(Aspect::Price);
    }
    out
}

/// One PT in the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub change: Change,
    pub before: Option<Figures>,
    pub after: Option<Figures>,
    /// What differs between the two states (for a replacement: between the old and the new PT).
    pub aspects: Vec<Aspect>,
    /// The plan action behind the entry, when it comes from a Terraform plan.
    pub plan_action: Option<PlanAction>,
}

impl Entry {
    pub fn added(after: Figures) -> Entry {
        Entry { change: Change::Added, before: None, after: Some(after), aspects: Vec::new(), plan_action: None }
    }

    pub fn removed(before: Figures) -> Entry {
        Entry { change: Change::Removed, before: Some(before), after: None, aspects: Vec::new(), plan_action: None }
    }

    /// The same PT in both states: changed or unchanged.
    pub fn matched(before: Figures, after: Figures) -> Entry {
        let aspects = aspects(&before, &after);
        let change = if aspects.is_empty() { Change::Unchanged } else { Change::Changed };
        Entry { change, before: Some(before), after: Some(after), aspects, plan_action: None }
    }

    fn with_plan_action(mut self, action: Option<PlanAction>) -> Entry {
        self.plan_action = action;
        self
    }

    fn side(&self) -> &Figures {
        self.after.as_ref().or(self.before.as_ref()).expect("an entry has at least one side")
    }

    pub fn resource(&self) -> &str {
        &self.side().resource
    }

    pub fn file(&self) -> &str {
        &self.side().file
    }

    pub fn line(&self) -> u32 {
        self.side().line
    }

    /// After minus before of the monthly cost; `None` when a side that matters is unpriced.
    pub fn monthly_change(&self) -> Option<Decimal> {
        self.delta(|f| f.monthly_cost)
    }

    /// After minus before of the committed amount; `None` when a side that matters is unpriced.
    pub fn commitment_change(&self) -> Option<Decimal> {
        self.delta(|f| f.commitment_total)
    }

    fn delta(&self, figure: impl Fn(&Figures) -> Option<Decimal>) -> Option<Decimal> {
        // Nothing priced changed, so the cost did not change, even where the price itself is unknown.
        if self.change == Change::Unchanged {
            return Some(Decimal::ZERO);
        }
        let before = match &self.before {
            Some(side) => figure(side)?,
            None => Decimal::ZERO,
        };
        let after = match &self.after {
            Some(side) => figure(side)?,
            None => Decimal::ZERO,
        };
        Some(after - before)
    }
}

/// A comparison of the standing cost of two states.
#[derive(Debug, Clone, PartialEq)]
pub struct CostDiff {
    /// What the "before" is: `git:main`, a path, a report, or the plan's prior state.
    pub base: String,
    /// Ordered by file, then resource (a removal before an addition of the same resource).
    pub entries: Vec<Entry>,
    /// Inputs of the base that could not be read (the head's own are in the analysis).
    pub errors: Vec<InputError>,
    /// How long the configured credits last before and after (`None` without `credits:`).
    pub runway: Option<RunwayChange>,
}

/// The credit runway over the standing cost before and after a change (the same credits and date on both sides).
#[derive(Debug, Clone, PartialEq)]
pub struct RunwayChange {
    pub before: CreditsFacts,
    pub after: CreditsFacts,
}

/// Sums over a comparison. Money sums what is known; what is not is counted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DiffTotals {
    /// Standing monthly cost of the priced PTs before and after.
    pub monthly_before: Decimal,
    pub monthly_after: Decimal,
    /// Sum of the known per-PT changes (equal to after minus before when every PT is priced).
    pub monthly_change: Decimal,
    pub commitment_before: Decimal,
    pub commitment_after: Decimal,
    pub commitment_change: Decimal,
    /// Monthly cost that appears (additions, increases) and that goes away (removals, decreases).
    pub added_monthly: Decimal,
    pub removed_monthly: Decimal,
    /// PTs without a price before and after.
    pub unpriced_before: usize,
    pub unpriced_after: usize,
    /// Entries whose monthly change is unknown (not in `monthly_change`).
    pub unknown_change: usize,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
}

impl CostDiff {
    /// Build a comparison by matching `before` and `after` PTs on file and resource.
    pub fn compare(base: String, before: Vec<Figures>, after: Vec<Figures>) -> CostDiff {
        let mut before: Vec<Option<Figures>> = before.into_iter().map(Some).collect();
        let mut entries = Vec::new();
        for now in after {
            let earlier = before
                .iter_mut()
                .find(|b| b.as_ref().is_some_and(|b| b.file == now.file && b.resource == now.resource))
                .and_then(Option::take);
            entries.push(match earlier {
                Some(earlier) => Entry::matched(earlier, now),
                None => Entry::added(now),
            });
        }
        entries.extend(before.into_iter().flatten().map(Entry::removed));
        CostDiff::new(base, entries)
    }

    /// A comparison from entries, put in their stable order.
    pub fn new(base: String, mut entries: Vec<Entry>) -> CostDiff {
        entries.sort_by(|a, b| (a.file(), a.resource(), a.change).cmp(&(b.file(), b.resource(), b.change)));
        CostDiff { base, entries, errors: Vec::new(), runway: None }
    }

    /// The comparison with the runway of `credits` over its standing cost before and after.
    pub fn with_runway(mut self, credits: Option<&CreditsFacts>) -> CostDiff {
        self.runway = credits.map(|credits| {
            let t = self.totals();
            RunwayChange {
                before: credits.for_monthly_cost(t.monthly_before, t.unpriced_before),
                after: credits.for_monthly_cost(t.monthly_after, t.unpriced_after),
            }
        });
        self
    }

    /// The entries that are not unchanged.
    pub fn changes(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.change != Change::Unchanged)
    }

    pub fn totals(&self) -> DiffTotals {
        let mut t = DiffTotals::default();
        for entry in &self.entries {
            match entry.change {
                Change::Added => t.added += 1,
                Change::Removed => t.removed += 1,
                Change::Changed => t.changed += 1,
                Change::Unchanged => t.unchanged += 1,
            }
            if let Some(before) = &entry.before {
                match before.monthly_cost {
                    Some(cost) => t.monthly_before += cost,
                    None => t.unpriced_before += 1,
                }
                t.commitment_before += before.commitment_total.unwrap_or_default();
            }
            if let Some(after) = &entry.after {
                match after.monthly_cost {
                    Some(cost) => t.monthly_after += cost,
                    None => t.unpriced_after += 1,
                }
                t.commitment_after += after.commitment_total.unwrap_or_default();
            }
            match entry.monthly_change() {
                Some(change) => {
                    t.monthly_change += change;
                    if change > Decimal::ZERO {
                        t.added_monthly += change;
                    } else {
                        t.removed_monthly -= change;
                    }
                }
                None => t.unknown_change += 1,
            }
            t.commitment_change += entry.commitment_change().unwrap_or_default();
        }
        t
    }
}
