//! Phrase lexicons matched on tokens: the pattern language of `data/lexicon/*.tsv`
//! (verb inflections `word~`, alternatives `a|b`, multi-word alternatives `a_b`,
//! optional words `word?`, gaps `...`) compiled once into a first-word index.
//! Shared by the event and attribution extractors.
//!
//! Words are compared as `word_eq` does (ASCII case folded, `’` read as `'`). Hot paths
//! fold a token once on the stack (`fold_word`) and look it up in a hash table: the lexicon
//! vocabulary (word ids, `PhraseSet::token_ids`) and the word classes (`classes`) are O(1)
//! per token with no allocation.

use super::classes::FoldMap;
use crate::hashing::FxBuild;
use crate::nlp::Doc;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Irregular and consonant-doubling verbs (lemma, -s, past, participle, -ing).
const VERBS_TSV: &str = include_str!("../../../data/lexicon/verbs.tsv");

/// Longest gap `...` may span, in tokens.
pub(crate) const GAP_MAX: usize = 6;

/// One alternative of a pattern element: one or more lowercase words in sequence.
type Alt = Vec<Box<str>>;

/// Longest folded word looked up in a table (longer tokens are in no table).
pub(crate) const FOLD_MAX: usize = 64;

/// Word id of a token that is no lexicon word.
pub(crate) const NO_WORD: u32 = u32::MAX;

/// `tok` folded as `word_eq` compares it (ASCII lowercased, `’` as `'`, other characters
/// kept) into `buf`; None when the folded word is longer than `FOLD_MAX` bytes.
#[inline]
pub(crate) fn fold_word<'b>(tok: &str, buf: &'b mut [u8; FOLD_MAX]) -> Option<&'b [u8]> {
    let b = tok.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        if n == FOLD_MAX {
            return None;
        }
        let c = b[i];
        if c == 0xE2 && b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x99) {
            buf[n] = b'\'';
            i += 3;
        } else {
            buf[n] = c.to_ascii_lowercase();
            i += 1;
        }
        n += 1;
    }
    Some(&buf[..n])
}

#[derive(Debug, Clone)]
enum Elem {
    /// `ids`: the alternatives as word ids (`PhraseSet::vocab`), in the order of `alts`.
    Words {
        alts: Vec<Alt>,
        ids: Vec<Box<[u32]>>,
        optional: bool,
    },
    Gap,
}

#[derive(Debug, Clone)]
struct Pattern {
    elems: Vec<Elem>,
    entry: usize,
}

/// A match of one pattern in a sentence (token indices into `Doc::tokens`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PhraseMatch {
    /// Index of the lexicon entry (line) that matched.
    pub entry: usize,
    pub start: usize,
    /// End (exclusive) of the words before the first gap: the trigger proper.
    pub head_end: usize,
    /// End (exclusive) of the whole match, gaps included.
    pub end: usize,
}

/// A compiled phrase lexicon: entries of type `T`, each with one pattern.
pub(crate) struct PhraseSet<T> {
    pub entries: Vec<T>,
    patterns: Vec<Pattern>,
    /// Every word of the patterns, with its id.
    vocab: HashMap<Box<[u8]>, u32, FxBuild>,
    /// Patterns by the id of a word their first element may start with.
    by_first: Vec<Vec<u32>>,
    /// By first byte, bit `min(len, 63)` set for the lengths of the vocabulary words: a
    /// cheap reject before the hash lookup.
    shapes: Box<[u64; 256]>,
    /// The vocabulary words a folded token can equal (no uppercase, no `’`), for
    /// `token_ids`: one `FoldMap` probe per token instead of a fold into a buffer and a
    /// `HashMap` look-up (2% of a run's CPU, the most of it cache misses on the map).
    fast: FoldMap<u32>,
    /// False when `fast` filled up: `token_ids` then uses `vocab`.
    fast_ok: bool,
}

