//! Terraform's built-in functions over [`Value`], as go-cty's stdlib and terraform's `internal/lang/funcs` define them.
//!
//! Each function follows cty's call protocol (`cty/function/function.go`): the argument count is checked, a null
//! argument is an error unless the parameter allows null, and an unknown argument makes the whole result unknown
//! unless the parameter allows unknowns (then the function decides, e.g. `length` of a list with unknown elements is
//! known). Before the call HCL converts each argument to its parameter's type, so `upper(5)` is `"5"` and
//! `abs("-2")` is `2`; the helpers here do the same conversions.
//!
//! Our [`Value`] carries no static type: an unknown has no type, and maps and objects share one shape. Where cty's
//! answer depends on a type ptlint does not have, the functions take the answer cty gives for an unknown of unknown
//! type (`cty.DynamicVal`), which is the whole result unknown, and say so in a comment.
//!
//! `tests/terraform/` holds what terraform itself answered for several hundred expressions (known and planned
//! with unknowns); the tests hold ptlint to the same answers, with each known difference listed and explained.

pub mod aws;
mod collections;
mod convert;
mod decode;
mod encoding;
mod format;
mod json;
pub use json::encode_with_placeholders;
mod numbers;
mod numbers_text;
mod partial;
mod plan_time;
mod regex;
mod sets;
mod strings;
#[cfg(test)]
mod tests;

use super::value::{format_number, parse_number, Unknown, Value};
use rust_decimal::Decimal;

/// A function's implementation: the arguments as the caller evaluated them.
type Implementation = fn(&[Value]) -> Result<Value, String>;

/// Call the built-in function `name` with evaluated arguments. `Err` is the error terraform would report;
/// an unknown argument the result depends on gives an unknown result. A terraform function ptlint does not
/// compute ([`NOT_EVALUATED`]) gives an unknown with that reason; a name terraform does not know is
/// `Err("unknown function `name`")`.
pub fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    if let Some(implementation) = lookup(name) {
        if ORDERS_SET_ELEMENTS.contains(&name) {
            if let Some(unknown) = unknown_in(args.iter().filter(|arg| matches!(arg, Value::Set(_)))) {
                return Ok(unknown);
            }
        }
        return implementation(args).map_err(|message| format!("call to function \"{name}\" failed: {message}"));
    }
    if let Some(literal) = removed_literal(name) {
        return Err(format!(
            "the \"{name}\" function was deprecated in Terraform v0.12 and is no longer available; use to{name}({literal}) syntax to write a literal {name}"
        ));
    }
    if NOT_EVALUATED.contains(&name) {
        return Ok(Value::unknown(format!("ptlint does not evaluate {name}()")));
    }
    Err(format!("unknown function `{name}`"))
}

/// Whether `name` may place a partly known string or a reference in its result ([`call_partial`]).
pub fn builds_partial(name: &str) -> bool {
    matches!(name, "format" | "join")
}

/// `format` or `join` around arguments not known yet, as a partly known string (`None`: use [`call`] on the
/// arguments without their partial strings).
pub fn call_partial(name: &str, args: &[Value]) -> Option<Value> {
    partial::call(name, args)
}

/// Functions that turn a set argument into a list or count it. A set holding an unknown has neither a known order
/// nor a known length (the unknown may turn out equal to another element), so for these cty's result is unknown:
/// terraform plans `length(toset([aws_x.y.id, "a"]))` and `tolist(toset(...))` as unknown.
const ORDERS_SET_ELEMENTS: &[&str] = &[
    "alltrue",
    "anytrue",
    "chunklist",
    "compact",
    "distinct",
    "formatlist",
    "join",
    "length",
    "matchkeys",
    "one",
    "reverse",
    "setproduct",
    "sort",
    "tolist",
    "zipmap",
];

