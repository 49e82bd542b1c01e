//! Functions over lists, sets and maps (go-cty `stdlib/collection.go`, `stdlib/sequence.go`, terraform
//! `lang/funcs/collection.go`). Unknown elements flow through where cty lets them: `length`, `keys`, `merge`,
//! `concat`, `lookup` of a known key, `element`, `reverse`, `slice`.

use super::convert::unify;
use super::strings::grapheme_count;
use super::{arity, boolean, elements, equals, integer, reject_null, strict, string, string_elements, unknown_in};
use crate::source::hcl::value::Value;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// `length(v)`: characters (grapheme clusters) of a string, elements of a list, set or map. Known even when the
/// elements are not (terraform `funcs.LengthFunc`).
pub(super) fn length(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(1))?;
    reject_null(args)?;
    let n = match &args[0] {
        Value::Unknown(_) => return Ok(args[0].clone()),
        Value::String(s) => grapheme_count(s),
        Value::List(items) | Value::Set(items) => items.len(),
        Value::Map(entries) => entries.len(),
        _ => return Err("argument must be a string, a collection type, or a structural type".into()),
    };
    Ok(Value::Number(Decimal::from(n)))
}

/// `lookup(map, key)` / `lookup(map, key, default)`: a missing key without a default is an error.
pub(super) fn lookup(args: &[Value]) -> Result<Value, String> {
    if args.len() < 2 || args.len() > 3 {
        return Err(format!("lookup() takes two or three arguments, got {}", args.len()));
    }
    reject_null(&args[..2])?;
    let (map, key) = (&args[0], &args[1]);
    if map.is_unknown() {
        return Ok(map.clone());
    }
    let Value::Map(entries) = map else {
        return Err("lookup() requires a map as the first argument".into());
    };
    if key.is_unknown() {
        return Ok(key.clone());
    }
    let key = string(key)?;
    match (entries.get(&key), args.get(2)) {
        (Some(found), _) => Ok(found.clone()),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => Err(format!("lookup failed to find key {key:?}")),
    }
}

/// `merge(maps...)`: later arguments win; nulls are skipped (go-cty `MergeFunc`).
pub(super) fn merge(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = args.iter().find(|arg| arg.is_unknown()) {
        return Ok(unknown.clone());
    }
    let mut merged = BTreeMap::new();
    for arg in args {
        match arg {
            Value::Null => {}
            Value::Map(entries) => merged.extend(entries.iter().map(|(k, v)| (k.clone(), v.clone()))),
            other => return Err(format!("arguments must be maps or objects, got {:?}", other.type_name())),
        }
    }
    Ok(Value::Map(merged))
}

/// `element(list, index)`: the index wraps modulo the length, negative ones from the end; sets are refused
/// (go-cty `ElementFunc`).
pub(super) fn element(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 2, Some(2))? {
        return Ok(unknown);
    }
    let index = integer(&args[1]).map_err(|e| format!("invalid index: {e}"))?;
    let Value::List(items) = &args[0] else {
        return Err(format!("cannot read elements from {}", args[0].type_name()));
    };
    if items.is_empty() {
        return Err("cannot use element function with an empty list".into());
    }
    let len = i64::try_from(items.len()).map_err(|_| "list too long")?;
    let at = usize::try_from(index.rem_euclid(len)).map_err(|_| "invalid index")?;
    items.get(at).cloned().ok_or_else(|| "invalid index".into())
}

/// `concat(lists...)`: lists and tuples joined in order; sets are refused (go-cty `ConcatFunc`).
pub(super) fn concat(args: &[Value]) -> Result<Value, String> {
    if args.is_empty() {
        return Err("at least one argument is required".into());
    }
    if let Some(unknown) = strict(args, 1, None)? {
        return Ok(unknown);
    }
    let mut joined = Vec::new();
    for arg in args {
        match arg {
            Value::List(items) => joined.extend(items.iter().cloned()),
            other => return Err(format!("all arguments must be lists or tuples; got {}", other.type_name())),
        }
    }
    Ok(Value::List(joined))
}

