//! Calendar checks for the dates and times the adapters pass in (the core never reads a clock).

use std::ops::Range;

use crate::quote::show;

/// Is `s` written as `YYYY-MM-DD` (digits and dashes only; whether it is a day of the calendar
/// is [`is_iso_date`]'s question)?
pub(crate) fn is_date_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Is `date` a real calendar date written as `YYYY-MM-DD`?
pub fn is_iso_date(date: &str) -> bool {
    if !is_date_shaped(date) {
        return false;
    }
    let digits = |r: Range<usize>| -> Option<u32> {
        date.get(r)
            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The message for a `today` that [`is_iso_date`] refuses.
pub(crate) fn today_not_a_date(today: &str) -> String {
    format!("today {} is not a date of the form YYYY-MM-DD", show(today))
}

/// Is `s` a UTC time written as `YYYY-MM-DDTHH:MM:SSZ`?
pub fn is_iso_utc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && s.get(..10).is_some_and(is_iso_date)
        && b[10] == b'T'
        && b[19] == b'Z'
        && [13, 16].iter().all(|&i| b[i] == b':')
        && [11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_iso_date("2026-11-21"));
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2026-02-29"));
        assert!(!is_iso_date("2026-13-01"));
        assert!(!is_iso_date("2026-1-01"));
        assert!(!is_iso_date("２０２６-11-21"));
    }

    #[test]
    fn times() {
        assert!(is_iso_utc("2026-11-21T17:45:00Z"));
        assert!(!is_iso_utc("2026-11-21 17:45:00Z"));
        assert!(!is_iso_utc("2026-11-21T17:45:00+00:00"));
        assert!(!is_iso_utc("2026-02-30T17:45:00Z"));
        // Byte 10 inside a two-byte character: a refusal, not a panic.
        assert!(!is_iso_utc("2026-11-2\u{e9}17:45:00Z"));
    }
}
