//! Text from inputs made safe to print: control characters made visible, Markdown that renders as text.
//!
//! Names, model IDs, keys, file names and error messages come from files a stranger may have written. A newline
//! in one would start a new log line (`::error::` is a GitHub Actions workflow command there), ESC and BEL drive
//! the terminal, and Markdown punctuation becomes links, images, mentions, headings or an HTML comment that hides
//! the rest of a PR comment. Every renderer but JSON and SARIF (whose encoders escape) passes such text through
//! [`visible`] (messages and help, laid out in lines by ptlint, through [`visible_lines`]); the Markdown
//! renderers through [`md_code`], [`md_text`] or [`md_message`].

use crate::visible::{hidden, push_escape};
pub use crate::visible::{visible, visible_lines};

/// A report in which no line starts a GitHub Actions workflow command: the runner reads a line that starts,
/// after blanks, with `::` as one, and a name from the input can land at the start of a line (the first column
/// of a table, a path, a wrapped line of help). The first colon of such a line is shown as `\u{3a}`. ptlint's
/// own lines never start with `::` outside `--format github`, which is not passed through this.
pub fn no_workflow_commands(report: String) -> String {
    let starts_command = |line: &str| line.trim_start().starts_with("::");
    if !report.split(['\n', '\r']).any(starts_command) {
        return report;
    }
    report
        .split_inclusive('\n')
        .map(|line| {
            let blanks = line.len() - line.trim_start().len();
            if starts_command(line) {
                format!("{}\\u{{3a}}{}", &line[..blanks], &line[blanks + 1..])
            } else {
                line.to_string()
            }
        })
        .collect()
}

/// A JSON or SARIF document in which no string holds the runner's older command form `##[`, which it reads
/// anywhere in a line of the log: the bracket is written as the JSON escape `\u005b`, which decodes to the same
/// string, so the data is unchanged.
pub fn json_no_legacy_commands(document: String) -> String {
    if document.contains("##[") {
        document.replace("##[", "##\\u005b")
    } else {
        document
    }
}

/// A writer that does to a streamed JSON document what [`json_no_legacy_commands`] does to a whole one.
pub struct NoLegacyCommands<'a> {
    inner: &'a mut dyn std::io::Write,
    /// How many `#` the bytes written so far end with.
    hashes: usize,
}

impl<'a> NoLegacyCommands<'a> {
    pub fn new(inner: &'a mut dyn std::io::Write) -> Self {
        NoLegacyCommands { inner, hashes: 0 }
    }
}

impl std::io::Write for NoLegacyCommands<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut start = 0;
        for (i, byte) in buf.iter().enumerate() {
            if *byte == b'[' && self.hashes >= 2 {
                self.inner.write_all(&buf[start..i])?;
                self.inner.write_all(b"\\u005b")?;
                start = i + 1;
            }
            self.hashes = if *byte == b'#' { self.hashes + 1 } else { 0 };
        }
        self.inner.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Source lines made safe for a snippet: control characters visible, except the line breaks and tabs the
/// snippet lays out (`\n`, `\r\n`, `\t`). `offsets` (byte offsets into `text`, ascending or not) are moved to
/// the same places in the result. `None` when nothing needs escaping.
pub fn visible_source(text: &str, offsets: &mut [usize]) -> Option<String> {
    let bytes = text.as_bytes();
    let keep = |i: usize, c: char| c == '\n' || c == '\t' || (c == '\r' && bytes.get(i + 1) == Some(&b'\n'));
    if !text.char_indices().any(|(i, c)| hidden(c) && !keep(i, c)) && !text.contains("##[") {
        return None;
    }
    let original: Vec<usize> = offsets.to_vec();
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        for (slot, at) in offsets.iter_mut().zip(&original) {
            if *at == i {
                *slot = out.len();
            }
        }
        // The bracket of `##[`, which the runner reads as a command anywhere in a line, is escaped too.
        if (hidden(c) && !keep(i, c)) || (c == '[' && out.ends_with("##")) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    for (slot, at) in offsets.iter_mut().zip(&original) {
        if *at >= text.len() {
            *slot = out.len();
        }
    }
    Some(out)
}

/// Whether untrusted text shows as itself when written into Markdown as it is: none of the characters that
/// open links, images, HTML, entities, escapes, headings, code or table cells, no `@` (a mention, an e-mail
/// link) and nothing GitHub links by itself (`http://`, `www.`).
fn plain_markdown(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    !text.chars().any(|c| hidden(c) || matches!(c, '`' | '\\' | '[' | '<' | '>' | '!' | '#' | '&' | '|' | '@'))
        && !lower.contains("://")
        && !lower.contains("www.")
}

/// The longest run of backticks in `text`.
fn longest_backtick_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// One code span around `content` (already visible): a fence longer than any backtick run inside, padded with
/// a space where the content starts or ends with a backtick or is wrapped in spaces (which CommonMark strips).
fn code_span(content: &str) -> String {
    if content.is_empty() {
        return "``".to_string();
    }
    let fence = "`".repeat(longest_backtick_run(content) + 1);
    let all_spaces = content.chars().all(|c| c == ' ');
    let pad = content.starts_with('`')
        || content.ends_with('`')
        || (!all_spaces && content.starts_with(' ') && content.ends_with(' '));
    let space = if pad { " " } else { "" };
    format!("{fence}{space}{content}{space}{fence}")
}

