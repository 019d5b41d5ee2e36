//! Training the tagger and the parser on CoNLL-U treebanks, and scoring a model on one.
//!
//! Training: (1) the tagger, keeping the epoch with the best dev UPOS accuracy; (2) tags
//! for the training sentences by jackknifing (each fold tagged by a tagger trained on
//! the others), so the parser learns from tags as noisy as the ones it will see; (3) the
//! parser with the dynamic oracle (exploring its own mistakes after the first epoch),
//! keeping the epoch with the best dev LAS; (4) quantisation and the model file.
//! Deterministic given the seed: single-threaded, seeded shuffles.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::conllu::{read_file, Sentence};
use super::parser::{ParserState, SplitMix, NLABELS, NMOVES};
use super::table::{write_model, FloatTable, Scorer, TrainTable};
use super::tagger::{TaggerState, NTAGS};
use super::{Deprel, ParseError, ParseModel, Parsed, Upos, Workspace};

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// Parser passes over the training data (the best epoch on the dev set is kept).
    pub epochs: usize,
    /// Tagger passes (likewise).
    pub tagger_epochs: usize,
    /// Seed of the shuffles and of exploration.
    pub seed: u64,
    /// Folds for the jackknifed training tags (0 or 1: tag with the final tagger).
    pub folds: usize,
    /// log2 of the row counts of the tagger, move and label tables.
    pub tagger_bits: u32,
    pub move_bits: u32,
    pub label_bits: u32,
    /// Probability of following a wrong prediction (from the second epoch on).
    pub explore: f64,
    /// Averaged weights smaller than this are dropped from the model file.
    pub prune: f32,
    /// Dev accuracy (fraction) a pruning step may cost: the tagger's UPOS, the moves'
    /// UAS and LAS, the labels' LAS. Larger thresholds keep fewer rows: a smaller model,
    /// faster (fewer cache misses).
    pub tagger_max_loss: f64,
    pub move_max_loss: f64,
    pub label_max_loss: f64,
    /// Parsers trained one after the other (each with its own shuffles and exploration
    /// draws, each kept at its best dev epoch), their averaged weights averaged again:
    /// a linear model, so the ensemble costs nothing at run time.
    pub ensemble: usize,
    /// More training files (e.g. the dev file, once the epochs and the pruning were chosen
    /// on it). With any, the dev file no longer chooses: the tagger and each parser keep
    /// their last epoch (`tagger_epochs`, `epochs`), and its scores are not held out.
    pub also_train: Vec<PathBuf>,
    /// Pruning thresholds (tagger, moves, labels) to use instead of searching them on the
    /// dev file (for a model whose training data holds the dev file: take the ones the
    /// search chose when it did not).
    pub prune_at: Option<[f32; 3]>,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            epochs: 12,
            tagger_epochs: 10,
            seed: 2012,
            folds: 5,
            tagger_bits: 20,
            move_bits: 21,
            label_bits: 20,
            explore: 0.9,
            prune: 0.25,
            tagger_max_loss: 0.003,
            move_max_loss: 0.005,
            label_max_loss: 0.003,
            ensemble: 1,
            also_train: Vec::new(),
            prune_at: None,
        }
    }
}

/// Scores of a tagged and parsed treebank.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EvalReport {
    pub sentences: usize,
    pub words: usize,
    pub upos_correct: usize,
    /// Words with a gold head (UAS/LAS denominator).
    pub scored: usize,
    pub head_correct: usize,
    /// Head and universal relation right (CoNLL 2018 LAS).
    pub labeled_correct: usize,
    /// Head and full relation (with subtype) right.
    pub labeled_full_correct: usize,
    pub seconds: f64,
}

impl EvalReport {
    pub fn upos(&self) -> f64 {
        self.upos_correct as f64 / self.words.max(1) as f64
    }
    pub fn uas(&self) -> f64 {
        self.head_correct as f64 / self.scored.max(1) as f64
    }
    pub fn las(&self) -> f64 {
        self.labeled_correct as f64 / self.scored.max(1) as f64
    }
    pub fn las_full(&self) -> f64 {
        self.labeled_full_correct as f64 / self.scored.max(1) as f64
    }

