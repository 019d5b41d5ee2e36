//! Feature extraction for the entity tagger: token normalisation (typographic quotes and
//! dashes mapped to the ASCII forms of CoNLL, accents folded), per-token analysis (word
//! form, lowercase, shapes, affixes, case profile, gazetteer matches) and the feature
//! templates, each hashed to a `u64` without allocating per token.
//!
//! Every feature is a 64-bit hash mixed from a template id and the hashes of the token
//! strings it looks at; the model maps it to a bucket of a fixed-size weight table.

use crate::nlp::clusters::{self, Clusters};
use crate::nlp::model_bytes::KeyTable;
use crate::nlp::word_shape::{lower_into, word_shapes};
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::nlp::token;

/// Bump when the feature templates change: old model files stop loading.
const FEATURE_VERSION: u64 = 9;
/// Bump when the second stage's label-aggregate features change.
const STAGE2_VERSION: u64 = 1;

static GAZETTEER: &str = include_str!("../../../data/models/gazetteer.txt");
static WORDCASE: &[u8] = include_bytes!("../../../data/models/wordcase.tsv.zst");

// ---------------------------------------------------------------------------------------
// Tags: O, then B/I/L/U for PER, ORG, LOC, MISC.

pub(crate) const NTAGS: usize = 17;
pub(crate) const TAG_O: u8 = 0;
/// Pseudo-tag of the positions before the sentence start.
pub(crate) const TAG_BOS: u8 = NTAGS as u8;
pub(crate) const KIND_B: u8 = 0;
pub(crate) const KIND_I: u8 = 1;
pub(crate) const KIND_L: u8 = 2;
pub(crate) const KIND_U: u8 = 3;

pub(crate) fn tag(ty: usize, kind: u8) -> u8 {
    1 + 4 * ty as u8 + kind
}

/// Entity type index (0..4) of a tag, `None` for O.
pub(crate) fn tag_type(t: u8) -> Option<usize> {
    (t != TAG_O && t < TAG_BOS).then(|| ((t - 1) / 4) as usize)
}

pub(crate) fn tag_kind(t: u8) -> u8 {
    (t - 1) % 4
}

/// True when `cur` may follow `prev` (a BILOU sequence); `last` marks the sentence's
/// final token, where no entity may stay open.
pub(crate) const fn allowed(prev: u8, cur: u8, last: bool) -> bool {
    let prev_open = prev != TAG_O && prev < TAG_BOS && ((prev - 1) % 4 == KIND_B || (prev - 1) % 4 == KIND_I);
    let cur_ent = cur != TAG_O && cur < TAG_BOS;
    if prev_open {
        cur_ent && (cur - 1) / 4 == (prev - 1) / 4 && ((cur - 1) % 4 == KIND_L || (!last && (cur - 1) % 4 == KIND_I))
    } else if !cur_ent {
        true
    } else {
        (cur - 1) % 4 == KIND_U || (!last && (cur - 1) % 4 == KIND_B)
    }
}

const fn build_masks() -> [[u32; 2]; NTAGS + 1] {
    let mut m = [[0u32; 2]; NTAGS + 1];
    let mut p = 0;
    while p <= NTAGS {
        let mut c = 0;
        while c < NTAGS {
            if allowed(p as u8, c as u8, false) {
                m[p][0] |= 1 << c;
            }
            if allowed(p as u8, c as u8, true) {
                m[p][1] |= 1 << c;
            }
            c += 1;
        }
        p += 1;
    }
    m
}

static MASKS: [[u32; 2]; NTAGS + 1] = build_masks();

/// Bit set of the tags allowed after `prev`.
#[inline]
pub(crate) fn allowed_mask(prev: u8, last: bool) -> u32 {
    MASKS[prev as usize][last as usize]
}

// ---------------------------------------------------------------------------------------
// Hashing.

pub(crate) use crate::hashing::IdMap;

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn fmix(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^= k >> 33;
    k
}

#[inline]
pub(crate) fn f1(t: u64, a: u64) -> u64 {
    fmix(a ^ t.wrapping_mul(K))
}

#[inline]
pub(crate) fn f2(t: u64, a: u64, b: u64) -> u64 {
    fmix(a.rotate_left(23) ^ b ^ t.wrapping_mul(K))
}

#[inline]
pub(crate) fn f3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    fmix(a.rotate_left(43) ^ b.rotate_left(21) ^ c ^ t.wrapping_mul(K))
}

const PHRASE_SEED: u64 = 0x51_7cc1_b727_220a;

#[inline]
fn phrase_step(h: u64, word: u64) -> u64 {
    fmix(h.rotate_left(17) ^ word)
}

// ---------------------------------------------------------------------------------------
// Normalisation.

