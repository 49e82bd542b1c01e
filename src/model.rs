//! The format-independent model: provisioned throughputs, custom models, alarms and budgets, every value with its span.

use crate::span::Span;
use rust_decimal::Decimal;
use serde::Serialize;

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// What a reference in a template points at, kept symbolic so links can be made across files.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reference {
    /// CloudFormation `Ref` to a parameter or resource without a literal value.
    CfnRef(String),
    /// CloudFormation `Fn::GetAtt` (logical ID, attribute).
    CfnGetAtt(String, String),
    /// CloudFormation `Fn::ImportValue` of an export name.
    CfnImport(String),
    /// Terraform reference: resource address (with module path and index) and attribute, e.g.
    /// (`aws_bedrock_custom_model.tuned`, `custom_model_arn`).
    Terraform { address: String, attribute: Option<String> },
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reference::CfnRef(id) => write!(f, "!Ref {id}"),
            Reference::CfnGetAtt(id, attr) => write!(f, "!GetAtt {id}.{attr}"),
            Reference::CfnImport(name) => write!(f, "!ImportValue {name}"),
            Reference::Terraform { address, attribute: Some(attr) } => write!(f, "{address}.{attr}"),
            Reference::Terraform { address, attribute: None } => write!(f, "{address}"),
        }
    }
}

/// A value as far as the reader could resolve it. Never guessed: unresolved stays symbolic.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved<T> {
    /// A literal (possibly after resolving parameters, mappings or variables).
    Known(T),
    /// A reference to another resource or an input that has no literal value here.
    Ref(Reference),
    /// Something that could not be resolved (a condition, an unknown-at-plan-time value, ...), described.
    Unresolved(String),
    /// A literal, exactly as written, that the field does not accept (`ONE_MONTH` as a term, `1.5` model units).
    Invalid(String),
}

impl<T> Resolved<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Resolved::Known(v) => Some(v),
            _ => None,
        }
    }
}

impl Resolved<String> {
    /// Interpret a literal as a commitment term, exactly as AWS spells it; any other spelling stays
    /// `Invalid` with the text as written (never guessed into a term).
    pub fn into_commitment(self) -> Resolved<Commitment> {
        self.parse_known(Commitment::parse)
    }

    /// Interpret a literal as a whole number (model units), accepting numeric strings and a whole number
    /// written with a fraction (`2.0` is 2 to Terraform and to the SDKs); `1.5` or `-1` stay `Invalid`.
    pub fn into_units(self) -> Resolved<u32> {
        self.parse_known(|text| {
            let text = text.trim();
            text.parse::<u32>().ok().or_else(|| {
                let number = text.parse::<Decimal>().ok().filter(|d| d.fract().is_zero())?;
                rust_decimal::prelude::ToPrimitive::to_u32(&number)
            })
        })
    }

    fn parse_known<T>(self, parse: impl FnOnce(&str) -> Option<T>) -> Resolved<T> {
        match self {
            Resolved::Known(text) => parse(&text).map_or(Resolved::Invalid(text), Resolved::Known),
            Resolved::Ref(reference) => Resolved::Ref(reference),
            Resolved::Unresolved(why) => Resolved::Unresolved(why),
            Resolved::Invalid(text) => Resolved::Invalid(text),
        }
    }
}

impl<T: std::fmt::Display> std::fmt::Display for Resolved<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Resolved::Known(v) => write!(f, "{v}"),
            Resolved::Ref(r) => write!(f, "{r}"),
            Resolved::Unresolved(why) => write!(f, "<{why}>"),
            Resolved::Invalid(text) => write!(f, "{text}"),
        }
    }
}

/// A field read from the source: its resolved value and its exact position.
pub type Field<T> = Spanned<Resolved<T>>;

/// The commitment term of a provisioned throughput, spelled as the AWS API spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Commitment {
    NoCommitment,
    OneMonth,
    SixMonths,
}

impl Commitment {
    /// Parse a term exactly as the API and the Terraform provider accept it: `OneMonth` or `SixMonths`.
    /// An empty value is the property left blank (no commitment). Anything else, `ONE_MONTH` included,
    /// is refused by AWS, so it is not a term.
    pub fn parse(text: &str) -> Option<Commitment> {
        match text.trim() {
            "OneMonth" => Some(Commitment::OneMonth),
            "SixMonths" => Some(Commitment::SixMonths),
            "" => Some(Commitment::NoCommitment),
            _ => None,
        }
    }

