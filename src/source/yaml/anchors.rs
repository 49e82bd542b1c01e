//! Anchors and aliases: names defined once, aliases copied, and the node and byte budgets that bound the copies.

use yaml_rust2::scanner::Marker;

use super::builder::{Built, Reader};
use super::properties::{property_end, Properties};
use crate::source::node::{SyntaxError, MAX_DEPTH};

/// Most nodes a document may produce, alias copies included; bounds "billion laughs" inputs.
const MAX_NODES: usize = 1_000_000;

/// Most bytes of scalar text and keys that alias copies may add to a document, and, apart, that the copies kept
/// for later aliases may hold: 32 MiB, the size of the largest file ptlint reads and 32 times the largest
/// template CloudFormation accepts (1 MB in S3: "CloudFormation quotas",
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). The node limit
/// alone lets 100,000 aliases of one 100 KB scalar build 10 GB.
const MAX_ALIAS_BYTES: usize = 32 * 1024 * 1024;

impl Reader<'_> {
    /// Record the anchor among `props`; a name defined before is an error at the second definition.
    pub(super) fn define_anchor(&mut self, props: Option<Properties>) -> Result<(), SyntaxError> {
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

    pub(super) fn charge(&mut self, nodes: usize, at: usize, message: &str) -> Result<(), SyntaxError> {
        self.total = self.total.saturating_add(nodes);
        if self.total > MAX_NODES {
            return Err(self.src.error(at, format!("{message} exceeds the limit of {MAX_NODES} nodes")));
        }
        Ok(())
    }

    pub(super) fn alias(&mut self, id: usize, mark: &Marker) -> Result<(), SyntaxError> {
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

    /// Register an anchored node, then hand the node to its parent.
    pub(super) fn finish(&mut self, built: Built, anchor: usize, start: usize) -> Result<(), SyntaxError> {
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
}
