//! Unit tests for the policy: built-in rules and their Guard test files, user rules, headers, reports, templates.

use super::guard::{pt_index, read_report, run_rule, strip_locations};
use super::header::parse_meta;
use super::*;
use crate::finding::Level;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;

/// `rules/` of this crate. `file!()` is `src/policy/tests.rs` relative to the manifest here, or an
/// absolute path when the file is compiled into another crate through `#[path]`.
fn rules_dir() -> PathBuf {
    let this_file = Path::new(file!());
    let crate_dir = this_file.ancestors().nth(3).unwrap_or(Path::new(""));
    Path::new(env!("CARGO_MANIFEST_DIR")).join(crate_dir).join("rules")
}

#[derive(Debug, Deserialize)]
struct TestCase {
    name: String,
    input: Value,
    expectations: Expectations,
}

#[derive(Debug, Deserialize)]
struct Expectations {
    rules: BTreeMap<String, String>,
}

fn builtin_rule(code: &str) -> RuleSet {
    let all = RuleSet::builtin();
    let rule = all.find(code).expect("built-in rule").clone();
    RuleSet { rules: vec![rule] }
}

/// A PT every built-in rule passes.
pub(super) fn healthy_pt(resource: &str) -> Value {
    json!({
        "resource": resource, "file": "infra/plan.json", "line": 12,
        "resource_type": "aws_bedrock_provisioned_model_throughput", "shape": "terraform",
        "model": "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0:200k",
        "model_kind": "foundation", "base_model": "anthropic.claude-3-5-sonnet-20240620-v1:0:200k",
        "model_units": 2, "commitment": "SixMonths", "region": "us-east-1", "tags": {},
        "plan_action": "create",
        "cost": {"priced": true, "hourly_rate": "25.00", "hourly_cost": "50.00",
                 "monthly_cost": "36500.00", "commitment_total": "219000.00",
                 "rate_source": "config", "config_snippet": "pricing: []"},
        "budgets": {"count": 1, "covering": ["HostingBudget"], "monthly_limit": "40000.00",
                    "covered_monthly_cost": "36500.00", "limit_below_cost": false},
        "usage": {"present": true, "observed_days": 120, "required_days": 90,
                  "days_sufficient": true, "monthly_input_tokens": 9000000000_u64,
                  "monthly_output_tokens": 1800000000_u64, "on_demand_monthly_cost": "54000.00",
                  "break_even_input_tokens": 6083333333_u64,
                  "break_even_output_tokens": 1216666666_u64, "below_break_even": false,
                  "utilization": "0.80", "utilization_low": false, "source": "config"},
        "alarms": {"low_utilization": 1, "other_bedrock": 0, "names": ["ChatIdleAlarm"]}
    })
}

pub(super) fn facts(pts: Vec<Value>) -> Value {
    json!({"policy": {"min_observed_days": {"OneMonth": 30, "SixMonths": 90}}, "throughputs": pts})
}

