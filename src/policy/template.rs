//! Message templates: `{dotted.path|filter}` placeholders filled from one throughput's facts.

use crate::visible::visible;
use serde_json::Value;

/// The one fact laid out in lines by ptlint itself, every input value in it quoted as YAML
/// (`pricing::snippet`): its line breaks are kept. Every other value is filled with its control characters
/// made visible, so a model ID or a key cannot start a line of the report (`\n::error::...`).
const LAID_OUT: &str = "cost.config_snippet";

/// Fills `{dotted.path}` and `{dotted.path|filter}` placeholders from one throughput's facts; Guard
/// custom messages (`<< ... >>`) and `Help:` are such templates. Filters: `|usd` (`$36,500.00`),
/// `|tokens` (`6.08B`), `|percent` (`0.4` -> `40%`), `|code` (backticks around each item).
/// A missing or null value renders as `unknown`; text in braces that is not a path stays as is. Values
/// come from the input: their control characters are made visible.
pub fn render_template(template: &str, pt_facts: &Value) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let placeholder = after.find('}').map(|close| &after[..close]).filter(|inner| {
            !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '|' | '-'))
        });
        match placeholder {
            Some(inner) => {
                let (path, filter) = match inner.split_once('|') {
                    Some((path, filter)) => (path, Some(filter)),
                    None => (inner, None),
                };
                let value = render_value(lookup(pt_facts, path), filter);
                match path {
                    LAID_OUT => out.push_str(&value),
                    _ => out.push_str(&visible(&value)),
                }
                rest = &after[inner.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Follows `a.b.0.c` through objects (and arrays, by index).
fn lookup<'a>(facts: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(facts, |node, key| match node {
        Value::Object(map) => map.get(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn render_value(value: Option<&Value>, filter: Option<&str>) -> String {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return "unknown".to_string();
    };
    let formatted = match filter {
        Some("usd") => scalar_text(value).and_then(|t| format_usd(&t)),
        Some("tokens") => scalar_text(value).and_then(|t| humanize_count(&t)),
        Some("percent") => scalar_text(value).and_then(|t| format_percent(&t)),
        Some("code") => Some(match value {
            Value::Array(items) if items.is_empty() => "none".to_string(),
            Value::Array(items) => items.iter().map(|v| format!("`{}`", plain(v))).collect::<Vec<_>>().join(", "),
            other => format!("`{}`", plain(other)),
        }),
        _ => None,
    };
    formatted.unwrap_or_else(|| plain(value))
}

fn plain(value: &Value) -> String {
    match value {
        Value::Null => "unknown".to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Splits a plain decimal (`-1234.567`) into sign, integer digits and fraction digits.
fn decimal_parts(text: &str) -> Option<(bool, &str, &str)> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    (!int.is_empty() && digits(int) && digits(frac)).then_some((negative, int, frac))
}

/// `36500` / `"36500.00"` -> `$36,500.00`, rounded half up on the decimal text (money never
/// goes through a float).
fn format_usd(text: &str) -> Option<String> {
    let (negative, int, frac) = decimal_parts(text)?;
    let mut cents: Vec<u8> =
        int.bytes().chain(frac.bytes().chain(std::iter::repeat(b'0')).take(2)).map(|b| b - b'0').collect();
    if frac.as_bytes().get(2).is_some_and(|d| *d >= b'5') {
        let mut i = cents.len();
        loop {
            if i == 0 {
                cents.insert(0, 1);
                break;
            }
            i -= 1;
            if cents[i] == 9 {
                cents[i] = 0;
            } else {
                cents[i] += 1;
                break;
            }
        }
    }
    let digits: String = cents.iter().map(|d| char::from(b'0' + d)).collect();
    let (int, frac) = digits.split_at(digits.len() - 2);
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if negative && digits.bytes().any(|b| b != b'0') { "-" } else { "" };
    Some(format!("{sign}${grouped}.{frac}"))
}

/// `6083333333` -> `6.08B`, `1500000` -> `1.5M`, `999` -> `999`.
fn humanize_count(text: &str) -> Option<String> {
    let (negative, int, _) = decimal_parts(text)?;
    if negative {
        return None;
    }
    let n: u128 = int.parse().ok()?;
    if n < 1_000 {
        return Some(n.to_string());
    }
    const UNITS: [(u128, &str); 4] = [(1_000_000_000_000, "T"), (1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")];
    for (unit, suffix) in UNITS {
        // Rounded to hundredths first, so 999,995,000 becomes `1B`, not `1000M`.
        let hundredths = (n * 100 + unit / 2) / unit;
        if hundredths >= 100 {
            let (whole, frac) = (hundredths / 100, hundredths % 100);
            return Some(match frac {
                0 => format!("{whole}{suffix}"),
                f if f % 10 == 0 => format!("{whole}.{}{suffix}", f / 10),
                f => format!("{whole}.{f:02}{suffix}"),
            });
        }
    }
    Some(n.to_string())
}

/// `"0.40"` -> `40%`, `"0.125"` -> `12.5%` (a ratio, shifted on the decimal text).
fn format_percent(text: &str) -> Option<String> {
    let (negative, int, frac) = decimal_parts(text)?;
    let padded: String = frac.chars().chain(std::iter::repeat('0')).take(2).collect();
    let whole = format!("{int}{padded}");
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let rest = frac.get(2..).unwrap_or("").trim_end_matches('0');
    let sign = if negative { "-" } else { "" };
    Some(if rest.is_empty() { format!("{sign}{whole}%") } else { format!("{sign}{whole}.{rest}%") })
}
