//! The span-aware document tree every reader parses into: values with their exact source position.

use std::fmt;

// Every layer names positions; the type lives at the bottom, and the readers name it here.
pub use crate::span::Span;

/// A value of a parsed document (JSON, or YAML after CloudFormation short tags are expanded).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number kept as its source text, so no precision is lost before it is interpreted.
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Keys in source order; duplicate keys keep the last value when looked up.
    Object(Vec<(Key, Node)>),
}

/// An object key with its own position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

impl Node {
    pub fn new(value: Value, span: Span) -> Node {
        Node { value, span }
    }

    /// Look up a key of an object (exact match; last one wins for duplicates).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Object(entries) => entries.iter().rev().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Look up the first of several spellings of a key (e.g. `ModelUnits` or `modelUnits`).
    pub fn get_any(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().find_map(|k| self.get(k))
    }

    /// The key entry (key and value) for `key`.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Object(entries) => entries.iter().rev().find(|(k, _)| k.name == key).map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A scalar's text: strings as they are, numbers and booleans as written.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.clone()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Object(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// Follow a path of object keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    /// Convert to a plain `serde_json::Value` (positions dropped).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => n
                .parse::<serde_json::Number>()
                .map(serde_json::Value::Number)
                .unwrap_or_else(|_| serde_json::Value::String(n.clone())),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => serde_json::Value::Array(items.iter().map(Node::to_json).collect()),
            Value::Object(entries) => {
                let mut map = serde_json::Map::new();
                for (k, v) in entries {
                    map.insert(k.name.clone(), v.to_json());
                }
                serde_json::Value::Object(map)
            }
        }
    }
}

/// Why a document could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Byte offset.
    pub offset: usize,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {}, column {}", self.message, self.line, self.column)
    }
}

impl std::error::Error for SyntaxError {}

/// `text` with every `\r` that is not followed by `\n` made a `\n`: the same bytes at the same offsets, for
/// showing excerpts with tools that only know `\n` and `\r\n` line ends (miette), so a finding in a file with
/// old Mac line endings is shown on its own line, as [`LineIndex`] numbers it.
pub fn lone_cr_as_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for at in 0..bytes.len() {
        if bytes[at] == b'\r' && bytes.get(at + 1) != Some(&b'\n') {
            bytes[at] = b'\n';
        }
    }
    // Only an ASCII byte was replaced by another, so the text is still the same valid UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Deepest nesting any reader accepts; deeper input is an error, not a stack overflow.
pub const MAX_DEPTH: usize = 128;

/// Maps byte offsets to 1-based line and character column.
///
/// A line ends at `\n`, `\r\n`, or a `\r` alone (old Mac line endings), as YAML readers and editors count
/// lines: a file with only `\r` is as many lines as it shows, not one.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&at| bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n'))
                .map(|at| at + 1),
        );
        LineIndex { line_starts }
    }

    /// 1-based (line, column) of a byte offset; the column counts characters.
    pub fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let column = text.get(start..offset).map(|s| s.chars().count()).unwrap_or(offset - start);
        (line as u32 + 1, column as u32 + 1)
    }

    /// The 0-based line holding a byte offset and where that line starts, looking first at line `hint` (the answer
    /// to an earlier call) and the one after it: a reader asking in nearly increasing order pays no binary search.
    pub fn line_near(&self, offset: usize, hint: usize) -> (usize, usize) {
        let starts = &self.line_starts;
        if let Some(&start) = starts.get(hint).filter(|&&start| start <= offset) {
            match starts.get(hint + 1) {
                None => return (hint, start),
                Some(&next) if offset < next => return (hint, start),
                Some(&next) if starts.get(hint + 2).is_none_or(|&after| offset < after) => return (hint + 1, next),
                Some(_) => {}
            }
        }
        let line = self.line_of(offset);
        (line, starts[line])
    }

    /// The 1-based line holding a byte offset, and the byte offset where that line starts.
    pub fn line_start(&self, offset: usize) -> (u32, usize) {
        let line = self.line_of(offset);
        (line as u32 + 1, self.line_starts[line])
    }

    /// The 0-based line holding a byte offset, by binary search.
    fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset of a 1-based line and character column.
    pub fn offset(&self, text: &str, line: u32, column: u32) -> usize {
        let Some(&start) = self.line_starts.get((line as usize).saturating_sub(1)) else {
            return text.len();
        };
        let rest = &text[start..];
        rest.char_indices().nth((column as usize).saturating_sub(1)).map(|(i, _)| start + i).unwrap_or(text.len())
    }

    /// The span of the byte range `start..end`.
    pub fn span(&self, text: &str, start: usize, end: usize) -> Span {
        let (line, column) = self.position(text, start);
        let (end_line, end_column) = self.position(text, end);
        Span { start, end, line, column, end_line, end_column }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_become_line_feeds_in_place() {
        assert_eq!(lone_cr_as_lf("a\rb\r\nc\r".to_string()), "a\nb\r\nc\n");
        assert_eq!(lone_cr_as_lf("é\r😀".to_string()), "é\n😀");
    }

    #[test]
    fn a_carriage_return_alone_ends_a_line_and_one_before_a_newline_does_not_end_another() {
        let text = "a\rbc\r\nd\n\re";
        let index = LineIndex::new(text);
        let at = |needle: &str| index.position(text, text.find(needle).unwrap());
        assert_eq!(at("a"), (1, 1));
        assert_eq!(at("c"), (2, 2));
        assert_eq!(at("d"), (3, 1));
        assert_eq!(at("e"), (5, 1));
        assert_eq!(index.offset(text, 2, 2), text.find('c').unwrap());
    }

    #[test]
    fn the_line_near_a_hint_is_the_line_a_search_finds() {
        for text in ["", "a", "\n", "ab\ncd\n\nef", "\n\n\n", "x\ny\n", "a\rb\r\rc", "a\r\nb\rc\n", "\r"] {
            let index = LineIndex::new(text);
            let lines = index.line_starts.len();
            for offset in 0..=text.len() {
                let (line, start) = index.line_start(offset);
                // Every hint, near or far, and one past the last line, gives the same answer.
                for hint in 0..=lines + 1 {
                    assert_eq!(index.line_near(offset, hint), (line as usize - 1, start), "{text:?} {offset} {hint}");
                }
            }
        }
    }
}
