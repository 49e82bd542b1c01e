//! Unit tests for config parsing, validation, budgets, ignore globs and file loading.

use super::load::{export_positions, mapping_key};
use super::*;
use crate::evidence::CloudWatchSource;
use crate::model::BudgetFilter;
use std::str::FromStr;

const DESIGN_EXAMPLE: &str = r#"region: us-east-1                 # for templates that do not say
hours_per_month: 730
pricing:                          # add or override catalog rates (negotiated or unpublished prices)
  - model: anthropic.claude-3-5-sonnet-20240620-v1:0   # matches model IDs with any :<context> suffix
    provisioned_hourly: {no_commitment: "50.00", one_month: "40.00", six_months: "25.00"}
    on_demand_per_million: {input: "3.00", output: "15.00"}
usage:                            # proven volume, keyed by TF address or CFN logical ID
  aws_bedrock_provisioned_model_throughput.chat:
    observed_days: 120
    monthly_input_tokens: 3000000000
    monthly_output_tokens: 600000000
  ChatThroughput:
    cloudwatch: metrics/chat.json # `aws cloudwatch get-metric-data` output, daily Sum of Input/OutputTokenCount
policy:
  min_observed_days: {one_month: 30, six_months: 90}
budgets: []                       # budgets managed outside the scanned code
ignore: []                        # {rule, resource, reason, expires}
"#;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn parse_err(text: &str) -> ConfigError {
    Config::parse_str(text, ".ptlint.yaml").unwrap_err()
}

#[test]
fn design_example_parses() {
    let config = Config::parse_str(DESIGN_EXAMPLE, ".ptlint.yaml").unwrap();
    assert_eq!(config.region.as_deref(), Some("us-east-1"));
    assert_eq!(config.hours_per_month(), dec("730"));
    assert_eq!(config.pricing.len(), 1);
    let rates = config.pricing[0].provisioned_hourly.as_ref().unwrap();
    assert_eq!(rates.six_months, Some(dec("25.00")));
    assert_eq!(config.pricing[0].on_demand_per_million.as_ref().unwrap().output, Some(dec("15.00")));
    let chat = &config.usage["aws_bedrock_provisioned_model_throughput.chat"];
    assert_eq!(chat.observed_days, Some(120));
    assert_eq!(chat.monthly_input_tokens, Some(3_000_000_000));
    assert_eq!(config.usage["ChatThroughput"].cloudwatch, Some(CloudWatchSource::One("metrics/chat.json".to_string())));
    assert_eq!(config.policy.min_observed_days, MinObservedDays { one_month: 30, six_months: 90 });
    assert_eq!(config.policy.utilization_threshold(), dec("0.5"));
    assert!(config.budgets.is_empty() && config.ignore.is_empty() && config.rules.is_none());
}

#[test]
fn empty_file_is_the_default_config() {
    for text in ["", "\n\n", "# nothing yet\n", "---\n"] {
        let config = Config::parse_str(text, "x").unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.hours_per_month(), dec("730"));
        assert_eq!(config.policy.min_observed_days.for_commitment(Commitment::SixMonths), 90);
    }
}

#[test]
fn unknown_top_level_key_is_an_error_at_its_line() {
    let err = parse_err("region: us-east-1\nhours_per_month: 744\nbudget: []\n");
    assert_eq!((err.line, err.column), (3, 1), "{err}");
    assert!(err.message.contains("unknown field `budget`"), "{err}");
    assert!(err.message.contains("expected one of"), "{err}");
    assert_eq!(err.to_string(), format!(".ptlint.yaml:3:1: {}", err.message));
    assert!(!err.message.contains("at line"), "{err}");
}

#[test]
fn unknown_usage_entry_key_is_an_error_at_its_line() {
    let text = "usage:\n  ChatThroughput:\n    observed_days: 30\n    monthly_input_token: 5\n";
    let err = parse_err(text);
    assert_eq!((err.line, err.column), (4, 5), "{err}");
    assert!(err.message.contains("usage.ChatThroughput"), "{err}");
    assert!(err.message.contains("unknown field `monthly_input_token`"), "{err}");
}

