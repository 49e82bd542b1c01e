//! Per-rule fixtures: every `fixtures/<rule-name>/fail/*` triggers its rule, every `pass/*` does not.
//!
//! A fixture is a file, or (HCL) a directory holding a Terraform module (`main.tf`, tfvars, local modules).
//! A fixture may have side files, which are never templates themselves: `<fixture>.ptlint.yaml` (passed as
//! `--config`), `<fixture>.why` (why a plan fixture fails or passes; plan JSON has no place for a comment)
//! and `<fixture>.snap` (the rendered findings of a fail case). Fail cases are snapshotted as plain lines,
//! `file:line:column CODE level message` plus an indented `help:`, so a review shows where each finding points.

use ptlint::engine::{analyze, Analysis, Options};
use ptlint::finding::Finding;
use ptlint::policy::RuleSet;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A fixed day (2024-10-04), so suppression expiry never depends on when the tests run.
const TODAY: i64 = 20_000;

/// Files beside a fixture that are not templates.
const SIDE_SUFFIXES: &[&str] = &[".ptlint.yaml", ".why", ".as-of", ".snap", ".snap.new", ".pending-snap"];

/// Fixture folders that are not rules (parser and report inputs, cases parked until a bug is fixed).
const NOT_RULE_DIRS: &[&str] = &["source", "report", "hcl", "hcl-agreement", "_pending"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Format {
    CfnJson,
    CfnYaml,
    TfPlan,
    TfJson,
    /// A directory of HCL `.tf` files, evaluated as one root module.
    TfHcl,
}

const ALL_FORMATS: [Format; 5] = [Format::CfnJson, Format::CfnYaml, Format::TfPlan, Format::TfJson, Format::TfHcl];

/// The HCL file whose first line says why a directory fixture fails or passes.
const HCL_MAIN: &str = "main.tf";

/// The input format a fixture's file name announces.
fn format_of(name: &str) -> Option<Format> {
    if name.ends_with(".plan.json") {
        Some(Format::TfPlan)
    } else if name.ends_with(".tf.json") {
        Some(Format::TfJson)
    } else if name.ends_with(".json") {
        Some(Format::CfnJson)
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        Some(Format::CfnYaml)
    } else {
        None
    }
}

#[derive(Debug, Clone)]
struct Case {
    /// The folder name, which is the rule's name.
    rule_name: String,
    fails: bool,
    /// `fixtures/<rule>/<fail|pass>/<file or directory>`, `/`-separated, relative to the crate root.
    relative: String,
    file_name: String,
    format: Format,
}

impl Case {
    fn path(&self) -> PathBuf {
        root().join(&self.relative)
    }

    fn config(&self) -> Option<PathBuf> {
        let config = root().join(format!("{}.ptlint.yaml", self.relative));
        config.is_file().then_some(config)
    }

    /// The day the fixture is judged on: its `.as-of` side file, else [`TODAY`].
    fn today(&self) -> i64 {
        let path = root().join(format!("{}.as-of", self.relative));
        match std::fs::read_to_string(&path) {
            Ok(text) => ptlint::evidence::parse_date(text.trim())
                .unwrap_or_else(|| panic!("{}: not a YYYY-MM-DD date", path.display())),
            Err(_) => TODAY,
        }
    }

    fn dir(&self) -> PathBuf {
        self.path().parent().expect("fixture dir").to_path_buf()
    }
}

fn is_side_file(name: &str) -> bool {
    SIDE_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// A directory is a Terraform module fixture when it holds `.tf` files (HCL) or only `.tf.json` files (JSON
/// syntax; a directory is one module, so each such case has its own); other directories (usage evidence a
/// config points at) are not fixtures.
fn module_fixture(dir: &Path) -> Option<Format> {
    if !dir.is_dir() {
        return None;
    }
    let entries = sorted_entries(dir);
    let named = |suffix: &str| entries.iter().any(|p| p.is_file() && p.to_string_lossy().ends_with(suffix));
    if named(".tf") {
        Some(Format::TfHcl)
    } else if named(".tf.json") {
        Some(Format::TfJson)
    } else {
        None
    }
}

fn is_hcl_fixture(dir: &Path) -> bool {
    module_fixture(dir).is_some()
}

/// The file of a JSON-syntax module fixture that says why it fails or passes.
const JSON_MAIN: &str = "main.tf.json";

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(read) => read.map(|e| e.expect("dir entry").path()).collect(),
        Err(_) => Vec::new(),
    };
    entries.sort();
    entries
}

