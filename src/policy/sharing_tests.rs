//! Tests of the shared evaluation of the built-in rules: projections, shapes and integer classes give the verdicts
//! and messages of evaluating the whole document.

use super::tests::{facts, healthy_pt, mixed_pts};
use super::*;
use serde_json::json;

#[test]
fn batched_and_projected_evaluation_finds_what_the_whole_document_does() {
    // More PTs than one batch, each variant many times under its own name, so batch boundaries, offsets and the
    // sharing of verdicts between PTs of one shape are exercised.
    let pts: Vec<Value> = (0..150)
        .map(|i| {
            let mut pt = mixed_pts()[i % 6].clone();
            pt["resource"] = json!(format!("{}{i}", pt["resource"].as_str().unwrap()));
            pt
        })
        .collect();
    let doc = facts(pts);
    let rules = RuleSet::builtin();
    let expected: Vec<(usize, usize)> = {
        let mut pairs: Vec<(usize, usize)> = super::guard::run_separately(&rules.rules, &doc.to_string())
            .into_iter()
            .enumerate()
            .flat_map(|(rule, report)| report.unwrap().failures.into_keys().map(move |pt| (pt, rule)))
            .collect();
        pairs.sort();
        pairs
    };
    let got: Vec<(usize, usize)> = evaluate(&rules, &doc).unwrap().iter().map(|v| (v.throughput, v.rule)).collect();
    assert_eq!(got, expected);
    assert_eq!(got.iter().filter(|(pt, _)| pt % 6 == 0).count(), 0, "the healthy PTs pass everywhere");
    // Messages are rendered from the full facts, not the projection: PT003 names the resource and the cost.
    let pt003 = rules.rules.iter().position(|r| r.meta.code == "PT003").unwrap();
    let unproven =
        evaluate(&rules, &doc).unwrap().into_iter().find(|v| v.rule == pt003 && v.throughput == 146).unwrap();
    assert!(
        unproven.message.contains("`unproven146`") && unproven.message.contains("$219,000.00"),
        "{}",
        unproven.message
    );
}

#[test]
fn projection_keeps_what_the_rules_query() {
    let queried = super::projection::queried_paths([
        "# budgets.count in a comment is ignored\nrule r {\n  %x[ usage.present == true ] { usage.observed_days >= 3 << {cost.monthly_cost} >> }\n}",
    ]);
    assert!(queried.contains("usage.present") && queried.contains("usage.observed_days"));
    assert!(!queried.iter().any(|p| p.starts_with("budgets") || p.starts_with("cost")));
    let projected = super::projection::project(&healthy_pt("a"), &queried);
    assert_eq!(projected, json!({"usage": {"present": true, "observed_days": 120}}));
}

#[test]
fn equal_projections_share_one_evaluation() {
    let shapes = super::projection::Shapes::of(&[json!({"a": 1}), json!({"a": 2}), json!({"a": 1}), json!(null)]);
    assert_eq!(shapes.distinct, [0, 1, 3]);
    assert_eq!(shapes.members(0), [0, 2]);
    assert_eq!(shapes.members(1), [1]);
    assert_eq!(shapes.members(2), [3]);
    assert!(shapes.members(3).is_empty());
}

#[test]
fn integers_classed_by_the_literals_they_meet_keep_every_verdict() {
    // Counts and units on both sides of every literal the built-in rules compare them with, so PTs share shapes
    // across different values and must still get exactly the verdicts of evaluating the whole document.
    let mut pts = Vec::new();
    for i in 0..96_i64 {
        let mut pt = mixed_pts()[(i % 6) as usize].clone();
        pt["resource"] = json!(format!("pt{i}"));
        pt["model_units"] = json!([0, 1, 2, 7][(i % 4) as usize]);
        if pt["budgets"]["count"] != json!(0) {
            pt["budgets"]["count"] = json!(1 + i % 9);
        }
        pt["alarms"]["low_utilization"] = json!(i % 3);
        pt["alarms"]["other_bedrock"] = json!((i / 3) % 3);
        if i % 8 == 3 || i % 8 == 6 {
            pt["model_kind"] = json!("custom");
            pt["commitment"] = json!("NoCommitment");
        }
        pts.push(pt);
    }
    let doc = facts(pts.clone());
    let rules = RuleSet::builtin();
    let mut expected: Vec<(usize, usize, Vec<String>)> = super::guard::run_separately(&rules.rules, &doc.to_string())
        .into_iter()
        .enumerate()
        .flat_map(|(rule, report)| {
            report.unwrap().failures.into_iter().map(move |(pt, messages)| (pt, rule, messages.custom))
        })
        .collect();
    expected.sort();
    let got = evaluate(&rules, &doc).unwrap();
    assert_eq!(
        got.iter().map(|v| (v.throughput, v.rule)).collect::<Vec<_>>(),
        expected.iter().map(|e| (e.0, e.1)).collect::<Vec<_>>()
    );
    // The same clauses failed: each message is the whole document's failing clauses rendered for that PT.
    for (violation, (pt, _, templates)) in got.iter().zip(&expected) {
        let mut rendered: Vec<String> = Vec::new();
        for text in templates.iter().map(|t| render_template(t, &pts[*pt])) {
            if !rendered.contains(&text) {
                rendered.push(text);
            }
        }
        if !rendered.is_empty() {
            assert_eq!(violation.message, rendered.join("; "));
        }
    }
    for rule in ["PT001", "PT005", "PT008"] {
        let index = rules.rules.iter().position(|r| r.meta.code == rule).unwrap();
        assert!(got.iter().any(|v| v.rule == index), "{rule} fails for some PT");
    }
    // Messages still name each PT's own values: PT008 on a custom model with 7 units says 7.
    let pt008 = rules.rules.iter().position(|r| r.meta.code == "PT008").unwrap();
    let seven = got.iter().find(|v| v.rule == pt008 && pts[v.throughput]["model_units"] == json!(7)).unwrap();
    assert!(seven.message.contains("has 7 model units"), "{}", seven.message);
    // And the sharing happened: far fewer shapes than PTs.
    let projection = super::projection::Projection::of(RuleSet::builtin().rules.iter().map(|r| r.source()));
    let projections: Vec<Value> = pts.iter().map(|pt| projection.apply(pt)).collect();
    let shapes = super::projection::Shapes::of(&projections);
    assert!(shapes.distinct.len() < pts.len() / 2, "{} shapes", shapes.distinct.len());
}