/// Terraform's own functions that ptlint does not compute (filesystem, hashing, network, dates): a call is left
/// unknown with that reason, as terraform's result is unknown to ptlint. (The evaluator answers `file`,
/// `fileexists`, `fileset` and `templatefile` itself, with the module directory at hand.)
pub const NOT_EVALUATED: &[&str] = &[
    "abspath",
    "base64gzip",
    "base64sha256",
    "base64sha512",
    "cidrhost",
    "cidrnetmask",
    "cidrsubnet",
    "cidrsubnets",
    "convert",
    "ephemeralasnull",
    "file",
    "filebase64",
    "filebase64sha256",
    "filebase64sha512",
    "fileexists",
    "filemd5",
    "fileset",
    "filesha1",
    "filesha256",
    "filesha512",
    "formatdate",
    "issensitive",
    "log",
    "md5",
    "pathexpand",
    "plantimestamp",
    "rsadecrypt",
    "sha1",
    "sha256",
    "sha512",
    "templatefile",
    "templatestring",
    "textdecodebase64",
    "textencodebase64",
    "timeadd",
    "timecmp",
    "type",
    "uuidv5",
    "yamlencode",
];

/// `list(...)` and `map(...)` were removed in Terraform 0.12; terraform reports this error (terraform
/// `funcs.ListFunc`, `funcs.MapFunc`).
fn removed_literal(name: &str) -> Option<&'static str> {
    match name {
        "list" => Some("[ ... ]"),
        "map" => Some("{ ... }"),
        _ => None,
    }
}

/// Every function [`call`] knows, sorted.
pub const NAMES: &[&str] = &[
    "abs",
    "alltrue",
    "anytrue",
    "base64decode",
    "base64encode",
    "basename",
    "bcrypt",
    "ceil",
    "chomp",
    "chunklist",
    "coalesce",
    "coalescelist",
    "compact",
    "concat",
    "contains",
    "csvdecode",
    "dirname",
    "distinct",
    "element",
    "endswith",
    "flatten",
    "floor",
    "format",
    "formatlist",
    "indent",
    "index",
    "join",
    "jsondecode",
    "jsonencode",
    "keys",
    "length",
    "lookup",
    "lower",
    "matchkeys",
    "max",
    "merge",
    "min",
    "nonsensitive",
    "one",
    "parseint",
    "pow",
    "range",
    "regex",
    "regexall",
    "replace",
    "reverse",
    "sensitive",
    "setintersection",
    "setproduct",
    "setsubtract",
    "setunion",
    "signum",
    "slice",
    "sort",
    "split",
    "startswith",
    "strcontains",
    "strrev",
    "substr",
    "sum",
    "timestamp",
    "title",
    "tobool",
    "tolist",
    "tomap",
    "tonumber",
    "toset",
    "tostring",
    "transpose",
    "trim",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "upper",
    "urlencode",
    "uuid",
    "values",
    "yamldecode",
    "zipmap",
];

/// Whether `name` is a function [`call`] knows.
pub fn exists(name: &str) -> bool {
    lookup(name).is_some()
}

