//! Stage order, freshness and the run itself. A stage's fingerprint hashes the program
//! version and build id (a hash of the sources, models and lexicons), its config section and its upstream's fingerprint (for `load`: the inputs
//! with sizes and modification times). A stage is fresh when its artifact's manifest
//! holds the fingerprint the current config gives. `run` runs stale stages (or the ones
//! asked for), then writes the tables and the run manifest.

use crate::config::Settings;
use crate::error::Error;
use crate::ids;
use crate::io::expand_inputs;
use crate::output::{self, InputFile, RunManifest, StageSummary};
use crate::stages::{self, StageContext, StageName};
use crate::tables::artifact::{read_manifest, StageManifest};
use indicatif::{MultiProgress, ProgressDrawTarget};
use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::time::Instant;

/// Bumped when a stage's logic changes its output for the same config, so artifacts
/// written by an older program are stale.
pub const PROGRAM_VERSION: &str = env!("CARGO_PKG_VERSION");
/// A hash of the sources and embedded data this binary was built from (see `build.rs`):
/// a new model or lexicon makes the stages stale though the version is unchanged.
pub const BUILD_ID: &str = env!("NEWSGRID_BUILD_ID");

/// What the user asked `run` to do.
#[derive(Clone, Debug, Default)]
pub struct RunRequest {
    pub stages: Vec<StageName>,
    pub from: Option<StageName>,
    pub force: bool,
    pub quiet: bool,
    pub shard: Option<(u64, u64)>,
}

/// How a run ended, for the exit code.
#[derive(Clone, Debug)]
pub struct RunOutcome {
    pub manifest: RunManifest,
    pub reject_ratio_exceeded: bool,
    pub summary: String,
}

fn hash_json(parts: &[serde_json::Value]) -> String {
    let text = serde_json::to_string(parts).unwrap_or_default();
    ids::hex(xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
}

fn section(settings: &Settings, stage: StageName) -> serde_json::Value {
    let c = &settings.config;
    let v = match stage {
        StageName::Load => serde_json::json!({
            "input": { "format": c.input.format, "fields": c.input.fields },
            "load": c.load,
            "limits": [
                c.limits.max_line_bytes,
                c.limits.max_record_decompressed_bytes,
                c.limits.max_file_decompressed_bytes,
                c.limits.max_compression_ratio,
            ],
            "chunk_articles": c.run.chunk_articles,
            "chunk_bytes": c.run.chunk_bytes,
        }),
        StageName::Clean => {
            serde_json::json!({ "clean": c.clean, "html_limits": [c.limits.html_max_depth, c.limits.html_max_nodes] })
        }
        StageName::Extract => {
            let model = settings.ner_model.as_ref().map(|p| {
                let meta = std::fs::metadata(p).ok();
                serde_json::json!({
                    "path": p.display().to_string(),
                    "bytes": meta.as_ref().map(|m| m.len()),
                    "modified": meta.and_then(|m| m.modified().ok()).and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_nanos() as u64),
                })
            });
            let limits =
                [c.limits.max_sentence_tokens, c.limits.max_span_bytes, c.limits.max_rows_per_sentence, c.limits.max_rows_per_article];
            serde_json::json!({ "extract": c.extract, "model": model, "limits": limits })
        }
        StageName::Normalize => serde_json::json!({ "normalize": c.normalize }),
    };
    v
}

/// Fingerprint of the input files: paths, sizes and modification times.
fn inputs_fingerprint(settings: &Settings) -> Result<(serde_json::Value, Vec<InputFile>), Error> {
    let files =
        expand_inputs(&settings.inputs).map_err(|e| Error::Stage { stage: "load".into(), detail: format!("listing inputs: {e}") })?;
    let mut listed = Vec::new();
    let mut fp = Vec::new();
    for f in files {
        let meta = std::fs::metadata(&f).map_err(|e| Error::io(&f, e))?;
        let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_nanos() as u64);
        fp.push(serde_json::json!([f.display().to_string(), meta.len(), modified]));
        listed.push(InputFile { path: f.display().to_string(), bytes: meta.len() });
    }
    Ok((serde_json::Value::Array(fp), listed))
}

