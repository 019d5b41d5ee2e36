//! Dates: publication dates in every common form to UTC, and relative date words in
//! event sentences resolved against the publication date.
//!
//! - [`parse_published`]: ISO 8601 / RFC 3339 (with or without zone, fractional
//!   seconds), `YYYY-MM-DD`, `YYYY/MM/DD`, RFC 2822 with numeric offsets or zone names,
//!   Reuters `26-FEB-1987 15:01:01.79`, `December 11, 2025`, `Dec 11, 2025 2:03 PM`,
//!   `11 December 2025`, `MM/DD/YYYY` (US order unless the first number is above 12),
//!   `DD.MM.YYYY`, `YYYYMMDD`, epoch seconds (9–10 digits) and milliseconds (13 digits). A value
//!   without a zone is taken as UTC. Never panics; nonsense gives `None`.
//! - [`resolve_relative`]: date words ("on Thursday", "a day earlier", "Dec. 10",
//!   "last week") to a calendar date, against the article's publication time (its UTC
//!   date). Conventions, following news style:
//!   - a bare weekday ("Thursday", "on Monday night") is the most recent such day on or
//!     before the anchor date (the anchor itself when the weekdays are equal); "last
//!     Thursday" is strictly before the anchor; "next/this/coming Thursday" is on or
//!     after it ("next" strictly after);
//!   - "last week"/"next week" are 7 days before/after the anchor; "last month"/"next
//!     month" the same day of the previous/next month (clamped to the month's end);
//!     "last year"/"next year" the same date a year before/after (29 February → 28);
//!     "last weekend" the most recent Saturday before the anchor;
//!   - "N days/weeks/months/years ago|earlier|later" count from the anchor (the words
//!     do not say which earlier event they count from);
//!   - "N days after|before" with nothing after it is a preposition whose object (a
//!     referenced event: "one day after the United States seized a tanker") follows in
//!     the sentence: it dates one event against another, not against the publication,
//!     so [`resolve_relative`] gives `None` and [`resolve_relative_to`] resolves it
//!     against the other event's date;
//!     "the day before"/"the previous day" is −1, "the next/following day" +1;
//!     "last night" is the day before the anchor; "hours earlier" the anchor;
//!   - a month without a day ("in March") is the 1st of the most recent such month on or
//!     before the anchor's month; "in March 2024" the 1st of that month; "in 2024" the
//!     1st of January;
//!   - an explicit day without a year ("on Dec. 10", "10 December") takes the year that
//!     puts it nearest the anchor, a future distance counting double (an article of
//!     3 January saying "Dec. 10" means last December; one of 5 December means this
//!     one);
//!   - vague periods ("this week", "earlier this year", "recently") give `None`.
//! - [`find_date_expression`]: the byte range of the first date expression of a
//!   sentence, for events' `date_text`.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use regex::{Captures, Regex};

const MONTH: &str = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const ORD: &str = r"(?:st|nd|rd|th)?";

struct DateRegexes {
    iso: Regex,
    compact: Regex,
    day_month_year: Regex,
    month_day_year: Regex,
    numeric: Regex,
    time: Regex,
    zone: Regex,
}

fn date_regexes() -> &'static DateRegexes {
    static R: OnceLock<DateRegexes> = OnceLock::new();
    R.get_or_init(|| DateRegexes {
        iso: Regex::new(r"(?:^|[^0-9])([0-9]{4})([-/.])([0-9]{1,2})[-/.]([0-9]{1,2})(?:$|[^0-9])").unwrap(),
        compact: Regex::new(r"^([0-9]{4})([0-9]{2})([0-9]{2})(?:$|T)").unwrap(),
        day_month_year: Regex::new(&format!(r"(?i)\b([0-9]{{1,2}}){ORD}[-\s./]+(?:of\s+)?{MONTH}\b\.?,?[-\s./]+([0-9]{{4}})\b")).unwrap(),
        month_day_year: Regex::new(&format!(r"(?i)\b{MONTH}\b\.?[-\s]+([0-9]{{1,2}}){ORD}\b,?[-\s]+([0-9]{{4}})\b")).unwrap(),
        numeric: Regex::new(r"\b([0-9]{1,2})([/.\-])([0-9]{1,2})([/.\-])([0-9]{4})\b").unwrap(),
        time: Regex::new(r"(?i)(?:^|[^0-9:])([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?(?:\s*([ap])\.?\s?m\b\.?)?")
            .unwrap(),
        zone: Regex::new(r"(?i)^\s*\(?\s*(?:(z)\b|(?:utc|gmt|ut)?\s*([+-])([0-9]{1,2})(?::?([0-9]{2}))?\b|([a-z]{2,5})\b)").unwrap(),
    })
}

/// Parse a publication date string to UTC. None when unparseable.
pub fn parse_published(raw: &str) -> Option<DateTime<Utc>> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return if s.len() == 8 { parse_general(s) } else { parse_epoch(s) };
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc)).filter(|d| plausible_year(d.year()));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc)).filter(|d| plausible_year(d.year()));
    }
    parse_general(s)
}

fn plausible_year(y: i32) -> bool {
    (1800..=2200).contains(&y)
}

fn parse_epoch(s: &str) -> Option<DateTime<Utc>> {
    let v: i64 = s.parse().ok()?;
    match s.len() {
        9 | 10 => DateTime::from_timestamp(v, 0),
        13 => DateTime::from_timestamp_millis(v),
        _ => None,
    }
}

