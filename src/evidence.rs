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

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
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
}

impl EvidenceError {
    fn new(file: &str, message: impl Into<String>) -> EvidenceError {
        EvidenceError { file: file.to_string(), line: None, column: None, message: message.into() }
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

/// Which token metric a series carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Input,
    Output,
}

impl Kind {
    fn metric(self) -> &'static str {
        match self {
            Kind::Input => "InputTokenCount",
            Kind::Output => "OutputTokenCount",
        }
    }
}

/// One token series read from an export: (unix seconds, value) pairs.
struct Series {
    kind: Kind,
    points: Vec<(i64, u64)>,
}

fn from_cloudwatch(paths: &[String], base_dir: &Path, hours_per_month: Decimal) -> Result<Evidence, EvidenceError> {
    // (metric, exact timestamp) -> (index of the file it came from, value)
    let mut points: BTreeMap<(Kind, i64), (usize, u64)> = BTreeMap::new();
    let mut files = Vec::with_capacity(paths.len());
    let mut kinds_seen: BTreeSet<Kind> = BTreeSet::new();
    for (file_index, rel) in paths.iter().enumerate() {
        let full = base_dir.join(rel);
        let label = display_path_joined(base_dir, rel, &full);
        let series = read_export(&full, &label)?;
        for s in series {
            kinds_seen.insert(s.kind);
            for (ts, value) in s.points {
                points
                    .entry((s.kind, ts))
                    .and_modify(|(seen_in, total)| {
                        if *seen_in == file_index {
                            // Two points at one instant in one file: sum, as for any same-day points.
                            *total = total.saturating_add(value);
                        } else {
                            // The same instant in another file is an overlapping export of the same metric.
                            *total = (*total).max(value);
                        }
                    })
                    .or_insert((file_index, value));
            }
        }
        files.push(label);
    }
    let files_label = files.join(", ");
    if kinds_seen.is_empty() {
        return Err(EvidenceError::new(
            &files_label,
            "no `InputTokenCount` or `OutputTokenCount` series found (series are told apart by their Label or Id)",
        ));
    }

    let mut daily: BTreeMap<Kind, BTreeMap<i64, u64>> = BTreeMap::new();
    for ((kind, ts), (_, value)) in &points {
        let day = ts.div_euclid(SECONDS_PER_DAY);
        let total = daily.entry(*kind).or_default().entry(day).or_insert(0);
        *total = total.saturating_add(*value);
    }
    let days: BTreeSet<i64> = daily.values().flat_map(|by_day| by_day.keys().copied()).collect();
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        let metrics: Vec<&str> = kinds_seen.iter().map(|k| k.metric()).collect();
        return Err(EvidenceError::new(
            &files_label,
            format!("the `{}` series contain no datapoints", metrics.join("`/`")),
        ));
    };
    let span = last - first + 1;
    let observed_days = u32::try_from(span)
        .map_err(|_| EvidenceError::new(&files_label, format!("datapoints span {span} days, too many to be real")))?;
    let days_with_data = u32::try_from(days.len()).unwrap_or(u32::MAX);
    let days_per_month = hours_per_month / Decimal::from(24);

    let monthly = |kind: Kind| -> Result<u64, EvidenceError> {
        let empty = BTreeMap::new();
        let by_day = daily.get(&kind).unwrap_or(&empty);
        let totals: Vec<u64> = (first..=last).map(|day| by_day.get(&day).copied().unwrap_or(0)).collect();
        let p = percentile_nearest_rank(&totals, SUSTAINED_PERCENTILE);
        Decimal::from(p)
            .checked_mul(days_per_month)
            .and_then(|m| m.floor().to_u64())
            .ok_or_else(|| EvidenceError::new(&files_label, format!("monthly `{}` volume overflows", kind.metric())))
    };
    Ok(Evidence {
        observed_days,
        monthly_input_tokens: monthly(Kind::Input)?,
        monthly_output_tokens: monthly(Kind::Output)?,
        source: EvidenceSource::CloudWatch { files, percentile: SUSTAINED_PERCENTILE, days_with_data },
    })
}

