//! Numbers as text the way Go's `math/big` prints them for `format`: `big.Float.Text` (`%f`, `%e`, `%g`, and `%v`,
//! which is shortest `%g`, so `1000000` prints `1e+06`) and `big.Int.Format` (`%d`, `%b`, `%o`, `%x`).
//!
//! Terraform holds a number written in a `.tf` file as the nearest 512-bit binary float (cty `ParseNumberVal`),
//! we hold the exact decimal. Go rounds the binary value's exact expansion half to even, so a decimal tie that
//! binary holds exactly (`0.5`, `0.125`) rounds to even, and one it cannot hold (`2.675`, `0.05`) rounds towards
//! the side its binary neighbour lies on: [`binary_is_above`] works that side out, so `%.2f` of `2.675` is `2.67`
//! and `%.1f` of `0.05` is `0.1`, as in terraform.

use rust_decimal::Decimal;

/// A `format` verb's mode, flags, width and precision: what decides how a number is printed.
#[derive(Default)]
pub(super) struct Flags {
    pub(super) mode: char,
    pub(super) zero: bool,
    pub(super) sharp: bool,
    pub(super) plus: bool,
    pub(super) minus: bool,
    pub(super) space: bool,
    pub(super) width: Option<usize>,
    pub(super) precision: Option<usize>,
}

/// Go's `big.decimal`: the value is `0.mant × 10^exp`, `mant` without leading or trailing zeros (empty for zero).
struct Digits {
    negative: bool,
    mant: Vec<u8>,
    exp: i64,
}

impl Digits {
    fn of(n: Decimal) -> Digits {
        let n = n.normalize();
        let text = n.mantissa().unsigned_abs().to_string();
        let scale = i64::from(n.scale());
        let mut digits = Digits { negative: n.is_sign_negative() && !n.is_zero(), mant: text.into_bytes(), exp: 0 };
        digits.exp = i64::try_from(digits.mant.len()).unwrap_or(0) - scale;
        digits.trim();
        digits
    }

    fn len(&self) -> i64 {
        i64::try_from(self.mant.len()).unwrap_or(i64::MAX)
    }

    fn trim(&mut self) {
        while self.mant.last() == Some(&b'0') {
            self.mant.pop();
        }
        if self.mant.is_empty() {
            self.exp = 0;
        }
    }

    /// Keep `n` digits, rounding half to even (`big.decimal.round`).
    fn round(&mut self, n: i64) {
        let Ok(n) = usize::try_from(n) else { return };
        if n >= self.mant.len() {
            return;
        }
        let digit = self.mant[n];
        let up = if digit == b'5' && n + 1 == self.mant.len() {
            match binary_is_above(&self.mant, self.exp) {
                Some(above) => above,
                None => n > 0 && (self.mant[n - 1] - b'0') % 2 == 1,
            }
        } else {
            digit >= b'5'
        };
        if up {
            let mut i = n;
            while i > 0 && self.mant[i - 1] == b'9' {
                i -= 1;
            }
            if i == 0 {
                self.mant = vec![b'1'];
                self.exp += 1;
                return;
            }
            self.mant[i - 1] += 1;
            self.mant.truncate(i);
        } else {
            self.mant.truncate(n);
            self.trim();
        }
    }

    fn at(&self, i: i64) -> u8 {
        usize::try_from(i).ok().and_then(|i| self.mant.get(i).copied()).unwrap_or(b'0')
    }

    /// `fmtE`: one digit, `prec` more after the point, and an exponent of at least two digits.
    fn e(&self, out: &mut String, mode: char, prec: i64) {
        out.push(char::from(self.at(0)));
        if prec > 0 {
            out.push('.');
            for i in 1..=prec {
                out.push(char::from(self.at(i)));
            }
        }
        out.push(mode);
        let exp = if self.mant.is_empty() { 0 } else { self.exp - 1 };
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.unsigned_abs()));
    }

    /// `fmtF`: the integer part (zero-padded), then `prec` digits after the point.
    fn f(&self, out: &mut String, prec: i64) {
        if self.exp > 0 {
            for i in 0..self.exp {
                out.push(char::from(self.at(i)));
            }
        } else {
            out.push('0');
        }
        if prec > 0 {
            out.push('.');
            for i in 0..prec {
                out.push(char::from(self.at(self.exp + i)));
            }
        }
    }
}

