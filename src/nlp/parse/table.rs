//! Weight tables: the averaged-perceptron training table, its averaged f32 copy, and the
//! quantised (i16) table the model runs on, with the model file format.
//!
//! Each table has 2^bits rows of `width` weights (one per class); a feature hashes to a
//! row, so scoring touches one contiguous row per feature. The quantised table keeps only
//! the non-zero rows behind a presence bitmap with rank counts (`model_bytes::RowIndex`;
//! absent rows cost nothing), on huge pages; a decision's rows are all found and
//! prefetched before they are summed (the reads are what scoring waits for).
//!
//! File format (the whole file is one zstd frame): magic `NGPARSE\x01`, fingerprint u64
//! (feature version and class inventories), then three tables (tagger, moves, labels),
//! each: bits u32, width u32, unit f32 (score per quantum), non-zero row count u32, the
//! row bitmap (one bit per row, least significant first), then the rows' i16 weights
//! class by class, low bytes then high bytes. Integers little-endian.

use super::features::FEATURE_VERSION;
use super::parser::{NLABELS, NMOVES};
use super::tagger::NTAGS;
use super::Inner;
use crate::nlp::model_bytes::{add_rows, has_popcnt_avx2, read_quantized_rows, ByteReader, HugeBuf, RowIndex, FIND_BATCH};

const MAGIC: &[u8; 8] = b"NGPARSE\x01";

/// Widest row (labels).
pub(crate) const MAX_WIDTH: usize = 64;

/// What identifies the features and classes a model was trained with.
pub(crate) fn fingerprint() -> u64 {
    FEATURE_VERSION
        ^ ((NTAGS as u64) << 16)
        ^ ((NMOVES as u64) << 24)
        ^ ((NLABELS as u64) << 32)
        ^ 0x7061_7273_6500_0000
        ^ crate::nlp::clusters::Clusters::get().fingerprint.rotate_left(7)
}

/// Anything that can score a set of feature rows.
pub(crate) trait Scorer {
    fn bits(&self) -> u32;
    /// Add the rows of `buckets` to `acc` (`acc.len()` = the table width).
    fn scores(&self, buckets: &[u32], acc: &mut [f32]);
    /// The quantised table behind this scorer, if it is one: its integer row sums can be
    /// cached and added in any order with the same result (decoders use that to reuse
    /// the sums of features that do not change between decisions).
    fn quantized(&self) -> Option<&QTable> {
        None
    }
}

/// Averaged perceptron weights during training (`w` current, `u` time-weighted updates;
/// average = w - u / c).
pub(crate) struct TrainTable {
    bits: u32,
    width: usize,
    w: Vec<f32>,
    u: Vec<f64>,
    c: f64,
}

impl TrainTable {
    pub(crate) fn new(bits: u32, width: usize) -> TrainTable {
        let n = (1usize << bits) * width;
        TrainTable { bits, width, w: vec![0.0; n], u: vec![0.0; n], c: 1.0 }
    }

    /// Move weight towards `gold` and away from `guess` for every feature row.
    pub(crate) fn update(&mut self, buckets: &[u32], gold: usize, guess: usize) {
        let c = self.c;
        for &b in buckets {
            let base = b as usize * self.width;
            self.w[base + gold] += 1.0;
            self.u[base + gold] += c;
            self.w[base + guess] -= 1.0;
            self.u[base + guess] -= c;
        }
    }

    /// One training example seen.
    pub(crate) fn tick(&mut self) {
        self.c += 1.0;
    }

    pub(crate) fn averaged(&self) -> FloatTable {
        let c = self.c;
        FloatTable { bits: self.bits, width: self.width, w: self.w.iter().zip(&self.u).map(|(&w, &u)| (w as f64 - u / c) as f32).collect() }
    }
}

impl Scorer for TrainTable {
    fn bits(&self) -> u32 {
        self.bits
    }
    #[inline]
    fn scores(&self, buckets: &[u32], acc: &mut [f32]) {
        add_float_rows(&self.w, self.width, buckets, acc);
    }
}

/// Add the rows `buckets` of a dense float table of `width` columns into `acc`.
#[inline]
fn add_float_rows(w: &[f32], width: usize, buckets: &[u32], acc: &mut [f32]) {
    for &b in buckets {
        let row = &w[b as usize * width..][..width];
        for (a, &x) in acc.iter_mut().zip(row) {
            *a += x;
        }
    }
}

/// Averaged weights, before quantisation.
pub(crate) struct FloatTable {
    bits: u32,
    width: usize,
    w: Vec<f32>,
}

