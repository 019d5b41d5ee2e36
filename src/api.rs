//! The pipeline in memory, for engines that already hold the records (the Python package
//! over Arrow in `python/`, run inside Spark, Ray or a notebook). A batch of records goes
//! through the same clean, extract and normalize code as `newsgrid run` and comes back as
//! the output tables with the CLI's schemas.
//!
//! `run` also decides things across the whole dump, in input order: which paragraphs are
//! furniture because they repeat (`[clean] remove_furniture`), which articles are exact or
//! near duplicates of an earlier one, which article ids repeat, and the entity statistics.
//! Here they are made explicit, as small state an engine computes between passes:
//! - [`keys`] (pass 1 and 2, per batch): per article its id, content hash, near-duplicate
//!   signature and LSH band keys (a self-join on the band keys finds every candidate pair),
//!   and in pass 1 the hashes of its paragraphs;
//! - [`furniture_rule`] (between the passes, over the pass-1 keys in run order): the
//!   repeated-line rule, as bytes to hand to the workers;
//! - [`mark_duplicates`] (over the pass-2 keys in run order; only the articles that share a
//!   content hash, a band key or an id with another article can be marked, so an engine
//!   folds just those): final article ids and `duplicate_of`;
//! - [`extract`] (pass 3, per batch): the tables, given the rule and the marks (joined onto
//!   the batch as the columns [`ARTICLE_ID_COLUMN`] and [`DUPLICATE_OF_COLUMN`]). Without
//!   them the rule and the marks are computed within the batch, so one batch holding the
//!   whole dump gives exactly the CLI's tables;
//! - [`merge_entities`]: the entities table from the batches' partial entity statistics
//!   (`entity_parts`: counts that add up, names and countries with counts, the first
//!   aliases in order), grouped by entity id.
//!
//! A batch holds records either as raw JSON Lines ([`JSON_COLUMN`], parsed exactly as the
//! JSONL reader parses a line) or in the dump's own columns, mapped by `[input.fields]` as
//! the JSON reader maps an object (a struct column is a nested object, a list an array).
//! [`FILE_COLUMN`] and [`POSITION_COLUMN`] give each record's provenance (default: `batch`
//! and the row number from 1).

use crate::config::{Config, Overrides, Settings};
use crate::error::Error;
use crate::ids;
use crate::io::LoadItem;
use crate::nlp::gazetteer::Gazetteer;
use crate::nlp::EntityType;
use crate::stages::dedupe::{self, Dedupe, Mark, Signature};
use crate::stages::extract::{extract_one, Extractors};
use crate::stages::furniture::{self, LineCounter, RepeatedLines};
use crate::stages::normalize::{normalize_articles, EntityFold};
use crate::tables::schema::{
    ArticleRow, ArticleRows, AttributionRows, EntityRows, EventRows, MentionRows, RecordRow, RejectRow, RejectRows, Table,
};
use arrow::array::{
    Array, ArrayRef, AsArray, BinaryBuilder, Int64Array, Int64Builder, ListBuilder, RecordBatch, StringArray, StringBuilder,
};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Column with each record's input file (as the CLI records it: the path given).
pub const FILE_COLUMN: &str = "input_file";
/// Column with each record's position in its file (JSONL: the line number from 1).
pub const POSITION_COLUMN: &str = "input_position";
/// Column with a raw JSON Lines record (one line of the dump).
pub const JSON_COLUMN: &str = "json";
/// Column with the run-wide article id from [`mark_duplicates`] (null: the record's own).
pub const ARTICLE_ID_COLUMN: &str = "_newsgrid_article_id";
/// Column with the run-wide `duplicate_of` from [`mark_duplicates`].
pub const DUPLICATE_OF_COLUMN: &str = "_newsgrid_duplicate_of";
/// Nesting depth of struct and list columns read into a record's JSON (deeper is null).
const MAX_NESTING: usize = 16;
/// Aliases an entity keeps (as the stage's fold does).
const MAX_ALIASES: usize = 50;

/// Settings from a config: None for the defaults, a path to a `pipeline.toml`, or the TOML
/// text itself (a string holding a line break or `=` that names no file). Input paths are
/// not needed here (the engine holds the records).
pub fn settings(config: Option<&str>) -> Result<Settings, Error> {
    // Validation wants an existing input; the engine's records are the input.
    let overrides = Overrides { inputs: vec![PathBuf::from(".")], ..Default::default() };
    match config {
        None => crate::config::settings_from_text("", "(defaults)", None, Path::new("."), &overrides),
        Some(c) if !Path::new(c).is_file() && (c.contains('\n') || c.contains('=')) => {
            crate::config::settings_from_text(c, "(config text)", None, Path::new("."), &overrides)
        }
        Some(p) => crate::config::load_settings(Some(Path::new(p)), &overrides),
    }
}

/// Run-wide marks joined onto a record: its final article id and `duplicate_of`.
#[derive(Clone, Debug, Default)]
pub struct Assigned {
    pub article_id: Option<String>,
    pub duplicate_of: Option<String>,
}

/// The records of a batch, in batch order, with the rejects of mapping them.
#[derive(Default)]
pub struct Input {
    pub records: Vec<(RecordRow, Assigned)>,
    pub rejects: Vec<RejectRow>,
    /// The batch carried run-wide marks ([`ARTICLE_ID_COLUMN`]): duplicates are not marked
    /// within the batch.
    pub marked: bool,
}

fn arrow_err(e: impl std::fmt::Display) -> Error {
    Error::Arrow(e.to_string())
}