#[test]
fn inconsistent_usage_entry_names_the_resource_and_key() {
    let text = "usage:\n  ChatThroughput:\n    observed_days: 30\n    cloudwatch: m.json\n";
    let err = parse_err(text);
    assert!(err.message.contains("usage.ChatThroughput"), "{err}");
    assert!(err.message.contains("`cloudwatch` and `observed_days`"), "{err}");
    assert!(err.line >= 2, "{err}");
    let err = parse_err("usage:\n  X:\n    monthly_input_tokens: 5\n");
    assert!(err.message.contains("needs `observed_days`"), "{err}");
    let err = parse_err("usage:\n  X:\n    cloudwatch: 5\n");
    assert!(err.message.contains("a file path or a list of file paths"), "{err}");
}

#[test]
fn invalid_values_are_rejected_at_load() {
    let err = parse_err("ignore:\n  - rule: PT003\n    expires: 2026-13-40\n");
    assert_eq!(err.line, 3, "{err}");
    assert!(err.message.contains("expires"), "{err}");
    for text in ["hours_per_month: 0\n", "hours_per_month: -5\n", "hours_per_month: 7300\n"] {
        let err = parse_err(text);
        assert_eq!(err.line, 1, "{err}");
        assert!(err.message.contains("hours_per_month"), "{err}");
    }
    let err = parse_err("budgets:\n  - name: bedrock\n    limit: 100\n    time_unit: WEEKLY\n");
    assert_eq!(err.line, 4, "{err}");
    assert!(err.message.contains("unknown variant `WEEKLY`"), "{err}");
    let err = parse_err("budgets:\n  - name: bedrock\n");
    assert!(err.message.contains("missing field `limit`"), "{err}");
    let err = parse_err("policy:\n  utilization_threshold: 50\n");
    assert!(err.message.contains("utilization_threshold"), "{err}");
    let err = parse_err("policy:\n  levels: {PT005: loud}\n");
    assert!(err.message.contains("unknown level `loud`"), "{err}");
    let err = parse_err("hours_per_month: [1]\n");
    assert!(err.message.contains("invalid type"), "{err}");
    let err = parse_err("region: [unclosed\n");
    assert!(err.line >= 1 && !err.message.is_empty(), "{err}");
}

#[test]
fn full_config_with_every_section() {
    let text = r#"hours_per_month: 744
rules: guard
policy:
  min_observed_days: {one_month: 14}
  tokens_per_minute_per_unit:
    anthropic.claude: {input: 1000, output: 200}
    anthropic.claude-3-5-sonnet: {input: 2000}
  utilization_threshold: 0.25
  levels: {PT005: warn, commitment-without-usage-evidence: note}
budgets:
  - name: bedrock-hosting
    limit: "1200.00"
    time_unit: DAILY
    filters:
      services: [Amazon Bedrock]
      tags: {team: ml, env: [prod, staging], cost-center: 1234}
  - name: account
    limit: 36000
    time_unit: ANNUALLY
ignore:
  - rule: PT005
    resource: module.chat.aws_bedrock_provisioned_model_throughput.*
    reason: alarm lives in the observability stack
    expires: 2026-12-31
"#;
    let config = Config::parse_str(text, "c").unwrap();
    assert_eq!(config.policy.min_observed_days, MinObservedDays { one_month: 14, six_months: 90 });
    assert_eq!(config.policy.tokens_per_minute("anthropic.claude-3-5-sonnet-v2:0").unwrap().input, 2000);
    assert_eq!(config.policy.tokens_per_minute("anthropic.claude-3-haiku").unwrap().output, Some(200));
    assert!(config.policy.tokens_per_minute("amazon.nova").is_none());
    assert_eq!(config.policy.utilization_threshold(), dec("0.25"));
    assert_eq!(
        config.policy.level_for("PT005", "missing-utilization-alarm"),
        Some(LevelSetting::Level(Level::Warning))
    );
    assert_eq!(
        config.policy.level_for("PT003", "commitment-without-usage-evidence"),
        Some(LevelSetting::Level(Level::Note))
    );

    let hosting = &config.budgets[0];
    assert_eq!(hosting.monthly_limit(config.hours_per_month()), dec("37200"));
    assert_eq!(config.budgets[1].monthly_limit(dec("730")), dec("3000"));
    assert_eq!(config.budgets[1].to_model(1).filter, None);
    let model = hosting.to_model(0);
    assert_eq!(model.resource, "budgets[0]");
    assert_eq!(model.time_unit.as_deref(), Some("DAILY"));
    assert_eq!(
        model.filter,
        Some(BudgetFilter::All(vec![
            BudgetFilter::Dimension { key: "service".into(), values: vec!["Amazon Bedrock".into()] },
            BudgetFilter::Tag { key: "cost-center".into(), values: vec!["1234".into()] },
            BudgetFilter::Tag { key: "env".into(), values: vec!["prod".into(), "staging".into()] },
            BudgetFilter::Tag { key: "team".into(), values: vec!["ml".into()] },
        ]))
    );

    let ignore = &config.ignore[0];
    assert!(ignore.matches(
        "PT005",
        "missing-utilization-alarm",
        "module.chat.aws_bedrock_provisioned_model_throughput.this[\"a\"]",
        None
    ));
    assert!(!ignore.matches("PT004", "x", "module.chat.aws_bedrock_provisioned_model_throughput.this", None));
    assert!(!ignore.matches("PT005", "x", "aws_bedrock_provisioned_model_throughput.this", None));
    let last = crate::evidence::parse_date("2026-12-31").unwrap();
    assert!(!ignore.is_expired(last) && ignore.is_expired(last + 1));
}

