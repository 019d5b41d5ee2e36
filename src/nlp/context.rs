//! The context the extractors share for one document: per sentence, its token range,
//! its participant mentions and its date expressions (found on first need), built once
//! in the extract stage and read by the event and the attribution passes alike, instead
//! of each recomputing them (issue #14: one `Sentence` context shared by every
//! extractor). The parse is shared beside it through `ParseCache`.
//!
//! Dates are searched through `DateText`, an ASCII stand-in of a non-ASCII article that
//! keeps the regex engine on its fast path with the same matches.

use crate::nlp::events::phrase::{is_date_word, DateFinder};
use crate::nlp::{Doc, Mention, Span};
use regex::Regex;
use std::cell::{OnceCell, RefCell};
use std::ops::Range;
use std::sync::OnceLock;

/// One sentence as the extractors read it.
pub(crate) struct SentenceContext<'m> {
    /// Index in `Doc::sentences`.
    pub index: usize,
    /// Token range (empty for a sentence no pass reads).
    pub range: Range<usize>,
    pub span: Span,
    /// The entity mentions inside the sentence usable as participants (not date words the
    /// tagger took for names), in text order.
    pub mentions: Vec<&'m Mention>,
    dates: OnceCell<Vec<Span>>,
}

/// Every sentence of one document, with the date search state they share.
pub struct DocContext<'d, 'm> {
    pub(crate) doc: &'d Doc<'d>,
    pub(crate) sentences: Vec<SentenceContext<'m>>,
    date_text: RefCell<DateText>,
}

impl<'d, 'm> DocContext<'d, 'm> {
    /// The context of `doc` with its entity `mentions`: one linear pass over the mentions
    /// sorted by position.
    pub fn new(doc: &'d Doc<'d>, mentions: &'m [Mention]) -> DocContext<'d, 'm> {
        let mut usable: Vec<&Mention> = mentions
            .iter()
            .filter(|m| m.span.end as usize <= doc.text.len() && !m.span.is_empty())
            .filter(|m| !m.tokens.is_empty() && m.tokens.end <= doc.tokens.len())
            .filter(|m| !m.tokens.clone().all(|t| is_date_word(doc.token_text(t))))
            .collect();
        usable.sort_by_key(|m| (m.span.start, m.span.end));
        let sentences = doc
            .sentences
            .iter()
            .enumerate()
            .map(|(index, s)| {
                let valid = !s.tokens.is_empty() && s.tokens.end <= doc.tokens.len();
                let lo = usable.partition_point(|m| m.span.start < s.span.start);
                let hi = usable.partition_point(|m| m.span.start < s.span.end);
                let mentions =
                    if valid { usable[lo..hi].iter().copied().filter(|m| s.span.contains(m.span)).collect() } else { Vec::new() };
                SentenceContext {
                    index,
                    range: if valid { s.tokens.clone() } else { 0..0 },
                    span: s.span,
                    mentions,
                    dates: OnceCell::new(),
                }
            })
            .collect();
        DocContext { doc, sentences, date_text: RefCell::new(DateText::new()) }
    }

    /// The date expressions of sentence `index` (searched on the first call).
    pub(crate) fn dates(&self, index: usize) -> &[Span] {
        let Some(s) = self.sentences.get(index) else {
            return &[];
        };
        s.dates.get_or_init(|| self.date_text.borrow_mut().find(DateEngine::shared(), self.doc.text, s.span))
    }
}

/// The date pattern and the character classes of its ASCII stand-in, compiled once.
pub(crate) struct DateEngine {
    pub finder: DateFinder,
    chars: CharClasses,
}

impl DateEngine {
    pub(crate) fn shared() -> &'static DateEngine {
        static ENGINE: OnceLock<DateEngine> = OnceLock::new();
        ENGINE.get_or_init(|| DateEngine { finder: DateFinder::new(), chars: CharClasses::new() })
    }
}

/// How the date pattern reads a non-ASCII character, to search an ASCII stand-in of
/// the text (see [`DateText`]).
struct CharClasses {
    /// `\s`, `\w` as the regex engine defines them.
    space: Regex,
    word: Regex,
    /// Characters the date pattern may match by themselves (`\d`, case folding onto an
    /// ASCII letter: `K` Kelvin, `ſ`): a sentence holding one is searched as written.
    risky: Regex,
}

/// Stand-in bytes of a non-ASCII character: a word character, a space, anything else,
/// or a character the pattern may match (the sentence is then searched as written).
/// None is a character of the date pattern (`q` is in none of its words).
const FILL_WORD: u8 = b'q';
const FILL_SPACE: u8 = b' ';
const FILL_OTHER: u8 = b'#';
const FILL_RISKY: u8 = 0;

impl CharClasses {
    fn new() -> CharClasses {
        let re = |p: &str| Regex::new(p).expect("built-in character class compiles");
        CharClasses { space: re(r"^\s$"), word: re(r"^\w$"), risky: re(r"^(?:\d|(?i:[a-z]))$") }
    }

    fn fill(&self, c: char) -> u8 {
        let mut b = [0u8; 4];
        let c = &*c.encode_utf8(&mut b);
        let (space, word) = (self.space.is_match(c), self.word.is_match(c));
        if self.risky.is_match(c) || (space && word) {
            FILL_RISKY
        } else if space {
            FILL_SPACE
        } else if word {
            FILL_WORD
        } else {
            FILL_OTHER
        }
    }
}

