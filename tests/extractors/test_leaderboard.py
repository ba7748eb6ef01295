"""Leaderboard rows: the right model for each number, canonical metric and direction, setting, bound, normalised
value and a confidence in [0, 1] (golden cases as data), and the threshold keeps the table a subset of results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.pipeline import paper_text, shared_nlp
from extractors.rows import doc_to_rows

CASES = [json.loads(line) for line in (Path(__file__).parent / "cases" / "leaderboard.jsonl").read_text().splitlines() if line.strip()]


def _rows(case: dict, min_confidence: float | None = 0.0) -> dict[str, list[dict]]:
    doc = shared_nlp()(paper_text(case["title"], case["abstract"]))
    return doc_to_rows(doc, "p", len(case["title"]), "run", min_confidence)


@pytest.mark.parametrize("case", CASES, ids=[c["why"][:50] for c in CASES])
def test_leaderboard_golden(case: dict) -> None:
    got = {r["text"]: r for r in _rows(case)["leaderboard"]}
    for expected in case["rows"]:
        assert expected["text"] in got, (expected["text"], sorted(got))
        row = got[expected["text"]]
        for field, value in expected.items():
            if field != "text":
                assert row[field] == value, (expected["text"], field, row[field])
        assert 0.0 <= row["confidence"] <= 1.0
        assert row["sentence"][row["number_start"] : row["number_end"]] == row["text"]
        assert all(part for part in row["rule"].split(","))


def test_the_threshold_moves_rows_out_of_the_leaderboard_never_out_of_results() -> None:
    case = CASES[0]
    everything, nothing = _rows(case, 0.0), _rows(case, 1.0)
    assert everything["leaderboard"] and not nothing["leaderboard"]
    assert everything["results"] == nothing["results"]


def test_a_leaderboard_benchmark_is_always_a_benchmarks_row() -> None:
    """An own 'dataset' whose name the names component reads as a model (a `-Former` name) is no benchmark to
    link: the catalog gate fails a run whose leaderboard names a benchmark that no benchmarks row has."""
    title = "KalomiFormer: Multilingual Encoders"
    abstract = ("We introduce KalomiFormer, a synthetic dataset for training code models. "
                "With these designs, our solution achieves 6.2084 MAR@30, ranking first among all competitors.")
    doc = shared_nlp()(paper_text(title, abstract))
    rows = doc_to_rows(doc, "p", len(title), "r", min_confidence=0.0)
    benchmarks = {r["name"] for r in rows["benchmarks"]}
    assert "KalomiFormer" in {r["name"] for r in rows["models"]}
    assert all(r["benchmark"] in benchmarks for r in rows["leaderboard"])
    assert [r["benchmark"] for r in rows["results"] if r["value"] == 6.2084] == [None]


def test_a_score_named_by_its_metric_amid_costs_keeps_the_confidence_of_the_default_reading() -> None:
    """`accuracy of 91.2% with fewer tool calls` is read by kind.score_metric_before, not as an efficiency; the
    confidence model weighs it as it weighs the same score read by default."""
    plain = {"title": "T", "abstract": "On SciQA, RouteNet reaches an accuracy of 91.2%."}
    amid_costs = {"title": "T", "abstract": "On SciQA, RouteNet reaches an accuracy of 91.2% with fewer tool calls."}
    tables = [_rows(case) for case in (plain, amid_costs)]
    kind_rules = [next(r["rule"] for r in t["results"] if r["text"] == "91.2%").split("|")[-1] for t in tables]
    assert kind_rules == ["kind.score_default_percent", "kind.score_metric_before"]
    assert [[r["confidence"] for r in t["leaderboard"]] for t in tables] == [[tables[0]["leaderboard"][0]["confidence"]]] * 2


def test_a_headline_metric_names_the_benchmark_entry_it_came_from() -> None:
    """The row says why it has a metric the text never wrote: the rule id names the gazetteer entry."""
    rows = _rows({"title": "T", "abstract": "Trained on synthetic proofs, QuillMath-7B reaches 58.2% on GSM8K."})
    (row,) = [r for r in rows["leaderboard"] if r["text"] == "58.2%"]
    assert "link.metric.benchmark_headline:bench.gsm8k" in row["rule"].split(",")
