//! Transparent decompression: `.gz` (multi-member) and `.zst`, detected by magic bytes
//! (so a misnamed file still reads) with the extension as a fallback. Every decompressed
//! stream is bounded ([`LimitReader`]): a compression bomb ends in a
//! `decompressed_too_large` reject, not in unbounded time or memory.

use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

pub fn strip_compression_suffix(name: &str) -> &str {
    name.strip_suffix(".gz").or_else(|| name.strip_suffix(".zst")).or_else(|| name.strip_suffix(".zstd")).unwrap_or(name)
}

/// The error a [`LimitReader`] gives once its stream has passed its bound. Readers tell
/// it from a broken stream with [`is_limit_error`] (reason `decompressed_too_large`).
#[derive(Debug)]
pub struct LimitExceeded {
    pub limit: u64,
}

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "decompressed data exceeds {} bytes ([limits] max_file_decompressed_bytes / max_compression_ratio)", self.limit)
    }
}

impl std::error::Error for LimitExceeded {}

/// True when `e` is a [`LimitReader`]'s bound, not a broken stream.
pub fn is_limit_error(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<LimitExceeded>())
}

/// A reader that fails with [`LimitExceeded`] once more than `limit` bytes came through.
pub struct LimitReader<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> LimitReader<R> {
    pub fn new(inner: R, limit: u64) -> LimitReader<R> {
        LimitReader { inner, left: limit, limit }
    }
}

impl<R> LimitReader<R> {
    /// Bytes that may still come through.
    pub fn left(&self) -> u64 {
        self.left
    }
}

impl<R: Read> Read for LimitReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // One byte more tells the end of the stream from a stream over the bound.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(LimitExceeded { limit: self.limit })),
            };
        }
        let want = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Open a file for buffered reading, decompressing when it is gzip or zstd; a compressed
/// file gives at most `limits.file_decompressed_limit(size on disk)` bytes.
pub fn open(path: &Path, limits: &crate::config::LimitsConfig) -> std::io::Result<Box<dyn BufRead + Send>> {
    let f = File::open(path)?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    let limit = limits.file_decompressed_limit(size);
    let mut file = BufReader::with_capacity(1 << 20, f);
    let head = file.fill_buf()?;
    let gzip = head.starts_with(&[0x1f, 0x8b]);
    let zstd = head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]);
    Ok(if gzip {
        Box::new(BufReader::with_capacity(1 << 20, LimitReader::new(MultiGzDecoder::new(file), limit)))
    } else if zstd {
        Box::new(BufReader::with_capacity(1 << 20, LimitReader::new(zstd::stream::read::Decoder::with_buffer(file)?, limit)))
    } else {
        Box::new(file)
    })
}

/// Read a whole (possibly compressed) stream, keeping what was read before an error.
/// Stops once more than `limit` bytes were read (the caller rejects what is too large).
pub fn read_to_end_lossy(mut r: impl Read, limit: usize) -> (Vec<u8>, Option<std::io::Error>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        match r.read(&mut chunk) {
            Ok(0) => return (buf, None),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                if buf.len() > limit {
                    return (buf, None);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return (buf, Some(e)),
        }
    }
}

/// Read one line (through `\n`) into `buf`, at most `max` bytes. Returns the bytes read
/// and whether the line was longer than `max` (then the rest of it is still unread).
pub fn read_line_bounded(r: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> std::io::Result<(usize, bool)> {
    let mut total = 0;
    loop {
        let available = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((total, false));
        }
        let room = max - total;
        let window = &available[..available.len().min(room)];
        if let Some(i) = memchr::memchr(b'\n', window) {
            buf.extend_from_slice(&window[..=i]);
            r.consume(i + 1);
            return Ok((total + i + 1, false));
        }
        let n = window.len();
        buf.extend_from_slice(window);
        r.consume(n);
        total += n;
        if total >= max {
            // Full: too long unless the line ends right here.
            let next = r.fill_buf()?;
            return match next.first() {
                None => Ok((total, false)),
                Some(b'\n') => {
                    buf.push(b'\n');
                    r.consume(1);
                    Ok((total + 1, false))
                }
                Some(_) => Ok((total, true)),
            };
        }
    }
}

/// Skip the rest of a line (through `\n`) without holding it. Returns the bytes skipped.
pub fn skip_line(r: &mut dyn BufRead) -> std::io::Result<u64> {
    let mut skipped = 0u64;
    loop {
        let available = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(skipped);
        }
        if let Some(i) = memchr::memchr(b'\n', available) {
            r.consume(i + 1);
            return Ok(skipped + i as u64 + 1);
        }
        let n = available.len();
        r.consume(n);
        skipped += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_reader_stops_a_bomb_and_passes_a_stream_at_the_bound() {
        let mut out = Vec::new();
        let e = LimitReader::new(std::io::repeat(0), 1000).read_to_end(&mut out).unwrap_err();
        assert!(is_limit_error(&e) && out.len() == 1000, "{e}");
        let mut out = Vec::new();
        LimitReader::new(&[7u8; 1000][..], 1000).read_to_end(&mut out).unwrap();
        assert_eq!(out.len(), 1000);
    }

    #[test]
    fn bounded_lines() {
        let mut r: &[u8] = b"abc\nabcdefgh\nxyz";
        let mut buf = Vec::new();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 4).unwrap(), (4, false));
        assert_eq!(buf, b"abc\n");
        buf.clear();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 4).unwrap(), (4, true));
        assert_eq!(skip_line(&mut r).unwrap(), 5);
        buf.clear();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 3).unwrap(), (3, false));
        assert_eq!(buf, b"xyz");
        let mut r: &[u8] = b"abcd\n";
        buf.clear();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 4).unwrap(), (5, false));
    }
}
