//! Tokenizer for news prose, following the CoNLL-2003 conventions the entity model is
//! trained on: possessive and clitic endings split off ("Digital" "'s", "do" "n't"),
//! abbreviations keep their periods ("U.S.", "Mr."), hyphenated words and numbers with
//! separators stay whole ("U.S.-sanctioned", "155,221", "5.93"), every other punctuation
//! mark is a token of its own. Emits byte spans; never allocates per token.

use super::{Span, Token};

/// Abbreviations that keep their trailing period (lowercase, without the period).
pub const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm", "gov", "sen", "rep", "rev", "hon", "pres",
    "st", "jr", "sr", "inc", "corp", "co", "ltd", "plc", "bros", "dept", "univ", "assn", "ave", "blvd", "mt", "ft", "no", "nos", "vs", "v",
    "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur",
    "thurs", "fri", "sat", "sun", "approx", "est", "fig", "vol", "ca", "cf", "al", "ariz", "calif", "colo", "conn", "fla", "ga", "ill",
    "ind", "kan", "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "penn", "tenn", "tex",
    "va", "vt", "wash", "wis", "wyo",
];

/// Title abbreviations: a period after them never ends a sentence.
pub const TITLE_ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm", "gov", "sen", "rep", "rev", "hon", "pres",
    "st", "no", "nos", "vs", "v",
];

/// Top-level domains that make "HealthCare.gov", "Amazon.com" one word.
pub const DOMAINS: &[&str] = &["gov", "com", "org", "net", "edu", "mil", "io"];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_combining(c)
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// True when `word` (without trailing period) is a known abbreviation.
pub fn is_abbreviation(word: &str) -> bool {
    if word.len() > 6 {
        return false;
    }
    let mut buf = [0u8; 8];
    let lower = ascii_lower(word, &mut buf);
    lower.is_some_and(|l| ABBREVIATIONS.contains(&l))
}

/// True when `word` (without trailing period) is a title abbreviation such as "Mr".
pub fn is_title_abbreviation(word: &str) -> bool {
    let mut buf = [0u8; 8];
    ascii_lower(word, &mut buf).is_some_and(|l| TITLE_ABBREVIATIONS.contains(&l))
}

fn ascii_lower<'b>(word: &str, buf: &'b mut [u8; 8]) -> Option<&'b str> {
    if word.len() > buf.len() || !word.is_ascii() {
        return None;
    }
    for (i, b) in word.bytes().enumerate() {
        buf[i] = b.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..word.len()]).ok()
}

/// Clitic endings split from the word before them ("'s", "'re", "'ll", "'ve", "'d", "'m").
fn is_clitic(rest: &str) -> bool {
    let mut buf = [0u8; 8];
    match ascii_lower(rest, &mut buf) {
        Some(l) => matches!(l, "s" | "re" | "ll" | "ve" | "d" | "m"),
        None => false,
    }
}

/// Tokenize `text` into `out` (cleared first).
// Offsets come from `char_indices` of `text`, `scan_*` ends and `len_utf8` steps: char boundaries.
#[allow(clippy::string_slice)]
pub fn tokenize(text: &str, out: &mut Vec<Token>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() || c.is_control() {
            chars.next();
            continue;
        }
        if is_word_char(c) {
            let end = scan_word(text, i);
            // Split "n't" off ("don't" -> "do" "n't").
            let word = &text[i..end];
            if let Some(pos) = nt_split(word) {
                push(out, i, i + pos);
                push(out, i + pos, end);
            } else {
                push(out, i, end);
            }
            while chars.peek().is_some_and(|&(j, _)| j < end) {
                chars.next();
            }
            continue;
        }
        // Apostrophe starting a clitic: "'s" after a word.
        if is_apostrophe(c) {
            let after = i + c.len_utf8();
            let rest_end = scan_alpha(text, after);
            let prev_is_word = out.last().is_some_and(|t| t.span.end as usize == i);
            if prev_is_word && rest_end > after && is_clitic(&text[after..rest_end]) {
                push(out, i, rest_end);
                while chars.peek().is_some_and(|&(j, _)| j < rest_end) {
                    chars.next();
                }
                continue;
            }
        }
        // Runs of the same punctuation ("...", "--", "''", "``") stay one token.
        let mut end = i + c.len_utf8();
        if matches!(c, '.' | '-' | '`' | '\'' | '*' | '=' | '!' | '?') {
            while end < bytes.len() && text[end..].starts_with(c) {
                end += c.len_utf8();
            }
        }
        push(out, i, end);
        while chars.peek().is_some_and(|&(j, _)| j < end) {
            chars.next();
        }
    }
}

