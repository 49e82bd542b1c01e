//! Reading into a value: `.name`, `[index]`, and the pairs a `for` iterates. An unknown value read into stays
//! unknown, its reference one step longer (`x.arn` -> `x.arn[0]`).

use super::value::{Unknown, Value};
use rust_decimal::Decimal;

/// The (key, value) pairs a `for` expression iterates: index/element for lists, key/value for maps,
/// element/element for sets.
pub fn iterate(collection: &Value) -> Result<Vec<(Value, Value)>, String> {
    match collection {
        Value::List(items) => {
            Ok(items.iter().enumerate().map(|(i, v)| (Value::Number(Decimal::from(i)), v.clone())).collect())
        }
        Value::Set(items) => Ok(items.iter().map(|v| (v.clone(), v.clone())).collect()),
        Value::Map(entries) => Ok(entries.iter().map(|(k, v)| (Value::String(k.clone()), v.clone())).collect()),
        Value::Null => Err("cannot iterate over null".into()),
        other => Err(format!("cannot iterate over a {}", other.type_name())),
    }
}

/// `value.name`.
pub fn get_attr(value: Value, name: &str) -> Result<Value, String> {
    match value {
        Value::Map(mut entries) => entries.remove(name).ok_or_else(|| format!("no attribute `{name}`")),
        Value::Unknown(unknown) => Ok(Value::Unknown(extend(unknown, &format!(".{name}")))),
        Value::Null => Err(format!("cannot read `{name}` of null")),
        other => Err(format!("a {} has no attribute `{name}`", other.type_name())),
    }
}

/// `value[index]`.
pub fn get_index(value: Value, index: &Value) -> Result<Value, String> {
    if let Value::Unknown(u) = index {
        return Ok(match value {
            Value::Unknown(_) | Value::List(_) | Value::Set(_) | Value::Map(_) => Value::Unknown(u.plain()),
            _ => return Err("cannot index a primitive value".into()),
        });
    }
    match value {
        Value::List(mut items) => {
            let i = index.to_number().ok_or("a list index must be a number")?;
            let i = usize::try_from(i.trunc().mantissa()).ok().filter(|_| i.scale() == 0 || i.fract().is_zero());
            match i {
                Some(i) if i < items.len() => Ok(items.swap_remove(i)),
                _ => Err(format!("index {index} is out of range for a list of {}", items.len())),
            }
        }
        Value::Map(mut entries) => {
            let key = index.to_template_string().ok_or("a map key must be a string")?;
            entries.remove(&key).ok_or_else(|| format!("no key `{key}`"))
        }
        Value::Unknown(unknown) => {
            let text = match index {
                Value::String(s) => format!("[{}]", serde_json::Value::String(s.clone())),
                other => format!("[{other}]"),
            };
            Ok(Value::Unknown(extend(unknown, &text)))
        }
        Value::Set(_) => Err("elements of a set cannot be accessed by index".into()),
        Value::Null => Err("cannot index null".into()),
        other => Err(format!("cannot index a {}", other.type_name())),
    }
}

/// An unknown reference with one more step of traversal (`x.arn` -> `x.arn[0]`).
fn extend(unknown: Unknown, step: &str) -> Unknown {
    match unknown {
        Unknown::Ref { address, attribute } => {
            let attribute = match attribute {
                Some(attr) => format!("{attr}{step}"),
                None => step.trim_start_matches('.').to_string(),
            };
            Unknown::Ref { address, attribute: Some(attribute) }
        }
        other => other.plain(),
    }
}
