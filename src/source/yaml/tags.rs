//! Scalar typing by tag: YAML 1.2 core-schema resolution and CloudFormation short-form (`!Ref`, ...) tags.

use yaml_rust2::parser::Tag;
use yaml_rust2::scanner::TScalarStyle;

use crate::source::node::Value;

/// YAML 1.1 resolution of an untagged plain scalar, as PyYAML's `SafeLoader` (cfn-lint) and CloudFormation read
/// it: `yes`/`on` are booleans, `010` is octal 8, `0b11` is 3, `1:30` is 90 (base 60), `_` separates digits.
/// Numbers are kept as decimal text (`010` becomes `8`), so whoever reads them later sees the value
/// CloudFormation would, not the digits as written.
fn resolve_plain(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Some(Value::Null),
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(Value::Bool(false)),
        // Every number starts with a digit, a sign or a dot (`.5`, `.inf`, `.nan`): most strings are not asked.
        _ if !text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.')) => None,
        _ => int_value(text).or_else(|| float_value(text)).map(Value::Number),
    }
}

/// The decimal text of a YAML 1.1 integer (PyYAML's `int` resolver and constructor), or `None` if `text` is not one.
///
/// Forms: `[-+]?0b[01_]+`, `[-+]?0[0-7_]+` (octal), `[-+]?(0|[1-9][0-9_]*)`, `[-+]?0x[0-9a-fA-F_]+`, and
/// base 60 `[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`. A value too large for 128 bits keeps its digits as written.
fn int_value(text: &str) -> Option<String> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let digits_in = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c == '_' || c.is_digit(radix));
    let parse = |s: &str, radix: u32| u128::from_str_radix(&s.replace('_', ""), radix).ok();
    let magnitude = if let Some(binary) = unsigned.strip_prefix("0b") {
        digits_in(binary, 2).then(|| parse(binary, 2))?
    } else if let Some(hex) = unsigned.strip_prefix("0x") {
        digits_in(hex, 16).then(|| parse(hex, 16))?
    } else if unsigned == "0" {
        Some(0)
    } else if let Some(octal) = unsigned.strip_prefix('0') {
        digits_in(octal, 8).then(|| parse(octal, 8))?
    } else if unsigned.contains(':') {
        let mut parts = unsigned.split(':');
        let first = parts.next()?;
        if !first.starts_with(|c: char| c.is_ascii_digit()) || !digits_in(first, 10) {
            return None;
        }
        let mut total = parse(first, 10);
        for part in parts {
            if !sexagesimal_digit(part) {
                return None;
            }
            total = total.and_then(|t| t.checked_mul(60)?.checked_add(part.parse().ok()?));
        }
        total
    } else {
        if !unsigned.starts_with(|c: char| c.is_ascii_digit()) || !digits_in(unsigned, 10) {
            return None;
        }
        parse(unsigned, 10)
    };
    Some(match magnitude {
        Some(0) => "0".to_string(),
        Some(n) if negative => format!("-{n}"),
        Some(n) => n.to_string(),
        None => text.replace('_', ""),
    })
}

/// One `:[0-5]?[0-9]` part of a base 60 number (after the colon).
fn sexagesimal_digit(part: &str) -> bool {
    match part.as_bytes() {
        [d] => d.is_ascii_digit(),
        [t, d] => (b'0'..=b'5').contains(t) && d.is_ascii_digit(),
        _ => false,
    }
}

