//! Training the tagger (averaged perceptron over greedy BILOU decoding), evaluation on
//! CoNLL files, and the word-case lexicon builder.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::conll::{iob2_strings, read_conll, spans_from_bilou, spans_from_iob, ConllDoc};
use super::decode::{Decision, Decoder, Prior, Weights};
use super::features::{case_bucket, is_caps_sentence, normalize_into, Resources, TAG_O};
use super::model::{FloatTable, QRef, QTable, TrainTable};
use super::{EvalReport, NerError, NerModel, Stage2};
use crate::nlp::Doc;

/// Softmax temperature (in averaged-weight units) when there is no dev set to fit it.
const DEFAULT_TEMPERATURE: f32 = 16.0;

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Passes over the training data (the best epoch on the dev set is kept).
    pub epochs: usize,
    /// Seed of the document shuffling.
    pub seed: u64,
    /// log2 of the weight table's bucket count.
    pub bits: u32,
    /// Averaged weights smaller than this are dropped from the model file.
    pub prune: f32,
    /// More CoNLL files to train on (the final builtin model adds the dev file once its
    /// epoch count was chosen on it). With any, the last epoch is kept and the dev
    /// scores are no longer held out.
    pub also_train: Vec<PathBuf>,
    /// Softmax temperature to use instead of fitting one on the dev file (for a model
    /// whose training data holds the dev file: take the one fitted when it did not).
    pub temperature: Option<f32>,
    /// Train a second stage reading the first stage's labels (0: one-stage model); its
    /// training input comes from this many first-stage models, each trained without
    /// one share of the documents and tagging it (jackknifing), so that it learns from
    /// first-stage labels as wrong as on unseen text.
    pub stage2_folds: usize,
    /// Passes of the second stage (default: `epochs`).
    pub stage2_epochs: Option<usize>,
    /// The second stage's temperature (like `temperature`).
    pub stage2_temperature: Option<f32>,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            epochs: 12,
            seed: 2003,
            bits: 20,
            prune: 0.05,
            also_train: Vec::new(),
            temperature: None,
            stage2_folds: 0,
            stage2_epochs: None,
            stage2_temperature: None,
        }
    }
}

/// What training did.
#[derive(Clone, Debug)]
pub struct TrainReport {
    pub train_tokens: usize,
    pub epochs: usize,
    /// Epoch whose averaged weights were saved (1-based).
    pub best_epoch: usize,
    /// Scores of the saved (quantised) model on the dev file.
    pub dev: Option<EvalReport>,
    pub model_bytes: u64,
    pub nonzero_rows: usize,
    pub temperature: f32,
    /// The second stage's saved epoch and temperature, if trained.
    pub stage2: Option<(usize, f32)>,
    pub seconds: f64,
}

fn io_err(path: &Path, source: std::io::Error) -> NerError {
    NerError::Io { path: path.display().to_string(), source }
}

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// First-stage decisions per document, and whether the second stage decodes all
/// sentences again (else only conflicting ones).
type Priors<'a> = Option<(&'a [Vec<Decision>], bool)>;

/// Tag the gold tokens of `docs` with `w` (a second stage when `priors` are given) and
/// score them. Returns the report and the decisions per document.
#[allow(clippy::too_many_arguments)]
fn evaluate<W: Weights>(
    w: &mut W,
    docs: &[ConllDoc],
    priors: Priors,
    temperature: f32,
    beam: usize,
    mut pred_out: Option<&mut dyn Write>,
    out_path: Option<&Path>,
) -> Result<(EvalReport, Vec<Vec<Decision>>), NerError> {
    let res = Resources::get();
    let mut dec = Decoder::default();
    let mut report = EvalReport::default();
    let mut decisions = Vec::new();
    let mut all = Vec::new();
    for (di, doc) in docs.iter().enumerate() {
        let toks = doc.token_strs();
        let prior = priors.and_then(|(p, all)| p.get(di).map(|d| Prior { dec: d, all }));
        dec.decode_doc(w, res, &toks, &doc.sents, None, prior, temperature, beam, &mut decisions);
        let tags: Vec<u8> = decisions.iter().map(|d| d.tag).collect();
        if let Some(out) = pred_out.as_mut() {
            writeln!(out, "-DOCSTART- O O\n").map_err(|e| io_err(out_path.unwrap_or(Path::new("-")), e))?;
        }
        for s in &doc.sents {
            let gold = spans_from_iob(&doc.tags[s.clone()]);
            let pred = spans_from_bilou(&tags[s.clone()]);
            report.add_sentence(&gold, &pred);
            if let Some(out) = pred_out.as_mut() {
                let strs = iob2_strings(s.len(), &pred);
                let mut text = String::new();
                for (k, i) in s.clone().enumerate() {
                    text.push_str(&format!("{} {} {}\n", doc.tokens[i], doc.tags[i], strs[k]));
                }
                text.push('\n');
                out.write_all(text.as_bytes()).map_err(|e| io_err(out_path.unwrap_or(Path::new("-")), e))?;
            }
        }
        report.tokens += toks.len() as u64;
        all.push(decisions.clone());
    }
    Ok((report, all))
}

