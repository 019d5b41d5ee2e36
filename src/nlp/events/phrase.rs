//! Shallow phrase helpers over tokens, shared by the event and attribution extractors:
//! closed-class tests (the words are in `data/lexicon/wordclasses.tsv`), the subject noun
//! phrase before a verb, the noun phrase after one, date expressions. No parser: closed
//! word classes and the entity mentions.

use super::classes::{classes_of, ClassSet, WordClass};
use super::lexicon::word_eq;
use crate::nlp::{Doc, EntityType, Mention, Span};
use regex::Regex;
use std::ops::Range;

const DET: ClassSet = WordClass::Determiners.bit();
const PREP: ClassSet = WordClass::Prepositions.bit();
const CONJ: ClassSet = WordClass::Conjunctions.bit();
const AUX: ClassSet = WordClass::Auxiliaries.bit();
const ADV: ClassSet = WordClass::Adverbs.bit();
const SUBJ: ClassSet = WordClass::SubjectPronouns.bit();
const OBJ: ClassSet = WordClass::ObjectPronouns.bit();
const REL: ClassSet = WordClass::Relatives.bit();
const DATE: ClassSet = WordClass::DateWords.bit();

pub(crate) fn is_determiner(tok: &str) -> bool {
    classes_of(tok) & DET != 0
}
pub(crate) fn is_preposition(tok: &str) -> bool {
    classes_of(tok) & PREP != 0
}
pub(crate) fn is_conjunction(tok: &str) -> bool {
    classes_of(tok) & CONJ != 0
}
pub(crate) fn is_auxiliary(tok: &str) -> bool {
    classes_of(tok) & AUX != 0
}
pub(crate) fn is_subject_pronoun(tok: &str) -> bool {
    classes_of(tok) & SUBJ != 0 && !all_caps(tok)
}
pub(crate) fn is_object_pronoun(tok: &str) -> bool {
    classes_of(tok) & OBJ != 0 && !all_caps(tok)
}

/// "US", "IT": an abbreviation, not a pronoun.
fn all_caps(tok: &str) -> bool {
    tok.len() > 1 && tok.chars().all(|c| c.is_uppercase() || c == '.')
}
pub(crate) fn is_relative(tok: &str) -> bool {
    classes_of(tok) & REL != 0
}

/// Adverbs and negation that sit inside a verb group ("has also not").
pub(crate) fn is_adverb(tok: &str) -> bool {
    classes_of(tok) & ADV != 0 || ly_adverb(tok)
}

/// "-ly" adverbs, lowercase only ("Italy" is a name).
fn ly_adverb(tok: &str) -> bool {
    tok.len() > 4 && tok.ends_with("ly") && tok.bytes().all(|b| b.is_ascii_lowercase())
}

pub(crate) fn is_date_word(tok: &str) -> bool {
    classes_of(tok) & DATE != 0
}

/// A word that can sit inside a noun phrase: alphanumeric, not a function word.
pub(crate) fn is_np_word(tok: &str) -> bool {
    let Some(c) = tok.chars().next() else {
        return false;
    };
    if tok == "'s" || tok == "’s" || tok == "&" {
        return true;
    }
    if !c.is_alphanumeric() {
        return false;
    }
    // One lookup for all the classes.
    let k = classes_of(tok);
    k & (DET | PREP | CONJ | AUX | REL) == 0
        && (c.is_uppercase() || (k & ADV == 0 && !ly_adverb(tok)))
        && (k & (SUBJ | OBJ) == 0 || all_caps(tok))
}

