//! Functions beyond the issue's list that real modules use: regular expressions, `strcontains`, `chomp`,
//! `indent`, `signum`, `parseint`, `matchkeys`, `transpose`, `setproduct`, and the apply-time ones.

use super::{b, err, failed, list, map, n, ok, s, strings, unknown};
use crate::source::hcl::value::Value;

#[test]
fn regex_shapes_its_result_by_capture_groups() {
    let arn = s("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1");
    assert_eq!(ok("regex", vec![s("[a-z]+-[a-z]+-[0-9]"), arn.clone()]), s("us-east-1"));
    assert_eq!(
        ok("regex", vec![s("^arn:aws:bedrock:([^:]*):([^:]*):(.*)$"), arn.clone()]),
        strings(&["us-east-1", "", "foundation-model/anthropic.claude-v2:1"])
    );
    assert_eq!(
        ok("regex", vec![s("(?P<kind>[a-z-]+)/(?P<id>.+)|(?P<none>zzz)"), arn.clone()]),
        map(&[("id", s("anthropic.claude-v2:1")), ("kind", s("foundation-model")), ("none", Value::Null)])
    );
    assert_eq!(
        err("regex", vec![s("zzz"), arn.clone()]),
        failed("regex", "pattern did not match any part of the given string")
    );
    assert_eq!(
        err("regex", vec![s("(a)(?P<b>b)"), s("ab")]),
        failed("regex", "invalid regexp pattern: cannot mix both named and unnamed capture groups")
    );
    assert!(err("regex", vec![s("("), s("x")]).starts_with("call to function \"regex\" failed: error parsing pattern"));
    assert_eq!(ok("regexall", vec![s("[0-9]+"), s("a1b22c333")]), strings(&["1", "22", "333"]));
    assert_eq!(
        ok("regexall", vec![s("([a-z])([0-9])"), s("a1 b2")]),
        list(vec![strings(&["a", "1"]), strings(&["b", "2"])])
    );
    assert_eq!(ok("regexall", vec![s("x"), s("abc")]), list(vec![]));
    // an empty match right after a match is skipped, as Go's FindAll skips it: Go gives ["", "aaa", ""]
    assert_eq!(ok("regexall", vec![s("a*"), s("baaab")]), strings(&["", "aaa", ""]));
    assert_eq!(ok("regex", vec![s("x"), unknown("aws_x.y")]), unknown("aws_x.y"));
}

#[test]
fn small_string_helpers() {
    assert_eq!(ok("strcontains", vec![s("hello world"), s("o w")]), b(true));
    assert_eq!(ok("strcontains", vec![s("hello world"), s("x")]), b(false));
    assert_eq!(ok("chomp", vec![s("hello\r\n\n\r")]), s("hello"));
    assert_eq!(ok("chomp", vec![s("a\nb")]), s("a\nb"));
    assert_eq!(ok("indent", vec![n("2"), s("a\nb\n")]), s("a\n  b\n  "));
    assert_eq!(err("indent", vec![n("-1"), s("a")]), failed("indent", "strings: negative Repeat count"));
    assert!(ok("indent", vec![n("100000000"), s("a\nb")]).is_unknown());
}

#[test]
fn signum_and_parseint() {
    assert_eq!(ok("signum", vec![n("-5")]), n("-1"));
    assert!(err("signum", vec![n("-0.5")]).contains("whole number"));
    assert_eq!(ok("signum", vec![n("0")]), n("0"));
    assert_eq!(ok("signum", vec![n("7")]), n("1"));
    assert_eq!(ok("parseint", vec![s("100"), n("10")]), n("100"));
    assert_eq!(ok("parseint", vec![s("FF"), n("16")]), n("255"));
    assert_eq!(ok("parseint", vec![s("-11"), n("2")]), n("-3"));
    // z is 35 and Z is 61 in base 62: 35 * 62 + 61
    assert_eq!(ok("parseint", vec![s("zZ"), n("62")]), n("2231"));
    assert_eq!(
        err("parseint", vec![s("12"), n("1")]),
        failed("parseint", "base must be a whole number between 2 and 62 inclusive")
    );
    assert_eq!(err("parseint", vec![s("19"), n("8")]), failed("parseint", "cannot parse \"19\" as a base 8 integer"));
    assert_eq!(
        err("parseint", vec![n("10"), n("10")]),
        failed("parseint", "first argument must be a string, not number")
    );
    assert!(ok("parseint", vec![s("f".repeat(40).as_str()), n("16")]).is_unknown());
}

#[test]
fn matchkeys_transpose_and_setproduct() {
    assert_eq!(
        ok("matchkeys", vec![strings(&["i-1", "i-2", "i-3"]), strings(&["a", "b", "a"]), strings(&["a"])]),
        strings(&["i-1", "i-3"])
    );
    assert_eq!(ok("matchkeys", vec![strings(&["i-1"]), strings(&["a"]), list(vec![])]), list(vec![]));
    assert_eq!(
        err("matchkeys", vec![strings(&["i-1"]), strings(&[]), strings(&["a"])]),
        failed("matchkeys", "length of keys and values should be equal")
    );
    assert_eq!(
        ok("transpose", vec![map(&[("a", strings(&["1", "2"])), ("b", strings(&["2", "3"]))])]),
        map(&[("1", strings(&["a"])), ("2", strings(&["a", "b"])), ("3", strings(&["b"]))])
    );
    assert_eq!(
        ok("setproduct", vec![strings(&["a", "b"]), list(vec![n("1"), n("2")])]),
        list(vec![
            list(vec![s("a"), n("1")]),
            list(vec![s("a"), n("2")]),
            list(vec![s("b"), n("1")]),
            list(vec![s("b"), n("2")]),
        ])
    );
    assert_eq!(
        ok("setproduct", vec![Value::set(vec![s("x")]), strings(&["b", "a"])]),
        Value::set(vec![strings(&["x", "a"]), strings(&["x", "b"])])
    );
    assert_eq!(err("setproduct", vec![strings(&["a"])]), failed("setproduct", "at least two arguments are required"));
    let big = list((0..2000).map(|i| n(&i.to_string())).collect());
    assert!(ok("setproduct", vec![big.clone(), big]).is_unknown());
}

#[test]
fn apply_time_functions_are_unknown_while_planning() {
    assert!(matches!(ok("timestamp", vec![]), Value::Unknown(_)));
    assert!(matches!(ok("uuid", vec![]), Value::Unknown(_)));
    assert!(matches!(ok("bcrypt", vec![s("secret")]), Value::Unknown(_)));
    assert_eq!(err("timestamp", vec![s("x")]), failed("timestamp", "expects 0 argument(s), got 1"));
}
