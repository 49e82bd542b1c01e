//! A small JSON parser that keeps the exact span of every value and key (serde_json keeps none).

use super::node::{Key, LineIndex, Node, Span, SyntaxError, Value, MAX_DEPTH};

/// Parse a JSON document into a span-aware tree.
///
/// Positions in ASCII text (nearly every template and plan) are looked up in an index of line starts, asking first
/// at the line of the position before, and a column is a byte count; in other text a cursor that only moves forward
/// with the parser counts characters. Either way the cost is linear even for `terraform show -json` output, which
/// is one very long line (counting a line's characters from its start for each span would be quadratic there).
pub fn parse_json(text: &str) -> Result<Node, SyntaxError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        cursor: Cursor { offset: 0, line: 1, column: 1 },
        ascii_lines: text.is_ascii().then(|| LineIndex::new(text)),
        last_line: 0,
    };
    parser.skip_whitespace();
    let node = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error_at(parser.pos, "unexpected text after the JSON value"));
    }
    Ok(node)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    cursor: Cursor,
    /// The line starts of an ASCII text, where a column is a byte count; `None`: the cursor counts characters.
    ascii_lines: Option<LineIndex>,
    /// The 0-based line of the last position looked up in `ascii_lines`.
    last_line: usize,
}

/// The 1-based line and character column of byte `offset`, moved forward as the parser advances.
#[derive(Clone, Copy)]
struct Cursor {
    offset: usize,
    line: u32,
    column: u32,
}

/// A value's start: its byte offset and position.
#[derive(Clone, Copy)]
struct Mark {
    offset: usize,
    line: u32,
    column: u32,
}

