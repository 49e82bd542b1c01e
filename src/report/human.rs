//! `--format human` (the default): miette diagnostics per finding, then input errors, a cost summary and the counts.

use super::excerpt::Excerpt;
pub use super::format::plural;
use super::format::usd;
use super::text::{visible, visible_lines};
use crate::engine::Analysis;
use crate::finding::{Finding, Level};
use crate::link::InputFile;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity, SourceSpan};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// Terminal width the diagnostics are laid out for, fixed so that output is stable.
const WIDTH: usize = 100;

/// A finding with the lines of its file around it, as a miette diagnostic; every text from the input is
/// shown with its control characters made visible.
#[derive(Debug)]
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    message: Cow<'a, str>,
    help: Option<Cow<'a, str>>,
    /// The lines around the finding and its byte range in them, when the file was read.
    source: Option<(Excerpt<'a>, SourceSpan)>,
}

/// A file the findings point into, with its line starts, made by the first finding that needs them.
struct SourceFile<'a> {
    file: &'a InputFile,
    lines: OnceLock<Vec<usize>>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &'a Finding, files: &'a HashMap<&str, SourceFile<'a>>) -> Self {
        let source = files.get(finding.file.as_str()).and_then(|source| {
            let text: &'a str = &source.file.text;
            let span = clamp(text, finding.span.start, finding.span.end)?;
            let lines = source.lines.get_or_init(|| super::excerpt::line_starts(text));
            Some(Excerpt::around(&source.file.path, text, lines, span))
        });
        FindingDiagnostic {
            finding,
            message: visible_lines(&finding.message),
            help: finding.help.as_deref().map(visible_lines),
            source,
        }
    }
}

/// The byte range `start..end` moved onto character boundaries inside `text`; `None` for a span that
/// points nowhere (a default span, or one past the end of the text).
fn clamp(text: &str, start: usize, end: usize) -> Option<SourceSpan> {
    if start == 0 && end == 0 || start > text.len() {
        return None;
    }
    let mut start = start;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Some(SourceSpan::from(start..end))
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(_) => f.write_str(&self.message),
            // Without a snippet the file would not appear at all.
            None => write!(f, "{}: {}", location(self.finding), self.message),
        }
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(visible(&self.finding.rule)))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.finding.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Note => Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding.docs_url.as_deref().map(|u| Box::new(visible(u)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|(source, _)| source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, span) = self.source.as_ref()?;
        let label = LabeledSpan::new_primary_with_span(Some(visible(&self.finding.name).into_owned()), *span);
        Some(Box::new(std::iter::once(label)))
    }
}

/// `file:line:column`, or just `file` when the finding has no position.
fn location(finding: &Finding) -> String {
    let file = visible(&finding.file);
    if finding.span.line == 0 {
        file.into_owned()
    } else {
        format!("{file}:{}:{}", finding.span.line, finding.span.column)
    }
}

/// `2 errors, 1 warning, 0 notes in 3 files (2 Terraform .tf files read, 1 input error)`.
pub fn count_line(analysis: &Analysis) -> String {
    let count = |level: Level| analysis.findings.iter().filter(|f| f.level == level).count();
    let mut line = format!(
        "{}, {}, {} in {}",
        plural(count(Level::Error), "error", "errors"),
        plural(count(Level::Warning), "warning", "warnings"),
        plural(count(Level::Note), "note", "notes"),
        plural(analysis.files_seen, "file", "files"),
    );
    let mut extras = Vec::new();
    if analysis.terraform_files_read > 0 {
        extras.push(format!(
            "{} read",
            plural(analysis.terraform_files_read, "Terraform .tf file", "Terraform .tf files")
        ));
    }
    if !analysis.errors.is_empty() {
        extras.push(plural(analysis.errors.len(), "input error", "input errors"));
    }
    if !extras.is_empty() {
        line.push_str(&format!(" ({})", extras.join(", ")));
    }
    if analysis.baselined > 0 {
        line.push_str(&format!("; {} hidden by the baseline", plural(analysis.baselined, "finding", "findings")));
    }
    line
}

