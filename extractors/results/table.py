"""The `leaderboard` fact table: scores tied to a benchmark and a model, made from the paper's linked results
(extractors.results.leaderboard) rather than from one span group, after the span tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from extractors.fact_table import F64, I32, STR, FactTable, PaperDoc, field_offsets
from extractors.names.canonical import display
from extractors.results.leaderboard import Candidate, candidates, default_min_confidence
from extractors.rules import RULES_DIR_KEY, rules_from

if TYPE_CHECKING:
    from pandera.pandas import DataFrameSchema
    from spacy.tokens import Doc

BOUNDS = ["<", "≤", ">", "≥", "~"]


def leaderboard_rows(paper: PaperDoc, tables: dict[str, list[dict]]) -> list[dict]:
    """A row per linked score at or above the paper's confidence threshold, named as the models and benchmarks
    rows name its model and benchmark."""
    names: dict[str, str] = {}
    for table, label in (("models", "model"), ("benchmarks", "benchmark")):
        for row in tables[table]:
            names.setdefault(f"{label}:{row['text']}", row["name"])
    doc, title_len = paper.doc, paper.title_len
    with rules_from(doc.user_data.get(RULES_DIR_KEY)):  # a saved pipeline copy's metric registry, settings, ...
        threshold = default_min_confidence() if paper.min_confidence is None else paper.min_confidence
        found = candidates(paper.text, doc._.quantities, doc._.mentions, doc._.systems or [], title_len)
    return [
        _leaderboard_row(c, paper, names)
        for c in found
        if c.confidence >= threshold and field_offsets(c.quantity.start, c.quantity.end, title_len) is not None
    ]


def _system_name(doc: Doc, text: str) -> str:
    """A leaderboard model that is the paper's own system rather than a mention: its name as the system has it."""
    for s in doc._.systems or ():
        if s.text == text and s.canonical:
            return s.canonical
    return display(text, "model")


def _leaderboard_row(c: Candidate, paper: PaperDoc, names: dict[str, str]) -> dict:
    q = c.quantity
    s_start, s_end = q.sentence
    return {
        "benchmark": names.get(f"benchmark:{q.benchmark}") or display(q.benchmark, "benchmark"),
        "metric": c.metric,
        "metric_text": c.metric_text,
        "higher_is_better": c.higher_is_better,
        "model": names.get(f"model:{q.model}") or _system_name(paper.doc, q.model),
        "value": q.value,
        "unit": q.unit,
        "value_normalized": c.value_normalized,
        "setting": c.setting,
        "bound": c.bound,
        "confidence": c.confidence,
        "paper_id": paper.paper_id,
        "benchmark_text": q.benchmark,
        "model_text": q.model,
        "text": q.text,
        "sentence": paper.text[s_start:s_end],
        "number_start": q.start - s_start,
        "number_end": q.end - s_start,
        "rule": ",".join([*q.link_rules, *c.rules]),
        "run_id": paper.run_id,
    }


def _leaderboard_gate() -> DataFrameSchema:
    import pandas as pd

    from extractors.table_checks import FINITE, NONEMPTY, pa

    return pa.DataFrameSchema(
        {
            "paper_id": pa.Column(str, nullable=False),
            "benchmark": pa.Column(str, NONEMPTY),
            "model": pa.Column(str, NONEMPTY),
            "value": pa.Column(float, FINITE),
            "value_normalized": pa.Column(float, FINITE),
            "higher_is_better": pa.Column(None, nullable=True, checks=pa.Check.isin([True, False])),
            "bound": pa.Column(None, nullable=True, checks=pa.Check.isin(BOUNDS)),
            "confidence": pa.Column(float, [pa.Check.in_range(0.0, 1.0)]),
            "sentence": pa.Column(str, NONEMPTY),
            "number_start": pa.Column(int, pa.Check.ge(0)),
            "number_end": pa.Column(int, pa.Check.ge(1)),
            "rule": pa.Column(str, NONEMPTY),
        },
        # the evidence reproduces the number: sentence[number_start:number_end] == text
        checks=pa.Check(
            lambda df: pd.Series(
                [
                    s[a:b] == t
                    for s, a, b, t in zip(
                        df["sentence"], df["number_start"], df["number_end"], df["text"], strict=True
                    )
                ],
                index=df.index,
            ),
            error="sentence[number_start:number_end] must be the number's text",
        ),
    )


LEADERBOARD = FactTable(
    name="leaderboard",
    schema=pa.schema(
        [
            pa.field("benchmark", STR, False),
            pa.field("metric", STR, True),  # canonical (metric_registry.jsonl); null when the text names none
            pa.field("metric_text", STR, True),  # as written
            pa.field("higher_is_better", pa.bool_(), True),  # null only when the metric is unknown
            pa.field("model", STR, False),
            pa.field("value", F64, False),  # as written
            pa.field("unit", STR, True),
            # on the metric's usual scale (percent / fraction / absolute)
            pa.field("value_normalized", F64, False),
            pa.field("setting", STR, True),  # zero-shot, 5-shot, maj@64, test-other, 256×256, ...
            pa.field("bound", STR, True),  # <, ≤, >, ≥, ~ when the text gives a bound, not a value
            pa.field("confidence", F64, False),
            pa.field("paper_id", STR, False),
            pa.field("benchmark_text", STR, False),
            pa.field("model_text", STR, False),
            pa.field("text", STR, False),  # the number as written
            pa.field("sentence", STR, False),  # the evidence
            pa.field("number_start", I32, False),  # the number's offsets inside `sentence`
            pa.field("number_end", I32, False),
            pa.field("rule", STR, False),
            pa.field("run_id", STR, False),
        ]
    ),
    gate=_leaderboard_gate,
    doc_rows=leaderboard_rows,
)
