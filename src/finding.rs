//! Findings: what a rule reports, where, and how loud; the one type every report format renders.

use crate::span::Span;
use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text.trim().to_ascii_lowercase().as_str() {
            "note" | "info" => Some(Level::Note),
            "warning" | "warn" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// One rule violation at one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Rule code, e.g. `PT001`.
    pub rule: String,
    /// Rule name, e.g. `custom-model-without-hosting-budget`.
    pub name: String,
    pub level: Level,
    /// Path relative to the working directory, `/`-separated.
    pub file: String,
    /// The offending node.
    pub span: Span,
    /// Terraform address or CloudFormation logical ID.
    pub resource: String,
    pub message: String,
    pub help: Option<String>,
    /// Where the rule's documentation lives.
    pub docs_url: Option<String>,
}

/// An input that could not be read or parsed, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}
