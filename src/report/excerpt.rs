//! The part of a file a diagnostic shows: the lines around a finding, or a window of about 120 columns on a
//! very long line (a one-line `terraform show -json` plan, a minified template), so a diagnostic never prints
//! the whole line and never scans the file from its start. Control characters in it are made visible.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::borrow::Cow;

/// Lines longer than this (in characters) are shown as a window.
pub const LONG_LINE: usize = 160;
/// Characters shown before the value, and at most after its start.
const BEFORE: usize = 50;
const AFTER: usize = 70;
const ELLIPSIS: &str = "…";
/// Lines kept around a finding: more than the one line of context the diagnostics show on each side.
const CONTEXT: usize = 3;

/// The byte offset of the start of every line of `text` (lines end at `\n`): made once per file, so that
/// finding a finding's line costs a binary search, not a scan from the start of the file.
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// The 0-based line holding byte `offset`.
fn line_of(lines: &[usize], offset: usize) -> usize {
    lines.partition_point(|start| *start <= offset).saturating_sub(1)
}

/// The byte offset where line `line` ends (its `\n`, or the end of the text).
fn end_of_line(text: &str, lines: &[usize], line: usize) -> usize {
    lines.get(line + 1).map_or(text.len(), |next| next - 1)
}

/// Whether `text[a..b]` holds more than [`LONG_LINE`] characters, counting at most a few hundred bytes.
fn too_long(text: &str, a: usize, b: usize) -> bool {
    text.get(a..b)
        .is_some_and(|line| line.len() > LONG_LINE && (line.len() > 4 * LONG_LINE || line.chars().count() > LONG_LINE))
}

/// What miette reads a snippet from: a few lines of the file (borrowed as they are, or rewritten with their
/// control characters made visible), or a window of one long line. Spans, lines and columns are reported
/// as in the whole file, under the file's name.
#[derive(Debug)]
pub struct Excerpt<'a> {
    name: String,
    text: Cow<'a, str>,
    /// Byte offset in the file of `text`'s first byte, for spans given in the file's offsets (0 when the
    /// text is rewritten and its spans are its own).
    offset: usize,
    /// 0-based line of `text`'s first line in the file.
    line: usize,
    /// Real 0-based byte column minus the excerpt's, for the header's position.
    column_shift: isize,
}

impl<'a> Excerpt<'a> {
    /// The excerpt around `span` (byte range in `text`, on character boundaries) and the span to label in it;
    /// `lines` is [`line_starts`] of `text`.
    pub fn around(name: &str, text: &'a str, lines: &[usize], span: SourceSpan) -> (Excerpt<'a>, SourceSpan) {
        let name = super::text::visible(name).into_owned();
        if let Some(window) = Self::window(&name, text, lines, span) {
            return window;
        }
        let start = span.offset();
        let end = start + span.len();
        let first = line_of(lines, start).saturating_sub(CONTEXT);
        let last = line_of(lines, end) + CONTEXT;
        let from = lines[first];
        let to = lines.get(last + 1).copied().unwrap_or(text.len());
        let slice = &text[from..to];
        let mut offsets = [start - from, end - from];
        match super::text::visible_source(slice, &mut offsets) {
            None => {
                let excerpt = Excerpt { name, text: Cow::Borrowed(slice), offset: from, line: first, column_shift: 0 };
                (excerpt, span)
            }
            Some(shown) => {
                let label = SourceSpan::from(offsets[0]..offsets[1]);
                let shown_line_start = shown[..offsets[0]].rfind('\n').map_or(0, |i| i + 1);
                let column_shift =
                    (start - lines[line_of(lines, start)]) as isize - (offsets[0] - shown_line_start) as isize;
                let excerpt = Excerpt { name, text: Cow::Owned(shown), offset: 0, line: first, column_shift };
                (excerpt, label)
            }
        }
    }

