//! Where things are written: yaml-rust2 markers as byte offsets, anchor/tag runs, and the ends of scalars.

use std::cell::Cell;
use std::collections::HashMap;

use yaml_rust2::parser::Tag;
use yaml_rust2::scanner::{Marker, ScanError, Scanner, TScalarStyle, Token, TokenType};

use crate::source::node::{LineIndex, Span, SyntaxError, MAX_DEPTH};

/// The text being read, the mapping from yaml-rust2 markers to byte offsets, and from byte offsets to lines
/// and columns.
///
/// Positions are looked up, not counted: the line by binary search over line starts, the column by subtracting
/// character indexes (byte offsets themselves when the text is ASCII). A span costs O(log n) wherever it is,
/// so a one-line flow-style template is as cheap per value as a block-style one. (The builder asks for
/// positions out of order: a collection's start when it closes, a key's after its value's end. That is why
/// this is an index rather than the forward-only cursor the JSON reader uses.)
pub(super) struct Source<'a> {
    pub(super) text: &'a str,
    /// Length of a leading byte-order mark, which the parser does not see.
    pub(super) base: usize,
    /// Byte offset where each line of `text` starts (after each `\n`), for reported positions.
    lines: LineIndex,
    /// Character index (in the text after the BOM) where each line starts, with the scanner's idea
    /// of a line break (`\n`, `\r\n`, or a lone `\r`).
    line_starts: Vec<usize>,
    /// Byte offset (in the text after the BOM) of every character; `None` when that text is ASCII and the two
    /// coincide. `u32` is enough: files over [`crate::source::MAX_FILE_BYTES`] (32 MiB) are never read.
    char_bytes: Option<Vec<u32>>,
    chars: usize,
    /// The 0-based line of the last position asked for, where the next search starts.
    last_line: Cell<usize>,
    /// Whether the text holds a NEL (`#x85`) anywhere, so plain scalars are searched for one only then.
    pub(super) has_nel: bool,
}

