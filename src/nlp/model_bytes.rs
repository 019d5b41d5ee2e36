//! Reading the compiled model files (entity tagger and parser): a bounds-checked byte
//! reader and the quantized weight rows both models store the same way (a bitmap of the
//! hash buckets that hold a row, then each class's i16 weights as low and high bytes);
//! and how both models hold and find those rows in memory at run time: the bucket index
//! (`RowIndex`), its batched, branch-free look-up with prefetches, and buffers placed
//! on huge pages (`HugeBuf`).
//!
//! Scoring a decision reads one random row per feature out of tables of 1-9 MB: the
//! reads miss the core's caches and its TLB, so the run time of the taggers and the
//! parser is mostly waiting for memory. Two things make the waits overlap or vanish:
//! all the rows of a decision are found and prefetched before any is summed (a branch
//! on a row's presence would be mispredicted about half the time, and each miss
//! would then wait for the one before), and the tables sit on 2 MiB pages, so a few
//! TLB entries cover them.

/// A cursor over a model file's bytes; every read is checked against the end.
pub struct ByteReader<'a> {
    pub data: &'a [u8],
    pub pos: usize,
}

impl<'a> ByteReader<'a> {
    pub fn new(data: &'a [u8]) -> ByteReader<'a> {
        ByteReader { data, pos: 0 }
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        match self.pos.checked_add(n).filter(|&e| e <= self.data.len()) {
            Some(e) => {
                let s = &self.data[self.pos..e];
                self.pos = e;
                Ok(s)
            }
            None => Err("file is truncated".into()),
        }
    }

    pub fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap_or_default()))
    }

    pub fn at_end(&self) -> bool {
        self.pos == self.data.len()
    }
}

/// The bucket bitmap of a `2^bits`-bucket table holding `nrows` rows, then the rows of
/// `width` classes each: (bucket present, row-major weights).
pub fn read_quantized_rows(r: &mut ByteReader, bits: u32, nrows: usize, width: usize) -> Result<(Vec<bool>, HugeBuf<i16>), String> {
    let nbuckets = 1usize << bits;
    if nrows > nbuckets {
        return Err("more rows than buckets".into());
    }
    let bitmap = r.take(nbuckets.div_ceil(8))?;
    let present: Vec<bool> = (0..nbuckets).map(|b| bitmap[b / 8] & (1 << (b % 8)) != 0).collect();
    if present.iter().filter(|&&p| p).count() != nrows {
        return Err("row count does not match the row bitmap".into());
    }
    let mut rows = HugeBuf::zeroed(nrows * width);
    for t in 0..width {
        let lo = r.take(nrows)?;
        let hi = r.take(nrows)?;
        for k in 0..nrows {
            rows[k * width + t] = (lo[k] as u16 | (hi[k] as u16) << 8) as i16;
        }
    }
    Ok((present, rows))
}

/// Ask the core to bring the cache line at `p` in (a hint: any address is allowed,
/// nothing is read; a no-op off x86-64).
#[inline(always)]
pub fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults and reads nothing the program sees; the
    // instruction is in the x86-64 baseline (SSE).
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p as *const i8)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// True when the CPU has POPCNT and AVX2 (checked once; std caches the answer). The row
/// sums below are also compiled for them and picked at run time: `RowIndex::find` counts
/// bits once per feature, and the x86-64 baseline has no popcount instruction (about a
/// dozen instructions each in software). Integer sums: both builds give the same values.
#[inline(always)]
pub fn has_popcnt_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("popcnt") && std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Most rows a call to `RowIndex::find` looks up.
pub const FIND_BATCH: usize = 128;

/// Add the `W`-wide integer rows `ids` (as `RowIndex::find` gives them) of `rows` to
/// `sum`; an id past the table adds nothing. The one inner loop of every row sum (parser
/// tables, entity tagger).
#[inline(always)]
pub fn add_rows<const W: usize>(rows: &[i16], ids: &[u32], sum: &mut [i32; W]) {
    for &r in ids {
        let start = r as usize * W;
        if let Some(row) = rows.get(start..start + W) {
            for k in 0..W {
                sum[k] += row[k] as i32;
            }
        }
    }
}

