//! A YAML reader that keeps the exact span of every value and key and expands CloudFormation short-form tags.

mod anchors;
mod builder;
mod keys;
#[cfg(test)]
mod libyaml_tests;
mod properties;
mod scalars;
mod scan_errors;
mod scanner;
pub mod skim;
mod tabs;
mod tags;
#[cfg(test)]
mod tests;

use super::node::{Node, SyntaxError};
use builder::Reader;

/// Parse a single-document YAML stream into a span-aware tree, as CloudFormation and cfn-lint (libyaml) read it.
///
/// CloudFormation short forms (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) become their long forms
/// (`{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`, `{"Fn::Sub": ...}`); aliases are expanded and
/// `<<` merge keys applied. A stream without any document yields a null node at 1:1. A second document,
/// a duplicate mapping key, and a key that is a tagged value or a collection are errors, never dropped or
/// merged silently; a tab after `key:` is separation whitespace.
pub fn parse_yaml(text: &str) -> Result<Node, SyntaxError> {
    if let Some((at, c)) = first_unprintable(text) {
        let message = format!("unacceptable character #x{:04x}: control characters are not allowed", u32::from(c));
        return Err(scanner::Source::new(text).error(at, message));
    }
    let text = tabs::separate_values(text);
    Reader::new(&text).run()
}

/// The first character YAML does not allow anywhere in a stream, comments included, and its byte offset.
///
/// libyaml (so CloudFormation and cfn-lint) rejects the whole file at such a character; yaml-rust2 stops reading
/// at a NUL as if the file ended there, which would drop every resource after it without a word. The allowed set
/// is YAML's printable characters: tab, line feed, carriage return, `#x20`-`#x7E`, NEL (`#x85`), `#xA0`-`#xD7FF`,
/// `#xE000`-`#xFFFD` and `#x10000` up (a Rust `char` is never a surrogate).
pub(super) fn first_unprintable(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    // Printable ASCII is skipped a chunk at a time (a branch-free test the compiler vectorises); only a control
    // byte, DEL, or the first byte of a non-ASCII character is looked at as a character.
    while let Some(found) = next_suspicious(bytes, at) {
        let c = text.get(found..)?.chars().next()?;
        if !printable(c) {
            return Some((found, c));
        }
        at = found + c.len_utf8();
    }
    None
}

/// Whether YAML allows a character in a stream.
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// The first byte from `from` on that is not printable ASCII (tab, line feed, carriage return, `#x20`-`#x7E`).
fn next_suspicious(bytes: &[u8], from: usize) -> Option<usize> {
    const CHUNK: usize = 32;
    let suspicious = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b >= 0x7F;
    let rest = bytes.get(from..)?;
    let mut start = 0;
    for chunk in rest.chunks(CHUNK) {
        if chunk.iter().fold(false, |any, &b| any | suspicious(b)) {
            return chunk.iter().position(|&b| suspicious(b)).map(|i| from + start + i);
        }
        start += chunk.len();
    }
    None
}
