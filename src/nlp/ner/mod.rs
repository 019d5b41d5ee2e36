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
use decode::{Decision, Decoder, Prior};
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

/// Magic of a two-stage model file (inside the zstd frame): then the first stage's
/// table bytes' length (u32 LE), the first stage's table, the second stage's table
/// (each as `QTable::to_bytes` writes it). One-stage files are a bare table.
const TWO_STAGE_MAGIC: &[u8; 8] = b"NGNER2S\x01";

struct Inner {
    table: QTable,
    temperature: f32,
    /// The second stage (reads the first stage's labels of the document), if trained.
    stage2: Option<(QTable, f32)>,
}

/// How much of a document the second stage decodes again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage2 {
    /// First stage only.
    Off,
    /// Sentences where a word's first-stage labels elsewhere in the document disagree
    /// with its own (the default: elsewhere the second stage would see its input
    /// confirmed, and decoding them costs a second pass for little change).
    Conflicts,
    /// Every sentence.
    All,
}

/// A trained tagger. Cheap to clone; `Send + Sync`, so one model serves all threads.
#[derive(Clone)]
pub struct NerModel {
    inner: Arc<Inner>,
    beam: usize,
    stage2: Stage2,
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
            Ok(inner) => Ok(NerModel { inner: inner.clone(), beam: DEFAULT_BEAM, stage2: Stage2::Conflicts }),
            Err(detail) => Err(NerError::Format { path: "<builtin>".into(), detail: detail.clone() }),
        }
    }

    /// Set the beam width used when tagging (1: greedy; at most 8).
    pub fn set_beam(&mut self, width: usize) {
        self.beam = width.clamp(1, 8);
    }

    /// Choose how much the second stage (if the model has one) decodes again.
    pub fn set_stage2(&mut self, mode: Stage2) {
        self.stage2 = mode;
    }

    /// Whether the model has a second stage.
    pub fn has_stage2(&self) -> bool {
        self.inner.stage2.is_some()
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
        let stale = || err("trained with other features, gazetteer or word-case lexicon; retrain it".into());
        let res = Resources::get();
        let (first, second) = match raw.strip_prefix(TWO_STAGE_MAGIC) {
            Some(rest) => {
                let (len, rest) = rest.split_first_chunk::<4>().ok_or_else(|| err("truncated two-stage header".into()))?;
                let len = u32::from_le_bytes(*len) as usize;
                if len > rest.len() {
                    return Err(err("truncated two-stage model".into()));
                }
                let (a, b) = rest.split_at(len);
                (a, Some(b))
            }
            None => (&raw[..], None),
        };
        let (table, fingerprint, temperature) = QTable::from_bytes(first).map_err(err)?;
        if fingerprint != res.fingerprint {
            return Err(stale());
        }
        let stage2 = match second {
            Some(b) => {
                let (t2, f2, temp2) = QTable::from_bytes(b).map_err(err)?;
                if f2 != res.fingerprint2 {
                    return Err(stale());
                }
                Some((t2, temp2))
            }
            None => None,
        };
        Ok(NerModel { inner: Arc::new(Inner { table, temperature, stage2 }), beam: DEFAULT_BEAM, stage2: Stage2::Conflicts })
    }

    /// Serialise tables as a model file's (uncompressed) bytes.
    fn model_bytes(first: &QTable, temperature: f32, stage2: Option<(&QTable, f32)>) -> Vec<u8> {
        let res = Resources::get();
        let a = first.to_bytes(res.fingerprint, temperature);
        match stage2 {
            None => a,
            Some((t2, temp2)) => {
                let mut out = TWO_STAGE_MAGIC.to_vec();
                out.extend_from_slice(&(a.len() as u32).to_le_bytes());
                out.extend_from_slice(&a);
                out.extend_from_slice(&t2.to_bytes(res.fingerprint2, temp2));
                out
            }
        }
    }

    /// Tag pre-tokenised text: token strings and sentence ranges over them (one
    /// document). Returns one BILOU decision per token.
    pub(crate) fn decode(&self, toks: &[&str], sents: &[Range<usize>]) -> Vec<Decision> {
        let mut out = Vec::new();
        DECODER.with(|d| {
            let mut d = d.borrow_mut();
            let mut w = QRef(&self.inner.table);
            d.decode_doc(&mut w, Resources::get(), toks, sents, None, None, self.inner.temperature, self.beam, &mut out);
            if let (Some((t2, temp2)), true) = (&self.inner.stage2, self.stage2 != Stage2::Off) {
                let first = std::mem::take(&mut out);
                let prior = Prior { dec: &first, all: self.stage2 == Stage2::All };
                d.decode_again(&mut QRef(t2), toks, sents, prior, *temp2, self.beam, &mut out);
            }
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
