"""newsgrid inside Ray Data: a JSON Lines dump to DIR/<table>.parquet with map_batches.

    python examples/ray_job.py --input PATH --out DIR [-c pipeline.toml] [--num-cpus 2]

Needs `pip install .` (the newsgrid package) and `ray[data]`. Same passes and the same
result as examples/spark_job.py (see its doc and `help(newsgrid)`): the workers compute keys
and tables with `map_batches(batch_format="pyarrow")`; the driver folds the small run-wide
state (furniture rule, duplicate marks of the articles that share a key, entity merge).
Ray runs in local mode here (`ray.init(num_cpus=...)`); on a cluster, pass `--address`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import pyarrow as pa

import newsgrid
from newsgrid import jobs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", required=True, nargs="+", help="JSON Lines file(s) or folder(s)")
    ap.add_argument("--out", required=True, help="output folder: one <table>.parquet folder per table")
    ap.add_argument("-c", "--config", help="pipeline.toml")
    ap.add_argument("--num-cpus", type=int, default=2)
    ap.add_argument("--address", help="a Ray cluster to join instead of local mode")
    ap.add_argument("--batch-rows", type=int, default=2000)
    args = ap.parse_args(argv)

    import ray

    started = time.time()
    config = os.path.abspath(args.config) if args.config else None
    files = jobs.input_files(args.input)
    if not files:
        print("no .jsonl input found", file=sys.stderr)
        return 2
    ranks = jobs.file_ranks(files)
    # One newsgrid thread per Ray task: Ray's tasks are the parallelism.
    env = {"env_vars": {"RAYON_NUM_THREADS": "1"}}
    if args.address:
        ray.init(address=args.address, runtime_env=env)
    else:
        ray.init(num_cpus=args.num_cpus, include_dashboard=False, runtime_env=env, log_to_driver=False)
    ctx = ray.data.DataContext.get_current()
    # Batches stay contiguous runs of lines in file order (the run-wide merge needs it).
    ctx.execution_options.preserve_order = True

    blocks = [t for f in files for t in jobs.read_lines(f, args.batch_rows)]
    lines = ray.data.from_arrow(blocks).materialize()

    def run_batches(fn) -> pa.Table:
        ds = lines.map_batches(fn, batch_format="pyarrow", batch_size=args.batch_rows, zero_copy_batch=True)
        return pa.concat_tables([ray.get(r) for r in ds.to_arrow_refs()])

    rule = None
    if jobs.furniture_on(config):
        k1 = run_batches(lambda b: newsgrid.keys(b, config))
        rule = newsgrid.furniture_rule(jobs.run_order(k1, ranks), config)

    k2 = run_batches(lambda b: newsgrid.keys(b, config, furniture=rule))
    marks = newsgrid.mark_duplicates(jobs.run_order(jobs.candidates(k2), ranks), config)
    marks_ref = ray.put(marks)

    def extract_fn(b: pa.Table, marks_ref=marks_ref) -> pa.Table:
        m = ray.get(marks_ref)
        return pa.Table.from_batches([jobs.pack(newsgrid.extract(jobs.attach_marks(b, m), config, furniture=rule))])

    envelope = run_batches(extract_fn)
    batches = envelope.to_batches()
    schemas = jobs.schemas(config)
    os.makedirs(args.out, exist_ok=True)
    counts = {}
    for name in ("articles", "mentions", "events", "attributions", "rejects"):
        counts[name] = jobs.write_parts(jobs.unpack(batches, name), schemas[name], os.path.join(args.out, f"{name}.parquet"))
    parts = pa.Table.from_batches(list(jobs.unpack(batches, jobs.PARTS)), schema=schemas[jobs.PARTS])
    entities = newsgrid.merge_entities(jobs.with_ranks(parts, ranks), config)
    counts["entities"] = jobs.write_parts(entities.to_batches(), schemas["entities"], os.path.join(args.out, "entities.parquet"))
    seconds = time.time() - started
    records = sum(1 for b in blocks for j in b.column("json").to_pylist() if j.strip())
    print(
        f"newsgrid ray job: {records} records, {counts['articles']} articles in {seconds:.1f} s "
        f"({records / max(seconds, 1e-9):.1f} records/s); marks {marks.num_rows}; "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
