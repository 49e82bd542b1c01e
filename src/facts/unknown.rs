//! Why a figure in the facts is null (an unpriced PT's reason among them) and how the user can supply it.

use super::{CostFacts, UsageFacts};
use crate::link::LinkedThroughput;
use crate::model::{Commitment, ModelKind, Reference, Resolved, Throughput};
use serde::Serialize;
use std::collections::BTreeMap;

/// Why one figure is unknown (`why`) and, where the user can do something about it, how to supply it.
/// Message templates append `why; supply` when they leave the figure out (`src/policy/template.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unknown {
    pub why: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supply: Option<String>,
}

/// The reasons of a group's null figures, keyed by the figure's field name (`monthly_cost`).
pub type Unknowns = BTreeMap<&'static str, Unknown>;

/// How to supply a missing provisioned-throughput rate; PT007's help follows it with the entry to fill in.
pub const SUPPLY_RATE: &str = "add the rate (negotiated or published) to `.ptlint.yaml`";

/// What makes a PT unpriced, as [`super::cost_facts`] found it.
pub enum Cause<'a> {
    /// The model, or a custom model's base model, is not known; `priceable` when a `pricing:` entry naming the
    /// model would price it.
    Model {
        priceable: bool,
        value: Option<&'a Resolved<String>>,
    },
    Units(Option<&'a Resolved<u32>>),
    Term(&'a Resolved<Commitment>),
    Region,
    Rate,
    /// The number of instances is unknown; each one is priced.
    Instances,
}

/// How the user can give ptlint a value that did not resolve, where there is a way: a template parameter's
/// `Default`. `None` when the reader's own reason already says it (a Terraform variable without a value names
/// `--var` and tfvars), or nothing in ptlint's inputs can supply it (a value known only after deployment).
fn supply_value<T>(value: Option<&Resolved<T>>) -> Option<String> {
    match value? {
        Resolved::Ref(Reference::CfnRef(parameter)) => {
            Some(format!("give template parameter `{parameter}` a `Default` (ptlint reads parameter defaults)"))
        }
        Resolved::Invalid(_) => Some("write a value AWS accepts (PT008 says which)".to_string()),
        _ => None,
    }
}

/// The reasons of a PT's null cost figures: they are null for one reason, `unpriced_reason`.
pub fn cost(facts: &CostFacts, cause: &Cause, term: Option<Commitment>) -> Unknowns {
    let Some(reason) = &facts.unpriced_reason else { return Unknowns::new() };
    let supply = match cause {
        // A `pricing:` entry without `region:` prices a PT whose region is not known, too.
        Cause::Model { priceable: true, .. } | Cause::Rate | Cause::Region => Some(SUPPLY_RATE.to_string()),
        Cause::Model { priceable: false, value } => supply_value(*value),
        Cause::Units(value) => supply_value(*value),
        Cause::Term(value) => supply_value(Some(*value)),
        // The count's reason names what decides it.
        Cause::Instances => None,
    };
    let unknown = Unknown { why: format!("its standing cost is unknown: {reason}"), supply };
    let mut unknowns = Unknowns::new();
    let fields: [(&'static str, bool); 4] = [
        ("hourly_rate", facts.hourly_rate.is_none()),
        ("hourly_cost", facts.hourly_cost.is_none()),
        ("monthly_cost", facts.monthly_cost.is_none()),
        // No commitment has no amount per term: that is none, not unknown.
        ("commitment_total", facts.commitment_total.is_none() && term != Some(Commitment::NoCommitment)),
    ];
    for (field, null) in fields {
        if null {
            unknowns.insert(field, unknown.clone());
        }
    }
    unknowns
}

/// The reasons of a PT's null usage figures, when it has usage evidence: the on-demand comparison and
/// break-even, and the utilization.
pub fn usage(
    facts: &UsageFacts,
    cost: &CostFacts,
    pt: &Throughput,
    linked: &LinkedThroughput,
    tokens_per_minute_known: bool,
) -> Unknowns {
    let mut unknowns = Unknowns::new();
    if !facts.present {
        return unknowns;
    }
    let model = linked.base_model.as_deref().or(linked.model.as_deref()).unwrap_or("its model");
    let standing = cost.unknown.get("monthly_cost").cloned();
    let on_demand = match (&standing, linked.model_kind) {
        (Some(standing), _) => Some(standing.clone()),
        (None, ModelKind::Foundation) if cost.on_demand_input_per_million.is_none() => Some(Unknown {
            why: format!("the on-demand comparison is unknown: no on-demand token price is known for `{model}`"),
            supply: Some(
                "add `on_demand_per_million: {input: \"<your rate>\", output: \"<your rate>\"}` for it under `pricing:` in `.ptlint.yaml`"
                    .to_string(),
            ),
        }),
        (None, ModelKind::Foundation) => {
            let zero = |rate: Option<rust_decimal::Decimal>| rate.is_none_or(|r| r <= rust_decimal::Decimal::ZERO);
            let why = if zero(cost.on_demand_input_per_million) && zero(cost.on_demand_output_per_million) {
                format!("there is no break-even volume: the on-demand token prices of `{model}` are zero")
            } else {
                "the break-even volume is too large to compute".to_string()
            };
            Some(Unknown { why, supply: None })
        }
        (None, ModelKind::Custom) => Some(Unknown {
            // PT004's custom-model clause says the same words: a message says a reason once.
            why: "a custom model has no on-demand price to break even against".to_string(),
            supply: None,
        }),
        (None, ModelKind::Imported) => Some(Unknown {
            why: "an imported model is billed per Custom Model Unit, not per token: there is no token break-even"
                .to_string(),
            supply: None,
        }),
        (None, ModelKind::Unknown) => Some(Unknown {
            why: "there is no on-demand comparison: the model's kind is not known, so neither is an on-demand price"
                .to_string(),
            supply: None,
        }),
    };
    if let Some(on_demand) = on_demand {
        let fields: [(&'static str, bool); 3] = [
            ("on_demand_monthly_cost", facts.on_demand_monthly_cost.is_none()),
            ("break_even_input_tokens", facts.break_even_input_tokens.is_none()),
            ("break_even_output_tokens", facts.break_even_output_tokens.is_none()),
        ];
        for (field, null) in fields {
            if null {
                unknowns.insert(field, on_demand.clone());
            }
        }
    }
    if facts.utilization.is_none() {
        let units = pt.model_units.as_ref().map(|u| &u.value);
        let utilization = if units.and_then(Resolved::known).is_none() {
            Unknown {
                why: "its utilization is unknown: the number of model units is not known".to_string(),
                supply: supply_value(units),
            }
        } else if !tokens_per_minute_known {
            Unknown {
                why: format!(
                    "its utilization is unknown: the tokens per minute of a model unit of `{model}` are not known (AWS does not publish them)"
                ),
                supply: Some(format!("set `policy.tokens_per_minute_per_unit` for `{model}` in `.ptlint.yaml`")),
            }
        } else {
            Unknown {
                why: "its utilization is unknown: the configured tokens per minute are zero".to_string(),
                supply: None,
            }
        };
        unknowns.insert("utilization", utilization);
    }
    unknowns
}

/// Why a PT could not be priced, in words, and what made it so.
pub(super) fn unpriced_reason<'a>(
    pt: &'a Throughput,
    linked: &LinkedThroughput,
    model: Option<&str>,
    region: Option<&str>,
    matched: bool,
    units: Option<u32>,
    term: Option<Commitment>,
) -> (String, Cause<'a>) {
    let Some(model) = model else {
        let value = pt.model.as_ref().map(|field| &field.value);
        let reason = match &pt.model {
            Some(field) => format!("the model `{}` is not known from the template", field.value),
            None => "no model is given".to_string(),
        };
        return (reason, Cause::Model { priceable: false, value });
    };
    if linked.model_kind == ModelKind::Custom && linked.base_model.is_none() {
        return (
            format!("the base model of custom model `{model}` is not known"),
            Cause::Model { priceable: true, value: None },
        );
    }
    if units.is_none() {
        let value = pt.model_units.as_ref().map(|u| &u.value);
        return (format!("the number of model units is not known{}", why_unknown(value)), Cause::Units(value));
    }
    let Some(term) = term else {
        return (
            format!("the commitment term is not known{}", why_unknown(Some(&pt.commitment.value))),
            Cause::Term(&pt.commitment.value),
        );
    };
    let Some(region) = region else {
        return (
            "the region is not known: PT rates are regional (pass `--region` or set `region:` in .ptlint.yaml)".into(),
            Cause::Region,
        );
    };
    // A match without a rate means the catalog knows the model (say, its on-demand prices) but holds no
    // published PT rate for this term and region; either way the user supplies it.
    let known = if matched { " (its on-demand prices are known)" } else { "" };
    (
        format!(
            "the price catalog has no provisioned-throughput rate for `{model}` in {region} {}{known}",
            term_words(term)
        ),
        Cause::Rate,
    )
}

/// What a value that did not resolve depends on, for a message: ` (it is `!Ref Term`)`.
pub(super) fn why_unknown<T>(value: Option<&Resolved<T>>) -> String {
    match value {
        Some(Resolved::Ref(reference)) => format!(" (it is `{reference}`)"),
        Some(Resolved::Unresolved(why)) => format!(" ({why})"),
        Some(Resolved::Invalid(text)) => format!(" (`{text}` is not a value AWS accepts)"),
        _ => String::new(),
    }
}

pub(super) fn term_words(term: Commitment) -> &'static str {
    match term {
        Commitment::NoCommitment => "with no commitment",
        Commitment::OneMonth => "for a 1-month commitment",
        Commitment::SixMonths => "for a 6-month commitment",
    }
}
