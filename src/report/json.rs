//! `--format json`: the stable machine-readable contract (design.md), deterministic in order and bytes.

use crate::engine::Analysis;
use crate::facts::format_money;
use crate::finding::Level;
use serde_json::{json, Value};

/// Schema version of the JSON report.
pub const VERSION: u32 = 1;

fn money(value: Option<rust_decimal::Decimal>) -> Value {
    value.map_or(Value::Null, |d| Value::String(format_money(d)))
}

/// The `throughputs` array: one entry per PT with its cost.
pub fn throughputs(analysis: &Analysis) -> Vec<Value> {
    analysis
        .facts
        .throughputs
        .iter()
        .zip(&analysis.linked)
        .map(|(facts, linked)| {
            let pt = &analysis.files[linked.file].document.throughputs[linked.index];
            json!({
                "resource": facts.resource,
                "file": facts.file,
                "line": pt.span.line,
                "column": pt.span.column,
                "resource_type": facts.resource_type,
                "model": facts.model,
                "model_kind": facts.model_kind,
                "base_model": facts.base_model,
                "model_units": facts.model_units,
                "commitment": facts.commitment,
                "region": facts.region,
                "region_source": facts.region_source,
                "plan_action": facts.plan_action,
                "hourly_rate": money(facts.cost.hourly_rate),
                "monthly_cost": money(facts.cost.monthly_cost),
                "commitment_total": money(facts.cost.commitment_total),
                "rate_source": facts.cost.rate_source,
                "unpriced_reason": facts.cost.unpriced_reason,
            })
        })
        .collect()
}

/// The `summary` object: counts and the total standing cost.
pub fn summary(analysis: &Analysis) -> Value {
    let count = |level: Level| analysis.findings.iter().filter(|f| f.level == level).count();
    let priced: Vec<_> = analysis.facts.throughputs.iter().filter_map(|t| t.cost.monthly_cost).collect();
    json!({
        "files_scanned": analysis.files_seen,
        "files_parsed": analysis.files_parsed,
        "terraform_files_read": analysis.terraform_files_read,
        "throughputs": analysis.facts.throughputs.len(),
        "unpriced_throughputs": analysis.facts.throughputs.len() - priced.len(),
        "monthly_cost": format_money(priced.iter().copied().sum()),
        "findings": analysis.findings.len(),
        "errors": count(Level::Error),
        "warnings": count(Level::Warning),
        "notes": count(Level::Note),
        "input_errors": analysis.errors.len(),
    })
}

/// Render the whole report.
pub fn render(analysis: &Analysis) -> String {
    render_with_diff(analysis, None)
}

/// Render the whole report, with the cost change under `"diff"` when there is one.
pub fn render_with_diff(analysis: &Analysis, diff: Option<&crate::diff::CostDiff>) -> String {
    let findings: Vec<Value> = analysis
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule,
                "name": f.name,
                "level": f.level,
                "file": f.file,
                "line": f.span.line,
                "column": f.span.column,
                "end_line": f.span.end_line,
                "end_column": f.span.end_column,
                "resource": f.resource,
                "message": f.message,
                "help": f.help,
            })
        })
        .collect();
    let mut report = json!({
        "version": VERSION,
        "findings": findings,
        "throughputs": throughputs(analysis),
        "errors": analysis.errors,
        "summary": summary(analysis),
    });
    if let (Some(diff), Some(object)) = (diff, report.as_object_mut()) {
        object.insert("diff".to_string(), super::diff::json_value(diff));
    }
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