/// Calendar date anywhere in `s` with a year: (date, byte range of the match).
fn find_full_date(s: &str) -> Option<(NaiveDate, std::ops::Range<usize>)> {
    let r = date_regexes();
    let num = |c: &Captures, i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let mut best: Option<(NaiveDate, std::ops::Range<usize>)> = None;
    let mut consider = |d: Option<NaiveDate>, range: std::ops::Range<usize>| {
        if let Some(d) = d.filter(|d| plausible_year(d.year())) {
            if best.as_ref().is_none_or(|(_, b)| range.start < b.start) {
                best = Some((d, range));
            }
        }
    };
    if let Some(c) = r.iso.captures(s) {
        let y = num(&c, 1).map(|y| y as i32);
        let d = y.and_then(|y| NaiveDate::from_ymd_opt(y, num(&c, 3)?, num(&c, 4)?));
        let m = c.get(1).map_or(0, |m| m.start())..c.get(4).map_or(0, |m| m.end());
        consider(d, m);
    }
    if let Some(c) = r.compact.captures(s) {
        let d = NaiveDate::from_ymd_opt(num(&c, 1).unwrap_or(0) as i32, num(&c, 2)?, num(&c, 3)?);
        consider(d, 0..8);
    }
    if let Some(c) = r.day_month_year.captures(s) {
        let d = month_number(&c[2]).and_then(|mo| NaiveDate::from_ymd_opt(num(&c, 3)? as i32, mo, num(&c, 1)?));
        consider(d, c.get(0).map_or(0..0, |m| m.range()));
    }
    if let Some(c) = r.month_day_year.captures(s) {
        let d = month_number(&c[1]).and_then(|mo| NaiveDate::from_ymd_opt(num(&c, 3)? as i32, mo, num(&c, 2)?));
        consider(d, c.get(0).map_or(0..0, |m| m.range()));
    }
    if let Some(c) = r.numeric.captures(s) {
        if c[2] == c[4] {
            let (a, b, y) = (num(&c, 1)?, num(&c, 3)?, num(&c, 5)? as i32);
            // "/" is US month/day order unless the first number cannot be a month;
            // "." and "-" are day.month order unless the second cannot be a month.
            let (mo, day) = if &c[2] == "/" {
                if a > 12 {
                    (b, a)
                } else {
                    (a, b)
                }
            } else if b > 12 {
                (a, b)
            } else {
                (b, a)
            };
            consider(NaiveDate::from_ymd_opt(y, mo, day), c.get(0).map_or(0..0, |m| m.range()));
        }
    }
    best
}

// Offsets are ends of regex matches in `s`: char boundaries.
#[allow(clippy::string_slice)]
fn parse_general(s: &str) -> Option<DateTime<Utc>> {
    let (date, range) = find_full_date(s)?;
    let r = date_regexes();
    // The time usually follows the date; some formats put it first ("2:03 PM, Dec. 11").
    let (time_caps, after) = match r.time.captures(&s[range.end..]) {
        Some(c) => (Some(c), range.end),
        None => match r.time.captures(&s[..range.start]) {
            Some(c) => (Some(c), 0),
            None => (None, 0),
        },
    };
    let Some(c) = time_caps else {
        return Some(Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)));
    };
    let num = |i: usize| c.get(i).map(|m| m.as_str().parse::<u32>().ok());
    let mut hour = num(1)??;
    let minute = num(2)??;
    let second = num(3).unwrap_or(Some(0))?.min(59);
    let nanos = match c.get(4) {
        Some(f) => {
            // The regex matches ASCII digits only; `get` keeps a cut inside a character
            // (were the pattern ever widened) from panicking.
            let digits = f.as_str().get(..f.as_str().len().min(9))?;
            let v: u32 = digits.parse().ok()?;
            v * 10u32.pow(9u32.saturating_sub(digits.len() as u32))
        }
        None => 0,
    };
    if let Some(ampm) = c.get(5) {
        if hour == 0 || hour > 12 {
            return None;
        }
        let pm = ampm.as_str().eq_ignore_ascii_case("p");
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let naive = NaiveDateTime::new(date, time);
    let zone_start = after + c.get(0).map_or(0, |m| m.end());
    let offset = zone_offset(&s[zone_start..]).unwrap_or(0);
    let fixed = FixedOffset::east_opt(offset)?;
    let local = fixed.from_local_datetime(&naive).single()?;
    Some(local.with_timezone(&Utc))
}

/// Offset in seconds east of UTC of the zone at the start of `rest`, if any.
fn zone_offset(rest: &str) -> Option<i32> {
    let c = date_regexes().zone.captures(rest)?;
    if c.get(1).is_some() {
        return Some(0);
    }
    if let (Some(sign), Some(h)) = (c.get(2), c.get(3)) {
        let h: i32 = h.as_str().parse().ok()?;
        let m: i32 = c.get(4).map_or(Some(0), |m| m.as_str().parse().ok())?;
        if h > 14 || m > 59 {
            return None;
        }
        let v = h * 3600 + m * 60;
        return Some(if sign.as_str() == "-" { -v } else { v });
    }
    let name = c.get(5)?.as_str().to_ascii_uppercase();
    let hours: f32 = match name.as_str() {
        "UTC" | "GMT" | "UT" | "Z" | "WET" | "GMT0" => 0.0,
        "BST" | "CET" | "MET" | "WEST" | "WAT" | "IST1" => 1.0,
        "CEST" | "MEST" | "EET" | "SAST" | "CAT" => 2.0,
        "EEST" | "MSK" | "EAT" | "AST3" | "TRT" => 3.0,
        "GST" => 4.0,
        "PKT" => 5.0,
        "IST" => 5.5,
        "ICT" | "WIB" => 7.0,
        "HKT" | "SGT" | "PHT" | "AWST" | "CST8" => 8.0,
        "JST" | "KST" => 9.0,
        "ACST" => 9.5,
        "AEST" => 10.0,
        "AEDT" => 11.0,
        "NZST" => 12.0,
        "NZDT" => 13.0,
        "BRT" | "ART" | "ADT" => -3.0,
        "NST" => -3.5,
        "AST" | "EDT" => -4.0,
        "EST" | "CDT" => -5.0,
        "CST" | "MDT" => -6.0,
        "MST" | "PDT" => -7.0,
        "PST" | "AKDT" => -8.0,
        "AKST" => -9.0,
        "HST" => -10.0,
        _ => return None,
    };
    Some((hours * 3600.0) as i32)
}

