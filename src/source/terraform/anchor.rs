//! Plans anchored to their source: when a plan and the `.tf` files it was made from are read in one run, each planned
//! entity moves to its block in the `.tf` file (so findings land on lines of the pull request's diff), keeping the
//! plan's known values, which win over what evaluating the `.tf` says.

use crate::model::{Document, Field, Format, InputFile, PtShape, Resolved, Spanned, Throughput};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Where an entity of a `.tf` document sits: (file index, entity index).
type At = (usize, usize);

/// Pair every plan of the run with the `.tf` configuration it was made from: the one in the plan's own directory,
/// or the ones named with `--source` (`source_scopes`, as the HCL reader names scopes). Planned entities move into
/// the `.tf` documents; `.tf` entities the plan does not have are dropped, since the plan says what exists.
/// Returns each anchored plan with the `.tf` files it was anchored to, so the caller reports those files wherever
/// it reports the plan.
pub fn anchor_plans(files: &mut [InputFile], source_scopes: &[String]) -> Vec<(usize, Vec<usize>)> {
    let plans: Vec<usize> = (0..files.len()).filter(|&i| files[i].document.format == Format::TerraformPlan).collect();
    let mut anchored = Vec::new();
    if plans.is_empty() {
        return anchored;
    }
    // The `.tf` files of each configuration, found once (not once per plan), in run order.
    let mut hcl_by_scope: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, file) in files.iter().enumerate() {
        if let (Format::TerraformHcl, Some(scope)) = (file.document.format, &file.document.scope) {
            hcl_by_scope.entry(scope.clone()).or_default().push(i);
        }
    }
    let from_flag: Vec<usize> = source_scopes.iter().filter_map(|s| hcl_by_scope.get(s)).flatten().copied().collect();
    for plan in plans {
        let dir = Path::new(&files[plan].path).parent().map(|d| d.to_string_lossy().replace('\\', "/"));
        let own = format!("hcl:{}", dir.filter(|d| !d.is_empty()).unwrap_or_else(|| ".".to_string()));
        let mut sources: Vec<usize> = hcl_by_scope.get(&own).into_iter().flatten().chain(&from_flag).copied().collect();
        sources.sort_unstable();
        sources.dedup();
        if !sources.is_empty() {
            anchor(files, plan, &sources);
            anchored.push((plan, sources));
        }
    }
    anchored
}

fn anchor(files: &mut [InputFile], plan: usize, sources: &[usize]) {
    let planned = std::mem::replace(&mut files[plan].document, Document::empty(Format::TerraformPlan));
    let mut left =
        Document { region: planned.region.clone(), scope: planned.scope.clone(), ..Document::empty(planned.format) };
    // A state machine's PTs are in the plan only when terraform knew its definition; one that names a value known
    // only after apply is planned as `definition: null`. The `.tf` then says what its tasks create: those PTs stay.
    let machines_planned: HashSet<String> = planned
        .throughputs
        .iter()
        .filter(|pt| pt.shape == PtShape::StepFunctionsTask)
        .filter_map(|pt| state_machine_of(&pt.resource).map(str::to_string))
        .collect();
    // A PT whose resource the plan's configuration does not declare was not planned from this `.tf` (the plan
    // is older, or from another configuration): the plan cannot say it will not exist, so it stays.
    let configured = planned.configured;
    let not_in_configuration =
        |resource: &str| configured.as_ref().is_some_and(|declared| !declared.contains(&without_keys(resource)));
    let unplanned = |pt: &Throughput| match (pt.shape, state_machine_of(&pt.resource)) {
        (PtShape::StepFunctionsTask, Some(machine)) => !machines_planned.contains(machine),
        _ => not_in_configuration(&pt.resource),
    };
    left.throughputs =
        anchor_kind(files, sources, planned.throughputs, |d| &mut d.throughputs, |e| &e.resource, merge, unplanned);
    left.custom_models = anchor_kind(
        files,
        sources,
        planned.custom_models,
        |d| &mut d.custom_models,
        |e| &e.resource,
        |mut model, source| {
            model.span = source.span;
            model.base_model = pick(model.base_model, source.base_model.clone());
            model
        },
        |_| false,
    );
    left.alarms = anchor_kind(
        files,
        sources,
        planned.alarms,
        |d| &mut d.alarms,
        |e| &e.resource,
        |mut alarm, source| {
            alarm.span = source.span;
            alarm
        },
        |_| false,
    );
    left.budgets = anchor_kind(
        files,
        sources,
        planned.budgets,
        |d| &mut d.budgets,
        |e| &e.resource,
        |mut budget, source| {
            budget.span = source.span;
            budget
        },
        |_| false,
    );
    files[plan].document = left;
}

