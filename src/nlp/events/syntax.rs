//! Passes that read the dependency parse of a sentence holding a candidate trigger
//! (issue #14, part 2): the trigger's tag and relation (a participle modifying a noun, a
//! noun used as a modifier), what governs it (a modal, a request or wish), negation
//! from its dependents, and its subject and object as actor and recipient where the
//! word-order rules found none or no name.
//!
//! Only sentences with a candidate trigger are parsed (see `EventExtractor::extract`);
//! the word-order rules stay as the fallback where the parse says nothing. Tuned on
//! `realnews-train`, checked on `realnews-dev` and the PETR2 file.

use super::classes::{classes_of, WordClass};
use super::filters::Verdict;
use super::lexicon::word_eq;
use crate::nlp::parse::{Deprel, Parsed, Upos};
use crate::nlp::parse_cache::ParseCache;
use crate::nlp::{Doc, EntityType, Mention, Span};
use std::ops::Range;

/// The parse of one sentence; token `k` of the document is word `k - base`.
pub(crate) struct SentenceParse<'a> {
    pub parsed: &'a Parsed,
    pub base: usize,
}

impl SentenceParse<'_> {
    pub(super) fn word(&self, k: usize) -> Option<usize> {
        k.checked_sub(self.base).filter(|&w| w < self.parsed.len())
    }

    pub(super) fn upos(&self, k: usize) -> Option<Upos> {
        self.word(k).map(|w| self.parsed.upos[w])
    }

    pub(super) fn deprel(&self, k: usize) -> Option<Deprel> {
        self.word(k).map(|w| self.parsed.deprel[w])
    }

    /// Document token of the head of token `k`.
    pub(super) fn head(&self, k: usize) -> Option<usize> {
        self.word(k).and_then(|w| self.parsed.head_of(w)).map(|h| h + self.base)
    }

    pub(super) fn children(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        let w = self.word(k);
        w.into_iter().flat_map(move |w| self.parsed.children(w).map(move |c| c + self.base))
    }
}

/// The parse of one sentence, made on first use (most sentences with a candidate
/// trigger lose it to the word-order rules before any pass needs the parse).
pub(crate) struct LazyParse<'c, 'm, 'b> {
    cache: &'c mut ParseCache<'m>,
    doc: &'b Doc<'b>,
    index: usize,
    range: Range<usize>,
    done: bool,
}

impl<'c, 'm, 'b> LazyParse<'c, 'm, 'b> {
    /// Sentence `index` (tokens `range` of `doc`), parsed through the document's shared
    /// cache, so a sentence the attribution extractor also reads is parsed once.
    pub fn new(cache: &'c mut ParseCache<'m>, doc: &'b Doc<'b>, index: usize, range: Range<usize>) -> Self {
        LazyParse { cache, doc, index, range, done: false }
    }

    /// The sentence's parse (parsed now if not yet); None without a model.
    pub fn get(&mut self) -> Option<SentenceParse<'_>> {
        let view = self.cache.get(self.doc, self.index, &self.range)?;
        self.done = true;
        Some(SentenceParse { parsed: view.parsed, base: view.base })
    }

    /// The tag of token `k` without a parse if the sentence has none yet (see
    /// `ParseCache::upos`): a pass that needs a verb asks this first.
    pub fn upos(&mut self, k: usize) -> Option<Upos> {
        self.cache.upos(self.doc, self.index, &self.range, k)
    }

    /// Whether the events passes asked for the sentence's parse.
    pub fn done(&self) -> bool {
        self.done
    }
}

/// What the passes read of a candidate.
pub(crate) struct Candidate<'a> {
    /// The trigger's head token (document index).
    pub head: usize,
    /// End of the trigger's head words ("air strike": the head is "air").
    pub head_end: usize,
    /// The word-order rules read the trigger as a noun phrase.
    pub nominal: bool,
    /// The word-order rules read the act as actual (no modal, intent or appeal found).
    pub actual: bool,
    /// The trigger's head word is a past form.
    pub past: bool,
    /// The sentence's entity mentions.
    pub ms: &'a [&'a Mention],
}

/// Run the passes in order; the first that does not keep wins.
pub(crate) fn judge(doc: &Doc, p: &SentenceParse, c: &Candidate) -> Verdict {
    for pass in [not_a_predicate, modal_governed, requested, counterfactual, activity_named, generic_party] {
        let v = pass(doc, p, c);
        if v != Verdict::Keep {
            return v;
        }
    }
    Verdict::Keep
}

/// "the alleged audit", "protest leaders", "attack ads": a participle or adjective
/// modifying a noun, or a noun modifying another, names no act.
fn not_a_predicate(_doc: &Doc, p: &SentenceParse, c: &Candidate) -> Verdict {
    // A modifier inside the trigger ("air strike", "asset freezes") is its own noun.
    if p.head(c.head).is_some_and(|g| g > c.head && g < c.head_end) {
        return Verdict::Keep;
    }
    match (p.upos(c.head), p.deprel(c.head)) {
        (_, Some(Deprel::Amod)) | (Some(Upos::Adj), _) => Verdict::Drop("adjective"),
        (_, Some(Deprel::Compound)) => Verdict::Drop("noun modifier"),
        _ => Verdict::Keep,
    }
}

