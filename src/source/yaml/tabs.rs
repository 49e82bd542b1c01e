//! Tabs after a `:` value indicator read as separation whitespace, as libyaml (CloudFormation, cfn-lint) reads them.
//!
//! yaml-rust2 rejects `Key:<TAB>value` when the value starts with a letter, digit or `-`; libyaml accepts it, so
//! a template that deploys would be an input error here and its PT lost. Each such tab is replaced by a space
//! before parsing: same byte length and same character count, so every offset, line and column is unchanged,
//! and the tab was never part of a value. Tabs inside quoted scalars, block scalars and comments are content
//! and are left alone; where that cannot be told cheaply (a block scalar's extent is judged by indentation,
//! generously) the tab is left as it is, so the worst case is yaml-rust2's own error, as before.

use std::borrow::Cow;

/// `text` with every tab that separates a `:` indicator from its value replaced by a space.
pub(super) fn separate_values(text: &str) -> Cow<'_, str> {
    if memchr::memmem::find(text.as_bytes(), b":\t").is_none() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut changed = false;
    let mut scan = Scan::default();
    let mut at = 0;
    while at < bytes.len() {
        at = match scan.step(&bytes, at) {
            Step::Next(next) => next,
            Step::TabsAfterColon(from) => {
                let mut end = from;
                while bytes.get(end) == Some(&b'\t') || bytes.get(end) == Some(&b' ') {
                    if bytes[end] == b'\t' {
                        bytes[end] = b' ';
                        changed = true;
                    }
                    end += 1;
                }
                end
            }
        };
    }
    if !changed {
        return Cow::Borrowed(text);
    }
    // Only ASCII tabs were replaced by ASCII spaces, so the bytes are still the same valid UTF-8.
    String::from_utf8(bytes).map_or(Cow::Borrowed(text), Cow::Owned)
}

enum Step {
    /// Go on scanning at this offset.
    Next(usize),
    /// A `:` indicator followed by blanks holding a tab; they start at this offset.
    TabsAfterColon(usize),
}

/// Just enough of YAML's lexical structure to know whether a `:` is an indicator: outside quoted scalars,
/// comments and block scalars.
#[derive(Default)]
struct Scan {
    /// Inside a quoted scalar opened by this quote byte.
    quote: Option<u8>,
    /// Inside a block scalar whose content lines are indented more than this.
    block_indent: Option<usize>,
    /// Indentation of the current line (spaces before its first other character).
    line_indent: usize,
    /// Still in the current line's leading spaces.
    in_indent: bool,
}

impl Scan {
    fn step(&mut self, bytes: &[u8], at: usize) -> Step {
        let byte = bytes[at];
        let prev = at.checked_sub(1).map(|i| bytes[i]);
        if byte == b'\n' || byte == b'\r' {
            self.line_indent = 0;
            self.in_indent = true;
            return Step::Next(at + 1);
        }
        if self.in_indent {
            if byte == b' ' {
                self.line_indent += 1;
                return Step::Next(at + 1);
            }
            self.in_indent = false;
            if let Some(indent) = self.block_indent {
                // A block scalar goes on while its lines are indented more than the line that opened it
                // (blank lines included); a tab-indented or empty line does not end it either.
                if self.line_indent > indent || byte == b'\t' {
                    return Step::Next(line_end(bytes, at));
                }
                self.block_indent = None;
            }
        }
        if let Some(quote) = self.quote {
            match byte {
                b'\\' if quote == b'"' => return Step::Next(at + 2),
                b'\'' if quote == b'\'' && bytes.get(at + 1) == Some(&b'\'') => return Step::Next(at + 2),
                _ if byte == quote => self.quote = None,
                _ => {}
            }
            return Step::Next(at + 1);
        }
        let token_start = matches!(prev, None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b','));
        match byte {
            b'#' if matches!(prev, None | Some(b' ' | b'\t' | b'\n' | b'\r')) => Step::Next(line_end(bytes, at)),
            b'"' | b'\'' if token_start => {
                self.quote = Some(byte);
                Step::Next(at + 1)
            }
            b'|' | b'>' if token_start && is_block_header(bytes, at + 1) => {
                self.block_indent = Some(self.line_indent);
                Step::Next(line_end(bytes, at))
            }
            b':' if bytes.get(at + 1) == Some(&b'\t') => Step::TabsAfterColon(at + 1),
            _ => Step::Next(at + 1),
        }
    }
}

/// Whether what follows a `|` or `>` is a block scalar header: indicators, then blanks, a comment or a break.
fn is_block_header(bytes: &[u8], from: usize) -> bool {
    let rest = bytes.get(from..).unwrap_or_default();
    let indicators = rest.iter().take_while(|b| matches!(b, b'+' | b'-' | b'0'..=b'9')).count();
    matches!(rest.get(indicators), None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'#'))
}

/// Offset of the line break ending the line that holds `at` (or the end of the text).
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes.get(at..).and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r')).map_or(bytes.len(), |i| at + i)
}

#[cfg(test)]
mod tests {
    use super::separate_values;

    #[test]
    fn tabs_after_a_value_indicator_become_spaces() {
        assert_eq!(separate_values("Type:\tAWS::S3::Bucket\n"), "Type: AWS::S3::Bucket\n");
        assert_eq!(separate_values("a:\t\t-1\nb: {c:\t2}\n"), "a:  -1\nb: {c: 2}\n");
        assert_eq!(separate_values("- Key:\tteam\n"), "- Key: team\n");
    }

    #[test]
    fn tabs_inside_scalars_and_comments_are_content() {
        for text in [
            "a: \"x:\ty\"\n",
            "a: 'it''s:\tx'\n",
            "a: \"multi\n  line:\tx\"\n",
            "# a:\tb\n",
            "a: 1 # b:\tc\n",
            "a: |\n  k:\tv\n  more:\tx\nb: 1\n",
            "- >-\n   k:\tv\n",
        ] {
            assert_eq!(separate_values(text), text, "{text:?}");
        }
        // After the block scalar ends, the next key's tab is separation again.
        assert_eq!(separate_values("a: |\n  k:\tv\nb:\tx\n"), "a: |\n  k:\tv\nb: x\n");
        // A `:` inside a plain scalar is not followed by a blank, so nothing changes.
        assert_eq!(separate_values("url: http://x\n"), "url: http://x\n");
    }
}
