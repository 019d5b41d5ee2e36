//! Sentence splitting over tokens. A sentence ends at `.`, `!`, `?` (or an abbreviation
//! that also closes a sentence, like "U.S." before "The"), taking closing quotes and
//! brackets with it, when the next token opens a new sentence; a line break (cleaned text
//! keeps only paragraph breaks) always ends one. Titles ("Mr.", "Gen.") never end one.

use super::token::is_title_abbreviation;
use super::{Sentence, Span, Token};

/// Words that start sentences far more often than they follow an abbreviation.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "In",
    "A",
    "An",
    "But",
    "And",
    "This",
    "That",
    "There",
    "His",
    "Her",
    "Its",
    "Their",
    "On",
    "At",
    "As",
    "After",
    "When",
    "While",
    "If",
    "Officials",
    "Some",
    "Many",
    "Meanwhile",
    "However",
    "Still",
    "Earlier",
    "Later",
    "Last",
];

fn is_closer(s: &str) -> bool {
    matches!(s, "\"" | "'" | "”" | "’" | "»" | ")" | "]" | "}" | "''" | "“")
}

fn opens_sentence(s: &str) -> bool {
    let c = s.chars().next().unwrap_or(' ');
    c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '«' | '(' | '[' | '\'' | '-' | '—' | '•' | '*')
}

/// Tokens per sentence when no bound is configured (`[limits] max_sentence_tokens`).
pub const MAX_SENTENCE_TOKENS: usize = 400;

/// Split tokens into sentences of at most `max_tokens` tokens (at least 2). Every token
/// belongs to exactly one sentence. A longer "sentence" (a pasted table, a scraped
/// script, a page without punctuation) is cut into pieces, after a `;` or `,` in the
/// second half of each piece when there is one: the extractors' work per sentence, and the
/// spans they give, stay bounded whatever the input.
pub fn split_bounded(text: &str, tokens: &[Token], max_tokens: usize) -> Vec<Sentence> {
    split_bounded_counted(text, tokens, max_tokens).0
}

/// [`split_bounded`], and how many sentences were cut.
pub fn split_bounded_counted(text: &str, tokens: &[Token], max_tokens: usize) -> (Vec<Sentence>, usize) {
    let max = max_tokens.max(2);
    let sentences = split(text, tokens);
    let overlong = sentences.iter().filter(|s| s.tokens.len() > max).count();
    if overlong == 0 {
        return (sentences, 0);
    }
    let is_pause = |i: usize| matches!(text.get(tokens[i].span.range()), Some(";" | "," | ":" | "—" | "–"));
    let mut out = Vec::with_capacity(sentences.len());
    for s in sentences {
        if s.tokens.len() <= max {
            out.push(s);
            continue;
        }
        let mut start = s.tokens.start;
        while s.tokens.end - start > max {
            let limit = start + max;
            // Prefer the last pause in the second half of the window (a semicolon over a comma).
            let half = start + max / 2;
            let semi = (half..limit).rev().find(|&i| text.get(tokens[i].span.range()) == Some(";"));
            let cut = semi.or_else(|| (half..limit).rev().find(|&i| is_pause(i))).map_or(limit, |i| i + 1);
            out.push(Sentence {
                span: Span::new(tokens[start].span.start as usize, tokens[cut - 1].span.end as usize),
                tokens: start..cut,
            });
            start = cut;
        }
        out.push(Sentence { span: Span::new(tokens[start].span.start as usize, s.span.end as usize), tokens: start..s.tokens.end });
    }
    (out, overlong)
}

