//! Credit facts: the runway of the configured `credits:` over the standing cost of a scope's PTs, and per PT
//! whether its commitment term runs past it (see [`crate::credits`] for the arithmetic and its model).

use super::{format_money, FactsDocument};
use crate::config::Config;
use crate::credits::{self, Limit, Pool, Runway};
use crate::evidence::format_date;
use crate::model::{Commitment, PlanAction};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

fn money<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_money(*value))
}

fn optional_money<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => money(d, serializer),
        None => serializer.serialize_none(),
    }
}

fn optional_months<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(d) => serializer.serialize_str(&credits::round_months(*d).to_string()),
        None => serializer.serialize_none(),
    }
}

/// One pool as configured, and how the standing cost spends it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolFacts {
    pub name: String,
    #[serde(serialize_with = "money")]
    pub amount: Decimal,
    pub expires: Option<String>,
    /// What the standing cost draws from the pool before it is used up or expires.
    #[serde(serialize_with = "money")]
    pub spent: Decimal,
    /// What is left in it when it expires.
    #[serde(serialize_with = "money")]
    pub forfeited: Decimal,
}

/// The runway of a scope's credits: the `credits` object of the facts and of the JSON summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreditsFacts {
    /// The date the runway starts (`--as-of`, default today).
    pub as_of: String,
    /// In the order the config lists them.
    pub pools: Vec<PoolFacts>,
    #[serde(serialize_with = "money")]
    pub total: Decimal,
    /// The standing cost the credits pay for: every priced PT in scope but those a plan deletes.
    #[serde(serialize_with = "money")]
    pub monthly_cost: Decimal,
    /// PTs without a price, whose cost is not in `monthly_cost`.
    pub unpriced: usize,
    /// Months of `hours_per_month` hours the credits last, two places; `null` when they never run out.
    #[serde(serialize_with = "optional_months")]
    pub runway_months: Option<Decimal>,
    /// The last day the credits pay for; `null` when they never run out.
    pub runs_out: Option<String>,
    /// `amount` (used up), `expiry` (the last pool in use expires first) or `none` (never run out).
    pub limited_by: &'static str,
    /// The pool whose expiry ends the runway, when an expiry does.
    pub limiting_pool: Option<String>,
    /// What the runway was computed from, so a cost change can compute it again for another standing cost.
    #[serde(skip)]
    pub inputs: RunwayInputs,
    /// The runway in days, unrounded.
    #[serde(skip)]
    pub days: Option<Decimal>,
}

/// The runway of one config's credits over the PTs that config governs, when a run has several configs with
/// `credits:` (one team's credits pay for its own PTs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigCredits {
    /// The config file that holds the pools, as the report shows paths.
    pub config: String,
    #[serde(flatten)]
    pub credits: CreditsFacts,
}

/// The inputs of a runway besides the standing cost.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunwayInputs {
    pub pools: Vec<Pool>,
    pub hours_per_month: Decimal,
    pub as_of: i64,
}

impl CreditsFacts {
    /// The runway of `inputs` over `monthly_cost` per month.
    pub fn compute(inputs: RunwayInputs, monthly_cost: Decimal, unpriced: usize) -> CreditsFacts {
        let runway = credits::runway(&inputs.pools, monthly_cost, inputs.hours_per_month, inputs.as_of);
        let mut pools: Vec<PoolFacts> = inputs
            .pools
            .iter()
            .map(|p| PoolFacts {
                name: p.name.clone(),
                amount: p.amount,
                expires: p.expires.map(format_date),
                spent: Decimal::ZERO,
                forfeited: Decimal::ZERO,
            })
            .collect();
        for used in &runway.pools {
            pools[used.pool].spent = used.spent;
            pools[used.pool].forfeited = used.forfeited;
        }
        let Runway { days, limited_by, .. } = runway;
        let limiting_pool = match limited_by {
            Limit::Expiry => runway.pools.iter().rev().find(|u| u.forfeited > Decimal::ZERO).map(|u| u.pool),
            _ => None,
        };
        CreditsFacts {
            as_of: format_date(inputs.as_of),
            total: inputs.pools.iter().map(|p| p.amount).sum(),
            monthly_cost,
            unpriced,
            runway_months: days.map(|d| credits::months_of_days(d, inputs.hours_per_month)),
            runs_out: days.map(|d| format_date(credits::last_day(inputs.as_of, d))),
            limited_by: limited_by.as_str(),
            limiting_pool: limiting_pool.map(|i| inputs.pools[i].name.clone()),
            pools,
            inputs,
            days,
        }
    }

    /// The same credits over another standing cost (the other side of a cost change).
    pub fn for_monthly_cost(&self, monthly_cost: Decimal, unpriced: usize) -> CreditsFacts {
        CreditsFacts::compute(self.inputs.clone(), monthly_cost, unpriced)
    }
}

/// How the credits meet one PT's commitment term.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ThroughputCredits {
    /// The last day the credits pay for (`null`: they never run out).
    pub runs_out: Option<String>,
    /// The last day of the PT's commitment term counted from the run's date (`null` without a commitment).
    pub term_ends: Option<String>,
    /// Whether the term runs past the day the credits run out.
    pub outlives_credits: bool,
    /// What the part of the term after the credits run out costs, paid from the bank (`null` when the term
    /// does not outlive the credits, or the PT is unpriced).
    #[serde(serialize_with = "optional_money")]
    pub from_bank: Option<Decimal>,
    /// Why `from_bank` is unknown when the term outlives the credits: the PT's standing cost is.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub unknown: super::Unknowns,
}

/// Months in a commitment term.
fn term_months(term: Commitment) -> Option<Decimal> {
    match term {
        Commitment::NoCommitment => None,
        Commitment::OneMonth => Some(Decimal::ONE),
        Commitment::SixMonths => Some(Decimal::from(6)),
    }
}

