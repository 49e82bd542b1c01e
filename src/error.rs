//! The error that stops a run (exit code 2), shared by every layer that can meet one.

/// A problem that stops the run (exit code 2): bad config, unreadable usage file, broken rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FatalError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for FatalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
        } else if self.file.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl std::error::Error for FatalError {}
