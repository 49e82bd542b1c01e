//! One `.tf`, `.tf.json` or `.tfvars` file parsed with hcl-edit, which keeps the byte span of every expression.
//! A `.tf.json` file is parsed as the HCL it stands for (see `json_syntax.rs`), its spans mapped back to the JSON.

use super::json_syntax;
use super::span_map::SpanMap;
use crate::finding::InputError;
use crate::model::InlineSuppression;
use crate::source::node::{LineIndex, Span, SyntaxError};
use hcl_edit::structure::{Attribute, Block, Body};
use hcl_edit::Span as _;
use std::ops::Range;
use std::sync::Arc;

/// A parsed HCL file and what is needed to turn its byte ranges into lines and columns.
pub struct SourceFile {
    /// Display path (relative, `/`-separated), as reports show it.
    pub path: String,
    pub text: Arc<str>,
    pub lines: LineIndex,
    pub body: Body,
    /// Where the parsed text's offsets start: 0, except for override files, whose offsets follow every
    /// primary file's so a block merged from one still says which file each part came from.
    base: usize,
    /// One past the last offset of the parsed text.
    end: usize,
    /// For a `.tf.json` file: parsed-text positions -> JSON positions.
    map: Option<SpanMap>,
    /// For a `.tf.json` file: the `"//"` suppressions of each resource, by the block's first offset.
    json_suppressions: Vec<(usize, Vec<InlineSuppression>)>,
    /// The override files whose parts were merged into this file's blocks.
    overlays: Vec<Arc<Overlay>>,
}

/// The positions of an override file, for spans of the parts it merged into another file's blocks.
pub struct Overlay {
    pub path: String,
    pub text: Arc<str>,
    lines: LineIndex,
    base: usize,
    end: usize,
    map: Option<SpanMap>,
}

impl Overlay {
    fn span(&self, range: Range<usize>) -> Span {
        span_in(&self.text, &self.lines, self.map.as_ref(), self.base, range)
    }
}

/// A byte range of parsed text -> the span in the file's own text.
fn span_in(text: &str, lines: &LineIndex, map: Option<&SpanMap>, base: usize, range: Range<usize>) -> Span {
    // A map's offsets are those of the parsed text, padding included; plain text is shifted by the padding.
    let (start, end) = match map {
        Some(map) => (map.start(range.start), map.end(range.end)),
        None => (range.start.saturating_sub(base), range.end.saturating_sub(base)),
    };
    let start = start.min(text.len());
    lines.span(text, start, end.clamp(start, text.len()))
}

impl SourceFile {
    /// Parse `text`; a syntax error carries the line and column where hcl-edit stopped.
    pub fn parse(path: String, text: Arc<str>) -> Result<SourceFile, SyntaxError> {
        Self::parse_at(path, text, 0)
    }

    /// Parse `text` with its offsets starting at `base`. A `.tf.json` path is read as Terraform's JSON syntax.
    pub fn parse_at(path: String, text: Arc<str>, base: usize) -> Result<SourceFile, SyntaxError> {
        let lines = LineIndex::new(&text);
        if path.ends_with(".json") {
            return Self::parse_json_syntax(path, text, lines, base);
        }
        if let Some(offset) = too_deep(&text) {
            let (line, column) = lines.position(&text, offset);
            let message = format!("HCL nested more than {MAX_NESTING} levels deep; not read");
            return Err(SyntaxError { message, line, column, offset });
        }
        let padded;
        let source: &str = if base == 0 {
            &text
        } else {
            padded = format!("{}{text}", " ".repeat(base));
            &padded
        };
        let end = source.len();
        match parse_body(source) {
            Ok(body) => Ok(SourceFile::new(path, text, lines, body, base, end, None, Vec::new())),
            Err((offset, message)) => {
                let offset = offset.saturating_sub(base).min(text.len());
                let (line, column) = lines.position(&text, offset);
                Err(SyntaxError { message, line, column, offset })
            }
        }
    }

