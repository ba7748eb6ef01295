"""The `results` fact table: every number paperfacts_numbers finds, with its kind and what it is linked to."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from extractors.extensions import fact_of
from extractors.fact_table import F64, I32, STR, FactTable

if TYPE_CHECKING:
    from pandera.pandas import DataFrameSchema
    from spacy.tokens import Span

# A result span's label is its kind (numbers/kind_rules.jsonl decides it).
KINDS = ("score", "delta", "efficiency", "size", "setting")


def _result_row(span: Span, base: dict, text: str) -> dict:
    q = fact_of(span)
    s_start, s_end = q.sentence
    return {
        **base,
        "value": q.value,
        "scale": q.scale,
        "unit": q.unit,
        "kind": q.kind,
        "metric": q.metric,
        "benchmark": q.benchmark,
        "model": q.model,
        "sentence": text[s_start:s_end],
        "link_rules": ",".join(q.link_rules) or None,
    }


def _result_gate() -> DataFrameSchema:
    from extractors.table_checks import FINITE, pa, span_checks

    return pa.DataFrameSchema(
        {
            **span_checks(),
            "value": pa.Column(float, FINITE),
            "scale": pa.Column(float, [pa.Check.gt(0), FINITE]),
            "kind": pa.Column(str, pa.Check.isin(list(KINDS))),
        }
    )


RESULTS = FactTable(
    name="results",
    schema=pa.schema(
        [
            pa.field("paper_id", STR, False),
            pa.field("text", STR, False),
            pa.field("value", F64, False),
            pa.field("scale", F64, False),
            pa.field("unit", STR, True),
            pa.field("kind", STR, False),
            pa.field("metric", STR, True),
            pa.field("benchmark", STR, True),
            pa.field("model", STR, True),
            pa.field("field", STR, False),
            pa.field("start", I32, False),
            pa.field("end", I32, False),
            pa.field("sentence", STR, False),
            pa.field("rule", STR, False),
            pa.field("link_rules", STR, True),
            pa.field("run_id", STR, False),
        ]
    ),
    gate=_result_gate,
    labels=KINDS,
    span_row=_result_row,
)
