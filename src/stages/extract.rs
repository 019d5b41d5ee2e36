//! `extract`: per article (in parallel inside a chunk), tokenize and split sentences
//! once, then tag entity mentions, find events and attributions. Writes the raw rows with
//! character offsets; ids and entities come in `normalize`. Articles outside the
//! configured languages or marked duplicate are skipped and counted. An article whose
//! extraction fails becomes a reject, never a crash.

use super::chunks::pipeline_chunks;
use super::{StageContext, StageName, StageResult};
use crate::config::{ExtractConfig, LimitsConfig};
use crate::error::Error;
use crate::nlp::attrib::AttributionExtractor;
use crate::nlp::context::DocContext;
use crate::nlp::events::{EventExtractor, ParseStats};
use crate::nlp::ner::NerModel;
use crate::nlp::parse::ParseModel;
use crate::nlp::parse_cache::ParseCache;
use crate::nlp::{Doc, Span};
use crate::offsets::CharOffsets;
use crate::tables::artifact::{read_part, StageManifest, StageWriter};
use crate::tables::schema::{
    ArticleRow, ArticleRows, RawAttributionRow, RawAttributionRows, RawEventRow, RawEventRows, RawMentionRow, RawMentionRows, RejectRow,
    RejectRows, Table,
};
use rayon::prelude::*;
use std::collections::HashMap;
use std::time::Instant;

/// The models every thread shares, loaded once (the parse model too: the event
/// extractor parses the sentences that hold a candidate trigger).
pub struct Extractors {
    pub ner: NerModel,
    pub events: EventExtractor,
    pub attributions: AttributionExtractor,
}

impl Extractors {
    /// `syntax`: the event and attribution extractors read the dependency parse
    /// (`[extract] syntax`).
    pub fn load(model: Option<&std::path::Path>, syntax: bool) -> Result<Extractors, Error> {
        let parser = if syntax { Some(ParseModel::builtin()?) } else { None };
        Ok(Extractors {
            ner: match model {
                Some(p) => NerModel::load(p)?,
                None => NerModel::builtin()?,
            },
            events: EventExtractor::builtin().with_parser(parser.clone()),
            attributions: AttributionExtractor::builtin().with_parser(parser),
        })
    }

    /// The extractors `[extract]` asks for: `syntax` and `event_filter` (the stage, the
    /// in-memory API and the evals build them the same way).
    pub fn for_config(model: Option<&std::path::Path>, config: &ExtractConfig) -> Result<Extractors, Error> {
        let mut x = Extractors::load(model, config.syntax)?;
        x.events = x.events.with_filter(config.event_filter);
        Ok(x)
    }
}

/// Rows extracted from one article.
#[derive(Default)]
pub struct ArticleExtraction {
    pub mentions: Vec<RawMentionRow>,
    pub events: Vec<RawEventRow>,
    pub attributions: Vec<RawAttributionRow>,
    /// What the bounds cut.
    pub limited: Limited,
    /// Sentences of the article, and those the event extractor parsed.
    pub parse: ParseStats,
    /// Where the article's time went.
    pub timings: Timings,
}

/// Seconds one article spent in each step (wall clock of the thread that ran it), summed
/// into the stage manifest's `timings` so the bench can say where extraction goes
/// (issue #15). A clock read per step costs nanoseconds against milliseconds of work.
#[derive(Default, Clone, Copy, Debug)]
pub struct Timings {
    /// Tokenizing and sentence splitting.
    pub tokenize: f64,
    /// The entity tagger.
    pub entities: f64,
    /// The event extractor, with the parses it asks for.
    pub events: f64,
    pub attributions: f64,
    /// Character offsets and output rows.
    pub rows: f64,
}

impl Timings {
    fn add(&mut self, o: Timings) {
        self.tokenize += o.tokenize;
        self.entities += o.entities;
        self.events += o.events;
        self.attributions += o.attributions;
        self.rows += o.rows;
    }

