//! Baselines, as checkov has: `--write-baseline FILE` records today's findings by fingerprint (the SARIF one,
//! over the path relative to the baseline file), and `--baseline FILE` hides the findings recorded there.

use crate::discover::relative_to;
use crate::engine::FatalError;
use crate::finding::Finding;
use crate::report::sarif::{fingerprint, FINGERPRINT_KEY};
use crate::source::read::{read_regular_text, MAX_FILE_BYTES};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The file's format version.
const VERSION: u32 = 1;

/// One recorded finding: its fingerprint, and what it was, so the file can be reviewed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub file: String,
    pub resource: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    /// Which fingerprint the entries hold (see [`FINGERPRINT_KEY`]).
    fingerprint: String,
    findings: Vec<Entry>,
}

/// The entries for `findings`, with paths relative to the baseline file's directory so that the baseline
/// matches from any working directory. Findings sharing rule, file and resource are told apart by order.
fn entries(findings: &[Finding], dir: &Path) -> Vec<Entry> {
    let mut seen: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    findings
        .iter()
        .map(|finding| {
            let file = relative_to(&finding.file, dir).unwrap_or_else(|| finding.file.clone());
            let keyed = Finding { file: file.clone(), ..finding.clone() };
            let count = seen.entry((keyed.rule.clone(), file.clone(), keyed.resource.clone())).or_insert(0);
            let entry = Entry {
                fingerprint: fingerprint(&keyed, *count),
                rule: keyed.rule.clone(),
                file,
                resource: keyed.resource.clone(),
            };
            *count += 1;
            entry
        })
        .collect()
}

fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

fn error(path: &Path, line: usize, column: usize, message: String) -> FatalError {
    let (line, column) = (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX));
    FatalError { file: crate::discover::display_path(path), line, column, message }
}

/// Write the baseline of `findings` to `path`.
pub fn write(path: &Path, findings: &[Finding]) -> Result<(), FatalError> {
    let mut findings = entries(findings, dir_of(path));
    findings.sort();
    let file = BaselineFile { version: VERSION, fingerprint: FINGERPRINT_KEY.to_string(), findings };
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| error(path, 0, 0, e.to_string()))?;
    text.push('\n');
    std::fs::write(path, text).map_err(|e| error(path, 0, 0, format!("cannot write the baseline: {e}")))
}

/// Remove the findings recorded in the baseline at `path`; returns how many were hidden.
pub fn apply(path: &Path, findings: &mut Vec<Finding>) -> Result<usize, FatalError> {
    let text = read_regular_text(path, MAX_FILE_BYTES)
        .map_err(|e| error(path, 0, 0, format!("cannot read the baseline: {}", e.reason())))?;
    let file: BaselineFile = serde_json::from_str(&text)
        .map_err(|e| error(path, e.line(), e.column(), format!("not a ptlint baseline: {e}")))?;
    if file.version != VERSION || file.fingerprint != FINGERPRINT_KEY {
        return Err(error(
            path,
            0,
            0,
            format!(
                "baseline version {} with `{}` fingerprints; this ptlint writes version {VERSION} with `{FINGERPRINT_KEY}`: \
                 write it again with `--write-baseline`",
                file.version, file.fingerprint
            ),
        ));
    }
    let known: BTreeSet<String> = file.findings.into_iter().map(|e| e.fingerprint).collect();
    let current = entries(findings, dir_of(path));
    let before = findings.len();
    let mut keep = current.iter().map(|e| !known.contains(&e.fingerprint));
    findings.retain(|_| keep.next().unwrap_or(true));
    Ok(before - findings.len())
}
