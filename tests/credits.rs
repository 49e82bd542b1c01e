//! Credits as a user meets them: the runway in `ptlint cost` and `ptlint check` (every format), the runway before
//! and after a change, the run's date (`--as-of`), and bad `credits:` config.
//!
//! `examples/credits/` holds the worked example: `$100,000` expiring 2027-12-31, and one SixMonths PT of Titan Text
//! Express ($14.80/MU-h, 730 hours: $10,804.00/month) before the change, plus a 2-MU one ($21,608.00/month) after.

use serde_json::{json, Value};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const CONFIG: &str = "examples/credits/.ptlint.yaml";
const BASE: &str = "examples/credits/base";
const HEAD: &str = "examples/credits/head";

fn ptlint(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ptlint"))
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

#[test]
fn the_worked_example_lasts_9_26_months_in_every_report() {
    let args = ["--config", CONFIG, "--as-of", "2026-12-07"];
    let line =
        "$100,000.00 in 1 pool cover $10,804.00/month for 9.26 months, until 2027-09-14 (used up; as of 2026-12-07)";

    let table = ptlint(&[&["cost", BASE][..], &args].concat());
    assert_eq!(table.status.code(), Some(0));
    assert!(stdout(&table).contains(&format!("\nCredits:             {line}\n")), "{}", stdout(&table));

    let human = ptlint(&[&["check", BASE][..], &args].concat());
    assert!(stdout(&human).contains(&format!("\nCredits: {line}\n")), "{}", stdout(&human));

    let markdown = ptlint(&[&["check", BASE, "--format", "markdown"][..], &args].concat());
    assert!(stdout(&markdown).contains(&format!("\n**Credits:** {line}\n")), "{}", stdout(&markdown));
    let cost_markdown = ptlint(&[&["cost", BASE, "--format", "markdown"][..], &args].concat());
    assert!(stdout(&cost_markdown).starts_with(&format!("## ptlint cost\n\n**Credits:** {line}\n\n")));

    let expected = json!({
        "as_of": "2026-12-07",
        "pools": [{"name": "activate", "amount": "100000.00", "expires": "2027-12-31", "spent": "100000.00",
                   "forfeited": "0.00"}],
        "total": "100000.00",
        "monthly_cost": "10804.00",
        "unpriced": 0,
        "runway_months": "9.26",
        "runs_out": "2027-09-14",
        "limited_by": "amount",
        "limiting_pool": null,
    });
    let check_json = json_of(&ptlint(&[&["check", BASE, "--format", "json"][..], &args].concat()));
    assert_eq!(check_json["summary"]["credits"], expected);
    let cost_json = json_of(&ptlint(&[&["cost", BASE, "--format", "json"][..], &args].concat()));
    assert_eq!(cost_json["totals"]["credits"], expected);
    // The facts document carries the same object for user rules, and each PT's term against it.
    let facts = json_of(&ptlint(&[&["facts", BASE][..], &args].concat()));
    assert_eq!(facts["credits"], expected);
    assert_eq!(
        facts["throughputs"][0]["credits"],
        json!({"runs_out": "2027-09-14", "term_ends": "2027-06-07", "outlives_credits": false, "from_bank": null})
    );
}

#[test]
fn the_run_date_can_make_the_expiry_the_limit() {
    // From 2027-06-01 the pool's last day is 214 days away, and $100,000 would last 281.5: the expiry wins.
    let output = ptlint(&["cost", BASE, "--config", CONFIG, "--as-of", "2027-06-01", "--format", "json"]);
    let credits = &json_of(&output)["totals"]["credits"];
    assert_eq!(credits["runway_months"], "7.04");
    assert_eq!(credits["runs_out"], "2027-12-31");
    assert_eq!(credits["limited_by"], "expiry");
    assert_eq!(credits["limiting_pool"], "activate");
    // 214 days at $10,804.00 * 24 / 730 = $355.20 a day is spent; the rest is lost at expiry.
    assert_eq!(credits["pools"][0]["spent"], "76012.80");
    assert_eq!(credits["pools"][0]["forfeited"], "23987.20");
    let table = ptlint(&["cost", BASE, "--config", CONFIG, "--as-of", "2027-06-01"]);
    assert!(
        stdout(&table).contains("for 7.04 months, until 2027-12-31 (`activate` expires; as of 2027-06-01)"),
        "{}",
        stdout(&table)
    );
}

#[test]
fn a_change_reports_the_runway_before_and_after() {
    let args = ["--config", CONFIG, "--as-of", "2026-12-07", "--compare-to", BASE];
    let sentence = "Credits now last until 2027-03-10 (3.09 months), was 2027-09-14 (9.26 months).";
    let table = ptlint(&[&["cost", HEAD][..], &args].concat());
    assert!(stdout(&table).contains(&format!("\n{sentence}\n")), "{}", stdout(&table));
    let markdown = ptlint(&[&["check", HEAD, "--format", "markdown"][..], &args].concat());
    assert!(stdout(&markdown).contains(&format!("\n{sentence}\n")), "{}", stdout(&markdown));
    let report = json_of(&ptlint(&[&["check", HEAD, "--format", "json"][..], &args].concat()));
    assert_eq!(
        report["diff"]["credits"],
        json!({
            "before": {"runway_months": "9.26", "runs_out": "2027-09-14", "limited_by": "amount"},
            "after": {"runway_months": "3.09", "runs_out": "2027-03-10", "limited_by": "amount"},
        })
    );
    let github = ptlint(&[&["check", HEAD, "--format", "github"][..], &args].concat());
    assert!(stdout(&github).contains(&format!("::notice title=ptlint credits::{sentence}\n")), "{}", stdout(&github));
    // The same state on both sides: the runway is as it was.
    let same = ptlint(&["cost", BASE, "--config", CONFIG, "--as-of", "2026-12-07", "--compare-to", BASE]);
    assert!(stdout(&same).contains("\nCredits last until 2027-09-14 (9.26 months), as before.\n"), "{}", stdout(&same));
}

#[test]
fn commitments_past_the_runway_are_warnings_with_the_bank_amount() {
    let output = ptlint(&["check", HEAD, "--config", CONFIG, "--as-of", "2026-12-07", "--format", "json"]);
    let report = json_of(&output);
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["name"] == "commitment-outlives-credits")
        .map(|f| {
            assert_eq!(f["level"], "warning");
            f["message"].as_str().unwrap()
        })
        .collect();
    // $100,000 / ($32,412.00 * 24 / 730 a day) = 93.84 days; each 182.5-day term has 88.66 days, 2.9147 months,
    // left: $10,804.00 and $21,608.00 a month of it.
    assert_eq!(
        messages,
        [
            "the `SixMonths` term of `aws_bedrock_provisioned_model_throughput.chat` runs until 2027-06-07, past \
             2027-03-10 when the credits run out: $31,490.67 of the term will come from the bank",
            "the `SixMonths` term of `aws_bedrock_provisioned_model_throughput.summarize` runs until 2027-06-07, past \
             2027-03-10 when the credits run out: $62,981.33 of the term will come from the bank",
        ]
    );
    // Before the change the credits outlast the term: no warning.
    let before = json_of(&ptlint(&["check", BASE, "--config", CONFIG, "--as-of", "2026-12-07", "--format", "json"]));
    assert!(before["findings"].as_array().unwrap().iter().all(|f| f["name"] != "commitment-outlives-credits"));
}

