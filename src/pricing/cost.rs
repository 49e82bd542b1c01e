//! Standing-cost arithmetic in `Decimal`: PT estimates, display rounding, on-demand cost and break-even volume.

use super::TokenRates;
use crate::model::Commitment;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// The input:output token mix used when no observed mix is known: 3 input tokens per output token,
/// the blend domain.md §6.4 uses for its break-even illustration. It is the stated default, not a
/// measurement; pass the observed mix to [`break_even`] when usage evidence has one.
pub const DEFAULT_MIX: (u64, u64) = (3, 1);

/// The standing cost of one provisioned throughput. Nothing is rounded; use [`round_money`] to display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Estimate {
    /// USD per model unit per hour for the PT's term.
    pub hourly_rate: Decimal,
    /// USD per hour for all its model units.
    pub hourly_cost: Decimal,
    /// USD per month (`hourly_cost` × hours per month).
    pub monthly_cost: Decimal,
    /// USD locked in by the commitment (`monthly_cost` × 1 or 6 months); `None` without commitment.
    pub commitment_total: Option<Decimal>,
}

/// Prices `units` model units at `hourly_rate` for `term`, with a month of `hours_per_month` hours
/// (730 is the FinOps convention and ptlint's default; AWS's own examples use 24 × 31 = 744).
///
/// A PT is billed every hour it exists, used or not (domain.md §6.1). Results beyond `Decimal`'s range
/// (about 7.9e28) saturate rather than panic.
pub fn estimate(units: u32, hourly_rate: Decimal, term: Commitment, hours_per_month: Decimal) -> Estimate {
    let hourly_cost = Decimal::from(units).saturating_mul(hourly_rate);
    let monthly_cost = hourly_cost.saturating_mul(hours_per_month);
    let commitment_total = match term {
        Commitment::NoCommitment => None,
        Commitment::OneMonth | Commitment::SixMonths => Some(monthly_cost.saturating_mul(Decimal::from(term.months()))),
    };
    Estimate { hourly_rate, hourly_cost, monthly_cost, commitment_total }
}

/// Rounds money for display: 2 decimal places, halves away from zero (`0.125` → `0.13`), always with
/// scale 2 so it prints as `36500.00`.
pub fn round_money(amount: Decimal) -> Decimal {
    let mut rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
}

/// The on-demand price of `input_tokens` and `output_tokens` (tokens / 1M × price per 1M).
///
/// When `rates.output` is `None` (embedding models) output tokens cost nothing extra: only input is billed.
pub fn on_demand_cost(input_tokens: u64, output_tokens: u64, rates: &TokenRates) -> Decimal {
    let input = Decimal::from(input_tokens).saturating_mul(rates.input);
    let output = match rates.output {
        Some(price) => Decimal::from(output_tokens).saturating_mul(price),
        None => Decimal::ZERO,
    };
    input.saturating_add(output) / Decimal::from(1_000_000u32)
}

/// The monthly (input, output) token volumes, in the ratio `input_share : output_share`, whose on-demand
/// price equals `monthly_cost` (the PT's standing cost): below them on-demand is cheaper.
///
/// Volumes are rounded up to whole tokens. `None` when the mix has no billed tokens (all shares or prices
/// zero), when `monthly_cost` is negative, or when a volume does not fit in `u64`. Use [`DEFAULT_MIX`]
/// when the mix is unknown.
pub fn break_even(
    monthly_cost: Decimal,
    input_share: u64,
    output_share: u64,
    rates: &TokenRates,
) -> Option<(u64, u64)> {
    if monthly_cost.is_sign_negative() && !monthly_cost.is_zero() {
        return None;
    }
    // Price of one "mix unit" of `input_share` M input tokens plus `output_share` M output tokens.
    let output_price = rates.output.unwrap_or(Decimal::ZERO);
    let unit_price = Decimal::from(input_share)
        .checked_mul(rates.input)?
        .checked_add(Decimal::from(output_share).checked_mul(output_price)?)?;
    if unit_price <= Decimal::ZERO {
        return None;
    }
    let million = Decimal::from(1_000_000u32);
    let volume = |share: u64| -> Option<u64> {
        let tokens = monthly_cost.checked_mul(million)?.checked_mul(Decimal::from(share))?.checked_div(unit_price)?;
        u64::try_from(tokens.ceil()).ok()
    };
    Some((volume(input_share)?, volume(output_share)?))
}
