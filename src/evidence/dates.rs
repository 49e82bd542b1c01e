//! Civil dates and ISO 8601 timestamps as days or seconds since 1970-01-01 (no date library needed).

use super::SECONDS_PER_DAY;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
/// The caller guarantees a valid month (1-12) and day.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01), the inverse of [`days_from_civil`] (Hinnant's
/// `civil_from_days`).
pub fn format_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parse a strict `YYYY-MM-DD` date into days since 1970-01-01; `None` if malformed or not a real date.
pub fn parse_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = digits(bytes, 0, 4)?;
    let month = digits(bytes, 5, 2)?;
    let day = digits(bytes, 8, 2)?;
    let (year, month, day) = (i64::from(year), month, day);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// The `YYYY-MM-DD` of a day number (days since 1970-01-01); the inverse of [`days_from_civil`] (Howard
/// Hinnant's `civil_from_days`).
pub fn date_of_day(day: i64) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Today's date (UTC) as days since 1970-01-01, for comparing with `ignore[].expires`.
pub fn today() -> i64 {
    day_of(std::time::SystemTime::now())
}

/// The UTC date of a moment as days since 1970-01-01 (negative before it: a clock can be set anywhere).
pub fn day_of(moment: std::time::SystemTime) -> i64 {
    let secs = match moment.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    };
    secs.div_euclid(SECONDS_PER_DAY)
}

/// The unsigned decimal number in `bytes[start..start + len]`, if all digits.
fn digits(bytes: &[u8], start: usize, len: usize) -> Option<u32> {
    let slice = bytes.get(start..start.checked_add(len)?)?;
    if slice.is_empty() || !slice.iter().all(u8::is_ascii_digit) {
        return None;
    }
    slice.iter().try_fold(0u32, |acc, b| acc.checked_mul(10)?.checked_add(u32::from(b - b'0')))
}

/// Parse an ISO 8601 timestamp into unix seconds: `2026-09-01T00:00:00Z`, `...+00:00`, `...+0000`, with or without
/// fractional seconds; `T`, `t` or a space between date and time; a missing offset means UTC (the AWS CLI
/// always writes one). Fractional seconds are dropped: only the day matters.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let day = parse_date(text.get(..10)?)?;
    let mut secs = day.checked_mul(SECONDS_PER_DAY)?;
    let rest = bytes.get(10..)?;
    if rest.is_empty() {
        return Some(secs);
    }
    if !matches!(rest[0], b'T' | b't' | b' ') {
        return None;
    }
    let hour = digits(rest, 1, 2)?;
    if rest.get(3) != Some(&b':') {
        return None;
    }
    let minute = digits(rest, 4, 2)?;
    let mut pos = 6;
    let mut second = 0;
    if rest.get(pos) == Some(&b':') {
        second = digits(rest, pos + 1, 2)?;
        pos += 3;
        if matches!(rest.get(pos), Some(b'.') | Some(b',')) {
            pos += 1;
            let start = pos;
            while rest.get(pos).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            }
            if pos == start {
                return None;
            }
        }
    }
    // Second 60 is a leap second; it still belongs to the same day.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    secs += i64::from(hour * 3600 + minute * 60 + second);
    let offset = match rest.get(pos..)? {
        [] | [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), tz @ ..] => {
            let (h, m) = match tz {
                [_, _] => (digits(tz, 0, 2)?, 0),
                [_, _, b':', _, _] => (digits(tz, 0, 2)?, digits(tz, 3, 2)?),
                [_, _, _, _] => (digits(tz, 0, 2)?, digits(tz, 2, 2)?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let offset = i64::from(h * 3600 + m * 60);
            if *sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        _ => return None,
    };
    Some(secs - offset)
}
