//! A per-document cache of sentence parses, filled on demand: an extractor asks for the
//! parse of a sentence only when it has a candidate there (a cue, a trigger), and a
//! second request for the same sentence costs nothing. `SentView` reads one parse with
//! the document's token indices, so the passes never translate positions by hand.
//!
//! A pass that first asks only whether a word is a verb ([`ParseCache::upos`]) gets the
//! tagger's answer, without the parse: the parse's tags are the tagger's, so a candidate
//! the tags rule out never costs a parse (about two thirds of a sentence's tagging and
//! parsing time), and one they keep is parsed with those tags (`ParseModel::parse_tagged`),
//! not tagged again.
//!
//! The extract stage makes one per article and hands it to the event extractor, then to
//! the attribution extractor, so a sentence both read is parsed once.

use super::parse::{Deprel, ParseModel, Parsed, Upos};
use super::Doc;
use std::ops::Range;

/// Parses of one document's sentences, made when first asked for.
pub struct ParseCache<'m> {
    model: Option<&'m ParseModel>,
    /// (token range start, parse), in the order they were made.
    slots: Vec<(usize, Parsed)>,
    /// Slot of each sentence index (+1; 0: not parsed yet), grown on demand, so a lookup
    /// is constant time however many sentences a huge document holds.
    slot_of: Vec<u32>,
    /// Tags of sentences tagged but not parsed: (sentence index, start in `tags`, end);
    /// few per document, so searched linearly.
    tagged: Vec<(usize, usize, usize)>,
    /// The tags of `tagged`, one flat buffer (no allocation per sentence).
    tags: Vec<Upos>,
    /// Scratch for one sentence's tags.
    scratch: Vec<Upos>,
    /// Sentences parsed (each once).
    pub parsed: u64,
    /// Sentences tagged and (so far) not parsed.
    pub tagged_only: u64,
}

impl<'m> ParseCache<'m> {
    /// A cache that parses with `model`; without one it answers None.
    pub fn new(model: Option<&'m ParseModel>) -> ParseCache<'m> {
        ParseCache {
            model,
            slots: Vec::new(),
            slot_of: Vec::new(),
            tagged: Vec::new(),
            tags: Vec::new(),
            scratch: Vec::new(),
            parsed: 0,
            tagged_only: 0,
        }
    }

    /// The part of speech of document token `k` in sentence `index` (tokens `range` of
    /// `doc`): from the parse if the sentence was parsed, else from the tagger alone
    /// (tagged once; the parse, when asked for later, gives the same tags). None without
    /// a model, for a bad sentence or for `k` outside `range`.
    pub fn upos(&mut self, doc: &Doc, index: usize, range: &Range<usize>, k: usize) -> Option<Upos> {
        let model = self.model?;
        if range.is_empty() || range.end > doc.tokens.len() || index >= doc.sentences.len() || !range.contains(&k) {
            return None;
        }
        let w = k - range.start;
        if let Some(&slot) = self.slot_of.get(index).filter(|&&s| s != 0) {
            return self.slots[slot as usize - 1].1.upos.get(w).copied();
        }
        if let Some(&(_, a, b)) = self.tagged.iter().find(|t| t.0 == index) {
            return self.tags[a..b].get(w).copied();
        }
        let words: Vec<&str> = range.clone().map(|k| doc.token_text(k)).collect();
        model.tag(&words, &mut self.scratch);
        self.tagged_only += 1;
        let a = self.tags.len();
        self.tags.extend_from_slice(&self.scratch);
        self.tagged.push((index, a, self.tags.len()));
        self.tags[a..].get(w).copied()
    }

    /// The parse of sentence `index` (tokens `range` of `doc`), parsed now if not yet;
    /// None without a model or for an empty or out-of-range sentence.
    pub fn get(&mut self, doc: &Doc, index: usize, range: &Range<usize>) -> Option<SentView<'_>> {
        let model = self.model?;
        if range.is_empty() || range.end > doc.tokens.len() || index >= doc.sentences.len() {
            return None;
        }
        if index >= self.slot_of.len() {
            self.slot_of.resize(index + 1, 0);
        }
        let slot = match self.slot_of[index] {
            0 => {
                let words: Vec<&str> = range.clone().map(|k| doc.token_text(k)).collect();
                let mut parsed = Parsed::default();
                // A sentence tagged already is parsed with its tags (the same parse,
                // without tagging it twice).
                match self.tagged.iter().find(|t| t.0 == index) {
                    Some(&(_, a, b)) => {
                        model.parse_tagged(&words, &self.tags[a..b], &mut parsed);
                        self.tagged_only -= 1;
                    }
                    None => model.parse(&words, &mut parsed),
                }
                self.parsed += 1;
                self.slots.push((range.start, parsed));
                self.slot_of[index] = self.slots.len() as u32;
                self.slots.len() - 1
            }
            k => k as usize - 1,
        };
        let (base, parsed) = &self.slots[slot];
        Some(SentView { parsed, base: *base })
    }
}

