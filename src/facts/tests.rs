//! Unit tests for the facts of a PT: budget limits by time unit, usage evidence, alarms and unpriced reasons, with
//! exact Decimal values (the figures are worked out in each test's comments).

use super::unknown::{term_words, why_unknown};
use super::*;
use crate::engine::{analyze, Options};
use crate::model::Budget;
use crate::source::node::Span;
use std::str::FromStr;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// The facts of every PT in a one-file run of `template` under `config`.
fn facts_of(template: &str, config: &str) -> Vec<ThroughputFacts> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.yaml");
    std::fs::write(&path, template).unwrap();
    let config_path = dir.path().join(".ptlint.yaml");
    std::fs::write(&config_path, config).unwrap();
    let options = Options { paths: vec![path], config: Some(config_path), today: Some(20_000), ..Options::default() };
    let analysis = analyze(&options).unwrap();
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    analysis.facts.throughputs
}

fn one(template: &str, config: &str) -> ThroughputFacts {
    let mut all = facts_of(template, config);
    assert_eq!(all.len(), 1);
    all.remove(0)
}

fn budget(limit: &str, time_unit: Option<&str>) -> Budget {
    Budget {
        resource: "Budget".into(),
        span: Span::default(),
        name: None,
        budget_type: Some("COST".into()),
        limit: Some(dec(limit)),
        limit_unit: Some("USD".into()),
        time_unit: time_unit.map(str::to_string),
        filter: None,
    }
}

#[test]
fn monthly_limits_by_time_unit() {
    let hours = dec("730");
    assert_eq!(monthly_limit(&budget("1000", None), hours), Some(dec("1000")));
    assert_eq!(monthly_limit(&budget("1000", Some("MONTHLY")), hours), Some(dec("1000")));
    // 490 a day over 730 / 24 days: 14,904.1666...
    assert_eq!(monthly_limit(&budget("490", Some("DAILY")), hours).unwrap().round_dp(6), dec("14904.166667"));
    assert_eq!(monthly_limit(&budget("490", Some("daily")), dec("744")).unwrap().round_dp(2), dec("15190.00"));
    assert_eq!(monthly_limit(&budget("300", Some("QUARTERLY")), hours), Some(dec("100")));
    assert_eq!(monthly_limit(&budget("1200", Some("ANNUALLY")), hours), Some(dec("100")));
    assert_eq!(monthly_limit(&budget("1200", Some("CUSTOM")), hours), None);
    assert_eq!(monthly_limit(&Budget { limit: None, ..budget("1", None) }, hours), None);
}

#[test]
fn unknown_values_and_terms_read_as_words() {
    assert_eq!(why_unknown::<u32>(None), "");
    assert_eq!(why_unknown(Some(&Resolved::Known(1u32))), "");
    assert_eq!(
        why_unknown::<u32>(Some(&Resolved::Ref(crate::model::Reference::CfnRef("Units".into())))),
        " (it is `!Ref Units`)"
    );
    assert_eq!(why_unknown::<u32>(Some(&Resolved::Unresolved("apply-time".into()))), " (apply-time)");
    assert_eq!(why_unknown::<u32>(Some(&Resolved::Invalid("Weekly".into()))), " (`Weekly` is not a value AWS accepts)");
    assert_eq!(term_words(Commitment::NoCommitment), "with no commitment");
    assert_eq!(term_words(Commitment::OneMonth), "for a 1-month commitment");
    assert_eq!(term_words(Commitment::SixMonths), "for a 6-month commitment");
}

const SONNET_CONFIG: &str = r#"
region: us-east-1
pricing:
  - model: anthropic.claude-3-5-sonnet-20240620-v1:0
    provisioned_hourly: {no_commitment: "50.00", one_month: "40.00", six_months: "25.00"}
    on_demand_per_million: {input: "3.00", output: "15.00"}
policy:
  tokens_per_minute_per_unit:
    anthropic.claude-3-5-sonnet-20240620-v1:0: {input: 1000000, output: 100000}
