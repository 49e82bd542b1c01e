//! The values HCL expressions evaluate to, as terraform's type system sees them, with unknowns kept symbolic.

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt;

/// Why a value is not known before apply (or not known to ptlint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// An attribute of a managed resource, data source or module output that only apply (or a registry
    /// module ptlint does not fetch) would give: `address` is absolute (`module.m["k"].aws_x.y[0]`).
    Ref { address: String, attribute: Option<String> },
    /// Anything else ptlint cannot evaluate, described for the user.
    Reason(String),
    /// A string template around values not known yet: its known text is kept, so that what matters in it
    /// (the model ID after `foundation-model/` in an ARN whose account is unknown) can still be read.
    /// Only templates and plain references pass it on; anything that computes with it sees [`Unknown::plain`].
    Partial(Vec<Piece>),
}

/// A part of a [`Unknown::Partial`] string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// A value not known yet: the interpolation as written (`data.aws_caller_identity.current.account_id`),
    /// and why it is unknown.
    Hole {
        written: String,
        why: Unknown,
    },
}

impl Unknown {
    /// The unknown without known parts: a partial string is as unknown as its first missing piece, for
    /// everything that computes with the value (functions, operators, conditions, keys, attributes).
    pub fn plain(&self) -> Unknown {
        match self {
            Unknown::Partial(pieces) => pieces
                .iter()
                .find_map(|p| match p {
                    Piece::Hole { why, .. } => Some(why.plain()),
                    Piece::Text(_) => None,
                })
                .unwrap_or_else(|| Unknown::Reason("a partly known string".into())),
            other => other.clone(),
        }
    }

    /// A partial string's text with each missing piece written `${...}`, as in the configuration.
    pub fn partial_text(&self) -> Option<String> {
        let Unknown::Partial(pieces) = self else { return None };
        Some(
            pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(text) => text.clone(),
                    // A placeholder never holds a `:` or `}`, so an ARN around it still splits into its fields.
                    Piece::Hole { written, .. } if !written.contains([':', '{', '}']) => format!("${{{written}}}"),
                    Piece::Hole { .. } => "${?}".to_string(),
                })
                .collect(),
        )
    }
}

/// A terraform value. Maps and objects share one shape (keys sorted, as terraform iterates them); lists and
/// tuples share another; sets are kept sorted and without duplicates.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Decimal),
    String(String),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Unknown(Unknown),
}

impl Value {
    pub fn unknown(reason: impl Into<String>) -> Value {
        Value::Unknown(Unknown::Reason(reason.into()))
    }

    pub fn string(text: impl Into<String>) -> Value {
        Value::String(text.into())
    }

    /// A set from any values: sorted as cty orders set elements and without duplicates.
    pub fn set(mut items: Vec<Value>) -> Value {
        items.sort_by(Value::set_order);
        items.dedup();
        Value::Set(items)
    }

