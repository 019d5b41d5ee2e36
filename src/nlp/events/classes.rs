//! The closed word classes that the event and attribution passes test tokens against
//! ("is this a modal", "a speech verb", "a setting noun"). The words live in
//! `data/lexicon/wordclasses.tsv`, next to the triggers and cues; this module owns the
//! class names (`WordClass`, the only place a class is named in code), reads the file once
//! into one table, and answers "is `tok` in class C" with one stack fold and one hash
//! lookup, whatever the number of classes.
//!
//! A class's bit is its position in `WordClass`, so no flag is numbered by hand; a row
//! naming a class the code does not know is reported by `ClassTable::parse` (a test holds
//! the shipped file to no errors).

use super::lexicon::FOLD_MAX;
use crate::hashing::FxBuild;
use std::collections::HashMap;
use std::sync::OnceLock;

const WORDCLASSES_TSV: &str = include_str!("../../../data/lexicon/wordclasses.tsv");

macro_rules! word_classes {
    ($($variant:ident = $name:literal,)*) => {
        /// A closed word class of `data/lexicon/wordclasses.tsv` (the file's first column).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub(crate) enum WordClass { $($variant,)* }

        impl WordClass {
            /// Every class, in bit order.
            pub(crate) const ALL: &'static [WordClass] = &[$(WordClass::$variant,)*];

            /// The class's name in the data file.
            pub(crate) fn name(self) -> &'static str {
                match self { $(WordClass::$variant => $name,)* }
            }
        }
    };
}

word_classes! {
    Determiners = "determiners",
    Prepositions = "prepositions",
    Conjunctions = "conjunctions",
    Auxiliaries = "auxiliaries",
    Adverbs = "adverbs",
    SubjectPronouns = "subject_pronouns",
    ObjectPronouns = "object_pronouns",
    Relatives = "relatives",
    DateWords = "date_words",
    MilitaryWords = "military_words",
    PlacePrepositions = "place_prepositions",
    Negators = "negators",
    AspectMotion = "aspect_motion",
    FutureModals = "future_modals",
    HypotheticalModals = "hypothetical_modals",
    Conditionals = "conditionals",
    BeHave = "be_have",
    IntentWords = "intent_words",
    PredictedWords = "predicted_words",
    AppealWords = "appeal_words",
    ReportVerbs = "report_verbs",
    NeutralSpeakers = "neutral_speakers",
    Corporate = "corporate",
    Prospective = "prospective",
    Anaphoric = "anaphoric",
    LightVerbs = "light_verbs",
    AnnounceIntent = "announce_intent",
    EventModalAux = "event_modal_aux",
    RequestGovernors = "request_governors",
    NegatingGovernors = "negating_governors",
    SpeechVerbs = "speech_verbs",
    BlameWords = "blame_words",
    ImperativeOpeners = "imperative_openers",
    ViolenceWords = "violence_words",
    NotAPartyStart = "not_a_party_start",
    TimeNames = "time_names",
    Posts = "posts",
    QuestionWords = "question_words",
    FollowOn = "follow_on",
    SettingNouns = "setting_nouns",
    NounForms = "noun_forms",
    BeForms = "be_forms",
    NestedCues = "nested_cues",
    SpeechModal = "speech_modal",
    Negations = "negations",
    AskOpeners = "ask_openers",
    PollNouns = "poll_nouns",
    DocumentNouns = "document_nouns",
    FindingVerbs = "finding_verbs",
    StatementNouns = "statement_nouns",
    CallForms = "call_forms",
    Phoned = "phoned",
    GivenObjects = "given_objects",
    ConnectiveAdverbs = "connective_adverbs",
    InformationNouns = "information_nouns",
    NamingVerbs = "naming_verbs",
    ScornWords = "scorn_words",
    DutyModals = "duty_modals",
    DutyNeeds = "duty_needs",
    IncidentHeads = "incident_heads",
    DocumentActors = "document_actors",
    NoPartyNouns = "no_party_nouns",
}

/// A set of word classes, one bit per `WordClass` (room for 128 classes).
pub(crate) type ClassSet = u128;

const _: () = assert!(WordClass::ALL.len() <= ClassSet::BITS as usize);

