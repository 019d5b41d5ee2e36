//! Driver for the entity tagger until the CLI has `train ner` / `eval ner`:
//!
//! ```text
//! cargo run --release --example train_ner -- lexicon            # data/models/wordcase.tsv.zst
//! cargo run --release --example train_ner -- train [EPOCHS] [BITS] [OUT]   # env NER_SEED, NER_PRUNE, NER_FOLDS
//! cargo run --release --example train_ner -- final EPOCHS TEMPERATURE [OUT [EPOCHS2 TEMPERATURE2]]  # train + dev
//! cargo run --release --example train_ner -- eval CONLL [MODEL] [PREDICTIONS]
//! cargo run --release --example train_ner -- show TEXTFILE [MODEL]  # .jsonl: "body" fields
//! cargo run --release --example train_ner -- counts FILE.jsonl [N] [MODEL]  # mentions per (text, type)
//! ```
//!
//! Paths default to `../shared/data/...` next to the repo and `data/models/`.

// A training aid: slices at offsets of the same text.
#![allow(clippy::string_slice)]

use std::path::{Path, PathBuf};

use newsgrid::nlp::ner::{self, NerModel, Stage2, TrainOptions};
use newsgrid::nlp::Doc;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared(rel: &str) -> PathBuf {
    root().join("../shared").join(rel)
}

