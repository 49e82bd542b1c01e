//! Unit tests for rates, overrides, cost arithmetic, the config snippet and model-ID parsing.

use super::*;
use crate::model::{Commitment, ModelKind};
use rust_decimal::Decimal;
use serde::Deserialize;

/// An exact `Decimal` from its literal text (no float on the way).
fn worked_example_override() -> PriceOverride {
    PriceOverride {
        model: "anthropic.claude-3-5-sonnet-20240620-v1:0".to_string(),
        region: None,
        provisioned_hourly: Some(HourlyRates { no_commitment: None, one_month: None, six_months: Some(dec!(25.00)) }),
        on_demand_per_million: Some(TokenRates { input: dec!(3.00), output: Some(dec!(15.00)) }),
        source: None,
    }
}

#[test]
fn worked_example_two_units_six_months() {
    let catalog = Catalog::embedded().with_overrides(&[worked_example_override()]);
    let price = catalog
        .lookup("anthropic.claude-3-5-sonnet-20240620-v1:0:200k", ModelKind::Foundation, Some("us-east-1"))
        .unwrap();
    let rate = price.hourly_rate(Commitment::SixMonths).unwrap();
    assert_eq!(rate, dec!(25));
    assert!(price.from_config());
    assert_eq!(price.source(), "config");

    let est = estimate(2, rate, Commitment::SixMonths, dec!(730));
    assert_eq!(est.hourly_rate, dec!(25));
    assert_eq!(est.hourly_cost, dec!(50));
    assert_eq!(est.monthly_cost, dec!(36500));
    assert_eq!(est.commitment_total, Some(dec!(219000)));
    assert_eq!(round_money(est.monthly_cost).to_string(), "36500.00");

    let rates = price.on_demand_per_million().unwrap();
    // 3.0B input + 0.6B output at $3 / $15 per 1M = 9000 + 9000.
    assert_eq!(on_demand_cost(3_000_000_000, 600_000_000, rates), dec!(18000));

    // Break-even at a 5:1 mix: 36500 / (5 × 3 + 1 × 15) = 1216.67 mix units of (5M in + 1M out).
    let (input, output) = break_even(est.monthly_cost, 5, 1, rates).unwrap();
    assert_eq!((input, output), (6_083_333_334, 1_216_666_667));
    assert!((input as f64 / 1e9 - 6.08).abs() < 0.01, "{input}");
    assert!((output as f64 / 1e9 - 1.22).abs() < 0.01, "{output}");
    // Rounded up, so on-demand at the break-even volume is not cheaper than the PT.
    assert!(on_demand_cost(input, output, rates) >= est.monthly_cost);
    assert!(on_demand_cost(input - 1, output - 1, rates) < est.monthly_cost);
}

#[test]
fn month_of_730_versus_744_hours() {
    // AWS's example (domain.md §6.1): 2 MU × $18.40 × 24 × 31 = $27,379.20 (Titan Text Express, 1 month).
    let rate = Catalog::embedded()
        .lookup("amazon.titan-text-express-v1:0:8k", ModelKind::Foundation, Some("us-east-1"))
        .and_then(|p| p.hourly_rate(Commitment::OneMonth))
        .unwrap();
    assert_eq!(rate, dec!(18.40));
    let aws = estimate(2, rate, Commitment::OneMonth, dec!(744));
    assert_eq!(aws.monthly_cost, dec!(27379.20));
    assert_eq!(aws.commitment_total, Some(dec!(27379.20)));
    let finops = estimate(2, rate, Commitment::OneMonth, dec!(730));
    assert_eq!(finops.monthly_cost, dec!(26864.00));
    assert_eq!(aws.monthly_cost - finops.monthly_cost, dec!(515.20));
}

