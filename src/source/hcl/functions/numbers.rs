//! Number functions (go-cty `stdlib/number.go`, `stdlib/sequence.go`, terraform `funcs.SumFunc`), exact in decimal.

use super::{beyond_ptlint, number, reject_null, strict, unknown_in};
use crate::source::hcl::value::Value;
use rust_decimal::Decimal;

/// go-cty's `range` refuses to generate more than this many values (`RangeFunc`).
const RANGE_LIMIT: usize = 1024;

/// The number arguments of a function whose parameters are all numbers: `Ok(Err(unknown))` when one is unknown.
fn numbers(args: &[Value], min: usize, max: Option<usize>) -> Result<Result<Vec<Decimal>, Value>, String> {
    if let Some(unknown) = strict(args, min, max)? {
        return Ok(Err(unknown));
    }
    args.iter().map(number).collect::<Result<Vec<_>, _>>().map(Ok)
}

fn with_one(args: &[Value], f: impl FnOnce(Decimal) -> Decimal) -> Result<Value, String> {
    Ok(match numbers(args, 1, Some(1))? {
        Ok(n) => Value::Number(f(n.first().copied().unwrap_or_default())),
        Err(unknown) => unknown,
    })
}

/// `abs(n)`.
pub(super) fn abs(args: &[Value]) -> Result<Value, String> {
    with_one(args, |n| n.abs())
}

/// `ceil(n)`: the nearest whole number at or above.
pub(super) fn ceil(args: &[Value]) -> Result<Value, String> {
    with_one(args, |n| n.ceil())
}

/// `floor(n)`: the nearest whole number at or below.
pub(super) fn floor(args: &[Value]) -> Result<Value, String> {
    with_one(args, |n| n.floor())
}

/// `min(numbers...)`.
pub(super) fn min(args: &[Value]) -> Result<Value, String> {
    extreme(args, |candidate, best| candidate < best)
}

/// `max(numbers...)`.
pub(super) fn max(args: &[Value]) -> Result<Value, String> {
    extreme(args, |candidate, best| candidate > best)
}

fn extreme(args: &[Value], better: fn(Decimal, Decimal) -> bool) -> Result<Value, String> {
    let values = match numbers(args, 0, None)? {
        Ok(values) => values,
        Err(unknown) => return Ok(unknown),
    };
    let mut iter = values.into_iter();
    let first = iter.next().ok_or("must pass at least one number")?;
    Ok(Value::Number(iter.fold(first, |best, n| if better(n, best) { n } else { best })))
}

/// `sum(list)`: the elements added exactly; strings that are numbers count (terraform `funcs.SumFunc`).
pub(super) fn sum(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let items = match &args[0] {
        Value::List(items) | Value::Set(items) => items,
        Value::Map(entries) if entries.is_empty() => return Err("cannot sum an empty list".into()),
        Value::Map(_) => return Err("argument must be list, set, or tuple. Received map".into()),
        _ => return Err("cannot sum noniterable".into()),
    };
    if items.is_empty() {
        return Err("cannot sum an empty list".into());
    }
    if let Some(unknown) = unknown_in(items) {
        return Ok(unknown);
    }
    let mut total = Decimal::ZERO;
    for item in items {
        let n = match item {
            Value::Null => None,
            other => number(other).ok(),
        }
        .ok_or("argument must be list, set, or tuple of number values")?;
        match total.checked_add(n) {
            Some(next) => total = next,
            None => return Ok(beyond_ptlint("sum() exceeds the range of exact decimals")),
        }
    }
    Ok(Value::Number(total))
}

