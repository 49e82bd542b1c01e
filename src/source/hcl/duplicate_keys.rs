//! A workaround for hcl-edit 0.10, which refuses an object constructor that sets one key twice
//! (`{ a = 1\n a = 2 }`: "redefined object key"), where terraform takes the last value (checked with terraform
//! 1.11.4). Published configurations do this (Azure CAF's `examples/module.tf`), and one such file stopped a run.
//!
//! A file that fails there is parsed again with the earlier item blanked out (spaces, line breaks kept), which
//! is the value terraform keeps. Byte offsets do not move, so every span stays exact.

/// `text` with the earlier item of the duplicate key that starts at `offset` blanked, or `None` when the key,
/// its object or the earlier item cannot be found with certainty.
pub fn drop_earlier_duplicate(text: &str, offset: usize) -> Option<String> {
    let key = key_at(text, offset)?;
    let items = items_before(text, offset)?;
    let (start, end) = items.into_iter().rev().find(|(start, _)| key_at(text, *start).as_deref() == Some(&key))?;
    // An item ended by a comma goes with its comma.
    let end = if text.as_bytes().get(end) == Some(&b',') { end + 1 } else { end };
    let mut blanked = text.as_bytes().to_vec();
    for byte in &mut blanked[start..end] {
        if *byte != b'\n' {
            *byte = b' ';
        }
    }
    String::from_utf8(blanked).ok()
}

/// The object key written at `at`: an identifier, or a quoted string without escapes or interpolation.
fn key_at(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    if let Some(quoted) = rest.strip_prefix('"') {
        let end = quoted.find('"')?;
        let key = &quoted[..end];
        return (!key.contains(['\\', '$', '%', '\n'])).then(|| key.to_string());
    }
    let len = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-').count();
    let key = &rest[..len];
    key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_').then(|| key.to_string())
}

/// The items, as (start, end) byte ranges, of the object constructor that directly holds `at`, up to `at`;
/// `None` when `at` is not directly in one (a string, a comment, a heredoc, another bracket).
fn items_before(text: &str, at: usize) -> Option<Vec<(usize, usize)>> {
    let bytes = text.as_bytes();
    // One frame per open bracket: its kind and, for objects, its items so far (an open one ends at `usize::MAX`).
    struct Frame {
        object: bool,
        items: Vec<(usize, usize)>,
        expect_item: bool,
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < at {
        let rest = &bytes[i..];
        match rest {
            [b'#', ..] | [b'/', b'/', ..] => i += rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len()),
            [b'/', b'*', ..] => i += text[i + 2..].find("*/")? + 4,
            [b'<', b'<', ..] => i = super::lexical::heredoc_end(text, i).unwrap_or(i + 2),
            [b'"', ..] => {
                if let Some(frame) = stack.last_mut().filter(|f| f.object && f.expect_item) {
                    frame.items.push((i, usize::MAX));
                    frame.expect_item = false;
                }
                i = string_end(bytes, i)?;
            }
            [b'(' | b'[' | b'{', ..] => {
                let object = rest[0] == b'{' && !super::lexical::starts_for(&rest[1..]);
                stack.push(Frame { object, items: Vec::new(), expect_item: true });
                i += 1;
            }
            [b')' | b']' | b'}', ..] => {
                stack.pop();
                i += 1;
            }
            [b'\n' | b',', ..] => {
                if let Some(frame) = stack.last_mut().filter(|f| f.object) {
                    if let Some(item) = frame.items.last_mut().filter(|item| item.1 == usize::MAX) {
                        item.1 = i;
                    }
                    frame.expect_item = true;
                }
                i += 1;
            }
            [b' ' | b'\t' | b'\r', ..] => i += 1,
            _ => {
                if let Some(frame) = stack.last_mut().filter(|f| f.object && f.expect_item) {
                    frame.items.push((i, usize::MAX));
                    frame.expect_item = false;
                }
                i += 1;
            }
        }
    }
    let frame = stack.pop().filter(|f| f.object)?;
    // The duplicate itself is the last item started; the earlier ones have ended.
    Some(frame.items.into_iter().filter(|(start, end)| *end != usize::MAX && *start < at).collect())
}

/// Where a quoted string that starts at `at` ends (after its closing quote), interpolations included.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = at + 1;
    while i < bytes.len() {
        match &bytes[i..] {
            [b'\\', _, ..] => i += 2,
            [b'$' | b'%', b'{', ..] => {
                depth += 1;
                i += 2;
            }
            [b'}', ..] if depth > 0 => {
                depth -= 1;
                i += 1;
            }
            [b'"', ..] if depth == 0 => return Some(i + 1),
            [b'\n', ..] if depth == 0 => return None,
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of `x` once every duplicate key hcl-edit refuses is dropped, as the parse repairs do.
    fn value_of(text: &str) -> Option<String> {
        let mut current = text.to_string();
        for _ in 0..8 {
            match hcl_edit::parser::parse_body(&current) {
                Ok(body) => return Some(body.get_attribute("x")?.value.to_string()),
                Err(err) => current = drop_earlier_duplicate(&current, err.location().offset())?,
            }
        }
        None
    }

    /// terraform 1.11.4 plans `{ a = 2 }` for each of these: the last value of a key wins.
    #[test]
    fn a_key_set_twice_keeps_its_last_value() {
        let text = "x = {\n  a = 1\n  b = 3\n  a = 2\n}\n";
        let value = value_of(text).expect("parses");
        assert!(value.contains("a = 2") && value.contains("b = 3") && !value.contains("a = 1"), "{value}");
        let quoted = "x = {\n  \"a\" = { n = [1,\n 2] }, b = \"}\" # }\n  \"a\" = 2\n}\n";
        let value = value_of(quoted).expect("parses");
        assert!(value.contains("\"a\" = 2") && !value.contains("n = ") && value.contains("b = "), "{value}");
        // Offsets do not move.
        let offset = text.rfind("a = 2").unwrap();
        assert_eq!(drop_earlier_duplicate(text, offset).map(|t| t.len()), Some(text.len()));
    }

    #[test]
    fn nothing_else_is_rewritten() {
        // Not at a key of an object directly.
        assert_eq!(drop_earlier_duplicate("x = [a, a]\n", 8), None);
        assert_eq!(drop_earlier_duplicate("x = { a = 1 }\n", 2), None);
        // The same key in a nested object is another object's.
        assert_eq!(drop_earlier_duplicate("x = {\n  o = { a = 1 }\n  a = 2\n}\n", 24), None);
    }
}
