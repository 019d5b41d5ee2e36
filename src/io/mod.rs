//! Readers for the dump formats. Each reader turns one input file into a stream of
//! `LoadItem`s: a record, or a reject with its position and a stable reason code. A bad
//! record never stops the file; a broken stream rejects what could not be read and the
//! next file goes on.

pub mod compress;
pub mod csv;
pub mod fields;
pub mod folder;
pub mod jsonl;
pub mod warc;

use crate::config::Config;
use crate::tables::schema::{RecordRow, RejectRow};
use std::path::{Path, PathBuf};

/// One thing read from an input: a record, a reject, or a record deliberately not loaded.
pub enum LoadItem {
    Record(RecordRow),
    Reject(RejectRow),
    /// A record that is no article by design (a WARC `request`, `warcinfo` or `metadata`
    /// record, a non-HTML or non-2xx response): counted in the load stage's counters as
    /// `warc_skipped.<reason>`, not in `records_seen`.
    Skipped {
        position: i64,
        reason: &'static str,
    },
}

impl LoadItem {
    /// A load-stage reject of the record at `position` of `file`.
    pub fn reject(file: &str, position: i64, source_id: Option<String>, reason: &str, detail: String) -> LoadItem {
        LoadItem::Reject(RejectRow {
            input_file: file.to_string(),
            input_position: position,
            source_id,
            stage: "load".into(),
            reason: reason.into(),
            detail,
        })
    }
}

/// The kinds of input file `load` understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Jsonl,
    Csv,
    /// One article per file: `.txt`, `.html`/`.htm`, `.json`.
    Single(SingleKind),
    /// WARC (`.warc`, `.warc.gz`, `.warc.zst`): response records with HTML.
    Warc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SingleKind {
    Text,
    Html,
    Json,
}

/// Decide a file's kind from its name (compression suffixes ignored) and the configured
/// format. None when the file is of no kind we read.
pub fn file_kind(path: &Path, format: &str) -> Option<FileKind> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    let base = compress::strip_compression_suffix(&name);
    let ext = base.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match format {
        "jsonl" => return Some(FileKind::Jsonl),
        "csv" => return Some(FileKind::Csv),
        "text" => return Some(FileKind::Single(SingleKind::Text)),
        _ => {}
    }
    match ext {
        "jsonl" | "ndjson" => Some(FileKind::Jsonl),
        "csv" | "tsv" => Some(FileKind::Csv),
        "txt" | "text" => Some(FileKind::Single(SingleKind::Text)),
        "html" | "htm" | "xhtml" => Some(FileKind::Single(SingleKind::Html)),
        "json" => Some(FileKind::Single(SingleKind::Json)),
        "warc" => Some(FileKind::Warc),
        _ => None,
    }
}

/// Expand the configured inputs into files, in sorted path order (folders recursively).
pub fn expand_inputs(inputs: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in inputs {
        if p.is_dir() {
            folder::walk(p, &mut files)?;
        } else {
            files.push(clean_path(p));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// Drop `.` components so `./data/x.jsonl` is recorded as `data/x.jsonl`.
pub fn clean_path(p: &Path) -> PathBuf {
    p.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect()
}

/// Read every record of one file, calling `emit` for each item in file order.
pub fn read_file(path: &Path, config: &Config, emit: &mut dyn FnMut(LoadItem)) {
    let display = path.display().to_string();
    let reject = |position: i64, reason: &str, detail: String| LoadItem::reject(&display, position, None, reason, detail);
    let Some(kind) = file_kind(path, &config.input.format) else {
        emit(reject(0, "unsupported_file_type", "not .jsonl, .csv, .txt, .html, .json or .warc (optionally .gz or .zst)".into()));
        return;
    };
    if kind == FileKind::Warc {
        // The WARC reader handles its own decompression, to resync at gzip members.
        warc::read_file(path, &display, config, emit);
        return;
    }
    let reader = match compress::open(path, &config.limits) {
        Ok(r) => r,
        Err(e) => {
            emit(reject(0, "unreadable_file", e.to_string()));
            return;
        }
    };
    match kind {
        FileKind::Jsonl => jsonl::read(reader, &display, config, emit),
        FileKind::Csv => csv::read(reader, &display, config, emit),
        FileKind::Single(k) => folder::read_single(reader, &display, k, config, emit),
        FileKind::Warc => warc::read_file(path, &display, config, emit),
    }
}