/// `range(limit)`, `range(start, limit)`, `range(start, limit, step)`: numbers from `start` (default 0) up to but
/// not including `limit`, by `step` (default 1, or -1 when `limit` is below `start`). At most 1024 values, as in
/// go-cty.
pub(super) fn range(args: &[Value]) -> Result<Value, String> {
    reject_null(args)?;
    let values = match numbers(args, 1, Some(3))? {
        Ok(values) => values,
        Err(unknown) => return Ok(unknown),
    };
    let (start, end, step) = match values.as_slice() {
        [end] => (Decimal::ZERO, *end, if *end < Decimal::ZERO { -Decimal::ONE } else { Decimal::ONE }),
        [start, end] => (*start, *end, if end < start { -Decimal::ONE } else { Decimal::ONE }),
        [start, end, step] => (*start, *end, *step),
        _ => return Err("must have one, two, or three arguments".into()),
    };
    if step.is_zero() {
        return Err("step must not be zero".into());
    }
    let down = step < Decimal::ZERO;
    if down && end > start {
        return Err("end must be less than start when step is negative".into());
    }
    if !down && end < start {
        return Err("end must be greater than start when step is positive".into());
    }
    let mut out = Vec::new();
    let mut n = start;
    while (down && n > end) || (!down && n < end) {
        if out.len() >= RANGE_LIMIT {
            return Err("more than 1024 values were generated; either decrease the difference between start and end or use a smaller step".into());
        }
        out.push(Value::Number(n));
        match n.checked_add(step) {
            Some(next) => n = next,
            None => break,
        }
    }
    Ok(Value::List(out))
}

/// `signum(n)`: -1, 0 or 1 for a whole number; go-cty reads the argument as a Go `int`, so `signum(-0.5)` is an
/// error.
pub(super) fn signum(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    Ok(Value::Number(Decimal::from(super::integer(&args[0])?.signum())))
}

/// `parseint(string, base)`: an integer written in base 2 to 62, as Go's `big.Int.SetString` reads it: an
/// optional sign, digits `0-9a-z` (either case up to base 36), then `A-Z` for 36 to 61 in larger bases.
pub(super) fn parseint(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 2, Some(2))? {
        return Ok(unknown);
    }
    let Value::String(text) = &args[0] else {
        return Err(format!("first argument must be a string, not {}", args[0].type_name()));
    };
    let base = super::integer(&args[1])?;
    if !(2..=62).contains(&base) {
        return Err("base must be a whole number between 2 and 62 inclusive".into());
    }
    let invalid = || format!("cannot parse {text:?} as a base {base} integer");
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() {
        return Err(invalid());
    }
    let mut total = Decimal::ZERO;
    let radix = Decimal::from(base);
    for c in digits.chars() {
        let digit = match c {
            '0'..='9' => u32::from(c) - u32::from('0'),
            'a'..='z' => u32::from(c) - u32::from('a') + 10,
            'A'..='Z' if base <= 36 => u32::from(c) - u32::from('A') + 10,
            'A'..='Z' => u32::from(c) - u32::from('A') + 36,
            _ => return Err(invalid()),
        };
        if i64::from(digit) >= base {
            return Err(invalid());
        }
        let Some(next) = total.checked_mul(radix).and_then(|t| t.checked_add(Decimal::from(digit))) else {
            return Ok(super::beyond_ptlint(format!("{text:?} is beyond the range of exact decimals")));
        };
        total = next;
    }
    Ok(Value::Number(if negative { -total } else { total }))
}

/// `pow(base, exponent)`. Terraform computes it in float64 (`math.Pow`); the exact decimal equals that result for
/// whole exponents while the result is within ±2^53, and other cases are left unknown rather than approximated.
pub(super) fn pow(args: &[Value]) -> Result<Value, String> {
    let values = match numbers(args, 2, Some(2))? {
        Ok(values) => values,
        Err(unknown) => return Ok(unknown),
    };
    let (base, exponent) = match values.as_slice() {
        [base, exponent] => (*base, *exponent),
        _ => return Err("pow() takes two arguments".into()),
    };
    let limit = Decimal::from(1u64 << 53);
    let exact = u32::try_from(exponent)
        .ok()
        .filter(|_| exponent.fract().is_zero() && base.fract().is_zero())
        .and_then(|e| (0..e).try_fold(Decimal::ONE, |acc, _| acc.checked_mul(base).filter(|v| v.abs() <= limit)));
    Ok(exact.map_or_else(
        || {
            beyond_ptlint(format!(
                "pow({base}, {exponent}) is computed in floating point, which ptlint does not imitate"
            ))
        },
        Value::Number,
    ))
}
