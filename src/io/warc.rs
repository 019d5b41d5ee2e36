//! WARC reader (WARC/1.0 and 1.1; Common Crawl CC-NEWS style `.warc.gz` with one gzip
//! member per record, a whole-file gzip, uncompressed `.warc` and `.warc.zst`).
//!
//! Only `response` records whose HTTP payload is HTML become records; `warcinfo`,
//! `request`, `metadata`, `revisit` and other records, non-HTML payloads and non-2xx
//! responses are skipped, each reported as a [`LoadItem::Skipped`] so the load stage counts
//! them (`warc_skipped.request`, `.not_html`, ...). Positions are WARC record numbers in the
//! file, from 1 (skipped records count).
//! The HTTP header block is parsed; `Transfer-Encoding: chunked` and `Content-Encoding:
//! gzip`/`deflate` bodies are decoded; the charset comes from the HTTP `Content-Type`,
//! else the page's `<meta>`, else UTF-8 / Windows-1252 ([`crate::html::charset`]).
//!
//! Broken input does not stop the file: a cut record is a `truncated_record` reject, an
//! unreadable header a `bad_warc_header` reject, a payload that cannot be decoded a
//! `bad_http_payload` reject, and the reader resynchronises at the next gzip member (for
//! `.warc.gz`) or the next `WARC/1.` line (for uncompressed WARC). A zstd stream that
//! breaks is a `truncated_stream` reject; the records before the break are kept.

use super::compress::{is_limit_error, read_line_bounded, skip_line, LimitExceeded, LimitReader};
use super::fields::check_text;
use super::LoadItem;
use crate::config::Config;
use crate::html::charset::decode_html;
use crate::tables::schema::RecordRow;
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;

/// Longest WARC header block we accept.
const MAX_HEADER_BYTES: usize = 256 << 10;

/// Read one WARC file, emitting records and rejects in file order.
pub fn read_file(path: &Path, file: &str, config: &Config, emit: &mut dyn FnMut(LoadItem)) {
    let mut ctx = Ctx { file, config, emit, position: 0, left: u64::MAX };
    let f = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            ctx.reject(0, None, "unreadable_file", e.to_string());
            return;
        }
    };
    let limit = config.limits.file_decompressed_limit(f.metadata().map(|m| m.len()).unwrap_or(0));
    let mut raw = BufReader::with_capacity(1 << 20, f);
    let head = match raw.fill_buf() {
        Ok(h) => h.to_vec(),
        Err(e) => {
            ctx.reject(0, None, "unreadable_file", e.to_string());
            return;
        }
    };
    if head.is_empty() {
        ctx.reject(0, None, "empty_file", "file is empty".into());
    } else if head.starts_with(&[0x1f, 0x8b]) {
        ctx.left = limit;
        read_gzip_members(raw, &mut ctx);
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        match zstd::stream::read::Decoder::with_buffer(raw) {
            Ok(d) => {
                read_stream(Box::new(BufReader::with_capacity(1 << 20, LimitReader::new(d, limit))), &mut ctx, true);
            }
            Err(e) => ctx.reject(0, None, "unreadable_file", e.to_string()),
        }
    } else {
        read_stream(Box::new(raw), &mut ctx, true);
    }
}

/// Read WARC records from an in-memory buffer (uncompressed WARC bytes), for tests and
/// callers that already hold the bytes.
pub fn read_bytes(bytes: &[u8], file: &str, config: &Config, emit: &mut dyn FnMut(LoadItem)) {
    let mut ctx = Ctx { file, config, emit, position: 0, left: u64::MAX };
    read_stream(Box::new(Cursor::new(bytes)), &mut ctx, true);
}

struct Ctx<'a> {
    file: &'a str,
    config: &'a Config,
    emit: &'a mut dyn FnMut(LoadItem),
    /// WARC records seen so far (the number of the current record once it is counted).
    position: i64,
    /// Decompressed bytes the rest of a `.warc.gz` file may still give (gzip members are
    /// decoded one by one, so the file's bound is kept here).
    left: u64,
}

impl Ctx<'_> {
    fn skip(&mut self, reason: &'static str) {
        (self.emit)(LoadItem::Skipped { position: self.position, reason });
    }

    fn reject(&mut self, position: i64, source_id: Option<String>, reason: &str, detail: String) {
        (self.emit)(LoadItem::reject(self.file, position, source_id, reason, detail));
    }
}