impl WordClass {
    /// The class by its data-file name.
    pub(crate) fn from_name(name: &str) -> Option<WordClass> {
        WordClass::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// This class's bit in a `ClassSet`.
    #[inline]
    pub(crate) const fn bit(self) -> ClassSet {
        1 << (self as u8)
    }

    /// Is `tok` one of this class's words (ASCII case folded, `’` read as `'`)?
    #[inline]
    pub(crate) fn has(self, tok: &str) -> bool {
        classes_of(tok) & self.bit() != 0
    }

    /// The class's words, in file order (for the few passes that match by prefix or
    /// list the words).
    pub(crate) fn words(self) -> &'static [Box<str>] {
        &table().words[self as usize]
    }
}

/// The classes holding `tok`, as a set of `WordClass::bit`s (0 for none).
#[inline]
pub(crate) fn classes_of(tok: &str) -> ClassSet {
    table().get(tok)
}

fn table() -> &'static ClassTable {
    static TABLE: OnceLock<ClassTable> = OnceLock::new();
    // The file is compiled in and held to no errors by a test; a bad row is skipped.
    TABLE.get_or_init(|| ClassTable::parse(WORDCLASSES_TSV).0)
}

/// The word classes compiled into one table: each folded word maps to the bits of the
/// classes holding it.
pub(crate) struct ClassTable {
    map: FoldMap<ClassSet>,
    /// Each class's words, indexed by `WordClass as usize`.
    words: Vec<Vec<Box<str>>>,
}

impl ClassTable {
    /// Reads `text` (rows `class<TAB>word word …`, `#` comments, blank lines). Returns
    /// the table and one message per bad row: an unknown class, a word that is not
    /// lowercase or holds `’`, a word too long to look up, or a class with no words.
    pub(crate) fn parse(text: &str) -> (ClassTable, Vec<String>) {
        let mut errors = Vec::new();
        let mut map: HashMap<Box<[u8]>, ClassSet, FxBuild> = HashMap::default();
        let mut words: Vec<Vec<Box<str>>> = vec![Vec::new(); WordClass::ALL.len()];
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((name, list)) = line.split_once('\t') else {
                errors.push(format!("wordclasses.tsv line {}: expected `class<TAB>words`, got {line:?}", i + 1));
                continue;
            };
            let Some(class) = WordClass::from_name(name.trim()) else {
                let known: Vec<&str> = WordClass::ALL.iter().map(|c| c.name()).collect();
                errors.push(format!("wordclasses.tsv line {}: unknown class {name:?} (known: {})", i + 1, known.join(", ")));
                continue;
            };
            for w in list.split_whitespace() {
                if w.len() > FOLD_MAX || w.bytes().any(|b| b.is_ascii_uppercase()) || w.contains('\u{2019}') {
                    errors.push(format!(
                        "wordclasses.tsv line {}: class {name}: word {w:?} must be lowercase, use ' for ’, at most {FOLD_MAX} bytes",
                        i + 1
                    ));
                    continue;
                }
                *map.entry(w.as_bytes().into()).or_default() |= class.bit();
                if !words[class as usize].iter().any(|x| &**x == w) {
                    words[class as usize].push(w.into());
                }
            }
        }
        for c in WordClass::ALL {
            if words[*c as usize].is_empty() {
                errors.push(format!("wordclasses.tsv: class {} has no words", c.name()));
            }
        }
        let mut map: Vec<_> = map.into_iter().collect();
        // Entry order does not change any answer; sorted, the table is the same every run.
        map.sort_unstable();
        let mut t = ClassTable { map: FoldMap::new(), words };
        for (w, set) in map {
            if !t.map.insert(&w, set) {
                errors.push(format!("wordclasses.tsv: more than {} words, the rest are left out", FOLD_MAP_MAX));
                break;
            }
        }
        (t, errors)
    }

    /// The bits of the classes holding `tok`, 0 for none.
    #[inline]
    pub(crate) fn get(&self, tok: &str) -> ClassSet {
        self.map.get(tok).unwrap_or(0)
    }
}

/// Most words a `FoldMap` holds (slot ids are 16 bits, 0 is empty).
pub(crate) const FOLD_MAP_MAX: usize = u16::MAX as usize - 1;

/// Lowercase words mapped to values, looked up by a token folded as `fold_word` does
/// (ASCII case folded, `’` read as `'`) with no allocation: open addressing over the
/// folded words' hashes, per slot the hash's low 16 bits above the index of the entry + 1
/// (0: empty), at most a third full, 4 bytes a slot so that the slots of a few thousand
/// words stay in the first-level cache. Short ASCII tokens (most of them) are folded and
/// hashed a machine word at a time. Used by the word classes and the phrase lexicons'
/// vocabularies (`lexicon::PhraseSet::token_ids`); both look up every token, several
/// times over.
pub(crate) struct FoldMap<V> {
    slots: Vec<u32>,
    shift: u32,
    entries: Vec<Entry<V>>,
    /// The entries' folded words, each zero-padded to whole `u64`s.
    text: Vec<u64>,
    /// Longest token (bytes) that can fold to a word of the map: a `'` may be written
    /// `’` (3 bytes).
    max_tok: usize,
}