/// Nearest-rank percentile: the smallest value such that at least `pct`% of values are <= it
/// (rank `ceil(pct/100 * n)`, 1-based). Zero for an empty slice.
fn percentile_nearest_rank(values: &[u64], pct: u8) -> u64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    let rank = (n * usize::from(pct)).div_ceil(100).max(1);
    sorted.get(rank - 1).copied().unwrap_or(0)
}

fn read_export(path: &Path, label: &str) -> Result<Vec<Series>, EvidenceError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| EvidenceError::new(label, format!("cannot read CloudWatch export: {e}")))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| EvidenceError {
        file: label.to_string(),
        line: u32::try_from(e.line()).ok().filter(|l| *l > 0),
        column: u32::try_from(e.column()).ok().filter(|c| *c > 0),
        message: format!("not valid JSON: {e}"),
    })?;
    parse_export(&json).map_err(|message| EvidenceError::new(label, message))
}

/// Extract the token series from `get-metric-data` or `get-metric-statistics` output.
fn parse_export(json: &Value) -> Result<Vec<Series>, String> {
    let Some(object) = json.as_object() else {
        return Err(not_an_export());
    };
    if let Some(results) = object.get("MetricDataResults") {
        let results = results.as_array().ok_or("`MetricDataResults` is not a list")?;
        let mut out = Vec::new();
        for (i, result) in results.iter().enumerate() {
            if let Some(series) = metric_data_result(result).map_err(|e| format!("`MetricDataResults[{i}]`: {e}"))? {
                out.push(series);
            }
        }
        return Ok(out);
    }
    if let Some(datapoints) = object.get("Datapoints") {
        return metric_statistics(object.get("Label"), datapoints).map(|s| s.into_iter().collect());
    }
    Err(not_an_export())
}

fn not_an_export() -> String {
    "not a CloudWatch export: expected the JSON output of `aws cloudwatch get-metric-data` (`MetricDataResults`) \
     or `aws cloudwatch get-metric-statistics` (`Datapoints`)"
        .to_string()
}

fn metric_data_result(result: &Value) -> Result<Option<Series>, String> {
    let result = result.as_object().ok_or("not an object")?;
    let label = result.get("Label").and_then(Value::as_str);
    let id = result.get("Id").and_then(Value::as_str);
    let Some(kind) = label.and_then(classify).or_else(|| id.and_then(classify)) else {
        return Ok(None); // Invocations, latency, ...: not token volume.
    };
    let name = label.or(id).unwrap_or(kind.metric());
    if let Some(status) = result.get("StatusCode").and_then(Value::as_str) {
        // PartialData only means more pages exist; the CLI normally fetches them all, so what is here is real data.
        if status == "InternalError" || status == "Forbidden" {
            return Err(format!("series `{name}` has StatusCode `{status}`; export it again"));
        }
    }
    let empty = Vec::new();
    let timestamps = match result.get("Timestamps") {
        None | Some(Value::Null) => &empty,
        Some(v) => v.as_array().ok_or_else(|| format!("series `{name}`: `Timestamps` is not a list"))?,
    };
    let values = match result.get("Values") {
        None | Some(Value::Null) => &empty,
        Some(v) => v.as_array().ok_or_else(|| format!("series `{name}`: `Values` is not a list"))?,
    };
    if timestamps.len() != values.len() {
        return Err(format!("series `{name}` has {} timestamps but {} values", timestamps.len(), values.len()));
    }
    let mut points = Vec::with_capacity(values.len());
    for (ts, value) in timestamps.iter().zip(values) {
        points.push((timestamp_value(ts, name)?, token_value(value, name)?));
    }
    check_daily(&points, name)?;
    Ok(Some(Series { kind, points }))
}

