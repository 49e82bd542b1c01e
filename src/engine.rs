//! One run, start to finish: configs, inputs (see `gather`), then per config scope linking, facts, policy, suppressions. Never prints.

use crate::config::{self, Config, LevelSetting, LoadedConfig};
use crate::discover::display_path;
pub use crate::error::FatalError;
use crate::evidence::{self, Evidence};
use crate::facts::{self, FactsContext, FactsDocument};
use crate::finding::{Finding, InputError, Level};
use crate::gather::{gather, Inputs};
use crate::link::{self, InputFile, LinkScopes, LinkedThroughput, Reach, RegionDefaults, RunBudget};
pub use crate::options::{Options, StdinInput};
use crate::policy::{self, Anchor, RuleSet};
use crate::pricing::Catalog;
use crate::project::Configs;
use crate::usage_keys::{self, UsageSource};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    /// Findings hidden because `--baseline` records them.
    pub baselined: usize,
    /// How many Terraform `.tf` files were parsed (a part of `files_parsed`).
    pub terraform_files_read: usize,
    /// Every config's credits, in scope order; `facts.credits` is the first. Reports show each when there is
    /// more than one.
    pub credits_by_config: Vec<facts::ConfigCredits>,
}

/// Whether a rule's `Warning when:` fact is `true` for the PT a violation is about.
fn warning_when(meta: &crate::policy::RuleMeta, pt: Option<&facts::ThroughputFacts>) -> bool {
    let (Some(path), Some(pt)) = (meta.warning_when.as_deref(), pt) else { return false };
    let Ok(value) = serde_json::to_value(pt) else { return false };
    path.split('.').try_fold(&value, |v, key| v.get(key)).and_then(serde_json::Value::as_bool) == Some(true)
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
    // The config's directory comes from the repository (a pull request can change it): its rule files must lie
    // inside the repository that holds the config. A `--rules` directory is the caller's own choice.
    let from_config = config.and_then(|c| {
        let repository = crate::source::read::Repository::holding(&c.dir);
        c.rules_dir().map(|dir| (dir, Some(repository)))
    });
    let dirs = from_config.into_iter().chain(extra.iter().map(|dir| (dir.clone(), None)));
    for (dir, repository) in dirs {
        rules.load_dir_within(&dir, repository.as_ref()).map_err(|e| match &e {
            policy::PolicyError::Parse { path, line, column, .. } => FatalError {
                file: display_path(std::path::Path::new(path)),
                line: u32::try_from(*line).unwrap_or(0),
                column: u32::try_from(*column).unwrap_or(0),
                message: e.to_string(),
            },
            _ => FatalError { file: display_path(&dir), line: 0, column: 0, message: e.to_string() },
        })?;
    }
    Ok(rules)
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
    // An `ignore:` entry that matched nothing here may be meant for a PT read only for context (in a file that was
    // not named): "unused" cannot be judged for it.
    analysis.findings.retain(|f| !(f.name == "unused-suppression" && may_name_context(f, &inputs, &configs)));
    analysis.errors.extend(inputs.errors);
    analysis.files = inputs.files;
    analysis.findings.extend(inputs.notes);
    analysis.terraform_files_read = inputs.terraform_files_read;
    filter_rules(&mut analysis.findings, &options.select, &options.ignore_rules);
    analysis.findings.sort_by(|a, b| {
        (&a.file, a.span.line, a.span.column, &a.rule).cmp(&(&b.file, b.span.line, b.span.column, &b.rule))
    });
    analysis.findings.dedup();
    analysis.errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    if !options.without_excerpts {
        crate::gather::texts_for_findings(&mut analysis.files, &analysis.findings, &inputs.set_aside);
    }
    analysis.files_seen = inputs.files_seen;
    analysis.files_parsed = inputs.files_parsed;
    Ok(analysis)
}

