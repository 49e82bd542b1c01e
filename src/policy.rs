//! Policy: runs the Guard rules (built-in and the user's) over the facts document; the only caller of cfn-guard.

use crate::finding::Level;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The node of a throughput a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// The commitment term value (`commitment_duration`, `CommitmentDuration`).
    Commitment,
    /// The model value (`model_arn`, `ModelId`).
    Model,
    /// The resource itself.
    Resource,
}

impl Anchor {
    /// The header spelling: `commitment`, `model` or `resource`.
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Commitment => "commitment",
            Anchor::Model => "model",
            Anchor::Resource => "resource",
        }
    }

    /// Reads the header spelling, case-insensitively.
    pub fn parse(text: &str) -> Option<Anchor> {
        match text.trim().to_ascii_lowercase().as_str() {
            "commitment" => Some(Anchor::Commitment),
            "model" => Some(Anchor::Model),
            "resource" => Some(Anchor::Resource),
            _ => None,
        }
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What ptlint knows about a rule, read from the `#` header block that opens its `.guard` file
/// (Guard itself ignores comments):
///
/// ```text
/// # Code: PT003
/// # Name: commitment-without-usage-evidence
/// # Level: error                 (error | warning | note; default error)
/// # Reports on: commitment       (commitment | model | resource; default resource)
/// # Summary: one line for `ptlint rules`
/// # Help: a template like the messages; `\n` starts a new line
/// # Docs:
/// # ## What it does ...          (every following comment line, up to the first other line)
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RuleMeta {
    /// Stable code, e.g. `PT003` (for a headerless user rule: the file stem in upper case).
    pub code: String,
    /// Kebab-case name, e.g. `commitment-without-usage-evidence`.
    pub name: String,
    /// Default level of its findings.
    pub level: Level,
    /// Which node of the throughput its findings point at.
    pub reports_on: Anchor,
    /// One line for `ptlint rules`.
    pub summary: String,
    /// Help template, rendered per finding like the messages.
    pub help: Option<String>,
    /// Markdown documentation (`## What it does`, `## Why is this bad?`, ...), for `ptlint explain`.
    pub docs: String,
    /// `built-in`, or the path of the user's rule file.
    pub origin: String,
}

/// One rule: its metadata and its Guard source.
#[derive(Debug, Clone)]
pub struct Rule {
    /// What the header says.
    pub meta: RuleMeta,
    source: String,
}

impl Rule {
    /// The Guard source, header included.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// The rules one run evaluates, in a stable order (built-ins by code, then user rules by file name).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Indexed by [`Violation::rule`].
    pub rules: Vec<Rule>,
}

/// Why the rules could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// A rules directory or file could not be read.
    #[error("could not read `{path}`: {source}")]
    Read {
        /// The directory or file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The header block of a rule file has a value ptlint does not understand.
    #[error("invalid header in rule file `{path}`: {reason}")]
    Header {
        /// The rule file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// cfn-guard rejected the rule file.
    #[error("could not parse Guard rules in `{path}`: {reason}")]
    Parse {
        /// The rule file.
        path: String,
        /// cfn-guard's error text.
        reason: String,
    },
    /// Two rules claim the same code or name.
    #[error("rule `{code}` in `{path}` reuses the code or name of `{other}` ({other_origin})")]
    Duplicate {
        /// Code of the new rule.
        code: String,
        /// Where the new rule comes from.
        path: String,
        /// Code of the rule already loaded.
        other: String,
        /// Where that rule comes from.
        other_origin: String,
    },
    /// cfn-guard failed while evaluating a rule, or its report could not be read.
    #[error("cfn-guard could not evaluate rule `{code}` ({origin}): {reason}")]
    Eval {
        /// Code of the rule.
        code: String,
        /// Where the rule comes from.
        origin: String,
        /// What went wrong.
        reason: String,
    },
}

/// One rule failing for one throughput.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Index into [`RuleSet::rules`].
    pub rule: usize,
    /// Index into the facts document's `throughputs`.
    pub throughput: usize,
    /// Rendered message; distinct messages of several failing clauses are joined with `; `.
    pub message: String,
    /// Rendered help, if the rule has any.
    pub help: Option<String>,
}

/// The built-in rules, ordered by code. Paths are relative to this file, so the rules ship
/// inside the binary.
const BUILTIN: &[(&str, &str)] = &[
    ("custom_model_without_hosting_budget", include_str!("../rules/custom_model_without_hosting_budget.guard")),
    ("hosting_budget_below_standing_cost", include_str!("../rules/hosting_budget_below_standing_cost.guard")),
    ("commitment_without_usage_evidence", include_str!("../rules/commitment_without_usage_evidence.guard")),
    ("commitment_outruns_proven_volume", include_str!("../rules/commitment_outruns_proven_volume.guard")),
    ("missing_utilization_alarm", include_str!("../rules/missing_utilization_alarm.guard")),
    ("nonexistent_throughput_type", include_str!("../rules/nonexistent_throughput_type.guard")),
    ("unpriced_throughput", include_str!("../rules/unpriced_throughput.guard")),
];

const BUILTIN_ORIGIN: &str = "built-in";

impl RuleSet {
    /// The rules shipped in `rules/*.guard`.
    pub fn builtin() -> RuleSet {
        let rules = BUILTIN
            .iter()
            .map(|(stem, source)| {
                // The meta tests check that every built-in header parses; the fallback only
                // keeps this infallible.
                let meta =
                    parse_meta(source, stem, BUILTIN_ORIGIN).unwrap_or_else(|_| default_meta(stem, BUILTIN_ORIGIN));
                Rule { meta, source: (*source).to_string() }
            })
            .collect();
        RuleSet { rules }
    }

    /// Adds the user's rules: every `*.guard` file in `dir`, by file name. A file without a header
    /// gets its file stem as code (upper case) and name (kebab case), and level `error`.
    pub fn load_dir(&mut self, dir: &Path) -> Result<(), PolicyError> {
        let read_err = |path: &Path, source| PolicyError::Read { path: path.to_path_buf(), source };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| read_err(dir, e))? {
            let path = entry.map_err(|e| read_err(dir, e))?.path();
            if path.is_file() && path.extension().is_some_and(|ext| ext == "guard") {
                files.push(path);
            }
        }
        files.sort();
        for path in files {
            let source = std::fs::read_to_string(&path).map_err(|e| read_err(&path, e))?;
            let origin = path.display().to_string();
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let meta = parse_meta(&source, &stem, &origin)
                .map_err(|reason| PolicyError::Header { path: origin.clone(), reason })?;
            check_syntax(&source, &origin)?;
            if let Some(other) = self
                .rules
                .iter()
                .find(|r| r.meta.code.eq_ignore_ascii_case(&meta.code) || r.meta.name.eq_ignore_ascii_case(&meta.name))
            {
                return Err(PolicyError::Duplicate {
                    code: meta.code,
                    path: origin,
                    other: other.meta.code.clone(),
                    other_origin: other.meta.origin.clone(),
                });
            }
            self.rules.push(Rule { meta, source });
        }
        Ok(())
    }

    /// The rule with this code (`PT001`) or name (`custom-model-without-hosting-budget`), any case.
    pub fn find(&self, code_or_name: &str) -> Option<&Rule> {
        let wanted = code_or_name.trim();
        // The Guard rule inside the file spells the name in snake_case; accept that too.
        let as_name = wanted.replace('_', "-");
        self.rules
            .iter()
            .find(|r| r.meta.code.eq_ignore_ascii_case(wanted) || r.meta.name.eq_ignore_ascii_case(&as_name))
    }
}

