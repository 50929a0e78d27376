//! RFC 3339 timestamps of audit events (`2026-11-28T10:00:00.123456Z`) to nanoseconds.
//!
//! The API server writes `metav1.MicroTime` values: UTC with a `Z`, microseconds. Offsets and
//! any number of fraction digits are accepted too, since replayed files may come from other
//! tools.

/// Nanoseconds since the Unix epoch, or `None` when `text` is not an RFC 3339 date-time or
/// lies before 1970.
pub fn parse_rfc3339_ns(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = digits(&b[0..4])? as i64;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    // A leap second (60) counts as the first second of the next minute.
    if second > 60 {
        return None;
    }
    let mut rest = &b[19..];
    let mut nanos: u64 = 0;
    if let Some((&b'.', fraction)) = rest.split_first() {
        let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        for (i, &c) in fraction[..len].iter().enumerate() {
            if i < 9 {
                nanos = nanos * 10 + u64::from(c - b'0');
            }
        }
        for _ in len..9 {
            nanos *= 10;
        }
        rest = &fraction[len..];
    }
    let offset_secs: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = digits(&[*h1, *h2])? as i64;
            let minutes = digits(&[*m1, *m2])? as i64;
            let total = hours * 3600 + minutes * 60;
            if *sign == b'+' { total } else { -total }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset_secs;
    if secs < 0 {
        return None;
    }
    (secs as u64).checked_mul(1_000_000_000)?.checked_add(nanos)
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_api_server_timestamps() {
        let cases = [
            ("1970-01-01T00:00:00Z", Some(0)),
            ("1970-01-01T00:00:01.5Z", Some(1_500_000_000)),
            (
                "2024-01-01T00:00:00.000000001Z",
                Some(1_704_067_200_000_000_001),
            ),
            (
                "2024-02-29T12:00:00.123456Z",
                Some(1_709_208_000_123_456_000),
            ),
            ("2024-01-01T01:00:00+01:00", Some(1_704_067_200_000_000_000)),
            ("2023-12-31T23:00:00-01:00", Some(1_704_067_200_000_000_000)),
            // Digits past nanoseconds are dropped, not rounded.
            (
                "2024-01-01T00:00:00.1234567899Z",
                Some(1_704_067_200_123_456_789),
            ),
            ("2024-01-01 00:00:00Z", Some(1_704_067_200_000_000_000)),
            ("2024-01-01T00:00:00", None),
            ("2024-13-01T00:00:00Z", None),
            ("2024-01-01T00:00:00.Z", None),
            ("1969-12-31T23:59:59Z", None),
            ("yesterday", None),
            ("", None),
        ];
        for (text, expect) in cases {
            assert_eq!(parse_rfc3339_ns(text), expect, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_round_trips(text in "[0-9TZ:.+ -]{0,40}", ns in 0u64..4_102_444_800_000_000_000) {
            let _ = parse_rfc3339_ns(&text);
            let iso = saker_engine::iso8601(ns);
            proptest::prop_assert_eq!(parse_rfc3339_ns(&iso), Some(ns));
        }
    }
}
