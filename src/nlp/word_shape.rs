//! Word-form features shared by the entity tagger and the parser: lowercasing into a
//! reused buffer and the hashed word shapes.

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Append the lowercase of `s` to `out` (ASCII fast path).
pub fn lower_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        for c in s.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Word shape: X for uppercase, x lowercase, d digit, a other letters, other ASCII kept,
/// `*` the rest; runs longer than 4 are cut (`long`), or collapsed to one (`short`), each
/// at most `N` symbols (the models were trained with their own `N`). Returns the two
/// hashes.
pub fn word_shapes<const N: usize>(s: &str) -> (u64, u64) {
    let mut long = [0u8; N];
    let mut short = [0u8; N];
    let (mut nl, mut ns) = (0usize, 0usize);
    let mut prev = 0u8;
    let mut run = 0usize;
    for c in s.chars() {
        let k = if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_numeric() {
            b'd'
        } else if c.is_ascii() {
            c as u8
        } else if c.is_alphabetic() {
            b'a'
        } else {
            b'*'
        };
        if k == prev {
            run += 1;
        } else {
            run = 1;
            prev = k;
            if ns < N {
                short[ns] = k;
                ns += 1;
            }
        }
        if run <= 4 && nl < N {
            long[nl] = k;
            nl += 1;
        }
    }
    (xxh3_64_with_seed(&long[..nl], 1), xxh3_64_with_seed(&short[..ns], 2))
}
