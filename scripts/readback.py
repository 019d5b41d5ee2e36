#!/usr/bin/env python3
"""Read every newsgrid output table back as users' tools do (DuckDB and pyarrow) and
check that Parquet and CSV hold the same rows and that the types are the declared ones.

Usage: python3 scripts/readback.py OUT_DIR
Exit code 0 when everything reads back; 3 when duckdb or pyarrow is not installed.
"""
import json
import sys
from pathlib import Path

try:
    import duckdb
    import pyarrow.parquet as pq
except ImportError as e:  # the Rust test skips on this code
    print(f"skip: {e}")
    sys.exit(3)

TABLES = ["articles", "mentions", "entities", "events", "attributions", "rejects"]


def main(out: Path) -> int:
    manifest = json.loads((out / "manifest.json").read_text())
    con = duckdb.connect()
    for t in TABLES:
        pq_path = str(out / f"{t}.parquet")
        csv_path = str(out / f"{t}.csv")
        table = pq.read_table(pq_path)
        n_duck_pq = con.execute(f"select count(*) from read_parquet('{pq_path}')").fetchone()[0]
        n_duck_csv = con.execute(
            f"select count(*) from read_csv('{csv_path}', header=true, all_varchar=true)"
        ).fetchone()[0]
        expected = manifest["tables"][t]
        assert table.num_rows == n_duck_pq == n_duck_csv == expected, (
            t, table.num_rows, n_duck_pq, n_duck_csv, expected)
        if t == "articles":
            ty = str(table.schema.field("published_at").type)
            assert ty == "timestamp[us, tz=UTC]", ty
            assert str(table.schema.field("published_date").type) == "date32[day]"
            # CSV and Parquet agree on the text of every article.
            a = con.execute(f"select article_id, text from read_parquet('{pq_path}') order by article_id").fetchall()
            b = con.execute(
                f"select article_id, text from read_csv('{csv_path}', header=true, all_varchar=true) order by article_id"
            ).fetchall()
            assert a == b, "articles text differs between parquet and csv"
        print(f"{t}: {table.num_rows} rows ok")
    # A join users do: mentions to entities.
    joined = con.execute(
        f"select count(*) from read_parquet('{out}/mentions.parquet') m "
        f"join read_parquet('{out}/entities.parquet') e using (entity_id)"
    ).fetchone()[0]
    assert joined == manifest["tables"]["mentions"], (joined, manifest["tables"]["mentions"])
    print("mentions join entities: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