/// A `.warc.gz` file: gzip members read one at a time (in memory when they fit in
/// `[load] max_text_bytes` + 1 MiB, as Common Crawl's one-record members do), so a broken
/// member is reported and skipped by seeking to the next gzip header after its start.
fn read_gzip_members(mut raw: BufReader<File>, ctx: &mut Ctx) {
    let cap = ctx.config.load.max_text_bytes.saturating_add(1 << 20);
    loop {
        let start = match raw.stream_position() {
            Ok(p) => p,
            Err(_) => return,
        };
        match raw.fill_buf() {
            Ok([]) => return,
            Ok([0x1f, 0x8b, 0x08, ..]) => {}
            Ok(_) => {
                // Garbage between members: find the next member.
                if !seek_to_gzip_header(&mut raw, start + 1) {
                    ctx.reject(ctx.position + 1, None, "truncated_stream", format!("no gzip member after byte {start}"));
                    return;
                }
                continue;
            }
            Err(e) => {
                ctx.reject(ctx.position + 1, None, "truncated_stream", e.to_string());
                return;
            }
        }
        if ctx.left == 0 {
            let detail =
                format!("{}; the rest of the file is not read", LimitExceeded { limit: ctx.config.limits.file_decompressed_limit(0) });
            ctx.reject(ctx.position + 1, None, "decompressed_too_large", detail);
            return;
        }
        let mut decoded = Vec::new();
        let result = flate2::bufread::GzDecoder::new(&mut raw).take((cap as u64 + 1).min(ctx.left)).read_to_end(&mut decoded);
        match result {
            Ok(_) if decoded.len() <= cap && (decoded.len() as u64) < ctx.left => {
                ctx.left -= decoded.len() as u64;
                read_stream(Box::new(Cursor::new(&decoded[..])), ctx, true);
            }
            Ok(_) => {
                // Too large to hold: a whole-file gzip (or a bomb). Stream it from the
                // member start, within what the file may still give.
                drop(decoded);
                if raw.seek(SeekFrom::Start(start)).is_err() {
                    return;
                }
                let mut stream = BufReader::with_capacity(1 << 20, LimitReader::new(flate2::bufread::GzDecoder::new(&mut raw), ctx.left));
                let ok = read_stream(Box::new(&mut stream), ctx, false);
                ctx.left = stream.get_ref().left();
                if !ok && ctx.left == 0 {
                    // The file's bound: read_stream has rejected the rest.
                    return;
                }
                if !ok && !seek_to_gzip_header(&mut raw, start + 1) {
                    return;
                }
            }
            Err(e) => {
                ctx.left = ctx.left.saturating_sub(decoded.len() as u64);
                if !decoded.is_empty() {
                    broken_member(ctx, &decoded, &e.to_string());
                }
                if !seek_to_gzip_header(&mut raw, start + 1) {
                    if decoded.is_empty() {
                        ctx.reject(ctx.position + 1, None, "truncated_stream", format!("gzip stream broke at byte {start}: {e}"));
                    }
                    return;
                }
            }
        }
    }
}

/// A gzip member that broke: what it decoded may run on into garbage (the decoder reads
/// past a cut into the next member). Records before the last are kept; the last record
/// (or the first unreadable one) is a `truncated_record`.
fn broken_member(ctx: &mut Ctx, decoded: &[u8], error: &str) {
    let mut items = Vec::new();
    let start_position = ctx.position;
    let end_position = {
        let mut collect = |i: LoadItem| items.push(i);
        let mut sub = Ctx { file: ctx.file, config: ctx.config, emit: &mut collect, position: start_position, left: u64::MAX };
        read_stream(Box::new(Cursor::new(decoded)), &mut sub, true);
        sub.position
    };
    // Trailing rejects are consequences of the cut; the first of them, or the last record,
    // is the cut record.
    let complete = |i: &LoadItem| matches!(i, LoadItem::Record(_) | LoadItem::Skipped { .. });
    let first_trailing = items.iter().rposition(complete).map_or(0, |p| p + 1);
    let trailing: Vec<LoadItem> = items.split_off(first_trailing);
    let reject_of = |t: &LoadItem| match t {
        LoadItem::Reject(r) => (r.input_position, r.source_id.clone()),
        LoadItem::Record(r) => (r.input_position, r.source_id.clone()),
        LoadItem::Skipped { position, .. } => (*position, None),
    };
    let cut = if let Some(t) = trailing.iter().find(|t| matches!(t, LoadItem::Reject(r) if r.reason == "truncated_record")) {
        Some(reject_of(t))
    } else if items.last().is_some_and(complete) {
        items.pop().map(|t| reject_of(&t))
    } else {
        trailing.first().map(reject_of)
    };
    for i in items {
        (ctx.emit)(i);
    }
    let (position, id) = cut.unwrap_or((end_position.max(start_position + 1), None));
    ctx.position = position;
    ctx.reject(position, id, "truncated_record", format!("gzip member broke: {error}"));
}

