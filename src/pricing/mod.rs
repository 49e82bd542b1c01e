//! Standing cost of provisioned throughput: rates (embedded catalog + `.ptlint.yaml` overrides), `Decimal` arithmetic, break-even.

// Money is `Decimal` from the catalog to the report; nothing here rounds except `round_money`, which is
// for display. Unpublished prices stay unknown: the catalog never guesses, and `config_snippet` tells the
// user how to supply a rate.

pub mod catalog;

pub use catalog::{AppliesTo, Catalog, CatalogEntry, CatalogError, PriceMatch, Priced, Provenance};

use crate::model::{Commitment, ModelKind};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The input:output token mix used when no observed mix is known: 3 input tokens per output token,
/// the blend domain.md §6.4 uses for its break-even illustration. It is the stated default, not a
/// measurement; pass the observed mix to [`break_even`] when usage evidence has one.
pub const DEFAULT_MIX: (u64, u64) = (3, 1);

/// The placeholder [`config_snippet`] writes where the user must put a rate; it is rejected on load.
pub const RATE_PLACEHOLDER: &str = "<your rate>";

/// A `.ptlint.yaml` `pricing:` entry: adds or overrides catalog rates (negotiated or unpublished prices).
///
/// Amounts may be written as YAML strings (`"50.00"`, exact) or numbers (`50`, `25.5`); numbers are read
/// from their shortest round-trip form, so a number with up to 15 significant digits is exact, and one
/// with more is rejected (write it as a string). Negative amounts are rejected.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceOverride {
    /// Model ID (or ID prefix) it prices; matches IDs that continue with any `:<version>`/`:<context>` suffix.
    pub model: String,
    /// Region it applies to (an exact name, or a pattern such as `us-*`); absent: every region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// PT rates in USD per model unit per hour; when present they replace the catalog's PT rates for this model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioned_hourly: Option<HourlyRates>,
    /// On-demand token prices in USD per 1M tokens; when present they replace the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_demand_per_million: Option<TokenRates>,
    /// Shown as the rate's source; absent: `config`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// PT rates in USD per model unit (MU) per hour, one per commitment term; an unpublished term is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HourlyRates {
    /// Rate without commitment (billed hourly, delete any time).
    #[serde(default, deserialize_with = "amount::optional", skip_serializing_if = "Option::is_none")]
    pub no_commitment: Option<Decimal>,
    /// Rate with a 1-month commitment.
    #[serde(default, deserialize_with = "amount::optional", skip_serializing_if = "Option::is_none")]
    pub one_month: Option<Decimal>,
    /// Rate with a 6-month commitment.
    #[serde(default, deserialize_with = "amount::optional", skip_serializing_if = "Option::is_none")]
    pub six_months: Option<Decimal>,
}

impl HourlyRates {
    /// The rate for `term`, if published.
    pub fn for_term(&self, term: Commitment) -> Option<Decimal> {
        match term {
            Commitment::NoCommitment => self.no_commitment,
            Commitment::OneMonth => self.one_month,
            Commitment::SixMonths => self.six_months,
        }
    }

    /// Whether no term has a rate.
    pub fn is_empty(&self) -> bool {
        self.no_commitment.is_none() && self.one_month.is_none() && self.six_months.is_none()
    }
}

/// On-demand token prices in USD per 1M tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRates {
    /// Price per 1M input tokens.
    #[serde(deserialize_with = "amount::required")]
    pub input: Decimal,
    /// Price per 1M output tokens; `None` means output tokens are not billed separately (embedding models).
    #[serde(default, deserialize_with = "amount::optional", skip_serializing_if = "Option::is_none")]
    pub output: Option<Decimal>,
}

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

