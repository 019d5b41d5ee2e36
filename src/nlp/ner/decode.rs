//! Greedy left-to-right BILOU decoding of one document, shared by tagging, evaluation
//! and training (which updates the weights after each wrong decision).

use std::ops::Range;

use super::features::{
    allowed, dynamic_features, hist_record, is_caps_sentence, static_features, Analyzer, IdMap,
    Resources, TokInfo, NTAGS, TAG_BOS, TAG_O,
};

/// A weight table: rows of `NTAGS` scores, one row per hash bucket.
pub(crate) trait Weights {
    fn bits(&self) -> u32;
    /// Add the row of `bucket` to `acc`.
    fn add(&self, bucket: u32, acc: &mut [f32; NTAGS]);
    /// Perceptron update after a wrong decision (training tables only).
    fn update(&mut self, _buckets: &[u32], _gold: u8, _guess: u8) {}
    /// Called once per decided token (training tables count time for averaging).
    fn tick(&mut self) {}
    /// Score units per one unit of `add` (quantised tables).
    fn unit(&self) -> f32 {
        1.0
    }
}

#[inline]
pub(crate) fn bucket(h: u64, bits: u32) -> u32 {
    (h >> (64 - bits)) as u32
}

/// Output of decoding one token.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Decision {
    pub tag: u8,
    /// Probability of the tag under a softmax over the allowed tags' scores.
    pub prob: f32,
}

/// Reusable decoding state.
#[derive(Default)]
pub(crate) struct Decoder {
    analyzer: Analyzer,
    infos: Vec<TokInfo>,
    hashes: Vec<u64>,
    buckets: Vec<u32>,
    offsets: Vec<usize>,
    hist: IdMap<u8>,
    order: Vec<usize>,
    strs: Vec<usize>,
}

impl Decoder {
    /// Decode one document given as token strings and sentence ranges over them. With
    /// `gold`, the weights are trained on the document. `temperature` scales scores for
    /// the per-token probabilities. Writes one decision per token into `out`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn decode_doc<W: Weights>(
        &mut self,
        w: &mut W,
        res: &Resources,
        toks: &[&str],
        sents: &[Range<usize>],
        gold: Option<&[u8]>,
        temperature: f32,
        out: &mut Vec<Decision>,
    ) {
        out.clear();
        out.resize(toks.len(), Decision::default());
        self.hist.clear();
        // All-caps sentences (headlines, datelines) last: they then see the labels the
        // body gave to the same words.
        self.order.clear();
        self.strs.clear();
        for (si, s) in sents.iter().enumerate() {
            if !is_caps_sentence(toks[s.clone()].iter().copied()) {
                self.order.push(si);
            } else {
                self.strs.push(si);
            }
        }
        self.order.extend_from_slice(&self.strs);
        let bits = w.bits();
        let scale = w.unit() / temperature.max(1e-6);
        for oi in 0..self.order.len() {
            let s = sents[self.order[oi]].clone();
            if s.is_empty() {
                continue;
            }
            let stoks = &toks[s.clone()];
            let mut infos = std::mem::take(&mut self.infos);
            self.analyzer.sentence(res, stoks, &mut infos);
            self.buckets.clear();
            self.offsets.clear();
            for i in 0..infos.len() {
                self.offsets.push(self.buckets.len());
                self.hashes.clear();
                static_features(&infos, i, &mut self.hashes);
                self.buckets
                    .extend(self.hashes.iter().map(|&h| bucket(h, bits)));
            }
            self.offsets.push(self.buckets.len());
            let n = infos.len();
            let (mut p1, mut p2) = (TAG_BOS, TAG_BOS);
            let mut dyn_h = [0u64; 16];
            let mut all = Vec::new();
            for i in 0..n {
                let info = &infos[i];
                let hist = self.hist.get(&info.l).copied().unwrap_or(0);
                let nd = dynamic_features(info, p1, p2, hist, &mut dyn_h);
                let mut acc = [0f32; NTAGS];
                let stat = &self.buckets[self.offsets[i]..self.offsets[i + 1]];
                for &b in stat {
                    w.add(b, &mut acc);
                }
                let mut dyn_b = [0u32; 16];
                for k in 0..nd {
                    dyn_b[k] = bucket(dyn_h[k], bits);
                    w.add(dyn_b[k], &mut acc);
                }
                let last = i + 1 == n;
                let mut best = TAG_O;
                let mut best_score = f32::NEG_INFINITY;
                for (t, &sc) in acc.iter().enumerate() {
                    if sc > best_score && allowed(p1, t as u8, last) {
                        best = t as u8;
                        best_score = sc;
                    }
                }
                let mut z = 0f32;
                for (t, &sc) in acc.iter().enumerate() {
                    if allowed(p1, t as u8, last) {
                        z += ((sc - best_score) * scale).exp();
                    }
                }
                if let Some(g) = gold {
                    let gt = g[s.start + i];
                    if gt != best {
                        all.clear();
                        all.extend_from_slice(stat);
                        all.extend_from_slice(&dyn_b[..nd]);
                        w.update(&all, gt, best);
                    }
                    w.tick();
                }
                out[s.start + i] = Decision {
                    tag: best,
                    prob: 1.0 / z.max(1.0),
                };
                if let Some(v) = hist_record(hist, best, info) {
                    self.hist.insert(info.l, v);
                }
                p2 = p1;
                p1 = best;
            }
            self.infos = infos;
        }
    }
}