/// "could attack", "might meet", "should refuse to attend": a modal auxiliary on the
/// trigger or on the verbs whose open complement it is.
fn modal_governed(doc: &Doc, p: &SentenceParse, c: &Candidate) -> Verdict {
    if c.nominal || !c.actual {
        return Verdict::Keep;
    }
    let mut k = c.head;
    // Up the chain of open complements ("should be able to uphold"), a few steps at most.
    for _ in 0..4 {
        let modal = p.children(k).any(|ch| p.deprel(ch) == Some(Deprel::Aux) && WordClass::EventModalAux.has(doc.token_text(ch)));
        if modal {
            return Verdict::Drop("modal");
        }
        // A conjunct shares its first verb's modal ("could be arrested or assassinated").
        match (p.deprel(k), p.head(k)) {
            (Some(Deprel::Xcomp | Deprel::Conj), Some(g)) => k = g,
            _ => break,
        }
    }
    Verdict::Keep
}

/// "asked Congress to reject", "hopes to sign", "willing to discuss": the act is an
/// open clausal complement (xcomp) of a request or a wish.
fn requested(doc: &Doc, p: &SentenceParse, c: &Candidate) -> Verdict {
    if c.nominal || !c.actual || p.deprel(c.head) != Some(Deprel::Xcomp) {
        return Verdict::Keep;
    }
    let Some(g) = p.head(c.head) else {
        return Verdict::Keep;
    };
    if WordClass::RequestGovernors.has(doc.token_text(g)) {
        return Verdict::Drop("requested");
    }
    Verdict::Keep
}

/// "Instead of meeting with leaders", "rather than negotiating everything": an act set
/// against the one that happened did not happen.
fn counterfactual(doc: &Doc, p: &SentenceParse, c: &Candidate) -> Verdict {
    // Right before the trigger, whatever the parse ("instead of meeting with").
    let before = |a: &str, b: &str| c.head >= 2 && word_eq(doc.token_text(c.head - 2), a) && word_eq(doc.token_text(c.head - 1), b);
    if before("instead", "of") || before("rather", "than") {
        return Verdict::Drop("counterfactual");
    }
    if c.nominal {
        return Verdict::Keep;
    }
    let opener = p.children(c.head).any(|k| {
        matches!(p.deprel(k), Some(Deprel::Advmod | Deprel::Mark | Deprel::Case | Deprel::Cc)) && {
            let t = doc.token_text(k);
            word_eq(t, "instead") || word_eq(t, "rather")
        }
    });
    if opener {
        return Verdict::Drop("counterfactual");
    }
    Verdict::Keep
}

/// An -ing form naming a kind of act, not one done: the complement of a noun ("the
/// practicality of confiscating guns", "rules for providing aid", "a strategy for
/// fighting climate change", "a proponent of indicting him") or a clause standing as a
/// subject ("Mocking it ... is shameful", "fighting with his allies makes him stronger").
fn activity_named(doc: &Doc, p: &SentenceParse, c: &Candidate) -> Verdict {
    if c.nominal || !ends_ing(doc.token_text(c.head)) || p.upos(c.head) != Some(Upos::Verb) {
        return Verdict::Keep;
    }
    let own_subject = p.children(c.head).any(|k| matches!(p.deprel(k), Some(Deprel::Nsubj | Deprel::NsubjPass)));
    match p.deprel(c.head) {
        Some(Deprel::Csubj | Deprel::CsubjPass) if !own_subject => Verdict::Drop("activity_subject"),
        Some(Deprel::Acl) if !own_subject => {
            let under_noun = p.head(c.head).is_some_and(|g| p.upos(g) == Some(Upos::Noun));
            let marked = p.children(c.head).any(|k| {
                matches!(p.deprel(k), Some(Deprel::Mark | Deprel::Case))
                    && ["of", "for", "about", "on", "in", "at"].iter().any(|w| word_eq(doc.token_text(k), w))
            });
            if under_noun && marked {
                Verdict::Drop("activity_named")
            } else {
                Verdict::Keep
            }
        }
        _ => Verdict::Keep,
    }
}

fn ends_ing(t: &str) -> bool {
    t.len() > 4 && t.get(t.len() - 3..).is_some_and(|e| e.eq_ignore_ascii_case("ing"))
}

/// Words that head a phrase naming anyone at all: "those who kill", "the only ones
/// rejecting the product", "something that meets the needs".
const ANYONE: &[&str] = &[
    "those",
    "ones",
    "anyone",
    "anybody",
    "everyone",
    "everybody",
    "someone",
    "somebody",
    "whoever",
    "something",
    "anything",
    "everything",
];

/// Determiners that leave a noun phrase indefinite: it names a kind, not a party.
const INDEFINITE: &[&str] = &["a", "an", "some", "any", "many", "most", "few", "several", "all", "no", "every", "each", "other", "such"];

/// Nouns naming a stretch of time, never a party.
const TIME_UNITS: &[&str] = &[
    "year", "years", "month", "months", "week", "weeks", "day", "days", "time", "times", "night", "nights", "decade", "decades", "hour",
    "hours",
];

/// Does the phrase headed by token `k` name no particular party: no name, no
/// possessor, number or definite determiner ("characters", "a campaign", "some
/// homegrown maniac", "those")?
fn generic_head(doc: &Doc, p: &SentenceParse, ms: &[&Mention], k: usize, singular_ok: bool) -> bool {
    let Some(tok) = doc.tokens.get(k) else {
        return false;
    };
    if ms.iter().any(|m| m.span.contains(tok.span)) {
        return false;
    }
    let t = doc.token_text(k);
    if ANYONE.iter().any(|w| word_eq(t, w)) {
        return true;
    }
    // A time, misread as what the participle modifies ("late last year urging him").
    if TIME_UNITS.iter().any(|w| word_eq(t, w)) || classes_of(t) & (WordClass::DateWords.bit() | WordClass::TimeNames.bit()) != 0 {
        return false;
    }
    if p.upos(k) != Some(Upos::Noun) {
        return false;
    }
    p.children(k).all(|ch| match p.deprel(ch) {
        Some(Deprel::Det) => {
            let t = doc.token_text(ch);
            INDEFINITE.iter().any(|w| word_eq(t, w)) && (singular_ok || !(word_eq(t, "a") || word_eq(t, "an")))
        }
        Some(Deprel::NmodPoss | Deprel::Nummod | Deprel::DetPredet) => false,
        _ => true,
    })
}

