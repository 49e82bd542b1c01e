//! The lookup table test: one embedded-catalog lookup per kind of entry, with the rate and entry expected.

use super::*;
use crate::model::Commitment;
use rust_decimal::Decimal;

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

/// One row per kind of catalog entry: (model, kind, region, term) → expected PT rate, entry, on-demand.
#[test]
fn lookup_table() {
    struct Case {
        model: &'static str,
        kind: ModelKind,
        region: Option<&'static str>,
        term: Commitment,
        rate: Option<Decimal>,
        entry: Option<&'static str>,
        on_demand: Option<(Decimal, Option<Decimal>)>,
    }
    let fm = ModelKind::Foundation;
    let cm = ModelKind::Custom;
    let cases = [
        // Each term of a foundation entry (exact regions us-east-1 / us-west-2).
        Case {
            model: "anthropic.claude-instant-v1:2:100k",
            kind: fm,
            region: Some("us-east-1"),
            term: Commitment::NoCommitment,
            rate: Some(dec!(44.00)),
            entry: Some("claude-instant-pt-us"),
            on_demand: Some((dec!(0.80), Some(dec!(2.40)))),
        },
        Case {
            model: "anthropic.claude-instant-v1:2:100k",
            kind: fm,
            region: Some("us-west-2"),
            term: Commitment::OneMonth,
            rate: Some(dec!(39.60)),
            entry: Some("claude-instant-pt-us"),
            on_demand: Some((dec!(0.80), Some(dec!(2.40)))),
        },
        Case {
            model: "anthropic.claude-instant-v1:2:100k",
            kind: fm,
            region: Some("us-east-1"),
            term: Commitment::SixMonths,
            rate: Some(dec!(22.00)),
            entry: Some("claude-instant-pt-us"),
            on_demand: Some((dec!(0.80), Some(dec!(2.40)))),
        },
        // Same family, another exact region, an unpublished term.
        Case {
            model: "anthropic.claude-v2:1:200k",
            kind: fm,
            region: Some("ap-northeast-1"),
            term: Commitment::SixMonths,
            rate: Some(dec!(48.00)),
            entry: Some("claude-2-pt-ap-northeast-1"),
            on_demand: Some((dec!(8.00), Some(dec!(24.00)))),
        },
        Case {
            model: "anthropic.claude-v2:1:200k",
            kind: fm,
            region: Some("ap-northeast-1"),
            term: Commitment::NoCommitment,
            rate: None,
            entry: Some("claude-2-pt-ap-northeast-1"),
            on_demand: Some((dec!(8.00), Some(dec!(24.00)))),
        },
        // An exact-region row does not reach another region: no PT rate in eu-west-1.
        Case {
            model: "anthropic.claude-v2:0:18k",
            kind: fm,
            region: Some("eu-west-1"),
            term: Commitment::OneMonth,
            rate: None,
            entry: None,
            on_demand: Some((dec!(8.00), Some(dec!(24.00)))),
        },
        Case {
            model: "amazon.titan-text-express-v1:0:8k",
            kind: fm,
            region: Some("us-west-2"),
            term: Commitment::OneMonth,
            rate: None,
            entry: None,
            on_demand: Some((dec!(0.20), Some(dec!(0.60)))),
        },
        // A rate whose source names no region is not widened to `us-*` (domain.md §9.6): Cohere Command has no
        // PT rate anywhere, only its on-demand prices.
        Case {
            model: "cohere.command-text-v14:7:4k",
            kind: fm,
            region: Some("us-east-2"),
            term: Commitment::SixMonths,
            rate: None,
            entry: None,
            on_demand: Some((dec!(1.50), Some(dec!(2.00)))),
        },
        Case {
            model: "cohere.command-light-text-v14:7:4k",
            kind: cm,
            region: Some("us-west-2"),
            term: Commitment::OneMonth,
            rate: None,
            entry: None,
            on_demand: None,
        },
        Case {
            model: "cohere.command-text-v14:7:4k",
            kind: fm,
            region: Some("us-gov-west-1"),
            term: Commitment::SixMonths,
            rate: None,
            entry: None,
            on_demand: Some((dec!(1.50), Some(dec!(2.00)))),
        },
        // Custom-only rows: they win for custom PTs, and do not price the foundation model.
        Case {
            model: "amazon.titan-image-generator-v2:0",
            kind: cm,
            region: Some("us-east-1"),
            term: Commitment::OneMonth,
            rate: Some(dec!(21.00)),
            entry: Some("titan-image-generator-custom-pt-us-east-1"),
            on_demand: None,
        },
        Case {
            model: "amazon.titan-image-generator-v2:0",
            kind: fm,
            region: Some("us-east-1"),
            term: Commitment::OneMonth,
            rate: Some(dec!(16.20)),
            entry: Some("titan-image-generator-v2-pt-us-east-1"),
            on_demand: None,
        },
        // The base model is sold on 1- or 6-month terms only: the 23.40 no-commit rate is the custom model's.
        Case {
            model: "amazon.titan-image-generator-v2:0",
            kind: fm,
            region: Some("us-east-1"),
            term: Commitment::NoCommitment,
            rate: None,
            entry: Some("titan-image-generator-v2-pt-us-east-1"),
            on_demand: None,
        },
        Case {
            model: "amazon.titan-image-generator-v2:0",
            kind: cm,
            region: Some("us-east-1"),
            term: Commitment::NoCommitment,
            rate: Some(dec!(23.40)),
            entry: Some("titan-image-generator-custom-pt-us-east-1"),
            on_demand: None,
        },
        // Cohere Embed 3: source A prices the US regions only, though AWS sells the PT in four more.
        Case {
            model: "cohere.embed-english-v3:0:512",
            kind: fm,
            region: Some("us-east-1"),
            term: Commitment::OneMonth,
            rate: Some(dec!(6.76)),
            entry: Some("cohere-embed-3-pt-us"),
            on_demand: None,
        },
        Case {
            model: "cohere.embed-multilingual-v3:0:512",
            kind: fm,
            region: Some("eu-west-3"),
            term: Commitment::OneMonth,
            rate: None,
            entry: None,
            on_demand: None,
        },
        Case {
            model: "cohere.embed-english-v3:0:512",
            kind: fm,
            region: Some("us-east-2"),
            term: Commitment::OneMonth,
            rate: None,
            entry: None,
            on_demand: None,
        },
        // GovCloud has its own on-demand prices where the source gives them.
        Case {
            model: "anthropic.claude-3-haiku-20240307-v1:0:48k",
            kind: fm,
            region: Some("us-gov-west-1"),
            term: Commitment::NoCommitment,
            rate: None,
            entry: None,
            on_demand: Some((dec!(0.30), Some(dec!(1.50)))),
        },
        Case {
            model: "amazon.nova-canvas-v1:0",
            kind: cm,
            region: Some("us-east-1"),
            term: Commitment::SixMonths,
            rate: Some(dec!(30.25)),
            entry: Some("nova-canvas-custom-pt-us-east-1"),
            on_demand: None,
        },
        Case {
            model: "amazon.nova-canvas-v1:0",
            kind: fm,
            region: Some("us-east-1"),
            term: Commitment::SixMonths,
            rate: None,
            entry: None,
            on_demand: None,
        },
        // Llama 2: its PT rates name no region (domain.md §9.6), so none is used; on-demand prices stay.
        Case {
            model: "meta.llama2-13b-v1:0:4k",
            kind: cm,
            region: Some("us-east-1"),
            term: Commitment::NoCommitment,
            rate: None,
            entry: None,
            on_demand: None,
        },
        Case {
            model: "meta.llama2-13b-chat-v1:0:4k",
            kind: fm,
            region: Some("us-west-2"),
            term: Commitment::SixMonths,
            rate: None,
            entry: None,
            on_demand: Some((dec!(0.75), Some(dec!(1.00)))),
        },
        // No source publishes a PT rate for Llama 2 Chat 70B (domain.md §8.4): only its on-demand prices.
        Case {
            model: "meta.llama2-70b-chat-v1:0:4k",
            kind: fm,
            region: Some("us-west-2"),
            term: Commitment::SixMonths,
            rate: None,
            entry: None,
            on_demand: Some((dec!(1.95), Some(dec!(2.56)))),
        },
        Case {
            model: "meta.llama2-70b-chat-v1:0:4k",
            kind: cm,
            region: Some("us-west-2"),
            term: Commitment::NoCommitment,
            rate: None,
            entry: None,
            on_demand: None,
        },
        // Llama 3.1 / 3.2 (us-west-2), Nova 2 Lite (six months unpublished).
        Case {
            model: "meta.llama3-1-70b-instruct-v1:0:128k",
            kind: fm,
            region: Some("us-west-2"),
            term: Commitment::NoCommitment,
            rate: Some(dec!(24.00)),
            entry: Some("llama-3-1-pt-us-west-2"),
            on_demand: Some((dec!(0.72), Some(dec!(0.72)))),
        },
        Case {
            model: "meta.llama3-2-90b-instruct-v1:0",
            kind: fm,
            region: Some("us-west-2"),
            term: Commitment::OneMonth,
            rate: Some(dec!(26.48)),
            entry: Some("llama-3-2-90b-pt-us-west-2"),
            on_demand: Some((dec!(0.72), Some(dec!(0.72)))),
        },
        Case {
            model: "amazon.nova-2-lite-v1:0:256k",
            kind: fm,
            region: Some("us-east-1"),
            term: Commitment::SixMonths,
            rate: None,
            entry: Some("nova-2-lite-pt-us-east-1"),
            on_demand: Some((dec!(0.33), Some(dec!(2.75)))),
        },
        // Claude 3 and Nova Pro: on-demand prices, no PT rate.
        Case {
            model: "anthropic.claude-3-haiku-20240307-v1:0:200k",
            kind: fm,
            region: Some("us-east-1"),
            term: Commitment::OneMonth,
            rate: None,
            entry: None,
            on_demand: Some((dec!(0.25), Some(dec!(1.25)))),
        },
        Case {
            model: "anthropic.claude-3-5-sonnet-20240620-v1:0:18k",
            kind: fm,
            region: Some("us-west-2"),
            term: Commitment::SixMonths,
            rate: None,
            entry: None,
            on_demand: Some((dec!(3.00), Some(dec!(15.00)))),
        },
        Case {
            model: "amazon.nova-pro-v1:0:300k",
            kind: fm,
            region: Some("us-east-1"),
            term: Commitment::NoCommitment,
            rate: None,
            entry: None,
            on_demand: Some((dec!(0.80), Some(dec!(3.20)))),
        },
        // Regional on-demand rows: GovCloud beats the region-less row; embeddings have no output price.
        Case {
            model: "anthropic.claude-3-5-sonnet-20241022-v2:0",
            kind: fm,
            region: Some("us-gov-west-1"),
            term: Commitment::OneMonth,
            rate: None,
            entry: None,
            on_demand: Some((dec!(3.60), Some(dec!(18.00)))),
        },
        Case {
            model: "amazon.titan-embed-text-v2:0:8k",
            kind: fm,
            region: None,
            term: Commitment::OneMonth,
            rate: None,
            entry: None,
            on_demand: Some((dec!(0.02), None)),
        },
        // Without a region only region-less rows apply.
        Case {
            model: "anthropic.claude-instant-v1:2:100k",
            kind: fm,
            region: None,
            term: Commitment::OneMonth,
            rate: None,
            entry: None,
            on_demand: Some((dec!(0.80), Some(dec!(2.40)))),
        },
    ];
    for case in cases {
        let label = format!("{} {:?} {:?} {}", case.model, case.kind, case.region, case.term);
        let found = catalog().lookup(case.model, case.kind, case.region);
        let rate = found.as_ref().and_then(|p| p.hourly_rate(case.term));
        assert_eq!(rate, case.rate, "rate: {label}");
        let entry = found.as_ref().and_then(|p| p.provisioned.as_ref()).map(|p| p.provenance.entry_id.as_str());
        assert_eq!(entry, case.entry, "entry: {label}");
        let on_demand = found.as_ref().and_then(|p| p.on_demand_per_million()).map(|r| (r.input, r.output));
        assert_eq!(on_demand, case.on_demand, "on-demand: {label}");
        if let Some(found) = &found {
            assert!(found.as_of().is_some() && !found.source().is_empty() && !found.from_config(), "{label}");
            // Users see the source with its date, never the crawl it was read from.
            let as_of = found.as_of().unwrap_or_default();
            assert!(found.source().ends_with(&format!(", as of {as_of}")), "{label}: {}", found.source());
            assert!(!found.source().contains("crawl") && !found.source().contains("commit"), "{label}");
        }
    }
    // Nothing at all for models the catalog does not know.
    assert_eq!(catalog().lookup("mistral.mistral-large-2407-v1:0", ModelKind::Foundation, Some("us-west-2")), None);
}
