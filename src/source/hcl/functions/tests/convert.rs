//! Conversions, coalesce and JSON.

use super::{b, err, failed, list, map, n, ok, s, strings, unknown};
use crate::source::hcl::value::Value;

#[test]
fn tostring_prints_numbers_and_bools_as_terraform_does() {
    assert_eq!(ok("tostring", vec![n("5")]), s("5"));
    assert_eq!(ok("tostring", vec![n("1.50")]), s("1.5"));
    assert_eq!(ok("tostring", vec![b(true)]), s("true"));
    assert_eq!(ok("tostring", vec![s("x")]), s("x"));
    assert_eq!(ok("tostring", vec![Value::Null]), Value::Null);
    assert_eq!(ok("tostring", vec![unknown("x.y")]), unknown("x.y"));
    assert_eq!(err("tostring", vec![strings(&["a"])]), failed("tostring", "cannot convert list to string"));
}

#[test]
fn tonumber_is_exact_and_strict() {
    assert_eq!(ok("tonumber", vec![s("1.50")]), n("1.5"));
    assert_eq!(ok("tonumber", vec![s("-7")]), n("-7"));
    assert_eq!(ok("tonumber", vec![s("1e3")]), n("1000"));
    assert_eq!(ok("tonumber", vec![s("0.1")]), n("0.1"));
    assert_eq!(ok("tonumber", vec![n("3")]), n("3"));
    assert_eq!(ok("tonumber", vec![Value::Null]), Value::Null);
    let message = "cannot convert \"12 \" to number; given string must be a decimal representation of a number";
    assert_eq!(err("tonumber", vec![s("12 ")]), failed("tonumber", message));
    assert!(err("tonumber", vec![s("1_000")]).contains("cannot convert \"1_000\" to number"));
    assert_eq!(err("tonumber", vec![b(true)]), failed("tonumber", "cannot convert bool to number"));
    assert_eq!(ok("tonumber", vec![s(".5")]), n("0.5"));
    assert_eq!(ok("tonumber", vec![s("+1E3")]), n("1000"));
    assert!(err("tonumber", vec![s("Inf")]).contains("cannot convert \"Inf\" to number"));
    // a valid number too large for exact decimals is left unknown, not refused
    assert!(ok("tonumber", vec![s("123456789012345678901234567890123")]).is_unknown());
    assert!(err("abs", vec![s("1e40")]).contains("beyond the range of ptlint's exact decimals"));
}

#[test]
fn tobool_accepts_only_true_and_false() {
    assert_eq!(ok("tobool", vec![s("true")]), b(true));
    assert_eq!(ok("tobool", vec![b(false)]), b(false));
    assert_eq!(ok("tobool", vec![Value::Null]), Value::Null);
    assert_eq!(
        err("tobool", vec![s("yes")]),
        failed("tobool", "cannot convert \"yes\" to bool; only the strings \"true\" or \"false\" are allowed")
    );
    assert_eq!(err("tobool", vec![n("1")]), failed("tobool", "cannot convert number to bool"));
}

#[test]
fn tolist_and_toset_unify_element_types() {
    assert_eq!(ok("tolist", vec![list(vec![n("1"), s("a")])]), strings(&["1", "a"]));
    assert_eq!(ok("tolist", vec![Value::set(vec![s("b"), s("a")])]), strings(&["a", "b"]));
    assert_eq!(ok("tolist", vec![list(vec![unknown("x.y"), n("2")])]), list(vec![unknown("x.y"), n("2")]));
    assert_eq!(ok("toset", vec![strings(&["b", "a", "b"])]), Value::Set(vec![s("a"), s("b")]));
    assert_eq!(ok("toset", vec![list(vec![n("10"), n("9"), n("-1.5")])]), Value::Set(vec![n("-1.5"), n("9"), n("10")]));
    assert_eq!(
        ok("tolist", vec![list(vec![strings(&["a"]), list(vec![n("1")])])]),
        list(vec![strings(&["a"]), strings(&["1"])])
    );
    assert_eq!(
        err("tolist", vec![list(vec![n("1"), b(true)])]),
        failed("tolist", "cannot convert list to list of any single type")
    );
    assert_eq!(
        err("toset", vec![list(vec![s("a"), strings(&["b"])])]),
        failed("toset", "cannot convert list to set of any single type")
    );
    assert_eq!(err("tolist", vec![s("a")]), failed("tolist", "cannot convert string to list of any single type"));
}

