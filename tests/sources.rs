//! Readers: every PT shape in every input format, with each value's exact line and column.

use ptlint::engine::{analyze, Options};
use ptlint::model::{Commitment, Document, PtShape, Reference, Resolved, Throughput};
use ptlint::source::{decode, read_document};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> (String, Document) {
    let bytes = std::fs::read(root().join(relative)).unwrap();
    let text = decode(&bytes).unwrap();
    let doc = read_document(relative, &text, None).unwrap().expect("a template");
    (text, doc)
}

fn pt<'a>(doc: &'a Document, resource: &str) -> &'a Throughput {
    doc.throughputs.iter().find(|t| t.resource == resource).unwrap_or_else(|| panic!("no PT {resource}"))
}

/// 1-based (line, column) of the first occurrence of `needle` after `after`.
fn position(text: &str, after: &str, needle: &str) -> (u32, u32) {
    let start = text.find(after).expect("anchor text");
    let offset = start + text[start..].find(needle).expect("needle text");
    let line = text[..offset].matches('\n').count() as u32 + 1;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() as u32 + 1)
}

fn at(span: ptlint::source::node::Span) -> (u32, u32) {
    (span.line, span.column)
}

#[test]
fn cdk_custom_resource_with_parameter_inside_the_joined_json() {
    let file = "fixtures/source/cfn-json/cdk_join_parameter.template.json";
    let (text, doc) = read(file);
    let pt = pt(&doc, "ChatThroughputDFFA9F7D");
    assert_eq!(pt.shape, PtShape::CdkAwsCustomResource);
    assert_eq!(pt.resource_type, "Custom::AWS");
    // `ChatUnits` has a Default, so the Ref inside the Fn::Join resolves to 2 and points at the Ref.
    let units = pt.model_units.as_ref().unwrap();
    assert_eq!(units.value, Resolved::Known(2));
    assert_eq!(at(units.span), position(&text, "\"Fn::Join\"", "{\"Ref\": \"ChatUnits\"}"));
    assert_eq!(pt.commitment.value, Resolved::Known(Commitment::SixMonths));
    assert!(pt.commitment_explicit);
    // The commitment lives in the literal part after the Ref: the span is the escaped `\"SixMonths\"` itself.
    assert_eq!(at(pt.commitment.span), position(&text, "{\"Ref\": \"ChatUnits\"}", "\\\"SixMonths\\\""));
    assert_eq!(pt.commitment.span.end_column - pt.commitment.span.column, "\\\"SixMonths\\\"".len() as u32);
    let model = pt.model.as_ref().unwrap();
    assert_eq!(
        model.value,
        Resolved::Known("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k".into())
    );
    assert_eq!(at(pt.span), position(&text, "\"Resources\"", "\"ChatThroughputDFFA9F7D\""));
    assert_eq!(pt.name.as_ref().unwrap().value, Resolved::Known("chat".into()));
    // The alarm's ModelId is a GetAtt of the PT.
    let alarm = &doc.alarms[0];
    assert_eq!(
        alarm.metrics[0].model_id.as_ref().unwrap().value,
        Resolved::Ref(Reference::CfnGetAtt("ChatThroughputDFFA9F7D".into(), "provisionedModelArn".into()))
    );
    assert!(alarm.fires_on_low());
}

#[test]
fn cdk_sdk_v3_command_name_and_other_sdk_calls() {
    let (text, doc) = read("fixtures/source/cfn-json/cdk_literal_sdk_v3.json");
    assert_eq!(doc.throughputs.len(), 1, "the SSM GetParameter call is not a PT");
    let pt = pt(&doc, "EmbedThroughputA1B2C3D4");
    assert_eq!(pt.model_units.as_ref().unwrap().value, Resolved::Known(1));
    assert_eq!(pt.commitment.value, Resolved::Known(Commitment::OneMonth));
    assert_eq!(at(pt.commitment.span), position(&text, "commitmentDuration", "\\\"OneMonth"));
    assert_eq!(at(pt.model.as_ref().unwrap().span), position(&text, "modelId", "\\\"amazon.titan-embed"));
    assert_eq!(pt.tags, vec![("team".to_string(), "search".to_string())]);
}