/// Seek to the first gzip member header (`1f 8b 08`) at or after `from`. False when none.
fn seek_to_gzip_header(raw: &mut BufReader<File>, from: u64) -> bool {
    if raw.seek(SeekFrom::Start(from)).is_err() {
        return false;
    }
    let mut carry: Vec<u8> = Vec::new();
    let mut base = from;
    loop {
        let buf = match raw.fill_buf() {
            Ok([]) | Err(_) => return false,
            Ok(b) => b,
        };
        let mut window = std::mem::take(&mut carry);
        let window_start = base - window.len() as u64;
        window.extend_from_slice(buf);
        let n = buf.len();
        if let Some(i) = memchr::memmem::find(&window, &[0x1f, 0x8b, 0x08]) {
            return raw.seek(SeekFrom::Start(window_start + i as u64)).is_ok();
        }
        raw.consume(n);
        base += n as u64;
        carry = window[window.len().saturating_sub(2)..].to_vec();
    }
}

/// Parsed WARC header block.
struct WarcHeaders {
    fields: Vec<(String, String)>,
}

impl WarcHeaders {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

enum Next {
    Eof,
    /// A record: its headers and its block (None when the block was skipped).
    Record(WarcHeaders, Option<Vec<u8>>),
    /// The header block is not WARC. `resync` holds bytes to re-read (for uncompressed
    /// streams).
    BadHeader(String),
    /// The stream ended or broke inside a record; the reason when it broke (an I/O or
    /// decompression error, or the file's decompression bound).
    Cut(Option<WarcHeaders>, String, Option<&'static str>),
}

/// Reject reason of a stream that broke.
fn broke(e: &std::io::Error) -> Option<&'static str> {
    Some(if is_limit_error(e) { "decompressed_too_large" } else { "truncated_stream" })
}

/// Read records from a decompressed stream until it ends. `resync` (uncompressed WARC):
/// after a bad header or a cut record, scan for the next `WARC/1.` line. Returns false
/// when the stream broke (an I/O or decompression error), true at a clean end.
fn read_stream(mut r: Box<dyn BufRead + '_>, ctx: &mut Ctx, resync: bool) -> bool {
    let limit = ctx.config.load.max_text_bytes.saturating_add(1 << 20);
    let mut pending_line: Option<Vec<u8>> = None;
    loop {
        let next = next_record(&mut r, pending_line.take(), limit);
        match next {
            Next::Eof => return true,
            Next::BadHeader(detail) => {
                ctx.position += 1;
                let pos = ctx.position;
                ctx.reject(pos, None, "bad_warc_header", detail);
                if !resync {
                    return true;
                }
                match scan_to_warc_line(&mut r) {
                    Some(line) => pending_line = Some(line),
                    None => return true,
                }
            }
            Next::Cut(headers, detail, broke) => {
                let bound = broke == Some("decompressed_too_large");
                if headers.is_none() && broke.is_some() && !resync && !bound {
                    // A gzip member that broke before any WARC header: garbage, or a false
                    // gzip header found while resynchronising. Nothing to count.
                    return false;
                }
                if let (None, Some(reason)) = (&headers, broke) {
                    // The (zstd) stream broke, or reached its bound, between records.
                    let pos = ctx.position + 1;
                    ctx.reject(pos, None, reason, format!("stream broke after record {}: {detail}", ctx.position));
                    return false;
                }
                ctx.position += 1;
                let pos = ctx.position;
                let id = headers.as_ref().and_then(|h| h.get("WARC-Record-ID")).map(clean_id);
                ctx.reject(pos, id, if bound { "decompressed_too_large" } else { "truncated_record" }, detail);
                return broke.is_none();
            }
            Next::Record(headers, block) => {
                ctx.position += 1;
                // A plain stream whose record overran into the next one: the block holds a
                // `WARC/1.` line. Keep the record cut there and re-read the rest.
                if resync {
                    if let Some(b) = &block {
                        if let Some(cut) = embedded_warc_line(b) {
                            let pos = ctx.position;
                            let id = headers.get("WARC-Record-ID").map(clean_id);
                            ctx.reject(
                                pos,
                                id,
                                "truncated_record",
                                "record is shorter than its Content-Length; the next record starts inside it".into(),
                            );
                            let rest = b[cut..].to_vec();
                            r = Box::new(Cursor::new(rest).chain(r));
                            continue;
                        }
                    }
                }
                // A panic on one record is that record's `internal_error` reject.
                let position = ctx.position;
                let id = headers.get("WARC-Record-ID").map(clean_id);
                if let Err(detail) = crate::stages::isolate(|| handle_record(ctx, headers, block)) {
                    ctx.reject(position, id, crate::stages::INTERNAL_ERROR, detail);
                }
            }
        }
    }
}

/// Offset of a `WARC/1.x` version line followed by a `WARC-Type:` or `WARC-Record-ID:`
/// header inside a block (a cut record followed by the next one).
fn embedded_warc_line(block: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&block[from..], b"WARC/1.") {
        let at = from + i;
        let window = &block[at..block.len().min(at + 512)];
        let text = String::from_utf8_lossy(window).to_ascii_lowercase();
        let version_ok =
            text.get(7..).is_some_and(|t| t.starts_with(['0', '1'])) && text.get(8..).is_some_and(|t| t.starts_with(['\r', '\n']));
        if version_ok && (text.contains("\nwarc-type:") || text.contains("\nwarc-record-id:")) {
            return Some(at);
        }
        from = at + 7;
    }
    None
}

