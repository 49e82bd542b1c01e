//! Variable type constraints (`string`, `map(object({ a = optional(number, 1) }))`, ...) and terraform's conversions.

use super::value::Value;
use hcl_edit::expr::{Expression, ObjectKey};
use std::collections::BTreeMap;

/// A type constraint as written in a `variable` block.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    /// Attributes with their type and, for `optional(...)`, the default (`Some(None)`: optional without default).
    Object(BTreeMap<String, (Type, Option<Option<Value>>)>),
}

/// Read a type expression. `default_of` evaluates the literal default of `optional(type, default)`.
pub fn parse_type(expr: &Expression, default_of: &dyn Fn(&Expression) -> Value) -> Result<Type, String> {
    match expr {
        Expression::Variable(name) => match name.as_str() {
            "any" => Ok(Type::Any),
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "bool" => Ok(Type::Bool),
            "list" | "set" | "map" => Ok(wrap(name.as_str(), Type::Any)),
            other => Err(format!("unknown type `{other}`")),
        },
        Expression::FuncCall(call) => {
            let name = call.name.name.as_str();
            let args: Vec<&Expression> = call.args.iter().collect();
            match (name, args.as_slice()) {
                ("list" | "set" | "map", [inner]) => Ok(wrap(name, parse_type(inner, default_of)?)),
                ("tuple", [Expression::Array(items)]) => {
                    Ok(Type::Tuple(items.iter().map(|i| parse_type(i, default_of)).collect::<Result<_, _>>()?))
                }
                ("object", [Expression::Object(object)]) => {
                    let mut attributes = BTreeMap::new();
                    for (key, value) in object.iter() {
                        let key = match key {
                            ObjectKey::Ident(ident) => ident.as_str().to_string(),
                            ObjectKey::Expression(Expression::String(s)) => s.as_str().to_string(),
                            _ => return Err("object type attribute names must be identifiers".into()),
                        };
                        attributes.insert(key, attribute_type(value.expr(), default_of)?);
                    }
                    Ok(Type::Object(attributes))
                }
                _ => Err(format!("unsupported type constraint `{name}(...)`")),
            }
        }
        _ => Err("unsupported type constraint".into()),
    }
}

fn attribute_type(
    expr: &Expression,
    default_of: &dyn Fn(&Expression) -> Value,
) -> Result<(Type, Option<Option<Value>>), String> {
    if let Expression::FuncCall(call) = expr {
        if call.name.name.as_str() == "optional" {
            let args: Vec<&Expression> = call.args.iter().collect();
            return match args.as_slice() {
                [inner] => Ok((parse_type(inner, default_of)?, Some(None))),
                [inner, default] => Ok((parse_type(inner, default_of)?, Some(Some(default_of(default))))),
                _ => Err("optional() takes a type and an optional default".into()),
            };
        }
    }
    Ok((parse_type(expr, default_of)?, None))
}

fn wrap(kind: &str, inner: Type) -> Type {
    match kind {
        "list" => Type::List(Box::new(inner)),
        "set" => Type::Set(Box::new(inner)),
        _ => Type::Map(Box::new(inner)),
    }
}

