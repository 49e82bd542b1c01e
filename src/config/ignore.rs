//! `ignore:` entries: which findings a suppression covers, and the `*` glob that matches resources.

use super::de::de_date;
use serde::{Deserialize, Serialize};

/// A suppression: findings of `rule` on `resource` are not reported (until `expires`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// Rule code (`PT003`) or name (`commitment-without-usage-evidence`).
    pub rule: String,
    /// Terraform address or CloudFormation logical ID, exact or a `*` glob; absent = every resource. It may be
    /// scoped to a path as `infra/team-a:aws_bedrock_provisioned_model_throughput.chat` (see [`split_scoped_key`]).
    #[serde(default)]
    pub resource: Option<String>,
    /// Only findings in files at or under this path (relative to the config file's directory; `*` globs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Why the finding is accepted.
    #[serde(default)]
    pub reason: Option<String>,
    /// Last day (`YYYY-MM-DD`, inclusive) the suppression applies.
    #[serde(default, deserialize_with = "de_date")]
    pub expires: Option<String>,
}

impl IgnoreEntry {
    /// Whether this entry covers a finding of the rule (by code, case-insensitive, or by name) on `resource` in
    /// `file` (relative to the config file's directory; `None` when outside it).
    pub fn matches(&self, rule_code: &str, rule_name: &str, resource: &str, file: Option<&str>) -> bool {
        let rule = self.rule.trim();
        let rule_matches = rule.eq_ignore_ascii_case(rule_code) || rule == rule_name;
        let (key_scope, pattern) = match self.resource.as_deref() {
            Some(key) => split_scoped_key(key),
            None => (None, "*"),
        };
        let in_scope = match self.path.as_deref().or(key_scope) {
            Some(scope) => file.is_some_and(|file| path_in_scope(scope, file)),
            None => true,
        };
        rule_matches && in_scope && glob_match(pattern, resource)
    }

    /// Whether the entry is limited to a path (a `path:` field or a `PATH:ADDRESS` resource).
    pub fn is_path_scoped(&self) -> bool {
        self.path.is_some() || self.resource.as_deref().is_some_and(|key| split_scoped_key(key).0.is_some())
    }

    /// Whether the entry names one resource (no glob) in no particular path, so it can collide across files.
    pub fn is_unscoped_exact(&self) -> bool {
        self.path.is_none()
            && self.resource.as_deref().is_some_and(|key| split_scoped_key(key).0.is_none() && !key.contains('*'))
    }

    /// The expiry as days since 1970-01-01 (validated at load, so `None` only when absent).
    pub fn expires_day(&self) -> Option<i64> {
        self.expires.as_deref().and_then(crate::evidence::parse_date)
    }

    /// Whether the entry has expired on `today` (days since 1970-01-01, see [`crate::evidence::today`]).
    pub fn is_expired(&self, today: i64) -> bool {
        self.expires_day().is_some_and(|last| today > last)
    }
}

/// Split a key scoped to a path, `infra/team-a:aws_bedrock_provisioned_model_throughput.chat`, into the path
/// and the address. A key without a path (or whose text before `:` is part of an address, such as a quoted
/// `for_each` key) comes back whole.
pub fn split_scoped_key(key: &str) -> (Option<&str>, &str) {
    match key.split_once(':') {
        Some((path, address)) if !path.is_empty() && !address.is_empty() && !path.contains(['[', '"', '\'']) => {
            (Some(path), address)
        }
        _ => (None, key),
    }
}

/// Whether `file` (`/`-separated, relative to the same base) is `scope`, under the directory `scope`, or
/// matches it as a `*` glob.
pub fn path_in_scope(scope: &str, file: &str) -> bool {
    let scope = scope.trim().trim_start_matches("./").trim_matches('/');
    scope.is_empty()
        || scope == "."
        || file == scope
        || file.strip_prefix(scope).is_some_and(|rest| rest.starts_with('/'))
        || glob_match(scope, file)
}

/// `*` matches any run of characters (including `.`, `[` and `"`, which Terraform addresses contain).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    // Position of the last `*` and the text index it was tried at, for backtracking.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}
