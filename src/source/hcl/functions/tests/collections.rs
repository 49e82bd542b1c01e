//! Collection functions.

use super::{b, err, failed, list, map, n, ok, s, strings, unknown};
use crate::source::hcl::value::Value;

#[test]
fn length_counts_characters_elements_and_keys() {
    assert_eq!(ok("length", vec![s("héllo")]), n("5"));
    // a flag emoji is one grapheme cluster of two code points
    assert_eq!(ok("length", vec![s("🇩🇪!")]), n("2"));
    assert_eq!(ok("length", vec![s("")]), n("0"));
    assert_eq!(ok("length", vec![strings(&["a", "b"])]), n("2"));
    assert_eq!(ok("length", vec![map(&[("a", n("1"))])]), n("1"));
    assert_eq!(ok("length", vec![Value::set(vec![s("a"), s("a")])]), n("1"));
    assert_eq!(
        err("length", vec![n("5")]),
        failed("length", "argument must be a string, a collection type, or a structural type")
    );
}

#[test]
fn length_is_known_when_only_elements_are_unknown() {
    assert_eq!(ok("length", vec![list(vec![unknown("a.b"), s("x")])]), n("2"));
    assert_eq!(ok("length", vec![map(&[("k", unknown("a.b"))])]), n("1"));
    assert_eq!(ok("length", vec![unknown("a.b")]), unknown("a.b"));
}

#[test]
fn lookup_finds_keys_uses_defaults_and_reports_missing_keys() {
    let m = map(&[("small", n("1")), ("large", n("4"))]);
    assert_eq!(ok("lookup", vec![m.clone(), s("large")]), n("4"));
    assert_eq!(ok("lookup", vec![m.clone(), s("huge"), n("9")]), n("9"));
    assert_eq!(ok("lookup", vec![m.clone(), s("huge"), Value::Null]), Value::Null);
    assert_eq!(err("lookup", vec![m.clone(), s("huge")]), failed("lookup", "lookup failed to find key \"huge\""));
    assert_eq!(
        err("lookup", vec![strings(&["a"]), s("a")]),
        failed("lookup", "lookup() requires a map as the first argument")
    );
    assert_eq!(err("lookup", vec![Value::Null, s("a")]), failed("lookup", "argument 1 must not be null"));
    // a number key converts to a string, as HCL converts arguments for a string parameter
    assert_eq!(ok("lookup", vec![map(&[("1", s("one"))]), n("1")]), s("one"));
}

#[test]
fn lookup_propagates_unknowns_only_where_the_result_depends_on_them() {
    let m = map(&[("known", s("v")), ("later", unknown("aws_x.y"))]);
    assert_eq!(ok("lookup", vec![m.clone(), s("known")]), s("v"));
    assert_eq!(ok("lookup", vec![m.clone(), s("later")]), unknown("aws_x.y"));
    assert_eq!(ok("lookup", vec![m, unknown("k.k")]), unknown("k.k"));
    assert_eq!(ok("lookup", vec![unknown("m.m"), s("a")]), unknown("m.m"));
}

#[test]
fn merge_lets_later_maps_win_and_skips_nulls() {
    let merged = ok(
        "merge",
        vec![map(&[("a", n("1")), ("b", n("2"))]), Value::Null, map(&[("b", n("3")), ("c", unknown("x.y"))])],
    );
    assert_eq!(merged, map(&[("a", n("1")), ("b", n("3")), ("c", unknown("x.y"))]));
    assert_eq!(ok("merge", vec![]), map(&[]));
    assert_eq!(ok("merge", vec![map(&[]), unknown("m.m")]), unknown("m.m"));
    assert_eq!(
        err("merge", vec![map(&[]), strings(&["a"])]),
        failed("merge", "arguments must be maps or objects, got \"list\"")
    );
}

