//! Finding and reading `.ptlint.yaml` and `--usage` files, their errors, and best-effort key positions.

use super::Config;
use crate::evidence::UsageEntry;
use crate::source::read::{read_regular_text, MAX_FILE_BYTES};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// File names looked for, in order, in the start directory and then each parent.
pub const CONFIG_FILE_NAMES: [&str; 2] = [".ptlint.yaml", ".ptlint.yml"];

/// A configuration file that was found and loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedConfig {
    /// The parsed configuration.
    pub config: Config,
    /// The file it came from, as given.
    pub path: PathBuf,
    /// The file's directory (`.` for a bare file name): base for `usage[].cloudwatch` and `rules`.
    pub dir: PathBuf,
    /// Best-effort 1-based (line, column) of each `usage:` key, for reporting usage keys that match no
    /// throughput; a key written in flow style (`{...}`) has no entry.
    pub usage_positions: BTreeMap<String, (u32, u32)>,
    /// 1-based (line, column) of the `exclude:` key (1:1 when absent), where a bad glob is reported.
    pub exclude_position: (u32, u32),
    /// Best-effort 1-based (line, column) where each `usage:` entry names a CloudWatch export, by usage key and
    /// then the path as written, for an export that cannot be read.
    pub export_positions: ExportPositions,
}

/// Where usage entries name their CloudWatch exports: usage key -> path as written -> 1-based (line, column).
pub type ExportPositions = BTreeMap<String, BTreeMap<String, (u32, u32)>>;

impl LoadedConfig {
    /// The extra Guard rules directory, resolved against the config file's directory.
    pub fn rules_dir(&self) -> Option<PathBuf> {
        self.config.rules.as_ref().map(|rules| self.dir.join(rules))
    }
}

/// A `--usage` file that was loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedUsage {
    /// Entries keyed by Terraform address or CloudFormation logical ID.
    pub entries: BTreeMap<String, UsageEntry>,
    /// The file, as given.
    pub path: PathBuf,
    /// Its directory: base for `cloudwatch` paths.
    pub dir: PathBuf,
    /// Best-effort 1-based (line, column) of each key (see [`LoadedConfig::usage_positions`]).
    pub positions: BTreeMap<String, (u32, u32)>,
    /// Where each entry names its CloudWatch exports (see [`LoadedConfig::export_positions`]).
    pub export_positions: ExportPositions,
}

/// A configuration or usage file that cannot be used (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, as given.
    pub file: String,
    /// 1-based line; 1 when the error has no position (an unreadable file).
    pub line: u32,
    /// 1-based column; 1 when the error has no position.
    pub column: u32,
    /// What is wrong, naming the key (`usage.ChatThroughput: unknown field ...`).
    pub message: String,
}

impl ConfigError {
    fn whole_file(file: &str, message: String) -> ConfigError {
        // 1:1 rather than 0:0, because SARIF and GitHub annotations reject line 0.
        ConfigError { file: file.to_string(), line: 1, column: 1, message }
    }