pub(crate) fn is_capitalized(tok: &str) -> bool {
    tok.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Span of tokens `a..b` (b exclusive, a < b).
pub(crate) fn tok_span(doc: &Doc, a: usize, b: usize) -> Span {
    Span::new(doc.tokens[a].span.start as usize, doc.tokens[b - 1].span.end as usize)
}

/// First token index at or after byte offset `pos`.
pub(crate) fn token_at(doc: &Doc, pos: u32) -> usize {
    doc.tokens.partition_point(|t| t.span.end <= pos)
}

/// Where a noun phrase ending just before token `end` starts (leftward over NP words,
/// at most 8), or None when the token before `end` is not an NP word.
fn np_left(doc: &Doc, sent: &Range<usize>, end: usize) -> Option<usize> {
    let mut i = end;
    while i > sent.start && end - i < 8 && is_np_word(doc.token_text(i - 1)) {
        // A lowercase "-ed" word is a verb unless a determiner precedes it ("the
        // exiled leaders" vs "has issued arrest warrants").
        if past_form(doc.token_text(i - 1)) && !(i - 1 > sent.start && is_determiner(doc.token_text(i - 2))) {
            break;
        }
        // A reporting verb ends the phrase: "Police said Smith stabbed …" has Smith act.
        if matches!(doc.token_text(i - 1), "said" | "says" | "told" | "tells" | "wrote" | "writes") {
            break;
        }
        i -= 1;
    }
    if i == end {
        return None;
    }
    // Coordinated names: "Obama and Putin", "the US, Russia, and Switzerland".
    if is_capitalized(doc.token_text(i)) {
        // The last link must be "and" / "&"; commas only before it ("A, B and C").
        let mut crossed_and = false;
        loop {
            let mut k = i;
            if !crossed_and {
                while k > sent.start && doc.token_text(k - 1) == "," {
                    k -= 1;
                }
                if k > sent.start && (word_eq(doc.token_text(k - 1), "and") || doc.token_text(k - 1) == "&") {
                    k -= 1;
                    crossed_and = true;
                } else {
                    break;
                }
            }
            while k > sent.start && doc.token_text(k - 1) == "," {
                k -= 1;
            }
            if k == i || k <= sent.start || !is_capitalized(doc.token_text(k - 1)) {
                break;
            }
            let mut a = k;
            while a > sent.start && k - a < 5 && is_np_word(doc.token_text(a - 1)) && is_capitalized(doc.token_text(a - 1)) {
                a -= 1;
            }
            if a == k {
                break;
            }
            i = a;
        }
    }
    Some(i)
}

/// A lowercase word with an adjective ending ("massive", "dangerous", "nuclear").
fn adjective_like(tok: &str) -> bool {
    tok.bytes().all(|b| b.is_ascii_lowercase())
        && ["ive", "ous", "ful", "al", "ic", "able", "ible", "ant", "ent", "ary", "less", "ish", "ed", "ing"]
            .iter()
            .any(|s| tok.len() > s.len() + 2 && tok.ends_with(s))
}

/// A lowercase word that looks like a past tense or participle ("issued", "seized").
pub(crate) fn past_form(tok: &str) -> bool {
    tok.len() > 3 && tok.ends_with("ed") && tok.bytes().all(|b| b.is_ascii_lowercase())
}

/// Extend a noun phrase at tokens `a..b` over mentions it overlaps.
fn widen_over_mentions(ms: &[&Mention], a: usize, b: usize) -> (usize, usize) {
    let (mut a, mut b) = (a, b);
    for m in ms {
        if m.tokens.start < b && a < m.tokens.end {
            a = a.min(m.tokens.start);
            b = b.max(m.tokens.end);
        }
    }
    (a, b)
}

/// What the subject finder found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubjectKind {
    /// A noun phrase or name right before the verb group.
    Direct,
    /// A pronoun right before the verb group.
    Pronoun,
    /// Nothing before the verb group but a conjunction ("... and reassured him").
    Coordinated,
    /// The nearest name to the left, not adjacent.
    Nearest,
}

/// Skip a verb group leftward from token `i` (exclusive): auxiliaries, adverbs,
/// negation and date words. Returns the index after the last non-skipped token.
pub(crate) fn skip_verb_group_left(doc: &Doc, sent: &Range<usize>, i: usize, dates: &[Span]) -> usize {
    let mut j = i;
    while j > sent.start {
        let t = doc.token_text(j - 1);
        let span = doc.tokens[j - 1].span;
        let in_date = dates.iter().any(|d| d.contains(span));
        if is_auxiliary(t) || (is_adverb(t) && !is_capitalized(t)) || in_date {
            j -= 1;
        } else {
            break;
        }
    }
    j
}