/// Whether the config `ignore:` entry an unused-suppression finding is about could name a PT of a file its config
/// governs that was read only for context.
fn may_name_context(finding: &Finding, inputs: &Inputs, configs: &Configs) -> bool {
    let context =
        || inputs.files.iter().zip(&inputs.scope_of).zip(&inputs.reported).filter(|(_, reported)| !**reported);
    context().any(|((file, scope), _)| {
        let Some(loaded) = scope.map(|i| configs.get(i)) else { return false };
        if display_path(&loaded.path) != finding.file {
            return false;
        }
        let relative = crate::discover::relative_to(&file.path, &loaded.dir);
        loaded.config.ignore.iter().filter(|e| e.resource.as_deref().unwrap_or("*") == finding.resource).any(|entry| {
            file.document
                .throughputs
                .iter()
                .any(|pt| entry.matches(&entry.rule, &entry.rule, &pt.resource, relative.as_deref()))
        })
    })
}

/// `--select` keeps only the named rules, `--ignore` drops them (codes case-insensitive, or names).
fn filter_rules(findings: &mut Vec<Finding>, select: &[String], ignore: &[String]) {
    let named = |list: &[String], f: &Finding| list.iter().any(|r| r.eq_ignore_ascii_case(&f.rule) || *r == f.name);
    findings.retain(|f| (select.is_empty() || named(select, f)) && !named(ignore, f));
}

/// Join two scopes' results. Both index the same `files`; budget indices and coverage groups of the second are
/// moved past the first's.
fn merge(mut done: Analysis, part: Analysis) -> Analysis {
    let offset = done.budgets.len();
    let group_offset = done.linked.iter().map(|l| l.budgets.group + 1).max().unwrap_or(0);
    let shift = |list: &std::sync::Arc<[usize]>| list.iter().map(|b| b + offset).collect::<std::sync::Arc<[usize]>>();
    done.budgets.extend(part.budgets);
    done.linked.extend(part.linked.into_iter().map(|mut l| {
        l.budgets.selected = shift(&l.budgets.selected);
        l.budgets.group += group_offset;
        l
    }));
    done.facts.throughputs.extend(part.facts.throughputs);
    // Each scope's credits pay for its own PTs: the facts keep the first scope's, the reports show each.
    done.facts.credits = done.facts.credits.or(part.facts.credits);
    done.credits_by_config.extend(part.credits_by_config);
    done.findings.extend(part.findings);
    done.errors.extend(part.errors);
    done
}