impl<V: Copy> FoldMap<V> {
    pub(crate) fn new() -> FoldMap<V> {
        FoldMap { slots: vec![0; 16], shift: 64 - 4, entries: Vec::new(), text: Vec::new(), max_tok: 0 }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Add `word` (already folded: a token folding to it finds it) with `value`, unless
    /// the map is full (`FOLD_MAP_MAX` words) or the word is empty or longer than
    /// `FOLD_MAX` bytes: then false, and nothing is added. A word already in the map
    /// keeps its first value (the caller looks it up first).
    pub(crate) fn insert(&mut self, word: &[u8], value: V) -> bool {
        if self.entries.len() >= FOLD_MAP_MAX {
            return false;
        }
        let mut folded = [0u64; FOLD_WORDS];
        let Some((len, h)) = fold_key(word, &mut folded) else { return false };
        if len == 0 {
            return false;
        }
        if self.find(h, len, &folded).is_some() {
            return true;
        }
        let off = self.text.len() as u32;
        self.text.extend_from_slice(&folded[..len.div_ceil(8)]);
        self.entries.push(Entry { hash: h, off, len: len as u32, value });
        self.max_tok = self.max_tok.max(3 * len);
        if self.entries.len() * 3 > self.slots.len() {
            let cap = (self.entries.len() * 3).next_power_of_two().max(16);
            self.slots = vec![0; cap];
            self.shift = 64 - cap.trailing_zeros();
            for k in 0..self.entries.len() {
                self.place(k);
            }
        } else {
            self.place(self.entries.len() - 1);
        }
        true
    }

    fn place(&mut self, k: usize) {
        let h = self.entries[k].hash;
        let mask = self.slots.len() - 1;
        let mut i = (h >> self.shift) as usize;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = (h as u32) << 16 | (k + 1) as u32;
    }

    /// The value of the word `tok` folds to, if it is in the map.
    #[inline]
    pub(crate) fn get(&self, tok: &str) -> Option<V> {
        let b = tok.as_bytes();
        if b.is_empty() || b.len() > self.max_tok {
            return None;
        }
        if b.len() <= 16 {
            // Up to two words, loaded whole and folded in registers when ASCII (`’`
            // and every other non-ASCII byte take the bytewise fold).
            let (w0, w1) = load16(b);
            if (w0 | w1) & 0x8080_8080_8080_8080 == 0 {
                let (w0, w1) = (ascii_lower(w0), ascii_lower(w1));
                let n = b.len();
                let h = if n <= 8 { finish_hash(n, &[w0]) } else { finish_hash(n, &[w0, w1]) };
                return self.find_short(h, n, w0, w1).map(|k| self.entries[k].value);
            }
        }
        let mut folded = [0u64; FOLD_WORDS];
        let (len, h) = fold_key(b, &mut folded)?;
        self.find(h, len, &folded).map(|k| self.entries[k].value)
    }

    /// `find` for a folded word of at most 16 bytes held in `w0`, `w1` (zero-padded).
    #[inline(always)]
    fn find_short(&self, h: u64, len: usize, w0: u64, w1: u64) -> Option<usize> {
        self.probe(h, len, |off| self.text.get(off) == Some(&w0) && (len <= 8 || self.text.get(off + 1) == Some(&w1)))
    }

    #[inline]
    fn find(&self, h: u64, len: usize, folded: &[u64; FOLD_WORDS]) -> Option<usize> {
        let n = len.div_ceil(8);
        self.probe(h, len, |off| self.text.get(off..off + n) == Some(&folded[..n]))
    }

    /// The entry of hash `h` and length `len` whose folded text (at its offset in
    /// `text`) `same_text` accepts: linear probing from the hash's slot to an empty one.
    #[inline(always)]
    fn probe(&self, h: u64, len: usize, same_text: impl Fn(usize) -> bool) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut i = (h >> self.shift) as usize;
        loop {
            let slot = self.slots[i];
            let id = slot & 0xffff;
            if id == 0 {
                return None;
            }
            if slot >> 16 == h as u32 & 0xffff {
                let e = &self.entries[id as usize - 1];
                if e.hash == h && e.len as usize == len && same_text(e.off as usize) {
                    return Some(id as usize - 1);
                }
            }
            i = (i + 1) & mask;
        }
    }
}

