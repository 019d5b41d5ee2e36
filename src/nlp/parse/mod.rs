//! Part-of-speech tagging and dependency parsing (UD English conventions): an
//! averaged-perceptron UPOS tagger (greedy, left to right) and a greedy arc-hybrid
//! transition parser trained with a dynamic oracle (Goldberg & Nivre 2012/2013), with
//! Zhang & Nivre (2011)-style features; both read the word clusters (`nlp::clusters`).
//! Both are trained on UD English EWT and compiled
//! into the binary (`data/models/parse.bin.zst`, see `data/models/README.md`).
//!
//! The parser scores the unlabeled move (shift, left-arc, right-arc) first and, for an
//! arc, the dependency label separately, so each feature touches one short row of the
//! move table and, once per token, one row of the label table. Features are hashed into
//! fixed-size tables; the shipped model keeps only the non-zero rows, quantised to i16
//! (see `table.rs`).
//!
//! Interface: `ParseModel::builtin()` / `ParseModel::load(path)`, then
//! `model.parse(&words, &mut parsed)` for one sentence of tokens; `Parsed` holds the
//! UPOS tags, heads and relations, with helpers for children, subjects, objects and
//! passive agents. Words are the project's tokens (`nlp::token`); their forms are
//! normalised for the features (typographic quotes, hyphenated compounds, numbers), see
//! `features.rs`. `train` and `eval_conllu` back the `train parse` / `eval parse`
//! commands; `conllu` reads and writes CoNLL-U.

pub mod conllu;
mod features;
mod parser;
mod table;
mod tagger;
mod train;

use std::cell::RefCell;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use parser::ParserState;
use table::QTable;
use tagger::TaggerState;

pub use train::{eval_conllu, train, EvalReport, TrainOptions, TrainReport};

/// The model compiled into the binary.
static BUILTIN: &[u8] = include_bytes!("../../../data/models/parse.bin.zst");

/// Sentences longer than this are parsed as consecutive chunks of this many tokens
/// (each chunk gets its own root); keeps every buffer bounded.
pub const MAX_SENTENCE_TOKENS: usize = 512;

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("bad parse model {path}: {detail}")]
    Format { path: String, detail: String },
    #[error("{path}: line {line}: {detail}")]
    Conllu { path: String, line: usize, detail: String },
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident = $s:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $name { $($var),* }

        impl $name {
            /// Every value, in discriminant order.
            pub const ALL: &'static [$name] = &[$($name::$var),*];
            pub const COUNT: usize = [$($s),*].len();
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),* }
            }
            pub(crate) fn from_index(i: usize) -> $name {
                Self::ALL.get(i).copied().unwrap_or(Self::ALL[0])
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// Universal part-of-speech tags.
    Upos {
        Adj = "ADJ", Adp = "ADP", Adv = "ADV", Aux = "AUX", Cconj = "CCONJ", Det = "DET",
        Intj = "INTJ", Noun = "NOUN", Num = "NUM", Part = "PART", Pron = "PRON", Propn = "PROPN",
        Punct = "PUNCT", Sconj = "SCONJ", Sym = "SYM", Verb = "VERB", X = "X",
    }
}

string_enum! {
    /// Universal dependency relations, with the subtypes UD English EWT uses.
    Deprel {
        Acl = "acl", AclRelcl = "acl:relcl", Advcl = "advcl", AdvclRelcl = "advcl:relcl",
        Advmod = "advmod", Amod = "amod", Appos = "appos", Aux = "aux", AuxPass = "aux:pass",
        Case = "case", Cc = "cc", CcPreconj = "cc:preconj", Ccomp = "ccomp", Clf = "clf",
        Compound = "compound", CompoundPrt = "compound:prt", Conj = "conj", Cop = "cop",
        Csubj = "csubj", CsubjOuter = "csubj:outer", CsubjPass = "csubj:pass", Dep = "dep",
        Det = "det", DetPredet = "det:predet", Discourse = "discourse",
        Dislocated = "dislocated", Expl = "expl", Fixed = "fixed", Flat = "flat",
        FlatForeign = "flat:foreign", Goeswith = "goeswith", Iobj = "iobj", List = "list",
        Mark = "mark", Nmod = "nmod", NmodDesc = "nmod:desc", NmodNpmod = "nmod:npmod",
        NmodPoss = "nmod:poss", NmodTmod = "nmod:tmod", NmodUnmarked = "nmod:unmarked",
        Nsubj = "nsubj", NsubjOuter = "nsubj:outer", NsubjPass = "nsubj:pass",
        Nummod = "nummod", Obj = "obj", Obl = "obl", OblAgent = "obl:agent",
        OblNpmod = "obl:npmod", OblTmod = "obl:tmod", OblUnmarked = "obl:unmarked",
        Orphan = "orphan", Parataxis = "parataxis", Punct = "punct",
        Reparandum = "reparandum", Root = "root", Vocative = "vocative", Xcomp = "xcomp",
    }
}

