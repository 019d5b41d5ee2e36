//! Repairs of the tagger's output that the knowledge base and the titles list can make
//! with certainty, applied to every tagged document:
//! - a mention that is only a title abbreviation ("Sens." in "Sens. Ted Cruz and Mike Lee")
//!   is no entity: the tagger learned capitalised abbreviations before names as names;
//! - a mention that is only a common noun written in capitals ("PAC" and "super PAC", a
//!   kind of committee, not one) is no entity;
//! - a MISC mention that is one hyphenated word with a lowercase tail ("U.S.-sanctioned",
//!   "Iranian-backed") is a compound modifier, not a thing a user counts; CoNLL marks
//!   them MISC, so the tagger learned them; such a word opening a longer mention is cut
//!   off it ("U.S.-sanctioned Venezuelan" is "Venezuelan");
//! - a one-word mention that is a pronoun, auxiliary, determiner or interjection ("He",
//!   "Do", "Hey" opening a sentence or a quote) is no entity: the tagger reads a capital
//!   as a name; "May" and "Will" stay (surnames and first names);
//! - a party-and-state tag ("D-Calif", "R-Texas") and a time zone after a clock time
//!   ("8 p.m. ET") are no entities: the document features of the tagger took them for
//!   MISC/ORG and LOC in US news;
//! - a person mention is cut to its name (issue 13, allsides-dev): a leading sentence
//!   adverb or conjunction ("And Obama", "Though Obama", "Given Trump") or sentence-opening
//!   gerund before a knowledge-base person ("Denouncing Obama") goes, and so does
//!   everything from a lowercase word, quote, possessive or dash on ("Trump may have",
//!   "Obama’s longest-serving", "Kim” had “affirmed") and a trailing weekday ("Donald
//!   Trump Saturday"); name particles ("bin", "de", "van") and "Bill and Hillary Clinton"
//!   stay; a photo credit ("Mark Wilson/Getty") is no person;
//! - a hyphenated pair of places or nationalities ("U.S.-Mexico", "Israeli-Palestinian")
//!   is a modifier of two places, not a thing of its own: no entity;
//! - a mention inside a web address, e-mail address or handle ("@SenJohnMcCain",
//!   "Sammy.Roth@desertsun.com", "#Reaganhttps://t.co/…") is no mention of a name as
//!   written in the text (1,638 of them on allsides-dev, from embedded tweets and
//!   bylines), and a weekday alone ("Fridays", "Sunday") is a date, not an entity;
//! - a named storm ("Hurricane Irma", "Tropical Storm Isaac", "Superstorm Sandy") is an
//!   event, MISC, whatever type the tagger gave it (allsides-dev had them as PER, LOC
//!   and ORG);
//! - one mention over two knowledge-base names joined by "and" ("House and Senate", "Bush
//!   and Obama") is two mentions, each of its own type, unless the whole is a name too;
//! - a mention whose one to three preceding words make it a knowledge-base name is widened
//!   to that name, with the knowledge base's type ("Planned Parenthood", not
//!   "Parenthood"; "State of the Union", not an ORG "Union"); persons are not widened,
//!   since a title before a name is a role that normalize splits off.

use crate::nlp::events::lexicon::word_eq;
use crate::nlp::gazetteer::{lookup_key, lookup_key_into, Gazetteer};
use crate::nlp::kb::Kb;
use crate::nlp::{Doc, Mention, Span};

/// Titles that precede names; alone they are no entity.
const TITLE_ABBREVIATIONS: &[&str] = &[
    "sen", "sens", "rep", "reps", "gov", "govs", "gen", "gens", "lt", "sgt", "col", "capt", "cmdr", "adm", "pres", "mr", "mrs", "ms", "dr",
];

/// At most this many words widen a mention to a knowledge-base name.
const MAX_WIDEN_WORDS: usize = 3;

pub fn fix_mentions(doc: &Doc, mentions: &mut Vec<Mention>) {
    for m in mentions.iter_mut() {
        if m.tokens.len() >= 2 && is_compound_word(doc.token_text(m.tokens.start)) {
            m.tokens.start += 1;
            m.span.start = doc.tokens[m.tokens.start].span.start;
        }
    }
    let g = Gazetteer::builtin();
    // Before any cut: trimming a person at its apostrophe leaves "Ca" of "Can't".
    mentions.retain_mut(|m| !is_function_word(doc, m) && trim_person(doc, m));
    for m in mentions.iter_mut() {
        cut_run_on_name(doc, m);
        cut_trailing_setting(doc, m, g);
    }
    for i in 0..mentions.len() {
        let floor = if i > 0 { mentions[i - 1].tokens.end } else { 0 };
        widen_to_storm_word(doc, &mut mentions[i], floor);
    }
    for m in mentions.iter_mut() {
        if is_named_storm(doc, m) {
            m.entity_type = crate::nlp::EntityType::Misc;
        }
    }
    mentions.retain(|m| {
        !is_photo_credit(doc, m)
            && !is_in_address(doc, m)
            && !is_weekday(doc, m)
            && !is_place_pair(doc, m, g)
            && !is_abbreviation_only(doc, m)
            && !is_common_noun(doc, m)
            && !is_compound_modifier(doc, m)
            && !is_party_tag(doc, m)
            && !is_time_zone(doc, m)
            && !is_function_word(doc, m)
    });
    let kb = Kb::builtin();
    split_conjunctions(doc, mentions, kb);
    let mut key = String::new();
    for i in 0..mentions.len() {
        let m = &mentions[i];
        let Some(sentence) = doc.sentences.get(m.sentence) else { continue };
        // The widened mention may not reach into the previous mention or sentence.
        let floor = if i > 0 && mentions[i - 1].sentence == m.sentence { mentions[i - 1].tokens.end } else { sentence.tokens.start };
        let lowest = m.tokens.start.saturating_sub(MAX_WIDEN_WORDS).max(floor);
        for start in lowest..m.tokens.start {
            let span = Span { start: doc.tokens[start].span.start, end: m.span.end };
            let Some(text) = doc.text.get(span.range()) else { continue };
            if text.contains('\n') {
                continue;
            }
            lookup_key_into(text, &mut key);
            // The widened words must be capitalised or function words of a name
            // ("of the"), never a lowercase verb or a sentence opener like "The".
            let first = doc.token_text(start);
            if !capitalised(first) || first.eq_ignore_ascii_case("the") {
                continue;
            }
            // Persons are left alone: their KB aliases hold titles ("President Trump")
            // that normalize splits off as roles.
            if let Some(entry) = kb.strong(&key).filter(|e| e.entity_type != crate::nlp::EntityType::Per) {
                let m = &mut mentions[i];
                m.span = span;
                m.tokens = start..m.tokens.end;
                m.entity_type = entry.entity_type;
                break;
            }
        }
    }
    widen_right(doc, mentions, kb, &mut key);
    add_web_outlets(doc, mentions, kb);
}

