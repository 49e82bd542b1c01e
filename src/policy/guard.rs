//! Running cfn-guard in-process over the facts document and reading its JSON report into failures per throughput.

use super::{PolicyError, Rule};
use crate::source::read::excerpt;
use serde_json::Value;
use std::collections::BTreeMap;

/// How one rule came out over one facts document.
#[derive(Debug, Default)]
pub(super) struct RuleReport {
    /// Status of each Guard rule in the file (`PASS`, `FAIL`, `SKIP`), by Guard rule name.
    pub(super) statuses: BTreeMap<String, String>,
    /// Failing clauses grouped by throughput index.
    pub(super) failures: BTreeMap<usize, ClauseMessages>,
}

#[derive(Debug, Default, Clone)]
pub(super) struct ClauseMessages {
    /// Distinct non-empty `<< >>` templates, in report order.
    pub(super) custom: Vec<String>,
    /// Guard's own text for the first failing clause, for rules without custom messages.
    pub(super) fallback: Option<String>,
    /// The fact the first failing clause checks, below its throughput (`offer/commitment_written`).
    pub(super) field: Option<String>,
}

/// Evaluates every rule over the facts, in rule order.
///
/// Reading the document dominates a cfn-guard call (about 90 ms for 500 throughputs against a few
/// ms of evaluation), so all rule files go into one call that reads the document once; its report
/// names each Guard rule, which maps back to its file. If two files declare the same Guard rule
/// name, or the joint call fails (a user rule that does not parse), each file runs on its own so
/// the result and any error are attributed to the right rule.
pub(super) fn run_rules(rules: &[Rule], data: &str) -> Vec<Result<RuleReport, PolicyError>> {
    if let Some(reports) = run_together(rules, data) {
        return reports.into_iter().map(Ok).collect();
    }
    run_separately(rules, data)
}

/// The Guard rule names a rule file declares (`rule <name> ...` at the start of a line).
fn guard_rule_names(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("rule "))
        .filter_map(|rest| rest.split(|c: char| !(c.is_alphanumeric() || c == '_')).next())
        .filter(|name| !name.is_empty())
        .collect()
}

/// One cfn-guard call for all rule files; `None` when that cannot be attributed per file.
fn run_together(rules: &[Rule], data: &str) -> Option<Vec<RuleReport>> {
    let mut owner: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, rule) in rules.iter().enumerate() {
        for name in guard_rule_names(&rule.source) {
            if owner.insert(name, index).is_some() {
                return None;
            }
        }
    }
    let sources: Vec<&str> = rules.iter().map(|r| r.source.as_str()).collect();
    let json = run_guard(&sources, data).ok()?;
    let report: Value = serde_json::from_str(&json).ok()?;
    let report = match report {
        Value::Array(mut reports) if reports.len() == 1 => reports.remove(0),
        Value::Array(reports) if reports.is_empty() => {
            return Some(rules.iter().map(|_| RuleReport::default()).collect())
        }
        other => other,
    };
    let mut reports: Vec<RuleReport> = rules.iter().map(|_| RuleReport::default()).collect();
    let whole = read_report(&report);
    for (name, status) in whole.statuses {
        let index = *owner.get(name.as_str())?;
        reports[index].statuses.insert(name, status);
    }
    for failed in report.get("not_compliant").and_then(Value::as_array).into_iter().flatten() {
        let name = failed.pointer("/Rule/name").and_then(Value::as_str)?;
        collect_clauses(failed, &mut reports[*owner.get(name)?].failures);
    }
    Some(reports)
}

/// Evaluates each rule file in its own cfn-guard call, spread over the available cores.
pub(super) fn run_separately(rules: &[Rule], data: &str) -> Vec<Result<RuleReport, PolicyError>> {
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
pub(super) fn run_rule(rule: &Rule, data: &str) -> Result<RuleReport, PolicyError> {
    let eval_err =
        |reason: String| PolicyError::Eval { code: rule.meta.code.clone(), origin: rule.meta.origin.clone(), reason };
    let json = run_guard(&[rule.source.as_str()], data).map_err(eval_err)?;
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
fn run_guard(rules: &[&str], data: &str) -> Result<String, String> {
    use cfn_guard::commands::validate::{OutputFormatType, ShowSummaryType};
    use cfn_guard::commands::Executable;
    use cfn_guard::utils::reader::{ReadBuffer, Reader};
    use cfn_guard::utils::writer::{WriteBuffer, Writer};
    use cfn_guard::CommandBuilder;

    let payload = serde_json::json!({ "rules": rules, "data": [data] }).to_string();
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
pub(super) fn read_report(report: &Value) -> RuleReport {
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
            if entry.field.is_none() {
                entry.field = field_of(node);
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

/// The fact a failing clause checks: the first `/throughputs/<N>/<field>` pointer among its paths,
/// without the index (`/throughputs/3/offer/commitment_written` -> `offer/commitment_written`).
fn field_of(clause: &Value) -> Option<String> {
    match clause {
        Value::Object(map) => {
            let field = map.get("path").and_then(Value::as_str).and_then(|path| {
                let rest = path.strip_prefix("/throughputs/")?;
                let (_, field) = rest.split_once('/')?;
                Some(field.to_string())
            });
            field.or_else(|| map.iter().filter(|(key, _)| key.as_str() != "messages").find_map(|(_, v)| field_of(v)))
        }
        Value::Array(items) => items.iter().find_map(field_of),
        _ => None,
    }
}

/// Drops Guard's `[L:0,C:51]` markers: they are positions in the facts document, which the user
/// never sees.
pub(super) fn strip_locations(text: &str) -> String {
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
pub(super) fn pt_index(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("/throughputs/")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest[digits.len()..].chars().next();
    if digits.is_empty() || !matches!(after, None | Some('/') | Some('[') | Some(' ')) {
        return None;
    }
    digits.parse().ok()
}

/// Checks that cfn-guard accepts a rule file, by running it over an empty document.
pub(super) fn check_syntax(source: &str, origin: &str) -> Result<(), PolicyError> {
    run_guard(&[source], "{}").map(|_| ()).map_err(|reason| parse_error(source, origin, &reason))
}

/// cfn-guard's parse error, told by its position and a short excerpt of the line there: its own text repeats the
/// rest of the file from the error on, which may be anything a link pointed at.
fn parse_error(source: &str, origin: &str, reason: &str) -> PolicyError {
    // "... at line 2 at column 8, when handling ..."
    let number_after = |marker: &str| -> Option<usize> {
        let at = reason.find(marker)? + marker.len();
        reason[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
    };
    let (line, column) = (number_after("at line ").unwrap_or(0), number_after(" at column ").unwrap_or(0));
    let reason = match source.lines().nth(line.wrapping_sub(1)) {
        Some(text) if line > 0 => format!("line {line}, column {column}: `{}`", excerpt(text.trim())),
        _ => format!("cfn-guard says: {}", excerpt(reason)),
    };
    PolicyError::Parse { path: origin.to_string(), line, column, reason }
}
