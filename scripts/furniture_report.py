#!/usr/bin/env python3
"""Rows that sit inside publisher furniture, the measure of issue 13.

A furniture line is a paragraph of articles.text that repeats word for word in at least
--min articles (default 20). The lines are taken from --reference (an output folder, e.g.
a run with `[clean] remove_furniture = false`; default: OUT itself), so a run that removed
them is measured against the lines the raw dump has. A mention, event (by its trigger) or
attribution (by its cue) counts when its paragraph in OUT's text is one of those lines.
Credit lines ("... contributed to this report") are meant to stay: they are reported apart.

    python3 scripts/furniture_report.py OUT [--reference OUT_BEFORE] [--min 20] [--top 15]
"""

import argparse
import bisect
import collections
import re

import pyarrow.parquet as pq

CREDIT = re.compile(
    r"(contributed (reporting )?to (this|the) (report|story|article)|contributed reporting|^\(?(additional )?reporting by|^\(?(writing|editing) by|^contributing:)",
    re.I,
)
ANCHORS = {"mentions": "start", "events": "trigger_start", "attributions": "cue_start"}


def paragraphs(text):
    """(start offset, paragraph) pairs; offsets in code points, like the tables'."""
    out, pos = [], 0
    for p in text.split("\n\n"):
        out.append((pos, p))
        pos += len(p) + 2
    return out


def repeated_lines(articles, minimum):
    count = collections.Counter()
    for text in articles.column("text").to_pylist():
        count.update(set(text.split("\n\n")))
    return {line: n for line, n in count.items() if n >= minimum and line.strip()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--reference")
    ap.add_argument("--min", type=int, default=20)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    articles = pq.read_table(f"{args.out}/articles.parquet", columns=["article_id", "text"])
    reference = pq.read_table(f"{args.reference or args.out}/articles.parquet", columns=["text"])
    lines = repeated_lines(reference, args.min)
    by_id = {}
    for aid, text in zip(articles.column("article_id").to_pylist(), articles.column("text").to_pylist()):
        paras = paragraphs(text)
        by_id[aid] = ([s for s, _ in paras], [p for _, p in paras])
    print(f"{args.out}: {len(by_id)} articles; {len(lines)} lines repeat in >= {args.min} articles of {args.reference or args.out}")
    total_in, total_credit, total_rows = 0, 0, 0
    where = collections.Counter()
    for table, col in ANCHORS.items():
        t = pq.read_table(f"{args.out}/{table}.parquet", columns=["article_id", col])
        inside = credit = 0
        for aid, start in zip(t.column("article_id").to_pylist(), t.column(col).to_pylist()):
            if start is None or aid not in by_id:
                continue
            starts, paras = by_id[aid]
            p = paras[bisect.bisect_right(starts, start) - 1]
            if p in lines:
                if CREDIT.search(p):
                    credit += 1
                else:
                    inside += 1
                    where[p] += 1
        total_in += inside
        total_credit += credit
        total_rows += t.num_rows
        print(f"  {table:13} {t.num_rows:8} rows; inside furniture lines: {inside} (+{credit} in credit lines)")
    print(f"  all           {total_rows:8} rows; inside furniture lines: {total_in} (+{total_credit} in credit lines)")
    if where:
        print(f"  top lines holding rows:")
        for p, n in where.most_common(args.top):
            print(f"    {n:6}  {p[:110]!r}")


if __name__ == "__main__":
    main()