/// Fingerprint of `stage` given its upstream's fingerprint (or the inputs for load).
fn fingerprint(settings: &Settings, stage: StageName, upstream: &str, shard: Option<(u64, u64)>) -> String {
    let shard = if stage == StageName::Clean { serde_json::json!(shard) } else { serde_json::Value::Null };
    hash_json(&[
        serde_json::json!(PROGRAM_VERSION),
        serde_json::json!(BUILD_ID),
        serde_json::json!(stage.as_str()),
        section(settings, stage),
        serde_json::json!(upstream),
        shard,
    ])
}

/// The fingerprint each stage would have if the whole pipeline ran now.
fn expected_fingerprints(settings: &Settings, shard: Option<(u64, u64)>) -> Result<(BTreeMap<StageName, String>, Vec<InputFile>), Error> {
    let (inputs, listed) = inputs_fingerprint(settings)?;
    let mut out = BTreeMap::new();
    let mut upstream = hash_json(&[inputs]);
    for stage in StageName::ALL {
        let fp = fingerprint(settings, stage, &upstream, shard);
        out.insert(stage, fp.clone());
        upstream = fp;
    }
    Ok((out, listed))
}

/// Freshness of one stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    Fresh,
    Stale,
    Missing,
}

impl Freshness {
    pub fn as_str(self) -> &'static str {
        match self {
            Freshness::Fresh => "fresh",
            Freshness::Stale => "stale",
            Freshness::Missing => "missing",
        }
    }
}

/// Each stage's state, for `newsgrid status`.
pub fn status(settings: &Settings) -> Result<String, Error> {
    let (expected, _) = expected_fingerprints(settings, None)?;
    let mut out = format!("{:<10} {:<8} {:>10} {:<21} {}\n", "stage", "state", "rows", "written", "fingerprint");
    for stage in StageName::ALL {
        let m = read_manifest(&settings.work_dir.join(stage.as_str()));
        let state = match &m {
            None => Freshness::Missing,
            Some(m) if m.fingerprint == expected[&stage] => Freshness::Fresh,
            Some(_) => Freshness::Stale,
        };
        let (rows, when, fp) = match &m {
            Some(m) => (
                m.rows.iter().filter(|(t, _)| t.as_str() != "rejects").map(|(_, n)| n).max().copied().unwrap_or(0).to_string(),
                m.finished_at.clone(),
                m.fingerprint.get(..16).unwrap_or(&m.fingerprint).to_string(),
            ),
            None => ("-".into(), "-".into(), "-".into()),
        };
        out.push_str(&format!("{:<10} {:<8} {:>10} {:<21} {}\n", stage.as_str(), state.as_str(), rows, when, fp));
    }
    Ok(out)
}

