//! The slice of each PT's facts that the built-in rules read, so cfn-guard copies less (messages use the full facts).

use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap};

/// The dotted field paths a Guard source queries (`usage.observed_days`, `plan_action`), ignoring comments
/// and `<< >>` messages, whose placeholders are filled from the full facts in Rust.
pub(super) fn queried_paths<'a>(sources: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    for source in sources {
        for line in source.lines() {
            let code = line.split('#').next().unwrap_or("");
            let code = match code.find("<<") {
                Some(start) => &code[..start],
                None => code,
            };
            let mut word = String::new();
            for c in code.chars().chain(std::iter::once(' ')) {
                if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                    word.push(c);
                } else if !word.is_empty() {
                    paths.insert(std::mem::take(&mut word).trim_matches('.').to_string());
                }
            }
        }
    }
    paths
}

/// Keep the fields of one PT's facts whose path (or an enclosing one) is queried, one level deep.
pub(super) fn project(pt: &Value, queried: &BTreeSet<String>) -> Value {
    let Some(fields) = pt.as_object() else { return pt.clone() };
    let mut kept = Map::new();
    for (key, value) in fields {
        if queried.contains(key) {
            kept.insert(key.clone(), value.clone());
            continue;
        }
        let prefix = format!("{key}.");
        let Some(inner) = value.as_object() else { continue };
        let sub: Map<String, Value> = inner
            .iter()
            .filter(|(name, _)| {
                queried.iter().any(|p| {
                    p.strip_prefix(&prefix).is_some_and(|rest| rest == *name || rest.starts_with(&format!("{name}.")))
                })
            })
            .map(|(name, v)| (name.clone(), v.clone()))
            .collect();
        if !sub.is_empty() {
            kept.insert(key.clone(), Value::Object(sub));
        }
    }
    Value::Object(kept)
}

/// PTs grouped by equal projections: the first PT of each group, and every member of each group, in PT order.
pub(super) struct Shapes {
    /// The first PT (index into the projections) of each distinct projection, in order of first appearance.
    pub(super) distinct: Vec<usize>,
    /// The PTs of each distinct projection, in PT order.
    members: Vec<Vec<usize>>,
}

impl Shapes {
    pub(super) fn of(projections: &[Value]) -> Shapes {
        // Equal text means equal values; equal values written in another key order only miss the sharing.
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut shapes = Shapes { distinct: Vec::new(), members: Vec::new() };
        for (index, projection) in projections.iter().enumerate() {
            let next = shapes.distinct.len();
            let shape = *seen.entry(projection.to_string()).or_insert(next);
            if shape == next {
                shapes.distinct.push(index);
                shapes.members.push(Vec::new());
            }
            shapes.members[shape].push(index);
        }
        shapes
    }

    /// The PTs whose projection is the `shape`-th distinct one (none for an index out of range).
    pub(super) fn members(&self, shape: usize) -> &[usize] {
        self.members.get(shape).map_or(&[], Vec::as_slice)
    }
}