    fn record(&self, timings: &mut std::collections::BTreeMap<String, f64>) {
        for (k, v) in [
            ("tokenize", self.tokenize),
            ("entities", self.entities),
            ("events", self.events),
            ("attributions", self.attributions),
            ("rows", self.rows),
        ] {
            *timings.entry(k.into()).or_default() += v;
        }
    }
}

/// Seconds since `*t`, and `*t` moved to now.
fn lap(t: &mut Instant) -> f64 {
    let now = Instant::now();
    let d = now.duration_since(*t).as_secs_f64();
    *t = now;
    d
}

/// A span that holds no letter or digit ("," as a source) is no span at all.
fn meaningful(text: &str, s: Option<Span>) -> Option<Span> {
    s.filter(|s| text.get(s.range()).is_some_and(|t| t.chars().any(char::is_alphanumeric)))
}

fn opt_span(o: &CharOffsets, s: Option<Span>) -> (Option<i64>, Option<i64>) {
    match s {
        Some(s) => (Some(o.char_of(s.start as usize)), Some(o.char_of(s.end as usize))),
        None => (None, None),
    }
}

/// Articles longer than this are extracted segment by segment (cut at paragraph breaks):
/// resolution of sources, speakers and coreference looks across a document, so its cost
/// grows faster than the text, and a 10 MB article would otherwise stall a run for
/// minutes. Real news stories are far shorter than one segment (the longest of the
/// 12,556 allsides-dev articles is 51 kB). 64 kB rather than 200 kB: attribution
/// extraction was quadratic in the attributions of a document (a 10 MB text of nothing
/// but speech verbs took 131 s at 200 kB per segment); its lookups are now linear.
pub const MAX_SEGMENT_BYTES: usize = 64_000;

/// Byte ranges of the segments of `text`: whole paragraphs up to `max` bytes, else cut
/// at a line break, a sentence end or a space, else at a char boundary.
pub fn segments(text: &str, max: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while text.len() - start > max {
        let limit = text.floor_char_boundary(start + max);
        let window = crate::text_slice(text, start..limit);
        let cut = window
            .rfind("\n\n")
            .map(|i| i + 2)
            .or_else(|| window.rfind('\n').map(|i| i + 1))
            .or_else(|| window.rfind(". ").map(|i| i + 2))
            .or_else(|| window.rfind(' ').map(|i| i + 1))
            .filter(|&c| c > 0)
            .unwrap_or(window.len());
        out.push(start..start + cut);
        start += cut;
    }
    out.push(start..text.len());
    out
}

fn shift(s: Span, by: u32) -> Span {
    Span { start: s.start + by, end: s.end + by }
}

/// What the extractors found in a text, with spans into it.
#[derive(Default)]
struct Found {
    mentions: Vec<crate::nlp::Mention>,
    events: Vec<crate::nlp::Event>,
    attributions: Vec<crate::nlp::Attribution>,
    sentences: usize,
    limited: Limited,
    parse: ParseStats,
    timings: Timings,
}

/// What the `[limits]` bounds cut in one article, counted in the stage manifest
/// (`limits.*` counters).
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limited {
    /// Sentences longer than `max_sentence_tokens`, cut into pieces.
    pub sentences_split: u64,
    /// Attribution contents longer than `max_span_bytes`, cut at the bound.
    pub spans_cut: u64,
    /// Other spans longer than `max_span_bytes`: the row dropped (mention, trigger, cue)
    /// or the part left empty (actor, recipient, location, date, source).
    pub spans_dropped: u64,
    /// Events and attributions past `max_rows_per_sentence` in one sentence, dropped.
    pub rows_dropped: u64,
    /// Mentions, events and attributions past `max_rows_per_article` in one article, dropped.
    pub article_rows_dropped: u64,
}

impl Limited {
    fn add(&mut self, o: Limited) {
        self.sentences_split += o.sentences_split;
        self.spans_cut += o.spans_cut;
        self.spans_dropped += o.spans_dropped;
        self.rows_dropped += o.rows_dropped;
        self.article_rows_dropped += o.article_rows_dropped;
    }