/// Run the pipeline.
pub fn run(settings: &Settings, req: &RunRequest) -> Result<RunOutcome, Error> {
    let started = Instant::now();
    let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let work = settings.work_dir.clone();
    std::fs::create_dir_all(&work).map_err(|e| Error::io(&work, e))?;
    let (expected, input_files) = expected_fingerprints(settings, req.shard)?;

    let show_progress = !req.quiet && std::io::stderr().is_terminal();
    let progress = MultiProgress::with_draw_target(if show_progress { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() });
    let ctx = StageContext { settings, work_dir: work.clone(), progress: &progress, show_progress, shard: req.shard };

    // Which stages run.
    let mut on_disk: BTreeMap<StageName, StageManifest> = BTreeMap::new();
    for s in StageName::ALL {
        if let Some(m) = read_manifest(&work.join(s.as_str())) {
            on_disk.insert(s, m);
        }
    }
    let selected: BTreeSet<StageName> = if !req.stages.is_empty() {
        req.stages.iter().copied().collect()
    } else if let Some(from) = req.from {
        StageName::ALL.iter().copied().filter(|s| *s >= from).collect()
    } else if req.force {
        StageName::ALL.iter().copied().collect()
    } else {
        match StageName::ALL.iter().position(|s| on_disk.get(s).map(|m| &m.fingerprint) != Some(&expected[s])) {
            Some(first) => StageName::ALL[first..].iter().copied().collect(),
            None => BTreeSet::new(),
        }
    };

    let mut manifests: BTreeMap<String, StageManifest> = BTreeMap::new();
    let mut ran: BTreeSet<StageName> = BTreeSet::new();
    let mut cpu: BTreeMap<StageName, f64> = BTreeMap::new();
    for stage in StageName::ALL {
        if selected.contains(&stage) {
            let upstream = match stage.upstream() {
                None => None,
                Some(up) => Some(manifests.get(up.as_str()).cloned().ok_or_else(|| {
                    Error::Usage(format!(
                        "stage {} needs the saved output of {}, and there is none in {}; run `newsgrid run --from {}` first",
                        stage.as_str(),
                        up.as_str(),
                        work.display(),
                        up.as_str()
                    ))
                })?),
            };
            let fp = match &upstream {
                None => expected[&StageName::Load].clone(),
                Some(u) => fingerprint(settings, stage, &u.fingerprint, req.shard),
            };
            if let (Some(up), Some(u)) = (stage.upstream(), &upstream) {
                if !ran.contains(&up) && u.fingerprint != expected[&up] {
                    tracing::warn!(
                        "{} runs on a stale {} artifact (its config or inputs changed); use --from {} to refresh it",
                        stage.as_str(),
                        up.as_str(),
                        up.as_str()
                    );
                }
            }
            let cpu_before = stages::process_cpu_seconds();
            let m = match (stage, &upstream) {
                (StageName::Load, _) => stages::load::run(&ctx, &fp)?,
                (StageName::Clean, Some(u)) => stages::clean::run(&ctx, &fp, u)?,
                (StageName::Extract, Some(u)) => stages::extract::run(&ctx, &fp, u)?,
                (StageName::Normalize, Some(u)) => stages::normalize::run(&ctx, &fp, u)?,
                (_, None) => unreachable!("every stage after load has an upstream"),
            };
            ran.insert(stage);
            cpu.insert(stage, cpu_since(cpu_before));
            manifests.insert(stage.as_str().to_string(), m);
        } else if let Some(m) = on_disk.get(&stage) {
            manifests.insert(stage.as_str().to_string(), m.clone());
        }
    }
    for s in StageName::ALL {
        if !manifests.contains_key(s.as_str()) {
            return Err(Error::Usage(format!(
                "stage {} has no saved output in {}; run `newsgrid run` (or --from {}) first",
                s.as_str(),
                work.display(),
                s.as_str()
            )));
        }
    }

    // Tables.
    // Tables: rewritten unless every stage was fresh and the output already holds exactly
    // these stages' results in the selected formats.
    let formats: Vec<String> = settings.formats.iter().map(|f| f.extension().to_string()).collect();
    let previous = output::read_manifest(&settings.out_dir).filter(|p| {
        ran.is_empty()
            && p.formats == formats
            && StageName::ALL.iter().all(|s| p.stages.get(s.as_str()).map(|x| &x.fingerprint) == Some(&manifests[s.as_str()].fingerprint))
            && output::tables_exist(&settings.out_dir, &settings.formats)
    });
    let write_started = Instant::now();
    let write_cpu_before = stages::process_cpu_seconds();
    let load_records = manifests["load"].counters.get("records_seen").copied().unwrap_or(0);
    let other_shard_articles = manifests["clean"].counters.get("other_shard").copied().unwrap_or(0);
    let (tables, rejects_by_reason, tables_written, records_seen) = match previous {
        Some(p) => (p.tables, p.rejects_by_reason, false, p.records_seen),
        None => {
            let (t, r, rejects_elsewhere) = output::write_tables(settings, &work, &manifests, req.shard)?;
            (t, r, true, load_records.saturating_sub(other_shard_articles + rejects_elsewhere))
        }
    };
    let write_seconds = write_started.elapsed().as_secs_f64();
    let write_cpu_seconds = cpu_since(write_cpu_before);
    let total_rejects: u64 = rejects_by_reason.values().sum();
    let reject_ratio = if records_seen == 0 { 0.0 } else { total_rejects as f64 / records_seen as f64 };
    let stage_summaries: BTreeMap<String, StageSummary> = StageName::ALL
        .iter()
        .map(|s| {
            let m = &manifests[s.as_str()];
            (
                s.as_str().to_string(),
                StageSummary {
                    fingerprint: m.fingerprint.clone(),
                    ran: ran.contains(s),
                    seconds: m.seconds,
                    cpu_seconds: cpu.get(s).copied().unwrap_or(0.0),
                    rows: m.rows.clone(),
                    counters: m.counters.clone(),
                    timings: m.timings.clone(),
                },
            )
        })
        .collect();
    let config_fingerprint = hash_json(&[serde_json::to_value(&settings.config).unwrap_or_default()]);
    let manifest = RunManifest {
        run_id: ids::hex(ids::hash_parts(&[
            config_fingerprint.as_bytes(),
            manifests["normalize"].fingerprint.as_bytes(),
            started_at.as_bytes(),
        ])),
        program_version: PROGRAM_VERSION.to_string(),
        config_file: settings.config_path.as_ref().map(|p| p.display().to_string()),
        config_fingerprint,
        started_at,
        finished_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        threads: rayon::current_num_threads(),
        input_files,
        tables,
        formats,
        stages: stage_summaries,
        records_seen,
        rejects_by_reason,
        reject_ratio,
        max_reject_ratio: settings.config.run.max_reject_ratio,
        tables_written,
        write_seconds,
        write_cpu_seconds,
    };
    output::write_manifest(&settings.out_dir, &manifest)?;
    let summary = summarize(&manifest, settings, started.elapsed().as_secs_f64());
    Ok(RunOutcome { reject_ratio_exceeded: reject_ratio > settings.config.run.max_reject_ratio, manifest, summary })
}

