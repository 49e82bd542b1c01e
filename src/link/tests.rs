//! Unit tests for linking: which budgets cover a PT, where its region comes from, which alarms watch it, and what
//! its model is, each from small templates read as the run reads them.

use super::*;

fn file(path: &str, text: &str) -> InputFile {
    let document = crate::source::read_document(path, text, None).unwrap().unwrap();
    InputFile { path: path.to_string(), text: text.into(), document }
}

const NO_DEFAULTS: RegionDefaults<'static> = RegionDefaults { flag: None, config: None };

/// [`link`] with each file its own link unit, all governed by the config.
fn link_alone(files: &[InputFile], budgets: &[RunBudget], defaults: &RegionDefaults) -> Vec<LinkedThroughput> {
    let unit: Vec<usize> = (0..files.len()).collect();
    let governed = vec![true; files.len()];
    link(files, &LinkScopes { unit: &unit, governed: &governed }, budgets, defaults)
}

fn pt(name: &str, model: &str, extra: &str) -> String {
    format!(
        "  {name}:\n    Type: AWS::Bedrock::ProvisionedModelThroughput\n    Properties:\n      \
         ProvisionedModelName: {name}\n      ModelId: {model}\n      ModelUnits: 1\n{extra}"
    )
}

fn alarm(name: &str, model_id: &str) -> String {
    format!(
        "  {name}:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: AWS/Bedrock\n      \
         MetricName: Invocations\n      Dimensions:\n        - Name: ModelId\n          Value: {model_id}\n      \
         Statistic: Sum\n      Period: 86400\n      EvaluationPeriods: 1\n      Threshold: 1\n      \
         ComparisonOperator: LessThanThreshold\n"
    )
}

fn template(resources: &[String]) -> String {
    format!("Resources:\n{}", resources.concat())
}