/// The `.ptlint.yaml` snippet a user pastes to price `model_id` (optionally only in `region`).
///
/// Amounts are the `"<your rate>"` placeholder, which is valid YAML but rejected when the config is
/// loaded, so an unedited snippet cannot silently price anything. If the file already has a `pricing:`
/// list, add just the `- model:` item.
pub fn config_snippet(model_id: &str, region: Option<&str>) -> String {
    let rate = yaml_scalar(RATE_PLACEHOLDER);
    let mut out = String::new();
    out.push_str(&format!(
        "# Replace every {rate} with your price in USD: provisioned_hourly per model unit per hour,\n\
         # on_demand_per_million per 1M tokens. Leave out a term you do not buy.\n"
    ));
    out.push_str("pricing:\n");
    out.push_str(&format!("  - model: {}\n", yaml_scalar(model_id)));
    if let Some(region) = region {
        out.push_str(&format!("    region: {}\n", yaml_scalar(region)));
    }
    out.push_str(&format!(
        "    provisioned_hourly: {{no_commitment: {rate}, one_month: {rate}, six_months: {rate}}}\n"
    ));
    out.push_str(&format!("    on_demand_per_million: {{input: {rate}, output: {rate}}}\n"));
    out.push_str(&format!("    source: {}\n", yaml_scalar("<where the rate comes from, e.g. your AWS agreement>")));
    out
}

/// `text` as a YAML scalar: plain when that is unambiguous (model IDs, regions), double-quoted otherwise.
fn yaml_scalar(text: &str) -> String {
    let plain_safe = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '/'))
        && !text.ends_with(':')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null"
        );
    if plain_safe {
        text.to_string()
    } else {
        // A JSON string is a valid YAML double-quoted scalar.
        serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.escape_default()))
    }
}

/// The parts of a Bedrock ARN `arn:<partition>:bedrock:<region>:<account>:<resource>`.
struct BedrockArn<'a> {
    region: &'a str,
    resource: &'a str,
}

fn parse_bedrock_arn(text: &str) -> Option<BedrockArn<'_>> {
    let mut parts = text.splitn(6, ':');
    let (arn, partition, service, region, _account, resource) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let partition_ok = partition == "aws" || partition.strip_prefix("aws-").is_some_and(|rest| !rest.is_empty());
    (arn == "arn" && partition_ok && service == "bedrock").then_some(BedrockArn { region, resource })
}

/// The base model ID that prices `model`:
/// - a foundation-model ARN (`arn:aws[-*]:bedrock:<r>::foundation-model/<id>`) gives `<id>`;
/// - a custom-model ARN (`…:custom-model/<base-id incl. :ver:ctx>/<12 chars>`) gives the embedded base ID;
/// - a `custom-model/imported/<id>` ARN (weights brought in with CreateCustomModel) gives `None`: it has no base;
/// - any other ARN (provisioned model, imported model, inference profile, …) gives `None`;
/// - a bare model ID (or custom model name) is returned as is.
pub fn base_model_id(model: &str) -> Option<String> {
    let model = model.trim();
    if model.is_empty() {
        return None;
    }
    if !model.starts_with("arn:") {
        return Some(model.to_string());
    }
    let arn = parse_bedrock_arn(model)?;
    if let Some(id) = arn.resource.strip_prefix("foundation-model/") {
        return (!id.is_empty()).then(|| id.to_string());
    }
    let rest = arn.resource.strip_prefix("custom-model/")?;
    if rest.starts_with("imported/") {
        return None;
    }
    let (base, suffix) = rest.rsplit_once('/')?;
    (!base.is_empty() && !suffix.is_empty()).then(|| base.to_string())
}

/// The region named in a Bedrock ARN (`None` for a bare ID, a non-Bedrock ARN or an empty region field).
pub fn arn_region(model: &str) -> Option<String> {
    let arn = parse_bedrock_arn(model.trim())?;
    (!arn.region.is_empty()).then(|| arn.region.to_string())
}