#[test]
fn keys_scoped_to_a_path() {
    assert_eq!(split_scoped_key("infra/a:Chat"), (Some("infra/a"), "Chat"));
    assert_eq!(split_scoped_key("Chat"), (None, "Chat"));
    assert_eq!(split_scoped_key("aws_x.y[\"a:b\"]"), (None, "aws_x.y[\"a:b\"]"));
    assert!(path_in_scope("infra/a", "infra/a/pt.tf.json"));
    assert!(path_in_scope("./infra/a/", "infra/a/pt.tf.json"));
    assert!(path_in_scope("infra/a/pt.tf.json", "infra/a/pt.tf.json"));
    assert!(!path_in_scope("infra/a", "infra/ab/pt.tf.json"));
    assert!(path_in_scope("infra/*/pt.tf.json", "infra/b/pt.tf.json"));
    let entry = |resource: &str, path: Option<&str>| IgnoreEntry {
        rule: "PT005".into(),
        resource: Some(resource.into()),
        path: path.map(str::to_string),
        reason: Some("r".into()),
        expires: None,
    };
    assert!(entry("infra/a:Chat", None).matches("PT005", "n", "Chat", Some("infra/a/x.yaml")));
    assert!(!entry("infra/a:Chat", None).matches("PT005", "n", "Chat", Some("infra/b/x.yaml")));
    assert!(!entry("infra/a:Chat", None).matches("PT005", "n", "Chat", None));
    assert!(entry("Chat", Some("infra/b")).matches("PT005", "n", "Chat", Some("infra/b/x.yaml")));
    assert!(!entry("Chat", Some("infra/b")).matches("PT005", "n", "Chat", Some("infra/a/x.yaml")));
    assert!(entry("Chat", None).is_unscoped_exact());
    assert!(!entry("Chat*", None).is_unscoped_exact() && !entry("a:Chat", None).is_unscoped_exact());
}

#[test]
fn levels_can_be_off() {
    let config = Config::parse_str("policy:\n  levels: {PT005: off, PT003: note}\n", "c.yaml").unwrap();
    assert_eq!(config.policy.level_for("PT005", "x"), Some(LevelSetting::Off));
    assert_eq!(config.policy.level_for("PT003", "x"), Some(LevelSetting::Level(Level::Note)));
}

#[test]
fn glob() {
    assert!(glob_match("*", ""));
    assert!(glob_match("Chat*", "ChatThroughput"));
    assert!(glob_match("*Throughput", "ChatThroughput"));
    assert!(glob_match("a*b*c", "axxbyybzc"));
    assert!(!glob_match("a*b*c", "axxbyy"));
    assert!(!glob_match("Chat", "ChatThroughput"));
    assert!(glob_match("ChatThroughput", "ChatThroughput"));
}

