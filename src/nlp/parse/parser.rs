//! The transition parser: arc-hybrid (Kuhlmann et al. 2011) with the root at the end of
//! the buffer (Ballesteros & Nivre 2013), so exactly one word attaches to the root and
//! every word gets a head. Greedy decoding; training follows the dynamic oracle of
//! Goldberg & Nivre (2013) with exploration. The unlabeled move is scored by the move
//! table; the label of an arc by the label table, with features hashed per direction.
//! A forced move (empty stack; only the root left in the buffer) is taken unscored.
//!
//! Moves: SHIFT (buffer front onto the stack), LEFT (pop s0, head = b0), RIGHT (pop s0,
//! head = s1). The root pseudo-word is index `n`; it can only take a head-less s0 when
//! the stack holds one word.

use super::features::{mixed_buckets, p1, p2, p3, NONE_HASH, ROOT_HASH};
use super::table::{QTable, Scorer, TrainTable};
use super::tagger::{argmax, TaggerState, NTAGS};
use super::{Deprel, Parsed, Upos};

pub(crate) const NMOVES: usize = 3;
pub(crate) const NLABELS: usize = Deprel::COUNT;
pub(crate) const SHIFT: usize = 0;
pub(crate) const LEFT: usize = 1;
pub(crate) const RIGHT: usize = 2;

const NIL: u32 = u32::MAX;
const ROOT_TAG: u64 = NTAGS as u64;
const NONE_TAG: u64 = NTAGS as u64 + 1;
const NONE_LABEL: u64 = 63;
const ROOT_LABEL: u8 = Deprel::Root as u8;

/// Splitmix64: the seeded generator of training (shuffles, exploration).
pub(crate) struct SplitMix(pub(crate) u64);

impl SplitMix {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// What `role_features` look at: one stack word, or the first three buffer words.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    S0,
    S1,
    S2,
    Buffer,
}

/// Per sentence, the move-table row sums of `role_features` for each (role, word), filled
/// on first use: a word is s0 or s1 several times (each arc it takes uncovers it again)
/// and the buffer front stays while arcs are made, so about half of these look-ups are
/// saved. Index `n + 1` stands for NIL (no such stack word). Integer sums: the scores are
/// exactly the uncached ones.
#[derive(Default)]
struct RoleSums {
    sums: [Vec<[i32; NMOVES]>; 4],
    known: [Vec<bool>; 4],
}

impl RoleSums {
    fn reset(&mut self, n: usize) {
        for (s, k) in self.sums.iter_mut().zip(&mut self.known) {
            s.clear();
            s.resize(n + 2, [0; NMOVES]);
            k.clear();
            k.resize(n + 2, false);
        }
    }
}

/// Parser configuration and scratch buffers for one sentence, reused across sentences.
#[derive(Default)]
pub(crate) struct ParserState {
    n: usize,
    stack: Vec<u32>,
    b: usize,
    head: Vec<u32>,
    label: Vec<u8>,
    lc1: Vec<u32>,
    lc2: Vec<u32>,
    rc1: Vec<u32>,
    rc2: Vec<u32>,
    nl: Vec<u8>,
    nr: Vec<u8>,
    lset: Vec<u64>,
    rset: Vec<u64>,
    word: Vec<u64>,
    tag: Vec<u64>,
    feats: Vec<u64>,
    lfeats: Vec<u64>,
    /// Three-letter suffix hash of each word.
    suf: Vec<u64>,
    /// Word-cluster prefixes of each word: 6 bits, 12 bits.
    cl6: Vec<u64>,
    cl12: Vec<u64>,
    buckets: Vec<u32>,
    /// Gold heads (internal indices, root = n) while training.
    gold: Vec<u32>,
    /// Cached role sums (quantised move tables only).
    roles: RoleSums,
    rfeats: Vec<u64>,
}

#[inline]
fn dist_bucket(a: u32, b: u32) -> u64 {
    if a == NIL || b == NIL {
        return 0;
    }
    match a.abs_diff(b) {
        d @ 0..=4 => d as u64 + 1,
        5..=9 => 6,
        _ => 7,
    }
}

