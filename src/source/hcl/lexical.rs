//! Lexical look-aheads the HCL repairs share: where a `for` starts and where a heredoc ends.

/// Whether the text after a `[` or `{` starts a `for` expression: `for` then a blank or a comment.
pub(super) fn starts_for(after: &[u8]) -> bool {
    let rest = after.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n')).map_or(&[][..], |n| &after[n..]);
    rest.starts_with(b"for") && rest.get(3).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'#' | b'/'))
}

/// Where a heredoc that starts at `at` (`<<EOT` or `<<-EOT`) ends: after its closing delimiter line.
pub(super) fn heredoc_end(text: &str, at: usize) -> Option<usize> {
    let after = text.get(at + 2..)?;
    let after = after.strip_prefix('-').unwrap_or(after);
    let name_len = after.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-').count();
    let name = after.get(..name_len).filter(|n| !n.is_empty())?;
    let body_start = after[name_len..].find('\n')? + 1;
    let mut offset = text.len() - after.len() + name_len + body_start;
    for line in text[offset..].split_inclusive('\n') {
        offset += line.len();
        if line.trim() == name {
            return Some(offset);
        }
    }
    Some(text.len())
}
