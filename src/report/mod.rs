//! Reports: one renderer per format over the same findings; none of them knows about specific rules.

pub mod cost;
pub mod credits;
pub mod diff;
mod excerpt;
pub mod format;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod models;
pub mod rules;
pub mod sarif;
pub mod text;

use crate::cli::Format;
use crate::diff::CostDiff;
use crate::engine::Analysis;

/// Render a `check` report in the chosen format; JSON and Markdown carry a plan's own cost change.
pub fn render(analysis: &Analysis, format: Format, color: bool) -> String {
    let diff = plan_change_for(analysis, format);
    render_with_diff(analysis, format, color, diff.as_ref())
}

/// The cost change a `check` report shows without `--compare-to`: a plan's own, in JSON and Markdown (the
/// human report stays a list of findings unless a comparison is asked for).
pub fn plan_change_for(analysis: &Analysis, format: Format) -> Option<CostDiff> {
    match format {
        Format::Json | Format::Markdown => crate::diff::plan_diff(analysis),
        Format::Human | Format::Sarif | Format::Github => None,
    }
}

/// Render a `check` report; the cost change (`--compare-to`, or a plan's own) goes into the human, JSON and
/// Markdown reports, and into GitHub's log as a notice (SARIF is about findings).
pub fn render_with_diff(analysis: &Analysis, format: Format, color: bool, diff: Option<&CostDiff>) -> String {
    match format {
        Format::Human => text::no_workflow_commands(match diff {
            Some(diff) => format!("{}\n{}", human::render(analysis, color), self::diff::text_section(diff)),
            None => human::render(analysis, color),
        }),
        Format::Json => text::json_no_legacy_commands(json::render_with_diff(analysis, diff)),
        Format::Sarif => text::json_no_legacy_commands(sarif::render(analysis)),
        Format::Github => match diff {
            Some(diff) => format!("{}{}", self::diff::github_lines(diff), github::render(analysis)),
            None => github::render(analysis),
        },
        Format::Markdown => text::no_workflow_commands(markdown::render_with_diff(analysis, diff)),
    }
}
