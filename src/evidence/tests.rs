//! Unit tests for usage entries, CloudWatch export parsing, the P10 contract, and date parsing.

use super::cloudwatch::{json_error_position, percentile_nearest_rank};
use super::*;
use std::str::FromStr;

fn hpm() -> Decimal {
    Decimal::from(730)
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn cw(paths: &[&str]) -> UsageEntry {
    let source = if paths.len() == 1 {
        CloudWatchSource::One(paths[0].to_string())
    } else {
        CloudWatchSource::Many(paths.iter().map(|p| p.to_string()).collect())
    };
    UsageEntry { cloudwatch: Some(source), ..UsageEntry::default() }
}

/// A get-metric-data export with one input and one output series, plus an Invocations series to ignore.
fn metric_data(input: &[(&str, u64)], output: &[(&str, u64)]) -> String {
    let series = |id: &str, label: &str, points: &[(&str, u64)]| {
        serde_json::json!({
            "Id": id, "Label": label, "StatusCode": "Complete",
            "Timestamps": points.iter().map(|p| p.0).collect::<Vec<_>>(),
            "Values": points.iter().map(|p| p.1 as f64).collect::<Vec<_>>(),
        })
    };
    serde_json::json!({
        "MetricDataResults": [
            series("m1", "InputTokenCount", input),
            series("m2", "OutputTokenCount", output),
            series("m3", "Invocations", &[("2026-09-01T00:00:00Z", 5)]),
        ],
        "Messages": []
    })
    .to_string()
}

#[test]
fn declared_entry_is_taken_as_written() {
    let entry = UsageEntry {
        observed_days: Some(120),
        monthly_input_tokens: Some(3_000_000_000),
        monthly_output_tokens: Some(600_000_000),
        cloudwatch: None,
    };
    let ev = resolve(&entry, Path::new("."), hpm()).unwrap();
    assert_eq!(
        ev,
        Evidence {
            observed_days: 120,
            monthly_input_tokens: 3_000_000_000,
            monthly_output_tokens: 600_000_000,
            source: EvidenceSource::Declared,
        }
    );
}

#[test]
fn declared_entry_with_only_input_has_zero_output() {
    let entry = UsageEntry { observed_days: Some(30), monthly_input_tokens: Some(7), ..UsageEntry::default() };
    let ev = resolve(&entry, Path::new("."), hpm()).unwrap();
    assert_eq!((ev.monthly_input_tokens, ev.monthly_output_tokens), (7, 0));
}

#[test]
fn get_metric_data_ten_days_p10() {
    let dir = tempfile::tempdir().unwrap();
    // Input daily totals, 2026-09-01..10: 100,200,...,1000 (written out of order on purpose).
    // Nearest rank for P10 of n=10: ceil(0.10*10) = 1 -> the smallest, 100.
    // Monthly = 100 * (730 / 24) = 100 * 30.41666.. = 3041.66.. -> floor 3041.
    // Output: 50,60,...,140 -> P10 = 50 -> 50 * 30.4166.. = 1520.83.. -> 1520.
    let mut input = Vec::new();
    let mut output = Vec::new();
    let days: Vec<String> = (1..=10).map(|d| format!("2026-09-{d:02}T00:00:00Z")).collect();
    for (i, ts) in days.iter().enumerate().rev() {
        input.push((ts.as_str(), 100 * (i as u64 + 1)));
        output.push((ts.as_str(), 50 + 10 * i as u64));
    }
    write(dir.path(), "chat.json", &metric_data(&input, &output));
    let ev = resolve(&cw(&["chat.json"]), dir.path(), hpm()).unwrap();
    assert_eq!(ev.observed_days, 10);
    assert_eq!(ev.monthly_input_tokens, 3041);
    assert_eq!(ev.monthly_output_tokens, 1520);
    match ev.source {
        EvidenceSource::CloudWatch { files, percentile, days_with_data } => {
            assert_eq!(percentile, 10);
            assert_eq!(days_with_data, 10);
            assert_eq!(files, vec![dir.path().join("chat.json").to_string_lossy().into_owned()]);
        }
        other => panic!("unexpected source {other:?}"),
    }
}

#[test]
fn hours_per_month_744_gives_31_days() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "m.json", &metric_data(&[("2026-09-01T00:00:00Z", 1000)], &[]));
    let ev = resolve(&cw(&["m.json"]), dir.path(), Decimal::from(744)).unwrap();
    // One day, P10 = 1000; 744 / 24 = 31 days -> 31000. The output series exists but is empty -> 0.
    assert_eq!((ev.observed_days, ev.monthly_input_tokens, ev.monthly_output_tokens), (1, 31_000, 0));
}

