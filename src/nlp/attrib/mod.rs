//! Attribution extraction. Interface: `AttributionExtractor::builtin()`,
//! `AttributionExtractor::extract(&Doc, &[Mention]) -> Vec<Attribution>`.
//!
//! Four kinds, from the cue lexicon `data/lexicon/cues.tsv` and the quotation marks:
//! - direct quotes: a quotation with its speaker after it (`"…," Flynn said`, `"…,"
//!   said Flynn`, `"…" ― Name`), before it (`Flynn said: "…"`), or carried over to the
//!   next part of a split quote (`"…," he said. "…"`);
//! - reported speech: `X said (that) CLAUSE`, `CLAUSE, X said.`, `X told Y CLAUSE`;
//! - `according to X`: X is the source, the rest of the sentence the content;
//! - credits: `Reporting by X; Editing by Y`, `X and Y contributed to this report`,
//!   one row per credited party.
//!
//! With the parse, learned cue frames (`frames.rs`) add speech acts the lexicon lacks
//! ("released a statement", "railed against", "his criticism of").
//!
//! Sources are the subject noun phrase (names, pronouns kept as written, relative
//! "who"); contents cover the quote or clause only (no quote marks, no cue).

pub(crate) mod frames;
mod quotes;
mod syntax;

use super::context::DocContext;
use super::events::lexicon::{lower_into, tsv_rows, word_eq, Inflector, LexiconError, PhraseMatch, PhraseSet, NO_WORD};
use super::events::phrase::{
    is_capitalized, is_determiner, is_np_word, is_preposition, np_after, subject_before, tok_span, token_at, SubjectKind,
};
use super::parse::ParseModel;
use super::parse_cache::ParseCache;
use super::{Attribution, AttributionKind, Doc, Mention, Span};
use crate::nlp::events::classes::FoldMap;
use crate::nlp::events::classes::WordClass;
use quotes::{find_quotes, Quote};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

const CUES_TSV: &str = include_str!("../../../data/lexicon/cues.tsv");

/// Reporting verb forms learned from PolNeAR train (`newsgrid train cues`): cues only
/// where the parse gives them a clausal complement.
const LEARNED_TSV: &str = include_str!("../../../data/lexicon/cues-learned.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueKind {
    Say,
    Tell,
    According,
    CreditBy,
    CreditTo,
    /// A verb that introduces a quotation but not reported speech (`he continued: "…"`,
    /// `"…," she sang`): used for direct quotes only.
    Quote,
}

#[derive(Debug, Clone, Copy)]
struct CueEntry {
    kind: CueKind,
    weight: f32,
    /// An act or stance verb ("praised", "rejected", "agreed", "urged"): reported
    /// speech only before a clause, a quote or a colon, never before a plain object
    /// ("rejected the drug", "agree to our Privacy Policy").
    needs_clause: bool,
    /// A stance verb ("praised", "dismissed", "mocked"; `STANCE` in cues.tsv): reported
    /// with a plain object, however short, as its content, as PolNeAR reads it.
    stance: bool,
}

pub struct AttributionExtractor {
    cues: PhraseSet<CueEntry>,
    /// Reported speech is checked against the dependency parse of its sentence (see
    /// `syntax.rs`); None keeps the word-order rules alone.
    parser: Option<ParseModel>,
    /// Forms of [`LEARNED_TSV`] (lowercase).
    learned: HashSet<String>,
    /// Learned frames of a form ([`LEARNED_TSV`] rows with a frame, see `frames.rs`), at
    /// the form's index in `frame_words`.
    frames: Vec<Vec<String>>,
    /// The forms with learned frames, looked up for every token without folding it into
    /// a buffer.
    frame_words: FoldMap<u32>,
}

/// Forms of the writer's own hedge ("the crowd seemed to …", "it appears that …",
/// "this sounds like …"). PolNeAR marks them as attributions, mostly without a source;
/// they name no one who said or thought anything, and the realnews guidelines count
/// them neither as speech nor as belief, so they are no cue even where learned.
const HEDGES: &[&str] = &["seem", "seems", "seemed", "seeming", "appear", "appears", "appeared", "appearing", "sound", "sounds", "sounded"];

/// A cue found in a sentence.
#[derive(Debug, Clone, Copy)]
struct Cue {
    m: PhraseMatch,
    kind: CueKind,
    weight: f32,
    needs_clause: bool,
    stance: bool,
}

/// Per-sentence working data.
struct Sent<'m> {
    index: usize,
    range: Range<usize>,
    ms: &'m [&'m Mention],
    dates: &'m [Span],
    cues: Vec<Cue>,
    /// The longest cue match of the sentence (tokens): bounds a backward search.
    max_cue_len: usize,
}

/// Lookups into the attributions found so far, kept in step with them so each costs
/// O(1) rather than a scan of every earlier row (a long article of speech verbs has
/// tens of thousands).
#[derive(Default)]
struct Found {
    /// Rows of `out` indexed so far.
    seen: usize,
    contents: HashSet<Span>,
    /// The last row of each sentence.
    last_of_sentence: HashMap<usize, usize>,
}

impl Found {
    fn catch_up(&mut self, out: &[Attribution]) {
        for (k, a) in out.iter().enumerate().skip(self.seen) {
            self.contents.insert(a.content);
            self.last_of_sentence.insert(a.sentence, k);
        }
        self.seen = out.len();
    }
}

/// Spans sorted by start and not overlapping.
fn disjoint_sorted(spans: &[Span]) -> bool {
    spans.windows(2).all(|w| w[0].end <= w[1].start)
}

impl AttributionExtractor {
    pub fn builtin() -> AttributionExtractor {
        Self::with_learned(LEARNED_TSV)
    }

    /// The extractor with the learned cues and frames of `learned` (a
    /// `cues-learned.tsv` text) in place of the built-in ones: `newsgrid train cues`
    /// learns the frames against the cues it has just learned.
    pub fn with_learned(learned: &str) -> AttributionExtractor {
        let (cues, _errors) = compile_cues(CUES_TSV);
        let (mut frames, mut frame_words) = (Vec::new(), FoldMap::new());
        for (form, list) in frames::learned_frames(learned) {
            if frame_words.insert(form.as_bytes(), frames.len() as u32) {
                frames.push(list);
            }
        }
        AttributionExtractor { cues, parser: None, learned: learned_forms(learned), frames, frame_words }
    }

    /// The extractor with `parser` reading reported speech (None, the default: word
    /// order alone). `[extract] syntax` turns it on.
    pub fn with_parser(mut self, parser: Option<ParseModel>) -> AttributionExtractor {
        self.parser = parser;
        self
    }

    pub fn extract(&self, doc: &Doc, mentions: &[Mention]) -> Vec<Attribution> {
        self.extract_counted(doc, mentions).0
    }

    /// `extract`, and how many sentences were parsed.
    pub fn extract_counted(&self, doc: &Doc, mentions: &[Mention]) -> (Vec<Attribution>, u64) {
        let mut parses = ParseCache::new(self.parser.as_ref());
        let found = self.extract_cached(&DocContext::new(doc, mentions), &mut parses);
        (found, parses.parsed)
    }

    /// The parse model the passes read, if any.
    pub fn parser(&self) -> Option<&ParseModel> {
        self.parser.as_ref()
    }

    /// `extract`, parsing through `parses`, a cache the caller may share with the event
    /// extractor so a sentence both read is parsed once. The cache's model is the one
    /// used; without one the passes read word order only.
    pub fn extract_cached(&self, ctx: &DocContext, parses: &mut ParseCache) -> Vec<Attribution> {
        let doc = ctx.doc;
        let mut buf = String::new();
        // Word ids of the tokens in the cue lexicon, once per document.
        let mut ids = Vec::new();
        self.cues.token_ids(doc, &mut ids);
        let sents: Vec<Sent> = ctx
            .sentences
            .iter()
            .filter(|s| !s.range.is_empty())
            .map(|s| {
                let cues = self.find_cues(doc, &ids, &s.range, &mut buf);
                // Dates are read only around a cue of the sentence (subjects, setting
                // phrases): a sentence without one needs none.
                let dates = if cues.is_empty() { &[][..] } else { ctx.dates(s.index) };
                let max_cue_len = cues.iter().map(|c| c.m.end.saturating_sub(c.m.start)).max().unwrap_or(0);
                Sent { index: s.index, range: s.range.clone(), ms: &s.mentions, dates, cues, max_cue_len }
            })
            .collect();
        let mut out: Vec<Attribution> = Vec::new();
        // Cue token positions already used (by token start index).
        let mut used: HashSet<usize> = HashSet::new();
        let quotes = find_quotes(doc.text);
        self.direct_quotes(doc, &sents, &quotes, &mut out, &mut used);
        // Contents of the direct quotes (all rows so far), for the overlap test of a
        // colon statement.
        let quote_contents: Vec<Span> = out.iter().filter(|o| o.kind == AttributionKind::DirectQuote).map(|o| o.content).collect();
        let quotes_disjoint = disjoint_sorted(&quote_contents);
        // Statements quoted whole: a reporting verb inside ("I think …") is the
        // speaker's own words, not the article's attribution.
        let quoted = quoted_in(doc, &quotes);
        let quoted_disjoint = disjoint_sorted(&quoted);
        let mut found = Found::default();
        for s in &sents {
            if self.credits(doc, s, &mut out) {
                continue;
            }
            if let Some(a) = colon_statement(doc, s) {
                let overlaps = if quotes_disjoint {
                    // The only candidate is the first quote ending after the start.
                    let k = quote_contents.partition_point(|q| q.end <= a.content.start);
                    quote_contents.get(k).is_some_and(|q| q.overlaps(a.content))
                } else {
                    quote_contents.iter().any(|q| q.overlaps(a.content))
                };
                if !overlaps {
                    out.push(a);
                }
            }
            expected_to(doc, s, &mut used, &mut out);
            fronted_asked(doc, s, &mut used, &mut out);
            poll_setting(doc, s, &mut out);
            // After the passes above, whose cues it must not read twice ("is expected to").
            self.learned_cues(doc, s, (&quoted, quoted_disjoint), &used, parses, &mut out);
            for c in &s.cues {
                if used.contains(&c.m.start) || in_quoted(&quoted, quoted_disjoint, doc.tokens[c.m.start].span) {
                    continue;
                }
                found.catch_up(&out);
                let prev = found.last_of_sentence.get(&s.index).map(|&k| &out[k]);
                let a = match c.kind {
                    CueKind::Say | CueKind::Tell if planned(doc, s, c.m.start) || not_a_statement(doc, s, c) => None,
                    CueKind::According => according_to(doc, s, c),
                    CueKind::Say | CueKind::Tell => match as_reported(doc, s, c) {
                        Some(a) => Some(a),
                        None => match reported(doc, s, c, prev) {
                            Some(a) => syntax_check(doc, s, c, a, parses),
                            None => parsed_statement(doc, s, c, parses),
                        },
                    },
                    CueKind::CreditBy | CueKind::CreditTo | CueKind::Quote => None,
                };
                if let Some(a) = a {
                    // Skip a clause that is exactly a quote already attributed.
                    if !found.contents.contains(&a.content) {
                        used.insert(c.m.start);
                        out.push(a);
                    }
                }
            }
            if self.parser.is_some() {
                findings(doc, s, &used, parses, &mut out);
                noun_statements(doc, s, parses, &mut out);
                self.frame_cues(doc, s, (&quoted, quoted_disjoint), &used, parses, &mut out);
            }
        }
        split_coordinated(doc, &mut out);
        drop_nested(doc, &mut out);
        for a in &mut out {
            if !matches!(a.kind, AttributionKind::Indirect | AttributionKind::DirectQuote) {
                continue;
            }
            // The sentences ascend by index.
            let (Some(src), Ok(k)) = (a.source, sents.binary_search_by_key(&a.sentence, |s| s.index)) else {
                continue;
            };
            a.source = Some(subject_head(doc, &sents[k], src, a.cue));
        }
        if self.parser.is_some() {
            quote_speakers(doc, &sents, parses, &mut out);
        }
        // Generic "you" ("By signing up, you agree …", "when you add up …") is nobody's
        // statement; a quote's speaker is kept.
        out.retain(|a| {
            valid(doc, a)
                && (a.kind == AttributionKind::DirectQuote || a.source.is_none_or(|x| !word_eq(doc.span_text(x), "you")))
                && !in_caption(doc.text, a.cue)
                && !first_person_belief(doc, a)
                && !said_by_nobody(doc, a)
        });
        for a in &mut out {
            if a.source.is_some_and(|x| interview_label(doc.text, x)) {
                a.source = None;
            }
            if let Some(x) = a.source {
                a.source = Some(without_fronted_words(doc, x));
            }
            // The sentences ascend by index.
            if let (Some(x), Ok(k)) = (a.source, sents.binary_search_by_key(&a.sentence, |s| s.index)) {
                a.source = without_dates(doc, &sents[k], x).and_then(|x| relative_antecedent(doc, &sents[k], x));
            }
        }
        out.sort_by_key(|a| (a.cue.start, a.content.start));
        out
    }

