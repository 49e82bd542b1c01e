//! String functions.

use super::{b, err, failed, list, n, ok, s, strings, unknown};
use crate::source::hcl::value::Value;

#[test]
fn case_functions_map_characters_one_to_one() {
    assert_eq!(ok("upper", vec![s("hello wörld")]), s("HELLO WÖRLD"));
    assert_eq!(ok("upper", vec![s("straße")]), s("STRAßE"));
    assert_eq!(ok("upper", vec![n("5")]), s("5"));
    assert_eq!(ok("lower", vec![s("HELLO İ")]), s("hello i"));
    assert_eq!(ok("title", vec![s("hello world-wide web_site a.b")]), s("Hello World-Wide Web_site A.B"));
    assert_eq!(ok("upper", vec![unknown("x.y")]), unknown("x.y"));
}

#[test]
fn split_and_join() {
    assert_eq!(ok("split", vec![s(","), s("a,b,,c")]), strings(&["a", "b", "", "c"]));
    assert_eq!(ok("split", vec![s(","), s("")]), strings(&[""]));
    assert_eq!(ok("split", vec![s(""), s("abc")]), strings(&["a", "b", "c"]));
    assert_eq!(ok("split", vec![s(","), unknown("x.y")]), unknown("x.y"));
    assert_eq!(ok("join", vec![s("-"), strings(&["a", "b"]), list(vec![n("1")])]), s("a-b-1"));
    assert_eq!(ok("join", vec![s(","), list(vec![])]), s(""));
    assert_eq!(ok("join", vec![s(","), list(vec![s("a"), unknown("x.y")])]), unknown("x.y"));
    assert_eq!(err("join", vec![s(",")]), failed("join", "at least one list is required"));
    assert_eq!(
        err("join", vec![s(","), list(vec![s("a"), Value::Null])]),
        failed("join", "element 1 is null; cannot concatenate null values")
    );
    assert_eq!(
        err("join", vec![s(","), strings(&["a"]), list(vec![Value::Null])]),
        failed("join", "element 0 of list 2 is null; cannot concatenate null values")
    );
}

#[test]
fn replace_plain_and_regex() {
    assert_eq!(ok("replace", vec![s("1 + 2 + 3"), s("+"), s("-")]), s("1 - 2 - 3"));
    assert_eq!(ok("replace", vec![s("hello world"), s("/w.*d/"), s("everybody")]), s("hello everybody"));
    assert_eq!(ok("replace", vec![s("a-1 b-2"), s("/([a-z])-(\\d)/"), s("$2$1")]), s("1a 2b"));
    assert_eq!(ok("replace", vec![s("a/b"), s("/"), s("|")]), s("a|b"));
    assert_eq!(ok("replace", vec![s("ab"), s(""), s("-")]), s("-a-b-"));
    assert!(err("replace", vec![s("a"), s("/(/"), s("")]).contains("invalid regular expression"));
    assert_eq!(ok("replace", vec![unknown("x.y"), s("a"), s("b")]), unknown("x.y"));
}

#[test]
fn substr_counts_grapheme_clusters() {
    assert_eq!(ok("substr", vec![s("hello world"), n("1"), n("4")]), s("ello"));
    assert_eq!(ok("substr", vec![s("🤔🤷"), n("0"), n("1")]), s("🤔"));
    assert_eq!(ok("substr", vec![s("hello world"), n("-5"), n("-1")]), s("world"));
    assert_eq!(ok("substr", vec![s("hello"), n("10"), n("2")]), s(""));
    assert_eq!(ok("substr", vec![s("hello"), n("1"), n("0")]), s(""));
    assert_eq!(ok("substr", vec![s("hello"), n("3"), n("100")]), s("lo"));
    // go-cty's quirk: a zero length after a negative offset takes the rest
    assert_eq!(ok("substr", vec![s("hello"), n("-3"), n("0")]), s("llo"));
    assert_eq!(ok("substr", vec![s("hello"), n("-30"), n("2")]), s("he"));
    assert!(err("substr", vec![s("hello"), n("1.5"), n("1")]).contains("whole number"));
}

#[test]
fn trimming() {
    assert_eq!(ok("trimspace", vec![s(" \t\n hi \u{a0}\n")]), s("hi"));
    assert_eq!(ok("trim", vec![s("?!hello?!"), s("!?")]), s("hello"));
    assert_eq!(ok("trimprefix", vec![s("helloworld"), s("hello")]), s("world"));
    assert_eq!(ok("trimprefix", vec![s("hellohello"), s("hello")]), s("hello"));
    assert_eq!(ok("trimprefix", vec![s("world"), s("hello")]), s("world"));
    assert_eq!(ok("trimsuffix", vec![s("helloworld"), s("world")]), s("hello"));
    assert_eq!(ok("strrev", vec![s("héllo🇩🇪")]), s("🇩🇪olléh"));
}

#[test]
fn prefixes_and_suffixes() {
    assert_eq!(ok("startswith", vec![s("hello world"), s("hello")]), b(true));
    assert_eq!(ok("startswith", vec![s("hello world"), s("world")]), b(false));
    assert_eq!(ok("startswith", vec![unknown("x.y"), s("")]), b(true));
    assert_eq!(ok("startswith", vec![unknown("x.y"), s("arn:")]), unknown("x.y"));
    assert_eq!(ok("endswith", vec![s("hello world"), s("world")]), b(true));
    assert_eq!(ok("endswith", vec![s("hello world"), s("hello")]), b(false));
    assert_eq!(ok("endswith", vec![unknown("x.y"), s("")]), unknown("x.y"));
}
