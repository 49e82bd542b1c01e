//! Deserializers for money amounts: exact from strings, shortest round-trip from numbers, never negative.

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
