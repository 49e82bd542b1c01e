//! `--compare-to BASE`: read the base revision (a directory or file, an earlier JSON report, or `git:REF`) as figures.

use super::{committed, git, CostDiff, Figures};
use crate::discover::display_path;
use crate::engine::{self, Analysis, FatalError, Options};
use crate::facts::ThroughputFacts;
use crate::finding::InputError;
use crate::model::{Commitment, PlanAction};
use crate::source::read::{read_regular_text, MAX_FILE_BYTES};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// What `--compare-to` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseSpec {
    /// `git:REF`: the same paths at a revision of the local repository.
    Git(String),
    /// A directory or file of the base revision, or a `ptlint cost --format json` report.
    Path(PathBuf),
}

impl BaseSpec {
    pub fn parse(text: &str) -> BaseSpec {
        match text.strip_prefix("git:") {
            Some(reference) => BaseSpec::Git(reference.to_string()),
            None => BaseSpec::Path(PathBuf::from(text)),
        }
    }
}

impl std::fmt::Display for BaseSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BaseSpec::Git(reference) => write!(f, "git:{reference}"),
            BaseSpec::Path(path) => write!(f, "{}", display_path(path)),
        }
    }
}

/// The PTs that stand once the code is applied: a plan's deletions are gone.
fn standing(throughputs: &[ThroughputFacts]) -> Vec<Figures> {
    throughputs.iter().filter(|t| t.plan_action != Some(PlanAction::Delete)).map(Figures::from_facts).collect()
}

/// Compare a run with the base revision `spec`; `options` are the run's own (the base is read the same way).
pub fn compare_to(analysis: &Analysis, spec: &BaseSpec, options: &Options) -> Result<CostDiff, FatalError> {
    let head_paths = if options.paths.is_empty() { vec![PathBuf::from(".")] } else { options.paths.clone() };
    let (before, errors) = match spec {
        BaseSpec::Git(reference) => {
            let snapshot = git::snapshot(reference, &head_paths)?;
            let base_root = display_path(&snapshot.cwd);
            let paths = head_paths.iter().map(|p| snapshot.cwd.join(relative(p))).filter(|p| p.exists()).collect();
            read_tree(spec, options, paths, &base_root, "")?
        }
        BaseSpec::Path(path) if path.is_file() => match report_figures(path)? {
            Some(figures) => (figures, Vec::new()),
            None => paired(spec, options, path, &head_paths, analysis)?,
        },
        BaseSpec::Path(path) if path.is_dir() => {
            let inside: Vec<PathBuf> = head_paths
                .iter()
                .filter(|p| p.is_relative())
                .map(|p| path.join(relative(p)))
                .filter(|p| p.exists())
                .collect();
            if !inside.is_empty() && head_paths.iter().all(|p| p.is_relative()) {
                // A checkout of the base revision: the same paths inside it.
                read_tree(spec, options, inside, &display_path(path), "")?
            } else {
                paired(spec, options, path, &head_paths, analysis)?
            }
        }
        BaseSpec::Path(path) => {
            return Err(FatalError {
                file: display_path(path),
                line: 0,
                column: 0,
                // `--compare-to HEAD~1` is the usual slip: a revision needs its `git:` prefix.
                message: format!(
                    "--compare-to: no such file or directory; to compare with a git revision, write `--compare-to \
                     git:{}`",
                    path.display()
                ),
            });
        }
    };
    let mut diff = CostDiff::compare(spec.to_string(), before, standing(&analysis.facts.throughputs));
    diff.errors = errors;
    Ok(diff.with_runway(analysis.facts.credits.as_ref()))
}

/// The base revision of the one scanned path (`new.yaml --compare-to old.yaml`, `after/ --compare-to before/`).
/// When each side holds PTs in one file only, those files are the same file whatever their names.
fn paired(
    spec: &BaseSpec,
    options: &Options,
    base: &Path,
    head_paths: &[PathBuf],
    analysis: &Analysis,
) -> Result<(Vec<Figures>, Vec<InputError>), FatalError> {
    let (mut figures, errors) =
        read_tree(spec, options, vec![base.to_path_buf()], &display_path(base), &only_path(head_paths, base)?)?;
    let head_files: BTreeSet<&str> = analysis.facts.throughputs.iter().map(|t| t.file.as_str()).collect();
    let base_files = figures.iter().map(|f| f.file.as_str()).collect::<BTreeSet<_>>().len();
    if let (Some(head), 1, 1) = (head_files.first(), head_files.len(), base_files) {
        for figure in &mut figures {
            figure.file = head.to_string();
        }
    }
    Ok((figures, errors))
}

/// A path relative to the working directory (an absolute one under it loses the prefix), without `.` parts.
fn relative(path: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    let path = path.strip_prefix(&cwd).unwrap_or(path);
    path.components().filter(|c| *c != std::path::Component::CurDir).collect()
}