    pub(super) fn from_yaml(file: &str, error: &serde_yaml::Error) -> ConfigError {
        let text = error.to_string();
        let Some(location) = error.location() else {
            return ConfigError::whole_file(file, text);
        };
        let (line, column) = (to_u32(location.line()), to_u32(location.column()));
        // serde_yaml writes the position it also returns into the text; keep it only once, in the fields.
        let message = text.replacen(&format!(" at line {line} column {column}"), "", 1);
        ConfigError { file: file.to_string(), line, column, message }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// The nearest `.ptlint.yaml` (or `.ptlint.yml`) in `start_dir` or a parent. Found in `start_dir` itself, the
/// path is `start_dir` joined with the name (the bare name when `start_dir` is `.`); found in a parent, it is absolute.
pub fn find_config(start_dir: &Path) -> Option<PathBuf> {
    for name in CONFIG_FILE_NAMES {
        let candidate = start_dir.join(name);
        if candidate.is_file() {
            let is_cwd = start_dir.as_os_str().is_empty() || start_dir == Path::new(".");
            return Some(if is_cwd { PathBuf::from(name) } else { candidate });
        }
    }
    // A relative start such as `.` has no parents of its own, so walk the absolute path.
    let absolute = std::path::absolute(start_dir).ok()?;
    absolute
        .ancestors()
        .skip(1)
        .find_map(|dir| CONFIG_FILE_NAMES.iter().map(|name| dir.join(name)).find(|candidate| candidate.is_file()))
}

/// Read and validate a configuration file.
pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
    let label = path.to_string_lossy().into_owned();
    let text = read_regular_text(path, MAX_FILE_BYTES)
        .map_err(|e| ConfigError::whole_file(&label, format!("cannot read config file: {}", e.reason())))?;
    let config = Config::parse_str(&text, &label)?;
    let usage_positions = key_positions(&text, Some("usage"));
    let exclude_position = key_positions(&text, None).get("exclude").copied().unwrap_or((1, 1));
    let export_positions = export_positions(&text, &usage_positions, &config.usage);
    Ok(LoadedConfig {
        config,
        path: path.to_path_buf(),
        dir: parent_dir(path),
        usage_positions,
        exclude_position,
        export_positions,
    })
}

/// Read a `--usage` file: entries keyed by resource, either as the bare mapping or under a top-level `usage:`.
/// (A resource literally named `usage` therefore needs the `usage:` form.)
pub fn load_usage_file(path: &Path) -> Result<BTreeMap<String, UsageEntry>, ConfigError> {
    load_usage(path).map(|usage| usage.entries)
}

/// Like [`load_usage_file`], keeping the file's directory and the key positions.
pub fn load_usage(path: &Path) -> Result<LoadedUsage, ConfigError> {
    let label = path.to_string_lossy().into_owned();
    let text = read_regular_text(path, MAX_FILE_BYTES)
        .map_err(|e| ConfigError::whole_file(&label, format!("cannot read usage file: {}", e.reason())))?;
    let (entries, wrapped) = parse_usage_str(&text, &label)?;
    let positions = key_positions(&text, wrapped.then_some("usage"));
    let export_positions = export_positions(&text, &positions, &entries);
    Ok(LoadedUsage { entries, path: path.to_path_buf(), dir: parent_dir(path), positions, export_positions })
}

/// Parse usage-file text; the flag says whether the entries sat under `usage:`.
fn parse_usage_str(text: &str, label: &str) -> Result<(BTreeMap<String, UsageEntry>, bool), ConfigError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Wrapped {
        usage: BTreeMap<String, UsageEntry>,
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| ConfigError::from_yaml(label, &e))?;
    match &value {
        serde_yaml::Value::Null => Ok((BTreeMap::new(), false)),
        serde_yaml::Value::Mapping(map) if map.contains_key("usage") => serde_yaml::from_str::<Wrapped>(text)
            .map(|w| (w.usage, true))
            .map_err(|e| ConfigError::from_yaml(label, &e)),
        _ => serde_yaml::from_str(text).map(|m| (m, false)).map_err(|e| ConfigError::from_yaml(label, &e)),
    }
}

/// Whether the text holds no YAML value at all (blank, comments, a bare `---`), which serde cannot turn into a struct.
pub(super) fn is_empty_document(text: &str, label: &str) -> Result<bool, ConfigError> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| ConfigError::from_yaml(label, &e))?;
    Ok(value.is_null())
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Best-effort positions of the keys of a block mapping: the top-level mapping (`parent` = `None`) or the one
/// under a top-level `parent:` key. serde_yaml keeps no positions, and a linter that says "unknown usage key"
/// should point at it; keys it cannot find (flow style, anchors, odd quoting) are simply absent.
pub(super) fn key_positions(text: &str, parent: Option<&str>) -> BTreeMap<String, (u32, u32)> {
    let mut out = BTreeMap::new();
    let mut inside = parent.is_none();
    let mut child_indent: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("---") || trimmed.starts_with('%') {
            continue;
        }
        if let Some(parent) = parent {
            if indent == 0 {
                // A top-level key opens or closes the block we want.
                inside = mapping_key(trimmed).is_some_and(|(key, rest)| key == parent && is_block_start(rest));
                child_indent = None;
                continue;
            }
        }
        if !inside {
            continue;
        }
        let expected = *child_indent.get_or_insert(indent);
        if indent != expected {
            continue;
        }
        if let Some((key, _)) = mapping_key(trimmed) {
            out.entry(key).or_insert((to_u32(index + 1), to_u32(indent + 1)));
        }
    }
    out
}