#[test]
fn hand_written_custom_resources_with_short_tags() {
    let file = "fixtures/source/cfn-yaml/custom_resource_short_tags.yaml";
    let (text, doc) = read(file);
    assert_eq!(doc.throughputs.len(), 2, "Custom::Seeder has a ModelId but no ModelUnits");
    let tuned = pt(&doc, "TunedThroughput");
    assert_eq!(tuned.shape, PtShape::CustomResource);
    assert_eq!(
        tuned.model.as_ref().unwrap().value,
        Resolved::Known(
            "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-lite-v1:0:4k/a1b2c3d4e5f6".into()
        ),
        "!FindInMap with a !Ref to a parameter default"
    );
    assert_eq!(at(tuned.model.as_ref().unwrap().span), position(&text, "TunedThroughput:", "!FindInMap"));
    assert_eq!(tuned.model_units.as_ref().unwrap().value, Resolved::Known(1));
    assert_eq!(at(tuned.model_units.as_ref().unwrap().span), position(&text, "TunedThroughput:", "!Ref Units"));
    // `Term` has no default: the commitment stays symbolic, never guessed.
    assert_eq!(tuned.commitment.value, Resolved::Ref(Reference::CfnRef("Term".into())));
    assert_eq!(at(tuned.commitment.span), position(&text, "TunedThroughput:", "!Ref Term"));
    assert_eq!(tuned.name.as_ref().unwrap().value, Resolved::Known("tuned-prod".into()));
    assert_eq!(tuned.tags, vec![("team".to_string(), "search".to_string())]);
    assert_eq!(at(tuned.span), position(&text, "Resources:", "TunedThroughput"));

    let camel = pt(&doc, "CamelThroughput");
    assert_eq!(camel.resource_type, "AWS::CloudFormation::CustomResource");
    assert_eq!(camel.model_units.as_ref().unwrap().value, Resolved::Known(3), "quoted numbers count");
    assert_eq!(
        camel.model.as_ref().unwrap().value,
        Resolved::Known("arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-1-70b-instruct-v1:0:128k".into())
    );
    assert!(matches!(&camel.commitment.value, Resolved::Unresolved(why) if why.contains("IsProd")));

    // Alarms: a throttle alarm by Ref, a metric-math alarm by GetAtt; the budget's tag filter.
    assert_eq!(doc.alarms.len(), 2);
    let math = doc.alarms.iter().find(|a| a.resource == "TokensMathAlarm").unwrap();
    assert!(math.metric_math && math.fires_on_low() && math.has_actions);
    assert_eq!(math.metrics.len(), 2);
    assert_eq!(
        math.metrics[0].model_id.as_ref().unwrap().value,
        Resolved::Ref(Reference::CfnGetAtt("TunedThroughput".into(), "ProvisionedModelArn".into()))
    );
    let budget = &doc.budgets[0];
    assert_eq!(budget.limit, Some(rust_decimal::Decimal::from(5000)));
    assert_eq!(budget.time_unit.as_deref(), Some("MONTHLY"));
}

#[test]
fn nonexistent_native_type_in_a_sam_template() {
    let (text, doc) = read("fixtures/source/cfn-yaml/nonexistent_type.yaml");
    let pt = pt(&doc, "ChatThroughput");
    assert_eq!(pt.shape, PtShape::NonexistentNativeType);
    // AWS accepts only `OneMonth`; the spelling is kept as written, never read as a term (PT008 reports it).
    assert_eq!(pt.commitment.value, Resolved::Invalid("ONE_MONTH".into()));
    assert_eq!(at(pt.commitment.span), position(&text, "ChatThroughput:", "ONE_MONTH"));
}

#[test]
fn plan_links_a_custom_model_only_through_configuration_references() {
    let file = "fixtures/source/tf-plan/custom_model_via_configuration.json";
    let (text, doc) = read(file);
    let pt = pt(&doc, "aws_bedrock_provisioned_model_throughput.support");
    assert_eq!(pt.shape, PtShape::Terraform);
    let model = pt.model.as_ref().unwrap();
    assert_eq!(
        model.value,
        Resolved::Ref(Reference::Terraform {
            address: "aws_bedrock_custom_model.tuned".into(),
            attribute: Some("custom_model_arn".into())
        })
    );
    // model_arn is unknown at plan time, so the reference list in `configuration` is where it points.
    assert_eq!(
        at(model.span),
        position(&text, "\"configuration\"", "[\"aws_bedrock_custom_model.tuned.custom_model_arn\"")
    );
    assert_eq!(pt.model_units.as_ref().unwrap().value, Resolved::Known(2));
    assert_eq!(at(pt.model_units.as_ref().unwrap().span), position(&text, "\"planned_values\"", "2,"));
    assert_eq!(at(pt.commitment.span), position(&text, "\"planned_values\"", "\"OneMonth\""));
    assert_eq!(pt.plan_action, Some(ptlint::model::PlanAction::Create));
    assert_eq!(doc.region.as_deref(), Some("us-east-1"));
    assert_eq!(doc.custom_models.len(), 1);
    assert_eq!(pt.tags, vec![("team".to_string(), "support".to_string())]);
}

