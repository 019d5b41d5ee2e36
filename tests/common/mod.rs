//! Shared test harness: a temp dir per test, a config writer, the binary runner and
//! table readers (Parquet via arrow, CSV via csv).

#![allow(dead_code)]

use arrow::array::{Array, Int64Array, StringArray};
use arrow::record_batch::RecordBatch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const TABLES: [&str; 6] = ["articles", "mentions", "entities", "events", "attributions", "rejects"];

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("tempdir") }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// Write `pipeline.toml` in the sandbox reading `inputs` with `extra` TOML appended
    /// (extra sections must not repeat [input]).
    pub fn config(&self, inputs: &[&Path], extra: &str) -> PathBuf {
        let paths: Vec<String> = inputs.iter().map(|p| format!("{:?}", p.display().to_string())).collect();
        self.write("pipeline.toml", format!("[input]\npaths = [{}]\n\n[run]\nmax_reject_ratio = 0.5\n{extra}", paths.join(", ")))
    }

    /// Run the binary in the sandbox.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_newsgrid")).args(args).current_dir(self.dir.path()).output().expect("run newsgrid")
    }

    /// Run and require exit code 0.
    pub fn run_ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "newsgrid {args:?} failed ({:?}):\nstdout:\n{}\nstderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

pub fn sample_inputs() -> Vec<PathBuf> {
    vec![repo().join("data/sample/articles.jsonl"), repo().join("data/sample/more.csv")]
}

pub fn read_parquet(path: &Path) -> Vec<RecordBatch> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    reader.map(|b| b.unwrap()).collect()
}

pub fn parquet_rows(path: &Path) -> usize {
    read_parquet(path).iter().map(|b| b.num_rows()).sum()
}

pub fn csv_rows(path: &Path) -> usize {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    rdr.records().inspect(|r| assert!(r.is_ok(), "{r:?}")).count()
}

/// A string column of a table, nulls as None.
pub fn strings(batches: &[RecordBatch], col: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for b in batches {
        let a = b.column(b.schema().index_of(col).unwrap()).as_any().downcast_ref::<StringArray>().unwrap().clone();
        for i in 0..a.len() {
            out.push((!a.is_null(i)).then(|| a.value(i).to_string()));
        }
    }
    out
}

pub fn ints(batches: &[RecordBatch], col: &str) -> Vec<Option<i64>> {
    let mut out = Vec::new();
    for b in batches {
        let a = b.column(b.schema().index_of(col).unwrap()).as_any().downcast_ref::<Int64Array>().unwrap().clone();
        for i in 0..a.len() {
            out.push((!a.is_null(i)).then(|| a.value(i)));
        }
    }
    out
}

/// Every file in a folder with its bytes, sorted by name.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

/// Files and modification times in a folder.
pub fn mtimes(dir: &Path) -> Vec<(String, std::time::SystemTime)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().modified().unwrap()))
        .collect();
    out.sort();
    out
}

/// Assert that `s` lies inside `text`, on char boundaries.
pub fn assert_span_inside(text: &str, s: newsgrid::nlp::Span, what: &str) {
    assert!(s.start <= s.end && (s.end as usize) <= text.len(), "{what} {s:?} outside {text:?}");
    assert!(text.is_char_boundary(s.start as usize) && text.is_char_boundary(s.end as usize), "{what} {s:?} splits a char in {text:?}");
}

/// Run the tagger, the event and the attribution extractors on `doc` (of `text`) and
/// assert that every span they give lies inside the text.
pub fn assert_extracted_spans_inside(text: &str, doc: &newsgrid::nlp::Doc, x: &newsgrid::stages::extract::Extractors) {
    let mentions = x.ner.tag(doc);
    for m in &mentions {
        assert_span_inside(text, m.span, "mention");
    }
    for e in x.events.extract(doc, &mentions) {
        assert_span_inside(text, e.trigger, "trigger");
        for s in [e.actor, e.recipient, e.location, e.date].into_iter().flatten() {
            assert_span_inside(text, s, "event part");
        }
    }
    for a in x.attributions.extract(doc, &mentions) {
        assert_span_inside(text, a.cue, "cue");
        assert_span_inside(text, a.content, "content");
        if let Some(s) = a.source {
            assert_span_inside(text, s, "source");
        }
    }
}

/// xorshift64*: a deterministic generator for property tests, no dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Assert that every id column of the output tables in `out` is unique: articles,
/// mentions, entities, events and attributions by their id; rejects (which have no id)
/// by (input_file, input_position, stage). Returns the rows checked per table.
pub fn assert_ids_unique(out: &Path) -> Vec<(&'static str, usize)> {
    let mut checked = Vec::new();
    for (table, col) in [
        ("articles", "article_id"),
        ("mentions", "mention_id"),
        ("entities", "entity_id"),
        ("events", "event_id"),
        ("attributions", "attribution_id"),
    ] {
        let ids: Vec<Option<String>> = strings(&read_parquet(&out.join(format!("{table}.parquet"))), col);
        let mut seen = std::collections::HashSet::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let id = id.as_deref().unwrap_or_else(|| panic!("{table} row {i}: null {col}"));
            assert!(seen.insert(id.to_string()), "{table}.{col} {id} repeats (row {i})");
        }
        checked.push((table, ids.len()));
    }
    let rj = read_parquet(&out.join("rejects.parquet"));
    let (files, positions, stages) = (strings(&rj, "input_file"), ints(&rj, "input_position"), strings(&rj, "stage"));
    let mut seen = std::collections::HashSet::new();
    for i in 0..files.len() {
        let key = (files[i].clone(), positions[i], stages[i].clone());
        assert!(seen.insert(key.clone()), "rejects: {key:?} repeats");
    }
    checked.push(("rejects", files.len()));
    checked
}