/// Runs every case of every `rules/tests/*_tests.yaml` through the same path as `evaluate`,
/// so `cargo test` and `cfn-guard test` check the same expectations.
#[test]
fn guard_test_files_pass() {
    let tests_dir = rules_dir().join("tests");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&tests_dir)
        .expect("rules/tests")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.to_string_lossy().ends_with("_tests.yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= BUILTIN.len(), "too few test files in {tests_dir:?}");
    let mut problems = Vec::new();
    let mut cases_run = 0;
    for file in files {
        let stem = file
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix("_tests.yaml"))
            .expect("test file name")
            .to_string();
        let guard_path = rules_dir().join(format!("{stem}.guard"));
        let source = std::fs::read_to_string(&guard_path).expect("rule file for tests file");
        let meta = parse_meta(&source, &stem, BUILTIN_ORIGIN).expect("header");
        let rules = RuleSet { rules: vec![Rule { meta, source }] };
        let text = std::fs::read_to_string(&file).expect("tests file");
        let cases: Vec<TestCase> = serde_yaml::from_str(&text).expect("tests yaml");
        for case in cases {
            cases_run += 1;
            let data = case.input.to_string();
            let report = run_rule(&rules.rules[0], &data).expect("guard runs");
            let violations = evaluate(&rules, &case.input).expect("evaluate");
            for (guard_rule, expected) in &case.expectations.rules {
                let got = report.statuses.get(guard_rule).map(String::as_str);
                if got != Some(expected.as_str()) {
                    problems.push(format!("{stem}: `{}`: {guard_rule} expected {expected}, got {got:?}", case.name));
                }
                let failed = expected == "FAIL";
                if failed == violations.is_empty() {
                    problems
                        .push(format!("{stem}: `{}`: expected {expected}, evaluate gave {violations:?}", case.name));
                }
            }
            for v in &violations {
                if v.message.is_empty() || v.message.contains('{') || v.message.contains('}') {
                    problems.push(format!("{stem}: `{}`: bad message {:?}", case.name, v.message));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(cases_run >= 4 * BUILTIN.len());
}

#[test]
fn builtin_headers_are_complete() {
    let rules = RuleSet::builtin();
    assert_eq!(rules.rules.len(), BUILTIN.len());
    let mut codes = std::collections::BTreeSet::new();
    let mut names = std::collections::BTreeSet::new();
    for ((stem, source), rule) in BUILTIN.iter().zip(&rules.rules) {
        let meta = parse_meta(source, stem, BUILTIN_ORIGIN).expect("built-in header parses");
        assert_eq!(&meta, &rule.meta);
        let code = &meta.code;
        assert!(
            code.len() == 5 && code.starts_with("PT") && code[2..].chars().all(|c| c.is_ascii_digit()),
            "{stem}: code {code}"
        );
        assert!(codes.insert(code.clone()), "duplicate code {code}");
        assert!(names.insert(meta.name.clone()), "duplicate name {}", meta.name);
        let name = &meta.name;
        assert!(
            !name.is_empty()
                && name
                    .split('-')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
            "{stem}: name `{name}` is not kebab-case"
        );
        for banned in ["avoid-", "prefer-", "use-", "disallow-"] {
            assert!(!name.starts_with(banned), "{stem}: name `{name}` names the fix");
        }
        assert!(meta.docs.contains("## What it does"), "{stem}: docs");
        assert!(meta.docs.contains("## Why is this bad?"), "{stem}: docs");
        assert!(meta.docs.contains("## Example"), "{stem}: docs");
        assert!(!meta.summary.is_empty(), "{stem}: summary");
        assert!(meta.help.is_some(), "{stem}: help");
        assert_eq!(meta.origin, "built-in");
        let tests = rules_dir().join("tests").join(format!("{stem}_tests.yaml"));
        assert!(tests.is_file(), "{stem}: missing {tests:?}");
        // One Guard rule per file, so the tests file's expectation names it.
        let guard_rules: Vec<&str> = source.lines().filter_map(|l| l.strip_prefix("rule ")).collect();
        assert_eq!(guard_rules.len(), 1, "{stem}: one Guard rule per file");
        // From a code to its file with one look: the file, and its Guard rule, are the name in snake_case.
        assert_eq!(stem.replace('_', "-"), *name, "{stem}: file name is not the rule name");
        assert!(guard_rules[0].starts_with(&format!("{stem} ")), "{stem}: Guard rule is not named after the file");
    }
    // PT001-PT010 are the mission rules; later rules take the codes after them (each code lives in its rule's header).
    let expected: Vec<String> = (1..=13).map(|n| format!("PT{n:03}")).collect();
    assert_eq!(codes.into_iter().collect::<Vec<_>>(), expected);
    let credits = rules.find("commitment-outlives-credits").expect("commitment-outlives-credits");
    assert_eq!((credits.meta.level, credits.meta.reports_on), (Level::Warning, Anchor::Commitment));
    let pt006 = rules.find("PT006").expect("PT006");
    assert_eq!(pt006.meta.name, "nonexistent-provisioned-throughput-type");
    assert_eq!(pt006.meta.reports_on, Anchor::Resource);
    assert_eq!(rules.find("pt003").map(|r| r.meta.level), Some(Level::Error));
    // The mission fails builds on a missing utilization alarm and on a budget below standing cost.
    assert_eq!(rules.find("PT002").map(|r| r.meta.level), Some(Level::Error));
    assert_eq!(rules.find("PT005").map(|r| r.meta.level), Some(Level::Error));
    assert_eq!(rules.find("PT008").map(|r| r.meta.level), Some(Level::Error));
    assert_eq!(rules.find("PT009").map(|r| r.meta.level), Some(Level::Error));
    assert_eq!(rules.find("PT010").map(|r| r.meta.level), Some(Level::Warning));
    // Model retired: an error, a warning when the PT already exists on a Legacy model.
    let pt011 = rules.find("model-retired").expect("PT011");
    assert_eq!((pt011.meta.code.as_str(), pt011.meta.level), ("PT011", Level::Error));
    assert_eq!(pt011.meta.warning_when.as_deref(), Some("lifecycle.existing_on_legacy"));
    assert_eq!(rules.find("Missing-Utilization-Alarm").map(|r| r.meta.code.as_str()), Some("PT005"));
    assert_eq!(rules.find("PT004").map(|r| r.meta.reports_on), Some(Anchor::Commitment));
    assert_eq!(rules.find("PT008").map(|r| r.meta.reports_on), Some(Anchor::Value));
    assert_eq!(rules.find("commitment_without_usage_evidence").map(|r| r.meta.code.as_str()), Some("PT003"));
    assert!(rules.find("PT999").is_none());
}

#[test]
fn worked_example_pt004_message() {
    let mut pt = healthy_pt("aws_bedrock_provisioned_model_throughput.chat");
    pt["usage"] = json!({
        "present": true, "observed_days": 120, "required_days": 90, "days_sufficient": true,
        "monthly_input_tokens": 3000000000_u64, "monthly_output_tokens": 600000000_u64,
        "on_demand_monthly_cost": "18000.00", "break_even_input_tokens": 6083333333_u64,
        "break_even_output_tokens": 1216666666_u64, "below_break_even": true,
        "utilization": null, "utilization_low": null, "source": "config"
    });
    let rules = RuleSet::builtin();
    let violations = evaluate(&rules, &facts(vec![pt])).expect("evaluate");
    let codes: Vec<&str> = violations.iter().map(|v| rules.rules[v.rule].meta.code.as_str()).collect();
    assert_eq!(codes, ["PT004"]);
    let message = &violations[0].message;
    for needle in ["$18,000.00", "$36,500.00", "6.08B", "1.22B", "break-even", "`SixMonths`"] {
        assert!(message.contains(needle), "{needle} missing from {message}");
    }
    assert!(message.starts_with("commitment `SixMonths` on `aws_bedrock_provisioned_model_throughput.chat`"));
    assert!(!message.contains("days of usage evidence"), "days were sufficient: {message}");
    let help = violations[0].help.as_deref().expect("help");
    assert!(help.contains("`aws_bedrock_provisioned_model_throughput.chat`"), "{help}");
}

#[test]
fn failures_map_to_throughputs_and_sort() {
    let ok = healthy_pt("ok");
    let mut short = healthy_pt("short");
    short["usage"]["observed_days"] = json!(10);
    short["usage"]["utilization_low"] = json!(true);
    short["usage"]["utilization"] = json!("0.05");
    short["alarms"] = json!({"low_utilization": 0, "other_bedrock": 2, "names": ["A", "B"]});
    let mut gone = healthy_pt("gone");
    gone["plan_action"] = json!("delete");
    gone["cost"]["priced"] = json!(false);
    let mut custom = healthy_pt("custom");
    custom["model_kind"] = json!("custom");
    custom["plan_action"] = json!(null);
    custom["commitment"] = json!(null);
    custom["model_units"] = json!(null);
    custom["budgets"] = json!({"count": 0, "covering": [], "monthly_limit": null,
                                   "covered_monthly_cost": null, "limit_below_cost": null});
    let rules = RuleSet::builtin();
    let doc = facts(vec![ok, short, gone, custom]);
    let violations = evaluate(&rules, &doc).expect("evaluate");
    let got: Vec<(usize, &str)> =
        violations.iter().map(|v| (v.throughput, rules.rules[v.rule].meta.code.as_str())).collect();
    assert_eq!(got, [(1, "PT004"), (1, "PT005"), (3, "PT001")]);
    // Two clauses of PT004 failed for `short`: both conditions are named, once each.
    let pt004 = &violations[0].message;
    assert_eq!(pt004.matches("; ").count(), 1, "{pt004}");
    assert!(pt004.contains("rests on 10 days of usage evidence, fewer than the 90"), "{pt004}");
    assert!(pt004.contains("measured utilization is 5%"), "{pt004}");
    let pt005 = &violations[1].message;
    assert!(pt005.contains("only throttle/high-usage alarms watch it (`A`, `B`)"), "{pt005}");
    assert!(violations[2].message.starts_with("`custom` serves custom model"), "{}", violations[2].message);
}

#[test]
fn pt005_message_without_other_alarms() {
    let mut pt = healthy_pt("lonely");
    pt["alarms"] = json!({"low_utilization": 0, "other_bedrock": 0, "names": [], "near_miss": ""});
    let violations = evaluate(&builtin_rule("PT005"), &facts(vec![pt])).expect("evaluate");
    assert_eq!(violations.len(), 1);
    assert_eq!(
        violations[0].message,
        "no CloudWatch alarm watches the utilization of `lonely`, so idle capacity at $36,500.00/month goes unnoticed"
    );
}

#[test]
fn pt007_help_shows_config_snippet() {
    let mut pt = healthy_pt("mystery");
    pt["cost"] = json!({"priced": false, "hourly_rate": null, "hourly_cost": null,
                            "monthly_cost": null, "commitment_total": null, "rate_source": null,
                            "config_snippet": "pricing:\n  - model: x\n",
                            "unknown": {"monthly_cost": {"why": "its standing cost is unknown: no rate",
                                                         "supply": "add the rate (negotiated or published) to `.ptlint.yaml`"}}});
    let violations = evaluate(&builtin_rule("unpriced-throughput"), &facts(vec![pt])).expect("evaluate");
    assert_eq!(violations.len(), 1);
    assert_eq!(
        violations[0].help.as_deref(),
        Some("add the rate (negotiated or published) to `.ptlint.yaml`:\npricing:\n  - model: x\n")
    );
}

#[test]
fn pt007_help_says_how_to_supply_what_is_missing() {
    let mut pt = healthy_pt("mystery");
    let why =
        json!({"why": "its standing cost is unknown: units", "supply": "give template parameter `Units` a `Default`"});
    pt["cost"] = json!({"priced": false, "monthly_cost": null, "unpriced_reason": "units",
                        "unknown": {"monthly_cost": why}});
    let violations = evaluate(&builtin_rule("unpriced-throughput"), &facts(vec![pt.clone()])).expect("evaluate");
    assert_eq!(violations[0].help.as_deref(), Some("give template parameter `Units` a `Default`"));
    // Nothing to supply (the reason says it all): no help rather than an empty one.
    pt["cost"]["unknown"]["monthly_cost"] = json!({"why": "its standing cost is unknown: units"});
    let violations = evaluate(&builtin_rule("unpriced-throughput"), &facts(vec![pt])).expect("evaluate");
    assert_eq!(violations[0].help, None);
}

#[test]
fn empty_and_missing_throughputs_give_nothing() {
    let rules = RuleSet::builtin();
    assert!(evaluate(&rules, &facts(vec![])).expect("evaluate").is_empty());
    assert!(evaluate(&rules, &json!({})).expect("evaluate").is_empty());
}

#[test]
fn user_rules_from_a_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
            dir.path().join("acme_team_tag.guard"),
            "# Code: ACME001\n# Name: throughput-without-team-tag\n# Level: warning\n\
             # Reports on: resource\n# Summary: a PT has no `team` tag\n# Docs:\n# ## What it does\n\
             # Flags PTs without a team tag.\n\n\
             rule acme_team_tag {\n  throughputs[*] {\n    tags.team exists << `{resource}` has no `team` tag >>\n  }\n}\n",
        )
        .expect("write");
    std::fs::write(
        dir.path().join("big_units.guard"),
        "# keep PTs small\nrule big_units {\n  throughputs[ model_units is_int ] {\n    model_units <= 4\n  }\n}\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("notes.txt"), "not a rule").expect("write");
    let mut rules = RuleSet::builtin();
    rules.load_dir(dir.path()).expect("load");
    assert_eq!(rules.rules.len(), BUILTIN.len() + 2);

    let acme = rules.find("acme001").expect("by code");
    assert_eq!(acme.meta.name, "throughput-without-team-tag");
    assert_eq!(acme.meta.level, Level::Warning);
    assert_eq!(acme.meta.docs, "## What it does\nFlags PTs without a team tag.");
    assert!(acme.meta.origin.ends_with("acme_team_tag.guard"));
    let big = rules.find("big-units").expect("by name from file stem");
    assert_eq!(big.meta.code, "BIG_UNITS");
    assert_eq!(big.meta.level, Level::Error);
    assert_eq!(big.meta.reports_on, Anchor::Resource);
    assert!(big.meta.help.is_none());

    let mut pt = healthy_pt("huge");
    pt["model_units"] = json!(8);
    pt["tags"] = json!({"owner": "x"});
    let violations = evaluate(&rules, &facts(vec![pt])).expect("evaluate");
    let by_code: Vec<(&str, &str)> =
        violations.iter().map(|v| (rules.rules[v.rule].meta.code.as_str(), v.message.as_str())).collect();
    assert_eq!(by_code.len(), 2, "{by_code:?}");
    assert_eq!(by_code[0], ("ACME001", "`huge` has no `team` tag"));
    // Headerless and without `<< >>`: Guard's own text, so the user still learns why.
    assert_eq!(by_code[1].0, "BIG_UNITS");
    assert!(by_code[1].1.contains("/throughputs/0/model_units"), "{}", by_code[1].1);
    assert!(!by_code[1].1.contains("[L:"), "{}", by_code[1].1);
}

#[test]
fn user_rule_errors_name_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("broken.guard"), "rule broken {\n  throughputs[*] {\n    model_units <=\n")
        .expect("write");
    let err = RuleSet::builtin().load_dir(dir.path()).expect_err("parse error");
    assert!(matches!(err, PolicyError::Parse { .. }), "{err:?}");
    assert!(err.to_string().contains("broken.guard"), "{err}");

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("loud.guard"), "# Level: fatal\nrule loud { throughputs exists }\n").expect("write");
    let err = RuleSet::builtin().load_dir(dir.path()).expect_err("bad level");
    assert!(matches!(err, PolicyError::Header { .. }), "{err:?}");
    assert!(err.to_string().contains("loud.guard") && err.to_string().contains("fatal"), "{err}");

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("mine.guard"), "# Code: PT001\nrule mine { throughputs exists }\n").expect("write");
    let err = RuleSet::builtin().load_dir(dir.path()).expect_err("duplicate");
    assert!(matches!(err, PolicyError::Duplicate { .. }), "{err:?}");

    let err = RuleSet::builtin().load_dir(&dir.path().join("nope")).expect_err("missing dir");
    assert!(matches!(err, PolicyError::Read { .. }), "{err:?}");
}