impl ParserState {
    fn init(&mut self, tagger: &TaggerState, tags: &[u8]) {
        let n = tagger.words.len();
        self.n = n;
        self.stack.clear();
        self.b = 0;
        for v in [&mut self.head, &mut self.lc1, &mut self.lc2, &mut self.rc1, &mut self.rc2] {
            v.clear();
            v.resize(n + 1, NIL);
        }
        for v in [&mut self.nl, &mut self.nr, &mut self.label] {
            v.clear();
            v.resize(n + 1, 0);
        }
        for v in [&mut self.lset, &mut self.rset] {
            v.clear();
            v.resize(n + 1, 0);
        }
        self.word.clear();
        self.word.extend(tagger.words.iter().map(|w| w.lower));
        self.word.push(ROOT_HASH);
        self.suf.clear();
        self.suf.extend(tagger.words.iter().map(|w| w.suffix[2]));
        self.cl6.clear();
        self.cl6.extend(tagger.words.iter().map(|w| w.cluster[1]));
        self.cl12.clear();
        self.cl12.extend(tagger.words.iter().map(|w| w.cluster[2]));
        self.tag.clear();
        self.tag.extend((0..n).map(|i| tags.get(i).copied().unwrap_or(0) as u64));
        self.tag.push(ROOT_TAG);
        self.roles.reset(n);
    }

    fn terminal(&self) -> bool {
        self.stack.is_empty() && self.b >= self.n
    }

    fn valid(&self, m: usize) -> bool {
        let depth = self.stack.len();
        match m {
            SHIFT => self.b < self.n,
            LEFT => depth >= 1 && (self.b < self.n || depth == 1),
            _ => depth >= 2,
        }
    }

    /// Head and dependent of the arc move `m` (LEFT or RIGHT).
    fn arc(&self, m: usize) -> (u32, u32) {
        let depth = self.stack.len();
        let d = self.stack[depth - 1];
        let h = if m == LEFT { self.b as u32 } else { self.stack[depth - 2] };
        (h, d)
    }

    fn apply(&mut self, m: usize, label: u8) {
        if m == SHIFT {
            self.stack.push(self.b as u32);
            self.b += 1;
            return;
        }
        let (h, d) = self.arc(m);
        self.stack.pop();
        let (hu, du) = (h as usize, d as usize);
        self.head[du] = h;
        self.label[du] = label;
        if d < h {
            if self.lc1[hu] == NIL || d < self.lc1[hu] {
                self.lc2[hu] = self.lc1[hu];
                self.lc1[hu] = d;
            } else if self.lc2[hu] == NIL || d < self.lc2[hu] {
                self.lc2[hu] = d;
            }
            self.nl[hu] = self.nl[hu].saturating_add(1);
            self.lset[hu] |= 1u64 << (label as u32 & 63);
        } else {
            if self.rc1[hu] == NIL || d > self.rc1[hu] {
                self.rc2[hu] = self.rc1[hu];
                self.rc1[hu] = d;
            } else if self.rc2[hu] == NIL || d > self.rc2[hu] {
                self.rc2[hu] = d;
            }
            self.nr[hu] = self.nr[hu].saturating_add(1);
            self.rset[hu] |= 1u64 << (label as u32 & 63);
        }
    }

    /// Feature hashes (premixed) of the current configuration: those of each role alone
    /// (`role_features`), then `config_features`.
    fn features(&mut self) {
        let mut f = std::mem::take(&mut self.feats);
        f.clear();
        let depth = self.stack.len();
        let st = |k: usize| if depth > k { self.stack[depth - 1 - k] } else { NIL };
        for (role, x) in [(Role::S0, st(0)), (Role::S1, st(1)), (Role::S2, st(2)), (Role::Buffer, self.b as u32)] {
            self.role_features(role, x, &mut f);
        }
        self.feats = f;
        self.config_features();
    }

