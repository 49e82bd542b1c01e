//! Suppressions with a reason (CloudFormation `Metadata.ptlint.ignore`, config `ignore:`), and the findings about them.

use crate::config::IgnoreEntry;
use crate::finding::{Finding, Level};
use crate::link::{InputFile, LinkedThroughput};
use crate::source::node::Span;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Findings ptlint itself raises about its inputs (not Guard rules): code, name, summary.
pub const META_RULES: &[(&str, &str, &str)] = &[
    ("PT900", "unused-suppression", "a suppression matched no finding"),
    ("PT901", "suppression-without-reason", "a suppression gives no reason, so it is not applied"),
    ("PT902", "expired-suppression", "a suppression's `expires` date has passed, so it is not applied"),
    (
        "PT903",
        "usage-without-throughput",
        "usage evidence is keyed by a resource that is not a provisioned throughput of the run",
    ),
    (
        "PT904",
        "module-not-read",
        "a Terraform module call's source is not a local directory, so its resources are not checked",
    ),
    (
        "PT905",
        "key-matches-several-files",
        "a usage or `ignore` key without a path matches resources in more than one file; scope it with `path:`",
    ),
    (
        "PT906",
        "instances-unknown",
        "a Terraform `count` or `for_each` has no known value, so how many PTs, alarms or budgets it makes is not \
         known: a PT is priced per instance and no total counts it; an alarm or budget watches or covers nothing",
    ),
];

/// The level of one of the [`META_RULES`]: a module ptlint does not read is a note, the rest are warnings.
pub fn meta_level(code: &str) -> Level {
    if code == "PT904" {
        Level::Note
    } else {
        Level::Warning
    }
}

/// Where ptlint's sources are published.
const REPOSITORY: &str = "https://github.com/ptlint/ptlint/blob/main";

/// Where the documentation of a rule lives: a built-in rule's `.guard` file (its header is the docs), the
/// README section on input checks for PT900-PT903, nothing for a user's rule.
pub fn docs_url(code: &str, name: &str, origin: &str) -> Option<String> {
    if META_RULES.iter().any(|(meta, _, _)| *meta == code) {
        return Some(format!("{REPOSITORY}/README.md#input-checks"));
    }
    (origin == "built-in").then(|| format!("{REPOSITORY}/rules/{}.guard", name.replace('-', "_")))
}

/// A warning from one of the [`META_RULES`], by name.
pub fn meta_finding(name: &str, file: &str, resource: &str, message: String, help: &str) -> Finding {
    meta_finding_at(name, file, Span::default(), resource, message, help)
}

fn meta_finding_at(name: &str, file: &str, span: Span, resource: &str, message: String, help: &str) -> Finding {
    let code = META_RULES.iter().find(|(_, n, _)| *n == name).map_or("PT900", |(c, _, _)| c);
    Finding {
        rule: code.to_string(),
        name: name.to_string(),
        level: meta_level(code),
        file: file.to_string(),
        span,
        resource: resource.to_string(),
        message,
        help: Some(help.to_string()),
        docs_url: docs_url(code, name, ""),
    }
}

/// Whether an inline suppression's `expires` day has passed (an unreadable date counts as expired, so a typo
/// never suppresses for ever).
fn inline_expired(suppression: &crate::model::InlineSuppression, today: i64) -> bool {
    suppression.expires.as_deref().is_some_and(|d| crate::evidence::parse_date(d).is_none_or(|last| today > last))
}

fn rule_matches(wanted: &str, finding: &Finding) -> bool {
    let wanted = wanted.trim();
    wanted.eq_ignore_ascii_case(&finding.rule) || wanted == finding.name
}

