//! Left-to-right BILOU decoding of one document, shared by tagging, evaluation and
//! training. Training decodes greedily and updates the weights after each wrong
//! decision; tagging keeps a small beam of hypotheses scored by their locally normalised
//! log-probabilities.

use std::ops::Range;

use super::features::{
    agg_features, allowed_mask, context_features, doc_aggregates, doc_profile, dynamic_features, hist_features, hist_record,
    is_caps_sentence, static_features, tag_kind, token_features, token_key, AggMaps, Analyzer, IdMap, Resources, TokInfo, AGG_CONFLICT,
    KIND_L, KIND_U, NDYN, NTAGS, TAG_BOS, TAG_O,
};

/// A weight table: rows of `NTAGS` scores, one row per hash bucket.
pub(crate) trait Weights {
    fn bits(&self) -> u32;
    /// Add the row of `bucket` to `acc`.
    fn add(&self, bucket: u32, acc: &mut [f32; NTAGS]);
    /// Add the rows of all `buckets` to `acc`.
    fn add_all(&self, buckets: &[u32], acc: &mut [f32; NTAGS]) {
        for &b in buckets {
            self.add(b, acc);
        }
    }
    /// For each group of `groups` marked in `need`: `base` plus the rows of its buckets,
    /// into the group's slot of `out` (as `add_all` on a copy of `base`). Quantised tables
    /// look up all the groups' rows before summing any, so their cache misses overlap.
    fn add_groups(&self, groups: &[[u32; NDYN]], need: &[bool], base: &[f32; NTAGS], out: &mut [[f32; NTAGS]]) {
        for ((g, &nd), o) in groups.iter().zip(need).zip(out) {
            if nd {
                *o = *base;
                self.add_all(g, o);
            }
        }
    }
    /// Perceptron update after a wrong decision (training tables only).
    fn update(&mut self, _buckets: &[u32], _gold: u8, _guess: u8) {}
    /// Called once per decided token (training tables count time for averaging).
    fn tick(&mut self) {}
    /// Score units per one unit of `add` (quantised tables).
    fn unit(&self) -> f32 {
        1.0
    }
    /// A number unique to this (read-only) table, under which the decoder may cache
    /// score sums across documents; 0 for tables that change (no caching).
    fn cache_id(&self) -> u64 {
        0
    }
}

/// Slots of the per-thread cache of token-feature scores (direct-mapped by key).
const TOKEN_CACHE_BITS: u32 = 12;

/// Summed scores of tokens' `token_features`, keyed by `token_key`: frequent words pay
/// for their affixes, hashes and row lookups once per thread, not once per mention.
/// Sums of quantised rows are exact integers in f32, so cached and fresh sums agree.
#[derive(Default)]
struct TokenCache {
    owner: u64,
    slots: Vec<(u64, [f32; NTAGS])>,
}

