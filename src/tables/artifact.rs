//! Stage artifacts under the work directory: one Arrow IPC file per table per chunk
//! (`<table>-<chunk>.arrow`) and `_stage.json`, written last. A stage is written into
//! `<stage>.tmp/` and the folder is renamed when complete, so a killed run never leaves
//! a stage that looks fresh.

use super::schema::Table;
use crate::error::Error;
use arrow::ipc::reader::FileReader;
use arrow::ipc::writer::{FileWriter, IpcWriteOptions};
use arrow::record_batch::RecordBatch;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

/// The manifest of one stage's artifact (`_stage.json`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct StageManifest {
    pub stage: String,
    pub fingerprint: String,
    pub upstream_fingerprint: Option<String>,
    pub program_version: String,
    pub chunks: u64,
    /// Rows per table in this artifact.
    pub rows: BTreeMap<String, u64>,
    /// Free counters (skipped articles, records seen...).
    pub counters: BTreeMap<String, u64>,
    pub seconds: f64,
    /// Seconds per step summed over the threads (extract: per extractor); absent in
    /// older manifests.
    #[serde(default)]
    pub timings: BTreeMap<String, f64>,
    pub finished_at: String,
}

pub const MANIFEST_FILE: &str = "_stage.json";

/// Read a stage's manifest; None when the stage has no complete artifact.
pub fn read_manifest(stage_dir: &Path) -> Option<StageManifest> {
    let bytes = std::fs::read(stage_dir.join(MANIFEST_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

pub fn part_path(dir: &Path, table: &str, chunk: u64) -> PathBuf {
    dir.join(format!("{table}-{chunk:06}.arrow"))
}

/// Write one chunk of one table as an Arrow IPC file (LZ4-compressed buffers: fast to
/// write and read back): one batch, or more when the strings would pass Arrow's 2 GiB
/// offsets.
pub fn write_part(dir: &Path, table: &str, chunk: u64, batches: &[RecordBatch]) -> Result<(), Error> {
    let Some(first) = batches.first() else {
        return Ok(());
    };
    let path = part_path(dir, table, chunk);
    let file = BufWriter::with_capacity(1 << 20, File::create(&path).map_err(|e| Error::io(&path, e))?);
    let options = IpcWriteOptions::default()
        .try_with_compression(Some(arrow::ipc::CompressionType::LZ4_FRAME))
        .map_err(|e| Error::Arrow(e.to_string()))?;
    let mut w =
        FileWriter::try_new_with_options(file, &first.schema(), options).map_err(|e| Error::Arrow(format!("{}: {e}", path.display())))?;
    for batch in batches {
        w.write(batch).map_err(|e| Error::Arrow(format!("{}: {e}", path.display())))?;
    }
    w.finish().map_err(|e| Error::Arrow(format!("{}: {e}", path.display())))?;
    Ok(())
}

/// Read one chunk of one table back as rows. A missing part reads as no rows.
pub fn read_part<T: Table>(dir: &Path, chunk: u64) -> Result<Vec<T::Row>, Error> {
    let path = part_path(dir, T::NAME, chunk);
    let batches = read_batches(&path)?;
    let mut rows = Vec::new();
    for b in &batches {
        rows.extend(T::read(b).map_err(|e| Error::Arrow(format!("{}: {e}", path.display())))?);
    }
    Ok(rows)
}

/// Read the batches of one part file; a missing file reads as none.
pub fn read_batches(path: &Path) -> Result<Vec<RecordBatch>, Error> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let reader = FileReader::try_new(BufReader::new(file), None).map_err(|e| Error::Arrow(format!("{}: {e}", path.display())))?;
    reader.collect::<Result<Vec<_>, _>>().map_err(|e| Error::Arrow(format!("{}: {e}", path.display())))
}

/// A part waiting for the background writer.
struct PartJob {
    table: &'static str,
    chunk: u64,
    batches: Vec<RecordBatch>,
}

/// A stage artifact being written into `<work>/<stage>.tmp/`. Parts are encoded (IPC,
/// LZ4) and written by a background thread, so the stage's workers go on with the next
/// chunk meanwhile; at most two finished batches wait in between.
pub struct StageWriter {
    pub tmp_dir: PathBuf,
    pub final_dir: PathBuf,
    jobs: Option<std::sync::mpsc::SyncSender<PartJob>>,
    thread: std::sync::Mutex<Option<std::thread::JoinHandle<Result<(), Error>>>>,
}

impl StageWriter {
    pub fn create(work: &Path, stage: &str) -> Result<StageWriter, Error> {
        let final_dir = work.join(stage);
        let tmp_dir = work.join(format!("{stage}.tmp"));
        if tmp_dir.exists() {
            std::fs::remove_dir_all(&tmp_dir).map_err(|e| Error::io(&tmp_dir, e))?;
        }
        std::fs::create_dir_all(&tmp_dir).map_err(|e| Error::io(&tmp_dir, e))?;
        let (tx, rx) = std::sync::mpsc::sync_channel::<PartJob>(2);
        let dir = tmp_dir.clone();
        let thread = std::thread::Builder::new()
            .name(format!("{stage}-writer"))
            .spawn(move || {
                for job in rx {
                    // On error, stop: the sender sees the closed channel and asks for the error.
                    write_part(&dir, job.table, job.chunk, &job.batches)?;
                }
                Ok(())
            })
            .map_err(|e| Error::io(&tmp_dir, e))?;
        Ok(StageWriter { tmp_dir, final_dir, jobs: Some(tx), thread: std::sync::Mutex::new(Some(thread)) })
    }

    /// Finish the builder's rows into one part of its table (written in the background).
    /// Returns the rows written.
    pub fn write<T: Table>(&self, chunk: u64, builder: &mut T) -> Result<u64, Error> {
        let n = builder.len() as u64;
        let batches = builder.finish().map_err(|e| Error::Arrow(format!("{}: {e}", T::NAME)))?;
        let sent = self.jobs.as_ref().is_some_and(|tx| tx.send(PartJob { table: T::NAME, chunk, batches }).is_ok());
        if !sent {
            // The writer stopped on an error: report it.
            self.join()?;
            return Err(Error::Stage { stage: "artifact".into(), detail: format!("part writer for {} stopped", self.tmp_dir.display()) });
        }
        Ok(n)
    }

    /// Wait for every part to be on disk; the first write error, if any.
    fn drain(&mut self) -> Result<(), Error> {
        self.jobs = None;
        self.join()
    }

    fn join(&self) -> Result<(), Error> {
        let thread = self.thread.lock().map_or(None, |mut t| t.take());
        match thread {
            Some(t) => t.join().map_err(|_| Error::Stage { stage: "artifact".into(), detail: "part writer panicked".into() })?,
            None => Ok(()),
        }
    }

    /// Write the manifest last, then swap the folder into place.
    pub fn commit(mut self, manifest: &StageManifest) -> Result<(), Error> {
        self.drain()?;
        let json = serde_json::to_vec_pretty(manifest).map_err(|e| Error::Arrow(e.to_string()))?;
        super::write::write_atomic(&self.tmp_dir.join(MANIFEST_FILE), &json)?;
        if self.final_dir.exists() {
            std::fs::remove_dir_all(&self.final_dir).map_err(|e| Error::io(&self.final_dir, e))?;
        }
        std::fs::rename(&self.tmp_dir, &self.final_dir).map_err(|e| Error::io(&self.final_dir, e))
    }
}

impl Drop for StageWriter {
    fn drop(&mut self) {
        // A stage that failed leaves its `.tmp` folder; still wait for the writer thread.
        let _ = self.drain();
    }
}
