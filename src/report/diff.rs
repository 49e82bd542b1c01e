//! The cost change (`--compare-to`, or a plan's own): a one-line answer, a table of changed PTs, and the JSON `diff`.

use super::format::{aligned, escape_data, plural, usd};
use super::text::{md_code, md_message, md_text, visible};
use crate::diff::{Aspect, Change, CostDiff, DiffTotals, Entry, Figures};
use crate::facts::format_money;
use crate::model::PlanAction;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn money(value: Option<Decimal>) -> Value {
    value.map_or(Value::Null, |d| Value::String(format_money(d)))
}

/// Money with its sign: `+$1,200.00`, `-$1,200.00`, `$0.00`.
fn signed(value: Decimal) -> String {
    if value > Decimal::ZERO {
        format!("+{}", usd(value))
    } else {
        usd(value)
    }
}

/// The sentence that answers "what does this change cost?"; `notes` says where the lines that say what is
/// missing for the unpriced PTs are.
pub fn headline(diff: &CostDiff, notes: &str) -> String {
    let t = diff.totals();
    let mut line = if t.monthly_change > Decimal::ZERO {
        format!("This change adds {}/month of standing Bedrock capacity", usd(t.monthly_change))
    } else if t.monthly_change < Decimal::ZERO {
        format!("This change removes {}/month of standing Bedrock capacity", usd(-t.monthly_change))
    } else {
        "This change leaves the standing cost of Bedrock capacity as it was".to_string()
    };
    line.push_str(&format!(" ({}/month before, {}/month after)", usd(t.monthly_before), usd(t.monthly_after)));
    if t.unknown_change > 0 {
        line.push_str(&format!(
            "; not included: {} whose cost change is unknown (unpriced: {notes} what is missing)",
            plural(t.unknown_change, "throughput", "throughputs"),
        ));
    }
    line.push('.');
    line
}

/// Shown where an unpriced PT's money would be; the lines under the table say what is missing.
const UNPRICED: &str = "unpriced";

/// One line per side of a PT whose cost change is unknown (the headline's count): what is missing and how to
/// supply it.
fn unpriced_notes(diff: &CostDiff) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    for entry in diff.entries.iter().filter(|e| e.monthly_change().is_none()) {
        for (side, figures) in [("before", &entry.before), ("after", &entry.after)] {
            let Some(figures) = figures.as_ref().filter(|f| f.monthly_cost.is_none()) else { continue };
            let reason = figures.unpriced_reason.as_deref().unwrap_or("the base report does not say why");
            let supply = figures.unpriced_supply.as_deref().map(|s| format!("; to price it, {s}")).unwrap_or_default();
            let note = visible(&format!("`{}` ({side}): {reason}{supply}", entry.resource())).into_owned();
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    notes
}

/// Where the text and Markdown reports say what is missing for unpriced PTs.
const UNDER_TABLE: &str = "the lines under the table say";

fn commitment_line(t: &DiffTotals) -> Option<String> {
    (t.commitment_change != Decimal::ZERO).then(|| {
        format!(
            "Committed terms: {} before, {} after ({})",
            usd(t.commitment_before),
            usd(t.commitment_after),
            signed(t.commitment_change)
        )
    })
}

fn short_model(model: &Option<String>) -> String {
    model.as_deref().map_or_else(|| "?".to_string(), |m| super::format::short_model(m).to_string())
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "?".to_string(), |v| v.to_string())
}

fn aspect_text(aspect: Aspect, before: &Figures, after: &Figures) -> String {
    match aspect {
        Aspect::ModelUnits => format!("units {} → {}", opt(before.model_units), opt(after.model_units)),
        Aspect::Commitment => format!("term {} → {}", opt(before.commitment), opt(after.commitment)),
        Aspect::Model => format!("model {} → {}", short_model(&before.model), short_model(&after.model)),
        Aspect::Region => format!("region {} → {}", opt(before.region.as_ref()), opt(after.region.as_ref())),
        Aspect::Price => format!(
            "rate {} → {} per MU-hour",
            before.hourly_rate.map_or_else(|| "no rate".to_string(), usd),
            after.hourly_rate.map_or_else(|| "no rate".to_string(), usd)
        ),
    }
}