usage:
  Chat:
    observed_days: 90
    monthly_input_tokens: 3000000000
    monthly_output_tokens: 600000000
"#;

fn sonnet_pt(units: u32, term: &str) -> String {
    format!(
        "Resources:\n  Chat:\n    Type: AWS::Bedrock::ProvisionedModelThroughput\n    Properties:\n      \
         ProvisionedModelName: chat\n      ModelId: anthropic.claude-3-5-sonnet-20240620-v1:0\n      \
         ModelUnits: {units}\n      CommitmentDuration: {term}\n"
    )
}

#[test]
fn usage_facts_from_declared_evidence() {
    let facts = one(&sonnet_pt(2, "SixMonths"), SONNET_CONFIG);
    // 2 MU x $25.00 x 730 h = $36,500.00 a month.
    assert_eq!(facts.cost.monthly_cost, Some(dec("36500.00")));
    let usage = facts.usage;
    assert!(usage.present);
    assert_eq!(usage.required_days, 90);
    assert_eq!(usage.observed_days, Some(90));
    // 90 observed days meet the 90 a 6-month term needs.
    assert_eq!(usage.days_sufficient, Some(true));
    assert_eq!(usage.monthly_input_tokens, Some(3_000_000_000));
    assert_eq!(usage.monthly_output_tokens, Some(600_000_000));
    assert_eq!(usage.source.as_deref(), Some("config"));
    // On demand: 3,000 M x $3.00 + 600 M x $15.00 = $18,000.00, below the standing cost.
    assert_eq!(usage.on_demand_monthly_cost, Some(dec("18000.00")));
    assert_eq!(usage.below_break_even, Some(true));
    // Break-even at the proven 5:1 mix: $36,500 / ($3.00 + $15.00 / 5 per M input) = 6,083.33 M input tokens.
    let input = usage.break_even_input_tokens.unwrap();
    let output = usage.break_even_output_tokens.unwrap();
    assert!((6_083_333_000..=6_083_334_000).contains(&input), "{input}");
    assert!((1_216_666_000..=1_216_667_000).contains(&output), "{output}");
    // Capacity: 2 MU x 730 h x 60 min = 87,600 unit-minutes. Input 3.0 B / 87.6 B = 0.0342; output 0.6 B / 8.76 B
    // = 0.0685, the busier direction.
    assert_eq!(usage.utilization, Some(dec("0.0685")));
    assert_eq!(usage.utilization_low, Some(true));
    assert_eq!(usage.error, None);
}

#[test]
fn too_few_observed_days_and_a_busy_pt() {
    let config = SONNET_CONFIG
        .replace("observed_days: 90", "observed_days: 89")
        .replace("monthly_output_tokens: 600000000", "monthly_output_tokens: 8000000000");
    let usage = one(&sonnet_pt(2, "SixMonths"), &config).usage;
    assert_eq!(usage.days_sufficient, Some(false));
    // Output 8.0 B / 8.76 B = 0.9132: busy, so not low.
    assert_eq!(usage.utilization, Some(dec("0.9132")));
    assert_eq!(usage.utilization_low, Some(false));
    // On demand: $9,000 + 8,000 M x $15.00 = $129,000.00, above the standing cost.
    assert_eq!(usage.on_demand_monthly_cost, Some(dec("129000.00")));
    assert_eq!(usage.below_break_even, Some(false));
    // A 1-month term needs 30 days.
    let usage = one(&sonnet_pt(1, "OneMonth"), &config).usage;
    assert_eq!(usage.required_days, 30);
    assert_eq!(usage.days_sufficient, Some(true));
    // 1 MU: half the capacity, so output 8.0 B / 4.38 B is over 1.
    assert_eq!(usage.utilization, Some(dec("1.8265")));
}

#[test]
fn no_evidence_leaves_usage_absent() {
    let config = SONNET_CONFIG.replace("  Chat:\n", "  Other:\n");
    let usage = one(&sonnet_pt(2, "SixMonths"), &config).usage;
    assert!(!usage.present);
    assert_eq!(usage.required_days, 90);
    assert_eq!(usage.observed_days, None);
    assert_eq!(usage.utilization, None);
}

