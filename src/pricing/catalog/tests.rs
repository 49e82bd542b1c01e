//! Unit tests for the embedded catalog: its content, validation, matching rules and overrides.

use super::super::matching::{prefix_matches, region_pattern_matches};
use super::super::{break_even, estimate, HourlyRates, DEFAULT_MIX};
use super::*;
use crate::model::Commitment;
use rust_decimal::Decimal;

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

#[test]
fn embedded_catalog_parses_and_is_complete() {
    let catalog = catalog();
    assert_eq!(catalog.entries().len(), 57);
    let pt = catalog.entries().iter().filter(|e| e.provisioned_hourly.is_some()).count();
    let od = catalog.entries().iter().filter(|e| e.on_demand_per_million.is_some()).count();
    assert_eq!((pt, od), (19, 38));
}

/// Fails if an entry lacks `as_of` or `source`, or if a rate is not a quoted decimal string that
/// parses exactly. Reads the raw YAML so a float or a missing key cannot hide behind serde defaults.
#[test]
fn every_entry_has_as_of_source_and_string_rates() {
    let raw: serde_yaml::Value = serde_yaml::from_str(EMBEDDED_YAML).unwrap();
    let entries = raw["entries"].as_sequence().unwrap();
    assert!(!entries.is_empty());
    let mut rates = 0;
    for entry in entries {
        let id = entry["id"].as_str().unwrap_or("<no id>");
        let as_of = entry["as_of"].as_str().unwrap_or_else(|| panic!("{id}: as_of missing or not a string"));
        assert!(is_iso_date(as_of), "{id}: as_of {as_of:?}");
        let source = entry["source"].as_str().unwrap_or_else(|| panic!("{id}: source missing"));
        assert!(source.len() > 10, "{id}: source {source:?}");
        // The copy the figures were read from stays in the catalog for maintainers.
        let copy = entry["copy"].as_str().unwrap_or_else(|| panic!("{id}: copy missing"));
        assert!(copy.len() > 20, "{id}: copy {copy:?}");
        for block in ["provisioned_hourly", "on_demand_per_million"] {
            let Some(map) = entry.get(block) else {
                continue;
            };
            let map = map.as_mapping().unwrap_or_else(|| panic!("{id}: {block} is not a mapping"));
            for (term, value) in map {
                let text = value.as_str().unwrap_or_else(|| panic!("{id}: {block}.{term:?} is not a quoted string"));
                let parsed = super::super::amount::parse_text(text).unwrap_or_else(|e| panic!("{id}: {e}"));
                assert_eq!(parsed.to_string(), text, "{id}: {block}.{term:?} does not parse exactly");
                assert!(parsed > Decimal::ZERO, "{id}: {block}.{term:?} is not positive");
                rates += 1;
            }
        }
    }
    // 19 PT entries (49 terms published) and 38 on-demand entries (74 prices, 2 without output).
    assert_eq!(rates, 49 + 74);
}

#[test]
fn catalog_entries_never_tie() {
    // Two entries tie when they could both be the best for one (model, kind, region) with the same
    // kind of rate: same prefix, a common kind with the same exclusivity, the same region spec.
    let entries = catalog().entries();
    for (i, a) in entries.iter().enumerate() {
        for b in &entries[i + 1..] {
            let same_rates = (a.provisioned_hourly.is_some() && b.provisioned_hourly.is_some())
                || (a.on_demand_per_million.is_some() && b.on_demand_per_million.is_some());
            let shared_model = a.models.iter().any(|m| b.models.contains(m));
            let shared_kind = a.applies_to.iter().any(|k| b.applies_to.contains(k))
                && (a.applies_to.len() == 1) == (b.applies_to.len() == 1);
            let shared_region =
                (a.regions.is_empty() && b.regions.is_empty()) || a.regions.iter().any(|r| b.regions.contains(r));
            assert!(!(same_rates && shared_model && shared_kind && shared_region), "`{}` and `{}` tie", a.id, b.id);
        }
    }
}

