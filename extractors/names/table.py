"""The `models` and `benchmarks` fact tables: the name mentions paperfacts_names finds, one row per span."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from extractors.extensions import fact_of
from extractors.fact_table import F64, STR, FactTable, mention_columns

if TYPE_CHECKING:
    from pandera.pandas import DataFrameSchema
    from spacy.tokens import Span


def _name_row(span: Span, base: dict, text: str) -> dict:
    mention = fact_of(span)
    return {**base, "name": mention.canonical or mention.name}


def _model_row(span: Span, base: dict, text: str) -> dict:
    mention = fact_of(span)
    return {
        **base,
        "name": mention.canonical or mention.name,
        "family": mention.family,
        "version": mention.version,
        "params": mention.params,
    }


def _name_gate() -> DataFrameSchema:
    from extractors.table_checks import pa, span_checks

    return pa.DataFrameSchema({**span_checks(), "name": pa.Column(str)})


MODELS = FactTable(
    name="models",
    schema=pa.schema(
        [
            *mention_columns(),
            pa.field("family", STR, True),
            pa.field("version", STR, True),
            pa.field("params", F64, True),
        ]
    ),
    gate=_name_gate,
    labels=("model",),
    span_row=_model_row,
)

BENCHMARKS = FactTable(
    name="benchmarks",
    schema=pa.schema(mention_columns()),
    gate=_name_gate,
    labels=("benchmark",),
    span_row=_name_row,
)
