//! Mapping keys: duplicates are errors naming both places, and `<<` merge keys add what the mapping does not set.

use std::collections::{HashMap, HashSet};

use super::scanner::Source;
use crate::source::node::{Key, Node, SyntaxError, Value};

/// A duplicate key (a duplicate logical ID above all) is an error naming both places: CloudFormation
/// rejects the template, and reading either one alone would count or price a resource that is not there.
pub(super) fn check_unique_keys(src: &Source, entries: &[(Key, Node)], merges: &[usize]) -> Result<(), SyntaxError> {
    let keys = || entries.iter().enumerate().filter(|(i, _)| !merges.contains(i)).map(|(_, (key, _))| key);
    // Most mappings are small: comparing pairs is cheaper than building a set for each.
    const PAIRWISE: usize = 12;
    let duplicate = if entries.len() <= PAIRWISE {
        keys().enumerate().find_map(|(i, key)| keys().take(i).find(|k| k.name == key.name).map(|first| (first, key)))
    } else {
        let mut seen: HashMap<&str, &Key> = HashMap::with_capacity(entries.len());
        keys().find_map(|key| seen.insert(key.name.as_str(), key).map(|first| (first, key)))
    };
    match duplicate {
        None => Ok(()),
        Some((first, again)) => {
            let message = format!(
                "duplicate mapping key \"{}\" (first at line {}, column {})",
                again.name, first.span.line, first.span.column
            );
            Err(src.error(again.span.start, message))
        }
    }
}

/// Apply `<<` merge keys: entries of the merged mapping(s) that the mapping does not set itself.
pub(super) fn merge(entries: Vec<(Key, Node)>, merges: &[usize]) -> Vec<(Key, Node)> {
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
