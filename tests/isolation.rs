//! Issue #12: no input can crash a run. A record whose processing panics in any stage
//! becomes an `internal_error` reject and the run goes on; ids are unique in every
//! table; a soak over real modern news (when `../shared` is present) exits 0 with every
//! record accounted for.

mod common;

use common::*;
use std::process::Command;

fn manifest(out: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

/// Three articles, the second holding the marker the injected panic looks for.
fn dump(sb: &Sandbox) {
    let mut s = String::new();
    for (i, text) in [
        "Kenyan President William Ruto met Tanzanian President Samia Suluhu Hassan in Nairobi on Monday, the presidency said.",
        "PANIC-HERE Protesters marched through Lima on Tuesday, demanding new elections, police said.",
        "\"We will not accept any delay,\" Ruto told reporters in Nairobi after the talks on Monday.",
    ]
    .iter()
    .enumerate()
    {
        s.push_str(&serde_json::json!({ "id": format!("iso{i}"), "text": text }).to_string());
        s.push('\n');
    }
    sb.write("dump.jsonl", s);
}

#[test]
fn a_panic_in_any_stage_is_an_internal_error_reject_and_the_run_goes_on() {
    for stage in ["load", "clean", "extract", "normalize"] {
        let sb = Sandbox::new();
        dump(&sb);
        sb.config(&[std::path::Path::new("dump.jsonl")], "");
        let out = Command::new(env!("CARGO_BIN_EXE_newsgrid"))
            .args(["run", "-q"])
            .env("NEWSGRID_TEST_PANIC", format!("{stage}:PANIC-HERE"))
            .current_dir(sb.dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // 1 reject of 3 records is above the 0.5 ratio only for load and clean.
        assert!(matches!(out.status.code(), Some(0 | 1)), "{stage}: {:?}\n{stderr}", out.status);
        assert!(!stderr.contains("RUST_BACKTRACE") && !stderr.contains("stack backtrace"), "{stage}: backtrace spam:\n{stderr}");
        assert_eq!(stderr.matches("internal_error").count(), 1, "{stage}: one warning line:\n{stderr}");
        let m = manifest(&sb.path("out"));
        assert_eq!(m["rejects_by_reason"]["internal_error"].as_u64(), Some(1), "{stage}: {m}");
        assert_eq!(m["stages"][stage]["counters"]["rejects.internal_error"].as_u64(), Some(1), "{stage}: {m}");
        let rj = read_parquet(&sb.path("out/rejects.parquet"));
        assert_eq!(strings(&rj, "stage"), vec![Some(stage.to_string())]);
        assert_eq!(ints(&rj, "input_position"), vec![Some(2)]);
        let detail = strings(&rj, "detail")[0].clone().unwrap();
        assert!(detail.contains("NEWSGRID_TEST_PANIC"), "{detail}");
        // Load and clean rejects are records that are no article; extract and normalize
        // rejects are of articles that stay. Either way every record is accounted for.
        let articles = m["tables"]["articles"].as_u64().unwrap();
        let before_articles = matches!(stage, "load" | "clean") as u64;
        assert_eq!(articles, 3 - before_articles, "{stage}");
        assert_eq!(m["records_seen"].as_u64(), Some(3), "{stage}");
        // The other articles were extracted.
        assert!(m["tables"]["mentions"].as_u64().unwrap() >= 4, "{stage}: {m}");
        assert_ids_unique(&sb.path("out"));
    }
}

#[test]
fn ids_are_unique_in_every_table_of_the_sample_run() {
    let sb = Sandbox::new();
    let inputs = sample_inputs();
    let refs: Vec<&std::path::Path> = inputs.iter().map(|p| p.as_path()).collect();
    sb.config(&refs, "");
    sb.run_ok(&["run", "-q"]);
    let checked = assert_ids_unique(&sb.path("out"));
    for (table, n) in &checked {
        if *table != "rejects" {
            assert!(*n > 0, "{table} is empty: {checked:?}");
        }
    }
}

/// Soak: the whole pipeline over `../shared/data/allsides-dev/articles.jsonl.zst`
/// (12,556 real modern US news articles with curly quotes, emoji, non-Latin names and
/// site furniture): exit 0, and every record is an article or a load/clean reject.
#[test]
fn soak_on_real_modern_news() {
    let dump = repo().join("../shared/data/allsides-dev/articles.jsonl.zst");
    if !dump.exists() {
        eprintln!("skipped: {} is absent", dump.display());
        return;
    }
    let sb = Sandbox::new();
    sb.config(&[dump.as_path()], "");
    let started = std::time::Instant::now();
    let out = sb.run(&["run", "-q"]);
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let m = manifest(&sb.path("out"));
    let n = |v: &serde_json::Value| v.as_u64().unwrap_or(0);
    let articles = n(&m["tables"]["articles"]);
    let load_rejects = n(&m["stages"]["load"]["rows"]["rejects"]);
    let clean_rejects = n(&m["stages"]["clean"]["rows"]["rejects"]);
    assert_eq!(n(&m["records_seen"]), articles + load_rejects + clean_rejects, "{m}");
    assert_eq!(n(&m["records_seen"]), 12_556, "{m}");
    assert!(n(&m["tables"]["mentions"]) > 100_000 && n(&m["tables"]["attributions"]) > 10_000, "{m}");
    assert_ids_unique(&sb.path("out"));
    eprintln!(
        "soak: {seconds:.1} s, {} records, {articles} articles, {load_rejects} load + {clean_rejects} clean rejects, rejects by reason {}, limits {:?}",
        n(&m["records_seen"]),
        m["rejects_by_reason"],
        m["stages"]["extract"]["counters"]
    );
}