/// Link, price and check the reported PTs whose nearest config is `scope`, against every file of the run (so
/// budgets, alarms and custom models in other files and context count, within the scope `docs/scope.md` gives).
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
            let export_positions = loaded.and_then(|l| l.export_positions.get(k).cloned()).unwrap_or_default();
            let file = config_path.clone().unwrap_or_default();
            (k.clone(), UsageSource { entry: v.clone(), dir: config_dir.clone(), file, position, export_positions })
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
            let export_positions = loaded.export_positions.get(&key).cloned().unwrap_or_default();
            let (dir, file) = (loaded.dir.clone(), display_path(path));
            usage.insert(key, UsageSource { entry, dir, file, position, export_positions });
        }
    }

    // A budget in the code reaches the PTs of its link unit; a budget of the config, the PTs the config governs.
    let mut budgets: Vec<RunBudget> = files
        .iter()
        .zip(&inputs.unit_of)
        .flat_map(|(f, &unit)| {
            f.document.budgets.iter().map(move |b| RunBudget {
                budget: b.clone(),
                file: f.path.clone(),
                reach: Reach::Unit(unit),
            })
        })
        .collect();
    budgets.extend(config.budgets.iter().enumerate().map(|(i, b)| RunBudget {
        budget: b.to_model(i),
        file: config_path.clone().unwrap_or_default(),
        reach: Reach::Governed,
    }));
    let defaults = RegionDefaults { flag: options.region.as_deref(), config: config.region.as_deref() };
    let governed: Vec<bool> = inputs.scope_of.iter().map(|s| *s == scope).collect();
    let scopes = LinkScopes { unit: &inputs.unit_of, governed: &governed };
    let all_linked = link::link(files, &scopes, &budgets, &defaults);

    let hours = config.hours_per_month();
    let mut evidence: BTreeMap<String, Result<Evidence, String>> = BTreeMap::new();
    for (key, source) in &usage {
        let resolved = evidence::resolve(&source.entry, &source.dir, hours).map_err(|e| {
            // Evidence that cannot be read is an input error (exit 2), never silently "no evidence".
            errors.push(source.evidence_error(key, &e));
            e.to_string()
        });
        evidence.insert(key.clone(), resolved);
    }
    // A config's usage keys apply to the files it governs (reported or context), never to another config's.
    let governed: Vec<LinkedThroughput> =
        all_linked.iter().filter(|l| inputs.scope_of[l.file] == scope).cloned().collect();
    let usage_keys = usage_keys::assign(&usage, files, &governed);
    let catalog = Catalog::embedded().with_overrides(&config.pricing);
    // Facts over every PT (a budget's covered cost counts PTs in context too), then keep this scope's.
    let all_facts = facts::build(
        files,
        &budgets,
        &all_linked,
        &FactsContext {
            config: &config,
            catalog: &catalog,
            evidence: &evidence,
            usage_keys: &usage_keys,
            today: options.today.unwrap_or_else(evidence::today),
        },
    );
    let in_scope = |l: &LinkedThroughput| inputs.reported[l.file] && inputs.scope_of[l.file] == scope;
    let (linked, throughputs): (Vec<LinkedThroughput>, Vec<_>) =
        all_linked.into_iter().zip(all_facts.throughputs).filter(|(l, _)| in_scope(l)).unzip();

    let mut facts = FactsDocument { throughputs, ..all_facts };
    let today = options.today.unwrap_or_else(evidence::today);
    facts::add_credits(&mut facts, &config, today);
    let violations = policy::evaluate(&rules, &facts).map_err(|e| FatalError {
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
        let level = match config.policy.level_for(&rule.meta.code, &rule.meta.name) {
            Some(LevelSetting::Off) => continue,
            Some(LevelSetting::Level(level)) => level,
            None if warning_when(&rule.meta, facts.throughputs.get(violation.throughput)) => Level::Warning,
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
    let mut findings = crate::suppress::apply(findings, files, &linked, &config.ignore, config_path.as_deref(), today);
    findings.extend(usage_keys::unmatched(&usage, &usage_keys));
    // A key's evidence matters only on the PTs reported: one that also names a PT read for context collides with
    // nothing the run judges.
    let reported_keys = usage_keys.iter().filter(|((file, _), _)| inputs.reported[*file]).map(|(k, v)| (*k, v.clone()));
    findings.extend(usage_keys::collisions(&usage, &reported_keys.collect(), files));
    let credits_by_config = facts
        .credits
        .iter()
        .map(|credits| facts::ConfigCredits {
            config: config_path.clone().unwrap_or_default(),
            credits: credits.clone(),
        })
        .collect();
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
        baselined: 0,
        terraform_files_read: 0,
        credits_by_config,
    })
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
    use crate::policy::PolicyInput;

    #[test]
    fn rules_read_the_facts_as_they_read_its_json_value() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let options = Options {
            paths: vec![root.join("fixtures/hosting-budget-below-standing-cost"), root.join("fixtures/source")],
            config: Some(root.join("fixtures/source/empty.ptlint.yaml")),
            today: Some(20_000),
            ..Options::default()
        };
        let analysis = analyze(&options).unwrap();
        let facts = &analysis.facts;
        assert!(facts.throughputs.len() > 5);
        let whole = serde_json::to_value(facts).unwrap();
        for index in 0..facts.throughputs.len() {
            assert_eq!(facts.throughput(index).unwrap(), whole.throughput(index).unwrap());
        }
        assert_eq!(facts.context().unwrap(), whole.context().unwrap());
        assert_eq!(facts.document_text().unwrap(), whole.document_text().unwrap());
        let from_facts = policy::evaluate(&analysis.rules, facts).unwrap();
        assert!(!from_facts.is_empty());
        assert_eq!(from_facts, policy::evaluate(&analysis.rules, &whole).unwrap());
    }
}
