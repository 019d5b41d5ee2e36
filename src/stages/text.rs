//! Text cleaning used by `clean`: Unicode NFC, whitespace normalised with paragraphs kept
//! (blank-line, one-per-line and hard-wrapped/indented dumps), a basic HTML-to-text pass,
//! language identification and word counts.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// NFC-normalise, drop control characters, and rebuild paragraphs separated by one blank
/// line with single spaces inside.
pub fn normalize_text(raw: &str) -> String {
    let nfc: String = match is_nfc_quick(raw.chars()) {
        IsNormalized::Yes => raw.to_string(),
        _ => raw.nfc().collect(),
    };
    let text = nfc.replace("\r\n", "\n").replace('\r', "\n");
    let paragraphs = split_paragraphs(&text);
    let mut out = String::with_capacity(text.len());
    for p in paragraphs {
        let start = out.len();
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let before = out.len();
        push_collapsed(&mut out, p);
        if out.len() == before {
            out.truncate(start);
        }
    }
    out
}

/// Append `s` with every whitespace run collapsed to one space and control characters
/// removed, trimmed at both ends.
fn push_collapsed(out: &mut String, s: &str) {
    let mut pending_space = false;
    let mut wrote = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
            pending_space = wrote;
        } else if c.is_control() {
            continue;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
            wrote = true;
        }
    }
}

/// Split into paragraphs. Blank lines always separate paragraphs. Inside a block, a
/// hard-wrapped text (most lines 40-90 characters) joins its lines, breaking only where a
/// line starts indented; otherwise every line is a paragraph.
fn split_paragraphs(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for block in text.split("\n\n").flat_map(|b| b.split("\n \n")) {
        if block.trim().is_empty() {
            continue;
        }
        let lines: Vec<&str> = block.split('\n').collect();
        if lines.len() < 3 || !is_hard_wrapped(&lines) {
            if lines.len() <= 2 && is_hard_wrapped_pair(&lines) {
                out.push(block);
            } else {
                out.extend(lines.into_iter().filter(|l| !l.trim().is_empty()));
            }
            continue;
        }
        // Hard-wrapped: a new paragraph starts at an indented line.
        let mut start = 0usize;
        let mut offset = 0usize;
        for (i, line) in lines.iter().enumerate() {
            if i > 0 && (line.starts_with("  ") || line.starts_with('\t')) {
                out.push(&block[start..offset.saturating_sub(1)]);
                start = offset;
            }
            offset += line.len() + 1;
        }
        out.push(&block[start..]);
    }
    out
}

fn is_hard_wrapped(lines: &[&str]) -> bool {
    let lens: Vec<usize> = lines.iter().map(|l| l.trim().chars().count()).filter(|&n| n > 0).collect();
    if lens.len() < 3 {
        return false;
    }
    let wrapped = lens.iter().filter(|&&n| (40..=90).contains(&n)).count();
    wrapped * 10 >= lens.len() * 6
}

fn is_hard_wrapped_pair(lines: &[&str]) -> bool {
    lines.len() == 2 && {
        let first = lines[0].trim_end();
        (50..=90).contains(&first.chars().count()) && !first.ends_with(['.', '!', '?', '"', '”', ':'])
    }
}

/// Count words: runs of alphanumeric characters.
pub fn word_count(text: &str) -> i64 {
    let mut n = 0;
    let mut in_word = false;
    for c in text.chars() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            n += 1;
        }
        in_word = w;
    }
    n
}

/// ISO 639-1 code of the text's language, or None when it cannot be told.
pub fn detect_language(text: &str) -> Option<String> {
    let sample = &text[..text.floor_char_boundary(text.len().min(4000))];
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() && info.confidence() < 0.3 {
        return None;
    }
    Some(iso639_1(info.lang()).to_string())
}

fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en", Rus => "ru", Cmn => "zh", Spa => "es", Por => "pt", Ita => "it", Ben => "bn",
        Fra => "fr", Deu => "de", Ukr => "uk", Kat => "ka", Ara => "ar", Hin => "hi", Jpn => "ja",
        Heb => "he", Yid => "yi", Pol => "pl", Amh => "am", Jav => "jv", Kor => "ko", Nob => "nb",
        Dan => "da", Swe => "sv", Fin => "fi", Tur => "tr", Nld => "nl", Hun => "hu", Ces => "cs",
        Ell => "el", Bul => "bg", Bel => "be", Mar => "mr", Kan => "kn", Ron => "ro", Slv => "sl",
        Hrv => "hr", Srp => "sr", Mkd => "mk", Lit => "lt", Lav => "lv", Est => "et", Tam => "ta",
        Vie => "vi", Urd => "ur", Tha => "th", Guj => "gu", Uzb => "uz", Pan => "pa", Aze => "az",
        Ind => "id", Tel => "te", Pes => "fa", Mal => "ml", Ori => "or", Mya => "my", Nep => "ne",
        Sin => "si", Khm => "km", Tuk => "tk", Aka => "ak", Zul => "zu", Sna => "sn", Afr => "af",
        Lat => "la", Slk => "sk", Cat => "ca", Tgl => "tl", Hye => "hy", Epo => "eo",
        #[allow(unreachable_patterns)]
        _ => "und",
    }
}

/// Basic HTML to text: drops script/style/nav/header/footer/aside/form content, turns
/// block elements into paragraph breaks, decodes entities. Full main-content extraction
/// is a later stage of work; this keeps an HTML record's words rather than its markup.
pub fn html_to_text(html: &str) -> (String, Option<String>) {
    const SKIP: &[&str] = &["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "figure", "iframe", "button"];
    const BLOCK: &[&str] = &["p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "tr", "ul", "ol", "table"];
    let mut out = String::with_capacity(html.len() / 2);
    let mut title = None;
    let mut skip_depth: Vec<String> = Vec::new();
    let mut in_title = false;
    let mut title_buf = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        if skip_depth.is_empty() {
            if in_title {
                title_buf.push_str(text);
            } else {
                out.push_str(&decode_entities(text));
            }
        }
        let after = &rest[lt + 1..];
        if after.starts_with("!--") {
            rest = match after.find("-->") {
                Some(e) => &after[e + 3..],
                None => "",
            };
            continue;
        }
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if name == "title" {
            in_title = !closing;
            if closing && title.is_none() {
                let t = decode_entities(title_buf.trim());
                if !t.is_empty() {
                    title = Some(t);
                }
            }
            continue;
        }
        if SKIP.contains(&name.as_str()) && !tag.ends_with('/') {
            if closing {
                if let Some(pos) = skip_depth.iter().rposition(|n| *n == name) {
                    skip_depth.truncate(pos);
                }
            } else {
                skip_depth.push(name.clone());
            }
            continue;
        }
        if skip_depth.is_empty() && BLOCK.contains(&name.as_str()) {
            out.push_str("\n\n");
        }
    }
    if skip_depth.is_empty() {
        out.push_str(&decode_entities(rest));
    }
    (out, title)
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &after[..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "lsquo" => Some('‘'),
                "rsquo" => Some('’'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                "hellip" => Some('…'),
                _ if ent.starts_with("#x") || ent.starts_with("#X") => u32::from_str_radix(&ent[2..], 16).ok().and_then(char::from_u32),
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_kept_whitespace_collapsed() {
        assert_eq!(normalize_text("  One  two.\n\n\n Three\tfour. \r\n\r\nFive"), "One two.\n\nThree four.\n\nFive");
        // One paragraph per line.
        assert_eq!(normalize_text("First line.\nSecond line."), "First line.\n\nSecond line.");
        // Hard-wrapped with indented paragraph starts (Reuters style).
        let wrapped = "Showers continued throughout the week in the Bahia cocoa\nzone, alleviating the drought since early January and\nimproving prospects for the coming season.\n    The dry period means the harvest will be late this\nyear, traders said on Thursday.";
        assert_eq!(
            normalize_text(wrapped),
            "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought since early January and improving prospects for the coming season.\n\nThe dry period means the harvest will be late this year, traders said on Thursday."
        );
        // NFC: e + combining acute becomes é.
        assert_eq!(normalize_text("Cha\u{301}vez"), "Chávez");
    }

    #[test]
    fn html_basic() {
        let (t, title) = html_to_text("<html><head><title>A &amp; B</title><script>x=1</script></head><body><nav>Menu</nav><p>Hello&nbsp;world.</p><p>Second.</p></body></html>");
        assert_eq!(title.as_deref(), Some("A & B"));
        assert_eq!(normalize_text(&t), "Hello world.\n\nSecond.");
    }

    #[test]
    fn words_and_language() {
        assert_eq!(word_count("U.S. forces, 155,221 bags"), 6);
        assert_eq!(
            detect_language("The government said on Thursday that it would impose new sanctions on the country after talks failed.").as_deref(),
            Some("en")
        );
    }
}