/// Which hash buckets of a table hold a row, and the row's index among the rows kept:
/// per 64 buckets the presence bits and the number of rows before them, side by side
/// (one cache line serves 256 buckets).
pub struct RowIndex {
    entries: HugeBuf<(u64, u32)>,
}

impl RowIndex {
    pub fn new(present: &[bool]) -> RowIndex {
        let mut entries = HugeBuf::zeroed(present.len().div_ceil(64));
        let mut rank = 0u32;
        for (e, chunk) in entries.iter_mut().zip(present.chunks(64)) {
            let mut word = 0u64;
            for (k, &p) in chunk.iter().enumerate() {
                if p {
                    word |= 1 << k;
                }
            }
            *e = (word, rank);
            rank = rank.wrapping_add(word.count_ones());
        }
        RowIndex { entries }
    }

    /// Presence bits of buckets `64 k .. 64 k + 63`.
    pub fn words(&self) -> impl Iterator<Item = u64> + '_ {
        self.entries.iter().map(|e| e.0)
    }

    /// The row of `bucket`, if it has one.
    #[inline(always)]
    pub fn get(&self, bucket: u32) -> Option<usize> {
        let (word, rank) = *self.entries.get((bucket >> 6) as usize)?;
        let bit = 1u64 << (bucket & 63);
        if word & bit == 0 {
            return None;
        }
        Some(rank as usize + (word & (bit - 1)).count_ones() as usize)
    }

    /// Prefetch the index lines of `buckets`.
    #[inline(always)]
    pub fn prefetch(&self, buckets: &[u32]) {
        let entries: &[(u64, u32)] = &self.entries;
        for &b in buckets {
            prefetch(entries.as_ptr().wrapping_add((b >> 6) as usize));
        }
    }

    /// Write the rows of the first `FIND_BATCH` of `buckets` that have one to `ids`, in
    /// order, and return how many; each found row's cache lines (`row_bytes` long, in
    /// `rows`) are prefetched, so the caller's sums find them on their way.
    /// Branch-free: a bucket without a row writes a slot the next one overwrites.
    #[inline(always)]
    pub fn find<T>(&self, buckets: &[u32], rows: &[T], row_bytes: usize, ids: &mut [u32; FIND_BATCH]) -> usize {
        let buckets = &buckets[..buckets.len().min(FIND_BATCH)];
        self.prefetch(buckets);
        let entries: &[(u64, u32)] = &self.entries;
        let base = rows.as_ptr() as *const u8;
        let mut n = 0;
        for &b in buckets {
            let (word, rank) = entries.get((b >> 6) as usize).copied().unwrap_or((0, 0));
            let bit = 1u64 << (b & 63);
            let id = rank.wrapping_add((word & (bit.wrapping_sub(1))).count_ones());
            let at = base.wrapping_add(id as usize * row_bytes);
            // A row's first and last bytes (and its middle, for rows over a line long):
            // every line it may straddle.
            prefetch(at);
            prefetch(at.wrapping_add(row_bytes.saturating_sub(1)));
            if row_bytes > 64 {
                prefetch(at.wrapping_add(64));
            }
            if let Some(slot) = ids.get_mut(n) {
                *slot = id;
            }
            n += (word & bit != 0) as usize;
        }
        n
    }
}

/// A read-only map from well-mixed 64-bit keys (word hashes) to small values: open
/// addressing with linear probing from the key's top bits, on huge pages. A look-up's
/// first probe is one cache line known from the key alone, so a caller can prefetch the
/// lines of a whole sentence's words before reading any of them (std's map reads two
/// dependent lines per look-up, its control bytes and then the entry, and both missed
/// the cache for most tokens of the entity tagger's and the parser's lexicons).
pub struct KeyTable<V> {
    slots: HugeBuf<(u64, V)>,
    shift: u32,
    /// The value of key 0, which marks an empty slot.
    zero: Option<V>,
}

