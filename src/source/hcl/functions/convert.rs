//! Type conversions (`tostring`, `tonumber`, `tobool`, `tolist`, `toset`, `tomap`), `coalesce`, and the type
//! unification they share (cty `convert.Unify`).

use super::{arity, beyond_ptlint, is_number_syntax, parse_strict_number, string};
use crate::source::hcl::value::{format_number, Value};
use std::collections::BTreeMap;

/// The shape of a known, non-null value, for unification.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Bool,
    Number,
    String,
    Sequence,
    Set,
    Map,
}

fn shape(value: &Value) -> Option<Shape> {
    match value {
        Value::Null | Value::Unknown(_) => None,
        Value::Bool(_) => Some(Shape::Bool),
        Value::Number(_) => Some(Shape::Number),
        Value::String(_) => Some(Shape::String),
        Value::List(_) => Some(Shape::Sequence),
        Value::Set(_) => Some(Shape::Set),
        Value::Map(_) => Some(Shape::Map),
    }
}

/// Convert `items` to one common type as cty's unification does (`cty/convert/unify.go`), or `None` when they
/// have none. Primitives of different types unify to string when one of them is a string (number and bool alone
/// do not unify); nulls and unknowns fit any type.
///
/// Our values do not tell lists from tuples nor maps from objects, so collections unify structurally: sets by all
/// their elements (a set has one element type), lists position by position and maps key by key (as tuples and
/// objects do). A value is converted only where cty converts it too; where cty would refuse (objects with
/// different attributes) or convert more (lists of different element types), the values are kept as they are.
pub(super) fn unify(items: &[Value]) -> Option<Vec<Value>> {
    let mut shapes: Vec<Shape> = items.iter().filter_map(shape).collect();
    shapes.sort_by_key(|s| *s as u8);
    shapes.dedup();
    match shapes.as_slice() {
        [] | [Shape::Bool] | [Shape::Number] | [Shape::String] => Some(items.to_vec()),
        [_, ..] if shapes.iter().all(|s| matches!(s, Shape::Bool | Shape::Number | Shape::String)) => {
            if !shapes.contains(&Shape::String) {
                return None;
            }
            Some(items.iter().map(|item| primitive_to_string(item).unwrap_or_else(|| item.clone())).collect())
        }
        [Shape::Set] => {
            let inner: Vec<Value> = items.iter().filter_map(Value::as_list).flatten().cloned().collect();
            let mut unified = unify(&inner)?.into_iter();
            let rebuild = |item: &Value| match item.as_list() {
                Some(old) => Value::set(unified.by_ref().take(old.len()).collect()),
                None => item.clone(),
            };
            Some(items.iter().map(rebuild).collect())
        }
        [Shape::Sequence] | [Shape::Sequence, Shape::Set] => {
            let longest = items.iter().filter_map(Value::as_list).map(<[Value]>::len).max().unwrap_or(0);
            let mut rebuilt: Vec<Vec<Value>> = items.iter().map(|_| Vec::new()).collect();
            for position in 0..longest {
                let column: Vec<Value> =
                    items.iter().filter_map(|item| item.as_list()?.get(position).cloned()).collect();
                let mut unified = unify(&column)?.into_iter();
                for (item, out) in items.iter().zip(rebuilt.iter_mut()) {
                    if item.as_list().is_some_and(|old| position < old.len()) {
                        out.extend(unified.next());
                    }
                }
            }
            Some(
                items
                    .iter()
                    .zip(rebuilt)
                    .map(|(item, new)| if item.as_list().is_some() { Value::List(new) } else { item.clone() })
                    .collect(),
            )
        }
        [Shape::Map] => {
            let mut keys: Vec<&String> = items.iter().filter_map(Value::as_map).flat_map(|m| m.keys()).collect();
            keys.sort();
            keys.dedup();
            let mut rebuilt: Vec<Value> = items.to_vec();
            for key in keys {
                let column: Vec<Value> = items.iter().filter_map(|item| item.as_map()?.get(key).cloned()).collect();
                let mut unified = unify(&column)?.into_iter();
                for out in rebuilt.iter_mut() {
                    let Value::Map(entries) = out else { continue };
                    // Only the maps that have the key took part in the column, in this same order.
                    if let Some(slot) = entries.get_mut(key) {
                        if let Some(value) = unified.next() {
                            *slot = value;
                        }
                    }
                }
            }
            Some(rebuilt)
        }
        _ => None,
    }
}

fn primitive_to_string(value: &Value) -> Option<Value> {
    match value {
        Value::Number(n) => Some(Value::String(format_number(*n))),
        Value::Bool(b) => Some(Value::String(b.to_string())),
        _ => None,
    }
}

