//! Reports: one renderer per format over the same findings; none of them knows about specific rules.

pub mod cost;
mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod rules;
pub mod sarif;

use crate::cli::Format;
use crate::engine::Analysis;

/// Render a `check` report in the chosen format.
pub fn render(analysis: &Analysis, format: Format, color: bool) -> String {
    match format {
        Format::Human => human::render(analysis, color),
        Format::Json => json::render(analysis),
        Format::Sarif => sarif::render(analysis),
        Format::Github => github::render(analysis),
        Format::Markdown => markdown::render(analysis),
    }
}