    /// Features (premixed: `features::p1`) that look at one stack word alone (`x`: s0, s1 or s2; NIL when the stack
    /// is shallower) or at the buffer's first three words alone (`x` = the buffer front):
    /// they depend on `x` and the role only, not on the arcs built, so a decoder may
    /// cache their row sums per sentence.
    fn role_features(&self, role: Role, x: u32, f: &mut Vec<u64>) {
        let n = self.n;
        let w = |x: u32| if x == NIL { NONE_HASH } else { self.word[x as usize] };
        let p = |x: u32| if x == NIL { NONE_TAG } else { self.tag[x as usize] };
        let wp = |x: u32| w(x) ^ p(x).wrapping_mul(0x100_0000_01b3);
        let suf = |x: u32| if x == NIL || x as usize >= n { NONE_HASH } else { self.suf[x as usize] };
        let c12 = |x: u32| if x == NIL || x as usize >= n { NONE_HASH } else { self.cl12[x as usize] };
        match role {
            Role::S0 => {
                f.push(p1(1, w(x)));
                f.push(p1(2, p(x)));
                f.push(p1(3, wp(x)));
                f.push(p2(91, p(x), suf(x)));
                f.push(p1(96, c12(x)));
            }
            Role::S1 => {
                f.push(p1(4, w(x)));
                f.push(p1(5, p(x)));
                f.push(p1(6, wp(x)));
                f.push(p2(93, p(x), suf(x)));
                f.push(p1(98, c12(x)));
            }
            Role::S2 => {
                f.push(p1(16, p(x)));
                f.push(p1(17, w(x)));
            }
            Role::Buffer => {
                let buf = |k: u32| if x != NIL && x as usize + k as usize <= n { x + k } else { NIL };
                let (b0, b1, b2) = (buf(0), buf(1), buf(2));
                let (b0w, b0p, b1w, b1p, b2w, b2p) = (w(b0), p(b0), w(b1), p(b1), w(b2), p(b2));
                f.push(p1(7, b0w));
                f.push(p1(8, b0p));
                f.push(p1(9, wp(b0)));
                f.push(p1(10, b1w));
                f.push(p1(11, b1p));
                f.push(p2(12, b1w, b1p));
                f.push(p1(13, b2w));
                f.push(p1(14, b2p));
                f.push(p2(25, b0p, b1p));
                f.push(p2(31, b0w, b1w));
                f.push(p3(32, b0p, b1p, b2p));
                f.push(p2(92, b0p, suf(b0)));
                f.push(p1(97, c12(b0)));
                f.push(p1(99, c12(b1)));
                f.push(p3(105, b0w, b1w, b2w));
                f.push(p2(106, b0w, b1p));
                f.push(p2(107, b0p, b1w));
            }
        }
    }

