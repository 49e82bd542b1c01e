//! `.ptlint.yaml` and `--usage` files: finding, loading and validating them; a bad key is an error at its line.

use crate::evidence::UsageEntry;
use crate::finding::Level;
use crate::model::{Budget, BudgetFilter, Commitment};
use crate::pricing::PriceOverride;
use crate::source::node::Span;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// File names looked for, in order, in the start directory and then each parent.
pub const CONFIG_FILE_NAMES: [&str; 2] = [".ptlint.yaml", ".ptlint.yml"];

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
    /// Findings to suppress.
    pub ignore: Vec<IgnoreEntry>,
    /// Extra Guard rules directory, relative to the config file (`--rules` wins); see [`LoadedConfig::rules_dir`].
    pub rules: Option<PathBuf>,
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
    /// Level overrides, keyed by rule code (`PT003`) or name: `error`, `warning` (`warn`) or `note` (`info`).
    #[serde(deserialize_with = "de_levels")]
    pub levels: BTreeMap<String, Level>,
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
    pub fn level_for(&self, code: &str, name: &str) -> Option<Level> {
        self.levels.get(code).or_else(|| self.levels.get(name)).copied()
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

/// A budget that exists outside the scanned code (for example, created by a FinOps team).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigBudget {
    /// The budget's name, as in AWS Budgets.
    pub name: String,
    /// Limit in USD per `time_unit` (0 or more).
    #[serde(deserialize_with = "de_non_negative")]
    pub limit: Decimal,
    /// The period the limit applies to (default `MONTHLY`).
    #[serde(default)]
    pub time_unit: TimeUnit,
    /// What the budget covers; absent or empty = the whole account.
    #[serde(default)]
    pub filters: Option<BudgetFilters>,
}

impl ConfigBudget {
    /// The limit per month of `hours_per_month` hours (a daily limit times days per month, a quarterly one / 3,
    /// an annual one / 12).
    pub fn monthly_limit(&self, hours_per_month: Decimal) -> Decimal {
        match self.time_unit {
            TimeUnit::Daily => self.limit * hours_per_month / Decimal::from(24),
            TimeUnit::Monthly => self.limit,
            TimeUnit::Quarterly => self.limit / Decimal::from(3),
            TimeUnit::Annually => self.limit / Decimal::from(12),
        }
    }

    /// The budget in the model's shape, so linking treats it like one declared in a template. It has no
    /// source position (`Span::default()`), `resource` = `budgets[<index>]`, `budget_type` `COST`, and its
    /// filters become `Dimension`s with the readers' normalised keys (`service`, `usage_type`, `region`)
    /// and `Tag`s, all under one `All`.
    pub fn to_model(&self, index: usize) -> Budget {
        Budget {
            resource: format!("budgets[{index}]"),
            span: Span::default(),
            name: Some(self.name.clone()),
            budget_type: Some("COST".to_string()),
            limit: Some(self.limit),
            limit_unit: Some("USD".to_string()),
            time_unit: Some(self.time_unit.as_str().to_string()),
            filter: self.filters.as_ref().and_then(BudgetFilters::to_model),
        }
    }
}

/// The period a budget limit covers, spelled as AWS Budgets spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimeUnit {
    /// Per day.
    #[serde(alias = "daily")]
    Daily,
    /// Per calendar month.
    #[default]
    #[serde(alias = "monthly")]
    Monthly,
    /// Per quarter.
    #[serde(alias = "quarterly")]
    Quarterly,
    /// Per year.
    #[serde(alias = "annually")]
    Annually,
}

impl TimeUnit {
    /// The AWS spelling (`MONTHLY`).
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Daily => "DAILY",
            TimeUnit::Monthly => "MONTHLY",
            TimeUnit::Quarterly => "QUARTERLY",
            TimeUnit::Annually => "ANNUALLY",
        }
    }
}

/// What a config budget covers; every list that is given must match (values within a list are alternatives).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetFilters {
    /// Billing service names (`Amazon Bedrock`, or a Marketplace product such as `Claude 3 Haiku (Amazon Bedrock Edition)`).
    pub services: Vec<String>,
    /// Cost-allocation tags: `{Key: [values]}` or `{Key: value}`.
    #[serde(deserialize_with = "de_tags")]
    pub tags: BTreeMap<String, Vec<String>>,
    /// Usage types (`USE1-...-ProvisionedThroughput-6months-ModelUnits`).
    pub usage_types: Vec<String>,
    /// Regions (`us-east-1`).
    pub regions: Vec<String>,
}

