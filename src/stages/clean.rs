//! `clean`: records to articles. HTML to text, Unicode NFC, whitespace normalised with
//! paragraphs kept, publication date parsed to UTC, language identified, ids and content
//! hashes and near-duplicate signatures computed (in parallel inside a chunk), then exact
//! and near duplicates marked in input order (sequential, so the first occurrence wins
//! whatever the thread count; see `dedupe`).

use super::chunks::for_each_chunk;
use super::dedupe::{self, Dedupe, Mark};
use super::text::{detect_language, normalize_text, word_count};
use super::{StageContext, StageName, StageResult};
use crate::config::CleanConfig;
use crate::ids;
use crate::nlp::dates::parse_published;
use crate::tables::artifact::{read_part, StageManifest, StageWriter};
use crate::tables::columns::TimestampUtc;
use crate::tables::schema::{date_of, ArticleRow, ArticleRows, RecordRow, RecordRows, RejectRow, RejectRows, Table};
use rayon::prelude::*;
use std::time::Instant;

/// Clean one record. Ids are finalised later by the sequential duplicate pass.
pub fn clean_record(mut r: RecordRow, config: &CleanConfig) -> Result<(ArticleRow, u128), Box<RejectRow>> {
    let (body, html_title) = if r.is_html {
        // Main-content extraction; the page's metadata fills what the record lacks.
        let page = crate::html::extract(&r.text, r.url.as_deref());
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
    let char_count = text.chars().count() as i64;
    if char_count < config.min_text_chars.max(1) as i64 {
        return Err(Box::new(RejectRow {
            input_file: r.input_file,
            input_position: r.input_position,
            source_id: r.source_id,
            stage: "clean".into(),
            reason: if char_count == 0 { "empty_text" } else { "text_too_short" }.into(),
            detail: format!("{char_count} characters after cleaning; [clean] min_text_chars is {}", config.min_text_chars),
        }));
    }
    let content = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
    let published = r.published_raw.as_deref().and_then(parse_published);
    let published_at = TimestampUtc(published.map(|d| d.timestamp_micros()));
    let title = r.title.or(html_title).map(|t| normalize_text(&t).replace("\n\n", " "));
    let article_id = ids::article_id(r.source_id.as_deref(), r.url.as_deref(), content);
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
        char_count,
        content_hash: ids::hex(content),
        duplicate_of: None,
        input_file: r.input_file,
        input_position: r.input_position,
        text,
    };
    Ok((row, content))
}

/// Wire sign-offs that end a story as a paragraph of their own ("Reuter", "REUTER") are
/// not article text; taggers read them as names.
fn strip_signoff(mut text: String) -> String {
    const SIGNOFFS: &[&str] = &["Reuter", "REUTER", "Reuters", "REUTERS"];
    let Some(pos) = text.rfind(char::is_whitespace) else {
        return text;
    };
    let before = text[..pos].trim_end();
    // "...\n\nReuter" or "... last year. Reuter"
    if SIGNOFFS.contains(&&text[pos + 1..]) && (text[pos..].starts_with('\n') || before.ends_with(['.', '"', '”'])) {
        let keep = before.len();
        text.truncate(keep);
    }
    text
}

pub fn run(ctx: &StageContext, fingerprint: &str, upstream: &StageManifest) -> StageResult {
    let started = Instant::now();
    let config = &ctx.settings.config.clean;
    let load_dir = ctx.stage_dir(StageName::Load);
    let writer = StageWriter::create(&ctx.work_dir, "clean")?;
    let bar = ctx.bar(StageName::Clean, upstream.rows.get("records").copied().unwrap_or(0), "articles");
    let mut manifest = StageManifest::default();
    let mut dedupe = Dedupe::new(config);
    let mut articles = ArticleRows::new_builder(1024);
    let mut rejects = RejectRows::new_builder(16);
    for_each_chunk(
        upstream.chunks,
        |k| read_part::<RecordRows>(&load_dir, k),
        |k, records| {
            let n = records.len() as u64;
            let cleaned: Vec<_> = records
                .into_par_iter()
                .map(|r| {
                    // A panic on one record is that record's `internal_error` reject.
                    let (file, position, source_id) = (r.input_file.clone(), r.input_position, r.source_id.clone());
                    let cleaned = super::isolate(|| {
                        super::test_panic("clean", &r.text);
                        clean_record(r, config)
                    })
                    .unwrap_or_else(|detail| {
                        let stage = "clean".into();
                        Err(Box::new(RejectRow {
                            input_file: file,
                            input_position: position,
                            source_id,
                            stage,
                            reason: super::INTERNAL_ERROR.into(),
                            detail,
                        }))
                    });
                    let sig = cleaned.as_ref().ok().and_then(|(row, _)| dedupe::signature(config, &row.text));
                    (cleaned, sig)
                })
                .collect();
            for (item, sig) in cleaned {
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
                        articles.push(&row);
                    }
                    Err(reject) => {
                        *manifest.counters.entry(format!("rejects.{}", reject.reason)).or_default() += 1;
                        rejects.push(&reject);
                    }
                }
            }
            *manifest.rows.entry("articles".into()).or_default() += writer.write(k, &mut articles)?;
            *manifest.rows.entry("rejects".into()).or_default() += writer.write(k, &mut rejects)?;
            bar.inc(n);
            Ok(())
        },
    )?;
    bar.finish_and_clear();
    manifest.rows.entry("articles".into()).or_default();
    manifest.rows.entry("rejects".into()).or_default();
    manifest.stage = "clean".into();
    manifest.fingerprint = fingerprint.to_string();
    manifest.upstream_fingerprint = Some(upstream.fingerprint.clone());
    manifest.chunks = upstream.chunks;
    manifest.seconds = started.elapsed().as_secs_f64();
    super::commit_stage(writer, manifest)
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