fn tags(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn dimension(key: &str, values: &[&str]) -> BudgetFilter {
    BudgetFilter::Dimension { key: key.into(), values: values.iter().map(|v| v.to_string()).collect() }
}

fn tag(key: &str, values: &[&str]) -> BudgetFilter {
    BudgetFilter::Tag { key: key.into(), values: values.iter().map(|v| v.to_string()).collect() }
}

#[test]
fn budget_filters_cover_by_service_tag_region_and_usage_type() {
    let team = tags(&[("team", "search"), ("env", "prod")]);
    let region = Some("us-east-1");
    assert!(covers_tags(&dimension("service", &["Amazon Bedrock"]), &team, region));
    assert!(covers_tags(&dimension("service", &[" amazonbedrock "]), &team, region));
    assert!(covers_tags(&dimension("service_code", &["Amazon S3", "AmazonBedrock"]), &team, region));
    assert!(!covers_tags(&dimension("service", &["Amazon S3"]), &team, region));
    assert!(covers_tags(&dimension("region", &["eu-west-1", "us-east-1"]), &team, region));
    assert!(!covers_tags(&dimension("region", &["eu-west-1"]), &team, region));
    assert!(!covers_tags(&dimension("region", &["us-east-1"]), &team, None));
    assert!(covers_tags(&dimension("usage_type", &["USE1-ProvisionedThroughput-Units"]), &team, region));
    assert!(covers_tags(&dimension("usage_type_group", &["x-provisionedthroughput"]), &team, region));
    assert!(!covers_tags(&dimension("usage_type", &["USE1-TimedStorage"]), &team, region));
    // An unknown dimension never claims coverage.
    assert!(!covers_tags(&dimension("linked_account", &["123456789012"]), &team, region));
    assert!(covers_tags(&tag("team", &["search", "chat"]), &team, region));
    assert!(!covers_tags(&tag("team", &["chat"]), &team, region));
    assert!(covers_tags(&tag("env", &[]), &team, region), "no values: the tag need only be present");
    assert!(!covers_tags(&tag("owner", &[]), &team, region));
    let bedrock = dimension("service", &["Amazon Bedrock"]);
    let chat = tag("team", &["chat"]);
    assert!(!covers_tags(&BudgetFilter::All(vec![bedrock.clone(), chat.clone()]), &team, region));
    assert!(covers_tags(&BudgetFilter::Any(vec![bedrock.clone(), chat.clone()]), &team, region));
    assert!(!covers_tags(&BudgetFilter::Any(vec![chat.clone()]), &team, region));
    assert!(covers_tags(&BudgetFilter::Not(Box::new(chat)), &team, region));
    assert!(!covers_tags(&BudgetFilter::Not(Box::new(bedrock)), &team, region));
}

#[test]
fn only_cost_budgets_cap_money() {
    let budget = |kind: Option<&str>| Budget {
        resource: "b".into(),
        span: Default::default(),
        name: None,
        budget_type: kind.map(str::to_string),
        limit: None,
        limit_unit: None,
        time_unit: None,
        filter: None,
    };
    assert!(is_cost_budget(&budget(None)));
    assert!(is_cost_budget(&budget(Some("COST"))));
    assert!(is_cost_budget(&budget(Some("cost"))));
    assert!(!is_cost_budget(&budget(Some("USAGE"))));
    assert!(!is_cost_budget(&budget(Some("SAVINGS_PLANS_UTILIZATION"))));
}

#[test]
fn addresses_match_with_or_without_an_instance_index() {
    assert!(address_matches(
        "aws_bedrock_provisioned_model_throughput.x",
        "aws_bedrock_provisioned_model_throughput.x"
    ));
    assert!(address_matches(
        "aws_bedrock_provisioned_model_throughput.x",
        "aws_bedrock_provisioned_model_throughput.x[0]"
    ));
    assert!(address_matches(
        "aws_bedrock_provisioned_model_throughput.x[0]",
        "aws_bedrock_provisioned_model_throughput.x"
    ));
    assert!(!address_matches(
        "aws_bedrock_provisioned_model_throughput.x",
        "aws_bedrock_provisioned_model_throughput.y"
    ));
    assert!(!address_matches(
        "aws_bedrock_provisioned_model_throughput.x[1]",
        "aws_bedrock_provisioned_model_throughput.x[0]"
    ));
}

#[test]
fn region_comes_from_the_model_arn_then_the_flag_then_the_config() {
    let arn = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.titan-text-express-v1:0:8k";
    let files = [file("t.yaml", &template(&[pt("Arn", arn, ""), pt("Id", "amazon.titan-text-express-v1:0:8k", "")]))];
    let region = |defaults: &RegionDefaults| -> Vec<Option<(String, RegionSource)>> {
        link_alone(&files, &[], defaults).into_iter().map(|l| l.region).collect()
    };
    let both = RegionDefaults { flag: Some("us-west-2"), config: Some("us-east-1") };
    assert_eq!(
        region(&both),
        [Some(("eu-west-1".into(), RegionSource::ModelArn)), Some(("us-west-2".into(), RegionSource::Flag))]
    );
    let config = RegionDefaults { flag: None, config: Some("us-east-1") };
    assert_eq!(region(&config)[1], Some(("us-east-1".into(), RegionSource::Config)));
    assert_eq!(region(&NO_DEFAULTS)[1], None);
    assert_eq!(RegionSource::ModelArn.as_str(), "model ARN");
    assert_eq!(RegionSource::Flag.as_str(), "--region");
    assert_eq!(RegionSource::Config.as_str(), "config");
}

#[test]
fn alarms_watch_the_pt_they_name_in_their_own_template() {
    let model = "amazon.titan-text-express-v1:0:8k";
    let one = template(&[
        pt("Chat", model, ""),
        pt("Search", model, ""),
        alarm("ChatIdle", "!Ref Chat"),
        alarm("SearchIdle", "!GetAtt Search.ProvisionedModelArn"),
        alarm("Nobody", "!Ref Missing"),
    ]);
    // Another template's `!Ref Chat` names that template's resource, not this one.
    let other = template(&[alarm("ElsewhereIdle", "!Ref Chat")]);
    let files = [file("a.yaml", &one), file("b.yaml", &other)];
    let linked = link_alone(&files, &[], &NO_DEFAULTS);
    let names = |l: &LinkedThroughput| -> Vec<String> {
        l.alarms.iter().map(|&(f, a)| files[f].document.alarms[a].resource.clone()).collect()
    };
    assert_eq!(names(&linked[0]), ["ChatIdle"]);
    assert_eq!(names(&linked[1]), ["SearchIdle"]);
    let idle = &files[0].document.alarms[0];
    assert!(is_bedrock_alarm(idle) && is_low_utilization_alarm(idle));
}

#[test]
fn model_kinds_from_ids_arns_and_names() {
    let custom_arn = "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abc123";
    let files = [file(
        "t.yaml",
        &template(&[
            pt("Foundation", "amazon.titan-text-express-v1:0:8k", ""),
            pt("CustomArn", custom_arn, ""),
            pt("Param", "!Ref ModelParam", ""),
        ]),
    )];
    let linked = link_alone(&files, &[], &NO_DEFAULTS);
    let kinds: Vec<(ModelKind, Option<&str>)> =
        linked.iter().map(|l| (l.model_kind, l.base_model.as_deref())).collect();
    assert_eq!(
        kinds,
        [
            (ModelKind::Foundation, Some("amazon.titan-text-express-v1:0:8k")),
            (ModelKind::Custom, Some("amazon.titan-text-express-v1:0:8k")),
            (ModelKind::Unknown, None),
        ]
    );
    assert_eq!(linked[2].model.as_deref(), Some("!Ref ModelParam"));
}

#[test]
fn terraform_references_name_a_custom_model_only_when_one_is_there() {
    let pt = |model_arn: &str| {
        format!(
            r#"{{"resource": {{"aws_bedrock_provisioned_model_throughput": {{"pt": {{
                "provisioned_model_name": "pt", "model_arn": "{model_arn}", "model_units": 1,
                "commitment_duration": "OneMonth"}}}}}},
              "data": {{"aws_bedrock_custom_model": {{"tuned": {{"model_id": "tuned-v1"}}}}}}}}"#
        )
    };
    let kind = |model_arn: &str| {
        let files = [file("main.tf.json", &pt(model_arn))];
        let linked = link_alone(&files, &[], &NO_DEFAULTS);
        (linked[0].model_kind, linked[0].base_model.clone())
    };
    // The data source reads an existing custom model, whose base is not in the configuration.
    assert_eq!(kind("${data.aws_bedrock_custom_model.tuned.model_arn}"), (ModelKind::Custom, None));
    // A resource that is not in the configuration could be anything.
    assert_eq!(kind("${aws_bedrock_custom_model.missing.custom_model_arn}"), (ModelKind::Unknown, None));
}