/// Split tokens into sentences. Every token belongs to exactly one sentence.
pub fn split(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let n = tokens.len();
    let tok = |i: usize| crate::text_slice(text, tokens[i].span.range());
    let mut i = 0;
    while i < n {
        let mut end_here = false;
        let mut last = i;
        let t = tok(i);
        if matches!(t, "." | "!" | "?" | "..." | "?!" | "!!" | "??") || t.starts_with("...") {
            end_here = true;
        } else if t.len() > 1 && t.ends_with('.') {
            // Abbreviation with its period: ends a sentence only before a likely starter.
            let word = t.strip_suffix('.').unwrap_or(t);
            if !is_title_abbreviation(word) && i + 1 < n {
                let next = tok(i + 1);
                end_here = SENTENCE_STARTERS.contains(&next);
            }
        }
        if end_here {
            // Take closing quotes and brackets with the sentence.
            while last + 1 < n && is_closer(tok(last + 1)) && is_closing_position(text, tokens, last + 1) {
                last += 1;
            }
            if last + 1 < n {
                let next = tok(last + 1);
                let gap_has_newline =
                    crate::text_slice(text, tokens[last].span.end as usize..tokens[last + 1].span.start as usize).contains('\n');
                if !(opens_sentence(next) || gap_has_newline) {
                    end_here = false;
                }
            }
        }
        if !end_here && i + 1 < n {
            let gap = crate::text_slice(text, tokens[i].span.end as usize..tokens[i + 1].span.start as usize);
            if gap.contains('\n') {
                end_here = true;
                last = i;
            }
        }
        if end_here || last + 1 == n {
            out.push(Sentence {
                span: Span::new(tokens[start].span.start as usize, tokens[last].span.end as usize),
                tokens: start..last + 1,
            });
            start = last + 1;
        }
        i = last + 1;
    }
    out
}

/// A quote token closes when it touches the previous token (no space before it).
fn is_closing_position(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = crate::text_slice(text, tokens[i].span.range());
    if matches!(t, "”" | "’" | "»" | ")" | "]" | "}" | "''") {
        return true;
    }
    i > 0 && tokens[i - 1].span.end == tokens[i].span.start
}

#[cfg(test)]
#[allow(clippy::string_slice)] // tests: sentence spans of the text; a panic is a failure
mod tests {
    use super::super::token::tokenize;
    use super::*;

    fn sents(text: &str) -> Vec<&str> {
        let mut toks = Vec::new();
        tokenize(text, &mut toks);
        split(text, &toks).iter().map(|s| &text[s.span.range()]).collect()
    }

    #[test]
    fn abbreviations_and_quotes() {
        assert_eq!(
            sents("Gen. Mark Milley met Mr. Smith in the U.S. on Monday. They talked."),
            vec!["Gen. Mark Milley met Mr. Smith in the U.S. on Monday.", "They talked."]
        );
        assert_eq!(sents("He said: \"We will win.\" The crowd cheered."), vec!["He said: \"We will win.\"", "The crowd cheered."]);
        assert_eq!(sents("\"Will we win?\" he asked. Nobody knew."), vec!["\"Will we win?\" he asked.", "Nobody knew."]);
        assert_eq!(sents("It rained in the U.S. The end"), vec!["It rained in the U.S.", "The end"]);
        assert_eq!(sents("First paragraph\n\nSecond one."), vec!["First paragraph", "Second one."]);
    }

    #[test]
    fn overlong_sentences_are_cut_at_pauses_within_the_bound() {
        let text = "officials said the talks went on, ".repeat(300);
        let mut toks = Vec::new();
        tokenize(&text, &mut toks);
        let s = split_bounded(&text, &toks, 50);
        assert!(s.len() >= toks.len() / 50);
        assert!(s.iter().all(|x| x.tokens.len() <= 50 && !x.tokens.is_empty()));
        assert!(s.windows(2).all(|w| w[0].tokens.end == w[1].tokens.start));
        assert_eq!(s.last().unwrap().tokens.end, toks.len());
        assert!(s[..s.len() - 1].iter().all(|x| text[x.span.range()].ends_with(',')), "cut after commas");
        // No pause at all: cut at the bound.
        let text = "word ".repeat(1000);
        tokenize(&text, &mut toks);
        let s = split_bounded(&text, &toks, 64);
        assert!(s.iter().all(|x| x.tokens.len() <= 64));
        assert_eq!(s.iter().map(|x| x.tokens.len()).sum::<usize>(), 1000);
        for x in &s {
            assert_eq!(x.span.start, toks[x.tokens.start].span.start);
            assert_eq!(x.span.end, toks[x.tokens.end - 1].span.end);
        }
    }

    #[test]
    fn every_token_in_one_sentence() {
        let text = "a. b! c? \"d.\" (e.) ... f";
        let mut toks = Vec::new();
        tokenize(text, &mut toks);
        let s = split(text, &toks);
        let covered: usize = s.iter().map(|s| s.tokens.len()).sum();
        assert_eq!(covered, toks.len());
        assert!(s.windows(2).all(|w| w[0].tokens.end == w[1].tokens.start));
    }
}
