//! `terraform show -json` plans: values from `planned_values`, actions from `resource_changes`, links from `configuration`.

use super::{parse_reference, Attrs, TfRef, ALARM_TYPE, BUDGET_TYPE, CUSTOM_MODEL_TYPE, PT_TYPE, STATE_MACHINE_TYPE};
use crate::model::{Commitment, Document, Format, PlanAction, PriorState, Reference, Resolved};
use crate::source::node::{Node, Span};
use std::collections::{HashMap, HashSet};

mod attrs;
use attrs::PlanAttrs;

/// Is this JSON document a Terraform plan (or the state `terraform show -json` prints without a plan file)?
pub fn is_plan(root: &Node) -> bool {
    root.get("format_version").is_some()
        && (root.get("planned_values").is_some()
            || root.get("resource_changes").is_some()
            || root.get("configuration").is_some()
            || root.path(&["values", "root_module"]).is_some())
}

/// Everything a plan offers for resolving values, built once per plan.
struct PlanCtx<'a> {
    variables: Option<&'a Node>,
    /// Data source values by absolute address (from planned_values and prior_state).
    data: HashMap<String, &'a Node>,
    changes: HashMap<String, &'a Node>,
    config_root: Option<&'a Node>,
}

/// Read a plan. Fails only for a format version this reader does not understand.
pub fn read(root: &Node) -> Result<Document, (String, Span)> {
    if let Some(version) = root.get("format_version") {
        let text = version.scalar_text().unwrap_or_default();
        let major = text.split('.').next().unwrap_or("");
        if major != "0" && major != "1" {
            return Err((format!("unsupported plan format_version `{text}` (ptlint reads 0.x and 1.x)"), version.span));
        }
    }
    let mut data = HashMap::new();
    for modules in
        [root.get("planned_values"), root.path(&["prior_state", "values"]), root.get("values")].into_iter().flatten()
    {
        if let Some(module) = modules.get("root_module") {
            walk_modules(module, 0, &mut |resource| {
                if resource.get("mode").and_then(Node::as_str) == Some("data") {
                    if let (Some(address), Some(values)) =
                        (resource.get("address").and_then(Node::as_str), resource.get("values"))
                    {
                        data.insert(address.to_string(), values);
                    }
                }
            });
        }
    }
    let changes: HashMap<String, &Node> = root
        .get("resource_changes")
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|c| Some((c.get("address")?.as_str()?.to_string(), c)))
        .collect();
    let ctx = PlanCtx {
        variables: root.get("variables"),
        data,
        changes,
        config_root: root.path(&["configuration", "root_module"]),
    };
    let mut doc = Document::empty(Format::TerraformPlan);
    doc.region = provider_region(root, &ctx);
    doc.configured = ctx.config_root.map(|module| {
        let mut addresses = HashSet::new();
        configured_addresses(module, "", 0, &mut addresses);
        addresses
    });
    let mut seen = HashSet::new();
    // A plan's values are under `planned_values`; `terraform show -json` of a state puts them under `values`.
    let values = root.path(&["planned_values", "root_module"]).or_else(|| root.path(&["values", "root_module"]));
    if let Some(module) = values {
        walk_modules(module, 0, &mut |resource| {
            let address = resource.get("address").and_then(Node::as_str).unwrap_or_default().to_string();
            seen.insert(address.clone());
            let action = ctx.changes.get(&address).and_then(|c| actions(c));
            add_resource(&mut doc, &ctx, resource, resource.get("values"), action);
        });
    }
    // Resources the plan deletes (or plans without planned_values) appear only in resource_changes.
    if let Some(changes) = root.get("resource_changes").and_then(Node::as_array) {
        for change in changes {
            let address = change.get("address").and_then(Node::as_str).unwrap_or_default();
            if seen.contains(address) {
                continue;
            }
            let action = actions(change);
            let values = match action {
                Some(PlanAction::Delete) => change.path(&["change", "before"]),
                _ => change.path(&["change", "after"]),
            };
            add_resource(&mut doc, &ctx, change, values, action);
        }
    }
    Ok(doc)
}

/// The term of the PT a change deletes (a delete or a replacement; `forget` leaves the PT running), read
/// from its prior state: a null or absent `commitment_duration` there is no commitment.
fn prior_commitment(change: &Node) -> Option<Commitment> {
    let actions = change.path(&["change", "actions"])?.as_array()?;
    if !actions.iter().any(|a| a.as_str() == Some("delete")) {
        return None;
    }
    let before = change.path(&["change", "before"]).filter(|b| b.as_object().is_some())?;
    match before.get("commitment_duration") {
        None => Some(Commitment::NoCommitment),
        Some(node) if node.is_null() => Some(Commitment::NoCommitment),
        Some(node) => node.as_str().and_then(Commitment::parse),
    }
}

