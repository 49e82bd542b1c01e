//! Suppressions written as comments, since Terraform has no Metadata: `# ptlint:ignore PT005 reason` on the line
//! above a resource block or one of its attributes, or anywhere inside the block.

use super::parse::SourceFile;
use crate::model::InlineSuppression;
use hcl_edit::structure::Block;
use hcl_edit::Span as _;

const MARKER: &str = "ptlint:ignore";

/// The suppressions that apply to a block: comments directly above it and comments inside it.
pub fn comment_suppressions(file: &SourceFile, block: &Block) -> Vec<InlineSuppression> {
    let Some(range) = block.span() else { return Vec::new() };
    let start = file.span(Some(range.start..range.start)).line;
    let end = file.span(Some(range.end..range.end)).line;
    // Split on `\n` only, so each line keeps its `\r` (CRLF files) and byte offsets add up.
    let lines: Vec<&str> = file.text.split('\n').collect();
    // The comment lines immediately above the block, nearest first, then the block's own lines.
    let mut first = start.saturating_sub(1) as usize;
    while first > 0 && is_comment(lines.get(first - 1).copied().unwrap_or_default()) {
        first -= 1;
    }
    let mut out = Vec::new();
    let mut offset: usize = lines.iter().take(first).map(|l| l.len() + 1).sum();
    for (index, line) in lines.iter().enumerate().take(end as usize).skip(first) {
        if let Some((text, column)) = parse_line(line) {
            let span = file.span(Some(offset + column..offset + line.trim_end().len()));
            debug_assert_eq!(span.line as usize, index + 1);
            out.extend(InlineSuppression::from_text(text, span));
        }
        offset += line.len() + 1;
    }
    out
}

fn is_comment(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with('#') || line.starts_with("//")
}

/// `# ptlint:ignore PT005 reason words` -> (the text after the marker, byte column of the marker).
fn parse_line(line: &str) -> Option<(&str, usize)> {
    let comment = line.find('#').or_else(|| line.find("//"))?;
    let at = comment + line[comment..].find(MARKER)?;
    let rest = line[at + MARKER.len()..].trim();
    (!rest.is_empty()).then_some((rest, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_stay_exact_in_crlf_files() {
        let text = "locals {}\r\n# ptlint:ignore PT005 watched elsewhere\r\nresource \"a\" \"b\" {\r\n}\r\n";
        let file = SourceFile::parse("main.tf".into(), text.into()).expect("parses");
        let block = file.body.blocks().nth(1).expect("resource");
        let found = comment_suppressions(&file, block);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].span.line, found[0].span.column), (2, 3));
        assert_eq!(found[0].reason.as_deref(), Some("watched elsewhere"));
    }

    #[test]
    fn comments_name_rule_reason_and_expiry() {
        let (text, column) = parse_line("  # ptlint:ignore PT005 alarms live in the shared stack").unwrap();
        assert_eq!(column, 4);
        let s = InlineSuppression::from_text(text, Default::default()).unwrap();
        assert_eq!(
            (s.rule.as_str(), s.reason.as_deref(), s.expires),
            ("PT005", Some("alarms live in the shared stack"), None)
        );
        let (text, _) = parse_line("// ptlint:ignore PT003 expires=2026-01-31").unwrap();
        let s = InlineSuppression::from_text(text, Default::default()).unwrap();
        assert_eq!((s.rule.as_str(), s.reason, s.expires.as_deref()), ("PT003", None, Some("2026-01-31")));
        assert_eq!(parse_line("name = \"x\" # unrelated"), None);
        assert_eq!(parse_line("# ptlint:ignore"), None);
    }
}
