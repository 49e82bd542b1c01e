//! Plans anchored to their source: when a plan and the `.tf` files it was made from are read in one run, each planned
//! entity moves to its block in the `.tf` file (so findings land on lines of the pull request's diff), keeping the
//! plan's known values, which win over what evaluating the `.tf` says.

use crate::link::InputFile;
use crate::model::{Document, Field, Format, Resolved, Spanned, Throughput};
use std::collections::HashMap;
use std::path::Path;

/// Where an entity of a `.tf` document sits: (file index, entity index).
type At = (usize, usize);

/// Pair every plan of the run with the `.tf` configuration it was made from: the one in the plan's own directory,
/// or the ones named with `--source` (`source_scopes`, as the HCL reader names scopes). Planned entities move into
/// the `.tf` documents; `.tf` entities the plan does not have are dropped, since the plan says what exists.
pub fn anchor_plans(files: &mut [InputFile], source_scopes: &[String]) {
    let plans: Vec<usize> = (0..files.len()).filter(|&i| files[i].document.format == Format::TerraformPlan).collect();
    for plan in plans {
        let dir = Path::new(&files[plan].path).parent().map(|d| d.to_string_lossy().replace('\\', "/"));
        let own = format!("hcl:{}", dir.filter(|d| !d.is_empty()).unwrap_or_else(|| ".".to_string()));
        let sources: Vec<usize> = (0..files.len())
            .filter(|&i| {
                let document = &files[i].document;
                document.format == Format::TerraformHcl
                    && document.scope.as_ref().is_some_and(|s| *s == own || source_scopes.contains(s))
            })
            .collect();
        if !sources.is_empty() {
            anchor(files, plan, &sources);
        }
    }
}

fn anchor(files: &mut [InputFile], plan: usize, sources: &[usize]) {
    let mut pts: HashMap<String, At> = HashMap::new();
    let mut models: HashMap<String, At> = HashMap::new();
    let mut alarms: HashMap<String, At> = HashMap::new();
    let mut budgets: HashMap<String, At> = HashMap::new();
    for &f in sources {
        let document = &files[f].document;
        pts.extend(document.throughputs.iter().enumerate().map(|(i, e)| (e.resource.clone(), (f, i))));
        models.extend(document.custom_models.iter().enumerate().map(|(i, e)| (e.resource.clone(), (f, i))));
        alarms.extend(document.alarms.iter().enumerate().map(|(i, e)| (e.resource.clone(), (f, i))));
        budgets.extend(document.budgets.iter().enumerate().map(|(i, e)| (e.resource.clone(), (f, i))));
    }
    let mut keep: HashMap<(usize, usize, usize), bool> = HashMap::new();
    let planned = std::mem::replace(&mut files[plan].document, Document::empty(Format::TerraformPlan));
    let mut left =
        Document { region: planned.region.clone(), scope: planned.scope.clone(), ..Document::empty(planned.format) };
    for pt in planned.throughputs {
        match pts.get(&pt.resource) {
            Some(&(f, i)) => {
                let source = &mut files[f].document.throughputs[i];
                *source = merge(pt, source);
                keep.insert((0, f, i), true);
            }
            None => left.throughputs.push(pt),
        }
    }
    for mut model in planned.custom_models {
        match models.get(&model.resource) {
            Some(&(f, i)) => {
                let source = &mut files[f].document.custom_models[i];
                model.span = source.span;
                model.base_model = pick(model.base_model, source.base_model.take());
                *source = model;
                keep.insert((1, f, i), true);
            }
            None => left.custom_models.push(model),
        }
    }
    for mut alarm in planned.alarms {
        match alarms.get(&alarm.resource) {
            Some(&(f, i)) => {
                alarm.span = files[f].document.alarms[i].span;
                files[f].document.alarms[i] = alarm;
                keep.insert((2, f, i), true);
            }
            None => left.alarms.push(alarm),
        }
    }
    for mut budget in planned.budgets {
        match budgets.get(&budget.resource) {
            Some(&(f, i)) => {
                budget.span = files[f].document.budgets[i].span;
                files[f].document.budgets[i] = budget;
                keep.insert((3, f, i), true);
            }
            None => left.budgets.push(budget),
        }
    }
    files[plan].document = left;
    // What the `.tf` evaluation found but the plan does not have does not exist (the plan says what will).
    for &f in sources {
        let document = &mut files[f].document;
        let kept = |kind: usize, i: usize| keep.contains_key(&(kind, f, i));
        retain_indexed(&mut document.throughputs, |i| kept(0, i));
        retain_indexed(&mut document.custom_models, |i| kept(1, i));
        retain_indexed(&mut document.alarms, |i| kept(2, i));
        retain_indexed(&mut document.budgets, |i| kept(3, i));
    }
}

fn retain_indexed<T>(items: &mut Vec<T>, keep: impl Fn(usize) -> bool) {
    let mut index = 0;
    items.retain(|_| {
        let kept = keep(index);
        index += 1;
        kept
    });
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
        arn: planned.arn.or_else(|| source.arn.clone()),
        suppressions: source.suppressions.clone(),
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
