"""Fit the leaderboard confidence model on annotated sets and write `extractors/results/confidence.json`.

    python scripts/train_confidence.py --set data/trending_papers.txt=../shared/eval/gold/seed.jsonl \\
        --set tests/gold/dev_papers.jsonl=tests/gold/dev_gold.jsonl ... [--target-precision 0.9 | --min-confidence 0.5] [--dry-run]
    python scripts/train_confidence.py --report-only --set tests/gold/lb_papers.jsonl=tests/gold/lb_gold.jsonl

Every candidate row (a score with a benchmark and a model) is labelled right when its value, benchmark and model
match a gold score (the rule of ../shared/eval/score.py). A logistic regression over the candidates' named evidence
features (L2, plain gradient descent: a few hundred rows need nothing more) gives the weights; the default threshold
is the lowest one whose precision on the pooled training rows reaches --target-precision. It prints precision and
recall at several thresholds per set, the table the README quotes.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.evaluation import norm, title_key  # noqa: E402
from extractors.pipeline import build_nlp, paper_text  # noqa: E402
from extractors.results.leaderboard import CONFIDENCE_FILE, candidates, confidence  # noqa: E402
from flows.readers import read_path  # noqa: E402
from flows.records import Paper  # noqa: E402

THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def labelled_candidates(nlp, papers_file: Path, gold_file: Path) -> tuple[list[tuple[list[str], bool]], int]:
    """(features, right?) per candidate, and the number of gold leaderboard tuples (for recall)."""
    gold = {title_key(g["title"]): g for g in map(json.loads, gold_file.read_text(encoding="utf-8").splitlines()) if g}
    rows: list[tuple[list[str], bool]] = []
    tuples = 0
    for record in read_path(papers_file):
        if not isinstance(record, Paper):
            continue
        g = gold.get(title_key(record.title))
        if g is None:
            continue
        wanted = [r for r in g["results"] if r["kind"] == "score" and r.get("benchmark") and r.get("model")]
        tuples += sum(1 for r in wanted if not r.get("optional"))
        used = [False] * len(wanted)
        doc = nlp(paper_text(record.title, record.abstract))
        names = {(m.label, m.text): m.name for m in doc._.mentions}
        for c in candidates(doc.text, doc._.quantities, doc._.mentions, doc._.systems or [], len(record.title)):
            q = c.quantity
            benches = {norm(q.benchmark), norm(names.get(("benchmark", q.benchmark), ""))} - {""}
            models = {norm(q.model), norm(names.get(("model", q.model), ""))} - {""}
            hit = next((i for i, r in enumerate(wanted) if not used[i] and math.isclose(q.value, float(r["value"]), abs_tol=1e-9)
                        and norm(r["benchmark"]) in benches and norm(r["model"]) in models), None)
            if hit is not None:
                used[hit] = True
            optional = hit is not None and wanted[hit].get("optional")
            if not optional:
                rows.append((c.features, hit is not None))
    return rows, tuples


def fit(rows: list[tuple[list[str], bool]], l2: float = 1.0, steps: int = 4000, rate: float = 0.5) -> dict:
    names = sorted({f for features, _ in rows for f in features})
    index = {f: i for i, f in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for r, (features, _) in enumerate(rows):
        for f in features:
            x[r, index[f]] = 1.0
    y = np.array([1.0 if right else 0.0 for _, right in rows])
    w = np.zeros(len(names))
    b = 0.0
    n = len(rows)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        w -= rate * ((x.T @ (p - y)) / n + l2 * w / n)
        b -= rate * float(np.mean(p - y))
    return {"bias": round(b, 4), "weights": {f: round(float(w[i]), 4) for f, i in index.items()}}


def table(rows: list[tuple[list[str], bool]], tuples: int, model: dict | None) -> list[tuple[float, float, float, int]]:
    """(threshold, precision, recall, rows kept) at each threshold."""
    out = []
    scored = [(confidence(features, model), right) for features, right in rows]
    for t in THRESHOLDS:
        kept = [right for c, right in scored if c >= t]
        tp = sum(kept)
        out.append((t, tp / len(kept) if kept else 1.0, tp / tuples if tuples else 1.0, len(kept)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", action="append", required=True, help="PAPERS=GOLD (repeatable)")
    ap.add_argument("--target-precision", type=float, default=0.9)
    ap.add_argument("--min-confidence", type=float, help="write this default threshold instead of the one --target-precision picks")
    ap.add_argument("--report-only", action="store_true", help="print the table with the current weights; write nothing")
    ap.add_argument("--dry-run", action="store_true", help="fit and print, but do not write confidence.json")
    a = ap.parse_args()
    nlp = build_nlp()
    sets: dict[str, tuple[list, int]] = {}
    for spec in a.set:
        papers, gold = spec.split("=", 1)
        sets[Path(gold).stem] = labelled_candidates(nlp, Path(papers), Path(gold))
    model = None
    if not a.report_only:
        pooled = [r for rows, _ in sets.values() for r in rows]
        model = fit(pooled)
        model["min_confidence"] = next(
            (t for t, p, _, _ in table(pooled, sum(n for _, n in sets.values()), model) if p >= a.target_precision), THRESHOLDS[-1]
        )
        if a.min_confidence is not None:
            model["min_confidence"] = a.min_confidence
        model["trained_on"] = sorted(sets)
        if not a.dry_run:
            CONFIDENCE_FILE.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"default min_confidence {model['min_confidence']}")
    by_threshold: dict[float, list[str]] = defaultdict(list)
    for name, (rows, tuples) in sets.items():
        for t, p, r, kept in table(rows, tuples, model):
            by_threshold[t].append(f"{name} P {p:.3f} R {r:.3f} ({kept} rows)")
    for t in THRESHOLDS:
        print(f">= {t:.1f}: " + " | ".join(by_threshold[t]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
