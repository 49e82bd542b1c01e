//! Scalar events as nodes: where each is written, its value, and the CloudFormation short form it stands for.

use yaml_rust2::parser::Tag;
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::builder::{Built, Reader};
use super::properties::Marked;
use super::scanner::scalar_end;
use super::tags::{classify, scalar_value, TagKind};
use crate::source::node::{Node, Span, SyntaxError, Value, MAX_DEPTH};

impl Reader<'_> {
    /// Where an implied empty value goes: just after the `:`, `-` or `?` that introduced it.
    fn empty_position(&self) -> usize {
        if self.stack.is_empty() {
            return self.cursor;
        }
        let text = self.src.text.as_bytes();
        let mut at = self.cursor;
        loop {
            match text.get(at) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => at += 1,
                Some(b'#') => {
                    while !matches!(text.get(at), None | Some(b'\n' | b'\r')) {
                        at += 1;
                    }
                }
                _ => break,
            }
        }
        let blank_after = matches!(text.get(at + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
        match text.get(at) {
            Some(b':') => at + 1,
            Some(b'-' | b'?') if blank_after => at + 1,
            _ => self.cursor,
        }
    }

    pub(super) fn scalar(
        &mut self,
        value: String,
        style: TScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        mark: &Marker,
    ) -> Result<(), SyntaxError> {
        let empty_plain = style == TScalarStyle::Plain && value.is_empty();
        let kind = match style {
            TScalarStyle::Literal | TScalarStyle::Folded => Marked::BlockScalar,
            _ if empty_plain => Marked::Implied,
            _ => Marked::Scalar,
        };
        let props = self.properties(anchor, tag, mark, kind);
        let implied = style == TScalarStyle::Plain && value.is_empty() && props.is_none_or(|p| !p.before_scalar);
        let (content_start, content_end) = match (implied, props) {
            (true, Some(p)) => (p.end, p.end),
            (true, None) => {
                let at = self.empty_position();
                (at, at)
            }
            (false, _) => {
                let at = self.src.offset(mark);
                match style {
                    TScalarStyle::Literal | TScalarStyle::Folded => {
                        let from = props.map_or(self.cursor, |p| p.end);
                        self.src.block_scalar(from, at, &value)
                    }
                    _ => (at, scalar_end(self.src.text, at, style, &value)),
                }
            }
        };
        let start = props.map_or(content_start, |p| p.start);
        if anchor != 0 {
            self.define_anchor(props)?;
        }
        if style == TScalarStyle::Plain && self.src.has_nel {
            if let Some(nel) = self.src.text.get(content_start..content_end).and_then(|s| s.find('\u{85}')) {
                let message = "NEL (#x85) in a plain scalar: YAML 1.1 readers (CloudFormation, cfn-lint) take it for \
                               a line break";
                return Err(self.src.error(content_start + nel, message));
            }
        }
        let kind = classify(tag);
        let content_span = self.src.span(content_start, content_end);
        let built = match kind {
            TagKind::Cfn { key, get_att } => {
                let extra = if get_att { 2 } else { 1 };
                if self.level() + extra > MAX_DEPTH {
                    return Err(self.too_deep(start));
                }
                let bytes = value.len() + key.len();
                let arg = if get_att {
                    self.split_get_att(content_span, &value, content_start, content_end)
                } else {
                    Node::new(scalar_value(value, style, kind).0, content_span)
                };
                let tag_span = props.and_then(|p| p.tag).unwrap_or((start, content_start));
                let count = if get_att { 4 } else { 2 };
                let node = self.wrap(key, tag_span, arg, start, content_end);
                Built { node, count, bytes, height: extra, keyable: false, raw_text: None, merge: false }
            }
            _ => {
                let bytes = value.len();
                // An unknown local tag (`!Foo x`) has no meaning CloudFormation could give a key.
                let keyable = tag.is_none() || kind != TagKind::None;
                let merge = kind == TagKind::Merge || style == TScalarStyle::Plain && props.is_none() && value == "<<";
                let span = if start == content_start { content_span } else { self.src.span(start, content_end) };
                // A value that is not a string (`010`, `yes`, `~`) keeps its text for when it is a key.
                let (value, written) = scalar_value(value, style, kind);
                let raw_text = written.filter(|_| keyable);
                let node = Node::new(value, span);
                Built { node, count: 1, bytes, height: 0, keyable, raw_text, merge }
            }
        };
        self.charge(built.count, start, "YAML document")?;
        self.cursor = content_end;
        self.finish(built, anchor, start)
    }

    /// `A.B` as `["A", "B"]`, split at the first dot like CloudFormation does.
    fn split_get_att(&self, scalar: Span, value: &str, start: usize, end: usize) -> Node {
        let text = self.src.text;
        // Give each piece its own span when the value is written verbatim (plain, or quoted
        // without escapes); otherwise both share the scalar's.
        let verbatim = if text.get(start..end) == Some(value) {
            Some(start)
        } else if end >= start + 2 && text.get(start + 1..end - 1) == Some(value) {
            Some(start + 1)
        } else {
            None
        };
        let piece = |s: &str, offset: usize| {
            let span = verbatim.map_or(scalar, |base| self.src.span(base + offset, base + offset + s.len()));
            Node::new(Value::String(s.to_string()), span)
        };
        let pieces = match value.split_once('.') {
            Some((resource, attribute)) => {
                vec![piece(resource, 0), piece(attribute, resource.len() + 1)]
            }
            None => vec![piece(value, 0)],
        };
        Node::new(Value::Array(pieces), scalar)
    }
}