/// `coalescelist(lists...)`: the first non-empty list; an unknown reached first is the result.
pub(super) fn coalescelist(args: &[Value]) -> Result<Value, String> {
    if args.is_empty() {
        return Err("at least one argument is required".into());
    }
    if let Some(bad) = args.iter().find(|arg| !matches!(arg, Value::List(_) | Value::Null | Value::Unknown(_))) {
        return Err(format!("coalescelist arguments must be lists or tuples, got {}", bad.type_name()));
    }
    for arg in args {
        match arg {
            Value::Unknown(_) => return Ok(arg.clone()),
            Value::List(items) if !items.is_empty() => return Ok(arg.clone()),
            _ => {}
        }
    }
    Err("no non-null arguments".into())
}

/// `compact(list)`: the strings that are neither null nor empty.
pub(super) fn compact(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let items = string_elements(&args[0])?;
    if let Some(unknown) = unknown_in(&items) {
        return Ok(unknown);
    }
    Ok(Value::List(items.into_iter().filter(|v| !matches!(v, Value::Null) && v != &Value::string("")).collect()))
}

/// `contains(list, value)`: unknown when an unknown element could be the value (go-cty `ContainsFunc`).
pub(super) fn contains(args: &[Value]) -> Result<Value, String> {
    arity(args, 2, Some(2))?;
    reject_null(&args[..1])?;
    if let Some(unknown) = args.iter().find(|arg| arg.is_unknown()) {
        return Ok(unknown.clone());
    }
    let items = args[0].as_list().ok_or("argument must be list, tuple, or set")?;
    let mut undecided = None;
    for item in items {
        match equals(&args[1], item) {
            Some(true) => return Ok(Value::Bool(true)),
            Some(false) => {}
            None => undecided = undecided.or_else(|| unknown_in([item, &args[1]])),
        }
    }
    Ok(undecided.unwrap_or(Value::Bool(false)))
}

/// `distinct(list)`: first occurrences, in order, after the elements are converted to one type.
pub(super) fn distinct(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let items = unified_elements(&args[0])?;
    if let Some(unknown) = unknown_in(&items) {
        return Ok(unknown);
    }
    let mut kept: Vec<Value> = Vec::new();
    for item in items {
        if !kept.iter().any(|k| equals(k, &item) == Some(true)) {
            kept.push(item);
        }
    }
    Ok(Value::List(kept))
}

/// The elements of a `list(any)` parameter: a list, tuple or set converted to one element type.
fn unified_elements(value: &Value) -> Result<Vec<Value>, String> {
    let items = elements(value, "list")?;
    unify(items).ok_or_else(|| "all elements must have the same type".into())
}

/// `chunklist(list, size)`: consecutive chunks of `size`; size 0 gives the whole list as one chunk.
pub(super) fn chunklist(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 2, Some(2))? {
        return Ok(unknown);
    }
    let items = unified_elements(&args[0])?;
    let size = integer(&args[1]).map_err(|e| format!("invalid size: {e}"))?;
    if size < 0 {
        return Err("the size argument must be positive".into());
    }
    if items.is_empty() {
        return Ok(Value::List(Vec::new()));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    if size == 0 {
        return Ok(Value::List(vec![Value::List(items)]));
    }
    Ok(Value::List(items.chunks(size).map(|chunk| Value::List(chunk.to_vec())).collect()))
}

/// `flatten(list)`: nested lists, tuples and sets flattened recursively. An unknown element might be a list
/// (our unknowns have no type), and cty makes the result unknown for an element of unknown type.
pub(super) fn flatten(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let items = args[0].as_list().ok_or("can only flatten lists, sets and tuples")?;
    if let Some(unknown) = unknown_in(items) {
        return Ok(unknown);
    }
    let mut flat = Vec::new();
    flatten_into(items, &mut flat);
    Ok(Value::List(flat))
}

fn flatten_into(items: &[Value], flat: &mut Vec<Value>) {
    for item in items {
        match item.as_list() {
            Some(inner) => flatten_into(inner, flat),
            None => flat.push(item.clone()),
        }
    }
}