#[test]
fn plan_modules_for_each_data_sources_and_deletes() {
    let (text, doc) = read("fixtures/source/tf-plan/modules_for_each.json");
    let module_pt = pt(&doc, "module.inference[\"chat\"].aws_bedrock_provisioned_model_throughput.this[\"primary\"]");
    assert_eq!(module_pt.commitment.value, Resolved::Known(Commitment::SixMonths));
    assert_eq!(at(module_pt.commitment.span), position(&text, "\"planned_values\"", "\"SixMonths\""));
    let lite = pt(&doc, "aws_bedrock_provisioned_model_throughput.lite[0]");
    assert_eq!(lite.model.as_ref().unwrap().value, Resolved::Known("amazon.titan-text-lite-v1:0:4k".into()));
    assert_eq!(lite.commitment.value, Resolved::Known(Commitment::NoCommitment));
    assert!(!lite.commitment_explicit);
    assert_eq!(lite.plan_action, Some(ptlint::model::PlanAction::Replace));
    let old = pt(&doc, "aws_bedrock_provisioned_model_throughput.old");
    assert_eq!(old.plan_action, Some(ptlint::model::PlanAction::Delete));
    assert_eq!(old.arn.as_deref(), Some("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcd1234efgh"));
    assert_eq!(doc.region.as_deref(), Some("us-west-2"), "provider region from var.region");
    let alarm = &doc.alarms[0];
    assert_eq!(alarm.resource, "module.inference[\"chat\"].aws_cloudwatch_metric_alarm.idle");
    assert_eq!(
        alarm.metrics[0].model_id.as_ref().unwrap().value,
        Resolved::Ref(Reference::Terraform {
            address: "module.inference[\"chat\"].aws_bedrock_provisioned_model_throughput.this[\"primary\"]".into(),
            attribute: Some("provisioned_model_arn".into())
        })
    );
}

#[test]
fn tf_json_interpolations_variables_locals_and_data() {
    let (text, doc) = read("fixtures/source/tf-json/main.tf.json");
    let support = pt(&doc, "aws_bedrock_provisioned_model_throughput.support");
    assert_eq!(support.model_units.as_ref().unwrap().value, Resolved::Known(2));
    assert_eq!(at(support.model_units.as_ref().unwrap().span), position(&text, "\"support\": {", "\"${var.units}\""));
    assert_eq!(support.commitment.value, Resolved::Known(Commitment::SixMonths));
    assert_eq!(
        support.model.as_ref().unwrap().value,
        Resolved::Ref(Reference::Terraform {
            address: "aws_bedrock_custom_model.tuned".into(),
            attribute: Some("custom_model_arn".into())
        })
    );
    let lite = pt(&doc, "aws_bedrock_provisioned_model_throughput.lite");
    assert_eq!(lite.model.as_ref().unwrap().value, Resolved::Known("amazon.titan-text-lite-v1:0:4k".into()));
    assert_eq!(doc.region.as_deref(), Some("us-east-1"), "the un-aliased provider");
    assert_eq!(
        doc.custom_models[0].base_model.as_ref().unwrap().value,
        Resolved::Known("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k".into())
    );
    assert!(doc.alarms[0].metric_math);
    assert_eq!(doc.budgets[0].limit, Some(rust_decimal::Decimal::from(20000)));
}

fn analyze_paths(paths: &[&str]) -> ptlint::engine::Analysis {
    let options = Options {
        paths: paths.iter().map(|p| root().join(p)).collect(),
        config: Some(root().join("fixtures/source/empty.ptlint.yaml")),
        today: Some(20_000),
        ..Options::default()
    };
    analyze(&options).unwrap()
}

#[test]
fn linking_gives_kind_base_model_region_budgets_and_alarms() {
    let analysis = analyze_paths(&["fixtures/source"]);
    let facts = |resource: &str| analysis.facts.throughputs.iter().find(|t| t.resource == resource).unwrap();
    let support = facts("aws_bedrock_provisioned_model_throughput.support");
    // Both the plan and the .tf.json declare `support`; each links to the custom model in its own file.
    assert_eq!(support.model_kind, ptlint::model::ModelKind::Custom);
    assert_eq!(support.base_model.as_deref(), Some("amazon.titan-text-express-v1:0:8k"));
    let tuned = facts("TunedThroughput");
    assert_eq!(tuned.model_kind, ptlint::model::ModelKind::Custom);
    assert_eq!(tuned.region.as_deref(), Some("us-west-2"));
    assert_eq!(tuned.region_source, Some("model ARN"));
    // The tag budget (user:team$search) of its own template covers it; the .tf.json's Service=Amazon Bedrock budget
    // is another configuration's, so it does not (docs/scope.md).
    assert_eq!(tuned.budgets.covering, vec!["HostingBudget".to_string()]);
    let camel = facts("CamelThroughput");
    assert!(camel.budgets.covering.is_empty(), "no team tag: not the tag budget; the .tf.json's is out of scope");
    let tf_json = analysis.facts.throughputs.iter().find(|t| t.file == "fixtures/source/tf-json/main.tf.json").unwrap();
    assert_eq!(tf_json.budgets.covering, vec!["aws_budgets_budget.bedrock".to_string()], "its own configuration's");
    assert_eq!(
        tuned.alarms.low_utilization + tuned.alarms.silent_when_idle,
        1,
        "the metric-math LessThanOrEqual alarm"
    );
    assert_eq!(tuned.alarms.other_bedrock, 1, "the throttle alarm");
    let chat = facts("ChatThroughputDFFA9F7D");
    assert_eq!(chat.alarms.low_utilization + chat.alarms.silent_when_idle, 1);
    assert_eq!(chat.model_kind, ptlint::model::ModelKind::Foundation);
}

