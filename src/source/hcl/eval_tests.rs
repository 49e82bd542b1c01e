//! Expression evaluation against terraform's own results for the same expressions.

use super::eval::eval;
use super::literal::Literal;
use super::scope::Scope;
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
    assert!(matches!(value(r#"provider::other::f("x")"#), Ok(Value::Unknown(Unknown::Reason(_)))));
    assert!(value(r#"provider::aws::arn_parse("x")"#).is_err());
    assert_eq!(
        json(r#"provider::aws::arn_parse("arn:aws:bedrock:us-east-1::foundation-model/m").region"#),
        serde_json::json!("us-east-1")
    );
    assert_eq!(json(r#"core::upper("x")"#), serde_json::json!("X"));
}

/// `var.region` is `us-east-1`; any other reference (`data.x.y`) is an attribute known only after apply.
struct Unknowns;

impl super::eval::Resolver for Unknowns {
    fn resolve(
        &self,
        root: &str,
        operators: &[hcl_edit::Decorated<hcl_edit::expr::TraversalOperator>],
        _: Scope<'_>,
    ) -> Result<(Value, usize), String> {
        let names: Vec<&str> = operators
            .iter()
            .map_while(|o| match o.value() {
                hcl_edit::expr::TraversalOperator::GetAttr(name) => Some(name.as_str()),
                _ => None,
            })
            .collect();
        if root == "var" && names.first() == Some(&"region") {
            return Ok((Value::string("us-east-1"), 1));
        }
        let (address, attribute) = match names.as_slice() {
            [kind, attribute, ..] => (format!("{root}.{kind}"), Some(attribute.to_string())),
            _ => (root.to_string(), None),
        };
        Ok((Value::Unknown(Unknown::Ref { address, attribute }), names.len().min(2)))
    }

    fn call_with_context(&self, _: &str, _: &[Value]) -> Option<Result<Value, String>> {
        None
    }
}

fn with_unknowns(text: &str) -> Value {
    let expr = hcl_edit::parser::parse_expr(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    eval(&Unknowns, &expr, Scope::default()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn partial_text(value: &Value) -> Option<String> {
    match value {
        Value::Unknown(unknown) => unknown.partial_text(),
        _ => None,
    }
}

fn account() -> Unknown {
    Unknown::Ref { address: "data.id".into(), attribute: Some("account".into()) }
}

#[test]
fn a_template_around_an_unknown_keeps_its_known_parts() {
    use super::value::Piece;
    let arn = with_unknowns(r#""arn:aws:bedrock:${var.region}:${data.id.account}:custom-model/amazon.m-v1:0/abc""#);
    assert_eq!(
        arn,
        Value::Unknown(Unknown::Partial(vec![
            Piece::Text("arn:aws:bedrock:us-east-1:".into()),
            Piece::Hole { written: "data.id.account".into(), why: account() },
            Piece::Text(":custom-model/amazon.m-v1:0/abc".into()),
        ]))
    );
    assert_eq!(
        partial_text(&arn).as_deref(),
        Some("arn:aws:bedrock:us-east-1:${data.id.account}:custom-model/amazon.m-v1:0/abc")
    );
    // A partial string interpolated into another keeps its pieces; one interpolation alone is its value.
    let nested = with_unknowns(r#""<${"a-${data.id.account}-b"}>""#);
    assert_eq!(partial_text(&nested).as_deref(), Some("<a-${data.id.account}-b>"));
    assert_eq!(with_unknowns(r#""${"a-${data.id.account}"}""#), with_unknowns(r#""a-${data.id.account}""#));
    // A branch chosen by a known condition, and try(), pass it on as it is.
    assert_eq!(
        partial_text(&with_unknowns(r#"true ? "a-${data.id.account}" : "b""#)).as_deref(),
        Some("a-${data.id.account}")
    );
    assert_eq!(
        partial_text(&with_unknowns(r#"try("a-${data.id.account}", "b")"#)).as_deref(),
        Some("a-${data.id.account}")
    );
    // A placeholder never carries a `:` into the text, so the ARN's fields stay where they are.
    let colon = with_unknowns(r#""arn:aws:bedrock:${data.id.account == "a:b" ? 1 : 2}:x""#);
    assert_eq!(partial_text(&colon).as_deref(), Some("arn:aws:bedrock:${?}:x"));
}

#[test]
fn what_computes_with_a_partly_known_string_sees_it_unknown() {
    let plain = Value::Unknown(account());
    // Functions, operators, conditions, attributes and keys: the first missing piece, no known text.
    assert_eq!(with_unknowns(r#"upper("a-${data.id.account}")"#), plain);
    assert_eq!(with_unknowns(r#"replace("a-${data.id.account}", "a", "b")"#), plain);
    assert_eq!(with_unknowns(r#""a-${data.id.account}" == "a-1""#), plain);
    assert_eq!(with_unknowns(r#"length(["a-${data.id.account}"])"#), Value::Number(Decimal::ONE));
    assert_eq!(with_unknowns(r#"["a-${data.id.account}"][0]"#), with_unknowns(r#""a-${data.id.account}""#));
    assert_eq!(with_unknowns(r#"can("a-${data.id.account}")"#), plain);
    assert_eq!(with_unknowns(r#"{ "k-${data.id.account}" = 1 }"#), plain);
    assert_eq!(with_unknowns(r#""a-${data.id.account}" != "" ? 1 : 2"#), plain);
    // A directive whose condition is unknown leaves the whole template unknown.
    assert_eq!(with_unknowns(r#""a-%{ if data.id.account == "1" }x%{ endif }""#), plain);
}