/// "characters who investigate crimes", "those who kill in the name of", "rebels
/// seeking the removal of Assad", "some homegrown maniac murdering people", "a campaign
/// that's backed by the people": an act in the present (simple, participle or passive)
/// told of a kind of party, not of a particular one, is habitual or generic, no event.
/// Past and perfect relatives ("officers who stopped his accomplice", "who have been
/// pushing for") tell what a party did and stay.
fn generic_party(doc: &Doc, p: &SentenceParse, c: &Candidate) -> Verdict {
    // A head the word order read as a noun may still head the clause ("efforts that aim
    // to partner with").
    let clausal = matches!(p.deprel(c.head), Some(Deprel::Xcomp | Deprel::AclRelcl | Deprel::Acl));
    if (c.nominal && !clausal) || !c.actual {
        return Verdict::Keep;
    }
    // Up the open complements ("efforts that aim to partner with nations").
    let mut v = c.head;
    for _ in 0..3 {
        match (p.deprel(v), p.head(v)) {
            (Some(Deprel::Xcomp), Some(g)) => v = g,
            _ => break,
        }
    }
    let relative = match p.deprel(v) {
        Some(Deprel::AclRelcl) => true,
        Some(Deprel::Acl) => false,
        _ => return Verdict::Keep,
    };
    let Some(g) = p.head(v) else {
        return Verdict::Keep;
    };
    let text = doc.token_text(v);
    let ing = ends_ing(text);
    let past = if v == c.head { c.past } else { text.len() > 3 && text.to_ascii_lowercase().ends_with("ed") };
    let aux: Vec<usize> = p.children(v).filter(|&k| matches!(p.deprel(k), Some(Deprel::Aux | Deprel::AuxPass))).collect();
    let past_aux = aux.iter().any(|&k| {
        let t = doc.token_text(k);
        ["had", "has", "have", "was", "were", "did", "been", "'ve", "’ve", "'d", "’d"].iter().any(|w| word_eq(t, w))
    });
    let present = if relative {
        // Simple present ("who kill"), present progressive or passive ("that's backed").
        !past_aux && (aux.is_empty() && !past || !aux.is_empty())
    } else {
        // A bare participle after the noun ("rebels seeking").
        ing && aux.is_empty()
    };
    if !present {
        return Verdict::Keep;
    }
    // The party the clause tells of: its own subject ("some maniac murdering people"),
    // else the noun it modifies.
    let subject = p
        .children(v)
        .find(|&k| matches!(p.deprel(k), Some(Deprel::Nsubj | Deprel::NsubjPass)) && !super::phrase::is_relative(doc.token_text(k)));
    let party = subject.unwrap_or(g);
    // A participle on one indefinite thing tells what that thing does ("released a plan
    // calling for"); only a relative clause makes it a kind ("a campaign that's backed").
    if generic_head(doc, p, c.ms, party, relative) {
        return Verdict::Drop("generic_party");
    }
    Verdict::Keep
}

/// The trigger is negated by its own dependents ("did not attack", "never met") or by
/// its governor ("stopped short of apologizing", "failed to condemn").
/// Whether `negated` could hold for some parse of sentence `range`: only with a
/// negation or a negating governor among its words. Without one the sentence need not be
/// parsed for it.
pub(crate) fn may_negate(doc: &Doc, range: &Range<usize>) -> bool {
    range.clone().any(|k| {
        let t = doc.token_text(k);
        WordClass::Negations.has(t) || WordClass::NegatingGovernors.has(t)
    })
}

pub(crate) fn negated(doc: &Doc, p: &SentenceParse, head: usize) -> bool {
    let own = p.children(head).any(|k| {
        p.deprel(k) == Some(Deprel::Advmod) && {
            let t = doc.token_text(k);
            ["not", "n't", "n’t", "never"].iter().any(|w| word_eq(t, w))
        }
    });
    if own {
        return true;
    }
    if matches!(p.deprel(head), Some(Deprel::Xcomp | Deprel::Advcl | Deprel::Acl)) {
        if let Some(g) = p.head(head) {
            return WordClass::NegatingGovernors.has(doc.token_text(g));
        }
    }
    false
}

/// Relations that stay inside a noun phrase built around a head.
fn np_rel(d: Deprel) -> bool {
    matches!(d, Deprel::Compound | Deprel::Amod | Deprel::Flat | Deprel::Det | Deprel::NmodPoss | Deprel::Nummod)
}

/// The span of the party headed by token `k`: the entity mention covering it, else the
/// head with its compound / amod / flat / det children (contiguous around it).
fn party_span(doc: &Doc, ms: &[&Mention], range: &Range<usize>, p: &SentenceParse, k: usize) -> Option<Span> {
    let tok = doc.tokens.get(k)?;
    if let Some(m) = ms.iter().find(|m| m.span.contains(tok.span)) {
        return Some(m.span);
    }
    if !matches!(p.upos(k), Some(Upos::Noun | Upos::Propn | Upos::Pron)) {
        return None;
    }
    let (mut a, mut b) = (k, k + 1);
    for c in p.children(k) {
        if p.deprel(c).is_some_and(np_rel) && c >= range.start && c < range.end {
            a = a.min(c);
            b = b.max(c + 1);
        }
    }
    Some(super::phrase::tok_span(doc, a, b))
}

