//! End-to-end tests of `newsgrid run`, `status`, `validate` and `schema` on the sample
//! dump and small fixtures.

mod common;

use common::*;
use std::collections::HashMap;

fn run_sample(sb: &Sandbox, extra_args: &[&str]) {
    let inputs = sample_inputs();
    let refs: Vec<&std::path::Path> = inputs.iter().map(|p| p.as_path()).collect();
    sb.config(&refs, "");
    let mut args = vec!["run", "-q"];
    args.extend_from_slice(extra_args);
    sb.run_ok(&args);
}

#[test]
fn sample_run_writes_every_table_in_both_formats() {
    let sb = Sandbox::new();
    run_sample(&sb, &[]);
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(sb.path("out/manifest.json")).unwrap()).unwrap();
    for t in TABLES {
        let pq = parquet_rows(&sb.path(&format!("out/{t}.parquet")));
        let csv = csv_rows(&sb.path(&format!("out/{t}.csv")));
        assert_eq!(pq, csv, "{t}: parquet and csv row counts differ");
        assert_eq!(manifest["tables"][t].as_u64(), Some(pq as u64), "{t}: manifest count");
        if t != "rejects" {
            assert!(pq > 0, "{t} is empty on the sample");
        }
    }
    // Every record is either an article or a reject.
    let seen = manifest["records_seen"].as_u64().unwrap();
    let articles = manifest["tables"]["articles"].as_u64().unwrap();
    let load_clean_rejects: u64 = ["load", "clean"].iter().map(|s| manifest["stages"][s]["rows"]["rejects"].as_u64().unwrap()).sum();
    assert_eq!(seen, articles + load_clean_rejects);
    // No temporary files left behind.
    assert!(std::fs::read_dir(sb.path("out")).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".tmp")));
}

#[test]
fn offsets_slice_article_text() {
    let sb = Sandbox::new();
    run_sample(&sb, &[]);
    let articles = read_parquet(&sb.path("out/articles.parquet"));
    let ids = strings(&articles, "article_id");
    let texts = strings(&articles, "text");
    let by_id: HashMap<String, Vec<char>> = ids.into_iter().zip(texts).map(|(i, t)| (i.unwrap(), t.unwrap().chars().collect())).collect();
    let check = |table: &str, prefix: &str, text_col: &str| {
        let b = read_parquet(&sb.path(&format!("out/{table}.parquet")));
        let aid = strings(&b, "article_id");
        let starts = ints(&b, &format!("{prefix}start"));
        let ends = ints(&b, &format!("{prefix}end"));
        let texts = strings(&b, text_col);
        let mut checked = 0;
        for i in 0..aid.len() {
            let (Some(s), Some(e)) = (starts[i], ends[i]) else { continue };
            let chars = &by_id[aid[i].as_ref().unwrap()];
            assert!(s >= 0 && s < e && (e as usize) <= chars.len(), "{table} row {i}: {s}..{e} outside text");
            let slice: String = chars[s as usize..e as usize].iter().collect();
            assert_eq!(Some(slice), texts[i], "{table} row {i} {prefix}");
            checked += 1;
        }
        checked
    };
    assert!(check("mentions", "", "text") > 0);
    check("events", "trigger_", "trigger_text");
    check("events", "actor_", "actor_text");
    check("events", "recipient_", "recipient_text");
    check("events", "location_", "location_text");
    check("attributions", "cue_", "cue_text");
    check("attributions", "content_", "content_text");
    check("attributions", "source_", "source_text");
}

#[test]
fn rerunning_extract_leaves_upstream_untouched_and_outputs_identical() {
    let sb = Sandbox::new();
    run_sample(&sb, &[]);
    let before_load = mtimes(&sb.path("work/load"));
    let before_clean = mtimes(&sb.path("work/clean"));
    let tables_before: Vec<_> = snapshot(&sb.path("out")).into_iter().filter(|(n, _)| n != "manifest.json").collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = sb.run_ok(&["run", "-q", "--stage", "extract"]);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("extract    ran"), "{summary}");
    assert!(summary.contains("load       fresh"), "{summary}");
    assert_eq!(mtimes(&sb.path("work/load")), before_load);
    assert_eq!(mtimes(&sb.path("work/clean")), before_clean);
    let tables_after: Vec<_> = snapshot(&sb.path("out")).into_iter().filter(|(n, _)| n != "manifest.json").collect();
    assert!(tables_before == tables_after, "tables changed after rerunning extract alone");
}

