//! Weight tables: the averaged-perceptron training table, and the quantised (i16)
//! table the tagger runs on, with its compact file format.
//!
//! File format (the whole file is one zstd frame): magic `NGNER\0\0\x01`, feature
//! fingerprint u64, table bits u32, tag count u32, unit f32 (score per quantum),
//! temperature f32, non-zero row count u32, then a bitmap of non-zero rows (one bit per
//! bucket, least significant first), then the rows' i16 weights, tag by tag, low bytes
//! then high bytes. All integers little-endian.

use super::decode::Weights;
use super::features::{NDYN, NTAGS};

/// Most groups `QTable::sum_groups` sums (the widest beam).
const MAX_GROUPS: usize = 8;
use crate::nlp::model_bytes::{add_rows, has_popcnt_avx2, read_quantized_rows, ByteReader, HugeBuf, RowIndex, FIND_BATCH};

const MAGIC: &[u8; 8] = b"NGNER\0\0\x01";

/// Averaged perceptron weights during training (`w` current, `u` time-weighted updates,
/// average = w - u / c).
pub(crate) struct TrainTable {
    bits: u32,
    w: Vec<f32>,
    u: Vec<f64>,
    c: f64,
}

impl TrainTable {
    pub(crate) fn new(bits: u32) -> TrainTable {
        let n = (1usize << bits) * NTAGS;
        TrainTable { bits, w: vec![0.0; n], u: vec![0.0; n], c: 1.0 }
    }

    /// The averaged weights.
    pub(crate) fn averaged(&self) -> FloatTable {
        let c = self.c;
        FloatTable { bits: self.bits, w: self.w.iter().zip(&self.u).map(|(&w, &u)| (w as f64 - u / c) as f32).collect() }
    }
}

/// Add one bucket's row of a dense f32 table to the tag scores.
#[inline]
fn add_row(w: &[f32], bucket: u32, acc: &mut [f32; NTAGS]) {
    let row = &w[bucket as usize * NTAGS..][..NTAGS];
    for (a, &x) in acc.iter_mut().zip(row) {
        *a += x;
    }
}

impl Weights for TrainTable {
    fn bits(&self) -> u32 {
        self.bits
    }
    #[inline]
    fn add(&self, bucket: u32, acc: &mut [f32; NTAGS]) {
        add_row(&self.w, bucket, acc)
    }
    fn update(&mut self, buckets: &[u32], gold: u8, guess: u8) {
        let c = self.c;
        for &b in buckets {
            let base = b as usize * NTAGS;
            self.w[base + gold as usize] += 1.0;
            self.u[base + gold as usize] += c;
            self.w[base + guess as usize] -= 1.0;
            self.u[base + guess as usize] -= c;
        }
    }
    fn tick(&mut self) {
        self.c += 1.0;
    }
}

/// Plain f32 weights (averaged, before quantisation).
pub(crate) struct FloatTable {
    bits: u32,
    w: Vec<f32>,
}

impl Weights for FloatTable {
    fn bits(&self) -> u32 {
        self.bits
    }
    #[inline]
    fn add(&self, bucket: u32, acc: &mut [f32; NTAGS]) {
        add_row(&self.w, bucket, acc)
    }
}

impl FloatTable {
    /// Quantise to i16, zeroing weights below `prune` (in the averaged weights' units).
    pub(crate) fn quantize(&self, prune: f32) -> QTable {
        let max = self.w.iter().fold(0f32, |m, &x| m.max(x.abs())).max(1e-9);
        let unit = max / 32767.0;
        let nbuckets = 1usize << self.bits;
        let mut present = vec![false; nbuckets];
        let mut rows = Vec::new();
        for (b, r) in self.w.chunks_exact(NTAGS).enumerate() {
            let q: Vec<i16> =
                r.iter().map(|&x| if x.abs() < prune { 0 } else { (x / unit).round().clamp(-32767.0, 32767.0) as i16 }).collect();
            if q.iter().any(|&x| x != 0) {
                present[b] = true;
                rows.extend_from_slice(&q);
            }
        }
        QTable::new(self.bits, unit, &present, HugeBuf::from_slice(&rows))
    }
}

/// Quantised weights the tagger runs on: only the non-zero rows, found through a bitmap
/// with rank counts (`model_bytes::RowIndex`; absent rows cost no row access), on huge
/// pages.
pub(crate) struct QTable {
    /// Unique per table built in this process (`Weights::cache_id`).
    id: u64,
    bits: u32,
    unit: f32,
    index: RowIndex,
    rows: HugeBuf<i16>,
}

impl QTable {
    fn new(bits: u32, unit: f32, present: &[bool], rows: HugeBuf<i16>) -> QTable {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        QTable { id, bits, unit, index: RowIndex::new(present), rows }
    }