/// A column as strings (any type cast to text), if the batch has it.
fn string_column(batch: &RecordBatch, name: &str) -> Result<Option<StringArray>, Error> {
    let Some(col) = batch.column_by_name(name) else { return Ok(None) };
    let cast = arrow::compute::cast(col, &DataType::Utf8).map_err(|e| Error::Arrow(format!("column {name}: {e}")))?;
    Ok(Some(cast.as_string::<i32>().clone()))
}

/// The value of one cell as JSON, as the dump's JSON would have held it. Nested types
/// are read to [`MAX_NESTING`] levels.
fn json_value(col: &dyn Array, i: usize, depth: usize) -> Value {
    if col.is_null(i) || depth > MAX_NESTING {
        return Value::Null;
    }
    match col.data_type() {
        DataType::Boolean => Value::Bool(col.as_boolean().value(i)),
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => cast_cell(col, i, &DataType::Int64)
            .map(|a| Value::from(a.as_primitive::<arrow::datatypes::Int64Type>().value(0)))
            .unwrap_or(Value::Null),
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => cast_cell(col, i, &DataType::UInt64)
            .map(|a| Value::from(a.as_primitive::<arrow::datatypes::UInt64Type>().value(0)))
            .unwrap_or(Value::Null),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => cast_cell(col, i, &DataType::Float64)
            .map(|a| Value::from(a.as_primitive::<arrow::datatypes::Float64Type>().value(0)))
            .unwrap_or(Value::Null),
        DataType::List(_) => list_value(col.as_list::<i32>().value(i).as_ref(), depth),
        DataType::LargeList(_) => list_value(col.as_list::<i64>().value(i).as_ref(), depth),
        DataType::Struct(fields) => {
            let s = col.as_struct();
            let mut obj = Map::new();
            for (f, child) in fields.iter().zip(s.columns()) {
                obj.insert(f.name().clone(), json_value(child.as_ref(), i, depth + 1));
            }
            Value::Object(obj)
        }
        _ => cast_cell(col, i, &DataType::Utf8).map(|a| Value::String(a.as_string::<i32>().value(0).to_string())).unwrap_or(Value::Null),
    }
}

fn cast_cell(col: &dyn Array, i: usize, to: &DataType) -> Option<ArrayRef> {
    let cell = col.slice(i, 1);
    arrow::compute::cast(&cell, to).ok().filter(|a| a.len() == 1 && !a.is_null(0))
}

fn list_value(items: &dyn Array, depth: usize) -> Value {
    Value::Array((0..items.len()).map(|k| json_value(items, k, depth + 1)).collect())
}

/// The records of a batch (see the module doc for the columns read).
pub fn read_batch(batch: &RecordBatch, config: &Config) -> Result<Input, Error> {
    let n = batch.num_rows();
    let files = string_column(batch, FILE_COLUMN)?;
    let positions = match batch.column_by_name(POSITION_COLUMN) {
        Some(c) => Some(
            arrow::compute::cast(c, &DataType::Int64)
                .map_err(|e| Error::Arrow(format!("column {POSITION_COLUMN}: {e}")))?
                .as_primitive::<arrow::datatypes::Int64Type>()
                .clone(),
        ),
        None => None,
    };
    let ids = string_column(batch, ARTICLE_ID_COLUMN)?;
    let dups = string_column(batch, DUPLICATE_OF_COLUMN)?;
    let json = match batch.column_by_name(JSON_COLUMN) {
        Some(c) => Some(arrow::compute::cast(c, &DataType::LargeBinary).map_err(|e| Error::Arrow(format!("column {JSON_COLUMN}: {e}")))?),
        None => None,
    };
    let reserved = [FILE_COLUMN, POSITION_COLUMN, ARTICLE_ID_COLUMN, DUPLICATE_OF_COLUMN];
    let columns: Vec<(String, ArrayRef)> = batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .filter(|(f, _)| !reserved.contains(&f.name().as_str()))
        .map(|(f, c)| (f.name().clone(), c.clone()))
        .collect();
    let get = |a: &Option<StringArray>, i: usize| a.as_ref().filter(|a| a.is_valid(i)).map(|a| a.value(i).to_string());
    let items: Vec<Option<(LoadItem, Assigned)>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let file = get(&files, i).unwrap_or_else(|| "batch".to_string());
            let position = positions.as_ref().filter(|p| p.is_valid(i)).map(|p| p.value(i)).unwrap_or(i as i64 + 1);
            let assigned = Assigned { article_id: get(&ids, i), duplicate_of: get(&dups, i) };
            let item = match &json {
                Some(j) => {
                    if j.is_null(i) {
                        return None;
                    }
                    crate::io::jsonl::parse_line(j.as_binary::<i64>().value(i), &file, position, config)?
                }
                None => {
                    let obj: Map<String, Value> = columns.iter().map(|(name, c)| (name.clone(), json_value(c.as_ref(), i, 0))).collect();
                    let reject = |reason: &str, detail: String, source_id: Option<String>| {
                        LoadItem::Reject(RejectRow {
                            input_file: file.clone(),
                            input_position: position,
                            source_id,
                            stage: "load".into(),
                            reason: reason.into(),
                            detail,
                        })
                    };
                    let mapped = crate::stages::isolate(|| crate::io::fields::from_json(&obj, config, &file, position));
                    match mapped {
                        Ok(Ok(r)) => LoadItem::Record(r),
                        Ok(Err(e)) => reject(e.reason, e.detail, e.source_id),
                        Err(detail) => reject(crate::stages::INTERNAL_ERROR, detail, None),
                    }
                }
            };
            Some((item, assigned))
        })
        .collect();
    let mut input = Input { marked: ids.is_some(), ..Default::default() };
    for (item, assigned) in items.into_iter().flatten() {
        match item {
            LoadItem::Record(r) => input.records.push((r, assigned)),
            LoadItem::Reject(r) => input.rejects.push(r),
            LoadItem::Skipped { .. } => {}
        }
    }
    Ok(input)
}

