//! Word clusters learnt without labels (`data/models/clusters.tsv.zst`, made by
//! `scripts/clusters/generate.py`): for ~50-70k frequent lowercase word forms, a path in
//! a binary hierarchy of words used in similar contexts. The entity tagger, the UPOS
//! tagger and the dependency parser use path prefixes as features, so words rare or absent in its labelled training data share
//! weights with frequent words of the same cluster.
//!
//! The table is compiled into the binary and decoded once, on first use.

use crate::hashing::IdMap;
use std::sync::OnceLock;

use xxhash_rust::xxh3::xxh3_64;

static CLUSTERS: &[u8] = include_bytes!("../../data/models/clusters.tsv.zst");

/// Longest path kept (bits).
const MAX_BITS: u32 = 24;

/// A word's cluster path: the bits in the low 24 bits, the length above them; 0 for a
/// word without a cluster.
pub(crate) type Path = u32;

pub(crate) struct Clusters {
    map: IdMap<Path>,
    /// Hash of the table's text: part of the models' fingerprints.
    pub(crate) fingerprint: u64,
}

impl Clusters {
    pub(crate) fn get() -> &'static Clusters {
        static C: OnceLock<Clusters> = OnceLock::new();
        C.get_or_init(|| Clusters::parse(&zstd::decode_all(CLUSTERS).unwrap_or_default()))
    }

    fn parse(raw: &[u8]) -> Clusters {
        let text = std::str::from_utf8(raw).unwrap_or_default();
        let mut map = IdMap::with_capacity_and_hasher(text.len() / 20, Default::default());
        for line in text.lines() {
            let Some((word, bits)) = line.split_once('\t') else {
                continue;
            };
            let mut path = 0u32;
            let mut len = 0u32;
            for b in bits.bytes().take(MAX_BITS as usize) {
                path = (path << 1) | (b == b'1') as u32;
                len += 1;
            }
            if len > 0 {
                map.insert(key(word), path | (len << MAX_BITS));
            }
        }
        Clusters { map, fingerprint: xxh3_64(raw) }
    }

    /// Every (key, path) pair, in no particular order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u64, Path)> + '_ {
        self.map.iter().map(|(&k, &p)| (k, p))
    }

    /// Path of a word given `key` of its lowercase form (0 when it has none). The tagger,
    /// the parser and the entity tagger read paths through their own prefetchable tables
    /// (`model_bytes::KeyTable`, built from `entries`); tests compare them with this.
    #[cfg(test)]
    pub(crate) fn path(&self, key: u64) -> Path {
        self.map.get(&key).copied().unwrap_or(0)
    }
}

/// Lookup key of a lowercase word form.
#[inline]
pub(crate) fn key(lower: &str) -> u64 {
    xxh3_64(lower.as_bytes())
}

/// The first `n` bits of a path (the whole path when shorter) as a feature value, distinct
/// for different lengths; words without a cluster give their own value.
#[inline]
pub(crate) fn prefix(p: Path, n: u32) -> u64 {
    let len = p >> MAX_BITS;
    if len == 0 {
        return 0xC1u64 << 40;
    }
    let bits = p & ((1 << MAX_BITS) - 1);
    let k = n.min(len);
    ((bits >> (len - k)) as u64) | ((k as u64) << 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_prefixes() {
        let c = Clusters::parse(b"the\t0110\nof\t0111\nparis\t1\n");
        let (a, b) = (c.path(key("the")), c.path(key("of")));
        assert_eq!(prefix(a, 3), prefix(b, 3));
        assert_ne!(prefix(a, 4), prefix(b, 4));
        assert_eq!(prefix(c.path(key("paris")), 6), prefix(c.path(key("paris")), 1));
        assert_eq!(c.path(key("unknown")), 0);
        assert_ne!(prefix(0, 4), prefix(a, 4));
        assert!(!Clusters::get().map.is_empty());
    }
}
