//! A quick check that a YAML file holds nothing ptlint reads and is well formed, without building it.
//!
//! Files named on the command line are read in full even when the prefilter finds none of its words in them, so
//! that a broken one is reported as cfn-lint would. Building such a file's tree only to find it empty of PTs was
//! most of a named run's time. The skim recognises a strict subset of block YAML, the way templates are written:
//! block mappings and sequences, one-line scalars (plain, quoted without escapes), CloudFormation short-form tags,
//! block scalars, and one-line flow collections. A file it accepts is one the full reader accepts too, with no
//! duplicate key and nothing the CloudFormation reader takes from it; anything outside the subset (anchors,
//! escapes, multi-line plain or flow scalars, tabs, carriage returns, odd keys) is left to the full reader, which
//! gives the error if there is one. `tests/skim.rs` checks that promise on every YAML file of the fixtures and
//! thousands of mutations of them.

mod scalars;

use std::collections::HashSet;

/// What the full reader would make of a file the skim accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Skimmed {
    /// A CloudFormation template: the root mapping has an `AWSTemplateFormatVersion` key, or a `Resources` key
    /// holding a mapping.
    pub cloudformation: bool,
}

/// Plain keys that YAML 1.1 reads as a boolean or null: left to the full reader, which has its rules for them.
const RESERVED_KEYS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on",
    "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
];

/// Far below the full reader's limits (128 levels, a million nodes), so an accepted file never meets them, even
/// with the levels and nodes a short-form tag adds (two at most each).
const MAX_LEVELS: usize = 40;
const MAX_NODES: usize = 150_000;
/// yaml-rust2 allows an implicit key of up to 1,024 characters.
const MAX_KEY_BYTES: usize = 512;

/// `Some` when `text` is certainly a well-formed YAML document with nothing the CloudFormation reader takes from it;
/// `None` when the full reader must tell.
pub fn skim(text: &str) -> Option<Skimmed> {
    if !plain_characters(text)
        || crate::source::cfn::READ_IN_ANY_TEMPLATE
            .iter()
            .any(|t| memchr::memmem::find(text.as_bytes(), t.as_bytes()).is_some())
    {
        return None;
    }
    let mut skim = Skim { b: text.as_bytes(), nodes: 0 };
    let (mut at, mut indent) = skim.next_content(0)?;
    // One leading `---` (nothing after it on its line but a comment) is allowed; any other marker or directive is not.
    if indent == 0 && skim.b.get(at..at + 3) == Some(b"---") {
        let rest = skim.rest_blank(at + 3)?;
        (at, indent) = skim.next_content(rest)?;
    }
    if indent != 0 {
        return None;
    }
    let (end, cloudformation) = skim.root_mapping(at)?;
    // Nothing may follow the root mapping but blank lines and comments.
    match skim.next_content(end) {
        None => Some(Skimmed { cloudformation }),
        Some(_) => None,
    }
}

/// Printable text (the full reader's own test, [`super::first_unprintable`]) with `\n` line ends only: no tab,
/// carriage return, NEL, line or paragraph separator, or byte-order mark, each of which the full reader has its own
/// rules for.
fn plain_characters(text: &str) -> bool {
    super::first_unprintable(text).is_none()
        && memchr::memchr2(b'\t', b'\r', text.as_bytes()).is_none()
        && (text.is_ascii() || !text.contains(['\u{85}', '\u{2028}', '\u{2029}', '\u{FEFF}']))
}

/// A mapping's keys, for the duplicate check.
#[derive(Default)]
struct Keys<'a> {
    few: Vec<&'a [u8]>,
    many: Option<HashSet<&'a [u8]>>,
}

impl<'a> Keys<'a> {
    /// Record a key; `false` if the mapping has it already.
    fn insert(&mut self, key: &'a [u8]) -> bool {
        if let Some(many) = &mut self.many {
            return many.insert(key);
        }
        if self.few.contains(&key) {
            return false;
        }
        self.few.push(key);
        if self.few.len() > 16 {
            self.many = Some(self.few.drain(..).collect());
        }
        true
    }
}

/// What an inline value was, as far as its parent needs to know.
#[derive(PartialEq, Eq)]
enum Shape {
    Mapping,
    Other,
}

struct Skim<'a> {
    b: &'a [u8],
    nodes: usize,
}