impl TokenCache {
    /// Make the cache serve the table `id` (emptied when the table changed).
    fn bind(&mut self, id: u64) {
        if self.owner != id || self.slots.is_empty() {
            self.owner = id;
            self.slots.clear();
            // Key 0 never matches: token keys are fmix outputs, 0 only for input 0.
            self.slots.resize(1 << TOKEN_CACHE_BITS, (0, [0.0; NTAGS]));
        }
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

/// The first stage's output for a second-stage decoding of the same document.
#[derive(Clone, Copy)]
pub(crate) struct Prior<'a> {
    /// One decision per token of the document.
    pub dec: &'a [Decision],
    /// Decode every sentence again; else only those with a token whose document-level
    /// aggregates disagree with its own first-stage label (`AGG_CONFLICT`): elsewhere the
    /// second stage sees its input confirmed and the first stage's decisions stand.
    pub all: bool,
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
    /// Per word of the document: its `doc_profile` bits.
    profile: IdMap<u8>,
    /// Token ranges of the sentences in `infos` (the document's analysed tokens).
    ranges: Vec<Range<usize>>,
    order: Vec<usize>,
    caps: Vec<usize>,
    sacc: Vec<[f32; NTAGS]>,
    all: Vec<u32>,
    /// Token-feature caches of the last two tables used (a two-stage model alternates).
    tcache: [TokenCache; 2],
    /// Which cache to rebind next when a third table comes.
    tcache_next: usize,
    agg: AggMaps,
    prior_tags: Vec<u8>,
    /// Beam decisions: tag, log-probability, index of the previous decision.
    entries: Vec<(u8, f32, u32)>,
}

#[derive(Clone, Copy)]
struct Hyp {
    score: f32,
    p1: u8,
    p2: u8,
    /// Index of the hypothesis' last decision in `Decoder::entries`.
    entry: u32,
}

/// exp(x) for x <= 0 (a fast approximation, relative error < 1e-3 above e^-80).
#[inline]
fn fast_exp(x: f32) -> f32 {
    if x < -80.0 {
        return 0.0;
    }
    // 2^(x / ln 2) = 2^i * 2^f; a cubic for 2^f on [0, 1).
    let y = x * std::f32::consts::LOG2_E;
    let mut i = y as i32;
    if (i as f32) > y {
        i -= 1;
    }
    let f = y - i as f32;
    let p = 1.0 + f * (0.695_976 + f * (0.224_940 + f * 0.079_218));
    f32::from_bits(((i + 127) as u32) << 23) * p
}

/// Scores of the token given the previous tags: static scores plus the dynamic rows.
#[inline]
fn scores<W: Weights>(w: &W, info: &TokInfo, p1: u8, p2: u8, sacc: &[f32; NTAGS], dyn_b: &mut [u32; NDYN]) -> [f32; NTAGS] {
    let bits = w.bits();
    let mut acc = *sacc;
    for (k, h) in dynamic_features(info, p1, p2).into_iter().enumerate() {
        dyn_b[k] = bucket(h, bits);
    }
    w.add_all(dyn_b, &mut acc);
    acc
}

/// Best allowed tag, its score and the log of the softmax normaliser (relative to the
/// best score) over the allowed tags.
#[inline]
fn best_allowed(acc: &[f32; NTAGS], mask: u32, scale: f32) -> (u8, f32, f32) {
    let mut best = TAG_O;
    let mut best_score = f32::NEG_INFINITY;
    let mut m = mask;
    while m != 0 {
        let t = m.trailing_zeros() as usize;
        m &= m - 1;
        if acc[t] > best_score {
            best = t as u8;
            best_score = acc[t];
        }
    }
    let mut z = 0f32;
    let mut m = mask;
    while m != 0 {
        let t = m.trailing_zeros() as usize;
        m &= m - 1;
        z += fast_exp((acc[t] - best_score) * scale);
    }
    (best, best_score, z.max(1.0).ln())
}

/// Static scores of a sentence's tokens, computed on first use: tokens tagged O without
/// scoring (plain tokens after a closed entity) never pay for their features.
struct StaticScores<'a> {
    analyzer: &'a Analyzer,
    /// The sentence's tokens, the first at `base` in the document's analysis.
    infos: &'a mut [TokInfo],
    base: usize,
    hist: &'a IdMap<u8>,
    hashes: &'a mut Vec<u64>,
    buckets: &'a mut Vec<u32>,
    bits: u32,
    /// Per token: the scores, and whether they are computed (NaN in slot 0 when not).
    cache: &'a mut Vec<[f32; NTAGS]>,
    /// Token-feature sums across documents (None: not cacheable).
    tcache: Option<&'a mut TokenCache>,
}

impl StaticScores<'_> {
    fn reset(&mut self) {
        self.cache.clear();
        self.cache.resize(self.infos.len(), [f32::NAN; NTAGS]);
    }

    fn len(&self) -> usize {
        self.infos.len()
    }

    fn info(&self, i: usize) -> &TokInfo {
        &self.infos[i]
    }

    /// True when the token can be tagged O unscored after a closed entity.
    fn plain(&self, i: usize) -> bool {
        self.infos[i].plain
    }

    fn get<W: Weights>(&mut self, w: &W, i: usize) -> [f32; NTAGS] {
        if !self.cache[i][0].is_nan() {
            return self.cache[i];
        }
        let bits = self.bits;
        let info = self.infos[i];
        let key = token_key(&info);
        let cached = self.tcache.as_deref().and_then(|c| {
            let slot = &c.slots[(key >> (64 - TOKEN_CACHE_BITS)) as usize];
            (slot.0 == key).then_some(slot.1)
        });
        let mut acc = match cached {
            Some(acc) => acc,
            None => {
                // Affixes of the token itself; neighbours only contribute other fields.
                let mut info = info;
                self.analyzer.fill_affixes(self.base + i, &mut info);
                self.hashes.clear();
                token_features(&info, self.hashes);
                self.buckets.clear();
                self.buckets.extend(self.hashes.iter().map(|&h| bucket(h, bits)));
                let mut acc = [0f32; NTAGS];
                w.add_all(self.buckets, &mut acc);
                if let Some(c) = self.tcache.as_deref_mut() {
                    c.slots[(key >> (64 - TOKEN_CACHE_BITS)) as usize] = (key, acc);
                }
                acc
            }
        };
        self.hashes.clear();
        context_features(self.infos, i, self.hashes);
        let hist = self.hist.get(&info.l).copied().unwrap_or(0);
        hist_features(&info, hist, self.hashes);
        agg_features(&info, self.hashes);
        self.buckets.clear();
        self.buckets.extend(self.hashes.iter().map(|&h| bucket(h, bits)));
        w.add_all(self.buckets, &mut acc);
        self.cache[i] = acc;
        acc
    }
}

