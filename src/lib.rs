//! newsgrid: a batch pipeline that turns news dumps into entity, event and attribution
//! tables. `load` → `clean` → `extract` → `normalize`, then the tables are written as
//! Parquet and CSV with a run manifest.
//!
//! Module map: `api` (the pipeline on records in memory, for the Python package), `cli` (flags → settings → library calls), `config` (pipeline.toml),
//! `runner` (freshness, stage order, manifest), `stages` (one module per stage), `io`
//! (dump readers), `nlp` (tokens, sentences, entities, events, attributions, resolution),
//! `tables` (schemas, artifacts, writers), `output` (the output folder).

pub mod api;
pub mod cli;
pub mod config;
pub mod error;
pub mod eval;
pub mod hashing;
pub mod html;
pub mod ids;
pub mod io;
pub mod nlp;
pub mod offsets;
pub mod output;
pub mod runner;
pub mod stages;
pub mod tables;

pub use error::Error;

/// `&s[range]` that never panics: both ends are clamped to the text and floored to a
/// char boundary. The one checked byte-range slice of `&str` (clippy's `string_slice`
/// lint is on); offsets that may not come from the same string go through it.
pub fn text_slice(s: &str, range: std::ops::Range<usize>) -> &str {
    let end = s.floor_char_boundary(range.end.min(s.len()));
    let start = s.floor_char_boundary(range.start.min(end));
    s.get(start..end).unwrap_or("")
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_slice_floors_to_char_boundaries() {
        let s = "aé東b";
        assert_eq!(super::text_slice(s, 0..2), "a");
        assert_eq!(super::text_slice(s, 2..6), "é東");
        assert_eq!(super::text_slice(s, 1..100), "é東b");
        let (start, end) = (5, 2);
        assert_eq!(super::text_slice(s, start..end), "");
    }
}
