//! Control characters made visible: the one escape every text from the input passes through before it is shown.
//!
//! A newline in a model ID or a key would start a new log line (`::error::` is a GitHub Actions workflow
//! command there), and ESC or BEL would drive the terminal. Message templates fill their values through
//! [`visible`] (`policy::template`), and every report but JSON and SARIF (whose encoders escape) shows names,
//! paths and errors through it (`report::text`).

use std::borrow::Cow;

/// Whether `c` is shown as an escape: control characters (C0, DEL, C1 with NEL), the Unicode line and
/// paragraph separators, and the bidirectional overrides that reorder what a reader sees.
pub fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Appends the visible form of a hidden character: `\n`, `\r`, `\t`, or `\u{1b}` for any other.
pub fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        other => out.push_str(&format!("\\u{{{:x}}}", other as u32)),
    }
}

/// `text` with its control characters made visible: a newline as the two characters `\n`, CR as `\r`, tab as
/// `\t`, any other as `\u{1b}` (ESC), `\u{7}` (BEL)... The bracket of `##[`, which the Actions runner reads
/// as a command anywhere in a line, is shown as `\u{5b}`. Text without any of them is returned as it is.
pub fn visible(text: &str) -> Cow<'_, str> {
    escaped(text, hidden)
}

/// Like [`visible`], but keeps the line breaks (`\n`) of a text that ptlint laid out in lines itself: a
/// message or help whose values were already filled through [`visible`].
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    escaped(text, |c| c != '\n' && hidden(c))
}

/// The runner's older command form, `##[error]...`, which it reads anywhere in a line.
const LEGACY_COMMAND: &str = "##[";

fn escaped(text: &str, escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escape) && !text.contains(LEGACY_COMMAND) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escape(c) || (c == '[' && out.ends_with("##")) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(visible("plain name"), Cow::Borrowed("plain name"));
        assert_eq!(visible("a\n::error::x"), "a\\n::error::x");
        assert_eq!(visible("a\r\n::add-mask::x"), "a\\r\\n::add-mask::x");
        assert_eq!(visible("\u{1b}[31mred\u{7}"), "\\u{1b}[31mred\\u{7}");
        assert_eq!(visible("tab\there\u{85}\u{2028}\u{202e}"), "tab\\there\\u{85}\\u{2028}\\u{202e}");
    }

    #[test]
    fn the_legacy_command_form_is_broken() {
        assert_eq!(visible("a ##[error]x ##[add-mask]y"), "a ##\\u{5b}error]x ##\\u{5b}add-mask]y");
        assert_eq!(visible("# [x] #[y]"), "# [x] #[y]");
    }

    #[test]
    fn laid_out_text_keeps_its_line_breaks_only() {
        assert_eq!(visible_lines("help:\n  pricing:\r\n\u{1b}"), "help:\n  pricing:\\r\n\\u{1b}");
    }
}
