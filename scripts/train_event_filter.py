#!/usr/bin/env python3
"""Train the learned keep-or-drop pass of the event extractor (issue #14, part 5).

Reads the candidate features the eval dumps on realnews-train, fits an L2 logistic
model, picks the drop threshold by article-grouped cross-validation, and writes
data/lexicon/event_filter.tsv (feature<TAB>weight, `#threshold` first).

    printf '# none\n' > data/lexicon/event_filter.tsv   # the rules alone, nothing filtered
    cargo build --release
    NEWSGRID_EVENT_FEATURES=/tmp/feat-train.tsv \
        target/release/newsgrid eval realnews --syntax --dir ../shared/data/realnews-train
    python3 scripts/train_event_filter.py /tmp/feat-train.tsv \
        --gold ../shared/data/realnews-train/gold.json --out data/lexicon/event_filter.tsv

With `--cv-extra FEATURES --cv-extra-gold GOLD` (realnews-dev candidates) those rows
join the article-grouped folds: the cross-validated figures are reported for train, the
extra split and both, and the l2 and threshold are chosen on both; the shipped model is
still fit on realnews-train alone, so the extra split stays a check.

Needs numpy. Deterministic (fixed fold assignment, full-batch gradient descent).
"""
import argparse
import json
import zlib

import numpy as np


def load(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 5:
            continue
        rows.append((int(parts[0]), parts[1], parts[4].split()))
    return rows


def matrix(rows, index):
    x = np.zeros((len(rows), len(index)), dtype=np.float64)
    for i, (_, _, feats) in enumerate(rows):
        for f in feats:
            j = index.get(f)
            if j is not None:
                x[i, j] = 1.0
    return x


def fit(x, y, l2, steps=600, lr=0.5):
    w = np.zeros(x.shape[1])
    n = len(y)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        g = x.T @ (p - y) / n + l2 * w
        w -= lr * g
    return w


def vocabulary(rows, min_count):
    counts = {}
    for _, _, feats in rows:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, c in counts.items() if c >= min_count or f == "bias")
    return {f: i for i, f in enumerate(names)}


def cross_val(rows, folds, l2, min_count):
    fold = [zlib.crc32(a.encode()) % folds for _, a, _ in rows]
    scores = np.zeros(len(rows))
    for k in range(folds):
        train = [r for r, f in zip(rows, fold) if f != k]
        test = [i for i, f in enumerate(fold) if f == k]
        index = vocabulary(train, min_count)
        w = fit(matrix(train, index), np.array([r[0] for r in train], dtype=np.float64), l2)
        xt = matrix([rows[i] for i in test], index)
        scores[test] = xt @ w
    return scores


def sweep(rows, scores, gold):
    y = np.array([r[0] for r in rows])
    out = []
    for t in np.arange(-2.0, 2.01, 0.1):
        keep = scores >= t
        tp = int((keep & (y == 1)).sum())
        n = int(keep.sum())
        p = tp / n if n else 0.0
        r = tp / gold
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out.append((round(float(t), 2), p, r, f1, n))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("features", help="realnews-train candidates (NEWSGRID_EVENT_FEATURES of eval realnews)")
    ap.add_argument("--gold", required=True, help="gold.json of the same split (for the recall base)")
    ap.add_argument("--wire", help="PETR2 candidates (NEWSGRID_EVENT_FEATURES of eval events --syntax), learned from too")
    ap.add_argument("--wire-gold", type=int, default=72, help="gold events of the PETR2 file (recall base)")
    ap.add_argument("--cv-extra", help="more candidates (realnews-dev) for the cross-validation only")
    ap.add_argument("--cv-extra-gold", help="gold.json of that split")
    ap.add_argument("--out")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--l2", type=float, default=None, help="default: chosen by cross-validation")
    ap.add_argument("--threshold", type=float, default=None, help="default: best cross-validated F1")
    args = ap.parse_args()
    rows = load(args.features)
    gold = sum(len(g["events"]) for g in json.load(open(args.gold, encoding="utf-8")))
    pos = sum(r[0] for r in rows)
    print(f"{len(rows)} candidates, {pos} right; gold {gold}: P {pos / len(rows):.3f} R {pos / gold:.3f}")
    wire = load(args.wire) if args.wire else []
    extra = load(args.cv_extra) if args.cv_extra else []
    extra_gold = sum(len(g["events"]) for g in json.load(open(args.cv_extra_gold, encoding="utf-8"))) if extra else 0
    best = None
    for l2 in [args.l2] if args.l2 is not None else [0.003, 0.01, 0.03, 0.1]:
        scores = cross_val(rows + wire + extra, args.folds, l2, args.min_count)
        if extra:
            ex = scores[len(rows) + len(wire):]
            both = rows + extra
            bs = np.concatenate([scores[: len(rows)], ex])
            for name, rr, ss, gg in [("train", rows, scores[: len(rows)], gold), ("extra", extra, ex, extra_gold), ("both", both, bs, gold + extra_gold)]:
                print(f"  l2 {l2} CV {name}: " + "  ".join(f"t {t:+.1f} P {p:.3f} R {r:.3f}" for t, p, r, f, _ in sweep(rr, ss, gg) if t in (-0.6, -0.4, -0.2, 0.0, 0.2)))
            table = sweep(both, bs, gold + extra_gold)
            top = max(table, key=lambda r: r[3])
            print(f"l2 {l2}: best CV F1 (train + extra) {top[3]:.3f} at t {top[0]} (P {top[1]:.3f} R {top[2]:.3f})")
            if best is None or top[3] > best[1][3]:
                best = (l2, top, table)
            continue
        if wire:
            # The wire file's cross-validated scores, as a check that news-style
            # learning does not cost the PETR2 sentences their events.
            w = sweep(wire, scores[len(rows):], args.wire_gold)
            print("  wire: " + "  ".join(f"t {t:+.1f} P {p:.2f} R {r:.2f} F1 {f:.3f}" for t, p, r, f, _ in w if t in (-1.0, -0.6, -0.4, 0.0)))
        table = sweep(rows, scores[: len(rows)], gold)
        top = max(table, key=lambda r: r[3])
        print(f"l2 {l2}: best CV F1 {top[3]:.3f} at t {top[0]} (P {top[1]:.3f} R {top[2]:.3f})")
        if best is None or top[3] > best[1][3]:
            best = (l2, top, table)
    l2, top, table = best
    print(f"chosen l2 {l2}; cross-validated threshold sweep:")
    for t, p, r, f1, n in table:
        print(f"  t {t:+.1f}: kept {n:4d}  P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")
    threshold = args.threshold if args.threshold is not None else top[0]
    index = vocabulary(rows, args.min_count)
    rows = rows + wire
    index = vocabulary(rows, args.min_count)
    w = fit(matrix(rows, index), np.array([r[0] for r in rows], dtype=np.float64), l2)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write("# generated by scripts/train_event_filter.py from realnews-train candidates\n")
            f.write(f"# l2 {l2}, {len(rows)} candidates\n")
            f.write(f"#threshold\t{threshold:.2f}\n")
            for name, j in sorted(index.items()):
                if abs(w[j]) >= 0.005:
                    f.write(f"{name}\t{w[j]:.3f}\n")
        print(f"wrote {args.out} (threshold {threshold:.2f})")


if __name__ == "__main__":
    main()