/// Untrusted text as Markdown inline code, which shows every character as written. `in_table`: inside a
/// table cell, where GFM splits cells at every `|` not escaped as `\|`, even inside code. A backslash right
/// before a pipe would escape that backslash instead, so the span is split there into two spans.
pub fn md_code(text: &str, in_table: bool) -> String {
    let text = visible(text);
    if !in_table || !text.contains('|') {
        return code_span(&text);
    }
    let mut spans = Vec::new();
    let mut piece_start = 0;
    for (i, _) in text.match_indices('|') {
        if i > piece_start && text[..i].ends_with('\\') {
            spans.push(code_span(&text[piece_start..i]));
            piece_start = i;
        }
    }
    spans.push(code_span(&text[piece_start..]));
    spans.iter().map(|span| span.replace('|', "\\|")).collect::<Vec<_>>().join(" ")
}

/// Untrusted text for a Markdown line: as it is when it shows as itself, else as inline code.
pub fn md_text(text: &str, in_table: bool) -> String {
    let shown = visible(text);
    if plain_markdown(&shown) {
        shown.into_owned()
    } else {
        md_code(&shown, in_table)
    }
}

/// A piece of a message: text, or a code span as CommonMark finds it (its content between the fences).
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Text(&'a str),
    Code(&'a str),
}

/// Splits `text` into text and code spans as CommonMark reads backtick strings: a run of n backticks opens a
/// span closed by the next run of exactly n; one with no such run is text; a backslash escapes a backtick.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let bytes = text.as_bytes();
    let run_at = |i: usize| bytes[i..].iter().take_while(|b| **b == b'`').count();
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => {
                let n = run_at(i);
                let mut j = i + n;
                let mut close = None;
                while j < bytes.len() {
                    if bytes[j] == b'`' {
                        let m = run_at(j);
                        if m == n {
                            close = Some(j);
                            break;
                        }
                        j += m;
                    } else {
                        j += 1;
                    }
                }
                match close {
                    Some(close) => {
                        if text_start < i {
                            out.push(Piece::Text(&text[text_start..i]));
                        }
                        out.push(Piece::Code(&text[i + n..close]));
                        i = close + n;
                        text_start = i;
                    }
                    None => i += n,
                }
            }
            _ => i += 1,
        }
    }
    if text_start < text.len() {
        out.push(Piece::Text(&text[text_start.min(text.len())..]));
    }
    out
}

/// A message (a rule's template filled with values from the input, or an error quoting the input) as
/// Markdown: its code spans stay code (re-fenced if a value broke them), and text that would not show as
/// itself becomes code, so no value can open a link, an image, a mention, a heading or HTML. A line break is
/// shown as `\n` like any control character: an error quotes the input with its line breaks, and a code span
/// cut at one would leave a backtick to pair with the next line's. Written last on its line, so that a
/// backtick run left open in it has nothing after it to close it.
pub fn md_message(text: &str, in_table: bool) -> String {
    let shown = visible(text);
    // A message whose text shows as itself keeps its backticks as written: CommonMark reads a run with no
    // closing run as backticks (`` `{term}` `` with an empty term), and nothing else in it opens a span.
    let as_written = pieces(&shown).iter().all(|piece| match piece {
        Piece::Text(text) => plain_markdown(&text.replace('`', "")),
        Piece::Code(content) => !(in_table && content.contains('|')),
    });
    if as_written {
        return shown.into_owned();
    }
    let mut out = String::with_capacity(shown.len() + 8);
    for piece in pieces(&shown) {
        let rendered = match piece {
            Piece::Text(text) if plain_markdown(text) => text.to_string(),
            Piece::Text(text) => md_code(text, in_table),
            Piece::Code(content) if !(content.contains('`') || in_table && content.contains('|')) => {
                format!("`{content}`")
            }
            Piece::Code(content) => md_code(content, in_table),
        };
        // Two code spans side by side would read as one run of backticks: keep a space between them.
        if out.ends_with('`') && rendered.starts_with('`') {
            out.push(' ');
        }
        out.push_str(&rendered);
    }
    out
}