/// A web domain the knowledge base knows as an outlet or organisation ("told
/// FoxNews.com", "Politico.com") is a mention of it where the tagger left it out: the
/// tokenizer keeps "FoxNews.com" one word (so "told FoxNews.com." ends its sentence
/// where it should), and the tagger, which learned no such words, tags few of them.
fn add_web_outlets(doc: &Doc, mentions: &mut Vec<Mention>, kb: &Kb) {
    let mut added: Vec<Mention> = Vec::new();
    let mut next = 0;
    for (t, tok) in doc.tokens.iter().enumerate() {
        let word = doc.token_text(t);
        let Some((stem, tld)) = word.rsplit_once('.') else { continue };
        if stem.is_empty() || !crate::nlp::token::DOMAINS.contains(&tld) {
            continue;
        }
        // Mentions are in text order: skip those that end before this token.
        while next < mentions.len() && mentions[next].tokens.end <= t {
            next += 1;
        }
        if mentions.get(next).is_some_and(|m| m.tokens.start <= t) {
            continue;
        }
        let Some(entry) = kb.strong(&lookup_key(word)).or_else(|| kb.strong(&lookup_key(stem))) else { continue };
        if entry.entity_type != crate::nlp::EntityType::Org {
            continue;
        }
        added.push(Mention {
            span: tok.span,
            tokens: t..t + 1,
            sentence: doc.sentence_of(tok.span.start),
            entity_type: entry.entity_type,
            confidence: 0.5,
        });
    }
    if !added.is_empty() {
        mentions.extend(added);
        mentions.sort_by_key(|m| m.tokens.start);
    }
}

/// At most this many tokens widen a mention rightwards ("Roe" "v" "." "Wade").
const MAX_WIDEN_RIGHT_TOKENS: usize = 4;

/// A mention whose next one to four tokens, ending in a capitalised word, make it a
/// knowledge-base name is widened to that name with the knowledge base's type, over a
/// following mention the tagger split off: allsides-dev had "Mitch" ORG beside
/// "McConnell", "Alexandria" LOC beside "Ocasio-Cortez", "American Civil Liberties"
/// before "Union", "Green New" before "Deal" and "Roe" LOC before "Wade". A following
/// mention the widened one covers goes; one it reaches into keeps its rest from the next
/// capitalised word ("Wade and HealthCare" after "Roe v." is "HealthCare").
fn widen_right(doc: &Doc, mentions: &mut Vec<Mention>, kb: &Kb, key: &mut String) {
    let mut i = 0;
    while i < mentions.len() {
        let m = &mentions[i];
        let Some(sentence) = doc.sentences.get(m.sentence) else {
            i += 1;
            continue;
        };
        let ceiling = (m.tokens.end + MAX_WIDEN_RIGHT_TOKENS).min(sentence.tokens.end).min(doc.tokens.len());
        // Most mentions open no knowledge-base name: one look-up decides.
        let opens = (m.tokens.end < ceiling)
            && doc.text.get(m.span.range()).is_some_and(|t| {
                lookup_key_into(t, key);
                kb.opens_strong(key)
            });
        if !opens {
            i += 1;
            continue;
        }
        let mut widened = None;
        for end in (m.tokens.end + 1..=ceiling).rev() {
            if !capitalised(doc.token_text(end - 1)) {
                continue;
            }
            let span = Span { start: m.span.start, end: doc.tokens[end - 1].span.end };
            let Some(text) = doc.text.get(span.range()) else { continue };
            if text.contains('\n') {
                continue;
            }
            lookup_key_into(text, key);
            if let Some(entry) = kb.strong(key) {
                widened = Some((span, end, entry.entity_type));
                break;
            }
        }
        let Some((span, end, ty)) = widened else {
            i += 1;
            continue;
        };
        let m = &mut mentions[i];
        m.span = span;
        m.tokens.end = end;
        m.entity_type = ty;
        // The mentions it reaches into.
        let mut j = i + 1;
        while j < mentions.len() && mentions[j].tokens.start < end {
            let rest = (end..mentions[j].tokens.end).find(|&k| capitalised(doc.token_text(k)));
            match rest {
                Some(k) => {
                    let n = &mut mentions[j];
                    n.tokens.start = k;
                    n.span.start = doc.tokens[k].span.start;
                    j += 1;
                }
                None => {
                    mentions.remove(j);
                }
            }
        }
        i += 1;
    }
}

/// "House and Senate", "Bush and Obama", "Guardian and The Washington Post": one mention
/// the tagger ran over two names joined by "and" is two mentions when each side is a
/// knowledge-base name (or one side is and the other a known surname) and the whole is
/// not ("Centers for Disease Control and Prevention", "Trinidad and Tobago" stay; so do
/// "Bill and Hillary Clinton", whose "Bill" is no name the knowledge base holds alone).
/// Each side takes its knowledge-base type; a surname side is a person.
fn split_conjunctions(doc: &Doc, mentions: &mut Vec<Mention>, kb: &Kb) {
    use crate::nlp::EntityType;
    let side_text = |a: usize, b: usize| doc.text.get(doc.tokens[a].span.start as usize..doc.tokens[b - 1].span.end as usize);
    // The type a side would take: its strong entry's, or PER for a known surname.
    let side = |a: usize, b: usize| -> Option<(EntityType, bool)> {
        let key = lookup_key(side_text(a, b)?);
        if let Some(e) = kb.strong(&key) {
            return Some((e.entity_type, true));
        }
        (b - a == 1 && (kb.weak(&key).is_some() || kb.is_shared_surname(&key))).then_some((EntityType::Per, false))
    };
    let mut splits: Vec<(usize, usize, EntityType, EntityType)> = Vec::new();
    for (i, m) in mentions.iter().enumerate() {
        let r = m.tokens.clone();
        if r.len() < 3 || r.end > doc.tokens.len() {
            continue;
        }
        let mut ands = (r.start + 1..r.end - 1).filter(|&k| doc.token_text(k) == "and");
        let (Some(k), None) = (ands.next(), ands.next()) else { continue };
        let Some(whole) = side_text(r.start, r.end) else { continue };
        if whole.contains('\n') || kb.strong(&lookup_key(whole)).is_some() {
            continue;
        }
        // A full knowledge-base name on one side lets the other be any capitalised name,
        // typed as the tagger typed the whole ("Roe v. Wade and HealthCare.gov").
        let capitalised_side = |a: usize, b: usize| {
            (a..b).all(|t| {
                let w = doc.token_text(t);
                capitalised(w) || matches!(w, "of" | "the" | "v." | "." | "&")
            })
        };
        let full_name = |a: usize, b: usize| b - a >= 2 && side(a, b).is_some_and(|(_, strong)| strong);
        let (ta, sa, tb, sb) = match (side(r.start, k), side(k + 1, r.end)) {
            (Some((ta, sa)), Some((tb, sb))) => (ta, sa, tb, sb),
            (Some((ta, true)), None)
                if full_name(r.start, k) && capitalised_side(k + 1, r.end) && (ta != EntityType::Per || r.end - k > 2) =>
            {
                (ta, true, m.entity_type, true)
            }
            // Not "Bill and Hillary Clinton": a given name before a person's full name.
            (None, Some((tb, true)))
                if full_name(k + 1, r.end) && capitalised_side(r.start, k) && (tb != EntityType::Per || k - r.start > 1) =>
            {
                (m.entity_type, true, tb, true)
            }
            _ => continue,
        };
        let surname_with_person = |strong: bool, other: EntityType| strong || other == EntityType::Per;
        if !(sa || sb) || !surname_with_person(sa, tb) || !surname_with_person(sb, ta) || side_text(r.start, k) == side_text(k + 1, r.end) {
            continue;
        }
        splits.push((i, k, ta, tb));
    }
    if splits.is_empty() {
        return;
    }
    let mut out = Vec::with_capacity(mentions.len() + splits.len());
    let mut next = splits.iter().peekable();
    for (i, m) in mentions.drain(..).enumerate() {
        let Some(&(_, k, ta, tb)) = next.next_if(|s| s.0 == i) else {
            out.push(m);
            continue;
        };
        let part = |a: usize, b: usize, ty: EntityType| Mention {
            span: Span { start: doc.tokens[a].span.start, end: doc.tokens[b - 1].span.end },
            tokens: a..b,
            entity_type: ty,
            ..m.clone()
        };
        out.push(part(m.tokens.start, k, ta));
        out.push(part(k + 1, m.tokens.end, tb));
    }
    *mentions = out;
}