#[test]
fn broken_inputs_are_located_errors_and_other_files_are_still_checked() {
    let analysis = analyze_paths(&["fixtures/source"]);
    let errors: Vec<_> = analysis.errors.iter().map(|e| (e.file.as_str(), e.line, e.column)).collect();
    assert_eq!(
        errors,
        vec![
            ("fixtures/source/broken/future_format.plan.json", 1, 20),
            ("fixtures/source/broken/invalid.yaml", 8, 1),
            ("fixtures/source/broken/truncated.json", 1, 89)
        ]
    );
    assert!(analysis.errors[1].message.contains("flow sequence"));
    assert!(analysis.facts.throughputs.len() >= 8, "the good files are still read");
    assert_eq!(ptlint::engine::exit_code(&analysis, None), 2);
}

#[test]
fn real_corpus_plans_read_without_throughputs() {
    let corpus = root().join("tests/data/corpus/tf-plan");
    assert!(corpus.is_dir(), "test data missing: {} (vendored in the repository)", corpus.display());
    let mut plans = 0;
    for entry in walkdir::WalkDir::new(&corpus).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = decode(&std::fs::read(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let doc = read_document(&path.to_string_lossy(), &text, None)
                .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
                .unwrap_or_else(|| panic!("{} is recognised as a plan", path.display()));
            assert!(doc.throughputs.is_empty(), "{}", path.display());
            plans += 1;
        }
    }
    assert!(plans >= 25, "only {plans} corpus plans were read");
    // The UTF-16 plans are among them.
    assert!(Path::new(&corpus.join("checkov/win_utf16.tfplan.json")).exists());
}

#[test]
fn cdk_yaml_sub_with_a_parameter_stays_symbolic() {
    let (text, doc) = read("fixtures/source/cfn-yaml/cdk_sub.yaml");
    let pt = pt(&doc, "ChatThroughput5E2A1C3B");
    assert_eq!(pt.shape, PtShape::CdkAwsCustomResource);
    assert_eq!(pt.model.as_ref().unwrap().value, Resolved::Known("amazon.nova-lite-v1:0:300k".into()));
    // `Units` has no default: inside the !Sub the units stay a reference to the parameter.
    let units = pt.model_units.as_ref().unwrap();
    assert_eq!(units.value, Resolved::Ref(Reference::CfnRef("Units".into())));
    assert_eq!(at(units.span), position(&text, "Create:", "${Units}"));
    assert_eq!(units.span.end_column - units.span.column, "${Units}".len() as u32);
    assert_eq!(pt.commitment.value, Resolved::Known(Commitment::OneMonth));
    assert_eq!(at(pt.commitment.span), position(&text, "Create:", "\"OneMonth\""));
}

#[test]
fn json_custom_resource_native_type_and_filter_expression_budget() {
    let (text, doc) = read("fixtures/source/cfn-json/custom_resource_and_budget_expression.json");
    let summarizer = pt(&doc, "SummarizerThroughput");
    assert_eq!(summarizer.shape, PtShape::CustomResource);
    // `${AWS::Region}` is not known without --region and is never guessed, but the model ID written after
    // `foundation-model/` is kept, so the PT can be priced once a region is given.
    assert_eq!(summarizer.model.as_ref().unwrap().value, Resolved::Known("cohere.command-light-text-v14".into()));
    assert_eq!(at(summarizer.commitment.span), position(&text, "SummarizerThroughput", "\"SixMonths\""));
    let generated = pt(&doc, "GeneratedThroughput");
    assert_eq!(generated.shape, PtShape::NonexistentNativeType);
    assert_eq!(generated.commitment.value, Resolved::Known(Commitment::NoCommitment));
    assert!(!generated.commitment_explicit);
    let budget = &doc.budgets[0];
    assert_eq!(budget.time_unit.as_deref(), Some("ANNUALLY"));
    assert_eq!(
        budget.filter,
        Some(ptlint::model::BudgetFilter::All(vec![
            ptlint::model::BudgetFilter::Dimension { key: "service".into(), values: vec!["Amazon Bedrock".into()] },
            ptlint::model::BudgetFilter::Tag { key: "team".into(), values: vec!["docs".into()] },
        ]))
    );
    // With a region the Fn::Sub resolves, and the budget (120000/12 a month) covers the tagged PT only.
    let with_region = read_document("x.json", &text, Some("us-east-1")).unwrap().unwrap();
    assert_eq!(
        pt(&with_region, "SummarizerThroughput").model.as_ref().unwrap().value,
        Resolved::Known("arn:aws:bedrock:us-east-1::foundation-model/cohere.command-light-text-v14".into())
    );
}

