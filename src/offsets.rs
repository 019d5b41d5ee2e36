//! Byte offsets (used inside the stages) to character offsets (Unicode scalar values,
//! used in every table) and back, for one article's text.

/// Maps between byte and character offsets of one text. ASCII texts (the common case)
/// need no table.
pub struct CharOffsets {
    /// `byte_to_char[b]` for every byte offset `b` (only char boundaries are meaningful).
    byte_to_char: Option<Vec<u32>>,
    /// `char_to_byte[c]` for every char offset `c` up to the char count.
    char_to_byte: Option<Vec<u32>>,
    len: usize,
}

impl CharOffsets {
    pub fn new(text: &str) -> CharOffsets {
        if text.is_ascii() {
            return CharOffsets { byte_to_char: None, char_to_byte: None, len: text.len() };
        }
        let mut b2c = vec![0u32; text.len() + 1];
        let mut c2b = Vec::with_capacity(text.len() + 1);
        let mut ci = 0u32;
        for (bi, c) in text.char_indices() {
            for k in 0..c.len_utf8() {
                b2c[bi + k] = ci;
            }
            c2b.push(bi as u32);
            ci += 1;
        }
        b2c[text.len()] = ci;
        c2b.push(text.len() as u32);
        CharOffsets { byte_to_char: Some(b2c), char_to_byte: Some(c2b), len: text.len() }
    }

    /// Character offset of a byte offset (clamped to the text).
    pub fn char_of(&self, byte: usize) -> i64 {
        let byte = byte.min(self.len);
        match &self.byte_to_char {
            None => byte as i64,
            Some(t) => t[byte] as i64,
        }
    }

    /// Byte offset of a character offset (clamped to the text).
    pub fn byte_of(&self, ch: i64) -> usize {
        let ch = ch.max(0) as usize;
        match &self.char_to_byte {
            None => ch.min(self.len),
            Some(t) => t[ch.min(t.len() - 1)] as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let text = "Nicolás Maduro’s “government”";
        let o = CharOffsets::new(text);
        let b = text.find("Maduro").unwrap();
        assert_eq!(o.char_of(b), 8);
        assert_eq!(o.byte_of(8), b);
        assert_eq!(o.char_of(text.len()), text.chars().count() as i64);
        assert_eq!(o.byte_of(1000), text.len());
    }
}