/// Append the CoNLL-style normal form of `tok` to `out`: typographic quotes become `"`
/// or `'`, dashes `-` / `--`, accents are dropped ("Chávez" -> "Chavez").
pub(crate) fn normalize_into(tok: &str, out: &mut String) {
    if tok.is_ascii() {
        out.push_str(tok);
        return;
    }
    for c in tok.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' | '\u{2033}' => out.push('"'),
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2039}' | '\u{203A}' | '\u{00B4}' => out.push('\''),
            '\u{2014}' | '\u{2015}' => out.push_str("--"),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            '\u{00A0}' => out.push(' '),
            'ß' => out.push_str("ss"),
            'ø' => out.push('o'),
            'Ø' => out.push('O'),
            'æ' => out.push_str("ae"),
            'Æ' => out.push_str("AE"),
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            'ł' => out.push('l'),
            'Ł' => out.push('L'),
            'ı' => out.push('i'),
            _ => {
                for d in std::iter::once(c).nfd() {
                    if !matches!(d as u32, 0x0300..=0x036F) {
                        out.push(d);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Resources: gazetteer and word-case lexicon, compiled into the binary.

/// Gazetteer categories, in the order of their bits.
pub(crate) const GAZ_CATEGORIES: &[&str] = &["COUNTRY", "REGION", "CITY", "DEMONYM", "FIRSTNAME", "ORGWORD", "ORG", "TITLE", "MISC"];

/// Case-profile buckets of the word-case lexicon (0 = unknown word).
pub(crate) const CASE_BUCKETS: u8 = 5;

const GAZ_PREFIX_BITS: usize = 1 << 18;

/// A lowercase word's word-case entry (`bucket` 0: none) and cluster path (0: none).
#[derive(Clone, Copy, Default)]
struct Lex {
    off: u32,
    len: u16,
    bucket: u8,
    cl: clusters::Path,
}

pub(crate) struct Resources {
    /// Phrase hash -> bit set of gazetteer categories.
    gaz: IdMap<u16>,
    gaz_max: usize,
    /// Bloom-style bit set over the hashes of every phrase prefix (cheap early exit).
    gaz_prefix: Vec<u64>,
    /// Lowercase hash -> (offset, len) of its usual written form in `case_text`, bucket.
    /// Lowercase hash -> its word-case entry and word-cluster path, in one map: one
    /// lookup per token (these lookups miss the cache and dominated token analysis).
    lex: KeyTable<Lex>,
    case_text: String,
    pub(crate) fingerprint: u64,
    /// Fingerprint of second-stage tables (their features add the label aggregates).
    pub(crate) fingerprint2: u64,
}

impl Resources {
    pub(crate) fn get() -> &'static Resources {
        static R: OnceLock<Resources> = OnceLock::new();
        R.get_or_init(Resources::build)
    }

    fn build() -> Resources {
        let wordcase = if WORDCASE.is_empty() {
            String::new()
        } else {
            let raw = zstd::decode_all(WORDCASE).unwrap_or_default();
            String::from_utf8(raw).unwrap_or_default()
        };
        let mut r = Resources {
            gaz: IdMap::default(),
            gaz_max: 1,
            gaz_prefix: vec![0; GAZ_PREFIX_BITS / 64],
            lex: KeyTable::new(std::iter::empty()),
            case_text: String::new(),
            fingerprint2: 0,
            fingerprint: FEATURE_VERSION
                ^ xxh3_64(GAZETTEER.as_bytes()).rotate_left(1)
                ^ xxh3_64(wordcase.as_bytes()).rotate_left(2)
                ^ Clusters::get().fingerprint.rotate_left(3),
        };
        let mut toks = Vec::new();
        let mut buf = String::new();
        for line in GAZETTEER.lines() {
            let Some((cat, phrase)) = line.split_once('\t') else {
                continue;
            };
            let Some(bit) = GAZ_CATEGORIES.iter().position(|c| *c == cat) else {
                continue;
            };
            token::tokenize(phrase, &mut toks);
            let mut h = PHRASE_SEED;
            for t in &toks {
                buf.clear();
                let mut norm = String::new();
                normalize_into(crate::text_slice(phrase, t.span.range()), &mut norm);
                lower_into(&norm, &mut buf);
                h = phrase_step(h, xxh3_64(buf.as_bytes()));
                let pb = (h as usize) % GAZ_PREFIX_BITS;
                r.gaz_prefix[pb / 64] |= 1 << (pb % 64);
            }
            if !toks.is_empty() {
                r.gaz_max = r.gaz_max.max(toks.len());
                *r.gaz.entry(h).or_insert(0) |= 1 << bit;
            }
        }
        let mut lex: IdMap<Lex> = IdMap::default();
        for line in wordcase.lines() {
            let Some((form, bucket)) = line.split_once('\t') else {
                continue;
            };
            let bucket: u8 = bucket.trim().parse().unwrap_or(0);
            buf.clear();
            lower_into(form, &mut buf);
            let off = r.case_text.len() as u32;
            r.case_text.push_str(form);
            let e = lex.entry(xxh3_64(buf.as_bytes())).or_default();
            (e.off, e.len, e.bucket) = (off, form.len().min(u16::MAX as usize) as u16, bucket);
        }
        for (key, path) in Clusters::get().entries() {
            lex.entry(key).or_default().cl = path;
        }
        r.lex = KeyTable::new(lex.into_iter());
        r.fingerprint2 = fmix(r.fingerprint ^ STAGE2_VERSION.wrapping_mul(K));
        r
    }

    /// The word-case entry and cluster path of a word, given the hash of its lowercase
    /// form (an all-zero entry when it has neither).
    #[inline]
    fn lex(&self, lower_hash: u64) -> Lex {
        self.lex.get(lower_hash).unwrap_or_default()
    }

    /// The usual written form of a word with a word-case entry.
    fn case_form(&self, e: &Lex) -> &str {
        crate::text_slice(&self.case_text, e.off as usize..e.off as usize + e.len as usize)
    }
}

/// Word-case bucket of a capitalisation ratio (share of non-initial occurrences written
/// with an uppercase first letter).
pub(crate) fn case_bucket(ratio: f64) -> u8 {
    if ratio < 0.05 {
        1
    } else if ratio < 0.5 {
        2
    } else if ratio < 0.95 {
        3
    } else {
        4
    }
}

// ---------------------------------------------------------------------------------------
// Per-token analysis.

pub(crate) const FL_INITCAP: u8 = 1;
pub(crate) const FL_ALLCAP: u8 = 2;
pub(crate) const FL_DIGIT: u8 = 4;
pub(crate) const FL_ALPHA: u8 = 8;
pub(crate) const FL_FIRST: u8 = 16;
pub(crate) const FL_CAPSENT: u8 = 32;
pub(crate) const FL_PUNCT: u8 = 64;

#[derive(Clone, Copy, Default)]
pub(crate) struct TokInfo {
    /// Written form (truecased in all-caps sentences).
    pub w: u64,
    /// Lowercase form.
    pub l: u64,
    pub shape: u64,
    pub sshape: u64,
    pub pre: [u64; 4],
    pub suf: [u64; 4],
    /// Gazetteer matches: bit `4 * category + position` (B, I, L, U).
    pub gaz: u64,
    /// Word-cluster path of the lowercase form (`clusters::Path`).
    pub cl: u32,
    /// How the same word is written elsewhere in the document (`DOC_*` bits).
    pub doc: u8,
    pub case: u8,
    pub flags: u8,
    /// Lowercase alphabetic or punctuation with no gazetteer match outside an all-caps
    /// sentence: such a token can only start an entity in rare cases, so the decoder
    /// tags it O without scoring when no entity is open (not a feature).
    pub plain: bool,
    /// Whether `pre`/`suf` are filled (the decoder fills them only for scored tokens).
    pub affixed: bool,
    /// Second stage only: what the first stage said about this word across the
    /// document (`AGG_*` fields, see `doc_aggregates`); 0 in the first stage.
    pub agg: u32,
}

const PAD_BOS: TokInfo = pad(0xB05);
const PAD_EOS: TokInfo = pad(0xE05);

const fn pad(x: u64) -> TokInfo {
    TokInfo {
        w: x,
        l: x,
        shape: x,
        sshape: x,
        pre: [x; 4],
        suf: [x; 4],
        gaz: 0,
        cl: 0,
        doc: 0,
        case: CASE_BUCKETS,
        flags: 0,
        plain: false,
        affixed: true,
        agg: 0,
    }
}

/// True when no token of the sentence has a lowercase letter and some token has two
/// letters or more (headlines, datelines, sports tables in capitals).
pub(crate) fn is_caps_sentence<'s>(toks: impl Iterator<Item = &'s str>) -> bool {
    let mut long = false;
    for t in toks {
        let mut letters = 0;
        for c in t.chars() {
            if c.is_lowercase() {
                return false;
            }
            if c.is_alphabetic() {
                letters += 1;
            }
        }
        long |= letters >= 2;
    }
    long
}

/// Reusable buffers for analysing sentences.
#[derive(Default)]
pub(crate) struct Analyzer {
    cased: String,
    /// The sentence's normalised forms, concatenated, and where each ends.
    norms: String,
    norm_ends: Vec<usize>,
    /// The sentence's lowercase hashes (lexicon keys).
    keys: Vec<u64>,
    /// The document's lowercase forms, concatenated, and where each ends (indexed like
    /// the analysed tokens).
    lows: String,
    low_ends: Vec<usize>,
}

impl Analyzer {
    /// Start a document: `out` and the lowercase forms are cleared.
    pub(crate) fn begin_doc(&mut self, out: &mut Vec<TokInfo>) {
        out.clear();
        self.lows.clear();
        self.low_ends.clear();
    }

    /// Analyse one sentence's tokens, appended to `out` (the document's tokens so far).
    /// With `lazy`, the affix hashes are left for `fill_affixes` (most tokens are tagged
    /// O unscored or find their token features cached).
    pub(crate) fn sentence(&mut self, res: &Resources, toks: &[&str], out: &mut Vec<TokInfo>, lazy: bool) {
        let base = out.len();
        let caps = is_caps_sentence(toks.iter().copied());
        // First the normalised and lowercase forms of every token, prefetching their
        // lexicon entries (cache misses, now waited for together), then the analysis.
        let low_base = self.low_ends.len();
        self.norms.clear();
        self.norm_ends.clear();
        self.keys.clear();
        for &tok in toks {
            let na = self.norms.len();
            normalize_into(tok, &mut self.norms);
            self.norm_ends.push(self.norms.len());
            let la = self.lows.len();
            lower_into(crate::text_slice(&self.norms, na..self.norms.len()), &mut self.lows);
            self.low_ends.push(self.lows.len());
            let l = xxh3_64(crate::text_slice(&self.lows, la..self.lows.len()).as_bytes());
            res.lex.prefetch(l);
            self.keys.push(l);
        }
        for i in 0..toks.len() {
            let norm = crate::text_slice(&self.norms, if i == 0 { 0 } else { self.norm_ends[i - 1] }..self.norm_ends[i]);
            let k = low_base + i;
            let lower = crate::text_slice(&self.lows, if k == 0 { 0 } else { self.low_ends[k - 1] }..self.low_ends[k]);
            let l = self.keys[i];
            let lex = res.lex(l);
            let mut flags = if i == 0 { FL_FIRST } else { 0 };
            if caps {
                flags |= FL_CAPSENT;
            }
            let (mut upper, mut lowerc, mut digit, mut alpha) = (0, 0, false, false);
            for c in norm.chars() {
                if c.is_uppercase() {
                    upper += 1;
                } else if c.is_lowercase() {
                    lowerc += 1;
                }
                digit |= c.is_numeric();
                alpha |= c.is_alphanumeric();
            }
            if digit {
                flags |= FL_DIGIT;
            }
            if upper + lowerc > 0 {
                flags |= FL_ALPHA;
            }
            if !alpha {
                flags |= FL_PUNCT;
            }
            // In all-caps sentences use the word's usual written form.
            let form: &str = if caps && upper > 0 {
                self.cased.clear();
                if lex.bucket > 0 {
                    self.cased.push_str(res.case_form(&lex));
                } else {
                    let mut cs = lower.chars();
                    if let Some(c0) = cs.next() {
                        self.cased.extend(c0.to_uppercase());
                        self.cased.push_str(cs.as_str());
                    }
                }
                &self.cased
            } else {
                norm
            };
            let mut fc = form.chars();
            if fc.next().is_some_and(|c| c.is_uppercase()) {
                flags |= FL_INITCAP;
                if fc.clone().count() > 0 && fc.all(|c| !c.is_lowercase()) {
                    flags |= FL_ALLCAP;
                }
            }
            let (shape, sshape) = word_shapes::<32>(form);
            let mut info = TokInfo {
                w: xxh3_64(form.as_bytes()),
                l,
                shape,
                sshape,
                pre: [0; 4],
                suf: [0; 4],
                gaz: 0,
                cl: lex.cl,
                doc: 0,
                case: lex.bucket,
                flags,
                plain: !caps && upper == 0 && !digit,
                affixed: false,
                agg: 0,
            };
            if !lazy {
                set_affixes(lower, &mut info);
            }
            out.push(info);
        }
        // Gazetteer phrases.
        let out = &mut out[base..];
        let n = out.len();
        for i in 0..n {
            if out[i].flags & FL_PUNCT != 0 {
                continue;
            }
            let mut h = PHRASE_SEED;
            for len in 1..=res.gaz_max.min(n - i) {
                h = phrase_step(h, out[i + len - 1].l);
                let pb = (h as usize) % GAZ_PREFIX_BITS;
                if res.gaz_prefix[pb / 64] & (1 << (pb % 64)) == 0 {
                    break;
                }
                if let Some(&cats) = res.gaz.get(&h) {
                    for c in 0..GAZ_CATEGORIES.len() {
                        if cats & (1 << c) == 0 {
                            continue;
                        }
                        for (k, tok) in out[i..i + len].iter_mut().enumerate() {
                            tok.plain = false;
                            let pos = if len == 1 {
                                3
                            } else if k == 0 {
                                0
                            } else if k + 1 == len {
                                2
                            } else {
                                1
                            };
                            tok.gaz |= 1u64 << (4 * c + pos);
                        }
                    }
                }
            }
        }
    }
}

impl Analyzer {
    /// Fill the affix hashes of token `i` of the document, if missing.
    #[inline]
    pub(crate) fn fill_affixes(&self, i: usize, info: &mut TokInfo) {
        if !info.affixed {
            let a = if i == 0 { 0 } else { self.low_ends[i - 1] };
            set_affixes(crate::text_slice(&self.lows, a..self.low_ends[i]), info);
        }
    }
}

/// Document profile bits of a word: written capitalised mid-sentence, written lowercase
/// mid-sentence, first word of a run of capitalised words, later word of such a run
/// (mixed-case sentences only, sentence-initial words excepted).
pub(crate) const DOC_CAP: u8 = 1;
pub(crate) const DOC_LOWER: u8 = 2;
pub(crate) const DOC_RUN_FIRST: u8 = 4;
pub(crate) const DOC_RUN_LATER: u8 = 8;

/// Fill `TokInfo::doc` for every token of a document: how the same word is written in
/// the document's other sentences. Capitalisation at a sentence start or in a headline
/// says little, but the word's other mentions do ("Police said" vs "Gore said").
/// `sents` are the token ranges of the sentences in `infos`; `map` is a reused buffer.
pub(crate) fn doc_profile(infos: &mut [TokInfo], sents: &[std::ops::Range<usize>], map: &mut IdMap<u8>) {
    map.clear();
    for s in sents {
        let Some(sent) = infos.get(s.clone()) else { continue };
        if sent.first().is_none_or(|t| t.flags & FL_CAPSENT != 0) {
            continue;
        }
        for (i, t) in sent.iter().enumerate().skip(1) {
            let bits = if t.flags & FL_INITCAP != 0 {
                let prev_cap = sent[i - 1].flags & FL_INITCAP != 0 && i > 1;
                let next_cap = sent.get(i + 1).is_some_and(|n| n.flags & FL_INITCAP != 0);
                DOC_CAP
                    | if prev_cap {
                        DOC_RUN_LATER
                    } else if next_cap {
                        DOC_RUN_FIRST
                    } else {
                        0
                    }
            } else if t.flags & FL_ALPHA != 0 && t.flags & FL_DIGIT == 0 {
                DOC_LOWER
            } else {
                continue;
            };
            *map.entry(t.l).or_insert(0) |= bits;
        }
    }
    for t in infos.iter_mut() {
        t.doc = map.get(&t.l).copied().unwrap_or(0);
    }
}

/// Prefix and suffix (1-4 characters) hashes of a lowercase form.
fn set_affixes(lw: &str, info: &mut TokInfo) {
    let nchars = lw.chars().count();
    let mut ends = [0usize; 5];
    for (k, (pos, _)) in lw.char_indices().take(5).enumerate() {
        ends[k] = pos;
    }
    for k in 0..4 {
        let n = k + 1;
        let pe = if n < nchars { ends[n] } else { lw.len() };
        info.pre[k] = xxh3_64_with_seed(&lw.as_bytes()[..pe], 10 + k as u64);
        let ss = if n < nchars { lw.char_indices().nth_back(n - 1).map_or(0, |(p, _)| p) } else { 0 };
        info.suf[k] = xxh3_64_with_seed(&lw.as_bytes()[ss..], 20 + k as u64);
    }
    info.affixed = true;
}

// ---------------------------------------------------------------------------------------
// Templates.

mod t {
    pub const BIAS: u64 = 1;
    pub const W: u64 = 2;
    pub const L: u64 = 3;
    pub const PRE: u64 = 4; // 4..8
    pub const SUF: u64 = 8; // 8..12
    pub const SHAPE: u64 = 12;
    pub const SSHAPE: u64 = 13;
    pub const LM1: u64 = 14;
    pub const LP1: u64 = 15;
    // 16, 17: lowercase of the words two away (dropped for speed when clusters came).
    pub const WM1: u64 = 18;
    pub const WP1: u64 = 19;
    pub const SHM1: u64 = 20;
    pub const SHP1: u64 = 21;
    pub const SSM2: u64 = 22;
    pub const SSP2: u64 = 23;
    pub const BIM: u64 = 24;
    pub const BIP: u64 = 25;
    pub const SS3: u64 = 26;
    pub const SSM1_L: u64 = 27;
    pub const L_SSP1: u64 = 28;
    pub const CASE: u64 = 29;
    pub const CASEM1: u64 = 30;
    pub const CASEP1: u64 = 31;
    pub const FLAGS: u64 = 32;
    pub const GAZ: u64 = 33;
    pub const GAZM1: u64 = 34;
    pub const GAZP1: u64 = 35;
    pub const GAZ_SS: u64 = 36;
    pub const W_CAPS: u64 = 37;
    pub const P1: u64 = 40;
    pub const P2: u64 = 41;
    pub const P1_L: u64 = 42;
    pub const P1_SS: u64 = 43;
    pub const HIST: u64 = 44;
    pub const HISTLAST: u64 = 45;
    pub const HIST_SS: u64 = 46;
    pub const CL: u64 = 50; // 50..53: prefixes 4, 10, 20
    pub const CLM1: u64 = 54; // 54, 55: prefixes 4, 10
    pub const CLP1: u64 = 56; // 56, 57
    pub const DOC: u64 = 60;
    pub const DOC_SS: u64 = 61;
    pub const CL6: u64 = 62;
    pub const CL_SS: u64 = 63;
    pub const CLM2: u64 = 64;
    pub const CLP2: u64 = 65;
    pub const AGG_OWN: u64 = 70;
    pub const AGG_TOK: u64 = 71;
    pub const AGG_TOK_SS: u64 = 72;
    pub const AGG_TOK_OWN: u64 = 73;
    pub const AGG_ENT: u64 = 74;
    // 75: the majority type of longer names containing the word (dropped: it typed US
    // news worse, "Trump" as ORG after "Never Trump").
    pub const AGG_NB: u64 = 76;
}

/// Cache key of a token's `token_features`: they depend only on its written and
/// lowercase forms and its flags (sentence position, all-caps sentence).
#[inline]
pub(crate) fn token_key(c: &TokInfo) -> u64 {
    f3(0x70_6b, c.w, c.l, c.flags as u64)
}

/// Push the hashes of the features of a token that look at the token alone (its
/// affixes must be filled); the decoder caches their summed scores per `token_key`.
pub(crate) fn token_features(c: &TokInfo, out: &mut Vec<u64>) {
    out.push(f1(t::BIAS, 0));
    out.push(f1(t::W, c.w));
    out.push(f1(t::L, c.l));
    for k in 0..4 {
        out.push(f1(t::PRE + k as u64, c.pre[k]));
        out.push(f1(t::SUF + k as u64, c.suf[k]));
    }
    out.push(f1(t::SHAPE, c.shape));
    out.push(f1(t::SSHAPE, c.sshape));
    let pos = (c.flags & (FL_FIRST | FL_CAPSENT)) as u64;
    out.push(f3(t::CASE, c.case as u64, pos, c.sshape));
    out.push(f1(t::FLAGS, c.flags as u64));
    // Word clusters learnt from unlabeled news.
    for (k, n) in [4, 10, 20].into_iter().enumerate() {
        out.push(f1(t::CL + k as u64, clusters::prefix(c.cl, n)));
    }
    out.push(f1(t::CL6, clusters::prefix(c.cl, 6)));
    out.push(f2(t::CL_SS, clusters::prefix(c.cl, 6), c.sshape));
    if c.flags & FL_CAPSENT != 0 {
        out.push(f1(t::W_CAPS, c.l));
    }
}

/// Push the hashes of the features of token `i` that do not depend on earlier decisions.
pub(crate) fn static_features(info: &[TokInfo], i: usize, out: &mut Vec<u64>) {
    token_features(&info[i], out);
    context_features(info, i, out);
}

/// Push the hashes of the static features of token `i` that look beyond the token: its
/// neighbours, gazetteer phrases and the document.
pub(crate) fn context_features(info: &[TokInfo], i: usize, out: &mut Vec<u64>) {
    let at = |j: isize| -> &TokInfo {
        if j < 0 {
            &PAD_BOS
        } else if j as usize >= info.len() {
            &PAD_EOS
        } else {
            &info[j as usize]
        }
    };
    let ii = i as isize;
    let c = &info[i];
    let (p1, p2, n1, n2) = (at(ii - 1), at(ii - 2), at(ii + 1), at(ii + 2));
    out.push(f1(t::LM1, p1.l));
    out.push(f1(t::LP1, n1.l));
    out.push(f1(t::WM1, p1.w));
    out.push(f1(t::WP1, n1.w));
    out.push(f1(t::SHM1, p1.shape));
    out.push(f1(t::SHP1, n1.shape));
    out.push(f1(t::SSM2, p2.sshape));
    out.push(f1(t::SSP2, n2.sshape));
    out.push(f2(t::BIM, p1.l, c.l));
    out.push(f2(t::BIP, c.l, n1.l));
    out.push(f3(t::SS3, p1.sshape, c.sshape, n1.sshape));
    out.push(f2(t::SSM1_L, p1.sshape, c.l));
    out.push(f2(t::L_SSP1, c.l, n1.sshape));
    out.push(f2(t::CASEM1, p1.case as u64, c.sshape));
    out.push(f2(t::CASEP1, n1.case as u64, c.sshape));
    for (k, n) in [4, 10].into_iter().enumerate() {
        out.push(f1(t::CLM1 + k as u64, clusters::prefix(p1.cl, n)));
        out.push(f1(t::CLP1 + k as u64, clusters::prefix(n1.cl, n)));
    }
    out.push(f1(t::CLM2, clusters::prefix(p2.cl, 6)));
    out.push(f1(t::CLP2, clusters::prefix(n2.cl, 6)));
    // The word's other mentions in the document, one feature per kind of evidence: the
    // conjunction of all four was rarer, learnt CoNLL's quirks and typed US news worse
    // ("Trump" as ORG after "Trump Tower"; testa PER/ORG/LOC 92.27 vs 92.03, but 3.5% vs
    // 2.8% of the mentions of frequent names off their majority type on allsides-dev).
    let dpos = (c.flags & (FL_FIRST | FL_CAPSENT | FL_INITCAP)) as u64;
    let mut d = c.doc;
    while d != 0 {
        let b = d.trailing_zeros() as u64;
        d &= d - 1;
        out.push(f2(t::DOC, b, dpos));
        out.push(f2(t::DOC_SS, b, c.sshape));
    }
    let mut g = c.gaz;
    while g != 0 {
        let b = g.trailing_zeros() as u64;
        g &= g - 1;
        out.push(f1(t::GAZ, b));
        out.push(f2(t::GAZ_SS, b, c.sshape));
    }
    let mut g = p1.gaz;
    while g != 0 {
        let b = g.trailing_zeros() as u64;
        g &= g - 1;
        out.push(f1(t::GAZM1, b));
    }
    let mut g = n1.gaz;
    while g != 0 {
        let b = g.trailing_zeros() as u64;
        g &= g - 1;
        out.push(f1(t::GAZP1, b));
    }
}

// ---------------------------------------------------------------------------------------
// Second stage: label aggregation (Krishnan & Manning 2006). The first stage's labels of
// the same word and the same name elsewhere in the document are features of a second
// tagger; unlike aggregating the raw contexts, a mention's own context still decides
// what the first stage said about it, and only its labels travel.

/// `TokInfo::agg` layout: the token's own first-stage tag (bits 0..5), the majority
/// class of the word's other mentions (bits 5..8: 0 none, 1..=4 type + 1, 5 capitalised
/// O) and whether they all agree (bit 8), the majority type of the other mentions of the
/// first-stage name the token is in (bits 9..12), the first-stage tags of the previous
/// and next tokens (bits 15..20, 20..25), a conflict mark (bit 30: the other mentions
/// clearly read otherwise) and a presence bit (31).
const AGG_PRESENT: u32 = 1 << 31;
pub(crate) const AGG_CONFLICT: u32 = 1 << 30;
const NCLS: usize = 5;

/// Reused maps of `doc_aggregates`.
#[derive(Default)]
pub(crate) struct AggMaps {
    /// Lowercase word -> first-stage classes of its mentions (types, capitalised O).
    tok: IdMap<[u16; NCLS]>,
    /// Name (hash of its lowercase words) -> first-stage types of its mentions.
    ent: IdMap<[u16; 4]>,
    /// Per token: hash of the first-stage name it is in, and the name's length (0: none).
    span: Vec<(u64, u32)>,
}

/// Index of the largest count (the lowest index on ties), `None` when all are 0.
fn majority(c: &[u16]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (k, &n) in c.iter().enumerate() {
        if n > 0 && best.is_none_or(|b| n > c[b]) {
            best = Some(k);
        }
    }
    best
}

/// Class of a token's first-stage label for the word counts: its type, 4 for O when
/// written capitalised mid-sentence (a name read as not a name), else none.
fn label_class(info: &TokInfo, tag: u8) -> Option<usize> {
    match tag_type(tag) {
        Some(ty) => Some(ty),
        None => (info.flags & FL_INITCAP != 0 && info.flags & (FL_FIRST | FL_CAPSENT) == 0).then_some(4),
    }
}

/// Fill `TokInfo::agg` for every token of a document from the first stage's tags
/// (`prior`, indexed like `infos`; `sents` are the sentences' ranges in `infos`).
pub(crate) fn doc_aggregates(infos: &mut [TokInfo], sents: &[std::ops::Range<usize>], prior: &[u8], maps: &mut AggMaps) {
    maps.tok.clear();
    maps.ent.clear();
    maps.span.clear();
    maps.span.resize(infos.len(), (0, 0));
    if prior.len() != infos.len() {
        return;
    }
    for (i, t) in infos.iter().enumerate() {
        if let Some(c) = label_class(t, prior[i]) {
            maps.tok.entry(t.l).or_insert([0; NCLS])[c] += 1;
        }
    }
    // Names: maximal BILOU spans within a sentence.
    let n = infos.len();
    for s in sents {
        let end = s.end.min(n);
        let mut i = s.start;
        while i < end {
            let Some(ty) = tag_type(prior[i]) else {
                i += 1;
                continue;
            };
            let mut j = i + 1;
            if tag_kind(prior[i]) == KIND_B {
                while j < end && tag_type(prior[j]) == Some(ty) && tag_kind(prior[j]) == KIND_I {
                    j += 1;
                }
                if j < end && tag_type(prior[j]) == Some(ty) && tag_kind(prior[j]) == KIND_L {
                    j += 1;
                }
            }
            let mut h = PHRASE_SEED;
            for t in &infos[i..j] {
                h = phrase_step(h, t.l);
            }
            maps.ent.entry(h).or_insert([0; 4])[ty] += 1;
            for k in i..j {
                maps.span[k] = (h, (j - i) as u32);
            }
            i = j;
        }
    }
    for s in sents {
        let end = s.end.min(n);
        for i in s.start..end {
            let t = &infos[i];
            let own = prior[i];
            let own_cls = label_class(t, own);
            let mut agg = AGG_PRESENT | own as u32;
            let mut conflict = false;
            // Other mentions of the word.
            if let Some(c) = maps.tok.get(&t.l) {
                let mut c = *c;
                if let Some(k) = own_cls {
                    c[k] = c[k].saturating_sub(1);
                }
                if let Some(m) = majority(&c) {
                    let unanimous = c.iter().filter(|&&n| n > 0).count() == 1;
                    agg |= ((m as u32 + 1) << 5) | ((unanimous as u32) << 8);
                    // Worth decoding again: the word's other mentions mostly read otherwise
                    // (not mere disagreement among them: frequent names always have some,
                    // and decoding every sentence again would double the tagger's time).
                    conflict |= c[m] >= 2
                        && match own_cls {
                            Some(k) => k != m && 2 * c[k] < c[m],
                            None => m < 4 && t.flags & FL_INITCAP != 0,
                        };
                }
            }
            let own_ty = tag_type(own);
            let (h, len) = maps.span[i];
            if let (Some(ty), true) = (own_ty, len > 0) {
                if let Some(c) = maps.ent.get(&h) {
                    let mut c = *c;
                    c[ty] = c[ty].saturating_sub(1);
                    if let Some(m) = majority(&c) {
                        agg |= (m as u32 + 1) << 9;
                        conflict |= m != ty;
                    }
                }
            }
            let prev = if i > s.start { prior[i - 1] } else { TAG_BOS };
            let next = if i + 1 < end { prior[i + 1] } else { TAG_BOS };
            agg |= ((prev as u32) << 15) | ((next as u32) << 20);
            if conflict {
                agg |= AGG_CONFLICT;
            }
            infos[i].agg = agg;
        }
    }
}

/// Features of the first stage's labels (second stage only: nothing when `agg` is 0).
pub(crate) fn agg_features(c: &TokInfo, out: &mut Vec<u64>) {
    if c.agg & AGG_PRESENT == 0 {
        return;
    }
    let a = c.agg as u64;
    let own = a & 0x1f;
    let tok = (a >> 5) & 7;
    let unanimous = (a >> 8) & 1;
    let ent = (a >> 9) & 7;
    let nb = (a >> 15) & 0x3ff;
    let pos = (c.flags & (FL_FIRST | FL_CAPSENT | FL_INITCAP)) as u64;
    out.push(f1(t::AGG_OWN, own));
    out.push(f3(t::AGG_TOK, tok, unanimous, pos));
    out.push(f2(t::AGG_TOK_SS, tok, c.sshape));
    out.push(f2(t::AGG_TOK_OWN, tok, own));
    out.push(f2(t::AGG_ENT, ent, own));
    out.push(f2(t::AGG_NB, nb, own));
}

/// Document history of a word: entity types it was tagged with earlier (bits 0..4),
/// whether it was seen capitalised but outside any entity (bit 4), and its last label
/// (bits 5..8: 0 none, 1..=4 type + 1, 5 O).
pub(crate) fn hist_record(old: u8, tag: u8, info: &TokInfo) -> Option<u8> {
    match tag_type(tag) {
        Some(ty) => Some((old & 0x1f) | (1 << ty) | ((ty as u8 + 1) << 5)),
        None => {
            let capitalised = info.flags & FL_INITCAP != 0 && info.flags & (FL_FIRST | FL_CAPSENT) == 0;
            capitalised.then_some((old & 0x1f) | (1 << 4) | (5 << 5))
        }
    }
}

/// Features of the word's document history (fixed while a sentence is decoded).
pub(crate) fn hist_features(c: &TokInfo, hist: u8, out: &mut Vec<u64>) {
    if hist == 0 {
        return;
    }
    for b in 0..5 {
        if hist & (1 << b) != 0 {
            out.push(f1(t::HIST, b));
        }
    }
    let last = (hist >> 5) as u64;
    out.push(f2(t::HISTLAST, last, (c.flags & FL_CAPSENT) as u64));
    out.push(f2(t::HIST_SS, last, c.sshape));
}

/// Number of features that depend on the previous tags.
pub(crate) const NDYN: usize = 4;

/// Features that depend on the previous two tags.
#[inline]
pub(crate) fn dynamic_features(c: &TokInfo, prev1: u8, prev2: u8) -> [u64; NDYN] {
    [f1(t::P1, prev1 as u64), f2(t::P2, prev2 as u64, prev1 as u64), f2(t::P1_L, prev1 as u64, c.l), f2(t::P1_SS, prev1 as u64, c.sshape)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilou_constraints() {
        let b_per = tag(0, KIND_B);
        let i_per = tag(0, KIND_I);
        let l_per = tag(0, KIND_L);
        let u_org = tag(1, KIND_U);
        assert!(allowed(TAG_BOS, b_per, false));
        assert!(!allowed(TAG_BOS, b_per, true));
        assert!(allowed(b_per, i_per, false));
        assert!(!allowed(b_per, i_per, true));
        assert!(allowed(b_per, l_per, true));
        assert!(!allowed(b_per, TAG_O, false));
        assert!(!allowed(b_per, tag(1, KIND_L), false));
        assert!(allowed(l_per, u_org, true));
        assert!(!allowed(TAG_O, l_per, false));
        for p in 0..=NTAGS as u8 {
            for c in 0..NTAGS as u8 {
                assert_eq!(allowed_mask(p, true) & (1 << c) != 0, allowed(p, c, true));
            }
        }
    }

    #[test]
    fn normalisation() {
        let mut s = String::new();
        for t in ["“", "’s", "Chávez", "—", "Nicolás"] {
            normalize_into(t, &mut s);
            s.push(' ');
        }
        assert_eq!(s, "\" 's Chavez -- Nicolas ");
    }
}
