//! `ptlint models`: the models table (offered, legacy, retired, unknown; regions; rates and their sources).

use crate::cli::RulesFormat;
use crate::offer::table::{ModelRow, ModelsTable, RateRow};
use crate::pricing::AppliesTo;

/// Render the table as text, Markdown or JSON.
pub fn render(table: &ModelsTable, format: RulesFormat) -> String {
    match format {
        RulesFormat::Table => text(table),
        RulesFormat::Markdown => markdown(table),
        RulesFormat::Json => {
            let mut json = serde_json::to_string_pretty(table).unwrap_or_default();
            json.push('\n');
            json
        }
    }
}

fn heading(table: &ModelsTable) -> String {
    let region = table.region.as_deref().map(|r| format!(" in {r}")).unwrap_or_default();
    format!(
        "Provisioned Throughput models{region}, judged on {} (AWS's list of models supported for PT as of {})",
        table.as_of, table.list_as_of
    )
}

fn term(rate: Option<rust_decimal::Decimal>) -> String {
    rate.map_or_else(|| "-".to_string(), |r| r.to_string())
}

/// `us-east-1, us-west-2 (foundation, custom): 44.00 / 39.60 / 22.00 per MU-hour, AWS Bedrock pricing page, as of 2025-03`
fn rate_text(rate: &RateRow) -> String {
    let regions =
        if rate.regions.is_empty() { "region not named by the source".to_string() } else { rate.regions.join(", ") };
    let kinds: Vec<&str> = rate
        .applies_to
        .iter()
        .map(|k| match k {
            AppliesTo::Foundation => "base model",
            AppliesTo::Custom => "custom model",
        })
        .collect();
    let hourly = &rate.provisioned_hourly;
    format!(
        // An estimate's source says so itself ("... (an estimate: ...)"), as it does in every report.
        "{regions} ({}): {} / {} / {} per MU-hour; {}",
        kinds.join(", "),
        term(hourly.no_commitment),
        term(hourly.one_month),
        term(hourly.six_months),
        rate.source
    )
}

/// What a `-` in a rate stands for, and how to supply it.
const NO_TERM_RATE: &str =
    "`-`: the source publishes no rate for that term (add yours under `pricing:` in .ptlint.yaml)";

fn no_rate() -> &'static str {
    "no published PT rate: add one under `pricing:` in .ptlint.yaml (`ptlint check` prints the snippet)"
}

fn text(table: &ModelsTable) -> String {
    let mut out = format!(
        "{}\nRates: no commitment / 1 month / 6 months, USD per model unit per hour; {NO_TERM_RATE}.\n",
        heading(table)
    );
    for row in &table.models {
        out.push('\n');
        let name = if row.name.is_empty() { String::new() } else { format!("  {}", row.name) };
        out.push_str(&format!("{}{name}  [{}]\n", row.model, row.status.as_str()));
        out.push_str(&format!("  why: {}\n", row.why));
        if !row.variants.is_empty() {
            out.push_str(&format!("  PT model IDs: {}\n", row.variants.join(", ")));
            out.push_str(&format!("  PT regions: {}\n", row.pt_regions.join(", ")));
        }
        push_rates(&mut out, row);
    }
    out
}

fn push_rates(out: &mut String, row: &ModelRow) {
    if row.rates.is_empty() {
        out.push_str(&format!("  rate: {}\n", no_rate()));
    }
    for rate in &row.rates {
        out.push_str(&format!("  rate: {}\n", rate_text(rate)));
    }
}

fn markdown(table: &ModelsTable) -> String {
    let mut out = format!("{}\n\n| model | status | PT regions | rates (no commitment / 1 month / 6 months, USD per MU-hour) |\n|---|---|---|---|\n", heading(table));
    for row in &table.models {
        let rates = if row.rates.is_empty() {
            no_rate().to_string()
        } else {
            row.rates.iter().map(rate_text).collect::<Vec<_>>().join("<br>")
        };
        let regions = if row.pt_regions.is_empty() { "-".to_string() } else { row.pt_regions.join(", ") };
        out.push_str(&format!(
            "| `{}` {} | {}: {} | {} | {} |\n",
            row.model,
            row.name,
            row.status.as_str(),
            row.why,
            regions,
            rates.replace('|', "\\|")
        ));
    }
    out.push_str(&format!("\n{NO_TERM_RATE}.\n"));
    out
}