    /// Features of the configuration that combine words or read the arcs built
    /// (appended to `feats`).
    fn config_features(&mut self) {
        let depth = self.stack.len();
        let st = |k: usize| if depth > k { self.stack[depth - 1 - k] } else { NIL };
        let (s0, s1, s2) = (st(0), st(1), st(2));
        let n = self.n;
        let buf = |k: usize| if self.b + k <= n { (self.b + k) as u32 } else { NIL };
        let (b0, b1) = (buf(0), buf(1));
        let w = |x: u32| if x == NIL { NONE_HASH } else { self.word[x as usize] };
        let p = |x: u32| if x == NIL { NONE_TAG } else { self.tag[x as usize] };
        let l = |x: u32| if x == NIL { NONE_LABEL } else { self.label[x as usize] as u64 };
        let get = |v: &Vec<u32>, x: u32| if x == NIL { NIL } else { v[x as usize] };
        let (s0l, s0l2, s0r, s0r2) = (get(&self.lc1, s0), get(&self.lc2, s0), get(&self.rc1, s0), get(&self.rc2, s0));
        let (b0l, b0l2) = (get(&self.lc1, b0), get(&self.lc2, b0));
        let (s1l, s1r) = (get(&self.lc1, s1), get(&self.rc1, s1));
        let cnt = |v: &Vec<u8>, x: u32| if x == NIL { 255 } else { v[x as usize] as u64 };
        let set = |v: &Vec<u64>, x: u32| if x == NIL { 1 << 63 } else { v[x as usize] };
        let (s0w, s0p, s1w, s1p, b0w, b0p) = (w(s0), p(s0), w(s1), p(s1), w(b0), p(b0));
        let (b1p, s2p) = (p(b1), p(s2));
        let s0wp = s0w ^ s0p.wrapping_mul(0x100_0000_01b3);
        let s1wp = s1w ^ s1p.wrapping_mul(0x100_0000_01b3);
        let b0wp = b0w ^ b0p.wrapping_mul(0x100_0000_01b3);
        let d = dist_bucket(s0, b0);
        let d2 = dist_bucket(s1, s0);
        let (s0vl, s0vr, b0vl) = (cnt(&self.nl, s0), cnt(&self.nr, s0), cnt(&self.nl, b0));
        let f = &mut self.feats;
        // Pairs (the words and tags of s0, s1, s2 and the buffer alone: `role_features`).
        f.push(p2(18, s0wp, b0wp));
        f.push(p2(19, s0wp, b0w));
        f.push(p2(20, s0w, b0wp));
        f.push(p2(21, s0wp, b0p));
        f.push(p2(22, s0p, b0wp));
        f.push(p2(23, s0w, b0w));
        f.push(p2(24, s0p, b0p));
        f.push(p2(26, s1wp, s0wp));
        f.push(p2(27, s1w, s0w));
        f.push(p2(28, s1p, s0p));
        f.push(p2(29, s1w, s0p));
        f.push(p2(30, s1p, s0w));
        // Triples of tags.
        f.push(p3(33, s0p, b0p, b1p));
        f.push(p3(34, s1p, s0p, b0p));
        f.push(p3(35, s2p, s1p, s0p));
        f.push(p3(36, s0p, p(s0l), b0p));
        f.push(p3(37, s0p, p(s0r), b0p));
        f.push(p3(38, s0p, b0p, p(b0l)));
        f.push(p3(39, s1p, p(s1r), s0p));
        f.push(p3(40, s1p, s0p, p(s0l)));
        f.push(p3(41, s1p, s0p, p(s0r)));
        f.push(p3(42, s1p, p(s1l), s0p));
        f.push(p3(43, s1wp, s0p, b0p));
        f.push(p3(44, s1p, s0wp, b0p));
        f.push(p3(45, s1p, s0p, b0wp));
        // Distance.
        f.push(p2(46, s0w, d));
        f.push(p2(47, s0p, d));
        f.push(p2(48, b0w, d));
        f.push(p2(49, b0p, d));
        f.push(p3(50, s0w, b0w, d));
        f.push(p3(51, s0p, b0p, d));
        f.push(p3(52, s1p, s0p, d2));
        f.push(p3(53, s1w, s0w, d2));
        f.push(p2(54, s1wp, d2));
        f.push(p2(55, s0wp, d2));
        // Valency.
        f.push(p2(56, s0w, s0vr));
        f.push(p2(57, s0p, s0vr));
        f.push(p2(58, s0w, s0vl));
        f.push(p2(59, s0p, s0vl));
        f.push(p2(60, b0w, b0vl));
        f.push(p2(61, b0p, b0vl));
        f.push(p2(62, s1p, cnt(&self.nr, s1)));
        // Children.
        f.push(p1(63, w(s0l)));
        f.push(p1(64, p(s0l)));
        f.push(p1(65, l(s0l)));
        f.push(p1(66, w(s0r)));
        f.push(p1(67, p(s0r)));
        f.push(p1(68, l(s0r)));
        f.push(p1(69, w(b0l)));
        f.push(p1(70, p(b0l)));
        f.push(p1(71, l(b0l)));
        f.push(p2(72, p(s1r), l(s1r)));
        f.push(p2(73, p(s1l), l(s1l)));
        f.push(p1(74, w(s1r)));
        f.push(p2(75, p(s0l2), l(s0l2)));
        f.push(p2(76, p(s0r2), l(s0r2)));
        f.push(p2(77, p(b0l2), l(b0l2)));
        f.push(p3(78, s0p, p(s0l), p(s0l2)));
        f.push(p3(79, s0p, p(s0r), p(s0r2)));
        f.push(p3(80, b0p, p(b0l), p(b0l2)));
        f.push(p2(81, s0wp, l(s0l)));
        f.push(p2(82, s0wp, l(s0r)));
        f.push(p2(83, b0wp, l(b0l)));
        // Label sets.
        f.push(p2(84, s0w, set(&self.rset, s0)));
        f.push(p2(85, s0p, set(&self.rset, s0)));
        f.push(p2(86, s0w, set(&self.lset, s0)));
        f.push(p2(87, s0p, set(&self.lset, s0)));
        f.push(p2(88, b0w, set(&self.lset, b0)));
        f.push(p2(89, b0p, set(&self.lset, b0)));
        f.push(p2(90, s1p, set(&self.rset, s1)));
        // Suffixes stand in for the fine tags (VBN/VBD/VBG, ...); words around commas.
        let suf = |x: u32| if x == NIL || x as usize >= n { NONE_HASH } else { self.suf[x as usize] };
        f.push(p3(94, s1p, s0p, b0w));
        f.push(p3(95, s0wp, b0w, b1p));
        // Word clusters.
        {
            let c6 = |x: u32| if x == NIL || x as usize >= n { NONE_HASH } else { self.cl6[x as usize] };
            let c12 = |x: u32| if x == NIL || x as usize >= n { NONE_HASH } else { self.cl12[x as usize] };
            let (s0c, b0c) = (c12(s0), c12(b0));
            f.push(p2(100, s0c, b0p));
            f.push(p2(101, s0p, b0c));
            f.push(p2(102, c6(s0), c6(b0)));
            f.push(p3(103, c6(s0), c6(b0), d));
            f.push(p3(104, c6(s1), c6(s0), b0p));
        }
        // Third-order and lookahead combinations (Zhang & Nivre 2011 style).
        {
            f.push(p3(108, s1w, s0w, b0w));
            f.push(p3(109, s1p, l(s1r), s0p));
            f.push(p3(110, s0w, l(s0l), l(s0r)));
            f.push(p3(111, s0p, b0p, dist_bucket(s1, b0)));
            f.push(p3(112, s0p, suf(s0), b0p));
            f.push(p3(113, s0p, b0p, suf(b0)));
            f.push(p3(114, s0wp, p(s0r), b0p));
        }
    }