fn month_number(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    let m = match l.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn weekday_of(s: &str) -> Option<Weekday> {
    let l = s.to_ascii_lowercase();
    Some(match l.get(..3)? {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

fn number_word(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(v) = s.parse::<i64>() {
        return (0..=1000).contains(&v).then_some(v);
    }
    Some(match s {
        "a" | "an" | "one" | "a single" => 1,
        "two" | "a couple of" | "a couple" | "couple of" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        _ => return None,
    })
}

struct RelRegexes {
    month_day: Regex,
    day_month: Regex,
    month_year: Regex,
    month_only: Regex,
    year_only: Regex,
    count: Regex,
    in_count: Regex,
    weekday: Regex,
}

fn rel_regexes() -> &'static RelRegexes {
    static R: OnceLock<RelRegexes> = OnceLock::new();
    R.get_or_init(|| {
        let num = r"([0-9]{1,4}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|(?:a\s+)?couple(?:\s+of)?)";
        RelRegexes {
            month_day: Regex::new(&format!(r"\b{MONTH}\b\.?\s+([0-9]{{1,2}}){ORD}\b")).unwrap(),
            day_month: Regex::new(&format!(
                r"\b([0-9]{{1,2}}){ORD}\s+(?:of\s+)?{MONTH}\b"
            ))
            .unwrap(),
            month_year: Regex::new(&format!(r"\b{MONTH}\b\.?,?\s+([0-9]{{4}})\b")).unwrap(),
            month_only: Regex::new(
                r"\b(?:(last|next|this|in|during|since|until|by|early|late|mid|of)[\s-]+)?((?:january|february|march|april|may|june|july|august|september|october|november|december)\b|jan\.|feb\.|aug\.|sept?\.|oct\.|nov\.|dec\.)",
            )
            .unwrap(),
            year_only: Regex::new(r"^(?:(?:in|during|since|until|by|early|late|mid|of)[\s-]+)?((?:1[89]|2[01])[0-9]{2})$").unwrap(),
            count: Regex::new(&format!(
                r"\b{num}\s+(day|week|fortnight|month|year|hour|minute)s?\s+(ago|earlier|before|prior|previously|later|after|afterwards?|on|from\s+now|hence)\b"
            ))
            .unwrap(),
            in_count: Regex::new(&format!(
                r"\b(?:in|within)\s+{num}\s+(day|week|fortnight|month|year)s?\b"
            ))
            .unwrap(),
            weekday: Regex::new(
                r"\b(?:(last|next|this|coming|past|on)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:mon|tues?|wed|thu|thur|thurs|fri|sat|sun)\.)",
            )
            .unwrap(),
        }
    })
}

fn normalize_words(words: &str) -> String {
    let mut out = String::with_capacity(words.len());
    for part in words.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out.to_lowercase()
        .replace(['\u{2019}', '\u{2018}'], "'")
        .trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '"' | '!' | '?'))
        .to_string()
}

fn add_months(d: NaiveDate, months: i64) -> Option<NaiveDate> {
    if months >= 0 {
        d.checked_add_months(Months::new(months as u32))
    } else {
        d.checked_sub_months(Months::new((-months) as u32))
    }
}

fn shift(anchor: NaiveDate, unit: &str, n: i64) -> Option<NaiveDate> {
    match unit {
        "day" => anchor.checked_add_signed(Duration::try_days(n)?),
        "week" => anchor.checked_add_signed(Duration::try_days(7 * n)?),
        "fortnight" => anchor.checked_add_signed(Duration::try_days(14 * n)?),
        "month" => add_months(anchor, n),
        "year" => add_months(anchor, 12 * n),
        "hour" | "minute" => Some(anchor),
        _ => None,
    }
}

/// Resolve date words ("on Thursday", "a day earlier", "March 3") against the
/// article's publication time. See the module documentation for the conventions.
pub fn resolve_relative(words: &str, anchor: Option<DateTime<Utc>>) -> Option<NaiveDate> {
    let w = normalize_words(words);
    if w.is_empty() || w.len() > 200 {
        return None;
    }
    // 1. Explicit calendar dates with a year need no anchor.
    if let Some((d, _)) = find_full_date(&w) {
        return Some(d);
    }
    let anchor = anchor?.date_naive();
    let r = rel_regexes();

    // 2. Day and month without a year.
    let md = r.month_day.captures(&w).and_then(|c| Some((month_number(&c[1])?, c[2].parse::<u32>().ok()?))).or_else(|| {
        let c = r.day_month.captures(&w)?;
        Some((month_number(&c[2])?, c[1].parse::<u32>().ok()?))
    });
    if let Some((month, day)) = md {
        return nearest_year(anchor, month, day);
    }

    // 3. Month and year, month alone, year alone.
    if let Some(c) = r.month_year.captures(&w) {
        let y: i32 = c[2].parse().ok()?;
        return NaiveDate::from_ymd_opt(y, month_number(&c[1])?, 1).filter(|d| plausible_year(d.year()));
    }
    if let Some(c) = r.month_only.captures(&w) {
        let month = month_number(&c[2])?;
        let (y, m0) = (anchor.year(), anchor.month());
        let year = match c.get(1).map(|m| m.as_str()) {
            Some("last") if month >= m0 => y - 1,
            Some("next") if month <= m0 => y + 1,
            Some("next") => y,
            _ if month > m0 => y - 1,
            _ => y,
        };
        return NaiveDate::from_ymd_opt(year, month, 1);
    }
    if let Some(c) = r.year_only.captures(&w) {
        return NaiveDate::from_ymd_opt(c[1].parse().ok()?, 1, 1);
    }

    // 4. Day words.
    let day = |n: i64| anchor.checked_add_signed(Duration::try_days(n)?);
    let has = |p: &str| contains_words(&w, p);
    if has("day before yesterday") {
        return day(-2);
    }
    if has("day after tomorrow") {
        return day(2);
    }
    if has("yesterday") || has("last night") {
        return day(-1);
    }
    if has("tomorrow") {
        return day(1);
    }
    if has("today")
        || has("tonight")
        || has("overnight")
        || has("this morning")
        || has("this afternoon")
        || has("this evening")
        || has("hours earlier")
        || has("hours later")
        || has("hours ago")
        || has("earlier in the day")
        || has("later in the day")
    {
        return Some(anchor);
    }

    // 5. Counted offsets.
    if let Some(c) = r.count.captures(&w) {
        let n = number_word(&c[1])?;
        if referenced_offset(&w).is_some() {
            return None;
        }
        let sign = match &c[3] {
            "ago" | "earlier" | "before" | "prior" | "previously" => -1,
            _ => 1,
        };
        return shift(anchor, &c[2], sign * n);
    }
    if let Some(c) = r.in_count.captures(&w) {
        return shift(anchor, &c[2], number_word(&c[1])?);
    }
    for (phrase, unit, n) in [
        ("the day before", "day", -1),
        ("the previous day", "day", -1),
        ("the day prior", "day", -1),
        ("the night before", "day", -1),
        ("the previous night", "day", -1),
        ("the next day", "day", 1),
        ("the following day", "day", 1),
        ("the day after", "day", 1),
        ("the next morning", "day", 1),
        ("the following morning", "day", 1),
        ("the same day", "day", 0),
        ("the previous week", "week", -1),
        ("the week before", "week", -1),
        ("the following week", "week", 1),
        ("the week after", "week", 1),
        ("the previous month", "month", -1),
        ("the following month", "month", 1),
        ("the previous year", "year", -1),
        ("the following year", "year", 1),
        ("last week", "week", -1),
        ("past week", "week", -1),
        ("next week", "week", 1),
        ("last month", "month", -1),
        ("next month", "month", 1),
        ("last year", "year", -1),
        ("next year", "year", 1),
    ] {
        if has(phrase) {
            return shift(anchor, unit, n);
        }
    }
    if has("last weekend") || has("past weekend") {
        return most_recent(anchor, Weekday::Sat, false);
    }
    if has("this weekend") || has("next weekend") || has("coming weekend") {
        let wd = anchor.weekday();
        if has("this weekend") && (wd == Weekday::Sat || wd == Weekday::Sun) {
            return Some(anchor);
        }
        return next_on_or_after(anchor, Weekday::Sat, false);
    }

    // 6. Weekdays.
    if let Some(c) = r.weekday.captures(&w) {
        let wd = weekday_of(&c[2])?;
        return match c.get(1).map(|m| m.as_str()) {
            Some("last") => most_recent(anchor, wd, false),
            Some("next") => next_on_or_after(anchor, wd, false),
            Some("this") | Some("coming") => next_on_or_after(anchor, wd, true),
            _ => most_recent(anchor, wd, true),
        };
    }
    None
}

/// Which side of "N days after|before X" an event is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The event is X, the clause the preposition governs: "one day after [the United
    /// States seized a tanker]".
    Referenced,
    /// The event is the main clause: "[the call came] one day after …".
    Main,
}