/// The run over one `main.tf` (region from the config).
fn analyze_tf(main_tf: &str) -> crate::engine::Analysis {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), main_tf).unwrap();
    std::fs::write(dir.path().join(".ptlint.yaml"), "region: us-east-1\n").unwrap();
    let options = crate::engine::Options {
        paths: vec![dir.path().join("main.tf")],
        config: Some(dir.path().join(".ptlint.yaml")),
        ..Default::default()
    };
    crate::engine::analyze(&options).unwrap()
}

/// The linked PT of a `.tf` holding two custom models from one `count` (on the bases `base_model_identifier`
/// gives) and a PT whose model is `reference`.
fn pt_on_counted_custom_models(base_model_identifier: &str, reference: &str) -> crate::link::LinkedThroughput {
    let analysis = analyze_tf(&format!(
        r#"
resource "aws_bedrock_custom_model" "m" {{
  count                 = 2
  custom_model_name     = "m${{count.index}}"
  job_name              = "j${{count.index}}"
  base_model_identifier = {base_model_identifier}
  role_arn              = "arn:aws:iam::123456789012:role/x"
  hyperparameters       = {{}}
}}

resource "aws_bedrock_provisioned_model_throughput" "pt" {{
  provisioned_model_name = "pt"
  model_arn              = {reference}
  model_units            = 1
  commitment_duration    = "OneMonth"
}}
"#
    ));
    assert_eq!(analysis.linked.len(), 1);
    analysis.linked.into_iter().next().unwrap()
}

#[test]
fn a_reference_to_one_instance_links_that_instance() {
    // Different bases; the PT names the second instance.
    let pt = pt_on_counted_custom_models(
        r#"["amazon.titan-text-lite-v1:0:4k", "amazon.titan-text-express-v1:0:8k"][count.index]"#,
        "aws_bedrock_custom_model.m[1].custom_model_arn",
    );
    assert_eq!(pt.model_kind, ModelKind::Custom);
    assert_eq!(pt.base_model.as_deref(), Some("amazon.titan-text-express-v1:0:8k"));
}