/// The text of a YAML 1.1 float (PyYAML's `float` resolver), or `None` if `text` is not one.
///
/// Forms: `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?`, `\.[0-9][0-9_]*([eE][-+][0-9]+)?`, base 60
/// `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*`, `[-+]?.inf` and `.nan`. The exponent needs its sign: `1e3` and
/// `1.5e3` are strings in YAML 1.1. Underscores are dropped and a bare `.` completed (`1.` is `1.0`), so the text
/// is an ordinary decimal.
fn float_value(text: &str) -> Option<String> {
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(text.to_string());
    }
    let (sign, unsigned) = match text.as_bytes().first()? {
        b'-' => ("-", &text[1..]),
        b'+' => ("", &text[1..]),
        _ => ("", text),
    };
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Some(text.to_string());
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(e) => (&unsigned[..e], Some(&unsigned[e + 1..])),
        None => (unsigned, None),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        e.strip_prefix(['-', '+'])
            .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
    });
    let (whole, fraction) = mantissa.split_once('.')?;
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if !exponent_ok || !digits(fraction) {
        return None;
    }
    let fraction = fraction.replace('_', "");
    if whole.contains(':') {
        // Base 60 takes no exponent, and its first part starts with a digit.
        let mut parts = whole.split(':');
        let first = parts.next()?;
        if exponent.is_some() || !first.starts_with(|c: char| c.is_ascii_digit()) || !digits(first) {
            return None;
        }
        let mut total: f64 = first.replace('_', "").parse().ok()?;
        for part in parts {
            if !sexagesimal_digit(part) {
                return None;
            }
            total = total * 60.0 + part.parse::<f64>().ok()?;
        }
        let fraction: f64 = format!("0.{fraction}0").parse().ok()?;
        return Some(format!("{sign}{:?}", total + fraction));
    }
    let signed = text.starts_with(['-', '+']);
    if whole.is_empty() && (fraction.is_empty() || signed || !mantissa[1..].starts_with(|c: char| c.is_ascii_digit())) {
        // `.` alone is not a number, and `.5` takes no sign in PyYAML's resolver.
        return None;
    }
    if !whole.is_empty() && (!whole.starts_with(|c: char| c.is_ascii_digit()) || !digits(whole)) {
        return None;
    }
    let whole = if whole.is_empty() { "0".to_string() } else { whole.replace('_', "") };
    let fraction = if fraction.is_empty() { "0".to_string() } else { fraction };
    let exponent = exponent.map(|e| format!("e{e}")).unwrap_or_default();
    Some(format!("{sign}{whole}.{fraction}{exponent}"))
}

/// What a tag asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum TagKind {
    None,
    /// `!` alone: the scalar is a string, whatever it looks like.
    NonSpecific,
    Str,
    Int,
    Float,
    Bool,
    Null,
    /// `!!merge`: the key is a merge key (`<<`) whatever it says.
    Merge,
    /// A CloudFormation short form, wrapped as `{key: value}`.
    Cfn {
        key: &'static str,
        get_att: bool,
    },
}

const CFN_FUNCTIONS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("If", "Fn::If"),
    ("Select", "Fn::Select"),
    ("FindInMap", "Fn::FindInMap"),
    ("Split", "Fn::Split"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("GetAZs", "Fn::GetAZs"),
    ("Cidr", "Fn::Cidr"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("Equals", "Fn::Equals"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
];

pub(super) fn classify(tag: Option<&Tag>) -> TagKind {
    const CORE: &str = "tag:yaml.org,2002:";
    let Some(tag) = tag else { return TagKind::None };
    let core = if tag.handle == CORE {
        Some(tag.suffix.as_str())
    } else if tag.handle.is_empty() {
        tag.suffix.strip_prefix(CORE)
    } else {
        None
    };
    match core {
        Some("str") => TagKind::Str,
        Some("int") => TagKind::Int,
        Some("float") => TagKind::Float,
        Some("bool") => TagKind::Bool,
        Some("null") => TagKind::Null,
        Some("merge") => TagKind::Merge,
        Some(_) => TagKind::None,
        None if tag.handle == "!" => cfn_function(&tag.suffix),
        None if tag.handle.is_empty() && tag.suffix == "!" => TagKind::NonSpecific,
        // `!<!Ref>` is the verbatim spelling of `!Ref`.
        None if tag.handle.is_empty() => tag.suffix.strip_prefix('!').map_or(TagKind::None, cfn_function),
        None => TagKind::None,
    }
}

/// The CloudFormation short form named `short` (`Ref`, `GetAtt`, ...), if it is one.
fn cfn_function(short: &str) -> TagKind {
    CFN_FUNCTIONS
        .iter()
        .find(|(name, _)| *name == short)
        .map_or(TagKind::None, |&(name, key)| TagKind::Cfn { key, get_att: name == "GetAtt" })
}

/// The value of a scalar given its tag; plain untagged scalars go through the core schema. The text is given back
/// when the value is not the text itself (a number, boolean or null), for a caller that needs it as written.
pub(super) fn scalar_value(text: String, style: TScalarStyle, tag: TagKind) -> (Value, Option<String>) {
    let typed = match tag {
        TagKind::Str | TagKind::NonSpecific | TagKind::Merge => None,
        TagKind::Null => Some(Value::Null),
        TagKind::Int => int_value(&text).map(Value::Number),
        // `!!float 2` is the float 2.0.
        TagKind::Float => float_value(&text).or_else(|| int_value(&text).map(|i| format!("{i}.0"))).map(Value::Number),
        TagKind::Bool => match resolve_plain(&text) {
            Some(Value::Bool(b)) => Some(Value::Bool(b)),
            _ => None,
        },
        TagKind::None | TagKind::Cfn { .. } if style == TScalarStyle::Plain => resolve_plain(&text),
        TagKind::None | TagKind::Cfn { .. } => None,
    };
    match typed {
        Some(value) => (value, Some(text)),
        None => (Value::String(text), None),
    }
}
