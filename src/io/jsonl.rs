//! JSON Lines reader: one article object per line. Positions are line numbers from 1;
//! blank lines are skipped (a file with none but blank lines is an `empty_file` reject); a
//! leading UTF-8 byte order mark is ignored; a line that is not a JSON object is a reject;
//! a stream that breaks (cut gzip/zstd) rejects from the line where it broke; a line
//! longer than `[limits] max_line_bytes` is a `line_too_long` reject, skipped without
//! being held in memory.

use super::compress::{is_limit_error, read_line_bounded, skip_line};
use super::fields::{decode_text, from_json};
use super::LoadItem;
use crate::config::Config;
use std::io::BufRead;

pub fn read(mut reader: Box<dyn BufRead + Send>, file: &str, config: &Config, emit: &mut dyn FnMut(LoadItem)) {
    let mut line = Vec::with_capacity(64 * 1024);
    let mut position: i64 = 0;
    let mut nonblank = 0usize;
    let mut broke = false;
    let reject = |position: i64, reason: &str, detail: String, source_id: Option<String>| {
        LoadItem::reject(file, position, source_id, reason, detail)
    };
    let max_line = config.limits.max_line_bytes;
    let stream_error = |position: i64, e: std::io::Error| {
        let reason = if is_limit_error(&e) { "decompressed_too_large" } else { "truncated_stream" };
        reject(position + 1, reason, format!("stream broke after line {position}: {e}"), None)
    };
    loop {
        line.clear();
        match read_line_bounded(&mut reader, &mut line, max_line) {
            Ok((0, _)) => break,
            Ok((_, false)) => {}
            Ok((n, true)) => {
                // Too long to hold: skipped to its end, never read whole into memory.
                position += 1;
                nonblank += 1;
                let skipped = match skip_line(&mut reader) {
                    Ok(k) => k,
                    Err(e) => {
                        emit(reject(
                            position,
                            "line_too_long",
                            format!("line is over {n} bytes; [limits] max_line_bytes is {max_line}"),
                            None,
                        ));
                        emit(stream_error(position, e));
                        broke = true;
                        break;
                    }
                };
                let detail = format!("line is {} bytes; [limits] max_line_bytes is {max_line}", n as u64 + skipped);
                emit(reject(position, "line_too_long", detail, None));
                continue;
            }
            Err(e) => {
                emit(stream_error(position, e));
                broke = true;
                break;
            }
        }
        position += 1;
        let Some(item) = parse_line(&line, file, position, config) else { continue };
        nonblank += 1;
        emit(item);
    }
    // An empty export is a whole-file problem, as for CSV and folder files (a stream that
    // broke has already been rejected).
    if nonblank == 0 && !broke {
        emit(reject(0, "empty_file", "file has no non-blank line".into(), None));
    }
}

/// One line of a JSON Lines dump (without its line break, or with it: surrounding blanks are
/// ignored) as a record or a reject; None for a blank line. Shared by the file reader and
/// the in-memory API (`crate::api`), which gets the lines from an engine.
pub fn parse_line(line: &[u8], file: &str, position: i64, config: &Config) -> Option<LoadItem> {
    let reject = |reason: &str, detail: String, source_id: Option<String>| LoadItem::reject(file, position, source_id, reason, detail);
    // A UTF-8 byte order mark (Windows exports put one before the first line; files
    // joined with `cat` carry it into the middle) is not part of the JSON.
    let body = trim_ascii(line);
    let body = trim_ascii(body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body));
    if body.is_empty() {
        return None;
    }
    // A panic on one line is that line's `internal_error` reject.
    let item = crate::stages::isolate(|| {
        let text = decode_text(body);
        crate::stages::test_panic("load", &text);
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(obj)) => match from_json(&obj, config, file, position) {
                Ok(record) => LoadItem::Record(record),
                Err(e) => reject(e.reason, e.detail, e.source_id),
            },
            Ok(other) => reject("not_an_object", format!("line holds a JSON {}, not an object", kind(&other)), None),
            Err(e) => reject("invalid_json", e.to_string(), None),
        }
    });
    Some(item.unwrap_or_else(|detail| reject(crate::stages::INTERNAL_ERROR, detail, None)))
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Array(_) => "array",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::Bool(_) => "boolean",
        _ => "null",
    }
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(start, |e| e + 1);
    &b[start..end]
}
