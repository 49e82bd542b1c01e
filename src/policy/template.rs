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
/// A figure that may be unknown goes in a segment, `[[ at {cost.monthly_cost|usd}/month]]`: the segment is
/// left out when a placeholder in it is missing or null (segments nest). Why a figure is null and how to supply
/// it is read from beside it (`cost.unknown.monthly_cost`: `{why, supply}`) and appended after the text, so
/// a message says what is unknown instead of printing "unknown" where the number goes. A null outside any
/// segment still renders as `unknown` (and its reason is appended). Text in braces that is not a path stays as
/// is. Values come from the input: their control characters are made visible.
pub fn render_template(template: &str, pt_facts: &Value) -> String {
    render(template, pt_facts).with_reasons()
}

/// A template rendered: its text, and why each null figure it names is unknown, in order of first mention.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rendered {
    pub text: String,
    /// One sentence per distinct reason (`why; supply`).
    pub unknowns: Vec<String>,
    /// How many null placeholders were rendered as the word `unknown` (outside any segment).
    pub bare_nulls: usize,
}

impl Rendered {
    /// The text followed by its reasons, each after `; `.
    pub fn with_reasons(self) -> String {
        append_reasons(self.text, &self.unknowns)
    }
}

/// `text; reason; reason`.
pub fn append_reasons(mut text: String, reasons: &[String]) -> String {
    for reason in reasons {
        text.push_str("; ");
        text.push_str(reason);
    }
    text
}

/// Renders a template into its text and the reasons of its unknown figures.
pub fn render(template: &str, pt_facts: &Value) -> Rendered {
    let mut rendered = Rendered::default();
    let segments = segments(template);
    let run = render_run(template, 0..template.len(), &segments, pt_facts, &mut rendered);
    rendered.text = run.text;
    rendered
}

/// A run of template text rendered, and whether a placeholder directly in it (not in a nested segment) was null.
struct Run {
    text: String,
    has_null: bool,
}

/// How deep segments nest; deeper brackets are plain text (rendering recurses once per level).
const MAX_SEGMENT_DEPTH: usize = 16;

/// The segments of a template, found in one pass: each `[[` that closes, with the index of its `]]`, in the
/// order of their `[[`. A `[[` that never closes, a `]]` that closes nothing and brackets nested deeper than
/// [`MAX_SEGMENT_DEPTH`] are plain text.
fn segments(template: &str) -> Vec<(usize, usize)> {
    let bytes = template.as_bytes();
    let (mut open, mut pairs) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i + 1 < bytes.len() {
        match &bytes[i..i + 2] {
            b"[[" => {
                open.push(i);
                i += 2;
            }
            b"]]" => {
                if let Some(start) = open.pop() {
                    if open.len() < MAX_SEGMENT_DEPTH {
                        pairs.push((start, i));
                    }
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Renders `template[range]`; a segment that opens in the range also closes in it.
fn render_run(
    template: &str,
    range: std::ops::Range<usize>,
    segments: &[(usize, usize)],
    pt_facts: &Value,
    rendered: &mut Rendered,
) -> Run {
    let mut out = String::with_capacity(range.len());
    let mut has_null = false;
    let mut nulls_here = 0;
    let mut pos = range.start;
    loop {
        let rest = &template[pos..range.end];
        let next_brace = rest.find('{').map(|i| pos + i);
        let next_segment = segments.get(segments.partition_point(|s| s.0 < pos)).filter(|s| s.0 < range.end);
        match (next_brace, next_segment) {
            (_, Some(&(open, close))) if next_brace.is_none_or(|brace| open < brace) => {
                out.push_str(&template[pos..open]);
                let before = rendered.bare_nulls;
                let inner = render_run(template, open + 2..close, segments, pt_facts, rendered);
                // Nulls inside a segment that is left out are not printed as `unknown`.
                if inner.has_null {
                    rendered.bare_nulls = before;
                } else {
                    out.push_str(&inner.text);
                }
                pos = close + 2;
            }
            (Some(open), _) => {
                out.push_str(&template[pos..open]);
                let after = &template[open + 1..range.end];
                let placeholder = after.find('}').map(|close| &after[..close]).filter(|inner| {
                    !inner.is_empty()
                        && inner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '|' | '-'))
                });
                match placeholder {
                    Some(inner) => {
                        let (path, filter) = match inner.split_once('|') {
                            Some((path, filter)) => (path, Some(filter)),
                            None => (inner, None),
                        };
                        let found = lookup(pt_facts, path).filter(|v| !v.is_null());
                        if found.is_none() {
                            has_null = true;
                            nulls_here += 1;
                            if let Some(reason) = reason_for(pt_facts, path) {
                                if !rendered.unknowns.contains(&reason) {
                                    rendered.unknowns.push(reason);
                                }
                            }
                        }
                        let value = render_value(found, filter);
                        match path {
                            LAID_OUT => out.push_str(&value),
                            _ => out.push_str(&visible(&value)),
                        }
                        pos = open + 1 + inner.len() + 1;
                    }
                    None => {
                        out.push('{');
                        pos = open + 1;
                    }
                }
            }
            (None, _) => break,
        }
    }
    out.push_str(&template[pos..range.end]);
    rendered.bare_nulls += nulls_here;
    Run { text: out, has_null }
}

/// Why the figure at `a.b.c` is unknown and how to supply it, from `a.b.unknown.c` (`{why, supply}`).
fn reason_for(pt_facts: &Value, path: &str) -> Option<String> {
    let (parent, field) = match path.rsplit_once('.') {
        Some((parent, field)) => (format!("{parent}.unknown"), field),
        None => ("unknown".to_string(), path),
    };
    let entry = lookup(pt_facts, &parent)?.get(field)?;
    let why = entry.get("why")?.as_str().filter(|w| !w.is_empty())?;
    let supply = entry.get("supply").and_then(Value::as_str).unwrap_or("");
    let sentence = if supply.is_empty() { why.to_string() } else { format!("{why}; {supply}") };
    Some(visible(&sentence).into_owned())
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
