//! Builds the span-aware node tree from yaml-rust2 parser events: collections, aliases, anchors and merges.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::keys::{check_unique_keys, merge};
use super::scanner::{properties_at, property_end, scalar_end, scan_properties, Marked, Properties, Source};
use super::tags::{classify, scalar_value, TagKind};
use crate::source::node::{Key, Node, Span, SyntaxError, Value, MAX_DEPTH};

/// Most nodes a document may produce, alias copies included; bounds "billion laughs" inputs.
const MAX_NODES: usize = 1_000_000;

/// Most bytes of scalar text and keys that alias copies may add to a document, and, apart, that the copies kept
/// for later aliases may hold: 32 MiB, the size of the largest file ptlint reads and 32 times the largest
/// template CloudFormation accepts (1 MB in S3: "CloudFormation quotas",
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). The node limit
/// alone lets 100,000 aliases of one 100 KB scalar build 10 GB.
pub(super) const MAX_ALIAS_BYTES: usize = 32 * 1024 * 1024;

/// A finished node with what its parent needs to know about it.
#[derive(Debug, Clone)]
struct Built {
    node: Node,
    /// Nodes in this subtree (keys included), for the alias-expansion budget.
    count: usize,
    /// Bytes of scalar text and keys in this subtree, for the alias-expansion byte budget.
    bytes: usize,
    /// Container levels in this subtree (0 for a scalar), for the nesting limit on alias copies.
    height: usize,
    /// Whether this node can be a mapping key: an untagged (or core-tagged) scalar. A tagged value or a
    /// collection cannot be one in CloudFormation.
    keyable: bool,
    /// The scalar's text as written, for a keyable scalar whose value is not that text (a number, boolean or null);
    /// a string value is its own text (see [`Built::into_key_text`]), so it is not copied.
    raw_text: Option<String>,
    /// An untagged plain `<<`, i.e. a merge key.
    merge: bool,
}

impl Built {
    /// The text of a keyable scalar used as a mapping key: its string value itself, or its text as written.
    fn into_key_text(self) -> String {
        match (self.raw_text, self.node.value) {
            (Some(raw), _) => raw,
            (None, Value::String(text)) => text,
            // Not reached: a keyable scalar that is not a string keeps its text.
            (None, _) => String::new(),
        }
    }
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
    bytes: usize,
    height: usize,
}

pub(super) struct Reader<'a> {
    src: Source<'a>,
    /// Every anchor/tag run of the text, found by a second scan; made only when a run cannot be found
    /// right before its content (see [`Reader::properties`]).
    all_properties: Option<HashMap<usize, Properties>>,
    stack: Vec<Frame>,
    /// Finished anchored nodes by parser anchor id; an anchor still being read is absent, so a
    /// recursive alias is an error instead of an endless copy.
    anchors: HashMap<usize, Built>,
    /// Where each anchor name was defined: libyaml's composer (so cfn-lint) rejects a name defined twice.
    anchor_names: HashMap<String, usize>,
    /// Nodes created, alias copies included.
    total: usize,
    /// Nodes copied to keep anchored nodes for later aliases.
    anchored: usize,
    /// Bytes of text alias copies added to the document.
    aliased_bytes: usize,
    /// Bytes of text held by the copies kept for later aliases.
    anchored_bytes: usize,
    /// End of the last thing read, where an implied empty value is placed.
    cursor: usize,
    root: Option<Node>,
}