#[test]
fn state_json_links_an_alarm_by_literal_provisioned_model_arn() {
    let analysis = analyze_paths(&["fixtures/source/tf-plan/state.json"]);
    let live = &analysis.facts.throughputs[0];
    assert_eq!(live.resource, "aws_bedrock_provisioned_model_throughput.live");
    assert_eq!(live.commitment, Some(Commitment::OneMonth));
    assert_eq!(live.region.as_deref(), Some("us-west-2"));
    assert_eq!(live.alarms.low_utilization + live.alarms.silent_when_idle, 1, "ModelId is the PT's literal ARN");
}

#[test]
fn plan_format_version_2_is_rejected_at_the_version() {
    let text = std::fs::read_to_string(root().join("fixtures/source/broken/future_format.plan.json")).unwrap();
    let error = read_document("future_format.plan.json", &text, None).unwrap_err();
    assert_eq!((error.line, error.column), (1, 20));
    assert!(error.message.contains("format_version `2.0`"), "{}", error.message);
}

#[test]
fn plan_follows_module_inputs_and_outputs_to_the_custom_model() {
    let (_, doc) = read("fixtures/source/tf-plan/module_custom_model.json");
    let pt = pt(&doc, "module.serving.aws_bedrock_provisioned_model_throughput.this");
    // var.model_arn <- module.tuning.arn <- aws_bedrock_custom_model.this inside module.tuning
    assert_eq!(
        pt.model.as_ref().unwrap().value,
        Resolved::Ref(Reference::Terraform {
            address: "module.tuning.aws_bedrock_custom_model.this".into(),
            attribute: Some("custom_model_arn".into())
        })
    );
    let analysis = analyze_paths(&["fixtures/source/tf-plan/module_custom_model.json"]);
    let facts = &analysis.facts.throughputs[0];
    assert_eq!(facts.model_kind, ptlint::model::ModelKind::Custom);
    assert_eq!(facts.base_model.as_deref(), Some("meta.llama3-1-8b-instruct-v1:0:128k"));
}

#[test]
fn cyclic_module_references_end() {
    // module.m's output is its input, and the input is module.m's output: Terraform rejects this,
    // ptlint must simply stop.
    let text = r#"{"format_version": "1.2",
      "planned_values": {"root_module": {"child_modules": [{"address": "module.m", "resources": [
        {"address": "module.m.aws_bedrock_provisioned_model_throughput.pt", "mode": "managed",
         "type": "aws_bedrock_provisioned_model_throughput", "name": "pt", "values": {"model_units": 1}}]}]}},
      "configuration": {"root_module": {"module_calls": {"m": {
        "expressions": {"x": {"references": ["module.m.o", "module.m"]}},
        "module": {"outputs": {"o": {"expression": {"references": ["var.x"]}}},
                   "resources": [{"address": "aws_bedrock_provisioned_model_throughput.pt", "mode": "managed",
                     "type": "aws_bedrock_provisioned_model_throughput", "name": "pt",
                     "expressions": {"model_arn": {"references": ["var.x"]}}}]}}}}}}"#;
    let doc = read_document("cycle.json", text, None).unwrap().unwrap();
    assert!(!matches!(doc.throughputs[0].model.as_ref().unwrap().value, Resolved::Known(_)));
}

/// A commitment a plan knows to be null (an `optional()` attribute passed to a module variable that defaults
/// to null, under `for_each`) is no commitment, and is priced; it is not "computed at apply time". The plan
/// was made by terraform 1.11.4 with the aws provider 5.100.0.
#[test]
fn plan_commitment_known_to_be_null_is_no_commitment_and_priced() {
    let file = "fixtures/source/tf-plan/known_null_commitment.json";
    let (_, doc) = read(file);
    let chat = pt(&doc, "module.inference[\"chat\"].aws_bedrock_provisioned_model_throughput.this");
    assert_eq!(chat.commitment.value, Resolved::Known(Commitment::NoCommitment));
    let batch = pt(&doc, "module.inference[\"batch\"].aws_bedrock_provisioned_model_throughput.this");
    assert_eq!(batch.commitment.value, Resolved::Known(Commitment::OneMonth));
    let empty = tempfile::tempdir().unwrap();
    let config = empty.path().join(".ptlint.yaml");
    std::fs::write(&config, "").unwrap();
    let options = Options { paths: vec![root().join(file)], config: Some(config), ..Default::default() };
    let analysis = analyze(&options).unwrap();
    let facts = analysis.facts.throughputs.iter().find(|t| t.resource == chat.resource).expect("chat facts");
    // Llama 3.1 70B no commitment in us-west-2: 24.00 x 1 MU x 730 h.
    assert_eq!(facts.cost.monthly_cost, Some(rust_decimal::Decimal::new(1_752_000, 2)));
    assert!(facts.cost.priced);
}

