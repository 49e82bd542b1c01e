//! Usage evidence: declared volumes and CloudWatch metric exports -> observed days and proven sustained monthly volume.
//!
//! A usage entry (in `.ptlint.yaml` under `usage:`, or in a `--usage` file) proves how much traffic a
//! provisioned throughput really carries, in one of two ways:
//!
//! - **declared**: `observed_days` plus `monthly_input_tokens` and/or `monthly_output_tokens`, taken as written;
//! - **measured**: `cloudwatch`, one or more files holding the JSON output of
//!   `aws cloudwatch get-metric-data` or `aws cloudwatch get-metric-statistics` for the `AWS/Bedrock`
//!   metrics `InputTokenCount` and `OutputTokenCount`, `Sum` statistic, daily period (86400 s).
//!
//! For a measured entry the contract is:
//!
//! - **observed days** = calendar days (UTC) from the first to the last day with a datapoint, inclusive.
//!   CloudWatch omits periods without data, so a day inside that span with no datapoint is a zero-traffic day.
//! - **sustained monthly volume** = the **10th percentile (nearest rank) of the daily totals** over the observed
//!   span ("P10 of daily totals"), times days per month (`hours_per_month / 24`), rounded down to whole tokens;
//!   computed separately for input and output tokens. P10 rather than the mean, so that a commitment is justified by
//!   traffic that is there on nine days out of ten, not by a lucky peak.
//!
//! Datapoints on the same UTC day are summed (sub-daily exports still work). A timestamp of a metric that
//! already appeared in an earlier file is an overlap between two exports and is counted once (the larger value).

mod cloudwatch;
mod dates;
#[cfg(test)]
mod tests;

pub use dates::{date_of_day, days_from_civil, format_date, parse_date, parse_timestamp, today};

use cloudwatch::from_cloudwatch;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// The percentile of daily totals that counts as sustained volume (nearest-rank P10).
pub const SUSTAINED_PERCENTILE: u8 = 10;

const SECONDS_PER_DAY: i64 = 86_400;

/// One `usage:` entry, keyed elsewhere by Terraform address or CloudFormation logical ID.
///
/// Either `observed_days` with at least one of the token counts (declared), or `cloudwatch` (measured), not both.
/// Deserializing checks that and rejects unknown keys, so a bad entry is an error at its line.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct UsageEntry {
    /// How many days of traffic the declared volume was measured over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_days: Option<u32>,
    /// Sustained input tokens per month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_input_tokens: Option<u64>,
    /// Sustained output tokens per month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_output_tokens: Option<u64>,
    /// CloudWatch metric export file(s), relative to the directory of the file that names them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloudwatch: Option<CloudWatchSource>,
}

/// The wire form of [`UsageEntry`]: unknown keys are rejected here, the combination is checked afterwards.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUsageEntry {
    #[serde(default)]
    observed_days: Option<u32>,
    #[serde(default)]
    monthly_input_tokens: Option<u64>,
    #[serde(default)]
    monthly_output_tokens: Option<u64>,
    #[serde(default)]
    cloudwatch: Option<CloudWatchSource>,
}

// Validation runs inside `visit_map`, not after deserialization (`#[serde(try_from)]`): serde_yaml pins an
// error on the mapping being visited, so the message carries this entry's path (`usage.ChatThroughput`) and
// position instead of those of the enclosing `usage:` mapping.
impl<'de> Deserialize<'de> for UsageEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> serde::de::Visitor<'de> for EntryVisitor {
            type Value = UsageEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a usage entry: `cloudwatch`, or `observed_days` with monthly token counts")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<UsageEntry, A::Error> {
                let raw = RawUsageEntry::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                let entry = UsageEntry {
                    observed_days: raw.observed_days,
                    monthly_input_tokens: raw.monthly_input_tokens,
                    monthly_output_tokens: raw.monthly_output_tokens,
                    cloudwatch: raw.cloudwatch,
                };
                entry.validate().map_err(serde::de::Error::custom)?;
                Ok(entry)
            }
        }
        deserializer.deserialize_map(EntryVisitor)
    }
}

impl UsageEntry {
    /// Check that the entry is either declared or measured, and complete; the message names the offending key.
    pub fn validate(&self) -> Result<(), String> {
        let declared_keys: Vec<&str> = [
            ("observed_days", self.observed_days.is_some()),
            ("monthly_input_tokens", self.monthly_input_tokens.is_some()),
            ("monthly_output_tokens", self.monthly_output_tokens.is_some()),
        ]
        .iter()
        .filter(|(_, present)| *present)
        .map(|(key, _)| *key)
        .collect();
        if let Some(source) = &self.cloudwatch {
            if let Some(key) = declared_keys.first() {
                return Err(format!(
                    "usage entry has both `cloudwatch` and `{key}`: give either metric exports or declared volumes, not both"
                ));
            }
            if source.paths().is_empty() {
                return Err("`cloudwatch` lists no files".to_string());
            }
            return Ok(());
        }
        match self.observed_days {
            None if declared_keys.is_empty() => Err(
                "usage entry is empty: give `cloudwatch` (metric export files) or `observed_days` with `monthly_input_tokens`/`monthly_output_tokens`"
                    .to_string(),
            ),
            None => Err(format!(
                "`{}` needs `observed_days` (how many days of traffic the volume was measured over)",
                declared_keys.first().copied().unwrap_or("monthly_input_tokens")
            )),
            Some(0) => Err("`observed_days` must be at least 1".to_string()),
            Some(_) if self.monthly_input_tokens.is_none() && self.monthly_output_tokens.is_none() => {
                Err("`observed_days` needs `monthly_input_tokens` or `monthly_output_tokens`".to_string())
            }
            Some(_) => Ok(()),
        }
    }
}

