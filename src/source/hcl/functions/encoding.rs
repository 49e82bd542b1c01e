//! `base64encode`, `base64decode` and `urlencode` (terraform `lang/funcs/encoding.go`): Go's standard base64
//! alphabet with padding, and Go's `url.QueryEscape`.

use super::{arity, reject_null, strict, string};
use crate::source::hcl::value::Value;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `base64encode(s)`: the UTF-8 bytes of `s` in padded standard base64.
pub(super) fn base64encode(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let bytes = string(&args[0])?.into_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    Ok(Value::String(out))
}

/// `base64decode(s)`: padded standard base64 (line breaks ignored, as Go's decoder ignores them) that must decode
/// to UTF-8 text.
pub(super) fn base64decode(args: &[Value]) -> Result<Value, String> {
    arity(args, 1, Some(1))?;
    reject_null(args)?;
    if args[0].is_unknown() {
        return Ok(args[0].clone());
    }
    let text = string(&args[0])?;
    let invalid = || format!("failed to decode base64 data {text}");
    let symbols: Vec<u8> = text.bytes().filter(|b| *b != b'\r' && *b != b'\n').collect();
    if symbols.len() % 4 != 0 {
        return Err(invalid());
    }
    let mut bytes = Vec::with_capacity(symbols.len() / 4 * 3);
    let quads = symbols.chunks(4).collect::<Vec<_>>();
    for (index, quad) in quads.iter().enumerate() {
        let padding = quad.iter().rev().take_while(|b| **b == b'=').count();
        if padding > 2 || (padding > 0 && index + 1 != quads.len()) {
            return Err(invalid());
        }
        let mut n: u32 = 0;
        for &symbol in &quad[..4 - padding] {
            let value = ALPHABET.iter().position(|a| *a == symbol).ok_or_else(invalid)?;
            n = (n << 6) | value as u32;
        }
        n <<= 6 * padding as u32;
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        bytes.extend_from_slice(&decoded[..3 - padding]);
    }
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| "the result of decoding the provided string is not valid UTF-8".into())
}

/// `urlencode(s)`: Go's `url.QueryEscape`: letters, digits and `-_.~` kept, space as `+`, every other byte `%XX`.
pub(super) fn urlencode(args: &[Value]) -> Result<Value, String> {
    if let Some(unknown) = strict(args, 1, Some(1))? {
        return Ok(unknown);
    }
    let mut out = String::new();
    for byte in string(&args[0])?.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(byte)),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    Ok(Value::String(out))
}
