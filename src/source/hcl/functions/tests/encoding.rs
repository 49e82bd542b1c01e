//! Encodings, `pow`, and the sensitivity passthroughs.

use super::{err, failed, list, n, ok, s, unknown};
use crate::source::hcl::value::Value;

#[test]
fn base64_round_trips_with_go_padding() {
    assert_eq!(ok("base64encode", vec![s("Hello World")]), s("SGVsbG8gV29ybGQ="));
    assert_eq!(ok("base64encode", vec![s("")]), s(""));
    assert_eq!(ok("base64encode", vec![s("ab")]), s("YWI="));
    assert_eq!(ok("base64encode", vec![s("é")]), s("w6k="));
    assert_eq!(ok("base64decode", vec![s("SGVsbG8gV29ybGQ=")]), s("Hello World"));
    assert_eq!(ok("base64decode", vec![s("YW\nI=")]), s("ab"));
    assert_eq!(ok("base64decode", vec![unknown("x.y")]), unknown("x.y"));
    assert_eq!(err("base64decode", vec![s("YWI")]), failed("base64decode", "failed to decode base64 data YWI"));
    assert_eq!(err("base64decode", vec![s("Y=WI")]), failed("base64decode", "failed to decode base64 data Y=WI"));
    assert_eq!(
        err("base64decode", vec![s("/w==")]),
        failed("base64decode", "the result of decoding the provided string is not valid UTF-8")
    );
}

#[test]
fn urlencode_is_go_query_escape() {
    assert_eq!(ok("urlencode", vec![s("Hello World!")]), s("Hello+World%21"));
    assert_eq!(ok("urlencode", vec![s("a-b_c.d~e/é")]), s("a-b_c.d~e%2F%C3%A9"));
}

#[test]
fn pow_is_exact_where_float64_is() {
    assert_eq!(ok("pow", vec![n("3"), n("2")]), n("9"));
    assert_eq!(ok("pow", vec![n("-2"), n("3")]), n("-8"));
    assert_eq!(ok("pow", vec![n("5"), n("0")]), n("1"));
    assert!(ok("pow", vec![n("4"), n("0.5")]).is_unknown());
    assert!(ok("pow", vec![n("10"), n("30")]).is_unknown());
}

#[test]
fn sensitive_and_nonsensitive_pass_values_through() {
    assert_eq!(ok("sensitive", vec![list(vec![s("a")])]), list(vec![s("a")]));
    assert_eq!(ok("nonsensitive", vec![Value::Null]), Value::Null);
    assert_eq!(ok("sensitive", vec![unknown("x.y")]), unknown("x.y"));
}