/// Token `k` is tagged a verb heading a clause (the root, a conjunct, a complement or
/// an adverbial or adnominal clause) with an object or clausal complement of its own
/// ("urging lawmakers", "accusing the Times of"), not a noun or a modifier ("the museum
/// shooting last week").
pub(crate) fn clausal_verb(p: &SentenceParse, k: usize) -> bool {
    p.upos(k) == Some(Upos::Verb)
        && p.children(k).any(|c| matches!(p.deprel(c), Some(Deprel::Obj | Deprel::Iobj | Deprel::Ccomp | Deprel::Xcomp)))
        && matches!(
            p.deprel(k),
            Some(
                Deprel::Root
                    | Deprel::Conj
                    | Deprel::Advcl
                    | Deprel::Xcomp
                    | Deprel::Ccomp
                    | Deprel::Acl
                    | Deprel::AclRelcl
                    | Deprel::Parataxis
            )
        )
}

/// Token `k` is tagged a verb or auxiliary.
pub(crate) fn verb_at(p: &SentenceParse, k: usize) -> bool {
    matches!(p.upos(k), Some(Upos::Verb | Upos::Aux))
}

/// Token `k` is tagged a verb with a subject of its own ("employees call for", "that
/// calls on"): a finite clause, not a noun.
pub(crate) fn verb_with_subject(p: &SentenceParse, k: usize) -> bool {
    p.upos(k) == Some(Upos::Verb) && p.children(k).any(|c| matches!(p.deprel(c), Some(Deprel::Nsubj)))
}

/// Is one of the words a sentence needs for `criticism` there? A cheap test before the
/// sentence is parsed for it.
pub(crate) fn may_criticise(doc: &Doc, range: &Range<usize>) -> bool {
    // One table lookup per token: the union of the classes of the sentence's words.
    let k = range.clone().fold(0, |k, t| k | classes_of(doc.token_text(t)));
    let has = |c: WordClass| k & c.bit() != 0;
    (has(WordClass::SpeechVerbs) && has(WordClass::BlameWords))
        || (has(WordClass::NamingVerbs) && (has(WordClass::ScornWords) || has(WordClass::BlameWords)))
}

/// "Trump called Gillum a “thief”", "soldiers called him a deserter", "whom he has
/// described as a “demon”": naming a named party (or a pronoun) something that passes
/// `fits` (scorn or blame; praise for `praises`); the verb, the namer and the named.
fn naming(
    doc: &Doc,
    ms: &[&Mention],
    range: &Range<usize>,
    p: &SentenceParse,
    fits: &dyn Fn(&str) -> bool,
    out: &mut Vec<(usize, Span, Span)>,
) {
    for v in range.clone() {
        if !WordClass::NamingVerbs.has(doc.token_text(v)) || p.upos(v) != Some(Upos::Verb) {
            continue;
        }
        // The one named: the object, or the relative pronoun standing for it ("whom he
        // has described as").
        let Some(named) = p.word(v).and_then(|w| p.parsed.object(w)).map(|o| o + p.base) else {
            continue;
        };
        let Some(target) = party_span(doc, ms, range, p, named) else {
            continue;
        };
        let t = doc.span_text(target);
        let pronoun = super::phrase::is_object_pronoun(t) || word_eq(t, "whom");
        if !(is_name(ms, target) || pronoun) {
            continue;
        }
        // What it is called: the verb's open complement (or a second object), or an
        // "as" phrase ("described him as a liar"), over its subtree.
        let as_phrase = |c: usize| {
            matches!(p.deprel(c), Some(Deprel::Obl | Deprel::Advcl | Deprel::Xcomp))
                && p.children(c).any(|g| matches!(p.deprel(g), Some(Deprel::Case | Deprel::Mark)) && word_eq(doc.token_text(g), "as"))
        };
        let Some(what) = p.children(v).find(|&c| c != named && (matches!(p.deprel(c), Some(Deprel::Xcomp | Deprel::Obj)) || as_phrase(c)))
        else {
            continue;
        };
        if !range.clone().any(|k| under(p, k, what) && fits(doc.token_text(k))) {
            continue;
        }
        // "whom he has described": the antecedent the relative clause hangs on.
        let target = if word_eq(t, "whom") {
            match p.head(v).and_then(|h| party_span(doc, ms, range, p, h)) {
                Some(a) if p.deprel(v) == Some(Deprel::AclRelcl) => a,
                _ => continue,
            }
        } else {
            target
        };
        // The subject, or the noun a quantifier subject is of ("some of his soldiers").
        let subject = p.word(v).and_then(|w| p.parsed.subject(w)).map(|s| s + p.base);
        let namer = subject.and_then(|s| {
            party_span(doc, ms, range, p, s)
                .or_else(|| p.children(s).find(|&c| p.deprel(c) == Some(Deprel::Nmod)).and_then(|c| party_span(doc, ms, range, p, c)))
        });
        let Some(namer) = namer else {
            continue;
        };
        if namer.overlaps(target) {
            continue;
        }
        out.push((v, namer, target));
    }
}

fn scorn_or_blame(t: &str) -> bool {
    WordClass::ScornWords.has(t) || WordClass::BlameWords.has(t)
}

/// Is token `t` inside the subtree of token `root`? (Walks up the heads, a bounded
/// number of steps.)
fn under(p: &SentenceParse, mut t: usize, root: usize) -> bool {
    for _ in 0..64 {
        if t == root {
            return true;
        }
        match p.head(t) {
            Some(h) => t = h,
            None => return false,
        }
    }
    false
}

