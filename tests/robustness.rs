//! Never panic on input: random and hostile text through the tokenizer, sentence
//! splitter and every extractor; random bytes through the loaders. Offsets must stay
//! inside the text on character boundaries; every input line is accounted for.

use newsgrid::config::Config;
use newsgrid::io::{self, LoadItem};
use newsgrid::nlp::attrib::AttributionExtractor;
use newsgrid::nlp::events::EventExtractor;
use newsgrid::nlp::ner::NerModel;
use newsgrid::nlp::{Doc, Span};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "U.S.",
    "Mr.",
    "Gen.",
    "Putin",
    "said",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'s",
    "n't",
    "'",
    ".",
    ",",
    "!",
    "?",
    "...",
    "-",
    "—",
    "–",
    "(",
    ")",
    "according to",
    "Reuters",
    "the",
    "Kremlin",
    "condemned",
    "attacked",
    "met with",
    "in",
    "Caracas",
    "on Thursday",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\t",
    "é",
    "e\u{301}",
    "Chávez",
    "東京",
    "🙂",
    "\u{200b}",
    "1,000",
    "3.5",
    "A.",
    "Inc.",
    "«",
    "»",
    "„",
    "Reporting by",
    ";",
    ":",
    "he",
    "told",
    "Smith",
    "United Nations",
    "Security Council",
    "x",
    "0",
    "'",
    "\u{feff}",
];

fn random_text(rng: &mut Rng) -> String {
    let n = rng.below(60);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(PIECES[rng.below(PIECES.len())]);
        if rng.below(3) > 0 {
            s.push(' ');
        }
    }
    s
}

fn check_span(text: &str, s: Span, what: &str) {
    assert!(s.start <= s.end && (s.end as usize) <= text.len(), "{what} {s:?} outside {text:?}");
    assert!(text.is_char_boundary(s.start as usize) && text.is_char_boundary(s.end as usize), "{what} {s:?} splits a char in {text:?}");
}

#[test]
fn extractors_never_panic_and_spans_stay_inside() {
    let ner = NerModel::builtin().expect("builtin model");
    let events = EventExtractor::builtin();
    let attrib = AttributionExtractor::builtin();
    let mut rng = Rng(0x9E3779B97F4A7C15);
    for _ in 0..3000 {
        let text = random_text(&mut rng);
        let doc = Doc::new(&text);
        let covered: usize = doc.sentences.iter().map(|s| s.tokens.len()).sum();
        assert_eq!(covered, doc.tokens.len(), "sentences must cover every token once: {text:?}");
        for t in &doc.tokens {
            check_span(&text, t.span, "token");
            assert!(!t.span.is_empty(), "empty token in {text:?}");
        }
        let mentions = ner.tag(&doc);
        for m in &mentions {
            check_span(&text, m.span, "mention");
        }
        for e in events.extract(&doc, &mentions) {
            check_span(&text, e.trigger, "trigger");
            for s in [e.actor, e.recipient, e.location, e.date].into_iter().flatten() {
                check_span(&text, s, "event part");
            }
        }
        for a in attrib.extract(&doc, &mentions) {
            check_span(&text, a.cue, "cue");
            check_span(&text, a.content, "content");
            if let Some(s) = a.source {
                check_span(&text, s, "source");
            }
        }
    }
}

#[test]
fn loaders_account_for_every_line_of_random_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(42);
    let config = Config::default();
    for round in 0..30 {
        let mut bytes = Vec::new();
        let mut lines = 0;
        for _ in 0..rng.below(40) {
            match rng.below(4) {
                0 => bytes.extend_from_slice(br#"{"id": "x", "text": "Fine text here."}"#),
                1 => bytes.extend_from_slice(br#"{"text": 5}"#),
                2 => {
                    for _ in 0..rng.below(30) {
                        let b = (rng.next() & 0xff) as u8;
                        if b != b'\n' {
                            bytes.push(b);
                        }
                    }
                }
                _ => bytes.extend_from_slice("{\"text\": \"caf\u{e9} \\u0000 \\ud800\"}".as_bytes()),
            }
            if bytes.last().is_some_and(|b| !b.is_ascii_whitespace()) || bytes.is_empty() {
                lines += 1;
            }
            bytes.push(b'\n');
        }
        let path = dir.path().join(format!("r{round}.jsonl"));
        std::fs::write(&path, &bytes).unwrap();
        let mut seen = 0;
        io::read_file(&path, &config, &mut |item| {
            seen += 1;
            if let LoadItem::Record(r) = item {
                assert!(!r.text.trim().is_empty());
            }
        });
        let nonblank = bytes.split(|b| *b == b'\n').filter(|l| l.iter().any(|b| !b.is_ascii_whitespace())).count();
        assert_eq!(seen, nonblank, "round {round}: every non-blank line is a record or a reject");
        let _ = lines;
    }
}

#[test]
fn truncated_gzip_keeps_complete_records_and_rejects_the_rest() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..2000 {
        writeln!(enc, "{{\"id\": \"{i}\", \"text\": \"Story number {i} about talks in Geneva between several delegations.\"}}").unwrap();
    }
    let full = enc.finish().unwrap();
    let cut = &full[..full.len() / 2];
    let path = dir.path().join("cut.jsonl.gz");
    std::fs::write(&path, cut).unwrap();
    let (mut records, mut rejects) = (0, Vec::new());
    io::read_file(&path, &Config::default(), &mut |item| match item {
        LoadItem::Record(_) => records += 1,
        LoadItem::Reject(r) => rejects.push(r.reason),
    });
    assert!(records > 100 && records < 2000, "{records}");
    assert_eq!(rejects.last().map(String::as_str), Some("truncated_stream"), "{rejects:?}");

    // zstd too, detected by magic bytes.
    let z = zstd::encode_all(&full_text()[..], 3).unwrap();
    let zpath = dir.path().join("ok.jsonl.zst");
    std::fs::write(&zpath, &z).unwrap();
    let mut n = 0;
    io::read_file(&zpath, &Config::default(), &mut |item| {
        if let LoadItem::Record(_) = item {
            n += 1
        }
    });
    assert_eq!(n, 3);
}

fn full_text() -> Vec<u8> {
    b"{\"text\": \"a b\"}\n{\"text\": \"c d\"}\n{\"text\": \"e f\"}".to_vec()
}