/// One metric export file or a list of them (`get-metric-statistics` writes one metric per file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum CloudWatchSource {
    /// A single file.
    One(String),
    /// Several files; their series are merged.
    Many(Vec<String>),
}

impl CloudWatchSource {
    /// The file paths, as written.
    pub fn paths(&self) -> &[String] {
        match self {
            CloudWatchSource::One(path) => std::slice::from_ref(path),
            CloudWatchSource::Many(paths) => paths,
        }
    }
}

// Hand-written instead of `#[serde(untagged)]` so a wrong type says what was expected
// rather than "data did not match any variant of untagged enum".
impl<'de> Deserialize<'de> for CloudWatchSource {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SourceVisitor;
        impl<'de> serde::de::Visitor<'de> for SourceVisitor {
            type Value = CloudWatchSource;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a file path or a list of file paths")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<CloudWatchSource, E> {
                Ok(CloudWatchSource::One(value.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<CloudWatchSource, A::Error> {
                let mut paths = Vec::new();
                while let Some(path) = seq.next_element::<String>()? {
                    paths.push(path);
                }
                Ok(CloudWatchSource::Many(paths))
            }
        }
        deserializer.deserialize_any(SourceVisitor)
    }
}

/// Proven usage of one provisioned throughput.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Days the evidence covers (compare with the commitment term's minimum).
    pub observed_days: u32,
    /// Sustained input tokens per month.
    pub monthly_input_tokens: u64,
    /// Sustained output tokens per month.
    pub monthly_output_tokens: u64,
    /// Where the numbers came from.
    pub source: EvidenceSource,
}

/// Where evidence came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EvidenceSource {
    /// Numbers written in the usage entry.
    Declared,
    /// Computed from CloudWatch metric exports.
    CloudWatch {
        /// The export files, as resolved against the base directory.
        files: Vec<String>,
        /// The percentile of daily totals used (always [`SUSTAINED_PERCENTILE`]).
        percentile: u8,
        /// Days in the observed span that had at least one datapoint.
        days_with_data: u32,
    },
}

/// Evidence that could not be read or computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceError {
    /// The file at fault (a metric export, or the base directory for an invalid entry).
    pub file: String,
    /// 1-based line, when the JSON parser knows it.
    pub line: Option<u32>,
    /// 1-based column, when the JSON parser knows it.
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
    /// The export as the usage entry wrote it, when it could not be read at all: the entry that names it is
    /// where that error belongs.
    pub unreadable_export: Option<String>,
}

impl EvidenceError {
    fn new(file: &str, message: impl Into<String>) -> EvidenceError {
        EvidenceError {
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
            unreadable_export: None,
        }
    }
}

impl fmt::Display for EvidenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "{}:{line}:{column}: {}", self.file, self.message)
            }
            (Some(line), None) => write!(f, "{}:{line}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for EvidenceError {}

/// Turn a usage entry into evidence. Export paths are resolved against `base_dir` (the directory of the
/// config or usage file); `hours_per_month` sets days per month (`hours_per_month / 24`).
pub fn resolve(entry: &UsageEntry, base_dir: &Path, hours_per_month: Decimal) -> Result<Evidence, EvidenceError> {
    // Entries built in code skip deserialization, so check again here.
    entry.validate().map_err(|message| EvidenceError::new(&display_path(base_dir), message))?;
    match &entry.cloudwatch {
        Some(source) => from_cloudwatch(source.paths(), base_dir, hours_per_month),
        None => Ok(Evidence {
            observed_days: entry.observed_days.unwrap_or(0),
            monthly_input_tokens: entry.monthly_input_tokens.unwrap_or(0),
            monthly_output_tokens: entry.monthly_output_tokens.unwrap_or(0),
            source: EvidenceSource::Declared,
        }),
    }
}

/// A path for messages: `rel` alone when the base is the working directory.
fn display_path_joined(base: &Path, rel: &str, full: &Path) -> String {
    if base.as_os_str().is_empty() || base == Path::new(".") || Path::new(rel).is_absolute() {
        rel.to_string()
    } else {
        full.to_string_lossy().into_owned()
    }
}

fn display_path(path: &Path) -> String {
    if path.as_os_str().is_empty() {
        ".".to_string()
    } else {
        PathBuf::from(path).to_string_lossy().into_owned()
    }
}