/// True when no entity is open after `tag` (so O may follow unscored).
#[inline]
fn closed(tag: u8) -> bool {
    tag == TAG_O || tag == TAG_BOS || matches!(tag_kind(tag), KIND_L | KIND_U)
}

fn greedy<W: Weights>(w: &W, stat: &mut StaticScores, scale: f32, out: &mut [Decision]) {
    let (mut p1, mut p2) = (TAG_BOS, TAG_BOS);
    let mut dyn_b = [0u32; NDYN];
    let n = stat.len();
    for (i, slot) in out.iter_mut().enumerate().take(n) {
        let (best, prob) = if stat.plain(i) && closed(p1) {
            (TAG_O, 1.0)
        } else {
            let sacc = stat.get(w, i);
            let acc = scores(w, stat.info(i), p1, p2, &sacc, &mut dyn_b);
            let (best, _, lz) = best_allowed(&acc, allowed_mask(p1, i + 1 == n), scale);
            (best, (-lz).exp())
        };
        *slot = Decision { tag: best, prob };
        p2 = p1;
        p1 = best;
    }
}

impl Decoder {
    /// Decode one document given as token strings and sentence ranges over them, with a
    /// beam of `beam` hypotheses per sentence (1: greedy). With `gold`, the weights are
    /// trained on the document (greedily). With `prior`, this is the second stage: the
    /// first stage's labels are features. `temperature` scales scores for the per-token
    /// probabilities. Writes one decision per token into `out`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn decode_doc<W: Weights>(
        &mut self,
        w: &mut W,
        res: &Resources,
        toks: &[&str],
        sents: &[Range<usize>],
        gold: Option<&[u8]>,
        prior: Option<Prior>,
        temperature: f32,
        beam: usize,
        out: &mut Vec<Decision>,
    ) {
        self.analyse(res, toks, sents, gold.is_none());
        self.decode_analysed(w, toks, sents, gold, prior, temperature, beam, out);
    }

    /// Analyse a document's tokens (all of them first: features look at the words'
    /// other mentions). With `lazy`, affixes are left for the scorer to fill.
    fn analyse(&mut self, res: &Resources, toks: &[&str], sents: &[Range<usize>], lazy: bool) {
        self.analyzer.begin_doc(&mut self.infos);
        self.ranges.clear();
        for s in sents {
            let a = self.infos.len();
            if let Some(ts) = toks.get(s.clone()) {
                self.analyzer.sentence(res, ts, &mut self.infos, lazy);
            }
            self.ranges.push(a..self.infos.len());
        }
        doc_profile(&mut self.infos, &self.ranges, &mut self.profile);
    }

    /// The second stage: decode the document of the last `decode_doc` call again (same
    /// `toks` and `sents`) with its first-stage output as `prior`, reusing its analysis.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn decode_again<W: Weights>(
        &mut self,
        w: &mut W,
        toks: &[&str],
        sents: &[Range<usize>],
        prior: Prior,
        temperature: f32,
        beam: usize,
        out: &mut Vec<Decision>,
    ) {
        self.decode_analysed(w, toks, sents, None, Some(prior), temperature, beam, out);
    }

    #[allow(clippy::too_many_arguments)]
    fn decode_analysed<W: Weights>(
        &mut self,
        w: &mut W,
        toks: &[&str],
        sents: &[Range<usize>],
        gold: Option<&[u8]>,
        prior: Option<Prior>,
        temperature: f32,
        beam: usize,
        out: &mut Vec<Decision>,
    ) {
        out.clear();
        out.resize(toks.len(), Decision::default());
        self.hist.clear();
        // All-caps sentences (headlines, datelines) last: they then see the labels the
        // body gave to the same words.
        self.order.clear();
        self.caps.clear();
        for (si, s) in sents.iter().enumerate() {
            if is_caps_sentence(toks[s.clone()].iter().copied()) {
                self.caps.push(si);
            } else {
                self.order.push(si);
            }
        }
        self.order.extend_from_slice(&self.caps);
        let bits = w.bits();
        let scale = w.unit() / temperature.max(1e-6);
        let cache_id = w.cache_id();
        let mut tci = 0;
        if cache_id != 0 {
            tci = match self.tcache.iter().position(|c| c.owner == cache_id) {
                Some(k) => k,
                None => {
                    let k = self.tcache_next;
                    self.tcache_next = 1 - k;
                    k
                }
            };
            self.tcache[tci].bind(cache_id);
        }
        let mut all_infos = std::mem::take(&mut self.infos);
        let mut sacc = std::mem::take(&mut self.sacc);
        let prior = prior.filter(|p| p.dec.len() == toks.len());
        if let Some(p) = prior {
            self.prior_tags.clear();
            self.prior_tags.resize(all_infos.len(), TAG_O);
            for (s, r) in sents.iter().zip(&self.ranges) {
                if r.len() == s.len() {
                    for (k, d) in p.dec[s.clone()].iter().enumerate() {
                        self.prior_tags[r.start + k] = d.tag;
                    }
                }
            }
            doc_aggregates(&mut all_infos, &self.ranges, &self.prior_tags, &mut self.agg);
        }
        for oi in 0..self.order.len() {
            let si = self.order[oi];
            let s = sents[si].clone();
            let r = self.ranges[si].clone();
            if s.is_empty() || r.len() != s.len() {
                continue;
            }
            let base = r.start;
            let infos = &mut all_infos[r];
            let dst = &mut out[s.clone()];
            if let Some(g) = gold {
                let n = infos.len();
                // Static features, with the document history as it stood before the sentence.
                self.buckets.clear();
                self.offsets.clear();
                for i in 0..n {
                    self.offsets.push(self.buckets.len());
                    self.hashes.clear();
                    static_features(infos, i, &mut self.hashes);
                    let hist = self.hist.get(&infos[i].l).copied().unwrap_or(0);
                    hist_features(&infos[i], hist, &mut self.hashes);
                    agg_features(&infos[i], &mut self.hashes);
                    self.buckets.extend(self.hashes.iter().map(|&h| bucket(h, bits)));
                }
                self.offsets.push(self.buckets.len());
                self.greedy_train(w, infos, &g[s.clone()], scale, dst);
            } else if let Some(p) = prior.filter(|p| !p.all && infos.iter().all(|t| t.agg & AGG_CONFLICT == 0)) {
                dst.copy_from_slice(&p.dec[s.clone()]);
            } else {
                let mut stat = StaticScores {
                    analyzer: &self.analyzer,
                    infos: &mut *infos,
                    base,
                    hist: &self.hist,
                    hashes: &mut self.hashes,
                    buckets: &mut self.buckets,
                    bits,
                    cache: &mut sacc,
                    tcache: (cache_id != 0).then_some(&mut self.tcache[tci]),
                };
                stat.reset();
                if beam <= 1 {
                    greedy(&*w, &mut stat, scale, dst);
                } else {
                    beam_search(&*w, &mut stat, scale, beam, &mut self.entries, dst);
                }
            }
            for (i, info) in infos.iter().enumerate() {
                let old = self.hist.get(&info.l).copied().unwrap_or(0);
                if let Some(v) = hist_record(old, dst[i].tag, info) {
                    self.hist.insert(info.l, v);
                }
            }
        }
        self.infos = all_infos;
        self.sacc = sacc;
    }

    fn greedy_train<W: Weights>(&mut self, w: &mut W, infos: &[TokInfo], gold: &[u8], scale: f32, out: &mut [Decision]) {
        let (mut p1, mut p2) = (TAG_BOS, TAG_BOS);
        let mut dyn_b = [0u32; NDYN];
        let n = infos.len();
        for i in 0..n {
            // Static scores are recomputed: the weights change within the sentence.
            let mut stat = [0f32; NTAGS];
            let sb = &self.buckets[self.offsets[i]..self.offsets[i + 1]];
            w.add_all(sb, &mut stat);
            let acc = scores(w, &infos[i], p1, p2, &stat, &mut dyn_b);
            let (best, _, lz) = best_allowed(&acc, allowed_mask(p1, i + 1 == n), scale);
            if gold[i] != best {
                self.all.clear();
                self.all.extend_from_slice(sb);
                self.all.extend_from_slice(&dyn_b);
                w.update(&self.all, gold[i], best);
            }
            w.tick();
            out[i] = Decision { tag: best, prob: (-lz).exp() };
            p2 = p1;
            p1 = best;
        }
    }
}

