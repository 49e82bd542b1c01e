//! Scalar typing by tag: YAML 1.2 core-schema resolution and CloudFormation short-form (`!Ref`, ...) tags.

use yaml_rust2::parser::Tag;
use yaml_rust2::scanner::TScalarStyle;

use crate::source::node::Value;

/// YAML 1.2 core-schema resolution of an untagged plain scalar.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ if is_int(text) || is_float(text) => Value::Number(text.to_string()),
        _ => Value::String(text.to_string()),
    }
}

fn is_int(text: &str) -> bool {
    let all = |s: &str, f: fn(&u8) -> bool| !s.is_empty() && s.as_bytes().iter().all(f);
    if let Some(hex) = text.strip_prefix("0x") {
        return all(hex, u8::is_ascii_hexdigit);
    }
    if let Some(octal) = text.strip_prefix("0o") {
        return all(octal, |b| (b'0'..=b'7').contains(b));
    }
    all(text.strip_prefix(['-', '+']).unwrap_or(text), u8::is_ascii_digit)
}

fn is_float(text: &str) -> bool {
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(e) => (&unsigned[..e], Some(&unsigned[e + 1..])),
        None => (unsigned, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty()),
        None => !mantissa.is_empty() && digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
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
        Some(_) => TagKind::None,
        None if tag.handle == "!" => CFN_FUNCTIONS
            .iter()
            .find(|(short, _)| *short == tag.suffix)
            .map_or(TagKind::None, |&(short, key)| TagKind::Cfn { key, get_att: short == "GetAtt" }),
        None if tag.handle.is_empty() && tag.suffix == "!" => TagKind::NonSpecific,
        None => TagKind::None,
    }
}

/// The value of a scalar given its tag; plain untagged scalars go through the core schema.
pub(super) fn scalar_value(text: &str, style: TScalarStyle, tag: TagKind) -> Value {
    let string = || Value::String(text.to_string());
    match tag {
        TagKind::Str | TagKind::NonSpecific => string(),
        TagKind::Null => Value::Null,
        TagKind::Int if is_int(text) => Value::Number(text.to_string()),
        TagKind::Float if is_int(text) || is_float(text) => Value::Number(text.to_string()),
        TagKind::Bool => match resolve_plain(text) {
            Value::Bool(b) => Value::Bool(b),
            _ => string(),
        },
        TagKind::Int | TagKind::Float => string(),
        TagKind::None | TagKind::Cfn { .. } if style == TScalarStyle::Plain => resolve_plain(text),
        TagKind::None | TagKind::Cfn { .. } => string(),
    }
}