    fn move_scores<S: Scorer>(&mut self, w: &S, acc: &mut [f32; NMOVES]) {
        if let Some(q) = w.quantized() {
            return self.move_scores_cached(q, acc);
        }
        self.features();
        self.buckets.clear();
        let bits = w.bits();
        mixed_buckets(&self.feats, bits, &mut self.buckets);
        acc.fill(0.0);
        w.scores(&self.buckets, acc);
    }

    /// `move_scores` for a quantised table: role sums from the sentence's cache (filled
    /// on first use), then the configuration features. The buckets of the roles not yet
    /// cached and of the configuration are hashed first and their index lines prefetched
    /// together, so the groups' row look-ups overlap instead of waiting in turn.
    fn move_scores_cached(&mut self, q: &QTable, acc: &mut [f32; NMOVES]) {
        let bits = q.bits();
        let depth = self.stack.len();
        let st = |k: usize| if depth > k { self.stack[depth - 1 - k] } else { NIL };
        let roles = [(0, Role::S0, st(0)), (1, Role::S1, st(1)), (2, Role::S2, st(2)), (3, Role::Buffer, self.b as u32)];
        let nil_slot = self.n + 1;
        let slot = move |x: u32| if x == NIL { nil_slot } else { (x as usize).min(nil_slot) };
        // Where each role's features end in `rfeats` (empty for a cached role).
        let mut ends = [0usize; 4];
        let mut f = std::mem::take(&mut self.rfeats);
        f.clear();
        for (r, role, x) in roles {
            if !self.roles.known[r][slot(x)] {
                self.role_features(role, x, &mut f);
            }
            ends[r] = f.len();
        }
        self.rfeats = f;
        self.feats.clear();
        self.config_features();
        self.buckets.clear();
        mixed_buckets(&self.rfeats, bits, &mut self.buckets);
        mixed_buckets(&self.feats, bits, &mut self.buckets);
        q.prefetch_index(&self.buckets);
        let mut sum = [0i32; NMOVES];
        let mut start = 0;
        for (r, _, x) in roles {
            let i = slot(x);
            if !self.roles.known[r][i] {
                let mut s = [0i32; NMOVES];
                q.sum_fixed(self.buckets.get(start..ends[r]).unwrap_or_default(), &mut s);
                self.roles.sums[r][i] = s;
                self.roles.known[r][i] = true;
            }
            start = ends[r];
            for (a, &b) in sum.iter_mut().zip(&self.roles.sums[r][i]) {
                *a += b;
            }
        }
        q.sum_fixed(self.buckets.get(start..).unwrap_or_default(), &mut sum);
        let unit = q.unit();
        acc.fill(0.0);
        for (a, &s) in acc.iter_mut().zip(&sum) {
            *a += s as f32 * unit;
        }
    }