#[test]
fn fresh_stages_are_skipped_and_config_changes_make_stale() {
    let sb = Sandbox::new();
    run_sample(&sb, &[]);
    let out = sb.run_ok(&["run", "-q"]);
    let summary = String::from_utf8_lossy(&out.stdout);
    for s in ["load", "clean", "extract", "normalize"] {
        assert!(summary.contains(&format!("{s:<10} fresh")), "{s} should be fresh:\n{summary}");
    }
    // Nothing changed: the tables are not rewritten; a missing table is.
    assert!(summary.contains("write      fresh"), "{summary}");
    std::fs::remove_file(sb.path("out/events.csv")).unwrap();
    let summary = String::from_utf8_lossy(&sb.run_ok(&["run", "-q"]).stdout).to_string();
    assert!(summary.contains("write      ran") && sb.path("out/events.csv").exists(), "{summary}");
    // Changing [extract] makes extract and normalize stale, not load or clean.
    let cfg = std::fs::read_to_string(sb.path("pipeline.toml")).unwrap();
    sb.write("pipeline.toml", format!("{cfg}\n[extract]\nevents = false\n"));
    let status = String::from_utf8_lossy(&sb.run_ok(&["status"]).stdout).to_string();
    assert!(status.contains("load       fresh"), "{status}");
    assert!(status.contains("clean      fresh"), "{status}");
    assert!(status.contains("extract    stale"), "{status}");
    assert!(status.contains("normalize  stale"), "{status}");
    let summary = String::from_utf8_lossy(&sb.run_ok(&["run", "-q"]).stdout).to_string();
    assert!(summary.contains("clean      fresh") && summary.contains("extract    ran"), "{summary}");
    assert_eq!(parquet_rows(&sb.path("out/events.parquet")), 0);
}

#[test]
fn thread_count_does_not_change_output_bytes() {
    let one = Sandbox::new();
    run_sample(&one, &["--threads", "1"]);
    let two = Sandbox::new();
    run_sample(&two, &["--threads", "2"]);
    let a: Vec<_> = snapshot(&one.path("out")).into_iter().filter(|(n, _)| n != "manifest.json").collect();
    let b: Vec<_> = snapshot(&two.path("out")).into_iter().filter(|(n, _)| n != "manifest.json").collect();
    assert_eq!(a.len(), 12);
    for ((na, ba), (nb, bb)) in a.iter().zip(&b) {
        assert_eq!(na, nb);
        assert!(ba == bb, "{na} differs between 1 and 2 threads");
    }
}

#[test]
fn small_chunks_give_the_same_tables_as_one_chunk() {
    let one = Sandbox::new();
    run_sample(&one, &[]);
    let many = Sandbox::new();
    let inputs = sample_inputs();
    let refs: Vec<&std::path::Path> = inputs.iter().map(|p| p.as_path()).collect();
    many.config(&refs, "chunk_articles = 7\n");
    many.run_ok(&["run", "-q"]);
    for t in TABLES {
        let a = strings(&read_parquet(&one.path(&format!("out/{t}.parquet"))), if t == "rejects" { "reason" } else { t_id(t) });
        let b = strings(&read_parquet(&many.path(&format!("out/{t}.parquet"))), if t == "rejects" { "reason" } else { t_id(t) });
        assert_eq!(a, b, "{t} differs with 7-article chunks");
    }
}

fn t_id(t: &str) -> &'static str {
    match t {
        "articles" => "article_id",
        "mentions" => "mention_id",
        "entities" => "entity_id",
        "events" => "event_id",
        "attributions" => "attribution_id",
        _ => "reason",
    }
}