#[test]
fn element_wraps_around_and_refuses_empty_lists_and_sets() {
    let l = strings(&["a", "b", "c"]);
    assert_eq!(ok("element", vec![l.clone(), n("1")]), s("b"));
    assert_eq!(ok("element", vec![l.clone(), n("5")]), s("c"));
    assert_eq!(ok("element", vec![l.clone(), n("-1")]), s("c"));
    assert_eq!(ok("element", vec![l.clone(), s("3")]), s("a"));
    assert_eq!(ok("element", vec![list(vec![unknown("a.b")]), n("0")]), unknown("a.b"));
    assert_eq!(ok("element", vec![l.clone(), unknown("i.i")]), unknown("i.i"));
    assert_eq!(
        err("element", vec![list(vec![]), n("0")]),
        failed("element", "cannot use element function with an empty list")
    );
    assert_eq!(
        err("element", vec![Value::set(vec![s("a")]), n("0")]),
        failed("element", "cannot read elements from set")
    );
    assert_eq!(
        err("element", vec![l, n("1.5")]),
        failed("element", "invalid index: value must be a whole number, but got 1.5")
    );
}

#[test]
fn concat_joins_lists_and_keeps_unknown_elements() {
    assert_eq!(
        ok("concat", vec![strings(&["a"]), list(vec![unknown("x.y"), n("1")]), list(vec![])]),
        list(vec![s("a"), unknown("x.y"), n("1")])
    );
    assert_eq!(ok("concat", vec![strings(&["a"]), unknown("l.l")]), unknown("l.l"));
    assert_eq!(err("concat", vec![]), failed("concat", "at least one argument is required"));
    assert_eq!(
        err("concat", vec![strings(&["a"]), Value::set(vec![s("b")])]),
        failed("concat", "all arguments must be lists or tuples; got set")
    );
}

#[test]
fn coalescelist_returns_the_first_non_empty_list() {
    assert_eq!(ok("coalescelist", vec![list(vec![]), Value::Null, strings(&["a"]), strings(&["b"])]), strings(&["a"]));
    assert_eq!(ok("coalescelist", vec![list(vec![]), unknown("l.l"), strings(&["b"])]), unknown("l.l"));
    assert_eq!(err("coalescelist", vec![list(vec![]), Value::Null]), failed("coalescelist", "no non-null arguments"));
    assert_eq!(
        err("coalescelist", vec![s("a")]),
        failed("coalescelist", "coalescelist arguments must be lists or tuples, got string")
    );
}

#[test]
fn keys_and_values_follow_lexical_key_order() {
    let m = map(&[("zeta", n("1")), ("alpha", unknown("x.y")), ("Beta", n("3"))]);
    assert_eq!(ok("keys", vec![m.clone()]), strings(&["Beta", "alpha", "zeta"]));
    assert_eq!(ok("values", vec![m]), list(vec![n("3"), unknown("x.y"), n("1")]));
    assert_eq!(ok("keys", vec![unknown("m.m")]), unknown("m.m"));
    assert_eq!(err("keys", vec![strings(&["a"])]), failed("keys", "must have map or object type"));
    assert_eq!(err("values", vec![s("a")]), failed("values", "values() requires a map as the first argument"));
}

#[test]
fn contains_compares_by_type_and_value() {
    let l = list(vec![n("1"), s("a")]);
    assert_eq!(ok("contains", vec![l.clone(), n("1.0")]), b(true));
    assert_eq!(ok("contains", vec![l.clone(), s("1")]), b(false));
    assert_eq!(ok("contains", vec![l.clone(), Value::Null]), b(false));
    assert_eq!(ok("contains", vec![Value::set(vec![s("x")]), s("x")]), b(true));
    assert_eq!(ok("contains", vec![list(vec![unknown("a.b"), s("a")]), s("a")]), b(true));
    assert_eq!(ok("contains", vec![list(vec![unknown("a.b"), s("a")]), s("z")]), unknown("a.b"));
    assert_eq!(err("contains", vec![map(&[]), s("a")]), failed("contains", "argument must be list, tuple, or set"));
}

#[test]
fn zipmap_pairs_keys_with_values() {
    assert_eq!(
        ok("zipmap", vec![strings(&["b", "a"]), list(vec![n("1"), unknown("x.y")])]),
        map(&[("a", unknown("x.y")), ("b", n("1"))])
    );
    assert_eq!(ok("zipmap", vec![strings(&["a", "a"]), list(vec![n("1"), n("2")])]), map(&[("a", n("2"))]));
    assert_eq!(ok("zipmap", vec![list(vec![unknown("k.k")]), list(vec![n("1")])]), unknown("k.k"));
    assert_eq!(
        err("zipmap", vec![strings(&["a"]), list(vec![])]),
        failed("zipmap", "number of keys (1) does not match number of values (0)")
    );
    assert_eq!(
        err("zipmap", vec![list(vec![Value::Null]), list(vec![n("1")])]),
        failed("zipmap", "keys list has null value at index 0")
    );
}

