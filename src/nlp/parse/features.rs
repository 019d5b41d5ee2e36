//! Word normalisation and feature hashing for the tagger and the parser.
//!
//! Word forms are normalised before hashing so that the project's tokens look like UD
//! English EWT words: typographic quotes and dashes become ASCII, digits become `0`
//! ("155,221" -> "000,000"), a hyphenated compound our tokenizer keeps whole
//! ("U.S.-sanctioned", "well-known"; EWT splits them at the hyphen) is represented by its
//! last part, which is its head in EWT, and "cannot" by "can". Every feature is a 64-bit
//! hash mixed from a template id and the hashes it looks at; `bucket` picks its row.

use crate::nlp::clusters::{self, Clusters};
use crate::nlp::model_bytes::KeyTable;
use crate::nlp::word_shape::{lower_into, word_shapes};
use std::sync::OnceLock;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Bump when the templates or the normalisation change: old model files stop loading.
pub(crate) const FEATURE_VERSION: u64 = 4;

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline(always)]
pub(crate) fn fmix(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^= k >> 33;
    k
}

#[inline(always)]
pub(crate) fn f1(t: u64, a: u64) -> u64 {
    fmix(p1(t, a))
}

#[inline(always)]
pub(crate) fn f2(t: u64, a: u64, b: u64) -> u64 {
    fmix(p2(t, a, b))
}

#[inline(always)]
pub(crate) fn f3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    fmix(p3(t, a, b, c))
}

/// `f1` before its final `fmix`: the parser builds its features premixed and mixes a
/// whole decision's at once (`mixed_buckets`).
#[inline(always)]
pub(crate) fn p1(t: u64, a: u64) -> u64 {
    a ^ t.wrapping_mul(K)
}

/// `f2` before its final `fmix`.
#[inline(always)]
pub(crate) fn p2(t: u64, a: u64, b: u64) -> u64 {
    a.rotate_left(23) ^ b ^ t.wrapping_mul(K)
}

/// `f3` before its final `fmix`.
#[inline(always)]
pub(crate) fn p3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    a.rotate_left(43) ^ b.rotate_left(21) ^ c ^ t.wrapping_mul(K)
}

/// Append the buckets (`bucket`, 2^bits rows) of premixed features (`p1`..`p3`) to
/// `out`: `fmix` over a batch, a loop compiled also for AVX-512 (whose DQ part has the
/// 64-bit multiply) and picked at run time. Built one by one as scalar code, the parser's
/// feature hashes were 4-5% of a whole run. Integer arithmetic: the same buckets.
pub(crate) fn mixed_buckets(pre: &[u64], bits: u32, out: &mut Vec<u32>) {
    let start = out.len();
    out.resize(start + pre.len(), 0);
    let dst = &mut out[start..];
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512dq") {
        // SAFETY: the CPU has AVX-512 F and DQ, checked just above.
        return unsafe { mix_avx512(pre, bits, dst) };
    }
    mix_portable(pre, bits, dst);
}

#[inline(always)]
fn mix_portable(pre: &[u64], bits: u32, dst: &mut [u32]) {
    for (o, &h) in dst.iter_mut().zip(pre) {
        *o = bucket(fmix(h), bits);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
fn mix_avx512(pre: &[u64], bits: u32, dst: &mut [u32]) {
    mix_portable(pre, bits, dst)
}

/// Row of a feature in a table of 2^bits rows (the hash's top bits).
#[inline(always)]
pub(crate) fn bucket(h: u64, bits: u32) -> u32 {
    (h >> (64 - bits)) as u32
}

/// Hash of a word that is not there (before the start, after the end).
pub(crate) const NONE_HASH: u64 = 0x5bd1_e995_1234_5678;
/// Hash of the parser's root pseudo-word.
pub(crate) const ROOT_HASH: u64 = 0x2545_f491_4f6c_dd1d;

/// Per-word hashes the tagger and the parser look at.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WordFeats {
    /// Normalised form, case kept.
    pub(crate) form: u64,
    /// Normalised form, lowercase.
    pub(crate) lower: u64,
    pub(crate) prefix: [u64; 4],
    pub(crate) suffix: [u64; 4],
    pub(crate) shape: u64,
    pub(crate) short_shape: u64,
    /// Word-cluster path prefixes (4, 6 and 12 bits) and the whole path (`clusters::prefix`
    /// values): rare words share weights with frequent words of their cluster.
    pub(crate) cluster: [u64; 4],
}

/// Write the normalised form of `word` into `out` (cleared first).
pub(crate) fn normalize(word: &str, out: &mut String) {
    out.clear();
    // A hyphenated compound is represented by its last part ("U.S.-sanctioned").
    let mut w = word;
    if w.chars().any(|c| c.is_alphabetic()) {
        if let Some((head, tail)) = w.rsplit_once('-') {
            let head_has_alpha = head.chars().any(|c| c.is_alphanumeric());
            if head_has_alpha && tail.chars().next().is_some_and(char::is_alphabetic) {
                w = tail;
            }
        }
    }
    if w.eq_ignore_ascii_case("cannot") {
        out.push_str(w.get(..3).unwrap_or(w));
        return;
    }
    let has_alpha = w.chars().any(char::is_alphabetic);
    for c in w.chars() {
        match c {
            '0'..='9' if !has_alpha => out.push('0'),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => out.push('"'),
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out.push('\''),
            '\u{2014}' | '\u{2015}' => out.push_str("--"),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            _ => out.push(c),
        }
        if out.len() > 64 {
            break;
        }
    }
    // Paired quotes in CoNLL/PTB style.
    if out == "``" || out == "''" {
        out.clear();
        out.push('"');
    }
}

/// Analyse one word; `norm` and `lower` are scratch strings.
#[cfg(test)]
pub(crate) fn word_feats(word: &str, norm: &mut String, lower: &mut String) -> WordFeats {
    let (mut f, key) = word_feats_but_clusters(word, norm, lower);
    set_clusters(&mut f, cluster_paths().get(key).unwrap_or(0));
    f
}

/// The word clusters as a `KeyTable` (same keys and paths as `Clusters`), so that a
/// sentence's look-ups can be prefetched together.
pub(crate) fn cluster_paths() -> &'static KeyTable<clusters::Path> {
    static T: OnceLock<KeyTable<clusters::Path>> = OnceLock::new();
    T.get_or_init(|| {
        let pairs: Vec<_> = Clusters::get().entries().collect();
        KeyTable::new(pairs.into_iter())
    })
}