/// Every rule fixture, in a stable order.
fn cases() -> Vec<Case> {
    cases_under("fixtures")
}

/// Cases parked in `fixtures/_pending/<rule>/{fail,pass}/` because ptlint gets them wrong today.
fn pending_cases() -> Vec<Case> {
    cases_under("fixtures/_pending")
}

fn cases_under(base: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    for rule_dir in sorted_entries(&root().join(base)) {
        let rule_name = rule_dir.file_name().unwrap().to_string_lossy().into_owned();
        if !rule_dir.is_dir() || NOT_RULE_DIRS.contains(&rule_name.as_str()) {
            continue;
        }
        for (outcome, fails) in [("fail", true), ("pass", false)] {
            for path in sorted_entries(&rule_dir.join(outcome)) {
                let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
                let format = if let Some(format) = module_fixture(&path) {
                    format
                } else if !path.is_file() || is_side_file(&file_name) {
                    continue;
                } else {
                    format_of(&file_name)
                        .unwrap_or_else(|| panic!("{base}/{rule_name}/{outcome}/{file_name}: unknown fixture format"))
                };
                cases.push(Case {
                    relative: format!("{base}/{rule_name}/{outcome}/{file_name}"),
                    rule_name: rule_name.clone(),
                    fails,
                    file_name,
                    format,
                });
            }
        }
    }
    cases
}

/// Run the library on one fixture: its sibling config if it has one, else an empty config, so a
/// `.ptlint.yaml` in the checkout (or above it) can never leak into a fixture.
fn run(case: &Case) -> Analysis {
    let empty = tempfile::tempdir().expect("temp dir");
    let config = case.config().unwrap_or_else(|| {
        let path = empty.path().join(".ptlint.yaml");
        std::fs::write(&path, "").expect("empty config");
        path
    });
    let options =
        Options { paths: vec![case.path()], config: Some(config), today: Some(case.today()), ..Default::default() };
    analyze(&options).unwrap_or_else(|e| panic!("{}: ptlint could not run: {e}", case.relative))
}

fn code_of(analysis: &Analysis, rule_name: &str) -> String {
    analysis
        .rules
        .rules
        .iter()
        .find(|r| r.meta.name == rule_name)
        .unwrap_or_else(|| panic!("fixtures/{rule_name}: no rule of that name"))
        .meta
        .code
        .clone()
}

/// The file as a path relative to the crate root, whatever the working directory.
fn shown_path(file: &str) -> String {
    let root = root().to_string_lossy().replace('\\', "/");
    file.strip_prefix(&format!("{root}/")).unwrap_or(file).to_string()
}