#[test]
fn alarm_facts_count_each_kind() {
    let alarm = |name: &str, namespace: &str, metric: &str, operator: &str| {
        format!(
            "  {name}:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Namespace: {namespace}\n      \
             MetricName: {metric}\n      Dimensions:\n        - Name: ModelId\n          Value: !Ref Chat\n      \
             Statistic: Sum\n      Period: 86400\n      EvaluationPeriods: 1\n      Threshold: 1\n      \
             ComparisonOperator: {operator}\n"
        )
    };
    let template = format!(
        "{}{}{}{}{}",
        sonnet_pt(1, "OneMonth"),
        alarm("Idle", "AWS/Bedrock", "Invocations", "LessThanThreshold"),
        alarm("IdleTokens", "AWS/Bedrock", "OutputTokenCount", "LessThanOrEqualToThreshold"),
        alarm("Throttled", "AWS/Bedrock", "InvocationThrottles", "GreaterThanThreshold"),
        alarm("Custom", "Team/Chat", "Invocations", "LessThanThreshold"),
    );
    let alarms = one(&template, SONNET_CONFIG).alarms;
    // Neither idle alarm treats missing data as breaching: an idle PT leaves them INSUFFICIENT_DATA.
    assert_eq!((alarms.low_utilization, alarms.silent_when_idle, alarms.other_bedrock, alarms.other), (0, 2, 1, 1));
    assert_eq!(alarms.silent_names, ["Idle", "IdleTokens"]);
    assert_eq!(alarms.names, ["Idle", "IdleTokens", "Throttled", "Custom"]);
    // Breaching (or a parameter ptlint cannot see) makes them count; notBreaching and ignore do not.
    let with = |treat: &str| {
        template.replace(
            "ComparisonOperator: LessThan",
            &format!("TreatMissingData: {treat}\n      ComparisonOperator: LessThan"),
        )
    };
    let counts = |treat: &str| {
        let alarms = one(&with(treat), SONNET_CONFIG).alarms;
        (alarms.low_utilization, alarms.silent_when_idle)
    };
    assert_eq!(counts("breaching"), (2, 0));
    assert_eq!(counts("notBreaching"), (0, 2));
    assert_eq!(counts("ignore"), (0, 2));
    assert_eq!(counts("!Ref MissingData"), (2, 0));
}

