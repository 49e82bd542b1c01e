//! `--format markdown`: a PR comment or `$GITHUB_STEP_SUMMARY` page: findings table, cost table, plan change.

use super::cost::{cell, markdown_section};
use crate::engine::Analysis;
use crate::finding::Finding;

fn location(finding: &Finding) -> String {
    if finding.span.line == 0 {
        finding.file.clone()
    } else {
        format!("{}:{}", finding.file, finding.span.line)
    }
}

fn rule_cell(finding: &Finding) -> String {
    match &finding.docs_url {
        Some(url) => format!("[{}]({}) {}", finding.rule, url, finding.name),
        None => format!("{} {}", finding.rule, finding.name),
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
    if let Some(credits) = &analysis.facts.credits {
        out.push_str(&format!("**Credits:** {}\n\n", cell(&super::credits::sentence(credits))));
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
                "| {} | {} | `{}` | `{}` | {} |\n",
                finding.level.as_str(),
                cell(&rule_cell(finding)),
                cell(&finding.resource),
                cell(&location(finding)),
                cell(&finding.message),
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
            out.push_str(&format!("- `{at}`: {}\n", error.message.replace('\n', " ")));
        }
    }
    out.push_str("\n### Standing cost\n\n");
    out.push_str(&markdown_section(analysis));
    out
}
