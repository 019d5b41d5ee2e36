//! Entity tagger (PER/ORG/LOC/MISC): an averaged-perceptron sequence model over BILOU
//! tags, trained on CoNLL-2003 with greedy left-to-right decoding (previous-tag features)
//! and tagging with a small beam (3 hypotheses, scored by locally normalised
//! log-probabilities).
//!
//! Features (see `features.rs`): word form and lowercase, prefixes and suffixes (1-4),
//! word shape and short shape, capitalisation and sentence position, the words and
//! shapes of the neighbours (±2), the previous two tags, gazetteer matches (countries,
//! regions, cities, demonyms, first names, organisation words, titles), a word-case
//! profile learnt from unlabelled news (how often a word is capitalised mid-sentence;
//! all-caps headlines are truecased with it), word-cluster path prefixes, how the same word
//! is written in the article's other sentences (capitalised, lowercase, inside a run of
//! capitalised words), and the labels the same word got earlier in the article (all-caps
//! sentences are decoded last, so headlines see the body's labels). The summed scores of
//! the features that look at the token alone are cached per thread.
//! Typographic quotes and dashes are mapped to their CoNLL forms and accents folded.
//! Features are hashed (xxh3 + a 64-bit mixer) into 2^20 buckets of 17 weights; the
//! model keeps only the non-zero rows, quantised to i16, behind a rank bitmap, and is
//! stored zstd-compressed in `data/models/ner.bin.zst` (see `data/models/README.md`).
//!
//! Interface: `NerModel::builtin()`, `NerModel::load(path)`, `NerModel::tag(&Doc)`,
//! plus `train` and `eval_conll` for the `train ner` / `eval ner` commands.

mod conll;
mod decode;
mod features;
pub mod fixups;
mod model;
mod train;

use std::cell::RefCell;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::{Doc, EntityType, Mention, Span};
use decode::{Decision, Decoder};
use features::Resources;
use model::{QRef, QTable};

pub use conll::{Counts, EvalReport};
pub use train::{build_case_lexicon, eval_conll, off_majority_share, train, unwrap_lines, TrainOptions, TrainReport};

/// Hypotheses kept per sentence when tagging (default).
pub const DEFAULT_BEAM: usize = 3;

/// The model compiled into the binary.
static BUILTIN: &[u8] = include_bytes!("../../../data/models/ner.bin.zst");

#[derive(Debug, thiserror::Error)]
pub enum NerError {
    #[error("cannot read NER model {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("bad NER model {path}: {detail}")]
    Format { path: String, detail: String },
}

struct Inner {
    table: QTable,
    temperature: f32,
}

/// A trained tagger. Cheap to clone; `Send + Sync`, so one model serves all threads.
#[derive(Clone)]
pub struct NerModel {
    inner: Arc<Inner>,
    beam: usize,
}

thread_local! {
    static DECODER: RefCell<Decoder> = RefCell::new(Decoder::default());
}

impl NerModel {
    /// The model compiled into the binary (decoded once per process).
    pub fn builtin() -> Result<NerModel, NerError> {
        static MODEL: OnceLock<Result<Arc<Inner>, String>> = OnceLock::new();
        let m = MODEL.get_or_init(|| {
            NerModel::from_compressed(BUILTIN, "<builtin>").map(|m| m.inner).map_err(|e| match e {
                NerError::Format { detail, .. } => detail,
                other => other.to_string(),
            })
        });
        match m {
            Ok(inner) => Ok(NerModel { inner: inner.clone(), beam: DEFAULT_BEAM }),
            Err(detail) => Err(NerError::Format { path: "<builtin>".into(), detail: detail.clone() }),
        }
    }

    /// Set the beam width used when tagging (1: greedy; at most 8).
    pub fn set_beam(&mut self, width: usize) {
        self.beam = width.clamp(1, 8);
    }

    /// Load a model file written by `train`.
    pub fn load(path: &Path) -> Result<NerModel, NerError> {
        let bytes = std::fs::read(path).map_err(|source| NerError::Io { path: path.display().to_string(), source })?;
        NerModel::from_compressed(&bytes, &path.display().to_string())
    }

    fn from_compressed(bytes: &[u8], label: &str) -> Result<NerModel, NerError> {
        let err = |detail: String| NerError::Format { path: label.to_string(), detail };
        if bytes.is_empty() {
            return Err(err("empty model file (not trained yet?)".into()));
        }
        let raw = zstd::decode_all(bytes).map_err(|e| err(format!("not zstd data: {e}")))?;
        let (table, fingerprint, temperature) = QTable::from_bytes(&raw).map_err(err)?;
        if fingerprint != Resources::get().fingerprint {
            return Err(err("trained with other features, gazetteer or word-case lexicon; retrain it".into()));
        }
        Ok(NerModel { inner: Arc::new(Inner { table, temperature }), beam: DEFAULT_BEAM })
    }

    /// Tag pre-tokenised text: token strings and sentence ranges over them (one
    /// document). Returns one BILOU decision per token.
    pub(crate) fn decode(&self, toks: &[&str], sents: &[Range<usize>]) -> Vec<Decision> {
        let mut out = Vec::new();
        DECODER.with(|d| {
            let mut w = QRef(&self.inner.table);
            d.borrow_mut().decode_doc(&mut w, Resources::get(), toks, sents, None, self.inner.temperature, self.beam, &mut out);
        });
        out
    }

    /// Tag one document; mentions come back in text order.
    pub fn tag(&self, doc: &Doc) -> Vec<Mention> {
        let toks: Vec<&str> = (0..doc.tokens.len()).map(|i| doc.token_text(i)).collect();
        let sents: Vec<Range<usize>> = doc.sentences.iter().map(|s| s.tokens.clone()).collect();
        let dec = self.decode(&toks, &sents);
        let tags: Vec<u8> = dec.iter().map(|d| d.tag).collect();
        let mut out = Vec::new();
        for (si, s) in doc.sentences.iter().enumerate() {
            for (r, ty) in conll::spans_from_bilou(&tags[s.tokens.clone()]) {
                let (a, b) = (s.tokens.start + r.start, s.tokens.start + r.end);
                let conf = dec[a..b].iter().map(|d| d.prob).sum::<f32>() / (b - a) as f32;
                out.push(Mention {
                    span: Span { start: doc.tokens[a].span.start, end: doc.tokens[b - 1].span.end },
                    tokens: a..b,
                    sentence: si,
                    entity_type: EntityType::ALL[ty],
                    confidence: conf.clamp(0.0, 1.0),
                });
            }
        }
        fixups::fix_mentions(doc, &mut out);
        out
    }
}

#[cfg(test)]
mod tests;
