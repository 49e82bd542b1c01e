//! `--format github`: GitHub Actions workflow commands (`::error file=...::message`) that annotate the diff.

pub use super::format::escape_data;
use super::text::{visible, visible_lines};
use crate::engine::Analysis;
use crate::finding::{Finding, Level};

/// Escape a property value of a workflow command (`file=`, `title=`...).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    }
}

/// The properties of a finding's annotation. GitHub takes columns only within one line.
fn properties(finding: &Finding) -> String {
    let span = &finding.span;
    let mut props = vec![format!("file={}", escape_property(&visible(&finding.file)))];
    if span.line > 0 {
        props.push(format!("line={}", span.line));
        let end_line = span.end_line.max(span.line);
        if end_line == span.line && span.column > 0 {
            props.push(format!("col={}", span.column));
            props.push(format!("endLine={end_line}"));
            props.push(format!("endColumn={}", span.end_column.max(span.column)));
        } else {
            props.push(format!("endLine={end_line}"));
        }
    }
    let title = format!("{} {}", visible(&finding.rule), visible(&finding.name));
    props.push(format!("title={}", escape_property(&title)));
    props.join(",")
}

/// The annotation of a finding. Its texts come from the input: their control characters are made visible
/// (ESC and BEL would reach the log as they are), and the line breaks put between them escaped as the runner
/// reads them.
fn annotation(finding: &Finding) -> String {
    let mut message = visible_lines(&finding.message).into_owned();
    if let Some(help) = &finding.help {
        message.push_str("\n\nhelp: ");
        message.push_str(&visible_lines(help));
    }
    if let Some(url) = &finding.docs_url {
        message.push_str("\ndocs: ");
        message.push_str(&visible(url));
    }
    format!("::{} {}::{}\n", command(finding.level), properties(finding), escape_data(&message))
}

/// Render every finding and input error as a workflow command, then the counts as a plain log line.
pub fn render(analysis: &Analysis) -> String {
    let mut out: String = analysis.findings.iter().map(annotation).collect();
    for error in &analysis.errors {
        let mut props = vec![format!("file={}", escape_property(&visible(&error.file)))];
        if error.line > 0 {
            props.push(format!("line={}", error.line));
            if error.column > 0 {
                props.push(format!("col={}", error.column));
            }
        }
        props.push("title=ptlint input error".to_string());
        out.push_str(&format!("::error {}::{}\n", props.join(","), escape_data(&visible(&error.message))));
    }
    out.push_str(&format!("ptlint: {}\n", super::human::count_line(analysis)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner_rules() {
        assert_eq!(escape_data("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