/// Evaluate `model` on a CoNLL file (tagging its gold tokens); with `predictions`, also
/// write `TOKEN GOLD PRED` lines there.
pub fn eval_conll(model: &NerModel, conll: &Path, predictions: Option<&Path>) -> Result<EvalReport, NerError> {
    let docs = read_conll(conll)?;
    let mut w1 = QRef(&model.inner.table);
    let stage2 = model.inner.stage2.as_ref().filter(|_| model.stage2 != Stage2::Off);
    let (mut w, t, priors) = match stage2 {
        Some((t2, temp2)) => {
            let (_, p) = evaluate(&mut w1, &docs, None, model.inner.temperature, model.beam, None, None)?;
            (QRef(t2), *temp2, Some(p))
        }
        None => (w1, model.inner.temperature, None),
    };
    let pri = priors.as_deref().map(|p| (p, model.stage2 == Stage2::All));
    match predictions {
        Some(p) => {
            let f = std::fs::File::create(p).map_err(|e| io_err(p, e))?;
            let mut bw = std::io::BufWriter::new(f);
            let (r, _) = evaluate(&mut w, &docs, pri, t, model.beam, Some(&mut bw), Some(p))?;
            bw.flush().map_err(|e| io_err(p, e))?;
            Ok(r)
        }
        None => Ok(evaluate(&mut w, &docs, pri, t, model.beam, None, None)?.0),
    }
}

/// Fit the softmax temperature of the per-token probabilities on `docs` (log-loss of
/// "the decision is right" over tokens where gold or prediction is an entity).
fn fit_temperature<W: Weights>(w: &mut W, docs: &[ConllDoc], priors: Priors) -> Result<f32, NerError> {
    let gold: Vec<u8> = docs.iter().flat_map(|d| d.bilou()).collect();
    let mut best = (f64::INFINITY, 1.0f32);
    for k in 0..16 {
        // Temperatures from 0.25 to ~45 score units.
        let t = 0.25 * 1.41f32.powi(k);
        let (_, dec) = evaluate(w, docs, priors, t, super::DEFAULT_BEAM, None, None)?;
        let mut loss = 0.0;
        for (d, &g) in dec.iter().flatten().zip(&gold) {
            if d.tag == TAG_O && g == TAG_O {
                continue;
            }
            let p = (d.prob as f64).clamp(1e-6, 1.0 - 1e-6);
            loss -= if d.tag == g { p.ln() } else { (1.0 - p).ln() };
        }
        if loss < best.0 {
            best = (loss, t);
        }
    }
    Ok(best.1)
}

/// Dev documents and, for a second stage, their first-stage decisions.
type DevSet<'a> = (&'a [ConllDoc], Option<&'a [Vec<Decision>]>);

