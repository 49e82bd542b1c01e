//! The `.ptlint.yaml` `pricing:` snippet ptlint suggests for a model it cannot price.

/// The placeholder [`config_snippet`] writes where the user must put a rate; it is rejected on load.
pub const RATE_PLACEHOLDER: &str = "<your rate>";

/// The `.ptlint.yaml` snippet a user pastes to price `model_id` (optionally only in `region`).
///
/// Amounts are the `"<your rate>"` placeholder, which is valid YAML but rejected when the config is
/// loaded, so an unedited snippet cannot silently price anything. If the file already has a `pricing:`
/// list, add just the `- model:` item.
pub fn config_snippet(model_id: &str, region: Option<&str>) -> String {
    let rate = yaml_scalar(RATE_PLACEHOLDER);
    let mut out = String::new();
    // Short lines: the snippet is shown inside diagnostics, where a wrapped line would break the YAML.
    out.push_str(&format!(
        "# Replace each {rate} with your price in USD (provisioned_hourly:\n\
         # per model unit per hour; on_demand_per_million: per 1M tokens).\n\
         # Leave out a term you do not buy.\n"
    ));
    out.push_str("pricing:\n");
    out.push_str(&format!("  - model: {}\n", yaml_scalar(model_id)));
    if let Some(region) = region {
        out.push_str(&format!("    region: {}\n", yaml_scalar(region)));
    }
    out.push_str("    provisioned_hourly:\n");
    for term in ["no_commitment", "one_month", "six_months"] {
        out.push_str(&format!("      {term}: {rate}\n"));
    }
    out.push_str(&format!("    on_demand_per_million: {{input: {rate}, output: {rate}}}\n"));
    out.push_str(&format!("    source: {}\n", yaml_scalar("<where the rate comes from>")));
    out
}

/// `text` as a YAML scalar: plain when that is unambiguous (model IDs, regions), double-quoted otherwise.
fn yaml_scalar(text: &str) -> String {
    let plain_safe = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '/'))
        && !text.ends_with(':')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null"
        );
    if plain_safe {
        text.to_string()
    } else {
        // A JSON string is a valid YAML double-quoted scalar.
        serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.escape_default()))
    }
}
