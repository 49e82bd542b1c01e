//! Formatting every report shares: money, counted nouns, aligned columns, short model names, and GitHub's
//! workflow-command data escaping.

use crate::facts::format_money;
use rust_decimal::Decimal;

/// Money for people: `$36,500.00` (negative amounts as `-$1,234.50`).
pub fn usd(value: Decimal) -> String {
    let text = format_money(value);
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}${grouped}.{frac}", if negative { "-" } else { "" })
}

/// A model ARN without its `arn:aws:bedrock:<region>:<account>:` prefix (the region has its own column).
pub fn short_model(model: &str) -> &str {
    if !model.starts_with("arn:") {
        return model;
    }
    model.splitn(6, ':').nth(5).unwrap_or(model)
}

/// Lay out rows in columns separated by two spaces; trailing blanks trimmed.
pub fn aligned(rows: &[Vec<String>], right: &[bool]) -> String {
    let mut widths = vec![0usize; right.len()];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = widths.get(i).map_or(0, |w| w - cell.chars().count());
            if right.get(i).copied().unwrap_or(false) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Escape the message of a workflow command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}