    /// Reported speech by a learned verb form ([`LEARNED_TSV`]) that is no cue of the
    /// lexicon: kept when the parse makes it a verb with a clausal complement, which is
    /// the content; the source is its subject. Only sentences holding such a form are
    /// parsed.
    fn learned_cues(
        &self,
        doc: &Doc,
        s: &Sent,
        // The quoted spans and whether they are disjoint (see `in_quoted`).
        (quoted, quoted_disjoint): (&[Span], bool),
        used: &HashSet<usize>,
        parses: &mut ParseCache,
        out: &mut Vec<Attribution>,
    ) {
        if self.learned.is_empty() || self.parser.is_none() {
            return;
        }
        let mut buf = String::new();
        let cands = open_words(doc, s, (quoted, quoted_disjoint), used, |t| {
            self.learned.contains(lower_into(t, &mut buf)) && !HEDGES.contains(&buf.as_str())
        });
        // Only a verb is kept: the tags alone rule out the others, unparsed.
        if !cands.iter().any(|&k| parses.upos(doc, s.index, &s.range, k) == Some(super::parse::Upos::Verb)) {
            return;
        }
        let Some(p) = parses.get(doc, s.index, &s.range) else {
            return;
        };
        for k in cands {
            if p.upos(k) != Some(super::parse::Upos::Verb) {
                continue;
            }
            let Some(comp) = p.child_where(k, |d| d == super::parse::Deprel::Ccomp) else {
                continue;
            };
            if syntax::judge(doc, &p, k) != syntax::Verdict::Keep {
                continue;
            }
            let (a, b) = syntax::subtree(&p, comp);
            // Not "that" or a comma opening the clause.
            let Some(content) = clause(doc, &s.range, a, b) else {
                continue;
            };
            let content = match doc.token_text(token_at(doc, content.start)) {
                t if word_eq(t, "that") => match clause(doc, &s.range, token_at(doc, content.start) + 1, b) {
                    Some(c) => c,
                    None => continue,
                },
                _ => content,
            };
            if doc.span_text(content).split_whitespace().count() < 3 {
                continue;
            }
            let source = syntax::parse_source(doc, s.ms, &p, k);
            out.push(Attribution {
                sentence: s.index,
                kind: AttributionKind::Indirect,
                source,
                cue: doc.tokens[k].span,
                content,
                confidence: if source.is_some() { 0.6 } else { 0.45 },
            });
        }
    }

    /// Cues by a learned frame (`frames.rs`): a form of the table outside quotations and
    /// outside the lexicon's cues, whose parse frame is one learned for it, and that is
    /// no part of a cue read already (its head, dependent or sibling: "said in a
    /// statement", "issued a statement saying"). The source is a verb's subject, or a
    /// noun's possessor ("his criticism"), its "from"/"by" phrase, else the subject of
    /// the verb it hangs on ("Trump released a statement"); the content is the
    /// complement, else the words after the cue.
    fn frame_cues(
        &self,
        doc: &Doc,
        s: &Sent,
        (quoted, quoted_disjoint): (&[Span], bool),
        used: &HashSet<usize>,
        parses: &mut ParseCache,
        out: &mut Vec<Attribution>,
    ) {
        if self.frames.is_empty() {
            return;
        }
        let mut buf = String::new();
        let cands = open_words(doc, s, (quoted, quoted_disjoint), used, |t| self.frame_words.get(t).is_some());
        if cands.is_empty() {
            return;
        }
        let Some(p) = parses.get(doc, s.index, &s.range) else {
            return;
        };
        for k in cands {
            let Some(frame) = frames::frame_of(&p, k) else {
                continue;
            };
            if !self.frame_words.get(doc.token_text(k)).is_some_and(|i| self.frames[i as usize].contains(&frame)) {
                continue;
            }
            lower_into(doc.token_text(k), &mut buf);
            let verb = p.upos(k) == Some(super::parse::Upos::Verb);
            if !frames::object_ok(doc, &p, k, &buf) || (verb && syntax::judge(doc, &p, k) != syntax::Verdict::Keep) {
                continue;
            }
            let near = |t: usize| {
                t == k
                    || p.head(k) == Some(t)
                    || p.head(t) == Some(k)
                    || (p.head(t).is_some() && p.head(t) == p.head(k))
                    || p.head(t).and_then(|h| p.head(h)) == Some(k)
                    || p.head(k).and_then(|h| p.head(h)) == Some(t)
            };
            if out.iter().any(|a| a.sentence == s.index && (a.cue.contains(doc.tokens[k].span) || near(token_at(doc, a.cue.start)))) {
                continue;
            }
            let source = if verb { syntax::parse_source(doc, s.ms, &p, k) } else { syntax::noun_source(doc, s.ms, &p, k) };
            let comp = if verb {
                p.child_where(k, |d| matches!(d, super::parse::Deprel::Ccomp | super::parse::Deprel::Xcomp | super::parse::Deprel::Obj))
                    .or_else(|| p.child_where(k, |d| d.as_str().starts_with("obl")))
                    .filter(|&c| c > k)
            } else {
                None
            };
            let content = match comp {
                Some(c) => {
                    let (a, b) = syntax::subtree(&p, c);
                    clause(doc, &s.range, a.max(k + 1), b)
                }
                None => {
                    let (_, b) = syntax::subtree(&p, k);
                    clause(doc, &s.range, k + 1, b).or_else(|| clause(doc, &s.range, k + 1, s.range.end))
                }
            };
            let Some(content) = content else {
                continue;
            };
            out.push(Attribution {
                sentence: s.index,
                kind: AttributionKind::Indirect,
                source,
                cue: doc.tokens[k].span,
                content,
                confidence: if source.is_some() { 0.5 } else { 0.4 },
            });
        }
    }

    /// Cues of the sentence `range`; `ids` are the word ids of the document's tokens
    /// (`PhraseSet::token_ids`).
    fn find_cues(&self, doc: &Doc, ids: &[u32], range: &Range<usize>, buf: &mut String) -> Vec<Cue> {
        let mut out = Vec::new();
        let kelvin = crate::text_slice(doc.text, tok_span(doc, range.start, range.end).range()).contains('\u{212A}');
        let mut i = range.start;
        while i < range.end {
            let found = if ids[i] != NO_WORD {
                self.cues.longest_at_ids(doc, ids, range, i)
            } else if kelvin && doc.token_text(i).contains('\u{212A}') {
                // The word ids fold ASCII only; the Kelvin sign lowercases to `k`.
                self.cues.longest_at(doc, range, i, lower_into(doc.token_text(i), buf))
            } else {
                None
            };
            match found {
                Some(m) => {
                    let e = self.cues.entries[m.entry];
                    out.push(Cue { m, kind: e.kind, weight: e.weight, needs_clause: e.needs_clause, stance: e.stance });
                    i = m.head_end.max(i + 1);
                }
                None => i += 1,
            }
        }
        // Drop cue words used as nouns (after the scan, which needs the following cue).
        let keep: Vec<bool> = out.iter().map(|c| !noun_use(doc, range, c, &out)).collect();
        let mut k = 0;
        out.retain(|_| {
            k += 1;
            keep[k - 1]
        });
        out
    }

    /// Attribute the quotations of the document to a speaker next to them.
    fn direct_quotes(&self, doc: &Doc, sents: &[Sent], quotes: &[Quote], out: &mut Vec<Attribution>, used: &mut HashSet<usize>) {
        // The previous attributed quote: its attribution and where its attribution ends.
        let mut last: Option<(Attribution, u32)> = None;
        let sent_spans: Vec<Span> = sents.iter().map(|s| tok_span(doc, s.range.start, s.range.end)).collect();
        let sents_disjoint = disjoint_sorted(&sent_spans);
        for q in quotes {
            let at = Span::new(q.outer.start as usize, q.outer.start as usize + 1);
            let si = if sents_disjoint {
                // The only candidate is the first sentence ending after the mark.
                let k = sent_spans.partition_point(|x| x.end < at.end);
                sent_spans.get(k).is_some_and(|x| x.contains(at)).then_some(k)
            } else {
                sent_spans.iter().position(|x| x.contains(at))
            };
            let Some(si) = si else {
                continue;
            };
            let s = &sents[si];
            let found = self.speaker_after(doc, sents, sents_disjoint, si, q).or_else(|| self.speaker_before(doc, s, q));
            match found {
                Some((source, cue, weight, end)) => {
                    let a = Attribution {
                        sentence: doc.sentence_of(cue.start),
                        kind: AttributionKind::DirectQuote,
                        source,
                        cue,
                        content: q.content,
                        confidence: weight,
                    };
                    used.insert(token_at(doc, cue.start));
                    last = Some((a.clone(), end.max(q.outer.end)));
                    out.push(a);
                }
                None => {
                    // Second part of a split quote: only the attribution of the previous
                    // part between them.
                    if let Some((prev, end)) = &last {
                        let gap = doc.text.get(*end as usize..q.outer.start as usize).unwrap_or("x");
                        if q.outer.start >= *end
                            && gap.chars().all(|c| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':'))
                            && !gap.contains("\n\n")
                        {
                            let a = Attribution { content: q.content, confidence: prev.confidence * 0.9, ..prev.clone() };
                            last = Some((a.clone(), q.outer.end));
                            out.push(a);
                            continue;
                        }
                    }
                    last = None;
                }
            }
        }
    }

    /// `"…," Flynn said` / `"…," said Flynn` / `"…" ― Name`. Returns (source, cue,
    /// confidence, end of the attribution).
    fn speaker_after(&self, doc: &Doc, sents: &[Sent], disjoint: bool, si: usize, q: &Quote) -> Option<(Option<Span>, Span, f32, u32)> {
        let inner = doc.span_text(q.content).trim_end_matches(['’', '\'', '”', '"']);
        let ends_open = inner.ends_with([',', '!', '?', '—', '–', '-', '…']) || inner.ends_with("...");
        let mut p = token_at(doc, q.outer.end);
        // The sentence holding the token after the quote (the closing mark may end one).
        // When the sentences ascend without overlap (`disjoint`), the only candidate is
        // the first ending after `p`.
        let k = if disjoint {
            let k = sents.partition_point(|x| x.range.end <= p);
            sents.get(k).is_some_and(|x| x.range.contains(&p)).then_some(k)
        } else {
            sents.iter().position(|x| x.range.contains(&p))
        };
        let k2 = k.unwrap_or(si);
        let s2 = &sents[k2];
        if p >= s2.range.end {
            return None;
        }
        let t = doc.token_text(p);
        if matches!(t, "―" | "—" | "–" | "--") && p + 1 < s2.range.end && is_capitalized(doc.token_text(p + 1)) {
            let source = np_after(doc, s2.ms, &s2.range, p + 1, 8);
            let end = source.map_or(doc.tokens[p].span.end, |x| x.end);
            return Some((source, doc.tokens[p].span, 0.8, end));
        }
        let comma_after = t == ",";
        if comma_after {
            p += 1;
        } else if !ends_open && !inner.ends_with(['.', '"']) {
            return None;
        }
        // A cue within the speaker's phrase (which may hold a long apposition, and which
        // the sentence splitter may have cut after an abbreviation: "(D-Wis.) said").
        // Cues ascend by start: skip those before `p` without reading them.
        let from = |cues: &[Cue]| cues.partition_point(|c| c.m.start < p);
        let next = sents.get(k2 + 1);
        let cue = s2.cues[from(&s2.cues)..]
            .iter()
            .chain(next.into_iter().flat_map(|n| n.cues[from(&n.cues)..].iter()))
            .find(|c| matches!(c.kind, CueKind::Say | CueKind::Tell | CueKind::Quote) && c.m.start >= p && c.m.start <= p + 30)?;
        let between = p..cue.m.start;
        // Sentence punctuation between quote and cue ends the attribution, except inside
        // parentheses ("Rep. Gwen Moore (D-Wis.) said").
        let mut depth = 0i32;
        for k in between.clone() {
            match doc.token_text(k) {
                "(" => depth += 1,
                ")" => depth = (depth - 1).max(0),
                "." if depth > 0 => {}
                "." | "“" | "\"" | "”" | ";" | "?" | "!" => return None,
                _ => {}
            }
        }
        // A quote closed by a full stop ends its sentence: a speaker phrase after it whose
        // cue goes on to a statement of its own ("“… Not one.” The paper reported that
        // …", "“…” Asked by Baier if …, Mattis said") is not its speaker.
        if !ends_open {
            let cs = if s2.range.contains(&cue.m.start) { s2 } else { next.unwrap_or(s2) };
            let last = trim_end_punct(doc, &cs.range);
            if cue.m.end < last && !setting_only(doc, cs, cue.m.end, last) && !rest_is_setting_or_np(doc, cs, cue.m.end, last) {
                return None;
            }
        }
        let cue_span = tok_span(doc, cue.m.start, cue.m.head_end);
        let source = if between.is_empty() {
            // Inverted: `"…," said Flynn`.
            np_after(doc, s2.ms, &s2.range, cue.m.end, 8)
        } else {
            if !between.clone().all(|k| {
                is_np_word(doc.token_text(k))
                    || matches!(doc.token_text(k), "," | "-" | "'s" | "’s" | "(" | ")" | ".")
                    || is_determiner(doc.token_text(k))
                    || is_preposition(doc.token_text(k))
                    || super::events::phrase::is_subject_pronoun(doc.token_text(k))
            }) {
                return None;
            }
            let mut b = between.end;
            while b > between.start && doc.token_text(b - 1) == "," {
                b -= 1;
            }
            (b > between.start).then(|| tok_span(doc, between.start, b))
        };
        let end = source.map_or(cue_span.end, |x| x.end.max(cue_span.end));
        Some((source, cue_span, cue.weight, end))
    }

    /// `Flynn said: "…"` / `Flynn said, "…"` / `Flynn: "…"`.
    fn speaker_before(&self, doc: &Doc, s: &Sent, q: &Quote) -> Option<(Option<Span>, Span, f32, u32)> {
        let open = token_at(doc, q.outer.start);
        if open <= s.range.start {
            return None;
        }
        let mut k = open;
        let punct = doc.token_text(k - 1);
        let colon = punct == ":";
        if colon || punct == "," {
            k -= 1;
        }
        // The cue at most four tokens before (said Thursday:, told reporters:). Cues
        // ascend by start and span at most `max_cue_len` tokens: only those starting
        // before `k` and no further back than that can end within four tokens of it.
        let before = s.cues.partition_point(|c| c.m.start < k);
        let cue = s.cues[..before].iter().rev().take_while(|c| c.m.start + s.max_cue_len + 4 >= k).find(|c| {
            matches!(c.kind, CueKind::Say | CueKind::Tell | CueKind::Quote)
                && c.m.end <= k
                && k - c.m.end <= 4
                && c.m.start >= s.range.start
        });
        if let Some(c) = cue {
            // A belief or stance cue ("want", "expect", "hope") runs into a quote only
            // through a colon or comma ("his Representatives want “calm resolution”" is a
            // wish, not a quotation).
            if !(colon || punct == "," || (c.m.end == open && c.weight > 0.55)) {
                return None;
            }
            // "a program called “Project ORCA”", "it was called “…”": a name given.
            if !colon && punct != "," && WordClass::CallForms.has(doc.token_text(c.m.start)) && !call_after_subject(doc, s, c.m.start) {
                return None;
            }
            let source = subject_before(doc, s.ms, &s.range, c.m.start, s.dates)
                .and_then(|(x, kind)| (kind != SubjectKind::Coordinated).then_some(x));
            let cue_span = tok_span(doc, c.m.start, c.m.head_end);
            return Some((source, cue_span, c.weight, q.outer.end));
        }
        if colon && k > s.range.start {
            // `Name: "…"` (a headline or transcript style).
            let colon_tok = k;
            let m = s.ms.iter().find(|m| m.tokens.end == colon_tok)?;
            return Some((Some(m.span), doc.tokens[colon_tok].span, 0.6, q.outer.end));
        }
        None
    }

    /// Credit lines; true when the sentence is one (nothing else is read from it).
    fn credits(&self, doc: &Doc, s: &Sent, out: &mut Vec<Attribution>) -> bool {
        let mut any = false;
        for c in &s.cues {
            match c.kind {
                CueKind::CreditBy if credit_line_start(doc, s, c.m.start) => {
                    // Parties after "by" up to ";" or the sentence end.
                    let mut end = c.m.end;
                    while end < s.range.end && !matches!(doc.token_text(end), ";" | "." | ")" | "|") {
                        end += 1;
                    }
                    let cue = tok_span(doc, c.m.start, c.m.end);
                    let role = tok_span(doc, c.m.start, c.m.end - 1);
                    for party in parties(doc, c.m.end..end) {
                        any = true;
                        out.push(Attribution {
                            sentence: s.index,
                            kind: AttributionKind::Credit,
                            source: Some(party),
                            cue,
                            content: role,
                            confidence: c.weight,
                        });
                    }
                }
                CueKind::CreditTo if c.m.start > s.range.start && credit_parties_only(doc, s.range.start..c.m.start) => {
                    let cue = tok_span(doc, c.m.start, c.m.start + 2);
                    let content = tok_span(doc, c.m.start + 2, c.m.end);
                    for party in parties(doc, s.range.start..c.m.start) {
                        any = true;
                        out.push(Attribution {
                            sentence: s.index,
                            kind: AttributionKind::Credit,
                            source: Some(party),
                            cue,
                            content,
                            confidence: c.weight,
                        });
                    }
                }
                _ => {}
            }
        }
        any
    }
}