    fn count(&self, counters: &mut std::collections::BTreeMap<String, u64>) {
        for (k, v) in [
            ("limits.sentences_split", self.sentences_split),
            ("limits.spans_cut", self.spans_cut),
            ("limits.spans_dropped", self.spans_dropped),
            ("limits.rows_dropped", self.rows_dropped),
            ("limits.article_rows_dropped", self.article_rows_dropped),
        ] {
            if v > 0 {
                *counters.entry(k.into()).or_default() += v;
            }
        }
    }
}

fn find(text: &str, x: &Extractors, config: &ExtractConfig, limits: &LimitsConfig) -> Found {
    let mut timings = Timings::default();
    let mut t = Instant::now();
    let mut tokens = Vec::with_capacity(text.len() / 5);
    crate::nlp::token::tokenize(text, &mut tokens);
    let (sentences, split) = crate::nlp::sentence::split_bounded_counted(text, &tokens, limits.max_sentence_tokens);
    let doc = Doc { text, tokens, sentences };
    timings.tokenize = lap(&mut t);
    let mut mentions = if config.entities || config.events || config.attributions { x.ner.tag(&doc) } else { Vec::new() };
    mentions.retain(|m| m.confidence >= config.min_mention_confidence);
    timings.entities = lap(&mut t);
    let mut parse = ParseStats::default();
    // One parse per sentence for both extractors: the events passes and the attribution
    // passes ask for many of the same sentences (a speech verb is often a trigger too).
    let mut parses = ParseCache::new(x.events.parser().or(x.attributions.parser()));
    // One sentence context for both too: each sentence's participant mentions and dates.
    let ctx = DocContext::new(&doc, &mentions);
    let events = if config.events { x.events.extract_cached(&ctx, &mut parse, &mut parses) } else { Vec::new() };
    timings.events = lap(&mut t);
    let attributions = if config.attributions { x.attributions.extract_cached(&ctx, &mut parses) } else { Vec::new() };
    // Every sentence parsed, by either extractor (each once).
    parse.parsed = parses.parsed;
    parse.tagged = parses.tagged_only;
    timings.attributions = lap(&mut t);
    let mut found = Found { mentions, events, attributions, sentences: doc.sentences.len(), limited: Limited::default(), parse, timings };
    found.limited = bound(&mut found, text, limits);
    found.limited.sentences_split = split as u64;
    found
}

/// Keep at most `max` items per sentence, in the order the extractor gave them.
fn per_sentence<T>(items: &mut Vec<T>, max: usize, sentence: impl Fn(&T) -> usize) -> u64 {
    let before = items.len();
    let mut counts: HashMap<usize, usize> = HashMap::new();
    items.retain(|it| {
        let n = counts.entry(sentence(it)).or_default();
        *n += 1;
        *n <= max
    });
    (before - items.len()) as u64
}

/// Apply the span and rows-per-sentence bounds to what the extractors found: a quote's
/// content is cut at `max_span_bytes` (at a char boundary), longer names, triggers and
/// cues are no names, triggers or cues (dropped), longer optional parts are left empty,
/// and each sentence keeps its first `max_rows_per_sentence` events and attributions. Without
/// this, one overlong "sentence" with many speech verbs gave tens of thousands of
/// attributions each copying hundreds of kB of text.
fn bound(found: &mut Found, text: &str, limits: &LimitsConfig) -> Limited {
    let max = limits.max_span_bytes;
    let mut l = Limited::default();
    let too_long = |s: Span| s.len() > max;
    let before = found.mentions.len();
    found.mentions.retain(|m| !too_long(m.span));
    l.spans_dropped += (before - found.mentions.len()) as u64;
    let before = found.events.len();
    found.events.retain(|e| !too_long(e.trigger));
    l.spans_dropped += (before - found.events.len()) as u64;
    for e in &mut found.events {
        for part in [&mut e.actor, &mut e.recipient, &mut e.location, &mut e.date] {
            if part.is_some_and(too_long) {
                *part = None;
                l.spans_dropped += 1;
            }
        }
    }
    let before = found.attributions.len();
    found.attributions.retain(|a| !too_long(a.cue));
    l.spans_dropped += (before - found.attributions.len()) as u64;
    for a in &mut found.attributions {
        if a.source.is_some_and(too_long) {
            a.source = None;
            l.spans_dropped += 1;
        }
        if too_long(a.content) {
            let end = text.floor_char_boundary(a.content.start as usize + max);
            a.content = Span::new(a.content.start as usize, end.max(a.content.start as usize));
            l.spans_cut += 1;
        }
    }
    // Mentions do not overlap, so their text never exceeds the article's: only events and
    // attributions, whose spans can all cover the same stretch, are counted per sentence.
    let rows = limits.max_rows_per_sentence;
    l.rows_dropped += per_sentence(&mut found.events, rows, |e| e.sentence);
    l.rows_dropped += per_sentence(&mut found.attributions, rows, |a| a.sentence);
    l
}