/// `FOLD_MAX` bytes as `u64`s.
const FOLD_WORDS: usize = FOLD_MAX / 8;

/// A word of a `FoldMap`: its hash, where its folded bytes start in `FoldMap::text`
/// (in `u64`s) and how many bytes they are, and its value.
struct Entry<V> {
    hash: u64,
    off: u32,
    len: u32,
    value: V,
}

/// The bytes of `b` (at most 16) as two little-endian words, zero-padded, read with
/// overlapping fixed-size loads rather than a byte loop or a `memcpy` call.
#[inline(always)]
fn load16(b: &[u8]) -> (u64, u64) {
    let n = b.len();
    let rd8 = |k: usize| u64::from_le_bytes(b[k..k + 8].try_into().unwrap_or_default());
    let rd4 = |k: usize| u32::from_le_bytes(b[k..k + 4].try_into().unwrap_or_default()) as u64;
    match n {
        0 => (0, 0),
        1..=3 => (b[0] as u64 | (b[n / 2] as u64) << (8 * (n / 2)) | (b[n - 1] as u64) << (8 * (n - 1)), 0),
        4..=7 => (rd4(0) | rd4(n - 4) << (8 * (n - 4)), 0),
        8 => (rd8(0), 0),
        _ => (rd8(0), rd8(n - 8) >> (8 * (16 - n.min(16)))),
    }
}

/// ASCII uppercase letters of the eight bytes of `w` lowercased, every other byte as it
/// is (all bytes below 0x80: the caller checks).
#[inline]
fn ascii_lower(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Per byte: high bit set when the byte is at least 'A', and when it is past 'Z'.
    let ge_a = w.wrapping_add(ONES * (0x80 - b'A' as u64));
    let gt_z = w.wrapping_add(ONES * (0x80 - b'Z' as u64 - 1));
    let upper = ge_a & !gt_z & (ONES * 0x80);
    w | (upper >> 2)
}

/// Fold `tok` as `fold_word` does, into `out` as little-endian `u64`s (zero-padded), and
/// hash it; None when the folded word is longer than `FOLD_MAX` bytes. One pass without
/// a byte buffer: the map this replaces folded into bytes and then hashed them, and
/// its look-ups, one per token and class test, were 3% of a whole run's CPU.
#[inline]
fn fold_key(tok: &[u8], out: &mut [u64; FOLD_WORDS]) -> Option<(usize, u64)> {
    let (mut i, mut n) = (0, 0);
    while i < tok.len() {
        if n == FOLD_MAX {
            return None;
        }
        let c = tok[i];
        let f = if c == 0xE2 && tok.get(i + 1) == Some(&0x80) && tok.get(i + 2) == Some(&0x99) {
            i += 3;
            b'\''
        } else {
            i += 1;
            c.to_ascii_lowercase()
        };
        out[n >> 3] |= (f as u64) << ((n & 7) * 8);
        n += 1;
    }
    Some((n, finish_hash(n, &out[..n.div_ceil(8)])))
}