/// True when a cue word is no reporting verb here: "is expected to" (a passive
/// expectation), or a cue that can be a noun ((class `noun_forms` of `data/lexicon/wordclasses.tsv`)) used as one: after a number,
/// or followed by what cannot start a reported clause or an object (a preposition,
/// an auxiliary, a conjunction, punctuation, the end of the sentence) or by another
/// cue verb ("the CRS reports describe …"). "state(s)" reports only before "that" or a
/// colon ("He states that …"); "the state", "swing states", "New York state" are places.
fn noun_use(doc: &Doc, range: &Range<usize>, c: &Cue, all: &[Cue]) -> bool {
    let m = c.m;
    if !matches!(c.kind, CueKind::Say | CueKind::Tell) {
        return false;
    }
    let word = doc.token_text(m.start).to_ascii_lowercase();
    // Market moves, not statements: "declined to 3.65 pct", "rose two points to 51.9",
    // "prices expected 0.50 dlr higher".
    if ["declin", "point", "expect"].iter().any(|p| word.starts_with(p)) {
        let number = |k: usize| doc.token_text(k).chars().next().is_some_and(|c| c.is_ascii_digit());
        if (m.end < range.end && number(m.end))
            || (m.start > range.start && (number(m.start - 1) || number_word(doc.token_text(m.start - 1))))
        {
            return true;
        }
    }
    if m.head_end != m.start + 1 {
        return false;
    }
    // "is expected to rise", "were expected": a passive expectation has no source.
    if word == "expected" && m.start > range.start && super::events::phrase::is_auxiliary(doc.token_text(m.start - 1)) {
        return !matches!(doc.token_text(m.start - 1).to_ascii_lowercase().as_str(), "has" | "have" | "had");
    }
    // "pledged delegates" (a primary's count): an adjective.
    if word == "pledged" && m.end < range.end && doc.token_text(m.end).to_ascii_lowercase().starts_with("delegate") {
        return true;
    }
    // "a poor showing in Iowa", "their strong showing.": a noun.
    if word == "showing"
        && (m.end >= range.end || is_preposition(doc.token_text(m.end)) || matches!(doc.token_text(m.end), "," | "." | ";"))
    {
        return true;
    }
    if !WordClass::NounForms.has(&word) {
        return false;
    }
    let next = (m.end < range.end).then(|| doc.token_text(m.end));
    if word == "state" || word == "states" {
        return !next.is_some_and(|t| word_eq(t, "that") || t == ":");
    }
    if m.start > range.start {
        let prev = doc.token_text(m.start - 1);
        let lower = prev.chars().next().is_some_and(char::is_lowercase);
        // "Editor's note:", "the report".
        if matches!(prev, "'s" | "’s") || is_determiner(prev) {
            return true;
        }
        // "20 states", "several claims"; "of tweets"; "disparaging remarks",
        // "early-morning tweets", "unnamed reports": a modifier, so the cue is a noun.
        if prev.chars().all(|c| c.is_ascii_digit() || c == ',')
            || number_word(prev)
            || (is_preposition(prev) && !word_eq(prev, "to"))
            || (lower && (prev.ends_with("ing") || prev.ends_with("ed") || prev.contains('-')) && prev.len() > 4)
        {
            return true;
        }
        // A base form ("question", "call") is a verb after a pronoun, an auxiliary or
        // "to", an adverb or a plural or a name; after anything else ("a big
        // question", "the basic question") a noun.
        if !word.ends_with('s') {
            let verb_ctx = super::events::phrase::is_subject_pronoun(prev)
                || word_eq(prev, "that")
                || word_eq(prev, "to")
                || word_eq(prev, "n't")
                || super::events::phrase::is_auxiliary(prev)
                || super::events::phrase::is_adverb(prev)
                || is_capitalized(prev)
                || (lower && prev.ends_with('s') && !prev.ends_with("ss") && !prev.ends_with("'s") && !prev.ends_with("’s"));
            if !verb_ctx {
                return true;
            }
        }
    }
    // "…, The Wall Street Journal reports." / "…, he claims.": a verb after a name or a
    // pronoun at the end of the sentence.
    if m.start > range.start && next.is_none_or(|t| matches!(t, "." | "," | ":" | ";")) {
        let prev = doc.token_text(m.start - 1);
        if word.ends_with('s') && (is_capitalized(prev) || super::events::phrase::is_subject_pronoun(prev)) {
            return false;
        }
    }
    let Some(next) = next else {
        return true;
    };
    if m.end > m.head_end {
        // "calls for", "points out": the particle was matched.
        return false;
    }
    (is_preposition(next) && !word_eq(next, "to"))
        || super::events::phrase::is_auxiliary(next)
        || super::events::phrase::is_conjunction(next)
        || matches!(next, "," | "." | ";" | ")" | "–" | "—" | "?" | "!")
        || all.iter().any(|o| o.m.start == m.end && matches!(o.kind, CueKind::Say | CueKind::Tell))
}

fn number_word(t: &str) -> bool {
    ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "several", "many", "few"]
        .iter()
        .any(|w| word_eq(t, w))
}

/// `Name: statement` opening a sentence (headlines "Poll: Voters Abandon …",
/// transcripts "PENCE: Well, …", a list of someone's words "Limbaugh: Obama is …"): the
/// name is the source, the colon the cue. The name is a short phrase of capitalised
/// words. PolNeAR marks all three (polnear-dev: 19 of the 22 colon rows right). No
/// statement: a section label or heading (allsides-dev), that is a label that is a
/// function word or adverb ("In: A provision …", "Also: …"), a short heading or a list
/// of names in title case ("Winner: Kamala Harris", "Nevada: Mac Abrams, Greg Bailor,
/// …"), a heading in capitals ("JAMES CARAFANO: US FOREIGN POLICY -- …") or a glossary
/// entry describing the name ("George Papadopoulos: A former Trump campaign adviser, …").
fn colon_statement(doc: &Doc, s: &Sent) -> Option<Attribution> {
    let mut a = s.range.start;
    while a < s.range.end && matches!(doc.token_text(a), "\"" | "“" | "'" | "‘") {
        a += 1;
    }
    let colon = (a..s.range.end.min(a + 8)).find(|&k| doc.token_text(k) == ":")?;
    if colon == a || !(a..colon).all(|k| is_capitalized(doc.token_text(k)) || matches!(doc.token_text(k), "'s" | "’s" | "." | "-")) {
        return None;
    }
    if page_label(doc.span_text(tok_span(doc, a, colon))) {
        return None;
    }
    let first = doc.token_text(a);
    if is_preposition(first) || super::events::phrase::is_adverb(first) || is_determiner(first) {
        return None;
    }
    let last = trim_end_punct(doc, &s.range);
    let content = clause(doc, &s.range, colon + 1, last)?;
    let words = doc.span_text(content).split_whitespace().count();
    if words < 2 {
        return None;
    }
    let body = colon + 1..last;
    let commas = body.clone().filter(|&k| doc.token_text(k) == ",").count();
    let heading = (title_case(doc, &body) && (words < 4 || commas >= 2))
        || doc.span_text(content).chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase())
        || (colon + 1 < last && ["a", "an"].iter().any(|w| word_eq(doc.token_text(colon + 1), w)) && words >= 3);
    if heading {
        return None;
    }
    Some(Attribution {
        sentence: s.index,
        kind: AttributionKind::Indirect,
        source: Some(tok_span(doc, a, colon)),
        cue: doc.tokens[colon].span,
        content,
        confidence: 0.6,
    })
}

/// Labels of page furniture and kickers before a colon ("More:", "EXCLUSIVE:", "JUST
/// IN:", "Photograph:", "The Latest:", "Correction:") and interview initials ("ZB:"):
/// nobody speaking.
fn page_label(label: &str) -> bool {
    const LABELS: &[&str] = &[
        "more",
        "read more",
        "related",
        "analysis",
        "exclusive",
        "just in",
        "breaking",
        "breaking news",
        "watch",
        "live",
        "update",
        "updated",
        "photograph",
        "photo",
        "photos",
        "image",
        "image caption",
        "caption",
        "media caption",
        "video",
        "the latest",
        "correction",
        "clarification",
        "editor's note",
        "editor’s note",
        "note",
        "source",
        "sources",
        "advertisement",
        "credit",
        "opinion",
        "graphic",
        "listen",
        "see also",
        "also read",
        "fact check",
        "transcript",
        "question",
        "answer",
        "contributing",
        "photographer",
        "byline",
        "story",
        "now watch",
        "related video",
        "winner",
        "loser",
        "so",
        "then",
    ];
    let l = label.trim().to_lowercase();
    let letters: Vec<char> = l.chars().filter(|c| c.is_alphabetic()).collect();
    LABELS.contains(&l.as_str())
        || (letters.len() <= 3 && label.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()))
        // An all-caps kicker of several words ("POLICING THE USA:"); one all-caps name
        // is a transcript speaker ("PENCE:").
        || (label.split_whitespace().count() >= 3 && label.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()))
}

/// A credit cue opens its line: at the sentence start, after "(" or "Additional", or
/// after the ";" of a previous credit.
fn credit_line_start(doc: &Doc, s: &Sent, at: usize) -> bool {
    let mut k = at;
    while k > s.range.start && matches!(doc.token_text(k - 1), "(" | "-" | "—" | "|") {
        k -= 1;
    }
    k == s.range.start || matches!(doc.token_text(k - 1), ";" | "/" | "|")
}

/// Only names and list punctuation before "contributed to" (a credit line, not a
/// sentence about someone contributing).
fn credit_parties_only(doc: &Doc, range: Range<usize>) -> bool {
    range.clone().all(|k| {
        let t = doc.token_text(k);
        is_capitalized(t) || matches!(t, "," | "&" | "'s" | "’s" | "." | "-") || word_eq(t, "and") || is_determiner(t) || word_eq(t, "of")
    })
}

/// Parties of a credit list: split on commas, "and", "&", "/"; determiners dropped.
fn parties(doc: &Doc, range: Range<usize>) -> Vec<Span> {
    let mut out = Vec::new();
    let mut a = range.start;
    let flush = |a: usize, b: usize, out: &mut Vec<Span>| {
        let mut a = a;
        while a < b && (is_determiner(doc.token_text(a)) || matches!(doc.token_text(a), "(" | "-")) {
            a += 1;
        }
        // "Fox News Digital's Ashley Carnahan": the person is credited; the outlet
        // before the possessive is her affiliation, not a party of its own.
        if let Some(k) =
            (a..b).rev().find(|&k| matches!(doc.token_text(k), "'s" | "’s") && k + 1 < b && is_capitalized(doc.token_text(k + 1)))
        {
            a = k + 1;
        }
        let mut b = b;
        while b > a && matches!(doc.token_text(b - 1), "," | ")" | "-") {
            b -= 1;
        }
        if b > a && (a..b).any(|k| is_capitalized(doc.token_text(k))) {
            out.push(tok_span(doc, a, b));
        }
    };
    for k in range.clone() {
        let t = doc.token_text(k);
        if matches!(t, "," | "&" | "/" | ";") || word_eq(t, "and") {
            flush(a, k, &mut out);
            a = k + 1;
        }
    }
    flush(a, range.end, &mut out);
    out
}

