//! The key of one instance of a resource or module call (`[0]`, `["k"]`, or none), as `count` and `for_each`
//! expand it, and the `count` or `each` it binds inside the instance.

use super::scope::{Frame, Scope};
use super::value::{Unknown, Value};
use rust_decimal::Decimal;

/// The key of one instance of a resource or module call.
#[derive(Debug, Clone, PartialEq)]
pub enum InstanceKey {
    /// No `count` or `for_each`.
    Single,
    Index(usize),
    Key(String, Value),
    /// `count` or `for_each` is not known before apply: one instance stands for all, its `count.index`,
    /// `each.key` and `each.value` unknown.
    Unexpanded {
        count: bool,
        why: String,
    },
}

impl InstanceKey {
    /// `[0]`, `["k"]`, or nothing, spelled as terraform spells instance addresses.
    pub fn suffix(&self) -> String {
        match self {
            InstanceKey::Single | InstanceKey::Unexpanded { .. } => String::new(),
            InstanceKey::Index(i) => format!("[{i}]"),
            InstanceKey::Key(k, _) => format!("[{}]", serde_json::Value::String(k.clone())),
        }
    }

    /// The `count` or `each` binding inside the instance.
    pub fn binding(&self) -> Option<(&'static str, Value)> {
        match self {
            InstanceKey::Single => None,
            InstanceKey::Index(i) => {
                Some(("count", Value::Map([("index".to_string(), Value::Number(Decimal::from(*i)))].into())))
            }
            InstanceKey::Key(k, v) => Some((
                "each",
                Value::Map([("key".to_string(), Value::String(k.clone())), ("value".to_string(), v.clone())].into()),
            )),
            InstanceKey::Unexpanded { count: true, why } => {
                Some(("count", Value::Map([("index".to_string(), Value::unknown(why.clone()))].into())))
            }
            InstanceKey::Unexpanded { count: false, why } => Some((
                "each",
                Value::Map(
                    [
                        ("key".to_string(), Value::unknown(why.clone())),
                        ("value".to_string(), Value::unknown(why.clone())),
                    ]
                    .into(),
                ),
            )),
        }
    }
}

/// The one instance that stands for a `count` or `for_each` known only after apply.
pub(super) fn unexpanded(count: bool, unknown: &Unknown) -> InstanceKey {
    let what = if count { "count" } else { "for_each" };
    let why = match &unknown.plain() {
        Unknown::Ref { address, attribute } => {
            let attribute = attribute.as_deref().map(|a| format!(".{a}")).unwrap_or_default();
            format!("{what} depends on {address}{attribute}, known only after apply")
        }
        Unknown::Reason(why) => format!("{what} is not known: {why}"),
        Unknown::Partial(_) => format!("{what} is not known"),
    };
    InstanceKey::Unexpanded { count, why }
}

/// Run `f` in a scope where `count` or `each` is bound, if the instance has one.
pub fn with_binding<T>(binding: Option<(&str, Value)>, parent: Scope<'_>, f: impl FnOnce(Scope<'_>) -> T) -> T {
    match binding {
        Some((name, value)) => {
            let frame = Frame::new(name, value, parent);
            f(frame.scope())
        }
        None => f(parent),
    }
}

/// Run `f` in a scope with several names bound (a `dynamic` block's iterator inside an instance).
pub fn with_bindings<T>(bindings: &[(String, Value)], parent: Scope<'_>, f: impl FnOnce(Scope<'_>) -> T) -> T {
    match bindings.split_first() {
        Some(((name, value), rest)) => {
            let frame = Frame::new(name.clone(), value.clone(), parent);
            with_bindings(rest, frame.scope(), f)
        }
        None => f(parent),
    }
}