/// The subject of a verb starting at token `verb`: the noun phrase (or pronoun, or
/// name) right before its verb group; through an apposition ("X, a senior aide, said")
/// to its head; through a relative pronoun ("the group that has seized") to its
/// antecedent. Falls back to the nearest name to the left not governed by a
/// preposition.
pub(crate) fn subject_before(doc: &Doc, ms: &[&Mention], sent: &Range<usize>, verb: usize, dates: &[Span]) -> Option<(Span, SubjectKind)> {
    let mut j = skip_verb_group_left(doc, sent, verb, dates);
    // A parenthesis after the subject: "Sen. Jane Roe (D-Wis.) said".
    if j > sent.start && doc.token_text(j - 1) == ")" {
        let lo = j.saturating_sub(8).max(sent.start);
        if let Some(open) = (lo..j - 1).rev().find(|&k| doc.token_text(k) == "(") {
            j = open;
        }
    }
    if j > sent.start && is_relative(doc.token_text(j - 1)) {
        let rel = j - 1;
        // "who" as a subject stays itself when nothing names its antecedent.
        j = rel;
        if j > sent.start && doc.token_text(j - 1) == "," {
            j -= 1;
        }
        if np_left(doc, sent, j).is_none() {
            let t = doc.token_text(rel);
            if word_eq(t, "who") {
                return Some((tok_span(doc, rel, rel + 1), SubjectKind::Pronoun));
            }
        }
    }
    if j > sent.start {
        let t = doc.token_text(j - 1);
        if is_subject_pronoun(t) && !is_relative(t) {
            return Some((tok_span(doc, j - 1, j), SubjectKind::Pronoun));
        }
        if t == "," {
            if let Some(s) = apposition_head(doc, ms, sent, j - 1, true) {
                return Some((s, SubjectKind::Direct));
            }
        }
        if let Some(a) = np_left(doc, sent, j) {
            let (a, b) = widen_over_mentions(ms, a, j);
            return Some((tok_span(doc, a, b), SubjectKind::Direct));
        }
        if (is_conjunction(t) || t == ",") && !is_relative(t) {
            return Some((tok_span(doc, j - 1, j), SubjectKind::Coordinated));
        }
        // The trigger is the object of another verb ("has issued arrest warrants"):
        // that verb's subject.
        if past_form(t) && j - 1 < verb {
            return subject_before(doc, ms, sent, j - 1, dates);
        }
    }
    nearest_name_left(doc, ms, verb).map(|s| (s, SubjectKind::Nearest))
}

