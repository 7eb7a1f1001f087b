//! Dates as front matter writes them → ISO 8601.
//!
//! Accepted, in this order: RFC 3339 (`2022-02-14T07:02:16Z`); RFC 2822
//! (`Mon, 14 Feb 2022 07:02:16 GMT`, also with a wrong weekday, which
//! scrapers produce); date-times with a numeric offset; local date-times
//! (`2020-08-17 09:01:29`, `2020/5/1 8:00`); dates alone (`2020/5/1`,
//! `2020-05-01`, `2020年5月1日`). An instant with an offset is written with
//! it (`Z` for UTC); a local time stays local (no offset is invented); a
//! date alone stays a date. Anything else is not understood (`None`).
//! A leap second (`23:59:60`) is clamped to `23:59:59`: EPUB and PDF dates
//! cannot say it. Years outside 1–9999 parse, but [`problem`] names them so
//! the caller can keep them out of the typed date (EPUBCheck refuses them).

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Timelike};

/// Formats with a numeric offset (`+0800`, `+08:00`).
const ZONED: &[&str] = &[
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%d %H:%M %z",
    "%Y/%m/%d %H:%M:%S %z",
];

/// Local date-times.
const LOCAL: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
];

/// Dates alone.
const DATES: &[&str] = &["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"];

/// ISO 8601 for a date string, or `None` when it is not understood.
pub fn to_iso(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(no_leap(dt).to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    if let Some(iso) = rfc2822(s) {
        return Some(iso);
    }
    // Local forms first: they are the common ones, and a string with an
    // offset never parses as local (the offset would be left over).
    for fmt in LOCAL {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(no_leap(dt).format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    for fmt in ZONED {
        if let Ok(dt) = DateTime::parse_from_str(s, fmt) {
            return Some(no_leap(dt).to_rfc3339_opts(SecondsFormat::AutoSi, true));
        }
    }
    DATES
        .iter()
        .find_map(|fmt| NaiveDate::parse_from_str(s, fmt).ok())
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// RFC 2822, retried without the weekday when it does not match the date.
fn rfc2822(s: &str) -> Option<String> {
    let parsed = DateTime::parse_from_rfc2822(s).or_else(|e| match s.split_once(", ") {
        Some((day, rest)) if day.len() == 3 && day.chars().all(|c| c.is_ascii_alphabetic()) => {
            DateTime::parse_from_rfc2822(rest)
        }
        _ => Err(e),
    });
    parsed
        .ok()
        .map(|dt| no_leap(dt).to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// A time in a leap second (chrono keeps it as 1,000,000,000 ns or more)
/// moved back to the last whole second before it.
fn no_leap<T: Timelike + Copy>(t: T) -> T {
    if t.nanosecond() >= 1_000_000_000 {
        t.with_nanosecond(0).unwrap_or(t)
    } else {
        t
    }
}

/// Why a date string that parses cannot be a document's date (a year
/// before 1 or after 9999: `-5000-01-01`, `0000-01-01`), or `None`.
pub fn problem(raw: &str) -> Option<String> {
    let iso = to_iso(raw)?;
    let year: i64 = iso
        .get(..iso[1..].find('-')? + 1)
        .and_then(|y| y.parse().ok())?;
    (!(1..=9999).contains(&year)).then(|| format!("year {year} is outside 1–9999"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "Mon, 14 Feb 2022 07:02:16 GMT",
                Some("2022-02-14T07:02:16Z"),
            ),
            (
                "Tue, 14 Feb 2022 07:02:16 GMT",
                Some("2022-02-14T07:02:16Z"),
            ),
            (
                "Mon, 19 Jan 1970 10:51:32 GMT",
                Some("1970-01-19T10:51:32Z"),
            ),
            ("2022-02-14T07:02:16Z", Some("2022-02-14T07:02:16Z")),
            (
                "2022-02-14T15:02:16+08:00",
                Some("2022-02-14T15:02:16+08:00"),
            ),
            ("2020-08-17 09:01:29", Some("2020-08-17T09:01:29")),
            (
                "2020-08-17 09:01:29 +0800",
                Some("2020-08-17T09:01:29+08:00"),
            ),
            ("2020/5/1", Some("2020-05-01")),
            ("2020/5/1 8:05", Some("2020-05-01T08:05:00")),
            ("2020-05-01", Some("2020-05-01")),
            ("2021年3月8日", Some("2021-03-08")),
            ("Mon, 19 Jan 1970", None),
            ("yesterday", None),
            ("", None),
        ];
        for (raw, want) in cases {
            assert_eq!(to_iso(raw).as_deref(), *want, "{raw}");
        }
    }

    /// Issue 9: a leap second in a TOML date reached the EPUB as `:60`.
    #[test]
    fn leap_second_is_clamped() {
        assert_eq!(
            to_iso("2016-12-31T23:59:60Z").as_deref(),
            Some("2016-12-31T23:59:59Z")
        );
        assert_eq!(
            to_iso("2016-12-31 23:59:60").as_deref(),
            Some("2016-12-31T23:59:59")
        );
    }

    /// Issue 9: `updated: -5000-01-01` and `date: 0000-01-01` made EPUBCheck fail.
    #[test]
    fn years_outside_1_to_9999_are_a_problem() {
        assert!(problem("-5000-01-01").is_some());
        assert!(problem("0000-01-01").is_some());
        assert!(problem("2020-01-01").is_none());
        assert!(problem("0001-01-01T00:00:00Z").is_none());
        assert!(problem("nonsense").is_none());
    }
}