    /// Sum the rows of `buckets` into `acc`: first find and prefetch the rows, then add
    /// them (their loads overlap). Integer sums: the order does not matter.
    #[inline]
    fn sum_rows(&self, buckets: &[u32], acc: &mut [f32; NTAGS]) {
        #[cfg(target_arch = "x86_64")]
        if has_popcnt_avx2() {
            // SAFETY: the CPU has POPCNT and AVX2, checked just above.
            return unsafe { self.sum_rows_popcnt(buckets, acc) };
        }
        self.sum_rows_portable(buckets, acc)
    }

    /// `Weights::add_groups`: every group's index lines prefetched, then every group's
    /// rows found (and prefetched), then the sums; each group's sum is `base` plus its
    /// rows' integer sum, as `sum_rows` gives it.
    #[inline]
    fn sum_groups(&self, groups: &[[u32; NDYN]], need: &[bool], base: &[f32; NTAGS], out: &mut [[f32; NTAGS]]) {
        #[cfg(target_arch = "x86_64")]
        if has_popcnt_avx2() {
            // SAFETY: the CPU has POPCNT and AVX2, checked just above.
            return unsafe { self.sum_groups_popcnt(groups, need, base, out) };
        }
        self.sum_groups_portable(groups, need, base, out)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "popcnt,avx2")]
    fn sum_groups_popcnt(&self, groups: &[[u32; NDYN]], need: &[bool], base: &[f32; NTAGS], out: &mut [[f32; NTAGS]]) {
        self.sum_groups_portable(groups, need, base, out)
    }

    #[inline(always)]
    fn sum_groups_portable(&self, groups: &[[u32; NDYN]], need: &[bool], base: &[f32; NTAGS], out: &mut [[f32; NTAGS]]) {
        for (g, &nd) in groups.iter().zip(need) {
            if nd {
                self.index.prefetch(g);
            }
        }
        let rows: &[i16] = &self.rows;
        let mut ids = [0u32; FIND_BATCH];
        let mut found = [([0u32; NDYN], 0usize); MAX_GROUPS];
        for ((g, &nd), f) in groups.iter().zip(need).zip(&mut found) {
            if nd {
                let n = self.index.find(g, rows, 2 * NTAGS, &mut ids);
                f.0[..n].copy_from_slice(&ids[..n]);
                f.1 = n;
            }
        }
        for ((f, &nd), o) in found.iter().zip(need).zip(out) {
            if !nd {
                continue;
            }
            let mut sum = [0i32; NTAGS];
            add_rows(rows, &f.0[..f.1], &mut sum);
            *o = *base;
            for k in 0..NTAGS {
                o[k] += sum[k] as f32;
            }
        }
    }

    /// `sum_rows` compiled with POPCNT and AVX2 (`model_bytes::has_popcnt_avx2`).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "popcnt,avx2")]
    fn sum_rows_popcnt(&self, buckets: &[u32], acc: &mut [f32; NTAGS]) {
        self.sum_rows_portable(buckets, acc)
    }

    #[inline(always)]
    fn sum_rows_portable(&self, buckets: &[u32], acc: &mut [f32; NTAGS]) {
        let mut sum = [0i32; NTAGS];
        let rows: &[i16] = &self.rows;
        let mut ids = [0u32; FIND_BATCH];
        for chunk in buckets.chunks(FIND_BATCH) {
            let n = self.index.find(chunk, rows, 2 * NTAGS, &mut ids);
            add_rows(rows, &ids[..n], &mut sum);
        }
        for k in 0..NTAGS {
            acc[k] += sum[k] as f32;
        }
    }
}

impl Weights for QTable {
    fn bits(&self) -> u32 {
        self.bits
    }
    #[inline]
    fn add_groups(&self, groups: &[[u32; NDYN]], need: &[bool], base: &[f32; NTAGS], out: &mut [[f32; NTAGS]]) {
        self.sum_groups(groups, need, base, out)
    }
    #[inline]
    fn add(&self, bucket: u32, acc: &mut [f32; NTAGS]) {
        self.sum_rows(&[bucket], acc)
    }
    #[inline]
    fn add_all(&self, buckets: &[u32], acc: &mut [f32; NTAGS]) {
        self.sum_rows(buckets, acc)
    }
    fn unit(&self) -> f32 {
        self.unit
    }
    fn cache_id(&self) -> u64 {
        self.id
    }
}

/// A shared, read-only view of a `QTable` usable where `&mut Weights` is expected.
pub(crate) struct QRef<'a>(pub &'a QTable);