#[test]
fn from_yaml_rejects_incomplete_entries() {
    let base = "entries:\n  - id: x\n    name: X\n    models: [a.b-v1]\n    applies_to: [foundation]\n";
    let rates = "    on_demand_per_million: {input: \"1.00\"}\n";
    let cases = [
        (format!("{base}{rates}    source: s\n"), "missing field `as_of`"),
        (format!("{base}{rates}    as_of: \"2025-03\"\n"), "missing field `source`"),
        (format!("{base}{rates}    as_of: \"March 2025\"\n    source: s\n"), "ISO date"),
        (format!("{base}    as_of: \"2025-03\"\n    source: s\n"), "neither"),
        (format!("{base}    provisioned_hourly: {{}}\n    as_of: \"2025-03\"\n    source: s\n"), "no rate"),
        (format!("{base}{rates}    regions: [\"us*\"]\n    as_of: \"2025-03\"\n    source: s\n"), "pattern"),
        (
            format!("{base}    provisioned_hourly: {{one_month: \"1.00\"}}\n    as_of: \"2025-03\"\n    source: s\n"),
            "needs the regions its source states",
        ),
        (
            format!("{base}    on_demand_per_million: {{input: \"x\"}}\n    as_of: \"2025-03\"\n    source: s\n"),
            "not a decimal",
        ),
        (format!("{base}{rates}    as_of: \"2025-03\"\n    source: s\n    price: 1\n"), "unknown field"),
    ];
    for (yaml, expected) in cases {
        let err = Catalog::from_yaml(&yaml).unwrap_err().to_string();
        assert!(err.contains(expected), "{expected}: {err}");
    }
    let ok = format!("{base}{rates}    as_of: \"2025-03\"\n    source: s\n");
    let dup = format!("{ok}{}", ok.trim_start_matches("entries:\n"));
    assert!(Catalog::from_yaml(&dup).unwrap_err().to_string().contains("duplicate id"));
    assert_eq!(Catalog::from_yaml(&ok).unwrap().entries().len(), 1);
}

#[test]
fn prefix_matching_needs_a_colon_boundary() {
    assert!(prefix_matches("anthropic.claude-v2", "anthropic.claude-v2"));
    assert!(prefix_matches("anthropic.claude-v2", "anthropic.claude-v2:1:200k"));
    assert!(!prefix_matches("anthropic.claude-v2", "anthropic.claude-v2x"));
    assert!(!prefix_matches("anthropic.claude-v2", "anthropic.claude-v"));
    assert!(!prefix_matches("", "anything"));
    // Opus 4 does not swallow Opus 4.5-4.8, nor the other way round.
    let opus4 = catalog().lookup("anthropic.claude-opus-4-20250514-v1:0", ModelKind::Foundation, None).unwrap();
    assert_eq!(opus4.on_demand_per_million().unwrap().input, dec!(15.00));
    let opus46 = catalog().lookup("anthropic.claude-opus-4-6-v1", ModelKind::Foundation, None).unwrap();
    assert_eq!(opus46.on_demand_per_million().unwrap().input, dec!(5.00));
    assert_eq!(opus46.provenance().matched_model, "anthropic.claude-opus-4-6-v1");
}

#[test]
fn region_patterns_stay_in_their_partition() {
    assert!(region_pattern_matches("us-*", "us-east-1"));
    assert!(region_pattern_matches("us-*", "us-west-2"));
    assert!(!region_pattern_matches("us-*", "us-gov-west-1"));
    assert!(!region_pattern_matches("us-*", "us-iso-east-1"));
    assert!(!region_pattern_matches("us-*", "eu-west-1"));
    assert!(region_pattern_matches("us-gov-*", "us-gov-east-1"));
    assert!(!region_pattern_matches("us-east-1", "us-east-1"));
}

#[test]
fn custom_model_arn_priced_from_its_base() {
    let arn = "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/a1b2c3d4e5f6";
    let price = catalog().lookup_model(arn, Some("eu-west-1")).unwrap();
    assert_eq!(price.kind, ModelKind::Custom);
    assert_eq!(price.model_id, "amazon.titan-text-express-v1:0:8k");
    // The ARN's region beats the default region.
    assert_eq!(price.region.as_deref(), Some("us-east-1"));
    assert_eq!(price.hourly_rate(Commitment::SixMonths), Some(dec!(14.80)));
    assert_eq!(price.entry_id(), "titan-text-express-pt-us-east-1");
    // A custom model has no on-demand token price in the catalog.
    assert_eq!(price.on_demand_per_million(), None);
    // GovCloud custom model: the base has no GovCloud rate, so it stays unpriced.
    let gov =
        "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/a1b2c3d4e5f6";
    assert_eq!(catalog().lookup_model(gov, None), None);
    // lookup() also accepts the ARN directly.
    let direct = catalog().lookup(arn, ModelKind::Custom, Some("us-east-1")).unwrap();
    assert_eq!(direct.hourly_rate(Commitment::OneMonth), Some(dec!(18.40)));
}

