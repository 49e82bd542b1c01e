//! A window of about 120 columns around a finding on a very long line (a one-line `terraform show -json`
//! plan, a minified template), so a diagnostic never prints the whole line.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Lines longer than this (in characters) are shown as a window.
pub const LONG_LINE: usize = 160;
/// Characters shown before the value, and at most after its start.
const BEFORE: usize = 50;
const AFTER: usize = 70;
const ELLIPSIS: &str = "…";

/// The windowed line as miette's source: its one line is reported at the real line, its columns at the real
/// columns, under the file's name.
#[derive(Debug)]
pub struct Excerpt {
    name: String,
    text: String,
    /// 0-based line of the window in the file.
    line: usize,
    /// Real 0-based byte column minus the excerpt's, for the header's position.
    column_shift: isize,
}

impl Excerpt {
    /// A window around `span` (byte range in `text`) when its line or a neighbour shown for context is over
    /// [`LONG_LINE`]; `None` when the lines are short enough to print as they are.
    pub fn around(name: &str, text: &str, span: SourceSpan) -> Option<(Excerpt, SourceSpan)> {
        let start = span.offset();
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let previous = text[..line_start.saturating_sub(1)].rfind('\n').map_or(0, |i| i + 1);
        let next_end =
            text.get(line_end + 1..).and_then(|rest| rest.find('\n')).map_or(text.len(), |i| line_end + 1 + i);
        let too_long = |a: usize, b: usize| text.get(a..b).is_some_and(|line| line.chars().count() > LONG_LINE);
        let neighbour_long = (line_start > 0 && too_long(previous, line_start.saturating_sub(1)))
            || (line_end < text.len() && too_long(line_end + 1, next_end));
        if !too_long(line_start, line_end) && !neighbour_long {
            return None;
        }
        let end = (start + span.len()).min(line_end);
        let window_start = back_chars(text, start, BEFORE).max(line_start);
        let window_end = forward_chars(text, end.min(forward_chars(text, start, AFTER)), BEFORE).min(line_end);
        let label_end = end.min(window_end);
        let prefix = if window_start > line_start { ELLIPSIS } else { "" };
        let suffix = if window_end < line_end { ELLIPSIS } else { "" };
        let excerpt = format!("{prefix}{}{suffix}", &text[window_start..window_end]);
        let label_start = prefix.len() + (start - window_start);
        let label = SourceSpan::from(label_start..prefix.len() + (label_end - window_start));
        let line = text[..line_start].matches('\n').count();
        // miette counts columns in bytes from the line start, in the whole file as in the window.
        let column_shift = (start - line_start) as isize - label_start as isize;
        let excerpt = Excerpt { name: name.to_string(), text: excerpt, line, column_shift };
        Some((excerpt, label))
    }
}

/// The byte offset `count` characters before `at` (or 0).
fn back_chars(text: &str, at: usize, count: usize) -> usize {
    text[..at].char_indices().rev().nth(count.saturating_sub(1)).map_or(0, |(i, _)| i)
}

/// The byte offset `count` characters after `at` (or the end).
fn forward_chars(text: &str, at: usize, count: usize) -> usize {
    text[at..].char_indices().nth(count).map_or(text.len(), |(i, _)| at + i)
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let column = (inner.column() as isize + self.column_shift).max(0) as usize;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.line,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_not_windowed() {
        let text = "a\nbb \"x\" cc\nd\n";
        assert!(Excerpt::around("f", text, SourceSpan::from(6..9)).is_none());
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_value() {
        let text = format!("{{\n{}\"value\"{}\n}}\n", "a".repeat(5000), "b".repeat(5000));
        let start = 2 + 5000;
        let (excerpt, label) = Excerpt::around("plan.json", &text, SourceSpan::from(start..start + 7)).unwrap();
        assert!(excerpt.text.starts_with('…') && excerpt.text.ends_with('…'));
        assert!(excerpt.text.chars().count() <= 2 + BEFORE + AFTER + BEFORE, "{}", excerpt.text.len());
        assert_eq!(&excerpt.text[label.offset()..label.offset() + label.len()], "\"value\"");
        let contents = excerpt.read_span(&label, 0, 0).unwrap();
        assert_eq!((contents.line(), contents.column()), (1, 5000));
    }

    #[test]
    fn a_long_neighbour_line_windows_too() {
        let text = format!("{}\nkey: v\n", "x".repeat(400));
        let start = 401;
        let (excerpt, label) = Excerpt::around("t.yaml", &text, SourceSpan::from(start..start + 3)).unwrap();
        assert_eq!(excerpt.text, "key: v");
        assert_eq!(label, SourceSpan::from(0..3));
    }
}
