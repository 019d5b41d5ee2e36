//! The library's error type. Input problems are not errors: they become `rejects` rows.
//! These are the failures that stop a run (exit code 2).

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("configuration has {} error(s):\n{}", .0.len(), .0.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
    Config(Vec<String>),
    #[error("arrow: {0}")]
    Arrow(String),
    #[error("parquet: {0}")]
    Parquet(String),
    #[error("stage {stage}: {detail}")]
    Stage { stage: String, detail: String },
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Ner(#[from] crate::nlp::ner::NerError),
    #[error(transparent)]
    Parse(#[from] crate::nlp::parse::ParseError),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io { path: path.display().to_string(), source }
    }
}
