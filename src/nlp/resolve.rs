//! Entity resolution inside one article: short names to full names, titles and roles
//! split from names, knowledge-base links, country codes. Interface: `resolve_document`.
//!
//! Steps, all within one article:
//!
//! 1. **Clean** each mention: NFC, whitespace collapsed, a trailing possessive ("'s",
//!    "’s") and trailing punctuation removed, a leading "the" removed; an AP or dotted
//!    state abbreviation ("Calif.", "N.Y.") becomes the state's name.
//! 2. **Type agreement**: mentions with the same key vote on their type (most mentions,
//!    then summed confidence, then PER > ORG > LOC > MISC), so a name tagged PER twice
//!    and ORG once is PER everywhere. Country names and abbreviations are LOC unless
//!    voted PER; a one-word ORG/MISC name that is the last name of a PER in the
//!    article ("Maduro") becomes PER.
//! 3. **Titles and roles** (PER): title words inside the span ("President Vladimir
//!    Putin") are split from the name; role words right before the span ("Russian
//!    President", "U.S. Attorney General", "Venezuelan dictator", "Defense Secretary",
//!    "Gen.") become the mention's `role`, and their nationality word gives the person's
//!    country. Word lists: `data/gazetteer/roles.txt`. Courtesy titles ("Mr.") are
//!    stripped and never a role; royal titles stay in the name when the rest is a
//!    single word ("King Charles").
//! 4. **Short names to full names**: a PER name resolves to a longer PER name that ends
//!    with it or contains it ("Maduro" → "Nicolás Maduro", "Maduro" → "Nicolás Maduro
//!    Moros"); middle initials and "Jr."-style suffixes do not block a match. An ORG
//!    name resolves to a longer ORG name containing its words ("Coast Guard" → "U.S.
//!    Coast Guard"), generic single words ("Ministry") excepted. Acronyms resolve to their
//!    expansion when the article shows "Expansion (ACR)" / "ACR (Expansion)" or the
//!    initials match ("DHS" → "Department of Homeland Security"). Several candidates:
//!    the most mentioned, then the first; but a person's name that fits two different
//!    people of the article ("Bush" beside "George W. Bush" and "Jeb Bush") resolves to
//!    neither, different middle initials are different people, and a knowledge-base name
//!    never resolves to a longer name of another entry or of none ("House" is not "House
//!    Republicans"). "The Times"/"the Post" resolve to the one outlet of that name in the
//!    article, else to the publisher when it is one (`resolve_document_from`). A US state
//!    or region typed ORG/MISC is a place; a surname several knowledge-base persons share,
//!    standing alone and typed ORG/MISC, is a person.
//! 5. **Countries**: "the U.S.", "US", "United States", "America" are one LOC entity
//!    whose canonical name is the gazetteer's ("United States") and key the alpha-3
//!    ("USA"). **Knowledge base**: each resolved entity links to the built-in knowledge
//!    base (`super::kb`) by a strong alias ("Trump", "DOJ", "Obamacare", "Senate"), for
//!    a lone one-word name by a unique surname, or for a full name by a unique surname
//!    and a fitting given name ("Dick Durbin"); the KB's type, name, country and key
//!    then win, unless a nationality before a non-person mention contradicts the KB's
//!    country ("the Italian Senate").
//! 6. **Country codes** per entity, from evidence only: LOC from the gazetteer (a US
//!    state that is also a country, "Georgia", is the state unless the article shows
//!    the country); ORG from the curated list, the name itself ("Kremlin"), country words
//!    inside it ("U.S. Coast Guard", "Russian Defense Ministry") or a nationality word
//!    right before it (not for generic one-word names like "Army"); PER from the role's
//!    nationality ("Russian President", "New Jersey Gov."), a US party word or
//!    congressional title ("Republican Sen.", "Rep."), a party tag ("(R-Texas)"); MISC
//!    from demonyms ("Venezuelans") only. A counterpart or portfolio country ("envoy to
//!    Ukraine", "Russia adviser") is no nationality.
//!
//! Keys: `entity_id = hash(type, key)` must be stable across articles and shards, so the
//! key is the KB's (`kb:<QID>` or `kb:<folded name>`) for linked entities, else the
//! canonical name folded (lowercase, no diacritics, no periods, hyphens as spaces; see
//! `gazetteer::lookup_key`), for PER without single-letter middle initials, and the
//! ISO alpha-3 code for countries. Nothing here depends on other articles.

use std::borrow::Cow;
use std::cell::RefCell;
#[cfg(test)]
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::gazetteer::{lookup_key, lookup_key_into, us_state_of_abbreviation, Gazetteer, GazetteerMatch, Map, NameKind, ROLES_TXT};
use super::kb::{Kb, KbEntry};
use super::{EntityType, Mention};

/// A mention after resolution: the entity it refers to and what was learnt on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedMention {
    /// Type of the entity (may differ from the tagger's label after document agreement).
    pub entity_type: EntityType,
    /// Most complete name of the entity seen in the article ("Nicolás Maduro").
    pub canonical_name: String,
    /// Normalised key; `entity_id = hash(entity_type, key)`, stable across articles.
    pub key: String,
    /// Title or role words attached to the mention ("President"), if any.
    pub role: Option<String>,
    pub country_code: Option<&'static str>,
    /// Knowledge-base id (Wikidata QID) when the entity links to one that has it.
    pub kb_id: Option<&'static str>,
    /// True when the entity is a knowledge-base entry (with or without a QID).
    pub kb_linked: bool,
}

fn new_map<K, V>(n: usize) -> Map<K, V> {
    Map::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

// ---------------------------------------------------------------------------------------
// Role words

const HEAD: u8 = 1;
const MODIFIER: u8 = 2;
const ROYAL: u8 = 4;
const HONORIFIC: u8 = 8;
const CONNECTOR: u8 = 16;

/// Role word key → the sections it is listed in (`HEAD | MODIFIER | …`).
fn role_words() -> &'static Map<Box<str>, u8> {
    static R: OnceLock<Map<Box<str>, u8>> = OnceLock::new();
    R.get_or_init(|| {
        let mut r: Map<Box<str>, u8> = new_map(256);
        let mut section = "";
        for line in ROLES_TXT.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name;
                continue;
            }
            let flag = match section {
                "head" => HEAD,
                "modifier" => MODIFIER,
                "royal" => ROYAL,
                "honorific" => HONORIFIC,
                "connector" => CONNECTOR,
                _ => continue,
            };
            *r.entry(lookup_key(line).into_boxed_str()).or_insert(0) |= flag;
        }
        r
    })
}

/// How a single word can take part in a title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WordClass {
    /// Ends a role ("President", "CEO"); `royal` heads stay in one-word names.
    Head {
        royal: bool,
        modifier: bool,
    },
    /// Inside a role only ("Defense", "former").
    Modifier,
    Honorific,
    Connector,
    Nationality(&'static str),
    Other,
}

thread_local! {
    /// Scratch buffers for keys of single words and short phrases.
    static SCRATCH: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
}

fn classify(word: &str, g: &Gazetteer) -> WordClass {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        let key = &mut s.0;
        lookup_key_into(word, key);
        classify_key(word, key, g)
    })
}

fn classify_key(word: &str, key: &str, g: &Gazetteer) -> WordClass {
    if key.is_empty() {
        return WordClass::Other;
    }
    let f = role_words().get(key).copied().unwrap_or(0);
    if f & HONORIFIC != 0 {
        return WordClass::Honorific;
    }
    let royal = f & ROYAL != 0;
    if royal || f & HEAD != 0 {
        return WordClass::Head { royal, modifier: f & MODIFIER != 0 };
    }
    if f & MODIFIER != 0 {
        return WordClass::Modifier;
    }
    if f & CONNECTOR != 0 {
        return WordClass::Connector;
    }
    // Nationality words must be capitalised ("U.S.", "Russian", "Russia's"). A US
    // party word is evidence of the United States ("Republican Sen.", "GOP leader").
    if word.chars().next().is_some_and(char::is_uppercase) {
        if US_PARTY_WORDS.contains(&key) {
            return WordClass::Nationality("USA");
        }
        if let Some(code) = g.nationality_key(key) {
            return WordClass::Nationality(code);
        }
    }
    WordClass::Other
}

/// A name that is both a US state and a country ("Georgia") is the state unless the
/// article shows the country ("Tbilisi", "Georgian").
fn us_state_not_country(key: &str, text: &str, g: &Gazetteer) -> bool {
    g.is_us_state_key(key)
        && g.lookup_key(key).is_some_and(|m| m.kind.is_country())
        && !(text.contains("Tbilisi") || text.contains("Georgian") || text.contains("Abkhazia") || text.contains("Ossetia"))
}

/// A bare country name (not possessive, not a demonym or abbreviation, not the United
/// States) before a title names a portfolio ("Russia expert", "Ukraine envoy").
fn is_portfolio_country(word: &str, g: &Gazetteer) -> bool {
    if word.ends_with("'s") || word.ends_with('\u{2019}') || word.ends_with("\u{2019}s") {
        return false;
    }
    let key = lookup_key(word);
    !g.is_us_state_key(&key) && g.lookup_key(&key).is_some_and(|m| m.kind == NameKind::CountryName && m.country_code != Some("USA"))
}

/// Keys of US party words that place a person or group in the United States.
const US_PARTY_WORDS: &[&str] = &["republican", "democrat", "democratic", "gop", "dem"];

/// Keys of role words only the US Congress uses in the news ("Sen.", "Rep.").
const US_CONGRESS_ROLES: &[&str] = &["sen", "rep", "congressman", "congresswoman"];

/// The United States when a role holds a US congressional title ("Sen.", "Rep.").
fn us_congress_role(role: Option<&str>) -> Option<&'static str> {
    let mut key = String::new();
    role?
        .split_whitespace()
        .any(|w| {
            lookup_key_into(w, &mut key);
            US_CONGRESS_ROLES.contains(&key.as_str())
        })
        .then_some("USA")
}

/// The United States when a party-and-state tag follows a name: "Ted Cruz (R-Texas)",
/// "Sen. Jon Tester, D-Mont.,".
fn party_tag_after(text: &str, end: usize) -> Option<&'static str> {
    let after = text.get(end..)?;
    let after = after.strip_prefix(',').unwrap_or(after).trim_start();
    let after = after.strip_prefix('(').unwrap_or(after);
    let mut chars = after.chars();
    let party = chars.next()?;
    let dash = chars.next()?;
    (matches!(party, 'R' | 'D' | 'I') && matches!(dash, '-' | '\u{2013}') && chars.next().is_some_and(char::is_uppercase)).then_some("USA")
}

/// `g.nationality(&format!("{first} {second}"))` without allocating.
fn nationality_of_pair(first: &str, second: &str, g: &Gazetteer) -> Option<&'static str> {
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        let (key, phrase) = &mut *s;
        phrase.clear();
        phrase.push_str(first);
        phrase.push(' ');
        phrase.push_str(second);
        lookup_key_into(phrase, key);
        g.nationality_key(key)
    })
}

// ---------------------------------------------------------------------------------------
// Name cleaning

/// The mention text cleaned for display: NFC, whitespace collapsed, without a trailing
/// possessive or punctuation and without a leading "the".
pub fn clean_name(raw: &str) -> String {
    clean_name_cow(raw).into_owned()
}

/// [`clean_name`], borrowing from `raw` when it is already NFC with single spaces.
fn clean_name_cow(raw: &str) -> Cow<'_, str> {
    let nfc = raw.is_ascii() || is_nfc_quick(raw.chars()) == IsNormalized::Yes;
    if nfc && whitespace_is_collapsed(raw) {
        return Cow::Borrowed(trim_name(raw));
    }
    let collapsed = if nfc {
        raw.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        let nfc: String = raw.nfc().collect();
        nfc.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let t = trim_name(&collapsed);
    if t.len() == collapsed.len() {
        Cow::Owned(collapsed)
    } else {
        Cow::Owned(t.to_string())
    }
}

/// True when `s.split_whitespace().collect::<Vec<_>>().join(" ") == s`.
fn whitespace_is_collapsed(s: &str) -> bool {
    let mut prev_space = true;
    if s.is_ascii() {
        for &b in s.as_bytes() {
            match b {
                b' ' if prev_space => return false,
                b' ' => prev_space = true,
                b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => return false,
                _ => prev_space = false,
            }
        }
    } else {
        for c in s.chars() {
            if c == ' ' {
                if prev_space {
                    return false;
                }
                prev_space = true;
            } else if c.is_whitespace() {
                return false;
            } else {
                prev_space = false;
            }
        }
    }
    !prev_space || s.is_empty()
}