    /// The term a misspelling most likely means (`ONE_MONTH`, `1month`, `six-months`, `none`), for a
    /// message that says how to write it; never used to price.
    pub fn likely_meant(text: &str) -> Option<Commitment> {
        let folded: String =
            text.chars().filter(|c| !matches!(c, '_' | '-' | ' ')).collect::<String>().to_ascii_lowercase();
        match folded.as_str() {
            "onemonth" | "1month" | "month" | "monthly" => Some(Commitment::OneMonth),
            "sixmonths" | "6months" | "sixmonth" | "6month" => Some(Commitment::SixMonths),
            "nocommitment" | "none" | "nocommit" => Some(Commitment::NoCommitment),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Commitment::NoCommitment => "NoCommitment",
            Commitment::OneMonth => "OneMonth",
            Commitment::SixMonths => "SixMonths",
        }
    }

    /// How many months the term locks in (no commitment locks in nothing beyond the hour).
    pub fn months(self) -> u32 {
        match self {
            Commitment::NoCommitment => 0,
            Commitment::OneMonth => 1,
            Commitment::SixMonths => 6,
        }
    }
}

impl std::fmt::Display for Commitment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of model a provisioned throughput serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    Foundation,
    Custom,
    Imported,
    Unknown,
}

impl ModelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelKind::Foundation => "foundation",
            ModelKind::Custom => "custom",
            ModelKind::Imported => "imported",
            ModelKind::Unknown => "unknown",
        }
    }
}

/// The input format a document was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    CloudFormationJson,
    CloudFormationYaml,
    TerraformPlan,
    TerraformJson,
    TerraformHcl,
}

/// How a provisioned throughput was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PtShape {
    /// Terraform `aws_bedrock_provisioned_model_throughput`.
    Terraform,
    /// CDK `AwsCustomResource` (`Custom::AWS`) calling `createProvisionedModelThroughput`.
    CdkAwsCustomResource,
    /// A hand-written custom resource with ModelId/ModelArn and ModelUnits properties.
    CustomResource,
    /// `AWS::Bedrock::ProvisionedModelThroughput`, a type CloudFormation does not have.
    NonexistentNativeType,
    /// A Step Functions task calling `aws-sdk:bedrock:createProvisionedModelThroughput`.
    StepFunctionsTask,
}

/// What a Terraform plan does to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanAction {
    Create,
    Update,
    Replace,
    Delete,
    NoOp,
    Read,
}

impl PlanAction {
    /// From a `resource_changes[].change.actions` list.
    pub fn from_actions(actions: &[&str]) -> Option<PlanAction> {
        match actions {
            ["create"] => Some(PlanAction::Create),
            ["update"] => Some(PlanAction::Update),
            ["delete"] => Some(PlanAction::Delete),
            ["delete", "create"] | ["create", "delete"] => Some(PlanAction::Replace),
            ["no-op"] => Some(PlanAction::NoOp),
            ["read"] => Some(PlanAction::Read),
            ["forget"] => Some(PlanAction::Delete),
            _ => None,
        }
    }
}

/// A suppression written in the template itself (CloudFormation `Metadata.ptlint.ignore`, a Terraform
/// `# ptlint:ignore` comment or `.tf.json` `"//"` key).
#[derive(Debug, Clone, PartialEq)]
pub struct InlineSuppression {
    pub rule: String,
    pub reason: Option<String>,
    /// Last day it applies (`YYYY-MM-DD`), if it has one.
    pub expires: Option<String>,
    pub span: Span,
}

impl InlineSuppression {
    /// Parse `PT005 reason words expires=YYYY-MM-DD` (the text after `ptlint:ignore`), as comments write it.
    pub fn from_text(text: &str, span: Span) -> Option<InlineSuppression> {
        let mut words = text.split_whitespace();
        let rule = words.next()?.to_string();
        let mut expires = None;
        let mut reason = Vec::new();
        for word in words {
            match word.strip_prefix("expires=") {
                Some(date) => expires = Some(date.to_string()),
                None => reason.push(word),
            }
        }
        let reason = (!reason.is_empty()).then(|| reason.join(" "));
        Some(InlineSuppression { rule, reason, expires, span })
    }
}

