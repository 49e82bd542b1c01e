//! The book in `docs/`: a page per rule generated from the same `.guard` headers `ptlint explain` prints, a
//! summary that lists every page, and links that resolve.
//!
//! `PTLINT_BLESS_DOCS=1 cargo test --test docs` writes the rule pages and tables again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs")
}

fn bless() -> bool {
    std::env::var_os("PTLINT_BLESS_DOCS").is_some()
}

/// Compare `path` with `expected`, or write it when blessing.
fn check_file(path: &Path, expected: &str) -> Result<(), String> {
    if bless() {
        std::fs::write(path, expected).unwrap();
        return Ok(());
    }
    match std::fs::read_to_string(path) {
        Ok(text) if text == expected => Ok(()),
        Ok(_) => Err(format!("{} is stale", path.display())),
        Err(_) => Err(format!("{} is missing", path.display())),
    }
}

#[test]
fn every_rule_has_its_generated_page() {
    let rules = ptlint::engine::load_rules(None, &[]).unwrap();
    let catalog = ptlint::report::rules::catalog(&rules);
    let mut stale = Vec::new();
    let mut expected_pages = BTreeSet::new();
    for rule in &catalog {
        let name = format!("{}.md", rule.name);
        if let Err(e) = check_file(&docs().join("rules").join(&name), &ptlint::report::rules::page(rule)) {
            stale.push(e);
        }
        expected_pages.insert(name);
    }
    // The summary lists the pages in the order `ptlint rules` does.
    let summary_path = docs().join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path).unwrap();
    // The rule pages are the items under `- [Rules]` (mdBook's summary has no room for markers).
    let start =
        summary.find("- [Rules](rules/README.md)\n").expect("a Rules chapter") + "- [Rules](rules/README.md)\n".len();
    let end =
        start + summary[start..].lines().take_while(|l| l.starts_with("  - [PT")).map(|l| l.len() + 1).sum::<usize>();
    let listed: String =
        catalog.iter().map(|r| format!("  - [{} {}](rules/{}.md)\n", r.code, r.name, r.name)).collect();
    let updated = format!("{}{listed}{}", &summary[..start], &summary[end..]);
    if let Err(e) = check_file(&summary_path, &updated) {
        stale.push(e);
    }
    assert!(stale.is_empty(), "{stale:#?}\nregenerate with `PTLINT_BLESS_DOCS=1 cargo test --test docs`");
    // No page for a rule that is gone.
    let pages: BTreeSet<String> = std::fs::read_dir(docs().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md")
        .collect();
    assert_eq!(pages, expected_pages);
}

#[test]
fn a_rule_page_holds_what_explain_prints() {
    let rules = ptlint::engine::load_rules(None, &[]).unwrap();
    let catalog = ptlint::report::rules::catalog(&rules);
    let rule = catalog.iter().find(|r| r.code == "PT003").unwrap();
    let page = std::fs::read_to_string(docs().join("rules").join(format!("{}.md", rule.name))).unwrap();
    let explained = ptlint::report::rules::explain(&rules, "PT003").unwrap();
    let docs_part = &explained[explained.find("## What it does").unwrap()..];
    assert!(page.starts_with("# PT003 commitment-without-usage-evidence\n"), "{page}");
    assert!(page.ends_with(docs_part), "the page ends with the docs explain prints:\n{page}");
}

#[test]
fn the_rule_tables_are_what_ptlint_rules_prints() {
    let rules = ptlint::engine::load_rules(None, &[]).unwrap();
    let table = ptlint::report::rules::render(&rules, ptlint::cli::RulesFormat::Markdown);
    for file in [docs().join("rules/README.md"), docs().join("../README.md")] {
        let text = std::fs::read_to_string(&file).unwrap();
        let start = text.find("<!-- rules:start -->\n").expect("start marker") + "<!-- rules:start -->\n".len();
        let end = text.find("<!-- rules:end -->").expect("end marker");
        if bless() {
            let updated = format!("{}{table}{}", &text[..start], &text[end..]);
            std::fs::write(&file, updated).unwrap();
        } else {
            assert_eq!(&text[start..end], table, "{} has a stale rule table", file.display());
        }
    }
}

/// Every `[text](target.md)` in the summary names a file, and every Markdown file of the book is in the summary.
#[test]
fn the_summary_lists_every_page_and_every_link_resolves() {
    let summary = std::fs::read_to_string(docs().join("SUMMARY.md")).unwrap();
    let mut linked = BTreeSet::new();
    for part in summary.split("](").skip(1) {
        let target = &part[..part.find(')').unwrap()];
        assert!(docs().join(target).is_file(), "SUMMARY.md links to {target}, which does not exist");
        linked.insert(target.to_string());
    }
    let mut stack = vec![docs()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") && !path.ends_with("SUMMARY.md") {
                let relative = path.strip_prefix(docs()).unwrap().to_string_lossy().replace('\\', "/");
                assert!(linked.contains(&relative), "docs/{relative} is not in SUMMARY.md");
            }
        }
    }
}
