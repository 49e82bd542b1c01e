//! Set algebra: `setunion`, `setintersection`, `setsubtract` (go-cty `stdlib/set.go`). Lists and tuples convert to
//! sets, and every element is converted to the sets' common type before comparing.

use super::convert::unify;
use super::{equals, strict, unknown_in};
use crate::source::hcl::value::Value;

/// The arguments as sets of one common element type, each a vector of its (sorted, unique) elements.
fn unified_sets(args: &[Value]) -> Result<Vec<Vec<Value>>, String> {
    let mut sets = Vec::with_capacity(args.len());
    for arg in args {
        let items = arg.as_list().ok_or_else(|| format!("set required, but received {}", arg.type_name()))?;
        // As sets, so that unification takes all their elements together (a set has one element type).
        sets.push(Value::set(items.to_vec()));
    }
    let unified = unify(&sets).ok_or("given sets must all have compatible element types")?;
    Ok(unified
        .into_iter()
        .map(|set| match Value::set(set.as_list().map(<[Value]>::to_vec).unwrap_or_default()) {
            Value::Set(items) => items,
            _ => Vec::new(),
        })
        .collect())
}

fn holds(set: &[Value], item: &Value) -> bool {
    set.iter().any(|member| equals(member, item) == Some(true))
}

/// `setunion(sets...)`: every element of any set; unknown elements are kept.
pub(super) fn setunion(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, None)? {
        return Ok(unknown);
    }
    Ok(Value::set(unified_sets(args)?.into_iter().flatten().collect()))
}

/// `setintersection(sets...)`: the elements in every set; unknown when an element is unknown, since it could
/// equal any other (go-cty passes `allowUnknowns: false`).
pub(super) fn setintersection(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, None)? {
        return Ok(unknown);
    }
    let sets = unified_sets(args)?;
    if let Some(unknown) = unknown_in(sets.iter().flatten()) {
        return Ok(unknown);
    }
    let mut sets = sets.into_iter();
    let first = sets.next().unwrap_or_default();
    let rest: Vec<Vec<Value>> = sets.collect();
    Ok(Value::set(first.into_iter().filter(|item| rest.iter().all(|set| holds(set, item))).collect()))
}

/// `setsubtract(a, b)`: the elements of `a` not in `b`; unknown when an element is unknown.
pub(super) fn setsubtract(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 2, Some(2))? {
        return Ok(unknown);
    }
    let sets = unified_sets(args)?;
    if let Some(unknown) = unknown_in(sets.iter().flatten()) {
        return Ok(unknown);
    }
    let (first, second) = match sets.as_slice() {
        [first, second] => (first, second),
        _ => return Err("setsubtract takes two sets".into()),
    };
    Ok(Value::set(first.iter().filter(|item| !holds(second, item)).cloned().collect()))
}

/// Products larger than this are left unknown rather than built.
const MAX_PRODUCT: usize = 64 * 1024;

/// `setproduct(sets...)`: every combination of one element from each argument, in order; a list of lists when
/// every argument is a list, otherwise a set.
pub(super) fn setproduct(args: &[Value]) -> Result<Value, String> {
    if args.len() < 2 {
        return Err("at least two arguments are required".into());
    }
    if let Some(unknown) = strict(args, 2, None)? {
        return Ok(unknown);
    }
    let mut columns = Vec::with_capacity(args.len());
    for arg in args {
        let items = arg.as_list().ok_or("a set or a list is required")?;
        columns.push(unify(items).ok_or("all elements must be of the same type")?);
    }
    let total = columns.iter().try_fold(1usize, |total, column| total.checked_mul(column.len()));
    if total.is_none_or(|total| total > MAX_PRODUCT) {
        return Ok(super::beyond_ptlint("setproduct() result is larger than ptlint builds"));
    }
    let mut rows: Vec<Vec<Value>> = vec![Vec::new()];
    for column in &columns {
        rows = rows
            .into_iter()
            .flat_map(|row| {
                column.iter().map(move |item| {
                    let mut next = row.clone();
                    next.push(item.clone());
                    next
                })
            })
            .collect();
    }
    let rows: Vec<Value> = rows.into_iter().map(Value::List).collect();
    if args.iter().all(|arg| matches!(arg, Value::List(_))) {
        Ok(Value::List(rows))
    } else {
        Ok(Value::set(rows))
    }
}
