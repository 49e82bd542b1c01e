//! String functions (go-cty `stdlib/string.go`, terraform `lang/funcs/string.go`). "Characters" are Unicode
//! grapheme clusters, as cty counts them with `textseg`.

use super::{arity, integer, reject_null, strict, string, string_elements, unknown_in};
use crate::source::hcl::value::Value;
use unicode_segmentation::UnicodeSegmentation;

pub(super) fn grapheme_count(text: &str) -> usize {
    text.graphemes(true).count()
}

/// The string arguments of a function whose parameters are all strings allowing neither null nor unknown:
/// `Ok(Err(unknown))` when an argument is unknown.
fn strings<const N: usize>(args: &[Value]) -> Result<Result<[String; N], Value>, String> {
    if let Some(unknown) = strict(args, N, Some(N))? {
        return Ok(Err(unknown));
    }
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    for (slot, arg) in out.iter_mut().zip(args) {
        *slot = string(arg)?;
    }
    Ok(Ok(out))
}

/// Apply `f` to the string arguments, or return the unknown one.
fn with_strings<const N: usize>(args: &[Value], f: impl FnOnce([String; N]) -> Value) -> Result<Value, String> {
    Ok(strings::<N>(args)?.map_or_else(|unknown| unknown, f))
}

/// `upper(s)`: Go's `strings.ToUpper`, which maps each character on its own (`ß` stays `ß`).
pub(super) fn upper(args: &[Value]) -> Result<Value, String> {
    with_strings(args, |[s]| Value::String(s.chars().map(simple_upper).collect()))
}

/// `lower(s)`: Go's `strings.ToLower`, each character on its own.
pub(super) fn lower(args: &[Value]) -> Result<Value, String> {
    with_strings(args, |[s]| Value::String(s.chars().map(simple_lower).collect()))
}