/// Days from the referenced event X to the main clause in "N units after|before" when
/// the words end with the preposition (its object follows): "one day after" → +1,
/// "two weeks before" → −14. Months and years count as 30 and 365 days.
fn referenced_offset(w: &str) -> Option<i64> {
    let c = rel_regexes().count.captures(w)?;
    let whole = c.get(0)?;
    if whole.end() != w.len() {
        return None;
    }
    let sign = match &c[3] {
        "after" => 1,
        "before" | "prior" => -1,
        _ => return None,
    };
    let days = match &c[2] {
        "day" => 1,
        "week" => 7,
        "fortnight" => 14,
        "month" => 30,
        "year" => 365,
        _ => return None,
    };
    Some(sign * days * number_word(&c[1])?)
}

/// [`resolve_relative`] for an event dated against another event: `reference` is the
/// date of the other side of "N days after|before" (for [`Side::Referenced`], the main
/// clause's date, often the article's narrative date: "The call came one day after the
/// United States seized a tanker", the call being on Thursday, dates the seizure on
/// Wednesday; for [`Side::Main`], the referenced event's date). Other expressions
/// resolve as in [`resolve_relative`].
pub fn resolve_relative_to(words: &str, anchor: Option<DateTime<Utc>>, reference: Option<NaiveDate>, side: Side) -> Option<NaiveDate> {
    let w = normalize_words(words);
    let Some(offset) = referenced_offset(&w) else {
        return resolve_relative(words, anchor);
    };
    let reference = reference?;
    let days = match side {
        Side::Referenced => -offset,
        Side::Main => offset,
    };
    reference.checked_add_signed(Duration::try_days(days)?)
}