/// Runs every rule once over the whole facts document and returns one violation per
/// (rule, throughput) that failed, sorted by throughput then rule. Prints nothing.
pub fn evaluate(rules: &RuleSet, facts: &Value) -> Result<Vec<Violation>, PolicyError> {
    let data = facts.to_string();
    let throughputs = facts.get("throughputs").and_then(Value::as_array);
    let mut violations = Vec::new();
    for (index, report) in run_rules(&rules.rules, &data).into_iter().enumerate() {
        let rule = &rules.rules[index];
        for (throughput, messages) in report?.failures {
            let pt = throughputs.and_then(|list| list.get(throughput)).unwrap_or(&Value::Null);
            let mut rendered: Vec<String> = Vec::new();
            for template in &messages.custom {
                let text = render_template(template, pt);
                if !rendered.contains(&text) {
                    rendered.push(text);
                }
            }
            let message = if !rendered.is_empty() {
                rendered.join("; ")
            } else if !rule.meta.summary.is_empty() {
                // A clause without `<< >>` (common in user rules): the summary says more than
                // Guard's evaluator text.
                rule.meta.summary.clone()
            } else {
                messages.fallback.unwrap_or_else(|| rule.meta.name.clone())
            };
            violations.push(Violation {
                rule: index,
                throughput,
                message,
                help: rule.meta.help.as_deref().map(|h| render_template(h, pt)),
            });
        }
    }
    violations.sort_by_key(|v| (v.throughput, v.rule));
    Ok(violations)
}

/// Fills `{dotted.path}` and `{dotted.path|filter}` placeholders from one throughput's facts; Guard
/// custom messages (`<< ... >>`) and `Help:` are such templates. Filters: `|usd` (`$36,500.00`),
/// `|tokens` (`6.08B`), `|percent` (`0.4` -> `40%`), `|code` (backticks around each item).
/// A missing or null value renders as `unknown`; text in braces that is not a path stays as is.
pub fn render_template(template: &str, pt_facts: &Value) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let placeholder = after.find('}').map(|close| &after[..close]).filter(|inner| {
            !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '|' | '-'))
        });
        match placeholder {
            Some(inner) => {
                let (path, filter) = match inner.split_once('|') {
                    Some((path, filter)) => (path, Some(filter)),
                    None => (inner, None),
                };
                out.push_str(&render_value(lookup(pt_facts, path), filter));
                rest = &after[inner.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// How one rule came out over one facts document.
#[derive(Debug, Default)]
struct RuleReport {
    /// Status of each Guard rule in the file (`PASS`, `FAIL`, `SKIP`), by Guard rule name.
    statuses: BTreeMap<String, String>,
    /// Failing clauses grouped by throughput index.
    failures: BTreeMap<usize, ClauseMessages>,
}

#[derive(Debug, Default)]
struct ClauseMessages {
    /// Distinct non-empty `<< >>` templates, in report order.
    custom: Vec<String>,
    /// Guard's own text for the first failing clause, for rules without custom messages.
    fallback: Option<String>,
}

/// Evaluates every rule over the facts, in rule order, spread over the available cores.
///
/// Each cfn-guard call re-reads the whole document (its payload mode has no way to share a parsed
/// one), and that read dominates: about 90 ms per rule for 500 throughputs in a release build,
/// against a few ms of evaluation. The calls share nothing, so they run side by side.
fn run_rules(rules: &[Rule], data: &str) -> Vec<Result<RuleReport, PolicyError>> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, rules.len().max(1));
    if threads == 1 {
        return rules.iter().map(|rule| run_rule(rule, data)).collect();
    }
    let chunk = rules.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = rules
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|rule| run_rule(rule, data)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .zip(rules.chunks(chunk))
            .flat_map(|(handle, part)| {
                handle.join().unwrap_or_else(|_| {
                    // cfn-guard panicked on some input; report it per rule rather than abort.
                    part.iter()
                        .map(|rule| {
                            Err(PolicyError::Eval {
                                code: rule.meta.code.clone(),
                                origin: rule.meta.origin.clone(),
                                reason: "cfn-guard panicked".to_string(),
                            })
                        })
                        .collect()
                })
            })
            .collect()
    })
}

/// Evaluates one rule file over the facts.
fn run_rule(rule: &Rule, data: &str) -> Result<RuleReport, PolicyError> {
    let eval_err =
        |reason: String| PolicyError::Eval { code: rule.meta.code.clone(), origin: rule.meta.origin.clone(), reason };
    let json = run_guard(&rule.source, data).map_err(eval_err)?;
    let report: Value = serde_json::from_str(&json).map_err(|e| eval_err(e.to_string()))?;
    // Payload mode answers with one report per data document; there is exactly one.
    let report = match report {
        Value::Array(mut reports) if reports.len() == 1 => reports.remove(0),
        Value::Array(reports) if reports.is_empty() => return Ok(RuleReport::default()),
        other => other,
    };
    Ok(read_report(&report))
}