/// `keys(map)`: the keys in lexical order; known even when the values are not.
pub(super) fn keys(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(1))?;
    reject_null(args)?;
    match &args[0] {
        Value::Unknown(_) => Ok(args[0].clone()),
        Value::Map(entries) => Ok(Value::List(entries.keys().map(Value::string).collect())),
        _ => Err("must have map or object type".into()),
    }
}

/// `values(map)`: the values in the lexical order of their keys.
pub(super) fn values(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    match &args[0] {
        Value::Map(entries) => Ok(Value::List(entries.values().cloned().collect())),
        _ => Err("values() requires a map as the first argument".into()),
    }
}

/// `zipmap(keys, values)`: a map from two lists of the same length; a later duplicate key wins.
pub(super) fn zipmap(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 2, Some(2))? {
        return Ok(unknown);
    }
    let keys = string_elements(&args[0])?;
    let Value::List(values) = &args[1] else {
        return Err("values argument must be a list or tuple value".into());
    };
    if let Some(unknown) = unknown_in(&keys) {
        return Ok(unknown);
    }
    if keys.len() != values.len() {
        return Err(format!("number of keys ({}) does not match number of values ({})", keys.len(), values.len()));
    }
    let mut map = BTreeMap::new();
    for (i, (key, value)) in keys.into_iter().zip(values).enumerate() {
        let Value::String(key) = key else {
            return Err(format!("keys list has null value at index {i}"));
        };
        map.insert(key, value.clone());
    }
    Ok(Value::Map(map))
}

/// `reverse(list)`: a list, tuple or set reversed, as a list.
pub(super) fn reverse(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let items = args[0]
        .as_list()
        .ok_or_else(|| format!("can only reverse list or tuple values, not {}", args[0].type_name()))?;
    Ok(Value::List(items.iter().rev().cloned().collect()))
}

/// `slice(list, start, end)`: elements `start..end`; sets are refused (go-cty `SliceFunc`).
pub(super) fn slice(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 3, Some(3))? {
        return Ok(unknown);
    }
    let items = match &args[0] {
        Value::List(items) => items,
        Value::Set(_) => return Err("cannot slice a set, because its elements do not have indices; explicitly convert to a list if the ordering of the result is not important".into()),
        _ => return Err("must be a list or tuple value".into()),
    };
    let start = integer(&args[1]).map_err(|e| format!("invalid start index: {e}"))?;
    let end = integer(&args[2]).map_err(|e| format!("invalid end index: {e}"))?;
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    if start < 0 {
        return Err("start index must not be less than zero".into());
    }
    if start > len {
        return Err("start index must not be greater than the length of the list".into());
    }
    if end < 0 {
        return Err("end index must not be less than zero".into());
    }
    if end > len {
        return Err("end index must not be greater than the length of the list".into());
    }
    if start > end {
        return Err("start index must not be greater than end index".into());
    }
    let (start, end) = (usize::try_from(start).unwrap_or(0), usize::try_from(end).unwrap_or(0));
    Ok(Value::List(items.get(start..end).unwrap_or_default().to_vec()))
}

/// `index(list, value)`: the first position of the value (terraform `funcs.IndexFunc`).
pub(super) fn index(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 2, Some(2))? {
        return Ok(unknown);
    }
    let Value::List(items) = &args[0] else {
        return Err("argument must be a list or tuple".into());
    };
    if items.is_empty() {
        return Err("cannot search an empty list".into());
    }
    for (i, item) in items.iter().enumerate() {
        match equals(item, &args[1]) {
            Some(true) => return Ok(Value::Number(Decimal::from(i))),
            Some(false) => {}
            None => return Ok(unknown_in([item, &args[1]]).unwrap_or_else(|| item.clone())),
        }
    }
    Err("item not found".into())
}

/// `one(list)`: null for no element, the element for one, an error for more.
pub(super) fn one(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    match args[0].as_list() {
        Some([]) => Ok(Value::Null),
        Some([only]) => Ok(only.clone()),
        _ => Err("must be a list, set, or tuple value with either zero or one elements".into()),
    }
}

