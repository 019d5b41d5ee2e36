//! Publisher furniture for `clean`: the text a site wraps around every story (newsletter
//! and sign-up prompts, share bars, "Story Continued Below", captions and photo credits,
//! copyright lines, The Hill's inline link tooltips) that is not the article and would
//! otherwise become entities, events and attributions.
//!
//! Two rules, both on whole paragraphs (a cleaned text has one paragraph per line, separated
//! by a blank line), plus one inline rule:
//! - **Patterns** ([`strip_patterns`]), per article: paragraphs that are prompts, captions,
//!   credits or markers by their wording, and The Hill's tooltips ("Chuck Schumer Charles
//!   Ellis SchumerHeadline one Headline two MORE (D-N.Y.)": the full name, three headlines
//!   and "MORE" after a name are cut, the name stays).
//! - **Repeated lines** ([`LineCounter`], [`RepeatedLines`]), run-wide: a paragraph that
//!   appears word for word (case and punctuation aside) in at least `N(n)` = max(`[clean]
//!   furniture_min_repeats`, ceil(log2 n)) distinct articles of one source with n articles, or
//!   in at least `N(all articles)` articles across `furniture_min_sources` sources. The
//!   threshold grows slowly with the source so a small dump keeps lines a few follow-up
//!   stories share, while a prompt printed under hundreds of stories goes. Only articles
//!   that are not duplicates of an earlier one (by the run's own exact and near-duplicate
//!   test on the text after the pattern rule) are counted, so the versions of one story
//!   never make each other's paragraphs "repeated".
//!
//! Credit lines ("The Associated Press contributed to this report.", "Reporting by ...")
//! are never furniture: they become credit attribution rows.
//!
//! The counts are folded in input order and keyed by hashes of the normalised paragraph,
//! so the result is the same for any thread count and in every shard (every shard counts
//! the whole dump). Memory: one entry per distinct paragraph of the dump (a 64-bit hash and
//! 12 bytes of counts, ~40 bytes in the hash table) plus one per (source, paragraph) pair
//! seen in more than one article.

use crate::hashing::FxBuild;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::{Regex, RegexSet};
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use xxhash_rust::xxh3::xxh3_64;

/// Paragraph separator of a cleaned text.
pub const SEP: &str = "\n\n";
/// Prompts, captions and link lines are short; a longer paragraph that happens to contain
/// "click here" or a photo credit is prose and stays (the repeated-line rule still sees it).
const MAX_PROMPT_WORDS: usize = 80;
/// Link lines ("More: ...", "READ MORE: ...") name one headline.
const MAX_LINK_WORDS: usize = 40;
/// How far before "MORE" a Hill tooltip may start (a name and three headlines).
const TOOLTIP_WINDOW: usize = 800;
/// The end-anchored patterns (a photo credit in parentheses) look this far back.
const TAIL_BYTES: usize = 320;
/// A tooltip holds headlines: a shorter run between a repeated name and "MORE" is prose.
const TOOLTIP_MIN_BYTES: usize = 40;
/// First and middle names a tooltip's full name may have before the surname.
const TOOLTIP_MAX_GIVEN: usize = 6;

struct Patterns {
    /// The whole paragraph is furniture.
    whole: RegexSet,
    /// Furniture when the paragraph has at most [`MAX_PROMPT_WORDS`] words.
    short: RegexSet,
    /// Like `short`, anchored at the end: run on the paragraph's last [`TAIL_BYTES`] only.
    tail: RegexSet,
    /// Furniture when the paragraph has at most [`MAX_LINK_WORDS`] words.
    link: RegexSet,
    /// Phrases (ASCII case-insensitive) that make a short paragraph a prompt.
    phrases: AhoCorasick,
    /// Widget labels that make any paragraph furniture: CNN galleries and video blocks
    /// carry them inside (SIMD substring search: these run on every paragraph).
    widgets: Vec<memchr::memmem::Finder<'static>>,
    credit: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let set = |p: &[&str]| RegexSet::new(p).expect("furniture patterns compile");
        Patterns {
            whole: set(&[
                // Markers and one-word labels.
                r"(?i)^(advertisement:?|advertisement continue reading the main story|ad|story continued below|continue reading( below| the main story)?|close|loading\.*|photos?|videos?|image|print|link copied|more on this\.*|editors|\[pullquote\])$",
                // Rules and separators ("___", "***", "//–>").
                r"^[\s_*=~\-–—•·/<>]+$",
                // Relative timestamps of a feed ("6 years ago").
                r"(?i)^\d+ (second|minute|hour|day|week|month|year)s? ago$",
                // Captions and credits by their opening words.
                r"(?i)^(enlarge this image|toggle caption|hide caption|image copyright|image caption|image source|media playback is unsupported|media caption|file photo:|just watched(?-u:\b))",
                r"(?i)^(slideshow \(\d+ images?\)|(next|prev|previous) image \d+ of \d+)$",
                // A credit alone ("Getty Images", "David Goldman/AP Photo", "Craig Ruttle/AP").
                r"(?i)^(getty images|ap photos?|ap images)$",
                r"^[A-Z][A-Za-z.'’ -]{1,50}/(AP|AFP|Reuters|Getty Images|EPA|Bloomberg|Sipa USA|Pool)(/[A-Za-z.'’ -]{1,40}){0,3}$",
            ]),
            tail: set(&[
                // A caption that ends with its photo credit.
                r"(?i)\([^()]{0,120}(?-u:\b)(photo|photograph|photos|getty images|/ap|/afp|/reuters|/epa)(?-u:\b)[^()]{0,80}\)\.?$",
                r"REUTERS/\p{Lu}[\p{L} .'’-]{1,60}(/File( Photo)?)?\.?$",
                // A credit after a slash, "via" or a bar, naming a photo agency ("Saul
                // Loeb/Getty Images", "Wilfredo Lee/AP Photo", "| Getty", "[Paul Sancya/AP
                // Photo]", "JIM WATSON | AFP | Getty Images"); prose ends with a stop.
                r"(/ ?|(?-u:\b)via |\| ?|\[ ?)(AP|AFP|Reuters|REUTERS|Getty Images|Getty|EPA(-EFE)?|Bloomberg|Pool|Sipa USA|Shutterstock|AP Photos?|AP Images|UPI|NurPhoto|ZUMA Press|Getty and AP Photos)(/[A-Za-z.'’ -]{1,40}){0,3}\]?$",
            ]),
            short: set(&[
                r"(?i)^(photo|image|photograph)s?( credit)?( by|:) ",
                // Prompts by their opening words.
                r"(?i)^(sign up|subscribe(?-u:\b)|click here|click to|tap here|follow us|follow @|- follow |like us on|join us on|share this|download the|newsletter sign)",
                // Copyright lines.
                r"(?i)^(copyright(?-u:\b)|©|\(c\) \d{4})",
            ]),
            link: set(&[
                r"(?i)^\(? ?(read more|more|related|related coverage|see also|also see|also read|also on politico|watch|listen|read|recommended|trending|most read|up next|photos?)\s*:",
            ]),
            phrases: AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostFirst)
                .build([
                    "by signing up",
                    "manage newsletters",
                    "newsletter sign",
                    "sign up for our",
                    "sign up to receive",
                    "sign up here",
                    "sign up today",
                    "sign up now",
                    "delivered to your inbox",
                    "straight to your inbox",
                    "subscribe to our",
                    "subscribe now",
                    "for reprint permission",
                    "all rights reserved",
                    "may not be published, broadcast",
                    "fox news app",
                    "click here",
                    "enter your email",
                    "valid email address",
                    "share this article",
                    "follow us on twitter",
                    "like us on facebook",
                    "join us on facebook",
                ])
                .expect("furniture phrases compile"),
            widgets: ["Hide Caption", "Hide caption", "Replay More Videos"].iter().map(memchr::memmem::Finder::new).collect(),
            credit: Regex::new(
                r"(?i)(contributed (reporting )?to (this|the) (report|story|article)|contributed reporting|^\(?(additional )?reporting by|^\(?(writing|editing) by|^contributing:)",
            )
            .expect("credit pattern compiles"),
        }
    })
}

