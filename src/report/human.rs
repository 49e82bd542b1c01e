//! `--format human` (the default): miette diagnostics per finding, then input errors, a cost summary and the counts.

use crate::engine::Analysis;
use crate::finding::{Finding, Level};
use crate::link::InputFile;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity, SourceSpan};
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Terminal width the diagnostics are laid out for, fixed so that output is stable.
const WIDTH: usize = 100;

/// A finding with the text of its file, as a miette diagnostic.
#[derive(Debug)]
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    /// The file's text and the finding's byte range in it, when the file was read.
    source: Option<(Source, SourceSpan)>,
}

/// The text a snippet is cut from: the whole file, or a window of a very long line.
#[derive(Debug)]
enum Source {
    File(NamedSource<Arc<str>>),
    Window(super::excerpt::Excerpt),
}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &'a Finding, files: &HashMap<&str, &InputFile>) -> Self {
        let source = files.get(finding.file.as_str()).and_then(|file| {
            let span = clamp(&file.text, finding.span.start, finding.span.end)?;
            if let Some((window, span)) = super::excerpt::Excerpt::around(&file.path, &file.text, span) {
                return Some((Source::Window(window), span));
            }
            Some((Source::File(NamedSource::new(&file.path, Arc::clone(&file.text))), span))
        });
        FindingDiagnostic { finding, source }
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
            Some(_) => f.write_str(&self.finding.message),
            // Without a snippet the file would not appear at all.
            None => write!(f, "{}: {}", location(self.finding), self.finding.message),
        }
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.rule))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.finding.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Note => Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding.docs_url.as_ref().map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|(source, _)| match source {
            Source::File(file) => file as &dyn miette::SourceCode,
            Source::Window(window) => window as &dyn miette::SourceCode,
        })
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, span) = self.source.as_ref()?;
        let label = LabeledSpan::new_primary_with_span(Some(self.finding.name.clone()), *span);
        Some(Box::new(std::iter::once(label)))
    }
}

/// `file:line:column`, or just `file` when the finding has no position.
fn location(finding: &Finding) -> String {
    if finding.span.line == 0 {
        finding.file.clone()
    } else {
        format!("{}:{}:{}", finding.file, finding.span.line, finding.span.column)
    }
}

pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
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
        return format!("{count}: {}/month standing cost", super::cost::usd(total));
    }
    // A total over only some PTs must say so: an unpriced PT is unknown, not free.
    let priced = pts.len() - unpriced;
    let known = if priced == 0 {
        "standing cost unknown".to_string()
    } else {
        format!("{}/month standing cost for the {priced} priced", super::cost::usd(total))
    };
    format!("{count}: {known}; {unpriced} unpriced (see `ptlint cost`)")
}

/// A plain one-line rendering, used if miette cannot lay out a diagnostic.
fn plain(finding: &Finding) -> String {
    format!("{}: {}[{}]: {}\n", location(finding), finding.level.as_str(), finding.rule, finding.message)
}

/// Render the whole report; `color` picks the coloured theme.
pub fn render(analysis: &Analysis, color: bool) -> String {
    let mut out = render_diagnostics(analysis, color);
    out.push_str(&cost_line(analysis));
    out.push('\n');
    if let Some(credits) = &analysis.facts.credits {
        out.push_str(&super::credits::line(credits));
        out.push('\n');
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
    let mut files: HashMap<&str, &InputFile> = HashMap::with_capacity(analysis.files.len());
    for file in &analysis.files {
        files.entry(file.path.as_str()).or_insert(file);
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
            match error.line {
                0 => out.push_str(&format!("  {}: {}\n", error.file, error.message)),
                line => out.push_str(&format!("  {}:{line}:{}: {}\n", error.file, error.column, error.message)),
            }
        }
        out.push('\n');
    }
    out
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
