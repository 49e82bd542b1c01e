//! `yamldecode` and `csvdecode` (terraform's `internal/lang/funcs`, go-cty-yaml and cty's `stdlib/csv.go`), and
//! the path functions `basename` and `dirname` (Go's `filepath.Base`/`filepath.Dir`): what real modules feed
//! `for_each` from a file read with `file()`.

use super::strict;
use crate::source::hcl::value::{parse_number, Value};
use crate::source::node::{Node, Value as Yaml};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// `yamldecode(text)`: one YAML document as a value. Plain scalars resolve as go-cty-yaml resolves them (YAML 1.1:
/// `yes`/`no`/`on`/`off` are booleans, `0x10` is 16); quoted ones stay strings.
pub(super) fn yamldecode(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let text = super::string(&args[0])?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    if has_second_document(&text) {
        return Err("unexpected extra content after value".into());
    }
    let root = crate::source::yaml::parse_yaml(&text).map_err(|e| format!("on line {}: {}", e.line, e.message))?;
    Ok(from_yaml(&root, &text))
}

/// A `---` marker after content starts a second document (cty-yaml decodes exactly one).
fn has_second_document(text: &str) -> bool {
    let mut content = false;
    for line in text.lines() {
        let marker = line == "---" || line.starts_with("--- ");
        if marker && content {
            return true;
        }
        let trimmed = line.trim_start();
        if !marker && !trimmed.is_empty() && !trimmed.starts_with('#') && !trimmed.starts_with('%') {
            content = true;
        }
    }
    false
}

fn from_yaml(node: &Node, text: &str) -> Value {
    // The YAML reader resolves plain scalars as CloudFormation does (YAML 1.1: `012` is octal, `1e3` a string);
    // go-cty-yaml resolves them its own way, so numbers are read again from the scalar as written.
    let written = text.get(node.span.start..node.span.end).unwrap_or_default();
    let plain = !matches!(text.as_bytes().get(node.span.start), Some(b'"' | b'\'' | b'|' | b'>'));
    match &node.value {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Number(n) => match yaml_number(written) {
            Some(number) => Value::Number(number),
            None => yaml_number(n).map_or_else(|| Value::String(written.to_string()), Value::Number),
        },
        Yaml::String(s) => {
            match (plain.then(|| yaml_number(written)).flatten(), plain.then(|| yaml11_bool(s)).flatten()) {
                (Some(number), _) => Value::Number(number),
                (None, Some(b)) => Value::Bool(b),
                (None, None) => Value::String(s.clone()),
            }
        }
        Yaml::Array(items) => Value::List(items.iter().map(|i| from_yaml(i, text)).collect()),
        Yaml::Object(entries) => {
            let mut map = BTreeMap::new();
            for (key, value) in entries {
                map.insert(key.name.clone(), from_yaml(value, text));
            }
            Value::Map(map)
        }
    }
}

/// The booleans of YAML 1.1, which go-cty-yaml resolves a plain scalar to.
fn yaml11_bool(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

/// A YAML number: decimal (a leading zero is still decimal, as terraform reads `012`), `0x` hex or `0o` octal.
fn yaml_number(text: &str) -> Option<Decimal> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let radix = |digits: &str, radix: u32| i64::from_str_radix(digits, radix).ok().map(Decimal::from);
    let value = if let Some(hex) = unsigned.strip_prefix("0x") {
        radix(hex, 16)?
    } else if let Some(octal) = unsigned.strip_prefix("0o") {
        radix(octal, 8)?
    } else {
        parse_number(unsigned)?
    };
    Some(if negative { -value } else { value })
}

/// `csvdecode(text)`: a list of maps, keyed by the header row; every value a string (RFC 4180 quoting).
pub(super) fn csvdecode(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let text = super::string(&args[0])?;
    let mut rows = parse_csv(&text)?.into_iter();
    let Some(header) = rows.next() else { return Err("missing header line".into()) };
    let mut out = Vec::new();
    for (line, row) in rows.enumerate() {
        if row.len() != header.len() {
            return Err(format!("record on line {}: wrong number of fields", line + 2));
        }
        let map = header.iter().cloned().zip(row.into_iter().map(Value::String)).collect();
        out.push(Value::Map(map));
    }
    Ok(Value::List(out))
}