/// Words in a paragraph, counted up to one past [`MAX_PROMPT_WORDS`].
fn words(p: &str) -> usize {
    p.split_whitespace().take(MAX_PROMPT_WORDS + 1).count()
}

/// A credit line: it stays whatever the other rules say.
pub fn is_credit(paragraph: &str) -> bool {
    patterns().credit.is_match(paragraph)
}

/// Whether a paragraph is furniture by its wording alone.
pub fn is_pattern_furniture(paragraph: &str) -> bool {
    let p = patterns();
    let paragraph = paragraph.trim();
    if paragraph.is_empty() {
        return false;
    }
    let furniture = p.whole.is_match(paragraph) || p.widgets.iter().any(|f| f.find(paragraph.as_bytes()).is_some()) || {
        let n = words(paragraph);
        let tail = paragraph.get(floor_boundary(paragraph, paragraph.len().saturating_sub(TAIL_BYTES))..).unwrap_or(paragraph);
        n <= MAX_LINK_WORDS && (p.link.is_match(paragraph) || tail.ends_with(" Read more"))
            || n <= MAX_PROMPT_WORDS
                && (p.short.is_match(paragraph)
                    || p.tail.is_match(tail)
                    || p.phrases.is_match(paragraph)
                    || ends_with_labelled_credit(tail))
    };
    // The credit test is the rarer one: only on paragraphs that would go.
    furniture && !is_credit(paragraph)
}

/// Labels a caption's credit follows ("... Photograph: Doug Mills/AFP/Getty Images",
/// "Photo: AP", "Photographer: Andrew Harrer/Bloomberg"), lowercase.
const CREDIT_LABELS: &[&str] =
    &["photograph: ", "photographs: ", "photo: ", "photos: ", "photographer: ", "image: ", "credit: ", "photo credit: "];

/// A paragraph ending with a labelled credit: a label opening the paragraph or after a
/// space, then at most 100 bytes with no sentence end, so the paragraph is a caption, not
/// prose. Searched by hand (ASCII case folding on the last bytes): as a regex in the
/// `tail` set it sent every paragraph to the slow NFA engine and doubled clean's time.
fn ends_with_labelled_credit(tail: &str) -> bool {
    let b = tail.as_bytes();
    let from = b.len().saturating_sub(100 + 16);
    for i in (from..b.len()).rev() {
        if b[i] != b':' || i + 2 > b.len() || b.get(i + 1) != Some(&b' ') {
            continue;
        }
        let rest = &b[i + 2..];
        if rest.is_empty() || rest.len() > 100 || rest.iter().any(|c| matches!(c, b'.' | b'!' | b'?')) {
            return false;
        }
        return CREDIT_LABELS.iter().any(|l| {
            let l = l.as_bytes();
            i + 2 >= l.len() && b[i + 2 - l.len()..i + 2].eq_ignore_ascii_case(l) && (i + 2 == l.len() || b[i + 1 - l.len()] == b' ')
        });
    }
    false
}

