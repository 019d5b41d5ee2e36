#!/usr/bin/env bash
# End-to-end throughput and peak memory of `newsgrid run` on dumps of several sizes.
# Usage: [CORPUS=reuters|allsides] scripts/bench.sh [SIZES...]     (default: 10000 100000)
# CORPUS=allsides builds the dumps from ../shared/data/allsides-dev (modern articles of
# ~970 words; read with the zstandard module or the zstd tool); the default is Reuters-21578 (~145 words).
# Needs a release build (cargo build --release). Dumps are cached in $BENCH_DIR
# (default /tmp/newsgrid-bench). Prints one line per size: articles/s, words/s, MB/s,
# peak RSS, and seconds per stage, from the run's manifest and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/newsgrid
DIR=${BENCH_DIR:-/tmp/newsgrid-bench}
THREADS=${THREADS:-0}
CORPUS=${CORPUS:-reuters}
mkdir -p "$DIR"
[ -x "$BIN" ] || cargo build --release
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
printf '%-9s %9s %10s %12s %8s %9s  %s\n' articles seconds art/s words/s MB/s peakMiB "load/clean/extract/normalize/write s"
for n in "${sizes[@]}"; do
  dump="$DIR/dump-$CORPUS-$n.jsonl"
  [ -f "$dump" ] || python3 scripts/make_bench_dump.py "$n" "$dump" "$CORPUS"
  rm -rf "$DIR/work-$n" "$DIR/out-$n"
  /usr/bin/time -v "$BIN" run -q -c configs/bench.toml --input "$dump" --work "$DIR/work-$n" --out "$DIR/out-$n" --threads "$THREADS" \
    >"$DIR/summary-$n.txt" 2>"$DIR/time-$n.txt" || true
  python3 - "$DIR" "$n" "$dump" <<'PY'
import json, re, sys, os
d, n, dump = sys.argv[1], sys.argv[2], sys.argv[3]
m = json.load(open(f"{d}/out-{n}/manifest.json"))
t = open(f"{d}/time-{n}.txt").read()
wall = t.split("Elapsed (wall clock) time (h:mm:ss or m:ss): ")[1].split("\n")[0]
parts = [float(x) for x in wall.split(":")]
secs = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
words = m["stages"]["extract"]["counters"].get("words_extracted", 0)
arts = m["tables"]["articles"]
mb = os.path.getsize(dump) / 1e6
st = "/".join(f'{m["stages"][s]["seconds"]:.1f}' for s in ["load", "clean", "extract", "normalize"]) + f'/{m["write_seconds"]:.1f}'
print(f"{arts:<9} {secs:9.1f} {arts/secs:10.0f} {words/secs:12.0f} {mb/secs:8.1f} {rss:9.0f}  {st}")
PY
done
