//! `clean`: records to articles. HTML to text, Unicode NFC, whitespace normalised with
//! paragraphs kept, publisher furniture removed (see `furniture`), publication date parsed
//! to UTC, language identified, ids and content hashes and near-duplicate signatures
//! computed (in parallel inside a chunk), then exact and near duplicates marked in input
//! order (sequential, so the first occurrence wins whatever the thread count; see `dedupe`).
//!
//! With `[clean] remove_furniture` the stage makes two passes over the chunks, because a
//! paragraph is furniture when it repeats across the dump: pass 1 cleans every record
//! (furniture by wording removed), counts the paragraphs of the articles that are no
//! duplicate of an earlier one, and sets the cleaned articles aside under the stage's
//! `.tmp/pass1/` folder (Arrow IPC, LZ4: cheaper than cleaning HTML twice); pass 2 reads
//! them back, removes the repeated paragraphs, and hashes, marks and writes as above. Near-
//! duplicate signatures from pass 1 are kept in memory (~150 bytes per article) and reused
//! for the articles pass 2 leaves unchanged. Every shard runs both passes over the whole
//! dump, so the text of an article is the same in every shard.

use super::chunks::pipeline_chunks;
use super::dedupe::{self, Dedupe, Mark, Signature};
use super::furniture::{self, RepeatedLines, SpillingLineCounter};
use super::text::{detect_language, normalize_text, word_count};
use super::{StageContext, StageName, StageResult};
use crate::config::CleanConfig;
use crate::error::Error;
use crate::ids;
use crate::nlp::dates::parse_published;
use crate::tables::artifact::{read_part, write_part, StageManifest, StageWriter};
use crate::tables::columns::TimestampUtc;
use crate::tables::schema::{date_of, ArticleRow, ArticleRows, RecordRow, RecordRows, RejectRow, RejectRows, Table};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Clean one record. Ids are finalised later by the sequential duplicate pass.
pub fn clean_record(r: RecordRow, config: &CleanConfig) -> Result<(ArticleRow, u128), Box<RejectRow>> {
    clean_record_with(r, config, crate::html::Limits::default(), &AtomicU64::new(0))
}

/// [`clean_record`] with the HTML parser's bounds; a page that hits one adds 1 to
/// `html_truncated`.
pub fn clean_record_with(
    mut r: RecordRow,
    config: &CleanConfig,
    html: crate::html::Limits,
    html_truncated: &AtomicU64,
) -> Result<(ArticleRow, u128), Box<RejectRow>> {
    let (body, html_title) = if r.is_html {
        // Main-content extraction; the page's metadata fills what the record lacks.
        let page = crate::html::extract_with(&r.text, r.url.as_deref(), html);
        if page.truncated {
            html_truncated.fetch_add(1, Ordering::Relaxed);
        }
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if blank(&r.authors) && !page.authors.is_empty() {
            r.authors = Some(page.authors.join("; "));
        }
        if blank(&r.published_raw) {
            r.published_raw = page.published;
        }
        if blank(&r.source_name) {
            r.source_name = page.site_name;
        }
        if blank(&r.url) {
            r.url = page.canonical_url;
        }
        (page.text, page.title)
    } else {
        (r.text, None)
    };
    let text = strip_signoff(normalize_text(&body));
    // The id (when the dump has neither id nor URL) comes from the text before furniture
    // removal, so it does not move with the run-wide rule or the switch.
    let id_hash = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
    let (text, removed) = match config.remove_furniture.then(|| furniture::strip_patterns(&text)).flatten() {
        Some((stripped, n)) => (stripped, n),
        None => (text, 0),
    };
    if let Some(reason) = too_short(&text, config) {
        return Err(Box::new(reject(&r.input_file, r.input_position, r.source_id.as_deref(), reason, &text, removed, config)));
    }
    let content = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
    let published = r.published_raw.as_deref().and_then(parse_published);
    let published_at = TimestampUtc(published.map(|d| d.timestamp_micros()));
    let title = r.title.or(html_title).map(|t| normalize_text(&t).replace("\n\n", " "));
    let article_id = ids::article_id(r.source_id.as_deref(), r.url.as_deref(), id_hash);
    let row = ArticleRow {
        article_id: ids::hex(article_id),
        source_id: r.source_id,
        url: r.url.map(|u| u.trim().to_string()),
        source_name: r.source_name.map(|s| normalize_text(&s)),
        title,
        authors: r.authors.map(|a| normalize_text(&a)),
        published_at,
        published_date: date_of(published_at),
        published_raw: r.published_raw,
        language: if config.detect_language { detect_language(&text) } else { None },
        word_count: word_count(&text),
        char_count: text.chars().count() as i64,
        content_hash: ids::hex(content),
        duplicate_of: None,
        furniture_removed: i32::try_from(removed).unwrap_or(i32::MAX),
        input_file: r.input_file,
        input_position: r.input_position,
        text,
    };
    Ok((row, content))
}

