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
    /// Open addressing over the folded words' hashes: per slot the hash's low 16 bits
    /// above the index of the entry + 1 (0: empty); at most a third full, 4 bytes a slot
    /// so that the table stays in the first-level cache.
    slots: Vec<u32>,
    shift: u32,
    entries: Vec<Entry>,
    /// The entries' folded words, each zero-padded to whole `u64`s.
    text: Vec<u64>,
    /// Each class's words, indexed by `WordClass as usize`.
    words: Vec<Vec<Box<str>>>,
    /// Longest token (bytes) that can fold to a word of the table: a `'` may be written
    /// `’` (3 bytes).
    max_tok: usize,
}

impl ClassTable {
    /// Reads `text` (rows `class<TAB>word word …`, `#` comments, blank lines). Returns
    /// the table and one message per bad row: an unknown class, a word that is not
    /// lowercase or holds `’`, a word too long to look up, or a class with no words.
    pub(crate) fn parse(text: &str) -> (ClassTable, Vec<String>) {
        let mut errors = Vec::new();
        let mut map: HashMap<Box<[u8]>, ClassSet, FxBuild> = HashMap::default();
        let mut words: Vec<Vec<Box<str>>> = vec![Vec::new(); WordClass::ALL.len()];
        let mut max_len = 0;
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
                max_len = max_len.max(w.len());
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
        let mut t = ClassTable { slots: Vec::new(), shift: 64, entries: Vec::new(), text: Vec::new(), words, max_tok: 3 * max_len };
        let mut map: Vec<_> = map.into_iter().collect();
        // Entry order does not change any answer; sorted, the table is the same every run.
        map.sort_unstable();
        if map.len() >= u16::MAX as usize {
            errors.push(format!("wordclasses.tsv: {} words, at most {} fit the table", map.len(), u16::MAX - 1));
            map.truncate(u16::MAX as usize - 1);
        }
        let cap = (map.len() * 3).next_power_of_two().max(16);
        t.slots = vec![0; cap];
        t.shift = 64 - cap.trailing_zeros();
        for (w, set) in map {
            let mut folded = [0u64; FOLD_WORDS];
            let Some((len, h)) = fold_key(&w, &mut folded) else { continue };
            let off = t.text.len() as u32;
            t.text.extend_from_slice(&folded[..len.div_ceil(8)]);
            t.entries.push(Entry { hash: h, off, len: len as u32, set });
            let mut i = (h >> t.shift) as usize;
            while t.slots[i] != 0 {
                i = (i + 1) & (cap - 1);
            }
            t.slots[i] = (h as u32) << 16 | t.entries.len() as u32;
        }
        (t, errors)
    }

    /// The bits of the classes holding `tok`, 0 for none.
    #[inline]
    pub(crate) fn get(&self, tok: &str) -> ClassSet {
        if tok.is_empty() || tok.len() > self.max_tok {
            return 0;
        }
        let mut folded = [0u64; FOLD_WORDS];
        let Some((len, h)) = fold_key(tok.as_bytes(), &mut folded) else { return 0 };
        let mask = self.slots.len() - 1;
        let mut i = (h >> self.shift) as usize;
        loop {
            let slot = self.slots[i];
            let id = slot & 0xffff;
            if id == 0 {
                return 0;
            }
            if slot >> 16 == h as u32 & 0xffff {
                let e = &self.entries[id as usize - 1];
                let n = len.div_ceil(8);
                if e.hash == h && e.len as usize == len && self.text.get(e.off as usize..e.off as usize + n) == Some(&folded[..n]) {
                    return e.set;
                }
            }
            i = (i + 1) & mask;
        }
    }
}

/// `FOLD_MAX` bytes as `u64`s.
const FOLD_WORDS: usize = FOLD_MAX / 8;

/// A word of the table: its hash, where its folded bytes start in `ClassTable::text`
/// (in `u64`s) and how many bytes they are, and its classes.
struct Entry {
    hash: u64,
    off: u32,
    len: u32,
    set: ClassSet,
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
    let mut h = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for &w in &out[..n.div_ceil(8)] {
        h = (h.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    // The slot comes from the top bits: mix the low ones up.
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    Some((n, h ^ (h >> 32)))
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

    #[test]
    fn a_word_in_two_classes_has_both_bits() {
        let k = classes_of("Will");
        assert_ne!(k & WordClass::FutureModals.bit(), 0);
        assert_ne!(k & WordClass::Auxiliaries.bit(), 0);
        assert_eq!(k & WordClass::Determiners.bit(), 0);
    }
}
