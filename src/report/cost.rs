//! `ptlint cost`: the standing cost of every PT as an aligned table, JSON or Markdown, plus totals and unpriced PTs.

pub use super::format::{aligned, short_model, usd};
use super::text::{md_code, md_message, md_text, visible};
use crate::cli::CostFormat;
use crate::diff::CostDiff;
use crate::engine::Analysis;
use crate::facts::{format_money, ThroughputFacts};
use crate::model::PlanAction;
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// Totals over a run's PTs. Money sums only the priced PTs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    /// Standing monthly cost of every priced PT.
    pub monthly_cost: Decimal,
    /// Sum of the committed amounts (1- and 6-month terms) of the priced PTs.
    pub commitment_total: Decimal,
    /// Monthly cost a Terraform plan adds: PTs it creates, the new PT of a replacement, increases.
    pub added_monthly_cost: Decimal,
    /// Monthly cost a Terraform plan removes: PTs it deletes, the old PT of a replacement, decreases.
    pub removed_monthly_cost: Decimal,
    /// Standing monthly cost of the priced PTs once a plan is applied.
    pub standing_after_plan: Decimal,
    /// Whether any PT comes from a Terraform plan with an action.
    pub has_plan: bool,
    /// How many PTs could be priced.
    pub priced: usize,
    /// How many PTs could not be priced (their cost is in none of the sums).
    pub unpriced: usize,
}

/// Sum the cost facts of a run; a plan's additions and removals come from its prior state (see `diff::plan_diff`).
pub fn totals(analysis: &Analysis) -> Totals {
    let mut totals = Totals::default();
    for pt in &analysis.facts.throughputs {
        totals.has_plan |= pt.plan_action.is_some();
        let Some(monthly) = pt.cost.monthly_cost else {
            totals.unpriced += 1;
            continue;
        };
        totals.priced += 1;
        totals.monthly_cost += monthly;
        totals.commitment_total += pt.cost.commitment_total.unwrap_or_default();
    }
    if let Some(plan) = crate::diff::plan_diff(analysis) {
        let sums = plan.totals();
        totals.added_monthly_cost = sums.added_monthly;
        totals.removed_monthly_cost = sums.removed_monthly;
        totals.standing_after_plan = sums.monthly_after;
    }
    totals
}

fn or_dash(value: Option<Decimal>) -> String {
    value.map_or_else(|| "-".to_string(), usd)
}

fn location(pt: &ThroughputFacts) -> String {
    format!("{}:{}", visible(&pt.file), pt.line)
}

/// How a table shows the text that came from the input: plain with control characters visible, or Markdown
/// that renders as text.
#[derive(Clone, Copy)]
enum Shown {
    Plain,
    Markdown,
}

impl Shown {
    /// A name, path or model ID: as it is in plain text, as inline code in Markdown.
    fn code(self, text: &str) -> String {
        match self {
            Shown::Plain => visible(text).into_owned(),
            Shown::Markdown => md_code(text, true),
        }
    }

    /// A word such as a region or a date: as it is where it shows as itself.
    fn text(self, text: &str) -> String {
        match self {
            Shown::Plain => visible(text).into_owned(),
            Shown::Markdown => md_text(text, true),
        }
    }
}

fn term(pt: &ThroughputFacts) -> String {
    pt.commitment.map_or_else(|| "?".to_string(), |c| c.as_str().to_string())
}

/// Rate sources in order of first use, so tables can cite them as `[1]`, `[2]`...
fn rate_sources(analysis: &Analysis) -> Vec<&str> {
    let mut sources: Vec<&str> = Vec::new();
    for source in analysis.facts.throughputs.iter().filter_map(|t| t.cost.rate_source.as_deref()) {
        if !sources.contains(&source) {
            sources.push(source);
        }
    }
    sources
}

fn source_cell(pt: &ThroughputFacts, sources: &[&str], shown: Shown) -> String {
    let Some(source) = pt.cost.rate_source.as_deref() else { return "-".to_string() };
    let index = sources.iter().position(|s| *s == source).map_or(0, |i| i + 1);
    match pt.cost.rate_as_of.as_deref() {
        Some(as_of) => format!("[{index}] as of {}", shown.text(as_of)),
        None => format!("[{index}]"),
    }
}