/// One record cleaned, with the run-wide rule applied when given.
type Cleaned = Result<(ArticleRow, u128, Assigned), Box<RejectRow>>;

fn clean_all(records: Vec<(RecordRow, Assigned)>, config: &Config, rule: Option<&RepeatedLines>) -> Vec<Cleaned> {
    records
        .into_par_iter()
        .map(|(r, assigned)| {
            let (row, content) = crate::stages::clean::clean_one(r, config)?;
            match rule {
                Some(rule) => {
                    let (row, content, _) = crate::stages::clean::strip_repeated(row, content, rule, &config.clean)?;
                    Ok((row, content, assigned))
                }
                None => Ok((row, content, assigned)),
            }
        })
        .collect()
}

/// An article's near-duplicate signature, source key and paragraph hashes.
type ArticleKeys = (Option<Signature>, Option<String>, Vec<u64>);

/// What the furniture count needs of one article (pass 1).
struct LineKeys<'a> {
    article_id: &'a str,
    content: u128,
    sig: Option<Signature>,
    source: Option<String>,
    lines: Vec<u64>,
}

/// The repeated-line rule, folded in run order as `clean`'s first pass folds it: only the
/// articles that are no duplicate of an earlier one count their paragraphs.
fn fold_rule<'a>(articles: impl Iterator<Item = LineKeys<'a>>, config: &Config) -> RepeatedLines {
    let mut counter = LineCounter::new();
    let mut counting = Dedupe::new(&config.clean);
    for a in articles {
        let mut scratch = ArticleRow { article_id: a.article_id.to_string(), ..Default::default() };
        if counting.mark(&mut scratch, a.content, a.sig.as_ref()) == Mark::Unique {
            counter.add(a.source.as_deref(), &a.lines);
        }
    }
    counter.finish(config.clean.furniture_min_repeats, config.clean.furniture_min_sources)
}

fn keys_schema() -> SchemaRef {
    static SCHEMA: std::sync::OnceLock<SchemaRef> = std::sync::OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let list = |name: &str| Field::new(name, DataType::List(Arc::new(Field::new("item", DataType::Int64, true))), true);
            Arc::new(Schema::new(vec![
                Field::new(FILE_COLUMN, DataType::Utf8, false),
                Field::new(POSITION_COLUMN, DataType::Int64, false),
                Field::new("article_id", DataType::Utf8, false),
                Field::new("content_hash", DataType::Utf8, false),
                Field::new("source_key", DataType::Utf8, true),
                Field::new("signature", DataType::Binary, true),
                list("band_keys"),
                list("line_hashes"),
            ]))
        })
        .clone()
}

/// Per-article keys of a batch (see the module doc). `rule`: the repeated-line rule from
/// [`furniture_rule`] (pass 2); without it (pass 1) the paragraph hashes are filled. Band
/// keys are `band index << 32 | band hash`, so one equi-join on them finds the candidates;
/// paragraph hashes are the u64 hashes as i64 (engines have no unsigned types).
pub fn keys(input: Input, settings: &Settings, rule: Option<&RepeatedLines>) -> Result<RecordBatch, Error> {
    let config = &settings.config;
    let cleaned = clean_all(input.records, config, rule);
    let rows: Vec<(ArticleRow, u128, ArticleKeys)> = cleaned
        .into_par_iter()
        .filter_map(Result::ok)
        .map(|(row, content, _)| {
            let sig = dedupe::signature(&config.clean, &row.text);
            let source = furniture::source_key(row.source_name.as_deref(), row.url.as_deref());
            let lines = if rule.is_none() { furniture::line_hashes(&row.text) } else { Vec::new() };
            (row, content, (sig, source, lines))
        })
        .collect();
    let mut file = StringBuilder::new();
    let mut position = Int64Builder::new();
    let mut id = StringBuilder::new();
    let mut hash = StringBuilder::new();
    let mut source = StringBuilder::new();
    let mut signature = BinaryBuilder::new();
    let mut bands = ListBuilder::new(Int64Builder::new());
    let mut lines = ListBuilder::new(Int64Builder::new());
    for (row, content, (sig, src, hashes)) in &rows {
        file.append_value(&row.input_file);
        position.append_value(row.input_position);
        id.append_value(&row.article_id);
        hash.append_value(ids::hex(*content));
        source.append_option(src.as_deref());
        match sig {
            Some(s) => {
                signature.append_value(s.to_bytes());
                for (i, b) in s.band_keys().iter().enumerate() {
                    bands.values().append_value(((i as i64) << 32) | *b as i64);
                }
                bands.append(true);
            }
            None => {
                signature.append_null();
                bands.append(false);
            }
        }
        if rule.is_none() {
            hashes.iter().for_each(|h| lines.values().append_value(*h as i64));
            lines.append(true);
        } else {
            lines.append(false);
        }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(file.finish()),
        Arc::new(position.finish()),
        Arc::new(id.finish()),
        Arc::new(hash.finish()),
        Arc::new(source.finish()),
        Arc::new(signature.finish()),
        Arc::new(bands.finish()),
        Arc::new(lines.finish()),
    ];
    RecordBatch::try_new(keys_schema(), columns).map_err(arrow_err)
}

