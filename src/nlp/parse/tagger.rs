//! The UPOS tagger: greedy left-to-right averaged perceptron over hashed features of the
//! word (form, lowercase, prefixes and suffixes 1-4, shapes), its neighbours (±2) and
//! the two previous predicted tags, and word-cluster prefixes (`nlp::clusters`).

use super::features::{bucket, cluster_paths, f1, f2, f3, fmix, set_clusters, word_feats_but_clusters, WordFeats, NONE_HASH};
use super::table::{QTable, Scorer, TrainTable};
use super::Upos;

pub(crate) const NTAGS: usize = Upos::COUNT;
/// Pseudo-tag before the sentence start.
const TAG_BOS: u64 = NTAGS as u64;

/// Scratch state for one sentence, reused across sentences.
#[derive(Default)]
pub(crate) struct TaggerState {
    pub(crate) words: Vec<WordFeats>,
    tags: Vec<u8>,
    feats: Vec<u64>,
    buckets: Vec<u32>,
    /// Buckets of a word's own features (on a word-cache miss).
    word_buckets: Vec<u32>,
    norm: String,
    lower: String,
    /// Cluster keys of the prepared words.
    keys: Vec<u64>,
    /// Row sums of the word features, across sentences (quantised tables only).
    cache: WordCache,
}

impl TaggerState {
    /// Analyse the words of one sentence.
    pub(crate) fn prepare(&mut self, words: &[&str]) {
        self.words.clear();
        self.keys.clear();
        // Cluster look-ups miss the cache: all of the sentence's are prefetched first.
        let paths = cluster_paths();
        for w in words {
            let (f, key) = word_feats_but_clusters(w, &mut self.norm, &mut self.lower);
            paths.prefetch(key);
            self.words.push(f);
            self.keys.push(key);
        }
        for (f, &key) in self.words.iter_mut().zip(&self.keys) {
            set_clusters(f, paths.get(key).unwrap_or(0));
        }
        self.tags.clear();
    }

    pub(crate) fn tags(&self) -> &[u8] {
        &self.tags
    }

    /// Use `tags` (as `tag` gave them for the prepared words) instead of tagging.
    pub(crate) fn set_tags(&mut self, tags: &[Upos]) {
        self.tags.clear();
        self.tags.extend(tags.iter().map(|&t| t as u8));
    }

    /// Feature hashes of word `i` given the two previous tags: those of the word alone,
    /// then those of its context.
    fn features(&mut self, i: usize, t1: u64, t2: u64) {
        let mut f = std::mem::take(&mut self.feats);
        f.clear();
        word_features(&self.words[i], &mut f);
        self.context_features(i, t1, t2, &mut f);
        self.feats = f;
    }

    /// Features of word `i` that look at its neighbours or the previous tags.
    fn context_features(&self, i: usize, t1: u64, t2: u64, f: &mut Vec<u64>) {
        let ws = &self.words;
        let n = ws.len();
        let w = &ws[i];
        let at = |k: isize| -> Option<&WordFeats> { usize::try_from(i as isize + k).ok().filter(|&j| j < n).map(|j| &ws[j]) };
        let low = |k: isize| at(k).map_or(NONE_HASH ^ k as u64, |x| x.lower);
        let (lm1, lm2, lp1, lp2) = (low(-1), low(-2), low(1), low(2));
        f.push(f1(13, t1));
        f.push(f1(14, t2));
        f.push(f2(15, t1, t2));
        f.push(f2(16, t1, w.lower));
        f.push(f1(17, lm1));
        f.push(f1(18, lm2));
        f.push(f1(19, lp1));
        f.push(f1(20, lp2));
        f.push(f1(21, at(-1).map_or(NONE_HASH, |x| x.suffix[2])));
        f.push(f1(22, at(1).map_or(NONE_HASH, |x| x.suffix[2])));
        f.push(f2(23, lm1, w.lower));
        f.push(f2(24, w.lower, lp1));
        f.push(f1(25, at(1).map_or(NONE_HASH, |x| x.short_shape)));
        f.push(f2(26, (i == 0) as u64, w.form));
        f.push(f2(27, t1, w.suffix[2]));
        f.push(f1(28, at(-1).map_or(NONE_HASH, |x| x.short_shape)));
        f.push(f3(29, t1, w.lower, lp1));
        f.push(f1(30, at(1).map_or(NONE_HASH, |x| x.suffix[0])));
        f.push(f1(35, at(-1).map_or(NONE_HASH, |x| x.cluster[1])));
        f.push(f1(36, at(1).map_or(NONE_HASH, |x| x.cluster[1])));
        f.push(f2(37, t1, w.cluster[2]));
        // Wider context: the neighbours together, suffixes two words away.
        f.push(f2(38, lm1, lp1));
        f.push(f2(39, w.suffix[2], lp1));
        f.push(f2(40, lm1, w.suffix[2]));
        f.push(f1(41, at(-2).map_or(NONE_HASH, |x| x.suffix[2])));
        f.push(f1(42, at(2).map_or(NONE_HASH, |x| x.suffix[2])));
        f.push(f2(43, t1, at(1).map_or(NONE_HASH, |x| x.suffix[2])));
    }

    fn fill_buckets(&mut self, bits: u32) {
        self.buckets.clear();
        self.buckets.extend(self.feats.iter().map(|&h| bucket(h, bits)));
    }