/// Where each usage entry names its CloudWatch exports: for each path as written, the first line of the entry
/// (its key's line and the lines below it indented deeper) that holds the path as a whole scalar, at the path's
/// first character. Best effort, as [`key_positions`]: a path written with escapes is absent.
pub(super) fn export_positions(
    text: &str,
    keys: &BTreeMap<String, (u32, u32)>,
    entries: &BTreeMap<String, UsageEntry>,
) -> ExportPositions {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = ExportPositions::new();
    for (key, entry) in entries {
        let (Some(&(line, column)), Some(source)) = (keys.get(key), entry.cloudwatch.as_ref()) else { continue };
        let key_indent = column.saturating_sub(1) as usize;
        let first = line.saturating_sub(1) as usize;
        let below = lines.iter().enumerate().skip(first + 1).take_while(|(_, text)| {
            let trimmed = text.trim_start_matches(' ');
            trimmed.is_empty() || trimmed.starts_with('#') || text.len() - trimmed.len() > key_indent
        });
        let entry_lines: Vec<(usize, &&str)> = lines.iter().enumerate().skip(first).take(1).chain(below).collect();
        let found: BTreeMap<String, (u32, u32)> = source
            .paths()
            .iter()
            .filter_map(|path| {
                let (index, column) =
                    entry_lines.iter().find_map(|(index, text)| scalar_column(text, path).map(|c| (*index, c)))?;
                Some((path.clone(), (to_u32(index + 1), to_u32(column))))
            })
            .collect();
        out.insert(key.clone(), found);
    }
    out
}

/// The 1-based column (in characters) where `scalar` stands in `line` as a whole YAML scalar (plain, quoted, or
/// an item of a flow list), not as part of a longer one.
fn scalar_column(line: &str, scalar: &str) -> Option<usize> {
    if scalar.is_empty() {
        return None;
    }
    line.match_indices(scalar).find_map(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + scalar.len()..].chars().next();
        let opens = before.is_none_or(|c| matches!(c, ' ' | '\t' | '[' | '{' | ',' | '"' | '\''));
        let closes = after.is_none_or(|c| matches!(c, ' ' | '\t' | ']' | '}' | ',' | '"' | '\'' | '#' | '\r'));
        (opens && closes).then(|| line[..at].chars().count() + 1)
    })
}

/// Whether what follows `key:` leaves the value to the next lines (nothing, or only a comment).
fn is_block_start(rest: &str) -> bool {
    let rest = rest.trim();
    rest.is_empty() || rest.starts_with('#')
}

/// Split `key: rest` (plain, single- or double-quoted key) into the key and what follows the colon.
pub(super) fn mapping_key(line: &str) -> Option<(String, &str)> {
    let mut chars = line.char_indices();
    match chars.next()?.1 {
        quote @ ('"' | '\'') => {
            let mut key = String::new();
            let mut escaped = false;
            let mut rest_at = None;
            let mut pending_quote = false;
            for (i, c) in chars {
                if pending_quote {
                    // In single quotes `''` is a quote; anything else ends the key.
                    if c == '\'' {
                        key.push('\'');
                        pending_quote = false;
                        continue;
                    }
                    rest_at = Some(i);
                    break;
                }
                if escaped {
                    key.push(c);
                    escaped = false;
                } else if quote == '"' && c == '\\' {
                    escaped = true;
                } else if c == quote {
                    if quote == '\'' {
                        pending_quote = true;
                    } else {
                        rest_at = Some(i + c.len_utf8());
                        break;
                    }
                } else {
                    key.push(c);
                }
            }
            let rest = match rest_at {
                Some(at) => line.get(at..)?,
                None if pending_quote => "",
                None => return None,
            };
            let rest = rest.trim_start().strip_prefix(':')?;
            Some((key, rest))
        }
        '-' | '[' | '{' | '?' | '&' | '*' | '!' | '|' | '>' => None,
        _ => {
            let colon = line.find(": ").or_else(|| line.strip_suffix(':').map(str::len))?;
            let key = line.get(..colon)?.trim_end();
            let rest = line.get(colon + 1..)?;
            Some((key.to_string(), rest))
        }
    }
}