/// "HEAD, APPOSITION," ending with the comma at token `comma`: the name inside the
/// apposition when it is one ("the US commander, General X,"), else the head. The
/// apposition may be long ("Jane Roe, director of the institute at X University,
/// which ..., said"): the head is a name opening the clause.
/// `again`: whether the place case may look through one more apposition before it
/// ("Adam Blann, 37, of Carson City, Nevada, said"); one level only, so no input
/// controls the depth.
fn apposition_head(doc: &Doc, ms: &[&Mention], sent: &Range<usize>, comma: usize, again: bool) -> Option<Span> {
    let lo = comma.saturating_sub(40).max(sent.start);
    let mut commas = (lo..comma).rev().filter(|&k| doc.token_text(k) == ",");
    let open = commas.next()?;
    let inner = open + 1..comma;
    if !inner.is_empty() {
        let first = doc.token_text(inner.start);
        let covered_by = |t: EntityType| inner.clone().all(|k| ms.iter().any(|m| m.entity_type == t && m.tokens.contains(&k)));
        if covered_by(EntityType::Loc) {
            // "police in Lakewood, New Jersey, said": the place goes on the place
            // before it, inside a prepositional phrase; the subject is the phrase the
            // preposition follows.
            if let Some(place) = np_left(doc, sent, open) {
                if place > sent.start && is_preposition(doc.token_text(place - 1)) {
                    if let Some(a) = np_left(doc, sent, place - 1) {
                        let (a, b) = widen_over_mentions(ms, a, place - 1);
                        return Some(tok_span(doc, a, b));
                    }
                    // "Adam Blann, 37, of Carson City, Nevada,": the phrase the
                    // preposition follows is itself an apposition's end.
                    let q = place - 1;
                    if again && q > sent.start && doc.token_text(q - 1) == "," {
                        if let Some(s) = apposition_head(doc, ms, sent, q - 1, false) {
                            return Some(s);
                        }
                    }
                }
            }
        }
        if !is_determiner(first) && inner.len() <= 6 && inner.clone().all(|k| is_np_word(doc.token_text(k))) && is_capitalized(first) {
            // "Lenny Curry, Florida's Republican Party chairman, accused": a person
            // named at the clause's start, before a description that names no person,
            // is the subject (the name itself: "Rep. Tom Cole, Oklahoma Republican,"
            // is Tom Cole).
            let person_head = np_left(doc, sent, open).and_then(|a| {
                let opens = a == sent.start || {
                    let p = doc.token_text(a - 1);
                    is_conjunction(p) || matches!(p, ";" | ":" | "“" | "\"" | "(" | "—" | "–")
                };
                ms.iter().find(|m| opens && m.entity_type == EntityType::Per && m.tokens.start >= a && m.tokens.end == open)
            });
            if let Some(name) = person_head {
                if !inner.clone().any(|k| ms.iter().any(|m| m.entity_type == EntityType::Per && m.tokens.contains(&k))) {
                    return Some(name.span);
                }
            }
            // A name in apposition: the comma-delimited name itself.
            let (a, b) = widen_over_mentions(ms, inner.start, inner.end);
            return Some(tok_span(doc, a, b));
        }
    }
    // The head: a capitalised noun phrase before one of the commas, opening the clause
    // (sentence start, or after a conjunction or clause punctuation).
    for k in std::iter::once(open).chain(commas) {
        let Some(a) = np_left(doc, sent, k) else {
            continue;
        };
        let opens_clause = a == sent.start || {
            let p = doc.token_text(a - 1);
            is_conjunction(p) || matches!(p, ";" | ":" | "“" | "\"" | "(" | "—" | "–") || is_determiner(p)
        };
        let descriptive = k == open && !inner.is_empty() && is_determiner(doc.token_text(inner.start));
        if (opens_clause && is_capitalized(doc.token_text(a))) || descriptive {
            let (a, b) = widen_over_mentions(ms, a, k);
            return Some(tok_span(doc, a, b));
        }
    }
    None
}

/// The nearest name ending before token `before` that no preposition governs.
pub(crate) fn nearest_name_left(doc: &Doc, ms: &[&Mention], before: usize) -> Option<Span> {
    let mut fallback = None;
    for m in ms.iter().rev().filter(|m| m.tokens.end <= before) {
        let mut k = m.tokens.start;
        while k > 0 && is_determiner(doc.token_text(k - 1)) {
            k -= 1;
        }
        let governed = k > 0 && is_preposition(doc.token_text(k - 1));
        if !governed {
            return Some(m.span);
        }
        fallback.get_or_insert(m.span);
    }
    fallback
}

