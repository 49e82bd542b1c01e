//! `format` and `formatlist`: printf-style verbs as go-cty implements them (`stdlib/format.go`, the grammar of
//! `format_fsm.rl`), with numbers printed as Go's `big.Float`/`big.Int` print them.

use super::json::{encode, encode_string};
use super::numbers_text::{go_float, go_integer, Flags};
use super::strings::grapheme_count;
use super::{beyond_ptlint, boolean, number, reject_null, string, unknown_in};
use crate::source::hcl::value::Value;
use unicode_segmentation::UnicodeSegmentation;

/// Widths and precisions above this are refused (terraform would pad to any size; ptlint will not allocate it).
const MAX_WIDTH: usize = 64 * 1024;

/// Why a format could not be rendered: an error terraform reports, or something ptlint leaves unknown.
enum Failure {
    Error(String),
    Beyond(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Error(message)
    }
}

/// One `%...` verb: where it is, which argument it takes, and its flags.
#[derive(Default)]
struct Verb {
    raw: String,
    offset: usize,
    arg: usize,
    flags: Flags,
}

/// The spec of `format`/`formatlist`: a string, or (as `Err`) the unknown that stands for the result.
fn format_spec(args: &[Value]) -> Result<Result<String, Value>, String> {
    let Some(spec) = args.first() else {
        return Err("expects at least 1 argument(s), got 0".into());
    };
    reject_null(&args[..1])?;
    if spec.is_unknown() {
        return Ok(Err(spec.clone()));
    }
    string(spec).map(Ok)
}

/// `format(spec, args...)`: unknown when any argument holds an unknown.
pub(super) fn format(args: &[Value]) -> Result<Value, String> {
    let spec = match format_spec(args)? {
        Ok(spec) => spec,
        Err(unknown) => return Ok(unknown),
    };
    if let Some(unknown) = unknown_in(&args[1..]) {
        return Ok(unknown);
    }
    match render(&spec, &args[1..]) {
        Ok(text) => Ok(Value::String(text)),
        Err(Failure::Error(message)) => Err(message),
        Err(Failure::Beyond(why)) => Ok(beyond_ptlint(why)),
    }
}

/// `formatlist(spec, args...)`: `format` once per element of the list arguments (which must have one length);
/// other arguments repeat. An element holding an unknown gives an unknown string in its place.
pub(super) fn formatlist(args: &[Value]) -> Result<Value, String> {
    let spec = match format_spec(args)? {
        Ok(spec) => spec,
        Err(unknown) => return Ok(unknown),
    };
    let rest = &args[1..];
    // An unknown argument might be a list (our unknowns have no type), which cty treats as an unknown result.
    if let Some(unknown) = rest.iter().find(|arg| arg.is_unknown()) {
        return Ok(unknown.clone());
    }
    let mut length: Option<(usize, usize)> = None;
    for (i, arg) in rest.iter().enumerate() {
        if let Some(items) = arg.as_list() {
            match length {
                None => length = Some((items.len(), i)),
                Some((n, chooser)) if n != items.len() => {
                    return Err(format!(
                        "argument {} has length {}, which is inconsistent with argument {} of length {n}",
                        i + 1,
                        items.len(),
                        chooser + 1
                    ))
                }
                Some(_) => {}
            }
        }
    }
    let iterations = length.map_or(1, |(n, _)| n);
    let mut out = Vec::with_capacity(iterations);
    for iteration in 0..iterations {
        let row: Vec<Value> = rest
            .iter()
            .map(|arg| match arg.as_list() {
                Some(items) => items.get(iteration).cloned().unwrap_or(Value::Null),
                None => arg.clone(),
            })
            .collect();
        if let Some(unknown) = unknown_in(&row) {
            out.push(unknown);
            continue;
        }
        match render(&spec, &row) {
            Ok(text) => out.push(Value::String(text)),
            Err(Failure::Error(message)) => return Err(format!("error on format iteration {iteration}: {message}")),
            Err(Failure::Beyond(why)) => out.push(beyond_ptlint(why)),
        }
    }
    Ok(Value::List(out))
}