#[test]
fn bad_credits_stop_the_run_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("credits.yaml");
    std::fs::write(&config, "credits:\n  - name: activate\n    amount: 100000\n    expires: 2027-13-01\n").unwrap();
    let output = ptlint(&["cost", BASE, "--config", config.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("{}:4:", config.display())), "{stderr}");
    assert!(stderr.contains("credits[0].expires") && stderr.contains("2027-13-01"), "{stderr}");
}

#[test]
fn without_credits_the_reports_say_nothing_of_them() {
    for args in [&["cost", BASE][..], &["check", BASE, "--format", "markdown"], &["cost", BASE, "--format", "json"]] {
        let output = ptlint(&[args, &["--config", "examples/quickstart/.ptlint.yaml"]].concat());
        let text = stdout(&output);
        assert!(text.contains("10,804.00") || text.contains("10804.00"), "{text}");
        assert!(!text.contains("Credits") && !text.contains("\"credits\""), "{text}");
    }
}

/// What the user sees, whole: the cost table with the runway and its change, and the check's summary lines.
#[test]
fn credit_reports_snapshots() {
    let args = ["--config", CONFIG, "--as-of", "2026-12-07", "--compare-to", BASE];
    insta::assert_snapshot!("cost_table_with_credits", stdout(&ptlint(&[&["cost", HEAD][..], &args].concat())));
    let check = stdout(&ptlint(&[&["check", HEAD, "--select", "commitment-outlives-credits"][..], &args].concat()));
    insta::assert_snapshot!("check_human_with_credits", check);
}