    /// Feature hashes (premixed) for labelling the arc `h -> d` (direction `dir`: 0 left, 1 right).
    fn label_features(&mut self, h: u32, d: u32, dir: usize) {
        let n = self.n as u32;
        let w = |x: u32| if x == NIL { NONE_HASH } else { self.word[x as usize] };
        let p = |x: u32| if x == NIL { NONE_TAG } else { self.tag[x as usize] };
        let l = |x: u32| if x == NIL { NONE_LABEL } else { self.label[x as usize] as u64 };
        let (dw, dp, hw, hp) = (w(d), p(d), w(h), p(h));
        let dwp = dw ^ dp.wrapping_mul(0x100_0000_01b3);
        let hwp = hw ^ hp.wrapping_mul(0x100_0000_01b3);
        let dist = dist_bucket(h, d);
        let dl = self.lc1[d as usize];
        let dr = self.rc1[d as usize];
        let prev = if d > 0 { d - 1 } else { NIL };
        let next = if d + 1 < n { d + 1 } else { NIL };
        let t = |k: u64| 2 * k + dir as u64;
        let f = &mut self.lfeats;
        f.clear();
        f.push(p1(t(1), dw));
        f.push(p1(t(2), dp));
        f.push(p1(t(3), dwp));
        f.push(p1(t(4), hw));
        f.push(p1(t(5), hp));
        f.push(p1(t(6), hwp));
        f.push(p2(t(7), dp, hp));
        f.push(p2(t(8), dw, hp));
        f.push(p2(t(9), dp, hw));
        f.push(p2(t(10), dw, hw));
        f.push(p3(t(11), dp, hp, dist));
        f.push(p2(t(12), dp, self.lset[d as usize]));
        f.push(p2(t(13), dp, self.rset[d as usize]));
        f.push(p3(t(14), hp, dp, self.lset[h as usize]));
        f.push(p3(t(15), hp, dp, self.rset[h as usize]));
        f.push(p2(t(16), w(dl), dp));
        f.push(p3(t(17), w(dl), dp, hp));
        f.push(p3(t(18), p(dr), l(dr), dp));
        f.push(p3(t(19), p(prev), dp, hp));
        f.push(p3(t(20), p(next), dp, hp));
        f.push(p3(t(21), hw, dp, w(dl)));
        f.push(p3(t(22), dwp, hp, dist));
        f.push(p3(t(23), p(dl), l(dl), dp));
        f.push(p3(t(24), hp, dp, self.nl[h as usize] as u64));
        f.push(p3(t(25), dwp, hwp, dist));
        // Word clusters; suffixes (fine tags) and neighbours of the dependent.
        {
            let c = |x: u32| if x == NIL || x >= n { NONE_HASH } else { self.cl12[x as usize] };
            f.push(p2(t(26), c(d), hp));
            f.push(p2(t(27), dp, c(h)));
            f.push(p3(t(28), c(d), c(h), dist));
            let su = |x: u32| if x == NIL || x >= n { NONE_HASH } else { self.suf[x as usize] };
            f.push(p3(t(29), dp, su(d), hp));
            f.push(p3(t(30), dp, hp, su(h)));
            f.push(p3(t(31), w(prev), dp, hp));
            f.push(p3(t(32), w(next), dp, hp));
            f.push(p3(t(33), dw, p(dr), l(dr)));
            f.push(p3(t(34), hp, p(self.lc1[h as usize]), dp));
        }
    }

