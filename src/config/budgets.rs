//! Budgets declared in `.ptlint.yaml` (managed outside the scanned code) and their conversion to the model.

use super::de::{de_non_negative, de_tags};
use crate::model::{Budget, BudgetFilter};
use crate::source::node::Span;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A budget that exists outside the scanned code (for example, created by a FinOps team).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigBudget {
    /// The budget's name, as in AWS Budgets.
    pub name: String,
    /// Limit in USD per `time_unit` (0 or more).
    #[serde(deserialize_with = "de_non_negative")]
    pub limit: Decimal,
    /// The period the limit applies to (default `MONTHLY`).
    #[serde(default)]
    pub time_unit: TimeUnit,
    /// What the budget covers; absent or empty = the whole account.
    #[serde(default)]
    pub filters: Option<BudgetFilters>,
}

impl ConfigBudget {
    /// The limit per month of `hours_per_month` hours (a daily limit times days per month, a quarterly one / 3,
    /// an annual one / 12).
    pub fn monthly_limit(&self, hours_per_month: Decimal) -> Decimal {
        match self.time_unit {
            TimeUnit::Daily => self.limit * hours_per_month / Decimal::from(24),
            TimeUnit::Monthly => self.limit,
            TimeUnit::Quarterly => self.limit / Decimal::from(3),
            TimeUnit::Annually => self.limit / Decimal::from(12),
        }
    }

    /// The budget in the model's shape, so linking treats it like one declared in a template. It has no
    /// source position (`Span::default()`), `resource` = `budgets[<index>]`, `budget_type` `COST`, and its
    /// filters become `Dimension`s with the readers' normalised keys (`service`, `usage_type`, `region`)
    /// and `Tag`s, all under one `All`.
    pub fn to_model(&self, index: usize) -> Budget {
        Budget {
            resource: format!("budgets[{index}]"),
            span: Span::default(),
            name: Some(self.name.clone()),
            budget_type: Some("COST".to_string()),
            limit: Some(self.limit),
            limit_unit: Some("USD".to_string()),
            time_unit: Some(self.time_unit.as_str().to_string()),
            filter: self.filters.as_ref().and_then(BudgetFilters::to_model),
        }
    }
}

/// The period a budget limit covers, spelled as AWS Budgets spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimeUnit {
    /// Per day.
    #[serde(alias = "daily")]
    Daily,
    /// Per calendar month.
    #[default]
    #[serde(alias = "monthly")]
    Monthly,
    /// Per quarter.
    #[serde(alias = "quarterly")]
    Quarterly,
    /// Per year.
    #[serde(alias = "annually")]
    Annually,
}

impl TimeUnit {
    /// The AWS spelling (`MONTHLY`).
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Daily => "DAILY",
            TimeUnit::Monthly => "MONTHLY",
            TimeUnit::Quarterly => "QUARTERLY",
            TimeUnit::Annually => "ANNUALLY",
        }
    }
}

/// What a config budget covers; every list that is given must match (values within a list are alternatives).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetFilters {
    /// Billing service names (`Amazon Bedrock`, or a Marketplace product such as `Claude 3 Haiku (Amazon Bedrock Edition)`).
    pub services: Vec<String>,
    /// Cost-allocation tags: `{Key: [values]}` or `{Key: value}`.
    #[serde(deserialize_with = "de_tags")]
    pub tags: BTreeMap<String, Vec<String>>,
    /// Usage types (`USE1-...-ProvisionedThroughput-6months-ModelUnits`).
    pub usage_types: Vec<String>,
    /// Regions (`us-east-1`).
    pub regions: Vec<String>,
}

impl BudgetFilters {
    /// The filters as a model filter tree; `None` when nothing is filtered (account-wide).
    pub fn to_model(&self) -> Option<BudgetFilter> {
        let mut all = Vec::new();
        for (key, values) in [("service", &self.services), ("usage_type", &self.usage_types), ("region", &self.regions)]
        {
            if !values.is_empty() {
                all.push(BudgetFilter::Dimension { key: key.to_string(), values: values.clone() });
            }
        }
        for (key, values) in &self.tags {
            all.push(BudgetFilter::Tag { key: key.clone(), values: values.clone() });
        }
        match all.len() {
            0 => None,
            1 => all.pop(),
            _ => Some(BudgetFilter::All(all)),
        }
    }
}