/// Verb forms for `lemma`: irregular table first, then regular English rules.
pub(crate) struct Inflector {
    irregular: HashMap<&'static str, [&'static str; 4]>,
    /// Irregular past tenses and participles.
    past: HashSet<&'static [u8], FxBuild>,
}

impl Inflector {
    pub fn builtin() -> Inflector {
        let mut irregular = HashMap::new();
        for line in VERBS_TSV.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&'static str> = line.split('\t').map(str::trim).collect();
            if f.len() == 5 {
                irregular.insert(f[0], [f[1], f[2], f[3], f[4]]);
            }
        }
        // The table is lowercase: a form with an uppercase letter never equals a folded token.
        let past = irregular
            .values()
            .flat_map(|f| [f[1], f[2]])
            .filter(|w| !w.bytes().any(|b| b.is_ascii_uppercase()))
            .map(str::as_bytes)
            .collect();
        Inflector { irregular, past }
    }

    /// A past tense or participle: an irregular one of the table, or a lowercase
    /// "-ed" word.
    pub fn is_past(&self, tok: &str) -> bool {
        if super::phrase::past_form(tok) {
            return true;
        }
        let mut buf = [0u8; FOLD_MAX];
        fold_word(tok, &mut buf).is_some_and(|w| self.past.contains(w))
    }

    /// All forms of a verb: lemma, third person, past, participle, gerund.
    pub fn forms(&self, lemma: &str) -> Vec<String> {
        let mut out = vec![lemma.to_string()];
        if let Some(f) = self.irregular.get(lemma) {
            out.extend(f.iter().map(|s| s.to_string()));
        } else {
            out.push(third_person(lemma));
            let past = past(lemma);
            out.push(past.clone());
            out.push(past);
            out.push(gerund(lemma));
        }
        out.sort();
        out.dedup();
        out
    }
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn consonant_y(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 2 && b[b.len() - 1] == b'y' && !is_vowel(b[b.len() - 2])
}

fn third_person(w: &str) -> String {
    match w.strip_suffix('y') {
        Some(stem) if consonant_y(w) => format!("{stem}ies"),
        _ if w.ends_with(['s', 'x', 'z']) || w.ends_with("ch") || w.ends_with("sh") => {
            format!("{w}es")
        }
        _ => format!("{w}s"),
    }
}

fn past(w: &str) -> String {
    match w.strip_suffix('y') {
        _ if w.ends_with('e') => format!("{w}d"),
        Some(stem) if consonant_y(w) => format!("{stem}ied"),
        _ => format!("{w}ed"),
    }
}

fn gerund(w: &str) -> String {
    if let Some(stem) = w.strip_suffix("ie") {
        format!("{stem}ying")
    } else if let Some(stem) = w.strip_suffix('e').filter(|s| !s.ends_with('e') && s.len() > 1) {
        format!("{stem}ing")
    } else {
        format!("{w}ing")
    }
}

/// Error in one lexicon line (reported by tests; bad lines are skipped at run time).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LexiconError {
    pub line: usize,
    pub detail: String,
}

impl<T> PhraseSet<T> {
    pub fn new() -> PhraseSet<T> {
        PhraseSet {
            entries: Vec::new(),
            patterns: Vec::new(),
            vocab: HashMap::default(),
            by_first: Vec::new(),
            shapes: Box::new([0; 256]),
            fast: FoldMap::new(),
            fast_ok: true,
        }
    }

    fn word_id(&mut self, w: &str) -> u32 {
        let next = self.vocab.len() as u32;
        let id = *self.vocab.entry(w.as_bytes().into()).or_insert(next);
        if id == next {
            self.by_first.push(Vec::new());
            if let Some(&b) = w.as_bytes().first() {
                self.shapes[b as usize] |= 1 << w.len().min(63);
            }
            // A word that folding changes is equal to no folded token: left out.
            let mut buf = [0u8; FOLD_MAX];
            if self.fast_ok && !w.is_empty() && fold_word(w, &mut buf) == Some(w.as_bytes()) {
                self.fast_ok = self.fast.insert(w.as_bytes(), id);
            }
        }
        id
    }