/// Typed access to the columns of a keys batch.
struct KeyColumns<'a> {
    file: &'a StringArray,
    position: &'a Int64Array,
    id: &'a StringArray,
    hash: &'a StringArray,
    source: Option<&'a StringArray>,
    signature: Option<ArrayRef>,
    lines: Option<ArrayRef>,
}

impl<'a> KeyColumns<'a> {
    fn of(batch: &'a RecordBatch) -> Result<KeyColumns<'a>, Error> {
        let need = |name: &str| batch.column_by_name(name).ok_or_else(|| Error::Usage(format!("keys table without a `{name}` column")));
        let string = |name: &str| -> Result<&'a StringArray, Error> {
            need(name)?.as_string_opt::<i32>().ok_or_else(|| Error::Usage(format!("keys column `{name}` is not a string column")))
        };
        Ok(KeyColumns {
            file: string(FILE_COLUMN)?,
            position: need(POSITION_COLUMN)?
                .as_primitive_opt::<arrow::datatypes::Int64Type>()
                .ok_or_else(|| Error::Usage(format!("keys column `{POSITION_COLUMN}` is not int64")))?,
            id: string("article_id")?,
            hash: string("content_hash")?,
            source: batch.column_by_name("source_key").and_then(|c| c.as_string_opt::<i32>()),
            signature: batch
                .column_by_name("signature")
                .map(|c| arrow::compute::cast(c, &DataType::LargeBinary))
                .transpose()
                .map_err(arrow_err)?,
            lines: batch
                .column_by_name("line_hashes")
                .map(|c| arrow::compute::cast(c, &DataType::LargeList(Arc::new(Field::new("item", DataType::Int64, true)))))
                .transpose()
                .map_err(arrow_err)?,
        })
    }

    fn sig(&self, i: usize) -> Option<Signature> {
        let s = self.signature.as_ref()?;
        (!s.is_null(i)).then(|| Signature::from_bytes(s.as_binary::<i64>().value(i))).flatten()
    }

