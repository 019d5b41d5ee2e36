//! Phrase lexicons matched on tokens: the pattern language of `data/lexicon/*.tsv`
//! (verb inflections `word~`, alternatives `a|b`, multi-word alternatives `a_b`,
//! optional words `word?`, gaps `...`) compiled once into a first-word index.
//! Shared by the event and attribution extractors.

use crate::nlp::Doc;
use std::collections::HashMap;
use std::ops::Range;

/// Irregular and consonant-doubling verbs (lemma, -s, past, participle, -ing).
const VERBS_TSV: &str = include_str!("../../../data/lexicon/verbs.tsv");

/// Longest gap `...` may span, in tokens.
pub(crate) const GAP_MAX: usize = 6;

/// One alternative of a pattern element: one or more lowercase words in sequence.
type Alt = Vec<Box<str>>;

#[derive(Debug, Clone)]
enum Elem {
    Words { alts: Vec<Alt>, optional: bool },
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
    by_first: HashMap<Box<str>, Vec<u32>>,
}

/// Verb forms for `lemma`: irregular table first, then regular English rules.
pub(crate) struct Inflector {
    irregular: HashMap<&'static str, [&'static str; 4]>,
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
        Inflector { irregular }
    }

    /// A past tense or participle: an irregular one of the table, or a lowercase
    /// "-ed" word.
    pub fn is_past(&self, tok: &str) -> bool {
        super::phrase::past_form(tok) || self.irregular.values().any(|f| word_eq(tok, f[1]) || word_eq(tok, f[2]))
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
        PhraseSet { entries: Vec::new(), patterns: Vec::new(), by_first: HashMap::new() }
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
            elems.push(Elem::Words { alts, optional });
        }
        match elems.first() {
            Some(Elem::Words { optional: false, .. }) => {}
            _ => return Err(format!("pattern must start with a required word: {pattern:?}")),
        }
        if matches!(elems.last(), Some(Elem::Gap)) {
            return Err(format!("pattern ends with a gap: {pattern:?}"));
        }
        let id = self.patterns.len() as u32;
        if let Some(Elem::Words { alts, .. }) = elems.first() {
            let mut firsts: Vec<&str> = alts.iter().map(|a| &*a[0]).collect();
            firsts.sort_unstable();
            firsts.dedup();
            for f in firsts {
                self.by_first.entry(f.into()).or_default().push(id);
            }
        }
        self.patterns.push(Pattern { elems, entry: self.entries.len() });
        self.entries.push(entry);
        Ok(())
    }

    /// The longest match starting at token `i` inside `sent` (ties: the earlier entry).
    /// `lower` is the lowercased text of token `i`.
    pub fn longest_at(&self, doc: &Doc, sent: &Range<usize>, i: usize, lower: &str) -> Option<PhraseMatch> {
        let ids = self.by_first.get(lower)?;
        let mut best: Option<PhraseMatch> = None;
        for &id in ids {
            let p = &self.patterns[id as usize];
            if let Some((head_end, end)) = match_elems(doc, sent.end, &p.elems, i, None) {
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

/// Match `elems` from token `i`; returns (head_end, end). `head_end` is set when the
/// first gap is crossed (None until then).
fn match_elems(doc: &Doc, limit: usize, elems: &[Elem], i: usize, head_end: Option<usize>) -> Option<(usize, usize)> {
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
                if skip > 0 && blocks_gap(doc.token_text(j - 1)) {
                    break;
                }
                if let Some(m) = match_elems(doc, limit, rest, j, head) {
                    return Some(m);
                }
            }
            None
        }
        Elem::Words { alts, optional } => {
            let mut best: Option<(usize, usize)> = None;
            for alt in alts {
                if i + alt.len() > limit {
                    continue;
                }
                if alt.iter().enumerate().all(|(k, w)| word_eq(doc.token_text(i + k), w)) {
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

    #[test]
    fn typographic_apostrophe() {
        assert!(word_eq("n’t", "n't"));
        assert!(word_eq("SAID", "said"));
        assert!(!word_eq("saidx", "said"));
    }
}