#[test]
fn imported_weights_are_not_priced_from_any_base() {
    let imported = "arn:aws:bedrock:us-east-1:123456789012:custom-model/imported/abcdef123456";
    assert_eq!(catalog().lookup_model(imported, Some("us-east-1")), None);
    assert_eq!(catalog().lookup(imported, ModelKind::Imported, Some("us-east-1")), None);
    let imported_model = "arn:aws:bedrock:us-east-1:123456789012:imported-model/abcdef123456";
    assert_eq!(catalog().lookup_model(imported_model, None), None);
    // A PT ARN says nothing about the model behind it.
    let pt = "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456";
    assert_eq!(catalog().lookup_model(pt, None), None);
    // Unknown kind with a known model ID: the catalog does not guess.
    assert_eq!(catalog().lookup("amazon.titan-text-express-v1:0:8k", ModelKind::Unknown, Some("us-east-1")), None);
}

#[test]
fn foundation_arn_in_govcloud() {
    let arn = "arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0";
    let price = catalog().lookup_model(arn, None).unwrap();
    assert_eq!(price.region.as_deref(), Some("us-gov-west-1"));
    assert_eq!(price.provisioned, None);
    let od = price.on_demand.as_ref().unwrap();
    assert_eq!(od.rates.input, dec!(3.60));
    assert_eq!(od.provenance.entry_id, "claude-3-5-sonnet-govcloud-on-demand");
    assert_eq!(od.provenance.regions, vec!["us-gov-*".to_string()]);
}

#[test]
fn overrides_beat_the_catalog() {
    let overrides = [PriceOverride {
        model: "amazon.titan-text-express-v1".to_string(),
        region: None,
        provisioned_hourly: Some(HourlyRates { no_commitment: None, one_month: Some(dec!(15.00)), six_months: None }),
        on_demand_per_million: None,
        source: Some("EDP agreement 2026".to_string()),
    }];
    let catalog = Catalog::embedded().with_overrides(&overrides);
    let price = catalog.lookup("amazon.titan-text-express-v1:0:8k", ModelKind::Foundation, Some("us-east-1")).unwrap();
    assert_eq!(price.hourly_rate(Commitment::OneMonth), Some(dec!(15.00)));
    // The override's block replaces the catalog's PT rates as a whole: its unpublished terms stay unknown.
    assert_eq!(price.hourly_rate(Commitment::SixMonths), None);
    assert!(price.from_config());
    assert_eq!(price.entry_id(), "config:1");
    assert_eq!(price.source(), "EDP agreement 2026");
    assert_eq!(price.as_of(), None);
    // On-demand prices were not overridden, so they still come from the catalog.
    let od = price.on_demand.as_ref().unwrap();
    assert_eq!(od.rates.input, dec!(0.20));
    assert!(!od.provenance.from_config);
    // With no region, the override applies everywhere (the catalog has no us-west-2 rate).
    let west = catalog.lookup("amazon.titan-text-express-v1:0:8k", ModelKind::Custom, Some("us-west-2")).unwrap();
    assert_eq!(west.hourly_rate(Commitment::OneMonth), Some(dec!(15.00)));
    // The base catalog is unchanged.
    let base =
        Catalog::embedded().lookup("amazon.titan-text-express-v1:0:8k", ModelKind::Foundation, Some("us-east-1"));
    assert_eq!(base.unwrap().hourly_rate(Commitment::OneMonth), Some(dec!(18.40)));
}

