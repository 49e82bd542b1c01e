//! ptlint: find Amazon Bedrock Provisioned Throughput in CloudFormation and Terraform, price it, and check it against policy.
//!
//! The library never prints or exits: [`run`] writes the report into the writers it is given and returns the exit code.

pub mod cli;
pub mod config;
pub mod diff;
pub mod discover;
pub mod engine;
pub mod evidence;
pub mod facts;
pub mod finding;
pub mod link;
pub mod model;
pub mod offer;
pub mod policy;
pub mod pricing;
pub mod report;
pub mod source;
pub mod suppress;

use cli::{Args, CheckArgs, Command, InputArgs};
use engine::{Analysis, FatalError, Options};
use std::io::Write;
use std::path::Path;

/// Exit code when ptlint could not do its job (bad arguments, config or input).
pub const EXIT_ERROR: u8 = 2;

fn options(input: &InputArgs) -> Options {
    Options {
        paths: input.paths.clone(),
        config: input.config.clone(),
        usage: input.usage.clone(),
        region: input.region.clone(),
        rules: input.rules.clone(),
        today: None,
        sources: input.sources.clone(),
        terraform_inputs: source::hcl::Inputs {
            var_files: input.var_files.clone(),
            vars: input.vars.clone(),
            env: source::hcl::Inputs::env_from_process(),
        },
    }
}

/// Write `text` to `--output FILE` or to `out`.
fn emit(text: &str, output: Option<&Path>, out: &mut dyn Write) -> Result<(), FatalError> {
    let result = match output {
        Some(path) => std::fs::write(path, text),
        None => out.write_all(text.as_bytes()),
    };
    result.map_err(|e| FatalError {
        file: output.map(discover::display_path).unwrap_or_default(),
        line: 0,
        column: 0,
        message: format!("cannot write the report: {e}"),
    })
}

/// Whether human output should be coloured: only on a terminal, and never with `NO_COLOR` set.
pub fn use_color(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Run ptlint. `color` says whether standard output is a terminal that wants colour.
pub fn run(args: Args, color: bool, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match dispatch(args, color, out) {
        Ok(code) => code,
        Err(fatal) => {
            let _ = writeln!(err, "error: {fatal}");
            EXIT_ERROR
        }
    }
}

fn dispatch(args: Args, color: bool, out: &mut dyn Write) -> Result<u8, FatalError> {
    match args.command {
        None => check(&args.check, color, out),
        Some(Command::Check(check_args)) => check(&check_args, color, out),
        Some(Command::Cost(cost)) => {
            let options = options(&cost.input);
            let analysis = engine::analyze(&options)?;
            let diff = cost_change(&analysis, cost.compare_to.as_deref(), &options)?;
            let text = report::cost::render_with_diff(&analysis, cost.format, diff.as_ref());
            emit(&text, cost.input.output.as_deref(), out)?;
            let base_failed = diff.is_some_and(|d| !d.errors.is_empty());
            Ok(if analysis.errors.is_empty() && !base_failed { 0 } else { EXIT_ERROR })
        }
        Some(Command::Facts(input)) => {
            let analysis = engine::analyze(&options(&input))?;
            let mut text = serde_json::to_string_pretty(&analysis.facts).unwrap_or_default();
            text.push('\n');
            emit(&text, input.output.as_deref(), out)?;
            Ok(if analysis.errors.is_empty() { 0 } else { EXIT_ERROR })
        }
        Some(Command::Rules(rules)) => {
            let set = engine::load_rules(None, &rules.rules)?;
            emit(&report::rules::render(&set, rules.format), None, out)?;
            Ok(0)
        }
        Some(Command::Explain(explain)) => {
            let set = engine::load_rules(None, &explain.rules)?;
            match report::rules::explain(&set, &explain.rule) {
                Some(text) => {
                    emit(&text, None, out)?;
                    Ok(0)
                }
                None => Err(FatalError {
                    file: String::new(),
                    line: 0,
                    column: 0,
                    message: format!("no rule `{}`; `ptlint rules` lists them", explain.rule),
                }),
            }
        }
    }
}

/// The cost change to report: against `--compare-to` when given, else a plan's own (none without a plan).
fn cost_change(
    analysis: &Analysis,
    compare_to: Option<&str>,
    options: &Options,
) -> Result<Option<diff::CostDiff>, FatalError> {
    match compare_to {
        Some(base) => diff::compare_to(analysis, &diff::BaseSpec::parse(base), options).map(Some),
        None => Ok(diff::plan_diff(analysis)),
    }
}

fn check(args: &CheckArgs, color: bool, out: &mut dyn Write) -> Result<u8, FatalError> {
    let options = options(&args.input);
    let analysis: Analysis = engine::analyze(&options)?;
    let diff = match &args.compare_to {
        Some(_) => cost_change(&analysis, args.compare_to.as_deref(), &options)?,
        None => report::plan_change_for(&analysis, args.format),
    };
    let color = color && args.input.output.is_none();
    let text = report::render_with_diff(&analysis, args.format, color, diff.as_ref());
    emit(&text, args.input.output.as_deref(), out)?;
    if let Some(path) = &args.sarif_file {
        emit(&report::sarif::render(&analysis), Some(path), out)?;
    }
    let base_failed = diff.is_some_and(|d| !d.errors.is_empty());
    Ok(if base_failed { EXIT_ERROR } else { engine::exit_code(&analysis, args.fail_on.threshold()) })
}
