//! One `.tf` or `.tfvars` file parsed with hcl-edit, which keeps the byte span of every expression.

use crate::source::node::{LineIndex, Span, SyntaxError};
use hcl_edit::structure::{Attribute, Block, Body};
use hcl_edit::Span as _;
use std::sync::Arc;

/// A parsed HCL file and what is needed to turn its byte ranges into lines and columns.
pub struct SourceFile {
    /// Display path (relative, `/`-separated), as reports show it.
    pub path: String,
    pub text: Arc<str>,
    pub lines: LineIndex,
    pub body: Body,
}

impl SourceFile {
    /// Parse `text`; a syntax error carries the line and column where hcl-edit stopped.
    pub fn parse(path: String, text: Arc<str>) -> Result<SourceFile, SyntaxError> {
        let lines = LineIndex::new(&text);
        if let Some(offset) = too_deep(&text) {
            let (line, column) = lines.position(&text, offset);
            let message = format!("HCL nested more than {MAX_NESTING} levels deep; not read");
            return Err(SyntaxError { message, line, column, offset });
        }
        // The parser is a third-party crate: a panic inside it must not take the run down with it. Line breaks
        // in `for` expressions that hcl-edit refuses are joined first (super::for_newlines, until upstream fixes it).
        let parsed = std::panic::catch_unwind(|| super::for_newlines::parse_body(&text));
        match parsed {
            Ok(Ok(body)) => Ok(SourceFile { path, text, lines, body }),
            Ok(Err(err)) => {
                let offset = err.location().offset().min(text.len());
                let (line, column) = lines.position(&text, offset);
                let message = format!("HCL syntax error: {}", first_line(err.message()));
                Err(SyntaxError { message, line, column, offset })
            }
            Err(_) => {
                Err(SyntaxError { message: "HCL parser failed on this file".into(), line: 1, column: 1, offset: 0 })
            }
        }
    }

    /// The span of a byte range in this file.
    pub fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        let range = range.unwrap_or(0..0);
        self.lines.span(&self.text, range.start.min(self.text.len()), range.end.min(self.text.len()))
    }

    /// The span of a block's header (`resource "type" "name"`), which is where block-level findings point.
    pub fn block_span(&self, block: &Block) -> Span {
        let start = block.ident.span().map(|r| r.start);
        let end = block.labels.last().and_then(|l| l.span()).map(|r| r.end).or(block.ident.span().map(|r| r.end));
        match (start, end) {
            (Some(start), Some(end)) => self.span(Some(start..end)),
            _ => self.span(block.span()),
        }
    }

    /// The span of an attribute's value expression.
    pub fn attribute_span(&self, attribute: &Attribute) -> Span {
        self.span(attribute.value.span())
    }
}

/// Deepest bracket nesting read; deeper input would exhaust the parser's stack.
const MAX_NESTING: usize = 256;

/// Where the bracket nesting first passes [`MAX_NESTING`] (a cheap scan that ignores quoting, which can only
/// over-count a little; no real configuration comes near the limit).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (offset, byte) in text.bytes().enumerate() {
        match byte {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(offset);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message).trim()
}

/// `resource "aws_x" "name"` -> the block's labels as strings.
pub fn labels(block: &Block) -> Vec<&str> {
    block.labels.iter().map(|label| label.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_line_and_column() {
        let text: Arc<str> = "resource \"a\" \"b\" {\n  x = \n}\n".into();
        let err = SourceFile::parse("main.tf".into(), text).err().expect("error");
        assert_eq!((err.line, err.column), (2, 7), "{err:?}");
        assert!(err.message.starts_with("HCL syntax error"), "{err:?}");
    }

    #[test]
    fn attribute_spans_are_exact() {
        let text: Arc<str> = "resource \"a\" \"b\" {\n  units = 2\n}\n".into();
        let file = SourceFile::parse("main.tf".into(), text).expect("parses");
        let block = file.body.blocks().next().expect("block");
        let attribute = block.body.get_attribute("units").expect("attribute");
        let span = file.attribute_span(attribute);
        assert_eq!((span.line, span.column, span.end_column), (2, 11, 12));
        let header = file.block_span(block);
        assert_eq!((header.line, header.column, header.end_column), (1, 1, 17));
    }
}