#[test]
fn a_reference_to_an_instance_not_in_the_run_still_names_a_custom_model() {
    // `m[2]` of a `count = 2` resource: whichever instance it is, it is a custom model of that resource.
    let pt = pt_on_counted_custom_models(
        r#""amazon.titan-text-express-v1:0:8k""#,
        "aws_bedrock_custom_model.m[2].custom_model_arn",
    );
    assert_eq!(pt.model_kind, ModelKind::Custom);
    assert_eq!(pt.base_model.as_deref(), Some("amazon.titan-text-express-v1:0:8k"));
}

#[test]
fn an_alarm_on_one_counted_pt_watches_that_instance_only() {
    let analysis = analyze_tf(
        r#"
resource "aws_bedrock_provisioned_model_throughput" "x" {
  count                  = 2
  provisioned_model_name = "x${count.index}"
  model_arn              = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k"
  model_units            = 1
  commitment_duration    = "OneMonth"
}

resource "aws_cloudwatch_metric_alarm" "idle" {
  alarm_name          = "idle"
  namespace           = "AWS/Bedrock"
  metric_name         = "Invocations"
  dimensions          = { ModelId = aws_bedrock_provisioned_model_throughput.x[1].provisioned_model_arn }
  comparison_operator = "LessThanThreshold"
  statistic           = "Sum"
  period              = 86400
  evaluation_periods  = 1
  threshold           = 1
}
"#,
    );
    let watched: Vec<usize> = analysis.linked.iter().map(|l| l.alarms.len()).collect();
    assert_eq!(watched, [0, 1], "x[0] is not watched, x[1] is");
}

fn budget_resource(name: &str, filter: Option<BudgetFilter>) -> Budget {
    Budget {
        resource: name.into(),
        span: Default::default(),
        name: None,
        budget_type: None,
        limit: None,
        limit_unit: None,
        time_unit: None,
        filter,
    }
}

/// A budget reaches the PTs of its own link unit, a config's budget the PTs its config governs, and a budget that
/// names a PT's ARN that PT wherever it is; nothing else, whatever its filter says.
#[test]
fn budgets_cover_within_their_link_unit_or_by_the_pts_arn() {
    let model = "amazon.titan-text-express-v1:0:8k";
    let arn = "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123";
    let with_arn = |name: &str| {
        let mut f = file(&format!("{name}.yaml"), &template(&[pt(name, model, "")]));
        f.document.throughputs[0].arn = Some(arn.to_string());
        f
    };
    let files = [
        file("a.yaml", &template(&[pt("A", model, "")])),
        file("b.yaml", &template(&[pt("B", model, "")])),
        with_arn("c"),
    ];
    let budgets = [
        RunBudget { budget: budget_resource("in-a", None), file: "a.yaml".into(), reach: Reach::Unit(0) },
        RunBudget { budget: budget_resource("in-b", None), file: "b.yaml".into(), reach: Reach::Unit(1) },
        RunBudget { budget: budget_resource("config", None), file: ".ptlint.yaml".into(), reach: Reach::Governed },
        RunBudget {
            budget: budget_resource("names-c", Some(dimension("resource_id", &[arn]))),
            file: "elsewhere.yaml".into(),
            reach: Reach::Unit(9),
        },
    ];
    let covering = |unit: &[usize], governed: &[bool]| -> Vec<Vec<&str>> {
        link(&files, &LinkScopes { unit, governed }, &budgets, &NO_DEFAULTS)
            .iter()
            .map(|l| l.budgets.iter().map(|b| budgets[b].budget.resource.as_str()).collect())
            .collect()
    };
    assert_eq!(covering(&[0, 1, 2], &[true, false, false]), [vec!["in-a", "config"], vec!["in-b"], vec!["names-c"]]);
    // One unit for a and b (a config's `link_scopes`): each budget covers both.
    assert_eq!(covering(&[0, 0, 2], &[false, false, true]), [vec!["in-a"], vec!["in-a"], vec!["config", "names-c"]]);
}
