//! A YAML reader that keeps the exact span of every value and key and expands CloudFormation short-form tags.

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, ScanError, Scanner, TScalarStyle, Token, TokenType};

use super::node::{Key, LineIndex, Node, Span, SyntaxError, Value, MAX_DEPTH};

/// Most nodes a document may produce, alias copies included; bounds "billion laughs" inputs.
const MAX_NODES: usize = 1_000_000;

/// Parse the first document of a YAML stream into a span-aware tree.
///
/// CloudFormation short forms (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) become their long forms
/// (`{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`, `{"Fn::Sub": ...}`); aliases are expanded and
/// `<<` merge keys applied. A stream without any document yields a null node at 1:1.
pub fn parse_yaml(text: &str) -> Result<Node, SyntaxError> {
    let source = Source::new(text);
    let properties = scan_properties(&source);
    Reader {
        cursor: source.base,
        src: source,
        properties,
        stack: Vec::new(),
        anchors: HashMap::new(),
        total: 0,
        anchored: 0,
        root: None,
    }
    .run()
}

/// The text being read and the mapping from yaml-rust2 markers to byte offsets.
struct Source<'a> {
    text: &'a str,
    /// Length of a leading byte-order mark, which the parser does not see.
    base: usize,
    index: LineIndex,
    /// Character index (in the text after the BOM) where each line starts, with the scanner's idea
    /// of a line break (`\n`, `\r\n`, or a lone `\r`).
    line_starts: Vec<usize>,
    /// Byte offset of every character; `None` when the text is ASCII and the two coincide.
    char_bytes: Option<Vec<usize>>,
    chars: usize,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Source<'a> {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let base = text.len() - body.len();
        let mut line_starts = vec![0];
        let mut chars = 0;
        let mut iter = body.chars().peekable();
        while let Some(c) = iter.next() {
            chars += 1;
            if c == '\n' || (c == '\r' && iter.peek() != Some(&'\n')) {
                line_starts.push(chars);
            }
        }
        let char_bytes = (!body.is_ascii()).then(|| body.char_indices().map(|(i, _)| i).collect());
        Source { text, base, index: LineIndex::new(text), line_starts, char_bytes, chars }
    }

    fn body(&self) -> &'a str {
        self.text.get(self.base..).unwrap_or("")
    }

    /// Byte offset in `text` of a marker.
    ///
    /// The marker's `index` is not used: yaml-rust2 counts characters there but adds bytes after
    /// long block-scalar lines, so it drifts on non-ASCII text. Line and column stay exact.
    fn offset(&self, mark: &Marker) -> usize {
        let line = mark.line().saturating_sub(1);
        if line >= self.line_starts.len() {
            // The scanner moves its end-of-stream marker to a line past the text.
            return self.text.len();
        }
        let line_start = self.line_starts[line];
        let line_end = self.line_starts.get(line + 1).map_or(self.chars, |next| next - 1);
        let char_index = line_start.saturating_add(mark.col()).min(line_end.max(line_start));
        let byte = match &self.char_bytes {
            None => char_index,
            Some(bytes) => bytes.get(char_index).copied().unwrap_or(self.text.len() - self.base),
        };
        self.base + byte
    }

    fn span(&self, start: usize, end: usize) -> Span {
        self.index.span(self.text, start, end.max(start))
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> SyntaxError {
        let (line, column) = self.index.position(self.text, offset);
        SyntaxError { message: message.into(), line, column, offset }
    }

    fn scan_error(&self, error: &ScanError) -> SyntaxError {
        let message = match error.info() {
            // The scanner's own flow-nesting cap (255) can trip before the parser has handed us
            // the node at MAX_DEPTH, so it is reported as the same limit.
            "recursion limit exceeded" => format!("nesting deeper than {MAX_DEPTH} levels"),
            info => plain_message(info),
        };
        self.error(self.offset(error.marker()), message)
    }

    fn byte(&self, offset: usize) -> Option<u8> {
        self.text.as_bytes().get(offset).copied()
    }
}

/// yaml-rust2's message without any location it appended (the reporter adds its own).
fn plain_message(info: &str) -> String {
    let trimmed = match info.find(" at line ") {
        Some(at) if info[at..].contains("column") => &info[..at],
        _ => info,
    };
    let trimmed = match trimmed.find(" at byte ") {
        Some(at) => &trimmed[..at],
        None => trimmed,
    };
    trimmed.trim().to_string()
}

/// Where a node's anchor and tag were written; parser events only locate the content after them.
#[derive(Debug, Clone, Copy)]
struct Properties {
    start: usize,
    end: usize,
    tag: Option<(usize, usize)>,
    /// Whether a scalar token follows, so a plain empty scalar event is real content, not an
    /// implied null after a bare tag.
    before_scalar: bool,
}

/// Locate every anchor/tag run, keyed by the marker index of the token that follows it.
///
/// Runs its own scanner over the same text: the scanner is deterministic, so the markers match
/// the ones the parser reports, and each property run is immediately followed (in token order)
/// by the content it belongs to, or by the token the parser marks an implied empty scalar with.
fn scan_properties(src: &Source) -> HashMap<usize, Properties> {
    let mut found = HashMap::new();
    let mut pending: Option<Properties> = None;
    for Token(mark, kind) in Scanner::new(src.body().chars()) {
        let is_tag = matches!(kind, TokenType::Tag(..));
        if is_tag || matches!(kind, TokenType::Anchor(_)) {
            let start = src.offset(&mark);
            let end = property_end(src.text, start);
            let props = pending.get_or_insert(Properties { start, end, tag: None, before_scalar: false });
            props.end = props.end.max(end);
            if is_tag {
                props.tag = Some((start, end));
            }
        } else if let Some(mut props) = pending.take() {
            props.before_scalar = matches!(kind, TokenType::Scalar(..));
            found.insert(mark.index(), props);
        }
    }
    found
}

/// End of the tag, anchor or alias starting at `start`.
fn property_end(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or("");
    if rest.starts_with("!<") {
        return rest.find('>').map_or(text.len(), |i| start + i + 1);
    }
    let len = rest
        .char_indices()
        .skip(1)
        .find(|&(_, c)| matches!(c, ' ' | '\t' | '\r' | '\n' | '\0' | ',' | '[' | ']' | '{' | '}'))
        .map_or(rest.len(), |(i, _)| i);
    start + len
}

/// Byte offset just past a scalar whose content starts at `start`.
fn scalar_end(text: &str, start: usize, style: TScalarStyle, value: &str) -> usize {
    let bytes = text.as_bytes();
    match style {
        TScalarStyle::SingleQuoted => {
            let mut i = start + 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                i += 1;
            }
            text.len()
        }
        TScalarStyle::DoubleQuoted => {
            let mut i = start + 1;
            while i < bytes.len() {
                match bytes[i] {
                    // UTF-8 continuation bytes never equal `"` or `\`, so stepping bytes is safe.
                    b'\\' => i += 2,
                    b'"' => return i + 1,
                    _ => i += 1,
                }
            }
            text.len()
        }
        _ => match_content(text, start, start, value),
    }
}