/// `according to X`: the source is X, the content the rest of the sentence.
fn according_to(doc: &Doc, s: &Sent, c: &Cue) -> Option<Attribution> {
    // One lowercase modifier the noun-phrase reader stops at ("according to early
    // results of the exit poll") is part of the source.
    let mut src = match np_after(doc, s.ms, &s.range, c.m.end, 8) {
        Some(x) => x,
        None if c.m.end + 1 < s.range.end && doc.token_text(c.m.end).chars().all(char::is_lowercase) => {
            let rest = np_after(doc, s.ms, &s.range, c.m.end + 1, 8)?;
            Span { start: doc.tokens[c.m.end].span.start, end: rest.end }
        }
        None => return None,
    };
    // One hop over "of/from/by/at" ("a statement from the Kremlin").
    let mut after = token_at(doc, src.end);
    if after < s.range.end && ["from", "of", "by", "at"].iter().any(|w| word_eq(doc.token_text(after), w)) {
        if let Some(more) = np_after(doc, s.ms, &s.range, after + 1, 8) {
            src = Span { start: src.start, end: more.end };
            after = token_at(doc, more.end);
        }
    }
    let cue = tok_span(doc, c.m.start, c.m.end);
    let before = c.m.start - s.range.start;
    let content = if before <= 1 {
        // "According to X, CLAUSE."
        let mut k = after;
        while k < s.range.end && doc.token_text(k) != "," {
            k += 1;
        }
        clause(doc, &s.range, k + 1, s.range.end)?
    } else {
        // "CLAUSE, according to X." (or in the middle: the part before it)
        let mut end = c.m.start;
        while end > s.range.start && matches!(doc.token_text(end - 1), "," | "(" | "—" | "–") {
            end -= 1;
        }
        clause(doc, &s.range, s.range.start, end)?
    };
    Some(Attribution { sentence: s.index, kind: AttributionKind::AccordingTo, source: Some(src), cue, content, confidence: c.weight })
}

/// Word-order vetoes on a reported-speech cue: an order received ("were told to sit
/// on a bench": "to" right after "told") and a proposal made ("the
/// project proposed by the mayor", "was proposed by"): no statement is reported.
fn not_a_statement(doc: &Doc, s: &Sent, c: &Cue) -> bool {
    let k = c.m.start;
    let next = c.m.head_end;
    let t = doc.token_text(k);
    let next_is = |w: &str| next < s.range.end && word_eq(doc.token_text(next), w);
    // "told" right before "to", with no addressee between: a passive or participle
    // ("were told to sit", "given monitors and told to report") or "the lies he told to
    // sell": an order received, no statement. "told reporters to …" stays.
    if ["told", "tell", "tells", "telling"].iter().any(|w| word_eq(t, w)) && next_is("to") {
        return true;
    }
    if t.len() > 6 && t.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("propos")) && next_is("by") {
        return true;
    }
    // "wrote for the newspaper", "writes for Politico": working for a publication, no
    // statement, unless a clause follows the publication ("wrote for Politico that …").
    if ["wrote", "write", "writes", "writing", "written"].iter().any(|w| word_eq(t, w)) && next_is("for") {
        let end = trim_end_punct(doc, &s.range);
        let statement = (next + 1..end).any(|j| {
            let w = doc.token_text(j);
            word_eq(w, "that") || matches!(w, ":" | "“" | "\"")
        });
        if !statement {
            return true;
        }
    }
    // "A similar exercise called the National Register … was carried out": "called" after
    // a common noun, its name, then the sentence's own verb group: a name given.
    if word_eq(t, "called") && k > s.range.start {
        let prev = doc.token_text(k - 1);
        let common_noun = prev.chars().all(char::is_lowercase)
            && prev.len() > 2
            && !super::events::phrase::is_subject_pronoun(prev)
            && !super::events::phrase::is_relative(prev)
            && !super::events::phrase::is_adverb(prev);
        if common_noun {
            for j in next + 1..s.range.end.min(next + 9) {
                let w = doc.token_text(j);
                if matches!(w, "," | ";" | ":" | "“" | "\"" | "(" | "—") || ["that", "which", "who", "as"].iter().any(|x| word_eq(w, x))
                {
                    break;
                }
                if ["is", "was", "were", "are", "has", "had", "have", "will"].iter().any(|x| word_eq(w, x)) {
                    return true;
                }
            }
        }
    }
    false
}

/// "…, as described in a campaign memo.", "As noted in The Times, the F.D.A. …", "as
/// reported by Reuters": the noun phrase after "in"/"by" is the source; the content is
/// the clause after the comma (sentence-initial "As") or before "as".
fn as_reported(doc: &Doc, s: &Sent, c: &Cue) -> Option<Attribution> {
    let k = c.m.start;
    let next = c.m.head_end;
    if k <= s.range.start || next + 1 >= s.range.end || !word_eq(doc.token_text(k - 1), "as") {
        return None;
    }
    if !["in", "by", "on"].iter().any(|w| word_eq(doc.token_text(next), w)) {
        return None;
    }
    let src = np_after(doc, s.ms, &s.range, next + 1, 8)?;
    let mut first = s.range.start;
    while first < k - 1 && matches!(doc.token_text(first), "\"" | "“" | "'" | "‘" | "(") {
        first += 1;
    }
    let last = trim_end_punct(doc, &s.range);
    let content = if first == k - 1 {
        let src_end = token_at(doc, src.end);
        let comma = (src_end..last).find(|&j| doc.token_text(j) == ",")?;
        clause(doc, &s.range, comma + 1, last)?
    } else {
        clause(doc, &s.range, s.range.start, k - 1)?
    };
    if doc.span_text(content).split_whitespace().count() < 3 {
        return None;
    }
    Some(Attribution {
        sentence: s.index,
        kind: AttributionKind::Indirect,
        source: Some(src),
        cue: tok_span(doc, k, next),
        content,
        confidence: (c.weight * 0.9).clamp(0.05, 0.95),
    })
}

/// A fronted question, "Asked if he would run again, Smith said …", "When asked about
/// the plan, …": the cue "Asked", no source (who asked is not said), the question up to
/// the comma as the content. PolNeAR and realnews both mark it so (polnear-train: 40
/// sentence-initial "Asked", none found before).
fn fronted_asked(doc: &Doc, s: &Sent, used: &mut HashSet<usize>, out: &mut Vec<Attribution>) {
    let mut k = s.range.start;
    while k < s.range.end && matches!(doc.token_text(k), "\"" | "“" | "'" | "‘" | "(") {
        k += 1;
    }
    if k < s.range.end && ["when", "but", "and", "once", "if"].iter().any(|w| word_eq(doc.token_text(k), w)) {
        k += 1;
    }
    if k + 2 >= s.range.end || !word_eq(doc.token_text(k), "asked") || used.contains(&k) {
        return;
    }
    if !WordClass::AskOpeners.has(doc.token_text(k + 1)) {
        return;
    }
    // The comma closing the question; none within the sentence: no fronted question.
    let Some(comma) = (k + 2..s.range.end).find(|&j| doc.token_text(j) == ",") else {
        return;
    };
    if comma + 1 >= trim_end_punct(doc, &s.range) {
        return;
    }
    let Some(content) = clause(doc, &s.range, k + 1, comma) else {
        return;
    };
    if doc.span_text(content).split_whitespace().count() < 2 {
        return;
    }
    used.insert(k);
    out.push(Attribution {
        sentence: s.index,
        kind: AttributionKind::Indirect,
        source: None,
        cue: doc.tokens[k].span,
        content,
        confidence: 0.6,
    });
}

/// "In an NBC News/Wall Street Journal poll released Monday, 50 percent …": a sentence
/// opened by "In" and a poll or study before its first comma reports the poll's
/// finding. The cue is "In", the source the poll phrase, the content the rest
/// (PolNeAR marks it so: "in" is polnear-train's second most missed cue).
fn poll_setting(doc: &Doc, s: &Sent, out: &mut Vec<Attribution>) {
    let k = s.range.start;
    if k + 3 >= s.range.end || !word_eq(doc.token_text(k), "in") {
        return;
    }
    let Some(comma) = (k + 1..s.range.end.min(k + 14)).find(|&j| doc.token_text(j) == ",") else {
        return;
    };
    if !(k + 1..comma).any(|j| WordClass::PollNouns.has(doc.token_text(j))) {
        return;
    }
    let Some(content) = clause(doc, &s.range, comma + 1, trim_end_punct(doc, &s.range)) else {
        return;
    };
    if doc.span_text(content).split_whitespace().count() < 3 {
        return;
    }
    out.push(Attribution {
        sentence: s.index,
        kind: AttributionKind::AccordingTo,
        source: Some(tok_span(doc, k + 1, comma)),
        cue: doc.tokens[k].span,
        content,
        confidence: 0.6,
    });
}

/// "A poll shows Sanders leading Clinton", "the April survey found Clinton leading by
/// seven points", "…, FEC records show.": a poll, study or record reports a finding
/// (realnews marks "showed", "indicate", "demonstrated" with a study as the source;
/// PolNeAR the same). Read by the parse: the verb's subject is a document noun; the
/// content is what follows the verb (its complements), or the clause before a final
/// "…, records show.". Runs after the lexicon cues, on verbs no row took.
fn findings(doc: &Doc, s: &Sent, used: &HashSet<usize>, parses: &mut ParseCache, out: &mut Vec<Attribution>) {
    // Only a verb with a document noun in the six words before it: the sentence is
    // parsed for no other ("found" is common).
    let cands: Vec<usize> = s
        .range
        .clone()
        .filter(|&k| {
            !used.contains(&k)
                && WordClass::FindingVerbs.has(doc.token_text(k))
                && (k.saturating_sub(6).max(s.range.start)..k).any(|j| WordClass::DocumentNouns.has(doc.token_text(j)))
        })
        .collect();
    if cands.is_empty() {
        return;
    }
    let Some(p) = parses.get(doc, s.index, &s.range) else {
        return;
    };
    for k in cands {
        let cue = doc.tokens[k].span;
        if out.iter().rev().take_while(|a| a.sentence == s.index).any(|a| a.cue.contains(cue) || a.content.contains(cue)) {
            continue;
        }
        let doc_noun = |j: usize| WordClass::DocumentNouns.has(doc.token_text(j));
        let parse_subj = p.child_where(k, |d| d == super::parse::Deprel::Nsubj).filter(|&x| doc_noun(x));
        // The parse often reads "a poll shows …" as a noun phrase ("poll shows"): a
        // document noun right before the verb is its subject by word order.
        let word_subj = k > s.range.start && doc_noun(k - 1) && p.upos(k - 1) != Some(super::parse::Upos::Verb);
        match parse_subj {
            Some(_) if syntax::judge(doc, &p, k) != syntax::Verdict::Keep => continue,
            Some(_) => {}
            None if word_subj && !modal_or_negated(doc, s, k) => {}
            None => continue,
        }
        let last = trim_end_punct(doc, &s.range);
        let word_source = subject_before(doc, s.ms, &s.range, k, s.dates).map(|x| x.0);
        let sa = match (parse_subj, word_source) {
            (Some(subj), _) => syntax::subtree(&p, subj).0,
            (None, Some(src)) => token_at(doc, src.start),
            (None, None) => k - 1,
        };
        let content = if k + 1 >= last {
            // "…, FEC records show.": the clause before the comma.
            if sa > s.range.start && doc.token_text(sa - 1) == "," {
                clause(doc, &s.range, s.range.start, sa - 1)
            } else {
                None
            }
        } else {
            let end = p
                .children(k)
                .filter(|&c| {
                    matches!(p.deprel(c), Some(super::parse::Deprel::Obj | super::parse::Deprel::Ccomp | super::parse::Deprel::Xcomp))
                        && c > k
                })
                .map(|c| syntax::subtree(&p, c).1)
                .max()
                .or_else(|| parse_subj.is_none().then(|| clause_end(doc, s, k + 1, last)));
            end.and_then(|e| {
                let mut from = k + 1;
                while from < e && word_eq(doc.token_text(from), "that") {
                    from += 1;
                }
                clause(doc, &s.range, from, e)
            })
        };
        let Some(content) = content else {
            continue;
        };
        if doc.span_text(content).split_whitespace().count() < 2 {
            continue;
        }
        let source = if parse_subj.is_some() { syntax::parse_source(doc, s.ms, &p, k) } else { word_source };
        out.push(Attribution { sentence: s.index, kind: AttributionKind::Indirect, source, cue, content, confidence: 0.55 });
    }
}

