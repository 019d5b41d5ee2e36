//! Folders of one-article files: `.txt` (the first line is the title when it looks like
//! one), `.html`/`.htm` (cleaned in `clean`), `.json` (one object, same field mapping).
//! Empty and binary files are rejects.

use super::compress::read_to_end_lossy;
use super::fields::{check_text, decode_text, from_json, looks_like_html};
use super::{LoadItem, SingleKind};
use crate::config::Config;
use crate::tables::schema::RecordRow;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Collect files under `dir` recursively (hidden files skipped).
pub fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(super::clean_path(&p));
        }
    }
    Ok(())
}

pub fn read_single(reader: Box<dyn BufRead + Send>, file: &str, kind: SingleKind, config: &Config, emit: &mut dyn FnMut(LoadItem)) {
    let reject = |reason: &str, detail: String, source_id: Option<String>| LoadItem::reject(file, 1, source_id, reason, detail);
    let (bytes, err) = read_to_end_lossy(reader, config.load.max_text_bytes.saturating_mul(4));
    if let Some(e) = err {
        emit(reject("truncated_stream", e.to_string(), None));
        return;
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        emit(reject("empty_file", "file is empty".into(), None));
        return;
    }
    if is_binary(&bytes) {
        emit(reject("binary_file", "file holds binary data, not text".into(), None));
        return;
    }
    // An HTML file declares its charset in <meta> (else it is guessed); other files are
    // UTF-8, else guessed.
    let text = match kind {
        SingleKind::Html => strip_controls_html(crate::html::charset::decode_html(&bytes, None)),
        // A UTF-8 byte order mark is not part of the JSON or of the title line.
        _ => decode_text(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes)),
    };
    let result = match kind {
        SingleKind::Json => match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(obj)) => from_json(&obj, config, file, 1),
            Ok(_) => {
                emit(reject("not_an_object", "file holds JSON that is not an object".into(), None));
                return;
            }
            Err(e) => {
                emit(reject("invalid_json", e.to_string(), None));
                return;
            }
        },
        SingleKind::Html => {
            check_text(RecordRow { input_file: file.to_string(), input_position: 1, is_html: true, text, ..Default::default() }, config)
        }
        SingleKind::Text => {
            let (title, body) = split_title(&text);
            check_text(
                RecordRow {
                    input_file: file.to_string(),
                    input_position: 1,
                    title,
                    is_html: looks_like_html(body),
                    text: body.to_string(),
                    ..Default::default()
                },
                config,
            )
        }
    };
    match result {
        Ok(r) => emit(LoadItem::Record(r)),
        Err(e) => emit(reject(e.reason, e.detail, e.source_id)),
    }
}

/// The first line is a title when it is short, followed by a blank line or more text,
/// and does not end like a sentence.
fn split_title(text: &str) -> (Option<String>, &str) {
    let trimmed = text.trim_start();
    let Some((first, rest)) = trimmed.split_once('\n') else {
        return (None, trimmed);
    };
    let first = first.trim();
    let looks_like_title =
        !first.is_empty() && first.chars().count() <= 200 && !first.ends_with(['.', ',', ';', ':']) && !rest.trim().is_empty();
    if looks_like_title {
        (Some(first.to_string()), rest)
    } else {
        (None, trimmed)
    }
}

/// NUL and other control characters except tab and newlines removed, as `decode_text` does.
fn strip_controls_html(s: String) -> String {
    if s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) {
        s.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r')).collect()
    } else {
        s
    }
}

/// Binary when it holds NUL bytes or many control bytes early on.
fn is_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head.iter().filter(|&&b| b < 0x09 || (b > 0x0d && b < 0x20)).count();
    head.contains(&0) && controls > head.len() / 100 || controls > head.len() / 10
}