/// Fill the cluster fields of `f` from the word's path.
#[inline]
pub(crate) fn set_clusters(f: &mut WordFeats, path: clusters::Path) {
    f.cluster = [clusters::prefix(path, 4), clusters::prefix(path, 6), clusters::prefix(path, 12), clusters::prefix(path, 24)];
}

/// `word_feats` without the cluster fields, and the word's cluster key.
pub(crate) fn word_feats_but_clusters(word: &str, norm: &mut String, lower: &mut String) -> (WordFeats, u64) {
    normalize(word, norm);
    lower.clear();
    lower_into(norm, lower);
    let mut f = WordFeats { form: xxh3_64(norm.as_bytes()), lower: xxh3_64_with_seed(lower.as_bytes(), 3), ..Default::default() };
    // Character boundaries of the first and last four characters.
    let l = lower.as_str();
    let mut starts = [l.len(); 4];
    for (k, (i, c)) in l.char_indices().take(4).enumerate() {
        starts[k] = i + c.len_utf8();
    }
    let mut ends = [0usize; 4];
    for (k, (i, _)) in l.char_indices().rev().take(4).enumerate() {
        ends[k] = i;
    }
    let nchars = l.chars().take(5).count();
    for k in 0..4 {
        if k < nchars {
            f.prefix[k] = xxh3_64_with_seed(&l.as_bytes()[..starts[k]], 10 + k as u64);
            f.suffix[k] = xxh3_64_with_seed(&l.as_bytes()[ends[k]..], 20 + k as u64);
        } else {
            f.prefix[k] = NONE_HASH ^ k as u64;
            f.suffix[k] = NONE_HASH ^ (k as u64) << 8;
        }
    }
    let (a, b) = word_shapes::<24>(word);
    f.shape = a;
    f.short_shape = b;
    (f, clusters::key(lower))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation() {
        let mut s = String::new();
        for (w, n) in [
            ("U.S.-sanctioned", "sanctioned"),
            ("well-known", "known"),
            ("155,221", "000,000"),
            ("2016", "0000"),
            ("“", "\""),
            ("’s", "'s"),
            ("n’t", "n't"),
            ("Cannot", "Can"),
            ("-", "-"),
            ("--", "--"),
            ("COVID-19", "COVID-19"),
            ("x-", "x-"),
        ] {
            normalize(w, &mut s);
            assert_eq!(s, n, "{w}");
        }
    }

    #[test]
    fn premixed_features_mix_to_the_same_buckets() {
        let mut x = 99u64;
        let mut next = || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            x
        };
        let mut pre = Vec::new();
        let mut want = Vec::new();
        for t in 0..300u64 {
            let (a, b, c) = (next(), next(), next());
            pre.extend([p1(t, a), p2(t, a, b), p3(t, a, b, c)]);
            want.extend([f1(t, a), f2(t, a, b), f3(t, a, b, c)].map(|h| bucket(h, 21)));
        }
        let mut out = vec![7u32];
        mixed_buckets(&pre, 21, &mut out);
        assert_eq!(out[0], 7);
        assert_eq!(&out[1..], &want[..]);
        let mut scalar = vec![0u32; pre.len()];
        mix_portable(&pre, 21, &mut scalar);
        assert_eq!(scalar, want);
    }

    #[test]
    fn affixes_of_short_and_non_ascii_words() {
        let (mut a, mut b) = (String::new(), String::new());
        let x = word_feats("é", &mut a, &mut b);
        let y = word_feats("éa", &mut a, &mut b);
        assert_eq!(x.prefix[0], y.prefix[0]);
        assert_ne!(x.suffix[0], y.suffix[0]);
        let z = word_feats("", &mut a, &mut b);
        // The prefetchable table gives the clusters' own paths.
        for w in ["the", "said", "paris", "zzqxw", ""] {
            let (_, key) = word_feats_but_clusters(w, &mut a, &mut b);
            assert_eq!(cluster_paths().get(key).unwrap_or(0), Clusters::get().path(clusters::key(w)), "{w}");
        }
        assert_ne!(cluster_paths().get(clusters::key("the")), None);
        assert_eq!(z.prefix[0], NONE_HASH);
    }
}
