//! Differential truth: ptlint reading a Terraform project's `.tf` files sees every PT exactly as it sees
//! terraform's own plan of that project, down to the cent.
//!
//! Each `fixtures/hcl-agreement/<project>/` is a root module; `<project>.plan.json` beside it is
//! `terraform show -json` of `terraform plan` on it (fixtures/hcl-agreement/README.md says how; `regen.sh`
//! remakes them). The plan is the reference: terraform evaluated the variables, tfvars, locals, count,
//! for_each, modules and functions, and the test checks ptlint's own evaluation of the `.tf` lands on the
//! same instances with the same attributes and the same prices.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The region both runs are given, so neither depends on where a run happens.
const REGION: &str = "us-east-1";

/// The fields that must agree for each PT (`resource`, its address, is the key): what it serves, where, how
/// much of it for how long, and what that costs.
const COMPARED: &[&str] = &[
    "model",
    "model_kind",
    "base_model",
    "region",
    "model_units",
    "commitment",
    "hourly_rate",
    "monthly_cost",
    "commitment_total",
];

/// Every project, with how many PTs terraform planned for it (read from the plan, so the test cannot pass on
/// two empty answers).
const PROJECTS: &[(&str, usize)] = &[
    ("count-for-each", 8),
    ("custom-model", 2),
    ("data-sources", 4),
    ("data-splat", 4),
    ("file-config", 2),
    ("file-functions", 4),
    ("format-join", 3),
    ("functions", 6),
    ("json-syntax", 7),
    ("literal", 3),
    ("locals-order", 2),
    ("module-chain", 4),
    ("modules", 5),
    ("override", 3),
    ("provider-functions", 6),
    ("references", 5),
    ("step-functions", 4),
    ("tfvars", 2),
    ("tfvars-json", 4),
];

const PT_TYPE: &str = "aws_bedrock_provisioned_model_throughput";
const STATE_MACHINE_TYPE: &str = "aws_sfn_state_machine";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hcl-agreement")
}

/// `ptlint cost --format json --region us-east-1` on one path, with an empty config so no `.ptlint.yaml` in
/// the checkout (or above it) can change a price.
fn cost(path: &Path) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join(".ptlint.yaml");
    std::fs::write(&config, "").expect("empty config");
    let output = Command::new(env!("CARGO_BIN_EXE_ptlint"))
        .current_dir(dir.path())
        .args(["cost", "--format", "json", "--region", REGION, "--config"])
        .arg(&config)
        .arg(path)
        .output()
        .expect("run ptlint");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "{}: `ptlint cost` did not print JSON ({e}); exit {:?}\nstdout:\n{stdout}\nstderr:\n{}",
            path.display(),
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let errors = report["errors"].as_array().map_or(0, Vec::len);
    assert_eq!(errors, 0, "{}: ptlint reported input errors: {:#}", path.display(), report["errors"]);
    report
}

/// Each PT of a `ptlint cost` report by address, with the compared fields.
fn by_address(report: &Value, what: &str) -> BTreeMap<String, BTreeMap<&'static str, Value>> {
    let mut pts = BTreeMap::new();
    for pt in report["throughputs"].as_array().expect("a throughputs array") {
        let address = pt["resource"].as_str().expect("a resource address").to_string();
        let fields = COMPARED.iter().map(|f| (*f, pt[*f].clone())).collect();
        assert!(pts.insert(address.clone(), fields).is_none(), "{what}: {address} reported twice");
    }
    pts
}

/// What terraform itself planned for each PT: address -> (model_arn if known, model_units, commitment_duration).
fn terraform_planned(plan: &Value) -> BTreeMap<String, (Option<String>, Value, Value)> {
    fn walk(module: &Value, out: &mut BTreeMap<String, (Option<String>, Value, Value)>) {
        for resource in module["resources"].as_array().into_iter().flatten() {
            if resource["type"] == STATE_MACHINE_TYPE && resource["mode"] == "managed" {
                state_machine_pts(resource, out);
            }
            if resource["type"] == PT_TYPE && resource["mode"] == "managed" {
                let values = &resource["values"];
                let planned = (
                    values["model_arn"].as_str().map(str::to_string),
                    values["model_units"].clone(),
                    values["commitment_duration"].clone(),
                );
                out.insert(resource["address"].as_str().expect("an address").to_string(), planned);
            }
        }
        for child in module["child_modules"].as_array().into_iter().flatten() {
            walk(child, out);
        }
    }
    let mut out = BTreeMap::new();
    walk(&plan["planned_values"]["root_module"], &mut out);
    out
}