/// Records of RFC 4180 CSV; a blank line is skipped, as Go's `encoding/csv` skips it.
fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let (mut quoted, mut was_quoted) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            ',' => {
                record.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if !(record.is_empty() && field.is_empty() && !was_quoted) {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                was_quoted = false;
            }
            '"' => return Err(format!("bare \" in non-quoted field on line {}", records.len() + 1)),
            c => field.push(c),
        }
    }
    if quoted {
        return Err("extraneous or missing \" in quoted field".into());
    }
    if !(record.is_empty() && field.is_empty() && !was_quoted) {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

/// `basename(path)`: the last element of a `/`-separated path (`filepath.Base`).
pub(super) fn basename(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let path = super::string(&args[0])?;
    let trimmed = path.trim_end_matches('/');
    Ok(Value::String(match (path.is_empty(), trimmed.is_empty()) {
        (true, _) => ".".into(),
        (false, true) => "/".into(),
        _ => trimmed.rsplit('/').next().unwrap_or(trimmed).to_string(),
    }))
}

/// `dirname(path)`: all but the last element of a path, cleaned (`filepath.Dir`).
pub(super) fn dirname(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let path = super::string(&args[0])?;
    let dir = match path.rfind('/') {
        Some(at) => &path[..=at],
        None => "",
    };
    Ok(Value::String(clean(dir)))
}

/// Go's `filepath.Clean` for `/`-separated paths.
fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            other => parts.push(other),
        }
    }
    match (rooted, parts.is_empty()) {
        (true, _) => format!("/{}", parts.join("/")),
        (false, true) => ".".into(),
        (false, false) => parts.join("/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    fn n(text: &str) -> Value {
        Value::Number(parse_number(text).expect("number"))
    }

    /// What terraform 1.11 planned for `yamldecode(file("t.yaml"))` (the file's text is below).
    #[test]
    fn yaml_decodes_as_terraform_decodes_it() {
        let text = "a: yes\nb: true\nc: 1.5\nd: ~\ne: \"2\"\nf: [1, two, null]\ng: {h: Off}\ni: 0x10\nj: 1e3\nk: 012\n";
        let value = yamldecode(&[s(text)]).expect("decodes");
        let expected: BTreeMap<String, Value> = [
            ("a", Value::Bool(true)),
            ("b", Value::Bool(true)),
            ("c", n("1.5")),
            ("d", Value::Null),
            ("e", s("2")),
            ("f", Value::List(vec![n("1"), s("two"), Value::Null])),
            ("g", Value::Map([("h".to_string(), Value::Bool(false))].into())),
            ("i", n("16")),
            ("j", n("1000")),
            ("k", n("12")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        assert_eq!(value, Value::Map(expected));
        assert!(yamldecode(&[s("---\na: 1\n---\nb: 2\n")]).is_err(), "two documents");
        assert_eq!(yamldecode(&[s("---\na: 1\n")]), Ok(Value::Map([("a".to_string(), n("1"))].into())));
        assert_eq!(yamldecode(&[s("")]), Ok(Value::Null));
    }

    /// terraform 1.11: `csvdecode("name,units\nchat,2\n\"x,y\",3\n")`.
    #[test]
    fn csv_rows_are_maps_of_strings() {
        let value = csvdecode(&[s("name,units\nchat,2\n\"x,y\",3\n")]).expect("decodes");
        let row = |name: &str, units: &str| {
            Value::Map([("name".to_string(), s(name)), ("units".to_string(), s(units))].into())
        };
        assert_eq!(value, Value::List(vec![row("chat", "2"), row("x,y", "3")]));
        assert!(csvdecode(&[s("a,b\n1\n")]).is_err());
    }

    /// terraform 1.11: `[basename("a/b/c.tf"), dirname("a/b/c.tf"), basename("a/b/"), dirname("c.tf"), dirname("/a")]`.
    #[test]
    fn paths_split_as_go_splits_them() {
        let base = |p: &str| basename(&[s(p)]).expect("basename");
        let dir = |p: &str| dirname(&[s(p)]).expect("dirname");
        assert_eq!(
            [base("a/b/c.tf"), dir("a/b/c.tf"), base("a/b/"), dir("c.tf"), dir("/a")],
            [s("c.tf"), s("a/b"), s("b"), s("."), s("/")]
        );
    }
}