/// The speaker of a speech verb `v`: its subject's party span, when that is a name, a
/// pronoun, or a common noun naming people ("his prosecutors said Manafort had lied").
fn speech_speaker(doc: &Doc, ms: &[&Mention], range: &Range<usize>, p: &SentenceParse, v: usize) -> Option<Span> {
    if !WordClass::SpeechVerbs.has(doc.token_text(v)) || p.upos(v) != Some(Upos::Verb) {
        return None;
    }
    let subject = p.word(v).and_then(|w| p.parsed.subject(w));
    let speaker = subject.and_then(|s| party_span(doc, ms, range, p, s + p.base))?;
    let ok = is_name(ms, speaker)
        || super::phrase::is_subject_pronoun(doc.span_text(speaker))
        || subject.is_some_and(|sw| p.upos(sw + p.base) == Some(Upos::Noun));
    ok.then_some(speaker)
}

/// Speech that criticises a named target (realnews guidelines: "Biden said Harris
/// mischaracterized his record", "Perez is a radical with a corrupt record, Fitton
/// said"): the speech verb, its speaker and the target, when what is said holds a word
/// of blame and names a person or organisation other than the speaker. Every such
/// statement of the sentence, in text order of its verb, one per verb ("Trump called
/// Gillum a “thief”, and ... he said a caravan ... was “an invasion”" is two).
pub(crate) fn criticisms(doc: &Doc, ms: &[&Mention], range: &Range<usize>, p: &SentenceParse) -> Vec<(usize, Span, Span)> {
    let mut out = Vec::new();
    naming(doc, ms, range, p, &scorn_or_blame, &mut out);
    for v in range.clone() {
        if out.iter().any(|&(w, _, _)| w == v) {
            continue;
        }
        let Some(speaker) = speech_speaker(doc, ms, range, p, v) else { continue };
        // What is said: the verb's clausal complement, or the clause the verb is a
        // parenthetical of ("X is corrupt, he said").
        let down = p.children(v).find(|&c| matches!(p.deprel(c), Some(Deprel::Ccomp | Deprel::Parataxis)));
        // "X is corrupt, he said"; "As Fitton said, X is ...".
        let as_clause = p.deprel(v) == Some(Deprel::Advcl) && p.children(v).any(|c| word_eq(doc.token_text(c), "as"));
        let up = (matches!(p.deprel(v), Some(Deprel::Parataxis | Deprel::Ccomp)) || as_clause).then(|| p.head(v)).flatten();
        let Some(root) = down.or(up) else { continue };
        // Above the verb, what is said is the governing clause minus the verb's own words.
        let inside = |k: usize| under(p, k, root) && (down.is_some() || !under(p, k, v));
        // A blame word modifying a thing ("a dangerous anti-crime detail") blames no
        // one; modifying a name ("crooked Hillary"), or said of one, it does.
        let modifies_no_name = |k: usize| {
            p.deprel(k) == Some(Deprel::Amod)
                && p.head(k)
                    .is_none_or(|h| !ms.iter().any(|m| matches!(m.entity_type, EntityType::Per | EntityType::Org) && m.tokens.contains(&h)))
        };
        // A blame word inside a name blames no one ("Carl Bogus, a law professor").
        let in_name = |k: usize| ms.iter().any(|m| m.tokens.contains(&k));
        let blame = range.clone().any(|k| inside(k) && WordClass::BlameWords.has(doc.token_text(k)) && !modifies_no_name(k) && !in_name(k));
        if !blame {
            continue;
        }
        let target = ms.iter().find(|m| {
            matches!(m.entity_type, EntityType::Per | EntityType::Org)
                && !m.span.overlaps(speaker)
                && m.tokens.start >= range.start
                && m.tokens.start < range.end
                && inside(m.tokens.start)
        });
        if let Some(t) = target {
            out.push((v, speaker, t.span));
        }
    }
    out.sort_by_key(|&(v, _, _)| v);
    out
}

/// Words of praise said of a party: "“Cruz is a brilliant member,” Tillis said" is a
/// SUPPORT (realnews guidelines: praising is an event). Kept here, not in the word
/// classes, which another module owns.
const PRAISE_WORDS: &[&str] = &[
    "great",
    "excellent",
    "outstanding",
    "wonderful",
    "terrific",
    "brave",
    "courageous",
    "honorable",
    "honourable",
    "admirable",
    "remarkable",
    "tremendous",
    "integrity",
    "exceptional",
    "talented",
    "brilliant",
    "heroic",
    "hero",
    "inspiring",
    "inspirational",
    "superb",
    "magnificent",
    "principled",
    "patriot",
    "champion",
    "fantastic",
    "amazing",
    "incredible",
    "extraordinary",
    "extraordinarily",
    "decent",
    "honest",
    "capable",
    "respected",
    "dedicated",
    "kind",
    "gentle",
    "nice",
    "wise",
];

fn praise_word(t: &str) -> bool {
    PRAISE_WORDS.iter().any(|w| word_eq(t, w))
}

/// Is one of the words a sentence needs for `praises` there? A cheap test before the
/// sentence is parsed for it.
pub(crate) fn may_praise(doc: &Doc, range: &Range<usize>) -> bool {
    range.clone().any(|k| WordClass::SpeechVerbs.has(doc.token_text(k)) || WordClass::NamingVerbs.has(doc.token_text(k)))
        && range.clone().any(|k| praise_word(doc.token_text(k)))
}

