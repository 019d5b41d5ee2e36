//! Quotation spans of one article: “…”, "…", ‘…’, '…', « », „“ (and ‚‘). Apostrophes
//! (Moscow’s, don't, the ’90s) and inch or foot marks (5'10", 6") are not quotes. A
//! quote left open at a paragraph break ends there (news style: a quote running on
//! into the next paragraph reopens it with a new mark).

use crate::nlp::Span;

/// One quotation: the span of its marks and of its content (marks excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quote {
    /// From the opening mark to the closing mark (both included), or to the
    /// paragraph end when unclosed.
    pub outer: Span,
    /// Inside the marks, trimmed of whitespace.
    pub content: Span,
    /// Whether a closing mark was found.
    pub closed: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// “ ” (also „ “ and « »): typographic double quotes.
    Double(char),
    /// ASCII ".
    Straight,
    /// ‘ ’ or ‚ ‘.
    Single(char),
    /// ASCII '.
    StraightSingle,
    /// `` or '' (typewriter doubles).
    Doubled,
}

/// Longest run a single quote may span (bytes): beyond it, the mark was an apostrophe.
const SINGLE_MAX: usize = 400;

fn letter(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric())
}

fn space_or_start(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':' | '“' | '"'))
}

/// Bytes that may start a character `find_quotes` acts on: a line break, the ASCII
/// marks, and the lead bytes of the typographic marks (U+00AB/BB « », U+2018..201E).
/// They never occur inside another character, so every other byte (and character) is
/// skipped in bulk.
const fn candidate_bytes() -> [bool; 256] {
    let mut t = [false; 256];
    t[b'\n' as usize] = true;
    t[b'`' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'"' as usize] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t
}

static CANDIDATE: [bool; 256] = candidate_bytes();

/// Find the quotations of `text`, in order, not nested (an inner quote stays part of
/// the outer one).
pub(crate) fn find_quotes(text: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Mark)> = None;
    let mut prev: Option<char> = None;
    let bytes = text.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        // Characters that are no mark and no line break only time out a single quote
        // (as the first of them past `SINGLE_MAX` would) and become `prev`.
        let from = pos;
        while pos < bytes.len() && !CANDIDATE[bytes[pos] as usize] {
            pos += 1;
        }
        // `pos` stops at an ASCII byte or a lead byte: always a char boundary.
        if let Some(last) = text.get(from..pos).and_then(|t| t.chars().next_back()) {
            if let Some((o, Mark::Single(_) | Mark::StraightSingle)) = open {
                if pos - last.len_utf8() - o > SINGLE_MAX {
                    open = None;
                }
            }
            prev = Some(last);
            if pos == bytes.len() {
                break;
            }
        }
        let i = pos;
        let Some(c) = char_at(text, i) else {
            break;
        };
        let after = i + c.len_utf8();
        pos = after;
        let next = char_at(text, after);
        if c == '\n' {
            if let Some((o, m)) = open.take() {
                // Single quotes never run across paragraphs: drop them.
                if matches!(m, Mark::Double(_) | Mark::Straight | Mark::Doubled) {
                    push(&mut out, text, o, i, false);
                }
            }
            prev = Some(c);
            continue;
        }
        // Typewriter doubles: `` opens, '' opens or closes (as a straight double quote).
        if (c == '`' || c == '\'') && next == Some(c) {
            let after2 = after + 1;
            pos = after2;
            let next2 = char_at(text, after2);
            match open {
                None if c == '`' || (!prev.is_some_and(char::is_alphanumeric) && !next2.is_none_or(char::is_whitespace)) => {
                    open = Some((i, Mark::Doubled));
                }
                Some((o, Mark::Doubled)) => {
                    push(&mut out, text, o, after2, true);
                    open = None;
                }
                _ => {}
            }
            prev = Some(c);
            continue;
        }
        match open {
            None => {
                let mark = match c {
                    '“' | '„' | '«' => Some(Mark::Double(c)),
                    // A closing mark typed for an opening one (” … so not like him,”).
                    '”' if space_or_start(prev) && letter(next) => Some(Mark::Double('“')),
                    '"' if !prev.is_some_and(|p| p.is_ascii_digit()) && !next.is_none_or(char::is_whitespace) => Some(Mark::Straight),
                    '‘' | '‚' if space_or_start(prev) && letter(next) => Some(Mark::Single(c)),
                    '\'' if space_or_start(prev) && letter(next) && !elision(text, after) => Some(Mark::StraightSingle),
                    _ => None,
                };
                if let Some(m) = mark {
                    open = Some((i, m));
                }
            }
            Some((o, m)) => {
                let closes = match m {
                    Mark::Double(opener) => match c {
                        '”' => true,
                        // Mixed marks of a sloppy text: “… ," and “…,“ he said.
                        '"' | '“' if opener == '“' && closing_at(prev, next) => true,
                        '“' => opener == '„' || reopen(&mut out, text, &mut open, i),
                        '»' => opener == '«',
                        _ => false,
                    },
                    Mark::Straight => (c == '"' || c == '”') && !prev.is_none_or(char::is_whitespace),
                    Mark::Single(opener) => (c == '’' && !letter(next) || (opener == '‚' && c == '‘')) && i - o <= SINGLE_MAX,
                    Mark::StraightSingle => c == '\'' && !letter(next) && !prev.is_none_or(char::is_whitespace),
                    Mark::Doubled => false,
                };
                if closes {
                    push(&mut out, text, o, after, true);
                    open = None;
                } else if matches!(m, Mark::Single(_) | Mark::StraightSingle) && i - o > SINGLE_MAX {
                    open = None;
                } else if m == Mark::Straight && c == '"' && prev.is_none_or(char::is_whitespace) {
                    // A second opening mark: the first was never closed.
                    push(&mut out, text, o, i, false);
                    open = Some((i, Mark::Straight));
                }
            }
        }
        prev = Some(c);
    }
    if let Some((o, m)) = open {
        if matches!(m, Mark::Double(_) | Mark::Straight | Mark::Doubled) {
            push(&mut out, text, o, text.len(), false);
        }
    }
    out
}