fn actions(change: &Node) -> Option<PlanAction> {
    let list: Vec<&str> = change.path(&["change", "actions"])?.as_array()?.iter().filter_map(Node::as_str).collect();
    PlanAction::from_actions(&list)
}

/// Visit every resource of a module tree (bounded depth: modules nest a few levels, hostile input more).
fn walk_modules<'a>(module: &'a Node, depth: usize, visit: &mut dyn FnMut(&'a Node)) {
    if depth > 64 {
        return;
    }
    for resource in module.get("resources").and_then(Node::as_array).unwrap_or_default() {
        visit(resource);
    }
    for child in module.get("child_modules").and_then(Node::as_array).unwrap_or_default() {
        walk_modules(child, depth + 1, visit);
    }
}

/// `module.a["k"].module.b.aws_x.y[0]` -> (`module.a["k"].module.b.`, [a, b]).
fn module_path(address: &str) -> (String, Vec<String>) {
    let parts = super::split_traversal(address);
    let (mut prefix, mut names, mut i) = (String::new(), Vec::new(), 0);
    while i + 1 < parts.len() && parts[i] == "module" {
        prefix.push_str(&format!("module.{}.", parts[i + 1]));
        names.push(parts[i + 1].split('[').next().unwrap_or("").to_string());
        i += 2;
    }
    (prefix, names)
}

fn config_module<'a>(ctx: &PlanCtx<'a>, names: &[String]) -> Option<&'a Node> {
    names.iter().try_fold(ctx.config_root?, |module, name| module.path(&["module_calls", name, "module"]))
}

fn add_resource(doc: &mut Document, ctx: &PlanCtx, resource: &Node, values: Option<&Node>, action: Option<PlanAction>) {
    let (Some(kind), Some(address_node)) = (resource.get("type").and_then(Node::as_str), resource.get("address"))
    else {
        return;
    };
    if resource.get("mode").and_then(Node::as_str) == Some("data") {
        return;
    }
    if ![PT_TYPE, CUSTOM_MODEL_TYPE, ALARM_TYPE, BUDGET_TYPE, STATE_MACHINE_TYPE].contains(&kind) {
        return;
    }
    let address = address_node.as_str().unwrap_or_default();
    let (prefix, names) = module_path(address);
    let module = config_module(ctx, &names);
    let name = resource.get("name").and_then(Node::as_str).unwrap_or_default();
    let config_address = format!("{kind}.{name}");
    let config = module
        .and_then(|m| m.get("resources"))
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .find(|r| r.get("address").and_then(Node::as_str) == Some(config_address.as_str()));
    let exprs = config.and_then(|r| r.get("expressions"));
    let each = config.and_then(|r| for_each_instance(r, address, &prefix));
    // Unknown values are left out of planned values and flagged in `after_unknown`; a value that is there
    // (null included) is known. A delete reads `before`, which is all known.
    let change = ctx.changes.get(address).copied();
    let unknown =
        change.filter(|_| action != Some(PlanAction::Delete)).and_then(|c| c.path(&["change", "after_unknown"]));
    let attrs = PlanAttrs { values, exprs, unknown, each, ctx, prefix, module_names: names, hops: 0 };
    let span = address_node.span;
    match kind {
        PT_TYPE => {
            let mut pt = super::throughput(address, span, &attrs, action);
            pt.prior = prior_state(ctx, address, span);
            pt.prior_commitment = change.and_then(prior_commitment);
            doc.throughputs.push(pt);
        }
        CUSTOM_MODEL_TYPE => doc.custom_models.push(super::custom_model(address, span, &attrs)),
        // A state machine the plan deletes creates nothing more.
        STATE_MACHINE_TYPE if action != Some(PlanAction::Delete) => {
            if let Some(Resolved::Known(text)) = attrs.string("definition").map(|d| d.value) {
                crate::source::cfn::stepfunctions::read_definition_json(address, &text, span, doc);
            }
        }
        ALARM_TYPE if action != Some(PlanAction::Delete) => doc.alarms.push(super::alarm(address, span, &attrs)),
        BUDGET_TYPE if action != Some(PlanAction::Delete) => doc.budgets.push(super::budget(address, span, &attrs)),
        _ => {}
    }
}