    fn parse_json_syntax(
        path: String,
        text: Arc<str>,
        lines: LineIndex,
        base: usize,
    ) -> Result<SourceFile, SyntaxError> {
        let root = crate::source::json::parse_json(&text)?;
        let translation = json_syntax::translate(&root, &text, base).map_err(|(message, span)| SyntaxError {
            message,
            line: span.line,
            column: span.column,
            offset: span.start,
        })?;
        let end = translation.hcl.len();
        match parse_body(&translation.hcl) {
            Ok(body) => {
                let suppressions = translation.suppressions;
                Ok(SourceFile::new(path, text, lines, body, base, end, Some(translation.map), suppressions))
            }
            Err((offset, message)) => {
                let offset = translation.map.start(offset).min(text.len());
                let (line, column) = lines.position(&text, offset);
                Err(SyntaxError { message: format!("{message} (in a `${{...}}` expression)"), line, column, offset })
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn new(
        path: String,
        text: Arc<str>,
        lines: LineIndex,
        body: Body,
        base: usize,
        end: usize,
        map: Option<SpanMap>,
        json_suppressions: Vec<(usize, Vec<InlineSuppression>)>,
    ) -> SourceFile {
        SourceFile { path, text, lines, body, base, end, map, json_suppressions, overlays: Vec::new() }
    }

    /// One past the last offset this file's parsed text uses.
    pub fn end_offset(&self) -> usize {
        self.end
    }

    /// This file's positions, for the files whose blocks it overrides.
    pub fn overlay(&self) -> Arc<Overlay> {
        Arc::new(Overlay {
            path: self.path.clone(),
            text: self.text.clone(),
            lines: self.lines.clone(),
            base: self.base,
            end: self.end,
            map: self.map.clone(),
        })
    }

    /// Let spans of parts merged from an override file resolve in that file.
    pub fn add_overlay(&mut self, overlay: Arc<Overlay>) {
        if !self.overlays.iter().any(|o| Arc::ptr_eq(o, &overlay)) {
            self.overlays.push(overlay);
        }
    }

    /// The override file a range of offsets belongs to, when it is not this file's own.
    pub fn overlay_of(&self, range: &Option<Range<usize>>) -> Option<&Overlay> {
        let start = range.as_ref()?.start;
        if (self.base..self.end.max(self.base + 1)).contains(&start) {
            return None;
        }
        self.overlays.iter().find(|o| (o.base..o.end).contains(&start)).map(|o| o.as_ref())
    }

    /// The display path of the file a range of offsets was written in (an override file's, for a merged part).
    pub fn path_of(&self, range: &Option<Range<usize>>) -> &str {
        self.overlay_of(range).map_or(self.path.as_str(), |o| o.path.as_str())
    }

    /// The span of a byte range in this file (or, for a part merged from an override file, in that file).
    pub fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        if let Some(overlay) = self.overlay_of(&range) {
            return overlay.span(range.unwrap_or(0..0));
        }
        let range = range.unwrap_or(self.base..self.base);
        span_in(&self.text, &self.lines, self.map.as_ref(), self.base, range)
    }

    /// The suppressions a `.tf.json` resource's `"//"` comment gives (`None` for a `.tf` file).
    pub fn json_suppressions(&self, block: &Block) -> Option<Vec<InlineSuppression>> {
        self.map.as_ref()?;
        let start = block.span()?.start;
        let first = block.ident.span().map_or(start, |r| r.start);
        Some(
            self.json_suppressions
                .iter()
                .filter(|(at, _)| *at == first || *at == start)
                .flat_map(|(_, found)| found.iter().cloned())
                .collect(),
        )
    }

    /// The span of a block's header (`resource "type" "name"`), which is where block-level findings point.
    pub fn block_span(&self, block: &Block) -> Span {
        match header_range(block) {
            Some(range) => self.span(Some(range)),
            None => self.span(block.span()),
        }
    }

    /// The span of an attribute's value expression.
    pub fn attribute_span(&self, attribute: &Attribute) -> Span {
        self.span(attribute.value.span())
    }

    /// An input error in this file at `span` (a block's header, an argument's name): what terraform refuses there.
    pub fn error_at(&self, span: Span, message: String) -> InputError {
        InputError { file: self.path.clone(), line: span.line, column: span.column, message }
    }
}

/// A block header's byte range: its type name through its last label.
pub fn header_range(block: &Block) -> Option<Range<usize>> {
    let start = block.ident.span()?.start;
    let end = block.labels.last().and_then(|l| l.span()).or(block.ident.span())?.end;
    Some(start..end)
}

/// Parse HCL; a panic inside the third-party parser must not take the run down with it.
fn parse_body(source: &str) -> Result<Body, (usize, String)> {
    // The parser is a third-party crate: a panic inside it must not take the run down with it. Line breaks in
    // `for` expressions and duplicate object keys that hcl-edit refuses are repaired first, keeping every byte
    // offset (super::for_newlines, until upstream fixes it).
    match std::panic::catch_unwind(|| super::for_newlines::parse_body(source)) {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(err)) => {
            Err((err.location().offset().min(source.len()), format!("HCL syntax error: {}", first_line(err.message()))))
        }
        Err(_) => Err((0, "HCL parser failed on this file".into())),
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
