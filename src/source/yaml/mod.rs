//! A YAML reader that keeps the exact span of every value and key and expands CloudFormation short-form tags.

mod builder;
mod scanner;
mod tags;
#[cfg(test)]
mod tests;

use super::node::{Node, SyntaxError};
use builder::Reader;

/// Parse the first document of a YAML stream into a span-aware tree.
///
/// CloudFormation short forms (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) become their long forms
/// (`{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`, `{"Fn::Sub": ...}`); aliases are expanded and
/// `<<` merge keys applied. A stream without any document yields a null node at 1:1.
pub fn parse_yaml(text: &str) -> Result<Node, SyntaxError> {
    Reader::new(text).run()
}
