//! Policy: runs the Guard rules (built-in and the user's) over the facts document; the only caller of cfn-guard.

mod guard;
mod header;
mod input;
mod projection;
#[cfg(test)]
mod sharing_tests;
mod template;
#[cfg(test)]
mod template_tests;
#[cfg(test)]
mod tests;

pub use header::{Anchor, RuleMeta};
pub use input::PolicyInput;
pub use template::render_template;

use crate::source::read::{excerpt, read_regular, Refused, Repository};
use guard::{check_syntax, run_rules, ClauseMessages, RuleReport};
use header::{default_meta, parse_meta};
use rayon::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The largest rule file read: rule files are a few kilobytes.
pub const MAX_RULE_FILE_BYTES: u64 = 1024 * 1024;

/// One rule: its metadata and its Guard source.
#[derive(Debug, Clone)]
pub struct Rule {
    /// What the header says.
    pub meta: RuleMeta,
    source: String,
}

impl Rule {
    /// The Guard source, header included.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// The rules one run evaluates, in a stable order (built-ins by code, then user rules by file name).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Indexed by [`Violation::rule`].
    pub rules: Vec<Rule>,
}

/// Why the rules could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// A rules directory or file could not be read.
    #[error("could not read `{path}`: {source}")]
    Read {
        /// The directory or file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The header block of a rule file has a value ptlint does not understand.
    #[error("invalid header in rule file `{path}`: {reason}")]
    Header {
        /// The rule file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// cfn-guard rejected the rule file.
    #[error("could not parse Guard rules in `{path}`: {reason}")]
    Parse {
        /// The rule file.
        path: String,
        /// Where cfn-guard stopped (1-based; 0 when it did not say) and the line there, cut short.
        line: usize,
        column: usize,
        /// cfn-guard's error text, cut to the position and a short excerpt of the line.
        reason: String,
    },
    /// Two rules claim the same code or name.
    #[error("rule `{code}` in `{path}` reuses the code or name of `{other}` ({other_origin})")]
    Duplicate {
        /// Code of the new rule.
        code: String,
        /// Where the new rule comes from.
        path: String,
        /// Code of the rule already loaded.
        other: String,
        /// Where that rule comes from.
        other_origin: String,
    },
    /// The facts could not be converted to the JSON the rules read.
    #[error("could not convert the facts for the rules: {0}")]
    Facts(String),
    /// cfn-guard failed while evaluating a rule, or its report could not be read.
    #[error("cfn-guard could not evaluate rule `{code}` ({origin}): {reason}")]
    Eval {
        /// Code of the rule.
        code: String,
        /// Where the rule comes from.
        origin: String,
        /// What went wrong.
        reason: String,
    },
}

/// One rule failing for one throughput.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Index into [`RuleSet::rules`].
    pub rule: usize,
    /// Index into the facts document's `throughputs`.
    pub throughput: usize,
    /// Rendered message; distinct messages of several failing clauses are joined with `; `.
    pub message: String,
    /// Rendered help, if the rule has any.
    pub help: Option<String>,
    /// The fact the first failing clause checks (`commitment`, `offer/model_units_written`, ...), for
    /// rules that report on the value they judge.
    pub field: Option<String>,
}

/// The built-in rules, ordered by code. Paths are relative to this file, so the rules ship
/// inside the binary.
const BUILTIN: &[(&str, &str)] = &[
    ("custom_model_without_hosting_budget", include_str!("../../rules/custom_model_without_hosting_budget.guard")),
    ("hosting_budget_below_standing_cost", include_str!("../../rules/hosting_budget_below_standing_cost.guard")),
    ("commitment_without_usage_evidence", include_str!("../../rules/commitment_without_usage_evidence.guard")),
    ("commitment_outruns_proven_volume", include_str!("../../rules/commitment_outruns_proven_volume.guard")),
    ("missing_utilization_alarm", include_str!("../../rules/missing_utilization_alarm.guard")),
    (
        "nonexistent_provisioned_throughput_type",
        include_str!("../../rules/nonexistent_provisioned_throughput_type.guard"),
    ),
    ("unpriced_throughput", include_str!("../../rules/unpriced_throughput.guard")),
    ("invalid_throughput", include_str!("../../rules/invalid_throughput.guard")),
    ("committed_throughput_deleted", include_str!("../../rules/committed_throughput_deleted.guard")),
    (
        "model_not_offered_for_provisioned_throughput",
        include_str!("../../rules/model_not_offered_for_provisioned_throughput.guard"),
    ),
    ("model_retired", include_str!("../../rules/model_retired.guard")),
    ("throughput_outlives_stack", include_str!("../../rules/throughput_outlives_stack.guard")),
    ("commitment_outlives_credits", include_str!("../../rules/commitment_outlives_credits.guard")),
];

const BUILTIN_ORIGIN: &str = "built-in";