    fn lines(&self, i: usize) -> Vec<u64> {
        match &self.lines {
            Some(l) if !l.is_null(i) => {
                let v = l.as_list::<i64>().value(i);
                v.as_primitive::<arrow::datatypes::Int64Type>().values().iter().map(|x| *x as u64).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// The repeated-line rule of a run from its pass-1 [`keys`], given in run order (files in
/// sorted path order, positions ascending). None when `[clean] remove_furniture` is off.
pub fn furniture_rule(keys: &[RecordBatch], settings: &Settings) -> Result<Option<RepeatedLines>, Error> {
    if !settings.config.clean.remove_furniture {
        return Ok(None);
    }
    let cols: Vec<KeyColumns> = keys.iter().map(KeyColumns::of).collect::<Result<_, _>>()?;
    let articles = cols.iter().flat_map(|c| {
        (0..c.id.len()).map(move |i| LineKeys {
            article_id: c.id.value(i),
            content: ids::parse_hex(c.hash.value(i)).unwrap_or_default(),
            sig: c.sig(i),
            source: c.source.filter(|s| s.is_valid(i)).map(|s| s.value(i).to_string()),
            lines: c.lines(i),
        })
    });
    Ok(Some(fold_rule(articles, &settings.config)))
}

/// Final article ids and `duplicate_of` from pass-2 [`keys`] in run order, as `clean`
/// marks them: columns `input_file`, `input_position`, [`ARTICLE_ID_COLUMN`],
/// [`DUPLICATE_OF_COLUMN`], one row per key row. Only articles sharing a content hash, a
/// band key or an article id with another can be marked or renamed: the others may be left
/// out (their marks are null, which keeps the record's own id).
pub fn mark_duplicates(keys: &[RecordBatch], settings: &Settings) -> Result<RecordBatch, Error> {
    let mut dedupe = Dedupe::new(&settings.config.clean);
    let mut file = StringBuilder::new();
    let mut position = Int64Builder::new();
    let mut id = StringBuilder::new();
    let mut dup = StringBuilder::new();
    for batch in keys {
        let c = KeyColumns::of(batch)?;
        for i in 0..c.id.len() {
            let mut row = ArticleRow { article_id: c.id.value(i).to_string(), ..Default::default() };
            let content = ids::parse_hex(c.hash.value(i)).unwrap_or_default();
            dedupe.mark(&mut row, content, c.sig(i).as_ref());
            file.append_value(c.file.value(i));
            position.append_value(c.position.value(i));
            id.append_value(&row.article_id);
            dup.append_option(row.duplicate_of.as_deref());
        }
    }
    let schema = Arc::new(Schema::new(vec![
        Field::new(FILE_COLUMN, DataType::Utf8, false),
        Field::new(POSITION_COLUMN, DataType::Int64, false),
        Field::new(ARTICLE_ID_COLUMN, DataType::Utf8, false),
        Field::new(DUPLICATE_OF_COLUMN, DataType::Utf8, true),
    ]));
    let columns: Vec<ArrayRef> = vec![Arc::new(file.finish()), Arc::new(position.finish()), Arc::new(id.finish()), Arc::new(dup.finish())];
    RecordBatch::try_new(schema, columns).map_err(arrow_err)
}

/// The extractors, loaded once per process and model.
fn extractors(settings: &Settings) -> Result<Arc<Extractors>, Error> {
    type Cache = Mutex<Vec<((Option<PathBuf>, bool), Arc<Extractors>)>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let key = (settings.ner_model.clone(), settings.config.extract.syntax);
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, x)) = cache.iter().find(|(k, _)| *k == key) {
        return Ok(x.clone());
    }
    let x = Arc::new(Extractors::for_config(settings.ner_model.as_deref(), &settings.config.extract)?);
    cache.push((key, x.clone()));
    Ok(x)
}

/// The tables of one batch: the six output tables and `entity_parts`.
pub struct Output {
    pub tables: Vec<(&'static str, SchemaRef, Vec<RecordBatch>)>,
}

/// One entity's statistics within a batch, mergeable across batches.
struct EntityPart {
    entity_type: EntityType,
    /// Mentions per type, in [`EntityType::ALL`] order (the entity's type is their vote).
    types: [u32; 4],
    kb_id: Option<&'static str>,
    mentions: i64,
    articles: i64,
    last_article: u64,
    names: HashMap<String, u32>,
    /// The first distinct surfaces, in order of occurrence.
    aliases: Vec<String>,
    countries: HashMap<&'static str, u32>,
    first_file: String,
    first_position: i64,
}

fn entity_parts_schema() -> SchemaRef {
    static SCHEMA: std::sync::OnceLock<SchemaRef> = std::sync::OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            Arc::new(Schema::new(vec![
                Field::new("entity_id", DataType::Utf8, false),
                Field::new("entity_type", DataType::Utf8, false),
                Field::new("kb_id", DataType::Utf8, true),
                Field::new("mention_count", DataType::Int64, false),
                Field::new("article_count", DataType::Int64, false),
                Field::new("names", DataType::Utf8, false),
                Field::new("aliases", DataType::Utf8, false),
                Field::new("countries", DataType::Utf8, false),
                Field::new("types", DataType::Utf8, false),
                Field::new("first_file", DataType::Utf8, false),
                Field::new("first_position", DataType::Int64, false),
            ]))
        })
        .clone()
}

/// Run clean, extract and normalize on a batch's records. `rule`: the run-wide
/// repeated-line rule ([`furniture_rule`]); None computes it within the batch (when
/// `[clean] remove_furniture` is on). Duplicates are marked within the batch unless the
/// batch carries run-wide marks.
pub fn extract(input: Input, settings: &Settings, rule: Option<&RepeatedLines>) -> Result<Output, Error> {
    let config = &settings.config;
    let x = extractors(settings)?;
    let mut rejects = input.rejects;
    let marked = input.marked;
    let cleaned = match rule {
        Some(r) => clean_all(input.records, config, Some(r)),
        None if config.clean.remove_furniture => {
            let first = clean_all(input.records, config, None);
            let extra: Vec<Option<ArticleKeys>> = first
                .par_iter()
                .map(|c| {
                    c.as_ref().ok().map(|(row, _, _)| {
                        (
                            dedupe::signature(&config.clean, &row.text),
                            furniture::source_key(row.source_name.as_deref(), row.url.as_deref()),
                            furniture::line_hashes(&row.text),
                        )
                    })
                })
                .collect();
            let local_rule = fold_rule(
                first.iter().zip(extra).filter_map(|(c, e)| {
                    let ((row, content, _), (sig, source, lines)) = (c.as_ref().ok()?, e?);
                    Some(LineKeys { article_id: &row.article_id, content: *content, sig, source, lines })
                }),
                config,
            );
            first
                .into_par_iter()
                .map(|c| {
                    let (row, content, assigned) = c?;
                    let (row, content, _) = crate::stages::clean::strip_repeated(row, content, &local_rule, &config.clean)?;
                    Ok((row, content, assigned))
                })
                .collect::<Vec<Cleaned>>()
        }
        None => clean_all(input.records, config, None),
    };
    // Clean's rejects in input order (the run-wide rule can empty an article too).
    let mut articles: Vec<(ArticleRow, u128)> = Vec::with_capacity(cleaned.len());
    let mut clean_rejects = Vec::new();
    let mut assigned = Vec::with_capacity(cleaned.len());
    for c in cleaned {
        match c {
            Ok((row, content, a)) => {
                articles.push((row, content));
                assigned.push(a);
            }
            Err(r) => clean_rejects.push(*r),
        }
    }
    if marked {
        for ((row, _), a) in articles.iter_mut().zip(assigned) {
            if let Some(id) = a.article_id {
                row.article_id = id;
            }
            row.duplicate_of = a.duplicate_of;
        }
    } else {
        let sigs: Vec<Option<Signature>> = articles.par_iter().map(|(row, _)| dedupe::signature(&config.clean, &row.text)).collect();
        let mut dedupe = Dedupe::new(&config.clean);
        for ((row, content), sig) in articles.iter_mut().zip(&sigs) {
            dedupe.mark(row, *content, sig.as_ref());
        }
    }
    let articles: Vec<ArticleRow> = articles.into_iter().map(|(row, _)| row).collect();
    rejects.extend(clean_rejects);

    let extracted: Vec<Result<Option<crate::stages::extract::ArticleExtraction>, Box<RejectRow>>> =
        articles.par_iter().map(|a| extract_one(a, &x, &config.extract, &config.limits)).collect();
    let (mut raw_m, mut raw_e, mut raw_a) = (Vec::new(), Vec::new(), Vec::new());
    for e in extracted {
        match e {
            Ok(Some(rows)) => {
                raw_m.extend(rows.mentions);
                raw_e.extend(rows.events);
                raw_a.extend(rows.attributions);
            }
            Ok(None) => {}
            Err(r) => rejects.push(*r),
        }
    }
    let mut table_articles = ArticleRows::new_builder(articles.len());
    articles.iter().for_each(|a| table_articles.push(a));
    let positions: Vec<(String, i64)> = articles.iter().map(|a| (a.input_file.clone(), a.input_position)).collect();
    let outputs = normalize_articles(articles, raw_m, raw_e, raw_a, &config.normalize);

    let mut mentions = MentionRows::new_builder(1024);
    let mut events = EventRows::new_builder(256);
    let mut attributions = AttributionRows::new_builder(256);
    let mut fold = EntityFold::default();
    let mut parts: HashMap<u128, EntityPart> = HashMap::new();
    let mut part_order: Vec<u128> = Vec::new();
    let mut seq = 0u64;
    for (out, (file, position)) in outputs.into_iter().zip(positions) {
        let out = match out {
            Ok(out) => out,
            Err(r) => {
                rejects.push(*r);
                continue;
            }
        };
        seq += 1;
        out.mentions.iter().for_each(|r| mentions.push(r));
        out.events.iter().for_each(|r| events.push(r));
        out.attributions.iter().for_each(|r| attributions.push(r));
        for o in &out.observations {
            let p = parts.entry(o.entity_id).or_insert_with(|| {
                part_order.push(o.entity_id);
                EntityPart {
                    entity_type: o.entity_type,
                    types: [0; 4],
                    kb_id: None,
                    mentions: 0,
                    articles: 0,
                    last_article: 0,
                    names: HashMap::new(),
                    aliases: Vec::new(),
                    countries: HashMap::new(),
                    first_file: file.clone(),
                    first_position: position,
                }
            });
            p.kb_id = p.kb_id.or(o.kb_id);
            p.types[o.entity_type as usize] += 1;
            p.mentions += 1;
            if p.last_article != seq {
                p.articles += 1;
                p.last_article = seq;
            }
            *p.names.entry(o.canonical_name.clone()).or_default() += 1;
            if p.aliases.len() < MAX_ALIASES && !p.aliases.contains(&o.surface) {
                p.aliases.push(o.surface.clone());
            }
            if let Some(c) = o.country {
                *p.countries.entry(c).or_default() += 1;
            }
        }
        out.observations.into_iter().for_each(|o| fold.add(seq, o));
    }
    let entity_rows = fold.rows(config.normalize.geocode, Gazetteer::builtin());
    let mut entities = EntityRows::new_builder(entity_rows.len());
    entity_rows.iter().for_each(|r| entities.push(r));
    let parts_batch = parts_batch(&part_order, &parts)?;
    let mut reject_rows = RejectRows::new_builder(rejects.len());
    rejects.iter().for_each(|r| reject_rows.push(r));

    fn finish<T: Table>(b: &mut T) -> Result<(&'static str, SchemaRef, Vec<RecordBatch>), Error> {
        Ok((T::NAME, T::schema(), b.finish().map_err(arrow_err)?))
    }
    Ok(Output {
        tables: vec![
            finish(&mut table_articles)?,
            finish(&mut mentions)?,
            finish(&mut entities)?,
            finish(&mut events)?,
            finish(&mut attributions)?,
            finish(&mut reject_rows)?,
            ("entity_parts", entity_parts_schema(), vec![parts_batch]),
        ],
    })
}

fn parts_batch(order: &[u128], parts: &HashMap<u128, EntityPart>) -> Result<RecordBatch, Error> {
    let mut b: [StringBuilder; 7] = Default::default();
    let (mut mentions, mut articles, mut first_position) = (Int64Builder::new(), Int64Builder::new(), Int64Builder::new());
    let mut first_file = StringBuilder::new();
    let json = |v: Value| serde_json::to_string(&v).unwrap_or_default();
    for id in order {
        let Some(p) = parts.get(id) else { continue };
        b[0].append_value(ids::hex(*id));
        b[1].append_value(p.entity_type.as_str());
        b[2].append_option(p.kb_id);
        b[3].append_value(json(Value::Object(p.names.iter().map(|(k, v)| (k.clone(), Value::from(*v))).collect())));
        b[4].append_value(json(Value::Array(p.aliases.iter().map(|a| Value::String(a.clone())).collect())));
        b[5].append_value(json(Value::Object(p.countries.iter().map(|(k, v)| (k.to_string(), Value::from(*v))).collect())));
        let types = EntityType::ALL.iter().zip(p.types).filter(|(_, n)| *n > 0);
        b[6].append_value(json(Value::Object(types.map(|(t, n)| (t.as_str().to_string(), Value::from(n))).collect())));
        mentions.append_value(p.mentions);
        articles.append_value(p.articles);
        first_file.append_value(&p.first_file);
        first_position.append_value(p.first_position);
    }
    let [mut id, mut ty, mut kb, mut names, mut aliases, mut countries, mut types] = b;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(ty.finish()),
        Arc::new(kb.finish()),
        Arc::new(mentions.finish()),
        Arc::new(articles.finish()),
        Arc::new(names.finish()),
        Arc::new(aliases.finish()),
        Arc::new(countries.finish()),
        Arc::new(types.finish()),
        Arc::new(first_file.finish()),
        Arc::new(first_position.finish()),
    ];
    RecordBatch::try_new(entity_parts_schema(), columns).map_err(arrow_err)
}

