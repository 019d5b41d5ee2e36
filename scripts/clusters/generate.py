#!/usr/bin/env python3
"""Word clusters for the entity tagger and the parser: data/models/clusters.tsv.zst.

Learns, without labels, a binary hierarchy over the most frequent word forms of the
unlabeled text next to the repo (`../shared/data`: the allsides-dev articles, the
Reuters-21578 bodies, the words of CoNLL-2003 eng.train and of UD EWT train) and writes
one line per word: `word<TAB>bitpath`. Words that share a long path prefix occur in
similar contexts, like the paths of Brown clusters; the models use path prefixes as
features, so a word seen rarely or never in the labelled data borrows the weights of its
cluster mates.

Method (deterministic; no random numbers):
1. tokenise roughly as src/nlp/token.rs does (clitics split, abbreviations keep their
   period), lowercase, fold accents and typographic quotes, digits -> 0 in numbers;
2. count, for the V most frequent words, their neighbours at offsets -2, -1, +1, +2
   among the C most frequent words (directional contexts, as in Brown's bigram model);
3. positive PMI with context-distribution smoothing (alpha 0.75), truncated SVD
   (randomised range finder with a fixed start, 2 power iterations), rows U*S^0.5,
   normalised to unit length;
4. divisive clustering: each node is split in two along its principal direction, then
   refined by a few rounds of 2-means (cosine); bit 0 is the larger child. Paths stop at
   depth MAX_DEPTH or at single words.

Usage: python3 scripts/clusters/generate.py [--vocab 80000] [--out data/models/clusters.tsv.zst]
Needs numpy and scipy (pip install numpy scipy) and the zstd command.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter

import numpy as np
import scipy.sparse as sp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared", "data")
MAX_DEPTH = 20
OFFSETS = (-2, -1, 1, 2)

ABBREV = set(
    """mr mrs ms dr prof gen lt col maj capt cpt sgt adm gov sen rep rev hon pres st jr sr inc corp co ltd plc
    bros dept univ assn ave blvd mt ft no nos vs etc jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues
    wed thu thur thurs fri sat sun approx est fig vol ca cf al ariz calif colo conn fla ga ill ind kan ky la md
    mass mich minn miss mo mont neb nev okla ore pa penn tenn tex va vt wash wis wyo""".split()
)

QUOTES = str.maketrans(
    {
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
        "\u2014": "--", "\u2015": "--", "\u2013": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
        "\u2026": "...", "\u00a0": " ",
    }
)
CHUNK = re.compile(r"\w(?:[\w'.\-]*\w)?\.?|\.\.\.|--|[^\w\s]")
CLITIC = re.compile(r"^(.+?)('s|'re|'ll|'ve|'d|'m|n't)$")
NUMBER = re.compile(r"^[\d.,:/\-]+$")


def fold(text):
    text = text.translate(QUOTES)
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def norm(word):
    w = word.lower()
    if NUMBER.match(w):
        w = re.sub(r"\d", "0", w)
    return w


def tokenize(text):
    """Lowercase normalised tokens of one paragraph."""
    out = []
    for m in CHUNK.finditer(fold(text)):
        t = m.group(0)
        if len(t) > 1 and t.endswith(".") and t != "...":
            body = t[:-1]
            if "." not in body and body.lower() not in ABBREV and not (len(body) == 1 and body.isalpha()):
                out.extend(split_clitic(body))
                out.append(".")
                continue
        out.extend(split_clitic(t))
    return [norm(t) for t in out]


def split_clitic(t):
    if "'" in t:
        m = CLITIC.match(t)
        if m and m.group(1) and m.group(1).isalnum():
            return [m.group(1), m.group(2)]
    return [t]


def paragraphs():
    """Yield the paragraphs of the unlabeled text, in a fixed order."""
    proc = subprocess.Popen(["zstd", "-dc", os.path.join(SHARED, "allsides-dev", "articles.jsonl.zst")], stdout=subprocess.PIPE)
    for line in proc.stdout:
        a = json.loads(line)
        for p in a.get("text", "").split("\n"):
            if p.strip():
                yield tokenize(p)
    proc.wait()
    with open(os.path.join(SHARED, "reuters21578", "reuters21578.jsonl"), encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            for p in re.split(r"\n\s{3,}", a.get("body", "")):
                p = " ".join(p.split())
                if p:
                    yield tokenize(p)
    # Already tokenised sentences of the labelled training sets (their words only).
    sent = []
    with open(os.path.join(SHARED, "conll2003", "eng.train"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                if sent:
                    yield sent
                sent = []
            elif parts[0] != "-DOCSTART-":
                sent.append(norm(fold(parts[0])))
    proc = subprocess.Popen(["zstd", "-dc", os.path.join(SHARED, "ud-ewt", "en_ewt-ud-train.conllu.zst")], stdout=subprocess.PIPE)
    sent = []
    for line in proc.stdout:
        line = line.decode("utf-8").rstrip("\n")
        if not line:
            if sent:
                yield sent
            sent = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                sent.append(norm(fold(cols[1])))
    proc.wait()


def ppmi_embeddings(seqs, vocab, ncontext, dim):
    ids = {w: i for i, w in enumerate(vocab)}
    rows, cols = [], []
    for seq in seqs:
        a = np.fromiter((ids.get(w, -1) for w in seq), dtype=np.int64, count=len(seq))
        for k, off in enumerate(OFFSETS):
            if off < 0:
                w, c = a[-off:], a[:off]
            else:
                w, c = a[:-off], a[off:]
            keep = (w >= 0) & (c >= 0) & (c < ncontext)
            rows.append(w[keep])
            cols.append(c[keep] + k * ncontext)
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    m = sp.coo_matrix((np.ones(len(r), dtype=np.float64), (r, c)), shape=(len(vocab), len(OFFSETS) * ncontext)).tocsr()
    m.sum_duplicates()
    total = m.sum()
    wsum = np.asarray(m.sum(axis=1)).ravel()
    csum = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    csum /= csum.sum()
    m = m.tocoo()
    pmi = np.log(m.data / total) - np.log(wsum[m.row] / total) - np.log(csum[m.col])
    keep = pmi > 0
    a = sp.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)
    print(f"co-occurrences {int(total)}, PPMI non-zeros {a.nnz}", file=sys.stderr)
    # Randomised SVD with a fixed start matrix.
    k = dim + 20
    omega = np.random.RandomState(2003).standard_normal((a.shape[1], k))
    q, _ = np.linalg.qr(a @ omega)
    for _ in range(2):
        q, _ = np.linalg.qr(a.T @ q)
        q, _ = np.linalg.qr(a @ q)
    b = (a.T @ q).T
    ub, s, _ = np.linalg.svd(b, full_matrices=False)
    u = (q @ ub)[:, :dim]
    e = u * np.sqrt(s[:dim])
    e /= np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-9)
    return e


def split(x, idx):
    """Split the rows idx of x in two: principal direction, then 2-means (cosine)."""
    v = x[idx]
    centred = v - v.mean(axis=0)
    d = centred[np.argmax(np.abs(centred).sum(axis=1))].copy()
    for _ in range(8):
        d = centred.T @ (centred @ d)
        n = np.linalg.norm(d)
        if n == 0:
            break
        d /= n
    side = centred @ d > 0
    for _ in range(6):
        if side.all() or not side.any():
            break
        c1 = v[side].mean(axis=0)
        c0 = v[~side].mean(axis=0)
        new = v @ c1 / max(np.linalg.norm(c1), 1e-9) > v @ c0 / max(np.linalg.norm(c0), 1e-9)
        if (new == side).all():
            break
        side = new
    if side.all() or not side.any():
        # Identical vectors: split in half by index.
        side = np.zeros(len(idx), dtype=bool)
        side[len(idx) // 2 :] = True
    a, b = idx[~side], idx[side]
    return (a, b) if len(a) >= len(b) else (b, a)


def cluster(x):
    paths = [""] * len(x)
    stack = [(np.arange(len(x)), "")]
    while stack:
        idx, path = stack.pop()
        if len(idx) == 1 or len(path) >= MAX_DEPTH:
            for i in idx:
                paths[i] = path or "0"
            continue
        a, b = split(x, idx)
        stack.append((b, path + "1"))
        stack.append((a, path + "0"))
    return paths


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", type=int, default=80000)
    ap.add_argument("--contexts", type=int, default=8000)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "models", "clusters.tsv.zst"))
    args = ap.parse_args()
    seqs = list(paragraphs())
    counts = Counter()
    for s in seqs:
        counts.update(s)
    ntok = sum(counts.values())
    vocab = [w for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= args.min_count][: args.vocab]
    vocab = [w for w in vocab if "\t" not in w and "\n" not in w]
    print(f"{ntok} tokens, {len(counts)} types, vocabulary {len(vocab)}", file=sys.stderr)
    e = ppmi_embeddings(seqs, vocab, args.contexts, args.dim)
    paths = cluster(e)
    text = "".join(f"{w}\t{p}\n" for w, p in zip(vocab, paths))
    subprocess.run(["zstd", "-19", "-q", "-f", "-o", args.out], input=text.encode("utf-8"), check=True)
    print(f"{len(vocab)} words -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
