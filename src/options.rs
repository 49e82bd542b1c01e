//! What the user asked a run to do: paths, config, inputs, filters, as every layer below the command line reads them.

use crate::source;
use std::path::PathBuf;

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub usage: Option<PathBuf>,
    pub region: Option<String>,
    pub rules: Vec<PathBuf>,
    /// Day number (days since 1970-01-01) used to decide whether suppressions expired; today when `None`.
    pub today: Option<i64>,
    /// Terraform variable values from the command line and environment (`--var-file`, `--var`, `TF_VAR_*`).
    pub terraform_inputs: source::hcl::Inputs,
    /// `--source DIR`: the `.tf` configuration the run's plans were made from, so their findings land on its lines.
    pub sources: Vec<PathBuf>,
    /// `--exclude` globs, relative to the working directory.
    pub exclude: Vec<String>,
    /// `--no-ignore`: scan files that `.gitignore` and `.ignore` leave out.
    pub no_ignore: bool,
    /// When files are named, also read the rest of their project (git work tree, or nearest config's
    /// directory) for budgets, alarms and custom models; findings stay on the named files.
    pub project_context: bool,
    /// `--select`: report only these rules (codes or names); empty = all.
    pub select: Vec<String>,
    /// `--ignore`: do not report these rules (codes or names).
    pub ignore_rules: Vec<String>,
    /// `-` on the command line: a template read from standard input, reported under `name`.
    pub stdin: Option<StdinInput>,
    /// The report shows no source excerpts, so the text of parsed files is not kept (`InputFile::text` is empty):
    /// on a large run that text is most of the memory.
    pub without_excerpts: bool,
}

/// A template read from standard input, with the path it is reported under (and whose config applies).
#[derive(Debug, Clone, Default)]
pub struct StdinInput {
    pub name: String,
    pub text: String,
}