/// One Bedrock Provisioned Throughput declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Throughput {
    /// Terraform address or CloudFormation logical ID.
    pub resource: String,
    /// Span of the resource's key or block (what PT005 points at).
    pub span: Span,
    pub resource_type: String,
    pub shape: PtShape,
    pub name: Option<Field<String>>,
    /// The model identifier (ARN or ID) or the reference that supplies it (what PT001/PT002 point at).
    /// An ARN whose partition, region or account is not known where it was read keeps its known text, the
    /// missing field written as a placeholder `${...}` (as `Fn::Sub` and Terraform write one).
    pub model: Option<Field<String>>,
    pub model_units: Option<Field<u32>>,
    /// The commitment; when absent in the source it is `NoCommitment` spanning the resource.
    pub commitment: Field<Commitment>,
    /// Whether the commitment was written explicitly.
    pub commitment_explicit: bool,
    /// When the commitment depends on a condition (`Fn::If`): the term of each branch that resolves.
    pub commitment_options: Vec<Commitment>,
    pub tags: Vec<(String, String)>,
    /// Region written on the resource itself (Terraform v6 `region`), if any.
    pub region: Option<Spanned<String>>,
    pub plan_action: Option<PlanAction>,
    /// The commitment the PT has now, when a change deletes or replaces an existing PT (a plan's prior
    /// state); `None` when nothing existing is deleted or its term is not known.
    pub prior_commitment: Option<Commitment>,
    /// Values the deploying tool's own validation refuses, found while reading (e.g. a Terraform
    /// `model_arn` that is not an ARN), each said in full.
    pub rejections: Vec<String>,
    /// The provisioned-model ARN when already known (an existing PT in a plan), for linking literal alarm dimensions.
    pub arn: Option<String>,
    pub suppressions: Vec<InlineSuppression>,
    /// What the resource is before this change, when the input records it (a plan's `change.before`).
    pub prior: Option<PriorState>,
    /// Set when the declaration stands for a number of instances that is not known (a `count` or `for_each`
    /// ptlint cannot evaluate): why, and what to give. Its cost is then known per instance only, never as a total.
    pub instances_unknown: Option<String>,
    /// For a CDK `AwsCustomResource`: whether its `Delete` calls `deleteProvisionedModelThroughput`, so the PT
    /// goes when the stack (or the resource) does; `None` for shapes whose deletion ptlint does not judge.
    pub deleted_with_stack: Option<bool>,
}

/// The priced part of a PT as it stands before a change (a plan's prior state), whatever the input format.
#[derive(Debug, Clone, PartialEq)]
pub struct PriorState {
    pub model: Option<Field<String>>,
    pub model_units: Option<Field<u32>>,
    pub commitment: Field<Commitment>,
    /// Region written on the resource itself, if any.
    pub region: Option<Spanned<String>>,
}

/// A custom model definition (Terraform `aws_bedrock_custom_model`).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomModel {
    pub resource: String,
    pub span: Span,
    /// `base_model_identifier`: the foundation model it was tuned from.
    pub base_model: Option<Field<String>>,
    pub customization_type: Option<String>,
    pub name: Option<String>,
}

/// One metric an alarm watches (directly, or as part of a metric-math expression).
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmMetric {
    pub namespace: Option<Resolved<String>>,
    pub metric_name: Option<Resolved<String>>,
    /// The `ModelId` dimension value, if any.
    pub model_id: Option<Field<String>>,
}

/// A CloudWatch metric alarm.
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    pub resource: String,
    pub span: Span,
    pub metrics: Vec<AlarmMetric>,
    /// Whether the alarm is a metric-math alarm (`Metrics` / `metric_query`).
    pub metric_math: bool,
    pub comparison_operator: Option<String>,
    pub has_actions: bool,
    /// `TreatMissingData` / `treat_missing_data` as written (`None` when absent: CloudWatch's default `missing`).
    pub treat_missing_data: Option<Resolved<String>>,
    /// The metric-math expressions of the alarm's queries (`FILL(m1, 0)`), where known.
    pub expressions: Vec<String>,
}

impl Alarm {
    /// Whether the alarm can fire when the metric has no data points at all, as for an idle PT: Bedrock publishes
    /// its runtime metrics only when requests arrive (docs/facts.md), so only missing data treated as
    /// `breaching`, or metric math that fills gaps (`FILL(...)`), turns silence into ALARM. A value that is not
    /// known (a parameter) is given the benefit of the doubt.
    pub fn fires_without_data(&self) -> bool {
        let breaching = match &self.treat_missing_data {
            None => false,
            Some(Resolved::Known(value)) => value.trim().eq_ignore_ascii_case("breaching"),
            Some(_) => true,
        };
        breaching || self.expressions.iter().any(|e| e.to_ascii_uppercase().contains("FILL("))
    }

