//! Crash safety: a run killed with SIGKILL at any moment leaves no stage that looks fresh
//! when it is incomplete, and the next run completes to the same tables as an
//! uninterrupted run.

mod common;

use common::*;
use std::time::Duration;

/// `dump.jsonl` in the sandbox: `n` varied articles built from the sample. The config
/// names it by a relative path so `input_file` is the same in every sandbox.
fn make_dump(sb: &Sandbox, n: usize) {
    let sample = std::fs::read_to_string(repo().join("data/sample/articles.jsonl")).unwrap();
    let texts: Vec<serde_json::Value> = sample
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["text"].as_str().is_some_and(|t| !t.is_empty()))
        .collect();
    let mut out = String::new();
    for i in 0..n {
        let mut v = texts[i % texts.len()].clone();
        v["id"] = serde_json::json!(format!("crash-{i}"));
        let t = format!("Copy {i}. {}", v["text"].as_str().unwrap());
        v["text"] = serde_json::json!(t);
        out.push_str(&v.to_string());
        out.push('\n');
    }
    sb.write("dump.jsonl", out);
}

fn tables(sb: &Sandbox) -> Vec<(String, Vec<u8>)> {
    snapshot(&sb.path("out")).into_iter().filter(|(n, _)| n != "manifest.json").collect()
}

#[test]
fn killed_runs_resume_to_identical_tables() {
    let reference = Sandbox::new();
    make_dump(&reference, 240);
    reference.config(&[std::path::Path::new("dump.jsonl")], "chunk_articles = 15\n");
    let started = std::time::Instant::now();
    reference.run_ok(&["run", "-q", "--threads", "2"]);
    let full = started.elapsed();
    let expected = tables(&reference);

    for fraction in [0.1, 0.35, 0.6, 0.85] {
        let sb = Sandbox::new();
        make_dump(&sb, 240);
        sb.config(&[std::path::Path::new("dump.jsonl")], "chunk_articles = 15\n");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_newsgrid"))
            .args(["run", "-q", "--threads", "2"])
            .current_dir(sb.dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(fraction));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever `status` calls fresh must be complete: its manifest is written last.
        let status = String::from_utf8_lossy(&sb.run_ok(&["status"]).stdout).to_string();
        for line in status.lines().skip(1) {
            let stage = line.split_whitespace().next().unwrap();
            if line.contains(" fresh ") {
                assert!(sb.path(&format!("work/{stage}/_stage.json")).exists(), "{status}");
            }
        }
        std::thread::sleep(Duration::from_millis(10));
        sb.run_ok(&["run", "-q", "--threads", "1"]);
        let got = tables(&sb);
        assert_eq!(got.len(), expected.len(), "after a kill at {fraction}");
        for ((na, a), (nb, b)) in got.iter().zip(&expected) {
            assert_eq!(na, nb);
            assert!(a == b, "{na} differs after resuming a run killed at {fraction} of its time");
        }
    }
}
