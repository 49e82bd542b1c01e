//! `ptlint rules` (table, Markdown, JSON) and `ptlint explain`: the Guard rules plus ptlint's own meta rules.

use super::text::{md_message, md_text, visible};
use crate::cli::RulesFormat;
use crate::finding::Level;
use crate::policy::{Anchor, RuleSet};
use crate::suppress::{docs_url, META_RULES};
use serde_json::{json, Value};

/// What the reports need to know about one rule, whether a Guard rule or one of [`META_RULES`].
#[derive(Debug, Clone, PartialEq)]
pub struct RuleInfo<'a> {
    /// Stable code, e.g. `PT001`.
    pub code: &'a str,
    /// Kebab-case name.
    pub name: &'a str,
    /// Default level.
    pub level: Level,
    /// The node a Guard rule's findings point at; `None` for meta rules.
    pub reports_on: Option<Anchor>,
    /// One line.
    pub summary: &'a str,
    /// Help template of a Guard rule.
    pub help: Option<&'a str>,
    /// Markdown documentation (empty for meta rules).
    pub docs: &'a str,
    /// `built-in` or the path of the user's rule file.
    pub origin: &'a str,
}

impl RuleInfo<'_> {
    /// Where the rule is documented (`None` for a user's rule: `ptlint explain` prints its docs).
    pub fn url(&self) -> Option<String> {
        docs_url(self.code, self.name, self.origin)
    }
}

/// Every rule a run can report: the rule set in its order, then the meta rules PT900-PT903.
pub fn catalog(rules: &RuleSet) -> Vec<RuleInfo<'_>> {
    let guard = rules.rules.iter().map(|r| RuleInfo {
        code: &r.meta.code,
        name: &r.meta.name,
        level: r.meta.level,
        reports_on: Some(r.meta.reports_on),
        summary: &r.meta.summary,
        help: r.meta.help.as_deref(),
        docs: &r.meta.docs,
        origin: &r.meta.origin,
    });
    let meta = META_RULES.iter().map(|(code, name, summary)| RuleInfo {
        code,
        name,
        level: crate::suppress::meta_level(code),
        reports_on: None,
        summary,
        help: None,
        docs: "",
        origin: "built-in",
    });
    guard.chain(meta).collect()
}

fn table(rules: &[RuleInfo]) -> String {
    let mut rows = vec![["CODE", "NAME", "LEVEL", "SUMMARY"].map(str::to_string).to_vec()];
    rows.extend(rules.iter().map(|r| {
        vec![
            visible(r.code).into_owned(),
            visible(r.name).into_owned(),
            r.level.as_str().to_string(),
            visible(r.summary).into_owned(),
        ]
    }));
    super::format::aligned(&rows, &[false; 4])
}

/// The Markdown rule table that the README embeds verbatim.
fn markdown(rules: &[RuleInfo]) -> String {
    let mut out = String::from("| Code | Name | Level | Summary |\n|---|---|---|---|\n");
    for r in rules {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            md_text(r.code, true),
            md_text(r.name, true),
            r.level.as_str(),
            md_message(r.summary, true)
        ));
    }
    out
}

fn json_value(rules: &[RuleInfo]) -> Value {
    let list: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "reports_on": r.reports_on.map(Anchor::as_str),
                "summary": r.summary,
                "help": r.help,
                "docs_url": r.url(),
                "origin": r.origin,
            })
        })
        .collect();
    json!({ "version": super::json::VERSION, "rules": list })
}

