//! What almost matched: an alarm or a budget that nearly covers a PT, named in the finding with why it does not.

use crate::link::{is_bedrock_alarm, InputFile, LinkedThroughput, RunBudget};
use crate::model::{BudgetFilter, Throughput};
use std::collections::HashMap;

/// The run's `AWS/Bedrock` alarms by the `ModelId` values of their metrics, each list in file and alarm order:
/// built once per run, so finding a PT's near miss does not read every alarm of the run again for each PT
/// (5,000 PTs and as many alarms made that 13% of a run).
pub(super) struct AlarmsByModelId<'a> {
    by_value: HashMap<&'a str, Vec<(usize, usize)>>,
}

impl<'a> AlarmsByModelId<'a> {
    pub(super) fn new(files: &'a [InputFile]) -> AlarmsByModelId<'a> {
        let mut by_value: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        for (f, file) in files.iter().enumerate() {
            for (i, alarm) in file.document.alarms.iter().enumerate().filter(|(_, a)| is_bedrock_alarm(a)) {
                for value in alarm.metrics.iter().filter_map(|m| m.model_id.as_ref()?.value.known()) {
                    let list = by_value.entry(value.as_str()).or_default();
                    if list.last() != Some(&(f, i)) {
                        list.push((f, i));
                    }
                }
            }
        }
        AlarmsByModelId { by_value }
    }
}

/// An unlinked `AWS/Bedrock` alarm whose `ModelId` dimension is the PT's model ID or provisioned model name: the
/// usual mistake, since the caller passes the PT's ARN as `modelId` and the metrics are keyed by it (docs/facts.md).
/// The first such alarm of the run (in file and alarm order) is named.
pub(super) fn alarm(
    files: &[InputFile],
    alarms: &AlarmsByModelId,
    linked: &LinkedThroughput,
    pt: &Throughput,
) -> String {
    let mut names: Vec<&str> = Vec::new();
    names.extend(pt.name.as_ref().and_then(|n| n.value.known()).map(String::as_str));
    names.extend(linked.model.as_deref());
    names.extend(linked.base_model.as_deref());
    let first_unlinked =
        |name: &&str| alarms.by_value.get(name)?.iter().copied().find(|alarm| !linked.alarms.contains(alarm));
    let Some((f, i)) = names.iter().filter_map(first_unlinked).min() else { return String::new() };
    let alarm = &files[f].document.alarms[i];
    let hit = alarm.metrics.iter().find_map(|m| {
        let value = m.model_id.as_ref()?.value.known()?;
        names.iter().any(|n| n == value).then_some(value.clone())
    });
    match hit {
        Some(value) => format!(
            " (alarm `{}` has `ModelId` = `{value}`, the model or the PT's name, not the PT: a PT's metrics are \
             keyed by its ARN, so point the dimension at the PT's `provisioned_model_arn` / `ProvisionedModelArn`)",
            alarm.resource
        ),
        None => String::new(),
    }
}

/// The `Service` values of a budget filter, at any depth.
fn service_values<'a>(filter: &'a BudgetFilter, out: &mut Vec<&'a str>) {
    match filter {
        BudgetFilter::All(list) | BudgetFilter::Any(list) => list.iter().for_each(|f| service_values(f, out)),
        BudgetFilter::Not(inner) => service_values(inner, out),
        BudgetFilter::Dimension { key, values } if key.eq_ignore_ascii_case("Service") => {
            out.extend(values.iter().map(String::as_str))
        }
        _ => {}
    }
}

/// A budget filtered on a Service value that mentions Bedrock but is not the service name Cost Explorer and
/// Budgets use, `Amazon Bedrock` (docs/domain.md §5.3): it matches no Bedrock spend at all.
pub(super) fn budget(budgets: &[RunBudget]) -> String {
    for run_budget in budgets {
        let Some(filter) = &run_budget.budget.filter else { continue };
        let mut values = Vec::new();
        service_values(filter, &mut values);
        // Marketplace models bill under their own names, `Claude 3 Haiku (Amazon Bedrock Edition)`: those are real.
        let near = |v: &&&str| {
            v.to_ascii_lowercase().contains("bedrock")
                && **v != "Amazon Bedrock"
                && !v.ends_with("(Amazon Bedrock Edition)")
        };
        if let Some(value) = values.iter().find(near) {
            let name = run_budget.budget.name.as_deref().unwrap_or(&run_budget.budget.resource);
            return format!(
                " (budget `{name}` filters on Service `{value}`, which matches no spend: the service is named \
                 `Amazon Bedrock` in Budgets and Cost Explorer)"
            );
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Budget;

    fn run_budget(values: &[&str]) -> RunBudget {
        RunBudget {
            budget: Budget {
                resource: "HostingBudget".into(),
                span: Default::default(),
                name: None,
                budget_type: Some("COST".into()),
                limit: None,
                limit_unit: None,
                time_unit: None,
                filter: Some(BudgetFilter::All(vec![BudgetFilter::Dimension {
                    key: "Service".into(),
                    values: values.iter().map(|v| v.to_string()).collect(),
                }])),
            },
            file: "t.yaml".into(),
            reach: crate::link::Reach::Unit(0),
        }
    }

    #[test]
    fn only_a_misspelt_service_is_a_near_miss() {
        assert!(budget(&[run_budget(&["Bedrock"])]).contains("filters on Service `Bedrock`"));
        assert_eq!(budget(&[run_budget(&["Amazon Bedrock"])]), "");
        assert_eq!(budget(&[run_budget(&["Claude 3 Haiku (Amazon Bedrock Edition)"])]), "");
        assert_eq!(budget(&[run_budget(&["Amazon Elastic Compute Cloud - Compute"])]), "");
    }
}