/// "the claim that President Obama lied", "Trump's assertion that the election was
/// rigged", "a warning from the agency that …": a statement noun with a "that" clause
/// as its complement (the parse's `acl`, not a relative clause: "the statement that he
/// released" is none). The content is the clause; the source the possessor or the
/// "by/from" phrase on the noun, else none. Realnews marks such nouns as speech cues
/// ("claim", "statements", "warnings"), PolNeAR about two in three "claim/statement/
/// warning that" (polnear-train).
fn noun_statements(doc: &Doc, s: &Sent, parses: &mut ParseCache, out: &mut Vec<Attribution>) {
    let cands: Vec<usize> = s
        .range
        .clone()
        .filter(|&k| k + 2 < s.range.end && word_eq(doc.token_text(k + 1), "that") && WordClass::StatementNouns.has(doc.token_text(k)))
        .collect();
    if cands.is_empty() {
        return;
    }
    let Some(p) = parses.get(doc, s.index, &s.range) else {
        return;
    };
    use super::parse::{Deprel, Upos};
    for k in cands {
        let cue = doc.tokens[k].span;
        if out.iter().rev().take_while(|a| a.sentence == s.index).any(|a| a.cue.overlaps(cue)) {
            continue;
        }
        if !matches!(p.upos(k), Some(Upos::Noun)) {
            continue;
        }
        // The clause: an `acl` (or `ccomp`) child opened by "that" as its marker.
        let Some(comp) = p.children(k).find(|&c| {
            c > k + 1
                && matches!(p.deprel(c), Some(Deprel::Acl | Deprel::Ccomp))
                && p.children(c).any(|m| m == k + 1 && matches!(p.deprel(m), Some(Deprel::Mark)))
        }) else {
            continue;
        };
        // "the statement that he released": a relative clause the parser read as a
        // complement; its verb makes or hands on the statement and has no object.
        const MADE: &[&str] =
            &["released", "made", "issued", "gave", "put", "sent", "posted", "wrote", "delivered", "read", "signed", "published"];
        if MADE.iter().any(|w| word_eq(doc.token_text(comp), w)) && p.child_where(comp, |d| d == Deprel::Obj).is_none() {
            continue;
        }
        let (_, b) = syntax::subtree(&p, comp);
        let Some(content) = clause(doc, &s.range, k + 2, b) else {
            continue;
        };
        if doc.span_text(content).split_whitespace().count() < 3 {
            continue;
        }
        let source = p
            .children(k)
            .find(|&c| {
                matches!(p.deprel(c), Some(Deprel::NmodPoss))
                    || (matches!(p.deprel(c), Some(Deprel::Nmod))
                        && c > k
                        && p.children(c).any(|x| ["by", "from"].iter().any(|w| word_eq(doc.token_text(x), w))))
            })
            .map(|h| {
                let (a, b) = syntax::subtree(&p, h);
                let mut a = a;
                while a < b && ["by", "from"].iter().any(|w| word_eq(doc.token_text(a), w)) {
                    a += 1;
                }
                let mut b = b;
                while b > a && matches!(doc.token_text(b - 1), "'s" | "’s") {
                    b -= 1;
                }
                (a, b)
            })
            .filter(|&(a, b)| b > a)
            .map(|(a, b)| tok_span(doc, a, b));
        out.push(Attribution { sentence: s.index, kind: AttributionKind::Indirect, source, cue, content, confidence: 0.5 });
    }
}

/// The line holding `cue` is a photo caption ("Image caption …", "Photo: …", or a line
/// ending in a photo credit, "(AP Photo/Evan Vucci)", "Getty Images"): its words
/// describe a picture, they are no statement of the article. Lines longer than 600
/// bytes are not read as captions (and bound the search).
fn in_caption(text: &str, cue: Span) -> bool {
    const MAX: usize = 600;
    let bytes = text.as_bytes();
    let at = (cue.start as usize).min(bytes.len());
    let lo = at.saturating_sub(MAX);
    let start = match bytes[lo..at].iter().rposition(|&b| b == b'\n') {
        Some(i) => lo + i + 1,
        None if lo == 0 => 0,
        None => return false,
    };
    let hi = (at + MAX).min(bytes.len());
    let end = match bytes[at..hi].iter().position(|&b| b == b'\n') {
        Some(i) => at + i,
        None if hi == bytes.len() => hi,
        None => return false,
    };
    let Some(line) = text.get(start..end) else {
        return false;
    };
    let line = line.trim();
    const OPENERS: &[&str] =
        &["image caption", "media caption", "caption:", "photo:", "image:", "image copyright", "pictured:", "photo by", "(photo"];
    const CREDITS: &[&str] =
        &["(ap photo", "getty images", "/reuters)", "(reuters", "(afp", "/afp)", "/ap)", "photo)", "(photo:", "photo credit"];
    let lower = line.to_lowercase();
    OPENERS.iter().any(|o| lower.starts_with(o))
        || CREDITS.iter().any(|c| lower.trim_end_matches(['.', ' ']).ends_with(')') && lower.contains(c))
}

/// `x` is an interview label: at most three capital letters followed by a colon ("ZB:
/// So how did …"): the transcript's speaker tag, not a name the words are said by.
fn interview_label(text: &str, x: Span) -> bool {
    let Some(label) = text.get(x.start as usize..x.end as usize) else {
        return false;
    };
    let letters = label.chars().count();
    (1..=3).contains(&letters)
        && label.chars().all(|c| c.is_ascii_uppercase())
        && text.get(x.end as usize..).is_some_and(|r| r.starts_with(':'))
}

/// "X is expected to …", "are widely expected to …": an expectation whose holders go
/// unnamed. PolNeAR marks it (cue "is expected", no source; 55 of 65 uses in
/// polnear-train); the content is the infinitive clause.
fn expected_to(doc: &Doc, s: &Sent, used: &mut HashSet<usize>, out: &mut Vec<Attribution>) {
    for k in s.range.clone() {
        if !word_eq(doc.token_text(k), "expected") || k + 1 >= s.range.end || !word_eq(doc.token_text(k + 1), "to") || used.contains(&k) {
            continue;
        }
        // Back over at most two adverbs ("widely", "not") to the be-form.
        let mut j = k;
        let mut be = None;
        while j > s.range.start && k - j < 3 {
            j -= 1;
            let t = doc.token_text(j);
            if WordClass::BeForms.has(t) {
                be = Some(j);
                break;
            }
            if !super::events::phrase::is_adverb(t) && !WordClass::Negations.has(t) {
                break;
            }
        }
        let Some(be) = be else {
            continue;
        };
        let last = trim_end_punct(doc, &s.range);
        let Some(content) = clause(doc, &s.range, k + 2, clause_end(doc, s, k + 2, last)) else {
            continue;
        };
        used.insert(k);
        out.push(Attribution {
            sentence: s.index,
            kind: AttributionKind::Indirect,
            source: None,
            cue: tok_span(doc, be, k + 1),
            content,
            confidence: 0.5,
        });
    }
}

/// Reported speech whose cue lies inside another row's content of the same sentence is
/// dropped unless its cue is one of class `nested_cues` (`data/lexicon/wordclasses.tsv`).
fn drop_nested(doc: &Doc, out: &mut Vec<Attribution>) {
    let mut by_sentence: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, a) in out.iter().enumerate() {
        by_sentence.entry(a.sentence).or_default().push(k);
    }
    let mut drop = vec![false; out.len()];
    for rows in by_sentence.values() {
        if rows.len() < 2 {
            continue;
        }
        for &i in rows {
            let a = &out[i];
            if a.kind != AttributionKind::Indirect {
                continue;
            }
            let first = doc.span_text(a.cue).split_whitespace().next().unwrap_or("");
            if WordClass::NestedCues.has(first) {
                continue;
            }
            if rows.iter().any(|&j| j != i && out[j].cue != a.cue && out[j].content.contains(a.cue)) {
                drop[i] = true;
            }
        }
    }
    let mut k = 0;
    out.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// Reported speech around a SAY/TELL cue.
/// `prev` is the last attribution found so far in the sentence.
fn reported(doc: &Doc, s: &Sent, c: &Cue, prev: Option<&Attribution>) -> Option<Attribution> {
    let m = c.m;
    if m.start > s.range.start {
        let prev = doc.token_text(m.start - 1);
        // "the report", "a statement", "Venezuela's state", "the United States".
        // A capitalised cue is a name ("Venezuela's State") except for a present tense
        // in a title-case headline ("Lindsey Graham Says …").
        if (is_determiner(prev) && bare_quantity(doc, s, m.start).is_none())
            || prev == "'s"
            || prev == "’s"
            || (is_capitalized(doc.token_text(m.start))
                && !(is_capitalized(prev) && doc.token_text(m.start).ends_with('s') && title_case(doc, &s.range)))
        {
            return None;
        }
    }
    // "It is worth noting that …", "worth recalling": the writer's aside, nobody's
    // statement (the word-order subject was "worth").
    if m.start > s.range.start && word_eq(doc.token_text(m.start - 1), "worth") {
        return None;
    }
    let cue = tok_span(doc, m.start, m.head_end);
    // An act verb's content after it must be a clause ("rejected the idea" is no speech).
    let forward_ok = |from: usize| !c.needs_clause || opens_clause(doc, s, m.end, from);
    let subject = quantified_pronoun(doc, s, m.start).or_else(|| subject_before(doc, s.ms, &s.range, m.start, s.dates));
    let follow_on = WordClass::FollowOn.has(doc.token_text(m.start)) && m.start > s.range.start && doc.token_text(m.start - 1) == ",";
    let last_token = trim_end_punct(doc, &s.range);
    // `CLAUSE, X said.` / `CLAUSE, said X.`: nothing but setting words after the cue.
    let rest_is_setting = setting_only(doc, s, m.end, last_token);
    // `CLAUSE, says Bob Dane, a spokesman.`: a comma before the cue and a name after it
    // to the end. Read before the word-order subject, which would take the clause
    // ("Enforcement works") as the speaker and the name as what was said.
    // Never for a participle: "…, praising his work on the plan." names what was praised,
    // not who spoke (allsides-dev had the clause before the comma as the content and
    // "work" or the clause as the source).
    let cue_word = doc.token_text(m.start);
    let participle = cue_word.len() > 4 && cue_word.ends_with("ing") && cue_word.chars().all(char::is_lowercase);
    let inverted = !follow_on
        && !participle
        && m.start > s.range.start
        && doc.token_text(m.start - 1) == ","
        && rest_is_setting_or_np(doc, s, m.end, last_token);
    let inverted_source = if inverted { np_after(doc, s.ms, &s.range, m.end, 8) } else { None };
    let (source, content, mut weight) = if let Some(src) = inverted_source {
        (Some(src), clause(doc, &s.range, s.range.start, m.start - 1)?, c.weight * 0.9)
    } else if follow_on {
        let source = prev.and_then(|a| a.source).or_else(|| subject.map(|x| x.0));
        let from = skip_intro(doc, s, m.end, c.kind);
        if !forward_ok(from) {
            return None;
        }
        (source, clause(doc, &s.range, from, last_token)?, c.weight)
    } else if let Some((src, SubjectKind::Direct | SubjectKind::Pronoun)) = subject {
        let mut subj_start = token_at(doc, src.start);
        while subj_start > s.range.start && is_determiner(doc.token_text(subj_start - 1)) {
            subj_start -= 1;
        }
        // "he and Mr. Allen said": a pronoun coordinated before the noun phrase belongs
        // to the subject (names coordinate in the word-order subject already).
        let mut src = src;
        if subj_start >= s.range.start + 2
            && word_eq(doc.token_text(subj_start - 1), "and")
            && super::events::phrase::is_subject_pronoun(doc.token_text(subj_start - 2))
        {
            subj_start -= 2;
            src = Span { start: doc.tokens[subj_start].span.start, ..src };
        }
        // The comma closing the clause before the subject: right before it, or before
        // the words of a longer subject the finder cut at "of" or "and" ("…, UMWA
        // Director of Government Affairs Phil Smith told", "…, teachers and union
        // officials told").
        // (The subject's first word too: the finder may take "recounting what Trump".)
        let comma_at =
            (subj_start.saturating_sub(12).max(s.range.start)..subj_start).rev().find(|&j| doc.token_text(j) == ",").filter(|&j| {
                (j + 1..subj_start + 1).all(|i| {
                    let t = doc.token_text(i);
                    // Not a participle or a relative word ("…, recounting what Trump told").
                    let clause_word = super::events::phrase::is_relative(t)
                        || word_eq(t, "what")
                        || (t.len() > 4 && t.chars().all(char::is_lowercase) && (t.ends_with("ing") || t.ends_with("ed")));
                    !clause_word
                        && (i >= subj_start || is_np_word_or_det(t) || ["of", "and", "for", "at", "'s", "’s"].iter().any(|w| word_eq(t, w)))
                })
            });
        // `CLAUSE, X told POLITICO (this week).`: only the addressee and setting words
        // after the cue.
        let told_tail = c.kind == CueKind::Tell && comma_at.is_some() && {
            let from = skip_intro(doc, s, m.end, c.kind);
            from >= last_token || setting_only(doc, s, from, last_token)
        };
        if let Some(end) = comma_at.filter(|_| rest_is_setting || told_tail) {
            (Some(src), clause(doc, &s.range, s.range.start, end)?, c.weight)
        } else {
            let from = skip_intro(doc, s, m.end, c.kind);
            if !forward_ok(from) {
                return None;
            }
            let to = clause_end(doc, s, from, last_token);
            (Some(src), clause(doc, &s.range, from, to)?, c.weight)
        }
    } else if inverted {
        // Inverted with no noun phrase after the cue (a name there was read above).
        (None, clause(doc, &s.range, s.range.start, m.start - 1)?, c.weight * 0.9)
    } else if let Some((_, SubjectKind::Coordinated)) = subject {
        // "… and said …": the source of the sentence's previous attribution; without
        // one, the sentence's subject ("He claimed vast wealth and said …").
        // Inside that content, a second statement of the same source ("Trump said he
        // would order a review … and warned against hackers"), as PolNeAR reads it.
        let prev = match prev {
            // There, the cue must open a clause, a quote or a complement ("… and said
            // she would …", "… and warned against …"): "reported that the move raised
            // prices and added new strain" is the content's own subject acting.
            Some(prev_attr) if prev_attr.content.contains(cue) && !opens_statement(doc, s, m.end) => return None,
            Some(prev_attr) => prev_attr.source?,
            None => sentence_subject(doc, s, m.start)?,
        };
        let from = skip_intro(doc, s, m.end, c.kind);
        if !forward_ok(from) {
            return None;
        }
        let to = clause_end(doc, s, from, last_token);
        (Some(prev), clause(doc, &s.range, from, to)?, c.weight * 0.8)
    } else if m.start > s.range.start
        && doc.token_text(m.start).ends_with("ing")
        && ["by", "for", "from", "after", "before", "while", "without", "in"].iter().any(|w| word_eq(doc.token_text(m.start - 1), w))
    {
        // "… began by saying he would …", "criticised for saying that …": the speaker is
        // the sentence's subject.
        let src = sentence_subject(doc, s, m.start - 1)?;
        let from = skip_intro(doc, s, m.end, c.kind);
        if !forward_ok(from) {
            return None;
        }
        let to = clause_end(doc, s, from, last_token);
        (Some(src), clause(doc, &s.range, from, to)?, c.weight * 0.8)
    } else {
        return None;
    };
    if source.is_none() {
        weight *= 0.7;
    }
    // A content of one or two words is not a statement ("said so", "added more"); a
    // stance verb's object is its content however short ("praised Obama").
    let words = doc.span_text(content).split_whitespace().count();
    if words < if c.stance { 1 } else { 3 } {
        return None;
    }
    Some(Attribution { sentence: s.index, kind: AttributionKind::Indirect, source, cue, content, confidence: weight.clamp(0.05, 0.95) })
}

