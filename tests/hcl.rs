//! The Terraform HCL reader: module directories evaluated as `terraform plan` evaluates them, with exact spans.

use ptlint::engine::{analyze, Analysis, Options};
use ptlint::model::{Commitment, Reference, Resolved, Throughput};
use ptlint::source::hcl::Inputs;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/hcl").join(name)
}

fn run(name: &str, inputs: Inputs) -> Analysis {
    let options = Options { paths: vec![fixture(name)], terraform_inputs: inputs, ..Options::default() };
    analyze(&options).expect("analysis runs")
}

/// Every PT of the run by address.
fn pts(analysis: &Analysis) -> Vec<(&str, &Throughput)> {
    let mut all: Vec<(&str, &Throughput)> = analysis
        .files
        .iter()
        .flat_map(|f| f.document.throughputs.iter().map(move |pt| (f.path.as_str(), pt)))
        .collect();
    all.sort_by(|a, b| a.1.resource.cmp(&b.1.resource));
    all
}

fn units(pt: &Throughput) -> Option<u32> {
    pt.model_units.as_ref().and_then(|u| u.value.known().copied())
}

#[test]
fn variables_follow_terraforms_precedence() {
    let inputs = Inputs {
        var_files: vec![fixture("vars/extra.tfvars")],
        vars: vec![("from_var".into(), "6".into())],
        env: vec![("from_default".into(), "7".into()), ("from_env".into(), "6".into())],
    };
    let analysis = run("vars", inputs);
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let got: Vec<(String, Option<u32>)> =
        pts(&analysis).iter().map(|(_, pt)| (pt.resource.clone(), units(pt))).collect();
    let address = |key: &str| format!("aws_bedrock_provisioned_model_throughput.pt[\"{key}\"]");
    assert_eq!(
        got,
        vec![
            (address("from_auto"), Some(4)),     // b.auto.tfvars is read after a.auto.tfvars
            (address("from_default"), Some(7)),  // TF_VAR_ beats the default
            (address("from_env"), Some(2)),      // terraform.tfvars beats TF_VAR_
            (address("from_tfvars"), Some(2)),   // terraform.tfvars beats the default
            (address("from_var"), Some(6)),      // --var beats every file
            (address("from_var_file"), Some(5)), // --var-file beats *.auto.tfvars
        ]
    );
    // A variable with no default set only in terraform.tfvars; the span is the expression in main.tf.
    let (file, pt) = pts(&analysis)[0];
    assert_eq!(file, "fixtures/hcl/vars/main.tf");
    assert_eq!(pt.commitment.value, Resolved::Known(Commitment::OneMonth));
    assert!(pt.commitment_explicit);
    assert_eq!((pt.commitment.span.line, pt.commitment.span.column), (45, 28));
}

#[test]
fn a_variable_without_any_value_is_unknown_with_the_way_to_give_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"units\" { type = number }\n\
         resource \"aws_bedrock_provisioned_model_throughput\" \"pt\" {\n\
         \x20 model_arn   = \"amazon.titan-text-express-v1:0:8k\"\n\
         \x20 model_units = var.units\n}\n",
    )
    .unwrap();
    let options = Options { paths: vec![dir.path().to_path_buf()], ..Options::default() };
    let analysis = analyze(&options).unwrap();
    let pt = pts(&analysis)[0].1;
    match &pt.model_units.as_ref().unwrap().value {
        Resolved::Unresolved(why) => assert!(why.contains("--var units=VALUE"), "{why}"),
        other => panic!("units should be unknown, got {other:?}"),
    }
    // Given on the command line, the same PT has its units.
    let inputs = Inputs { vars: vec![("units".into(), "3".into())], ..Inputs::default() };
    let options = Options { paths: vec![dir.path().to_path_buf()], terraform_inputs: inputs, ..Options::default() };
    let analysis = analyze(&options).unwrap();
    assert_eq!(units(pts(&analysis)[0].1), Some(3));
}