/// The one scanned path a base file or directory stands for.
fn only_path(head_paths: &[PathBuf], base: &Path) -> Result<String, FatalError> {
    match head_paths {
        [one] => Ok(display_path(one)),
        _ => Err(FatalError {
            file: display_path(base),
            line: 0,
            column: 0,
            message: "--compare-to: with several paths, the base must be a directory that contains them (a checkout \
                      of the base revision), a JSON report or git:REF"
                .to_string(),
        }),
    }
}

/// A display path with `from` (a root, display form) replaced by `to`, so base files match head files.
pub(crate) fn translate(display: &str, from: &str, to: &str) -> String {
    let root = |text: &str| {
        let text = text.trim_end_matches('/');
        if text == "." {
            String::new()
        } else {
            text.to_string()
        }
    };
    let (from, to) = (root(from), root(to));
    let rest = if from.is_empty() {
        Some(display)
    } else if display == from {
        Some("")
    } else {
        display.strip_prefix(&from).and_then(|r| r.strip_prefix('/'))
    };
    // A walk of `dir/.` names its files `dir/./a.yaml`; the head's are `a.yaml`.
    match rest.map(|r| r.trim_start_matches("./")) {
        Some("") => to,
        Some(rest) if to.is_empty() => rest.to_string(),
        Some(rest) => format!("{to}/{rest}"),
        None => display.to_string(),
    }
}

/// Analyse the base inputs the way the run was analysed, with their paths put in the head's terms.
fn read_tree(
    spec: &BaseSpec,
    options: &Options,
    paths: Vec<PathBuf>,
    base_root: &str,
    head_root: &str,
) -> Result<(Vec<Figures>, Vec<InputError>), FatalError> {
    if paths.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    // Standard input belongs to the head run only.
    let base_options = Options { paths, usage: None, rules: Vec::new(), stdin: None, ..options.clone() };
    let analysis = engine::analyze(&base_options)?;
    let mut figures = standing(&analysis.facts.throughputs);
    for figure in &mut figures {
        figure.file = translate(&figure.file, base_root, head_root);
        // A line of the base file would point into the head file, where it means nothing.
        figure.line = 0;
    }
    let errors = analysis
        .errors
        .into_iter()
        .map(|e| InputError {
            file: translate(&e.file, base_root, head_root),
            message: format!("in the base ({spec}): {}", e.message),
            ..e
        })
        .collect();
    Ok((figures, errors))
}

fn report_error(path: &Path, message: String) -> FatalError {
    FatalError { file: display_path(path), line: 0, column: 0, message: format!("--compare-to report: {message}") }
}

/// The figures of a `ptlint cost --format json` (or `check --format json`) report; `None` when the file is not one.
fn report_figures(path: &Path) -> Result<Option<Vec<Figures>>, FatalError> {
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if !is_json {
        return Ok(None);
    }
    let text = read_regular_text(path, MAX_FILE_BYTES).map_err(|e| report_error(path, e.to_string()))?;
    let Ok(value) = serde_json::from_str::<Value>(&text) else { return Ok(None) };
    let is_report = value.get("version").is_some_and(Value::is_u64)
        && value.get("throughputs").is_some_and(Value::is_array)
        && value.get("Resources").is_none()
        && value.get("format_version").is_none();
    if !is_report {
        return Ok(None);
    }
    let entries = value["throughputs"].as_array().map(Vec::as_slice).unwrap_or_default();
    let mut figures = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = |what: &str| report_error(path, format!("/throughputs/{i}: {what}"));
        if entry.get("plan_action").and_then(Value::as_str) == Some("delete") {
            continue;
        }
        let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_string);
        let money = |key: &str| -> Result<Option<Decimal>, FatalError> {
            match entry.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => {
                    Decimal::from_str(s).map(Some).map_err(|_| at(&format!("`{key}` is not a decimal amount: {s:?}")))
                }
                Some(other) => Err(at(&format!("`{key}` is not a decimal string: {other}"))),
            }
        };
        let commitment = match text("commitment") {
            Some(term) => Some(
                [Commitment::NoCommitment, Commitment::OneMonth, Commitment::SixMonths]
                    .into_iter()
                    .find(|c| c.as_str() == term)
                    .ok_or_else(|| at(&format!("`commitment` is not a term: {term:?}")))?,
            ),
            None => None,
        };
        let monthly_cost = money("monthly_cost")?;
        figures.push(Figures {
            file: text("file").ok_or_else(|| at("no `file`"))?,
            // The report's lines are the base's: they would point into the head file, where they mean nothing.
            line: 0,
            resource: text("resource").ok_or_else(|| at("no `resource`"))?,
            model: text("model"),
            model_units: entry.get("model_units").and_then(Value::as_u64).and_then(|u| u32::try_from(u).ok()),
            commitment,
            region: text("region"),
            hourly_rate: money("hourly_rate")?,
            monthly_cost,
            commitment_total: committed(monthly_cost, money("commitment_total")?),
            // Reports before these keys existed leave them out: the reason is then not known.
            unpriced_reason: text("unpriced_reason"),
            unpriced_supply: text("unpriced_supply"),
        });
    }
    Ok(Some(figures))
}