/// Column headers, and whether the column holds numbers (right-aligned in the text table).
const COLUMNS: [(&str, bool); 11] = [
    ("Resource", false),
    ("Location", false),
    ("Plan", false),
    ("Model", false),
    ("Region", false),
    ("MUs", true),
    ("Term", false),
    ("$/MU-h", true),
    ("Monthly", true),
    ("Per term", true),
    ("Rate source", false),
];
/// Index of the `Plan` column, shown only when a Terraform plan is among the inputs.
const PLAN_COLUMN: usize = 2;

fn plan_action(action: Option<PlanAction>) -> &'static str {
    match action {
        Some(PlanAction::Create) => "create",
        Some(PlanAction::Update) => "update",
        Some(PlanAction::Replace) => "replace",
        Some(PlanAction::Delete) => "delete",
        Some(PlanAction::NoOp) => "no-op",
        Some(PlanAction::Read) => "read",
        None => "-",
    }
}

/// The visible columns: all, or all but `Plan`.
fn columns(has_plan: bool) -> Vec<usize> {
    (0..COLUMNS.len()).filter(|i| has_plan || *i != PLAN_COLUMN).collect()
}

fn row(pt: &ThroughputFacts, sources: &[&str], columns: &[usize], shown: Shown) -> Vec<String> {
    let all = [
        shown.code(&pt.resource),
        shown.code(&location(pt)),
        plan_action(pt.plan_action).to_string(),
        shown.code(pt.model.as_deref().map_or("?", short_model)),
        shown.text(pt.region.as_deref().unwrap_or("?")),
        pt.model_units.map_or_else(|| "?".to_string(), |u| u.to_string()),
        term(pt),
        or_dash(pt.cost.hourly_rate),
        or_dash(pt.cost.monthly_cost),
        or_dash(pt.cost.commitment_total),
        source_cell(pt, sources, shown),
    ];
    columns.iter().map(|i| all[*i].clone()).collect()
}

fn plan_line(totals: &Totals) -> String {
    let net = totals.added_monthly_cost - totals.removed_monthly_cost;
    let sign = if net > Decimal::ZERO { "+" } else { "" };
    format!(
        "adds {}/month, removes {}/month (net {sign}{}/month); {}/month standing once applied",
        usd(totals.added_monthly_cost),
        usd(totals.removed_monthly_cost),
        usd(net),
        usd(totals.standing_after_plan)
    )
}

fn unpriced(analysis: &Analysis) -> impl Iterator<Item = &ThroughputFacts> {
    analysis.facts.throughputs.iter().filter(|t| t.cost.monthly_cost.is_none())
}

fn table(analysis: &Analysis) -> String {
    if analysis.facts.throughputs.is_empty() {
        return "No provisioned throughput found.\n".to_string();
    }
    let sources = rate_sources(analysis);
    let totals = totals(analysis);
    let columns = columns(totals.has_plan);
    let mut rows = vec![columns.iter().map(|i| COLUMNS[*i].0.to_string()).collect()];
    rows.extend(analysis.facts.throughputs.iter().map(|pt| row(pt, &sources, &columns, Shown::Plain)));
    let right: Vec<bool> = columns.iter().map(|i| COLUMNS[*i].1).collect();
    let mut out = aligned(&rows, &right);
    let hours = analysis.facts.policy.hours_per_month;
    out.push('\n');
    out.push_str(&format!(
        "Total standing cost: {}/month for {} priced of {} throughputs ({hours} hours per month)\n",
        usd(totals.monthly_cost),
        totals.priced,
        totals.priced + totals.unpriced
    ));
    out.push_str(&format!(
        "Committed terms:     {} per term (committed PTs renew at the end of each term)\n",
        usd(totals.commitment_total)
    ));
    for (config, credits) in super::credits::runways(analysis) {
        // Aligned with the lines above; a longer label (a config's path) keeps one space before the sentence.
        let label = format!("{}:", super::credits::label(config));
        out.push_str(&format!("{label:<20} {}\n", super::credits::sentence(credits, super::credits::UNPRICED_LISTED)));
    }
    if totals.has_plan {
        out.push_str(&format!("This plan:           {}\n", plan_line(&totals)));
    }
    if !sources.is_empty() {
        out.push_str("\nRate sources:\n");
        for (i, source) in sources.iter().enumerate() {
            out.push_str(&format!("  [{}] {}\n", i + 1, visible(source)));
        }
    }
    if totals.unpriced > 0 {
        out.push_str(&format!("\nUnpriced ({}): not in the totals above\n", totals.unpriced));
        for pt in unpriced(analysis) {
            out.push_str(&format!("\n  {} ({})\n", visible(&pt.resource), location(pt)));
            if let Some(reason) = &pt.cost.unpriced_reason {
                out.push_str(&format!("    {}\n", visible(reason)));
            }
            if let Some(snippet) = &pt.cost.config_snippet {
                out.push_str("    To price it, add to `.ptlint.yaml`:\n");
                for line in snippet.lines() {
                    out.push_str(&format!("      {}\n", visible(line)));
                }
            } else if let Some(supply) = pt.cost.unpriced_supply() {
                out.push_str(&format!("    To price it, {}\n", visible(supply)));
            }
        }
    }
    out
}