    /// The word id of every token of `doc` (`NO_WORD` for a token that is in no pattern)
    /// into `out`: one fold and one lookup per token, for `longest_at_ids`.
    pub fn token_ids(&self, doc: &Doc, out: &mut Vec<u32>) {
        out.clear();
        if self.fast_ok {
            out.extend(doc.tokens.iter().map(|t| self.fast.get(crate::text_slice(doc.text, t.span.range())).unwrap_or(NO_WORD)));
            return;
        }
        let mut buf = [0u8; FOLD_MAX];
        out.extend(doc.tokens.iter().map(|t| {
            let tok = crate::text_slice(doc.text, t.span.range());
            match fold_word(tok, &mut buf) {
                Some(w) if !w.is_empty() && self.shapes[w[0] as usize] & (1 << w.len().min(63)) != 0 => {
                    self.vocab.get(w).copied().unwrap_or(NO_WORD)
                }
                _ => NO_WORD,
            }
        }));
    }

    /// Add one entry with its pattern. On a malformed pattern nothing is added.
    pub fn add(&mut self, inflector: &Inflector, pattern: &str, entry: T) -> Result<(), String> {
        let mut elems = Vec::new();
        for word in pattern.split_whitespace() {
            if word == "..." {
                if elems.is_empty() || matches!(elems.last(), Some(Elem::Gap)) {
                    return Err(format!("misplaced gap in {pattern:?}"));
                }
                elems.push(Elem::Gap);
                continue;
            }
            let (word, optional) = match word.strip_suffix('?') {
                Some(w) => (w, true),
                None => (word, false),
            };
            let mut alts: Vec<Alt> = Vec::new();
            for alt in word.split('|') {
                if alt.is_empty() {
                    return Err(format!("empty alternative in {pattern:?}"));
                }
                // Expand the verb forms of each `~` word; the cross product over the
                // words of a multi-word alternative.
                let mut seqs: Vec<Alt> = vec![Vec::new()];
                for part in alt.split('_') {
                    let forms: Vec<String> = match part.strip_suffix('~') {
                        Some(lemma) => inflector.forms(&lemma.to_lowercase()),
                        None => vec![part.to_lowercase()],
                    };
                    let mut next = Vec::with_capacity(seqs.len() * forms.len());
                    for s in &seqs {
                        for f in &forms {
                            let mut s = s.clone();
                            s.push(f.clone().into_boxed_str());
                            next.push(s);
                        }
                    }
                    seqs = next;
                }
                alts.extend(seqs);
            }
            if let Some(w) = alts.iter().flatten().find(|w| w.len() > FOLD_MAX) {
                return Err(format!("word longer than {FOLD_MAX} bytes: {w:?}"));
            }
            let ids = alts.iter().map(|a| a.iter().map(|w| self.word_id(w)).collect()).collect();
            elems.push(Elem::Words { alts, ids, optional });
        }
        match elems.first() {
            Some(Elem::Words { optional: false, .. }) => {}
            _ => return Err(format!("pattern must start with a required word: {pattern:?}")),
        }
        if matches!(elems.last(), Some(Elem::Gap)) {
            return Err(format!("pattern ends with a gap: {pattern:?}"));
        }
        let id = self.patterns.len() as u32;
        if let Some(Elem::Words { ids, .. }) = elems.first() {
            let mut firsts: Vec<u32> = ids.iter().map(|a| a[0]).collect();
            firsts.sort_unstable();
            firsts.dedup();
            for f in firsts {
                self.by_first[f as usize].push(id);
            }
        }
        self.patterns.push(Pattern { elems, entry: self.entries.len() });
        self.entries.push(entry);
        Ok(())
    }