/// `file:line:column CODE level message` and an indented `help:` (continuation lines indented under it).
fn render(findings: &[&Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&format!(
            "{}:{}:{} {} {} {}\n",
            shown_path(&f.file),
            f.span.line,
            f.span.column,
            f.rule,
            f.level.as_str(),
            f.message
        ));
        if let Some(help) = &f.help {
            for (i, line) in help.lines().enumerate() {
                let prefix = if i == 0 { "  help: " } else { "        " };
                out.push_str(prefix);
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// Check one fixture (and its snapshot, when `snapshot` is set); `Err` describes what went wrong.
fn check(case: &Case, snapshot: bool) -> Result<(), String> {
    let analysis = run(case);
    if !analysis.errors.is_empty() {
        return Err(format!("{}: input errors: {:?}", case.relative, analysis.errors));
    }
    if analysis.linked.is_empty() {
        return Err(format!("{}: ptlint found no provisioned throughput in it", case.relative));
    }
    let code = code_of(&analysis, &case.rule_name);
    let own: Vec<&Finding> = analysis.findings.iter().filter(|f| f.rule == code).collect();
    if !case.fails {
        return match own.is_empty() {
            true => Ok(()),
            false => Err(format!("{}: pass case triggers {code}:\n{}", case.relative, render(&own))),
        };
    }
    if own.is_empty() {
        let others: Vec<&Finding> = analysis.findings.iter().collect();
        return Err(format!("{}: fail case does not trigger {code}; it reports:\n{}", case.relative, render(&others)));
    }
    if !snapshot {
        return Ok(());
    }
    let snapshot = render(&own);
    let result = std::panic::catch_unwind(|| {
        insta::with_settings!({
            snapshot_path => case.dir(),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            input_file => case.path(),
            description => format!("{code} findings of {}", case.relative),
        }, {
            insta::assert_snapshot!(case.file_name.clone(), snapshot);
        });
    });
    result.map_err(|_| format!("{}: snapshot differs (review the .snap.new file)", case.relative))
}

#[test]
fn rule_fixtures() {
    let cases = cases();
    assert!(!cases.is_empty(), "no rule fixtures found under fixtures/");
    // Cases are independent analyses: checked in parallel (the order of the failures listed stays the cases').
    let failures: Vec<String> = cases.par_iter().filter_map(|c| check(c, true).err()).collect();
    assert!(failures.is_empty(), "{} of {} fixtures failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

/// The parked cases still show their bug. When one starts passing, the bug is fixed: move the case (and its
/// side files) into `fixtures/<rule>/` so the main test and its snapshot cover it.
#[test]
fn pending_fixtures_still_show_their_bug() {
    let fixed: Vec<String> =
        pending_cases().iter().filter(|c| check(c, false).is_ok()).map(|c| c.relative.clone()).collect();
    assert!(fixed.is_empty(), "fixed now; move into fixtures/<rule>/:\n{}", fixed.join("\n"));
}

/// The first line of a fixture (or its `.why` file) says why it fails or passes.
fn why(case: &Case) -> Option<String> {
    let first_comment = |text: &str| text.lines().next().and_then(|l| l.strip_prefix('#')).map(str::to_string);
    let read = |path: PathBuf| std::fs::read_to_string(path).ok();
    match case.format {
        Format::TfPlan => read(PathBuf::from(format!("{}.why", case.path().display()))),
        Format::TfHcl => first_comment(&read(case.path().join(HCL_MAIN))?),
        Format::CfnYaml => first_comment(&read(case.path())?),
        Format::CfnJson | Format::TfJson => {
            let path = if case.format == Format::TfJson { case.path().join(JSON_MAIN) } else { case.path() };
            let text = read(path)?;
            let key = if case.format == Format::CfnJson { "Description" } else { "//" };
            let value: serde_json::Value = serde_json::from_str(&text).ok()?;
            let second = text.lines().nth(1)?.trim_start();
            // The explanation must come first, where a reader looks.
            second.starts_with(&format!("\"{key}\"")).then(|| value.get(key)?.as_str().map(str::to_string))?
        }
    }
}

#[test]
fn every_fixture_says_why() {
    let missing: Vec<String> = cases()
        .iter()
        .filter(|c| {
            let verb = if c.fails { "fails" } else { "passes" };
            !why(c).is_some_and(|w| w.to_ascii_lowercase().contains(verb))
        })
        .map(|c| c.relative.clone())
        .collect();
    assert!(
        missing.is_empty(),
        "these fixtures do not open with why they fail/pass (`# fails ...` in YAML and on the first line of an HCL \
         fixture's main.tf, a first \"Description\" (CFN) or \"//\" (.tf.json) key, or a `<file>.why` beside a plan):\n{}",
        missing.join("\n")
    );
}

/// Side files belong to a fixture; a stray one (renamed fixture, leftover `.snap.new`) is an error.
#[test]
fn no_orphan_side_files() {
    let mut orphans = Vec::new();
    for rule_dir in sorted_entries(&root().join("fixtures")) {
        let name = rule_dir.file_name().unwrap().to_string_lossy().into_owned();
        if NOT_RULE_DIRS.contains(&name.as_str()) {
            continue;
        }
        for outcome in ["fail", "pass"] {
            for path in sorted_entries(&rule_dir.join(outcome)) {
                let file = path.file_name().unwrap().to_string_lossy().into_owned();
                if file.ends_with(".snap.new") || file.ends_with(".pending-snap") {
                    orphans.push(format!("{}: unreviewed snapshot", path.display()));
                    continue;
                }
                let Some(base) = SIDE_SUFFIXES.iter().find_map(|s| file.strip_suffix(s)) else { continue };
                let fixture = path.with_file_name(base);
                if !fixture.is_file() && !is_hcl_fixture(&fixture) {
                    orphans.push(format!("{}: no fixture `{base}`", path.display()));
                }
                if file.ends_with(".snap") && outcome == "pass" {
                    orphans.push(format!("{}: pass cases have no snapshot", path.display()));
                }
            }
        }
    }
    assert!(orphans.is_empty(), "{}", orphans.join("\n"));
}

/// The formats a rule can fail in, when not all of them: said per rule, so a new rule gets every format.
fn failing_formats(code: &str) -> &'static [Format] {
    match code {
        // `AWS::Bedrock::ProvisionedModelThroughput` is a CloudFormation type.
        "PT006" => &[Format::CfnJson, Format::CfnYaml],
        // `Custom::AWS` is a CloudFormation type (CDK's AwsCustomResource).
        "PT012" => &[Format::CfnJson, Format::CfnYaml],
        // Only a plan shows a change deleting an existing PT (its prior state).
        "PT009" => &[Format::TfPlan],
        _ => &ALL_FORMATS,
    }
}

/// Every built-in rule has fail and pass fixtures in all five formats (fail cases only in the formats
/// [`failing_formats`] gives) and a `cfn-guard test` file.
#[test]
fn every_rule_has_fixtures_in_every_format() {
    let cases = cases();
    let rules = RuleSet::builtin();
    let mut problems = Vec::new();
    for rule in &rules.rules {
        let name = &rule.meta.name;
        for fails in [true, false] {
            let wanted: &[Format] = if fails { failing_formats(&rule.meta.code) } else { &ALL_FORMATS };
            for format in wanted {
                if !cases.iter().any(|c| &c.rule_name == name && c.fails == fails && c.format == *format) {
                    let outcome = if fails { "fail" } else { "pass" };
                    problems.push(format!(
                        "{} ({name}): no {format:?} fixture in fixtures/{name}/{outcome}/",
                        rule.meta.code
                    ));
                }
            }
        }
        // The Guard file whose source this rule was built from, and its test file.
        let stem = sorted_entries(&root().join("rules")).into_iter().find_map(|p| {
            let is_guard = p.extension().is_some_and(|e| e == "guard");
            let same = is_guard && std::fs::read_to_string(&p).is_ok_and(|s| s == rule.source());
            same.then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        });
        match stem {
            None => problems.push(format!("{}: no rules/*.guard file holds its source", rule.meta.code)),
            Some(stem) => {
                if !root().join(format!("rules/tests/{stem}_tests.yaml")).is_file() {
                    problems.push(format!("{}: rules/tests/{stem}_tests.yaml is missing", rule.meta.code));
                }
            }
        }
    }
    // And no fixture folder names a rule that does not exist.
    for case in &cases {
        if rules.find(&case.rule_name).is_none_or(|r| r.meta.name != case.rule_name) {
            problems.push(format!("{}: the folder is not a rule name", case.relative));
        }
    }
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// 1-based (line, column in characters) and byte offset of the first `needle` after the first `anchor`
/// (the anchor skips the explanation on the first line, which names the term too).
fn position_of(text: &str, anchor: &str, needle: &str) -> (u32, u32, usize) {
    let start = text.find(anchor).unwrap_or_else(|| panic!("`{anchor}` not in the fixture"));
    let offset = start + text[start..].find(needle).unwrap_or_else(|| panic!("`{needle}` not in the fixture"));
    let line = text[..offset].matches('\n').count() as u32 + 1;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() as u32 + 1, offset)
}

/// The worked example's PT004 finding, and the fixture text.
fn worked_example(file_name: &str) -> (Finding, String) {
    let case = cases()
        .into_iter()
        .find(|c| c.rule_name == "commitment-outruns-proven-volume" && c.fails && c.file_name == file_name)
        .unwrap_or_else(|| panic!("no worked example {file_name}"));
    let analysis = run(&case);
    let path = if case.format == Format::TfJson { case.path().join(JSON_MAIN) } else { case.path() };
    let text = std::fs::read_to_string(path).unwrap();
    let mut own = analysis.findings.into_iter().filter(|f| f.rule == "PT004");
    let finding = own.next().expect("a PT004 finding");
    assert!(own.next().is_none(), "{file_name}: one PT, one PT004 finding");
    assert!(
        finding.message.contains("$18,000.00/month on demand against $36,500.00/month reserved"),
        "{}",
        finding.message
    );
    assert!(
        finding.message.contains("break-even is 6.08B input and 1.22B output tokens a month"),
        "{}",
        finding.message
    );
    (finding, text)
}

/// PT004 points at the commitment value: where `SixMonths` is written (JSON strings: at the opening quote).
#[test]
fn worked_example_points_at_the_commitment_value() {
    for (file_name, anchor, needle) in [
        ("sonnet_below_break_even.yaml", "CommitmentDuration:", "SixMonths"),
        ("sonnet_below_break_even_tf_json", "\"commitment_duration\":", "\"SixMonths\""),
        // In a plan the value is read from `planned_values`, the first place the plan writes it.
        ("sonnet_below_break_even.plan.json", "\"commitment_duration\":", "\"SixMonths\""),
        // CDK `Custom::AWS`: inside the `Create` JSON string (a `Fn::Join` part), at the escaped quote.
        ("sonnet_below_break_even.json", "commitmentDuration", "\\\"SixMonths\\\""),
    ] {
        let (finding, text) = worked_example(file_name);
        let (line, column, offset) = position_of(&text, anchor, needle);
        assert_eq!((finding.span.line, finding.span.column), (line, column), "{file_name}");
        assert_eq!((finding.span.start, finding.span.end), (offset, offset + needle.len()), "{file_name}");
    }
}

/// PT008 points at the value AWS refuses: the misspelt term, the units, the model.
#[test]
fn invalid_throughput_points_at_the_refused_value() {
    for (file_name, anchor, needle) in [
        ("one_month_misspelt.yaml", "CommitmentDuration:", "ONE_MONTH"),
        ("one_month_misspelt_tf_json", "\"commitment_duration\":", "\"ONE_MONTH\""),
        ("fractional_units.yaml", "ModelUnits:", "1.5"),
        ("imported_model.plan.json", "\"model_arn\":", "\"arn:aws:bedrock:us-east-1:123456789012:imported-model/"),
        ("model_arn_not_an_arn_tf_json", "\"model_arn\":", "\"amazon.nova-pro-v1:0:300k\""),
    ] {
        let case = cases()
            .into_iter()
            .find(|c| c.rule_name == "invalid-throughput" && c.fails && c.file_name == file_name)
            .unwrap_or_else(|| panic!("no fixture {file_name}"));
        let path = if case.format == Format::TfJson { case.path().join(JSON_MAIN) } else { case.path() };
        let text = std::fs::read_to_string(path).unwrap();
        let analysis = run(&case);
        let finding = analysis.findings.iter().find(|f| f.rule == "PT008").expect("a PT008 finding");
        let (line, column, _) = position_of(&text, anchor, needle);
        assert_eq!((finding.span.line, finding.span.column), (line, column), "{file_name}");
    }
}
