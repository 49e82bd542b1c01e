//! The skim's scalars (quoted, plain, block) and one-line flow collections.

use super::{skip_spaces, string_key, Keys, Skim, MAX_LEVELS};

impl<'a> Skim<'a> {
    /// A quoted scalar on one line at `at`: where it ends. Escapes are YAML's own one-character ones in double
    /// quotes (`\n`, `\"`, ...; not `\x`, `\u` or `\U`, which could spell anything) and `''` in single quotes.
    pub(super) fn quoted(&self, at: usize) -> Option<usize> {
        let quote = self.byte(at)?;
        let mut from = at + 1;
        loop {
            let line = self.b.get(from..self.line_end(from))?;
            let found = from + memchr::memchr2(quote, b'\\', line)?;
            match self.byte(found)? {
                b'\\' if quote == b'\'' => from = found + 1,
                b'\\' => match self.byte(found + 1)? {
                    b'0' | b'a' | b'b' | b't' | b'n' | b'v' | b'f' | b'r' | b'e' | b' ' | b'"' | b'/' | b'\\'
                    | b'N' | b'_' | b'L' | b'P' => from = found + 2,
                    _ => return None,
                },
                _ if quote == b'\'' && self.byte(found + 1) == Some(b'\'') => from = found + 2,
                _ => return Some(found + 1),
            }
        }
    }

    /// A quoted key's text: without escapes, so it is the key as written.
    pub(super) fn quoted_key(&self, at: usize) -> Option<(&'a [u8], usize)> {
        let b: &'a [u8] = self.b;
        let end = self.quoted(at)?;
        let text = b.get(at + 1..end - 1)?;
        let escaped = memchr::memchr(b'\\', text).is_some() && self.byte(at) == Some(b'"')
            || memchr::memchr(b'\'', text).is_some() && self.byte(at) == Some(b'\'');
        (!text.is_empty() && !escaped).then_some((text, end))
    }

    /// A plain scalar in block context at `at`, to the end of its line or a comment: the start of the next line.
    pub(super) fn plain_block(&self, at: usize) -> Option<usize> {
        let first = self.byte(at)?;
        if !plain_start(first, self.byte(at + 1)) {
            return None;
        }
        let end = self.line_end(at);
        let line = self.b.get(at..end)?;
        // `: ` or a final `:` would make it a key (an error after a key, a mapping after a `-`); ` #` starts a comment.
        let mut from = 0;
        while let Some(i) = memchr::memchr2(b':', b'#', line.get(from..)?) {
            let i = from + i;
            match line[i] {
                b':' if matches!(line.get(i + 1), None | Some(b' ')) => return None,
                b'#' if line.get(i.wrapping_sub(1)) == Some(&b' ') => return Some(self.next_line(at)),
                _ => from = i + 1,
            }
        }
        Some(self.next_line(at))
    }

    /// A block scalar (`|` or `>`, with a `-` or `+` chomping indicator or none) at `at` in a collection at
    /// `parent`: its content lines are all indented as its first (or more), and more than `parent`; it ends at a
    /// line indented no more than `parent`. Gives the start of that line.
    pub(super) fn block_scalar(&self, at: usize, parent: usize) -> Option<usize> {
        let mut after = at + 1;
        if matches!(self.byte(after), Some(b'-' | b'+')) {
            after += 1;
        }
        let mut line = self.rest_blank(after)?;
        let mut content_indent = None;
        while line < self.b.len() {
            let indent = self.indent_of(line);
            match self.byte(line + indent) {
                // An empty line belongs to the scalar; one of spaces only before the first content line could be
                // more indented than the content, which YAML forbids: left alone.
                Some(b'\n') if content_indent.is_none() && indent > 0 => return None,
                Some(b'\n') => {}
                None => break,
                Some(_) => match content_indent {
                    None if indent > parent => content_indent = Some(indent),
                    // A block scalar with no content is left alone.
                    None => return None,
                    Some(c) if indent >= c => {}
                    Some(_) if indent <= parent => return Some(line),
                    Some(_) => return None,
                },
            }
            line = self.next_line(line);
        }
        content_indent.map(|_| self.b.len())
    }

