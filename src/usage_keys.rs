//! Which usage entry applies to each PT: a key scoped to a path (`infra/team-a:ADDRESS`) first, then the bare
//! address; and the keys that match nothing or collide across files, reported rather than silently applied.

use crate::config::{path_in_scope, split_scoped_key};
use crate::discover::relative_to;
use crate::evidence::{EvidenceError, UsageEntry};
use crate::finding::{Finding, InputError};
use crate::link::{InputFile, LinkedThroughput};
use crate::source::node::Span;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// One usage entry and where it was written.
pub struct UsageSource {
    pub entry: UsageEntry,
    /// Base directory for its `cloudwatch` paths and for its key's path scope.
    pub dir: PathBuf,
    pub file: String,
    pub position: Option<(u32, u32)>,
    /// Where the entry names each CloudWatch export (path as written -> 1-based line and column), best effort.
    pub export_positions: BTreeMap<String, (u32, u32)>,
}

impl UsageSource {
    /// The input error for evidence that could not be resolved. An export that could not be read at all is the
    /// entry's error, at the line that names the export (else the entry's key); a fault inside an export that was
    /// read is the export's, at its own line.
    pub fn evidence_error(&self, key: &str, error: &EvidenceError) -> InputError {
        let message = format!("usage evidence for `{key}`: {}", error.message);
        match &error.unreadable_export {
            Some(written) => {
                let at = self.export_positions.get(written).or(self.position.as_ref());
                let (line, column) = at.copied().unwrap_or((0, 0));
                InputError { file: self.file.clone(), line, column, message }
            }
            None => InputError {
                file: error.file.clone(),
                line: error.line.unwrap_or(0),
                column: error.column.unwrap_or(0),
                message,
            },
        }
    }
}

/// The usage key for each PT, by (file index, throughput index): a path-scoped key whose path holds the PT's
/// file wins over the bare address.
pub fn assign(
    usage: &BTreeMap<String, UsageSource>,
    files: &[InputFile],
    linked: &[LinkedThroughput],
) -> BTreeMap<(usize, usize), String> {
    let mut keys = BTreeMap::new();
    for l in linked {
        let file = &files[l.file];
        let resource = &file.document.throughputs[l.index].resource;
        let scoped = usage.iter().find(|(key, source)| match split_scoped_key(key) {
            (Some(scope), address) => {
                address == resource
                    && relative_to(&file.path, &source.dir).is_some_and(|path| path_in_scope(scope, &path))
            }
            (None, _) => false,
        });
        let key = scoped.map(|(key, _)| key).or_else(|| usage.keys().find(|key| *key == resource));
        if let Some(key) = key {
            keys.insert((l.file, l.index), key.clone());
        }
    }
    keys
}

/// The warning for a usage key, placed at the key when its position is known.
fn at_key(mut finding: Finding, key: &str, source: &UsageSource) -> Finding {
    if let Some((line, column)) = source.position {
        let width = key.chars().count() as u32;
        finding.span = Span { line, column, end_line: line, end_column: column + width, ..Span::default() };
    }
    finding
}

/// Usage entries that name no PT of the run are reported, not silently ignored.
pub fn unmatched(usage: &BTreeMap<String, UsageSource>, keys: &BTreeMap<(usize, usize), String>) -> Vec<Finding> {
    let used: BTreeSet<&String> = keys.values().collect();
    usage
        .iter()
        .filter(|(key, _)| !used.contains(key))
        .map(|(key, source)| {
            let finding = crate::suppress::meta_finding(
                "usage-without-throughput",
                &source.file,
                key,
                format!("usage evidence for `{key}` matches no provisioned throughput in the scanned files"),
                "key usage entries by the Terraform address or CloudFormation logical ID that `ptlint cost` lists",
            );
            at_key(finding, key, source)
        })
        .collect()
}

/// A key without a path that applies to PTs in more than one file: the same address in two stacks or
/// workspaces is two PTs, and one's evidence may not prove the other's volume.
pub fn collisions(
    usage: &BTreeMap<String, UsageSource>,
    keys: &BTreeMap<(usize, usize), String>,
    files: &[InputFile],
) -> Vec<Finding> {
    let mut by_key: BTreeMap<&String, BTreeSet<&str>> = BTreeMap::new();
    for ((file, _), key) in keys {
        if split_scoped_key(key).0.is_none() {
            by_key.entry(key).or_default().insert(files[*file].path.as_str());
        }
    }
    by_key
        .into_iter()
        .filter(|(_, paths)| paths.len() > 1)
        .filter_map(|(key, paths)| {
            let source = usage.get(key)?;
            let list: Vec<&str> = paths.into_iter().collect();
            let finding = crate::suppress::meta_finding(
                "key-matches-several-files",
                &source.file,
                key,
                format!("usage evidence for `{key}` applies to provisioned throughputs in {}", list.join(", ")),
                "scope the key to one file or directory: `PATH:ADDRESS`, e.g. `infra/team-a:ADDRESS`",
            );
            Some(at_key(finding, key, source))
        })
        .collect()
}