/// The model file given (or the builtin one for none or "-"); env NER_BEAM sets the beam,
/// NER_STAGE2 (off, conflicts, all) how much the second stage decodes again.
fn model_arg(a: Option<&String>) -> NerModel {
    let mut m = match a {
        Some(p) if p != "-" => NerModel::load(Path::new(p)).expect("load model"),
        _ => NerModel::builtin().expect("builtin model"),
    };
    if let Some(b) = std::env::var("NER_BEAM").ok().and_then(|b| b.parse().ok()) {
        m.set_beam(b);
    }
    match std::env::var("NER_STAGE2").as_deref() {
        Ok("off") => m.set_stage2(Stage2::Off),
        Ok("all") => m.set_stage2(Stage2::All),
        Ok("conflicts") | Err(_) => m.set_stage2(Stage2::Conflicts),
        Ok(other) => panic!("NER_STAGE2={other}: expected off, conflicts or all"),
    }
    m
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("lexicon") => {
            let out = root().join("data/models/wordcase.tsv.zst");
            let n =
                ner::build_case_lexicon(&[shared("data/conll2003/eng.train")], &[shared("data/reuters21578/reuters21578.jsonl")], 2, &out)
                    .expect("build lexicon");
            println!("{n} words -> {}", out.display());
        }
        Some("train") => {
            let mut opts = TrainOptions::default();
            if let Some(e) = args.get(1) {
                opts.epochs = e.parse().expect("epochs");
            }
            if let Some(b) = args.get(2) {
                opts.bits = b.parse().expect("bits");
            }
            if let Some(p) = std::env::var("NER_PRUNE").ok().and_then(|p| p.parse().ok()) {
                opts.prune = p;
            }
            if let Some(p) = std::env::var("NER_SEED").ok().and_then(|p| p.parse().ok()) {
                opts.seed = p;
            }
            if let Some(k) = std::env::var("NER_FOLDS").ok().and_then(|p| p.parse().ok()) {
                opts.stage2_folds = k;
            }
            let out = args.get(3).map(PathBuf::from).unwrap_or_else(|| root().join("data/models/ner.bin.zst"));
            let t = std::time::Instant::now();
            let r = train_on_conll(&opts, &out);
            println!("trained in {:.1}s; best epoch {}; {} bytes", t.elapsed().as_secs_f64(), r.best_epoch, r.model_bytes);
        }
        Some("final") => {
            // The builtin model: eng.train plus eng.testa, with the epoch count and the
            // temperature that `train` chose on eng.testa alone.
            // With EPOCHS2 and TEMPERATURE2, a second stage too (NER_FOLDS jackknife
            // folds, default 5).
            let stage2_epochs: Option<usize> = args.get(4).map(|e| e.parse().expect("epochs2"));
            let opts = TrainOptions {
                epochs: args.get(1).expect("EPOCHS").parse().expect("epochs"),
                temperature: Some(args.get(2).expect("TEMPERATURE").parse().expect("temperature")),
                also_train: vec![shared("data/conll2003/eng.testa")],
                stage2_folds: if stage2_epochs.is_some() {
                    std::env::var("NER_FOLDS").ok().and_then(|p| p.parse().ok()).unwrap_or(5)
                } else {
                    0
                },
                stage2_epochs,
                stage2_temperature: args.get(5).map(|t| t.parse().expect("temperature2")),
                ..TrainOptions::default()
            };
            let out = args.get(3).filter(|o| *o != "-").map(PathBuf::from).unwrap_or_else(|| root().join("data/models/ner.bin.zst"));
            let r = train_on_conll(&opts, &out);
            println!("trained on train+testa; kept epoch {}; {} bytes", r.best_epoch, r.model_bytes);
        }
        Some("eval") => {
            let conll = PathBuf::from(args.get(1).expect("CONLL file"));
            let model = model_arg(args.get(2));
            let preds = args.get(3).map(PathBuf::from);
            let r = ner::eval_conll(&model, &conll, preds.as_deref()).expect("eval");
            print!("{r}");
        }
        Some("show") => {
            let file = PathBuf::from(args.get(1).expect("text file"));
            let model = model_arg(args.get(2));
            let text = std::fs::read_to_string(&file).expect("read");
            let bodies: Vec<String> = if file.extension().is_some_and(|e| e == "jsonl") {
                let limit: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(5);
                let skip: usize = args.get(4).and_then(|n| n.parse().ok()).unwrap_or(0);
                text.lines()
                    .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                    .filter_map(|v| v.get("text").or_else(|| v.get("body"))?.as_str().map(ner::unwrap_lines))
                    .filter(|b| !b.is_empty())
                    .skip(skip)
                    .take(limit)
                    .collect()
            } else {
                vec![text]
            };
            for body in &bodies {
                let doc = Doc::new(body);
                let mut marked = String::new();
                let mut last = 0;
                for m in model.tag(&doc) {
                    let r = m.span.range();
                    marked.push_str(&body[last..r.start]);
                    marked.push_str(&format!("[{}|{} {:.2}]", &body[r.clone()], m.entity_type.as_str(), m.confidence));
                    last = r.end;
                }
                marked.push_str(&body[last..]);
                println!("{marked}\n----");
            }
        }
        Some("counts") => {
            // Mentions per (text, type) over the first N articles of a JSONL dump with a
            // "text" or "body" field: for reading a model's output on real news.
            let file = PathBuf::from(args.get(1).expect("jsonl file"));
            let limit: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(500);
            let model = model_arg(args.get(3));
            let text = std::fs::read_to_string(&file).expect("read");
            let mut counts: std::collections::HashMap<(String, &'static str), usize> = Default::default();
            for v in text.lines().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()).take(limit) {
                let Some(body) = v.get("text").or_else(|| v.get("body")).and_then(|b| b.as_str()) else { continue };
                let doc = Doc::new(body);
                for m in model.tag(&doc) {
                    *counts.entry((body[m.span.range()].to_string(), m.entity_type.as_str())).or_default() += 1;
                }
            }
            let (names, mentions, share) = ner::off_majority_share(counts.iter().map(|((t, ty), &n)| (t.as_str(), *ty, n)), 30);
            eprintln!("{names} names mentioned 30+ times, {mentions} mentions, {:.2}% off their majority type", 100.0 * share);
            let mut rows: Vec<_> = counts.into_iter().collect();
            rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            for ((t, ty), n) in rows {
                println!("{n}\t{ty}\t{t}");
            }
        }
        _ => eprintln!("usage: train_ner lexicon | train [EPOCHS] [BITS] [OUT] | final EPOCHS TEMPERATURE [OUT [EPOCHS2 TEMPERATURE2]] | eval CONLL [MODEL] [PREDS] | show FILE [MODEL] | counts FILE.jsonl [N] [MODEL]"),
    }
}

/// Train on eng.train (plus `opts.also_train`), choosing the epoch on eng.testa.
fn train_on_conll(opts: &TrainOptions, out: &Path) -> ner::TrainReport {
    ner::train(&shared("data/conll2003/eng.train"), Some(&shared("data/conll2003/eng.testa")), out, opts, &mut std::io::stderr())
        .expect("train")
}