/// The PTs a planned state machine's definition creates when it runs: each `createProvisionedModelThroughput`
/// task, at `<address>.<state>`, with its literal `ModelId` (none when taken from the execution's state).
fn state_machine_pts(resource: &Value, out: &mut BTreeMap<String, (Option<String>, Value, Value)>) {
    fn walk(machine: &str, states: &Value, out: &mut BTreeMap<String, (Option<String>, Value, Value)>) {
        for (name, state) in states["States"].as_object().into_iter().flatten() {
            let creates = state["Resource"].as_str().is_some_and(|r| r.ends_with(":createProvisionedModelThroughput"));
            if state["Type"] == "Task" && creates {
                let p = &state["Parameters"];
                let planned = (
                    p["ModelId"].as_str().map(str::to_string),
                    p["ModelUnits"].clone(),
                    p["CommitmentDuration"].clone(),
                );
                out.insert(format!("{machine}.{name}"), planned);
            }
            for branch in state["Branches"].as_array().into_iter().flatten() {
                walk(machine, branch, out);
            }
        }
    }
    let definition: Value =
        serde_json::from_str(resource["values"]["definition"].as_str().expect("a planned definition")).expect("JSON");
    walk(resource["address"].as_str().expect("an address"), &definition, out);
}

fn plan_path(project: &str) -> PathBuf {
    fixtures().join(format!("{project}.plan.json"))
}