/// A “ inside an open “…: the first quote was never closed; it ends here and a new one
/// opens. Always false (the new quote is opened in place).
fn reopen(out: &mut Vec<Quote>, text: &str, open: &mut Option<(usize, Mark)>, i: usize) -> bool {
    if let Some((o, _)) = open.take() {
        push(out, text, o, i, false);
    }
    *open = Some((i, Mark::Double('“')));
    false
}

/// A mark after a word or punctuation and before a space, a punctuation mark or the end
/// closes a quote, whatever its shape.
fn closing_at(prev: Option<char>, next: Option<char>) -> bool {
    prev.is_some_and(|p| !p.is_whitespace())
        && next.is_none_or(|n| n.is_whitespace() || matches!(n, ',' | '.' | ';' | ':' | ')' | '?' | '!'))
}

/// The character starting at byte `at`, if `at` is a char boundary inside `text`.
fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|t| t.chars().next())
}

/// 'n', 'em, 'til, '90s: elisions, not quotes.
fn elision(text: &str, at: usize) -> bool {
    let rest = text.get(at..).unwrap_or("");
    let w = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    matches!(w, "n" | "em" | "til" | "tis" | "twas" | "cause") || w.bytes().all(|b| b.is_ascii_digit())
}

/// Record a quote from the opening mark at `o` to `end` (after the closing mark when
/// `closed`, else the end of the content).
fn push(out: &mut Vec<Quote>, text: &str, o: usize, end: usize, closed: bool) {
    // `o` and `end` are char boundaries (a mark's start, after a mark or a line break).
    let from_open = text.get(o..).unwrap_or("");
    let open_len =
        if from_open.starts_with("''") || from_open.starts_with("``") { 2 } else { from_open.chars().next().map_or(1, char::len_utf8) };
    let inner_start = o + open_len;
    let inner_end = if closed {
        let to_end = text.get(..end).unwrap_or("");
        let close_len = if to_end.ends_with("''") { 2 } else { to_end.chars().next_back().map_or(1, char::len_utf8) };
        end - close_len
    } else {
        end
    };
    if inner_end <= inner_start {
        return;
    }
    let Some(inner) = text.get(inner_start..inner_end) else {
        return;
    };
    let lead = inner.len() - inner.trim_start().len();
    let trail = inner.len() - inner.trim_end().len();
    let (a, b) = (inner_start + lead, inner_end - trail);
    if b <= a {
        return;
    }
    out.push(Quote { outer: Span::new(o, end), content: Span::new(a, b), closed });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content_of<'a>(text: &'a str, q: &Quote) -> &'a str {
        text.get(q.content.range()).expect("quote content on char boundaries")
    }

    fn contents(text: &str) -> Vec<&str> {
        find_quotes(text).iter().map(|q| content_of(text, q)).collect()
    }

    #[test]
    fn quote_styles() {
        assert_eq!(contents("He said “we won,” and left."), vec!["we won,"]);
        assert_eq!(contents("\"Go home,\" she said. \"Now.\""), vec!["Go home,", "Now."]);
        assert_eq!(contents("Er sagte „Nein“ und ging."), vec!["Nein"]);
        assert_eq!(contents("Il a dit « non » hier."), vec!["non"]);
        assert_eq!(contents("a ‘soft’ landing"), vec!["soft"]);
        assert_eq!(contents("called it 'absolutely right' today"), vec!["absolutely right"]);
        assert_eq!(contents("''It is over,'' said Ms. Roe. ``Yes.''"), vec!["It is over,", "Yes."]);
        // Mixed marks, as sloppy copy has them.
        assert_eq!(contents("“We won,\" she said. \"Now.” Then “Apparently not,“ he said."), vec!["We won,", "Now.", "Apparently not,"]);
        assert_eq!(contents("Earlier: ”They are so not like him,” she said."), vec!["They are so not like him,"]);
    }

    #[test]
    fn apostrophes_and_inches_are_not_quotes() {
        assert!(contents("Moscow’s support and don't worry, it’s the ’90s.").is_empty());
        assert!(contents("He is 5'10\" and the board is 6\" wide.").is_empty());
        assert!(contents("rock 'n' roll and the players' union").is_empty());
    }

    #[test]
    fn nested_and_unclosed() {
        assert_eq!(contents("“He called it ‘a mess,’ sadly,” she said."), vec!["He called it ‘a mess,’ sadly,"]);
        let text = "“First part of a long quote.\n“Second paragraph,” he said.";
        assert_eq!(contents(text), vec!["First part of a long quote.", "Second paragraph,"]);
    }

    #[test]
    fn spans_on_char_boundaries() {
        for text in ["“", "”", "“é", "\"", "'é'", "‘’", "«»", "„é“", "“a“b”"] {
            for q in find_quotes(text) {
                assert!(text.is_char_boundary(q.content.start as usize) && text.is_char_boundary(q.content.end as usize));
                assert!(q.content.end as usize <= text.len());
            }
        }
    }
}
