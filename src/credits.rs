//! Credit runway: how long pools of AWS credits cover a standing cost, spent soonest-expiring first, in `Decimal`.
//!
//! The model (docs/credits.md says the same for users):
//! - Time runs from 00:00 UTC on the run's date (`--as-of`, default today), in days.
//! - A month is `hours_per_month` hours (730 by default), so a month is `hours_per_month / 24` days; a standing
//!   cost of `M` per month is spent at `M * 24 / hours_per_month` per day, continuously.
//! - A pool can be spent until the end of its `expires` day (inclusive); what is left then is lost. A pool
//!   without `expires` never expires.
//! - Pools are spent one at a time, the soonest to expire first (then in the order the config lists them), as
//!   AWS applies credits: <https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/useconsolidatedbilling-credits.html>.
//!   So a pool is spent only until its own expiry, and the next pool takes over from there.
//! - The credits run out at the moment the last pool is used up or expires; the date shown is the last day they
//!   pay for, in whole or in part.

use rust_decimal::{Decimal, RoundingStrategy};

/// One pool of credits, as the config gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    pub name: String,
    /// USD remaining.
    pub amount: Decimal,
    /// The last day the pool can be spent (days since 1970-01-01); `None` = never expires.
    pub expires: Option<i64>,
}

/// What ends the runway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The credits are used up.
    Amount,
    /// The last pool in use expires with money left in it (or every pool had expired already).
    Expiry,
    /// Nothing: there is no standing cost to spend them, and a pool never expires.
    Never,
}

impl Limit {
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::Amount => "amount",
            Limit::Expiry => "expiry",
            Limit::Never => "none",
        }
    }
}

/// How one pool is spent.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolUse {
    /// Index into the pools as given.
    pub pool: usize,
    /// What the standing cost draws from it.
    pub spent: Decimal,
    /// What is left when it expires.
    pub forfeited: Decimal,
}

/// How long the credits last.
#[derive(Debug, Clone, PartialEq)]
pub struct Runway {
    /// Days from the start of the run's date until the credits run out; `None` when they never do.
    pub days: Option<Decimal>,
    pub limited_by: Limit,
    /// Each pool's use, in the order they are spent.
    pub pools: Vec<PoolUse>,
}

/// Days in `months` months of `hours_per_month` hours.
pub fn days_of_months(months: Decimal, hours_per_month: Decimal) -> Decimal {
    months * hours_per_month / Decimal::from(24)
}

/// Months of `hours_per_month` hours in `days` days.
pub fn months_of_days(days: Decimal, hours_per_month: Decimal) -> Decimal {
    days * Decimal::from(24) / hours_per_month
}

/// Months rounded to two places, half away from zero (`9.2558...` -> `9.26`).
pub fn round_months(months: Decimal) -> Decimal {
    let mut rounded = months.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
}

/// The last day (days since 1970-01-01) of a span of `days` days that starts at 00:00 UTC on `as_of`: the day
/// the span's end falls in, or the day before when it ends exactly at midnight. A span of zero days ends on
/// `as_of` itself.
pub fn last_day(as_of: i64, days: Decimal) -> i64 {
    let whole: i64 = days.ceil().try_into().unwrap_or(i64::MAX / 2);
    as_of + (whole - 1).max(0)
}

/// The longest a pool is taken to last, in days (about 2.7 billion years): a tiny standing cost against a large
/// pool would otherwise overflow the arithmetic.
const MAX_DAYS: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// How long `pools` cover a standing cost of `monthly_cost` per month from `as_of`.
pub fn runway(pools: &[Pool], monthly_cost: Decimal, hours_per_month: Decimal, as_of: i64) -> Runway {
    let mut order: Vec<usize> = (0..pools.len()).collect();
    // Soonest to expire first; a pool that never expires last; ties in config order (the sort is stable).
    order.sort_by_key(|&i| pools[i].expires.map_or((1, 0), |day| (0, day)));
    // Days from the start of `as_of` to the end of a pool's last day (zero or less: expired already).
    let window = |pool: &Pool| pool.expires.map(|day| Decimal::from(day - as_of + 1));
    if monthly_cost <= Decimal::ZERO || hours_per_month <= Decimal::ZERO {
        return idle_runway(pools, &order, window);
    }
    // Checked: a config can hold amounts and rates no bill has, and a run must not panic on them.
    let per_day = monthly_cost.checked_mul(Decimal::from(24)).map_or(Decimal::MAX, |cost| cost / hours_per_month);
    let mut now = Decimal::ZERO;
    let mut limited_by = None;
    let mut uses = Vec::with_capacity(pools.len());
    for i in order {
        let pool = &pools[i];
        let end = window(pool);
        let lasts = pool.amount.checked_div(per_day).unwrap_or(MAX_DAYS).min(MAX_DAYS);
        let (spent, forfeited) = match end {
            // Expired before the run's date, or before the pools spent earlier ran out.
            Some(end) if end <= now => (Decimal::ZERO, pool.amount),
            Some(end) if now + lasts > end => {
                let spent = per_day.checked_mul(end - now).unwrap_or(pool.amount).min(pool.amount);
                now = end;
                limited_by = Some(Limit::Expiry);
                (spent, pool.amount - spent)
            }
            _ => {
                if pool.amount > Decimal::ZERO {
                    now += lasts;
                    limited_by = Some(Limit::Amount);
                }
                (pool.amount, Decimal::ZERO)
            }
        };
        uses.push(PoolUse { pool: i, spent, forfeited });
    }
    let limited_by = limited_by.unwrap_or_else(|| {
        // Nothing was spent: no credits at all, or all of them had expired.
        if pools.iter().any(|p| p.amount > Decimal::ZERO) {
            Limit::Expiry
        } else {
            Limit::Amount
        }
    });
    Runway { days: Some(now), limited_by, pools: uses }
}

