"""Helpers for engine jobs (examples/spark_job.py, examples/ray_job.py): input listing in
the CLI's order, JSON Lines with their line numbers, the run-wide passes on pyarrow tables,
and an envelope that carries several tables through one engine column.

The run-wide protocol (see :mod:`newsgrid`) needs the records in *run order*: input files in
sorted path order, lines ascending. Engines keep it by reading each file into contiguous,
ordered partitions; the driver-side folds sort their (small) inputs by :func:`run_order`.
"""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Sequence

import pyarrow as pa
import pyarrow.compute as pc

import newsgrid

#: The columns of a lines table: one JSON Lines record per row with its provenance.
LINES_SCHEMA = pa.schema([("input_file", pa.string()), ("input_position", pa.int64()), ("json", pa.string())])
#: The envelope: each row one Arrow IPC stream of one output table's batch.
ENVELOPE_SCHEMA = pa.schema([("table", pa.string()), ("data", pa.binary())])
#: What :func:`newsgrid.extract` returns besides the output tables, for the entity merge.
PARTS = "entity_parts"


def _clean(p: Path) -> str:
    # As the CLI records paths: `.` components dropped.
    return str(Path(*[c for c in p.parts if c != "."])) if p.parts else str(p)


def input_files(paths: Sequence[str]) -> List[str]:
    """The JSON Lines files under ``paths`` (folders walked), in the CLI's sorted path order,
    spelled as the CLI records them in ``input_file``."""
    files = set()
    for p in map(Path, paths):
        if p.is_dir():
            for root, _, names in os.walk(p):
                for n in names:
                    if ".jsonl" in n or ".ndjson" in n:
                        files.add(_clean(Path(root) / n))
        else:
            files.add(_clean(p))
    return sorted(files, key=lambda f: Path(f).parts)


def file_ranks(files: Sequence[str]) -> Dict[str, int]:
    """Each input file's rank in run order."""
    return {f: i for i, f in enumerate(files)}


