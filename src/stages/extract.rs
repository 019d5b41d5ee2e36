//! `extract`: per article (in parallel inside a chunk), tokenize and split sentences
//! once, then tag entity mentions, find events and attributions. Writes the raw rows with
//! character offsets; ids and entities come in `normalize`. Articles outside the
//! configured languages or marked duplicate are skipped and counted. An article whose
//! extraction fails becomes a reject, never a crash.

use super::chunks::pipeline_chunks;
use super::{StageContext, StageName, StageResult};
use crate::config::ExtractConfig;
use crate::error::Error;
use crate::nlp::attrib::AttributionExtractor;
use crate::nlp::events::EventExtractor;
use crate::nlp::ner::NerModel;
use crate::nlp::{Doc, Span};
use crate::offsets::CharOffsets;
use crate::tables::artifact::{read_part, StageManifest, StageWriter};
use crate::tables::schema::{
    ArticleRow, ArticleRows, RawAttributionRow, RawAttributionRows, RawEventRow, RawEventRows, RawMentionRow, RawMentionRows, RejectRow,
    RejectRows, Table,
};
use rayon::prelude::*;
use std::time::Instant;

/// The models every thread shares, loaded once.
pub struct Extractors {
    pub ner: NerModel,
    pub events: EventExtractor,
    pub attributions: AttributionExtractor,
}

impl Extractors {
    pub fn load(model: Option<&std::path::Path>) -> Result<Extractors, Error> {
        Ok(Extractors {
            ner: match model {
                Some(p) => NerModel::load(p)?,
                None => NerModel::builtin()?,
            },
            events: EventExtractor::builtin(),
            attributions: AttributionExtractor::builtin(),
        })
    }
}

/// Rows extracted from one article.
#[derive(Default)]
pub struct ArticleExtraction {
    pub mentions: Vec<RawMentionRow>,
    pub events: Vec<RawEventRow>,
    pub attributions: Vec<RawAttributionRow>,
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

/// Extract everything from one article's text.
pub fn extract_article(article_id: &str, text: &str, x: &Extractors, config: &ExtractConfig) -> ArticleExtraction {
    let doc = Doc::new(text);
    let o = CharOffsets::new(text);
    let mut out = ArticleExtraction::default();
    let mut mentions = if config.entities || config.events || config.attributions { x.ner.tag(&doc) } else { Vec::new() };
    mentions.retain(|m| m.confidence >= config.min_mention_confidence);
    if config.entities {
        out.mentions = mentions
            .iter()
            .map(|m| RawMentionRow {
                article_id: article_id.to_string(),
                sentence_index: m.sentence as i32,
                start: o.char_of(m.span.start as usize),
                end: o.char_of(m.span.end as usize),
                text: doc.span_text(m.span).to_string(),
                entity_type: m.entity_type.as_str().to_string(),
                confidence: m.confidence,
            })
            .collect();
    }
    if config.events {
        let mut events = x.events.extract(&doc, &mentions);
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
        let mut attributions = x.attributions.extract(&doc, &mentions);
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
    out
}

enum Outcome {
    Done(ArticleExtraction),
    Skipped(&'static str),
    Failed(RejectRow),
}

fn process(a: &ArticleRow, x: &Extractors, config: &ExtractConfig) -> Outcome {
    if config.skip_duplicates && a.duplicate_of.is_some() {
        return Outcome::Skipped("skipped_duplicate");
    }
    if let Some(lang) = &a.language {
        if !config.languages.is_empty() && !config.languages.iter().any(|l| l == lang) {
            return Outcome::Skipped("skipped_language");
        }
    }
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extract_article(&a.article_id, &a.text, x, config))) {
        Ok(rows) => Outcome::Done(rows),
        Err(panic) => {
            let detail = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "extraction failed".into());
            Outcome::Failed(RejectRow {
                input_file: a.input_file.clone(),
                input_position: a.input_position,
                source_id: a.source_id.clone(),
                stage: "extract".into(),
                reason: "extract_failed".into(),
                detail,
            })
        }
    }
}

pub fn run(ctx: &StageContext, fingerprint: &str, upstream: &StageManifest) -> StageResult {
    let started = Instant::now();
    let config = &ctx.settings.config.extract;
    let extractors = Extractors::load(ctx.settings.ner_model.as_deref())?;
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
        |_, articles| Ok(articles.par_iter().map(|a| (a.word_count, process(a, &extractors, config))).collect::<Vec<_>>()),
        |k, outcomes| {
            let n = outcomes.len() as u64;
            for (word_count, outcome) in outcomes {
                match outcome {
                    Outcome::Done(rows) => {
                        *manifest.counters.entry("articles_extracted".into()).or_default() += 1;
                        *manifest.counters.entry("words_extracted".into()).or_default() += word_count as u64;
                        rows.mentions.iter().for_each(|r| mentions.push(r));
                        rows.events.iter().for_each(|r| events.push(r));
                        rows.attributions.iter().for_each(|r| attributions.push(r));
                    }
                    Outcome::Skipped(why) => *manifest.counters.entry(why.into()).or_default() += 1,
                    Outcome::Failed(reject) => {
                        *manifest.counters.entry("rejects.extract_failed".into()).or_default() += 1;
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