    /// cty's order of set elements (`setRules.Less` in `cty/set_internals.go`): strings lexically, numbers by value,
    /// false before true, nulls then unknowns after known values. Collections have no defined order in cty; they are
    /// ordered here by their JSON text, so equal ones end up side by side.
    fn set_order(a: &Value, b: &Value) -> std::cmp::Ordering {
        fn rank(value: &Value) -> u8 {
            match value {
                Value::Bool(_) => 0,
                Value::Number(_) => 1,
                Value::String(_) => 2,
                Value::List(_) | Value::Set(_) | Value::Map(_) => 3,
                Value::Null => 4,
                Value::Unknown(_) => 5,
            }
        }
        match (a, b) {
            (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
            (Value::Number(x), Value::Number(y)) => x.cmp(y),
            (Value::String(x), Value::String(y)) => x.cmp(y),
            _ if rank(a) == 3 && rank(b) == 3 => a.to_json().to_string().cmp(&b.to_json().to_string()),
            _ => rank(a).cmp(&rank(b)),
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    /// Whether this value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match self {
            Value::Unknown(_) => true,
            Value::List(items) | Value::Set(items) => items.iter().any(Value::contains_unknown),
            Value::Map(entries) => entries.values().any(Value::contains_unknown),
            _ => false,
        }
    }

    /// The first unknown inside this value, if any (a partial string as it is: see [`Unknown::plain`]).
    pub fn first_unknown(&self) -> Option<&Unknown> {
        match self {
            Value::Unknown(u) => Some(u),
            Value::List(items) | Value::Set(items) => items.iter().find_map(Value::first_unknown),
            Value::Map(entries) => entries.values().find_map(Value::first_unknown),
            _ => None,
        }
    }

    /// The value with every partial string made plainly unknown, for what computes with it.
    pub fn without_partials(self) -> Value {
        match self {
            Value::Unknown(u @ Unknown::Partial(_)) => Value::Unknown(u.plain()),
            Value::List(items) => Value::List(items.into_iter().map(Value::without_partials).collect()),
            Value::Set(items) => Value::Set(items.into_iter().map(Value::without_partials).collect()),
            Value::Map(entries) => Value::Map(entries.into_iter().map(|(k, v)| (k, v.without_partials())).collect()),
            other => other,
        }
    }

    /// Terraform's name for the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Map(_) => "map",
            Value::Unknown(_) => "unknown",
        }
    }

    /// A primitive as a string, the way terraform converts it in templates and `tostring`:
    /// numbers without trailing zeros, booleans as `true`/`false`. `None` for null, collections and unknowns.
    pub fn to_template_string(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(format_number(*n)),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A number, converting numeric strings as terraform does.
    pub fn to_number(&self) -> Option<Decimal> {
        match self {
            Value::Number(n) => Some(*n),
            Value::String(s) => parse_number(s),
            _ => None,
        }
    }

    /// A bool, converting `"true"`/`"false"` as terraform does.
    pub fn to_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// The elements of a list, tuple or set.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) | Value::Set(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// Plain JSON (unknowns become null), for `jsonencode` and for tests.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null | Value::Unknown(_) => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str(&format_number(*n)).unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) | Value::Set(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json).collect())
            }
            Value::Map(entries) => {
                serde_json::Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }

    /// From plain JSON (`.tfvars.json`, `jsondecode`); numbers that do not fit a decimal become unknown.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => parse_number(&n.to_string())
                .map_or_else(|| Value::unknown(format!("number {n} out of range")), Value::Number),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => Value::List(items.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(entries) => {
                Value::Map(entries.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
            }
        }
    }
}

/// Parse a number as terraform reads one from a string (`"2"`, `"1.5"`, `"1e3"`), exactly.
pub fn parse_number(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    text.parse::<Decimal>().ok().or_else(|| Decimal::from_scientific(text).ok())
}

/// Format a number as terraform prints it: `2`, `1.5`, never `2.0`.
pub fn format_number(n: Decimal) -> String {
    n.normalize().to_string()
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Unknown(Unknown::Ref { address, attribute: Some(attr) }) => write!(f, "{address}.{attr}"),
            Value::Unknown(Unknown::Ref { address, attribute: None }) => write!(f, "{address}"),
            Value::Unknown(Unknown::Reason(why)) => write!(f, "<{why}>"),
            Value::Unknown(partial @ Unknown::Partial(_)) => f.write_str(&partial.partial_text().unwrap_or_default()),
            Value::Null => f.write_str("null"),
            other => match other.to_template_string() {
                Some(text) => f.write_str(&text),
                None => f.write_str(&other.to_json().to_string()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_terraform_prints_them() {
        assert_eq!(format_number(Decimal::new(20, 1)), "2");
        assert_eq!(format_number(Decimal::new(15, 1)), "1.5");
        assert_eq!(parse_number("1e3"), Some(Decimal::from(1000)));
        assert_eq!(parse_number(" 7 "), Some(Decimal::from(7)));
        assert_eq!(parse_number("seven"), None);
    }

    #[test]
    fn sets_are_sorted_and_unique() {
        let set = Value::set(vec![Value::string("b"), Value::string("a"), Value::string("b")]);
        assert_eq!(set, Value::Set(vec![Value::string("a"), Value::string("b")]));
        let number = |text: &str| Value::Number(text.parse().unwrap_or_default());
        let numbers = Value::set(vec![number("10"), number("1.5"), number("-2"), number("-10"), number("1.50")]);
        assert_eq!(numbers, Value::Set(vec![number("-10"), number("-2"), number("1.5"), number("10")]));
        let lists = Value::set(vec![
            Value::List(vec![Value::string("x")]),
            Value::List(vec![]),
            Value::List(vec![Value::string("x")]),
        ]);
        assert_eq!(lists.as_list().map(<[Value]>::len), Some(2));
    }
}