#[test]
fn templates_render_facts() {
    let pt = json!({
        "resource": "chat", "model_units": 2, "commitment": null,
        "cost": {"monthly_cost": "36500.00", "odd": "1234567.895", "tiny": "0.004", "neg": "-1500.5"},
        "usage": {"break_even_input_tokens": 6083333333_u64, "small": 999, "edge": 999995000,
                  "flat": 3000000000_u64, "half": 1500000, "utilization": "0.40", "u2": "0.125"},
        "budgets": {"covering": ["A", "B"], "none": []},
        "flag": true
    });
    let cases = [
            ("`{resource}` has {model_units} MUs", "`chat` has 2 MUs"),
            ("{cost.monthly_cost|usd}", "$36,500.00"),
            ("{cost.odd|usd} {cost.tiny|usd} {cost.neg|usd}", "$1,234,567.90 $0.00 -$1,500.50"),
            ("{model_units|usd}", "$2.00"),
            ("{usage.break_even_input_tokens|tokens}", "6.08B"),
            ("{usage.small|tokens} {usage.edge|tokens} {usage.flat|tokens} {usage.half|tokens}", "999 1B 3B 1.5M"),
            ("{usage.utilization|percent} {usage.u2|percent}", "40% 12.5%"),
            ("{budgets.covering} / {budgets.covering|code} / {budgets.none|code}", "A, B / `A`, `B` / none"),
            ("{commitment} {missing.path} {cost.missing|usd} {usage|tokens}", "unknown unknown unknown {\"break_even_input_tokens\":6083333333,\"edge\":999995000,\"flat\":3000000000,\"half\":1500000,\"small\":999,\"u2\":\"0.125\",\"utilization\":\"0.40\"}"),
            ("{resource|nosuchfilter} {flag}", "chat true"),
            ("literal {braces with spaces} and {} and {", "literal {braces with spaces} and {} and {"),
            ("{cost.monthly_cost", "{cost.monthly_cost"),
        ];
    for (template, expected) in cases {
        let got = render_template(template, &pt);
        // Map key order depends on serde_json's `preserve_order`, which cfn-guard switches on.
        if template.contains("{usage|tokens}") {
            assert!(got.starts_with("unknown unknown unknown {"), "{got}");
            continue;
        }
        assert_eq!(got, expected, "template {template}");
    }
    assert_eq!(render_template("{resource}", &Value::Null), "unknown");
}