/// Whether the 512-bit binary float nearest to `0.mant × 10^exp` lies above it (`Some(true)`), below it, or is
/// the decimal itself (`None`, a dyadic number: Go then rounds a tie to even).
///
/// With the decimal `m / 10^s = (m / 5^s) × 2^-s`, only `x = m / 5^s` matters. Its mantissa is `x × 2^k` for the
/// `k` that puts the leading bit at 2^511; the float rounds that to the nearest integer, so it lies above `x`
/// exactly when the fraction `(m × 2^k mod 5^s) / 5^s` is more than one half (never exactly one half: 5^s is odd).
fn binary_is_above(mant: &[u8], exp: i64) -> Option<bool> {
    let digits = i64::try_from(mant.len()).ok()?;
    let scale = u32::try_from(digits - exp).ok().filter(|s| *s > 0)?;
    let m: u128 = std::str::from_utf8(mant).ok()?.parse().ok()?;
    let t = 5u128.checked_pow(scale)?;
    // floor(log2(m / t)): compare the two mantissas aligned to the top bit of a u128.
    let (lm, lt) = (i64::from(127 - m.leading_zeros()), i64::from(127 - t.leading_zeros()));
    let aligned = |v: u128, top: i64| v << (127 - top);
    let log2 = lm - lt - i64::from(aligned(m, lm) < aligned(t, lt));
    let k = u32::try_from(511 - log2).ok()?;
    let mut power = 1u128 % t;
    for _ in 0..k {
        power = (power << 1) % t;
    }
    let remainder = mul_mod(m % t, power, t);
    if remainder == 0 {
        return None;
    }
    Some(2 * remainder > t)
}

/// `a × b mod m` for `a, b < m < 2^100`, without overflowing: double and add.
fn mul_mod(mut a: u128, mut b: u128, m: u128) -> u128 {
    let mut result = 0;
    while b > 0 {
        if b & 1 == 1 {
            result = (result + a) % m;
        }
        a = (a << 1) % m;
        b >>= 1;
    }
    result
}

/// `big.Float.Text(mode, precision)` for `e`, `E`, `f`, `g`, `G`; no precision means 6 for `e` and `f` and the
/// shortest exact form for `g`.
pub(super) fn go_float(n: Decimal, mode: char, precision: Option<usize>) -> String {
    let mut d = Digits::of(n);
    let shortest = precision.is_none() && matches!(mode, 'g' | 'G');
    let mut prec = precision.map_or(6, |p| i64::try_from(p).unwrap_or(i64::MAX));
    if shortest {
        prec = d.len();
    } else {
        match mode {
            'e' | 'E' => d.round(prec.saturating_add(1)),
            'f' => d.round(d.exp.saturating_add(prec)),
            _ => {
                prec = prec.max(1);
                d.round(prec);
            }
        }
    }
    let mut out = String::new();
    if d.negative {
        out.push('-');
    }
    match mode {
        'e' | 'E' => d.e(&mut out, mode, prec),
        'f' => d.f(&mut out, prec),
        _ => {
            let mut eprec = prec;
            if eprec > d.len() && d.len() >= d.exp {
                eprec = d.len();
            }
            if shortest {
                eprec = 6;
            }
            let exp = d.exp - 1;
            let e_mode = if mode == 'G' { 'E' } else { 'e' };
            if exp < -4 || exp >= eprec {
                d.e(&mut out, e_mode, prec.min(d.len()) - 1);
            } else {
                if prec > d.exp {
                    prec = d.len();
                }
                d.f(&mut out, (prec - d.exp).max(0));
            }
        }
    }
    out
}

/// `big.Int.Format` for `d`, `b`, `o`, `x`, `X`, or `None` when the number is not whole.
pub(super) fn go_integer(verb: &Flags, n: Decimal) -> Option<String> {
    if !n.fract().is_zero() {
        return None;
    }
    let whole = n.trunc().normalize();
    let magnitude = whole.mantissa().unsigned_abs();
    let negative = whole.is_sign_negative() && !whole.is_zero();
    let mut digits = match verb.mode {
        'b' => format!("{magnitude:b}"),
        'o' => format!("{magnitude:o}"),
        'x' => format!("{magnitude:x}"),
        'X' => format!("{magnitude:X}"),
        _ => magnitude.to_string(),
    };
    let sign = match () {
        _ if negative => "-",
        _ if verb.plus => "+",
        _ if verb.space => " ",
        _ => "",
    };
    let prefix = match verb.mode {
        'b' if verb.sharp => "0b",
        'o' if verb.sharp => "0",
        'x' if verb.sharp => "0x",
        'X' if verb.sharp => "0X",
        _ => "",
    };
    let mut zeros = 0;
    if let Some(precision) = verb.precision {
        if digits.len() < precision {
            zeros = precision - digits.len();
        } else if digits == "0" && precision == 0 {
            // Go prints nothing at all for a zero with zero precision, not even padding.
            return Some(String::new());
        }
    }
    let (mut left, mut right) = (0, 0);
    let length = sign.len() + prefix.len() + zeros + digits.len();
    if let Some(width) = verb.width.filter(|w| *w > length) {
        let extra = width - length;
        if verb.minus {
            right = extra;
        } else if verb.zero && verb.precision.is_none() {
            zeros = extra;
        } else {
            left = extra;
        }
    }
    digits.insert_str(0, &"0".repeat(zeros));
    Some(format!("{}{sign}{prefix}{digits}{}", " ".repeat(left), " ".repeat(right)))
}