/// Cut The Hill's link tooltips out of a paragraph: "... Chuck Schumer Charles Ellis
/// SchumerHeadline | Headline Headline MORE (D-N.Y.)" keeps "Chuck Schumer (D-N.Y.)". The
/// tooltip starts after a word W (the surname shown) followed by up to
/// [`TOOLTIP_MAX_GIVEN`] capitalised given names and a word that starts with W again (the
/// full name, glued to the first headline). Returns the paragraph and the tooltips cut.
pub fn strip_tooltips(p: &str) -> (Cow<'_, str>, u32) {
    if !p.contains("MORE") {
        return (Cow::Borrowed(p), 0);
    }
    let mut out = String::new();
    let mut kept_to = 0usize; // bytes of `p` already decided
    let mut cut = 0u32;
    let mut search_from = 0usize;
    while let Some(rel) = p.get(search_from..).and_then(|s| s.find("MORE")) {
        let at = search_from + rel;
        let end = at + "MORE".len();
        search_from = end;
        // `at` and `end` bound the ASCII "MORE" found in `p`: char boundaries.
        let before_ok = p.get(..at).is_some_and(|b| b.ends_with(' '));
        let after_ok = p.get(end..).and_then(|a| a.chars().next()).is_none_or(|c| !c.is_alphanumeric());
        if !before_ok || !after_ok {
            continue;
        }
        let lo = floor_boundary(p, at.saturating_sub(TOOLTIP_WINDOW).max(kept_to));
        if let Some(start) = tooltip_start(p.get(lo..at).unwrap_or("")).filter(|&s| at - (lo + s) >= TOOLTIP_MIN_BYTES) {
            out.push_str(p.get(kept_to..lo + start).unwrap_or(""));
            kept_to = end;
            cut += 1;
        }
    }
    if cut == 0 {
        return (Cow::Borrowed(p), 0);
    }
    out.push_str(p.get(kept_to..).unwrap_or(""));
    (Cow::Owned(out), cut)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// In the text before a "MORE", the byte where the tooltip starts (the space before the
/// full name), nearest to the "MORE" first.
fn tooltip_start(window: &str) -> Option<usize> {
    // Words with their byte ranges.
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in window.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                spans.push((s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        spans.push((s, window.len()));
    }
    let word = |k: usize| window.get(spans[k].0..spans[k].1).unwrap_or("");
    // A given name: capitalised, a parenthesised nickname, or a particle ("Bill de Blasio").
    let given = |w: &str| {
        w.chars().next().is_some_and(|c| c.is_uppercase() || c == '(')
            || matches!(w, "de" | "da" | "del" | "di" | "du" | "la" | "le" | "van" | "von" | "der" | "den" | "bin" | "al")
    };
    let name_like = |w: &str| {
        w.chars().count() >= 2
            && w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
    };
    for i in (0..spans.len().saturating_sub(1)).rev() {
        let w = word(i).trim_end_matches([',', '’', '\'']);
        // The shown name is usually a word of its own ("Schumer Charles Ellis Schumer..."),
        // sometimes glued to the full name ("PapadopoulosGeorge Demetrios Papadopoulos...").
        let mut options = Vec::with_capacity(2);
        if name_like(w) {
            options.push((w, spans[i].1, i + 2));
        }
        let glue = w
            .char_indices()
            .zip(w.chars().skip(1))
            .find(|((_, a), b)| a.is_lowercase() && b.is_uppercase())
            .map(|((k, a), _)| k + a.len_utf8());
        if let Some((g, head)) = glue.and_then(|g| Some((g, w.get(..g)?))).filter(|&(_, h)| name_like(h)) {
            options.push((head, spans[i].0 + g, i + 1));
        }
        for (surname, cut_at, first_j) in options {
            for j in first_j..spans.len().min(i + 2 + TOOLTIP_MAX_GIVEN) {
                if j > i + 1 && !given(word(j - 1)) {
                    break;
                }
                let Some(rest) = word(j).strip_prefix(surname) else { continue };
                // The full name ends glued to the first headline (or at a space).
                if rest.is_empty() || rest.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"'“‘".contains(c))
                {
                    return Some(cut_at);
                }
            }
        }
    }
    None
}

/// Remove pattern furniture from a cleaned text: furniture paragraphs and Hill tooltips.
/// Returns the new text and the paragraphs and tooltips removed, or None when nothing was.
pub fn strip_patterns(text: &str) -> Option<(String, u32)> {
    let mut removed = 0u32;
    let mut out = String::new();
    let mut changed = false;
    for p in text.split(SEP) {
        if is_pattern_furniture(p) {
            removed += 1;
            changed = true;
            continue;
        }
        // A credit line with a gallery glued after it keeps the credit only.
        let (p, cut) = match credit_before_widget(p) {
            Some(credit) => (Cow::Borrowed(credit), 1),
            None => strip_tooltips(p),
        };
        removed += cut;
        changed |= cut > 0;
        if !out.is_empty() {
            out.push_str(SEP);
        }
        out.push_str(&p);
    }
    changed.then_some((out, removed))
}

/// The part of a paragraph before its first widget label ("Hide Caption"), when that part
/// holds a credit line (CNN glues its photo galleries to the story's last paragraph).
fn credit_before_widget(p: &str) -> Option<&str> {
    let at = patterns().widgets.iter().filter_map(|f| f.find(p.as_bytes())).min()?;
    let before = p.get(..at)?.trim_end();
    is_credit(before).then_some(before)
}

/// Hash of a paragraph for the repeated-line rule: its words (runs of letters and digits),
/// lowercased, one space apart. None when it has no word.
pub fn line_hash(p: &str, buf: &mut String) -> Option<u64> {
    buf.clear();
    let mut gap = false;
    let bytes = p.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            i += 1;
            if b.is_ascii_alphanumeric() {
                if gap && !buf.is_empty() {
                    buf.push(' ');
                }
                gap = false;
                buf.push(b.to_ascii_lowercase() as char);
            } else {
                gap = true;
            }
            continue;
        }
        let Some(c) = p.get(i..).and_then(|s| s.chars().next()) else { break };
        i += c.len_utf8();
        if c.is_alphanumeric() {
            if gap && !buf.is_empty() {
                buf.push(' ');
            }
            gap = false;
            buf.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    (!buf.is_empty()).then(|| xxh3_64(buf.as_bytes()))
}

/// The distinct line hashes of a text's paragraphs (sorted). Credit lines are counted
/// too: [`RepeatedLines::strip`] keeps them.
pub fn line_hashes(text: &str) -> Vec<u64> {
    let mut buf = String::new();
    let mut out: Vec<u64> = text.split(SEP).filter_map(|p| line_hash(p, &mut buf)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The source an article's lines are counted under: its source name, else its URL's host.
pub fn source_key(source_name: Option<&str>, url: Option<&str>) -> Option<String> {
    if let Some(s) = source_name.map(str::trim).filter(|s| !s.is_empty()) {
        return Some(s.to_lowercase());
    }
    let canonical = crate::ids::canonical_url(url?)?;
    let host = canonical.split_once("://")?.1.split('/').next()?;
    (!host.is_empty()).then(|| host.to_string())
}

/// No source.
const NONE: u32 = u32::MAX;

#[derive(Clone, Copy)]
struct GlobalCount {
    articles: u32,
    sources: u32,
    first_source: u32,
}

/// Run-wide paragraph counts, folded in input order over the articles that count.
#[derive(Default)]
pub struct LineCounter {
    sources: HashMap<String, u32>,
    source_articles: Vec<u32>,
    articles: u32,
    global: HashMap<u64, GlobalCount, FxBuild>,
    /// (source, line) pair -> (articles, source), for lines seen in more than one article.
    per_source: HashMap<u64, (u32, u32), FxBuild>,
}

fn pair(source: u32, line: u64) -> u64 {
    let mut key = [0u8; 12];
    key[..4].copy_from_slice(&source.to_le_bytes());
    key[4..].copy_from_slice(&line.to_le_bytes());
    xxh3_64(&key)
}

/// The threshold for a group of `n` articles: max(`floor`, ceil(log2 n)).
pub fn threshold(n: u32, floor: usize) -> u32 {
    let log = if n <= 1 { 0 } else { 32 - (n - 1).leading_zeros() };
    log.max(u32::try_from(floor).unwrap_or(u32::MAX))
}

impl LineCounter {
    pub fn new() -> LineCounter {
        LineCounter::default()
    }

    /// The index of a source, interned on first sight.
    pub fn source(&mut self, key: Option<&str>) -> u32 {
        let Some(key) = key else { return NONE };
        if let Some(&i) = self.sources.get(key) {
            return i;
        }
        let i = u32::try_from(self.source_articles.len()).unwrap_or(NONE - 1).min(NONE - 1);
        self.sources.insert(key.to_string(), i);
        self.source_articles.push(0);
        i
    }

    /// Count one article under its source; returns the source's index.
    fn count_article(&mut self, source: Option<&str>) -> u32 {
        let s = self.source(source);
        self.articles = self.articles.saturating_add(1);
        if let Some(n) = self.source_articles.get_mut(s as usize) {
            *n = n.saturating_add(1);
        }
        s
    }

    /// Count one article's distinct line hashes under its source.
    pub fn add(&mut self, source: Option<&str>, lines: &[u64]) {
        let s = self.count_article(source);
        for &line in lines {
            match self.global.entry(line) {
                Entry::Vacant(v) => {
                    v.insert(GlobalCount { articles: 1, sources: u32::from(s != NONE), first_source: s });
                }
                Entry::Occupied(mut o) => {
                    let g = o.get_mut();
                    g.articles = g.articles.saturating_add(1);
                    if s == NONE {
                        continue;
                    }
                    match self.per_source.entry(pair(s, line)) {
                        Entry::Occupied(mut c) => c.get_mut().0 = c.get().0.saturating_add(1),
                        Entry::Vacant(c) => {
                            if g.first_source == s {
                                c.insert((2, s));
                            } else {
                                c.insert((1, s));
                                g.sources = g.sources.saturating_add(1);
                                if g.first_source == NONE {
                                    g.first_source = s;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Decide which lines are furniture.
    pub fn finish(self, min_repeats: usize, min_sources: usize) -> RepeatedLines {
        let global_n = threshold(self.articles, min_repeats);
        let min_sources = u32::try_from(min_sources).unwrap_or(u32::MAX);
        let global: HashSet<u64, FxBuild> =
            self.global.iter().filter(|(_, g)| g.articles >= global_n && g.sources >= min_sources).map(|(&k, _)| k).collect();
        let source_n: Vec<u32> = self.source_articles.iter().map(|&n| threshold(n, min_repeats)).collect();
        let pairs: HashSet<u64, FxBuild> = self
            .per_source
            .iter()
            .filter(|(_, &(count, s))| source_n.get(s as usize).is_some_and(|&n| count >= n))
            .map(|(&k, _)| k)
            .collect();
        RepeatedLines { sources: self.sources, global, pairs, distinct_lines: self.global.len() as u64 }
    }
}

/// (line, source) records a [`SpillingLineCounter`] sorts in memory before writing them
/// out as one sorted run: 2M records, a 32 MB buffer.
const RUN_RECORDS: usize = 1 << 21;
/// Bytes of one record in a run file: the line hash and the source index.
const RECORD_BYTES: usize = 12;

/// The stage's [`LineCounter`] for dumps of any size, with the same result: instead of a
/// hash table with one entry per distinct paragraph of the dump (~40 bytes each: ~1 GB for
/// the ~25M distinct paragraphs of a 1M-article dump, the clean stage's memory growth),
/// each counted article's (line, source) records are buffered, sorted and written to
/// `dir` in runs of [`RUN_RECORDS`]; [`SpillingLineCounter::finish`] merges the runs and
/// counts each line's articles, sources and per-source articles as the map would have.
/// Memory stays at the buffer plus one read buffer per run; disk takes 12 bytes per
/// counted (article, paragraph).
pub struct SpillingLineCounter {
    base: LineCounter,
    dir: std::path::PathBuf,
    buf: Vec<(u64, u32)>,
    run_records: usize,
    runs: Vec<std::path::PathBuf>,
}

/// One sorted run read back record by record.
struct RunReader {
    r: std::io::BufReader<std::fs::File>,
    path: std::path::PathBuf,
}

impl RunReader {
    fn next(&mut self) -> Result<Option<(u64, u32)>, crate::error::Error> {
        use std::io::Read;
        let mut b = [0u8; RECORD_BYTES];
        match self.r.read_exact(&mut b) {
            Ok(()) => {
                let (line, source) = b.split_at(8);
                let line = u64::from_le_bytes(line.try_into().unwrap_or_default());
                let source = u32::from_le_bytes(source.try_into().unwrap_or_default());
                Ok(Some((line, source)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(crate::error::Error::io(&self.path, e)),
        }
    }
}

impl SpillingLineCounter {
    /// A counter whose sorted runs go to `dir` (an existing folder the caller removes).
    pub fn new(dir: &std::path::Path) -> SpillingLineCounter {
        SpillingLineCounter::with_run_records(dir, RUN_RECORDS)
    }

    fn with_run_records(dir: &std::path::Path, run_records: usize) -> SpillingLineCounter {
        SpillingLineCounter {
            base: LineCounter::new(),
            dir: dir.to_path_buf(),
            buf: Vec::new(),
            run_records: run_records.max(1),
            runs: Vec::new(),
        }
    }

    /// Count one article's distinct line hashes under its source.
    pub fn add(&mut self, source: Option<&str>, lines: &[u64]) -> Result<(), crate::error::Error> {
        let s = self.base.count_article(source);
        self.buf.extend(lines.iter().map(|&line| (line, s)));
        if self.buf.len() >= self.run_records {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> Result<(), crate::error::Error> {
        use std::io::Write;
        self.buf.sort_unstable();
        let path = self.dir.join(format!("lines-{:06}.run", self.runs.len()));
        let io = |e| crate::error::Error::io(&path, e);
        let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path).map_err(io)?);
        for &(line, source) in &self.buf {
            w.write_all(&line.to_le_bytes()).map_err(io)?;
            w.write_all(&source.to_le_bytes()).map_err(io)?;
        }
        w.flush().map_err(io)?;
        self.buf.clear();
        self.runs.push(path);
        Ok(())
    }

    /// Decide which lines are furniture (as [`LineCounter::finish`]); removes the runs.
    pub fn finish(mut self, min_repeats: usize, min_sources: usize) -> Result<RepeatedLines, crate::error::Error> {
        use std::cmp::Reverse;
        self.buf.sort_unstable();
        let global_n = threshold(self.base.articles, min_repeats);
        let min_sources = u32::try_from(min_sources).unwrap_or(u32::MAX);
        let source_n: Vec<u32> = self.base.source_articles.iter().map(|&n| threshold(n, min_repeats)).collect();
        let mut readers = Vec::with_capacity(self.runs.len());
        for path in &self.runs {
            let f = std::fs::File::open(path).map_err(|e| crate::error::Error::io(path, e))?;
            readers.push(RunReader { r: std::io::BufReader::with_capacity(256 << 10, f), path: path.clone() });
        }
        // k-way merge: the in-memory buffer is source `readers.len()`.
        let mut mem = self.buf.iter().copied();
        let mem_at = readers.len();
        let mut heap = std::collections::BinaryHeap::with_capacity(readers.len() + 1);
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(rec) = r.next()? {
                heap.push(Reverse((rec, i)));
            }
        }
        if let Some(rec) = mem.next() {
            heap.push(Reverse((rec, mem_at)));
        }
        let mut global: HashSet<u64, FxBuild> = HashSet::default();
        let mut pairs: HashSet<u64, FxBuild> = HashSet::default();
        let mut distinct_lines = 0u64;
        // The line being counted: its articles and distinct sources, and the run of
        // records of its current source (records come sorted by line, then source).
        let mut cur: Option<(u64, u32, u32)> = None;
        let mut src: Option<(u32, u32)> = None;
        let close_source = |line: u64, src: Option<(u32, u32)>, sources: &mut u32, pairs: &mut HashSet<u64, FxBuild>| {
            if let Some((s, n)) = src.filter(|&(s, _)| s != NONE) {
                *sources = sources.saturating_add(1);
                if source_n.get(s as usize).is_some_and(|&t| n >= t) {
                    pairs.insert(pair(s, line));
                }
            }
        };
        while let Some(Reverse(((line, s), i))) = heap.pop() {
            let next = if i == mem_at { mem.next() } else { readers[i].next()? };
            if let Some(rec) = next {
                heap.push(Reverse((rec, i)));
            }
            match cur.as_mut() {
                Some((l, articles, sources)) if *l == line => {
                    *articles = articles.saturating_add(1);
                    match src.as_mut() {
                        Some((cs, n)) if *cs == s => *n = n.saturating_add(1),
                        _ => {
                            close_source(line, src, sources, &mut pairs);
                            src = Some((s, 1));
                        }
                    }
                }
                _ => {
                    if let Some((l, articles, mut sources)) = cur {
                        close_source(l, src, &mut sources, &mut pairs);
                        if articles >= global_n && sources >= min_sources {
                            global.insert(l);
                        }
                    }
                    distinct_lines += 1;
                    cur = Some((line, 1, 0));
                    src = Some((s, 1));
                }
            }
        }
        if let Some((l, articles, mut sources)) = cur {
            close_source(l, src, &mut sources, &mut pairs);
            if articles >= global_n && sources >= min_sources {
                global.insert(l);
            }
        }
        drop(readers);
        for path in &self.runs {
            std::fs::remove_file(path).map_err(|e| crate::error::Error::io(path, e))?;
        }
        Ok(RepeatedLines { sources: self.base.sources, global, pairs, distinct_lines })
    }
}

/// Reads [`RepeatedLines::to_bytes`] back, bounds-checked.
struct ByteReader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> ByteReader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

/// The frozen run-wide rule: which lines, and which (source, line) pairs, are furniture.
pub struct RepeatedLines {
    sources: HashMap<String, u32>,
    global: HashSet<u64, FxBuild>,
    pairs: HashSet<u64, FxBuild>,
    /// Distinct paragraphs counted in the run.
    pub distinct_lines: u64,
}

impl RepeatedLines {
    /// The interned index of a source key, if it was counted.
    pub fn source(&self, key: Option<&str>) -> u32 {
        key.and_then(|k| self.sources.get(k).copied()).unwrap_or(NONE)
    }

    /// Whether a line (by hash) is furniture in an article of `source`.
    pub fn is_furniture(&self, source: u32, line: u64) -> bool {
        self.global.contains(&line) || (source != NONE && self.pairs.contains(&pair(source, line)))
    }

    /// Lines that are furniture everywhere (global rule), and (source, line) pairs that are
    /// furniture in their source.
    pub fn sizes(&self) -> (usize, usize) {
        (self.global.len(), self.pairs.len())
    }

    /// The rule as bytes, to hand it to other processes (the in-memory API's run-wide
    /// state): the sources, then the global lines, then the (source, line) pairs.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut sources: Vec<(&String, &u32)> = self.sources.iter().collect();
        sources.sort_by_key(|(_, &i)| i);
        out.extend_from_slice(&(sources.len() as u64).to_le_bytes());
        for (name, &i) in sources {
            out.extend_from_slice(&i.to_le_bytes());
            out.extend_from_slice(&(name.len() as u64).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
        }
        for set in [&self.global, &self.pairs] {
            let mut v: Vec<u64> = set.iter().copied().collect();
            v.sort_unstable();
            out.extend_from_slice(&(v.len() as u64).to_le_bytes());
            v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
        }
        out.extend_from_slice(&self.distinct_lines.to_le_bytes());
        out
    }

    /// Read back [`RepeatedLines::to_bytes`]; None when the bytes are not a rule.
    pub fn from_bytes(b: &[u8]) -> Option<RepeatedLines> {
        let mut r = ByteReader { b, at: 0 };
        let n = r.u64()?;
        let mut sources = HashMap::new();
        for _ in 0..n {
            let i = u32::from_le_bytes(r.take(4)?.try_into().ok()?);
            let len = usize::try_from(r.u64()?).ok()?;
            let name = std::str::from_utf8(r.take(len)?).ok()?.to_string();
            sources.insert(name, i);
        }
        let mut sets: [HashSet<u64, FxBuild>; 2] = [HashSet::default(), HashSet::default()];
        for set in &mut sets {
            let n = r.u64()?;
            for _ in 0..n {
                set.insert(r.u64()?);
            }
        }
        let distinct_lines = r.u64()?;
        let [global, pairs] = sets;
        (r.at == b.len()).then_some(RepeatedLines { sources, global, pairs, distinct_lines })
    }

    /// Remove the repeated lines of a text (credit lines stay). Returns the new text and
    /// the paragraphs removed, or None when nothing was.
    pub fn strip(&self, text: &str, source: u32) -> Option<(String, u32)> {
        let mut buf = String::new();
        let mut removed = 0u32;
        let mut out = String::new();
        for p in text.split(SEP) {
            let furniture = line_hash(p, &mut buf).is_some_and(|h| self.is_furniture(source, h)) && !is_credit(p);
            if furniture {
                removed += 1;
                continue;
            }
            if !out.is_empty() {
                out.push_str(SEP);
            }
            out.push_str(p);
        }
        (removed > 0).then_some((out, removed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilling_counter_decides_as_the_in_memory_one() {
        // Lines shared by few and many articles, within one source and across sources,
        // some articles without a source; runs of 7 records force many spills.
        let dir = tempfile::tempdir().unwrap();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        let sources = [Some("a"), Some("b"), Some("c"), Some("d"), None];
        let mut mem = LineCounter::new();
        let mut spill = SpillingLineCounter::with_run_records(dir.path(), 7);
        for _ in 0..400 {
            let source = sources[next(5) as usize];
            let mut lines: Vec<u64> = (0..next(6)).map(|_| if next(3) == 0 { next(12) } else { 1000 + next(5000) }).collect();
            lines.sort_unstable();
            lines.dedup();
            mem.add(source, &lines);
            spill.add(source, &lines).unwrap();
        }
        assert!(spill.runs.len() > 10);
        let (a, b) = (mem.finish(3, 3), spill.finish(3, 3).unwrap());
        assert_eq!(a.distinct_lines, b.distinct_lines);
        assert!(!a.global.is_empty() && !a.pairs.is_empty());
        assert_eq!(a.global, b.global);
        assert_eq!(a.pairs, b.pairs);
        assert_eq!(a.to_bytes(), b.to_bytes());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "runs removed");
    }

    #[test]
    fn prompts_captions_and_markers_are_furniture() {
        for p in [
            "Advertisement",
            "ADVERTISEMENT",
            "Story Continued Below",
            "Sign up for Daily Newsletters Manage Newsletters",
            "Get the Monitor Stories you care about delivered to your inbox. By signing up, you agree to our Privacy Policy",
            "Copyright © 2019 The Washington Times, LLC. Click here for reprint permission.",
            "CLICK HERE TO GET THE FOX NEWS APP",
            "Enlarge this image toggle caption Alex Wong/Getty Images Alex Wong/Getty Images",
            "Image copyright Reuters Image caption Tech giants are under pressure to improve transparency",
            "JUST WATCHED Social issues and the GOP Replay More Videos ... MUST WATCH Social issues and the GOP 01:53",
            "Photos: Who's running? Ohio Gov. John Kasich joined the field. Hide Caption 3 of 6 Photos: Who's running?",
            "President Donald Trump speaks during a rally in Tupelo, Miss., Friday, Nov. 1, 2019. (AP Photo/Evan Vucci)",
            "Britain's Prime Minister Theresa May addresses the media in London, November 22, 2018. REUTERS/Simon Dawson",
            "Photo by Mark Makela/Getty Images",
            "Facebook Twitter Pinterest Rand Paul is the first Republican senator to oppose her. Photograph: Win McNamee/Getty Images",
            "Gordon Sondland Photographer: Andrew Harrer/Bloomberg",
            "James Comey at the hearing. Photo: Jacquelyn Martin/AP (Originally published May 11, 2017)",
            "Sen. Cory Booker speaks in Columbia, South Carolina. | Meg Kinnard/AP Photo",
            "Sen. Lisa Murkowski has repeatedly said she would not. | Getty",
            "Neither Ben Carson, Marco Rubio or Ted Cruz is planning to. | Getty and AP Photos",
            "Protesters carry rifles near the steps of the Michigan State Capitol [Paul Sancya/AP Photo]",
            "Aides wait for a train in Washington, D.C., on March 10, 2020. Andrew Caballero-Reynolds/AFP via Getty Images",
            "Pigs are seen at Linquan county on December 5, 2018 in Fuyang. Visual China Group | Getty Images",
            "Getty Images",
            "David Goldman/AP Photo",
            "Craig Ruttle/AP",
            "Fabiano Gary/Sipa USA/AP Photo",
            "More: Uzbek man identified as truck driver who allegedly killed 8 in New York City",
            "READ MORE:",
            "( Also on POLITICO: Janet Yellen confirmed as Fed chief)",
            "Critics of Georgia’s new voting machines accused of election interference Read more",
            "Slideshow (5 Images)",
            "6 years ago",
            "___",
            "SHARE THIS ARTICLE Share Tweet Post Email",
        ] {
            assert!(is_pattern_furniture(p), "{p}");
        }
    }

    #[test]
    fn prose_and_credits_are_not_furniture() {
        for p in [
            "The Associated Press contributed to this report.",
            "Fox News’ Chad Pergram and The Associated Press contributed to this report.",
            "Reporting by Ann Lee; Editing by Jo Park",
            "Contributing: The Associated Press",
            // Prose that mentions what prompts say.
            "Americans who sign up for coverage on the exchanges will see higher premiums, the report said.",
            "Getty Images said it would appeal the ruling, which it called a threat to photographers.",
            "Facebook changed its privacy policy on Tuesday after pressure from regulators in Brussels.",
            "More than 200 people were arrested, police said.",
            "He said he would sign up for the draft. (He did not, records show.)",
            "The photo was licensed from Getty Images.",
            "The deal was struck between the two companies via Reuters.",
            "The wire services are AP/AFP/Reuters, he said.",
        ] {
            assert!(!is_pattern_furniture(p), "{p}");
        }
    }

    #[test]
    fn hill_tooltips_are_cut_and_the_name_stays() {
        let p = "Senate Minority Leader Charles Schumer Charles (Chuck) Ellis SchumerTrump tweets he will sign \
                 spending bill Dem leaders say they will not back down Overnight Defense: Shutdown looms MORE (D-N.Y.) said.";
        assert_eq!(strip_tooltips(p), (Cow::Owned("Senate Minority Leader Charles Schumer (D-N.Y.) said.".to_string()), 1));
        let p = "President Trump Donald John Trump2020 Democrats make play for veterans' votes The Memo: Democrats \
                 confront prospect of long primary MORE’s campaign and Bill de Blasio Bill de BlasioThe Hill's \
                 12:30 Report: Sights and sounds from the protests NYPD chief demands apology MORE (D) spoke.";
        assert_eq!(strip_tooltips(p).0, "President Trump’s campaign and Bill de Blasio (D) spoke.");
        let p = "including George PapadopoulosGeorge Demetrios PapadopoulosThe Hill's Campaign Report: Red-state \
                 governors races pose test for Trump MORE, a former adviser";
        assert_eq!(strip_tooltips(p).0, "including George Papadopoulos, a former adviser");
        // "MORE" without a repeated name, or as a word of prose, stays.
        for p in ["WE WANT MORE JOBS, the crowd chanted.", "New York New York and MORE", "Read MORE about it"] {
            assert_eq!(strip_tooltips(p), (Cow::Borrowed(p), 0));
        }
    }

    #[test]
    fn strip_patterns_counts_what_it_removes() {
        let text = "Title here\n\nAdvertisement\n\nThe story goes on.\n\nThe Associated Press contributed to this report.";
        let (out, n) = strip_patterns(text).unwrap();
        assert_eq!(out, "Title here\n\nThe story goes on.\n\nThe Associated Press contributed to this report.");
        assert_eq!(n, 1);
        assert!(strip_patterns("Nothing to remove here.\n\nNor here.").is_none());
        let glued = "Story.\n\nCNN's Ted Barrett contributed to this report. Hide Caption 1 of 18 Photos: Key players";
        assert_eq!(strip_patterns(glued).unwrap(), ("Story.\n\nCNN's Ted Barrett contributed to this report.".to_string(), 1));
    }

    fn rule(articles: &[(&str, &str)], min_repeats: usize) -> RepeatedLines {
        let mut c = LineCounter::new();
        for (source, text) in articles {
            c.add(Some(source), &line_hashes(text));
        }
        c.finish(min_repeats, 3)
    }

    #[test]
    fn lines_repeated_in_a_source_go_credits_and_pairs_stay() {
        let prompt = "Get our newsletter, the best of the week";
        let quote = "“We will not back down,” the governor said on Tuesday.";
        let credit = "The Associated Press contributed to this report.";
        let mut articles = Vec::new();
        let texts: Vec<String> = (0..6)
            .map(|i| {
                let q = if i < 2 { quote } else { "Another line." };
                format!("Story {i} begins.\n\n{q}\n\n{prompt}\n\n{credit}")
            })
            .collect();
        for t in &texts {
            articles.push(("Daily Bugle", t.as_str()));
        }
        let r = rule(&articles, 3);
        let s = r.source(Some("Daily Bugle"));
        let (out, n) = r.strip(&texts[0], s).unwrap();
        // The prompt (6 articles) goes; the quote in 2 articles and the credit line stay.
        assert_eq!(out, format!("Story 0 begins.\n\n{quote}\n\n{credit}"));
        assert_eq!(n, 1);
        // Another source with the prompt once keeps it (one source only: no global rule).
        let other = format!("Elsewhere.\n\n{prompt}");
        assert!(r.strip(&other, r.source(Some("Other"))).is_none());
        // Case and punctuation do not make a line new.
        assert!(r.strip(&format!("X.\n\n{}", prompt.to_uppercase()), s).is_some());
    }

    #[test]
    fn rules_round_trip_through_bytes() {
        let texts: Vec<String> = (0..6).map(|i| format!("Story {i}.\n\nGet our newsletter")).collect();
        let r = rule(&texts.iter().map(|t| ("Daily Bugle", t.as_str())).collect::<Vec<_>>(), 3);
        let bytes = r.to_bytes();
        let back = RepeatedLines::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.strip(&texts[0], back.source(Some("Daily Bugle"))), r.strip(&texts[0], r.source(Some("Daily Bugle"))));
        assert!(RepeatedLines::from_bytes(&bytes[..bytes.len() - 1]).is_none());
    }

    #[test]
    fn thresholds_grow_slowly_with_the_source() {
        assert_eq!(threshold(1, 3), 3);
        assert_eq!(threshold(8, 3), 3);
        assert_eq!(threshold(50, 3), 6);
        assert_eq!(threshold(964, 3), 10);
        assert_eq!(threshold(12556, 3), 14);
        // A line in 5 of 50 articles of one source stays; in 6 it goes.
        let texts: Vec<String> = (0..50).map(|i| format!("Story number {i}.\n\n{}", if i < 5 { "Shared line" } else { "x" })).collect();
        let r = rule(&texts.iter().map(|t| ("S", t.as_str())).collect::<Vec<_>>(), 3);
        assert!(r.strip(&texts[0], r.source(Some("S"))).is_none());
        let texts: Vec<String> = (0..50).map(|i| format!("Story number {i}.\n\n{}", if i < 6 { "Shared line" } else { "x" })).collect();
        let r = rule(&texts.iter().map(|t| ("S", t.as_str())).collect::<Vec<_>>(), 3);
        assert!(r.strip(&texts[0], r.source(Some("S"))).is_some());
    }

    #[test]
    fn global_lines_need_many_sources() {
        // "Advertisement"-like line once in each of 4 sources (threshold 3 for 4 articles).
        let texts: Vec<(String, String)> = (0..4).map(|i| (format!("src{i}"), format!("Story {i}.\n\nSponsored content"))).collect();
        let r = rule(&texts.iter().map(|(s, t)| (s.as_str(), t.as_str())).collect::<Vec<_>>(), 3);
        assert!(r.strip(&texts[0].1, r.source(Some("src0"))).is_some());
        let r = rule(&texts[..2].iter().map(|(s, t)| (s.as_str(), t.as_str())).collect::<Vec<_>>(), 3);
        assert!(r.strip(&texts[0].1, r.source(Some("src0"))).is_none());
    }

    #[test]
    fn odd_text_never_panics() {
        // Multibyte characters around "MORE" and the window and tail cuts.
        let pieces = ["MORE", " ", "é", "“", "Ω", "Trump", "TrumpX", "(", ")", "\n\n", "Photo", "ü", "A", "’", "Sign up"];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(state % 400) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let stripped = strip_patterns(&text).map(|(t, _)| t).unwrap_or_else(|| text.clone());
            assert!(stripped.len() <= text.len());
            let mut buf = String::new();
            let _ = line_hash(&text, &mut buf);
        }
    }

    #[test]
    fn sources_fall_back_to_the_url_host() {
        assert_eq!(source_key(Some(" The Hill "), None).as_deref(), Some("the hill"));
        assert_eq!(source_key(None, Some("https://www.Example.com/a/b?utm_source=x")).as_deref(), Some("example.com"));
        assert_eq!(source_key(Some(""), None), None);
    }
}
