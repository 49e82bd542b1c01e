//! Custom serde deserializers that validate config values where they are read, so errors carry their line.

use super::{LevelSetting, MAX_HOURS_PER_MONTH};
use crate::finding::Level;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

// Checks run inside visitors rather than after `T::deserialize` returns: serde_yaml attaches an error to the
// node being visited, so this way a bad value is reported at its own line, not at its enclosing mapping.

/// A decimal that must pass a check.
#[derive(Clone, Copy)]
struct CheckedDecimal(fn(Decimal) -> Result<(), String>);

impl CheckedDecimal {
    fn finish<E: serde::de::Error>(self, value: Decimal) -> Result<Decimal, E> {
        (self.0)(value).map(|()| value).map_err(E::custom)
    }
}

impl<'de> serde::de::Visitor<'de> for CheckedDecimal {
    type Value = Decimal;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
        let text = v.trim();
        let value = Decimal::from_str(text)
            .or_else(|_| Decimal::from_scientific(text))
            .map_err(|_| E::custom(format!("`{v}` is not a decimal number")))?;
        self.finish(value)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
        self.finish(Decimal::from(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
        self.finish(Decimal::from(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
        // Through the shortest text form, so YAML `0.1` becomes exactly 0.1, not the binary float's expansion.
        self.visit_str(&v.to_string())
    }
}

/// A date written `YYYY-MM-DD` that exists.
struct DateVisitor;

impl<'de> serde::de::Visitor<'de> for DateVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date written YYYY-MM-DD")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        let date = v.trim();
        match crate::evidence::parse_date(date) {
            Some(_) => Ok(date.to_string()),
            None => Err(E::custom(format!("`expires` must be a real date written YYYY-MM-DD, got `{v}`"))),
        }
    }
}

/// `~`/absent as `None`, anything else through the inner visitor.
struct Optional<V>(V);

impl<'de, V: serde::de::Visitor<'de>> serde::de::Visitor<'de> for Optional<V> {
    type Value = Option<V::Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self.0).map(Some)
    }
}

fn check_hours_per_month(hours: Decimal) -> Result<(), String> {
    if hours <= Decimal::ZERO || hours > MAX_HOURS_PER_MONTH {
        return Err(format!("`hours_per_month` must be more than 0 and at most 744, got {hours}"));
    }
    Ok(())
}

fn check_fraction(f: Decimal) -> Result<(), String> {
    if f <= Decimal::ZERO || f > Decimal::ONE {
        return Err(format!(
            "`utilization_threshold` is a fraction of capacity, more than 0 and at most 1 (0.5 = 50%), got {f}"
        ));
    }
    Ok(())
}

fn check_non_negative(limit: Decimal) -> Result<(), String> {
    if limit < Decimal::ZERO {
        return Err(format!("`limit` cannot be negative, got {limit}"));
    }
    Ok(())
}

pub(super) fn de_hours_per_month<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    deserializer.deserialize_option(Optional(CheckedDecimal(check_hours_per_month)))
}

pub(super) fn de_fraction<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    deserializer.deserialize_option(Optional(CheckedDecimal(check_fraction)))
}

pub(super) fn de_non_negative<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(CheckedDecimal(check_non_negative))
}

/// More than any credit grant: an amount above it is a typo (and would overflow the runway's sums).
pub(super) const MAX_CREDIT_AMOUNT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

fn check_credit_amount(amount: Decimal) -> Result<(), String> {
    if amount < Decimal::ZERO {
        return Err(format!("`amount` is the USD left in the pool and cannot be negative, got {amount}"));
    }
    if amount > MAX_CREDIT_AMOUNT {
        return Err(format!("`amount` is the USD left in the pool, at most 1000000000000000, got {amount}"));
    }
    Ok(())
}

pub(super) fn de_credit_amount<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(CheckedDecimal(check_credit_amount))
}

/// A credit pool's name: text that is not blank (reports name the pool by it).
pub(super) fn de_pool_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let name = String::deserialize(deserializer)?;
    if name.trim().is_empty() {
        return Err(serde::de::Error::custom("a credit pool's `name` cannot be empty"));
    }
    Ok(name)
}

pub(super) fn de_positive_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let value = u64::deserialize(deserializer)?;
    if value == 0 {
        return Err(serde::de::Error::custom("tokens per minute must be more than 0"));
    }
    Ok(value)
}

pub(super) fn de_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_option(Optional(DateVisitor))
}

/// A level parsed with [`Level::parse`], so `warn` and `info` work, `off` turns the rule off, and a typo is
/// an error at its line. (YAML 1.1 reads a bare `off` as `false`; both spellings mean off.)
pub(super) fn de_level_setting<'de, D: Deserializer<'de>>(deserializer: D) -> Result<LevelSetting, D::Error> {
    struct LevelVisitor;
    impl<'de> serde::de::Visitor<'de> for LevelVisitor {
        type Value = LevelSetting;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("`error`, `warning`, `note` or `off`")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<LevelSetting, E> {
            if v.trim().eq_ignore_ascii_case("off") {
                return Ok(LevelSetting::Off);
            }
            Level::parse(v)
                .map(LevelSetting::Level)
                .ok_or_else(|| E::custom(format!("unknown level `{v}`, expected `error`, `warning`, `note` or `off`")))
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<LevelSetting, E> {
            if v {
                Err(E::custom("unknown level `true`, expected `error`, `warning`, `note` or `off`"))
            } else {
                Ok(LevelSetting::Off)
            }
        }
    }
    deserializer.deserialize_any(LevelVisitor)
}

pub(super) fn de_levels<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, LevelSetting>, D::Error> {
    BTreeMap::<String, LevelSetting>::deserialize(deserializer)
}

/// A scalar as text: tag values such as `CostCenter: 1234` are strings to AWS even when YAML reads a number.
struct ScalarString(String);

impl<'de> Deserialize<'de> for ScalarString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OneOrManyVisitor).and_then(|many| match <[String; 1]>::try_from(many.0) {
            Ok([one]) => Ok(ScalarString(one)),
            Err(_) => Err(serde::de::Error::custom("expected a tag value, found a list")),
        })
    }
}

/// One tag value or a list of them.
struct OneOrMany(Vec<String>);

struct OneOrManyVisitor;

impl<'de> serde::de::Visitor<'de> for OneOrManyVisitor {
    type Value = OneOrMany;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tag value or a list of tag values")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
        Ok(OneOrMany(vec![v.to_string()]))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<OneOrMany, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<OneOrMany, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<OneOrMany, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<OneOrMany, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
        let mut values = Vec::new();
        while let Some(value) = seq.next_element::<ScalarString>()? {
            values.push(value.0);
        }
        Ok(OneOrMany(values))
    }
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OneOrManyVisitor)
    }
}

pub(super) fn de_tags<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
    let raw = BTreeMap::<String, OneOrMany>::deserialize(deserializer)?;
    Ok(raw.into_iter().map(|(key, values)| (key, values.0)).collect())
}