    /// The longest match starting at token `i` inside `sent` (ties: the earlier entry).
    /// `lower` is the lowercased text of token `i`.
    pub fn longest_at(&self, doc: &Doc, sent: &Range<usize>, i: usize, lower: &str) -> Option<PhraseMatch> {
        let &first = self.vocab.get(lower.as_bytes())?;
        self.longest_from(&DocWords(doc), &self.by_first[first as usize], sent, i)
    }

    /// `longest_at` on the word ids of the document's tokens (`token_ids`): no string
    /// comparison at all.
    pub fn longest_at_ids(&self, doc: &Doc, ids: &[u32], sent: &Range<usize>, i: usize) -> Option<PhraseMatch> {
        let first = ids[i];
        if first == NO_WORD {
            return None;
        }
        self.longest_from(&IdWords { doc, ids }, &self.by_first[first as usize], sent, i)
    }

    fn longest_from<W: TokenWords>(&self, words: &W, pats: &[u32], sent: &Range<usize>, i: usize) -> Option<PhraseMatch> {
        let mut best: Option<PhraseMatch> = None;
        for &id in pats {
            let p = &self.patterns[id as usize];
            if let Some((head_end, end)) = match_elems(words, sent.end, &p.elems, i, None) {
                let better = match best {
                    None => true,
                    Some(b) => end > b.end || (end == b.end && p.entry < b.entry),
                };
                if better {
                    best = Some(PhraseMatch { entry: p.entry, start: i, head_end, end });
                }
            }
        }
        best
    }
}

/// Lexicon lines: `#` comments and blank lines skipped, fields split on tabs.
pub(crate) fn tsv_rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(n, line)| {
        let t = line.trim_end();
        if t.trim().is_empty() || t.trim_start().starts_with('#') {
            None
        } else {
            Some((n + 1, t.split('\t').map(str::trim).collect()))
        }
    })
}

/// Tokens a gap may not cross.
fn blocks_gap(tok: &str) -> bool {
    matches!(tok, "." | ";" | ":" | "!" | "?" | "\"" | "“" | "”" | "(" | ")")
}

/// How `match_elems` reads tokens: by text (`word_eq`) or by precomputed word ids.
trait TokenWords {
    fn text(&self, i: usize) -> &str;
    /// Does token `i` equal the lexicon word `w` (id `id`)?
    fn is(&self, i: usize, w: &str, id: u32) -> bool;
}

struct DocWords<'d, 'a>(&'d Doc<'a>);

impl TokenWords for DocWords<'_, '_> {
    #[inline]
    fn text(&self, i: usize) -> &str {
        self.0.token_text(i)
    }
    #[inline]
    fn is(&self, i: usize, w: &str, _id: u32) -> bool {
        word_eq(self.0.token_text(i), w)
    }
}

struct IdWords<'d, 'a> {
    doc: &'d Doc<'a>,
    ids: &'d [u32],
}

impl TokenWords for IdWords<'_, '_> {
    #[inline]
    fn text(&self, i: usize) -> &str {
        self.doc.token_text(i)
    }
    #[inline]
    fn is(&self, i: usize, _w: &str, id: u32) -> bool {
        self.ids[i] == id
    }
}

/// Match `elems` from token `i`; returns (head_end, end). `head_end` is set when the
/// first gap is crossed (None until then).
fn match_elems<W: TokenWords>(doc: &W, limit: usize, elems: &[Elem], i: usize, head_end: Option<usize>) -> Option<(usize, usize)> {
    let Some((first, rest)) = elems.split_first() else {
        return Some((head_end.unwrap_or(i), i));
    };
    match first {
        Elem::Gap => {
            let head = head_end.or(Some(i));
            for skip in 0..=GAP_MAX {
                let j = i + skip;
                if j > limit {
                    break;
                }
                if skip > 0 && blocks_gap(doc.text(j - 1)) {
                    break;
                }
                if let Some(m) = match_elems(doc, limit, rest, j, head) {
                    return Some(m);
                }
            }
            None
        }
        Elem::Words { alts, ids, optional } => {
            let mut best: Option<(usize, usize)> = None;
            for (alt, alt_ids) in alts.iter().zip(ids) {
                if i + alt.len() > limit {
                    continue;
                }
                if alt.iter().zip(alt_ids.iter()).enumerate().all(|(k, (w, &id))| doc.is(i + k, w, id)) {
                    if let Some(m) = match_elems(doc, limit, rest, i + alt.len(), head_end) {
                        if best.is_none_or(|b| m.1 > b.1) {
                            best = Some(m);
                        }
                    }
                }
            }
            if best.is_none() && *optional {
                best = match_elems(doc, limit, rest, i, head_end);
            }
            best
        }
    }
}