/// Reported speech `a` kept or dropped: by the verb group before the cue, then (with a
/// parser) by the passes of `syntax.rs` on the parse of its sentence, which also mend
/// its source (`syntax::better_source`).
fn syntax_check(doc: &Doc, s: &Sent, c: &Cue, mut a: Attribution, parses: &mut ParseCache) -> Option<Attribution> {
    // Read by word order first: no parse needed to drop "will argue", "did not disclose".
    if modal_or_negated(doc, s, c.m.start) {
        return None;
    }
    // "<name> said" / "said <name>": the parse's passes cannot change it ("said" is no
    // noun, no open complement, no agentless passive; a named source is never weak), so
    // the sentence is not parsed for it (most reported speech is of this shape).
    if is_plain_said(doc, c, &a, s.ms) {
        return Some(a);
    }
    let Some(p) = parses.get(doc, s.index, &s.range) else {
        return Some(a);
    };
    match syntax::judge(doc, &p, c.m.start) {
        // The parse often misreads "called X “Y”" (the predicate far from the cue, the
        // cue as a participle or a passive): a quoted predicate keeps it.
        syntax::Verdict::Drop(why) if why.contains("naming") || why.contains("phoning") => {
            // The word-order source stands: the parse that misread the cue may take it
            // for a passive's subject.
            quoted_predicate(doc, s, c.m.start)?;
            Some(a)
        }
        syntax::Verdict::Drop(_) => None,
        syntax::Verdict::Keep => {
            a.source = syntax::better_source(doc, s.ms, s.dates, &p, c.m.start, a.source);
            Some(a)
        }
    }
}

/// The cue is one word "said" or "says" and the source is an entity mention.
fn is_plain_said(doc: &Doc, c: &Cue, a: &Attribution, ms: &[&Mention]) -> bool {
    c.m.end == c.m.start + 1
        && matches!(doc.token_text(c.m.start), "said" | "says")
        && a.source.is_some_and(|x| ms.iter().any(|m| m.span.contains(x) || x.contains(m.span)))
}

/// A statement planned, not made: "he plans to say", "is set to announce".
fn planned(doc: &Doc, s: &Sent, k: usize) -> bool {
    const PLANNED: &[&str] = &[
        "plan",
        "plans",
        "planned",
        "planning",
        "intend",
        "intends",
        "intended",
        "intending",
        "going",
        "set",
        "scheduled",
        "due",
        "prepared",
        "preparing",
        "wants",
        "want",
        "wanted",
        "hopes",
        "hoped",
        "hoping",
        "aims",
        "aimed",
        "aiming",
        "poised",
        "likely",
    ];
    k >= s.range.start + 2 && word_eq(doc.token_text(k - 1), "to") && PLANNED.iter().any(|w| word_eq(doc.token_text(k - 2), w))
}

/// A modal or future auxiliary or a negation in the verb group before the cue at `k`
/// ("will announce", "would not confirm or deny", "did not disclose", "can't say"):
/// the statement is planned, possible or denied, not made.
fn modal_or_negated(doc: &Doc, s: &Sent, k: usize) -> bool {
    let mut j = k;
    // Back over the verb group: auxiliaries, negations and short adverbs, and the
    // first verb of a coordination ("confirm or deny").
    for _ in 0..5 {
        if j <= s.range.start {
            return false;
        }
        j -= 1;
        let t = doc.token_text(j);
        if WordClass::SpeechModal.has(t) || WordClass::Negations.has(t) {
            return true;
        }
        let in_cue = |x: usize| s.cues.iter().any(|c| c.m.start <= x && x < c.m.end);
        let skip = super::events::phrase::is_auxiliary(t)
            || super::events::phrase::is_adverb(t)
            || in_cue(j)
            || (word_eq(t, "or") && j > s.range.start && in_cue(j - 1));
        if !skip {
            return false;
        }
    }
    false
}

/// A quotation without a speaker whose cue is a verb ("…, saying: “…”", "Protesters
/// outside the rally yelled: “…”"): the speaker is the cue's subject by the parse (or
/// the subject of the clause a participle adjoins).
fn quote_speakers(doc: &Doc, sents: &[Sent], parses: &mut ParseCache, out: &mut [Attribution]) {
    for a in out.iter_mut().filter(|a| a.kind == AttributionKind::DirectQuote && a.source.is_none()) {
        let Ok(i) = sents.binary_search_by_key(&a.sentence, |s| s.index) else {
            continue;
        };
        let s = &sents[i];
        let k = token_at(doc, a.cue.start);
        if !s.range.contains(&k) {
            continue;
        }
        if let Some(p) = parses.get(doc, s.index, &s.range) {
            if p.upos(k) == Some(super::parse::Upos::Verb) {
                a.source = syntax::parse_source(doc, s.ms, &p, k);
            }
        }
    }
}

/// A cue the word-order rules could not read ("The paper, citing officials, said the
/// decision …"): reported speech when the parse makes it a verb with a clausal
/// complement (the content) that the passes keep; the source is its subject.
fn parsed_statement(doc: &Doc, s: &Sent, c: &Cue, parses: &mut ParseCache) -> Option<Attribution> {
    if c.needs_clause || c.m.start <= s.range.start && c.m.head_end >= s.range.end {
        return None;
    }
    let k = c.m.start;
    // Only a cue word that could be a verb: not after a determiner or a possessive.
    if k > s.range.start {
        let prev = doc.token_text(k - 1);
        if is_determiner(prev) || prev == "'s" || prev == "’s" {
            return None;
        }
    }
    // No tags-only check first (as in `learned_cues`): nineteen in twenty of these cues
    // are tagged VERB, so it would mostly tag the sentence twice.
    let p = parses.get(doc, s.index, &s.range)?;
    if p.upos(k) != Some(super::parse::Upos::Verb) || syntax::judge(doc, &p, k) != syntax::Verdict::Keep {
        return None;
    }
    // A clausal complement, or for "called X Y" the object and its predicate ("called
    // Trump “unhinged”", two words are enough there), by the parse or by the quotation
    // closing it.
    let ((a, b), min_words) = match p.child_where(k, |d| d == super::parse::Deprel::Ccomp) {
        Some(comp) => (syntax::subtree(&p, comp), 3),
        None => match syntax::naming_complement(doc, &p, k) {
            Some(x) => (x, 2),
            None => ((k + 1, quoted_predicate(doc, s, k)?), 2),
        },
    };
    let mut from = a;
    while from < b && (word_eq(doc.token_text(from), "that") || matches!(doc.token_text(from), "," | ":")) {
        from += 1;
    }
    let content = clause(doc, &s.range, from, b)?;
    if doc.span_text(content).split_whitespace().count() < min_words {
        return None;
    }
    // The word-order subject first (tuned on the same data), else the parse's.
    let source = subject_before(doc, s.ms, &s.range, k, s.dates)
        .and_then(|(x, kind)| matches!(kind, SubjectKind::Direct | SubjectKind::Pronoun).then_some(x))
        .or_else(|| syntax::parse_source(doc, s.ms, &p, k));
    // Without a speaker the parse is too often wrong about the whole (long sentences).
    let source = source?;
    let cue = tok_span(doc, c.m.start, c.m.head_end);
    Some(Attribution {
        sentence: s.index,
        kind: AttributionKind::Indirect,
        source: Some(source),
        cue,
        content,
        confidence: (c.weight * 0.8).clamp(0.05, 0.95),
    })
}

/// "called X “Y”" / "calling him ''brilliant''": a form of "call" at `k` whose object
/// runs into a short quotation, the name or judgement the speaker gave (polnear-train:
/// 33 such cues missed, the parse reading the cue as a participle, a passive or a
/// phoning). The cue follows its subject, "and" or a comma (not a common noun: "a
/// program called “ORCA”", nor a form of "be": "it was called “Project ORCA”"); the
/// quote opens within 16 tokens with no clause break before it, holds at most 12 words
/// and closes in the sentence. Returns the token index after the closing mark.
fn quoted_predicate(doc: &Doc, s: &Sent, k: usize) -> Option<usize> {
    if !WordClass::CallForms.has(doc.token_text(k)) || k <= s.range.start {
        return None;
    }
    if !call_after_subject(doc, s, k) || (k + 1 < s.range.end && ["for", "on", "upon"].iter().any(|w| word_eq(doc.token_text(k + 1), w))) {
        return None;
    }
    let opening = |t: &str| matches!(t, "“" | "\"" | "''" | "``" | "‘" | "'");
    let end = trim_end_punct(doc, &s.range);
    let q = (k + 1..s.range.end.min(k + 17)).find(|&j| {
        let t = doc.token_text(j);
        opening(t)
            || matches!(t, "," | ";" | ":" | "(" | "—" | "." | "?" | "!")
            || ["that", "who", "which", "because"].iter().any(|w| word_eq(t, w))
    })?;
    if !opening(doc.token_text(q)) || q == k + 1 {
        return None;
    }
    let close = (q + 1..s.range.end.min(q + 16)).find(|&j| matches!(doc.token_text(j), "”" | "\"" | "''" | "’" | "'"))?;
    let words = (q + 1..close).filter(|&j| doc.token_text(j).chars().next().is_some_and(char::is_alphanumeric)).count();
    ((1..=12).contains(&words) && close < end.max(q + 1) + 2).then_some(close + 1)
}

/// A form of "call" at `k` (after the sentence start) follows its subject, "and", a
/// comma or an adverb or auxiliary of its verb group, not a common noun it would
/// name ("a program called …") nor a form of "be" ("it was called …").
fn call_after_subject(doc: &Doc, s: &Sent, k: usize) -> bool {
    if k <= s.range.start {
        return false;
    }
    let prev = doc.token_text(k - 1);
    is_capitalized(prev)
        || super::events::phrase::is_subject_pronoun(prev)
        || matches!(prev, "," | "—")
        || ["and", "has", "have", "had", "also", "then", "once", "repeatedly"].iter().any(|w| word_eq(prev, w))
        || (prev.len() > 3 && prev.ends_with("ly"))
}

/// Index after the last token of the sentence that is not final punctuation or a
/// closing mark.
fn trim_end_punct(doc: &Doc, range: &Range<usize>) -> usize {
    let mut e = range.end;
    // "''" and "``": typewriter doubles, one token (the NYT's quote marks); the
    // splitter leaves an opening "''" at the end of the sentence before it.
    while e > range.start && matches!(doc.token_text(e - 1), "." | "!" | "?" | "”" | "\"" | "’" | "'" | "''" | "``" | ")" | "»") {
        e -= 1;
    }
    e
}

/// Tokens `from..to` are only dates and setting phrases ("on Thursday", "in a
/// statement", "on Twitter", "at a rally in Ohio").
fn setting_only(doc: &Doc, s: &Sent, from: usize, to: usize) -> bool {
    let mut k = from;
    while k < to {
        let span = doc.tokens[k].span;
        let t = doc.token_text(k);
        if s.dates.iter().any(|d| d.contains(span)) || t == "," || is_preposition(t) || is_determiner(t) {
            k += 1;
            continue;
        }
        if WordClass::SettingNouns.has(t) || is_capitalized(t) || super::events::phrase::is_adverb(t) {
            k += 1;
            continue;
        }
        return false;
    }
    true
}

fn rest_is_setting_or_np(doc: &Doc, s: &Sent, from: usize, to: usize) -> bool {
    let np_end = np_after(doc, s.ms, &s.range, from, 8).map_or(from, |x| token_at(doc, x.end));
    // "…, said Jeffrey N. Trimble, a senior official with …": an apposition to the end.
    if np_end > from && np_end + 1 < to && doc.token_text(np_end) == "," {
        let t = doc.token_text(np_end + 1);
        if ["a", "an", "the", "his", "her", "their", "its", "who"].iter().any(|w| word_eq(t, w)) || is_capitalized(t) {
            return true;
        }
        // "…, says Bob Dane, communications director for FAIR.": a bare title to the
        // end, short and with no verb of its own.
        const VERBISH: &[&str] =
            &["is", "was", "are", "were", "be", "has", "have", "had", "said", "says", "will", "would", "that", "which", "did", "does"];
        let rest = np_end + 1..to;
        if rest.len() <= 8 && !rest.clone().any(|k| VERBISH.iter().any(|w| word_eq(doc.token_text(k), w)) || doc.token_text(k) == ",") {
            return true;
        }
    }
    // "…, said one GOP source in the room.": prepositional phrases after the name.
    let mut k = np_end;
    while k < to && is_preposition(doc.token_text(k)) {
        match np_after(doc, s.ms, &s.range, k + 1, 6) {
            Some(np) => k = token_at(doc, np.end),
            None => break,
        }
    }
    if k > np_end && k >= to {
        return true;
    }
    setting_only(doc, s, np_end, to)
}