/// The cost part of a Markdown report: table, totals, plan change and unpriced PTs (no heading).
pub fn markdown_section(analysis: &Analysis) -> String {
    if analysis.facts.throughputs.is_empty() {
        return "No provisioned throughput found.\n".to_string();
    }
    let sources = rate_sources(analysis);
    let totals = totals(analysis);
    let columns = columns(totals.has_plan);
    let headers: Vec<&str> = columns.iter().map(|i| COLUMNS[*i].0).collect();
    let align: Vec<&str> = columns.iter().map(|i| if COLUMNS[*i].1 { "---:" } else { "---" }).collect();
    let mut out = format!("| {} |\n|{}|\n", headers.join(" | "), align.join("|"));
    for pt in &analysis.facts.throughputs {
        out.push_str(&format!("| {} |\n", row(pt, &sources, &columns, Shown::Markdown).join(" | ")));
    }
    out.push_str(&format!(
        "\n**Total standing cost:** {}/month for {} priced of {} throughputs ({} hours per month)\n",
        usd(totals.monthly_cost),
        totals.priced,
        totals.priced + totals.unpriced,
        analysis.facts.policy.hours_per_month
    ));
    if totals.commitment_total > Decimal::ZERO {
        out.push_str(&format!(
            "\n**Committed terms:** {} per term (committed PTs renew at the end of each term)\n",
            usd(totals.commitment_total)
        ));
    }
    if totals.has_plan {
        out.push_str(&format!("\n**This plan:** {}\n", plan_line(&totals)));
    }
    if !sources.is_empty() {
        out.push_str("\n<details><summary>Rate sources</summary>\n\n");
        for (i, source) in sources.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", i + 1, md_message(source, false)));
        }
        out.push_str("\n</details>\n");
    }
    if totals.unpriced > 0 {
        out.push_str(&format!("\n**Unpriced ({}):** not in the totals above\n\n", totals.unpriced));
        for pt in unpriced(analysis) {
            let reason = pt.cost.unpriced_reason.as_deref().unwrap_or("no rate is known");
            // The entry below says how to supply a rate; any other missing value, in words. One message, so
            // that it is written last on its line (see `md_message`).
            let reason = match (&pt.cost.config_snippet, pt.cost.unpriced_supply()) {
                (None, Some(supply)) => format!("{reason}; to price it, {supply}"),
                _ => reason.to_string(),
            };
            out.push_str(&format!(
                "- {} ({}): {}\n",
                md_code(&pt.resource, false),
                md_code(&location(pt), false),
                md_message(&reason, false)
            ));
            if let Some(snippet) = &pt.cost.config_snippet {
                // A fence longer than any backtick run in the snippet, which holds a model ID from the input.
                let snippet: String = snippet.lines().map(|line| format!("{}\n", visible(line))).collect();
                let fence = super::text::md_fence(&snippet);
                out.push_str(&format!("\n  {fence}yaml\n{}  {fence}\n\n", indent(&snippet, "  ")));
            }
        }
    }
    out
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines().map(|l| format!("{prefix}{l}\n")).collect()
}

