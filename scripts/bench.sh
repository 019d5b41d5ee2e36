#!/usr/bin/env bash
# End-to-end throughput and peak memory of `newsgrid run` on dumps of several sizes.
# Usage: [CORPUS=reuters|allsides] [SYNTAX=1|0] [THREADS=n] scripts/bench.sh [SIZES...]
#        (default sizes: 10000 100000)
# Sizes past the source's are its records repeated with variation (make_bench_dump.py);
# configs/bench.toml turns duplicate marking off, so every copy is cleaned, extracted and
# counted by the run-wide furniture pass as a distinct article would be (the harsher case for
# memory; with dedupe on, the near-duplicate index would hold only the originals).
# CORPUS=allsides builds the dumps from ../shared/data/allsides-dev (modern articles of
# ~970 words; read with the zstandard module or the zstd tool); the default is Reuters-21578 (~145 words).
# SYNTAX=1 (the default, as in the pipeline's config) runs with `[extract] syntax = true`
# (events and attributions read the dependency parse); SYNTAX=0 with word order only.
# Needs a release build (cargo build --release), or BIN=path (a copy, so a rebuild during a
# long bench does not swap the binary between sizes). Dumps are cached in $BENCH_DIR
# (default /tmp/newsgrid-bench). Prints per size: articles/s, words/s, MB/s, peak RSS,
# wall and CPU seconds per stage (CPU: all threads, from the run's manifest; on a busy
# machine CPU time is the figure to compare), then the extract stage's seconds per
# extractor (summed over threads) and the share of sentences the parser read.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/newsgrid}
DIR=${BENCH_DIR:-/tmp/newsgrid-bench}
THREADS=${THREADS:-0}
CORPUS=${CORPUS:-reuters}
SYNTAX=${SYNTAX:-1}
mkdir -p "$DIR"
[ -x "$BIN" ] || cargo build --release
CONFIG="$DIR/bench-syntax-$SYNTAX.toml"
if [ "$SYNTAX" = 1 ]; then syntax=true; else syntax=false; fi
sed "s/^skip_duplicates = false\$/skip_duplicates = false\nsyntax = $syntax/" configs/bench.toml >"$CONFIG"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
printf '%-9s %8s %8s %7s %10s %6s %8s  %-28s %-28s %s\n' articles seconds cpu_s art/s words/s MB/s peakMiB \
  "wall load/clean/ext/norm/wr" "cpu load/clean/ext/norm/wr" "extractors tok/ner/events/attrib/rows s (parsed)"
for n in "${sizes[@]}"; do
  dump="$DIR/dump-$CORPUS-$n.jsonl"
  [ -f "$dump" ] || python3 scripts/make_bench_dump.py "$n" "$dump" "$CORPUS"
  rm -rf "$DIR/work-$n" "$DIR/out-$n"
  /usr/bin/time -v "$BIN" run -q -c "$CONFIG" --input "$dump" --work "$DIR/work-$n" --out "$DIR/out-$n" --threads "$THREADS" \
    >"$DIR/summary-$n.txt" 2>"$DIR/time-$n.txt" || true
  python3 - "$DIR" "$n" "$dump" <<'PY'
import json, re, sys, os
d, n, dump = sys.argv[1], sys.argv[2], sys.argv[3]
m = json.load(open(f"{d}/out-{n}/manifest.json"))
t = open(f"{d}/time-{n}.txt").read()
wall = t.split("Elapsed (wall clock) time (h:mm:ss or m:ss): ")[1].split("\n")[0]
parts = [float(x) for x in wall.split(":")]
secs = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1)) + float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
ex = m["stages"]["extract"]
words = ex["counters"].get("words_extracted", 0)
arts = m["tables"]["articles"]
mb = os.path.getsize(dump) / 1e6
names = ["load", "clean", "extract", "normalize"]
st = "/".join(f'{m["stages"][s]["seconds"]:.1f}' for s in names) + f'/{m["write_seconds"]:.1f}'
sc = "/".join(f'{m["stages"][s].get("cpu_seconds", 0):.1f}' for s in names) + f'/{m.get("write_cpu_seconds", 0):.1f}'
tm = ex.get("timings", {})
xt = "/".join(f'{tm.get(k, 0):.1f}' for k in ["tokenize", "entities", "events", "attributions", "rows"])
sents, parsed = ex["counters"].get("sentences", 0), ex["counters"].get("sentences_parsed", 0)
share = f" ({100 * parsed / sents:.1f}% of {sents} sentences parsed)" if sents else ""
print(f"{arts:<9} {secs:8.1f} {cpu:8.1f} {arts/secs:7.0f} {words/secs:10.0f} {mb/secs:6.1f} {rss:8.0f}  {st:<28} {sc:<28} {xt}{share}")
PY
done