/// Merged statistics of one entity across batches.
struct Merged {
    entity_type: EntityType,
    types: [u32; 4],
    kb_id: Option<String>,
    mentions: i64,
    articles: i64,
    names: HashMap<String, u32>,
    aliases: Vec<String>,
    countries: HashMap<String, u32>,
}

/// The entities table from `entity_parts` rows of many batches, given in run order (sorted
/// by `first_file`'s rank and `first_position`; each batch a contiguous run of records).
/// Rows of one entity may come in any number of batches; the result is the table a single
/// run over the same records gives (rows in order of first mention).
pub fn merge_entities(parts: &[RecordBatch], settings: &Settings) -> Result<RecordBatch, Error> {
    let mut merged: HashMap<u128, Merged> = HashMap::new();
    let mut order: Vec<u128> = Vec::new();
    for batch in parts {
        let col = |name: &str| -> Result<ArrayRef, Error> {
            let c = batch.column_by_name(name).ok_or_else(|| Error::Usage(format!("entity_parts without a `{name}` column")))?;
            let to = if name.ends_with("count") { DataType::Int64 } else { DataType::Utf8 };
            arrow::compute::cast(c, &to).map_err(arrow_err)
        };
        let (id, ty, kb, names, aliases, countries) =
            (col("entity_id")?, col("entity_type")?, col("kb_id")?, col("names")?, col("aliases")?, col("countries")?);
        let (mentions, articles) = (col("mention_count")?, col("article_count")?);
        // Parts written before session 10 have no `types`: their mentions count for
        // their `entity_type`.
        let types = batch.column_by_name("types").map(|c| arrow::compute::cast(c, &DataType::Utf8)).transpose().map_err(arrow_err)?;
        let types = types.as_ref().map(|t| t.as_string::<i32>());
        let (id, ty, kb) = (id.as_string::<i32>(), ty.as_string::<i32>(), kb.as_string::<i32>());
        let (names, aliases, countries) = (names.as_string::<i32>(), aliases.as_string::<i32>(), countries.as_string::<i32>());
        let (mentions, articles) =
            (mentions.as_primitive::<arrow::datatypes::Int64Type>(), articles.as_primitive::<arrow::datatypes::Int64Type>());
        for i in 0..batch.num_rows() {
            let Some(key) = ids::parse_hex(id.value(i)) else { continue };
            let m = merged.entry(key).or_insert_with(|| {
                order.push(key);
                Merged {
                    entity_type: EntityType::parse(ty.value(i)).unwrap_or(EntityType::Misc),
                    types: [0; 4],
                    kb_id: None,
                    mentions: 0,
                    articles: 0,
                    names: HashMap::new(),
                    aliases: Vec::new(),
                    countries: HashMap::new(),
                }
            });
            if m.kb_id.is_none() && kb.is_valid(i) {
                m.kb_id = Some(kb.value(i).to_string());
            }
            m.mentions += mentions.value(i);
            m.articles += articles.value(i);
            let counts = |text: &str| -> Vec<(String, u32)> {
                match serde_json::from_str::<Value>(text) {
                    Ok(Value::Object(o)) => o.into_iter().map(|(k, v)| (k, v.as_u64().unwrap_or(0) as u32)).collect(),
                    _ => Vec::new(),
                }
            };
            for (k, v) in counts(names.value(i)) {
                *m.names.entry(k).or_default() += v;
            }
            for (k, v) in counts(countries.value(i)) {
                *m.countries.entry(k).or_default() += v;
            }
            match types.filter(|t| t.is_valid(i)) {
                Some(t) => {
                    for (k, v) in counts(t.value(i)) {
                        if let Some(ty) = EntityType::parse(&k) {
                            m.types[ty as usize] += v;
                        }
                    }
                }
                None => {
                    let ty = EntityType::parse(ty.value(i)).unwrap_or(EntityType::Misc);
                    m.types[ty as usize] += mentions.value(i).max(0) as u32;
                }
            }
            if let Ok(Value::Array(list)) = serde_json::from_str::<Value>(aliases.value(i)) {
                for a in list.into_iter().filter_map(|v| v.as_str().map(str::to_string)) {
                    if m.aliases.len() < MAX_ALIASES && !m.aliases.contains(&a) {
                        m.aliases.push(a);
                    }
                }
            }
        }
    }
    let g = Gazetteer::builtin();
    let mut rows = EntityRows::new_builder(order.len());
    for key in order {
        let Some(m) = merged.get(&key) else { continue };
        let aliases: BTreeSet<&str> = m.aliases.iter().map(String::as_str).collect();
        let row = crate::stages::normalize::entity_row(
            key,
            crate::stages::normalize::voted_type(m.entity_type, m.types),
            m.names.iter().map(|(n, c)| (n.as_str(), *c)),
            aliases.into_iter(),
            m.countries.iter().map(|(c, n)| (c.as_str(), *n)),
            (m.mentions, m.articles),
            m.kb_id.as_deref(),
            settings.config.normalize.geocode,
            g,
        );
        rows.push(&row);
    }
    let batches = rows.finish().map_err(arrow_err)?;
    arrow::compute::concat_batches(&EntityRows::schema(), &batches).map_err(arrow_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_batch(lines: &[&str]) -> RecordBatch {
        let json: ArrayRef = Arc::new(StringArray::from(lines.to_vec()));
        let file: ArrayRef = Arc::new(StringArray::from(vec!["f.jsonl"; lines.len()]));
        let pos: ArrayRef = Arc::new(Int64Array::from((1..=lines.len() as i64).collect::<Vec<_>>()));
        RecordBatch::try_from_iter(vec![(FILE_COLUMN, file), (POSITION_COLUMN, pos), (JSON_COLUMN, json)]).unwrap()
    }

    #[test]
    fn merged_parts_vote_on_the_entity_type() {
        // "Cleveland" ORG twice in one batch, LOC three times in another: one LOC entity.
        let part = |ty: EntityType, n: u32| EntityPart {
            entity_type: ty,
            types: {
                let mut t = [0; 4];
                t[ty as usize] = n;
                t
            },
            kb_id: None,
            mentions: i64::from(n),
            articles: 1,
            last_article: 1,
            names: HashMap::from([("Cleveland".to_string(), n)]),
            aliases: vec!["Cleveland".to_string()],
            countries: HashMap::new(),
            first_file: "f.jsonl".into(),
            first_position: 1,
        };
        let batch = |ty, n| parts_batch(&[5], &HashMap::from([(5u128, part(ty, n))])).unwrap();
        let settings = settings(None).unwrap();
        let merged = merge_entities(&[batch(EntityType::Org, 2), batch(EntityType::Loc, 3)], &settings).unwrap();
        let ty = merged.column_by_name("entity_type").unwrap().as_string::<i32>().value(0).to_string();
        assert_eq!((ty.as_str(), merged.num_rows()), ("LOC", 1));
        // Parts without `types` (written before it existed) count for their own type.
        let old = |ty, n| {
            let b = batch(ty, n);
            let keep: Vec<usize> = (0..b.num_columns()).filter(|&i| b.schema().field(i).name() != "types").collect();
            b.project(&keep).unwrap()
        };
        let merged = merge_entities(&[old(EntityType::Org, 4), old(EntityType::Loc, 3)], &settings).unwrap();
        assert_eq!(merged.column_by_name("entity_type").unwrap().as_string::<i32>().value(0), "ORG");
    }

    #[test]
    fn batches_and_merged_parts_equal_one_batch() {
        let story = |who: &str, n: usize| {
            format!(
                "{{\"id\": \"a{n}\", \"title\": \"Talks\", \"text\": \"President {who} met Chancellor Angela Merkel in Berlin on Monday, \
                 officials said. {who} said the talks were useful. Story number {n} adds its own details about trade and tariffs.\"}}"
            )
        };
        let lines: Vec<String> = (0..8).map(|n| story(if n % 2 == 0 { "Joe Biden" } else { "Emmanuel Macron" }, n)).collect();
        let mut lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        lines.push("not json");
        let settings = settings(None).unwrap();
        let whole = extract(read_batch(&lines_batch(&lines), &settings.config).unwrap(), &settings, None).unwrap();
        let table = |o: &Output, name: &str| -> RecordBatch {
            let (_, schema, batches) = o.tables.iter().find(|(n, _, _)| *n == name).unwrap();
            arrow::compute::concat_batches(schema, batches).unwrap()
        };
        assert_eq!(table(&whole, "articles").num_rows(), 8);
        assert_eq!(table(&whole, "rejects").num_rows(), 1);
        // Two batches with the run-wide state (rule, then marks joined on): the same tables.
        let all = lines_batch(&lines);
        let halves = [all.slice(0, 5), all.slice(5, 4)];
        let pass = |rule: Option<&RepeatedLines>| -> Vec<RecordBatch> {
            halves.iter().map(|x| keys(read_batch(x, &settings.config).unwrap(), &settings, rule).unwrap()).collect()
        };
        let rule = furniture_rule(&pass(None), &settings).unwrap();
        let marks = mark_duplicates(&pass(rule.as_ref()), &settings).unwrap();
        let by_position: HashMap<i64, usize> =
            (0..marks.num_rows()).map(|i| (marks.column(1).as_primitive::<arrow::datatypes::Int64Type>().value(i), i)).collect();
        let outs: Vec<Output> = halves
            .iter()
            .map(|x| {
                let pos = x.column(1).as_primitive::<arrow::datatypes::Int64Type>();
                let pick = |col: usize| -> ArrayRef {
                    let m = marks.column(col).as_string::<i32>();
                    Arc::new(
                        (0..x.num_rows())
                            .map(|i| by_position.get(&pos.value(i)).and_then(|&k| m.is_valid(k).then(|| m.value(k))))
                            .collect::<StringArray>(),
                    )
                };
                let schema = x.schema();
                let mut cols: Vec<(&str, ArrayRef)> =
                    schema.fields().iter().map(|f| f.name().as_str()).zip(x.columns().iter().cloned()).collect();
                cols.push((ARTICLE_ID_COLUMN, pick(2)));
                cols.push((DUPLICATE_OF_COLUMN, pick(3)));
                let marked = RecordBatch::try_from_iter(cols).unwrap();
                extract(read_batch(&marked, &settings.config).unwrap(), &settings, rule.as_ref()).unwrap()
            })
            .collect();
        let articles: Vec<RecordBatch> = outs.iter().map(|o| table(o, "articles")).collect();
        assert_eq!(arrow::compute::concat_batches(&ArticleRows::schema(), &articles).unwrap(), table(&whole, "articles"));
        let parts: Vec<RecordBatch> = outs.iter().map(|o| table(o, "entity_parts")).collect();
        let merged = merge_entities(&parts, &settings).unwrap();
        assert_eq!(merged, table(&whole, "entities"));
        let mentions: usize = outs.iter().map(|o| table(o, "mentions").num_rows()).sum();
        assert_eq!(mentions, table(&whole, "mentions").num_rows());
    }
}