/// Go maps case with Unicode's one-to-one (simple) mapping; Rust's gives the full mapping, which for a few
/// characters is several characters long. Those keep their case in Go (except `İ`, whose simple lowercase is `i`).
fn simple_upper(c: char) -> char {
    let mut mapped = c.to_uppercase();
    match (mapped.next(), mapped.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

fn simple_lower(c: char) -> char {
    if c == '\u{130}' {
        return 'i';
    }
    let mut mapped = c.to_lowercase();
    match (mapped.next(), mapped.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

/// `title(s)`: Go's `strings.Title`: the first letter of each word upper-cased, where words are separated by
/// anything but ASCII letters, digits and `_`, or by white space outside ASCII.
pub(super) fn title(args: &[Value]) -> Result<Value, String> {
    with_strings(args, |[s]| {
        let mut previous = ' ';
        let titled = s
            .chars()
            .map(|c| {
                let mapped = if is_word_separator(previous) { simple_upper(c) } else { c };
                previous = c;
                mapped
            })
            .collect();
        Value::String(titled)
    })
}

fn is_word_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphabetic() || c.is_numeric() {
        return false;
    }
    c.is_whitespace()
}

/// `strrev(s)`: the grapheme clusters in reverse order.
pub(super) fn strrev(args: &[Value]) -> Result<Value, String> {
    with_strings(args, |[s]| Value::String(s.graphemes(true).rev().collect()))
}

/// `trimspace(s)`: Unicode white space removed from both ends.
pub(super) fn trimspace(args: &[Value]) -> Result<Value, String> {
    with_strings(args, |[s]| Value::string(s.trim()))
}

/// `trim(s, cutset)`: every leading and trailing character that is in `cutset` removed (Go `strings.Trim`).
pub(super) fn trim(args: &[Value]) -> Result<Value, String> {
    with_strings(args, |[s, cutset]| Value::string(s.trim_matches(|c| cutset.contains(c))))
}

/// `trimprefix(s, prefix)`: one leading `prefix` removed.
pub(super) fn trimprefix(args: &[Value]) -> Result<Value, String> {
    with_strings(args, |[s, prefix]| Value::string(s.strip_prefix(prefix.as_str()).unwrap_or(&s)))
}

/// `trimsuffix(s, suffix)`: one trailing `suffix` removed.
pub(super) fn trimsuffix(args: &[Value]) -> Result<Value, String> {
    with_strings(args, |[s, suffix]| Value::string(s.strip_suffix(suffix.as_str()).unwrap_or(&s)))
}

/// `startswith(s, prefix)`: the empty prefix starts any string, even an unknown one (terraform `StartsWithFunc`).
pub(super) fn startswith(args: &[Value]) -> Result<Value, String> {
    arity(args, 2, Some(2))?;
    reject_null(args)?;
    if args[1].is_unknown() {
        return Ok(args[1].clone());
    }
    let prefix = string(&args[1])?;
    if args[0].is_unknown() {
        return Ok(if prefix.is_empty() { Value::Bool(true) } else { args[0].clone() });
    }
    Ok(Value::Bool(string(&args[0])?.starts_with(&prefix)))
}

/// `endswith(s, suffix)`.
pub(super) fn endswith(args: &[Value]) -> Result<Value, String> {
    with_strings(args, |[s, suffix]| Value::Bool(s.ends_with(&suffix)))
}

/// `split(separator, s)`: Go's `strings.Split`: an empty separator splits into characters, an empty string gives
/// `[""]`.
pub(super) fn split(args: &[Value]) -> Result<Value, String> {
    with_strings(args, |[separator, s]| {
        let parts: Vec<Value> = if separator.is_empty() {
            s.chars().map(|c| Value::String(c.to_string())).collect()
        } else {
            s.split(separator.as_str()).map(Value::string).collect()
        };
        Value::List(parts)
    })
}

/// `join(separator, lists...)`: unknown when any element is unknown; a null element is an error.
pub(super) fn join(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, None)? {
        return Ok(unknown);
    }
    let separator = string(&args[0])?;
    let lists = &args[1..];
    if lists.is_empty() {
        return Err("at least one list is required".into());
    }
    let lists: Vec<Vec<Value>> = lists.iter().map(string_elements).collect::<Result<_, _>>()?;
    if let Some(unknown) = unknown_in(lists.iter().flatten()) {
        return Ok(unknown);
    }
    let mut parts = Vec::new();
    for (list_number, list) in lists.iter().enumerate() {
        for (i, item) in list.iter().enumerate() {
            match item {
                Value::String(s) => parts.push(s.as_str()),
                _ if lists.len() > 1 => {
                    return Err(format!(
                        "element {i} of list {} is null; cannot concatenate null values",
                        list_number + 1
                    ))
                }
                _ => return Err(format!("element {i} is null; cannot concatenate null values")),
            }
        }
    }
    Ok(Value::String(parts.join(&separator)))
}

/// `replace(s, search, replacement)`: every occurrence replaced; a search wrapped in `/.../` is a regular
/// expression and the replacement may use `$1` and `${name}` (terraform `funcs.ReplaceFunc`, Go RE2 syntax,
/// which the `regex` crate shares).
pub(super) fn replace(args: &[Value]) -> Result<Value, String> {
    let [s, search, replacement] = match strings::<3>(args)? {
        Ok(texts) => texts,
        Err(unknown) => return Ok(unknown),
    };
    if search.len() > 1 && search.starts_with('/') && search.ends_with('/') {
        let pattern = &search[1..search.len() - 1];
        let regex = regex::Regex::new(pattern).map_err(|e| format!("invalid regular expression {pattern:?}: {e}"))?;
        return Ok(Value::String(regex.replace_all(&s, replacement.as_str()).into_owned()));
    }
    if search.is_empty() {
        // Go's strings.Replace with an empty search inserts the replacement before every character and at the end.
        let mut out = String::with_capacity(s.len() + replacement.len() * (s.chars().count() + 1));
        for c in s.chars() {
            out.push_str(&replacement);
            out.push(c);
        }
        out.push_str(&replacement);
        return Ok(Value::String(out));
    }
    Ok(Value::String(s.replace(search.as_str(), &replacement)))
}

/// `substr(s, offset, length)`: `length` clusters from `offset`; a negative offset counts from the end, a negative
/// length takes the rest. Ported step by step from go-cty `SubstrFunc`, including its quirk that a length of 0
/// with a negative offset takes the rest.
pub(super) fn substr(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 3, Some(3))? {
        return Ok(unknown);
    }
    let text = string(&args[0])?;
    let mut offset = integer(&args[1])?;
    let length = integer(&args[2])?;
    let clusters: Vec<&str> = text.graphemes(true).collect();
    let total = i64::try_from(clusters.len()).unwrap_or(i64::MAX);
    if offset < 0 {
        offset = offset.saturating_add(total);
    } else if length == 0 {
        return Ok(Value::string(""));
    }
    let start = usize::try_from(offset.clamp(0, total)).unwrap_or(0);
    let rest = clusters.get(start..).unwrap_or_default();
    let take = if length <= 0 { rest.len() } else { usize::try_from(length).unwrap_or(usize::MAX).min(rest.len()) };
    Ok(Value::String(rest.iter().take(take).copied().collect()))
}

/// `strcontains(s, substr)`.
pub(super) fn strcontains(args: &[Value]) -> Result<Value, String> {
    with_strings(args, |[s, substr]| Value::Bool(s.contains(substr.as_str())))
}

/// `chomp(s)`: every trailing newline (`\n`, `\r\n` or `\r`) removed.
pub(super) fn chomp(args: &[Value]) -> Result<Value, String> {
    with_strings(args, |[s]| Value::string(s.trim_end_matches(['\r', '\n'])))
}

/// Indents larger than this are left unknown rather than allocated (terraform would build them).
const MAX_INDENT: i64 = 64 * 1024;

/// `indent(spaces, s)`: every line but the first indented by `spaces` spaces.
pub(super) fn indent(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 2, Some(2))? {
        return Ok(unknown);
    }
    let spaces = integer(&args[0])?;
    let text = string(&args[1])?;
    if spaces < 0 {
        // Go's strings.Repeat panics on a negative count, and cty reports the panic as an error.
        return Err("strings: negative Repeat count".into());
    }
    if spaces > MAX_INDENT {
        return Ok(super::beyond_ptlint(format!("an indent of {spaces} spaces is larger than ptlint renders")));
    }
    let padding = " ".repeat(usize::try_from(spaces).unwrap_or(0));
    Ok(Value::String(text.replace('\n', &format!("\n{padding}"))))
}
