//! ptlint: find Amazon Bedrock Provisioned Throughput in CloudFormation and Terraform, price it, and check it against policy.
//!
//! The library never prints or exits: [`run`] writes the report into the writers it is given and returns the exit code.

pub mod arn;
pub mod baseline;
pub mod cli;
pub mod config;
mod config_command;
pub mod credits;
pub mod diff;
pub mod discover;
pub mod display_path;
pub mod engine;
pub mod error;
pub mod evidence;
pub mod facts;
pub mod finding;
mod gather;
pub mod link;
pub mod model;
pub mod offer;
pub mod options;
pub mod policy;
pub mod pricing;
pub mod project;
pub mod report;
pub mod source;
pub mod span;
pub mod suppress;
mod usage_keys;
pub mod visible;

use cli::{Args, CheckArgs, Command, InputArgs};
use engine::{Analysis, FatalError, Options};
use report::text::visible;
use std::io::Write;
use std::path::Path;

/// Exit code when ptlint could not do its job (bad arguments, config or input).
pub const EXIT_ERROR: u8 = 2;

fn options(input: &InputArgs) -> Result<Options, FatalError> {
    Ok(Options {
        paths: input.paths.clone(),
        config: input.config.clone(),
        usage: input.usage.clone(),
        region: input.region.clone(),
        rules: input.rules.clone(),
        today: input.as_of,
        sources: input.sources.clone(),
        terraform_inputs: source::hcl::Inputs {
            var_files: input.var_files.clone(),
            vars: input.vars.clone(),
            env: source::hcl::Inputs::env_from_process(),
        },
        exclude: input.exclude.clone(),
        no_ignore: input.no_ignore,
        project_context: !input.no_project_context,
        select: Vec::new(),
        ignore_rules: Vec::new(),
        stdin: read_stdin(input)?,
        // `cost` and `facts` show no excerpts; `check` keeps the text for its human report.
        without_excerpts: true,
    })
}

fn usage_error(message: String) -> FatalError {
    FatalError { file: String::new(), line: 0, column: 0, message }
}

/// `-` among the paths: read standard input, reported under `--stdin-filename`.
fn read_stdin(input: &InputArgs) -> Result<Option<engine::StdinInput>, FatalError> {
    if !input.paths.iter().any(|p| p == Path::new("-")) {
        return Ok(None);
    }
    let Some(name) = input.stdin_filename.clone() else {
        return Err(usage_error(
            "`-` reads a template from standard input; name it with `--stdin-filename PATH` (its format and nearest \
             config follow from that path)"
                .into(),
        ));
    };
    // Standard input is held to the size limit of any other input.
    let limit = source::MAX_FILE_BYTES;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(std::io::stdin(), limit + 1), &mut text)
        .map_err(|e| usage_error(format!("cannot read standard input: {e}")))?;
    if text.len() as u64 > limit {
        return Err(usage_error(format!("standard input is over the {} MiB limit; not read", limit >> 20)));
    }
    Ok(Some(engine::StdinInput { name, text }))
}

/// `ptlint chekc` is a mistyped command, not a path to scan: a bare word that is no file gets a suggestion.
fn mistyped_command(paths: &[std::path::PathBuf]) -> Option<FatalError> {
    let first = paths.first()?.to_str()?;
    if first.contains(['/', '\\', '.']) || first == "-" || Path::new(first).exists() {
        return None;
    }
    let closest = cli::COMMANDS
        .iter()
        .map(|name| (strsim::damerau_levenshtein(first, name), *name))
        .min()
        .filter(|(distance, _)| *distance <= 2);
    let hint = match closest {
        Some((_, name)) => format!("did you mean `{name}`?"),
        None => format!("commands are {}", cli::COMMANDS.join(", ")),
    };
    Some(usage_error(format!("`{first}` is neither a command nor a file or directory; {hint}")))
}

/// Write `text` to `--output FILE` or to `out`.
fn emit(text: &str, output: Option<&Path>, out: &mut dyn Write) -> Result<(), FatalError> {
    emit_with(output, out, |writer| writer.write_all(text.as_bytes()))
}

/// [`emit`] for a report that writes itself.
fn emit_with(
    output: Option<&Path>,
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), FatalError> {
    let result = match output {
        Some(path) => std::fs::File::create(path).and_then(|mut file| write(&mut file)),
        None => write(out),
    };
    result.map_err(|e| FatalError {
        file: output.map(discover::display_path).unwrap_or_default(),
        line: 0,
        column: 0,
        message: format!("cannot write the report: {e}"),
    })
}