/// `tostring(v)`: primitives only; null stays null (terraform `MakeToFunc(cty.String)`).
pub(super) fn tostring(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(1))?;
    match &args[0] {
        Value::Null | Value::Unknown(_) => Ok(args[0].clone()),
        Value::List(_) | Value::Set(_) | Value::Map(_) => {
            Err(format!("cannot convert {} to string", args[0].type_name()))
        }
        other => string(other).map(Value::String),
    }
}

/// `tonumber(v)`: a number, or a string that is a decimal number, exactly (`tonumber("1.50")` is `1.5`).
pub(super) fn tonumber(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(1))?;
    match &args[0] {
        Value::Null | Value::Unknown(_) | Value::Number(_) => Ok(args[0].clone()),
        Value::String(s) => match parse_strict_number(s) {
            Some(n) => Ok(Value::Number(n)),
            None if is_number_syntax(s) => Ok(beyond_ptlint(format!("{s:?} is beyond the range of exact decimals"))),
            None => Err(format!(
                "cannot convert {s:?} to number; given string must be a decimal representation of a number"
            )),
        },
        other => Err(format!("cannot convert {} to number", other.type_name())),
    }
}

/// `tobool(v)`: a bool, or the strings `"true"` and `"false"`.
pub(super) fn tobool(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(1))?;
    match &args[0] {
        Value::Null | Value::Unknown(_) | Value::Bool(_) => Ok(args[0].clone()),
        Value::String(s) if s == "true" => Ok(Value::Bool(true)),
        Value::String(s) if s == "false" => Ok(Value::Bool(false)),
        Value::String(s) => {
            Err(format!("cannot convert {s:?} to bool; only the strings \"true\" or \"false\" are allowed"))
        }
        other => Err(format!("cannot convert {} to bool", other.type_name())),
    }
}

/// `tolist(v)`: a list, tuple or set as a list whose elements share one type.
pub(super) fn tolist(args: &[Value]) -> Result<Value, String> {
    to_sequence(args, "list").map(|converted| converted.map_or_else(|v| v, Value::List))
}

/// `toset(v)`: as `tolist`, then sorted (strings lexically, numbers by value) and without duplicates.
pub(super) fn toset(args: &[Value]) -> Result<Value, String> {
    to_sequence(args, "set").map(|converted| converted.map_or_else(|v| v, Value::set))
}

/// The unified elements of a sequence argument, or `Err(v)` (inside `Ok`) when the argument is null or unknown
/// and is the result as it is.
fn to_sequence(args: &[Value], target: &str) -> Result<Result<Vec<Value>, Value>, String> {
    arity(args, 1, Some(1))?;
    match &args[0] {
        Value::Null | Value::Unknown(_) => Ok(Err(args[0].clone())),
        Value::List(items) | Value::Set(items) => unify(items)
            .map(Ok)
            .ok_or_else(|| format!("cannot convert {} to {target} of any single type", args[0].type_name())),
        other => Err(format!("cannot convert {} to {target} of any single type", other.type_name())),
    }
}

/// `tomap(v)`: a map or object as a map whose values share one type.
pub(super) fn tomap(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(1))?;
    match &args[0] {
        Value::Null | Value::Unknown(_) => Ok(args[0].clone()),
        Value::Map(entries) => {
            let values: Vec<Value> = entries.values().cloned().collect();
            let unified = unify(&values).ok_or("cannot convert object to map of any single type")?;
            Ok(Value::Map(entries.keys().cloned().zip(unified).collect::<BTreeMap<_, _>>()))
        }
        other => Err(format!("cannot convert {} to map of any single type", other.type_name())),
    }
}

/// `coalesce(vals...)`: the first argument that is neither null nor `""`, after all are converted to their
/// common type (terraform `funcs.CoalesceFunc`): `coalesce("", 5)` is `"5"`. An unknown reached first is the result.
pub(super) fn coalesce(args: &[Value]) -> Result<Value, String> {
    let unified = unify(args).ok_or("all arguments must have the same type")?;
    if args.is_empty() {
        return Err("all arguments must have the same type".into());
    }
    for value in unified {
        match &value {
            Value::Unknown(_) => return Ok(value),
            Value::Null => continue,
            Value::String(s) if s.is_empty() => continue,
            _ => return Ok(value),
        }
    }
    Err("no non-null, non-empty-string arguments".into())
}

/// `sensitive(v)` and `nonsensitive(v)`: the value itself; ptlint does not track sensitivity (terraform marks the
/// value and leaves it unchanged).
pub(super) fn sensitivity(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(1))?;
    Ok(args[0].clone())
}
