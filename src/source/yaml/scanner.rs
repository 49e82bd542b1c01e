//! Where things are written: yaml-rust2 markers as byte offsets, offsets as lines and columns, and node extents.

use std::cell::Cell;

use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::source::node::{LineIndex, Span, SyntaxError};

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
