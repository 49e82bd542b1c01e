//! yaml-rust2 scanner errors, worded and placed where libyaml (so CloudFormation and cfn-lint) reports them.

use yaml_rust2::scanner::ScanError;

use super::scanner::Source;
use crate::source::node::{SyntaxError, MAX_DEPTH};

impl Source<'_> {
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
