//! One run, start to finish: config, discovery, parallel reading, linking, facts, policy, suppressions. Never prints.

use crate::config::{self, Config, LevelSetting, LoadedConfig};
use crate::discover::{self, display_path, Candidate, Excludes, Walk};
use crate::evidence::{self, Evidence, UsageEntry};
use crate::facts::{self, FactsContext, FactsDocument};
use crate::finding::{Finding, InputError, Level};
use crate::link::{self, InputFile, LinkedThroughput, RegionDefaults, RunBudget};
use crate::policy::{self, Anchor, RuleSet};
use crate::pricing::Catalog;
use crate::project::{project_root, Configs};
use crate::source;
use crate::source::node::Span;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

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
}

/// A template read from standard input, with the path it is reported under (and whose config applies).
#[derive(Debug, Clone, Default)]
pub struct StdinInput {
    pub name: String,
    pub text: String,
}

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

/// Everything a run found.
pub struct Analysis {
    pub files: Vec<InputFile>,
    pub errors: Vec<InputError>,
    pub budgets: Vec<RunBudget>,
    pub linked: Vec<LinkedThroughput>,
    pub facts: FactsDocument,
    pub findings: Vec<Finding>,
    pub rules: RuleSet,
    pub config: Config,
    pub config_path: Option<String>,
    /// How many files discovery offered and how many the prefilter let through to the parser.
    pub files_seen: usize,
    pub files_parsed: usize,
}

/// Load the config named by `--config`, or the nearest `.ptlint.yaml` from the working directory up.
pub fn load_config(explicit: Option<&Path>) -> Result<Option<LoadedConfig>, FatalError> {
    let path = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => std::env::current_dir().ok().and_then(|cwd| config::find_config(&cwd)),
    };
    match path {
        Some(path) => config::load(&path).map(Some).map_err(|e| FatalError {
            file: e.file.clone(),
            line: e.line,
            column: e.column,
            message: e.message.clone(),
        }),
        None => Ok(None),
    }
}

/// The rule set for a run: built-ins, then the config's `rules:` directory, then each `--rules` directory.
pub fn load_rules(config: Option<&LoadedConfig>, extra: &[PathBuf]) -> Result<RuleSet, FatalError> {
    let mut rules = RuleSet::builtin();
    let dirs = config.and_then(LoadedConfig::rules_dir).into_iter().chain(extra.iter().cloned());
    for dir in dirs {
        rules.load_dir(&dir).map_err(|e| FatalError {
            file: display_path(&dir),
            line: 0,
            column: 0,
            message: e.to_string(),
        })?;
    }
    Ok(rules)
}