/// Trailing possessive and punctuation and a leading "the" removed (whitespace already
/// collapsed).
fn trim_name(mut s: &str) -> &str {
    loop {
        let before = s.len();
        s = s.trim_end_matches([',', ';', ':', '!', '?', '"', ')', ']', '\u{201D}', '\u{201C}', '\'', '\u{2019}']).trim_end();
        for suffix in ["'s", "\u{2019}s", "'S", "\u{2019}S"] {
            if let Some(rest) = s.strip_suffix(suffix).filter(|r| !r.is_empty()) {
                s = rest;
                break;
            }
        }
        // A period ends the name only when it is not an abbreviation ("Corp.", "U.S.").
        if s.ends_with('.') && !ends_with_abbreviation(s) {
            s = s.strip_suffix('.').unwrap_or(s);
        }
        s = s.trim_start_matches(['"', '(', '[', '\'', '\u{201C}', '\u{2018}']);
        for the in ["the ", "The ", "THE "] {
            if let Some(rest) = s.strip_prefix(the).filter(|r| !r.is_empty()) {
                s = rest;
                break;
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

fn ends_with_abbreviation(s: &str) -> bool {
    let last = s.rsplit(' ').next().unwrap_or("");
    // Called on a name ending with ".": the last word without it.
    let body = last.strip_suffix('.').unwrap_or(last);
    // "U.S.", "J.", "Jr.", "Corp.", "Inc.", "Gen.": dotted words, initials, known
    // abbreviations.
    body.contains('.') || (body.chars().count() == 1 && body.chars().all(char::is_uppercase)) || super::token::is_abbreviation(body)
}

/// The tokens used to compare person names (folded words without single-letter
/// initials), joined by single spaces into `out`; false when there are none.
fn core_key_into(name: &str, out: &mut String, buf: &mut String) -> bool {
    out.clear();
    let mut any = false;
    for w in name.split_whitespace() {
        lookup_key_into(w, buf);
        if buf.is_empty() || buf.chars().count() <= 1 {
            continue;
        }
        if any {
            out.push(' ');
        }
        out.push_str(buf);
        any = true;
    }
    any
}

const GENERATIONAL: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// Words of an organisation name (its key) without small words.
fn content_tokens(key: &str) -> Vec<&str> {
    key.split(' ').filter(|w| !matches!(*w, "" | "the" | "of" | "and" | "for" | "&" | "de" | "la" | "du")).collect()
}

const GENERIC_ORG_WORDS: &[&str] = &[
    "department",
    "ministry",
    "agency",
    "government",
    "administration",
    "party",
    "court",
    "council",
    "army",
    "navy",
    "police",
    "bank",
    "committee",
    "commission",
    "office",
    "university",
    "company",
    "group",
    "service",
    "union",
    "authority",
    "board",
    "bureau",
    "house",
    "senate",
    "congress",
    "parliament",
    "assembly",
    "cabinet",
    "federal",
    "national",
    "state",
    "city",
    "forces",
    "force",
    "guard",
    "team",
    "club",
    "foundation",
    "institute",
    "center",
    "centre",
    "corporation",
    "inc",
    "corp",
    "ltd",
    "co",
    "news",
    "times",
    "post",
    "ministry of defense",
    "military",
    "republic",
    "kingdom",
    "united",
    "international",
];

fn is_subsequence(needle: &[&str], hay: &[&str]) -> bool {
    !needle.is_empty() && needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Acronym form of a name ("HSI", "U.N." → "UN"): 2–8 letters, all capitals.
fn acronym(name: &str) -> Option<String> {
    // Cheap rejection: more than 8 other characters, or a character that can never be
    // in an acronym, means no acronym.
    if name.bytes().any(|b| !(b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'.' || b == b'&')) {
        return None;
    }
    let s: String = name.chars().filter(|c| *c != '.' && *c != '&').collect();
    let n = s.chars().count();
    if (2..=8).contains(&n)
        && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && s.chars().filter(char::is_ascii_uppercase).count() >= 2
    {
        Some(s)
    } else {
        None
    }
}

/// Initials of a name's capitalised words ("Department of Homeland Security" → "DHS"),
/// and of all its words ("DoD"-style names are not covered).
fn initials(name: &str) -> (String, String) {
    let mut caps = String::new();
    let mut all = String::new();
    for w in name.split(|c: char| c.is_whitespace() || c == '-') {
        let Some(c) = w.chars().find(|c| c.is_alphanumeric()) else {
            continue;
        };
        let upper = c.is_uppercase();
        for u in c.to_uppercase() {
            all.push(u);
            if upper {
                caps.push(u);
            }
        }
    }
    (caps, all)
}

// ---------------------------------------------------------------------------------------
// Resolution

struct Work<'t> {
    ty: EntityType,
    /// Display name after cleaning and (PER) title stripping.
    name: Cow<'t, str>,
    /// Key of `name`.
    key: String,
    role: Option<String>,
    nationality: Option<&'static str>,
}

struct Group {
    ty: EntityType,
    /// Mention whose name is displayed.
    display: usize,
    display_diacritics: usize,
    first: usize,
    count: usize,
    /// Country when the name is a country name or abbreviation.
    country: Option<&'static str>,
}

pub fn resolve_document(text: &str, mentions: &[Mention], gazetteer: &Gazetteer) -> Vec<ResolvedMention> {
    resolve_document_from(text, mentions, gazetteer, None)
}

/// [`resolve_document`] for an article whose publisher (`articles.source_name`) is known:
/// a lone "Times" or "Post" with no outlet of that name in the article is the publisher's
/// own name when the publisher is such an outlet ("a Times analysis" in The New York
/// Times).
pub fn resolve_document_from(text: &str, mentions: &[Mention], gazetteer: &Gazetteer, source: Option<&str>) -> Vec<ResolvedMention> {
    if mentions.is_empty() {
        return Vec::new();
    }
    let cleaned: Vec<Cow<str>> = mentions
        .iter()
        .map(|m| {
            let name = clean_name_cow(text.get(m.span.range()).unwrap_or(""));
            // "Champaign, Ill.", "Greenville, S.C.": the state, not a town the key "pa"
            // or "kan" would find in the city list.
            match us_state_of_abbreviation(&name) {
                Some(state) if m.entity_type != EntityType::Per => Cow::Borrowed(state),
                _ => name,
            }
        })
        .collect();
    let mut surface_keys: Vec<String> = cleaned.iter().map(|c| lookup_key(c)).collect();

    // 2. Type agreement by surface key.
    let mut types: Vec<EntityType> = {
        let mut votes: Map<&str, [(usize, f32); 4]> = new_map(mentions.len());
        for (m, k) in mentions.iter().zip(&surface_keys) {
            let v = votes.entry(k.as_str()).or_insert([(0, 0.0); 4]);
            let i = type_index(m.entity_type);
            v[i].0 += 1;
            v[i].1 += m.confidence.max(0.0);
        }
        surface_keys
            .iter()
            .map(|k| {
                let v = votes[k.as_str()];
                let mut best = 0;
                for i in 1..4 {
                    if (v[i].0, v[i].1) > (v[best].0, v[best].1) {
                        best = i;
                    }
                }
                EntityType::ALL[best]
            })
            .collect()
    };
    let gaz: Vec<Option<GazetteerMatch>> = surface_keys.iter().map(|k| if k.is_empty() { None } else { gazetteer.lookup_key(k) }).collect();
    for (i, (t, g)) in types.iter_mut().zip(&gaz).enumerate() {
        // "the Times", "the Post": a newspaper, however the tagger typed the lone word
        // (allsides-dev had "Times" MISC 236 times and PER 118 beside ORG 73).
        if *t != EntityType::Org && NEWSPAPER_WORDS.contains(&surface_keys[i].as_str()) && after_the(text, mentions[i].span.start as usize)
        {
            *t = EntityType::Org;
        }
        if *t != EntityType::Per && g.is_some_and(|g| g.kind.is_country()) {
            *t = EntityType::Loc;
        }
        // A US state or a region standing alone is a place, whatever the tagger said
        // ("Arizona" voted ORG in a story about its primary).
        if matches!(*t, EntityType::Org | EntityType::Misc) && g.is_some_and(|g| matches!(g.kind, NameKind::State | NameKind::Region)) {
            *t = EntityType::Loc;
        }
        // A state's name of two words is no person ("Rhode Island" PER 24 times).
        if *t == EntityType::Per && g.is_some_and(|g| g.kind == NameKind::State) && surface_keys[i].contains(' ') {
            *t = EntityType::Loc;
        }
        // "Never Trump", "Team Trump": a movement or camp named for a person is none, and
        // a lone "Trump" must not resolve to it (allsides-dev: 33 did).
        if *t == EntityType::Per && (surface_keys[i].starts_with("never ") || surface_keys[i].starts_with("team ")) {
            *t = EntityType::Misc;
        }
        // So is a city after a preposition of place ("the convention in Cleveland", "a
        // congressman from El Paso": allsides-dev had both as ORG over 100 times).
        if matches!(*t, EntityType::Org | EntityType::Misc)
            && g.is_some_and(|g| g.kind == NameKind::City)
            && matches!(word_before(text, mentions[i].span.start as usize), "in" | "from" | "near" | "outside" | "at")
        {
            *t = EntityType::Loc;
        }
    }

    // A person title and a name is a person, however the tagger typed it ("Officer
    // Wilson" ORG, "Professor Calarco" ORG, "Justice Kavanaugh" LOC on allsides-dev).
    // So is a role and a knowledge-base person's name ("Vice President Joe Biden" LOC 161
    // times, "House Minority Leader Nancy Pelosi" ORG 95 times on allsides-dev).
    let kb = Kb::builtin();
    for (t, c) in types.iter_mut().zip(&cleaned) {
        if *t != EntityType::Per
            && (is_titled_name(c)
                || c.split_whitespace().nth(2).is_some()
                    && matches!(split_title(c, gazetteer), (Some(name), Some(_), _)
                    if kb.strong(&lookup_key(&name)).is_some_and(|e| e.entity_type == EntityType::Per)))
        {
            *t = EntityType::Per;
        }
    }

    // A "person" whose last word heads an organisation, place or law ("Donald Sterling
    // Foundation", "Harris County", "Dodd-Frank Act": tagger spans on allsides-dev) is
    // none, so no person's short name resolves into it.
    for (t, c) in types.iter_mut().zip(&cleaned) {
        if *t == EntityType::Per {
            if let Some(ty) = head_word_type(c) {
                *t = ty;
            }
        }
    }

    // 3. Titles and roles.
    let mut work: Vec<Work> = Vec::with_capacity(mentions.len());
    for (i, (m, cleaned)) in mentions.iter().zip(cleaned).enumerate() {
        let ty = types[i];
        let (split, inner_role, inner_nat) = if ty == EntityType::Per { split_title(&cleaned, gazetteer) } else { (None, None, None) };
        let mut before = preceding_title(text, m.span.start as usize, gazetteer);
        if ty == EntityType::Per && before.role.is_none() {
            let after = appositive_title(text, m.span.end as usize, gazetteer);
            if after.role.is_some() {
                before.role = after.role;
                before.nationality = before.nationality.or(after.nationality);
            }
        }
        let (role, nationality) = match ty {
            EntityType::Per => {
                let role = match (before.role, inner_role) {
                    (Some(a), Some(b)) => Some(format!("{a} {b}")),
                    (a, b) => a.or(b),
                };
                let governed = || governed_country(text, m.span.start as usize, gazetteer);
                let nationality = inner_nat
                    .or(before.nationality)
                    .or_else(governed)
                    .or_else(|| us_congress_role(role.as_deref()))
                    .or_else(|| party_tag_after(text, m.span.end as usize));
                (role, nationality)
            }
            _ => (None, before.adjacent_nationality),
        };
        let (name, key) = match split {
            Some(name) => {
                let key = lookup_key(&name);
                (Cow::Owned(name), key)
            }
            None => (cleaned, std::mem::take(&mut surface_keys[i])),
        };
        let (name, key) = singular_demonym(ty, name, key, gazetteer);
        work.push(Work { ty, name, key, role, nationality });
    }

    // Group mentions by name key (one type per key after the vote, except when title
    // stripping made two keys meet: the first mention's type wins).
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of: Vec<usize> = Vec::with_capacity(work.len());
    {
        let mut group_of_key: Map<&str, usize> = new_map(work.len());
        for (i, w) in work.iter().enumerate() {
            let gi = *group_of_key.entry(w.key.as_str()).or_insert_with(|| {
                groups.push(Group {
                    ty: w.ty,
                    display: i,
                    display_diacritics: diacritic_count(&w.name),
                    first: i,
                    count: 0,
                    country: None,
                });
                groups.len() - 1
            });
            let g = &mut groups[gi];
            g.count += 1;
            // Prefer the spelling with diacritics ("Nicolás" over "Nicolas").
            let d = diacritic_count(&w.name);
            if d > g.display_diacritics {
                g.display = i;
                g.display_diacritics = d;
            }
            group_of.push(gi);
        }
    }
    for (gi, g) in groups.iter_mut().enumerate() {
        let first = g.first;
        if g.ty == EntityType::Loc && !us_state_not_country(&work[first].key, text, gazetteer) {
            if let Some(m) = gaz[first].filter(|m| m.kind.is_country()) {
                g.country = m.country_code;
            }
        }
        debug_assert_eq!(group_of[first], gi);
    }
    let names: Vec<&str> = groups.iter().map(|g| &*work[g.display].name).collect();
    let keys: Vec<&str> = groups.iter().map(|g| work[g.first].key.as_str()).collect();

    // Person name tokens (see `core_key_into`), joined.
    let mut buf = String::new();
    let mut core_keys: Vec<Option<String>> = vec![None; groups.len()];
    let mut core_of = |gi: usize, core_keys: &mut Vec<Option<String>>| {
        if core_keys[gi].is_none() {
            let mut out = String::new();
            core_key_into(names[gi], &mut out, &mut buf);
            core_keys[gi] = Some(out);
        }
    };

    // A one-word ORG/MISC name that is a PER's last name is that person.
    let mut per_last: Vec<&str> = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        if g.ty == EntityType::Per {
            core_of(gi, &mut core_keys);
        }
    }
    for (gi, g) in groups.iter().enumerate() {
        if g.ty != EntityType::Per {
            continue;
        }
        let core = core_keys[gi].as_deref().unwrap_or("");
        if core.is_empty() {
            continue;
        }
        let mut kept = core.split(' ').filter(|t| !GENERATIONAL.contains(t));
        if let (Some(_), Some(mut last)) = (kept.next(), kept.next()) {
            for t in kept {
                last = t;
            }
            per_last.push(last);
        }
    }
    let kb = Kb::builtin();
    let mut converted = Vec::new();
    // Countries the article names (as a country, people or capital).
    let named_countries: Vec<&str> = gaz
        .iter()
        .flatten()
        .filter(|g| g.kind.is_country() || matches!(g.kind, NameKind::Demonym | NameKind::Capital))
        .filter_map(|g| g.country_code)
        .collect();
    for (gi, g) in groups.iter().enumerate() {
        // A shared surname typed a place whose only gazetteer reading is a foreign city
        // of a country the article never names ("the Bush tax cuts" geocoded to Bush,
        // Egypt: 45 mentions on allsides-dev; "Rubio", "Palin", "Castro" likewise).
        if g.ty == EntityType::Loc
            && !keys[gi].contains(' ')
            && kb.is_shared_surname(keys[gi])
            && kb.strong(keys[gi]).is_none()
            && gazetteer
                .lookup_key(keys[gi])
                .is_some_and(|m| m.kind == NameKind::City && m.country_code.is_some_and(|c| c != "USA" && !named_countries.contains(&c)))
        {
            converted.push(gi);
            continue;
        }
        let one_word = matches!(g.ty, EntityType::Org | EntityType::Misc) && !keys[gi].contains(' ');
        // A surname several famous people share ("Bush", "Clinton") standing alone is a
        // person (the tagger read "Bush" in "the Bush tax cuts" as MISC), though which
        // one only a full name in the article can tell.
        if one_word
            && ((per_last.contains(&keys[gi]) && gazetteer.lookup_key(keys[gi]).is_none())
                || (kb.is_shared_surname(keys[gi]) && kb.strong(keys[gi]).is_none()))
        {
            converted.push(gi);
        }
    }
    drop(per_last);
    for gi in converted {
        groups[gi].ty = EntityType::Per;
        core_of(gi, &mut core_keys);
    }

    // 4. Short names to full names.
    let kb_of: Vec<Option<&'static KbEntry>> = keys.iter().map(|k| kb.strong(k)).collect();
    let target = resolve_groups(text, mentions, &group_of, &groups, &names, &keys, &core_keys, &kb_of, gazetteer);

    // 5. Knowledge-base links per root group: the KB's type, name, key and country win.
    let n = groups.len();
    let mut link: Vec<Option<&'static KbEntry>> = vec![None; n];
    let publisher = source.and_then(|s| publisher_outlet(kb, s));
    // Groups with a mention written with "the" ("the Nation", "The Atlantic").
    let mut with_the = vec![false; n];
    for (i, m) in mentions.iter().enumerate() {
        let start = m.span.start as usize;
        let before = text.get(start.saturating_sub(4)..start).unwrap_or("");
        let surface = text.get(m.span.range()).unwrap_or("");
        if before.eq_ignore_ascii_case("the ") || surface.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("the ")) {
            with_the[target[group_of[i]]] = true;
        }
    }
    for r in 0..n {
        if target[r] == r && groups[r].country.is_none() {
            link[r] = kb_link(kb, gazetteer, &groups[r], keys[r], names[r], core_keys[r].as_deref());
            // "The Nation" is the magazine, "our Nation" is not: an entry named "The
            // <word>" matched by its word alone needs the article to write "the".
            if link[r].is_some_and(|e| e.name.starts_with("The ") && !keys[r].contains(' ') && !with_the[r]) {
                link[r] = None;
            }
            // "the Times" with no Times named in the article: the publisher, when it is one.
            if link[r].is_none() && groups[r].ty == EntityType::Org && NEWSPAPER_WORDS.contains(&keys[r]) {
                link[r] = publisher.filter(|e| lookup_key(e.name).rsplit(' ').next() == Some(keys[r]));
            }
        }
    }
    // Evidence against a link: a nationality before a mention that is not the KB's
    // country ("the Italian Senate", "India's Supreme Court"), for a national
    // institution, whose KB name names its country ("United States Senate"). A company
    // or a movement is one thing wherever it acts: "Russian Facebook ads", "the Sweden
    // Twitter account" and "EGYPT CRACKDOWN - Fox News: Egyptian security" still name
    // Facebook, Twitter and Fox News. A person's full name is identity enough (role
    // words may name a counterpart's country).
    for (i, w) in work.iter().enumerate() {
        let r = target[group_of[i]];
        if let (Some(e), Some(c)) = (link[r], w.nationality) {
            if e.entity_type != EntityType::Per && e.country.is_some_and(|k| k != c) && inner_country(e.name, gazetteer).is_some() {
                link[r] = None;
            }
        }
    }

    // 6. Country codes per entity (root group).
    let mut country: Vec<Option<&'static str>> = vec![None; n];
    let root_type: Vec<EntityType> = (0..n).map(|gi| groups[target[gi]].ty).collect();
    // Name-based codes first (the root's name), then mention evidence in text order.
    for (gi, g) in groups.iter().enumerate() {
        if target[gi] != gi {
            continue;
        }
        let display = names[gi];
        country[gi] = match g.ty {
            _ if g.country.is_some() => g.country,
            EntityType::Loc if us_state_not_country(keys[gi], text, gazetteer) => Some("USA"),
            EntityType::Loc => gazetteer.country_code(display),
            // The curated organisation list first: "Korean Central News Agency" is North
            // Korea's, whatever its words say.
            EntityType::Org => gazetteer
                .organization_country(display)
                .or_else(|| gazetteer.nationality(display))
                .or_else(|| inner_country(display, gazetteer)),
            EntityType::Misc => gazetteer.nationality(display).or_else(|| inner_country(display, gazetteer)),
            EntityType::Per => None,
        };
    }
    // Mention evidence (role nationality, a nationality right before an organisation)
    // for persons and organisations; a group noun or adjective ("Muslim", "COVID-19")
    // takes its country from its own name only ("Venezuelans").
    for (i, w) in work.iter().enumerate() {
        let r = target[group_of[i]];
        // A generic one-word organisation name ("Army", "Times", "Parliament") is one
        // run-wide entity for every country's: a nationality before it is no evidence
        // for the entity.
        let generic_org = root_type[group_of[i]] == EntityType::Org && GENERIC_ORG_WORDS.contains(&keys[r]);
        if country[r].is_none() && matches!(root_type[group_of[i]], EntityType::Per | EntityType::Org) && !generic_org {
            country[r] = w.nationality;
        }
    }
    for r in 0..n {
        if let Some(e) = link[r] {
            country[r] = e.country;
        }
    }
    // Acronyms and short names without an own code inherit nothing else: the root's
    // code is the entity's.

    // Canonical name and key per root group.
    let mut resolved: Vec<Option<(&str, &str)>> = vec![None; n];
    for &r in &target {
        if resolved[r].is_some() {
            continue;
        }
        let root = &groups[r];
        if let Some(e) = link[r] {
            resolved[r] = Some((e.name, e.key.as_str()));
            continue;
        }
        resolved[r] = Some(match root.country.and_then(|c| gazetteer.country(c)) {
            Some(c) => (c.name, c.code),
            None => {
                let core = if root.ty == EntityType::Per { core_keys[r].as_deref().unwrap_or("") } else { "" };
                let key = if core.is_empty() { keys[r] } else { core };
                (names[r], key)
            }
        });
    }

    let mut overrides: Vec<Option<SurnameOverride>> = Vec::new();
    // 7. "the Hill" typed PER is no person ("Ms. Hill" is): "on the Hill" is Capitol
    // Hill, another "the Hill" the outlet; likewise any one-word person whose word is a
    // knowledge-base entry "The <word>" and that is written after "the".
    for (i, m) in mentions.iter().enumerate() {
        let a = group_of[i];
        if groups[a].ty != EntityType::Per || keys[a].contains(' ') || target[a] != a {
            continue;
        }
        let Some(entry) = kb.strong(keys[a]).filter(|e| e.entity_type != EntityType::Per && e.name.starts_with("The ")) else {
            continue;
        };
        let start = m.span.start as usize;
        let before = text.get(start.saturating_sub(16)..start).or_else(|| text.get(..start)).unwrap_or("");
        let mut words = before.split_whitespace().rev();
        let (Some(the), prev) = (words.next(), words.next()) else { continue };
        if !the.eq_ignore_ascii_case("the") || !before.ends_with(' ') {
            continue;
        }
        let place = keys[a] == "hill"
            && prev.is_some_and(|p| matches!(p.to_lowercase().as_str(), "on" | "to" | "from" | "off" | "across" | "around" | "up"));
        let e = if place { kb.strong("capitol hill").unwrap_or(entry) } else { entry };
        if overrides.is_empty() {
            overrides.resize_with(mentions.len(), || None);
        }
        overrides[i] = Some(SurnameOverride::Kb(e));
    }

    let resolved_of = |r: usize, w: &Work| resolved_mention(r, w, &groups, &resolved, &names, &keys, &link, &country, kb);

    // 8. A surname standing alone ("Clinton") with a courtesy title or an office before
    // it ("Mrs. Clinton", "former President Clinton"): the one person of that surname
    // who fits, among those the article names in full, else among the knowledge base's
    // people of that surname (`data/kb/person_facts.tsv`); when several or none fit, the
    // surname alone, unlinked, and never a resolution the evidence contradicts.
    // The root groups of the people the article names in full with a lone name's surname.
    // A root group's person as a folded name: its knowledge-base name, else its own.
    let person_key = |r: usize| link[r].map_or_else(|| lookup_key(names[r]), |e| lookup_key(e.name));
    let surname_cands = |a: usize| {
        let mut cands: Vec<usize> = Vec::new();
        for (b, gb) in groups.iter().enumerate() {
            let r = target[b];
            if b == a || gb.ty != EntityType::Per || cands.contains(&r) || r == a {
                continue;
            }
            let Some(core) = core_keys[b].as_deref() else { continue };
            let toks: Vec<&str> = core.split(' ').collect();
            let toks = strip_gen(&toks);
            if toks.len() >= 2 && toks.last() == Some(&keys[a]) {
                cands.push(r);
            }
        }
        cands
    };
    for (a, g) in groups.iter().enumerate() {
        if g.ty != EntityType::Per || keys[a].contains(' ') || kb.facts_of_surname(keys[a]).next().is_none() {
            continue;
        }
        let cands = surname_cands(a);
        let facts_of = |r: usize| kb.facts(&person_key(r));
        for i in (0..mentions.len()).filter(|&i| group_of[i] == a) {
            // "the X administration" decides only a surname the knowledge base does not
            // already give one person ("the Obama administration" stays Barack Obama's
            // beside a "Michelle Robinson Obama" of unknown offices).
            let mut ev = surname_evidence(text, mentions[i].span.range(), work[i].role.as_deref(), link[a].is_none());
            let mut from_pronoun = false;
            // A surname the knowledge base gives no one person ("Clinton", "Bush"), that
            // opens its sentence in an article naming two people of it, takes the gender
            // of the possessive or reflexive pronoun that follows it, up to the next person
            // named ("Clinton made her case"), or of a next sentence's opening "She"; only
            // to choose among those two. Read after an object ("Trump attacked Clinton, and
            // his …") or a speech verb ("Clinton said he …") the pronoun is someone else's
            // as often as not (allsides-dev: 342 of 469 mentions moved wrongly); a linked
            // surname ("Trump said she …") is never read.
            if ev.gender.is_none() && link[a].is_none() && cands.len() >= 2 && opens_sentence(text, mentions[i].span.start as usize) {
                let end = mentions[i].span.end as usize;
                let next_person = mentions
                    .iter()
                    .zip(&group_of)
                    .filter(|(m, &g)| m.span.start as usize >= end && groups[g].ty == EntityType::Per)
                    .map(|(m, _)| m.span.start as usize)
                    .min()
                    .unwrap_or(text.len());
                ev.gender = pronoun_gender_after(text, end, next_person);
                from_pronoun = ev.gender.is_some();
            }
            if !ev.is_some() {
                continue;
            }
            // A surname the knowledge base gives one person ("Trump", "Obama") stays theirs
            // when the evidence fits them: "Mr. Trump" is Donald Trump beside a Fred Trump
            // of unknown facts, or with no full name in the article at all (allsides-dev
            // had 102 "Trump" mentions left unlinked this way). "Mrs. Obama" does not fit
            // Barack Obama and is decided below.
            if link[a].is_some_and(|e| e.entity_type == EntityType::Per && ev.fits(kb.facts(&lookup_key(e.name))) != Some(false)) {
                continue;
            }
            let fits: Vec<(usize, Option<bool>)> = cands.iter().map(|&r| (r, ev.fits(facts_of(r)))).collect();
            let possible: Vec<(usize, Option<bool>)> = fits.into_iter().filter(|(_, f)| *f != Some(false)).collect();
            let decision = match possible.as_slice() {
                [(r, Some(true))] => Some(SurnameOverride::Root(*r)),
                // A pronoun only chooses among the people named; else step 9 decides.
                _ if from_pronoun => None,
                [] => {
                    let mut people = kb.facts_of_surname(keys[a]).filter(|f| ev.fits(Some(f)) == Some(true));
                    match (people.next(), people.next()) {
                        (Some(f), None) => match kb.strong(&lookup_key(f.name)).filter(|e| e.entity_type == EntityType::Per) {
                            Some(e) => Some(SurnameOverride::Kb(e)),
                            None => Some(SurnameOverride::Alone),
                        },
                        _ => Some(SurnameOverride::Alone),
                    }
                }
                _ if possible.iter().any(|(r, _)| *r == target[a]) => None,
                _ => Some(SurnameOverride::Alone),
            };
            if let Some(d) = decision {
                if overrides.is_empty() {
                    overrides.resize_with(mentions.len(), || None);
                }
                overrides[i] = Some(d);
            }
        }
    }

    // 9. A surname two people of the article share ("Clinton" beside Hillary and Bill
    // Clinton), or one whose person step 8's evidence decided ("President Clinton" and
    // later "Clinton"), that step 8 left open: news name a person in full, or by a title
    // that tells who, before they call them by the surname alone, so a mention written
    // while only one of them has been named is that one. On allsides-dev this decides 722
    // of 2,362 such "Clinton" mentions beside two full names and 28 of the 29
    // "Mrs./Mr. Clinton" it decides; taking the first person named for every mention is
    // right for 106 of 138, too low.
    for (a, g) in groups.iter().enumerate() {
        if g.ty != EntityType::Per || keys[a].contains(' ') || target[a] != a {
            continue;
        }
        // Only a surname: not a word the knowledge base holds as something else
        // ("Republicans" beside "House Republicans").
        if link[a].is_some_and(|e| e.entity_type != EntityType::Per) || kb.strong(keys[a]).is_some_and(|e| e.entity_type != EntityType::Per)
        {
            continue;
        }
        let mut cands = surname_cands(a);
        cands.retain(|&r| link[r].is_none_or(|e| e.entity_type == EntityType::Per));
        // A surname the knowledge base gives one person ("Obama", "Trump") is theirs
        // unless two people of it are named in full before: evidence of another kind
        // does not outweigh the link.
        let linked = link[a].is_some();
        if linked && cands.len() < 2 {
            continue;
        }
        // People the knowledge base linked by another name ("Hillary" alone) count too.
        for (b, gb) in groups.iter().enumerate().filter(|_| !linked) {
            let r = target[b];
            if b == a || r == a || gb.ty != EntityType::Per || cands.contains(&r) {
                continue;
            }
            if link[r].is_some_and(|e| e.entity_type == EntityType::Per && names_surname(e, keys[a])) {
                cands.push(r);
            }
        }
        // Each naming: where it is, who it names (a folded name), and the decision it gives.
        let mut namings: Vec<(usize, String, SurnameOverride)> = Vec::new();
        for &r in &cands {
            let named = (0..mentions.len()).filter(|&j| group_of[j] != a && target[group_of[j]] == r);
            if let Some(first) = named.map(|j| mentions[j].span.start as usize).min() {
                namings.push((first, person_key(r), SurnameOverride::Root(r)));
            }
        }
        for j in (0..mentions.len()).filter(|&j| group_of[j] == a && !linked) {
            let Some(decision) = overrides.get(j).copied().flatten() else { continue };
            let who = match decision {
                SurnameOverride::Root(r) => person_key(r),
                SurnameOverride::Kb(e) => lookup_key(e.name),
                SurnameOverride::Alone => continue,
            };
            namings.push((mentions[j].span.start as usize, who, decision));
        }
        if namings.is_empty() {
            continue;
        }
        for i in (0..mentions.len()).filter(|&i| group_of[i] == a) {
            if overrides.get(i).is_some_and(Option::is_some) {
                continue;
            }
            let start = mentions[i].span.start as usize;
            let mut before = namings.iter().filter(|(at, _, _)| *at < start);
            let Some(first) = before.next() else { continue };
            if before.any(|(_, who, _)| *who != first.1) {
                continue;
            }
            if overrides.is_empty() {
                overrides.resize_with(mentions.len(), || None);
            }
            overrides[i] = Some(first.2);
        }
    }

    // 10. A lone head noun of an organisation's name ("the Court" after "the Supreme
    // Court", "the Committee", "the Department"): the one organisation of the article
    // whose name holds it, for mentions after that one is first named. On allsides-dev
    // 315 of 344 lone "Court" mentions sit in articles naming the Supreme Court.
    for a in 0..groups.len() {
        if target[a] != a || link[a].is_some() || !ORG_HEAD_NOUNS.contains(&keys[a]) {
            continue;
        }
        let mut orgs: Vec<usize> = Vec::new();
        for (b, gb) in groups.iter().enumerate() {
            let r = target[b];
            if b == a || r == a || orgs.contains(&r) {
                continue;
            }
            let (ty, name) = match link[r] {
                Some(e) => (e.entity_type, lookup_key(e.name)),
                None => (gb.ty, lookup_key(names[r])),
            };
            // The head noun ends the name or opens its complement ("Supreme Court of the
            // United States"), so no mistagged span ("Supreme Court Justice Brett
            // Kavanaugh") draws it.
            let words: Vec<&str> = name.split(' ').collect();
            let heads = words
                .iter()
                .enumerate()
                .any(|(k, w)| *w == keys[a] && k > 0 && words.get(k + 1).is_none_or(|n| matches!(*n, "of" | "for" | "on")));
            if ty == EntityType::Org && heads {
                orgs.push(r);
            }
        }
        let [r] = orgs[..] else { continue };
        let first = (0..mentions.len()).filter(|&j| target[group_of[j]] == r).map(|j| mentions[j].span.start).min();
        for i in (0..mentions.len()).filter(|&i| group_of[i] == a) {
            if overrides.get(i).is_some_and(Option::is_some) || first.is_none_or(|f| f > mentions[i].span.start) {
                continue;
            }
            if overrides.is_empty() {
                overrides.resize_with(mentions.len(), || None);
            }
            overrides[i] = Some(SurnameOverride::Root(r));
        }
    }

    work.iter()
        .enumerate()
        .map(|(i, w)| {
            let r = target[group_of[i]];
            match overrides.get(i).and_then(Option::as_ref) {
                Some(SurnameOverride::Root(o)) => return resolved_of(*o, w),
                Some(SurnameOverride::Kb(e)) => {
                    return ResolvedMention {
                        entity_type: e.entity_type,
                        canonical_name: e.name.to_string(),
                        key: e.key.clone(),
                        role: if e.entity_type == EntityType::Per { w.role.clone() } else { None },
                        country_code: e.country,
                        kb_id: e.kb_id,
                        kb_linked: true,
                    }
                }
                Some(SurnameOverride::Alone) => {
                    let a = group_of[i];
                    // The country the knowledge base's people of the surname share, if one.
                    let mut cs = kb.facts_of_surname(keys[a]).filter_map(|f| kb.strong(&lookup_key(f.name))).map(|e| e.country);
                    let first = cs.next().flatten();
                    let country_code = if cs.all(|c| c == first) { first } else { None };
                    return ResolvedMention {
                        entity_type: EntityType::Per,
                        canonical_name: names[a].to_string(),
                        key: keys[a].to_string(),
                        role: w.role.clone(),
                        country_code,
                        kb_id: None,
                        kb_linked: false,
                    };
                }
                None => {}
            }
            resolved_of(r, w)
        })
        .collect()
}

/// Head nouns of organisations' names that stand alone for the one named in full
/// ("the Court", "the Committee"), folded.
const ORG_HEAD_NOUNS: &[&str] = &[
    "court",
    "committee",
    "department",
    "administration",
    "legislature",
    "commission",
    "bureau",
    "assembly",
    "council",
    "board",
    "agency",
    "foundation",
    "institute",
    "university",
    "college",
    "caucus",
    "subcommittee",
    "panel",
];

/// Whether `key` (folded, one word) is the surname of the knowledge-base person `e`: the
/// last word of the name, or the first for a Chinese or Korean name ("Kim" of "Kim Jong
/// Un", "Xi" of "Xi Jinping"), family name first.
fn names_surname(e: &KbEntry, key: &str) -> bool {
    let name = lookup_key(e.name);
    name.rsplit(' ').next() == Some(key)
        || (matches!(e.country, Some("CHN" | "PRK" | "KOR" | "TWN")) && name.split(' ').next() == Some(key))
}

#[derive(Clone, Copy)]
enum SurnameOverride {
    /// The mention is this root group's person.
    Root(usize),
    /// The knowledge base's person, not named in full in the article.
    Kb(&'static KbEntry),
    /// The surname alone, unlinked.
    Alone,
}

#[allow(clippy::too_many_arguments)]
fn resolved_mention(
    r: usize,
    w: &Work,
    groups: &[Group],
    resolved: &[Option<(&str, &str)>],
    names: &[&str],
    keys: &[&str],
    link: &[Option<&'static KbEntry>],
    country: &[Option<&'static str>],
    kb: &Kb,
) -> ResolvedMention {
    let root = &groups[r];
    let (canonical, key) = resolved[r].unwrap_or((names[r], keys[r]));
    let ty = link[r].map_or(root.ty, |e| e.entity_type);
    let kb_id = match link[r] {
        Some(e) => e.kb_id,
        None => root.country.and_then(|c| kb.country_qid(c)),
    };
    ResolvedMention {
        entity_type: ty,
        canonical_name: canonical.to_string(),
        key: key.to_string(),
        role: if ty == EntityType::Per { w.role.clone() } else { None },
        country_code: country[r],
        kb_id,
        kb_linked: link[r].is_some(),
    }
}

/// The knowledge-base entry a root group names: by its name, first surface or (PER)
/// core key as a strong alias; else, for a one-word name, by a unique surname (weak
/// alias) when the tagger voted PER or the word is no place name.
fn kb_link(kb: &'static Kb, g: &Gazetteer, group: &Group, key: &str, name: &str, core: Option<&str>) -> Option<&'static KbEntry> {
    let name_key = lookup_key(name);
    let core = core.filter(|c| !c.is_empty());
    for k in [Some(name_key.as_str()), Some(key), core].into_iter().flatten() {
        if let Some(e) = kb.strong(k) {
            // A person "Hill" ("Ms. Hill") is not the outlet "The Hill": an entry named
            // "The <word>" is matched by its one word only when the tagger saw no person.
            if group.ty == EntityType::Per && e.entity_type != EntityType::Per && e.name.starts_with("The ") && !k.contains(' ') {
                return None;
            }
            return Some(e);
        }
    }
    let single = core.unwrap_or(&name_key);
    if group.ty == EntityType::Per && single.contains(' ') {
        // A hyphenated surname alone ("Ocasio-Cortez", 82 unlinked mentions on
        // allsides-dev) is one word of the text, whose key has a space.
        if !name.contains(char::is_whitespace) && name.chars().any(char::is_lowercase) {
            if let Some(e) = kb.weak(single) {
                return Some(e);
            }
        }
        return kb_person_by_surname(kb, single);
    }
    // A word in capitals ("his POWER PLAY column") is no evidence of a surname.
    if single.contains(' ') || single.chars().count() < 3 || !name.chars().any(char::is_lowercase) {
        return None;
    }
    let e = kb.weak(single)?;
    (group.ty == EntityType::Per || g.lookup_key(single).is_none()).then_some(e)
}

/// The knowledge-base person a full name (a core key) names by surname when the
/// knowledge base holds one person of that surname and the given names fit ("Dick
/// Durbin" for "Richard Durbin"; "Hunter Biden" is not "Joe Biden").
fn kb_person_by_surname(kb: &'static Kb, core: &str) -> Option<&'static KbEntry> {
    let tokens: Vec<&str> = core.split(' ').collect();
    let tokens = strip_gen(&tokens);
    let (&first, &last) = (tokens.first()?, tokens.last()?);
    if tokens.len() < 2 || last.chars().count() < 3 {
        return None;
    }
    let e = kb.weak(last).or_else(|| kb.strong(last)).filter(|e| e.entity_type == EntityType::Per)?;
    let kb_key = lookup_key(e.name);
    let kb_tokens: Vec<&str> = kb_key.split(' ').filter(|w| w.chars().count() > 1).collect();
    let kb_tokens = strip_gen(&kb_tokens);
    (kb_tokens.len() >= 2 && kb_tokens.last() == Some(&last) && kb_tokens.first().is_some_and(|f| given_names_compatible(f, first)))
        .then_some(e)
}

fn type_index(t: EntityType) -> usize {
    match t {
        EntityType::Per => 0,
        EntityType::Org => 1,
        EntityType::Loc => 2,
        EntityType::Misc => 3,
    }
}

fn diacritic_count(s: &str) -> usize {
    if s.is_ascii() {
        return 0;
    }
    s.chars().filter(|c| !c.is_ascii() && c.is_alphabetic()).count()
}

/// Without trailing generational suffixes ("Jr."), at least one token kept.
fn strip_gen<'x, 'y>(t: &'x [&'y str]) -> &'x [&'y str] {
    let mut v = t;
    while v.len() > 1 && v.last().is_some_and(|l| GENERATIONAL.contains(l)) {
        v = &v[..v.len() - 1];
    }
    v
}

/// For each group, the group it resolves to (itself when none).
#[allow(clippy::too_many_arguments)]
fn resolve_groups(
    text: &str,
    mentions: &[Mention],
    group_of: &[usize],
    groups: &[Group],
    names: &[&str],
    keys: &[&str],
    core_keys: &[Option<String>],
    kb_of: &[Option<&'static KbEntry>],
    gazetteer: &Gazetteer,
) -> Vec<usize> {
    let n = groups.len();
    let mut target: Vec<usize> = (0..n).collect();
    let better = |a: usize, b: usize| -> bool {
        // Is group `a` a better resolution target than `b`?
        (groups[a].count, std::cmp::Reverse(groups[a].first)) > (groups[b].count, std::cmp::Reverse(groups[b].first))
    };

    // PER (only between two or more persons).
    let per_groups = groups.iter().filter(|g| g.ty == EntityType::Per).count();
    let per_core: Vec<Vec<&str>> = if per_groups < 2 {
        Vec::new()
    } else {
        groups
            .iter()
            .enumerate()
            .map(|(gi, g)| match core_keys[gi].as_deref() {
                Some(k) if g.ty == EntityType::Per && !k.is_empty() => k.split(' ').collect(),
                _ => Vec::new(),
            })
            .collect()
    };
    let stripped_len: Vec<usize> = per_core.iter().map(|t| strip_gen(t).len()).collect();
    let middles: Vec<String> = if per_groups < 2 { Vec::new() } else { names.iter().map(|d| middle_initials(d)).collect() };
    // Every person each name could be (strength > 0), to find names that fit several.
    let mut candidates: Vec<Vec<usize>> = vec![Vec::new(); if per_groups < 2 { 0 } else { n }];
    for a in 0..if per_groups < 2 { 0 } else { n } {
        let ta = per_core[a].as_slice();
        if groups[a].ty != EntityType::Per || ta.is_empty() {
            continue;
        }
        let mut best: Option<(u8, usize)> = None;
        for b in 0..n {
            let tb = per_core[b].as_slice();
            // "Bill and Hillary Clinton" names two people: no one's full name.
            if a == b || groups[b].ty != EntityType::Per || tb.is_empty() || tb.contains(&"and") {
                continue;
            }
            // The tagger's PER "Republicans" is the knowledge base's party, not "House
            // Republicans" (a name of the knowledge base that is no person keeps its entry).
            // "Bloomberg" still resolves to "Michael Bloomberg", a person the KB knows.
            // A person "Hill" is no outlet "The Hill" (an entry named "The <word>" is
            // matched by its one word only as no person, as in `kb_link`): "Hill" after
            // "Fiona Hill" is her (253 lone "Hill" persons on allsides-dev).
            let kb_thing =
                kb_of[a].is_some_and(|e| e.entity_type != EntityType::Per && (!e.name.starts_with("The ") || keys[a].contains(' ')));
            if kb_thing && kb_of[b].is_none_or(|e| e.entity_type != EntityType::Per) {
                continue;
            }
            // Strength: 4 same core name ("Donald J. Trump" / "Donald Trump"; the longer
            // display, then the better group, is the target); 3 the name ends the longer
            // one or sits inside it; 2 it ends it before a "Jr."; 1 a one-word name is
            // one of the later words ("Maduro" in "Nicolás Maduro Moros").
            let strength = if tb == ta {
                let (la, lb) = (names[a].len(), names[b].len());
                // "George W. Bush" is not "George H. W. Bush" nor "George P. Bush".
                if !middles[a].is_empty() && !middles[b].is_empty() && middles[a] != middles[b] {
                    0
                } else if lb > la || (lb == la && better(b, a)) {
                    4
                } else {
                    0
                }
            } else if tb.len() > ta.len() {
                let tbs = strip_gen(tb);
                // "Donald Trump" is not "Donald Trump Jr.".
                let same_but_suffix = tbs.len() == ta.len();
                if same_but_suffix {
                    0
                } else if tb.ends_with(ta) || (ta.len() >= 2 && is_subsequence(ta, tbs)) {
                    3
                } else if tbs.ends_with(ta) {
                    2
                } else if ta.len() == 1
                    && ((ta[0].chars().count() >= 3 && tb[1..].contains(&ta[0]))
                        || (ta[0].chars().count() >= 2 && tb[0] == ta[0] && !is_kb_surname(ta[0])))
                {
                    // A later word ("Maduro" in "Nicolás Maduro Moros") or the first word,
                    // the family name in East Asian order ("Xi" in "Xi Jinping").
                    1
                } else {
                    0
                }
            } else {
                0
            };
            if strength == 0 {
                continue;
            }
            candidates[a].push(b);
            let replace = match best {
                None => true,
                Some((s, cur)) => {
                    strength > s
                        || (strength == s
                            && (stripped_len[b] > stripped_len[cur] || (stripped_len[b] == stripped_len[cur] && better(b, cur))))
                }
            };
            if replace {
                best = Some((strength, b));
            }
        }
        if let Some((_, b)) = best {
            target[a] = b;
        }
    }
    // A name that fits two different people of the article ("Bush" beside "George W.
    // Bush" and "Jeb Bush", "Clinton" beside Hillary and Bill) resolves to neither: the
    // knowledge base may still know whom it means alone ("Trump"), else it stays itself.
    let root_of = |target: &[usize], mut t: usize| {
        for _ in 0..n {
            if target[t] == t {
                break;
            }
            t = target[t];
        }
        t
    };
    let mut ambiguous = Vec::new();
    for (a, cands) in candidates.iter().enumerate() {
        if cands.len() < 2 {
            continue;
        }
        // One person per root; roots the knowledge base links to one entry are one.
        let mut seen: Vec<(Result<*const KbEntry, usize>, usize)> = Vec::new();
        for &b in cands {
            let r = root_of(&target, b);
            let id = match kb_of[r].or_else(|| core_keys[r].as_deref().and_then(|c| Kb::builtin().strong(c))) {
                Some(e) => Ok(e as *const KbEntry),
                None => Err(r),
            };
            if !seen.iter().any(|(s, _)| *s == id) {
                seen.push((id, r));
            }
        }
        if seen.len() > 1 {
            ambiguous.push((a, seen.into_iter().map(|(_, r)| r).collect::<Vec<usize>>()));
        }
    }
    // Mentions per root, the ambiguous names aside.
    let mut per_root = vec![0usize; if ambiguous.is_empty() { 0 } else { n }];
    if !ambiguous.is_empty() {
        for b in 0..n {
            if !ambiguous.iter().any(|(a, _)| *a == b) {
                per_root[root_of(&target, b)] += groups[b].count;
            }
        }
    }
    for (a, roots) in ambiguous {
        // News name the second person of a surname in full ("former President Bill
        // Clinton") and the article's subject by the surname alone: one person mentioned
        // at least three times as often as every other is the one meant (96% of 88
        // "Mrs./Mr. Clinton" on allsides-dev; a plain majority 84%, too low).
        let mut counts: Vec<(usize, usize)> = roots.iter().map(|&r| (per_root[r], r)).collect();
        counts.sort_unstable_by(|x, y| y.cmp(x));
        target[a] = match counts.as_slice() {
            [(top, r), (next, _), ..] if *top >= 3 * (*next).max(1) => *r,
            _ => a,
        };
    }

    // "The Times", "the Post": the one outlet of that name in the article.
    for a in 0..n {
        if groups[a].ty != EntityType::Org || !NEWSPAPER_WORDS.contains(&keys[a]) {
            continue;
        }
        let mut found: Option<usize> = None;
        let mut several = false;
        for b in 0..n {
            if a == b || groups[b].ty != EntityType::Org || keys[b].split(' ').count() < 2 || keys[b].rsplit(' ').next() != Some(keys[a]) {
                continue;
            }
            match found {
                None => found = Some(b),
                Some(f) if kb_of[f].is_some() && kb_of[f].map(|e| e as *const KbEntry) == kb_of[b].map(|e| e as *const KbEntry) => {}
                Some(_) => several = true,
            }
        }
        if let (Some(b), false) = (found, several) {
            target[a] = b;
        }
    }

    let acronyms: Vec<Option<String>> = names.iter().map(|d| acronym(d)).collect();

    // ORG: shorter names inside longer ones (only between two or more organisations).
    let org_groups = groups.iter().filter(|g| g.ty == EntityType::Org).count();
    let org_keys: Vec<String> = if org_groups < 2 {
        Vec::new()
    } else {
        groups.iter().enumerate().map(|(gi, g)| if g.ty == EntityType::Org { lookup_key(names[gi]) } else { String::new() }).collect()
    };
    let org_content: Vec<Vec<&str>> =
        groups.iter().zip(&org_keys).map(|(g, k)| if g.ty == EntityType::Org { content_tokens(k) } else { Vec::new() }).collect();
    for a in 0..if org_groups < 2 { 0 } else { n } {
        if groups[a].ty != EntityType::Org || target[a] != a {
            continue;
        }
        let ta = &org_content[a];
        if ta.is_empty()
            || (ta.len() == 1 && GENERIC_ORG_WORDS.contains(&ta[0]))
            || acronyms[a].is_some()
            || gazetteer.nationality(names[a]).is_some()
            // "New York" is not "The New York Times".
            || gazetteer.lookup(names[a]).is_some()
        {
            continue;
        }
        let mut best: Option<usize> = None;
        for b in 0..n {
            if a == b || groups[b].ty != EntityType::Org || other_kb_entry(kb_of[a], kb_of[b]) {
                continue;
            }
            let tb = &org_content[b];
            if tb.len() > ta.len() && is_subsequence(ta, tb) {
                best = match best {
                    Some(cur) if !better(b, cur) => Some(cur),
                    _ => Some(b),
                };
            }
        }
        if let Some(b) = best {
            target[a] = b;
        }
    }

    // Acronyms.
    if (0..n).any(|a| target[a] == a && acronyms[a].is_some()) {
        let inits: Vec<(String, String)> = names.iter().map(|d| initials(d)).collect();
        // What follows each mention in parentheses: its acronym form (when short) and
        // its key (when not too long).
        let paren: Vec<(Option<String>, Option<String>)> = mentions
            .iter()
            .map(|m| match parenthesis_after(text, m.span.end as usize) {
                Some(inner) => (
                    if inner.len() <= 16 { acronym(inner.trim()) } else { None },
                    if inner.len() <= 120 { Some(lookup_key(inner)) } else { None },
                ),
                None => (None, None),
            })
            .collect();
        for a in 0..n {
            if target[a] != a {
                continue;
            }
            let Some(acr) = acronyms[a].as_deref() else {
                continue;
            };
            // "U.S." is a country, not the initials of "U.S. Senate".
            if groups[a].country.is_some() {
                continue;
            }
            let mut best: Option<(u8, usize)> = None;
            for b in 0..n {
                // A person is nobody's acronym ("Mitch McConnell (NBC)" is a credit).
                if a == b || acronyms[b].is_some() || groups[b].ty == EntityType::Per || other_kb_entry(kb_of[a], kb_of[b]) {
                    continue;
                }
                let initials_match = inits[b].0 == acr || inits[b].1 == acr;
                // "Expansion (ACR)" needs the acronym's letters in the expansion, so a
                // dateline or credit ("WASHINGTON (AP)", "New York (CNN)") never merges.
                let paren = (spells_acronym(names[b], acr)
                    && (0..mentions.len()).any(|m| group_of[m] == b && paren[m].0.as_deref() == Some(acr)))
                    // "NATO (North Atlantic Treaty Organization)": the name in parentheses must
                    // spell the acronym, or datelines like "VILNIUS (Meridian)" would merge.
                    || (initials_match && (0..mentions.len()).any(|m| group_of[m] == a && paren[m].1.as_deref() == Some(keys[b])));
                let strength = if paren {
                    2
                } else if matches!(groups[b].ty, EntityType::Org | EntityType::Misc) && initials_match {
                    1
                } else {
                    0
                };
                if strength == 0 {
                    continue;
                }
                let replace = match best {
                    None => true,
                    Some((s, cur)) => strength > s || (strength == s && better(b, cur)),
                };
                if replace {
                    best = Some((strength, b));
                }
            }
            if let Some((_, b)) = best {
                target[a] = b;
            }
        }
    }

    // Follow chains to their end (bounded: targets only point to longer or better
    // names, but guard against cycles anyway).
    for a in 0..n {
        let mut t = a;
        for _ in 0..n {
            if target[t] == t {
                break;
            }
            t = target[t];
        }
        target[a] = t;
    }
    target
}

/// True when `a` is a knowledge-base name and `b` is not the same entry: "House" is not
/// "House Republicans", "Democratic Party" not "Iowa Democratic Party", "RNC" (the
/// committee) not "Republican National Convention".
fn other_kb_entry(a: Option<&KbEntry>, b: Option<&KbEntry>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => !std::ptr::eq(a, b),
        (Some(_), None) => true,
        _ => false,
    }
}

/// Last words that make a name an organisation, a place or a law, never a person.
const ORG_HEADS: &[&str] = &[
    "Foundation",
    "Center",
    "Centre",
    "Institute",
    "University",
    "College",
    "School",
    "Academy",
    "Committee",
    "Council",
    "Association",
    "Society",
    "Fund",
    "Project",
    "Network",
    "Agency",
    "Department",
    "Corporation",
    "Corp",
    "Inc",
    "Company",
    "Club",
    "League",
    "Alliance",
    "Coalition",
    "Party",
    "Group",
    "Times",
    "News",
    "Hospital",
];
const PLACE_HEADS: &[&str] = &["County", "Street", "Avenue", "Boulevard"];

/// Titles that only ever precede a person's name (not "General", which opens "General
/// Motors", nor "President", which opens "President's Day").
const PERSON_TITLES: &[&str] = &[
    "officer",
    "professor",
    "prof",
    "pastor",
    "anchor",
    "detective",
    "sgt",
    "sergeant",
    "judge",
    "justice",
    "rev",
    "reverend",
    "sen",
    "senator",
    "rep",
    "gov",
    "governor",
    "mr",
    "mrs",
    "ms",
    "dr",
    "lt",
    "col",
    "capt",
    "sheriff",
    "bishop",
    "imam",
    "rabbi",
    "ayatollah",
];

/// "Officer Wilson", "Justice Kavanaugh", "Sen. Ted Cruz": a person title, then one to
/// three capitalised words that do not end like an organisation or place ("Justice
/// Department", "Judge Advocate General's Corps" stay).
fn is_titled_name(name: &str) -> bool {
    let mut words = name.split_whitespace();
    let Some(title) = words.next() else { return false };
    let title = title.trim_end_matches('.');
    if !PERSON_TITLES.iter().any(|t| t.eq_ignore_ascii_case(title)) || !title.starts_with(|c: char| c.is_uppercase()) {
        return false;
    }
    let rest: Vec<&str> = words.collect();
    (1..=3).contains(&rest.len())
        && rest.iter().all(|w| w.starts_with(|c: char| c.is_uppercase()) && w.chars().any(char::is_lowercase))
        && head_word_type(name).is_none()
        && !rest
            .iter()
            .any(|w| matches!(w.trim_end_matches(['.', ',']), "Department" | "Court" | "Committee" | "League" | "Corps" | "General"))
}

fn head_word_type(name: &str) -> Option<EntityType> {
    let mut words = name.split_whitespace();
    let last = words.next_back()?.trim_end_matches('.');
    words.next_back()?;
    if ORG_HEADS.contains(&last) {
        Some(EntityType::Org)
    } else if PLACE_HEADS.contains(&last) {
        Some(EntityType::Loc)
    } else if last == "Act" {
        Some(EntityType::Misc)
    } else {
        None
    }
}

/// True when a folded word is a knowledge-base person's surname ("trump", "bush",
/// "schumer"): such a word alone is never the family name of a longer name it opens
/// ("Trump may have", a tagger's over-long span).
fn is_kb_surname(word: &str) -> bool {
    let kb = Kb::builtin();
    kb.weak(word).is_some()
        || kb.is_shared_surname(word)
        || kb.strong(word).is_some_and(|e| e.entity_type == EntityType::Per && lookup_key(e.name).rsplit(' ').next() == Some(word))
}

/// What a mention of a lone surname says about whom it means: the gender of a courtesy
/// title ("Mrs. Clinton", "Mr. Bush") and an office from its role ("former President",
/// "Secretary", "Sen.", "Gov.").
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct SurnameEvidence {
    gender: Option<char>,
    office: Option<&'static str>,
}

fn surname_evidence(text: &str, span: std::ops::Range<usize>, role: Option<&str>, read_after: bool) -> SurnameEvidence {
    let surface = text.get(span.clone()).unwrap_or("");
    // The last six characters before the span (a char boundary, whatever precedes).
    let prefix = text.get(..span.start).unwrap_or("");
    let before = prefix.char_indices().rev().nth(5).and_then(|(i, _)| prefix.get(i..)).unwrap_or(prefix);
    let courtesy = |t: &str| {
        let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
        if t.starts_with("Mrs.") || t.starts_with("Mrs ") || t.starts_with("Ms.") || t.starts_with("Ms ") {
            Some('F')
        } else if t.starts_with("Mr.") || t.starts_with("Mr ") {
            Some('M')
        } else {
            None
        }
    };
    // The title written right before the span ("Mrs. " just before "Clinton").
    let before_title = before.rfind(|c: char| c.is_whitespace() || c == '(' || c == '"').and_then(|i| before.get(i..)).unwrap_or(before);
    let gender = courtesy(surface).or_else(|| before.ends_with(' ').then(|| courtesy(before_title.trim_start())).flatten());
    let office = role.and_then(|r| {
        let words: Vec<String> = r
            .split(|c: char| c.is_whitespace() || c == '-')
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.').trim_end_matches('.').to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        let has = |w: &str| words.iter().any(|x| x == w);
        // One office only: "president and Secretary" tells nothing.
        let found: Vec<&'static str> = [
            (has("vice") && has("president"), "vice president"),
            (!has("vice") && (has("president") || has("pres")), "president"),
            (has("first") && has("lady"), "first lady"),
            (has("secretary") || has("sec"), "secretary"),
            (has("sen") || has("senator"), "senator"),
            (has("rep") || has("representative") || has("congressman") || has("congresswoman"), "representative"),
            (has("gov") || has("governor"), "governor"),
            (has("mayor"), "mayor"),
        ]
        .into_iter()
        .filter_map(|(hit, o)| hit.then_some(o))
        .collect();
        match found.as_slice() {
            [o] => Some(*o),
            _ => None,
        }
    });
    // "the Clinton administration", "the Bush White House", "a former Clinton
    // administration official": a president's; "a Clinton administration" may be one to
    // come (2016's Hillary Clinton), so only after "the" or "former".
    let office = office.or_else(|| {
        let before = word_before(text, span.start);
        if !read_after || !(before.eq_ignore_ascii_case("the") || before.eq_ignore_ascii_case("former")) {
            return None;
        }
        let after = text.get(span.end..).unwrap_or("");
        let after = after.strip_prefix("'s").or_else(|| after.strip_prefix("’s")).unwrap_or(after);
        let after = after.strip_prefix(' ')?;
        let word = after.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        (word.eq_ignore_ascii_case("administration") || (word == "White" && after.starts_with("White House"))).then_some("president")
    });
    SurnameEvidence { gender, office }
}

/// The gender of the first possessive or reflexive pronoun after `from`, read to `limit`
/// (the next person named) within the same sentence, where no subject or object pronoun
/// comes first ("Clinton said he …" may be another man), or of the next sentence's
/// opening "She" or "He": "her" in "Clinton and her aides", "Clinton has slipped. She …".
/// True when `pos` opens a sentence: the text's or a paragraph's start, or after a
/// sentence's closing ".", "?" or "!" (quotes after it too) and a space.
fn opens_sentence(text: &str, pos: usize) -> bool {
    let before = text.get(..pos).unwrap_or("").trim_end_matches([' ', '"', '“', '\'', '‘']);
    before.is_empty()
        || before.ends_with(['\n', '?', '!'])
        || (before.ends_with('.') && !before.ends_with(" Mr.") && !before.ends_with(" Mrs."))
}

fn pronoun_gender_after(text: &str, from: usize, limit: usize) -> Option<char> {
    // Bounded: a few hundred bytes, cut back to a char boundary.
    let mut stop = limit.min(from.saturating_add(300)).min(text.len());
    while stop > from && !text.is_char_boundary(stop) {
        stop -= 1;
    }
    // Not past the paragraph's end.
    let window = text.get(from..stop)?.split('\n').next().unwrap_or("");
    let mut sentence = 0;
    let mut prev_end = ' ';
    for word in window.split(|c: char| c.is_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if matches!(prev_end, '.' | '?' | '!') {
            sentence += 1;
            if sentence > 1 {
                return None;
            }
        }
        let core = word.trim_matches(|c: char| !c.is_alphanumeric());
        let lower = core.to_ascii_lowercase();
        let gender = match (sentence, lower.as_str()) {
            (0, "her" | "herself") | (1, "she") => Some('F'),
            (0, "his" | "himself") | (1, "he") => Some('M'),
            (_, "she" | "he" | "him" | "hers") => return None,
            _ => None,
        };
        if gender.is_some() {
            return gender;
        }
        if sentence == 1 {
            // The next sentence is read for its first word only.
            return None;
        }
        // A sentence ends at ".", "?" or "!" closing a word (quotes after it too), not at
        // an initial or a title ("Mr.", "U.S.").
        let closing = word.trim_end_matches(['"', '\'', '”', '’', ')']);
        prev_end = closing.chars().last().filter(|_| core.chars().count() > 2 || !closing.ends_with('.')).unwrap_or(' ');
    }
    None
}

impl SurnameEvidence {
    fn is_some(&self) -> bool {
        self.gender.is_some() || self.office.is_some()
    }

    /// Whether a person fits; `None` when nothing is known of them.
    fn fits(&self, f: Option<&super::kb::PersonFacts>) -> Option<bool> {
        let f = f?;
        Some(self.gender.is_none_or(|g| g == f.gender) && self.office.is_none_or(|o| f.offices.contains(&o)))
    }
}

/// Folded single-letter words of a name: its middle initials ("George H. W. Bush" → "hw").
fn middle_initials(name: &str) -> String {
    let key = lookup_key(name);
    key.split(' ').filter(|w| w.chars().count() == 1).collect()
}

/// The knowledge-base outlet a publisher name (`articles.source_name`) names:
/// "New York Times - News", "Washington Post", "Wall Street Journal - News".
fn publisher_outlet(kb: &'static Kb, source: &str) -> Option<&'static KbEntry> {
    let head = source.split(" - ").next().unwrap_or(source);
    let head = head.split(" (").next().unwrap_or(head);
    [source, head].into_iter().find_map(|s| kb.strong(&lookup_key(s))).filter(|e| e.entity_type == EntityType::Org)
}

/// Last words of newspaper names that stand alone for the paper ("the Times").
/// The word right before `pos` (letters and digits, after whitespace), or "".
fn word_before(text: &str, pos: usize) -> &str {
    text.get(..pos).unwrap_or("").trim_end().rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("")
}

/// True when the word "the" (any case) stands right before `pos`, after a space or at
/// the start of the text.
fn after_the(text: &str, pos: usize) -> bool {
    let Some(before) = text.get(..pos) else { return false };
    let Some(rest) = before.strip_suffix(' ') else { return false };
    let b = rest.as_bytes();
    b.len() >= 3 && b[b.len() - 3..].eq_ignore_ascii_case(b"the") && (b.len() == 3 || !b[b.len() - 4].is_ascii_alphanumeric())
}

const NEWSPAPER_WORDS: &[&str] = &["times", "post", "journal", "globe", "herald", "tribune", "chronicle", "examiner", "register"];

/// Given names that are one person's: the short form and the long form share no
/// three-letter prefix ("Dick" / "Richard").
const NICKNAMES: &[(&str, &str)] = &[
    ("dick", "richard"),
    ("rick", "richard"),
    ("bob", "robert"),
    ("bobby", "robert"),
    ("rob", "robert"),
    ("bill", "william"),
    ("billy", "william"),
    ("will", "william"),
    ("jim", "james"),
    ("jimmy", "james"),
    ("mike", "michael"),
    ("chuck", "charles"),
    ("charlie", "charles"),
    ("tom", "thomas"),
    ("joe", "joseph"),
    ("ted", "edward"),
    ("ted", "theodore"),
    ("jerry", "gerald"),
    ("jerry", "jerrold"),
    ("steve", "stephen"),
    ("tony", "anthony"),
    ("jack", "john"),
    ("hank", "henry"),
    ("liz", "elizabeth"),
    ("betsy", "elizabeth"),
    ("beth", "elizabeth"),
    ("kate", "katherine"),
    ("peggy", "margaret"),
    ("sue", "susan"),
    ("patty", "patricia"),
    ("debbie", "deborah"),
    ("bernie", "bernard"),
    ("newt", "newton"),
    ("rudy", "rudolph"),
];

/// True when two folded given names can be one person's: equal, one a nickname of the
/// other, or sharing a prefix of three letters or more that is all but at most one
/// letter of the shorter ("Chris" / "Christopher", "Jerry" / "Jerrold").
fn given_names_compatible(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if NICKNAMES.iter().any(|&(s, l)| (s == a && l == b) || (s == b && l == a)) {
        return true;
    }
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    common >= 3 && common + 1 >= shorter
}

/// True when `acr` could abbreviate `name`: same first letter, and every letter of the
/// acronym found in order among the name's capitals ("Islamic State of Iraq and Syria"
/// / "ISIS", "National Rifle Association" / "NRA"; not "Washington" / "AP").
fn spells_acronym(name: &str, acr: &str) -> bool {
    let caps: Vec<char> = name.chars().filter(|c| c.is_uppercase()).flat_map(char::to_uppercase).collect();
    let mut it = caps.iter();
    let mut letters = acr.chars().filter(|c| c.is_alphabetic());
    match (letters.next(), caps.first()) {
        (Some(f), Some(c)) if f == *c => {}
        _ => return false,
    }
    it.next();
    letters.all(|l| it.any(|c| *c == l))
}

/// The text inside parentheses right after byte offset `pos` (after spaces), up to the
/// first ")".
fn parenthesis_after(text: &str, pos: usize) -> Option<&str> {
    let after = text.get(pos..).unwrap_or("").trim_start();
    let inner = after.strip_prefix('(')?;
    let (inside, _) = inner.split_once(')')?;
    Some(inside)
}

/// Population above which a country's capital stands for it inside organisation names.
const MAJOR_COUNTRY_POPULATION: u64 = 20_000_000;

/// Country words inside a name ("U.S. Coast Guard", "Russian Defense Ministry"):
/// the first, longest capitalised run of up to three words that names a country.
fn inner_country(name: &str, g: &Gazetteer) -> Option<&'static str> {
    let words: Vec<&str> = name.split(|c: char| c.is_whitespace() || c == '-' || c == '/').filter(|w| !w.is_empty()).collect();
    let mut phrase = String::new();
    let mut key = String::new();
    for start in 0..words.len() {
        if !words[start].chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        for len in (1..=3.min(words.len() - start)).rev() {
            phrase.clear();
            for (k, w) in words[start..start + len].iter().enumerate() {
                if k > 0 {
                    phrase.push(' ');
                }
                phrase.push_str(w);
            }
            lookup_key_into(&phrase, &mut key);
            // A capital names its country inside a name only when it is a byword for
            // it ("Moscow police"), not a small country's capital ("Georgetown
            // University" is not Guyana's).
            let minor_capital = || {
                g.lookup_key(&key).is_some_and(|m| {
                    m.kind == NameKind::Capital
                        && m.country_code.and_then(|c| g.country(c)).is_none_or(|c| c.population < MAJOR_COUNTRY_POPULATION)
                })
            };
            if let Some(code) = g.nationality_key(&key) {
                if !minor_capital() {
                    return Some(code);
                }
            }
        }
    }
    None
}

/// A plural demonym ("Venezuelans") is the same MISC entity as its singular
/// ("Venezuelan") when both name the same country: the singular's name and key.
fn singular_demonym<'t>(ty: EntityType, name: Cow<'t, str>, mut key: String, g: &Gazetteer) -> (Cow<'t, str>, String) {
    if ty != EntityType::Misc || !name.ends_with('s') {
        return (name, key);
    }
    let Some(plural) = g.lookup_key(&key).filter(|m| m.kind == super::gazetteer::NameKind::Demonym) else {
        return (name, key);
    };
    let singular_len = crate::text_slice(&key, 0..key.len().saturating_sub(1)).len();
    match g.lookup_key(key.get(..singular_len).unwrap_or("")) {
        Some(m) if m.kind == super::gazetteer::NameKind::Demonym && m.country_code == plural.country_code => {
            let name = match name {
                Cow::Borrowed(s) => Cow::Borrowed(s.strip_suffix('s').unwrap_or(s)),
                Cow::Owned(mut s) => {
                    s.truncate(s.len() - 1);
                    Cow::Owned(s)
                }
            };
            key.truncate(singular_len);
            (name, key)
        }
        _ => (name, key),
    }
}

/// The country a person governs or serves by the phrase before the name (role words
/// skipped): "the United States under President Donald Trump", "Venezuela under
/// Maduro", "Russia's Foreign Ministry under Sergei Lavrov".
fn governed_country(text: &str, start: usize, g: &Gazetteer) -> Option<&'static str> {
    let before = text.get(..start)?;
    // "under" must be one of the words looked at below.
    if !before.split_whitespace().rev().take(12).any(|w| w == "under") {
        return None;
    }
    let mut words = before.split_whitespace().rev().take(12).peekable();
    // Role words between "under" and the name ("President", "then-Prime Minister").
    while let Some(w) = words.peek() {
        let sentence_end = w.strip_suffix('.').is_some_and(|b| !b.contains('.') && !super::token::is_abbreviation(b));
        if w.ends_with([',', ';', ':', '"', ')', '(']) || sentence_end {
            break;
        }
        if matches!(classify(w, g), WordClass::Head { .. } | WordClass::Modifier | WordClass::Honorific | WordClass::Connector) {
            words.next();
        } else {
            break;
        }
    }
    if words.next().is_none_or(|w| w != "under") {
        return None;
    }
    let phrase: Vec<&str> = words.take(4).collect();
    // The longest run of up to four words ending right before "under" that names a
    // country (not a demonym: "Venezuelan under" is no country).
    for len in (1..=phrase.len()).rev() {
        let mut ws: Vec<&str> = phrase[..len].to_vec();
        ws.reverse();
        if !ws[0].chars().next().is_some_and(|c| c.is_uppercase()) && !ws[0].eq_ignore_ascii_case("the") {
            continue;
        }
        let candidate = ws.join(" ");
        if let Some(m) = g.lookup(&candidate) {
            if m.kind.is_country() || m.kind == super::gazetteer::NameKind::Capital || m.kind == super::gazetteer::NameKind::Metonym {
                return m.country_code;
            }
        }
    }
    None
}

/// Split title words from the start of a PER name: (name, role, nationality); the name
/// is `None` when it is unchanged.
fn split_title(name: &str, g: &Gazetteer) -> (Option<String>, Option<String>, Option<&'static str>) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut cut = 0;
    let mut last_class = WordClass::Other;
    let mut nationality = None;
    // The longest prefix of title words that ends in a head or honorific and leaves at
    // least one word.
    let mut best_cut = 0;
    let mut best_last = WordClass::Other;
    // After "Secretary of", modifiers complete the title ("Secretary of State").
    let mut in_complement = false;
    while cut + 1 < words.len() {
        let c = classify(words[cut], g);
        match c {
            WordClass::Other => break,
            WordClass::Connector if cut == 0 => break,
            WordClass::Connector if matches!(last_class, WordClass::Head { .. }) => in_complement = true,
            WordClass::Nationality(code) => nationality = nationality.or(Some(code)),
            _ => {}
        }
        cut += 1;
        last_class = c;
        if matches!(c, WordClass::Head { .. } | WordClass::Honorific) || (in_complement && c == WordClass::Modifier) {
            best_cut = cut;
            best_last = last_class;
        }
    }
    if best_cut == 0 {
        return (None, None, None);
    }
    let rest = words[best_cut..].join(" ");
    let title_words = &words[..best_cut];
    let role_words: Vec<&str> =
        title_words.iter().copied().filter(|w| !matches!(classify(w, g), WordClass::Nationality(_) | WordClass::Honorific)).collect();
    let role = (!role_words.is_empty()).then(|| role_words.join(" "));
    // "King Charles", "Pope Leo": a royal title stays in a one-word name.
    if words.len() - best_cut == 1 {
        if let WordClass::Head { royal: true, .. } = best_last {
            let royal_name = words[best_cut - 1..].join(" ");
            return (Some(royal_name), role, nationality);
        }
    }
    (Some(rest), role, nationality)
}

#[derive(Default)]
struct Preceding {
    role: Option<String>,
    nationality: Option<&'static str>,
    /// A nationality word directly before the mention ("Russian" Defense Ministry).
    adjacent_nationality: Option<&'static str>,
}

/// The words before a position, last first, as `preceding_title` takes them: at most 8,
/// separated by whitespace, stopping at a word that ends in clause punctuation.
#[derive(Clone)]
struct WordsBack<'t> {
    rest: &'t str,
    count: usize,
    done: bool,
}

impl<'t> Iterator for WordsBack<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        if self.done || self.count >= 8 {
            return None;
        }
        let rest = self.rest;
        let trimmed = rest.trim_end();
        // Words must be separated by whitespace.
        if (trimmed.len() == rest.len() && self.count > 0) || trimmed.is_empty() {
            self.done = true;
            return None;
        }
        let ws = trimmed.char_indices().rev().find(|(_, c)| c.is_whitespace()).map_or(0, |(i, c)| i + c.len_utf8());
        let (before, word) = trimmed.split_at(ws);
        if word.ends_with([',', ';', ':', '"', ')', '(', '\u{201C}', '\u{201D}', '!', '?']) {
            self.done = true;
            return None;
        }
        self.count += 1;
        self.rest = before;
        if self.count == 1 && self.rest.is_empty() {
            self.done = true;
        }
        Some(word)
    }
}

