//! `.ptlint.yaml` and `--usage` files: finding, loading and validating them; a bad key is an error at its line.

mod budgets;
mod credits;
mod de;
mod ignore;
mod load;
#[cfg(test)]
mod tests;

pub use budgets::{BudgetFilters, ConfigBudget, TimeUnit};
pub use credits::CreditPool;
pub use ignore::{glob_match, path_in_scope, split_scoped_key, IgnoreEntry};
pub use load::{
    find_config, load, load_usage, load_usage_file, ConfigError, LoadedConfig, LoadedUsage, CONFIG_FILE_NAMES,
};

use crate::evidence::UsageEntry;
use crate::finding::Level;
use crate::model::Commitment;
use crate::pricing::PriceOverride;
use de::{de_fraction, de_hours_per_month, de_levels, de_positive_u64};
use load::is_empty_document;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Hours in a month when the config does not say (infracost's `HourToMonthUnitMultiplier`; AWS examples use 744).
pub const DEFAULT_HOURS_PER_MONTH: Decimal = Decimal::from_parts(730, 0, 0, false, 0);

/// The most hours a calendar month has (31 days); more is a typo, not a month.
const MAX_HOURS_PER_MONTH: Decimal = Decimal::from_parts(744, 0, 0, false, 0);

/// Utilization below which an alarm should fire, when the config does not say (half the reserved capacity).
pub const DEFAULT_UTILIZATION_THRESHOLD: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

/// The project configuration, `.ptlint.yaml`. Every key is optional; unknown keys are errors.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Region for templates that do not say (`--region` wins).
    pub region: Option<String>,
    /// Hours in a billing month, more than 0 and at most 744 (default 730); read it through
    /// [`Config::hours_per_month`].
    #[serde(deserialize_with = "de_hours_per_month")]
    pub hours_per_month: Option<Decimal>,
    /// Catalog rates to add or override (negotiated or unpublished prices).
    pub pricing: Vec<PriceOverride>,
    /// Proven usage, keyed by Terraform address or CloudFormation logical ID.
    pub usage: BTreeMap<String, UsageEntry>,
    /// Thresholds the rules use.
    pub policy: PolicyConfig,
    /// Budgets managed outside the scanned code.
    pub budgets: Vec<ConfigBudget>,
    /// AWS credits that pay for the standing cost (see [`crate::credits`]); absent = none.
    #[serde(skip_serializing_if = "Vec::is_empty", deserialize_with = "credits::de_credit_pools")]
    pub credits: Vec<CreditPool>,
    /// Findings to suppress.
    pub ignore: Vec<IgnoreEntry>,
    /// Extra Guard rules directory, relative to the config file (`--rules` wins); see [`LoadedConfig::rules_dir`].
    pub rules: Option<PathBuf>,
    /// Globs of files and directories not to scan, relative to the config file's directory (see
    /// `Excludes` in discover.rs).
    pub exclude: Vec<String>,
    /// Named sets of paths (relative to the config file's directory, `path:` syntax) whose budgets cover each
    /// other's PTs, as if they were one template or root module (`docs/scope.md`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub link_scopes: BTreeMap<String, Vec<String>>,
}

impl Config {
    /// Hours in a billing month: the configured value, else 730.
    pub fn hours_per_month(&self) -> Decimal {
        self.hours_per_month.unwrap_or(DEFAULT_HOURS_PER_MONTH)
    }

    /// Parse configuration text; `file_label` names the file in errors. Blank text is the default config.
    pub fn parse_str(text: &str, file_label: &str) -> Result<Config, ConfigError> {
        if is_empty_document(text, file_label)? {
            return Ok(Config::default());
        }
        serde_yaml::from_str(text).map_err(|e| ConfigError::from_yaml(file_label, &e))
    }
}

/// Thresholds the rules compare against; they travel into the facts document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    /// Days of usage evidence a commitment term needs (PT004).
    pub min_observed_days: MinObservedDays,
    /// Tokens per minute one model unit serves, keyed by model ID prefix (longest prefix wins). AWS does not
    /// publish MU throughput, so utilization checks use it only when the user supplies it.
    pub tokens_per_minute_per_unit: BTreeMap<String, TokensPerMinute>,
    /// Utilization (fraction of reserved capacity, above 0 and at most 1) below which capacity counts as idle;
    /// default 0.5. Read it through [`PolicyConfig::utilization_threshold`].
    #[serde(deserialize_with = "de_fraction")]
    pub utilization_threshold: Option<Decimal>,
    /// Level overrides, keyed by rule code (`PT003`) or name: `error`, `warning` (`warn`), `note` (`info`)
    /// or `off` (the rule is not reported).
    #[serde(deserialize_with = "de_levels")]
    pub levels: BTreeMap<String, LevelSetting>,
}

impl PolicyConfig {
    /// The utilization threshold, else 0.5.
    pub fn utilization_threshold(&self) -> Decimal {
        self.utilization_threshold.unwrap_or(DEFAULT_UTILIZATION_THRESHOLD)
    }

    /// The MU throughput configured for `model_id`: the entry with the longest matching prefix.
    pub fn tokens_per_minute(&self, model_id: &str) -> Option<&TokensPerMinute> {
        self.tokens_per_minute_per_unit
            .iter()
            .filter(|(prefix, _)| model_id.starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, tpm)| tpm)
    }

    /// The level configured for a rule, by code or name (code first).
    pub fn level_for(&self, code: &str, name: &str) -> Option<LevelSetting> {
        self.levels.get(code).or_else(|| self.levels.get(name)).copied()
    }
}

/// A configured rule level: a [`Level`], or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelSetting {
    Off,
    Level(Level),
}

impl Serialize for LevelSetting {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            LevelSetting::Off => serializer.serialize_str("off"),
            LevelSetting::Level(level) => serializer.serialize_str(level.as_str()),
        }
    }
}

impl<'de> Deserialize<'de> for LevelSetting {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::de_level_setting(deserializer)
    }
}

/// Minimum days of usage evidence per commitment term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MinObservedDays {
    /// Days a 1-month commitment needs (default 30).
    pub one_month: u32,
    /// Days a 6-month commitment needs (default 90).
    pub six_months: u32,
}

impl Default for MinObservedDays {
    fn default() -> Self {
        MinObservedDays { one_month: 30, six_months: 90 }
    }
}

impl MinObservedDays {
    /// Days the given term needs; no commitment needs none.
    pub fn for_commitment(&self, commitment: Commitment) -> u32 {
        match commitment {
            Commitment::NoCommitment => 0,
            Commitment::OneMonth => self.one_month,
            Commitment::SixMonths => self.six_months,
        }
    }
}

/// Throughput of one model unit, as the user measured or was told by AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokensPerMinute {
    /// Input tokens per minute per MU (more than 0).
    #[serde(deserialize_with = "de_positive_u64")]
    pub input: u64,
    /// Output tokens per minute per MU; absent for models without output (embeddings).
    #[serde(default)]
    pub output: Option<u64>,
}