#[test]
fn header_parsing() {
    let source = "\n# Code: X1\n# Some other comment: ignored\n# name: lower-key\n# Help: one\\ntwo\n# Docs: first\n#\n# ## What it does\n#   indented\n\nrule x { a exists }\n# Code: not header\n";
    let meta = parse_meta(source, "file_stem", "f.guard").expect("meta");
    assert_eq!(meta.code, "X1");
    assert_eq!(meta.name, "lower-key");
    assert_eq!(meta.help.as_deref(), Some("one\ntwo"));
    assert_eq!(meta.docs, "first\n\n## What it does\n  indented");
    assert_eq!(meta.level, Level::Error);
    assert!(parse_meta("# Reports on: nowhere\n", "s", "o").is_err());
    let meta = parse_meta(
        "# Level: warning   (error | warning | note)\n# Reports on: commitment (commitment | model | resource)\n",
        "s",
        "o",
    )
    .expect("parenthetical after the value");
    assert_eq!((meta.level, meta.reports_on), (Level::Warning, Anchor::Commitment));
    assert_eq!(
        strip_locations("[Path=/throughputs/0/tags[L:0,C:51] Value={}] [L:x] [L:1,C:]"),
        "[Path=/throughputs/0/tags Value={}] [L:x] [L:1,C:]"
    );
}