    fn add(&mut self, s: &Sentence, p: &Parsed) {
        self.sentences += 1;
        for (i, w) in s.words.iter().enumerate() {
            self.words += 1;
            if w.upos == Some(p.upos[i]) {
                self.upos_correct += 1;
            }
            if let Some(h) = w.head {
                self.scored += 1;
                if h == p.head[i] {
                    self.head_correct += 1;
                    if let Some(d) = w.deprel {
                        if d.universal() == p.deprel[i].universal() {
                            self.labeled_correct += 1;
                        }
                        if d == p.deprel[i] {
                            self.labeled_full_correct += 1;
                        }
                    }
                }
            }
        }
    }
}

impl std::fmt::Display for EvalReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} sentences, {} words (gold tokens; punctuation included, as in CoNLL 2018)", self.sentences, self.words)?;
        writeln!(f, "UPOS accuracy  {:6.2}", 100.0 * self.upos())?;
        writeln!(f, "UAS            {:6.2}", 100.0 * self.uas())?;
        writeln!(f, "LAS            {:6.2}  (universal relation, as in CoNLL 2018)", 100.0 * self.las())?;
        writeln!(f, "LAS (subtypes) {:6.2}  (full relation, e.g. nsubj:pass)", 100.0 * self.las_full())?;
        if self.seconds > 0.0 {
            writeln!(f, "speed          {:.0} words/s wall clock (tagging + parsing, one thread)", self.words as f64 / self.seconds)?;
        }
        Ok(())
    }
}

/// What training did.
#[derive(Clone, Debug)]
pub struct TrainReport {
    pub train_words: usize,
    pub tagger_epoch: usize,
    pub parser_epoch: usize,
    pub dev: Option<EvalReport>,
    pub model_bytes: u64,
    pub seconds: f64,
}

/// A treebank prepared for training: forms and gold analyses as class indices.
struct Gold {
    forms: Vec<Vec<String>>,
    tags: Vec<Vec<u8>>,
    heads: Vec<Vec<u32>>,
    labels: Vec<Vec<u8>>,
}

impl Gold {
    fn new(sents: &[Sentence]) -> Gold {
        let mut g = Gold { forms: Vec::new(), tags: Vec::new(), heads: Vec::new(), labels: Vec::new() };
        for s in sents.iter().filter(|s| !s.words.is_empty()) {
            g.forms.push(s.words.iter().map(|w| w.form.clone()).collect());
            g.tags.push(s.words.iter().map(|w| w.upos.unwrap_or(Upos::X) as u8).collect());
            g.heads.push(s.words.iter().map(|w| w.head.unwrap_or(0)).collect());
            g.labels.push(s.words.iter().map(|w| w.deprel.unwrap_or(Deprel::Dep) as u8).collect());
        }
        g
    }
    fn len(&self) -> usize {
        self.forms.len()
    }
    fn words(&self, i: usize) -> Vec<&str> {
        self.forms[i].iter().map(String::as_str).collect()
    }
}

