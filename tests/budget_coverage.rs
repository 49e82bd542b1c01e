//! Budget facts when many budgets cover many PTs: exact counts, sums and tightest budget, a bounded list of names.

use ptlint::engine::{analyze, Analysis, Options};
use ptlint::facts::{ThroughputFacts, COVERING_NAMES_MAX};
use rust_decimal::Decimal;
use std::str::FromStr;

/// A 1-MU Titan Text Express PT with no commitment: $20.50/hour, $14,965.00 a month.
fn throughput(name: &str, team: &str) -> String {
    format!(
        "  {name}:
    Type: Custom::ProvisionedThroughput
    Properties:
      ServiceToken: !ImportValue bedrock-provisioner-arn
      ModelId: arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k
      ModelUnits: 1
      Tags:
        - Key: team
          Value: {team}
"
    )
}

fn budget(name: &str, limit: u32, filter: &str) -> String {
    format!(
        "  {name}:
    Type: AWS::Budgets::Budget
    Properties:
      Budget:
        BudgetType: COST
        TimeUnit: MONTHLY
        BudgetLimit: {{Amount: {limit}, Unit: USD}}
        CostFilters: {filter}
"
    )
}

const SERVICE: &str = "{Service: [Amazon Bedrock]}";

/// Three PTs (two of team x, one of team y) and, in this order: five account-wide budgets, team x's budget,
/// six more account-wide budgets, team y's budget.
fn analysis() -> Analysis {
    let mut template = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n");
    for (name, team) in [("ChatX", "x"), ("SearchX", "x"), ("ChatY", "y")] {
        template.push_str(&throughput(name, team));
    }
    for i in 0..5 {
        template.push_str(&budget(&format!("Shared{i:02}"), 100_000 + i * 1000, SERVICE));
    }
    template.push_str(&budget("TeamX", 20_000, "{TagKeyValue: [user:team$x]}"));
    for i in 5..11 {
        template.push_str(&budget(&format!("Shared{i:02}"), 100_000 + i * 1000, SERVICE));
    }
    template.push_str(&budget("TeamY", 20_000, "{TagKeyValue: [user:team$y]}"));
    run(&template)
}

/// Analyse one template, with an empty config.
fn run(template: &str) -> Analysis {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("template.yaml"), template).unwrap();
    std::fs::write(dir.path().join("empty.ptlint.yaml"), "").unwrap();
    let options = Options {
        paths: vec![dir.path().join("template.yaml")],
        config: Some(dir.path().join("empty.ptlint.yaml")),
        today: Some(20_000),
        ..Options::default()
    };
    analyze(&options).unwrap()
}

fn facts<'a>(analysis: &'a Analysis, resource: &str) -> &'a ThroughputFacts {
    analysis.facts.throughputs.iter().find(|t| t.resource == resource).unwrap()
}

fn dec(text: &str) -> Option<Decimal> {
    Some(Decimal::from_str(text).unwrap())
}

fn names(prefix: &str, range: std::ops::Range<u32>) -> Vec<String> {
    range.map(|i| format!("{prefix}{i:02}")).collect()
}

#[test]
fn counts_are_exact_and_the_names_are_the_first_found() {
    let analysis = analysis();
    let chat_x = facts(&analysis, "ChatX");
    assert_eq!(chat_x.budgets.count, 12, "eleven account-wide budgets and team x's");
    assert_eq!(COVERING_NAMES_MAX, 10);
    let mut expected = names("Shared", 0..5);
    expected.push("TeamX".into());
    expected.extend(names("Shared", 5..9));
    assert_eq!(chat_x.budgets.covering, expected, "in the order the budgets were found, cut at ten");
    let chat_y = facts(&analysis, "ChatY");
    assert_eq!(chat_y.budgets.count, 12);
    assert_eq!(chat_y.budgets.covering, names("Shared", 0..10), "team x's budget does not cover team y");
}

#[test]
fn the_tightest_budget_and_its_covered_cost_come_from_every_pt_it_covers() {
    let analysis = analysis();
    for resource in ["ChatX", "SearchX"] {
        let budgets = &facts(&analysis, resource).budgets;
        assert_eq!(budgets.tightest.as_deref(), Some("TeamX"));
        assert_eq!(budgets.monthly_limit, dec("20000"));
        assert_eq!(budgets.covered_monthly_cost, dec("30504.00"), "two PTs of $15,252.00 in a 31-day month");
        assert!(budgets.limit_below_cost);
    }
    let chat_y = &facts(&analysis, "ChatY").budgets;
    assert_eq!(chat_y.tightest.as_deref(), Some("TeamY"));
    assert_eq!(chat_y.covered_monthly_cost, dec("15252.00"));
    assert!(!chat_y.limit_below_cost);
    let pt002: Vec<&str> =
        analysis.findings.iter().filter(|f| f.rule == "PT002").map(|f| f.resource.as_str()).collect();
    assert_eq!(pt002, vec!["ChatX", "SearchX"]);
}

#[test]
fn an_account_wide_budget_covers_the_cost_of_every_pt() {
    // Make an account-wide budget the tightest: its limit is checked against all three PTs ($45,756.00 in a 31-day month).
    let mut template = String::from("Resources:\n");
    for (name, team) in [("ChatX", "x"), ("SearchX", "x"), ("ChatY", "y")] {
        template.push_str(&throughput(name, team));
    }
    template.push_str(&budget("TeamX", 50_000, "{TagKeyValue: [user:team$x]}"));
    template.push_str(&budget("Everything", 44_000, SERVICE));
    template.push_str(&budget("AlsoEverything", 44_000, SERVICE));
    let wide = run(&template);
    for pt in &wide.facts.throughputs {
        assert_eq!(pt.budgets.tightest.as_deref(), Some("Everything"), "of equal headroom, the first found");
        assert_eq!(pt.budgets.covered_monthly_cost, dec("45756.00"));
        assert_eq!(pt.budgets.monthly_limit, dec("44000"));
    }
    assert_eq!(facts(&wide, "ChatX").budgets.count, 3);
    assert_eq!(facts(&wide, "ChatY").budgets.count, 2);
}