/// Real plans (terraform 1.11.4, aws provider 5.100.0, a hand-written prior state): the term of the PT a
/// change deletes comes from its prior state, and only when the change really deletes it.
#[test]
fn plan_prior_commitment_only_for_deletes_and_replacements() {
    let address = "aws_bedrock_provisioned_model_throughput.chat";
    for (file, prior) in [
        ("fixtures/committed-throughput-deleted/fail/units_2_to_4_six_months.plan.json", Some(Commitment::SixMonths)),
        ("fixtures/committed-throughput-deleted/fail/removed_one_month.plan.json", Some(Commitment::OneMonth)),
        (
            "fixtures/committed-throughput-deleted/fail/create_before_destroy_model_change.plan.json",
            Some(Commitment::SixMonths),
        ),
        ("fixtures/committed-throughput-deleted/pass/replace_no_commitment.plan.json", Some(Commitment::NoCommitment)),
        ("fixtures/committed-throughput-deleted/pass/tags_update_six_months.plan.json", None),
        ("fixtures/committed-throughput-deleted/pass/forget_six_months.plan.json", None),
        ("fixtures/committed-throughput-deleted/pass/no_change_six_months.plan.json", None),
    ] {
        let (_, doc) = read(file);
        assert_eq!(pt(&doc, address).prior_commitment, prior, "{file}");
    }
    // The replacement is planned with its new values: 4 units, still SixMonths.
    let (_, doc) = read("fixtures/committed-throughput-deleted/fail/units_2_to_4_six_months.plan.json");
    let chat = pt(&doc, address);
    assert_eq!(chat.model_units.as_ref().unwrap().value, Resolved::Known(4));
    assert_eq!(chat.commitment.value, Resolved::Known(Commitment::SixMonths));
}

/// A term AWS does not accept keeps its literal (`ONE_MONTH`), and is never read as `OneMonth`.
#[test]
fn misspelt_commitment_stays_as_written() {
    let (_, doc) = read("fixtures/invalid-throughput/fail/one_month_misspelt_tf_json/main.tf.json");
    let chat = pt(&doc, "aws_bedrock_provisioned_model_throughput.chat");
    assert_eq!(chat.commitment.value, Resolved::Invalid("ONE_MONTH".into()));
    let (_, doc) = read("fixtures/invalid-throughput/fail/fractional_units.yaml");
    assert_eq!(pt(&doc, "ChatThroughput").model_units.as_ref().unwrap().value, Resolved::Invalid("1.5".into()));
}

/// A plan read with the `.tf` it was made from (terraform 1.11.4, aws provider 5.100.0, a prior state with
/// 2 units): the replacement of the SixMonths PT is reported once, on its block in main.tf.
#[test]
fn committed_replacement_lands_on_the_tf_block() {
    let analysis = analyze_paths(&["fixtures/hcl/anchored-replace"]);
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let pt009: Vec<_> = analysis.findings.iter().filter(|f| f.rule == "PT009").collect();
    assert_eq!(pt009.len(), 1, "{pt009:?}");
    assert_eq!(pt009[0].file, "fixtures/hcl/anchored-replace/main.tf");
    assert_eq!((pt009[0].span.line, pt009[0].span.column), (2, 1));
    assert!(pt009[0].message.contains("`SixMonths` commitment"), "{}", pt009[0].message);
}

/// A model given by name is a custom model with no known base: unpriced, until `pricing:` names it.
#[test]
fn custom_model_by_name_is_priced_only_by_config() {
    let file = root().join("fixtures/custom-model-without-hosting-budget/fail/custom_model_by_name.yaml");
    let dir = tempfile::tempdir().unwrap();
    let monthly = |config_text: &str| {
        let config = dir.path().join(".ptlint.yaml");
        std::fs::write(&config, config_text).unwrap();
        let options = Options { paths: vec![file.clone()], config: Some(config), ..Default::default() };
        let analysis = analyze(&options).unwrap();
        let pt = &analysis.facts.throughputs[0];
        assert_eq!(pt.model_kind, ptlint::model::ModelKind::Custom);
        assert_eq!(pt.base_model, None);
        (pt.cost.monthly_cost, pt.cost.unpriced_reason.clone())
    };
    let (cost, reason) = monthly("");
    assert_eq!(cost, None);
    assert_eq!(reason.as_deref(), Some("the base model of custom model `support-assistant-tuned` is not known"));
    let priced = "pricing:\n  - model: support-assistant-tuned\n    provisioned_hourly: {no_commitment: \"23.50\"}\n";
    // 23.50 x 1 MU x 730 h.
    assert_eq!(monthly(priced).0, Some(rust_decimal::Decimal::new(1_715_500, 2)));
}