#[test]
fn override_with_region_applies_only_there() {
    let overrides = [
        PriceOverride {
            model: "amazon.nova-pro-v1:0".to_string(),
            region: Some("us-east-1".to_string()),
            provisioned_hourly: Some(HourlyRates { no_commitment: Some(dec!(30)), one_month: None, six_months: None }),
            on_demand_per_million: None,
            source: None,
        },
        PriceOverride {
            model: "amazon.nova-pro-v1".to_string(),
            region: None,
            provisioned_hourly: Some(HourlyRates { no_commitment: Some(dec!(31)), one_month: None, six_months: None }),
            on_demand_per_million: None,
            source: None,
        },
        PriceOverride {
            model: "amazon.nova-pro-v1:0".to_string(),
            region: Some("us-west-2".to_string()),
            provisioned_hourly: Some(HourlyRates { no_commitment: Some(dec!(32)), one_month: None, six_months: None }),
            on_demand_per_million: Some(super::super::TokenRates { input: dec!(0.70), output: Some(dec!(3.00)) }),
            source: None,
        },
    ];
    let catalog = Catalog::embedded().with_overrides(&overrides);
    let rate = |region: Option<&str>| {
        catalog
            .lookup("amazon.nova-pro-v1:0:300k", ModelKind::Foundation, region)
            .and_then(|p| p.hourly_rate(Commitment::NoCommitment))
    };
    assert_eq!(rate(Some("us-east-1")), Some(dec!(30)));
    assert_eq!(rate(Some("us-west-2")), Some(dec!(32)));
    // Elsewhere the region-less override (shorter prefix) applies; without it nothing would.
    assert_eq!(rate(Some("eu-west-1")), Some(dec!(31)));
    assert_eq!(rate(None), Some(dec!(31)));
    let only_regional = Catalog::embedded().with_overrides(&overrides[..1]);
    let elsewhere =
        only_regional.lookup("amazon.nova-pro-v1:0:300k", ModelKind::Foundation, Some("eu-west-1")).unwrap();
    assert_eq!(elsewhere.provisioned, None);
    assert!(!elsewhere.from_config());
    // On-demand override only in us-west-2; elsewhere the catalog price stays.
    let west = catalog.lookup("amazon.nova-pro-v1:0:300k", ModelKind::Foundation, Some("us-west-2")).unwrap();
    assert_eq!(west.on_demand_per_million().unwrap().input, dec!(0.70));
    let east = catalog.lookup("amazon.nova-pro-v1:0:300k", ModelKind::Foundation, Some("us-east-1")).unwrap();
    assert_eq!(east.on_demand_per_million().unwrap().input, dec!(0.80));
    // A later layer of overrides beats an earlier one for the same model and region.
    let layered =
        catalog.with_overrides(&[
            PriceOverride { region: Some("us-east-1".to_string()), ..overrides[0].clone() }.with_rate(dec!(29))
        ]);
    let p = layered.lookup("amazon.nova-pro-v1:0:300k", ModelKind::Foundation, Some("us-east-1")).unwrap();
    assert_eq!(p.hourly_rate(Commitment::NoCommitment), Some(dec!(29)));
    assert_eq!(p.entry_id(), "config:4");
}

impl PriceOverride {
    fn with_rate(mut self, rate: Decimal) -> PriceOverride {
        self.provisioned_hourly = Some(HourlyRates { no_commitment: Some(rate), one_month: None, six_months: None });
        self
    }
}

/// Cross-check against domain.md §6.4 (730 h, 3:1 blend): total break-even tokens per MU-month.
#[test]
fn break_even_matches_domain_illustration() {
    let rows = [
        ("meta.llama3-1-70b-instruct-v1:0:128k", "us-west-2", Commitment::OneMonth, dec!(15461.40), 21.5),
        ("meta.llama3-1-70b-instruct-v1:0:128k", "us-west-2", Commitment::SixMonths, dec!(9548.40), 13.3),
        ("amazon.titan-text-express-v1:0:8k", "us-east-1", Commitment::OneMonth, dec!(13432.00), 44.8),
        ("anthropic.claude-instant-v1:2:100k", "us-east-1", Commitment::SixMonths, dec!(16060.00), 13.4),
    ];
    for (model, region, term, monthly, billions) in rows {
        let price = catalog().lookup(model, ModelKind::Foundation, Some(region)).unwrap();
        let est = estimate(1, price.hourly_rate(term).unwrap(), term, dec!(730));
        assert_eq!(est.monthly_cost, monthly, "{model}");
        let (i, o) =
            break_even(est.monthly_cost, DEFAULT_MIX.0, DEFAULT_MIX.1, price.on_demand_per_million().unwrap()).unwrap();
        let total = (i + o) as f64 / 1e9;
        assert!((total - billions).abs() < 0.05, "{model}: {total} vs {billions}");
    }
}

#[test]
fn iso_dates() {
    assert!(is_iso_date("2025-03"));
    assert!(is_iso_date("2026-08-24"));
    assert!(!is_iso_date("2025-13"));
    assert!(!is_iso_date("2025-3"));
    assert!(!is_iso_date("2025-03-32"));
    assert!(!is_iso_date("~Mar 2025"));
}

#[test]
fn entry_ids_are_kebab_case() {
    for good in ["claude-3-haiku", "titan-text-lite", "a", "nova2-lite"] {
        assert!(is_kebab(good), "{good}");
    }
    for bad in ["", "-lead", "trail-", "double--dash", "Upper-case", "snake_case", "dot.ted", "sp ace"] {
        assert!(!is_kebab(bad), "{bad}");
    }
}