    fn label_scores<S: Scorer>(&mut self, w: &S, h: u32, d: u32, dir: usize, acc: &mut [f32; NLABELS]) {
        self.label_features(h, d, dir);
        self.buckets.clear();
        let bits = w.bits();
        mixed_buckets(&self.lfeats, bits, &mut self.buckets);
        acc.fill(0.0);
        w.scores(&self.buckets, acc);
        acc[ROOT_LABEL as usize] = f32::NEG_INFINITY;
    }

    /// The move when exactly one is valid.
    fn only_valid(&self) -> Option<usize> {
        let mut only = None;
        for m in 0..NMOVES {
            if self.valid(m) {
                if only.is_some() {
                    return None;
                }
                only = Some(m);
            }
        }
        only
    }

    fn best_valid(&self, acc: &[f32; NMOVES]) -> usize {
        let mut best = usize::MAX;
        for m in 0..NMOVES {
            if self.valid(m) && (best == usize::MAX || acc[m] > acc[best]) {
                best = m;
            }
        }
        best
    }

    /// Parse one tagged sentence into `out` (upos from `tags`).
    pub(crate) fn parse<S: Scorer, L: Scorer>(&mut self, tagger: &TaggerState, moves: &S, labels: &L, out: &mut Parsed) {
        let tags = tagger.tags();
        self.init(tagger, tags);
        let mut acc = [0f32; NMOVES];
        let mut lacc = [0f32; NLABELS];
        let mut guard = 0usize;
        while !self.terminal() && guard <= 2 * self.n + 2 {
            guard += 1;
            // A forced move (empty stack, or buffer down to the root) needs no scores.
            let m = match self.only_valid() {
                Some(m) => m,
                None => {
                    self.move_scores(moves, &mut acc);
                    self.best_valid(&acc)
                }
            };
            if m == usize::MAX {
                break;
            }
            let mut label = 0u8;
            if m != SHIFT {
                let (h, d) = self.arc(m);
                label = if h as usize == self.n {
                    ROOT_LABEL
                } else {
                    self.label_scores(labels, h, d, m - 1, &mut lacc);
                    argmax(&lacc) as u8
                };
            }
            self.apply(m, label);
        }
        self.write(out);
    }

    fn write(&self, out: &mut Parsed) {
        out.clear();
        let n = self.n;
        for i in 0..n {
            out.upos.push(Upos::from_index(self.tag[i] as usize));
            let h = self.head[i];
            // Words left without a head (cannot happen in a finished parse) go to the root.
            if h == NIL || h as usize >= n {
                out.head.push(0);
                out.deprel.push(Deprel::Root);
            } else {
                out.head.push(h + 1);
                out.deprel.push(Deprel::from_index(self.label[i] as usize));
            }
        }
    }

