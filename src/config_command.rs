//! `ptlint config [PATH]`: the config in effect for a path (nearest `.ptlint.yaml`, or `--config`) and its file.

use crate::cli::{ConfigArgs, ConfigFormat};
use crate::config::Config;
use crate::discover::display_path;
use crate::engine::FatalError;
use crate::project::Configs;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The report: the file the config came from (or that there is none, so defaults apply) and its settings.
pub fn render(args: &ConfigArgs) -> Result<String, FatalError> {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !path.exists() {
        return Err(FatalError {
            file: display_path(&path),
            line: 0,
            column: 0,
            message: "no such file or directory".into(),
        });
    }
    let mut configs = Configs::new(args.config.as_deref())?;
    let found = configs.for_path(&path)?.map(|i| configs.get(i));
    let file = found.map(|l| display_path(&l.path));
    let written = found.map(|l| written_keys(&l.path)).unwrap_or_default();
    let config = found.map(|l| l.config.clone()).unwrap_or_default();
    let in_effect = in_effect(&config, &written);
    let error = |e: String| FatalError { file: String::new(), line: 0, column: 0, message: e };
    match args.format {
        ConfigFormat::Json => {
            let effective: serde_json::Map<String, serde_json::Value> = in_effect
                .iter()
                .map(|s| (s.key.to_string(), serde_json::json!({ "value": s.value, "from": s.from.as_str() })))
                .collect();
            let value = serde_json::json!({
                "path": display_path(&path),
                "file": file,
                "config": config,
                "in_effect": effective,
            });
            let mut text = serde_json::to_string_pretty(&value).map_err(|e| error(e.to_string()))?;
            text.push('\n');
            Ok(text)
        }
        ConfigFormat::Yaml => {
            let header = match &file {
                Some(file) => format!("# config for {}: {file}\n", display_path(&path)),
                None => {
                    format!("# config for {}: no .ptlint.yaml at or above it; defaults apply\n", display_path(&path))
                }
            };
            let body = serde_yaml::to_string(&config).map_err(|e| error(e.to_string()))?;
            let entries: Vec<String> = in_effect.iter().map(|s| format!("{}: {}", s.key, s.value)).collect();
            let width = entries.iter().map(String::len).max().unwrap_or(0);
            let mut effective = String::from("# in effect, and where each value comes from:\n");
            for (entry, setting) in entries.iter().zip(&in_effect) {
                effective.push_str(&format!("#   {entry:<width$}  ({})\n", setting.from.as_str()));
            }
            Ok(header + &body + &effective)
        }
    }
}

/// Where a setting's value in effect comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum From {
    /// Written in the config file.
    File,
    /// Not written: ptlint's default applies.
    Default,
}

impl From {
    fn as_str(self) -> &'static str {
        match self {
            From::File => "config file",
            From::Default => "default",
        }
    }
}

/// One setting with a default, as it applies.
struct InEffect {
    key: &'static str,
    value: String,
    from: From,
}

/// The settings that have a default, with the value that applies: the config's where written, else the default
/// (so `hours_per_month: null` in the config's dump is shown as the 730 hours in effect).
fn in_effect(config: &Config, written: &BTreeSet<String>) -> Vec<InEffect> {
    let from = |key: &str| if written.contains(key) { From::File } else { From::Default };
    let days = config.policy.min_observed_days;
    vec![
        InEffect {
            key: "region",
            value: config.region.clone().unwrap_or_else(|| "none: the template's own, else --region".into()),
            from: from("region"),
        },
        InEffect { key: "hours_per_month", value: config.hours_per_month().to_string(), from: from("hours_per_month") },
        InEffect {
            key: "policy.utilization_threshold",
            value: config.policy.utilization_threshold().to_string(),
            from: from("policy.utilization_threshold"),
        },
        InEffect {
            key: "policy.min_observed_days.one_month",
            value: days.one_month.to_string(),
            from: from("policy.min_observed_days.one_month"),
        },
        InEffect {
            key: "policy.min_observed_days.six_months",
            value: days.six_months.to_string(),
            from: from("policy.min_observed_days.six_months"),
        },
    ]
}

/// The dotted paths of the mapping keys written in a config file (`policy.min_observed_days.one_month`), read
/// again as plain YAML: the parsed config cannot tell a written value from its default. Unreadable: none.
fn written_keys(path: &Path) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let Ok(text) = crate::source::read::read_regular_text(path, crate::source::MAX_FILE_BYTES) else { return keys };
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) else { return keys };
    let mut stack = vec![(String::new(), &value)];
    while let Some((prefix, value)) = stack.pop() {
        let Some(mapping) = value.as_mapping() else { continue };
        for (key, child) in mapping {
            // A key written with no value (`hours_per_month:`) is null: the default applies.
            if child.is_null() {
                continue;
            }
            let Some(key) = key.as_str() else { continue };
            let path = if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") };
            stack.push((path.clone(), child));
            keys.insert(path);
        }
    }
    keys
}
