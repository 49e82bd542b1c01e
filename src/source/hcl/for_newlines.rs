//! A workaround for hcl-edit 0.10, which refuses a line break inside the key or value of a `{ for ... }`
//! expression, or inside the collection of any `for` (`k => a &&\n b`), where terraform ignores line breaks.
//!
//! The fix belongs in hcl-edit (`upstream/hcl-edit-for-expr-newline.md` holds the pull request); until it
//! lands, a file that fails to parse where such a line break is retried with that line break turned into a
//! space. Byte offsets do not move, so every span stays exact; only whitespace inside a `for` expression
//! changes, which terraform reads the same either way. Line breaks elsewhere (an object's items, an
//! attribute) mean what they meant: terraform refuses `{ a = x &&\n y }`, and so does ptlint.

use super::lexical::{heredoc_end, starts_for};

/// How many line breaks one file may have joined: each costs a parse of the file.
const MAX_JOINS: usize = 256;

/// Parse `text`, joining the lines hcl-edit stops at inside a `for` expression (and dropping the earlier
/// value of an object key set twice: `super::duplicate_keys`).
pub fn parse_body(text: &str) -> Result<hcl_edit::structure::Body, hcl_edit::parser::Error> {
    let mut joined: Option<String> = None;
    for _ in 0..MAX_JOINS {
        let current = joined.as_deref().unwrap_or(text);
        match hcl_edit::parser::parse_body(current) {
            Ok(body) => return Ok(body),
            Err(err) => {
                let offset = err.location().offset();
                let repaired = if err.message().contains("redefined object key") {
                    super::duplicate_keys::drop_earlier_duplicate(current, offset)
                } else {
                    join_line_in_for(current, offset)
                };
                match repaired {
                    Some(next) => joined = Some(next),
                    None => return Err(err),
                }
            }
        }
    }
    hcl_edit::parser::parse_body(joined.as_deref().unwrap_or(text))
}

/// `text` with the line breaks of the whitespace at `offset` turned into spaces, when that whitespace holds
/// a line break and sits directly inside a `for` expression; `None` otherwise. A line comment that ends in
/// that whitespace is blanked too (it would otherwise swallow the joined line); terraform ignores it there.
fn join_line_in_for(text: &str, offset: usize) -> Option<String> {
    let bytes = text.as_bytes();
    let blank = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let offset = offset.min(bytes.len());
    let start = offset - bytes[..offset].iter().rev().take_while(|b| blank(**b)).count();
    // Forward over blanks and line comments: the parser may stop at the `#` of a comment before the break.
    let mut end = offset;
    loop {
        end += bytes[end..].iter().take_while(|b| blank(**b)).count();
        let rest = &bytes[end..];
        if !(rest.starts_with(b"#") || rest.starts_with(b"//")) {
            break;
        }
        end += rest.iter().position(|b| *b == b'\n').map_or(rest.len(), |n| n + 1);
    }
    if !bytes[start..end].contains(&b'\n') {
        return None;
    }
    let start = match context(text, start) {
        Context::For => start,
        Context::LineComment { begin } if context(text, begin) == Context::For => begin,
        _ => return None,
    };
    let mut joined = bytes.to_vec();
    for byte in &mut joined[start..end] {
        if !matches!(*byte, b' ' | b'\t') {
            *byte = b' ';
        }
    }
    String::from_utf8(joined).ok()
}

/// Where a position of the text is, as far as joining lines goes.
#[derive(Debug, PartialEq)]
enum Context {
    /// Directly inside a `for` expression: its innermost open bracket starts one.
    For,
    /// In a line comment (`#` or `//`, up to and including its line break) that begins at `begin`.
    LineComment { begin: usize },
    /// Anywhere else: another bracket, a string, a heredoc, a block comment, the top level.
    Other,
}

/// What an open bracket (or a string) at some point of the text is.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    Paren,
    /// `[` or `{`, and whether a `for` expression follows it.
    Bracket {
        is_for: bool,
    },
    /// A quoted string.
    Quote,
    /// `${` or `%{` inside a quoted string.
    Interpolation,
}