impl<'a> Reader<'a> {
    /// A reader for `text`, with its anchor and tag runs already located.
    pub(super) fn new(text: &'a str) -> Reader<'a> {
        let source = Source::new(text);
        Reader {
            cursor: source.base,
            src: source,
            all_properties: None,
            stack: Vec::new(),
            anchors: HashMap::new(),
            anchor_names: HashMap::new(),
            total: 0,
            anchored: 0,
            aliased_bytes: 0,
            anchored_bytes: 0,
            root: None,
        }
    }

    pub(super) fn run(mut self) -> Result<Node, SyntaxError> {
        let body = self.src.body();
        let mut parser = Parser::new_from_str(body);
        loop {
            let (event, mark) = parser.next_token().map_err(|e| self.src.scan_error(&e))?;
            match event {
                Event::Nothing | Event::StreamStart | Event::DocumentStart => {}
                Event::StreamEnd => break,
                Event::DocumentEnd => {
                    // CloudFormation reads one document: a second one is an error (libyaml's words, at
                    // its start), never silently dropped, even when the first is empty.
                    let (next, mark) = parser.next_token().map_err(|e| self.src.scan_error(&e))?;
                    if matches!(next, Event::StreamEnd) {
                        break;
                    }
                    let at = self.src.offset(&mark);
                    let message = "expected a single document in the stream, but found another document";
                    return Err(self.src.error(at, message));
                }
                Event::Alias(id) => self.alias(id, &mark)?,
                Event::Scalar(value, style, anchor, tag) => self.scalar(value, style, anchor, tag.as_ref(), &mark)?,
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

    /// Where a node's anchor and tag are written. Usually found by looking back from the content
    /// ([`properties_at`]); when that cannot be sure (a comment between, a first key that is not a simple one),
    /// every run is located once by a full scan of the text.
    fn properties(&mut self, anchor: usize, tag: Option<&Tag>, mark: &Marker, kind: Marked) -> Option<Properties> {
        if anchor == 0 && tag.is_none() {
            return None;
        }
        if let Some(found) = properties_at(&self.src, self.src.offset(mark), anchor != 0, tag, kind) {
            // Every YAML test also checks the look-back against the full scan it saves.
            #[cfg(test)]
            assert_eq!(Some(found), scan_properties(&self.src).get(&mark.index()).copied(), "at {}", mark.index());
            return Some(found);
        }
        let src = &self.src;
        self.all_properties.get_or_insert_with(|| scan_properties(src)).get(&mark.index()).copied()
    }

    /// Record the anchor among `props`; a name defined before is an error at the second definition.
    fn define_anchor(&mut self, props: Option<Properties>) -> Result<(), SyntaxError> {
        let Some(props) = props else { return Ok(()) };
        let text = self.src.text;
        let in_tag = |at: usize| props.tag.is_some_and(|(start, end)| (start..end).contains(&at));
        let run = text.get(props.start..props.end).unwrap_or("");
        let Some(at) = run.match_indices('&').map(|(i, _)| props.start + i).find(|&at| !in_tag(at)) else {
            return Ok(());
        };
        let name = text.get(at + 1..property_end(text, at)).unwrap_or("");
        if let Some(&first) = self.anchor_names.get(name) {
            let (line, column) = {
                let first = self.src.error(first, "");
                (first.line, first.column)
            };
            let message = format!("found duplicate anchor \"{name}\" (first at line {line}, column {column})");
            return Err(self.src.error(at, message));
        }
        self.anchor_names.insert(name.to_string(), at);
        Ok(())
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

    fn scalar(
        &mut self,
        value: String,
        style: TScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        mark: &Marker,
    ) -> Result<(), SyntaxError> {
        let empty_plain = style == TScalarStyle::Plain && value.is_empty();
        let kind = match style {
            TScalarStyle::Literal | TScalarStyle::Folded => Marked::BlockScalar,
            _ if empty_plain => Marked::Implied,
            _ => Marked::Scalar,
        };
        let props = self.properties(anchor, tag, mark, kind);
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
                        self.src.block_scalar(from, at, &value)
                    }
                    _ => (at, scalar_end(self.src.text, at, style, &value)),
                }
            }
        };
        let start = props.map_or(content_start, |p| p.start);
        if anchor != 0 {
            self.define_anchor(props)?;
        }
        if style == TScalarStyle::Plain && self.src.has_nel {
            if let Some(nel) = self.src.text.get(content_start..content_end).and_then(|s| s.find('\u{85}')) {
                let message = "NEL (#x85) in a plain scalar: YAML 1.1 readers (CloudFormation, cfn-lint) take it for \
                               a line break";
                return Err(self.src.error(content_start + nel, message));
            }
        }
        let kind = classify(tag);
        let content_span = self.src.span(content_start, content_end);
        let built = match kind {
            TagKind::Cfn { key, get_att } => {
                let extra = if get_att { 2 } else { 1 };
                if self.level() + extra > MAX_DEPTH {
                    return Err(self.too_deep(start));
                }
                let bytes = value.len() + key.len();
                let arg = if get_att {
                    self.split_get_att(content_span, &value, content_start, content_end)
                } else {
                    Node::new(scalar_value(value, style, kind).0, content_span)
                };
                let tag_span = props.and_then(|p| p.tag).unwrap_or((start, content_start));
                let count = if get_att { 4 } else { 2 };
                let node = self.wrap(key, tag_span, arg, start, content_end);
                Built { node, count, bytes, height: extra, keyable: false, raw_text: None, merge: false }
            }
            _ => {
                let bytes = value.len();
                // An unknown local tag (`!Foo x`) has no meaning CloudFormation could give a key.
                let keyable = tag.is_none() || kind != TagKind::None;
                let merge = kind == TagKind::Merge || style == TScalarStyle::Plain && props.is_none() && value == "<<";
                let span = if start == content_start { content_span } else { self.src.span(start, content_end) };
                // A value that is not a string (`010`, `yes`, `~`) keeps its text for when it is a key.
                let (value, written) = scalar_value(value, style, kind);
                let raw_text = written.filter(|_| keyable);
                let node = Node::new(value, span);
                Built { node, count: 1, bytes, height: 0, keyable, raw_text, merge }
            }
        };
        self.charge(built.count, start, "YAML document")?;
        self.cursor = content_end;
        self.finish(built, anchor, start)
    }

    /// `A.B` as `["A", "B"]`, split at the first dot like CloudFormation does.
    fn split_get_att(&self, scalar: Span, value: &str, start: usize, end: usize) -> Node {
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
            let span = verbatim.map_or(scalar, |base| self.src.span(base + offset, base + offset + s.len()));
            Node::new(Value::String(s.to_string()), span)
        };
        let pieces = match value.split_once('.') {
            Some((resource, attribute)) => {
                vec![piece(resource, 0), piece(attribute, resource.len() + 1)]
            }
            None => vec![piece(value, 0)],
        };
        Node::new(Value::Array(pieces), scalar)
    }