/// Skip lines until one starts with `WARC/1.`; returns that line. Lines are read in
/// bounded pieces: garbage without newlines is skipped, never held.
fn scan_to_warc_line(r: &mut Box<dyn BufRead + '_>) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    loop {
        line.clear();
        match read_line_bounded(&mut **r, &mut line, MAX_HEADER_BYTES) {
            Ok((0, _)) | Err(_) => return None,
            Ok((_, true)) => {
                if skip_line(&mut **r).is_err() {
                    return None;
                }
            }
            Ok((_, false)) => {
                if line.starts_with(b"WARC/1.") {
                    return Some(line);
                }
            }
        }
    }
}

fn next_record(r: &mut Box<dyn BufRead + '_>, first: Option<Vec<u8>>, limit: usize) -> Next {
    let mut line = Vec::new();
    // Version line (blank lines between records are skipped).
    let version = match first {
        Some(l) => l,
        None => loop {
            line.clear();
            match read_line_bounded(&mut **r, &mut line, MAX_HEADER_BYTES) {
                Ok((0, _)) => return Next::Eof,
                Ok((_, false)) if line.iter().all(|b| b.is_ascii_whitespace()) => continue,
                Ok(_) => break line.clone(),
                Err(e) => return Next::Cut(None, e.to_string(), broke(&e)),
            }
        },
    };
    if !version.starts_with(b"WARC/") {
        let shown: String = String::from_utf8_lossy(&version[..version.len().min(60)]).trim().to_string();
        return Next::BadHeader(format!("expected a WARC/1.x version line, found {shown:?}"));
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut header_bytes = version.len();
    loop {
        line.clear();
        // At most the header block's bound plus one byte: a longer line is a bad header.
        match read_line_bounded(&mut **r, &mut line, MAX_HEADER_BYTES + 1 - header_bytes.min(MAX_HEADER_BYTES)) {
            Ok((0, _)) => return Next::Cut(Some(WarcHeaders { fields }), "stream ended inside the WARC header".into(), None),
            Ok((n, _)) => header_bytes += n,
            Err(e) => return Next::Cut(Some(WarcHeaders { fields }), e.to_string(), broke(&e)),
        }
        if header_bytes > MAX_HEADER_BYTES {
            return Next::BadHeader("WARC header block too long".into());
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        if text.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                last.1.push(' ');
                last.1.push_str(text.trim());
            }
            continue;
        }
        match text.split_once(':') {
            Some((k, v)) => fields.push((k.trim().to_string(), v.trim().to_string())),
            None => return Next::BadHeader(format!("not a header line: {:?}", crate::text_slice(text, 0..60))),
        }
    }
    let headers = WarcHeaders { fields };
    let Some(length) = headers.get("Content-Length").and_then(|v| v.trim().parse::<u64>().ok()) else {
        return Next::BadHeader("missing or invalid Content-Length".into());
    };
    let wanted = headers.get("WARC-Type").is_some_and(|t| t.eq_ignore_ascii_case("response")) && length as usize <= limit;
    if wanted {
        let mut block = Vec::with_capacity(length as usize);
        match r.by_ref().take(length).read_to_end(&mut block) {
            Ok(n) if (n as u64) < length => Next::Cut(Some(headers), format!("record block has {n} of {length} bytes"), None),
            Ok(_) => Next::Record(headers, Some(block)),
            Err(e) => Next::Cut(Some(headers), e.to_string(), broke(&e)),
        }
    } else {
        match std::io::copy(&mut r.by_ref().take(length), &mut std::io::sink()) {
            Ok(n) if n < length => Next::Cut(Some(headers), format!("record block has {n} of {length} bytes"), None),
            Ok(_) => {
                if headers.get("WARC-Type").is_some_and(|t| t.eq_ignore_ascii_case("response")) {
                    // A response too large to keep: reported, not loaded.
                    let mut h = headers;
                    h.fields.push(("X-Newsgrid-Too-Large".into(), length.to_string()));
                    Next::Record(h, None)
                } else {
                    Next::Record(headers, None)
                }
            }
            Err(e) => Next::Cut(Some(headers), e.to_string(), broke(&e)),
        }
    }
}

fn clean_id(id: &str) -> String {
    id.trim().trim_start_matches('<').trim_end_matches('>').to_string()
}

