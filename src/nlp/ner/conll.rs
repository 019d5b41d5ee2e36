//! CoNLL-2003 files (token ... tag per line, IOB1 or IOB2, blank lines between
//! sentences, `-DOCSTART-` lines between documents), span conversion and conlleval-style
//! scoring (exact span and type match).

use std::fmt;
use std::ops::Range;
use std::path::Path;

use super::features::{tag, tag_kind, tag_type, KIND_B, KIND_I, KIND_L, KIND_U, TAG_O};
use super::NerError;
use crate::nlp::EntityType;

/// One document of a CoNLL file.
#[derive(Default)]
pub(crate) struct ConllDoc {
    pub tokens: Vec<String>,
    /// The file's tag column, one per token.
    pub tags: Vec<String>,
    pub sents: Vec<Range<usize>>,
}

impl ConllDoc {
    pub fn token_strs(&self) -> Vec<&str> {
        self.tokens.iter().map(String::as_str).collect()
    }

    /// Gold BILOU tags.
    pub fn bilou(&self) -> Vec<u8> {
        let mut out = vec![TAG_O; self.tokens.len()];
        for s in &self.sents {
            for (r, ty) in spans_from_iob(&self.tags[s.clone()]) {
                let (a, b) = (s.start + r.start, s.start + r.end);
                if b - a == 1 {
                    out[a] = tag(ty, KIND_U);
                } else {
                    out[a] = tag(ty, KIND_B);
                    for t in &mut out[a + 1..b - 1] {
                        *t = tag(ty, KIND_I);
                    }
                    out[b - 1] = tag(ty, KIND_L);
                }
            }
        }
        out
    }
}

/// Read a CoNLL file into documents (a file without `-DOCSTART-` is one document).
pub(crate) fn read_conll(path: &Path) -> Result<Vec<ConllDoc>, NerError> {
    let text = std::fs::read_to_string(path).map_err(|source| NerError::Io { path: path.display().to_string(), source })?;
    let mut docs = Vec::new();
    let mut doc = ConllDoc::default();
    let mut sent_start = 0;
    for (lineno, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            if doc.tokens.len() > sent_start {
                doc.sents.push(sent_start..doc.tokens.len());
            }
            sent_start = doc.tokens.len();
            if line.starts_with("-DOCSTART-") && !doc.tokens.is_empty() {
                docs.push(std::mem::take(&mut doc));
                sent_start = 0;
            }
            continue;
        }
        let mut cols = line.split_whitespace();
        let (Some(tok), Some(tg)) = (cols.next(), cols.next_back()) else {
            return Err(NerError::Format {
                path: path.display().to_string(),
                detail: format!("line {}: expected `TOKEN ... TAG`", lineno + 1),
            });
        };
        if tg != "O" && !(tg.len() > 2 && (tg.starts_with("B-") || tg.starts_with("I-"))) {
            return Err(NerError::Format { path: path.display().to_string(), detail: format!("line {}: bad tag {tg:?}", lineno + 1) });
        }
        doc.tokens.push(tok.to_string());
        doc.tags.push(tg.to_string());
    }
    if doc.tokens.len() > sent_start {
        doc.sents.push(sent_start..doc.tokens.len());
    }
    if !doc.tokens.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

fn type_index(name: &str) -> Option<usize> {
    EntityType::parse(name).map(|t| EntityType::ALL.iter().position(|&x| x == t).unwrap_or(0))
}

/// Entity spans (token ranges within the slice, type index) of IOB1 or IOB2 tags:
/// a span starts at `B-X`, or at `I-X` not continuing an `X` span.
pub(crate) fn spans_from_iob<S: AsRef<str>>(tags: &[S]) -> Vec<(Range<usize>, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, t) in tags.iter().enumerate() {
        let t = t.as_ref();
        let (prefix, ty) = match t.split_once('-') {
            Some((p, ty)) => (p, type_index(ty)),
            None => ("O", None),
        };
        let continues = prefix == "I" && matches!((open, ty), (Some((_, a)), Some(b)) if a == b);
        if continues {
            continue;
        }
        if let Some((s, ty)) = open.take() {
            out.push((s..i, ty));
        }
        if let Some(ty) = ty {
            open = Some((i, ty));
        }
    }
    if let Some((s, ty)) = open {
        out.push((s..tags.len(), ty));
    }
    out
}

