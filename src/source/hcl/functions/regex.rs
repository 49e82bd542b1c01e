//! `regex` and `regexall` (go-cty `stdlib/regexp.go`): Go's RE2 syntax, which the `regex` crate shares.
//! The result's shape follows the pattern: the matched text with no capture groups, a list of the groups when
//! they are unnamed, a map of them when they are named (a group that did not take part is null).

use super::{strict, string};
use crate::source::hcl::value::Value;
use regex::{Captures, Regex};
use std::collections::BTreeMap;

/// What one match gives, by the pattern's capture groups.
enum Shape {
    Whole,
    Unnamed,
    Named(Vec<(usize, String)>),
}

fn compile(pattern: &str) -> Result<(Regex, Shape), String> {
    let regex = Regex::new(pattern).map_err(|e| format!("error parsing pattern: {e}"))?;
    let mut named = Vec::new();
    let mut unnamed = 0;
    for (i, name) in regex.capture_names().enumerate().skip(1) {
        match name {
            Some(name) => named.push((i, name.to_string())),
            None => unnamed += 1,
        }
    }
    let shape = match (unnamed, named.is_empty()) {
        (0, true) => Shape::Whole,
        (0, false) => Shape::Named(named),
        (_, true) => Shape::Unnamed,
        (_, false) => return Err("invalid regexp pattern: cannot mix both named and unnamed capture groups".into()),
    };
    Ok((regex, shape))
}

fn result(shape: &Shape, captures: &Captures<'_>) -> Value {
    let group = |i: usize| captures.get(i).map_or(Value::Null, |m| Value::string(m.as_str()));
    match shape {
        Shape::Whole => group(0),
        Shape::Unnamed => Value::List((1..captures.len()).map(group).collect()),
        Shape::Named(names) => {
            Value::Map(names.iter().map(|(i, name)| (name.clone(), group(*i))).collect::<BTreeMap<_, _>>())
        }
    }
}

/// `regex(pattern, string)`: the first match; no match is an error.
pub(super) fn regex(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 2, Some(2))? {
        return Ok(unknown);
    }
    let (regex, shape) = compile(&string(&args[0])?)?;
    let text = string(&args[1])?;
    let captures = regex.captures(&text).ok_or("pattern did not match any part of the given string")?;
    Ok(result(&shape, &captures))
}

/// `regexall(pattern, string)`: every non-overlapping match, in order; an empty match right after another match
/// is skipped, by Go's `FindAll` and the `regex` crate alike.
pub(super) fn regexall(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 2, Some(2))? {
        return Ok(unknown);
    }
    let (regex, shape) = compile(&string(&args[0])?)?;
    let text = string(&args[1])?;
    Ok(Value::List(regex.captures_iter(&text).map(|captures| result(&shape, &captures)).collect()))
}