/// Speech saying a party is something praiseworthy: the speech verb, its speaker and
/// the party, one per verb, in text order. The praise must be the predicate said of
/// the party ("X is a great Speaker", "X was known for his integrity" is not), its
/// subject a person or organisation named other than the speaker, or a third-person
/// pronoun inside a quotation ("“He was a great member, a great Speaker,” said
/// Chabot": the quoted speaker would say "I" of himself; "Scott said he had ..." is
/// Scott). Not "make America great again" (no copula), not "it is a great honor" (no
/// party).
pub(crate) fn praises(doc: &Doc, ms: &[&Mention], range: &Range<usize>, p: &SentenceParse) -> Vec<(usize, Span, Span)> {
    let mut out = Vec::new();
    // Naming a party something praiseworthy ("described him as “an exceptionally
    // decent guy”", "called her “a true hero”"), with no word of scorn or blame in it.
    let mut named = Vec::new();
    naming(doc, ms, range, p, &praise_word, &mut named);
    named.retain(|&(v, _, _)| !range.clone().any(|k| k > v && scorn_or_blame(doc.token_text(k))));
    out.extend(named);
    for v in range.clone() {
        if out.iter().any(|&(w, _, _)| w == v) {
            continue;
        }
        let Some(speaker) = speech_speaker(doc, ms, range, p, v) else { continue };
        let down = p.children(v).find(|&c| matches!(p.deprel(c), Some(Deprel::Ccomp | Deprel::Parataxis)));
        let up = matches!(p.deprel(v), Some(Deprel::Parataxis | Deprel::Ccomp)).then(|| p.head(v)).flatten();
        let Some(root) = down.or(up) else { continue };
        let inside = |k: usize| under(p, k, root) && (down.is_some() || !under(p, k, v));
        // A quotation mark before the pronoun or before the verb ("She's been a great
        // ambassador,” he said": the opening mark may be a sentence back).
        let quoted = |k: usize| (range.start..k.max(v)).any(|j| matches!(doc.token_text(j), "\"" | "“" | "”"));
        let target = range.clone().filter(|&k| inside(k) && praise_word(doc.token_text(k))).find_map(|k| {
            // The predicate: the praise word itself or the noun it modifies or is a part
            // of ("a man of the highest character and unquestionable integrity"), a few
            // steps up, with a copula.
            let copula = |h: usize| p.children(h).any(|c| p.deprel(c) == Some(Deprel::Cop));
            let mut pred = k;
            for _ in 0..3 {
                if copula(pred) || !matches!(p.deprel(pred), Some(Deprel::Amod | Deprel::Conj | Deprel::Nmod)) {
                    break;
                }
                pred = p.head(pred)?;
            }
            if !copula(pred) {
                return None;
            }
            let subj = p.children(pred).find(|&c| p.deprel(c) == Some(Deprel::Nsubj))?;
            let span = party_span(doc, ms, range, p, subj)?;
            let t = doc.span_text(span);
            let named = ms.iter().any(|m| matches!(m.entity_type, EntityType::Per | EntityType::Org) && m.span.overlaps(span));
            let pronoun = THIRD_PERSON.iter().any(|w| word_eq(t, w)) && quoted(subj);
            ((named || pronoun) && !span.overlaps(speaker)).then_some(span)
        });
        if let Some(t) = target {
            out.push((v, speaker, t));
        }
    }
    out.sort_by_key(|&(v, _, _)| v);
    out
}

/// Third-person personal pronouns a quoted statement may praise.
const THIRD_PERSON: &[&str] = &["he", "she", "they"];

/// Is one of the words a sentence needs for `demand_speech` there? A cheap test before
/// the sentence is parsed for it.
pub(crate) fn may_demand(doc: &Doc, range: &Range<usize>) -> bool {
    let k = range.clone().fold(0, |k, t| k | classes_of(doc.token_text(t)));
    let has = |c: WordClass| k & c.bit() != 0;
    has(WordClass::SpeechVerbs) && (has(WordClass::DutyModals) || has(WordClass::DutyNeeds))
}

/// Speech telling a named party what it should or must do (realnews guidelines:
/// "“President Trump should release his own tax returns,” Durbin said"; "He said
/// Republicans shouldn't hold the measure hostage"): the speech verb, its speaker and
/// the party told, when what is said has a clause whose subject names an entity other
/// than the speaker and whose verb carries "should", "must", "ought" or is "need(s)"
/// with an infinitive, and no condition ("if they should").
pub(crate) fn demand_speech(doc: &Doc, ms: &[&Mention], range: &Range<usize>, p: &SentenceParse) -> Option<(usize, Span, Span)> {
    for v in range.clone() {
        if !WordClass::SpeechVerbs.has(doc.token_text(v)) || p.upos(v) != Some(Upos::Verb) {
            continue;
        }
        let Some(speaker) = p.word(v).and_then(|w| p.parsed.subject(w)).and_then(|s| party_span(doc, ms, range, p, s + p.base)) else {
            continue;
        };
        if !(is_name(ms, speaker) || super::phrase::is_subject_pronoun(doc.span_text(speaker))) {
            continue;
        }
        let down = p.children(v).find(|&c| matches!(p.deprel(c), Some(Deprel::Ccomp | Deprel::Parataxis)));
        let up = matches!(p.deprel(v), Some(Deprel::Parataxis | Deprel::Ccomp)).then(|| p.head(v)).flatten();
        // The clause said: the complement, or the clause the verb is a parenthetical of.
        let Some(said) = down.or(up) else { continue };
        // Its own verb, or one conjoined with it.
        let verbs = std::iter::once(said).chain(p.children(said).filter(|&c| p.deprel(c) == Some(Deprel::Conj)));
        for w in verbs {
            if w == v {
                continue;
            }
            let duty = p.children(w).any(|c| p.deprel(c) == Some(Deprel::Aux) && WordClass::DutyModals.has(doc.token_text(c)))
                || (WordClass::DutyNeeds.has(doc.token_text(w)) && p.children(w).any(|c| p.deprel(c) == Some(Deprel::Xcomp)));
            let conditional = p
                .children(w)
                .any(|c| p.deprel(c) == Some(Deprel::Mark) && ["if", "unless", "whether"].iter().any(|x| word_eq(doc.token_text(c), x)));
            if !duty || conditional {
                continue;
            }
            let Some(subj) = p.word(w).and_then(|x| p.parsed.subject(x)).map(|x| x + p.base) else {
                continue;
            };
            // A name, or "they" told by a modal of duty by a speaker who is not "they"
            // ("If Dems are serious about DACA, they should support the Grassley bill!",
            // Trump added); "they need …" is as often a want as a duty (allsides-dev).
            let modal = p.children(w).any(|c| p.deprel(c) == Some(Deprel::Aux) && WordClass::DutyModals.has(doc.token_text(c)));
            let told =
                ms.iter().find(|m| m.span.contains(doc.tokens[subj].span) && !m.span.overlaps(speaker)).map(|m| m.span).or_else(|| {
                    let t = doc.tokens[subj].span;
                    (modal && word_eq(doc.span_text(t), "they") && !word_eq(doc.span_text(speaker), "they")).then_some(t)
                });
            let Some(told) = told else {
                continue;
            };
            return Some((v, speaker, told));
        }
    }
    None
}