/// What happened, in words: `units 2 → 4`, `new`, `replaced (units 2 → 4)`.
fn what_changed(entry: &Entry, diff: &CostDiff) -> String {
    let replaced = entry.plan_action == Some(PlanAction::Replace);
    // A replacement's halves share the resource: the other half holds the other side.
    let pair = || {
        diff.entries.iter().find(|other| {
            other.resource() == entry.resource() && other.file() == entry.file() && other.change != entry.change
        })
    };
    let details = match (&entry.before, &entry.after) {
        (Some(before), Some(after)) => Some((before, after)),
        (Some(before), None) if replaced => pair().and_then(|p| p.after.as_ref()).map(|after| (before, after)),
        (None, Some(after)) if replaced => pair().and_then(|p| p.before.as_ref()).map(|before| (before, after)),
        _ => None,
    };
    let list = details
        .map(|(b, a)| entry.aspects.iter().map(|x| aspect_text(*x, b, a)).collect::<Vec<_>>().join(", "))
        .unwrap_or_default();
    match (entry.change, replaced) {
        (Change::Removed, true) => format!("replaced: old PT removed ({list})"),
        (Change::Added, true) => format!("replaced: new PT added ({list})"),
        (Change::Added, false) => "new".to_string(),
        (Change::Removed, false) => "removed".to_string(),
        _ => list,
    }
}

fn side_cell(side: &Option<Figures>) -> String {
    match side {
        None => "-".to_string(),
        Some(figures) => figures.monthly_cost.map_or_else(|| UNPRICED.to_string(), usd),
    }
}

fn change_cell(value: Option<Decimal>) -> String {
    value.map_or_else(|| UNPRICED.to_string(), signed)
}

const HEADERS: [(&str, bool); 8] = [
    ("Change", false),
    ("Resource", false),
    ("Location", false),
    ("What changed", false),
    ("Monthly before", true),
    ("Monthly after", true),
    ("Monthly change", true),
    ("Commitment change", true),
];

/// The table's rows; the resource, location and what changed (model IDs, regions) hold text from the input,
/// shown with its control characters made visible.
fn rows(diff: &CostDiff) -> Vec<Vec<String>> {
    diff.changes()
        .map(|entry| {
            vec![
                entry.change.as_str().to_string(),
                visible(entry.resource()).into_owned(),
                match entry.line() {
                    0 => visible(entry.file()).into_owned(),
                    line => format!("{}:{line}", visible(entry.file())),
                },
                visible(&what_changed(entry, diff)).into_owned(),
                side_cell(&entry.before),
                side_cell(&entry.after),
                change_cell(entry.monthly_change()),
                change_cell(entry.commitment_change()),
            ]
        })
        .collect()
}

/// The base's input errors, one line each, with their control characters made visible.
fn base_errors(diff: &CostDiff) -> Vec<String> {
    diff.errors
        .iter()
        .map(|e| {
            let (file, message) = (visible(&e.file), visible(&e.message));
            match e.line {
                0 => format!("{file}: {message}"),
                line => format!("{file}:{line}:{}: {message}", e.column),
            }
        })
        .collect()
}

/// The cost change as plain text, for the human report and the cost table.
pub fn text_section(diff: &CostDiff) -> String {
    let t = diff.totals();
    let mut out = format!("Cost change against {}\n\n{}\n", visible(&diff.base), headline(diff, UNDER_TABLE));
    if let Some(line) = commitment_line(&t) {
        out.push_str(&format!("{line}\n"));
    }
    if let Some(runway) = &diff.runway {
        out.push_str(&format!("{}\n", super::credits::change_line(runway)));
    }
    let rows_now = rows(diff);
    if rows_now.is_empty() {
        out.push_str("No provisioned throughput was added, removed or changed.\n");
    } else {
        let mut table = vec![HEADERS.iter().map(|(h, _)| h.to_string()).collect()];
        table.extend(rows_now);
        let right: Vec<bool> = HEADERS.iter().map(|(_, r)| *r).collect();
        out.push('\n');
        out.push_str(&aligned(&table, &right));
    }
    let notes = unpriced_notes(diff);
    if !notes.is_empty() {
        out.push_str("\nUnpriced (not in the sums above):\n");
        for note in notes {
            out.push_str(&format!("  {note}\n"));
        }
    }
    for error in base_errors(diff) {
        out.push_str(&format!("\nBase not read: {error}\n"));
    }
    out
}

/// The cost change as Markdown, for a PR comment or job summary (no heading).
pub fn markdown_section(diff: &CostDiff) -> String {
    let t = diff.totals();
    let mut out = format!("**{}**\n", headline(diff, UNDER_TABLE));
    if let Some(line) = commitment_line(&t) {
        out.push_str(&format!("\n{line}\n"));
    }
    if let Some(runway) = &diff.runway {
        out.push_str(&format!("\n{}\n", super::text::md_message(&super::credits::change_line(runway), false)));
    }
    out.push_str(&format!("\nCompared with {}.\n", md_text(&diff.base, false)));
    let rows_now = rows(diff);
    if rows_now.is_empty() {
        out.push_str("\nNo provisioned throughput was added, removed or changed.\n");
    } else {
        let align: Vec<&str> = HEADERS.iter().map(|(_, r)| if *r { "---:" } else { "---" }).collect();
        let headers: Vec<&str> = HEADERS.iter().map(|(h, _)| *h).collect();
        out.push_str(&format!("\n| {} |\n|{}|\n", headers.join(" | "), align.join("|")));
        for row in rows_now {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(i, text)| match i {
                    1 | 2 => md_code(text, true),
                    3 => md_text(text, true),
                    _ => text.clone(),
                })
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }
    let notes = unpriced_notes(diff);
    if !notes.is_empty() {
        out.push_str("\n**Unpriced** (not in the sums above):\n\n");
        for note in notes {
            out.push_str(&format!("- {}\n", md_message(&note, false)));
        }
    }
    let errors = base_errors(diff);
    if !errors.is_empty() {
        out.push_str("\n**The base could not be read in full:**\n\n");
        for error in errors {
            out.push_str(&format!("- {}\n", md_message(&error, false)));
        }
    }
    out
}