#[test]
fn count_for_each_and_modules_are_expanded_with_terraform_addresses() {
    let analysis = run("expansion", Inputs::default());
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let got: Vec<(&str, String, Option<u32>, Resolved<Commitment>)> = pts(&analysis)
        .into_iter()
        .map(|(file, pt)| (file, pt.resource.clone(), units(pt), pt.commitment.value.clone()))
        .collect();
    let main = "fixtures/hcl/expansion/main.tf";
    let module = "fixtures/hcl/expansion/modules/pt/main.tf";
    let none = Resolved::Known(Commitment::NoCommitment);
    assert_eq!(
        got,
        vec![
            (main, "aws_bedrock_provisioned_model_throughput.by_name[\"a\"]".into(), Some(3), none.clone()),
            (main, "aws_bedrock_provisioned_model_throughput.by_name[\"b\"]".into(), Some(4), none.clone()),
            (main, "aws_bedrock_provisioned_model_throughput.counted[0]".into(), Some(1), none.clone()),
            (main, "aws_bedrock_provisioned_model_throughput.counted[1]".into(), Some(2), none.clone()),
            (
                module,
                "module.service[\"search\"].module.pt.aws_bedrock_provisioned_model_throughput.this".into(),
                Some(1),
                none.clone()
            ),
            (
                module,
                "module.service[\"support\"].module.pt.aws_bedrock_provisioned_model_throughput.this".into(),
                Some(2),
                Resolved::Known(Commitment::SixMonths)
            ),
            (module, "module.single.aws_bedrock_provisioned_model_throughput.this".into(), Some(5), none),
        ]
    );
    // An optional attribute left out is null, so the commitment is the no-commitment default, not explicit.
    let search = pts(&analysis).into_iter().find(|(_, pt)| pt.resource.contains("search")).unwrap().1;
    assert!(!search.commitment_explicit);
    // Units of a module instance point at `var.units` inside the module.
    let units = search.model_units.as_ref().unwrap();
    assert_eq!((units.span.line, units.span.column), (10, 28));
    // The resource span is the block header, in the module's file.
    assert_eq!((search.span.line, search.span.column), (7, 1));
    // Both .tf files of the module tree were read.
    assert_eq!(analysis.terraform_files_read, 3);
}

#[test]
fn references_to_custom_models_data_sources_and_module_outputs_link() {
    let analysis = run("references", Inputs::default());
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let all = pts(&analysis);
    let custom = all.iter().find(|(_, pt)| pt.resource.ends_with(".custom")).unwrap().1;
    assert_eq!(
        custom.model.as_ref().unwrap().value,
        Resolved::Ref(Reference::Terraform {
            address: "aws_bedrock_custom_model.tuned".into(),
            attribute: Some("custom_model_arn".into())
        })
    );
    // The foundation-model data source's ARN is known through its model_id.
    let base = all.iter().find(|(_, pt)| pt.resource.ends_with(".base")).unwrap().1;
    assert_eq!(base.model.as_ref().unwrap().value, Resolved::Known("amazon.titan-text-express-v1:0:8k".into()));
    // The custom model's base model came through the data source too.
    let model_file = analysis.files.iter().find(|f| !f.document.custom_models.is_empty()).unwrap();
    assert_eq!(
        model_file.document.custom_models[0].base_model.as_ref().unwrap().value,
        Resolved::Known("amazon.titan-text-express-v1:0:8k".into())
    );
    // The provider's region applies to every PT of the configuration, modules included.
    for linked in &analysis.linked {
        assert_eq!(linked.region.as_ref().map(|(r, _)| r.as_str()), Some("us-west-2"));
    }
    // Links: the custom PT is a custom model of its base; alarms in another file (one through a module
    // output) watch their PTs; the Bedrock budget covers every PT.
    let linked = |suffix: &str| {
        analysis
            .linked
            .iter()
            .find(|l| analysis.files[l.file].document.throughputs[l.index].resource.ends_with(suffix))
            .unwrap()
    };
    assert_eq!(linked(".custom").model_kind, ptlint::model::ModelKind::Custom);
    assert_eq!(linked(".custom").base_model.as_deref(), Some("amazon.titan-text-express-v1:0:8k"));
    assert_eq!(linked(".custom").alarms.len(), 1);
    assert_eq!(linked("module.shared.aws_bedrock_provisioned_model_throughput.this").alarms.len(), 1);
    assert_eq!(linked(".base").alarms.len(), 0);
    assert!(analysis.linked.iter().all(|l| l.budgets.len() == 1));
}

