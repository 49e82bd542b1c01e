//! Where a node's anchor and tag are written: found by looking back from its content, or by one scan of the tokens.

use std::collections::HashMap;

use yaml_rust2::parser::Tag;
use yaml_rust2::scanner::{Scanner, Token, TokenType};

use super::scanner::Source;

/// Where a node's anchor and tag were written; parser events only locate the content after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Properties {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) tag: Option<(usize, usize)>,
    /// Whether a scalar token follows, so a plain empty scalar event is real content, not an
    /// implied null after a bare tag.
    pub(super) before_scalar: bool,
}

/// Locate every anchor/tag run, keyed by the marker index of the token that follows it.
///
/// Runs its own scanner over the same text: the scanner is deterministic, so the markers match
/// the ones the parser reports, and each property run is immediately followed (in token order)
/// by the content it belongs to, or by the token the parser marks an implied empty scalar with.
pub(super) fn scan_properties(src: &Source) -> HashMap<usize, Properties> {
    let mut found = HashMap::new();
    let mut pending: Option<Properties> = None;
    for Token(mark, kind) in Scanner::new(src.body().chars()) {
        let is_tag = matches!(kind, TokenType::Tag(..));
        if is_tag || matches!(kind, TokenType::Anchor(_)) {
            let start = src.offset(&mark);
            let end = property_end(src.text, start);
            let props = pending.get_or_insert(Properties { start, end, tag: None, before_scalar: false });
            props.end = props.end.max(end);
            if is_tag {
                props.tag = Some((start, end));
            }
        } else if let Some(mut props) = pending.take() {
            props.before_scalar = matches!(kind, TokenType::Scalar(..));
            found.insert(mark.index(), props);
        }
    }
    found
}

/// The anchor and/or tag written right before content starting at `content`, separated by blanks and line breaks
/// only; `None` when they are not found exactly so (the caller then scans the whole text).
///
/// A found tag must end with the parser's tag suffix, so a stray `!word` cannot be taken for it. Properties are
/// the last tokens before their content, so only separation lies between: blanks, line breaks and comments. A run
/// found on an earlier line is taken only if no `#` precedes it on its line, so it cannot be a word of a comment
/// (`!Join` with its list on the next lines, the common case of real templates, no longer costs a second scan of
/// the whole text). `before_scalar`: the content is a scalar token (see [`Properties::before_scalar`]).
fn properties_before(
    src: &Source,
    content: usize,
    anchor: bool,
    tag: Option<&Tag>,
    before_scalar: bool,
) -> Option<Properties> {
    let text = src.text.as_bytes();
    let mut wanted_anchor = anchor;
    let mut wanted_tag = tag;
    // Found from the last run back to the first, so the first one found ends the properties.
    let mut found: Option<Properties> = None;
    let mut tag_span = None;
    let mut at = content;
    while wanted_anchor || wanted_tag.is_some() {
        let mut crossed_line = false;
        loop {
            while at > src.base && matches!(text.get(at - 1), Some(b' ' | b'\t')) {
                at -= 1;
            }
            if at > src.base && matches!(text.get(at - 1), Some(b'\n' | b'\r')) {
                at -= 1;
                crossed_line = true;
                continue;
            }
            break;
        }
        let end = at;
        while at > src.base && !matches!(text.get(at - 1), Some(b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',')) {
            at -= 1;
        }
        let run = src.text.get(at..end)?;
        if end <= at || property_end(src.text, at) != end {
            return None;
        }
        if crossed_line {
            let line_start = text[src.base..at]
                .iter()
                .rposition(|&b| b == b'\n' || b == b'\r')
                .map_or(src.base, |i| src.base + i + 1);
            if text[line_start..at].contains(&b'#') {
                return None;
            }
        }
        match (run.as_bytes()[0], wanted_tag) {
            (b'!', Some(tag)) if run.strip_suffix('>').unwrap_or(run).ends_with(tag.suffix.as_str()) => {
                tag_span = Some((at, end));
                wanted_tag = None;
            }
            (b'&', _) if wanted_anchor && run.len() > 1 => wanted_anchor = false,
            _ => return None,
        }
        let props = found.get_or_insert(Properties { start: at, end, tag: None, before_scalar });
        props.start = at;
    }
    found.map(|props| Properties { tag: tag_span, ..props })
}

/// What kind of node the parser marked, for finding its properties by looking back ([`properties_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marked {
    /// A scalar written in the text (quoted, plain or flow).
    Scalar,
    /// A `|` or `>` block scalar, marked at its first content character.
    BlockScalar,
    /// An empty plain scalar: never written, implied, and marked at the next token.
    Implied,
    /// A sequence or mapping, marked at its `[`, `{` or `-`, or (a block mapping) at its first `:`.
    Collection,
}

/// The anchor and/or tag of a node the parser marks at `mark`, found by looking back from where the node is
/// written; `None` when that is not certain (the caller then scans the whole text, [`scan_properties`]).
pub(super) fn properties_at(
    src: &Source,
    mark: usize,
    anchor: bool,
    tag: Option<&Tag>,
    kind: Marked,
) -> Option<Properties> {
    let content = match kind {
        // The properties come before the `|` or `>` header, not right before the content.
        Marked::BlockScalar => block_header_before(src, mark)?,
        // A block mapping is marked at its first `:`: its properties come before its first key.
        Marked::Collection if src.byte(mark) == Some(b':') => src.first_key_on_line(mark),
        _ => mark,
    };
    // An implied scalar is followed by another token than a scalar.
    properties_before(src, content, anchor, tag, kind == Marked::Scalar || kind == Marked::BlockScalar)
}

/// Where the `|` or `>` header of a block scalar whose content the parser marks at `content` starts, found by
/// looking back over blanks and line breaks; `None` if the run found there is not a header alone on the rest of a
/// line without a `#` (a comment could hold a `>`).
fn block_header_before(src: &Source, content: usize) -> Option<usize> {
    let text = src.text.as_bytes();
    let mut end = content;
    while end > src.base && matches!(text.get(end - 1), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        end -= 1;
    }
    let mut at = end;
    while at > src.base && matches!(text.get(at - 1), Some(b'+' | b'-' | b'0'..=b'9')) {
        at -= 1;
    }
    let header = at.checked_sub(1).filter(|&h| h >= src.base && matches!(text.get(h), Some(b'|' | b'>')))?;
    let line_start =
        text[src.base..header].iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(src.base, |i| src.base + i + 1);
    let separated = header == src.base || matches!(text.get(header - 1), Some(b' ' | b'\t' | b'\n' | b'\r'));
    (separated && !text[line_start..header].contains(&b'#')).then_some(header)
}

/// End of the tag, anchor or alias starting at `start`.
pub(super) fn property_end(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or("");
    if rest.starts_with("!<") {
        return rest.find('>').map_or(text.len(), |i| start + i + 1);
    }
    let len = rest
        .char_indices()
        .skip(1)
        .find(|&(_, c)| matches!(c, ' ' | '\t' | '\r' | '\n' | '\0' | ',' | '[' | ']' | '{' | '}'))
        .map_or(rest.len(), |(i, _)| i);
    start + len
}

impl Source<'_> {
    /// Whether the node whose properties or content start at `start` carries a tag (`!X`, maybe after `&anchor`).
    pub(super) fn is_tagged(&self, start: usize) -> bool {
        let text = self.text.as_bytes();
        let mut at = start;
        if text.get(at) == Some(&b'&') {
            at = property_end(self.text, at);
            while matches!(text.get(at), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                at += 1;
            }
        }
        text.get(at) == Some(&b'!')
    }
}
