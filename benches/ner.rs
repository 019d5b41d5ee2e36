//! Entity tagger throughput on one core: `cargo bench --bench ner`.
//!
//! Tags the bodies of the Reuters-21578 dump (hard-wrapped lines joined) and the CoNLL
//! dev file's documents (its tokens joined by spaces) with the builtin model, and prints
//! tokens per second for tagging alone (`NerModel::tag` on tokenized documents) and for
//! tokenizing plus tagging, by wall clock and by process CPU time (the figure a busy
//! shared machine does not distort). Skips with a message when `../shared/data` is absent.

use std::path::PathBuf;
use std::time::Instant;

use newsgrid::nlp::ner::{unwrap_lines, NerModel, DEFAULT_BEAM};
use newsgrid::nlp::Doc;

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared").join(rel)
}

/// CPU seconds this thread has run (nanosecond counter of `/proc/thread-self/schedstat`),
/// None where that file is missing. Tagging here is single-threaded.
fn thread_cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn conll_texts(path: &PathBuf) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut docs = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        if line.starts_with("-DOCSTART-") {
            if !cur.is_empty() {
                docs.push(std::mem::take(&mut cur));
            }
        } else if line.trim().is_empty() {
            if !cur.ends_with('\n') && !cur.is_empty() {
                cur.push('\n');
            }
        } else if let Some(tok) = line.split_whitespace().next() {
            if !cur.is_empty() && !cur.ends_with('\n') {
                cur.push(' ');
            }
            cur.push_str(tok);
        }
    }
    if !cur.is_empty() {
        docs.push(cur);
    }
    Some(docs)
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

fn run(name: &str, model: &NerModel, texts: &[String]) {
    run_beam(name, model, texts, DEFAULT_BEAM);
    run_beam(name, model, texts, 1);
}

fn run_beam(name: &str, model: &NerModel, texts: &[String], beam: usize) {
    let mut model = model.clone();
    model.set_beam(beam);
    // Warm up (page in the weight table).
    for t in texts.iter().take(50) {
        model.tag(&Doc::new(t));
    }
    let t0 = Instant::now();
    let docs: Vec<Doc> = texts.iter().map(|t| Doc::new(t)).collect();
    let tokenize = t0.elapsed().as_secs_f64();
    let tokens: usize = docs.iter().map(|d| d.tokens.len()).sum();
    let mut best = f64::INFINITY;
    let mut cpu = 0.0;
    let mut mentions = 0;
    for _ in 0..3 {
        let t1 = Instant::now();
        let c1 = thread_cpu_seconds();
        mentions = 0;
        for d in &docs {
            mentions += model.tag(d).len();
        }
        best = best.min(t1.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c1, thread_cpu_seconds()) {
            cpu += (b - a) / 3.0;
        }
    }
    println!(
        "{name}, beam {beam}: {} docs, {tokens} tokens, {mentions} mentions; tagging \
         {:.0} tokens/s ({:.3}s), {:.0} tokens/CPU-s (mean {:.3} CPU-s); tokenize+tag {:.0} tokens/s",
        docs.len(),
        tokens as f64 / best,
        best,
        tokens as f64 / cpu,
        cpu,
        tokens as f64 / (best + tokenize)
    );
}

fn main() {
    let model = match NerModel::builtin() {
        Ok(m) => m,
        Err(e) => {
            println!("ner bench skipped: {e}");
            return;
        }
    };
    let mut ran = false;
    if let Some(texts) = conll_texts(&shared("data/conll2003/eng.testa")) {
        run("CoNLL eng.testa", &model, &texts);
        ran = true;
    }
    if let Some(texts) = reuters_texts(&shared("data/reuters21578/reuters21578.jsonl"), 5000) {
        run("Reuters-21578 (5000 bodies)", &model, &texts);
        ran = true;
    }
    if !ran {
        println!("ner bench skipped: ../shared/data not found");
    }
}