/// `.tf.json`: a variable whose default is null gives a null commitment (no commitment, priced); an empty
/// string is refused by the provider, so it stays as written.
#[test]
fn tf_json_null_and_empty_commitment_variables() {
    let (_, doc) = read("fixtures/invalid-throughput/pass/null_term_from_variable_tf_json/main.tf.json");
    let chat = pt(&doc, "aws_bedrock_provisioned_model_throughput.chat");
    assert_eq!(chat.commitment.value, Resolved::Known(Commitment::NoCommitment));
    let (_, doc) = read("fixtures/invalid-throughput/fail/empty_term_from_variable_tf_json/main.tf.json");
    let chat = pt(&doc, "aws_bedrock_provisioned_model_throughput.chat");
    assert_eq!(chat.commitment.value, Resolved::Invalid(String::new()));
}

#[test]
fn cdk_stack_region_comes_from_the_manifest_and_the_model_id_survives_an_unknown_region() {
    let region_of = |analysis: &ptlint::engine::Analysis, resource: &str| {
        let facts = analysis.facts.throughputs.iter().find(|t| t.resource == resource).unwrap();
        (facts.model.clone(), facts.region.clone())
    };
    // cdk.out/manifest.json says the stack deploys to us-west-2: `Ref: AWS::Region` resolves there.
    let analysis = analyze_paths(&["fixtures/cdk/cdk.out"]);
    for resource in ["ChatPT", "SubPT"] {
        let (model, region) = region_of(&analysis, resource);
        assert_eq!(
            model.as_deref(),
            Some("arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-text-express-v1:0:8k"),
            "{resource}"
        );
        assert_eq!(region.as_deref(), Some("us-west-2"), "{resource}");
    }
    // Without the manifest (and no --region), the ARN cannot be built, but the model ID written in it is kept.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("fixtures/cdk/cdk.out/ChatStack.template.json"), dir.path().join("Chat.template.json"))
        .unwrap();
    let options = Options { paths: vec![dir.path().to_path_buf()], ..Options::default() };
    let analysis = analyze(&options).unwrap();
    for resource in ["ChatPT", "SubPT"] {
        let (model, region) = region_of(&analysis, resource);
        assert_eq!(model.as_deref(), Some("amazon.titan-text-express-v1:0:8k"), "{resource}");
        assert_eq!(region, None, "{resource}");
    }
}

#[test]
fn step_functions_tasks_that_create_pts_are_pts() {
    let (text, doc) = read("fixtures/stepfunctions/tune_and_host.yaml");
    let names: Vec<&str> = doc.throughputs.iter().map(|t| t.resource.as_str()).collect();
    assert_eq!(names, ["TuneAndHost.Host", "TuneAndHost.Base", "AsString.P"]);
    // `ModelId.$` from the customization job's output: a custom model of the job's base model.
    let host = pt(&doc, "TuneAndHost.Host");
    assert_eq!(host.shape, PtShape::StepFunctionsTask);
    assert_eq!(
        host.model.as_ref().unwrap().value,
        Resolved::Ref(Reference::Terraform {
            address: "TuneAndHost.Tune".into(),
            attribute: Some("CustomModelArn".into())
        })
    );
    assert_eq!(at(host.model.as_ref().unwrap().span), position(&text, "Host:", "$.job.ModelArn"));
    assert_eq!(host.commitment.value, Resolved::Known(Commitment::OneMonth));
    assert_eq!(at(host.commitment.span), position(&text, "Host:", "OneMonth"));
    assert_eq!(
        doc.custom_models[0].base_model.as_ref().unwrap().value,
        Resolved::Known("amazon.titan-text-express-v1:0:8k".into())
    );
    // A task inside a Parallel branch, its model from DefinitionSubstitutions.
    let base = pt(&doc, "TuneAndHost.Base");
    assert_eq!(base.model.as_ref().unwrap().value, Resolved::Known("amazon.titan-text-express-v1:0:8k".into()));
    assert_eq!(base.model_units.as_ref().unwrap().value, Resolved::Known(2));
    // A DefinitionString is parsed; its values point at the string.
    let string = pt(&doc, "AsString.P");
    assert_eq!(string.model_units.as_ref().unwrap().value, Resolved::Known(3));
    assert_eq!(at(string.model_units.as_ref().unwrap().span), position(&text, "AsString:", "'{\"StartAt\""));
    // Linked, the hosted PT is a custom model priced from its base.
    let analysis = analyze_paths(&["fixtures/stepfunctions"]);
    let facts = analysis.facts.throughputs.iter().find(|t| t.resource == "TuneAndHost.Host").unwrap();
    assert_eq!(facts.model_kind, ptlint::model::ModelKind::Custom);
    assert_eq!(facts.base_model.as_deref(), Some("amazon.titan-text-express-v1:0:8k"));
}