impl<'a> Source<'a> {
    pub(super) fn new(text: &'a str) -> Source<'a> {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let base = text.len() - body.len();
        let mut line_starts = vec![0];
        let ascii = body.is_ascii();
        let chars = if ascii {
            // Characters are bytes: the line breaks are found by a vectorised search, not a loop over characters.
            let bytes = body.as_bytes();
            for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                if bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n') {
                    line_starts.push(at + 1);
                }
            }
            bytes.len()
        } else {
            let mut chars = 0;
            let mut iter = body.chars().peekable();
            while let Some(c) = iter.next() {
                chars += 1;
                if c == '\n' || (c == '\r' && iter.peek() != Some(&'\n')) {
                    line_starts.push(chars);
                }
            }
            chars
        };
        let char_bytes = (!ascii).then(|| body.char_indices().map(|(i, _)| i as u32).collect());
        let has_nel = !ascii && body.contains('\u{85}');
        Source {
            text,
            base,
            lines: LineIndex::new(text),
            line_starts,
            char_bytes,
            chars,
            last_line: Cell::new(0),
            has_nel,
        }
    }

    pub(super) fn body(&self) -> &'a str {
        self.text.get(self.base..).unwrap_or("")
    }

    /// Byte offset in `text` of a marker.
    ///
    /// The marker's `index` is not used: yaml-rust2 counts characters there but adds bytes after
    /// long block-scalar lines, so it drifts on non-ASCII text. Line and column stay exact.
    pub(super) fn offset(&self, mark: &Marker) -> usize {
        let line = mark.line().saturating_sub(1);
        if line >= self.line_starts.len() {
            // The scanner moves its end-of-stream marker to a line past the text.
            return self.text.len();
        }
        let line_start = self.line_starts[line];
        let line_end = self.line_starts.get(line + 1).map_or(self.chars, |next| next - 1);
        let char_index = line_start.saturating_add(mark.col()).min(line_end.max(line_start));
        let byte = match &self.char_bytes {
            None => char_index,
            Some(bytes) => bytes.get(char_index).map_or(self.text.len() - self.base, |&b| b as usize),
        };
        self.base + byte
    }

    pub(super) fn span(&self, start: usize, end: usize) -> Span {
        let end = end.max(start);
        let (line, column) = self.position(start);
        let (end_line, end_column) = self.position(end);
        Span { start, end, line, column, end_line, end_column }
    }

    pub(super) fn error(&self, offset: usize, message: impl Into<String>) -> SyntaxError {
        let (line, column) = self.position(offset);
        SyntaxError { message: message.into(), line, column, offset }
    }

    /// 1-based line and character column of a byte offset, as [`LineIndex::position`] counts them, in
    /// O(log n) whatever the length of the line, and O(1) near the position asked for before.
    fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let (line, line_start) = self.lines.line_near(offset, self.last_line.get());
        self.last_line.set(line);
        let column = self.char_index(offset).saturating_sub(self.char_index(line_start));
        (line as u32 + 1, column as u32 + 1)
    }

    /// How many characters of `text` start before byte `offset` (the BOM, if any, being one).
    fn char_index(&self, offset: usize) -> usize {
        let Some(body_offset) = offset.checked_sub(self.base) else { return 0 };
        let bom = usize::from(self.base > 0);
        bom + match &self.char_bytes {
            None => body_offset,
            Some(bytes) => bytes.partition_point(|&b| (b as usize) < body_offset),
        }
    }

    pub(super) fn scan_error(&self, error: &ScanError) -> SyntaxError {
        let message = match error.info() {
            // The scanner's own flow-nesting cap (255) can trip before the parser has handed us
            // the node at MAX_DEPTH, so it is reported as the same limit.
            "recursion limit exceeded" => format!("nesting deeper than {MAX_DEPTH} levels"),
            info => plain_message(info),
        };
        let at = self.offset(error.marker());
        if message == "invalid indentation in quoted scalar" && self.unterminated_quote(at) {
            // libyaml does not judge a quoted scalar's indentation; it runs on to the end of the stream.
            return self.error(self.text.len(), "while scanning a quoted scalar, found unexpected end of stream");
        }
        let at = self.libyaml_error_offset(&message, at);
        self.error(at, message)
    }

    /// Whether the quoted scalar starting at `at` is never closed.
    fn unterminated_quote(&self, at: usize) -> bool {
        let bytes = self.text.as_bytes();
        let Some(&quote @ (b'"' | b'\'')) = bytes.get(at) else { return false };
        let mut i = at + 1;
        while let Some(&byte) = bytes.get(i) {
            match byte {
                b'\\' if quote == b'"' => i += 2,
                b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                _ if byte == quote => return false,
                _ => i += 1,
            }
        }
        true
    }

    /// Where libyaml (and so CloudFormation and cfn-lint) reports an error that yaml-rust2 marks elsewhere.
    ///
    /// yaml-rust2 marks a block mapping's start token at the key's `:` and a `-` entry after the blanks that
    /// follow it, and a block scalar or quoted scalar error at the scalar's start; libyaml marks the first two
    /// at the key and the `-`, and the last two where the scanner stopped.
    fn libyaml_error_offset(&self, message: &str, at: usize) -> usize {
        let text = self.text.as_bytes();
        const UNEXPECTED_TOKEN: &[&str] = &[
            "while parsing a block mapping, did not find expected key",
            "while parsing a block collection, did not find expected '-' indicator",
            "did not find expected <document start>",
        ];
        if UNEXPECTED_TOKEN.contains(&message) {
            if text.get(at) == Some(&b':') {
                return self.first_key_on_line(at);
            }
            return self.entry_dash_before(at).unwrap_or(at);
        }
        match message {
            "while scanning a quoted scalar, found unexpected end of stream" => self.text.len(),
            "while scanning a block scalar, did not find expected comment or line break" => {
                let mut end = at;
                if matches!(text.get(end), Some(b'|' | b'>')) {
                    end += 1;
                    while matches!(text.get(end), Some(b'+' | b'-' | b'0'..=b'9')) {
                        end += 1;
                    }
                }
                while matches!(text.get(end), Some(b' ' | b'\t')) {
                    end += 1;
                }
                end
            }
            _ => at,
        }
    }

    /// The `-` of a block sequence entry whose content (or next token) starts at `at`: only blanks between
    /// them, and only blanks or another entry's `-` before the dash on its line.
    fn entry_dash_before(&self, at: usize) -> Option<usize> {
        let text = self.text.as_bytes();
        let mut dash = at;
        while dash > self.base && matches!(text.get(dash - 1), Some(b' ' | b'\t')) {
            dash -= 1;
        }
        let dash = dash.checked_sub(1).filter(|&d| d >= self.base && d + 1 < at && text.get(d) == Some(&b'-'))?;
        let line_start = text[..dash].iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(self.base, |i| i + 1);
        text[line_start.max(self.base)..dash].iter().all(|b| matches!(b, b' ' | b'\t' | b'-')).then_some(dash)
    }

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

    pub(super) fn byte(&self, offset: usize) -> Option<u8> {
        self.text.as_bytes().get(offset).copied()
    }

    /// Span of a block scalar whose first content character the parser marks at `content`.
    ///
    /// The parser does not locate the `|` or `>` header, so it is looked for after the end of
    /// whatever came before (a key, a `-`, properties), past blanks, comments and indicators.
    pub(super) fn block_scalar(&self, from: usize, content: usize, value: &str) -> (usize, usize) {
        let text = self.text.as_bytes();
        let mut at = from;
        let header = loop {
            match text.get(at) {
                Some(b'|' | b'>') => break Some(at),
                Some(b' ' | b'\t' | b'\r' | b'\n' | b':' | b'-' | b'?') => at += 1,
                Some(b'#') => {
                    while !matches!(text.get(at), None | Some(b'\n' | b'\r')) {
                        at += 1;
                    }
                }
                _ => break None,
            }
            if at >= content {
                break None;
            }
        };
        match header {
            Some(start) => {
                let indicators = text
                    .get(start + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|b| matches!(b, b'+' | b'-' | b'0'..=b'9'))
                    .count();
                let header_end = start + 1 + indicators;
                (start, match_content(self.text, content, header_end, value))
            }
            None => (content, match_content(self.text, content, content, value)),
        }
    }

    /// Best guess at where a block mapping's first key starts, given the parser's mark at its
    /// first `:`: a simple key is on one line, after any `-`, `?` or `---` indicators.
    pub(super) fn first_key_on_line(&self, colon: usize) -> usize {
        let text = self.text.as_bytes();
        let mut at = colon;
        while at > self.base && !matches!(text.get(at - 1), Some(b'\n' | b'\r')) {
            at -= 1;
        }
        let blank_or_end = |i: usize| matches!(text.get(i), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
        loop {
            match text.get(at) {
                Some(b' ' | b'\t') => at += 1,
                Some(b'-' | b'?') if blank_or_end(at + 1) => at += 1,
                Some(b'-') if text.get(at..at + 3) == Some(b"---") && blank_or_end(at + 3) => at += 3,
                _ => break,
            }
        }
        if at < colon {
            at
        } else {
            colon
        }
    }

    /// The `-` of a block sequence's first entry; the parser marks an indentless sequence at the
    /// entry's content instead.
    pub(super) fn dash_before(&self, mark: usize) -> usize {
        let text = self.text.as_bytes();
        let blank_or_end = |at: usize| matches!(text.get(at), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
        if text.get(mark) == Some(&b'-') && blank_or_end(mark + 1) {
            return mark;
        }
        let mut at = mark;
        while at > 0 && matches!(text.get(at - 1), Some(b' ' | b'\t')) {
            at -= 1;
        }
        if at > 0 && text.get(at - 1) == Some(&b'-') {
            at - 1
        } else {
            mark
        }
    }
}

/// yaml-rust2's message without any location it appended (the reporter adds its own).
fn plain_message(info: &str) -> String {
    let trimmed = match info.find(" at line ") {
        Some(at) if info[at..].contains("column") => &info[..at],
        _ => info,
    };
    let trimmed = match trimmed.find(" at byte ") {
        Some(at) => &trimmed[..at],
        None => trimmed,
    };
    trimmed.trim().to_string()
}

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
pub(super) fn properties_before(
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
pub(super) fn block_header_before(src: &Source, content: usize) -> Option<usize> {
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

/// Byte offset just past a scalar whose content starts at `start`.
pub(super) fn scalar_end(text: &str, start: usize, style: TScalarStyle, value: &str) -> usize {
    let bytes = text.as_bytes();
    match style {
        TScalarStyle::SingleQuoted => {
            let mut i = start + 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i += 1;
            }
            text.len()
        }
        TScalarStyle::DoubleQuoted => {
            let mut i = start + 1;
            while i < bytes.len() {
                match bytes[i] {
                    // UTF-8 continuation bytes never equal `"` or `\`, so stepping bytes is safe.
                    b'\\' => i += 2,
                    b'"' => return i + 1,
                    _ => i += 1,
                }
            }
            text.len()
        }
        _ => match_content(text, start, start, value),
    }
}

/// End of the last non-blank character of `value` as written from `from` on.
///
/// Plain and block scalars are their source text with only blanks and line breaks folded,
/// trimmed or re-indented, so the non-blank characters appear in the source in order with
/// nothing but blanks and line breaks between them (comments cannot interrupt such a scalar).
fn match_content(text: &str, from: usize, fallback: usize, value: &str) -> usize {
    let is_blank = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    // Most scalars are written as they read: then the answer is where the value's last non-blank character ends.
    if text.get(from..).is_some_and(|rest| rest.starts_with(value)) {
        let content = value.trim_end_matches(is_blank);
        return if content.is_empty() { fallback } else { from + content.len() };
    }
    let mut source = text.get(from..).unwrap_or("").char_indices().peekable();
    let mut end = fallback;
    for wanted in value.chars().filter(|&c| !is_blank(c)) {
        while source.next_if(|&(_, c)| is_blank(c)).is_some() {}
        match source.next() {
            Some((i, c)) if c == wanted => end = from + i + c.len_utf8(),
            _ => return end,
        }
    }
    end
}