/// Role words right before byte offset `start` ("Russian President", "said U.S.
/// Attorney General").
fn preceding_title(text: &str, start: usize, g: &Gazetteer) -> Preceding {
    let Some(before) = text.get(..start) else {
        return Preceding::default();
    };
    // Up to 8 whitespace-separated words back, stopping at clause punctuation (taken
    // as needed).
    let mut back = WordsBack { rest: before, count: 0, done: false };
    let mut words: [&str; 8] = [""; 8];
    let mut nw = 0;
    // Classify backwards; stop at the first word that is not part of a title.
    let mut classes: [WordClass; 8] = [WordClass::Other; 8];
    let mut nc = 0;
    while let Some(w) = back.next() {
        words[nw] = w;
        nw += 1;
        let mut c = classify(w, g);
        if c == WordClass::Other {
            break;
        }
        // A nationality word may end a two-word name that is the real evidence: "New
        // Jersey Governor" (a US state, not Jersey), "North Korean leader" (not South).
        if let WordClass::Nationality(_) = c {
            let mut peek = back.clone();
            let prev = peek.next();
            if let Some(code) = prev.and_then(|prev| nationality_of_pair(prev, w, g)) {
                c = WordClass::Nationality(code);
                back = peek;
            } else if prev.is_some_and(|p| matches!(p, "to" | "in" | "on" | "for")) || is_portfolio_country(w, g) {
                // The counterpart or portfolio, not the person's country: "envoy to
                // Ukraine Kurt Volker", "Russia adviser Fiona Hill".
                break;
            }
        }
        // A period that is not an abbreviation ends the previous sentence.
        if let Some(body) = w.strip_suffix('.') {
            let abbreviation = body.contains('.')
                || super::token::is_abbreviation(body)
                || (body.chars().count() <= 5
                    && body.chars().next().is_some_and(char::is_uppercase)
                    && matches!(c, WordClass::Head { .. } | WordClass::Honorific));
            if !abbreviation {
                break;
            }
        }
        classes[nc] = c;
        nc += 1;
    }
    while nw < 2 {
        match back.next() {
            Some(w) => {
                words[nw] = w;
                nw += 1;
            }
            None => break,
        }
    }
    let words = &words[..nw];
    let classes = &classes[..nc];
    let mut out = Preceding::default();
    if let Some(WordClass::Nationality(code)) = classes.first() {
        out.adjacent_nationality = Some(*code);
    }
    // Two-word nationalities directly before ("South Korean").
    // A sentence-final period ("… seized by the United States. Reuters reported") is no
    // nationality of the next sentence's name.
    let sentence_end = |w: &str| w.strip_suffix('.').is_some_and(|b| !b.contains('.') && !super::token::is_abbreviation(b));
    if out.adjacent_nationality.is_none()
        && words.len() >= 2
        && !sentence_end(words[0])
        && words[1].chars().next().is_some_and(char::is_uppercase)
    {
        out.adjacent_nationality = nationality_of_pair(words[1], words[0], g);
    }
    // The role: the words nearest the name, forward order, ending in a head.
    let n = classes.len();
    if n == 0 {
        return out;
    }
    // classes[0] is the word right before the name; it must be a head (or an honorific,
    // which is skipped).
    let mut i0 = 0;
    while i0 < n && classes[i0] == WordClass::Honorific {
        i0 += 1;
    }
    // The role ends in a head ("Defense Secretary"), or in a head's "of" complement
    // ("Secretary of State", "Chief of Staff").
    let head_at = classes[i0..].iter().position(|c| matches!(c, WordClass::Head { .. })).map(|j| j + i0);
    let valid = head_at.is_some_and(|j| {
        j == i0
            || (classes[i0..j].iter().all(|c| matches!(c, WordClass::Modifier | WordClass::Connector))
                && classes[i0..j].contains(&WordClass::Connector))
    });
    if !valid {
        // "Russia's Putin": a possessive country right before gives the country.
        if let Some(WordClass::Nationality(code)) = classes.get(i0) {
            if words[i0].ends_with("'s") || words[i0].ends_with("\u{2019}s") {
                out.nationality = Some(*code);
            }
        }
        return out;
    }
    let mut role_words: Vec<&str> = Vec::new();
    for (k, c) in classes.iter().enumerate().skip(i0) {
        match c {
            WordClass::Nationality(code) => {
                out.nationality = out.nationality.or(Some(*code));
            }
            WordClass::Honorific => break,
            _ => role_words.push(words[k]),
        }
    }
    // Forward order, without connectors at the ends ("the", "of").
    role_words.reverse();
    while role_words.first().is_some_and(|w| classify(w, g) == WordClass::Connector) {
        role_words.remove(0);
    }
    while role_words.last().is_some_and(|w| classify(w, g) == WordClass::Connector) {
        role_words.pop();
    }
    if !role_words.is_empty() {
        out.role = Some(role_words.join(" "));
    }
    out
}