/// Dates of the events of one article, in text order. Besides [`resolve_relative`], it
/// keeps the narrative date (the last date resolved from explicit words) and dates an
/// event in the clause of "N days after|before …" against it: "Putin spoke with Maduro
/// on Thursday … The call came one day after the United States seized a tanker" dates
/// the seizure on Wednesday.
pub struct EventDater {
    anchor: Option<DateTime<Utc>>,
    narrative: Option<NaiveDate>,
}

impl EventDater {
    pub fn new(anchor: Option<DateTime<Utc>>) -> EventDater {
        EventDater { anchor, narrative: None }
    }

    /// The date of an event with date words `words`; `trigger_after_words` when the
    /// event's trigger follows them (the event is the clause they govern).
    pub fn date(&mut self, words: &str, trigger_after_words: bool) -> Option<NaiveDate> {
        let side = if trigger_after_words { Side::Referenced } else { Side::Main };
        let reference = if side == Side::Referenced { self.narrative } else { None };
        let d = resolve_relative_to(words, self.anchor, reference, side);
        if d.is_some() && referenced_offset(&normalize_words(words)).is_none() {
            self.narrative = d;
        }
        d
    }
}

/// True when `phrase` occurs in `w` at word boundaries.
// `from` is moved to a char boundary before each slice; `s`, `e` are match bounds.
#[allow(clippy::string_slice)]
fn contains_words(w: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(i) = w[from..].find(phrase) {
        let s = from + i;
        let e = s + phrase.len();
        let before_ok = s == 0 || !w[..s].chars().next_back().is_some_and(char::is_alphanumeric);
        let after_ok = e == w.len() || !w[e..].chars().next().is_some_and(char::is_alphanumeric);
        if before_ok && after_ok {
            return true;
        }
        from = s + 1;
        while !w.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

fn most_recent(anchor: NaiveDate, wd: Weekday, inclusive: bool) -> Option<NaiveDate> {
    let diff = (anchor.weekday().num_days_from_monday() as i64 - wd.num_days_from_monday() as i64).rem_euclid(7);
    let diff = if diff == 0 && !inclusive { 7 } else { diff };
    anchor.checked_sub_signed(Duration::try_days(diff)?)
}

fn next_on_or_after(anchor: NaiveDate, wd: Weekday, inclusive: bool) -> Option<NaiveDate> {
    let diff = (wd.num_days_from_monday() as i64 - anchor.weekday().num_days_from_monday() as i64).rem_euclid(7);
    let diff = if diff == 0 && !inclusive { 7 } else { diff };
    anchor.checked_add_signed(Duration::try_days(diff)?)
}

/// The date with this month and day nearest the anchor, a future distance counting
/// double.
fn nearest_year(anchor: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    (anchor.year() - 1..=anchor.year() + 1).filter_map(|y| NaiveDate::from_ymd_opt(y, month, day)).min_by_key(|d| {
        let delta = (*d - anchor).num_days();
        if delta > 0 {
            2 * delta
        } else {
            -delta
        }
    })
}

fn find_regex() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        let month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)";
        let month_full = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)";
        let weekday = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
        let part = r"(?:\s+(?i:morning|afternoon|evening|night))?";
        let num = r"(?i:[0-9]{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|(?:a\s+)?couple(?:\s+of)?)";
        let alts = [
            // ISO and numeric dates.
            r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b".to_string(),
            r"\b[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}\b".to_string(),
            // [on] [Thursday,] Dec. 11[, 2025]
            format!(
                r"\b(?:(?i:on)\s+)?(?:{weekday},?\s+)?{month}\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+[0-9]{{4}}\b)?"
            ),
            // [on] [Thursday,] 11 December[ 2025]
            format!(
                r"\b(?:(?i:on)\s+)?(?:{weekday},?\s+)?(?:the\s+)?[0-9]{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{month}\b\.?(?:,?\s+[0-9]{{4}}\b)?"
            ),
            // in March[ 2024], early March, March 2024
            format!(
                r"\b(?:(?i:in|during|since|until|by|early|late|mid|last|next|this)[\s-]+){month_full}\b(?:,?\s+[0-9]{{4}}\b)?"
            ),
            format!(r"\b{month_full},?\s+[0-9]{{4}}\b"),
            // in 2024
            r"\b(?i:in|during|since)\s+(?:19|20)[0-9]{2}\b".to_string(),
            // [on|last|next] Thursday [night]
            format!(r"\b(?:(?i:on|last|next|this|past|coming)\s+)?{weekday}\b{part}"),
            // day words
            format!(
                r"(?i:\b(?:the\s+)?day\s+(?:before\s+yesterday|after\s+tomorrow)\b|\b(?:yesterday|today|tonight|tomorrow)\b{part}|\blast\s+night\b|\bthis\s+(?:morning|afternoon|evening)\b|\bovernight\b)"
            ),
            // a day earlier, two weeks ago, in three days
            format!(
                r"(?i:\b{num}\s+(?:day|week|fortnight|month|year|hour)s?\s+(?:ago|earlier|before|prior|previously|later|after|afterwards?|from\s+now)\b)"
            ),
            format!(r"(?i:\bin\s+{num}\s+(?:day|week|fortnight|month|year)s?\b)"),
            // the day before, the following week
            r"(?i:\bthe\s+(?:previous|next|following|same)\s+(?:day|week|month|year|morning|night|evening)\b|\bthe\s+(?:day|night|week)\s+(?:before|after|prior)\b)".to_string(),
            // last week, this weekend, next year
            r"(?i:\b(?:last|next|this|past|coming)\s+(?:week|weekend|month|year)\b)".to_string(),
        ];
        Regex::new(&alts.join("|")).unwrap()
    })
}

