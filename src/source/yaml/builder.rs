//! Builds the span-aware node tree from yaml-rust2 parser events: the event loop, collections and their keys.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::Marker;

use super::keys::{check_unique_keys, merge};
use super::properties::{properties_at, scan_properties, Marked, Properties};
use super::scanner::Source;
use super::tags::{classify, TagKind};
use crate::source::node::{Key, Node, SyntaxError, Value, MAX_DEPTH};

/// A finished node with what its parent needs to know about it.
#[derive(Debug, Clone)]
pub(super) struct Built {
    pub(super) node: Node,
    /// Nodes in this subtree (keys included), for the alias-expansion budget.
    pub(super) count: usize,
    /// Bytes of scalar text and keys in this subtree, for the alias-expansion byte budget.
    pub(super) bytes: usize,
    /// Container levels in this subtree (0 for a scalar), for the nesting limit on alias copies.
    pub(super) height: usize,
    /// Whether this node can be a mapping key: an untagged (or core-tagged) scalar. A tagged value or a
    /// collection cannot be one in CloudFormation.
    pub(super) keyable: bool,
    /// The scalar's text as written, for a keyable scalar whose value is not that text (a number, boolean or null);
    /// a string value is its own text (see [`Built::into_key_text`]), so it is not copied.
    pub(super) raw_text: Option<String>,
    /// An untagged plain `<<`, i.e. a merge key.
    pub(super) merge: bool,
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
pub(super) struct Frame {
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

/// The tree being built from parser events. Its methods are split by job: collections here, scalars in
/// `scalars.rs`, anchors, aliases and the node budgets in `anchors.rs`; the fields those modules use are `pub(super)`.
pub(super) struct Reader<'a> {
    pub(super) src: Source<'a>,
    /// Every anchor/tag run of the text, found by a second scan; made only when a run cannot be found
    /// right before its content (see [`Reader::properties`]).
    all_properties: Option<HashMap<usize, Properties>>,
    pub(super) stack: Vec<Frame>,
    /// Finished anchored nodes by parser anchor id; an anchor still being read is absent, so a
    /// recursive alias is an error instead of an endless copy.
    pub(super) anchors: HashMap<usize, Built>,
    /// Where each anchor name was defined: libyaml's composer (so cfn-lint) rejects a name defined twice.
    pub(super) anchor_names: HashMap<String, usize>,
    /// Nodes created, alias copies included.
    pub(super) total: usize,
    /// Nodes copied to keep anchored nodes for later aliases.
    pub(super) anchored: usize,
    /// Bytes of text alias copies added to the document.
    pub(super) aliased_bytes: usize,
    /// Bytes of text held by the copies kept for later aliases.
    pub(super) anchored_bytes: usize,
    /// End of the last thing read, where an implied empty value is placed.
    pub(super) cursor: usize,
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

    pub(super) fn level(&self) -> usize {
        self.stack.last().map_or(0, |frame| frame.level)
    }

    /// Where a node's anchor and tag are written. Usually found by looking back from the content
    /// ([`properties_at`]); when that cannot be sure (a comment between, a first key that is not a simple one),
    /// every run is located once by a full scan of the text.
    pub(super) fn properties(
        &mut self,
        anchor: usize,
        tag: Option<&Tag>,
        mark: &Marker,
        kind: Marked,
    ) -> Option<Properties> {
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

    pub(super) fn too_deep(&self, at: usize) -> SyntaxError {
        self.src.error(at, format!("nesting deeper than {MAX_DEPTH} levels"))
    }

    pub(super) fn wrap(&self, key: &str, tag_span: (usize, usize), arg: Node, start: usize, end: usize) -> Node {
        let key = Key { name: key.to_string(), span: self.src.span(tag_span.0, tag_span.1) };
        Node::new(Value::Object(vec![(key, arg)]), self.src.span(start, end))
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

    pub(super) fn attach(&mut self, built: Built) -> Result<(), SyntaxError> {
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
