//! A YAML reader that keeps the exact span of every value and key and expands CloudFormation short-form tags.

mod builder;
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
    let text = tabs::separate_values(text);
    Reader::new(&text).run()
}
