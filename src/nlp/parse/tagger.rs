//! The UPOS tagger: greedy left-to-right averaged perceptron over hashed features of the
//! word (form, lowercase, prefixes and suffixes 1-4, shapes), its neighbours (±2) and
//! the two previous predicted tags, and word-cluster prefixes (`nlp::clusters`).

use super::features::{bucket, f1, f2, f3, word_feats, WordFeats, NONE_HASH};
use super::table::{Scorer, TrainTable};
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
    norm: String,
    lower: String,
}

impl TaggerState {
    /// Analyse the words of one sentence.
    pub(crate) fn prepare(&mut self, words: &[&str]) {
        self.words.clear();
        for w in words {
            self.words.push(word_feats(w, &mut self.norm, &mut self.lower));
        }
        self.tags.clear();
    }

    pub(crate) fn tags(&self) -> &[u8] {
        &self.tags
    }

    /// Feature hashes of word `i` given the two previous tags.
    fn features(&mut self, i: usize, t1: u64, t2: u64) {
        let ws = &self.words;
        let n = ws.len();
        let w = &ws[i];
        let at = |k: isize| -> Option<&WordFeats> { usize::try_from(i as isize + k).ok().filter(|&j| j < n).map(|j| &ws[j]) };
        let low = |k: isize| at(k).map_or(NONE_HASH ^ k as u64, |x| x.lower);
        let (lm1, lm2, lp1, lp2) = (low(-1), low(-2), low(1), low(2));
        let f = &mut self.feats;
        f.clear();
        f.push(f1(0, 0));
        f.push(f1(1, w.form));
        f.push(f1(2, w.lower));
        for k in 0..4 {
            f.push(f1(3 + k as u64, w.suffix[k]));
            f.push(f1(7 + k as u64, w.prefix[k]));
        }
        f.push(f1(11, w.shape));
        f.push(f1(12, w.short_shape));
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
        // Word clusters learnt from unlabeled news.
        for k in 0..4 {
            f.push(f1(31 + k as u64, w.cluster[k]));
        }
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