/// Runs cfn-guard's validate command in payload mode with in-memory reader and writers, and
/// returns its structured JSON report.
///
/// Not `cfn_guard::run_checks`: in 3.2.1 it returns `BufWriter::buffer()`, i.e. only the part of
/// the report not yet flushed, so any report over 8 KiB (about ten failing throughputs) comes back
/// as its unparseable tail. Payload mode writes straight into a `Vec`, and its stderr (parse
/// errors, notices) goes to a second `Vec`, so nothing reaches the terminal.
fn run_guard(rules: &str, data: &str) -> Result<String, String> {
    use cfn_guard::commands::validate::{OutputFormatType, ShowSummaryType};
    use cfn_guard::commands::Executable;
    use cfn_guard::utils::reader::{ReadBuffer, Reader};
    use cfn_guard::utils::writer::{WriteBuffer, Writer};
    use cfn_guard::CommandBuilder;

    let payload = serde_json::json!({ "rules": [rules], "data": [data] }).to_string();
    let mut reader = Reader::new(ReadBuffer::Cursor(std::io::Cursor::new(payload.into_bytes())));
    let mut writer =
        Writer::new_with_err(WriteBuffer::Vec(Vec::new()), WriteBuffer::Vec(Vec::new())).map_err(|e| e.to_string())?;
    let status = cfn_guard::ValidateBuilder::default()
        .payload(true)
        .structured(true)
        .output_format(OutputFormatType::JSON)
        .show_summary(vec![ShowSummaryType::None])
        .try_build()
        .and_then(|command| command.execute(&mut writer, &mut reader))
        .map_err(|e| e.to_string())?;
    // 0 = all passed, 19 = some rule failed; anything else (5) means the rules did not parse,
    // and the reason is on the error writer.
    if status != 0 && status != 19 {
        let reason = writer.err_to_stripped().map_err(|e| e.to_string())?;
        return Err(reason.trim().to_string());
    }
    writer.into_string().map_err(|e| e.to_string())
}

/// Reads cfn-guard's JSON report without depending on its (private) types: any object with
/// `messages` but no `checks` is a failing clause (Binary, Unary, Block...), anything else is
/// walked into, so new or nested variants (Disjunctions, called Rules) are still found.
fn read_report(report: &Value) -> RuleReport {
    let mut out = RuleReport::default();
    let names = |key: &str| {
        report
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    for name in names("compliant") {
        out.statuses.insert(name, "PASS".into());
    }
    for name in names("not_applicable") {
        out.statuses.insert(name, "SKIP".into());
    }
    for failed in report.get("not_compliant").and_then(Value::as_array).into_iter().flatten() {
        if let Some(name) = failed.pointer("/Rule/name").and_then(Value::as_str) {
            out.statuses.insert(name.to_string(), "FAIL".into());
        }
        collect_clauses(failed, &mut out.failures);
    }
    out
}

fn collect_clauses(node: &Value, failures: &mut BTreeMap<usize, ClauseMessages>) {
    match node {
        Value::Object(map) if map.contains_key("messages") && !map.contains_key("checks") => {
            // A clause that cannot be tied to one throughput (a rule about `policy`, say)
            // has no node to point at, so it is dropped rather than guessed.
            let Some(pt) = throughput_of(node) else {
                return;
            };
            let entry = failures.entry(pt).or_default();
            let text = |key: &str| {
                map.get("messages")
                    .and_then(|m| m.get(key))
                    .and_then(Value::as_str)
                    .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|s| !s.is_empty())
            };
            if let Some(custom) = text("custom_message") {
                if !entry.custom.contains(&custom) {
                    entry.custom.push(custom);
                }
            }
            if entry.fallback.is_none() {
                entry.fallback = text("error_message").map(|t| strip_locations(&t));
            }
        }
        Value::Object(map) => map.values().for_each(|v| collect_clauses(v, failures)),
        Value::Array(items) => items.iter().for_each(|v| collect_clauses(v, failures)),
        _ => {}
    }
}

/// The throughput a failing clause is about: the first `/throughputs/<N>` JSON pointer among
/// its paths (the checked value comes before the value it is compared with), else one quoted
/// in Guard's error text.
fn throughput_of(clause: &Value) -> Option<usize> {
    fn first_path(node: &Value) -> Option<usize> {
        match node {
            Value::Object(map) => {
                if let Some(index) = map.get("path").and_then(Value::as_str).and_then(pt_index) {
                    return Some(index);
                }
                map.iter().filter(|(key, _)| key.as_str() != "messages").find_map(|(_, v)| first_path(v))
            }
            Value::Array(items) => items.iter().find_map(first_path),
            _ => None,
        }
    }
    first_path(clause).or_else(|| {
        let text = clause.pointer("/messages/error_message")?.as_str()?;
        text.match_indices("Path=").find_map(|(at, _)| pt_index(&text[at + "Path=".len()..]))
    })
}