#[test]
fn why_a_pt_is_unpriced() {
    // The reason, and beside each null cost figure the same reason and how to supply it. The `pricing:` entry
    // to fill in is offered only where one would price the PT: a missing rate, or a custom model's unknown base.
    let supplied = |template: &str, config: &str| {
        let facts = one(template, config);
        assert!(!facts.cost.priced);
        let reason = facts.cost.unpriced_reason.clone().unwrap();
        let monthly = facts.cost.unknown.get("monthly_cost").expect("monthly_cost has a reason").clone();
        assert_eq!(monthly.why, format!("its standing cost is unknown: {reason}"));
        assert_eq!(facts.cost.unknown.get("hourly_rate"), Some(&monthly));
        let snippet = facts.cost.config_snippet.is_some();
        assert_eq!(snippet, monthly.supply.as_deref() == Some(super::unknown::SUPPLY_RATE), "{reason}");
        (reason, monthly.supply)
    };
    let reason = |template: &str, config: &str| supplied(template, config).0;
    let pt = |model: &str, units: &str, term: &str| {
        format!(
            "Parameters:\n  Units:\n    Type: Number\n  Term:\n    Type: String\nResources:\n  Chat:\n    \
             Type: AWS::Bedrock::ProvisionedModelThroughput\n    Properties:\n      ProvisionedModelName: chat\n\
             {model}      ModelUnits: {units}\n      CommitmentDuration: {term}\n"
        )
    };
    let titan = "      ModelId: amazon.titan-text-express-v1:0:8k\n";
    let region = "region: us-east-1\n";
    assert_eq!(reason(&pt("", "1", "OneMonth"), region), "no model is given");
    assert_eq!(
        reason(&pt(titan, "!Ref Units", "OneMonth"), region),
        "the number of model units is not known (it is `!Ref Units`)"
    );
    assert_eq!(reason(&pt(titan, "1", "!Ref Term"), region), "the commitment term is not known (it is `!Ref Term`)");
    assert!(reason(&pt(titan, "1", "OneMonth"), "").starts_with("the region is not known"));
    // Claude 3.5 Sonnet: on-demand prices are published, a PT rate is not.
    let sonnet = "      ModelId: anthropic.claude-3-5-sonnet-20240620-v1:0\n";
    assert_eq!(
        reason(&pt(sonnet, "1", "SixMonths"), region),
        "the price catalog has no provisioned-throughput rate for `anthropic.claude-3-5-sonnet-20240620-v1:0` in \
         us-east-1 for a 6-month commitment (its on-demand prices are known)"
    );
    // A custom model known by its name says nothing of its base; one known by its ARN does.
    assert_eq!(
        reason(&pt("      ModelId: support-assistant-tuned\n", "1", "OneMonth"), region),
        "the base model of custom model `support-assistant-tuned` is not known"
    );
    let custom =
        "      ModelId: arn:aws:bedrock:us-east-1:123456789012:custom-model/example.unknown-model-v1:0/abc123\n";
    assert_eq!(
        reason(&pt(custom, "1", "OneMonth"), ""),
        "the price catalog has no provisioned-throughput rate for `example.unknown-model-v1:0` in us-east-1 for a \
         1-month commitment"
    );
    assert_eq!(
        reason(&pt("      ModelId: example.unknown-model-v1:0\n", "1", "OneMonth"), region),
        "the price catalog has no provisioned-throughput rate for `example.unknown-model-v1:0` in us-east-1 for a \
         1-month commitment"
    );
    // How to supply it, per cause: a parameter's default, a rate, or nothing ptlint reads (the reason says it).
    let supply = |template: &str, config: &str| supplied(template, config).1;
    assert_eq!(
        supply(&pt(titan, "!Ref Units", "OneMonth"), region).as_deref(),
        Some("give template parameter `Units` a `Default` (ptlint reads parameter defaults)")
    );
    assert_eq!(
        supply(&pt(titan, "1", "!Ref Term"), region).as_deref(),
        Some("give template parameter `Term` a `Default` (ptlint reads parameter defaults)")
    );
    assert_eq!(
        supply(&pt(titan, "1", "Weekly"), region).as_deref(),
        Some("write a value AWS accepts (PT008 says which)")
    );
    assert_eq!(supply(&pt(sonnet, "1", "SixMonths"), region).as_deref(), Some(super::unknown::SUPPLY_RATE));
    assert_eq!(
        supply(&pt("      ModelId: support-assistant-tuned\n", "1", "OneMonth"), region).as_deref(),
        Some(super::unknown::SUPPLY_RATE)
    );
    // A rate without `region:` prices a PT whose region is not known.
    assert_eq!(supply(&pt(titan, "1", "OneMonth"), "").as_deref(), Some(super::unknown::SUPPLY_RATE));
    let regionless =
        "pricing:\n  - model: amazon.titan-text-express-v1\n    provisioned_hourly: {no_commitment: \"30.00\", \
                      one_month: \"20.00\", six_months: \"10.00\"}\n";
    let facts = one(&pt(titan, "1", "OneMonth"), regionless);
    assert!(facts.region.is_none() && facts.cost.priced, "{:?}", facts.cost);
    assert_eq!(supply(&pt("", "1", "OneMonth"), region), None);
    // The parameter's default is read: with one, the same PT is priced and nothing is unknown.
    let defaulted = pt(titan, "!Ref Units", "OneMonth").replace("Type: Number\n", "Type: Number\n    Default: 1\n");
    let facts = one(&defaulted, region);
    assert!(facts.cost.priced && facts.cost.unknown.is_empty(), "{:?}", facts.cost);
}