/// True when span `s` is, or lies in, an entity mention.
pub(crate) fn is_name(ms: &[&Mention], s: Span) -> bool {
    ms.iter().any(|m| m.span.overlaps(s))
}

/// The doer of a participle adjunct after a comma ("Democrats hammered Trump, accusing
/// him of ...", "senators wrote to Gottlieb, urging him not to"): the subject of the
/// clause the participle hangs on, when the participle has none of its own. The word
/// before the comma is that clause's object, not the doer.
pub(crate) fn adjunct_subject(doc: &Doc, ms: &[&Mention], range: &Range<usize>, p: &SentenceParse, head: usize) -> Option<Span> {
    if head <= range.start || !ends_ing(doc.token_text(head)) {
        return None;
    }
    let w = p.word(head)?;
    if !matches!(p.deprel(head), Some(Deprel::Advcl | Deprel::Xcomp | Deprel::Conj)) || p.parsed.subject(w).is_some() {
        return None;
    }
    let gov = p.head(head)?;
    // Without the comma, a bare participle adjunct of an active verb ("protesters
    // marched through the capital demanding détente"); not one opened by a
    // preposition or conjunction ("accused X of attacking", "after meeting").
    if doc.token_text(head - 1) != ","
        && (p.deprel(head) != Some(Deprel::Advcl)
            || p.children(head).any(|c| matches!(p.deprel(c), Some(Deprel::Mark | Deprel::Case)))
            || p.word(gov).is_none_or(|g| p.parsed.is_passive(g))
            || WordClass::BeHave.has(doc.token_text(gov)))
    {
        return None;
    }
    // The clause right before the comma: no other verb between ("announced the date
    // after Kim removed a barrier, releasing three Americans" has Kim release them).
    if !verb_at(p, gov) || gov >= head || (gov + 1..head).any(|k| p.upos(k) == Some(Upos::Verb)) {
        return None;
    }
    let subj = p.parsed.subject(p.word(gov)?)? + p.base;
    party_span(doc, ms, range, p, subj)
}

