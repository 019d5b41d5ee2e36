//! Weight tables: the averaged-perceptron training table, and the quantised (i16)
//! table the tagger runs on, with its compact file format.
//!
//! File format (the whole file is one zstd frame): magic `NGNER\0\0\x01`, feature
//! fingerprint u64, table bits u32, tag count u32, unit f32 (score per quantum),
//! temperature f32, non-zero row count u32, then a bitmap of non-zero rows (one bit per
//! bucket), then the rows' i16 weights, tag by tag, low bytes then high bytes. All
//! integers little-endian.

use super::decode::Weights;
use super::features::NTAGS;

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
        TrainTable {
            bits,
            w: vec![0.0; n],
            u: vec![0.0; n],
            c: 1.0,
        }
    }

    /// The averaged weights.
    pub(crate) fn averaged(&self) -> FloatTable {
        let c = self.c;
        FloatTable {
            bits: self.bits,
            w: self
                .w
                .iter()
                .zip(&self.u)
                .map(|(&w, &u)| (w as f64 - u / c) as f32)
                .collect(),
        }
    }
}

impl Weights for TrainTable {
    fn bits(&self) -> u32 {
        self.bits
    }
    #[inline]
    fn add(&self, bucket: u32, acc: &mut [f32; NTAGS]) {
        let row = &self.w[bucket as usize * NTAGS..][..NTAGS];
        for (a, &x) in acc.iter_mut().zip(row) {
            *a += x;
        }
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
        let row = &self.w[bucket as usize * NTAGS..][..NTAGS];
        for (a, &x) in acc.iter_mut().zip(row) {
            *a += x;
        }
    }
}

impl FloatTable {
    /// Quantise to i16, zeroing weights below `prune` (in the averaged weights' units).
    pub(crate) fn quantize(&self, prune: f32) -> QTable {
        let max = self.w.iter().fold(0f32, |m, &x| m.max(x.abs())).max(1e-9);
        let unit = max / 32767.0;
        let w = self
            .w
            .iter()
            .map(|&x| {
                if x.abs() < prune {
                    0
                } else {
                    (x / unit).round().clamp(-32767.0, 32767.0) as i16
                }
            })
            .collect();
        QTable {
            bits: self.bits,
            unit,
            w,
        }
    }
}

/// Quantised weights the tagger runs on.
pub(crate) struct QTable {
    bits: u32,
    unit: f32,
    w: Vec<i16>,
}

impl Weights for QTable {
    fn bits(&self) -> u32 {
        self.bits
    }
    #[inline]
    fn add(&self, bucket: u32, acc: &mut [f32; NTAGS]) {
        let row = &self.w[bucket as usize * NTAGS..][..NTAGS];
        for (a, &x) in acc.iter_mut().zip(row) {
            *a += x as f32;
        }
    }
    fn unit(&self) -> f32 {
        self.unit
    }
}

/// A shared, read-only view of a `QTable` usable where `&mut Weights` is expected.
pub(crate) struct QRef<'a>(pub &'a QTable);

impl Weights for QRef<'_> {
    fn bits(&self) -> u32 {
        self.0.bits
    }
    #[inline]
    fn add(&self, bucket: u32, acc: &mut [f32; NTAGS]) {
        self.0.add(bucket, acc)
    }
    fn unit(&self) -> f32 {
        self.0.unit
    }
}

impl QTable {
    pub(crate) fn nonzero_rows(&self) -> usize {
        self.w
            .chunks_exact(NTAGS)
            .filter(|r| r.iter().any(|&x| x != 0))
            .count()
    }

    /// Serialise (uncompressed) with the feature fingerprint and temperature.
    pub(crate) fn to_bytes(&self, fingerprint: u64, temperature: f32) -> Vec<u8> {
        let nbuckets = 1usize << self.bits;
        let mut bitmap = vec![0u8; nbuckets.div_ceil(8)];
        let mut rows = Vec::new();
        for (b, r) in self.w.chunks_exact(NTAGS).enumerate() {
            if r.iter().any(|&x| x != 0) {
                bitmap[b / 8] |= 1 << (b % 8);
                rows.push(b);
            }
        }
        let mut out = Vec::with_capacity(32 + bitmap.len() + rows.len() * NTAGS * 2);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&fingerprint.to_le_bytes());
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(NTAGS as u32).to_le_bytes());
        out.extend_from_slice(&self.unit.to_le_bytes());
        out.extend_from_slice(&temperature.to_le_bytes());
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        out.extend_from_slice(&bitmap);
        for t in 0..NTAGS {
            for shift in [0, 8] {
                for &b in &rows {
                    out.push((self.w[b * NTAGS + t] as u16 >> shift) as u8);
                }
            }
        }
        out
    }

    /// Parse what `to_bytes` wrote. Returns the table, fingerprint and temperature.
    pub(crate) fn from_bytes(data: &[u8]) -> Result<(QTable, u64, f32), String> {
        let mut r = Reader { data, pos: 0 };
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
        let nbuckets = 1usize << bits;
        let bitmap = r.take(nbuckets.div_ceil(8))?;
        let rows: Vec<usize> = (0..nbuckets)
            .filter(|&b| bitmap[b / 8] & (1 << (b % 8)) != 0)
            .collect();
        if rows.len() != nrows {
            return Err("row count does not match the row bitmap".into());
        }
        let mut w = vec![0i16; nbuckets * NTAGS];
        for t in 0..NTAGS {
            let lo = r.take(nrows)?;
            let hi = r.take(nrows)?;
            for (k, &b) in rows.iter().enumerate() {
                w[b * NTAGS + t] = (lo[k] as u16 | (hi[k] as u16) << 8) as i16;
            }
        }
        if r.pos != data.len() {
            return Err("trailing bytes after the weights".into());
        }
        if !unit.is_finite() || unit <= 0.0 || !temperature.is_finite() || temperature <= 0.0 {
            return Err("bad scale or temperature".into());
        }
        Ok((QTable { bits, unit, w }, fingerprint, temperature))
    }
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        match end {
            Some(e) => {
                let s = &self.data[self.pos..e];
                self.pos = e;
                Ok(s)
            }
            None => Err("file is truncated".into()),
        }
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap_or_default()))
    }
}
