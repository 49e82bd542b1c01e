//! Reading CloudWatch metric exports and turning their token series into sustained monthly volume.

use super::dates::parse_timestamp;
use super::{display_path_joined, Evidence, EvidenceError, EvidenceSource, SECONDS_PER_DAY, SUSTAINED_PERCENTILE};
use crate::source::read::{Repository, MAX_FILE_BYTES};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

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

pub(super) fn from_cloudwatch(
    paths: &[String],
    base_dir: &Path,
    hours_per_month: Decimal,
) -> Result<Evidence, EvidenceError> {
    // (metric, exact timestamp) -> (index of the file it came from, value)
    let mut points: BTreeMap<(Kind, i64), (usize, u64)> = BTreeMap::new();
    let mut files = Vec::with_capacity(paths.len());
    let mut kinds_seen: BTreeSet<Kind> = BTreeSet::new();
    // An export is named by a config or usage file a pull request can change: it is read only inside the
    // repository that file belongs to, once links are resolved.
    let repository = Repository::holding(base_dir);
    for (file_index, rel) in paths.iter().enumerate() {
        let full = base_dir.join(rel);
        let label = display_path_joined(base_dir, rel, &full);
        let series = read_export(&repository, &full, &label, rel)?;
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
pub(super) fn percentile_nearest_rank(values: &[u64], pct: u8) -> u64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    let rank = (n * usize::from(pct)).div_ceil(100).max(1);
    sorted.get(rank - 1).copied().unwrap_or(0)
}

/// The series of one export; `written` is the path as the usage entry wrote it.
fn read_export(repository: &Repository, path: &Path, label: &str, written: &str) -> Result<Vec<Series>, EvidenceError> {
    let text = repository.read_text_as(path, label, MAX_FILE_BYTES).map_err(|e| EvidenceError {
        unreadable_export: Some(written.to_string()),
        ..EvidenceError::new(label, format!("cannot read CloudWatch export: {e}"))
    })?;
    let json: Value = serde_json::from_str(&text).map_err(|e| {
        let (line, column) = json_error_position(&e);
        EvidenceError { line, column, ..EvidenceError::new(label, format!("not valid JSON: {e}")) }
    })?;
    parse_export(&json).map_err(|message| EvidenceError::new(label, message))
}

/// The 1-based line and column of a JSON error, where there is one: serde_json says line 0 for an error with no
/// position, and column 0 for one at the very start of a line (end of input after a newline).
pub(super) fn json_error_position(e: &serde_json::Error) -> (Option<u32>, Option<u32>) {
    let positive = |n: usize| u32::try_from(n).ok().filter(|n| *n > 0);
    match positive(e.line()) {
        Some(line) => (Some(line), positive(e.column())),
        None => (None, None),
    }
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