#[test]
fn estimate_terms_and_units() {
    let none = estimate(1, dec!(20.50), Commitment::NoCommitment, dec!(730));
    assert_eq!(none.hourly_cost, dec!(20.50));
    assert_eq!(none.monthly_cost, dec!(14965));
    assert_eq!(none.commitment_total, None);
    let six = estimate(3, dec!(14.80), Commitment::SixMonths, dec!(730));
    assert_eq!(six.hourly_cost, dec!(44.40));
    assert_eq!(six.monthly_cost, dec!(32412));
    assert_eq!(six.commitment_total, Some(dec!(194472)));
    let zero = estimate(0, dec!(14.80), Commitment::OneMonth, dec!(730));
    assert_eq!(zero.monthly_cost, Decimal::ZERO);
    // No rounding inside: sub-cent precision is kept.
    let fine = estimate(1, dec!(0.035), Commitment::NoCommitment, dec!(1));
    assert_eq!(fine.monthly_cost.to_string(), "0.035");
}

#[test]
fn round_money_is_half_away_from_zero() {
    assert_eq!(round_money(dec!(0.125)).to_string(), "0.13");
    assert_eq!(round_money(dec!(0.135)).to_string(), "0.14");
    assert_eq!(round_money(dec!(2.5)).to_string(), "2.50");
    assert_eq!(round_money(dec!(1.004)).to_string(), "1.00");
    assert_eq!(round_money(dec!(-0.125)).to_string(), "-0.13");
    assert_eq!(round_money(dec!(27379.2)).to_string(), "27379.20");
}

#[test]
fn on_demand_cost_without_output_price() {
    let embed = TokenRates { input: dec!(0.02), output: None };
    // Output tokens are free when there is no output price.
    assert_eq!(on_demand_cost(50_000_000, 7_000_000, &embed), dec!(1.00));
    let nova_micro = TokenRates { input: dec!(0.035), output: Some(dec!(0.14)) };
    assert_eq!(on_demand_cost(1_000, 1_000, &nova_micro), dec!(0.000175));
    assert_eq!(on_demand_cost(0, 0, &nova_micro), Decimal::ZERO);
}

#[test]
fn break_even_edges() {
    let rates = TokenRates { input: dec!(0.72), output: Some(dec!(0.72)) };
    // domain.md §6.4: Llama 3.1 70B, 1 month: 21.18 × 730 = 15461.40/month; 21.5B tokens at 0.72.
    let monthly = estimate(1, dec!(21.18), Commitment::OneMonth, dec!(730)).monthly_cost;
    let (i, o) = break_even(monthly, DEFAULT_MIX.0, DEFAULT_MIX.1, &rates).unwrap();
    assert_eq!((i, o), (16_105_625_000, 5_368_541_667));
    assert!(((i + o) as f64 / 1e9 - 21.5).abs() < 0.05);

    let free = TokenRates { input: Decimal::ZERO, output: Some(Decimal::ZERO) };
    assert_eq!(break_even(dec!(100), 3, 1, &free), None);
    assert_eq!(break_even(dec!(100), 0, 0, &rates), None);
    // Input-only mix against an embedding model (no output price).
    let embed = TokenRates { input: dec!(0.10), output: None };
    assert_eq!(break_even(dec!(100), 1, 0, &embed), Some((1_000_000_000, 0)));
    assert_eq!(break_even(dec!(100), 0, 1, &embed), None);
    assert_eq!(break_even(Decimal::ZERO, 3, 1, &rates), Some((0, 0)));
    assert_eq!(break_even(dec!(-1), 3, 1, &rates), None);
    // A cost a fraction of a cent below zero is negative too (its volumes would round to zero tokens); a zero that
    // carries a minus sign is zero.
    assert_eq!(break_even(dec!(-0.001), 3, 1, &rates), None);
    let mut negative_zero = Decimal::ZERO;
    negative_zero.set_sign_negative(true);
    assert_eq!(break_even(negative_zero, 3, 1, &rates), Some((0, 0)));
    assert_eq!(break_even(Decimal::MAX, u64::MAX, 1, &rates), None);
}