/// End of the last non-blank character of `value` as written from `from` on.
///
/// Plain and block scalars are their source text with only blanks and line breaks folded,
/// trimmed or re-indented, so the non-blank characters appear in the source in order with
/// nothing but blanks and line breaks between them (comments cannot interrupt such a scalar).
fn match_content(text: &str, from: usize, fallback: usize, value: &str) -> usize {
    let is_blank = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let mut source = text.get(from..).unwrap_or("").char_indices().peekable();
    let mut end = fallback;
    for wanted in value.chars().filter(|&c| !is_blank(c)) {
        while source.next_if(|&(_, c)| is_blank(c)).is_some() {}
        match source.next() {
            Some((i, c)) if c == wanted => end = from + i + c.len_utf8(),
            _ => return end,
        }
    }
    end
}

/// YAML 1.2 core-schema resolution of an untagged plain scalar.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ if is_int(text) || is_float(text) => Value::Number(text.to_string()),
        _ => Value::String(text.to_string()),
    }
}

fn is_int(text: &str) -> bool {
    let all = |s: &str, f: fn(&u8) -> bool| !s.is_empty() && s.as_bytes().iter().all(f);
    if let Some(hex) = text.strip_prefix("0x") {
        return all(hex, u8::is_ascii_hexdigit);
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return all(octal, |b| (b'0'..=b'7').contains(b));
    }
    all(text.strip_prefix(['-', '+']).unwrap_or(text), u8::is_ascii_digit)
}

fn is_float(text: &str) -> bool {
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(e) => (&unsigned[..e], Some(&unsigned[e + 1..])),
        None => (unsigned, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty()),
        None => !mantissa.is_empty() && digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// What a tag asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TagKind {
    None,
    /// `!` alone: the scalar is a string, whatever it looks like.
    NonSpecific,
    Str,
    Int,
    Float,
    Bool,
    Null,
    /// A CloudFormation short form, wrapped as `{key: value}`.
    Cfn {
        key: &'static str,
        get_att: bool,
    },
}