/// What kind of model `model` names: a foundation-model ARN or a bare ID is `Foundation`; a custom-model
/// ARN is `Custom`, except `custom-model/imported/…`, which is `Imported` like an `imported-model/…` ARN;
/// a provisioned-model, inference-profile or any other ARN is `Unknown`.
pub fn model_kind_of(model: &str) -> ModelKind {
    let model = model.trim();
    if model.is_empty() {
        return ModelKind::Unknown;
    }
    if !model.starts_with("arn:") {
        return ModelKind::Foundation;
    }
    let Some(arn) = parse_bedrock_arn(model) else {
        return ModelKind::Unknown;
    };
    let resource = arn.resource;
    if resource.starts_with("foundation-model/") {
        ModelKind::Foundation
    } else if resource.starts_with("custom-model/imported/") || resource.starts_with("imported-model/") {
        ModelKind::Imported
    } else if resource.starts_with("custom-model/") {
        ModelKind::Custom
    } else {
        ModelKind::Unknown
    }
}

/// Deserializers for money amounts: exact from strings, shortest round-trip from numbers, never negative.
mod amount {
    use rust_decimal::Decimal;
    use serde::de::{self, Deserializer, Visitor};
    use std::fmt;
    use std::str::FromStr;

    /// More significant digits than this cannot be trusted to survive a YAML/JSON float.
    const MAX_FLOAT_DIGITS: usize = 15;