/// Convert a value to a type as terraform does for variables: primitives convert between string, number and
/// bool, objects gain their optional attributes (defaults filled in), collections convert element-wise.
pub fn convert(value: Value, ty: &Type) -> Result<Value, String> {
    if matches!(value, Value::Unknown(_) | Value::Null) || matches!(ty, Type::Any) {
        return Ok(value);
    }
    match ty {
        Type::Any => Ok(value),
        Type::String => match value.to_template_string() {
            Some(text) => Ok(Value::String(text)),
            None => Err(format!("a string is required, not a {}", value.type_name())),
        },
        Type::Number => {
            value.to_number().map(Value::Number).ok_or_else(|| format!("a number is required, not `{value}`"))
        }
        Type::Bool => value.to_bool().map(Value::Bool).ok_or_else(|| format!("a bool is required, not `{value}`")),
        Type::List(inner) | Type::Set(inner) => {
            let items = match value {
                Value::List(items) | Value::Set(items) => items,
                other => return Err(format!("a list is required, not a {}", other.type_name())),
            };
            let items = items.into_iter().map(|i| convert(i, inner)).collect::<Result<Vec<_>, _>>()?;
            Ok(if matches!(ty, Type::Set(_)) { Value::set(items) } else { Value::List(items) })
        }
        Type::Tuple(types) => match value {
            Value::List(items) if items.len() == types.len() => {
                Ok(Value::List(items.into_iter().zip(types).map(|(i, t)| convert(i, t)).collect::<Result<_, _>>()?))
            }
            other => Err(format!("a tuple of {} elements is required, not `{other}`", types.len())),
        },
        Type::Map(inner) => match value {
            Value::Map(entries) => Ok(Value::Map(
                entries.into_iter().map(|(k, v)| Ok((k, convert(v, inner)?))).collect::<Result<_, String>>()?,
            )),
            other => Err(format!("a map is required, not a {}", other.type_name())),
        },
        Type::Object(attributes) => {
            let Value::Map(mut entries) = value else {
                return Err(format!("an object is required, not a {}", value.type_name()));
            };
            let mut out = BTreeMap::new();
            for (name, (attribute_type, optional)) in attributes {
                let converted = match (entries.remove(name), optional) {
                    (Some(Value::Null), Some(Some(default))) => convert(default.clone(), attribute_type)?,
                    (Some(v), _) => convert(v, attribute_type)?,
                    (None, Some(Some(default))) => convert(default.clone(), attribute_type)?,
                    (None, Some(None)) => Value::Null,
                    (None, None) => return Err(format!("attribute `{name}` is required")),
                };
                out.insert(name.clone(), converted);
            }
            // Attributes the type does not declare are dropped, as terraform drops them.
            Ok(Value::Map(out))
        }
    }
}

/// A `TF_VAR_name` value: a string for primitive types, else HCL literal syntax parsed by the caller.
pub fn is_primitive(ty: &Type) -> bool {
    matches!(ty, Type::String | Type::Number | Type::Bool)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn ty(text: &str) -> Type {
        let expr = hcl_edit::parser::parse_expr(text).expect("type parses");
        parse_type(&expr, &|e| match e {
            Expression::Number(n) => Value::Number(n.value().to_string().parse().unwrap_or_default()),
            Expression::String(s) => Value::String(s.as_str().to_string()),
            _ => Value::Null,
        })
        .expect("type")
    }

    #[test]
    fn optional_attributes_get_their_defaults() {
        let t = ty("map(object({ units = optional(number, 1), term = optional(string) }))");
        let input = Value::Map(BTreeMap::from([(
            "a".to_string(),
            Value::Map(BTreeMap::from([("extra".to_string(), Value::Bool(true))])),
        )]));
        let converted = convert(input, &t).expect("converts");
        let expected = Value::Map(BTreeMap::from([(
            "a".to_string(),
            Value::Map(BTreeMap::from([
                ("term".to_string(), Value::Null),
                ("units".to_string(), Value::Number(Decimal::ONE)),
            ])),
        )]));
        assert_eq!(converted, expected);
    }

    #[test]
    fn primitives_convert_and_required_attributes_are_enforced() {
        assert_eq!(convert(Value::string("2"), &Type::Number), Ok(Value::Number(Decimal::TWO)));
        assert_eq!(convert(Value::Number(Decimal::TWO), &Type::String), Ok(Value::string("2")));
        assert!(convert(Value::string("x"), &Type::Number).is_err());
        assert!(convert(Value::Map(BTreeMap::new()), &ty("object({ a = string })")).is_err());
        assert_eq!(
            convert(Value::List(vec![Value::string("b"), Value::string("a")]), &ty("set(string)")),
            Ok(Value::Set(vec![Value::string("a"), Value::string("b")]))
        );
    }
}
