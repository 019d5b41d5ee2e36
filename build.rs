//! Build identity: a hash of the crate's sources and embedded data (`src/`, `data/`,
//! `Cargo.toml`, `Cargo.lock`), exported as `NEWSGRID_BUILD_ID`. Stage fingerprints
//! include it, so a binary built from other code, models or lexicons reruns the stages
//! its artifacts came from, though the package version is unchanged.

use std::path::{Path, PathBuf};

/// FNV-1a, 64 bits, over `bytes` into `h`: stable across Rust releases, unlike
/// `DefaultHasher`.
fn fnv(h: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *h = (*h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for d in ["src", "data"] {
        files(&root.join(d), &mut paths);
        println!("cargo:rerun-if-changed={d}");
    }
    for f in ["Cargo.toml", "Cargo.lock"] {
        paths.push(root.join(f));
        println!("cargo:rerun-if-changed={f}");
    }
    // Scratch files a training run leaves beside the models are not part of the build.
    paths.retain(|p| p.extension().is_none_or(|e| e != "tmp"));
    paths.sort();
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for p in &paths {
        let rel = p.strip_prefix(&root).unwrap_or(p);
        fnv(&mut h, rel.to_string_lossy().replace('\\', "/").as_bytes());
        fnv(&mut h, &[0]);
        if let Ok(bytes) = std::fs::read(p) {
            fnv(&mut h, &(bytes.len() as u64).to_le_bytes());
            fnv(&mut h, &bytes);
        }
    }
    println!("cargo:rustc-env=NEWSGRID_BUILD_ID={:016x}", h);
}
