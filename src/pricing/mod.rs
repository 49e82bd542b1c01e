//! Standing cost of provisioned throughput: rates (embedded catalog + `.ptlint.yaml` overrides), `Decimal` arithmetic, break-even.

// Money is `Decimal` from the catalog to the report; nothing here rounds except `round_money`, which is
// for display. Unpublished prices stay unknown: the catalog never guesses, and `config_snippet` tells the
// user how to supply a rate.

/// An exact `Decimal` from a literal, for the pricing tables in tests (declared before the modules that use it).
#[cfg(test)]
macro_rules! dec {
    ($lit:literal) => {
        <rust_decimal::Decimal as std::str::FromStr>::from_str(stringify!($lit)).unwrap()
    };
}

pub mod catalog;
pub mod lifecycle;

mod amount;
mod cost;
mod entry;
mod matching;
mod model_id;
mod price_match;
mod rates;
mod snippet;
#[cfg(test)]
mod tests;

pub use catalog::{AppliesTo, Catalog, CatalogEntry, CatalogError, PriceMatch, Priced, Provenance};
pub use cost::{break_even, estimate, on_demand_cost, round_money, Estimate, DEFAULT_MIX};
pub use model_id::{arn_region, base_model_id, is_foundation_model_id, model_kind_of, not_servable_by_pt};
pub use rates::{HourlyRates, PriceOverride, TokenRates};
pub use snippet::{config_snippet, RATE_PLACEHOLDER};
