//! The output folder: the six tables in every selected format, streamed part by part
//! from the stage artifacts, and `manifest.json`. Each file is written aside and renamed
//! into place; the manifest goes last.

use crate::config::Settings;
use crate::error::Error;
use crate::tables::artifact::{part_path, read_batches, StageManifest};
use crate::tables::schema::{ArticleRows, AttributionRows, EntityRows, EventRows, MentionRows, RejectRows, Table};
use crate::tables::write::{write_atomic, TableWriter};
use arrow::array::{Array, StringArray};
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where one output table's rows come from: parts of stage artifacts, in order.
struct TableSource {
    name: &'static str,
    schema: SchemaRef,
    /// (stage folder, table name in the artifact, number of parts)
    parts: Vec<(PathBuf, &'static str, u64)>,
}

/// `--shard K/N` for the rejects of load and clean, which are not articles: a reject
/// belongs to the shard its (input file, position) hashes to, so the shards' rejects
/// tables add up to the unsharded one. (K is 0-based here.)
#[derive(Clone, Copy)]
struct RejectShard {
    shard: u64,
    of: u64,
}

impl RejectShard {
    /// The batch's rows of this shard, and how many rows belonged to other shards.
    fn keep(&self, batch: &RecordBatch) -> Result<(RecordBatch, u64), Error> {
        let err = |d: String| Error::Stage { stage: "write".into(), detail: d };
        let file = batch.column_by_name("input_file").and_then(|c| c.as_any().downcast_ref::<StringArray>());
        let pos = batch.column_by_name("input_position").and_then(|c| c.as_any().downcast_ref::<arrow::array::Int64Array>());
        let (Some(file), Some(pos)) = (file, pos) else {
            return Err(err("rejects artifact without input_file/input_position".into()));
        };
        let mask: arrow::array::BooleanArray =
            (0..batch.num_rows()).map(|i| Some(crate::ids::reject_shard(file.value(i), pos.value(i), self.of) == self.shard)).collect();
        let kept = arrow::compute::filter_record_batch(batch, &mask).map_err(|e| err(e.to_string()))?;
        let dropped = (batch.num_rows() - kept.num_rows()) as u64;
        Ok((kept, dropped))
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InputFile {
    pub path: String,
    pub bytes: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StageSummary {
    pub fingerprint: String,
    pub ran: bool,
    pub seconds: f64,
    /// CPU seconds of the whole process (all threads) while the stage ran; 0 when it was
    /// fresh or the platform has no `/proc/self/stat`.
    #[serde(default)]
    pub cpu_seconds: f64,
    pub rows: BTreeMap<String, u64>,
    pub counters: BTreeMap<String, u64>,
    /// Seconds per step summed over threads (extract: per extractor).
    #[serde(default)]
    pub timings: BTreeMap<String, f64>,
}

/// `<out>/manifest.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunManifest {
    pub run_id: String,
    pub program_version: String,
    pub config_file: Option<String>,
    pub config_fingerprint: String,
    pub started_at: String,
    pub finished_at: String,
    pub threads: usize,
    pub input_files: Vec<InputFile>,
    pub tables: BTreeMap<String, u64>,
    pub formats: Vec<String>,
    pub stages: BTreeMap<String, StageSummary>,
    pub records_seen: u64,
    pub rejects_by_reason: BTreeMap<String, u64>,
    pub reject_ratio: f64,
    pub max_reject_ratio: f64,
    /// False when every stage was fresh and the tables on disk already held its output.
    pub tables_written: bool,
    pub write_seconds: f64,
    /// CPU seconds (all threads) of writing the tables.
    #[serde(default)]
    pub write_cpu_seconds: f64,
}

/// The manifest of the last run in `out`, if readable.
pub fn read_manifest(out: &Path) -> Option<RunManifest> {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).ok()?).ok()
}

/// True when `out` holds every table in every format.
pub fn tables_exist(out: &Path, formats: &[crate::tables::write::Format]) -> bool {
    crate::tables::schema::OUTPUT_TABLES.iter().all(|t| formats.iter().all(|f| out.join(format!("{t}.{}", f.extension())).is_file()))
}

/// Rows written per table.
pub type TableRows = BTreeMap<String, u64>;
/// Rejects counted by reason code.
pub type RejectCounts = BTreeMap<String, u64>;

/// Write every output table from the stage artifacts. Returns rows per table and the
/// rejects counted by reason.
/// Rejects of load and clean that belong to other shards are not written; their number
/// comes back third.
pub fn write_tables(
    settings: &Settings,
    work: &Path,
    stages: &BTreeMap<String, StageManifest>,
    shard: Option<(u64, u64)>,
) -> Result<(TableRows, RejectCounts, u64), Error> {
    let shard = shard.map(|(shard, of)| RejectShard { shard, of });
    let out = &settings.out_dir;
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    remove_stale_temp_files(out)?;
    let chunks = |s: &str| stages.get(s).map(|m| m.chunks).unwrap_or(0);
    let dir = |s: &str| work.join(s);
    let entity_parts = stages.get("normalize").and_then(|m| m.counters.get("entity_parts").copied()).unwrap_or(0);
    let sources = [
        TableSource { name: "articles", schema: ArticleRows::schema(), parts: vec![(dir("clean"), "articles", chunks("clean"))] },
        TableSource { name: "mentions", schema: MentionRows::schema(), parts: vec![(dir("normalize"), "mentions", chunks("normalize"))] },
        TableSource { name: "entities", schema: EntityRows::schema(), parts: vec![(dir("normalize"), "entities", entity_parts)] },
        TableSource { name: "events", schema: EventRows::schema(), parts: vec![(dir("normalize"), "events", chunks("normalize"))] },
        TableSource {
            name: "attributions",
            schema: AttributionRows::schema(),
            parts: vec![(dir("normalize"), "attributions", chunks("normalize"))],
        },
        TableSource {
            name: "rejects",
            schema: RejectRows::schema(),
            parts: vec![
                (dir("load"), "rejects", chunks("load")),
                (dir("clean"), "rejects", chunks("clean")),
                (dir("extract"), "rejects", chunks("extract")),
                (dir("normalize"), "rejects", chunks("normalize")),
            ],
        },
    ];
    // Every (table, format) file is independent: write them side by side on the worker
    // threads, one file per task so idle threads steal the rest (the articles table, with
    // the texts, is the long pole; its Parquet and CSV files are written in parallel).
    let tasks: Vec<(&TableSource, crate::tables::write::Format, bool)> =
        sources.iter().flat_map(|s| settings.formats.iter().enumerate().map(move |(i, &f)| (s, f, i == 0))).collect();
    let results: Vec<Result<(u64, RejectCounts, u64), Error>> =
        tasks.par_iter().with_max_len(1).map(|&(source, format, first)| write_table(source, out, format, first, shard)).collect();
    let mut rows = BTreeMap::new();
    let mut reasons = RejectCounts::new();
    let mut elsewhere = 0;
    for (&(source, _, first), result) in tasks.iter().zip(results) {
        let (n, r, other) = result?;
        if first {
            rows.insert(source.name.to_string(), n);
            for (k, v) in r {
                *reasons.entry(k).or_default() += v;
            }
            elsewhere += other;
        }
    }
    Ok((rows, reasons, elsewhere))
}

/// Stream one table's parts from the stage artifacts into its output file in one format;
/// rejects are counted by reason when `count` is set.
fn write_table(
    source: &TableSource,
    out: &Path,
    format: crate::tables::write::Format,
    count: bool,
    shard: Option<RejectShard>,
) -> Result<(u64, RejectCounts, u64), Error> {
    let mut reasons = RejectCounts::new();
    let mut elsewhere = 0;
    let mut writer = TableWriter::create(out, source.name, source.schema.clone(), &[format])?;
    for (stage_dir, table, parts) in &source.parts {
        for k in 0..*parts {
            for batch in read_batches(&part_path(stage_dir, table, k))? {
                if batch.schema().fields() != source.schema.fields() {
                    return Err(Error::Stage {
                        stage: "write".into(),
                        detail: format!(
                            "{}: artifact schema differs from the {} table; rerun with --force",
                            stage_dir.display(),
                            source.name
                        ),
                    });
                }
                let batch = match shard {
                    // Rejects of extract and normalize are of articles, already in this shard.
                    Some(sh)
                        if source.name == "rejects"
                            && *table == "rejects"
                            && !stage_dir.ends_with("extract")
                            && !stage_dir.ends_with("normalize") =>
                    {
                        let (kept, dropped) = sh.keep(&batch)?;
                        elsewhere += dropped;
                        kept
                    }
                    _ => batch,
                };
                if count && source.name == "rejects" {
                    count_reasons(&batch, &mut reasons);
                }
                writer.write(&batch)?;
            }
        }
    }
    Ok((writer.finish()?, reasons, elsewhere))
}

/// A killed run can leave `*.tmp` files beside the tables; they are never read, and are
/// removed before the next write.
fn remove_stale_temp_files(out: &Path) -> Result<(), Error> {
    for entry in std::fs::read_dir(out).map_err(|e| Error::io(out, e))?.flatten() {
        if entry.file_name().to_string_lossy().ends_with(".tmp") {
            let p = entry.path();
            std::fs::remove_file(&p).map_err(|e| Error::io(&p, e))?;
        }
    }
    Ok(())
}

fn count_reasons(batch: &arrow::record_batch::RecordBatch, reasons: &mut BTreeMap<String, u64>) {
    let Ok(i) = batch.schema().index_of("reason") else { return };
    if let Some(col) = batch.column(i).as_any().downcast_ref::<StringArray>() {
        for k in 0..col.len() {
            *reasons.entry(col.value(k).to_string()).or_default() += 1;
        }
    }
}

pub fn write_manifest(out: &Path, manifest: &RunManifest) -> Result<(), Error> {
    let mut json = serde_json::to_vec_pretty(manifest).map_err(|e| Error::Arrow(e.to_string()))?;
    json.push(b'\n');
    write_atomic(&out.join("manifest.json"), &json)
}