    /// A flow collection at `at` (`[` or `{`), closed on the same line: where it ends.
    pub(super) fn flow(&mut self, at: usize, level: usize) -> Option<usize> {
        if level > MAX_LEVELS {
            return None;
        }
        let (close, is_map) = match self.byte(at)? {
            b'[' => (b']', false),
            _ => (b'}', true),
        };
        let mut keys = Keys::default();
        let mut at = skip_spaces(self.b, at + 1);
        if self.byte(at) == Some(close) {
            return Some(at + 1);
        }
        loop {
            self.count()?;
            if is_map {
                let (key, after) = self.flow_key(at)?;
                if !keys.insert(key) {
                    return None;
                }
                at = skip_spaces(self.b, after);
            }
            at = skip_spaces(self.b, self.flow_node(at, level)?);
            // After a comma comes another entry: a trailing comma meets the bracket where an entry should be.
            match self.byte(at)? {
                b',' => at = skip_spaces(self.b, at + 1),
                c if c == close => return Some(at + 1),
                _ => return None,
            }
        }
    }

    /// A key in a flow mapping (plain or quoted) and its `:` and the space after it: the key and where its value
    /// starts.
    pub(super) fn flow_key(&self, at: usize) -> Option<(&'a [u8], usize)> {
        let b: &'a [u8] = self.b;
        let (key, end) = match self.byte(at)? {
            b'"' | b'\'' => self.quoted_key(at)?,
            first if first.is_ascii_alphabetic() || first == b'_' => {
                let len = b
                    .get(at..)?
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
                    .count();
                (b.get(at..at + len)?, at + len)
            }
            _ => return None,
        };
        if !string_key(key) || self.byte(end) != Some(b':') || self.byte(end + 1) != Some(b' ') {
            return None;
        }
        Some((key, end + 1))
    }

    /// A value inside a flow collection at `at`: where it ends.
    pub(super) fn flow_node(&mut self, at: usize, level: usize) -> Option<usize> {
        let at = match self.byte(at)? {
            b'!' => {
                let after = self.tag(at)?;
                if after == at || matches!(self.byte(after), None | Some(b'\n' | b',' | b']' | b'}')) {
                    return None;
                }
                after
            }
            _ => at,
        };
        match self.byte(at)? {
            b'[' | b'{' => self.flow(at, level + 1),
            b'"' | b'\'' => self.quoted(at),
            first if plain_start(first, self.byte(at + 1)) => {
                // A plain scalar in flow context ends at a flow indicator; `: ` (a single-pair mapping), ` #` (a
                // comment) and a line end inside the collection are left alone.
                let mut end = at;
                loop {
                    match self.byte(end)? {
                        b',' | b'[' | b']' | b'{' | b'}' => break,
                        b'\n' => return None,
                        b':' if matches!(
                            self.byte(end + 1),
                            None | Some(b' ' | b'\n' | b',' | b'[' | b']' | b'{' | b'}')
                        ) =>
                        {
                            return None
                        }
                        b'#' if self.byte(end.wrapping_sub(1)) == Some(b' ') => return None,
                        // yaml-rust2 refuses a `-` before a flow indicator inside a flow collection (`[a, b -]`).
                        b'-' if matches!(self.byte(end + 1), Some(b',' | b'[' | b']' | b'{' | b'}')) => return None,
                        _ => end += 1,
                    }
                }
                Some(end)
            }
            _ => None,
        }
    }
}

/// Whether a plain scalar may start with `first` (then `second`): not an indicator, except a `-` before a non-space
/// that is not a flow indicator either (yaml-rust2 refuses `[-]`; in block context `-]` is text, left alone all the
/// same).
pub(super) fn plain_start(first: u8, second: Option<u8>) -> bool {
    match first {
        b'-' => !matches!(second, None | Some(b' ' | b'\n' | b',' | b'[' | b']' | b'{' | b'}')),
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"'
        | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
        _ => true,
    }
}
