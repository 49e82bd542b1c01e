//! `jsonencode` and `jsondecode` (go-cty `stdlib/json.go`): JSON written as Go's `encoding/json` writes it, and read
//! with numbers kept exact.

use super::{arity, reject_null, string, unknown_in};
use crate::source::hcl::value::{format_number, parse_number, Unknown, Value};
use std::collections::BTreeMap;

/// How deeply `jsondecode` nests before refusing: far beyond real documents, well within the stack.
const MAX_DEPTH: usize = 256;

/// `jsonencode(v)`: unknown when anything inside is unknown; null encodes as `null`.
pub(super) fn jsonencode(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(1))?;
    if let Some(unknown) = unknown_in(args) {
        return Ok(unknown);
    }
    let mut out = String::new();
    encode(&args[0], &mut out);
    Ok(Value::String(out))
}

/// Append `value` as compact JSON. Object keys are in lexical order, as cty iterates them.
pub(super) fn encode(value: &Value, out: &mut String) {
    encode_as(value, out, &|_, out| out.push_str("null"));
}

/// `jsonencode(v)` of a value with unknowns inside, as far as it is known: each unknown value written as a JSON
/// string holding one `${...}` placeholder (the reference that gives it, or `${?}`), as a CloudFormation
/// definition string joined around a parameter reads. Only a Step Functions definition is read this way: a task
/// that creates a PT must be found even when another of its values is not known here.
pub fn encode_with_placeholders(value: &Value) -> String {
    let mut out = String::new();
    encode_as(value, &mut out, &placeholder);
    out
}

/// An unknown as a JSON string holding its `${...}` placeholder.
fn placeholder(unknown: &Unknown, out: &mut String) {
    let written = match unknown {
        Unknown::Ref { address, attribute: Some(attribute) } => format!("{address}.{attribute}"),
        Unknown::Ref { address, attribute: None } => address.clone(),
        Unknown::Partial(_) => return encode_string(&unknown.partial_text().unwrap_or_default(), out),
        Unknown::Reason(_) => "?".to_string(),
    };
    let written = if written.contains(['{', '}']) { "?" } else { written.as_str() };
    encode_string(&format!("${{{written}}}"), out);
}

/// Append `value` as compact JSON, each unknown written by `unknown`.
fn encode_as(value: &Value, out: &mut String, unknown: &dyn Fn(&Unknown, &mut String)) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Unknown(u) => unknown(u, out),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format_number(*n)),
        Value::String(s) => encode_string(s, out),
        Value::List(items) | Value::Set(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_as(item, out, unknown);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_string(key, out);
                out.push(':');
                encode_as(item, out, unknown);
            }
            out.push('}');
        }
    }
}

/// A JSON string as Go's `encoding/json` writes it: `<`, `>` and `&` escaped as `\u003c`, `\u003e`, `\u0026`
/// (HTML-safe, the default terraform inherits), U+2028 and U+2029 escaped, other control characters as `\u00XX`.
pub(super) fn encode_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `jsondecode(s)`: objects become maps, arrays lists, numbers exact decimals.
pub(super) fn jsondecode(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(1))?;
    reject_null(args)?;
    if args[0].is_unknown() {
        return Ok(args[0].clone());
    }
    let text = string(&args[0])?;
    let mut parser = Parser { bytes: text.as_bytes(), at: 0 };
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.at < parser.bytes.len() {
        return Err(format!("invalid JSON: extraneous data after the value at offset {}", parser.at));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn error(&self, what: &str) -> String {
        match self.bytes.get(self.at) {
            Some(&b) if b.is_ascii_graphic() => {
                format!("invalid JSON: unexpected character '{}' at offset {}, {what}", b as char, self.at)
            }
            Some(_) => format!("invalid JSON: unexpected character at offset {}, {what}", self.at),
            None => format!("invalid JSON: unexpected end of input, {what}"),
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), String> {
        self.skip_space();
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(format!("invalid JSON: nested more than {MAX_DEPTH} levels deep"));
        }
        self.skip_space();
        match self.bytes.get(self.at) {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => {
                for (word, value) in [("true", Value::Bool(true)), ("false", Value::Bool(false)), ("null", Value::Null)]
                {
                    if self.bytes.get(self.at..self.at + word.len()) == Some(word.as_bytes()) {
                        self.at += word.len();
                        return Ok(value);
                    }
                }
                Err(self.error("looking for the beginning of a value"))
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, String> {
        self.at += 1;
        let mut entries = BTreeMap::new();
        self.skip_space();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(Value::Map(entries));
        }
        loop {
            self.skip_space();
            if self.bytes.get(self.at) != Some(&b'"') {
                return Err(self.error("looking for an object key"));
            }
            let key = self.string()?;
            self.expect(b':', "after an object key")?;
            // A repeated key: the later value wins, as in cty's decoder.
            entries.insert(key, self.value(depth + 1)?);
            self.skip_space();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Map(entries));
                }
                _ => return Err(self.error("after an object value")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, String> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Ok(Value::List(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_space();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::List(items));
                }
                _ => return Err(self.error("after an array element")),
            }
        }
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.at;
        let digits = |p: &mut Self| {
            let from = p.at;
            while matches!(p.bytes.get(p.at), Some(b'0'..=b'9')) {
                p.at += 1;
            }
            p.at > from
        };
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let integer_start = self.at;
        if !digits(self) || (self.bytes.get(integer_start) == Some(&b'0') && self.at - integer_start > 1) {
            return Err(self.error("in a number"));
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if !digits(self) {
                return Err(self.error("after a decimal point"));
            }
        }
        if matches!(self.bytes.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.bytes.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.error("in an exponent"));
            }
        }
        let text = std::str::from_utf8(self.bytes.get(start..self.at).unwrap_or_default()).unwrap_or_default();
        Ok(parse_number(text).map_or_else(
            || super::beyond_ptlint(format!("number {text} is beyond the range of exact decimals")),
            Value::Number,
        ))
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let run_start = self.at;
            while matches!(self.bytes.get(self.at), Some(&b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.at += 1;
            }
            // The input is a Rust string and the run stops only at ASCII bytes, so the run is valid UTF-8.
            out.push_str(
                std::str::from_utf8(self.bytes.get(run_start..self.at).unwrap_or_default()).unwrap_or_default(),
            );
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = match self.bytes.get(self.at) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(self.error("in a string escape")),
                    };
                    self.at += 1;
                    out.push(escaped);
                }
                _ => return Err(self.error("in a string")),
            }
        }
    }

    /// A `\uXXXX` escape (the cursor on `u`), joining a surrogate pair; a lone surrogate becomes U+FFFD as in Go.
    /// Leaves the cursor on the escape's last digit.
    fn unicode_escape(&mut self) -> Result<char, String> {
        let first = self.hex4(self.at + 1)?;
        self.at += 4;
        if (0xD800..0xDC00).contains(&first) && self.bytes.get(self.at + 1..self.at + 3) == Some(b"\\u") {
            let second = self.hex4(self.at + 3)?;
            if (0xDC00..0xE000).contains(&second) {
                self.at += 6;
                let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(combined).unwrap_or('\u{FFFD}'));
            }
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn hex4(&self, from: usize) -> Result<u32, String> {
        let digits = self.bytes.get(from..from + 4).ok_or_else(|| self.error("in a \\u escape"))?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return Err(self.error("in a \\u escape"));
        }
        let text = std::str::from_utf8(digits).map_err(|_| self.error("in a \\u escape"))?;
        u32::from_str_radix(text, 16).map_err(|_| self.error("in a \\u escape"))
    }
}