#[test]
fn missing_days_inside_the_span_count_as_zero() {
    let dir = tempfile::tempdir().unwrap();
    // Data on 20 of the 30 days of September (days 1..=20), plus one point on day 30:
    // span = 30 days, daily totals = twenty 1000s, nine 0s, one 1000.
    // Sorted: nine 0s then 1000s; rank ceil(0.10*30) = 3 -> 0. So no sustained volume is proven.
    let mut input: Vec<(String, u64)> = (1..=20).map(|d| (format!("2026-09-{d:02}T00:00:00Z"), 1000)).collect();
    input.push(("2026-09-30T00:00:00Z".to_string(), 1000));
    let refs: Vec<(&str, u64)> = input.iter().map(|(t, v)| (t.as_str(), *v)).collect();
    write(dir.path(), "gaps.json", &metric_data(&refs, &refs));
    let ev = resolve(&cw(&["gaps.json"]), dir.path(), hpm()).unwrap();
    assert_eq!(ev.observed_days, 30);
    assert_eq!(ev.monthly_input_tokens, 0);
    match ev.source {
        EvidenceSource::CloudWatch { days_with_data, .. } => assert_eq!(days_with_data, 21),
        other => panic!("unexpected source {other:?}"),
    }

    // With only two missing days (rank 3 is then the smallest non-zero day) volume is proven again.
    let mut input: Vec<(String, u64)> = (1..=28).map(|d| (format!("2026-09-{d:02}T00:00:00Z"), 2400)).collect();
    input.push(("2026-09-30T00:00:00Z".to_string(), 2400));
    input[5].1 = 1200; // one slow day: sorted = [0, 1200, 2400, ...], rank 3 -> 2400
    let refs: Vec<(&str, u64)> = input.iter().map(|(t, v)| (t.as_str(), *v)).collect();
    write(dir.path(), "gaps2.json", &metric_data(&refs, &[]));
    let ev = resolve(&cw(&["gaps2.json"]), dir.path(), hpm()).unwrap();
    // 2400 * 730 / 24 = 73000 exactly.
    assert_eq!((ev.observed_days, ev.monthly_input_tokens), (30, 73_000));
}

#[test]
fn get_metric_statistics_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let stats = |label: &str, points: &[(&str, f64)]| {
        serde_json::json!({
                "Label": label,
                "Datapoints": points.iter().map(|(t, v)| serde_json::json!({"Timestamp": t, "Sum": v, "Unit": "None"})).collect::<Vec<_>>(),
            })
            .to_string()
    };
    // get-metric-statistics returns datapoints unordered, with +00:00 offsets.
    write(
        dir.path(),
        "in.json",
        &stats(
            "InputTokenCount",
            &[
                ("2026-09-03T00:00:00+00:00", 4.8e6),
                ("2026-09-01T00:00:00+00:00", 2.4e6),
                ("2026-09-02T00:00:00+00:00", 3.6e6),
            ],
        ),
    );
    write(
        dir.path(),
        "out.json",
        &stats(
            "OutputTokenCount",
            &[("2026-09-02T00:00:00+00:00", 480_000.0), ("2026-09-01T00:00:00+00:00", 240_000.0)],
        ),
    );
    let ev = resolve(&cw(&["in.json", "out.json"]), dir.path(), hpm()).unwrap();
    // Span 09-01..09-03 = 3 days. P10 rank ceil(0.3) = 1.
    // Input: min(2.4e6, 3.6e6, 4.8e6) = 2.4e6 -> 2_400_000 * 730 / 24 = 73_000_000.
    // Output: day 3 has no point -> 0; min(240000, 480000, 0) = 0.
    assert_eq!(ev.observed_days, 3);
    assert_eq!(ev.monthly_input_tokens, 73_000_000);
    assert_eq!(ev.monthly_output_tokens, 0);
}

