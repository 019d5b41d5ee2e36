//! `load`: read the input files in sorted path order and cut the record stream into
//! chunks by article count and bytes. Chunk boundaries depend only on the input and the
//! config. Writes `records` and `rejects` parts per chunk.

use super::{StageContext, StageName, StageResult};
use crate::error::Error;
use crate::io::{self, LoadItem};
use crate::tables::artifact::{StageManifest, StageWriter};
use crate::tables::schema::{RecordRows, RejectRow, RejectRows, Table};
use std::time::Instant;

struct Chunker<'a> {
    writer: &'a StageWriter,
    records: RecordRows,
    rejects: RejectRows,
    bytes: usize,
    chunk: u64,
    max_articles: usize,
    max_bytes: usize,
    manifest: StageManifest,
    error: Option<Error>,
}

impl Chunker<'_> {
    fn accept(&mut self, item: LoadItem) {
        match item {
            LoadItem::Record(r) => {
                self.bytes += r.text.len();
                self.records.push(&r);
            }
            LoadItem::Reject(r) => {
                *self.manifest.counters.entry(format!("rejects.{}", r.reason)).or_default() += 1;
                self.rejects.push(&r);
            }
            LoadItem::Skipped { reason, .. } => {
                // Not an input record in the sense of `records_seen` (articles + rejects).
                *self.manifest.counters.entry(format!("warc_skipped.{reason}")).or_default() += 1;
                return;
            }
        }
        *self.manifest.counters.entry("records_seen".into()).or_default() += 1;
        if self.records.len() >= self.max_articles || self.bytes >= self.max_bytes || self.rejects.len() >= self.max_articles {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.error.is_some() || (self.records.is_empty() && self.rejects.is_empty()) {
            return;
        }
        let result =
            self.writer.write(self.chunk, &mut self.records).and_then(|n| Ok((n, self.writer.write(self.chunk, &mut self.rejects)?)));
        match result {
            Ok((n, r)) => {
                *self.manifest.rows.entry("records".into()).or_default() += n;
                *self.manifest.rows.entry("rejects".into()).or_default() += r;
                self.chunk += 1;
                self.bytes = 0;
            }
            Err(e) => self.error = Some(e),
        }
    }
}

pub fn run(ctx: &StageContext, fingerprint: &str) -> StageResult {
    let started = Instant::now();
    let settings = ctx.settings;
    let files =
        io::expand_inputs(&settings.inputs).map_err(|e| Error::Stage { stage: "load".into(), detail: format!("listing inputs: {e}") })?;
    let total_bytes: u64 = files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    let bar = ctx.bar(StageName::Load, total_bytes, "bytes");
    let writer = StageWriter::create(&ctx.work_dir, "load")?;
    let mut chunker = Chunker {
        writer: &writer,
        records: RecordRows::new_builder(settings.config.run.chunk_articles.min(4096)),
        rejects: RejectRows::new_builder(64),
        bytes: 0,
        chunk: 0,
        max_articles: settings.config.run.chunk_articles,
        max_bytes: settings.config.run.chunk_bytes,
        manifest: StageManifest::default(),
        error: None,
    };
    for file in &files {
        bar.set_message(file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        // A panic while reading is an `internal_error` reject (the readers isolate each
        // record; this catches the rest): the records before it are kept, the next file
        // goes on.
        let mut last_position = 0i64;
        let read = super::isolate(|| {
            io::read_file(file, &settings.config, &mut |item| {
                last_position = match &item {
                    LoadItem::Record(r) => r.input_position,
                    LoadItem::Reject(r) => r.input_position,
                    LoadItem::Skipped { position, .. } => *position,
                };
                chunker.accept(item)
            })
        });
        if let Err(detail) = read {
            chunker.accept(LoadItem::Reject(RejectRow {
                input_file: io::clean_path(file).display().to_string(),
                input_position: last_position + 1,
                source_id: None,
                stage: "load".into(),
                reason: super::INTERNAL_ERROR.into(),
                detail: format!("{detail}; the rest of the file is not read"),
            }));
        }
        if let Some(e) = chunker.error.take() {
            return Err(e);
        }
        bar.inc(std::fs::metadata(file).map(|m| m.len()).unwrap_or(0));
    }
    chunker.flush();
    if let Some(e) = chunker.error.take() {
        return Err(e);
    }
    bar.finish_and_clear();
    let mut manifest = chunker.manifest;
    manifest.counters.insert("input_files".into(), files.len() as u64);
    manifest.counters.insert("input_bytes".into(), total_bytes);
    manifest.rows.entry("records".into()).or_default();
    manifest.rows.entry("rejects".into()).or_default();
    manifest.stage = "load".into();
    manifest.fingerprint = fingerprint.to_string();
    manifest.chunks = chunker.chunk;
    manifest.seconds = started.elapsed().as_secs_f64();
    super::commit_stage(writer, manifest)
}
