"""The project's own scorer (`paperfacts eval`): exact counts on a hand-made case, and floors on the annotated sets.

The floors sit about 2 points under today's figures: a rules edit that costs more than that on any set fails
here, before it reaches a nightly run.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extractors.evaluation import format_report, score
from flows.extract import extract_rows, write_part
from flows.readers import read_path
from flows.records import Paper

GOLD = Path(__file__).resolve().parents[1] / "gold"


def _write_tables(papers: list[Paper], out: Path) -> None:
    out.mkdir(exist_ok=True)
    for table, rows in extract_rows(papers, "test", datetime.now(UTC)).items():
        write_part(out, table, rows, "part-0")


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_counts_follow_the_guideline_matching(tmp_path: Path) -> None:
    abstract = (
        "We present FooNet-7B, which reaches 51.7% on MATH and runs 2.5x faster than BarNet with 13B parameters. "
        "Code: https://github.com/foo/FooNet."
    )
    source = _jsonl(tmp_path / "papers.jsonl", [{"title": "FooNet: a model", "abstract": abstract}])
    _write_tables([r for r in read_path(source) if isinstance(r, Paper)], tmp_path / "out")
    gold = _jsonl(tmp_path / "gold.jsonl", [{
        "id": "g1", "title": "FOONET:  a model",  # titles match without regard to case and spacing
        "models": [{"text": "FooNet"}, {"text": "FooNet-7B"}, {"text": "BarNet", "optional": True}, {"text": "BazLM"}],
        "benchmarks": [{"text": "MATH"}],
        "results": [
            {"text": "51.7%", "value": 51.7, "unit": "%", "kind": "score", "metric": None, "benchmark": "MATH", "model": "FooNet-7B"},
            {"text": "2.5x", "value": 2.5, "unit": "x", "kind": "delta", "metric": None, "benchmark": None, "model": None},
            {"text": "99%", "value": 99, "unit": "%", "kind": "score", "metric": None, "benchmark": None, "model": None},
        ],
        "github": ["Foo/FooNet"], "links": ["https://foo.github.io"],
    }])
    report = score(gold, tmp_path / "out")
    assert report["papers"] == {"gold": 1, "found": 1}
    # FooNet and FooNet-7B right, the optional BarNet neither rewarded nor penalised, BazLM missed
    assert (report["models"]["tp"], report["models"]["fp"], report["models"]["fn"]) == (2, 0, 1)
    assert (report["benchmarks"]["tp"], report["benchmarks"]["fp"], report["benchmarks"]["fn"]) == (1, 0, 0)
    # 51.7 and 2.5 found, 99 missed, 13 (a size the gold does not list) a false hit; 2.5 has the wrong kind
    assert (report["numbers"]["tp"], report["numbers"]["fp"], report["numbers"]["fn"]) == (2, 1, 1)
    assert (report["numbers_typed"]["tp"], report["numbers_typed"]["fp"], report["numbers_typed"]["fn"]) == (1, 2, 2)
    assert report["linking"]["benchmark"]["correct"] == 1 and report["linking"]["model"]["correct"] == 1
    assert report["github"]["tp"] == 1  # owner/repo compared without regard to case
    assert report["links"] == {"recall": 0.0, "found": 0, "gold": 1}
    text = format_report(report, errors=5)
    assert "g1 miss  bazlm" in text and "g1 false 13B (size)" in text


FLOORS = {  # F1 floors per annotated set, about 2 points under the figures measured at e2660e3 (in the comments:
    # models, benchmarks, numbers, typed numbers); leaderboard floors about 3 points under this stop's final figures (dev
    # 0.950, dev2 0.923, dev3 0.896, dev4 0.746, dev5 0.845, lbtune 0.790, lb2 0.717, unseen 0.931); raise them when the
    # rules improve. `lb` and `lb3` are held out: no floor
    "dev": {"leaderboard": 0.92, "models": 0.94, "benchmarks": 0.97, "numbers": 0.955, "numbers_typed": 0.88},  # 0.965, 0.991, 0.978, 0.902
    "dev2": {"leaderboard": 0.89, "models": 0.955, "benchmarks": 0.93, "numbers": 0.965, "numbers_typed": 0.905},  # 0.975, 0.954, 0.987, 0.928
    "dev3": {"leaderboard": 0.87, "models": 0.885, "benchmarks": 0.86, "numbers": 0.97, "numbers_typed": 0.91},  # 0.906, 0.880, 0.995, 0.932
    "dev4": {"leaderboard": 0.72, "models": 0.89, "benchmarks": 0.91, "numbers": 0.94, "numbers_typed": 0.89},  # 0.912, 0.934, 0.964, 0.913
    "dev5": {"leaderboard": 0.81, "models": 0.815, "benchmarks": 0.825, "numbers": 0.93, "numbers_typed": 0.87},  # 0.837, 0.848, 0.955, 0.891
    "lbtune": {"leaderboard": 0.76, "models": 0.805, "benchmarks": 0.865, "numbers": 0.965, "numbers_typed": 0.85},  # 0.588, 0.825, 0.889, 0.985, 0.872
    # lb2: scored once at 4d702d6 before any tuning (leaderboard 0.400 / 0.286), then a tuning set
    "lb2": {"leaderboard": 0.69, "models": 0.865, "benchmarks": 0.86, "numbers": 0.96, "numbers_typed": 0.825},  # 0.333, 0.887, 0.882, 0.980, 0.845
    "unseen": {"leaderboard": 0.9, "models": 0.94, "benchmarks": 0.885, "numbers": 0.95, "numbers_typed": 0.785},  # 0.963, 0.909, 0.971, 0.808
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_annotated_abstracts_stay_above_their_floors(name: str, tmp_path: Path) -> None:
    papers = [r for r in read_path(GOLD / f"{name}_papers.jsonl") if isinstance(r, Paper)]
    _write_tables(papers, tmp_path)
    report = score(GOLD / f"{name}_gold.jsonl", tmp_path)
    assert report["papers"]["found"] == report["papers"]["gold"]
    got = {kind: report[kind]["f1"] for kind in FLOORS[name]}
    below = {kind: f"{got[kind]:.4f} < {floor}" for kind, floor in FLOORS[name].items() if got[kind] < floor}
    assert not below, f"{name}: F1 under its floor: {below}"
    assert report["github"]["f1"] >= 0.98