#[test]
fn a_locals_cycle_is_an_input_error_naming_both() {
    let analysis = run("locals-cycle", Inputs::default());
    assert_eq!(analysis.errors.len(), 1, "{:?}", analysis.errors);
    let error = &analysis.errors[0];
    assert_eq!(error.file, "fixtures/hcl/locals-cycle/main.tf");
    assert_eq!((error.line, error.column), (3, 3));
    assert!(error.message.contains("local.a") && error.message.contains("local.b"), "{}", error.message);
    // The PT is still read, its name unknown.
    assert_eq!(pts(&analysis).len(), 1);
    assert_eq!(ptlint::engine::exit_code(&analysis, None), 2);
}

#[test]
fn a_file_that_does_not_parse_is_an_input_error_and_the_others_are_still_read() {
    let analysis = run("broken", Inputs::default());
    assert_eq!(analysis.errors.len(), 1, "{:?}", analysis.errors);
    let error = &analysis.errors[0];
    assert_eq!(error.file, "fixtures/hcl/broken/bad/main.tf");
    assert_eq!((error.line, error.column), (2, 17));
    assert!(error.message.starts_with("HCL syntax error"), "{}", error.message);
    let all = pts(&analysis);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].0, "fixtures/hcl/broken/good/main.tf");
    // The comment inside the block suppresses PT005 for this PT, with its reason.
    let suppression = &all[0].1.suppressions[0];
    assert_eq!(suppression.rule, "PT005");
    assert_eq!(suppression.reason.as_deref(), Some("the alarms live in the monitoring account"));
    assert_eq!((suppression.span.line, suppression.span.column), (5, 5));
    assert!(!analysis.findings.iter().any(|f| f.rule == "PT005"));
    assert_eq!(ptlint::engine::exit_code(&analysis, None), 2);
}

#[test]
fn plan_findings_land_on_the_tf_lines_and_plan_values_win() {
    // plan.json was made by terraform from this directory with `-var units=3`; the default is 1.
    let check = |analysis: &Analysis| {
        assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
        let all = pts(analysis);
        assert_eq!(all.len(), 1, "the planned PT and its block are one PT");
        let (file, pt) = all[0];
        assert_eq!(file, "fixtures/hcl/anchored/main.tf");
        assert_eq!(pt.plan_action, Some(ptlint::model::PlanAction::Create));
        let units = pt.model_units.as_ref().unwrap();
        assert_eq!(units.value, Resolved::Known(3), "the plan's value wins");
        assert_eq!((units.span.line, units.span.column), (8, 28), "at `var.units` in main.tf");
        assert_eq!((pt.commitment.span.line, pt.commitment.span.column), (9, 28));
        assert_eq!(analysis.budgets.len(), 1, "the budget is not counted twice");
        assert!(analysis.findings.iter().all(|f| f.file == "fixtures/hcl/anchored/main.tf"));
        assert!(analysis.findings.iter().any(|f| f.rule == "PT003" && f.span.line == 9));
    };
    check(&run("anchored", Inputs::default()));
    // A plan named on its own, with `--source` naming the configuration it came from.
    let options = Options {
        paths: vec![fixture("anchored/plan.json")],
        sources: vec![fixture("anchored")],
        ..Options::default()
    };
    check(&analyze(&options).unwrap());
}

