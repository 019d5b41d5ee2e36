"""The Python package against the CLI: examples/spark_job.py and examples/ray_job.py on the
sample dump and on 300 allsides-dev articles give the CLI's tables (articles, mentions, events,
attributions and rejects row for row up to order; the same entity ids and counts, and rows).

Skipped when the newsgrid package (`pip install .`), pyspark or ray is absent; the allsides
case is skipped when ../shared is absent. `.ci/run` installs them and runs this file.
"""

from __future__ import annotations

import datetime
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
newsgrid = pytest.importorskip("newsgrid")

REPO = Path(__file__).resolve().parents[2]
ALLSIDES = REPO.parent / "shared" / "data" / "allsides-dev" / "articles.jsonl.zst"
TABLES = ("articles", "mentions", "events", "attributions", "rejects")
CONFIG = """
[output]
formats = ["parquet"]
[run]
threads = 2
max_reject_ratio = 1.0
"""


def _have(module: str) -> bool:
    try:
        __import__(module)
        return True
    except Exception:
        return False


def _dump(case: str, tmp: Path) -> Path:
    if case == "sample":
        src = REPO / "data" / "sample" / "articles.jsonl"
        dst = tmp / "sample.jsonl"
        shutil.copy(src, dst)
        return dst
    if not ALLSIDES.exists():
        pytest.skip(f"{ALLSIDES} absent")
    if shutil.which("zstd") is None:
        pytest.skip("zstd binary absent")
    dst = tmp / "allsides300.jsonl"
    out = subprocess.run(["zstd", "-dc", str(ALLSIDES)], capture_output=True, check=False).stdout
    lines = out.split(b"\n")[:300]
    dst.write_bytes(b"\n".join(lines) + b"\n")
    return dst


def _rows(table) -> list:
    """Rows as sorted tuples, values made comparable across writers (timestamps as UTC
    microseconds, floats rounded to float32 precision)."""

    def norm(v):
        if isinstance(v, datetime.datetime):
            if v.tzinfo is None:
                v = v.replace(tzinfo=datetime.timezone.utc)
            return int(v.timestamp() * 1_000_000)
        if isinstance(v, float):
            return None if math.isnan(v) else float(f"{v:.6g}")
        return v

    cols = sorted(table.column_names)
    out = [tuple((c, norm(r[c])) for c in cols) for r in table.select(cols).to_pylist()]
    return sorted(out, key=repr)


def _read(path: Path):
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.parquet"))
        tables = [pq.read_table(p) for p in files]
        tables = [t for t in tables if t.num_rows]
        if not tables:
            return pq.read_table(files[0]) if files else None
        return pa.concat_tables([t.cast(tables[0].schema) for t in tables])
    return pq.read_table(path)


@pytest.fixture(scope="module", params=["sample", "allsides300"])
def cli_run(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    dump = _dump(request.param, tmp)
    config = tmp / "pipeline.toml"
    config.write_text(CONFIG)
    out = tmp / "cli"
    started = time.time()
    code = newsgrid.run(["run", "-q", "-c", str(config), "--input", str(dump), "--out", str(out), "--work", str(tmp / "work")])
    seconds = time.time() - started
    assert code == 0
    print(f"\n{request.param}: CLI (newsgrid.run) {seconds:.1f} s")
    return tmp, dump, config, out


def _compare(cli_out: Path, job_out: Path) -> None:
    for name in TABLES:
        want, got = _read(cli_out / f"{name}.parquet"), _read(job_out / f"{name}.parquet")
        assert got is not None, name
        assert sorted(got.column_names) == sorted(want.column_names), name
        w, g = _rows(want), _rows(got)
        assert len(w) == len(g), f"{name}: {len(g)} rows, the CLI has {len(w)}"
        assert w == g, f"{name}: rows differ; first: {next((a, b) for a, b in zip(w, g) if a != b)}"
    want, got = _read(cli_out / "entities.parquet"), _read(job_out / "entities.parquet")
    counts = lambda t: sorted(zip(t["entity_id"].to_pylist(), t["mention_count"].to_pylist(), t["article_count"].to_pylist()))  # noqa: E731
    assert counts(got) == counts(want), "entity ids and counts differ"
    assert _rows(got) == _rows(want), "entity rows differ"


def _job(script: str, tmp: Path, dump: Path, config: Path) -> Path:
    out = tmp / Path(script).stem
    started = time.time()
    proc = subprocess.run(
        [sys.executable, str(REPO / "examples" / script), "--input", str(dump), "--out", str(out), "-c", str(config)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    print(f"{script}: {time.time() - started:.1f} s; {proc.stdout.strip()}")
    return out


def test_extract_on_one_batch_is_the_cli(cli_run):
    tmp, dump, config, out = cli_run
    lines = pa.table({"input_file": [str(dump)], "input_position": [1], "json": [""]}).slice(0, 0)
    rows = dump.read_text(encoding="utf-8").split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    lines = pa.table({"input_file": [str(dump)] * len(rows), "input_position": list(range(1, len(rows) + 1)), "json": rows})
    tables = newsgrid.extract(lines, str(config))
    assert set(newsgrid.TABLES) <= set(tables)
    for name in newsgrid.TABLES:
        want = _read(out / f"{name}.parquet")
        assert tables[name].schema.equals(want.schema), name
        assert _rows(tables[name]) == _rows(want), name


@pytest.mark.skipif(not _have("pyspark"), reason="pyspark absent")
def test_spark_job_equals_the_cli(cli_run):
    tmp, dump, config, out = cli_run
    _compare(out, _job("spark_job.py", tmp, dump, config))


@pytest.mark.skipif(not _have("ray"), reason="ray absent")
def test_ray_job_equals_the_cli(cli_run):
    tmp, dump, config, out = cli_run
    _compare(out, _job("ray_job.py", tmp, dump, config))


def test_help_tells_what_extract_needs():
    doc = newsgrid.extract.__doc__
    assert "[input.fields]" in doc and "json" in doc and "rejects" in doc
    assert newsgrid.run(["--version"]) == 0
