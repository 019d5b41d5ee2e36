//! Bytes of an HTML page to text: the charset comes from a byte-order mark, else the HTTP
//! `Content-Type` header, else a `<meta charset>` / `<meta http-equiv="Content-Type">` in
//! the first 4 KiB, else UTF-8 when the bytes are valid UTF-8, else the encoding `chardetng`
//! guesses from the bytes (as the rest of the loader does, [`decode_undeclared`]). A page declared as Latin-1/Windows-1252/ASCII whose bytes are
//! valid UTF-8 with non-ASCII characters is read as UTF-8 (a common mislabel).

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// The legacy encoding of bytes that are not valid UTF-8 and declare none, guessed by
/// `chardetng` (the detector Firefox uses for unlabelled pages): Windows-1252 for Western
/// European text, and e.g. Windows-1251/KOI8-R, Shift_JIS, EUC-KR, GBK, Big5 when the bytes
/// say so. Short Latin snippets come out as Windows-1252, a superset of Latin-1.
pub fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// Bytes with no declared encoding as text: UTF-8 when valid (no detection cost), else
/// decoded with the guessed legacy encoding ([`guess_legacy`]).
pub fn decode_undeclared(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => guess_legacy(bytes).decode_without_bom_handling(bytes).0,
    }
}

/// The charset named in a `Content-Type` value (`text/html; charset=utf-8`).
pub fn charset_from_content_type(value: &str) -> Option<&'static Encoding> {
    let lower = value.to_ascii_lowercase();
    let rest = lower.split_once("charset")?.1.trim_start().strip_prefix('=')?.trim_start();
    let label: String =
        rest.trim_start_matches(['"', '\'']).chars().take_while(|c| !matches!(c, '"' | '\'' | ';' | ',' | ' ' | '>' | '/')).collect();
    Encoding::for_label(label.trim().as_bytes())
}

/// The charset declared by a `<meta>` tag near the start of the page.
pub fn charset_from_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    for (start, _) in text.match_indices("<meta") {
        let tag = text.get(start..).unwrap_or("");
        let tag = tag.split_once('>').map_or(tag, |(t, _)| t);
        if let Some((_, rest)) = tag.split_once("charset") {
            if let Some(v) = rest.trim_start().strip_prefix('=') {
                let label: String = v
                    .trim_start()
                    .trim_start_matches(['"', '\''])
                    .chars()
                    .take_while(|c| !matches!(c, '"' | '\'' | ';' | ' ' | '/' | '>'))
                    .collect();
                if let Some(enc) = Encoding::for_label(label.as_bytes()) {
                    return Some(enc);
                }
            }
        }
    }
    None
}

/// Decode a page. `content_type` is the HTTP `Content-Type` header, when known.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[bom_len..]).0.into_owned();
    }
    let declared = content_type.and_then(charset_from_content_type).or_else(|| charset_from_meta(bytes));
    let enc = match declared {
        // UTF-16 cannot be declared from inside the page; a meta claiming it means UTF-8.
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => UTF_8,
        Some(e) if e == WINDOWS_1252 && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() => UTF_8,
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None => guess_legacy(bytes),
    };
    if enc == UTF_8 {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return s.to_string();
        }
    }
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_meta_and_fallbacks() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>";
        assert!(decode_html(latin1, None).contains("café"));
        let sjis = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"><p>\x93\xfa\x96\x7b</p>";
        assert!(decode_html(sjis, None).contains("日本"));
        // The HTTP header wins over the page.
        assert!(decode_html(b"<p>caf\xe9</p>", Some("text/html; charset=windows-1252")).contains("café"));
        // Undeclared: valid UTF-8 stays UTF-8, anything else is guessed.
        assert!(decode_html("<p>café</p>".as_bytes(), None).contains("café"));
        assert!(decode_html(b"<p>caf\xe9 \x93q\x94</p>", None).contains("café “q”"));
        let (koi8, _, _) = encoding_rs::KOI8_R.encode("<p>Правительство России заявило во вторник, что переговоры продолжатся.</p>");
        assert!(decode_html(&koi8, None).contains("Правительство России"), "{}", decode_html(&koi8, None));
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("<p>日本政府は火曜日、交渉を続けると発表した。</p>");
        assert!(decode_html(&sjis, None).contains("日本政府は火曜日"), "{}", decode_html(&sjis, None));
        // Mislabelled Latin-1 that is really UTF-8.
        assert!(decode_html("<meta charset=latin1><p>café</p>".as_bytes(), None).contains("café"));
        // BOM.
        assert_eq!(decode_html(b"\xef\xbb\xbfhi", Some("text/html; charset=iso-8859-1")), "hi");
        assert_eq!(charset_from_content_type("text/html;charset=\"UTF-8\"").map(|e| e.name()), Some("UTF-8"));
    }

    #[test]
    fn undeclared_guesses() {
        assert!(matches!(decode_undeclared("déjà vu".as_bytes()), Cow::Borrowed("déjà vu")));
        // Latin-1 / Windows-1252 prose, even short.
        assert_eq!(decode_undeclared(b"Caf\xe9 cr\xe8me, na\xefve \x93quote\x94 \x80 5"), "Café crème, naïve “quote” € 5");
        assert_eq!(decode_undeclared(b"M\xfcnchen"), "München");
        let (w1251, _, _) = encoding_rs::WINDOWS_1251.encode("Центральный банк России повысил ключевую ставку.");
        assert_eq!(decode_undeclared(&w1251), "Центральный банк России повысил ключевую ставку.");
        let (koi8, _, _) = encoding_rs::KOI8_R.encode("Центральный банк России повысил ключевую ставку.");
        assert_eq!(decode_undeclared(&koi8), "Центральный банк России повысил ключевую ставку.");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("東京株式市場で日経平均株価が続落した。");
        assert_eq!(decode_undeclared(&sjis), "東京株式市場で日経平均株価が続落した。");
    }
}