/// `find` over the segments of a long text, spans and sentence numbers made relative to
/// the whole text.
fn find_segmented(text: &str, x: &Extractors, config: &ExtractConfig, limits: &LimitsConfig) -> Found {
    if text.len() <= MAX_SEGMENT_BYTES {
        return find(text, x, config, limits);
    }
    let mut all = Found::default();
    let mut sentence_base = 0;
    for seg in segments(text, MAX_SEGMENT_BYTES) {
        let piece = crate::text_slice(text, seg.clone());
        let f = find(piece, x, config, limits);
        let by = seg.start as u32;
        let sentences = f.sentences;
        all.limited.add(f.limited);
        all.parse.sentences += f.parse.sentences;
        all.parse.parsed += f.parse.parsed;
        all.parse.tagged += f.parse.tagged;
        all.timings.add(f.timings);
        all.mentions.extend(f.mentions.into_iter().map(|mut m| {
            m.span = shift(m.span, by);
            m.tokens = 0..0;
            m.sentence += sentence_base;
            m
        }));
        all.events.extend(f.events.into_iter().map(|mut e| {
            e.trigger = shift(e.trigger, by);
            e.actor = e.actor.map(|s| shift(s, by));
            e.recipient = e.recipient.map(|s| shift(s, by));
            e.location = e.location.map(|s| shift(s, by));
            e.date = e.date.map(|s| shift(s, by));
            e.sentence += sentence_base;
            e
        }));
        all.attributions.extend(f.attributions.into_iter().map(|mut a| {
            a.cue = shift(a.cue, by);
            a.content = shift(a.content, by);
            a.source = a.source.map(|s| shift(s, by));
            a.sentence += sentence_base;
            a
        }));
        sentence_base += sentences;
    }
    all
}