/// The perceptron passes of one stage over the documents `subset` (indices into
/// `docs`), keeping the epoch with the best dev F1 (the last one without dev, or with
/// `keep_last`). Returns the kept epoch and its averaged weights.
#[allow(clippy::too_many_arguments)]
fn run_epochs(
    docs: &[ConllDoc],
    golds: &[Vec<u8>],
    subset: &[usize],
    priors: Option<&[Vec<Decision>]>,
    dev: Option<DevSet>,
    epochs: usize,
    keep_last: bool,
    opts: &TrainOptions,
    label: &str,
    log: &mut dyn Write,
) -> Result<(usize, FloatTable), NerError> {
    let res = Resources::get();
    let mut table = TrainTable::new(opts.bits);
    let mut rng = SplitMix(opts.seed);
    let mut order = subset.to_vec();
    let mut dec = Decoder::default();
    let mut decisions = Vec::new();
    let mut best: Option<(f64, usize, FloatTable)> = None;
    let tokens: usize = subset.iter().map(|&d| docs[d].tokens.len()).sum();
    let epochs = epochs.max(1);
    for epoch in 1..=epochs {
        let t0 = Instant::now();
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut correct = 0usize;
        for &di in &order {
            let d = &docs[di];
            let toks = d.token_strs();
            let prior = priors.and_then(|p| p.get(di)).map(|p| Prior { dec: p, all: true });
            dec.decode_doc(&mut table, res, &toks, &d.sents, Some(&golds[di]), prior, 1.0, 1, &mut decisions);
            correct += decisions.iter().zip(&golds[di]).filter(|(a, &g)| a.tag == g).count();
        }
        let mut msg =
            format!("{label}epoch {epoch:>2}/{epochs}: train token accuracy {:.2}%", 100.0 * correct as f64 / tokens.max(1) as f64);
        match dev {
            Some((dd, dp)) if !keep_last => {
                let mut avg = table.averaged();
                let (r, _) = evaluate(&mut avg, dd, dp.map(|p| (p, false)), DEFAULT_TEMPERATURE, super::DEFAULT_BEAM, None, None)?;
                msg.push_str(&format!(
                    ", dev F1 {:.2} (PER/ORG/LOC {:.2}; PER {:.2} ORG {:.2} LOC {:.2} MISC {:.2})",
                    100.0 * r.overall().f1(),
                    100.0 * r.f1_plo(),
                    100.0 * r.per_type[0].f1(),
                    100.0 * r.per_type[1].f1(),
                    100.0 * r.per_type[2].f1(),
                    100.0 * r.per_type[3].f1(),
                ));
                let f = r.overall().f1() + r.f1_plo();
                if best.as_ref().is_none_or(|b| f > b.0) {
                    best = Some((f, epoch, avg));
                }
            }
            _ => {
                if epoch == epochs {
                    best = Some((0.0, epoch, table.averaged()));
                }
            }
        }
        msg.push_str(&format!(" [{:.1}s]", t0.elapsed().as_secs_f64()));
        let _ = writeln!(log, "{msg}");
        let _ = log.flush();
    }
    best.map(|(_, e, avg)| (e, avg)).ok_or_else(|| NerError::Format { path: "<training>".into(), detail: "no training epoch ran".into() })
}

/// Jackknifed first-stage decisions for every training document: `folds` models, each
/// trained for `epochs` on the documents outside one fold, tag that fold.
#[allow(clippy::too_many_arguments)]
fn jackknife(
    docs: &[ConllDoc],
    golds: &[Vec<u8>],
    folds: usize,
    epochs: usize,
    temperature: f32,
    opts: &TrainOptions,
    log: &mut dyn Write,
) -> Result<Vec<Vec<Decision>>, NerError> {
    let mut priors: Vec<Vec<Decision>> = vec![Vec::new(); docs.len()];
    for f in 0..folds {
        let train_idx: Vec<usize> = (0..docs.len()).filter(|d| d % folds != f).collect();
        let held: Vec<usize> = (0..docs.len()).filter(|d| d % folds == f).collect();
        let label = format!("fold {}/{folds} ", f + 1);
        let (_, avg) = run_epochs(docs, golds, &train_idx, None, None, epochs, true, opts, &label, log)?;
        let q = avg.quantize(opts.prune);
        drop(avg);
        let mut dec = Decoder::default();
        let mut out = Vec::new();
        for &di in &held {
            let d = &docs[di];
            dec.decode_doc(
                &mut QRef(&q),
                Resources::get(),
                &d.token_strs(),
                &d.sents,
                None,
                None,
                temperature,
                super::DEFAULT_BEAM,
                &mut out,
            );
            priors[di] = out.clone();
        }
    }
    Ok(priors)
}