#[test]
fn provider_aliases_and_module_providers_give_each_pt_its_region() {
    let analysis = run("regions", Inputs::default());
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let mut regions: Vec<(String, String)> = analysis
        .linked
        .iter()
        .map(|l| {
            let pt = &analysis.files[l.file].document.throughputs[l.index];
            (pt.resource.clone(), l.region.as_ref().map(|(r, _)| r.clone()).unwrap_or_default())
        })
        .collect();
    regions.sort();
    assert_eq!(
        regions,
        vec![
            ("aws_bedrock_provisioned_model_throughput.east".into(), "us-east-1".into()),
            ("aws_bedrock_provisioned_model_throughput.west".into(), "us-west-2".into()),
            ("module.in_west.aws_bedrock_provisioned_model_throughput.this".into(), "us-west-2".into()),
            ("module.inherits.aws_bedrock_provisioned_model_throughput.this".into(), "us-east-1".into()),
        ]
    );
}

#[test]
fn tf_files_that_cannot_matter_are_not_parsed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("storage")).unwrap();
    std::fs::write(dir.path().join("storage/main.tf"), "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n")
        .unwrap();
    // Not even valid HCL, but nothing in it can matter, so it is not read.
    std::fs::write(dir.path().join("storage/broken.tf"), "resource \"aws_s3_bucket\" {{{\n").unwrap();
    let options = Options { paths: vec![dir.path().to_path_buf()], ..Options::default() };
    let analysis = analyze(&options).unwrap();
    assert_eq!(analysis.terraform_files_read, 0);
    assert!(analysis.errors.is_empty());
    assert_eq!(analysis.files_seen, 2);
    // Named explicitly, the same directory is read and its broken file reported.
    let options = Options { paths: vec![dir.path().join("storage/broken.tf")], ..Options::default() };
    let analysis = analyze(&options).unwrap();
    assert_eq!(analysis.terraform_files_read, 1);
    assert_eq!(analysis.errors.len(), 1, "{:?}", analysis.errors);
    assert_eq!((analysis.errors[0].line, analysis.errors[0].column), (1, 27));
}

#[test]
fn a_non_nullable_variable_given_null_takes_its_default() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"variable "units" {
  type     = number
  default  = 2
  nullable = false
}
module "pt" {
  source = "./pt"
  units  = null
}
"#,
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("pt")).unwrap();
    std::fs::write(
        dir.path().join("pt/main.tf"),
        r#"variable "units" {
  type     = number
  default  = 3
  nullable = false
}
resource "aws_bedrock_provisioned_model_throughput" "this" {
  model_arn   = "amazon.titan-text-express-v1:0:8k"
  model_units = var.units
}
"#,
    )
    .unwrap();
    let options = Options { paths: vec![dir.path().to_path_buf()], ..Options::default() };
    let analysis = analyze(&options).unwrap();
    assert_eq!(units(pts(&analysis)[0].1), Some(3));
}

/// Every prefix of every HCL fixture file, and each with one byte changed, reads without a panic: a half-typed
/// `.tf` in an editor's pre-commit run is an input error, never a crash.
#[test]
fn truncated_and_corrupted_tf_files_never_panic() {
    let mut files = Vec::new();
    for dir in ["fixtures/hcl", "fixtures/hcl-agreement"] {
        for entry in walkdir::WalkDir::new(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir)) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "tf") {
                files.push(std::fs::read(entry.path()).unwrap());
            }
        }
    }
    assert!(files.len() > 20, "fixtures not found");
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("main.tf");
    let candidates = [ptlint::source::hcl::DirCandidate { dir: dir.path().to_path_buf(), display: ".".into() }];
    let mut runs = 0;
    for bytes in &files {
        for cut in (0..bytes.len()).step_by(37) {
            let mut variants = vec![bytes[..cut].to_vec()];
            let mut flipped = bytes.clone();
            flipped[cut] = b"{}[]()\"$%~=\n"[cut % 12];
            variants.push(flipped);
            for variant in variants {
                std::fs::write(&target, &variant).unwrap();
                let result = std::panic::catch_unwind(|| ptlint::source::hcl::read(&candidates, &Inputs::default()));
                assert!(result.is_ok(), "panic on {:?}", String::from_utf8_lossy(&variant));
                runs += 1;
            }
        }
    }
    assert!(runs > 500, "only {runs} variants");
}