impl Parser<'_> {
    fn error_at(&self, offset: usize, message: &str) -> SyntaxError {
        // Errors are rare (one per file at most): a text that is not ASCII has its line index built only for them.
        let (line, column) = match &self.ascii_lines {
            Some(lines) => lines.position(self.text, offset),
            None => LineIndex::new(self.text).position(self.text, offset),
        };
        SyntaxError { message: message.to_string(), line, column, offset }
    }

    /// The parser's position, looked up in ASCII text and counted forward by the cursor in other text.
    fn mark(&mut self) -> Mark {
        let target = self.pos.min(self.bytes.len());
        if let Some(lines) = &self.ascii_lines {
            let (line, start) = lines.line_near(target, self.last_line);
            self.last_line = line;
            let number = |n: usize| u32::try_from(n).unwrap_or(u32::MAX).saturating_add(1);
            return Mark { offset: target, line: number(line), column: number(target - start) };
        }
        let Cursor { mut offset, mut line, mut column } = self.cursor;
        if let Some(skipped) = self.bytes.get(offset..target) {
            // A line ends at `\n`, at `\r\n` (counted at its `\r`), or at a `\r` alone, as [`LineIndex`] counts.
            let mut after_cr = offset > 0 && self.bytes.get(offset - 1) == Some(&b'\r');
            for &b in skipped {
                let continues_crlf = b == b'\n' && after_cr;
                after_cr = b == b'\r';
                if continues_crlf {
                    continue;
                }
                if b == b'\n' || b == b'\r' {
                    line = line.saturating_add(1);
                    column = 1;
                } else if b & 0xC0 != 0x80 {
                    // Count characters, not bytes: UTF-8 continuation bytes do not start a column.
                    column = column.saturating_add(1);
                }
            }
            offset = target;
        }
        self.cursor = Cursor { offset, line, column };
        Mark { offset, line, column }
    }

    /// The span from `start` to the parser's position.
    fn span(&mut self, start: Mark) -> Span {
        let end = self.mark();
        Span {
            start: start.offset,
            end: end.offset,
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error_at(self.pos, &format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let start = self.mark();
        match self.bytes.get(self.pos) {
            None => Err(self.error_at(self.pos, "unexpected end of input, expected a value")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node::new(Value::String(s), self.span(start)))
            }
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error_at(self.pos, "expected a JSON value")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Node, SyntaxError> {
        let start = self.mark();
        if self.bytes.get(self.pos..).is_some_and(|rest| rest.starts_with(word.as_bytes())) {
            self.pos += word.len();
            Ok(Node::new(value, self.span(start)))
        } else {
            Err(self.error_at(start.offset, &format!("expected `{word}`")))
        }
    }

    fn number(&mut self) -> Result<Node, SyntaxError> {
        let start = self.mark();
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let from = p.pos;
            while p.bytes.get(p.pos).is_some_and(u8::is_ascii_digit) {
                p.pos += 1;
            }
            p.pos > from
        };
        if !digits(self) {
            return Err(self.error_at(self.pos, "invalid number"));
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.error_at(self.pos, "invalid number: digits expected after `.`"));
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.error_at(self.pos, "invalid number: digits expected in exponent"));
            }
        }
        let text = self.text.get(start.offset..self.pos).unwrap_or_default().to_string();
        Ok(Node::new(Value::Number(text), self.span(start)))
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits =
            self.bytes.get(self.pos..self.pos + 4).ok_or_else(|| self.error_at(self.pos, "truncated \\u escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error_at(self.pos, "invalid \\u escape"))?;
        let code = u32::from_str_radix(text, 16).map_err(|_| self.error_at(self.pos, "invalid \\u escape"))?;
        self.pos += 4;
        Ok(code)
    }

    /// Parse a string starting at the opening quote; returns its decoded content.
    fn string(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The run stops only at ASCII bytes, so both ends are character boundaries.
            out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            match self.bytes.get(self.pos) {
                None => return Err(self.error_at(open, "unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let escape_at = self.pos;
                    self.pos += 1;
                    let Some(&c) = self.bytes.get(self.pos) else {
                        return Err(self.error_at(open, "unterminated string"));
                    };
                    self.pos += 1;
                    match c {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&first)
                                && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u")
                            {
                                self.pos += 2;
                                let second = self.hex4()?;
                                if (0xDC00..0xE000).contains(&second) {
                                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                                } else {
                                    0xFFFD
                                }
                            } else {
                                first
                            };
                            // Lone surrogates cannot be represented in Rust strings; keep going with U+FFFD.
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(self.error_at(escape_at, "invalid escape sequence")),
                    }
                }
                Some(_) => return Err(self.error_at(self.pos, "control character in string")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        let start = self.mark();
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Node::new(Value::Array(items), self.span(start)));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node::new(Value::Array(items), self.span(start)));
                }
                None => return Err(self.error_at(start.offset, "unclosed array: missing `]`")),
                Some(_) => return Err(self.error_at(self.pos, "expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        let start = self.mark();
        self.pos += 1;
        let mut entries = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Node::new(Value::Object(entries), self.span(start)));
        }
        loop {
            self.skip_whitespace();
            let key_start = self.mark();
            match self.bytes.get(self.pos) {
                Some(b'"') => {}
                None => return Err(self.error_at(start.offset, "unclosed object: missing `}`")),
                Some(_) => return Err(self.error_at(self.pos, "expected a string key")),
            }
            let name = self.string()?;
            let key = Key { name, span: self.span(key_start) };
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error_at(self.pos, "expected `:` after the key"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node::new(Value::Object(entries), self.span(start)));
                }
                None => return Err(self.error_at(start.offset, "unclosed object: missing `}`")),
                Some(_) => return Err(self.error_at(self.pos, "expected `,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_exact_positions() {
        let text = "{\n  \"a\": [1, \"x\"],\n  \"é\": {\"b\": true}\n}";
        let root = parse_json(text).unwrap();
        let a = root.get("a").unwrap();
        assert_eq!((a.span.line, a.span.column), (2, 8));
        let items = a.as_array().unwrap();
        assert_eq!(items[0].value, Value::Number("1".into()));
        assert_eq!((items[1].span.line, items[1].span.column, items[1].span.end_column), (2, 12, 15));
        let b = root.path(&["é", "b"]).unwrap();
        assert_eq!(b.value, Value::Bool(true));
        // The key `"é"` is 4 bytes but 3 columns: `b`'s value sits at character column 14 (byte column 15).
        assert_eq!((b.span.line, b.span.column), (3, 14));
        let (key, _) = root.entry("é").unwrap();
        assert_eq!((key.span.line, key.span.column), (3, 3));
    }

    /// Every span the forward cursor computes equals what a line-index lookup gives.
    #[test]
    fn cursor_positions_match_the_line_index() {
        fn check(node: &Node, text: &str, index: &LineIndex) {
            assert_eq!(node.span, index.span(text, node.span.start, node.span.end), "{node:?}");
            match &node.value {
                Value::Array(items) => items.iter().for_each(|n| check(n, text, index)),
                Value::Object(entries) => entries.iter().for_each(|(k, v)| {
                    assert_eq!(k.span, index.span(text, k.span.start, k.span.end));
                    check(v, text, index);
                }),
                _ => {}
            }
        }
        let text = "{\"é→😀\": [1, {\"ü\": \"x\\u00e9\"},\r\n  true, null, -2.5e3],\n\t\"k\": {\"日本\": [[], {}]}}";
        let root = parse_json(text).unwrap();
        check(&root, text, &LineIndex::new(text));
        // Carriage returns alone end lines too, and `\r\n` is one line break.
        let text = "{\r  \"a\": 1,\r\r  \"b\": [\r\n true,\r\"é\"]\r}";
        let root = parse_json(text).unwrap();
        check(&root, text, &LineIndex::new(text));
        let b = root.get("b").unwrap().as_array().unwrap();
        assert_eq!((b[1].span.line, b[1].span.column), (6, 1));
        let error = parse_json("{\r\"a\": 1,\r\"b\" 2}").unwrap_err();
        assert_eq!((error.line, error.column), (3, 5));
        // ASCII text (looked up, not counted): line feeds, `\r\n`, lone `\r`, blank lines, one long line.
        let long = format!("[{}\"end\"]", "{\"k\": [1, true, null, \"v\"]}, ".repeat(500));
        for text in [
            "{\n  \"a\": [1, \"x\"],\r\n  \"b\": {\"c\": true},\r\r\n\t\"d\": [[], {}]\n}\n",
            "{\r  \"a\": 1,\r\r  \"b\": [\r\n true,\r\"e\"]\r}",
            "[1,\n\n\n2 ,\r\n\r\n  3\n]",
            long.as_str(),
        ] {
            let root = parse_json(text).unwrap();
            check(&root, text, &LineIndex::new(text));
        }
        let b = parse_json("{\r  \"a\": 1,\r\r  \"b\": [\r\n true,\r\"e\"]\r}").unwrap();
        let b = b.get("b").unwrap().as_array().unwrap();
        assert_eq!((b[1].span.line, b[1].span.column, b[1].span.end_column), (6, 1, 4));
    }

    #[test]
    fn escapes_and_surrogates_decode() {
        let root = parse_json(r#"["a\"b\\c\n", "\ud83d\ude00", "\u00e9"]"#).unwrap();
        let items = root.as_array().unwrap();
        assert_eq!(items[0].as_str(), Some("a\"b\\c\n"));
        assert_eq!(items[1].as_str(), Some("😀"));
        assert_eq!(items[2].as_str(), Some("é"));
    }

    #[test]
    fn errors_are_located() {
        let err = parse_json("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        assert_eq!((err.line, err.column), (3, 7));
        assert!(err.message.contains("expected `:`"));
        let err = parse_json("{\"a\": [1, 2").unwrap_err();
        assert_eq!((err.line, err.column), (1, 7));
        assert!(err.message.contains("unclosed array"));
        let err = parse_json("").unwrap_err();
        assert!(err.message.contains("unexpected end"));
        let err = parse_json("{} x").unwrap_err();
        assert_eq!(err.column, 4);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        let err = parse_json(&text).unwrap_err();
        assert!(err.message.contains("nesting deeper"));
    }

    #[test]
    fn truncated_prefixes_never_panic() {
        let text =
            r#"{"Resources": {"Pt": {"Type": "Custom::Pt", "Properties": {"ModelUnits": -1.5e+3, "X": "\u00e9\n"}}}}"#;
        for end in 0..text.len() {
            if text.is_char_boundary(end) {
                let _ = parse_json(&text[..end]);
            }
        }
        assert!(parse_json(text).is_ok());
    }
}