/// Where `at` is: a small scan of HCL's tokens (brackets, strings, interpolations, comments, heredocs) up to it.
fn context(text: &str, at: usize) -> Context {
    let bytes = text.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < at {
        let rest = &bytes[i..];
        if stack.last() == Some(&Open::Quote) {
            match rest {
                [b'\\', _, ..] => i += 2,
                [b'$' | b'%', b'$' | b'%', b'{', ..] if rest[0] == rest[1] => i += 3,
                [b'$' | b'%', b'{', ..] => {
                    stack.push(Open::Interpolation);
                    i += 2;
                }
                [b'"', ..] | [b'\n', ..] => {
                    stack.pop();
                    i += 1;
                }
                _ => i += 1,
            }
            continue;
        }
        match rest {
            [b'#', ..] | [b'/', b'/', ..] => match rest.iter().position(|b| *b == b'\n') {
                Some(n) if i + n >= at => return Context::LineComment { begin: i },
                Some(n) => i += n + 1,
                None => return Context::LineComment { begin: i },
            },
            [b'/', b'*', ..] => match text[i + 2..].find("*/") {
                Some(n) => i += n + 4,
                None => return Context::Other,
            },
            [b'<', b'<', ..] => match heredoc_end(text, i) {
                Some(end) => i = end,
                None => i += 2,
            },
            [b'"', ..] => {
                stack.push(Open::Quote);
                i += 1;
            }
            [b'(', ..] => {
                stack.push(Open::Paren);
                i += 1;
            }
            [b'[' | b'{', ..] => {
                stack.push(Open::Bracket { is_for: starts_for(&rest[1..]) });
                i += 1;
            }
            [b')' | b']' | b'}', ..] => {
                stack.pop();
                i += 1;
            }
            _ => i += 1,
        }
        if i > at {
            // The position is inside a block comment or a heredoc.
            return Context::Other;
        }
    }
    if stack.last() == Some(&Open::Bracket { is_for: true }) {
        Context::For
    } else {
        Context::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parses(text: &str) -> bool {
        parse_body(text).is_ok()
    }

    /// Each was run through `terraform validate` (1.11.4): these it accepts.
    #[test]
    fn line_breaks_inside_for_expressions_parse_as_terraform_parses_them() {
        for text in [
            "x = { for k in [\"a\"] : k => true &&\n    true }\n",
            "x = { for k in [\"a\"] : k => k == \"a\" ?\n 1 : 2 }\n",
            "x = { for k in [\"a\"] : k => k == \"a\" ? 1 :\n 2 }\n",
            "x = { for k in [\"a\"] : k => 1 +\n 2 }\n",
            "x = { for k in [\"a\"] : k => 1\n + 2 }\n",
            "x = { for k in [\"a\"] : (k) => true &&\n true }\n",
            "x = { for k in true ? [\"a\"] :\n [] : k => 1 }\n",
            "x = [ for k in true ? [\"a\"] :\n [] : 1 ]\n",
            "x = { for k in [\"a\"] : k => true &&\r\n true }\r\n",
            "x = { for k in [\"a\"] : k => 1 + # one\n 2 }\n",
            "x = { for k in [\"a\"] : k => 1 + // one\n 2 }\n",
            // Two in one file, and one after a heredoc, a string and a comment holding brackets.
            "a = <<EOT\n{ [ (\nEOT\nb = \"{ [\" # {\nx = { for k in [\"a\"] : k => 1 +\n 2 }\ny = { for k in [\"a\"] : k => true ||\n false }\n",
        ] {
            assert!(parses(text), "{text:?}");
        }
    }

    /// And these terraform refuses ("Invalid expression"): line breaks outside a `for` still end the expression.
    #[test]
    fn line_breaks_elsewhere_still_end_an_expression() {
        for text in [
            "x = true &&\n true\n",
            "x = { a = true &&\n true }\n",
            "x = { for k in [\"a\"] : \"${k}x\" => {\n  a = 1 &&\n 2 } }\n",
            "x = { a = 1 + # one\n 2 }\n",
        ] {
            assert!(!parses(text), "{text:?}");
        }
    }

    #[test]
    fn joining_keeps_every_offset() {
        let text = "x = { for k in [\"a\"] : k => true &&\n true }\n";
        let offset = text.find("&&").unwrap() + 2;
        let joined = join_line_in_for(text, offset).expect("inside a for");
        assert_eq!(joined.len(), text.len());
        assert_eq!(joined, text.replacen("&&\n", "&& ", 1));
        assert_eq!(join_line_in_for("x = a &&\n b\n", 8), None);
        // A comment before the line break is blanked with it, byte for byte.
        let text = "x = { for k in [\"a\"] : k => 1 + # é\n 2 }\n";
        let joined = join_line_in_for(text, text.find('\n').unwrap()).expect("inside a for");
        assert_eq!(joined.len(), text.len());
        assert!(joined.starts_with("x = { for k in [\"a\"] : k => 1 +       2 }"), "{joined:?}");
    }
}