#[test]
fn find_config_walks_up() {
    let root = tempfile::tempdir().unwrap();
    let nested = root.path().join("a/b/c");
    std::fs::create_dir_all(&nested).unwrap();
    // Nothing in the temporary tree yet (a config above /tmp, if any, is not ours).
    assert!(find_config(&nested).is_none_or(|p| !p.starts_with(root.path())));
    std::fs::write(root.path().join("a/.ptlint.yml"), "region: eu-west-1\n").unwrap();
    let found = find_config(&nested).unwrap();
    assert_eq!(
        std::fs::canonicalize(&found).unwrap(),
        std::fs::canonicalize(root.path().join("a/.ptlint.yml")).unwrap()
    );
    // The nearest wins, and `.yaml` wins over `.yml` in one directory.
    std::fs::write(nested.join(".ptlint.yml"), "").unwrap();
    std::fs::write(nested.join(".ptlint.yaml"), "").unwrap();
    assert_eq!(find_config(&nested).unwrap(), nested.join(".ptlint.yaml"));

    let loaded = load(&root.path().join("a/.ptlint.yml")).unwrap();
    assert_eq!(loaded.config.region.as_deref(), Some("eu-west-1"));
    assert_eq!(loaded.dir, root.path().join("a"));
}

#[test]
fn load_reports_unreadable_files_and_resolves_rules() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.yaml");
    let err = load(&missing).unwrap_err();
    assert_eq!((err.line, err.column), (1, 1));
    assert!(err.file.ends_with("nope.yaml") && err.message.contains("cannot read"), "{err}");

    let path = dir.path().join(".ptlint.yaml");
    std::fs::write(&path, format!("rules: policies\n{DESIGN_EXAMPLE}")).unwrap();
    let loaded = load(&path).unwrap();
    assert_eq!(loaded.rules_dir(), Some(dir.path().join("policies")));
    assert_eq!(loaded.usage_positions["aws_bedrock_provisioned_model_throughput.chat"], (9, 3));
    assert_eq!(loaded.usage_positions["ChatThroughput"], (13, 3));
    assert_eq!(loaded.usage_positions.len(), 2);
}

/// An export that cannot be read is reported where its usage entry names it: block lists, flow lists and plain
/// or quoted scalars, each at the path's first character; a path inside a longer one is not it.
#[test]
fn export_positions_point_at_each_path_as_written() {
    let text = "usage:\n  A:\n    cloudwatch: a.json   # daily\n  B: {cloudwatch: [b.json.bak, \"b.json\"]}\n  C:\n    \
                cloudwatch:\n      - c1.json\n\n      # second\n      - 'c2.json'\n  D:\n    cloudwatch: \"d\\u0031.json\"\n  \
                E:\n    observed_days: 30\n    monthly_input_tokens: 1\nregion: a.json\n";
    let config = Config::parse_str(text, "t.yaml").expect("valid config");
    let keys = super::load::key_positions(text, Some("usage"));
    let positions = export_positions(text, &keys, &config.usage);
    let at = |key: &str, path: &str| positions.get(key).and_then(|p| p.get(path)).copied();
    assert_eq!(at("A", "a.json"), Some((3, 17)));
    // `b.json.bak` comes first on the line, but it is another file.
    assert_eq!(at("B", "b.json"), Some((4, 33)));
    assert_eq!(at("B", "b.json.bak"), Some((4, 20)));
    assert_eq!(at("C", "c1.json"), Some((7, 9)));
    assert_eq!(at("C", "c2.json"), Some((10, 10)));
    // Written with an escape: not found as written, so the entry's key is where the error goes.
    assert_eq!(config.usage["D"].cloudwatch, Some(CloudWatchSource::One("d1.json".into())));
    assert_eq!(at("D", "d1.json"), None);
    assert!(!positions.contains_key("E"), "{positions:?}");
}