/// The parse of one sentence read with document token indices: token `k` of the
/// document is word `k - base` of the parse.
#[derive(Clone, Copy)]
pub struct SentView<'a> {
    pub parsed: &'a Parsed,
    pub base: usize,
}

impl<'a> SentView<'a> {
    /// Word index of document token `k`, when it lies in the sentence.
    pub fn word(&self, k: usize) -> Option<usize> {
        k.checked_sub(self.base).filter(|&w| w < self.parsed.len())
    }

    pub fn upos(&self, k: usize) -> Option<Upos> {
        self.word(k).map(|w| self.parsed.upos[w])
    }

    pub fn deprel(&self, k: usize) -> Option<Deprel> {
        self.word(k).map(|w| self.parsed.deprel[w])
    }

    /// The head of token `k` (a document index); None for the root.
    pub fn head(&self, k: usize) -> Option<usize> {
        self.word(k).and_then(|w| self.parsed.head_of(w)).map(|h| h + self.base)
    }

    /// The dependents of token `k` (document indices), in sentence order.
    pub fn children(&self, k: usize) -> impl Iterator<Item = usize> + 'a {
        let base = self.base;
        let w = self.word(k);
        let parsed = self.parsed;
        w.into_iter().flat_map(move |w| parsed.children(w).map(move |c| c + base))
    }

    /// The first dependent of `k` whose relation satisfies `f`.
    pub fn child_where(&self, k: usize, f: impl Fn(Deprel) -> bool) -> Option<usize> {
        self.children(k).find(|&c| self.deprel(c).is_some_and(&f))
    }

    /// The document token range covered by the sentence.
    pub fn range(&self) -> Range<usize> {
        self.base..self.base + self.parsed.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_once_and_reads_document_indices() {
        let doc = Doc::new("It rained. The senator said the bill would pass.");
        let model = ParseModel::builtin().expect("builtin parse model");
        let mut cache = ParseCache::new(Some(&model));
        let range = doc.sentences[1].tokens.clone();
        let said = range.clone().find(|&k| doc.token_text(k) == "said").expect("said");
        let view = cache.get(&doc, 1, &range).expect("parse");
        assert_eq!(view.upos(said), Some(Upos::Verb));
        let subj = view.child_where(said, Deprel::is_subject).expect("subject");
        assert_eq!(doc.token_text(subj), "senator");
        assert!(view.child_where(said, |d| d == Deprel::Ccomp).is_some());
        assert!(cache.get(&doc, 1, &range).is_some());
        assert_eq!(cache.parsed, 1);
        assert!(ParseCache::new(None).get(&doc, 1, &range).is_none());
    }

    #[test]
    fn tags_without_a_parse_agree_with_the_parse() {
        let doc = Doc::new("It rained. The senator said the bill would pass. Talks resumed on Monday.");
        let model = ParseModel::builtin().expect("builtin parse model");
        let mut cache = ParseCache::new(Some(&model));
        let range = doc.sentences[1].tokens.clone();
        let tags: Vec<Option<Upos>> = range.clone().map(|k| cache.upos(&doc, 1, &range, k)).collect();
        assert_eq!((cache.parsed, cache.tagged_only), (0, 1), "tagged once, not parsed");
        assert!(cache.upos(&doc, 1, &range, range.end).is_none(), "a token outside the sentence");
        assert!(ParseCache::new(None).upos(&doc, 1, &range, range.start).is_none());
        let view = cache.get(&doc, 1, &range).expect("parse");
        let parsed: Vec<Option<Upos>> = range.clone().map(|k| view.upos(k)).collect();
        assert_eq!(tags, parsed);
        assert_eq!((cache.parsed, cache.tagged_only), (1, 0), "a parse after the tags is no longer tagged only");
        // A parsed sentence answers from its parse, another is tagged on its own.
        assert_eq!(cache.upos(&doc, 1, &range, range.start), parsed[0]);
        let third = doc.sentences[2].tokens.clone();
        assert!(cache.upos(&doc, 2, &third, third.start).is_some());
        assert_eq!((cache.parsed, cache.tagged_only), (1, 1));
    }

    #[test]
    fn many_sentences_each_parsed_once_and_bad_indices_refused() {
        let text = "He said no. ".repeat(3000);
        let doc = Doc::new(&text);
        let model = ParseModel::builtin().expect("builtin parse model");
        let mut cache = ParseCache::new(Some(&model));
        for _ in 0..2 {
            for (i, s) in doc.sentences.iter().enumerate() {
                let view = cache.get(&doc, i, &s.tokens).expect("parse");
                assert_eq!(view.range(), s.tokens);
            }
        }
        assert_eq!(cache.parsed, doc.sentences.len() as u64);
        let first = doc.sentences[0].tokens.clone();
        assert!(cache.get(&doc, doc.sentences.len(), &first).is_none());
        assert!(cache.get(&doc, usize::MAX, &first).is_none());
    }
}