    fn wrap(&self, key: &str, tag_span: (usize, usize), arg: Node, start: usize, end: usize) -> Node {
        let key = Key { name: key.to_string(), span: self.src.span(tag_span.0, tag_span.1) };
        Node::new(Value::Object(vec![(key, arg)]), self.src.span(start, end))
    }

    fn alias(&mut self, id: usize, mark: &Marker) -> Result<(), SyntaxError> {
        let start = self.src.offset(mark);
        let end = property_end(self.src.text, start);
        let Some((count, bytes, height)) = self.anchors.get(&id).map(|a| (a.count, a.bytes, a.height)) else {
            let name = self.src.text.get(start..end).unwrap_or("*");
            return Err(self.src.error(start, format!("alias {name} refers to a node that contains it")));
        };
        if self.level() + height > MAX_DEPTH {
            return Err(self.too_deep(start));
        }
        // Charged before copying, so an alias bomb stops before any large copy is made.
        self.charge(count, start, "YAML alias expansion")?;
        self.aliased_bytes = self.aliased_bytes.saturating_add(bytes);
        if self.aliased_bytes > MAX_ALIAS_BYTES {
            let limit = MAX_ALIAS_BYTES >> 20;
            let message = format!("YAML alias expansion exceeds the limit of {limit} MiB of copied text");
            return Err(self.src.error(start, message));
        }
        let Some(mut built) = self.anchors.get(&id).cloned() else {
            return Err(self.src.error(start, "unknown YAML alias"));
        };
        // The copy is reported where it is used; what is inside keeps the anchored positions.
        built.node.span = self.src.span(start, end);
        self.cursor = end;
        self.attach(built)
    }