impl Scorer for FloatTable {
    fn bits(&self) -> u32 {
        self.bits
    }
    #[inline]
    fn scores(&self, buckets: &[u32], acc: &mut [f32]) {
        add_float_rows(&self.w, self.width, buckets, acc);
    }
}

impl FloatTable {
    /// Add `other` (same shape) times `scale` into this table (averaging the weights
    /// of several models); a table of another shape is ignored.
    pub(crate) fn add_scaled(&mut self, other: &FloatTable, scale: f32) {
        if other.bits == self.bits && other.width == self.width {
            for (a, &b) in self.w.iter_mut().zip(&other.w) {
                *a += b * scale;
            }
        }
    }

    pub(crate) fn scale(&mut self, k: f32) {
        for a in &mut self.w {
            *a *= k;
        }
    }

    /// Quantise to i16, zeroing weights whose magnitude is below `prune`.
    pub(crate) fn quantize(&self, prune: f32) -> QTable {
        let max = self.w.iter().fold(0f32, |m, &x| m.max(x.abs())).max(1e-9);
        let unit = max / 32767.0;
        let mut present = vec![false; 1usize << self.bits];
        let mut rows = Vec::new();
        let mut q = vec![0i16; self.width];
        for (b, r) in self.w.chunks_exact(self.width).enumerate() {
            for (k, &x) in r.iter().enumerate() {
                q[k] = if x.abs() < prune { 0 } else { (x / unit).round().clamp(-32767.0, 32767.0) as i16 };
            }
            if q.iter().any(|&x| x != 0) {
                present[b] = true;
                rows.extend_from_slice(&q);
            }
        }
        QTable::new(self.bits, self.width, unit, &present, HugeBuf::from_slice(&rows))
    }
}

/// Quantised weights: only the non-zero rows, found through a bitmap with rank counts.
pub(crate) struct QTable {
    /// Unique per table built in this process: what caches of row sums are keyed by.
    id: u64,
    bits: u32,
    width: usize,
    unit: f32,
    index: RowIndex,
    rows: HugeBuf<i16>,
}

impl QTable {
    fn new(bits: u32, width: usize, unit: f32, present: &[bool], rows: HugeBuf<i16>) -> QTable {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        QTable { id, bits, width, unit, index: RowIndex::new(present), rows }
    }