/// The longest run of non-space characters looked at around a mention.
const MAX_ADDRESS_CHARS: usize = 120;

/// True when the mention sits in a whitespace-free run that holds an address mark: "@"
/// (handles, e-mail), "://" or "www." (links), "pic.twitter".
fn is_in_address(doc: &Doc, m: &Mention) -> bool {
    let (start, end) = (m.span.start as usize, m.span.end as usize);
    let (Some(before), Some(after)) = (doc.text.get(..start), doc.text.get(end..)) else {
        return false;
    };
    // The run's byte bounds, at most MAX_ADDRESS_CHARS characters either side.
    let run_start =
        before.char_indices().rev().take(MAX_ADDRESS_CHARS).take_while(|(_, c)| !c.is_whitespace()).last().map_or(start, |(i, _)| i);
    let run_end = end
        + after.char_indices().take(MAX_ADDRESS_CHARS).take_while(|(_, c)| !c.is_whitespace()).last().map_or(0, |(i, c)| i + c.len_utf8());
    let Some(run) = doc.text.get(run_start..run_end) else { return false };
    let has = |mark: &[u8]| run.as_bytes().windows(mark.len()).any(|w| w.eq_ignore_ascii_case(mark));
    run.contains('@') || has(b"://") || has(b"www.") || has(b"pic.twitter")
}

/// A one-word mention that is a weekday, singular or plural ("Friday", "Sundays").
fn is_weekday(doc: &Doc, m: &Mention) -> bool {
    if m.tokens.len() != 1 {
        return false;
    }
    let w = doc.token_text(m.tokens.start);
    let w = w.strip_suffix('s').unwrap_or(w);
    WEEKDAYS.iter().any(|d| word_eq(w, d))
}

/// Words that open a storm's name.
const STORM_WORDS: &[&str] = &["hurricane", "superstorm", "typhoon", "cyclone"];

/// "Hurricane Irma", "Typhoon Haiyan", "Tropical Storm Isaac", "Superstorm Sandy": a
/// storm word, then a capitalised name.
/// "Hurricane [Maria]": a name right after a capitalised storm word takes the word in
/// (allsides-dev had "Maria" as a person 49 times, "Sandy" 65, "Harvey" beside Harvey
/// Weinstein), so the storm is one MISC entity. `floor`: the previous mention's end.
fn widen_to_storm_word(doc: &Doc, m: &mut Mention, floor: usize) {
    let start = m.tokens.start;
    if start == 0 || m.tokens.len() > 2 {
        return;
    }
    let Some(sentence) = doc.sentences.get(m.sentence) else { return };
    let word = doc.token_text(start - 1);
    let new_start = if capitalised(word) && STORM_WORDS.iter().any(|w| word_eq(word, w)) {
        start - 1
    } else if start >= 2
        && word_eq(word, "storm")
        && word_eq(doc.token_text(start - 2), "tropical")
        && capitalised(doc.token_text(start - 2))
    {
        start - 2
    } else {
        return;
    };
    if new_start < sentence.tokens.start || new_start < floor {
        return;
    }
    m.tokens.start = new_start;
    m.span.start = doc.tokens[new_start].span.start;
}

fn is_named_storm(doc: &Doc, m: &Mention) -> bool {
    let mut t = m.tokens.start;
    if m.tokens.len() >= 3 && word_eq(doc.token_text(t), "tropical") && word_eq(doc.token_text(t + 1), "storm") {
        t += 2;
    } else if m.tokens.len() >= 2 && STORM_WORDS.iter().any(|w| word_eq(doc.token_text(t), w)) {
        t += 1;
    } else {
        return false;
    }
    t < m.tokens.end && capitalised(doc.token_text(t))
}

/// "SAUL LOEB AFP/Getty Images", "Photo: AP/Reuters": a photo credit of any type is no
/// entity (a person's is dropped by `trim_person`).
fn is_photo_credit(doc: &Doc, m: &Mention) -> bool {
    let Some(t) = doc.text.get(m.span.range()) else {
        return false;
    };
    t.contains('/') && ["Getty", "AFP/", "/AFP", "AP/", "/AP", "Reuters/", "/Reuters", "Images"].iter().any(|w| t.contains(w))
}

/// "Duke University in Durham", "Republican National Convention in Cleveland in July": a
/// name of two or more words followed by "in" and a gazetteer place or date words is cut
/// before that "in" (the place or date is its setting, not its name). Names holding "in"
/// before other words ("Partners in Health", "al-Qaeda in the Arabian Peninsula") stay.
fn cut_trailing_setting(doc: &Doc, m: &mut Mention, g: &Gazetteer) {
    if m.entity_type == crate::nlp::EntityType::Per || m.tokens.len() < 4 {
        return;
    }
    let ins: Vec<usize> = (m.tokens.start + 2..m.tokens.end - 1).filter(|&k| doc.token_text(k) == "in").collect();
    for (i, &k) in ins.iter().enumerate() {
        // The setting runs to the next "in" or the mention's end.
        let end = ins.get(i + 1).copied().unwrap_or(m.tokens.end);
        let tail = doc.text.get(doc.tokens[k + 1].span.start as usize..doc.tokens[end - 1].span.end as usize).unwrap_or("");
        let date = (k + 1..end).all(|j| crate::nlp::events::phrase::is_date_word(doc.token_text(j)));
        if date || g.place(tail).is_some() {
            m.tokens.end = k;
            m.span.end = doc.tokens[k - 1].span.end;
            return;
        }
    }
}

/// Lowercase words that join the capitalised words of an organisation's or a place's
/// name ("Bank of America", "Doctors without Borders", "Partners in Health").
const NAME_JOINERS: &[&str] = &[
    "of", "and", "the", "for", "in", "on", "at", "to", "de", "du", "la", "le", "del", "des", "y", "von", "van", "der", "upon", "against",
    "with", "without", "al", "bin", "el", "a", "an", "&", "over", "under", "from", "by",
];