/// Widest beam.
const MAXW: usize = 8;

/// A successor: (path score, index of its hypothesis, tag, log-probability).
type Successor = (f32, usize, u8, f32);

/// Offer a successor to the kept `top[..nt]` (best first, at most `width`): merged with a
/// kept successor in the same state (same last two tags), else inserted in order.
#[inline]
fn offer(top: &mut [Successor; MAXW], nt: &mut usize, width: usize, beam: &[Hyp], cand: Successor) {
    let (sc, hi, t, _) = cand;
    if *nt == width && sc <= top[*nt - 1].0 {
        return;
    }
    let same = top[..*nt].iter().position(|c| c.2 == t && beam[c.1].p1 == beam[hi].p1);
    let mut pos = match same {
        Some(k) if top[k].0 >= sc => return,
        Some(k) => k,
        None if *nt < width => {
            *nt += 1;
            *nt - 1
        }
        None => *nt - 1,
    };
    top[pos] = cand;
    while pos > 0 && top[pos - 1].0 < top[pos].0 {
        top.swap(pos - 1, pos);
        pos -= 1;
    }
}

/// Beam search over the sentence; hypotheses ending in the same two tags are merged.
/// Paths are scored by their locally normalised log-probabilities (raw score sums
/// would favour paths through tags with few allowed successors).
fn beam_search<W: Weights>(
    w: &W,
    stat: &mut StaticScores,
    scale: f32,
    width: usize,
    entries: &mut Vec<(u8, f32, u32)>,
    out: &mut [Decision],
) {
    const NONE: u32 = u32::MAX;
    let width = width.clamp(1, MAXW);
    entries.clear();
    let start = Hyp { score: 0.0, p1: TAG_BOS, p2: TAG_BOS, entry: NONE };
    let mut beam = [start; MAXW];
    let mut nb = 1;
    let bits = w.bits();
    let n = stat.len();
    for i in 0..n {
        let last = i + 1 == n;
        // Best `width` successors: (score, hypothesis, tag, log-probability).
        let mut top: [Successor; MAXW] = [(f32::NEG_INFINITY, 0, 0, 0.0); MAXW];
        let mut nt = 0;
        let plain = stat.plain(i);
        // The scores of every hypothesis that needs them, looked up together.
        let mut need = [false; MAXW];
        let mut groups = [[0u32; NDYN]; MAXW];
        for (hi, h) in beam[..nb].iter().enumerate() {
            if !(plain && closed(h.p1)) {
                need[hi] = true;
                for (b, f) in groups[hi].iter_mut().zip(dynamic_features(stat.info(i), h.p1, h.p2)) {
                    *b = bucket(f, bits);
                }
            }
        }
        let mut accs = [[0f32; NTAGS]; MAXW];
        if need.iter().any(|&x| x) {
            let sacc = stat.get(w, i);
            w.add_groups(&groups[..nb], &need[..nb], &sacc, &mut accs[..nb]);
        }
        for (hi, h) in beam[..nb].iter().enumerate() {
            if !need[hi] {
                // Tagged O unscored (log-probability 0): keep the hypothesis as it is.
                offer(&mut top, &mut nt, width, &beam, (h.score, hi, TAG_O, 0.0));
                continue;
            }
            let acc = accs[hi];
            let mask = allowed_mask(h.p1, last);
            let (_, m, lz) = best_allowed(&acc, mask, scale);
            let mut mm = mask;
            while mm != 0 {
                let t = mm.trailing_zeros() as usize;
                mm &= mm - 1;
                let lp = (acc[t] - m) * scale - lz;
                offer(&mut top, &mut nt, width, &beam, (h.score + lp, hi, t as u8, lp));
            }
        }
        let mut next = [start; MAXW];
        for (k, &(sc, hi, t, lp)) in top[..nt].iter().enumerate() {
            entries.push((t, lp, beam[hi].entry));
            next[k] = Hyp { score: sc, p1: t, p2: beam[hi].p1, entry: (entries.len() - 1) as u32 };
        }
        beam = next;
        nb = nt;
    }
    let mut e = if nb > 0 { beam[0].entry } else { NONE };
    for i in (0..n).rev() {
        if e == NONE {
            break;
        }
        let (tag, lp, parent) = entries[e as usize];
        out[i] = Decision { tag, prob: lp.exp() };
        e = parent;
    }
}

#[cfg(test)]
mod tests {
    use super::fast_exp;

    #[test]
    fn fast_exp_is_close() {
        for k in 0..400 {
            let x = -(k as f32) * 0.1;
            let (a, b) = (fast_exp(x), x.exp());
            assert!((a - b).abs() <= 1e-3 * b + 1e-30, "{x}: {a} vs {b}");
        }
    }
}