/// Train a model on a CoNLL file, keeping the epoch with the best PER/ORG/LOC F1 on
/// `dev` (the last one without dev), and write it to `out`. With
/// `opts.stage2_folds` >= 2, a second stage is trained on jackknifed first-stage
/// labels (Krishnan & Manning 2006) and stored with the first. Progress goes to `log`.
pub fn train(train: &Path, dev: Option<&Path>, out: &Path, opts: &TrainOptions, log: &mut dyn Write) -> Result<TrainReport, NerError> {
    let started = Instant::now();
    let mut docs = read_conll(train)?;
    for p in &opts.also_train {
        docs.extend(read_conll(p)?);
    }
    let keep_last = !opts.also_train.is_empty();
    let dev_docs = match dev {
        Some(d) => Some(read_conll(d)?),
        None => None,
    };
    let golds: Vec<Vec<u8>> = docs.iter().map(ConllDoc::bilou).collect();
    let train_tokens: usize = docs.iter().map(|d| d.tokens.len()).sum();
    let _ = writeln!(log, "training on {} documents, {} tokens; {} epochs, 2^{} buckets", docs.len(), train_tokens, opts.epochs, opts.bits);
    if !(10..=24).contains(&opts.bits) {
        return Err(NerError::Format { path: out.display().to_string(), detail: format!("table bits {} not in 10..=24", opts.bits) });
    }
    let all: Vec<usize> = (0..docs.len()).collect();
    let dev1 = dev_docs.as_deref().map(|d| (d, None));
    let (best_epoch, avg) = run_epochs(&docs, &golds, &all, None, dev1, opts.epochs, keep_last, opts, "", log)?;
    let q = avg.quantize(opts.prune);
    drop(avg);
    let temperature = match (opts.temperature, &dev_docs) {
        (Some(t), _) if t.is_finite() && t > 0.0 => t,
        (_, Some(dd)) => fit_temperature(&mut QRef(&q), dd, None)?,
        _ => DEFAULT_TEMPERATURE,
    };
    let mut stage2: Option<(usize, QTable, f32)> = None;
    if opts.stage2_folds >= 2 {
        let priors = jackknife(&docs, &golds, opts.stage2_folds, best_epoch, temperature, opts, log)?;
        let dev_priors = match &dev_docs {
            Some(dd) => Some(evaluate(&mut QRef(&q), dd, None, temperature, super::DEFAULT_BEAM, None, None)?.1),
            None => None,
        };
        let dev2 = dev_docs.as_deref().map(|d| (d, dev_priors.as_deref()));
        let epochs2 = opts.stage2_epochs.unwrap_or(opts.epochs);
        let (e2, avg2) = run_epochs(&docs, &golds, &all, Some(&priors), dev2, epochs2, keep_last, opts, "stage 2 ", log)?;
        let q2 = avg2.quantize(opts.prune);
        drop(avg2);
        let t2 = match (opts.stage2_temperature, &dev_docs, &dev_priors) {
            (Some(t), _, _) if t.is_finite() && t > 0.0 => t,
            (_, Some(dd), Some(dp)) => fit_temperature(&mut QRef(&q2), dd, Some((dp, false)))?,
            _ => DEFAULT_TEMPERATURE,
        };
        stage2 = Some((e2, q2, t2));
    }
    let raw = NerModel::model_bytes(&q, temperature, stage2.as_ref().map(|(_, t, temp)| (t, *temp)));
    let packed = zstd::encode_all(&raw[..], 19).map_err(|e| io_err(out, e))?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
    }
    std::fs::write(out, &packed).map_err(|e| io_err(out, e))?;
    let model = NerModel::load(out)?;
    let dev_report = match dev {
        Some(d) => Some(eval_conll(&model, d, None)?),
        None => None,
    };
    let report = TrainReport {
        train_tokens,
        epochs: opts.epochs,
        best_epoch,
        dev: dev_report,
        model_bytes: packed.len() as u64,
        nonzero_rows: q.nonzero_rows() + stage2.as_ref().map_or(0, |s| s.1.nonzero_rows()),
        temperature,
        stage2: stage2.as_ref().map(|s| (s.0, s.2)),
        seconds: started.elapsed().as_secs_f64(),
    };
    let s2 = match &report.stage2 {
        Some((e, t)) => format!("; stage 2: epoch {e}, temperature {t:.2}"),
        None => String::new(),
    };
    let _ = writeln!(
        log,
        "saved epoch {best_epoch} to {}: {} bytes, {} non-zero rows, temperature {temperature:.2}{s2}",
        out.display(),
        report.model_bytes,
        report.nonzero_rows
    );
    if let Some(r) = &report.dev {
        let _ = writeln!(log, "dev scores of the saved model:\n{r}");
    }
    Ok(report)
}

