//! Text written out as HCL source: quoted strings (a template's `${...}` and `%{...}` kept live, or escaped in
//! literal text) and bare identifiers.

/// An HCL quoted string of `text`. As a template (`template`), `${` and `%{` sequences stay live and are
/// copied as they are; otherwise they are escaped (`$${`, `%%{`) so the text stays literal.
pub(super) fn quote(text: &str, template: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let opens = rest.starts_with("${") || rest.starts_with("%{");
        if template && (rest.starts_with("$${") || rest.starts_with("%%{")) {
            out.push_str(&rest[..3]);
            i += 3;
            continue;
        }
        if opens && template {
            let end = i + sequence_len(rest);
            // Inside a sequence the text is an expression: copied, with line breaks as spaces.
            out.push_str(&text[i..end].replace(['\n', '\r'], " "));
            i = end;
            continue;
        }
        if opens {
            out.push(char::from(bytes[i]));
            out.push(char::from(bytes[i]));
            out.push('{');
            i += 2;
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
        i += c.len_utf8();
    }
    out.push('"');
    out
}

/// The length of a `${...}` or `%{...}` sequence at the start of `text`: up to its matching `}`, skipping
/// braces inside quoted strings; the rest of the text when it is not closed (the parser reports that).
fn sequence_len(text: &str) -> usize {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// Whether `name` can be written bare, as an HCL identifier.
pub(super) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_strings_keep_their_meaning() {
        assert_eq!(quote("a\"b ${lookup(m, \"k\")}\n", true), "\"a\\\"b ${lookup(m, \"k\")}\\n\"");
        assert_eq!(quote("${x} %{y}", false), "\"$${x} %%{y}\"");
        assert_eq!(quote("$${x}", true), "\"$${x}\"");
    }
}
