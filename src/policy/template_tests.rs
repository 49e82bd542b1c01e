//! Unit tests of message segments: a figure that may be unknown is left out, and why it is unknown is said.

use super::template::{render, render_template};
use super::tests::healthy_pt;
use super::RuleSet;
use serde_json::{json, Value};

#[test]
fn segments_leave_out_unknown_figures_and_say_why() {
    let why = json!({"why": "its standing cost is unknown: no rate for `m`", "supply": "add the rate"});
    let pt = json!({
        "resource": "chat",
        "cost": {"monthly_cost": null, "commitment_total": "10.00", "unknown": {"monthly_cost": why}},
        "usage": {"on_demand_monthly_cost": null, "unknown": {"on_demand_monthly_cost": {"why": "a custom model has none"}}}
    });
    // Known figures: the segment is kept, its brackets dropped; nothing is appended.
    assert_eq!(render_template("`{resource}`[[ at {cost.commitment_total|usd}]] ok", &pt), "`chat` at $10.00 ok");
    // A null figure: the segment goes, and why it is unknown and how to supply it follow the text.
    let rendered = render("idle capacity[[ at {cost.monthly_cost|usd}/month]] goes unnoticed", &pt);
    assert_eq!(rendered.text, "idle capacity goes unnoticed");
    assert_eq!(rendered.unknowns, ["its standing cost is unknown: no rate for `m`; add the rate"]);
    assert_eq!(rendered.bare_nulls, 0);
    // Nested: the outer segment stays when only the inner one's figure is unknown; a reason without a supply.
    let nested = "x[[ (reserved {cost.commitment_total|usd}[[ against {usage.on_demand_monthly_cost|usd}]])]]";
    assert_eq!(render_template(nested, &pt), "x (reserved $10.00); a custom model has none");
    // The same reason twice is said once; an unknown figure outside a segment still says `unknown`.
    let twice = render("{cost.monthly_cost|usd} and[[ {cost.monthly_cost|usd}]]", &pt);
    assert_eq!((twice.text.as_str(), twice.unknowns.len(), twice.bare_nulls), ("unknown and", 1, 1));
    // A null without a reason leaves the segment out and adds nothing; `[[` that never closes is text.
    assert_eq!(render_template("a[[ {nothing.here}]] b", &pt), "a b");
    assert_eq!(render_template("a [[ {resource}", &pt), "a [[ chat");
    assert_eq!(render_template("a ]] [[b]]", &pt), "a ]] b");
}

/// Every figure a built-in message or help may meet as null (an unpriced PT, a custom model's missing
/// on-demand price): none may print `unknown` where its number goes.
#[test]
fn no_builtin_template_prints_unknown_for_a_figure() {
    let known = healthy_pt("chat");
    let mut unknown = known.clone();
    let why = json!({"why": "its standing cost is unknown: the reason", "supply": "how"});
    for field in ["hourly_rate", "hourly_cost", "monthly_cost", "commitment_total"] {
        unknown["cost"][field] = Value::Null;
        unknown["cost"]["unknown"][field] = why.clone();
    }
    for field in ["on_demand_monthly_cost", "break_even_input_tokens", "break_even_output_tokens"] {
        unknown["usage"][field] = Value::Null;
        unknown["usage"]["unknown"][field] = why.clone();
    }
    unknown["credits"] = json!({"from_bank": null, "unknown": {"from_bank": why}});
    let rules = RuleSet::builtin();
    let mut templates: Vec<String> = rules.rules.iter().filter_map(|r| r.meta.help.clone()).collect();
    for rule in &rules.rules {
        let mut rest = rule.source();
        while let Some(open) = rest.find("<<") {
            let close = rest[open..].find(">>").expect("message closes") + open;
            templates.push(rest[open + 2..close].trim().to_string());
            rest = &rest[close + 2..];
        }
    }
    assert!(templates.len() > 30, "{} templates", templates.len());
    // PT004's below-break-even clause fails only on `below_break_even == true`, which facts.rs sets only from
    // both figures known.
    for template in templates.iter().filter(|t| !t.contains("is below break-even")) {
        let (before, after) = (render(template, &known), render(template, &unknown));
        assert_eq!(after.bare_nulls, before.bare_nulls, "{template}\n{}", after.text);
        if template.contains("{cost.monthly_cost|usd}") {
            assert_eq!(after.unknowns, ["its standing cost is unknown: the reason; how"], "{template}");
        }
    }
}

/// A reason is said once per finding: not again when a message already says it in the same words (PT004's
/// custom-model clause), and appended when no message does.
#[test]
fn a_reason_the_message_already_says_is_not_repeated() {
    let rules = RuleSet { rules: vec![RuleSet::builtin().find("PT004").unwrap().clone()] };
    let why = "a custom model has no on-demand price to break even against";
    let mut pt = healthy_pt("custom");
    pt["model_kind"] = json!("custom");
    pt["commitment"] = json!("OneMonth");
    pt["usage"] = json!({"present": true, "observed_days": 29, "required_days": 30, "days_sufficient": false,
                         "monthly_input_tokens": 1000, "monthly_output_tokens": 0,
                         "on_demand_monthly_cost": null, "break_even_input_tokens": null, "break_even_output_tokens": null,
                         "unknown": {"on_demand_monthly_cost": {"why": why}}});
    let facts =
        |pt: &Value| json!({"policy": {"min_observed_days": {"OneMonth": 30, "SixMonths": 90}}, "throughputs": [pt]});
    // No utilization: the custom-model clause fails too, and says the reason itself.
    let both = super::evaluate(&rules, &facts(&pt)).unwrap();
    assert_eq!(both[0].message.matches(why).count(), 1, "{}", both[0].message);
    assert!(both[0].message.contains("(reserved $36,500.00/month); commitment"), "{}", both[0].message);
    // With a measured utilization only the days clause fails: the reason follows it.
    pt["usage"]["utilization"] = json!("0.90");
    pt["usage"]["utilization_low"] = json!(false);
    let days = super::evaluate(&rules, &facts(&pt)).unwrap();
    assert!(days[0].message.ends_with(&format!("(reserved $36,500.00/month); {why}")), "{}", days[0].message);
}

/// Segments are found in one pass: a rule file full of `[[` that never close renders in linear time (each
/// `[[` once searched for its `]]` to the end would take hours here).
#[test]
fn unclosed_segments_render_in_one_pass() {
    let template = "[[{resource}".repeat(100_000);
    let pt = json!({"resource": "x"});
    let rendered = render_template(&template, &pt);
    assert_eq!(rendered, "[[x".repeat(100_000));
    // Nesting deeper than 16 levels is text: no recursion per level of a hostile rule file.
    let nested = format!("{}{{resource}}{}", "[[".repeat(50_000), "]]".repeat(50_000));
    let deep = format!("{}x{}", "[[".repeat(50_000 - 16), "]]".repeat(50_000 - 16));
    assert_eq!(render_template(&nested, &pt), deep);
    assert_eq!(render_template("[[[[a]]]]", &pt), "a");
}