/// Actor and recipient from the parse: the subject (or the agent of a passive, whose
/// subject is then the recipient) and the object.
pub(crate) fn parties(doc: &Doc, ms: &[&Mention], range: &Range<usize>, p: &SentenceParse, head: usize) -> (Option<Span>, Option<Span>) {
    let Some(w) = p.word(head) else {
        return (None, None);
    };
    let parsed = p.parsed;
    let span = |i: usize| party_span(doc, ms, range, p, i + p.base);
    if parsed.is_passive(w) {
        // The agent of a conjoined participle is the agent of both ("was shot and killed
        // by a police officer").
        let agent =
            parsed.agent(w).or_else(|| parsed.children(w).filter(|&c| parsed.deprel[c] == Deprel::Conj).find_map(|c| parsed.agent(c)));
        let actor = agent.and_then(span);
        let recipient = parsed.subject(w).and_then(span);
        return (actor, recipient);
    }
    let actor = parsed.subject(w).and_then(span);
    let recipient = parsed.object(w).and_then(span);
    (actor, recipient)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::parse::ParseModel;

    /// The verdict for the trigger `word` of `text` (one sentence), with the parse of
    /// the builtin model; `nominal` as the word-order rules read it.
    fn verdict(text: &str, word: &str, nominal: bool) -> Verdict {
        let doc = Doc::new(text);
        let range = doc.sentences[0].tokens.clone();
        let words: Vec<&str> = range.clone().map(|k| doc.token_text(k)).collect();
        let mut parsed = Parsed::default();
        ParseModel::builtin().expect("builtin parse model").parse(&words, &mut parsed);
        let head = range.clone().find(|&k| doc.token_text(k) == word).expect("trigger word in text");
        let p = SentenceParse { parsed: &parsed, base: range.start };
        let past = doc.token_text(head).ends_with("ed");
        judge(&doc, &p, &Candidate { head, head_end: head + 1, nominal, actual: true, past, ms: &[] })
    }

    fn negation(text: &str, word: &str) -> bool {
        let doc = Doc::new(text);
        let range = doc.sentences[0].tokens.clone();
        let words: Vec<&str> = range.clone().map(|k| doc.token_text(k)).collect();
        let mut parsed = Parsed::default();
        ParseModel::builtin().expect("builtin parse model").parse(&words, &mut parsed);
        let head = range.clone().find(|&k| doc.token_text(k) == word).expect("trigger word in text");
        negated(&doc, &SentenceParse { parsed: &parsed, base: range.start }, head)
    }

    /// `may_negate` is false only where `negated` is false for every head, whatever
    /// the parse: no negation or negating governor among the words.
    #[test]
    fn may_negate_holds_wherever_a_negation_could() {
        let may = |text: &str| {
            let doc = Doc::new(text);
            may_negate(&doc, &doc.sentences[0].tokens)
        };
        assert!(!may("Troops attacked the town on Monday."));
        assert!(may("Troops did not attack the town."));
        assert!(may("Troops didn’t attack the town."));
        assert!(may("Troops never attacked the town."));
        assert!(may("The talks failed to produce a deal."));
        assert!(may("He REFUSED to meet them."));
        for (text, word) in [("Troops did not attack the town.", "attack"), ("The envoy refused to meet the rebels.", "meet")] {
            assert!(negation(text, word) && may(text), "{text}");
        }
        assert!(!negation("Troops attacked the town on Monday.", "attacked"));
    }

    #[test]
    fn adjectival_participle_and_noun_modifier_drop() {
        assert_eq!(verdict("The committee released the alleged audit on Friday.", "alleged", false), Verdict::Drop("adjective"));
        assert_eq!(verdict("The campaign aired attack ads against him.", "attack", false), Verdict::Drop("noun modifier"));
        // The same words as predicates stay.
        assert_eq!(verdict("The senator alleged that the audit was rigged.", "alleged", false), Verdict::Keep);
        assert_eq!(verdict("Thousands protest in the capital.", "protest", false), Verdict::Keep);
    }

    #[test]
    fn modal_drops_and_reaches_through_open_complements() {
        assert_eq!(verdict("Russia could attack Ukraine.", "attack", false), Verdict::Drop("modal"));
        assert_eq!(verdict("He should refuse to attend the summit.", "attend", false), Verdict::Drop("modal"));
        assert_eq!(verdict("They could be arrested or assassinated.", "assassinated", false), Verdict::Drop("modal"));
        assert_eq!(verdict("Russia attacked Ukraine.", "attacked", false), Verdict::Keep);
        // Read as modal by the word-order rules already: not this pass's call.
        let doc = Doc::new("Russia could attack Ukraine.");
        let range = doc.sentences[0].tokens.clone();
        let words: Vec<&str> = range.clone().map(|k| doc.token_text(k)).collect();
        let mut parsed = Parsed::default();
        ParseModel::builtin().expect("model").parse(&words, &mut parsed);
        let c = Candidate { head: 2, head_end: 3, nominal: false, actual: false, past: false, ms: &[] };
        assert_eq!(judge(&doc, &SentenceParse { parsed: &parsed, base: 0 }, &c), Verdict::Keep);
    }

    #[test]
    fn requested_act_drops() {
        assert_eq!(verdict("The petition asked Congress to reject the bill.", "reject", false), Verdict::Drop("requested"));
        assert_eq!(verdict("She urged them to condemn the attack.", "condemn", false), Verdict::Drop("requested"));
        assert_eq!(verdict("Congress rejected the bill.", "rejected", false), Verdict::Keep);
    }

    #[test]
    fn negation_from_dependents_and_governors() {
        assert!(negation("Kenya did not attack the camp.", "attack"));
        assert!(negation("He never met the president.", "met"));
        assert!(negation("She stopped short of apologizing to the senator.", "apologizing"));
        assert!(!negation("Kenya attacked the camp.", "attacked"));
    }

    #[test]
    fn speech_blaming_a_named_target() {
        let doc = Doc::new("Biden, for his part, said Harris mischaracterized his record on race.");
        let range = doc.sentences[0].tokens.clone();
        let words: Vec<&str> = range.clone().map(|k| doc.token_text(k)).collect();
        let mut parsed = Parsed::default();
        ParseModel::builtin().expect("model").parse(&words, &mut parsed);
        let p = SentenceParse { parsed: &parsed, base: range.start };
        let mention = |name: &str| {
            let start = doc.text.find(name).expect("name");
            let span = Span::new(start, start + name.len());
            let a = range.clone().find(|&k| doc.tokens[k].span.start == span.start).expect("token");
            Mention { span, tokens: a..a + 1, sentence: 0, entity_type: EntityType::Per, confidence: 0.9 }
        };
        let ms = [mention("Biden"), mention("Harris")];
        let refs: Vec<&Mention> = ms.iter().collect();
        assert!(may_criticise(&doc, &range));
        let (v, a, t) = criticisms(&doc, &refs, &range, &p).first().copied().expect("criticism");
        assert_eq!((doc.token_text(v), doc.span_text(a), doc.span_text(t)), ("said", "Biden", "Harris"));
        // Praise holds no word of blame.
        let doc = Doc::new("Biden said Harris defended his record on race.");
        assert!(!may_criticise(&doc, &doc.sentences[0].tokens.clone()));
    }

    #[test]
    fn parties_from_subject_object_and_passive_agent() {
        let doc = Doc::new("The rebels were attacked by government troops.");
        let range = doc.sentences[0].tokens.clone();
        let words: Vec<&str> = range.clone().map(|k| doc.token_text(k)).collect();
        let mut parsed = Parsed::default();
        ParseModel::builtin().expect("model").parse(&words, &mut parsed);
        let p = SentenceParse { parsed: &parsed, base: range.start };
        let head = range.clone().find(|&k| doc.token_text(k) == "attacked").expect("verb");
        let (a, r) = parties(&doc, &[], &range, &p, head);
        assert_eq!(a.map(|s| doc.span_text(s)), Some("government troops"));
        assert_eq!(r.map(|s| doc.span_text(s)), Some("The rebels"));
    }
}