/// A statement of the same source starting inside another's content ("He claimed vast
/// wealth and said it ensured …") ends that content before the conjunction.
/// Only rows of one sentence interact, so the pairs are taken sentence by sentence.
fn split_coordinated(doc: &Doc, out: &mut [Attribution]) {
    let mut by_sentence: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, a) in out.iter().enumerate() {
        by_sentence.entry(a.sentence).or_default().push(k);
    }
    for rows in by_sentence.values() {
        split_coordinated_in(doc, out, rows);
    }
}

/// [`split_coordinated`] over rows `rows` (ascending) of one sentence.
fn split_coordinated_in(doc: &Doc, out: &mut [Attribution], rows: &[usize]) {
    for &j in rows {
        let b = out[j].clone();
        for &i in rows {
            let a = &mut out[i];
            if a.sentence != b.sentence || a.source.is_none() || a.source != b.source || a.kind == AttributionKind::DirectQuote {
                continue;
            }
            if !(a.content.contains(b.cue) && a.content.start < b.cue.start) {
                continue;
            }
            let first = token_at(doc, a.content.start);
            let mut e = token_at(doc, b.cue.start);
            while e > first && {
                let t = doc.token_text(e - 1);
                matches!(t, "," | ";") || super::events::phrase::is_conjunction(t) || super::events::phrase::is_adverb(t)
            } {
                e -= 1;
            }
            if e > first {
                a.content.end = doc.tokens[e - 1].span.end;
            }
        }
    }
}

/// True when the tokens from `k` start a statement rather than a plain object: "that",
/// a colon or quote mark, a subject pronoun, a preposition or "to".
fn opens_statement(doc: &Doc, s: &Sent, k: usize) -> bool {
    if k >= s.range.end {
        return false;
    }
    let t = doc.token_text(k);
    word_eq(t, "that") || matches!(t, ":" | "," | "“" | "\"") || super::events::phrase::is_subject_pronoun(t) || is_preposition(t)
}

/// After an act verb ending at `cue_end`, the content from `from` is a statement: "that",
/// a colon or a quote mark comes between (or opens it), or it opens with a subject
/// pronoun other than the ambiguous "it" / "you" ("praised the plan" and "rejected it"
/// are acts on an object, "agreed that …" and "warned: …" are statements).
fn opens_clause(doc: &Doc, s: &Sent, cue_end: usize, from: usize) -> bool {
    let marks = |t: &str| word_eq(t, "that") || matches!(t, ":" | "“" | "\"" | "‘");
    if (cue_end..(from + 1).min(s.range.end)).any(|k| marks(doc.token_text(k))) {
        return true;
    }
    from < s.range.end && {
        let t = doc.token_text(from);
        super::events::phrase::is_subject_pronoun(t) && !word_eq(t, "it") && !word_eq(t, "you") && !word_eq(t, "who")
    }
}

/// The subject opening a sentence, before token `before`: a pronoun ("He …") or a
/// noun phrase starting with a capital ("Dean, a medical doctor, then appeared …").
fn sentence_subject(doc: &Doc, s: &Sent, before: usize) -> Option<Span> {
    let mut a = s.range.start;
    while a < before && matches!(doc.token_text(a), "\"" | "“" | "'" | "‘" | "(" | "—" | "-") {
        a += 1;
    }
    if a >= before {
        return None;
    }
    let t = doc.token_text(a);
    if super::events::phrase::is_subject_pronoun(t) && !word_eq(t, "it") && !word_eq(t, "who") && !word_eq(t, "which") {
        return Some(doc.tokens[a].span);
    }
    if !is_capitalized(t) {
        return None;
    }
    let np = np_after(doc, s.ms, &s.range, a, 8)?;
    (token_at(doc, np.end) < before).then_some(np)
}

/// A headline in title case: most words of four letters or more are capitalised.
fn title_case(doc: &Doc, range: &Range<usize>) -> bool {
    let (mut words, mut caps) = (0, 0);
    for k in range.clone() {
        let t = doc.token_text(k);
        if t.chars().count() >= 4 && t.chars().all(char::is_alphabetic) {
            words += 1;
            caps += usize::from(is_capitalized(t));
        }
    }
    words >= 3 && caps * 5 >= words * 4
}

/// Skip what stands between a cue and its clause: an addressee (`told reporters`),
/// setting phrases (`on Thursday`, `in a statement`), "that", a colon or comma.
fn skip_intro(doc: &Doc, s: &Sent, from: usize, kind: CueKind) -> usize {
    let mut k = from;
    let end = s.range.end;
    if kind == CueKind::Tell {
        if let Some(np) = np_after(doc, s.ms, &s.range, k, 6) {
            k = token_at(doc, np.end);
        }
    }
    loop {
        if k >= end {
            return k;
        }
        let span = doc.tokens[k].span;
        let t = doc.token_text(k);
        if let Some(d) = s.dates.iter().find(|d| d.contains(span)) {
            k = token_at(doc, d.end);
            continue;
        }
        if matches!(t, "," | ":") || word_eq(t, "that") {
            k += 1;
            continue;
        }
        // "in a statement", "on Twitter", "in an interview with CNN"
        if ["in", "on", "during", "at", "via"].iter().any(|w| word_eq(t, w)) {
            let mut j = k + 1;
            while j < end
                && j - k <= 4
                && (is_determiner(doc.token_text(j)) || !WordClass::SettingNouns.has(doc.token_text(j)))
                && is_np_word_or_det(doc.token_text(j))
            {
                j += 1;
            }
            if j < end && WordClass::SettingNouns.has(doc.token_text(j)) {
                k = j + 1;
                // "... with CNN"
                if k < end && word_eq(doc.token_text(k), "with") {
                    if let Some(np) = np_after(doc, s.ms, &s.range, k + 1, 4) {
                        k = token_at(doc, np.end);
                    }
                }
                continue;
            }
        }
        return k;
    }
}

fn is_np_word_or_det(t: &str) -> bool {
    is_np_word(t) || is_determiner(t)
}

/// Where the clause starting at `from` ends: before ", adding that …" (a second
/// statement) or at the sentence end.
fn clause_end(doc: &Doc, s: &Sent, from: usize, last: usize) -> usize {
    for c in &s.cues {
        let t = doc.token_text(c.m.start);
        if c.m.start > from
            && c.m.start < last
            && doc.token_text(c.m.start - 1) == ","
            && (WordClass::FollowOn.has(t) || naming_participle(t))
        {
            return c.m.start - 1;
        }
    }
    last
}

/// The subject noun phrase, when the word-order source `src` (before the cue) is a noun
/// inside it rather than its head: the object of a preposition ("Multiple sources at the
/// CNP conference said": the whole phrase, not "CNP conference"), a word of a relative
/// clause ("a senator who requested anonymity said": "a senator"), or a title in
/// apposition after a person's name with no person in it ("Rep. Tom Cole, Oklahoma
/// Republican, said": the name).
/// A source that is a relative pronoun ("Mitt Romney, who has said", "Those who say")
/// stands for the noun phrase before it: that name's mention, else the word before
/// when it is a noun or pronoun ("Those"; for "which", a name only); with none, the row
/// has no source. "WHO" (the organisation) is no relative pronoun.
fn relative_antecedent(doc: &Doc, s: &Sent, src: Span) -> Option<Span> {
    let (a, b) = (token_at(doc, src.start), token_at(doc, src.end));
    // "Romney, whom Trump attacked", "the man whom Esquire's Charlie Pierce described":
    // the speaker is the relative clause's own subject, after "whom".
    if let Some(w) = (a..b).find(|&k| word_eq(doc.token_text(k), "whom")) {
        // After "whom" a subject ("whom Trump", "whom police"); a verb there makes
        // "many of whom" the subject ("His voters, many of whom rely on …, believed").
        let subject_after = w + 1 < b && {
            let t = doc.token_text(w + 1);
            is_capitalized(t)
                || super::events::phrase::is_subject_pronoun(t)
                || is_determiner(t)
                || ["everyone", "everybody", "people", "police", "officials", "critics", "experts", "others", "voters", "analysts"]
                    .iter()
                    .any(|x| word_eq(t, x))
        };
        return if subject_after { Some(tok_span(doc, w + 1, b)) } else { quantified_relative(doc, s, w) };
    }
    if !matches!(doc.span_text(src), "who" | "which" | "that") {
        return Some(src);
    }
    antecedent_before(doc, s, a, doc.span_text(src) == "which")
}

/// "environmentalists, some of whom had said": the noun phrase the quantified "whom" at
/// `w` stands for, else the quantified phrase; none for a bare "whom".
fn quantified_relative(doc: &Doc, s: &Sent, w: usize) -> Option<Span> {
    if w < s.range.start + 2 || !word_eq(doc.token_text(w - 1), "of") {
        return None;
    }
    let q = doc.token_text(w - 2);
    let quantifier = number_word(q) || ["some", "all", "most", "one", "none", "each", "both", "half", "any"].iter().any(|x| word_eq(q, x));
    if !quantifier {
        return None;
    }
    // Without a noun phrase before it, the quantified phrase itself ("many of whom").
    antecedent_before(doc, s, w - 2, false).or_else(|| Some(tok_span(doc, w - 2, w + 1)))
}

/// The noun phrase a relative word at token `k` stands for (see `relative_antecedent`);
/// `name_only`: only a name will do (a "which" may stand for a whole clause).
fn antecedent_before(doc: &Doc, s: &Sent, k: usize, name_only: bool) -> Option<Span> {
    // Back over a comma and closing quotes ("the world's greatest entertainer,” who").
    let mut j = k.checked_sub(1)?;
    for _ in 0..3 {
        if !matches!(doc.token_text(j), "," | "”" | "\"" | "’" | "'") {
            break;
        }
        j = j.checked_sub(1)?;
    }
    if !s.range.contains(&j) {
        return None;
    }
    let end = doc.tokens[j].span.end;
    if let Some(m) = s.ms.iter().find(|m| m.span.end == end) {
        return Some(m.span);
    }
    // A "which" may stand for a whole clause ("…,” which suggests"): a name only.
    if name_only {
        return None;
    }
    let t = doc.token_text(j);
    // "Those who", "people who", "48% who".
    if t == "%" && j > s.range.start {
        return Some(tok_span(doc, j - 1, j + 1));
    }
    let word = is_np_word(t) || ["those", "these", "many", "some", "others", "all", "most", "few", "several"].iter().any(|w| word_eq(t, w));
    let start = if j > s.range.start && is_determiner(doc.token_text(j - 1)) { j - 1 } else { j };
    word.then(|| tok_span(doc, start, j + 1))
}

/// A source span cut to the speaker: never across a paragraph break ("according to the
/// St. Louis Post-Dispatch\n\nOffering little confidence …, Nixon" is "Nixon"), and not
/// with a fronted adverbial before a comma ("Following the Moon-Kim meeting, Moon's
/// office" is "Moon's office"; "In a statement, the White House" is "the White House").
fn without_fronted_words(doc: &Doc, src: Span) -> Span {
    let text = doc.span_text(src);
    let mut from = match text.rfind('\n') {
        Some(i) => src.start + i as u32 + 1,
        None => src.start,
    };
    let first = token_at(doc, from).max(token_at(doc, src.start));
    let first_word = doc.tokens.get(first).map(|t| doc.span_text(t.span)).unwrap_or("");
    let fronted = is_preposition(first_word) || word_eq(first_word, "according") || (first_word.len() > 4 && first_word.ends_with("ing"));
    if fronted {
        if let Some(i) = doc.text.get(from as usize..src.end as usize).and_then(|t| t.rfind(", ")) {
            from += i as u32 + 2;
        }
    }
    // Start on the first token at or after the cut, if one is left inside the span.
    match doc.tokens.iter().skip(first).find(|t| t.span.start >= from) {
        Some(t) if from > src.start && t.span.start < src.end => Span { start: t.span.start, end: src.end },
        _ => src,
    }
}

/// A source cleared of the date phrases at its edges: a fronted one ("Monday morning
/// Trump", "Friday, Texas, …"), one closing it ("Two House Committees on Monday"), or
/// a source that is only a date ("…,” tweeted Monday morning the president"). A date
/// inside a name ("April Mellody", "Good Morning America") or a possessive ("Monday
/// night’s results") stays. A source that is only a date becomes the noun phrase right
/// after it (past one comma), else none: a date says when, never who.
fn without_dates(doc: &Doc, s: &Sent, src: Span) -> Option<Span> {
    if s.dates.is_empty() {
        return Some(src);
    }
    let (a, b) = (token_at(doc, src.start), token_at(doc, src.end));
    if a >= b {
        return Some(src);
    }
    // The date span holding token `k`, when it is a plain date: not part of a name, not
    // followed by a possessive.
    let date_at = |k: usize| -> Option<Span> {
        let span = doc.tokens[k].span;
        let d = *s.dates.iter().find(|d| d.contains(span))?;
        let in_name = s.ms.iter().any(|m| m.span.overlaps(d));
        let last = token_at(doc, d.end);
        let possessive = last < s.range.end && matches!(doc.token_text(last), "'s" | "’s" | "'" | "’");
        (!in_name && !possessive).then_some(d)
    };
    let (mut i, mut j) = (a, b);
    // Leading dates with the commas and prepositions around them.
    let mut cut = false;
    while i < j {
        if let Some(d) = date_at(i) {
            i = token_at(doc, d.end).max(i + 1);
            cut = true;
        } else if (cut && (doc.token_text(i) == "," || is_preposition(doc.token_text(i))))
            || (is_preposition(doc.token_text(i)) && i + 1 < j && date_at(i + 1).is_some())
        {
            i += 1;
        } else {
            break;
        }
    }
    // Trailing dates with the preposition before them ("on Monday").
    while j > i {
        let Some(d) = date_at(j - 1) else {
            break;
        };
        j = token_at(doc, d.start).min(j - 1);
        while j > i && (is_preposition(doc.token_text(j - 1)) || doc.token_text(j - 1) == ",") {
            j -= 1;
        }
    }
    if i < j {
        return Some(if (i, j) == (a, b) { src } else { tok_span(doc, i, j) });
    }
    // Only a date: the noun phrase after it, past one comma.
    let mut k = b;
    if k < s.range.end && doc.token_text(k) == "," {
        k += 1;
    }
    np_after(doc, s.ms, &s.range, k, 8).filter(|x| s.ms.iter().any(|m| m.span.overlaps(*x)) || is_determiner(doc.token_text(k)))
}