#[test]
fn sam_state_machine_definition_uri_is_read_beside_the_template() {
    let (text, doc) = read("fixtures/stepfunctions/sam/template.yaml");
    let reserve = pt(&doc, "HostFlow.Reserve");
    assert_eq!(reserve.model.as_ref().unwrap().value, Resolved::Known("amazon.titan-text-express-v1:0:8k".into()));
    assert_eq!(reserve.commitment.value, Resolved::Known(Commitment::SixMonths));
    // Findings point at the DefinitionUri in the template, since the definition file is not the template.
    assert_eq!(at(reserve.commitment.span), position(&text, "DefinitionUri:", "statemachine/host.asl.json"));
}

#[test]
fn a_sam_state_machine_with_an_external_definition_passes_the_prefilter() {
    let analysis = analyze_paths(&["fixtures/stepfunctions/sam"]);
    assert!(analysis.facts.throughputs.iter().any(|t| t.resource == "HostFlow.Reserve"));
}

#[test]
fn a_definition_string_joined_around_the_region_is_still_read() {
    let (text, doc) = read("fixtures/stepfunctions/joined_definition.json");
    let reserve = pt(&doc, "Hosting.Reserve");
    // No region given: the ARN cannot be built, the model ID in it is kept; the rest of the task is read.
    assert_eq!(reserve.model.as_ref().unwrap().value, Resolved::Known("amazon.titan-text-express-v1:0:8k".into()));
    assert_eq!(reserve.model_units.as_ref().unwrap().value, Resolved::Known(2));
    assert_eq!(reserve.commitment.value, Resolved::Known(Commitment::OneMonth));
    assert_eq!(at(reserve.commitment.span), position(&text, "Hosting", "{\n          \"Fn::Join\""));
}

#[test]
fn a_step_functions_term_set_by_the_execution_is_unknown_not_no_commitment() {
    let path = "fixtures/unpriced-throughput/fail/term_from_step_functions_execution.yaml";
    let (text, doc) = read(path);
    // JSONPath `CommitmentDuration.$`: unknown, at the path's value.
    let reserve = pt(&doc, "ReserveFlow.Reserve");
    assert!(matches!(&reserve.commitment.value, Resolved::Unresolved(why) if why.contains("`$.term`")));
    assert!(reserve.commitment_explicit);
    assert_eq!(at(reserve.commitment.span), position(&text, "CommitmentDuration.$", "$.term"));
    // A JSONata expression is the same, not a misspelt term.
    let jsonata = pt(&doc, "ReserveFlow.ReserveJsonata");
    assert!(matches!(&jsonata.commitment.value, Resolved::Unresolved(why) if why.contains("$states.input.term")));
    assert_eq!(jsonata.model_units.as_ref().unwrap().value, Resolved::Known(1));
    // A JSONata model and unit count are unknown too: no custom model named `{% ... %}`.
    let (_, doc) = read("fixtures/invalid-throughput/pass/jsonata_term_and_model_from_execution.yaml");
    let host = pt(&doc, "HostFlow.Host");
    assert!(
        matches!(&host.model.as_ref().unwrap().value, Resolved::Unresolved(why) if why.contains("$states.input.modelArn"))
    );
    assert!(matches!(host.model_units.as_ref().unwrap().value, Resolved::Unresolved(_)));
}

#[test]
fn a_step_functions_term_written_as_a_placeholder_is_its_substitution_or_unknown() {
    // Joined around a parameter without a default: unknown until deployment, not a misspelt term.
    let (_, doc) = read("fixtures/unpriced-throughput/fail/term_joined_into_definition_string.yaml");
    let reserve = pt(&doc, "Hosting.Reserve");
    assert!(matches!(&reserve.commitment.value, Resolved::Unresolved(why) if why.contains("a value not known here")));
    assert_eq!(reserve.model_units.as_ref().unwrap().value, Resolved::Known(1));
    // `${Term}` named in DefinitionSubstitutions is the value given there.
    let path = "fixtures/commitment-without-usage-evidence/fail/step_functions_term_from_substitution.yaml";
    let (text, doc) = read(path);
    let reserve = pt(&doc, "ReserveFlow.Reserve");
    assert_eq!(reserve.commitment.value, Resolved::Known(Commitment::SixMonths));
    assert_eq!(at(reserve.commitment.span), position(&text, "CommitmentDuration:", "${Term}"));
}

#[test]
fn a_terraform_state_machine_with_its_definition_in_another_file_passes_the_prefilter() {
    // The `.tf` names no Bedrock action: `templatefile()` reads the definition from `reserve.asl.json`.
    let analysis =
        analyze_paths(&["fixtures/commitment-without-usage-evidence/fail/step_functions_definition_file_tf"]);
    let reserve = analysis.facts.throughputs.iter().find(|t| t.resource == "aws_sfn_state_machine.reserve.Reserve");
    assert_eq!(reserve.and_then(|t| t.commitment), Some(Commitment::SixMonths));
}
