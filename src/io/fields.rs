//! Field mapping: pull the configured fields out of a JSON object or a CSV row into a
//! `RecordRow`, with typed checks that turn into stable reject reasons.

use crate::config::Config;
use crate::tables::schema::RecordRow;
use serde_json::Value;

/// Why a record could not become a `RecordRow`.
pub struct FieldError {
    pub reason: &'static str,
    pub detail: String,
    pub source_id: Option<String>,
}

/// Text of a scalar JSON value (strings as is, numbers and booleans printed).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn authors_of(v: &Value) -> Option<String> {
    match v {
        Value::Array(items) => {
            let names: Vec<String> = items
                .iter()
                .filter_map(|i| match i {
                    Value::Object(o) => o.get("name").and_then(scalar),
                    other => scalar(other),
                })
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            (!names.is_empty()).then(|| names.join("; "))
        }
        Value::Object(o) => o.get("name").and_then(scalar),
        other => scalar(other),
    }
}

/// Look a field up; `a.b` paths reach into nested objects.
fn lookup<'v>(obj: &'v serde_json::Map<String, Value>, key: &str) -> Option<&'v Value> {
    if let Some(v) = obj.get(key) {
        return Some(v);
    }
    let (head, rest) = key.split_once('.')?;
    match obj.get(head)? {
        Value::Object(inner) => lookup(inner, rest),
        _ => None,
    }
}

/// Build a record from a JSON object.
pub fn from_json(obj: &serde_json::Map<String, Value>, config: &Config, file: &str, position: i64) -> Result<RecordRow, FieldError> {
    let f = &config.input.fields;
    let source_id = lookup(obj, &f.id).and_then(scalar).filter(|s| !s.is_empty());
    let text = match lookup(obj, &f.text) {
        None | Some(Value::Null) => return Err(FieldError { reason: "missing_text", detail: format!("no `{}` field", f.text), source_id }),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(FieldError {
                reason: "bad_field_type",
                detail: format!("`{}` is {}, not a string", f.text, json_type(other)),
                source_id,
            })
        }
    };
    let get = |field: Field| lookup(obj, field.key(f)).and_then(scalar).filter(|s| !s.trim().is_empty());
    let authors = lookup(obj, &f.authors).and_then(authors_of);
    build(file, position, source_id, text, authors, get, config)
}

/// The optional mapped fields every record reads the same way.
#[derive(Clone, Copy)]
enum Field {
    Url,
    Title,
    Published,
    Source,
}

impl Field {
    const ALL: [Field; 4] = [Field::Url, Field::Title, Field::Published, Field::Source];

    fn key(self, f: &crate::config::FieldMap) -> &str {
        match self {
            Field::Url => &f.url,
            Field::Title => &f.title,
            Field::Published => &f.published,
            Field::Source => &f.source,
        }
    }
}

/// Assemble and check a record once its id, text and authors are known; `get` reads the
/// other mapped fields.
fn build(
    file: &str,
    position: i64,
    source_id: Option<String>,
    text: String,
    authors: Option<String>,
    get: impl Fn(Field) -> Option<String>,
    config: &Config,
) -> Result<RecordRow, FieldError> {
    let record = RecordRow {
        input_file: file.to_string(),
        input_position: position,
        source_id,
        url: get(Field::Url),
        title: get(Field::Title),
        authors,
        published_raw: get(Field::Published),
        source_name: get(Field::Source),
        is_html: looks_like_html(&text),
        text,
    };
    check_text(record, config)
}

/// Positions of the mapped fields in a CSV header, resolved once per file rather than
/// searched for on every row.
pub struct CsvColumns {
    width: usize,
    id: Option<usize>,
    text: Option<usize>,
    authors: Option<usize>,
    fields: [Option<usize>; 4],
}

impl CsvColumns {
    pub fn new(headers: &[String], config: &Config) -> CsvColumns {
        let f = &config.input.fields;
        let at = |key: &str| headers.iter().position(|h| h == key);
        CsvColumns {
            width: headers.len(),
            id: at(&f.id),
            text: at(&f.text),
            authors: at(&f.authors),
            fields: Field::ALL.map(|field| at(field.key(f))),
        }
    }

    /// Number of columns in the header.
    pub fn width(&self) -> usize {
        self.width
    }
}

/// Build a record from CSV fields given the header's columns.
pub fn from_csv(columns: &CsvColumns, row: &[String], config: &Config, file: &str, position: i64) -> Result<RecordRow, FieldError> {
    let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).filter(|s| !s.trim().is_empty()).cloned();
    let source_id = cell(columns.id);
    let Some(text) = columns.text.and_then(|i| row.get(i)).cloned() else {
        let detail = format!("no `{}` column", config.input.fields.text);
        return Err(FieldError { reason: "missing_text", detail, source_id });
    };
    let get = |field: Field| cell(columns.fields[field as usize]);
    build(file, position, source_id, text, cell(columns.authors), get, config)
}

/// Common checks on the text of any record.
pub fn check_text(record: RecordRow, config: &Config) -> Result<RecordRow, FieldError> {
    if record.text.trim().is_empty() {
        return Err(FieldError { reason: "empty_text", detail: "text is empty".into(), source_id: record.source_id });
    }
    if record.text.len() > config.load.max_text_bytes {
        return Err(FieldError {
            reason: "text_too_large",
            detail: format!("text is {} bytes; [load] max_text_bytes is {}", record.text.len(), config.load.max_text_bytes),
            source_id: record.source_id,
        });
    }
    Ok(record)
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Heuristic: the body is HTML when it opens with a tag or holds block-level tags.
pub fn looks_like_html(text: &str) -> bool {
    let head = text.trim_start();
    let head = crate::text_slice(head, 0..2048);
    head.starts_with("<!")
        || head.starts_with("<html")
        || head.starts_with("<HTML")
        || ["<p>", "<p ", "<div", "<br", "<body", "</p>"].iter().any(|t| head.contains(t))
}

/// Decode bytes as UTF-8; bytes that are not valid UTF-8 are decoded with the legacy
/// encoding `chardetng` guesses from them (Windows-1252, a superset of Latin-1, for Western
/// text; KOI8-R, Shift_JIS and so on when the bytes say so); NUL and other control
/// characters except tab and newlines removed.
pub fn decode_text(bytes: &[u8]) -> String {
    strip_controls(crate::html::charset::decode_undeclared(bytes))
}

/// Decode bytes known to be in `encoding` (one guessed for a whole CSV row), controls removed.
pub fn decode_text_as(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> String {
    strip_controls(encoding.decode_without_bom_handling(bytes).0)
}

fn strip_controls(s: std::borrow::Cow<'_, str>) -> String {
    if s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) {
        s.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r')).collect()
    } else {
        s.into_owned()
    }
}
