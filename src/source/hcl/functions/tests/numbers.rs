//! Number functions.

use super::{err, failed, list, n, ok, s, unknown};
use crate::source::hcl::value::Value;

#[test]
fn abs_ceil_floor() {
    assert_eq!(ok("abs", vec![n("-1.5")]), n("1.5"));
    assert_eq!(ok("abs", vec![s("-2")]), n("2"));
    assert_eq!(ok("ceil", vec![n("1.1")]), n("2"));
    assert_eq!(ok("ceil", vec![n("-1.9")]), n("-1"));
    assert_eq!(ok("floor", vec![n("1.9")]), n("1"));
    assert_eq!(ok("floor", vec![n("-1.1")]), n("-2"));
    assert_eq!(ok("floor", vec![unknown("x.y")]), unknown("x.y"));
    assert!(err("abs", vec![s("x")]).contains("cannot convert \"x\" to number"));
}

#[test]
fn min_max_and_sum_are_exact() {
    assert_eq!(ok("min", vec![n("3"), n("1.5"), s("2")]), n("1.5"));
    assert_eq!(ok("max", vec![n("3"), n("12.25"), n("-4")]), n("12.25"));
    assert_eq!(ok("max", vec![n("3"), unknown("x.y")]), unknown("x.y"));
    assert_eq!(err("min", vec![]), failed("min", "must pass at least one number"));
    assert_eq!(ok("sum", vec![list(vec![n("0.1"), n("0.2"), s("0.3")])]), n("0.6"));
    assert_eq!(ok("sum", vec![Value::set(vec![n("1"), n("2")])]), n("3"));
    assert_eq!(ok("sum", vec![list(vec![n("1"), unknown("x.y")])]), unknown("x.y"));
    assert_eq!(err("sum", vec![list(vec![])]), failed("sum", "cannot sum an empty list"));
    assert_eq!(
        err("sum", vec![list(vec![n("1"), Value::Null])]),
        failed("sum", "argument must be list, set, or tuple of number values")
    );
    assert_eq!(err("sum", vec![n("1")]), failed("sum", "cannot sum noniterable"));
    let huge = n("79228162514264337593543950335");
    assert!(ok("sum", vec![list(vec![huge.clone(), huge])]).is_unknown());
}

#[test]
fn range_counts_like_go_cty() {
    assert_eq!(ok("range", vec![n("3")]), list(vec![n("0"), n("1"), n("2")]));
    assert_eq!(ok("range", vec![n("-3")]), list(vec![n("0"), n("-1"), n("-2")]));
    assert_eq!(ok("range", vec![n("1"), n("4")]), list(vec![n("1"), n("2"), n("3")]));
    assert_eq!(ok("range", vec![n("4"), n("1")]), list(vec![n("4"), n("3"), n("2")]));
    assert_eq!(ok("range", vec![n("0"), n("1"), n("0.25")]), list(vec![n("0"), n("0.25"), n("0.5"), n("0.75")]));
    assert_eq!(ok("range", vec![n("0")]), list(vec![]));
    assert_eq!(ok("range", vec![unknown("x.y")]), unknown("x.y"));
    assert_eq!(err("range", vec![n("0"), n("5"), n("0")]), failed("range", "step must not be zero"));
    assert_eq!(
        err("range", vec![n("5"), n("0"), n("1")]),
        failed("range", "end must be greater than start when step is positive")
    );
    assert_eq!(
        err("range", vec![n("0"), n("5"), n("-1")]),
        failed("range", "end must be less than start when step is negative")
    );
    assert_eq!(ok("range", vec![n("1024")]).as_list().map(<[Value]>::len), Some(1024));
    assert_eq!(
        err("range", vec![n("1000000000000")]),
        failed(
            "range",
            "more than 1024 values were generated; either decrease the difference between start and end or use a smaller step"
        )
    );
}
