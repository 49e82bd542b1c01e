//! `ptlint rules` and `ptlint explain` (interim).

use crate::cli::RulesFormat;
use crate::policy::RuleSet;

pub fn render(rules: &RuleSet, _format: RulesFormat) -> String {
    rules.rules.iter().map(|r| format!("{} {} {}\n", r.meta.code, r.meta.name, r.meta.summary)).collect()
}

pub fn explain(rules: &RuleSet, code: &str) -> Option<String> {
    rules.find(code).map(|r| r.meta.docs.clone())
}