    /// Fires when the watched value is low (so idle capacity is caught).
    pub fn fires_on_low(&self) -> bool {
        self.comparison_operator.as_deref().is_some_and(|op| op.starts_with("LessThan"))
    }
}

/// A budget filter tree, normalised from CostFilters, cost_filter blocks and FilterExpression.
#[derive(Debug, Clone, PartialEq)]
pub enum BudgetFilter {
    All(Vec<BudgetFilter>),
    Any(Vec<BudgetFilter>),
    Not(Box<BudgetFilter>),
    /// A dimension (Service, Region, UsageType, LinkedAccount, ...) with the accepted values.
    Dimension {
        key: String,
        values: Vec<String>,
    },
    /// A cost-allocation tag with accepted values (empty values: the tag must merely be present).
    Tag {
        key: String,
        values: Vec<String>,
    },
}

/// An AWS budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    pub resource: String,
    pub span: Span,
    pub name: Option<String>,
    pub budget_type: Option<String>,
    /// Limit amount, if literal.
    pub limit: Option<Decimal>,
    pub limit_unit: Option<String>,
    /// `DAILY`, `MONTHLY`, `QUARTERLY`, `ANNUALLY` or `CUSTOM`.
    pub time_unit: Option<String>,
    /// `None` means no filter: the budget covers the whole account.
    pub filter: Option<BudgetFilter>,
}

/// Everything one input file declares.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub format: Format,
    pub throughputs: Vec<Throughput>,
    pub custom_models: Vec<CustomModel>,
    pub alarms: Vec<Alarm>,
    pub budgets: Vec<Budget>,
    /// Region configured for the provider (Terraform) or implied by the template, if any.
    pub region: Option<String>,
    /// Documents with the same scope share one address namespace (one Terraform configuration), so a
    /// reference by address in one may name an entity of another. `None`: the document is its own scope.
    pub scope: Option<String>,
    /// Inputs refused while reading the document that did not stop the rest of it: a file it names that is
    /// not a readable regular file, an intrinsic function past its size budget. Each fails the run (exit 2).
    pub errors: Vec<crate::finding::InputError>,
    /// A plan's `configuration`: the address of every resource it declares, module path included and instance
    /// keys left out (`module.a.aws_x.y`). `None` for any other document, or a plan without a configuration.
    pub configured: Option<std::collections::HashSet<String>>,
}

impl Document {
    pub fn empty(format: Format) -> Document {
        Document {
            format,
            throughputs: Vec::new(),
            custom_models: Vec::new(),
            alarms: Vec::new(),
            budgets: Vec::new(),
            region: None,
            scope: None,
            errors: Vec::new(),
            configured: None,
        }
    }
}

/// One parsed input file.
#[derive(Debug)]
pub struct InputFile {
    /// Display path (relative, `/`-separated).
    pub path: String,
    pub text: std::sync::Arc<str>,
    pub document: Document,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_read_only_as_aws_spells_them() {
        let term = |text: &str| Resolved::Known(text.to_string()).into_commitment();
        assert_eq!(term("OneMonth"), Resolved::Known(Commitment::OneMonth));
        assert_eq!(term("SixMonths"), Resolved::Known(Commitment::SixMonths));
        assert_eq!(term(""), Resolved::Known(Commitment::NoCommitment));
        for misspelt in ["ONE_MONTH", "1month", "onemonth", "Six_Months", "NoCommitment"] {
            assert_eq!(term(misspelt), Resolved::Invalid(misspelt.to_string()));
        }
        assert_eq!(Commitment::likely_meant("ONE_MONTH"), Some(Commitment::OneMonth));
        assert_eq!(Commitment::likely_meant("6-months"), Some(Commitment::SixMonths));
        assert_eq!(Commitment::likely_meant("yearly"), None);
    }

    #[test]
    fn units_are_whole_numbers() {
        let units = |text: &str| Resolved::Known(text.to_string()).into_units();
        assert_eq!(units("2"), Resolved::Known(2));
        assert_eq!(units(" 3 "), Resolved::Known(3));
        assert_eq!(units("2.0"), Resolved::Known(2));
        assert_eq!(units("0"), Resolved::Known(0));
        for bad in ["1.5", "-1", "two", "99999999999"] {
            assert_eq!(units(bad), Resolved::Invalid(bad.to_string()));
        }
    }
}