fn push(out: &mut Vec<Token>, start: usize, end: usize) {
    out.push(Token { span: Span::new(start, end) });
}

// `from` is a char boundary; the rest are `char_indices` of the same text.
#[allow(clippy::string_slice)]
fn scan_alpha(text: &str, from: usize) -> usize {
    let mut end = from;
    for (j, c) in text[from..].char_indices() {
        if c.is_alphabetic() {
            end = from + j + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// Scan a word starting at `start`: alphanumerics joined by inner `.`, `-`, `,` (in
/// numbers), `&` (in all-caps names like "AT&T"), `/` and apostrophes that are not clitics.
/// "U.S.-sanctioned" is one word: after an abbreviation's period and a hyphen the scan
/// goes on with the next part, in a loop (a recursion per part overflowed the stack on a
/// long "A.-A.-A.-" run).
fn scan_word(text: &str, start: usize) -> usize {
    let mut from = start;
    loop {
        match scan_word_part(text, from) {
            (end, None) => return end,
            (_, Some(next)) => from = next,
        }
    }
}

/// One part of [`scan_word`]: its end, and where the word goes on when the part ends
/// with an abbreviation's period followed by a hyphen and a word character.
// Offsets come from `char_indices` of `text` and `len_utf8` steps: always char boundaries.
#[allow(clippy::string_slice)]
fn scan_word_part(text: &str, start: usize) -> (usize, Option<usize>) {
    let b = text.as_bytes();
    let mut end = start;
    let mut has_inner_dot = false;
    let mut in_domain = false;
    let mut iter = text[start..].char_indices().peekable();
    while let Some((off, c)) = iter.next() {
        let pos = start + off;
        if is_word_char(c) {
            end = pos + c.len_utf8();
            continue;
        }
        let next = text[pos + c.len_utf8()..].chars().next();
        let next_is_word = next.is_some_and(is_word_char);
        let prev = text[..pos].chars().next_back();
        let joined = match c {
            '.' => {
                // "U.S", "5.93", "e.g"; not "end.Next" where a long lowercase word precedes.
                let prev_digit = prev.is_some_and(|p| p.is_ascii_digit());
                let next_digit = next.is_some_and(|n| n.is_ascii_digit());
                next_is_word
                    && ((prev_digit && next_digit) || pos - last_break(text, start, pos) <= 1 || {
                        // A web domain's last dot: "HealthCare.gov", not "end.Next"; a period
                        // after it ends the sentence.
                        let tld_end = scan_alpha(text, pos + 1);
                        let domain =
                            DOMAINS.contains(&&text[pos + 1..tld_end]) && text[tld_end..].chars().next().is_none_or(|n| !is_word_char(n));
                        in_domain |= domain;
                        domain
                    })
            }
            ',' => {
                prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit())
                    && b.get(pos + 4).is_none_or(|&x| !x.is_ascii_digit())
            }
            '-' | '/' | '&' => next_is_word,
            '\'' | '\u{2019}' => {
                next_is_word && {
                    let rest_end = scan_alpha(text, pos + c.len_utf8());
                    let rest = &text[pos + c.len_utf8()..rest_end];
                    !is_clitic(rest)
                }
            }
            _ => false,
        };
        if !joined {
            break;
        }
        if c == '.' {
            has_inner_dot = true;
        }
        end = pos + c.len_utf8();
        let _ = iter.peek();
    }
    // A trailing period joins abbreviations: "U.S." "Mr." "J.".
    if b.get(end) == Some(&b'.') && !in_domain {
        let word = &text[start..end];
        let single_letter = word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase());
        let dotted = has_inner_dot && !word.chars().any(|c| c.is_ascii_digit());
        if single_letter || dotted || is_abbreviation(word) {
            end += 1;
            // "U.S.-sanctioned" stays one word.
            if b.get(end) == Some(&b'-') && text.get(end + 1..).and_then(|r| r.chars().next()).is_some_and(is_word_char) {
                return (end, Some(end + 1));
            }
        }
    }
    (end, None)
}

/// Byte position where the current dot-separated segment started (for "U.S" detection:
/// only single-character segments are joined by dots).
// `start` and `pos` are char boundaries of `text` (see `scan_word_part`).
#[allow(clippy::string_slice)]
fn last_break(text: &str, start: usize, pos: usize) -> usize {
    text[start..pos].rfind(['.', '-']).map(|p| start + p + 1).unwrap_or(start)
}

/// Position of "n't" inside a word like "don't" / "can't" / "isn’t".
fn nt_split(word: &str) -> Option<usize> {
    for suffix in ["n't", "n\u{2019}t", "N'T"] {
        if word.len() > suffix.len() && word.ends_with(suffix) {
            return Some(word.len() - suffix.len());
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::string_slice)] // tests: token spans of the text; a panic is a failure
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        tokenize(text, &mut out);
        out.iter().map(|t| &text[t.span.range()]).collect()
    }

    #[test]
    fn case_names_and_web_domains() {
        assert_eq!(toks("Roe v. Wade, on HealthCare.gov."), ["Roe", "v.", "Wade", ",", "on", "HealthCare.gov", "."]);
        assert_eq!(toks("the end.Next one.com2"), ["the", "end", ".", "Next", "one", ".", "com2"]);
    }

    #[test]
    fn conll_conventions() {
        assert_eq!(
            toks("Fox News Digital's report, the U.S.-sanctioned tanker."),
            vec!["Fox", "News", "Digital", "'s", "report", ",", "the", "U.S.-sanctioned", "tanker", "."]
        );
        assert_eq!(
            toks("Mr. Smith paid $5.93 for 155,221 bags."),
            vec!["Mr.", "Smith", "paid", "$", "5.93", "for", "155,221", "bags", "."]
        );
        assert_eq!(toks("They don't know, he said."), vec!["They", "do", "n't", "know", ",", "he", "said", "."]);
        assert_eq!(toks("“Moscow’s support”"), vec!["“", "Moscow", "’s", "support", "”"]);
        assert_eq!(toks("in the U.S. The"), vec!["in", "the", "U.S.", "The"]);
        assert_eq!(toks("O'Brien and AT&T"), vec!["O'Brien", "and", "AT&T"]);
        assert_eq!(toks("Hugo Chávez..."), vec!["Hugo", "Chávez", "..."]);
    }

    #[test]
    fn long_abbreviation_hyphen_runs_do_not_overflow_the_stack() {
        // Each "A.-" link once cost a stack frame; 60 KB of them aborted the process.
        let run = "A.-".repeat(200_000) + "B";
        let t = toks(&run);
        assert_eq!(t.len(), 1, "one hyphenated word");
        assert_eq!(t[0].len(), run.len());
        assert_eq!(toks("U.S.-Iran talks"), vec!["U.S.-Iran", "talks"]);
    }

    #[test]
    fn spans_stay_inside_text() {
        for text in ["", "'", "a.", "..", "x'", "\u{301}a", "é.'s", "1,2", "U.S"] {
            let mut out = Vec::new();
            tokenize(text, &mut out);
            for t in &out {
                assert!(t.span.end as usize <= text.len() && t.span.start < t.span.end);
                assert!(text.is_char_boundary(t.span.start as usize));
                assert!(text.is_char_boundary(t.span.end as usize));
            }
        }
    }
}