/// The text the date pattern is searched in, made once per document. The pattern's
/// Unicode word boundaries keep the regex engine off its fast DFA on non-ASCII text,
/// where it falls back to backtracking (most of the cost of extraction). So non-ASCII
/// text is searched in an ASCII stand-in of the same byte length: each non-ASCII
/// character becomes as many bytes of `q` (a word character), spaces or `#` (neither).
/// The pattern matches no non-ASCII character except by `\s` (runs of which stay runs
/// of spaces), `\d` and case folding (sentences holding those are searched as
/// written), and word boundaries keep their places, so the matches are the same.
struct DateText {
    /// The stand-in; None while not made, or for ASCII text (searched as it is).
    ascii: Option<String>,
    made: bool,
    /// Byte offsets of the characters that force a search of the text as written.
    risky: Vec<usize>,
}

impl DateText {
    fn new() -> DateText {
        DateText { ascii: None, made: false, risky: Vec::new() }
    }

    /// Date spans in sentence `span`, as `DateFinder::find(doc.text, span)` finds them.
    fn find(&mut self, e: &DateEngine, text: &str, span: Span) -> Vec<Span> {
        if !self.made {
            self.made = true;
            if !text.is_ascii() {
                self.make(&e.chars, text);
            }
        }
        let Some(ascii) = &self.ascii else {
            return e.finder.find(text, span);
        };
        let k = self.risky.partition_point(|&p| p < span.start as usize);
        if self.risky.get(k).is_some_and(|&p| p < span.end as usize) {
            return e.finder.find(text, span);
        }
        e.finder.find(ascii, span)
    }

    fn make(&mut self, chars: &CharClasses, text: &str) {
        let mut out = Vec::with_capacity(text.len());
        // The few distinct non-ASCII characters of an article, with their fill.
        let mut seen: Vec<(char, u8)> = Vec::new();
        for (i, c) in text.char_indices() {
            if c.is_ascii() {
                out.push(c as u8);
                continue;
            }
            let fill = match seen.iter().find(|(d, _)| *d == c) {
                Some(&(_, f)) => f,
                None => {
                    let f = chars.fill(c);
                    if seen.len() < 64 {
                        seen.push((c, f));
                    }
                    f
                }
            };
            if fill == FILL_RISKY {
                self.risky.push(i);
                out.extend(std::iter::repeat_n(FILL_OTHER, c.len_utf8()));
            } else {
                out.extend(std::iter::repeat_n(fill, c.len_utf8()));
            }
        }
        self.ascii = Some(String::from_utf8(out).expect("ASCII stand-in"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::{EntityType, Mention};

    /// Each sentence holds the mentions inside it that can be parties, in text order; a
    /// mention across a sentence end or made of date words is in none.
    #[test]
    fn sentences_hold_their_participant_mentions() {
        let doc = Doc::new("Obama met Putin on Monday. Merkel spoke.");
        let m = |text: &str| {
            let start = doc.text.find(text).unwrap();
            let span = Span::new(start, start + text.len());
            let a = doc.tokens.partition_point(|t| t.span.end <= span.start);
            let b = doc.tokens.partition_point(|t| t.span.start < span.end);
            Mention { span, tokens: a..b, sentence: doc.sentence_of(span.start), entity_type: EntityType::Per, confidence: 0.9 }
        };
        // Out of order on purpose, plus a date word and a span across the sentence end.
        let mentions = vec![m("Merkel"), m("Putin"), m("Monday"), m("Obama"), m("Monday. Merkel")];
        let ctx = DocContext::new(&doc, &mentions);
        assert_eq!(ctx.sentences.len(), 2);
        let names = |i: usize| ctx.sentences[i].mentions.iter().map(|m| doc.span_text(m.span)).collect::<Vec<_>>();
        assert_eq!(names(0), vec!["Obama", "Putin"]);
        assert_eq!(names(1), vec!["Merkel"]);
        assert_eq!(ctx.dates(0).iter().map(|d| doc.span_text(*d)).collect::<Vec<_>>(), vec!["on Monday"]);
        assert!(ctx.dates(1).is_empty());
        assert!(ctx.dates(9).is_empty());
    }

    /// Dates searched in the ASCII stand-in of a non-ASCII text are those of the text:
    /// every non-ASCII character of a sample (spaces, word characters, punctuation, digits,
    /// characters folding onto ASCII letters, joiners) at every position of date phrases.
    #[test]
    fn dates_in_ascii_stand_in_agree() {
        let e = DateEngine::shared();
        let bases = [
            "On Thursday morning, 3 May 2021 and Dec. 10, 2020, in March 2019 he said, two days earlier, last week.",
            "since January 5th, by 2020 2021, later this year, earlier in the day, a few weeks ago, overnight.",
            "early-March Sept. 9 this spring; on Monday night; 12 Oct; mid-2019 next weekend TODAY Yesterday",
        ];
        let chars = [
            "\u{a0}",
            "\u{2009}",
            "\u{3000}",
            "\u{2028}",
            "é",
            "É",
            "ß",
            "\u{301}",
            "\u{200d}",
            "\u{200b}",
            "\u{203f}",
            "’",
            "“",
            "—",
            "–",
            "…",
            "\u{212a}",
            "\u{17f}",
            "٣",
            "²",
            "½",
            "Ⅻ",
            "日",
            "\u{1f600}",
            "\u{feff}",
            "\u{130}",
            "\u{131}",
        ];
        let mut checked = 0;
        for base in bases {
            let cuts: Vec<usize> = (0..=base.len()).filter(|&i| base.is_char_boundary(i)).collect();
            for c in chars {
                for &i in &cuts {
                    let (head, tail) = base.split_at(i);
                    for text in [format!("{head}{c}{tail}"), format!("{head}{c}{c}{tail}")] {
                        let doc = Doc::new(&text);
                        let mut dt = DateText::new();
                        for s in doc.sentences.iter().map(|s| s.span).chain([Span::new(0, text.len())]) {
                            assert_eq!(dt.find(e, doc.text, s), e.finder.find(doc.text, s), "{text:?}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 1000);
    }
}