/// Recorded report shapes: a Disjunction whose first clause has no message, an unresolved
/// clause that only reaches `/throughputs/<N>`, a Block, a nested named-rule call, and a
/// clause that points nowhere.
#[test]
fn report_parsing_tolerates_variants() {
    let report = json!({
        "name": "facts.json", "metadata": {}, "status": "FAIL",
        "not_compliant": [{"Rule": {"name": "r", "metadata": {}, "messages": {"custom_message": null, "error_message": null},
          "checks": [
            {"Disjunctions": {"checks": [
              {"Clause": {"Unary": {"context": "x", "messages": {"custom_message": "", "error_message": "e"},
                 "check": {"Resolved": {"value": {"path": "/throughputs/2/usage/below_break_even", "value": true}, "comparison": ["IsBool", true]}}}}},
              {"Clause": {"Binary": {"context": "x", "messages": {"custom_message": "  below\n   break-even ", "error_message": "e"},
                 "check": {"Resolved": {"from": {"path": "/throughputs/2/usage/below_break_even", "value": true},
                                        "to": {"path": "", "value": true}, "comparison": ["Eq", true]}}}}}]}},
            {"Clause": {"Binary": {"context": "x", "messages": {"custom_message": null, "error_message": "missing"},
               "check": {"UnResolved": {"value": {"traversed_to": {"path": "/throughputs/11", "value": {}},
                         "remaining_query": "cost.priced", "reason": "r"}, "comparison": ["Eq", false]}}}}},
            {"Block": {"context": "b", "messages": {"custom_message": "block msg", "error_message": null},
               "unresolved": {"traversed_to": {"path": "/throughputs/5/alarms", "value": {}}, "remaining_query": "x", "reason": "r"}}},
            {"Rule": {"name": "inner", "metadata": {}, "messages": {"custom_message": null, "error_message": null},
              "checks": [{"Clause": {"Binary": {"context": "x", "messages": {"custom_message": "inner msg", "error_message": "e"},
                "check": {"InResolved": {"from": {"path": "/throughputs/2/commitment", "value": "SixMonths"},
                                         "to": [{"path": "", "value": "OneMonth"}], "comparison": ["In", false]}}}}}]}},
            {"Clause": {"Binary": {"context": "x", "messages": {"custom_message": "policy only", "error_message": "e"},
               "check": {"Resolved": {"from": {"path": "/policy/min_observed_days/SixMonths", "value": 90},
                                      "to": {"path": "", "value": 100}, "comparison": ["Ge", false]}}}}},
            {"Clause": {"Unary": {"context": "x", "messages": {"custom_message": null,
               "error_message": "Check was not compliant as property [Path=/throughputs/7/tags[L:0,C:0]] was empty"},
               "check": {"UnResolvedContext": "tags"}}}}
          ]}}],
        "not_applicable": ["s"], "compliant": ["p"]
    });
    let out = read_report(&report);
    assert_eq!(out.statuses.get("r").map(String::as_str), Some("FAIL"));
    assert_eq!(out.statuses.get("s").map(String::as_str), Some("SKIP"));
    assert_eq!(out.statuses.get("p").map(String::as_str), Some("PASS"));
    assert_eq!(out.failures.keys().copied().collect::<Vec<_>>(), [2, 5, 7, 11]);
    assert_eq!(out.failures[&2].custom, ["below break-even", "inner msg"]);
    assert_eq!(out.failures[&5].custom, ["block msg"]);
    assert!(out.failures[&11].custom.is_empty());
    assert_eq!(out.failures[&11].fallback.as_deref(), Some("missing"));
    assert!(out.failures[&7].fallback.as_deref().is_some_and(|f| f.contains("/throughputs/7/")));
    assert_eq!(pt_index("/throughputs/12x"), None);
    assert_eq!(pt_index("/throughputs/"), None);
    assert_eq!(pt_index("/throughputs/3[L:0,C:0]"), Some(3));
}

