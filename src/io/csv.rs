//! CSV reader (RFC 4180, header row, configurable delimiter). Positions are data-row
//! numbers from 1; a row whose field count differs from the header is a reject
//! (`ragged_row`), as is a row the parser cannot read; a row that is not valid UTF-8 is
//! decoded in the legacy encoding guessed from its bytes, not lost.

use super::fields::{decode_text, decode_text_as, from_csv, CsvColumns};
use super::LoadItem;
use crate::config::Config;
use crate::tables::schema::RejectRow;
use std::io::BufRead;

pub fn read(reader: Box<dyn BufRead + Send>, file: &str, config: &Config, emit: &mut dyn FnMut(LoadItem)) {
    let delimiter = if file.to_lowercase().contains(".tsv") { b'\t' } else { config.load.csv_delimiter.as_bytes()[0] };
    let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(false).from_reader(reader);
    let reject = |position: i64, reason: &str, detail: String| {
        LoadItem::Reject(RejectRow {
            input_file: file.to_string(),
            input_position: position,
            source_id: None,
            stage: "load".into(),
            reason: reason.into(),
            detail,
        })
    };
    let mut columns: Option<CsvColumns> = None;
    let mut record = csv::ByteRecord::new();
    let mut position: i64 = 0;
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                position += 1;
                emit(reject(position, if fatal { "truncated_stream" } else { "bad_csv_row" }, e.to_string()));
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
        match from_csv(h, &fields, config, file, position) {
            Ok(r) => emit(LoadItem::Record(r)),
            Err(e) => emit(LoadItem::Reject(RejectRow {
                input_file: file.to_string(),
                input_position: position,
                source_id: e.source_id,
                stage: "load".into(),
                reason: e.reason.into(),
                detail: e.detail,
            })),
        }
    }
    if columns.is_none() {
        emit(reject(0, "empty_file", "no header row".into()));
    }
}