/// A title in an appositive right after a name: "Nicolás Maduro, Venezuela's
/// president," / "Putin, the Russian leader." Every word must be a title word and the
/// phrase must end at punctuation, so lists ("Putin, Xi and Modi") do not match.
fn appositive_title(text: &str, end: usize, g: &Gazetteer) -> Preceding {
    let mut out = Preceding::default();
    let Some(after) = text.get(end..) else {
        return out;
    };
    let Some(rest) = after.strip_prefix(',') else {
        return out;
    };
    // Words up to the first one that ends the phrase: a comma, semicolon or colon, or a
    // period that is not part of an abbreviation ("U.S.", "Gen.").
    let mut words: Vec<&str> = Vec::new();
    let mut closed = false;
    for raw in rest.split_whitespace().take(7) {
        let w = raw.trim_end_matches([',', ';', ':', ')', '"', '\u{201D}']);
        let ends_clause = w.len() != raw.len();
        let (w, ends_sentence) = match w.strip_suffix('.') {
            Some(body) if !body.contains('.') && !super::token::is_abbreviation(body) => (body, true),
            _ => (w, false),
        };
        if w.is_empty() || w.contains(['(', '"', '\u{201C}']) {
            return out;
        }
        words.push(w);
        if ends_clause || ends_sentence {
            closed = true;
            break;
        }
    }
    if !closed || words.is_empty() {
        return out;
    }
    let mut role_words = Vec::new();
    let mut last = WordClass::Other;
    for (i, w) in words.iter().enumerate() {
        let c = classify(w, g);
        let article = i == 0 && matches!(w.to_lowercase().as_str(), "the" | "a" | "an");
        match c {
            _ if article => continue,
            WordClass::Other | WordClass::Honorific => return out,
            // Two countries, or a bare country name ("Clinton, Ukraine GOP senator:", a
            // run of link titles), are no appositive: it takes "Venezuela's", "Russian",
            // "U.S.".
            WordClass::Nationality(code)
                if out.nationality.is_some_and(|c| c != code)
                    || !(w.ends_with("'s")
                        || w.ends_with("\u{2019}s")
                        || g.lookup(w).is_some_and(|m| matches!(m.kind, NameKind::Demonym | NameKind::CountryAbbreviation))) =>
            {
                return Preceding::default()
            }
            WordClass::Nationality(code) => out.nationality = out.nationality.or(Some(code)),
            _ => role_words.push(*w),
        }
        last = c;
    }
    if matches!(last, WordClass::Head { .. }) && !role_words.is_empty() {
        out.role = Some(role_words.join(" "));
    } else {
        out.nationality = None;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::Span;

    /// Build mentions for the given (surface, type) pairs, taking the n-th occurrence
    /// of each surface in order of appearance.
    fn mentions(text: &str, specs: &[(&str, EntityType)]) -> Vec<Mention> {
        let mut from: HashMap<&str, usize> = HashMap::new();
        let mut out: Vec<Mention> = specs
            .iter()
            .map(|(s, t)| {
                let pos = from.entry(s).or_insert(0);
                let start = text.get(*pos..).and_then(|t| t.find(s)).map(|i| i + *pos).unwrap_or_else(|| panic!("{s} not in text"));
                *pos = start + s.len();
                Mention { span: Span::new(start, start + s.len()), tokens: 0..0, sentence: 0, entity_type: *t, confidence: 0.9 }
            })
            .collect();
        out.sort_by_key(|m| m.span.start);
        out
    }

    fn resolve(text: &str, specs: &[(&str, EntityType)]) -> Vec<(String, ResolvedMention)> {
        let ms = mentions(text, specs);
        let r = resolve_document(text, &ms, Gazetteer::builtin());
        assert_eq!(r.len(), ms.len());
        ms.iter().map(|m| crate::text_slice(text, m.span.range()).to_string()).zip(r).collect()
    }

    fn find<'a>(r: &'a [(String, ResolvedMention)], surface: &str) -> &'a ResolvedMention {
        &r.iter().find(|(s, _)| s == surface).unwrap().1
    }

    use EntityType::*;

    const ARTICLE: &str = "Venezuelan dictator Nicolás Maduro said on Thursday that the U.S. \
        was preparing an invasion. Russian President Vladimir Putin called Maduro. \
        \"We stand with Venezuela,\" Putin said. The United States denied it, and \
        U.S. Attorney General Pam Bondi said Homeland Security Investigations (HSI) \
        had opened a case. HSI agents and the U.S. Coast Guard were deployed in the \
        Caribbean. Maduro's government said America would fail. The Coast Guard \
        declined to comment. The Kremlin said Moscow was watching.";

    fn article() -> Vec<(String, ResolvedMention)> {
        resolve(
            ARTICLE,
            &[
                ("Venezuelan", Misc),
                ("Nicolás Maduro", Per),
                ("U.S.", Loc),
                ("Russian", Misc),
                ("Vladimir Putin", Per),
                ("Maduro", Per),
                ("Venezuela", Loc),
                ("Putin", Per),
                ("United States", Loc),
                ("U.S.", Loc),
                ("Pam Bondi", Per),
                ("Homeland Security Investigations", Org),
                ("HSI", Org),
                ("HSI", Org),
                ("U.S. Coast Guard", Org),
                ("Caribbean", Loc),
                ("Maduro", Org),
                ("America", Loc),
                ("Coast Guard", Org),
                ("Kremlin", Org),
                ("Moscow", Loc),
            ],
        )
    }

    #[test]
    fn short_names_resolve_to_full_names() {
        let r = article();
        let full = find(&r, "Nicolás Maduro");
        assert_eq!(full.canonical_name, "Nicolás Maduro");
        // A knowledge-base person: the key is the KB's (Wikidata QID).
        assert_eq!(full.key, "kb:Q57413");
        assert_eq!(full.kb_id, Some("Q57413"));
        assert_eq!(full.role.as_deref(), Some("dictator"));
        assert_eq!(full.country_code, Some("VEN"));
        for (s, m) in &r {
            if s == "Maduro" {
                assert_eq!(m.canonical_name, "Nicolás Maduro");
                assert_eq!(m.key, "kb:Q57413");
                assert_eq!(m.entity_type, Per, "type agreement/last-name rule");
                assert_eq!(m.country_code, Some("VEN"));
            }
        }
        let putin = find(&r, "Putin");
        assert_eq!(putin.canonical_name, "Vladimir Putin");
        assert_eq!(putin.country_code, Some("RUS"));
        assert_eq!(putin.role, None);
        let vp = find(&r, "Vladimir Putin");
        assert_eq!(vp.role.as_deref(), Some("President"));
        let bondi = find(&r, "Pam Bondi");
        assert_eq!(bondi.role.as_deref(), Some("Attorney General"));
        assert_eq!(bondi.country_code, Some("USA"));
    }

    #[test]
    fn washington_and_the_district_are_one_place() {
        let text = "WASHINGTON (AP) - Lawmakers returned to Washington on Monday. In Washington, D.C., and in D.C. suburbs, offices reopened. Washington State voted.";
        let r =
            resolve(text, &[("WASHINGTON", Loc), ("Washington", Loc), ("Washington, D.C.", Loc), ("D.C.", Loc), ("Washington State", Loc)]);
        for s in ["WASHINGTON", "Washington", "Washington, D.C.", "D.C."] {
            let m = find(&r, s);
            assert_eq!((m.canonical_name.as_str(), m.kb_id, m.country_code), ("Washington, D.C.", Some("Q61"), Some("USA")), "{s}");
        }
        assert_ne!(find(&r, "Washington State").kb_id, Some("Q61"));
    }

    #[test]
    fn countries_are_one_entity() {
        let r = article();
        for s in ["U.S.", "United States", "America"] {
            let m = find(&r, s);
            assert_eq!(m.canonical_name, "United States", "{s}");
            assert_eq!(m.key, "USA", "{s}");
            assert_eq!(m.entity_type, Loc);
            assert_eq!(m.country_code, Some("USA"));
        }
        let v = find(&r, "Venezuela");
        assert_eq!((v.key.as_str(), v.country_code), ("VEN", Some("VEN")));
        assert_eq!(find(&r, "Moscow").country_code, Some("RUS"));
        assert_eq!(find(&r, "Moscow").key, "moscow");
        assert_eq!(find(&r, "Caribbean").country_code, None);
        assert_eq!(find(&r, "Venezuelan").country_code, Some("VEN"));
    }

    #[test]
    fn organisations_acronyms_and_country_codes() {
        let r = article();
        for (s, m) in &r {
            if s == "HSI" {
                assert_eq!(m.canonical_name, "Homeland Security Investigations");
                assert_eq!(m.key, "homeland security investigations");
                assert_eq!(m.entity_type, Org);
            }
        }
        let cg = find(&r, "Coast Guard");
        assert_eq!(cg.canonical_name, "U.S. Coast Guard");
        assert_eq!(cg.key, "us coast guard");
        assert_eq!(cg.country_code, Some("USA"));
        assert_eq!(find(&r, "Kremlin").country_code, Some("RUS"));
    }

    #[test]
    fn titles_inside_the_span_are_split() {
        let text = "President Vladimir Putin met Gen. Valery Gerasimov. Mr. Putin later \
                    spoke to King Charles and Russian Foreign Minister Sergei Lavrov.";
        let r = resolve(
            text,
            &[
                ("President Vladimir Putin", Per),
                ("Gen. Valery Gerasimov", Per),
                ("Mr. Putin", Per),
                ("King Charles", Per),
                ("Russian Foreign Minister Sergei Lavrov", Per),
            ],
        );
        let p = find(&r, "President Vladimir Putin");
        assert_eq!(p.canonical_name, "Vladimir Putin");
        assert_eq!(p.role.as_deref(), Some("President"));
        let g = find(&r, "Gen. Valery Gerasimov");
        assert_eq!(g.canonical_name, "Valery Gerasimov");
        assert_eq!(g.role.as_deref(), Some("Gen."));
        let mr = find(&r, "Mr. Putin");
        assert_eq!(mr.canonical_name, "Vladimir Putin");
        assert_eq!(mr.role, None);
        let k = find(&r, "King Charles");
        assert_eq!(k.canonical_name, "King Charles");
        assert_eq!(k.role.as_deref(), Some("King"));
        let l = find(&r, "Russian Foreign Minister Sergei Lavrov");
        assert_eq!(l.canonical_name, "Sergei Lavrov");
        assert_eq!(l.role.as_deref(), Some("Foreign Minister"));
        assert_eq!(l.country_code, Some("RUS"));
    }

    #[test]
    fn roles_before_names() {
        let text = "Defense Secretary Pete Hegseth and Sen. Marco Rubio spoke. Apple CEO \
                    Tim Cook and Kremlin spokesperson Dmitry Peskov did not. Russia's \
                    Sergei Shoigu left. The Russian Defense Ministry said so. Later, \
                    Secretary of State Marco Rubio and former U.S. President Barack Obama \
                    met in the U.S. Putin was not there.";
        let r = resolve(
            text,
            &[
                ("Pete Hegseth", Per),
                ("Marco Rubio", Per),
                ("Apple", Org),
                ("Tim Cook", Per),
                ("Kremlin", Org),
                ("Dmitry Peskov", Per),
                ("Sergei Shoigu", Per),
                ("Defense Ministry", Org),
                ("Marco Rubio", Per),
                ("Barack Obama", Per),
                ("Putin", Per),
            ],
        );
        assert_eq!(find(&r, "Pete Hegseth").role.as_deref(), Some("Defense Secretary"));
        let rubio: Vec<_> = r.iter().filter(|(s, _)| s == "Marco Rubio").collect();
        assert_eq!(rubio[1].1.role.as_deref(), Some("Secretary of State"));
        assert_eq!(find(&r, "Barack Obama").role.as_deref(), Some("former President"));
        assert_eq!(find(&r, "Barack Obama").country_code, Some("USA"));
        // Not the sentence-final "U.S." of the previous sentence: the KB's Russia.
        assert_eq!(find(&r, "Putin").country_code, Some("RUS"), "sentence-final U.S.");
        assert_eq!(find(&r, "Marco Rubio").role.as_deref(), Some("Sen."));
        assert_eq!(find(&r, "Tim Cook").role.as_deref(), Some("CEO"));
        assert_eq!(find(&r, "Tim Cook").country_code, None);
        assert_eq!(find(&r, "Dmitry Peskov").role.as_deref(), Some("spokesperson"));
        assert_eq!(find(&r, "Sergei Shoigu").country_code, Some("RUS"));
        assert_eq!(find(&r, "Sergei Shoigu").role, None);
        assert_eq!(find(&r, "Defense Ministry").country_code, Some("RUS"));
        // Broadcast and church titles split too ("Anchor George Stephanopoulos" was a name).
        let r = resolve(
            "Anchor George Stephanopoulos asked. Stephanopoulos pressed.",
            &[("Anchor George Stephanopoulos", Per), ("Stephanopoulos", Per)],
        );
        assert_eq!(find(&r, "Stephanopoulos").canonical_name, "George Stephanopoulos");
        assert_eq!(find(&r, "Anchor George Stephanopoulos").role.as_deref(), Some("Anchor"));
    }

    #[test]
    fn a_person_hill_is_no_outlet() {
        let r = resolve("Fiona Hill testified. Hill said so.", &[("Fiona Hill", Per), ("Hill", Per)]);
        assert_eq!(r[1].1.canonical_name, "Fiona Hill");
        let r = resolve("The Hill reported it.", &[("Hill", Org)]);
        assert_eq!(r[0].1.canonical_name, "The Hill");
    }

    #[test]
    fn titled_names_are_persons() {
        let r = resolve(
            "Officer Wilson fired. Justice Kavanaugh wrote. The Justice Department and Officer Down Memorial Page.",
            &[("Officer Wilson", Org), ("Justice Kavanaugh", Loc), ("Justice Department", Org)],
        );
        assert_eq!(find(&r, "Officer Wilson").entity_type, Per);
        assert_eq!(find(&r, "Officer Wilson").canonical_name, "Wilson");
        assert_eq!(find(&r, "Justice Kavanaugh").entity_type, Per);
        assert_eq!(find(&r, "Justice Department").entity_type, Org);
        let text = "Vice President Joe Biden spoke. House Minority Leader Nancy Pelosi left. Secretary of State Department staff came.";
        let r = resolve(text, &[("Vice President Joe Biden", Loc), ("House Minority Leader Nancy Pelosi", Org), ("State Department", Org)]);
        assert_eq!((r[0].1.entity_type, r[0].1.canonical_name.as_str()), (Per, "Joe Biden"), "{r:?}");
        assert_eq!((r[1].1.entity_type, r[1].1.canonical_name.as_str()), (Per, "Nancy Pelosi"), "{r:?}");
        assert_eq!(r[2].1.entity_type, Org);
        let r = resolve("They met in Cleveland. Cleveland voted.", &[("Cleveland", Org), ("Cleveland", Org)]);
        assert_eq!(r[0].1.entity_type, Loc, "{r:?}");
        let text = "Rhode Island voted. A Never Trump challenger ran. Trump won.";
        let r = resolve(text, &[("Rhode Island", Per), ("Never Trump", Per), ("Trump", Per)]);
        assert_eq!((r[0].1.entity_type, r[1].1.entity_type), (Loc, Misc), "{r:?}");
        assert_eq!(r[2].1.canonical_name, "Donald Trump", "{r:?}");
        assert_eq!(word_before("so — in  El Paso", "so — in  ".len()), "in");
        assert_eq!(word_before("Paso", 0), "");
        assert!(
            !is_titled_name("General Motors") && !is_titled_name("Officer Down Memorial Foundation") && !is_titled_name("Mr. and Mrs.")
        );
    }

    #[test]
    fn type_agreement_by_majority() {
        let text = "Jordan Peterson spoke. Peterson said more. Later Peterson left. Peterson won.";
        let r = resolve(text, &[("Jordan Peterson", Per), ("Peterson", Per), ("Peterson", Org), ("Peterson", Per)]);
        for (s, m) in &r {
            assert_eq!(m.entity_type, Per, "{s}");
            assert_eq!(m.canonical_name, "Jordan Peterson");
        }
        // Without a full name the vote alone decides.
        let text = "Acme sued. Acme lost. Acme appealed.";
        let r = resolve(text, &[("Acme", Org), ("Acme", Per), ("Acme", Org)]);
        assert!(r.iter().all(|(_, m)| m.entity_type == Org && m.key == "acme"));
    }

    #[test]
    fn dateline_city_is_not_an_acronym_of_the_agency() {
        let text = "VILNIUS (Meridian) — Lithuania said on Monday that Vilnius would host talks.";
        let g = Gazetteer::builtin();
        let span = |w: &str| {
            let s = text.find(w).unwrap();
            (s, s + w.len())
        };
        let mk = |w: &str, t: EntityType| {
            let (s, e) = span(w);
            Mention { span: crate::nlp::Span::new(s, e), tokens: 0..0, sentence: 0, entity_type: t, confidence: 0.9 }
        };
        let ms = vec![mk("VILNIUS", EntityType::Loc), mk("Meridian", EntityType::Org), mk("Lithuania", EntityType::Loc)];
        let r = resolve_document(text, &ms, g);
        assert_ne!(r[0].key, r[1].key, "{r:?}");
    }

    #[test]
    fn acronym_by_initials_and_names_with_initials() {
        let text = "The Department of Homeland Security said DHS would act. Donald J. Trump \
                    agreed; Trump and Donald Trump Jr. spoke.";
        let r = resolve(
            text,
            &[("Department of Homeland Security", Org), ("DHS", Org), ("Donald J. Trump", Per), ("Trump", Per), ("Donald Trump Jr.", Per)],
        );
        assert_eq!(find(&r, "DHS").canonical_name, "United States Department of Homeland Security", "the KB's name");
        // From the curated organisation list (data/gazetteer/organizations.tsv).
        assert_eq!(find(&r, "DHS").country_code, Some("USA"));
        let t = find(&r, "Trump");
        assert_eq!(t.canonical_name, "Donald Trump", "the KB's name");
        assert_eq!(t.key, "kb:Q22686");
        assert_eq!(find(&r, "Donald Trump Jr.").key, "kb:donald trump jr");
    }

    #[test]
    fn east_asian_family_names_and_double_surnames() {
        let text = "Xi Jinping met Andrés Manuel López Obrador. Xi said López Obrador \
                    and López agreed.";
        let r = resolve(
            text,
            &[("Xi Jinping", Per), ("Andrés Manuel López Obrador", Per), ("Xi", Per), ("López Obrador", Per), ("López", Per)],
        );
        assert_eq!(find(&r, "Xi").canonical_name, "Xi Jinping");
        assert_eq!(find(&r, "López Obrador").canonical_name, "Andrés Manuel López Obrador");
        assert_eq!(find(&r, "López").key, "kb:andres manuel lopez obrador");
    }

    #[test]
    fn appositive_titles() {
        let text = "Nicolás Maduro, Venezuela's president, spoke. Vladimir Putin, the \
                    Russian leader. Emmanuel Macron, Olaf Scholz and Keir Starmer met. \
                    Pam Bondi, the U.S. attorney general, spoke.";
        let r = resolve(
            text,
            &[
                ("Nicolás Maduro", Per),
                ("Vladimir Putin", Per),
                ("Emmanuel Macron", Per),
                ("Olaf Scholz", Per),
                ("Keir Starmer", Per),
                ("Pam Bondi", Per),
            ],
        );
        let b = find(&r, "Pam Bondi");
        assert_eq!((b.role.as_deref(), b.country_code), (Some("attorney general"), Some("USA")));
        let m = find(&r, "Nicolás Maduro");
        assert_eq!((m.role.as_deref(), m.country_code), (Some("president"), Some("VEN")));
        let p = find(&r, "Vladimir Putin");
        assert_eq!((p.role.as_deref(), p.country_code), (Some("leader"), Some("RUS")));
        assert_eq!(find(&r, "Emmanuel Macron").role, None);
    }

    #[test]
    fn country_under_a_leader() {
        let text = "The pressure grew as the United States under President Donald Trump \
                    pushed on. Venezuela under Maduro resisted. The Trump administration \
                    acted. Talks under Chairman Li Wei failed.";
        let r = resolve(
            text,
            &[("United States", Loc), ("Donald Trump", Per), ("Venezuela", Loc), ("Maduro", Per), ("Trump", Per), ("Li Wei", Per)],
        );
        let t = find(&r, "Donald Trump");
        assert_eq!((t.role.as_deref(), t.country_code), (Some("President"), Some("USA")));
        assert_eq!(find(&r, "Trump").country_code, Some("USA"), "the entity's code");
        assert_eq!(find(&r, "Maduro").country_code, Some("VEN"));
        assert_eq!(find(&r, "Li Wei").country_code, None, "'Talks under' names no country");
    }

    #[test]
    fn no_country_across_a_sentence_end_or_for_agencies() {
        let text = "The tanker was seized by the United States. Reuters reported the seizure. \
                    The FBI and the Associated Press were there, and so was Reuters.";
        let r = resolve(text, &[("United States", Loc), ("Reuters", Org), ("FBI", Org), ("Associated Press", Org), ("Reuters", Org)]);
        assert_eq!(find(&r, "Reuters").country_code, None);
        assert_eq!(find(&r, "FBI").country_code, Some("USA"));
        assert_eq!(find(&r, "Associated Press").country_code, Some("USA"));
        // A nationality right before an organisation is still evidence…
        let text = "Britain's Sky Group said so.";
        let r = resolve(text, &[("Britain", Loc), ("Sky Group", Org)]);
        assert_eq!(find(&r, "Sky Group").country_code, Some("GBR"));
        // …but not for a knowledge-base entry without a country (Reuters is multinational).
        let text = "Britain's Reuters news agency said so.";
        let r = resolve(text, &[("Britain", Loc), ("Reuters", Org)]);
        assert_eq!(find(&r, "Reuters").country_code, None);
    }

    #[test]
    fn demonym_singular_and_plural_are_one_entity() {
        let text = "Venezuelans voted. A Venezuelan official said Russians and a Russian diplomat met.";
        let r = resolve(text, &[("Venezuelans", Misc), ("Venezuelan", Misc), ("Russians", Misc), ("Russian", Misc)]);
        let (a, b) = (find(&r, "Venezuelans"), find(&r, "Venezuelan"));
        assert_eq!((a.key.as_str(), a.canonical_name.as_str(), a.country_code), ("venezuelan", "Venezuelan", Some("VEN")));
        assert_eq!(a, b);
        assert_eq!(find(&r, "Russians").key, find(&r, "Russian").key);
        assert_eq!(find(&r, "Russians").country_code, Some("RUS"));
    }

    #[test]
    fn christie_is_american_not_jersey() {
        let text = "New Jersey Governor Chris Christie spoke. Later, New Jersey Gov. Phil Murphy and \
                    North Korean leader Kim Jong Un did not.";
        let r = resolve(text, &[("Chris Christie", Per), ("Phil Murphy", Per), ("Kim Jong Un", Per)]);
        assert_eq!(find(&r, "Chris Christie").country_code, Some("USA"));
        assert_eq!(find(&r, "Phil Murphy").country_code, Some("USA"), "role evidence, not the KB");
        assert_eq!(find(&r, "Phil Murphy").role.as_deref(), Some("Gov."));
        assert_eq!(find(&r, "Kim Jong Un").country_code, Some("PRK"));
    }

    #[test]
    fn obama_is_one_american_person() {
        let text = "Obama spoke in Chicago. The Obama administration and Barack Obama agreed.";
        let r = resolve(text, &[("Obama", Loc), ("Chicago", Loc), ("Obama", Org), ("Barack Obama", Per)]);
        for (s, m) in r.iter().filter(|(s, _)| s.contains("Obama")) {
            assert_eq!((m.entity_type, m.country_code, m.key.as_str()), (Per, Some("USA"), "kb:Q76"), "{s}");
            assert_eq!(m.canonical_name, "Barack Obama");
        }
        // In an article of its own, too.
        let r = resolve("Obama said no.", &[("Obama", Loc)]);
        assert_eq!((r[0].1.entity_type, r[0].1.country_code, r[0].1.kb_id), (Per, Some("USA"), Some("Q76")));
    }

    #[test]
    fn trump_alone_is_donald_trump() {
        let a = resolve("Trump said so.", &[("Trump", Per)]);
        let b = resolve("Donald Trump said so.", &[("Donald Trump", Per)]);
        assert_eq!(a[0].1.key, b[0].1.key);
        assert_eq!(a[0].1.canonical_name, "Donald Trump");
        // A unique surname standing alone links too (a weak alias)…
        let s = resolve("Schumer said so.", &[("Schumer", Per)]);
        assert_eq!(s[0].1.canonical_name, "Chuck Schumer");
        let s = resolve("Ocasio-Cortez said so.", &[("Ocasio-Cortez", Per)]);
        assert_eq!(s[0].1.canonical_name, "Alexandria Ocasio-Cortez");
        // …but a shared one does not, and a full name in the article wins.
        let bush = resolve("Bush said so.", &[("Bush", Per)]);
        assert_eq!((bush[0].1.key.as_str(), bush[0].1.kb_linked), ("bush", false));
        let jeb = resolve("Jeb Bush spoke. Bush said so.", &[("Jeb Bush", Per), ("Bush", Per)]);
        assert_eq!(find(&jeb, "Bush").kb_id, Some("Q221997"));
        // A courtesy title that fits the knowledge base's person keeps the link, with or
        // without another person of the surname named in full.
        for (text, specs) in [
            ("Mr. Trump said so.", &[("Trump", Per)][..]),
            ("Donald Trump and Fred Trump built it. Mr. Trump said so.", &[("Donald Trump", Per), ("Fred Trump", Per), ("Trump", Per)][..]),
        ] {
            let r = resolve(text, specs);
            let m = find(&r, "Trump");
            assert_eq!((m.canonical_name.as_str(), m.kb_id), ("Donald Trump", Some("Q22686")), "{text}");
        }
    }

    #[test]
    fn state_abbreviations_are_the_states() {
        let text = "Parents in Champaign, Ill., Pittsburgh, Pa., Topeka, Kan., Seattle, Wash., and Albany, N.Y., agreed.";
        let r = resolve(
            text,
            &[
                ("Champaign", Loc),
                ("Ill.", Loc),
                ("Pittsburgh", Loc),
                ("Pa.", Loc),
                ("Topeka", Loc),
                ("Kan.", Org),
                ("Seattle", Loc),
                ("Wash.", Loc),
                ("Albany", Loc),
                ("N.Y.", Loc),
            ],
        );
        for (abbr, state) in [("Ill.", "Illinois"), ("Pa.", "Pennsylvania"), ("Kan.", "Kansas"), ("N.Y.", "New York")] {
            let m = find(&r, abbr);
            assert_eq!((m.canonical_name.as_str(), m.entity_type, m.country_code), (state, Loc, Some("USA")), "{abbr}");
        }
        let wa = find(&r, "Wash.");
        assert_eq!(wa.country_code, Some("USA"));
        assert_ne!(wa.kb_id, Some("Q61"), "Washington State is not the capital");
        // Without its period the word is no abbreviation.
        assert_eq!(super::super::gazetteer::us_state_of_abbreviation("Pa"), None);
    }

    #[test]
    fn senate_house_and_agencies_are_one_entity_each() {
        let text = "The U.S. Senate voted. The Justice Department, the Department of Justice and \
                    DOJ agreed. The Senate did too.";
        let r = resolve(
            text,
            &[("U.S. Senate", Org), ("Justice Department", Org), ("Department of Justice", Org), ("DOJ", Org), ("Senate", Org)],
        );
        let senate: Vec<_> = r.iter().filter(|(s, _)| s.contains("Senate")).map(|(_, m)| m).collect();
        assert_eq!(senate[0].key, senate[1].key);
        assert_eq!(senate[0].kb_id, Some("Q66096"));
        assert_eq!(senate[0].country_code, Some("USA"));
        // "The Italian Senate" is not the KB's: a nationality against the KB country.
        let it = resolve("The Italian Senate voted.", &[("Senate", Org)]);
        // (No country either: "Senate" outside the KB is one entity for every country's.)
        assert_eq!((it[0].1.kb_linked, it[0].1.country_code), (false, None));
        // A company is one thing wherever it acts: a nationality before it keeps the link.
        let fb = resolve("It was not a few Russian Facebook ads.", &[("Russian", Misc), ("Facebook", Org)]);
        let fb = find(&fb, "Facebook");
        assert_eq!((fb.kb_id, fb.country_code), (Some("Q355"), Some("USA")));
        let doj = find(&r, "DOJ");
        assert_eq!(find(&r, "Justice Department").key, doj.key);
        assert_eq!(find(&r, "Department of Justice").key, doj.key);
        assert_eq!(doj.kb_id, Some("Q1553390"));
    }

    #[test]
    fn group_forms_fold_and_laws_link() {
        let text = "Democrats and Dems and a Democrat and Democratic senators met. Obamacare, the \
                    Affordable Care Act, stayed. GOP and Republicans left.";
        let r = resolve(
            text,
            &[
                ("Democrats", Misc),
                ("Dems", Org),
                ("Democrat", Misc),
                ("Democratic", Misc),
                ("Obamacare", Org),
                ("Affordable Care Act", Misc),
                ("GOP", Org),
                ("Republicans", Misc),
            ],
        );
        // Party members, the adjective and the party are one entity: the party.
        let d = find(&r, "Democrats");
        assert_eq!((d.canonical_name.as_str(), d.kb_id), ("Democratic Party", Some("Q29552")));
        for s in ["Dems", "Democrat", "Democratic"] {
            assert_eq!(find(&r, s).key, d.key, "{s}");
            assert_eq!(find(&r, s).entity_type, Org, "{s}");
        }
        assert_eq!(find(&r, "Obamacare").key, find(&r, "Affordable Care Act").key);
        assert_eq!(find(&r, "Obamacare").entity_type, Misc);
        assert_eq!(find(&r, "GOP").canonical_name, "Republican Party");
        assert_eq!(find(&r, "GOP").entity_type, Org);
        assert_eq!(find(&r, "GOP").key, find(&r, "Republicans").key);
    }

    #[test]
    fn religions_diseases_and_international_bodies_have_no_country() {
        let text = "Australian Muslims and Egyptian Christians prayed. U.S. COVID-19 cases rose. \
                    Syrian NATO talks and the Syrian UN envoy and British EU officials met. ISIS and \
                    the Islamic State lost.";
        let r = resolve(
            text,
            &[
                ("Australian", Misc),
                ("Muslims", Misc),
                ("Egyptian", Misc),
                ("Christians", Misc),
                ("U.S.", Loc),
                ("COVID-19", Misc),
                ("Syrian", Misc),
                ("NATO", Org),
                ("Syrian", Misc),
                ("UN", Org),
                ("British", Misc),
                ("EU", Org),
                ("ISIS", Loc),
                ("Islamic State", Misc),
            ],
        );
        for s in ["Muslims", "Christians", "COVID-19", "NATO", "UN", "EU", "ISIS", "Islamic State"] {
            assert_eq!(find(&r, s).country_code, None, "{s}");
        }
        assert_eq!(find(&r, "ISIS").key, find(&r, "Islamic State").key);
        assert_eq!(find(&r, "ISIS").entity_type, Org);
        // Without the KB, a group noun takes no country from the word before it either.
        let r = resolve("Lebanese Druze fighters", &[("Lebanese", Misc), ("Druze", Misc)]);
        assert_eq!(find(&r, "Druze").country_code, None);
    }

    #[test]
    fn datelines_and_credits_are_not_acronyms() {
        let text = "WASHINGTON (AP) — The White House said so. NEW YORK (CNN) — Mitch McConnell (NBC) \
                    agreed. The National Rifle Association (NRA) did not; the NRA said no. The \
                    Committee on Foreign Investment in the United States (CFIUS) met.";
        let r = resolve(
            text,
            &[
                ("WASHINGTON", Loc),
                ("AP", Org),
                ("White House", Loc),
                ("NEW YORK", Loc),
                ("CNN", Org),
                ("Mitch McConnell", Per),
                ("NBC", Org),
                ("National Rifle Association", Org),
                ("NRA", Org),
                ("NRA", Org),
                ("United States", Loc),
                ("CFIUS", Org),
            ],
        );
        assert_eq!(find(&r, "AP").canonical_name, "Associated Press");
        assert_eq!(find(&r, "WASHINGTON").key, "kb:Q61");
        assert_eq!(find(&r, "CNN").canonical_name, "CNN");
        assert_eq!(find(&r, "NBC").canonical_name, "NBC");
        assert_eq!(find(&r, "NRA").key, find(&r, "National Rifle Association").key);
        assert_eq!(find(&r, "CFIUS").key, "cfius");
        assert!(spells_acronym("Islamic State of Iraq and Syria", "ISIS"));
        assert!(!spells_acronym("Washington", "AP"));
    }

    #[test]
    fn us_evidence_from_party_roles_and_states() {
        let text = "Republican Sen. John Doe and Rep. Jane Roe spoke. Jim Poe (D-Calif.) agreed. \
                    Georgia Gov. Tom Moe said Atlanta and Georgia were fine.";
        let r =
            resolve(text, &[("John Doe", Per), ("Jane Roe", Per), ("Jim Poe", Per), ("Tom Moe", Per), ("Atlanta", Loc), ("Georgia", Loc)]);
        for s in ["John Doe", "Jane Roe", "Jim Poe", "Tom Moe"] {
            assert_eq!(find(&r, s).country_code, Some("USA"), "{s}");
        }
        let g = find(&r, "Georgia");
        assert_eq!((g.country_code, g.key.as_str()), (Some("USA"), "georgia"), "the state");
        let r = resolve("Georgia and Tbilisi", &[("Georgia", Loc), ("Tbilisi", Loc)]);
        assert_eq!(find(&r, "Georgia").country_code, Some("GEO"), "the country");
        // Police is not Poland, even when tagged as a place.
        let r = resolve("Police said so.", &[("Police", Org)]);
        assert_eq!(r[0].1.country_code, None);
    }

    #[test]
    fn generic_organisation_words_take_no_country_from_a_neighbour() {
        let r = resolve("The Syrian Army advanced and the U.K. Times said so.", &[("Army", Org), ("Times", Org)]);
        assert_eq!(find(&r, "Army").country_code, None);
        assert_eq!(find(&r, "Times").country_code, None);
        let r = resolve("The Russian Defense Ministry said so.", &[("Defense Ministry", Org)]);
        assert_eq!(find(&r, "Defense Ministry").country_code, Some("RUS"));
    }

    #[test]
    fn counterpart_and_portfolio_countries_are_not_nationalities() {
        let text = "U.S. special envoy to Ukraine Kurt Volker met former Russia adviser Fiona Hill \
                    and Russian Foreign Minister Sergei Lavrov at Georgetown University; the Korean \
                    Central News Agency reported it.";
        let r = resolve(
            text,
            &[
                ("Kurt Volker", Per),
                ("Fiona Hill", Per),
                ("Sergei Lavrov", Per),
                ("Georgetown University", Org),
                ("Korean Central News Agency", Org),
            ],
        );
        assert_ne!(find(&r, "Kurt Volker").country_code, Some("UKR"));
        assert_eq!(find(&r, "Fiona Hill").country_code, None);
        assert_eq!(find(&r, "Sergei Lavrov").country_code, Some("RUS"));
        assert_eq!(find(&r, "Georgetown University").country_code, None);
        assert_eq!(find(&r, "Korean Central News Agency").country_code, Some("PRK"));
    }

    #[test]
    fn appositive_with_two_countries_is_no_title() {
        let text = "GOP senators urge Barr to probe Clinton, Ukraine GOP senator: Trump has changed";
        let r = resolve(text, &[("Clinton", Per)]);
        assert_eq!((r[0].1.role.as_deref(), r[0].1.country_code), (None, None));
    }

    #[test]
    fn odd_input_does_not_panic() {
        let text = "é";
        let ms = vec![Mention { span: Span::new(0, 1), tokens: 0..0, sentence: 0, entity_type: Per, confidence: 0.5 }];
        let r = resolve_document(text, &ms, Gazetteer::builtin());
        assert_eq!(r.len(), 1);
        assert!(resolve_document("", &[], Gazetteer::builtin()).is_empty());
    }

    #[test]
    fn cleaning() {
        assert_eq!(clean_name("the Kremlin's"), "Kremlin");
        assert_eq!(clean_name("Maduro’s"), "Maduro");
        assert_eq!(clean_name("  U.S. "), "U.S.");
        assert_eq!(clean_name("Acme Corp."), "Acme Corp.");
        assert_eq!(clean_name("Putin,"), "Putin");
        assert_eq!(clean_name("Venezuelans'"), "Venezuelans");
    }

    // --- issue 13: consolidation rules
    #[test]
    fn shared_surname_takes_the_gender_of_the_pronoun_after_it() {
        let (h, b) = (Some("Q6294"), Some("Q1124"));
        let text = "Hillary Clinton met Bill Clinton. Clinton and her aides left. \
            Clinton has slipped. He sat there. Clinton told Obama she would stay. \
            Clinton spoke. The president said he would.";
        // The lone surnames are the 3rd to 6th "Clinton" of the text.
        let starts: Vec<usize> = text.match_indices("Clinton").map(|(i, _)| i).collect();
        let mut ms = mentions(text, &[("Hillary Clinton", Per), ("Bill Clinton", Per), ("Obama", Per)]);
        for &start in &starts[2..] {
            ms.push(Mention { span: Span::new(start, start + 7), tokens: 0..0, sentence: 0, entity_type: Per, confidence: 0.9 });
        }
        ms.sort_by_key(|m| m.span.start);
        let r = resolve_document(text, &ms, Gazetteer::builtin());
        let ids: Vec<Option<&str>> = r.iter().map(|m| m.kb_id).collect();
        // "her" → Hillary; "He" opening the next sentence → Bill; "she" after Obama is
        // not read (Obama may be meant), nor a "he" that is not the next sentence's first
        // word.
        assert_eq!(ids, [h, b, h, b, None, Some("Q76"), None], "{r:?}");
        // An object is not read: "Trump attacked Clinton, and his …".
        let text = "Hillary Clinton met Bill Clinton. Trump attacked Clinton and his aides.";
        let starts: Vec<usize> = text.match_indices("Clinton").map(|(i, _)| i).collect();
        let mut ms = mentions(text, &[("Hillary Clinton", Per), ("Bill Clinton", Per), ("Trump", Per)]);
        ms.push(Mention { span: Span::new(starts[2], starts[2] + 7), tokens: 0..0, sentence: 0, entity_type: Per, confidence: 0.9 });
        ms.sort_by_key(|m| m.span.start);
        let r = resolve_document(text, &ms, Gazetteer::builtin());
        assert_eq!(r[3].kb_id, None, "{r:?}");
        // A linked surname keeps its person whatever pronoun follows.
        let r = resolve("Trump said she would go.", &[("Trump", Per)]);
        assert_eq!(r[0].1.kb_id, Some("Q22686"));
        assert_eq!(pronoun_gender_after("x, and his aides.", 0, 100), Some('M'));
        assert_eq!(pronoun_gender_after("x said he and his aides", 0, 100), None);
        assert_eq!(pronoun_gender_after("x left. Then she came.", 0, 100), None);
        assert_eq!(pronoun_gender_after("x left Mr. Smith. She came.", 0, 100), Some('F'));
        assert_eq!(pronoun_gender_after("x left.\nShe came.", 0, 100), None);
        assert_eq!(pronoun_gender_after("x, and hers", 0, 5), None);
    }

    #[test]
    fn shared_surnames_resolve_only_to_a_full_name_in_the_article() {
        // One Bush named in full: the lone surname is him.
        let text = "Bush said so. Jeb Bush spoke.";
        let r = resolve(text, &[("Jeb Bush", Per), ("Bush", Per)]);
        assert_eq!(find(&r, "Bush").kb_id, Some("Q221997"));
        // Two: neither, and no knowledge-base guess; the tagger's MISC "Bush" is a person.
        let text = "Bush said so. The Bush tax cuts stayed. George W. Bush and Jeb Bush spoke.";
        let r = resolve(text, &[("George W. Bush", Per), ("Jeb Bush", Per), ("Bush", Per), ("Bush", Misc)]);
        assert_eq!(r[1].1.canonical_name, "Bush");
        let bush = find(&r, "Bush");
        assert_eq!((bush.canonical_name.as_str(), bush.kb_id, bush.kb_linked), ("Bush", None, false));
        assert_eq!(bush.entity_type, Per);
        // None named: unlinked.
        let r = resolve("Clinton said so. Clinton left.", &[("Clinton", Per), ("Clinton", Per)]);
        assert!(!find(&r, "Clinton").kb_linked);
        let r = resolve(
            "Clinton spoke. Hillary Clinton and Bill Clinton came.",
            &[("Hillary Clinton", Per), ("Bill Clinton", Per), ("Clinton", Per)],
        );
        assert!(!r[0].1.kb_linked, "{:?}", r[0]);
        // A surname the knowledge base gives to one person alone stays his ("Trump").
        let text = "Trump spoke. Donald Trump and Ivanka Trump came.";
        let r = resolve(text, &[("Donald Trump", Per), ("Ivanka Trump", Per), ("Trump", Per)]);
        assert_eq!(r[0].1.kb_id, Some("Q22686"));
    }

    #[test]
    fn lone_surnames_by_titles_offices_and_the_article_subject() {
        // The subject, named three times as often as the other Clinton, is the lone
        // "Clinton"; "Mr. Clinton" and "former President Clinton" are Bill.
        let text = "Clinton said so. Former President Clinton and Mr. Clinton came. Hillary Clinton spoke. \
                    Hillary Clinton won. Hillary Clinton left with Bill Clinton.";
        let specs = [
            ("Clinton", Per),
            ("Clinton", Per),
            ("Mr. Clinton", Per),
            ("Hillary Clinton", Per),
            ("Hillary Clinton", Per),
            ("Hillary Clinton", Per),
            ("Bill Clinton", Per),
        ];
        let r = resolve(text, &specs);
        let ids: Vec<Option<&str>> = r.iter().map(|(_, m)| m.kb_id).collect();
        let (h, b) = (Some("Q6294"), Some("Q1124"));
        assert_eq!(ids, [h, b, b, h, h, h, b], "{r:?}");
        // Two and two: the lone surname is nobody, but "Mrs. Clinton" is Hillary.
        let text = "Clinton spoke. Mrs. Clinton left. Hillary Clinton met Bill Clinton.";
        let r = resolve(text, &[("Clinton", Per), ("Mrs. Clinton", Per), ("Hillary Clinton", Per), ("Bill Clinton", Per)]);
        assert_eq!((r[0].1.kb_id, r[0].1.kb_linked, r[1].1.kb_id), (None, false, h), "{r:?}");
        // No full name: an office only one of them held links to the knowledge base;
        // "President Bush" (two presidents) stays the surname; "Gov. Bush" in an article
        // naming only Jeb is Jeb, "President Bush" there is not.
        let r = resolve("Secretary Clinton spoke. President Bush left.", &[("Clinton", Per), ("Bush", Per)]);
        assert_eq!((r[0].1.kb_id, r[1].1.kb_id, r[1].1.canonical_name.as_str()), (h, None, "Bush"));
        let text = "Gov. Bush left. President Bush had left. Jeb Bush spoke.";
        let r = resolve(text, &[("Bush", Per), ("Bush", Per), ("Jeb Bush", Per)]);
        assert_eq!((r[0].1.kb_id, r[1].1.kb_id, r[1].1.kb_linked), (Some("Q221997"), None, false), "{r:?}");
        // A lone surname of a known person does not take a longer name it opens.
        let text = "Trump may have won. Donald Trump spoke.";
        let r = resolve(text, &[("Trump may have", Per), ("Donald Trump", Per)]);
        assert!(r[0].1.kb_id.is_none() && r[1].1.kb_id == Some("Q22686"));
        let r = resolve("Clinton spoke. Bill and Hillary Clinton came.", &[("Clinton", Per), ("Bill and Hillary Clinton", Per)]);
        assert_eq!(r[0].1.canonical_name, "Clinton", "{r:?}");
        let r = resolve("Trump spoke. Trump Tower rose.", &[("Trump", Per), ("Trump Tower", Per)]);
        assert_eq!(r[0].1.kb_id, Some("Q22686"), "{r:?}");
    }

    #[test]
    fn a_lone_head_noun_is_the_one_organisation_named_with_it() {
        let text = "The Court met. The Supreme Court ruled. The Court said so.";
        let r = resolve(text, &[("Court", Org), ("Supreme Court", Org), ("Court", Org)]);
        let names: Vec<&str> = r.iter().map(|(_, m)| m.canonical_name.as_str()).collect();
        assert_eq!(names, ["Court", "Supreme Court of the United States", "Supreme Court of the United States"], "{r:?}");
        // A name that only holds the word is no such organisation.
        let text = "Supreme Court Justice Brett Kavanaugh spoke. The Court said so.";
        let r = resolve(text, &[("Supreme Court Justice Brett Kavanaugh", Org), ("Court said", Org)]);
        assert_eq!(r[1].1.canonical_name, "Court said", "{r:?}");
        // Two committees named: "the Committee" stays itself.
        let text = "The House Intelligence Committee and the Senate Judiciary Committee met. The Committee said.";
        let mut ms = mentions(text, &[("House Intelligence Committee", Org), ("Senate Judiciary Committee", Org)]);
        let lone = text.rfind("Committee").unwrap();
        ms.push(Mention { span: Span::new(lone, lone + 9), tokens: 0..0, sentence: 0, entity_type: Org, confidence: 0.9 });
        let r = resolve_document(text, &ms, Gazetteer::builtin());
        assert_eq!(r[2].canonical_name, "Committee", "{r:?}");
    }

    #[test]
    fn a_shared_surname_read_as_a_foreign_town_is_a_person() {
        // "Bush" is a town in Egypt; the article names no Egypt.
        let r = resolve("He ended the Bush tax cuts in Ohio.", &[("Bush", Loc), ("Ohio", Loc)]);
        assert_eq!(r[0].1.entity_type, Per, "{r:?}");
        assert_ne!(r[0].1.country_code, Some("EGY"), "{r:?}");
        // An article about Egypt keeps the place.
        let r = resolve("In Egypt, Bush was quiet.", &[("Egypt", Loc), ("Bush", Loc)]);
        assert_eq!((r[1].1.entity_type, r[1].1.country_code), (Loc, Some("EGY")), "{r:?}");
    }

    #[test]
    fn the_lone_newspaper_word_is_an_organisation() {
        let text = "Liz Spayd, then the Times public editor, wrote. Times Square was full. Bathe Post.";
        let r = resolve(text, &[("Liz Spayd", Per), ("Times", Misc), ("Post", Per)]);
        assert_eq!(r[1].1.entity_type, Org, "{r:?}");
        // Not after "the": the tagger's type stands ("Bathe" is no "the").
        assert_eq!(r[2].1.entity_type, Per, "{r:?}");
        assert!(after_the("the Times", 4) && after_the("at The Post", 7) && !after_the("bathe Post", 6) && !after_the("Times", 0));
    }

    #[test]
    fn lone_surname_is_the_one_person_named_so_far() {
        // Mentions given by the text around them: (context, name in it).
        fn at(text: &str, specs: &[(&str, &str)]) -> Vec<(String, ResolvedMention)> {
            let ms: Vec<Mention> = specs
                .iter()
                .map(|(ctx, name)| {
                    let start = text.find(ctx).unwrap() + ctx.find(name).unwrap();
                    Mention { span: Span::new(start, start + name.len()), tokens: 0..0, sentence: 0, entity_type: Per, confidence: 0.9 }
                })
                .collect();
            let r = resolve_document(text, &ms, Gazetteer::builtin());
            ms.iter().map(|m| crate::text_slice(text, m.span.range()).to_string()).zip(r).collect()
        }
        // Hillary is named first; the lone "Clinton" before Bill is named is hers, the
        // one after both are named stays the surname, unless a title decides.
        let text = "Hillary Clinton spoke. Clinton left. Bill Clinton came. Clinton waved. Mr. Clinton sat.";
        let specs = [
            ("Hillary Clinton", "Hillary Clinton"),
            ("Clinton left", "Clinton"),
            ("Bill Clinton", "Bill Clinton"),
            ("Clinton waved", "Clinton"),
            ("Mr. Clinton", "Mr. Clinton"),
        ];
        let r = at(text, &specs);
        let ids: Vec<Option<&str>> = r.iter().map(|(_, m)| m.kb_id).collect();
        assert_eq!(ids, [Some("Q6294"), Some("Q6294"), Some("Q1124"), None, Some("Q1124")], "{r:?}");
        assert_eq!(r[3].1.canonical_name, "Clinton");
        // A title that tells who names the person for the lone mentions after it, and
        // "the X administration" is a president's.
        let text = "Secretary Clinton spoke. Clinton left. He served in the Clinton administration. Clinton waved. A Clinton White House.";
        let specs = [
            ("Secretary Clinton", "Clinton"),
            ("Clinton left", "Clinton"),
            ("Clinton administration", "Clinton"),
            ("Clinton waved", "Clinton"),
            ("Clinton White", "Clinton"),
        ];
        let ids: Vec<Option<&str>> = at(text, &specs).iter().map(|(_, m)| m.kb_id).collect();
        assert_eq!(ids, [Some("Q6294"), Some("Q6294"), Some("Q1124"), None, None]);
        let text = "Clinton left. President Clinton spoke. Clinton waved.";
        let specs = [("Clinton left", "Clinton"), ("President Clinton", "Clinton"), ("Clinton waved", "Clinton")];
        let ids: Vec<Option<&str>> = at(text, &specs).iter().map(|(_, m)| m.kb_id).collect();
        assert_eq!(ids, [None, Some("Q1124"), Some("Q1124")]);
        // A surname the knowledge base links stays linked.
        let text = "Barack Obama spoke. Robinson Obama spoke. The Obama administration left. Obama waved.";
        let specs = [
            ("Barack Obama", "Barack Obama"),
            ("Robinson Obama", "Robinson Obama"),
            ("Obama administration", "Obama"),
            ("Obama waved", "Obama"),
        ];
        let ids: Vec<Option<&str>> = at(text, &specs).iter().map(|(_, m)| m.kb_id).collect();
        assert_eq!(&ids[2..], [Some("Q76"), Some("Q76")]);
        // A Korean name's family name comes first.
        let text = "Kim Jong Un met Andy Warhol. Kim smiled.";
        let specs = [("Kim Jong Un", "Kim Jong Un"), ("Andy Warhol", "Andy Warhol"), ("Kim smiled", "Kim")];
        let ids: Vec<Option<&str>> = at(text, &specs).iter().map(|(_, m)| m.kb_id).collect();
        assert_eq!(ids[2], Some("Q56226"));
        // A person the knowledge base links by a first name alone names them too.
        let text = "Clinton left. Hillary spoke to Obama. Clinton waved.";
        let specs = [("Clinton left", "Clinton"), ("Hillary", "Hillary"), ("Obama", "Obama"), ("Clinton waved", "Clinton")];
        let ids: Vec<Option<&str>> = at(text, &specs).iter().map(|(_, m)| m.kb_id).collect();
        assert_eq!(ids, [None, Some("Q6294"), Some("Q76"), Some("Q6294")]);
        // Any shared surname, not only those the knowledge base knows.
        let text = "Ann Zorbel spoke. Zorbel left. Tom Zorbel came. Zorbel waved.";
        let specs = [("Ann Zorbel", "Ann Zorbel"), ("Zorbel left", "Zorbel"), ("Tom Zorbel", "Tom Zorbel"), ("Zorbel waved", "Zorbel")];
        let r = at(text, &specs);
        let names: Vec<&str> = r.iter().map(|(_, m)| m.canonical_name.as_str()).collect();
        assert_eq!(names, ["Ann Zorbel", "Ann Zorbel", "Tom Zorbel", "Zorbel"], "{r:?}");
    }

    #[test]
    fn organisation_place_and_law_heads_are_no_persons() {
        let text = "Sterling left. Donald Sterling spoke. The Donald Sterling Foundation paid. Harris County voted.";
        let r = resolve(text, &[("Sterling", Per), ("Donald Sterling", Per), ("Donald Sterling Foundation", Per), ("Harris County", Per)]);
        let got: Vec<(&str, EntityType)> = r.iter().map(|(_, m)| (m.canonical_name.as_str(), m.entity_type)).collect();
        assert_eq!(
            got,
            [("Donald Sterling", Per), ("Donald Sterling", Per), ("Donald Sterling Foundation", Org), ("Harris County", Loc)],
            "{r:?}"
        );
    }

    #[test]
    fn the_hill_is_no_person() {
        let text = "Ms. Hill testified. Hope is stirring on the Hill, reported the Hill. Hill said so.";
        let r = resolve(text, &[("Hill", Per), ("Hill", Per), ("Hill", Per), ("Hill", Per)]);
        let got: Vec<(&str, EntityType)> = r.iter().map(|(_, m)| (m.canonical_name.as_str(), m.entity_type)).collect();
        assert_eq!(got, [("Hill", Per), ("Capitol Hill", Loc), ("The Hill", Org), ("Hill", Per)], "{r:?}");
    }

    #[test]
    fn different_middle_initials_are_different_people() {
        let text = "George W. Bush met George P. Bush and George H. W. Bush.";
        let r = resolve(text, &[("George W. Bush", Per), ("George P. Bush", Per), ("George H. W. Bush", Per)]);
        assert_eq!(find(&r, "George W. Bush").kb_id, Some("Q207"));
        assert_eq!(find(&r, "George H. W. Bush").kb_id, Some("Q23505"));
        let p = find(&r, "George P. Bush");
        assert_eq!((p.canonical_name.as_str(), p.kb_id), ("George P. Bush", None));
    }

    #[test]
    fn full_names_link_by_surname_and_a_fitting_given_name() {
        let text = "Dick Durbin and Hunter Biden and Jerry Nadler spoke.";
        let r = resolve(text, &[("Dick Durbin", Per), ("Hunter Biden", Per), ("Jerry Nadler", Per)]);
        assert_eq!(find(&r, "Dick Durbin").canonical_name, "Richard Durbin");
        assert_eq!(find(&r, "Jerry Nadler").canonical_name, "Jerrold Nadler");
        assert_ne!(find(&r, "Hunter Biden").kb_id, Some("Q6279"));
        assert!(given_names_compatible("chris", "christopher") && !given_names_compatible("ron", "rand"));
    }

    #[test]
    fn newspaper_short_names_resolve_to_the_outlet_named_or_the_publisher() {
        let text = "The Post said so. The Washington Post reported it.";
        let r = resolve(text, &[("Washington Post", Org), ("Post", Org)]);
        assert_eq!(r[0].1.kb_id, Some("Q166032"));
        // Two Posts: neither.
        let text = "The Post said so. The Washington Post and the New York Post differ.";
        let r = resolve(text, &[("Washington Post", Org), ("New York Post", Org), ("Post", Org)]);
        assert_eq!(r[0].1.canonical_name, "Post");
        // None in the text: the publisher's own name.
        let text = "A Times analysis found it.";
        let ms = mentions(text, &[("Times", Org)]);
        let r = resolve_document_from(text, &ms, Gazetteer::builtin(), Some("New York Times - News"));
        assert_eq!(r[0].kb_id, Some("Q9684"));
        let r = resolve_document_from(text, &ms, Gazetteer::builtin(), Some("CNN (Web News)"));
        assert_eq!((r[0].kb_id, r[0].canonical_name.as_str()), (None, "Times"));
    }

    #[test]
    fn states_and_kb_names_take_their_type() {
        let text = "Arizona voted. God bless. The Oval Office and the Constitution and Benghazi.";
        let r = resolve(text, &[("Arizona", Org), ("God", Per), ("Oval Office", Org), ("Constitution", Org), ("Benghazi", Misc)]);
        assert_eq!(find(&r, "Arizona").entity_type, Loc);
        assert_eq!((find(&r, "God").entity_type, find(&r, "God").country_code), (Misc, None));
        assert_eq!(find(&r, "Oval Office").entity_type, Loc);
        assert_eq!((find(&r, "Constitution").entity_type, find(&r, "Constitution").kb_id), (Misc, Some("Q11698")));
        assert_eq!((find(&r, "Benghazi").entity_type, find(&r, "Benghazi").country_code), (Loc, Some("LBY")));
        // "our Nation" is no magazine, "the Nation" is; "POWER" in capitals is no surname.
        let r = resolve("For our Nation. As the Nation's editor said.", &[("Nation", Org)]);
        assert!(!r[0].1.kb_linked);
        let r = resolve("As the Nation's editor said.", &[("Nation", Org)]);
        assert!(r[0].1.kb_linked);
        let r = resolve("His POWER PLAY column.", &[("POWER", Per)]);
        assert!(!r[0].1.kb_linked);
        // "Ms. Hill" is no outlet.
        let r = resolve("Ms. Hill testified.", &[("Hill", Per)]);
        assert_eq!((r[0].1.entity_type, r[0].1.kb_linked), (Per, false));
    }

    #[test]
    fn kb_names_do_not_resolve_to_other_longer_names() {
        let text = "House Republicans have begun. House investigators and Republicans said so.";
        for ty in [Org, Per] {
            let r = resolve(text, &[("House Republicans", ty), ("House", ty), ("Republicans", ty)]);
            assert_eq!(find(&r, "House").canonical_name, "United States House of Representatives");
            assert_eq!(find(&r, "Republicans").canonical_name, "Republican Party");
            assert_eq!(find(&r, "House Republicans").canonical_name, "House Republicans");
        }
        // "Democratic Party" is not the Iowa party; "Islamic State" not "Islamic State Twitter".
        let text = "The Iowa Democratic Party said the Democratic Party and Islamic State Twitter and Islamic State.";
        let r = resolve(
            text,
            &[("Iowa Democratic Party", Org), ("Democratic Party", Org), ("Islamic State Twitter", Org), ("Islamic State", Org)],
        );
        assert_eq!(find(&r, "Democratic Party").kb_id, Some("Q29552"));
        assert_eq!(find(&r, "Iowa Democratic Party").canonical_name, "Iowa Democratic Party");
        assert_eq!(find(&r, "Islamic State").kb_id, Some("Q2429253"));
        // A known person's surname that is also an outlet's name is the person.
        let text = "Bloomberg said so. Michael Bloomberg ran.";
        let r = resolve(text, &[("Michael Bloomberg", Per), ("Bloomberg", Per)]);
        assert_eq!(r[0].1.canonical_name, "Michael Bloomberg");
    }
}