/// Byte range of the first date expression in a sentence ("on Thursday",
/// "Dec. 10, 2025", "a day earlier", "last week"), if any.
pub fn find_date_expression(sentence: &str) -> Option<(usize, usize)> {
    find_regex().find(sentence).map(|m| (m.start(), m.end()))
}

#[cfg(test)]
#[allow(clippy::string_slice)] // tests: match bounds of the text; a panic is a failure
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn p(s: &str) -> Option<String> {
        parse_published(s).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }

    #[test]
    fn published_iso_and_rfc() {
        assert_eq!(p("2025-12-11T14:03:00Z").unwrap(), "2025-12-11T14:03:00Z");
        assert_eq!(p("2025-12-11T14:03:00+02:00").unwrap(), "2025-12-11T12:03:00Z");
        assert_eq!(p("2025-12-11T14:03:00.123-05:00").unwrap(), "2025-12-11T19:03:00.123Z");
        assert_eq!(p("2025-12-11T14:03:00").unwrap(), "2025-12-11T14:03:00Z");
        assert_eq!(p("2025-12-11 14:03:00.5").unwrap(), "2025-12-11T14:03:00.500Z");
        assert_eq!(p("2025-12-11T14:03:00+0530").unwrap(), "2025-12-11T08:33:00Z");
        assert_eq!(p("2025-12-11T14:03Z").unwrap(), "2025-12-11T14:03:00Z");
        assert_eq!(p("2025-12-11").unwrap(), "2025-12-11T00:00:00Z");
        assert_eq!(p("2025/12/11").unwrap(), "2025-12-11T00:00:00Z");
        assert_eq!(p("20251211").unwrap(), "2025-12-11T00:00:00Z");
        assert_eq!(p("Thu, 11 Dec 2025 14:03:00 +0000").unwrap(), "2025-12-11T14:03:00Z");
        assert_eq!(p("Thu, 11 Dec 2025 14:03:00 GMT").unwrap(), "2025-12-11T14:03:00Z");
        assert_eq!(p("Thu, 11 Dec 2025 09:03:00 EST").unwrap(), "2025-12-11T14:03:00Z");
        assert_eq!(p("Thu, 11 Dec 2025 10:03:00 EDT").unwrap(), "2025-12-11T14:03:00Z");
        assert_eq!(p("Thu, 11 Dec 2025 06:03:00 PST").unwrap(), "2025-12-11T14:03:00Z");
        assert_eq!(p("Thu, 11 Dec 2025 14:03 UTC").unwrap(), "2025-12-11T14:03:00Z");
        assert_eq!(p("11 Dec 2025 15:03:00 CET").unwrap(), "2025-12-11T14:03:00Z");
    }

    #[test]
    fn published_prose_and_reuters() {
        assert_eq!(p("26-FEB-1987 15:01:01.79").unwrap(), "1987-02-26T15:01:01.790Z");
        assert_eq!(p(" 3-MAR-1987 09:18:21.26").unwrap(), "1987-03-03T09:18:21.260Z");
        assert_eq!(p("December 11, 2025").unwrap(), "2025-12-11T00:00:00Z");
        assert_eq!(p("Dec 11, 2025 2:03 PM").unwrap(), "2025-12-11T14:03:00Z");
        assert_eq!(p("Dec. 11, 2025 12:15 a.m. EST").unwrap(), "2025-12-11T05:15:00Z");
        assert_eq!(p("December 11, 2025 at 9:30 am").unwrap(), "2025-12-11T09:30:00Z");
        assert_eq!(p("11 December 2025").unwrap(), "2025-12-11T00:00:00Z");
        assert_eq!(p("11th December 2025, 08:00").unwrap(), "2025-12-11T08:00:00Z");
        assert_eq!(p("Thursday, December 11, 2025").unwrap(), "2025-12-11T00:00:00Z");
        assert_eq!(p("12/11/2025").unwrap(), "2025-12-11T00:00:00Z");
        assert_eq!(p("25/12/2025").unwrap(), "2025-12-25T00:00:00Z");
        assert_eq!(p("11.12.2025 14:03").unwrap(), "2025-12-11T14:03:00Z");
        assert_eq!(p("Published: Dec 11, 2025 2:03 PM GMT+1").unwrap(), "2025-12-11T13:03:00Z");
    }

    #[test]
    fn published_epochs() {
        assert_eq!(p("1765461780").unwrap(), "2025-12-11T14:03:00Z");
        assert_eq!(p("1765461780123").unwrap(), "2025-12-11T14:03:00.123Z");
        assert_eq!(p("999999999").unwrap(), "2001-09-09T01:46:39Z");
        assert_eq!(p("12345"), None);
    }

    #[test]
    fn published_nonsense() {
        for s in [
            "",
            "   ",
            "hello",
            "yesterday",
            "2025-13-45",
            "2025-02-30",
            "32 December 2025",
            "Dec 11, 2025 25:00",
            "0000-00-00",
            "99999999999999999999",
            "2025",
            "\u{0}\u{ffff}",
            "١٢/١٢/٢٠٢٥",
        ] {
            assert_eq!(parse_published(s), None, "{s:?}");
        }
        // Never panics on arbitrary bytes.
        for s in ["::::", "+99:99", "1-1-1", "Dec", "T", "Z", "2025-12-11T99:99:99Z"] {
            let _ = parse_published(s);
        }
        // Non-ASCII digits are no digits here: a fraction of Arabic-Indic digits once
        // made the fraction cut land inside a character.
        let arabic = parse_published("2024-03-05T10:30:00.\u{661}\u{662}\u{663}\u{664}\u{665}Z");
        assert!(arabic.is_none_or(|d| d.to_rfc3339().starts_with("2024-03-05T10:30:00")), "{arabic:?}");
        for s in ["2024-03-05 10:30:00.\u{661}\u{662}", "\u{661}\u{662}:\u{663}\u{664} 2024-03-05", "2024-03-05 10:\u{ff13}\u{ff10}"] {
            let _ = parse_published(s);
        }
        assert_eq!(resolve_relative("\u{661}\u{662} days ago", None), None);
    }

    // Thursday 11 December 2025.
    fn anchor() -> Option<DateTime<Utc>> {
        Some(utc("2025-12-11T14:03:00Z"))
    }

    fn rel(w: &str) -> Option<String> {
        resolve_relative(w, anchor()).map(|d| d.to_string())
    }

    #[test]
    fn relative_weekdays() {
        assert_eq!(rel("on Thursday").unwrap(), "2025-12-11");
        assert_eq!(rel("Thursday").unwrap(), "2025-12-11");
        assert_eq!(rel("on Wednesday").unwrap(), "2025-12-10");
        assert_eq!(rel("Monday night").unwrap(), "2025-12-08");
        assert_eq!(rel("on Friday").unwrap(), "2025-12-05");
        assert_eq!(rel("last Thursday").unwrap(), "2025-12-04");
        assert_eq!(rel("next Monday").unwrap(), "2025-12-15");
        assert_eq!(rel("this Saturday").unwrap(), "2025-12-13");
        assert_eq!(rel("Thurs.").unwrap(), "2025-12-11");
    }

    #[test]
    fn relative_day_words_and_offsets() {
        assert_eq!(rel("today").unwrap(), "2025-12-11");
        assert_eq!(rel("yesterday").unwrap(), "2025-12-10");
        assert_eq!(rel("tomorrow").unwrap(), "2025-12-12");
        assert_eq!(rel("last night").unwrap(), "2025-12-10");
        assert_eq!(rel("the day before yesterday").unwrap(), "2025-12-09");
        assert_eq!(rel("last week").unwrap(), "2025-12-04");
        assert_eq!(rel("last month").unwrap(), "2025-11-11");
        assert_eq!(rel("last year").unwrap(), "2024-12-11");
        assert_eq!(rel("next week").unwrap(), "2025-12-18");
        assert_eq!(rel("a day earlier").unwrap(), "2025-12-10");
        assert_eq!(rel("two days ago").unwrap(), "2025-12-09");
        assert_eq!(rel("3 days later").unwrap(), "2025-12-14");
        assert_eq!(rel("a week ago").unwrap(), "2025-12-04");
        assert_eq!(rel("two months ago").unwrap(), "2025-10-11");
        assert_eq!(rel("the previous day").unwrap(), "2025-12-10");
        assert_eq!(rel("the following day").unwrap(), "2025-12-12");
        assert_eq!(rel("in three days").unwrap(), "2025-12-14");
        assert_eq!(rel("hours earlier").unwrap(), "2025-12-11");
        assert_eq!(rel("last weekend").unwrap(), "2025-12-06");
        let mar31 = Some(utc("2025-03-31T10:00:00Z"));
        assert_eq!(resolve_relative("last month", mar31).unwrap().to_string(), "2025-02-28");
    }

    #[test]
    fn relative_months_and_explicit_dates() {
        assert_eq!(rel("in March").unwrap(), "2025-03-01");
        assert_eq!(rel("in December").unwrap(), "2025-12-01");
        let jan = Some(utc("2026-01-03T00:00:00Z"));
        assert_eq!(resolve_relative("in March", jan).unwrap().to_string(), "2025-03-01");
        assert_eq!(resolve_relative("on Dec. 10", jan).unwrap().to_string(), "2025-12-10");
        assert_eq!(rel("on Dec. 10").unwrap(), "2025-12-10");
        assert_eq!(rel("December 10").unwrap(), "2025-12-10");
        assert_eq!(rel("10 December").unwrap(), "2025-12-10");
        assert_eq!(rel("Dec. 15").unwrap(), "2025-12-15");
        assert_eq!(rel("on Jan. 5").unwrap(), "2026-01-05");
        assert_eq!(rel("March 3, 2024").unwrap(), "2024-03-03");
        assert_eq!(rel("in March 2024").unwrap(), "2024-03-01");
        assert_eq!(rel("in 2024").unwrap(), "2024-01-01");
        assert_eq!(rel("Thursday, Dec. 4").unwrap(), "2025-12-04");
        assert_eq!(resolve_relative("March 3, 2024", None).unwrap().to_string(), "2024-03-03");
    }

    #[test]
    fn one_day_after_a_referenced_event() {
        // Published Friday 12 December 2025: "Putin spoke with Maduro on Thursday … The
        // call came one day after the United States seized a tanker": the seizure is on
        // Wednesday 10th, not the 13th (a day after publication).
        let friday = Some(utc("2025-12-12T15:00:00Z"));
        assert_eq!(resolve_relative("one day after", friday), None, "no reference: not the publication date + 1");
        let thursday = resolve_relative("on Thursday", friday).unwrap();
        assert_eq!(thursday.to_string(), "2025-12-11");
        let seized = resolve_relative_to("one day after", friday, Some(thursday), Side::Referenced).unwrap();
        assert_eq!(seized.to_string(), "2025-12-10");
        // The main clause dated from the referenced event.
        let main = resolve_relative_to("two days before", friday, Some(thursday), Side::Main).unwrap();
        assert_eq!(main.to_string(), "2025-12-09");
        assert_eq!(resolve_relative_to("a week after", friday, Some(thursday), Side::Main).unwrap().to_string(), "2025-12-18");
        // Across a month end.
        let mar1 = NaiveDate::from_ymd_opt(2024, 3, 1);
        assert_eq!(resolve_relative_to("one day after", None, mar1, Side::Referenced).unwrap().to_string(), "2024-02-29");
        // Without a reference there is no date; other words resolve as usual.
        assert_eq!(resolve_relative_to("one day after", friday, None, Side::Referenced), None);
        assert_eq!(resolve_relative_to("on Thursday", friday, None, Side::Main).unwrap().to_string(), "2025-12-11");
        // "later"/"earlier" and "ago" still count from the publication date.
        assert_eq!(resolve_relative("a day later", friday).unwrap().to_string(), "2025-12-13");
        assert_eq!(resolve_relative("a day earlier", friday).unwrap().to_string(), "2025-12-11");
    }

    #[test]
    fn event_dater_keeps_the_narrative_date() {
        let mut d = EventDater::new(Some(utc("2025-12-12T15:00:00Z")));
        assert_eq!(d.date("one day after", true), None, "no narrative date yet");
        assert_eq!(d.date("on Thursday", false).unwrap().to_string(), "2025-12-11");
        assert_eq!(d.date("one day after", true).unwrap().to_string(), "2025-12-10");
        assert_eq!(d.date("one day after", false), None, "main clause: the referenced date is unknown");
        assert_eq!(d.date("on Thursday", true).unwrap().to_string(), "2025-12-11");
    }

    #[test]
    fn monday_night_last_week_and_months_across_ends() {
        // Monday night: the most recent Monday, on or before the anchor.
        let monday = Some(utc("2025-12-08T23:00:00Z"));
        assert_eq!(resolve_relative("Monday night", monday).unwrap().to_string(), "2025-12-08");
        let sunday = Some(utc("2025-12-07T10:00:00Z"));
        assert_eq!(resolve_relative("on Monday night", sunday).unwrap().to_string(), "2025-12-01");
        // Across a year end: a Thursday 1 January article, "Monday night" is 29 December.
        let jan1 = Some(utc("2026-01-01T08:00:00Z"));
        assert_eq!(resolve_relative("Monday night", jan1).unwrap().to_string(), "2025-12-29");
        // Last week across month and year ends.
        assert_eq!(resolve_relative("last week", jan1).unwrap().to_string(), "2025-12-25");
        let mar3 = Some(utc("2025-03-03T08:00:00Z"));
        assert_eq!(resolve_relative("last week", mar3).unwrap().to_string(), "2025-02-24");
        // "in March": the most recent March on or before the anchor's month.
        assert_eq!(resolve_relative("in March", mar3).unwrap().to_string(), "2025-03-01");
        let feb28 = Some(utc("2025-02-28T08:00:00Z"));
        assert_eq!(resolve_relative("in March", feb28).unwrap().to_string(), "2024-03-01");
        assert_eq!(resolve_relative("next March", feb28).unwrap().to_string(), "2025-03-01");
        assert_eq!(resolve_relative("last March", mar3).unwrap().to_string(), "2024-03-01");
        assert_eq!(resolve_relative("in December", jan1).unwrap().to_string(), "2025-12-01");
        assert_eq!(resolve_relative("in January", jan1).unwrap().to_string(), "2026-01-01");
        // Last month at a year start and at a month end.
        assert_eq!(resolve_relative("last month", jan1).unwrap().to_string(), "2025-12-01");
        let may31 = Some(utc("2025-05-31T08:00:00Z"));
        assert_eq!(resolve_relative("last month", may31).unwrap().to_string(), "2025-04-30");
    }

    #[test]
    fn relative_nothing() {
        assert_eq!(rel(""), None);
        assert_eq!(rel("the president"), None);
        assert_eq!(rel("recently"), None);
        assert_eq!(rel("this week"), None);
        assert_eq!(resolve_relative("on Thursday", None), None);
    }

    #[test]
    fn find_expressions() {
        fn f(s: &str) -> Option<&str> {
            find_date_expression(s).map(|(a, b)| &s[a..b])
        }
        assert_eq!(f("Russia attacked Kyiv on Thursday, officials said."), Some("on Thursday"));
        assert_eq!(f("The talks, held Monday night in Doha, failed."), Some("Monday night"));
        assert_eq!(f("A day earlier, troops had crossed."), Some("A day earlier"));
        assert_eq!(f("He was arrested on Dec. 10 in Miami."), Some("on Dec. 10"));
        assert_eq!(f("Signed on March 3, 2024, the deal"), Some("on March 3, 2024"));
        assert_eq!(f("It happened in March, he said."), Some("in March"));
        assert_eq!(f("It was signed 10 December 2025 in Paris."), Some("10 December 2025"));
        assert_eq!(f("The strike came two days ago."), Some("two days ago"));
        assert_eq!(f("Police said yesterday that"), Some("yesterday"));
        assert_eq!(f("Talks resume next week."), Some("next week"));
        assert_eq!(f("Protesters march on the capital."), None);
        assert_eq!(f("She may come."), None);
        assert_eq!(f("No date here."), None);
        assert_eq!(f("Data from 2025-12-11 show"), Some("2025-12-11"));
    }
}
