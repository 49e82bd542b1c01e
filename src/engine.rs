//! One run, start to finish: config, discovery, parallel reading, linking, facts, policy, suppressions. Never prints.

use crate::config::{self, Config, LoadedConfig};
use crate::discover::{self, display_path, Candidate};
use crate::evidence::{self, Evidence, UsageEntry};
use crate::facts::{self, FactsContext, FactsDocument};
use crate::finding::{Finding, InputError, Level};
use crate::link::{self, InputFile, LinkedThroughput, RegionDefaults, RunBudget};
use crate::policy::{self, Anchor, RuleSet};
use crate::pricing::Catalog;
use crate::source;
use crate::source::node::Span;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
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
    /// Terraform variable values from the command line and environment (`--var-file`, `--var`, `TF_VAR_*`).
    pub terraform_inputs: source::hcl::Inputs,
    /// `--source DIR`: the `.tf` configuration the run's plans were made from, so their findings land on its lines.
    pub sources: Vec<PathBuf>,
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
    /// How many Terraform `.tf` files were parsed (a part of `files_parsed`).
    pub terraform_files_read: usize,
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

/// Read one candidate: size limit, prefilter, decode, parse. `Ok(None)` means there is nothing for ptlint in it.
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

/// Analyse the inputs: everything short of rendering a report.
pub fn analyze(options: &Options) -> Result<Analysis, FatalError> {
    let loaded = load_config(options.config.as_deref())?;
    let rules = load_rules(loaded.as_ref(), &options.rules)?;
    let config = loaded.as_ref().map(|l| l.config.clone()).unwrap_or_default();
    let config_dir = loaded.as_ref().map(|l| l.dir.clone()).unwrap_or_else(|| PathBuf::from("."));
    let config_path = loaded.as_ref().map(|l| display_path(&l.path));

    let mut usage: BTreeMap<String, UsageSource> = config
        .usage
        .iter()
        .map(|(k, v)| {
            let position = loaded.as_ref().and_then(|l| l.usage_positions.get(k).copied());
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

    let paths = if options.paths.is_empty() { vec![PathBuf::from(".")] } else { options.paths.clone() };
    let (mut candidates, mut errors) = discover::discover(&paths);
    let (source_files, source_errors) = discover::discover(&options.sources);
    errors.extend(source_errors);
    let cwd = std::env::current_dir().ok();
    let source_scopes: Vec<String> = options
        .sources
        .iter()
        .map(|dir| format!("hcl:{}", hcl_display(&discover::display_path_from(dir, cwd.as_deref()))))
        .collect();
    candidates.extend(
        source_files.into_iter().filter(|c| is_terraform_hcl(&c.path)).map(|c| Candidate { explicit: true, ..c }),
    );
    candidates.sort();
    candidates.dedup_by(|b, a| a.path == b.path);
    let region_hint = options.region.as_deref().or(config.region.as_deref());
    let (hcl_candidates, candidates): (Vec<Candidate>, Vec<Candidate>) =
        candidates.into_iter().partition(|c| is_terraform_hcl(&c.path));
    // Only what was parsed or failed is kept (in discovery order): most candidates of a large tree hold nothing.
    let results: Vec<Result<InputFile, InputError>> =
        candidates.par_iter().filter_map(|c| read_candidate(c, region_hint).transpose()).collect();
    let files_seen = candidates.len() + hcl_candidates.len();
    let hcl = read_terraform_hcl(&hcl_candidates, &options.terraform_inputs);
    let terraform_files_read = hcl.files_read;
    let mut files = hcl.files;
    errors.extend(hcl.errors);
    let mut files_parsed = terraform_files_read;
    for result in results {
        match result {
            Ok(file) => {
                files_parsed += 1;
                files.push(file);
            }
            Err(error) => errors.push(error),
        }
    }

    source::terraform::anchor::anchor_plans(&mut files, &source_scopes);

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
    let linked = link::link(&files, &budgets, &defaults);

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
    let mut facts = facts::build(
        &files,
        &budgets,
        &linked,
        &FactsContext { config: &config, catalog: &catalog, evidence: &evidence },
    );

    let facts_json = facts_value(&mut facts).map_err(|e| FatalError {
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
            Anchor::Value => value_span(pt, violation.field.as_deref()),
        };
        let level = config.policy.level_for(&rule.meta.code, &rule.meta.name).unwrap_or(rule.meta.level);
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
    let mut findings = crate::suppress::apply(findings, &files, &linked, &config.ignore, config_path.as_deref(), today);
    findings.extend(unmatched_usage(&usage, &files));
    findings.extend(hcl.notes);
    findings.sort_by(|a, b| {
        (&a.file, a.span.line, a.span.column, &a.rule).cmp(&(&b.file, b.span.line, b.span.column, &b.rule))
    });
    errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    Ok(Analysis {
        files,
        errors,
        budgets,
        linked,
        facts,
        findings,
        rules,
        config,
        config_path,
        files_seen,
        files_parsed,
        terraform_files_read,
    })
}

/// `.tf` and `.tfvars` files are read per module directory by the HCL reader, not one by one.
fn is_terraform_hcl(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.ends_with(".tf") || name.ends_with(".tfvars")
}

/// A directory as the HCL reader names it: `.` for the working directory.
fn hcl_display(display: &str) -> String {
    let trimmed = display.trim_end_matches('/');
    if trimmed.is_empty() || trimmed == "." {
        ".".to_string()
    } else {
        trimmed.to_string()
    }
}

/// What the HCL reader produced, as the run's files, input errors and notes.
struct HclRead {
    files: Vec<InputFile>,
    errors: Vec<InputError>,
    notes: Vec<Finding>,
    files_read: usize,
}

/// Evaluate the module directories of the run's `.tf` files.
fn read_terraform_hcl(candidates: &[Candidate], inputs: &source::hcl::Inputs) -> HclRead {
    // A `.tfvars` file counts only when named (a pre-commit hook passing a changed tfvars): its directory is
    // then evaluated with it.
    let files: Vec<(PathBuf, bool)> = candidates
        .iter()
        .filter(|c| c.explicit || c.path.extension().is_some_and(|e| e == "tf"))
        .map(|c| (c.path.clone(), c.explicit))
        .collect();
    let cwd = std::env::current_dir().ok();
    let dirs = source::hcl::select_dirs(&files, |dir| hcl_display(&discover::display_path_from(dir, cwd.as_deref())));
    if dirs.is_empty() {
        return HclRead { files: Vec::new(), errors: Vec::new(), notes: Vec::new(), files_read: 0 };
    }
    let output = source::hcl::read(&dirs, inputs);
    let notes = output
        .notes
        .into_iter()
        .map(|note| {
            let mut finding = crate::suppress::meta_finding(
                "module-not-read",
                &note.file,
                &note.resource,
                note.message,
                "ptlint reads local modules (`./` and `../` sources); for other sources, check the plan: \
                 `terraform show -json PLAN > plan.json`",
            );
            finding.span = note.span;
            finding
        })
        .collect();
    HclRead {
        files: output.files.into_iter().map(|(path, text, document)| InputFile { path, text, document }).collect(),
        errors: output.errors,
        notes,
        files_read: output.files_read,
    }
}

/// The facts document as the policy reads it: the same value as `serde_json::to_value(facts)`, with each PT's
/// facts converted in parallel (the PTs are set aside while the rest of the document is converted).
fn facts_value(facts: &mut FactsDocument) -> Result<serde_json::Value, serde_json::Error> {
    let throughputs = std::mem::take(&mut facts.throughputs);
    let converted = throughputs.par_iter().map(serde_json::to_value).collect::<Result<Vec<_>, _>>();
    let document = serde_json::to_value(&*facts);
    facts.throughputs = throughputs;
    let mut document = document?;
    if let Some(fields) = document.as_object_mut() {
        fields.insert("throughputs".into(), serde_json::Value::Array(converted?));
    }
    Ok(document)
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
    let resources: HashSet<&str> =
        files.iter().flat_map(|f| f.document.throughputs.iter().map(|pt| pt.resource.as_str())).collect();
    usage
        .iter()
        .filter(|(key, _)| !resources.contains(key.as_str()))
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

/// Where the value a failing clause checks is written: the commitment, the model units or the model
/// (the resource when the fact is none of them, or the value is not written).
fn value_span(pt: &crate::model::Throughput, field: Option<&str>) -> crate::source::node::Span {
    let field = field.unwrap_or_default();
    if field.contains("commitment") && !field.starts_with("prior_") {
        pt.commitment.span
    } else if field.contains("model_units") {
        pt.model_units.as_ref().map_or(pt.span, |u| u.span)
    } else if field.starts_with("model")
        || field.starts_with("base_model")
        || field.starts_with("offer/rejections")
        || field == "offer/unservable_model"
    {
        pt.model.as_ref().map_or(pt.span, |m| m.span)
    } else {
        pt.span
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_facts_value_is_the_serialised_document() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let options = Options {
            paths: vec![root.join("fixtures/hosting-budget-below-standing-cost"), root.join("fixtures/source")],
            config: Some(root.join("fixtures/source/empty.ptlint.yaml")),
            today: Some(20_000),
            ..Options::default()
        };
        let mut facts = analyze(&options).unwrap().facts;
        assert!(facts.throughputs.len() > 5);
        let whole = serde_json::to_value(&facts).unwrap();
        assert_eq!(facts_value(&mut facts).unwrap(), whole);
        assert_eq!(serde_json::to_value(&facts).unwrap(), whole, "the PTs are put back");
    }
}