/// Turn a complete response record into a record (or a reject, or nothing).
fn handle_record(ctx: &mut Ctx, headers: WarcHeaders, block: Option<Vec<u8>>) {
    let position = ctx.position;
    let source_id = headers.get("WARC-Record-ID").map(clean_id);
    if let Some(len) = headers.get("X-Newsgrid-Too-Large") {
        let detail = format!("response block is {len} bytes; [load] max_text_bytes is {}", ctx.config.load.max_text_bytes);
        ctx.reject(position, source_id, "text_too_large", detail);
        return;
    }
    let Some(block) = block else {
        ctx.skip(match headers.get("WARC-Type").map(|t| t.trim().to_ascii_lowercase()).as_deref() {
            Some("warcinfo") => "warcinfo",
            Some("request") => "request",
            Some("metadata") => "metadata",
            Some("revisit") => "revisit",
            Some("resource") => "resource",
            Some("conversion") => "conversion",
            _ => "other_type",
        });
        return;
    };
    let warc_ct = headers.get("Content-Type").unwrap_or("").to_ascii_lowercase();
    let (http_headers, body) = if warc_ct.contains("application/http") || block.starts_with(b"HTTP/") {
        match split_http(&block) {
            Some(x) => x,
            None => {
                ctx.reject(position, source_id, "bad_http_payload", "response has no complete HTTP header block".into());
                return;
            }
        }
    } else {
        (Vec::new(), &block[..])
    };
    let http = |name: &str| http_headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
    if let Some(status) = http(":status") {
        if !status.starts_with('2') {
            ctx.skip("not_2xx");
            return;
        }
    }
    let content_type = http("Content-Type").map(str::to_string);
    let mut body = body.to_vec();
    if http("Transfer-Encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        if let Some(decoded) = dechunk(&body) {
            body = decoded;
        }
    }
    if let Some(enc) = http("Content-Encoding").map(|e| e.trim().to_ascii_lowercase()) {
        match decode_content(&body, &enc, ctx.config.limits.max_record_decompressed_bytes) {
            Ok(Some(decoded)) => body = decoded,
            Ok(None) => {}
            Err((reason, detail)) => {
                ctx.reject(position, source_id, reason, detail);
                return;
            }
        }
    }
    let is_html = match &content_type {
        Some(ct) => {
            let ct = ct.to_ascii_lowercase();
            ct.contains("html")
                || ((ct.starts_with("text/plain") || ct.contains("octet-stream") || ct.trim().is_empty()) && sniff_html(&body))
        }
        None => sniff_html(&body),
    };
    if !is_html {
        ctx.skip("not_html");
        return;
    }
    let text = decode_html(&body, content_type.as_deref());
    // The WARC-Record-ID changes with every crawl; leaving source_id empty makes the
    // article id come from the canonical URL, stable across nightly dumps.
    let _ = source_id;
    let record = RecordRow {
        input_file: ctx.file.to_string(),
        input_position: position,
        source_id: None,
        url: headers
            .get("WARC-Target-URI")
            .map(|u| u.trim().trim_start_matches('<').trim_end_matches('>').to_string())
            .filter(|u| !u.is_empty()),
        is_html: true,
        text,
        ..Default::default()
    };
    match check_text(record, ctx.config) {
        Ok(r) => (ctx.emit)(LoadItem::Record(r)),
        Err(e) => ctx.reject(position, e.source_id, e.reason, e.detail),
    }
}

/// HTTP headers (name, value) and the body.
type HttpParts<'a> = (Vec<(String, String)>, &'a [u8]);

/// Split an HTTP response into its headers (with the status code as `:status`) and body.
fn split_http(block: &[u8]) -> Option<HttpParts<'_>> {
    let (head_end, body_start) = match memchr::memmem::find(block, b"\r\n\r\n") {
        Some(i) => (i, i + 4),
        None => {
            let i = memchr::memmem::find(block, b"\n\n")?;
            (i, i + 2)
        }
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.lines();
    let status_line = lines.next()?;
    let mut headers = Vec::new();
    if let Some(code) = status_line.split_whitespace().nth(1) {
        headers.push((":status".to_string(), code.to_string()));
    }
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    Some((headers, &block[body_start..]))
}

/// Decode a chunked body; None when it is not validly chunked (then it is used as is).
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut pos = 0;
    loop {
        let line_end = memchr::memchr(b'\n', &body[pos..])? + pos;
        let size_text = String::from_utf8_lossy(&body[pos..line_end]);
        let size_text = size_text.trim().split(';').next()?.trim().to_string();
        let size = usize::from_str_radix(&size_text, 16).ok()?;
        pos = line_end + 1;
        if size == 0 {
            return Some(out);
        }
        let end = pos.checked_add(size)?;
        if end > body.len() {
            // A cut last chunk: keep what is there.
            out.extend_from_slice(&body[pos..]);
            return Some(out);
        }
        out.extend_from_slice(&body[pos..end]);
        pos = end;
        while pos < body.len() && matches!(body[pos], b'\r' | b'\n') {
            pos += 1;
        }
        if pos >= body.len() {
            return Some(out);
        }
    }
}

