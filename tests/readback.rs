//! Users' tools read our files: DuckDB and pyarrow read every table back (skipped with a
//! message when python3 lacks them; `.ci/run` installs them).

mod common;

use common::*;

#[test]
fn duckdb_and_pyarrow_read_every_table() {
    let sb = Sandbox::new();
    let inputs = sample_inputs();
    let refs: Vec<&std::path::Path> = inputs.iter().map(|p| p.as_path()).collect();
    sb.config(&refs, "");
    sb.run_ok(&["run", "-q"]);
    let script = repo().join("scripts/readback.py");
    let out = match std::process::Command::new("python3").arg(&script).arg(sb.path("out")).output() {
        Ok(o) => o,
        Err(e) => {
            println!("skip: python3 not available: {e}");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() == Some(3) {
        println!("skip: {stdout}");
        return;
    }
    assert!(out.status.success(), "readback failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("mentions join entities: ok"), "{stdout}");
}