/// Entity spans of BILOU tags (tolerates invalid sequences: an entity runs from B to
/// the next tag that is not I of the same type).
pub(crate) fn spans_from_bilou(tags: &[u8]) -> Vec<(Range<usize>, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        let Some(ty) = tag_type(tags[i]) else {
            i += 1;
            continue;
        };
        let start = i;
        if tag_kind(tags[i]) == KIND_B || tag_kind(tags[i]) == KIND_I {
            i += 1;
            while i < tags.len() && tag_type(tags[i]) == Some(ty) {
                let k = tag_kind(tags[i]);
                if k == KIND_I {
                    i += 1;
                } else {
                    if k == KIND_L {
                        i += 1;
                    }
                    break;
                }
            }
        } else {
            debug_assert!(matches!(tag_kind(tags[i]), KIND_U | KIND_L));
            i += 1;
        }
        out.push((start..i, ty));
    }
    out
}

/// Counts for one entity type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: &Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Exact-span scores per entity type (conlleval-style).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EvalReport {
    /// Indexed like `EntityType::ALL` (PER, ORG, LOC, MISC).
    pub per_type: [Counts; 4],
    pub tokens: u64,
    pub sentences: u64,
}

impl EvalReport {
    pub fn counts(&self, ty: EntityType) -> Counts {
        let i = EntityType::ALL.iter().position(|&t| t == ty).unwrap_or(0);
        self.per_type[i]
    }

    /// All four types together.
    pub fn overall(&self) -> Counts {
        let mut c = Counts::default();
        for t in &self.per_type {
            c.add(t);
        }
        c
    }

    /// PER, ORG and LOC together (the project's headline score).
    pub fn overall_plo(&self) -> Counts {
        let mut c = Counts::default();
        for t in &self.per_type[..3] {
            c.add(t);
        }
        c
    }

    /// F1 over PER, ORG and LOC.
    pub fn f1_plo(&self) -> f64 {
        self.overall_plo().f1()
    }

    /// Score one sentence's predicted spans against the gold ones.
    pub(crate) fn add_sentence(&mut self, gold: &[(Range<usize>, usize)], pred: &[(Range<usize>, usize)]) {
        for g in gold {
            if pred.contains(g) {
                self.per_type[g.1].tp += 1;
            } else {
                self.per_type[g.1].fn_ += 1;
            }
        }
        for p in pred {
            if !gold.contains(p) {
                self.per_type[p.1].fp += 1;
            }
        }
        self.sentences += 1;
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} tokens, {} sentences; exact span match", self.tokens, self.sentences)?;
        writeln!(f, "{:<12} {:>6} {:>6} {:>6} {:>9} {:>9} {:>9}", "type", "tp", "fp", "fn", "precision", "recall", "f1")?;
        let mut row = |name: &str, c: Counts| {
            writeln!(
                f,
                "{:<12} {:>6} {:>6} {:>6} {:>9.2} {:>9.2} {:>9.2}",
                name,
                c.tp,
                c.fp,
                c.fn_,
                100.0 * c.precision(),
                100.0 * c.recall(),
                100.0 * c.f1()
            )
        };
        for (i, t) in EntityType::ALL.iter().enumerate() {
            row(t.as_str(), self.per_type[i])?;
        }
        row("PER/ORG/LOC", self.overall_plo())?;
        row("overall", self.overall())
    }
}

/// IOB2 tag strings of predicted spans over `n` tokens.
pub(crate) fn iob2_strings(n: usize, spans: &[(Range<usize>, usize)]) -> Vec<String> {
    let mut out = vec!["O".to_string(); n];
    for (r, ty) in spans {
        let name = EntityType::ALL[*ty].as_str();
        for i in r.clone() {
            let p = if i == r.start { "B" } else { "I" };
            out[i] = format!("{p}-{name}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob1_and_iob2_spans() {
        let iob1 = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"];
        assert_eq!(spans_from_iob(&iob1), vec![(0..2, 0), (3..4, 2), (4..5, 2), (5..6, 1)]);
        let iob2 = ["B-PER", "I-PER", "B-PER", "O", "B-MISC"];
        assert_eq!(spans_from_iob(&iob2), vec![(0..2, 0), (2..3, 0), (4..5, 3)]);
    }

    #[test]
    fn bilou_spans() {
        let t = [tag(0, KIND_B), tag(0, KIND_L), TAG_O, tag(2, KIND_U), tag(1, KIND_B), tag(1, KIND_I), tag(1, KIND_L)];
        assert_eq!(spans_from_bilou(&t), vec![(0..2, 0), (3..4, 2), (4..7, 1)]);
    }
}
