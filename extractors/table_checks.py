"""What the fact tables' data-quality gates are made of (pandera). Imported by a table's `gate` function, not at
the top of a table module: pandera loads pandas, which extraction and the sql/report commands do not need."""

from __future__ import annotations

import math

import pandera.pandas as pa

FIELDS = ["title", "abstract"]
NONEMPTY = pa.Check.str_length(min_value=1)
FINITE = pa.Check(lambda s: s.map(math.isfinite), element_wise=False, error="value must be finite")

__all__ = ["FIELDS", "FINITE", "NONEMPTY", "pa", "span_checks"]


def span_checks() -> dict[str, pa.Column]:
    """The columns every span table shares: a paper, a non-empty text and its offsets in title or abstract."""
    return {
        "paper_id": pa.Column(str, nullable=False),
        "text": pa.Column(str, NONEMPTY),
        "field": pa.Column(str, pa.Check.isin(FIELDS)),
        "start": pa.Column(int, pa.Check.ge(0)),
        "end": pa.Column(int, pa.Check.ge(1)),
        "rule": pa.Column(str, NONEMPTY, required=False),
    }