#[test]
fn a_tf_file_over_the_size_limit_is_an_input_error_not_read_into_memory() {
    let dir = tempfile::tempdir().unwrap();
    let big = std::fs::File::create(dir.path().join("huge.tf")).unwrap();
    big.set_len(ptlint::source::MAX_FILE_BYTES + 1).unwrap();
    let options = Options { paths: vec![dir.path().to_path_buf()], ..Options::default() };
    let analysis = analyze(&options).unwrap();
    assert_eq!(analysis.errors.len(), 1, "{:?}", analysis.errors);
    assert!(analysis.errors[0].file.ends_with("huge.tf"));
    assert!(analysis.errors[0].message.contains("limit"), "{}", analysis.errors[0].message);
}

#[test]
fn a_model_arn_built_from_data_sources_names_its_custom_model_though_the_account_is_unknown() {
    let options =
        Options { paths: vec![fixture("data-source-arn")], region: Some("us-east-1".into()), ..Options::default() };
    let analysis = analyze(&options).expect("analysis runs");
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let (_, pt) = pts(&analysis)[1];
    // With no provider region the partition and region are unknown too; the model after `custom-model/` is not.
    assert_eq!(
        pt.model.as_ref().unwrap().value,
        Resolved::Known(
            "arn:${data.aws_partition.current.partition}:bedrock:${data.aws_region.current.name}:\
             ${data.aws_caller_identity.current.account_id}:custom-model/amazon.titan-text-express-v1:0:8k/abc123def456"
                .into()
        )
    );
    let linked = analysis.linked.iter().find(|l| l.index == 0).unwrap();
    assert_eq!(linked.model_kind, ptlint::model::ModelKind::Custom);
    assert_eq!(linked.base_model.as_deref(), Some("amazon.titan-text-express-v1:0:8k"));
    assert_eq!(linked.region.as_ref().map(|(r, _)| r.as_str()), Some("us-east-1"));
    // What terraform's plan of the same code gives: PT001, at 20.50 x 730 h.
    let facts = analysis.facts.throughputs.iter().find(|t| t.resource.ends_with(".tuned")).unwrap();
    assert_eq!(facts.cost.monthly_cost, Some(rust_decimal::Decimal::new(1_496_500, 2)));
    let on = |rule: &str, resource: &str| {
        analysis.findings.iter().any(|f| f.rule == rule && f.resource.ends_with(resource) && f.span.line >= 8)
    };
    assert!(on("PT001", ".tuned"), "{:?}", analysis.findings);
    assert!(!analysis.findings.iter().any(|f| f.rule == "PT007" && f.resource.ends_with(".tuned")), "priced");
    // The account does not hide that the other one names a provisioned model, which AWS refuses.
    assert!(on("PT008", ".chained"), "{:?}", analysis.findings);
}

#[test]
fn an_operator_at_the_end_of_a_line_in_a_for_expression_parses_as_terraform_reads_it() {
    // terraform plans exactly one PT here: `sized["large"]` with 3 units (checked with terraform 1.11.4).
    let analysis = run("for-newlines", Inputs::default());
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let got: Vec<(String, Option<u32>)> =
        pts(&analysis).iter().map(|(_, pt)| (pt.resource.clone(), units(pt))).collect();
    assert_eq!(got, vec![("aws_bedrock_provisioned_model_throughput.sized[\"large\"]".to_string(), Some(3))]);
    // Spans are those of the file as written.
    let (_, pt) = pts(&analysis)[0];
    let span = pt.model_units.as_ref().unwrap().span;
    assert_eq!((span.line, span.column), (15, 28));
}

