//! newsgrid: a batch pipeline that turns news dumps into entity, event and attribution
//! tables. `load` → `clean` → `extract` → `normalize`, then the tables are written as
//! Parquet and CSV with a run manifest.
//!
//! Module map: `cli` (flags → settings → library calls), `config` (pipeline.toml),
//! `runner` (freshness, stage order, manifest), `stages` (one module per stage), `io`
//! (dump readers), `nlp` (tokens, sentences, entities, events, attributions, resolution),
//! `tables` (schemas, artifacts, writers), `output` (the output folder).

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