fn metric_statistics(label: Option<&Value>, datapoints: &Value) -> Result<Option<Series>, String> {
    let label = label.and_then(Value::as_str);
    let Some(kind) = label.and_then(classify) else {
        return Ok(None); // get-metric-statistics has no Id, so the Label is all there is.
    };
    let name = label.unwrap_or(kind.metric());
    let datapoints = datapoints.as_array().ok_or("`Datapoints` is not a list")?;
    let mut points = Vec::with_capacity(datapoints.len());
    for (i, point) in datapoints.iter().enumerate() {
        let point = point.as_object().ok_or_else(|| format!("`Datapoints[{i}]` is not an object"))?;
        let ts = point.get("Timestamp").ok_or_else(|| format!("`Datapoints[{i}]` has no `Timestamp`"))?;
        let Some(sum) = point.get("Sum") else {
            return Err(format!(
                "`Datapoints[{i}]` of `{name}` has no `Sum`; export with `--statistics Sum --period 86400`"
            ));
        };
        points.push((timestamp_value(ts, name)?, token_value(sum, name)?));
    }
    check_daily(&points, name)?;
    Ok(Some(Series { kind, points }))
}

/// Input or output tokens, judged from a label or id. Cache token metrics are left out: they are billed at
/// other rates, so counting them as plain input would overstate the volume on-demand would cost.
fn classify(text: &str) -> Option<Kind> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("cache") {
        return None;
    }
    let input = lower.contains("input");
    let output = lower.contains("output");
    match (input, output) {
        (true, false) => Some(Kind::Input),
        (false, true) => Some(Kind::Output),
        _ => None,
    }
}

/// Periods longer than a day would make every day in between look idle, so refuse them.
fn check_daily(points: &[(i64, u64)], name: &str) -> Result<(), String> {
    let mut instants: Vec<i64> = points.iter().map(|(ts, _)| *ts).collect();
    instants.sort_unstable();
    instants.dedup();
    let smallest_gap = instants.windows(2).map(|w| w[1] - w[0]).min();
    match smallest_gap {
        Some(gap) if gap > SECONDS_PER_DAY => Err(format!(
            "datapoints of series `{name}` are at least {gap} s apart: the period looks longer than a day; \
             export with `--period 86400` (daily Sum)"
        )),
        _ => Ok(()),
    }
}

fn timestamp_value(value: &Value, series: &str) -> Result<i64, String> {
    let text = value.as_str().ok_or_else(|| format!("series `{series}`: timestamp {value} is not a string"))?;
    parse_timestamp(text).ok_or_else(|| format!("series `{series}`: `{text}` is not an ISO 8601 timestamp"))
}

