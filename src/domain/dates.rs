//! When a conversation was last written to, as the list's headings say it:
//! Today, Yesterday, Previous 7 days, Previous 30 days, then by month.
//! Days are the reader's own, from their offset to UTC (minutes east); the
//! browser tells it in the `tz` cookie so that the server renders the same
//! headings as the page that hydrates.

/// The cookie with the reader's offset to UTC, in minutes east (`60` in
/// Paris in winter, `-300` in New York). Not a secret, and not personal
/// beyond what the browser's clock shows anyway.
pub const UTC_OFFSET_COOKIE: &str = "tz";

/// The furthest offsets in use (UTC−12 to UTC+14); anything else is ignored.
const MAX_OFFSET_MINUTES: i32 = 14 * 60;

/// Reads the cookie's value; `None` for anything but a real offset.
pub fn parse_offset(value: &str) -> Option<i32> {
    value
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|m| (-12 * 60..=MAX_OFFSET_MINUTES).contains(m))
}

/// A heading of the conversation list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Age {
    /// The reader's today (or a clock a little ahead).
    Today,
    /// The day before.
    Yesterday,
    /// Two to seven days ago.
    PreviousWeek,
    /// Eight to thirty days ago.
    PreviousMonth,
    /// Older: the month and year.
    Month {
        /// The year, e.g. 2026.
        year: i64,
        /// 1 to 12.
        month: u8,
    },
}

impl Age {
    /// The heading for something written at `at` (Unix seconds), read at
    /// `now` by someone `offset` minutes east of UTC.
    pub fn of(at: i64, now: i64, offset: i32) -> Self {
        let day = |t: i64| (t + i64::from(offset) * 60).div_euclid(86_400);
        match day(now) - day(at) {
            ..=0 => Self::Today,
            1 => Self::Yesterday,
            2..=7 => Self::PreviousWeek,
            8..=30 => Self::PreviousMonth,
            _ => {
                let (year, month, _) = civil_from_days(day(at));
                Self::Month { year, month }
            }
        }
    }

    /// The heading's words, in the current language.
    pub fn label(self) -> String {
        use crate::tr;
        match self {
            Self::Today => tr!(dates.today).to_owned(),
            Self::Yesterday => tr!(dates.yesterday).to_owned(),
            Self::PreviousWeek => tr!(dates.previous_week).to_owned(),
            Self::PreviousMonth => tr!(dates.previous_month).to_owned(),
            Self::Month { year, month } => {
                let name = match month {
                    1 => tr!(dates.months.m01),
                    2 => tr!(dates.months.m02),
                    3 => tr!(dates.months.m03),
                    4 => tr!(dates.months.m04),
                    5 => tr!(dates.months.m05),
                    6 => tr!(dates.months.m06),
                    7 => tr!(dates.months.m07),
                    8 => tr!(dates.months.m08),
                    9 => tr!(dates.months.m09),
                    10 => tr!(dates.months.m10),
                    11 => tr!(dates.months.m11),
                    _ => tr!(dates.months.m12),
                };
                tr!(dates.month_year, month = name, year = year)
            }
        }
    }
}
/// A Unix time as `YYYY-MM-DD HH:MM UTC`: the same on the server and in
/// the browser, so a page hydrates as it was rendered.
pub fn format_utc(unix: i64) -> String {
    let (year, month, day) = civil_from_days(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60
    )
}

/// The calendar date of a day counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month as u8, day as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-02 10:00 UTC.
    const NOW: i64 = 1_796_205_600;
    const HOUR: i64 = 3600;
    const DAY: i64 = 86_400;

    #[test]
    fn days_are_the_readers_own() {
        // 10:00 UTC is 05:00 in New York, 19:00 in Tokyo.
        let ny = -300;
        let tokyo = 540;
        // 04:00 UTC: today in UTC and in Tokyo, still yesterday (23:00) in New York.
        assert_eq!(Age::of(NOW - 6 * HOUR, NOW, 0), Age::Today);
        assert_eq!(Age::of(NOW - 6 * HOUR, NOW, tokyo), Age::Today);
        assert_eq!(Age::of(NOW - 6 * HOUR, NOW, ny), Age::Yesterday);
        // 14:59 UTC the day before: 23:59 in Tokyo, so yesterday there.
        assert_eq!(Age::of(NOW - 19 * HOUR - 60, NOW, tokyo), Age::Yesterday);
        assert_eq!(Age::of(NOW - 19 * HOUR + 60, NOW, tokyo), Age::Today);
    }

    #[test]
    fn the_headings_go_back_by_week_month_then_calendar_month() {
        assert_eq!(
            Age::of(NOW + 5 * 60, NOW, 0),
            Age::Today,
            "a clock a little ahead"
        );
        assert_eq!(Age::of(NOW - DAY, NOW, 0), Age::Yesterday);
        assert_eq!(Age::of(NOW - 2 * DAY, NOW, 0), Age::PreviousWeek);
        assert_eq!(Age::of(NOW - 7 * DAY, NOW, 0), Age::PreviousWeek);
        assert_eq!(Age::of(NOW - 8 * DAY, NOW, 0), Age::PreviousMonth);
        assert_eq!(Age::of(NOW - 30 * DAY, NOW, 0), Age::PreviousMonth);
        let older = Age::of(NOW - 31 * DAY, NOW, 0);
        assert_eq!(
            older,
            Age::Month {
                year: 2026,
                month: 11
            }
        );
        assert_eq!(older.label(), "November 2026");
        assert_eq!(Age::of(NOW - 365 * DAY, NOW, 0).label(), "December 2025");
        assert_eq!(Age::of(0, NOW, 0).label(), "January 1970");
        assert_eq!(Age::PreviousWeek.label(), "Previous 7 days");
    }

    #[test]
    fn calendar_dates_are_right_across_leap_years() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_789), (2026, 12, 2));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn only_real_offsets_are_read() {
        assert_eq!(parse_offset("60"), Some(60));
        assert_eq!(parse_offset("-300"), Some(-300));
        assert_eq!(parse_offset("840"), Some(840));
        assert_eq!(parse_offset("841"), None);
        assert_eq!(parse_offset("-721"), None);
        assert_eq!(parse_offset("1e3"), None);
        assert_eq!(parse_offset(""), None);
    }
}
