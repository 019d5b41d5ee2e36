//! Fuzz and property harness (issue #12): generated inputs to every reader (JSONL, CSV,
//! folder files, WARC, gzip/zstd) and to the tokenizer, sentence splitter, date parser and
//! each extractor (entity tagging, events, attributions) on random and adversarial text:
//! multibyte characters at every cut point, non-ASCII digits, thousands of unclosed
//! quotes and brackets, long `A.-A.-` runs. Checks: no panic, spans on char boundaries,
//! every record accounted for, and (long run) time linear in the input.
//!
//! `cargo test --release --test fuzz` runs a short pass (a few seconds). The long run:
//! `NEWSGRID_FUZZ_CASES=200000 cargo test --release --test fuzz -- --include-ignored`
//! (cases per target; the seed is `NEWSGRID_FUZZ_SEED`, default fixed, printed on failure).

mod common;

use common::*;
use newsgrid::config::Config;
use newsgrid::io::{self, LoadItem};
use newsgrid::nlp::Doc;
use std::io::Write;
use std::time::{Duration, Instant};

fn cases(short: usize) -> usize {
    std::env::var("NEWSGRID_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(short)
}

fn seed(salt: u64) -> u64 {
    let base = std::env::var("NEWSGRID_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5EED_0012u64);
    (base ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1
}

/// Pieces that break naive byte cuts, digit classes, quote pairing and abbreviations.
const PIECES: &[&str] = &[
    "é",
    "e\u{301}",
    "東京",
    "🙂",
    "👩\u{200d}👩\u{200d}👧",
    "\u{fffd}",
    "\u{200b}",
    "\u{feff}",
    "\u{2028}",
    "\u{a0}",
    "ß",
    "İ",
    "\u{212a}",
    "\u{661}\u{662}\u{663}",
    "\u{966}\u{967}",
    "\u{ff11}\u{ff12}",
    "2024-03-05T10:30:00.\u{661}\u{662}Z",
    "12:30",
    "3.5",
    "1,000",
    "U.S.",
    "U.S.-",
    "A.-",
    "Mr.",
    "Inc.",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'s",
    "n't",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "«",
    "»",
    ",",
    ";",
    ":",
    ".",
    "...",
    "!",
    "?",
    "-",
    "—",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    " ",
    "said",
    "told",
    "according to",
    "says",
    "added",
    "Putin",
    "President",
    "Joe Biden",
    "the Kremlin",
    "Reuters",
    "attacked",
    "met with",
    "in",
    "Caracas",
    "on Thursday",
    "last week",
    "Dec. 10",
    "two days ago",
    "the",
    "and",
    "he",
    "she",
    "they",
    "Reporting by",
    "Writing by",
    "x",
    "0",
];

fn piece_text(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(PIECES[rng.below(PIECES.len())]);
        if rng.below(3) > 0 {
            s.push(' ');
        }
    }
    s
}

/// Adversarial text: piece salad, long runs of one piece (unclosed quotes, brackets,
/// `A.-` links, speech verbs), random scalar values; sometimes cut at a random byte
/// floored to a char boundary.
fn adversarial(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..1 + rng.below(4) {
        match rng.below(6) {
            0 => {
                let unit = ["\"", "“", "(", "[", "A.-", "a.", "said ", "\"He said, ", "\u{661}", "é", "'", "—", ", "][rng.below(13)];
                s.push_str(&unit.repeat(1 + rng.below(3000)));
            }
            1 => {
                for _ in 0..rng.below(50) {
                    let v = match rng.below(3) {
                        0 => rng.below(0x80) as u32,
                        1 => rng.below(0x3000) as u32,
                        _ => rng.below(0x110000) as u32,
                    };
                    if let Some(c) = char::from_u32(v) {
                        s.push(c);
                    }
                }
            }
            _ => {
                let n = rng.below(80);
                s.push_str(&piece_text(rng, n));
            }
        }
    }
    if rng.below(4) == 0 && !s.is_empty() {
        let cut = s.floor_char_boundary(rng.below(s.len()));
        s.truncate(cut);
    }
    s
}

fn check_doc(text: &str, doc: &Doc) {
    let mut next = 0;
    for s in &doc.sentences {
        assert_eq!(s.tokens.start, next, "sentences must tile the tokens: {text:?}");
        assert!(s.tokens.len() <= newsgrid::nlp::sentence::MAX_SENTENCE_TOKENS, "sentence over the bound: {text:?}");
        next = s.tokens.end;
    }
    assert_eq!(next, doc.tokens.len(), "{text:?}");
    for t in &doc.tokens {
        assert_span_inside(text, t.span, "token");
    }
}

#[test]
fn text_pipeline_never_panics_on_adversarial_text() {
    let x = newsgrid::stages::extract::Extractors::load(None, true).expect("builtin model");
    let n = cases(1000);
    let mut rng = Rng(seed(1));
    for case in 0..n {
        let text = adversarial(&mut rng);
        let doc = Doc::new(&text);
        check_doc(&text, &doc);
        assert_extracted_spans_inside(&text, &doc, &x);
        // Dates: any window of the text as a publication date or date words.
        let w = text.get(..text.floor_char_boundary(60)).unwrap_or("");
        let _ = newsgrid::nlp::dates::parse_published(w);
        let _ = newsgrid::nlp::dates::resolve_relative(w, newsgrid::nlp::dates::parse_published("2024-03-05T10:00:00Z"));
        if case % 50 == 0 {
            // The stage's own bounds on the same text: rows within bounds.
            let got = newsgrid::stages::extract::extract_article(
                "a",
                &text,
                &x,
                &newsgrid::config::ExtractConfig::default(),
                &newsgrid::config::LimitsConfig::default(),
            );
            let chars = text.chars().count() as i64;
            assert!(got.attributions.iter().all(|a| 0 <= a.content_start && a.content_end <= chars), "{text:?}");
        }
    }
}

/// A record line in one of several broken shapes.
fn jsonl_line(rng: &mut Rng) -> Vec<u8> {
    let text = adversarial(rng);
    match rng.below(8) {
        0 => {
            let mut b = serde_json::to_vec(&serde_json::json!({ "id": rng.next(), "text": text })).unwrap();
            let cut = rng.below(b.len() + 1);
            b.truncate(cut);
            b
        }
        1 => (0..rng.below(200)).map(|_| (rng.next() & 0xff) as u8).filter(|&b| b != b'\n').collect(),
        2 => br#"{"text": {"a": [1, 2, {"b": null}]}, "id": [true]}"#.to_vec(),
        3 => format!("{}{}", "[".repeat(rng.below(300)), "]".repeat(rng.below(300))).into_bytes(),
        _ => serde_json::to_vec(&serde_json::json!({ "id": format!("f{}", rng.next()), "text": text, "published": piece_text(rng, 3), "title": piece_text(rng, 2) }))
            .unwrap(),
    }
}

fn csv_bytes(rng: &mut Rng) -> Vec<u8> {
    let mut b = b"id,title,text,published\n".to_vec();
    for _ in 0..rng.below(20) {
        for k in 0..4 {
            if k > 0 {
                b.push(b',');
            }
            match rng.below(6) {
                0 => b.push(b'"'),
                1 => b.extend_from_slice(b"\"quoted, \"\" field\""),
                2 => b.extend((0..rng.below(20)).map(|_| (rng.next() & 0xff) as u8)),
                _ => b.extend_from_slice(adversarial(rng).replace(['\n', ','], " ").as_bytes()),
            }
        }
        b.extend_from_slice(if rng.below(2) == 0 { b"\n" } else { b"\r\n" });
    }
    b
}

fn warc_bytes(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..rng.below(6) {
        let body = format!("<html><body><article><p>{}</p></article></body></html>", adversarial(rng).replace('<', " "));
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}");
        let declared = if rng.below(5) == 0 { rng.below(http.len() * 2 + 1) } else { http.len() };
        let mut rec = format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{i}>\r\nWARC-Target-URI: https://example.com/{i}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {declared}\r\n\r\n"
        )
        .into_bytes();
        rec.extend_from_slice(http.as_bytes());
        rec.extend_from_slice(b"\r\n\r\n");
        if rng.below(6) == 0 {
            let cut = rng.below(rec.len());
            rec.truncate(cut);
        }
        out.extend(rec);
    }
    out
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// Load one file; every item has a position and a known kind.
fn load(path: &std::path::Path, config: &Config) -> usize {
    let mut n = 0;
    io::read_file(path, config, &mut |item| {
        n += 1;
        match item {
            LoadItem::Record(r) => assert!(r.input_position >= 1 && !r.text.trim().is_empty(), "{}", path.display()),
            LoadItem::Reject(r) => {
                assert!(r.reason.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", r.reason);
                assert_ne!(r.reason, "internal_error", "{}: a reader panicked: {}", path.display(), r.detail);
            }
            LoadItem::Skipped { .. } => {}
        }
    });
    n
}

#[test]
fn readers_never_panic_on_generated_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    // Small bounds, so the bounded paths run too.
    config.limits.max_line_bytes = 4096;
    config.load.max_text_bytes = 8192;
    let n = cases(400);
    let mut rng = Rng(seed(2));
    for case in 0..n {
        let (name, bytes): (&str, Vec<u8>) = match case % 8 {
            0 | 1 => ("f.jsonl", (0..rng.below(12)).flat_map(|_| [jsonl_line(&mut rng), b"\n".to_vec()].concat()).collect()),
            2 => ("f.csv", csv_bytes(&mut rng)),
            3 => ("f.txt", adversarial(&mut rng).into_bytes()),
            4 => ("f.html", format!("<html><body><p>{}</p>", adversarial(&mut rng)).into_bytes()),
            5 => ("f.warc", warc_bytes(&mut rng)),
            6 => {
                let plain: Vec<u8> = (0..rng.below(12)).flat_map(|_| [jsonl_line(&mut rng), b"\n".to_vec()].concat()).collect();
                let mut z = gz(&plain);
                if rng.below(2) == 0 {
                    let cut = rng.below(z.len() + 1);
                    z.truncate(cut);
                }
                ("f.jsonl.gz", z)
            }
            _ => {
                let w = warc_bytes(&mut rng);
                let mut z = zstd::encode_all(&w[..], 1).unwrap();
                if rng.below(2) == 0 {
                    let cut = rng.below(z.len() + 1);
                    z.truncate(cut);
                }
                ("f.warc.zst", z)
            }
        };
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        load(&path, &config);
    }
}

/// Time of `f` (the best of 3 runs, to smooth a shared machine).
fn best_of_3(mut f: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Long run: time on n vs 4n bytes of each adversarial construction, through the
/// extract stage's own entry point (segments, bounds) and the readers. Linear time gives
/// a ratio near 4, quadratic 16; the bound is a generous 9.
#[test]
#[ignore]
fn time_is_linear_in_the_input() {
    let x = newsgrid::stages::extract::Extractors::load(None, true).expect("builtin model");
    let config = newsgrid::config::ExtractConfig::default();
    let limits = newsgrid::config::LimitsConfig::default();
    let units: &[(&str, &str)] = &[
        ("unclosed quotes", "\"We will "),
        ("unclosed curly quotes", "\u{201c}They said "),
        ("open brackets", "( [ { officials "),
        ("A.-A.- links", "A.-"),
        ("speech verbs", "Putin said "),
        ("one-sentence salad", "officials said the minister told reporters that President Biden claimed , "),
        ("non-ASCII digits", "\u{661}\u{662}:\u{663}\u{664} \u{966}\u{967} 12:30 "),
        ("multibyte", "é東🙂 "),
        ("abbreviations", "Mr. U.S. Inc. Gen. "),
        ("short sentences", "He said. "),
    ];
    let mut report = Vec::new();
    for (what, unit) in units {
        let small = unit.repeat(200_000 / unit.len());
        let large = unit.repeat(800_000 / unit.len());
        let ts = best_of_3(|| {
            newsgrid::stages::extract::extract_article("a", &small, &x, &config, &limits);
        });
        let tl = best_of_3(|| {
            newsgrid::stages::extract::extract_article("a", &large, &x, &config, &limits);
        });
        let ratio = tl.as_secs_f64() / ts.as_secs_f64().max(1e-6);
        report.push(format!("{what}: {ts:?} -> {tl:?} (x{ratio:.1})"));
        assert!(ratio < 9.0 || tl < Duration::from_millis(200), "{what}: 4x the input took {ratio:.1}x the time\n{}", report.join("\n"));
    }
    // A JSONL file of one huge line and of many lines.
    let dir = tempfile::tempdir().unwrap();
    let file_config = Config::default();
    for (what, line) in [("long lines", "x".repeat(100_000)), ("many lines", "{\"text\": \"a\"}".to_string())] {
        let mut t = Vec::new();
        for k in [1usize, 4] {
            let path = dir.path().join(format!("{k}.jsonl"));
            let count = k * 2_000_000 / line.len().max(1);
            std::fs::write(&path, format!("{line}\n").repeat(count.max(k))).unwrap();
            t.push(best_of_3(|| {
                load(&path, &file_config);
            }));
        }
        let ratio = t[1].as_secs_f64() / t[0].as_secs_f64().max(1e-6);
        report.push(format!("load {what}: {:?} -> {:?} (x{ratio:.1})", t[0], t[1]));
        assert!(ratio < 9.0 || t[1] < Duration::from_millis(200), "load {what}: x{ratio:.1}\n{}", report.join("\n"));
    }
    eprintln!("{}", report.join("\n"));
}