/// A link target from a rule's header, with the characters that would end a Markdown link destination
/// (spaces, parentheses, angle brackets, backslashes, backticks, controls) percent-encoded.
pub fn md_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_graphic() && !matches!(c, '(' | ')' | '<' | '>' | '\\' | '`' | '|' | '[' | ']') {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Lines for a fenced code block: a fence of backticks longer than any run in `text` (and at least three).
pub fn md_fence(text: &str) -> String {
    "`".repeat((longest_backtick_run(text) + 1).max(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_line_starts_a_workflow_command() {
        let report = "PT005\n  ::error::x\n        ::add-mask::y\nok ::z\n".to_string();
        assert_eq!(no_workflow_commands(report), "PT005\n  \\u{3a}:error::x\n        \\u{3a}:add-mask::y\nok ::z\n");
        assert_eq!(no_workflow_commands("a\nb\n".to_string()), "a\nb\n");
    }

    #[test]
    fn json_keeps_its_data_without_the_legacy_command_form() {
        let document = serde_json::json!({"resource": "a ##[error]x"}).to_string();
        let safe = json_no_legacy_commands(document.clone());
        assert!(!safe.contains("##["), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["resource"], "a ##[error]x");
        assert_eq!(json_no_legacy_commands("{}".to_string()), "{}");
        // Streamed in pieces that split the `##[`, it comes out the same.
        let mut streamed = Vec::new();
        let mut writer = NoLegacyCommands::new(&mut streamed);
        for piece in ["{\"a\": \"x #", "#", "[y ##", "[z\"}"] {
            std::io::Write::write_all(&mut writer, piece.as_bytes()).unwrap();
        }
        assert_eq!(String::from_utf8(streamed).unwrap(), "{\"a\": \"x ##\\u005by ##\\u005bz\"}");
    }

    #[test]
    fn source_keeps_its_line_breaks_and_moves_offsets() {
        let mut offsets = [0, 4, 9];
        assert_eq!(visible_source("ab\r\ncd\tef", &mut offsets), None);
        let text = "a\u{1b}b\rc\r\nd";
        let mut offsets = [2, 4, text.len()];
        let shown = visible_source(text, &mut offsets).unwrap();
        assert_eq!(shown, "a\\u{1b}b\\rc\r\nd");
        assert_eq!(&shown[offsets[0]..offsets[0] + 1], "b");
        assert_eq!(&shown[offsets[1]..offsets[1] + 1], "c");
        assert_eq!(offsets[2], shown.len());
    }

    #[test]
    fn code_spans_fence_past_every_backtick_run() {
        assert_eq!(md_code("model-1", false), "`model-1`");
        assert_eq!(md_code("a`b", false), "``a`b``");
        assert_eq!(md_code("`x``", false), "``` `x`` ```");
        assert_eq!(md_code(" x ", false), "`  x  `");
        assert_eq!(md_code("a|b", true), "`a\\|b`");
        assert_eq!(md_code("a\\|b", true), "`a\\` `\\|b`");
        assert_eq!(md_code("a\nb", false), "`a\\nb`");
    }

    #[test]
    fn text_stays_as_it_is_only_when_it_shows_as_itself() {
        assert_eq!(md_text("us-east-1", false), "us-east-1");
        assert_eq!(md_text("$1,200.00 (reserved)", false), "$1,200.00 (reserved)");
        assert_eq!(md_text("[x](http://evil)", false), "`[x](http://evil)`");
        assert_eq!(md_text("@octocat", false), "`@octocat`");
        assert_eq!(md_text("see www.example.com", false), "`see www.example.com`");
        assert_eq!(md_text("<!--", false), "`<!--`");
    }

    #[test]
    fn messages_keep_their_code_spans_and_lose_live_text() {
        let benign = "`res` serves custom model `m` at $1.00/month and no budget covers it";
        assert_eq!(md_message(benign, true), benign);
        let hostile = "`res` serves model `x` [a](http://evil) ![i](http://evil/i.png) @octocat <!-- `` at $1";
        let rendered = md_message(hostile, false);
        assert_eq!(
            rendered,
            "`res` serves model `x` ``` [a](http://evil) ![i](http://evil/i.png) @octocat <!-- `` at $1```"
        );
        assert_eq!(md_message("a \\`[x](y)`", false), "`` a \\`[x](y)` ``");
        let empty_value = "the commitment term is not known (`` is not a value AWS accepts)";
        assert_eq!(md_message(empty_value, false), empty_value);
        assert_eq!(md_message("expected ',' or ']'", false), "expected ',' or ']'");
        // An error quoting the input keeps its code span whole across a line break.
        assert_eq!(md_message("v `a\nb` [x](http://e) `", false), "v `a\\nb` ``  [x](http://e) ` ``");
        assert_eq!(md_message("a `` b [x](y)", false), "```a `` b [x](y)```");
    }

    #[test]
    fn pieces_follow_commonmark_backtick_strings() {
        assert_eq!(pieces("a `b` c"), vec![Piece::Text("a "), Piece::Code("b"), Piece::Text(" c")]);
        assert_eq!(pieces("``a`b`` c"), vec![Piece::Code("a`b"), Piece::Text(" c")]);
        assert_eq!(pieces("`a"), vec![Piece::Text("`a")]);
        assert_eq!(pieces("\\`a`"), vec![Piece::Text("\\`a`")]);
    }

    #[test]
    fn urls_cannot_end_their_link() {
        assert_eq!(md_url("https://example.com/rules/PT001.md"), "https://example.com/rules/PT001.md");
        assert_eq!(md_url("x) [y](z"), "x%29%20%5By%5D%28z");
    }

    #[test]
    fn fences_are_longer_than_any_run() {
        assert_eq!(md_fence("a: b"), "```");
        assert_eq!(md_fence("a ```` b"), "`````");
    }
}
