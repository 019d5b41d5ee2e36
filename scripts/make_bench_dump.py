#!/usr/bin/env python3
"""Assemble a benchmark dump of N articles as JSONL (our default field names).

Sources: the Reuters-21578 dump (../shared/data/reuters21578, when present) and the repo's
sample dump. Beyond the sources' size, records are repeated with variation (a new id and
a rotated paragraph order plus a varied dateline) so that content hashes differ and
duplicate detection does not skip them: every article is extracted, as in a real dump.

Usage: python3 scripts/make_bench_dump.py N OUT.jsonl
"""
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REUTERS = REPO.parent / "shared" / "data" / "reuters21578" / "reuters21578.jsonl"
SAMPLE = REPO / "data" / "sample" / "articles.jsonl"
CITIES = ["LONDON", "NEW YORK", "TOKYO", "PARIS", "NAIROBI", "LIMA", "SYDNEY", "CAIRO", "DELHI", "OSLO"]


def sources():
    out = []
    if REUTERS.exists():
        for line in REUTERS.open(encoding="utf-8"):
            d = json.loads(line)
            if d.get("body"):
                out.append({"title": d.get("title"), "published": d.get("date"), "text": d["body"]})
    for line in SAMPLE.open(encoding="utf-8"):
        try:
            d = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(d.get("text"), str) and d["text"].strip():
            out.append({"title": d.get("title"), "published": d.get("published"), "text": d["text"]})
    return out


def vary(text, copy):
    if copy == 0:
        return text
    paras = [p for p in text.replace("\n    ", "\n\n").split("\n\n") if p.strip()]
    k = copy % len(paras)
    paras = paras[k:] + paras[:k]
    city = CITIES[copy % len(CITIES)]
    return f"{city}, copy {copy} - " + "\n\n".join(paras)


def main(n, out):
    src = sources()
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            s = src[i % len(src)]
            copy = i // len(src)
            rec = {"id": f"bench-{i}", "title": s["title"], "published": s["published"], "text": vary(s["text"], copy)}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
