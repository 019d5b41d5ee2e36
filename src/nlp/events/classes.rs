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

use super::lexicon::{fold_word, FOLD_MAX};
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
    map: HashMap<Box<[u8]>, ClassSet, FxBuild>,
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
        (ClassTable { map, words, max_tok: 3 * max_len }, errors)
    }

    /// The bits of the classes holding `tok`, 0 for none.
    #[inline]
    pub(crate) fn get(&self, tok: &str) -> ClassSet {
        if tok.is_empty() || tok.len() > self.max_tok {
            return 0;
        }
        let mut buf = [0u8; FOLD_MAX];
        match fold_word(tok, &mut buf) {
            Some(w) => self.map.get(w).copied().unwrap_or(0),
            None => 0,
        }
    }
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
