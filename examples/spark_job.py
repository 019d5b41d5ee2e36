"""newsgrid inside Spark: a JSON Lines dump to DIR/<table>.parquet with mapInArrow.

    python examples/spark_job.py --input PATH --out DIR [-c pipeline.toml] [--master local[2]]

Needs `pip install .` (the newsgrid package) and pyspark. The tables equal `newsgrid run` on
the same input, row for row (rows in another order). Passes (see `help(newsgrid)`):

1. pass 1, on the workers: per-article keys (content hash, MinHash, band keys, paragraph
   hashes); on the driver, the repeated-line furniture rule from them (in run order);
2. pass 2, on the workers: keys after the rule; a self-join (group-by) on content hash,
   band keys and ids finds the few articles that can be duplicates; the driver marks them
   in run order (`newsgrid.mark_duplicates`) and broadcasts the marks;
3. pass 3, on the workers: `newsgrid.extract` per batch with the rule and the marks; each
   table is written as a folder of Parquet parts; entities are merged by entity id.

Inputs: `.jsonl` / `.ndjson` files, plain or gzip (Spark's text reader); a folder is walked.
The batches must be contiguous runs of lines in file order, which Spark's text partitions
are; with `[clean] remove_furniture` off pass 1 is skipped.
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
    ap.add_argument("-c", "--config", help="pipeline.toml (its [input.fields], [clean], [extract]... apply)")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--batch-rows", type=int, default=2000, help="records per Arrow batch handed to newsgrid")
    ap.add_argument("--shuffle-partitions", type=int, default=4, help="partitions of the self-join and entity merge")
    args = ap.parse_args(argv)

    from pyspark.sql import SparkSession, functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    started = time.time()
    config = os.path.abspath(args.config) if args.config else None
    files = jobs.input_files(args.input)
    if not files:
        print("no .jsonl input found", file=sys.stderr)
        return 2
    ranks = jobs.file_ranks(files)
    # One newsgrid thread per Python worker (they inherit the environment): Spark's tasks
    # are the parallelism.
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    spark = (
        SparkSession.builder.master(args.master)
        .appName("newsgrid")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(args.batch_rows))
        .config("spark.executorEnv.RAYON_NUM_THREADS", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(args.shuffle_partitions))
        .getOrCreate()
    )
    sc = spark.sparkContext

    # The dump's lines with their line numbers, in file order within each partition. Spark's
    # text partitions are contiguous splits of a file: a line's number is the lines of the
    # partitions before it plus its index in its own (all on the JVM, no Python rows).
    frames = []
    for f in files:
        df = (
            spark.read.text(f)
            .withColumn("mid", F.monotonically_increasing_id())
            .withColumn("pid", F.spark_partition_id())
            .cache()
        )
        sizes = sorted((r["pid"], r["count"]) for r in df.groupBy("pid").count().collect())
        offsets, total = {}, 0
        for pid, n in sizes:
            offsets[pid] = total
            total += n
        offset = F.create_map(*[x for pid, off in offsets.items() for x in (F.lit(pid), F.lit(off))]) if offsets else F.create_map()
        frames.append(
            df.select(
                F.lit(f).alias("input_file"),
                (offset[F.col("pid")] + (F.col("mid") - F.shiftleft(F.col("pid").cast("long"), 33)) + 1).cast("long").alias("input_position"),
                F.col("value").alias("json"),
            )
        )
    lines = frames[0]
    for f in frames[1:]:
        lines = lines.unionAll(f)
    lines = lines.cache()
    n_lines = lines.count()
    phase = {"read": time.time() - started}
    rank_df = spark.createDataFrame(list(ranks.items()), "input_file string, file_rank int")

    def collect_arrow(df) -> pa.Table:
        return df.toArrow() if hasattr(df, "toArrow") else pa.Table.from_batches(df._collect_as_arrow())

    keys_ddl = "input_file string, input_position long, article_id string, content_hash string, source_key string, signature binary, band_keys array<long>, line_hashes array<long>"

    def keys_pass(rule):
        def fn(batches):
            for b in batches:
                yield from newsgrid.keys(b, config, furniture=rule).to_batches()

        return lines.mapInArrow(fn, keys_ddl)

    # Pass 1: the furniture rule (needs every article's paragraph hashes, in run order).
    rule = None
    if jobs.furniture_on(config):
        k1 = keys_pass(None).drop("band_keys").join(F.broadcast(rank_df), "input_file").orderBy("file_rank", "input_position").drop("file_rank")
        rule = newsgrid.furniture_rule(collect_arrow(k1), config)
    phase["pass 1 (furniture)"] = time.time() - started - sum(phase.values())

    # Pass 2: keys after the rule; the self-join keeps the articles that share a key.
    k2 = keys_pass(rule).drop("line_hashes").cache()
    shared = lambda col: k2.groupBy(col).count().filter("count > 1").select(col)  # noqa: E731
    bands = k2.select("input_file", "input_position", F.explode("band_keys").alias("band"))
    shared_bands = bands.groupBy("band").agg(F.countDistinct("input_file", "input_position").alias("n")).filter("n > 1")
    cand = (
        k2.join(shared("content_hash"), "content_hash", "left_semi").select("input_file", "input_position")
        .union(k2.join(shared("article_id"), "article_id", "left_semi").select("input_file", "input_position"))
        .union(bands.join(shared_bands, "band", "left_semi").select("input_file", "input_position"))
        .distinct()
    )
    cand_keys = k2.join(cand, ["input_file", "input_position"], "left_semi").join(F.broadcast(rank_df), "input_file")
    cand_keys = cand_keys.orderBy("file_rank", "input_position").drop("file_rank")
    marks = newsgrid.mark_duplicates(collect_arrow(cand_keys), config)
    marks_b = sc.broadcast(marks)
    phase["pass 2 (duplicates)"] = time.time() - started - sum(phase.values())

    # Pass 3: the tables, per batch, in an envelope (one engine column for all tables).
    def extract_fn(batches):
        m = marks_b.value
        for b in batches:
            t = jobs.attach_marks(pa.Table.from_batches([b]), m)
            yield jobs.pack(newsgrid.extract(t, config, furniture=rule))

    envelope = lines.mapInArrow(extract_fn, "table string, data binary").cache()
    envelope.count()
    phase["pass 3 (extract)"] = time.time() - started - sum(phase.values())
    schemas = jobs.schemas(config)
    os.makedirs(args.out, exist_ok=True)

    def table_df(name):
        schema = schemas[name]

        def fn(batches, name=name):
            yield from jobs.unpack(batches, name)

        return envelope.filter(F.col("table") == name).mapInArrow(fn, from_arrow_schema(schema))

    for name in ("articles", "mentions", "events", "attributions", "rejects"):
        table_df(name).write.mode("overwrite").parquet(os.path.join(args.out, f"{name}.parquet"))

    # Entities: all parts of an entity in one partition, in run order, merged.
    parts = table_df(jobs.PARTS).join(F.broadcast(rank_df.withColumnRenamed("input_file", "first_file")), "first_file")
    parts = parts.repartition(sc.defaultParallelism, "entity_id").sortWithinPartitions("file_rank", "first_position").drop("file_rank")

    def merge_fn(batches):
        t = pa.Table.from_batches(list(batches))
        if t.num_rows:
            yield from newsgrid.merge_entities(t, config).to_batches()

    entities = parts.mapInArrow(merge_fn, from_arrow_schema(schemas["entities"]))
    entities.write.mode("overwrite").parquet(os.path.join(args.out, "entities.parquet"))
    phase["write"] = time.time() - started - sum(phase.values())
    seconds = time.time() - started
    print(
        f"newsgrid spark job: {n_lines} lines in {seconds:.1f} s ({n_lines / max(seconds, 1e-9):.1f} lines/s); "
        f"{marks.num_rows} articles share a key; "
        + ", ".join(f"{k} {v:.1f} s" for k, v in phase.items())
    )
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
