//! Reading the compiled model files (entity tagger and parser): a bounds-checked byte
//! reader and the quantized weight rows both models store the same way (a bitmap of the
//! hash buckets that hold a row, then each class's i16 weights as low and high bytes).

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
pub fn read_quantized_rows(r: &mut ByteReader, bits: u32, nrows: usize, width: usize) -> Result<(Vec<bool>, Vec<i16>), String> {
    let nbuckets = 1usize << bits;
    if nrows > nbuckets {
        return Err("more rows than buckets".into());
    }
    let bitmap = r.take(nbuckets.div_ceil(8))?;
    let present: Vec<bool> = (0..nbuckets).map(|b| bitmap[b / 8] & (1 << (b % 8)) != 0).collect();
    if present.iter().filter(|&&p| p).count() != nrows {
        return Err("row count does not match the row bitmap".into());
    }
    let mut rows = vec![0i16; nrows * width];
    for t in 0..width {
        let lo = r.take(nrows)?;
        let hi = r.take(nrows)?;
        for k in 0..nrows {
            rows[k * width + t] = (lo[k] as u16 | (hi[k] as u16) << 8) as i16;
        }
    }
    Ok((present, rows))
}
