//! Duplicate marking for `clean`: exact duplicates (same cleaned text) and near duplicates
//! (wire copies with a changed first line or dateline, an appended correction, a few words
//! edited), by MinHash over word shingles with LSH banding.
//!
//! The work is split so the result does not depend on the thread count:
//! - [`signature`] is a pure function of an article's cleaned text (and the config); `clean`
//!   computes it in its parallel per-article map.
//! - [`Dedupe::mark`] folds the articles in input order in one sequential pass: an exact match
//!   on the content hash first, else an LSH lookup whose candidates are verified by the Jaccard
//!   similarity estimated from the full signature; the best candidate at or above
//!   `[clean] near_duplicate_threshold` wins (ties: the earliest). An article that is no
//!   duplicate is inserted, so `duplicate_of` always names the first article of a group.
//!   Lookups and inserts are O(bands) per article: linear in the dump, no all-pairs.
//!
//! Shingles are runs of [`SHINGLE_WORDS`] consecutive words, where a word is a run of letters
//! or digits, lowercased, and a number keeps its inner `.`/`,` ("1.1", "829,000"): numbers
//! count, so two earnings tables from one template with different figures share few shingles.
//! Texts with fewer than `[clean] near_duplicate_min_words` words are only matched exactly.
//!
//! Index memory per inserted (non-duplicate, long enough) article: the sketch
//! ([`NUM_HASHES`] bytes: the low byte of each 32-bit min-hash, "b-bit MinHash"), the article
//! id (16 bytes), and one `u32 -> u32` entry in each of the [`BANDS`] band tables (8 bytes of
//! payload + 1 control byte, at hashbrown's 44-87% load): about 128 + 16 + 8 x ~14 = ~255
//! bytes, i.e. ~255 MB for 1M articles (see [`NearIndex::heap_bytes`]). A band table keeps
//! the first article with a given band value only (later ones are still found through their
//! other bands), so an entry never grows into a list.

use crate::config::CleanConfig;
use crate::ids;
use crate::tables::schema::ArticleRow;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use xxhash_rust::xxh3::xxh3_64;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 3;
/// Min-hashes per signature; each is kept as one byte for verification.
pub const NUM_HASHES: usize = 128;
/// LSH bands, each the hash of [`ROWS`] full 32-bit min-hashes.
pub const BANDS: usize = 8;
/// Min-hashes per band.
pub const ROWS: usize = 3;

/// Seeds for the min-hash lanes (SplitMix64, fixed so signatures are the same everywhere).
const SEEDS: [u32; NUM_HASHES] = {
    let mut out = [0u32; NUM_HASHES];
    let mut state = 0x6e65_7773_6772_6964u64; // "newsgrid"
    let mut i = 0;
    while i < NUM_HASHES {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        out[i] = (z ^ (z >> 31)) as u32;
        i += 1;
    }
    out
};

/// MurmurHash3's 32-bit finaliser: a bijection with full avalanche.
#[inline(always)]
fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// What the parallel map computes per article for the near-duplicate index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// Low byte of each min-hash.
    sketch: [u8; NUM_HASHES],
    /// One hash per LSH band.
    bands: [u32; BANDS],
}

impl Signature {
    /// Estimated Jaccard similarity of the two shingle sets. With one byte per min-hash two
    /// different minima agree by chance 1 time in 256, which the estimate corrects for.
    pub fn similarity(&self, other: &Signature) -> f64 {
        similarity(&self.sketch, &other.sketch)
    }
}

fn similarity(a: &[u8; NUM_HASHES], b: &[u8; NUM_HASHES]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / NUM_HASHES as f64;
    const CHANCE: f64 = 1.0 / 256.0;
    ((same - CHANCE) / (1.0 - CHANCE)).max(0.0)
}

/// Hashes of the words of `text`: runs of letters/digits, lowercased; `.` and `,` between two
/// digits stay inside the number.
fn word_hashes(text: &str, out: &mut Vec<u64>) {
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    let mut prev_digit = false;
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
            prev_digit = c.is_ascii_digit();
        } else if (c == '.' || c == ',') && prev_digit && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            word.push(c);
            prev_digit = false;
        } else {
            if !word.is_empty() {
                out.push(xxh3_64(word.as_bytes()));
                word.clear();
            }
            prev_digit = false;
        }
    }
    if !word.is_empty() {
        out.push(xxh3_64(word.as_bytes()));
    }
}