/// Process CPU seconds since `before` (0 when either reading failed).
fn cpu_since(before: Option<f64>) -> f64 {
    match (before, stages::process_cpu_seconds()) {
        (Some(a), Some(b)) => (b - a).max(0.0),
        _ => 0.0,
    }
}

fn summarize(m: &RunManifest, settings: &Settings, seconds: f64) -> String {
    let mut s = String::new();
    let articles = m.tables.get("articles").copied().unwrap_or(0);
    let rejects = m.tables.get("rejects").copied().unwrap_or(0);
    s.push_str(&format!(
        "newsgrid {}: {} records seen, {} articles, {} rejected ({:.2}%), {:.2} s\n",
        m.program_version,
        m.records_seen,
        articles,
        rejects,
        m.reject_ratio * 100.0,
        seconds
    ));
    s.push_str("\nstage      status     seconds  rows\n");
    for stage in StageName::ALL {
        let st = &m.stages[stage.as_str()];
        let rows: Vec<String> = st.rows.iter().map(|(k, v)| format!("{k} {v}")).collect();
        s.push_str(&format!(
            "{:<10} {:<9} {:>8.2}  {}\n",
            stage.as_str(),
            if st.ran { "ran" } else { "fresh" },
            st.seconds,
            rows.join(", ")
        ));
    }
    s.push_str(&format!("{:<10} {:<9} {:>8.2}\n", "write", if m.tables_written { "ran" } else { "fresh" }, m.write_seconds));
    s.push_str("\ntable         rows\n");
    for t in crate::tables::schema::OUTPUT_TABLES {
        s.push_str(&format!("{:<12} {:>6}\n", t, m.tables.get(t).copied().unwrap_or(0)));
    }
    if !m.rejects_by_reason.is_empty() {
        let reasons: Vec<String> = m.rejects_by_reason.iter().map(|(k, v)| format!("{k} {v}")).collect();
        s.push_str(&format!("\nrejects by reason: {}\n", reasons.join(", ")));
    }
    if let Some(x) = m.stages.get("extract") {
        let skipped: Vec<String> = x.counters.iter().filter(|(k, _)| k.starts_with("skipped")).map(|(k, v)| format!("{k} {v}")).collect();
        if !skipped.is_empty() {
            s.push_str(&format!("extract: {}\n", skipped.join(", ")));
        }
    }
    s.push_str(&format!("\noutput: {} ({})\n", settings.out_dir.display(), m.formats.join(", ")));
    if m.reject_ratio > m.max_reject_ratio {
        s.push_str(&format!("warning: reject ratio {:.4} exceeds [run] max_reject_ratio {}\n", m.reject_ratio, m.max_reject_ratio));
    }
    s
}