impl RuleSet {
    /// The rules shipped in `rules/*.guard`.
    pub fn builtin() -> RuleSet {
        let rules = BUILTIN
            .iter()
            .map(|(stem, source)| {
                // The meta tests check that every built-in header parses; the fallback only
                // keeps this infallible.
                let meta =
                    parse_meta(source, stem, BUILTIN_ORIGIN).unwrap_or_else(|_| default_meta(stem, BUILTIN_ORIGIN));
                Rule { meta, source: (*source).to_string() }
            })
            .collect();
        RuleSet { rules }
    }

    /// Adds the user's rules: every `*.guard` file in `dir`, by file name. A file without a header
    /// gets its file stem as code (upper case) and name (kebab case), and level `error`.
    pub fn load_dir(&mut self, dir: &Path) -> Result<(), PolicyError> {
        self.load_dir_within(dir, None)
    }

    /// [`RuleSet::load_dir`] for a directory a config names: with a repository, the directory and each rule file
    /// must resolve inside it (a link to `/proc/self/environ` is refused before it is read). Either way a rule
    /// file is read only if it is a regular file of at most [`MAX_RULE_FILE_BYTES`].
    pub fn load_dir_within(&mut self, dir: &Path, repository: Option<&Repository>) -> Result<(), PolicyError> {
        let read_err = |path: &Path, source| PolicyError::Read { path: path.to_path_buf(), source };
        let refused = |path: &Path, why: String| read_err(path, std::io::Error::other(why));
        if let Some(repository) = repository {
            repository.resolve(dir).map_err(|why| refused(dir, why.to_string()))?;
        }
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| read_err(dir, e))? {
            let path = entry.map_err(|e| read_err(dir, e))?.path();
            if path.is_file() && path.extension().is_some_and(|ext| ext == "guard") {
                files.push(path);
            }
        }
        files.sort();
        for path in files {
            let source = match repository {
                Some(repository) => repository.read_text(&path, MAX_RULE_FILE_BYTES),
                None => read_regular(&path, MAX_RULE_FILE_BYTES)
                    .map_err(|why| Refused::Unreadable(format!("`{}` {why}", path.display())))
                    .and_then(|bytes| {
                        crate::source::decode_vec(bytes).map_err(|e| Refused::Unreadable(format!("not text: {e}")))
                    }),
            }
            .map_err(|why| refused(&path, why.to_string()))?;
            let origin = path.display().to_string();
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let meta = parse_meta(&source, &stem, &origin)
                .map_err(|reason| PolicyError::Header { path: origin.clone(), reason: excerpt(&reason) })?;
            check_syntax(&source, &origin)?;
            if let Some(other) = self
                .rules
                .iter()
                .find(|r| r.meta.code.eq_ignore_ascii_case(&meta.code) || r.meta.name.eq_ignore_ascii_case(&meta.name))
            {
                return Err(PolicyError::Duplicate {
                    code: meta.code,
                    path: origin,
                    other: other.meta.code.clone(),
                    other_origin: other.meta.origin.clone(),
                });
            }
            self.rules.push(Rule { meta, source });
        }
        Ok(())
    }

    /// The rule with this code (`PT001`) or name (`custom-model-without-hosting-budget`), any case.
    pub fn find(&self, code_or_name: &str) -> Option<&Rule> {
        let wanted = code_or_name.trim();
        // The Guard rule inside the file spells the name in snake_case; accept that too.
        let as_name = wanted.replace('_', "-");
        self.rules
            .iter()
            .find(|r| r.meta.code.eq_ignore_ascii_case(wanted) || r.meta.name.eq_ignore_ascii_case(&as_name))
    }
}

/// Distinct projected throughputs per Guard document for the built-in rules. cfn-guard's memory grows with the document
/// (its evaluator keeps records and clones of the whole value tree), so large runs go in batches.
const BUILTIN_BATCH: usize = 64;