impl Upos {
    pub fn parse(s: &str) -> Option<Upos> {
        Upos::ALL.iter().copied().find(|u| u.as_str() == s)
    }
}

impl Deprel {
    /// The relation named `s`; an unknown subtype falls back to its universal part
    /// ("nmod:of" -> nmod); `None` when even that is unknown.
    pub fn parse(s: &str) -> Option<Deprel> {
        Deprel::ALL.iter().copied().find(|d| d.as_str() == s).or_else(|| {
            let base = s.split(':').next()?;
            Deprel::ALL.iter().copied().find(|d| d.as_str() == base)
        })
    }

    /// The universal part of the relation ("nsubj:pass" -> "nsubj").
    pub fn universal(self) -> &'static str {
        let s = self.as_str();
        s.split(':').next().unwrap_or(s)
    }

    pub fn is_subject(self) -> bool {
        matches!(self, Deprel::Nsubj | Deprel::NsubjPass | Deprel::NsubjOuter | Deprel::Csubj | Deprel::CsubjPass | Deprel::CsubjOuter)
    }
}

/// One sentence's analysis. All vectors have one entry per input word.
///
/// `head[i]` follows CoNLL-U: 0 means word `i` is the root, otherwise it is the
/// 1-based position of its head (word `head[i] - 1`). Use `head_of` for 0-based indices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub upos: Vec<Upos>,
    pub head: Vec<u32>,
    pub deprel: Vec<Deprel>,
}

impl Parsed {
    pub fn len(&self) -> usize {
        self.upos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.upos.is_empty()
    }

    pub(crate) fn clear(&mut self) {
        self.upos.clear();
        self.head.clear();
        self.deprel.clear();
    }

    /// 0-based index of the head of word `i`; `None` for the root (or out of range).
    pub fn head_of(&self, i: usize) -> Option<usize> {
        match self.head.get(i) {
            Some(&h) if h > 0 => Some(h as usize - 1),
            _ => None,
        }
    }

    /// Words whose head is `i` (0-based), in sentence order.
    pub fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.head.iter().enumerate().filter(move |&(_, &h)| h as usize == i + 1).map(|(k, _)| k)
    }

    /// The first child of `i` with relation `rel`.
    pub fn child_with(&self, i: usize, rel: Deprel) -> Option<usize> {
        self.children(i).find(|&c| self.deprel[c] == rel)
    }

    /// The root word(s): words with head 0.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        self.head.iter().enumerate().filter(|&(_, &h)| h == 0).map(|(k, _)| k)
    }

    /// The subject of predicate `i` (nsubj, nsubj:pass, csubj, ...), if any.
    pub fn subject(&self, i: usize) -> Option<usize> {
        self.children(i).find(|&c| self.deprel[c].is_subject())
    }

    /// The direct object of `i` (obj), else its indirect object (iobj).
    pub fn object(&self, i: usize) -> Option<usize> {
        self.child_with(i, Deprel::Obj).or_else(|| self.child_with(i, Deprel::Iobj))
    }

    /// True when `i` has a passive subject or a passive auxiliary.
    pub fn is_passive(&self, i: usize) -> bool {
        self.children(i).any(|c| matches!(self.deprel[c], Deprel::NsubjPass | Deprel::CsubjPass | Deprel::AuxPass))
    }

    /// The agent of a passive predicate `i` ("by X": obl:agent).
    pub fn agent(&self, i: usize) -> Option<usize> {
        self.child_with(i, Deprel::OblAgent)
    }

    /// The clausal complement of `i` (ccomp, else xcomp), e.g. what "said" introduces.
    pub fn complement(&self, i: usize) -> Option<usize> {
        self.child_with(i, Deprel::Ccomp).or_else(|| self.child_with(i, Deprel::Xcomp))
    }

    /// True when `i` is negated: "not", "n't" (or "n’t") or "never" as its advmod.
    pub fn is_negated(&self, i: usize, words: &[&str]) -> bool {
        self.children(i).any(|c| {
            self.deprel[c] == Deprel::Advmod
                && words.get(c).is_some_and(|w| {
                    let w: String = w.chars().map(|ch| if ch == '\u{2019}' { '\'' } else { ch.to_ascii_lowercase() }).collect();
                    matches!(w.as_str(), "not" | "n't" | "never")
                })
        })
    }
}

/// The weights of the tagger and the parser.
pub(crate) struct Inner {
    pub(crate) tagger: QTable,
    pub(crate) moves: QTable,
    pub(crate) labels: QTable,
}

/// A trained tagger + parser. Cheap to clone; `Send + Sync`, so one model serves all
/// threads (each thread keeps its own scratch buffers).
#[derive(Clone)]
pub struct ParseModel {
    pub(crate) inner: Arc<Inner>,
}

/// Per-thread scratch buffers, reused across sentences.
#[derive(Default)]
pub(crate) struct Workspace {
    pub(crate) tagger: TaggerState,
    pub(crate) parser: ParserState,
    pub(crate) chunk: Parsed,
}

