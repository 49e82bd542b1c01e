//! A YAML reader that keeps the exact span of every value and key and expands CloudFormation short-form tags.

mod builder;
mod keys;
#[cfg(test)]
mod libyaml_tests;
mod scanner;
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
fn first_unprintable(text: &str) -> Option<(usize, char)> {
    let printable_ascii = |b: &u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E) || !b.is_ascii();
    if text.as_bytes().iter().all(printable_ascii) && text.is_ascii() {
        return None;
    }
    text.char_indices().find(|&(_, c)| {
        !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            && c < '\u{10000}'
    })
}
