//! Duplicate marking for `clean`: exact duplicates (same cleaned text) and near duplicates
//! (wire copies with a changed first line or dateline, an appended correction, a few words
//! edited), by MinHash over word shingles with LSH banding.
//!
//! The work is split so the result does not depend on the thread count:
//! - [`signature`] is a pure function of an article's cleaned text (and the config); `clean`
//!   computes it in its parallel per-article map.
//! - [`Dedupe::mark`] folds the articles in input order in one sequential pass: an exact match
//!   on the content hash first, else an LSH lookup whose candidates are verified from their
//!   stored sketch, shingle count and figures ([`is_near`]): estimated Jaccard similarity at or
//!   above `[clean] near_duplicate_threshold` (t); or at least t - 0.2 with the same figures
//!   (a copy with a few words edited or its first line changed, where short texts lose many
//!   shingles, unlike a templated report with other numbers); or at least t - 0.3 with one
//!   text nearly contained in the other (a correction appended, a shortened copy). The most
//!   similar passing candidate wins (ties: the earliest). An article that is no duplicate is
//!   inserted, so `duplicate_of` always names the first article of a group. Lookups and
//!   inserts are O(bands) per article: linear in the dump, no all-pairs.
//!
//! Shingles are runs of [`SHINGLE_WORDS`] consecutive words, where a word is a run of letters
//! or digits, lowercased, and a number keeps its inner `.`/`,` ("1.1", "829,000"): numbers
//! count, so two earnings tables from one template with different figures share few shingles.
//! Figures are the words holding a digit and the number words ("three"). Texts with fewer
//! than `[clean] near_duplicate_min_words` words are only matched exactly.
//!
//! Index memory per inserted (non-duplicate, long enough) article: the sketch
//! ([`SKETCH_BYTES`] = 64 bytes: the low 4 bits of each of the 128 min-hashes, "b-bit
//! MinHash"), the shingle count and a 64-bit Bloom filter of the figures (16 bytes), the
//! article id (16 bytes) and one `u32 -> u32` entry in each of the [`BANDS`] band tables (8
//! bytes + 1 control byte per hashbrown bucket, 44-87% full): 96 + 16 x (10 to 20) = about 260
//! to 420 bytes, ~485 measured on Reuters-21578 (see [`NearIndex::heap_bytes`], capacity, not
//! length); a 1M-article dump needs about 450 MB at worst (just after the tables double). A
//! band table keeps the first article with a given band value only (later ones are still
//! found through their other bands), so an entry never grows into a list. Bands of 2 rows
//! find a pair at Jaccard 0.4 with probability 0.94 (16 bands), 0.6 with 0.9993.
//!
//! Measured on Reuters-21578 with 1000 planted, lightly edited copies (the `eval` test below):
//! recall 92.0%, originals marked and judged distinct 0.52% (an upper bound: the judge also
//! counts repeats that differ in one figure's spelling); signatures ~400 ms and index ~9 ms
//! per 10k articles on one core.

use crate::config::CleanConfig;
use crate::ids;
use crate::tables::schema::ArticleRow;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use xxhash_rust::xxh3::xxh3_64;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 3;
/// Min-hashes per signature; each is kept as 4 bits for verification.
pub const NUM_HASHES: usize = 128;
/// Bytes of a stored sketch: two 4-bit min-hashes per byte.
pub const SKETCH_BYTES: usize = NUM_HASHES / 2;
/// LSH bands, each the hash of [`ROWS`] full 32-bit min-hashes.
pub const BANDS: usize = 16;
/// Min-hashes per band.
pub const ROWS: usize = 2;
/// Containment (shared shingles over the smaller set) at or above which an article whose
/// Jaccard similarity is below the threshold is still a near duplicate: a copy with a
/// correction or a first line appended, or a shortened version of an earlier story.
pub const CONTAINMENT: f64 = 0.85;
/// The containment rule needs a Jaccard similarity at least this far below the threshold
/// (0.3 at the default 0.6): below it the estimate of shared shingles is too noisy to trust.
pub const CONTAINMENT_JACCARD_MARGIN: f64 = 0.3;
/// An article whose Jaccard similarity is at most this far below the threshold (0.4 at the
/// default 0.6) is a near duplicate when its figures agree with the earlier one's: the same
/// story with a few words edited or its first line changed, not a templated report (weekly
/// figures, dividends, rates) with other numbers.
pub const FIGURES_JACCARD_MARGIN: f64 = 0.2;
/// Shingles a later article may add to an earlier one it contains and still be its near
/// duplicate (an appended correction or note), or 20% of its own, whichever is larger; a
/// longer update that contains an earlier flash is a story of its own.
pub const MAX_ADDED_SHINGLES: f64 = 24.0;

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

/// The `NUM_HASHES` min-hashes of a set of shingles (`u32::MAX` each when empty). One
/// loop compiled twice: for the x86-64 baseline, whose SSE2 has no 32-bit multiply or
/// unsigned minimum (emulated: several instructions each), and for AVX2, picked at run
/// time; integer arithmetic, so both give the same values. This loop was 3% of a whole
/// run's CPU (128 hashes per shingle).
fn min_hashes(shingles: &[u32]) -> [u32; NUM_HASHES] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { min_hashes_avx2(shingles) };
    }
    min_hashes_portable(shingles)
}

#[inline(always)]
fn min_hashes_portable(shingles: &[u32]) -> [u32; NUM_HASHES] {
    let mut mins = [u32::MAX; NUM_HASHES];
    for &x in shingles {
        for (m, s) in mins.iter_mut().zip(SEEDS.iter()) {
            *m = (*m).min(fmix32(x ^ s));
        }
    }
    mins
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn min_hashes_avx2(shingles: &[u32]) -> [u32; NUM_HASHES] {
    min_hashes_portable(shingles)
}

/// What the parallel map computes per article for the near-duplicate index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// Low 4 bits of each min-hash, two per byte.
    sketch: [u8; SKETCH_BYTES],
    /// One hash per LSH band.
    bands: [u32; BANDS],
    /// Distinct shingles in the text (saturating).
    shingles: u16,
    /// The figures in the text.
    figures: Figures,
}

