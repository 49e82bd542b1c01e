//! `ignore:` entries: which findings a suppression covers, and the `*` glob that matches resources.

use super::de::de_date;
use serde::{Deserialize, Serialize};

/// A suppression: findings of `rule` on `resource` are not reported (until `expires`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    /// Rule code (`PT003`) or name (`commitment-without-usage-evidence`).
    pub rule: String,
    /// Terraform address or CloudFormation logical ID, exact or a `*` glob; absent = every resource.
    #[serde(default)]
    pub resource: Option<String>,
    /// Why the finding is accepted.
    #[serde(default)]
    pub reason: Option<String>,
    /// Last day (`YYYY-MM-DD`, inclusive) the suppression applies.
    #[serde(default, deserialize_with = "de_date")]
    pub expires: Option<String>,
}

impl IgnoreEntry {
    /// Whether this entry covers a finding of the rule (by code, case-insensitive, or by name) on `resource`.
    pub fn matches(&self, rule_code: &str, rule_name: &str, resource: &str) -> bool {
        let rule = self.rule.trim();
        let rule_matches = rule.eq_ignore_ascii_case(rule_code) || rule == rule_name;
        rule_matches && self.resource.as_deref().is_none_or(|pattern| glob_match(pattern, resource))
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