#[test]
fn from_yaml_rejects_bad_ids_names_and_model_lists() {
    let entry = |id: &str, name: &str, models: &str, applies_to: &str, source: &str| {
        format!(
            "entries:\n  - id: {id}\n    name: {name}\n    models: {models}\n    applies_to: {applies_to}\n    \
             on_demand_per_million: {{input: \"1.00\"}}\n    as_of: \"2025-03\"\n    source: {source}\n"
        )
    };
    let cases = [
        (entry("Not_Kebab", "X", "[a.b-v1]", "[foundation]", "s"), "kebab-case"),
        (entry("x", "\" \"", "[a.b-v1]", "[foundation]", "s"), "name is empty"),
        (entry("x", "X", "[]", "[foundation]", "s"), "model IDs without spaces"),
        (entry("x", "X", "[\"\"]", "[foundation]", "s"), "model IDs without spaces"),
        (entry("x", "X", "[a.b-v1, \"a b\"]", "[foundation]", "s"), "model IDs without spaces"),
        (entry("x", "X", "[a.b-v1]", "[]", "s"), "applies_to is empty"),
        (entry("x", "X", "[a.b-v1]", "[foundation]", "\" \""), "source is empty"),
    ];
    for (yaml, expected) in cases {
        let err = Catalog::from_yaml(&yaml).unwrap_err().to_string();
        assert!(err.contains(expected), "{expected}: {err}");
    }
    assert!(Catalog::from_yaml(&entry("x-1", "X", "[a.b-v1, c.d-v2]", "[foundation]", "s")).is_ok());
}

#[test]
fn from_yaml_rejects_regions_that_are_not_region_names() {
    let base = "entries:\n  - id: x\n    name: X\n    models: [a.b-v1]\n    applies_to: [foundation]\n    \
                on_demand_per_million: {input: \"1.00\"}\n    as_of: \"2025-03\"\n    source: s\n";
    for region in ["US-East-1", "us_east_1", "\"\"", "\"*\""] {
        let yaml = format!("{base}    regions: [{region}]\n");
        let err = Catalog::from_yaml(&yaml).unwrap_err().to_string();
        assert!(err.contains("neither a region name"), "{region}: {err}");
    }
    for region in ["us-east-1", "us-*", "us-gov-*"] {
        assert!(Catalog::from_yaml(&format!("{base}    regions: [\"{region}\"]\n")).is_ok(), "{region}");
    }
}

#[test]
fn of_two_equal_catalog_rows_the_first_wins() {
    // The embedded catalog never ties (see `catalog_entries_never_tie`); a catalog that does takes its first row.
    let entry = |id: &str, rate: &str| {
        format!(
            "  - id: {id}\n    name: X\n    models: [a.b-v1]\n    applies_to: [foundation]\n    regions: [us-east-1]\n    \
             provisioned_hourly: {{no_commitment: \"{rate}\"}}\n    as_of: \"2025-03\"\n    source: s\n"
        )
    };
    let yaml = format!("entries:\n{}{}", entry("first", "1.00"), entry("second", "2.00"));
    let catalog = Catalog::from_yaml(&yaml).unwrap();
    let price = catalog.lookup("a.b-v1", ModelKind::Foundation, Some("us-east-1")).unwrap();
    assert_eq!(price.entry_id(), "first");
    assert_eq!(price.hourly_rate(Commitment::NoCommitment), Some(dec!(1.00)));
}

/// Rates read from the third-party price cache say so, with its date, and are marked estimates; rates read
/// from AWS's page are not (domain.md §9.6).
#[test]
fn estimates_show_their_true_source() {
    let llama =
        catalog().lookup("meta.llama3-1-70b-instruct-v1:0:128k", ModelKind::Foundation, Some("us-west-2")).unwrap();
    assert!(llama.estimate());
    assert_eq!(
        llama.source(),
        "third-party price cache of the AWS Bedrock pricing page (an estimate: the cache itself warns of ±15-25%), \
         as of 2026-08-24"
    );
    let titan =
        catalog().lookup("amazon.titan-text-express-v1:0:8k", ModelKind::Foundation, Some("us-east-1")).unwrap();
    assert!(!titan.estimate());
    assert_eq!(titan.source(), "AWS Bedrock pricing page, as of 2025-03");
    // Every rate copied from the cache (copy C) is marked, and no other is.
    let raw: serde_yaml::Value = serde_yaml::from_str(EMBEDDED_YAML).unwrap();
    for entry in raw["entries"].as_sequence().unwrap() {
        let from_cache = entry["copy"].as_str().is_some_and(|c| c.contains("AWS Pricing Cache"));
        assert_eq!(entry["estimate"].as_bool().unwrap_or(false), from_cache, "{:?}", entry["id"]);
    }
}