const CFN_FUNCTIONS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("If", "Fn::If"),
    ("Select", "Fn::Select"),
    ("FindInMap", "Fn::FindInMap"),
    ("Split", "Fn::Split"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("GetAZs", "Fn::GetAZs"),
    ("Cidr", "Fn::Cidr"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("Equals", "Fn::Equals"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
];

fn classify(tag: Option<&Tag>) -> TagKind {
    const CORE: &str = "tag:yaml.org,2002:";
    let Some(tag) = tag else { return TagKind::None };
    let core = if tag.handle == CORE {
        Some(tag.suffix.as_str())
    } else if tag.handle.is_empty() {
        tag.suffix.strip_prefix(CORE)
    } else {
        None
    };
    match core {
        Some("str") => TagKind::Str,
        Some("int") => TagKind::Int,
        Some("float") => TagKind::Float,
        Some("bool") => TagKind::Bool,
        Some("null") => TagKind::Null,
        Some(_) => TagKind::None,
        None if tag.handle == "!" => CFN_FUNCTIONS
            .iter()
            .find(|(short, _)| *short == tag.suffix)
            .map_or(TagKind::None, |&(short, key)| TagKind::Cfn { key, get_att: short == "GetAtt" }),
        None if tag.handle.is_empty() && tag.suffix == "!" => TagKind::NonSpecific,
        None => TagKind::None,
    }
}

/// The value of a scalar given its tag; plain untagged scalars go through the core schema.
fn scalar_value(text: &str, style: TScalarStyle, tag: TagKind) -> Value {
    let string = || Value::String(text.to_string());
    match tag {
        TagKind::Str | TagKind::NonSpecific => string(),
        TagKind::Null => Value::Null,
        TagKind::Int if is_int(text) => Value::Number(text.to_string()),
        TagKind::Float if is_int(text) || is_float(text) => Value::Number(text.to_string()),
        TagKind::Bool => match resolve_plain(text) {
            Value::Bool(b) => Value::Bool(b),
            _ => string(),
        },
        TagKind::Int | TagKind::Float => string(),
        TagKind::None | TagKind::Cfn { .. } if style == TScalarStyle::Plain => resolve_plain(text),
        TagKind::None | TagKind::Cfn { .. } => string(),
    }
}

/// A finished node with what its parent needs to know about it.
#[derive(Debug, Clone)]
struct Built {
    node: Node,
    /// Nodes in this subtree (keys included), for the alias-expansion budget.
    count: usize,
    /// Container levels in this subtree (0 for a scalar), for the nesting limit on alias copies.
    height: usize,
    /// The text to use when this node is a mapping key: a scalar's source value.
    key_text: Option<String>,
    /// An untagged plain `<<`, i.e. a merge key.
    merge: bool,
}

/// A collection being read.
struct Frame {
    is_map: bool,
    /// Opened by `[` or `{`, so it ends at the matching bracket.
    flow: bool,
    /// Start of the properties, if any.
    start: Option<usize>,
    /// Where the collection itself starts (after any properties); a block mapping learns it from
    /// its first key, since the parser marks it at the first `:`.
    content_start: Option<usize>,
    anchor: usize,
    tag: TagKind,
    tag_span: (usize, usize),
    /// Container level of the collection itself (the root collection is 1).
    level: usize,
    items: Vec<Node>,
    entries: Vec<(Key, Node)>,
    pending_key: Option<(Key, bool)>,
    merges: Vec<usize>,
    count: usize,
    height: usize,
}

struct Reader<'a> {
    src: Source<'a>,
    properties: HashMap<usize, Properties>,
    stack: Vec<Frame>,
    /// Finished anchored nodes by parser anchor id; an anchor still being read is absent, so a
    /// recursive alias is an error instead of an endless copy.
    anchors: HashMap<usize, Built>,
    /// Nodes created, alias copies included.
    total: usize,
    /// Nodes copied to keep anchored nodes for later aliases.
    anchored: usize,
    /// End of the last thing read, where an implied empty value is placed.
    cursor: usize,
    root: Option<Node>,
}

impl Reader<'_> {
    fn run(mut self) -> Result<Node, SyntaxError> {
        let body = self.src.body();
        let mut parser = Parser::new_from_str(body);
        loop {
            let (event, mark) = parser.next_token().map_err(|e| self.src.scan_error(&e))?;
            match event {
                Event::Nothing | Event::StreamStart | Event::DocumentStart => {}
                Event::StreamEnd => break,
                Event::DocumentEnd => {
                    // Trailing content after the first document is reported only when the
                    // parser rejects it while looking for the next document.
                    parser.next_token().map_err(|e| self.src.scan_error(&e))?;
                    break;
                }
                Event::Alias(id) => self.alias(id, &mark)?,
                Event::Scalar(value, style, anchor, tag) => self.scalar(&value, style, anchor, tag.as_ref(), &mark)?,
                Event::SequenceStart(anchor, tag) => self.open(false, anchor, tag.as_ref(), &mark)?,
                Event::MappingStart(anchor, tag) => self.open(true, anchor, tag.as_ref(), &mark)?,
                Event::SequenceEnd | Event::MappingEnd => self.close(&mark)?,
            }
        }
        Ok(self.root.unwrap_or_else(|| Node::new(Value::Null, self.src.span(0, 0))))
    }

    fn level(&self) -> usize {
        self.stack.last().map_or(0, |frame| frame.level)
    }

    fn properties(&self, anchor: usize, tag: Option<&Tag>, mark: &Marker) -> Option<Properties> {
        if anchor == 0 && tag.is_none() {
            return None;
        }
        self.properties.get(&mark.index()).copied()
    }

    fn charge(&mut self, nodes: usize, at: usize, message: &str) -> Result<(), SyntaxError> {
        self.total = self.total.saturating_add(nodes);
        if self.total > MAX_NODES {
            return Err(self.src.error(at, format!("{message} exceeds the limit of {MAX_NODES} nodes")));
        }
        Ok(())
    }

    fn too_deep(&self, at: usize) -> SyntaxError {
        self.src.error(at, format!("nesting deeper than {MAX_DEPTH} levels"))
    }

    /// Where an implied empty value goes: just after the `:`, `-` or `?` that introduced it.
    fn empty_position(&self) -> usize {
        if self.stack.is_empty() {
            return self.cursor;
        }
        let text = self.src.text.as_bytes();
        let mut at = self.cursor;
        loop {
            match text.get(at) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => at += 1,
                Some(b'#') => {
                    while !matches!(text.get(at), None | Some(b'\n' | b'\r')) {
                        at += 1;
                    }
                }
                _ => break,
            }
        }
        let blank_after = matches!(text.get(at + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
        match text.get(at) {
            Some(b':') => at + 1,
            Some(b'-' | b'?') if blank_after => at + 1,
            _ => self.cursor,
        }
    }

    /// Span of a block scalar whose first content character the parser marks at `content`.
    ///
    /// The parser does not locate the `|` or `>` header, so it is looked for after the end of
    /// whatever came before (a key, a `-`, properties), past blanks, comments and indicators.
    fn block_scalar(&self, from: usize, content: usize, value: &str) -> (usize, usize) {
        let text = self.src.text.as_bytes();
        let mut at = from;
        let header = loop {
            match text.get(at) {
                Some(b'|' | b'>') => break Some(at),
                Some(b' ' | b'\t' | b'\r' | b'\n' | b':' | b'-' | b'?') => at += 1,
                Some(b'#') => {
                    while !matches!(text.get(at), None | Some(b'\n' | b'\r')) {
                        at += 1;
                    }
                }
                _ => break None,
            }
            if at >= content {
                break None;
            }
        };
        match header {
            Some(start) => {
                let indicators = text
                    .get(start + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|b| matches!(b, b'+' | b'-' | b'0'..=b'9'))
                    .count();
                let header_end = start + 1 + indicators;
                (start, match_content(self.src.text, content, header_end, value))
            }
            None => (content, match_content(self.src.text, content, content, value)),
        }
    }

    /// Best guess at where a block mapping's first key starts, given the parser's mark at its
    /// first `:`: a simple key is on one line, after any `-`, `?` or `---` indicators.
    fn first_key_on_line(&self, colon: usize) -> usize {
        let text = self.src.text.as_bytes();
        let mut at = colon;
        while at > self.src.base && !matches!(text.get(at - 1), Some(b'\n' | b'\r')) {
            at -= 1;
        }
        let blank_or_end = |i: usize| matches!(text.get(i), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
        loop {
            match text.get(at) {
                Some(b' ' | b'\t') => at += 1,
                Some(b'-' | b'?') if blank_or_end(at + 1) => at += 1,
                Some(b'-') if text.get(at..at + 3) == Some(b"---") && blank_or_end(at + 3) => at += 3,
                _ => break,
            }
        }
        if at < colon {
            at
        } else {
            colon
        }
    }

    /// The `-` of a block sequence's first entry; the parser marks an indentless sequence at the
    /// entry's content instead.
    fn dash_before(&self, mark: usize) -> usize {
        let text = self.src.text.as_bytes();
        let blank_or_end = |at: usize| matches!(text.get(at), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
        if text.get(mark) == Some(&b'-') && blank_or_end(mark + 1) {
            return mark;
        }
        let mut at = mark;
        while at > 0 && matches!(text.get(at - 1), Some(b' ' | b'\t')) {
            at -= 1;
        }
        if at > 0 && text.get(at - 1) == Some(&b'-') {
            at - 1
        } else {
            mark
        }
    }

    fn scalar(
        &mut self,
        value: &str,
        style: TScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        mark: &Marker,
    ) -> Result<(), SyntaxError> {
        let props = self.properties(anchor, tag, mark);
        let implied = style == TScalarStyle::Plain && value.is_empty() && props.is_none_or(|p| !p.before_scalar);
        let (content_start, content_end) = match (implied, props) {
            (true, Some(p)) => (p.end, p.end),
            (true, None) => {
                let at = self.empty_position();
                (at, at)
            }
            (false, _) => {
                let at = self.src.offset(mark);
                match style {
                    TScalarStyle::Literal | TScalarStyle::Folded => {
                        let from = props.map_or(self.cursor, |p| p.end);
                        self.block_scalar(from, at, value)
                    }
                    _ => (at, scalar_end(self.src.text, at, style, value)),
                }
            }
        };
        let start = props.map_or(content_start, |p| p.start);
        let kind = classify(tag);
        let inner = Node::new(scalar_value(value, style, kind), self.src.span(content_start, content_end));
        let built = match kind {
            TagKind::Cfn { key, get_att } => {
                let extra = if get_att { 2 } else { 1 };
                if self.level() + extra > MAX_DEPTH {
                    return Err(self.too_deep(start));
                }
                let arg = if get_att { self.split_get_att(inner, value, content_start, content_end) } else { inner };
                let tag_span = props.and_then(|p| p.tag).unwrap_or((start, content_start));
                let count = if get_att { 4 } else { 2 };
                let node = self.wrap(key, tag_span, arg, start, content_end);
                Built { node, count, height: extra, key_text: None, merge: false }
            }
            _ => Built {
                node: Node { span: self.src.span(start, content_end), ..inner },
                count: 1,
                height: 0,
                key_text: Some(value.to_string()),
                merge: style == TScalarStyle::Plain && props.is_none() && value == "<<",
            },
        };
        self.charge(built.count, start, "YAML document")?;
        self.cursor = content_end;
        self.finish(built, anchor, start)
    }

    /// `A.B` as `["A", "B"]`, split at the first dot like CloudFormation does.
    fn split_get_att(&self, scalar: Node, value: &str, start: usize, end: usize) -> Node {
        let text = self.src.text;
        // Give each piece its own span when the value is written verbatim (plain, or quoted
        // without escapes); otherwise both share the scalar's.
        let verbatim = if text.get(start..end) == Some(value) {
            Some(start)
        } else if end >= start + 2 && text.get(start + 1..end - 1) == Some(value) {
            Some(start + 1)
        } else {
            None
        };
        let piece = |s: &str, offset: usize| {
            let span = verbatim.map_or(scalar.span, |base| self.src.span(base + offset, base + offset + s.len()));
            Node::new(Value::String(s.to_string()), span)
        };
        let pieces = match value.split_once('.') {
            Some((resource, attribute)) => {
                vec![piece(resource, 0), piece(attribute, resource.len() + 1)]
            }
            None => vec![piece(value, 0)],
        };
        Node::new(Value::Array(pieces), scalar.span)
    }

    fn wrap(&self, key: &str, tag_span: (usize, usize), arg: Node, start: usize, end: usize) -> Node {
        let key = Key { name: key.to_string(), span: self.src.span(tag_span.0, tag_span.1) };
        Node::new(Value::Object(vec![(key, arg)]), self.src.span(start, end))
    }

    fn alias(&mut self, id: usize, mark: &Marker) -> Result<(), SyntaxError> {
        let start = self.src.offset(mark);
        let end = property_end(self.src.text, start);
        let Some((count, height)) = self.anchors.get(&id).map(|a| (a.count, a.height)) else {
            let name = self.src.text.get(start..end).unwrap_or("*");
            return Err(self.src.error(start, format!("alias {name} refers to a node that contains it")));
        };
        if self.level() + height > MAX_DEPTH {
            return Err(self.too_deep(start));
        }
        // Charged before copying, so an alias bomb stops before any large copy is made.
        self.charge(count, start, "YAML alias expansion")?;
        let Some(mut built) = self.anchors.get(&id).cloned() else {
            return Err(self.src.error(start, "unknown YAML alias"));
        };
        // The copy is reported where it is used; what is inside keeps the anchored positions.
        built.node.span = self.src.span(start, end);
        self.cursor = end;
        self.attach(built);
        Ok(())
    }

    fn open(&mut self, is_map: bool, anchor: usize, tag: Option<&Tag>, mark: &Marker) -> Result<(), SyntaxError> {
        let props = self.properties(anchor, tag, mark);
        let at = self.src.offset(mark);
        let opener = self.src.byte(at);
        let flow = if is_map { opener == Some(b'{') } else { opener == Some(b'[') };
        let content_start = match (is_map, flow) {
            (_, true) => Some(at),
            (false, false) => Some(self.dash_before(at)),
            // The parser marks a block mapping at its first `:` and a single-pair mapping inside
            // `[...]` after it, so these take their start from their first key.
            (true, false) => None,
        };
        let start = props.map_or(content_start.unwrap_or(at), |p| p.start);
        if flow && is_map {
            // A flow mapping used as the first key of a block mapping, or of a single-pair
            // mapping inside `[...]`, starts at the same `{` as that outer mapping: the outer
            // one was not opened by the bracket after all.
            if let Some(outer) = self.stack.last_mut() {
                if outer.is_map
                    && outer.flow
                    && outer.content_start == Some(at)
                    && outer.entries.is_empty()
                    && outer.pending_key.is_none()
                {
                    outer.flow = false;
                }
            }
        }
        let kind = match classify(tag) {
            cfn @ TagKind::Cfn { .. } => cfn,
            _ => TagKind::None,
        };
        let wrapped = usize::from(matches!(kind, TagKind::Cfn { .. }));
        let level = self.level() + 1 + wrapped;
        if level > MAX_DEPTH {
            let at = match content_start {
                None if props.is_none() => self.first_key_on_line(at),
                _ => start,
            };
            return Err(self.too_deep(at));
        }
        self.charge(1 + wrapped, start, "YAML document")?;
        let tag_span = props.and_then(|p| p.tag).unwrap_or((start, start));
        self.stack.push(Frame {
            is_map,
            flow,
            start: props.map(|p| p.start),
            content_start,
            anchor,
            tag: kind,
            tag_span,
            level,
            items: Vec::new(),
            entries: Vec::new(),
            pending_key: None,
            merges: Vec::new(),
            count: 1 + wrapped,
            height: 1 + wrapped,
        });
        if let Some(p) = props {
            self.cursor = p.end;
        }
        match content_start {
            Some(at) if flow => self.cursor = at + 1,
            Some(at) => self.cursor = at,
            None => {}
        }
        Ok(())
    }

    fn close(&mut self, mark: &Marker) -> Result<(), SyntaxError> {
        let Some(mut frame) = self.stack.pop() else {
            return Err(self.src.error(self.src.offset(mark), "unbalanced end of a YAML collection"));
        };
        let mut end = self.cursor;
        if frame.flow {
            let at = self.src.offset(mark);
            if matches!(self.src.byte(at), Some(b']' | b'}')) {
                end = at + 1;
            }
        }
        let value = if frame.is_map {
            if let Some((key, _)) = frame.pending_key.take() {
                // The parser always pairs keys with values; this only guards against surprises.
                let null = Node::new(Value::Null, self.src.span(key.span.end, key.span.end));
                frame.entries.push((key, null));
            }
            Value::Object(merge(frame.entries, &frame.merges))
        } else {
            Value::Array(frame.items)
        };
        let content_start = frame.content_start.unwrap_or(end);
        let start = frame.start.unwrap_or(content_start);
        let inner = Node::new(value, self.src.span(content_start, end));
        let node = match frame.tag {
            TagKind::Cfn { key, .. } => self.wrap(key, frame.tag_span, inner, start, end),
            _ => Node { span: self.src.span(start, end), ..inner },
        };
        let built = Built { node, count: frame.count, height: frame.height, key_text: None, merge: false };
        self.cursor = end;
        self.finish(built, frame.anchor, start)
    }

    /// Register an anchored node, then hand the node to its parent.
    fn finish(&mut self, built: Built, anchor: usize, start: usize) -> Result<(), SyntaxError> {
        if anchor != 0 {
            // Nested anchors copy the same nodes again, so the stored copies get a budget of
            // their own (kept apart so an alias bomb is reported at an alias).
            self.anchored = self.anchored.saturating_add(built.count);
            if self.anchored > MAX_NODES {
                return Err(self.src.error(start, format!("YAML anchors exceed the limit of {MAX_NODES} nodes")));
            }
            let mut stored = built.clone();
            stored.merge = false;
            self.anchors.insert(anchor, stored);
        }
        self.attach(built);
        Ok(())
    }

    fn attach(&mut self, built: Built) {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(built.node);
            return;
        };
        let child_start = built.node.span.start;
        match frame.content_start {
            // A single-pair mapping inside `[...]` written `"a":{...}` is marked at the `{` of its
            // value; a real `{` mapping never has a key before its bracket.
            Some(at)
                if frame.is_map
                    && frame.flow
                    && child_start < at
                    && frame.entries.is_empty()
                    && frame.pending_key.is_none() =>
            {
                frame.flow = false;
                frame.content_start = Some(child_start);
            }
            Some(_) => {}
            None => frame.content_start = Some(child_start),
        }
        frame.count = frame.count.saturating_add(built.count);
        let wrapped = usize::from(matches!(frame.tag, TagKind::Cfn { .. }));
        frame.height = frame.height.max(built.height + 1 + wrapped);
        if !frame.is_map {
            frame.items.push(built.node);
            return;
        }
        match frame.pending_key.take() {
            Some((key, is_merge)) => {
                if is_merge {
                    frame.merges.push(frame.entries.len());
                }
                frame.entries.push((key, built.node));
            }
            None => {
                let name = match built.key_text {
                    Some(text) => text,
                    None => match &built.node.value {
                        Value::Null => String::new(),
                        _ => built.node.scalar_text().unwrap_or_else(|| built.node.to_json().to_string()),
                    },
                };
                frame.pending_key = Some((Key { name, span: built.node.span }, built.merge));
            }
        }
    }
}

/// Apply `<<` merge keys: entries of the merged mapping(s) that the mapping does not set itself.
fn merge(entries: Vec<(Key, Node)>, merges: &[usize]) -> Vec<(Key, Node)> {
    if merges.is_empty() {
        return entries;
    }
    let mergeable = |node: &Node| match &node.value {
        Value::Object(_) => true,
        Value::Array(items) => items.iter().all(|item| matches!(item.value, Value::Object(_))),
        _ => false,
    };
    let is_merge = |i: usize, node: &Node| merges.contains(&i) && mergeable(node);
    let mut taken: HashSet<String> = entries
        .iter()
        .enumerate()
        .filter(|(i, (_, node))| !is_merge(*i, node))
        .map(|(_, (key, _))| key.name.clone())
        .collect();
    let mut result = Vec::with_capacity(entries.len());
    for (i, (key, node)) in entries.into_iter().enumerate() {
        if !is_merge(i, &node) {
            result.push((key, node));
            continue;
        }
        let sources = match node.value {
            Value::Array(items) => items,
            value => vec![Node { value, span: node.span }],
        };
        // Earlier sources win over later ones, as the merge-key spec says.
        for source in sources {
            if let Value::Object(merged) = source.value {
                for (k, v) in merged {
                    if taken.insert(k.name.clone()) {
                        result.push((k, v));
                    }
                }
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Units:
    Type: Number
    Default: 2
  Env:
    Type: String
    Default: 'prod'
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Mappings:
  Models:
    us-east-1: {Id: anthropic.claude-v2}
Resources:
  Pt:
    Type: AWS::Bedrock::ProvisionedModelThroughput
    Properties:
      ModelUnits: !Ref Units
      ProvisionedModelName: !Sub "${AWS::StackName}-pt"
      ModelId: !FindInMap [Models, !Ref "AWS::Region", Id]
      CommitmentDuration: !If [IsProd, OneMonth, !Ref AWS::NoValue]
      Tags:
        - Key: Name
          Value: !Join [ "", [ "pt-", !Ref Env ] ]  # trailing comment
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Dimensions:
        - Name: ModelId
          Value: !GetAtt Pt.ProvisionedModelArn
"#;

    fn parse(text: &str) -> Node {
        match parse_yaml(text) {
            Ok(node) => node,
            Err(e) => panic!("{e} in {text:?}"),
        }
    }

    fn error(text: &str) -> SyntaxError {
        match parse_yaml(text) {
            Ok(node) => panic!("expected an error, got {node:?}"),
            Err(e) => e,
        }
    }

    /// The source text a span covers, with its start and end positions.
    fn at(text: &str, span: Span) -> (&str, (u32, u32), (u32, u32)) {
        (&text[span.start..span.end], (span.line, span.column), (span.end_line, span.end_column))
    }

    fn string(s: &str) -> Value {
        Value::String(s.to_string())
    }

    fn key_names(node: &Node) -> Vec<&str> {
        node.as_object().unwrap_or_default().iter().map(|(k, _)| k.name.as_str()).collect()
    }

    #[test]
    fn mapping_values_keys_and_scalars_have_exact_spans() {
        let root = parse(TEMPLATE);
        assert_eq!(at(TEMPLATE, root.span).1, (1, 1));
        assert_eq!(root.span.start, 0);
        assert_eq!(root.span.end, TEMPLATE.trim_end().len());

        let version = root.get("AWSTemplateFormatVersion").unwrap();
        assert_eq!(version.value, string("2010-09-09"));
        assert_eq!((version.span.start, version.span.end), (26, 38));
        assert_eq!(at(TEMPLATE, version.span), ("\"2010-09-09\"", (1, 27), (1, 39)));

        let (key, units) = root.path(&["Parameters"]).unwrap().entry("Units").unwrap();
        assert_eq!(at(TEMPLATE, key.span), ("Units", (3, 3), (3, 8)));
        assert_eq!(at(TEMPLATE, units.span), ("Type: Number\n    Default: 2", (4, 5), (5, 15)));

        let default = units.get("Default").unwrap();
        assert_eq!(default.value, Value::Number("2".into()));
        assert_eq!((default.span.start, default.span.end), (90, 91));
        assert_eq!(at(TEMPLATE, default.span), ("2", (5, 14), (5, 15)));

        let env_default = root.path(&["Parameters", "Env", "Default"]).unwrap();
        assert_eq!(env_default.value, string("prod"));
        assert_eq!(at(TEMPLATE, env_default.span), ("'prod'", (8, 14), (8, 20)));

        let flow = root.path(&["Mappings", "Models", "us-east-1"]).unwrap();
        assert_eq!(at(TEMPLATE, flow.span), ("{Id: anthropic.claude-v2}", (13, 16), (13, 41)));
        let (id_key, id) = flow.entry("Id").unwrap();
        assert_eq!(at(TEMPLATE, id_key.span), ("Id", (13, 17), (13, 19)));
        assert_eq!(at(TEMPLATE, id.span), ("anthropic.claude-v2", (13, 21), (13, 40)));

        let kind = root.path(&["Resources", "Pt", "Type"]).unwrap();
        assert_eq!(at(TEMPLATE, kind.span), ("AWS::Bedrock::ProvisionedModelThroughput", (16, 11), (16, 51)));
    }

    #[test]
    fn sequence_items_start_at_their_content_and_the_sequence_at_its_dash() {
        let root = parse(TEMPLATE);
        let tags = root.path(&["Resources", "Pt", "Properties", "Tags"]).unwrap();
        let items = tags.as_array().unwrap();
        assert_eq!(items.len(), 1);
        let (text, start, end) = at(TEMPLATE, tags.span);
        assert!(text.starts_with("- Key: Name\n"), "{text:?}");
        assert_eq!((start, end), ((23, 9), (24, 51)));
        assert_eq!(at(TEMPLATE, items[0].span).1, (23, 11));
        let (name_key, name) = items[0].entry("Key").unwrap();
        assert_eq!(at(TEMPLATE, name_key.span), ("Key", (23, 11), (23, 14)));
        assert_eq!(at(TEMPLATE, name.span), ("Name", (23, 16), (23, 20)));

        let text = "a:\n- x\n-   y\n-\n- - z\n";
        let list = parse(text);
        let list = list.get("a").unwrap();
        assert_eq!(at(text, list.span), ("- x\n-   y\n-\n- - z", (2, 1), (5, 6)));
        let items = list.as_array().unwrap();
        assert_eq!(at(text, items[0].span), ("x", (2, 3), (2, 4)));
        assert_eq!(at(text, items[1].span), ("y", (3, 5), (3, 6)));
        assert_eq!(items[2].value, Value::Null);
        assert_eq!(at(text, items[2].span), ("", (4, 2), (4, 2)));
        assert_eq!(at(text, items[3].span), ("- z", (5, 3), (5, 6)));
    }

    #[test]
    fn short_form_tags_expand_with_tag_key_and_value_spans() {
        let root = parse(TEMPLATE);
        let props = root.path(&["Resources", "Pt", "Properties"]).unwrap();

        let units = props.get("ModelUnits").unwrap();
        assert_eq!(units.to_json(), serde_json::json!({"Ref": "Units"}));
        assert_eq!(at(TEMPLATE, units.span), ("!Ref Units", (18, 19), (18, 29)));
        let (ref_key, ref_arg) = units.entry("Ref").unwrap();
        assert_eq!(at(TEMPLATE, ref_key.span), ("!Ref", (18, 19), (18, 23)));
        assert_eq!(at(TEMPLATE, ref_arg.span), ("Units", (18, 24), (18, 29)));

        let name = props.get("ProvisionedModelName").unwrap();
        assert_eq!(name.to_json(), serde_json::json!({"Fn::Sub": "${AWS::StackName}-pt"}));
        assert_eq!(at(TEMPLATE, name.span), ("!Sub \"${AWS::StackName}-pt\"", (19, 29), (19, 56)));
        assert_eq!(at(TEMPLATE, name.get("Fn::Sub").unwrap().span).0, "\"${AWS::StackName}-pt\"");

        let model = props.get("ModelId").unwrap();
        assert_eq!(model.to_json(), serde_json::json!({"Fn::FindInMap": ["Models", {"Ref": "AWS::Region"}, "Id"]}));
        assert_eq!(at(TEMPLATE, model.span), ("!FindInMap [Models, !Ref \"AWS::Region\", Id]", (20, 16), (20, 59)));
        let args = model.get("Fn::FindInMap").unwrap();
        assert_eq!(at(TEMPLATE, args.span).1, (20, 27));
        let region = &args.as_array().unwrap()[1];
        assert_eq!(at(TEMPLATE, region.span), ("!Ref \"AWS::Region\"", (20, 36), (20, 54)));

        let duration = props.get("CommitmentDuration").unwrap();
        assert_eq!(duration.to_json(), serde_json::json!({"Fn::If": ["IsProd", "OneMonth", {"Ref": "AWS::NoValue"}]}));
        assert_eq!(at(TEMPLATE, duration.entry("Fn::If").unwrap().0.span), ("!If", (21, 27), (21, 30)));

        let join = props.path(&["Tags"]).unwrap().as_array().unwrap()[0].get("Value").unwrap();
        assert_eq!(join.to_json(), serde_json::json!({"Fn::Join": ["", ["pt-", {"Ref": "Env"}]]}));
        assert_eq!(at(TEMPLATE, join.span), ("!Join [ \"\", [ \"pt-\", !Ref Env ] ]", (24, 18), (24, 51)));
        let parts = join.get("Fn::Join").unwrap().as_array().unwrap();
        assert_eq!(at(TEMPLATE, parts[0].span), ("\"\"", (24, 26), (24, 28)));
        assert_eq!(at(TEMPLATE, parts[1].as_array().unwrap()[1].span), ("!Ref Env", (24, 39), (24, 47)));

        let condition = root.path(&["Conditions", "IsProd"]).unwrap();
        assert_eq!(condition.to_json(), serde_json::json!({"Fn::Equals": [{"Ref": "Env"}, "prod"]}));
    }

    #[test]
    fn get_att_splits_at_the_first_dot_and_keeps_the_sequence_form() {
        let root = parse(TEMPLATE);
        let dims = root.path(&["Resources", "Alarm", "Properties", "Dimensions"]).unwrap();
        let value = dims.as_array().unwrap()[0].get("Value").unwrap();
        assert_eq!(value.to_json(), serde_json::json!({"Fn::GetAtt": ["Pt", "ProvisionedModelArn"]}));
        assert_eq!(at(TEMPLATE, value.span), ("!GetAtt Pt.ProvisionedModelArn", (30, 18), (30, 48)));
        let (key, pieces) = value.entry("Fn::GetAtt").unwrap();
        assert_eq!(at(TEMPLATE, key.span).0, "!GetAtt");
        assert_eq!(at(TEMPLATE, pieces.span).0, "Pt.ProvisionedModelArn");
        let pieces = pieces.as_array().unwrap();
        assert_eq!(at(TEMPLATE, pieces[0].span), ("Pt", (30, 26), (30, 28)));
        assert_eq!(at(TEMPLATE, pieces[1].span), ("ProvisionedModelArn", (30, 29), (30, 48)));

        let text = "a: !GetAtt Db.Endpoint.Address\nb: !GetAtt [Db, Arn]\nc: !Condition IsProd\nd: !Foo 12\n";
        let root = parse(text);
        assert_eq!(root.get("a").unwrap().to_json(), serde_json::json!({"Fn::GetAtt": ["Db", "Endpoint.Address"]}));
        assert_eq!(root.get("b").unwrap().to_json(), serde_json::json!({"Fn::GetAtt": ["Db", "Arn"]}));
        assert_eq!(at(text, root.path(&["b", "Fn::GetAtt"]).unwrap().span).0, "[Db, Arn]");
        assert_eq!(root.get("c").unwrap().to_json(), serde_json::json!({"Condition": "IsProd"}));
        let unknown = root.get("d").unwrap();
        assert_eq!(unknown.value, Value::Number("12".into()));
        assert_eq!(at(text, unknown.span).0, "!Foo 12");
    }

    #[test]
    fn tags_on_block_collections_and_block_scalars_wrap_them() {
        let text = "V: !If\n  - IsProd\n  - !Sub |\n    ${A}\n  - b\nT: !Transform\n  Name: X\nR: !Ref\nS: x\n";
        let root = parse(text);
        let v = root.get("V").unwrap();
        assert_eq!(v.to_json(), serde_json::json!({"Fn::If": ["IsProd", {"Fn::Sub": "${A}\n"}, "b"]}));
        assert_eq!(at(text, v.span), ("!If\n  - IsProd\n  - !Sub |\n    ${A}\n  - b", (1, 4), (5, 6)));
        let list = v.get("Fn::If").unwrap();
        assert_eq!(at(text, list.span).1, (2, 3));
        let sub = &list.as_array().unwrap()[1];
        assert_eq!(at(text, sub.span), ("!Sub |\n    ${A}", (3, 5), (4, 9)));
        assert_eq!(at(text, sub.get("Fn::Sub").unwrap().span), ("|\n    ${A}", (3, 10), (4, 9)));

        let t = root.get("T").unwrap();
        assert_eq!(t.to_json(), serde_json::json!({"Fn::Transform": {"Name": "X"}}));
        assert_eq!(at(text, t.span), ("!Transform\n  Name: X", (6, 4), (7, 10)));
        assert_eq!(at(text, t.get("Fn::Transform").unwrap().span), ("Name: X", (7, 3), (7, 10)));

        let empty = root.get("R").unwrap();
        assert_eq!(empty.to_json(), serde_json::json!({"Ref": null}));
        assert_eq!(at(text, empty.span), ("!Ref", (8, 4), (8, 8)));
        assert_eq!(root.get("S").unwrap().value, string("x"));
    }

    #[test]
    fn non_ascii_text_counts_columns_in_characters_and_offsets_in_bytes() {
        let text =
            "Description: \"Prüfung — ☕\"\nName: café # ☕\nNext: |\n  ééééééééééééééééééééééééééééé\nLast: [é, x]\n";
        let root = parse(text);
        let name = root.get("Name").unwrap();
        assert_eq!(name.value, string("café"));
        assert_eq!((name.span.start, name.span.end), (38, 43));
        assert_eq!(at(text, name.span), ("café", (2, 7), (2, 11)));
        let description = root.get("Description").unwrap();
        assert_eq!((description.span.end, description.span.end_column), (31, 27));
        // A long non-ASCII block-scalar line makes yaml-rust2's own char index drift; line and
        // column stay right and are what offsets are computed from.
        let last = root.get("Last").unwrap();
        assert_eq!(at(text, last.span), ("[é, x]", (5, 7), (5, 13)));
        assert_eq!(at(text, last.as_array().unwrap()[1].span), ("x", (5, 11), (5, 12)));
    }

    #[test]
    fn block_scalars_span_from_indicator_to_last_content_character() {
        let text = "Policy: |  # JSON\n  {\"Version\": \"2012-10-17\",\n   \"Statement\": []}\n\nFolded: >-\n  one\n  two\nNext: 1\n";
        let root = parse(text);
        let policy = root.get("Policy").unwrap();
        assert_eq!(policy.value, string("{\"Version\": \"2012-10-17\",\n \"Statement\": []}\n"));
        assert_eq!((policy.span.start, policy.span.end), (8, 65));
        assert_eq!(
            at(text, policy.span),
            ("|  # JSON\n  {\"Version\": \"2012-10-17\",\n   \"Statement\": []}", (1, 9), (3, 20))
        );
        let folded = root.get("Folded").unwrap();
        assert_eq!(folded.value, string("one two"));
        assert_eq!(at(text, folded.span), (">-\n  one\n  two", (5, 9), (7, 6)));
    }

    #[test]
    fn plain_scalars_resolve_with_the_core_schema_and_numbers_keep_their_text() {
        let text = "a: 2\nb: \"2\"\nc: 0x1F\nd: -1.5e3\ne: .inf\nf: .NaN\ng: true\nh: False\ni: ~\nj: null\nk:\nl: 12ab\nm: !!str 2\nn: !!int \"7\"\no: 0o17\np: '~'\nq: yes\n";
        let root = parse(text);
        let get = |k: &str| root.get(k).unwrap().value.clone();
        let number = |n: &str| Value::Number(n.to_string());
        assert_eq!(get("a"), number("2"));
        assert_eq!(get("b"), string("2"));
        assert_eq!(get("c"), number("0x1F"));
        assert_eq!(get("d"), number("-1.5e3"));
        assert_eq!(get("e"), number(".inf"));
        assert_eq!(get("f"), number(".NaN"));
        assert_eq!(get("g"), Value::Bool(true));
        assert_eq!(get("h"), Value::Bool(false));
        assert_eq!(get("i"), Value::Null);
        assert_eq!(get("j"), Value::Null);
        assert_eq!(get("k"), Value::Null);
        assert_eq!(at(text, root.get("k").unwrap().span), ("", (11, 3), (11, 3)));
        assert_eq!(get("l"), string("12ab"));
        assert_eq!(get("m"), string("2"));
        assert_eq!(get("n"), number("7"));
        assert_eq!(get("o"), number("0o17"));
        assert_eq!(get("p"), string("~"));
        assert_eq!(get("q"), string("yes"));

        let units = parse("Properties:\n  ModelUnits: 2\n");
        assert_eq!(units.path(&["Properties", "ModelUnits"]).unwrap().value, number("2"));
        let units = parse("Properties:\n  ModelUnits: \"2\"\n");
        assert_eq!(units.path(&["Properties", "ModelUnits"]).unwrap().value, string("2"));
    }

    #[test]
    fn invalid_yaml_reports_a_plain_message_at_the_right_place() {
        let text = "Resources:\n  Pt:\n    Tags: [a, b\n";
        let unclosed = error(text);
        assert_eq!(unclosed.message, "while parsing a flow sequence, expected ',' or ']'");
        assert_eq!((unclosed.line, unclosed.column, unclosed.offset), (4, 1, text.len()));
        let unclosed = error("Tags: [a, b\nOther: 1\n");
        assert_eq!((unclosed.line, unclosed.column, unclosed.offset), (2, 6, 17));
        assert!(!unclosed.message.contains("line"), "{}", unclosed.message);

        let indented = error("Type: A\n  Properties: 1\n");
        assert_eq!(indented.message, "mapping values are not allowed in this context");
        assert_eq!((indented.line, indented.column, indented.offset), (2, 13, 20));

        let after_non_ascii = error("é: [ü,\n☕: x\n");
        assert_eq!((after_non_ascii.line, after_non_ascii.column), (2, 1));
        assert_eq!(after_non_ascii.offset, 9);

        let trailing = error("[a]\nfoo\n");
        assert_eq!((trailing.line, trailing.column), (2, 1));
    }

    #[test]
    fn alias_bomb_is_rejected_quickly_at_an_alias() {
        let mut text =
            String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (i, name) in "bcdefghi".chars().enumerate() {
            let prev = char::from(b'a' + i as u8);
            let aliases = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{aliases}]\n"));
        }
        let started = Instant::now();
        let e = error(&text);
        assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
        assert_eq!(e.message, "YAML alias expansion exceeds the limit of 1000000 nodes");
        assert_eq!(&text[e.offset..e.offset + 2], "*f");
        assert_eq!((e.line, e.column), (7, 8));
    }

    #[test]
    fn aliases_copy_the_anchored_node_and_bad_aliases_fail_at_the_alias() {
        let text = "base: &b {Units: 2}\ncopy: *b\nref: &r !Ref X\nref2: *r\n";
        let root = parse(text);
        assert_eq!(root.get("copy").unwrap().to_json(), serde_json::json!({"Units": 2}));
        assert_eq!(at(text, root.get("copy").unwrap().span), ("*b", (2, 7), (2, 9)));
        assert_eq!(at(text, root.path(&["copy", "Units"]).unwrap().span).1, (1, 18));
        assert_eq!(at(text, root.get("ref").unwrap().span).0, "&r !Ref X");
        assert_eq!(root.get("ref2").unwrap().to_json(), serde_json::json!({"Ref": "X"}));

        let unknown = error("a: 1\nb: *nope\n");
        assert_eq!((unknown.line, unknown.column, unknown.offset), (2, 4, 8));
        let recursive = error("a: &a [1, *a]\n");
        assert_eq!((recursive.line, recursive.column), (1, 11));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for text in ["[".repeat(100_000), "{a: ".repeat(100_000), "- ".repeat(100_000)] {
            let e = error(&text);
            assert_eq!(e.message, format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        // The first `- ` too deep is the offending node.
        assert_eq!(error(&"- ".repeat(100_000)).offset, 2 * MAX_DEPTH);

        let mut mappings = String::new();
        for depth in 0..1000 {
            mappings.push_str(&" ".repeat(depth));
            mappings.push_str("k:\n");
        }
        let e = error(&mappings);
        assert_eq!((e.line, e.column), (MAX_DEPTH as u32 + 1, MAX_DEPTH as u32 + 1));

        let limit = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse_yaml(&limit).is_ok());
        let over = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(error(&over).offset, MAX_DEPTH);
        // Short-form tags add a level (their generated object) to the tree.
        let tagged = format!("{}x{}", "!Not [".repeat(MAX_DEPTH / 2), "]".repeat(MAX_DEPTH / 2));
        assert!(parse_yaml(&tagged).is_ok());
        let tagged = format!("{}x{}", "!Not [".repeat(MAX_DEPTH / 2 + 1), "]".repeat(MAX_DEPTH / 2 + 1));
        assert!(parse_yaml(&tagged).is_err());
    }

    #[test]
    fn merge_keys_add_entries_the_mapping_does_not_set() {
        let text = "base: &base\n  Type: Number\n  Default: 1\nextra: &extra {Description: d, Default: 9}\nParam:\n  <<: [*base, *extra]\n  Default: 2\n";
        let root = parse(text);
        let param = root.get("Param").unwrap();
        assert_eq!(key_names(param), ["Type", "Description", "Default"]);
        assert_eq!(param.to_json(), serde_json::json!({"Type": "Number", "Description": "d", "Default": 2}));
        assert_eq!(at(text, param.entry("Type").unwrap().0.span), ("Type", (2, 3), (2, 7)));

        let single = parse("a: &a {x: 1, y: 1}\nb:\n  y: 2\n  <<: *a\n");
        assert_eq!(single.get("b").unwrap().to_json(), serde_json::json!({"y": 2, "x": 1}));
        let quoted = parse("a: {x: 1}\nb: {\"<<\": 3}\n");
        assert_eq!(key_names(quoted.get("b").unwrap()), ["<<"]);
    }

    #[test]
    fn empty_documents_are_null_at_the_start() {
        for text in ["", "# nothing\n", "---\n", "\n\n"] {
            let node = parse(text);
            assert_eq!(node.value, Value::Null, "{text:?}");
            assert_eq!((node.span.start, node.span.end, node.span.line, node.span.column), (0, 0, 1, 1), "{text:?}");
        }
    }

    #[test]
    fn duplicate_keys_are_kept_and_the_last_wins() {
        let root = parse("a: 1\na: 2\n");
        assert_eq!(key_names(&root), ["a", "a"]);
        assert_eq!(root.get("a").unwrap().value, Value::Number("2".into()));
    }

    #[test]
    fn only_the_first_document_is_read_and_bom_and_crlf_are_handled() {
        let root = parse("a: 1\n---\nb: 2\n");
        assert_eq!(key_names(&root), ["a"]);

        let text = "\u{feff}a: 1\r\nb: \"é\"\r\n";
        let root = parse(text);
        assert_eq!(at(text, root.entry("a").unwrap().0.span), ("a", (1, 2), (1, 3)));
        assert_eq!(at(text, root.get("b").unwrap().span), ("\"é\"", (2, 4), (2, 7)));
    }

    #[test]
    fn flow_pairs_and_complex_keys_get_spans_from_their_keys() {
        let text = "[a: b, {c: 1}: d]\n";
        let root = parse(text);
        let items = root.as_array().unwrap();
        assert_eq!(at(text, items[0].span), ("a: b", (1, 2), (1, 6)));
        assert_eq!(at(text, items[1].span), ("{c: 1}: d", (1, 8), (1, 17)));
        assert_eq!(key_names(&items[1]), ["{\"c\":1}"]);
    }

    #[test]
    fn never_panics_on_truncated_or_garbage_input() {
        let mut cut = 0;
        for (i, _) in TEMPLATE.char_indices() {
            let prefix = &TEMPLATE[..i];
            if let Ok(node) = parse_yaml(prefix) {
                assert!(node.span.end <= prefix.len());
            }
            cut += 1;
        }
        assert_eq!(cut, TEMPLATE.chars().count());
        let garbage: [&[u8]; 12] = [
            b"\xff\xfe\x00a",
            b"{[}]",
            b"- - - ? : : :",
            b"a: &x\n*x: *x\n",
            b"!<\n",
            b"'unterminated",
            b"\"bad \\q escape\"",
            b"a:\t- b\n\tc",
            b"%YAML 1.2\n%YAML 1.2\n---\n",
            b"key: |9\n x\n",
            b"\r\r\n\r:\x00]",
            b"? - [\n: {a: *",
        ];
        for bytes in garbage {
            let text = String::from_utf8_lossy(bytes);
            let result = parse_yaml(&text);
            if let Err(e) = result {
                assert!(e.offset <= text.len() && text.is_char_boundary(e.offset), "{e:?}");
            }
        }
    }
}