/// Credits nobody spends: they last until the last pool with money in it expires, or for ever.
fn idle_runway(pools: &[Pool], order: &[usize], window: impl Fn(&Pool) -> Option<Decimal>) -> Runway {
    let uses = order
        .iter()
        .map(|&i| {
            let pool = &pools[i];
            let forfeited = if pool.expires.is_some() { pool.amount } else { Decimal::ZERO };
            PoolUse { pool: i, spent: Decimal::ZERO, forfeited }
        })
        .collect();
    let funded: Vec<&Pool> = pools.iter().filter(|p| p.amount > Decimal::ZERO).collect();
    if funded.iter().any(|p| p.expires.is_none()) {
        return Runway { days: None, limited_by: Limit::Never, pools: uses };
    }
    let days = funded.iter().filter_map(|p| window(p)).max().unwrap_or_default().max(Decimal::ZERO);
    let limited_by = if funded.is_empty() { Limit::Amount } else { Limit::Expiry };
    Runway { days: Some(days), limited_by, pools: uses }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{format_date, parse_date};
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn day(text: &str) -> i64 {
        parse_date(text).unwrap()
    }

    fn pool(name: &str, amount: &str, expires: Option<&str>) -> Pool {
        Pool { name: name.into(), amount: d(amount), expires: expires.map(day) }
    }

    const HOURS: Decimal = Decimal::from_parts(730, 0, 0, false, 0);

    #[test]
    fn the_worked_example_lasts_9_26_months_until_2027_09_14() {
        let as_of = day("2026-12-07");
        let pools = [pool("activate", "100000", Some("2027-12-31"))];
        let runway = runway(&pools, d("10804.00"), HOURS, as_of);
        // 10804 * 24 / 730 = 355.2 a day exactly; 100000 / 355.2 days.
        assert_eq!(runway.days, Some(d("100000") / d("355.2")));
        assert_eq!(runway.limited_by, Limit::Amount);
        let months = months_of_days(runway.days.unwrap(), HOURS);
        assert_eq!(round_months(months), d("9.26"));
        assert_eq!(round_months(months).to_string(), "9.26");
        assert_eq!(format_date(last_day(as_of, runway.days.unwrap())), "2027-09-14");
        assert_eq!(runway.pools, vec![PoolUse { pool: 0, spent: d("100000"), forfeited: Decimal::ZERO }]);
    }

    #[test]
    fn an_expiry_before_the_money_runs_out_limits_the_runway() {
        let as_of = day("2026-12-07");
        // 389 days to 2027-12-31, plus that day itself: 390 days, 12.82 months.
        let pools = [pool("activate", "100000", Some("2027-12-31"))];
        let runway = runway(&pools, d("5000"), HOURS, as_of);
        assert_eq!(runway.days, Some(d("390")));
        assert_eq!(runway.limited_by, Limit::Expiry);
        assert_eq!(round_months(months_of_days(d("390"), HOURS)), d("12.82"));
        assert_eq!(format_date(last_day(as_of, d("390"))), "2027-12-31");
        // 5000 * 24 / 730 a day for 390 days is spent; the rest is lost.
        let spent = d("5000") * d("24") / HOURS * d("390");
        assert_eq!(runway.pools[0].spent, spent);
        assert_eq!(runway.pools[0].forfeited, d("100000") - spent);
        assert_eq!(round_months(spent / d("5000")), d("12.82"));
    }

    #[test]
    fn pools_are_spent_soonest_expiring_first_each_only_until_its_own_expiry() {
        let as_of = day("2026-01-01");
        // 730 hours a month at $7,300/month: $240 a day.
        let pools = [
            pool("late", "24000", None),
            // 31 days until the end of 2026-01-31, but $12,000 would last 50: $4,560 is lost.
            pool("poc", "12000", Some("2026-01-31")),
            // From day 31, $2,400 lasts 10 more days.
            pool("accelerator", "2400", Some("2026-12-31")),
        ];
        let runway = runway(&pools, d("7300"), HOURS, as_of);
        assert_eq!(
            runway.pools,
            vec![
                PoolUse { pool: 1, spent: d("7440"), forfeited: d("4560") },
                PoolUse { pool: 2, spent: d("2400"), forfeited: Decimal::ZERO },
                PoolUse { pool: 0, spent: d("24000"), forfeited: Decimal::ZERO },
            ]
        );
        // 31 + 10 + 100 days.
        assert_eq!(runway.days, Some(d("141")));
        assert_eq!(runway.limited_by, Limit::Amount);
        assert_eq!(format_date(last_day(as_of, d("141"))), "2026-05-21");
    }

    #[test]
    fn the_last_pool_expiring_with_money_left_is_an_expiry_limit() {
        let as_of = day("2026-01-01");
        let pools = [pool("a", "2400", Some("2026-01-05")), pool("b", "100000", Some("2026-03-01"))];
        let runway = runway(&pools, d("7300"), HOURS, as_of);
        // `a` lasts 10 days but expires after 5; `b` runs to the end of 2026-03-01 (day 60).
        assert_eq!(runway.days, Some(d("60")));
        assert_eq!(runway.limited_by, Limit::Expiry);
        assert_eq!(runway.pools[0], PoolUse { pool: 0, spent: d("1200"), forfeited: d("1200") });
        assert_eq!(runway.pools[1], PoolUse { pool: 1, spent: d("13200"), forfeited: d("86800") });
    }

    #[test]
    fn expired_and_empty_pools_give_no_runway() {
        let as_of = day("2026-12-07");
        let expired = [pool("old", "5000", Some("2026-12-06"))];
        let runway = runway(&expired, d("100"), HOURS, as_of);
        assert_eq!((runway.days, runway.limited_by), (Some(Decimal::ZERO), Limit::Expiry));
        assert_eq!(runway.pools[0].forfeited, d("5000"));
        let empty = [pool("spent", "0", None)];
        let runway = super::runway(&empty, d("100"), HOURS, as_of);
        assert_eq!((runway.days, runway.limited_by), (Some(Decimal::ZERO), Limit::Amount));
        assert_eq!(last_day(as_of, Decimal::ZERO), as_of);
        // A pool expiring on the run's date still pays for that day.
        let today = [pool("today", "5000", Some("2026-12-07"))];
        assert_eq!(super::runway(&today, d("7300"), HOURS, as_of).days, Some(d("1")));
        assert!(super::runway(&[], d("100"), HOURS, as_of).days == Some(Decimal::ZERO));
    }

    #[test]
    fn without_a_standing_cost_credits_last_until_they_expire_or_for_ever() {
        let as_of = day("2026-01-01");
        let pools = [pool("a", "100", Some("2026-01-10")), pool("b", "100", Some("2026-02-01"))];
        let runway = runway(&pools, Decimal::ZERO, HOURS, as_of);
        assert_eq!((runway.days, runway.limited_by), (Some(d("32")), Limit::Expiry));
        let forever = [pool("a", "100", Some("2026-01-10")), pool("b", "100", None)];
        let runway = super::runway(&forever, Decimal::ZERO, HOURS, as_of);
        assert_eq!((runway.days, runway.limited_by), (None, Limit::Never));
    }

    #[test]
    fn extreme_amounts_and_costs_do_not_overflow() {
        let as_of = day("2026-01-01");
        let big = [pool("a", "1000000000000", None), pool("b", "1000000000000", None)];
        let runway = runway(&big, d("0.0000000000000000000001"), HOURS, as_of);
        assert_eq!(runway.days, Some(d("2000000000")));
        assert_eq!(runway.limited_by, Limit::Amount);
        let huge_cost = runway_of_cost(Decimal::MAX);
        assert_eq!(huge_cost.limited_by, Limit::Amount);
        assert!(huge_cost.days.unwrap() < d("0.0001"));
        let expiring = [pool("a", "1000000000000", Some("2026-01-10"))];
        let runway = super::runway(&expiring, Decimal::MAX, HOURS, as_of);
        assert_eq!(runway.pools[0].spent + runway.pools[0].forfeited, d("1000000000000"));
    }

    fn runway_of_cost(monthly: Decimal) -> Runway {
        runway(&[pool("a", "1000000000000", None)], monthly, HOURS, day("2026-01-01"))
    }

    #[test]
    fn months_and_days_convert_through_hours_per_month() {
        assert_eq!(days_of_months(d("6"), HOURS), d("182.5"));
        assert_eq!(days_of_months(d("1"), d("744")), d("31"));
        assert_eq!(months_of_days(d("182.5"), HOURS), d("6"));
        assert_eq!(round_months(d("0.005")), d("0.01"));
        assert_eq!(round_months(d("2")).to_string(), "2.00");
        // A span ending inside a day ends on that day; one ending at midnight, on the day before.
        assert_eq!(last_day(100, d("0.5")), 100);
        assert_eq!(last_day(100, d("1")), 100);
        assert_eq!(last_day(100, d("1.01")), 101);
        assert_eq!(format_date(day("2024-02-29")), "2024-02-29");
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(-1), "1969-12-31");
    }
}