    /// A window around `span` when its line or a neighbour shown for context is over [`LONG_LINE`]; `None`
    /// when the lines are short enough to print as they are.
    fn window(name: &str, text: &str, lines: &[usize], span: SourceSpan) -> Option<(Excerpt<'a>, SourceSpan)> {
        let start = span.offset();
        let line = line_of(lines, start);
        let line_start = lines[line];
        let line_end = end_of_line(text, lines, line);
        let previous = if line > 0 { lines[line - 1] } else { 0 };
        let next_end = if line_end < text.len() { end_of_line(text, lines, line + 1) } else { text.len() };
        let neighbour_long = (line_start > 0 && too_long(text, previous, line_start.saturating_sub(1)))
            || (line_end < text.len() && too_long(text, line_end + 1, next_end));
        if !too_long(text, line_start, line_end) && !neighbour_long {
            return None;
        }
        let end = (start + span.len()).min(line_end);
        let window_start = back_chars(text, start, BEFORE).max(line_start);
        let window_end = forward_chars(text, end.min(forward_chars(text, start, AFTER)), BEFORE).min(line_end);
        let label_end = end.min(window_end);
        let prefix = if window_start > line_start { ELLIPSIS } else { "" };
        let suffix = if window_end < line_end { ELLIPSIS } else { "" };
        let mut offsets = [start - window_start, label_end - window_start];
        let shown = &text[window_start..window_end];
        let shown = super::text::visible_source(shown, &mut offsets).map_or(Cow::Borrowed(shown), Cow::Owned);
        let excerpt = format!("{prefix}{shown}{suffix}");
        let label_start = prefix.len() + offsets[0];
        let label = SourceSpan::from(label_start..prefix.len() + offsets[1]);
        // miette counts columns in bytes from the line start, in the whole file as in the window.
        let column_shift = (start - line_start) as isize - label_start as isize;
        let excerpt = Excerpt { name: name.to_string(), text: Cow::Owned(excerpt), offset: 0, line, column_shift };
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

impl SourceCode for Excerpt<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let local_start = span.offset().checked_sub(self.offset).ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new(local_start.into(), span.len());
        let inner = self.text.as_ref().read_span(&local, before, after)?;
        let column = (inner.column() as isize + self.column_shift).max(0) as usize;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + self.offset).into(), inner.span().len()),
            inner.line() + self.line,
            column,
            inner.line_count() + self.line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn around<'a>(text: &'a str, span: std::ops::Range<usize>) -> (Excerpt<'a>, SourceSpan) {
        Excerpt::around("f", text, &line_starts(text), SourceSpan::from(span))
    }

    #[test]
    fn short_lines_are_borrowed_as_they_are() {
        let text = "a\nbb \"x\" cc\nd\n";
        let (excerpt, label) = around(text, 5..8);
        assert!(matches!(excerpt.text, Cow::Borrowed(_)));
        assert_eq!(label, SourceSpan::from(5..8));
        let contents = excerpt.read_span(&label, 0, 0).unwrap();
        assert_eq!((contents.line(), contents.column()), (1, 3));
    }

    #[test]
    fn only_the_lines_around_the_finding_are_kept() {
        let text: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let start = text.find("line 50").unwrap();
        let (excerpt, label) = around(&text, start..start + 7);
        assert!(excerpt.text.starts_with("line 47\n") && excerpt.text.ends_with("line 53\n"), "{}", excerpt.text);
        let contents = excerpt.read_span(&label, 1, 1).unwrap();
        assert_eq!(std::str::from_utf8(contents.data()).unwrap(), "line 49\nline 50\nline 51\n");
        assert_eq!(contents.line(), 49);
        assert_eq!(contents.span().offset(), text.find("line 49").unwrap());
        // What miette reads from the whole file, it reads from the excerpt.
        let whole = text.as_str().read_span(&label, 1, 1).unwrap();
        assert_eq!(
            (whole.data(), whole.span(), whole.line(), whole.column(), whole.line_count()),
            (contents.data(), contents.span(), contents.line(), contents.column(), contents.line_count())
        );
    }

    #[test]
    fn control_characters_in_the_lines_are_made_visible() {
        let text = "a\nname: \"\u{1b}[2Jx\u{7}\"\r\n\rb\n";
        let start = text.find('x').unwrap();
        let (excerpt, label) = around(text, start..start + 1);
        assert!(!excerpt.text.contains('\u{1b}') && !excerpt.text.contains('\u{7}'), "{:?}", excerpt.text);
        assert!(excerpt.text.contains("\\u{1b}[2J") && excerpt.text.contains("\\rb"), "{:?}", excerpt.text);
        assert_eq!(&excerpt.text[label.offset()..label.offset() + label.len()], "x");
        let contents = excerpt.read_span(&label, 0, 0).unwrap();
        assert_eq!((contents.line(), contents.column()), (1, 11));
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_value() {
        let text = format!("{{\n{}\"value\"{}\n}}\n", "a".repeat(5000), "b".repeat(5000));
        let start = 2 + 5000;
        let (excerpt, label) = around(&text, start..start + 7);
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
        let (excerpt, label) = around(&text, start..start + 3);
        assert_eq!(excerpt.text, "key: v");
        assert_eq!(label, SourceSpan::from(0..3));
    }

    /// A diagnostic with one label, over any source.
    #[derive(Debug)]
    struct Probe<S: SourceCode + std::fmt::Debug> {
        source: S,
        span: SourceSpan,
    }

    impl<S: SourceCode + std::fmt::Debug> std::fmt::Display for Probe<S> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("probe")
        }
    }

    impl<S: SourceCode + std::fmt::Debug> std::error::Error for Probe<S> {}

    impl<S: SourceCode + std::fmt::Debug> miette::Diagnostic for Probe<S> {
        fn source_code(&self) -> Option<&dyn SourceCode> {
            Some(&self.source)
        }

        fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
            let label = miette::LabeledSpan::new_primary_with_span(Some("here".to_string()), self.span);
            Some(Box::new(std::iter::once(label)))
        }
    }

    fn rendered(diagnostic: &dyn miette::Diagnostic) -> String {
        let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        let mut out = String::new();
        handler.render_report(&mut out, diagnostic).unwrap();
        out
    }

    #[test]
    fn a_snippet_from_the_lines_around_reads_as_one_from_the_whole_file() {
        let lf: String = (0..40).map(|i| format!("line {i}: {}\n", "x".repeat(i % 7))).collect();
        let crlf = lf.replace('\n', "\r\n");
        let no_final_newline = lf.trim_end().to_string();
        for text in [lf.as_str(), crlf.as_str(), no_final_newline.as_str()] {
            let lines = line_starts(text);
            let last = text.rfind("line 39").unwrap();
            let spans = [(0, 4), (text.find("line 1:").unwrap(), 6), (text.find("line 20").unwrap(), 40), (last, 7)];
            for (start, len) in spans {
                let span = SourceSpan::from(start..start + len);
                let whole = rendered(&Probe { source: miette::NamedSource::new("f", text.to_string()), span });
                let (excerpt, label) = Excerpt::around("f", text, &lines, span);
                assert!(matches!(excerpt.text, Cow::Borrowed(_)));
                let shown = rendered(&Probe { source: excerpt, span: label });
                assert_eq!(shown, whole, "span {start}+{len} of {:?}", &text[..20]);
            }
        }
    }

    #[test]
    fn line_starts_and_lengths_are_found_without_scanning_the_file() {
        let text = "ab\ncd\n\nef";
        let lines = line_starts(text);
        assert_eq!(lines, vec![0, 3, 6, 7]);
        assert_eq!((line_of(&lines, 0), line_of(&lines, 2), line_of(&lines, 3), line_of(&lines, 8)), (0, 0, 1, 3));
        assert_eq!((end_of_line(text, &lines, 0), end_of_line(text, &lines, 3)), (2, 9));
        let wide = "é".repeat(LONG_LINE);
        assert!(!too_long(&wide, 0, wide.len()));
        assert!(too_long(&"é".repeat(LONG_LINE + 1), 0, (LONG_LINE + 1) * 2));
    }
}
