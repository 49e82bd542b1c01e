//! `credits:` pools in `.ptlint.yaml`: AWS credits that pay for the standing cost until used up or expired.

use super::de::{de_credit_amount, de_date, de_pool_name};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One pool of credits (an Activate grant, a Bedrock proof-of-concept pool, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditPool {
    /// What the pool is called, for reports (not empty).
    #[serde(deserialize_with = "de_pool_name")]
    pub name: String,
    /// USD remaining (0 or more).
    #[serde(deserialize_with = "de_credit_amount")]
    pub amount: Decimal,
    /// Last day (`YYYY-MM-DD`, inclusive) the pool can be spent; absent = it does not expire.
    #[serde(default, deserialize_with = "de_date", skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

impl CreditPool {
    /// The pool for the runway arithmetic (its date was validated at load).
    pub fn to_pool(&self) -> crate::credits::Pool {
        crate::credits::Pool {
            name: self.name.clone(),
            amount: self.amount,
            expires: self.expires.as_deref().and_then(crate::evidence::parse_date),
        }
    }
}

/// The `credits:` list: pools as above, each with its own name (a report that names a pool must name one). The
/// check runs while the list is read, so a repeated name is reported at that pool's line.
pub(super) fn de_credit_pools<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<CreditPool>, D::Error> {
    struct Pools;
    impl<'de> serde::de::Visitor<'de> for Pools {
        type Value = Vec<CreditPool>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of credit pools (name, amount, expires)")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut pools: Vec<CreditPool> = Vec::new();
            while let Some(pool) = seq.next_element::<CreditPool>()? {
                if pools.iter().any(|p| p.name.trim() == pool.name.trim()) {
                    return Err(serde::de::Error::custom(format!(
                        "two credit pools are named `{}`; give each pool its own name",
                        pool.name
                    )));
                }
                pools.push(pool);
            }
            Ok(pools)
        }
    }
    deserializer.deserialize_seq(Pools)
}
