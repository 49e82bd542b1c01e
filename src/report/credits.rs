//! The credit runway in words: one line for the human, Markdown and cost reports, and the runway change of a diff.

use super::format::usd;
use crate::credits::round_months;
use crate::diff::RunwayChange;
use crate::engine::Analysis;
use crate::facts::CreditsFacts;

/// Where a report that lists unpriced PTs says what is missing for each.
pub const UNPRICED_LISTED: &str = "the Unpriced list says";
/// Where a report without that list sends the reader.
pub const UNPRICED_IN_COST: &str = "`ptlint cost` says";

/// The runway as a sentence after `Credits:`: `$100,000.00 in 1 pool cover $10,804.00/month for 9.26 months,
/// until 2027-09-14 (used up; as of 2026-12-07)`. `unpriced_where` says where the report says what is missing
/// for a PT the runway leaves out.
pub fn sentence(credits: &CreditsFacts, unpriced_where: &str) -> String {
    let pools = if credits.pools.len() == 1 { "1 pool".to_string() } else { format!("{} pools", credits.pools.len()) };
    let head = format!("{} in {pools}", usd(credits.total));
    let unpriced = match credits.unpriced {
        0 => String::new(),
        1 => format!("; 1 unpriced throughput not counted: {unpriced_where} what is missing"),
        n => format!("; {n} unpriced throughputs not counted: {unpriced_where} what is missing"),
    };
    let why = match (credits.limited_by, &credits.limiting_pool) {
        // A pool's name comes from the config, which a pull request can change: shown with its controls visible.
        ("expiry", Some(pool)) => format!("`{}` expires", crate::visible::visible(pool)),
        ("expiry", None) => "expired".to_string(),
        _ => "used up".to_string(),
    };
    match (credits.runway_months, &credits.runs_out) {
        (Some(months), Some(until)) => format!(
            "{head} cover {}/month for {} months, until {until} ({why}; as of {}{unpriced})",
            usd(credits.monthly_cost),
            round_months(months),
            credits.as_of
        ),
        _ => format!("{head} never run out: no standing cost draws on them (as of {}{unpriced})", credits.as_of),
    }
}

/// What the report shows of the run's credits: the one runway, or, when several configs have credits, each
/// config's with its path (`Some`).
pub fn runways(analysis: &Analysis) -> Vec<(Option<&str>, &CreditsFacts)> {
    match analysis.credits_by_config.as_slice() {
        [_, _, ..] => analysis.credits_by_config.iter().map(|c| (Some(c.config.as_str()), &c.credits)).collect(),
        _ => analysis.facts.credits.iter().map(|c| (None, c)).collect(),
    }
}

/// `Credits` or `Credits (teams/a/.ptlint.yaml)`: the label of a runway's line in text.
pub fn label(config: Option<&str>) -> String {
    match config {
        Some(path) => format!("Credits ({})", crate::visible::visible(path)),
        None => "Credits".to_string(),
    }
}

/// The Markdown line of a runway: `**Credits:** ...` or `**Credits (`path`):** ...` (`unpriced_where` as for
/// [`sentence`]).
pub fn markdown_line(config: Option<&str>, credits: &CreditsFacts, unpriced_where: &str) -> String {
    let label = match config {
        Some(path) => format!("Credits ({})", super::text::md_code(path, false)),
        None => "Credits".to_string(),
    };
    format!("**{label}:** {}\n\n", super::text::md_message(&sentence(credits, unpriced_where), false))
}

/// The JSON list of every config's runway, when there are several (`None`: the one `credits` says it all).
pub fn by_config_json(analysis: &Analysis) -> Option<serde_json::Value> {
    (analysis.credits_by_config.len() > 1)
        .then(|| serde_json::to_value(&analysis.credits_by_config).unwrap_or_default())
}

fn until(credits: &CreditsFacts) -> String {
    match (&credits.runs_out, credits.runway_months) {
        (Some(date), Some(months)) => format!("{date} ({} months)", round_months(months)),
        _ => "no end (nothing draws on them)".to_string(),
    }
}

/// `Credits now last until 2027-06-02 (5.83 months), was 2027-09-14 (9.26 months).`
pub fn change_line(change: &RunwayChange) -> String {
    let (before, after) = (until(&change.before), until(&change.after));
    if before == after {
        format!("Credits last until {after}, as before.")
    } else {
        format!("Credits now last until {after}, was {before}.")
    }
}