#[test]
fn an_unknown_count_or_for_each_is_never_one_instance() {
    let options =
        Options { paths: vec![fixture("unknown-count")], region: Some("us-east-1".into()), ..Options::default() };
    let analysis = analyze(&options).expect("analysis runs");
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    // A warning at each `count`/`for_each` whose value is not known, saying what to give.
    let mut notes: Vec<(String, u32, u32, String)> = analysis
        .findings
        .iter()
        .filter(|f| f.rule == "PT906")
        .map(|f| (f.resource.clone(), f.span.line, f.span.column, f.message.clone()))
        .collect();
    notes.sort();
    let at: Vec<(&str, u32, u32)> = notes.iter().map(|(r, l, c, _)| (r.as_str(), *l, *c)).collect();
    assert_eq!(
        at,
        vec![
            ("aws_bedrock_provisioned_model_throughput.chat", 12, 28),
            ("aws_bedrock_provisioned_model_throughput.per_bucket", 24, 28),
            ("aws_budgets_budget.bedrock", 48, 18),
            ("module.team", 32, 14),
        ]
    );
    // A budget or alarm that may not exist covers or watches nothing; one note per `count`/`for_each`.
    assert!(notes[2].3.ends_with("it is not counted as covering any provisioned throughput"), "{}", notes[2].3);
    assert!(notes[3].3.contains("no total counts it; it is not counted as watching any"), "{}", notes[3].3);
    assert!(analysis.files.iter().all(|f| f.document.budgets.is_empty() && f.document.alarms.is_empty()));
    assert!(notes[0].3.contains("--var replicas=VALUE"), "{}", notes[0].3);
    assert!(notes[1].3.contains("aws_s3_bucket.models.tags_all, known only after apply"), "{}", notes[1].3);
    assert!(notes[3].3.contains("--var teams=VALUE"), "{}", notes[3].3);
    assert!(analysis.findings.iter().filter(|f| f.rule == "PT906").all(|f| f.level == ptlint::finding::Level::Warning));
    // Priced per MU-hour; no monthly cost of its own, so no total counts it.
    let facts = |suffix: &str| analysis.facts.throughputs.iter().find(|t| t.resource.ends_with(suffix)).unwrap();
    let dec = |text: &str| text.parse::<rust_decimal::Decimal>().unwrap();
    let chat = facts(".chat");
    assert_eq!(
        (chat.cost.hourly_rate, chat.cost.monthly_cost, chat.cost.commitment_total),
        (Some(dec("18.40")), None, None)
    );
    assert!(chat.cost.unpriced_reason.as_deref().unwrap().ends_with("each instance costs 26864.00 USD/month"));
    let team = facts("module.team.aws_bedrock_provisioned_model_throughput.this");
    assert_eq!((team.cost.hourly_rate, team.cost.monthly_cost), (Some(dec("14.80")), None));
    assert_eq!(facts(".single").cost.monthly_cost, Some(dec("14965.00")));
    // No PT007: the rate is known, the number of instances is what is missing.
    assert!(!analysis.findings.iter().any(|f| f.rule == "PT007"), "{:?}", analysis.findings);

    // The summaries count only the one PT whose instances are known.
    let json = std::process::Command::new(env!("CARGO_BIN_EXE_ptlint"))
        .args(["check", "--format", "json", "--region", "us-east-1"])
        .arg(fixture("unknown-count"))
        .output()
        .expect("run ptlint");
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON report");
    assert_eq!(report["summary"]["monthly_cost"], "14965.00");
    assert_eq!(report["summary"]["throughputs"], 4);
    assert_eq!(report["summary"]["unpriced_throughputs"], 3);
    let human = std::process::Command::new(env!("CARGO_BIN_EXE_ptlint"))
        .args(["check", "--region", "us-east-1"])
        .arg(fixture("unknown-count"))
        .output()
        .expect("run ptlint");
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("4 provisioned throughputs: $14,965.00/month standing cost for the 1 priced; 3 unpriced"),
        "{text}"
    );

    // Given the values, they are expanded as terraform expands them, and nothing is left unknown.
    let given = Options {
        paths: vec![fixture("unknown-count")],
        region: Some("us-east-1".into()),
        terraform_inputs: Inputs {
            vars: vec![
                ("replicas".into(), "2".into()),
                ("teams".into(), "[\"a\",\"b\"]".into()),
                ("budget_enabled".into(), "true".into()),
            ],
            ..Inputs::default()
        },
        ..Options::default()
    };
    let analysis = analyze(&given).expect("analysis runs");
    let addresses: Vec<String> = pts(&analysis).iter().map(|(_, pt)| pt.resource.clone()).collect();
    assert!(addresses.contains(&"aws_bedrock_provisioned_model_throughput.chat[1]".to_string()), "{addresses:?}");
    assert!(addresses.contains(&"module.team[\"b\"].aws_bedrock_provisioned_model_throughput.this".to_string()));
    let notes: Vec<&str> =
        analysis.findings.iter().filter(|f| f.rule == "PT906").map(|f| f.resource.as_str()).collect();
    assert_eq!(notes, vec!["aws_bedrock_provisioned_model_throughput.per_bucket"]);
    let budgets: usize = analysis.files.iter().map(|f| f.document.budgets.len()).sum();
    let alarms: usize = analysis.files.iter().map(|f| f.document.alarms.len()).sum();
    assert_eq!((budgets, alarms), (1, 2));
}

