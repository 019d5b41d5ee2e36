//! Per-component extraction throughput on one core: `cargo bench --bench extract`.
//!
//! On the bodies of the Reuters-21578 dump (hard-wrapped lines joined, as
//! `benches/ner.rs`), times separately: tokenizing and sentence splitting (`Doc::new`),
//! entity tagging (`NerModel::tag`, default beam), event extraction
//! (`EventExtractor::extract`) and attribution extraction (`AttributionExtractor::extract`),
//! each on the previous step's output, and prints tokens per second for each (best of
//! three passes). `NEWSGRID_BENCH_DOCS` limits the number of bodies (default: all).
//! Skips with a message when `../shared/data` is absent.

use std::path::PathBuf;
use std::time::Instant;

use newsgrid::nlp::attrib::AttributionExtractor;
use newsgrid::nlp::events::EventExtractor;
use newsgrid::nlp::ner::{unwrap_lines, NerModel};
use newsgrid::nlp::{Doc, Mention};

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared").join(rel)
}

fn reuters_texts(path: &PathBuf, limit: usize) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v.get("body")?.as_str().map(unwrap_lines))
            .filter(|b| !b.is_empty())
            .take(limit)
            .collect(),
    )
}

/// Best wall time of three passes of `f`, and its last result.
fn best_of<R>(mut f: impl FnMut() -> R) -> (f64, R) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..3 {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (best, out.expect("three passes"))
}

fn main() {
    let limit = std::env::var("NEWSGRID_BENCH_DOCS").ok().and_then(|s| s.parse().ok()).unwrap_or(usize::MAX);
    let Some(texts) = reuters_texts(&shared("data/reuters21578/reuters21578.jsonl"), limit) else {
        println!("extract bench skipped: ../shared/data/reuters21578 not found");
        return;
    };
    let ner = match NerModel::builtin() {
        Ok(m) => m,
        Err(e) => {
            println!("extract bench skipped: {e}");
            return;
        }
    };
    let events = EventExtractor::builtin();
    let attrib = AttributionExtractor::builtin();

    let (t_tok, docs) = best_of(|| texts.iter().map(|t| Doc::new(t)).collect::<Vec<Doc>>());
    let tokens: usize = docs.iter().map(|d| d.tokens.len()).sum();
    let (t_ner, mentions) = best_of(|| docs.iter().map(|d| ner.tag(d)).collect::<Vec<Vec<Mention>>>());
    let (t_ev, n_ev) = best_of(|| docs.iter().zip(&mentions).map(|(d, m)| events.extract(d, m).len()).sum::<usize>());
    let (t_at, n_at) = best_of(|| docs.iter().zip(&mentions).map(|(d, m)| attrib.extract(d, m).len()).sum::<usize>());
    let n_m: usize = mentions.iter().map(Vec::len).sum();
    // Digests to check that a speed-up changed no output (mentions: the events' input).
    let digest = |s: String| xxhash_rust::xxh3::xxh3_64(s.as_bytes());
    let m_digest = digest(format!("{mentions:?}"));
    let ev_digest = digest(format!("{:?}", docs.iter().zip(&mentions).map(|(d, m)| events.extract(d, m)).collect::<Vec<_>>()));

    println!("Reuters-21578: {} bodies, {tokens} tokens, {n_m} mentions, {n_ev} events, {n_at} attributions", docs.len());
    println!("  digests: mentions {m_digest:016x}, events {ev_digest:016x}");
    for (name, secs) in [("tokenize", t_tok), ("ner tag", t_ner), ("events", t_ev), ("attributions", t_at)] {
        println!("  {name:<13} {:>12.0} tokens/s  ({secs:.3}s, {:5.1}% of tagging)", tokens as f64 / secs, 100.0 * secs / t_ner);
    }
}