/// Render `spec` with `args`, following go-cty's `formatFSM`.
fn render(spec: &str, args: &[Value]) -> Result<String, Failure> {
    let mut out = String::new();
    let mut chars = spec.char_indices().peekable();
    let mut next_arg = 1;
    let mut highest_arg = 0;
    while let Some((offset, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek().map(|&(_, next)| next) == Some('%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut verb = Verb { offset, arg: next_arg, ..Verb::default() };
        while let Some(&(_, flag)) = chars.peek() {
            match flag {
                '0' => verb.flags.zero = true,
                '#' => verb.flags.sharp = true,
                '-' => verb.flags.minus = true,
                '+' => verb.flags.plus = true,
                ' ' => verb.flags.space = true,
                _ => break,
            }
            chars.next();
        }
        if matches!(chars.peek(), Some(&(_, '1'..='9'))) {
            verb.flags.width = Some(read_number(&mut chars)?);
        }
        if matches!(chars.peek(), Some(&(_, '.'))) {
            chars.next();
            verb.flags.precision = Some(read_number(&mut chars)?);
        }
        if matches!(chars.peek(), Some(&(_, '['))) {
            chars.next();
            match chars.peek() {
                Some(&(_, '1'..='9')) => verb.arg = read_number(&mut chars)?,
                Some(&(at, other)) => return Err(unrecognized(other, at)),
                None => return Err(format!("invalid format string starting at offset {}", spec.len()).into()),
            }
            match chars.next() {
                Some((_, ']')) => {}
                Some((at, other)) => return Err(unrecognized(other, at)),
                None => return Err(format!("invalid format string starting at offset {}", spec.len()).into()),
            }
        }
        let (end, mode) = match chars.next() {
            Some((at, mode)) if mode.is_ascii_alphabetic() => (at + 1, mode),
            Some((at, other)) => return Err(unrecognized(other, at)),
            None => return Err(format!("invalid format string starting at offset {}", spec.len()).into()),
        };
        verb.flags.mode = mode;
        verb.raw = spec.get(offset..end).unwrap_or_default().to_string();
        highest_arg = highest_arg.max(verb.arg);
        append(&verb, &mut out, args)?;
        next_arg = verb.arg + 1;
    }
    if highest_arg < args.len() {
        if highest_arg == 0 {
            return Err("too many arguments; no verbs in format string".to_string().into());
        }
        return Err(format!("too many arguments; only {highest_arg} used by format string").into());
    }
    Ok(out)
}

fn unrecognized(c: char, at: usize) -> Failure {
    Failure::Error(format!("unrecognized format character {c:?} at offset {at}"))
}

/// Decimal digits at the cursor, refused past [`MAX_WIDTH`].
fn read_number(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Result<usize, Failure> {
    let mut n: usize = 0;
    while let Some(&(_, c)) = chars.peek() {
        let Some(digit) = c.to_digit(10) else { break };
        n = n.saturating_mul(10).saturating_add(digit as usize);
        chars.next();
    }
    if n > MAX_WIDTH {
        return Err(Failure::Beyond(format!("format width or precision {n} is larger than ptlint renders")));
    }
    Ok(n)
}

/// Format one argument by its verb (go-cty `formatAppend`).
fn append(verb: &Verb, out: &mut String, args: &[Value]) -> Result<(), Failure> {
    let Some(arg) = verb.arg.checked_sub(1).and_then(|i| args.get(i)) else {
        return Err(format!(
            "not enough arguments for {:?} at {}: need index {} but have {} total",
            verb.raw,
            verb.offset,
            verb.arg,
            args.len()
        )
        .into());
    };
    let unsupported = |why: &str| format!("unsupported value for {:?} at {}: {why}", verb.raw, verb.offset);
    if verb.flags.mode != 'v' && matches!(arg, Value::Null) {
        return Err(unsupported("null value cannot be formatted").into());
    }
    match verb.flags.mode {
        'v' => {
            let text = match arg {
                Value::String(s) if !verb.flags.sharp => s.clone(),
                Value::Number(n) if !verb.flags.sharp => go_float(*n, 'g', None),
                other => {
                    let mut json = String::new();
                    encode(other, &mut json);
                    json
                }
            };
            out.push_str(&pad(verb, text));
        }
        // go-cty writes "true"/"false" without applying width or flags.
        't' => {
            out.push_str(if boolean(arg).map_err(|_| unsupported("a bool is required"))? { "true" } else { "false" })
        }
        'b' | 'd' | 'o' | 'x' | 'X' => {
            let n = number(arg).map_err(|_| unsupported("a number is required"))?;
            let text = go_integer(&verb.flags, n).ok_or_else(|| unsupported("an integer is required"))?;
            out.push_str(&text);
        }
        'e' | 'E' | 'f' | 'g' | 'G' => {
            let n = number(arg).map_err(|_| unsupported("a number is required"))?;
            out.push_str(&pad_number(verb, go_float(n, verb.flags.mode, verb.flags.precision)));
        }
        's' | 'q' => {
            let mut text = string(arg).map_err(|_| unsupported("string required"))?;
            if let Some(precision) = verb.flags.precision.filter(|p| *p > 0) {
                text = text.graphemes(true).take(precision).collect();
            }
            if verb.flags.mode == 'q' {
                let mut quoted = String::new();
                encode_string(&text, &mut quoted);
                text = quoted;
            }
            out.push_str(&pad(verb, text));
        }
        other => {
            return Err(format!("unsupported format verb {other:?} in {:?} at offset {}", verb.raw, verb.offset).into())
        }
    }
    Ok(())
}

/// go-cty's `formatPadWidth`: pad to the width in grapheme clusters, with zeros when the `0` flag is given.
fn pad(verb: &Verb, text: String) -> String {
    let Some(width) = verb.flags.width else { return text };
    let have = grapheme_count(&text);
    if have >= width {
        return text;
    }
    let padding = (if verb.flags.zero { "0" } else { " " }).repeat(width - have);
    if verb.flags.minus {
        text + &padding
    } else {
        padding + &text
    }
}

/// `big.Float.Format`'s sign and padding around the digits `go_float` gives.
fn pad_number(verb: &Verb, text: String) -> String {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest.to_string()),
        None if verb.flags.plus => ("+", text),
        None if verb.flags.space => (" ", text),
        None => ("", text),
    };
    let padding = verb.flags.width.map_or(0, |w| w.saturating_sub(sign.len() + digits.len()));
    if verb.flags.zero && !verb.flags.minus {
        format!("{sign}{}{digits}", "0".repeat(padding))
    } else if verb.flags.minus {
        format!("{sign}{digits}{}", " ".repeat(padding))
    } else {
        format!("{}{sign}{digits}", " ".repeat(padding))
    }
}