#[test]
fn usage_file_bare_or_wrapped() {
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("bare.yaml");
    std::fs::write(&bare, "# proven volume\nChatThroughput:\n  cloudwatch: [in.json, out.json]\n'module.x.aws_bedrock_provisioned_model_throughput.this[\"a\"]':\n  observed_days: 45\n  monthly_output_tokens: 10\n").unwrap();
    let usage = load_usage(&bare).unwrap();
    assert_eq!(usage.entries.len(), 2);
    assert_eq!(usage.dir, dir.path());
    assert_eq!(
        usage.entries["ChatThroughput"].cloudwatch,
        Some(CloudWatchSource::Many(vec!["in.json".into(), "out.json".into()]))
    );
    assert_eq!(usage.positions["ChatThroughput"], (2, 1));
    assert_eq!(usage.positions["module.x.aws_bedrock_provisioned_model_throughput.this[\"a\"]"], (4, 1));

    let wrapped = dir.path().join("wrapped.yml");
    std::fs::write(&wrapped, "usage:\n  ChatThroughput:\n    observed_days: 30\n    monthly_input_tokens: 1\n")
        .unwrap();
    let entries = load_usage_file(&wrapped).unwrap();
    assert_eq!(entries["ChatThroughput"].observed_days, Some(30));

    let bad = dir.path().join("bad.yml");
    std::fs::write(&bad, "ChatThroughput:\n  observed_days: 30\n  monthly_input_tokens: 1\n  source: billing\n")
        .unwrap();
    let err = load_usage_file(&bad).unwrap_err();
    assert_eq!(err.line, 4, "{err}");
    assert!(err.message.contains("unknown field `source`"), "{err}");

    let bad = dir.path().join("bad2.yml");
    std::fs::write(&bad, "usage:\n  A:\n    observed_days: 30\n    monthly_input_tokens: 1\nversion: 0.1\n").unwrap();
    let err = load_usage_file(&bad).unwrap_err();
    assert_eq!(err.line, 5, "{err}");
    assert!(err.message.contains("unknown field `version`"), "{err}");

    let empty = dir.path().join("empty.yml");
    std::fs::write(&empty, "").unwrap();
    assert!(load_usage_file(&empty).unwrap().is_empty());
}

#[test]
fn mapping_keys() {
    assert_eq!(mapping_key("a.b: 1"), Some(("a.b".to_string(), " 1")));
    assert_eq!(mapping_key("a:"), Some(("a".to_string(), "")));
    assert_eq!(mapping_key("\"x\\\"y\": 1"), Some(("x\"y".to_string(), " 1")));
    assert_eq!(mapping_key("'it''s':"), Some(("it's".to_string(), "")));
    assert_eq!(mapping_key("- a: 1"), None);
    assert_eq!(mapping_key("arn:aws:x"), None);
}

#[test]
fn credits_parse_with_and_without_an_expiry() {
    let config = Config::parse_str(
        "credits:\n  - name: activate\n    amount: 100000\n    expires: 2027-12-31\n  - name: poc\n    amount: \"12500.50\"\n",
        ".ptlint.yaml",
    )
    .unwrap();
    assert_eq!(
        config.credits,
        vec![
            CreditPool { name: "activate".into(), amount: dec("100000"), expires: Some("2027-12-31".into()) },
            CreditPool { name: "poc".into(), amount: dec("12500.50"), expires: None },
        ]
    );
    assert_eq!(super::de::MAX_CREDIT_AMOUNT, dec("1000000000000000"));
    let pool = config.credits[0].to_pool();
    assert_eq!(pool.expires, crate::evidence::parse_date("2027-12-31"));
    // No credits: nothing is written back either, so `ptlint config` shows what it showed before.
    let none = Config::parse_str("region: us-east-1\n", ".ptlint.yaml").unwrap();
    assert!(none.credits.is_empty());
    assert!(!serde_yaml::to_string(&none).unwrap().contains("credits"));
}

#[test]
fn bad_credits_are_errors_at_their_line() {
    let cases = [
        ("credits:\n  - name: activate\n    amount: -5\n", 3, "cannot be negative"),
        ("credits:\n  - name: activate\n    amount: lots\n", 3, "not a decimal number"),
        ("credits:\n  - name: activate\n    amount: 1000000000000001\n", 3, "at most 1000000000000000"),
        ("credits:\n  - name: activate\n    amount: 5\n    expires: 2027-02-30\n", 4, "real date"),
        ("credits:\n  - name: activate\n    amount: 5\n    expires: next year\n", 4, "YYYY-MM-DD"),
        ("credits:\n  - name: \"\"\n    amount: 5\n", 2, "cannot be empty"),
        ("credits:\n  - name: activate\n    amount: 5\n    expiry: 2027-01-01\n", 4, "unknown field `expiry`"),
        ("credits:\n  - name: activate\n", 2, "missing field `amount`"),
        ("credits:\n  name: activate\n  amount: 5\n", 2, "expected a list of credit pools"),
        (
            "region: us-east-1\ncredits:\n  - {name: a, amount: 5}\n  - {name: a, amount: 6}\n",
            3,
            "two credit pools are named `a`",
        ),
    ];
    for (text, line, needle) in cases {
        let err = parse_err(text);
        assert_eq!(err.line, line, "{text}: {err}");
        assert!(err.message.contains(needle), "{text}: {err}");
        assert!(err.message.contains("credits"), "the message names the key: {err}");
    }
}