/// The `ptlint cost --format json` document.
pub fn json_value(analysis: &Analysis) -> Value {
    let totals = totals(analysis);
    let unpriced: Vec<Value> = unpriced(analysis)
        .map(|pt| {
            let mut entry = json!({
                "resource": pt.resource,
                "file": pt.file,
                "line": pt.line,
                "model": pt.model,
                "reason": pt.cost.unpriced_reason,
                "config_snippet": pt.cost.config_snippet,
            });
            if let (Some(supply), Some(entry)) = (pt.cost.unpriced_supply(), entry.as_object_mut()) {
                entry.insert("supply".to_string(), json!(supply));
            }
            entry
        })
        .collect();
    let mut value = json!({
        "version": super::json::VERSION,
        "hours_per_month": analysis.facts.policy.hours_per_month.to_string(),
        "throughputs": super::json::throughputs(analysis),
        "totals": {
            "throughputs": totals.priced + totals.unpriced,
            "priced": totals.priced,
            "unpriced": totals.unpriced,
            "monthly_cost": format_money(totals.monthly_cost),
            "commitment_total": format_money(totals.commitment_total),
            "added_monthly_cost": format_money(totals.added_monthly_cost),
            "removed_monthly_cost": format_money(totals.removed_monthly_cost),
        },
        "unpriced": unpriced,
        "errors": analysis.errors,
    });
    if let (Some(credits), Some(totals)) = (&analysis.facts.credits, value.get_mut("totals")) {
        if let Some(totals) = totals.as_object_mut() {
            totals.insert("credits".to_string(), serde_json::to_value(credits).unwrap_or_default());
            if let Some(each) = super::credits::by_config_json(analysis) {
                totals.insert("credits_by_config".to_string(), each);
            }
        }
    }
    value
}

/// Render `ptlint cost` in the chosen format, with a plan's own cost change when the run has a plan.
pub fn render(analysis: &Analysis, format: CostFormat) -> String {
    render_with_diff(analysis, format, crate::diff::plan_diff(analysis).as_ref())
}

/// Render `ptlint cost` in the chosen format, with a cost change (`--compare-to`, or a plan's own) when given.
pub fn render_with_diff(analysis: &Analysis, format: CostFormat, diff: Option<&CostDiff>) -> String {
    let text = match format {
        CostFormat::Table => match diff {
            Some(diff) => format!(
                "{}
{}",
                table(analysis),
                super::diff::text_section(diff)
            ),
            None => table(analysis),
        },
        CostFormat::Json => {
            let mut value = json_value(analysis);
            if let (Some(diff), Some(object)) = (diff, value.as_object_mut()) {
                object.insert("diff".to_string(), super::diff::json_value(diff));
            }
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            text
        }
        CostFormat::Markdown => {
            let credits: String = super::credits::runways(analysis)
                .into_iter()
                .map(|(config, credits)| {
                    super::credits::markdown_line(config, credits, super::credits::UNPRICED_LISTED)
                })
                .collect();
            match diff {
                Some(diff) => format!(
                    "## ptlint cost\n\n{credits}### Cost change\n\n{}\n### Standing cost\n\n{}",
                    super::diff::markdown_section(diff),
                    markdown_section(analysis)
                ),
                None => format!("## ptlint cost\n\n{credits}{}", markdown_section(analysis)),
            }
        }
    };
    match format {
        CostFormat::Json => super::text::json_no_legacy_commands(text),
        CostFormat::Table | CostFormat::Markdown => super::text::no_workflow_commands(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn usd_groups_thousands_and_rounds_to_cents() {
        let cases = [
            ("36500", "$36,500.00"),
            ("0", "$0.00"),
            ("999.995", "$1,000.00"),
            ("1234567.891", "$1,234,567.89"),
            ("-9782", "-$9,782.00"),
            ("100", "$100.00"),
        ];
        for (input, expected) in cases {
            assert_eq!(usd(Decimal::from_str(input).unwrap()), expected, "{input}");
        }
    }

    #[test]
    fn short_model_drops_the_arn_prefix() {
        let arn = "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abc";
        assert_eq!(short_model(arn), "custom-model/amazon.titan-text-express-v1:0:8k/abc");
        let foundation = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1:0:4k";
        assert_eq!(short_model(foundation), "foundation-model/amazon.titan-text-lite-v1:0:4k");
        assert_eq!(short_model("amazon.titan-text-lite-v1:0:4k"), "amazon.titan-text-lite-v1:0:4k");
    }

    #[test]
    fn aligned_pads_left_and_right() {
        let rows = [vec!["a".to_string(), "1".to_string()], vec!["long".to_string(), "100".to_string()]];
        assert_eq!(aligned(&rows, &[false, true]), "a       1\nlong  100\n");
    }
}