/// `alltrue(list)`: true when every element is true; a null element makes it false (terraform `AllTrueFunc`).
pub(super) fn alltrue(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    for item in elements(&args[0], "list of bool")? {
        match item {
            Value::Unknown(_) => return Ok(item.clone()),
            Value::Null => return Ok(Value::Bool(false)),
            other if !boolean(other)? => return Ok(Value::Bool(false)),
            _ => {}
        }
    }
    Ok(Value::Bool(true))
}

/// `anytrue(list)`: true when any element is true; unknown when none is and one is unknown.
pub(super) fn anytrue(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let mut undecided = None;
    for item in elements(&args[0], "list of bool")? {
        match item {
            Value::Unknown(_) => undecided = undecided.or_else(|| Some(item.clone())),
            Value::Null => {}
            other if boolean(other)? => return Ok(Value::Bool(true)),
            _ => {}
        }
    }
    Ok(undecided.unwrap_or(Value::Bool(false)))
}

/// `sort(list)`: strings in lexical (byte) order; numbers are converted to strings first, so `sort([10, 9])` is
/// `["10", "9"]` (go-cty `SortFunc`). With an unknown element, every position is unknown but the length is not.
pub(super) fn sort(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(1))?;
    reject_null(args)?;
    if args[0].is_unknown() {
        return Ok(args[0].clone());
    }
    let items = string_elements(&args[0])?;
    if let Some(unknown) = unknown_in(&items) {
        // cty refines the unknown result with the list's length; a list of that many unknowns keeps it.
        return Ok(Value::List(vec![unknown; items.len()]));
    }
    let mut texts = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Value::String(s) => texts.push(s),
            _ => return Err(format!("given list element {i} is null; a null string cannot be sorted")),
        }
    }
    texts.sort();
    Ok(Value::List(texts.into_iter().map(Value::String).collect()))
}

/// `matchkeys(values, keys, searchset)`: the values whose key (same position) is in the search set (terraform
/// `funcs.MatchkeysFunc`, including its answer of an empty list when a search element is unknown).
pub(super) fn matchkeys(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 3, Some(3))? {
        return Ok(unknown);
    }
    let values = unified_elements(&args[0])?;
    let keys = elements(&args[1], "list")?;
    let search = elements(&args[2], "list")?;
    if values.len() != keys.len() {
        return Err("length of keys and values should be equal".into());
    }
    let both: Vec<Value> = keys.iter().chain(search).cloned().collect();
    let both = unify(&both).ok_or("keys and searchset must be of the same type")?;
    let (keys, search) = both.split_at(keys.len());
    if search.is_empty() {
        return Ok(Value::List(Vec::new()));
    }
    if let Some(unknown) = unknown_in(values.iter().chain(keys)) {
        return Ok(unknown);
    }
    let mut out = Vec::new();
    for (key, value) in keys.iter().zip(values) {
        for candidate in search {
            match equals(key, candidate) {
                None => return Ok(Value::List(Vec::new())),
                Some(true) => {
                    out.push(value);
                    break;
                }
                Some(false) => {}
            }
        }
    }
    Ok(Value::List(out))
}

/// `transpose(map)`: a map of lists of strings turned inside out; each new list is sorted.
pub(super) fn transpose(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let Value::Map(entries) = &args[0] else {
        return Err(format!("map of list of string required, but received {}", args[0].type_name()));
    };
    if let Some(unknown) = unknown_in(entries.values()) {
        return Ok(unknown);
    }
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, list) in entries {
        if matches!(list, Value::Null) {
            return Err("input must not contain null list".into());
        }
        for item in string_elements(list)? {
            let Value::String(item) = item else {
                return Err("input list must not contain null string".into());
            };
            out.entry(item).or_default().push(key.clone());
        }
    }
    Ok(Value::Map(
        out.into_iter()
            .map(|(k, mut keys)| {
                keys.sort();
                (k, Value::List(keys.into_iter().map(Value::String).collect()))
            })
            .collect(),
    ))
}