impl BudgetFilters {
    /// The filters as a model filter tree; `None` when nothing is filtered (account-wide).
    pub fn to_model(&self) -> Option<BudgetFilter> {
        let mut all = Vec::new();
        for (key, values) in [("service", &self.services), ("usage_type", &self.usage_types), ("region", &self.regions)]
        {
            if !values.is_empty() {
                all.push(BudgetFilter::Dimension { key: key.to_string(), values: values.clone() });
            }
        }
        for (key, values) in &self.tags {
            all.push(BudgetFilter::Tag { key: key.clone(), values: values.clone() });
        }
        match all.len() {
            0 => None,
            1 => all.pop(),
            _ => Some(BudgetFilter::All(all)),
        }
    }
}

/// A suppression: findings of `rule` on `resource` are not reported (until `expires`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// Rule code (`PT003`) or name (`commitment-without-usage-evidence`).
    pub rule: String,
    /// Terraform address or CloudFormation logical ID, exact or a `*` glob; absent = every resource.
    #[serde(default)]
    pub resource: Option<String>,
    /// Why the finding is accepted.
    #[serde(default)]
    pub reason: Option<String>,
    /// Last day (`YYYY-MM-DD`, inclusive) the suppression applies.
    #[serde(default, deserialize_with = "de_date")]
    pub expires: Option<String>,
}

impl IgnoreEntry {
    /// Whether this entry covers a finding of the rule (by code, case-insensitive, or by name) on `resource`.
    pub fn matches(&self, rule_code: &str, rule_name: &str, resource: &str) -> bool {
        let rule = self.rule.trim();
        let rule_matches = rule.eq_ignore_ascii_case(rule_code) || rule == rule_name;
        rule_matches && self.resource.as_deref().is_none_or(|pattern| glob_match(pattern, resource))
    }

    /// The expiry as days since 1970-01-01 (validated at load, so `None` only when absent).
    pub fn expires_day(&self) -> Option<i64> {
        self.expires.as_deref().and_then(crate::evidence::parse_date)
    }

    /// Whether the entry has expired on `today` (days since 1970-01-01, see [`crate::evidence::today`]).
    pub fn is_expired(&self, today: i64) -> bool {
        self.expires_day().is_some_and(|last| today > last)
    }
}

/// `*` matches any run of characters (including `.`, `[` and `"`, which Terraform addresses contain).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    // Position of the last `*` and the text index it was tried at, for backtracking.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

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
}

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

    fn from_yaml(file: &str, error: &serde_yaml::Error) -> ConfigError {
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
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::whole_file(&label, format!("cannot read config file: {e}")))?;
    let config = Config::parse_str(&text, &label)?;
    let usage_positions = key_positions(&text, Some("usage"));
    Ok(LoadedConfig { config, path: path.to_path_buf(), dir: parent_dir(path), usage_positions })
}

/// Read a `--usage` file: entries keyed by resource, either as the bare mapping or under a top-level `usage:`.
/// (A resource literally named `usage` therefore needs the `usage:` form.)
pub fn load_usage_file(path: &Path) -> Result<BTreeMap<String, UsageEntry>, ConfigError> {
    load_usage(path).map(|usage| usage.entries)
}

/// Like [`load_usage_file`], keeping the file's directory and the key positions.
pub fn load_usage(path: &Path) -> Result<LoadedUsage, ConfigError> {
    let label = path.to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::whole_file(&label, format!("cannot read usage file: {e}")))?;
    let (entries, wrapped) = parse_usage_str(&text, &label)?;
    let positions = key_positions(&text, wrapped.then_some("usage"));
    Ok(LoadedUsage { entries, path: path.to_path_buf(), dir: parent_dir(path), positions })
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
fn is_empty_document(text: &str, label: &str) -> Result<bool, ConfigError> {
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
fn key_positions(text: &str, parent: Option<&str>) -> BTreeMap<String, (u32, u32)> {
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

/// Whether what follows `key:` leaves the value to the next lines (nothing, or only a comment).
fn is_block_start(rest: &str) -> bool {
    let rest = rest.trim();
    rest.is_empty() || rest.starts_with('#')
}

/// Split `key: rest` (plain, single- or double-quoted key) into the key and what follows the colon.
fn mapping_key(line: &str) -> Option<(String, &str)> {
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

fn de_hours_per_month<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    deserializer.deserialize_option(Optional(CheckedDecimal(check_hours_per_month)))
}

fn de_fraction<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    deserializer.deserialize_option(Optional(CheckedDecimal(check_fraction)))
}

fn de_non_negative<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(CheckedDecimal(check_non_negative))
}