/// Decode `gzip`/`deflate` content, at most `cap` bytes of it. Ok(None) for identity or
/// encodings we leave alone when the body already looks like HTML; Err (reason, detail)
/// when it cannot be read (`bad_http_payload`) or decodes past `cap`
/// (`decompressed_too_large`: a gzip bomb stops at the bound, it never fills memory).
fn decode_content(body: &[u8], encoding: &str, cap: usize) -> Result<Option<Vec<u8>>, (&'static str, String)> {
    let too_large = || {
        let detail = format!("{encoding} body decodes to more than {cap} bytes; [limits] max_record_decompressed_bytes is {cap}");
        Err(("decompressed_too_large", detail))
    };
    let bad = |what: &str, e: std::io::Error| Err(("bad_http_payload", format!("{what} body: {e}")));
    let mut out = Vec::new();
    let read = |r: &mut dyn Read, out: &mut Vec<u8>| r.take(cap as u64 + 1).read_to_end(out);
    match encoding {
        "" | "identity" | "none" => Ok(None),
        "gzip" | "x-gzip" => {
            if !body.starts_with(&[0x1f, 0x8b]) {
                // Already decoded by the crawler (Common Crawl keeps the header).
                return Ok(None);
            }
            match read(&mut flate2::read::MultiGzDecoder::new(body), &mut out) {
                _ if out.len() > cap => too_large(),
                Ok(_) => Ok(Some(out)),
                Err(_) if !out.is_empty() => Ok(Some(out)),
                Err(e) => bad("gzip", e),
            }
        }
        "deflate" => {
            if sniff_html(body) {
                return Ok(None);
            }
            let zlib = read(&mut flate2::read::ZlibDecoder::new(body), &mut out);
            if out.len() > cap {
                return too_large();
            }
            if zlib.is_ok() {
                return Ok(Some(out));
            }
            out.clear();
            match read(&mut flate2::read::DeflateDecoder::new(body), &mut out) {
                _ if out.len() > cap => too_large(),
                Ok(_) => Ok(Some(out)),
                Err(e) => bad("deflate", e),
            }
        }
        other => {
            if sniff_html(body) {
                Ok(None)
            } else {
                Err(("bad_http_payload", format!("unsupported Content-Encoding {other:?}")))
            }
        }
    }
}

