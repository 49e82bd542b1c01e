//! `ptlint models`: the table of what AWS sells as Provisioned Throughput, where, and at which sourced rate,
//! judged on a fixed date so the snapshot never depends on the day the tests run.

use std::process::{Command, Output};

fn ptlint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ptlint"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn the_models_table_shows_status_regions_rates_and_sources() {
    let all = stdout(&ptlint(&["models", "--as-of", "2026-12-07"]));
    snapshot("models_all", &all);
    let region = stdout(&ptlint(&["models", "--region", "us-east-1", "--as-of", "2026-12-07"]));
    snapshot("models_us_east_1", &region);
    let markdown =
        stdout(&ptlint(&["models", "--region", "us-west-2", "--as-of", "2026-03-01", "--format", "markdown"]));
    snapshot("models_us_west_2_markdown", &markdown);
}

#[test]
fn the_json_table_is_data_with_the_date_it_was_judged_on() {
    let json = stdout(&ptlint(&["models", "--format", "json", "--as-of", "2026-03-01"]));
    let table: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(table["as_of"], "2026-03-01");
    let llama = table["models"].as_array().unwrap().iter().find(|m| m["model"] == "meta.llama3-2-11b-instruct-v1");
    let llama = llama.expect("Llama 3.2 11B row");
    assert_eq!(llama["status"], "legacy");
    assert_eq!(llama["pt_regions"], serde_json::json!(["us-west-2"]));
    assert_eq!(llama["rates"][0]["estimate"], true);
    assert_eq!(llama["rates"][0]["provisioned_hourly"]["one_month"], "20.30");
    let bad = ptlint(&["models", "--as-of", "2026-02-30"]);
    assert_eq!(bad.status.code(), Some(2));
}