fn lookup(name: &str) -> Option<Implementation> {
    let implementation: Implementation = match name {
        // collections
        "alltrue" => collections::alltrue,
        "anytrue" => collections::anytrue,
        "chunklist" => collections::chunklist,
        "coalescelist" => collections::coalescelist,
        "compact" => collections::compact,
        "concat" => collections::concat,
        "contains" => collections::contains,
        "distinct" => collections::distinct,
        "element" => collections::element,
        "flatten" => collections::flatten,
        "index" => collections::index,
        "keys" => collections::keys,
        "length" => collections::length,
        "lookup" => collections::lookup,
        "matchkeys" => collections::matchkeys,
        "merge" => collections::merge,
        "one" => collections::one,
        "reverse" => collections::reverse,
        "slice" => collections::slice,
        "sort" => collections::sort,
        "transpose" => collections::transpose,
        "values" => collections::values,
        "zipmap" => collections::zipmap,
        "setintersection" => sets::setintersection,
        "setproduct" => sets::setproduct,
        "setsubtract" => sets::setsubtract,
        "setunion" => sets::setunion,
        // conversions
        "coalesce" => convert::coalesce,
        "nonsensitive" => convert::sensitivity,
        "sensitive" => convert::sensitivity,
        "base64decode" => encoding::base64decode,
        "base64encode" => encoding::base64encode,
        "urlencode" => encoding::urlencode,
        "tobool" => convert::tobool,
        "tolist" => convert::tolist,
        "tomap" => convert::tomap,
        "tonumber" => convert::tonumber,
        "toset" => convert::toset,
        "tostring" => convert::tostring,
        "jsondecode" => json::jsondecode,
        "csvdecode" => decode::csvdecode,
        "yamldecode" => decode::yamldecode,
        "basename" => decode::basename,
        "dirname" => decode::dirname,
        "jsonencode" => json::jsonencode,
        // strings
        "endswith" => strings::endswith,
        "format" => format::format,
        "formatlist" => format::formatlist,
        "join" => strings::join,
        "lower" => strings::lower,
        "regex" => regex::regex,
        "regexall" => regex::regexall,
        "replace" => strings::replace,
        "split" => strings::split,
        "startswith" => strings::startswith,
        "strcontains" => strings::strcontains,
        "chomp" => strings::chomp,
        "indent" => strings::indent,
        "strrev" => strings::strrev,
        "substr" => strings::substr,
        "title" => strings::title,
        "trim" => strings::trim,
        "trimprefix" => strings::trimprefix,
        "trimspace" => strings::trimspace,
        "trimsuffix" => strings::trimsuffix,
        "upper" => strings::upper,
        // numbers
        "abs" => numbers::abs,
        "ceil" => numbers::ceil,
        "floor" => numbers::floor,
        "max" => numbers::max,
        "min" => numbers::min,
        "parseint" => numbers::parseint,
        "pow" => numbers::pow,
        "signum" => numbers::signum,
        "range" => numbers::range,
        "sum" => numbers::sum,
        // known only after apply
        "bcrypt" => plan_time::bcrypt,
        "timestamp" => plan_time::timestamp,
        "uuid" => plan_time::uuid,
        _ => return None,
    };
    Some(implementation)
}

/// The argument count check HCL makes before a call (`max: None` for a variadic function).
fn arity(args: &[Value], min: usize, max: Option<usize>) -> Result<(), String> {
    let given = args.len();
    match max {
        Some(max) if given > max && min == max => Err(format!("expects {max} argument(s), got {given}")),
        Some(max) if given > max => Err(format!("expects at most {max} arguments, got {given}")),
        _ if given < min && max == Some(min) => Err(format!("expects {min} argument(s), got {given}")),
        _ if given < min => Err(format!("expects at least {min} argument(s), got {given}")),
        _ => Ok(()),
    }
}

/// cty's protocol for parameters that allow neither null nor unknown: after the count is checked, a null argument
/// is an error and an unknown one is the result (`Some`).
fn strict(args: &[Value], min: usize, max: Option<usize>) -> Result<Option<Value>, String> {
    arity(args, min, max)?;
    reject_null(args)?;
    Ok(args.iter().find(|arg| arg.is_unknown()).cloned())
}

/// A null argument for a parameter that does not allow null.
fn reject_null(args: &[Value]) -> Result<(), String> {
    match args.iter().position(|arg| matches!(arg, Value::Null)) {
        Some(i) => Err(format!("argument {} must not be null", i + 1)),
        None => Ok(()),
    }
}

/// The first unknown anywhere inside `values`, as a value to return.
fn unknown_in<'a>(values: impl IntoIterator<Item = &'a Value>) -> Option<Value> {
    values.into_iter().find_map(Value::first_unknown).map(|unknown| Value::Unknown(unknown.clone()))
}