/// Whether a body looks like HTML (a tag near the start).
fn sniff_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(2048)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let t = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    t.starts_with('<')
        && (t.contains("<html") || t.contains("<!doctype html") || t.contains("<head") || t.contains("<body") || t.contains("<p"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn record(kind: &str, id: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let ct = match kind {
            "response" => "application/http; msgtype=response",
            "request" => "application/http; msgtype=request",
            _ => "application/warc-fields",
        };
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-01T10:00:00Z\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn http(headers: &str, body: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
        out.extend_from_slice(body);
        out
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn run(path: &Path) -> Vec<LoadItem> {
        let config = Config::default();
        let mut items = Vec::new();
        read_file(path, "t.warc", &config, &mut |i| items.push(i));
        items
    }

    /// Records and rejects (skipped records left out).
    fn summary(items: &[LoadItem]) -> Vec<String> {
        summary_all(items).into_iter().filter(|s| !s.starts_with("skip ")).collect()
    }

    fn summary_all(items: &[LoadItem]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                LoadItem::Record(r) => {
                    format!("record {} {} {}", r.input_position, r.source_id.as_deref().unwrap_or("-"), r.url.as_deref().unwrap_or("-"))
                }
                LoadItem::Reject(r) => format!("reject {} {}", r.input_position, r.reason),
                LoadItem::Skipped { position, reason } => format!("skip {position} {reason}"),
            })
            .collect()
    }

    const PAGE: &str = "<html><head><title>T</title></head><body><p>Hello world, this is the story.</p></body></html>";

    fn sample_records() -> Vec<Vec<u8>> {
        let page1 = http("Content-Type: text/html; charset=utf-8\r\n", PAGE.as_bytes());
        // Chunked + gzip + Latin-1 declared in the HTTP header.
        let latin = b"<html><body><p>Caf\xe9 society returns.</p></body></html>";
        let gzbody = gz(latin);
        let mut chunked = format!("{:x}\r\n", 10).into_bytes();
        chunked.extend_from_slice(&gzbody[..10]);
        chunked.extend_from_slice(format!("\r\n{:x}\r\n", gzbody.len() - 10).as_bytes());
        chunked.extend_from_slice(&gzbody[10..]);
        chunked.extend_from_slice(b"\r\n0\r\n\r\n");
        let page2 =
            http("Content-Type: text/html; charset=iso-8859-1\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n", &chunked);
        let image = http("Content-Type: image/png\r\n", b"\x89PNG....");
        vec![
            record("warcinfo", "0", "", b"software: test\r\n"),
            record("request", "1", "https://example.com/a", b"GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n"),
            record("response", "2", "https://example.com/a", &page1),
            record("response", "3", "https://example.com/img.png", &image),
            record("response", "4", "https://example.com/b", &page2),
        ]
    }

    #[test]
    fn gzip_per_record_with_cut_record() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = Vec::new();
        let recs = sample_records();
        for r in &recs {
            bytes.extend(gz(r));
        }
        // A cut record (its gzip member and its block both cut), then a good one.
        let cut = gz(&record("response", "5", "https://example.com/cut", &http("Content-Type: text/html\r\n", PAGE.as_bytes())));
        bytes.extend_from_slice(&cut[..cut.len() / 2]);
        bytes.extend(gz(&record("response", "6", "https://example.com/c", &http("Content-Type: text/html\r\n", PAGE.as_bytes()))));
        let path = dir.path().join("t.warc.gz");
        std::fs::write(&path, &bytes).unwrap();
        let items = run(&path);
        let s = summary_all(&items);
        assert_eq!(
            s,
            [
                "skip 1 warcinfo",
                "skip 2 request",
                "record 3 - https://example.com/a",
                "skip 4 not_html",
                "record 5 - https://example.com/b",
                "reject 6 truncated_record",
                "record 7 - https://example.com/c",
            ],
            "{s:?}"
        );
        let LoadItem::Record(r) = &items[4] else { panic!() };
        assert!(r.text.contains("Café society"), "{}", r.text);
        assert!(r.is_html && r.published_raw.is_none());
    }

    #[test]
    fn plain_warc_resyncs_after_bad_header_and_cut() {
        let dir = tempfile::tempdir().unwrap();
        let recs = sample_records();
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&recs[2]);
        bytes.extend_from_slice(b"garbage line\r\nmore garbage\r\n\r\n");
        // A record cut in the middle, followed directly by a good one.
        let cut = record("response", "7", "https://example.com/cut", &http("Content-Type: text/html\r\n", PAGE.as_bytes()));
        bytes.extend_from_slice(&cut[..cut.len() - 40]);
        bytes.extend_from_slice(&recs[4]);
        let path = dir.path().join("t.warc");
        std::fs::write(&path, &bytes).unwrap();
        let s = summary(&run(&path));
        assert_eq!(
            s,
            [
                "record 1 - https://example.com/a",
                "reject 2 bad_warc_header",
                "reject 3 truncated_record",
                "record 4 - https://example.com/b"
            ],
            "{s:?}"
        );
    }

    #[test]
    fn zstd_and_truncated_end() {
        let dir = tempfile::tempdir().unwrap();
        let recs = sample_records();
        let all: Vec<u8> = recs.concat();
        let path = dir.path().join("t.warc.zst");
        std::fs::write(&path, zstd::encode_all(&all[..], 3).unwrap()).unwrap();
        assert_eq!(summary(&run(&path)), ["record 3 - https://example.com/a", "record 5 - https://example.com/b"]);
        // A whole-file gzip cut in the last record.
        let whole = gz(&all);
        let path = dir.path().join("u.warc.gz");
        std::fs::write(&path, &whole[..whole.len() - 60]).unwrap();
        let s = summary(&run(&path));
        assert_eq!(s[0], "record 3 - https://example.com/a");
        assert!(s.last().unwrap().starts_with("reject 5 truncated_"), "{s:?}");
    }

    #[test]
    fn cut_final_record_is_a_reject_and_earlier_records_load() {
        let dir = tempfile::tempdir().unwrap();
        let recs = sample_records();
        let last = record("response", "8", "https://example.com/last", &http("Content-Type: text/html\r\n", PAGE.as_bytes()));
        // One gzip member per record, the last member cut in half.
        let mut bytes: Vec<u8> = recs.iter().flat_map(|r| gz(r)).collect();
        let cut = gz(&last);
        bytes.extend_from_slice(&cut[..cut.len() / 2]);
        let path = dir.path().join("t.warc.gz");
        std::fs::write(&path, &bytes).unwrap();
        let s = summary_all(&run(&path));
        assert_eq!(
            s,
            [
                "skip 1 warcinfo",
                "skip 2 request",
                "record 3 - https://example.com/a",
                "skip 4 not_html",
                "record 5 - https://example.com/b",
                "reject 6 truncated_record"
            ],
            "{s:?}"
        );
        // Uncompressed, the last record cut inside its block.
        let mut bytes = recs.concat();
        bytes.extend_from_slice(&last[..last.len() - 30]);
        let path = dir.path().join("t.warc");
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(
            summary(&run(&path)),
            ["record 3 - https://example.com/a", "record 5 - https://example.com/b", "reject 6 truncated_record"]
        );
        // Cut inside its header block.
        let mut bytes = recs.concat();
        bytes.extend_from_slice(&last[..40]);
        std::fs::write(&path, &bytes).unwrap();
        let s = summary(&run(&path));
        assert_eq!(s[..2], ["record 3 - https://example.com/a", "record 5 - https://example.com/b"]);
        assert!(s.len() == 3 && s[2].starts_with("reject 6 "), "{s:?}");
    }

    #[test]
    fn skipped_records_are_counted_not_seen() {
        let recs = sample_records();
        let mut redirect = record("response", "9", "https://example.com/r", b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n");
        redirect.extend(record("metadata", "10", "https://example.com/a", b"fetchTimeMs: 12\r\n"));
        let mut items = Vec::new();
        read_bytes(&[recs.concat(), redirect].concat(), "t.warc", &Config::default(), &mut |i| items.push(i));
        assert_eq!(
            summary_all(&items),
            [
                "skip 1 warcinfo",
                "skip 2 request",
                "record 3 - https://example.com/a",
                "skip 4 not_html",
                "record 5 - https://example.com/b",
                "skip 6 not_2xx",
                "skip 7 metadata"
            ]
        );
    }

    #[test]
    fn gzip_bomb_body_is_a_reject_within_the_bound() {
        // 256 MiB of zeros as a gzip Content-Encoding body: rejected at the bound (4 MiB
        // here), the record after it loads.
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..256 {
            e.write_all(&zeros).unwrap();
        }
        let bomb = e.finish().unwrap();
        let body = http("Content-Type: text/html\r\nContent-Encoding: gzip\r\n", &bomb);
        let mut bytes = record("response", "1", "https://example.com/bomb", &body);
        bytes.extend(record("response", "2", "https://example.com/a", &http("Content-Type: text/html\r\n", PAGE.as_bytes())));
        let mut config = Config::default();
        config.limits.max_record_decompressed_bytes = 4 << 20;
        let mut items = Vec::new();
        read_bytes(&bytes, "t.warc", &config, &mut |i| items.push(i));
        assert_eq!(summary(&items), ["reject 1 decompressed_too_large", "record 2 - https://example.com/a"]);
    }

    #[test]
    fn whole_file_bound_stops_a_bomb_file() {
        let dir = tempfile::tempdir().unwrap();
        let recs = sample_records();
        // A record followed by a response whose block is 64 MiB of zeros, gzip as a whole.
        let mut all = recs[2].clone();
        let zeros = vec![0u8; 64 << 20];
        all.extend(record("response", "9", "https://example.com/z", &zeros));
        let path = dir.path().join("t.warc.gz");
        std::fs::write(&path, gz(&all)).unwrap();
        let mut config = Config::default();
        config.limits.max_file_decompressed_bytes = 8 << 20;
        let mut items = Vec::new();
        read_file(&path, "t.warc", &config, &mut |i| items.push(i));
        assert_eq!(summary(&items), ["record 1 - https://example.com/a", "reject 2 decompressed_too_large"]);
        // The same as zstd.
        let path = dir.path().join("t.warc.zst");
        std::fs::write(&path, zstd::encode_all(&all[..], 3).unwrap()).unwrap();
        let mut items = Vec::new();
        read_file(&path, "t.warc", &config, &mut |i| items.push(i));
        assert_eq!(summary(&items), ["record 1 - https://example.com/a", "reject 2 decompressed_too_large"]);
    }

    #[test]
    fn bad_header_lines_never_split_a_char() {
        // A header line of U+FFFD (lossily decoded bytes) and one of many MB without a
        // newline: bad headers, reported with a short excerpt, no panic.
        let mut bytes = b"WARC/1.1\r\n".to_vec();
        bytes.extend(std::iter::repeat_n(0xffu8, 100));
        bytes.extend_from_slice(b"\r\n\r\n");
        bytes.extend_from_slice(b"WARC/1.1\r\nWARC-Type: response\r\nX: ");
        bytes.extend(std::iter::repeat_n(b'a', 3 << 20));
        bytes.extend_from_slice(b"\r\n\r\n");
        bytes.extend(record("response", "2", "https://example.com/a", &http("Content-Type: text/html\r\n", PAGE.as_bytes())));
        let mut items = Vec::new();
        read_bytes(&bytes, "t.warc", &Config::default(), &mut |i| items.push(i));
        let s = summary(&items);
        assert_eq!(s.first().map(String::as_str), Some("reject 1 bad_warc_header"), "{s:?}");
        assert_eq!(s.last().map(String::as_str), Some("record 3 - https://example.com/a"), "{s:?}");
    }

    #[test]
    fn chunked_decoding() {
        assert_eq!(dechunk(b"4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\n\r\n").unwrap(), b"Wikipedia");
        assert!(dechunk(b"<html>").is_none());
    }
}