/// Reading the plan, ptlint sees what terraform planned: the same instances, units, terms and models.
/// A `null` commitment in the plan is no commitment (terraform's own reading of an absent term).
fn check_plan_side(project: &str, expected_pts: usize) {
    let path = plan_path(project);
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read the plan")).expect("plan");
    let planned = terraform_planned(&plan);
    assert_eq!(planned.len(), expected_pts, "{project}: terraform planned {} PTs", planned.len());

    let seen = by_address(&cost(&path), "plan");
    let planned_addresses: Vec<&String> = planned.keys().collect();
    let seen_addresses: Vec<&String> = seen.keys().collect();
    assert_eq!(seen_addresses, planned_addresses, "{project}: PT addresses ptlint read from the plan");

    let mut problems = Vec::new();
    for (address, (model_arn, units, term)) in &planned {
        let pt = &seen[address];
        if &pt["model_units"] != units {
            problems.push(format!("{address}: model_units {} (terraform: {units})", pt["model_units"]));
        }
        let wanted = if term.is_null() { Value::from("NoCommitment") } else { term.clone() };
        if pt["commitment"] != wanted {
            problems.push(format!("{address}: commitment {} (terraform planned {term}: {wanted})", pt["commitment"]));
        }
        // A model ARN known only after apply (a custom model) is checked against the HCL side below.
        if let Some(arn) = model_arn {
            if pt["model"] != arn.as_str() {
                problems.push(format!("{address}: model {} (terraform: {arn})", pt["model"]));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{project}: ptlint reads the plan differently from terraform:\n{}",
        problems.join("\n")
    );
}

/// Reading the `.tf` files, ptlint agrees with its reading of terraform's plan on every PT and every price.
fn check_agreement(project: &str, expected_pts: usize) {
    let (plan_pts, hcl_pts, problems) = disagreements(project, expected_pts);
    assert!(
        problems.is_empty(),
        "{project}: the .tf reading disagrees with the plan ({plan_pts} PTs in the plan, {hcl_pts} from the .tf):\n{}",
        problems.join("\n")
    );
}

/// How many PTs each side found, and every difference between them.
fn disagreements(project: &str, expected_pts: usize) -> (usize, usize, Vec<String>) {
    let plan = by_address(&cost(&plan_path(project)), "plan");
    assert_eq!(plan.len(), expected_pts, "{project}: PTs ptlint read from the plan: {:?}", plan.keys());

    let hcl = by_address(&cost(&fixtures().join(project)), "hcl");
    let mut problems = Vec::new();
    for address in plan.keys().filter(|a| !hcl.contains_key(*a)) {
        problems.push(format!("{address}: in the plan, not found in the .tf files"));
    }
    for address in hcl.keys().filter(|a| !plan.contains_key(*a)) {
        problems.push(format!("{address}: found in the .tf files, not in the plan"));
    }
    for (address, planned) in &plan {
        let Some(read) = hcl.get(address) else { continue };
        for field in COMPARED {
            if *field == "model" && same_model_but_the_account(&read[*field], &planned[*field]) {
                continue;
            }
            if planned[field] != read[field] {
                problems.push(format!(
                    "{address}: {field} is {} from the .tf, {} from the plan",
                    read[field], planned[field]
                ));
            }
        }
    }
    (plan.len(), hcl.len(), problems)
}

/// Whether a model ARN read from the `.tf` is the plan's ARN with the account left as written (`${...}`): the
/// account comes from AWS (`data.aws_caller_identity`, which the plan got from the stand-in STS); every other
/// field, the model included, must be the plan's.
fn same_model_but_the_account(read: &Value, planned: &Value) -> bool {
    let (Some(read), Some(planned)) = (read.as_str(), planned.as_str()) else { return false };
    let read: Vec<&str> = read.splitn(6, ':').collect();
    let planned: Vec<&str> = planned.splitn(6, ':').collect();
    read.len() == 6
        && planned.len() == 6
        && read[4].starts_with("${")
        && read[4].ends_with('}')
        && (0..6).filter(|&i| i != 4).all(|i| read[i] == planned[i])
}

fn expected_pts(project: &str) -> usize {
    PROJECTS.iter().find(|(name, _)| *name == project).map(|(_, n)| *n).expect("a listed project")
}

macro_rules! projects {
    ($($test:ident => $project:literal),* $(,)?) => {
        mod plan_matches_terraform {
            $(#[test] fn $test() { super::check_plan_side($project, super::expected_pts($project)); })*
        }
        mod tf_matches_plan {
            $(#[test] fn $test() { super::check_agreement($project, super::expected_pts($project)); })*
        }
    };
}

projects! {
    count_for_each => "count-for-each",
    custom_model => "custom-model",
    data_sources => "data-sources",
    data_splat => "data-splat",
    file_config => "file-config",
    file_functions => "file-functions",
    format_join => "format-join",
    functions => "functions",
    json_syntax => "json-syntax",
    literal => "literal",
    locals_order => "locals-order",
    module_chain => "module-chain",
    modules => "modules",
    override_files => "override",
    provider_functions => "provider-functions",
    references => "references",
    step_functions => "step-functions",
    tfvars => "tfvars",
    tfvars_json => "tfvars-json",
}

/// Every project directory is listed (so none is silently skipped) and has its plan beside it.
#[test]
fn every_project_is_listed_with_its_plan() {
    let mut dirs: Vec<String> = std::fs::read_dir(fixtures())
        .expect("fixtures/hcl-agreement")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let mut listed: Vec<String> = PROJECTS.iter().map(|(name, _)| name.to_string()).collect();
    listed.sort();
    assert_eq!(dirs, listed, "fixtures/hcl-agreement/* and PROJECTS differ");
    for name in &listed {
        assert!(plan_path(name).is_file(), "{name}: no {name}.plan.json beside the project");
        assert!(fixtures().join(name).join("provider.tf").is_file(), "{name}: no provider.tf");
    }
}

/// An override file's values are where the merged PT is reported: `override.tf` sets `chat`'s units and term,
/// so its findings point at those values there, not at the base's 1 MU OneMonth in `main.tf`.
#[test]
fn overridden_values_are_reported_at_the_override() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join(".ptlint.yaml");
    std::fs::write(&config, "").expect("empty config");
    let project = fixtures().join("override");
    let output = Command::new(env!("CARGO_BIN_EXE_ptlint"))
        .current_dir(&project)
        .args(["check", "--format", "json", "--region", REGION, "--config"])
        .arg(&config)
        .output()
        .expect("run ptlint");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let chat = report["throughputs"]
        .as_array()
        .and_then(|pts| pts.iter().find(|t| t["resource"] == "aws_bedrock_provisioned_model_throughput.chat"))
        .expect("chat");
    assert_eq!((chat["file"].as_str(), chat["line"].as_u64()), (Some("override.tf"), Some(3)), "{chat:#}");
    assert_eq!((chat["model_units"].as_u64(), chat["commitment"].as_str()), (Some(4), Some("SixMonths")));
    // PT003 (a commitment without usage evidence) points at the commitment value the override wrote.
    let pt003 = report["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == "PT003" && f["resource"] == chat["resource"]))
        .expect("PT003 on chat");
    let at = (pt003["file"].as_str(), pt003["line"].as_u64(), pt003["column"].as_u64());
    assert_eq!(at, (Some("override.tf"), Some(5), Some(25)), "{pt003:#}");
    // `batch` is reported in the JSON-syntax override that set its units, at that value.
    let batch = report["throughputs"]
        .as_array()
        .and_then(|pts| pts.iter().find(|t| t["resource"] == "aws_bedrock_provisioned_model_throughput.batch"))
        .expect("batch");
    // Line 6 is `"batch": {"model_units": "${var.units * 2}"}`, where the override names the block.
    let at = (batch["file"].as_str(), batch["line"].as_u64());
    assert_eq!(at, (Some("batch_override.tf.json"), Some(6)), "{batch:#}");
    assert_eq!(batch["model_units"].as_u64(), Some(6));
}
