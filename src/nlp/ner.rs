//! Entity tagger (PER/ORG/LOC/MISC). Interim version: capitalised-sequence heuristic,
//! to be replaced by the trained model (issue 4). Interface: `NerModel::builtin()`,
//! `NerModel::load(path)`, `NerModel::tag(&Doc) -> Vec<Mention>`.

use super::{Doc, EntityType, Mention, Span};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum NerError {
    #[error("cannot read NER model {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("bad NER model {path}: {detail}")]
    Format { path: String, detail: String },
}

pub struct NerModel {}

impl NerModel {
    /// The model compiled into the binary.
    pub fn builtin() -> Result<NerModel, NerError> {
        Ok(NerModel {})
    }

    pub fn load(path: &Path) -> Result<NerModel, NerError> {
        std::fs::metadata(path).map_err(|source| NerError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Ok(NerModel {})
    }

    /// Tag one document; mentions come back in text order.
    pub fn tag(&self, doc: &Doc) -> Vec<Mention> {
        let mut out = Vec::new();
        for (si, s) in doc.sentences.iter().enumerate() {
            let mut i = s.tokens.start;
            while i < s.tokens.end {
                let t = doc.token_text(i);
                let cap = t.chars().next().is_some_and(|c| c.is_uppercase());
                if cap && i > s.tokens.start {
                    let mut j = i + 1;
                    while j < s.tokens.end && doc.token_text(j).chars().next().is_some_and(|c| c.is_uppercase()) {
                        j += 1;
                    }
                    out.push(Mention {
                        span: Span::new(doc.tokens[i].span.start as usize, doc.tokens[j - 1].span.end as usize),
                        tokens: i..j,
                        sentence: si,
                        entity_type: EntityType::Misc,
                        confidence: 0.5,
                    });
                    i = j;
                } else {
                    i += 1;
                }
            }
        }
        out
    }
}