fn shuffle(order: &mut [usize], rng: &mut SplitMix) {
    for i in (1..order.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

/// Train a tagger on the sentences `which` for `epochs` passes; returns the averaged
/// table after each epoch through `each` (epoch, table) -> keep going.
fn train_tagger(
    g: &Gold,
    which: &[usize],
    epochs: usize,
    bits: u32,
    rng: &mut SplitMix,
    mut each: impl FnMut(usize, &TrainTable) -> Result<(), ParseError>,
) -> Result<(), ParseError> {
    let mut t = TrainTable::new(bits, NTAGS);
    let mut st = TaggerState::default();
    let mut order = which.to_vec();
    for e in 1..=epochs {
        shuffle(&mut order, rng);
        for &i in &order {
            st.prepare(&g.words(i));
            st.train(&mut t, &g.tags[i]);
        }
        each(e, &t)?;
    }
    Ok(())
}

fn tagger_accuracy<S: Scorer>(w: &S, g: &Gold) -> f64 {
    let mut st = TaggerState::default();
    let (mut right, mut total) = (0usize, 0usize);
    for i in 0..g.len() {
        st.prepare(&g.words(i));
        st.tag(w);
        right += st.tags().iter().zip(&g.tags[i]).filter(|(a, b)| a == b).count();
        total += g.tags[i].len();
    }
    right as f64 / total.max(1) as f64
}

/// Tag and parse `sents` with the given tables and score them.
fn evaluate<T: Scorer, M: Scorer, L: Scorer>(
    tagger: &T,
    moves: &M,
    labels: &L,
    sents: &[Sentence],
    mut pred: Option<&mut String>,
) -> EvalReport {
    let mut ws = Workspace::default();
    let mut p = Parsed::default();
    let mut r = EvalReport::default();
    let t0 = Instant::now();
    for s in sents {
        let forms = s.forms();
        p.clear();
        for chunk in forms.chunks(super::MAX_SENTENCE_TOKENS) {
            ws.tagger.prepare(chunk);
            ws.tagger.tag(tagger);
            ws.parser.parse(&ws.tagger, moves, labels, &mut ws.chunk);
            let off = p.len() as u32;
            p.upos.extend_from_slice(&ws.chunk.upos);
            p.head.extend(ws.chunk.head.iter().map(|&h| if h == 0 { 0 } else { h + off }));
            p.deprel.extend_from_slice(&ws.chunk.deprel);
        }
        r.add(s, &p);
        if let Some(out) = pred.as_mut() {
            s.write(Some(&p), out);
        }
    }
    r.seconds = t0.elapsed().as_secs_f64();
    r
}

/// Score `model` on a CoNLL-U file (parsing its gold tokens); with `predictions`, also
/// write the file back with UPOS, HEAD and DEPREL predicted.
pub fn eval_conllu(model: &ParseModel, conllu: &Path, predictions: Option<&Path>) -> Result<EvalReport, ParseError> {
    let sents = read_file(conllu)?;
    let m = &model.inner;
    let mut text = String::new();
    let r = evaluate(&m.tagger, &m.moves, &m.labels, &sents, predictions.map(|_| &mut text));
    if let Some(p) = predictions {
        std::fs::write(p, text).map_err(|source| ParseError::Io { path: p.display().to_string(), source })?;
    }
    Ok(r)
}

/// Train a model on `train` (CoNLL-U, `.zst` allowed), choosing epochs on `dev` (the
/// last epochs without it), and write it to `out`. Progress goes to `log`.
pub fn train(train: &Path, dev: Option<&Path>, out: &Path, opts: &TrainOptions, log: &mut dyn Write) -> Result<TrainReport, ParseError> {
    let started = Instant::now();
    let mut opts = opts.clone();
    opts.ensemble = opts.ensemble.clamp(1, 16);
    let opts = &opts;
    let fmt_err = |detail: String| ParseError::Format { path: out.display().to_string(), detail };
    for (name, bits) in [("tagger", opts.tagger_bits), ("move", opts.move_bits), ("label", opts.label_bits)] {
        if !(10..=21).contains(&bits) {
            return Err(fmt_err(format!("{name} table bits {bits} not in 10..=21")));
        }
    }
    let mut train_sents = read_file(train)?;
    for p in &opts.also_train {
        train_sents.extend(read_file(p)?);
    }
    // The dev file chooses epochs only when it is not trained on.
    let choose = opts.also_train.is_empty();
    let dev_sents = match dev {
        Some(d) => Some(read_file(d)?),
        None => None,
    };
    let g = Gold::new(&train_sents);
    let dg = dev_sents.as_deref().map(Gold::new);
    let train_words: usize = g.forms.iter().map(Vec::len).sum();
    let lw = |log: &mut dyn Write, msg: String| {
        let _ = writeln!(log, "{msg}");
        let _ = log.flush();
    };
    lw(log, format!("training on {} sentences, {} words", g.len(), train_words));
    if g.len() == 0 {
        return Err(fmt_err("no sentences to train on".into()));
    }
    let mut rng = SplitMix(opts.seed);
    let all: Vec<usize> = (0..g.len()).collect();

    // 1. The tagger.
    let mut best_tagger: Option<(f64, usize, FloatTable)> = None;
    let tagger_epochs = opts.tagger_epochs.max(1);
    train_tagger(&g, &all, tagger_epochs, opts.tagger_bits, &mut rng, |e, t| {
        let t0 = Instant::now();
        let avg = t.averaged();
        let acc = match &dg {
            Some(dg) if choose => tagger_accuracy(&avg, dg),
            _ => e as f64,
        };
        lw(log, format!("tagger epoch {e:>2}/{tagger_epochs}: dev UPOS {:.2} [{:.1}s]", 100.0 * acc, t0.elapsed().as_secs_f64()));
        if best_tagger.as_ref().is_none_or(|b| acc > b.0) {
            best_tagger = Some((acc, e, avg));
        }
        Ok(())
    })?;
    let Some((_, tagger_epoch, tagger)) = best_tagger else {
        return Err(fmt_err("no tagger epoch ran".into()));
    };

    // 2. Jackknifed tags for the parser's training data.
    let mut train_tags: Vec<Vec<u8>> = vec![Vec::new(); g.len()];
    let mut st = TaggerState::default();
    if opts.folds >= 2 {
        for fold in 0..opts.folds {
            let rest: Vec<usize> = all.iter().copied().filter(|i| i % opts.folds != fold).collect();
            let mut table = None;
            train_tagger(&g, &rest, tagger_epoch, opts.tagger_bits, &mut rng, |e, t| {
                if e == tagger_epoch {
                    table = Some(t.averaged());
                }
                Ok(())
            })?;
            let Some(table) = table else { continue };
            for i in all.iter().copied().filter(|i| i % opts.folds == fold) {
                st.prepare(&g.words(i));
                st.tag(&table);
                train_tags[i] = st.tags().to_vec();
            }
        }
    } else {
        for (i, tags) in train_tags.iter_mut().enumerate() {
            st.prepare(&g.words(i));
            st.tag(&tagger);
            *tags = st.tags().to_vec();
        }
    }
    let right: usize = train_tags.iter().zip(&g.tags).map(|(a, b)| a.iter().zip(b).filter(|(x, y)| x == y).count()).sum();
    lw(log, format!("jackknifed training tags ({} folds): UPOS {:.2}", opts.folds, 100.0 * right as f64 / train_words as f64));

    // 3. The parser: `ensemble` models from different shuffles and exploration draws,
    // each at its best dev epoch, their weights averaged.
    let members = opts.ensemble.max(1);
    let mut ens: Option<(FloatTable, FloatTable)> = None;
    let mut parser_epoch = 0;
    for member in 1..=members {
        let mut moves = TrainTable::new(opts.move_bits, NMOVES);
        let mut labels = TrainTable::new(opts.label_bits, NLABELS);
        let mut ps = ParserState::default();
        let mut order = all.clone();
        let mut best: Option<(f64, usize, FloatTable, FloatTable)> = None;
        let epochs = opts.epochs.max(1);
        for e in 1..=epochs {
            let t0 = Instant::now();
            shuffle(&mut order, &mut rng);
            let explore = if e >= 2 { opts.explore } else { 0.0 };
            let (mut right, mut total) = (0usize, 0usize);
            for &i in &order {
                st.prepare(&g.words(i));
                let (r, t) = ps.train(&st, &train_tags[i], &g.heads[i], &g.labels[i], &mut moves, &mut labels, explore, &mut rng);
                right += r;
                total += t;
            }
            let mut msg = format!("parser epoch {e:>2}/{epochs}: train moves right {:.2}%", 100.0 * right as f64 / total.max(1) as f64);
            let (am, al) = (moves.averaged(), labels.averaged());
            let score = match &dev_sents {
                Some(ds) => {
                    let r = evaluate(&tagger, &am, &al, ds, None);
                    msg.push_str(&format!(", dev UAS {:.2} LAS {:.2}", 100.0 * r.uas(), 100.0 * r.las()));
                    if choose {
                        r.las() + r.uas() * 1e-3
                    } else {
                        e as f64
                    }
                }
                None => e as f64,
            };
            msg.push_str(&format!(" [{:.1}s]", t0.elapsed().as_secs_f64()));
            lw(log, msg);
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, e, am, al));
            }
        }
        let Some((_, epoch, am, al)) = best else {
            return Err(fmt_err("no parser epoch ran".into()));
        };
        drop((moves, labels));
        parser_epoch = epoch;
        if members > 1 {
            lw(log, format!("ensemble member {member}/{members}: epoch {epoch}"));
        }
        match ens.as_mut() {
            None => ens = Some((am, al)),
            Some((sm, sl)) => {
                sm.add_scaled(&am, 1.0);
                sl.add_scaled(&al, 1.0);
            }
        }
    }
    let Some((mut am, mut al)) = ens else {
        return Err(fmt_err("no parser epoch ran".into()));
    };
    am.scale(1.0 / members as f32);
    al.scale(1.0 / members as f32);
    if let (Some(ds), true) = (&dev_sents, members > 1) {
        let r = evaluate(&tagger, &am, &al, ds, None);
        lw(log, format!("averaged {members} parsers: dev UAS {:.2} LAS {:.2}", 100.0 * r.uas(), 100.0 * r.las()));
    }

    // 4. Quantise, pruning small weights: for the tagger the largest threshold that
    // costs at most `tagger_max_loss` of dev UPOS, then for the moves and the labels the
    // largest that costs at most `move_max_loss` / `label_max_loss` of dev UAS and LAS
    // (model size and speed: fewer rows, fewer cache misses).
    let thresholds: Vec<f32> = (0..8).map(|k| opts.prune * (1u32 << k) as f32).collect();
    let [t0, m0, l0] = opts.prune_at.unwrap_or([thresholds[0]; 3]);
    let search = opts.prune_at.is_none();
    let (mut qt, mut tprune) = (tagger.quantize(t0), t0);
    if let (Some(dg), true) = (&dg, search) {
        let base = tagger_accuracy(&qt, dg);
        for &t in &thresholds[1..] {
            let q = tagger.quantize(t);
            let acc = tagger_accuracy(&q, dg);
            lw(log, format!("tagger prune {t}: {} rows, dev UPOS {:.2}", q.nonzero_rows(), 100.0 * acc));
            if acc < base - opts.tagger_max_loss {
                break;
            }
            (qt, tprune) = (q, t);
        }
    }
    let (mut qm, mut ql) = (am.quantize(m0), al.quantize(l0));
    let (mut mprune, mut lprune) = (m0, l0);
    if let (Some(ds), true) = (&dev_sents, search) {
        let base = evaluate(&qt, &qm, &ql, ds, None);
        for &t in &thresholds[1..] {
            let m = am.quantize(t);
            let r = evaluate(&qt, &m, &ql, ds, None);
            lw(log, format!("move prune {t}: {} rows; dev UAS {:.2} LAS {:.2}", m.nonzero_rows(), 100.0 * r.uas(), 100.0 * r.las()));
            if r.uas() < base.uas() - opts.move_max_loss || r.las() < base.las() - opts.move_max_loss {
                break;
            }
            (qm, mprune) = (m, t);
        }
        let base = evaluate(&qt, &qm, &ql, ds, None);
        for &t in &thresholds[1..] {
            let l = al.quantize(t);
            let r = evaluate(&qt, &qm, &l, ds, None);
            lw(log, format!("label prune {t}: {} rows; dev LAS {:.2}", l.nonzero_rows(), 100.0 * r.las()));
            if r.las() < base.las() - opts.label_max_loss {
                break;
            }
            (ql, lprune) = (l, t);
        }
    }
    lw(log, format!("pruning thresholds: tagger {tprune}, moves {mprune}, labels {lprune}"));
    let raw = write_model(&qt, &qm, &ql);
    let io = |source| ParseError::Io { path: out.display().to_string(), source };
    let packed = zstd::encode_all(&raw[..], 19).map_err(io)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(out, &packed).map_err(io)?;
    lw(
        log,
        format!(
            "saved tagger epoch {tagger_epoch}, parser epoch {parser_epoch} to {}: {} bytes; non-zero rows: tagger {}, moves {}, labels {}",
            out.display(),
            packed.len(),
            qt.nonzero_rows(),
            qm.nonzero_rows(),
            ql.nonzero_rows()
        ),
    );
    let model = ParseModel::load(out)?;
    let dev_report = match dev {
        Some(d) => Some(eval_conllu(&model, d, None)?),
        None => None,
    };
    if let Some(r) = &dev_report {
        lw(log, format!("dev scores of the saved model:\n{r}"));
    }
    let seconds = started.elapsed().as_secs_f64();
    lw(log, format!("training took {seconds:.0}s"));
    Ok(TrainReport { train_words, tagger_epoch, parser_epoch, dev: dev_report, model_bytes: packed.len() as u64, seconds })
}
