"""Data-quality gate: every batch is checked before its part files are written; a violation fails the run."""

from __future__ import annotations

import math

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

KINDS = ["score", "delta", "efficiency", "size", "setting"]
FIELDS = ["title", "abstract"]


class DataQualityError(Exception):
    """A table breaks its contract; nothing of the run is published."""


def _span_columns() -> dict[str, pa.Column]:
    return {
        "paper_id": pa.Column(str, nullable=False),
        "text": pa.Column(str, pa.Check.str_length(min_value=1)),
        "field": pa.Column(str, pa.Check.isin(FIELDS)),
        "start": pa.Column(int, pa.Check.ge(0)),
        "end": pa.Column(int, pa.Check.ge(1)),
        "rule": pa.Column(str, pa.Check.str_length(min_value=1), required=False),
    }


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "papers": pa.DataFrameSchema(
        {
            "paper_id": pa.Column(str, unique=True),
            "title": pa.Column(str, pa.Check.str_length(min_value=1)),
            "abstract": pa.Column(str, pa.Check.str_length(min_value=1)),
            "content_sha256": pa.Column(str, pa.Check.str_length(64, 64)),
        }
    ),
    "models": pa.DataFrameSchema({**_span_columns(), "name": pa.Column(str)}),
    "benchmarks": pa.DataFrameSchema({**_span_columns(), "name": pa.Column(str)}),
    "results": pa.DataFrameSchema(
        {
            **_span_columns(),
            "value": pa.Column(float, pa.Check(lambda s: s.map(math.isfinite), element_wise=False, error="value must be finite")),
            "scale": pa.Column(float, pa.Check.gt(0)),
            "kind": pa.Column(str, pa.Check.isin(KINDS)),
        }
    ),
    "repos": pa.DataFrameSchema({**_span_columns(), "owner": pa.Column(str), "repo": pa.Column(str)}),
    "links": pa.DataFrameSchema({**_span_columns(), "url": pa.Column(str)}),
}


def check_batch(tables: dict[str, list[dict]]) -> None:
    """Column contracts, offsets that reproduce the text, and every fact's paper present in `papers`."""
    papers = tables.get("papers", [])
    fields = {p["paper_id"]: {"title": p["title"], "abstract": p["abstract"]} for p in papers}
    problems: list[str] = []
    for name, schema in SCHEMAS.items():
        rows = tables.get(name, [])
        if not rows:
            continue
        frame = pd.DataFrame(rows)
        try:
            schema.validate(frame, lazy=True)
        except SchemaErrors as exc:
            problems.append(f"{name}: {exc.failure_cases.head(5).to_dict('records')}")
        if name == "papers":
            continue
        for row in rows:
            source = fields.get(row["paper_id"])
            if source is None:
                problems.append(f"{name}: paper_id {row['paper_id']} has no row in papers")
                break
            text = source[row["field"]]
            if not (0 <= row["start"] < row["end"] <= len(text)) or text[row["start"] : row["end"]] != row["text"]:
                problems.append(
                    f"{name}: offsets {row['start']}:{row['end']} of {row['paper_id']}.{row['field']} do not give {row['text']!r}"
                )
                break
    if problems:
        raise DataQualityError("data-quality gate failed: " + "; ".join(problems[:10]))