#[test]
fn priced_pt_carries_its_rate_and_source() {
    let facts = one(&sonnet_pt(2, "OneMonth"), SONNET_CONFIG);
    assert!(facts.cost.priced);
    assert_eq!(facts.cost.hourly_rate, Some(dec("40.00")));
    assert_eq!(facts.cost.hourly_cost, Some(dec("80.00")));
    // 2 MU x $40.00 x 730 h = $58,400.00 a month; one month of it.
    assert_eq!(facts.cost.monthly_cost, Some(dec("58400.00")));
    assert_eq!(facts.cost.commitment_total, Some(dec("58400.00")));
    assert_eq!(facts.cost.on_demand_input_per_million, Some(dec("3.00")));
    assert_eq!(facts.cost.on_demand_output_per_million, Some(dec("15.00")));
    assert!(facts.cost.rate_source.is_some());
    assert_eq!(facts.cost.unpriced_reason, None);
    assert_eq!(facts.commitment, Some(Commitment::OneMonth));
    assert_eq!(facts.model_units, Some(2));
}

#[test]
fn on_demand_cost_equal_to_the_standing_cost_is_not_below_break_even() {
    let config = SONNET_CONFIG
        .replace("{input: \"3.00\", output: \"15.00\"}", "{input: \"2.00\", output: \"10.00\"}")
        .replace("monthly_input_tokens: 3000000000", "monthly_input_tokens: 14600000000")
        .replace("monthly_output_tokens: 600000000", "monthly_output_tokens: 0");
    let facts = one(&sonnet_pt(1, "OneMonth"), &config);
    // 1 MU x $40.00 x 730 h = $29,200.00; 14,600 M input tokens x $2.00 = $29,200.00 on demand.
    assert_eq!(facts.cost.monthly_cost, Some(dec("29200.00")));
    assert_eq!(facts.usage.on_demand_monthly_cost, Some(dec("29200.00")));
    assert_eq!(facts.usage.below_break_even, Some(false));
    // Break-even at the proven mix (all input): exactly the proven volume.
    assert_eq!(facts.usage.break_even_input_tokens, Some(14_600_000_000));
    assert_eq!(facts.usage.break_even_output_tokens, Some(0));
}

#[test]
fn no_proven_tokens_fall_back_to_the_default_mix() {
    let config = SONNET_CONFIG
        .replace("monthly_input_tokens: 3000000000", "monthly_input_tokens: 0")
        .replace("monthly_output_tokens: 600000000", "monthly_output_tokens: 0");
    let usage = one(&sonnet_pt(2, "SixMonths"), &config).usage;
    assert_eq!(usage.on_demand_monthly_cost, Some(dec("0")));
    // $36,500 at the default 3:1 mix: 3 M input x $3.00 + 1 M output x $15.00 = $24.00 per 4 M tokens, so
    // 36,500 / 24 = 1,520.83 of those: 4,562.5 M input and 1,520.83 M output tokens (rounded up).
    assert_eq!(crate::pricing::DEFAULT_MIX, (3, 1));
    assert_eq!(usage.break_even_input_tokens, Some(4_562_500_000));
    assert_eq!(usage.break_even_output_tokens, Some(1_520_833_334));
}

#[test]
fn a_direction_with_no_capacity_figure_does_not_count() {
    let config = SONNET_CONFIG.replace("{input: 1000000, output: 100000}", "{input: 1000000, output: 0}");
    let usage = one(&sonnet_pt(2, "SixMonths"), &config).usage;
    // Input only: 3.0 B / 87.6 B = 0.0342.
    assert_eq!(usage.utilization, Some(dec("0.0342")));
}

#[test]
fn utilization_at_the_threshold_is_not_low() {
    let config = SONNET_CONFIG
        .replace("monthly_input_tokens: 3000000000", "monthly_input_tokens: 21900000000")
        .replace("monthly_output_tokens: 600000000", "monthly_output_tokens: 0");
    // 1 MU: 730 h x 60 min x 1,000,000 input tokens a minute = 43.8 B; 21.9 B is half, the default threshold.
    let usage = one(&sonnet_pt(1, "OneMonth"), &config).usage;
    assert_eq!(usage.utilization, Some(dec("0.5")));
    assert_eq!(usage.utilization_low, Some(false));
}