#[test]
fn flatten_flattens_recursively() {
    let nested = list(vec![
        strings(&["a"]),
        list(vec![list(vec![s("b")]), list(vec![])]),
        s("c"),
        Value::set(vec![s("e"), s("d")]),
        Value::Null,
    ]);
    assert_eq!(ok("flatten", vec![nested]), list(vec![s("a"), s("b"), s("c"), s("d"), s("e"), Value::Null]));
    assert_eq!(ok("flatten", vec![list(vec![])]), list(vec![]));
    // an unknown element could itself be a list, so the result is unknown (cty: element of unknown type)
    assert_eq!(ok("flatten", vec![list(vec![list(vec![unknown("x.y")])])]), unknown("x.y"));
    assert_eq!(err("flatten", vec![s("a")]), failed("flatten", "can only flatten lists, sets and tuples"));
}

#[test]
fn distinct_compact_and_sort() {
    assert_eq!(ok("distinct", vec![strings(&["b", "a", "b"])]), strings(&["b", "a"]));
    // elements are converted to one type first: 1 and "1" are then the same
    assert_eq!(ok("distinct", vec![list(vec![n("1"), s("1"), s("2")])]), strings(&["1", "2"]));
    assert_eq!(ok("distinct", vec![list(vec![unknown("x.y")])]), unknown("x.y"));
    assert_eq!(ok("compact", vec![list(vec![s("a"), s(""), Value::Null, n("2")])]), strings(&["a", "2"]));
    assert_eq!(ok("compact", vec![list(vec![s("a"), unknown("x.y")])]), unknown("x.y"));
    assert_eq!(ok("sort", vec![strings(&["b", "a", "C"])]), strings(&["C", "a", "b"]));
    assert_eq!(ok("sort", vec![list(vec![n("10"), n("9")])]), strings(&["10", "9"]));
    assert_eq!(ok("sort", vec![list(vec![s("a"), unknown("x.y")])]), list(vec![unknown("x.y"), unknown("x.y")]));
    assert_eq!(
        err("sort", vec![list(vec![s("a"), Value::Null])]),
        failed("sort", "given list element 1 is null; a null string cannot be sorted")
    );
}

#[test]
fn reverse_slice_and_index() {
    assert_eq!(ok("reverse", vec![list(vec![n("1"), unknown("x.y")])]), list(vec![unknown("x.y"), n("1")]));
    assert_eq!(ok("reverse", vec![Value::set(vec![s("a"), s("b")])]), strings(&["b", "a"]));
    let l = strings(&["a", "b", "c", "d"]);
    assert_eq!(ok("slice", vec![l.clone(), n("1"), n("3")]), strings(&["b", "c"]));
    assert_eq!(ok("slice", vec![l.clone(), n("4"), n("4")]), list(vec![]));
    assert_eq!(
        err("slice", vec![l.clone(), n("1"), n("5")]),
        failed("slice", "end index must not be greater than the length of the list")
    );
    assert_eq!(
        err("slice", vec![l.clone(), n("3"), n("1")]),
        failed("slice", "start index must not be greater than end index")
    );
    assert_eq!(
        err("slice", vec![l.clone(), n("-1"), n("1")]),
        failed("slice", "start index must not be less than zero")
    );
    assert!(err("slice", vec![Value::set(vec![s("a")]), n("0"), n("1")]).contains("cannot slice a set"));
    assert_eq!(ok("index", vec![l.clone(), s("c")]), n("2"));
    assert_eq!(err("index", vec![l.clone(), s("z")]), failed("index", "item not found"));
    assert_eq!(err("index", vec![list(vec![]), s("z")]), failed("index", "cannot search an empty list"));
    assert_eq!(ok("index", vec![list(vec![unknown("x.y"), s("a")]), s("a")]), unknown("x.y"));
}