impl Weights for QRef<'_> {
    fn bits(&self) -> u32 {
        self.0.bits
    }
    #[inline]
    fn add_groups(&self, groups: &[[u32; NDYN]], need: &[bool], base: &[f32; NTAGS], out: &mut [[f32; NTAGS]]) {
        self.0.sum_groups(groups, need, base, out)
    }
    #[inline]
    fn add(&self, bucket: u32, acc: &mut [f32; NTAGS]) {
        self.0.sum_rows(&[bucket], acc)
    }
    #[inline]
    fn add_all(&self, buckets: &[u32], acc: &mut [f32; NTAGS]) {
        self.0.sum_rows(buckets, acc)
    }
    fn unit(&self) -> f32 {
        self.0.unit
    }
    fn cache_id(&self) -> u64 {
        self.0.id
    }
}

impl QTable {
    pub(crate) fn nonzero_rows(&self) -> usize {
        self.rows.len() / NTAGS
    }

    /// Serialise (uncompressed) with the feature fingerprint and temperature.
    pub(crate) fn to_bytes(&self, fingerprint: u64, temperature: f32) -> Vec<u8> {
        let nrows = self.nonzero_rows();
        let mut out = Vec::with_capacity(32 + (1usize << self.bits) / 8 + self.rows.len() * 2);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&fingerprint.to_le_bytes());
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(NTAGS as u32).to_le_bytes());
        out.extend_from_slice(&self.unit.to_le_bytes());
        out.extend_from_slice(&temperature.to_le_bytes());
        out.extend_from_slice(&(nrows as u32).to_le_bytes());
        let nbytes = (1usize << self.bits).div_ceil(8);
        for (k, word) in self.index.words().enumerate() {
            let bytes = word.to_le_bytes();
            let take = (nbytes - 8 * k).min(8);
            out.extend_from_slice(&bytes[..take]);
        }
        for t in 0..NTAGS {
            for shift in [0, 8] {
                for r in 0..nrows {
                    out.push((self.rows[r * NTAGS + t] as u16 >> shift) as u8);
                }
            }
        }
        out
    }

    /// Parse what `to_bytes` wrote. Returns the table, fingerprint and temperature.
    pub(crate) fn from_bytes(data: &[u8]) -> Result<(QTable, u64, f32), String> {
        let mut r = ByteReader::new(data);
        if r.take(8)? != MAGIC {
            return Err("not a newsgrid NER model (bad magic)".into());
        }
        let fingerprint = u64::from_le_bytes(r.take(8)?.try_into().unwrap_or_default());
        let bits = r.u32()?;
        let ntags = r.u32()? as usize;
        if !(8..=26).contains(&bits) || ntags != NTAGS {
            return Err(format!("unsupported table: {bits} bits, {ntags} tags"));
        }
        let unit = f32::from_bits(r.u32()?);
        let temperature = f32::from_bits(r.u32()?);
        let nrows = r.u32()? as usize;
        let (present, rows) = read_quantized_rows(&mut r, bits, nrows, NTAGS)?;
        if !r.at_end() {
            return Err("trailing bytes after the weights".into());
        }
        if !unit.is_finite() || unit <= 0.0 || !temperature.is_finite() || temperature <= 0.0 {
            return Err("bad scale or temperature".into());
        }
        Ok((QTable::new(bits, unit, &present, rows), fingerprint, temperature))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Groups summed together give what each group's `add_all` on a copy of the base
    /// gives; groups not needed are left as they were.
    #[test]
    fn grouped_sums_equal_one_group_at_a_time() {
        let bits = 10;
        let present: Vec<bool> = (0..1usize << bits).map(|b| b % 3 != 0).collect();
        let nrows = present.iter().filter(|&&p| p).count();
        let rows: Vec<i16> = (0..nrows * NTAGS).map(|k| ((k * 7919) % 601) as i16 - 300).collect();
        let t = QTable::new(bits, 0.5, &present, HugeBuf::from_slice(&rows));
        let groups = [[0u32, 1, 2, 3], [5, 5, 1023, 9], [3, 6, 9, 12], [1, 2, 4, 8]];
        let need = [true, true, false, true];
        let mut base = [0f32; NTAGS];
        for (k, b) in base.iter_mut().enumerate() {
            *b = k as f32 * 3.0 - 20.0;
        }
        let mut out = [[-1f32; NTAGS]; 4];
        QRef(&t).add_groups(&groups, &need, &base, &mut out);
        for (g, (&nd, o)) in groups.iter().zip(need.iter().zip(&out)) {
            let mut want = base;
            QRef(&t).add_all(g, &mut want);
            if nd {
                assert_eq!(*o, want);
            } else {
                assert_eq!(*o, [-1f32; NTAGS]);
            }
        }
        assert_ne!(out[0], base);
    }
}