/// Whether human output should be coloured on a terminal, by the environment alone (see [`color_for`]).
pub fn use_color(is_terminal: bool) -> bool {
    color_for(cli::ColorChoice::Auto, is_terminal)
}

/// Whether to colour: `--color always|never` decide; `auto` says no with `NO_COLOR`, yes with `FORCE_COLOR`
/// or `CLICOLOR_FORCE` (not `0`), and otherwise colours a terminal only.
pub fn color_for(choice: cli::ColorChoice, is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let forced = |name: &str| set(name) && std::env::var_os(name).is_some_and(|v| v != "0");
    match choice {
        cli::ColorChoice::Always => true,
        cli::ColorChoice::Never => false,
        cli::ColorChoice::Auto if set("NO_COLOR") => false,
        cli::ColorChoice::Auto => forced("FORCE_COLOR") || forced("CLICOLOR_FORCE") || is_terminal,
    }
}

/// Run ptlint. `is_terminal` says whether standard output is a terminal.
pub fn run(args: Args, is_terminal: bool, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match dispatch(args, is_terminal, out, err) {
        Ok(code) => code,
        Err(fatal) => {
            // A fatal error may quote the input (a config value, a path): its control characters are made visible.
            let _ = writeln!(err, "error: {}", visible(&fatal.to_string()));
            EXIT_ERROR
        }
    }
}

/// Name each input that could not be read on standard error (`file:line:col: message`), for commands whose
/// report is data; the exit code is 2 when there is one.
fn name_input_errors(analysis: &Analysis, err: &mut dyn Write) -> u8 {
    for error in &analysis.errors {
        let _ = match error.line {
            0 => writeln!(err, "error: {}: {}", visible(&error.file), visible(&error.message)),
            line => {
                writeln!(err, "error: {}:{line}:{}: {}", visible(&error.file), error.column, visible(&error.message))
            }
        };
    }
    if analysis.errors.is_empty() {
        0
    } else {
        EXIT_ERROR
    }
}