fn token_value(value: &Value, series: &str) -> Result<u64, String> {
    if let Some(n) = value.as_u64() {
        return Ok(n);
    }
    // CloudWatch writes doubles (`12345.0`); token counts are whole, so rounding loses nothing real.
    match value.as_f64() {
        Some(f) if f.is_finite() && f >= 0.0 => Ok(f.round() as u64),
        _ => Err(format!("series `{series}`: value {value} is not a non-negative number")),
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
/// The caller guarantees a valid month (1-12) and day.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parse a strict `YYYY-MM-DD` date into days since 1970-01-01; `None` if malformed or not a real date.
pub fn parse_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = digits(bytes, 0, 4)?;
    let month = digits(bytes, 5, 2)?;
    let day = digits(bytes, 8, 2)?;
    let (year, month, day) = (i64::from(year), month, day);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// Today's date (UTC) as days since 1970-01-01, for comparing with `ignore[].expires`.
pub fn today() -> i64 {
    let secs = match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    };
    secs.div_euclid(SECONDS_PER_DAY)
}

/// The unsigned decimal number in `bytes[start..start + len]`, if all digits.
fn digits(bytes: &[u8], start: usize, len: usize) -> Option<u32> {
    let slice = bytes.get(start..start.checked_add(len)?)?;
    if slice.is_empty() || !slice.iter().all(u8::is_ascii_digit) {
        return None;
    }
    slice.iter().try_fold(0u32, |acc, b| acc.checked_mul(10)?.checked_add(u32::from(b - b'0')))
}

/// Parse an ISO 8601 timestamp into unix seconds: `2026-09-01T00:00:00Z`, `...+00:00`, `...+0000`, with or without
/// fractional seconds; `T`, `t` or a space between date and time; a missing offset means UTC (the AWS CLI
/// always writes one). Fractional seconds are dropped: only the day matters.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let day = parse_date(text.get(..10)?)?;
    let mut secs = day.checked_mul(SECONDS_PER_DAY)?;
    let rest = bytes.get(10..)?;
    if rest.is_empty() {
        return Some(secs);
    }
    if !matches!(rest[0], b'T' | b't' | b' ') {
        return None;
    }
    let hour = digits(rest, 1, 2)?;
    if rest.get(3) != Some(&b':') {
        return None;
    }
    let minute = digits(rest, 4, 2)?;
    let mut pos = 6;
    let mut second = 0;
    if rest.get(pos) == Some(&b':') {
        second = digits(rest, pos + 1, 2)?;
        pos += 3;
        if matches!(rest.get(pos), Some(b'.') | Some(b',')) {
            pos += 1;
            let start = pos;
            while rest.get(pos).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            }
            if pos == start {
                return None;
            }
        }
    }
    // Second 60 is a leap second; it still belongs to the same day.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    secs += i64::from(hour * 3600 + minute * 60 + second);
    let offset = match rest.get(pos..)? {
        [] | [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), tz @ ..] => {
            let (h, m) = match tz {
                [_, _] => (digits(tz, 0, 2)?, 0),
                [_, _, b':', _, _] => (digits(tz, 0, 2)?, digits(tz, 3, 2)?),
                [_, _, _, _] => (digits(tz, 0, 2)?, digits(tz, 2, 2)?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let offset = i64::from(h * 3600 + m * 60);
            if *sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        _ => return None,
    };
    Some(secs - offset)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn hpm() -> Decimal {
        Decimal::from(730)
    }

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    fn cw(paths: &[&str]) -> UsageEntry {
        let source = if paths.len() == 1 {
            CloudWatchSource::One(paths[0].to_string())
        } else {
            CloudWatchSource::Many(paths.iter().map(|p| p.to_string()).collect())
        };
        UsageEntry { cloudwatch: Some(source), ..UsageEntry::default() }
    }

    /// A get-metric-data export with one input and one output series, plus an Invocations series to ignore.
    fn metric_data(input: &[(&str, u64)], output: &[(&str, u64)]) -> String {
        let series = |id: &str, label: &str, points: &[(&str, u64)]| {
            serde_json::json!({
                "Id": id, "Label": label, "StatusCode": "Complete",
                "Timestamps": points.iter().map(|p| p.0).collect::<Vec<_>>(),
                "Values": points.iter().map(|p| p.1 as f64).collect::<Vec<_>>(),
            })
        };
        serde_json::json!({
            "MetricDataResults": [
                series("m1", "InputTokenCount", input),
                series("m2", "OutputTokenCount", output),
                series("m3", "Invocations", &[("2026-09-01T00:00:00Z", 5)]),
            ],
            "Messages": []
        })
        .to_string()
    }

    #[test]
    fn declared_entry_is_taken_as_written() {
        let entry = UsageEntry {
            observed_days: Some(120),
            monthly_input_tokens: Some(3_000_000_000),
            monthly_output_tokens: Some(600_000_000),
            cloudwatch: None,
        };
        let ev = resolve(&entry, Path::new("."), hpm()).unwrap();
        assert_eq!(
            ev,
            Evidence {
                observed_days: 120,
                monthly_input_tokens: 3_000_000_000,
                monthly_output_tokens: 600_000_000,
                source: EvidenceSource::Declared,
            }
        );
    }

    #[test]
    fn declared_entry_with_only_input_has_zero_output() {
        let entry = UsageEntry { observed_days: Some(30), monthly_input_tokens: Some(7), ..UsageEntry::default() };
        let ev = resolve(&entry, Path::new("."), hpm()).unwrap();
        assert_eq!((ev.monthly_input_tokens, ev.monthly_output_tokens), (7, 0));
    }

    #[test]
    fn get_metric_data_ten_days_p10() {
        let dir = tempfile::tempdir().unwrap();
        // Input daily totals, 2026-09-01..10: 100,200,...,1000 (written out of order on purpose).
        // Nearest rank for P10 of n=10: ceil(0.10*10) = 1 -> the smallest, 100.
        // Monthly = 100 * (730 / 24) = 100 * 30.41666.. = 3041.66.. -> floor 3041.
        // Output: 50,60,...,140 -> P10 = 50 -> 50 * 30.4166.. = 1520.83.. -> 1520.
        let mut input = Vec::new();
        let mut output = Vec::new();
        let days: Vec<String> = (1..=10).map(|d| format!("2026-09-{d:02}T00:00:00Z")).collect();
        for (i, ts) in days.iter().enumerate().rev() {
            input.push((ts.as_str(), 100 * (i as u64 + 1)));
            output.push((ts.as_str(), 50 + 10 * i as u64));
        }
        write(dir.path(), "chat.json", &metric_data(&input, &output));
        let ev = resolve(&cw(&["chat.json"]), dir.path(), hpm()).unwrap();
        assert_eq!(ev.observed_days, 10);
        assert_eq!(ev.monthly_input_tokens, 3041);
        assert_eq!(ev.monthly_output_tokens, 1520);
        match ev.source {
            EvidenceSource::CloudWatch { files, percentile, days_with_data } => {
                assert_eq!(percentile, 10);
                assert_eq!(days_with_data, 10);
                assert_eq!(files, vec![dir.path().join("chat.json").to_string_lossy().into_owned()]);
            }
            other => panic!("unexpected source {other:?}"),
        }
    }

    #[test]
    fn hours_per_month_744_gives_31_days() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "m.json", &metric_data(&[("2026-09-01T00:00:00Z", 1000)], &[]));
        let ev = resolve(&cw(&["m.json"]), dir.path(), Decimal::from(744)).unwrap();
        // One day, P10 = 1000; 744 / 24 = 31 days -> 31000. The output series exists but is empty -> 0.
        assert_eq!((ev.observed_days, ev.monthly_input_tokens, ev.monthly_output_tokens), (1, 31_000, 0));
    }

    #[test]
    fn missing_days_inside_the_span_count_as_zero() {
        let dir = tempfile::tempdir().unwrap();
        // Data on 20 of the 30 days of September (days 1..=20), plus one point on day 30:
        // span = 30 days, daily totals = twenty 1000s, nine 0s, one 1000.
        // Sorted: nine 0s then 1000s; rank ceil(0.10*30) = 3 -> 0. So no sustained volume is proven.
        let mut input: Vec<(String, u64)> = (1..=20).map(|d| (format!("2026-09-{d:02}T00:00:00Z"), 1000)).collect();
        input.push(("2026-09-30T00:00:00Z".to_string(), 1000));
        let refs: Vec<(&str, u64)> = input.iter().map(|(t, v)| (t.as_str(), *v)).collect();
        write(dir.path(), "gaps.json", &metric_data(&refs, &refs));
        let ev = resolve(&cw(&["gaps.json"]), dir.path(), hpm()).unwrap();
        assert_eq!(ev.observed_days, 30);
        assert_eq!(ev.monthly_input_tokens, 0);
        match ev.source {
            EvidenceSource::CloudWatch { days_with_data, .. } => assert_eq!(days_with_data, 21),
            other => panic!("unexpected source {other:?}"),
        }

        // With only two missing days (rank 3 is then the smallest non-zero day) volume is proven again.
        let mut input: Vec<(String, u64)> = (1..=28).map(|d| (format!("2026-09-{d:02}T00:00:00Z"), 2400)).collect();
        input.push(("2026-09-30T00:00:00Z".to_string(), 2400));
        input[5].1 = 1200; // one slow day: sorted = [0, 1200, 2400, ...], rank 3 -> 2400
        let refs: Vec<(&str, u64)> = input.iter().map(|(t, v)| (t.as_str(), *v)).collect();
        write(dir.path(), "gaps2.json", &metric_data(&refs, &[]));
        let ev = resolve(&cw(&["gaps2.json"]), dir.path(), hpm()).unwrap();
        // 2400 * 730 / 24 = 73000 exactly.
        assert_eq!((ev.observed_days, ev.monthly_input_tokens), (30, 73_000));
    }

    #[test]
    fn get_metric_statistics_two_files() {
        let dir = tempfile::tempdir().unwrap();
        let stats = |label: &str, points: &[(&str, f64)]| {
            serde_json::json!({
                "Label": label,
                "Datapoints": points.iter().map(|(t, v)| serde_json::json!({"Timestamp": t, "Sum": v, "Unit": "None"})).collect::<Vec<_>>(),
            })
            .to_string()
        };
        // get-metric-statistics returns datapoints unordered, with +00:00 offsets.
        write(
            dir.path(),
            "in.json",
            &stats(
                "InputTokenCount",
                &[
                    ("2026-09-03T00:00:00+00:00", 4.8e6),
                    ("2026-09-01T00:00:00+00:00", 2.4e6),
                    ("2026-09-02T00:00:00+00:00", 3.6e6),
                ],
            ),
        );
        write(
            dir.path(),
            "out.json",
            &stats(
                "OutputTokenCount",
                &[("2026-09-02T00:00:00+00:00", 480_000.0), ("2026-09-01T00:00:00+00:00", 240_000.0)],
            ),
        );
        let ev = resolve(&cw(&["in.json", "out.json"]), dir.path(), hpm()).unwrap();
        // Span 09-01..09-03 = 3 days. P10 rank ceil(0.3) = 1.
        // Input: min(2.4e6, 3.6e6, 4.8e6) = 2.4e6 -> 2_400_000 * 730 / 24 = 73_000_000.
        // Output: day 3 has no point -> 0; min(240000, 480000, 0) = 0.
        assert_eq!(ev.observed_days, 3);
        assert_eq!(ev.monthly_input_tokens, 73_000_000);
        assert_eq!(ev.monthly_output_tokens, 0);
    }

    #[test]
    fn same_day_points_are_summed_and_unsorted_timestamps_work() {
        let dir = tempfile::tempdir().unwrap();
        let input = [
            ("2026-09-02T12:00:00.000Z", 300),
            ("2026-09-01T00:00:00Z", 1000),
            ("2026-09-02T00:00:00Z", 900),
            // 2026-09-03T01:30 at +02:00 is 2026-09-02T23:30Z: still September 2.
            ("2026-09-03T01:30:00+02:00", 100),
        ];
        write(dir.path(), "d.json", &metric_data(&input, &[]));
        let ev = resolve(&cw(&["d.json"]), dir.path(), Decimal::from(720)).unwrap();
        // Days: 09-01 = 1000, 09-02 = 900 + 300 + 100 = 1300. P10 rank 1 -> 1000; 720 / 24 = 30 -> 30000.
        assert_eq!((ev.observed_days, ev.monthly_input_tokens), (2, 30_000));
    }

    #[test]
    fn identical_timestamp_twice_in_one_file_is_summed() {
        let dir = tempfile::tempdir().unwrap();
        let input = [("2026-09-01T00:00:00Z", 400), ("2026-09-01T00:00:00Z", 600)];
        write(dir.path(), "d.json", &metric_data(&input, &[]));
        let ev = resolve(&cw(&["d.json"]), dir.path(), Decimal::from(720)).unwrap();
        assert_eq!((ev.observed_days, ev.monthly_input_tokens), (1, 30_000));
    }

    #[test]
    fn overlapping_exports_count_once() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "a.json",
            &metric_data(&[("2026-09-01T00:00:00Z", 1000), ("2026-09-02T00:00:00Z", 2000)], &[]),
        );
        write(
            dir.path(),
            "b.json",
            &metric_data(&[("2026-09-02T00:00:00Z", 2000), ("2026-09-03T00:00:00Z", 3000)], &[]),
        );
        let ev = resolve(&cw(&["a.json", "b.json"]), dir.path(), Decimal::from(720)).unwrap();
        // Days 1000, 2000 (not 4000), 3000 -> P10 = 1000 -> 30000.
        assert_eq!((ev.observed_days, ev.monthly_input_tokens), (3, 30_000));
    }

    #[test]
    fn series_told_apart_by_id_when_label_says_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let json = r#"{"MetricDataResults":[
            {"Id":"input_tokens","Label":"","Timestamps":["2026-09-01T00:00:00Z"],"Values":[48.0],"StatusCode":"Complete"},
            {"Id":"outputTokens","Timestamps":["2026-09-01T00:00:00Z"],"Values":[24],"StatusCode":"Complete"}],
            "Messages":[]}"#;
        write(dir.path(), "ids.json", json);
        let ev = resolve(&cw(&["ids.json"]), dir.path(), Decimal::from(720)).unwrap();
        assert_eq!((ev.monthly_input_tokens, ev.monthly_output_tokens), (1440, 720));
    }

    #[test]
    fn garbage_json_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "bad.json", "{\n  \"MetricDataResults\": [,]\n}");
        let err = resolve(&cw(&["bad.json"]), dir.path(), hpm()).unwrap_err();
        assert!(err.file.ends_with("bad.json"), "{err}");
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("not valid JSON"), "{err}");
    }

    #[test]
    fn a_file_without_token_series_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let json = r#"{"MetricDataResults":[{"Id":"m1","Label":"Invocations","Timestamps":["2026-09-01T00:00:00Z"],"Values":[3.0]}],"Messages":[]}"#;
        write(dir.path(), "inv.json", json);
        let err = resolve(&cw(&["inv.json"]), dir.path(), hpm()).unwrap_err();
        assert!(err.file.ends_with("inv.json"), "{err}");
        assert!(err.message.contains("InputTokenCount"), "{err}");

        write(dir.path(), "other.json", r#"{"Items": []}"#);
        let err = resolve(&cw(&["other.json"]), dir.path(), hpm()).unwrap_err();
        assert!(err.message.contains("not a CloudWatch export"), "{err}");
    }

    #[test]
    fn missing_file_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let err = resolve(&cw(&["metrics/nope.json"]), dir.path(), hpm()).unwrap_err();
        assert!(err.file.ends_with("metrics/nope.json"), "{err}");
        assert!(err.to_string().contains("metrics/nope.json"), "{err}");
        assert!(err.message.contains("cannot read"), "{err}");

        // Relative to the working directory, the message shows the path exactly as written.
        let err = resolve(&cw(&["metrics/nope.json"]), Path::new("."), hpm()).unwrap_err();
        assert_eq!(err.file, "metrics/nope.json");
    }

    #[test]
    fn malformed_series_are_errors_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            (
                r#"{"MetricDataResults":[{"Label":"InputTokenCount","Timestamps":["2026-09-01T00:00:00Z"],"Values":[]}]}"#,
                "1 timestamps but 0 values",
            ),
            (
                r#"{"MetricDataResults":[{"Label":"InputTokenCount","Timestamps":["yesterday"],"Values":[1]}]}"#,
                "not an ISO 8601",
            ),
            (
                r#"{"MetricDataResults":[{"Label":"InputTokenCount","Timestamps":["2026-09-01T00:00:00Z"],"Values":[-1]}]}"#,
                "non-negative",
            ),
            (r#"{"MetricDataResults":[{"Label":"InputTokenCount","Timestamps":[],"Values":[]}]}"#, "no datapoints"),
            (r#"{"MetricDataResults":[{"Label":"InputTokenCount","StatusCode":"Forbidden"}]}"#, "Forbidden"),
            (r#"{"MetricDataResults":{}}"#, "not a list"),
            (
                r#"{"Label":"InputTokenCount","Datapoints":[{"Timestamp":"2026-09-01T00:00:00Z","Average":3}]}"#,
                "no `Sum`",
            ),
            (
                r#"{"Label":"InputTokenCount","Datapoints":[{"Timestamp":"2026-09-01T00:00:00Z","Sum":3},{"Timestamp":"2026-09-08T00:00:00Z","Sum":3}]}"#,
                "longer than a day",
            ),
            ("[1, 2]", "not a CloudWatch export"),
        ];
        for (i, (json, expected)) in cases.iter().enumerate() {
            let name = format!("case{i}.json");
            write(dir.path(), &name, json);
            let err = resolve(&cw(&[&name]), dir.path(), hpm()).unwrap_err();
            assert!(err.message.contains(expected), "case {i}: {err}");
        }
    }

    #[test]
    fn invalid_entries_are_rejected() {
        let both = UsageEntry {
            observed_days: Some(3),
            monthly_input_tokens: Some(1),
            cloudwatch: Some(CloudWatchSource::One("a.json".into())),
            ..UsageEntry::default()
        };
        assert!(both.validate().unwrap_err().contains("`cloudwatch` and `observed_days`"));
        let no_days = UsageEntry { monthly_output_tokens: Some(1), ..UsageEntry::default() };
        assert!(no_days.validate().unwrap_err().contains("`monthly_output_tokens` needs `observed_days`"));
        let no_tokens = UsageEntry { observed_days: Some(3), ..UsageEntry::default() };
        assert!(no_tokens.validate().unwrap_err().contains("needs `monthly_input_tokens`"));
        assert!(UsageEntry::default().validate().unwrap_err().contains("empty"));
        assert!(resolve(&UsageEntry::default(), Path::new("x"), hpm()).is_err());
    }

    #[test]
    fn percentile_nearest_rank_by_hand() {
        assert_eq!(percentile_nearest_rank(&[], 10), 0);
        assert_eq!(percentile_nearest_rank(&[7], 10), 7);
        // n = 11: rank ceil(1.1) = 2.
        let v: Vec<u64> = (1..=11).rev().collect();
        assert_eq!(percentile_nearest_rank(&v, 10), 2);
        // n = 120: rank 12.
        let v: Vec<u64> = (1..=120).collect();
        assert_eq!(percentile_nearest_rank(&v, 10), 12);
    }

    #[test]
    fn dates_and_timestamps() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2000-03-01"), Some(11_017));
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2026-13-40"), None);
        assert_eq!(parse_date("2026-1-01"), None);
        assert_eq!(parse_date("1969-12-31"), Some(-1));
        let base = parse_date("2026-09-01").unwrap() * 86_400;
        assert_eq!(parse_timestamp("2026-09-01T00:00:00Z"), Some(base));
        assert_eq!(parse_timestamp("2026-09-01T00:00:00+00:00"), Some(base));
        assert_eq!(parse_timestamp("2026-09-01T00:00:00.123456Z"), Some(base));
        assert_eq!(parse_timestamp("2026-09-01 01:00:00+0100"), Some(base));
        assert_eq!(parse_timestamp("2026-09-01T00:00:00-05"), Some(base + 5 * 3600));
        assert_eq!(parse_timestamp("2026-09-01T10:20"), Some(base + 10 * 3600 + 20 * 60));
        assert_eq!(parse_timestamp("2026-09-01"), Some(base));
        for bad in ["2026-09-01T24:00:00Z", "2026-09-01T00:00:00.Z", "2026-09-01T00:00:00+5", "2026-09-01X", "é"] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert_eq!(Decimal::from_str("730").unwrap(), hpm());
        assert!(today() > parse_date("2024-01-01").unwrap());
    }
}