/// The distinct figures of a text (numbers, number words) as a 64-bit Bloom filter (one bit
/// per figure) and their count (saturating), to tell a lightly edited copy from another
/// report built on the same template with other figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
struct Figures {
    bloom: u64,
    count: u8,
}

impl Figures {
    /// Whether the figures of the text with fewer of them are all among the other's (a
    /// text with none agrees with one that has at most two: a dateline's day, a date in a
    /// correction). Bloom bits: may say yes wrongly, never no wrongly.
    fn agree(self, other: Figures) -> bool {
        let (small, large) = if self.count <= other.count { (self, other) } else { (other, self) };
        if small.count == 0 {
            return large.count <= 2;
        }
        small.bloom & !large.bloom == 0
    }
}

impl Signature {
    /// Estimated Jaccard similarity of the two shingle sets. With 4 bits per min-hash two
    /// different minima agree by chance 1 time in 16, which the estimate corrects for
    /// ("b-bit minwise hashing"; standard error about 0.045 at J = 0.7 with 128 hashes).
    pub fn similarity(&self, other: &Signature) -> f64 {
        similarity(&self.sketch, &other.sketch)
    }

    fn meta(&self) -> Meta {
        Meta { shingles: self.shingles, figures: self.figures }
    }

    /// The LSH band keys: two articles are near-duplicate candidates when they share one
    /// (same band index, same key). Engines self-join on them (see `crate::api`).
    pub fn band_keys(&self) -> &[u32; BANDS] {
        &self.bands
    }

    /// The signature as [`SIGNATURE_BYTES`] bytes, to carry it between processes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SIGNATURE_BYTES);
        out.extend_from_slice(&self.sketch);
        self.bands.iter().for_each(|b| out.extend_from_slice(&b.to_le_bytes()));
        out.extend_from_slice(&self.shingles.to_le_bytes());
        out.extend_from_slice(&self.figures.bloom.to_le_bytes());
        out.push(self.figures.count);
        out
    }

    /// Read back [`Signature::to_bytes`]; None when the bytes are not a signature.
    pub fn from_bytes(b: &[u8]) -> Option<Signature> {
        if b.len() != SIGNATURE_BYTES {
            return None;
        }
        let (sketch, rest) = b.split_at(SKETCH_BYTES);
        let (bands, rest) = rest.split_at(BANDS * 4);
        let mut sig = Signature {
            sketch: sketch.try_into().ok()?,
            bands: [0; BANDS],
            shingles: u16::from_le_bytes(rest.get(..2)?.try_into().ok()?),
            figures: Figures { bloom: u64::from_le_bytes(rest.get(2..10)?.try_into().ok()?), count: *rest.get(10)? },
        };
        for (band, chunk) in sig.bands.iter_mut().zip(bands.chunks_exact(4)) {
            *band = u32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(sig)
    }
}

/// Bytes of [`Signature::to_bytes`]: sketch, band keys, shingle count, figures.
pub const SIGNATURE_BYTES: usize = SKETCH_BYTES + BANDS * 4 + 2 + 8 + 1;

fn similarity(a: &[u8; SKETCH_BYTES], b: &[u8; SKETCH_BYTES]) -> f64 {
    let same: u32 = a.iter().zip(b).map(|(x, y)| (x ^ y) & 0x0f == 0).map(u32::from).sum::<u32>()
        + a.iter().zip(b).map(|(x, y)| (x ^ y) & 0xf0 == 0).map(u32::from).sum::<u32>();
    let same = same as f64 / NUM_HASHES as f64;
    const CHANCE: f64 = 1.0 / 16.0;
    ((same - CHANCE) / (1.0 - CHANCE)).max(0.0)
}

/// Hashes of the words of `text`: runs of letters/digits, lowercased; `.` and `,` between two
/// digits stay inside the number.
#[cfg(test)]
fn word_hashes(text: &str, out: &mut Vec<u64>) {
    word_hashes_and_figures(text, out, &mut Vec::new());
}

/// Number words that state a figure in news prose ("three ships", "five cts").
const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
];

/// [`word_hashes`], and in `figures` the hashes of the words that are figures: those holding
/// a digit, and number words.
fn word_hashes_and_figures(text: &str, out: &mut Vec<u64>, figures: &mut Vec<u64>) {
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    let mut prev_digit = false;
    let mut has_digit = false;
    let mut push = |word: &mut String, has_digit: &mut bool| {
        let h = xxh3_64(word.as_bytes());
        out.push(h);
        if *has_digit || (word.len() <= 9 && NUMBER_WORDS.contains(&word.as_str())) {
            figures.push(h);
        }
        word.clear();
        *has_digit = false;
    };
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
            prev_digit = c.is_ascii_digit();
            has_digit |= prev_digit;
        } else if (c == '.' || c == ',') && prev_digit && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            word.push(c);
            prev_digit = false;
        } else {
            if !word.is_empty() {
                push(&mut word, &mut has_digit);
            }
            prev_digit = false;
        }
    }
    if !word.is_empty() {
        push(&mut word, &mut has_digit);
    }
}

/// The near-duplicate signature of a cleaned text, or `None` when the text has fewer than
/// `min_words` words (or fewer than one shingle): those are matched exactly only.
pub fn signature_of(text: &str, min_words: usize) -> Option<Signature> {
    signature_with(text, min_words, SHINGLE_WORDS)
}