/// The near-duplicate signature of a cleaned text, or `None` when the text has fewer than
/// `min_words` words (or fewer than one shingle): those are matched exactly only.
pub fn signature_of(text: &str, min_words: usize) -> Option<Signature> {
    let mut words = Vec::with_capacity(text.len() / 5 + 1);
    word_hashes(text, &mut words);
    if words.len() < min_words.max(SHINGLE_WORDS) {
        return None;
    }
    let mut mins = [u32::MAX; NUM_HASHES];
    for w in words.windows(SHINGLE_WORDS) {
        let mut h = 0x51_7cc1_b727_220a_95u64;
        for &x in w {
            h = (h.rotate_left(23) ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
        let x = (h ^ (h >> 32)) as u32;
        for (m, s) in mins.iter_mut().zip(SEEDS.iter()) {
            *m = (*m).min(fmix32(x ^ s));
        }
    }
    let mut sketch = [0u8; NUM_HASHES];
    for (b, m) in sketch.iter_mut().zip(mins.iter()) {
        *b = *m as u8;
    }
    let mut bands = [0u32; BANDS];
    for (i, band) in bands.iter_mut().enumerate() {
        let mut h = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for &m in &mins[i * ROWS..(i + 1) * ROWS] {
            h = (h ^ m as u64).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            h ^= h >> 31;
        }
        *band = (h >> 32) as u32;
    }
    Some(Signature { sketch, bands })
}

/// The signature `clean` computes in its parallel map: `None` when near-duplicate detection
/// is off or the text is too short for it.
pub fn signature(config: &CleanConfig, text: &str) -> Option<Signature> {
    if !(config.dedupe && config.near_duplicates) {
        return None;
    }
    signature_of(text, config.near_duplicate_min_words)
}

/// The keys of the band tables are already hashes: spread them over 64 bits (hashbrown takes
/// its control byte from the top bits) and skip SipHash.
#[derive(Default)]
struct BandKeyHasher(u64);

impl Hasher for BandKeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type BandTable = HashMap<u32, u32, BuildHasherDefault<BandKeyHasher>>;

/// The run-wide near-duplicate index: sketches and ids of the articles inserted so far
/// (slot = insertion number) and one table per band from band hash to the first slot.
pub struct NearIndex {
    threshold: f64,
    sketches: Vec<[u8; NUM_HASHES]>,
    ids: Vec<u128>,
    bands: Vec<BandTable>,
}

impl NearIndex {
    pub fn new(threshold: f64) -> NearIndex {
        NearIndex { threshold, sketches: Vec::new(), ids: Vec::new(), bands: (0..BANDS).map(|_| BandTable::default()).collect() }
    }

    /// The earlier article `sig` is a near duplicate of: among the candidates sharing a band,
    /// the most similar one at or above the threshold (ties: the earliest).
    pub fn find(&self, sig: &Signature) -> Option<u128> {
        let mut best: Option<(f64, u32)> = None;
        let mut seen = [u32::MAX; BANDS];
        for (i, (table, key)) in self.bands.iter().zip(sig.bands.iter()).enumerate() {
            let Some(&slot) = table.get(key) else { continue };
            if seen[..i].contains(&slot) {
                continue;
            }
            seen[i] = slot;
            let s = similarity(&sig.sketch, &self.sketches[slot as usize]);
            if s >= self.threshold && best.is_none_or(|(bs, bslot)| s > bs || (s == bs && slot < bslot)) {
                best = Some((s, slot));
            }
        }
        best.map(|(_, slot)| self.ids[slot as usize])
    }

    /// Add an article that is no duplicate.
    pub fn insert(&mut self, sig: &Signature, id: u128) {
        let slot = u32::try_from(self.ids.len()).expect("near-duplicate index holds at most 2^32 articles");
        self.sketches.push(sig.sketch);
        self.ids.push(id);
        for (table, key) in self.bands.iter_mut().zip(sig.bands.iter()) {
            table.entry(*key).or_insert(slot);
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Heap bytes held (capacity, not length; hashbrown: 8 bytes per bucket + 1 control byte).
    pub fn heap_bytes(&self) -> usize {
        self.sketches.capacity() * NUM_HASHES
            + self.ids.capacity() * 16
            + self.bands.iter().map(|t| t.capacity() * 8 * 8 / 7 + t.capacity() * 8 / 7).sum::<usize>()
    }
}

/// What [`Dedupe::mark`] decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Unique,
    Exact,
    Near,
}

/// Run-wide duplicate state, folded in input order.
pub struct Dedupe {
    enabled: bool,
    /// Content hash -> first article of its group.
    by_content: HashMap<u128, u128>,
    ids: HashSet<u128>,
    near: Option<NearIndex>,
}

impl Dedupe {
    pub fn new(config: &CleanConfig) -> Dedupe {
        let near = (config.dedupe && config.near_duplicates).then(|| NearIndex::new(config.near_duplicate_threshold));
        Dedupe { enabled: config.dedupe, by_content: HashMap::new(), ids: HashSet::new(), near }
    }

    /// Make `row.article_id` unique in the run and set `duplicate_of` when the article is an
    /// exact or (with `sig`) near duplicate of an earlier one.
    pub fn mark(&mut self, row: &mut ArticleRow, content: u128, sig: Option<&Signature>) -> Mark {
        let mut id = ids::parse_hex(&row.article_id).unwrap_or_default();
        if !self.ids.insert(id) {
            // The same id twice in the run: keep both rows, the later one with an id
            // derived from its content, so article_id stays unique.
            id = ids::hash_parts(&[&id.to_le_bytes(), &content.to_le_bytes()]);
            let mut salt = 0u32;
            while !self.ids.insert(id) {
                salt += 1;
                id = ids::hash_parts(&[&id.to_le_bytes(), &salt.to_le_bytes()]);
            }
            row.article_id = ids::hex(id);
        }
        if !self.enabled {
            return Mark::Unique;
        }
        match self.by_content.entry(content) {
            Entry::Occupied(first) => {
                row.duplicate_of = Some(ids::hex(*first.get()));
                Mark::Exact
            }
            Entry::Vacant(slot) => {
                let (Some(near), Some(sig)) = (self.near.as_mut(), sig) else {
                    slot.insert(id);
                    return Mark::Unique;
                };
                match near.find(sig) {
                    Some(first) => {
                        // Later exact copies of this text point at the group's first article too.
                        slot.insert(first);
                        row.duplicate_of = Some(ids::hex(first));
                        Mark::Near
                    }
                    None => {
                        slot.insert(id);
                        near.insert(sig, id);
                        Mark::Unique
                    }
                }
            }
        }
    }

    /// The near-duplicate index, when on.
    pub fn near_index(&self) -> Option<&NearIndex> {
        self.near.as_ref()
    }
}
