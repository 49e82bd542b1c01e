//! Command-line arguments (clap): subcommands, formats and flags of the user-facing contract.

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// ptlint: price and police Amazon Bedrock Provisioned Throughput in CloudFormation and Terraform.
#[derive(Debug, Parser)]
#[command(name = "ptlint", version, about, long_about = None, args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `ptlint [PATH]...` is `ptlint check [PATH]...`.
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check templates and plans against the rules (the default).
    Check(CheckArgs),
    /// Show the standing cost of every provisioned throughput.
    Cost(CostArgs),
    /// Print the facts document the Guard rules are evaluated against.
    Facts(InputArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain(ExplainArgs),
    /// Print the config in effect for a path and the file it came from.
    Config(ConfigArgs),
    /// Show which models AWS sells Provisioned Throughput for (offered, legacy, retired, unknown), where, and
    /// at which published rate, from which source and date.
    Models(ModelsArgs),
}

/// Inputs and settings shared by every command that reads templates.
#[derive(Debug, Clone, ClapArgs, Default)]
pub struct InputArgs {
    /// Files or directories to scan (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Config file (default: `.ptlint.yaml` in the working directory or a parent).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Usage evidence file (the `usage:` mapping of `.ptlint.yaml`, on its own).
    #[arg(long, value_name = "FILE")]
    pub usage: Option<PathBuf>,
    /// Region for templates that do not say.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Directory of extra Guard rules evaluated over the same facts (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Do not scan files and directories matching this glob (repeatable; relative to the working directory).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Scan files that `.gitignore`, `.ignore` and git's excludes leave out.
    #[arg(long)]
    pub no_ignore: bool,
    /// With named files, do not read the rest of their project for budgets, alarms and custom models.
    #[arg(long)]
    pub no_project_context: bool,
    /// The path a template read from standard input (`-`) is reported under; its nearest config applies.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Terraform variable values for `.tf` root modules, as `terraform plan -var-file` (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// The `.tf` configuration a plan was made from, so plan findings point at its lines (repeatable; a plan's own
    /// directory is used without it).
    #[arg(long = "source", value_name = "DIR")]
    pub sources: Vec<PathBuf>,
    /// A Terraform variable for `.tf` root modules, as `terraform plan -var` (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// The date the run judges by (YYYY-MM-DD, UTC; default today): suppression expiry, and every rule that
    /// depends on the date, so a result can be reproduced later.
    #[arg(long = "as-of", value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<i64>,
}

/// `YYYY-MM-DD` as a day number (days since 1970-01-01).
fn parse_as_of(text: &str) -> Result<i64, String> {
    crate::evidence::parse_date(text).ok_or_else(|| format!("`{text}` is not a date as YYYY-MM-DD"))
}

/// `NAME=VALUE`, as terraform's `-var` takes it.
fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => Ok((name.trim().to_string(), value.to_string())),
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}

#[derive(Debug, Clone, ClapArgs, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Lowest level that fails the run (exit code 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Also write a SARIF report to this file (e.g. for code scanning) whatever `--format` is.
    #[arg(long, value_name = "FILE")]
    pub sarif_file: Option<PathBuf>,
    /// Also write the JSON report to this file, from the same run, whatever `--format` is.
    #[arg(long, value_name = "FILE")]
    pub json_file: Option<PathBuf>,
    /// Also write the Markdown report (a PR comment or job summary) to this file, from the same run.
    #[arg(long, value_name = "FILE")]
    pub markdown_file: Option<PathBuf>,
    /// Also report the cost change against a base revision: a directory or file of it, the JSON of an
    /// earlier `ptlint cost --format json`, or `git:REF` (the same paths at REF in the local repository).
    #[arg(long, value_name = "BASE")]
    pub compare_to: Option<String>,
    /// Report only these rules (codes or names, comma-separated or repeated).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not report these rules (codes or names, comma-separated or repeated).
    #[arg(long = "ignore", value_name = "RULE", value_delimiter = ',')]
    pub ignore_rules: Vec<String>,
    /// Print only warnings, errors and input errors: no notes, and no summary in the human format.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Record today's findings in this baseline file (by fingerprint).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Report only findings not recorded in this baseline file, and say how many were hidden.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// When to colour human output; `auto` honours NO_COLOR, FORCE_COLOR and CLICOLOR_FORCE.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, ClapArgs)]
pub struct ConfigArgs {
    /// File or directory whose config to show (default: the current directory).
    pub path: Option<PathBuf>,
    /// Show this config file instead of the nearest one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ConfigFormat::Yaml)]
    pub format: ConfigFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfigFormat {
    Yaml,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, ClapArgs)]
pub struct CostArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = CostFormat::Table)]
    pub format: CostFormat,
    /// Also report the cost change against a base revision: a directory or file of it, the JSON of an
    /// earlier `ptlint cost --format json`, or `git:REF` (the same paths at REF in the local repository).
    #[arg(long, value_name = "BASE")]
    pub compare_to: Option<String>,
}

#[derive(Debug, Clone, ClapArgs)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
    /// Directory of extra Guard rules to list too (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
}

#[derive(Debug, Clone, ClapArgs)]
pub struct ModelsArgs {
    /// Only the models AWS lists or a source prices in this region, and only its rates.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
    /// The date the lifecycle states are judged on (YYYY-MM-DD, UTC; default today).
    #[arg(long = "as-of", value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<i64>,
}

#[derive(Debug, Clone, ClapArgs)]
pub struct ExplainArgs {
    /// Rule code (`PT004`) or name (`commitment-outruns-proven-volume`).
    pub rule: String,
    /// Directory of extra Guard rules (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    #[value(alias = "table")]
    Human,
    Json,
    Sarif,
    Github,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CostFormat {
    #[value(alias = "human")]
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    #[value(alias = "human")]
    Table,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<crate::finding::Level> {
        match self {
            FailOn::Error => Some(crate::finding::Level::Error),
            FailOn::Warning => Some(crate::finding::Level::Warning),
            FailOn::Never => None,
        }
    }
}

/// Subcommand names, for suggesting one when a mistyped name would otherwise be taken for a path.
pub const COMMANDS: &[&str] = &["check", "cost", "facts", "rules", "explain", "config"];

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Args::command().debug_assert();
    }
}