    /// A number unique to this table (never 0), under which row sums may be cached.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    pub(crate) fn unit(&self) -> f32 {
        self.unit
    }

    /// Add the integer rows of `buckets` to `sum` (a table `W` wide; a wrong `W` adds
    /// nothing). `acc[k] = sum[k] as f32 * unit()` gives what `scores` gives. The rows of
    /// a batch are found and prefetched before any is read, so their cache misses
    /// overlap; integer sums do not depend on that order.
    #[inline(always)]
    pub(crate) fn sum_fixed<const W: usize>(&self, buckets: &[u32], sum: &mut [i32; W]) {
        #[cfg(target_arch = "x86_64")]
        if has_popcnt_avx2() {
            // SAFETY: the CPU has POPCNT and AVX2, checked just above.
            return unsafe { self.sum_fixed_popcnt(buckets, sum) };
        }
        self.sum_fixed_portable(buckets, sum)
    }

    /// `sum_fixed` compiled with POPCNT and AVX2 (`model_bytes::has_popcnt_avx2`).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "popcnt,avx2")]
    fn sum_fixed_popcnt<const W: usize>(&self, buckets: &[u32], sum: &mut [i32; W]) {
        self.sum_fixed_portable(buckets, sum)
    }

    #[inline(always)]
    fn sum_fixed_portable<const W: usize>(&self, buckets: &[u32], sum: &mut [i32; W]) {
        if W != self.width {
            return;
        }
        let rows: &[i16] = &self.rows;
        let mut ids = [0u32; FIND_BATCH];
        for chunk in buckets.chunks(FIND_BATCH) {
            let n = self.index.find(chunk, rows, 2 * W, &mut ids);
            add_rows(rows, &ids[..n], sum);
        }
    }

    /// Bring in the index lines of `buckets` ahead of `sum_fixed` calls on them: a decoder
    /// that sums several groups of rows prefetches all of them first, so each group's
    /// look-up does not wait for the one before.
    #[inline(always)]
    pub(crate) fn prefetch_index(&self, buckets: &[u32]) {
        self.index.prefetch(buckets);
    }

    pub(crate) fn nonzero_rows(&self) -> usize {
        self.rows.len() / self.width.max(1)
    }

    /// Add the rows of `buckets` (times `unit`) to `acc`, for a table `W` wide. The width
    /// as a constant lets the row sums unroll and vectorise. Integer sums: the same
    /// scores as `sum_rows`.
    #[inline(always)]
    fn scores_fixed<const W: usize>(&self, buckets: &[u32], acc: &mut [f32]) {
        let mut sum = [0i32; W];
        self.sum_fixed::<W>(buckets, &mut sum);
        for (a, &s) in acc.iter_mut().zip(&sum) {
            *a += s as f32 * self.unit;
        }
    }

    /// Integer scores of the rows of `buckets` (first `width` entries of `sum`).
    #[inline]
    pub(crate) fn sum_rows(&self, buckets: &[u32], sum: &mut [i32; MAX_WIDTH]) {
        let width = self.width.min(MAX_WIDTH);
        let rows: &[i16] = &self.rows;
        let mut ids = [0u32; FIND_BATCH];
        for chunk in buckets.chunks(FIND_BATCH) {
            let n = self.index.find(chunk, rows, 2 * width, &mut ids);
            for &r in &ids[..n] {
                let start = r as usize * self.width;
                if let Some(row) = rows.get(start..start + width) {
                    for (s, &x) in sum[..width].iter_mut().zip(row) {
                        *s += x as i32;
                    }
                }
            }
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        let nrows = self.nonzero_rows();
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(self.width as u32).to_le_bytes());
        out.extend_from_slice(&self.unit.to_le_bytes());
        out.extend_from_slice(&(nrows as u32).to_le_bytes());
        let nbytes = (1usize << self.bits).div_ceil(8);
        for (k, word) in self.index.words().enumerate() {
            let take = (nbytes - 8 * k).min(8);
            out.extend_from_slice(&word.to_le_bytes()[..take]);
        }
        for t in 0..self.width {
            for shift in [0, 8] {
                for r in 0..nrows {
                    out.push((self.rows[r * self.width + t] as u16 >> shift) as u8);
                }
            }
        }
    }

    fn read(r: &mut ByteReader, width: usize) -> Result<QTable, String> {
        let bits = r.u32()?;
        let w = r.u32()? as usize;
        if !(8..=24).contains(&bits) || w != width {
            return Err(format!("unsupported table: {bits} bits, {w} classes (expected {width})"));
        }
        let unit = f32::from_bits(r.u32()?);
        if !unit.is_finite() || unit <= 0.0 {
            return Err("bad weight scale".into());
        }
        let nrows = r.u32()? as usize;
        let (present, rows) = read_quantized_rows(r, bits, nrows, width)?;
        Ok(QTable::new(bits, width, unit, &present, rows))
    }
}

impl Scorer for QTable {
    fn bits(&self) -> u32 {
        self.bits
    }
    fn quantized(&self) -> Option<&QTable> {
        Some(self)
    }
    #[inline]
    fn scores(&self, buckets: &[u32], acc: &mut [f32]) {
        // The three shipped widths get code of their own (the parser's hot loop).
        match self.width {
            NMOVES => return self.scores_fixed::<NMOVES>(buckets, acc),
            NTAGS => return self.scores_fixed::<NTAGS>(buckets, acc),
            NLABELS => return self.scores_fixed::<NLABELS>(buckets, acc),
            _ => {}
        }
        let mut sum = [0i32; MAX_WIDTH];
        self.sum_rows(buckets, &mut sum);
        for (a, &s) in acc.iter_mut().zip(&sum) {
            *a += s as f32 * self.unit;
        }
    }
}

/// Serialise a model (uncompressed).
pub(crate) fn write_model(tagger: &QTable, moves: &QTable, labels: &QTable) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&fingerprint().to_le_bytes());
    for t in [tagger, moves, labels] {
        t.write(&mut out);
    }
    out
}

/// Parse what `write_model` wrote.
pub(crate) fn read_model(data: &[u8]) -> Result<Inner, String> {
    let mut r = ByteReader::new(data);
    if r.take(8)? != MAGIC {
        return Err("not a newsgrid parse model (bad magic)".into());
    }
    let fp = u64::from_le_bytes(r.take(8)?.try_into().unwrap_or_default());
    if fp != fingerprint() {
        return Err("trained with other features or classes; retrain it".into());
    }
    let tagger = QTable::read(&mut r, NTAGS)?;
    let moves = QTable::read(&mut r, NMOVES)?;
    let labels = QTable::read(&mut r, NLABELS)?;
    if !r.at_end() {
        return Err("trailing bytes after the weights".into());
    }
    Ok(Inner { tagger, moves, labels })
}