thread_local! {
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

impl ParseModel {
    /// The model compiled into the binary (decoded once per process).
    pub fn builtin() -> Result<ParseModel, ParseError> {
        static MODEL: OnceLock<Result<Arc<Inner>, String>> = OnceLock::new();
        let m = MODEL.get_or_init(|| {
            ParseModel::from_compressed(BUILTIN, "<builtin>").map(|m| m.inner).map_err(|e| match e {
                ParseError::Format { detail, .. } => detail,
                other => other.to_string(),
            })
        });
        match m {
            Ok(inner) => Ok(ParseModel { inner: inner.clone() }),
            Err(detail) => Err(ParseError::Format { path: "<builtin>".into(), detail: detail.clone() }),
        }
    }

    /// Load a model file written by `train`.
    pub fn load(path: &Path) -> Result<ParseModel, ParseError> {
        let bytes = std::fs::read(path).map_err(|source| ParseError::Io { path: path.display().to_string(), source })?;
        ParseModel::from_compressed(&bytes, &path.display().to_string())
    }

    pub(crate) fn from_compressed(bytes: &[u8], label: &str) -> Result<ParseModel, ParseError> {
        let err = |detail: String| ParseError::Format { path: label.to_string(), detail };
        if bytes.is_empty() {
            return Err(err("empty model file (not trained yet?)".into()));
        }
        let raw = zstd::decode_all(bytes).map_err(|e| err(format!("not zstd data: {e}")))?;
        let inner = table::read_model(&raw).map_err(err)?;
        Ok(ParseModel { inner: Arc::new(inner) })
    }

    /// Tag and parse one sentence of words (the project's tokens, or CoNLL-U word
    /// forms); `out` is overwritten. Sentences over `MAX_SENTENCE_TOKENS` words are parsed
    /// in chunks. Never panics; an empty sentence gives an empty `out`.
    pub fn parse(&self, words: &[&str], out: &mut Parsed) {
        self.parse_in_workspace(words, None, out)
    }

    /// Tag one sentence only (no parse): `out` gets one tag per word.
    pub fn tag(&self, words: &[&str], out: &mut Vec<Upos>) {
        WORKSPACE.with(|ws| {
            let mut fresh = Workspace::default();
            let mut guard = ws.try_borrow_mut();
            let ws: &mut Workspace = match guard.as_mut() {
                Ok(w) => w,
                Err(_) => &mut fresh,
            };
            out.clear();
            for chunk in words.chunks(MAX_SENTENCE_TOKENS) {
                ws.tagger.prepare(chunk);
                ws.tagger.tag(&self.inner.tagger);
                out.extend(ws.tagger.tags().iter().map(|&t| Upos::from_index(t as usize)));
            }
        })
    }

    /// `parse` for a sentence already tagged by `tag` (`tags`, one per word): the parse
    /// reads those tags instead of tagging again, so the result is the one `parse` gives,
    /// at less cost. Tags of another length are ignored (the sentence is tagged anew).
    pub fn parse_tagged(&self, words: &[&str], tags: &[Upos], out: &mut Parsed) {
        self.parse_in_workspace(words, Some(tags).filter(|t| t.len() == words.len()), out)
    }

    /// `parse_inner` with the thread's workspace.
    fn parse_in_workspace(&self, words: &[&str], tags: Option<&[Upos]>, out: &mut Parsed) {
        WORKSPACE.with(|ws| match ws.try_borrow_mut() {
            Ok(mut ws) => self.parse_inner(&mut ws, words, tags, out),
            // Re-entrant call (cannot happen through this API): use fresh buffers.
            Err(_) => self.parse_inner(&mut Workspace::default(), words, tags, out),
        })
    }

    /// Tag (unless `tags` are given, one per word, as `tag` made them: same chunks) and
    /// parse.
    fn parse_inner(&self, ws: &mut Workspace, words: &[&str], tags: Option<&[Upos]>, out: &mut Parsed) {
        out.clear();
        let mut offset = 0u32;
        for (k, chunk) in words.chunks(MAX_SENTENCE_TOKENS).enumerate() {
            ws.tagger.prepare(chunk);
            match tags.and_then(|t| t.chunks(MAX_SENTENCE_TOKENS).nth(k)) {
                Some(t) => ws.tagger.set_tags(t),
                None => ws.tagger.tag(&self.inner.tagger),
            }
            ws.parser.parse(&ws.tagger, &self.inner.moves, &self.inner.labels, &mut ws.chunk);
            out.upos.extend_from_slice(&ws.chunk.upos);
            out.head.extend(ws.chunk.head.iter().map(|&h| if h == 0 { 0 } else { h + offset }));
            out.deprel.extend_from_slice(&ws.chunk.deprel);
            offset += chunk.len() as u32;
        }
    }
}

#[cfg(test)]
mod tests;