/// Render `ptlint rules` in the chosen format.
pub fn render(rules: &RuleSet, format: RulesFormat) -> String {
    let catalog = catalog(rules);
    match format {
        RulesFormat::Table => super::text::no_workflow_commands(table(&catalog)),
        RulesFormat::Markdown => super::text::no_workflow_commands(markdown(&catalog)),
        RulesFormat::Json => {
            let mut text = serde_json::to_string_pretty(&json_value(&catalog)).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

/// The book's page for one rule (`docs/rules/<name>.md`): the same header and docs `ptlint explain` prints, as
/// Markdown. The pages are generated from this (tests/docs.rs), so the book and `explain` never disagree.
pub fn page(rule: &RuleInfo) -> String {
    let reports_on = rule.reports_on.map_or("ptlint's own inputs", Anchor::as_str);
    let mut out = format!("# {} {}\n\n", rule.code, rule.name);
    out.push_str("| Level | Reports on | Summary |\n|---|---|---|\n");
    out.push_str(&format!("| {} | {reports_on} | {} |\n", rule.level.as_str(), md_message(rule.summary, true)));
    let docs = rule.docs.trim();
    if docs.is_empty() {
        out.push_str(
            "\nptlint raises this finding itself while reading its inputs (suppressions, usage evidence, module \
             calls); it is not a Guard rule. Like any finding it can be made to fail the run with `--fail-on`.\n",
        );
    } else {
        out.push('\n');
        out.push_str(docs);
        out.push('\n');
    }
    out
}

/// `ptlint explain CODE|NAME`: a header (code, name, level, what it reports on, summary) and the docs.
pub fn explain(rules: &RuleSet, code_or_name: &str) -> Option<String> {
    let wanted = code_or_name.trim();
    let catalog = catalog(rules);
    let rule = catalog.iter().find(|r| r.code.eq_ignore_ascii_case(wanted) || r.name.eq_ignore_ascii_case(wanted))?;
    let reports_on = match rule.reports_on {
        Some(anchor) => anchor.as_str(),
        None => "ptlint's own inputs (suppressions, usage entries); not a Guard rule",
    };
    // A user's rule file may hold anything: its texts are shown with their control characters made visible.
    let mut out = format!("{} {}\n\n", visible(rule.code), visible(rule.name));
    out.push_str(&format!("  Level:      {}\n", rule.level.as_str()));
    out.push_str(&format!("  Reports on: {reports_on}\n"));
    out.push_str(&format!("  Summary:    {}\n", visible(rule.summary)));
    if rule.origin != "built-in" {
        out.push_str(&format!("  Origin:     {}\n", visible(rule.origin)));
    }
    if let Some(url) = rule.url() {
        out.push_str(&format!("  Docs:       {}\n", visible(&url)));
    }
    let docs = rule.docs.trim();
    if docs.is_empty() {
        if rule.reports_on.is_none() {
            out.push_str(
                "\nptlint raises this warning itself while reading suppressions and usage evidence. \
                 Like any finding it can be made to fail the run with `--fail-on warning`.\n",
            );
        }
    } else {
        out.push('\n');
        for line in docs.lines() {
            out.push_str(&visible(line));
            out.push('\n');
        }
    }
    Some(super::text::no_workflow_commands(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_lists_guard_rules_then_meta_rules() {
        let set = RuleSet::builtin();
        let catalog = catalog(&set);
        assert_eq!(catalog.len(), set.rules.len() + META_RULES.len());
        assert_eq!(catalog.last().map(|r| r.code), META_RULES.last().map(|m| m.0));
    }

    #[test]
    fn explain_finds_rules_by_code_or_name_in_any_case() {
        let set = RuleSet::builtin();
        let by_code = explain(&set, "pt001").unwrap();
        let name = &set.rules[0].meta.name;
        assert_eq!(explain(&set, name).unwrap(), by_code);
        assert!(by_code.starts_with(&format!("{} {name}\n", set.rules[0].meta.code)));
        let meta = explain(&set, "unused-suppression").unwrap();
        assert!(meta.starts_with("PT900 unused-suppression\n"), "{meta}");
        assert!(explain(&set, "PT999").is_none());
    }

    #[test]
    fn markdown_table_has_one_row_per_rule() {
        let set = RuleSet::builtin();
        let text = render(&set, RulesFormat::Markdown);
        assert!(text.starts_with("| Code | Name | Level | Summary |\n|---|---|---|---|\n"));
        assert_eq!(text.lines().count(), 2 + set.rules.len() + META_RULES.len());
    }
}