/// Extract everything from one article's text, within the `[limits]` bounds.
pub fn extract_article(article_id: &str, text: &str, x: &Extractors, config: &ExtractConfig, limits: &LimitsConfig) -> ArticleExtraction {
    let Found { mut mentions, mut events, mut attributions, mut limited, parse, mut timings, .. } = find_segmented(text, x, config, limits);
    let mut t = Instant::now();
    let o = CharOffsets::new(text);
    let mut out = ArticleExtraction::default();
    // Rows per sentence are bounded, but a text of megabytes is many sentences: its
    // attributions' contents (each up to a sentence) would copy the text many times over,
    // and its mentions (one per few words of a name list) fill gigabytes in the normalize
    // stage. The first `max_rows_per_article` of each kind in text order are kept (the
    // allsides-dev articles have at most 844 mentions, 331 attributions, 155 events).
    let cap = limits.max_rows_per_article;
    if mentions.len() > cap {
        mentions.sort_by_key(|m| (m.span.start, m.span.end));
        limited.article_rows_dropped += (mentions.len() - cap) as u64;
        mentions.truncate(cap);
    }
    if events.len() > cap {
        events.sort_by_key(|e| (e.trigger.start, e.trigger.end));
        limited.article_rows_dropped += (events.len() - cap) as u64;
        events.truncate(cap);
    }
    if attributions.len() > cap {
        attributions.sort_by_key(|a| (a.cue.start, a.content.start, a.source.map(|s| s.start)));
        limited.article_rows_dropped += (attributions.len() - cap) as u64;
        attributions.truncate(cap);
    }
    out.limited = limited;
    out.parse = parse;
    if config.entities {
        out.mentions = mentions
            .iter()
            .map(|m| RawMentionRow {
                article_id: article_id.to_string(),
                sentence_index: m.sentence as i32,
                start: o.char_of(m.span.start as usize),
                end: o.char_of(m.span.end as usize),
                text: crate::text_slice(text, m.span.range()).to_string(),
                entity_type: m.entity_type.as_str().to_string(),
                confidence: m.confidence,
            })
            .collect();
    }
    if config.events {
        events.sort_by_key(|e| (e.trigger.start, e.trigger.end));
        out.events = events
            .iter()
            .map(|e| {
                let (actor_start, actor_end) = opt_span(&o, meaningful(text, e.actor));
                let (recipient_start, recipient_end) = opt_span(&o, meaningful(text, e.recipient));
                let (location_start, location_end) = opt_span(&o, meaningful(text, e.location));
                let (date_start, date_end) = opt_span(&o, meaningful(text, e.date));
                RawEventRow {
                    article_id: article_id.to_string(),
                    sentence_index: e.sentence as i32,
                    event_type: e.event_type.as_str().to_string(),
                    event_mode: Some(e.mode.clone()),
                    trigger_start: o.char_of(e.trigger.start as usize),
                    trigger_end: o.char_of(e.trigger.end as usize),
                    actor_start,
                    actor_end,
                    recipient_start,
                    recipient_end,
                    location_start,
                    location_end,
                    date_start,
                    date_end,
                    negated: e.negated,
                    confidence: e.confidence,
                }
            })
            .collect();
    }
    if config.attributions {
        attributions.sort_by_key(|a| (a.cue.start, a.content.start, a.source.map(|s| s.start)));
        out.attributions = attributions
            .iter()
            .map(|a| {
                let (source_start, source_end) = opt_span(&o, meaningful(text, a.source));
                RawAttributionRow {
                    article_id: article_id.to_string(),
                    sentence_index: a.sentence as i32,
                    kind: a.kind.as_str().to_string(),
                    source_start,
                    source_end,
                    cue_start: o.char_of(a.cue.start as usize),
                    cue_end: o.char_of(a.cue.end as usize),
                    content_start: o.char_of(a.content.start as usize),
                    content_end: o.char_of(a.content.end as usize),
                    confidence: a.confidence,
                }
            })
            .collect();
    }
    timings.rows = lap(&mut t);
    out.timings = timings;
    out
}