#[test]
fn an_object_that_sets_a_key_twice_keeps_the_last_value_as_terraform_does() {
    let analysis = run("duplicate-keys", Inputs::default());
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let got: Vec<(String, Option<u32>)> =
        pts(&analysis).iter().map(|(_, pt)| (pt.resource.clone(), units(pt))).collect();
    assert_eq!(got, vec![("aws_bedrock_provisioned_model_throughput.chat".to_string(), Some(3))]);
    let (_, pt) = pts(&analysis)[0];
    let span = pt.model_units.as_ref().unwrap().span;
    assert_eq!((span.line, span.column), (14, 28));
}

#[test]
fn a_custom_model_looked_up_by_a_data_source_is_the_one_this_module_trains() {
    let analysis = run("custom-model-lookup", Inputs::default());
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let facts = |suffix: &str| {
        analysis.facts.throughputs.iter().find(|t| t.resource.ends_with(suffix)).unwrap_or_else(|| panic!("{suffix}"))
    };
    let base = |suffix: &str| {
        let linked = analysis
            .linked
            .iter()
            .find(|l| analysis.files[l.file].document.throughputs[l.index].resource.ends_with(suffix))
            .unwrap();
        (linked.model_kind, linked.base_model.clone())
    };
    let custom = ptlint::model::ModelKind::Custom;
    // By its name (literal or read from the resource): the model `aws_bedrock_custom_model.support` trains.
    for suffix in [".by_name", ".by_reference"] {
        assert_eq!(base(suffix), (custom, Some("amazon.titan-text-express-v1:0:8k".to_string())), "{suffix}");
        assert_eq!(facts(suffix).cost.monthly_cost, Some(rust_decimal::Decimal::new(1_496_500, 2)), "{suffix}");
    }
    // By its ARN: the ARN names the base model.
    assert_eq!(base(".by_arn"), (custom, Some("amazon.titan-text-lite-v1:0:4k".to_string())));
    // A name nobody here trains: still a custom model, its base model unknown, so its cost is unknown.
    assert_eq!(base(".elsewhere"), (custom, None));
    assert_eq!(facts(".elsewhere").cost.monthly_cost, None);
    // `base_model_arn` is the trained model's base: a foundation model.
    assert_eq!(base(".base"), (ptlint::model::ModelKind::Foundation, Some("amazon.titan-text-express-v1:0:8k".into())));
    // Every custom one, found or not, needs a hosting budget.
    for suffix in [".by_name", ".by_reference", ".by_arn", ".elsewhere"] {
        assert!(analysis.findings.iter().any(|f| f.rule == "PT001" && f.resource.ends_with(suffix)), "{suffix}");
    }
    assert!(!analysis.findings.iter().any(|f| f.rule == "PT001" && f.resource.ends_with(".base")));
}