#[test]
fn bad_config_reports_every_error_at_once() {
    let sb = Sandbox::new();
    sb.write(
        "pipeline.toml",
        "[input]\npaths = [\"missing.jsonl\"]\nformat = \"xml\"\nbody = 1\n[run]\nchunk_articles = 0\n[output]\nformats = [\"parquet\", \"xlsx\"]\n[extrct]\n",
    );
    for cmd in [&["validate"][..], &["run", "-q"][..]] {
        let out = sb.run(cmd);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("unknown key `body`; valid: paths, format, fields"), "{err}");
        assert!(err.contains("unknown section [extrct]; valid: input, output, run, load, clean, extract, normalize"), "{err}");
    }
    // Once the keys are right, every bad value is reported together.
    sb.write(
        "pipeline.toml",
        "[input]\npaths = [\"missing.jsonl\"]\nformat = \"xml\"\n[run]\nchunk_articles = 0\n[output]\nformats = [\"parquet\", \"xlsx\"]\n",
    );
    let out = sb.run(&["validate"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "missing.jsonl does not exist",
        "[input] format: unknown format `xml`; valid: auto, jsonl, csv, text",
        "[run] chunk_articles",
        "[output] formats: unknown format `xlsx`; valid: parquet, csv",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert!(!sb.path("out").exists() && !sb.path("work").exists(), "validate must touch nothing");
}

#[test]
fn bad_records_land_in_rejects_and_the_run_goes_on() {
    let sb = Sandbox::new();
    let jsonl = sb.write(
        "dump/a.jsonl",
        concat!(
            "{\"id\": \"1\", \"text\": \"The Kenyan government said on Monday it would send aid to Somalia.\"}\n",
            "{\"id\": \"2\", \"text\": \n",
            "[1, 2, 3]\n",
            "{\"id\": \"4\"}\n",
            "{\"id\": \"5\", \"text\": {\"nested\": true}}\n",
            "{\"id\": \"6\", \"text\": \"   \"}\n",
            "\n",
            "{\"id\": \"7\", \"text\": \"Officials in Lima confirmed the talks.\"}"
        ),
    );
    let mut bad_utf8 = b"{\"id\": \"8\", \"text\": \"Caf\xe9 owners in Paris protested on Tuesday.\"}\n".to_vec();
    bad_utf8.extend_from_slice(b"{\"id\": \"9\", \"text\": \"NUL\x00 byte here but the rest is fine.\"}\n");
    sb.write("dump/b.jsonl", bad_utf8);
    sb.write("dump/c.csv", "id,text,title\n10,\"Quoted, fine text.\",T\n11,ragged\n12,\"Another story from Berlin.\",T2\n");
    sb.write("dump/d.bin", [0u8, 1, 2, 3, 255, 0, 0]);
    sb.write("dump/e.txt", "");
    let _ = jsonl;
    sb.config(&[&sb.path("dump")], "");
    let out = sb.run(&["run", "-q"]);
    assert_eq!(out.status.code(), Some(1), "reject ratio above 0.5 gives exit 1: {}", String::from_utf8_lossy(&out.stderr));
    let rejects = read_parquet(&sb.path("out/rejects.parquet"));
    let mut reasons: Vec<String> = strings(&rejects, "reason").into_iter().flatten().collect();
    reasons.sort();
    assert_eq!(
        reasons,
        vec![
            "bad_field_type",
            "empty_file",
            "empty_text",
            "invalid_json",
            "missing_text",
            "not_an_object",
            "ragged_row",
            "unsupported_file_type"
        ]
    );
    let articles = read_parquet(&sb.path("out/articles.parquet"));
    let texts: Vec<String> = strings(&articles, "text").into_iter().flatten().collect();
    assert_eq!(texts.len(), 6);
    assert!(texts.iter().any(|t| t.contains("Café owners")), "latin-1 decoded: {texts:?}");
    assert!(texts.iter().any(|t| t.contains("NUL byte")), "NUL removed: {texts:?}");
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(sb.path("out/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["records_seen"].as_u64(), Some(14));
}

#[test]
fn stage_without_upstream_artifact_is_a_usage_error() {
    let sb = Sandbox::new();
    let inputs = sample_inputs();
    sb.config(&[&inputs[0]], "");
    let out = sb.run(&["run", "-q", "--stage", "normalize"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs the saved output of extract"));
    let out = sb.run(&["run", "-q", "--shard", "0/2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 <= K <= N"));
    let out = sb.run(&["run", "-q", "--stage", "nope"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("valid: load, clean, extract, normalize"));
}

#[test]
fn schema_lists_every_table() {
    let sb = Sandbox::new();
    let out = sb.run_ok(&["schema", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v.as_array().unwrap().iter().map(|t| t["table"].as_str().unwrap()).collect();
    assert_eq!(names, TABLES);
    let md = String::from_utf8_lossy(&sb.run_ok(&["schema", "--table", "events"]).stdout).to_string();
    assert!(md.contains("| event_type | Utf8 | no |"), "{md}");
}

/// Rows of a table's CSV output, each row's fields joined, sorted (a multiset).
fn csv_records(path: &std::path::Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let mut out: Vec<String> = r.records().map(|rec| rec.unwrap().iter().collect::<Vec<_>>().join("\u{1f}")).collect();
    out.sort();
    out
}

#[test]
fn shards_add_up_to_the_unsharded_run_row_for_row() {
    // The sample plus copies of its first story under other ids (an exact and an edited
    // one), so duplicates can fall in another shard than their original.
    let first: serde_json::Value = std::fs::read_to_string(repo().join("data/sample/articles.jsonl"))
        .unwrap()
        .lines()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap();
    let text = first["text"].as_str().unwrap().to_string();
    let mut copies = String::new();
    for (i, t) in [text.clone(), format!("{text} This story was corrected to fix a spelling.")].iter().enumerate() {
        copies.push_str(&serde_json::json!({"id": format!("copy-{i}"), "title": "Copy", "text": t}).to_string());
        copies.push('\n');
    }
    // One input path for every run: `input_file` is part of the rows compared.
    let data = Sandbox::new();
    let extra = data.write("copies.jsonl", &copies);
    let setup = |sb: &Sandbox| {
        let mut inputs = sample_inputs();
        inputs.push(extra.clone());
        let refs: Vec<&std::path::Path> = inputs.iter().map(|p| p.as_path()).collect();
        sb.config(&refs, "");
    };
    let all = Sandbox::new();
    setup(&all);
    all.run_ok(&["run", "-q"]);
    let manifest =
        |sb: &Sandbox| -> serde_json::Value { serde_json::from_slice(&std::fs::read(sb.path("out/manifest.json")).unwrap()).unwrap() };
    let dups = strings(&read_parquet(&all.path("out/articles.parquet")), "duplicate_of").into_iter().flatten().count();
    assert!(dups >= 2, "the copies are marked as duplicates ({dups})");
    let n = 3;
    let shards: Vec<Sandbox> = (1..=n)
        .map(|k| {
            let sb = Sandbox::new();
            setup(&sb);
            sb.run_ok(&["run", "-q", "--shard", &format!("{k}/{n}")]);
            sb
        })
        .collect();
    for table in ["articles", "mentions", "events", "attributions", "rejects"] {
        let mut union: Vec<String> = shards.iter().flat_map(|sb| csv_records(&sb.path(&format!("out/{table}.csv")))).collect();
        union.sort();
        assert_eq!(union, csv_records(&all.path(&format!("out/{table}.csv"))), "{table}: shards differ from the unsharded run");
    }
    // Entities merge by id and their counts add up.
    let counts = |sb: &Sandbox| -> Vec<(String, i64, i64)> {
        let b = read_parquet(&sb.path("out/entities.parquet"));
        let ids = strings(&b, "entity_id");
        let m = ints(&b, "mention_count");
        let a = ints(&b, "article_count");
        ids.into_iter().zip(m).zip(a).map(|((i, m), a)| (i.unwrap(), m.unwrap(), a.unwrap())).collect()
    };
    let mut merged: HashMap<String, (i64, i64)> = HashMap::new();
    for sb in &shards {
        for (id, m, a) in counts(sb) {
            let e = merged.entry(id).or_default();
            e.0 += m;
            e.1 += a;
        }
    }
    let whole: HashMap<String, (i64, i64)> = counts(&all).into_iter().map(|(i, m, a)| (i, (m, a))).collect();
    assert_eq!(merged, whole);
    let seen: u64 = shards.iter().map(|sb| manifest(sb)["records_seen"].as_u64().unwrap()).sum();
    assert_eq!(seen, manifest(&all)["records_seen"].as_u64().unwrap());
}

/// A dump where one outlet prints the same newsletter prompt under most stories.
fn furniture_dump(data: &Sandbox) -> std::path::PathBuf {
    const WORDS: &[&str] = &[
        "council",
        "river",
        "budget",
        "senator",
        "harbor",
        "school",
        "vote",
        "mayor",
        "bridge",
        "tax",
        "court",
        "police",
        "farmers",
        "election",
        "storm",
        "museum",
        "hospital",
        "union",
        "railway",
        "festival",
        "drought",
        "treaty",
        "army",
        "library",
        "market",
        "factory",
        "pension",
        "airport",
        "governor",
        "clinic",
        "verdict",
        "protest",
        "senate",
        "tariff",
        "wildfire",
        "stadium",
        "reservoir",
        "charter",
        "ferry",
        "canal",
    ];
    let mut rng = Rng(7);
    let mut out = String::new();
    for i in 0..12 {
        let source = if i < 8 { "Daily Bugle" } else { "Morning Star" };
        let sentence = |rng: &mut Rng| {
            let w: Vec<&str> = (0..14).map(|_| WORDS[rng.below(WORDS.len())]).collect();
            format!("The {} said on Monday.", w.join(" "))
        };
        let mut paras = vec![sentence(&mut rng), "Advertisement".to_string(), sentence(&mut rng)];
        if i < 6 {
            paras.push("Get the Bugle Briefing every morning with the stories that matter".into());
        }
        if i < 2 {
            paras.push("“We will not back down,” the mayor told the crowd outside the hall.".into());
        }
        paras.push(sentence(&mut rng));
        paras.push("The Associated Press contributed to this report.".into());
        let rec = serde_json::json!({"id": format!("f{i}"), "source": source, "title": format!("Story {i}"), "text": paras.join("\n\n")});
        out.push_str(&rec.to_string());
        out.push('\n');
    }
    data.write("furniture.jsonl", out)
}

#[test]
fn furniture_is_removed_alike_in_every_shard_and_thread_count() {
    let data = Sandbox::new();
    let dump = furniture_dump(&data);
    let all = Sandbox::new();
    all.config(&[&dump], "");
    all.run_ok(&["run", "-q", "--threads", "1"]);
    let articles = read_parquet(&all.path("out/articles.parquet"));
    let texts: Vec<String> = strings(&articles, "text").into_iter().flatten().collect();
    let removed: Vec<i32> = articles
        .iter()
        .flat_map(|b| {
            let a =
                b.column(b.schema().index_of("furniture_removed").unwrap()).as_any().downcast_ref::<arrow::array::Int32Array>().unwrap();
            a.values().to_vec()
        })
        .collect();
    assert_eq!(texts.len(), 12);
    // The prompt (6 of the Bugle's 8 articles) and "Advertisement" go; the quote two
    // articles share and the credit line stay.
    assert!(texts.iter().all(|t| !t.contains("Bugle Briefing") && !t.contains("Advertisement")), "{texts:?}");
    assert_eq!(texts.iter().filter(|t| t.contains("We will not back down")).count(), 2);
    assert!(texts.iter().all(|t| t.ends_with("The Associated Press contributed to this report.")));
    assert_eq!(removed.iter().map(|&n| n as i64).sum::<i64>(), 12 + 6);
    // Switched off, nothing is removed and the ids do not move.
    let off = Sandbox::new();
    off.config(&[&dump], "\n[clean]\nremove_furniture = false\n");
    off.run_ok(&["run", "-q"]);
    let off_articles = read_parquet(&off.path("out/articles.parquet"));
    assert!(strings(&off_articles, "text").into_iter().flatten().all(|t| t.contains("Advertisement")));
    assert_eq!(strings(&off_articles, "article_id"), strings(&articles, "article_id"));
    // Two threads: the same bytes; three shards: the same rows.
    let two = Sandbox::new();
    two.config(&[&dump], "");
    two.run_ok(&["run", "-q", "--threads", "2"]);
    assert!(
        snapshot(&all.path("out"))
            .into_iter()
            .filter(|(n, _)| n != "manifest.json")
            .eq(snapshot(&two.path("out")).into_iter().filter(|(n, _)| n != "manifest.json")),
        "outputs differ between 1 and 2 threads"
    );
    let n = 3;
    let shards: Vec<Sandbox> = (1..=n)
        .map(|k| {
            let sb = Sandbox::new();
            sb.config(&[&dump], "");
            sb.run_ok(&["run", "-q", "--shard", &format!("{k}/{n}")]);
            sb
        })
        .collect();
    for table in ["articles", "mentions", "events", "attributions"] {
        let mut union: Vec<String> = shards.iter().flat_map(|sb| csv_records(&sb.path(&format!("out/{table}.csv")))).collect();
        union.sort();
        assert_eq!(union, csv_records(&all.path(&format!("out/{table}.csv"))), "{table}: shards differ from the unsharded run");
    }
}