/// A noun phrase starting at token `from` (after an optional determiner), within
/// `sent`, at most `max` tokens: names are taken whole; a lowercase run of NP words
/// otherwise. Object pronouns count.
pub(crate) fn np_after(doc: &Doc, ms: &[&Mention], sent: &Range<usize>, from: usize, max: usize) -> Option<Span> {
    let mut i = from;
    if i < sent.end && is_object_pronoun(doc.token_text(i)) {
        return Some(tok_span(doc, i, i + 1));
    }
    while i < sent.end && is_determiner(doc.token_text(i)) {
        i += 1;
    }
    let start = i;
    while i < sent.end && i - start < max {
        let t = doc.token_text(i);
        // A comma between adjectives stays inside ("a massive, new tanker").
        let adjective_comma =
            t == "," && i > start && adjective_like(doc.token_text(i - 1)) && i + 1 < sent.end && is_np_word(doc.token_text(i + 1));
        if !(is_np_word(t) || adjective_comma) {
            break;
        }
        i += 1;
    }
    if i == start {
        return None;
    }
    let (a, b) = widen_over_mentions(ms, start, i);
    Some(tok_span(doc, a, b))
}

/// Date expressions ("on Thursday", "Monday night", "last week", "a day earlier",
/// "in March", "on Dec. 10", "10 December 2024"), compiled once.
pub(crate) struct DateFinder {
    re: Regex,
}