fn dispatch(args: Args, is_terminal: bool, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, FatalError> {
    match args.command {
        None => {
            if let Some(error) = mistyped_command(&args.check.input.paths) {
                return Err(error);
            }
            check(&args.check, is_terminal, out)
        }
        Some(Command::Check(check_args)) => check(&check_args, is_terminal, out),
        Some(Command::Config(config)) => {
            emit(&config_command::render(&config)?, None, out)?;
            Ok(0)
        }
        Some(Command::Cost(cost)) => {
            let options = options(&cost.input)?;
            let analysis = engine::analyze(&options)?;
            let diff = cost_change(&analysis, cost.compare_to.as_deref(), &options)?;
            let text = report::cost::render_with_diff(&analysis, cost.format, diff.as_ref());
            emit(&text, cost.input.output.as_deref(), out)?;
            let base_failed = diff.is_some_and(|d| !d.errors.is_empty());
            let code = name_input_errors(&analysis, err);
            Ok(if code == 0 && !base_failed { 0 } else { EXIT_ERROR })
        }
        Some(Command::Facts(input)) => {
            let analysis = engine::analyze(&options(&input)?)?;
            // The facts document as Guard sees it, plus the inputs that could not be read.
            let mut value = serde_json::to_value(&analysis.facts).unwrap_or_default();
            if let Some(object) = value.as_object_mut() {
                object.insert("errors".into(), serde_json::to_value(&analysis.errors).unwrap_or_default());
            }
            let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
            text.push('\n');
            emit(&report::text::json_no_legacy_commands(text), input.output.as_deref(), out)?;
            Ok(name_input_errors(&analysis, err))
        }
        Some(Command::Rules(rules)) => {
            let set = engine::load_rules(None, &rules.rules)?;
            emit(&report::rules::render(&set, rules.format), None, out)?;
            Ok(0)
        }
        Some(Command::Models(models)) => {
            let day = models.as_of.unwrap_or_else(evidence::today);
            let region = models.region.as_deref().map(str::trim).filter(|r| !r.is_empty());
            let table = offer::table::build(
                pricing::Catalog::embedded(),
                pricing::lifecycle::Lifecycle::embedded(),
                day,
                region,
            );
            emit(&report::models::render(&table, models.format), None, out)?;
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

/// The rule code or name closest to a mistyped one (`PT05` -> `PT005`), if any is close enough to be a slip.
fn nearest_rule(rules: &policy::RuleSet, typed: &str) -> Option<String> {
    let typed_upper = typed.to_ascii_uppercase();
    let names = rules
        .rules
        .iter()
        .flat_map(|r| [r.meta.code.clone(), r.meta.name.clone()])
        .chain(suppress::META_RULES.iter().flat_map(|(code, name, _)| [code.to_string(), name.to_string()]));
    names
        .map(|name| (strsim::damerau_levenshtein(&typed_upper, &name.to_ascii_uppercase()), name))
        .filter(|(distance, name)| *distance <= 1.max(name.len() / 5))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
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

fn check(args: &CheckArgs, is_terminal: bool, out: &mut dyn Write) -> Result<u8, FatalError> {
    let mut options = options(&args.input)?;
    // Names are checked against the rules of the working directory's config, so a typo is not a silent no-op.
    let rules = engine::load_rules(engine::load_config(args.input.config.as_deref())?.as_ref(), &args.input.rules)?;
    for rule in args.select.iter().chain(&args.ignore_rules) {
        let known = rules.rules.iter().any(|r| r.meta.code.eq_ignore_ascii_case(rule) || r.meta.name == *rule)
            || suppress::META_RULES.iter().any(|(code, name, _)| code.eq_ignore_ascii_case(rule) || name == rule);
        if !known {
            let hint = nearest_rule(&rules, rule).map(|near| format!("did you mean `{near}`? ")).unwrap_or_default();
            return Err(usage_error(format!("no rule `{rule}` to select or ignore; {hint}`ptlint rules` lists them")));
        }
    }
    // A baseline file is ptlint's own data, not a template to scan.
    for path in args.baseline.iter().chain(&args.write_baseline) {
        if let Some(relative) = discover::relative_to(&path.to_string_lossy(), Path::new(".")) {
            options.exclude.push(format!("/{}", globset::escape(&relative)));
        }
    }
    options.select = args.select.clone();
    options.ignore_rules = args.ignore_rules.clone();
    // Only the human report shows excerpts of the source.
    options.without_excerpts = args.format != cli::Format::Human;
    let mut analysis: Analysis = engine::analyze(&options)?;
    if args.quiet {
        // Notes say what ptlint did not read; they never fail a run, and `--quiet` asks for what does.
        analysis.findings.retain(|f| f.level != finding::Level::Note);
    }
    if let Some(path) = &args.write_baseline {
        baseline::write(path, &analysis.findings)?;
    }
    // The findings just recorded are accepted: the run reports them as baselined and passes, so
    // `ptlint check --write-baseline FILE && git add FILE` works. An explicit `--baseline` is applied instead.
    if let Some(path) = args.baseline.as_ref().or(args.write_baseline.as_ref()) {
        analysis.baselined = baseline::apply(path, &mut analysis.findings)?;
    }
    let diff = match &args.compare_to {
        Some(_) => cost_change(&analysis, args.compare_to.as_deref(), &options)?,
        None => report::plan_change_for(&analysis, args.format),
    };
    let color = color_for(args.color, is_terminal && args.input.output.is_none());
    match (args.format, args.quiet) {
        // The JSON report of a large tree is tens of megabytes: it is written as it is serialised.
        (cli::Format::Json, _) => emit_with(args.input.output.as_deref(), out, |writer| {
            let mut writer = report::text::NoLegacyCommands::new(writer);
            report::json::write_with_diff(&analysis, diff.as_ref(), &mut writer)
        })?,
        (cli::Format::Human, true) => {
            emit(&report::human::render_diagnostics(&analysis, color), args.input.output.as_deref(), out)?
        }
        (format, _) => {
            emit(&report::render_with_diff(&analysis, format, color, diff.as_ref()), args.input.output.as_deref(), out)?
        }
    }
    if let Some(path) = &args.sarif_file {
        emit(&report::text::json_no_legacy_commands(report::sarif::render(&analysis)), Some(path), out)?;
    }
    // The JSON and Markdown reports carry a plan's own cost change when nothing else is compared.
    if args.json_file.is_some() || args.markdown_file.is_some() {
        let change = match &args.compare_to {
            Some(_) => diff.clone(),
            None => diff::plan_diff(&analysis),
        };
        if let Some(path) = &args.json_file {
            emit_with(Some(path), out, |writer| report::json::write_with_diff(&analysis, change.as_ref(), writer))?;
        }
        if let Some(path) = &args.markdown_file {
            emit(&report::markdown::render_with_diff(&analysis, change.as_ref()), Some(path), out)?;
        }
    }
    let base_failed = diff.is_some_and(|d| !d.errors.is_empty());
    Ok(if base_failed { EXIT_ERROR } else { engine::exit_code(&analysis, args.fail_on.threshold()) })
}