impl<'a> Skim<'a> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.b.get(at).copied()
    }

    fn line_end(&self, at: usize) -> usize {
        memchr::memchr(b'\n', self.b.get(at..).unwrap_or_default()).map_or(self.b.len(), |i| at + i)
    }

    /// The start of the line after the one holding `at`.
    fn next_line(&self, at: usize) -> usize {
        (self.line_end(at) + 1).min(self.b.len())
    }

    /// Spaces before the first other byte of the line that starts at `line`.
    fn indent_of(&self, line: usize) -> usize {
        self.b.get(line..).unwrap_or_default().iter().take_while(|&&b| b == b' ').count()
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(())
    }

    /// From a line start, the first line holding something other than spaces and a comment: where its content
    /// starts and its indentation. `None` at the end of the text.
    fn next_content(&self, mut line: usize) -> Option<(usize, usize)> {
        while line < self.b.len() {
            let indent = self.indent_of(line);
            match self.byte(line + indent) {
                Some(b'\n') | Some(b'#') => line = self.next_line(line),
                None => return None,
                Some(_) => return Some((line + indent, indent)),
            }
        }
        None
    }

    /// After something that ends a line's content: only spaces, then a comment (after a space) or the line end.
    /// Gives the start of the next line.
    fn rest_blank(&self, mut at: usize) -> Option<usize> {
        let spaced = self.byte(at) == Some(b' ');
        while self.byte(at) == Some(b' ') {
            at += 1;
        }
        match self.byte(at) {
            None => Some(self.b.len()),
            Some(b'\n') => Some(at + 1),
            Some(b'#') if spaced => Some(self.next_line(at)),
            _ => None,
        }
    }

    /// The root mapping at column 0, from its first key: the line after it, and whether it is a template.
    fn root_mapping(&mut self, at: usize) -> Option<(usize, bool)> {
        let (mut cloudformation, mut tagged_resources) = (false, false);
        let end = self.mapping(at, 0, 1, &mut |key, shape| {
            let resources = key == b"Resources";
            // A tagged `Resources` becomes a mapping around its function: left to the full reader.
            tagged_resources |= resources && shape.is_none();
            cloudformation |= key == b"AWSTemplateFormatVersion" || resources && shape == Some(Shape::Mapping);
        })?;
        (!tagged_resources).then_some((end, cloudformation))
    }

    /// A block mapping whose keys sit at `column`, the first at `at`. Gives the start of the line where the next
    /// thing begins (less indented, or the end). `seen` hears of each key with its value's shape (`None` when
    /// tagged: the root needs to know whether `Resources` is a plain mapping).
    fn mapping(
        &mut self,
        mut at: usize,
        column: usize,
        level: usize,
        seen: &mut dyn FnMut(&[u8], Option<Shape>),
    ) -> Option<usize> {
        if level > MAX_LEVELS {
            return None;
        }
        let mut keys = Keys::default();
        loop {
            let (key, after) = self.key(at)?;
            if !keys.insert(key) {
                return None;
            }
            self.count()?;
            let (line, shape) = self.value_after_key(after, column, level)?;
            seen(key, shape);
            match self.next_content(line) {
                None => return Some(self.b.len()),
                Some((next, indent)) if indent == column && self.byte(next) != Some(b'-') => at = next,
                Some((_, indent)) if indent < column => return Some(line),
                Some(_) => return None,
            }
        }
    }

    /// A key at `at` and its `:` (followed by a space or the line end): the key's text and where the `:` ends.
    fn key(&self, at: usize) -> Option<(&'a [u8], usize)> {
        let b: &'a [u8] = self.b;
        let (text, after) = match self.byte(at)? {
            b'"' | b'\'' => self.quoted_key(at)?,
            first if first.is_ascii_alphanumeric() || matches!(first, b'_' | b'/' | b'$') => {
                let mut end = at;
                loop {
                    match self.byte(end) {
                        Some(b':') if matches!(self.byte(end + 1), None | Some(b' ' | b'\n')) => break,
                        Some(c) if key_byte(c) => end += 1,
                        _ => return None,
                    }
                }
                let text = b.get(at..end)?;
                if !string_key(text) {
                    return None;
                }
                (text, end)
            }
            _ => return None,
        };
        if text.len() > MAX_KEY_BYTES
            || self.byte(after) != Some(b':')
            || !matches!(self.byte(after + 1), None | Some(b' ' | b'\n'))
        {
            return None;
        }
        Some((text, after + 1))
    }

    /// The value after a key's `:` of a mapping at `column`: the start of the line after it, and its shape.
    fn value_after_key(&mut self, at: usize, column: usize, level: usize) -> Option<(usize, Option<Shape>)> {
        let at = skip_spaces(self.b, at);
        match self.byte(at) {
            None | Some(b'\n') | Some(b'#') => self.nested(at, column, true, level),
            Some(_) => self.inline(at, column, level),
        }
    }

    /// A value that starts on the lines after `at` (a key's `:` or a `-` with nothing after it on its line), more
    /// indented than `parent`, or a sequence at `parent` itself when `compact` (a mapping's value). Nothing there
    /// is an empty value.
    fn nested(&mut self, at: usize, parent: usize, compact: bool, level: usize) -> Option<(usize, Option<Shape>)> {
        let line = self.next_line(at);
        let Some((content, indent)) = self.next_content(line) else { return Some((self.b.len(), Some(Shape::Other))) };
        let dash = self.is_dash(content);
        if indent > parent || indent == parent && compact && dash {
            if dash {
                return Some((self.sequence(content, indent, level + 1)?, Some(Shape::Other)));
            }
            return Some((self.mapping(content, indent, level + 1, &mut |_, _| {})?, Some(Shape::Mapping)));
        }
        Some((line, Some(Shape::Other)))
    }

    /// Whether a `-` at `at` is a sequence entry's indicator (followed by a space or the line end).
    fn is_dash(&self, at: usize) -> bool {
        self.byte(at) == Some(b'-') && matches!(self.byte(at + 1), None | Some(b' ' | b'\n'))
    }

    /// A block sequence whose `-` indicators sit at `column`, the first at `at`.
    fn sequence(&mut self, mut at: usize, column: usize, level: usize) -> Option<usize> {
        if level > MAX_LEVELS {
            return None;
        }
        loop {
            self.count()?;
            let entry = skip_spaces(self.b, at + 1);
            let line = match self.byte(entry) {
                None | Some(b'\n') | Some(b'#') => self.nested(entry, column, false, level)?.0,
                // `- - a`: a sequence in the entry, its indicators at this column.
                _ if self.is_dash(entry) => self.sequence(entry, entry - line_start(self.b, entry), level + 1)?,
                _ if self.key(entry).is_some() => {
                    self.mapping(entry, entry - line_start(self.b, entry), level + 1, &mut |_, _| {})?
                }
                _ => self.inline(entry, column, level)?.0,
            };
            match self.next_content(line) {
                None => return Some(self.b.len()),
                Some((next, indent)) if indent == column && self.is_dash(next) => at = next,
                Some((_, indent)) if indent <= column => return Some(line),
                Some(_) => return None,
            }
        }
    }

    /// A value written on its own line after a key or `-` (at `at`) in a collection at `parent`: a tagged value,
    /// a block scalar, a quoted or plain scalar, or a one-line flow collection. Gives the start of the line after it.
    fn inline(&mut self, at: usize, parent: usize, level: usize) -> Option<(usize, Option<Shape>)> {
        let (at, tagged) = match self.byte(at)? {
            b'!' => (self.tag(at)?, true),
            _ => (at, false),
        };
        if tagged && matches!(self.byte(at), None | Some(b'\n' | b'#')) {
            // A tag on a collection on the lines below (`!Join` then `- ...`), or on nothing (`!GetAZs`).
            let (line, _) = self.nested(at, parent, false, level)?;
            return Some((line, None));
        }
        self.count()?;
        let (line, shape) = match self.byte(at)? {
            b'|' | b'>' => (self.block_scalar(at, parent)?, Shape::Other),
            b'"' | b'\'' => (self.rest_blank(self.quoted(at)?)?, Shape::Other),
            b'[' | b'{' => {
                let shape = if self.byte(at) == Some(b'{') { Shape::Mapping } else { Shape::Other };
                let end = self.flow(at, level + 1)?;
                (self.rest_blank(end)?, shape)
            }
            _ => (self.plain_block(at)?, Shape::Other),
        };
        // A more indented line after it (a continuation, or an error) is refused by the collection's own loop.
        Some((line, if tagged { None } else { Some(shape) }))
    }

    /// A local tag at `at` (a short form such as `!Ref`, or another tool's such as `!Rain::Embed`) and the spaces
    /// after it: where what it tags starts.
    fn tag(&self, at: usize) -> Option<usize> {
        let name_len = self.b.get(at + 1..)?.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b':').count();
        let name_end = at + 1 + name_len;
        let name = self.b.get(at + 1..name_end)?;
        if !name.first().is_some_and(u8::is_ascii_alphabetic) || name.ends_with(b":") {
            return None;
        }
        match self.byte(name_end) {
            None | Some(b'\n') => Some(name_end),
            Some(b' ') => Some(skip_spaces(self.b, name_end)),
            _ => None,
        }
    }
}