#[test]
fn unification_is_structural_like_tuples_and_objects() {
    // objects keep attributes of different types; the same attribute unifies across objects
    let service = |units: Value, term: Value| map(&[("units", units), ("term", term)]);
    assert_eq!(
        ok("tolist", vec![list(vec![service(n("1"), s("OneMonth")), service(n("2"), Value::Null)])]),
        list(vec![service(n("1"), s("OneMonth")), service(n("2"), Value::Null)])
    );
    assert_eq!(
        ok("tomap", vec![map(&[("a", service(n("1"), s("x"))), ("b", service(s("2"), s("y")))])]),
        map(&[("a", service(s("1"), s("x"))), ("b", service(s("2"), s("y")))])
    );
    assert_eq!(
        ok("toset", vec![list(vec![map(&[("a", n("1"))]), map(&[("b", b(true))]), map(&[("a", s("x"))])])]),
        Value::set(vec![map(&[("a", s("1"))]), map(&[("b", b(true))]), map(&[("a", s("x"))])])
    );
    // a tuple keeps elements of different types; the same position unifies across tuples
    assert_eq!(
        ok("tolist", vec![list(vec![list(vec![s("a"), n("1")]), list(vec![n("2"), n("3")])])]),
        list(vec![list(vec![s("a"), n("1")]), list(vec![s("2"), n("3")])])
    );
    // sets have one element type across all of them
    assert_eq!(
        ok("tolist", vec![list(vec![Value::set(vec![n("1")]), Value::set(vec![s("a")])])]),
        list(vec![Value::set(vec![s("1")]), Value::set(vec![s("a")])])
    );
}

#[test]
fn tomap_requires_one_value_type() {
    assert_eq!(ok("tomap", vec![map(&[("a", n("1")), ("b", s("x"))])]), map(&[("a", s("1")), ("b", s("x"))]));
    assert_eq!(ok("tomap", vec![map(&[("a", unknown("x.y"))])]), map(&[("a", unknown("x.y"))]));
    assert_eq!(
        err("tomap", vec![map(&[("a", n("1")), ("b", strings(&["x"]))])]),
        failed("tomap", "cannot convert object to map of any single type")
    );
    assert_eq!(err("tomap", vec![strings(&[])]), failed("tomap", "cannot convert list to map of any single type"));
}

#[test]
fn coalesce_skips_null_and_empty_strings() {
    assert_eq!(ok("coalesce", vec![Value::Null, s(""), s("b"), s("c")]), s("b"));
    assert_eq!(ok("coalesce", vec![n("1"), n("2")]), n("1"));
    // arguments are unified first, so a number among strings comes back as a string
    assert_eq!(ok("coalesce", vec![s(""), n("5")]), s("5"));
    assert_eq!(ok("coalesce", vec![Value::Null, unknown("x.y"), s("b")]), unknown("x.y"));
    assert_eq!(ok("coalesce", vec![s("a"), unknown("x.y")]), s("a"));
    assert_eq!(
        err("coalesce", vec![Value::Null, s("")]),
        failed("coalesce", "no non-null, non-empty-string arguments")
    );
    assert_eq!(err("coalesce", vec![n("1"), b(true)]), failed("coalesce", "all arguments must have the same type"));
    assert_eq!(err("coalesce", vec![]), failed("coalesce", "all arguments must have the same type"));
}

#[test]
fn jsonencode_writes_go_style_json() {
    let value = map(&[("b", list(vec![n("1.50"), b(true), Value::Null])), ("a", s("<x> & \"y\"\n"))]);
    assert_eq!(ok("jsonencode", vec![value]), s(r#"{"a":"\u003cx\u003e \u0026 \"y\"\n","b":[1.5,true,null]}"#));
    assert_eq!(ok("jsonencode", vec![Value::Null]), s("null"));
    assert_eq!(ok("jsonencode", vec![s("\u{1}\u{2028}")]), s(r#""\u0001\u2028""#));
    assert_eq!(ok("jsonencode", vec![list(vec![s("a"), unknown("x.y")])]), unknown("x.y"));
}

#[test]
fn a_state_machine_definition_keeps_its_known_json_around_unknowns() {
    use crate::source::hcl::functions::encode_with_placeholders;
    use crate::source::hcl::value::Unknown;
    // An attribute only apply gives is its reference; any other unknown is `${?}`; known values are as jsonencode
    // writes them.
    let why = Value::Unknown(Unknown::Reason("var.term has no value here".into()));
    let value = map(&[("ModelId", unknown("aws_bedrock_custom_model.tuned")), ("Term", why), ("Units", n("1"))]);
    let text = encode_with_placeholders(&value);
    assert_eq!(text, r#"{"ModelId":"${aws_bedrock_custom_model.tuned.arn}","Term":"${?}","Units":1}"#);
}

#[test]
fn jsondecode_reads_exact_numbers() {
    let decoded = ok(
        "jsondecode",
        vec![s(r#" {"price": 0.1234567890123456789, "n": [1, -2e2, true, null], "s": "a\u00e9\ud83d\ude00\n"} "#)],
    );
    assert_eq!(
        decoded,
        map(&[
            ("price", n("0.1234567890123456789")),
            ("n", list(vec![n("1"), n("-200"), b(true), Value::Null])),
            ("s", s("aé😀\n")),
        ])
    );
    assert_eq!(ok("jsondecode", vec![s(r#"{"a":1,"a":2}"#)]), map(&[("a", n("2"))]));
    assert_eq!(ok("jsondecode", vec![unknown("x.y")]), unknown("x.y"));
    for bad in ["", "{", "[1,]", "01", "\"abc", "{\"a\" 1}", "1 2", "tru", "\"\\x\""] {
        assert!(err("jsondecode", vec![s(bad)]).contains("invalid JSON"), "{bad:?} should be invalid");
    }
    let deep = "[".repeat(10_000);
    assert!(err("jsondecode", vec![s(&deep)]).contains("nested more than"));
}
