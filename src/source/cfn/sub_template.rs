//! Splits an `Fn::Sub` template into its pieces (literal text, escaped `${!X}`, `${X}` variables) with byte ranges.

use std::ops::Range;

/// One piece of an `Fn::Sub` template. What a variable stands for, and what an unterminated `${` means, is up to
/// the reader of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SubPiece<'t> {
    /// Literal text up to the next `${` or the end; never empty.
    Text(&'t str),
    /// `${!X}`, which `Fn::Sub` writes as the literal `${X}`: holds `X`.
    Escaped(&'t str),
    /// `${X}`: holds `X` as written, untrimmed.
    Var(&'t str),
    /// A `${` with no `}` after it: holds the rest of the template, from the `${` on. Always the last piece.
    Unterminated(&'t str),
}

/// A piece and the bytes of the template it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SubToken<'t> {
    pub piece: SubPiece<'t>,
    pub range: Range<usize>,
}

/// The pieces of `template`, in order; together their ranges cover it exactly.
pub(super) fn sub_tokens(template: &str) -> SubTokens<'_> {
    SubTokens { template, at: 0 }
}

/// Iterator returned by [`sub_tokens`].
pub(super) struct SubTokens<'t> {
    template: &'t str,
    at: usize,
}

impl<'t> Iterator for SubTokens<'t> {
    type Item = SubToken<'t>;

    fn next(&mut self) -> Option<SubToken<'t>> {
        let start = self.at;
        let rest = &self.template[start..];
        if rest.is_empty() {
            return None;
        }
        let (piece, len) = match rest.find("${") {
            None => (SubPiece::Text(rest), rest.len()),
            Some(open) if open > 0 => (SubPiece::Text(&rest[..open]), open),
            Some(_) => match rest[2..].find('}') {
                None => (SubPiece::Unterminated(rest), rest.len()),
                Some(close) => {
                    let inner = &rest[2..2 + close];
                    let piece = match inner.strip_prefix('!') {
                        Some(literal) => SubPiece::Escaped(literal),
                        None => SubPiece::Var(inner),
                    };
                    (piece, 2 + close + 1)
                }
            },
        };
        self.at = start + len;
        Some(SubToken { piece, range: start..self.at })
    }
}

#[cfg(test)]
mod tests {
    use super::SubPiece::{Escaped, Text, Unterminated, Var};
    use super::*;

    fn tokens(template: &str) -> Vec<(SubPiece<'_>, Range<usize>)> {
        let tokens: Vec<_> = sub_tokens(template).map(|t| (t.piece, t.range)).collect();
        // The ranges tile the template, so a reader tracking offsets loses no byte.
        let mut at = 0;
        for (_, range) in &tokens {
            assert_eq!(range.start, at, "ranges of {template:?} leave a gap or overlap");
            at = range.end;
        }
        assert_eq!(at, template.len(), "ranges of {template:?} do not reach its end");
        tokens
    }

    #[test]
    fn text_variables_and_escapes_with_their_ranges() {
        assert_eq!(
            tokens("x-${Name}-${AWS::Region}-${!Literal}"),
            vec![
                (Text("x-"), 0..2),
                (Var("Name"), 2..9),
                (Text("-"), 9..10),
                (Var("AWS::Region"), 10..24),
                (Text("-"), 24..25),
                (Escaped("Literal"), 25..36),
            ]
        );
    }

    #[test]
    fn adjacent_variables_have_no_text_between() {
        assert_eq!(tokens("${A}${!B}${C}"), vec![(Var("A"), 0..4), (Escaped("B"), 4..9), (Var("C"), 9..13)]);
    }

    #[test]
    fn variable_names_are_kept_as_written() {
        assert_eq!(tokens("${ Job.Arn }"), vec![(Var(" Job.Arn "), 0..12)]);
        assert_eq!(tokens("${ !X}"), vec![(Var(" !X"), 0..6)]);
    }

    #[test]
    fn empty_placeholders() {
        assert_eq!(tokens("${}"), vec![(Var(""), 0..3)]);
        assert_eq!(tokens("a${!}b"), vec![(Text("a"), 0..1), (Escaped(""), 1..5), (Text("b"), 5..6)]);
    }

    #[test]
    fn an_unterminated_placeholder_is_the_last_piece() {
        assert_eq!(tokens("a-${Name"), vec![(Text("a-"), 0..2), (Unterminated("${Name"), 2..8)]);
        assert_eq!(tokens("${!Name"), vec![(Unterminated("${!Name"), 0..7)]);
        assert_eq!(tokens("${"), vec![(Unterminated("${"), 0..2)]);
        // The `}` closes the first `${`, whatever lies between.
        assert_eq!(tokens("${a${b}c"), vec![(Var("a${b"), 0..7), (Text("c"), 7..8)]);
    }

    #[test]
    fn a_dollar_without_a_brace_is_text() {
        assert_eq!(tokens("$5 {x} $"), vec![(Text("$5 {x} $"), 0..8)]);
        assert_eq!(tokens("$$${A}"), vec![(Text("$$"), 0..2), (Var("A"), 2..6)]);
        assert_eq!(tokens(""), vec![]);
    }

    #[test]
    fn non_ascii_text_and_names_keep_byte_ranges() {
        assert_eq!(tokens("é-${Größe}-€"), vec![(Text("é-"), 0..3), (Var("Größe"), 3..13), (Text("-€"), 13..17)]);
    }
}
