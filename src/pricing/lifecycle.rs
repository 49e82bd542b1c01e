//! The model lifecycle table (`lifecycle.yaml`): each model's Legacy and end-of-life dates, judged on a given day.

use super::base_model_id;
use crate::evidence::parse_date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The table, compiled into the binary.
const EMBEDDED_YAML: &str = include_str!("lifecycle.yaml");

/// How long a model is at least Legacy before its end of life (model-lifecycle page: "A model will be in the
/// Legacy state for at least 6 months before the EOL date").
pub const LEGACY_MONTHS_BEFORE_END_OF_LIFE: u32 = 6;

/// One entry of `lifecycle.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LifecycleEntry {
    pub id: String,
    pub name: String,
    /// Model-ID prefixes; `P` matches the ID `P` and any ID `P:<suffix>`.
    pub models: Vec<String>,
    /// The day the model entered Legacy, when the source gives it.
    #[serde(default)]
    pub legacy: Option<String>,
    /// The day of end of life, when the source gives it.
    #[serde(default)]
    pub end_of_life: Option<String>,
    pub source: String,
    /// When the copy of the source was recorded (`YYYY-MM`).
    pub recorded: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LifecycleFile {
    entries: Vec<LifecycleEntry>,
}

/// A model's state on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleState {
    /// Before the Legacy date the table gives (or derives).
    Active,
    /// Between the Legacy date and end of life: no new PT.
    Legacy,
    /// On or after end of life: requests fail, PTs included.
    EndOfLife,
    /// The table has no dates for the model.
    Unknown,
}

impl LifecycleState {
    pub fn as_str(self) -> &'static str {
        match self {
            LifecycleState::Active => "active",
            LifecycleState::Legacy => "legacy",
            LifecycleState::EndOfLife => "end_of_life",
            LifecycleState::Unknown => "unknown",
        }
    }
}

/// What the table says about one model on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged<'a> {
    pub entry: &'a LifecycleEntry,
    pub state: LifecycleState,
    /// The Legacy date: the table's, or six months before end of life (then `legacy_derived`).
    pub legacy_date: Option<String>,
    pub legacy_derived: bool,
}

/// The lifecycle table.
#[derive(Debug, Clone)]
pub struct Lifecycle {
    entries: Vec<LifecycleEntry>,
}

/// `YYYY-MM-DD` `months` earlier, the day clamped to the month's length (2026-08-31 - 6 months = 2026-02-28).
pub fn months_before(date: &str, months: u32) -> Option<String> {
    parse_date(date)?;
    let year: i64 = date[0..4].parse().ok()?;
    let month: i64 = date[5..7].parse().ok()?;
    let day: u32 = date[8..10].parse().ok()?;
    let total = year * 12 + (month - 1) - i64::from(months);
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    (1..=day).rev().map(|d| format!("{y:04}-{m:02}-{d:02}")).find(|candidate| parse_date(candidate).is_some())
}

fn check(entry: &LifecycleEntry) -> Result<(), String> {
    if entry.id.is_empty() || entry.models.is_empty() || entry.source.trim().is_empty() {
        return Err("id, models and source are required".into());
    }
    for (field, value) in [("legacy", &entry.legacy), ("end_of_life", &entry.end_of_life)] {
        if let Some(date) = value {
            if parse_date(date).is_none() {
                return Err(format!("{field} {date:?} is not a date as YYYY-MM-DD"));
            }
        }
    }
    if let (Some(legacy), Some(end)) = (&entry.legacy, &entry.end_of_life) {
        if legacy > end {
            return Err("legacy is after end_of_life".into());
        }
    }
    Ok(())
}

impl Lifecycle {
    /// The table compiled into ptlint (`src/pricing/lifecycle.yaml`), parsed once.
    pub fn embedded() -> &'static Lifecycle {
        static EMBEDDED: OnceLock<Lifecycle> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Lifecycle::from_yaml(EMBEDDED_YAML)
                .expect("the embedded src/pricing/lifecycle.yaml is invalid; its tests check it")
        })
    }

    /// Parses and checks a table in the `lifecycle.yaml` format.
    pub fn from_yaml(text: &str) -> Result<Lifecycle, String> {
        let file: LifecycleFile = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        let mut ids = BTreeSet::new();
        for entry in &file.entries {
            check(entry).map_err(|e| format!("lifecycle entry `{}`: {e}", entry.id))?;
            if !ids.insert(entry.id.clone()) {
                return Err(format!("lifecycle entry `{}`: duplicate id", entry.id));
            }
        }
        Ok(Lifecycle { entries: file.entries })
    }

    pub fn entries(&self) -> &[LifecycleEntry] {
        &self.entries
    }

    /// The entry for a model ID or ARN (the longest matching prefix).
    pub fn entry(&self, model: &str) -> Option<&LifecycleEntry> {
        let id = base_model_id(model)?;
        self.entries
            .iter()
            .filter_map(|e| {
                let prefix = e
                    .models
                    .iter()
                    .filter(|p| id == **p || id.starts_with(&format!("{p}:")))
                    .max_by_key(|p| p.len())?;
                Some((prefix.len(), e))
            })
            .max_by_key(|(len, _)| *len)
            .map(|(_, e)| e)
    }

    /// The model's state on `day` (days since 1970-01-01); `None` when the table does not know the model.
    pub fn judge(&self, model: &str, day: i64) -> Option<Judged<'_>> {
        let entry = self.entry(model)?;
        Some(judge_entry(entry, day))
    }
}