/// Drops Guard's `[L:0,C:51]` markers: they are positions in the facts document, which the user
/// never sees.
fn strip_locations(text: &str) -> String {
    let is_number = |n: &str| !n.is_empty() && n.chars().all(|ch| ch.is_ascii_digit());
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("[L:") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let marker = tail
            .find(']')
            .filter(|&end| tail[3..end].split_once(",C:").is_some_and(|(line, col)| is_number(line) && is_number(col)));
        match marker {
            Some(end) => rest = &tail[end + 1..],
            None => {
                out.push_str("[L:");
                rest = &tail[3..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `/throughputs/3/usage/observed_days` -> 3.
fn pt_index(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("/throughputs/")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest[digits.len()..].chars().next();
    if digits.is_empty() || !matches!(after, None | Some('/') | Some('[') | Some(' ')) {
        return None;
    }
    digits.parse().ok()
}

/// Checks that cfn-guard accepts a rule file, by running it over an empty document.
fn check_syntax(source: &str, origin: &str) -> Result<(), PolicyError> {
    run_guard(source, "{}").map(|_| ()).map_err(|reason| PolicyError::Parse { path: origin.to_string(), reason })
}

/// The `# Key: value` lines and the `# Docs:` block at the top of a rule file.
#[derive(Debug, Default)]
struct Header {
    fields: BTreeMap<String, String>,
    docs: Vec<String>,
}

const HEADER_KEYS: &[&str] = &["code", "name", "level", "reports on", "summary", "help", "docs"];

fn parse_header(source: &str) -> Header {
    let mut header = Header::default();
    let mut in_docs = false;
    for line in source.lines().skip_while(|l| l.trim().is_empty()) {
        let Some(comment) = line.trim_start().strip_prefix('#') else {
            break;
        };
        let text = comment.strip_prefix(' ').unwrap_or(comment).trim_end();
        if in_docs {
            header.docs.push(text.to_string());
            continue;
        }
        let Some((key, value)) = text.split_once(':') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        if !HEADER_KEYS.contains(&key.as_str()) {
            continue;
        }
        let value = value.trim();
        if key == "docs" {
            in_docs = true;
            if !value.is_empty() {
                header.docs.push(value.to_string());
            }
        } else {
            header.fields.insert(key, value.to_string());
        }
    }
    while header.docs.last().is_some_and(|l| l.trim().is_empty()) {
        header.docs.pop();
    }
    header
}

fn default_meta(stem: &str, origin: &str) -> RuleMeta {
    RuleMeta {
        code: stem.to_ascii_uppercase(),
        name: stem.to_ascii_lowercase().replace('_', "-"),
        level: Level::Error,
        reports_on: Anchor::Resource,
        summary: String::new(),
        help: None,
        docs: String::new(),
        origin: origin.to_string(),
    }
}

fn parse_meta(source: &str, stem: &str, origin: &str) -> Result<RuleMeta, String> {
    let header = parse_header(source);
    let mut meta = default_meta(stem, origin);
    let field = |key: &str| header.fields.get(key).filter(|v| !v.is_empty());
    if let Some(code) = field("code") {
        meta.code = code.clone();
    }
    if let Some(name) = field("name") {
        meta.name = name.clone();
    }
    // Only the first word counts, so `# Level: error   (error | warning | note)` reads as `error`.
    let first_word = |key: &str| field(key).and_then(|v| v.split_whitespace().next());
    if let Some(level) = first_word("level") {
        meta.level =
            Level::parse(level).ok_or_else(|| format!("unknown level `{level}` (expected error, warning or note)"))?;
    }
    if let Some(anchor) = first_word("reports on") {
        meta.reports_on = Anchor::parse(anchor)
            .ok_or_else(|| format!("unknown `Reports on` value `{anchor}` (expected commitment, model or resource)"))?;
    }
    if let Some(summary) = field("summary") {
        meta.summary = summary.clone();
    }
    // A header value is one line; `\n` lets help show a multi-line snippet.
    meta.help = field("help").map(|h| h.replace("\\n", "\n"));
    meta.docs = header.docs.join("\n");
    Ok(meta)
}

/// Follows `a.b.0.c` through objects (and arrays, by index).
fn lookup<'a>(facts: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(facts, |node, key| match node {
        Value::Object(map) => map.get(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn render_value(value: Option<&Value>, filter: Option<&str>) -> String {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return "unknown".to_string();
    };
    let formatted = match filter {
        Some("usd") => scalar_text(value).and_then(|t| format_usd(&t)),
        Some("tokens") => scalar_text(value).and_then(|t| humanize_count(&t)),
        Some("percent") => scalar_text(value).and_then(|t| format_percent(&t)),
        Some("code") => Some(match value {
            Value::Array(items) if items.is_empty() => "none".to_string(),
            Value::Array(items) => items.iter().map(|v| format!("`{}`", plain(v))).collect::<Vec<_>>().join(", "),
            other => format!("`{}`", plain(other)),
        }),
        _ => None,
    };
    formatted.unwrap_or_else(|| plain(value))
}

fn plain(value: &Value) -> String {
    match value {
        Value::Null => "unknown".to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Splits a plain decimal (`-1234.567`) into sign, integer digits and fraction digits.
fn decimal_parts(text: &str) -> Option<(bool, &str, &str)> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    (!int.is_empty() && digits(int) && digits(frac)).then_some((negative, int, frac))
}

/// `36500` / `"36500.00"` -> `$36,500.00`, rounded half up on the decimal text (money never
/// goes through a float).
fn format_usd(text: &str) -> Option<String> {
    let (negative, int, frac) = decimal_parts(text)?;
    let mut cents: Vec<u8> =
        int.bytes().chain(frac.bytes().chain(std::iter::repeat(b'0')).take(2)).map(|b| b - b'0').collect();
    if frac.as_bytes().get(2).is_some_and(|d| *d >= b'5') {
        let mut i = cents.len();
        loop {
            if i == 0 {
                cents.insert(0, 1);
                break;
            }
            i -= 1;
            if cents[i] == 9 {
                cents[i] = 0;
            } else {
                cents[i] += 1;
                break;
            }
        }
    }
    let digits: String = cents.iter().map(|d| char::from(b'0' + d)).collect();
    let (int, frac) = digits.split_at(digits.len() - 2);
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if negative && digits.bytes().any(|b| b != b'0') { "-" } else { "" };
    Some(format!("{sign}${grouped}.{frac}"))
}

/// `6083333333` -> `6.08B`, `1500000` -> `1.5M`, `999` -> `999`.
fn humanize_count(text: &str) -> Option<String> {
    let (negative, int, _) = decimal_parts(text)?;
    if negative {
        return None;
    }
    let n: u128 = int.parse().ok()?;
    if n < 1_000 {
        return Some(n.to_string());
    }
    const UNITS: [(u128, &str); 4] = [(1_000_000_000_000, "T"), (1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")];
    for (unit, suffix) in UNITS {
        // Rounded to hundredths first, so 999,995,000 becomes `1B`, not `1000M`.
        let hundredths = (n * 100 + unit / 2) / unit;
        if hundredths >= 100 {
            let (whole, frac) = (hundredths / 100, hundredths % 100);
            return Some(match frac {
                0 => format!("{whole}{suffix}"),
                f if f % 10 == 0 => format!("{whole}.{}{suffix}", f / 10),
                f => format!("{whole}.{f:02}{suffix}"),
            });
        }
    }
    Some(n.to_string())
}

/// `"0.40"` -> `40%`, `"0.125"` -> `12.5%` (a ratio, shifted on the decimal text).
fn format_percent(text: &str) -> Option<String> {
    let (negative, int, frac) = decimal_parts(text)?;
    let padded: String = frac.chars().chain(std::iter::repeat('0')).take(2).collect();
    let whole = format!("{int}{padded}");
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let rest = frac.get(2..).unwrap_or("").trim_end_matches('0');
    let sign = if negative { "-" } else { "" };
    Some(if rest.is_empty() { format!("{sign}{whole}%") } else { format!("{sign}{whole}.{rest}%") })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    /// `rules/` of this crate. `file!()` is `src/policy.rs` relative to the manifest here, or an
    /// absolute path when the file is compiled into another crate through `#[path]`.
    fn rules_dir() -> PathBuf {
        let this_file = Path::new(file!());
        let crate_dir = this_file.parent().and_then(Path::parent).unwrap_or(Path::new(""));
        Path::new(env!("CARGO_MANIFEST_DIR")).join(crate_dir).join("rules")
    }

    #[derive(Debug, Deserialize)]
    struct TestCase {
        name: String,
        input: Value,
        expectations: Expectations,
    }

    #[derive(Debug, Deserialize)]
    struct Expectations {
        rules: BTreeMap<String, String>,
    }

    fn builtin_rule(code: &str) -> RuleSet {
        let all = RuleSet::builtin();
        let rule = all.find(code).expect("built-in rule").clone();
        RuleSet { rules: vec![rule] }
    }

    /// A PT every built-in rule passes.
    fn healthy_pt(resource: &str) -> Value {
        json!({
            "resource": resource, "file": "infra/plan.json", "line": 12,
            "resource_type": "aws_bedrock_provisioned_model_throughput", "shape": "terraform",
            "model": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0:200k",
            "model_kind": "foundation", "base_model": "anthropic.claude-3-5-sonnet-20240620-v1:0:200k",
            "model_units": 2, "commitment": "SixMonths", "region": "us-east-1", "tags": {},
            "plan_action": "create",
            "cost": {"priced": true, "hourly_rate": "25.00", "hourly_cost": "50.00",
                     "monthly_cost": "36500.00", "commitment_total": "219000.00",
                     "rate_source": "config", "config_snippet": "pricing: []"},
            "budgets": {"count": 1, "covering": ["HostingBudget"], "monthly_limit": "40000.00",
                        "covered_monthly_cost": "36500.00", "limit_below_cost": false},
            "usage": {"present": true, "observed_days": 120, "required_days": 90,
                      "days_sufficient": true, "monthly_input_tokens": 9000000000_u64,
                      "monthly_output_tokens": 1800000000_u64, "on_demand_monthly_cost": "54000.00",
                      "break_even_input_tokens": 6083333333_u64,
                      "break_even_output_tokens": 1216666666_u64, "below_break_even": false,
                      "utilization": "0.80", "utilization_low": false, "source": "config"},
            "alarms": {"low_utilization": 1, "other_bedrock": 0, "names": ["ChatIdleAlarm"]}
        })
    }

    fn facts(pts: Vec<Value>) -> Value {
        json!({"policy": {"min_observed_days": {"OneMonth": 30, "SixMonths": 90}}, "throughputs": pts})
    }

    /// Runs every case of every `rules/tests/*_tests.yaml` through the same path as `evaluate`,
    /// so `cargo test` and `cfn-guard test` check the same expectations.
    #[test]
    fn guard_test_files_pass() {
        let tests_dir = rules_dir().join("tests");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&tests_dir)
            .expect("rules/tests")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.to_string_lossy().ends_with("_tests.yaml"))
            .collect();
        files.sort();
        assert!(files.len() >= BUILTIN.len(), "too few test files in {tests_dir:?}");
        let mut problems = Vec::new();
        let mut cases_run = 0;
        for file in files {
            let stem = file
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix("_tests.yaml"))
                .expect("test file name")
                .to_string();
            let guard_path = rules_dir().join(format!("{stem}.guard"));
            let source = std::fs::read_to_string(&guard_path).expect("rule file for tests file");
            let meta = parse_meta(&source, &stem, BUILTIN_ORIGIN).expect("header");
            let rules = RuleSet { rules: vec![Rule { meta, source }] };
            let text = std::fs::read_to_string(&file).expect("tests file");
            let cases: Vec<TestCase> = serde_yaml::from_str(&text).expect("tests yaml");
            for case in cases {
                cases_run += 1;
                let data = case.input.to_string();
                let report = run_rule(&rules.rules[0], &data).expect("guard runs");
                let violations = evaluate(&rules, &case.input).expect("evaluate");
                for (guard_rule, expected) in &case.expectations.rules {
                    let got = report.statuses.get(guard_rule).map(String::as_str);
                    if got != Some(expected.as_str()) {
                        problems
                            .push(format!("{stem}: `{}`: {guard_rule} expected {expected}, got {got:?}", case.name));
                    }
                    let failed = expected == "FAIL";
                    if failed == violations.is_empty() {
                        problems.push(format!(
                            "{stem}: `{}`: expected {expected}, evaluate gave {violations:?}",
                            case.name
                        ));
                    }
                }
                for v in &violations {
                    if v.message.is_empty() || v.message.contains('{') || v.message.contains('}') {
                        problems.push(format!("{stem}: `{}`: bad message {:?}", case.name, v.message));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert!(cases_run >= 4 * BUILTIN.len());
    }

    #[test]
    fn builtin_headers_are_complete() {
        let rules = RuleSet::builtin();
        assert_eq!(rules.rules.len(), BUILTIN.len());
        let mut codes = std::collections::BTreeSet::new();
        let mut names = std::collections::BTreeSet::new();
        for ((stem, source), rule) in BUILTIN.iter().zip(&rules.rules) {
            let meta = parse_meta(source, stem, BUILTIN_ORIGIN).expect("built-in header parses");
            assert_eq!(&meta, &rule.meta);
            let code = &meta.code;
            assert!(
                code.len() == 5 && code.starts_with("PT") && code[2..].chars().all(|c| c.is_ascii_digit()),
                "{stem}: code {code}"
            );
            assert!(codes.insert(code.clone()), "duplicate code {code}");
            assert!(names.insert(meta.name.clone()), "duplicate name {}", meta.name);
            let name = &meta.name;
            assert!(
                !name.is_empty()
                    && name
                        .split('-')
                        .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{stem}: name `{name}` is not kebab-case"
            );
            for banned in ["avoid-", "prefer-", "use-", "disallow-"] {
                assert!(!name.starts_with(banned), "{stem}: name `{name}` names the fix");
            }
            assert!(meta.docs.contains("## What it does"), "{stem}: docs");
            assert!(meta.docs.contains("## Why is this bad?"), "{stem}: docs");
            assert!(meta.docs.contains("## Example"), "{stem}: docs");
            assert!(!meta.summary.is_empty(), "{stem}: summary");
            assert!(meta.help.is_some(), "{stem}: help");
            assert_eq!(meta.origin, "built-in");
            let tests = rules_dir().join("tests").join(format!("{stem}_tests.yaml"));
            assert!(tests.is_file(), "{stem}: missing {tests:?}");
            // One Guard rule per file, so the tests file's expectation names it.
            let guard_rules: Vec<&str> = source.lines().filter_map(|l| l.strip_prefix("rule ")).collect();
            assert_eq!(guard_rules.len(), 1, "{stem}: one Guard rule per file");
        }
        let expected: Vec<String> = (1..=7).map(|n| format!("PT{n:03}")).collect();
        assert_eq!(codes.into_iter().collect::<Vec<_>>(), expected);
        let pt006 = rules.find("PT006").expect("PT006");
        assert_eq!(pt006.meta.name, "nonexistent-provisioned-throughput-type");
        assert_eq!(pt006.meta.reports_on, Anchor::Resource);
        assert_eq!(rules.find("pt003").map(|r| r.meta.level), Some(Level::Error));
        assert_eq!(rules.find("Missing-Utilization-Alarm").map(|r| r.meta.code.as_str()), Some("PT005"));
        assert_eq!(rules.find("PT004").map(|r| r.meta.reports_on), Some(Anchor::Commitment));
        assert_eq!(rules.find("commitment_without_usage_evidence").map(|r| r.meta.code.as_str()), Some("PT003"));
        assert!(rules.find("PT999").is_none());
    }

    #[test]
    fn worked_example_pt004_message() {
        let mut pt = healthy_pt("aws_bedrock_provisioned_model_throughput.chat");
        pt["usage"] = json!({
            "present": true, "observed_days": 120, "required_days": 90, "days_sufficient": true,
            "monthly_input_tokens": 3000000000_u64, "monthly_output_tokens": 600000000_u64,
            "on_demand_monthly_cost": "18000.00", "break_even_input_tokens": 6083333333_u64,
            "break_even_output_tokens": 1216666666_u64, "below_break_even": true,
            "utilization": null, "utilization_low": null, "source": "config"
        });
        let rules = RuleSet::builtin();
        let violations = evaluate(&rules, &facts(vec![pt])).expect("evaluate");
        let codes: Vec<&str> = violations.iter().map(|v| rules.rules[v.rule].meta.code.as_str()).collect();
        assert_eq!(codes, ["PT004"]);
        let message = &violations[0].message;
        for needle in ["$18,000.00", "$36,500.00", "6.08B", "1.22B", "break-even", "`SixMonths`"] {
            assert!(message.contains(needle), "{needle} missing from {message}");
        }
        assert!(message.starts_with("commitment `SixMonths` on `aws_bedrock_provisioned_model_throughput.chat`"));
        assert!(!message.contains("days of usage evidence"), "days were sufficient: {message}");
        let help = violations[0].help.as_deref().expect("help");
        assert!(help.contains("`aws_bedrock_provisioned_model_throughput.chat`"), "{help}");
    }

    #[test]
    fn failures_map_to_throughputs_and_sort() {
        let ok = healthy_pt("ok");
        let mut short = healthy_pt("short");
        short["usage"]["observed_days"] = json!(10);
        short["usage"]["utilization_low"] = json!(true);
        short["usage"]["utilization"] = json!("0.05");
        short["alarms"] = json!({"low_utilization": 0, "other_bedrock": 2, "names": ["A", "B"]});
        let mut gone = healthy_pt("gone");
        gone["plan_action"] = json!("delete");
        gone["cost"]["priced"] = json!(false);
        let mut custom = healthy_pt("custom");
        custom["model_kind"] = json!("custom");
        custom["plan_action"] = json!(null);
        custom["commitment"] = json!(null);
        custom["model_units"] = json!(null);
        custom["budgets"] = json!({"count": 0, "covering": [], "monthly_limit": null,
                                   "covered_monthly_cost": null, "limit_below_cost": null});
        let rules = RuleSet::builtin();
        let doc = facts(vec![ok, short, gone, custom]);
        let violations = evaluate(&rules, &doc).expect("evaluate");
        let got: Vec<(usize, &str)> =
            violations.iter().map(|v| (v.throughput, rules.rules[v.rule].meta.code.as_str())).collect();
        assert_eq!(got, [(1, "PT004"), (1, "PT005"), (3, "PT001")]);
        // Two clauses of PT004 failed for `short`: both conditions are named, once each.
        let pt004 = &violations[0].message;
        assert_eq!(pt004.matches("; ").count(), 1, "{pt004}");
        assert!(pt004.contains("rests on 10 days of usage evidence, fewer than the 90"), "{pt004}");
        assert!(pt004.contains("measured utilization is 5%"), "{pt004}");
        let pt005 = &violations[1].message;
        assert!(pt005.contains("only throttle/high-usage alarms watch it (`A`, `B`)"), "{pt005}");
        assert!(violations[2].message.starts_with("`custom` serves custom model"), "{}", violations[2].message);
    }

    #[test]
    fn pt005_message_without_other_alarms() {
        let mut pt = healthy_pt("lonely");
        pt["alarms"] = json!({"low_utilization": 0, "other_bedrock": 0, "names": []});
        let violations = evaluate(&builtin_rule("PT005"), &facts(vec![pt])).expect("evaluate");
        assert_eq!(violations.len(), 1);
        assert_eq!(
            violations[0].message,
            "no CloudWatch alarm watches the utilization of `lonely`, so idle capacity at $36,500.00/month goes unnoticed"
        );
    }

    #[test]
    fn pt007_help_shows_config_snippet() {
        let mut pt = healthy_pt("mystery");
        pt["cost"] = json!({"priced": false, "hourly_rate": null, "hourly_cost": null,
                            "monthly_cost": null, "commitment_total": null, "rate_source": null,
                            "config_snippet": "pricing:\n  - model: x\n"});
        let violations = evaluate(&builtin_rule("unpriced-throughput"), &facts(vec![pt])).expect("evaluate");
        assert_eq!(violations.len(), 1);
        assert_eq!(
            violations[0].help.as_deref(),
            Some("add the rate (negotiated or published) to `.ptlint.yaml`:\npricing:\n  - model: x\n")
        );
    }

    #[test]
    fn empty_and_missing_throughputs_give_nothing() {
        let rules = RuleSet::builtin();
        assert!(evaluate(&rules, &facts(vec![])).expect("evaluate").is_empty());
        assert!(evaluate(&rules, &json!({})).expect("evaluate").is_empty());
    }

    #[test]
    fn user_rules_from_a_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("acme_team_tag.guard"),
            "# Code: ACME001\n# Name: throughput-without-team-tag\n# Level: warning\n\
             # Reports on: resource\n# Summary: a PT has no `team` tag\n# Docs:\n# ## What it does\n\
             # Flags PTs without a team tag.\n\n\
             rule acme_team_tag {\n  throughputs[*] {\n    tags.team exists << `{resource}` has no `team` tag >>\n  }\n}\n",
        )
        .expect("write");
        std::fs::write(
            dir.path().join("big_units.guard"),
            "# keep PTs small\nrule big_units {\n  throughputs[ model_units is_int ] {\n    model_units <= 4\n  }\n}\n",
        )
        .expect("write");
        std::fs::write(dir.path().join("notes.txt"), "not a rule").expect("write");
        let mut rules = RuleSet::builtin();
        rules.load_dir(dir.path()).expect("load");
        assert_eq!(rules.rules.len(), BUILTIN.len() + 2);

        let acme = rules.find("acme001").expect("by code");
        assert_eq!(acme.meta.name, "throughput-without-team-tag");
        assert_eq!(acme.meta.level, Level::Warning);
        assert_eq!(acme.meta.docs, "## What it does\nFlags PTs without a team tag.");
        assert!(acme.meta.origin.ends_with("acme_team_tag.guard"));
        let big = rules.find("big-units").expect("by name from file stem");
        assert_eq!(big.meta.code, "BIG_UNITS");
        assert_eq!(big.meta.level, Level::Error);
        assert_eq!(big.meta.reports_on, Anchor::Resource);
        assert!(big.meta.help.is_none());

        let mut pt = healthy_pt("huge");
        pt["model_units"] = json!(8);
        pt["tags"] = json!({"owner": "x"});
        let violations = evaluate(&rules, &facts(vec![pt])).expect("evaluate");
        let by_code: Vec<(&str, &str)> =
            violations.iter().map(|v| (rules.rules[v.rule].meta.code.as_str(), v.message.as_str())).collect();
        assert_eq!(by_code.len(), 2, "{by_code:?}");
        assert_eq!(by_code[0], ("ACME001", "`huge` has no `team` tag"));
        // Headerless and without `<< >>`: Guard's own text, so the user still learns why.
        assert_eq!(by_code[1].0, "BIG_UNITS");
        assert!(by_code[1].1.contains("/throughputs/0/model_units"), "{}", by_code[1].1);
        assert!(!by_code[1].1.contains("[L:"), "{}", by_code[1].1);
    }

    #[test]
    fn user_rule_errors_name_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("broken.guard"), "rule broken {\n  throughputs[*] {\n    model_units <=\n")
            .expect("write");
        let err = RuleSet::builtin().load_dir(dir.path()).expect_err("parse error");
        assert!(matches!(err, PolicyError::Parse { .. }), "{err:?}");
        assert!(err.to_string().contains("broken.guard"), "{err}");

        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("loud.guard"), "# Level: fatal\nrule loud { throughputs exists }\n")
            .expect("write");
        let err = RuleSet::builtin().load_dir(dir.path()).expect_err("bad level");
        assert!(matches!(err, PolicyError::Header { .. }), "{err:?}");
        assert!(err.to_string().contains("loud.guard") && err.to_string().contains("fatal"), "{err}");

        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("mine.guard"), "# Code: PT001\nrule mine { throughputs exists }\n")
            .expect("write");
        let err = RuleSet::builtin().load_dir(dir.path()).expect_err("duplicate");
        assert!(matches!(err, PolicyError::Duplicate { .. }), "{err:?}");

        let err = RuleSet::builtin().load_dir(&dir.path().join("nope")).expect_err("missing dir");
        assert!(matches!(err, PolicyError::Read { .. }), "{err:?}");
    }

    #[test]
    fn templates_render_facts() {
        let pt = json!({
            "resource": "chat", "model_units": 2, "commitment": null,
            "cost": {"monthly_cost": "36500.00", "odd": "1234567.895", "tiny": "0.004", "neg": "-1500.5"},
            "usage": {"break_even_input_tokens": 6083333333_u64, "small": 999, "edge": 999995000,
                      "flat": 3000000000_u64, "half": 1500000, "utilization": "0.40", "u2": "0.125"},
            "budgets": {"covering": ["A", "B"], "none": []},
            "flag": true
        });
        let cases = [
            ("`{resource}` has {model_units} MUs", "`chat` has 2 MUs"),
            ("{cost.monthly_cost|usd}", "$36,500.00"),
            ("{cost.odd|usd} {cost.tiny|usd} {cost.neg|usd}", "$1,234,567.90 $0.00 -$1,500.50"),
            ("{model_units|usd}", "$2.00"),
            ("{usage.break_even_input_tokens|tokens}", "6.08B"),
            ("{usage.small|tokens} {usage.edge|tokens} {usage.flat|tokens} {usage.half|tokens}", "999 1B 3B 1.5M"),
            ("{usage.utilization|percent} {usage.u2|percent}", "40% 12.5%"),
            ("{budgets.covering} / {budgets.covering|code} / {budgets.none|code}", "A, B / `A`, `B` / none"),
            ("{commitment} {missing.path} {cost.missing|usd} {usage|tokens}", "unknown unknown unknown {\"break_even_input_tokens\":6083333333,\"edge\":999995000,\"flat\":3000000000,\"half\":1500000,\"small\":999,\"u2\":\"0.125\",\"utilization\":\"0.40\"}"),
            ("{resource|nosuchfilter} {flag}", "chat true"),
            ("literal {braces with spaces} and {} and {", "literal {braces with spaces} and {} and {"),
            ("{cost.monthly_cost", "{cost.monthly_cost"),
        ];
        for (template, expected) in cases {
            let got = render_template(template, &pt);
            // Map key order depends on serde_json's `preserve_order`, which cfn-guard switches on.
            if template.contains("{usage|tokens}") {
                assert!(got.starts_with("unknown unknown unknown {"), "{got}");
                continue;
            }
            assert_eq!(got, expected, "template {template}");
        }
        assert_eq!(render_template("{resource}", &Value::Null), "unknown");
    }

    #[test]
    fn header_parsing() {
        let source = "\n# Code: X1\n# Some other comment: ignored\n# name: lower-key\n# Help: one\\ntwo\n# Docs: first\n#\n# ## What it does\n#   indented\n\nrule x { a exists }\n# Code: not header\n";
        let meta = parse_meta(source, "file_stem", "f.guard").expect("meta");
        assert_eq!(meta.code, "X1");
        assert_eq!(meta.name, "lower-key");
        assert_eq!(meta.help.as_deref(), Some("one\ntwo"));
        assert_eq!(meta.docs, "first\n\n## What it does\n  indented");
        assert_eq!(meta.level, Level::Error);
        assert!(parse_meta("# Reports on: nowhere\n", "s", "o").is_err());
        let meta = parse_meta(
            "# Level: warning   (error | warning | note)\n# Reports on: commitment (commitment | model | resource)\n",
            "s",
            "o",
        )
        .expect("parenthetical after the value");
        assert_eq!((meta.level, meta.reports_on), (Level::Warning, Anchor::Commitment));
        assert_eq!(
            strip_locations("[Path=/throughputs/0/tags[L:0,C:51] Value={}] [L:x] [L:1,C:]"),
            "[Path=/throughputs/0/tags Value={}] [L:x] [L:1,C:]"
        );
    }

    /// Recorded report shapes: a Disjunction whose first clause has no message, an unresolved
    /// clause that only reaches `/throughputs/<N>`, a Block, a nested named-rule call, and a
    /// clause that points nowhere.
    #[test]
    fn report_parsing_tolerates_variants() {
        let report = json!({
            "name": "facts.json", "metadata": {}, "status": "FAIL",
            "not_compliant": [{"Rule": {"name": "r", "metadata": {}, "messages": {"custom_message": null, "error_message": null},
              "checks": [
                {"Disjunctions": {"checks": [
                  {"Clause": {"Unary": {"context": "x", "messages": {"custom_message": "", "error_message": "e"},
                     "check": {"Resolved": {"value": {"path": "/throughputs/2/usage/below_break_even", "value": true}, "comparison": ["IsBool", true]}}}}},
                  {"Clause": {"Binary": {"context": "x", "messages": {"custom_message": "  below\n   break-even ", "error_message": "e"},
                     "check": {"Resolved": {"from": {"path": "/throughputs/2/usage/below_break_even", "value": true},
                                            "to": {"path": "", "value": true}, "comparison": ["Eq", true]}}}}}]}},
                {"Clause": {"Binary": {"context": "x", "messages": {"custom_message": null, "error_message": "missing"},
                   "check": {"UnResolved": {"value": {"traversed_to": {"path": "/throughputs/11", "value": {}},
                             "remaining_query": "cost.priced", "reason": "r"}, "comparison": ["Eq", false]}}}}},
                {"Block": {"context": "b", "messages": {"custom_message": "block msg", "error_message": null},
                   "unresolved": {"traversed_to": {"path": "/throughputs/5/alarms", "value": {}}, "remaining_query": "x", "reason": "r"}}},
                {"Rule": {"name": "inner", "metadata": {}, "messages": {"custom_message": null, "error_message": null},
                  "checks": [{"Clause": {"Binary": {"context": "x", "messages": {"custom_message": "inner msg", "error_message": "e"},
                    "check": {"InResolved": {"from": {"path": "/throughputs/2/commitment", "value": "SixMonths"},
                                             "to": [{"path": "", "value": "OneMonth"}], "comparison": ["In", false]}}}}}]}},
                {"Clause": {"Binary": {"context": "x", "messages": {"custom_message": "policy only", "error_message": "e"},
                   "check": {"Resolved": {"from": {"path": "/policy/min_observed_days/SixMonths", "value": 90},
                                          "to": {"path": "", "value": 100}, "comparison": ["Ge", false]}}}}},
                {"Clause": {"Unary": {"context": "x", "messages": {"custom_message": null,
                   "error_message": "Check was not compliant as property [Path=/throughputs/7/tags[L:0,C:0]] was empty"},
                   "check": {"UnResolvedContext": "tags"}}}}
              ]}}],
            "not_applicable": ["s"], "compliant": ["p"]
        });
        let out = read_report(&report);
        assert_eq!(out.statuses.get("r").map(String::as_str), Some("FAIL"));
        assert_eq!(out.statuses.get("s").map(String::as_str), Some("SKIP"));
        assert_eq!(out.statuses.get("p").map(String::as_str), Some("PASS"));
        assert_eq!(out.failures.keys().copied().collect::<Vec<_>>(), [2, 5, 7, 11]);
        assert_eq!(out.failures[&2].custom, ["below break-even", "inner msg"]);
        assert_eq!(out.failures[&5].custom, ["block msg"]);
        assert!(out.failures[&11].custom.is_empty());
        assert_eq!(out.failures[&11].fallback.as_deref(), Some("missing"));
        assert!(out.failures[&7].fallback.as_deref().is_some_and(|f| f.contains("/throughputs/7/")));
        assert_eq!(pt_index("/throughputs/12x"), None);
        assert_eq!(pt_index("/throughputs/"), None);
        assert_eq!(pt_index("/throughputs/3[L:0,C:0]"), Some(3));
    }
}