/// "Office of Management and Budget in charge of the", "Court already held, in Glossip":
/// an organisation, place or other name is cut before its first lowercase word that joins
/// no name, or a comma before a lowercase word, (the tagger ran on into the sentence); joining words left at the
/// end go too. Tokens with a capital, a digit or a hyphen ("al-Qaeda") stay.
fn cut_run_on_name(doc: &Doc, m: &mut Mention) {
    if m.entity_type == crate::nlp::EntityType::Per || m.tokens.len() < 3 {
        return;
    }
    let mut b = m.tokens.end;
    for k in m.tokens.start + 1..m.tokens.end {
        let w = doc.token_text(k);
        let plain_lower = w.chars().next().is_some_and(char::is_lowercase) && w.chars().all(|c| c.is_alphabetic() && c.is_lowercase());
        // A comma before a capitalised word stays ("Washington, D.C.", "University of
        // California, Berkeley").
        let comma = w == "," && (k + 1 >= m.tokens.end || doc.token_text(k + 1).chars().next().is_some_and(char::is_lowercase));
        if comma || (plain_lower && !NAME_JOINERS.iter().any(|j| word_eq(w, j))) {
            b = k;
            break;
        }
    }
    while b > m.tokens.start + 1 && NAME_JOINERS.iter().any(|j| word_eq(doc.token_text(b - 1), j)) {
        b -= 1;
    }
    if b < m.tokens.end {
        m.tokens.end = b;
        m.span.end = doc.tokens[b - 1].span.end;
    }
}

/// Words that open a sentence or clause before a name and are never part of it
/// (compared folded).
const OPENERS: &[&str] = &[
    "and",
    "but",
    "or",
    "so",
    "then",
    "though",
    "although",
    "given",
    "because",
    "since",
    "after",
    "before",
    "while",
    "as",
    "if",
    "when",
    "also",
    "even",
    "yet",
    "still",
    "now",
    "meanwhile",
    "instead",
    "like",
    "unlike",
    "with",
    "without",
    "for",
    "from",
    "to",
    "in",
    "on",
    "at",
    "by",
    "of",
    "about",
    "against",
    "under",
    "over",
    "during",
    "until",
    "despite",
    "through",
    "says",
    "said",
    "asked",
    "unless",
    "whether",
    "once",
    "both",
    "either",
    "neither",
    "all",
    "only",
    "just",
    "not",
    "no",
    "than",
    "into",
    "amid",
    "among",
    "between",
    "whereas",
    "why",
    "what",
    "where",
    "who",
    "how",
    "the",
    "this",
    "that",
    "these",
    "those",
    "a",
    "an",
    "is",
    "was",
    "has",
    "had",
];

/// Lowercase words inside personal names ("Osama bin Laden", "Charles de Gaulle").
const PARTICLES: &[&str] = &[
    "bin", "binti", "ibn", "al", "el", "abu", "de", "del", "della", "der", "den", "di", "da", "das", "do", "dos", "du", "la", "le", "van",
    "von", "ter", "y", "e", "zu", "st.",
];

const WEEKDAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Cuts a person mention to its name (see the module doc); false when nothing of a
/// person is left (a photo credit).
fn trim_person(doc: &Doc, m: &mut Mention) -> bool {
    if m.entity_type != crate::nlp::EntityType::Per || m.tokens.len() < 2 {
        return true;
    }
    if doc.text.get(m.span.range()).is_some_and(|t| t.contains('/')) {
        return false;
    }
    let (mut a, mut b) = (m.tokens.start, m.tokens.end);
    let sentence_start = doc.sentences.get(m.sentence).map_or(usize::MAX, |s| s.tokens.start);
    let kb = Kb::builtin();
    while b - a >= 2 {
        let w = doc.token_text(a);
        let opener = capitalised(w) && OPENERS.iter().any(|o| word_eq(w, o));
        // "Denouncing Obama": a gerund opening the sentence before a known person.
        let gerund = a == sentence_start && w.len() >= 6 && w.ends_with("ing") && {
            let rest = doc.text.get(doc.tokens[a + 1].span.start as usize..doc.tokens[b - 1].span.end as usize).unwrap_or("");
            let k = lookup_key(rest);
            kb.strong(&k).or_else(|| kb.weak(&k)).is_some_and(|e| e.entity_type == crate::nlp::EntityType::Per)
        };
        if !(opener || gerund) {
            break;
        }
        a += 1;
    }
    for k in a + 1..b {
        let w = doc.token_text(k);
        let first = w.chars().next().unwrap_or(' ');
        let lower_word = first.is_lowercase() && !w.chars().any(char::is_uppercase);
        let cut = if lower_word {
            if PARTICLES.iter().any(|p| word_eq(w, p)) {
                false
            } else if w == "and" {
                // "Bill and Hillary Clinton": capitalised words to the end.
                !(k + 1 < b && (k + 1..b).all(|j| capitalised(doc.token_text(j))))
            } else {
                true
            }
        } else {
            matches!(first, '\'' | '’' | '‘' | '"' | '“' | '”' | '—' | '–' | '(' | ')' | ':' | ';')
                || (first == '-' && w.chars().count() == 1)
                || WEEKDAYS.iter().any(|d| word_eq(w, d))
        };
        if cut {
            b = k;
            break;
        }
    }
    // No trailing punctuation or connective left behind ("Trump and").
    while b - a >= 2 && {
        let w = doc.token_text(b - 1);
        w == "and" || !w.chars().any(char::is_alphanumeric)
    } {
        b -= 1;
    }
    if (a, b) != (m.tokens.start, m.tokens.end) {
        m.tokens = a..b;
        m.span = Span { start: doc.tokens[a].span.start, end: doc.tokens[b - 1].span.end };
    }
    true
}

