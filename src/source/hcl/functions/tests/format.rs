//! `format` and `formatlist`; expected texts from go-cty's `format_test.go` where it has the case.

use super::{b, err, failed, list, map, n, ok, s, strings, unknown};
use crate::source::hcl::value::Value;

fn fmt(spec: &str, args: Vec<Value>) -> Value {
    let mut all = vec![s(spec)];
    all.extend(args);
    ok("format", all)
}

fn fmt_err(spec: &str, args: Vec<Value>) -> String {
    let mut all = vec![s(spec)];
    all.extend(args);
    err("format", all)
}

#[test]
fn strings_and_padding() {
    assert_eq!(fmt("Hello, %s!", vec![s("Ermintrude")]), s("Hello, Ermintrude!"));
    assert_eq!(fmt("Hello, %[2]s!", vec![s("Stephen"), s("Ermintrude")]), s("Hello, Ermintrude!"));
    assert_eq!(fmt("%10s|%-6s|", vec![s("hello"), s("ab")]), s("     hello|ab    |"));
    assert_eq!(fmt("%05s", vec![s("ab")]), s("000ab"));
    assert_eq!(fmt("%.2s %.5s", vec![s("hello"), s("日本語日本語")]), s("he 日本語日本"));
    assert_eq!(fmt("%4.2s|", vec![s("hello")]), s("  he|"));
    assert_eq!(fmt("%s %s", vec![n("1.50"), b(false)]), s("1.5 false"));
    assert_eq!(fmt("%q", vec![s("Hello\nWorld <3>")]), s(r#""Hello\nWorld \u003c3\u003e""#));
    assert_eq!(fmt("%.1q", vec![s("日本語")]), s("\"日\""));
    assert_eq!(fmt("100%% successful", vec![]), s("100% successful"));
}

#[test]
fn integers() {
    assert_eq!(fmt("%d green bottles", vec![n("10")]), s("10 green bottles"));
    assert_eq!(fmt("%d", vec![s("42")]), s("42"));
    assert_eq!(fmt("%+d|% d|%5d|%-5d|%05d", vec![n("10"); 5]), s("+10| 10|   10|10   |00010"));
    assert_eq!(fmt("%05d|%.3d|%6.3d", vec![n("-7"), n("7"), n("7")]), s("-0007|007|   007"));
    assert_eq!(fmt("%b %o %x %X %#x", vec![n("5"), n("9"), n("254"), n("254"), n("254")]), s("101 11 fe FE 0xfe"));
    assert_eq!(fmt("[%.0d]", vec![n("0")]), s("[]"));
    assert_eq!(
        fmt_err("%d", vec![n("1.5")]),
        failed("format", "unsupported value for \"%d\" at 0: an integer is required")
    );
    assert_eq!(
        fmt_err("%d", vec![s("x")]),
        failed("format", "unsupported value for \"%d\" at 0: a number is required")
    );
}

#[test]
fn floats() {
    assert_eq!(fmt("%f things", vec![n("10")]), s("10.000000 things"));
    assert_eq!(fmt("%+f|% f|%f", vec![n("10"), n("10"), n("-10")]), s("+10.000000| 10.000000|-10.000000"));
    assert_eq!(fmt("%.2f", vec![n("1.5")]), s("1.50"));
    assert_eq!(fmt("%.1f things", vec![s("1.06")]), s("1.1 things"));
    assert_eq!(fmt("%.4f", vec![s("1.00000000000000000000000001")]), s("1.0000"));
    // exact binary halves round to even, as big.Float does
    assert_eq!(fmt("%.0f %.0f %.0f %.1f", vec![n("0.5"), n("1.5"), n("2.5"), n("0.25")]), s("0 2 2 0.2"));
    assert_eq!(fmt("%.0f|%.2f", vec![n("0.9"), n("99.999")]), s("1|100.00"));
    assert_eq!(
        fmt("%8.2f|%-8.2f|%08.2f", vec![n("3.14159"), n("3.14159"), n("-3.14159")]),
        s("    3.14|3.14    |-0003.14")
    );
    assert_eq!(fmt("%e|%E", vec![n("1000"), n("1000")]), s("1.000000e+03|1.000000E+03"));
    assert_eq!(fmt("%.2e", vec![n("0.000123456")]), s("1.23e-04"));
    assert_eq!(fmt("%g|%G", vec![n("1000"), s("0.00000000000000000000001")]), s("1000|1E-23"));
    assert_eq!(fmt("%.3g|%.3g", vec![n("3.14159"), n("1234567")]), s("3.14|1.23e+06"));
}

#[test]
fn values_print_as_go_prints_them() {
    assert_eq!(fmt("%v %v %v", vec![s("hello"), n("2"), b(true)]), s("hello 2 true"));
    // %v of a number is big.Float's shortest %g: six or more integer digits switch to an exponent
    assert_eq!(
        fmt("%v %v %v %v", vec![n("123456"), n("1000000"), n("12345678"), n("0.00001")]),
        s("123456 1e+06 1.2345678e+07 1e-05")
    );
    assert_eq!(fmt("%v|%v", vec![n("1.5"), n("0.0001")]), s("1.5|0.0001"));
    assert_eq!(fmt("%#v", vec![s("hello")]), s("\"hello\""));
    assert_eq!(fmt("%#v", vec![n("1000000")]), s("1000000"));
    assert_eq!(fmt("%v", vec![Value::Null]), s("null"));
    assert_eq!(fmt("%v", vec![map(&[("a", strings(&["x"]))])]), s(r#"{"a":["x"]}"#));
    assert_eq!(fmt("%v", vec![list(vec![])]), s("[]"));
    assert_eq!(fmt("%6v|", vec![n("1.5")]), s("   1.5|"));
}

#[test]
fn bools() {
    assert_eq!(fmt("This statement is %t", vec![b(false)]), s("This statement is false"));
    assert_eq!(fmt("%t", vec![s("true")]), s("true"));
    assert_eq!(fmt("%[2]t", vec![b(true), b(false)]), s("false"));
    assert_eq!(fmt_err("%t", vec![n("1")]), failed("format", "unsupported value for \"%t\" at 0: a bool is required"));
}

#[test]
fn format_errors_match_go_cty() {
    let cases: &[(&str, Vec<Value>, &str)] = &[
        ("%s", vec![Value::Null], "unsupported value for \"%s\" at 0: null value cannot be formatted"),
        ("%s is not in the args list", vec![], "not enough arguments for \"%s\" at 0: need index 1 but have 0 total"),
        ("%[3]s", vec![b(true), b(true)], "not enough arguments for \"%[3]s\" at 0: need index 3 but have 2 total"),
        ("%[0]s", vec![b(true)], "unrecognized format character '0' at offset 2"),
        ("%v %v %v", vec![b(true), b(true)], "not enough arguments for \"%v\" at 6: need index 3 but have 2 total"),
        ("%z", vec![n("10")], "unsupported format verb 'z' in \"%z\" at offset 0"),
        ("%☠", vec![n("10")], "unrecognized format character '☠' at offset 1"),
        ("no verbs", vec![n("10")], "too many arguments; no verbs in format string"),
        ("%d", vec![n("10"), n("11")], "too many arguments; only 1 used by format string"),
        ("50%", vec![], "invalid format string starting at offset 3"),
        ("%s", vec![strings(&["a"])], "unsupported value for \"%s\" at 0: string required"),
    ];
    for (spec, args, message) in cases {
        assert_eq!(fmt_err(spec, args.clone()), failed("format", message), "format({spec:?})");
    }
    assert_eq!(err("format", vec![Value::Null]), failed("format", "argument 1 must not be null"));
}

#[test]
fn huge_widths_are_left_unknown_not_allocated() {
    let result = fmt("%999999999999s", vec![s("x")]);
    assert!(matches!(result, Value::Unknown(_)), "{result:?}");
    let result = fmt("%.99999999999999999999999f", vec![n("1")]);
    assert!(matches!(result, Value::Unknown(_)), "{result:?}");
}

#[test]
fn format_propagates_unknowns() {
    assert_eq!(fmt("Hello, %s!", vec![unknown("aws_x.y")]), unknown("aws_x.y"));
    assert_eq!(fmt("%v", vec![list(vec![s("a"), unknown("aws_x.y")])]), unknown("aws_x.y"));
    assert_eq!(ok("format", vec![unknown("f.f"), s("a")]), unknown("f.f"));
}

#[test]
fn formatlist_iterates_lists_and_repeats_scalars() {
    assert_eq!(
        ok("formatlist", vec![s("%s=%d"), strings(&["a", "b"]), list(vec![n("1"), n("2")])]),
        strings(&["a=1", "b=2"])
    );
    assert_eq!(ok("formatlist", vec![s("%s-%s"), s("x"), strings(&["a", "b"])]), strings(&["x-a", "x-b"]));
    assert_eq!(ok("formatlist", vec![s("static")]), strings(&["static"]));
    assert_eq!(ok("formatlist", vec![s("%s"), list(vec![])]), list(vec![]));
    assert_eq!(
        ok("formatlist", vec![s("arn:%s"), list(vec![s("a"), unknown("aws_x.y")])]),
        list(vec![s("arn:a"), unknown("aws_x.y")])
    );
    assert_eq!(ok("formatlist", vec![s("%s"), unknown("l.l")]), unknown("l.l"));
    assert_eq!(
        err("formatlist", vec![s("%s%s"), strings(&["a"]), strings(&["a", "b"])]),
        failed("formatlist", "argument 2 has length 2, which is inconsistent with argument 1 of length 1")
    );
    assert_eq!(
        err("formatlist", vec![s("%d"), strings(&["1", "x"])]),
        failed("formatlist", "error on format iteration 1: unsupported value for \"%d\" at 0: a number is required")
    );
}

#[test]
fn decimal_ties_round_towards_their_binary_neighbour() {
    // 2.675 and 1.005 are stored just below, 0.05, 0.15 and 1.115 just above; 0.125 is exact and rounds to even
    assert_eq!(
        fmt("%.2f|%.2f|%.2f|%.2f", vec![n("2.675"), n("1.005"), n("1.115"), n("0.125")]),
        s("2.67|1.00|1.12|0.12")
    );
    assert_eq!(fmt("%.1f|%.1f|%.1e", vec![n("0.05"), n("0.15"), n("2.25")]), s("0.1|0.2|2.2e+00"));
}