impl<V: Copy + Default> KeyTable<V> {
    /// A table of `pairs` (a later pair with an earlier key replaces it); at most half full.
    pub fn new(pairs: impl ExactSizeIterator<Item = (u64, V)>) -> KeyTable<V> {
        let cap = (pairs.len() * 2).next_power_of_two().max(16);
        let bits = cap.trailing_zeros();
        let mut t = KeyTable { slots: HugeBuf::zeroed(cap), shift: 64 - bits, zero: None };
        let mask = cap - 1;
        for (k, v) in pairs {
            if k == 0 {
                t.zero = Some(v);
                continue;
            }
            let mut i = (k >> t.shift) as usize;
            loop {
                let s = &mut t.slots[i];
                if s.0 == 0 || s.0 == k {
                    *s = (k, v);
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        t
    }

    /// The value of `key`, if it has one.
    #[inline(always)]
    pub fn get(&self, key: u64) -> Option<V> {
        if key == 0 {
            return self.zero;
        }
        let mask = self.slots.len() - 1;
        let mut i = (key >> self.shift) as usize;
        // At most half full: an empty slot ends every probe sequence.
        loop {
            let (k, v) = self.slots[i];
            if k == key {
                return Some(v);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Prefetch the first slot `get(key)` reads.
    #[inline(always)]
    pub fn prefetch(&self, key: u64) {
        prefetch(self.slots.as_ptr().wrapping_add((key >> self.shift) as usize));
    }

    /// How many keys the table holds.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.0 != 0).count() + self.zero.is_some() as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A fixed-length buffer of plain values placed on 2 MiB-aligned memory the kernel is
/// asked (`madvise(MADV_HUGEPAGE)`, Linux) to back with huge pages before it is first
/// touched. The allocation is a `Vec` a little larger than asked; the values are the
/// aligned window inside it.
pub struct HugeBuf<T> {
    buf: Vec<T>,
    start: usize,
    len: usize,
}

const HUGE_PAGE: usize = 2 << 20;

impl<T: Copy + Default> HugeBuf<T> {
    /// `len` default values (buffers under 1 MiB are left on ordinary pages).
    pub fn zeroed(len: usize) -> HugeBuf<T> {
        let size = std::mem::size_of::<T>().max(1);
        if len * size < HUGE_PAGE / 2 {
            return HugeBuf { buf: vec![T::default(); len], start: 0, len };
        }
        // Room for the window to start at the first huge page boundary and for the
        // advice to end on one.
        let pad = HUGE_PAGE.div_ceil(size) + 1;
        let mut buf: Vec<T> = Vec::with_capacity(len + 2 * pad);
        let addr = buf.as_ptr() as usize;
        let aligned = addr.next_multiple_of(HUGE_PAGE);
        let start = (aligned - addr).div_ceil(size);
        advise_huge(aligned, (len + 1) * size);
        buf.resize(start + len, T::default());
        HugeBuf { buf, start, len }
    }
}

impl<T: Copy + Default> HugeBuf<T> {
    /// A copy of `values`.
    pub fn from_slice(values: &[T]) -> HugeBuf<T> {
        let mut b = HugeBuf::zeroed(values.len());
        b.copy_from_slice(values);
        b
    }
}

impl<T> std::ops::Deref for HugeBuf<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.buf[self.start..self.start + self.len]
    }
}

impl<T> std::ops::DerefMut for HugeBuf<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        &mut self.buf[self.start..self.start + self.len]
    }
}

/// Ask for huge pages over `[addr, addr + len)` (`addr` on a huge page boundary), `len`
/// rounded up to whole huge pages (inside the allocation: `HugeBuf` reserves the
/// slack). Best effort: refusals are ignored.
#[cfg(target_os = "linux")]
fn advise_huge(addr: usize, len: usize) {
    extern "C" {
        fn madvise(addr: *mut std::ffi::c_void, len: usize, advice: i32) -> i32;
    }
    const MADV_HUGEPAGE: i32 = 14;
    let len = len.next_multiple_of(HUGE_PAGE);
    // SAFETY: the range lies inside memory this process allocated and owns; the advice
    // changes only how the kernel backs it, never its contents or mapping.
    unsafe {
        madvise(addr as *mut std::ffi::c_void, len, MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge(_addr: usize, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_gives_the_rows_of_present_buckets_in_order() {
        let mut present = vec![false; 1 << 10];
        for b in [0usize, 3, 63, 64, 65, 500, 1023] {
            present[b] = true;
        }
        let index = RowIndex::new(&present);
        let rows = vec![0i16; 7 * 3];
        let buckets = [1u32, 3, 0, 64, 1023, 2, 63, 500, 999, 65];
        let mut ids = [0u32; FIND_BATCH];
        let n = index.find(&buckets, &rows, 6, &mut ids);
        assert_eq!(&ids[..n], &[1, 0, 3, 6, 2, 5, 4]);
        let slow: Vec<u32> = buckets.iter().filter_map(|&b| index.get(b)).map(|r| r as u32).collect();
        assert_eq!(&ids[..n], &slow[..]);
        // Buckets past the table have no row.
        assert_eq!(index.find(&[1 << 12, 5000], &rows, 6, &mut ids), 0);
        assert_eq!(index.get(1 << 12), None);
    }

    #[test]
    fn find_reads_at_most_a_batch() {
        let index = RowIndex::new(&vec![true; 1 << 9]);
        let rows = vec![0i16; 1 << 9];
        let buckets: Vec<u32> = (0..300).collect();
        let mut ids = [0u32; FIND_BATCH];
        assert_eq!(index.find(&buckets, &rows, 2, &mut ids), FIND_BATCH);
        assert_eq!(ids[FIND_BATCH - 1], FIND_BATCH as u32 - 1);
    }

    #[test]
    fn huge_buffers_are_aligned_zeroed_and_sized() {
        let mut b: HugeBuf<i16> = HugeBuf::zeroed(3 << 20);
        assert_eq!(b.len(), 3 << 20);
        assert!(b.as_ptr() as usize % HUGE_PAGE < 16);
        assert!(b.iter().all(|&x| x == 0));
        b[(3 << 20) - 1] = 7;
        assert_eq!(b[(3 << 20) - 1], 7);
        let small: HugeBuf<u64> = HugeBuf::zeroed(10);
        assert_eq!(&small[..], &[0u64; 10]);
        let empty: HugeBuf<u32> = HugeBuf::zeroed(0);
        assert!(empty.is_empty());
    }

    #[test]
    fn key_tables_find_every_key_and_no_other() {
        // Keys crowding one slot (same top bits), key 0, and a repeated key.
        let pairs: Vec<(u64, u32)> =
            (0..200u64).map(|k| ((k << 3) | (7 << 60), k as u32)).chain([(0, 99), (5 << 3 | 7 << 60, 1000)]).collect();
        let t = KeyTable::new(pairs.iter().copied());
        assert_eq!(t.len(), 201);
        for k in 0..200u64 {
            let want = if k == 5 { 1000 } else { k as u32 };
            assert_eq!(t.get((k << 3) | (7 << 60)), Some(want));
        }
        assert_eq!(t.get(0), Some(99));
        assert_eq!(t.get(1), None);
        assert_eq!(t.get(u64::MAX), None);
        assert_eq!(t.get((200 << 3) | (7 << 60)), None);
        t.prefetch(u64::MAX);
        let empty: KeyTable<u8> = KeyTable::new(std::iter::empty());
        assert_eq!(empty.get(0), None);
        assert_eq!(empty.get(12345), None);
        assert!(empty.is_empty());
    }
}