impl DateFinder {
    pub fn new() -> DateFinder {
        let weekday = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
        let month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.|Jul\.|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)";
        let part = r"(?:morning|afternoon|evening|night)";
        let number = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|a\s+few|\d+)";
        let unit = r"(?:days?|weeks?|months?|years?|hours?|decades?)";
        let pattern = format!(
            r"(?x)
            \b(?:(?i:on|late|early|last|next|this|since|by|until|from)\s+)?{weekday}(?:\s+{part})?\b
            | \b(?:(?i:on|in|since|by|until|from|early|late|mid)[\s-]+)?{month}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?
            | \b(?:(?i:on|since|by|until)\s+)?\d{{1,2}}\s+{month}(?:\s+\d{{4}})?
            | \b(?i:in|since|by|until|early|late|mid|last|next|this)[\s-]+(?-i:{month}|\d{{4}})\b(?:\s+\d{{4}})?
            | \b{number}\s+{unit}\s+(?i:earlier|later|ago|before|after|before\s+that)\b
            | \b(?i:(?:earlier|later)\s+)?(?i:last|next|this|that)\s+(?i:week|month|year|weekend|morning|afternoon|evening|night|spring|summer|fall|autumn|winter)\b
            | \b(?i:earlier|later)\s+(?i:this|that|in\s+the)\s+(?i:week|month|year|day)\b
            | \b(?i:yesterday|today|tonight|tomorrow|overnight)\b
            "
        );
        DateFinder { re: Regex::new(&pattern).expect("built-in date pattern compiles") }
    }

    /// Date spans inside `sent` (byte spans into the text).
    pub fn find(&self, text: &str, sent: Span) -> Vec<Span> {
        let base = sent.start as usize;
        self.re.find_iter(crate::text_slice(text, sent.range())).map(|m| Span::new(base + m.start(), base + m.end())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::EntityType;

    fn mention(doc: &Doc, text: &str) -> Mention {
        let start = doc.text.find(text).unwrap();
        let span = Span::new(start, start + text.len());
        let a = token_at(doc, span.start);
        let b = token_at(doc, span.end);
        Mention { span, tokens: a..b, sentence: doc.sentence_of(span.start), entity_type: EntityType::Misc, confidence: 0.9 }
    }

    /// The class table answers as the linear scans with `word_eq` it replaced.
    #[test]
    fn word_classes_agree_with_lists() {
        use WordClass::*;
        let lists = [Determiners, Prepositions, Conjunctions, Auxiliaries, Adverbs, SubjectPronouns, ObjectPronouns, Relatives, DateWords];
        let in_list = |c: WordClass, t: &str| c.words().iter().any(|w| word_eq(t, w));
        let mut toks: Vec<String> = Vec::new();
        for w in lists.iter().flat_map(|l| l.words().iter()) {
            toks.push(w.to_string());
            toks.push(w.to_uppercase());
            let mut c = w.chars();
            toks.extend(c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()));
            toks.push(w.replace('\'', "’"));
            toks.push(format!("{w}x"));
            toks.push(w.chars().skip(1).collect());
        }
        for t in [
            "", "US", "IT", "It", "Italy", "quickly", "Quickly", "fly", "’s", "'s", "&", "n’t", "N’T", "ÉTÉ", "über", "déjà", "3", "a’",
            "‘s",
        ] {
            toks.push(t.to_string());
        }
        toks.push("x".repeat(200));
        toks.push("’".repeat(30));
        for t in &toks {
            let t = t.as_str();
            assert_eq!(is_determiner(t), in_list(Determiners, t), "{t:?}");
            assert_eq!(is_preposition(t), in_list(Prepositions, t), "{t:?}");
            assert_eq!(is_conjunction(t), in_list(Conjunctions, t), "{t:?}");
            assert_eq!(is_auxiliary(t), in_list(Auxiliaries, t), "{t:?}");
            assert_eq!(is_relative(t), in_list(Relatives, t), "{t:?}");
            assert_eq!(is_date_word(t), in_list(DateWords, t), "{t:?}");
            assert_eq!(is_subject_pronoun(t), !all_caps(t) && in_list(SubjectPronouns, t), "{t:?}");
            assert_eq!(is_object_pronoun(t), !all_caps(t) && in_list(ObjectPronouns, t), "{t:?}");
            assert_eq!(is_adverb(t), in_list(Adverbs, t) || ly_adverb(t), "{t:?}");
            let c = t.chars().next();
            let linear = c.is_some_and(|c| {
                t == "'s"
                    || t == "’s"
                    || t == "&"
                    || (c.is_alphanumeric()
                        && !in_list(Determiners, t)
                        && !in_list(Prepositions, t)
                        && !in_list(Conjunctions, t)
                        && !in_list(Auxiliaries, t)
                        && (c.is_uppercase() || !(in_list(Adverbs, t) || ly_adverb(t)))
                        && (all_caps(t) || !in_list(SubjectPronouns, t))
                        && (all_caps(t) || !in_list(ObjectPronouns, t))
                        && !in_list(Relatives, t))
            });
            assert_eq!(is_np_word(t), linear, "{t:?}");
        }
    }

    #[test]
    fn dates() {
        let f = DateFinder::new();
        let text = "On Thursday and Monday night, a day earlier, last week, in March, on Dec. 10 and 3 May 2021 they may go.";
        let got: Vec<&str> = f.find(text, Span::new(0, text.len())).iter().map(|s| crate::text_slice(text, s.range())).collect();
        assert_eq!(got, vec!["On Thursday", "Monday night", "a day earlier", "last week", "in March", "on Dec. 10", "3 May 2021"]);
    }

    #[test]
    fn subjects() {
        let text = "The Venezuelan government on Tuesday condemned the move. Flynn, a top aide, said so. The militant group that has seized towns left.";
        let doc = Doc::new(text);
        let ms = [mention(&doc, "Venezuelan"), mention(&doc, "Flynn")];
        let refs: Vec<&Mention> = ms.iter().collect();
        let f = DateFinder::new();
        let s0 = doc.sentences[0].tokens.clone();
        let dates = f.find(text, doc.sentences[0].span);
        let verb = (s0.clone()).find(|&i| doc.token_text(i) == "condemned").unwrap();
        let (span, kind) = subject_before(&doc, &refs, &s0, verb, &dates).unwrap();
        assert_eq!((doc.span_text(span), kind), ("Venezuelan government", SubjectKind::Direct));
        let s1 = doc.sentences[1].tokens.clone();
        let verb = (s1.clone()).find(|&i| doc.token_text(i) == "said").unwrap();
        let (span, _) = subject_before(&doc, &refs, &s1, verb, &[]).unwrap();
        assert_eq!(doc.span_text(span), "Flynn");
        let s2 = doc.sentences[2].tokens.clone();
        let verb = (s2.clone()).find(|&i| doc.token_text(i) == "seized").unwrap();
        let (span, kind) = subject_before(&doc, &refs, &s2, verb, &[]).unwrap();
        assert_eq!((doc.span_text(span), kind), ("militant group", SubjectKind::Direct));
    }
}