enum Outcome {
    Done(ArticleExtraction),
    Skipped(&'static str),
    Failed(RejectRow),
}

fn process(a: &ArticleRow, x: &Extractors, config: &ExtractConfig, limits: &LimitsConfig) -> Outcome {
    if config.skip_duplicates && a.duplicate_of.is_some() {
        return Outcome::Skipped("skipped_duplicate");
    }
    if let Some(lang) = &a.language {
        if !config.languages.is_empty() && !config.languages.iter().any(|l| l == lang) {
            return Outcome::Skipped("skipped_language");
        }
    }
    let extract = || {
        super::test_panic("extract", &a.text);
        extract_article(&a.article_id, &a.text, x, config, limits)
    };
    match super::isolate(extract) {
        Ok(rows) => Outcome::Done(rows),
        Err(detail) => Outcome::Failed(RejectRow {
            input_file: a.input_file.clone(),
            input_position: a.input_position,
            source_id: a.source_id.clone(),
            stage: "extract".into(),
            reason: super::INTERNAL_ERROR.into(),
            detail,
        }),
    }
}

/// One article through the stage's per-article step, for the in-memory API (`crate::api`):
/// `Ok(None)` when it is skipped (a duplicate, another language), `Err` with its reject
/// when extraction failed.
pub fn extract_one(
    a: &ArticleRow,
    x: &Extractors,
    config: &ExtractConfig,
    limits: &LimitsConfig,
) -> Result<Option<ArticleExtraction>, Box<RejectRow>> {
    match process(a, x, config, limits) {
        Outcome::Done(rows) => Ok(Some(rows)),
        Outcome::Skipped(_) => Ok(None),
        Outcome::Failed(reject) => Err(Box::new(reject)),
    }
}

pub fn run(ctx: &StageContext, fingerprint: &str, upstream: &StageManifest) -> StageResult {
    let started = Instant::now();
    let config = &ctx.settings.config.extract;
    let limits = &ctx.settings.config.limits;
    let extractors = Extractors::for_config(ctx.settings.ner_model.as_deref(), config)?;
    let clean_dir = ctx.stage_dir(StageName::Clean);
    let writer = StageWriter::create(&ctx.work_dir, "extract")?;
    let bar = ctx.bar(StageName::Extract, upstream.rows.get("articles").copied().unwrap_or(0), "articles");
    let mut manifest = StageManifest::default();
    let mut mentions = RawMentionRows::new_builder(4096);
    let mut events = RawEventRows::new_builder(1024);
    let mut attributions = RawAttributionRows::new_builder(1024);
    let mut rejects = RejectRows::new_builder(16);
    pipeline_chunks(
        upstream.chunks,
        |k| read_part::<ArticleRows>(&clean_dir, k),
        |_, articles| Ok(articles.par_iter().map(|a| (a.word_count, process(a, &extractors, config, limits))).collect::<Vec<_>>()),
        |k, outcomes| {
            let n = outcomes.len() as u64;
            for (word_count, outcome) in outcomes {
                match outcome {
                    Outcome::Done(rows) => {
                        *manifest.counters.entry("articles_extracted".into()).or_default() += 1;
                        *manifest.counters.entry("words_extracted".into()).or_default() += word_count as u64;
                        rows.limited.count(&mut manifest.counters);
                        *manifest.counters.entry("sentences".into()).or_default() += rows.parse.sentences;
                        *manifest.counters.entry("sentences_parsed".into()).or_default() += rows.parse.parsed;
                        *manifest.counters.entry("sentences_tagged_only".into()).or_default() += rows.parse.tagged;
                        rows.timings.record(&mut manifest.timings);
                        rows.mentions.iter().for_each(|r| mentions.push(r));
                        rows.events.iter().for_each(|r| events.push(r));
                        rows.attributions.iter().for_each(|r| attributions.push(r));
                    }
                    Outcome::Skipped(why) => *manifest.counters.entry(why.into()).or_default() += 1,
                    Outcome::Failed(reject) => {
                        *manifest.counters.entry(format!("rejects.{}", super::INTERNAL_ERROR)).or_default() += 1;
                        rejects.push(&reject);
                    }
                }
            }
            for (name, n) in [
                ("raw_mentions", writer.write(k, &mut mentions)?),
                ("raw_events", writer.write(k, &mut events)?),
                ("raw_attributions", writer.write(k, &mut attributions)?),
                ("rejects", writer.write(k, &mut rejects)?),
            ] {
                *manifest.rows.entry(name.into()).or_default() += n;
            }
            bar.inc(n);
            Ok(())
        },
    )?;
    bar.finish_and_clear();
    for name in ["raw_mentions", "raw_events", "raw_attributions", "rejects"] {
        manifest.rows.entry(name.into()).or_default();
    }
    manifest.stage = "extract".into();
    manifest.fingerprint = fingerprint.to_string();
    manifest.upstream_fingerprint = Some(upstream.fingerprint.clone());
    manifest.chunks = upstream.chunks;
    manifest.seconds = started.elapsed().as_secs_f64();
    super::commit_stage(writer, manifest)
}

#[cfg(test)]
#[allow(clippy::string_slice)] // tests: segment bounds of the text; a panic is a failure
mod tests {
    use super::*;