/// Two teams, each with its own config and credits (tests/data/credits-teams): each team's credits pay for its own
/// PT, and every report shows both runways with the config they come from.
#[test]
fn each_configs_credits_are_shown_with_their_config() {
    let teams = "tests/data/credits-teams";
    let args = ["--as-of", "2026-12-07"];
    let search = "$100,000.00 in 1 pool cover $10,804.00/month for 9.26 months, until 2027-09-14 (used up; as of \
                  2026-12-07)";
    let support = "$50,000.00 in 1 pool cover $21,608.00/month for 2.31 months, until 2027-02-15 (used up; as of \
                   2026-12-07)";
    let search_config = "tests/data/credits-teams/search/.ptlint.yaml";
    let support_config = "tests/data/credits-teams/support/.ptlint.yaml";

    let human = stdout(&ptlint(&[&["check", teams][..], &args].concat()));
    let both = format!("\nCredits ({search_config}): {search}\nCredits ({support_config}): {support}\n");
    assert!(human.contains(&both), "{human}");
    let table = stdout(&ptlint(&[&["cost", teams][..], &args].concat()));
    assert!(table.contains(&both), "{table}");
    let markdown = stdout(&ptlint(&[&["check", teams, "--format", "markdown"][..], &args].concat()));
    assert!(markdown.contains(&format!("\n**Credits (`{support_config}`):** {support}\n")), "{markdown}");

    let check_json = json_of(&ptlint(&[&["check", teams, "--format", "json"][..], &args].concat()));
    let each = &check_json["summary"]["credits_by_config"];
    assert_eq!(each.as_array().map(Vec::len), Some(2), "{each:#}");
    assert_eq!(each[0]["config"], search_config);
    assert_eq!(each[0]["runway_months"], "9.26");
    assert_eq!(each[1]["config"], support_config);
    assert_eq!(each[1]["monthly_cost"], "21608.00");
    assert_eq!(each[1]["runway_months"], "2.31");
    // `credits` stays the first config's, as before.
    assert_eq!(check_json["summary"]["credits"]["runway_months"], "9.26");
    let cost_json = json_of(&ptlint(&[&["cost", teams, "--format", "json"][..], &args].concat()));
    assert_eq!(cost_json["totals"]["credits_by_config"], *each);

    // One config with credits: one `Credits:` line and no per-config list, as before.
    let one =
        json_of(&ptlint(&[&["check", "tests/data/credits-teams/search", "--format", "json"][..], &args].concat()));
    assert!(one["summary"].get("credits_by_config").is_none());
}

/// A committed PT whose cost is unknown still outlives the credits, and the reports say what is missing instead
/// of an amount: PT013's message, and the runway line of `ptlint cost` and `ptlint check`.
#[test]
fn an_unpriced_commitment_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let stack = dir.path().join("stack.yaml");
    std::fs::write(
        &stack,
        "Parameters:\n  Units:\n    Type: Number\nResources:\n  Extra:\n    Type: Custom::ProvisionedThroughput\n    \
         Properties:\n      ServiceToken: x\n      ModelId: arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k\n      \
         ModelUnits: !Ref Units\n      CommitmentDuration: SixMonths\n",
    )
    .unwrap();
    let stack = stack.to_str().unwrap();
    let args = ["--config", CONFIG, "--as-of", "2026-12-07"];
    let check = json_of(&ptlint(&[&["check", HEAD, stack, "--format", "json"][..], &args].concat()));
    let pt013: Vec<&Value> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PT013" && f["resource"] == "Extra")
        .collect();
    assert_eq!(pt013.len(), 1, "{check}");
    let message = pt013[0]["message"].as_str().unwrap();
    assert!(message.contains("when the credits run out; its standing cost is unknown: the number of model units is not known (it is `!Ref Units`); give template parameter `Units` a `Default`"), "{message}");
    assert!(!message.contains("unknown of the term"), "{message}");
    let table = stdout(&ptlint(&[&["cost", HEAD, stack][..], &args].concat()));
    assert!(
        table.contains("; 1 unpriced throughput not counted: the Unpriced list says what is missing)\n"),
        "{table}"
    );
    let human = stdout(&ptlint(&[&["check", HEAD, stack][..], &args].concat()));
    assert!(human.contains("; 1 unpriced throughput not counted: `ptlint cost` says what is missing)"), "{human}");
}