/// A PT's credit facts against the scope's runway.
fn throughput_credits(
    runway: &CreditsFacts,
    commitment: Option<Commitment>,
    monthly_cost: Option<Decimal>,
    cost_unknown: Option<&super::Unknown>,
) -> ThroughputCredits {
    let mut facts = ThroughputCredits { runs_out: runway.runs_out.clone(), ..ThroughputCredits::default() };
    let Some(months) = commitment.and_then(term_months) else { return facts };
    let hours = runway.inputs.hours_per_month;
    let term_days = credits::days_of_months(months, hours);
    facts.term_ends = Some(format_date(credits::last_day(runway.inputs.as_of, term_days)));
    if let Some(credit_days) = runway.days.filter(|d| term_days > *d) {
        facts.outlives_credits = true;
        // The whole term is owed once committed; what falls after the credits run out comes from the bank.
        facts.from_bank =
            monthly_cost.and_then(|m| m.checked_mul(credits::months_of_days(term_days - credit_days, hours)));
        if let (None, Some(why)) = (facts.from_bank, cost_unknown) {
            facts.unknown.insert("from_bank", why.clone());
        }
    }
    facts
}

/// Add the credits of `config` to a scope's facts: the runway over the standing cost of its PTs, and each PT's
/// term against it. Without `credits:` the facts stay as they are.
pub fn add(facts: &mut FactsDocument, config: &Config, as_of: i64) {
    if config.credits.is_empty() {
        return;
    }
    let live = facts.throughputs.iter().filter(|t| t.plan_action != Some(PlanAction::Delete));
    let (mut monthly, mut unpriced) = (Decimal::ZERO, 0);
    for pt in live {
        match pt.cost.monthly_cost {
            Some(cost) => monthly += cost,
            None => unpriced += 1,
        }
    }
    let inputs = RunwayInputs {
        pools: config.credits.iter().map(crate::config::CreditPool::to_pool).collect(),
        hours_per_month: config.hours_per_month(),
        as_of,
    };
    let runway = CreditsFacts::compute(inputs, monthly, unpriced);
    for pt in &mut facts.throughputs {
        pt.credits =
            Some(throughput_credits(&runway, pt.commitment, pt.cost.monthly_cost, pt.cost.unknown.get("monthly_cost")));
    }
    facts.credits = Some(runway);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::parse_date;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn runway(amount: &str, monthly: &str) -> CreditsFacts {
        let inputs = RunwayInputs {
            pools: vec![Pool { name: "activate".into(), amount: d(amount), expires: parse_date("2027-12-31") }],
            hours_per_month: d("730"),
            as_of: parse_date("2026-12-07").unwrap(),
        };
        CreditsFacts::compute(inputs, d(monthly), 0)
    }

    #[test]
    fn a_term_past_the_runway_owes_the_rest_of_the_term_to_the_bank() {
        // $100,000 at $32,412.00/month: 100000 / 1065.6 days. The chat PT's 182.5-day term has
        // 182.5 - 93.84 days left, which at $10,804.00 a month of 730/24 days is its bank amount.
        let credits = runway("100000", "32412.00");
        let facts = throughput_credits(&credits, Some(Commitment::SixMonths), Some(d("10804.00")), None);
        assert_eq!(facts.runs_out.as_deref(), Some("2027-03-10"));
        assert_eq!(facts.term_ends.as_deref(), Some("2027-06-07"));
        assert!(facts.outlives_credits);
        let left_days = d("182.5") - d("100000") / (d("32412.00") * d("24") / d("730"));
        let expected = d("10804.00") * (left_days * d("24") / d("730"));
        assert_eq!(facts.from_bank, Some(expected));
        assert_eq!(format_money(expected), "31490.67");
        // Unpriced: the term still outlives the credits, its amount is unknown.
        let why = crate::facts::Unknown { why: "its standing cost is unknown: units".into(), supply: None };
        let unpriced = throughput_credits(&credits, Some(Commitment::SixMonths), None, Some(&why));
        assert!(unpriced.outlives_credits);
        assert_eq!(unpriced.from_bank, None);
        // ...and the reason travels beside it, for the message to say.
        assert_eq!(unpriced.unknown.get("from_bank"), Some(&why));
        assert!(facts.unknown.is_empty(), "a known amount has no reason");
        // A one-month term (30.42 days) ends inside the 93.84 days.
        let month = throughput_credits(&credits, Some(Commitment::OneMonth), Some(d("13432.00")), None);
        assert_eq!(month.term_ends.as_deref(), Some("2027-01-06"));
        assert_eq!((month.outlives_credits, month.from_bank), (false, None));
    }

    #[test]
    fn a_term_inside_the_runway_or_no_term_owes_nothing() {
        let credits = runway("100000", "10804.00");
        let six = throughput_credits(&credits, Some(Commitment::SixMonths), Some(d("10804.00")), None);
        assert_eq!((six.outlives_credits, six.from_bank), (false, None));
        let hourly = throughput_credits(&credits, Some(Commitment::NoCommitment), Some(d("10804.00")), None);
        assert_eq!((hourly.term_ends, hourly.outlives_credits), (None, false));
        assert_eq!(hourly.runs_out.as_deref(), Some("2027-09-14"));
        // A runway that never ends is outlived by nothing.
        let mut never = runway("100000", "0");
        never.inputs.pools[0].expires = None;
        let never = never.for_monthly_cost(Decimal::ZERO, 0);
        assert_eq!((never.runway_months, never.limited_by), (None, "none"));
        assert!(!throughput_credits(&never, Some(Commitment::SixMonths), Some(d("1")), None).outlives_credits);
    }
}