/// Read one candidate: size limit, then [`parse_candidate`]. `Ok(None)` means there is nothing for ptlint in it.
fn read_candidate(candidate: &Candidate, region: Option<&str>) -> Result<Option<InputFile>, InputError> {
    let path = candidate.display.clone();
    let error = |message: String| InputError { file: path.clone(), line: 0, column: 0, message };
    let file = std::fs::File::open(&candidate.path).map_err(|e| error(format!("cannot read: {e}")))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > source::MAX_FILE_BYTES {
        return Err(error(format!(
            "file is {size} bytes, over the {} MiB limit; not read",
            source::MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(source::MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| error(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > source::MAX_FILE_BYTES {
        // It grew while being read.
        return Err(error(format!("file is over the {} MiB limit; not read", source::MAX_FILE_BYTES / 1024 / 1024)));
    }
    parse_candidate(candidate, bytes, region)
}

/// The first bytes of a zip archive, which is what `terraform plan -out` writes.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Prefilter, decode and parse one candidate's bytes (from its file, or standard input).
fn parse_candidate(
    candidate: &Candidate,
    bytes: Vec<u8>,
    region: Option<&str>,
) -> Result<Option<InputFile>, InputError> {
    let path = candidate.display.clone();
    if bytes.starts_with(ZIP_MAGIC) {
        if !candidate.explicit {
            return Ok(None);
        }
        return Err(InputError {
            file: path,
            line: 0,
            column: 0,
            message: "this is a binary Terraform plan; run `terraform show -json PLAN > plan.json` and scan plan.json"
                .into(),
        });
    }
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    // UTF-16 hides the words the prefilter looks for, so such files are decoded first. Rejected files'
    // bytes are dropped here, so memory holds only the files that are parsed.
    if !candidate.explicit && !utf16 && !source::could_matter(&bytes) {
        return Ok(None);
    }
    let text = source::decode_vec(bytes).map_err(|e| InputError {
        file: path.clone(),
        line: e.line,
        column: e.column,
        message: e.message,
    })?;
    if !candidate.explicit && utf16 && !source::could_matter(text.as_bytes()) {
        return Ok(None);
    }
    let document = match source::read_document(&path, &text, region) {
        Err(_) if candidate.explicit && !source::looks_like_template(&path, &text) => return Ok(None),
        other => other?,
    };
    Ok(document.map(|document| InputFile { path, text: text.into(), document }))
}

/// Whether a file is Terraform HCL (`.tf`, `.tfvars`). Discovery offers them; the HCL reader groups them
/// by directory into modules, so they are not read one by one by [`read_candidate`].
fn is_hcl(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    name.ends_with(".tf") || name.ends_with(".tfvars")
}

/// Analyse the inputs: everything short of rendering a report.
pub fn analyze(options: &Options) -> Result<Analysis, FatalError> {
    let mut configs = Configs::new(options.config.as_deref())?;
    let inputs = gather(options, &mut configs)?;
    let mut scopes: Vec<Option<usize>> =
        inputs.scope_of.iter().zip(&inputs.reported).filter(|(_, r)| **r).map(|(s, _)| *s).collect();
    scopes.sort();
    scopes.dedup();
    if scopes.is_empty() {
        // Nothing to report on: the config of the working directory still names the rules and budgets shown.
        scopes.push(configs.for_path(Path::new("."))?);
    }
    let mut merged: Option<Analysis> = None;
    for scope in scopes {
        let part = evaluate_scope(options, &configs, scope, &inputs)?;
        merged = Some(match merged {
            None => part,
            Some(done) => merge(done, part),
        });
    }
    let mut analysis = merged.expect("at least one scope");
    analysis.errors.extend(inputs.errors);
    analysis.files = inputs.files;
    if inputs.partial {
        // A run on named files sees only part of each config's resources, so an `ignore:` entry that matched
        // nothing here may match a file that was not named: "unused" cannot be judged.
        let config_files: Vec<String> =
            inputs.scope_of.iter().flatten().map(|&i| display_path(&configs.get(i).path)).collect();
        analysis.findings.retain(|f| !(f.name == "unused-suppression" && config_files.contains(&f.file)));
    }
    filter_rules(&mut analysis.findings, &options.select, &options.ignore_rules);
    analysis.findings.sort_by(|a, b| {
        (&a.file, a.span.line, a.span.column, &a.rule).cmp(&(&b.file, b.span.line, b.span.column, &b.rule))
    });
    analysis.findings.dedup();
    analysis.errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    analysis.files_seen = inputs.files_seen;
    analysis.files_parsed = inputs.files_parsed;
    Ok(analysis)
}

/// `--select` keeps only the named rules, `--ignore` drops them (codes case-insensitive, or names).
fn filter_rules(findings: &mut Vec<Finding>, select: &[String], ignore: &[String]) {
    let named = |list: &[String], f: &Finding| list.iter().any(|r| r.eq_ignore_ascii_case(&f.rule) || *r == f.name);
    findings.retain(|f| (select.is_empty() || named(select, f)) && !named(ignore, f));
}

/// The parsed files of a run: those reported on and those read only for context.
struct Inputs {
    files: Vec<InputFile>,
    /// Per file: the index of the config in effect for it.
    scope_of: Vec<Option<usize>>,
    /// Per file: whether findings on it are reported (false for project context).
    reported: Vec<bool>,
    errors: Vec<InputError>,
    /// Whether only named files are reported while their projects were read for context.
    partial: bool,
    files_seen: usize,
    files_parsed: usize,
}

/// One file's read result, the config in effect for it, and whether it is reported on.
type ReadResult = (Result<Option<InputFile>, InputError>, Option<usize>, bool);

/// Discover, filter by each file's config excludes, add project context for named files, and parse.
fn gather(options: &Options, configs: &mut Configs) -> Result<Inputs, FatalError> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let cli_excludes = Excludes::new(&cwd, &options.exclude).map_err(|message| FatalError {
        file: String::new(),
        line: 0,
        column: 0,
        message,
    })?;
    let mut paths = if options.paths.is_empty() && options.stdin.is_none() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    paths.retain(|p| p != Path::new("-"));
    // Excludes of the configs above each root prune the walk; nested configs' excludes are applied below.
    let mut walk = Walk { excludes: vec![cli_excludes], no_ignore: options.no_ignore };
    for root in &paths {
        if let Some(i) = configs.for_path(root)? {
            walk.excludes.push(configs.excludes(i).clone());
        }
    }
    let (mut candidates, mut errors) = discover::discover(&paths, &walk);
    let mut kept = Vec::with_capacity(candidates.len());
    for candidate in candidates.drain(..) {
        let scope = configs.for_path(&candidate.path)?;
        if scope.is_none_or(|i| !configs.excludes(i).matches(&candidate.path)) {
            kept.push((candidate, scope));
        }
    }
    let mut candidates = kept;
    let stdin = match &options.stdin {
        Some(stdin) => {
            let path = PathBuf::from(&stdin.name);
            candidates.retain(|(c, _)| discover::absolute(&c.path) != discover::absolute(&path));
            let scope = configs.for_path(&path)?;
            Some((Candidate::new(path, true, Some(&cwd)), scope))
        }
        None => None,
    };

    let named: Vec<(PathBuf, Option<usize>)> = candidates
        .iter()
        .filter(|(c, _)| c.explicit)
        .map(|(c, s)| (c.path.clone(), *s))
        .chain(stdin.iter().map(|(c, s)| (c.path.clone(), *s)))
        .collect();
    let mut context = Vec::new();
    if options.project_context && !named.is_empty() {
        context = project_context(&named, &candidates, configs, &walk)?;
    }
    let partial = !context.is_empty();
    let reported_count = candidates.len() + usize::from(stdin.is_some());

    // HCL files wait for the HCL reader (see [`is_hcl`]).
    let to_read: Vec<(&Candidate, Option<usize>, bool)> = candidates
        .iter()
        .map(|(c, s)| (c, *s, true))
        .chain(context.iter().map(|(c, s)| (c, *s, false)))
        .filter(|(c, _, _)| !is_hcl(&c.path))
        .collect();
    let region_of = |scope: Option<usize>| {
        options.region.as_deref().or(scope.and_then(|i| configs.get(i).config.region.as_deref()))
    };
    let mut results: Vec<ReadResult> =
        to_read.par_iter().map(|(c, s, r)| (read_candidate(c, region_of(*s)), *s, *r)).collect();
    if let (Some((candidate, scope)), Some(input)) = (&stdin, &options.stdin) {
        let region = region_of(*scope);
        results.push((parse_candidate(candidate, input.text.clone().into_bytes(), region), *scope, true));
    }
    let mut inputs = Inputs {
        files: Vec::new(),
        scope_of: Vec::new(),
        reported: Vec::new(),
        errors: Vec::new(),
        partial,
        files_seen: reported_count,
        files_parsed: 0,
    };
    for (result, scope, reported) in results {
        match result {
            Ok(Some(file)) => {
                inputs.files_parsed += usize::from(reported);
                inputs.files.push(file);
                inputs.scope_of.push(scope);
                inputs.reported.push(reported);
            }
            Ok(None) => {}
            // A broken file the user did not ask about is left to the run that checks it.
            Err(error) if reported => errors.push(error),
            Err(_) => {}
        }
    }
    inputs.errors = errors;
    Ok(inputs)
}

/// The files of the projects the named files belong to (see [`crate::project::project_root`]), walked with
/// the same ignore rules and excludes, minus the files already in the run. They go through the prefilter.
fn project_context(
    named: &[(PathBuf, Option<usize>)],
    candidates: &[(Candidate, Option<usize>)],
    configs: &mut Configs,
    walk: &Walk,
) -> Result<Vec<(Candidate, Option<usize>)>, FatalError> {
    let mut roots: Vec<PathBuf> =
        named.iter().filter_map(|(path, scope)| project_root(path, configs, *scope)).collect();
    roots.sort();
    roots.dedup();
    // A root inside another root adds nothing.
    let outer: Vec<PathBuf> =
        roots.iter().filter(|r| !roots.iter().any(|o| o != *r && r.starts_with(o))).cloned().collect();
    if outer.is_empty() {
        return Ok(Vec::new());
    }
    let mut walk = walk.clone();
    for root in &outer {
        if let Some(i) = configs.for_path(root)? {
            walk.excludes.push(configs.excludes(i).clone());
        }
    }
    let known: std::collections::HashSet<PathBuf> = candidates
        .iter()
        .map(|(c, _)| discover::absolute(&c.path))
        .chain(named.iter().map(|(p, _)| discover::absolute(p)))
        .collect();
    let (found, _) = discover::discover(&outer, &walk);
    let mut context = Vec::new();
    for candidate in found {
        if known.contains(&discover::absolute(&candidate.path)) {
            continue;
        }
        let scope = configs.for_path(&candidate.path)?;
        if scope.is_none_or(|i| !configs.excludes(i).matches(&candidate.path)) {
            context.push((candidate, scope));
        }
    }
    Ok(context)
}

/// Join two scopes' results. Both index the same `files`; budget indices of the second are moved past the
/// first's budgets.
fn merge(mut done: Analysis, part: Analysis) -> Analysis {
    let offset = done.budgets.len();
    done.budgets.extend(part.budgets);
    done.linked.extend(part.linked.into_iter().map(|mut l| {
        l.budgets.iter_mut().for_each(|b| *b += offset);
        l
    }));
    done.facts.throughputs.extend(part.facts.throughputs);
    done.findings.extend(part.findings);
    done.errors.extend(part.errors);
    done
}

/// Link, price and check the reported PTs whose nearest config is `scope`, against every file of the run
/// (so budgets, alarms and custom models in other files and context count).
fn evaluate_scope(
    options: &Options,
    configs: &Configs,
    scope: Option<usize>,
    inputs: &Inputs,
) -> Result<Analysis, FatalError> {
    let loaded = scope.map(|i| configs.get(i));
    let rules = load_rules(loaded, &options.rules)?;
    let config = loaded.map(|l| l.config.clone()).unwrap_or_default();
    let config_dir = loaded.map(|l| l.dir.clone()).unwrap_or_else(|| PathBuf::from("."));
    let config_path = loaded.map(|l| display_path(&l.path));
    let files = &inputs.files;
    let mut errors = Vec::new();

    let mut usage: BTreeMap<String, UsageSource> = config
        .usage
        .iter()
        .map(|(k, v)| {
            let position = loaded.and_then(|l| l.usage_positions.get(k).copied());
            let file = config_path.clone().unwrap_or_default();
            (k.clone(), UsageSource { entry: v.clone(), dir: config_dir.clone(), file, position })
        })
        .collect();
    if let Some(path) = &options.usage {
        let loaded = config::load_usage(path).map_err(|e| FatalError {
            file: e.file.clone(),
            line: e.line,
            column: e.column,
            message: e.message.clone(),
        })?;
        for (key, entry) in loaded.entries {
            let position = loaded.positions.get(&key).copied();
            usage.insert(key, UsageSource { entry, dir: loaded.dir.clone(), file: display_path(path), position });
        }
    }

    let mut budgets: Vec<RunBudget> = files
        .iter()
        .flat_map(|f| f.document.budgets.iter().map(|b| RunBudget { budget: b.clone(), file: f.path.clone() }))
        .collect();
    budgets.extend(
        config
            .budgets
            .iter()
            .enumerate()
            .map(|(i, b)| RunBudget { budget: b.to_model(i), file: config_path.clone().unwrap_or_default() }),
    );
    let defaults = RegionDefaults { flag: options.region.as_deref(), config: config.region.as_deref() };
    let all_linked = link::link(files, &budgets, &defaults);

    let hours = config.hours_per_month();
    let mut evidence: BTreeMap<String, Result<Evidence, String>> = BTreeMap::new();
    for (key, source) in &usage {
        let resolved = evidence::resolve(&source.entry, &source.dir, hours).map_err(|e| {
            // Evidence that cannot be read is an input error (exit 2), never silently "no evidence".
            errors.push(InputError {
                file: e.file.clone(),
                line: e.line.unwrap_or(0),
                column: e.column.unwrap_or(0),
                message: format!("usage evidence for `{key}`: {}", e.message),
            });
            e.to_string()
        });
        evidence.insert(key.clone(), resolved);
    }
    let catalog = Catalog::embedded().with_overrides(&config.pricing);
    // Facts over every PT (a budget's covered cost counts PTs in context too), then keep this scope's.
    let all_facts = facts::build(
        files,
        &budgets,
        &all_linked,
        &FactsContext { config: &config, catalog: &catalog, evidence: &evidence },
    );
    let in_scope = |l: &LinkedThroughput| inputs.reported[l.file] && inputs.scope_of[l.file] == scope;
    let (linked, throughputs): (Vec<LinkedThroughput>, Vec<_>) =
        all_linked.into_iter().zip(all_facts.throughputs).filter(|(l, _)| in_scope(l)).unzip();
    let facts = FactsDocument { throughputs, ..all_facts };

    let facts_json = serde_json::to_value(&facts).map_err(|e| FatalError {
        file: String::new(),
        line: 0,
        column: 0,
        message: e.to_string(),
    })?;
    let violations = policy::evaluate(&rules, &facts_json).map_err(|e| FatalError {
        file: String::new(),
        line: 0,
        column: 0,
        message: e.to_string(),
    })?;
    let mut findings = Vec::new();
    for violation in violations {
        let (Some(rule), Some(l)) = (rules.rules.get(violation.rule), linked.get(violation.throughput)) else {
            continue;
        };
        let file = &files[l.file];
        let pt = &file.document.throughputs[l.index];
        let span = match rule.meta.reports_on {
            Anchor::Commitment => pt.commitment.span,
            Anchor::Model => pt.model.as_ref().map_or(pt.span, |m| m.span),
            Anchor::Resource => pt.span,
        };
        let level = match config.policy.level_for(&rule.meta.code, &rule.meta.name) {
            Some(LevelSetting::Off) => continue,
            Some(LevelSetting::Level(level)) => level,
            None => rule.meta.level,
        };
        findings.push(Finding {
            rule: rule.meta.code.clone(),
            name: rule.meta.name.clone(),
            level,
            file: file.path.clone(),
            span,
            resource: pt.resource.clone(),
            message: violation.message,
            help: violation.help,
            docs_url: crate::suppress::docs_url(&rule.meta.code, &rule.meta.name, &rule.meta.origin),
        });
    }
    let today = options.today.unwrap_or_else(evidence::today);
    let mut findings = crate::suppress::apply(findings, files, &linked, &config.ignore, config_path.as_deref(), today);
    findings.extend(unmatched_usage(&usage, files));
    Ok(Analysis {
        // The run's files are attached once, after every scope (see [`analyze`]).
        files: Vec::new(),
        errors,
        budgets,
        linked,
        facts,
        findings,
        rules,
        config,
        config_path,
        files_seen: 0,
        files_parsed: 0,
    })
}

/// One usage entry and where it was written.
struct UsageSource {
    entry: UsageEntry,
    /// Base directory for its `cloudwatch` paths.
    dir: PathBuf,
    file: String,
    position: Option<(u32, u32)>,
}

/// Usage entries that name no PT of the run are reported, not silently ignored.
fn unmatched_usage(usage: &BTreeMap<String, UsageSource>, files: &[InputFile]) -> Vec<Finding> {
    usage
        .iter()
        .filter(|(key, _)| !files.iter().any(|f| f.document.throughputs.iter().any(|pt| &pt.resource == *key)))
        .map(|(key, source)| {
            let mut finding = crate::suppress::meta_finding(
                "usage-without-throughput",
                &source.file,
                key,
                format!("usage evidence for `{key}` matches no provisioned throughput in the scanned files"),
                "key usage entries by the Terraform address or CloudFormation logical ID that `ptlint cost` lists",
            );
            if let Some((line, column)) = source.position {
                let width = key.chars().count() as u32;
                finding.span = Span { line, column, end_line: line, end_column: column + width, ..Span::default() };
            }
            finding
        })
        .collect()
}

/// The exit status a run's results call for.
pub fn exit_code(analysis: &Analysis, fail_on: Option<Level>) -> u8 {
    if !analysis.errors.is_empty() {
        return 2;
    }
    match fail_on {
        Some(threshold) if analysis.findings.iter().any(|f| f.level >= threshold) => 1,
        _ => 0,
    }
}
