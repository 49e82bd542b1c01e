//! Where something stands in a source file: a byte range with 1-based lines and columns.

/// A byte range in a source file, with 1-based line and column (in characters) of both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based column of `start`, counted in characters.
    pub column: u32,
    /// 1-based line of the last character.
    pub end_line: u32,
    /// 1-based column one past the last character (so `end_column - column` is the width on one line).
    pub end_column: u32,
}

impl Span {
    /// The span covering `self` through `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start,
            end: other.end,
            line: self.line,
            column: self.column,
            end_line: other.end_line,
            end_column: other.end_column,
        }
    }
}
