//! Unit tests for the built-in functions: exact results, terraform's errors, and unknown propagation.

mod collections;
mod convert;
mod encoding;
mod format;
mod numbers;
mod regex_and_more;
mod strings;
mod terraform;

use super::call;
use crate::source::hcl::value::{Unknown, Value};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

fn s(text: &str) -> Value {
    Value::string(text)
}

fn n(text: &str) -> Value {
    Value::Number(Decimal::from_str(text).expect("test number"))
}

fn b(value: bool) -> Value {
    Value::Bool(value)
}

fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}

fn strings(items: &[&str]) -> Value {
    Value::List(items.iter().map(|item| s(item)).collect())
}

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<BTreeMap<_, _>>())
}

/// An attribute only apply would know, as the evaluator makes them.
fn unknown(address: &str) -> Value {
    Value::Unknown(Unknown::Ref { address: address.to_string(), attribute: Some("arn".to_string()) })
}

fn ok(name: &str, args: Vec<Value>) -> Value {
    call(name, &args).unwrap_or_else(|e| panic!("{name}({args:?}) failed: {e}"))
}

fn err(name: &str, args: Vec<Value>) -> String {
    match call(name, &args) {
        Ok(value) => panic!("{name}({args:?}) gave {value:?}, expected an error"),
        Err(message) => message,
    }
}

/// The error text a function failure carries after the function's name.
fn failed(name: &str, message: &str) -> String {
    format!("call to function \"{name}\" failed: {message}")
}

#[test]
fn unknown_function_names_are_errors() {
    assert_eq!(err("nosuch", vec![]), "unknown function `nosuch`");
    assert_eq!(err("try", vec![s("x")]), "unknown function `try`");
    // terraform's own functions that ptlint does not compute are unknown, not errors
    assert_eq!(ok("sha256", vec![s("x")]), Value::unknown("ptlint does not evaluate sha256()"));
    assert_eq!(ok("file", vec![s("x")]), Value::unknown("ptlint does not evaluate file()"));
    assert_eq!(
        err("list", vec![s("a")]),
        "the \"list\" function was deprecated in Terraform v0.12 and is no longer available; use tolist([ ... ]) syntax to write a literal list"
    );
    assert!(err("map", vec![]).contains("use tomap({ ... }) syntax to write a literal map"));
    assert!(super::NOT_EVALUATED.iter().all(|name| !super::exists(name)));
    assert!(super::exists("lookup"));
    assert!(!super::exists("try"));
}

#[test]
fn argument_counts_are_checked() {
    assert_eq!(err("upper", vec![]), failed("upper", "expects 1 argument(s), got 0"));
    assert_eq!(err("upper", vec![s("a"), s("b")]), failed("upper", "expects 1 argument(s), got 2"));
    assert_eq!(err("range", vec![]), failed("range", "expects at least 1 argument(s), got 0"));
    assert_eq!(err("range", vec![n("1"); 4]), failed("range", "expects at most 3 arguments, got 4"));
    assert_eq!(err("lookup", vec![map(&[])]), failed("lookup", "lookup() takes two or three arguments, got 1"));
}

#[test]
fn null_arguments_are_errors_unless_allowed() {
    assert_eq!(err("upper", vec![Value::Null]), failed("upper", "argument 1 must not be null"));
    assert_eq!(err("length", vec![Value::Null]), failed("length", "argument 1 must not be null"));
    assert_eq!(err("split", vec![s(","), Value::Null]), failed("split", "argument 2 must not be null"));
    // the null check comes before the unknown short-circuit, as in cty's type check
    assert_eq!(err("join", vec![Value::Null, unknown("aws_x.y")]), failed("join", "argument 1 must not be null"));
}

#[test]
fn every_listed_name_is_callable() {
    let mut sorted = super::NAMES.to_vec();
    sorted.sort_unstable();
    assert_eq!(sorted, super::NAMES);
    assert!(super::NAMES.iter().all(|name| super::exists(name)));
    assert_eq!(super::NAMES.len(), 79);
}

/// No input makes a function panic: every function with every combination of up to three awkward arguments.
#[test]
fn no_function_panics_on_awkward_arguments() {
    let pool = vec![
        Value::Null,
        unknown("aws_x.y"),
        b(true),
        n("0"),
        n("-3"),
        n("2.5"),
        n("79228162514264337593543950335"),
        s(""),
        s("%[9]d %-0+#5.2s %"),
        s("/(/"),
        s("🇩🇪é"),
        list(vec![]),
        list(vec![s("a"), n("1"), list(vec![Value::Null])]),
        Value::set(vec![s("b"), s("a")]),
        map(&[("a", n("1")), ("b", list(vec![unknown("x.y")]))]),
    ];
    let mut calls = 0;
    for name in super::NAMES {
        let _ = call(name, &[]);
        for first in &pool {
            let _ = call(name, std::slice::from_ref(first));
            for second in &pool {
                let _ = call(name, &[first.clone(), second.clone()]);
                for third in &pool {
                    let _ = call(name, &[first.clone(), second.clone(), third.clone()]);
                    calls += 1;
                }
            }
        }
    }
    assert_eq!(calls, super::NAMES.len() * pool.len().pow(3));
}