fn signature_with(text: &str, min_words: usize, shingle_words: usize) -> Option<Signature> {
    let mut words = Vec::with_capacity(text.len() / 5 + 1);
    let mut figure_words = Vec::new();
    word_hashes_and_figures(text, &mut words, &mut figure_words);
    if words.len() < min_words.max(shingle_words) {
        return None;
    }
    let mut shingles: Vec<u32> = words
        .windows(shingle_words)
        .map(|w| {
            let mut h = 0x517c_c1b7_2722_0a95_u64;
            for &x in w {
                h = (h.rotate_left(23) ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            }
            (h ^ (h >> 32)) as u32
        })
        .collect();
    shingles.sort_unstable();
    shingles.dedup();
    let mins = min_hashes(&shingles);
    let mut sketch = [0u8; SKETCH_BYTES];
    for (b, m) in sketch.iter_mut().zip(mins.chunks_exact(2)) {
        *b = (m[0] & 0x0f) as u8 | ((m[1] & 0x0f) as u8) << 4;
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
    figure_words.sort_unstable();
    figure_words.dedup();
    let figures = Figures {
        bloom: figure_words.iter().fold(0u64, |b, h| b | 1 << (h >> 58)),
        count: u8::try_from(figure_words.len()).unwrap_or(u8::MAX),
    };
    Some(Signature { sketch, bands, shingles: u16::try_from(shingles.len()).unwrap_or(u16::MAX), figures })
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
    sketches: Vec<[u8; SKETCH_BYTES]>,
    /// Shingle counts and figures of each inserted article.
    meta: Vec<Meta>,
    ids: Vec<u128>,
    bands: Vec<BandTable>,
}

/// What the index keeps of an inserted article besides its sketch.
#[derive(Clone, Copy, Debug)]
struct Meta {
    shingles: u16,
    figures: Figures,
}

/// Whether a later article is a near duplicate of an earlier one, from the estimated Jaccard
/// similarity `j` of their shingle sets, the set sizes and figures:
/// - `j` at or above `threshold`; or
/// - `j` at least `threshold` - [`FIGURES_JACCARD_MARGIN`] and the figures agree; or
/// - `j` at least `threshold` - [`CONTAINMENT_JACCARD_MARGIN`], the estimated shared
///   shingles cover [`CONTAINMENT`] (or `threshold`, if higher) of the smaller set, and the
///   later article adds at most [`MAX_ADDED_SHINGLES`] or 20% of its shingles.
fn is_near(j: f64, earlier: Meta, later: Meta, threshold: f64) -> bool {
    if j >= threshold {
        return true;
    }
    if j >= threshold - FIGURES_JACCARD_MARGIN && earlier.figures.agree(later.figures) {
        return true;
    }
    if j < threshold - CONTAINMENT_JACCARD_MARGIN {
        return false;
    }
    let (a, b) = (earlier.shingles as f64, later.shingles as f64);
    // |A ∩ B| = J (|A| + |B|) / (1 + J)
    let shared = j * (a + b) / (1.0 + j);
    shared >= CONTAINMENT.max(threshold) * a.min(b) && b - shared <= MAX_ADDED_SHINGLES.max(0.2 * b)
}

impl NearIndex {
    pub fn new(threshold: f64) -> NearIndex {
        NearIndex {
            threshold,
            sketches: Vec::new(),
            meta: Vec::new(),
            ids: Vec::new(),
            bands: (0..BANDS).map(|_| BandTable::default()).collect(),
        }
    }

    /// The earlier article `sig` is a near duplicate of: among the candidates sharing a band
    /// that pass [`is_near`], the most similar one (ties: the earliest).
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
            if is_near(s, self.meta[slot as usize], sig.meta(), self.threshold)
                && best.is_none_or(|(bs, bslot)| s > bs || (s == bs && slot < bslot))
            {
                best = Some((s, slot));
            }
        }
        best.map(|(_, slot)| self.ids[slot as usize])
    }

    /// Add an article that is no duplicate.
    pub fn insert(&mut self, sig: &Signature, id: u128) {
        let slot = u32::try_from(self.ids.len()).expect("near-duplicate index holds at most 2^32 articles");
        self.sketches.push(sig.sketch);
        self.meta.push(sig.meta());
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
        self.sketches.capacity() * SKETCH_BYTES
            + self.meta.capacity() * std::mem::size_of::<Meta>()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::clean::clean_record;
    use crate::tables::schema::RecordRow;

    const STORY: &str = "The European Community's farm ministers agreed early on Tuesday to cut guaranteed prices \
        for cereals by 2.5 pct in the coming season, diplomats said, after two days of talks in Brussels that \
        ended a long dispute over the level of farm support. The agreement, which still needs the formal approval \
        of the Council of Ministers, also freezes the prices of milk and butter and trims the intervention buying \
        of beef, officials said. Britain and West Germany had opposed deeper cuts, while France argued for a \
        larger reduction in the cost of storing surplus grain, the diplomats added.";

    fn config() -> CleanConfig {
        CleanConfig::default()
    }

    #[test]
    fn min_hashes_are_the_same_on_every_code_path() {
        let mut x = 12345u64;
        let shingles: Vec<u32> = (0..777)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (x >> 32) as u32
            })
            .chain([0, u32::MAX])
            .collect();
        let want = min_hashes_portable(&shingles);
        assert_eq!(min_hashes(&shingles), want);
        assert_eq!(min_hashes(&[]), [u32::MAX; NUM_HASHES]);
        assert_eq!(want[0], shingles.iter().map(|&s| fmix32(s ^ SEEDS[0])).min().unwrap_or(u32::MAX));
    }

    fn sig(text: &str) -> Signature {
        signature(&config(), text).expect("long enough")
    }

    #[test]
    fn signatures_round_trip_through_bytes() {
        let s = sig(STORY);
        let bytes = s.to_bytes();
        assert_eq!(bytes.len(), SIGNATURE_BYTES);
        assert_eq!(Signature::from_bytes(&bytes), Some(s));
        assert_eq!(Signature::from_bytes(&bytes[1..]), None);
    }

    #[test]
    fn edited_copies_are_found() {
        let original = sig(STORY);
        let copies = [
            format!("BRUSSELS, March 3 - {STORY}"),
            format!("{STORY} (Corrects second paragraph to show milk prices are frozen, not cut.)"),
            STORY.replace("early on Tuesday", "on Tuesday").replace("deeper", "bigger"),
            STORY.replace("diplomats said", "diplomatic sources said").replace("Britain and", "Britain, Denmark and"),
        ];
        for c in &copies {
            let s = sig(c);
            assert!(original.similarity(&s) >= 0.8, "{:.3} for {c}", original.similarity(&s));
            let mut index = NearIndex::new(0.8);
            index.insert(&original, 7);
            assert_eq!(index.find(&s), Some(7), "{c}");
        }
    }

    #[test]
    fn template_texts_are_not_marked() {
        // Earnings tables share a template: only the figures differ.
        let a = "Shr 45 cts vs 58 cts Net 1.1 mln vs 829,000 Revs 12.3 mln vs 10.1 mln Nine mths Shr 1.20 dlrs vs \
                 1.05 dlrs Net 3.2 mln vs 2.6 mln Revs 35.1 mln vs 31.7 mln NOTE: 1986 net includes tax credit";
        let b = "Shr 12 cts vs 30 cts Net 410,000 vs 1.0 mln Revs 8.7 mln vs 9.2 mln Nine mths Shr 85 cts vs \
                 97 cts Net 2.9 mln vs 3.3 mln Revs 27.4 mln vs 28.0 mln NOTE: 1986 net includes tax credit";
        let (sa, sb) = (signature_of(a, 0).unwrap(), signature_of(b, 0).unwrap());
        assert!(sa.similarity(&sb) < 0.5, "{}", sa.similarity(&sb));
        let mut index = NearIndex::new(0.8);
        index.insert(&sa, 1);
        assert_eq!(index.find(&sb), None);
        // Below the minimum length there is no signature at all: exact matches only.
        assert!(signature(&config(), "Shr 45 cts vs 58 cts Net 1.1 mln vs 829,000").is_none());
        // An unrelated story is not a candidate.
        let other = "Japan's exports rose 4.1 pct in February from a year earlier, the Finance Ministry said, as car and \
                     electronics shipments to the United States recovered from a weak January, and the trade surplus \
                     widened to 7.2 billion dlrs from 5.9 billion a year ago, the ministry added in its report.";
        assert_eq!(index.find(&sig(other)), None);
    }

    #[test]
    fn short_copies_found_templates_with_other_figures_not() {
        let config = config();
        let find = |earlier: &str, later: &str| {
            let mut index = NearIndex::new(config.near_duplicate_threshold);
            index.insert(&signature(&config, earlier).unwrap(), 1);
            index.find(&signature(&config, later).unwrap())
        };
        let short = "Sterling Software Inc said it received consent of a majority of the holders of its eight pct \
                     convertible senior subordinated debentures required to purchase shares of its common stock.";
        // A correction nearly as long as the story (containment).
        assert_eq!(
            find(short, &format!("{short} Editor's note: this story was corrected to show the figure is 73 mln dlrs, not 49 mln.")),
            Some(1)
        );
        // Its first line changed and two words edited: few shingles left, the figures agree.
        let edited = short
            .replace("Sterling Software Inc said it received", "The company, a maker of accounting programs, has received")
            .replace("majority", "large majority");
        assert_eq!(find(short, &edited), Some(1));
        // The same weekly report with this week's figures is another article.
        let week = |a: &str, b: &str, c: &str, d: &str, e: &str, f: &str| {
            let moved = if a > c { "rose" } else { "fell" };
            format!(
                "New applications for unemployment insurance benefits {moved} to a seasonally adjusted {a} in the week ended \
                 March {b} from {c} in the prior week, the Labor Department said. The number of people actually receiving \
                 benefits under regular state programs totaled {d} in the week ended March {e}, the latest period for which \
                 that figure was available. That compared with {f} the previous week."
            )
        };
        let (w1, w2) = (
            week("341,000", "14", "340,000", "2,454,000", "7", "2,507,000"),
            week("332,000", "21", "341,000", "2,480,000", "14", "2,454,000"),
        );
        let (s1, s2) = (signature(&config, &w1).unwrap(), signature(&config, &w2).unwrap());
        assert!(s1.similarity(&s2) < config.near_duplicate_threshold, "{}", s1.similarity(&s2));
        assert_eq!(find(&w1, &w2), None);
        // A long update that contains an earlier flash is a story of its own.
        assert_eq!(find(short, &format!("{short} {STORY}")), None);
    }

    #[test]
    fn figures_agree() {
        let f = |t: &str| {
            let (mut w, mut fig) = (Vec::new(), Vec::new());
            word_hashes_and_figures(t, &mut w, &mut fig);
            fig.sort_unstable();
            fig.dedup();
            Figures { bloom: fig.iter().fold(0u64, |b, h| b | 1 << (h >> 58)), count: fig.len() as u8 }
        };
        assert_eq!(f("three ships, 4.5 pct and 1,200 tonnes").count, 3);
        assert!(f("rose 4.5 pct to 1,200").agree(f("LONDON, March 3 - rose 4.5 pct to 1,200")));
        assert!(!f("three grain ships loading").agree(f("six grain ships loading")));
        assert!(f("no figures here").agree(f("March 3, 1987")));
        assert!(!f("no figures here").agree(f("1 2 3")));
    }

    #[test]
    fn numbers_are_words_and_case_is_ignored() {
        let mut w = Vec::new();
        word_hashes("Net 1.1 mln vs 829,000. NET", &mut w);
        assert_eq!(w.len(), 6);
        assert_eq!(w[0], w[5]);
        assert_eq!(w[1], xxh3_64(b"1.1"));
        assert_eq!(w[4], xxh3_64(b"829,000"));
    }

    #[test]
    fn estimate_tracks_jaccard() {
        // Sets of distinct "words": shingles overlap as the word lists do.
        let words: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
        let a = words[..300].join(" ");
        let b = words[100..].join(" ");
        // 3-shingles: a has 298, b 298, shared 198 -> J = 198/398.
        let j = signature_of(&a, 0).unwrap().similarity(&signature_of(&b, 0).unwrap());
        assert!((j - 198.0 / 398.0).abs() < 0.12, "{j}");
    }

    #[test]
    fn deterministic() {
        assert_eq!(sig(STORY), sig(STORY));
        // Fixed seeds: the same bytes on every machine and run.
        assert_eq!(sig(STORY).bands, sig(&STORY.replace(' ', "\n")).bands);
    }

    fn record(id: &str, text: &str) -> RecordRow {
        RecordRow { input_file: "t.jsonl".into(), input_position: 1, source_id: Some(id.into()), text: text.into(), ..Default::default() }
    }

    #[test]
    fn clean_then_mark() {
        let config = config();
        let texts = [
            ("a", STORY.to_string()),
            ("b", format!("LONDON, March 4 - {STORY}")),
            ("c", STORY.to_string()),
            ("d", "Shr 45 cts vs 58 cts Net 1.1 mln vs 829,000".to_string()),
            ("e", "Shr 45 cts vs 58 cts Net 1.2 mln vs 829,000".to_string()),
            ("f", format!("LONDON, March 4 - {STORY}")),
        ];
        let mut dedupe = Dedupe::new(&config);
        let mut rows = Vec::new();
        for (id, text) in &texts {
            let (mut row, content) = clean_record(record(id, text), &config).unwrap();
            let s = signature(&config, &row.text);
            let mark = dedupe.mark(&mut row, content, s.as_ref());
            rows.push((row, mark));
        }
        let first = rows[0].0.article_id.clone();
        let marks: Vec<_> = rows.iter().map(|(r, m)| (*m, r.duplicate_of.clone())).collect();
        assert_eq!(
            marks,
            vec![
                (Mark::Unique, None),
                (Mark::Near, Some(first.clone())),
                (Mark::Exact, Some(first.clone())),
                (Mark::Unique, None),
                (Mark::Unique, None),
                // An exact copy of a near duplicate points at the group's first article.
                (Mark::Exact, Some(first)),
            ]
        );
        // Off: exact duplicates only.
        let off = CleanConfig { near_duplicates: false, ..config.clone() };
        let mut dedupe = Dedupe::new(&off);
        let marks: Vec<_> = texts[..3]
            .iter()
            .map(|(id, text)| {
                let (mut row, content) = clean_record(record(id, text), &off).unwrap();
                let s = signature(&off, &row.text);
                dedupe.mark(&mut row, content, s.as_ref())
            })
            .collect();
        assert_eq!(marks, vec![Mark::Unique, Mark::Unique, Mark::Exact]);
    }

    #[test]
    fn same_dump_id_different_text_is_no_duplicate() {
        let config = config();
        let mut dedupe = Dedupe::new(&config);
        let (mut a, ca) = clean_record(record("x", "First story about cocoa."), &config).unwrap();
        let (mut b, cb) = clean_record(record("x", "Second story about coffee."), &config).unwrap();
        assert_eq!(dedupe.mark(&mut a, ca, None), Mark::Unique);
        assert_eq!(dedupe.mark(&mut b, cb, None), Mark::Unique);
        assert_ne!(a.article_id, b.article_id);
        assert_eq!(b.duplicate_of, None);
    }
}