#[test]
fn a_conditional_commitment_commits_in_every_branch_or_not() {
    let conditional = |term: &str| {
        format!(
            "Parameters:\n  Env:\n    Type: String\nConditions:\n  Prod: !Equals [!Ref Env, prod]\n{}",
            sonnet_pt(1, term)
        )
    };
    let both = one(&conditional("!If [Prod, SixMonths, OneMonth]"), SONNET_CONFIG);
    assert_eq!(both.commitment_options, [Commitment::SixMonths, Commitment::OneMonth]);
    assert!(both.every_branch_commits);
    let one_branch = one(&conditional("!If [Prod, SixMonths, !Ref AWS::NoValue]"), SONNET_CONFIG);
    assert_eq!(one_branch.commitment_options, [Commitment::SixMonths, Commitment::NoCommitment]);
    assert!(!one_branch.every_branch_commits);
    // A plain term is not conditional.
    let plain = one(&sonnet_pt(1, "SixMonths"), SONNET_CONFIG);
    assert!(plain.commitment_options.is_empty());
    assert!(!plain.every_branch_commits);
}

#[test]
fn budgets_are_named_by_their_config_name_or_their_resource() {
    let config = format!(
        "{SONNET_CONFIG}budgets:\n  - name: bedrock-hosting\n    limit: \"50000\"\n    time_unit: MONTHLY\n    \
         filters: {{services: [Amazon Bedrock]}}\n"
    );
    let team_budget = "  TeamBudget:\n    Type: AWS::Budgets::Budget\n    Properties:\n      Budget:\n        \
                       BudgetName: team-cap\n        BudgetType: COST\n        TimeUnit: MONTHLY\n        \
                       BudgetLimit: {Amount: 10000, Unit: USD}\n        CostFilters: {Service: [Amazon Bedrock]}\n";
    let facts = one(&format!("{}{team_budget}", sonnet_pt(2, "SixMonths")), &config);
    let budgets = facts.budgets;
    assert_eq!(budgets.count, 2);
    // A template's budget by its logical ID (where the finding points); a config budget by its name.
    assert_eq!(budgets.covering, ["TeamBudget", "bedrock-hosting"]);
    // $10,000 against $37,200 covered (2 MU x $25 x 744 h, the longest month) leaves the least headroom.
    assert_eq!(budgets.tightest.as_deref(), Some("TeamBudget"));
    assert_eq!(budgets.monthly_limit, Some(dec("10000")));
    assert_eq!(budgets.covered_monthly_cost, Some(dec("37200.00")));
    assert!(budgets.limit_below_cost);
}

/// AWS bills by the hour, and a monthly budget must hold in the longest month: a custom Titan Text Express PT on
/// a 1-month term costs 18.40 x 730 = 13,432.00 in the average month the cost report uses, but
/// 18.40 x 744 = 13,689.60 in a 31-day month, which is what a $13,500 budget is judged against.
#[test]
fn budgets_are_judged_against_the_longest_month() {
    let template = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/hosting-budget-below-standing-cost/fail/custom_budget_holds_only_the_average_month.yaml"
    ))
    .unwrap();
    let facts = one(&template, "");
    assert_eq!(facts.cost.monthly_cost, Some(dec("13432.00")));
    assert_eq!(facts.budgets.hours, dec("744"));
    assert_eq!(facts.budgets.monthly_limit, Some(dec("13500")));
    assert_eq!(facts.budgets.covered_monthly_cost, Some(dec("13689.60")));
    assert!(facts.budgets.limit_below_cost);
    // AWS's own worked example: 2 MU x $18.40 x 24 x 31 = $27,379.20.
    assert_eq!(dec("2") * dec("18.40") * budget_hours(dec("730")), dec("27379.20"));
    // A config that sets a longer month keeps it; a shorter one does not shorten the longest month.
    assert_eq!(budget_hours(dec("750")), dec("750"));
    assert_eq!(budget_hours(dec("672")), dec("744"));
}