/// Bytes a plain key may hold after its first (which is a letter, digit, `_`, `/` or `$`). A `{` or `}` is text
/// in block context (`Bucket${Name}:`).
fn key_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'/' | b':' | b'$' | b'{' | b'}' | b'@' | b'(' | b')')
}

/// Whether a plain key is certainly a string to YAML 1.1: not a boolean or null word, and, if it starts with a
/// digit, holding a letter no number has (`02_config`, `2Route`; numbers use only `a`-`f`, `x`, `o`, `e`).
fn string_key(text: &[u8]) -> bool {
    let not_in_numbers =
        |c: &u8| c.is_ascii_alphabetic() && !matches!(c.to_ascii_lowercase(), b'a'..=b'f' | b'x' | b'o');
    !RESERVED_KEYS.iter().any(|r| r.as_bytes() == text)
        && text.first().is_some_and(|c| !c.is_ascii_digit() || text.iter().any(not_in_numbers))
}

fn skip_spaces(b: &[u8], mut at: usize) -> usize {
    while b.get(at) == Some(&b' ') {
        at += 1;
    }
    at
}

/// The start of the line holding `at` (`at` itself at a line start).
fn line_start(b: &[u8], at: usize) -> usize {
    let at = at.min(b.len());
    memchr::memrchr(b'\n', b.get(..at).unwrap_or_default()).map_or(0, |i| i + 1)
}