/// One line on the standing cost: how many PTs, what they cost per month, which are unpriced.
pub fn cost_line(analysis: &Analysis) -> String {
    let pts = &analysis.facts.throughputs;
    if pts.is_empty() {
        return "No provisioned throughput found.".to_string();
    }
    let total: Decimal = pts.iter().filter_map(|t| t.cost.monthly_cost).sum();
    // Counted, not named: the PT007 findings name them, and a long list would bury the summary.
    let unpriced = pts.iter().filter(|t| t.cost.monthly_cost.is_none()).count();
    let count = plural(pts.len(), "provisioned throughput", "provisioned throughputs");
    if unpriced == 0 {
        return format!("{count}: {}/month standing cost", usd(total));
    }
    // A total over only some PTs must say so: an unpriced PT is unknown, not free.
    let priced = pts.len() - unpriced;
    let known = if priced == 0 {
        "standing cost unknown".to_string()
    } else {
        format!("{}/month standing cost for the {priced} priced", usd(total))
    };
    format!("{count}: {known}; {unpriced} unpriced (see `ptlint cost`)")
}

/// A plain one-line rendering, used if miette cannot lay out a diagnostic.
fn plain(finding: &Finding) -> String {
    format!(
        "{}: {}[{}]: {}\n",
        location(finding),
        finding.level.as_str(),
        visible(&finding.rule),
        visible_lines(&finding.message)
    )
}

/// Render the whole report; `color` picks the coloured theme.
pub fn render(analysis: &Analysis, color: bool) -> String {
    let mut out = render_diagnostics(analysis, color);
    out.push_str(&cost_line(analysis));
    out.push('\n');
    for (config, credits) in super::credits::runways(analysis) {
        out.push_str(&format!(
            "{}: {}\n",
            super::credits::label(config),
            super::credits::sentence(credits, super::credits::UNPRICED_IN_COST)
        ));
    }
    out.push_str(&count_line(analysis));
    out.push('\n');
    out
}

/// The findings and input errors without the summary lines (`--quiet`).
pub fn render_diagnostics(analysis: &Analysis, color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(WIDTH).with_links(false);
    // Each finding's source by its file's path (the first file of that path, as a search would find).
    let mut files: HashMap<&str, SourceFile> = HashMap::with_capacity(analysis.files.len());
    for file in &analysis.files {
        files.entry(file.path.as_str()).or_insert_with(|| SourceFile { file, lines: OnceLock::new() });
    }
    // Findings are laid out independently, so in parallel; collecting keeps their order.
    let rendered: Vec<String> = analysis
        .findings
        .par_iter()
        .map(|finding| {
            let diagnostic = FindingDiagnostic::new(finding, &files);
            let mut text = String::new();
            match handler.render_report(&mut text, &diagnostic) {
                Ok(()) => text,
                Err(_) => plain(finding),
            }
        })
        .collect();
    let mut out = String::new();
    for text in rendered {
        out.push_str(&text);
        out.push('\n');
    }
    if !analysis.errors.is_empty() {
        out.push_str("Input errors (these files were not checked):\n");
        for error in &analysis.errors {
            let (file, message) = (visible(&error.file), visible(&error.message));
            match error.line {
                0 => out.push_str(&format!("  {file}: {message}\n")),
                line => out.push_str(&format!("  {file}:{line}:{}: {message}\n", error.column)),
            }
        }
        out.push('\n');
    }
    super::text::no_workflow_commands(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp_keeps_spans_inside_the_text_and_on_char_boundaries() {
        let text = "ab€cd";
        assert_eq!(clamp(text, 0, 0), None);
        assert_eq!(clamp(text, 99, 100), None);
        assert_eq!(clamp(text, 3, 4), Some(SourceSpan::from(2..5)));
        assert_eq!(clamp(text, 1, 99), Some(SourceSpan::from(1..text.len())));
    }
}