def read_lines(path: str, lines_per_batch: int = 2000) -> Iterator[pa.Table]:
    """A JSON Lines file (plain or .gz) as lines tables of ``lines_per_batch`` rows, in order.
    Positions are line numbers from 1, blank lines included, as the CLI counts them."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        rows: List[str] = []
        start = 1
        for raw in f:
            rows.append(raw.decode("utf-8", errors="replace").rstrip("\r\n"))
            if len(rows) >= lines_per_batch:
                yield _lines_table(path, start, rows)
                start += len(rows)
                rows = []
        if rows:
            yield _lines_table(path, start, rows)


def _lines_table(path: str, start: int, rows: List[str]) -> pa.Table:
    return pa.table(
        {"input_file": [path] * len(rows), "input_position": list(range(start, start + len(rows))), "json": rows},
        schema=LINES_SCHEMA,
    )


def run_order(table: pa.Table, ranks: Dict[str, int], file_column: str = "input_file", position_column: str = "input_position") -> pa.Table:
    """``table`` sorted in run order (file rank, then position)."""
    rank = pa.array([ranks.get(f, len(ranks)) for f in table.column(file_column).to_pylist()], pa.int64())
    table = table.append_column("__rank", rank)
    return table.sort_by([("__rank", "ascending"), (position_column, "ascending")]).drop_columns(["__rank"])


def candidates(keys: pa.Table) -> pa.Table:
    """The pass-2 keys of the articles :func:`newsgrid.mark_duplicates` can mark: those
    sharing a content hash, an LSH band key or an article id with another article (the
    self-join, as group-bys). The others keep their own id and are no duplicate."""
    n = keys.num_rows
    row = pa.array(range(n), pa.int64())
    t = keys.append_column("__row", row)
    picked = set()
    for col in ("content_hash", "article_id"):
        counts = t.group_by(col).aggregate([("__row", "count")])
        shared = counts.filter(pc.greater(counts["__row_count"], 1)).column(col)
        picked.update(t.filter(pc.is_in(t[col], value_set=shared))["__row"].to_pylist())
    bands = pa.table({"__row": pc.list_parent_indices(t["band_keys"]), "key": pc.list_flatten(t["band_keys"])})
    if bands.num_rows:
        counts = bands.group_by("key").aggregate([("__row", "count_distinct")])
        shared = counts.filter(pc.greater(counts["__row_count_distinct"], 1)).column("key")
        picked.update(bands.filter(pc.is_in(bands["key"], value_set=shared))["__row"].to_pylist())
    mask = pa.array([i in picked for i in range(n)])
    return keys.filter(mask)


def attach_marks(batch: pa.Table, marks: Optional[pa.Table]) -> pa.Table:
    """``batch`` with the run-wide marks joined on by (input_file, input_position), order kept.
    Records without a mark get nulls (their own id, no duplicate). ``marks=None`` adds the
    columns all null (marks were computed and none applies to this batch)."""
    n = batch.num_rows
    if marks is None or marks.num_rows == 0:
        null = pa.nulls(n, pa.string())
        return batch.append_column(newsgrid.ARTICLE_ID_COLUMN, null).append_column(newsgrid.DUPLICATE_OF_COLUMN, null)
    left = batch.select(["input_file", "input_position"]).append_column("__row", pa.array(range(n), pa.int64()))
    joined = left.join(marks, ["input_file", "input_position"], join_type="left outer").sort_by("__row")
    return batch.append_column(newsgrid.ARTICLE_ID_COLUMN, joined[newsgrid.ARTICLE_ID_COLUMN].cast(pa.string())).append_column(
        newsgrid.DUPLICATE_OF_COLUMN, joined[newsgrid.DUPLICATE_OF_COLUMN].cast(pa.string())
    )


def pack(tables: Dict[str, pa.Table]) -> pa.RecordBatch:
    """Tables as one envelope batch: a row per table, its rows as an Arrow IPC stream."""
    names, blobs = [], []
    for name, t in tables.items():
        sink = io.BytesIO()
        with pa.ipc.new_stream(sink, t.schema) as w:
            w.write_table(t)
        names.append(name)
        blobs.append(sink.getvalue())
    return pa.RecordBatch.from_arrays([pa.array(names, pa.string()), pa.array(blobs, pa.binary())], schema=ENVELOPE_SCHEMA)


def unpack(envelope: Iterable[pa.RecordBatch], table: str) -> Iterator[pa.RecordBatch]:
    """The batches of ``table`` out of envelope batches."""
    for b in envelope:
        names = b.column(0).to_pylist()
        for i, name in enumerate(names):
            if name == table:
                yield from pa.ipc.open_stream(b.column(1)[i].as_py()).read_all().to_batches()


def schemas(config: Optional[str] = None) -> Dict[str, pa.Schema]:
    """The schema of every table :func:`newsgrid.extract` returns."""
    empty = pa.table({"json": pa.array([], pa.string())})
    return {name: t.schema for name, t in newsgrid.extract(empty, config).items()}


def furniture_on(config: Optional[str] = None) -> bool:
    """Whether the config removes furniture, so pass 1 (the repeated-line rule) is needed."""
    empty = newsgrid.keys(pa.table({"json": pa.array([], pa.string())}), config)
    return newsgrid.furniture_rule(empty, config) is not None


def with_ranks(parts: pa.Table, ranks: Dict[str, int]) -> pa.Table:
    """Entity parts in run order, for :func:`newsgrid.merge_entities`."""
    return run_order(parts, ranks, "first_file", "first_position")


def write_parts(table_batches: Iterable[pa.RecordBatch], schema: pa.Schema, folder: str, rows_per_file: int = 200_000) -> int:
    """Write batches as a Parquet folder of parts (``part-00000.parquet``...), as engines do."""
    import pyarrow.parquet as pq

    os.makedirs(folder, exist_ok=True)
    for f in os.listdir(folder):
        if f.startswith("part-"):
            os.remove(os.path.join(folder, f))
    rows, part, pending = 0, 0, []
    pending_rows = 0

    def flush() -> None:
        nonlocal part, pending, pending_rows
        pq.write_table(pa.Table.from_batches(pending, schema=schema), os.path.join(folder, f"part-{part:05d}.parquet"), compression="zstd")
        part += 1
        pending, pending_rows = [], 0

    for b in table_batches:
        pending.append(b)
        pending_rows += b.num_rows
        rows += b.num_rows
        if pending_rows >= rows_per_file:
            flush()
    if pending or part == 0:
        flush()
    return rows