    fn open(&mut self, is_map: bool, anchor: usize, tag: Option<&Tag>, mark: &Marker) -> Result<(), SyntaxError> {
        let props = self.properties(anchor, tag, mark, Marked::Collection);
        let at = self.src.offset(mark);
        let opener = self.src.byte(at);
        let flow = if is_map { opener == Some(b'{') } else { opener == Some(b'[') };
        let content_start = match (is_map, flow) {
            (_, true) => Some(at),
            (false, false) => Some(self.src.dash_before(at)),
            // The parser marks a block mapping at its first `:` and a single-pair mapping inside
            // `[...]` after it, so these take their start from their first key.
            (true, false) => None,
        };
        let start = props.map_or(content_start.unwrap_or(at), |p| p.start);
        if anchor != 0 {
            self.define_anchor(props)?;
        }
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
                None if props.is_none() => self.src.first_key_on_line(at),
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
            bytes: tag_key_bytes(kind),
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
            check_unique_keys(&self.src, &frame.entries, &frame.merges)?;
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
        let built = Built {
            node,
            count: frame.count,
            bytes: frame.bytes,
            height: frame.height,
            keyable: false,
            raw_text: None,
            merge: false,
        };
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
            self.anchored_bytes = self.anchored_bytes.saturating_add(built.bytes);
            if self.anchored_bytes > MAX_ALIAS_BYTES {
                let limit = MAX_ALIAS_BYTES >> 20;
                return Err(self
                    .src
                    .error(start, format!("YAML anchors exceed the limit of {limit} MiB of kept text")));
            }
            let mut stored = built.clone();
            stored.merge = false;
            self.anchors.insert(anchor, stored);
        }
        self.attach(built)
    }

    fn attach(&mut self, built: Built) -> Result<(), SyntaxError> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(built.node);
            return Ok(());
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
        frame.bytes = frame.bytes.saturating_add(built.bytes);
        let wrapped = usize::from(matches!(frame.tag, TagKind::Cfn { .. }));
        frame.height = frame.height.max(built.height + 1 + wrapped);
        if !frame.is_map {
            frame.items.push(built.node);
            return Ok(());
        }
        match frame.pending_key.take() {
            Some((key, is_merge)) => {
                if is_merge {
                    frame.merges.push(frame.entries.len());
                }
                frame.entries.push((key, built.node));
            }
            None => {
                if built.keyable && built.node.value == Value::Null {
                    // cfn-lint refuses such a template ("Null key not supported"): CloudFormation keys are strings.
                    let written = self.src.text.get(built.node.span.start..built.node.span.end).unwrap_or("");
                    let message = format!("a null key (`{written}`) cannot be a mapping key");
                    return Err(self.src.error(built.node.span.start, message));
                }
                if !built.keyable {
                    let what = match built.node.value {
                        Value::Object(_) | Value::Array(_) if !self.src.is_tagged(built.node.span.start) => {
                            "a collection"
                        }
                        _ => "a tagged value",
                    };
                    let message = format!("{what} cannot be a mapping key");
                    return Err(self.src.error(built.node.span.start, message));
                }
                let (span, merge) = (built.node.span, built.merge);
                let name = built.into_key_text();
                frame.pending_key = Some((Key { name, span }, merge));
            }
        }
        Ok(())
    }
}

/// Bytes of the key a CloudFormation short-form tag on a collection wraps it in (`Fn::Join`, ...).
fn tag_key_bytes(kind: TagKind) -> usize {
    match kind {
        TagKind::Cfn { key, .. } => key.len(),
        _ => 0,
    }
}