#[test]
fn same_day_points_are_summed_and_unsorted_timestamps_work() {
    let dir = tempfile::tempdir().unwrap();
    let input = [
        ("2026-09-02T12:00:00.000Z", 300),
        ("2026-09-01T00:00:00Z", 1000),
        ("2026-09-02T00:00:00Z", 900),
        // 2026-09-03T01:30 at +02:00 is 2026-09-02T23:30Z: still September 2.
        ("2026-09-03T01:30:00+02:00", 100),
    ];
    write(dir.path(), "d.json", &metric_data(&input, &[]));
    let ev = resolve(&cw(&["d.json"]), dir.path(), Decimal::from(720)).unwrap();
    // Days: 09-01 = 1000, 09-02 = 900 + 300 + 100 = 1300. P10 rank 1 -> 1000; 720 / 24 = 30 -> 30000.
    assert_eq!((ev.observed_days, ev.monthly_input_tokens), (2, 30_000));
}

#[test]
fn identical_timestamp_twice_in_one_file_is_summed() {
    let dir = tempfile::tempdir().unwrap();
    let input = [("2026-09-01T00:00:00Z", 400), ("2026-09-01T00:00:00Z", 600)];
    write(dir.path(), "d.json", &metric_data(&input, &[]));
    let ev = resolve(&cw(&["d.json"]), dir.path(), Decimal::from(720)).unwrap();
    assert_eq!((ev.observed_days, ev.monthly_input_tokens), (1, 30_000));
}

#[test]
fn overlapping_exports_count_once() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.json", &metric_data(&[("2026-09-01T00:00:00Z", 1000), ("2026-09-02T00:00:00Z", 2000)], &[]));
    write(dir.path(), "b.json", &metric_data(&[("2026-09-02T00:00:00Z", 2000), ("2026-09-03T00:00:00Z", 3000)], &[]));
    let ev = resolve(&cw(&["a.json", "b.json"]), dir.path(), Decimal::from(720)).unwrap();
    // Days 1000, 2000 (not 4000), 3000 -> P10 = 1000 -> 30000.
    assert_eq!((ev.observed_days, ev.monthly_input_tokens), (3, 30_000));
}

#[test]
fn series_told_apart_by_id_when_label_says_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"MetricDataResults":[
            {"Id":"input_tokens","Label":"","Timestamps":["2026-09-01T00:00:00Z"],"Values":[48.0],"StatusCode":"Complete"},
            {"Id":"outputTokens","Timestamps":["2026-09-01T00:00:00Z"],"Values":[24],"StatusCode":"Complete"}],
            "Messages":[]}"#;
    write(dir.path(), "ids.json", json);
    let ev = resolve(&cw(&["ids.json"]), dir.path(), Decimal::from(720)).unwrap();
    assert_eq!((ev.monthly_input_tokens, ev.monthly_output_tokens), (1440, 720));
}

#[test]
fn garbage_json_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.json", "{\n  \"MetricDataResults\": [,]\n}");
    let err = resolve(&cw(&["bad.json"]), dir.path(), hpm()).unwrap_err();
    assert!(err.file.ends_with("bad.json"), "{err}");
    assert_eq!((err.line, err.column), (Some(2), Some(25)));
    assert!(err.message.contains("not valid JSON"), "{err}");
}

#[test]
fn json_errors_keep_only_the_positions_serde_json_knows() {
    use serde::de::Error as _;
    // No position at all: serde_json says line 0.
    assert_eq!(json_error_position(&serde_json::Error::custom("no position")), (None, None));
    // End of input right after a newline: line 2, column 0, which is no column.
    let eof = serde_json::from_str::<serde_json::Value>("{\n").unwrap_err();
    assert_eq!((eof.line(), eof.column()), (2, 0));
    assert_eq!(json_error_position(&eof), (Some(2), None));
    let first = serde_json::from_str::<serde_json::Value>("x").unwrap_err();
    assert_eq!(json_error_position(&first), (Some(1), Some(1)));
}