#[test]
fn a_state_machine_planned_without_its_definition_keeps_the_pts_its_tf_creates() {
    // terraform's plan has `definition: null` (it names a custom model's ARN known only after apply), so the plan
    // holds no PT; the `.tf` beside it says what the task creates, and the PT is reported there.
    let plan = fixture("sfn-definition-after-apply/plan.json");
    let options = Options { paths: vec![plan], ..Options::default() };
    let analysis = analyze(&options).expect("analysis runs");
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let all = pts(&analysis);
    let got: Vec<(&str, &str)> = all.iter().map(|(file, pt)| (*file, pt.resource.as_str())).collect();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].0.ends_with("sfn-definition-after-apply/main.tf"), "{got:?}");
    assert_eq!(got[0].1, "aws_sfn_state_machine.host.Host");
    let linked = &analysis.linked[0];
    assert_eq!(linked.model_kind, ptlint::model::ModelKind::Custom);
    assert_eq!(linked.base_model.as_deref(), Some("amazon.titan-text-express-v1:0:8k"));
    assert!(analysis.findings.iter().any(|f| f.rule == "PT001" && f.resource == "aws_sfn_state_machine.host.Host"));
}

#[test]
fn a_pt_the_plans_configuration_does_not_declare_is_not_dropped_by_the_plan() {
    // plan.json was made before `added` was written: the plan speaks for `chat` (count 0: it will not exist) and
    // `kept`, not for `added`, which stays, read from the `.tf`.
    let options = Options { paths: vec![fixture("stale-plan/plan.json")], ..Options::default() };
    let analysis = analyze(&options).expect("analysis runs");
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let got: Vec<(String, Option<u32>)> =
        pts(&analysis).iter().map(|(_, pt)| (pt.resource.clone(), units(pt))).collect();
    assert_eq!(
        got,
        vec![
            ("aws_bedrock_provisioned_model_throughput.added".to_string(), Some(2)),
            ("aws_bedrock_provisioned_model_throughput.kept".to_string(), Some(1)),
        ]
    );
    assert!(pts(&analysis).iter().all(|(file, _)| file.ends_with("stale-plan/main.tf")));
}

/// A directory that some other directory calls as a module is that module, never a root of its own, whatever
/// the order the directories are met in and however the call is spelled (a key in JSON syntax may escape its
/// letters); a directory that calls nothing is a root on its own.
#[test]
fn a_called_directory_is_only_a_module_and_a_lone_directory_a_root() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let pt = |name: &str| {
        format!(
            "resource \"aws_bedrock_provisioned_model_throughput\" \"{name}\" {{\n  provisioned_model_name = \
             \"{name}\"\n  model_arn = \"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2\"\n  \
             model_units = 1\n}}\n"
        )
    };
    // A repository of its own: the module sources are inside it.
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    // Met first in the walk, and called by both directories after it.
    write("a-shared/main.tf", &pt("this"));
    write("b-root/main.tf", "module \"pt\" {\n  source = \"../a-shared\"\n}\n");
    write("c-alone/main.tf", &pt("alone"));
    // The only call of `e-lib`, its key written with an escape.
    write("d-json/main.tf.json", r#"{"\u006dodule": {"lib": {"source": "../e-lib"}}}"#);
    write("e-lib/main.tf", &pt("lib"));
    let options = Options { paths: vec![dir.path().to_path_buf()], ..Options::default() };
    let analysis = analyze(&options).unwrap();
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let found: Vec<&str> = pts(&analysis).into_iter().map(|(_, pt)| pt.resource.as_str()).collect();
    assert_eq!(
        found,
        [
            "aws_bedrock_provisioned_model_throughput.alone",
            "module.lib.aws_bedrock_provisioned_model_throughput.lib",
            "module.pt.aws_bedrock_provisioned_model_throughput.this",
        ]
    );
}