/// Build the word-case lexicon (`form<TAB>bucket` lines, zstd-compressed) from the
/// mixed-case sentences of CoNLL files and raw text files (`.jsonl` files: the "body"
/// field of each line; other files: the whole text). For each word seen at least
/// `min_count` times away from a sentence start: its most frequent written form and
/// how often it is capitalised. Returns the number of words written.
pub fn build_case_lexicon(conll: &[PathBuf], texts: &[PathBuf], min_count: u32, out: &Path) -> Result<usize, NerError> {
    let mut counts: HashMap<String, HashMap<String, u32>> = HashMap::new();
    let mut norm = String::new();
    let mut count = |tok: &str, prev: &str| {
        if !tok.chars().next().is_some_and(|c| c.is_alphabetic()) {
            return;
        }
        if matches!(prev, "\"" | "'" | "(" | ":" | "-" | "--" | "``" | "[" | ";") {
            return;
        }
        norm.clear();
        normalize_into(tok, &mut norm);
        let lower = norm.to_lowercase();
        *counts.entry(lower).or_default().entry(norm.clone()).or_insert(0) += 1;
    };
    for p in conll {
        for d in read_conll(p)? {
            for s in &d.sents {
                let toks = &d.tokens[s.clone()];
                if is_caps_sentence(toks.iter().map(String::as_str)) {
                    continue;
                }
                for i in 1..toks.len() {
                    count(&toks[i], &toks[i - 1]);
                }
            }
        }
    }
    for p in texts {
        let text = std::fs::read_to_string(p).map_err(|e| io_err(p, e))?;
        let bodies: Vec<String> = if p.extension().is_some_and(|e| e == "jsonl") {
            text.lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter_map(|v| v.get("body").and_then(|b| b.as_str()).map(unwrap_lines))
                .collect()
        } else {
            vec![unwrap_lines(&text)]
        };
        for body in &bodies {
            let doc = Doc::new(body);
            for s in &doc.sentences {
                let toks: Vec<&str> = s.tokens.clone().map(|i| doc.token_text(i)).collect();
                if is_caps_sentence(toks.iter().copied()) {
                    continue;
                }
                for i in 1..toks.len() {
                    count(toks[i], toks[i - 1]);
                }
            }
        }
    }
    let mut rows: Vec<(String, String, u8)> = Vec::new();
    for (lower, forms) in counts {
        let total: u32 = forms.values().sum();
        if total < min_count {
            continue;
        }
        let cap: u32 = forms.iter().filter(|(f, _)| f.chars().next().is_some_and(char::is_uppercase)).map(|(_, &c)| c).sum();
        let form = forms.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(f, _)| f.clone()).unwrap_or_default();
        rows.push((lower, form, case_bucket(cap as f64 / total as f64)));
    }
    rows.sort();
    let mut text = String::new();
    for (_, form, bucket) in &rows {
        text.push_str(&format!("{form}\t{bucket}\n"));
    }
    let packed = zstd::encode_all(text.as_bytes(), 19).map_err(|e| io_err(out, e))?;
    std::fs::write(out, packed).map_err(|e| io_err(out, e))?;
    Ok(rows.len())
}

/// Typing consistency on real news: given mention counts per (text, type), the names
/// mentioned at least `min_mentions` times, their mentions, and the share of those
/// mentions off the name's majority type ("Trump" tagged ORG among mostly PER). A model
/// change that raises CoNLL scores can type US news worse; this is the check
/// (`train_ner counts`, data/models/README.md). Ties count the other types as off.
pub fn off_majority_share<'a>(counts: impl IntoIterator<Item = (&'a str, &'a str, usize)>, min_mentions: usize) -> (usize, usize, f64) {
    let mut per_name: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    for (text, ty, n) in counts {
        *per_name.entry(text).or_default().entry(ty).or_default() += n;
    }
    let (mut names, mut mentions, mut off) = (0, 0, 0);
    for types in per_name.values() {
        let total: usize = types.values().sum();
        if total < min_mentions.max(1) {
            continue;
        }
        names += 1;
        mentions += total;
        off += total - types.values().copied().max().unwrap_or(0);
    }
    (names, mentions, if mentions == 0 { 0.0 } else { off as f64 / mentions as f64 })
}

/// Hard-wrapped text: single newlines become spaces, paragraph breaks stay.
pub fn unwrap_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(l) = lines.next() {
        out.push_str(l.trim());
        match lines.peek() {
            Some(n) if n.trim().is_empty() || l.trim().is_empty() => out.push('\n'),
            Some(_) => out.push(' '),
            None => {}
        }
    }
    out
}