#[test]
fn a_file_without_token_series_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"MetricDataResults":[{"Id":"m1","Label":"Invocations","Timestamps":["2026-09-01T00:00:00Z"],"Values":[3.0]}],"Messages":[]}"#;
    write(dir.path(), "inv.json", json);
    let err = resolve(&cw(&["inv.json"]), dir.path(), hpm()).unwrap_err();
    assert!(err.file.ends_with("inv.json"), "{err}");
    assert!(err.message.contains("InputTokenCount"), "{err}");

    write(dir.path(), "other.json", r#"{"Items": []}"#);
    let err = resolve(&cw(&["other.json"]), dir.path(), hpm()).unwrap_err();
    assert!(err.message.contains("not a CloudWatch export"), "{err}");
}

#[test]
fn missing_file_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let err = resolve(&cw(&["metrics/nope.json"]), dir.path(), hpm()).unwrap_err();
    assert!(err.file.ends_with("metrics/nope.json"), "{err}");
    assert!(err.to_string().contains("metrics/nope.json"), "{err}");
    assert!(err.message.contains("cannot read"), "{err}");

    // Relative to the working directory, the message shows the path exactly as written.
    let err = resolve(&cw(&["metrics/nope.json"]), Path::new("."), hpm()).unwrap_err();
    assert_eq!(err.file, "metrics/nope.json");
}