    pub(super) fn required<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(AmountVisitor)
    }

    pub(super) fn optional<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
        deserializer.deserialize_option(OptionalVisitor)
    }

    /// Parses an amount written as text (the form the catalog and the recommended config use).
    pub(super) fn parse_text(text: &str) -> Result<Decimal, String> {
        let trimmed = text.trim();
        if trimmed.contains('<') {
            return Err(format!("replace the placeholder {trimmed:?} with a rate in USD, e.g. \"25.00\""));
        }
        let value = Decimal::from_str(trimmed)
            .or_else(|_| Decimal::from_scientific(trimmed))
            .map_err(|_| format!("{trimmed:?} is not a decimal amount (write e.g. \"25.00\")"))?;
        non_negative(value)
    }

    fn non_negative(value: Decimal) -> Result<Decimal, String> {
        if value.is_sign_negative() && !value.is_zero() {
            Err(format!("amount {value} is negative"))
        } else {
            Ok(value)
        }
    }

    fn from_float(value: f64) -> Result<Decimal, String> {
        if !value.is_finite() {
            return Err(format!("amount {value} is not a finite number"));
        }
        // Rust prints the shortest text that round-trips, so `25.5` reads back as exactly 25.5.
        let text = format!("{value}");
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
        if significant > MAX_FLOAT_DIGITS {
            return Err(format!(
                "amount {text} has more than {MAX_FLOAT_DIGITS} significant digits; write it as a quoted string"
            ));
        }
        parse_text(&text)
    }

    struct AmountVisitor;

    impl<'de> Visitor<'de> for AmountVisitor {
        type Value = Decimal;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a non-negative amount in USD, as a string (\"25.00\") or a number (25.5)")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Decimal, E> {
            parse_text(value).map_err(E::custom)
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Decimal, E> {
            non_negative(Decimal::from(value)).map_err(E::custom)
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(value))
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<Decimal, E> {
            from_float(value).map_err(E::custom)
        }
    }

    struct OptionalVisitor;

    impl<'de> Visitor<'de> for OptionalVisitor {
        type Value = Option<Decimal>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a non-negative amount in USD, or nothing")
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<Decimal>, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<Decimal>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<Decimal>, D::Error> {
            required(deserializer).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An exact `Decimal` from its literal text (no float on the way).
    macro_rules! dec {
        ($lit:literal) => {
            <Decimal as std::str::FromStr>::from_str(stringify!($lit)).unwrap()
        };
    }

    fn worked_example_override() -> PriceOverride {
        PriceOverride {
            model: "anthropic.claude-3-5-sonnet-20240620-v1:0".to_string(),
            region: None,
            provisioned_hourly: Some(HourlyRates {
                no_commitment: None,
                one_month: None,
                six_months: Some(dec!(25.00)),
            }),
            on_demand_per_million: Some(TokenRates { input: dec!(3.00), output: Some(dec!(15.00)) }),
            source: None,
        }
    }

    #[test]
    fn worked_example_two_units_six_months() {
        let catalog = Catalog::embedded().with_overrides(&[worked_example_override()]);
        let price = catalog
            .lookup("anthropic.claude-3-5-sonnet-20240620-v1:0:200k", ModelKind::Foundation, Some("us-east-1"))
            .unwrap();
        let rate = price.hourly_rate(Commitment::SixMonths).unwrap();
        assert_eq!(rate, dec!(25));
        assert!(price.from_config());
        assert_eq!(price.source(), "config");

        let est = estimate(2, rate, Commitment::SixMonths, dec!(730));
        assert_eq!(est.hourly_rate, dec!(25));
        assert_eq!(est.hourly_cost, dec!(50));
        assert_eq!(est.monthly_cost, dec!(36500));
        assert_eq!(est.commitment_total, Some(dec!(219000)));
        assert_eq!(round_money(est.monthly_cost).to_string(), "36500.00");

        let rates = price.on_demand_per_million().unwrap();
        // 3.0B input + 0.6B output at $3 / $15 per 1M = 9000 + 9000.
        assert_eq!(on_demand_cost(3_000_000_000, 600_000_000, rates), dec!(18000));

        // Break-even at a 5:1 mix: 36500 / (5 × 3 + 1 × 15) = 1216.67 mix units of (5M in + 1M out).
        let (input, output) = break_even(est.monthly_cost, 5, 1, rates).unwrap();
        assert_eq!((input, output), (6_083_333_334, 1_216_666_667));
        assert!((input as f64 / 1e9 - 6.08).abs() < 0.01, "{input}");
        assert!((output as f64 / 1e9 - 1.22).abs() < 0.01, "{output}");
        // Rounded up, so on-demand at the break-even volume is not cheaper than the PT.
        assert!(on_demand_cost(input, output, rates) >= est.monthly_cost);
        assert!(on_demand_cost(input - 1, output - 1, rates) < est.monthly_cost);
    }

    #[test]
    fn month_of_730_versus_744_hours() {
        // AWS's example (domain.md §6.1): 2 MU × $18.40 × 24 × 31 = $27,379.20 (Titan Text Express, 1 month).
        let rate = Catalog::embedded()
            .lookup("amazon.titan-text-express-v1:0:8k", ModelKind::Foundation, Some("us-east-1"))
            .and_then(|p| p.hourly_rate(Commitment::OneMonth))
            .unwrap();
        assert_eq!(rate, dec!(18.40));
        let aws = estimate(2, rate, Commitment::OneMonth, dec!(744));
        assert_eq!(aws.monthly_cost, dec!(27379.20));
        assert_eq!(aws.commitment_total, Some(dec!(27379.20)));
        let finops = estimate(2, rate, Commitment::OneMonth, dec!(730));
        assert_eq!(finops.monthly_cost, dec!(26864.00));
        assert_eq!(aws.monthly_cost - finops.monthly_cost, dec!(515.20));
    }

    #[test]
    fn estimate_terms_and_units() {
        let none = estimate(1, dec!(20.50), Commitment::NoCommitment, dec!(730));
        assert_eq!(none.hourly_cost, dec!(20.50));
        assert_eq!(none.monthly_cost, dec!(14965));
        assert_eq!(none.commitment_total, None);
        let six = estimate(3, dec!(14.80), Commitment::SixMonths, dec!(730));
        assert_eq!(six.hourly_cost, dec!(44.40));
        assert_eq!(six.monthly_cost, dec!(32412));
        assert_eq!(six.commitment_total, Some(dec!(194472)));
        let zero = estimate(0, dec!(14.80), Commitment::OneMonth, dec!(730));
        assert_eq!(zero.monthly_cost, Decimal::ZERO);
        // No rounding inside: sub-cent precision is kept.
        let fine = estimate(1, dec!(0.035), Commitment::NoCommitment, dec!(1));
        assert_eq!(fine.monthly_cost.to_string(), "0.035");
    }

    #[test]
    fn round_money_is_half_away_from_zero() {
        assert_eq!(round_money(dec!(0.125)).to_string(), "0.13");
        assert_eq!(round_money(dec!(0.135)).to_string(), "0.14");
        assert_eq!(round_money(dec!(2.5)).to_string(), "2.50");
        assert_eq!(round_money(dec!(1.004)).to_string(), "1.00");
        assert_eq!(round_money(dec!(-0.125)).to_string(), "-0.13");
        assert_eq!(round_money(dec!(27379.2)).to_string(), "27379.20");
    }

    #[test]
    fn on_demand_cost_without_output_price() {
        let embed = TokenRates { input: dec!(0.02), output: None };
        // Output tokens are free when there is no output price.
        assert_eq!(on_demand_cost(50_000_000, 7_000_000, &embed), dec!(1.00));
        let nova_micro = TokenRates { input: dec!(0.035), output: Some(dec!(0.14)) };
        assert_eq!(on_demand_cost(1_000, 1_000, &nova_micro), dec!(0.000175));
        assert_eq!(on_demand_cost(0, 0, &nova_micro), Decimal::ZERO);
    }

    #[test]
    fn break_even_edges() {
        let rates = TokenRates { input: dec!(0.72), output: Some(dec!(0.72)) };
        // domain.md §6.4: Llama 3.1 70B, 1 month: 21.18 × 730 = 15461.40/month; 21.5B tokens at 0.72.
        let monthly = estimate(1, dec!(21.18), Commitment::OneMonth, dec!(730)).monthly_cost;
        let (i, o) = break_even(monthly, DEFAULT_MIX.0, DEFAULT_MIX.1, &rates).unwrap();
        assert_eq!((i, o), (16_105_625_000, 5_368_541_667));
        assert!(((i + o) as f64 / 1e9 - 21.5).abs() < 0.05);

        let free = TokenRates { input: Decimal::ZERO, output: Some(Decimal::ZERO) };
        assert_eq!(break_even(dec!(100), 3, 1, &free), None);
        assert_eq!(break_even(dec!(100), 0, 0, &rates), None);
        // Input-only mix against an embedding model (no output price).
        let embed = TokenRates { input: dec!(0.10), output: None };
        assert_eq!(break_even(dec!(100), 1, 0, &embed), Some((1_000_000_000, 0)));
        assert_eq!(break_even(dec!(100), 0, 1, &embed), None);
        assert_eq!(break_even(Decimal::ZERO, 3, 1, &rates), Some((0, 0)));
        assert_eq!(break_even(dec!(-1), 3, 1, &rates), None);
        assert_eq!(break_even(Decimal::MAX, u64::MAX, 1, &rates), None);
    }

    #[test]
    fn override_amounts_from_strings_and_numbers() {
        let yaml = r#"
model: anthropic.claude-3-5-sonnet-20240620-v1:0
region: us-east-1
provisioned_hourly: {no_commitment: 50, one_month: "40.00", six_months: 25.5}
on_demand_per_million: {input: 0.035, output: "0.14"}
source: negotiated 2026
"#;
        let o: PriceOverride = serde_yaml::from_str(yaml).unwrap();
        let hourly = o.provisioned_hourly.unwrap();
        assert_eq!(hourly.no_commitment, Some(dec!(50)));
        assert_eq!(hourly.one_month.unwrap().to_string(), "40.00");
        assert_eq!(hourly.six_months.unwrap().to_string(), "25.5");
        let od = o.on_demand_per_million.unwrap();
        assert_eq!(od.input.to_string(), "0.035");
        assert_eq!(od.output, Some(dec!(0.14)));
        assert_eq!(o.region.as_deref(), Some("us-east-1"));

        // Numbers that have no exact binary form still come out exact.
        let tricky: HourlyRates =
            serde_yaml::from_str("{no_commitment: 0.1, one_month: 0.3, six_months: 23.77}").unwrap();
        assert_eq!(tricky.no_commitment.unwrap().to_string(), "0.1");
        assert_eq!(tricky.one_month.unwrap().to_string(), "0.3");
        assert_eq!(tricky.six_months.unwrap().to_string(), "23.77");
        // JSON (e.g. a config converted by a tool) works the same way.
        let json: TokenRates = serde_json::from_str(r#"{"input": 2.65, "output": "3.50"}"#).unwrap();
        assert_eq!(json.input.to_string(), "2.65");
        assert_eq!(json.output.unwrap().to_string(), "3.50");
        // Null and absent terms are unpublished, not zero.
        let partial: HourlyRates = serde_yaml::from_str("{one_month: ~}").unwrap();
        assert_eq!(partial, HourlyRates::default());
        // A long figure is exact as a string and refused as a float.
        let long: TokenRates = serde_yaml::from_str(r#"{input: "0.1234567890123456789"}"#).unwrap();
        assert_eq!(long.input.to_string(), "0.1234567890123456789");
        let err = serde_yaml::from_str::<TokenRates>("{input: 0.1234567890123456789}").unwrap_err();
        assert!(err.to_string().contains("quoted string"), "{err}");
    }

    #[test]
    fn override_rejects_bad_input() {
        let cases = [
            ("model: m\nprovisioned_hourly: {one_month: -1}", "negative"),
            ("model: m\nprovisioned_hourly: {one_month: \"-0.5\"}", "negative"),
            ("model: m\nprovisioned_hourly: {one_month: \"cheap\"}", "not a decimal"),
            ("model: m\nprovisioned_hourly: {one_month: \"<your rate>\"}", "placeholder"),
            ("model: m\nprovisioned_hourly: {monthly: \"1\"}", "unknown field"),
            ("model: m\nprice: 1", "unknown field"),
            ("model: m\non_demand_per_million: {output: \"1\"}", "missing field `input`"),
            ("model: m\nprovisioned_hourly: {one_month: .nan}", "finite"),
            ("region: us-east-1", "missing field `model`"),
        ];
        for (yaml, expected) in cases {
            let err = serde_yaml::from_str::<PriceOverride>(yaml).unwrap_err().to_string();
            assert!(err.contains(expected), "{yaml:?}: {err}");
        }
    }

    #[test]
    fn override_round_trips_through_serialize() {
        let o = worked_example_override();
        let text = serde_yaml::to_string(&o).unwrap();
        assert!(text.contains("six_months: '25.00'") || text.contains("six_months: \"25.00\""), "{text}");
        assert!(!text.contains("region"), "{text}");
        let back: PriceOverride = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back, o);
    }

    #[test]
    fn config_snippet_is_valid_yaml_with_marked_placeholders() {
        let snippet = config_snippet("amazon.nova-pro-v1:0:300k", Some("us-east-1"));
        assert!(snippet.contains("  - model: amazon.nova-pro-v1:0:300k\n"), "{snippet}");
        assert!(snippet.contains("    region: us-east-1\n"), "{snippet}");
        assert!(snippet.contains("\"<your rate>\""), "{snippet}");

        #[derive(Deserialize)]
        struct Section {
            pricing: Vec<serde_yaml::Value>,
        }
        let section: Section = serde_yaml::from_str(&snippet).unwrap();
        assert_eq!(section.pricing.len(), 1);
        // Unedited, the placeholders are refused, so the snippet cannot silently price anything.
        let err = serde_yaml::from_value::<PriceOverride>(section.pricing[0].clone()).unwrap_err();
        assert!(err.to_string().contains("placeholder"), "{err}");
        // Once the rates are filled in, it is exactly a `PriceOverride`.
        #[derive(Deserialize)]
        struct Config {
            pricing: Vec<PriceOverride>,
        }
        let edited = snippet.replace("\"<your rate>\"", "\"12.34\"");
        let config: Config = serde_yaml::from_str(&edited).unwrap();
        let o = &config.pricing[0];
        assert_eq!(o.model, "amazon.nova-pro-v1:0:300k");
        assert_eq!(o.region.as_deref(), Some("us-east-1"));
        assert_eq!(o.provisioned_hourly.unwrap().six_months, Some(dec!(12.34)));
        assert_eq!(o.on_demand_per_million.unwrap().output, Some(dec!(12.34)));

        // Without a region, and with an identifier that needs quoting.
        let odd = config_snippet("my model: v2 # tuned", None);
        assert!(!odd.contains("region:"), "{odd}");
        let section: Section = serde_yaml::from_str(&odd).unwrap();
        assert_eq!(section.pricing[0]["model"].as_str(), Some("my model: v2 # tuned"));
        let yes = config_snippet("yes", None);
        let section: Section = serde_yaml::from_str(&yes).unwrap();
        assert_eq!(section.pricing[0]["model"].as_str(), Some("yes"));
    }

    #[test]
    fn base_model_ids_from_arns_and_ids() {
        let cases: [(&str, Option<&str>, ModelKind, Option<&str>); 14] = [
            (
                "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k",
                Some("amazon.titan-text-express-v1:0:8k"),
                ModelKind::Foundation,
                Some("us-east-1"),
            ),
            (
                "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-lite-v1:0:4k/example-model",
                Some("amazon.titan-text-lite-v1:0:4k"),
                ModelKind::Custom,
                Some("us-west-2"),
            ),
            (
                "arn:aws:bedrock:us-east-1:123456789012:custom-model/anthropic.claude-3-haiku-20240307-v1:0:200k/abc123def456",
                Some("anthropic.claude-3-haiku-20240307-v1:0:200k"),
                ModelKind::Custom,
                Some("us-east-1"),
            ),
            (
                "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:custom-model/meta.llama3-1-8b-instruct-v1:0:128k/a1b2c3d4e5f6",
                Some("meta.llama3-1-8b-instruct-v1:0:128k"),
                ModelKind::Custom,
                Some("us-gov-west-1"),
            ),
            (
                "arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
                Some("anthropic.claude-3-haiku-20240307-v1:0"),
                ModelKind::Foundation,
                Some("us-gov-west-1"),
            ),
            (
                "arn:aws-cn:bedrock:cn-north-1::foundation-model/amazon.nova-lite-v1:0",
                Some("amazon.nova-lite-v1:0"),
                ModelKind::Foundation,
                Some("cn-north-1"),
            ),
            (
                "arn:aws:bedrock:us-east-1:123456789012:custom-model/imported/abcdef123456",
                None,
                ModelKind::Imported,
                Some("us-east-1"),
            ),
            ("arn:aws:bedrock:us-east-1:123456789012:imported-model/abcdef123456", None, ModelKind::Imported, Some("us-east-1")),
            ("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456", None, ModelKind::Unknown, Some("us-east-1")),
            (
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0",
                None,
                ModelKind::Unknown,
                Some("us-east-1"),
            ),
            ("arn:aws:sagemaker:us-east-1:123456789012:model/x", None, ModelKind::Unknown, None),
            ("arn:awsx:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0", None, ModelKind::Unknown, None),
            ("anthropic.claude-v2:1:200k", Some("anthropic.claude-v2:1:200k"), ModelKind::Foundation, None),
            ("", None, ModelKind::Unknown, None),
        ];
        for (model, base, kind, region) in cases {
            assert_eq!(base_model_id(model).as_deref(), base, "base of {model}");
            assert_eq!(model_kind_of(model), kind, "kind of {model}");
            assert_eq!(arn_region(model).as_deref(), region, "region of {model}");
        }
        // A custom-model ARN without the trailing id has no recognisable base.
        assert_eq!(base_model_id("arn:aws:bedrock:us-east-1:123456789012:custom-model/abc"), None);
        assert_eq!(model_kind_of("arn:aws:bedrock:us-east-1:123456789012:custom-model/abc"), ModelKind::Custom);
    }
}