#[test]
fn chunklist_and_one() {
    let l = strings(&["a", "b", "c"]);
    assert_eq!(ok("chunklist", vec![l.clone(), n("2")]), list(vec![strings(&["a", "b"]), strings(&["c"])]));
    assert_eq!(ok("chunklist", vec![l.clone(), n("0")]), list(vec![l.clone()]));
    assert_eq!(ok("chunklist", vec![list(vec![]), n("2")]), list(vec![]));
    assert_eq!(err("chunklist", vec![l.clone(), n("-1")]), failed("chunklist", "the size argument must be positive"));
    assert_eq!(ok("one", vec![list(vec![])]), Value::Null);
    assert_eq!(ok("one", vec![Value::set(vec![s("x")])]), s("x"));
    assert_eq!(
        err("one", vec![l]),
        failed("one", "must be a list, set, or tuple value with either zero or one elements")
    );
}

#[test]
fn alltrue_and_anytrue() {
    assert_eq!(ok("alltrue", vec![list(vec![b(true), s("true")])]), b(true));
    assert_eq!(ok("alltrue", vec![list(vec![])]), b(true));
    assert_eq!(ok("alltrue", vec![list(vec![b(true), Value::Null])]), b(false));
    assert_eq!(ok("alltrue", vec![list(vec![unknown("x.y"), b(false)])]), unknown("x.y"));
    assert_eq!(ok("alltrue", vec![list(vec![b(false), unknown("x.y")])]), b(false));
    assert_eq!(ok("anytrue", vec![list(vec![b(false), b(true)])]), b(true));
    assert_eq!(ok("anytrue", vec![list(vec![])]), b(false));
    assert_eq!(ok("anytrue", vec![list(vec![unknown("x.y"), b(true)])]), b(true));
    assert_eq!(ok("anytrue", vec![list(vec![unknown("x.y"), b(false)])]), unknown("x.y"));
    assert!(err("anytrue", vec![list(vec![s("yes")])]).contains("only the strings \"true\" or \"false\""));
}

#[test]
fn set_algebra_converts_and_sorts() {
    assert_eq!(
        ok("setunion", vec![strings(&["b", "a"]), Value::set(vec![s("c"), s("a")])]),
        Value::set(vec![s("a"), s("b"), s("c")])
    );
    // elements unify to string across the sets
    assert_eq!(
        ok("setunion", vec![list(vec![n("1"), n("2")]), strings(&["a"])]),
        Value::set(vec![s("1"), s("2"), s("a")])
    );
    assert_eq!(
        ok("setintersection", vec![strings(&["a", "b"]), strings(&["b", "c"]), strings(&["b"])]),
        Value::set(vec![s("b")])
    );
    assert_eq!(ok("setsubtract", vec![strings(&["a", "b"]), strings(&["b"])]), Value::set(vec![s("a")]));
    assert_eq!(
        ok("setunion", vec![list(vec![unknown("x.y")]), strings(&["a"])]).as_list().map(<[Value]>::len),
        Some(2)
    );
    assert_eq!(ok("setintersection", vec![list(vec![unknown("x.y")]), strings(&["a"])]), unknown("x.y"));
    assert_eq!(ok("setsubtract", vec![strings(&["a"]), unknown("s.s")]), unknown("s.s"));
    assert_eq!(
        err("setunion", vec![list(vec![n("1")]), list(vec![b(true)])]),
        failed("setunion", "given sets must all have compatible element types")
    );
}

#[test]
fn a_set_holding_an_unknown_has_no_known_length_or_order() {
    let set = Value::set(vec![unknown("x.y"), s("a")]);
    assert_eq!(ok("length", vec![set.clone()]), unknown("x.y"));
    assert_eq!(ok("tolist", vec![set.clone()]), unknown("x.y"));
    assert_eq!(ok("join", vec![s(","), set.clone()]), unknown("x.y"));
    assert_eq!(ok("reverse", vec![set.clone()]), unknown("x.y"));
    // a list holding an unknown keeps its length, a set without unknowns too
    assert_eq!(ok("length", vec![list(vec![unknown("x.y"), s("a")])]), n("2"));
    assert_eq!(ok("length", vec![Value::set(vec![s("b"), s("a")])]), n("2"));
    // set algebra keeps the set as a set
    assert_eq!(ok("setunion", vec![set.clone(), strings(&["b"])]).as_list().map(<[Value]>::len), Some(3));
}
