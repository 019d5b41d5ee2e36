//! CSV reader (RFC 4180, header row, configurable delimiter). Positions are data-row
//! numbers from 1; a row whose field count differs from the header is a reject
//! (`ragged_row`), as is a row the parser cannot read; a row that is not valid UTF-8 is
//! decoded in the legacy encoding guessed from its bytes, not lost. A record over
//! `[limits] max_line_bytes` is a `line_too_long` reject that ends the file (past an
//! unclosed quote there is no telling where the next record starts).

use super::compress::is_limit_error;
use super::fields::{decode_text, decode_text_as, from_csv, CsvColumns};
use super::LoadItem;
use crate::config::Config;
use std::cell::Cell;
use std::io::{BufRead, Read};
use std::rc::Rc;

/// The error [`RecordBound`] gives once one record runs past `[limits] max_line_bytes`.
#[derive(Debug)]
struct RecordTooLong(usize);

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a record is over {} bytes ([limits] max_line_bytes); the rest of the file is not read", self.0)
    }
}

impl std::error::Error for RecordTooLong {}

/// Counts the bytes the CSV parser pulls since the last record (a quoted field can hold
/// newlines, so a record is not a line) and fails past the bound: an unclosed quote in a
/// huge file never becomes one huge record in memory.
struct RecordBound {
    inner: Box<dyn BufRead + Send>,
    since: Rc<Cell<usize>>,
    max: usize,
}

impl Read for RecordBound {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.since.get() > self.max {
            return Err(std::io::Error::other(RecordTooLong(self.max)));
        }
        let n = self.inner.read(buf)?;
        self.since.set(self.since.get() + n);
        Ok(n)
    }
}

pub fn read(reader: Box<dyn BufRead + Send>, file: &str, config: &Config, emit: &mut dyn FnMut(LoadItem)) {
    let delimiter =
        if file.to_lowercase().contains(".tsv") { b'\t' } else { config.load.csv_delimiter.as_bytes().first().copied().unwrap_or(b',') };
    let since = Rc::new(Cell::new(0usize));
    let bounded = RecordBound { inner: reader, since: since.clone(), max: config.limits.max_line_bytes };
    let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(bounded);
    let reject = |position: i64, reason: &str, detail: String| LoadItem::reject(file, position, None, reason, detail);
    let mut columns: Option<CsvColumns> = None;
    let mut record = csv::ByteRecord::new();
    let mut position: i64 = 0;
    loop {
        let result = rdr.read_byte_record(&mut record);
        since.set(0);
        match result {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let (fatal, reason) = match e.kind() {
                    csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|x| x.is::<RecordTooLong>()) => (true, "line_too_long"),
                    csv::ErrorKind::Io(io) if is_limit_error(io) => (true, "decompressed_too_large"),
                    csv::ErrorKind::Io(_) => (true, "truncated_stream"),
                    _ => (false, "bad_csv_row"),
                };
                position += 1;
                emit(reject(position, reason, e.to_string()));
                if fatal {
                    break;
                }
                continue;
            }
        }
        // Valid UTF-8 (the common case) costs one check; otherwise the encoding is guessed
        // once from the whole row, which gives the detector more to go on than one field.
        let fields: Vec<String> = match std::str::from_utf8(record.as_slice()) {
            Ok(_) => record.iter().map(decode_text).collect(),
            Err(_) => {
                let encoding = crate::html::charset::guess_legacy(record.as_slice());
                record.iter().map(|f| decode_text_as(f, encoding)).collect()
            }
        };
        let Some(h) = &columns else {
            let names: Vec<String> = fields.iter().map(|f| f.trim().trim_start_matches('\u{feff}').to_string()).collect();
            columns = Some(CsvColumns::new(&names, config));
            continue;
        };
        position += 1;
        if fields.len() != h.width() {
            if fields.len() == 1 && fields[0].trim().is_empty() {
                continue;
            }
            emit(reject(position, "ragged_row", format!("{} fields, header has {}", fields.len(), h.width())));
            continue;
        }
        // A panic on one row is that row's `internal_error` reject.
        match crate::stages::isolate(|| from_csv(h, &fields, config, file, position)) {
            Ok(Ok(r)) => emit(LoadItem::Record(r)),
            Ok(Err(e)) => emit(LoadItem::reject(file, position, e.source_id, e.reason, e.detail)),
            Err(detail) => emit(reject(position, crate::stages::INTERNAL_ERROR, detail)),
        }
    }
    if columns.is_none() {
        emit(reject(0, "empty_file", "no header row".into()));
    }
}