#[test]
fn override_amounts_from_strings_and_numbers() {
    let yaml = r#"
model: anthropic.claude-3-5-sonnet-20240620-v1:0
region: us-east-1
provisioned_hourly: {no_commitment: 50, one_month: "40.00", six_months: 25.5}
on_demand_per_million: {input: 0.035, output: "0.14"}
source: negotiated 2026
"#;
    let o: PriceOverride = serde_yaml::from_str(yaml).unwrap();
    let hourly = o.provisioned_hourly.unwrap();
    assert_eq!(hourly.no_commitment, Some(dec!(50)));
    assert_eq!(hourly.one_month.unwrap().to_string(), "40.00");
    assert_eq!(hourly.six_months.unwrap().to_string(), "25.5");
    let od = o.on_demand_per_million.unwrap();
    assert_eq!(od.input.to_string(), "0.035");
    assert_eq!(od.output, Some(dec!(0.14)));
    assert_eq!(o.region.as_deref(), Some("us-east-1"));

    // Numbers that have no exact binary form still come out exact.
    let tricky: HourlyRates = serde_yaml::from_str("{no_commitment: 0.1, one_month: 0.3, six_months: 23.77}").unwrap();
    assert_eq!(tricky.no_commitment.unwrap().to_string(), "0.1");
    assert_eq!(tricky.one_month.unwrap().to_string(), "0.3");
    assert_eq!(tricky.six_months.unwrap().to_string(), "23.77");
    // JSON (e.g. a config converted by a tool) works the same way.
    let json: TokenRates = serde_json::from_str(r#"{"input": 2.65, "output": "3.50"}"#).unwrap();
    assert_eq!(json.input.to_string(), "2.65");
    assert_eq!(json.output.unwrap().to_string(), "3.50");
    // Null and absent terms are unpublished, not zero.
    let partial: HourlyRates = serde_yaml::from_str("{one_month: ~}").unwrap();
    assert_eq!(partial, HourlyRates::default());
    // A long figure is exact as a string and refused as a float.
    let long: TokenRates = serde_yaml::from_str(r#"{input: "0.1234567890123456789"}"#).unwrap();
    assert_eq!(long.input.to_string(), "0.1234567890123456789");
    let err = serde_yaml::from_str::<TokenRates>("{input: 0.1234567890123456789}").unwrap_err();
    assert!(err.to_string().contains("quoted string"), "{err}");
}

#[test]
fn override_rejects_bad_input() {
    let cases = [
        ("model: m\nprovisioned_hourly: {one_month: -1}", "negative"),
        ("model: m\nprovisioned_hourly: {one_month: \"-0.5\"}", "negative"),
        ("model: m\nprovisioned_hourly: {one_month: \"cheap\"}", "not a decimal"),
        ("model: m\nprovisioned_hourly: {one_month: \"<your rate>\"}", "placeholder"),
        ("model: m\nprovisioned_hourly: {monthly: \"1\"}", "unknown field"),
        ("model: m\nprice: 1", "unknown field"),
        ("model: m\non_demand_per_million: {output: \"1\"}", "missing field `input`"),
        ("model: m\nprovisioned_hourly: {one_month: .nan}", "finite"),
        ("region: us-east-1", "missing field `model`"),
    ];
    for (yaml, expected) in cases {
        let err = serde_yaml::from_str::<PriceOverride>(yaml).unwrap_err().to_string();
        assert!(err.contains(expected), "{yaml:?}: {err}");
    }
}

#[test]
fn override_round_trips_through_serialize() {
    let o = worked_example_override();
    let text = serde_yaml::to_string(&o).unwrap();
    assert!(text.contains("six_months: '25.00'") || text.contains("six_months: \"25.00\""), "{text}");
    assert!(!text.contains("region"), "{text}");
    let back: PriceOverride = serde_yaml::from_str(&text).unwrap();
    assert_eq!(back, o);
}

#[test]
fn config_snippet_is_valid_yaml_with_marked_placeholders() {
    let snippet = config_snippet("amazon.nova-pro-v1:0:300k", Some("us-east-1"));
    assert!(snippet.contains("  - model: amazon.nova-pro-v1:0:300k\n"), "{snippet}");
    assert!(snippet.contains("    region: us-east-1\n"), "{snippet}");
    assert!(snippet.contains("\"<your rate>\""), "{snippet}");

    #[derive(Deserialize)]
    struct Section {
        pricing: Vec<serde_yaml::Value>,
    }
    let section: Section = serde_yaml::from_str(&snippet).unwrap();
    assert_eq!(section.pricing.len(), 1);
    // Unedited, the placeholders are refused, so the snippet cannot silently price anything.
    let err = serde_yaml::from_value::<PriceOverride>(section.pricing[0].clone()).unwrap_err();
    assert!(err.to_string().contains("placeholder"), "{err}");
    // Once the rates are filled in, it is exactly a `PriceOverride`.
    #[derive(Deserialize)]
    struct Config {
        pricing: Vec<PriceOverride>,
    }
    let edited = snippet.replace("\"<your rate>\"", "\"12.34\"");
    let config: Config = serde_yaml::from_str(&edited).unwrap();
    let o = &config.pricing[0];
    assert_eq!(o.model, "amazon.nova-pro-v1:0:300k");
    assert_eq!(o.region.as_deref(), Some("us-east-1"));
    assert_eq!(o.provisioned_hourly.unwrap().six_months, Some(dec!(12.34)));
    assert_eq!(o.on_demand_per_million.unwrap().output, Some(dec!(12.34)));

    // Without a region, and with an identifier that needs quoting.
    let odd = config_snippet("my model: v2 # tuned", None);
    assert!(!odd.contains("region:"), "{odd}");
    let section: Section = serde_yaml::from_str(&odd).unwrap();
    assert_eq!(section.pricing[0]["model"].as_str(), Some("my model: v2 # tuned"));
    let yes = config_snippet("yes", None);
    let section: Section = serde_yaml::from_str(&yes).unwrap();
    assert_eq!(section.pricing[0]["model"].as_str(), Some("yes"));
}

#[test]
fn base_model_ids_from_arns_and_ids() {
    let cases: [(&str, Option<&str>, ModelKind, Option<&str>); 21] = [
            (
                "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k",
                Some("amazon.titan-text-express-v1:0:8k"),
                ModelKind::Foundation,
                Some("us-east-1"),
            ),
            (
                "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-lite-v1:0:4k/example-model",
                Some("amazon.titan-text-lite-v1:0:4k"),
                ModelKind::Custom,
                Some("us-west-2"),
            ),
            (
                "arn:aws:bedrock:us-east-1:123456789012:custom-model/anthropic.claude-3-haiku-20240307-v1:0:200k/abc123def456",
                Some("anthropic.claude-3-haiku-20240307-v1:0:200k"),
                ModelKind::Custom,
                Some("us-east-1"),
            ),
            (
                "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:custom-model/meta.llama3-1-8b-instruct-v1:0:128k/a1b2c3d4e5f6",
                Some("meta.llama3-1-8b-instruct-v1:0:128k"),
                ModelKind::Custom,
                Some("us-gov-west-1"),
            ),
            (
                "arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
                Some("anthropic.claude-3-haiku-20240307-v1:0"),
                ModelKind::Foundation,
                Some("us-gov-west-1"),
            ),
            (
                "arn:aws-cn:bedrock:cn-north-1::foundation-model/amazon.nova-lite-v1:0",
                Some("amazon.nova-lite-v1:0"),
                ModelKind::Foundation,
                Some("cn-north-1"),
            ),
            (
                // Weights brought with CreateCustomModel: a custom model, served on PT (domain.md §1.4).
                "arn:aws:bedrock:us-east-1:123456789012:custom-model/imported/abcdef123456",
                None,
                ModelKind::Custom,
                Some("us-east-1"),
            ),
            ("arn:aws:bedrock:us-east-1:123456789012:imported-model/abcdef123456", None, ModelKind::Imported, Some("us-east-1")),
            ("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456", None, ModelKind::Unknown, Some("us-east-1")),
            (
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0",
                None,
                ModelKind::Unknown,
                Some("us-east-1"),
            ),
            ("arn:aws:sagemaker:us-east-1:123456789012:model/x", None, ModelKind::Unknown, None),
            ("arn:awsx:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0", None, ModelKind::Unknown, None),
            ("anthropic.claude-v2:1:200k", Some("anthropic.claude-v2:1:200k"), ModelKind::Foundation, None),
            // A bare name is a custom model (custom model names cannot contain a dot, domain.md §8.3).
            ("support-assistant-tuned", Some("support-assistant-tuned"), ModelKind::Custom, None),
            ("support_assistant_v2", Some("support_assistant_v2"), ModelKind::Custom, None),
            ("", None, ModelKind::Unknown, None),
            // Fields not known where the ARN was read are `${...}` placeholders: the account does not
            // matter, a placeholder partition still makes a Bedrock ARN, and a placeholder region is no region.
            (
                "arn:aws:bedrock:us-east-1:${data.aws_caller_identity.current.account_id}:custom-model/amazon.titan-text-express-v1:0:8k/abc123def456",
                Some("amazon.titan-text-express-v1:0:8k"),
                ModelKind::Custom,
                Some("us-east-1"),
            ),
            (
                "arn:${data.aws_partition.current.partition}:bedrock:${data.aws_region.current.name}::foundation-model/amazon.nova-pro-v1:0:300k",
                Some("amazon.nova-pro-v1:0:300k"),
                ModelKind::Foundation,
                None,
            ),
            ("arn:${x}y:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0", None, ModelKind::Unknown, None),
            // CloudFormation's pseudo parameters hold colons: they stay in their field.
            (
                "arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:custom-model/amazon.titan-text-express-v1:0:8k/${JobId}",
                Some("amazon.titan-text-express-v1:0:8k"),
                ModelKind::Custom,
                None,
            ),
            // A custom model whose base model a deployment gives: custom, its base unknown.
            (
                "arn:aws:bedrock:us-east-1:${AWS::AccountId}:custom-model/${BaseModel}/abc123",
                None,
                ModelKind::Custom,
                Some("us-east-1"),
            ),
        ];
    for (model, base, kind, region) in cases {
        assert_eq!(base_model_id(model).as_deref(), base, "base of {model}");
        assert_eq!(model_kind_of(model), kind, "kind of {model}");
        assert_eq!(arn_region(model).as_deref(), region, "region of {model}");
    }
    // A custom-model ARN without the trailing id has no recognisable base.
    assert_eq!(base_model_id("arn:aws:bedrock:us-east-1:123456789012:custom-model/abc"), None);
    assert_eq!(model_kind_of("arn:aws:bedrock:us-east-1:123456789012:custom-model/abc"), ModelKind::Custom);
}

#[test]
fn models_a_pt_cannot_serve() {
    use super::not_servable_by_pt;
    let profile = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0";
    assert_eq!(not_servable_by_pt(profile), Some("an inference profile"));
    assert_eq!(
        not_servable_by_pt("us.anthropic.claude-3-haiku-20240307-v1:0"),
        Some("a cross-region inference profile")
    );
    assert_eq!(not_servable_by_pt("global.anthropic.claude-opus-4-8"), Some("a cross-region inference profile"));
    assert!(not_servable_by_pt("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456").is_some());
    assert!(not_servable_by_pt("arn:aws:bedrock:us-east-1:123456789012:custom-model-deployment/abcdef123456").is_some());
    // A profile is a geography prefix and a foundation-model ID; either alone is not one.
    assert_eq!(not_servable_by_pt("us.support-assistant"), None);
    assert_eq!(not_servable_by_pt("emea.anthropic.claude-3-haiku-20240307-v1:0"), None);
    for servable in [
        "anthropic.claude-3-haiku-20240307-v1:0:200k",
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0:300k",
        "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.nova-lite-v1:0:300k/abcdef123456",
        "support-assistant-tuned",
    ] {
        assert_eq!(not_servable_by_pt(servable), None, "{servable}");
    }
}

#[test]
fn float_amounts_keep_up_to_fifteen_significant_digits() {
    // 15 significant digits survive a float; 16 do not.
    let ok: TokenRates = serde_yaml::from_str("{input: 0.123456789012345}").unwrap();
    assert_eq!(ok.input.to_string(), "0.123456789012345");
    let err = serde_yaml::from_str::<TokenRates>("{input: 0.1234567890123456}").unwrap_err();
    assert!(err.to_string().contains("more than 15 significant digits"), "{err}");
}

#[test]
fn amounts_say_what_they_expect() {
    use serde::de::value::{BoolDeserializer, Error, UnitDeserializer};
    let err = serde_yaml::from_str::<TokenRates>("{input: [1]}").unwrap_err();
    assert!(err.to_string().contains("a non-negative amount in USD, as a string (\"25.00\") or a number"), "{err}");
    // An optional amount given something else names what it takes.
    let err = super::amount::optional(BoolDeserializer::<Error>::new(true)).unwrap_err();
    assert!(err.to_string().contains("a non-negative amount in USD, or nothing"), "{err}");
    // A unit value is no amount, not zero: serde hands a buffered null (inside an untagged or flattened
    // structure) over as a unit.
    assert_eq!(super::amount::optional(UnitDeserializer::<Error>::new()).unwrap(), None);
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Buffered {
        Rates(HourlyRates),
    }
    let Buffered::Rates(rates) = serde_yaml::from_str::<Buffered>("{one_month: ~, six_months: \"25.00\"}").unwrap();
    assert_eq!(rates.one_month, None);
    assert_eq!(rates.six_months, Some(dec!(25.00)));
}

#[test]
fn a_custom_model_arn_needs_both_its_base_and_its_own_id() {
    let arn = |resource: &str| format!("arn:aws:bedrock:us-east-1:123456789012:custom-model/{resource}");
    assert_eq!(base_model_id(&arn("amazon.titan-text-lite-v1:0:4k/")), None);
    assert_eq!(base_model_id(&arn("/abc123")), None);
    assert_eq!(base_model_id(&arn("amazon.titan-text-lite-v1:0:4k")), None);
    assert_eq!(
        base_model_id(&arn("amazon.titan-text-lite-v1:0:4k/abc123")).as_deref(),
        Some("amazon.titan-text-lite-v1:0:4k")
    );
    assert_eq!(
        base_model_id("arn:aws:bedrock:us-east-1::foundation-model/"),
        None,
        "a foundation-model ARN without an ID names no model"
    );
}

#[test]
fn foundation_model_ids_have_a_provider_and_a_model() {
    use super::model_id::is_foundation_model_id;
    assert!(is_foundation_model_id("amazon.titan-text-express-v1:0:8k"));
    assert!(is_foundation_model_id("stability.sd3-5-large-v1:0"));
    assert!(is_foundation_model_id("example-provider.model-v1:0"), "a provider may hold a hyphen");
    assert!(!is_foundation_model_id(".titan-text-express-v1"), "no provider");
    assert!(!is_foundation_model_id("amazon.:0"), "no model");
    assert!(!is_foundation_model_id("my_corp.model-v1"), "an underscore is no provider character");
    assert!(!is_foundation_model_id("support-assistant-tuned"), "a custom model name has no dot");
}