/// The cost change as workflow commands: the answer as a notice, and base inputs that could not be read as
/// errors without a file (their lines are the base revision's, which the head's files do not have).
pub fn github_lines(diff: &CostDiff) -> String {
    let mut out =
        format!("::notice title=ptlint cost change::{}\n", escape_data(&headline(diff, "the notices below say")));
    for note in unpriced_notes(diff) {
        out.push_str(&format!("::notice title=ptlint unpriced::{}\n", escape_data(&note)));
    }
    if let Some(runway) = &diff.runway {
        let line = super::credits::change_line(runway);
        out.push_str(&format!("::notice title=ptlint credits::{}\n", escape_data(&line)));
    }
    for error in base_errors(diff) {
        out.push_str(&format!("::error title=ptlint base input error::{}\n", escape_data(&error)));
    }
    out
}

fn side_json(side: &Option<Figures>) -> Value {
    match side {
        None => Value::Null,
        Some(f) => {
            let mut side = json!({
                "model": f.model,
                "model_units": f.model_units,
                "commitment": f.commitment,
                "region": f.region,
                "hourly_rate": money(f.hourly_rate),
                "monthly_cost": money(f.monthly_cost),
                "commitment_total": money(f.commitment_total),
            });
            // Beside an unknown cost: why, and how to supply what is missing (where the user can).
            if let (None, Some(object)) = (f.monthly_cost, side.as_object_mut()) {
                for (key, text) in [("unpriced_reason", &f.unpriced_reason), ("unpriced_supply", &f.unpriced_supply)] {
                    if let Some(text) = text {
                        object.insert(key.to_string(), json!(text));
                    }
                }
            }
            side
        }
    }
}

/// The `diff` object of `--format json`.
pub fn json_value(diff: &CostDiff) -> Value {
    let t = diff.totals();
    let throughputs: Vec<Value> = diff
        .entries
        .iter()
        .map(|entry| {
            json!({
                "resource": entry.resource(),
                "file": entry.file(),
                "line": (entry.line() > 0).then(|| entry.line()),
                "change": entry.change.as_str(),
                "changed": entry.aspects.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
                "plan_action": entry.plan_action,
                "monthly_cost_before": money(entry.before.as_ref().and_then(|f| f.monthly_cost)),
                "monthly_cost_after": money(entry.after.as_ref().and_then(|f| f.monthly_cost)),
                "monthly_cost_change": money(entry.monthly_change()),
                "commitment_total_before": money(entry.before.as_ref().and_then(|f| f.commitment_total)),
                "commitment_total_after": money(entry.after.as_ref().and_then(|f| f.commitment_total)),
                "commitment_total_change": money(entry.commitment_change()),
                "before": side_json(&entry.before),
                "after": side_json(&entry.after),
            })
        })
        .collect();
    let mut value = json!({
        "base": diff.base,
        "monthly_cost_before": format_money(t.monthly_before),
        "monthly_cost_after": format_money(t.monthly_after),
        "monthly_cost_change": format_money(t.monthly_change),
        "commitment_total_before": format_money(t.commitment_before),
        "commitment_total_after": format_money(t.commitment_after),
        "commitment_total_change": format_money(t.commitment_change),
        "added_monthly_cost": format_money(t.added_monthly),
        "removed_monthly_cost": format_money(t.removed_monthly),
        "added": t.added,
        "removed": t.removed,
        "changed": t.changed,
        "unchanged": t.unchanged,
        "unpriced_before": t.unpriced_before,
        "unpriced_after": t.unpriced_after,
        "unknown_change": t.unknown_change,
        "throughputs": throughputs,
        "errors": diff.errors,
    });
    if let (Some(runway), Some(object)) = (&diff.runway, value.as_object_mut()) {
        let side = |credits: &crate::facts::CreditsFacts| {
            json!({
                "runway_months": credits.runway_months.map(|m| crate::credits::round_months(m).to_string()),
                "runs_out": credits.runs_out,
                "limited_by": credits.limited_by,
            })
        };
        object.insert("credits".to_string(), json!({"before": side(&runway.before), "after": side(&runway.after)}));
    }
    value
}