/// One record cleaned exactly as the stage cleans it (HTML bounds from `[limits]`, a panic
/// becomes the record's `internal_error` reject), for the in-memory API (`crate::api`).
/// Furniture by wording is removed here; the run-wide repeated-line rule is
/// [`strip_repeated`]'s.
pub fn clean_one(r: RecordRow, config: &crate::config::Config) -> Result<(ArticleRow, u128), Box<RejectRow>> {
    let l = &config.limits;
    let html = HtmlBounds {
        limits: crate::html::Limits { max_depth: l.html_max_depth, max_nodes: l.html_max_nodes },
        truncated: AtomicU64::new(0),
    };
    clean_isolated(r, &config.clean, &html)
}

/// [`clean_record`] with a panic on the record caught: it becomes that record's
/// `internal_error` reject and the run goes on.
fn clean_isolated(r: RecordRow, config: &CleanConfig, html: &HtmlBounds) -> Result<(ArticleRow, u128), Box<RejectRow>> {
    let (file, position, source_id) = (r.input_file.clone(), r.input_position, r.source_id.clone());
    super::isolate(|| {
        super::test_panic("clean", &r.text);
        clean_record_with(r, config, html.limits, &html.truncated)
    })
    .unwrap_or_else(|detail| {
        Err(Box::new(RejectRow {
            input_file: file,
            input_position: position,
            source_id,
            stage: "clean".into(),
            reason: super::INTERNAL_ERROR.into(),
            detail,
        }))
    })
}

/// The reject reason when a cleaned text is too short to keep.
fn too_short(text: &str, config: &CleanConfig) -> Option<&'static str> {
    let chars = text.chars().count();
    if chars == 0 {
        Some("empty_text")
    } else if chars < config.min_text_chars.max(1) {
        Some("text_too_short")
    } else {
        None
    }
}

fn reject(
    input_file: &str,
    input_position: i64,
    source_id: Option<&str>,
    reason: &str,
    text: &str,
    furniture: u32,
    config: &CleanConfig,
) -> RejectRow {
    let furniture = if furniture > 0 { format!(" ({furniture} furniture paragraphs removed)") } else { String::new() };
    RejectRow {
        input_file: input_file.to_string(),
        input_position,
        source_id: source_id.map(str::to_string),
        stage: "clean".into(),
        reason: reason.into(),
        detail: format!(
            "{} characters after cleaning{furniture}; [clean] min_text_chars is {}",
            text.chars().count(),
            config.min_text_chars
        ),
    }
}

/// Apply the run-wide repeated-line rule to an article cleaned in the first pass. Returns
/// the article, its content hash, and the paragraphs removed (0: text unchanged).
pub fn strip_repeated(
    mut row: ArticleRow,
    content: u128,
    rule: &RepeatedLines,
    config: &CleanConfig,
) -> Result<(ArticleRow, u128, u32), Box<RejectRow>> {
    let source = rule.source(furniture::source_key(row.source_name.as_deref(), row.url.as_deref()).as_deref());
    let Some((text, removed)) = rule.strip(&row.text, source) else {
        return Ok((row, content, 0));
    };
    let total = u32::try_from(row.furniture_removed).unwrap_or(0).saturating_add(removed);
    if let Some(reason) = too_short(&text, config) {
        return Err(Box::new(reject(&row.input_file, row.input_position, row.source_id.as_deref(), reason, &text, total, config)));
    }
    let content = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
    row.content_hash = ids::hex(content);
    row.char_count = text.chars().count() as i64;
    row.word_count = word_count(&text);
    if config.detect_language {
        row.language = detect_language(&text);
    }
    row.furniture_removed = i32::try_from(total).unwrap_or(i32::MAX);
    row.text = text;
    Ok((row, content, removed))
}