    /// Tag the prepared sentence greedily.
    pub(crate) fn tag<S: Scorer>(&mut self, w: &S) {
        if let Some(q) = w.quantized() {
            return self.tag_quantized(q);
        }
        self.tags.clear();
        let mut acc = [0f32; NTAGS];
        for i in 0..self.words.len() {
            let t1 = if i >= 1 { self.tags[i - 1] as u64 } else { TAG_BOS };
            let t2 = if i >= 2 { self.tags[i - 2] as u64 } else { TAG_BOS };
            self.features(i, t1, t2);
            self.fill_buckets(w.bits());
            acc.fill(0.0);
            w.scores(&self.buckets, &mut acc);
            self.tags.push(argmax(&acc) as u8);
        }
    }

    /// `tag` for a quantised table: the word's own features come from the per-thread
    /// cache, only the context features are looked up. The context's buckets are hashed
    /// and their index lines prefetched before the cache is consulted, so a cache miss's
    /// look-ups and the context's overlap.
    fn tag_quantized(&mut self, q: &QTable) {
        self.tags.clear();
        self.cache.bind(q.id());
        let bits = q.bits();
        let unit = q.unit();
        let mut f = std::mem::take(&mut self.feats);
        for i in 0..self.words.len() {
            let t1 = if i >= 1 { self.tags[i - 1] as u64 } else { TAG_BOS };
            let t2 = if i >= 2 { self.tags[i - 2] as u64 } else { TAG_BOS };
            f.clear();
            self.context_features(i, t1, t2, &mut f);
            self.buckets.clear();
            self.buckets.extend(f.iter().map(|&h| bucket(h, bits)));
            q.prefetch_index(&self.buckets);
            let key = word_key(&self.words[i]);
            let slot = (key >> (64 - WORD_CACHE_BITS)) as usize;
            let mut sum = match self.cache.slots.get(slot) {
                Some(&(k, s)) if k == key => s,
                _ => {
                    f.clear();
                    word_features(&self.words[i], &mut f);
                    self.word_buckets.clear();
                    self.word_buckets.extend(f.iter().map(|&h| bucket(h, bits)));
                    let mut s = [0i32; NTAGS];
                    q.sum_fixed(&self.word_buckets, &mut s);
                    if let Some(e) = self.cache.slots.get_mut(slot) {
                        *e = (key, s);
                    }
                    s
                }
            };
            q.sum_fixed(&self.buckets, &mut sum);
            let mut acc = [0f32; NTAGS];
            for (a, &s) in acc.iter_mut().zip(&sum) {
                *a += s as f32 * unit;
            }
            self.tags.push(argmax(&acc) as u8);
        }
        self.feats = f;
    }

    /// One training pass over the prepared sentence (previous tags are the predicted
    /// ones); returns the number of words tagged right before the update.
    pub(crate) fn train(&mut self, t: &mut TrainTable, gold: &[u8]) -> usize {
        self.tags.clear();
        let mut acc = [0f32; NTAGS];
        let mut correct = 0;
        for i in 0..self.words.len() {
            let t1 = if i >= 1 { self.tags[i - 1] as u64 } else { TAG_BOS };
            let t2 = if i >= 2 { self.tags[i - 2] as u64 } else { TAG_BOS };
            self.features(i, t1, t2);
            self.fill_buckets(t.bits());
            acc.fill(0.0);
            t.scores(&self.buckets, &mut acc);
            let guess = argmax(&acc);
            let g = gold.get(i).copied().unwrap_or(0) as usize;
            if guess == g {
                correct += 1;
            } else {
                t.update(&self.buckets, g, guess);
            }
            t.tick();
            self.tags.push(guess as u8);
        }
        correct
    }
}

/// Features of a word alone (the bias, form, lowercase, affixes, shapes, word clusters):
/// the same wherever the word stands, so their row sums are cached per thread.
fn word_features(w: &WordFeats, f: &mut Vec<u64>) {
    f.push(f1(0, 0));
    f.push(f1(1, w.form));
    f.push(f1(2, w.lower));
    for k in 0..4 {
        f.push(f1(3 + k as u64, w.suffix[k]));
        f.push(f1(7 + k as u64, w.prefix[k]));
    }
    f.push(f1(11, w.shape));
    f.push(f1(12, w.short_shape));
    // Word clusters learnt from unlabeled news.
    for k in 0..4 {
        f.push(f1(31 + k as u64, w.cluster[k]));
    }
}

/// What `word_features` reads, as one key (the form decides the lowercase, affixes and
/// clusters; the shapes come from the unnormalised word).
#[inline]
fn word_key(w: &WordFeats) -> u64 {
    // `| 1`: key 0 marks an empty slot.
    fmix(w.form ^ w.shape.rotate_left(21) ^ w.short_shape.rotate_left(42)) | 1
}

/// Slots of the per-thread cache of word-feature sums (direct-mapped by key).
const WORD_CACHE_BITS: u32 = 12;

/// Integer row sums of `word_features`, keyed by `word_key`, for one quantised table:
/// frequent words pay for their 17 row look-ups once per thread, not once per
/// occurrence. Integer sums do not depend on the order of the rows, so the tags are
/// those of the uncached sums.
#[derive(Default)]
struct WordCache {
    owner: u64,
    slots: Vec<(u64, [i32; NTAGS])>,
}

impl WordCache {
    /// Make the cache serve the table `id` (emptied when the table changed).
    fn bind(&mut self, id: u64) {
        if self.owner != id || self.slots.is_empty() {
            self.owner = id;
            self.slots.clear();
            self.slots.resize(1 << WORD_CACHE_BITS, (0, [0; NTAGS]));
        }
    }
}

/// Index of the largest score (the first on ties).
#[inline]
pub(crate) fn argmax(s: &[f32]) -> usize {
    let mut best = 0;
    for (k, &x) in s.iter().enumerate().skip(1) {
        if x > s[best] {
            best = k;
        }
    }
    best
}