fn subject_head(doc: &Doc, s: &Sent, src: Span, cue: Span) -> Span {
    if src.end > cue.start || src.is_empty() {
        return src;
    }
    let (a, b) = (token_at(doc, src.start), token_at(doc, src.end - 1) + 1);
    if !s.range.contains(&a) || b > s.range.end {
        return src;
    }
    let mut i = a;
    while i > s.range.start && is_determiner(doc.token_text(i - 1)) {
        i -= 1;
    }
    // The noun phrase (words and determiners, at most 6) ending at token `end`.
    let np_ending = |end: usize| -> Option<usize> {
        let mut h = end;
        while h > s.range.start && end - h < 6 && is_np_word_or_det(doc.token_text(h - 1)) {
            if matches!(doc.token_text(h - 1), "said" | "says" | "told" | "wrote") {
                break;
            }
            h -= 1;
        }
        // It must hold a word, not only determiners, and end on a noun-like word.
        (h < end && is_np_word(doc.token_text(end - 1)) && !super::events::phrase::past_form(doc.token_text(end - 1))).then_some(h)
    };
    if i > s.range.start {
        let t = doc.token_text(i - 1);
        let pp = is_preposition(t) && !["to", "by", "than", "like", "as", "according"].iter().any(|w| word_eq(t, w));
        if pp {
            if let Some(h) = np_ending(i - 1) {
                return tok_span(doc, h, b);
            }
        }
    }
    // A relative clause of a few words before the source: "a senator who requested".
    let lo = i.saturating_sub(6).max(s.range.start);
    // Not across a comparison or a question word ("less credit than aides say", "which is
    // why executives there indicate"): the source heads its own clause there.
    let plain = |k: usize| {
        let w = doc.token_text(k);
        w.chars().next().is_some_and(char::is_alphanumeric)
            && !["than", "what", "why", "how", "when", "where", "whom"].iter().any(|x| word_eq(w, x))
    };
    let rel = (lo..i).rev().take_while(|&k| plain(k)).find(|&k| {
        let w = doc.token_text(k);
        word_eq(w, "who") || word_eq(w, "which")
    });
    // The relative pronoun must be the clause's subject: a verb follows it, and the
    // source is that verb's object ("which he said", "which the campaign says": the
    // source is the clause's own subject and stays).
    let rel = rel.filter(|&r| {
        let w = doc.token_text(r + 1);
        i >= r + 2
            && !is_capitalized(w)
            && !is_determiner(w)
            && !super::events::phrase::is_subject_pronoun(w)
            && !super::events::phrase::is_object_pronoun(w)
    });
    if let Some(r) = rel {
        let mut e = r;
        if e > s.range.start && doc.token_text(e - 1) == "," {
            e -= 1;
        }
        if let Some(h) = np_ending(e) {
            return tok_span(doc, h, e);
        }
    }
    // "Name, title, said": the name.
    let is_person = |m: &&&Mention| m.entity_type == super::EntityType::Per;
    if i > s.range.start + 1
        && doc.token_text(i - 1) == ","
        && b < s.range.end
        && doc.token_text(b) == ","
        && !s.ms.iter().filter(is_person).any(|m| src.overlaps(m.span))
    {
        if let Some(m) = s.ms.iter().filter(is_person).find(|m| m.tokens.end == i - 1) {
            return m.span;
        }
    }
    src
}

/// "most of them said", "many of us say": a quantifier over an object pronoun right
/// before the cue's verb group is its subject (the word-order finder stops at the
/// pronoun, which is no subject form).
fn quantified_pronoun(doc: &Doc, s: &Sent, cue: usize) -> Option<(Span, SubjectKind)> {
    let j = super::events::phrase::skip_verb_group_left(doc, &s.range, cue, s.dates);
    if let Some(x) = bare_quantity(doc, s, j) {
        return Some((x, SubjectKind::Direct));
    }
    if j < s.range.start + 3 || !super::events::phrase::is_object_pronoun(doc.token_text(j - 1)) || !word_eq(doc.token_text(j - 2), "of") {
        return None;
    }
    let q = doc.token_text(j - 3);
    const QUANTIFIERS: &[&str] =
        &["most", "many", "some", "all", "none", "both", "each", "one", "two", "three", "few", "several", "half", "any", "majority"];
    if !QUANTIFIERS.iter().any(|w| word_eq(q, w)) {
        return None;
    }
    let mut a = j - 3;
    // "a majority of them", "the rest of us".
    if a > s.range.start && is_determiner(doc.token_text(a - 1)) {
        a -= 1;
    }
    Some((tok_span(doc, a, j), SubjectKind::Direct))
}

/// A bare quantity opening a clause right before the verb group at `j`: the poll's
/// respondents or a group's members ("42% say they're liberal", "Nearly a third say",
/// "Several said", "most said they were …", "another says"), which the word-order
/// subject finder takes for no noun phrase. It opens the sentence or follows a comma,
/// a colon, a semicolon or a conjunction, and holds a number, a percentage, a fraction
/// or a quantifier.
fn bare_quantity(doc: &Doc, s: &Sent, j: usize) -> Option<Span> {
    const QUANTITY: &[&str] = &[
        "most",
        "many",
        "some",
        "several",
        "others",
        "another",
        "one",
        "few",
        "half",
        "all",
        "both",
        "majority",
        "plurality",
        "minority",
        "third",
        "thirds",
        "quarter",
        "quarters",
        "fifth",
        "fifths",
        "percent",
        "%",
    ];
    const MODIFIERS: &[&str] =
        &["a", "nearly", "about", "almost", "just", "over", "under", "more", "than", "roughly", "only", "fewer", "less", "the"];
    let mut a = j;
    let mut head = false;
    while a > s.range.start && j - a < 5 {
        let t = doc.token_text(a - 1);
        let number =
            t.chars().next().is_some_and(|c| c.is_ascii_digit()) && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%'));
        let quantity = number || QUANTITY.iter().any(|w| word_eq(t, w)) || number_word(t) || t.to_ascii_lowercase().ends_with("-thirds");
        if !(quantity || MODIFIERS.iter().any(|w| word_eq(t, w))) {
            break;
        }
        head |= quantity;
        a -= 1;
    }
    if !head || a == j {
        return None;
    }
    let opens = a == s.range.start
        || matches!(doc.token_text(a - 1), "," | ":" | ";" | "—" | "\"" | "“")
        || ["and", "but", "while", "whereas"].iter().any(|w| word_eq(doc.token_text(a - 1), w));
    // The last word is the quantity itself, not a modifier ("more than").
    let last = doc.token_text(j - 1);
    let ends_on_quantity = !MODIFIERS.iter().any(|w| word_eq(last, w)) || word_eq(last, "more");
    (opens && ends_on_quantity).then(|| tok_span(doc, a, j))
}

/// "No one said …", "Nobody has claimed …", "None of them said …": a statement no one
/// made.
fn said_by_nobody(doc: &Doc, a: &Attribution) -> bool {
    let Some(x) = a.source else {
        return false;
    };
    let k = token_at(doc, x.start);
    let t = doc.token_text(k);
    ["nobody", "none", "no-one", "noone"].iter().any(|w| word_eq(t, w))
        || (word_eq(t, "one") && k > 0 && word_eq(doc.token_text(k - 1), "no"))
        || (word_eq(t, "no") && k + 1 < doc.tokens.len() && word_eq(doc.token_text(k + 1), "one"))
}

/// "I think …", "I believe …", "I hope …" outside a quotation: the writer's (or a
/// transcript speaker's) own opinion, no attributed statement.
fn first_person_belief(doc: &Doc, a: &Attribution) -> bool {
    a.kind == AttributionKind::Indirect
        && a.source.is_some_and(|x| doc.span_text(x) == "I")
        && ["think", "believe", "hope", "fear"].iter().any(|w| word_eq(doc.span_text(a.cue), w))
}

/// "calling": after a comma, a participle that names what the speaker called someone
/// ("blasted the plan, calling it “absurd”"), a statement of its own, not part of the
/// clause before it.
fn naming_participle(t: &str) -> bool {
    WordClass::CallForms.has(t) && t.len() > 4 && t.get(t.len() - 3..).is_some_and(|e| e.eq_ignore_ascii_case("ing"))
}

/// The span of tokens `from..to` with leading/trailing punctuation and quote marks
/// trimmed; None when empty.
fn clause(doc: &Doc, range: &Range<usize>, from: usize, to: usize) -> Option<Span> {
    let (mut a, mut b) = (from.max(range.start), to.min(range.end));
    let trim =
        |t: &str| matches!(t, "," | ":" | ";" | "“" | "”" | "\"" | "'" | "''" | "``" | "‘" | "’" | "." | "—" | "–" | "-" | "(" | ")");
    while a < b && trim(doc.token_text(a)) {
        a += 1;
    }
    while b > a && trim(doc.token_text(b - 1)) {
        b -= 1;
    }
    (b > a).then(|| tok_span(doc, a, b))
}

/// `x` lies inside one of the `quoted` spans (binary search when they are disjoint and
/// sorted, as `find_quotes` gives them).
/// The sentence's words of three or more letters that `known` accepts and that are no
/// cue found, no word `used` and not inside a quotation: where a learned cue or frame
/// may stand.
fn open_words(
    doc: &Doc,
    s: &Sent,
    (quoted, quoted_disjoint): (&[Span], bool),
    used: &HashSet<usize>,
    mut known: impl FnMut(&str) -> bool,
) -> Vec<usize> {
    s.range
        .clone()
        .filter(|&k| {
            let t = doc.token_text(k);
            t.len() >= 3
                && t.chars().next().is_some_and(char::is_alphabetic)
                && known(t)
                && !used.contains(&k)
                && !s.cues.iter().any(|c| c.m.start <= k && k < c.m.end)
                && !in_quoted(quoted, quoted_disjoint, doc.tokens[k].span)
        })
        .collect()
}

fn in_quoted(quoted: &[Span], disjoint: bool, x: Span) -> bool {
    if !disjoint {
        return quoted.iter().any(|q| q.contains(x));
    }
    // The only candidate is the last span starting at or before `x`.
    let k = quoted.partition_point(|q| q.start <= x.start);
    k > 0 && quoted[k - 1].contains(x)
}

/// Spans inside the text, on char boundaries, content not empty.
fn valid(doc: &Doc, a: &Attribution) -> bool {
    let ok = |s: Span| {
        s.start < s.end
            && (s.end as usize) <= doc.text.len()
            && doc.text.is_char_boundary(s.start as usize)
            && doc.text.is_char_boundary(s.end as usize)
    };
    ok(a.cue) && ok(a.content) && a.source.is_none_or(ok)
}

/// The forms of the learned cue file that count with a clausal complement: first column
/// of each row without a frame (three columns).
fn learned_forms(text: &str) -> HashSet<String> {
    tsv_rows(text).filter(|(_, f)| f.len() < 4).filter_map(|(_, f)| f.first().map(|w| w.to_lowercase())).filter(|w| !w.is_empty()).collect()
}

/// Contents of the quotations of four words or more: a reporting verb inside ("I think
/// …") is the speaker's own words, not the article's attribution.
fn quoted_in(doc: &Doc, quotes: &[Quote]) -> Vec<Span> {
    quotes.iter().filter(|q| doc.span_text(q.content).split_whitespace().count() >= 4).map(|q| q.content).collect()
}

/// [`quoted_in`] of the document's quotations (for `newsgrid train cues`).
pub(crate) fn quoted_spans(doc: &Doc) -> Vec<Span> {
    quoted_in(doc, &find_quotes(doc.text))
}

/// Compile the cue lexicon; bad lines are skipped and returned.
fn compile_cues(text: &str) -> (PhraseSet<CueEntry>, Vec<LexiconError>) {
    let inflector = Inflector::builtin();
    let mut set = PhraseSet::new();
    let mut errors = Vec::new();
    for (line, f) in tsv_rows(text) {
        let parsed = (|| {
            if f.len() != 3 {
                return Err(format!("expected 3 columns, found {}", f.len()));
            }
            let (kind, needs_clause, stance) = match f[0] {
                "SAY" => (CueKind::Say, false, false),
                "ACT" => (CueKind::Say, true, false),
                "STANCE" => (CueKind::Say, false, true),
                "TELL" => (CueKind::Tell, false, false),
                "TELL_ACT" => (CueKind::Tell, true, false),
                "ACCORDING" => (CueKind::According, false, false),
                "CREDIT_BY" => (CueKind::CreditBy, false, false),
                "CREDIT_TO" => (CueKind::CreditTo, false, false),
                "QUOTE" => (CueKind::Quote, false, false),
                k => return Err(format!("unknown cue kind {k}")),
            };
            let weight: f32 = f[1].parse().map_err(|_| format!("bad weight {}", f[1]))?;
            set.add(&inflector, f[2], CueEntry { kind, weight: weight.clamp(0.0, 1.0), needs_clause, stance })
        })();
        if let Err(detail) = parsed {
            errors.push(LexiconError { line, detail });
        }
    }
    (set, errors)
}

#[cfg(test)]
mod tests;
