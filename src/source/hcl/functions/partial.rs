//! `format` and `join` around strings not known before apply: a partly known string with a hole where each
//! unknown goes, as a template gives, so that an ARN built from an unknown account still names its model.

use super::string;
use crate::source::hcl::value::{Piece, Unknown, Value};

/// Marks where an unknown argument went in a rendered format; never in a known argument (checked).
const MARK: char = '\u{1}';

/// `format(...)` or `join(...)` with `args` holding partly known strings or unknown references: the partly
/// known result, or `None` when the call does not build one (use the plain call, which makes it unknown).
pub(super) fn call(name: &str, args: &[Value]) -> Option<Value> {
    match name {
        "format" => format(args),
        "join" => join(args),
        _ => None,
    }
}

/// A scalar unknown whose place in a string can be kept: a reference or a partly known string.
fn holds_place(value: &Value) -> Option<&Unknown> {
    match value {
        Value::Unknown(u @ (Unknown::Ref { .. } | Unknown::Partial(_))) => Some(u),
        _ => None,
    }
}

/// `format(spec, args...)`: rendered twice with markers of two lengths in the unknowns' places; when the text
/// around them is the same both times, no verb padded, cut or quoted them, and each marker's place is the
/// unknown's.
fn format(args: &[Value]) -> Option<Value> {
    let Value::String(spec) = args.first()? else { return None };
    let rest = &args[1..];
    if !rest.iter().any(|a| holds_place(a).is_some()) || spec.contains(MARK) {
        return None;
    }
    if rest.iter().any(|a| holds_place(a).is_none() && (a.contains_unknown() || a.to_string().contains(MARK))) {
        return None;
    }
    let render = |width: usize| -> Option<String> {
        let mut marked = vec![args[0].clone()];
        for (i, arg) in rest.iter().enumerate() {
            marked.push(match holds_place(arg) {
                Some(_) => Value::String(format!("{MARK}{i}{}", MARK.to_string().repeat(width))),
                None => arg.clone(),
            });
        }
        match super::format::format(&marked) {
            Ok(Value::String(text)) => Some(text),
            _ => None,
        }
    };
    let (short, long) = (render(1)?, render(3)?);
    let short_parts = split_marks(&short, 1)?;
    if short_parts != split_marks(&long, 3)? {
        return None;
    }
    let mut pieces = Vec::new();
    for part in short_parts {
        match part {
            Part::Text(text) => push_text(&mut pieces, text),
            Part::Mark(i) => push_unknown(&mut pieces, holds_place(rest.get(i)?)?),
        }
    }
    Some(Value::Unknown(Unknown::Partial(pieces)))
}

/// `join(separator, lists...)` over lists whose elements are known scalars, references or partly known strings.
fn join(args: &[Value]) -> Option<Value> {
    let Value::String(separator) = args.first()? else { return None };
    let mut pieces = Vec::new();
    let mut first = true;
    let mut any_unknown = false;
    for list in &args[1..] {
        let Value::List(items) = list else { return None };
        for item in items {
            if !std::mem::take(&mut first) {
                push_text(&mut pieces, separator);
            }
            match holds_place(item) {
                Some(unknown) => {
                    any_unknown = true;
                    push_unknown(&mut pieces, unknown);
                }
                None if item.contains_unknown() || matches!(item, Value::Null) => return None,
                None => push_text(&mut pieces, &string(item).ok()?),
            }
        }
    }
    any_unknown.then_some(Value::Unknown(Unknown::Partial(pieces)))
}

#[derive(Debug, PartialEq)]
enum Part<'a> {
    Text(&'a str),
    Mark(usize),
}

/// `text` split at each marker `MARK<i>MARK{width}`; `None` when a marker is not whole.
fn split_marks(text: &str, width: usize) -> Option<Vec<Part<'_>>> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(MARK) {
        parts.push(Part::Text(&rest[..open]));
        let after = &rest[open + MARK.len_utf8()..];
        let digits = after.find(|c: char| !c.is_ascii_digit())?;
        let index = after[..digits].parse().ok()?;
        let tail = after[digits..].strip_prefix(&MARK.to_string().repeat(width))?;
        if tail.starts_with(MARK) {
            return None;
        }
        parts.push(Part::Mark(index));
        rest = tail;
    }
    parts.push(Part::Text(rest));
    Some(parts)
}

fn push_text(pieces: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    match pieces.last_mut() {
        Some(Piece::Text(last)) => last.push_str(text),
        _ => pieces.push(Piece::Text(text.to_string())),
    }
}

/// The unknown in its place: a partly known string's own pieces, or a hole written as the reference.
fn push_unknown(pieces: &mut Vec<Piece>, unknown: &Unknown) {
    match unknown {
        Unknown::Partial(inner) => {
            for piece in inner {
                match piece {
                    Piece::Text(text) => push_text(pieces, text),
                    hole => pieces.push(hole.clone()),
                }
            }
        }
        why => pieces.push(Piece::Hole { written: Value::Unknown(why.clone()).to_string(), why: why.clone() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> Value {
        Value::Unknown(Unknown::Ref {
            address: "data.aws_caller_identity.current".into(),
            attribute: Some("account_id".into()),
        })
    }

    fn text(value: &Value) -> Option<String> {
        match value {
            Value::Unknown(u) => u.partial_text(),
            _ => None,
        }
    }

    #[test]
    fn format_keeps_the_known_text_around_an_unknown() {
        let args = [
            Value::string("arn:%s:bedrock:%s:%s:custom-model/%s"),
            Value::string("aws"),
            Value::string("us-east-1"),
            account(),
            Value::string("amazon.titan-text-lite-v1:0:4k/abc"),
        ];
        let got = call("format", &args).unwrap();
        assert_eq!(
            text(&got).as_deref(),
            Some("arn:aws:bedrock:us-east-1:${data.aws_caller_identity.current.account_id}:custom-model/amazon.titan-text-lite-v1:0:4k/abc")
        );
        // A verb that pads, cuts or quotes the unknown: its text is not known, so neither is the result's shape.
        for spec in ["%10s-x", "%.2s-x", "%q-x", "%-8s-x"] {
            assert_eq!(call("format", &[Value::string(spec), account()]), None, "{spec}");
        }
        // A reason-unknown (not a reference) stays the plain call's.
        assert_eq!(call("format", &[Value::string("%s"), Value::unknown("why")]), None);
        // Nothing unknown: the plain call.
        assert_eq!(call("format", &[Value::string("%s"), Value::string("a")]), None);
    }

    #[test]
    fn join_keeps_the_known_elements_around_an_unknown() {
        let list = Value::List(vec![Value::string("arn"), Value::string("aws"), account(), Value::string("x")]);
        let got = call("join", &[Value::string(":"), list]).unwrap();
        assert_eq!(text(&got).as_deref(), Some("arn:aws:${data.aws_caller_identity.current.account_id}:x"));
        // An unknown list, or a null element: the plain call.
        assert_eq!(call("join", &[Value::string(":"), account()]), None);
        let null = Value::List(vec![Value::Null, account()]);
        assert_eq!(call("join", &[Value::string(":"), null]), None);
    }
}