/// Runs the rules over the facts document and returns one violation per (rule, throughput) that
/// failed, sorted by throughput then rule. Prints nothing.
///
/// User rules see the whole document once, so they may reason across throughputs. The built-in
/// rules judge each throughput on its own facts (and `policy`), so PTs whose projected facts are equal share one
/// evaluation, and the distinct ones run over batches of [`BUILTIN_BATCH`], which bounds memory without changing
/// any result.
pub fn evaluate(rules: &RuleSet, facts: &(impl PolicyInput + ?Sized)) -> Result<Vec<Violation>, PolicyError> {
    let facts_error = |e: serde_json::Error| PolicyError::Facts(e.to_string());
    let count = facts.throughput_count();
    let (builtin, user): (Vec<usize>, Vec<usize>) =
        (0..rules.rules.len()).partition(|&i| rules.rules[i].meta.origin == BUILTIN_ORIGIN);
    // (rule, PT, failing clauses)
    let mut failures: Vec<(usize, usize, ClauseMessages)> = Vec::new();
    // The built-in rules get only the fields they query (cfn-guard's cost grows with every value it copies), and of
    // the integers they only compare with literals, only which side of each literal the value is on.
    let projection = projection::Projection::of(builtin.iter().map(|&i| rules.rules[i].source()));
    let selected = |indices: &[usize]| indices.iter().map(|&i| rules.rules[i].clone()).collect::<Vec<_>>();
    let builtin_rules = selected(&builtin);
    if !builtin_rules.is_empty() {
        let context = facts.context().map_err(facts_error)?;
        let projections: Vec<Value> = (0..count)
            .into_par_iter()
            .map(|index| facts.throughput(index).map(|pt| projection.apply(&pt)))
            .collect::<Result<_, _>>()
            .map_err(facts_error)?;
        // A built-in rule judges a PT by its projected facts and the context alone, so PTs whose projections are
        // equal get the same verdicts: each distinct projection is evaluated once (a large repository holds many
        // PTs of a few shapes), and its failures are handed to every PT of that shape.
        let shapes = projection::Shapes::of(&projections);
        // Batches are independent, so they run in parallel. Collecting keeps batch order, so the result does not
        // depend on scheduling.
        let starts: Vec<usize> = (0..shapes.distinct.len()).step_by(BUILTIN_BATCH).collect();
        let batch_reports: Vec<Vec<Result<RuleReport, PolicyError>>> = starts
            .par_iter()
            .map(|&start| {
                let end = (start + BUILTIN_BATCH).min(shapes.distinct.len());
                let pts = shapes.distinct[start..end].iter().map(|&index| projections[index].clone()).collect();
                let mut batch = context.clone();
                batch.insert("throughputs".into(), Value::Array(pts));
                run_rules(&builtin_rules, &Value::Object(batch).to_string())
            })
            .collect();
        for (n, batch) in batch_reports.into_iter().enumerate() {
            for (position, report) in batch.into_iter().enumerate() {
                let report = report?;
                for (batch_index, messages) in report.failures {
                    for &pt in shapes.members(n * BUILTIN_BATCH + batch_index) {
                        failures.push((builtin[position], pt, messages.clone()));
                    }
                }
            }
        }
    }
    let user_rules = selected(&user);
    if !user_rules.is_empty() {
        for (position, report) in
            run_rules(&user_rules, &facts.document_text().map_err(facts_error)?).into_iter().enumerate()
        {
            failures.extend(report?.failures.into_iter().map(|(pt, messages)| (user[position], pt, messages)));
        }
    }
    // Rendering a message reads one PT's facts: failures are grouped by PT, each PT's facts converted once, and
    // the groups rendered in parallel; the sort below fixes the order.
    failures.sort_by_key(|(index, throughput, _)| (*throughput, *index));
    let mut groups: Vec<Vec<(usize, usize, ClauseMessages)>> = Vec::new();
    for failure in failures {
        match groups.last_mut() {
            Some(group) if group[0].1 == failure.1 => group.push(failure),
            _ => groups.push(vec![failure]),
        }
    }
    let rendered: Vec<Result<Vec<Violation>, PolicyError>> = groups
        .into_par_iter()
        .map(|group| {
            let pt = facts.throughput(group[0].1).map_err(facts_error)?;
            Ok(group
                .into_iter()
                .map(|(index, throughput, messages)| violation(rules, index, throughput, messages, &pt))
                .collect())
        })
        .collect();
    let mut violations = Vec::new();
    for group in rendered {
        violations.extend(group?);
    }
    violations.sort_by_key(|v| (v.throughput, v.rule));
    Ok(violations)
}

/// One rule's failure on one PT, its messages rendered from that PT's facts.
fn violation(rules: &RuleSet, index: usize, throughput: usize, messages: ClauseMessages, pt: &Value) -> Violation {
    let rule = &rules.rules[index];
    let mut rendered: Vec<String> = Vec::new();
    // Why the figures the messages leave out are unknown: said once, after every message.
    let mut unknowns: Vec<String> = Vec::new();
    for template in &messages.custom {
        let parts = template::render(template, pt);
        if !rendered.contains(&parts.text) {
            rendered.push(parts.text);
        }
        for reason in parts.unknowns {
            if !unknowns.contains(&reason) {
                unknowns.push(reason);
            }
        }
    }
    let message = if !rendered.is_empty() {
        let text = rendered.join("; ");
        // A reason the messages already say in the same words is not said again.
        unknowns.retain(|reason| !text.contains(reason.as_str()));
        template::append_reasons(text, &unknowns)
    } else if !rule.meta.summary.is_empty() {
        // A clause without `<< >>` (common in user rules): the summary says more than
        // Guard's evaluator text.
        rule.meta.summary.clone()
    } else {
        messages.fallback.unwrap_or_else(|| rule.meta.name.clone())
    };
    Violation {
        rule: index,
        throughput,
        message,
        // The message says what is unknown; the help leaves out what it cannot fill in, and is dropped when
        // nothing is left.
        help: rule.meta.help.as_deref().map(|h| template::render(h, pt).text).filter(|h| !h.trim().is_empty()),
        field: messages.field,
    }
}
