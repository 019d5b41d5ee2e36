//! Never panic on input: random and hostile text through the tokenizer, sentence
//! splitter and every extractor; random bytes through the loaders. Offsets must stay
//! inside the text on character boundaries; every input line is accounted for.

mod common;

use common::*;
use newsgrid::config::Config;
use newsgrid::io::{self, LoadItem};
use newsgrid::nlp::Doc;

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

#[test]
fn extractors_never_panic_and_spans_stay_inside() {
    let x = newsgrid::stages::extract::Extractors::load(None, true).expect("builtin model");
    let mut rng = Rng(0x9E3779B97F4A7C15);
    for _ in 0..3000 {
        let text = random_text(&mut rng);
        let doc = Doc::new(&text);
        let covered: usize = doc.sentences.iter().map(|s| s.tokens.len()).sum();
        assert_eq!(covered, doc.tokens.len(), "sentences must cover every token once: {text:?}");
        for t in &doc.tokens {
            assert_span_inside(&text, t.span, "token");
            assert!(!t.span.is_empty(), "empty token in {text:?}");
        }
        assert_extracted_spans_inside(&text, &doc, &x);
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
        // A file with no non-blank line is one `empty_file` reject.
        assert_eq!(seen, nonblank.max(1), "round {round}: every non-blank line is a record or a reject");
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
        LoadItem::Skipped { .. } => {}
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

/// Load one file; records as (title, text, source_id), rejects as reasons.
/// (title, text, source id) of each article loaded.
type Loaded = Vec<(Option<String>, String, Option<String>)>;

fn load(path: &std::path::Path) -> (Loaded, Vec<String>) {
    let (mut records, mut rejects) = (Vec::new(), Vec::new());
    io::read_file(path, &Config::default(), &mut |item| match item {
        LoadItem::Record(r) => records.push((r.title, r.text, r.source_id)),
        LoadItem::Reject(r) => rejects.push(format!("{} {}", r.input_position, r.reason)),
        LoadItem::Skipped { .. } => {}
    });
    (records, rejects)
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn legacy_encodings_are_guessed() {
    // Latin-1 .txt: title line split off, accents kept.
    let (records, rejects) = load(&fixture("latin1.txt"));
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].0.as_deref(), Some("Zürich Café Owners Protest Rent Rises"));
    assert!(records[0].1.contains("\"C'est la fin de nos cafés\", one owner told the crowd; Señor García"), "{}", records[0].1);
    assert!(records[0].1.contains("Großmünster"));
    // Windows-1252 CSV: euro sign, dashes and typographic quotes.
    let (records, rejects) = load(&fixture("cp1252.csv"));
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].1, "The bank said the new €50 note would reach cash machines in May – “earlier than planned”, officials said.");
    assert_eq!(records[1].0.as_deref(), Some("Café prices"));
    assert_eq!(records[1].1, "Prices at cafés rose 4 % in Dublin, the statistics office said — the ‘biggest’ rise since 2008.");
    // KOI8-R and Shift_JIS text files.
    let (records, _) = load(&fixture("koi8r.txt"));
    assert_eq!(records[0].0.as_deref(), Some("Центральный банк России повысил ключевую ставку"));
    assert!(records[0].1.contains("во вторник повысил ключевую ставку до 16 процентов"), "{}", records[0].1);
    let (records, _) = load(&fixture("shift_jis.txt"));
    assert_eq!(records[0].0.as_deref(), Some("日経平均株価が続落"));
    assert!(records[0].1.contains("東京株式市場で日経平均株価は続落し"), "{}", records[0].1);
}

#[test]
fn legacy_encoding_in_jsonl_and_undeclared_html() {
    let dir = tempfile::tempdir().unwrap();
    // A JSONL line holding Windows-1252 bytes (a broken export).
    let mut line = b"{\"id\": \"a\", \"text\": \"Caf\xe9 owners said the \x80 rise was \x93unfair\x94.\"}\n".to_vec();
    line.extend_from_slice(b"{\"id\": \"b\", \"text\": \"Plain UTF-8 caf\xc3\xa9.\"}\n");
    let path = dir.path().join("d.jsonl");
    std::fs::write(&path, &line).unwrap();
    let (records, rejects) = load(&path);
    assert!(rejects.is_empty(), "{rejects:?}");
    assert_eq!(records[0].1, "Café owners said the € rise was “unfair”.");
    assert_eq!(records[1].1, "Plain UTF-8 café.");
    // An HTML file: its <meta charset> is honoured; without one, the encoding is guessed.
    let html = dir.path().join("a.html");
    std::fs::write(
        &html,
        b"<html><head><meta charset=\"koi8-r\"></head><body><p>\xf0\xd2\xc1\xd7\xc9\xd4\xc5\xcc\xd8\xd3\xd4\xd7\xcf</p></body></html>",
    )
    .unwrap();
    let (records, _) = load(&html);
    assert!(records[0].1.contains("<p>Правительство</p>"), "{}", records[0].1);
    let (koi8, _, _) =
        encoding_rs::KOI8_R.encode("<html><body><p>Правительство России заявило во вторник, что переговоры продолжатся.</p></body></html>");
    std::fs::write(&html, &koi8).unwrap();
    let (records, _) = load(&html);
    assert!(records[0].1.contains("Правительство России заявило"), "{}", records[0].1);
}

#[test]
fn folder_txt_titles_and_whole_file_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "Oil Prices Fall\n\nOil prices fell on Monday, traders said.\n").unwrap();
    // A first line ending like a sentence is text, not a title.
    std::fs::write(d.join("b.txt"), "Oil prices fell on Monday.\nTraders said demand was weak.\n").unwrap();
    // One line only: no title.
    std::fs::write(d.join("c.txt"), "Oil Prices Fall").unwrap();
    std::fs::write(d.join("d.txt"), " \n\t\n").unwrap();
    std::fs::write(d.join("e.txt"), [0u8, 1, 2, 3, 0, 159, 146, 150, 0, 0, 7, 8].repeat(20)).unwrap();
    std::fs::write(d.join("f.pdf"), b"%PDF-1.4").unwrap();
    let mut files = Vec::new();
    let (mut records, mut rejects) = (Vec::new(), Vec::new());
    for f in io::expand_inputs(&[d.to_path_buf()]).unwrap() {
        files.push(f.file_name().unwrap().to_string_lossy().into_owned());
        io::read_file(&f, &Config::default(), &mut |item| match item {
            LoadItem::Record(r) => records.push((r.title, r.text)),
            LoadItem::Reject(r) => rejects.push(format!("{} {} {}", f.file_name().unwrap().to_string_lossy(), r.input_position, r.reason)),
            LoadItem::Skipped { .. } => {}
        });
    }
    assert_eq!(files, ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.pdf"]);
    assert_eq!(
        records,
        [
            (Some("Oil Prices Fall".to_string()), "\nOil prices fell on Monday, traders said.\n".to_string()),
            (None, "Oil prices fell on Monday.\nTraders said demand was weak.\n".to_string()),
            (None, "Oil Prices Fall".to_string()),
        ]
    );
    assert_eq!(rejects, ["d.txt 1 empty_file", "e.txt 1 binary_file", "f.pdf 0 unsupported_file_type"]);
}