fn de_positive_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let value = u64::deserialize(deserializer)?;
    if value == 0 {
        return Err(serde::de::Error::custom("tokens per minute must be more than 0"));
    }
    Ok(value)
}

fn de_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_option(Optional(DateVisitor))
}

/// A level parsed with [`Level::parse`], so `warn` and `info` work and a typo is an error at its line.
struct LevelValue(Level);

impl<'de> Deserialize<'de> for LevelValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LevelVisitor;
        impl<'de> serde::de::Visitor<'de> for LevelVisitor {
            type Value = LevelValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`error`, `warning` or `note`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<LevelValue, E> {
                Level::parse(v)
                    .map(LevelValue)
                    .ok_or_else(|| E::custom(format!("unknown level `{v}`, expected `error`, `warning` or `note`")))
            }
        }
        deserializer.deserialize_str(LevelVisitor)
    }
}

fn de_levels<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BTreeMap<String, Level>, D::Error> {
    let raw = BTreeMap::<String, LevelValue>::deserialize(deserializer)?;
    Ok(raw.into_iter().map(|(rule, level)| (rule, level.0)).collect())
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

fn de_tags<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
    let raw = BTreeMap::<String, OneOrMany>::deserialize(deserializer)?;
    Ok(raw.into_iter().map(|(key, values)| (key, values.0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::CloudWatchSource;

    const DESIGN_EXAMPLE: &str = r#"region: us-east-1                 # for templates that do not say
hours_per_month: 730
pricing:                          # add or override catalog rates (negotiated or unpublished prices)
  - model: anthropic.claude-3-5-sonnet-20240620-v1:0   # matches model IDs with any :<context> suffix
    provisioned_hourly: {no_commitment: "50.00", one_month: "40.00", six_months: "25.00"}
    on_demand_per_million: {input: "3.00", output: "15.00"}
usage:                            # proven volume, keyed by TF address or CFN logical ID
  aws_bedrock_provisioned_model_throughput.chat:
    observed_days: 120
    monthly_input_tokens: 3000000000
    monthly_output_tokens: 600000000
  ChatThroughput:
    cloudwatch: metrics/chat.json # `aws cloudwatch get-metric-data` output, daily Sum of Input/OutputTokenCount
policy:
  min_observed_days: {one_month: 30, six_months: 90}
budgets: []                       # budgets managed outside the scanned code
ignore: []                        # {rule, resource, reason, expires}
"#;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn parse_err(text: &str) -> ConfigError {
        Config::parse_str(text, ".ptlint.yaml").unwrap_err()
    }

    #[test]
    fn design_example_parses() {
        let config = Config::parse_str(DESIGN_EXAMPLE, ".ptlint.yaml").unwrap();
        assert_eq!(config.region.as_deref(), Some("us-east-1"));
        assert_eq!(config.hours_per_month(), dec("730"));
        assert_eq!(config.pricing.len(), 1);
        let rates = config.pricing[0].provisioned_hourly.as_ref().unwrap();
        assert_eq!(rates.six_months, Some(dec("25.00")));
        assert_eq!(config.pricing[0].on_demand_per_million.as_ref().unwrap().output, Some(dec("15.00")));
        let chat = &config.usage["aws_bedrock_provisioned_model_throughput.chat"];
        assert_eq!(chat.observed_days, Some(120));
        assert_eq!(chat.monthly_input_tokens, Some(3_000_000_000));
        assert_eq!(
            config.usage["ChatThroughput"].cloudwatch,
            Some(CloudWatchSource::One("metrics/chat.json".to_string()))
        );
        assert_eq!(config.policy.min_observed_days, MinObservedDays { one_month: 30, six_months: 90 });
        assert_eq!(config.policy.utilization_threshold(), dec("0.5"));
        assert!(config.budgets.is_empty() && config.ignore.is_empty() && config.rules.is_none());
    }

    #[test]
    fn empty_file_is_the_default_config() {
        for text in ["", "\n\n", "# nothing yet\n", "---\n"] {
            let config = Config::parse_str(text, "x").unwrap();
            assert_eq!(config, Config::default());
            assert_eq!(config.hours_per_month(), dec("730"));
            assert_eq!(config.policy.min_observed_days.for_commitment(Commitment::SixMonths), 90);
        }
    }

    #[test]
    fn unknown_top_level_key_is_an_error_at_its_line() {
        let err = parse_err("region: us-east-1\nhours_per_month: 744\nbudget: []\n");
        assert_eq!((err.line, err.column), (3, 1), "{err}");
        assert!(err.message.contains("unknown field `budget`"), "{err}");
        assert!(err.message.contains("expected one of"), "{err}");
        assert_eq!(err.to_string(), format!(".ptlint.yaml:3:1: {}", err.message));
        assert!(!err.message.contains("at line"), "{err}");
    }

    #[test]
    fn unknown_usage_entry_key_is_an_error_at_its_line() {
        let text = "usage:\n  ChatThroughput:\n    observed_days: 30\n    monthly_input_token: 5\n";
        let err = parse_err(text);
        assert_eq!((err.line, err.column), (4, 5), "{err}");
        assert!(err.message.contains("usage.ChatThroughput"), "{err}");
        assert!(err.message.contains("unknown field `monthly_input_token`"), "{err}");
    }

    #[test]
    fn inconsistent_usage_entry_names_the_resource_and_key() {
        let text = "usage:\n  ChatThroughput:\n    observed_days: 30\n    cloudwatch: m.json\n";
        let err = parse_err(text);
        assert!(err.message.contains("usage.ChatThroughput"), "{err}");
        assert!(err.message.contains("`cloudwatch` and `observed_days`"), "{err}");
        assert!(err.line >= 2, "{err}");
        let err = parse_err("usage:\n  X:\n    monthly_input_tokens: 5\n");
        assert!(err.message.contains("needs `observed_days`"), "{err}");
        let err = parse_err("usage:\n  X:\n    cloudwatch: 5\n");
        assert!(err.message.contains("a file path or a list of file paths"), "{err}");
    }

    #[test]
    fn invalid_values_are_rejected_at_load() {
        let err = parse_err("ignore:\n  - rule: PT003\n    expires: 2026-13-40\n");
        assert_eq!(err.line, 3, "{err}");
        assert!(err.message.contains("expires"), "{err}");
        for text in ["hours_per_month: 0\n", "hours_per_month: -5\n", "hours_per_month: 7300\n"] {
            let err = parse_err(text);
            assert_eq!(err.line, 1, "{err}");
            assert!(err.message.contains("hours_per_month"), "{err}");
        }
        let err = parse_err("budgets:\n  - name: bedrock\n    limit: 100\n    time_unit: WEEKLY\n");
        assert_eq!(err.line, 4, "{err}");
        assert!(err.message.contains("unknown variant `WEEKLY`"), "{err}");
        let err = parse_err("budgets:\n  - name: bedrock\n");
        assert!(err.message.contains("missing field `limit`"), "{err}");
        let err = parse_err("policy:\n  utilization_threshold: 50\n");
        assert!(err.message.contains("utilization_threshold"), "{err}");
        let err = parse_err("policy:\n  levels: {PT005: loud}\n");
        assert!(err.message.contains("unknown level `loud`"), "{err}");
        let err = parse_err("hours_per_month: [1]\n");
        assert!(err.message.contains("invalid type"), "{err}");
        let err = parse_err("region: [unclosed\n");
        assert!(err.line >= 1 && !err.message.is_empty(), "{err}");
    }

    #[test]
    fn full_config_with_every_section() {
        let text = r#"hours_per_month: 744
rules: guard
policy:
  min_observed_days: {one_month: 14}
  tokens_per_minute_per_unit:
    anthropic.claude: {input: 1000, output: 200}
    anthropic.claude-3-5-sonnet: {input: 2000}
  utilization_threshold: 0.25
  levels: {PT005: warn, commitment-without-usage-evidence: note}
budgets:
  - name: bedrock-hosting
    limit: "1200.00"
    time_unit: DAILY
    filters:
      services: [Amazon Bedrock]
      tags: {team: ml, env: [prod, staging], cost-center: 1234}
  - name: account
    limit: 36000
    time_unit: ANNUALLY
ignore:
  - rule: PT005
    resource: module.chat.aws_bedrock_provisioned_model_throughput.*
    reason: alarm lives in the observability stack
    expires: 2026-12-31
"#;
        let config = Config::parse_str(text, "c").unwrap();
        assert_eq!(config.policy.min_observed_days, MinObservedDays { one_month: 14, six_months: 90 });
        assert_eq!(config.policy.tokens_per_minute("anthropic.claude-3-5-sonnet-v2:0").unwrap().input, 2000);
        assert_eq!(config.policy.tokens_per_minute("anthropic.claude-3-haiku").unwrap().output, Some(200));
        assert!(config.policy.tokens_per_minute("amazon.nova").is_none());
        assert_eq!(config.policy.utilization_threshold(), dec("0.25"));
        assert_eq!(config.policy.level_for("PT005", "missing-utilization-alarm"), Some(Level::Warning));
        assert_eq!(config.policy.level_for("PT003", "commitment-without-usage-evidence"), Some(Level::Note));

        let hosting = &config.budgets[0];
        assert_eq!(hosting.monthly_limit(config.hours_per_month()), dec("37200"));
        assert_eq!(config.budgets[1].monthly_limit(dec("730")), dec("3000"));
        assert_eq!(config.budgets[1].to_model(1).filter, None);
        let model = hosting.to_model(0);
        assert_eq!(model.resource, "budgets[0]");
        assert_eq!(model.time_unit.as_deref(), Some("DAILY"));
        assert_eq!(
            model.filter,
            Some(BudgetFilter::All(vec![
                BudgetFilter::Dimension { key: "service".into(), values: vec!["Amazon Bedrock".into()] },
                BudgetFilter::Tag { key: "cost-center".into(), values: vec!["1234".into()] },
                BudgetFilter::Tag { key: "env".into(), values: vec!["prod".into(), "staging".into()] },
                BudgetFilter::Tag { key: "team".into(), values: vec!["ml".into()] },
            ]))
        );

        let ignore = &config.ignore[0];
        assert!(ignore.matches(
            "PT005",
            "missing-utilization-alarm",
            "module.chat.aws_bedrock_provisioned_model_throughput.this[\"a\"]"
        ));
        assert!(!ignore.matches("PT004", "x", "module.chat.aws_bedrock_provisioned_model_throughput.this"));
        assert!(!ignore.matches("PT005", "x", "aws_bedrock_provisioned_model_throughput.this"));
        let last = crate::evidence::parse_date("2026-12-31").unwrap();
        assert!(!ignore.is_expired(last) && ignore.is_expired(last + 1));
    }

    #[test]
    fn glob() {
        assert!(glob_match("*", ""));
        assert!(glob_match("Chat*", "ChatThroughput"));
        assert!(glob_match("*Throughput", "ChatThroughput"));
        assert!(glob_match("a*b*c", "axxbyybzc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(!glob_match("Chat", "ChatThroughput"));
        assert!(glob_match("ChatThroughput", "ChatThroughput"));
    }

    #[test]
    fn find_config_walks_up() {
        let root = tempfile::tempdir().unwrap();
        let nested = root.path().join("a/b/c");
        std::fs::create_dir_all(&nested).unwrap();
        // Nothing in the temporary tree yet (a config above /tmp, if any, is not ours).
        assert!(find_config(&nested).is_none_or(|p| !p.starts_with(root.path())));
        std::fs::write(root.path().join("a/.ptlint.yml"), "region: eu-west-1\n").unwrap();
        let found = find_config(&nested).unwrap();
        assert_eq!(
            std::fs::canonicalize(&found).unwrap(),
            std::fs::canonicalize(root.path().join("a/.ptlint.yml")).unwrap()
        );
        // The nearest wins, and `.yaml` wins over `.yml` in one directory.
        std::fs::write(nested.join(".ptlint.yml"), "").unwrap();
        std::fs::write(nested.join(".ptlint.yaml"), "").unwrap();
        assert_eq!(find_config(&nested).unwrap(), nested.join(".ptlint.yaml"));

        let loaded = load(&root.path().join("a/.ptlint.yml")).unwrap();
        assert_eq!(loaded.config.region.as_deref(), Some("eu-west-1"));
        assert_eq!(loaded.dir, root.path().join("a"));
    }

    #[test]
    fn load_reports_unreadable_files_and_resolves_rules() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.yaml");
        let err = load(&missing).unwrap_err();
        assert_eq!((err.line, err.column), (1, 1));
        assert!(err.file.ends_with("nope.yaml") && err.message.contains("cannot read"), "{err}");

        let path = dir.path().join(".ptlint.yaml");
        std::fs::write(&path, format!("rules: policies\n{DESIGN_EXAMPLE}")).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.rules_dir(), Some(dir.path().join("policies")));
        assert_eq!(loaded.usage_positions["aws_bedrock_provisioned_model_throughput.chat"], (9, 3));
        assert_eq!(loaded.usage_positions["ChatThroughput"], (13, 3));
        assert_eq!(loaded.usage_positions.len(), 2);
    }

    #[test]
    fn usage_file_bare_or_wrapped() {
        let dir = tempfile::tempdir().unwrap();
        let bare = dir.path().join("bare.yaml");
        std::fs::write(&bare, "# proven volume\nChatThroughput:\n  cloudwatch: [in.json, out.json]\n'module.x.aws_bedrock_provisioned_model_throughput.this[\"a\"]':\n  observed_days: 45\n  monthly_output_tokens: 10\n").unwrap();
        let usage = load_usage(&bare).unwrap();
        assert_eq!(usage.entries.len(), 2);
        assert_eq!(usage.dir, dir.path());
        assert_eq!(
            usage.entries["ChatThroughput"].cloudwatch,
            Some(CloudWatchSource::Many(vec!["in.json".into(), "out.json".into()]))
        );
        assert_eq!(usage.positions["ChatThroughput"], (2, 1));
        assert_eq!(usage.positions["module.x.aws_bedrock_provisioned_model_throughput.this[\"a\"]"], (4, 1));

        let wrapped = dir.path().join("wrapped.yml");
        std::fs::write(&wrapped, "usage:\n  ChatThroughput:\n    observed_days: 30\n    monthly_input_tokens: 1\n")
            .unwrap();
        let entries = load_usage_file(&wrapped).unwrap();
        assert_eq!(entries["ChatThroughput"].observed_days, Some(30));

        let bad = dir.path().join("bad.yml");
        std::fs::write(&bad, "ChatThroughput:\n  observed_days: 30\n  monthly_input_tokens: 1\n  source: billing\n")
            .unwrap();
        let err = load_usage_file(&bad).unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        assert!(err.message.contains("unknown field `source`"), "{err}");

        let bad = dir.path().join("bad2.yml");
        std::fs::write(&bad, "usage:\n  A:\n    observed_days: 30\n    monthly_input_tokens: 1\nversion: 0.1\n")
            .unwrap();
        let err = load_usage_file(&bad).unwrap_err();
        assert_eq!(err.line, 5, "{err}");
        assert!(err.message.contains("unknown field `version`"), "{err}");

        let empty = dir.path().join("empty.yml");
        std::fs::write(&empty, "").unwrap();
        assert!(load_usage_file(&empty).unwrap().is_empty());
    }

    #[test]
    fn mapping_keys() {
        assert_eq!(mapping_key("a.b: 1"), Some(("a.b".to_string(), " 1")));
        assert_eq!(mapping_key("a:"), Some(("a".to_string(), "")));
        assert_eq!(mapping_key("\"x\\\"y\": 1"), Some(("x\"y".to_string(), " 1")));
        assert_eq!(mapping_key("'it''s':"), Some(("it's".to_string(), "")));
        assert_eq!(mapping_key("- a: 1"), None);
        assert_eq!(mapping_key("arn:aws:x"), None);
    }
}