/// A known, non-null argument converted to a string as HCL converts it for a `string` parameter.
fn string(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(format_number(*n)),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Err("argument must not be null".into()),
        other => Err(format!("string required, but received {}", other.type_name())),
    }
}

/// A known, non-null argument converted to a number as HCL converts it for a `number` parameter.
fn number(value: &Value) -> Result<Decimal, String> {
    match value {
        Value::Number(n) => Ok(*n),
        Value::String(s) => parse_strict_number(s).ok_or_else(|| not_a_number(s)),
        Value::Null => Err("argument must not be null".into()),
        other => Err(format!("number required, but received {}", other.type_name())),
    }
}

/// A number written as a string, as cty parses one (`big.ParseFloat` in base 10): an optional sign, digits with
/// an optional point, an optional exponent; no spaces, no `_` separators.
fn parse_strict_number(text: &str) -> Option<Decimal> {
    if !is_number_syntax(text) {
        return None;
    }
    parse_number(text)
}

fn is_number_syntax(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent.strip_prefix(['+', '-']).unwrap_or(exponent))),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    (!whole.is_empty() || !fraction.is_empty())
        && digits(whole)
        && digits(fraction)
        && exponent.is_none_or(|e| !e.is_empty() && digits(e))
}

/// Why a string is not a number: not one at all, or one too large for exact decimals.
fn not_a_number(text: &str) -> String {
    if is_number_syntax(text) {
        format!("{text:?} is beyond the range of ptlint's exact decimals")
    } else {
        format!("cannot convert {text:?} to number; given string must be a decimal representation of a number")
    }
}

/// A number that must be whole, as gocty converts one into a Go `int`.
fn integer(value: &Value) -> Result<i64, String> {
    let n = number(value)?;
    if !n.fract().is_zero() {
        return Err(format!("value must be a whole number, but got {}", format_number(n)));
    }
    i64::try_from(n).map_err(|_| format!("value must be a whole number between {} and {}", i64::MIN, i64::MAX))
}

/// A known, non-null argument converted to a bool as HCL converts it for a `bool` parameter.
fn boolean(value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        Value::String(s) => {
            Err(format!("cannot convert {s:?} to bool; only the strings \"true\" or \"false\" are allowed"))
        }
        Value::Null => Err("argument must not be null".into()),
        other => Err(format!("bool required, but received {}", other.type_name())),
    }
}

/// The elements of a list, tuple or set argument (a set converts to a list in its order).
fn elements<'a>(value: &'a Value, what: &str) -> Result<&'a [Value], String> {
    value.as_list().ok_or_else(|| format!("{what} required, but received {}", value.type_name()))
}

/// The elements of a `list(string)` argument, each converted to a string; nulls and unknowns are kept as they are.
fn string_elements(value: &Value) -> Result<Vec<Value>, String> {
    elements(value, "list of string")?
        .iter()
        .map(|item| match item {
            Value::Null | Value::Unknown(_) => Ok(item.clone()),
            other => string(other)
                .map(Value::String)
                .map_err(|_| format!("list of string required, but an element is a {}", other.type_name())),
        })
        .collect()
}

/// Terraform's equality (`cty.Value.Equals`): `None` when an unknown decides it. Numbers compare by value,
/// values of different types are never equal.
fn equals(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => None,
        (Value::List(x), Value::List(y)) | (Value::Set(x), Value::Set(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            for (left, right) in x.iter().zip(y) {
                if !equals(left, right)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.len() != y.len() || x.keys().ne(y.keys()) {
                return Some(false);
            }
            for (left, right) in x.values().zip(y.values()) {
                if !equals(left, right)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        _ => Some(a == b),
    }
}

/// An unknown standing for a result ptlint cannot compute although terraform could (a documented limit).
fn beyond_ptlint(why: impl Into<String>) -> Value {
    Value::Unknown(Unknown::Reason(why.into()))
}