/// "U.S.-Mexico", "Texas-Mexico", "Israeli-Palestinian": every hyphen-separated part a
/// country, state, region or nationality (cities aside: their names are common words),
/// while the whole is no place ("Guinea-Bissau").
fn is_place_pair(doc: &Doc, m: &Mention, g: &Gazetteer) -> bool {
    let Some(text) = doc.text.get(m.span.range()) else { return false };
    if !text.contains('-') || text.contains(char::is_whitespace) && !text.starts_with("United States-") || g.lookup(text).is_some() {
        return false;
    }
    let mut parts = 0;
    for p in text.split('-') {
        if p.is_empty() || (g.country_code_no_city(p).is_none() && g.nationality(p).is_none()) {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

/// Closed-class words that stand alone at a sentence or quote start, never a name
/// (compared folded). Not "may", "will", "can", "hope": names too.
const FUNCTION_WORDS: &[&str] = &[
    "i",
    "he",
    "she",
    "it",
    "we",
    "they",
    "you",
    "me",
    "him",
    "her",
    "us",
    "them",
    "his",
    "its",
    "our",
    "their",
    "my",
    "your",
    "do",
    "does",
    "did",
    "don't",
    "doesn't",
    "didn't",
    "can't",
    "won't",
    "isn't",
    "wasn't",
    "aren't",
    "haven't",
    "hasn't",
    "couldn't",
    "wouldn't",
    "shouldn't",
    "let's",
    "it's",
    "that's",
    "there's",
    "here's",
    "what's",
    "i'm",
    "i've",
    "we're",
    "we've",
    "you're",
    "they're",
    "is",
    "are",
    "was",
    "were",
    "be",
    "has",
    "have",
    "had",
    "would",
    "could",
    "should",
    "must",
    "not",
    "the",
    "this",
    "that",
    "these",
    "those",
    "a",
    "an",
    "and",
    "but",
    "or",
    "if",
    "why",
    "what",
    "when",
    "where",
    "who",
    "how",
    "hey",
    "yes",
    "oh",
    "wow",
    "okay",
    "ok",
    "please",
    "thanks",
    "there",
    "here",
    "of",
    "meanwhile",
    "however",
    "instead",
    "indeed",
    "moreover",
    "furthermore",
    "nevertheless",
    "nonetheless",
    "thus",
    "hence",
    "therefore",
    "overall",
    "besides",
    "sadly",
    "unfortunately",
    "fortunately",
    "clearly",
    "obviously",
    "perhaps",
    "maybe",
    "certainly",
    "apparently",
    "ironically",
    "interestingly",
    "additionally",
    "similarly",
    "likewise",
    "ultimately",
    "eventually",
    "currently",
    "previously",
    "recently",
    "notably",
    "given",
    "unsurprisingly",
    "surprisingly",
    "predictably",
    "accordingly",
    "consequently",
    "regardless",
    "although",
    "though",
    "despite",
    "amid",
];

fn is_function_word(doc: &Doc, m: &Mention) -> bool {
    // One word, however the tokenizer split a contraction ("Do" "n’t").
    let Some(text) = doc.text.get(m.span.range()) else { return false };
    if text.contains(char::is_whitespace) {
        return false;
    }
    // Written as a sentence opener ("He", "Don't"), not as an abbreviation ("US", "U.S.").
    let mut chars = text.chars();
    let opener = chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_lowercase() || c == '\'' || c == '’');
    opener && text.len() <= 14 && FUNCTION_WORDS.iter().any(|w| word_eq(text, w))
}

/// Capitalised common nouns the tagger takes for names (compared folded, without "s").
const COMMON_NOUNS: &[&str] = &["pac", "super pac", "superpac", "dna", "iq", "tv", "pc", "gdp", "mp", "ceo", "police"];

fn is_common_noun(doc: &Doc, m: &Mention) -> bool {
    let Some(text) = doc.text.get(m.span.range()) else { return false };
    let key = lookup_key(text);
    let key = key.strip_suffix('s').unwrap_or(&key);
    COMMON_NOUNS.contains(&key)
}

/// Lowercase prefixes that make a name a modifier ("anti-Trump", "pro-Democrat",
/// "post-Brexit"); "neo-Nazis" names a group and stays.
const MODIFIER_PREFIXES: &[&str] = &["anti-", "pro-", "non-", "post-", "pre-", "ex-", "mid-"];

fn is_compound_modifier(doc: &Doc, m: &Mention) -> bool {
    let Some(text) = doc.text.get(m.span.range()) else { return false };
    if text.contains(char::is_whitespace) {
        return false;
    }
    // 575 of these, all typed MISC, on allsides-dev.
    if MODIFIER_PREFIXES.iter().any(|p| text.starts_with(p)) {
        return true;
    }
    m.entity_type == crate::nlp::EntityType::Misc && is_compound_word(text)
}

/// "D-Calif", "R-Texas", "I-Vt.", "D-N.Y.": a party initial, a hyphen, a state.
fn is_party_tag(doc: &Doc, m: &Mention) -> bool {
    let Some(text) = doc.text.get(m.span.range()) else { return false };
    let Some((party, state)) = text.split_once('-') else { return false };
    matches!(party, "D" | "R" | "I")
        && state.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && state.chars().all(|c| c.is_ascii_alphabetic() || c == '.')
}

/// Time zones written after clock times.
const TIME_ZONES: &[&str] = &["ET", "EST", "EDT", "CT", "CST", "CDT", "MT", "MST", "MDT", "PT", "PST", "PDT", "GMT", "UTC"];

/// A time-zone abbreviation right after a clock time ("8 p.m. ET", "10:30 EST").
fn is_time_zone(doc: &Doc, m: &Mention) -> bool {
    if m.tokens.len() != 1 || m.tokens.start == 0 || !TIME_ZONES.contains(&doc.token_text(m.tokens.start)) {
        return false;
    }
    let mut k = m.tokens.start - 1;
    // "p.m." may be split as "p.m" and ".".
    if doc.token_text(k) == "." && k > 0 {
        k -= 1;
    }
    let prev = doc.token_text(k).to_ascii_lowercase();
    matches!(prev.as_str(), "a.m." | "p.m." | "a.m" | "p.m" | "am" | "pm" | "noon" | "midnight")
        || prev.starts_with(|c: char| c.is_ascii_digit())
}

/// A hyphenated word with a lowercase tail ("U.S.-sanctioned", "Iranian-backed").
fn is_compound_word(text: &str) -> bool {
    text.rsplit_once('-').is_some_and(|(head, tail)| !head.is_empty() && tail.chars().next().is_some_and(char::is_lowercase))
}

/// Abbreviations that are no entity alone, written with their period: months ("Dec."),
/// "No." before a number, "St." and "Co." cut from their names. allsides-dev had "Dec."
/// 95 times, "No." 87, "Feb." 15 as entities.
const DOTTED_ABBREVIATIONS: &[&str] =
    &["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "st", "co", "vol", "dept"];
/// Company and name suffixes that are no entity alone, with or without a period ("Inc.",
/// "the LLC", "Jr.").
const NAME_SUFFIXES: &[&str] = &["inc", "llc", "ltd", "corp", "jr", "sr"];

/// A title ("Sens."), a name suffix ("Inc.", "LLC"), a dotted abbreviation ("Dec.") or
/// a letter standing alone as a mention.
fn is_abbreviation_only(doc: &Doc, m: &Mention) -> bool {
    let Some(text) = doc.text.get(m.span.range()) else { return false };
    if text.contains(char::is_whitespace) {
        return false;
    }
    let word = text.trim_end_matches('.');
    let listed = |list: &[&str]| list.iter().any(|t| t.eq_ignore_ascii_case(word));
    // A letter alone: the party in "(R)", "[T]he" in a quotation (allsides-dev: "R" 158,
    // "T" 38 times).
    word.chars().count() == 1
        || listed(TITLE_ABBREVIATIONS)
        || listed(NAME_SUFFIXES)
        || (word.len() < text.len() && listed(DOTTED_ABBREVIATIONS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::EntityType;

    fn mention(doc: &Doc, a: usize, b: usize, ty: EntityType) -> Mention {
        Mention {
            span: Span { start: doc.tokens[a].span.start, end: doc.tokens[b - 1].span.end },
            tokens: a..b,
            sentence: doc.sentence_of(doc.tokens[a].span.start),
            entity_type: ty,
            confidence: 0.9,
        }
    }

    fn texts(doc: &Doc, ms: &[Mention]) -> Vec<(String, EntityType)> {
        ms.iter().map(|m| (doc.span_text(m.span).to_string(), m.entity_type)).collect()
    }

    #[test]
    fn prefixed_modifiers_and_common_nouns_are_no_entities() {
        let doc = Doc::new("The anti-Trump and pro-Clinton texts cited DNA tests by neo-Nazis and MPs.");
        let at = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span).trim_end_matches('.') == w).unwrap();
        let one = |w: &str, ty| mention(&doc, at(w), at(w) + 1, ty);
        let mut ms = vec![
            one("anti-Trump", EntityType::Misc),
            one("pro-Clinton", EntityType::Org),
            one("DNA", EntityType::Org),
            one("neo-Nazis", EntityType::Misc),
            one("MPs", EntityType::Per),
        ];
        fix_mentions(&doc, &mut ms);
        assert_eq!(texts(&doc, &ms), vec![("neo-Nazis".to_string(), EntityType::Misc)]);
    }

    #[test]
    fn addresses_and_weekdays_are_no_entities_and_storms_are_misc() {
        let doc = Doc::new(
            "John McCain (@SenJohnMcCain) wrote. Reach Sammy.Roth@desertsun.com or www.Heritage.org on Fridays. Hurricane Irma hit Tampa. After Hurricane Maria came.",
        );
        let at = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span).trim_end_matches('.') == w).unwrap();
        let mut ms = vec![
            mention(&doc, 0, 2, EntityType::Per),
            mention(&doc, at("SenJohnMcCain"), at("SenJohnMcCain") + 1, EntityType::Per),
            mention(&doc, at("Sammy"), at("Sammy") + 1, EntityType::Per),
            mention(&doc, at("Fridays"), at("Fridays") + 1, EntityType::Loc),
            mention(&doc, at("Hurricane"), at("Irma") + 1, EntityType::Per),
            mention(&doc, at("Tampa"), at("Tampa") + 1, EntityType::Loc),
            mention(&doc, at("Maria"), at("Maria") + 1, EntityType::Per),
        ];
        if let Some(h) = doc.tokens.iter().position(|t| doc.span_text(t.span).contains("Heritage")) {
            ms.insert(3, mention(&doc, h, h + 1, EntityType::Org));
        }
        fix_mentions(&doc, &mut ms);
        assert_eq!(
            texts(&doc, &ms),
            vec![
                ("John McCain".to_string(), EntityType::Per),
                ("Hurricane Irma".to_string(), EntityType::Misc),
                ("Tampa".to_string(), EntityType::Loc),
                ("Hurricane Maria".to_string(), EntityType::Misc)
            ]
        );
    }

    #[test]
    fn two_names_joined_by_and_are_two_mentions() {
        let doc = Doc::new(
            "The House and Senate met. Bush and Obama spoke. The Centers for Disease Control and Prevention and Bill and Hillary Clinton came.",
        );
        let at = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span).trim_end_matches('.') == w).unwrap();
        let centers = at("Centers");
        let bill = at("Bill");
        let mut ms = vec![
            mention(&doc, at("House"), at("Senate") + 1, EntityType::Org),
            mention(&doc, at("Bush"), at("Obama") + 1, EntityType::Org),
            mention(&doc, centers, centers + 6, EntityType::Org),
            mention(&doc, bill, bill + 4, EntityType::Per),
        ];
        fix_mentions(&doc, &mut ms);
        let got = texts(&doc, &ms);
        let want = [
            ("House", EntityType::Org),
            ("Senate", EntityType::Org),
            ("Bush", EntityType::Per),
            ("Obama", EntityType::Per),
            ("Centers for Disease Control and Prevention", EntityType::Org),
            ("Bill and Hillary Clinton", EntityType::Per),
        ];
        assert_eq!(got, want.iter().map(|(t, ty)| (t.to_string(), *ty)).collect::<Vec<_>>());
        assert!(ms.windows(2).all(|w| w[0].span.end <= w[1].span.start));
    }

    #[test]
    fn title_abbreviation_alone_is_dropped() {
        let doc = Doc::new("Sens. Ted Cruz and Mike Lee spoke.");
        let ted = doc.tokens.iter().position(|t| doc.span_text(t.span) == "Ted").unwrap();
        let mut ms = vec![mention(&doc, 0, 1, EntityType::Org), mention(&doc, ted, ted + 2, EntityType::Per)];
        fix_mentions(&doc, &mut ms);
        assert_eq!(texts(&doc, &ms), vec![("Ted Cruz".to_string(), EntityType::Per)]);
    }

    #[test]
    fn abbreviations_alone_are_dropped() {
        let doc = Doc::new("On Dec. 5 the LLC paid Inc. and Jan Smith (R) of Utah.");
        let at = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span).trim_end_matches('.') == w).unwrap();
        let (dec, llc, inc, jan, r) = (at("Dec"), at("LLC"), at("Inc"), at("Jan"), at("R"));
        // "Dec." and "Inc." with their periods (one token or two).
        let dot = |k: usize| if doc.span_text(doc.tokens[k].span).ends_with('.') { k + 1 } else { k + 2 };
        let mut ms = vec![
            mention(&doc, dec, dot(dec), EntityType::Misc),
            mention(&doc, llc, llc + 1, EntityType::Org),
            mention(&doc, inc, dot(inc), EntityType::Org),
            mention(&doc, jan, jan + 2, EntityType::Per),
            mention(&doc, r, r + 1, EntityType::Org),
        ];
        fix_mentions(&doc, &mut ms);
        assert_eq!(texts(&doc, &ms), vec![("Jan Smith".to_string(), EntityType::Per)]);
    }

    #[test]
    fn mention_widened_to_a_knowledge_base_name() {
        let doc = Doc::new("Advocates like Planned Parenthood say so. He gave the State of the Union address.");
        let pp = doc.tokens.iter().position(|t| doc.span_text(t.span) == "Parenthood").unwrap();
        let un = doc.tokens.iter().position(|t| doc.span_text(t.span) == "Union").unwrap();
        let mut ms = vec![mention(&doc, pp, pp + 1, EntityType::Misc), mention(&doc, un, un + 1, EntityType::Org)];
        fix_mentions(&doc, &mut ms);
        assert_eq!(
            texts(&doc, &ms),
            vec![("Planned Parenthood".to_string(), EntityType::Org), ("State of the Union".to_string(), EntityType::Misc)]
        );
    }

    #[test]
    fn titles_before_persons_stay_outside_the_mention() {
        let doc = Doc::new("He met President Trump on Friday.");
        let t = doc.tokens.iter().position(|t| doc.span_text(t.span) == "Trump").unwrap();
        let mut ms = vec![mention(&doc, t, t + 1, EntityType::Per)];
        fix_mentions(&doc, &mut ms);
        assert_eq!(texts(&doc, &ms), vec![("Trump".to_string(), EntityType::Per)]);
    }

    #[test]
    fn hyphenated_modifier_is_no_misc_entity() {
        let doc = Doc::new("The U.S.-sanctioned firm met Iran-Contra investigators.");
        let pos = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span) == w).unwrap();
        let (us, ic) = (pos("U.S.-sanctioned"), pos("Iran-Contra"));
        let mut ms = vec![mention(&doc, us, us + 1, EntityType::Misc), mention(&doc, ic, ic + 1, EntityType::Misc)];
        fix_mentions(&doc, &mut ms);
        assert_eq!(texts(&doc, &ms), vec![("Iran-Contra".to_string(), EntityType::Misc)]);
    }

    #[test]
    fn leading_hyphenated_modifier_is_cut_off() {
        let doc = Doc::new("The U.S.-sanctioned Venezuelan official left.");
        let us = doc.tokens.iter().position(|t| doc.span_text(t.span) == "U.S.-sanctioned").unwrap();
        let mut ms = vec![mention(&doc, us, us + 2, EntityType::Misc)];
        fix_mentions(&doc, &mut ms);
        assert_eq!(texts(&doc, &ms), vec![("Venezuelan".to_string(), EntityType::Misc)]);
        assert_eq!(ms[0].tokens, us + 1..us + 2);
    }

    #[test]
    fn party_tags_and_time_zones_are_no_entities() {
        let doc = Doc::new("Sen. Dianne Feinstein (D-Calif.) spoke at 8 p.m. ET on Fox. ET is a film.");
        let pos = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span).trim_end_matches('.') == w).unwrap();
        let (dc, et, fox) = (pos("D-Calif"), pos("ET"), pos("Fox"));
        let film = doc.tokens.iter().rposition(|t| doc.span_text(t.span) == "ET").unwrap();
        assert_ne!(film, et);
        let mut ms = vec![
            mention(&doc, dc, dc + 1, EntityType::Misc),
            mention(&doc, et, et + 1, EntityType::Loc),
            mention(&doc, fox, fox + 1, EntityType::Org),
            mention(&doc, film, film + 1, EntityType::Misc),
        ];
        fix_mentions(&doc, &mut ms);
        assert_eq!(texts(&doc, &ms), vec![("Fox".to_string(), EntityType::Org), ("ET".to_string(), EntityType::Misc)]);
    }

    #[test]
    fn function_words_alone_are_no_entities() {
        let doc = Doc::new("Do you agree? He said no. Hey, May met Will Hurd in the US and the U.S. Meanwhile, Of course.");
        let pos = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span) == w).unwrap();
        let (d, he, hey, may, will) = (pos("Do"), pos("He"), pos("Hey"), pos("May"), pos("Will"));
        let (us, usa) = (pos("US"), pos("U.S."));
        let mut ms = vec![
            mention(&doc, us, us + 1, EntityType::Loc),
            mention(&doc, usa, usa + 1, EntityType::Loc),
            mention(&doc, d, d + 1, EntityType::Per),
            mention(&doc, he, he + 1, EntityType::Per),
            mention(&doc, hey, hey + 1, EntityType::Per),
            mention(&doc, may, may + 1, EntityType::Per),
            mention(&doc, will, will + 2, EntityType::Per),
            mention(&doc, pos("Meanwhile"), pos("Meanwhile") + 1, EntityType::Per),
            mention(&doc, pos("Of"), pos("Of") + 1, EntityType::Per),
        ];
        fix_mentions(&doc, &mut ms);
        assert_eq!(
            texts(&doc, &ms),
            vec![
                ("US".to_string(), EntityType::Loc),
                ("U.S.".to_string(), EntityType::Loc),
                ("May".to_string(), EntityType::Per),
                ("Will Hurd".to_string(), EntityType::Per)
            ]
        );
    }

    #[test]
    fn mentions_widen_right_to_knowledge_base_names() {
        let text =
            "Rep. Alexandria Ocasio-Cortez, Mitch McConnell and the American Civil Liberties Union cited Roe v. Wade and HealthCare.gov.";
        let doc = Doc::new(text);
        let at = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span) == w).unwrap();
        let mut ms = vec![
            mention(&doc, at("Alexandria"), at("Alexandria") + 1, EntityType::Loc),
            mention(&doc, at("Ocasio-Cortez"), at("Ocasio-Cortez") + 1, EntityType::Per),
            mention(&doc, at("Mitch"), at("Mitch") + 1, EntityType::Org),
            mention(&doc, at("American"), at("Liberties") + 1, EntityType::Misc),
            mention(&doc, at("Roe"), at("Roe") + 1, EntityType::Loc),
            mention(&doc, at("Wade"), at("HealthCare.gov") + 1, EntityType::Org),
        ];
        fix_mentions(&doc, &mut ms);
        assert_eq!(
            texts(&doc, &ms),
            vec![
                ("Alexandria Ocasio-Cortez".to_string(), EntityType::Per),
                ("Mitch McConnell".to_string(), EntityType::Per),
                ("American Civil Liberties Union".to_string(), EntityType::Org),
                ("Roe v. Wade".to_string(), EntityType::Misc),
                ("HealthCare.gov".to_string(), EntityType::Org),
            ]
        );
        let kb = Kb::builtin();
        assert!(kb.opens_strong("roe") && kb.opens_strong("roe v") && !kb.opens_strong("roe v wade") && !kb.opens_strong("zzz"));
        // One span over a full knowledge-base name "and" another capitalised name is two.
        let doc = Doc::new("They cited Roe v. Wade and HealthCare.gov yesterday.");
        let at = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span) == w).unwrap();
        let mut ms = vec![mention(&doc, at("Roe"), at("HealthCare.gov") + 1, EntityType::Org)];
        fix_mentions(&doc, &mut ms);
        assert_eq!(texts(&doc, &ms), vec![("Roe v. Wade".to_string(), EntityType::Misc), ("HealthCare.gov".to_string(), EntityType::Org)]);
        // A knowledge-base outlet's web domain the tagger left out is a mention.
        let doc = Doc::new("He told FoxNews.com and Example.com on Monday.");
        let mut ms = Vec::new();
        fix_mentions(&doc, &mut ms);
        assert_eq!(texts(&doc, &ms), vec![("FoxNews.com".to_string(), EntityType::Org)]);
    }

    #[test]
    fn sentence_openers_and_police_are_no_entities() {
        let doc = Doc::new("Given that, Police said so. Unsurprisingly, Zoom won.");
        let at = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span) == w).unwrap();
        let mut ms: Vec<Mention> =
            ["Given", "Police", "Unsurprisingly", "Zoom"].iter().map(|w| mention(&doc, at(w), at(w) + 1, EntityType::Per)).collect();
        fix_mentions(&doc, &mut ms);
        assert_eq!(texts(&doc, &ms), vec![("Zoom".to_string(), EntityType::Per)]);
    }

    #[test]
    fn contractions_alone_are_no_entities() {
        // "Don’t" may be one token or two ("Do" "n’t"): either is no entity.
        let text = "He said, “Don’t do that.” Can't stop.";
        let doc = Doc::new(text);
        let ends = |w: &str| {
            let start = text.find(w).unwrap();
            let a = doc.tokens.iter().position(|t| t.span.start as usize == start).unwrap();
            let b = doc.tokens.iter().position(|t| t.span.end as usize == start + w.len()).unwrap() + 1;
            (a, b)
        };
        let ((a, b), (c, d)) = (ends("Don’t"), ends("Can't"));
        let mut ms = vec![mention(&doc, a, b, EntityType::Misc), mention(&doc, c, d, EntityType::Per)];
        fix_mentions(&doc, &mut ms);
        assert!(ms.is_empty(), "{:?}", texts(&doc, &ms));
    }

    #[test]
    fn pac_alone_is_no_entity() {
        let doc = Doc::new("A super PAC and two PACs backed the Club for Growth PAC.");
        let pos = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span) == w).unwrap();
        let (sup, pacs, club) = (pos("super"), pos("PACs"), pos("Club"));
        let mut ms = vec![
            mention(&doc, sup, sup + 2, EntityType::Org),
            mention(&doc, pacs, pacs + 1, EntityType::Org),
            mention(&doc, club, club + 4, EntityType::Org),
        ];
        fix_mentions(&doc, &mut ms);
        assert_eq!(texts(&doc, &ms), vec![("Club for Growth PAC".to_string(), EntityType::Org)]);
    }

    #[test]
    fn person_mentions_are_cut_to_the_name() {
        let doc = Doc::new(
            "And Obama spoke. Trump may have won. Denouncing Obama, he left. Kim” had “affirmed it. Donald Trump Saturday said so. \
             Osama bin Laden died. Bill and Hillary Clinton came. Photo: Mark Wilson/Getty Images.",
        );
        let pos = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span) == w).unwrap();
        let until = |a: usize, w: &str| (a..doc.tokens.len()).find(|&i| doc.span_text(doc.tokens[i].span) == w).unwrap();
        let mut ms = Vec::new();
        for (from, to) in [
            ("And", "Obama"),
            ("Trump", "have"),
            ("Denouncing", "Obama"),
            ("Kim", "affirmed"),
            ("Donald", "Saturday"),
            ("Osama", "Laden"),
            ("Bill", "Clinton"),
            ("Mark", "Images"),
        ] {
            let a = pos(from);
            ms.push(mention(&doc, a, until(a, to) + 1, EntityType::Per));
        }
        fix_mentions(&doc, &mut ms);
        let got: Vec<String> = texts(&doc, &ms).into_iter().map(|(t, _)| t).collect();
        assert_eq!(got, ["Obama", "Trump", "Obama", "Kim", "Donald Trump", "Osama bin Laden", "Bill and Hillary Clinton"]);
        for m in &ms {
            assert_eq!(
                doc.span_text(m.span),
                doc.text.get(doc.tokens[m.tokens.start].span.start as usize..doc.tokens[m.tokens.end - 1].span.end as usize).unwrap()
            );
        }
    }

    #[test]
    fn hyphenated_place_pairs_are_no_entities() {
        let doc = Doc::new("The U.S.-Mexico border, Israeli-Palestinian talks, Guinea-Bissau and Iran-Contra.");
        let pos = |w: &str| doc.tokens.iter().position(|t| doc.span_text(t.span) == w).unwrap();
        let mut ms = Vec::new();
        for (w, ty) in [
            ("U.S.-Mexico", EntityType::Misc),
            ("Israeli-Palestinian", EntityType::Misc),
            ("Guinea-Bissau", EntityType::Loc),
            ("Iran-Contra", EntityType::Misc),
        ] {
            let a = pos(w);
            ms.push(mention(&doc, a, a + 1, ty));
        }
        fix_mentions(&doc, &mut ms);
        let got: Vec<String> = texts(&doc, &ms).into_iter().map(|(t, _)| t).collect();
        assert_eq!(got, ["Guinea-Bissau", "Iran-Contra"]);
    }

    #[test]
    fn lowercase_words_do_not_widen() {
        let doc = Doc::new("the union workers voted.");
        let mut ms = vec![mention(&doc, 1, 2, EntityType::Org)];
        fix_mentions(&doc, &mut ms);
        assert_eq!(texts(&doc, &ms), vec![("union".to_string(), EntityType::Org)]);
    }

    #[test]
    fn photo_credits_go_and_a_trailing_setting_is_cut() {
        let doc = Doc::new("SAUL LOEB AFP/Getty Images shows students at Duke University in Durham and Partners in Health staff.");
        let at = |w: &str| (0..doc.tokens.len()).find(|&k| doc.token_text(k) == w).unwrap();
        let credit_end = at("Images") + 1;
        let mut ms = vec![
            mention(&doc, 0, credit_end, EntityType::Org),
            mention(&doc, at("Duke"), at("Durham") + 1, EntityType::Org),
            mention(&doc, at("Partners"), at("Health") + 1, EntityType::Org),
        ];
        fix_mentions(&doc, &mut ms);
        let got = texts(&doc, &ms);
        assert!(got.iter().all(|(t, _)| !t.contains("Getty")), "{got:?}");
        assert!(got.contains(&("Duke University".to_string(), EntityType::Org)), "{got:?}");
        assert!(got.contains(&("Partners in Health".to_string(), EntityType::Org)), "{got:?}");
    }

    #[test]
    fn a_name_run_on_into_the_sentence_is_cut() {
        let doc = Doc::new("The Office of Management and Budget in charge of the plan met the Republican National Convention in Cleveland in July, and the Court already held, in Glossip, that Doctors without Borders won.");
        let at = |w: &str| (0..doc.tokens.len()).find(|&k| doc.token_text(k) == w).unwrap();
        let mut ms = vec![
            mention(&doc, at("Office"), at("plan"), EntityType::Org),
            mention(&doc, at("Republican"), at("July") + 1, EntityType::Org),
            mention(&doc, at("Court"), at("Glossip") + 1, EntityType::Org),
            mention(&doc, at("Doctors"), at("Borders") + 1, EntityType::Org),
        ];
        let dc = Doc::new("He flew to Washington, D.C. and the University of California, Berkeley.");
        let at_dc = |w: &str| (0..dc.tokens.len()).find(|&k| dc.token_text(k) == w).unwrap();
        let mut kept = vec![
            mention(&dc, at_dc("Washington"), at_dc("D.C.") + 1, EntityType::Loc),
            mention(&dc, at_dc("University"), at_dc("Berkeley") + 1, EntityType::Org),
        ];
        fix_mentions(&dc, &mut kept);
        let got_dc: Vec<String> = texts(&dc, &kept).into_iter().map(|(t, _)| t).collect();
        assert_eq!(got_dc, vec!["Washington, D.C.", "University of California, Berkeley"]);
        fix_mentions(&doc, &mut ms);
        let got: Vec<String> = texts(&doc, &ms).into_iter().map(|(t, _)| t).collect();
        assert_eq!(got, vec!["Office of Management and Budget", "Republican National Convention", "Court", "Doctors without Borders"]);
    }
}