/// Case-insensitive comparison of a token with a lowercase lexicon word; a typographic
/// apostrophe in the token matches `'`.
pub(crate) fn word_eq(tok: &str, lex: &str) -> bool {
    // Called for every token against whole word lists: decide on lengths and bytes first.
    // Lexicon words hold `'`, never `’` (3 bytes), so equal lengths mean no `’` to map.
    if tok.len() == lex.len() {
        return tok.eq_ignore_ascii_case(lex);
    }
    if tok.len() < lex.len() + 2 || !tok.as_bytes().contains(&0xE2) {
        return false;
    }
    let mut a = tok.chars().map(|c| if c == '\u{2019}' { '\'' } else { c.to_ascii_lowercase() });
    let mut b = lex.chars();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x == y => {}
            _ => return false,
        }
    }
}

/// Lowercase `s` into `buf` (reused across tokens), mapping `’` to `'`.
pub(crate) fn lower_into<'b>(s: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    for c in s.chars() {
        if c == '\u{2019}' {
            buf.push('\'');
        } else if c.is_ascii() {
            buf.push(c.to_ascii_lowercase());
        } else {
            buf.extend(c.to_lowercase());
        }
    }
    buf.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `token_ids` through the `FoldMap` gives the ids the byte map gives, for tokens in
    /// and out of the vocabulary, any case, curly apostrophes, and a word the fold would
    /// change (never equal to a folded token).
    #[test]
    fn token_ids_fast_path_agrees_with_the_map() {
        let inf = Inflector::builtin();
        let mut set = PhraseSet::new();
        set.add(&inf, "speak~|talk~ by phone with", 0).unwrap();
        set.add(&inf, "don't_know a_long_multiword_alternative_here", 1).unwrap();
        set.add(&inf, "élan über-ally", 2).unwrap();
        // Lowercased by `add`; "o’neil" keeps its `’`, which no folded token holds.
        set.add(&inf, "Announce~ o’neil", 3).unwrap();
        assert!(set.fast_ok);
        let doc = Doc::new(
            "Ana SPOKE by Phone with Bo. I don’t KNOW a_long_multiword_alternative_here. Élan élan über-ally ÜBER-ALLY announced O’Neil o'neil.",
        );
        let mut fast = Vec::new();
        set.token_ids(&doc, &mut fast);
        set.fast_ok = false;
        let mut slow = Vec::new();
        set.token_ids(&doc, &mut slow);
        assert_eq!(fast, slow);
        assert!(fast.iter().filter(|&&id| id != NO_WORD).count() >= 7, "{fast:?}");
    }

    #[test]
    fn inflections() {
        let inf = Inflector::builtin();
        assert_eq!(inf.forms("seize"), vec!["seize", "seized", "seizes", "seizing"]);
        assert_eq!(inf.forms("deny"), vec!["denied", "denies", "deny", "denying"]);
        assert_eq!(inf.forms("push"), vec!["push", "pushed", "pushes", "pushing"]);
        assert!(inf.forms("speak").contains(&"spoke".to_string()));
        assert!(inf.forms("ban").contains(&"banned".to_string()));
        assert!(inf.forms("flee").contains(&"fleeing".to_string()));
    }

    #[test]
    fn matches_longest_with_gaps_and_options() {
        let inf = Inflector::builtin();
        let mut set = PhraseSet::new();
        set.add(&inf, "speak~|talk~ by phone with", 0).unwrap();
        set.add(&inf, "speak~", 1).unwrap();
        set.add(&inf, "supply~ ... equipment|arms", 2).unwrap();
        set.add(&inf, "hold~ a? talks", 3).unwrap();
        set.add(&inf, "step~_up patrols", 4).unwrap();
        assert!(set.add(&inf, "... x", 9).is_err());
        let doc = Doc::new("Ana spoke by phone with Bo. They supplied new military equipment. We held talks and stepped up patrols.");
        let mut buf = String::new();
        let s0 = doc.sentences[0].tokens.clone();
        let m = set.longest_at(&doc, &s0, 1, lower_into(doc.token_text(1), &mut buf)).unwrap();
        assert_eq!((m.entry, m.start, m.head_end, m.end), (0, 1, 5, 5));
        let s1 = doc.sentences[1].tokens.clone();
        let i = s1.start + 1;
        let m = set.longest_at(&doc, &s1, i, lower_into(doc.token_text(i), &mut buf)).unwrap();
        assert_eq!((m.entry, m.head_end, m.end), (2, i + 1, i + 4));
        let s2 = doc.sentences[2].tokens.clone();
        let i = s2.start + 1;
        let m = set.longest_at(&doc, &s2, i, lower_into(doc.token_text(i), &mut buf)).unwrap();
        assert_eq!((m.entry, m.end), (3, i + 2));
        let i = s2.start + 4;
        let m = set.longest_at(&doc, &s2, i, lower_into(doc.token_text(i), &mut buf)).unwrap();
        assert_eq!((m.entry, m.end), (4, i + 3));
    }

    /// Matching on word ids finds what matching on text finds, at every token.
    #[test]
    fn ids_match_as_text() {
        let inf = Inflector::builtin();
        let mut set = PhraseSet::new();
        for (k, p) in ["speak~|talk~ by phone with", "speak~", "supply~ ... equipment|arms", "hold~ a? talks", "step~_up patrols", "do n't"]
            .iter()
            .enumerate()
        {
            set.add(&inf, p, k).unwrap();
        }
        let doc =
            Doc::new("ANA SPOKE by phone with Bo. They Supplied new military equipment. We held talks and stepped up patrols. Don’t.");
        let mut ids = Vec::new();
        set.token_ids(&doc, &mut ids);
        let mut buf = String::new();
        let mut found = 0;
        for s in &doc.sentences {
            let r = s.tokens.clone();
            for i in r.clone() {
                let a = set.longest_at(&doc, &r, i, lower_into(doc.token_text(i), &mut buf));
                assert_eq!(a, set.longest_at_ids(&doc, &ids, &r, i), "token {i}");
                found += a.is_some() as usize;
            }
        }
        assert_eq!(found, 5);
    }

    #[test]
    fn folding_as_word_eq() {
        let mut buf = [0u8; FOLD_MAX];
        for (tok, lex) in [("SAID", "said"), ("n’t", "n't"), ("N’T", "n't"), ("Über", "über"), ("x’", "x'"), ("said", "saidx")] {
            assert_eq!(fold_word(tok, &mut buf) == Some(lex.as_bytes()), word_eq(tok, lex), "{tok} {lex}");
        }
        assert_eq!(fold_word(&"a".repeat(FOLD_MAX + 1), &mut buf), None);
        let inf = Inflector::builtin();
        assert!(inf.is_past("spoke") && inf.is_past("Spoken") && inf.is_past("seized") && !inf.is_past("speak"));
    }

    #[test]
    fn typographic_apostrophe() {
        assert!(word_eq("n’t", "n't"));
        assert!(word_eq("SAID", "said"));
        assert!(!word_eq("saidx", "said"));
    }
}