/// The hash of a folded word of `n` bytes held in `words`.
#[inline]
fn finish_hash(n: usize, words: &[u64]) -> u64 {
    let mut h = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for &w in words {
        h = (h.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    // The slot comes from the top bits: mix the low ones up.
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 32)
}

/// Is `tok` one of `words` (compared as `word_eq`)? The linear definition the table must
/// agree with.
#[cfg(test)]
fn in_list(words: &[Box<str>], tok: &str) -> bool {
    words.iter().any(|w| super::lexicon::word_eq(tok, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_has_no_errors_and_every_class_has_words() {
        let (t, errors) = ClassTable::parse(WORDCLASSES_TSV);
        assert!(errors.is_empty(), "{errors:#?}");
        for c in WordClass::ALL {
            assert!(!t.words[*c as usize].is_empty(), "{}", c.name());
            assert_eq!(WordClass::from_name(c.name()), Some(*c));
        }
    }

    #[test]
    fn bad_rows_are_reported_not_fatal() {
        let (t, errors) = ClassTable::parse("# c\nno_such_class\tfoo\nnegations\tNot never\nnegations no-tab\nnegations\tnot\n");
        assert_eq!(errors.len(), 3 + WordClass::ALL.len() - 1, "{errors:#?}");
        assert!(errors[0].contains("unknown class \"no_such_class\"") && errors[0].contains("negations"));
        assert!(errors[1].contains("\"Not\""));
        assert!(errors[2].contains("expected `class<TAB>words`"));
        assert_eq!(t.get("NOT") & WordClass::Negations.bit(), WordClass::Negations.bit());
        // The bad word is skipped, the row's other words are kept.
        assert_eq!(t.get("never"), WordClass::Negations.bit());
        assert_eq!(t.get("foo"), 0);
    }

    /// The table answers as a linear scan with `word_eq` over each class's words, for
    /// case variants, curly apostrophes, near misses and odd input.
    #[test]
    fn table_agrees_with_linear_scans() {
        let mut toks: Vec<String> = Vec::new();
        for c in WordClass::ALL {
            for w in c.words() {
                toks.push(w.to_string());
                toks.push(w.to_uppercase());
                let mut ch = w.chars();
                toks.extend(ch.next().map(|f| f.to_uppercase().chain(ch).collect::<String>()));
                toks.push(w.replace('\'', "’"));
                toks.push(format!("{w}x"));
                toks.push(w.chars().skip(1).collect());
            }
        }
        for t in ["", "US", "IT", "Italy", "’s", "'s", "&", "n’t", "N’T", "ÉTÉ", "über", "déjà", "3", "a’", "‘s"] {
            toks.push(t.to_string());
        }
        toks.push("x".repeat(200));
        toks.push("’".repeat(30));
        for t in &toks {
            for c in WordClass::ALL {
                assert_eq!(c.has(t), in_list(c.words(), t), "{t:?} in {}", c.name());
            }
        }
    }

    /// A `FoldMap` grown one word at a time answers as a map of the folded bytes
    /// (`fold_word`), for ASCII tokens of every length around the one- and two-word fast
    /// path, case variants, curly apostrophes and non-ASCII bytes.
    #[test]
    fn fold_map_agrees_with_a_map_of_folded_words() {
        use super::super::lexicon::fold_word;
        let mut words: Vec<String> = Vec::new();
        for n in 1..=40 {
            words.push((0..n).map(|k| (b'a' + (k * 7 % 26) as u8) as char).collect());
        }
        words.extend(["don't", "n't", "i'm", "@home", "[z]", "a-b", "été", "x’y", "über", "o'brien-smith-jones"].map(String::from));
        let mut m = FoldMap::new();
        let mut reference: HashMap<Vec<u8>, u32> = HashMap::new();
        for (i, w) in words.iter().enumerate() {
            let mut buf = [0u8; FOLD_MAX];
            let key = fold_word(w, &mut buf).expect("short").to_vec();
            assert!(m.insert(&key, i as u32));
            reference.entry(key).or_insert(i as u32);
        }
        assert_eq!(m.len(), reference.len());
        let mut toks: Vec<String> = Vec::new();
        for w in &words {
            toks.push(w.clone());
            toks.push(w.to_uppercase());
            toks.push(w.replace('\'', "’"));
            toks.push(format!("{w}@"));
            toks.push(format!("{w}["));
            toks.push(w.chars().skip(1).collect());
        }
        toks.extend(["", "@", "`", "Z", "[", "{", "ÉTÉ", "DON’T", "X’Y"].map(String::from));
        toks.push("q".repeat(300));
        for t in &toks {
            let mut buf = [0u8; FOLD_MAX];
            let want = fold_word(t, &mut buf).and_then(|k| reference.get(k).copied());
            assert_eq!(m.get(t), want, "{t:?}");
        }
        assert!(!m.insert(b"", 0));
        assert_eq!(ascii_lower(u64::from_le_bytes(*b"@AZ[`az{")), u64::from_le_bytes(*b"@az[`az{"));
        let bytes: Vec<u8> = (1..=16).collect();
        for n in 0..=16 {
            let mut raw = [0u8; 16];
            raw[..n].copy_from_slice(&bytes[..n]);
            let want = (u64::from_le_bytes(raw[..8].try_into().unwrap()), u64::from_le_bytes(raw[8..].try_into().unwrap()));
            assert_eq!(load16(&bytes[..n]), want, "{n} bytes");
        }
    }

    #[test]
    fn a_word_in_two_classes_has_both_bits() {
        let k = classes_of("Will");
        assert_ne!(k & WordClass::FutureModals.bit(), 0);
        assert_ne!(k & WordClass::Auxiliaries.bit(), 0);
        assert_eq!(k & WordClass::Determiners.bit(), 0);
    }
}