/// Evaluation on Reuters-21578 with planted, lightly edited copies. Rerun with
///
/// ```sh
/// cargo test --release --lib stages::dedupe::eval -- --ignored --nocapture
/// ```
///
/// `NEWSGRID_REUTERS` overrides the dump path (default
/// `/work/shared/data/reuters21578/reuters21578.jsonl`), `NEWSGRID_PLANT` the number of copies
/// (1000), `NEWSGRID_SEED` the seed (1). The near-duplicate marks on the original articles go
/// to `target/near_dup_marks.txt` for inspection. Reports recall on the planted copies (by edit
/// kind and original length), the share of original articles marked, a threshold x
/// min-words sweep, signature and index cost, and index bytes per article.
#[cfg(test)]
mod eval {
    use super::*;
    use crate::stages::clean::clean_record;
    use crate::tables::schema::RecordRow;
    use rayon::prelude::*;
    use std::fmt::Write as _;
    use std::time::Instant;

    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn chance(&mut self, p: f64) -> bool {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
        }
        fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
            &v[self.below(v.len())]
        }
    }

    const CITIES: &[&str] = &["NEW YORK", "LONDON", "TOKYO", "WASHINGTON", "CHICAGO", "FRANKFURT", "PARIS", "SYDNEY", "TORONTO"];
    const MONTHS: &[&str] = &["Jan", "Feb", "March", "April", "May", "June"];
    const CORRECTIONS: &[&str] = &[
        "(Corrects name of company in second paragraph to {W} from {W})",
        "Editor's note: this story was corrected to show the figure is {N} mln dlrs, not {N} mln.",
        "(Refiling to add dropped word {W} in third paragraph)",
        "CORRECTION: An earlier version of this story misstated the {W} date. It is {M} {D}, not {M} {D}.",
        "(Adds comment from company spokesman in paragraph four)",
        "The company said later it would give further details of the {W} on {M} {D}.",
    ];

    const KINDS: [&str; 5] = ["first_line", "correction", "word_edits", "rewrap", "dateline"];

    /// A lightly edited copy; returns the kinds of edit applied.
    fn edit(body: &str, vocab: &[String], first_lines: &[&str], rng: &mut Rng) -> (String, Vec<&'static str>) {
        let mut kinds: Vec<&'static str> = Vec::new();
        while kinds.is_empty() {
            for k in KINDS {
                if rng.chance(if k == "word_edits" { 0.45 } else { 0.3 }) {
                    kinds.push(k);
                }
            }
            if kinds.contains(&"first_line") && kinds.contains(&"dateline") {
                kinds.retain(|k| *k != "dateline");
            }
        }
        let mut text = body.trim_end().to_string();
        if kinds.contains(&"word_edits") {
            let mut words: Vec<String> = text.split(' ').map(String::from).collect();
            for _ in 0..1 + rng.below(5) {
                let i = rng.below(words.len());
                match rng.below(3) {
                    0 => words[i] = rng.pick(vocab).clone(),
                    1 if words.len() > 2 => {
                        words.remove(i);
                    }
                    _ => words.insert(i, rng.pick(vocab).clone()),
                }
            }
            text = words.join(" ");
        }
        if kinds.contains(&"first_line") {
            // Replace the first line (the lede's first wrapped line) with another story's.
            let rest = text.split_once('\n').map(|(_, r)| r.to_string()).unwrap_or_default();
            text = format!("{}\n{rest}", rng.pick(first_lines).trim());
        }
        if kinds.contains(&"dateline") {
            text = format!("{}, {} {} - {text}", rng.pick(CITIES), rng.pick(MONTHS), 1 + rng.below(28));
        }
        if kinds.contains(&"correction") {
            let mut c = rng.pick(CORRECTIONS).to_string();
            while let Some(i) = c.find("{W}") {
                c.replace_range(i..i + 3, rng.pick(vocab).as_str());
            }
            while let Some(i) = c.find("{N}") {
                c.replace_range(i..i + 3, &format!("{}.{}", 1 + rng.below(900), rng.below(10)));
            }
            while let Some(i) = c.find("{M}") {
                let month: &&str = rng.pick(MONTHS);
                c.replace_range(i..i + 3, month);
            }
            while let Some(i) = c.find("{D}") {
                c.replace_range(i..i + 3, &(1 + rng.below(28)).to_string());
            }
            text = format!("{text}\n    {c}");
        }
        if kinds.contains(&"rewrap") {
            // Re-flow every paragraph at another width, one blank line between paragraphs.
            let width = 50 + rng.below(40);
            let mut out = String::new();
            for para in text.split("\n    ").map(|p| p.split_whitespace().collect::<Vec<_>>()) {
                let mut line = 0;
                for w in para {
                    if line > 0 && line + w.len() + 1 > width {
                        out.push('\n');
                        line = 0;
                    } else if line > 0 {
                        out.push(' ');
                        line += 1;
                    }
                    out.push_str(w);
                    line += w.len();
                }
                out.push_str("\n\n");
            }
            text = out;
        }
        (text, kinds)
    }

    struct Item {
        id: u128,
        text: String,
        content: u128,
        words: usize,
        /// For a planted copy: index of its original among the items.
        copy_of: Option<usize>,
        kinds: Vec<&'static str>,
    }

    /// Figures of a text: words holding a digit, and number words.
    fn numbers(text: &str) -> HashSet<String> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == ','))
            .map(|w| w.trim_matches(['.', ',']).to_lowercase())
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()) || NUMBER_WORDS.contains(&w.as_str()))
            .collect()
    }

    /// Ratio of the longest common word subsequence, 2 LCS / (|a| + |b|), on the first
    /// 1500 words of each.
    fn lcs_ratio(a: &str, b: &str) -> f64 {
        let (mut x, mut y) = (Vec::new(), Vec::new());
        word_hashes(a, &mut x);
        word_hashes(b, &mut y);
        let (x, y) = (&x[..x.len().min(1500)], &y[..y.len().min(1500)]);
        if x.is_empty() || y.is_empty() {
            return 0.0;
        }
        let mut prev = vec![0u16; y.len() + 1];
        let mut cur = vec![0u16; y.len() + 1];
        for a in x {
            for (j, b) in y.iter().enumerate() {
                cur[j + 1] = if a == b { prev[j] + 1 } else { cur[j].max(prev[j + 1]) };
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        2.0 * prev[y.len()] as f64 / (x.len() + y.len()) as f64
    }

    /// An independent judge of a near-duplicate mark between two original articles: the
    /// pair is distinct (a false positive) when the shorter text holds a figure the longer
    /// does not (templated reports: the same sentences, other numbers), or when under half
    /// of their words line up.
    fn judged_distinct(a: &str, b: &str) -> bool {
        let (short, long) = if words(a) <= words(b) { (a, b) } else { (b, a) };
        let long_numbers = numbers(long);
        numbers(short).iter().any(|n| !long_numbers.contains(n)) || lcs_ratio(a, b) < 0.5
    }

    fn words(text: &str) -> usize {
        let mut v = Vec::new();
        word_hashes(text, &mut v);
        v.len()
    }

    /// The decisions for a threshold and minimum length: per item, the id it duplicates and whether by near match.
    fn run_index(items: &[Item], sigs: &[Option<Signature>], threshold: f64, min_words: usize) -> (Vec<Option<(u128, bool)>>, f64, usize) {
        let config = CleanConfig { near_duplicate_threshold: threshold, near_duplicate_min_words: min_words, ..CleanConfig::default() };
        let mut dedupe = Dedupe::new(&config);
        let started = Instant::now();
        let mut out = Vec::with_capacity(items.len());
        for (item, sig) in items.iter().zip(sigs) {
            let mut row = ArticleRow { article_id: ids::hex(item.id), ..Default::default() };
            let sig = sig.as_ref().filter(|_| item.words >= min_words);
            let mark = dedupe.mark(&mut row, item.content, sig);
            out.push(row.duplicate_of.map(|d| (ids::parse_hex(&d).unwrap(), mark == Mark::Near)));
        }
        let secs = started.elapsed().as_secs_f64();
        let bytes = dedupe.near_index().map(NearIndex::heap_bytes).unwrap_or(0) / dedupe.near_index().map_or(1, |n| n.len().max(1));
        (out, secs, bytes)
    }

    /// The evaluation dump: the Reuters originals (non-empty bodies) in file order, each planted
    /// copy at a random later position; cleaned as `clean` does. Returns the items, the number
    /// of originals and of planted copies.
    fn planted_dump() -> (Vec<Item>, usize, usize) {
        let path = std::env::var("NEWSGRID_REUTERS").unwrap_or_else(|_| "/work/shared/data/reuters21578/reuters21578.jsonl".into());
        let plant: usize = std::env::var("NEWSGRID_PLANT").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
        let seed: u64 = std::env::var("NEWSGRID_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
        let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut originals: Vec<(String, String)> = Vec::new();
        for line in raw.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let body = v["body"].as_str().unwrap_or("");
            if !body.trim().is_empty() {
                originals.push((v["newid"].to_string(), body.to_string()));
            }
        }
        let vocab: Vec<String> = originals
            .iter()
            .flat_map(|(_, b)| b.split_whitespace().filter(|w| w.chars().all(char::is_alphabetic)).take(30))
            .map(String::from)
            .collect();
        let first_lines: Vec<&str> = originals.iter().filter_map(|(_, b)| b.lines().next()).filter(|l| l.len() > 30).collect();

        // The dump: originals in file order, each planted copy at a random later position.
        let mut rng = Rng(seed);
        let mut plants: Vec<(usize, usize, String, Vec<&'static str>)> = (0..plant)
            .map(|_| {
                let of = rng.below(originals.len());
                let (text, kinds) = edit(&originals[of].1, &vocab, &first_lines, &mut rng);
                let after = of + 1 + rng.below(originals.len() - of);
                (after, of, text, kinds)
            })
            .collect();
        plants.sort_by_key(|p| p.0);
        let mut records: Vec<(RecordRow, Option<usize>, Vec<&'static str>)> = Vec::new();
        let mut position_of = vec![0usize; originals.len()];
        let mut p = 0;
        for (i, (id, body)) in originals.iter().enumerate() {
            while p < plants.len() && plants[p].0 == i {
                let (_, of, text, kinds) = &plants[p];
                let r = RecordRow { source_id: Some(format!("planted-{p}")), text: text.clone(), ..Default::default() };
                records.push((r, Some(*of), kinds.clone()));
                p += 1;
            }
            position_of[i] = records.len();
            records.push((RecordRow { source_id: Some(id.clone()), text: body.clone(), ..Default::default() }, None, Vec::new()));
        }
        for (_, of, text, kinds) in &plants[p..] {
            records.push((
                RecordRow { source_id: Some(format!("planted-tail-{of}")), text: text.clone(), ..Default::default() },
                Some(*of),
                kinds.clone(),
            ));
        }
        let config = CleanConfig { detect_language: false, ..CleanConfig::default() };
        let items: Vec<Item> = records
            .into_par_iter()
            .map(|(r, of, kinds)| {
                let (row, content) = clean_record(r, &config).unwrap();
                Item {
                    id: ids::parse_hex(&row.article_id).unwrap(),
                    words: words(&row.text),
                    text: row.text,
                    content,
                    copy_of: of.map(|o| position_of[o]),
                    kinds,
                }
            })
            .collect();

        (items, originals.len(), plants.len())
    }

    #[test]
    #[ignore = "needs the Reuters-21578 dump; run with --ignored --nocapture"]
    fn reuters_planted_copies() {
        let (items, originals_len, plants_len) = planted_dump();
        // Cost of signatures, one thread.
        let started = Instant::now();
        let k: usize = std::env::var("NEWSGRID_SHINGLE").ok().and_then(|v| v.parse().ok()).unwrap_or(SHINGLE_WORDS);
        let sigs: Vec<Option<Signature>> = items.iter().map(|it| signature_with(&it.text, 0, k)).collect();
        let sig_secs = started.elapsed().as_secs_f64();
        let n = items.len() as f64;
        let chars: usize = items.iter().map(|i| i.text.len()).sum();
        println!(
            "{} articles ({} original, {} planted), {:.0} bytes of text on average",
            items.len(),
            originals_len,
            plants_len,
            chars as f64 / n
        );
        println!("signatures: {:.0} ms per 10k articles (one thread)", sig_secs * 1e3 * 1e4 / n);

        let summarize = |threshold: f64, min_words: usize, verbose: bool| -> (f64, f64) {
            let (marks, secs, bytes) = run_index(&items, &sigs, threshold, min_words);
            // The group each original belongs to (itself, or what it duplicates) for judging copies.
            let root = |i: usize| marks[i].map_or(items[i].id, |(d, _)| d);
            let (mut planted, mut found, mut wrong) = (0usize, 0usize, 0usize);
            let mut by_kind: HashMap<&str, (usize, usize)> = HashMap::new();
            let mut misses: HashMap<&str, usize> = HashMap::new();
            let mut by_len: Vec<(usize, usize)> = vec![(0, 0); 6];
            let buckets = [0usize, 30, 50, 100, 200, 400];
            let (mut originals_n, mut near_marked, mut exact_marked, mut distinct_marked) = (0usize, 0usize, 0usize, 0usize);
            let mut report = String::new();
            for (i, item) in items.iter().enumerate() {
                match item.copy_of {
                    Some(of) => {
                        planted += 1;
                        let ok = marks[i].is_some_and(|(d, _)| d == root(of) || d == items[of].id);
                        found += ok as usize;
                        if !ok {
                            let why = if item.words < min_words.max(SHINGLE_WORDS) || items[of].words < min_words.max(SHINGLE_WORDS) {
                                "short"
                            } else {
                                let (a, b) = (sigs[of].as_ref().unwrap(), sigs[i].as_ref().unwrap());
                                let j = a.similarity(b);
                                if !is_near(j, a.meta(), b.meta(), threshold) {
                                    ["J<0.5", "J 0.5-0.6", "J 0.6-0.7", "J 0.7-0.8", "J 0.8-0.9", "J 0.9+"]
                                        [((j * 10.0) as usize).clamp(4, 9) - 4]
                                } else {
                                    "lsh miss"
                                }
                            };
                            *misses.entry(why).or_default() += 1;
                        }
                        wrong += (marks[i].is_some() && !ok) as usize;
                        let single = if item.kinds.len() == 1 { "one edit" } else { "2+ edits" };
                        let e = by_kind.entry(single).or_default();
                        e.0 += 1;
                        e.1 += ok as usize;
                        for k in &item.kinds {
                            let e = by_kind.entry(k).or_default();
                            e.0 += 1;
                            e.1 += ok as usize;
                        }
                        let b = buckets.iter().rposition(|&b| items[of].words >= b).unwrap();
                        by_len[b].0 += 1;
                        by_len[b].1 += ok as usize;
                    }
                    None => {
                        originals_n += 1;
                        match marks[i] {
                            Some((d, true)) => {
                                near_marked += 1;
                                let j = items.iter().position(|x| x.id == d).unwrap();
                                let distinct = judged_distinct(&items[j].text, &item.text);
                                distinct_marked += distinct as usize;
                                if verbose {
                                    let a = sigs[i].as_ref().zip(sigs[j].as_ref()).map_or(0.0, |(a, b)| a.similarity(b));
                                    let _ = writeln!(
                                        report,
                                        "=== #{i} ({} words) near duplicate of #{j} ({} words), estimated J {a:.2}{}\n--- earlier:\n{}\n--- later:\n{}\n",
                                        item.words,
                                        items[j].words,
                                        if distinct { ", JUDGED DISTINCT" } else { "" },
                                        items[j].text,
                                        item.text
                                    );
                                }
                            }
                            Some((_, false)) => exact_marked += 1,
                            None => {}
                        }
                    }
                }
            }
            let recall = found as f64 / planted as f64;
            let fp = distinct_marked as f64 / originals_n as f64;
            if verbose {
                println!("\nthreshold {threshold}, min words {min_words}:");
                println!(
                    "  recall on planted copies: {found}/{planted} = {:.1}% ({wrong} marked as a copy of another article)",
                    100.0 * recall
                );
                let mut misses: Vec<_> = misses.into_iter().collect();
                misses.sort();
                println!("    missed: {misses:?}");
                let mut kinds: Vec<_> = by_kind.into_iter().collect();
                kinds.sort();
                for (k, (n, f)) in kinds {
                    println!("    with {k:<11} {f}/{n} = {:.1}%", 100.0 * f as f64 / n as f64);
                }
                for (b, (n, f)) in by_len.iter().enumerate() {
                    let hi = buckets.get(b + 1).map_or("+".to_string(), |h| format!("-{}", h - 1));
                    println!("    original {:>3}{hi:<4} words: {f}/{n} = {:.1}%", buckets[b], 100.0 * *f as f64 / (*n).max(1) as f64);
                }
                println!(
                    "  originals marked near duplicate: {near_marked}/{originals_n} = {:.2}% (most are real repeats in Reuters; exact duplicates, marked before this work: {exact_marked})",
                    100.0 * near_marked as f64 / originals_n as f64
                );
                println!(
                    "  of which judged distinct (figures differ, or under half the words in common): {distinct_marked}/{originals_n} = {:.2}%",
                    100.0 * fp
                );
                println!("  index: {:.1} ms per 10k articles, {bytes} heap bytes per indexed article", secs * 1e3 * 1e4 / n);
                let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/near_dup_marks.txt");
                std::fs::write(&out, report).unwrap();
                println!("  marks on originals written to {}", out.display());
            }
            (recall, fp)
        };
        let defaults = CleanConfig::default();
        let threshold = std::env::var("NEWSGRID_THRESHOLD").ok().and_then(|v| v.parse().ok()).unwrap_or(defaults.near_duplicate_threshold);
        let min_words = std::env::var("NEWSGRID_MIN_WORDS").ok().and_then(|v| v.parse().ok()).unwrap_or(defaults.near_duplicate_min_words);
        summarize(threshold, min_words, true);
        println!("\nsweep: recall% / distinct-originals-marked% by threshold (rows) and min words (columns)");
        let mins = [0usize, 15, 20, 25, 30, 40, 50];
        println!("       {}", mins.iter().map(|m| format!("{m:>13}")).collect::<String>());
        for t in [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9] {
            let cells: String = mins
                .iter()
                .map(|&m| {
                    let (r, f) = summarize(t, m, false);
                    format!("{:>7.1}/{:<5.2}", 100.0 * r, 100.0 * f)
                })
                .collect();
            println!("  {t:<4} {cells}");
        }
    }
}