    /// Cost of each move under the gold heads (`u32::MAX` when invalid): the number of
    /// gold arcs it makes unreachable.
    fn costs(&self, cost: &mut [u32; NMOVES]) {
        let gh = &self.gold;
        let n = self.n;
        let depth = self.stack.len();
        let b = self.b;
        for (m, c) in cost.iter_mut().enumerate() {
            *c = if self.valid(m) { 0 } else { u32::MAX };
        }
        // Gold dependents of x still in the buffer (words only).
        let deps_in_buffer = |x: u32| (b..n).filter(|&k| gh[k] == x).count() as u32;
        if cost[SHIFT] == 0 {
            let b0 = b as u32;
            let mut c = 0;
            for (k, &s) in self.stack.iter().enumerate() {
                if gh[b] == s && k + 1 < depth {
                    c += 1;
                }
                if gh[s as usize] == b0 {
                    c += 1;
                }
            }
            cost[SHIFT] = c;
        }
        if depth >= 1 {
            let s0 = self.stack[depth - 1];
            let g = gh[s0 as usize];
            let deps = deps_in_buffer(s0);
            if cost[LEFT] == 0 {
                let s1 = if depth >= 2 { self.stack[depth - 2] } else { NIL };
                let lost_head = g != b as u32 && (g == s1 || (g as usize > b && g as usize <= n));
                cost[LEFT] = lost_head as u32 + deps;
            }
            if cost[RIGHT] == 0 {
                let lost_head = g as usize >= b && g as usize <= n;
                cost[RIGHT] = lost_head as u32 + deps;
            }
        }
    }

    /// One training pass over a sentence with gold heads (CoNLL: 0 root, else 1-based)
    /// and labels. Returns (moves predicted right, moves).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn train(
        &mut self,
        tagger: &TaggerState,
        tags: &[u8],
        gold_head: &[u32],
        gold_label: &[u8],
        moves: &mut TrainTable,
        labels: &mut TrainTable,
        explore: f64,
        rng: &mut SplitMix,
    ) -> (usize, usize) {
        self.init(tagger, tags);
        let n = self.n;
        self.gold.clear();
        self.gold.extend(gold_head.iter().take(n).map(|&h| if h == 0 || h as usize > n { n as u32 } else { h - 1 }));
        let mut acc = [0f32; NMOVES];
        let mut lacc = [0f32; NLABELS];
        let mut cost = [0u32; NMOVES];
        let (mut right, mut total) = (0, 0);
        let mut guard = 0usize;
        while !self.terminal() && guard <= 2 * n + 2 {
            guard += 1;
            // A forced move is always right: no features, no update (as in `parse`).
            let next = match self.only_valid() {
                Some(m) => {
                    total += 1;
                    right += 1;
                    moves.tick();
                    m
                }
                None => {
                    self.move_scores(moves, &mut acc);
                    self.costs(&mut cost);
                    let pred = self.best_valid(&acc);
                    if pred == usize::MAX {
                        break;
                    }
                    let min = cost.iter().copied().min().unwrap_or(0);
                    // The best-scoring move of least cost.
                    let mut gold = usize::MAX;
                    for m in 0..NMOVES {
                        if cost[m] == min && (gold == usize::MAX || acc[m] > acc[gold]) {
                            gold = m;
                        }
                    }
                    total += 1;
                    if cost[pred] == min {
                        right += 1;
                    } else {
                        moves.update(&self.buckets, gold, pred);
                    }
                    moves.tick();
                    if cost[pred] == min || (explore > 0.0 && rng.unit() < explore) {
                        pred
                    } else {
                        gold
                    }
                }
            };
            let mut label = 0u8;
            if next != SHIFT {
                let (h, d) = self.arc(next);
                if h as usize == n {
                    label = ROOT_LABEL;
                } else {
                    self.label_scores(labels, h, d, next - 1, &mut lacc);
                    let guess = argmax(&lacc);
                    label = guess as u8;
                    if self.gold[d as usize] == h {
                        let g = gold_label.get(d as usize).copied().unwrap_or(0);
                        if g != ROOT_LABEL && guess != g as usize {
                            labels.update(&self.buckets, g as usize, guess);
                        }
                        labels.tick();
                        label = g;
                    }
                }
            }
            self.apply(next, label);
        }
        (right, total)
    }
}