/// An entry's state on `day`.
pub fn judge_entry(entry: &LifecycleEntry, day: i64) -> Judged<'_> {
    let (legacy_date, legacy_derived) = match (&entry.legacy, &entry.end_of_life) {
        (Some(legacy), _) => (Some(legacy.clone()), false),
        (None, Some(end)) => (months_before(end, LEGACY_MONTHS_BEFORE_END_OF_LIFE), true),
        (None, None) => (None, false),
    };
    let reached = |date: &Option<String>| date.as_deref().and_then(parse_date).is_some_and(|d| day >= d);
    let state = if reached(&entry.end_of_life) {
        LifecycleState::EndOfLife
    } else if reached(&legacy_date) {
        LifecycleState::Legacy
    } else if legacy_date.is_some() {
        LifecycleState::Active
    } else {
        LifecycleState::Unknown
    };
    Judged { entry, state, legacy_date, legacy_derived }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> i64 {
        parse_date(text).unwrap()
    }

    #[test]
    fn the_embedded_table_loads() {
        assert!(Lifecycle::embedded().entries().len() >= 4);
    }

    #[test]
    fn six_months_before_clamps_the_day() {
        assert_eq!(months_before("2026-07-07", 6).as_deref(), Some("2026-01-07"));
        assert_eq!(months_before("2026-08-31", 6).as_deref(), Some("2026-02-28"));
        assert_eq!(months_before("2026-03-15", 6).as_deref(), Some("2025-09-15"));
        assert_eq!(months_before("not a date", 6), None);
    }

    #[test]
    fn llama_3_2_is_active_then_legacy_then_end_of_life() {
        let table = Lifecycle::embedded();
        let model = "arn:aws:bedrock:us-west-2::foundation-model/meta.llama3-2-11b-instruct-v1:0:128k";
        assert_eq!(table.judge(model, day("2026-01-06")).unwrap().state, LifecycleState::Active);
        let legacy = table.judge(model, day("2026-01-07")).unwrap();
        assert_eq!(legacy.state, LifecycleState::Legacy);
        assert_eq!(legacy.legacy_date.as_deref(), Some("2026-01-07"));
        assert!(legacy.legacy_derived);
        assert_eq!(table.judge(model, day("2026-07-06")).unwrap().state, LifecycleState::Legacy);
        assert_eq!(table.judge(model, day("2026-07-07")).unwrap().state, LifecycleState::EndOfLife);
    }

    #[test]
    fn a_prefix_matches_only_whole_version_parts() {
        let table = Lifecycle::embedded();
        assert!(table.entry("amazon.nova-canvas-v1:0").is_some());
        assert!(table.entry("amazon.nova-canvas-v10").is_none());
        assert!(table.entry("amazon.nova-pro-v1:0:300k").is_none());
    }

    #[test]
    fn models_without_dates_stay_unknown() {
        let judged = Lifecycle::embedded().judge("anthropic.claude-v2:1:200k", day("2026-12-07")).unwrap();
        assert_eq!(judged.state, LifecycleState::Unknown);
        assert_eq!(judged.legacy_date, None);
    }

    #[test]
    fn a_given_legacy_date_wins_and_bad_tables_are_refused() {
        let table = Lifecycle::from_yaml(
            "entries:\n  - {id: x, name: X, models: [a.b-v1], legacy: \"2026-05-01\", end_of_life: \"2026-07-01\", source: s, recorded: \"2026-12\"}\n",
        )
        .unwrap();
        let judged = table.judge("a.b-v1:0", day("2026-05-01")).unwrap();
        assert_eq!((judged.state, judged.legacy_derived), (LifecycleState::Legacy, false));
        assert_eq!(table.judge("a.b-v1:0", day("2026-04-30")).unwrap().state, LifecycleState::Active);
        let bad = Lifecycle::from_yaml(
            "entries:\n  - {id: x, name: X, models: [a], end_of_life: \"2026-13-01\", source: s, recorded: \"2026-12\"}\n",
        );
        assert!(bad.unwrap_err().contains("end_of_life"));
    }
}
