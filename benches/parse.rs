//! Tagger + parser throughput on one core: `cargo bench --bench parse`.
//!
//! Parses the gold tokens of the UD English EWT dev file, and the sentences of the first
//! 500 articles of `allsides-dev` (tokenized by `nlp::token`, split by
//! `nlp::sentence`), with the builtin model (or the file named by `PARSE_MODEL`), and
//! prints words per second for tagging and parsing together (best of 3 passes). For
//! allsides-dev also the pipeline's order (`ParseCache`: tag first, then parse): tagging
//! again in `parse` against `parse_tagged` reusing the tags. Skips a data set with a
//! message when `../shared/data` is absent.

use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use newsgrid::nlp::parse::{conllu, ParseModel, Parsed, Upos};
use newsgrid::nlp::Doc;

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared").join(rel)
}

/// CPU time of this thread in seconds (Linux `/proc/thread-self/schedstat`), so the
/// figure holds on a machine shared with other jobs.
fn thread_cpu() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(s.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
}

fn run(name: &str, model: &ParseModel, sents: &[Vec<&str>]) {
    let words: usize = sents.iter().map(Vec::len).sum();
    let mut p = Parsed::default();
    for s in sents.iter().take(200) {
        model.parse(s, &mut p);
    }
    let (mut best, mut best_cpu) = (f64::INFINITY, f64::INFINITY);
    let mut check = 0u64;
    for _ in 0..3 {
        let t = Instant::now();
        let c = thread_cpu();
        for s in sents {
            model.parse(s, &mut p);
            check = check.wrapping_add(p.head.iter().map(|&h| h as u64).sum::<u64>());
        }
        best = best.min(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c, thread_cpu()) {
            best_cpu = best_cpu.min(b - a);
        }
    }
    println!(
        "{name}: {} sentences, {words} words; tag+parse {:.0} words per CPU second ({best_cpu:.3}s), \
         {:.0} words/s wall clock ({best:.3}s), one thread [check {check}]",
        sents.len(),
        words as f64 / best_cpu,
        words as f64 / best
    );
}

/// Tag every sentence, then parse it: with `reuse`, from the tags (`parse_tagged`),
/// else tagging again (`parse`). Words per CPU second of the two steps together.
fn run_tag_then_parse(name: &str, model: &ParseModel, sents: &[Vec<&str>], reuse: bool) {
    let words: usize = sents.iter().map(Vec::len).sum();
    let (mut p, mut tags) = (Parsed::default(), Vec::<Upos>::new());
    let mut best_cpu = f64::INFINITY;
    let mut check = 0u64;
    for _ in 0..3 {
        let c = thread_cpu();
        for s in sents {
            model.tag(s, &mut tags);
            if reuse {
                model.parse_tagged(s, &tags, &mut p);
            } else {
                model.parse(s, &mut p);
            }
            check = check.wrapping_add(p.head.iter().map(|&h| h as u64).sum::<u64>());
        }
        if let (Some(a), Some(b)) = (c, thread_cpu()) {
            best_cpu = best_cpu.min(b - a);
        }
    }
    println!(
        "{name}: tag, then parse {}: {:.0} words per CPU second ({best_cpu:.3}s) [check {check}]",
        if reuse { "with the tags" } else { "tagging again" },
        words as f64 / best_cpu
    );
}

fn main() {
    let model = match std::env::var_os("PARSE_MODEL") {
        Some(p) => ParseModel::load(&PathBuf::from(p)),
        None => ParseModel::builtin(),
    };
    let model = match model {
        Ok(m) => m,
        Err(e) => {
            println!("parse bench skipped: {e}");
            return;
        }
    };
    match conllu::read_file(&shared("data/ud-ewt/en_ewt-ud-dev.conllu")) {
        Ok(sents) => {
            let forms: Vec<Vec<&str>> = sents.iter().map(|s| s.forms()).collect();
            run("UD EWT dev (gold tokens)", &model, &forms);
        }
        Err(e) => println!("EWT dev skipped: {e}"),
    }
    let path = shared("data/allsides-dev/articles.jsonl.zst");
    let Ok(file) = std::fs::File::open(&path) else {
        println!("allsides-dev skipped: {} not found", path.display());
        return;
    };
    let mut text = String::new();
    if zstd::Decoder::new(file).and_then(|mut d| d.read_to_string(&mut text)).is_err() {
        println!("allsides-dev skipped: cannot read {}", path.display());
        return;
    }
    let bodies: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text")?.as_str().map(str::to_string))
        .take(500)
        .collect();
    let docs: Vec<Doc> = bodies.iter().map(|b| Doc::new(b)).collect();
    let sents: Vec<Vec<&str>> =
        docs.iter().flat_map(|d| d.sentences.iter().map(move |s| s.tokens.clone().map(|i| d.token_text(i)).collect())).collect();
    run("allsides-dev, first 500 articles (project tokens)", &model, &sents);
    for reuse in [false, true] {
        run_tag_then_parse("allsides-dev, first 500 articles", &model, &sents, reuse);
    }
}
