#!/usr/bin/env python3
"""Assemble a benchmark dump of N articles as JSONL (our default field names).

Corpora:
- `reuters` (default): the Reuters-21578 dump (../shared/data/reuters21578, when present)
  and the repo's sample dump: 1987 wire stories of ~145 words.
- `allsides`: ../shared/data/allsides-dev (12,556 modern US political news articles of ~970
  words, with the outlets' furniture left in): the kind of dump users feed in today.

Beyond the sources' size, records are repeated with variation (a new id, a rotated
paragraph order plus a varied dateline; for allsides, two adjacent words swapped in every
paragraph of four words or more, so that a copy's prose lines are not word-for-word repeats
and the run-wide furniture pass treats them as prose) so that content hashes differ and
duplicate detection does not skip them: every article is extracted, as in a real dump.

Usage: python3 scripts/make_bench_dump.py N OUT.jsonl [reuters|allsides]
"""
import io
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REUTERS = REPO.parent / "shared" / "data" / "reuters21578" / "reuters21578.jsonl"
SAMPLE = REPO / "data" / "sample" / "articles.jsonl"
ALLSIDES = REPO.parent / "shared" / "data" / "allsides-dev" / "articles.jsonl.zst"
CITIES = ["LONDON", "NEW YORK", "TOKYO", "PARIS", "NAIROBI", "LIMA", "SYDNEY", "CAIRO", "DELHI", "OSLO"]


def allsides_lines():
    try:
        import zstandard
    except ImportError:  # the zstd command line tool does the same
        import subprocess

        yield from subprocess.run(["zstd", "-dc", str(ALLSIDES)], check=True, capture_output=True, text=True).stdout.splitlines()
        return
    with ALLSIDES.open("rb") as raw:
        yield from io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), encoding="utf-8")


def allsides_sources():
    out = []
    for line in allsides_lines():
            d = json.loads(line)
            if isinstance(d.get("text"), str) and d["text"].strip():
                out.append({k: d.get(k) for k in ("title", "published", "source", "url", "authors", "text")})
    return out


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


def swap_words(para, seed):
    words = para.split(" ")
    if len(words) < 4:
        return para
    i = seed % (len(words) - 1)
    words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def vary(text, copy, swap=False):
    if copy == 0:
        return text
    paras = [p for p in text.replace("\n    ", "\n\n").split("\n\n") if p.strip()]
    if swap:
        paras = [swap_words(p, copy * 31 + j) for j, p in enumerate(paras)]
    k = copy % len(paras)
    paras = paras[k:] + paras[:k]
    city = CITIES[copy % len(CITIES)]
    return f"{city}, copy {copy} - " + "\n\n".join(paras)


def main(n, out, corpus):
    allsides = corpus == "allsides"
    src = allsides_sources() if allsides else sources()
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            s = src[i % len(src)]
            copy = i // len(src)
            rec = {"id": f"bench-{i}", "title": s["title"], "published": s["published"], "text": vary(s["text"], copy, allsides)}
            for k in ("source", "url", "authors"):
                if s.get(k):
                    rec[k] = s[k] if copy == 0 or k != "url" else f"{s[k]}?copy={copy}"
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "reuters")