/// Apply suppressions and add warnings for invalid, expired and unused ones. `today` is a day number.
pub fn apply(
    findings: Vec<Finding>,
    files: &[InputFile],
    linked: &[LinkedThroughput],
    ignore: &[IgnoreEntry],
    config_path: Option<&str>,
    today: i64,
) -> Vec<Finding> {
    let mut kept = Vec::with_capacity(findings.len());
    let mut warnings = Vec::new();
    let mut inline_used = Vec::new();
    let mut inline = Vec::new();
    for l in linked {
        let file = &files[l.file];
        let pt = &file.document.throughputs[l.index];
        for suppression in &pt.suppressions {
            inline.push((file.path.as_str(), pt.resource.as_str(), suppression));
            inline_used.push(false);
        }
    }
    // Each finding looks up only the suppressions that can match it: inline ones by file and resource,
    // config entries by rule (a code matches in any case, so the key is lower case).
    let mut inline_by_resource: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, (file, resource, _)) in inline.iter().enumerate() {
        inline_by_resource.entry((*file, *resource)).or_default().push(i);
    }
    let mut ignore_by_rule: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, entry) in ignore.iter().enumerate() {
        ignore_by_rule.entry(entry.rule.trim().to_ascii_lowercase()).or_default().push(i);
    }
    let mut config_used = vec![false; ignore.len()];
    // Files each entry matched in, to report an unscoped key that collides across files.
    let mut matched_files: Vec<BTreeSet<String>> = vec![BTreeSet::new(); ignore.len()];
    // Path-scoped entries compare the finding's path relative to the config file's directory; it is worked
    // out only when some entry is scoped.
    let config_dir = match config_path.map(Path::new).and_then(Path::parent) {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let any_scoped = ignore.iter().any(IgnoreEntry::is_path_scoped);
    for finding in findings {
        let file = if any_scoped { crate::discover::relative_to(&finding.file, config_dir) } else { None };
        let mut suppressed = false;
        let candidates = inline_by_resource.get(&(finding.file.as_str(), finding.resource.as_str()));
        for &i in candidates.into_iter().flatten() {
            let s = inline[i].2;
            if rule_matches(&s.rule, &finding) {
                inline_used[i] = true;
                suppressed |= s.reason.is_some() && !inline_expired(s, today);
            }
        }
        let by_code = ignore_by_rule.get(&finding.rule.to_ascii_lowercase());
        let by_name = ignore_by_rule.get(&finding.name.to_ascii_lowercase());
        let mut entries: Vec<usize> = by_code.into_iter().chain(by_name).flatten().copied().collect();
        entries.sort_unstable();
        entries.dedup();
        for i in entries {
            let entry = &ignore[i];
            if entry.matches(&finding.rule, &finding.name, &finding.resource, file.as_deref()) {
                matched_files[i].insert(finding.file.clone());
                config_used[i] = true;
                let has_reason = entry.reason.as_deref().is_some_and(|r| !r.trim().is_empty());
                suppressed |= has_reason && !entry.is_expired(today);
            }
        }
        if !suppressed {
            kept.push(finding);
        }
    }
    let config_file = config_path.unwrap_or(".ptlint.yaml");
    for (i, files) in matched_files.iter().enumerate() {
        if files.len() < 2 || !ignore[i].is_unscoped_exact() {
            continue;
        }
        let target = ignore[i].resource.as_deref().unwrap_or("*");
        let list: Vec<&str> = files.iter().map(String::as_str).collect();
        warnings.push(meta_finding(
            "key-matches-several-files",
            config_file,
            target,
            format!(
                "the `ignore` entry for `{}` on `{target}` matches findings in {}",
                ignore[i].rule,
                list.join(", ")
            ),
            "scope it to one file or directory: `resource: PATH:ADDRESS` or a `path:` field",
        ));
    }
    for (i, (file, resource, s)) in inline.iter().enumerate() {
        if s.reason.is_none() {
            warnings.push(meta_finding_at(
                "suppression-without-reason",
                file,
                s.span,
                resource,
                format!("the suppression of `{}` on `{resource}` gives no reason, so it is not applied", s.rule),
                "add `reason: ...` saying why the finding is accepted",
            ));
        } else if inline_expired(s, today) {
            warnings.push(meta_finding_at(
                "expired-suppression",
                file,
                s.span,
                resource,
                format!(
                    "the suppression of `{}` on `{resource}` expired on {}, so it is not applied",
                    s.rule,
                    s.expires.as_deref().unwrap_or("?")
                ),
                "fix the finding, or renew the suppression with a new `expires=` date and reason",
            ));
        } else if !inline_used[i] {
            warnings.push(meta_finding_at(
                "unused-suppression",
                file,
                s.span,
                resource,
                format!("the suppression of `{}` on `{resource}` matched no finding", s.rule),
                "remove the suppression, or check the rule code and resource",
            ));
        }
    }
    for (i, entry) in ignore.iter().enumerate() {
        let target = entry.resource.as_deref().unwrap_or("*");
        let has_reason = entry.reason.as_deref().is_some_and(|r| !r.trim().is_empty());
        if !has_reason {
            warnings.push(meta_finding(
                "suppression-without-reason",
                config_file,
                target,
                format!("the `ignore` entry for `{}` on `{target}` gives no reason, so it is not applied", entry.rule),
                "add `reason: ...` saying why the finding is accepted",
            ));
        } else if entry.is_expired(today) {
            warnings.push(meta_finding(
                "expired-suppression",
                config_file,
                target,
                format!(
                    "the `ignore` entry for `{}` on `{target}` expired on {}, so it is not applied",
                    entry.rule,
                    entry.expires.as_deref().unwrap_or("?")
                ),
                "fix the finding, or renew the suppression with a new `expires` date and reason",
            ));
        } else if !config_used[i] {
            warnings.push(meta_finding(
                "unused-suppression",
                config_file,
                target,
                format!("the `ignore` entry for `{}` on `{target}` matched no finding", entry.rule),
                "remove the entry, or check the rule code and resource",
            ));
        }
    }
    kept.extend(warnings);
    kept
}