/// Wire sign-offs that end a story as a paragraph of their own ("Reuter", "REUTER") are
/// not article text; taggers read them as names.
fn strip_signoff(mut text: String) -> String {
    const SIGNOFFS: &[&str] = &["Reuter", "REUTER", "Reuters", "REUTERS"];
    let Some((pos, space)) = text.char_indices().rev().find(|(_, c)| c.is_whitespace()) else {
        return text;
    };
    let (head, last) = text.split_at(pos);
    let before = head.trim_end();
    // "...\n\nReuter" or "... last year. Reuter"
    if SIGNOFFS.contains(&last.get(space.len_utf8()..).unwrap_or("")) && (space == '\n' || before.ends_with(['.', '"', '”'])) {
        let keep = before.len();
        text.truncate(keep);
    }
    text
}

/// One cleaned record on its way to the sequential marking: the article with its content
/// hash and near-duplicate signature, or its reject; and the paragraphs the run-wide rule removed.
/// The HTML parser's bounds from `[limits]`, and the pages that hit one.
struct HtmlBounds {
    limits: crate::html::Limits,
    truncated: AtomicU64,
}

type Item = (Result<(ArticleRow, u128), Box<RejectRow>>, Option<Signature>, u32);

pub fn run(ctx: &StageContext, fingerprint: &str, upstream: &StageManifest) -> StageResult {
    let started = Instant::now();
    let config = &ctx.settings.config.clean;
    let l = &ctx.settings.config.limits;
    let html = HtmlBounds {
        limits: crate::html::Limits { max_depth: l.html_max_depth, max_nodes: l.html_max_nodes },
        truncated: AtomicU64::new(0),
    };
    let load_dir = ctx.stage_dir(StageName::Load);
    let writer = StageWriter::create(&ctx.work_dir, "clean")?;
    let records = upstream.rows.get("records").copied().unwrap_or(0);
    let mut manifest = StageManifest::default();
    let mut dedupe = Dedupe::new(config);
    let mut articles = ArticleRows::new_builder(1024);
    let mut rejects = RejectRows::new_builder(16);
    // Mark duplicates in input order, keep this shard's articles, write the chunk.
    let mut finish_chunk = |k: u64, items: Vec<Item>, mut chunk_rejects: Vec<RejectRow>, manifest: &mut StageManifest| {
        let first_pass_rejects = chunk_rejects.len();
        for (item, sig, repeated) in items {
            match item {
                Ok((mut row, content)) => {
                    // Every shard indexes every article for duplicates before keeping
                    // its own, so `duplicate_of` (and thus what is extracted) is the
                    // same as in an unsharded run.
                    let mark = dedupe.mark(&mut row, content, sig.as_ref());
                    if let Some((shard, of)) = ctx.shard {
                        let id = ids::parse_hex(&row.article_id).unwrap_or_default();
                        if (id % of as u128) as u64 != shard {
                            *manifest.counters.entry("other_shard".into()).or_default() += 1;
                            continue;
                        }
                    }
                    if mark != Mark::Unique {
                        *manifest.counters.entry("duplicates".into()).or_default() += 1;
                    }
                    if mark == Mark::Near {
                        *manifest.counters.entry("near_duplicates".into()).or_default() += 1;
                    }
                    if row.furniture_removed > 0 {
                        *manifest.counters.entry("furniture_articles".into()).or_default() += 1;
                        *manifest.counters.entry("furniture_removed".into()).or_default() += row.furniture_removed as u64;
                        *manifest.counters.entry("furniture_repeated_removed".into()).or_default() += repeated as u64;
                    }
                    articles.push(&row);
                }
                Err(reject) => {
                    *manifest.counters.entry(format!("rejects.{}", reject.reason)).or_default() += 1;
                    chunk_rejects.push(*reject);
                }
            }
        }
        if first_pass_rejects > 0 && chunk_rejects.len() > first_pass_rejects {
            // Articles left empty by the run-wide rule join the first pass's rejects: back
            // to input order (files are read in sorted path order).
            chunk_rejects.sort_by(|a, b| (&a.input_file, a.input_position).cmp(&(&b.input_file, b.input_position)));
        }
        for reject in &chunk_rejects {
            rejects.push(reject);
        }
        *manifest.rows.entry("articles".into()).or_default() += writer.write(k, &mut articles)?;
        *manifest.rows.entry("rejects".into()).or_default() += writer.write(k, &mut rejects)?;
        Ok::<(), Error>(())
    };
    if !config.remove_furniture {
        let bar = ctx.bar(StageName::Clean, records, "articles");
        pipeline_chunks(
            upstream.chunks,
            |k| read_part::<RecordRows>(&load_dir, k),
            |_, records| {
                let n = records.len() as u64;
                let items: Vec<Item> = records
                    .into_par_iter()
                    .map(|r| {
                        let cleaned = clean_isolated(r, config, &html);
                        let sig = cleaned.as_ref().ok().and_then(|(row, _)| dedupe::signature(config, &row.text));
                        (cleaned, sig, 0)
                    })
                    .collect();
                Ok((items, n))
            },
            |k, (items, n)| {
                finish_chunk(k, items, Vec::new(), &mut manifest)?;
                bar.inc(n);
                Ok(())
            },
        )?;
        bar.finish_and_clear();
    } else {
        // Pass 1: clean every record (pattern furniture removed), set the cleaned articles
        // aside, and count their paragraphs run-wide.
        let pass1_dir = writer.tmp_dir.join("pass1");
        std::fs::create_dir_all(&pass1_dir).map_err(|e| Error::io(&pass1_dir, e))?;
        let bar = ctx.bar(StageName::Clean, records * 2, "articles");
        let mut counter = SpillingLineCounter::new(&pass1_dir);
        let mut counting = Dedupe::new(config);
        // Boxed: 8 bytes per article when near-duplicate detection is off (an inline
        // `Option<Signature>` took ~150 bytes per article of the dump either way).
        let mut sigs: Vec<Option<Box<Signature>>> = Vec::new();
        let mut set_aside = ArticleRows::new_builder(1024);
        let mut set_aside_rejects = RejectRows::new_builder(16);
        pipeline_chunks(
            upstream.chunks,
            |k| read_part::<RecordRows>(&load_dir, k),
            |_, records| {
                let n = records.len() as u64;
                let cleaned: Vec<_> = records
                    .into_par_iter()
                    .map(|r| {
                        let cleaned = clean_isolated(r, config, &html);
                        let extra = cleaned.as_ref().ok().map(|(row, _)| {
                            let source = furniture::source_key(row.source_name.as_deref(), row.url.as_deref());
                            (dedupe::signature(config, &row.text), furniture::line_hashes(&row.text), source)
                        });
                        (cleaned, extra)
                    })
                    .collect();
                Ok((cleaned, n))
            },
            |k, (cleaned, n)| {
                for (item, extra) in cleaned {
                    match (item, extra) {
                        (Ok((row, content)), Some((sig, lines, source))) => {
                            // The versions of one story do not make each other's lines repeated:
                            // only articles that are no duplicate of an earlier one count.
                            let mut scratch = ArticleRow { article_id: row.article_id.clone(), ..Default::default() };
                            if counting.mark(&mut scratch, content, sig.as_ref()) == Mark::Unique {
                                counter.add(source.as_deref(), &lines)?;
                            }
                            sigs.push(sig.map(Box::new));
                            set_aside.push(&row);
                        }
                        (Err(reject), _) => {
                            *manifest.counters.entry(format!("rejects.{}", reject.reason)).or_default() += 1;
                            set_aside_rejects.push(&reject);
                        }
                        (Ok(_), None) => {}
                    }
                }
                write_aside(&pass1_dir, k, &mut set_aside)?;
                write_aside(&pass1_dir, k, &mut set_aside_rejects)?;
                bar.inc(n);
                Ok(())
            },
        )?;
        drop(counting);
        let rule = counter.finish(config.furniture_min_repeats, config.furniture_min_sources)?;
        let (global, pairs) = rule.sizes();
        manifest.counters.insert("furniture_distinct_lines".into(), rule.distinct_lines);
        manifest.counters.insert("furniture_repeated_lines".into(), global as u64);
        manifest.counters.insert("furniture_repeated_source_lines".into(), pairs as u64);
        // Pass 2: remove the repeated lines, then hash, mark duplicates and write.
        let mut next_sig = 0usize;
        pipeline_chunks(
            upstream.chunks,
            |k| Ok((read_part::<ArticleRows>(&pass1_dir, k)?, read_part::<RejectRows>(&pass1_dir, k)?)),
            |k, (rows, rejects_before)| {
                let n = (rows.len() + rejects_before.len()) as u64;
                let chunk_sigs = sigs.get_mut(next_sig..next_sig + rows.len()).ok_or_else(|| Error::Stage {
                    stage: "clean".into(),
                    detail: format!("first-pass chunk {k} holds more articles than the first pass set aside"),
                })?;
                next_sig += rows.len();
                let items: Vec<Item> = rows
                    .into_par_iter()
                    .zip(chunk_sigs.par_iter_mut())
                    .map(|(row, sig)| {
                        let content = ids::parse_hex(&row.content_hash).unwrap_or_default();
                        match strip_repeated(row, content, &rule, config) {
                            Ok((row, content, 0)) => (Ok((row, content)), sig.take().map(|b| *b), 0),
                            Ok((row, content, removed)) => {
                                let sig = dedupe::signature(config, &row.text);
                                (Ok((row, content)), sig, removed)
                            }
                            Err(reject) => (Err(reject), None, 0),
                        }
                    })
                    .collect();
                Ok((items, rejects_before, n))
            },
            |k, (items, rejects_before, n)| {
                finish_chunk(k, items, rejects_before, &mut manifest)?;
                bar.inc(n);
                Ok(())
            },
        )?;
        bar.finish_and_clear();
        std::fs::remove_dir_all(&pass1_dir).map_err(|e| Error::io(&pass1_dir, e))?;
    }
    manifest.rows.entry("articles".into()).or_default();
    manifest.rows.entry("rejects".into()).or_default();
    // HTML pages that hit `[limits] html_max_depth` or `html_max_nodes`.
    let truncated = html.truncated.load(Ordering::Relaxed);
    if truncated > 0 {
        manifest.counters.insert("limits.html_truncated".into(), truncated);
    }
    manifest.stage = "clean".into();
    manifest.fingerprint = fingerprint.to_string();
    manifest.upstream_fingerprint = Some(upstream.fingerprint.clone());
    manifest.chunks = upstream.chunks;
    manifest.seconds = started.elapsed().as_secs_f64();
    super::commit_stage(writer, manifest)
}

/// Write one chunk of a first-pass table into the pass's folder (synchronously: the
/// second pass reads it back).
fn write_aside<T: Table>(dir: &std::path::Path, chunk: u64, builder: &mut T) -> Result<(), Error> {
    let batch = builder.finish().map_err(|e| Error::Arrow(format!("{}: {e}", T::NAME)))?;
    write_part(dir, T::NAME, chunk, &batch)
}

#[cfg(test)]
mod tests {
    #[test]
    fn wire_signoff_removed() {
        assert_eq!(super::strip_signoff("Prices rose.\n\nReuter".into()), "Prices rose.");
        assert_eq!(super::strip_signoff("Prices rose. Reuter".into()), "Prices rose.");
        assert_eq!(super::strip_signoff("A Reuter".into()), "A Reuter");
        assert_eq!(super::strip_signoff("One.\n\nTwo ends. Reuter".into()), "One.\n\nTwo ends.");
    }
}