    #[test]
    fn segments_cut_at_paragraphs_and_cover_the_text() {
        let para = "The minister said on Monday that talks would resume. ".repeat(20);
        let text = vec![para.trim_end(); 50].join("\n\n");
        let segs = segments(&text, 5_000);
        assert!(segs.len() > 1);
        assert_eq!(segs[0].start, 0);
        assert_eq!(segs.last().unwrap().end, text.len());
        for w in segs.windows(2) {
            assert_eq!(w[0].end, w[1].start);
            assert!(text[..w[0].end].ends_with("\n\n"), "cut at a paragraph break");
        }
        assert!(segs.iter().all(|r| r.len() <= 5_000));
        // No break at all: cut at a char boundary, never inside a character.
        let solid = "é".repeat(10_000);
        let segs = segments(&solid, 1_001);
        assert!(segs.iter().all(|r| solid.is_char_boundary(r.start) && solid.is_char_boundary(r.end) && !r.is_empty()));
        assert_eq!(segs.last().unwrap().end, solid.len());
    }

    #[test]
    fn long_articles_are_extracted_by_segment_with_whole_text_offsets() {
        let x = Extractors::load(None, true).unwrap();
        let config = ExtractConfig::default();
        let story = "Russian President Vladimir Putin spoke by phone with Venezuelan leader Nicolas Maduro on Thursday, the Kremlin said. \
                     \"We support Venezuela,\" Putin told reporters in Moscow.";
        let text = vec![story; 4_000].join("\n\n");
        assert!(text.len() > MAX_SEGMENT_BYTES * 2);
        let limits = LimitsConfig { max_rows_per_article: usize::MAX, ..LimitsConfig::default() };
        let got = extract_article("a", &text, &x, &config, &limits);
        assert!(got.mentions.len() > 4_000);
        let chars: Vec<char> = text.chars().collect();
        let slice = |s: i64, e: i64| chars[s as usize..e as usize].iter().collect::<String>();
        for m in &got.mentions {
            assert_eq!(slice(m.start, m.end), m.text);
        }
        let last = got.mentions.last().unwrap();
        assert!(last.sentence_index > 4_000, "sentence numbers run over the whole text");
        assert!(got.events.iter().all(|e| e.trigger_end as usize <= chars.len()));
        assert!(got.attributions.iter().all(|a| a.content_end as usize <= chars.len() && a.cue_start < a.cue_end));
        // Every segment's sentences are counted; only those holding a kept candidate
        // trigger are parsed.
        assert_eq!(got.parse.sentences, 8_000);
        assert!(got.parse.parsed > 0 && got.parse.parsed < got.parse.sentences, "{:?}", got.parse);
    }

    #[test]
    fn rows_per_article_are_capped_in_text_order() {
        let x = Extractors::load(None, false).unwrap();
        let config = ExtractConfig::default();
        let story = "Russian President Vladimir Putin spoke by phone with Venezuelan leader Nicolas Maduro on Thursday, the Kremlin said.";
        let text = vec![story; 200].join("\n\n");
        let all = extract_article("a", &text, &x, &config, &LimitsConfig::default());
        assert!(all.mentions.len() > 100 && all.attributions.len() > 100, "{} {}", all.mentions.len(), all.attributions.len());
        assert_eq!(all.limited.article_rows_dropped, 0);
        let limits = LimitsConfig { max_rows_per_article: 50, ..LimitsConfig::default() };
        let got = extract_article("a", &text, &x, &config, &limits);
        assert_eq!(got.mentions.len(), 50);
        assert_eq!(got.attributions.len(), 50);
        assert!(got.events.len() <= 50);
        let dropped = (all.mentions.len() - 50) + (all.attributions.len() - 50) + (all.events.len() - got.events.len());
        assert_eq!(got.limited.article_rows_dropped, dropped as u64);
        // The first rows in text order are kept.
        assert_eq!(
            got.mentions.iter().map(|m| m.start).collect::<Vec<_>>(),
            all.mentions[..50].iter().map(|m| m.start).collect::<Vec<_>>()
        );
        assert_eq!(
            got.attributions.iter().map(|a| a.cue_start).collect::<Vec<_>>(),
            all.attributions[..50].iter().map(|a| a.cue_start).collect::<Vec<_>>()
        );
    }
}