/// An address without its instance keys: `module.a["k"].aws_x.y[0]` -> `module.a.aws_x.y`.
fn without_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut quoted = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The state machine a Step Functions task's PT belongs to: `aws_sfn_state_machine.m[0]` of
/// `aws_sfn_state_machine.m[0].State`.
fn state_machine_of(resource: &str) -> Option<&str> {
    let at = resource.find("aws_sfn_state_machine.")?;
    let rest = &resource[at + "aws_sfn_state_machine.".len()..];
    // The machine's name, then its instance key if any; the state's name follows the next dot outside brackets.
    let mut depth = 0usize;
    for (i, c) in rest.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => return Some(&resource[..at + "aws_sfn_state_machine.".len() + i]),
            _ => {}
        }
    }
    None
}

/// Move each planned entity of one kind onto the source entity with its address (`onto` merges the two) and
/// return those with none. Source entities no planned one landed on are dropped (the plan says what will exist),
/// except those `unplanned` keeps: what the plan cannot say.
fn anchor_kind<T>(
    files: &mut [InputFile],
    sources: &[usize],
    planned: Vec<T>,
    list: fn(&mut Document) -> &mut Vec<T>,
    address: fn(&T) -> &str,
    onto: impl Fn(T, &T) -> T,
    unplanned: impl Fn(&T) -> bool,
) -> Vec<T> {
    let mut index: HashMap<String, At> = HashMap::new();
    for &f in sources {
        for (i, entity) in list(&mut files[f].document).iter().enumerate() {
            index.insert(address(entity).to_string(), (f, i));
        }
    }
    let mut landed: HashSet<At> = HashSet::new();
    let mut left = Vec::new();
    for entity in planned {
        match index.get(address(&entity)) {
            Some(&(f, i)) => {
                let slot = &mut list(&mut files[f].document)[i];
                let merged = onto(entity, slot);
                *slot = merged;
                landed.insert((f, i));
            }
            None => left.push(entity),
        }
    }
    for &f in sources {
        let mut i = 0;
        list(&mut files[f].document).retain(|entity| {
            i += 1;
            landed.contains(&(f, i - 1)) || unplanned(entity)
        });
    }
    left
}

/// The planned PT at the source's positions: the plan's value where it is known, the source's where not.
fn merge(planned: Throughput, source: &Throughput) -> Throughput {
    let commitment = match planned.commitment.value {
        Resolved::Known(_) => Spanned::new(planned.commitment.value, source.commitment.span),
        _ => source.commitment.clone(),
    };
    Throughput {
        resource: planned.resource,
        span: source.span,
        resource_type: planned.resource_type,
        shape: planned.shape,
        name: pick(planned.name, source.name.clone()),
        model: pick(planned.model, source.model.clone()),
        model_units: pick(planned.model_units, source.model_units.clone()),
        commitment,
        commitment_explicit: planned.commitment_explicit || source.commitment_explicit,
        commitment_options: planned.commitment_options,
        tags: if planned.tags.is_empty() { source.tags.clone() } else { planned.tags },
        region: planned.region.map(|r| Spanned::new(r.value, source.region.as_ref().map_or(source.span, |s| s.span))),
        plan_action: planned.plan_action,
        // Only the plan knows what exists now; what its tool refuses, either reader may have seen.
        prior_commitment: planned.prior_commitment,
        rejections: if planned.rejections.is_empty() { source.rejections.clone() } else { planned.rejections },
        arn: planned.arn.or_else(|| source.arn.clone()),
        suppressions: source.suppressions.clone(),
        // The prior state is the plan's (its values price the "before"; its spans are the plan file's).
        prior: planned.prior,
        instances_unknown: None,
        deleted_with_stack: planned.deleted_with_stack,
    }
}

/// A planned field with the source's span; the source's own field where the plan does not know the value.
fn pick<T: Clone>(planned: Option<Field<T>>, source: Option<Field<T>>) -> Option<Field<T>> {
    match (planned, source) {
        (Some(planned), Some(source)) => Some(match planned.value {
            Resolved::Unresolved(_) => source,
            value => Spanned::new(value, source.span),
        }),
        (Some(planned), None) => Some(planned),
        (None, source) => source,
    }
}

#[cfg(test)]
mod state_machine_tests {
    use super::state_machine_of;

    #[test]
    fn a_tasks_pt_belongs_to_its_machine_instance() {
        assert_eq!(state_machine_of("aws_sfn_state_machine.host.Host"), Some("aws_sfn_state_machine.host"));
        assert_eq!(
            state_machine_of("aws_sfn_state_machine.m[\"a.b\"].Reserve"),
            Some("aws_sfn_state_machine.m[\"a.b\"]")
        );
        assert_eq!(
            state_machine_of("module.x[0].aws_sfn_state_machine.m[1].S"),
            Some("module.x[0].aws_sfn_state_machine.m[1]")
        );
        assert_eq!(state_machine_of("aws_bedrock_provisioned_model_throughput.chat"), None);
        assert_eq!(state_machine_of("aws_sfn_state_machine.m"), None);
    }

    #[test]
    fn configuration_addresses_have_no_instance_keys() {
        use super::without_keys;
        assert_eq!(without_keys("module.a[\"k]\"].aws_x.y[0]"), "module.a.aws_x.y");
        assert_eq!(without_keys("aws_x.y"), "aws_x.y");
    }
}