/// Every resource address a plan's `configuration` module declares, under `prefix` (`module.a.`), through its
/// module calls (bounded in depth, as module nesting is).
fn configured_addresses(module: &Node, prefix: &str, depth: usize, out: &mut HashSet<String>) {
    if depth > 32 {
        return;
    }
    for resource in module.get("resources").and_then(Node::as_array).unwrap_or_default() {
        if let Some(address) = resource.get("address").and_then(Node::as_str) {
            out.insert(format!("{prefix}{address}"));
        }
    }
    for (name, call) in module.get("module_calls").and_then(Node::as_object).unwrap_or_default() {
        if let Some(inner) = call.get("module") {
            configured_addresses(inner, &format!("{prefix}module.{}.", name.name), depth + 1, out);
        }
    }
}

/// `for_each = aws_x.y` (every instance of another resource): `each.value` of instance `["k"]` is
/// `aws_x.y["k"]`. Returns that instance's address.
fn for_each_instance(config: &Node, address: &str, prefix: &str) -> Option<String> {
    let key = &address[super::strip_index(address).len()..];
    if key.is_empty() {
        return None;
    }
    let references = config.path(&["for_each_expression", "references"])?.as_array()?;
    let [only] = references else { return None };
    let text = only.as_str()?;
    if text.starts_with("data.") || text.starts_with("module.") {
        return None;
    }
    match parse_reference(text, prefix)? {
        TfRef::Object(Reference::Terraform { address: target, attribute: None }) => Some(format!("{target}{key}")),
        _ => None,
    }
}

/// The PT as it stands before the plan (`change.before`), when the plan records one: a create has none.
fn prior_state(ctx: &PlanCtx, address: &str, span: Span) -> Option<PriorState> {
    let before = ctx.changes.get(address)?.path(&["change", "before"]).filter(|b| b.as_object().is_some())?;
    // Prior state is literal: no configuration expressions are needed to read it.
    let pt = super::throughput(address, span, &PlanAttrs::unscoped(Some(before), ctx), None);
    Some(PriorState { model: pt.model, model_units: pt.model_units, commitment: pt.commitment, region: pt.region })
}

/// Region of the default `aws` provider, from the configuration.
fn provider_region(root: &Node, ctx: &PlanCtx) -> Option<String> {
    let expr = root.path(&["configuration", "provider_config", "aws", "expressions", "region"])?;
    PlanAttrs::unscoped(None, ctx).expression(expr)?.value.known().cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths() {
        assert_eq!(
            module_path("module.a[\"k\"].module.b.aws_x.y[0]"),
            ("module.a[\"k\"].module.b.".to_string(), vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(module_path("aws_x.y"), (String::new(), Vec::new()));
    }

    /// A PT whose `commitment_duration = var.term` (a module input, say, that the plan does not list), planned
    /// with `value` and `after_unknown`.
    fn planned_term(value: &str, after_unknown: &str) -> Resolved<crate::model::Commitment> {
        let plan = format!(
            r#"{{"format_version": "1.2",
              "planned_values": {{"root_module": {{"resources": [{{
                "address": "aws_bedrock_provisioned_model_throughput.pt", "mode": "managed",
                "type": "aws_bedrock_provisioned_model_throughput", "name": "pt",
                "values": {{"model_units": 1{value}}}}}]}}}},
              "resource_changes": [{{
                "address": "aws_bedrock_provisioned_model_throughput.pt", "mode": "managed",
                "type": "aws_bedrock_provisioned_model_throughput", "name": "pt",
                "change": {{"actions": ["create"], "after_unknown": {{{after_unknown}}}}}}}],
              "configuration": {{"root_module": {{"resources": [{{
                "address": "aws_bedrock_provisioned_model_throughput.pt",
                "expressions": {{"commitment_duration": {{"references": ["var.term"]}}}}}}]}}}}}}"#
        );
        let root = crate::source::json::parse_json(&plan).expect("plan JSON");
        read(&root).expect("a plan").throughputs.remove(0).commitment.value
    }

    #[test]
    fn a_planned_null_commitment_is_no_commitment_unless_unknown_until_apply() {
        use crate::model::Commitment;
        assert_eq!(planned_term(r#", "commitment_duration": null"#, ""), Resolved::Known(Commitment::NoCommitment));
        assert_eq!(planned_term(r#", "commitment_duration": "OneMonth""#, ""), Resolved::Known(Commitment::OneMonth));
        // Unknown until apply: the plan omits the value and marks it; the configuration names where it comes from.
        let unknown = planned_term("", r#""commitment_duration": true"#);
        assert!(matches!(unknown, Resolved::Unresolved(_)), "{unknown:?}");
        let marked_null = planned_term(r#", "commitment_duration": null"#, r#""commitment_duration": true"#);
        assert!(matches!(marked_null, Resolved::Unresolved(_)), "{marked_null:?}");
    }
}