#[test]
fn malformed_series_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            r#"{"MetricDataResults":[{"Label":"InputTokenCount","Timestamps":["2026-09-01T00:00:00Z"],"Values":[]}]}"#,
            "1 timestamps but 0 values",
        ),
        (
            r#"{"MetricDataResults":[{"Label":"InputTokenCount","Timestamps":["yesterday"],"Values":[1]}]}"#,
            "not an ISO 8601",
        ),
        (
            r#"{"MetricDataResults":[{"Label":"InputTokenCount","Timestamps":["2026-09-01T00:00:00Z"],"Values":[-1]}]}"#,
            "non-negative",
        ),
        (r#"{"MetricDataResults":[{"Label":"InputTokenCount","Timestamps":[],"Values":[]}]}"#, "no datapoints"),
        (r#"{"MetricDataResults":[{"Label":"InputTokenCount","StatusCode":"Forbidden"}]}"#, "Forbidden"),
        (r#"{"MetricDataResults":{}}"#, "not a list"),
        (r#"{"Label":"InputTokenCount","Datapoints":[{"Timestamp":"2026-09-01T00:00:00Z","Average":3}]}"#, "no `Sum`"),
        (
            r#"{"Label":"InputTokenCount","Datapoints":[{"Timestamp":"2026-09-01T00:00:00Z","Sum":3},{"Timestamp":"2026-09-08T00:00:00Z","Sum":3}]}"#,
            "longer than a day",
        ),
        ("[1, 2]", "not a CloudWatch export"),
    ];
    for (i, (json, expected)) in cases.iter().enumerate() {
        let name = format!("case{i}.json");
        write(dir.path(), &name, json);
        let err = resolve(&cw(&[&name]), dir.path(), hpm()).unwrap_err();
        assert!(err.message.contains(expected), "case {i}: {err}");
    }
}

#[test]
fn invalid_entries_are_rejected() {
    let both = UsageEntry {
        observed_days: Some(3),
        monthly_input_tokens: Some(1),
        cloudwatch: Some(CloudWatchSource::One("a.json".into())),
        ..UsageEntry::default()
    };
    assert!(both.validate().unwrap_err().contains("`cloudwatch` and `observed_days`"));
    let no_days = UsageEntry { monthly_output_tokens: Some(1), ..UsageEntry::default() };
    assert!(no_days.validate().unwrap_err().contains("`monthly_output_tokens` needs `observed_days`"));
    let no_tokens = UsageEntry { observed_days: Some(3), ..UsageEntry::default() };
    assert!(no_tokens.validate().unwrap_err().contains("needs `monthly_input_tokens`"));
    assert!(UsageEntry::default().validate().unwrap_err().contains("empty"));
    assert!(resolve(&UsageEntry::default(), Path::new("x"), hpm()).is_err());
}

#[test]
fn percentile_nearest_rank_by_hand() {
    assert_eq!(percentile_nearest_rank(&[], 10), 0);
    assert_eq!(percentile_nearest_rank(&[7], 10), 7);
    // n = 11: rank ceil(1.1) = 2.
    let v: Vec<u64> = (1..=11).rev().collect();
    assert_eq!(percentile_nearest_rank(&v, 10), 2);
    // n = 120: rank 12.
    let v: Vec<u64> = (1..=120).collect();
    assert_eq!(percentile_nearest_rank(&v, 10), 12);
}

#[test]
fn dates_and_timestamps() {
    assert_eq!(parse_date("1970-01-01"), Some(0));
    assert_eq!(parse_date("2000-03-01"), Some(11_017));
    assert_eq!(parse_date("2024-02-29"), Some(19_782));
    assert_eq!(parse_date("2023-02-29"), None);
    assert_eq!(parse_date("2026-13-40"), None);
    assert_eq!(parse_date("2026-1-01"), None);
    assert_eq!(parse_date("1969-12-31"), Some(-1));
    let base = parse_date("2026-09-01").unwrap() * 86_400;
    assert_eq!(parse_timestamp("2026-09-01T00:00:00Z"), Some(base));
    assert_eq!(parse_timestamp("2026-09-01T00:00:00+00:00"), Some(base));
    assert_eq!(parse_timestamp("2026-09-01T00:00:00.123456Z"), Some(base));
    assert_eq!(parse_timestamp("2026-09-01 01:00:00+0100"), Some(base));
    assert_eq!(parse_timestamp("2026-09-01T00:00:00-05"), Some(base + 5 * 3600));
    assert_eq!(parse_timestamp("2026-09-01T10:20"), Some(base + 10 * 3600 + 20 * 60));
    assert_eq!(parse_timestamp("2026-09-01"), Some(base));
    for bad in ["2026-09-01T24:00:00Z", "2026-09-01T00:00:00.Z", "2026-09-01T00:00:00+5", "2026-09-01X", "é"] {
        assert_eq!(parse_timestamp(bad), None, "{bad}");
    }
    assert_eq!(Decimal::from_str("730").unwrap(), hpm());
    assert!(today() > parse_date("2024-01-01").unwrap());
}

#[test]
fn day_numbers_print_as_the_dates_they_were_read_from() {
    for date in ["1970-01-01", "1969-12-31", "2000-02-29", "2024-10-04", "2026-12-31", "2100-03-01"] {
        assert_eq!(dates::date_of_day(parse_date(date).unwrap()), date);
    }
    assert_eq!(dates::date_of_day(20_000), "2024-10-04");
}

#[test]
fn month_lengths_and_leap_years() {
    // Every month's last day, and the day after it.
    let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (month, last) in (1..=12).zip(lengths) {
        assert!(parse_date(&format!("2026-{month:02}-{last:02}")).is_some(), "2026-{month:02}-{last}");
        assert_eq!(parse_date(&format!("2026-{month:02}-{:02}", last + 1)), None, "2026-{month:02}-{}", last + 1);
    }
    // Divisible by 4: leap; by 100: not; by 400: leap again.
    for (year, leap) in [(2024, true), (2023, false), (1996, true), (1900, false), (2100, false), (2000, true)] {
        assert_eq!(parse_date(&format!("{year}-02-29")).is_some(), leap, "{year}");
    }
    assert_eq!(parse_date("2000-02-29"), Some(11_016));
    assert_eq!(parse_date("1900-03-01"), Some(-25_508));
}

#[test]
fn malformed_dates_are_refused_whichever_part_is_wrong() {
    for bad in [
        "2026/09-01",  // first separator
        "2026-09/01",  // second separator
        "2026-09-011", // one character too many
        "2026-09-1",   // one too few
        "2026-00-10",  // month 0, the day fine
        "2026-13-10",  // month 13, the day fine
        "2026-09-00",  // day 0
        "2026-04-31",  // past the month's end
    ] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
    assert_eq!(parse_date("2026-09-01"), Some(20_697));
    // `:` follows `9` in ASCII: read as a digit, `1:` would be day 20.
    for bad in ["2026-09-1:", "2026-0:-01", "202:-09-01", "2026-09-01T1::00:00Z", "2026-09-01T10:00:0:Z"] {
        assert_eq!(parse_timestamp(bad), None, "{bad}");
    }
}

#[test]
fn timestamp_fields_at_their_limits() {
    let base = parse_date("2026-09-01").unwrap() * 86_400;
    // Hours, minutes and seconds each count, at their largest (second 60 is a leap second).
    assert_eq!(parse_timestamp("2026-09-01T10:20:30Z"), Some(base + 37_230));
    assert_eq!(parse_timestamp("2026-09-01T23:59:60Z"), Some(base + 86_400));
    for bad in ["2026-09-01T24:00:00Z", "2026-09-01T00:60:00Z", "2026-09-01T00:00:61Z"] {
        assert_eq!(parse_timestamp(bad), None, "{bad}");
    }
    // Offsets with minutes, at their largest, and one past each limit.
    assert_eq!(parse_timestamp("2026-09-01T05:30:00+05:30"), Some(base));
    assert_eq!(parse_timestamp("2026-09-01T00:00:00-0130"), Some(base + 5_400));
    assert_eq!(parse_timestamp("2026-09-01T23:59:00+23:59"), Some(base));
    for bad in ["2026-09-01T00:00:00+24:00", "2026-09-01T00:00:00+00:60", "2026-09-01T00:00:00+2400"] {
        assert_eq!(parse_timestamp(bad), None, "{bad}");
    }
}

#[test]
fn the_day_of_a_moment_before_and_after_1970() {
    use std::time::{Duration, UNIX_EPOCH};
    assert_eq!(dates::day_of(UNIX_EPOCH), 0);
    assert_eq!(dates::day_of(UNIX_EPOCH + Duration::from_secs(86_399)), 0);
    assert_eq!(dates::day_of(UNIX_EPOCH + Duration::from_secs(20_697 * 86_400 + 3_600)), 20_697);
    assert_eq!(dates::day_of(UNIX_EPOCH - Duration::from_secs(1)), -1);
    assert_eq!(dates::day_of(UNIX_EPOCH - Duration::from_secs(86_401)), -2);
}

#[test]
fn evidence_errors_show_the_position_they_know() {
    let error = |line, column| EvidenceError {
        file: "m.json".into(),
        line,
        column,
        message: "bad".into(),
        unreadable_export: None,
    };
    assert_eq!(error(Some(3), Some(7)).to_string(), "m.json:3:7: bad");
    assert_eq!(error(Some(3), None).to_string(), "m.json:3: bad");
    assert_eq!(error(None, None).to_string(), "m.json: bad");
    assert_eq!(error(None, Some(7)).to_string(), "m.json: bad");
}

#[test]
fn an_invalid_entry_names_the_directory_it_was_read_from() {
    let err = resolve(&UsageEntry::default(), Path::new("configs/team"), hpm()).unwrap_err();
    assert_eq!(err.file, "configs/team");
    assert!(err.to_string().starts_with("configs/team: "), "{err}");
    let err = resolve(&UsageEntry::default(), Path::new(""), hpm()).unwrap_err();
    assert_eq!(err.file, ".");
}

#[test]
fn a_usage_entry_that_is_not_a_mapping_says_what_is_expected() {
    let err = serde_yaml::from_str::<UsageEntry>("42").unwrap_err().to_string();
    assert!(err.contains("a usage entry: `cloudwatch`, or `observed_days` with monthly token counts"), "{err}");
}

#[test]
fn token_series_without_datapoints_are_named() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.json", &metric_data(&[], &[]));
    let err = resolve(&cw(&["empty.json"]), dir.path(), hpm()).unwrap_err();
    assert!(err.message.contains("the `InputTokenCount`/`OutputTokenCount` series contain no datapoints"), "{err}");
}