/// PTs that between them fail every built-in rule, and one that passes them all.
pub(super) fn mixed_pts() -> Vec<Value> {
    let mut custom = healthy_pt("custom");
    custom["model_kind"] = json!("custom");
    custom["budgets"] = json!({"count": 0, "covering": []});
    let mut unproven = healthy_pt("unproven");
    unproven["usage"] = json!({"present": false, "required_days": 90});
    let mut short = healthy_pt("short");
    short["usage"]["observed_days"] = json!(20);
    short["usage"]["below_break_even"] = json!(true);
    let mut idle = healthy_pt("idle");
    idle["alarms"] = json!({"low_utilization": 0, "other_bedrock": 1, "names": ["Throttles"]});
    idle["budgets"]["limit_below_cost"] = json!(true);
    let mut fake = healthy_pt("fake");
    fake["shape"] = json!("nonexistent-native-type");
    fake["cost"] = json!({"priced": false, "unpriced_reason": "no rate"});
    vec![healthy_pt("ok"), custom, unproven, short, idle, fake]
}

#[test]
fn one_guard_call_for_all_rules_reports_what_separate_calls_do() {
    let doc = facts(mixed_pts());
    let rules = RuleSet::builtin();
    let data = doc.to_string();
    let together: Vec<_> = super::guard::run_rules(&rules.rules, &data).into_iter().map(Result::unwrap).collect();
    let apart: Vec<_> = super::guard::run_separately(&rules.rules, &data).into_iter().map(Result::unwrap).collect();
    assert_eq!(together.len(), apart.len());
    let mut failing_rules = 0;
    for (joint, single) in together.iter().zip(&apart) {
        assert_eq!(joint.statuses, single.statuses);
        assert_eq!(joint.failures.keys().collect::<Vec<_>>(), single.failures.keys().collect::<Vec<_>>());
        for (pt, messages) in &joint.failures {
            assert_eq!(messages.custom, single.failures[pt].custom);
        }
        failing_rules += usize::from(!joint.failures.is_empty());
    }
    assert_eq!(failing_rules, 7, "every built-in rule fails for some PT");
}
