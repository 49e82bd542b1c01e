//! Expression evaluation against terraform's own results for the same expressions.

use super::eval::{eval, Scope};
use super::refs::Literal;
use super::value::{Unknown, Value};
use rust_decimal::Decimal;

fn value(text: &str) -> Result<Value, String> {
    let expr = hcl_edit::parser::parse_expr(text).map_err(|e| e.to_string())?;
    eval(&Literal, &expr, Scope::default())
}

fn json(text: &str) -> serde_json::Value {
    value(text).unwrap_or_else(|e| panic!("{text}: {e}")).to_json()
}

#[test]
fn templates_interpolate_and_directives_render() {
    assert_eq!(json(r#""a-${1 + 2}-${true}""#), serde_json::json!("a-3-true"));
    assert_eq!(json(r#""%{ if 1 < 2 }yes%{ else }no%{ endif }""#), serde_json::json!("yes"));
    assert_eq!(json(r#""%{ for x in ["a", "b"] }${x},%{ endfor }""#), serde_json::json!("a,b,"));
    // A template that is one interpolation keeps the value's type.
    assert_eq!(json(r#""${[1, 2]}""#), serde_json::json!([1, 2]));
    assert_eq!(json("<<-EOT\n    indented\n      more\n    EOT"), serde_json::json!("indented\n  more\n"));
    assert_eq!(json(r#""a ${~ "b" ~} c""#), serde_json::json!("abc"));
}

#[test]
fn operators_conditionals_and_numbers_are_exact() {
    assert_eq!(value("0.1 + 0.2"), Ok(Value::Number(Decimal::new(3, 1))));
    assert_eq!(json("7 % 3 == 1 && !false"), serde_json::json!(true));
    assert_eq!(json(r#"1 == "1""#), serde_json::json!(false));
    assert_eq!(json(r#"true ? "a" : "b""#), serde_json::json!("a"));
    assert_eq!(json("-(2 * 3)"), serde_json::json!(-6));
    assert!(value("1 / 0").is_err());
    assert!(value(r#""x" + 1"#).is_err());
}

#[test]
fn for_expressions_build_lists_maps_and_groups() {
    assert_eq!(json(r#"[for i, v in ["a", "b"] : "${i}${v}"]"#), serde_json::json!(["0a", "1b"]));
    assert_eq!(json(r#"{for k, v in {b = 2, a = 1} : k => v * 10 if v > 1}"#), serde_json::json!({"b": 20}));
    assert_eq!(json(r#"{for v in ["x", "y", "x"] : v => v...}"#), serde_json::json!({"x": ["x", "x"], "y": ["y"]}));
    assert!(value(r#"{for v in ["x", "x"] : v => v}"#).is_err(), "duplicate keys need `...`");
}

#[test]
fn splats_and_indexes() {
    assert_eq!(json(r#"[{a = 1}, {a = 2}][*].a"#), serde_json::json!([1, 2]));
    assert_eq!(json(r#"[{a = {b = 1}}].*.a.b"#), serde_json::json!([1]));
    assert_eq!(json(r#"{k = [10, 20]}["k"][1]"#), serde_json::json!(20));
    assert!(value("[1][5]").is_err());
}

#[test]
fn try_and_can_catch_errors_but_not_unknowns() {
    assert_eq!(json(r#"try({a = 1}.b, "fallback")"#), serde_json::json!("fallback"));
    assert_eq!(json(r#"can([1][3])"#), serde_json::json!(false));
    assert_eq!(json(r#"can([1][0])"#), serde_json::json!(true));
    assert_eq!(json(r#"lookup({a = "x"}, "b", "y")"#), serde_json::json!("y"));
    assert_eq!(json(r#"coalesce(null, "", "z")"#), serde_json::json!("z"));
}

#[test]
fn references_are_refused_where_only_literals_may_appear() {
    let err = value("var.x").unwrap_err();
    assert!(err.contains("references are not allowed"), "{err}");
    assert!(matches!(value(r#"provider::aws::arn_parse("x")"#), Ok(Value::Unknown(Unknown::Reason(_)))));
    assert_eq!(json(r#"core::upper("x")"#), serde_json::json!("X"));
}
