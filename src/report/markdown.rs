//! `--format markdown`: a PR comment or `$GITHUB_STEP_SUMMARY` page: findings table, cost table, plan change.

use super::cost::markdown_section;
use super::text::{md_code, md_message, md_text, md_url};
use crate::engine::Analysis;
use crate::finding::Finding;

fn location(finding: &Finding) -> String {
    if finding.span.line == 0 {
        finding.file.clone()
    } else {
        format!("{}:{}", finding.file, finding.span.line)
    }
}

/// The rule's code (linked to its documentation) and name; a rule file in the repository may say anything.
fn rule_cell(finding: &Finding) -> String {
    let (rule, name) = (md_text(&finding.rule, true), md_text(&finding.name, true));
    match &finding.docs_url {
        Some(url) => format!("[{rule}]({}) {name}", md_url(url)),
        None => format!("{rule} {name}"),
    }
}

/// Render the report.
pub fn render(analysis: &Analysis) -> String {
    render_with_diff(analysis, None)
}

/// Render the report, leading with the cost change when there is one (what a reviewer asks first).
pub fn render_with_diff(analysis: &Analysis, diff: Option<&crate::diff::CostDiff>) -> String {
    let mut out = String::from("## ptlint: Bedrock Provisioned Throughput\n\n");
    out.push_str(&format!("**{}** · {}\n\n", super::human::count_line(analysis), super::human::cost_line(analysis)));
    for (config, credits) in super::credits::runways(analysis) {
        out.push_str(&super::credits::markdown_line(config, credits, super::credits::UNPRICED_LISTED));
    }
    if let Some(diff) = diff {
        out.push_str("### Cost change\n\n");
        out.push_str(&super::diff::markdown_section(diff));
        out.push('\n');
    }
    out.push_str("### Findings\n\n");
    if analysis.findings.is_empty() {
        out.push_str("No findings.\n");
    } else {
        out.push_str("| Level | Rule | Resource | Location | Message |\n|---|---|---|---|---|\n");
        for finding in &analysis.findings {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                finding.level.as_str(),
                rule_cell(finding),
                md_code(&finding.resource, true),
                md_code(&location(finding), true),
                md_message(&finding.message, true),
            ));
        }
    }
    if !analysis.errors.is_empty() {
        out.push_str("\n### Input errors\n\nThese files were not checked:\n\n");
        for error in &analysis.errors {
            let at = match error.line {
                0 => error.file.clone(),
                line => format!("{}:{line}:{}", error.file, error.column),
            };
            out.push_str(&format!("- {}: {}\n", md_code(&at, false), md_message(&error.message, false)));
        }
    }
    out.push_str("\n### Standing cost\n\n");
    out.push_str(&markdown_section(analysis));
    out
}