#[test]
fn why_usage_figures_are_unknown() {
    let pt = |model: &str| {
        format!(
            "Resources:\n  Chat:\n    Type: Custom::ProvisionedThroughput\n    Properties:\n      ServiceToken: x\n      \
             ModelId: {model}\n      ModelUnits: 1\n      CommitmentDuration: OneMonth\n"
        )
    };
    let usage = "usage:\n  Chat: {observed_days: 40, monthly_input_tokens: 1000000, monthly_output_tokens: 1000}\n";
    let why = |facts: &ThroughputFacts, field: &str| {
        facts.usage.unknown.get(field).map(|u| (u.why.clone(), u.supply.clone()))
    };
    // A custom model: priced at its base's rate, with no on-demand price to compare with and nothing to supply.
    let custom =
        one(&pt("arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abc"), usage);
    assert!(custom.cost.priced && custom.usage.on_demand_monthly_cost.is_none());
    let (text, supply) = why(&custom, "on_demand_monthly_cost").unwrap();
    assert_eq!(text, "a custom model has no on-demand price to break even against");
    assert_eq!(supply, None);
    assert_eq!(why(&custom, "break_even_input_tokens"), why(&custom, "on_demand_monthly_cost"));
    // Utilization needs the tokens per minute of a model unit, which AWS does not publish.
    let (text, supply) = why(&custom, "utilization").unwrap();
    assert!(text.ends_with("are not known (AWS does not publish them)"), "{text}");
    assert_eq!(
        supply.as_deref(),
        Some("set `policy.tokens_per_minute_per_unit` for `amazon.titan-text-express-v1:0:8k` in `.ptlint.yaml`")
    );
    // A base model priced by a `pricing:` entry without on-demand prices: the entry to add says which keys.
    let config = format!(
        "region: eu-west-3\npricing:\n  - model: mistral.mistral-large-2407-v1:0\n    provisioned_hourly: \
         {{no_commitment: \"60.00\", one_month: \"48.00\", six_months: \"30.00\"}}\n{usage}"
    );
    let mistral = one(&pt("arn:aws:bedrock:eu-west-3::foundation-model/mistral.mistral-large-2407-v1:0"), &config);
    let (text, supply) = why(&mistral, "on_demand_monthly_cost").unwrap();
    assert_eq!(
        text,
        "the on-demand comparison is unknown: no on-demand token price is known for `mistral.mistral-large-2407-v1:0`"
    );
    assert!(supply.unwrap().starts_with("add `on_demand_per_million: {input:"));
    // On-demand prices of zero: the comparison is known ($0.00), no volume breaks even.
    let free = config.replace(
        "    provisioned_hourly:",
        "    on_demand_per_million: {input: \"0\", output: \"0\"}\n    provisioned_hourly:",
    );
    let free = one(&pt("arn:aws:bedrock:eu-west-3::foundation-model/mistral.mistral-large-2407-v1:0"), &free);
    assert_eq!(free.usage.on_demand_monthly_cost, Some(Decimal::ZERO));
    assert!(!free.usage.unknown.contains_key("on_demand_monthly_cost"));
    assert_eq!(
        why(&free, "break_even_input_tokens").unwrap().0,
        "there is no break-even volume: the on-demand token prices of `mistral.mistral-large-2407-v1:0` are zero"
    );
    // Known figures have no reason; without evidence there is nothing to say about usage at all.
    let region = "region: us-east-1\n";
    let titan = one(
        &pt("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k"),
        &format!("{region}{usage}"),
    );
    assert!(titan.usage.on_demand_monthly_cost.is_some());
    assert_eq!(titan.usage.unknown.keys().copied().collect::<Vec<_>>(), ["utilization"]);
    let none = one(&pt("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k"), region);
    assert!(none.usage.unknown.is_empty());
}
