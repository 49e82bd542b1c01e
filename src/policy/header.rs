//! Rule headers: the `# Code:` / `# Level:` / `# Docs:` comment block atop a `.guard` file, read into [`RuleMeta`].

use crate::finding::Level;
use std::collections::BTreeMap;
use std::fmt;

/// The node of a throughput a finding points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// The commitment term value (`commitment_duration`, `CommitmentDuration`).
    Commitment,
    /// The model value (`model_arn`, `ModelId`).
    Model,
    /// The resource itself.
    Resource,
    /// Whichever of the commitment, the model units or the model the first failing clause checks (the
    /// resource for any other fact): for rules whose clauses judge different values.
    Value,
}

impl Anchor {
    /// The header spelling: `commitment`, `model` or `resource`.
    pub fn as_str(self) -> &'static str {
        match self {
            Anchor::Commitment => "commitment",
            Anchor::Model => "model",
            Anchor::Resource => "resource",
            Anchor::Value => "value",
        }
    }

    /// Reads the header spelling, case-insensitively.
    pub fn parse(text: &str) -> Option<Anchor> {
        match text.trim().to_ascii_lowercase().as_str() {
            "commitment" => Some(Anchor::Commitment),
            "model" => Some(Anchor::Model),
            "resource" => Some(Anchor::Resource),
            "value" => Some(Anchor::Value),
            _ => None,
        }
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What ptlint knows about a rule, read from the `#` header block that opens its `.guard` file
/// (Guard itself ignores comments):
///
/// ```text
/// # Code: PT003
/// # Name: commitment-without-usage-evidence
/// # Level: error                 (error | warning | note; default error)
/// # Warning when: lifecycle.existing_on_legacy   (optional: a true fact at this path makes it a warning)
/// # Reports on: commitment       (commitment | model | resource | value; default resource)
/// # Summary: one line for `ptlint rules`
/// # Help: a template like the messages; `\n` starts a new line
/// # Docs:
/// # ## What it does ...          (every following comment line, up to the first other line)
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RuleMeta {
    /// Stable code, e.g. `PT003` (for a headerless user rule: the file stem in upper case).
    pub code: String,
    /// Kebab-case name, e.g. `commitment-without-usage-evidence`.
    pub name: String,
    /// Default level of its findings.
    pub level: Level,
    /// A facts path (`lifecycle.existing_on_legacy`): a finding on a PT whose fact there is `true` is a warning
    /// instead of `level` (one rule, two severities of the same problem).
    pub warning_when: Option<String>,
    /// Which node of the throughput its findings point at.
    pub reports_on: Anchor,
    /// One line for `ptlint rules`.
    pub summary: String,
    /// Help template, rendered per finding like the messages.
    pub help: Option<String>,
    /// Markdown documentation (`## What it does`, `## Why is this bad?`, ...), for `ptlint explain`.
    pub docs: String,
    /// `built-in`, or the path of the user's rule file.
    pub origin: String,
}

/// The `# Key: value` lines and the `# Docs:` block at the top of a rule file.
#[derive(Debug, Default)]
struct Header {
    fields: BTreeMap<String, String>,
    docs: Vec<String>,
}

const HEADER_KEYS: &[&str] = &["code", "name", "level", "warning when", "reports on", "summary", "help", "docs"];

fn parse_header(source: &str) -> Header {
    let mut header = Header::default();
    let mut in_docs = false;
    for line in source.lines().skip_while(|l| l.trim().is_empty()) {
        let Some(comment) = line.trim_start().strip_prefix('#') else {
            break;
        };
        let text = comment.strip_prefix(' ').unwrap_or(comment).trim_end();
        if in_docs {
            header.docs.push(text.to_string());
            continue;
        }
        let Some((key, value)) = text.split_once(':') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        if !HEADER_KEYS.contains(&key.as_str()) {
            continue;
        }
        let value = value.trim();
        if key == "docs" {
            in_docs = true;
            if !value.is_empty() {
                header.docs.push(value.to_string());
            }
        } else {
            header.fields.insert(key, value.to_string());
        }
    }
    while header.docs.last().is_some_and(|l| l.trim().is_empty()) {
        header.docs.pop();
    }
    header
}

pub(super) fn default_meta(stem: &str, origin: &str) -> RuleMeta {
    RuleMeta {
        code: stem.to_ascii_uppercase(),
        name: stem.to_ascii_lowercase().replace('_', "-"),
        level: Level::Error,
        warning_when: None,
        reports_on: Anchor::Resource,
        summary: String::new(),
        help: None,
        docs: String::new(),
        origin: origin.to_string(),
    }
}

pub(super) fn parse_meta(source: &str, stem: &str, origin: &str) -> Result<RuleMeta, String> {
    let header = parse_header(source);
    let mut meta = default_meta(stem, origin);
    let field = |key: &str| header.fields.get(key).filter(|v| !v.is_empty());
    if let Some(code) = field("code") {
        meta.code = code.clone();
    }
    if let Some(name) = field("name") {
        meta.name = name.clone();
    }
    // Only the first word counts, so `# Level: error   (error | warning | note)` reads as `error`.
    let first_word = |key: &str| field(key).and_then(|v| v.split_whitespace().next());
    if let Some(level) = first_word("level") {
        meta.level =
            Level::parse(level).ok_or_else(|| format!("unknown level `{level}` (expected error, warning or note)"))?;
    }
    meta.warning_when = first_word("warning when").map(str::to_string);
    if let Some(anchor) = first_word("reports on") {
        meta.reports_on = Anchor::parse(anchor).ok_or_else(|| {
            format!("unknown `Reports on` value `{anchor}` (expected commitment, model, resource or value)")
        })?;
    }
    if let Some(summary) = field("summary") {
        meta.summary = summary.clone();
    }
    // A header value is one line; `\n` lets help show a multi-line snippet.
    meta.help = field("help").map(|h| h.replace("\\n", "\n"));
    meta.docs = header.docs.join("\n");
    Ok(meta)
}
