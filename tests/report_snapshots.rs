//! Snapshots of every report format over the small fixtures in `fixtures/report/`, SARIF schema validation
//! and fingerprint stability. Runs from the crate root (cargo's working directory for tests), so paths are relative.

use ptlint::cli::{CostFormat, Format, RulesFormat};
use ptlint::engine::{analyze, Analysis, Options};
use ptlint::policy::RuleSet;
use ptlint::report;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// 2024-10-04: suppressions are judged against a fixed day.
const TODAY: i64 = 20_000;
const CONFIG: &str = "fixtures/report/ptlint.yaml";
/// A CloudFormation PT failing PT001, PT003 and PT005, and a Terraform PT failing PT002.
const MAIN: &[&str] = &["fixtures/report/cfn", "fixtures/report/tf"];
/// A Terraform plan that creates a priced and an unpriced PT and deletes one.
const PLAN: &[&str] = &["fixtures/report/plan"];
/// The main fixtures plus a file that cannot be parsed.
const BROKEN: &[&str] = &["fixtures/report/cfn", "fixtures/report/tf", "fixtures/report/broken"];

fn run(paths: &[&str]) -> Analysis {
    analyze(&Options {
        paths: paths.iter().map(PathBuf::from).collect(),
        config: Some(PathBuf::from(CONFIG)),
        today: Some(TODAY),
        ..Options::default()
    })
    .expect("the fixtures analyse")
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn check_formats() {
    let analysis = run(MAIN);
    let codes: Vec<&str> = analysis.findings.iter().map(|f| f.rule.as_str()).collect();
    for code in ["PT001", "PT002", "PT003", "PT005", "PT900"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    snapshot("human", &report::render(&analysis, Format::Human, false));
    snapshot("json", &report::render(&analysis, Format::Json, false));
    snapshot("sarif", &report::render(&analysis, Format::Sarif, false));
    snapshot("github", &report::render(&analysis, Format::Github, false));
    snapshot("markdown", &report::render(&analysis, Format::Markdown, false));
}

#[test]
fn human_colour_differs_only_in_escapes() {
    let analysis = run(MAIN);
    let coloured = report::render(&analysis, Format::Human, true);
    assert!(coloured.contains('\u{1b}'), "the coloured theme emits ANSI escapes");
    let mut stripped = String::new();
    let mut chars = coloured.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ params final-byte
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            stripped.push(c);
        }
    }
    assert_eq!(stripped, report::render(&analysis, Format::Human, false));
}

#[test]
fn check_formats_with_an_input_error() {
    let analysis = run(BROKEN);
    assert_eq!(analysis.errors.len(), 1);
    snapshot("broken_human", &report::render(&analysis, Format::Human, false));
    snapshot("broken_github", &report::render(&analysis, Format::Github, false));
    let sarif = report::sarif::sarif(&analysis);
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    snapshot("broken_sarif_notifications", &serde_json::to_string_pretty(invocation).unwrap());
}

#[test]
fn cost_formats() {
    let analysis = run(MAIN);
    snapshot("cost_table", &report::cost::render(&analysis, CostFormat::Table));
    snapshot("cost_json", &report::cost::render(&analysis, CostFormat::Json));
    snapshot("cost_markdown", &report::cost::render(&analysis, CostFormat::Markdown));
}

#[test]
fn cost_and_markdown_of_a_plan() {
    let analysis = run(PLAN);
    let cost: Value = serde_json::from_str(&report::cost::render(&analysis, CostFormat::Json)).unwrap();
    assert_eq!(cost["totals"]["added_monthly_cost"], "5183.00");
    assert_eq!(cost["totals"]["removed_monthly_cost"], "14965.00");
    assert_eq!(cost["unpriced"].as_array().map(Vec::len), Some(1));
    snapshot("plan_cost_table", &report::cost::render(&analysis, CostFormat::Table));
    snapshot("plan_cost_json", &report::cost::render(&analysis, CostFormat::Json));
    snapshot("plan_markdown", &report::render(&analysis, Format::Markdown, false));
}

#[test]
fn rules_formats() {
    let rules = RuleSet::builtin();
    snapshot("rules_table", &report::rules::render(&rules, RulesFormat::Table));
    snapshot("rules_markdown", &report::rules::render(&rules, RulesFormat::Markdown));
    snapshot("rules_json", &report::rules::render(&rules, RulesFormat::Json));
    snapshot("explain_pt003", &report::rules::explain(&rules, "PT003").unwrap());
    snapshot("explain_pt900", &report::rules::explain(&rules, "unused-suppression").unwrap());
}

fn sarif_schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus/schemas/sarif/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let schema = sarif_schema();
    // The schema declares draft-04; check under draft 7 too, as GitHub's own validator is not draft-04 only.
    let validators = [
        ("draft 4", jsonschema::draft4::new(&schema).unwrap()),
        ("draft 7", jsonschema::draft7::new(&schema).unwrap()),
    ];
    for paths in [MAIN, PLAN, BROKEN] {
        let sarif = report::sarif::sarif(&run(paths));
        for (draft, validator) in &validators {
            let errors: Vec<String> =
                validator.iter_errors(&sarif).map(|e| format!("{} at {}", e, e.instance_path)).collect();
            assert!(errors.is_empty(), "{draft}, {paths:?}: {errors:#?}");
        }
    }
}

#[test]
fn sarif_meets_github_code_scanning_minimum() {
    let sarif = report::sarif::sarif(&run(MAIN));
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert!(!location["artifactLocation"]["uri"].as_str().unwrap().starts_with('/'));
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(location["region"][key].as_u64().unwrap() >= 1, "{key} in {result}");
        }
        assert!(result["partialFingerprints"][report::sarif::FINGERPRINT_KEY].is_string());
    }
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(rule[key]["text"].as_str().is_some_and(|t| !t.is_empty()), "{key} of {}", rule["id"]);
        }
    }
}

/// Fingerprints and start lines of a scan of `dir`, by rule.
fn fingerprints(dir: &Path, config: &Path) -> Vec<(String, String, u64)> {
    let options = Options {
        paths: vec![dir.to_path_buf()],
        config: Some(config.to_path_buf()),
        today: Some(TODAY),
        ..Options::default()
    };
    let analysis = analyze(&options).unwrap();
    let sarif = report::sarif::sarif(&analysis);
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["partialFingerprints"][report::sarif::FINGERPRINT_KEY].as_str().unwrap().to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_moved_lines() {
    let template = std::fs::read_to_string("fixtures/report/cfn/support.yaml").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config_dir = tempfile::tempdir().unwrap();
    let config = config_dir.path().join("ptlint.yaml");
    std::fs::write(&config, "hours_per_month: 730\n").unwrap();
    let file = dir.path().join("support.yaml");
    std::fs::write(&file, &template).unwrap();
    let before = fingerprints(dir.path(), &config);
    assert!(before.len() >= 3, "{before:?}");
    let moved = template.replacen("Resources:\n", "\n\n\nResources:\n\n", 1);
    std::fs::write(&file, moved).unwrap();
    let after = fingerprints(dir.path(), &config);
    assert_eq!(before.len(), after.len());
    for ((rule, print, line), (rule_after, print_after, line_after)) in before.iter().zip(&after) {
        assert_eq!(rule, rule_after);
        assert_eq!(print, print_after, "{rule}: the fingerprint must not depend on the line");
        assert_eq!(*line + 4, *line_after, "{rule}: the start line moves with the resource");
    }
}
